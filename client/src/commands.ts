// The model commands other than exports: Check for Deployment (the markdown report beside the
// model, whose diagnostics the Problems panel lists), Show Summary, Show Full Decoded Text (the
// decoded view with every node), and the tree view's reveal and refresh. Each returns what it showed, so tests can run them without dialogs.
import * as vscode from 'vscode';
import { CheckResult, SummaryResult, checkRequest, revealRequest, summaryRequest } from '../../server/src/protocol';
import { COMMANDS } from './commandIds';
import { openModelText, showFullDecodedText, showModelText } from './decodedView';
import { isBinaryModel } from './modelUris';
import { LensConnection } from './languageClient';
import { asUri, pickModel } from './modelPicker';
import { ModelTreeProvider } from './modelTreeView';
import { ReportDocuments } from './reports';

export interface CommandContext {
  server: LensConnection;
  reports: ReportDocuments;
  tree: ModelTreeProvider;
}

export function registerModelCommands(ctx: CommandContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.check, (arg?: unknown) => check(ctx, arg)),
    vscode.commands.registerCommand(COMMANDS.showSummary, (arg?: unknown) => showSummary(ctx, arg)),
    vscode.commands.registerCommand(COMMANDS.reveal, (file: unknown, elementPath?: string) => reveal(ctx, file, elementPath)),
    vscode.commands.registerCommand(COMMANDS.refreshModels, () => ctx.tree.refresh()),
    vscode.commands.registerCommand(COMMANDS.showFullText, (arg?: unknown) => showFullText(arg)),
  );
}

async function showFullText(arg: unknown): Promise<vscode.TextEditor | undefined> {
  const file = await pickModel(arg, 'Show Full Decoded Text');
  if (!file) return undefined;
  if (!isBinaryModel(file)) return showModelText(file);
  return showFullDecodedText(file);
}

type CheckOutcome = CheckResult | { error: string };

async function check(ctx: CommandContext, arg: unknown): Promise<CheckOutcome | undefined> {
  const file = await pickModel(arg, 'Check for Deployment');
  if (!file) return undefined;
  // An open document is what the server publishes diagnostics for: open the model's text (not
  // shown) so the Problems panel lists the findings that the report sums up.
  await openModelText(file).catch(() => undefined);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `Checking ${vscode.workspace.asRelativePath(file)}` },
    () => ctx.server.request(checkRequest, { uri: file.toString() }),
  );
  if ('error' in result) {
    void vscode.window.showErrorMessage(`SavedModel check failed: ${result.error}`);
    return result;
  }
  await showMarkdown(ctx.reports.set(file, 'deployment-check.md', result.markdown));
  vscode.window.setStatusBarMessage(`SavedModel check: ${counted(result.errors, 'error')}, ${counted(result.warnings, 'warning')}, ${counted(result.infos, 'info')}`, 10_000);
  return result;
}

function counted(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The rendered preview beside the model, or the markdown text where no preview is available. */
export async function showMarkdown(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

async function showSummary(ctx: CommandContext, arg: unknown): Promise<SummaryResult | undefined> {
  const file = await pickModel(arg, 'Show Summary');
  if (!file) return undefined;
  const result = await ctx.server.request(summaryRequest, { uri: file.toString() });
  if ('error' in result) {
    void vscode.window.showErrorMessage(`SavedModel summary failed: ${result.error}`);
    return result;
  }
  const doc = await vscode.workspace.openTextDocument(ctx.reports.set(file, 'summary.txt', result.text));
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return result;
}

/** Opens the model's text; with an element path, selects that element (tree view items). */
async function reveal(ctx: CommandContext, fileArg: unknown, elementPath: string | undefined): Promise<vscode.TextEditor | undefined> {
  const file = asUri(fileArg);
  if (!file) return undefined;
  if (elementPath === undefined) return showModelText(file);
  const target = await ctx.server.request(revealRequest, { uri: file.toString(), path: elementPath });
  if (!target) return showModelText(file);
  const { start, end } = target.range;
  return showModelText(vscode.Uri.parse(target.uri), new vscode.Range(start.line, start.character, end.line, end.character));
}
