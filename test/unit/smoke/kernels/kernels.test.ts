// The host kernels against values worked out by hand from TensorFlow's documented semantics
// (stated in each kernel's comment), then through TensorFlow.js's custom-op registry on the cpu
// backend, as the worker runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { AS_STRING_DEFAULTS, asString } from '../../../../server/src/core/smoke/kernels/asString';
import { boostedTreesBucketize, bucketize } from '../../../../server/src/core/smoke/kernels/bucketize';
import { checkNumerics, sparseSegmentSqrtN } from '../../../../server/src/core/smoke/kernels/segments';
import { HOST_EXECUTORS, registerHostKernels } from '../../../../server/src/core/smoke/kernels/register';
import { sparseToDenseStrings, tileStrings } from '../../../../server/src/core/smoke/kernels/sparseToDense';
import { stringToHashBucketStrong } from '../../../../server/src/core/smoke/kernels/hashing';
import { stringJoin } from '../../../../server/src/core/smoke/kernels/stringJoin';
import { HOST_KERNEL_OPS } from '../../../../server/src/core/smoke/kernels';
import { tfjsSupportedOps } from '../../../../server/src/core/smoke/freeze/tfjsOps';

test('every op the op check counts as ours has an executor, and the op check counts it', () => {
  const executors = new Set(Object.keys(HOST_EXECUTORS));
  for (const op of HOST_KERNEL_OPS) {
    assert.ok(executors.has(op), `${op} has no executor`);
    assert.ok(tfjsSupportedOps().has(op), `${op} is not in the op check`);
  }
});

test('AsString prints as printf does with the format its attrs build', () => {
  const d = AS_STRING_DEFAULTS;
  assert.deepEqual(asString([0, 7, -12], 'int', d), ['0', '7', '-12']);
  assert.deepEqual(asString([1.5, -0.25, 3], 'float', d), ['1.500000', '-0.250000', '3.000000']);
  assert.deepEqual(asString([1, 0], 'bool', d), ['true', 'false']);
  assert.deepEqual(asString([7, -7], 'int', { ...d, width: 3, fill: '0' }), ['007', '-07']);
  assert.deepEqual(asString([7], 'int', { ...d, width: 3 }), ['  7']);
  assert.deepEqual(asString([7], 'int', { ...d, width: 3, fill: '-' }), ['7  ']);
  assert.deepEqual(asString([3.14159], 'float', { ...d, precision: 2 }), ['3.14']);
  assert.deepEqual(asString([1234.5], 'float', { ...d, scientific: true }), ['1.234500e+03']);
  assert.deepEqual(asString([0.0001234], 'float', { ...d, scientific: true, precision: 2 }), ['1.23e-04']);
  // %g: 6 significant digits, trailing zeros dropped, %e below 1e-4 and from 1e6.
  assert.deepEqual(asString([100, 0.5, 1234567, 0.00001, 0], 'float', { ...d, shortest: true }), ['100', '0.5', '1.23457e+06', '1e-05', '0']);
  assert.deepEqual(asString([NaN, Infinity, -Infinity], 'float', d), ['nan', 'inf', '-inf']);
  assert.throws(() => asString([1], 'int', { ...d, precision: 2 }), /floats only/);
  assert.throws(() => asString([1], 'float', { ...d, fill: 'ab' }), /at most one character/);
});

test('Bucketize counts the boundaries at or below each value (TensorFlow\'s doc example)', () => {
  // boundaries [0, 10, 100], input [[-5, 10000], [150, 10], [5, 100]] → [[0, 3], [3, 2], [1, 3]].
  assert.deepEqual([...bucketize([-5, 10000, 150, 10, 5, 100], [0, 10, 100])], [0, 3, 3, 2, 1, 3]);
  assert.deepEqual([...bucketize([1, 2], [])], [0, 0]);
});

test('BoostedTreesBucketize takes the first boundary at or above, clamped to the last', () => {
  assert.deepEqual([...boostedTreesBucketize([0.5, 1, 2, 2.5, 9], [1, 2, 3])], [0, 0, 1, 2, 2]);
  assert.deepEqual([...boostedTreesBucketize([4], [])], [0]);
});

test('SparseSegmentSqrtN sums rows per segment over the square root of their count', () => {
  // data rows r0 = [1, 2], r1 = [3, 4], r2 = [5, 6]; segment 0 ← r0, r2; segment 1 empty; segment 2 ← r1.
  const out = sparseSegmentSqrtN([1, 2, 3, 4, 5, 6], 2, [0, 2, 1], [0, 0, 2]);
  const s = Math.SQRT2;
  assert.deepEqual([...out].map((v) => Math.round(v * 1e5) / 1e5), [6 / s, 8 / s, 0, 0, 3, 4].map((v) => Math.round(v * 1e5) / 1e5));
  assert.equal(sparseSegmentSqrtN([1, 2], 1, [0], [0], 3).length, 3);
  assert.throws(() => sparseSegmentSqrtN([1, 2], 1, [5], [0]), /index 5 out of range/);
});

test('CheckNumerics passes finite values and names what it found otherwise', () => {
  checkNumerics([1, -2, 0], 'logits');
  assert.throws(() => checkNumerics([1, NaN], 'logits'), { message: 'logits : Tensor had NaN values' });
  assert.throws(() => checkNumerics([Infinity, NaN], 'x'), { message: 'x : Tensor had NaN and Inf values' });
});

const enc = (...s: string[]): Uint8Array[] => s.map((x) => new TextEncoder().encode(x));
const dec = (v: readonly Uint8Array[]): string[] => v.map((b) => new TextDecoder().decode(b));

test('SparseToDense on strings: the default everywhere but at the indices', () => {
  // indices [[0, 1], [2, 0]] into a 3×2 output, default "": [["", "a"], ["", ""], ["b", ""]].
  assert.deepEqual(dec(sparseToDenseStrings([0, 1, 2, 0], [2, 2], [3, 2], enc('a', 'b'), enc('')[0])), ['', 'a', '', '', 'b', '']);
  // Rank 1 with one scalar value for every index.
  assert.deepEqual(dec(sparseToDenseStrings([1, 3], [2], [4], enc('x'), enc('-')[0])), ['-', 'x', '-', 'x']);
  assert.throws(() => sparseToDenseStrings([0, 5], [1, 2], [3, 2], enc('a'), enc('')[0]), /index \[0,5\] is out of bounds of shape \[3,2\]/);
});

test('Tile on strings repeats along each axis', () => {
  // [["a", "b"]] tiled [2, 2] → [["a", "b", "a", "b"], ["a", "b", "a", "b"]].
  assert.deepEqual(dec(tileStrings(enc('a', 'b'), [1, 2], [2, 2])), ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  assert.deepEqual(dec(tileStrings(enc('a', 'b', 'c', 'd'), [2, 2], [1, 2])), ['a', 'b', 'a', 'b', 'c', 'd', 'c', 'd']);
});

test('StringToHashBucketStrong is SipHash-2-4 modulo the buckets (TensorFlow\'s doc example)', () => {
  // tf.strings.to_hash_bucket_strong(["Hello", "TF"], 3, [1, 2]) → [2, 0].
  assert.deepEqual([...stringToHashBucketStrong(enc('Hello', 'TF'), 3, [1, 2])], [2, 0]);
});

test('StringJoin joins element by element, scalars broadcast (TensorFlow\'s doc examples)', () => {
  const s = (shape: number[], ...v: string[]): { values: Uint8Array[]; shape: number[] } => ({ values: enc(...v), shape });
  assert.deepEqual(dec(stringJoin([s([], 'abc'), s([], 'def')], new Uint8Array(0)).values), ['abcdef']);
  const j = stringJoin([s([2], 'abc', '123'), s([2], 'def', '456')], enc(' ')[0]);
  assert.deepEqual([dec(j.values), j.shape], [['abc def', '123 456'], [2]]);
  assert.deepEqual(dec(stringJoin([s([2], 'a', 'b'), s([], 'z')], enc('-')[0]).values), ['a-z', 'b-z']);
  assert.throws(() => stringJoin([s([2], 'a', 'b'), s([3], 'a', 'b', 'c')], enc('')[0]), /shapes/);
});

test('the kernels run inside a TensorFlow.js graph model, as the worker loads them', async () => {
  await tf.setBackend('cpu');
  registerHostKernels();
  const b64 = (t: string): string => Buffer.from(t).toString('base64');
  const node = (name: string, op: string, input: string[], attr: Record<string, unknown>): Record<string, unknown> => ({ name, op, input, attr });
  const topology = {
    node: [
      node('x', 'Placeholder', [], { dtype: { type: 'DT_FLOAT' } }),
      node('ids', 'Placeholder', [], { dtype: { type: 'DT_INT64' } }),
      node('words', 'Placeholder', [], { dtype: { type: 'DT_STRING' } }),
      // The doc example of tf.strings.to_hash_bucket_fast: ["Hello", "TensorFlow", "2.x"], 3 → [0, 2, 2].
      node('fast', 'StringToHashBucketFast', ['words'], { num_buckets: { i: '3' } }),
      node('joined', 'StringJoin', ['words', 'words'], { N: { i: '2' }, separator: { s: b64('_Y_') } }),
      node('segments', 'Placeholder', [], { dtype: { type: 'DT_INT32' } }),
      node('three', 'Const', [], { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensorShape: {} } } }),
      node('unsorted', 'UnsortedSegmentSum', ['x_flat', 'segments', 'three'], { T: { type: 'DT_FLOAT' }, Tindices: { type: 'DT_INT32' }, Tnumsegments: { type: 'DT_INT32' } }),
      node('sorted', 'SegmentSum', ['x_flat', 'segments'], { T: { type: 'DT_FLOAT' }, Tindices: { type: 'DT_INT32' } }),
      node('x_flat', 'Placeholder', [], { dtype: { type: 'DT_FLOAT' } }),
      node('bucket', 'Bucketize', ['x'], { T: { type: 'DT_FLOAT' }, boundaries: { list: { f: [0, 10, 100] } } }),
      node('label', 'AsString', ['ids'], { T: { type: 'DT_INT64' }, width: { i: '3' }, fill: { s: b64('0') } }),
      node('checked', 'CheckNumerics', ['x'], { T: { type: 'DT_FLOAT' }, message: { s: b64('input x') } }),
      node('multiples', 'Const', [], { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '1' }] } } } }),
      node('labels', 'Tile', ['label', 'multiples'], { T: { type: 'DT_STRING' }, Tmultiples: { type: 'DT_INT32' } }),
      node('hashed', 'StringToHashBucketFast', ['label'], { num_buckets: { i: '7' } }),
      node('flat', 'Reshape', ['bucket', 'multiples'], { T: { type: 'DT_INT32' }, Tshape: { type: 'DT_INT32' } }),
      // Nine terms: summed in chunks (webgpu binds few buffers per shader).
      node('sum9', 'AddN', Array<string>(9).fill('x'), { T: { type: 'DT_FLOAT' }, N: { i: '9' } }),
    ],
    versions: { producer: 1 },
  };
  const model = await loadGraphModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: [{ name: 'multiples', shape: [1], dtype: 'int32' }, { name: 'three', shape: [], dtype: 'int32' }], weightData: Int32Array.from([2, 3]).buffer }));
  const feeds = { x: tf.tensor2d([[-5, 10000], [150, 10]]), ids: tf.tensor1d([1, 20], 'int32') };
  const [bucket, label] = await model.executeAsync(feeds, ['bucket', 'label']) as tf.Tensor[];
  assert.deepEqual({ shape: bucket.shape, dtype: bucket.dtype, v: [...await bucket.data()] }, { shape: [2, 2], dtype: 'int32', v: [0, 3, 3, 2] });
  assert.deepEqual((await label.bytes() as Uint8Array[]).map((b) => new TextDecoder().decode(b)), ['001', '020']);
  const labels = await model.executeAsync(feeds, ['labels']) as tf.Tensor;
  assert.deepEqual(dec(await labels.bytes() as Uint8Array[]), ['001', '020', '001', '020']);
  // Our StringToHashBucketFast (for webgpu) against tfjs's own cpu kernel, Fingerprint64 mod 7.
  const hashed = await model.executeAsync(feeds, ['hashed']) as tf.Tensor;
  assert.deepEqual([...await hashed.data()], [...await tf.string.stringToHashBucketFast(tf.tensor1d(['001', '020'], 'string'), 7).data()]);
  const flat = await model.executeAsync({ ...feeds, x: tf.tensor2d([[1], [2]]) }, ['flat']) as tf.Tensor;
  assert.deepEqual(flat.shape, [2]);
  const sum9 = await model.executeAsync(feeds, ['sum9']) as tf.Tensor;
  assert.deepEqual([...await sum9.data()], [-45, 90000, 1350, 90]);
  const words = tf.tensor1d(['Hello', 'TensorFlow', '2.x'], 'string');
  const [fast, joined] = await model.executeAsync({ words }, ['fast', 'joined']) as tf.Tensor[];
  assert.deepEqual([...await fast.data()], [0, 2, 2]);
  assert.deepEqual(dec(await joined.bytes() as Uint8Array[]), ['Hello_Y_Hello', 'TensorFlow_Y_TensorFlow', '2.x_Y_2.x']);
  // data [1, 2, 3, 4], ids [0, 2, 0, 2]: unsorted into 3 rows → [4, 0, 6]; sorted ids [0, 0, 1, 1] → [3, 7].
  const unsorted = await model.executeAsync({ x_flat: tf.tensor1d([1, 2, 3, 4]), segments: tf.tensor1d([0, 2, 0, 2], 'int32') }, ['unsorted']) as tf.Tensor;
  assert.deepEqual([...await unsorted.data()], [4, 0, 6]);
  const sorted = await model.executeAsync({ x_flat: tf.tensor1d([1, 2, 3, 4]), segments: tf.tensor1d([0, 0, 1, 1], 'int32') }, ['sorted']) as tf.Tensor;
  assert.deepEqual([...await sorted.data()], [3, 7]);
  await assert.rejects(model.executeAsync({ ...feeds, x: tf.tensor2d([[NaN, 1]]) }, ['checked']), /input x : Tensor had NaN values/);
});
