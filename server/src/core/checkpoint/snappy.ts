// Snappy raw format (no framing), as LevelDB/TensorFlow tables compress blocks with it.
// The decoder treats its input as untrusted: every length and offset is checked before use, so
// corrupt input ends in an Error, never an out-of-range access, a huge allocation or a hang.

export class SnappyError extends Error {
  constructor(message: string) {
    super(`corrupt snappy data: ${message}`);
  }
}

// The most output one input byte can make: a 3-byte copy-2 element yields up to 64 bytes.
const MAX_EXPANSION = 22;

/** Decompress a whole snappy buffer. */
export function snappyDecompress(input: Uint8Array): Uint8Array {
  const [length, headerEnd] = readLength(input);
  if (length > (input.length - headerEnd) * MAX_EXPANSION) {
    throw new SnappyError(`declares ${length} bytes, more than ${input.length} input bytes can hold`);
  }
  const out = new Uint8Array(length);
  let ip = headerEnd;
  let op = 0;
  while (ip < input.length) {
    const tag = input[ip++];
    if ((tag & 3) === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const n = len - 59;
        if (ip + n > input.length) throw new SnappyError(`literal length runs past the end at byte ${ip}`);
        len = readLE(input, ip, n);
        ip += n;
      }
      len += 1;
      if (len > input.length - ip) throw new SnappyError(`literal of ${len} bytes runs past the end of the input at byte ${ip}`);
      if (len > length - op) throw new SnappyError(`literal of ${len} bytes overflows the declared ${length} bytes`);
      out.set(input.subarray(ip, ip + len), op);
      ip += len;
      op += len;
      continue;
    }
    const [len, offset, next] = readCopy(input, ip, tag);
    ip = next;
    if (offset === 0 || offset > op) throw new SnappyError(`copy offset ${offset} at byte ${ip} points before the output start`);
    if (len > length - op) throw new SnappyError(`copy of ${len} bytes overflows the declared ${length} bytes`);
    copyWithin(out, op - offset, op, len);
    op += len;
  }
  if (op !== length) throw new SnappyError(`produced ${op} bytes, declared ${length}`);
  return out;
}

/** The declared uncompressed length and where the elements start. */
function readLength(input: Uint8Array): [number, number] {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    if (i >= input.length) throw new SnappyError('length header truncated');
    const b = input[i];
    value += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) {
      if (value > 0xffffffff) throw new SnappyError('length header exceeds 32 bits');
      return [value, i + 1];
    }
  }
  throw new SnappyError('length header longer than 5 bytes');
}

function readCopy(input: Uint8Array, ip: number, tag: number): [number, number, number] {
  switch (tag & 3) {
    case 1:
      if (ip + 1 > input.length) throw new SnappyError('copy-1 element truncated');
      return [((tag >>> 2) & 7) + 4, ((tag >>> 5) << 8) | input[ip], ip + 1];
    case 2:
      if (ip + 2 > input.length) throw new SnappyError('copy-2 element truncated');
      return [(tag >>> 2) + 1, readLE(input, ip, 2), ip + 2];
    default:
      if (ip + 4 > input.length) throw new SnappyError('copy-4 element truncated');
      return [(tag >>> 2) + 1, readLE(input, ip, 4), ip + 4];
  }
}

function readLE(buf: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + buf[at + i];
  return v;
}

/** Copy len bytes from `from` to `to` (to > from), byte by byte when they overlap: that repeats a pattern. */
function copyWithin(out: Uint8Array, from: number, to: number, len: number): void {
  if (to - from >= len) {
    out.copyWithin(to, from, from + len);
    return;
  }
  for (let i = 0; i < len; i++) out[to + i] = out[from + i];
}

const HASH_BITS = 14;
const MAX_OFFSET = 65535;

/**
 * Compress with a greedy single-probe hash matcher. Not byte-identical to Google's snappy (which no
 * reader needs), but a valid stream any snappy decoder accepts.
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new Sink(32 + input.length + Math.ceil(input.length / 6));
  out.varint(input.length);
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let litStart = 0;
  let ip = 0;
  let misses = 0;
  while (ip + 4 <= input.length) {
    const v = read32(input, ip);
    const h = Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
    const cand = table[h];
    table[h] = ip;
    if (cand < 0 || ip - cand > MAX_OFFSET || read32(input, cand) !== v) {
      ip += 1 + (misses++ >> 5); // as snappy: skip faster through incompressible data
      continue;
    }
    misses = 0;
    let len = 4;
    while (ip + len < input.length && input[cand + len] === input[ip + len]) len++;
    out.literal(input, litStart, ip);
    out.copy(ip - cand, len);
    ip += len;
    litStart = ip;
  }
  out.literal(input, litStart, input.length);
  return out.bytes();
}

function read32(buf: Uint8Array, at: number): number {
  return buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24);
}

/** Output of the compressor: sized up front for the worst case, so no growth checks. */
class Sink {
  private readonly buf: Uint8Array;
  private pos = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  varint(v: number): void {
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }

  literal(src: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    const n = end - start - 1;
    if (n < 60) {
      this.buf[this.pos++] = n << 2;
    } else {
      const width = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
      this.buf[this.pos++] = (59 + width) << 2;
      for (let i = 0, v = n; i < width; i++, v = Math.floor(v / 256)) this.buf[this.pos++] = v & 0xff;
    }
    this.buf.set(src.subarray(start, end), this.pos);
    this.pos += end - start;
  }

  /** A match of len >= 4 at `offset` (< 65536), split into elements of at most 64 bytes. */
  copy(offset: number, len: number): void {
    while (len >= 68) {
      this.copy2(offset, 64);
      len -= 64;
    }
    if (len > 64) {
      this.copy2(offset, 60);
      len -= 60;
    }
    if (len < 12 && offset < 2048) {
      this.buf[this.pos++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
      this.buf[this.pos++] = offset & 0xff;
    } else {
      this.copy2(offset, len);
    }
  }

  private copy2(offset: number, len: number): void {
    this.buf[this.pos++] = 2 | ((len - 1) << 2);
    this.buf[this.pos++] = offset & 0xff;
    this.buf[this.pos++] = offset >>> 8;
  }
}
