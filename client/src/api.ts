// What activate() returns (vscode.extensions.getExtension(id).exports): the handles the
// extension-host tests read, since VS Code's API cannot read another extension's status bar item
// or tree view.
import * as vscode from 'vscode';
import { ActivationTime } from './activationClock';
import { ModelTreeNode } from './modelTreeView';

export interface LensApi {
  /** From the bundle starting to load to activate() returning. */
  readonly activation: ActivationTime;
  /** Settles when the language server has started. */
  readonly serverReady: Promise<void>;
  readonly modelTree: vscode.TreeDataProvider<ModelTreeNode>;
  /** The size status bar item's text while it is shown. */
  statusBarText(): string | undefined;
}
