// A prediction request in the service's JSON format, read and checked against a signature:
// `{"instances": [...]}` (row format: one instance per example, a bare value when the signature has
// one input, else an object keyed by input name), JSON lines (one instance per line, as
// `gcloud ... local predict --json-instances` reads), or `{"inputs": ...}` (columnar: whole tensors).
// A request the service would refuse gets the service's kind of answer, `{"error": "..."}`.
// The classify/regress body (`{"examples": [...]}`) is read too: its examples become serialized
// tf.Examples, sent as the signature's one string input (example/examplesRequest.ts).
import * as fs from 'node:fs';
import type { Signature, TensorSpec } from '../../savedmodel';
import { HostTensor, formatDims } from './hostTensor';
import { JsonObject, JsonValue, isB64, isJsonObject } from './jsonValue';
import { jsonToTensor } from './jsonTensor';
import { examplesRequest } from '../example';

/** The request as sent: the body's parts, before any signature is applied. */
export interface RequestBody {
  readonly signatureName?: string;
  readonly instances?: JsonValue[];
  readonly inputs?: JsonValue;
}

export interface ParsedRequest {
  readonly signatureName: string | undefined;
  readonly format: 'row' | 'columnar';
  /** Row format: the number of instances. Columnar: the inputs' first dimension (1 for scalars). */
  readonly batch: number;
  readonly inputs: Readonly<Record<string, HostTensor>>;
  /** Things the service accepts but that may not be what the user meant. */
  readonly notes: readonly string[];
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** Read the text of a request file: one JSON body, or JSON lines of instances. */
export function parseRequestText(text: string): Parsed<RequestBody> {
  const trimmed = text.trim();
  if (!trimmed) return fail('the request is empty: send {"instances": [...]} or one JSON instance per line');
  const examples = examplesRequest(trimmed);
  if (examples && !examples.ok) return fail(examples.error);
  if (examples?.ok) {
    const instances = examples.value.examples.map((e): JsonValue => ({ b64: Buffer.from(e).toString('base64') }));
    return { ok: true, value: { signatureName: examples.value.signatureName, instances } };
  }
  let whole: JsonValue | undefined;
  try {
    whole = JSON.parse(trimmed) as JsonValue;
  } catch {
    whole = undefined;
  }
  if (isJsonObject(whole) && ('instances' in whole || 'inputs' in whole || 'signature_name' in whole)) return bodyOf(whole);
  if (whole !== undefined) return { ok: true, value: { instances: [whole] } };
  return jsonLines(trimmed);
}

function bodyOf(o: JsonObject): Parsed<RequestBody> {
  const unknown = Object.keys(o).filter((k) => !['instances', 'inputs', 'signature_name'].includes(k));
  if (unknown.length) return fail(`unknown key(s) in the request: ${unknown.join(', ')} (expected "instances" or "inputs", and optionally "signature_name")`);
  if ('instances' in o && 'inputs' in o) return fail('only one of "instances" or "inputs" may be specified');
  if (!('instances' in o) && !('inputs' in o)) return fail('missing "inputs" or "instances" key');
  if (o.signature_name !== undefined && typeof o.signature_name !== 'string') return fail('"signature_name" must be a string');
  const signatureName = o.signature_name as string | undefined;
  if ('instances' in o) {
    if (!Array.isArray(o.instances)) return fail('"instances" must be a list, one element per example');
    if (o.instances.length === 0) return fail('"instances" is empty: send at least one instance');
    return { ok: true, value: { signatureName, instances: o.instances } };
  }
  return { ok: true, value: { signatureName, inputs: o.inputs } };
}

function jsonLines(text: string): Parsed<RequestBody> {
  const instances: JsonValue[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    try {
      instances.push(JSON.parse(lines[i]) as JsonValue);
    } catch (e) {
      return fail(`JSON parse error on line ${i + 1}: ${(e as Error).message}`);
    }
  }
  return { ok: true, value: { instances } };
}

/** Check a request against the signature it will run, giving the tensors to feed. */
export function validateRequest(body: RequestBody, signature: Signature): Parsed<ParsedRequest> {
  const specs = signature.inputs;
  const notes: string[] = [];
  const tensors = body.instances !== undefined ? rowTensors(body.instances, specs) : columnarTensors(body.inputs ?? null, specs);
  if (!tensors.ok) return tensors;
  const inputs: Record<string, HostTensor> = {};
  for (const spec of specs) {
    const t = tensors.value[spec.key];
    const shaped = fitShape(spec, t, body.instances !== undefined, notes);
    if (!shaped.ok) return shaped;
    inputs[spec.key] = shaped.value;
  }
  const first = Object.values(inputs)[0];
  const batch = body.instances?.length ?? (first && first.shape.length > 0 ? first.shape[0] : 1);
  return { ok: true, value: { signatureName: body.signatureName, format: body.instances !== undefined ? 'row' : 'columnar', batch, inputs, notes } };
}

function rowTensors(instances: JsonValue[], specs: readonly TensorSpec[]): Parsed<Record<string, HostTensor>> {
  const perInput = new Map<string, JsonValue[]>(specs.map((s) => [s.key, []]));
  for (let i = 0; i < instances.length; i++) {
    const named = namedValues(instances[i], specs, `instance ${i}`);
    if (!named.ok) return named;
    for (const s of specs) perInput.get(s.key)?.push(named.value[s.key]);
  }
  const out: Record<string, HostTensor> = {};
  for (const spec of specs) {
    const rows = perInput.get(spec.key) ?? [];
    const parts = [];
    for (let i = 0; i < rows.length; i++) {
      const t = jsonToTensor(rows[i], spec.dtype);
      if (!t.ok) return fail(`input '${spec.key}' of instance ${i}: ${t.error}`);
      if (parts.length && t.shape.join(',') !== parts[0].shape.join(',')) {
        return fail(`input '${spec.key}': instance ${i} has shape ${formatDims(t.shape)} but instance 0 has ${formatDims(parts[0].shape)}; all instances must have the same shape`);
      }
      parts.push(t);
    }
    out[spec.key] = { dtype: spec.dtype, shape: [rows.length, ...(parts[0]?.shape ?? [])], values: parts.flatMap((p) => p.values) };
  }
  return { ok: true, value: out };
}

/** An instance (or the columnar inputs) as values keyed by input name. */
function namedValues(v: JsonValue, specs: readonly TensorSpec[], where: string): Parsed<Record<string, JsonValue>> {
  const names = specs.map((s) => s.key);
  const keyed = isJsonObject(v) && !isB64(v);
  if (!keyed) {
    if (specs.length === 1) return { ok: true, value: { [names[0]]: v } };
    return fail(`${where} must be an object keyed by input name (the signature has ${specs.length} inputs: ${names.join(', ')})`);
  }
  const unknown = Object.keys(v).filter((k) => !names.includes(k));
  if (unknown.length) return fail(`${where}: unknown input '${unknown[0]}'; the signature's inputs are: ${names.join(', ')}`);
  const missing = names.filter((n) => !(n in v));
  if (missing.length) return fail(`${where}: missing input '${missing[0]}'; the signature's inputs are: ${names.join(', ')}`);
  return { ok: true, value: v };
}

function columnarTensors(inputs: JsonValue, specs: readonly TensorSpec[]): Parsed<Record<string, HostTensor>> {
  const named = namedValues(inputs, specs, '"inputs"');
  if (!named.ok) return named;
  const out: Record<string, HostTensor> = {};
  for (const spec of specs) {
    const t = jsonToTensor(named.value[spec.key], spec.dtype);
    if (!t.ok) return fail(`input '${spec.key}': ${t.error}`);
    out[spec.key] = { dtype: spec.dtype, shape: t.shape, values: t.values };
  }
  return { ok: true, value: out };
}

/**
 * Check a tensor against the signature's shape. A scalar signature input is fed a scalar when one
 * instance is sent (row format always adds a batch dimension otherwise).
 */
function fitShape(spec: TensorSpec, t: HostTensor, row: boolean, notes: string[]): Parsed<HostTensor> {
  const dims = spec.shape.dims;
  if (dims === undefined) return { ok: true, value: t };
  if (dims.length === 0 && row) {
    if (t.shape.length !== 1) return fail(`input '${spec.key}' is a scalar in the signature, but each instance has shape ${formatDims(t.shape.slice(1))}`);
    if (t.shape[0] === 1) return { ok: true, value: { ...t, shape: [] } };
    notes.push(`input '${spec.key}' is a scalar in the signature; ${t.shape[0]} instances are fed as one tensor of shape ${formatDims(t.shape)}`);
    return { ok: true, value: t };
  }
  const matches = dims.length === t.shape.length && dims.every((d, i) => d < 0 || d === t.shape[i]);
  if (matches) return { ok: true, value: t };
  const expected = `[${dims.map((d) => (d < 0 ? '-1' : String(d))).join(', ')}]`;
  const hint = row ? ` (in row format the first dimension is the number of instances, ${t.shape[0]})` : '';
  return fail(`input '${spec.key}' has shape ${formatDims(t.shape)} but the signature expects ${expected}${hint}`);
}

/** The body as a JSON object, for saving a request the user can edit and send again. */
export function requestJson(body: RequestBody): JsonObject {
  const out: JsonObject = {};
  if (body.signatureName !== undefined) out.signature_name = body.signatureName;
  if (body.instances !== undefined) out.instances = body.instances;
  else out.inputs = body.inputs ?? null;
  return out;
}

export function saveRequest(file: string, body: RequestBody): void {
  fs.writeFileSync(file, `${JSON.stringify(requestJson(body), null, 2)}\n`);
}
