// The stored bytes of one checkpoint tensor: the checksum TensorFlow verifies on restore, and the
// layout of variable-size dtypes (DT_STRING: lengths, their checksum, then the bytes; DT_VARIANT:
// length-prefixed elements, each with its checksum).
import { CheckpointError } from './checkpointError';
import { crc32cExtend, unmaskCrc } from './crc32c';
import { TensorName } from '../dtype';
import { WireReader, fixed32 } from '../protobuf';

/** What a checksum needs to know of a tensor (a BundleEntry has it). */
export interface TensorHead {
  readonly name: TensorName;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** Number of elements of a shape (1 for a scalar). */
export function elementCount(shape: readonly number[]): number {
  const n = shape.reduce((a, d) => a * d, 1);
  if (!Number.isSafeInteger(n)) throw new CheckpointError(`shape [${shape.join(', ')}] has too many elements`);
  return n;
}

/**
 * The (unmasked) CRC32C TensorFlow computes when restoring: over the bytes for fixed-size dtypes;
 * for strings over the lengths as uint32/uint64 (not their varints), the length checksum and the
 * string bytes; for variants over each element's length as uint64, bytes and checksum.
 */
export function tensorChecksum(entry: TensorHead, data: Uint8Array, bigEndian = false): number {
  if (entry.dtype === 'DT_STRING') return decodeStringTensor(data, elementCount(entry.shape), bigEndian, entry.name).crc;
  if (entry.dtype === 'DT_VARIANT') return variantChecksum(data, elementCount(entry.shape), entry.name);
  return crc32cExtend(0, data);
}

export interface StringTensor {
  /** Views into the data, one per element. */
  strings: Uint8Array[];
  crc: number;
}

/**
 * Decode a DT_STRING tensor's stored bytes:
 * [varint64 len]... [masked crc32c of the lengths] [string bytes]...
 */
export function decodeStringTensor(data: Uint8Array, numElements: number, bigEndian = false, name = ''): StringTensor {
  if (data.length === 0) return { strings: [], crc: 0 }; // TensorFlow reads nothing from an empty entry
  const bad = (why: string): CheckpointError => new CheckpointError(`string tensor ${JSON.stringify(name)}: ${why}`);
  const r = new WireReader(data, 0, data.length);
  const lengths: number[] = [];
  let crc = 0;
  for (let i = 0; i < numElements; i++) {
    if (r.atEnd()) throw bad(`${i} of ${numElements} lengths present`);
    const len = varintOr(r, bad);
    lengths.push(len);
    crc = crc32cExtend(crc, len <= 0xffffffff ? uint32Bytes(len, bigEndian) : uint64Bytes(len, bigEndian));
  }
  if (r.pos + 4 > data.length) throw bad('length checksum missing');
  const lengthCrc = fixed32(data, r.pos);
  if (unmaskCrc(bigEndian ? swap32(lengthCrc) : lengthCrc) !== crc) throw bad('length checksum mismatch');
  crc = crc32cExtend(crc, data, r.pos, r.pos + 4);
  let pos = r.pos + 4;
  const strings = lengths.map((len) => {
    if (len > data.length - pos) throw bad('string bytes run past the end of the entry');
    const s = data.subarray(pos, pos + len);
    crc = crc32cExtend(crc, s);
    pos += len;
    return s;
  });
  return { strings, crc };
}

function variantChecksum(data: Uint8Array, numElements: number, name: string): number {
  const r = new WireReader(data, 0, data.length);
  let crc = 0;
  const bad = (why: string): CheckpointError => new CheckpointError(`variant tensor ${JSON.stringify(name)}: ${why}`);
  for (let i = 0; i < numElements && data.length > 0; i++) {
    const len = varintOr(r, bad);
    crc = crc32cExtend(crc, uint64Bytes(len, false));
    if (len + 4 > data.length - r.pos) throw bad(`element ${i} runs past the end of the entry`);
    crc = crc32cExtend(crc, data, r.pos, r.pos + len);
    const stored = fixed32(data, r.pos + len);
    if (unmaskCrc(stored) !== crc) throw bad(`checksum of element ${i} does not match`);
    crc = crc32cExtend(crc, data, r.pos + len, r.pos + len + 4);
    r.pos += len + 4;
  }
  return crc;
}

function varintOr(r: WireReader, bad: (why: string) => CheckpointError): number {
  try {
    return r.varint();
  } catch (e) {
    throw bad((e as Error).message);
  }
}

function uint32Bytes(v: number, bigEndian: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, !bigEndian);
  return b;
}

function uint64Bytes(v: number, bigEndian: boolean): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), !bigEndian);
  return b;
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}
