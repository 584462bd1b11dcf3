import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearModel, metaGraph, placeholder, savedModel, nodeDef, tensorInfo } from '../../../server/src/core/savedmodel/modelBuilder';
import { check, only, pathText, io, FLOAT, graphModel } from './helpers';

const nodes = [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Identity', ['x'], { T: FLOAT })];
const withSignatures = (signatures: Parameters<typeof metaGraph>[0]['signatures'], tags = ['serve']) =>
  ({ model: savedModel([metaGraph({ tags, nodes, signatures })]) });

test('the linear example model has no findings at all', () => {
  assert.deepEqual(check(linearModel(0.5, 2)), []);
});

test('predict-signature-missing: fires for a regress-only meta graph, listing what it has', () => {
  const f = only(check(withSignatures({ r: { ...io(), method: 'tensorflow/serving/regress' } })), 'predict-signature-missing');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'meta_graphs[0]');
  assert.match(f[0].message, /r \[tensorflow\/serving\/regress\]/);
});

test('predict-signature-missing: fires when only the internal init signature exists', () => {
  const f = only(check(withSignatures({ __saved_model_init_op: { inputs: {}, outputs: { __saved_model_init_op: tensorInfo('y:0', 'DT_INVALID', undefined) }, method: '' } })), 'predict-signature-missing');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /no signatures/);
});

test('predict-signature-missing: quiet with a predict signature under any key', () => {
  assert.deepEqual(only(check(withSignatures({ other: io() })), 'predict-signature-missing'), []);
});

test('predict-signature-missing: judges the {serve} meta graph, not others', () => {
  const spec = { model: savedModel([
    metaGraph({ tags: ['train'], nodes, signatures: { r: { ...io(), method: 'tensorflow/serving/regress' } } }),
    metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io() } }),
  ]) };
  assert.deepEqual(only(check(spec), 'predict-signature-missing'), []);
});

test('serving-default-missing: fires when the key is missing, quiet when present', () => {
  const f = only(check(withSignatures({ predict: io() })), 'serving-default-missing');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /keys: predict/);
  assert.deepEqual(only(check(withSignatures({ serving_default: io() })), 'serving-default-missing'), []);
});

test('invalid-method-name: fires for the 2016 "regression" method and suggests the right one', () => {
  const f = only(check(withSignatures({ regression: { ...io(), method: 'regression' }, serving_default: io() })), 'invalid-method-name');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'meta_graphs[0].signature_def["regression"].method_name');
  assert.match(f[0].message, /Use tensorflow\/serving\/regress\./);
});

test('invalid-method-name: fires for an empty method, not for internal signatures or the three methods', () => {
  const f = only(check(withSignatures({
    a: { ...io(), method: '' },
    b: { ...io(), method: 'tensorflow/serving/classify' },
    serving_default: io(),
    __saved_model_init_op: { inputs: {}, outputs: {}, method: '' },
  })), 'invalid-method-name');
  assert.deepEqual(f.map(pathText), ['meta_graphs[0].signature_def["a"].method_name']);
  assert.match(f[0].message, /no method name/);
});

test('dangling-tensor-reference: fires for a tensor whose node is missing, at the tensor name', () => {
  const f = only(check(withSignatures({ serving_default: io('x:0', 'nope:0') })), 'dangling-tensor-reference');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'meta_graphs[0].signature_def["serving_default"].outputs["y"].name');
  assert.match(f[0].message, /no node 'nope'/);
});

test('dangling-tensor-reference: quiet when every tensor exists (output index and ^ ignored)', () => {
  assert.deepEqual(only(check(withSignatures({ serving_default: io('x:0', 'y:3') })), 'dangling-tensor-reference'), []);
  assert.deepEqual(only(check(withSignatures({ serving_default: io('x', 'y') })), 'dangling-tensor-reference'), []);
});

test('batch-dimension-fixed: fires for a fixed outer dimension and for a scalar', () => {
  const spec = graphModel({
    nodes,
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [8, 1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', []) } } },
  });
  const f = only(check(spec), 'batch-dimension-fixed');
  assert.deepEqual(f.map(pathText), [
    'meta_graphs[0].signature_def["serving_default"].inputs["x"].tensor_shape',
    'meta_graphs[0].signature_def["serving_default"].outputs["y"].tensor_shape',
  ]);
  assert.match(f[0].message, /fixed to 8/);
  assert.match(f[1].message, /scalar/);
});

test('batch-dimension-fixed: quiet for -1 outer dimensions and unknown rank', () => {
  const spec = graphModel({
    nodes,
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 3, 3]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', undefined) } } },
  });
  assert.deepEqual(only(check(spec), 'batch-dimension-fixed'), []);
});

test('high-precision-dtype: fires for int64/float64 inputs once per tensor, not for float32', () => {
  const spec = graphModel({
    nodes: [placeholder('x', 'DT_INT64', [-1, 4]), placeholder('z', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Cast', ['x'])],
    signatures: {
      serving_default: { inputs: { x: tensorInfo('x:0', 'DT_INT64', [-1, 4]), z: tensorInfo('z:0', 'DT_FLOAT', [-1, 1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, 4]) } },
      other: { inputs: { x: tensorInfo('x:0', 'DT_INT64', [-1, 4]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, 4]) } },
    },
  });
  const f = only(check(spec), 'high-precision-dtype');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'info');
  assert.match(f[0].message, /int64.*16 B less per instance/);
});
