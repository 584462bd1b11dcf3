// Verify a V2 checkpoint's data shards as TensorFlow's restore would, without restoring: every
// entry's range against its shard's length (a stat per shard, cheap enough for every check), and,
// when asked, every entry's bytes against its size and masked CRC32C (reads every shard).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointError } from './checkpointError';
import { BundleEntry, CheckpointIndex, shardFileName } from './checkpointIndex';
import { crc32cExtend, unmaskCrc } from './crc32c';
import { dtypeByteSize, TensorName } from '../dtype';
import { elementCount, tensorChecksum } from './stringTensor';

/** One entry TensorFlow would refuse to restore. */
export interface EntryFault {
  readonly name: TensorName;
  /** The data shard's file name (`variables.data-00000-of-00001`). */
  readonly shard: string;
  /** What is wrong, without the tensor's name. */
  readonly message: string;
}

const DEFAULT_PREFIX = 'variables';
// Fixed-size tensors are checksummed in chunks: a variable can be gigabytes.
const CHUNK = 8 << 20;

/** Entries with data whose [offset, offset + size) runs past the end of their shard. Missing shards are skipped (variables-missing reports them). */
export function shardLengthFaults(variablesDir: string, index: CheckpointIndex, prefix = DEFAULT_PREFIX): EntryFault[] {
  const faults: EntryFault[] = [];
  for (const [shard, entries] of byShard(index, prefix)) {
    const size = fs.statSync(path.join(variablesDir, shard), { throwIfNoEntry: false })?.size;
    if (size === undefined) continue;
    for (const e of entries) {
      const fault = rangeFault(e, size);
      if (fault) faults.push({ name: e.name, shard, message: fault });
    }
  }
  return faults;
}

/** Read every shard and verify every entry (or those `only` keeps): range, size against dtype and shape, checksum. */
export function verifyCheckpointData(variablesDir: string, index: CheckpointIndex, prefix = DEFAULT_PREFIX, only?: (e: BundleEntry) => boolean): EntryFault[] {
  const faults: EntryFault[] = [];
  const bigEndian = index.header.endianness === 'BIG';
  for (const [shard, entries] of byShard(index, prefix, only)) {
    const file = path.join(variablesDir, shard);
    if (!fs.existsSync(file)) continue;
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      faults.push({ name: entries[0].name, shard, message: `the shard cannot be opened (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      continue;
    }
    try {
      const size = fs.fstatSync(fd).size;
      for (const e of entries) {
        const message = entryFault(fd, size, e, bigEndian);
        if (message) faults.push({ name: e.name, shard, message });
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return faults;
}

/** Entries that hold data, grouped by shard file, each group in offset order (sequential reads). */
function byShard(index: CheckpointIndex, prefix: string, only?: (e: BundleEntry) => boolean): Map<string, BundleEntry[]> {
  const groups = new Map<string, BundleEntry[]>();
  for (const e of index.entries) {
    if (e.slices > 0) continue; // a partitioned variable's metadata: its slices are entries of their own
    if (only && !only(e)) continue;
    const shard = shardFileName(prefix, e.shardId, index.header.numShards);
    const list = groups.get(shard);
    if (list) list.push(e);
    else groups.set(shard, [e]);
  }
  for (const list of groups.values()) list.sort((a, b) => a.offset - b.offset);
  return groups;
}

function rangeFault(e: BundleEntry, shardSize: number): string | undefined {
  if (e.offset + e.size <= shardSize) return undefined;
  return `stored at bytes [${e.offset}, ${e.offset + e.size}) of a shard of ${shardSize} bytes`;
}

/** Why TensorFlow would refuse this entry, or undefined when it restores. */
function entryFault(fd: number, shardSize: number, e: BundleEntry, bigEndian: boolean): string | undefined {
  const range = rangeFault(e, shardSize);
  if (range) return range;
  try {
    const sizeProblem = sizeFault(e);
    if (sizeProblem) return sizeProblem;
    const actual = dtypeByteSize(e.dtype) === undefined ? variableSizeChecksum(fd, e, bigEndian) : streamedChecksum(fd, e);
    const stored = unmaskCrc(e.crc32c);
    return actual === stored ? undefined : `checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`;
  } catch (err) {
    if (err instanceof CheckpointError) return err.message;
    throw err;
  }
}

/** The size TensorFlow checks before reading: a fixed-size dtype's elements times their size. */
function sizeFault(e: BundleEntry): string | undefined {
  const elementSize = dtypeByteSize(e.dtype);
  if (elementSize === undefined) {
    return e.dtype === 'DT_STRING' || e.dtype === 'DT_VARIANT' ? undefined : `dtype ${e.dtype} cannot be read`;
  }
  const expected = elementCount(e.shape) * elementSize;
  return expected === e.size ? undefined : `stored size ${e.size} bytes, but ${e.dtype} [${e.shape.join(', ')}] takes ${expected}`;
}

function streamedChecksum(fd: number, e: BundleEntry): number {
  const buf = new Uint8Array(Math.min(CHUNK, e.size));
  let crc = 0;
  for (let done = 0; done < e.size;) {
    const want = Math.min(buf.length, e.size - done);
    readFully(fd, buf, want, e.offset + done);
    crc = crc32cExtend(crc, buf, 0, want);
    done += want;
  }
  return crc;
}

function variableSizeChecksum(fd: number, e: BundleEntry, bigEndian: boolean): number {
  const data = new Uint8Array(e.size);
  readFully(fd, data, e.size, e.offset);
  return tensorChecksum(e, data, bigEndian);
}

function readFully(fd: number, buf: Uint8Array, length: number, position: number): void {
  for (let done = 0; done < length;) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n <= 0) throw new CheckpointError('the shard ended early while reading');
    done += n;
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
