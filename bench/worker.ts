// One measurement in a fresh process, so peak RSS belongs to that operation alone:
//   worker <decode|decode-unwalked|validate|print|parse|encode|baseline|load|show|check> <file>  →  {"seconds": s, "maxRssBytes": n}
import * as fs from 'node:fs';
import { decodeSavedModel } from '../server/src/core/savedmodel/savedModel';
import { printTextToFile } from '../server/src/core/textprint/textPrinter';
import { parseText } from '../server/src/core/textformat/textParser';
import { encodeText } from '../server/src/core/textformat/textEncoder';
import { readWholeFile } from '../server/src/core/readFile';
import { loadSchema } from '../server/src/core/protobuf/schema';
import { validateWire } from '../server/src/core/protobuf/validateWire';
import { loadModel } from '../server/src/core/savedmodel/loadModel';
import { nodeFields, nodeSpanRequest } from '../server/src/core/savedmodel/nodeTable';
import { summarize, formatSummary } from '../server/src/core/savedmodel/modelSummary';
import { checkPath } from '../server/src/core/check/checkModel';
import { formatCheckText } from '../server/src/core/check/checkText';
import { locationResolver } from '../server/src/core/check/resolveLocation';

type Op = (bytes: Uint8Array) => unknown;

const OPS: Record<string, Op> = {
  baseline: () => 0,
  decode: (bytes) => {
    // Walk the wire (every load does, issue 12), decode into the typed model and touch what `show`
    // and the rules read for every node.
    const schema = loadSchema();
    const walked = validateWire(bytes, schema.message('tensorflow.SavedModel'), { spans: nodeSpanRequest(nodeFields(schema.message('tensorflow.NodeDef'))) });
    if (!walked.ok) throw new Error('invalid');
    const doc = decodeSavedModel(bytes, walked.spans);
    let n = 0;
    for (const mg of doc.metaGraphs) {
      n += mg.graph.count + mg.signatures.length;
      for (const f of mg.functions.values()) n += f.nodes.count;
    }
    return n;
  },
  // The decode measured before issue 12 added the walk: no validation, each NodeDef read for its name and op.
  'decode-unwalked': (bytes) => {
    const doc = decodeSavedModel(bytes);
    let n = 0;
    for (const mg of doc.metaGraphs) {
      n += mg.graph.count + mg.signatures.length;
      for (const f of mg.functions.values()) n += f.nodes.count;
    }
    return n;
  },
  validate: (bytes) => validateWire(bytes, loadSchema().message('tensorflow.SavedModel')).ok,
  print: (bytes) => printTextToFile(bytes, '/dev/null'),
  parse: (bytes) => parseText(bytes).errors.length,
  encode: (bytes) => encodeText(parseText(bytes).root).length,
};

/** Whole-command work on a model directory (what `show` and `check` do, output formatted). */
const DIR_OPS: Record<string, (dir: string) => unknown> = {
  // The model from its file, as every command loads it: positioned reads, wire walk, typed model.
  load: (file) => {
    const r = loadModel(file);
    if (!r.ok) throw new Error(r.reason);
    let n = 0;
    for (const mg of r.model.doc.metaGraphs) n += mg.graph.count + mg.signatures.length;
    return n;
  },
  show: (dir) => {
    const r = loadModel(dir);
    if (!r.ok) throw new Error(r.reason);
    return formatSummary(summarize(r.model)).length;
  },
  check: (dir) => {
    const o = checkPath(dir);
    if (o.kind !== 'checked') throw new Error(o.kind);
    return formatCheckText(o, locationResolver(o.model.location, o.model)).length;
  },
};

function main(): void {
  const [op, file] = process.argv.slice(2);
  const dirOp = DIR_OPS[op];
  if (dirOp) {
    const t0 = process.hrtime.bigint();
    dirOp(file);
    report(Number(process.hrtime.bigint() - t0) / 1e9, 0);
    return;
  }
  const fn = OPS[op];
  if (!fn) throw new Error(`unknown op ${op}`);
  // Like the references' module imports, loading the schema is startup, not part of the operation.
  loadSchema();
  const bytes = file && !DIR_OPS[op] ? readWholeFile(file) : new Uint8Array(0);
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
