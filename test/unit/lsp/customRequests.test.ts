// The custom requests of protocol.ts over the real protocol: decodedText (equal to the printer's
// output), modelTree and reveal (every item's element path leads to that element's text), check,
// summary, and export (text, binary, serving copy) refusing to overwrite unless confirmed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { useServer, textOf } from './lspClient';
import { decodedUri, directoryBytes, fileUri, F_NAME, G_NAME, richModel, writeBinaryModelDir, writeTextModelDir } from './models';
import {
  checkRequest, decodedTextRequest, DEFAULT_SETTINGS, exportRequest, ExportParams, ExportResult, modelTreeRequest, revealRequest,
  summaryRequest, TreeItemData,
} from '../../../server/src/protocol';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { formatBytes } from '../../../server/src/core/units';
import { parsePath } from '../../../server/src/core/elementPath';
import { corpusMissing, corpusModels } from '../../helpers/corpus';

const server = useServer();

function newDir(name: string): string {
  return server.tempDir(name);
}

function flatten(item: TreeItemData): TreeItemData[] {
  return [item, ...(item.children ?? []).flatMap(flatten)];
}

/** Every tree item with a path reveals a range of `text` that starts with that element's field. */
async function checkReveals(root: TreeItemData, modelUri: string, viewUri: string, text: string): Promise<number> {
  let n = 0;
  for (const item of flatten(root)) {
    if (item.path === undefined) continue;
    const target = await server.client.connection.sendRequest(revealRequest, { uri: modelUri, path: item.path });
    assert.ok(target, `reveal ${item.path}`);
    assert.equal(target.uri, viewUri);
    const segments = parsePath(item.path);
    assert.ok(segments);
    const field = segments[segments.length - 1].field;
    assert.ok(textOf(text, target.range).startsWith(`${field} {`), `${item.path} → ${JSON.stringify(textOf(text, target.range).slice(0, 60))}`);
    n++;
  }
  return n;
}

test('decodedText of every corpus saved_model.pb equals the printer\'s text', { skip: corpusMissing() }, async () => {
  const models = corpusModels('.pb');
  assert.ok(models.length > 20);
  for (const [name, file] of models) {
    const r = await server.client.connection.sendRequest(decodedTextRequest, { uri: fileUri(file) });
    assert.ok('text' in r, `${name}: ${JSON.stringify(r)}`);
    const expected = printText(fs.readFileSync(file), 'tensorflow.SavedModel', { elideBytesOver: DEFAULT_SETTINGS.elideBytesOver });
    assert.ok(r.text === expected, `${name}: decoded text differs from the printer's`);
  }
});

test('decodedText of a file that is not a SavedModel is an error, not a crash', async () => {
  const file = path.join(newDir('notpb'), 'saved_model.pb');
  fs.writeFileSync(file, 'PK\u0003\u0004 this is a zip, not a protobuf');
  const r = await server.client.connection.sendRequest(decodedTextRequest, { uri: fileUri(file) });
  assert.ok('error' in r, JSON.stringify(r));
});

test('modelTree of a binary model: size against the limit, meta graph → signature → tensors, functions, variables by size, assets; every path reveals', async () => {
  const dir = newDir('tree');
  const pb = writeBinaryModelDir(dir, richModel());
  const r = await server.client.connection.sendRequest(modelTreeRequest, { uri: fileUri(pb) });
  assert.ok('root' in r, JSON.stringify(r));
  const root = r.root;
  assert.equal(root.label, path.basename(dir));
  assert.ok(root.description?.includes(formatBytes(directoryBytes(dir))), root.description);
  assert.ok(root.description?.includes('500 MB'), root.description);
  assert.deepEqual(root.children?.map((c) => c.label), ['{serve}', 'Functions', 'Variables', 'Assets']);
  const [mg, fns, vars, assets] = root.children ?? [];
  const sig = mg.children?.[0];
  assert.equal(sig?.label, 'serving_default');
  assert.equal(sig?.description, 'predict');
  assert.deepEqual(sig?.children?.map((c) => [c.label, c.description]), [['x', 'input · float32 (-1, 3)'], ['y', 'output · float32 (-1, 2)']]);
  assert.deepEqual(fns.children?.map((c) => c.label), [F_NAME, G_NAME]);
  assert.equal(fns.description, '2');
  assert.deepEqual(vars.children?.map((c) => [c.label, c.description]), [['big', `float32 (4, 4) · ${formatBytes(64)}`], ['small', `float32 (2,) · ${formatBytes(8)}`]]);
  assert.deepEqual(assets.children?.map((c) => [c.label, c.description]), [['assets/vocab.txt', formatBytes(6)]]);
  const text = printText(fs.readFileSync(pb), 'tensorflow.SavedModel', { elideBytesOver: DEFAULT_SETTINGS.elideBytesOver });
  const revealed = await checkReveals(root, fileUri(pb), decodedUri(pb), text);
  assert.equal(revealed, 1 + 1 + 2 + 2 + 1, 'meta graph, signature, two tensors, two functions, one asset');
});

test('modelTree and reveal of an open .pbtxt use the editor\'s text', async () => {
  const { file, text } = writeTextModelDir(newDir('tree-text'), richModel());
  const edited = `# edited in the editor\n${text}`;
  const uri = fileUri(file);
  await server.client.open(uri, edited);
  const r = await server.client.connection.sendRequest(modelTreeRequest, { uri });
  assert.ok('root' in r);
  assert.equal(await checkReveals(r.root, uri, uri, edited), 7);
  const target = await server.client.connection.sendRequest(revealRequest, { uri, path: 'meta_graphs[0].signature_def["serving_default"]' });
  assert.equal(target?.range.start.line, edited.split('\n').findIndex((l) => l === '  signature_def {'));
  assert.equal(await server.client.connection.sendRequest(revealRequest, { uri, path: 'not a path!' }), null);
  await server.client.close(uri);
});

test('modelTree of every corpus model: every item path reveals its element', { skip: corpusMissing() }, async () => {
  let total = 0;
  for (const [name, file] of corpusModels('.pb')) {
    // As the extension does: the decoded view is open when an item is revealed (a closed model is
    // analyzed anew for each request).
    const text = printText(fs.readFileSync(file), 'tensorflow.SavedModel', { elideBytesOver: DEFAULT_SETTINGS.elideBytesOver });
    await server.client.open(decodedUri(file), text);
    const r = await server.client.connection.sendRequest(modelTreeRequest, { uri: fileUri(file) });
    assert.ok('root' in r, `${name}: ${JSON.stringify(r)}`);
    total += await checkReveals(r.root, fileUri(file), decodedUri(file), text);
    await server.client.close(decodedUri(file));
  }
  assert.ok(total > 100, `${total} items revealed`);
});

test('check: a Markdown report whose counts match the diagnostics of the decoded view', async () => {
  const dir = newDir('check');
  const pb = writeBinaryModelDir(dir, richModel({ tags: ['train'], inputDims: [8, 3] }));
  const r = await server.client.connection.sendRequest(checkRequest, { uri: fileUri(pb) });
  assert.ok('markdown' in r, JSON.stringify(r));
  assert.match(r.markdown, /serve-tag-missing/);
  assert.match(r.markdown, /batch-dimension-fixed/);
  const uri = decodedUri(pb);
  await server.client.open(uri, printText(fs.readFileSync(pb)));
  const diags = await server.client.diagnostics(uri, 1);
  const count = (s: DiagnosticSeverity): number => diags.filter((d) => d.severity === s).length;
  assert.deepEqual([r.errors, r.warnings, r.infos], [count(DiagnosticSeverity.Error), count(DiagnosticSeverity.Warning), count(DiagnosticSeverity.Information)]);
  assert.ok(r.errors >= 1);
  await server.client.close(uri);
});

test('summary: the directory\'s total size and the limit', async () => {
  const dir = newDir('summary');
  const pb = writeBinaryModelDir(dir, richModel());
  const r = await server.client.connection.sendRequest(summaryRequest, { uri: fileUri(pb) });
  assert.ok('text' in r, JSON.stringify(r));
  assert.equal(r.totalBytes, directoryBytes(dir));
  assert.equal(r.limitBytes, 500_000_000);
  assert.match(r.text, /serving_default/);
});

async function exportTo(p: ExportParams): Promise<ExportResult> {
  return server.client.connection.sendRequest(exportRequest, p);
}

test('export as text: the full printed text; an existing output is refused unless overwrite is confirmed', async () => {
  const dir = newDir('export-text');
  const pb = writeBinaryModelDir(dir, richModel());
  const output = path.join(newDir('export-text-out'), 'model.pbtxt');
  const params: ExportParams = { uri: fileUri(pb), kind: 'text', output, overwrite: false };
  const first = await exportTo(params);
  assert.equal(first.ok, true, JSON.stringify(first));
  assert.equal(fs.readFileSync(output, 'latin1'), printText(fs.readFileSync(pb)));
  fs.writeFileSync(output, 'kept');
  const refused = await exportTo(params);
  assert.deepEqual({ ok: refused.ok, exists: !refused.ok && refused.exists }, { ok: false, exists: true });
  assert.equal(fs.readFileSync(output, 'utf8'), 'kept', 'the existing file is untouched');
  const confirmed = await exportTo({ ...params, overwrite: true });
  assert.equal(confirmed.ok, true);
  assert.equal(fs.readFileSync(output, 'latin1'), printText(fs.readFileSync(pb)));
});

test('export as binary: a .pbtxt encodes to the model\'s bytes; a .pbtxt with errors writes nothing', async () => {
  const { file, text } = writeTextModelDir(newDir('export-bin'), richModel());
  const out = newDir('export-bin-out');
  const output = path.join(out, 'saved_model.pb');
  const ok = await exportTo({ uri: fileUri(file), kind: 'binary', output, overwrite: false });
  assert.equal(ok.ok, true, JSON.stringify(ok));
  assert.equal(printText(fs.readFileSync(output)), text, 'the binary prints back to the same text');
  const broken = path.join(newDir('export-bin-broken'), 'saved_model.pbtxt');
  fs.writeFileSync(broken, text.replace('op: "MatMul"', 'op: MatMul'));
  const bad = path.join(out, 'broken.pb');
  const refused = await exportTo({ uri: fileUri(broken), kind: 'binary', output: bad, overwrite: false });
  assert.equal(refused.ok, false);
  assert.ok(!fs.existsSync(bad), 'nothing written');
});

test('export a serving copy: a folder with the model and its variables; refused over a non-empty folder', async () => {
  const dir = newDir('export-serving');
  const pb = writeBinaryModelDir(dir, richModel());
  const output = path.join(newDir('export-serving-out'), 'serving');
  const r = await exportTo({ uri: fileUri(pb), kind: 'serving', output, overwrite: false });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.ok(fs.existsSync(path.join(output, 'saved_model.pb')));
  assert.ok(fs.existsSync(path.join(output, 'variables', 'variables.index')));
  const again = await exportTo({ uri: fileUri(pb), kind: 'serving', output, overwrite: false });
  assert.equal(again.ok, false);
  assert.equal(!again.ok && again.exists, true);
});
