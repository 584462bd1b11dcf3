/// <reference types="mocha" />
// The status bar item: the open model's size against the limit, hidden for other editors, and
// following the machine type setting.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LensApi } from '../../../client/src/api';
import { formatBytes } from '../../../server/src/core/units';
import { directoryBytes, fixture, lensApi, openEditor, waitFor } from '../helpers';

describe('size status bar item', () => {
  let api: LensApi;

  before(async () => {
    api = await lensApi();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('savedmodelLens').update('machineType', undefined, vscode.ConfigurationTarget.Global);
  });

  const statusIs = (text: string): Promise<string> => waitFor(`status bar "${text}" (now ${String(api.statusBarText())})`, () => (api.statusBarText() === text ? text : undefined));

  it('shows the open model\'s directory size against the 500 MB limit', async () => {
    await openEditor(fixture('model_a/saved_model.pbtxt'));
    await statusIs(`$(database) ${formatBytes(directoryBytes(fixture('model_a').fsPath))} / 500 MB`);
  });

  it('shows it for the decoded view of a binary model too', async () => {
    await vscode.commands.executeCommand('vscode.open', fixture('model_binary/saved_model.pb'));
    await statusIs(`$(database) ${formatBytes(directoryBytes(fixture('model_binary').fsPath))} / 500 MB`);
  });

  it('is hidden for other files', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'not a model' });
    await vscode.window.showTextDocument(doc);
    await waitFor('the status bar item to hide', () => (api.statusBarText() === undefined ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('follows the machine type setting (n1: 10 GB)', async () => {
    await openEditor(fixture('model_a/saved_model.pbtxt'));
    await statusIs(`$(database) ${formatBytes(directoryBytes(fixture('model_a').fsPath))} / 500 MB`);
    await vscode.workspace.getConfiguration('savedmodelLens').update('machineType', 'n1', vscode.ConfigurationTarget.Global);
    await statusIs(`$(database) ${formatBytes(directoryBytes(fixture('model_a').fsPath))} / 10 GB`);
    assert.ok(api.statusBarText()?.startsWith('$(database) '));
  });
});
