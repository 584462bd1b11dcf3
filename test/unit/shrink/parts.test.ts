// The small parts of shrink: float16 rounding (IEEE 754 half, nearest even, as TensorFlow casts),
// per-channel 8-bit quantization and its error bound, the 2 GB refusal, the answer comparison.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floatToHalf } from '../../../server/src/core/shrink/halfFloat';
import { quantize } from '../../../server/src/core/shrink/quantize';
import { tooBigForOneGraph } from '../../../server/src/core/shrink/protoLimit';
import { diffOutput } from '../../../server/src/core/shrink/answerDiff';
import { halfToFloat } from '../../../server/src/core/smoke';
import { BundleEntry, CheckpointIndex } from '../../../server/src/core/checkpoint';
import { bytes } from '../../../server/src/core/dtype';

test('float16: exact values, rounding to nearest even, overflow, subnormals, NaN', () => {
  const cases: Array<[number, number]> = [
    [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [65520, 0x7c00], [1e9, 0x7c00],
    [2 ** -24, 0x0001], [2 ** -14, 0x0400], [2 ** -26, 0x0000], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [0.1, 0x2e66],
    [Infinity, 0x7c00], [-Infinity, 0xfc00],
  ];
  for (const [v, h] of cases) assert.equal(floatToHalf(v), h, `${v}`);
  assert.ok(Number.isNaN(halfToFloat(floatToHalf(NaN))));
  // Round trip through the runtime's own decoder: within half an ulp (2^-11 relative) over the normal range.
  for (let v = -1000; v <= 1000; v += 0.37) {
    const back = halfToFloat(floatToHalf(Math.fround(v)));
    assert.ok(Math.abs(back - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25, `${v} → ${back}`);
  }
});

test('8-bit: one scale and offset per output channel (last dimension), error at most half a step', () => {
  const shape = [3, 2];
  const values = Float32Array.from([0, 100, 0.5, -100, 1, 0]);
  const q = quantize(new Uint8Array(values.buffer), shape);
  assert.equal(q.channels, 2);
  assert.deepEqual([...q.offset], [0, -100]);
  assert.deepEqual([...q.scale].map((s) => Math.fround(s)), [Math.fround(1 / 255), Math.fround(200 / 255)]);
  values.forEach((v, i) => {
    const c = i % 2;
    assert.ok(Math.abs(q.q[i] * q.scale[c] + q.offset[c] - v) <= q.scale[c] / 2 + 1e-6, `${i}`);
  });
  const flat = quantize(new Uint8Array(Float32Array.from([2, 2, 2]).buffer), [3]);
  assert.deepEqual([flat.channels, [...flat.q], [...flat.scale], [...flat.offset]], [1, [0, 0, 0], [1], [2]]);
});

test('weights over 2 GB as stored are refused with the reason; float16 halves what counts', () => {
  const entry = (name: string, dtype: string, size: number): BundleEntry => ({ name, dtype, shape: [], shardId: 0, offset: 0, size: bytes(size), crc32c: 0, slices: 0 });
  const index: CheckpointIndex = { header: { numShards: 1, endianness: 'LITTLE', version: { producer: 1, minConsumer: 0, badConsumers: [] } }, entries: [entry('w', 'DT_FLOAT', 3e9), entry('slot', 'DT_FLOAT', 3e9)] };
  const model = { variables: { kind: 'v2' as const, index, missingShards: [] } };
  assert.match(tooBigForOneGraph(model, 'keep', new Set(['w'])) ?? '', /about 3\.00 GB as keep, over the 2 GB limit of one GraphDef/);
  assert.equal(tooBigForOneGraph(model, 'float16', new Set(['w'])), undefined);
  assert.match(tooBigForOneGraph(model, 'float16') ?? '', /3\.00 GB as float16/);
});

test('answers: absolute and relative differences, tolerance of the range, top-class agreement', () => {
  const out = (values: number[]) => ({ key: 'p', dtype: 'DT_FLOAT', shape: [2, 3], values });
  const d = diffOutput('s', out([0.1, 0.7, 0.2, 0.5, 0.3, 0.2]), out([0.1, 0.69, 0.21, 0.3, 0.5, 0.2]), 0.01);
  assert.ok(Math.abs(d.maxAbs - 0.2) < 1e-9);
  assert.ok(Math.abs(d.range - 0.6) < 1e-9);
  assert.ok(Math.abs(d.allowed - 0.006) < 1e-9);
  assert.deepEqual(d.topClass, { agree: 1, rows: 2 });
  assert.equal(d.withinTolerance, false);
  const shapes = diffOutput('s', out([1, 2, 3, 4, 5, 6]), { key: 'p', dtype: 'DT_FLOAT', shape: [6], values: [1, 2, 3, 4, 5, 6] }, 0.01);
  assert.equal(shapes.mismatch, 'shape [2, 3] became [6]');
});
