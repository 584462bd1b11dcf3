// Opening saved_model.pb shows its decoded text instead of VS Code's "binary file" notice: a
// custom editor (package.json customEditors, priority default) that opens the decoded view in its
// place and closes itself. "Reopen Editor With..." still offers the default binary editor.
import * as vscode from 'vscode';
import { showModelText } from './decodedView';

export const BINARY_MODEL_VIEW_TYPE = 'savedmodelLens.binaryModel';

class BinaryModelEditor implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.html = '<!DOCTYPE html><html><body><p>Opening the decoded SavedModel…</p></body></html>';
    try {
      await showModelText(document.uri, undefined, { viewColumn: panel.viewColumn, preview: false });
    } catch (e) {
      void vscode.window.showErrorMessage(`SavedModel Lens could not open ${document.uri.fsPath}: ${(e as Error).message}`);
    } finally {
      panel.dispose();
    }
  }
}

export function registerBinaryModelEditor(): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(BINARY_MODEL_VIEW_TYPE, new BinaryModelEditor(), {
    supportsMultipleEditorsPerDocument: true,
  });
}
