// The webgpu backend on a software Vulkan (Mesa's lavapipe, installed by
// test/harness/install-lavapipe.sh): it must call the adapter software, and give the cpu
// backend's outputs. Without lavapipe these tests skip, saying what is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linearModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { lavapipeEnv, numbers, runBuiltin, succeeded } from './runHelpers';
import { mlpModel } from './mlpModel';

const env = lavapipeEnv();
const skip = typeof env === 'string' ? env : undefined;
let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-webgpu-'));
  writeSavedModelDir(path.join(tmp, 'linear'), linearModel(0.5, 2));
  writeSavedModelDir(path.join(tmp, 'mlp'), mlpModel([32, 64, 64, 10]));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function request(rows: number, width: number): string {
  return JSON.stringify({ instances: Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, c) => Math.sin(r * 7 + c) * 2)) });
}

test('webgpu on lavapipe: a software adapter, and the linear model\'s exact answers', { skip }, async () => {
  const r = succeeded(await runBuiltin(path.join(tmp, 'linear'), '{"instances": [[1], [2], [-3]]}', { backend: 'webgpu', env: env as Record<string, string> }));
  assert.equal(r.device.backend, 'webgpu');
  assert.equal(r.device.kind, 'software', `adapter ${JSON.stringify(r.device.details)}`);
  assert.equal(r.device.details?.isFallbackAdapter, 'true');
  assert.match(r.device.name, /llvmpipe/);
  assert.deepEqual(numbers(r, 'y'), [2.5, 3, 0.5]);
  assert.equal(r.parity?.against, 'cpu backend');
  assert.equal(r.parity?.maxAbsDiff, 0);
});

test('webgpu on lavapipe gives the cpu backend\'s outputs on a multilayer perceptron', { skip }, async () => {
  const req = request(8, 32);
  const gpu = succeeded(await runBuiltin(path.join(tmp, 'mlp'), req, { backend: 'webgpu', env: env as Record<string, string> }));
  const cpu = succeeded(await runBuiltin(path.join(tmp, 'mlp'), req, { backend: 'cpu' }));
  for (const key of ['logits', 'probabilities']) {
    const a = numbers(gpu, key);
    const b = numbers(cpu, key);
    assert.equal(a.length, 80);
    const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    assert.ok(diff < 1e-4, `${key}: webgpu differs from cpu by ${diff}`);
    const own = gpu.parity?.perOutput[key] ?? NaN;
    assert.ok(own < 1e-4, `the worker's own comparison with its cpu backend for ${key}: ${own}`);
  }
  const rowSums = [0, 1, 2].map((r) => numbers(gpu, 'probabilities').slice(r * 10, r * 10 + 10).reduce((s, v) => s + v, 0));
  rowSums.forEach((s) => assert.ok(Math.abs(s - 1) < 1e-5, `softmax rows sum to 1 (${s})`));
});

test('asking for the GPU where Vulkan finds no device falls back to wasm and says why', async () => {
  const r = succeeded(await runBuiltin(path.join(tmp, 'linear'), '{"instances": [[4]]}', {
    env: { VK_ICD_FILENAMES: path.join(tmp, 'no-such-icd.json'), VK_DRIVER_FILES: path.join(tmp, 'no-such-icd.json') },
    device: 'gpu',
  }));
  assert.equal(r.device.backend, 'wasm');
  assert.match(r.device.fallback ?? '', /webgpu: .*(no GPU found|adapter)/);
  assert.deepEqual(numbers(r, 'y'), [4]);
});
