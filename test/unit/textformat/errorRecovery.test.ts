// Broken texts: each mistake gives one error at the right place (not a cascade), the rest of the
// text still parses, and nothing throws, whatever the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_ERRORS, MAX_NESTING, parseText } from '../../../server/src/core/textformat/textParser';
import { encodeText, TextEncodeRefused } from '../../../server/src/core/textformat/textEncoder';
import { ParseResult, TextMessage } from '../../../server/src/core/textformat/textTree';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { protocDecode, protocEncode, protocMissing } from '../../helpers/protoc';

const skipCorpus = { skip: corpusMissing() ?? protocMissing() };
const NODE = 'tensorflow.NodeDef';

function parse(text: string | Uint8Array, type?: string): ParseResult {
  return parseText(typeof text === 'string' ? Buffer.from(text) : text, type);
}

function slice(text: string, start: number, end: number): string {
  return Buffer.from(text).subarray(start, end).toString();
}

function assertSane(r: ParseResult, length: number, label: string): void {
  for (const e of r.errors) {
    assert.ok(!e.message.startsWith('internal'), `${label}: ${e.message}`);
    assert.ok(e.start >= 0 && e.start <= e.end && e.end <= length, `${label}: range [${e.start}, ${e.end}) of "${e.message}"`);
  }
}

let corpusText: string | undefined;
/** tf-half_plus_two decoded by protoc: a realistic text with nested maps and lists. */
function halfPlusTwo(): string {
  corpusText ??= protocDecode(fs.readFileSync(path.join(CORPUS_DIR, 'tf-half_plus_two', 'saved_model.pb'))).stdout.toString();
  return corpusText;
}

test('a typo in a field name: one error on the name, with the nearest names', () => {
  const text = 'name: "a"\nnmae: "b"\nop: "c"\n';
  const r = parse(text, NODE);
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  const [e] = r.errors;
  assert.equal(e.code, 'schema-error');
  assert.equal(slice(text, e.start, e.end), 'nmae');
  assert.deepEqual(e.suggestions, ['name']);
  assert.deepEqual(r.root.fields.map((f) => f.info.name), ['name', 'op']);
});

test('a typo in a deep field name of a real model: exactly one error there', skipCorpus, () => {
  const text = halfPlusTwo();
  const at = text.indexOf('      op: "');
  assert.ok(at > 0);
  const broken = `${text.slice(0, at)}      opp: "${text.slice(at + '      op: "'.length)}`;
  const r = parse(broken);
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  const start = Buffer.byteLength(broken.slice(0, at + 6));
  assert.deepEqual([r.errors[0].start, r.errors[0].end], [start, start + 3]);
  assert.ok(r.errors[0].suggestions?.includes('op'), JSON.stringify(r.errors[0].suggestions));
  assert.match(r.errors[0].message, /no field named "opp"/);
});

test('typos in values: wrong type, unknown enum, out of range, each one error', () => {
  const text = 'dtype: DT_FLOTA\nversion_number: 3000000000\ntensor_shape { dim { size: "x" } }\nfloat_val: [1, 2, three]\nstring_val: "ok"\n';
  const r = parse(text, 'tensorflow.TensorProto');
  assert.deepEqual(r.errors.map((e) => slice(text, e.start, e.end)), ['DT_FLOTA', '3000000000', '"x"', 'three']);
  assert.deepEqual(r.errors[0].suggestions, ['DT_FLOAT']);
  assert.ok(r.errors.every((e) => e.code === 'schema-error'));
  // What was fine is kept.
  assert.deepEqual(r.root.fields.map((f) => f.info.name), ['dtype', 'version_number', 'tensor_shape', 'float_val', 'string_val']);
  assert.deepEqual(r.root.fields[3].values.map((v) => v.kind === 'scalar' && v.value), [1, 2]);
});

test('syntax slips each give one error and parsing goes on', () => {
  const cases: Array<[text: string, errorAt: string]> = [
    ['name:: "a"\nop: "c"\n', ':'],
    ['name "x"\nop: "c"\n', '"x"'],
    ['name: \nop: "c"\n', 'name'],
    ['name: "abc\nop: "c"\n', '"abc'],
    ['name: "a"\n}\nop: "c"\n', '}'],
    ['name: "a" name: "b"\nop: "c"\n', 'name'],
    ['name: "a"\nop { x: 1 }\ndevice: "c"\n', '{'],
    ['naméx: "a"\nop: "c"\n', 'naméx'],
    ['input: ["a" "b", "c";]\nop: "c"\n', ';'],
    ['name: "a";;\nop: "c"\n', ';'],
    ['attr { key: "x" value { i: 1 f: 2 } }\nop: "c"\n', 'f'],
  ];
  for (const [text, errorAt] of cases) {
    const r = parse(text, NODE);
    assert.equal(r.errors.length, 1, `${JSON.stringify(text)}: ${JSON.stringify(r.errors)}`);
    assert.equal(slice(text, r.errors[0].start, r.errors[0].end), errorAt, JSON.stringify(text));
    assert.ok(r.root.fields.some((f) => f.info.name === (text.includes('device') ? 'device' : 'op')), `${JSON.stringify(text)}: later fields kept`);
  }
});

test('garbage lines between fields: one error per line', skipCorpus, () => {
  const lines = halfPlusTwo().split('\n');
  const garbage = ['@@@ garbage !!', 'this is garbage', '= ] ; [', '12 34 "x"', 'é'];
  const out: string[] = [];
  let inserted = 0;
  lines.forEach((line, i) => {
    if (inserted < garbage.length && i % 97 === 50 && /^\s*[a-z_]+: /.test(line)) out.push(garbage[inserted++]);
    out.push(line);
  });
  assert.equal(inserted, garbage.length);
  const text = out.join('\n');
  const r = parse(text);
  assertSane(r, Buffer.byteLength(text), 'garbage');
  assert.equal(r.errors.length, garbage.length, JSON.stringify(r.errors, null, 1));
});

test('an unclosed brace: one error, at an opening brace', skipCorpus, () => {
  const text = halfPlusTwo();
  const cut = text.lastIndexOf('}');
  const broken = text.slice(0, cut) + text.slice(cut + 1);
  const r = parse(broken);
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  assert.equal(r.errors[0].code, 'syntax-error');
  assert.equal(slice(broken, r.errors[0].start, r.errors[0].end), '{');
  assert.match(r.errors[0].message, /never closed/);
});

test('a missing closing brace in the middle: few errors, not a cascade', skipCorpus, () => {
  const text = halfPlusTwo();
  const at = text.indexOf('\n    }\n', text.length >> 1);
  const broken = text.slice(0, at) + text.slice(at + 6);
  const r = parse(broken);
  assertSane(r, Buffer.byteLength(broken), 'missing }');
  assert.ok(r.errors.length >= 1 && r.errors.length <= 3, JSON.stringify(r.errors));
});

test('a binary SavedModel read as text: errors, no throw, bounded', skipCorpus, () => {
  for (const name of ['tf-half_plus_two', 'tfx-taxi_keras_serving', 'text-segmenter_hub_module']) {
    const bytes = fs.readFileSync(path.join(CORPUS_DIR, name, 'saved_model.pb'));
    const r = parseText(bytes);
    assert.ok(r.errors.length > 0, name);
    assert.ok(r.errors.length <= MAX_ERRORS + 1, `${name}: ${r.errors.length} errors`);
    assertSane(r, bytes.length, name);
  }
});

test('random bytes and every truncation of a small text: no throw, sane ranges', () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 200; i++) {
    const bytes = new Uint8Array(rand(400)).map(() => rand(256));
    assertSane(parseText(bytes), bytes.length, `random ${i}`);
  }
  const text = Buffer.from('meta_graphs { meta_info_def { tags: "serve" } signature_def { key: "a\\x41" value { inputs { key: "x" value { dtype: DT_FLOAT name: "x:0" } } } } }');
  for (let n = 0; n <= text.length; n++) assertSane(parseText(text.subarray(0, n)), n, `truncated at ${n}`);
});

test('nesting: deep but reasonable texts parse; absurd depth is one error, not a crash', { skip: protocMissing() }, () => {
  const nested = (depth: number): string => 'list_value { values { '.repeat(depth) + 'string_value: "x"' + ' } }'.repeat(depth);
  const ok = Buffer.from(nested(200));
  const r = parseText(ok, 'tensorflow.StructuredValue');
  assert.deepEqual(r.errors, []);
  assert.ok(Buffer.from(encodeText(r.root)).equals(protocEncode(ok, 'tensorflow.StructuredValue').stdout));
  const deep = Buffer.from(nested(MAX_NESTING));
  const rd = parseText(deep, 'tensorflow.StructuredValue');
  assert.equal(rd.errors.length, 1, JSON.stringify(rd.errors));
  assert.match(rd.errors[0].message, /nested deeper/);
  const unclosed = Buffer.from('list_value { values { '.repeat(20000));
  assertSane(parseText(unclosed, 'tensorflow.StructuredValue'), unclosed.length, 'unclosed deep');
});

test('encoding refuses a tree whose text had errors, unless told to skip them', () => {
  const r = parse('name: "a"\nnmae: "b"\nop: "c"\n', NODE);
  assert.throws(() => encodeText(r.root), TextEncodeRefused);
  const partial = encodeText(r.root, { skipErrors: true });
  assert.equal(Buffer.from(partial).toString('hex'), Buffer.from('\n\x01a\x12\x01c').toString('hex'));
  const clean: TextMessage = parse('name: "a"', NODE).root;
  assert.equal(encodeText(clean).length, 3);
});
