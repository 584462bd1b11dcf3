/// <reference types="mocha" />
// The language server's diagnostics and hovers reach VS Code, and follow the settings.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnosticsWith, fixture, hoverText, lensApi, openEditor, positionOf, waitFor } from '../helpers';

describe('diagnostics and hovers', () => {
  before(async () => {
    await lensApi();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('savedmodelLens').update('rules', undefined, vscode.ConfigurationTarget.Global);
  });

  it('warns about a fixed batch dimension, on the signature input\'s shape', async () => {
    const uri = fixture('model_fixed_batch/saved_model.pbtxt');
    const { document } = await openEditor(uri);
    const diags = (await diagnosticsWith(uri, 'batch-dimension-fixed')).filter((d) => codeOf(d) === 'batch-dimension-fixed');
    assert.equal(diags.length, 2, JSON.stringify(diags.map((d) => d.message)));
    const input = diags.find((d) => d.message.includes("input 'x'"));
    assert.ok(input, 'no diagnostic names input x');
    assert.equal(input.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(input.source, 'SavedModel Lens');
    // The range is the input's tensor_shape inside signature_def, not the file's first line.
    assert.match(document.lineAt(input.range.start.line).text, /tensor_shape/);
    assert.ok(input.range.start.line > positionOf(document, 'signature_def').line);
  });

  it('reports a missing serve tag as an error', async () => {
    const uri = fixture('model_no_serve/saved_model.pbtxt');
    await openEditor(uri);
    const diags = await diagnosticsWith(uri, 'serve-tag-missing');
    const d = diags.find((x) => codeOf(x) === 'serve-tag-missing');
    assert.equal(d?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d?.message ?? '', /serve/);
  });

  it('has no diagnostics for a model that is fine', async () => {
    const uri = fixture('model_a/saved_model.pbtxt');
    await openEditor(uri);
    // Diagnostics arrive after the analysis: ask for a hover first, which waits for it.
    await hoverText(uri, new vscode.Position(0, 0));
    assert.deepEqual(vscode.languages.getDiagnostics(uri).map((d) => d.message), []);
  });

  it('applies per-rule severities from the settings', async () => {
    const uri = fixture('model_fixed_batch/saved_model.pbtxt');
    await openEditor(uri);
    await vscode.workspace.getConfiguration('savedmodelLens').update('rules', { 'batch-dimension-fixed': 'error' }, vscode.ConfigurationTarget.Global);
    await waitFor('batch-dimension-fixed as an error', () => vscode.languages.getDiagnostics(uri)
      .find((d) => codeOf(d) === 'batch-dimension-fixed' && d.severity === vscode.DiagnosticSeverity.Error));
    await vscode.workspace.getConfiguration('savedmodelLens').update('rules', { 'batch-dimension-fixed': 'off' }, vscode.ConfigurationTarget.Global);
    await waitFor('batch-dimension-fixed turned off', () => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d) === 'batch-dimension-fixed') ? undefined : true));
  });

  it('hovers a signature input with its dtype, shape and bytes per example', async () => {
    const uri = fixture('model_a/saved_model.pbtxt');
    const { document } = await openEditor(uri);
    // The input's key inside signature_def: x is float32 [-1, 3], so 12 bytes per example.
    const text = await hoverText(uri, positionOf(document, 'key: "x"', 'signature_def').translate(0, 6));
    assert.match(text, /per example/);
    assert.match(text, /12 B per example/);
  });

  it('hovers the first line with the directory size against the 500 MB limit', async () => {
    const uri = fixture('model_a/saved_model.pbtxt');
    await openEditor(uri);
    const text = await hoverText(uri, new vscode.Position(0, 2));
    assert.match(text, /500 MB/);
  });
});
