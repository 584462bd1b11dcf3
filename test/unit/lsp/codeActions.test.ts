// Quick fixes over the real protocol: for each fixable rule, the server offers one action for the
// diagnostic it published; applying its edit to the text and sending the change makes the
// diagnostic go away without any parse error. No fix where it would be a guess, none on a
// read-only decoded view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CodeActionKind, Diagnostic, DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { useServer, applyEdits } from './lspClient';
import { decodedUri, fileUri, ModelOptions, richModel, writeBinaryModelDir, writeTextModelDir } from './models';
import { DirectorySpec, metaGraph, placeholder, savedModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { parseText } from '../../../server/src/core/textformat/textParser';
import { convWithAdam } from '../shrink/fixtures';
import { COMMANDS } from '../../../client/src/commandIds';

const server = useServer();

interface Opened {
  uri: string;
  text: string;
  diags: Diagnostic[];
}

async function openText(spec: DirectorySpec, edit: (t: string) => string = (t) => t): Promise<Opened> {
  const dir = server.tempDir('fix');
  const { file, text: printed } = writeTextModelDir(dir, spec);
  const text = edit(printed);
  const uri = fileUri(file);
  await server.client.open(uri, text);
  return { uri, text, diags: await server.client.diagnostics(uri, 1) };
}

/** Ask for the fixes of the one diagnostic of `code`, apply the only one, and return the new text and diagnostics. */
async function fix(o: Opened, code: string): Promise<{ text: string; diags: Diagnostic[]; title: string }> {
  const d = o.diags.filter((x) => x.code === code);
  assert.equal(d.length, 1, `one ${code} in ${JSON.stringify(o.diags.map((x) => x.code))}`);
  const actions = await server.client.codeActions(o.uri, d[0].range, d);
  assert.equal(actions.length, 1, JSON.stringify(actions));
  const action = actions[0];
  assert.equal(action.kind, CodeActionKind.QuickFix);
  assert.deepEqual(action.diagnostics, d);
  const edits = action.edit?.changes?.[o.uri];
  assert.ok(edits?.length, 'edits on the document');
  const text = applyEdits(o.text, edits);
  await server.client.change(o.uri, text, 2);
  const diags = await server.client.diagnostics(o.uri, 2);
  assert.deepEqual(parseText(Buffer.from(text)).errors, [], 'the fixed text parses');
  assert.deepEqual(diags.filter((x) => x.code === code), [], `${code} is gone`);
  await server.client.close(o.uri);
  return { text, diags, title: action.title };
}

const model = (o: ModelOptions): DirectorySpec => richModel(o);

test('serve-tag-missing: adds tags: "serve" next to the existing tag', async () => {
  const o = await openText(model({ tags: ['train'] }));
  const r = await fix(o, 'serve-tag-missing');
  assert.match(r.text, /meta_info_def \{\n    tags: "train"\n    tags: "serve"\n    tensorflow_version/);
});

test('serve-tag-missing without a meta_info_def: adds one holding the tag', async () => {
  const o = await openText(model({ tags: ['train'] }), (t) => t.replace(/ {2}meta_info_def \{\n[^}]*\n {2}\}\n/, ''));
  assert.ok(!o.text.includes('meta_info_def'));
  const r = await fix(o, 'serve-tag-missing');
  assert.match(r.text, /^saved_model_schema_version: 1\nmeta_graphs \{\n {2}meta_info_def \{\n {4}tags: "serve"\n {2}\}\n {2}graph_def \{/);
});

test('serve-tag-missing with two meta graphs: which one to serve is no certain fix', async () => {
  const mg = (tag: string): ReturnType<typeof metaGraph> => metaGraph({ tags: [tag], nodes: [placeholder('x', 'DT_FLOAT', [-1])], signatures: {} });
  const o = await openText({ model: savedModel([mg('train'), mg('eval')]) });
  const d = o.diags.filter((x) => x.code === 'serve-tag-missing');
  assert.equal(d.length, 1);
  assert.deepEqual(await server.client.codeActions(o.uri, d[0].range, d), []);
  await server.client.close(o.uri);
});

test('invalid-method-name: "predict" becomes tensorflow/serving/predict, "classification" …/classify', async () => {
  const r = await fix(await openText(model({ method: 'predict' })), 'invalid-method-name');
  assert.match(r.text, /method_name: "tensorflow\/serving\/predict"/);
  const c = await fix(await openText(model({ method: 'classification' })), 'invalid-method-name');
  assert.match(c.text, /method_name: "tensorflow\/serving\/classify"/);
});

test('predict-signature-missing: serving_default gets the PREDICT method', async () => {
  const r = await fix(await openText(model({ method: 'tensorflow/serving/regress' })), 'predict-signature-missing');
  assert.match(r.text, /method_name: "tensorflow\/serving\/predict"/);
  assert.match(r.title, /serving_default/);
});

test('predict-signature-missing with no method_name written: the field is added', async () => {
  const o = await openText(model({}), (t) => t.replace(/\n\s+method_name: "tensorflow\/serving\/predict"/, ''));
  assert.ok(!o.text.includes('method_name'));
  const r = await fix(o, 'predict-signature-missing');
  assert.match(r.text, /\n {6}\}\n {6}method_name: "tensorflow\/serving\/predict"\n {4}\}\n {2}\}\n {2}asset_file_def/);
});

test('batch-dimension-fixed: the first dim becomes -1; a rank-0 tensor gets no fix', async () => {
  const r = await fix(await openText(model({ inputDims: [8, 3] })), 'batch-dimension-fixed');
  assert.match(r.text, /key: "x"\n\s+value \{\n\s+name: "x:0"\n\s+dtype: DT_FLOAT\n\s+tensor_shape \{\n\s+dim \{\n\s+size: -1\n\s+\}\n\s+dim \{\n\s+size: 3\n/);
  const scalar = await openText(model({ outputDims: [] }));
  const d = scalar.diags.filter((x) => x.code === 'batch-dimension-fixed');
  assert.equal(d.length, 1, JSON.stringify(scalar.diags.map((x) => x.code)));
  assert.deepEqual(await server.client.codeActions(scalar.uri, d[0].range, d), []);
  await server.client.close(scalar.uri);
});

test('batch-dimension-fixed with a dim of size 0 (no size written): size: -1 is added', async () => {
  const r = await fix(await openText(model({}), (t) => t.replace(/(key: "x"\n\s+value \{\n\s+name: "x:0"\n\s+dtype: DT_FLOAT\n\s+tensor_shape \{\n\s+dim \{\n)\s+size: -1\n/, '$1')), 'batch-dimension-fixed');
  assert.match(r.text, /tensor_shape \{\n\s+dim \{\n\s+size: -1\n\s+\}\n\s+dim \{\n\s+size: 3/);
});

test('a decoded binary model is read-only: its findings get no fixes', async () => {
  const dir = server.tempDir('fix-bin');
  const pb = writeBinaryModelDir(dir, richModel({ tags: ['train'], inputDims: [8, 3], method: 'predict' }));
  const uri = decodedUri(pb);
  await server.client.open(uri, printText(fs.readFileSync(pb)));
  const diags = await server.client.diagnostics(uri, 1);
  for (const code of ['serve-tag-missing', 'batch-dimension-fixed', 'invalid-method-name']) {
    const d = diags.filter((x) => x.code === code);
    assert.equal(d.length, 1, code);
    assert.deepEqual(await server.client.codeActions(uri, d[0].range, d), [], code);
  }
  await server.client.close(uri);
});

test('unused-weights offers Export Smaller Serving Copy as a quick fix, on a read-only decoded view too', async () => {
  const dir = server.tempDir('fix-shrink');
  const pb = writeBinaryModelDir(dir, convWithAdam());
  const uri = decodedUri(pb);
  await server.client.open(uri, printText(fs.readFileSync(pb)));
  const d = (await server.client.diagnostics(uri, 1)).filter((x) => x.code === 'unused-weights');
  assert.equal(d.length, 1);
  const actions = await server.client.codeActions(uri, d[0].range, d);
  assert.equal(actions.length, 1, JSON.stringify(actions));
  assert.equal(actions[0].kind, CodeActionKind.QuickFix);
  assert.deepEqual(actions[0].command, { title: 'Export Smaller Serving Copy…', command: COMMANDS.exportSmaller, arguments: [fileUri(pb)] });
  await server.client.close(uri);
});

test('model-size-limit offers it too (a 1 kB limit set in the settings)', async () => {
  const change = (maxSizeBytes: number | null): Promise<void> =>
    server.client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { savedmodelLens: { maxSizeBytes } } });
  await change(1000);
  try {
    const o = await openText(convWithAdam());
    const d = o.diags.filter((x) => x.code === 'model-size-limit');
    assert.equal(d.length, 1, JSON.stringify(o.diags.map((x) => x.code)));
    const actions = await server.client.codeActions(o.uri, d[0].range, d);
    assert.deepEqual(actions.map((a) => a.command?.command), [COMMANDS.exportSmaller]);
    await server.client.close(o.uri);
  } finally {
    await change(null);
  }
});
