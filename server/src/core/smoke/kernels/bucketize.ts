// Bucketing ops of feature columns and boosted trees.

/**
 * Bucketize: the number of boundaries at or below each value (upper_bound), so with boundaries
 * [0, 10, 100]: -5 → 0, 5 → 1, 10 → 2, 150 → 3. Boundaries are sorted (TensorFlow checks it).
 */
export function bucketize(values: ArrayLike<number>, boundaries: readonly number[]): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = upperBound(boundaries, values[i]);
  return out;
}

/**
 * BoostedTreesBucketize, per feature: the index of the first boundary at or above the value
 * (lower_bound), clamped to the last boundary; 0 when there are no boundaries. With boundaries
 * [1, 2, 3]: 0.5 → 0, 2 → 1, 2.5 → 2, 9 → 2.
 */
export function boostedTreesBucketize(values: ArrayLike<number>, boundaries: readonly number[]): Int32Array {
  const out = new Int32Array(values.length);
  if (boundaries.length === 0) return out;
  for (let i = 0; i < values.length; i++) out[i] = Math.min(lowerBound(boundaries, values[i]), boundaries.length - 1);
  return out;
}

/** Whether boundaries are sorted, as Bucketize requires. */
export function sortedBoundaries(b: readonly number[]): boolean {
  return b.every((v, i) => i === 0 || b[i - 1] <= v);
}

function upperBound(b: readonly number[], v: number): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(b: readonly number[], v: number): number {
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
