/// <reference types="mocha" />
// Check for Deployment, the exports and Show Summary, run with arguments instead of dialogs.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult, ExportResult, SummaryResult } from '../../../server/src/protocol';
import { codeOf, closeAllEditors, directoryBytes, fixture, lensApi, tempDir, waitFor } from '../helpers';

describe('commands', () => {
  before(async () => {
    await lensApi();
    await closeAllEditors();
  });

  it('Check for Deployment reports the findings and lists them in the Problems panel', async () => {
    const model = fixture('model_no_serve/saved_model.pbtxt');
    const result = await vscode.commands.executeCommand<CheckResult>('savedmodelLens.check', model);
    assert.ok(result && !('error' in result), JSON.stringify(result));
    assert.equal(result.errors, 1);
    assert.match(result.markdown, /^# Deployment check: model_no_serve/);
    assert.match(result.markdown, /serve-tag-missing/);
    // The report opened as a read-only document, and the model's diagnostics are published.
    const reportUri = vscode.Uri.from({ scheme: 'savedmodel-report', path: `${path.posix.dirname(model.path)}/deployment-check.md` });
    assert.equal((await vscode.workspace.openTextDocument(reportUri)).getText(), result.markdown);
    await waitFor('the report preview tab', () => (vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /deployment-check\.md/.test(t.label)) ? true : undefined));
    await waitFor('serve-tag-missing in the Problems panel', () => (vscode.languages.getDiagnostics(model).some((d) => codeOf(d) === 'serve-tag-missing') ? true : undefined));
  });

  it('Check for Deployment accepts a model folder', async () => {
    const result = await vscode.commands.executeCommand<CheckResult>('savedmodelLens.check', fixture('model_fixed_batch'));
    assert.ok(result && !('error' in result));
    assert.deepEqual([result.errors, result.warnings], [0, 2]);
  });

  it('Export as Text writes the decoded text, and never overwrites without confirmation', async () => {
    const out = path.join(tempDir('export-text'), 'saved_model.pbtxt');
    const model = fixture('model_binary/saved_model.pb');
    const first = await vscode.commands.executeCommand<ExportResult>('savedmodelLens.exportText', model, out, false);
    assert.equal(first?.ok, true, JSON.stringify(first));
    assert.match(fs.readFileSync(out, 'utf8'), /^saved_model_schema_version: 1$/m);
    fs.writeFileSync(out, 'precious\n');
    const refused = await vscode.commands.executeCommand<ExportResult>('savedmodelLens.exportText', model, out, false);
    assert.deepEqual(refused && { ok: refused.ok, exists: !refused.ok && refused.exists }, { ok: false, exists: true });
    assert.equal(fs.readFileSync(out, 'utf8'), 'precious\n');
    const confirmed = await vscode.commands.executeCommand<ExportResult>('savedmodelLens.exportText', model, out, true);
    assert.equal(confirmed?.ok, true);
    assert.match(fs.readFileSync(out, 'utf8'), /key: "serving_default"/);
  });

  it('Export as Binary encodes a .pbtxt; Export as Text of it round-trips', async () => {
    const dir = tempDir('export-binary');
    const pb = path.join(dir, 'saved_model.pb');
    const model = fixture('model_a/saved_model.pbtxt');
    const result = await vscode.commands.executeCommand<ExportResult>('savedmodelLens.exportBinary', model, pb, false);
    assert.equal(result?.ok, true, JSON.stringify(result));
    const back = path.join(dir, 'back.pbtxt');
    assert.equal((await vscode.commands.executeCommand<ExportResult>('savedmodelLens.exportText', vscode.Uri.file(pb), back, false))?.ok, true);
    const strip = (t: string): string => t.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    assert.equal(strip(fs.readFileSync(back, 'utf8')), strip(fs.readFileSync(model.fsPath, 'utf8')));
  });

  it('Export as Text refuses a text model', async () => {
    const out = path.join(tempDir('export-wrong'), 'x.pbtxt');
    const result = await vscode.commands.executeCommand<ExportResult | undefined>('savedmodelLens.exportText', fixture('model_a/saved_model.pbtxt'), out, false);
    assert.equal(result, undefined);
    assert.equal(fs.existsSync(out), false);
  });

  it('Export Serving Copy writes the model and its variables into a new folder', async () => {
    const out = path.join(tempDir('export-serving'), 'serving');
    const model = fixture('model_binary');
    const result = await vscode.commands.executeCommand<ExportResult>('savedmodelLens.exportServing', model, out, false);
    assert.equal(result?.ok, true, JSON.stringify(result));
    assert.ok(fs.existsSync(path.join(out, 'saved_model.pb')));
    assert.ok(fs.readdirSync(path.join(out, 'variables')).some((f) => f.endsWith('.index')));
    const again = await vscode.commands.executeCommand<ExportResult>('savedmodelLens.exportServing', model, out, false);
    assert.equal(again?.ok, false);
  });

  it('Show Summary opens the summary as a read-only document', async () => {
    const result = await vscode.commands.executeCommand<SummaryResult>('savedmodelLens.showSummary', fixture('model_binary/saved_model.pb'));
    assert.ok(result && !('error' in result), JSON.stringify(result));
    assert.equal(result.totalBytes, directoryBytes(fixture('model_binary').fsPath));
    assert.equal(result.limitBytes, 500_000_000);
    const editor = await waitFor('the summary editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'savedmodel-report' ? e : undefined;
    });
    assert.equal(editor.document.getText(), result.text);
    assert.match(result.text, /serving_default/);
  });
});
