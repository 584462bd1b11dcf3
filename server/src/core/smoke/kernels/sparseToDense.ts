// SparseToDense for string values: TensorFlow.js's wasm backend aborts on strings (it has no
// string kernel) and TF Transform densifies every string feature this way, so string values are
// placed on the host. TensorFlow's semantics: an output of `shape` filled with the default, then
// output[indices[i]] = values[i] (or the one scalar value everywhere listed); an index outside the
// shape is an error.
import { KernelError } from './asString';

export function sparseToDenseStrings(indices: ArrayLike<number>, indexShape: readonly number[], shape: readonly number[],
  values: readonly Uint8Array[], defaultValue: Uint8Array): Uint8Array[] {
  const rank = shape.length;
  const n = indexShape.length === 0 ? 1 : indexShape[0];
  const perIndex = indexShape.length < 2 ? 1 : indexShape[1];
  if (perIndex !== rank && !(rank === 1 && indexShape.length < 2)) throw new KernelError(`SparseToDense: indices have ${perIndex} columns for an output of rank ${rank}`);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Array<Uint8Array>(size).fill(defaultValue);
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (let d = 0; d < rank; d++) {
      const k = indices[i * perIndex + d];
      if (k < 0 || k >= shape[d]) throw new KernelError(`SparseToDense: index [${Array.from({ length: perIndex }, (_, j) => indices[i * perIndex + j]).join(',')}] is out of bounds of shape [${shape.join(',')}]`);
      at = at * shape[d] + k;
    }
    out[at] = values.length === 1 ? values[0] : values[i];
  }
  return out;
}

/** Tile for strings (the same wasm gap): the input repeated multiples[d] times along each axis d. */
export function tileStrings(values: readonly Uint8Array[], shape: readonly number[], multiples: readonly number[]): Uint8Array[] {
  const outShape = shape.map((d, i) => d * (multiples[i] ?? 1));
  const size = outShape.reduce((a, b) => a * b, 1);
  const out = new Array<Uint8Array>(size);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < size; o++) {
    let rest = o;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = (rest % outShape[d]) % shape[d];
      rest = Math.floor(rest / outShape[d]);
    }
    let at = 0;
    for (let d = 0; d < shape.length; d++) at = at * shape[d] + index[d];
    out[o] = values[at];
  }
  return out;
}
