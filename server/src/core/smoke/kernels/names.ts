// Ops TensorFlow.js has no kernel for that the built-in runtime computes itself (kernels/register.ts
// registers them in the worker). Plain data, so the op check runs without loading TensorFlow.js.
// register.ts also replaces tfjs's SparseToDense and Tile, to place strings on the host (no backend
// but cpu has string kernels for them).
export const HOST_KERNEL_OPS: readonly string[] = ['AsString', 'Bucketize', 'BoostedTreesBucketize', 'SparseSegmentSqrtN', 'SparseSegmentSqrtNWithNumSegments', 'CheckNumerics',
  'StringToHashBucketStrong', 'StringJoin', 'UnsortedSegmentSum', 'SegmentSum', 'SparseCross', 'SparseCrossHashed', 'SparseCrossV2'];
