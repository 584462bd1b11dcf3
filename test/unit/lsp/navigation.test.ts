// Go to definition and find references over the real protocol: tensor names (`x:0`, `x`, `^x`) to
// their node, function-internal names (`neg:y:0`, input args) inside their FunctionDef, calls
// (func attrs, op names) to the FunctionDef; on a .pbtxt, a decoded .pb and corpus models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Location } from 'vscode-languageserver-protocol/node';
import { useServer, positionAtText, textOf } from './lspClient';
import { decodedUri, fileUri, F_NAME, richModel, writeBinaryModelDir, writeTextModelDir } from './models';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { loadModel } from '../../../server/src/core/savedmodel/loadModel';
import { nodeNameOf } from '../../../server/src/core/savedmodel/savedModel';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

const server = useServer();

interface View {
  uri: string;
  text: string;
}

async function openViews(): Promise<View[]> {
  const textDir = server.tempDir('nav-text');
  const binDir = server.tempDir('nav-bin');
  const t = writeTextModelDir(textDir, richModel());
  const pb = writeBinaryModelDir(binDir, richModel());
  const views = [{ uri: fileUri(t.file), text: t.text }, { uri: decodedUri(pb), text: printText(fs.readFileSync(pb)) }];
  for (const v of views) await server.client.open(v.uri, v.text);
  return views;
}

/** Where `"<name>"` is written after `<field>: ` (the nth time): the range a location must cover. */
function at(v: View, written: string, nth = 0): { line: number; character: number } {
  return positionAtText(v.text, written, written.indexOf('"'), nth);
}

function describe(v: View, locs: Location[]): string[] {
  return locs.map((l) => {
    assert.equal(l.uri, v.uri);
    return `${l.range.start.line}:${textOf(v.text, l.range)}`;
  });
}

/** The line and quoted text of the nth `<written>` (e.g. `name: "w"`), as describe() writes a location. */
function site(v: View, written: string, nth = 0): string {
  const p = at(v, written, nth);
  return `${p.line}:${written.slice(written.indexOf('"'))}`;
}

test('definition of a tensor name: signature `x:0`, input `mm:0`, control input `^w` → the node', async () => {
  for (const v of await openViews()) {
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'name: "x:0"'))), [site(v, 'name: "x"')]);
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'input: "mm:0"'))), [site(v, 'name: "mm"')]);
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'input: "^w"'))), [site(v, 'name: "w"')]);
    // The asset's tensor and the signature output go to their nodes too.
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'name: "asset_path:0"'))), [site(v, 'name: "asset_path"')]);
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'name: "call:0"'))), [site(v, 'name: "call"')]);
  }
});

test('definition inside a FunctionDef: `neg:y:0` → its node_def, `a` → the input arg, ret → node', async () => {
  for (const v of await openViews()) {
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'input: "neg:y:0"'))), [site(v, 'name: "neg"')]);
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'input: "a"'))), [site(v, 'name: "a"')]);
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'value: "id:output:0"'))), [site(v, 'name: "id"')]);
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, 'input: "b"'))), [site(v, 'name: "b"')], 'g\'s own arg');
  }
});

test('definition of a function call: func attr and op name → the FunctionDef signature name', async () => {
  for (const v of await openViews()) {
    const fnDecl = site(v, `name: "${F_NAME}"`, 1);
    assert.match(fnDecl, new RegExp(F_NAME));
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, `name: "${F_NAME}"`, 0))), [fnDecl], 'func { name } in an attr');
    assert.deepEqual(describe(v, await server.client.definition(v.uri, at(v, `op: "${F_NAME}"`))), [fnDecl], 'op name of a node in g');
    // An ordinary op is no call.
    assert.deepEqual(await server.client.definition(v.uri, at(v, 'op: "MatMul"')), []);
  }
});

test('references of a node: every input and TensorInfo naming it; with or without the declaration', async () => {
  for (const v of await openViews()) {
    const onDecl = at(v, 'name: "w"');
    assert.deepEqual(describe(v, await server.client.references(v.uri, onDecl, false)), [site(v, 'input: "w"'), site(v, 'input: "^w"')]);
    assert.deepEqual(describe(v, await server.client.references(v.uri, onDecl, true)), [site(v, 'name: "w"'), site(v, 'input: "w"'), site(v, 'input: "^w"')]);
    // From a use, the same set; from elsewhere inside the node (its op), the node's.
    assert.deepEqual(describe(v, await server.client.references(v.uri, at(v, 'input: "^w"'), true)), [site(v, 'name: "w"'), site(v, 'input: "w"'), site(v, 'input: "^w"')]);
    const xRefs = [site(v, 'name: "x"'), site(v, 'input: "x"'), site(v, 'name: "x:0"')];
    assert.deepEqual(describe(v, await server.client.references(v.uri, positionAtText(v.text, 'op: "Placeholder"', 2), true)), xRefs);
  }
});

test('references of a function: every call and the declaration', async () => {
  for (const v of await openViews()) {
    const refs = describe(v, await server.client.references(v.uri, at(v, `name: "${F_NAME}"`, 1), true));
    assert.deepEqual(refs, [site(v, `name: "${F_NAME}"`, 0), site(v, `name: "${F_NAME}"`, 1), site(v, `op: "${F_NAME}"`)]);
    // Inside the function but off any name: still the function.
    const inside = positionAtText(v.text, 'output_arg {', 2);
    assert.deepEqual(describe(v, await server.client.references(v.uri, inside, false)), [site(v, `name: "${F_NAME}"`, 0), site(v, `op: "${F_NAME}"`)]);
  }
});

test('corpus .pbtxt: every signature tensor name leads to its node', { skip: corpusMissing() }, async () => {
  const file = path.join(CORPUS_DIR, 'tf-half_plus_two_pbtxt', 'saved_model.pbtxt');
  const text = fs.readFileSync(file, 'utf8');
  const uri = fileUri(file);
  await server.client.open(uri, text);
  const loaded = loadModel(file);
  assert.ok(loaded.ok, 'loads');
  const names = loaded.model.doc.metaGraphs[0].signatures.flatMap((s) => [...s.inputs, ...s.outputs]).map((t) => t.name ?? '');
  assert.ok(names.length >= 10, `${names.length} names`);
  for (const name of names) {
    const locs = await server.client.definition(uri, positionAtText(text, `name: "${name}"`, 8));
    assert.equal(locs.length, 1, name);
    assert.equal(textOf(text, locs[0].range), `"${nodeNameOf(name)}"`);
    // The definition is a node's name: the line before it opens the node.
    assert.equal(text.split(/\r?\n/)[locs[0].range.start.line - 1].trim(), 'node {', name);
    const refs = await server.client.references(uri, locs[0].range.start, false);
    assert.ok(refs.some((r) => r.range.start.line === positionAtText(text, `name: "${name}"`, 8).line), `references of ${name} include the signature`);
  }
  await server.client.close(uri);
});

test('corpus TF2 decoded view: StatefulPartitionedCall\'s function attr leads to its FunctionDef', { skip: corpusMissing() }, async () => {
  const file = path.join(CORPUS_DIR, 'tfjs-times_three_float', 'saved_model.pb');
  const text = printText(fs.readFileSync(file));
  const uri = decodedUri(file);
  await server.client.open(uri, text);
  const loaded = loadModel(file);
  assert.ok(loaded.ok);
  const functions = [...loaded.model.doc.metaGraphs[0].functions.keys()];
  const called = /func \{\n\s+name: "([^"]+)"/.exec(text);
  assert.ok(called, 'the decoded text has a func attr');
  assert.ok(functions.includes(called[1]));
  const locs = await server.client.definition(uri, positionAtText(text, `name: "${called[1]}"`, 8));
  assert.equal(locs.length, 1);
  const declLine = text.split('\n')[locs[0].range.start.line];
  assert.match(declLine, new RegExp(`^\\s+name: "${called[1]}"$`));
  assert.match(text.split('\n')[locs[0].range.start.line - 1], /signature \{$/, 'the name is a FunctionDef signature\'s');
  const refs = await server.client.references(uri, locs[0].range.start, false);
  assert.ok(refs.length >= 1);
  await server.client.close(uri);
});
