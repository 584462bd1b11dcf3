// SavedModel: Export Smaller Serving Copy…: pick the precision (each with its estimated size against
// the limit), the output folder, then the server shrinks with progress and cancel; the report
// (size table and answer table) opens beside. Replacing a non-empty folder asks first.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ShrinkEstimatesResult, ShrinkParams, ShrinkResult, ShrinkWeights, shrinkEstimatesRequest, shrinkProgressNotification, shrinkRequest } from '../../server/src/protocol';
import { COMMANDS } from './commandIds';
import { showMarkdown } from './commands';
import { LensConnection } from './languageClient';
import { asUri, pickModel } from './modelPicker';
import { ReportDocuments } from './reports';

const TITLE = 'SavedModel: Export Smaller Serving Copy';

const PRECISION: Record<ShrinkWeights, string> = {
  float16: 'float16 weights (half the bytes; tolerance 1% of each output\'s range)',
  int8: '8-bit weights (a quarter; tolerance 5%)',
  keep: 'weights as they are (only what serving reads)',
};

/** Tests pass the precision, the output folder and whether to replace it; the pickers are skipped. */
export function registerShrinkCommand(server: LensConnection, reports: ReportDocuments): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.exportSmaller, (arg?: unknown, weights?: unknown, output?: unknown, overwrite?: unknown) =>
    exportSmaller(server, reports, arg, isWeights(weights) ? weights : undefined, asUri(output), typeof overwrite === 'boolean' ? overwrite : undefined));
}

function isWeights(v: unknown): v is ShrinkWeights {
  return v === 'float16' || v === 'int8' || v === 'keep';
}

async function exportSmaller(server: LensConnection, reports: ReportDocuments, arg: unknown, given: ShrinkWeights | undefined,
  givenOutput: vscode.Uri | undefined, overwrite: boolean | undefined): Promise<ShrinkResult | undefined> {
  const file = await pickModel(arg, TITLE);
  if (!file) return undefined;
  const weights = given ?? await pickWeights(server, file);
  if (!weights) return undefined;
  const output = givenOutput ?? await vscode.window.showSaveDialog({
    title: `${TITLE}: output folder`,
    defaultUri: vscode.Uri.joinPath(file, '..', '..', `${path.posix.basename(path.posix.dirname(file.path))}-${weights}`),
    saveLabel: 'Export',
  });
  if (!output) return undefined;
  const params: ShrinkParams = { uri: file.toString(), weights, output: output.fsPath, overwrite: overwrite === true };
  let result = await run(server, params);
  if (!result.ok && result.exists && overwrite === undefined && await confirmReplace(output)) result = await run(server, { ...params, overwrite: true });
  if (!result.ok) {
    if (!result.exists) void vscode.window.showErrorMessage(`Nothing written: ${result.message}`);
    return result;
  }
  await showMarkdown(reports.set(file, `smaller-serving-copy-${weights}.md`, result.markdown));
  vscode.window.setStatusBarMessage(`Smaller serving copy: ${result.summary}`, 60_000);
  if (!result.proven) void vscode.window.showWarningMessage(`The copy in ${result.output} is written but not proven: see the report.`);
  return result;
}

async function pickWeights(server: LensConnection, file: vscode.Uri): Promise<ShrinkWeights | undefined> {
  const est = await server.request(shrinkEstimatesRequest, { uri: file.toString() });
  if ('error' in est) {
    void vscode.window.showErrorMessage(est.error);
    return undefined;
  }
  const items = est.estimates.map((e) => ({ label: e.weights, description: sizeText(e.bytes, est), detail: PRECISION[e.weights], weights: e.weights }));
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE}: precision (now ${mb(est.currentBytes)} of the ${mb(est.limitBytes)} limit ${est.limitName})` });
  return picked?.weights;
}

function sizeText(bytes: number, est: Extract<ShrinkEstimatesResult, { estimates: unknown }>): string {
  const pct = (100 * bytes) / est.limitBytes;
  return `about ${mb(bytes)}, ${pct < 0.1 ? '<0.1' : pct.toFixed(1)}% of the limit${bytes > est.limitBytes ? ' (still over it)' : ''}`;
}

function mb(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`;
}

function run(server: LensConnection, params: ShrinkParams): Thenable<ShrinkResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Smaller serving copy', cancellable: true },
    async (progress, token) => {
      const sub = await server.onNotification(shrinkProgressNotification, (p) => progress.report({ message: p.message }));
      try {
        return await server.request(shrinkRequest, params, token);
      } finally {
        sub.dispose();
      }
    },
  );
}

async function confirmReplace(output: vscode.Uri): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `${path.basename(output.fsPath)} exists. Replace it?`,
    { modal: true, detail: `The folder ${output.fsPath} is not empty. Exporting replaces its contents.` },
    'Replace',
  );
  return answer === 'Replace';
}
