// The packaged extension as a user gets it: `npm run package` builds savedmodel-lens.vsix offline,
// `code-server --install-extension` installs it into a fresh VS Code, and it works from there (its
// self-contained bundles, no node_modules): a model's problems appear and the size is shown.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workbench, openWorkbench } from '../harness/workbench';
import { PROJECT_ROOT } from '../harness/paths';

const VSIX = path.join(PROJECT_ROOT, 'savedmodel-lens.vsix');
let wb: Workbench;

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
  const sources = Math.max(...['client/src', 'server/src', 'server/proto', 'package.json', '.vscodeignore'].map((f) => newestMtime(path.join(PROJECT_ROOT, f))));
  if (newestMtime(VSIX) < sources) execFileSync('npm', ['run', '--silent', 'package'], { cwd: PROJECT_ROOT, stdio: 'pipe', timeout: 240_000 });
  return VSIX;
}

before(async () => {
  wb = await openWorkbench({ name: 'vsix', vsix: freshVsix() });
});

after(async () => {
  await wb?.close();
});

test('the .vsix installs into code-server, without node_modules', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const installed = path.join(wb.server.runDir, 'extensions', `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  assert.ok(fs.existsSync(path.join(installed, 'package.json')), `${installed} is not there`);
  assert.ok(fs.lstatSync(installed).isDirectory() && !fs.lstatSync(installed).isSymbolicLink(), 'the extension is linked, not installed');
  // vsce stores LICENSE as LICENSE.txt.
  for (const f of ['dist/client.js', 'dist/server.js', 'dist/proto', 'syntaxes/pbtxt.tmLanguage.json', 'media/icon.png', 'docs/rules.md', 'LICENSE.txt']) {
    assert.ok(fs.existsSync(path.join(installed, f)), `${f} is missing from the installed extension`);
  }
  for (const f of ['node_modules', 'test', 'client', '.cache', 'bench']) assert.ok(!fs.existsSync(path.join(installed, f)), `${f} was packaged`);
  assert.match(fs.readFileSync(path.join(wb.server.runDir, 'install-extension.log'), 'utf8'), /successfully installed/);
});

test('the installed extension activates and its language server reports problems', async () => {
  await wb.step('workbench-loaded', () => wb.openFolder());
  await wb.step('open-pbtxt', () => wb.openFileFromExplorer('model_no_serve/saved_model.pbtxt'));
  const rows = await wb.step('problems-panel', () => wb.problemsRows('serve-tag-missing'));
  assert.ok(rows.some((r) => r.includes('serve-tag-missing')), rows.join('\n'));
  const status = await wb.step('status-bar-size', () => wb.statusBarItem('/ 500 MB'));
  assert.match(status, /kB \/ 500 MB$/);
});
