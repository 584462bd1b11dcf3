// An Estimator-style model (estimatorModel.ts, built with the project's writer) that takes
// serialized tf.Examples, run end to end by the built-in runtime: the Examples are parsed on the
// host, the rest of the graph (Bucketize and AsString included) runs in the worker. Expected
// answers are worked out by hand from the model's definition:
//   logit = x·[0.5, -1] + 0.5·bucket(age; [18, 40, 65]) + Σ clicks
//   A: x = [2, 1], age 70 (bucket 3), clicks [1.5, 2.5] → 1 - 1 + 1.5 + 4 = 5.5, class "1"
//   B: x = [1, 3], age missing (default 30, bucket 1), no clicks → 0.5 - 3 + 0.5 = -2, class "0"
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSavedModelDir } from '../../../../server/src/core/savedmodel/modelBuilder';
import { loadModel } from '../../../../server/src/core/savedmodel/loadModel';
import { encodeExample, FeatureValues } from '../../../../server/src/core/smoke/example/exampleProto';
import { runSmokeTest } from '../../../../server/src/core/smoke/runSmoke';
import { RunSuccess } from '../../../../server/src/core/smoke/runtime/runtime';
import { lavapipeEnv, runBuiltin, succeeded } from '../runHelpers';
import { estimatorModel } from './estimatorModel';

let dir = '';
before(() => {
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-example-')), 'estimator');
  writeSavedModelDir(dir, estimatorModel());
});
after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

const b64 = (f: Record<string, FeatureValues>): { b64: string } => ({ b64: Buffer.from(encodeExample(new Map(Object.entries(f)))).toString('base64') });
const A = b64({ x: { kind: 'float', values: [2, 1] }, age: { kind: 'int64', values: [70] }, clicks: { kind: 'float', values: [1.5, 2.5] } });
const B = b64({ x: { kind: 'float', values: [1, 3] } });
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function output(r: RunSuccess, key: string): unknown[] {
  const o = r.outputs.find((x) => x.key === key);
  assert.ok(o, `output ${key}`);
  return o.values.map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v));
}

function close(actual: unknown[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((v, i) => assert.ok(Math.abs(Number(v) - expected[i]) <= 1e-5, `[${i}] ${String(v)} vs ${expected[i]}`));
}

const lavapipe = lavapipeEnv();

for (const backend of ['cpu', 'wasm', 'webgpu'] as const) {
  const skip = backend === 'webgpu' && typeof lavapipe === 'string' ? lavapipe : undefined;
  test(`tf.Examples parsed on the host feed the graph: the answers worked out by hand (${backend} backend)`, { skip }, async () => {
    const env = backend === 'webgpu' && typeof lavapipe !== 'string' ? { env: lavapipe, device: 'gpu' as const } : {};
    const r = succeeded(await runBuiltin(dir, JSON.stringify({ instances: [A, B] }), { backend, ...env }));
    assert.equal(r.device.backend, backend);
    close(output(r, 'logits'), [5.5, -2]);
    close(output(r, 'probability'), [sigmoid(5.5), sigmoid(-2)]);
    assert.deepEqual(output(r, 'classes'), ['1', '0']);
    assert.ok(r.mechanisms?.includes('tf.Example inputs parsed on the host'), String(r.mechanisms));
  });
}

test('Examples TensorFlow would refuse are a bad request naming the feature', async () => {
  const wrongType = b64({ x: { kind: 'int64', values: [1, 2] } });
  const r1 = await runBuiltin(dir, JSON.stringify({ instances: [A, wrongType] }));
  assert.ok(!r1.ok);
  assert.equal(r1.kind, 'bad-request');
  assert.match(r1.message, /Name: <unknown>, Key: x, Index: 1\. {2}Data types don't match\. Data type: int64 but expected type: float/);
  const missing = b64({ age: { kind: 'int64', values: [20] } });
  const r2 = await runBuiltin(dir, JSON.stringify({ instances: [missing] }));
  assert.ok(!r2.ok);
  assert.match(r2.message, /Feature: x \(data type: float\) is required but could not be found\./);
  const notAnExample = await runBuiltin(dir, JSON.stringify({ instances: ['plain text'] }));
  assert.ok(!notAnExample.ok);
  assert.match(notAnExample.message, /Could not parse example input/);
});

test('without a request, valid Examples are synthesized from what the graph parses', async () => {
  const loaded = loadModel(dir);
  if (!loaded.ok) assert.fail(loaded.reason);
  const report = await runSmokeTest(loaded.model, { batch: 3, runs: 1, warmup: 0, runtime: 'builtin', device: 'cpu', backend: 'cpu', timeoutMs: 120_000 });
  assert.equal(report.status, 'ok', JSON.stringify(report.error));
  assert.ok(report.request?.notes.some((n) => /input 'examples' takes serialized tf\.Examples: synthesized with the 2 dense, 1 sparse feature\(s\)/.test(n)), String(report.request?.notes));
  assert.deepEqual(report.outputs?.map((o) => [o.key, o.shape]), [['classes', [3]], ['logits', [3]], ['probability', [3]]]);
  assert.ok(report.mechanisms?.includes('tf.Example inputs parsed on the host'));
});

test('a parser the runtime cannot take out of the graph is refused in one line saying why', async () => {
  const other = path.join(path.dirname(dir), 'reshaped');
  writeSavedModelDir(other, estimatorModel(true));
  const r = await runBuiltin(other, JSON.stringify({ instances: [A] }));
  assert.ok(!r.ok);
  assert.equal(r.kind, 'missing-op');
  assert.match(r.message, /ParseExampleV2 \(1 node, e\.g\. ParseExample\/ParseExampleV2\): its tf\.Examples are not a signature input/);
});
