import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnappyError, snappyCompress, snappyDecompress } from '../../../server/src/core/checkpoint/snappy';
import { randomBytes } from './corpusVariables';
import { mulberry32 } from '../../../server/src/core/prng';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

test('decodes hand-made streams with every element kind', () => {
  // literal "abcd" + copy-1 (len 8, offset 4)
  assert.equal(text(snappyDecompress(Uint8Array.of(12, 0x0c, ...ascii('abcd'), 0x11, 0x04))), 'abcdabcdabcd');
  // literal "xyz" + copy-2 (len 6, offset 3): an overlapping copy repeats the pattern
  assert.equal(text(snappyDecompress(Uint8Array.of(9, 0x08, ...ascii('xyz'), 0x16, 0x03, 0x00))), 'xyzxyzxyz');
  // literal "xyz" + copy-4 (len 6, offset 3)
  assert.equal(text(snappyDecompress(Uint8Array.of(9, 0x08, ...ascii('xyz'), 0x17, 0x03, 0, 0, 0))), 'xyzxyzxyz');
  // literal whose length (100) is in one extra byte (tag 60)
  const hundred = 'q'.repeat(100);
  assert.equal(text(snappyDecompress(Uint8Array.of(100, 0xf0, 99, ...ascii(hundred)))), hundred);
  // literal with a two-byte length (tag 61): 300 bytes
  const long = new Uint8Array(300).fill(7);
  assert.deepEqual(snappyDecompress(Uint8Array.of(0xac, 0x02, 0xf4, 0x2b, 0x01, ...long)), long);
  // copy-1 with a high offset bit: offset 0x104 = 260
  const base = Uint8Array.from({ length: 260 }, (_, i) => i & 0xff);
  const stream = Uint8Array.of(0x88, 0x02, 0xf4, 0x03, 0x01, ...base, 0x01 | (0 << 2) | (1 << 5), 0x04);
  assert.deepEqual(snappyDecompress(stream), Uint8Array.of(...base, 0, 1, 2, 3));
  assert.deepEqual(snappyDecompress(Uint8Array.of(0)), new Uint8Array(0));
});

test('compress → decompress round trip, and compression where there is repetition', () => {
  const rand = mulberry32(7);
  const inputs: Uint8Array[] = [new Uint8Array(0), Uint8Array.of(1), Uint8Array.of(1, 2, 3), new Uint8Array(5).fill(9)];
  for (const n of [4, 17, 60, 61, 255, 256, 257, 4096, 70000, 200000]) {
    inputs.push(randomBytes(rand, n));
    inputs.push(Uint8Array.from({ length: n }, (_, i) => (i % 13) * 7));
    inputs.push(Uint8Array.from({ length: n }, () => (rand() < 0.9 ? 65 : Math.floor(rand() * 256))));
  }
  for (const input of inputs) {
    const packed = snappyCompress(input);
    assert.ok(packed.length <= 32 + input.length + input.length / 6, `worst-case size for ${input.length}`);
    assert.deepEqual(snappyDecompress(packed), input, `round trip of ${input.length} bytes`);
  }
  const repetitive = new TextEncoder().encode('layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE '.repeat(2000));
  const packed = snappyCompress(repetitive);
  assert.ok(packed.length < repetitive.length / 10, `repetitive text: ${packed.length} of ${repetitive.length}`);
});

const malformed: Array<[string, number[]]> = [
  ['empty input', []],
  ['truncated length header', [0x80]],
  ['length header over 5 bytes', [0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  ['length over 32 bits', [0xff, 0xff, 0xff, 0xff, 0x1f]],
  ['declares more than the input can expand to', [0xe8, 0x07, 0x00, 0x61]],
  ['literal runs past the input', [3, 0x08, 0x61]],
  ['literal length byte missing', [0x40, 0xf0]],
  ['literal overflows declared length', [2, 0x0c, ...ascii('abcd')]],
  ['copy offset 0', [8, 0x0c, ...ascii('abcd'), 0x01, 0x00]],
  ['copy before output start', [8, 0x0c, ...ascii('abcd'), 0x01, 0x05]],
  ['copy overflows declared length', [6, 0x0c, ...ascii('abcd'), 0x01, 0x04]],
  ['copy-1 truncated', [8, 0x0c, ...ascii('abcd'), 0x01]],
  ['copy-2 truncated', [8, 0x0c, ...ascii('abcd'), 0x02, 0x01]],
  ['copy-4 truncated', [8, 0x0c, ...ascii('abcd'), 0x03, 0x01, 0, 0]],
  ['output shorter than declared', [5, 0x0c, ...ascii('abcd')]],
];

for (const [what, bytes] of malformed) {
  test(`malformed snappy: ${what} → SnappyError`, () => {
    assert.throws(() => snappyDecompress(Uint8Array.from(bytes)), (e: unknown) => e instanceof SnappyError && !e.message.includes('\n'));
  });
}

test('fuzz: random and mutated streams only ever throw SnappyError', () => {
  const rand = mulberry32(11);
  const valid = snappyCompress(new TextEncoder().encode('the quick brown fox jumps over the lazy dog; the quick brown fox again'.repeat(3)));
  let thrown = 0;
  const start = Date.now();
  for (let i = 0; i < 4000; i++) {
    let input: Uint8Array;
    if (i % 2 === 0) {
      input = randomBytes(rand, Math.floor(rand() * 64));
    } else {
      input = valid.slice(0, Math.floor(rand() * (valid.length + 1)));
      for (let k = 0; k < 3; k++) if (input.length) input[Math.floor(rand() * input.length)] ^= 1 << Math.floor(rand() * 8);
    }
    try {
      const out = snappyDecompress(input);
      assert.ok(out.length <= input.length * 22);
    } catch (e) {
      assert.ok(e instanceof SnappyError, `case ${i}: ${String(e)}`);
      thrown++;
    }
  }
  assert.ok(thrown > 1000, `most garbage is rejected (${thrown})`);
  assert.ok(Date.now() - start < 10000);
});
