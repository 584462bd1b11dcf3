// The extension's entry point (bundled to dist/client.js): wiring only. It starts the language
// server, and registers the decoded view of binary models, the SavedModel tree view, the commands
// and the size status bar item. Nothing here waits for the server: activation stays fast.
import { activationTime } from './activationClock';
import * as vscode from 'vscode';
import { LensApi } from './api';
import { registerBinaryModelEditor } from './binaryModelEditor';
import { COMMANDS } from './commandIds';
import { registerModelCommands } from './commands';
import { registerDecodedViews } from './decodedView';
import { registerExportCommands } from './exportCommands';
import { LensConnection, startLanguageServer } from './languageClient';
import { ModelTreeProvider, registerModelTree } from './modelTreeView';
import { ReportDocuments } from './reports';
import { onSettingsChanged } from './settings';
import { ModelSizeStatus } from './statusBar';
import { registerSmokeCommand } from './smokeCommand';
import { registerShrinkCommand } from './shrinkCommand';

export const OUTPUT_CHANNEL_NAME = 'SavedModel Lens';

let server: LensConnection | undefined;

export function activate(context: vscode.ExtensionContext): LensApi {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  server = startLanguageServer(context, output);
  const reports = new ReportDocuments();
  const tree = new ModelTreeProvider(server, vscode.Uri.joinPath(context.extensionUri, 'media'));
  const status = new ModelSizeStatus(server);
  context.subscriptions.push(
    output, reports, tree, status,
    registerDecodedViews(server),
    registerBinaryModelEditor(),
    registerModelTree(tree),
    registerModelCommands({ server, reports, tree }),
    registerExportCommands(server),
    registerSmokeCommand(server, reports, context.globalStorageUri),
    registerShrinkCommand(server, reports),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show(true)),
    onSettingsChanged(() => {
      tree.refresh();
      void status.update();
    }),
  );
  server.ready.catch((e: unknown) => output.error(`The language server did not start: ${(e as Error).message}`));
  const activation = activationTime();
  const manifest: { version?: string } = context.extension.packageJSON;
  const ui = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
  output.info(`SavedModel Lens ${manifest.version ?? '?'} activated in ${activation.wallMs.toFixed(1)} ms (${activation.cpuMs.toFixed(1)} ms CPU; ${vscode.env.appName}, ${ui} UI)`);
  return { activation, serverReady: server.ready, modelTree: tree, statusBarText: () => status.text() };
}

export function deactivate(): Promise<void> | undefined {
  return server?.dispose();
}
