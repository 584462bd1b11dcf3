// Which model a command is about: the argument it was given (a file or folder from the explorer's
// context menu, a tree view item, a URI from a test), else the model in the active editor, else
// the workspace's only model, else the user's pick among them.
import * as vscode from 'vscode';
import { EXCLUDE_GLOB, MODEL_FILE_NAMES, MODEL_GLOB, isModelFileName, modelFileOf } from './modelUris';

/** Tree view items that stand for a model carry its file. */
export interface HasModelFile {
  readonly modelFile: vscode.Uri;
}

/** A URI as given: a vscode.Uri, its serialized form, a URI string or an absolute path. */
export function asUri(v: unknown): vscode.Uri | undefined {
  if (v instanceof vscode.Uri) return v;
  if (typeof v === 'string') return /^[a-z][\w+.-]*:/i.test(v) && !/^[a-z]:[\\/]/i.test(v) ? vscode.Uri.parse(v) : vscode.Uri.file(v);
  if (typeof v === 'object' && v !== null && typeof (v as vscode.Uri).scheme === 'string' && typeof (v as vscode.Uri).path === 'string') {
    return vscode.Uri.from(v as vscode.Uri);
  }
  return undefined;
}

function modelFileItem(v: unknown): vscode.Uri | undefined {
  return typeof v === 'object' && v !== null && 'modelFile' in v ? asUri((v as HasModelFile).modelFile) : undefined;
}

/** `arg` is whatever the command was invoked with (see the header). */
export async function pickModel(arg: unknown, purpose: string): Promise<vscode.Uri | undefined> {
  const fromItem = modelFileItem(arg);
  if (fromItem) return fromItem;
  const given = asUri(arg);
  if (given) return fromUri(given);
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && (isModelFileName(modelFileOf(active)) || activeIsPbtxt())) return modelFileOf(active);
  return pickFromWorkspace(purpose);
}

function activeIsPbtxt(): boolean {
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.languageId === 'pbtxt' && doc.uri.scheme === 'file';
}

/** A model file as is; a folder → the model file in it (binary first, as TensorFlow loads it). */
async function fromUri(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const file = modelFileOf(uri);
  const stat = await vscode.workspace.fs.stat(file).then((s) => s, () => undefined);
  if (!stat) {
    void vscode.window.showErrorMessage(`${file.fsPath} does not exist.`);
    return undefined;
  }
  if (!(stat.type & vscode.FileType.Directory)) return file;
  for (const name of MODEL_FILE_NAMES) {
    const candidate = vscode.Uri.joinPath(file, name);
    if (await exists(candidate)) return candidate;
  }
  void vscode.window.showErrorMessage(`${file.fsPath} holds no saved_model.pb or saved_model.pbtxt.`);
  return undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function pickFromWorkspace(purpose: string): Promise<vscode.Uri | undefined> {
  const models = (await vscode.workspace.findFiles(MODEL_GLOB, EXCLUDE_GLOB)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
  if (models.length === 0) {
    void vscode.window.showErrorMessage('No saved_model.pb or saved_model.pbtxt in this workspace: open one, or run this from its context menu.');
    return undefined;
  }
  if (models.length === 1) return models[0];
  const picked = await vscode.window.showQuickPick(
    models.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: purpose, placeHolder: 'Which SavedModel?' },
  );
  return picked?.uri;
}
