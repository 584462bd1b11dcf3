// Read-only documents for what commands produce (the deployment check's markdown report, the
// summary): a content provider for the savedmodel-report scheme, so closing them never asks to save.
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'savedmodel-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** The report's URI, named after the model folder (`model_a/check.md`), with `text` as content. */
  set(modelFile: vscode.Uri, name: string, text: string): vscode.Uri {
    const dir = modelFile.path.slice(0, modelFile.path.lastIndexOf('/'));
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `${dir}/${name}` });
    this.contents.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
