// The smoke test from the editor: runs the core's runSmokeTest off the editor's process (the
// built-in runtime's kernels run in their own child process), reports progress, stops on cancel.
import { URI } from 'vscode-uri';
import { Connection } from 'vscode-languageserver';
import { signaturesRequest, smokeRequest, smokeProgressNotification, SignatureChoice, SmokeParams, SmokeResult } from '../protocol';
import { loadModel } from '../core/savedmodel';
import { deviceSummary, formatReport, runSmokeTest } from '../core/smoke';
import { formatShape } from '../core/savedmodel';
import { dtypeShortName } from '../core/dtype';

export function smokeRequests(connection: Connection): void {
  connection.onRequest(signaturesRequest, (p) => signatures(URI.parse(p.uri).fsPath));
  connection.onRequest(smokeRequest, async (p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return smoke(p, abort.signal, (message) => void connection.sendNotification(smokeProgressNotification, { message }));
  });
}

function signatures(file: string): SignatureChoice[] | { error: string } {
  const r = loadModel(file);
  if (!r.ok) return { error: r.reason };
  const serve = r.model.doc.metaGraphs.find((mg) => mg.tags.includes('serve')) ?? r.model.doc.metaGraphs[0];
  return (serve?.clientSignatures ?? []).map((s) => ({
    key: s.key,
    method: s.method,
    inputs: s.inputs.map((t) => `${t.key}: ${dtypeShortName(t.dtype) ?? t.dtype} ${formatShape(t.shape)}`),
  }));
}

async function smoke(p: SmokeParams, signal: AbortSignal, onProgress: (m: string) => void): Promise<SmokeResult> {
  const r = loadModel(URI.parse(p.uri).fsPath);
  if (!r.ok) return { markdown: `**Could not run:** ${r.reason}`, response: JSON.stringify({ error: r.reason }), status: 'failed', summary: 'could not run (model)' };
  const report = await runSmokeTest(r.model, {
    signature: p.signature, instancesFile: p.instancesFile, batch: p.batch, runs: p.runs, warmup: 3,
    runtime: p.runtime, device: p.device, python: p.python, saveRequestTo: p.saveRequestTo, signal, onProgress,
  });
  const summary = deviceSummary(report);
  return {
    markdown: `# Prediction smoke test\n\n**${summary}**\n\n\`\`\`text\n${formatReport(report)}\n\`\`\`\n`,
    response: JSON.stringify(report.response, null, 2),
    status: report.status,
    summary,
  };
}
