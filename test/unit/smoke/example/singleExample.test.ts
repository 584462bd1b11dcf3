// ParseSingleExample (keys in attrs, one scalar Example, outputs without a batch dimension) in a
// model built with the project's writer, run by the built-in runtime. By hand, for the Example
// {x: [1, 2], ids: [5, 6, 7]}: sum(x) = 3, sum(ids) = 18, ids' dense_shape = [3].
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  attrType, constNode, metaGraph, nodeDef, placeholder, savedModel, shapeProto, tensorInfo, writeSavedModelDir,
} from '../../../../server/src/core/savedmodel/modelBuilder';
import { loadModel } from '../../../../server/src/core/savedmodel/loadModel';
import { encodeExample } from '../../../../server/src/core/smoke/example/exampleProto';
import { runSmokeTest } from '../../../../server/src/core/smoke/runSmoke';
import { numbers, runBuiltin, succeeded } from '../runHelpers';

let dir = '';
before(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-single-')), 'single');
  const p = 'ParseSingleExample/ParseSingleExample';
  const axis = (name: string): ReturnType<typeof constNode> => constNode(name, 'DT_INT32', [], new Uint8Array(Int32Array.from([0]).buffer));
  const nodes = [
    placeholder('example', 'DT_STRING', []),
    constNode('ParseSingleExample/Const', 'DT_FLOAT', [0], new Uint8Array(0)),
    nodeDef(p, 'ParseSingleExample', ['example', 'ParseSingleExample/Const'], {
      num_sparse: { i: 1 },
      sparse_keys: { list: { s: [new TextEncoder().encode('ids')] } },
      dense_keys: { list: { s: [new TextEncoder().encode('x')] } },
      sparse_types: { list: { type: ['DT_INT64'] } },
      Tdense: { list: { type: ['DT_FLOAT'] } },
      dense_shapes: { list: { shape: [shapeProto([2])] } },
    }),
    // Outputs: 0 ids indices, 1 ids values, 2 ids dense_shape, 3 x.
    axis('x_axis'),
    nodeDef('x_sum', 'Sum', [`${p}:3`, 'x_axis'], { T: attrType('DT_FLOAT'), Tidx: attrType('DT_INT32'), keep_dims: { b: false } }),
    axis('ids_axis'),
    nodeDef('ids_sum', 'Sum', [`${p}:1`, 'ids_axis'], { T: attrType('DT_INT64'), Tidx: attrType('DT_INT32'), keep_dims: { b: false } }),
    nodeDef('ids_shape', 'Identity', [`${p}:2`], { T: attrType('DT_INT64') }),
  ];
  const io = {
    inputs: { example: tensorInfo('example:0', 'DT_STRING', []) },
    outputs: { x_sum: tensorInfo('x_sum:0', 'DT_FLOAT', []), ids_sum: tensorInfo('ids_sum:0', 'DT_INT64', []), ids_shape: tensorInfo('ids_shape:0', 'DT_INT64', [1]) },
  };
  writeSavedModelDir(dir, { model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: { serving_default: io } })]) });
});
after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

test('ParseSingleExample: one Example parsed on the host, sparse and dense outputs without a batch dimension', async () => {
  const ex = encodeExample(new Map([['x', { kind: 'float', values: [1, 2] }], ['ids', { kind: 'int64', values: [5, 6, 7] }]]));
  const r = succeeded(await runBuiltin(dir, JSON.stringify({ instances: [{ b64: Buffer.from(ex).toString('base64') }] })));
  assert.deepEqual(numbers(r, 'x_sum'), [3]);
  assert.deepEqual(numbers(r, 'ids_sum'), [18]);
  assert.deepEqual(numbers(r, 'ids_shape'), [3]);
  assert.deepEqual(r.outputs.find((o) => o.key === 'x_sum')?.shape, []);
});

test('ParseSingleExample: the synthesized request is one valid Example', async () => {
  const loaded = loadModel(dir);
  if (!loaded.ok) assert.fail(loaded.reason);
  const report = await runSmokeTest(loaded.model, { batch: 1, runs: 1, warmup: 0, runtime: 'builtin', device: 'cpu', backend: 'cpu', timeoutMs: 120_000 });
  assert.equal(report.status, 'ok', JSON.stringify(report.error));
  assert.ok(report.request?.notes.some((n) => /synthesized with the 1 dense, 1 sparse feature\(s\)/.test(n)), String(report.request?.notes));
  // One int64 id in [0, 10): its sum is that id, and the sparse shape says one value.
  const [answer] = report.response.predictions as Array<Record<string, number>>;
  assert.equal(answer.ids_shape, 1);
  assert.ok(Number.isInteger(answer.ids_sum) && answer.ids_sum >= 0 && answer.ids_sum < 10, String(answer.ids_sum));
});
