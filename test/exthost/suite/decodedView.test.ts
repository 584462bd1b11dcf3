/// <reference types="mocha" />
// Opening a binary saved_model.pb shows its decoded text, read-only, with the language features.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DECODED_SCHEME } from '../../../server/src/protocol';
import { closeAllEditors, fixture, hoverText, lensApi, positionOf, tempDir, waitFor } from '../helpers';

function decodedUri(file: vscode.Uri): vscode.Uri {
  return file.with({ scheme: DECODED_SCHEME });
}

describe('decoded view of saved_model.pb', () => {
  before(async () => {
    await lensApi();
    await closeAllEditors();
  });

  it('opens saved_model.pb as its decoded text through the custom editor', async () => {
    const file = fixture('model_binary/saved_model.pb');
    // What a double-click in the explorer does: open the file with its default editor.
    await vscode.commands.executeCommand('vscode.open', file);
    const editor = await waitFor('the decoded view to be the active editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === DECODED_SCHEME && e.document.languageId === 'pbtxt' ? e : undefined;
    });
    assert.equal(editor.document.uri.path, file.path);
    const text = editor.document.getText();
    assert.match(text, /^saved_model_schema_version: 1$/m);
    assert.match(text, /key: "serving_default"/);
    // The custom editor closed itself: no webview tab is left for the .pb.
    await waitFor('the custom editor to close', () => (vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputCustom) ? undefined : true));
  });

  it('is read-only: editing it changes nothing', async () => {
    const editor = await waitFor('the decoded view', () => (vscode.window.activeTextEditor?.document.uri.scheme === DECODED_SCHEME ? vscode.window.activeTextEditor : undefined));
    const before = editor.document.getText();
    await vscode.commands.executeCommand('type', { text: 'x' });
    assert.equal(editor.document.getText(), before);
    assert.equal(editor.document.isDirty, false);
  });

  it('has the language features: hovers, symbols', async () => {
    const uri = decodedUri(fixture('model_binary/saved_model.pb'));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(await hoverText(uri, new vscode.Position(0, 3)), /500 MB/);
    const input = await hoverText(uri, positionOf(doc, 'key: "x"', 'signature_def').translate(0, 6));
    assert.match(input, /4 B per example/); // x is float32 [-1, 1]
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.ok(symbols.length > 0, 'no document symbols');
  });

  it('shows why a file named saved_model.pb cannot be decoded', async () => {
    const dir = tempDir('html');
    const file = path.join(dir, 'saved_model.pb');
    fs.writeFileSync(file, '<!DOCTYPE html>\n<html><body>Not Found</body></html>\n');
    const doc = await vscode.workspace.openTextDocument(decodedUri(vscode.Uri.file(file)));
    assert.match(doc.getText(), /^# .*saved_model\.pb is .*HTML/);
  });
});
