// The reader against the real TensorFlow checkpoints of the corpus, with protoc as the oracle for
// the entry protos and the object graph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  OBJECT_GRAPH_KEY, findEntry, loadVariablesDir, readCheckpointIndex, readObjectGraphBytes, readTensorBytes,
} from '../../../server/src/core/checkpoint/checkpointIndex';
import { CheckpointError } from '../../../server/src/core/checkpoint/checkpointError';
import { crc32c, maskCrc } from '../../../server/src/core/checkpoint/crc32c';
import { readTable } from '../../../server/src/core/checkpoint/leveldbTable';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { corpusIndexDirs, corpusVariableDirs, float32Of, tmpDir } from './corpusVariables';

const skipCorpus = { skip: corpusMissing() };
const skipProtoc = { skip: corpusMissing() ?? protocMissing() };
const indexOf = (dir: string): Uint8Array => fs.readFileSync(path.join(dir, 'variables.index'));

test('every variables/variables.index in the corpus parses', skipCorpus, (t) => {
  const dirs = corpusIndexDirs();
  assert.ok(dirs.length >= 25, `found ${dirs.length} index files`);
  for (const [name, dir] of dirs) {
    const index = readCheckpointIndex(indexOf(dir));
    assert.equal(index.header.numShards, 1, name);
    assert.equal(index.header.endianness, 'LITTLE', name);
    assert.equal(index.header.version.producer, 1, name);
    t.diagnostic(`${name}: ${index.entries.length} tensors`);
    for (const e of index.entries) t.diagnostic(`  ${e.name} ${e.dtype} [${e.shape.join(', ')}] shard ${e.shardId} @${e.offset} ${e.size} B`);
    const names = index.entries.map((e) => e.name);
    assert.deepEqual(names, [...names].sort(), `${name}: entries in key order`);
  }
});

test('entries agree with protoc decoding the same BundleEntryProto bytes', skipProtoc, () => {
  for (const [name, dir] of corpusIndexDirs()) {
    const bytes = indexOf(dir);
    const raw = readTable(bytes).slice(1);
    const index = readCheckpointIndex(bytes);
    raw.forEach((r, i) => {
      const out = protocDecode(r.value, 'tensorflow.BundleEntryProto');
      assert.ok(out.ok, out.stderr);
      const text = out.stdout.toString();
      // Top-level fields are the unindented lines; proto3 leaves zeros out.
      const top = (field: string): number => Number(new RegExp(`^${field}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      const e = index.entries[i];
      assert.equal(e.dtype, /^dtype: (\w+)$/m.exec(text)?.[1], `${name} ${e.name}`);
      assert.deepEqual(e.shape, [...text.matchAll(/^ {4}size: (\d+)$/gm)].map((m) => Number(m[1])), `${name} ${e.name} shape`);
      assert.equal(e.offset, top('offset'));
      assert.equal(e.size, top('size'));
      assert.equal(e.shardId, top('shard_id'));
      assert.equal(e.crc32c, top('crc32c'));
    });
  }
});

test('every tensor of every corpus checkpoint reads back with its checksum verified', skipCorpus, () => {
  let tensors = 0;
  for (const [name, dir] of corpusIndexDirs()) {
    const index = readCheckpointIndex(indexOf(dir));
    for (const e of index.entries) {
      const data = readTensorBytes(dir, index, e.name);
      assert.equal(data.length, e.size, `${name} ${e.name}`);
      // Independent of the reader's own check: fixed-size data is CRC'd as is.
      if (e.dtype !== 'DT_STRING') assert.equal(maskCrc(crc32c(data)), e.crc32c, `${name} ${e.name}`);
      tensors++;
    }
  }
  assert.ok(tensors > 100);
});

const HALF_PLUS_TWO = [
  'tf-half_plus_two', 'tf-half_plus_two_main_op', 'tf-half_plus_two_pbtxt', 'tf-half_plus_two_v2',
  'serving-half_plus_two_2_versions/00000123', 'serving-half_plus_two_2_versions/00000124', 'serving-half_plus_two_cpu',
  'serving-half_plus_two_cpu_with_saved_model_config', 'serving-half_plus_two_regress_only', 'serving-half_plus_two_tf2_cpu',
];

test('half_plus_two models: a = 0.5, b = 2.0, c = 3.0 (float32 scalars) read from the data shard', skipCorpus, () => {
  for (const model of HALF_PLUS_TWO) {
    const dir = path.join(CORPUS_DIR, model, 'variables');
    const index = readCheckpointIndex(indexOf(dir));
    // TF1 savers key variables by op name; TF2 object-based saving by path + /.ATTRIBUTES/VARIABLE_VALUE.
    const tf2 = index.entries.some((e) => e.name === OBJECT_GRAPH_KEY);
    const key = (v: string): string => (tf2 ? `${v}/.ATTRIBUTES/VARIABLE_VALUE` : v);
    for (const [v, expected] of [['a', 0.5], ['b', 2], ['c', 3]] as const) {
      const e = findEntry(index, key(v));
      assert.equal(e.dtype, 'DT_FLOAT');
      assert.deepEqual(e.shape, []);
      assert.deepEqual(float32Of(readTensorBytes(dir, index, key(v))), [expected], `${model} ${v}`);
    }
  }
});

test('TF2 checkpoints: _CHECKPOINTABLE_OBJECT_GRAPH is a TrackableObjectGraph naming every other entry', skipProtoc, () => {
  const tf2 = ['serving-half_plus_two_tf2_cpu', 'tf-VarsAndArithmeticObjectGraph', 'tf-CyclicModule', 'tfx-taxi_keras_serving', 'tfjs-int64_multiply', 'examples-saved_model_v2_mini'];
  for (const model of tf2) {
    const dir = path.join(CORPUS_DIR, model, 'variables');
    const index = readCheckpointIndex(indexOf(dir));
    assert.ok(index.entries.some((e) => e.name === OBJECT_GRAPH_KEY), model);
    const graph = readObjectGraphBytes(dir, index);
    assert.ok(graph && graph.length > 0, model);
    const out = protocDecode(graph, 'tensorflow.TrackableObjectGraph');
    assert.ok(out.ok, `${model}: ${out.stderr}`);
    const keys = [...out.stdout.toString().matchAll(/checkpoint_key: "([^"]*)"/g)].map((m) => m[1]).sort();
    const names = index.entries.map((e) => e.name).filter((n) => n !== OBJECT_GRAPH_KEY).sort();
    assert.deepEqual(keys, names, model);
  }
  // TF1 checkpoints have none.
  const tf1 = path.join(CORPUS_DIR, 'tf-half_plus_two', 'variables');
  assert.equal(readObjectGraphBytes(tf1, readCheckpointIndex(indexOf(tf1))), undefined);
});

test('the 2016 V1 checkpoint is recognized as v1, every V2 folder as v2', skipCorpus, () => {
  for (const [name, dir] of corpusVariableDirs()) {
    const state = loadVariablesDir(dir);
    if (name.startsWith('tf-legacy2016')) {
      assert.equal(state.kind, 'v1', name);
      if (state.kind === 'v1') {
        assert.equal(state.path, path.join(dir, 'variables'));
        assert.match(state.message, /V1/);
      }
    } else {
      assert.equal(state.kind, 'v2', name);
      if (state.kind === 'v2') assert.deepEqual(state.missingShards, [], name);
    }
  }
  // The V1 file is a table too, but not a tensor bundle: the index reader must say so cleanly.
  const v1 = fs.readFileSync(path.join(CORPUS_DIR, 'tf-legacy2016_half_plus_two_v1ckpt', 'variables', 'variables'));
  assert.throws(() => readCheckpointIndex(v1), CheckpointError);
});

test('missing shard, damaged data, absent and odd folders', skipCorpus, () => {
  const src = path.join(CORPUS_DIR, 'tf-half_plus_two', 'variables');
  const dir = tmpDir('missing');
  try {
    fs.copyFileSync(path.join(src, 'variables.index'), path.join(dir, 'variables.index'));
    const state = loadVariablesDir(dir);
    assert.equal(state.kind, 'v2');
    if (state.kind !== 'v2') return;
    assert.deepEqual(state.missingShards, ['variables.data-00000-of-00001']);
    assert.throws(() => readTensorBytes(dir, state.index, 'a'), /cannot open data shard variables.data-00000-of-00001/);

    const data = fs.readFileSync(path.join(src, 'variables.data-00000-of-00001'));
    data[5] ^= 1; // inside b
    fs.writeFileSync(path.join(dir, 'variables.data-00000-of-00001'), data);
    assert.deepEqual(float32Of(readTensorBytes(dir, state.index, 'a')), [0.5]);
    assert.throws(() => readTensorBytes(dir, state.index, 'b'), (e: unknown) => e instanceof CheckpointError && /checksum mismatch/.test(e.message));
    fs.writeFileSync(path.join(dir, 'variables.data-00000-of-00001'), data.subarray(0, 10));
    assert.throws(() => readTensorBytes(dir, state.index, 'c'), /is 10 bytes, but a tensor is stored at \[8, 12\)/);
    assert.throws(() => readTensorBytes(dir, state.index, 'nope'), /not in the checkpoint/);

    fs.writeFileSync(path.join(dir, 'variables.index'), indexOf(src).subarray(0, 60));
    const broken = loadVariablesDir(dir);
    assert.equal(broken.kind, 'error');
    fs.rmSync(path.join(dir, 'variables.index'));
    const orphan = loadVariablesDir(dir);
    assert.equal(orphan.kind, 'error');
    if (orphan.kind === 'error') assert.match(orphan.message, /variables.index is missing/);
    fs.rmSync(path.join(dir, 'variables.data-00000-of-00001'));
    assert.equal(loadVariablesDir(dir).kind, 'none');
    assert.equal(loadVariablesDir(path.join(dir, 'no-such-folder')).kind, 'none');
    fs.writeFileSync(path.join(dir, 'model.ckpt'), 'not a table');
    const v1 = loadVariablesDir(dir);
    assert.equal(v1.kind, 'v1');
    if (v1.kind === 'v1') assert.match(v1.message, /not a readable table/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
