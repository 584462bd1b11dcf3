// The up-front wire walk: it accepts exactly what protoc --decode accepts (truncations, broken
// lengths, bad UTF-8, nesting), keeps a known field with the wrong wire type as protoc does (a
// warning, not an error), and says where: the byte offset and the element path, with node names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';
import { loadSchema } from '../../../server/src/core/protobuf/schema';
import { describeProblem, validateWire } from '../../../server/src/core/protobuf/validateWire';
import { printText } from '../../../server/src/core/textprint/textPrinter';
import { decodeSavedModel } from '../../../server/src/core/savedmodel/savedModel';
import { constNode, encodeSavedModel, float32Bytes, linearModel, metaGraph, savedModel } from '../../../server/src/core/savedmodel/modelBuilder';
import { mulberry32 } from '../../../server/src/core/prng';
import { protocDecode, protocMissing } from '../../helpers/protoc';
import { corpusMissing, corpusModels } from '../../helpers/corpus';

const SAVED_MODEL = loadSchema().message('tensorflow.SavedModel');
const check = (bytes: Uint8Array) => validateWire(bytes, SAVED_MODEL);
const skipProtoc = protocMissing();

function linear(): Uint8Array {
  return encodeSavedModel(linearModel(0.5, 3).model);
}

/** A length-delimited field built by hand: tag, length, payload. */
function field(num: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter(payload.length + 16);
  w.tag(num, 2);
  w.lengthDelimited(payload);
  return w.bytes().slice();
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

/** The node's span in the fixture, found by the typed model. */
function nodeSpan(bytes: Uint8Array, name: string): { index: number; start: number; end: number } {
  const graph = decodeSavedModel(bytes).metaGraphs[0].graph;
  const index = graph.indexOf(name);
  assert.ok(index >= 0, `fixture has node ${name}`);
  return { index, ...graph.span(index) };
}

test('every corpus model passes, as protoc decodes them all', { skip: corpusMissing() }, () => {
  for (const [name, p] of corpusModels()) {
    const v = check(new Uint8Array(fs.readFileSync(p)));
    assert.ok(v.ok, `${name}: ${v.error && describeProblem(v.error)}`);
  }
});

test('truncations: refused exactly when protoc refuses, at an offset inside the file', { skip: skipProtoc }, () => {
  const full = linear();
  assert.ok(check(full).ok);
  const random = mulberry32(12);
  for (let k = 0; k < 25; k++) {
    const cut = full.subarray(0, 1 + Math.floor(random() * (full.length - 1)));
    const v = check(cut);
    assert.equal(v.ok, protocDecode(cut).ok, `cut at ${cut.length}: ${v.error ? describeProblem(v.error) : 'accepted'}`);
    if (v.error) {
      assert.ok(v.error.offset <= cut.length, 'offset within the file');
      assert.match(describeProblem(v.error, cut.length), /probably truncated/);
    }
  }
});

test('a length prefix pushed past its message: error names the enclosing element and the node', { skip: skipProtoc }, () => {
  const bytes = linear().slice();
  const node = nodeSpan(bytes, 'mul');
  // The node's first field is its name (tag 0x0a, a one-byte length): make that length overrun the node.
  assert.equal(bytes[node.start], 0x0a);
  bytes[node.start + 1] = 0x7f;
  const v = check(bytes);
  assert.equal(protocDecode(bytes).ok, false, 'protoc refuses it too');
  assert.ok(v.error);
  assert.match(v.error.message, /runs past the end of its message/);
  assert.equal(v.error.offset, node.start + 2);
  assert.equal(v.error.where, `meta_graphs[0].graph_def.node[${node.index}].name`);
  assert.deepEqual(v.error.path.slice(0, 3), [{ field: 'meta_graphs', index: 0 }, { field: 'graph_def' }, { field: 'node', index: node.index }]);
});

test('a bit flip in a length inside a node: the node is named in the path', { skip: skipProtoc }, () => {
  const bytes = linear().slice();
  const node = nodeSpan(bytes, 'y');
  // Skip name (1) and op (2) to the first input (3) and set its length high bit: a varint that now
  // swallows the payload and claims far more than the node holds.
  let pos = node.start;
  while (bytes[pos] !== 0x1a) pos += 2 + bytes[pos + 1];
  bytes[pos + 1] |= 0x80;
  const v = check(bytes);
  assert.equal(protocDecode(bytes).ok, false);
  assert.ok(v.error);
  assert.match(v.error.where, new RegExp(`^meta_graphs\\[0\\]\\.graph_def\\.node\\[${node.index}\\]\\.input\\[0\\] \\(node "y"\\)$`));
});

test('a known field with the wrong wire type is accepted, as protoc accepts it, with a warning', { skip: skipProtoc }, () => {
  // saved_model_schema_version (field 1, varint) written as fixed32, then a normal model.
  const w = new ByteWriter(16);
  w.tag(1, 5);
  w.fixed32(7);
  const odd = concat(w.bytes().slice(), linear());
  assert.equal(protocDecode(odd).ok, true, 'protoc keeps it as an unknown field');
  assert.match(protocDecode(odd).stdout.toString(), /^1: 0x00000007$/m);
  const v = check(odd);
  assert.ok(v.ok);
  assert.equal(v.warningCount, 1);
  assert.equal(v.warnings[0].offset, 0);
  assert.match(v.warnings[0].message, /saved_model_schema_version has wire type 5, not 0: kept as an unknown field/);
  assert.equal(v.warnings[0].where, 'saved_model_schema_version');
});

test('a nested message field sent as a varint: accepted by both, warning inside the node', { skip: skipProtoc }, () => {
  const bytes = linear();
  const node = nodeSpan(bytes, 'x');
  // Node x with one more `attr` (field 5, a map of messages) written as a varint, in a model built around it.
  const nodeBytes = concat(bytes.subarray(node.start, node.end), Uint8Array.from([5 << 3, 1]));
  const rebuilt = concat(field(2, field(2, field(1, nodeBytes))));
  assert.equal(protocDecode(rebuilt).ok, true);
  const v = check(rebuilt);
  assert.ok(v.ok, v.error && describeProblem(v.error));
  assert.equal(v.warningCount, 1);
  assert.equal(v.warnings[0].where, 'meta_graphs[0].graph_def.node[0].attr[2] (node "x")');
});

test('invalid UTF-8 in a proto3 string is refused, as protoc refuses it', { skip: skipProtoc }, () => {
  const bytes = linear().slice();
  const node = nodeSpan(bytes, 'mul');
  bytes[node.start + 2] = 0xff; // first byte of the name "mul"
  assert.equal(protocDecode(bytes).ok, false);
  const v = check(bytes);
  assert.ok(v.error);
  assert.match(v.error.message, /tensorflow\.NodeDef\.name is not valid UTF-8/);
  assert.equal(v.error.offset, node.start + 2);
});

test('nesting: 100 levels of groups pass, 101 are refused, like protoc', { skip: skipProtoc }, () => {
  const nested = (levels: number): Uint8Array => {
    const w = new ByteWriter(1024);
    for (let i = 0; i < levels; i++) w.tag(9, 3);
    for (let i = 0; i < levels; i++) w.tag(9, 4);
    return w.bytes().slice();
  };
  for (const levels of [99, 100, 101]) {
    const bytes = nested(levels);
    assert.equal(check(bytes).ok, protocDecode(bytes).ok, `${levels} levels`);
  }
  assert.equal(check(nested(101)).ok, false);
});

test('packed scalars: a float list whose length is not a multiple of 4 is refused', { skip: skipProtoc }, () => {
  const tensor = (floatBytes: number): Uint8Array => field(5, new Uint8Array(floatBytes)); // TensorProto.float_val
  const model = (n: number): Uint8Array => {
    const entry = concat(field(1, Buffer.from('value')), field(2, field(8, tensor(n)))); // AttrValue.tensor
    return field(2, field(2, field(1, concat(field(1, Buffer.from('c')), field(5, entry)))));
  };
  for (const n of [8, 5]) assert.equal(check(model(n)).ok, protocDecode(model(n)).ok, `${n} bytes of floats`);
  assert.equal(check(model(5)).ok, false);
});

test('random bit flips: the walk and protoc agree, and so does the printer', { skip: skipProtoc }, () => {
  const full = linear();
  const random = mulberry32(99);
  let refused = 0;
  for (let k = 0; k < 60; k++) {
    const bytes = full.slice();
    const bit = Math.floor(random() * bytes.length * 8);
    bytes[bit >> 3] ^= 1 << (bit & 7);
    const v = check(bytes);
    assert.equal(v.ok, protocDecode(bytes).ok, `bit ${bit}: ${v.error ? describeProblem(v.error) : 'accepted'}`);
    let printed = true;
    try { printText(bytes); } catch { printed = false; }
    assert.equal(printed, v.ok, `bit ${bit}: printer and walk agree`);
    if (!v.ok) refused++;
  }
  assert.ok(refused > 0, 'some flips are refused, or the test shows little');
});

test('with a window, payloads of skipped bytes fields are never loaded', () => {
  const weights = float32Bytes(Array.from({ length: 64 }, (_, i) => i));
  const bytes = encodeSavedModel(savedModel([metaGraph({ tags: ['serve'], nodes: [constNode('w', 'DT_FLOAT', [64], weights)], signatures: {} })]));
  // minSkip 1: every bytes and unknown payload counts as big here.
  const loads: Array<[number, number]> = [];
  const skipped: Array<[number, number]> = [];
  const v = validateWire(bytes, SAVED_MODEL, {
    window: { load: (pos, end) => { loads.push([pos, end]); return Math.min(bytes.length, Math.max(end, pos + 16)); } },
    minSkip: 1,
    onSkip: (s, e) => skipped.push([s, e]),
  });
  assert.ok(v.ok);
  assert.ok(loads.length > 0);
  // The loader was asked for positions in increasing order: the walk reads the file front to back.
  for (let i = 1; i < loads.length; i++) assert.ok(loads[i][0] >= loads[i - 1][0]);
  assert.ok(skipped.some(([st, e]) => e - st === weights.length), 'tensor_content was skipped');
  for (const [s, e] of skipped) assert.ok(!loads.some(([p]) => p > s && p < e), `no read starts inside the skipped payload [${s}, ${e})`);
});
