// LevelDB's immutable sorted table (SSTable), as TensorFlow's tensorflow/core/lib/io/table reads and
// writes it: checkpoint indexes (variables.index) and legacy V1 checkpoints are such tables.
//
//   [data block + trailer]... [metaindex block + trailer] [index block + trailer] [footer: 48 bytes]
//
// A block is prefix-compressed entries (varint shared, non_shared, value_len; key suffix; value)
// followed by uint32 restart offsets and their count; its 5-byte trailer is the compression type
// and the masked CRC32C of the stored bytes plus that type byte. The footer holds the metaindex and
// index BlockHandles (varint64 offset, size), zero padding to 40 bytes, and the magic number.
// The index block maps a separator key (>= every key of a data block) to that block's handle.
import { ByteWriter } from '../protobuf';
import { crc32c, crc32cExtend, maskCrc, unmaskCrc } from './crc32c';
import { snappyCompress, snappyDecompress } from './snappy';

export class TableError extends Error {
  constructor(message: string) {
    super(`corrupt table: ${message}`);
  }
}

export interface TableEntry {
  readonly key: Uint8Array;
  /** A view into the file (or into the decompressed block), not a copy. */
  readonly value: Uint8Array;
}

interface BlockHandle {
  offset: number;
  size: number;
}

const FOOTER_SIZE = 48;
const HANDLES_SIZE = 40; // two BlockHandles at most 20 bytes each, zero padded
const TRAILER_SIZE = 5;
const MAGIC_LO = 0x8b80fb57;
const MAGIC_HI = 0xdb477524;
const enum Compression { None = 0, Snappy = 1 }

/** Does the file end with the table magic number? (Cheap sniffing; readTable checks everything.) */
export function hasTableMagic(file: Uint8Array): boolean {
  return file.length >= FOOTER_SIZE && u32(file, file.length - 8) === MAGIC_LO && u32(file, file.length - 4) === MAGIC_HI;
}

/** Every key/value pair of the table, in key order. Throws TableError on any inconsistency. */
export function readTable(file: Uint8Array): TableEntry[] {
  if (file.length < FOOTER_SIZE) throw new TableError(`${file.length} bytes is too short for a table (footer is ${FOOTER_SIZE})`);
  if (!hasTableMagic(file)) throw new TableError('bad magic number at the end of the file (not a LevelDB/TensorFlow table)');
  const footerStart = file.length - FOOTER_SIZE;
  const cursor = new Cursor(file, footerStart, footerStart + HANDLES_SIZE);
  readHandle(cursor, footerStart, 'metaindex'); // always present; its contents (no meta blocks in TF tables) are not needed
  const indexHandle = readHandle(cursor, footerStart, 'index');
  const entries: TableEntry[] = [];
  for (const indexEntry of blockEntries(readBlock(file, indexHandle, 'index'), indexHandle.offset)) {
    const at = new Cursor(indexEntry.value, 0, indexEntry.value.length);
    const handle = readHandle(at, footerStart, 'data');
    for (const e of blockEntries(readBlock(file, handle, 'data'), handle.offset)) {
      const prev = entries.length ? entries[entries.length - 1].key : undefined;
      if (prev && compareBytes(prev, e.key) >= 0) throw new TableError(`keys out of order in the data block at offset ${handle.offset}`);
      entries.push(e);
    }
  }
  return entries;
}

function readHandle(c: Cursor, limit: number, what: string): BlockHandle {
  const offset = c.varint(`${what} block handle`);
  const size = c.varint(`${what} block handle`);
  if (offset + size + TRAILER_SIZE > limit) {
    throw new TableError(`${what} block [${offset}, +${size}) runs past the end of the blocks (${limit} bytes)`);
  }
  return { offset, size };
}

/** The block's contents, checksum verified and decompressed. */
function readBlock(file: Uint8Array, h: BlockHandle, what: string): Uint8Array {
  const end = h.offset + h.size;
  const type = file[end];
  const stored = unmaskCrc(u32(file, end + 1));
  const actual = crc32cExtend(crc32c(file, h.offset, end), file, end, end + 1);
  if (stored !== actual) {
    throw new TableError(`${what} block at offset ${h.offset}: checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);
  }
  const raw = file.subarray(h.offset, end);
  if (type === Compression.None) return raw;
  if (type !== Compression.Snappy) throw new TableError(`${what} block at offset ${h.offset}: unknown compression type ${type}`);
  try {
    return snappyDecompress(raw);
  } catch (e) {
    throw new TableError(`${what} block at offset ${h.offset}: ${(e as Error).message}`);
  }
}

/** Decode one block's entries; `at` (the block's file offset) is only for messages. */
function blockEntries(block: Uint8Array, at: number): TableEntry[] {
  if (block.length < 4) throw new TableError(`block at offset ${at} is ${block.length} bytes, too small for its restart count`);
  const numRestarts = u32(block, block.length - 4);
  if (numRestarts > (block.length - 4) / 4) throw new TableError(`block at offset ${at} claims ${numRestarts} restart points, more than fit`);
  const limit = block.length - 4 * (numRestarts + 1);
  const c = new Cursor(block, 0, limit);
  const out: TableEntry[] = [];
  let prev = new Uint8Array(0);
  while (c.pos < limit) {
    const shared = c.varint('entry header');
    const nonShared = c.varint('entry header');
    const valueLen = c.varint('entry header');
    if (shared > prev.length) throw new TableError(`entry at block offset ${at}+${c.pos} shares ${shared} bytes of a ${prev.length}-byte key`);
    if (nonShared + valueLen > limit - c.pos) throw new TableError(`entry at block offset ${at}+${c.pos} runs past the entries`);
    const key = new Uint8Array(shared + nonShared);
    key.set(prev.subarray(0, shared));
    key.set(block.subarray(c.pos, c.pos + nonShared), shared);
    c.pos += nonShared;
    out.push({ key, value: block.subarray(c.pos, c.pos + valueLen) });
    c.pos += valueLen;
    prev = key;
  }
  return out;
}

/** Bounded varint reader over buf[pos, limit). */
class Cursor {
  constructor(readonly buf: Uint8Array, public pos: number, readonly limit: number) {}

  varint(what: string): number {
    let value = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.limit) throw new TableError(`${what} truncated at byte ${this.pos}`);
      const b = this.buf[this.pos++];
      value += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) throw new TableError(`${what}: value too large at byte ${this.pos}`);
        return value;
      }
    }
    throw new TableError(`${what}: varint longer than 10 bytes at byte ${this.pos}`);
  }
}

function u32(buf: Uint8Array, at: number): number {
  return (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24)) >>> 0;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** Bytewise order, as LevelDB's default comparator (and std::string) sorts keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// ---- writer -------------------------------------------------------------------------------------

export interface TableOptions {
  /** Uncompressed bytes per data block before it is cut; TensorFlow's default is 256 KiB. */
  blockSize?: number;
  /** Entries between full (unshared) keys in data blocks; index blocks always use 1, as LevelDB. */
  restartInterval?: number;
  /** Snappy-compress blocks where that saves at least 1/8, as TensorFlow's table builder does. */
  compress?: boolean;
}

/** Build a table from entries in strictly increasing key order, laid out as TensorFlow writes it. */
export function buildTable(entries: Iterable<TableEntry>, opts: TableOptions = {}): Uint8Array {
  const blockSize = opts.blockSize ?? 262144;
  const t = new TableBuilder(blockSize, opts.restartInterval ?? 16, opts.compress ?? false);
  for (const e of entries) t.add(e.key, e.value);
  return t.finish();
}

class TableBuilder {
  private readonly out = new ByteWriter(1 << 12);
  private readonly data: BlockBuilder;
  private readonly index = new BlockBuilder(1);
  private lastKey: Uint8Array | undefined;
  private pending: BlockHandle | undefined; // handle of the last data block, awaiting its index key

  constructor(private readonly blockSize: number, restartInterval: number, private readonly compress: boolean) {
    this.data = new BlockBuilder(restartInterval);
  }

  add(key: Uint8Array, value: Uint8Array): void {
    if (this.lastKey) {
      if (compareBytes(this.lastKey, key) >= 0) throw new Error('table keys must be added in strictly increasing order');
      if (key.length + value.length >= 2 * this.blockSize) this.flush();
    }
    if (this.pending && this.lastKey) {
      this.index.add(shortestSeparator(this.lastKey, key), encodeHandle(this.pending));
      this.pending = undefined;
    }
    this.lastKey = key;
    this.data.add(key, value);
    if (this.data.sizeEstimate() >= this.blockSize) this.flush();
  }

  finish(): Uint8Array {
    this.flush();
    const meta = this.writeBlock(new BlockBuilder(16));
    if (this.pending && this.lastKey) this.index.add(shortSuccessor(this.lastKey), encodeHandle(this.pending));
    const index = this.writeBlock(this.index);
    const footerStart = this.out.pos;
    for (const h of [meta, index]) {
      this.out.varint(h.offset);
      this.out.varint(h.size);
    }
    while (this.out.pos < footerStart + HANDLES_SIZE) this.out.byte(0);
    this.out.fixed32(MAGIC_LO);
    this.out.fixed32(MAGIC_HI);
    return this.out.bytes().slice();
  }

  private flush(): void {
    if (this.data.empty()) return;
    this.pending = this.writeBlock(this.data);
  }

  private writeBlock(block: BlockBuilder): BlockHandle {
    const raw = block.finish();
    let contents = raw;
    let type = Compression.None;
    if (this.compress) {
      const packed = snappyCompress(raw);
      if (packed.length < raw.length - Math.floor(raw.length / 8)) {
        contents = packed;
        type = Compression.Snappy;
      }
    }
    const handle = { offset: this.out.pos, size: contents.length };
    this.out.raw(contents);
    this.out.byte(type);
    this.out.fixed32(maskCrc(crc32cExtend(crc32c(contents), Uint8Array.of(type))));
    block.reset();
    return handle;
  }
}

class BlockBuilder {
  private buf = new ByteWriter(1 << 12);
  private restarts = [0];
  private counter = 0;
  private last: Uint8Array = new Uint8Array(0);

  constructor(private readonly restartInterval: number) {}

  empty(): boolean {
    return this.buf.pos === 0;
  }

  sizeEstimate(): number {
    return this.buf.pos + 4 * this.restarts.length + 4;
  }

  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.counter < this.restartInterval) {
      const n = Math.min(this.last.length, key.length);
      while (shared < n && this.last[shared] === key[shared]) shared++;
    } else {
      this.restarts.push(this.buf.pos);
      this.counter = 0;
    }
    this.buf.varint(shared);
    this.buf.varint(key.length - shared);
    this.buf.varint(value.length);
    this.buf.raw(key.subarray(shared));
    this.buf.raw(value);
    this.last = key;
    this.counter++;
  }

  finish(): Uint8Array {
    for (const r of this.restarts) this.buf.fixed32(r);
    this.buf.fixed32(this.restarts.length);
    return this.buf.bytes();
  }

  reset(): void {
    this.buf = new ByteWriter(1 << 12);
    this.restarts = [0];
    this.counter = 0;
    this.last = new Uint8Array(0);
  }
}

function encodeHandle(h: BlockHandle): Uint8Array {
  const w = new ByteWriter(20);
  w.varint(h.offset);
  w.varint(h.size);
  return w.bytes().slice();
}

/** A short key k with start <= k < limit (TensorFlow's FindShortestSeparator). */
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const n = Math.min(start.length, limit.length);
  let i = 0;
  while (i < n && start[i] === limit[i]) i++;
  if (i >= n) return start; // one is a prefix of the other
  const b = start[i];
  if (b < 0xff && b + 1 < limit[i]) {
    const out = start.slice(0, i + 1);
    out[i] = b + 1;
    return out;
  }
  return start;
}

/** A short key >= key (TensorFlow's FindShortSuccessor). */
function shortSuccessor(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i++) {
    if (key[i] !== 0xff) {
      const out = key.slice(0, i + 1);
      out[i] = key[i] + 1;
      return out;
    }
  }
  return key;
}
