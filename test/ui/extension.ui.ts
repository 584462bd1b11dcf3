// A user works with SavedModels in VS Code (code-server in Chromium, the project installed as an
// extension): opens saved_model.pbtxt from the explorer and sees its problems, hovers a signature
// input for its size, browses the SavedModel view, runs Check and Export from the command palette,
// and opens a binary saved_model.pb as decoded text. Every step leaves a screenshot.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workbench, openWorkbench } from '../harness/workbench';
import { FIXTURE_WORKSPACE } from '../harness/paths';

const TEXT_MODEL = 'model_fixed_batch/saved_model.pbtxt';
const BINARY_MODEL = 'model_binary/saved_model.pb';
let wb: Workbench;
let outDir: string;

/** 1-based number of the first line of a fixture file containing `text`. */
function lineOf(relativePath: string, text: string): number {
  const lines = fs.readFileSync(path.join(FIXTURE_WORKSPACE, relativePath), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, `${text} is not in ${relativePath}`);
  return i + 1;
}

before(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-ui-export-'));
  wb = await openWorkbench({ name: 'extension' });
  await wb.step('workbench-loaded', () => wb.openFolder());
});

after(async () => {
  await wb?.close();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

test('opening saved_model.pbtxt from the explorer lists its warnings in the Problems panel', async () => {
  await wb.step('open-pbtxt', () => wb.openFileFromExplorer(TEXT_MODEL));
  const rows = await wb.step('problems-panel', () => wb.problemsRows('batch-dimension-fixed'));
  const warnings = rows.filter((r) => r.includes('batch-dimension-fixed'));
  assert.equal(warnings.length, 2, rows.join('\n'));
  assert.ok(warnings.some((r) => r.includes("input 'x'")), rows.join('\n'));
});

test('hovering a signature input shows its bytes per example', async () => {
  await wb.step('go-to-input', () => wb.goToLine(lineOf(TEXT_MODEL, 'key: "x"')));
  const text = await wb.step('hover-input', () => wb.hoverText('key: "x"', 'key'));
  // x is float32 (1, 3): 12 bytes per example.
  assert.match(text, /12 B per example/);
  await wb.page.keyboard.press('Escape');
});

test('the SavedModel view lists the models and their signatures', async () => {
  await wb.step('open-savedmodel-view', () => wb.openViewContainer('SavedModel'));
  const items = await wb.step('tree-items', async () => {
    // A model's line gets its size once its tree has come from the server.
    await wb.page.locator('.pane .monaco-list-row', { hasText: /model_fixed_batch.*of 500 MB/ }).first().waitFor({ timeout: 30_000 });
    return wb.treeItems('Models');
  });
  for (const label of ['model_fixed_batch', 'model_binary', '{serve}', 'serving_default']) {
    assert.ok(items.some((i) => i.includes(label)), `${label} missing from ${items.join(' | ')}`);
  }
  assert.ok(items.some((i) => /model_fixed_batch.* of 500 MB/.test(i)), items.join(' | '));
});

test('"SavedModel: Check for Deployment" from the palette opens the report', async () => {
  await wb.step('run-check', () => wb.runCommand('SavedModel: Check for Deployment'));
  await wb.waitForTab('deployment-check.md');
  const report = await wb.step('check-report', () => wb.waitForWebviewText('batch-dimension-fixed'));
  assert.match(report, /Deployment check: model_fixed_batch/);
  assert.match(report, /0 errors, 2 warnings/);
});

test('opening saved_model.pb shows its decoded text and its size in the status bar', async () => {
  await wb.step('open-pb', () => wb.openFileFromExplorer(BINARY_MODEL));
  const line = await wb.step('decoded-text', () => wb.waitForEditorLine('saved_model_schema_version'));
  assert.equal(line.trim(), 'saved_model_schema_version: 1');
  const mode = await wb.waitForLanguageMode('Protobuf Text (SavedModel)');
  assert.equal(mode, 'Protobuf Text (SavedModel)');
  const status = await wb.step('status-bar-size', () => wb.statusBarItem('/ 500 MB'));
  assert.match(status, /^\d+ B \/ 500 MB$/);
});

test('"SavedModel: Export as Text" from the palette writes the file, and asks before overwriting', async () => {
  const target = path.join(outDir, 'exported.pbtxt');
  await wb.step('run-export-text', () => wb.runCommandAnswering('SavedModel: Export as Text', target));
  await wb.step('export-done', () => wb.waitForToast(/^Exported saved_model\.pb to /));
  assert.match(fs.readFileSync(target, 'utf8'), /^saved_model_schema_version: 1$/m);
  fs.writeFileSync(target, 'precious\n');
  await wb.step('run-export-again', () => wb.runCommandAnswering('SavedModel: Export as Text', target));
  const question = await wb.step('overwrite-question', () => wb.dialogMessage());
  assert.match(question, /exported\.pbtxt exists\. Overwrite\?/);
  await wb.step('decline-overwrite', () => wb.clickDialogButton('Cancel'));
  assert.equal(fs.readFileSync(target, 'utf8'), 'precious\n');
});

test('the explorer\'s context menu offers the SavedModel commands for a model folder', async () => {
  const items = await wb.step('explorer-context-menu', () => wb.explorerContextMenu('model_no_serve', 'SavedModel', 'Show Summary'));
  assert.deepEqual(items, ['Check for Deployment', 'Show Summary', 'Export as Text', 'Export as Binary', 'Export Serving Copy', 'Export Smaller Serving Copy…', 'Run GPU Prediction Smoke Test']);
  await wb.step('summary-document', async () => {
    await wb.waitForTab('summary.txt');
    await wb.waitForEditorLine('serving_default');
  });
});

test('a saved_model.pb tab restored as binary text before the extension is ready is shown decoded', async () => {
  // Open the .pb with VS Code's text editor (the binary notice), as a tab restored at start-up
  // before the extension's contributions are known would be, then reload the window.
  await wb.step('open-with-text-editor', async () => {
    await wb.runCommand('View: Close All Editors');
    await wb.explorerContextMenu(BINARY_MODEL, 'Open With...');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'SavedModel (decoded text)' }).first().waitFor({ timeout: 30_000 });
    await input.fill('Text Editor');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: /^\s*Text Editor/ }).first().waitFor({ timeout: 30_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.editor-instance', { hasText: 'binary' }).first().waitFor({ timeout: 30_000 });
  });
  await wb.step('reload-window', async () => {
    await wb.runCommand('Developer: Reload Window');
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 30_000 });
  });
  const line = await wb.step('decoded-after-reload', () => wb.waitForEditorLine('saved_model_schema_version'));
  assert.equal(line.trim(), 'saved_model_schema_version: 1');
  await wb.page.locator('.editor-instance', { hasText: 'is not displayed in the text editor' }).first().waitFor({ state: 'detached', timeout: 30_000 });
});
