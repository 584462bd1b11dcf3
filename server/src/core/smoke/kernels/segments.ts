// Sparse segment reductions TensorFlow.js lacks, and CheckNumerics.
import { KernelError } from './asString';

/**
 * SparseSegmentSqrtN: output row k is the sum of data rows indices[i] over the i with
 * segment_ids[i] = k, divided by the square root of their count (the `sqrtn` combiner of
 * embedding columns). Rows of segments with no entries are zero; there are last id + 1 rows, or
 * numSegments when given. data is [rows, ...inner] flattened with `inner` elements per row.
 */
export function sparseSegmentSqrtN(data: ArrayLike<number>, inner: number, indices: ArrayLike<number>, segmentIds: ArrayLike<number>, numSegments?: number): Float32Array {
  const rows = data.length / Math.max(inner, 1);
  const n = numSegments ?? (segmentIds.length ? segmentIds[segmentIds.length - 1] + 1 : 0);
  const out = new Float32Array(n * inner);
  const counts = new Float64Array(n);
  for (let i = 0; i < indices.length; i++) {
    const seg = segmentIds[i];
    const row = indices[i];
    if (i > 0 && seg < segmentIds[i - 1]) throw new KernelError('SparseSegmentSqrtN: segment ids are not increasing');
    if (seg < 0 || seg >= n) throw new KernelError(`SparseSegmentSqrtN: segment id ${seg} out of range [0, ${n})`);
    if (row < 0 || row >= rows) throw new KernelError(`SparseSegmentSqrtN: index ${row} out of range [0, ${rows})`);
    counts[seg]++;
    for (let j = 0; j < inner; j++) out[seg * inner + j] += data[row * inner + j];
  }
  for (let k = 0; k < n; k++) {
    if (counts[k] > 1) for (let j = 0; j < inner; j++) out[k * inner + j] /= Math.sqrt(counts[k]);
  }
  return out;
}

/** CheckNumerics: the tensor unchanged, or TensorFlow's error when it holds NaN or Inf. */
export function checkNumerics(values: ArrayLike<number>, message: string): void {
  let nan = false;
  let inf = false;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) nan = true;
    else if (!Number.isFinite(values[i])) inf = true;
  }
  if (nan || inf) throw new KernelError(`${message} : Tensor had ${nan && inf ? 'NaN and Inf' : nan ? 'NaN' : 'Inf'} values`);
}
