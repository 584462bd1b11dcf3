// The packaged extension as a user gets it: `npm run package -- --target linux-x64` builds
// savedmodel-lens-linux-x64.vsix offline (the bundles plus that platform's WebGPU module),
// `code-server --install-extension` installs it into a fresh VS Code, and it works from there (its
// self-contained bundles, no node_modules): a model's problems appear, the size is shown, and the
// smoke test command runs a corpus model on webgpu. The machine has no GPU: Mesa's lavapipe
// (test/harness/install-lavapipe.sh) is the Vulkan driver, so the report must say software
// adapter, and give the cpu backend's answers. Without lavapipe or the corpus that test skips.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workbench, openWorkbench } from '../harness/workbench';
import { FIXTURE_WORKSPACE, PROJECT_ROOT } from '../harness/paths';
import { CORPUS_DIR, corpusMissing } from '../helpers/corpus';
import { lavapipeEnv } from '../unit/smoke/runHelpers';

// The package for this machine; the harness runs on Linux.
const TARGET = `linux-${process.arch}`;
const VSIX = path.join(PROJECT_ROOT, `savedmodel-lens-${TARGET}.vsix`);
// One signature (serving_default: y = 3x), so the command asks no signature question.
const MODEL = 'tfjs-times_three_float';
const lavapipe = lavapipeEnv();
const skipSmoke = corpusMissing() ?? (typeof lavapipe === 'string' ? lavapipe : undefined);
let wb: Workbench;
let workspace = '';

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

/**
 * The .vsix: the one run-editor-tests.sh has just packaged (SAVEDMODEL_LENS_VSIX), else this
 * project's, packaged again when it is missing or older than its sources.
 */
function freshVsix(): string {
  const given = process.env.SAVEDMODEL_LENS_VSIX;
  if (given) return given;
  const sources = Math.max(...['client/src', 'server/src', 'server/proto', 'package.json', '.vscodeignore', 'scripts/package.mjs'].map((f) => newestMtime(path.join(PROJECT_ROOT, f))));
  if (newestMtime(VSIX) < sources) execFileSync('npm', ['run', '--silent', 'package', '--', '--target', TARGET], { cwd: PROJECT_ROOT, stdio: 'pipe', timeout: 240_000 });
  return VSIX;
}

before(async () => {
  // A workspace of its own: a fixture model, and the corpus model copied in (never into the project).
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-ui-vsix-'));
  fs.cpSync(path.join(FIXTURE_WORKSPACE, 'model_no_serve'), path.join(workspace, 'model_no_serve'), { recursive: true });
  if (!corpusMissing()) fs.cpSync(path.join(CORPUS_DIR, MODEL), path.join(workspace, MODEL), { recursive: true });
  // The language server, and so the smoke test's worker, inherit code-server's environment.
  wb = await openWorkbench({ name: 'vsix', vsix: freshVsix(), ...(typeof lavapipe === 'string' ? {} : { env: lavapipe }) });
});

after(async () => {
  await wb?.close();
  if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
});

function installedDir(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  // A platform package installs into <publisher>.<name>-<version>-<target>.
  const root = path.join(wb.server.runDir, 'extensions');
  const prefix = `${manifest.publisher}.${manifest.name}-${manifest.version}`;
  const found = fs.readdirSync(root).find((d) => d === prefix || d === `${prefix}-${TARGET}`);
  assert.ok(found, `no ${prefix} folder in ${root}: ${fs.readdirSync(root).join(', ')}`);
  return path.join(root, found);
}

test('the .vsix installs into code-server, without node_modules, with only its platform\'s WebGPU module', () => {
  const installed = installedDir();
  assert.ok(fs.existsSync(path.join(installed, 'package.json')), `${installed} is not there`);
  assert.ok(fs.lstatSync(installed).isDirectory() && !fs.lstatSync(installed).isSymbolicLink(), 'the extension is linked, not installed');
  // vsce stores LICENSE as LICENSE.txt.
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/cli.js', 'dist/smoke-worker.js', 'dist/proto', 'dist/webgpu/index.js', `dist/webgpu/dist/${TARGET}/dawn.node`, 'syntaxes/pbtxt.tmLanguage.json', 'media/icon.png', 'docs/rules.md', 'LICENSE.txt']) {
    assert.ok(fs.existsSync(path.join(installed, f)), `${f} is missing from the installed extension`);
  }
  assert.deepEqual(fs.readdirSync(path.join(installed, 'dist/webgpu/dist')), [TARGET]);
  for (const f of ['node_modules', 'test', 'client', '.cache', 'bench']) assert.ok(!fs.existsSync(path.join(installed, f)), `${f} was packaged`);
  assert.match(fs.readFileSync(path.join(wb.server.runDir, 'install-extension.log'), 'utf8'), /successfully installed/);
});

test('the installed extension activates and its language server reports problems', async () => {
  await wb.step('workbench-loaded', () => wb.openFolder(workspace));
  await wb.step('open-pbtxt', () => wb.openFileFromExplorer('model_no_serve/saved_model.pbtxt'));
  const rows = await wb.step('problems-panel', () => wb.problemsRows('serve-tag-missing'));
  assert.ok(rows.some((r) => r.includes('serve-tag-missing')), rows.join('\n'));
  const status = await wb.step('status-bar-size', () => wb.statusBarItem('/ 500 MB'));
  assert.match(status, /kB \/ 500 MB$/);
});

test(`the smoke test command runs ${MODEL} on webgpu (lavapipe: a software adapter) with the cpu backend's answers`, { skip: skipSmoke }, async () => {
  await wb.step('smoke-from-explorer', () => wb.explorerContextMenu(MODEL, 'SavedModel', 'Run GPU Prediction Smoke Test'));
  await wb.step('smoke-request', () => wb.pickQuickItem('Request', 'Synthesize from the signature'));
  await wb.step('smoke-batch', () => wb.answerInputBox('Batch size', '1'));
  await wb.step('smoke-runtime', () => wb.pickQuickItem('Runtime', 'builtin'));
  const report = await wb.step('smoke-report', () => wb.waitForWebviewText('largest difference from the cpu backend'));
  assert.match(report, /\[webgpu; software adapter, not a GPU\]/, report);
  assert.match(report, /llvmpipe/, report);
  assert.match(report, /largest difference from the cpu backend: 0\.00e\+0/, report);
  assert.match(report, /ok: it ran and the outputs are finite/, report);
  const status = await wb.step('smoke-status-line', () => wb.statusBarItem('Smoke test:'));
  assert.equal(status, 'Smoke test: ran on webgpu with a software adapter (llvmpipe), not a GPU');
});
