// NodeDef attrs in the JSON form of a GraphDef that tfjs-converter reads (protobuf's JSON mapping):
// camelCase field names, bytes as base64, 64-bit integers as decimal strings. Map keys (attr
// names, including those of a function's NameAttrList) are kept as they are.
import { PlainMessage, PlainValue, isPlainMessage } from '../../protobuf';

export type GraphJson = string | number | boolean | GraphJson[] | { [key: string]: GraphJson };

/** A node's attr map in JSON form. Attrs starting with `_` (TensorFlow's bookkeeping) are dropped. */
export function attrsJson(attrs: PlainMessage): { [name: string]: GraphJson } {
  const out: { [name: string]: GraphJson } = {};
  for (const [name, v] of Object.entries(attrs)) {
    if (name.startsWith('_') || v === undefined) continue;
    out[name] = valueJson(v);
  }
  return out;
}

function valueJson(v: PlainValue): GraphJson {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.map(valueJson);
  if (isPlainMessage(v)) return messageJson(v);
  return v;
}

function messageJson(m: PlainMessage): { [key: string]: GraphJson } {
  const out: { [key: string]: GraphJson } = {};
  for (const [k, v] of Object.entries(m)) {
    if (v === undefined) continue;
    // NameAttrList.attr is a map of AttrValues: keep its keys.
    out[camel(k)] = k === 'attr' && isPlainMessage(v) ? attrsJson(v) : valueJson(v);
  }
  return out;
}

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
