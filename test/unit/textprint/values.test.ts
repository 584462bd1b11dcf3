// Number and string formatting against protoc: floats and doubles (SimpleFtoa/SimpleDtoa), 64-bit
// integers, escaping of every byte, and UTF-8 acceptance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertLikeProtoc } from './oracle';
import { bytesField, message, sub } from './build';
import { mulberry32 } from '../../../server/src/core/prng';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { formatDouble, formatFloat } from '../../../server/src/core/textprint/floatFormat';

const skip = protocMissing();
const TENSOR = 'tensorflow.TensorProto'; // 5 float_val, 6 double_val, 10 int64_val, 17 uint64_val (packed)

const SPECIAL_FLOATS = [
  0.1, 1e-7, 3.4028235e38, 1.4e-45, 1.1754942e-38, 1.17549435e-38, 1048576.125, 1048575.875, 123456.5,
  0.0009765625, 16777216, 1e6, 999999, 1234567, 0.5, 2, -1.5, 1 / 3, -0, 0, 1e10, 1e-10, 100, 1e-4, 1e-5,
  123456789, 7e22, Infinity, -Infinity, NaN, 2 ** -149, -(2 ** -126),
].map(Math.fround);

const SPECIAL_DOUBLES = [
  0.1, 1e-7, 5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, 100000000000000.125,
  123456789012345680, 1e15, 1e16, 0.3, 2 / 3, 1e21, 1e22, 123.456, -0, 0, Infinity, -Infinity, NaN, 1e-5, 1e-4,
  999999999999999, 9999999999999998, 0.1 + 0.2,
];

function printedValues(bytes: Uint8Array): string[] {
  const r = protocDecode(bytes, TENSOR);
  assert.ok(r.ok, r.stderr);
  return r.stdout.toString('latin1').trim().split('\n').map((l) => l.slice(l.indexOf(': ') + 2));
}

test('special float and double values print like protoc', { skip }, () => {
  const bytes = message((w) => {
    for (const v of SPECIAL_FLOATS) { w.tag(5, 5); w.float(v); }
    for (const v of SPECIAL_DOUBLES) { w.tag(6, 1); w.double(v); }
  });
  const text = assertLikeProtoc(bytes, TENSOR, 'special values') ?? '';
  assert.match(text, /^float_val: 0\.1\nfloat_val: 1e-07\nfloat_val: 3\.40282347e\+38\n/);
  assert.match(text, /float_val: 1048576\.12\n/, 'glibc rounds exact ties to even');
});

test('NaN with any sign or payload prints nan', { skip }, () => {
  assertLikeProtoc(message((w) => {
    for (const bits of [0x7fc00000, 0xffc00000, 0x7f800001, 0xffffffff]) { w.tag(5, 5); w.fixed32(bits); }
    for (const hi of [0x7ff80000, 0xfff80000, 0x7ff00000]) { w.tag(6, 1); w.fixed32(1); w.fixed32(hi); }
  }), TENSOR, 'nan payloads');
});

test('random floats and doubles (bit patterns, ties, decimals) match protoc', { skip }, () => {
  const random = mulberry32(12345);
  const bits = new Uint32Array(2);
  const f32 = new Float32Array(bits.buffer, 0, 1);
  const f64 = new Float64Array(bits.buffer);
  const floats: number[] = [];
  const doubles: number[] = [];
  for (let i = 0; i < 4000; i++) {
    bits[0] = random() * 2 ** 32;
    if (Number.isFinite(f32[0])) floats.push(f32[0]);
    floats.push(Math.fround((Math.floor(random() * 2 ** 24) + 0.5) / 2 ** Math.floor(random() * 30)));
    floats.push(Math.fround(Math.round(random() * 1e7) / 10 ** Math.floor(random() * 12)));
    bits[0] = random() * 2 ** 32;
    bits[1] = random() * 2 ** 32;
    if (Number.isFinite(f64[0])) doubles.push(f64[0]);
    bits[1] = random() * 2 ** 20; // subnormal doubles
    doubles.push(f64[0]);
    doubles.push((Math.floor(random() * 2 ** 53) + 0.5) / 2 ** Math.floor(random() * 60));
    doubles.push(Math.round(random() * 1e17) / 10 ** Math.floor(random() * 20));
  }
  const expected = printedValues(message((w) => {
    for (const v of floats) { w.tag(5, 5); w.float(v); }
    for (const v of doubles) { w.tag(6, 1); w.double(v); }
  }));
  const got = [...floats.map(formatFloat), ...doubles.map(formatDouble)];
  const wrong = got.map((g, i) => [i, g, expected[i]]).filter(([, g, e]) => g !== e);
  assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${got.length} values differ`);
});

test('64-bit integers keep every bit, packed and unpacked', { skip }, () => {
  const values = [0n, 1n, -1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, -(2n ** 32n), 4294967295n];
  assertLikeProtoc(message((w) => {
    for (const v of values) { w.tag(10, 0); w.varintBig(v); }
    w.tag(10, 2);
    const mark = w.beginLength();
    for (const v of values) w.varintBig(v);
    w.endLength(mark);
    for (const v of [...values, 2n ** 64n - 1n]) { w.tag(17, 0); w.varintBig(v); }
    w.tag(7, 0); w.varintBig(-1n); // int32 sign-extended to 10 bytes
  }), TENSOR, 'int64/uint64');
});

test('bytes: every byte value 0..255 escaped like CEscape', { skip }, () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const text = assertLikeProtoc(message((w) => { w.tag(4, 2); w.lengthDelimited(all); }), TENSOR, 'all bytes');
  assert.ok(text?.includes('\\000\\001\\002\\003\\004\\005\\006\\007\\010\\t\\n\\013\\014\\r'));
  assert.ok(text?.includes(' !\\"#$%&\\\'()'));
  assert.ok(text?.includes('\\177\\200'));
});

test('strings: printable ASCII as is, UTF-8 bytes as octal escapes', { skip }, () => {
  const text = assertLikeProtoc(message((w) => sub(w, 1, (w) => bytesField(w, 1, 'a"b\'c\\d\n\r\t\0\u0001é日?😀'))), 'tensorflow.GraphDef', 'utf8 string');
  assert.match(text ?? '', /name: "a\\"b\\'c\\\\d\\n\\r\\t\\000\\001\\303\\251/);
});

test('proto3 strings must be valid UTF-8 (protoc refuses to parse), proto2 strings need not', { skip }, () => {
  const sequences: Array<[string, number[]]> = [
    ['lone continuation', [0x80]], ['overlong 2-byte', [0xc0, 0x80]], ['overlong 3-byte', [0xe0, 0x80, 0x80]],
    ['overlong 4-byte', [0xf0, 0x80, 0x80, 0x80]], ['surrogate', [0xed, 0xa0, 0x80]], ['max code point', [0xf4, 0x8f, 0xbf, 0xbf]],
    ['beyond max', [0xf4, 0x90, 0x80, 0x80]], ['F5', [0xf5, 0x80, 0x80, 0x80]], ['truncated', [0x61, 0xe6, 0x97]],
    ['U+FFFF', [0xef, 0xbf, 0xbf]], ['BOM', [0xef, 0xbb, 0xbf]], ['U+FFFE', [0xef, 0xbf, 0xbe]], ['C2 80', [0xc2, 0x80]],
    ['ED 9F BF', [0xed, 0x9f, 0xbf]], ['EE 80 80', [0xee, 0x80, 0x80]], ['FF', [0xff]],
  ];
  for (const [label, bytes] of sequences) {
    const value = Uint8Array.from([0x61, ...bytes, 0x62]);
    assertLikeProtoc(message((w) => sub(w, 1, (w) => bytesField(w, 1, value))), 'tensorflow.GraphDef', `proto3 ${label}`);
    assertLikeProtoc(message((w) => bytesField(w, 1, value)), 'tensorflow.GraphDebugInfo', `proto2 ${label}`);
  }
});

test('bytes fields take any bytes', { skip }, () => {
  assertLikeProtoc(message((w) => bytesField(w, 4, Uint8Array.of(0xff, 0xfe, 0xc0, 0x80))), TENSOR, 'invalid utf8 in bytes');
});
