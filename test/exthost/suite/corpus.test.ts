/// <reference types="mocha" />
// A real TensorFlow export from the shared corpus, copied into a temp folder at test time: its
// decoded view, hovers, diagnostics and the check report. Skipped when ../shared is absent.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../server/src/protocol';
import { copyCorpusModel, corpusDir, hoverText, lensApi, positionOf, waitFor } from '../helpers';

const MODEL = 'serving-half_plus_two_tf2_cpu';

describe(`corpus model ${MODEL}`, function () {
  let dir = '';

  before(async function () {
    if (!fs.existsSync(path.join(corpusDir(), MODEL))) {
      console.log(`    skipped: ${path.join(corpusDir(), MODEL)} (../shared/corpus) is missing`);
      this.skip();
    }
    await lensApi();
    dir = copyCorpusModel(MODEL);
  });

  after(() => {
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('decodes saved_model.pb with its signatures, and hovers its inputs', async () => {
    const file = vscode.Uri.file(path.join(dir, 'saved_model.pb'));
    await vscode.commands.executeCommand('vscode.open', file);
    const editor = await waitFor('the decoded view', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'savedmodel-pb' && e.document.uri.path === file.path && e.document.languageId === 'pbtxt' ? e : undefined;
    });
    const doc = editor.document;
    assert.match(doc.getText(), /^saved_model_schema_version: 1$/m);
    for (const key of ['serving_default', 'regress_x_to_y', 'classify_x_to_y']) assert.ok(doc.getText().includes(`key: "${key}"`), key);
    assert.match(await hoverText(doc.uri, new vscode.Position(0, 1)), /500 MB/);
    const input = await hoverText(doc.uri, positionOf(doc, 'inputs {', 'key: "serving_default"').translate(0, 2));
    assert.match(input, /per example|dtype|float/i);
  });

  it('checks it: the report agrees with the diagnostics count', async () => {
    const result = await vscode.commands.executeCommand<CheckResult>('savedmodelLens.check', vscode.Uri.file(dir));
    assert.ok(result && !('error' in result), JSON.stringify(result));
    assert.match(result.markdown, /^# Deployment check: serving-half_plus_two_tf2_cpu/);
    const uri = vscode.Uri.file(path.join(dir, 'saved_model.pb')).with({ scheme: 'savedmodel-pb' });
    const total = result.errors + result.warnings + result.infos;
    await waitFor(`${total} diagnostics on the decoded view`, () => (vscode.languages.getDiagnostics(uri).length === total ? true : undefined));
  });
});
