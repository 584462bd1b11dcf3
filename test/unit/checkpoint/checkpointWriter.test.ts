import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointIndex, loadVariablesDir, readCheckpointIndex, readTensorBytes } from '../../../server/src/core/checkpoint/checkpointIndex';
import { decodeStringTensor, elementCount } from '../../../server/src/core/checkpoint/stringTensor';
import { CheckpointTensor, encodeCheckpoint, writeCheckpoint } from '../../../server/src/core/checkpoint/checkpointWriter';
import { dtypeByteSize } from '../../../server/src/core/dtype';
import { readTable } from '../../../server/src/core/checkpoint/leveldbTable';
import { snappyDecompress } from '../../../server/src/core/checkpoint/snappy';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { corpusIndexDirs, firstDataBlock, randomBytes, tmpDir } from './corpusVariables';
import { mulberry32 } from '../../../server/src/core/prng';

const enc = new TextEncoder();
const f32 = (v: number): Uint8Array => new Uint8Array(Float32Array.of(v).buffer);

/** The tensors of a corpus checkpoint, in the order TensorFlow wrote them into the shard. */
function tensorsOf(dir: string, index: CheckpointIndex): CheckpointTensor[] {
  return [...index.entries].sort((a, b) => a.offset - b.offset).map((e) => {
    const data = readTensorBytes(dir, index, e.name);
    const strings = e.dtype === 'DT_STRING' ? decodeStringTensor(data, elementCount(e.shape)).strings : undefined;
    return { name: e.name, dtype: e.dtype, shape: e.shape, data: strings ? new Uint8Array(0) : data, strings };
  });
}

test('writing half_plus_two\'s a, b, c reproduces TensorFlow\'s files byte for byte', { skip: corpusMissing() }, () => {
  const dir = path.join(CORPUS_DIR, 'tf-half_plus_two', 'variables');
  const { index, shards } = encodeCheckpoint([
    { name: 'a', dtype: 'float32', shape: [], data: f32(0.5) },
    { name: 'b', dtype: 'float32', shape: [], data: f32(2) },
    { name: 'c', dtype: 'DT_FLOAT', shape: [], data: f32(3) },
  ]);
  assert.deepEqual(index, new Uint8Array(fs.readFileSync(path.join(dir, 'variables.index'))));
  assert.deepEqual(shards, [new Uint8Array(fs.readFileSync(path.join(dir, 'variables.data-00000-of-00001')))]);
});

test('rewriting every corpus checkpoint reproduces its data shard and its index (blocks identical once decompressed)', { skip: corpusMissing() }, (t) => {
  for (const [name, dir] of corpusIndexDirs()) {
    const original = new Uint8Array(fs.readFileSync(path.join(dir, 'variables.index')));
    const tensors = tensorsOf(dir, readCheckpointIndex(original));
    const h = firstDataBlock(original);
    const compressed = original[h.offset + h.size] === 1;
    const plain = encodeCheckpoint(tensors);
    assert.deepEqual(plain.shards, [new Uint8Array(fs.readFileSync(path.join(dir, 'variables.data-00000-of-00001')))], name);
    if (compressed) {
      // Our snappy encoder is not Google's, so compare what the blocks hold.
      const ours = firstDataBlock(plain.index);
      assert.deepEqual(plain.index.subarray(ours.offset, ours.offset + ours.size), snappyDecompress(original.subarray(h.offset, h.offset + h.size)), name);
      const repacked = encodeCheckpoint(tensors, { compress: true }).index;
      assert.deepEqual(readTable(repacked).map((e) => [e.key, e.value]), readTable(original).map((e) => [e.key, e.value]), name);
    } else {
      assert.deepEqual(plain.index, original, name);
    }
    t.diagnostic(`${name}: ${tensors.length} tensors, index ${compressed ? 'snappy' : 'uncompressed'}, identical`);
  }
});

function sampleTensors(): CheckpointTensor[] {
  const rand = mulberry32(5);
  const fixed = (name: string, dtype: string, shape: number[]): CheckpointTensor => {
    const n = shape.reduce((a, d) => a * d, 1) * (dtypeByteSize(dtype) ?? 0);
    return { name, dtype, shape, data: randomBytes(rand, n) };
  };
  return [
    fixed('dense/kernel', 'float32', [7, 5]),
    fixed('dense/bias', 'DT_FLOAT', [5]),
    fixed('step', 'int64', []),
    fixed('mask', 'bool', [3, 2]),
    fixed('half', 'float16', [4]),
    fixed('pixels', 'uint8', [2, 2, 3]),
    fixed('z', 'complex64', [2]),
    fixed('d', 'float64', [3]),
    fixed('empty', 'float32', [0, 4]),
    { name: 'vocab', dtype: 'string', shape: [3], data: new Uint8Array(0), strings: [enc.encode('hello'), new Uint8Array(0), randomBytes(rand, 300)] },
    { name: 'word', dtype: 'DT_STRING', shape: [], data: new Uint8Array(0), strings: [enc.encode('x')] },
    { name: '\u{ff5e}', dtype: 'int8', shape: [1], data: Uint8Array.of(1) }, // UTF-8 order differs from UTF-16 order for these two
    { name: '\u{1f600}', dtype: 'int8', shape: [1], data: Uint8Array.of(2) },
  ];
}

for (const numShards of [1, 3, 20]) {
  for (const compress of [false, true]) {
    test(`round trip: ${numShards} shard(s), ${compress ? 'snappy' : 'uncompressed'} index`, () => {
      const dir = tmpDir('roundtrip');
      try {
        const tensors = sampleTensors();
        writeCheckpoint(dir, tensors, { numShards, compress });
        const state = loadVariablesDir(dir);
        assert.equal(state.kind, 'v2');
        if (state.kind !== 'v2') return;
        const { index } = state;
        assert.deepEqual(state.missingShards, []);
        assert.equal(index.header.numShards, numShards);
        for (let i = 0; i < numShards; i++) {
          assert.ok(fs.existsSync(path.join(dir, `variables.data-${String(i).padStart(5, '0')}-of-${String(numShards).padStart(5, '0')}`)));
        }
        assert.deepEqual(index.entries.map((e) => e.name), ['d', 'dense/bias', 'dense/kernel', 'empty', 'half', 'mask', 'pixels', 'step', 'vocab', 'word', 'z', '\u{ff5e}', '\u{1f600}']);
        assert.equal(new Set(index.entries.map((e) => e.shardId)).size, Math.min(numShards, tensors.length));
        for (const t of tensors) {
          const e = index.entries.find((x) => x.name === t.name);
          assert.ok(e, t.name);
          assert.deepEqual(e.shape, t.shape);
          const data = readTensorBytes(dir, index, t.name);
          if (t.strings) assert.deepEqual(decodeStringTensor(data, t.strings.length).strings, t.strings);
          else assert.deepEqual(data, t.data, t.name);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

test('round trip of 400 tensors through a many-block index', () => {
  const rand = mulberry32(9);
  const tensors: CheckpointTensor[] = Array.from({ length: 400 }, (_, i) => ({
    name: `model/layer_${i % 37}/var_${i}/.ATTRIBUTES/VARIABLE_VALUE`, dtype: 'float32', shape: [i % 5], data: randomBytes(rand, 4 * (i % 5)),
  }));
  for (const compress of [false, true]) {
    const { index, shards } = encodeCheckpoint(tensors, { compress, blockSize: 512, numShards: 2 });
    const parsed = readCheckpointIndex(index);
    assert.equal(parsed.entries.length, 400);
    for (const e of parsed.entries) {
      const t = tensors.find((x) => x.name === e.name);
      assert.ok(t);
      assert.deepEqual(shards[e.shardId].subarray(e.offset, e.offset + e.size), t.data);
    }
  }
});

test('writer rejects what TensorFlow could not have written', () => {
  const ok: CheckpointTensor = { name: 'a', dtype: 'float32', shape: [2], data: new Uint8Array(8) };
  const bad: Array<[string, CheckpointTensor[], RegExp]> = [
    ['duplicate', [ok, { ...ok }], /duplicate tensor name "a"/],
    ['empty name', [{ ...ok, name: '' }], /cannot be empty/],
    ['wrong size', [{ ...ok, data: new Uint8Array(7) }], /7 data bytes, but float32 \[2\] takes 8/],
    ['unknown dtype', [{ ...ok, dtype: 'float33' }], /unknown dtype/],
    ['strings count', [{ name: 's', dtype: 'string', shape: [2], data: new Uint8Array(0), strings: [new Uint8Array(0)] }], /needs 2/],
    ['variant', [{ name: 'v', dtype: 'variant', shape: [], data: new Uint8Array(0) }], /not supported/],
    ['negative dim', [{ ...ok, shape: [-1] }], /invalid shape/],
  ];
  for (const [what, tensors, re] of bad) assert.throws(() => encodeCheckpoint(tensors), re, what);
  assert.throws(() => encodeCheckpoint([ok], { numShards: 0 }), /numShards/);
});
