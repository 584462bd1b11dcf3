// A user opens the fixture workspace in VS Code (code-server in Chromium) with the extension
// installed, double-clicks saved_model.pbtxt and sees our language and our command at work.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Workbench, openWorkbench } from '../harness/workbench';

const LANGUAGE_ALIAS = 'Protobuf Text (SavedModel)';
let wb: Workbench;

before(async () => {
  wb = await openWorkbench({ name: 'basic' });
});

after(async () => {
  await wb?.close();
});

test('saved_model.pbtxt opens from the explorer as Protobuf Text (SavedModel)', async () => {
  await wb.step('workbench-loaded', () => wb.openFolder());
  await wb.step('open-saved_model.pbtxt', () => wb.openFileFromExplorer('model_a/saved_model.pbtxt'));
  const mode = await wb.step('language-mode', () => wb.waitForLanguageMode(LANGUAGE_ALIAS));
  assert.equal(mode, LANGUAGE_ALIAS);
});

test('the grammar colours field names and enum constants differently', async () => {
  const colours = await wb.step('token-colours', () => wb.tokenColours('type: DT_FLOAT', ['type', 'DT_FLOAT']));
  assert.notEqual(colours.type, colours.DT_FLOAT, JSON.stringify(colours));
});

test('"SavedModel Lens: Show Output" shows the extension\'s output channel', async () => {
  await wb.step('run-show-output', () => wb.runCommand('SavedModel Lens: Show Output'));
  const text = await wb.step('output-channel', () => wb.waitForPanelText('SavedModel Lens 0.'));
  assert.match(text, /SavedModel Lens \S+ activated in/);
});
