// The typed model on real SavedModels written by TensorFlow, and on ones we build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { decodeSavedModel, formatShape } from '../../../server/src/core/savedmodel/savedModel';
import { loadModel } from '../../../server/src/core/savedmodel/loadModel';
import { locateModel } from '../../../server/src/core/savedmodel/modelDirectory';
import { encodeSavedModel, linearModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

const corpus = (name: string): string => path.join(CORPUS_DIR, name);

test('TF1 half_plus_two: tags, signatures, methods, tensors', { skip: corpusMissing() }, () => {
  const doc = decodeSavedModel(fs.readFileSync(path.join(corpus('tf-half_plus_two'), 'saved_model.pb')));
  assert.equal(doc.metaGraphs.length, 1);
  const mg = doc.metaGraphs[0];
  assert.deepEqual(mg.tags, ['serve']);
  assert.equal(mg.tensorflowVersion, '1.1.0-rc2');
  const sig = mg.signatures.find((s) => s.key === 'serving_default');
  assert.ok(sig);
  assert.equal(sig.method, 'tensorflow/serving/predict');
  assert.deepEqual(sig.inputs.map((t) => [t.key, t.name, t.dtype, formatShape(t.shape)]), [['x', 'x:0', 'DT_FLOAT', '(-1, 1)']]);
  assert.deepEqual(sig.outputs.map((t) => [t.key, t.name]), [['y', 'y:0']]);
  // In this Estimator-style export x comes out of tf.Example parsing through an Identity.
  assert.equal(mg.graph.ops[mg.graph.indexOf('x')], 'Identity');
  assert.deepEqual(mg.graph.inputs(mg.graph.indexOf('y')), ['Mul', 'b/read']);
});

test('TF2 model: functions, object graph and init-op signature', { skip: corpusMissing() }, () => {
  const doc = decodeSavedModel(fs.readFileSync(path.join(corpus('serving-half_plus_two_tf2_cpu'), 'saved_model.pb')));
  const mg = doc.metaGraphs[0];
  assert.ok(mg.functions.size > 0);
  assert.ok(mg.objectGraph && Array.isArray(mg.objectGraph.nodes));
  assert.ok(mg.signatures.some((s) => s.key === '__saved_model_init_op'));
  assert.ok(!mg.clientSignatures.some((s) => s.key.startsWith('__')));
  const calls = [...mg.functions.values()].flatMap((f) => f.nodes.ops).filter((op) => op === 'StatefulPartitionedCall' || op === 'PartitionedCall');
  assert.ok(calls.length > 0, 'TF2 functions call each other through PartitionedCall');
});

test('every corpus model loads with its directory: sizes add up, variables are read', { skip: corpusMissing() }, () => {
  for (const name of fs.readdirSync(CORPUS_DIR)) {
    const dir = corpus(name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const r = loadModel(dir);
    assert.ok(r.ok, `${name}: ${r.ok ? '' : r.reason}`);
    const files = r.model.files.reduce((s, f) => s + f.bytes, 0);
    assert.equal(r.model.totalBytes, files, name);
    assert.ok(r.model.doc.metaGraphs.length >= 1, name);
  }
});

test('a TF Serving base path picks the latest numeric version and lists them', { skip: corpusMissing() }, () => {
  const loc = locateModel(corpus('serving-half_plus_two_2_versions'));
  assert.ok(!('error' in loc));
  if ('error' in loc) return;
  assert.deepEqual(loc.versions, ['00000123', '00000124']);
  assert.equal(path.basename(loc.dir), '00000124');
});

test('a text SavedModel loads through the parser with no errors', { skip: corpusMissing() }, () => {
  const r = loadModel(corpus('tf-half_plus_two_pbtxt'));
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.model.location.format, 'text');
  assert.deepEqual(r.model.text?.parse.errors, []);
  assert.ok(r.model.doc.metaGraphs[0].signatures.some((s) => s.key === 'serving_default'));
});

test('our own model round-trips: builder → bytes → typed model, variables from the checkpoint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-model-'));
  writeSavedModelDir(dir, linearModel(0.5, 3));
  const r = loadModel(dir);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.equal(r.model.variables.kind, 'v2');
  if (r.model.variables.kind === 'v2') assert.deepEqual(r.model.variables.index.entries.map((e) => e.name).filter((n) => !n.startsWith('_')), ['a', 'b']);
  assert.deepEqual(r.model.doc.metaGraphs[0].graph.ops, ['Placeholder', 'VariableV2', 'Identity', 'VariableV2', 'Identity', 'Mul', 'AddV2']);
  assert.equal(Buffer.compare(fs.readFileSync(path.join(dir, 'saved_model.pb')), encodeSavedModel(linearModel(0.5, 3).model)), 0);
});

test('locateModel: a folder without a model says so', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-empty-'));
  const loc = locateModel(dir);
  assert.ok('error' in loc && /no saved_model.pb/.test(loc.error));
});
