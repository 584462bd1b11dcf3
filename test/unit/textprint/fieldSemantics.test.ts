// Field order, presence, repetition, merging, oneofs, packing and enums, each checked against protoc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLikeProtoc } from './oracle';
import { bytesField, message, sub, varintField } from './build';
import { protocMissing } from '../../helpers/protoc';

const skip = protocMissing();
const SAVER = 'tensorflow.SaverDef'; // 1-3 string, 4 int32 max_to_keep, 5 bool sharded, 6 float hours
const GRAPH = 'tensorflow.GraphDef';
const META = 'tensorflow.MetaGraphDef';

test('fields print in field-number order, whatever the wire order', { skip }, () => {
  const text = assertLikeProtoc(message((w) => {
    w.tag(6, 5); w.float(2);
    varintField(w, 4, 3);
    bytesField(w, 2, 'save');
    bytesField(w, 1, 'file');
  }), SAVER, 'reverse order');
  assert.match(text ?? '', /^filename_tensor_name: "file"\nsave_tensor_name: "save"\nmax_to_keep: 3\n/);
});

test('proto3 defaults on the wire are not printed; -0.0 is not a default', { skip }, () => {
  assert.equal(assertLikeProtoc(message((w) => {
    bytesField(w, 1, ''); varintField(w, 4, 0); varintField(w, 5, 0); w.tag(6, 5); w.float(0);
  }), SAVER, 'all defaults'), '');
  assert.equal(assertLikeProtoc(message((w) => { w.tag(6, 5); w.float(-0); }), SAVER, '-0'), 'keep_checkpoint_every_n_hours: -0\n');
  // int32 keeps the low 32 bits: 2^32 is 0 (not printed), 2^32+5 is 5; bool is any non-zero.
  assertLikeProtoc(message((w) => { w.tag(4, 0); w.varint(2 ** 32); }), SAVER, 'int32 2^32');
  assertLikeProtoc(message((w) => { w.tag(4, 0); w.varint(2 ** 32 + 5); w.tag(5, 0); w.varint(2 ** 40); }), SAVER, 'truncation');
});

test('a singular scalar seen twice: the last value wins, even a default one', { skip }, () => {
  assertLikeProtoc(message((w) => {
    varintField(w, 4, 3); bytesField(w, 1, 'a'); varintField(w, 4, 7); bytesField(w, 1, 'b');
  }), SAVER, 'last wins');
  assertLikeProtoc(message((w) => { varintField(w, 4, 3); varintField(w, 4, 0); }), SAVER, 'default last');
});

test('singular message occurrences merge as the concatenation of their payloads', { skip }, () => {
  const text = assertLikeProtoc(message((w) => {
    sub(w, 1, (w) => { bytesField(w, 5, 'x'); bytesField(w, 1, 'v'); bytesField(w, 4, 't1'); });
    sub(w, 2, (w) => sub(w, 1, (w) => bytesField(w, 1, 'n1')));
    sub(w, 1, (w) => { bytesField(w, 5, ''); bytesField(w, 4, 't2'); });
    sub(w, 2, (w) => sub(w, 1, (w) => bytesField(w, 1, 'n2')));
  }), META, 'merge');
  assert.match(text ?? '', /tags: "t1"\n {2}tags: "t2"/);
  assert.doesNotMatch(text ?? '', /tensorflow_version/, 'the later empty value overwrote "x"');
});

test('oneof: the last member set wins and clears the others; a re-set member starts fresh', { skip }, () => {
  const attr = (body: (w: import('../../../server/src/core/protobuf/byteWriter').ByteWriter) => void): Uint8Array =>
    message((w) => sub(w, 1, (w) => sub(w, 5, (w) => { bytesField(w, 1, 'k'); sub(w, 2, body); })));
  assertLikeProtoc(attr((w) => { varintField(w, 3, 5); bytesField(w, 2, 's'); }), GRAPH, 'i then s');
  assertLikeProtoc(attr((w) => { bytesField(w, 2, 's'); varintField(w, 3, 5); }), GRAPH, 's then i');
  assertLikeProtoc(attr((w) => { varintField(w, 3, 0); }), GRAPH, 'oneof member with default value prints');
  assertLikeProtoc(attr((w) => {
    sub(w, 1, (w) => varintField(w, 3, 1)); sub(w, 1, (w) => varintField(w, 3, 2));
  }), GRAPH, 'oneof message merges');
  assertLikeProtoc(attr((w) => {
    sub(w, 1, (w) => varintField(w, 3, 1)); varintField(w, 3, 9); sub(w, 1, (w) => varintField(w, 3, 2));
  }), GRAPH, 'cleared then set again');
  // A cleared member must still parse: protoc parses it before clearing it.
  assertLikeProtoc(attr((w) => { sub(w, 1, (w) => { w.tag(3, 2); w.lengthDelimited(Uint8Array.of(0x80)); }); varintField(w, 3, 1); }), GRAPH, 'cleared but malformed');
  assertLikeProtoc(attr((w) => { bytesField(w, 9, Uint8Array.of(0xff)); varintField(w, 3, 1); }), GRAPH, 'cleared string with invalid UTF-8');
});

test('repeated scalars accept packed and unpacked encodings, mixed, in wire order', { skip }, () => {
  const list = (body: (w: import('../../../server/src/core/protobuf/byteWriter').ByteWriter) => void): Uint8Array =>
    message((w) => sub(w, 1, (w) => sub(w, 5, (w) => { bytesField(w, 1, 'k'); sub(w, 2, (w) => sub(w, 1, body)); })));
  assertLikeProtoc(list((w) => {
    varintField(w, 3, 1);
    w.tag(3, 2); w.lengthDelimited(Uint8Array.of(2, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    varintField(w, 3, -7);
    w.tag(4, 5); w.float(1.5);
    w.tag(4, 2); w.lengthDelimited(Uint8Array.of(0, 0, 0x80, 0x3f, 0, 0, 0, 0));
    varintField(w, 5, 3);
    w.tag(5, 2); w.lengthDelimited(Uint8Array.of(0, 1, 2));
    w.tag(6, 2); w.lengthDelimited(Uint8Array.of(1, 2, 200, 1, 0x7f));
    varintField(w, 6, 4);
    w.tag(3, 2); w.lengthDelimited(new Uint8Array(0));
  }), GRAPH, 'packed and unpacked');
  assertLikeProtoc(list((w) => { w.tag(3, 2); w.lengthDelimited(Uint8Array.of(2, 0x83)); }), GRAPH, 'packed varint cut short');
  assertLikeProtoc(list((w) => { w.tag(4, 2); w.lengthDelimited(Uint8Array.of(0, 0, 0x80)); }), GRAPH, 'packed float of 3 bytes');
  // A singular scalar sent packed is not accepted as that field: it becomes an unknown field.
  assertLikeProtoc(message((w) => { w.tag(4, 2); w.lengthDelimited(Uint8Array.of(5)); }), SAVER, 'singular packed');
});

test('a known field number with the wrong wire type is printed as an unknown field', { skip }, () => {
  const text = assertLikeProtoc(message((w) => {
    varintField(w, 1, 5); w.tag(4, 5); w.fixed32(7); w.tag(4, 1); w.fixed64(9n); bytesField(w, 6, 'x');
    w.tag(2, 3); varintField(w, 1, 1); w.tag(2, 4); bytesField(w, 2, 'ok');
  }), SAVER, 'wrong wire types');
  assert.match(text ?? '', /^save_tensor_name: "ok"\n1: 5\n/);
});

test('enums print by name; unknown and negative numbers print as numbers', { skip }, () => {
  for (const v of [0, 1, 101, 9999, -5, 2 ** 31 - 1, -(2 ** 31)]) {
    assertLikeProtoc(message((w) => varintField(w, 1, v)), 'tensorflow.TensorProto', `dtype ${v}`);
  }
  assertLikeProtoc(message((w) => { w.tag(1, 0); w.varint(2 ** 32 + 1); }), 'tensorflow.TensorProto', 'enum keeps low 32 bits');
});

test('proto2 optionals (graph_debug_info.proto) print when present, even with default values', { skip }, () => {
  assertLikeProtoc(message((w) => sub(w, 4, (w) => {
    w.tag(1, 1); w.fixed64(3n);
    sub(w, 2, (w) => { varintField(w, 1, 0); bytesField(w, 4, ''); varintField(w, 3, 0); });
  })), 'tensorflow.GraphDebugInfo', 'proto2 presence');
});

test('google.protobuf.Any is printed as a plain message, as protoc does', { skip }, () => {
  const assetFileDef = message((w) => { sub(w, 1, (w) => bytesField(w, 1, 'Const:0')); bytesField(w, 2, 'foo.txt'); });
  const text = assertLikeProtoc(message((w) => sub(w, 4, (w) => {
    bytesField(w, 1, 'assets');
    sub(w, 2, (w) => sub(w, 5, (w) => sub(w, 1, (w) => {
      bytesField(w, 1, 'type.googleapis.com/tensorflow.AssetFileDef'); bytesField(w, 2, assetFileDef);
    })));
  })), META, 'Any');
  assert.match(text ?? '', /type_url: "type\.googleapis\.com\/tensorflow\.AssetFileDef"\n\s+value: "/);
});

test('wrapper messages: every scalar type at its default and extreme values', { skip }, () => {
  const cases: Array<[string, (w: import('../../../server/src/core/protobuf/byteWriter').ByteWriter) => void]> = [
    ['google.protobuf.Int64Value', (w) => varintField(w, 1, -(2n ** 63n))],
    ['google.protobuf.Int64Value', (w) => varintField(w, 1, 2n ** 63n - 1n)],
    ['google.protobuf.Int64Value', (w) => varintField(w, 1, -1)],
    ['google.protobuf.Int64Value', (w) => varintField(w, 1, 2n ** 53n + 1n)],
    ['google.protobuf.UInt64Value', (w) => varintField(w, 1, 2n ** 64n - 1n)],
    ['google.protobuf.UInt64Value', (w) => varintField(w, 1, 2n ** 53n + 1n)],
    ['google.protobuf.Int32Value', (w) => varintField(w, 1, -(2 ** 31))],
    ['google.protobuf.UInt32Value', (w) => varintField(w, 1, 2 ** 32 - 1)],
    ['google.protobuf.BoolValue', (w) => varintField(w, 1, 1)],
    ['google.protobuf.StringValue', (w) => bytesField(w, 1, '')],
    ['google.protobuf.DoubleValue', (w) => { w.tag(1, 1); w.double(-0); }],
    ['google.protobuf.FloatValue', (w) => { w.tag(1, 5); w.fixed32(0x80000000); }],
    ['tensorflow.StructuredValue', (w) => varintField(w, 12, 2n ** 64n - 1n)], // sint64 -2^63
    ['tensorflow.StructuredValue', (w) => varintField(w, 12, 2n ** 64n - 2n)], // sint64 2^63-1
    ['tensorflow.StructuredValue', (w) => varintField(w, 12, 1)],
    ['tensorflow.StructuredValue', (w) => varintField(w, 12, 0)],
    ['tensorflow.BundleEntryProto', (w) => { w.tag(6, 5); w.fixed32(0xffffffff); }],
    ['tensorflow.FingerprintDef', (w) => { varintField(w, 1, 2n ** 64n - 1n); varintField(w, 2, 12345678901234567890n); }],
  ];
  cases.forEach(([type, body], i) => assertLikeProtoc(message(body), type, `${type} case ${i}`));
});
