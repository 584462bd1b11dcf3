// Malformed input is rejected exactly when protoc rejects it, with a WireError saying where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { assertLikeProtoc, ours } from './oracle';
import { bytesField, message, raw, sub, varintField } from './build';
import { protocMissing } from '../../helpers/protoc';

const skip = protocMissing();
const SAVER = 'tensorflow.SaverDef';

test('wire-level errors and near-errors', { skip }, () => {
  const cases: Array<[string, Uint8Array]> = [
    ['end-group at top level', raw(0x08, 0x01, 0x0c)], ['only end-group', raw(0x0c)], ['tag 0', raw(0x00)],
    ['tag 0 after a field', raw(0x08, 0x01, 0x00)], ['field 0 wire type 2', raw(0x02, 0x00)],
    ['unclosed group', raw(0x0b, 0x08, 0x01)], ['closed group', raw(0x0b, 0x08, 0x01, 0x0c)],
    ['mismatched end-group', raw(0x0b, 0x08, 0x01, 0x14)], ['wire type 6', raw(0x0e)], ['wire type 7', raw(0x0f)],
    ['10-byte varint, high bits dropped', raw(0x08, ...new Array<number>(9).fill(0xff), 0x7f)],
    ['11-byte varint', raw(0x08, ...new Array<number>(10).fill(0xff), 0x01)],
    ['non-minimal 5-byte tag', raw(0x88, 0x80, 0x80, 0x80, 0x00, 1)], ['5-byte tag, bits above 32', raw(0x88, 0x80, 0x80, 0x80, 0x70, 1)],
    ['6-byte tag', raw(0x88, 0x80, 0x80, 0x80, 0x80, 0x00, 1)], ['6-byte length', raw(0x12, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00, 0x41)],
    ['5-byte length', raw(0x12, 0x81, 0x80, 0x80, 0x80, 0x00, 0x41)], ['5-byte length over 2^31', raw(0x12, 0x81, 0x80, 0x80, 0x80, 0x10, 0x41)],
    ['length past end', raw(0x12, 0x05, 0x41)], ['fixed32 cut short', raw(0x35, 1, 2)], ['fixed64 cut short', raw(0x31, 1, 2, 3)],
    ['varint cut short', raw(0x20, 0x80)], ['tag cut short', raw(0x80)], ['largest field number', raw(0xf8, 0xff, 0xff, 0xff, 0x0f, 1)],
    ['empty', raw()],
  ];
  for (const [label, bytes] of cases) assertLikeProtoc(bytes, SAVER, label);
});

test('errors in nested messages, also in fields that are not printed', { skip }, () => {
  assertLikeProtoc(message((w) => sub(w, 1, (w) => raw(0x0c).forEach((b) => w.byte(b)))), 'tensorflow.GraphDef', 'end-group in nested');
  assertLikeProtoc(message((w) => { sub(w, 1, (w) => { w.tag(1, 2); w.varint(10); }); }), 'tensorflow.GraphDef', 'inner length past nested end');
  assertLikeProtoc(message((w) => { bytesField(w, 1, Uint8Array.of(0xff)); bytesField(w, 1, 'ok'); }), SAVER, 'overwritten invalid UTF-8');
  assertLikeProtoc(message((w) => { sub(w, 3, (w) => w.byte(0x0f)); sub(w, 3, () => {}); }), 'tensorflow.MetaGraphDef', 'bad merged segment');
});

/** StructuredValue -> list_value(51) -> values(1) -> StructuredValue: two messages a level. */
function structNest(levels: number, inner: (w: ByteWriter) => void): Uint8Array {
  const rec = (w: ByteWriter, d: number): void => (d === 0 ? inner(w) : sub(w, 51, (w) => sub(w, 1, (w) => rec(w, d - 1))));
  return message((w) => rec(w, levels));
}

test('messages and groups nest at most 100 deep below the root', { skip }, () => {
  const T = 'tensorflow.StructuredValue';
  for (const d of [49, 50, 51]) assertLikeProtoc(structNest(d, (w) => varintField(w, 14, 1)), T, `${2 * d} messages`);
  assertLikeProtoc(structNest(49, (w) => sub(w, 51, () => {})), T, '99 messages + an empty 100th');
  assertLikeProtoc(structNest(50, (w) => sub(w, 51, () => {})), T, 'an empty 101st message');
  for (const g of [1, 2]) assertLikeProtoc(structNest(49, (w) => sub(w, 51, (w) => { for (let i = 0; i < g; i++) w.tag(99, 3); for (let i = 0; i < g; i++) w.tag(99, 4); })), T, `99 messages + ${g} groups`);
  for (const d of [99, 100, 101]) {
    assertLikeProtoc(message((w) => { for (let i = 0; i < d; i++) w.tag(99, 3); for (let i = 0; i < d; i++) w.tag(99, 4); }), 'tensorflow.SaverDef', `${d} groups`);
  }
  // dict_value(53) -> fields map entry(1) -> value(2): three messages a level.
  const dict = (levels: number): Uint8Array => {
    const rec = (w: ByteWriter, d: number): void => (d === 0 ? varintField(w, 14, 1) : sub(w, 53, (w) => sub(w, 1, (w) => { bytesField(w, 1, 'k'); sub(w, 2, (w) => rec(w, d - 1)); })));
    return message((w) => rec(w, levels));
  };
  for (const d of [33, 34]) assertLikeProtoc(dict(d), T, `${d} map levels`);
});

test('a WireError carries the offset of the problem', () => {
  const bad = message((w) => { bytesField(w, 1, 'abc'); w.tag(2, 2); w.varint(50); w.raw(raw(1, 2)); });
  const r = ours(bad, SAVER);
  assert.ok(!r.ok);
  assert.equal(r.error.offset, 7, r.error.message);
  const r2 = ours(raw(0x08, 0x01, 0x0e), SAVER);
  assert.ok(!r2.ok && r2.error.offset === 2, 'invalid wire type at its tag');
});
