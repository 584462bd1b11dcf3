// The SavedModel tree view: every saved_model.pb / saved_model.pbtxt in the workspace, each
// expanding into what the server's modelTreeRequest returns (meta graphs → signatures → tensors;
// functions, variables, assets; the size against the limit). A model's tree is asked for when it
// is first expanded and again when its files or the settings change; selecting an item with an
// element path reveals that element's text.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TreeItemData, modelTreeRequest } from '../../server/src/protocol';
import { COMMANDS } from './commandIds';
import { LensConnection } from './languageClient';
import { EXCLUDE_GLOB, MODEL_GLOB, isBinaryModel } from './modelUris';

export const MODELS_VIEW_ID = 'savedmodelLens.models';
export const REVEAL_COMMAND = COMMANDS.reveal;
/** More models than this start collapsed. */
const EXPAND_UP_TO = 5;
const REFRESH_DELAY_MS = 200;

type LoadedTree = { root: TreeItemData } | { error: string };

export class ModelNode {
  readonly kind = 'model';
  tree: Promise<LoadedTree> | undefined;
  loaded: LoadedTree | undefined;
  constructor(readonly modelFile: vscode.Uri) {}
}

export class ItemNode {
  readonly kind = 'item';
  constructor(readonly modelFile: vscode.Uri, readonly data: TreeItemData, readonly depth: number) {}
}

export type ModelTreeNode = ModelNode | ItemNode;

export class ModelTreeProvider implements vscode.TreeDataProvider<ModelTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One node per model file, kept so refreshing a model can name the node VS Code knows. */
  private readonly models = new Map<string, ModelNode>();
  private modelCount = 0;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly server: LensConnection, private readonly iconDir: vscode.Uri) {}

  async getChildren(node?: ModelTreeNode): Promise<ModelTreeNode[]> {
    if (!node) return this.listModels();
    if (node.kind === 'item') return (node.data.children ?? []).map((c) => new ItemNode(node.modelFile, c, node.depth + 1));
    const tree = await this.load(node);
    if ('error' in tree) return [new ItemNode(node.modelFile, { label: tree.error, icon: 'error' }, 0)];
    return (tree.root.children ?? []).map((c) => new ItemNode(node.modelFile, c, 0));
  }

  getTreeItem(node: ModelTreeNode): vscode.TreeItem {
    return node.kind === 'model' ? this.modelItem(node) : itemOf(node);
  }

  /** Forgets every model's tree (or only `file`'s) and lets the view ask again. */
  refresh(file?: vscode.Uri): void {
    const node = file && this.models.get(file.toString());
    if (node) {
      node.tree = undefined;
      this.changed.fire(node);
      return;
    }
    for (const n of this.models.values()) n.tree = undefined;
    this.changed.fire(undefined);
  }

  /** Refreshes once after a burst of file events. */
  refreshSoon(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  private async listModels(): Promise<ModelNode[]> {
    const files = (await vscode.workspace.findFiles(MODEL_GLOB, EXCLUDE_GLOB)).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    const keep = new Set(files.map((f) => f.toString()));
    for (const key of [...this.models.keys()]) if (!keep.has(key)) this.models.delete(key);
    this.modelCount = files.length;
    return files.map((f) => {
      const key = f.toString();
      const node = this.models.get(key) ?? new ModelNode(f);
      this.models.set(key, node);
      return node;
    });
  }

  private load(node: ModelNode): Promise<LoadedTree> {
    if (!node.tree) {
      const pending = this.server.request(modelTreeRequest, { uri: node.modelFile.toString() })
        .catch((e: unknown): LoadedTree => ({ error: (e as Error).message }));
      node.tree = pending;
      void pending.then((tree) => {
        if (node.tree !== pending) return; // refreshed meanwhile
        const before = summaryOf(node.loaded);
        node.loaded = tree;
        // The model's own line (size against the limit) comes with its tree: redraw it when it changed.
        if (summaryOf(tree) !== before) this.changed.fire(node);
      });
    }
    return node.tree;
  }

  private modelItem(node: ModelNode): vscode.TreeItem {
    const dir = path.posix.dirname(node.modelFile.path);
    const label = vscode.workspace.asRelativePath(node.modelFile.with({ path: dir }), false);
    const state = this.modelCount <= EXPAND_UP_TO ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(label, state);
    const loaded = node.loaded;
    item.description = !loaded ? path.posix.basename(node.modelFile.path) : 'error' in loaded ? 'not loaded' : loaded.root.description;
    item.tooltip = node.modelFile.fsPath + (loaded && 'error' in loaded ? `\n${loaded.error}` : '');
    item.iconPath = { light: vscode.Uri.joinPath(this.iconDir, 'model-light.svg'), dark: vscode.Uri.joinPath(this.iconDir, 'model-dark.svg') };
    item.contextValue = isBinaryModel(node.modelFile) ? 'savedmodelLens.model.pb' : 'savedmodelLens.model.pbtxt';
    item.resourceUri = node.modelFile;
    item.command = { command: REVEAL_COMMAND, title: 'Open', arguments: [node.modelFile] };
    return item;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.changed.dispose();
  }
}

function summaryOf(tree: LoadedTree | undefined): string | undefined {
  return tree && ('error' in tree ? `error: ${tree.error}` : tree.root.description);
}

function itemOf(node: ItemNode): vscode.TreeItem {
  const d = node.data;
  const hasChildren = (d.children?.length ?? 0) > 0;
  // The model's own elements (meta graphs) open at once: their signatures are what people look for.
  const expand = node.depth === 0 && d.path !== undefined;
  const state = !hasChildren ? vscode.TreeItemCollapsibleState.None
    : expand ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(d.label, state);
  item.description = d.description;
  item.tooltip = d.tooltip;
  if (d.icon) item.iconPath = new vscode.ThemeIcon(d.icon);
  item.contextValue = 'savedmodelLens.element';
  if (d.path !== undefined) item.command = { command: REVEAL_COMMAND, title: 'Reveal', arguments: [node.modelFile, d.path] };
  return item;
}

/** Registers the view and keeps it current as model files, their directories and settings change. */
export function registerModelTree(provider: ModelTreeProvider): vscode.Disposable {
  const models = vscode.workspace.createFileSystemWatcher(MODEL_GLOB);
  // Variables and assets change the sizes: any change under a model's directory refreshes.
  const parts = vscode.workspace.createFileSystemWatcher('**/{variables,assets,assets.extra}/**');
  const soon = (): void => provider.refreshSoon();
  return vscode.Disposable.from(
    vscode.window.createTreeView(MODELS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true }),
    models, parts,
    models.onDidCreate(soon), models.onDidDelete(soon), models.onDidChange((f) => provider.refresh(f)),
    parts.onDidCreate(soon), parts.onDidDelete(soon), parts.onDidChange(soon),
    vscode.workspace.onDidSaveTextDocument((doc) => provider.refresh(doc.uri)),
  );
}
