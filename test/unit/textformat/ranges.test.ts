// Source ranges: byte offsets ↔ LSP positions (UTF-16 columns, any line break), the ranges the
// parser records, and element paths ↔ ranges on a real model's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../../../server/src/core/textformat/lineIndex';
import { parseText } from '../../../server/src/core/textformat/textParser';
import { findPath, findPathPrefix, pathAt } from '../../../server/src/core/textformat/textPaths';
import { formatPath, parsePath } from '../../../server/src/core/elementPath';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';
import { protocDecode, protocMissing } from '../../helpers/protoc';

test('LineIndex on ASCII lines', () => {
  const idx = new LineIndex(Buffer.from('ab\ncd\n'));
  assert.equal(idx.lineCount, 3);
  assert.deepEqual([0, 2, 3, 5, 6].map((o) => idx.positionAt(o)), [
    { line: 0, character: 0 }, { line: 0, character: 2 }, { line: 1, character: 0 }, { line: 1, character: 2 }, { line: 2, character: 0 },
  ]);
  assert.equal(idx.offsetAt({ line: 1, character: 1 }), 4);
  assert.equal(idx.offsetAt({ line: 0, character: 99 }), 2, 'past the end of a line: the line end');
  assert.equal(idx.offsetAt({ line: 9, character: 0 }), 6);
});

/** Expected positions from JS strings: what an editor holding the decoded text would say. */
function expectedPosition(text: string, charIndex: number): { line: number; character: number } {
  const before = text.slice(0, charIndex);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

test('LineIndex on non-ASCII lines and every kind of line break', () => {
  const text = 'name: "é"\r\nx: "😀z" # 日本\rlast: "\u0000"\n\n  é😀é';
  const bytes = Buffer.from(text, 'utf8');
  const idx = new LineIndex(bytes);
  assert.equal(idx.lineCount, 5);
  let offset = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) < 0xdc00) continue; // inside a surrogate pair
    const expected = expectedPosition(text, i);
    offset = Buffer.byteLength(text.slice(0, i));
    if (text[i - 1] === '\r' && text[i] === '\n') continue; // between \r and \n: not a position an editor has
    assert.deepEqual(idx.positionAt(offset), expected, `offset ${offset} (char ${i})`);
    assert.equal(idx.offsetAt(expected), offset, `position ${JSON.stringify(expected)}`);
  }
});

test('LineIndex counts invalid UTF-8 as the editor decodes it (one U+FFFD per bad sequence)', () => {
  const bytes = new Uint8Array([0x61, 0xff, 0x62, 0xe2, 0x82, 0x63, 0xf0, 0x9f, 0x98, 0x80, 0x64]);
  const idx = new LineIndex(bytes);
  const decoded = new TextDecoder().decode(bytes);
  assert.equal(decoded, 'a\ufffdb\ufffdc😀d');
  assert.deepEqual(idx.positionAt(5), { line: 0, character: 4 });
  assert.deepEqual(idx.positionAt(10), { line: 0, character: 7 });
  assert.deepEqual(idx.positionAt(11), { line: 0, character: decoded.length });
});

test('the parser records byte ranges of names, values and messages', () => {
  const text = 'node {\n  name: "é" # c\n  input: ["a", \'b\' "c"]\n  attr { key: "k" value { i: -5 } }\n}\n';
  const bytes = Buffer.from(text);
  const { root, errors } = parseText(bytes, 'tensorflow.GraphDef');
  assert.deepEqual(errors, []);
  const at = (s: number, e: number): string => bytes.subarray(s, e).toString();
  const node = root.fields[0];
  assert.equal(at(node.nameStart, node.nameEnd), 'node');
  const msg = node.values[0];
  assert.ok(msg.kind === 'message');
  assert.equal(at(msg.start, msg.end), text.slice(5, -1));
  const [name, input, attr] = msg.fields;
  assert.equal(at(name.values[0].start, name.values[0].end), '"é"');
  assert.deepEqual(input.values.map((v) => at(v.start, v.end)), ['"a"', '\'b\' "c"']);
  assert.equal(at(input.nameStart, input.end), 'input: ["a", \'b\' "c"]');
  const entry = attr.values[0];
  assert.ok(entry.kind === 'message');
  const value = entry.fields[1].values[0];
  assert.ok(value.kind === 'message');
  assert.equal(at(value.fields[0].values[0].start, value.fields[0].values[0].end), '-5');
});

const skip = { skip: corpusMissing() ?? protocMissing() };

function corpusText(): Buffer {
  return protocDecode(fs.readFileSync(path.join(CORPUS_DIR, 'tf-half_plus_two', 'saved_model.pb'))).stdout;
}

test('findPath locates elements of a real model by index, key and name', skip, () => {
  const bytes = corpusText();
  const { root } = parseText(bytes);
  const textAt = (p: string): string | undefined => {
    const parsed = parsePath(p);
    assert.ok(parsed, p);
    const r = findPath(root, parsed);
    return r && bytes.subarray(r.start, r.end).toString();
  };
  const sig = textAt('meta_graphs[0].signature_def["serving_default"]');
  assert.ok(sig?.startsWith('signature_def {') && sig.includes('key: "serving_default"') && sig.endsWith('}'), sig);
  const input = textAt('meta_graphs[0].signature_def["serving_default"].inputs["x"]');
  assert.ok(input?.startsWith('inputs {') && input.includes('name: "x:0"'), input);
  assert.equal(textAt('meta_graphs[0].signature_def["serving_default"].inputs["x"].name'), 'name: "x:0"');
  assert.equal(textAt('meta_graphs[0].signature_def["serving_default"].method_name'), 'method_name: "tensorflow/serving/predict"');
  assert.match(textAt('meta_graphs[0].graph_def.node[0].name') ?? '', /^name: "/);
  assert.equal(textAt('saved_model_schema_version'), 'saved_model_schema_version: 1');
  assert.equal(textAt('meta_graphs[1]'), undefined);
  assert.equal(textAt('meta_graphs[0].signature_def["nope"]'), undefined);
  assert.equal(textAt('meta_graphs[0].nope'), undefined);
  const prefix = findPathPrefix(root, parsePath('meta_graphs[0].signature_def["serving_default"].inputs["nope"]') ?? []);
  assert.equal(prefix.depth, 2);
});

test('pathAt and findPath agree at every token of a real model', skip, () => {
  const bytes = corpusText();
  const { root } = parseText(bytes);
  let checked = 0;
  for (let off = 0; off < bytes.length; off += 13) {
    const p = pathAt(root, off);
    if (p.length === 0) continue;
    const r = findPath(root, p);
    assert.ok(r, `${formatPath(p)} (from offset ${off}) not found`);
    assert.deepEqual(pathAt(root, r.start), p, `${formatPath(p)}: the start of its range maps back`);
    checked++;
  }
  assert.ok(checked > 1000, `${checked} offsets checked`);
  const at = bytes.indexOf('key: "serving_default"');
  assert.equal(formatPath(pathAt(root, at)), 'meta_graphs[0].signature_def["serving_default"]');
  const x = bytes.indexOf('name: "x:0"', at);
  assert.equal(formatPath(pathAt(root, x + 8)), 'meta_graphs[0].signature_def["serving_default"].inputs["x"].name');
});
