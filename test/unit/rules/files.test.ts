import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { linearModel, float32Bytes, nodeDef, placeholder, tensorInfo } from '../../../server/src/core/savedmodel/modelBuilder';
import { writeCheckpoint } from '../../../server/src/core/checkpoint/checkpointWriter';
import { sizeReport } from '../../../server/src/core/rules/sizeReport';
import { encodePlain } from '../../../server/src/core/protobuf/plainEncoder';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { check, checkDir, only, pathText, writeModel, load, graphModel, io, FLOAT, simpleModel } from './helpers';

test('model-size-limit: fires over --max-size, quiet under the MLS1 and N1 defaults', () => {
  const dir = writeModel(linearModel(1, 2));
  const f = only(checkDir(dir, { options: { machineType: 'mls1', maxSizeBytes: 100 } }), 'model-size-limit');
  assert.equal(f.length, 1);
  assert.equal(f[0].location.kind, 'model');
  assert.match(f[0].message, /over the 100 B limit set with --max-size/);
  assert.deepEqual(only(checkDir(dir), 'model-size-limit'), []);
  assert.deepEqual(only(checkDir(dir, { options: { machineType: 'n1' } }), 'model-size-limit'), []);
});

test('size report: total, parts, biggest contributors and float16/8-bit estimates', () => {
  const spec = linearModel(1, 2);
  spec.variables = [
    { name: 'big', dtype: 'float32', shape: [1000], data: float32Bytes(new Array(1000).fill(1)) },
    { name: 'ids', dtype: 'int64', shape: [10], data: new Uint8Array(80) },
  ];
  spec.assets = { 'vocab.txt': 'a\nb\n' };
  const model = load(writeModel(spec));
  const s = sizeReport(model, { machineType: 'n1' });
  const files = model.files.reduce((n, f) => n + f.bytes, 0);
  assert.equal(s.total, files);
  assert.equal(s.parts.modelFile + s.parts.variables + s.parts.assets + s.parts.other, s.total);
  assert.equal(s.limit.bytes, 10_000_000_000);
  assert.equal(s.float32Bytes, 4000);
  assert.equal(s.estimates.float16, s.total - 2000);
  assert.equal(s.estimates.int8, s.total - 3000);
  assert.equal(s.contributors[0].kind, 'variable');
  assert.equal(s.contributors[0].name, 'big');
  assert.ok(s.contributors.some((c) => c.kind === 'asset' && c.name === 'assets/vocab.txt'));
});

test('training-artifact: checkpoints, event files and notebook checkpoints, one finding per file or notebook folder', () => {
  const spec = linearModel(1, 2);
  spec.extraFiles = {
    'events.out.tfevents.1700000000.host': 'x',
    'model.ckpt-100.index': 'x',
    'model.ckpt-100.data-00000-of-00001': 'x',
    checkpoint: 'model_checkpoint_path: "model.ckpt-100"',
    'variables/ckpt-3.index': 'x',
    '.ipynb_checkpoints/train-checkpoint.ipynb': '{}',
    '.ipynb_checkpoints/eval-checkpoint.ipynb': '{}',
  };
  const f = only(check(spec), 'training-artifact');
  assert.deepEqual(f.map(pathText).sort(), [
    '.ipynb_checkpoints', 'checkpoint', 'events.out.tfevents.1700000000.host', 'model.ckpt-100.data-00000-of-00001', 'model.ckpt-100.index', 'variables/ckpt-3.index',
  ]);
});

test('training-artifact: quiet for the SavedModel\'s own files, assets and the 2016 variables/checkpoint', () => {
  const spec = linearModel(1, 2);
  spec.assets = { 'table.index': 'x' };
  spec.extraFiles = { 'variables/checkpoint': 'x', 'fingerprint.pb': '', 'assets.extra/tf_serving_warmup_requests': 'x' };
  assert.deepEqual(only(check(spec), 'training-artifact'), []);
});

test('high-precision-dtype: int64/float64 variables with the bytes int32/float32 would save; scalars ignored', () => {
  const spec = linearModel(1, 2);
  spec.variables = [
    { name: 'emb', dtype: 'float64', shape: [100, 4], data: new Uint8Array(3200) },
    { name: 'global_step', dtype: 'int64', shape: [], data: new Uint8Array(8) },
  ];
  const f = only(check(spec), 'high-precision-dtype');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'variables/variables.index');
  assert.match(f[0].message, /1 variable is int64\/float64 \(3.20 kB\): 'emb' float64 \[100, 4\].*saving 1.60 kB/);
  assert.deepEqual(only(check(linearModel(1, 2)), 'high-precision-dtype'), []);
});

test('variables-missing: fires when the graph has variables and variables/ is absent', () => {
  const spec = linearModel(1, 2);
  delete spec.variables;
  const f = only(check(spec), 'variables-missing');
  assert.equal(f.length, 1);
  assert.equal(f[0].location.kind, 'model');
  assert.match(f[0].message, /VariableV2 'a'/);
});

test('variables-missing: fires for a missing data shard and for an unreadable index', () => {
  const spec = linearModel(1, 2);
  const dir = writeModel({ ...spec, variables: undefined });
  writeCheckpoint(path.join(dir, 'variables'), spec.variables ?? [], { numShards: 2 });
  fs.rmSync(path.join(dir, 'variables', 'variables.data-00001-of-00002'));
  const f = only(checkDir(dir), 'variables-missing');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /variables\.data-00001-of-00002 is missing/);
  fs.writeFileSync(path.join(dir, 'variables', 'variables.index'), 'garbage');
  assert.match(only(checkDir(dir), 'variables-missing')[0].message, /cannot be read/);
});

test('variables-missing: quiet for a graph without variables, and with a complete checkpoint', () => {
  assert.deepEqual(only(check(simpleModel()), 'variables-missing'), []);
  assert.deepEqual(only(check(linearModel(1, 2)), 'variables-missing'), []);
});

test('legacy-v1-checkpoint: fires for variables/variables without an index, quiet for V2', () => {
  const spec = linearModel(1, 2);
  const f = only(check({ ...spec, variables: undefined, extraFiles: { 'variables/variables': 'not a table' } }), 'legacy-v1-checkpoint');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'variables/variables');
  assert.equal(f[0].severity, 'info');
  assert.deepEqual(only(check(spec), 'legacy-v1-checkpoint'), []);
});

test('asset-missing: fires for an asset_file_def whose file is not in assets/, quiet when it is', () => {
  const base = graphModel({
    nodes: [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('vocab', 'Const', [], { dtype: { type: 'DT_STRING' } }), nodeDef('y', 'Identity', ['x'], { T: FLOAT })],
    signatures: { serving_default: io() },
    assetFiles: [{ tensorName: 'vocab:0', filename: 'vocab.txt' }],
  });
  const f = only(check(base), 'asset-missing');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'meta_graphs[0].asset_file_def[0]');
  assert.match(f[0].message, /'vocab.txt'.*'vocab:0'/);
  assert.deepEqual(only(check({ ...base, assets: { 'vocab.txt': 'a\n' } }), 'asset-missing'), []);
});

test('asset-missing: reads the TF1 saved_model_assets collection too', () => {
  const def = encodePlain({ tensor_info: { name: 'Const:0' }, filename: 'foo.txt' }, loadSchema().message('tensorflow.AssetFileDef'));
  const spec = graphModel({
    nodes: [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Identity', ['x'], { T: FLOAT })],
    signatures: { serving_default: io() },
    collections: { saved_model_assets: { any_list: { value: [{ type_url: 'type.googleapis.com/tensorflow.AssetFileDef', value: def }] } } },
  });
  const f = only(check(spec), 'asset-missing');
  assert.deepEqual(f.map(pathText), ['meta_graphs[0].collection_def["saved_model_assets"]']);
});

const sigModel = () => graphModel({
  nodes: [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Identity', ['x'], { T: FLOAT })],
  signatures: { serving_default: { inputs: { pixels: tensorInfo('x:0', 'DT_FLOAT', [-1, 1]) }, outputs: { probs: tensorInfo('y:0', 'DT_FLOAT', [-1, 1]) } } },
});

test('explanation-metadata-invalid: fires for a tensor name the signature lacks, with its place in the file', () => {
  const json = JSON.stringify({ inputs: { pixels: { input_tensor_name: 'x:0' } }, outputs: { probs: { output_tensor_name: 'logits:0' } } }, null, 2);
  const f = only(check({ ...sigModel(), extraFiles: { 'explanation_metadata.json': json } }), 'explanation-metadata-invalid');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'explanation_metadata.json');
  assert.match(f[0].message, /'logits:0'.*they have y:0/);
  const loc = f[0].location;
  assert.ok(loc.kind === 'file' && loc.range);
  assert.equal(json.slice(loc.range.start, loc.range.end), '"logits:0"');
});

test('explanation-metadata-invalid: TF1 tensor names, bare node names and TF2 signature keys are all accepted', () => {
  const json = JSON.stringify({ inputs: { a: { input_tensor_name: 'x:0' }, b: { input_tensor_name: 'pixels' } }, outputs: { c: { output_tensor_name: 'y' } } });
  assert.deepEqual(only(check({ ...sigModel(), extraFiles: { 'explanation_metadata.json': json } }), 'explanation-metadata-invalid'), []);
  assert.deepEqual(only(check(sigModel()), 'explanation-metadata-invalid'), []);
});

test('explanation-metadata-invalid: invalid JSON and a missing tensor name', () => {
  assert.match(only(check({ ...sigModel(), extraFiles: { 'explanation_metadata.json': '{ nope' } }), 'explanation-metadata-invalid')[0].message, /not valid JSON/);
  const f = only(check({ ...sigModel(), extraFiles: { 'explanation_metadata.json': '{"inputs": {"a": {}}, "outputs": {}}' } }), 'explanation-metadata-invalid');
  assert.match(f[0].message, /has no "input_tensor_name"/);
});
