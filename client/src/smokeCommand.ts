// SavedModel: Run GPU Prediction Smoke Test. Picks the signature, the request (a file in the
// prediction service's format, or synthesized from the signature), the batch size and the runtime;
// the server runs it with progress and cancel; the report and the JSON response open beside.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SmokeParams, SmokeResult, signaturesRequest, smokeRequest, smokeProgressNotification } from '../../server/src/protocol';
import { COMMANDS } from './commandIds';
import { showMarkdown } from './commands';
import { LensConnection } from './languageClient';
import { pickModel } from './modelPicker';
import { ReportDocuments } from './reports';

/** What tests (or other commands) may pass to skip the pickers. */
export type SmokeChoices = Partial<Omit<SmokeParams, 'uri'>>;

export function registerSmokeCommand(server: LensConnection, reports: ReportDocuments, storage: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.smokeTest, (arg?: unknown, choices?: unknown) => smokeTest(server, reports, storage, arg, choices));
}

function isChoices(v: unknown): v is SmokeChoices {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof vscode.Uri);
}

async function smokeTest(server: LensConnection, reports: ReportDocuments, storage: vscode.Uri, arg: unknown, choices?: unknown): Promise<SmokeResult | undefined> {
  const file = await pickModel(arg, 'Run GPU Prediction Smoke Test');
  if (!file) return undefined;
  // From the explorer the second argument is the selection (an array of URIs), not choices.
  const given = isChoices(choices) ? choices : undefined;
  const params = given ? { uri: file.toString(), batch: 1, runs: 20, runtime: 'auto' as const, device: 'gpu' as const, ...given } : await askParams(server, file, storage);
  if (!params) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'SavedModel smoke test', cancellable: true },
    async (progress, token) => {
      const sub = await server.onNotification(smokeProgressNotification, (p) => progress.report({ message: p.message }));
      try {
        return await server.request(smokeRequest, params, token);
      } finally {
        sub.dispose();
      }
    },
  );
  const saved = params.saveRequestTo ? `\nThe synthesized request is saved in \`${params.saveRequestTo}\`: edit it and rerun with "Use a request file".\n` : '';
  const markdown = `${result.markdown}${saved}\n## Response\n\n\`\`\`json\n${result.response}\n\`\`\`\n`;
  await showMarkdown(reports.set(file, 'smoke-test.md', markdown));
  vscode.window.setStatusBarMessage(`Smoke test: ${result.summary}`, 60_000);
  if (result.status === 'failed') void vscode.window.showErrorMessage('The smoke test could not run: see the report for the cause and what to do.');
  return result;
}

async function askParams(server: LensConnection, file: vscode.Uri, storage: vscode.Uri): Promise<SmokeParams | undefined> {
  const sigs = await server.request(signaturesRequest, { uri: file.toString() });
  if ('error' in sigs) {
    void vscode.window.showErrorMessage(sigs.error);
    return undefined;
  }
  const sig = sigs.length === 1 ? sigs[0] : await vscode.window.showQuickPick(
    sigs.map((s) => ({ label: s.key, description: s.method, detail: s.inputs.join(', '), key: s.key })),
    { title: 'Signature to run' },
  );
  if (!sig) return undefined;
  const request = await pickRequest(file, storage);
  if (!request) return undefined;
  const batch = await vscode.window.showInputBox({
    title: 'Batch size', value: '1',
    validateInput: (v) => (/^[1-9]\d{0,5}$/.test(v) ? undefined : 'a positive whole number'),
  });
  if (!batch) return undefined;
  const runtime = await vscode.window.showQuickPick(
    [
      { label: 'auto', description: 'TensorFlow when your Python has it, else built-in' },
      { label: 'builtin', description: 'TensorFlow.js kernels: WebGPU on the GPU, else wasm or CPU; no TensorFlow needed' },
      { label: 'tensorflow', description: 'your Python with TensorFlow' },
    ],
    { title: 'Runtime' },
  );
  if (!runtime) return undefined;
  const python = await pythonInterpreter();
  return {
    uri: file.toString(), signature: sig.key, batch: Number(batch), runs: 20,
    runtime: runtime.label as SmokeParams['runtime'], device: 'gpu', ...request, ...(python ? { python } : {}),
  };
}

async function pickRequest(file: vscode.Uri, storage: vscode.Uri): Promise<Pick<SmokeParams, 'instancesFile' | 'saveRequestTo'> | undefined> {
  const how = await vscode.window.showQuickPick(['Synthesize from the signature', 'Use a request file…'], { title: 'Request' });
  if (!how) return undefined;
  if (how.startsWith('Use')) {
    const picked = await vscode.window.showOpenDialog({ filters: { 'Prediction requests': ['json', 'jsonl'] }, canSelectMany: false });
    return picked?.[0] ? { instancesFile: picked[0].fsPath } : undefined;
  }
  // Saved in the extension's storage, never into the model's folder (it would ship with it).
  const dir = vscode.Uri.joinPath(storage, 'smoke-requests');
  await vscode.workspace.fs.createDirectory(dir);
  const name = `${path.basename(path.dirname(file.fsPath))}.request.json`;
  return { saveRequestTo: vscode.Uri.joinPath(dir, name).fsPath };
}

/** The part of the Python extension's API we read (ms-python.python `environments`). */
interface PythonExtensionApi {
  environments?: { getActiveEnvironmentPath?(): { path: string } | undefined };
}

/** The setting, else the interpreter the Python extension has selected, else undefined (python3). */
async function pythonInterpreter(): Promise<string | undefined> {
  const setting = vscode.workspace.getConfiguration('savedmodelLens').get<string>('pythonPath');
  if (setting) return setting;
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!ext) return undefined;
  try {
    const api = ext.isActive ? ext.exports : await ext.activate();
    return api.environments?.getActiveEnvironmentPath?.()?.path;
  } catch {
    return undefined;
  }
}
