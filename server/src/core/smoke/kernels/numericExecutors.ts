// Custom-op executors for numeric ops: those TensorFlow.js lacks (Bucketize, BoostedTreesBucketize,
// SparseSegmentSqrtN, CheckNumerics, UnsortedSegmentSum, SegmentSum), and replacements that let
// webgpu run in Node (Reshape with its shape read asynchronously, AddN in small chunks, sparse
// kernels webgpu lacks run with the cpu backend's).
import * as tf from '@tensorflow/tfjs-core';
import { GraphNode, OpExecutor } from '@tensorflow/tfjs-converter';
import { KernelError } from './asString';
import { boostedTreesBucketize, bucketize, sortedBoundaries } from './bucketize';
import { checkNumerics, sparseSegmentSqrtN } from './segments';
import { runKernelAnywhere } from './cpuFallback';
import { numbersAttr, stringAttr } from './nodeAttrs';

async function bucketizeOp(node: GraphNode): Promise<tf.Tensor> {
  const x = node.inputs[0];
  const boundaries = numbersAttr(node.attrs.boundaries);
  if (!sortedBoundaries(boundaries)) throw new KernelError('Bucketize: expected sorted boundaries');
  return tf.tensor(bucketize(await x.data() as ArrayLike<number>, boundaries), x.shape, 'int32');
}

/** Inputs: num_features float tensors, then num_features boundary vectors. */
async function boostedTreesBucketizeOp(node: GraphNode): Promise<tf.Tensor[]> {
  const n = node.inputs.length / 2;
  const out: tf.Tensor[] = [];
  for (let f = 0; f < n; f++) {
    const values = node.inputs[f];
    const boundaries = Array.from(await node.inputs[n + f].data() as ArrayLike<number>);
    const flat = await values.data() as ArrayLike<number>;
    const rows = values.shape[0] ?? flat.length;
    out.push(tf.tensor1d(boostedTreesBucketize(Array.from(flat).slice(0, rows), boundaries), 'int32'));
  }
  return out;
}

/** Inputs: data, indices, segment_ids (and num_segments for the WithNumSegments form). */
async function sparseSegmentSqrtNOp(node: GraphNode): Promise<tf.Tensor> {
  const [data, indices, segments, num] = node.inputs;
  const inner = data.shape.slice(1).reduce((a, b) => a * b, 1);
  const n = num ? (await num.data())[0] : undefined;
  const out = sparseSegmentSqrtN(await data.data() as ArrayLike<number>, inner, await indices.data() as ArrayLike<number>, await segments.data() as ArrayLike<number>, n);
  return tf.tensor(out, [out.length / Math.max(inner, 1), ...data.shape.slice(1)], 'float32');
}

async function checkNumericsOp(node: GraphNode): Promise<tf.Tensor> {
  const x = node.inputs[0];
  checkNumerics(await x.data() as ArrayLike<number>, stringAttr(node.attrs.message, ''));
  return x.clone();
}

/** UnsortedSegmentSum(data, segment_ids, num_segments): tfjs has the op, not the mapping. */
async function unsortedSegmentSumOp(node: GraphNode): Promise<tf.Tensor> {
  const [data, ids, num] = node.inputs;
  const n = (await num.data())[0];
  return tf.tidy(() => tf.unsortedSegmentSum(data, tf.cast(ids, 'int32') as tf.Tensor1D, n));
}

/** SegmentSum(data, segment_ids): sorted ids; as many rows as the last id + 1. */
async function segmentSumOp(node: GraphNode): Promise<tf.Tensor> {
  const [data, ids] = node.inputs;
  const values = await ids.data();
  const n = values.length ? values[values.length - 1] + 1 : 0;
  return tf.tidy(() => tf.unsortedSegmentSum(data, tf.cast(ids, 'int32') as tf.Tensor1D, n));
}

/**
 * Reshape with its shape read asynchronously: tfjs-converter reads it with dataSync, which the
 * webgpu backend cannot do in Node for a shape computed on the GPU (no OffscreenCanvas).
 */
async function reshapeOp(node: GraphNode): Promise<tf.Tensor> {
  const [x, shapeTensor] = node.inputs;
  const shape = Array.from(await shapeTensor.data() as ArrayLike<number>);
  return tf.reshape(x, shape);
}

// webgpu binds every AddN input as a storage buffer; a shader stage may have as few as 8.
const ADD_N_CHUNK = 4;

/** AddN in chunks of a few inputs (the same sum; a wide linear model adds one term per feature). */
function addNOp(node: GraphNode): tf.Tensor {
  return tf.tidy(() => {
    let terms = node.inputs;
    while (terms.length > ADD_N_CHUNK) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < terms.length; i += ADD_N_CHUNK) next.push(tf.addN(terms.slice(i, i + ADD_N_CHUNK)));
      terms = next;
    }
    return terms.length === 1 ? tf.clone(terms[0]) : tf.addN(terms);
  });
}

/** TF ops mapped onto tfjs kernels by input position, run where a kernel exists (cpuFallback.ts). */
const ANYWHERE: ReadonlyArray<readonly [string, readonly string[], tf.NamedAttrMap, boolean]> = [
  ['SparseReshape', ['inputIndices', 'inputShape', 'newShape'], {}, false],
  ['SparseFillEmptyRows', ['indices', 'values', 'denseShape', 'defaultValue'], {}, false],
  ['Unique', ['x'], { axis: 0 }, false],
  // webgpu has these two, but they read their inputs synchronously.
  ['SparseSegmentSum', ['data', 'indices', 'segmentIds'], {}, true],
  ['SparseSegmentMean', ['data', 'indices', 'segmentIds'], {}, true],
];

function anywhere(kernel: string, names: readonly string[], attrs: tf.NamedAttrMap, syncReads: boolean): OpExecutor {
  return (node) => runKernelAnywhere(kernel, Object.fromEntries(names.map((n, i) => [n, node.inputs[i]])), attrs, syncReads);
}

export const NUMERIC_EXECUTORS: Readonly<Record<string, OpExecutor>> = {
  Bucketize: bucketizeOp,
  BoostedTreesBucketize: boostedTreesBucketizeOp,
  SparseSegmentSqrtN: sparseSegmentSqrtNOp,
  SparseSegmentSqrtNWithNumSegments: sparseSegmentSqrtNOp,
  CheckNumerics: checkNumericsOp,
  UnsortedSegmentSum: unsortedSegmentSumOp,
  SegmentSum: segmentSumOp,
  Reshape: reshapeOp,
  AddN: addNOp,
  ...Object.fromEntries(ANYWHERE.map(([op, inputs, attrs, syncReads]) => [op, anywhere(op, inputs, attrs, syncReads)])),
};
