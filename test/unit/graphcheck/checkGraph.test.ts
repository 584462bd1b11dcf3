// The graph type check: silent on every corpus model TensorFlow loads, and each kind of problem
// found on models written with the project's builder, declaring OpDefs TensorFlow itself wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { checkMetaGraph, coreOpDef, GraphProblem } from '../../../server/src/core/graphcheck';
import { loadModel } from '../../../server/src/core/savedmodel';
import { PlainMessage } from '../../../server/src/core/protobuf';
import { attrType, constNode, linearModel, float32Bytes, metaGraph, MetaGraphSpec, nodeDef, placeholder, savedModel, tensorInfo } from '../../../server/src/core/savedmodel/modelBuilder';
import { isStandardOp } from '../../../server/src/core/rules/customOp';
import { formatPath } from '../../../server/src/core/elementPath';
import { check, only, writeModel } from '../rules/helpers';
import { CORE_OP_DEFS_FILE, coreOpDefs, coreOpDefsSource } from '../../../scripts/genCoreOpDefs';

const FLOAT = attrType('DT_FLOAT');
const CORE = ['AddV2', 'Assign', 'Cast', 'Const', 'Identity', 'Mul', 'NoOp', 'Placeholder', 'VariableV2'];

/** A one-meta-graph model whose stripped_op_list declares `ops` (TensorFlow's own OpDefs). */
function model(spec: Partial<MetaGraphSpec> & { nodes: PlainMessage[] }, ops: readonly string[] = CORE): PlainMessage {
  const mg = metaGraph({ tags: ['serve'], signatures: {}, ...spec });
  (mg.meta_info_def as PlainMessage).stripped_op_list = { op: ops.map((op) => coreOpDef(op) as PlainMessage) };
  return savedModel([mg]);
}

function problems(m: PlainMessage, exactOpList = false): GraphProblem[] {
  const r = loadModel(writeModel({ model: m }));
  if (!r.ok) throw new Error(r.reason);
  return r.model.doc.metaGraphs.flatMap((mg) => checkMetaGraph(r.model.doc, mg, { registered: isStandardOp, exactOpList }));
}

const messages = (p: readonly GraphProblem[]): string[] => p.map((x) => x.message);
const x = placeholder('x', 'DT_FLOAT', [-1, 1]);
const two = constNode('two', 'DT_FLOAT', [], float32Bytes([2]));
const io = { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1, 1]) } };

test('silent on every corpus model TensorFlow loads; the fuzzed one has its Const without a value', { skip: corpusMissing() }, () => {
  const names = fs.readdirSync(CORPUS_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  assert.ok(names.length >= 20);
  for (const name of names) {
    const r = loadModel(path.join(CORPUS_DIR, name));
    assert.ok(r.ok, name);
    if (!r.ok) continue;
    const found = r.model.doc.metaGraphs.flatMap((mg) => checkMetaGraph(r.model.doc, mg, { registered: isStandardOp }));
    if (name === 'tf-fuzz_const_with_no_value') {
      assert.deepEqual(messages(found), ["Node 'Assign/value' (Const) lacks attr 'value' (tensor), which Const requires (it has no default)"]);
      assert.equal(formatPath(found[0].path), 'meta_graphs[0].graph_def.node[37]');
    } else assert.deepEqual(messages(found), [], name);
  }
});

test('a well-typed graph is silent, with its op list exact', () => {
  const y = nodeDef('y', 'Mul', ['x', 'two'], { T: FLOAT });
  assert.deepEqual(messages(problems(model({ nodes: [x, two, y], signatures: { serving_default: io } }, ['Const', 'Mul', 'Placeholder']), true)), []);
});

test('an input dtype that disagrees with the op\'s type attr', () => {
  const k = constNode('k', 'DT_INT32', [], new Uint8Array(4));
  const y = nodeDef('y', 'Mul', ['x', 'k'], { T: FLOAT });
  assert.deepEqual(messages(problems(model({ nodes: [x, k, y] }))), ["Node 'y' (Mul): input 1 'k' is DT_INT32, but the op expects DT_FLOAT there"]);
});

test('too many inputs, a missing required attr, an output index past the producer\'s outputs', () => {
  const y = nodeDef('y', 'Mul', ['x', 'two', 'x'], { T: FLOAT });
  const c = nodeDef('c', 'Cast', ['x'], { SrcT: FLOAT });
  const z = nodeDef('z', 'Identity', ['x:1'], { T: FLOAT });
  assert.deepEqual(messages(problems(model({ nodes: [x, two, y, c, z] }))), [
    "Node 'y' (Mul) has 3 data input(s); Mul's OpDef with these attrs takes 2",
    "Node 'c' (Cast) lacks attr 'DstT' (type), which Cast requires (it has no default)",
    "Node 'z' (Identity) reads 'x:1', but 'x' (Placeholder) has 1 output(s)",
  ]);
});

test('inputs and colocations naming missing nodes', () => {
  const y = nodeDef('y', 'Identity', ['gone', '^also_gone'], { T: FLOAT, _class: { list: { s: [new TextEncoder().encode('loc:@nowhere')] } } });
  assert.deepEqual(messages(problems(model({ nodes: [x, y] }))), [
    "Node 'y' (Identity) is colocated with 'nowhere' (_class loc:@nowhere), which the graph does not have",
    "Node 'y' (Identity) reads 'gone', but the graph has no node 'gone'",
    "Node 'y' (Identity) reads '^also_gone', but the graph has no node 'also_gone'",
  ]);
});

test('refs: a variable feeds Identity, but Assign needs a ref, not a value', () => {
  const v = nodeDef('v', 'VariableV2', [], { dtype: FLOAT, shape: { shape: { dim: [] } } });
  const read = nodeDef('v/read', 'Identity', ['v'], { T: FLOAT });
  const ok = nodeDef('assign', 'Assign', ['v', 'two'], { T: FLOAT });
  const bad = nodeDef('bad', 'Assign', ['v/read', 'two'], { T: FLOAT });
  assert.deepEqual(messages(problems(model({ nodes: [two, v, read, ok, bad] }))), [
    "Node 'bad' (Assign): input 0 'v/read' is DT_FLOAT, but the op expects DT_FLOAT_REF there",
  ]);
});

test('signature tensors: missing node, output index, declared dtype', () => {
  const sigs = {
    a: { inputs: { x: tensorInfo('nope:0', 'DT_FLOAT', [-1]) }, outputs: { y: tensorInfo('x:0', 'DT_INT32', [-1]) } },
    b: { inputs: {}, outputs: { y: tensorInfo('x:3', 'DT_FLOAT', [-1]) } },
  };
  assert.deepEqual(messages(problems(model({ nodes: [x], signatures: sigs }))), [
    "Signature 'a' tensor 'x' is 'nope:0', but the graph has no node 'nope'",
    "Signature 'a' tensor 'y' is declared DT_INT32, but 'x:0' is DT_FLOAT",
    "Signature 'b' tensor 'y' is 'x:3', but 'x' (Placeholder) has 1 output(s)",
  ]);
});

test('ops: an undeclared custom op is an error, a standard op without OpDef is not; the exact list for copies', () => {
  const nodes = [x, nodeDef('t', 'MyCustomOp', ['x']), nodeDef('s', 'Sqrt', ['x'], { T: FLOAT })];
  assert.deepEqual(messages(problems(model({ nodes }, ['Placeholder']))), [
    "Node 't' (MyCustomOp) uses op 'MyCustomOp', which is neither declared in the meta graph's OpDef list (stripped_op_list) nor a standard TensorFlow op",
  ]);
  assert.deepEqual(messages(problems(model({ nodes: [x, nodeDef('s', 'Sqrt', ['x'], { T: FLOAT })] }, ['Placeholder', 'NoOp']), true)), [
    "Node 's' (Sqrt) uses op 'Sqrt', which the meta graph's OpDef list (stripped_op_list) does not declare",
    'The OpDef list (stripped_op_list) declares ops no node uses: NoOp',
  ]);
});

test('function bodies: undeclared ops, missing attrs, inputs that are neither nodes nor arguments', () => {
  const fn = {
    signature: { name: 'f', input_arg: [{ name: 'a', type: 'DT_FLOAT' }], output_arg: [{ name: 'out', type: 'DT_FLOAT' }] },
    node_def: [nodeDef('i', 'Identity', ['a'], { T: FLOAT }), nodeDef('j', 'Identity', ['b', '^i'], {}), nodeDef('k', 'Mul', ['i:output:0', 'j:output:0'], { T: FLOAT })],
    ret: { out: 'k:z:0' },
  };
  const call = nodeDef('y', 'f', ['x']);
  assert.deepEqual(messages(problems(model({ nodes: [x, call], functions: [fn] }))), [
    "Node 'j' (Identity) of function f lacks attr 'T' (type), which Identity requires (it has no default)",
    "Node 'j' (Identity) of function f reads 'b', which is neither a node of the function nor one of its arguments",
  ]);
});

test('the rule graph-type-error reports them as errors in check, and is quiet on the linear model', () => {
  const k = constNode('k', 'DT_INT32', [], new Uint8Array(4));
  const f = only(check({ model: model({ nodes: [x, k, nodeDef('y', 'Mul', ['x', 'k'], { T: FLOAT })], signatures: { serving_default: io } }) }), 'graph-type-error');
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.match(f[0].message, /input 1 'k' is DT_INT32.*TensorFlow refuses to load/);
  assert.deepEqual(only(check(linearModel(2, 3)), 'graph-type-error'), []);
});

test('coreOpDefs.json equals what scripts/genCoreOpDefs.ts takes from the corpus', { skip: corpusMissing() }, () => {
  assert.equal(fs.readFileSync(CORE_OP_DEFS_FILE, 'utf8'), coreOpDefsSource(coreOpDefs()));
  for (const op of CORE) assert.equal(coreOpDef(op)?.name, op);
});

test('without an OpDef list (standard ops only): names defined twice, missing inputs, colocations, unknown ops', () => {
  const undeclared = (nodes: PlainMessage[]): PlainMessage => savedModel([metaGraph({ tags: ['serve'], signatures: {}, nodes })]);
  const loc = (n: string): PlainMessage => ({ list: { s: [new TextEncoder().encode(`loc:@${n}`)] } });
  const sound = [x, two, nodeDef('m', 'Mul', ['x', 'two:0'], { T: FLOAT }), nodeDef('y', 'Identity', ['m', '^two'], { T: FLOAT, _class: loc('m') })];
  assert.deepEqual(messages(problems(undeclared(sound))), []);
  const broken = [
    x, two,
    nodeDef('x', 'Identity', ['two'], { T: FLOAT }),
    nodeDef('a', 'Mul', ['x:1', 'gone:2', 'two:out'], { T: FLOAT }),
    nodeDef('b', 'Identity', ['^gone'], { T: FLOAT, _class: loc('nowhere') }),
    nodeDef('c', 'NotAnOp', ['x']),
  ];
  assert.deepEqual(messages(problems(undeclared(broken))), [
    "Node 'x' is defined twice; node names must be unique",
    "Node 'a' (Mul) reads 'gone:2', but the graph has no node 'gone'",
    "Node 'a' (Mul) reads 'two:out', but the graph has no node 'two:out'",
    "Node 'b' (Identity) is colocated with 'nowhere' (_class loc:@nowhere), which the graph does not have",
    "Node 'b' (Identity) reads '^gone', but the graph has no node 'gone'",
    "Node 'c' (NotAnOp) uses op 'NotAnOp', which is neither declared in the meta graph's OpDef list (stripped_op_list) nor a standard TensorFlow op",
  ]);
});
