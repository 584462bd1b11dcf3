// Completion over the real protocol: the field names of the message around the cursor (from the
// schema), enum values after `dtype:`, true/false for bools; inside broken and unclosed text too;
// nothing inside strings and comments or in a read-only decoded view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CompletionItem, InsertTextFormat, TextEdit } from 'vscode-languageserver-protocol/node';
import { useServer, positionAtText, positionOf, textOf } from './lspClient';
import { decodedUri, fileUri, richModel, writeBinaryModelDir, writeTextModelDir } from './models';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { dataTypeEnum } from '../../../server/src/core/dtype';
import { printText } from '../../../server/src/core/textprint/textPrinter';

const server = useServer();

/** Open `text` (a fresh URI each time) and complete where `|` is (the `|` is removed). */
async function completeAt(marked: string): Promise<{ items: CompletionItem[]; text: string }> {
  const dir = server.tempDir('complete');
  const { file } = writeTextModelDir(dir, richModel());
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0);
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const uri = fileUri(file);
  await server.client.open(uri, text);
  const items = await server.client.completion(uri, positionOf(text, offset));
  await server.client.close(uri);
  return { items, text };
}

function fieldNames(type: string): string[] {
  return loadSchema().message(type).fields.map((f) => f.name);
}

const printed = (): string => writeTextModelDir(tempDirFor(), richModel()).text;

function tempDirFor(): string {
  return server.tempDir('printed');
}

test('on a blank line inside a TensorInfo: the TensorInfo fields, scalars as `name: `, messages as snippets', async () => {
  const base = printed();
  const at = base.indexOf('name: "x:0"');
  const { items } = await completeAt(`${base.slice(0, at)}|\n          ${base.slice(at)}`);
  assert.deepEqual(items.map((i) => i.label).sort(), fieldNames('tensorflow.TensorInfo').sort());
  const byLabel = new Map(items.map((i) => [i.label, i]));
  assert.equal((byLabel.get('dtype')?.textEdit as TextEdit).newText, 'dtype: ');
  assert.equal((byLabel.get('tensor_shape')?.textEdit as TextEdit).newText, 'tensor_shape {\n\t$0\n}');
  assert.equal(byLabel.get('tensor_shape')?.insertTextFormat, InsertTextFormat.Snippet);
  assert.match(byLabel.get('tensor_shape')?.detail ?? '', /tensorflow\.TensorShapeProto/);
});

test('a partly typed field name is replaced by the item', async () => {
  const base = printed();
  const at = base.indexOf('method_name:');
  const { items, text } = await completeAt(`${base.slice(0, at)}meth|\n      ${base.slice(at)}`);
  assert.deepEqual(items.map((i) => i.label).sort(), fieldNames('tensorflow.SignatureDef').sort());
  const edit = items.find((i) => i.label === 'method_name')?.textEdit as TextEdit;
  assert.equal(textOf(text, edit.range), 'meth');
});

test('a map field completes to an entry snippet with key and value', async () => {
  const base = printed();
  const at = base.indexOf('method_name:');
  const { items } = await completeAt(`${base.slice(0, at)}|\n      ${base.slice(at)}`);
  assert.equal((items.find((i) => i.label === 'inputs')?.textEdit as TextEdit).newText, 'inputs {\n\tkey: "$1"\n\tvalue {\n\t\t$0\n\t}\n}');
});

test('after `dtype: DT_`: every DataType name, replacing what is typed', async () => {
  const base = printed();
  const at = base.indexOf('dtype: DT_FLOAT\n          tensor_shape');
  const marked = `${base.slice(0, at)}dtype: DT_|${base.slice(at + 'dtype: DT_FLOAT'.length)}`;
  const { items, text } = await completeAt(marked);
  assert.deepEqual(items.map((i) => i.label).sort(), [...dataTypeEnum().valueOf.keys()].sort());
  const edit = items[0].textEdit as TextEdit;
  assert.equal(textOf(text, edit.range), 'DT_');
});

test('after `unknown_rank:` in a shape: true and false', async () => {
  const base = printed();
  const at = base.indexOf('dim {');
  const { items } = await completeAt(`${base.slice(0, at)}unknown_rank: |\n${base.slice(at)}`);
  assert.deepEqual(items.map((i) => i.label), ['true', 'false']);
});

test('at the top level: the SavedModel fields; in an unclosed message at the end: its fields', async () => {
  const top = await completeAt('saved_model_schema_version: 1\n|');
  assert.deepEqual(top.items.map((i) => i.label).sort(), fieldNames('tensorflow.SavedModel').sort());
  const open = await completeAt('meta_graphs {\n  meta_info_def {\n    tags: "serve"\n    |');
  assert.deepEqual(open.items.map((i) => i.label).sort(), fieldNames('tensorflow.MetaGraphDef.MetaInfoDef').sort());
});

test('inside a string or a comment: nothing', async () => {
  const base = printed();
  const inString = await completeAt(base.replace('name: "x:0"', 'name: "x|:0"'));
  assert.deepEqual(inString.items, []);
  const inComment = await completeAt(base.replace('method_name:', '# a comment dty|\n      method_name:'));
  assert.deepEqual(inComment.items, []);
});

test('the decoded view of a binary model is read-only: no completion', async () => {
  const dir = tempDirFor();
  const pb = writeBinaryModelDir(dir, richModel());
  const text = printText(fs.readFileSync(pb));
  const uri = decodedUri(pb);
  await server.client.open(uri, text);
  assert.deepEqual(await server.client.completion(uri, positionAtText(text, 'dtype: DT_FLOAT', 9)), []);
  await server.client.close(uri);
});
