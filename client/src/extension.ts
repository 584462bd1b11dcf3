// The extension's entry point (bundled to dist/client.js). For now it owns the output channel
// that later features log to, and a command to show it.
import * as vscode from 'vscode';

export const OUTPUT_CHANNEL_NAME = 'SavedModel Lens';
export const SHOW_OUTPUT_COMMAND = 'savedmodelLens.showOutput';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
  );
  const manifest: { version?: string } = context.extension.packageJSON;
  const ui = vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop';
  output.appendLine(`SavedModel Lens ${manifest.version ?? '?'} activated in ${vscode.env.appName} (${ui} UI)`);
}

export function deactivate(): void {
  // Everything activate() created is in context.subscriptions, which VS Code disposes.
}
