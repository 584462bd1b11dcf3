// tf.Example parsing on the host against TensorFlow's documented ParseExample semantics, with
// expected values worked out by hand; the Example codec against protoc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { decodeExample, encodeExample, FeatureValues } from '../../../../server/src/core/smoke/example/exampleProto';
import { ExampleError, parseExamples } from '../../../../server/src/core/smoke/example/parseExamples';
import { DenseSpec, ParseConfig } from '../../../../server/src/core/smoke/example/parseConfig';
import { protoDir } from '../../../../server/src/core/protobuf/schema';
import { protocMissing } from '../../../helpers/protoc';

const bytes = (...s: string[]): FeatureValues => ({ kind: 'bytes', values: s.map((x) => new TextEncoder().encode(x)) });
const floats = (...v: number[]): FeatureValues => ({ kind: 'float', values: v });
const ints = (...v: number[]): FeatureValues => ({ kind: 'int64', values: v });
const example = (f: Record<string, FeatureValues>): Uint8Array => encodeExample(new Map(Object.entries(f)));
const batch = (...examples: Uint8Array[]): { shape: number[]; values: Uint8Array[] } => ({ shape: [examples.length], values: examples });
const text = (v: unknown): unknown => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v);

function config(part: Partial<ParseConfig>): ParseConfig {
  return { op: 'ParseExampleV2', sparse: [], dense: [], ragged: [], ...part };
}

function protoc(mode: 'encode' | 'decode', input: Uint8Array | string): Buffer {
  const r = spawnSync('protoc', [`-I${protoDir()}`, `--${mode}=tensorflow.Example`, 'tensorflow/core/example/example.proto'], { input, cwd: protoDir() });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

test('an Example protoc encoded decodes to its features, and ours encodes what protoc prints back', { skip: protocMissing() }, () => {
  const wire = protoc('encode', 'features { feature { key: "age" value { int64_list { value: [3, -5] } } } feature { key: "w" value { float_list { value: 1.5 } } } feature { key: "s" value { bytes_list { value: "ab" } } } feature { key: "e" value { } } }');
  const f = decodeExample(new Uint8Array(wire));
  assert.deepEqual(f.get('age'), ints(3, -5));
  assert.deepEqual(f.get('w'), floats(1.5));
  assert.deepEqual(f.get('s'), bytes('ab'));
  assert.deepEqual(f.get('e'), { kind: 'none' });
  const ours = example({ x: floats(0.25, 2), n: ints(-1, 2 ** 40) });
  const printed = protoc('decode', ours).toString();
  assert.match(printed, /key: "x"\s+value \{\s+float_list \{\s+value: 0\.25\s+value: 2\s+\}/);
  assert.match(printed, /key: "n"\s+value \{\s+int64_list \{\s+value: -1\s+value: 1099511627776\s+\}/);
});

test('dense features: values in example order, defaults where a feature is missing', () => {
  const x: DenseSpec = { key: 'x', dtype: 'DT_FLOAT', shape: [2], defaults: [0.5, -1] };
  const id: DenseSpec = { key: 'id', dtype: 'DT_INT64', shape: [], defaults: [7] };
  const word: DenseSpec = { key: 'word', dtype: 'DT_STRING', shape: [1], defaults: [new TextEncoder().encode('none')] };
  const out = parseExamples(config({ dense: [x, id, word] }), batch(example({ x: floats(1, 2), id: ints(3), word: bytes('taxi'), other: floats(9) }), example({})));
  assert.deepEqual(out[0], { dtype: 'DT_FLOAT', shape: [2, 2], values: [1, 2, 0.5, -1] });
  assert.deepEqual(out[1], { dtype: 'DT_INT64', shape: [2], values: [3, 7] });
  assert.deepEqual(out[2].shape, [2, 1]);
  assert.deepEqual(out[2].values.map(text), ['taxi', 'none']);
});

test('one serialized Example (a scalar) gives outputs without a batch dimension', () => {
  const x: DenseSpec = { key: 'x', dtype: 'DT_FLOAT', shape: [3], defaults: [] };
  const out = parseExamples(config({ op: 'ParseSingleExample', dense: [x], sparse: [{ key: 's', dtype: 'DT_INT64' }] }), { shape: [], values: [example({ x: floats(1, 2, 3), s: ints(4, 5) })] });
  assert.deepEqual(out[0], { dtype: 'DT_INT64', shape: [2, 1], values: [0, 1] });
  assert.deepEqual(out[1], { dtype: 'DT_INT64', shape: [2], values: [4, 5] });
  assert.deepEqual(out[2], { dtype: 'DT_INT64', shape: [1], values: [2] });
  assert.deepEqual(out[3], { dtype: 'DT_FLOAT', shape: [3], values: [1, 2, 3] });
});

test('a missing required dense feature is an error naming it, as TensorFlow words it', () => {
  const x: DenseSpec = { key: 'trip_miles', dtype: 'DT_FLOAT', shape: [1], defaults: [] };
  assert.throws(() => parseExamples(config({ dense: [x] }), batch(example({ trip_miles: floats(2) }), example({ fare: floats(1) }))),
    (e: Error) => e instanceof ExampleError && e.message === 'Name: <unknown>, Feature: trip_miles (data type: float) is required but could not be found.');
  // A feature with no list set counts as missing.
  assert.throws(() => parseExamples(config({ dense: [x] }), batch(example({ trip_miles: { kind: 'none' } }))), /Feature: trip_miles \(data type: float\) is required/);
});

test('sparse features: indices [example, position], values, dense_shape [batch, longest]', () => {
  const out = parseExamples(config({ sparse: [{ key: 'tags', dtype: 'DT_STRING' }, { key: 'ids', dtype: 'DT_INT64' }] }),
    batch(example({ tags: bytes('a', 'b'), ids: ints(10) }), example({}), example({ tags: bytes('c'), ids: ints(11, 12, 13) })));
  // Outputs: indices × 2, values × 2, shapes × 2.
  assert.deepEqual(out[0], { dtype: 'DT_INT64', shape: [3, 2], values: [0, 0, 0, 1, 2, 0] });
  assert.deepEqual(out[1], { dtype: 'DT_INT64', shape: [4, 2], values: [0, 0, 2, 0, 2, 1, 2, 2] });
  assert.deepEqual(out[2].values.map(text), ['a', 'b', 'c']);
  assert.deepEqual(out[3], { dtype: 'DT_INT64', shape: [4], values: [10, 11, 12, 13] });
  assert.deepEqual(out[4], { dtype: 'DT_INT64', shape: [2], values: [3, 2] });
  assert.deepEqual(out[5], { dtype: 'DT_INT64', shape: [2], values: [3, 3] });
});

test('repeated values: a fixed shape takes exactly its element count; variable length pads to the longest', () => {
  const fixed: DenseSpec = { key: 'v', dtype: 'DT_FLOAT', shape: [2, 2], defaults: [0, 0, 0, 0] };
  assert.deepEqual(parseExamples(config({ dense: [fixed] }), batch(example({ v: floats(1, 2, 3, 4) })))[0], { dtype: 'DT_FLOAT', shape: [1, 2, 2], values: [1, 2, 3, 4] });
  assert.throws(() => parseExamples(config({ dense: [fixed] }), batch(example({ v: floats(1, 2, 3, 4) }), example({ v: floats(1, 2, 3) }))),
    (e: Error) => e.message === 'Name: <unknown>, Key: v, Index: 1.  Number of float values != expected.  Values size: 3 but output shape: [2,2]');
  const varlen: DenseSpec = { key: 'p', dtype: 'DT_INT64', shape: [-1, 2], defaults: [-1] };
  const out = parseExamples(config({ dense: [varlen] }), batch(example({ p: ints(1, 2, 3, 4) }), example({}), example({ p: ints(5, 6) })));
  assert.deepEqual(out[0], { dtype: 'DT_INT64', shape: [3, 2, 2], values: [1, 2, 3, 4, -1, -1, -1, -1, 5, 6, -1, -1] });
  assert.throws(() => parseExamples(config({ dense: [varlen] }), batch(example({ p: ints(1, 2, 3) }))),
    (e: Error) => e.message === 'Name: <unknown>, Key: p, Index: 0.  Number of int64 values is not a multiple of stride length. Saw 3 values but output shape is: [?,2]');
});

test('wrong types: dense, variable-length and sparse features each say what was expected', () => {
  const names = { shape: [2], values: [example({ fare: floats(1) }), example({ fare: ints(1), tag: floats(2) })], names: ['first', ''] };
  assert.throws(() => parseExamples(config({ dense: [{ key: 'fare', dtype: 'DT_FLOAT', shape: [], defaults: [0] }] }), names),
    (e: Error) => e.message === 'Name: <unknown>, Key: fare, Index: 1.  Data types don\'t match. Data type: int64 but expected type: float');
  assert.throws(() => parseExamples(config({ dense: [{ key: 'fare', dtype: 'DT_INT64', shape: [], defaults: [0] }] }), names),
    (e: Error) => e.message === 'Name: first, Key: fare, Index: 0.  Data types don\'t match. Data type: float but expected type: int64');
  assert.throws(() => parseExamples(config({ dense: [{ key: 'fare', dtype: 'DT_STRING', shape: [-1], defaults: [] }] }), names),
    (e: Error) => e.message === 'Name: first, Key: fare, Index: 0.  Data types don\'t match. Expected type: string');
  assert.throws(() => parseExamples(config({ sparse: [{ key: 'tag', dtype: 'DT_STRING' }] }), names),
    (e: Error) => e.message === 'Name: <unknown>, Key: tag, Index: 1.  Data types don\'t match. Expected type: string, Actual type: float');
});

test('ragged features: values and row splits of the split dtype', () => {
  const out = parseExamples(config({ ragged: [{ key: 'r', dtype: 'DT_FLOAT', splitsDtype: 'DT_INT32' }] }), batch(example({ r: floats(1, 2) }), example({}), example({ r: floats(3) })));
  assert.deepEqual(out[0], { dtype: 'DT_FLOAT', shape: [3], values: [1, 2, 3] });
  assert.deepEqual(out[1], { dtype: 'DT_INT32', shape: [4], values: [0, 2, 2, 3] });
});

test('bytes that are not a tf.Example are refused with the example index', () => {
  const x: DenseSpec = { key: 'x', dtype: 'DT_FLOAT', shape: [], defaults: [0] };
  assert.throws(() => parseExamples(config({ dense: [x] }), batch(example({}), new TextEncoder().encode('\xffnot a proto'))),
    (e: Error) => e instanceof ExampleError && /^Could not parse example input, value: '.*' \(serialized Example 1 is not a tf.Example\)$/.test(e.message));
});

test('a feature with more values than a call takes arguments parses (no spread of its values)', () => {
  const many = Array.from({ length: 300_000 }, (_, i) => i % 7);
  const out = parseExamples(config({ dense: [{ key: 'v', dtype: 'DT_FLOAT', shape: [-1], defaults: [0] }], sparse: [{ key: 'v', dtype: 'DT_FLOAT' }] }), batch(example({ v: { kind: 'float', values: many } })));
  assert.deepEqual(out[3].shape, [1, 300_000]);
  assert.equal(out[3].values[299_999], 299_999 % 7);
  assert.deepEqual(out[2].values, [1, 300_000]);
});
