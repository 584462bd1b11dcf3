// Malformed documents over the real protocol: binary garbage, a 1 MB line, unbalanced braces and
// nesting far past the parser's limit each get diagnostics, every request on them is answered, and
// the server stays alive (it answers a hover afterwards).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Position } from 'vscode-languageserver-protocol/node';
import { LspClient, positionOf } from './lspClient';
import { fileUri, richModel, tempDir, writeTextModelDir } from './models';

let client: LspClient;
let dir: string;
let counter = 0;

before(async () => {
  client = await LspClient.start();
  dir = tempDir('robust');
});

after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(client.alive, false);
});

/** Deterministic bytes (xorshift), so a failure can be replayed. */
function garbage(n: number, seed: number): string {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out.toString('latin1');
}

/** Open the text as a saved_model.pbtxt, wait for its diagnostics, then send every request at `at`. */
async function survive(text: string, at: Position): Promise<number> {
  const sub = path.join(dir, String(counter++));
  fs.mkdirSync(sub);
  const uri = fileUri(path.join(sub, 'saved_model.pbtxt'));
  await client.open(uri, text);
  const diags = await client.diagnostics(uri, 1, 60_000);
  assert.ok(diags.length > 0, 'diagnostics for a malformed document');
  for (const d of diags) assert.ok(d.range.start.line >= 0 && d.range.end.line >= d.range.start.line);
  const started = Date.now();
  await client.hover(uri, at);
  await client.documentSymbols(uri);
  await client.foldingRanges(uri);
  await client.completion(uri, at);
  await client.definition(uri, at);
  await client.references(uri, at, true);
  await client.codeActions(uri, { start: at, end: at }, diags);
  const elapsed = Date.now() - started;
  await client.close(uri);
  assert.ok(client.alive, `the server died:\n${client.log}`);
  return elapsed;
}

/** The server still answers: a hover on a good model gives its directory size. */
async function stillAnswers(): Promise<void> {
  const sub = path.join(dir, String(counter++));
  const { file, text } = writeTextModelDir(sub, richModel());
  const uri = fileUri(file);
  await client.open(uri, text);
  const h = await client.hover(uri, { line: 0, character: 0 });
  assert.ok(h, 'a hover after the malformed documents');
  await client.close(uri);
}

test('binary garbage (NULs, control bytes, invalid UTF-8) as a .pbtxt', async () => {
  const text = garbage(64 * 1024, 0x2545f491);
  await survive(text, positionOf(text, 30_000));
  await stillAnswers();
});

test('a 1 MB line: a valid string value, and a 1 MB identifier', async () => {
  const value = `saved_model_schema_version: 1\nmeta_graphs { meta_info_def { tags: "${'a'.repeat(1 << 20)}" } }\n`;
  await survive(value, { line: 1, character: 500_000 });
  const ident = `saved_model_schema_version: 1\n${'x'.repeat(1 << 20)}\n`;
  await survive(ident, { line: 1, character: 500_000 });
  await stillAnswers();
});

test('unbalanced braces: unclosed messages, stray closers, a long run of braces', async () => {
  const { text: good } = writeTextModelDir(path.join(dir, 'src'), richModel());
  const unclosed = good.slice(0, Math.floor(good.length / 2));
  await survive(unclosed, positionOf(unclosed, unclosed.length));
  const strays = good.replace(/\n(\s+)node \{/g, '\n$1}}} node {');
  await survive(strays, positionOf(strays, strays.indexOf('}}}') + 1));
  const run = `meta_graphs ${'{'.repeat(20_000)}${'}'.repeat(10_000)}`;
  await survive(run, { line: 0, character: 15_000 });
  await stillAnswers();
});

test('nesting far deeper than the parser allows', async () => {
  const depth = 2000;
  const open = 'attr { key: "k" value { func { name: "f" '.repeat(depth);
  const text = `meta_graphs { graph_def { node { name: "n" op: "Op" ${open}${'} } } '.repeat(depth)}} } }\n`;
  const elapsed = await survive(text, positionOf(text, text.length >> 1));
  assert.ok(elapsed < 20_000, `requests took ${elapsed} ms`);
  await stillAnswers();
});
