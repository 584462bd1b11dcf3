/// <reference types="mocha" />
// The extension loads in a real VS Code: saved_model.pbtxt opens as pbtxt and activates it, fast.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LensApi } from '../../../client/src/api';
import { EXTENSION_ID, fixture, waitFor } from '../helpers';

/**
 * Issue 4: activation under 200 ms (bundle load + activate()). The CPU time is held to it: the
 * wall time also counts other processes on a loaded machine, so it only has to stay in sight.
 */
const ACTIVATION_BUDGET_MS = 200;
const WALL_GUARD_MS = 1000;

describe('activation', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    doc = await vscode.workspace.openTextDocument(fixture('model_a/saved_model.pbtxt'));
    await vscode.window.showTextDocument(doc);
  });

  it('opens saved_model.pbtxt with the pbtxt language', () => {
    assert.equal(doc.languageId, 'pbtxt');
    assert.ok(doc.getText().includes('serving_default'));
  });

  it('activates the extension without being asked to, within the time budget', async () => {
    const ext = vscode.extensions.getExtension<LensApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    // Only activation events may activate it: the test never calls ext.activate().
    await waitFor(`${EXTENSION_ID} is active`, () => (ext.isActive ? true : undefined));
    const { wallMs, cpuMs } = ext.exports.activation;
    console.log(`    activation time: ${wallMs.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU (bundle load + activate())`);
    assert.ok(cpuMs > 0 && cpuMs < ACTIVATION_BUDGET_MS, `activation took ${cpuMs.toFixed(1)} ms of CPU`);
    assert.ok(wallMs > 0 && wallMs < WALL_GUARD_MS, `activation took ${wallMs.toFixed(1)} ms`);
    await ext.exports.serverReady;
  });

  it('registers every contributed command, and savedmodelLens.showOutput runs', async () => {
    const commands = new Set(await vscode.commands.getCommands(true));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    for (const c of manifest.contributes.commands) assert.ok(commands.has(c.command), `${c.command} is not registered`);
    await vscode.commands.executeCommand('savedmodelLens.showOutput');
  });

  it('gives .textproto files the pbtxt language too', async () => {
    // An untitled document with a file name gets its language from the name, as a file would.
    const other = await vscode.workspace.openTextDocument(vscode.Uri.parse('untitled:/scratch/example.textproto'));
    assert.equal(other.languageId, 'pbtxt');
  });
});
