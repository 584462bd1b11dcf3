// String and bytes values as protobuf's CEscape writes them, which is what `protoc --decode`
// prints for both `string` and `bytes` fields (TextFormat::Printer's default, no UTF-8
// pass-through): \n \r \t \" \' \\ by name, every other byte outside 0x20..0x7e, including
// each byte of a multi-byte UTF-8 character, as a three-digit octal escape.

/** Bytes each input byte becomes: 1 (itself), 2 (named escape) or 4 (octal escape). */
const WIDTH = new Uint8Array(256);
/** Those bytes, little-endian in a 32-bit word, so one store writes any of them. */
const TEXT = new Uint32Array(256);

for (let b = 0; b < 256; b++) {
  WIDTH[b] = b >= 0x20 && b < 0x7f ? 1 : 4;
  TEXT[b] = WIDTH[b] === 1 ? b : word(0x5c, 0x30 + (b >> 6), 0x30 + ((b >> 3) & 7), 0x30 + (b & 7));
}
for (const [b, letter] of [[0x0a, 'n'], [0x0d, 'r'], [0x09, 't'], [0x22, '"'], [0x27, "'"], [0x5c, '\\']] as const) {
  WIDTH[b] = 2;
  TEXT[b] = word(0x5c, letter.charCodeAt(0), 0, 0);
}

function word(b0: number, b1: number, b2: number, b3: number): number {
  return (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
}

/** The most bytes escaping n input bytes can produce (also the room writeEscaped needs). */
export function maxEscapedLength(n: number): number {
  return n * 4;
}

/**
 * Escape src[start, end) into dst (seen through dstView) at pos; returns the position after it.
 * Every byte stores a whole 32-bit word (branch-free: binary tensor data is mostly escapes), so
 * the caller makes room for maxEscapedLength(end - start) bytes.
 */
export function writeEscaped(dstView: DataView, pos: number, src: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const b = src[i];
    dstView.setUint32(pos, TEXT[b], true);
    pos += WIDTH[b];
  }
  return pos;
}
