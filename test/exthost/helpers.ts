// Shared by the extension-host tests: the workspace and its fixtures, the extension's test API,
// and waiting for asynchronous results (diagnostics, the server's answers) instead of sleeping.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LensApi } from '../../client/src/api';
export { directoryBytes } from '../helpers/directoryBytes';

export const EXTENSION_ID = 'savedmodel-lens.savedmodel-lens';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace folder is not open');
  return folder.uri;
}

export function fixture(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

/** The shared corpus: next to the project (the workspace is test/fixtures/workspace). */
export function corpusDir(): string {
  const shared = process.env.SAVEDMODEL_LENS_SHARED ?? path.resolve(workspaceRoot().fsPath, '..', '..', '..', '..', 'shared');
  return path.join(shared, 'corpus');
}

/** Copies a corpus model folder into a fresh temp folder (never into the project); its path. */
export function copyCorpusModel(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-exthost-corpus-'));
  fs.cpSync(path.join(corpusDir(), name), path.join(dir, name), { recursive: true });
  return path.join(dir, name);
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lens-exthost-${label}-`));
}

/** Resolves once check() returns a value that is not undefined; fails after timeoutMs. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The activated extension's API (activating it if a test runs first, as any activation event would). */
export async function lensApi(): Promise<LensApi> {
  const ext = vscode.extensions.getExtension<LensApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  const api = ext.isActive ? ext.exports : await ext.activate();
  await api.serverReady;
  return api;
}

export async function openEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

/** The diagnostics of `uri` once one has `code`. */
export function diagnosticsWith(uri: vscode.Uri, code: string): Promise<vscode.Diagnostic[]> {
  return waitFor(`a ${code} diagnostic on ${uri.toString()}`, () => {
    const all = vscode.languages.getDiagnostics(uri);
    return all.some((d) => codeOf(d) === code) ? all : undefined;
  });
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  return typeof c === 'object' ? String(c.value) : c === undefined ? undefined : String(c);
}

/** The position of the first occurrence of `needle` at or after the line containing `after`. */
export function positionOf(doc: vscode.TextDocument, needle: string, after = ''): vscode.Position {
  const text = doc.getText();
  const from = after ? text.indexOf(after) : 0;
  assert.ok(from >= 0, `${after} is not in ${doc.uri.toString()}`);
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `${needle} is not in ${doc.uri.toString()} after ${after}`);
  return doc.positionAt(at);
}

export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** Waits until the active editor shows `uri`. */
export function activeEditorOf(uri: vscode.Uri): Promise<vscode.TextEditor> {
  return waitFor(`an editor on ${uri.toString()}`, () => {
    const e = vscode.window.activeTextEditor;
    return e && e.document.uri.toString() === uri.toString() ? e : undefined;
  });
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

