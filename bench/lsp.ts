// npm run bench:lsp: the language server on big models, as the editor drives it: ask for the decoded
// text of a binary saved_model.pb, open it, and time the first diagnostics; then hovers at spread
// positions (p50/p95). Issue 4's targets: first diagnostics within 3 s on a 400 MB .pb, hover p95
// within 100 ms.
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

async function measure(name: string, file: string): Promise<string> {
  const client = await LspClient.start();
  try {
    const t0 = performance.now();
    const decoded = await client.connection.sendRequest(decodedTextRequest, { uri: URI.file(file).toString() });
    if ('error' in decoded) throw new Error(decoded.error);
    const tText = performance.now() - t0;
    const uri = URI.file(file).with({ scheme: DECODED_SCHEME }).toString();
    await client.open(uri, decoded.text);
    const diags = await client.diagnostics(uri, 1, 120_000);
    const tDiag = performance.now() - t0;
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
    return `| ${name} | ${mb} | ${(decoded.text.length / 1e6).toFixed(1)}${decoded.elided ? ' (elided)' : ''} | ${tText.toFixed(0)} | ${tDiag.toFixed(0)} | ${diags.length} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} |`;
  } finally {
    await client.stop();
  }
}

async function main(): Promise<void> {
  const files = generateAll(DIR, [400], 300_000);
  console.log('| model | .pb MB | decoded view MB | decoded text ms | first diagnostics ms | diagnostics | hover p50 ms | hover p95 ms |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const f of files) console.log(await measure(f.name, f.file));
}

void main();
