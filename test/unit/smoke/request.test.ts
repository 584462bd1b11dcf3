// Requests in the service's format: parsing, checking against a signature (each kind of bad
// request gets an error message, never a crash), and synthesizing one from the signature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Signature, TensorSpec, MetaGraph } from '../../../server/src/core/savedmodel/savedModel';
import { parseRequestText, validateRequest, saveRequest, ParsedRequest } from '../../../server/src/core/smoke/request/request';
import { synthesizeRequest } from '../../../server/src/core/smoke/request/synthesize';
import { dtypeKind } from '../../../server/src/core/smoke/request/hostTensor';

function spec(key: string, dtype: string, dims: number[] | undefined): TensorSpec {
  return { key, name: `${key}:0`, dtype, shape: { dims }, encoding: 'name', path: [] };
}

function sig(...inputs: TensorSpec[]): Signature {
  return { key: 'serving_default', method: 'tensorflow/serving/predict', inputs, outputs: [spec('y', 'DT_FLOAT', [-1])], path: [] };
}

function check(text: string, s: Signature): { ok: true; value: ParsedRequest } | { ok: false; error: string } {
  const body = parseRequestText(text);
  if (!body.ok) return body;
  return validateRequest(body.value, s);
}

function ok(text: string, s: Signature): ParsedRequest {
  const r = check(text, s);
  if (!r.ok) assert.fail(r.error);
  return r.value;
}

function error(text: string, s: Signature): string {
  const r = check(text, s);
  assert.equal(r.ok, false, `expected an error for ${text}`);
  return r.ok ? '' : r.error;
}

const one = sig(spec('x', 'DT_FLOAT', [-1, 2]));
const two = sig(spec('a', 'DT_FLOAT', [-1]), spec('b', 'DT_INT64', [-1, 3]));

test('row format: bare values for a single-input signature stack along a batch dimension', () => {
  const r = ok('{"instances": [[1, 2], [3, 4.5], [-1, 0]]}', one);
  assert.equal(r.format, 'row');
  assert.equal(r.batch, 3);
  assert.deepEqual(r.inputs.x.shape, [3, 2]);
  assert.deepEqual(r.inputs.x.values, [1, 2, 3, 4.5, -1, 0]);
  assert.equal(r.signatureName, undefined);
});

test('row format: objects keyed by input name, and signature_name is kept', () => {
  const r = ok('{"signature_name": "serving_default", "instances": [{"a": 1.5, "b": [1, 2, 3]}, {"a": 2, "b": [4, 5, 6]}]}', two);
  assert.equal(r.signatureName, 'serving_default');
  assert.deepEqual(r.inputs.a.shape, [2]);
  assert.deepEqual(r.inputs.b.shape, [2, 3]);
  assert.deepEqual(r.inputs.b.values, [1, 2, 3, 4, 5, 6]);
});

test('JSON lines: one instance per line, blank lines ignored', () => {
  const r = ok('{"a": 1, "b": [1, 2, 3]}\n\n{"a": 2, "b": [4, 5, 6]}\n', two);
  assert.equal(r.batch, 2);
  assert.deepEqual(r.inputs.a.values, [1, 2]);
  const single = ok('[1, 2]\n[3, 4]', one);
  assert.deepEqual(single.inputs.x.shape, [2, 2]);
});

test('columnar format: whole tensors, keyed or bare for one input', () => {
  const r = ok('{"inputs": {"a": [1, 2], "b": [[1, 2, 3], [4, 5, 6]]}}', two);
  assert.equal(r.format, 'columnar');
  assert.equal(r.batch, 2);
  assert.deepEqual(r.inputs.b.shape, [2, 3]);
  const bare = ok('{"inputs": [[1, 2]]}', one);
  assert.deepEqual(bare.inputs.x.shape, [1, 2]);
});

test('b64 values decode to bytes for string inputs; plain strings are UTF-8', () => {
  const s = sig(spec('s', 'DT_STRING', [-1]));
  const r = ok('{"instances": [{"b64": "AAEC/w=="}, "héllo", {"b64": "aGk"}]}', s);
  assert.deepEqual([...(r.inputs.s.values[0] as Uint8Array)], [0, 1, 2, 255]);
  assert.equal(Buffer.from(r.inputs.s.values[1] as Uint8Array).toString(), 'héllo');
  assert.equal(Buffer.from(r.inputs.s.values[2] as Uint8Array).toString(), 'hi');
});

test('a scalar signature input takes one instance as a scalar', () => {
  const s = sig(spec('x', 'DT_FLOAT', []));
  assert.deepEqual(ok('{"instances": [2.5]}', s).inputs.x.shape, []);
  const many = ok('{"instances": [1, 2, 3]}', s);
  assert.deepEqual(many.inputs.x.shape, [3]);
  assert.match(many.notes[0], /scalar/);
});

test('bad request: an input name the signature does not have', () => {
  assert.match(error('{"instances": [{"a": 1, "c": [1, 2, 3]}]}', two), /unknown input 'c'.*inputs are: a, b/);
  assert.match(error('{"inputs": {"x": [[1, 2]], "z": 1}}', one), /unknown input 'z'/);
});

test('bad request: a missing input', () => {
  assert.match(error('{"instances": [{"a": 1}]}', two), /missing input 'b'/);
  assert.match(error('{"instances": [1]}', two), /must be an object keyed by input name/);
});

test('bad request: wrong shape', () => {
  assert.match(error('{"instances": [[1, 2, 3]]}', one), /input 'x' has shape \[1, 3\] but the signature expects \[-1, 2\]/);
  assert.match(error('{"instances": [[1, 2], [3]]}', one), /instance 1 has shape \[1\] but instance 0 has \[2\]/);
  assert.match(error('{"inputs": [[1, 2], [3]]}', one), /rectangular/);
  assert.match(error('{"instances": [{"a": 1, "b": [1, 2]}]}', two), /input 'b' has shape \[1, 2\]/);
});

test('bad request: undecodable b64', () => {
  const s = sig(spec('s', 'DT_STRING', [-1]));
  assert.match(error('{"instances": [{"b64": "not base64!"}]}', s), /unable to base64 decode/);
  assert.match(error('{"instances": [{"b64": "abcde"}]}', s), /unable to base64 decode/);
});

test('bad request: a string (or b64) for a float input, a float for an int input, out of range', () => {
  assert.match(error('{"instances": [["a", 2]]}', one), /"a" is not of the expected type DT_FLOAT/);
  assert.match(error('{"instances": [[{"b64": "AA=="}, 2]]}', one), /not of the expected type DT_FLOAT/);
  assert.match(error('{"instances": [{"a": 1, "b": [1, 2.5, 3]}]}', two), /2\.5 is not of the expected type DT_INT64/);
  const u8 = sig(spec('x', 'DT_UINT8', [-1]));
  assert.match(error('{"instances": [256]}', u8), /out of range for DT_UINT8/);
});

test('bad request: malformed bodies', () => {
  assert.match(error('', one), /empty/);
  assert.match(error('{"instances": [1]}\n{oops', one), /JSON parse error on line 2/);
  assert.match(error('{"instances": [], "inputs": []}', one), /only one of "instances" or "inputs"/);
  assert.match(error('{"instances": []}', one), /empty/);
  assert.match(error('{"instances": 3}', one), /must be a list/);
  assert.match(error('{"signature_name": "x"}', one), /missing "inputs" or "instances"/);
  assert.match(error('{"instances": [[1, 2]], "extra": 1}', one), /unknown key\(s\).*extra/);
});

function fakeMetaGraph(assets: Array<{ tensorName: string; filename: string }>): MetaGraph {
  return { assetFiles: assets } as unknown as MetaGraph;
}

test('synthesized requests have the right dtypes, the batch size and sensible values, and validate', () => {
  const s = sig(spec('f', 'DT_FLOAT', [-1, 4]), spec('i', 'DT_INT32', [-1, -1]), spec('u', 'DT_UINT8', [-1]), spec('b', 'DT_BOOL', [-1]));
  const { body, notes } = synthesizeRequest('/nonexistent', fakeMetaGraph([]), s, 5, 7);
  assert.equal(body.instances?.length, 5);
  const r = validateRequest(body, s);
  if (!r.ok) assert.fail(r.error);
  assert.deepEqual(r.value.inputs.f.shape, [5, 4]);
  assert.deepEqual(r.value.inputs.i.shape, [5, 1]);
  assert.ok(notes.some((n) => /unknown inner dimensions/.test(n)));
  for (const v of r.value.inputs.f.values) assert.ok(typeof v === 'number' && Number.isFinite(v) && v >= -1 && v < 1);
  for (const v of r.value.inputs.u.values) assert.ok(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 255);
  for (const v of r.value.inputs.b.values) assert.equal(typeof v, 'boolean');
  assert.equal(new Set(r.value.inputs.f.values).size > 1, true, 'random, not constant');
  const again = synthesizeRequest('/nonexistent', fakeMetaGraph([]), s, 5, 7);
  assert.deepEqual(again.body, body, 'the same seed gives the same request');
});

test('synthesized strings come from the vocabulary asset; save and reload round-trips', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sml-smoke-req-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'vocab.txt'), 'apple\nbanana\ncherry\n');
  const s = sig(spec('w', 'DT_STRING', [-1]), spec('n', 'DT_FLOAT', [-1]));
  const { body, notes } = synthesizeRequest(dir, fakeMetaGraph([{ tensorName: 'Const:0', filename: 'vocab.txt' }]), s, 8);
  assert.ok(notes.some((n) => /vocab\.txt/.test(n)));
  const r = validateRequest(body, s);
  if (!r.ok) assert.fail(r.error);
  for (const v of r.value.inputs.w.values) assert.ok(['apple', 'banana', 'cherry'].includes(Buffer.from(v as Uint8Array).toString()));
  const file = path.join(dir, 'request.json');
  saveRequest(file, body);
  const reread = ok(fs.readFileSync(file, 'utf8'), s);
  assert.deepEqual(reread.inputs.n.values, r.value.inputs.n.values);
  assert.equal(reread.signatureName, 'serving_default');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('synthesis: scalar inputs, fixed first dimensions and mixed ranks', () => {
  const scalar = sig(spec('x', 'DT_FLOAT', []));
  const s1 = synthesizeRequest('/none', fakeMetaGraph([]), scalar, 3);
  assert.equal(s1.body.instances?.length, 1);
  assert.ok(s1.notes.some((n) => /scalar/.test(n)));
  const mixed = sig(spec('x', 'DT_FLOAT', []), spec('y', 'DT_FLOAT', [-1, 2]));
  const s2 = synthesizeRequest('/none', fakeMetaGraph([]), mixed, 2);
  assert.ok(s2.body.inputs !== undefined, 'mixed ranks use the columnar form');
  assert.equal(validateRequest(s2.body, mixed).ok, true);
  assert.equal(dtypeKind('DT_RESOURCE'), 'unsupported');
  assert.throws(() => synthesizeRequest('/none', fakeMetaGraph([]), sig(spec('r', 'DT_RESOURCE', [-1])), 1), /cannot be sent/);
});
