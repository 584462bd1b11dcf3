// String literal tokens to the bytes they stand for, unescaping as protoc 3.21's
// Tokenizer::ParseStringAppend does.
import { ByteScratch } from '../protobuf';
import * as classes from './lexClasses';

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use, and escaped bytes values (tensor contents) can be megabytes.
const { CLASS, HEX, OCTAL, SIMPLE_ESCAPE } = classes;

function hexValue(c: number): number {
  return c <= 57 ? c - 48 : (c | 0x20) - 87;
}

/**
 * Append the bytes a string literal token [start, end) stands for (quotes included), unescaping as
 * Tokenizer::ParseStringAppend does: octal and \x escapes give one byte (mod 256), \u and \U give
 * UTF-8 (a \u head surrogate followed by a \u trail surrogate gives one code point; other
 * surrogates are encoded alone), code points past 10ffff are kept as the text `\Uxxxxxxxx`.
 */
export function appendStringLiteral(buf: Uint8Array, start: number, end: number, out: ByteScratch): void {
  const quote = buf[start];
  const last = end - 1 > start && buf[end - 1] === quote ? end - 1 : end;
  // Unescaped text is never longer than the literal, except `\U` past 10ffff (10 bytes for 10).
  out.reserve(last - start);
  let p = start + 1;
  while (p < last) {
    const c = buf[p];
    if (c !== 92 || p + 1 >= last) {
      out.bytes[out.length++] = c;
      p++;
    } else {
      p = appendEscape(buf, p + 1, last, out);
    }
  }
}

/**
 * appendStringLiteral for a literal the lexer has accepted, whose end is not known yet: decodes up
 * to the closing quote in one pass and returns the offset after it.
 */
export function appendCheckedLiteral(buf: Uint8Array, start: number, out: ByteScratch): number {
  const quote = buf[start];
  const len = buf.length;
  let p = start + 1;
  while (p < len) {
    const c = buf[p];
    if (c === quote) return p + 1;
    if (c !== 92) {
      out.push(c);
      p++;
    } else {
      p = appendEscape(buf, p + 1, len, out);
    }
  }
  return p;
}

/** Decode the escape after a backslash at `p`; returns the offset after it. */
function appendEscape(buf: Uint8Array, p: number, limit: number, out: ByteScratch): number {
  const c = buf[p];
  if (CLASS[c] & OCTAL) {
    let code = c - 48;
    p++;
    for (let i = 0; i < 2 && p < limit && CLASS[buf[p]] & OCTAL; i++) code = code * 8 + buf[p++] - 48;
    out.push(code & 0xff);
    return p;
  }
  if (c === 120) {
    let code = 0;
    p++;
    for (let i = 0; i < 2 && p < limit && CLASS[buf[p]] & HEX; i++) code = code * 16 + hexValue(buf[p++]);
    out.push(code);
    return p;
  }
  if (c === 117 || c === 85) return appendUnicodeEscape(buf, p, limit, out);
  out.push(SIMPLE_ESCAPE[c] || c);
  return p + 1;
}

function readHex(buf: Uint8Array, p: number, n: number, limit: number): number {
  if (p + n > limit) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[p + i];
    if (!(CLASS[c] & HEX)) return -1;
    v = v * 16 + hexValue(c);
  }
  return v;
}

function appendUnicodeEscape(buf: Uint8Array, p: number, limit: number, out: ByteScratch): number {
  const n = buf[p] === 117 ? 4 : 8;
  let code = readHex(buf, p + 1, n, limit);
  if (code < 0) {
    out.push(buf[p]);
    return p + 1;
  }
  p += 1 + n;
  if (code >= 0xd800 && code <= 0xdbff && buf[p] === 92 && buf[p + 1] === 117) {
    const trail = readHex(buf, p + 2, 4, limit);
    if (trail >= 0xdc00 && trail <= 0xdfff) {
      code = 0x10000 + ((code - 0xd800) << 10) + (trail - 0xdc00);
      p += 6;
    }
  }
  appendUtf8(code, out);
  return p;
}

function appendUtf8(code: number, out: ByteScratch): void {
  if (code <= 0x7f) {
    out.push(code);
  } else if (code <= 0x7ff) {
    out.push(0xc0 | (code >> 6));
    out.push(0x80 | (code & 0x3f));
  } else if (code <= 0xffff) {
    out.push(0xe0 | (code >> 12));
    out.push(0x80 | ((code >> 6) & 0x3f));
    out.push(0x80 | (code & 0x3f));
  } else if (code <= 0x10ffff) {
    out.push(0xf0 | (code >> 18));
    out.push(0x80 | ((code >> 12) & 0x3f));
    out.push(0x80 | ((code >> 6) & 0x3f));
    out.push(0x80 | (code & 0x3f));
  } else {
    const text = `\\U${code.toString(16).padStart(8, '0')}`;
    for (let i = 0; i < text.length; i++) out.push(text.charCodeAt(i));
  }
}
