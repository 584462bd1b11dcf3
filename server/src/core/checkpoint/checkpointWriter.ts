// Write a V2 checkpoint (tensor bundle) the way TensorFlow's BundleWriter + MergeBundles do:
// data shards hold tensors back to back in the order given (alignment 1, TensorFlow's default),
// the index is a table with the BundleHeaderProto under "" and one BundleEntryProto per tensor
// under its name, in bytewise name order. Builds test fixtures and the bundled example.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ByteWriter } from '../protobuf';
import { SliceExtent, shardFileNames } from './checkpointIndex';
import { tensorSliceKey } from './tensorSliceKey';
import { crc32cExtend, maskCrc } from './crc32c';
import { dtypeByteSize, dtypeName, dtypeValue } from '../dtype';
import { buildTable, compareBytes } from './leveldbTable';
import { MessageInfo, loadSchema } from '../protobuf';

export interface CheckpointTensor {
  name: string;
  /** `float32`, `int64`... or `DT_FLOAT`, `DT_INT64`... */
  dtype: string;
  shape: number[];
  /** Little-endian element bytes; unused for strings. */
  data: Uint8Array;
  /** The elements of a DT_STRING tensor, in row-major order. */
  strings?: readonly Uint8Array[];
  /**
   * A partitioned variable: stored as TensorFlow's Saver stores one, a metadata entry under the
   * name (dtype, full shape, the slices' extents, no data) and one entry per slice under the key
   * tensorSliceKey gives it. `data` is then unused.
   */
  slices?: ReadonlyArray<{ readonly extent: readonly SliceExtent[]; readonly data: Uint8Array }>;
}

export interface CheckpointWriteOptions {
  /** Tensors are split into this many shards, in order, in contiguous runs. Default 1. */
  numShards?: number;
  /** Snappy-compress index blocks (TensorFlow 2 does). Default false (as TensorFlow 1). */
  compress?: boolean;
  /** Index table block size (for tests that want many blocks). Default TensorFlow's 256 KiB. */
  blockSize?: number;
  /** File name prefix inside the folder. Default `variables`. */
  prefix?: string;
}

export interface EncodedCheckpoint {
  index: Uint8Array;
  shards: Uint8Array[];
}

/** Write `<prefix>.index` and its data shards into `variablesDir` (created if needed). */
export function writeCheckpoint(variablesDir: string, tensors: readonly CheckpointTensor[], opts: CheckpointWriteOptions = {}): void {
  const prefix = opts.prefix ?? 'variables';
  const { index, shards } = encodeCheckpoint(tensors, opts);
  fs.mkdirSync(variablesDir, { recursive: true });
  const names = shardFileNames(prefix, shards.length);
  shards.forEach((data, i) => fs.writeFileSync(path.join(variablesDir, names[i]), data));
  fs.writeFileSync(path.join(variablesDir, `${prefix}.index`), index);
}

interface Placed {
  key: Uint8Array;
  /** The extents of a partitioned variable's metadata entry. */
  slices?: readonly (readonly SliceExtent[])[];
  dtype: number;
  shape: readonly number[];
  shardId: number;
  offset: number;
  size: number;
  crc: number;
}

/** The files' bytes, without touching the disk. */
export function encodeCheckpoint(tensors: readonly CheckpointTensor[], opts: CheckpointWriteOptions = {}): EncodedCheckpoint {
  const numShards = opts.numShards ?? 1;
  if (!Number.isInteger(numShards) || numShards < 1) throw new Error(`numShards must be a positive integer, got ${numShards}`);
  const writers = Array.from({ length: numShards }, () => new ByteWriter(1 << 12));
  const stored = tensors.flatMap(storedTensors);
  const placed = stored.map(({ key, tensor: t }, i): Placed => {
    const shardId = Math.floor((i * numShards) / stored.length);
    const { bytes, crc } = encodeTensor(t);
    const out = writers[shardId];
    const offset = out.pos;
    out.raw(bytes);
    return { key, dtype: dtypeOf(t), shape: t.shape, shardId, offset, size: bytes.length, crc };
  });
  placed.push(...tensors.filter((t) => t.slices).map((t): Placed => ({
    key: utf8.encode(t.name), dtype: dtypeOf(t), shape: t.shape, shardId: 0, offset: 0, size: 0, crc: 0, slices: (t.slices ?? []).map((x) => x.extent),
  })));
  placed.sort((a, b) => compareBytes(a.key, b.key));
  checkKeys(placed);
  const entries = [{ key: new Uint8Array(0), value: encodeHeader(numShards) }, ...placed.map((p) => ({ key: p.key, value: encodeEntry(p) }))];
  return {
    index: buildTable(entries, { compress: opts.compress ?? false, blockSize: opts.blockSize }),
    shards: writers.map((w) => w.bytes().slice()),
  };
}

const utf8 = new TextEncoder();

/** The entries holding a tensor's data: itself, or each of its slices under its slice key. */
function storedTensors(t: CheckpointTensor): Array<{ key: Uint8Array; tensor: CheckpointTensor }> {
  if (!t.slices) return [{ key: utf8.encode(t.name), tensor: t }];
  return t.slices.map((s) => ({
    key: tensorSliceKey(t.name, s.extent),
    tensor: { name: t.name, dtype: t.dtype, shape: t.shape.map((n, d) => s.extent[d]?.length ?? n), data: s.data },
  }));
}

function checkKeys(sorted: readonly Placed[]): void {
  sorted.forEach((p, i) => {
    if (p.key.length === 0) throw new Error('a tensor name cannot be empty (the empty key holds the header)');
    if (i > 0 && compareBytes(sorted[i - 1].key, p.key) === 0) throw new Error(`duplicate tensor name ${JSON.stringify(new TextDecoder().decode(p.key))}`);
  });
}

function dtypeOf(t: CheckpointTensor): number {
  const v = dtypeValue(t.dtype);
  if (v === undefined || v === 0) throw new Error(`tensor "${t.name}": unknown dtype "${t.dtype}"`);
  return v;
}

function elementCount(t: CheckpointTensor): number {
  if (t.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new Error(`tensor "${t.name}": invalid shape [${t.shape.join(', ')}]`);
  return t.shape.reduce((a, d) => a * d, 1);
}

/** The bytes stored for a tensor and their (unmasked) CRC32C as TensorFlow computes it. */
function encodeTensor(t: CheckpointTensor): { bytes: Uint8Array; crc: number } {
  const dtype = dtypeOf(t);
  const count = elementCount(t);
  if (dtypeName(dtype) === 'DT_STRING') {
    if (!t.strings || t.strings.length !== count) throw new Error(`tensor "${t.name}": a string tensor of ${count} elements needs ${count} \`strings\``);
    return encodeStrings(t.strings);
  }
  const size = dtypeByteSize(dtype);
  if (size === undefined) throw new Error(`tensor "${t.name}": writing ${t.dtype} tensors is not supported`);
  if (t.data.length !== count * size) throw new Error(`tensor "${t.name}": ${t.data.length} data bytes, but ${t.dtype} [${t.shape.join(', ')}] takes ${count * size}`);
  return { bytes: t.data, crc: crc32cExtend(0, t.data) };
}

/**
 * TensorFlow's WriteStringTensor: varint64 lengths, the masked CRC of the lengths (each taken as
 * a little-endian uint32), then the bytes; the entry's CRC runs over lengths, that CRC and bytes.
 */
function encodeStrings(strings: readonly Uint8Array[]): { bytes: Uint8Array; crc: number } {
  const w = new ByteWriter(1 << 10);
  const len32 = new Uint8Array(4);
  const view = new DataView(len32.buffer);
  let crc = 0;
  for (const s of strings) {
    w.varint(s.length);
    view.setUint32(0, s.length, true);
    crc = crc32cExtend(crc, len32);
  }
  const lengthCrcAt = w.pos;
  w.fixed32(maskCrc(crc));
  crc = crc32cExtend(crc, w.bytes(), lengthCrcAt, w.pos);
  for (const s of strings) {
    w.raw(s);
    crc = crc32cExtend(crc, s);
  }
  return { bytes: w.bytes().slice(), crc };
}

// ---- protos, field numbers from the schema ------------------------------------------------------

function fieldNumber(info: MessageInfo, name: string): number {
  const f = info.byName.get(name);
  if (!f) throw new Error(`schema: ${info.fullName} has no field ${name}`);
  return f.number;
}

const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** BundleHeaderProto{num_shards, endianness: LITTLE, version{producer: 1}}, as BundleWriter writes it. */
function encodeHeader(numShards: number): Uint8Array {
  const schema = loadSchema();
  const header = schema.message('tensorflow.BundleHeaderProto');
  const version = schema.message('tensorflow.VersionDef');
  const w = new ByteWriter(32);
  w.tag(fieldNumber(header, 'num_shards'), VARINT);
  w.varint(numShards);
  w.tag(fieldNumber(header, 'version'), LENGTH_DELIMITED);
  const mark = w.beginLength();
  w.tag(fieldNumber(version, 'producer'), VARINT);
  w.varint(1); // kTensorBundleVersion
  w.endLength(mark);
  return w.bytes().slice();
}

/** One TensorSliceProto: an Extent{start, length} per dimension (no length: the whole dimension). */
function writeSlice(w: ByteWriter, field: number, extents: readonly SliceExtent[]): void {
  const schema = loadSchema();
  const slice = schema.message('tensorflow.TensorSliceProto');
  const extent = schema.message('tensorflow.TensorSliceProto.Extent');
  w.tag(field, LENGTH_DELIMITED);
  const mark = w.beginLength();
  for (const x of extents) {
    w.tag(fieldNumber(slice, 'extent'), LENGTH_DELIMITED);
    const m = w.beginLength();
    if (x.start !== 0) {
      w.tag(fieldNumber(extent, 'start'), VARINT);
      w.varint(x.start);
    }
    if (x.length !== undefined) {
      w.tag(fieldNumber(extent, 'length'), VARINT);
      w.varint(x.length);
    }
    w.endLength(m);
  }
  w.endLength(mark);
}

/** BundleEntryProto, proto3 style: zero scalars omitted, shape always present. */
function encodeEntry(p: Placed): Uint8Array {
  const schema = loadSchema();
  const entry = schema.message('tensorflow.BundleEntryProto');
  const shape = schema.message('tensorflow.TensorShapeProto');
  const dim = schema.message('tensorflow.TensorShapeProto.Dim');
  const w = new ByteWriter(64);
  const varintField = (num: number, v: number): void => {
    if (v === 0) return;
    w.tag(num, VARINT);
    w.varint(v);
  };
  varintField(fieldNumber(entry, 'dtype'), p.dtype);
  w.tag(fieldNumber(entry, 'shape'), LENGTH_DELIMITED);
  const shapeMark = w.beginLength();
  for (const d of p.shape) {
    w.tag(fieldNumber(shape, 'dim'), LENGTH_DELIMITED);
    const dimMark = w.beginLength();
    varintField(fieldNumber(dim, 'size'), d);
    w.endLength(dimMark);
  }
  w.endLength(shapeMark);
  varintField(fieldNumber(entry, 'shard_id'), p.shardId);
  for (const extents of p.slices ?? []) writeSlice(w, fieldNumber(entry, 'slices'), extents);
  varintField(fieldNumber(entry, 'offset'), p.offset);
  varintField(fieldNumber(entry, 'size'), p.size);
  const masked = maskCrc(p.crc);
  if (masked !== 0) {
    w.tag(fieldNumber(entry, 'crc32c'), FIXED32);
    w.fixed32(masked);
  }
  return w.bytes().slice();
}
