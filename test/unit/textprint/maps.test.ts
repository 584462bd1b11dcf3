// Map fields: protoc prints entries stably sorted by key, keeps duplicate keys, and always prints
// key and value. Each case is checked against protoc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { assertLikeProtoc } from './oracle';
import { bytesField, message, sub, varintField } from './build';
import { mulberry32 } from '../../../server/src/core/prng';
import { protocMissing } from '../../helpers/protoc';

const skip = protocMissing();
const FUNCTION = 'tensorflow.FunctionDef'; // 4: map<string,string> ret, 7: map<uint32,ArgAttrs>, 8: map<uint32,uint32>
const META = 'tensorflow.MetaGraphDef'; // 4: map<string, CollectionDef>
const DEBUG = 'tensorflow.GraphDebugInfo'; // 4: map<fixed64, FileLineCol>, 5: map<string, fixed64> (proto2)

function ret(w: ByteWriter, key: string | Uint8Array | null, value: string | null, extra?: (w: ByteWriter) => void): void {
  sub(w, 4, (w) => {
    if (key !== null) bytesField(w, 1, key);
    if (value !== null) bytesField(w, 2, value);
    extra?.(w);
  });
}

test('string keys sort by bytes: upper before lower, prefixes first, UTF-8 after ASCII', { skip }, () => {
  const keys = ['b', 'a', 'B', '', 'aa', 'é', 'z', '~', 'a b', '\u0001', '\u007f', '日本', 'A'];
  const text = assertLikeProtoc(message((w) => keys.forEach((k) => ret(w, k, `${k}|`))), FUNCTION, 'string keys');
  const printed = [...(text ?? '').matchAll(/key: "(.*)"/g)].map((m) => m[1]);
  assert.deepEqual(printed.slice(0, 6), ['', '\\001', 'A', 'B', 'a', 'a b']);
});

test('duplicate keys are all kept, in wire order among themselves', { skip }, () => {
  const text = assertLikeProtoc(message((w) => { ret(w, 'x', '1'); ret(w, 'y', '2'); ret(w, 'x', '3'); ret(w, 'x', ''); }), FUNCTION, 'duplicates');
  assert.equal((text ?? '').match(/key: "x"/g)?.length, 3);
});

test('many entries (beyond the insertion-sort size) sort stably', { skip }, () => {
  const random = mulberry32(7);
  const text = assertLikeProtoc(message((w) => {
    for (let k = 0; k < 300; k++) ret(w, `k${Math.floor(random() * 60)}`, `v${k}`);
  }), FUNCTION, '300 entries');
  assert.ok(text && text.length > 0);
});

test('missing key or value prints the default; fields in any order; unknowns after', { skip }, () => {
  assertLikeProtoc(message((w) => {
    ret(w, null, 'nokey'); ret(w, 'novalue', null); ret(w, '', ''); ret(w, null, null);
    sub(w, 4, (w) => { bytesField(w, 2, 'V'); bytesField(w, 1, 'K'); });
    ret(w, 'k', 'v', (w) => varintField(w, 9, 5));
    ret(w, 'k1', 'v', (w) => bytesField(w, 1, 'k2'));
    sub(w, 4, (w) => { varintField(w, 1, 5); bytesField(w, 2, 'wrong key wire type'); });
  }), FUNCTION, 'partial entries');
});

test('integer keys sort numerically (uint32, fixed64 up to 2^64-1)', { skip }, () => {
  assertLikeProtoc(message((w) => {
    for (const k of [10, 2, 0, 2 ** 32 - 1, 100, 2 ** 31]) sub(w, 8, (w) => { varintField(w, 1, k); varintField(w, 2, k % 7); });
    sub(w, 8, () => {});
    sub(w, 8, (w) => { w.tag(1, 0); w.varint(2 ** 32 + 3); }); // uint32 keeps the low 32 bits
  }), FUNCTION, 'uint32 keys');
  assertLikeProtoc(message((w) => {
    for (const k of [5n, 0n, 2n ** 63n, 2n ** 64n - 1n, 1n, 2n ** 32n]) sub(w, 4, (w) => { w.tag(1, 1); w.fixed64(k); sub(w, 2, (w) => varintField(w, 2, 0)); });
  }), DEBUG, 'fixed64 keys');
});

test('message values: absent prints `value {}`, repeated occurrences merge, wrong wire type is unknown', { skip }, () => {
  assertLikeProtoc(message((w) => {
    sub(w, 7, (w) => varintField(w, 1, 1));
    sub(w, 7, (w) => {
      varintField(w, 1, 2);
      sub(w, 2, (w) => sub(w, 1, (w) => bytesField(w, 1, 'a')));
      sub(w, 2, (w) => sub(w, 1, (w) => bytesField(w, 1, 'b')));
    });
  }), FUNCTION, 'arg_attr');
  assertLikeProtoc(message((w) => {
    sub(w, 4, (w) => { bytesField(w, 1, 'k'); varintField(w, 2, 3); });
    sub(w, 4, (w) => {
      sub(w, 2, (w) => sub(w, 1, (w) => bytesField(w, 1, 'a')));
      bytesField(w, 1, 'j');
      sub(w, 2, (w) => sub(w, 1, (w) => bytesField(w, 1, 'b')));
    });
  }), META, 'collection_def');
});

test('proto2 map keys with invalid UTF-8 are accepted; proto3 ones are rejected', { skip }, () => {
  assertLikeProtoc(message((w) => sub(w, 5, (w) => { bytesField(w, 1, Uint8Array.of(0xc3)); w.tag(2, 1); w.fixed64(7n); })), DEBUG, 'proto2 key');
  assertLikeProtoc(message((w) => ret(w, Uint8Array.of(0xe9), 'v')), FUNCTION, 'proto3 key');
  assertLikeProtoc(message((w) => { ret(w, Uint8Array.of(0xe9), 'v'); ret(w, 'ok', 'v'); }), FUNCTION, 'proto3 key, later entry fine');
});
