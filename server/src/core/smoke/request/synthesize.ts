// A request made up from the signature, for users without one at hand: each input gets its dtype,
// its shape with the batch dimension set to the chosen batch size (other unknown dimensions 1),
// and values that make sense: finite floats in [-1, 1), small non-negative integers (safe as
// indices and ids), strings from the model's vocabulary asset when it has one. Seeded, so a run
// can be repeated; saved with saveRequest so the user can edit it. An input the graph parses as
// serialized tf.Examples gets valid Examples ({"b64": ...}) holding the features it parses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../../prng';
import type { Signature, TensorSpec, MetaGraph } from '../../savedmodel';
import { dtypeKind, elementCount, intRange } from './hostTensor';
import { JsonValue } from './jsonValue';
import { RequestBody } from './request';
import { ParseConfig, describeFeatures, synthesizeExample } from '../example';

export interface Synthesized {
  readonly body: RequestBody;
  readonly notes: readonly string[];
}

const MAX_VOCAB_BYTES = 16 * 1024 * 1024;

/** `exampleInputs`: signature inputs that are serialized tf.Examples, with what the graph parses from them. */
export function synthesizeRequest(modelDir: string, mg: MetaGraph, signature: Signature, batch: number, seed = 1,
  exampleInputs: ReadonlyMap<string, readonly ParseConfig[]> = new Map()): Synthesized {
  const notes: string[] = [];
  const random = mulberry32(seed);
  const vocab = vocabulary(modelDir, mg, signature, notes);
  const shapes = signature.inputs.map((s) => fullShape(s, batch, notes));
  const tensors = signature.inputs.map((s, i) => nested(shapes[i], () => element(s, random, vocab, exampleInputs.get(s.key))));
  for (const [key, configs] of exampleInputs) notes.push(`input '${key}' takes serialized tf.Examples: synthesized with the ${describeFeatures(configs)} feature(s) the graph parses`);
  const dim0 = shapes.map((s) => (s.length ? s[0] : undefined));
  const rows = dim0.every((d) => d !== undefined && d === dim0[0]) ? dim0[0] : shapes.every((s) => s.length === 0) ? 1 : undefined;
  if (rows === undefined) {
    notes.push('the inputs do not share a first dimension, so the request is in columnar form ({"inputs": ...})');
    return { body: { signatureName: signature.key, inputs: keyed(signature.inputs, tensors) }, notes };
  }
  const instances: JsonValue[] = [];
  for (let r = 0; r < rows; r++) {
    const parts = tensors.map((t, i) => (shapes[i].length === 0 ? t : (t as JsonValue[])[r]));
    instances.push(signature.inputs.length === 1 ? parts[0] : keyed(signature.inputs, parts));
  }
  return { body: { signatureName: signature.key, instances }, notes };
}

function keyed(specs: readonly TensorSpec[], values: JsonValue[]): { [k: string]: JsonValue } {
  return Object.fromEntries(specs.map((s, i) => [s.key, values[i]]));
}

/** The shape of the whole tensor to feed: batch first, unknown dimensions 1. */
function fullShape(spec: TensorSpec, batch: number, notes: string[]): number[] {
  const dims = spec.shape.dims;
  if (dims === undefined) {
    notes.push(`input '${spec.key}' has unknown rank: sent as ${batch} scalar instance(s)`);
    return [batch];
  }
  if (dims.length === 0) {
    if (batch !== 1) notes.push(`input '${spec.key}' is a scalar in the signature: one value is sent, not ${batch}`);
    return [];
  }
  if (dims[0] >= 0 && dims[0] !== batch) notes.push(`input '${spec.key}' has a fixed first dimension ${dims[0]}: the batch size ${batch} does not apply to it`);
  const shape = dims.map((d, i) => (d >= 0 ? d : i === 0 ? batch : 1));
  if (dims.slice(1).some((d) => d < 0)) notes.push(`input '${spec.key}': unknown inner dimensions set to 1`);
  return shape;
}

function nested(shape: readonly number[], make: () => JsonValue): JsonValue {
  if (shape.length === 0) return make();
  if (elementCount(shape) > 1e7) throw new Error(`a synthesized input of shape [${shape.join(', ')}] would be too large`);
  return Array.from({ length: shape[0] }, () => nested(shape.slice(1), make));
}

function element(spec: TensorSpec, random: () => number, vocab: readonly string[] | undefined, examples?: readonly ParseConfig[]): JsonValue {
  if (examples?.length) return { b64: Buffer.from(synthesizeExample(examples, { random, ...(vocab ? { words: vocab } : {}) })).toString('base64') };
  switch (dtypeKind(spec.dtype)) {
    case 'float': return Math.round((random() * 2 - 1) * 1e4) / 1e4;
    case 'int': {
      const [lo, hi] = intRange(spec.dtype) ?? [0, 9];
      return Math.max(lo, Math.min(hi, Math.floor(random() * 10)));
    }
    case 'bool': return random() < 0.5;
    case 'string': return vocab?.length ? vocab[Math.floor(random() * vocab.length)] : 'example';
    default: throw new Error(`input '${spec.key}' has dtype ${spec.dtype}, which cannot be sent in a JSON request`);
  }
}

/** Words from the model's first text asset (a vocabulary file: one entry per line), if any. */
function vocabulary(modelDir: string, mg: MetaGraph, signature: Signature, notes: string[]): string[] | undefined {
  if (!signature.inputs.some((s) => s.dtype === 'DT_STRING')) return undefined;
  for (const asset of mg.assetFiles) {
    const file = path.join(modelDir, 'assets', asset.filename);
    const words = readWords(file);
    if (words?.length) {
      notes.push(`string inputs use words from the vocabulary asset ${asset.filename}`);
      return words;
    }
  }
  return undefined;
}

function readWords(file: string): string[] | undefined {
  try {
    if (fs.statSync(file).size > MAX_VOCAB_BYTES) return undefined;
    const bytes = fs.readFileSync(file);
    if (bytes.includes(0)) return undefined;
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.split(/\r?\n/).map((l) => l.split('\t')[0].trim()).filter((w) => w.length > 0).slice(0, 10000);
  } catch {
    return undefined;
  }
}
