// The report and the service's response, from runtime results built here (no runtime involved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildReport, exitCode, formatReport, percentile, ReportContext } from '../../../server/src/core/smoke/report';
import { predictionResponse, shortestFloat32 } from '../../../server/src/core/smoke/request/response';
import { OutputTensor, RunSuccess } from '../../../server/src/core/smoke/runtime/runtime';

const out = (key: string, shape: number[], values: OutputTensor['values'], dtype = 'DT_FLOAT'): OutputTensor => ({ key, dtype, shape, values });

test('row format: one prediction per instance; several outputs become objects', () => {
  assert.deepEqual(predictionResponse([out('y', [2, 1], [0.5, 1.5])], 'row', 2), { predictions: [[0.5], [1.5]] });
  const two = predictionResponse([out('a', [2], [1, 2], 'DT_INT32'), out('b', [2, 2], [1, 2, 3, 4])], 'row', 2);
  assert.deepEqual(two, { predictions: [{ a: 1, b: [1, 2] }, { a: 2, b: [3, 4] }] });
  assert.deepEqual(predictionResponse([out('s', [], [7])], 'row', 1), { predictions: [7] });
});

test('columnar format answers with "outputs"; unsplittable outputs are the service\'s error', () => {
  assert.deepEqual(predictionResponse([out('y', [2], [1, 2])], 'columnar', 2), { outputs: [1, 2] });
  assert.deepEqual(predictionResponse([out('a', [], [1]), out('b', [1], [2])], 'columnar', 1), { outputs: { a: 1, b: [2] } });
  const e = predictionResponse([out('y', [3], [1, 2, 3])], 'row', 2);
  assert.match(String(e.error), /first dimension is not the number of instances \(2\)/);
});

test('values: float32 digits, non-finite floats, UTF-8 and binary strings, booleans', () => {
  assert.equal(shortestFloat32(Math.fround(0.1)), 0.1);
  assert.equal(shortestFloat32(Math.fround(2.12705)), 2.12705);
  const r = predictionResponse([out('f', [3], [Math.fround(0.1), NaN, -Infinity])], 'columnar', 1);
  assert.deepEqual(r, { outputs: [0.1, 'NaN', '-Infinity'] });
  const d = predictionResponse([out('d', [1], [0.1 + 0.2], 'DT_DOUBLE')], 'columnar', 1);
  assert.deepEqual(d, { outputs: [0.30000000000000004] }, 'float64 keeps its digits');
  const s = predictionResponse([out('s', [2], [new TextEncoder().encode('ok'), new Uint8Array([255, 0])], 'DT_STRING')], 'columnar', 1);
  assert.deepEqual(s, { outputs: ['ok', { b64: '/wA=' }] });
  assert.deepEqual(predictionResponse([out('b', [1, 2], [true, false], 'DT_BOOL')], 'row', 1), { predictions: [[true, false]] });
});

test('percentiles are nearest-rank', () => {
  const xs = Array.from({ length: 20 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 10);
  assert.equal(percentile(xs, 95), 19);
  assert.equal(percentile([4], 95), 4);
  assert.ok(Number.isNaN(percentile([], 50)));
});

const ctx: ReportContext = { model: '/m', signature: 'serving_default', runtime: 'builtin', warmup: 2, request: { source: 'synthesized', format: 'row', batch: 4, notes: [] } };

function success(over: Partial<RunSuccess>): RunSuccess {
  return {
    ok: true, loadMs: 3, latenciesMs: [4, 2, 3, 1, 10], warnings: [],
    device: { runtime: 'builtin', backend: 'webgpu', name: 'llvmpipe', kind: 'software', details: { isFallbackAdapter: 'true' } },
    outputs: [out('y', [4], [1, 2, 3, 4])],
    ...over,
  };
}

test('a clean run: latency, throughput, finite outputs, exit 0; software adapters are not called GPUs', () => {
  const r = buildReport(ctx, success({}));
  assert.equal(r.status, 'ok');
  assert.equal(exitCode(r), 0);
  assert.deepEqual([r.latency?.p50Ms, r.latency?.p95Ms, r.latency?.runs], [3, 10, 5]);
  assert.equal(r.throughput, 1000);
  assert.deepEqual(r.response, { predictions: [1, 2, 3, 4] });
  const text = formatReport(r);
  assert.match(text, /llvmpipe \[webgpu; software adapter, not a GPU\]/);
  assert.doesNotMatch(text, /; GPU\]/);
  assert.ok(r.warnings.some((w) => /software renderer/.test(w)));
});

test('NaN/Inf outputs and a large difference from the cpu backend are problems (exit 1)', () => {
  const nan = buildReport(ctx, success({ outputs: [out('y', [4], [1, NaN, Infinity, 4])] }));
  assert.equal(nan.status, 'problems');
  assert.equal(exitCode(nan), 1);
  assert.match(nan.problems[0], /output 'y' has 1 NaN and 1 infinite/);
  const drift = buildReport(ctx, success({ parity: { against: 'cpu backend', maxAbsDiff: 0.5, perOutput: { y: 0.5 } } }));
  assert.equal(exitCode(drift), 1);
  assert.match(drift.problems[0], /differs from the cpu backend by up to 5\.00e-1/);
  const tiny = buildReport(ctx, success({ parity: { against: 'cpu backend', maxAbsDiff: 1e-7, perOutput: { y: 1e-7 } } }));
  assert.equal(exitCode(tiny), 0);
});

test('a failure is "could not run" (exit 2) with the cause, what to do, and the service\'s error', () => {
  const r = buildReport(ctx, { ok: false, kind: 'missing-op', message: 'TensorFlow.js cannot run these ops: ParseExampleV2', remedy: 'Run it with --runtime tensorflow.' });
  assert.equal(exitCode(r), 2);
  assert.deepEqual(r.response, { error: 'TensorFlow.js cannot run these ops: ParseExampleV2' });
  assert.match(formatReport(r), /what to do\s+Run it with --runtime tensorflow/);
});
