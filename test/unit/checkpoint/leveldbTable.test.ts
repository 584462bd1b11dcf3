import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, crc32cExtend, maskCrc } from '../../../server/src/core/checkpoint/crc32c';
import { TableEntry, TableError, buildTable, hasTableMagic, readTable } from '../../../server/src/core/checkpoint/leveldbTable';
import { snappyDecompress } from '../../../server/src/core/checkpoint/snappy';
import { firstDataBlock, randomBytes } from './corpusVariables';
import { mulberry32 } from '../../../server/src/core/prng';

const enc = new TextEncoder();
const dec = new TextDecoder();

function sampleEntries(n: number, seed: number): TableEntry[] {
  const rand = mulberry32(seed);
  const keys = new Set<string>();
  // Shared prefixes (as variable names have) exercise the prefix compression.
  while (keys.size < n) keys.add(`layer_${Math.floor(rand() * 50)}/w${Math.floor(rand() * 1000)}/.ATTRIBUTES/VALUE`);
  return [...keys].sort().map((k) => ({ key: enc.encode(k), value: randomBytes(rand, Math.floor(rand() * 40)) }));
}

function assertSameEntries(actual: TableEntry[], expected: TableEntry[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((e, i) => {
    assert.equal(dec.decode(e.key), dec.decode(expected[i].key));
    assert.deepEqual(Array.from(e.value), Array.from(expected[i].value));
  });
}

test('round trip: one block, many blocks, restart intervals, snappy or not', () => {
  const entries = sampleEntries(600, 1);
  for (const compress of [false, true]) {
    for (const blockSize of [262144, 4096, 256, 1]) {
      for (const restartInterval of [1, 16]) {
        const file = buildTable(entries, { compress, blockSize, restartInterval });
        assert.ok(hasTableMagic(file));
        assertSameEntries(readTable(file), entries);
      }
    }
  }
});

test('empty table and a table with the empty key', () => {
  assert.deepEqual(readTable(buildTable([])), []);
  const entries = [{ key: new Uint8Array(0), value: Uint8Array.of(1, 2) }, { key: enc.encode('a'), value: new Uint8Array(0) }];
  assertSameEntries(readTable(buildTable(entries)), entries);
});

test('uncompressed values are views into the file, not copies', () => {
  const file = buildTable(sampleEntries(20, 2));
  for (const e of readTable(file)) {
    assert.equal(e.value.buffer, file.buffer);
    assert.ok(e.value.byteOffset >= file.byteOffset && e.value.byteOffset + e.value.length <= file.byteOffset + file.length);
  }
});

test('layout: trailers with masked CRC over contents + type, 48-byte footer, magic', () => {
  const file = buildTable([{ key: enc.encode('k'), value: enc.encode('v') }]);
  // data block: entry (0, 1, 1, "k", "v") + restart [0] + count 1
  const block = Uint8Array.of(0, 1, 1, 0x6b, 0x76, 0, 0, 0, 0, 1, 0, 0, 0);
  assert.deepEqual(file.subarray(0, block.length), block);
  assert.equal(file[block.length], 0);
  const crc = maskCrc(crc32cExtend(crc32c(block), Uint8Array.of(0)));
  assert.equal(new DataView(file.buffer, file.byteOffset).getUint32(block.length + 1, true), crc);
  assert.deepEqual(Array.from(file.subarray(file.length - 8)), [0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb]);
});

test('compressed blocks are marked type 1 and hold snappy data; incompressible ones stay raw', () => {
  const repetitive = [{ key: enc.encode('x'), value: new Uint8Array(1000).fill(3) }];
  const file = buildTable(repetitive, { compress: true });
  const h = firstDataBlock(file);
  assert.equal(file[h.offset + h.size], 1, 'snappy type byte');
  assert.ok(h.size < 100, `compressed data block is ${h.size} bytes`);
  assert.equal(snappyDecompress(file.subarray(h.offset, h.offset + h.size)).length, 4 + 1 + 1000 + 8);
  assertSameEntries(readTable(file), repetitive);

  const random = [{ key: enc.encode('x'), value: randomBytes(mulberry32(3), 1000) }];
  const raw = buildTable(random, { compress: true });
  const r = firstDataBlock(raw);
  assert.equal(r.size, 4 + 1 + 1000 + 8);
  assert.equal(raw[r.offset + r.size], 0, 'incompressible block stored with type 0');
  assertSameEntries(readTable(raw), random);
});

test('corruption is reported as TableError', () => {
  const file = buildTable(sampleEntries(50, 4));
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['too short', file.subarray(0, 20), /too short/],
    ['bad magic', Uint8Array.of(...file.subarray(0, file.length - 1), 0), /magic/],
    ['checksum', flip(file, 10), /checksum mismatch/],
    ['truncated', file.subarray(10), /runs past|checksum|truncated/],
  ];
  for (const [what, bytes, re] of cases) {
    assert.throws(() => readTable(bytes), (e: unknown) => e instanceof TableError && re.test(e.message), what);
  }
});

function flip(b: Uint8Array, at: number): Uint8Array {
  const c = b.slice();
  c[at] ^= 0x10;
  return c;
}

test('writer rejects unsorted or duplicate keys', () => {
  assert.throws(() => buildTable([{ key: enc.encode('b'), value: new Uint8Array(0) }, { key: enc.encode('a'), value: new Uint8Array(0) }]));
  assert.throws(() => buildTable([{ key: enc.encode('a'), value: new Uint8Array(0) }, { key: enc.encode('a'), value: new Uint8Array(0) }]));
});
