// tf.Example signatures of real SavedModels written by TensorFlow (../shared/corpus):
// - tf-half_plus_two's classify/regress signatures parse Examples with the V1 ParseExample op;
//   the answer is known from the model's definition (y = a·x + b, y2 = a·x + c) with a, b, c read
//   from its checkpoint here;
// - the TFX Chicago Taxi exports (ParseExampleV2; the Estimator's features all sparse, through TF
//   Transform's lookup tables) take synthesized Examples. TensorFlow's answer for them is unknown
//   here, so the test checks what it can: the outputs' shapes and dtypes, finiteness, and that
//   the cpu and wasm backends agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { encodeExample } from '../../../../server/src/core/smoke/example/exampleProto';
import { loadModel } from '../../../../server/src/core/savedmodel/loadModel';
import { runSmokeTest } from '../../../../server/src/core/smoke/runSmoke';
import { SmokeReport } from '../../../../server/src/core/smoke/report';
import { CORPUS_DIR, corpusMissing } from '../../../helpers/corpus';
import { checkpointFloat, lavapipeEnv, numbers, runBuiltin, succeeded } from '../runHelpers';

const corpus = (name: string): string => path.join(CORPUS_DIR, name);
const example = (x: number): { b64: string } => ({ b64: Buffer.from(encodeExample(new Map([['x', { kind: 'float', values: [x] }]]))).toString('base64') });

test('tf-half_plus_two: classify and regress signatures parse tf.Examples (V1 ParseExample) and answer a·x + b', { skip: corpusMissing() }, async () => {
  const dir = corpus('tf-half_plus_two');
  const [a, b, c] = ['a', 'b', 'c'].map((k) => checkpointFloat(dir, k));
  const request = (sig: string): string => JSON.stringify({ signature_name: sig, instances: [example(1), example(4)] });
  const classify = succeeded(await runBuiltin(dir, request('classify_x_to_y'), { signature: 'classify_x_to_y' }));
  assert.deepEqual(numbers(classify, 'scores'), [a * 1 + b, a * 4 + b]);
  assert.ok(classify.mechanisms?.includes('tf.Example inputs parsed on the host'));
  const y2 = succeeded(await runBuiltin(dir, request('regress_x_to_y2'), { signature: 'regress_x_to_y2' }));
  assert.deepEqual(numbers(y2, 'outputs'), [a * 1 + c, a * 4 + c]);
  // x is required: an Example without it is refused as TensorFlow refuses it.
  const missing = { b64: Buffer.from(encodeExample(new Map([['z', { kind: 'float', values: [1] }]]))).toString('base64') };
  const r = await runBuiltin(dir, JSON.stringify({ instances: [missing] }), { signature: 'regress_x_to_y' });
  assert.ok(!r.ok && r.kind === 'bad-request', JSON.stringify(r));
  assert.match(r.message, /Feature: x \(data type: float\) is required but could not be found/);
});

async function synthesized(name: string, backend: 'cpu' | 'wasm' | 'webgpu', env?: Record<string, string>): Promise<SmokeReport> {
  const loaded = loadModel(corpus(name));
  if (!loaded.ok) assert.fail(loaded.reason);
  return runSmokeTest(loaded.model, {
    batch: 3, runs: 1, warmup: 0, runtime: 'builtin', device: backend === 'webgpu' ? 'gpu' : 'cpu', backend, seed: 5, timeoutMs: 300_000, ...(env ? { env } : {}),
  });
}

function predictions(r: SmokeReport): unknown {
  return r.response.predictions;
}

/** Largest difference between two JSON answers of the same structure (strings must be equal). */
function maxDiff(x: unknown, y: unknown): number {
  if (typeof x === 'number' && typeof y === 'number') return Math.abs(x - y);
  if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) return Math.max(0, ...x.map((v, i) => maxDiff(v, y[i])));
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const keys = Object.keys(x);
    if (keys.join() !== Object.keys(y).join()) return Infinity;
    return Math.max(0, ...keys.map((k) => maxDiff((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k])));
  }
  return x === y ? 0 : Infinity;
}

const TAXI: Array<[string, Array<[string, string, number[]]>]> = [
  ['tfx-taxi_keras_serving', [['output_0', 'DT_FLOAT', [3, 3]]]],
  ['tfx-taxi_estimator_serving', [['classes', 'DT_STRING', [3, 2]], ['scores', 'DT_FLOAT', [3, 2]]]],
];

for (const [name, outputs] of TAXI) {
  test(`${name}: synthesized tf.Examples run to finite outputs, the same on cpu and wasm (TensorFlow's answer unknown here)`, { skip: corpusMissing() }, async () => {
    const cpu = await synthesized(name, 'cpu');
    assert.equal(cpu.status, 'ok', JSON.stringify(cpu.error));
    assert.deepEqual(cpu.outputs?.map((o) => [o.key, o.dtype, o.shape]), outputs);
    assert.ok(cpu.outputs?.every((o) => o.nan + o.infinite === 0));
    assert.ok(cpu.mechanisms?.includes('tf.Example inputs parsed on the host'), String(cpu.mechanisms));
    const wasm = await synthesized(name, 'wasm');
    assert.equal(wasm.status, 'ok', JSON.stringify(wasm.error));
    assert.ok(maxDiff(predictions(cpu), predictions(wasm)) <= 1e-5, `cpu ${JSON.stringify(predictions(cpu))} vs wasm ${JSON.stringify(predictions(wasm))}`);
  });
}

const lavapipe = lavapipeEnv();

test('tfx-taxi_estimator_serving on webgpu (lavapipe, software): the sparse and string kernels webgpu lacks run on the host, the answer is the cpu backend\'s', { skip: corpusMissing() ?? (typeof lavapipe === 'string' ? lavapipe : undefined) }, async () => {
  const gpu = await synthesized('tfx-taxi_estimator_serving', 'webgpu', lavapipe as Record<string, string>);
  assert.equal(gpu.status, 'ok', JSON.stringify(gpu.error));
  assert.equal(gpu.device?.backend, 'webgpu');
  assert.equal(gpu.device?.kind, 'software');
  const cpu = await synthesized('tfx-taxi_estimator_serving', 'cpu');
  assert.ok(maxDiff(predictions(cpu), predictions(gpu)) <= 1e-5, `cpu ${JSON.stringify(predictions(cpu))} vs webgpu ${JSON.stringify(predictions(gpu))}`);
});
