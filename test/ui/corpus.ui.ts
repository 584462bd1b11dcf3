// A real TensorFlow export from the shared corpus, copied at test time into a temp workspace (never
// into the project): the binary saved_model.pb opens as decoded text with its warnings in the
// Problems panel, the SavedModel view lists its signatures, selecting one reveals it, and hovering
// its input shows the size. The last step's screenshot is the README's (media/screenshot.png,
// written when SAVEDMODEL_LENS_UPDATE_SCREENSHOT=1). Skipped when ../shared/corpus is absent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workbench, openWorkbench } from '../harness/workbench';
import { PROJECT_ROOT } from '../harness/paths';
import { CORPUS_DIR, corpusMissing } from '../helpers/corpus';

const MODEL = 'serving-half_plus_two_tf2_cpu';
const skip = corpusMissing();
let wb: Workbench | undefined;
let workspace = '';

before(async () => {
  if (skip) return;
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-ui-corpus-'));
  // A stable folder name: the window title shows it in the README screenshot.
  const folder = path.join(workspace, 'models');
  fs.cpSync(path.join(CORPUS_DIR, MODEL), path.join(folder, MODEL), { recursive: true });
  wb = await openWorkbench({ name: 'corpus' });
  await wb.step('workbench-loaded', () => wb!.openFolder(folder));
});

after(async () => {
  await wb?.close();
  if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
});

test(`${MODEL}: decoded view, Problems panel, SavedModel view and hover`, { skip }, async () => {
  const w = wb!;
  await w.step('open-pb', () => w.openFileFromExplorer(`${MODEL}/saved_model.pb`));
  await w.step('decoded-text', () => w.waitForEditorLine('saved_model_schema_version'));
  const rows = await w.step('problems-panel', () => w.problemsRows("Signature 'serving_default' input 'x'"));
  assert.equal(rows.filter((r) => r.includes('batch-dimension-fixed')).length, 6, rows.join('\n'));
  await w.step('open-savedmodel-view', () => w.openViewContainer('SavedModel'));
  const items = await w.step('tree-items', async () => {
    await w.page.locator('.pane .monaco-list-row', { hasText: new RegExp(`${MODEL}.*of 500 MB`) }).first().waitFor({ timeout: 30_000 });
    return w.treeItems('Models');
  });
  for (const sig of ['serving_default', 'regress_x_to_y', 'classify_x_to_y']) assert.ok(items.some((i) => i.startsWith(sig)), `${sig} missing: ${items.join(' | ')}`);
  await w.step('reveal-serving_default', async () => {
    await w.clickTreeItem(/^\s*serving_default/);
    await w.page.locator('.editor-instance .view-line', { hasText: 'key: "serving_default"' }).first().waitFor({ timeout: 30_000 });
  });
  // A click on the input's line ends the revealed selection, as a reader would, before hovering.
  await w.page.locator('.editor-instance .view-line', { hasText: 'key: "x"' }).first().click();
  const hover = await w.step('hover-input', () => w.hoverText('key: "x"', 'key'));
  // x is float32 (1,): 4 bytes per example.
  assert.match(hover, /4 B per example/);
  const shot = await w.screenshot('corpus-readme');
  if (process.env.SAVEDMODEL_LENS_UPDATE_SCREENSHOT === '1') fs.copyFileSync(shot, path.join(PROJECT_ROOT, 'media', 'screenshot.png'));
});
