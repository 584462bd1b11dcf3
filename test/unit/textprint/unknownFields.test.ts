// Unknown fields: each wire type's format, length-delimited values printed as messages when they
// parse as a field set within TextFormat's 10-level budget, groups; all checked against protoc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { assertLikeProtoc } from './oracle';
import { bytesField, message, raw, sub, varintField } from './build';
import { protocMissing } from '../../helpers/protoc';

const skip = protocMissing();
const SAVER = 'tensorflow.SaverDef';

test('each wire type prints in its format, after the known fields, in wire order', { skip }, () => {
  const text = assertLikeProtoc(message((w) => {
    varintField(w, 100, 5); varintField(w, 4, 3); w.tag(101, 5); w.fixed32(0xdeadbeef);
    w.tag(102, 1); w.fixed64(0x0123456789abcdefn); bytesField(w, 103, 'hello'); bytesField(w, 104, '');
    bytesField(w, 105, raw(8, 1)); w.tag(106, 3); varintField(w, 1, 9); w.tag(106, 4); varintField(w, 99, -1);
    w.tag(107, 5); w.fixed32(0); w.tag(2 ** 29 - 1, 0); w.varint(1);
  }), SAVER, 'all wire types');
  assert.match(text ?? '', /^max_to_keep: 3\n100: 5\n101: 0xdeadbeef\n102: 0x0123456789abcdef\n103: "hello"\n104: ""\n105 \{\n {2}1: 1\n\}\n/);
});

test('length-delimited values: message, string, almost-messages', { skip }, () => {
  const values: Array<[string, Uint8Array]> = [
    ['ends with end-group', raw(0x08, 0x01, 0x0c)], ['contains a group', raw(0x0b, 0x08, 0x01, 0x0c)],
    ['field number 0', raw(0x00, 0x01)], ['wire type 6', raw(0x0e, 0x01)],
    ['11-byte varint', raw(0x08, ...new Array<number>(10).fill(0xff), 0x01)], ['5-byte tag with high bits', raw(0x88, 0x80, 0x80, 0x80, 0x70, 1)],
    ['truncated length', raw(0x0a, 0x05, 0x41)], ['nested message', message((w) => sub(w, 3, (w) => bytesField(w, 1, 'x')))],
    ['printable text', new TextEncoder().encode('plain text')], ['mismatched group end', raw(0x0b, 0x14)],
    ['unclosed group', raw(0x0b, 0x08, 0x01)], ['6-byte tag', raw(0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 1)],
  ];
  for (const [label, value] of values) assertLikeProtoc(message((w) => bytesField(w, 99, value)), SAVER, label);
});

/** depth nested length-delimited unknown fields around `1: 7`. */
function nestedLd(depth: number): Uint8Array {
  const rec = (w: ByteWriter, d: number): void => (d === 0 ? varintField(w, 1, 7) : sub(w, 99, (w) => rec(w, d - 1)));
  return message((w) => rec(w, depth));
}

function groups(w: ByteWriter, depth: number, inner: (w: ByteWriter) => void): void {
  for (let i = 0; i < depth; i++) w.tag(98, 3);
  inner(w);
  for (let i = 0; i < depth; i++) w.tag(98, 4);
}

test('nested unknown messages: the 10-level budget, shared by groups', { skip }, () => {
  for (const d of [9, 10, 11, 12]) assertLikeProtoc(nestedLd(d), SAVER, `ld depth ${d}`);
  for (const [g, l] of [[9, 1], [10, 1], [11, 1], [5, 5], [5, 6]]) {
    assertLikeProtoc(message((w) => groups(w, g, (w) => w.raw(nestedLd(l)))), SAVER, `${g} groups then ${l} ld`);
  }
  for (const [l, g] of [[1, 9], [1, 10], [1, 11], [3, 7], [3, 8], [3, 9], [10, 1]]) {
    const rec = (w: ByteWriter, d: number): void => (d === 0 ? groups(w, g, (w) => varintField(w, 1, 7)) : sub(w, 99, (w) => rec(w, d - 1)));
    assertLikeProtoc(message((w) => rec(w, l)), SAVER, `${l} ld then ${g} groups`);
  }
});

test('unknown fields inside nested known messages and map entries', { skip }, () => {
  assertLikeProtoc(message((w) => sub(w, 1, (w) => {
    bytesField(w, 1, 'n'); varintField(w, 50, 1);
    sub(w, 5, (w) => { bytesField(w, 1, 'k'); sub(w, 2, (w) => { varintField(w, 3, 1); w.tag(77, 5); w.fixed32(1); }); w.tag(3, 1); w.fixed64(2n); });
  })), 'tensorflow.GraphDef', 'nested unknowns');
});

test('unknown values are re-parsed like CodedInputStream: 10-byte tags and lengths, modulo 2^32', { skip }, () => {
  const values: Array<[string, Uint8Array]> = [
    ['10-byte tag', raw(0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 1)],
    ['11-byte tag', raw(0x88, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 1)],
    ['tag that wraps to 0', raw(0x80, 0x80, 0x80, 0x80, 0x10, 1)],
    ['6-byte length', raw(0x0a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x41)],
    ['10-byte length', raw(0x0a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x41)],
    ['length wrapping to 1', raw(0x0a, 0x81, 0x80, 0x80, 0x80, 0x10, 0x41)],
    ['length 2^31+1', raw(0x0a, 0x81, 0x80, 0x80, 0x80, 0x08, 0x41)],
    ['6-byte tag inside a group', raw(0x0b, 0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 1, 0x0c)],
    ['6-byte end-group tag', raw(0x0b, 0x08, 1, 0x8c, 0x80, 0x80, 0x80, 0x80, 0x00)],
  ];
  for (const [label, value] of values) assertLikeProtoc(message((w) => bytesField(w, 99, value)), SAVER, label);
  // The message parser itself stays strict about the same bytes.
  for (const [label, value] of values) assertLikeProtoc(value, SAVER, `top level: ${label}`);
});
