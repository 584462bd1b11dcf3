// Freezing signatures into one flat graph and running it on TensorFlow.js's cpu backend (in the
// worker process): answers are checked against what each model computes, with references computed
// here (from the model's definition and its checkpoint), never copied from a run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  linearModel, writeSavedModelDir, savedModel, metaGraph, nodeDef, placeholder, attrType, tensorInfo, float32Bytes, constNode,
} from '../../../server/src/core/savedmodel/modelBuilder';
import { PlainMessage } from '../../../server/src/core/protobuf/plainMessage';
import { freezeSignature } from '../../../server/src/core/smoke/freeze/freeze';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { openModel, runBuiltin, succeeded, numbers, checkpointFloat } from './runHelpers';

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-freeze-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const corpus = (name: string): string => path.join(CORPUS_DIR, name);
const close = (actual: number[], expected: number[], tol = 1e-6): void => {
  assert.equal(actual.length, expected.length, `${actual} vs ${expected}`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol, `[${i}] ${v} vs ${expected[i]}`));
};

test('TF1 linear model (y = 0.5x + 3): variables become constants from the checkpoint', () => {
  const dir = path.join(tmp, 'linear-freeze');
  writeSavedModelDir(dir, linearModel(0.5, 3));
  const { model, signature } = openModel(dir);
  const f = freezeSignature(model, signature);
  const nodes = f.artifacts.modelTopology.node;
  assert.deepEqual(nodes.map((n) => n.op).sort(), ['AddV2', 'Const', 'Const', 'Identity', 'Identity', 'Mul', 'Placeholder']);
  assert.ok(!nodes.some((n) => n.op === 'VariableV2'));
  const specs = f.artifacts.weightSpecs.map((s) => s.name);
  assert.deepEqual(specs.sort(), ['a', 'b']);
  const values = new Float32Array(f.artifacts.weightData.slice().buffer);
  const byName = Object.fromEntries(f.artifacts.weightSpecs.map((s, i) => [s.name, values[i]]));
  assert.deepEqual(byName, { a: 0.5, b: 3 });
  assert.deepEqual(f.unsupportedOps, []);
  assert.deepEqual(f.fidelityWarnings, []);
  assert.deepEqual(f.inputs.map((i) => i.tensor), ['x:0']);
});

test('TF1 linear model gives exact answers on the cpu backend', async () => {
  const dir = path.join(tmp, 'linear-run');
  writeSavedModelDir(dir, linearModel(0.5, 3));
  const r = succeeded(await runBuiltin(dir, '{"instances": [[1], [2], [-4], [0.25]]}'));
  assert.equal(r.device.backend, 'cpu');
  assert.equal(r.device.kind, 'cpu');
  assert.deepEqual(numbers(r, 'y'), [3.5, 4, 1, 3.125]);
  assert.deepEqual(r.outputs[0].shape, [4, 1]);
  assert.equal(r.latenciesMs.length, 2);
});

/** A TF2-style model: the signature calls a function through PartitionedCall, which calls another. */
function nestedFunctionModel(): PlainMessage {
  const F = attrType('DT_FLOAT');
  const I = attrType('DT_INT32');
  const inner = {
    signature: { name: 'inner_fn', input_arg: [{ name: 'v', type: 'DT_FLOAT' }], output_arg: [{ name: 'ids', type: 'DT_INT32' }, { name: 'scaled', type: 'DT_FLOAT' }] },
    node_def: [
      nodeDef('u', 'Unique', ['v'], { T: F, out_idx: I }),
      constNode('three', 'DT_FLOAT', [], float32Bytes([3])),
      nodeDef('m', 'Mul', ['u:y:0', 'three:output:0'], { T: F }),
    ],
    ret: { ids: 'u:idx:0', scaled: 'm:z:0' },
  };
  const outer = {
    signature: { name: 'outer_fn', input_arg: [{ name: 'x', type: 'DT_FLOAT' }], output_arg: [{ name: 'scaled', type: 'DT_FLOAT' }, { name: 'ids', type: 'DT_INT32' }] },
    node_def: [nodeDef('call', 'PartitionedCall', ['x'], { f: { func: { name: 'inner_fn' } }, Tin: { list: { type: ['DT_FLOAT'] } }, Tout: { list: { type: ['DT_INT32', 'DT_FLOAT'] } } })],
    ret: { scaled: 'call:output:1', ids: 'call:output:0' },
  };
  const mg = metaGraph({
    tags: ['serve'],
    nodes: [
      placeholder('serving_default_x', 'DT_FLOAT', [-1]),
      nodeDef('PartitionedCall', 'PartitionedCall', ['serving_default_x'], { f: { func: { name: 'outer_fn' } }, Tin: { list: { type: ['DT_FLOAT'] } }, Tout: { list: { type: ['DT_FLOAT', 'DT_INT32'] } } }),
    ],
    functions: [inner, outer],
    signatures: { serving_default: { inputs: { x: tensorInfo('serving_default_x:0', 'DT_FLOAT', [-1]) }, outputs: { scaled: tensorInfo('PartitionedCall:0', 'DT_FLOAT', [-1]), ids: tensorInfo('PartitionedCall:1', 'DT_INT32', [-1]) } } },
  });
  // The OpDefs TensorFlow strips into the meta graph: Unique has two output args (y, idx).
  const unique = { name: 'Unique', input_arg: [{ name: 'x', type_attr: 'T' }], output_arg: [{ name: 'y', type_attr: 'T' }, { name: 'idx', type_attr: 'out_idx' }] };
  const mul = { name: 'Mul', input_arg: [{ name: 'x', type_attr: 'T' }, { name: 'y', type_attr: 'T' }], output_arg: [{ name: 'z', type_attr: 'T' }] };
  (mg.meta_info_def as PlainMessage).stripped_op_list = { op: [mul, unique] };
  return savedModel([mg]);
}

test('nested function calls are inlined; `node:out_arg:i` maps through the OpDef\'s output args', async () => {
  const dir = path.join(tmp, 'nested');
  writeSavedModelDir(dir, { model: nestedFunctionModel() });
  const { model, signature } = openModel(dir);
  const f = freezeSignature(model, signature);
  assert.equal(f.stats.inlinedCalls, 2);
  assert.ok(!f.artifacts.modelTopology.node.some((n) => n.op === 'PartitionedCall'));
  assert.ok(f.artifacts.modelTopology.node.some((n) => n.name === 'PartitionedCall/call/u'));
  const r = succeeded(await runBuiltin(dir, '{"inputs": [5, 1, 5, 2]}'));
  // Unique([5, 1, 5, 2]) = y [5, 1, 2], idx [0, 1, 0, 2]
  assert.deepEqual(numbers(r, 'ids'), [0, 1, 0, 2]);
  assert.deepEqual(numbers(r, 'scaled'), [15, 3, 6]);
});

test('ops TensorFlow.js cannot run are listed by name before anything runs', async () => {
  const dir = path.join(tmp, 'custom-op');
  const mg = metaGraph({
    tags: ['serve'],
    nodes: [placeholder('x', 'DT_FLOAT', [-1]), nodeDef('y', 'MyCustomOp', ['x'], { T: attrType('DT_FLOAT') })],
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1]) } } },
  });
  writeSavedModelDir(dir, { model: savedModel([mg]) });
  const { model, signature } = openModel(dir);
  assert.deepEqual(freezeSignature(model, signature).unsupportedOps, [{ op: 'MyCustomOp', nodes: ['y'], count: 1 }]);
  const r = await runBuiltin(dir, '{"instances": [1]}');
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.kind, 'missing-op');
    assert.match(r.message, /MyCustomOp \(1 node, e\.g\. y\)/);
    assert.match(r.remedy, /--runtime tensorflow/);
  }
});

test('a signature that reads variables without a checkpoint fails with the cause', async () => {
  const dir = path.join(tmp, 'no-vars');
  writeSavedModelDir(dir, { model: linearModel(1, 2).model });
  const r = await runBuiltin(dir, '{"instances": [[1]]}');
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.message, /graph-only export: the signature reads variables, and the model has no variables\/ folder/);
});

test('TF1 half_plus_two: y = 0.5x + 2 (and regress_x2_to_y3: 0.5x + 3)', { skip: corpusMissing() }, async () => {
  const xs = [0, 1, 2.5, -7];
  const r = succeeded(await runBuiltin(corpus('tf-half_plus_two'), JSON.stringify({ instances: xs.map((x) => [x]) })));
  close(numbers(r, 'y'), xs.map((x) => 0.5 * x + 2));
  const r3 = succeeded(await runBuiltin(corpus('tf-half_plus_two'), JSON.stringify({ instances: xs.map((x) => [x]) }), { signature: 'regress_x2_to_y3' }));
  close(numbers(r3, 'outputs'), xs.map((x) => 0.5 * x + 3));
});

test('TF2 half_plus_two: y = 0.5x + 2 through StatefulPartitionedCall and the object graph', { skip: corpusMissing() }, async () => {
  const r = succeeded(await runBuiltin(corpus('serving-half_plus_two_tf2_cpu'), '{"instances": [3.0]}'));
  close(numbers(r, 'y'), [3.5]);
  const r3 = succeeded(await runBuiltin(corpus('serving-half_plus_two_tf2_cpu'), '{"instances": [3.0]}', { signature: 'regress_x2_to_y3' }));
  close(numbers(r3, 'outputs'), [4.5]);
});

test('tfjs-* test models compute their documented functions', { skip: corpusMissing() }, async () => {
  const times3 = succeeded(await runBuiltin(corpus('tfjs-times_three_float'), '{"instances": [2.5]}'));
  close(numbers(times3, 'output_0'), [7.5]);
  const times2 = succeeded(await runBuiltin(corpus('tfjs-times_two_int'), '{"instances": [21]}'));
  assert.deepEqual(numbers(times2, 'output_0'), [42]);
  assert.equal(times2.outputs[0].dtype, 'DT_INT32');
  const multi = succeeded(await runBuiltin(corpus('tfjs-model_multi_output'), '{"instances": [{"x": 3, "y": 7}]}'));
  assert.deepEqual([numbers(multi, 'output_0'), numbers(multi, 'output_1')], [[6], [7]]);
  const single = succeeded(await runBuiltin(corpus('tfjs-model_single_input_multi_output'), '{"instances": [5]}'));
  assert.deepEqual([numbers(single, 'output_0'), numbers(single, 'output_1')], [[10], [5]]);
  const sigs = corpus('tfjs-module_with_multiple_signatures');
  close(numbers(succeeded(await runBuiltin(sigs, '{"instances": [4]}')), 'output_0'), [12]);
  close(numbers(succeeded(await runBuiltin(sigs, '{"instances": [4]}', { signature: 'timestwo' })), 'output_0'), [8]);
  const u8 = succeeded(await runBuiltin(corpus('tfjs-uint8_multiply'), '{"instances": [7]}'));
  assert.deepEqual(numbers(u8, 'output_0'), [42]);
});

test('int64 models run, with the narrowing reported as a fidelity warning', { skip: corpusMissing() }, async () => {
  const dir = corpus('tfjs-int64_multiply');
  const r = succeeded(await runBuiltin(dir, '{"instances": [5, -4]}'));
  const factor = checkpointFloat(dir, 'v1/.ATTRIBUTES/VARIABLE_VALUE') * checkpointFloat(dir, 'v2/.ATTRIBUTES/VARIABLE_VALUE');
  assert.deepEqual(numbers(r, 'output_0'), [5 * factor, -4 * factor]);
  assert.equal(r.outputs[0].computedAs, 'int32');
  assert.ok(r.warnings.some((w) => /int64 is computed as int32/.test(w)), r.warnings.join('; '));
});

test('a TF2 module with variables matches a reference computed from its checkpoint', { skip: corpusMissing() }, async () => {
  const dir = corpus('tf-VarsAndArithmeticObjectGraph');
  const x = checkpointFloat(dir, 'x/.ATTRIBUTES/VARIABLE_VALUE');
  const y = checkpointFloat(dir, 'y/.ATTRIBUTES/VARIABLE_VALUE');
  const z = checkpointFloat(dir, 'child/z/.ATTRIBUTES/VARIABLE_VALUE');
  // The module (tensorflow/cc/saved_model/testdata/generate_saved_models.py): (a + x) * (b + y) / z + 5
  const expected = (a: number, b: number): number => ((a + x) * (b + y)) / z + 5;
  for (const [a, b] of [[1, 2], [-3.5, 0.25]]) {
    const r = succeeded(await runBuiltin(dir, JSON.stringify({ instances: [{ a, b }] })));
    close(numbers(r, 'output_0'), [expected(a, b)], 1e-5);
  }
});

test('tf.function without variables (x + y) and a float64 constant output', { skip: corpusMissing() }, async () => {
  const r = succeeded(await runBuiltin(corpus('tf-x_plus_y_v2_debuginfo'), '{"instances": [{"x": 1.5, "y": 2.25}]}'));
  close(numbers(r, 'output_0'), [3.75]);
  const { model, signature } = openModel(corpus('tf-non_chunked_model'));
  const f = freezeSignature(model, signature);
  assert.ok(f.fidelityWarnings.some((w) => /float64 is computed as float32/.test(w)), f.fidelityWarnings.join('; '));
});


test('resource variables: ReadVariableOp and ResourceGather (embedding lookups) read the checkpoint value', async () => {
  const dir = path.join(tmp, 'embedding');
  const F = attrType('DT_FLOAT');
  const mg = metaGraph({
    tags: ['serve'],
    nodes: [
      placeholder('ids', 'DT_INT32', [-1]),
      nodeDef('emb', 'VarHandleOp', [], { dtype: F, shape: { shape: { dim: [{ size: 4 }, { size: 2 }] } }, shared_name: { s: new TextEncoder().encode('emb') } }),
      nodeDef('lookup', 'ResourceGather', ['emb', 'ids'], { dtype: F, Tindices: attrType('DT_INT32') }),
      nodeDef('emb/read', 'ReadVariableOp', ['emb'], { dtype: F }),
      nodeDef('total', 'Sum', ['emb/read', 'axis'], { T: F, Tidx: attrType('DT_INT32'), keep_dims: { b: false } }),
      constNode('axis', 'DT_INT32', [2], new Uint8Array(new Int32Array([0, 1]).buffer)),
    ],
    signatures: { serving_default: { inputs: { ids: tensorInfo('ids:0', 'DT_INT32', [-1]) }, outputs: { vectors: tensorInfo('lookup:0', 'DT_FLOAT', [-1, 2]), total: tensorInfo('total:0', 'DT_FLOAT', []) } } },
  });
  const table = [1, 2, 3, 4, 5, 6, 7, 8];
  writeSavedModelDir(dir, { model: savedModel([mg]), variables: [{ name: 'emb', dtype: 'float32', shape: [4, 2], data: float32Bytes(table) }] });
  const r = succeeded(await runBuiltin(dir, '{"inputs": {"ids": [3, 0, 3]}}'));
  assert.deepEqual(numbers(r, 'vectors'), [7, 8, 1, 2, 7, 8]);
  assert.deepEqual(numbers(r, 'total'), [table.reduce((a, b) => a + b, 0)]);
});

