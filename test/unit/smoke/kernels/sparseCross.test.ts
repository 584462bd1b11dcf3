// Feature crosses against TensorFlow's documented semantics (tf.sparse.cross's doc example, worked
// by hand). Hashed crosses are checked against the composition the docs and the kernel state
// (FingerprintCat64 over the values' Fingerprint64), not against numbers TensorFlow computed, which
// cannot be had here; Fingerprint64 itself is checked with tf.strings.to_hash_bucket_fast's doc example.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { crossHashed, crossStrings, fingerprint64, fingerprintCat64 } from '../../../../server/src/core/smoke/kernels/sparseCross';
import { registerHostKernels } from '../../../../server/src/core/smoke/kernels/register';
import { sipHash24 } from '../../../../server/src/core/smoke/kernels/hashing';

const enc = (...s: string[]): Uint8Array[] => s.map((x) => new TextEncoder().encode(x));
const dec = (v: readonly Uint8Array[]): string[] => v.map((b) => new TextDecoder().decode(b));

// inputs[0] sparse [2, 2]: [0,0] a, [1,0] b, [1,1] c; inputs[1] sparse [2, 1]: d, e; inputs[2] dense [["f"], ["g"]].
const DOC_COLUMNS = [[enc('a'), enc('b', 'c')], [enc('d'), enc('e')], [enc('f'), enc('g')]];

test('string crosses: every combination per example, the last column fastest, joined with _X_ (tf.sparse.cross doc example)', () => {
  const c = crossStrings(DOC_COLUMNS, 2);
  assert.deepEqual(c.indices, [0, 0, 1, 0, 1, 1]);
  assert.deepEqual(dec(c.values), ['a_X_d_X_f', 'b_X_e_X_g', 'c_X_e_X_g']);
  assert.deepEqual(c.shape, [2, 2]);
  // An example with no value in some column has no crosses.
  const gap = crossStrings([[enc('a'), []], [enc('x'), enc('y')]], 2);
  assert.deepEqual([gap.indices, dec(gap.values), gap.shape], [[0, 0], ['a_X_x'], [2, 1]]);
  assert.deepEqual(dec(crossStrings([[[1, 2]], [enc('z')]], 1).values), ['1_X_z', '2_X_z']);
});

test('hashed crosses follow FingerprintCat64 over the values\' fingerprints (int64 values as they are)', () => {
  // Fingerprint64 as TensorFlow's: to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3) = [0, 2, 2].
  assert.deepEqual(enc('Hello', 'TensorFlow', '2.x').map((b) => Number(fingerprint64(b) % 3n)), [0, 2, 2]);
  const key = 0xdecafcaffen;
  const fp = (s: string): bigint => fingerprint64(enc(s)[0]);
  const h = crossHashed(DOC_COLUMNS, 2, 1000, { key });
  assert.deepEqual(h.indices, [0, 0, 1, 0, 1, 1]);
  assert.equal(h.values[0], fingerprintCat64(fingerprintCat64(fingerprintCat64(key, fp('a')), fp('d')), fp('f')) % 1000n);
  assert.equal(h.values[2], fingerprintCat64(fingerprintCat64(fingerprintCat64(key, fp('c')), fp('e')), fp('g')) % 1000n);
  const ints = crossHashed([[[7]], [[-1]]], 1, 0, { key });
  assert.equal(ints.values[0], fingerprintCat64(fingerprintCat64(key, 7n), (1n << 64n) - 1n) % ((1n << 63n) - 1n));
  // SparseCrossHashed: no key, seeded with the first value's hash; an int64 hashed as its first 4 little-endian bytes.
  const max = (1n << 63n) - 1n;
  assert.equal(crossHashed(DOC_COLUMNS, 2, 0, { keyed: true }).values[1], fingerprintCat64(fingerprintCat64(fp('b'), fp('e')), fp('g')) % max);
  const four = (v: number): Uint8Array => new Uint8Array(new BigInt64Array([BigInt(v)]).buffer, 0, 4);
  assert.equal(crossHashed([[[7]], [enc('z')]], 1, 0, { keyed: true }).values[0], fingerprintCat64(fingerprint64(four(7)), fp('z')) % max);
  // strong_hash: SipHash-2-4 under the salt instead of Fingerprint64.
  const sip = (b: Uint8Array): bigint => sipHash24(1n, 2n, b);
  assert.equal(crossHashed([[[7]], [enc('z')]], 1, 10, { keyed: true, salt: [1n, 2n] }).values[0], fingerprintCat64(sip(four(7)), sip(enc('z')[0])) % 10n);
  // FingerprintCat64 mixes: it is neither constant nor symmetric.
  assert.notEqual(fingerprintCat64(1n, 2n), fingerprintCat64(2n, 1n));
});

test('SparseCross runs as a custom op in a graph model (the doc example through the executor)', async () => {
  await tf.setBackend('cpu');
  registerHostKernels();
  const ph = (name: string, type: string): Record<string, unknown> => ({ name, op: 'Placeholder', input: [], attr: { dtype: { type } } });
  const topology = {
    node: [
      ph('i0', 'DT_INT64'), ph('v0', 'DT_STRING'), ph('s0', 'DT_INT64'), ph('i1', 'DT_INT64'), ph('v1', 'DT_STRING'), ph('s1', 'DT_INT64'), ph('d2', 'DT_STRING'),
      { name: 'cross', op: 'SparseCross', input: ['i0', 'i1', 'v0', 'v1', 's0', 's1', 'd2'], attr: {
        N: { i: '2' }, hashed_output: { b: false }, num_buckets: { i: '0' }, hash_key: { i: '0' },
        sparse_types: { list: { type: ['DT_STRING', 'DT_STRING'] } }, dense_types: { list: { type: ['DT_STRING'] } },
        out_type: { type: 'DT_STRING' }, internal_type: { type: 'DT_STRING' },
      } },
    ],
    versions: { producer: 1 },
  };
  const model = await loadGraphModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: [], weightData: new ArrayBuffer(0) }));
  const feeds = {
    i0: tf.tensor2d([[0, 0], [1, 0], [1, 1]], [3, 2], 'int32'), v0: tf.tensor1d(['a', 'b', 'c'], 'string'), s0: tf.tensor1d([2, 2], 'int32'),
    i1: tf.tensor2d([[0, 0], [1, 0]], [2, 2], 'int32'), v1: tf.tensor1d(['d', 'e'], 'string'), s1: tf.tensor1d([2, 1], 'int32'),
    d2: tf.tensor2d([['f'], ['g']], [2, 1], 'string'),
  };
  const [indices, values, shape] = await model.executeAsync(feeds, ['cross:0', 'cross:1', 'cross:2']) as tf.Tensor[];
  assert.deepEqual([...await indices.data()], [0, 0, 1, 0, 1, 1]);
  assert.deepEqual(dec(await values.bytes() as Uint8Array[]), ['a_X_d_X_f', 'b_X_e_X_g', 'c_X_e_X_g']);
  assert.deepEqual([...await shape.data()], [2, 2]);
});
