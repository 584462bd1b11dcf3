// export-serving: what the copy holds, what it leaves out, and that the source is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linearModel, encodeSavedModel, metaGraph, savedModel, placeholder, nodeDef } from '../../../server/src/core/savedmodel/modelBuilder';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { writeCheckpoint } from '../../../server/src/core/checkpoint/checkpointWriter';
import { planServingExport, keepMetaGraphs, ServingExportError } from '../../../server/src/core/export/servingExport';
import { decodeSavedModel } from '../../../server/src/core/savedmodel/savedModel';
import { listFiles } from '../../../server/src/core/savedmodel/modelDirectory';
import { tempDir, writeModel, load, io, FLOAT, runCli } from '../rules/helpers';

/** Path → sha256 of every file under dir: the tree's content, to prove it unchanged. */
function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(dir)) out[f.path] = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f.path))).digest('hex');
  return out;
}

function fullModel(): string {
  const spec = linearModel(1, 2);
  spec.assets = { 'vocab.txt': 'a\nb\n' };
  spec.extraFiles = {
    'assets.extra/tf_serving_warmup_requests': 'warmup',
    'fingerprint.pb': new Uint8Array([8, 1]),
    'explanation_metadata.json': '{"inputs": {}, "outputs": {}}',
    'debug/saved_model_debug_info.pb': 'debug',
    'keras_metadata.pb': 'keras',
    'events.out.tfevents.1.host': 'events',
    checkpoint: 'model_checkpoint_path: "ckpt-1"',
    'ckpt-1.index': 'x',
    'variables/checkpoint': 'x',
    'assets/.ipynb_checkpoints/vocab-checkpoint.txt': 'x',
  };
  return writeModel(spec);
}

const run = runCli;

test('copies exactly what prediction needs, leaves training artifacts and tooling files out, source untouched', () => {
  const src = fullModel();
  const before = treeHash(src);
  const out = path.join(tempDir(), 'serving');
  const r = run('export-serving', src, out);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(Object.keys(treeHash(out)).sort(), [
    'assets.extra/tf_serving_warmup_requests', 'assets/vocab.txt', 'explanation_metadata.json', 'fingerprint.pb', 'saved_model.pb',
    'variables/variables.data-00000-of-00001', 'variables/variables.index',
  ]);
  const copied = treeHash(out);
  for (const [p, h] of Object.entries(copied)) assert.equal(h, before[p], `${p} is a byte copy`);
  assert.deepEqual(treeHash(src), before);
  assert.match(r.stdout, /left out 7 file\(s\)/);
  assert.match(r.stdout, /events\.out\.tfevents\.1\.host/);
  assert.match(r.stdout, /Checked .*serving.*saved_model\.pb/);
  assert.match(r.stdout, /0 errors, 0 warnings, 0 info/);
});

test('a .pbtxt source becomes a binary saved_model.pb with the same content', () => {
  const spec = linearModel(1, 2);
  const src = tempDir();
  fs.writeFileSync(path.join(src, 'saved_model.pbtxt'), printText(encodeSavedModel(spec.model)));
  writeCheckpoint(path.join(src, 'variables'), spec.variables ?? []);
  const before = treeHash(src);
  const out = path.join(tempDir(), 'serving');
  assert.equal(run('export-serving', src, out).status, 0);
  assert.deepEqual(new Uint8Array(fs.readFileSync(path.join(out, 'saved_model.pb'))), encodeSavedModel(spec.model));
  assert.ok(!fs.existsSync(path.join(out, 'saved_model.pbtxt')));
  assert.deepEqual(treeHash(src), before);
});

test('a .pbtxt with syntax errors is not exported', () => {
  const src = tempDir();
  fs.writeFileSync(path.join(src, 'saved_model.pbtxt'), 'meta_graphs { meta_info_def { tags: "serve" }');
  const out = path.join(tempDir(), 'serving');
  const r = run('export-serving', src, out);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /syntax\/schema error/);
  assert.ok(!fs.existsSync(out));
});

test('never writes into a non-empty folder without --force; --force replaces it whole', () => {
  const src = fullModel();
  const out = tempDir();
  fs.writeFileSync(path.join(out, 'precious.txt'), 'keep me');
  const refused = run('export-serving', src, out);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /not empty; pass --force/);
  assert.deepEqual(fs.readdirSync(out), ['precious.txt']);
  assert.equal(run('export-serving', src, out, '--force').status, 0);
  assert.ok(!fs.existsSync(path.join(out, 'precious.txt')));
  assert.ok(fs.existsSync(path.join(out, 'saved_model.pb')));
  assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((n) => n.includes('.tmp-') || n.includes('.old-')), []);
});

test('an empty existing folder is fine; a folder inside the source or containing it is refused', () => {
  const src = fullModel();
  const before = treeHash(src);
  assert.equal(run('export-serving', src, tempDir()).status, 0);
  assert.match(run('export-serving', src, path.join(src, 'serving')).stderr, /inside the source model directory/);
  assert.match(run('export-serving', src, path.dirname(src), '--force').stderr, /contains the source model directory/);
  assert.deepEqual(treeHash(src), before);
});

const nodes = [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Identity', ['x'], { T: FLOAT })];

test('--serve-only drops meta graphs without the serve tag by copying the kept bytes', () => {
  const model = savedModel([
    metaGraph({ tags: ['train'], nodes, signatures: { t: io() } }),
    metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io() } }),
    metaGraph({ tags: ['serve', 'gpu'], nodes, signatures: { serving_default: io() } }),
  ]);
  const src = writeModel({ model, extraFiles: { 'fingerprint.pb': new Uint8Array([8, 1]) } });
  const before = treeHash(src);
  const all = path.join(tempDir(), 'all');
  assert.equal(run('export-serving', src, all).status, 0);
  assert.equal(decodeSavedModel(fs.readFileSync(path.join(all, 'saved_model.pb'))).metaGraphs.length, 3, 'kept without --serve-only');
  const out = path.join(tempDir(), 'serve');
  const r = run('export-serving', src, out, '--serve-only');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /dropped meta graph\(s\) without the serve tag: 0/);
  const kept = decodeSavedModel(fs.readFileSync(path.join(out, 'saved_model.pb')));
  assert.deepEqual(kept.metaGraphs.map((mg) => mg.tags), [['serve'], ['serve', 'gpu']]);
  assert.ok(!fs.existsSync(path.join(out, 'fingerprint.pb')), 'the fingerprint describes the original file');
  assert.deepEqual(treeHash(src), before);
});

test('keepMetaGraphs: the result is the original bytes minus the dropped meta graph fields', () => {
  const mgs = [['a'], ['serve'], ['b']].map((tags) => metaGraph({ tags, nodes, signatures: { s: io() } }));
  const bytes = encodeSavedModel(savedModel(mgs));
  assert.deepEqual(keepMetaGraphs(bytes, new Set([1])), encodeSavedModel(savedModel([mgs[1]])));
  assert.deepEqual(keepMetaGraphs(bytes, new Set([0, 1, 2])), bytes);
});

test('--serve-only with no serve meta graph writes nothing', () => {
  const src = writeModel({ model: savedModel([metaGraph({ tags: ['train'], nodes, signatures: {} })]) });
  assert.throws(() => planServingExport(load(src), { serveOnly: true }), ServingExportError);
  const out = path.join(tempDir(), 'x');
  assert.equal(run('export-serving', src, out, '--serve-only').status, 2);
  assert.ok(!fs.existsSync(out));
});

test('the copy is re-checked: errors in it give exit 1 and are reported', () => {
  const spec = linearModel(1, 2);
  const src = writeModel({ ...spec, variables: undefined });
  const out = path.join(tempDir(), 'serving');
  const r = run('export-serving', src, out);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /\[variables-missing\]/);
});
