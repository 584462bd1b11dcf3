// documentSymbol and foldingRange over the real protocol: the outline of a model (meta graphs →
// signatures → tensors; graph nodes; functions → nodes), the cap on node symbols, folds for every
// multi-line message and comment run; on a corpus TF2 model's decoded view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentSymbol, FoldingRangeKind, Range, SymbolKind } from 'vscode-languageserver-protocol/node';
import { useServer, textOf } from './lspClient';
import { decodedUri, fileUri, F_NAME, G_NAME, richModel, writeTextModelDir } from './models';
import { metaGraph, nodeDef, savedModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { loadModel } from '../../../server/src/core/savedmodel/loadModel';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

const server = useServer();

async function openRich(): Promise<{ uri: string; text: string }> {
  const dir = server.tempDir('symbols');
  const { file, text } = writeTextModelDir(dir, richModel());
  const uri = fileUri(file);
  await server.client.open(uri, text);
  return { uri, text };
}

/** name → children names, recursively, for a compact comparison. */
function shape(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((s) => (s.children?.length ? { [s.name]: shape(s.children) } : s.name));
}

function contains(outer: Range, inner: Range): boolean {
  const le = (a: Range['start'], b: Range['start']): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function walk(symbols: DocumentSymbol[], fn: (s: DocumentSymbol) => void): void {
  for (const s of symbols) {
    fn(s);
    walk(s.children ?? [], fn);
  }
}

test('the outline of a model: meta graph → graph nodes, library → functions → nodes; signatures → inputs/outputs', async () => {
  const { uri, text } = await openRich();
  const symbols = await server.client.documentSymbols(uri);
  assert.deepEqual(shape(symbols), [{
    'meta_graphs[0]': [
      { graph_def: ['x', 'w', 'mm', 'y', 'call', 'asset_path', { library: [{ [F_NAME]: ['neg', 'id'] }, { [G_NAME]: ['inner'] }] }] },
      { serving_default: ['x', 'y'] },
    ],
  }]);
  const mg = symbols[0];
  assert.equal(mg.detail, 'tags: serve');
  assert.equal(mg.kind, SymbolKind.Module);
  const graph = mg.children?.[0] as DocumentSymbol;
  const sig = mg.children?.[1] as DocumentSymbol;
  assert.equal(sig.detail, 'tensorflow/serving/predict');
  assert.equal(textOf(text, sig.selectionRange), '"serving_default"');
  assert.deepEqual(sig.children?.map((c) => c.detail), ['input: float32 (-1, 3)', 'output: float32 (-1, 2)']);
  const w = graph.children?.[1] as DocumentSymbol;
  assert.equal(w.detail, 'Const');
  assert.equal(textOf(text, w.selectionRange), '"w"');
  assert.match(textOf(text, w.range), /^node \{\n\s+name: "w"\n\s+op: "Const"/);
  walk(symbols, (s) => assert.ok(contains(s.range, s.selectionRange), `${s.name}: selection outside its range`));
  await server.client.close(uri);
});

test('node symbols are capped per graph, with one "… N more nodes" entry', async () => {
  const dir = server.tempDir('cap');
  const n = 2500;
  const nodes = Array.from({ length: n }, (_, i) => nodeDef(`n${i}`, 'NoOp'));
  const { file, text } = writeTextModelDir(dir, { model: savedModel([metaGraph({ tags: ['serve'], nodes, signatures: {} })]) });
  const uri = fileUri(file);
  await server.client.open(uri, text);
  const graph = (await server.client.documentSymbols(uri))[0].children?.find((c) => c.name === 'graph_def');
  assert.ok(graph?.children);
  assert.equal(graph.detail, `${n.toLocaleString('en-US')} nodes`);
  assert.equal(graph.children.length, 2001);
  assert.equal(graph.children[1999].name, 'n1999');
  assert.equal(graph.children[2000].name, '… 500 more nodes');
  assert.match(textOf(text, graph.children[2000].range), /^node \{\n\s+name: "n2000"[\s\S]*name: "n2499"[\s\S]*\}$/);
  await server.client.close(uri);
});

test('folding ranges: one per multi-line message, from its field name to the line before its brace; comment runs', async () => {
  const dir = server.tempDir('fold');
  const { file, text: printed } = writeTextModelDir(dir, richModel());
  const text = `# A saved model\n# printed for a test\n# three comment lines\n${printed}`;
  const uri = fileUri(file);
  await server.client.open(uri, text);
  const folds = await server.client.foldingRanges(uri);
  const lines = text.split('\n');
  const comments = folds.filter((f) => f.kind === FoldingRangeKind.Comment);
  assert.deepEqual(comments.map((f) => [f.startLine, f.endLine]), [[0, 2]]);
  // Independently: every line ending in `{` opens a message closed on a later line by `}` at its indentation.
  const expected: Array<[number, number]> = [];
  lines.forEach((l, i) => {
    if (!l.endsWith('{')) return;
    const indent = /^\s*/.exec(l)?.[0] ?? '';
    const close = lines.findIndex((m, j) => j > i && m === `${indent}}`);
    if (close - 1 > i) expected.push([i, close - 1]);
  });
  const got = folds.filter((f) => f.kind === undefined).map((f) => [f.startLine, f.endLine]);
  assert.deepEqual(got.sort((x, y) => x[0] - y[0]), expected);
  await server.client.close(uri);
});

test('corpus TF2 model, decoded view: functions in the outline are the model\'s FunctionDefs', { skip: corpusMissing() }, async () => {
  const file = path.join(CORPUS_DIR, 'tf-bert1_graph_only', 'saved_model.pb');
  const text = printText(fs.readFileSync(file), 'tensorflow.SavedModel', { elideBytesOver: 4096 });
  const uri = decodedUri(file);
  await server.client.open(uri, text);
  const started = Date.now();
  const symbols = await server.client.documentSymbols(uri);
  const elapsed = Date.now() - started;
  const loaded = loadModel(file);
  assert.ok(loaded.ok);
  const mg = loaded.model.doc.metaGraphs[0];
  const graph = symbols[0].children?.find((c) => c.name === 'graph_def');
  const library = graph?.children?.find((c) => c.name === 'library');
  assert.deepEqual(library?.children?.map((c) => c.name), [...mg.functions.keys()]);
  assert.deepEqual(symbols[0].children?.filter((c) => c.kind === SymbolKind.Interface).map((c) => c.name), mg.signatures.map((s) => s.key));
  let nodes = 0;
  walk(symbols, (s) => { if (s.kind === SymbolKind.Variable && s.detail !== undefined && !s.detail.startsWith('input')) nodes++; });
  assert.ok(nodes <= 20000, `${nodes} node symbols`);
  const folds = await server.client.foldingRanges(uri);
  assert.ok(folds.length > 100 && folds.length <= 50000, `${folds.length} folds`);
  console.log(`bert1 decoded view: ${text.length} chars, outline in ${elapsed} ms, ${folds.length} folds`);
  await server.client.close(uri);
});
