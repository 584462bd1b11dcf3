// variables-corrupt and the checksums behind it: a flipped byte in a data shard is found by
// `check --verify-data` and named by variable; a cut shard by every check; the smoke test refuses
// the corrupt weights; every corpus checkpoint verifies clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linearModel, float32Bytes } from '../../../server/src/core/savedmodel/modelBuilder';
import { writeCheckpoint } from '../../../server/src/core/checkpoint/checkpointWriter';
import { loadVariablesDir } from '../../../server/src/core/checkpoint/checkpointIndex';
import { verifyCheckpointData, shardLengthFaults } from '../../../server/src/core/checkpoint/verifyCheckpoint';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { checkDir, only, writeModel } from './helpers';
import { runBuiltin } from '../smoke/runHelpers';
import { main } from '../../../server/src/cli/main';

const SHARD = 'variables/variables.data-00000-of-00001';

/** linearModel with its data shard's byte `at` flipped (a = bytes 0..3, b = bytes 4..7). */
function flipped(at: number): string {
  const dir = writeModel(linearModel(2, 3));
  const file = path.join(dir, SHARD);
  const bytes = fs.readFileSync(file);
  bytes[at] ^= 0x40;
  fs.writeFileSync(file, bytes);
  return dir;
}

test('variables-corrupt: a flipped byte is found with verifyData and names the variable', () => {
  const dir = flipped(5);
  const f = only(checkDir(dir, { options: { machineType: 'mls1', verifyData: true } }), 'variables-corrupt');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.match(f[0].message, /^Variable 'b' in variables\/variables\.data-00000-of-00001 is corrupt: checksum mismatch/);
  assert.deepEqual(f[0].location, { kind: 'file', path: SHARD });
});

test('variables-corrupt: without verifyData the shard is not read, so a flipped byte passes (check stays fast)', () => {
  assert.deepEqual(only(checkDir(flipped(1)), 'variables-corrupt'), []);
});

test('variables-corrupt: a cut shard is found by every check, naming each variable past the cut', () => {
  const dir = writeModel(linearModel(2, 3));
  fs.truncateSync(path.join(dir, SHARD), 2);
  const f = only(checkDir(dir), 'variables-corrupt');
  assert.deepEqual(f.map((x) => x.message.match(/^Variable '(\w+)'/)?.[1]), ['a', 'b']);
  assert.match(f[0].message, /stored at bytes \[0, 4\) of a shard of 2 bytes/);
});

test('variables-corrupt: a size that does not match dtype and shape is found with verifyData', () => {
  const spec = linearModel(2, 3);
  const dir = writeModel({ ...spec, variables: undefined });
  // The writer refuses a size that does not match the shape, so the entry's shape is changed after reading.
  writeCheckpoint(path.join(dir, 'variables'), [
    { name: 'a', dtype: 'float32', shape: [], data: float32Bytes([2]) },
    { name: 'b', dtype: 'float32', shape: [2], data: float32Bytes([3, 4]) },
  ]);
  const state = loadVariablesDir(path.join(dir, 'variables'));
  assert.equal(state.kind, 'v2');
  if (state.kind !== 'v2') return;
  const b = state.index.entries.find((e) => e.name === 'b');
  assert.ok(b);
  const index = { ...state.index, entries: state.index.entries.map((e) => (e === b ? { ...e, shape: [3] } : e)) };
  const faults = verifyCheckpointData(path.join(dir, 'variables'), index);
  assert.deepEqual(faults.map((x) => x.name), ['b']);
  assert.match(faults[0].message, /stored size 8 bytes, but DT_FLOAT \[3\] takes 12/);
});

test('variables-corrupt: quiet on an intact checkpoint, with and without verifyData', () => {
  const dir = writeModel(linearModel(2, 3));
  assert.deepEqual(only(checkDir(dir), 'variables-corrupt'), []);
  assert.deepEqual(only(checkDir(dir, { options: { machineType: 'mls1', verifyData: true } }), 'variables-corrupt'), []);
});

test('variables-corrupt: a damaged TF2 object graph entry is found without verifyData (check reads it anyway)', { skip: corpusMissing() }, () => {
  const dir = writeModel(linearModel(1, 1));
  fs.rmSync(dir, { recursive: true });
  fs.cpSync(path.join(CORPUS_DIR, 'tfjs-times_three_float'), dir, { recursive: true });
  const state = loadVariablesDir(path.join(dir, 'variables'));
  assert.equal(state.kind, 'v2');
  if (state.kind !== 'v2') return;
  const graph = state.index.entries.find((e) => e.name === '_CHECKPOINTABLE_OBJECT_GRAPH');
  assert.ok(graph);
  const file = path.join(dir, SHARD);
  const bytes = fs.readFileSync(file);
  bytes[graph.offset + graph.size - 1] ^= 1;
  fs.writeFileSync(file, bytes);
  const f = only(checkDir(dir), 'variables-corrupt');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /^The object graph entry '_CHECKPOINTABLE_OBJECT_GRAPH' in variables\/variables\.data-00000-of-00001 is corrupt: /);
});

test('every corpus checkpoint verifies clean entry by entry', { skip: corpusMissing() }, () => {
  let verified = 0;
  for (const name of fs.readdirSync(CORPUS_DIR)) {
    for (const variables of [path.join(CORPUS_DIR, name, 'variables'), ...versionDirs(path.join(CORPUS_DIR, name))]) {
      const state = loadVariablesDir(variables);
      if (state.kind !== 'v2') continue;
      assert.deepEqual(verifyCheckpointData(variables, state.index), [], variables);
      assert.deepEqual(shardLengthFaults(variables, state.index), [], variables);
      verified++;
    }
  }
  assert.ok(verified >= 10, `${verified} checkpoints`);
});

function versionDirs(dir: string): string[] {
  if (!fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir).filter((d) => /^\d+$/.test(d)).map((d) => path.join(dir, d, 'variables'));
}

test('check --verify-data exits 1 on a corrupt shard and 0 without the flag', () => {
  const dir = flipped(0);
  const out = captured(() => main(['check', dir, '--verify-data']));
  assert.equal(out.code, 1);
  assert.match(out.stdout, /variables-corrupt/);
  assert.match(out.stdout, /Variable 'a'/);
  assert.equal(captured(() => main(['check', dir])).code, 0);
});

test('export-serving verifies its copy entry by entry: a corrupt shard makes it exit 1', () => {
  const dir = flipped(6);
  const out = path.join(dir, '..', `${path.basename(dir)}-serving`);
  const r = captured(() => main(['export-serving', dir, out]));
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Variable 'b' in variables\/variables\.data-00000-of-00001 is corrupt: checksum mismatch.*\[variables-corrupt\]/);
});

test('the smoke test refuses corrupt weights, naming the variable', async () => {
  const r = await runBuiltin(flipped(2), '{"instances": [[1.0]]}');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.match(r.message, /"a".*checksum mismatch/);
});

function captured(run: () => number): { code: number; stdout: string } {
  const write = process.stdout.write.bind(process.stdout);
  let stdout = '';
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: run(), stdout };
  } finally {
    process.stdout.write = write;
  }
}
