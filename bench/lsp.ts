// npm run bench:lsp: the language server on big models, as the editor drives it: ask for the decoded
// text of a binary saved_model.pb, open it, and time the first diagnostics; then hovers at spread
// positions (p50/p95), and the server's peak RSS. First diagnostics: the first publication for the
// view, which the server makes once it has answered decodedText, before the view is open; the
// diagnostics of the open view are those published for its version 1. Issue 13's targets: first
// diagnostics within 3 s on the 300k-node graph and 1 s on the 400 MB .pb, hover p95 within 50 ms.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { generateAll } from './generate';
import { LspClient } from '../test/unit/lsp/lspClient';
import { DECODED_SCHEME, decodedTextRequest } from '../server/src/protocol';

const DIR = process.env.BENCH_DIR ?? path.join(__dirname, '..', '.cache', 'bench');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The server process's peak resident set (VmHWM, Linux), in MB; '?' where /proc cannot tell. */
function peakRssMb(pid: number | undefined): string {
  let status = '';
  try {
    if (pid !== undefined) status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    // not Linux, or the server is gone
  }
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  return kb ? (Number(kb) / 1024).toFixed(0) : '?';
}

/** Resolves at the first publication of diagnostics for uri, whatever its version. */
function firstPublication(client: LspClient, uri: string): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (client.published.get(uri)?.length) resolve();
      else setTimeout(poll, 5);
    };
    poll();
  });
}

/** reparse: open the view with a text that differs from the one printed (a comment line first), which the server parses, as it did every view before. */
async function measure(name: string, file: string, settings: Record<string, unknown> = {}, reparse = false): Promise<string> {
  const client = await LspClient.start(settings);
  try {
    const t0 = performance.now();
    const decoded = await client.connection.sendRequest(decodedTextRequest, { uri: URI.file(file).toString() });
    if ('error' in decoded) throw new Error(decoded.error);
    const tText = performance.now() - t0;
    const uri = URI.file(file).with({ scheme: DECODED_SCHEME }).toString();
    // The server publishes a binary model's diagnostics once it has answered, before the view is open.
    const first = firstPublication(client, uri).then(() => performance.now() - t0);
    await client.open(uri, reparse ? `#\n${decoded.text}` : decoded.text);
    const diags = await client.diagnostics(uri, 1, 120_000);
    const tOpen = performance.now() - t0;
    const tDiag = await first;
    const lines = decoded.text.split('\n');
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const line = Math.floor((i / 200) * lines.length);
      const character = Math.min(lines[line].length, 4 + (i % 12));
      const h0 = performance.now();
      await client.hover(uri, { line, character });
      times.push(performance.now() - h0);
    }
    times.sort((a, b) => a - b);
    const mb = (fs.statSync(file).size / 1e6).toFixed(1);
    const rss = peakRssMb(client.proc.pid);
    return `| ${name} | ${mb} | ${(decoded.text.length / 1e6).toFixed(1)}${decoded.elided ? ' (elided)' : ''} | ${tText.toFixed(0)} | ${tDiag.toFixed(0)} | ${tOpen.toFixed(0)} | ${diags.length} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${rss} |`;
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const files = generateAll(DIR, [400], 300_000);
  console.log('| model | .pb MB | decoded view MB | decoded text ms | first diagnostics ms | diagnostics of the open view ms | diagnostics | hover p50 ms | hover p95 ms | server peak RSS MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const f of files) {
    console.log(await measure(f.name, f.file));
    // The decoded view elides node lists over elideNodesOver (10,000) by default; with 0, all of it.
    if (!f.name.startsWith('graph')) continue;
    console.log(await measure(`${f.name}, every node shown`, f.file, { elideNodesOver: 0 }));
    console.log(await measure(`${f.name}, every node shown, the open view parsed`, f.file, { elideNodesOver: 0 }, true));
    // What the importer's type check (rule graph-type-error) costs on this graph.
    console.log(await measure(`${f.name}, graph-type-error off`, f.file, { rules: { 'graph-type-error': 'off' } }));
  }
}

void main();
