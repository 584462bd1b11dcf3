// StringJoin: the inputs (same shape, or scalars broadcast) joined element by element with the
// separator: join(["abc", "def"]) → "abcdef"; join([["abc", "123"], ["def", "456"]], " ") →
// ["abc def", "123 456"] (TensorFlow's doc examples).
import { KernelError } from './asString';

export interface StringInput {
  readonly values: readonly Uint8Array[];
  readonly shape: readonly number[];
}

export function stringJoin(inputs: readonly StringInput[], separator: Uint8Array): { values: Uint8Array[]; shape: readonly number[] } {
  const full = inputs.find((i) => i.shape.length > 0);
  const shape = full?.shape ?? [];
  const n = shape.reduce((a, b) => a * b, 1);
  for (const i of inputs) {
    if (i.shape.length > 0 && i.shape.join(',') !== shape.join(',')) throw new KernelError(`StringJoin: input shapes [${i.shape.join(',')}] and [${shape.join(',')}] differ`);
  }
  const values = Array.from({ length: n }, (_, e) => {
    const parts = inputs.map((i) => (i.shape.length === 0 ? i.values[0] : i.values[e]));
    return joinBytes(parts, separator);
  });
  return { values, shape };
}

/** Byte strings joined with a separator. */
export function joinBytes(parts: readonly Uint8Array[], sep: Uint8Array): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0) + sep.length * Math.max(0, parts.length - 1));
  let at = 0;
  parts.forEach((p, i) => {
    if (i > 0) {
      out.set(sep, at);
      at += sep.length;
    }
    out.set(p, at);
    at += p.length;
  });
  return out;
}
