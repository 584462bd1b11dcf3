// A status bar item with the open model's directory size against the deployment limit
// (`$(database) 12 kB / 500 MB`), from the server's summary; hidden for every other editor.
import * as vscode from 'vscode';
import { summaryRequest } from '../../server/src/protocol';
import { formatBytes } from '../../server/src/core/units';
import { COMMANDS } from './commandIds';
import { LensConnection, LANGUAGE_ID } from './languageClient';
import { isDecodedView, isModelFileName, modelFileOf } from './modelUris';

export class ModelSizeStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('savedmodelLens.size', vscode.StatusBarAlignment.Right, 100);
  private visible = false;
  /** Answers to older updates are dropped: the active editor may have changed meanwhile. */
  private generation = 0;
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly server: LensConnection) {
    this.item.name = 'SavedModel Size';
    this.item.command = COMMANDS.showSummary;
    this.listeners = [
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (doc === vscode.window.activeTextEditor?.document) void this.update();
      }),
    ];
    void this.update();
  }

  /** The item's text while it is shown. */
  text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  async update(): Promise<void> {
    const generation = ++this.generation;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isModelDocument(doc)) {
      this.hide();
      return;
    }
    const file = modelFileOf(doc.uri);
    const r = await this.server.request(summaryRequest, { uri: file.toString() }).catch((e: unknown) => ({ error: String(e) }));
    if (generation !== this.generation) return;
    if ('error' in r) {
      this.hide();
      return;
    }
    const pct = ((r.totalBytes / r.limitBytes) * 100).toFixed(1);
    const limit = formatLimit(r.limitBytes);
    this.item.text = `$(database) ${formatBytes(r.totalBytes)} / ${limit}`;
    this.item.tooltip = `SavedModel directory: ${formatBytes(r.totalBytes)}, ${pct}% of the ${limit} limit. Click for the summary.`;
    this.item.backgroundColor = r.totalBytes > r.limitBytes ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
    this.visible = true;
  }

  private hide(): void {
    this.item.hide();
    this.visible = false;
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.item.dispose();
  }
}

/** Limits are round numbers, stated as the service states them: "10 GB", not "10.0 GB". */
export function formatLimit(bytes: number): string {
  return formatBytes(bytes).replace(/\.0+ /, ' ');
}

function isModelDocument(doc: vscode.TextDocument): boolean {
  if (isDecodedView(doc.uri)) return true;
  return doc.uri.scheme === 'file' && (doc.languageId === LANGUAGE_ID || isModelFileName(doc.uri));
}
