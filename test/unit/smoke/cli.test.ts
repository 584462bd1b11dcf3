// `savedmodel-lens smoke`: exit 0 when it ran and the outputs are finite, 1 when it ran with
// problems, 2 when it could not run; the report and the service's response.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { linearModel, writeSavedModelDir, savedModel, metaGraph, nodeDef, placeholder, attrType, tensorInfo } from '../../../server/src/core/savedmodel/modelBuilder';
import { smokeCommand } from '../../../server/src/cli/smokeCommand';
import { UsageError } from '../../../server/src/cli/args';
import { SmokeReport } from '../../../server/src/core/smoke/report';
import { ROOT } from './runHelpers';

let tmp = '';
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-cli-'));
  writeSavedModelDir(path.join(tmp, 'linear'), linearModel(0.5, 3));
  // y = log(x): a negative input gives NaN.
  const mg = metaGraph({
    tags: ['serve'],
    nodes: [placeholder('x', 'DT_FLOAT', [-1]), nodeDef('y', 'Log', ['x'], { T: attrType('DT_FLOAT') })],
    signatures: { serving_default: { inputs: { x: tensorInfo('x:0', 'DT_FLOAT', [-1]) }, outputs: { y: tensorInfo('y:0', 'DT_FLOAT', [-1]) } } },
  });
  writeSavedModelDir(path.join(tmp, 'log'), { model: savedModel([mg]) });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function smoke(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await smokeCommand(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const BUILTIN_CPU = ['--runtime', 'builtin', '--device', 'cpu', '--runs', '3', '--warmup', '1'];

test('exit 0: a synthesized request runs and the outputs are finite; --json is the report', async () => {
  const r = await smoke(path.join(tmp, 'linear'), ...BUILTIN_CPU, '--batch', '4', '--json');
  assert.equal(r.code, 0, r.out);
  const report = JSON.parse(r.out) as SmokeReport;
  assert.equal(report.status, 'ok');
  assert.equal(report.request?.source, 'synthesized');
  assert.equal(report.request?.batch, 4);
  assert.equal(report.device?.kind, 'cpu');
  assert.equal(report.latency?.runs, 3);
  assert.deepEqual(report.outputs?.map((o) => [o.key, o.dtype, o.shape]), [['y', 'DT_FLOAT', [4, 1]]]);
  assert.equal((report.response.predictions as unknown[]).length, 4);
});

test('--save-request writes the synthesized request; --instances reruns it with the same answers', async () => {
  const saved = path.join(tmp, 'request.json');
  const first = await smoke(path.join(tmp, 'linear'), ...BUILTIN_CPU, '--batch', '3', '--save-request', saved, '--json');
  assert.equal(first.code, 0, first.out);
  const request = JSON.parse(fs.readFileSync(saved, 'utf8')) as { signature_name: string; instances: number[][] };
  assert.equal(request.signature_name, 'serving_default');
  assert.equal(request.instances.length, 3);
  const again = await smoke(path.join(tmp, 'linear'), ...BUILTIN_CPU, '--instances', saved, '--json');
  assert.equal(again.code, 0);
  const a = JSON.parse(first.out) as SmokeReport;
  const b = JSON.parse(again.out) as SmokeReport;
  assert.deepEqual(b.response, a.response);
  for (const [i, [x]] of request.instances.entries()) {
    assert.ok(Math.abs((b.response.predictions as number[][])[i][0] - (0.5 * x + 3)) < 1e-5);
  }
});

test('exit 1: it ran, but an output is NaN', async () => {
  const file = path.join(tmp, 'negative.json');
  fs.writeFileSync(file, '{"instances": [4, -1]}');
  const r = await smoke(path.join(tmp, 'log'), ...BUILTIN_CPU, '--instances', file);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /problem\s+output 'y' has 1 NaN/);
  assert.match(r.out, /"NaN"/);
});

test('exit 2: a bad request gets the service\'s kind of error', async () => {
  const file = path.join(tmp, 'bad.json');
  fs.writeFileSync(file, '{"instances": [{"z": [1]}]}');
  const r = await smoke(path.join(tmp, 'linear'), ...BUILTIN_CPU, '--instances', file, '--json');
  assert.equal(r.code, 2);
  const report = JSON.parse(r.out) as SmokeReport;
  assert.equal(report.error?.kind, 'bad-request');
  assert.match(String(report.response.error), /unknown input 'z'/);
});

test('exit 2: no model, or an unknown signature', async () => {
  const none = await smoke(path.join(tmp, 'nothing-here'), ...BUILTIN_CPU);
  assert.equal(none.code, 2);
  assert.match(none.out, /could not run/);
  const sig = await smoke(path.join(tmp, 'linear'), ...BUILTIN_CPU, '--signature', 'nope');
  assert.equal(sig.code, 2);
  assert.match(sig.out, /no signature 'nope'; the model has: serving_default/);
});

test('usage errors are thrown before anything runs', () => {
  assert.throws(() => smokeCommand([]), UsageError);
  assert.throws(() => smokeCommand([path.join(tmp, 'linear'), '--batch', '0']), /--batch must be an integer of at least 1/);
  assert.throws(() => smokeCommand([path.join(tmp, 'linear'), '--runtime', 'onnx']), /--runtime must be auto, tensorflow, builtin/);
  assert.throws(() => smokeCommand([path.join(tmp, 'linear'), '--device', 'tpu']), /--device must be gpu, cpu/);
});

test('the CLI process exits with the smoke test\'s code', () => {
  const main = path.join(ROOT, 'server', 'src', 'cli', 'main.ts');
  const ok = spawnSync(process.execPath, ['--import', 'tsx', main, 'smoke', path.join(tmp, 'linear'), ...BUILTIN_CPU], { encoding: 'utf8', cwd: ROOT });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /status\s+ok: it ran and the outputs are finite/);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', main, 'smoke', path.join(tmp, 'linear'), '--batch', 'x'], { encoding: 'utf8', cwd: ROOT });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--batch must be an integer/);
});
