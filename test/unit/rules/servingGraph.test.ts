import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeDef, placeholder } from '../../../server/src/core/savedmodel/modelBuilder';
import { servingReach, reachedGraphNodes } from '../../../server/src/core/rules/servingGraph';
import { check, only, pathText, FLOAT, simpleModel, tf2Model, functionDef, callNode, writeModel, load, graphModel, io } from './helpers';

const out = nodeDef('out', 'Identity', ['x'], { T: FLOAT });

test('reach: TF1 graph walks inputs and control inputs backwards from the signature tensors only', () => {
  const spec = simpleModel([
    nodeDef('side', 'NoOp'),
    nodeDef('dep', 'Identity', ['x', '^side'], { T: FLOAT }),
    nodeDef('unused', 'Identity', ['x'], { T: FLOAT }),
  ], ['dep:0', 'two']);
  const mg = load(writeModel(spec)).doc.metaGraphs[0];
  const reach = servingReach(mg);
  const names = reachedGraphNodes(reach).map((i) => mg.graph.name(i)).sort();
  assert.deepEqual(names, ['dep', 'side', 'two', 'x', 'y']);
});

test('reach: follows StatefulPartitionedCall, If branches, While bodies, list-of-function attrs and function-named ops', () => {
  const spec = tf2Model([
    nodeDef('cond', 'StatelessIf', ['x'], { then_branch: { func: { name: 'then_fn' } }, else_branch: { func: { name: 'else_fn' } } }),
    nodeDef('loop', 'While', ['x'], { cond: { func: { name: 'cond_fn' } }, body: { func: { name: 'body_fn' } } }),
    nodeDef('case', 'Case', ['x'], { branches: { list: { func: [{ name: 'branch_0' }, { name: 'branch_1' }] } } }),
    nodeDef('direct', 'direct_fn', ['x']),
    out,
  ], ['then_fn', 'else_fn', 'cond_fn', 'body_fn', 'branch_0', 'branch_1', 'direct_fn', 'nested_fn', 'never_called']
    .map((name) => functionDef(name, name === 'body_fn' ? [callNode('inner', 'nested_fn', ['x'], 'PartitionedCall'), out] : [out])));
  const reach = servingReach(load(writeModel(spec)).doc.metaGraphs[0]);
  assert.deepEqual([...reach.functions.keys()].sort(), [
    '__inference_serve', 'body_fn', 'branch_0', 'branch_1', 'cond_fn', 'direct_fn', 'else_fn', 'nested_fn', 'then_fn',
  ]);
  assert.equal(reach.functions.get('nested_fn'), 'serving_default');
});

test('training-op-in-serving-graph: an optimizer step the output depends on (TF1)', () => {
  const spec = simpleModel([
    nodeDef('train', 'ApplyGradientDescent', ['x', 'two', 'two'], { T: FLOAT }),
  ], ['x', 'two', '^train']);
  const f = only(check(spec), 'training-op-in-serving-graph');
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'meta_graphs[0].graph_def.node[2]');
  assert.match(f[0].message, /ApplyGradientDescent \(optimizer update\).*'serving_default'/);
});

test('training-op-in-serving-graph: quiet for training ops no signature reaches (the TF1 train subgraph)', () => {
  const spec = simpleModel([
    nodeDef('loss', 'SparseSoftmaxCrossEntropyWithLogits', ['x', 'two']),
    nodeDef('train', 'ApplyAdam', ['x', 'loss']),
    nodeDef('summary', 'ScalarSummary', ['loss']),
    nodeDef('queue', 'FIFOQueueV2'),
  ]);
  assert.deepEqual(only(check(spec), 'training-op-in-serving-graph'), []);
});

test('training-op-in-serving-graph: ops in a called function count, in an uncalled one not', () => {
  const called = tf2Model([nodeDef('adam', 'ResourceApplyAdam', ['x']), nodeDef('adam2', 'ResourceApplyAdam', ['x']), out]);
  const f = only(check(called), 'training-op-in-serving-graph');
  assert.equal(f.length, 1, 'one finding per op type');
  assert.equal(pathText(f[0]), 'meta_graphs[0].graph_def.library.function[0].node_def[0]');
  assert.match(f[0].message, /'adam' and 1 more/);
  assert.equal(f[0].related?.length, 1);
  const uncalled = tf2Model([out], [functionDef('__inference_train_step', [nodeDef('adam', 'ResourceApplyAdam', ['x'])])]);
  assert.deepEqual(only(check(uncalled), 'training-op-in-serving-graph'), []);
});

test('training-op-in-serving-graph: a summary inside an If branch of the serving function', () => {
  const spec = tf2Model(
    [nodeDef('cond', 'If', ['x'], { then_branch: { func: { name: 'then_fn' } }, else_branch: { func: { name: 'else_fn' } } }), out],
    [functionDef('then_fn', [nodeDef('s', 'WriteScalarSummary', ['x'])]), functionDef('else_fn', [out])],
  );
  const f = only(check(spec), 'training-op-in-serving-graph');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /WriteScalarSummary \(summary\)/);
  assert.equal(pathText(f[0]), 'meta_graphs[0].graph_def.library.function[1].node_def[0]');
});

test('training-op-in-serving-graph: dropout (Keras: RandomUniform >= rate; TF1: Floor(keep + uniform))', () => {
  const keras = tf2Model([
    nodeDef('dropout/random_uniform/RandomUniform', 'RandomUniform', ['x']),
    nodeDef('dropout/GreaterEqual', 'GreaterEqual', ['dropout/random_uniform/RandomUniform:output:0', 'x']),
    nodeDef('out', 'SelectV2', ['dropout/GreaterEqual:z:0', 'x', 'x']),
  ]);
  const f = only(check(keras), 'training-op-in-serving-graph');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /Dropout .*'dropout\/random_uniform\/RandomUniform'/);
  const tf1 = simpleModel([
    nodeDef('dropout/random_uniform/RandomUniform', 'RandomUniform', ['x']),
    nodeDef('dropout/random_uniform/mul', 'Mul', ['dropout/random_uniform/RandomUniform', 'two']),
    nodeDef('dropout/random_uniform', 'Add', ['dropout/random_uniform/mul', 'two']),
    nodeDef('dropout/add', 'AddV2', ['two', 'dropout/random_uniform']),
    nodeDef('dropout/Floor', 'Floor', ['dropout/add']),
  ], ['x', 'dropout/Floor']);
  assert.equal(only(check(tf1), 'training-op-in-serving-graph').length, 1);
});

test('training-op-in-serving-graph: random noise that feeds no keep mask is not dropout', () => {
  const spec = simpleModel([nodeDef('noise', 'RandomUniform', ['x']), nodeDef('noisy', 'AddV2', ['x', 'noise'])], ['noisy', 'two']);
  assert.deepEqual(only(check(spec), 'training-op-in-serving-graph'), []);
});

test('custom-op: fires once per op type in the main graph, with the signature that uses it', () => {
  const spec = simpleModel([nodeDef('tok', 'TokenizerFromLogits', ['x']), nodeDef('tok2', 'TokenizerFromLogits', ['x'])], ['tok', 'tok2']);
  const f = only(check(spec), 'custom-op');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /'TokenizerFromLogits' .*2 nodes, used by signature 'serving_default'.*TensorFlow Text/);
});

test('custom-op: a main-graph custom op no signature uses still fires (loading needs it)', () => {
  const f = only(check(simpleModel([nodeDef('trt', 'TRTEngineOp', ['x'])])), 'custom-op');
  assert.equal(f.length, 1);
  assert.match(f[0].message, /not used by any signature.*TensorRT/);
});

test('custom-op: counts called functions only; function calls by name and _internal ops are not custom', () => {
  const spec = tf2Model(
    [nodeDef('fused', '_FusedMatMul', ['x']), nodeDef('helper', 'helper_fn', ['x']), nodeDef('mine', 'MyCustomOp', ['x']), out],
    [functionDef('helper_fn', [out]), functionDef('unused_fn', [nodeDef('dead', 'OtherCustomOp', ['x'])])],
  );
  const f = only(check(spec), 'custom-op');
  assert.deepEqual(f.map(pathText), ['meta_graphs[0].graph_def.library.function[0].node_def[2]']);
  assert.match(f[0].message, /'MyCustomOp'/);
});

test('custom-op and training-op: quiet on a plain model', () => {
  const spec = graphModel({ nodes: [placeholder('x', 'DT_FLOAT', [-1, 1]), nodeDef('y', 'Relu', ['x'], { T: FLOAT })], signatures: { serving_default: io() } });
  const f = check(spec);
  assert.deepEqual(f.filter((x) => x.ruleId === 'custom-op' || x.ruleId === 'training-op-in-serving-graph'), []);
});
