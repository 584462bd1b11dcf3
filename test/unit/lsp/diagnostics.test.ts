// publishDiagnostics from the real server over the real protocol: a typo in a .pbtxt gives one
// schema error at its range; rule findings come with their code, docs link and element range;
// edits and changes to the model directory re-publish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, DiagnosticSeverity, DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol/node';
import { LspClient, positionAtText, positionOf, textOf } from './lspClient';
import { decodedUri, fileUri, richModel, tempDir, writeBinaryModelDir, writeTextModelDir } from './models';
import { printText } from '../../../server/src/core/textprint/textPrinter';

let client: LspClient;
const dirs: string[] = [];

function newDir(name: string): string {
  const d = tempDir(name);
  dirs.push(d);
  return d;
}

function messageText(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

before(async () => {
  client = await LspClient.start();
});

after(async () => {
  await client.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  assert.equal(client.alive, false, 'the server process has exited');
});

test('a typo in a field name gives exactly one schema error, on the name', async () => {
  const { file, text } = writeTextModelDir(newDir('typo'), richModel());
  const typo = text.replace('tensorflow_version', 'tensorflow_versoin');
  const uri = fileUri(file);
  await client.open(uri, typo);
  const diags = await client.diagnostics(uri, 1);
  const parse = diags.filter((d) => d.code === 'schema-error' || d.code === 'syntax-error');
  assert.equal(parse.length, 1, JSON.stringify(diags, null, 1));
  const d = parse[0];
  assert.equal(d.code, 'schema-error');
  assert.equal(d.severity, DiagnosticSeverity.Error);
  assert.equal(textOf(typo, d.range), 'tensorflow_versoin');
  assert.deepEqual(d.range.start, positionAtText(typo, 'tensorflow_versoin'));
  assert.match(messageText(d), /tensorflow_version/, 'suggests the right name');
  assert.equal(diags.filter((x) => x.code === 'serve-tag-missing').length, 0, 'the model is tagged serve');

  // Fixing the typo re-publishes without the error.
  await client.change(uri, text, 2);
  const fixed = await client.diagnostics(uri, 2);
  assert.deepEqual(fixed.filter((x) => x.code === 'schema-error' || x.code === 'syntax-error'), []);
  await client.close(uri);
});

test('a syntax error (a missing colon) is reported on the token after the field name', async () => {
  const { file, text } = writeTextModelDir(newDir('syntax'), richModel());
  const broken = text.replace('op: "MatMul"', 'op "MatMul"');
  const uri = fileUri(file);
  await client.open(uri, broken);
  const diags = (await client.diagnostics(uri, 1)).filter((d) => d.code === 'syntax-error' || d.code === 'schema-error');
  assert.equal(diags.length, 1, JSON.stringify(diags));
  assert.equal(diags[0].code, 'syntax-error');
  assert.equal(textOf(broken, diags[0].range), '"MatMul"');
  await client.close(uri);
});

test('a model without the serve tag: serve-tag-missing on its meta_info_def, with the docs link', async () => {
  const { file, text } = writeTextModelDir(newDir('noserve'), richModel({ tags: ['train'] }));
  const uri = fileUri(file);
  await client.open(uri, text);
  const diags = await client.diagnostics(uri, 1);
  const d = diags.find((x) => x.code === 'serve-tag-missing');
  assert.ok(d, JSON.stringify(diags.map((x) => x.code)));
  assert.equal(d.severity, DiagnosticSeverity.Error);
  assert.equal(d.source, 'SavedModel Lens');
  assert.match(d.codeDescription?.href ?? '', /#serve-tag-missing$/);
  // The range is the meta_info_def element: from its name to its closing brace.
  const start = text.indexOf('meta_info_def {');
  const end = text.indexOf('\n  }', start) + '\n  }'.length;
  assert.deepEqual(d.range, { start: positionOf(text, start), end: positionOf(text, end) });
  assert.match(messageText(d), /train/);
  await client.close(uri);
});

test('the decoded view of a binary model gets the same findings, on ranges of the decoded text', async () => {
  const file = writeBinaryModelDir(newDir('decoded'), richModel({ tags: ['train'], inputDims: [8, 3] }));
  const uri = decodedUri(file);
  const text = printText(fs.readFileSync(file));
  await client.open(uri, text);
  const diags = await client.diagnostics(uri, 1);
  const codes = diags.map((d) => d.code);
  assert.ok(codes.includes('serve-tag-missing'), JSON.stringify(codes));
  const batch = diags.find((d) => d.code === 'batch-dimension-fixed');
  assert.ok(batch);
  assert.match(textOf(text, batch.range), /^tensor_shape \{\n\s+dim \{\n\s+size: 8\n/);
  assert.ok(!codes.includes('schema-error') && !codes.includes('syntax-error'));
  await client.close(uri);
});

test('a change in the model directory re-publishes: a deleted asset gives asset-missing', async () => {
  const dir = newDir('watch');
  const { file, text } = writeTextModelDir(dir, richModel());
  const uri = fileUri(file);
  await client.open(uri, text);
  const first = await client.diagnostics(uri, 1);
  assert.ok(!first.some((d) => d.code === 'asset-missing'), JSON.stringify(first.map((d) => d.code)));
  const before = client.published.get(uri)?.length ?? 0;
  const asset = path.join(dir, 'assets', 'vocab.txt');
  fs.rmSync(asset);
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(asset), type: FileChangeType.Deleted }] });
  const deadline = Date.now() + 10_000;
  let latest = first;
  while (Date.now() < deadline) {
    const list = client.published.get(uri) ?? [];
    if (list.length > before) {
      latest = list[list.length - 1].diagnostics;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const missing = latest.find((d) => d.code === 'asset-missing');
  assert.ok(missing, `no asset-missing after the file was deleted: ${JSON.stringify(latest.map((d) => d.code))}`);
  assert.match(textOf(text, missing.range), /^asset_file_def \{/);
  await client.close(uri);
});

test('closing a document clears its diagnostics', async () => {
  const { file, text } = writeTextModelDir(newDir('close'), richModel({ tags: ['train'] }));
  const uri = fileUri(file);
  await client.open(uri, text);
  assert.ok((await client.diagnostics(uri, 1)).length > 0);
  const count = client.published.get(uri)?.length ?? 0;
  await client.close(uri);
  const deadline = Date.now() + 5000;
  while ((client.published.get(uri)?.length ?? 0) === count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const list = client.published.get(uri) ?? [];
  assert.deepEqual(list[list.length - 1].diagnostics, []);
});
