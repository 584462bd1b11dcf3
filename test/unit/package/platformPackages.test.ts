// The platform packages (scripts/package.mjs): savedmodel-lens-<target>.vsix carries the WebGPU
// module for its platform only, the universal one none; the CLI unpacked from a package finds the
// module beside it and runs the smoke test on webgpu (over lavapipe here, a software adapter), and
// says why it fell back when it cannot (no adapter, module missing). Packs the dist/ already built
// (`npm run build`), into a temp folder outside the project, so no node_modules is above it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { linearModel, writeSavedModelDir } from '../../../server/src/core/savedmodel/modelBuilder';
import { lavapipeEnv } from '../smoke/runHelpers';
import type { SmokeReport } from '../../../server/src/core/smoke/report';
import { deviceSummary } from '../../../server/src/core/smoke/deviceSummary';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const VSCE = path.join(ROOT, '.cache/editor-harness/tools/node_modules/@vscode/vsce/vsce');
const TARGET = `linux-${process.arch}`;
const skip = process.platform !== 'linux' ? `skipped: the packaged CLI is run on Linux only (this is ${process.platform})`
  : !fs.existsSync(VSCE) ? `skipped: ${VSCE} is missing (run test/harness/install.sh)`
    : !fs.existsSync(path.join(ROOT, 'dist/smoke-worker.js')) ? 'skipped: dist/ is not built (run npm run build)' : undefined;
const lavapipe = lavapipeEnv();
let tmp = '';

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-package-'));
  writeSavedModelDir(path.join(tmp, 'linear'), linearModel(0.5, 2));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function pack(target: string): string {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), '--no-build', '--target', target, '--out-dir', tmp], { stdio: 'pipe', timeout: 180_000 });
  const vsix = path.join(tmp, target === 'universal' ? 'savedmodel-lens.vsix' : `savedmodel-lens-${target}.vsix`);
  assert.ok(fs.existsSync(vsix), `${vsix} was not written`);
  return vsix;
}

/** A .vsix is a zip: its entry names, through python's zipfile (python3 is a test requirement). */
function entries(vsix: string): string[] {
  const out = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

function unpack(vsix: string): string {
  const dir = path.join(tmp, `${path.basename(vsix, '.vsix')}-unpacked`);
  execFileSync('python3', ['-m', 'zipfile', '-e', vsix, dir]);
  return path.join(dir, 'extension');
}

/** The packaged CLI's smoke test on the linear model (y = 0.5x + 2), on x = 1, 2, -3. */
function smoke(extension: string, env: Record<string, string>): SmokeReport {
  const request = path.join(tmp, 'request.json');
  fs.writeFileSync(request, '{"instances": [[1], [2], [-3]]}');
  const r = spawnSync(process.execPath, [path.join(extension, 'dist/cli.js'), 'smoke', path.join(tmp, 'linear'), '--runtime', 'builtin', '--device', 'gpu', '--instances', request, '--runs', '2', '--json'], {
    encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000,
  });
  assert.ok(r.stdout, `no report; stderr: ${r.stderr}`);
  return JSON.parse(r.stdout) as SmokeReport;
}

/** The response's predictions, one number per instance (the output is [batch, 1]). */
function predictions(r: SmokeReport): unknown[] {
  return (r.response.predictions as unknown[]).flat();
}

test(`savedmodel-lens-${TARGET}.vsix carries that platform's WebGPU module only, and its CLI runs on webgpu`, { skip }, () => {
  const vsix = pack(TARGET);
  const names = entries(vsix);
  const webgpu = names.filter((n) => n.startsWith('extension/dist/webgpu/'));
  assert.deepEqual(webgpu.filter((n) => n.startsWith('extension/dist/webgpu/dist/')), [`extension/dist/webgpu/dist/${TARGET}/dawn.node`]);
  for (const f of ['index.js', 'package.json', 'LICENSE.md']) assert.ok(webgpu.includes(`extension/dist/webgpu/${f}`), `${f} missing`);
  assert.ok(!names.some((n) => n.includes('node_modules')), 'node_modules was packaged');
  const manifest = execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("extension.vsixmanifest").decode())', vsix], { encoding: 'utf8' });
  assert.match(manifest, new RegExp(`TargetPlatform="${TARGET}"`));

  const extension = unpack(vsix);
  const noAdapter = smoke(extension, { VK_ICD_FILENAMES: path.join(tmp, 'no-icd.json'), VK_DRIVER_FILES: path.join(tmp, 'no-icd.json') });
  assert.equal(noAdapter.device?.backend, 'wasm');
  assert.match(noAdapter.device?.fallback ?? '', /^webgpu: no adapter: /);
  assert.match(noAdapter.warnings.join('\n'), /a GPU was asked for but not used: webgpu: no adapter/);
  // The editor's status line for the same report.
  assert.match(deviceSummary(noAdapter), /^ran on the CPU \(wasm\): no GPU, no adapter: Dawn found no WebGPU adapter/);
  if (typeof lavapipe === 'string') return void console.log(`# the webgpu run ${lavapipe}`);
  const report = smoke(extension, lavapipe);
  assert.equal(report.status, 'ok', JSON.stringify(report.error ?? report.problems));
  assert.equal(report.device?.backend, 'webgpu');
  assert.equal(report.device?.kind, 'software');
  assert.deepEqual(predictions(report), [2.5, 3, 0.5]);
  assert.equal(report.parity?.against, 'cpu backend');
  assert.equal(report.parity?.maxAbsDiff, 0);
  assert.equal(deviceSummary(report), 'ran on webgpu with a software adapter (llvmpipe), not a GPU');
});

test('the universal .vsix carries no native code; its CLI says the module is missing and runs on wasm', { skip }, () => {
  const vsix = pack('universal');
  const names = entries(vsix);
  assert.deepEqual(names.filter((n) => n.startsWith('extension/dist/webgpu') || n.endsWith('.node')), []);
  assert.ok(names.includes('extension/dist/smoke-worker.js'));
  const report = smoke(unpack(vsix), typeof lavapipe === 'string' ? {} : lavapipe);
  assert.equal(report.device?.backend, 'wasm');
  assert.match(report.device?.fallback ?? '', /^webgpu: module missing: .*universal package carries no native code.*savedmodel-lens-linux-/);
  assert.match(deviceSummary(report), /^ran on the CPU \(wasm\): no GPU, module missing: /);
  assert.deepEqual(predictions(report), [2.5, 3, 0.5]);
});

test('an unknown target is refused, naming the ones there are', { skip: skip ?? undefined }, () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/package.mjs'), '--no-build', '--target', 'alpine-x64', '--out-dir', tmp], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no WebGPU module for target alpine-x64: use one of linux-x64, linux-arm64, win32-x64, win32-arm64, darwin-x64, darwin-arm64, or universal/);
});
