/// <reference types="mocha" />
// The extension loads in a real VS Code: saved_model.pbtxt opens as pbtxt and activates it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'savedmodel-lens.savedmodel-lens';

function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return folder.uri;
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('activation', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'model_a', 'saved_model.pbtxt'));
    await vscode.window.showTextDocument(doc);
  });

  it('opens saved_model.pbtxt with the pbtxt language', () => {
    assert.equal(doc.languageId, 'pbtxt');
    assert.ok(doc.getText().includes('serving_default'));
  });

  it('activates the extension without being asked to', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    // Only activation events may activate it: the test never calls ext.activate().
    await waitUntil(`${EXTENSION_ID} is active`, () => ext.isActive);
  });

  it('registers savedmodelLens.showOutput, which runs', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('savedmodelLens.showOutput'));
    await vscode.commands.executeCommand('savedmodelLens.showOutput');
  });

  it('gives .textproto files the pbtxt language too', async () => {
    // An untitled document with a file name gets its language from the name, as a file would.
    const other = await vscode.workspace.openTextDocument(vscode.Uri.parse('untitled:/scratch/example.textproto'));
    assert.equal(other.languageId, 'pbtxt');
  });
});
