// Custom-op executors for string ops: TensorFlow.js lacks AsString, StringJoin and
// StringToHashBucketStrong; its SparseToDense and Tile have no string kernel outside the cpu
// backend; StringToHashBucketFast exists only there. Strings live on the host in every backend,
// so all of these compute on the host.
import * as tf from '@tensorflow/tfjs-core';
import { GraphNode, OpExecutor } from '@tensorflow/tfjs-converter';
import { AS_STRING_DEFAULTS, AsStringAttrs, asString } from './asString';
import { sparseToDenseStrings, tileStrings } from './sparseToDense';
import { stringToHashBucketStrong } from './hashing';
import { stringJoin } from './stringJoin';
import { boolAttr, numberAttr, numbersAttr, rawStringAttr, stringAttr } from './nodeAttrs';

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

/** Fingerprint64 of the bytes, modulo num_buckets (tfjs's own hash; only its cpu backend has the kernel). */
async function stringToHashBucketFastOp(node: GraphNode): Promise<tf.Tensor> {
  const x = node.inputs[0];
  const buckets = numberAttr(node.attrs.num_buckets, 1);
  const bytes = await x.bytes() as Uint8Array[];
  return tf.tensor(Int32Array.from(bytes, (b) => tf.util.fingerPrint64(b).modulo(buckets).getLowBitsUnsigned()), x.shape, 'int32');
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

export const STRING_EXECUTORS: Readonly<Record<string, OpExecutor>> = {
  AsString: asStringOp,
  StringToHashBucketFast: stringToHashBucketFastOp,
  StringToHashBucketStrong: stringToHashBucketStrongOp,
  StringJoin: stringJoinOp,
  SparseToDense: sparseToDenseOp,
  Tile: tileOp,
};
