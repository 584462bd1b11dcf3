// Opening saved_model.pb shows its decoded text instead of VS Code's "binary file" notice: a
// custom editor (package.json customEditors, priority default) that opens the decoded view in its
// place and closes itself. "Reopen Editor With..." still offers the default binary editor. Tabs
// opened before the extension's contributions were known are replaced at activation.
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
  const registration = vscode.window.registerCustomEditorProvider(BINARY_MODEL_VIEW_TYPE, new BinaryModelEditor(), {
    supportsMultipleEditorsPerDocument: true,
  });
  void replaceEarlyBinaryTabs();
  return registration;
}

/**
 * A saved_model.pb opened while VS Code was still loading the extension's contributions got the
 * text editor's "binary file" notice: show those tabs decoded. Only tabs open at activation: a
 * later "Reopen Editor With... Text Editor" is the user's choice.
 */
async function replaceEarlyBinaryTabs(): Promise<void> {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
      if (uri?.scheme !== 'file' || !uri.path.endsWith('/saved_model.pb')) continue;
      try {
        await showModelText(uri, undefined, { viewColumn: group.viewColumn, preview: tab.isPreview, preserveFocus: !tab.isActive });
        await vscode.window.tabGroups.close(tab, true);
      } catch {
        // the tab went away meanwhile: nothing to replace
      }
    }
  }
}
