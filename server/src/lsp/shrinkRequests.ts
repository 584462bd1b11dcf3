// Export Smaller Serving Copy from the editor: the size each precision would give (for the quick
// pick), and the shrink itself with progress and cancel; the report comes back as markdown.
import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import { Connection } from 'vscode-languageserver';
import { ShrinkEstimatesResult, ShrinkParams, ShrinkResult, shrinkEstimatesRequest, shrinkProgressNotification, shrinkRequest } from '../protocol';
import { loadModel } from '../core/savedmodel';
import { sizeReport } from '../core/rules/sizeReport';
import { limitName } from '../core/rules/modelSizeLimit';
import { CheckOptions } from '../core/rules/checkOptions';
import { ShrinkError, formatShrinkMarkdown, shrinkModel } from '../core/shrink';
import { formatBytes } from '../core/units';

export function shrinkRequests(connection: Connection, options: () => CheckOptions): void {
  connection.onRequest(shrinkEstimatesRequest, (p) => estimates(URI.parse(p.uri).fsPath, options()));
  connection.onRequest(shrinkRequest, async (p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return shrink(p, options(), abort.signal, (message) => void connection.sendNotification(shrinkProgressNotification, { message }));
  });
}

function estimates(file: string, options: CheckOptions): ShrinkEstimatesResult {
  const r = loadModel(file);
  if (!r.ok) return { error: r.reason };
  const s = sizeReport(r.model, options);
  return {
    estimates: [
      { weights: 'float16', bytes: s.estimates.float16 },
      { weights: 'int8', bytes: s.estimates.int8 },
      { weights: 'keep', bytes: s.total - s.unusedBytes },
    ],
    currentBytes: s.total,
    limitBytes: s.limit.bytes,
    limitName: limitName(s),
  };
}

async function shrink(p: ShrinkParams, options: CheckOptions, signal: AbortSignal, onProgress: (m: string) => void): Promise<ShrinkResult> {
  const exists = fs.existsSync(p.output) && fs.statSync(p.output).isDirectory() && fs.readdirSync(p.output).length > 0;
  if (exists && !p.overwrite) return { ok: false, exists: true, message: `${p.output} exists and is not empty` };
  try {
    const report = await shrinkModel(URI.parse(p.uri).fsPath, p.output, { weights: p.weights, force: p.overwrite, check: options, signal, onProgress });
    const summary = `${report.verdict === 'ok' ? 'proven' : 'NOT proven'}: ${formatBytes(report.before.total)} → ${formatBytes(report.after.total)}`;
    return { ok: true, output: report.out, proven: report.verdict === 'ok', markdown: formatShrinkMarkdown(report), summary };
  } catch (e) {
    if (e instanceof ShrinkError) return { ok: false, exists: false, message: e.message };
    throw e;
  }
}
