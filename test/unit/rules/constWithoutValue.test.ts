// const-without-value: the loader's ValidateSavedTensors, on models written with our builder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constNode, float32Bytes, nodeDef, placeholder } from '../../../server/src/core/savedmodel/modelBuilder';
import { check, FLOAT, graphModel, only, pathText } from './helpers';

const RULE = 'const-without-value';
const x = placeholder('x', 'DT_FLOAT', [-1, 1]);

test('a Const without a value attr is an error at its node', () => {
  const f = only(check(graphModel({ nodes: [x, nodeDef('c', 'Const', [], { dtype: FLOAT })] })), RULE);
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'error');
  assert.equal(pathText(f[0]), 'meta_graphs[0].graph_def.node[1]');
  assert.match(f[0].message, /'c' \(Const\) is a constant but has no `value` attr/);
});

test('a value tensor of unknown size or rank is an error, for Const and HostConst', () => {
  const unknownDim = constNode('a', 'DT_FLOAT', [-1, 2], new Uint8Array(0));
  const unknownRank = nodeDef('b', 'HostConst', [], { dtype: FLOAT, value: { tensor: { dtype: 'DT_FLOAT', tensor_shape: { unknown_rank: true } } } });
  const f = only(check(graphModel({ nodes: [x, unknownDim, unknownRank] })), RULE);
  assert.deepEqual(f.map((d) => d.message.replace(/:.*/, '')), [
    "Node 'a' (Const) holds a tensor of unknown size (shape [-1, 2])",
    "Node 'b' (HostConst) holds a tensor of unknown rank",
  ]);
});

test('quiet for Consts with values (scalars and empty tensors too), and for other ops without one', () => {
  const nodes = [
    x,
    constNode('w', 'DT_FLOAT', [2], float32Bytes([1, 2])),
    constNode('s', 'DT_FLOAT', [], float32Bytes([3])),
    constNode('e', 'DT_FLOAT', [0, 4], new Uint8Array(0)),
    nodeDef('h', 'HostConst', [], { dtype: FLOAT }),
    nodeDef('i', 'Identity', ['x'], { T: FLOAT }),
  ];
  assert.deepEqual(only(check(graphModel({ nodes })), RULE), []);
});

test('a Const inside a library function is found there', () => {
  const fn = { signature: { name: 'f' }, node_def: [nodeDef('k', 'Const', [], { dtype: FLOAT })] };
  const f = only(check(graphModel({ nodes: [x], functions: [fn] })), RULE);
  assert.equal(f.length, 1);
  assert.equal(pathText(f[0]), 'meta_graphs[0].graph_def.library.function[0].node_def[0]');
});
