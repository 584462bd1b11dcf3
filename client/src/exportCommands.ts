// Export as Text (.pb → .pbtxt), Export as Binary (.pbtxt → .pb) and Export Serving Copy (a folder
// with what serving needs). The target comes from a save dialog, or from the caller (tests). An
// existing target is overwritten only after the user says so in a modal "Overwrite?" question;
// callers that pass `overwrite: false` get the refusal back without a question.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExportKind, ExportResult, exportRequest } from '../../server/src/protocol';
import { COMMANDS } from './commandIds';
import { LensConnection } from './languageClient';
import { asUri, pickModel } from './modelPicker';
import { isBinaryModel } from './modelUris';

interface ExportSpec {
  command: string;
  title: string;
  /** Which model files the export reads; undefined: both. */
  source?: 'pb' | 'pbtxt';
  /** The dialog's proposal, from the model file. */
  defaultTarget(file: vscode.Uri): vscode.Uri;
  filters?: Record<string, string[]>;
}

const sibling = (file: vscode.Uri, name: string): vscode.Uri => vscode.Uri.joinPath(file, '..', name);

export const EXPORTS: Record<ExportKind, ExportSpec> = {
  text: {
    command: COMMANDS.exportText, title: 'Export as Text', source: 'pb',
    defaultTarget: (f) => sibling(f, 'saved_model.pbtxt'), filters: { 'SavedModel text': ['pbtxt'] },
  },
  binary: {
    command: COMMANDS.exportBinary, title: 'Export as Binary', source: 'pbtxt',
    defaultTarget: (f) => sibling(f, 'saved_model.pb'), filters: { 'SavedModel binary': ['pb'] },
  },
  serving: {
    command: COMMANDS.exportServing, title: 'Export Serving Copy',
    defaultTarget: (f) => vscode.Uri.joinPath(f, '..', '..', `${path.posix.basename(path.posix.dirname(f.path))}-serving`),
  },
};

export function registerExportCommands(server: LensConnection): vscode.Disposable {
  return vscode.Disposable.from(...(Object.keys(EXPORTS) as ExportKind[]).map((kind) =>
    vscode.commands.registerCommand(EXPORTS[kind].command, (arg?: unknown, output?: unknown, overwrite?: unknown) =>
      runExport(server, kind, arg, output, typeof overwrite === 'boolean' ? overwrite : undefined))));
}

/** Resolves to what the server answered last, or undefined when the user cancelled. */
export async function runExport(server: LensConnection, kind: ExportKind, arg: unknown, outputArg: unknown, overwrite: boolean | undefined): Promise<ExportResult | undefined> {
  const spec = EXPORTS[kind];
  const file = await pickModel(arg, `SavedModel: ${spec.title}`);
  if (!file || !sourceFits(spec, file)) return undefined;
  const output = asUri(outputArg) ?? await askTarget(spec, file);
  if (!output) return undefined;
  const send = (confirmed: boolean): Thenable<ExportResult> => vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `${spec.title}: ${path.basename(output.fsPath)}` },
    () => server.request(exportRequest, { uri: file.toString(), kind, output: output.fsPath, overwrite: confirmed }),
  );
  let result = await send(overwrite === true);
  if (!result.ok && result.exists && overwrite === undefined && await confirmOverwrite(output, kind)) result = await send(true);
  tell(result, kind);
  return result;
}

function sourceFits(spec: ExportSpec, file: vscode.Uri): boolean {
  if (!spec.source || (spec.source === 'pb') === isBinaryModel(file)) return true;
  const needs = spec.source === 'pb' ? 'a binary saved_model.pb' : 'a text saved_model.pbtxt';
  void vscode.window.showErrorMessage(`${spec.title} reads ${needs}; ${path.basename(file.fsPath)} is not one.`);
  return false;
}

async function askTarget(spec: ExportSpec, file: vscode.Uri): Promise<vscode.Uri | undefined> {
  return vscode.window.showSaveDialog({
    title: `SavedModel: ${spec.title}`,
    defaultUri: spec.defaultTarget(file),
    saveLabel: 'Export',
    ...(spec.filters ? { filters: spec.filters } : {}),
  });
}

async function confirmOverwrite(output: vscode.Uri, kind: ExportKind): Promise<boolean> {
  const what = kind === 'serving' ? 'The folder' : 'The file';
  const answer = await vscode.window.showWarningMessage(
    `${path.basename(output.fsPath)} exists. Overwrite?`,
    { modal: true, detail: `${what} ${output.fsPath} exists. Exporting replaces ${kind === 'serving' ? 'its contents' : 'it'}.` },
    'Overwrite',
  );
  return answer === 'Overwrite';
}

/** Says how it went, without waiting: the command's result must not hang on a notification. */
function tell(result: ExportResult, kind: ExportKind): void {
  if (!result.ok) {
    if (!result.exists) void vscode.window.showErrorMessage(`SavedModel export failed: ${result.message}`);
    return;
  }
  if (kind !== 'text') {
    void vscode.window.showInformationMessage(result.message);
    return;
  }
  void vscode.window.showInformationMessage(result.message, 'Open').then(async (choice) => {
    if (choice === 'Open') await vscode.window.showTextDocument(vscode.Uri.file(result.output));
  });
}
