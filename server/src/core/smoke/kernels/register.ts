// The host kernels as TensorFlow.js custom ops (tfjs-converter's registerOp), registered in the
// worker before a model loads. Each reads its inputs back to the host, computes there, and makes
// a new tensor: these ops handle small feature tensors, so the round trip costs little.
import * as tf from '@tensorflow/tfjs-core';
import { registerOp, GraphNode } from '@tensorflow/tfjs-converter';
import { AS_STRING_DEFAULTS, AsStringAttrs, asString } from './asString';
import { boostedTreesBucketize, bucketize, sortedBoundaries } from './bucketize';
import { KernelError } from './asString';
import { checkNumerics, sparseSegmentSqrtN } from './segments';
import { sparseToDenseStrings, tileStrings } from './sparseToDense';
import { runKernelAnywhere } from './cpuFallback';
import { stringToHashBucketStrong } from './hashing';
import { stringJoin } from './stringJoin';

type Attr = GraphNode['attrs'][string];

const numberAttr = (v: Attr | undefined, fallback: number): number => (typeof v === 'number' ? v : fallback);
const boolAttr = (v: Attr | undefined, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
const stringAttr = (v: Attr | undefined, fallback: string): string => (typeof v === 'string' ? v : fallback);
const numbersAttr = (v: Attr | undefined): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

async function asStringOp(node: GraphNode): Promise<tf.Tensor> {
  const x = node.inputs[0];
  const attrs: AsStringAttrs = {
    precision: numberAttr(node.attrs.precision, AS_STRING_DEFAULTS.precision),
    scientific: boolAttr(node.attrs.scientific, false),
    shortest: boolAttr(node.attrs.shortest, false),
    width: numberAttr(node.attrs.width, -1),
    fill: stringAttr(node.attrs.fill, ''),
  };
  if (x.dtype === 'string') return tf.tensor(await x.bytes() as Uint8Array[], x.shape, 'string');
  const kind = x.dtype === 'bool' ? 'bool' : x.dtype === 'float32' ? 'float' : 'int';
  return tf.tensor(asString(await x.data() as ArrayLike<number>, kind, attrs), x.shape, 'string');
}

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

/** Inputs: sparse_indices, output_shape, sparse_values, default_value. Strings on the host. */
async function sparseToDenseOp(node: GraphNode): Promise<tf.Tensor> {
  const [indices, shapeTensor, values, fallback] = node.inputs;
  const shape = Array.from(await shapeTensor.data() as ArrayLike<number>);
  if (values.dtype !== 'string') {
    return tf.tidy(() => tf.sparseToDense(indices, values, shape, (fallback.dtype === values.dtype ? fallback : tf.cast(fallback, values.dtype)) as tf.Scalar));
  }
  const dense = sparseToDenseStrings(await indices.data() as ArrayLike<number>, indices.shape, shape, await values.bytes() as Uint8Array[], (await fallback.bytes() as Uint8Array[])[0] ?? new Uint8Array(0));
  return tf.tensor(dense, shape, 'string');
}

/** Inputs: input, multiples. Strings on the host. */
async function tileOp(node: GraphNode): Promise<tf.Tensor> {
  const [x, multiplesTensor] = node.inputs;
  const multiples = Array.from(await multiplesTensor.data() as ArrayLike<number>);
  if (x.dtype !== 'string') return tf.tile(x, multiples);
  return tf.tensor(tileStrings(await x.bytes() as Uint8Array[], x.shape, multiples), x.shape.map((d, i) => d * multiples[i]), 'string');
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

/**
 * StringToHashBucketFast (Fingerprint64 of the bytes, modulo num_buckets) on the host: only the
 * cpu backend has the kernel, and webgpu models with vocabulary lookups need it.
 */
async function stringToHashBucketFastOp(node: GraphNode): Promise<tf.Tensor> {
  const x = node.inputs[0];
  const buckets = numberAttr(node.attrs.num_buckets, 1);
  const bytes = await x.bytes() as Uint8Array[];
  return tf.tensor(Int32Array.from(bytes, (b) => tf.util.fingerPrint64(b).modulo(buckets).getLowBitsUnsigned()), x.shape, 'int32');
}

/** TF ops mapped onto tfjs kernels by input position, run where a kernel exists (cpuFallback.ts). */
const ANYWHERE: ReadonlyArray<readonly [string, readonly string[], Attrs, boolean]> = [
  ['SparseReshape', ['inputIndices', 'inputShape', 'newShape'], {}, false],
  ['SparseFillEmptyRows', ['indices', 'values', 'denseShape', 'defaultValue'], {}, false],
  ['Unique', ['x'], { axis: 0 }, false],
  // webgpu has these two, but they read their inputs synchronously.
  ['SparseSegmentSum', ['data', 'indices', 'segmentIds'], {}, true],
  ['SparseSegmentMean', ['data', 'indices', 'segmentIds'], {}, true],
];

type Attrs = tf.NamedAttrMap;

function anywhere(kernel: string, names: readonly string[], attrs: Attrs, syncReads: boolean): (node: GraphNode) => Promise<tf.Tensor[]> {
  return (node) => runKernelAnywhere(kernel, Object.fromEntries(names.map((n, i) => [n, node.inputs[i]])), attrs, syncReads);
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

/**
 * A string attr's bytes as the graph has them. tfjs-converter lowercases string attrs it hands
 * to custom ops; the node it passes (NodeValueImpl) keeps the raw JSON attrs (bytes as base64).
 */
function rawStringAttr(node: GraphNode, name: string): Uint8Array | undefined {
  const raw = (node as unknown as { node?: { rawAttrs?: Record<string, { s?: string }> } }).node?.rawAttrs?.[name]?.s;
  return raw === undefined ? undefined : new Uint8Array(Buffer.from(raw, 'base64'));
}

async function stringToHashBucketStrongOp(node: GraphNode): Promise<tf.Tensor> {
  const x = node.inputs[0];
  const out = stringToHashBucketStrong(await x.bytes() as Uint8Array[], numberAttr(node.attrs.num_buckets, 1), numbersAttr(node.attrs.key));
  return tf.tensor(out, x.shape, 'int32');
}

async function stringJoinOp(node: GraphNode): Promise<tf.Tensor> {
  const inputs = await Promise.all(node.inputs.map(async (t) => ({ values: await t.bytes() as Uint8Array[], shape: t.shape })));
  const joined = stringJoin(inputs, rawStringAttr(node, 'separator') ?? new Uint8Array(0));
  return tf.tensor(joined.values, [...joined.shape], 'string');
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

let registered = false;

export function registerHostKernels(): void {
  if (registered) return;
  registered = true;
  registerOp('AsString', asStringOp);
  registerOp('Bucketize', bucketizeOp);
  registerOp('BoostedTreesBucketize', boostedTreesBucketizeOp);
  registerOp('SparseSegmentSqrtN', sparseSegmentSqrtNOp);
  registerOp('SparseSegmentSqrtNWithNumSegments', sparseSegmentSqrtNOp);
  registerOp('CheckNumerics', checkNumericsOp);
  // Replaces tfjs-converter's own mapping, which no backend runs on strings.
  registerOp('SparseToDense', sparseToDenseOp);
  registerOp('Tile', tileOp);
  registerOp('Reshape', reshapeOp);
  registerOp('StringToHashBucketFast', stringToHashBucketFastOp);
  registerOp('AddN', addNOp);
  registerOp('StringToHashBucketStrong', stringToHashBucketStrongOp);
  registerOp('StringJoin', stringJoinOp);
  registerOp('UnsortedSegmentSum', unsortedSegmentSumOp);
  registerOp('SegmentSum', segmentSumOp);
  for (const [op, inputs, attrs, syncReads] of ANYWHERE) registerOp(op, anywhere(op, inputs, attrs, syncReads));
}
