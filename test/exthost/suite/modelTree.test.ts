/// <reference types="mocha" />
// The SavedModel tree view: every model of the workspace → meta graphs → signatures → tensors,
// and selecting an item reveals its text.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LensApi } from '../../../client/src/api';
import type { ModelTreeNode } from '../../../client/src/modelTreeView';
import { formatBytes } from '../../../server/src/core/units';
import { closeAllEditors, directoryBytes, fixture, lensApi, waitFor } from '../helpers';

async function labels(api: LensApi, node?: ModelTreeNode): Promise<string[]> {
  const children = (await api.modelTree.getChildren(node)) ?? [];
  return Promise.all(children.map(async (c) => String((await api.modelTree.getTreeItem(c)).label)));
}

async function child(api: LensApi, parent: ModelTreeNode | undefined, label: string): Promise<ModelTreeNode> {
  const children = (await api.modelTree.getChildren(parent)) ?? [];
  for (const c of children) if ((await api.modelTree.getTreeItem(c)).label === label) return c;
  assert.fail(`no tree item ${label} among ${(await labels(api, parent)).join(', ')}`);
}

describe('SavedModel tree view', () => {
  let api: LensApi;

  before(async () => {
    api = await lensApi();
  });

  it('lists every model of the workspace, binary and text', async () => {
    const models = await labels(api);
    for (const m of ['model_a', 'model_binary', 'model_fixed_batch', 'model_no_serve']) assert.ok(models.includes(m), `${m} missing from ${models.join(', ')}`);
  });

  it('lists the meta graph, its signatures and their tensors', async () => {
    const model = await child(api, undefined, 'model_a');
    const top = await labels(api, model);
    assert.deepEqual(top, ['{serve}', 'Functions', 'Variables', 'Assets']);
    const mg = await child(api, model, '{serve}');
    assert.deepEqual(await labels(api, mg), ['serving_default']);
    const sig = await child(api, mg, 'serving_default');
    const tensors = await Promise.all(((await api.modelTree.getChildren(sig)) ?? []).map((c) => api.modelTree.getTreeItem(c)));
    assert.deepEqual(tensors.map((t) => `${String(t.label)} ${String(t.description)}`), ['x input · float32 (-1, 3)', 'y output · float32 (-1, 3)']);
  });

  it('shows the model\'s size against the limit once its tree is known', async () => {
    const model = await child(api, undefined, 'model_binary');
    await api.modelTree.getChildren(model);
    const item = await api.modelTree.getTreeItem(model);
    assert.match(String(item.description), new RegExp(`^${formatBytes(directoryBytes(fixture('model_binary').fsPath))} of 500 MB`));
    assert.equal(item.contextValue, 'savedmodelLens.model.pb');
  });

  it('reveals a signature in the model text when its item is selected', async () => {
    await closeAllEditors();
    const model = await child(api, undefined, 'model_a');
    const sig = await child(api, await child(api, model, '{serve}'), 'serving_default');
    const command = (await api.modelTree.getTreeItem(sig)).command;
    assert.ok(command, 'the signature item has no command');
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = await waitFor('the model text', () => vscode.window.activeTextEditor);
    assert.ok(editor.document.uri.path.endsWith('model_a/saved_model.pbtxt'));
    // The selection is the signature's map entry.
    assert.match(editor.document.getText(editor.selection), /^signature_def \{\s+key: "serving_default"/);
  });

  it('reveals in the decoded view for a binary model', async () => {
    const model = await child(api, undefined, 'model_binary');
    const sig = await child(api, await child(api, model, '{serve}'), 'serving_default');
    const command = (await api.modelTree.getTreeItem(sig)).command;
    assert.ok(command);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = await waitFor('the decoded view', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'savedmodel-pb' ? e : undefined;
    });
    assert.match(editor.document.getText(editor.selection), /^signature_def \{\s+key: "serving_default"/);
  });
});
