// Decoded views without the round trip (lsp/decodedViews.ts), over the real protocol: the server
// publishes a binary model's diagnostics once it has answered decodedText, before the view is
// open; opening the view with that text takes the analysis made from the print (no parse, seen
// through analysisInfo); every feature answers on it as on the same text parsed; another text is
// parsed as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic, Position } from 'vscode-languageserver-protocol/node';
import { useServer, LspClient, positionAtText } from './lspClient';
import { decodedUri, fileUri, richModel, writeBinaryModelDir } from './models';
import { analysisInfoRequest, AnalysisInfo, decodedTextRequest, FULL_VIEW_QUERY } from '../../../server/src/protocol';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { attrType, nodeDef } from '../../../server/src/core/savedmodel/modelBuilder';
import { URI } from 'vscode-uri';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

const server = useServer();

async function decoded(client: LspClient, pb: string): Promise<string> {
  const r = await client.connection.sendRequest(decodedTextRequest, { uri: fileUri(pb) });
  if ('error' in r) throw new Error(r.error);
  return r.text;
}

function info(client: LspClient, uri: string): Promise<AnalysisInfo> {
  return client.connection.sendRequest(analysisInfoRequest, { uri });
}

/** Waits for the first publication for uri, whatever its version (the early one has none). */
async function firstPublication(client: LspClient, uri: string): Promise<{ version?: number; diagnostics: Diagnostic[] }> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const first = client.published.get(uri)?.[0];
    if (first) return first;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing published for ${uri}; server log:\n${client.log}`);
}

/** What a diagnostic says, without the links to files (which name each model's own folder). */
const gist = (d: Diagnostic): unknown => ({ range: d.range, code: d.code, severity: d.severity, message: d.message });

test('decodedText publishes the model\'s diagnostics before the view is opened', async () => {
  const pb = writeBinaryModelDir(server.tempDir('early'), richModel({ tags: ['train'], inputDims: [8, 3] }));
  const uri = decodedUri(pb);
  const text = await decoded(server.client, pb);
  const early = await firstPublication(server.client, uri);
  assert.equal(early.version, undefined, 'published before any version of the view exists');
  assert.ok(early.diagnostics.some((d) => d.code === 'serve-tag-missing'), JSON.stringify(early.diagnostics.map((d) => d.code)));
  await server.client.open(uri, text);
  const opened = await server.client.diagnostics(uri, 1);
  assert.deepEqual(opened.map(gist), early.diagnostics.map(gist), 'the open publishes the same diagnostics, versioned');
  await server.client.close(uri);
});

test('opening the decoded view with the text the server printed parses nothing; another text is parsed', async () => {
  const pb = writeBinaryModelDir(server.tempDir('noparse'), richModel({ inputDims: [8, 3] }));
  const uri = decodedUri(pb);
  const text = await decoded(server.client, pb);
  const before = (await info(server.client, uri)).textParses;
  await server.client.open(uri, text);
  await server.client.diagnostics(uri, 1);
  const opened = await info(server.client, uri);
  assert.deepEqual(opened.document, { version: 1, treeSource: 'printed' });
  assert.equal(opened.textParses, before, 'no text was parsed for the open');
  // The same view changed to another text (one comment more) is parsed as any text is.
  await server.client.change(uri, `# edited\n${text}`, 2);
  await server.client.diagnostics(uri, 2);
  const changed = await info(server.client, uri);
  assert.deepEqual(changed.document, { version: 2, treeSource: 'parsed' });
  assert.equal(changed.textParses, before + 1);
  await server.client.close(uri);
});

test('a view opened with a text other than the one printed for it is parsed', async () => {
  const pb = writeBinaryModelDir(server.tempDir('other'), richModel());
  const uri = decodedUri(pb);
  const text = await decoded(server.client, pb);
  const before = (await info(server.client, uri)).textParses;
  await server.client.open(uri, text.replace('"serve"', '"serv3"'));
  await server.client.diagnostics(uri, 1);
  const opened = await info(server.client, uri);
  assert.deepEqual(opened.document, { version: 1, treeSource: 'parsed' });
  assert.equal(opened.textParses, before + 1);
  await server.client.close(uri);
});

/** Positions on every line's first non-blank character plus a few columns, and the first line. */
function probes(text: string): Position[] {
  const out: Position[] = [];
  text.split('\n').forEach((line, n) => {
    const indent = line.length - line.trimStart().length;
    if (line.trim()) out.push({ line: n, character: indent + 1 });
  });
  return out;
}

async function features(client: LspClient, uri: string, text: string): Promise<unknown> {
  const hovers = [];
  for (const p of probes(text)) hovers.push(await client.hover(uri, p));
  const at = positionAtText(text, 'input: "', 8);
  return {
    diagnostics: (await client.diagnostics(uri, 1)).map(gist),
    symbols: await client.documentSymbols(uri),
    folding: await client.foldingRanges(uri),
    hovers,
    definition: (await client.definition(uri, at)).map((l) => l.range),
    references: (await client.references(uri, at, true)).map((l) => l.range),
  };
}

test('every feature answers on the printed tree as on the same text parsed (a corpus model and a built one)', async () => {
  const pbs = [writeBinaryModelDir(server.tempDir('features'), richModel({ tags: ['serve'], inputDims: [8, 3] }))];
  const corpusModel = path.join(CORPUS_DIR, 'serving-half_plus_two_tf2_cpu', 'saved_model.pb');
  if (!corpusMissing() && fs.existsSync(corpusModel)) pbs.push(corpusModel);
  else console.log(`corpus model skipped: ${corpusModel} is missing`);
  for (const pb of pbs) {
    const uri = decodedUri(pb);
    const text = await decoded(server.client, pb);
    await server.client.open(uri, text);
    const printed = await features(server.client, uri, text);
    assert.equal((await info(server.client, uri)).document?.treeSource, 'printed', pb);
    await server.client.close(uri);
    // A second server, which never printed this text, parses it.
    const other = await LspClient.start();
    try {
      await other.open(uri, text);
      const parsed = await features(other, uri, text);
      assert.equal((await info(other, uri)).document?.treeSource, 'parsed');
      assert.deepEqual(printed, parsed, pb);
    } finally {
      await other.stop();
    }
  }
});

test('the view elides node lists over elideNodesOver, saying so; the full view shows them all, from its print too', async () => {
  const spec = richModel();
  const graph = (spec.model.meta_graphs as Array<{ graph_def: { node: unknown[] } }>)[0].graph_def;
  for (let i = 0; i < 30; i++) graph.node.push(nodeDef(`extra_${i}`, 'Identity', ['x'], { T: attrType('DT_FLOAT') }));
  const pb = writeBinaryModelDir(server.tempDir('elided'), spec);
  const all = graph.node.length;
  const client = await LspClient.start({ elideNodesOver: 10 });
  try {
    const view = await decoded(client, pb);
    assert.match(view, new RegExp(`^ +# node: ${all - 10} more of ${all} elided$`, 'm'));
    const full = URI.parse(decodedUri(pb)).with({ query: FULL_VIEW_QUERY }).toString();
    const r = await client.connection.sendRequest(decodedTextRequest, { uri: fileUri(pb), view: full });
    assert.ok(!('error' in r));
    assert.equal(r.text, printText(fs.readFileSync(pb), 'tensorflow.SavedModel', { elideBytesOver: 4096 }));
    await client.open(full, r.text);
    await client.diagnostics(full, 1);
    assert.equal((await info(client, full)).document?.treeSource, 'printed');
    // The last node is in the full view only; hovering it tells its op.
    const hover = await client.hover(full, positionAtText(r.text, `name: "extra_29"`, 7));
    assert.match(JSON.stringify(hover), /Identity/);
  } finally {
    await client.stop();
  }
});
