// TensorFlow's tensor bundle (the V2 checkpoint of a SavedModel's variables/ folder):
// `variables.index` is a table whose "" key holds a BundleHeaderProto and whose other keys are
// tensor names holding BundleEntryProtos; each entry points at [offset, offset + size) of data
// shard `variables.data-<shard_id>-of-<num_shards>`, with the masked CRC32C TensorFlow checks on
// restore. The protos are decoded with the schema tables, looking fields up by name; the tensors'
// bytes are checked and decoded by stringTensor.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CheckpointError } from './checkpointError';
import { unmaskCrc } from './crc32c';
import { Bytes, TensorName, bytes as asBytes, dtypeByteSize, dtypeLabel } from '../dtype';
import { TableEntry, hasTableMagic, readTable } from './leveldbTable';
import { FieldInfo, MessageInfo, WireType, loadSchema } from '../protobuf';
import { decodeStringTensor, elementCount, tensorChecksum } from './stringTensor';
import { RawField, WireReader, asInt32, asInt64, fieldsOf, fixed32, isValidUtf8, varintBig } from '../protobuf';

export interface BundleHeader {
  numShards: number;
  /** `LITTLE` or `BIG` (the byte order of the data shards), or `Endianness(<n>)` if unknown. */
  endianness: string;
  version: { producer: number; minConsumer: number; badConsumers: number[] };
}

export interface BundleEntry {
  name: TensorName;
  /** The DataType enum name (`DT_FLOAT`), or `DataType(<n>)` for a number the schema does not know. */
  dtype: string;
  shape: number[];
  shardId: number;
  offset: number;
  size: Bytes;
  /** As stored: masked CRC32C of the tensor's bytes (see tensorChecksum). */
  crc32c: number;
  /** Number of TensorSliceProtos: > 0 for the metadata entry of a partitioned variable (no data of its own). */
  slices: number;
  /** Each slice's extent per dimension (length absent: the whole dimension), in stored order. */
  sliceExtents?: SliceExtent[][];
  /** The key's bytes, where `name` (decoded as UTF-8) does not give them back: a slice's binary key. */
  key?: Uint8Array;
}

export interface SliceExtent {
  readonly start: number;
  readonly length?: number;
}

export interface CheckpointIndex {
  header: BundleHeader;
  entries: BundleEntry[];
}

/** Key of the TrackableObjectGraph (a DT_STRING scalar) in checkpoints written by TF2 object-based saving. */
export const OBJECT_GRAPH_KEY = '_CHECKPOINTABLE_OBJECT_GRAPH';
const DEFAULT_PREFIX = 'variables';

/** Parse `variables.index`. Throws CheckpointError (one line) on a corrupt or foreign file. */
export function readCheckpointIndex(bytes: Uint8Array): CheckpointIndex {
  let table: TableEntry[];
  try {
    table = readTable(bytes);
  } catch (e) {
    throw new CheckpointError(`variables.index: ${(e as Error).message}`);
  }
  if (table.length === 0 || table[0].key.length !== 0) throw new CheckpointError('variables.index: no header entry (empty key)');
  const header = decodeOrThrow('header', () => decodeHeader(table[0].value));
  const entries = table.slice(1).map(({ key, value }) => {
    const name = utf8.decode(key);
    const entry = decodeOrThrow(`entry ${JSON.stringify(name)}`, () => decodeEntry(name, value));
    if (!isValidUtf8(key, 0, key.length)) entry.key = key;
    checkShard(entry, header);
    return entry;
  });
  return { header, entries };
}

const utf8 = new TextDecoder();

function decodeOrThrow<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (e) {
    throw new CheckpointError(`variables.index: ${what} is not parseable: ${(e as Error).message}`);
  }
}

function checkShard(e: BundleEntry, h: BundleHeader): void {
  if (e.slices === 0 && (e.shardId < 0 || e.shardId >= h.numShards)) {
    throw new CheckpointError(`variables.index: entry ${JSON.stringify(e.name)} is in shard ${e.shardId}, but the header says ${h.numShards} shard(s)`);
  }
}

// ---- proto decoding via the schema --------------------------------------------------------------

/** The fields of the message at buf[start, end) that the schema knows, by name. */
function* knownFields(buf: Uint8Array, start: number, end: number, info: MessageInfo): Generator<[string, RawField, FieldInfo]> {
  for (const f of fieldsOf(buf, start, end)) {
    const fi = info.byNumber.get(f.number);
    if (!fi) continue; // unknown field: kept by protobuf, irrelevant here
    const packed = fi.repeated && f.wireType === WireType.LengthDelimited && fi.wireType !== WireType.LengthDelimited;
    // TensorFlow's C++ parser keeps a known field with the wrong wire type as an unknown field.
    if (f.wireType !== fi.wireType && !packed) continue;
    yield [fi.name, f, fi];
  }
}

function int32Of(buf: Uint8Array, f: RawField): number {
  return asInt32(varintBig(buf, f.start));
}

function int64Of(buf: Uint8Array, f: RawField, what: string): number {
  const v = asInt64(varintBig(buf, f.start));
  if (v < 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what} ${v} is out of range`);
  return Number(v);
}

function message(name: string): MessageInfo {
  return loadSchema().message(name);
}

function decodeHeader(buf: Uint8Array): BundleHeader {
  const info = message('tensorflow.BundleHeaderProto');
  const h: BundleHeader = { numShards: 0, endianness: '', version: { producer: 0, minConsumer: 0, badConsumers: [] } };
  let endianness = 0;
  for (const [name, f, fi] of knownFields(buf, 0, buf.length, info)) {
    if (name === 'num_shards') h.numShards = int32Of(buf, f);
    else if (name === 'endianness') endianness = int32Of(buf, f);
    else if (name === 'version') h.version = decodeVersion(buf, f);
    else if (fi.type === 'message') decodeUnused(buf, f, fi);
  }
  h.endianness = info.byName.get('endianness')?.enumInfo?.nameOf.get(endianness) ?? `Endianness(${endianness})`;
  return h;
}

function decodeVersion(buf: Uint8Array, at: RawField): BundleHeader['version'] {
  const v: BundleHeader['version'] = { producer: 0, minConsumer: 0, badConsumers: [] };
  for (const [name, f] of knownFields(buf, at.start, at.end, message('tensorflow.VersionDef'))) {
    if (name === 'producer') v.producer = int32Of(buf, f);
    else if (name === 'min_consumer') v.minConsumer = int32Of(buf, f);
    else if (name === 'bad_consumers') v.badConsumers.push(...repeatedInt32(buf, f));
  }
  return v;
}

function repeatedInt32(buf: Uint8Array, f: RawField): number[] {
  if (f.wireType !== WireType.LengthDelimited) return [int32Of(buf, f)];
  const out: number[] = [];
  const r = new WireReader(buf, f.start, f.end);
  while (!r.atEnd()) out.push(asInt32(varintBig(buf, r.skipVarint())));
  return out;
}

/** Walk a nested message we do not keep, so that a corrupt one is still reported. */
function decodeUnused(buf: Uint8Array, f: RawField, fi: FieldInfo): void {
  if (fi.message) for (const inner of knownFields(buf, f.start, f.end, fi.message)) void inner;
}

function decodeEntry(name: TensorName, buf: Uint8Array): BundleEntry {
  const e: BundleEntry = { name, dtype: '', shape: [], shardId: 0, offset: 0, size: asBytes(0), crc32c: 0, slices: 0 };
  let dtype = 0;
  for (const [field, f, fi] of knownFields(buf, 0, buf.length, message('tensorflow.BundleEntryProto'))) {
    if (field === 'dtype') dtype = int32Of(buf, f);
    else if (field === 'shape') e.shape = decodeShape(buf, f);
    else if (field === 'shard_id') e.shardId = int32Of(buf, f);
    else if (field === 'offset') e.offset = int64Of(buf, f, 'offset');
    else if (field === 'size') e.size = asBytes(int64Of(buf, f, 'size'));
    else if (field === 'crc32c') e.crc32c = fixed32(buf, f.start);
    else if (field === 'slices') {
      (e.sliceExtents ??= []).push(decodeSlice(buf, f, fi));
      e.slices++;
    }
  }
  e.dtype = dtypeLabel(dtype);
  return e;
}

function decodeSlice(buf: Uint8Array, at: RawField, fi: FieldInfo): SliceExtent[] {
  const out: SliceExtent[] = [];
  for (const [name, f, xi] of knownFields(buf, at.start, at.end, fi.message ?? message('tensorflow.TensorSliceProto'))) {
    if (name !== 'extent') continue;
    let start = 0;
    let length: number | undefined;
    for (const [n, g] of knownFields(buf, f.start, f.end, xi.message ?? message('tensorflow.TensorSliceProto.Extent'))) {
      if (n === 'start') start = int64Of(buf, g, 'slice start');
      else if (n === 'length') length = int64Of(buf, g, 'slice length');
    }
    out.push(length === undefined ? { start } : { start, length });
  }
  return out;
}

function decodeShape(buf: Uint8Array, at: RawField): number[] {
  const dims: number[] = [];
  for (const [name, f, fi] of knownFields(buf, at.start, at.end, message('tensorflow.TensorShapeProto'))) {
    if (name === 'unknown_rank' && varintBig(buf, f.start) !== 0n) throw new Error('shape has unknown rank');
    if (name === 'dim') dims.push(decodeDim(buf, f, fi));
  }
  return dims;
}

function decodeDim(buf: Uint8Array, at: RawField, fi: FieldInfo): number {
  let size = 0;
  for (const [name, f] of knownFields(buf, at.start, at.end, fi.message ?? message('tensorflow.TensorShapeProto.Dim'))) {
    if (name === 'size') size = int64Of(buf, f, 'dimension size');
  }
  return size;
}

// ---- data shards --------------------------------------------------------------------------------

/** `variables.data-00001-of-00002`, as TensorFlow's DataFilename names a shard. */
export function shardFileName(prefix: string, shardId: number, numShards: number): string {
  const pad = (n: number): string => String(n).padStart(5, '0');
  return `${prefix}.data-${pad(shardId)}-of-${pad(numShards)}`;
}

/** All the shard file names of a checkpoint with numShards shards. */
export function shardFileNames(prefix: string, numShards: number): string[] {
  if (!Number.isSafeInteger(numShards) || numShards < 0) throw new CheckpointError(`invalid shard count ${numShards}`);
  return Array.from({ length: numShards }, (_, i) => shardFileName(prefix, i, numShards));
}

/**
 * Shard files that entries point at but that are not in `dir`. (A shard no entry uses is never
 * opened by TensorFlow, so its absence does not matter.)
 */
export function missingShards(dir: string, index: CheckpointIndex, prefix = DEFAULT_PREFIX): string[] {
  const used = [...new Set(index.entries.filter((e) => e.slices === 0).map((e) => e.shardId))].sort((a, b) => a - b);
  return used.map((id) => shardFileName(prefix, id, index.header.numShards)).filter((n) => !fs.existsSync(path.join(dir, n)));
}

export function findEntry(index: CheckpointIndex, name: TensorName): BundleEntry {
  const entry = index.entries.find((e) => e.name === name);
  if (!entry) throw new CheckpointError(`tensor ${JSON.stringify(name)} is not in the checkpoint`);
  return entry;
}

/** The stored bytes of one tensor, read from its data shard, after TensorFlow's size and checksum checks. */
export function readTensorBytes(variablesDir: string, index: CheckpointIndex, name: TensorName, prefix = DEFAULT_PREFIX): Uint8Array {
  return readEntryBytes(variablesDir, index, findEntry(index, name), prefix);
}

/** The stored bytes of one entry (found by its key bytes, for a slice), checked as readTensorBytes does. */
export function readEntryBytes(variablesDir: string, index: CheckpointIndex, entry: BundleEntry, prefix = DEFAULT_PREFIX): Uint8Array {
  const name = entry.name;
  if (entry.slices > 0) throw new CheckpointError(`tensor ${JSON.stringify(name)} is partitioned into ${entry.slices} slices stored under their own keys`);
  checkSize(entry);
  const file = path.join(variablesDir, shardFileName(prefix, entry.shardId, index.header.numShards));
  const data = readRange(file, entry.offset, entry.size);
  const actual = tensorChecksum(entry, data, index.header.endianness === 'BIG');
  const stored = unmaskCrc(entry.crc32c);
  if (actual !== stored) {
    throw new CheckpointError(`tensor ${JSON.stringify(name)} in ${path.basename(file)}: checksum mismatch (stored ${hex(stored)}, computed ${hex(actual)})`);
  }
  return data;
}

function checkSize(entry: BundleEntry): void {
  const elementSize = dtypeByteSize(entry.dtype);
  const fixedSize = elementSize === undefined ? undefined : elementCount(entry.shape) * elementSize;
  if (fixedSize !== undefined && fixedSize !== entry.size) {
    throw new CheckpointError(`tensor ${JSON.stringify(entry.name)}: stored size ${entry.size} bytes, but ${entry.dtype} [${entry.shape.join(', ')}] takes ${fixedSize}`);
  }
  if (fixedSize === undefined && entry.dtype !== 'DT_STRING' && entry.dtype !== 'DT_VARIANT') {
    throw new CheckpointError(`tensor ${JSON.stringify(entry.name)}: cannot read values of dtype ${entry.dtype}`);
  }
}

function readRange(file: string, offset: number, size: number): Uint8Array {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new CheckpointError(`cannot open data shard ${path.basename(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const fileSize = fs.fstatSync(fd).size;
    if (offset + size > fileSize) {
      throw new CheckpointError(`${path.basename(file)} is ${fileSize} bytes, but a tensor is stored at [${offset}, ${offset + size})`);
    }
    const out = new Uint8Array(size);
    for (let done = 0; done < size;) {
      const n = fs.readSync(fd, out, done, size - done, offset + done);
      if (n <= 0) throw new CheckpointError(`${path.basename(file)}: read ended early`);
      done += n;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** The serialized TrackableObjectGraph of a TF2 checkpoint, checksum verified; undefined if there is none. */
export function readObjectGraphBytes(variablesDir: string, index: CheckpointIndex, prefix = DEFAULT_PREFIX): Uint8Array | undefined {
  const entry = index.entries.find((e) => e.name === OBJECT_GRAPH_KEY);
  if (!entry) return undefined;
  if (entry.dtype !== 'DT_STRING' || elementCount(entry.shape) !== 1) {
    throw new CheckpointError(`${OBJECT_GRAPH_KEY} is ${entry.dtype} [${entry.shape.join(', ')}], expected a DT_STRING scalar`);
  }
  const data = readTensorBytes(variablesDir, index, OBJECT_GRAPH_KEY, prefix);
  return decodeStringTensor(data, 1, index.header.endianness === 'BIG', OBJECT_GRAPH_KEY).strings[0];
}

// ---- the variables/ folder ----------------------------------------------------------------------

export type VariablesState =
  | { kind: 'v2'; index: CheckpointIndex; missingShards: string[] }
  | { kind: 'v1'; path: string; message: string }
  | { kind: 'none' }
  | { kind: 'error'; message: string };

/** What checkpoint a SavedModel's `variables/` folder holds. Never throws for a bad checkpoint. */
export function loadVariablesDir(dir: string, prefix = DEFAULT_PREFIX): VariablesState {
  let files: string[];
  try {
    files = fs.readdirSync(dir);
  } catch {
    return { kind: 'none' };
  }
  const indexName = `${prefix}.index`;
  if (files.includes(indexName)) {
    try {
      const index = readCheckpointIndex(fs.readFileSync(path.join(dir, indexName)));
      return { kind: 'v2', index, missingShards: missingShards(dir, index, prefix) };
    } catch (e) {
      return { kind: 'error', message: (e as Error).message };
    }
  }
  const v1 = findV1(dir, files, prefix);
  if (v1) return { kind: 'v1', path: v1, message: describeV1(v1) };
  const shards = files.filter((f) => f.startsWith(`${prefix}.data-`));
  if (shards.length) return { kind: 'error', message: `${indexName} is missing (data shards present: ${shards.sort().join(', ')})` };
  return { kind: 'none' };
}

/** A V1 (TensorSlice) checkpoint: `variables`, `variables-00000-of-00002`..., or a `*.ckpt` without `.index`. */
function findV1(dir: string, files: readonly string[], prefix: string): string | undefined {
  const isFile = (f: string): boolean => fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile() ?? false;
  const sharded = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{5}-of-\\d{5}$`);
  const found = files.find((f) => (f === prefix || sharded.test(f) || (f.endsWith('.ckpt') && !files.includes(`${f}.index`))) && isFile(f));
  return found === undefined ? undefined : path.join(dir, found);
}

function describeV1(file: string): string {
  const base = `${path.basename(file)} is a legacy V1 (TensorSlice) checkpoint`;
  try {
    const bytes = fs.readFileSync(file);
    if (!hasTableMagic(bytes)) return `${base}, but it is not a readable table (no table magic number)`;
    const n = readTable(bytes).length;
    return `${base} (a table of ${n} entries). TensorFlow still restores it, but the format is deprecated; its tensors are not listed here`;
  } catch (e) {
    return `${base}, but it is corrupt: ${(e as Error).message}`;
  }
}
