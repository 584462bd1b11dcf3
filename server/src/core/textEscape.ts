// String and bytes values as protobuf's CEscape writes them, which is what `protoc --decode`
// prints for both `string` and `bytes` fields (TextFormat::Printer's default, no UTF-8
// pass-through): \n \r \t \" \' \\ by name, every other byte outside 0x20..0x7e, including
// each byte of a multi-byte UTF-8 character, as a three-digit octal escape.

/** Bytes each input byte becomes: 1 (itself), 2 (named escape) or 4 (octal escape). */
const WIDTH = new Uint8Array(256);
/** The letter after the backslash for named escapes. */
const NAMED = new Uint8Array(256);

for (let b = 0; b < 256; b++) WIDTH[b] = b >= 0x20 && b < 0x7f ? 1 : 4;
for (const [b, letter] of [[0x0a, 'n'], [0x0d, 'r'], [0x09, 't'], [0x22, '"'], [0x27, "'"], [0x5c, '\\']] as const) {
  WIDTH[b] = 2;
  NAMED[b] = letter.charCodeAt(0);
}

/** The most bytes escaping n input bytes can produce. */
export function maxEscapedLength(n: number): number {
  return n * 4;
}

/**
 * Escape src[start, end) into dst at pos; returns the position after it. The caller makes room
 * for maxEscapedLength(end - start) bytes.
 */
export function writeEscaped(dst: Uint8Array, pos: number, src: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const b = src[i];
    const w = WIDTH[b];
    if (w === 1) {
      dst[pos++] = b;
    } else if (w === 2) {
      dst[pos++] = 0x5c;
      dst[pos++] = NAMED[b];
    } else {
      dst[pos++] = 0x5c;
      dst[pos++] = 0x30 + (b >> 6);
      dst[pos++] = 0x30 + ((b >> 3) & 7);
      dst[pos++] = 0x30 + (b & 7);
    }
  }
  return pos;
}
