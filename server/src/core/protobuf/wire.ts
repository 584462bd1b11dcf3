// Protobuf wire-format primitives over a byte view. Nothing here copies payloads: a length-delimited
// field is reported as [start, end) offsets into the caller's buffer.
import { WireType } from './schema';

export class WireError extends Error {
  constructor(readonly reason: string, readonly offset: number) {
    super(`${reason} at byte ${offset}`);
  }
}

/** One field occurrence as it sits in the buffer. */
export interface RawField {
  number: number;
  wireType: WireType;
  /** Offset of the tag. */
  tagStart: number;
  /** Payload: the varint/fixed bytes, or the bytes of a length-delimited value (without the length). */
  start: number;
  end: number;
}

/** A cursor over buf[pos, limit). */
export class WireReader {
  pos: number;
  constructor(readonly buf: Uint8Array, start: number, readonly limit: number) {
    this.pos = start;
  }

  atEnd(): boolean {
    return this.pos >= this.limit;
  }

  /** A varint as a JS number: exact below 2^53 (tags, lengths, counts); use varintBig for 64-bit values. */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.limit) this.eof();
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    let scale = 128;
    for (let i = 1; ; i++) {
      if (pos >= this.limit) this.eof();
      if (i >= 10) throw new WireError('varint longer than 10 bytes', this.pos);
      b = buf[pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
    }
    this.pos = pos;
    return result;
  }

  /** Skip a varint, returning its start offset. */
  skipVarint(): number {
    const start = this.pos;
    const limit = Math.min(this.limit, start + 10);
    let pos = start;
    while (pos < limit && this.buf[pos] & 0x80) pos++;
    if (pos >= limit) {
      if (pos >= this.limit) this.eof();
      throw new WireError('varint longer than 10 bytes', start);
    }
    this.pos = pos + 1;
    return start;
  }

  /** Read the next field's tag and locate its payload, leaving pos after the field. */
  next(out: RawField): void {
    const tagStart = this.pos;
    const tag = this.varint();
    const number = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (number === 0) throw new WireError('field number 0', tagStart);
    out.number = number;
    out.wireType = wireType;
    out.tagStart = tagStart;
    switch (wireType) {
      case WireType.Varint:
        out.start = this.skipVarint();
        out.end = this.pos;
        return;
      case WireType.Fixed64:
        out.start = this.pos;
        this.skip(8);
        out.end = this.pos;
        return;
      case WireType.Fixed32:
        out.start = this.pos;
        this.skip(4);
        out.end = this.pos;
        return;
      case WireType.LengthDelimited: {
        const len = this.varint();
        out.start = this.pos;
        this.skip(len);
        out.end = this.pos;
        return;
      }
      case WireType.StartGroup:
        out.start = this.pos;
        out.end = this.skipGroup(number);
        return;
      default:
        throw new WireError(`invalid wire type ${wireType}`, tagStart);
    }
  }

  private skip(n: number): void {
    if (n > this.limit - this.pos) throw new WireError(`field of ${n} bytes runs past the end of its message (${this.limit - this.pos} left)`, this.pos);
    this.pos += n;
  }

  /** Skip to the matching end-group tag; returns the offset where the group's content ends. */
  private skipGroup(number: number): number {
    const inner: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    for (;;) {
      if (this.atEnd()) this.eof();
      const tagStart = this.pos;
      const tag = this.varint();
      if ((tag & 7) === WireType.EndGroup) {
        if (Math.floor(tag / 8) !== number) throw new WireError('mismatched end-group tag', tagStart);
        return tagStart;
      }
      this.pos = tagStart;
      this.next(inner);
    }
  }

  private eof(): never {
    throw new WireError('message truncated', this.pos);
  }
}

/** Decode a varint at [start, end) as an unsigned 64-bit BigInt (every bit kept). */
export function varintBig(buf: Uint8Array, start: number): bigint {
  let lo = 0;
  let hi = 0;
  let pos = start;
  for (let shift = 0; shift < 28; shift += 7) {
    const b = buf[pos++];
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) return BigInt(lo >>> 0);
  }
  let b = buf[pos++];
  lo |= (b & 0x0f) << 28;
  hi = (b & 0x7f) >> 4;
  if (b >= 0x80) {
    for (let shift = 3; shift < 32; shift += 7) {
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
  }
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Unsigned 64-bit little-endian fixed value. */
export function fixed64Big(buf: Uint8Array, start: number): bigint {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getBigUint64(start, true);
}

export function fixed32(buf: Uint8Array, start: number): number {
  return (buf[start] | (buf[start + 1] << 8) | (buf[start + 2] << 16) | (buf[start + 3] << 24)) >>> 0;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
export function float32At(buf: Uint8Array, start: number): number {
  u32[0] = fixed32(buf, start);
  return f32[0];
}

const f64 = new Float64Array(1);
const u32x2 = new Uint32Array(f64.buffer);
export function float64At(buf: Uint8Array, start: number): number {
  u32x2[0] = fixed32(buf, start);
  u32x2[1] = fixed32(buf, start + 4);
  return f64[0];
}

/** Interpret an unsigned 64-bit value as int64 / int32 / sint64 the way protobuf does. */
export function asInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}
export function asInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}
export function zigzag64(v: bigint): bigint {
  return (v >> 1n) ^ -(v & 1n);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

// Node's Buffer has a native UTF-8 slice that works on any Uint8Array; it is the fastest way to make
// the millions of short strings (node names, ops) a big graph has. Elsewhere, TextDecoder.
const nativeUtf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (this: Uint8Array, start: number, end: number) => string }).utf8Slice;

export function utf8At(buf: Uint8Array, start: number, end: number): string {
  if (nativeUtf8Slice) return nativeUtf8Slice.call(buf, start, end);
  return utf8.decode(buf.subarray(start, end));
}

export function isValidUtf8(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) {
      try {
        utf8Strict.decode(buf.subarray(start, end));
        return true;
      } catch {
        return false;
      }
    }
  }
  return true;
}

/** Iterate the fields of the message at [start, end). The same RawField object is reused. */
export function* fieldsOf(buf: Uint8Array, start: number, end: number): Generator<RawField> {
  const r = new WireReader(buf, start, end);
  const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
  while (!r.atEnd()) {
    r.next(f);
    yield f;
  }
}
