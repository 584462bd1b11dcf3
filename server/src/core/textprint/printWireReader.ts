// The wire format as protoc's parser reads it before printing: tags and lengths of at most 5
// bytes, nesting of at most 100 levels, truncation and bad wire types refused. In lenient mode it
// reads like the CodedInputStream that TextFormat uses to re-parse unknown length-delimited values.
// Readers return the next position and leave their results in fields, so the hot paths allocate
// nothing.
import { bytesAt, eachChunk, isSparse, WireError } from '../protobuf';

// Wire types as plain constants: schema.ts's const enum is not inlined across modules by every
// TypeScript runner, and the lookups showed in profiles.
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED32 = 5;
/** CodedInputStream's default recursion limit, applied by protoc's parser. */
export const MAX_DEPTH = 100;

export class PrintWireReader {
  readonly view: DataView;
  /** Results of the readers. */
  tag = 0;
  len = 0;
  wide = 0;
  lo = 0;
  hi = 0;
  groupEnd = 0;
  /** Reading unknown fields as TextFormat re-parses them (see readTag). */
  lenient = false;

  /** The buffer was read by positions: big payloads are read in only when something reads them. */
  private readonly sparse: boolean;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.sparse = isSparse(buf);
  }

  /** Make the payload [start, end) present before reading its bytes (an elided one never is). */
  present(start: number, end: number): void {
    if (this.sparse) bytesAt(this.buf, start, end);
  }

  /**
   * Whether payloads should be streamed (chunks) rather than made present: the buffer was read by
   * positions, so a big payload can go from the file to the output without being kept.
   */
  get streams(): boolean {
    return this.sparse;
  }

  /** The payload [start, end) in pieces, read from the file where it was never read in. */
  chunks(start: number, end: number, each: (chunk: Uint8Array) => void): void {
    eachChunk(this.buf, start, end, each);
  }

  /**
   * A tag as protobuf reads it, kept modulo 2^32: at most 5 bytes for the message parser, 10 in
   * lenient mode (CodedInputStream, which TextFormat uses to re-parse unknown length-delimited
   * values). Sets this.tag.
   */
  readTag(pos: number, end: number): number {
    const b0 = this.buf[pos];
    if (b0 < 0x80 && pos < end) {
      this.tag = b0;
      return pos + 1;
    }
    pos = this.readVarint32(pos, end, this.lenient ? 10 : 5, 'tag');
    this.tag = this.len;
    return pos;
  }

  /**
   * A length prefix, below 2^31: at most 5 bytes for the message parser; in lenient mode up to
   * 10 bytes, kept modulo 2^32 first. Sets this.len.
   */
  readLength(pos: number, end: number): number {
    const start = pos;
    pos = this.readVarint32(pos, end, this.lenient ? 10 : 5, 'length');
    // The message parser refuses a 5th byte above 7 outright; CodedInputStream drops those bits.
    if ((this.lenient ? this.len : this.wide) >= 2 ** 31) throw new WireError('invalid length prefix', start);
    return pos;
  }

  /** A varint of at most maxBytes bytes into this.len (modulo 2^32) and this.wide (its first 35 bits). */
  private readVarint32(pos: number, end: number, maxBytes: number, what: string): number {
    const start = pos;
    let v = 0;
    for (let i = 0; i < maxBytes; i++) {
      if (pos >= end) throw new WireError(`message truncated inside a ${what}`, pos);
      const b = this.buf[pos++];
      if (i < 5) v += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) {
        this.len = v % 2 ** 32;
        this.wide = v;
        return pos;
      }
    }
    throw new WireError(`${what} longer than ${maxBytes} bytes`, start);
  }

  private skipVarint(pos: number, end: number): number {
    const start = pos;
    const limit = Math.min(end, pos + 10);
    while (pos < limit) if (this.buf[pos++] < 0x80) return pos;
    if (limit === end && end - start < 10) throw new WireError('message truncated inside a varint', end);
    throw new WireError('varint longer than 10 bytes', start);
  }

  /** Decode a varint (at most 10 bytes, bits above 64 dropped) into this.lo / this.hi. */
  decodeVarint(pos: number, end: number): number {
    const buf = this.buf;
    const start = pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw new WireError('message truncated inside a varint', pos);
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(lo, 0, pos);
    }
    if (pos >= end) throw new WireError('message truncated inside a varint', pos);
    b = buf[pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return this.setVarint(lo, hi, pos);
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= end) throw new WireError('message truncated inside a varint', pos);
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(lo, hi, pos);
    }
    throw new WireError('varint longer than 10 bytes', start);
  }

  private setVarint(lo: number, hi: number, pos: number): number {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return pos;
  }

  /**
   * Skip a group's fields up to its end-group tag; returns the position after that tag and sets
   * this.groupEnd to where the content ends. depth is the group's nesting depth.
   */
  skipGroup(number: number, pos: number, end: number, depth: number): number {
    if (depth > MAX_DEPTH) throw new WireError(`messages and groups nested deeper than ${MAX_DEPTH}`, pos);
    for (;;) {
      if (pos >= end) throw new WireError(`group ${number} has no end-group tag`, pos);
      const tagStart = pos;
      pos = this.readTag(pos, end);
      const num = this.tag >>> 3;
      const wt = this.tag & 7;
      if (num === 0) throw new WireError('field number 0', tagStart);
      if (wt === END_GROUP) {
        if (num !== number) throw new WireError(`end-group tag ${num} closes group ${number}`, tagStart);
        this.groupEnd = tagStart;
        return pos;
      }
      pos = this.skipValue(num, wt, pos, end, depth, tagStart);
    }
  }

  /** Skip one value of a field (not an end-group). */
  skipValue(num: number, wt: number, pos: number, end: number, depth: number, tagStart: number): number {
    switch (wt) {
      case VARINT:
        return this.skipVarint(pos, end);
      case FIXED64:
        return this.fixedEnd(pos, 8, end);
      case FIXED32:
        return this.fixedEnd(pos, 4, end);
      case LEN:
        pos = this.readLength(pos, end);
        return this.fixedEnd(pos, this.len, end);
      case START_GROUP:
        return this.skipGroup(num, pos, end, depth + 1);
      default:
        throw new WireError(`invalid wire type ${wt}`, tagStart);
    }
  }

  /** The end of an n-byte value at pos, which must lie within the message. */
  fixedEnd(pos: number, n: number, end: number): number {
    if (n > end - pos) throw new WireError(`field of ${n} bytes runs past the end of its message`, pos);
    return pos + n;
  }

  /** Does [start, end) parse as a field set, with groups nested at most maxGroups deep? */
  isFieldSet(start: number, end: number, maxGroups: number): boolean {
    try {
      for (let pos = start; pos < end; ) {
        const tagStart = pos;
        pos = this.readTag(pos, end);
        const num = this.tag >>> 3;
        const wt = this.tag & 7;
        if (num === 0 || wt === END_GROUP) return false;
        pos = this.skipValue(num, wt, pos, end, MAX_DEPTH - maxGroups, tagStart);
      }
      return true;
    } catch (e) {
      if (e instanceof WireError) return false;
      throw e;
    }
  }
}
