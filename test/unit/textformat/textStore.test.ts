// The parse tree's compact storage (textStore.ts) seen through its objects (storedTree.ts): value
// ranges found again after comments, list elements, Any expansions, values decoded on demand,
// and the big-message field list made once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseText } from '../../../server/src/core/textformat/textParser';
import { encodeText } from '../../../server/src/core/textformat/textEncoder';
import type { TextMessage, TextScalar, TextValue } from '../../../server/src/core/textformat/textTree';
import { protocEncode, protocMissing } from '../../helpers/protoc';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

function only(msg: TextMessage, name: string): TextValue[] {
  return msg.fields.filter((f) => f.info.name === name).flatMap((f) => f.values);
}

function textOf(bytes: Buffer, v: { start: number; end: number }): string {
  return bytes.subarray(v.start, v.end).toString('utf8');
}

test('a value after comments and line breaks starts at its first token', () => {
  const text = utf8('meta_graphs # one\n  # two\n  : # three\n  {\n meta_info_def { tags # t\n : # c\n "a" # between\n \'b\' }\n}\n');
  const { root, errors } = parseText(text);
  assert.deepEqual(errors, []);
  const mg = only(root, 'meta_graphs')[0] as TextMessage;
  assert.equal(text[mg.start], '{'.charCodeAt(0));
  assert.equal(text[mg.end - 1], '}'.charCodeAt(0));
  const info = only(mg, 'meta_info_def')[0] as TextMessage;
  const tag = only(info, 'tags')[0] as TextScalar;
  assert.equal(textOf(text, tag), '"a" # between\n \'b\'');
  assert.equal(tag.value, 'ab', 'adjacent literals are joined when the value is asked for');
});

test('list elements keep their own ranges; a broken element is left out, the rest kept', () => {
  const text = utf8('meta_graphs { meta_info_def { tags: ["x", 7, "y\\x41", "z"] } }');
  const { root, errors } = parseText(text);
  assert.equal(errors.length, 1, 'the 7 is no string');
  const info = only(only(root, 'meta_graphs')[0] as TextMessage, 'meta_info_def')[0] as TextMessage;
  const occ = info.fields[0];
  assert.equal(text.subarray(occ.nameStart, occ.nameEnd).toString(), 'tags');
  assert.equal(text[occ.end - 1], ']'.charCodeAt(0));
  assert.deepEqual(occ.values.map((v) => (v as TextScalar).value), ['x', 'yA', 'z']);
  assert.deepEqual(occ.values.map((v) => textOf(text, v)), ['"x"', '"y\\x41"', '"z"']);
});

test('values are decoded from the text when asked for, every type', () => {
  const text = utf8([
    'saved_model_schema_version: -0x7fffffffffffffff',
    'meta_graphs { graph_def { node { name: "n" attr { key: "k" value { f: -inf } } attr { key: "b" value { s: "\\000\\377" } } } }',
    '  meta_info_def { stripped_default_attrs: True }',
    '  signature_def { key: "s" value { inputs { key: "x" value { dtype: DT_INT64 } } } } }',
  ].join('\n'));
  const { root, errors } = parseText(text);
  assert.deepEqual(errors, []);
  assert.equal((only(root, 'saved_model_schema_version')[0] as TextScalar).value, -0x7fffffffffffffffn);
  const mg = only(root, 'meta_graphs')[0] as TextMessage;
  const node = only(only(mg, 'graph_def')[0] as TextMessage, 'node')[0] as TextMessage;
  const attrs = only(node, 'attr') as TextMessage[];
  const valueOf = (entry: TextMessage, field: string): unknown => (only(only(entry, 'value')[0] as TextMessage, field)[0] as TextScalar).value;
  assert.equal(valueOf(attrs[0], 'f'), -Infinity);
  assert.deepEqual(valueOf(attrs[1], 's'), new Uint8Array([0, 255]));
  assert.equal((only(only(mg, 'meta_info_def')[0] as TextMessage, 'stripped_default_attrs')[0] as TextScalar).value, true);
  const sig = only(mg, 'signature_def')[0] as TextMessage;
  const input = only(only(only(sig, 'value')[0] as TextMessage, 'inputs')[0] as TextMessage, 'value')[0] as TextMessage;
  assert.equal((only(input, 'dtype')[0] as TextScalar).value, 9);
});

test('an expanded Any is found in its message, apart from its fields', () => {
  const text = utf8([
    'meta_graphs { collection_def { key: "c" value { any_list { value { value: "" [type.googleapis.com/tensorflow.TensorShapeProto] { dim { size: 3 } } } } } } }',
  ].join('\n'));
  const { root, errors } = parseText(text);
  assert.deepEqual(errors, []);
  const mg = only(root, 'meta_graphs')[0] as TextMessage;
  const entry = only(mg, 'collection_def')[0] as TextMessage;
  const list = only(only(entry, 'value')[0] as TextMessage, 'any_list')[0] as TextMessage;
  const any = only(list, 'value')[0] as TextMessage;
  assert.equal(any.fields.length, 1, 'the expansion is not a field');
  assert.ok(any.any);
  assert.equal(any.any.url, 'type.googleapis.com/tensorflow.TensorShapeProto');
  assert.equal(textOf(text, any.any), '[type.googleapis.com/tensorflow.TensorShapeProto]');
  assert.equal(textOf(text, any.any.message), '{ dim { size: 3 } }');
  assert.equal(any.any.message.fields[0].info.name, 'dim');
});

test('a message with thousands of fields: all of them, in order, and the same list each time', () => {
  // 25,000 nodes are 75,000 records: the store grows its first block, then adds a second.
  const nodes = Array.from({ length: 25000 }, (_, i) => `node { name: "n${i}" op: "NoOp" }`).join('\n');
  const text = utf8(`meta_graphs { graph_def { ${nodes} } }`);
  const { root, errors } = parseText(text);
  assert.deepEqual(errors, []);
  const graph = only(only(root, 'meta_graphs')[0] as TextMessage, 'graph_def')[0] as TextMessage;
  const fields = graph.fields;
  assert.equal(fields.length, 25000);
  assert.equal(graph.fields, fields, 'kept, not rebuilt for every hover');
  for (const i of [0, 1000, 21845, 21846, 24999]) {
    const node = fields[i].values[0] as TextMessage;
    assert.equal((only(node, 'name')[0] as TextScalar).value, `n${i}`);
    assert.equal(textOf(text, node), `{ name: "n${i}" op: "NoOp" }`);
  }
});

test('the encoder reads the stored values: same bytes as protoc', (t) => {
  const missing = protocMissing();
  if (missing) return t.skip(missing);
  const text = utf8('meta_graphs { meta_info_def { tags: ["serve", "gpu"] any_info # c\n { type_url: "u" value: "\\001\\002" } } graph_def { node { name: "a" attr { key: "v" value { list { i: [1, -2, 3] f: [0.5, nan] } } } } } }');
  const { root, errors } = parseText(text);
  assert.deepEqual(errors, []);
  const oracle = protocEncode(text);
  assert.ok(oracle.ok, oracle.stderr);
  assert.deepEqual(Buffer.from(encodeText(root)), oracle.stdout);
});

test('Any expansions: accepted and refused as protoc does, and encoded to its bytes', (t) => {
  const missing = protocMissing();
  if (missing) return t.skip(missing);
  const bodies = [
    '[type.googleapis.com/tensorflow.TensorShapeProto] { dim { size: 3 } }',
    'value: "" [type.googleapis.com/tensorflow.TensorShapeProto] { dim { size: 3 } }',
    '[type.googleapis.com/tensorflow.TensorShapeProto] { }',
    '[type.googleapis.com/tensorflow.TensorShapeProto] { } value: "\\001"',
    'type_url: "x" [type.googleapis.com/tensorflow.TensorShapeProto] { dim { size: 1 } }',
    '[type.googleapis.com/tensorflow.TensorShapeProto] { dim { size: 1 } } [type.googleapis.com/tensorflow.AssetFileDef] { filename: "a" }',
    '[type.googleapis.com/tensorflow.AssetFileDef] { filename: "v.txt" tensor_info { name: "c:0" dtype: DT_STRING } } type_url: "later"',
    '[type.googleapis.com/tensorflow.NodeDef] < name: "n" attr { key: "k" value { i: 3 } } >',
  ];
  let accepted = 0;
  for (const body of bodies) {
    const text = utf8(`meta_graphs { collection_def { key: "c" value { any_list { value { ${body} } value { type_url: "t" value: "b" } } } } }`);
    const { root, errors } = parseText(text);
    const oracle = protocEncode(text);
    assert.equal(errors.length === 0, oracle.ok, `${body}: ours ${JSON.stringify(errors)}, protoc ${oracle.stderr}`);
    if (oracle.ok) {
      accepted++;
      assert.deepEqual(Buffer.from(encodeText(root)), oracle.stdout, body);
    }
  }
  assert.ok(accepted >= 4, 'most of these are valid text');
});
