// Corrupt corpus index files: truncated, bit-flipped, and bit-flipped with the block CRC fixed up
// (so the block parser, snappy decoder and proto decoding see the damage, not just the checksum).
// Every outcome must be a parsed index or one clean one-line CheckpointError, quickly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointIndex, missingShards, readCheckpointIndex, readTensorBytes } from '../../../server/src/core/checkpoint/checkpointIndex';
import { CheckpointError } from '../../../server/src/core/checkpoint/checkpointError';
import { crc32c, crc32cExtend, maskCrc } from '../../../server/src/core/checkpoint/crc32c';
import { buildTable, readTable } from '../../../server/src/core/checkpoint/leveldbTable';
import { corpusMissing } from '../../helpers/corpus';
import { corpusIndexDirs, firstDataBlock, randomBytes } from './corpusVariables';
import { mulberry32 } from '../../../server/src/core/prng';

interface Tally {
  parsed: number;
  rejected: number;
  reasons: Map<string, number>;
}

function attempt(bytes: Uint8Array, dir: string, tally: Tally, label: string): void {
  let index: CheckpointIndex;
  try {
    index = readCheckpointIndex(bytes);
  } catch (e) {
    expectClean(e, label, tally);
    return;
  }
  tally.parsed++;
  // A damaged index that still parses must not make reading tensors misbehave either.
  for (const entry of index.entries) {
    try {
      readTensorBytes(dir, index, entry.name);
    } catch (e) {
      expectClean(e, `${label} reading ${entry.name}`, tally);
    }
  }
}

function expectClean(e: unknown, label: string, tally: Tally): void {
  assert.ok(e instanceof CheckpointError, `${label}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
  assert.ok(!e.message.includes('\n') && e.message.length < 400, `${label}: ${e.message}`);
  tally.rejected++;
  const reason = e.message.replace(/0x[0-9a-f]+/g, 'X').replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 90);
  tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
}

/** Recompute the first data block's trailer CRC after damaging its contents. */
function fixCrc(file: Uint8Array, block: { offset: number; size: number }): void {
  const end = block.offset + block.size;
  const crc = maskCrc(crc32cExtend(crc32c(file, block.offset, end), file, end, end + 1));
  new DataView(file.buffer, file.byteOffset).setUint32(end + 1, crc, true);
}

test('corruption fuzz on the corpus index files: only clean Errors, no hang', { skip: corpusMissing() }, (t) => {
  const files = corpusIndexDirs().map(([name, dir]) => ({ name, dir, bytes: new Uint8Array(fs.readFileSync(path.join(dir, 'variables.index'))) }));
  const tally: Tally = { parsed: 0, rejected: 0, reasons: new Map() };
  const rand = mulberry32(2024);
  const start = Date.now();
  let cases = 0;
  for (const f of files) {
    // Truncations: a spread of lengths per file, all of them for small files.
    const step = Math.max(1, Math.floor(f.bytes.length / 120));
    for (let len = 0; len < f.bytes.length; len += step, cases++) attempt(f.bytes.subarray(0, len), f.dir, tally, `${f.name} cut at ${len}`);
  }
  for (let i = 0; i < 3000; i++, cases++) {
    const f = files[Math.floor(rand() * files.length)];
    const bytes = f.bytes.slice();
    const block = firstDataBlock(f.bytes);
    const fix = i % 2 === 1;
    const [lo, hi] = fix ? [block.offset, block.offset + block.size] : [0, bytes.length];
    const flips = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < flips; k++) bytes[lo + Math.floor(rand() * (hi - lo))] ^= 1 << Math.floor(rand() * 8);
    if (fix) fixCrc(bytes, block);
    attempt(bytes, f.dir, tally, `${f.name} flip #${i}${fix ? ' (CRC fixed)' : ''}`);
  }
  const ms = Date.now() - start;
  t.diagnostic(`${cases} corrupted files in ${ms} ms: ${tally.parsed} still parsed, ${tally.rejected} clean errors`);
  for (const [reason, n] of [...tally.reasons].sort((a, b) => b[1] - a[1]).slice(0, 40)) t.diagnostic(`  ${n} × ${reason}`);
  assert.ok(tally.rejected > cases / 2, 'most damage is detected');
  assert.ok(tally.reasons.size > 10, 'damage reaches many different checks');
  assert.ok(ms < 20000, `took ${ms} ms`);
});

test('proto-level fuzz: damaged entry values in an intact table', { skip: corpusMissing() }, (t) => {
  const tables = corpusIndexDirs().map(([name, dir]) => ({ name, dir, entries: readTable(new Uint8Array(fs.readFileSync(path.join(dir, 'variables.index')))) }));
  const tally: Tally = { parsed: 0, rejected: 0, reasons: new Map() };
  const rand = mulberry32(77);
  const start = Date.now();
  for (let i = 0; i < 2000; i++) {
    const tb = tables[Math.floor(rand() * tables.length)];
    const victim = Math.floor(rand() * tb.entries.length);
    const entries = tb.entries.map((e, k) => (k === victim ? { key: e.key, value: mutate(e.value, rand) } : e));
    attempt(buildTable(entries), tb.dir, tally, `${tb.name} entry ${victim} mutation #${i}`);
  }
  const ms = Date.now() - start;
  t.diagnostic(`2000 damaged entries in ${ms} ms: ${tally.parsed} still parsed, ${tally.rejected} clean errors`);
  for (const [reason, n] of [...tally.reasons].sort((a, b) => b[1] - a[1]).slice(0, 20)) t.diagnostic(`  ${n} × ${reason}`);
  assert.ok(ms < 20000, `took ${ms} ms`);
});

function mutate(value: Uint8Array, rand: () => number): Uint8Array {
  const v = value.slice();
  switch (Math.floor(rand() * 4)) {
    case 0: // bit flips
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) if (v.length) v[Math.floor(rand() * v.length)] ^= 1 << Math.floor(rand() * 8);
      return v;
    case 1: // truncation
      return v.subarray(0, Math.floor(rand() * v.length));
    case 2: // a random field appended: huge varints, long lengths, odd wire types
      return Uint8Array.of(...v, Math.floor(rand() * 64), ...Array.from({ length: 9 }, () => 0xff), 0x01);
    default: // random bytes spliced in
      return Uint8Array.of(...v.subarray(0, 2), ...randomBytes(rand, 1 + Math.floor(rand() * 12)), ...v.subarray(2));
  }
}

test('absurd header values: shard counts that are huge, negative or zero', { skip: corpusMissing() }, () => {
  const [, dir] = corpusIndexDirs()[0];
  const entries = readTable(new Uint8Array(fs.readFileSync(path.join(dir, 'variables.index'))));
  const varint = (v: bigint): number[] => {
    const out: number[] = [];
    let u = BigInt.asUintN(64, v);
    while (u >= 0x80n) {
      out.push(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    return [...out, Number(u)];
  };
  const withHeader = (n: bigint): Uint8Array => buildTable([{ key: entries[0].key, value: Uint8Array.of(0x08, ...varint(n)) }, ...entries.slice(1)]);
  // 2^40 is not an int32: like protobuf, only its low 32 bits (0) are kept.
  for (const n of [0n, -1n, 1n << 40n]) {
    assert.throws(() => readCheckpointIndex(withHeader(n)), (e: unknown) => e instanceof CheckpointError && /shard/.test(e.message), `num_shards ${n}`);
  }
  // A huge count is legal on its face; nothing may be sized by it.
  const start = Date.now();
  const index = readCheckpointIndex(withHeader(2147483647n));
  assert.deepEqual(missingShards(dir, index), ['variables.data-00000-of-2147483647']);
  assert.throws(() => readTensorBytes(dir, index, index.entries[0].name), CheckpointError);
  assert.ok(Date.now() - start < 1000);
});
