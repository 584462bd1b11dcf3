// One measurement in a fresh process, so peak RSS belongs to that operation alone:
//   worker <decode|print|parse|encode|baseline> <file>  →  {"seconds": s, "maxRssBytes": n}
import * as fs from 'node:fs';
import { decodeSavedModel } from '../server/src/core/savedModel';
import { printTextToFile } from '../server/src/core/textPrinter';
import { parseText } from '../server/src/core/textParser';
import { encodeText } from '../server/src/core/textEncoder';
import { readWholeFile } from '../server/src/core/readFile';

type Op = (bytes: Uint8Array) => unknown;

const OPS: Record<string, Op> = {
  baseline: () => 0,
  decode: (bytes) => {
    // Decode into the typed model and touch what `show` and the rules read for every node.
    const doc = decodeSavedModel(bytes);
    let n = 0;
    for (const mg of doc.metaGraphs) {
      n += mg.graph.count + mg.signatures.length;
      for (const f of mg.functions.values()) n += f.nodes.count;
    }
    return n;
  },
  print: (bytes) => printTextToFile(bytes, '/dev/null'),
  parse: (bytes) => parseText(bytes).errors.length,
  encode: (bytes) => encodeText(parseText(bytes).root).length,
};

function main(): void {
  const [op, file] = process.argv.slice(2);
  const fn = OPS[op];
  if (!fn) throw new Error(`unknown op ${op}`);
  const bytes = file ? readWholeFile(file) : new Uint8Array(0);
  let parseSeconds = 0;
  if (op === 'encode') {
    // Report encode alone: parse first, then time the encoder on the tree.
    const t0 = process.hrtime.bigint();
    const tree = parseText(bytes).root;
    parseSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const t1 = process.hrtime.bigint();
    encodeText(tree);
    report(Number(process.hrtime.bigint() - t1) / 1e9, parseSeconds);
    return;
  }
  const t0 = process.hrtime.bigint();
  fn(bytes);
  report(Number(process.hrtime.bigint() - t0) / 1e9, parseSeconds);
}

function report(seconds: number, parseSeconds: number): void {
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  fs.writeSync(1, `${JSON.stringify({ seconds, parseSeconds, maxRssBytes })}\n`);
}

main();
