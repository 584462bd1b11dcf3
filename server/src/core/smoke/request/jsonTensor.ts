// A JSON value (nested lists of numbers, booleans, strings or `{"b64": ...}`) as a tensor of a
// given dtype: its shape and flat values, or the reason it is not one. The checks are the ones the
// prediction service makes: rectangular lists, leaves of the input's type, integers in range,
// base64 that decodes.
import { ElementValue, dtypeKind, intRange } from './hostTensor';
import { JsonValue, isB64, preview } from './jsonValue';

export type JsonTensor = { ok: true; shape: number[]; values: ElementValue[] } | { ok: false; error: string };

const TYPE_NAMES: Record<string, string> = { float: 'a number', int: 'an integer', bool: 'a boolean', string: 'a string or {"b64": ...}' };

export function jsonToTensor(value: JsonValue, dtype: string): JsonTensor {
  const shape = shapeOf(value);
  if (typeof shape === 'string') return { ok: false, error: shape };
  const values: ElementValue[] = [];
  const error = collect(value, dtype, values);
  return error === undefined ? { ok: true, shape, values } : { ok: false, error };
}

/** The shape of nested lists, or why they are not rectangular. */
function shapeOf(value: JsonValue): number[] | string {
  if (!Array.isArray(value)) return [];
  if (value.length === 0) return [0];
  const first = shapeOf(value[0]);
  if (typeof first === 'string') return first;
  for (const v of value.slice(1)) {
    const s = shapeOf(v);
    if (typeof s === 'string') return s;
    if (s.join(',') !== first.join(',')) return `lists of different lengths or depths (${preview(value[0])} and ${preview(v)}): a tensor must be rectangular`;
  }
  return [value.length, ...first];
}

function collect(value: JsonValue, dtype: string, out: ElementValue[]): string | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const e = collect(v, dtype, out);
      if (e !== undefined) return e;
    }
    return undefined;
  }
  const leaf = leafValue(value, dtype);
  if (typeof leaf === 'string') return leaf;
  out.push(leaf.v);
  return undefined;
}

function leafValue(value: JsonValue, dtype: string): { v: ElementValue } | string {
  const kind = dtypeKind(dtype);
  const wrong = (): string => `JSON value ${preview(value)} is not of the expected type ${dtype}: expected ${TYPE_NAMES[kind] ?? 'a supported value'}`;
  switch (kind) {
    case 'float':
      return typeof value === 'number' ? { v: value } : wrong();
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrong();
      const [lo, hi] = intRange(dtype) ?? [-Infinity, Infinity];
      return value < lo || value > hi ? `JSON value ${value} is out of range for ${dtype} [${lo}, ${hi}]` : { v: value };
    }
    case 'bool':
      return typeof value === 'boolean' ? { v: value } : wrong();
    case 'string':
      if (typeof value === 'string') return { v: new TextEncoder().encode(value) };
      if (isB64(value)) return decodeB64(value.b64);
      return wrong();
    default:
      return `inputs of type ${dtype} cannot be sent as JSON`;
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64_URL = /^[A-Za-z0-9_-]*$/;

/** Standard base64 (padding optional) or its URL-safe form, as the service accepts. */
export function decodeB64(text: string): { v: Uint8Array } | string {
  const ok = BASE64.test(text) || (BASE64_URL.test(text) && text.length % 4 !== 1);
  if (!ok) return `unable to base64 decode ${preview(text)}`;
  return { v: new Uint8Array(Buffer.from(text, /[-_]/.test(text) ? 'base64url' : 'base64')) };
}
