// The printer's output: ASCII bytes written into one reusable chunk, handed to `emit` whenever
// the next write would not fit, so a text of any size streams through a fixed buffer.
import { maxEscapedLength, writeEscaped } from './textEscape';
import type { TreeRecorder } from './treeRecorder';

export const CHUNK_SIZE = 1 << 20;
/** Escape long strings in pieces so one piece's worst case fits in a chunk. */
const ESCAPE_PIECE = 1 << 16;

/** A string of char codes below 256 as bytes. */
export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const CLOSE = ascii('}\n');
const EMPTY = new Uint8Array(0);
const HEX = ascii('0123456789abcdef');

export class TextOutput {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  /** Bytes handed to `emit` so far: base + pos is the offset in the whole text. */
  private base = 0;
  private readonly digits = new Uint8Array(24);

  /** tree: records the parse tree of what is written (none for output that is thrown away). */
  constructor(size: number, private readonly emit: (chunk: Uint8Array) => void, readonly tree?: TreeRecorder) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** The offset in the whole text of the next byte written. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Make room for n bytes (n well below the chunk size). */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  flush(): void {
    if (this.pos === 0) return;
    this.emit(this.buf.subarray(0, this.pos));
    this.base += this.pos;
    this.pos = 0;
  }

  /** Indentation then a label (`name: ` or `name {\n`). */
  line(depth: number, label: Uint8Array): void {
    const n = label.length;
    this.room(depth * 2 + n + 64);
    const b = this.buf;
    let p = this.pos;
    for (let k = depth * 2; k > 0; k--) b[p++] = 0x20;
    for (let k = 0; k < n; k++) b[p++] = label[k];
    this.pos = p;
  }

  close(depth: number): void {
    this.line(depth, CLOSE);
  }

  /** Indentation, a field number, then `after` (unknown fields are printed by number). */
  numberLabel(indent: number, num: number, after: string): void {
    this.line(indent, EMPTY);
    this.writeUint(num);
    this.text(after);
  }

  /** The editor view's stand-in for a long bytes value. */
  elided(depth: number, name: string, length: number): void {
    this.line(depth, EMPTY);
    this.text(`# ${name}: ${length} bytes elided`);
    this.newline();
  }

  /** The editor view's stand-in for the values of a repeated field after the first few. */
  elidedValues(depth: number, name: string, more: number, total: number): void {
    this.line(depth, EMPTY);
    this.text(`# ${name}: ${more} more of ${total} elided`);
    this.newline();
  }

  newline(): void {
    this.room(1);
    this.buf[this.pos++] = 0x0a;
  }

  text(s: string): void {
    this.room(s.length);
    const b = this.buf;
    let p = this.pos;
    for (let k = 0; k < s.length; k++) b[p++] = s.charCodeAt(k);
    this.pos = p;
  }

  bytes(src: Uint8Array): void {
    this.room(src.length);
    const b = this.buf;
    let p = this.pos;
    for (let k = 0; k < src.length; k++) b[p++] = src[k];
    this.pos = p;
  }

  /** src[start, end) as a quoted, escaped string literal. */
  quoted(src: Uint8Array, start: number, end: number): void {
    this.room(1);
    this.buf[this.pos++] = 0x22;
    for (let p = start; p < end; p += ESCAPE_PIECE) {
      const pieceEnd = Math.min(end, p + ESCAPE_PIECE);
      this.room(maxEscapedLength(pieceEnd - p));
      this.pos = writeEscaped(this.view, this.pos, src, p, pieceEnd);
    }
    this.room(1);
    this.buf[this.pos++] = 0x22;
  }

  /** A quoted, escaped string literal of the bytes `feed` hands over, piece by piece (escaping is per byte). */
  quotedChunks(feed: (each: (chunk: Uint8Array) => void) => void): void {
    this.room(1);
    this.buf[this.pos++] = 0x22;
    feed((src) => {
      for (let p = 0; p < src.length; p += ESCAPE_PIECE) {
        const pieceEnd = Math.min(src.length, p + ESCAPE_PIECE);
        this.room(maxEscapedLength(pieceEnd - p));
        this.pos = writeEscaped(this.view, this.pos, src, p, pieceEnd);
      }
    });
    this.room(1);
    this.buf[this.pos++] = 0x22;
  }

  /** A non-negative integer below 2^53. */
  writeUint(n: number): void {
    this.room(24);
    const b = this.buf;
    let p = this.pos;
    if (n < 10) {
      b[p++] = 0x30 + n;
      this.pos = p;
      return;
    }
    const tmp = this.digits;
    let len = 0;
    while (n > 0) {
      const q = Math.floor(n / 10);
      tmp[len++] = 0x30 + (n - q * 10);
      n = q;
    }
    while (len > 0) b[p++] = tmp[--len];
    this.pos = p;
  }

  writeInt32(v: number): void {
    if (v < 0) {
      this.text('-');
      this.writeUint(-v);
    } else this.writeUint(v);
  }

  /** An unsigned 64-bit value given as two 32-bit words. */
  writeUint64(lo: number, hi: number): void {
    if (hi < 0x200000) this.writeUint(hi * 4294967296 + lo);
    else this.text(((BigInt(hi) << 32n) | BigInt(lo)).toString());
  }

  /** A two's complement 64-bit value given as two 32-bit words. */
  writeInt64(lo: number, hi: number): void {
    if (hi < 0x80000000) return this.writeUint64(lo, hi);
    const nlo = (~lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    this.text('-');
    this.writeUint64(nlo, nhi);
  }

  /** Eight lowercase hex digits. */
  hex8(v: number): void {
    this.room(8);
    for (let shift = 28; shift >= 0; shift -= 4) this.buf[this.pos++] = HEX[(v >>> shift) & 15];
  }
}
