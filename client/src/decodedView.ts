// The read-only decoded text of a binary saved_model.pb (scheme savedmodel-pb): the server decodes
// it (decodedTextRequest); a decode failure becomes the content, as a comment, so the user reads
// why instead of an empty editor. Decoded views always get the pbtxt language, and so every
// language feature, and follow the file when it changes on disk.
import * as vscode from 'vscode';
import { DECODED_SCHEME, decodedTextRequest } from '../../server/src/protocol';
import { LensConnection, LANGUAGE_ID } from './languageClient';
import { decodedViewUri, fullDecodedViewUri, isDecodedView, modelFileOf, textUriOf } from './modelUris';

export class DecodedViewProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/saved_model.pb', true, false, true);

  constructor(private readonly server: LensConnection) {
    this.watcher.onDidChange((file) => {
      this.changed.fire(decodedViewUri(file));
      this.changed.fire(fullDecodedViewUri(file));
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const file = modelFileOf(uri);
    try {
      const r = await this.server.request(decodedTextRequest, { uri: file.toString(), view: uri.toString() });
      return 'error' in r ? `# ${r.error}\n` : r.text;
    } catch (e) {
      return `# ${file.fsPath} could not be decoded: ${(e as Error).message}\n`;
    }
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** Registers the provider and gives every decoded view, now and later, the pbtxt language. */
export function registerDecodedViews(server: LensConnection): vscode.Disposable {
  const provider = new DecodedViewProvider(server);
  for (const doc of vscode.workspace.textDocuments) void ensurePbtxt(doc);
  return vscode.Disposable.from(
    provider,
    vscode.workspace.registerTextDocumentContentProvider(DECODED_SCHEME, provider),
    vscode.workspace.onDidOpenTextDocument((doc) => void ensurePbtxt(doc)),
  );
}

// The open listener and openModelText can both see a fresh view: one language change per view.
const settingLanguage = new Map<string, Promise<vscode.TextDocument>>();

function ensurePbtxt(doc: vscode.TextDocument): Promise<vscode.TextDocument> {
  if (!isDecodedView(doc.uri) || doc.languageId === LANGUAGE_ID) return Promise.resolve(doc);
  const key = doc.uri.toString();
  let pending = settingLanguage.get(key);
  if (!pending) {
    pending = Promise.resolve(vscode.languages.setTextDocumentLanguage(doc, LANGUAGE_ID)).finally(() => settingLanguage.delete(key));
    settingLanguage.set(key, pending);
  }
  return pending;
}

/** Opens a model's text (the decoded view for a .pb) with the pbtxt language where it applies. */
export async function openModelText(uri: vscode.Uri): Promise<vscode.TextDocument> {
  return ensurePbtxt(await vscode.workspace.openTextDocument(textUriOf(uri)));
}

/** Shows the decoded view of a binary model with every node (the plain view elides long node lists). */
export async function showFullDecodedText(file: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await ensurePbtxt(await vscode.workspace.openTextDocument(fullDecodedViewUri(modelFileOf(file))));
  return vscode.window.showTextDocument(doc);
}

/** Shows a model's text, selecting `range` when given. */
export async function showModelText(uri: vscode.Uri, range?: vscode.Range, options: vscode.TextDocumentShowOptions = {}): Promise<vscode.TextEditor> {
  const doc = await openModelText(uri);
  const editor = await vscode.window.showTextDocument(doc, { ...options, ...(range ? { selection: range } : {}) });
  if (range) editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}
