// The classify and regress APIs' request body, `{"examples": [{feature: value, ...}], "context":
// {...}}`, turned into serialized tf.Examples as TensorFlow Serving builds them: a feature is a
// value or a flat list; integers written without a decimal point or exponent make an int64
// feature, other numbers a float feature (so `5` where the model parses a float is the service's
// "Data types don't match" error), strings and `{"b64": ...}` a bytes feature. Context features
// go into every example; an example's own feature of the same name wins.
import { ExampleFeatures, FeatureValues, encodeExample } from './exampleProto';
import { JsonSyntaxError, TaggedJson, parseTaggedJson } from './taggedJson';

export interface ExamplesBody {
  readonly signatureName?: string;
  readonly examples: Uint8Array[];
}

export type ExamplesParsed = { readonly ok: true; readonly value: ExamplesBody } | { readonly ok: false; readonly error: string };

type JsonObject = ReadonlyMap<string, TaggedJson>;

const isObject = (v: TaggedJson | undefined): v is { object: JsonObject } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'object' in v;
const fail = (error: string): ExamplesParsed => ({ ok: false, error });

/** A classify/regress body, or undefined when the text is not one (no top-level "examples"). */
export function examplesRequest(text: string): ExamplesParsed | undefined {
  if (!/"examples"\s*:/.test(text)) return undefined;
  let body: TaggedJson;
  try {
    body = parseTaggedJson(text);
  } catch (e) {
    return e instanceof JsonSyntaxError ? undefined : fail(String(e));
  }
  if (!isObject(body) || !body.object.has('examples')) return undefined;
  const top = body.object;
  const unknown = [...top.keys()].filter((k) => !['examples', 'context', 'signature_name'].includes(k));
  if (unknown.length) return fail(`unknown key(s) in the request: ${unknown.join(', ')} (a classify/regress request has "examples", and optionally "context" and "signature_name")`);
  const list = top.get('examples');
  if (!Array.isArray(list) || list.length === 0) return fail('"examples" must be a non-empty list of objects, one per example');
  const name = top.get('signature_name');
  if (name !== undefined && typeof name !== 'string') return fail('"signature_name" must be a string');
  const context = top.get('context');
  if (context !== undefined && !isObject(context)) return fail('"context" must be an object of features');
  const base = context ? features(context.object, 'context') : new Map<string, FeatureValues>();
  if (typeof base === 'string') return fail(base);
  const examples: Uint8Array[] = [];
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (!isObject(e)) return fail(`example ${i} must be an object of features`);
    const own = features(e.object, `example ${i}`);
    if (typeof own === 'string') return fail(own);
    examples.push(encodeExample(new Map([...base, ...own]) as ExampleFeatures));
  }
  return { ok: true, value: { ...(name !== undefined ? { signatureName: name } : {}), examples } };
}

function features(o: JsonObject, where: string): Map<string, FeatureValues> | string {
  const out = new Map<string, FeatureValues>();
  for (const [key, v] of o) {
    const f = feature(Array.isArray(v) ? v : [v]);
    if (typeof f === 'string') return `feature '${key}' of ${where}: ${f}`;
    out.set(key, f);
  }
  return out;
}

function feature(values: readonly TaggedJson[]): FeatureValues | string {
  if (values.length === 0) return 'an empty list has no type; leave the feature out instead';
  const bytes: Uint8Array[] = [];
  const numbers: number[] = [];
  let decimal = false;
  for (const v of values) {
    if (typeof v === 'string') bytes.push(new TextEncoder().encode(v));
    else if (isObject(v) && v.object.size === 1 && typeof v.object.get('b64') === 'string') bytes.push(new Uint8Array(Buffer.from(v.object.get('b64') as string, 'base64')));
    else if (typeof v === 'object' && v !== null && 'number' in v) {
      numbers.push(v.number);
      decimal ||= !v.integer;
    } else return 'values must be numbers, strings or {"b64": ...}, in a flat list';
  }
  if (bytes.length && numbers.length) return 'a list mixes strings and numbers';
  if (bytes.length) return { kind: 'bytes', values: bytes };
  return decimal ? { kind: 'float', values: numbers } : { kind: 'int64', values: numbers };
}
