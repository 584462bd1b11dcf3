// The values of number tokens, read as protoc 3.21's Tokenizer reads them: integers in decimal,
// hex or octal; floating-point values correctly rounded, as strtod gives them.
import { asciiText } from './textLexer';

/**
 * The unsigned value of an Integer token: decimal, `0x` hex or `0` octal, as Tokenizer::ParseInteger
 * reads it. A number when below 2^53, else a bigint.
 */
export function integerValue(buf: Uint8Array, start: number, end: number): number | bigint {
  const n = end - start;
  if (n > 1 && buf[start] === 48) {
    const hex = buf[start + 1] === 120 || buf[start + 1] === 88;
    const digits = asciiText(buf, start + (hex ? 2 : 1), end);
    if (!digits) return 0;
    return small(BigInt(hex ? `0x${digits}` : `0o${digits}`));
  }
  if (n <= 15) {
    let v = 0;
    for (let i = start; i < end; i++) v = v * 10 + buf[i] - 48;
    return v;
  }
  return small(BigInt(asciiText(buf, start, end)));
}

function small(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A decimal or octal/hex-looking Integer token: protoc takes only decimals as floating-point values. */
export function isDecimalInteger(buf: Uint8Array, start: number, end: number): boolean {
  return !(end - start > 1 && buf[start] === 48);
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** The double a Float or decimal Integer token denotes (correctly rounded, like strtod). */
export function floatValue(buf: Uint8Array, start: number, end: number): number {
  const last = buf[end - 1];
  if (last === 102 || last === 70) end--;
  return simpleDecimal(buf, start, end) ?? Number(asciiText(buf, start, end));
}

/**
 * `digits[.digits]` with at most 15 significant digits and 22 decimals: the digits as an integer
 * and the power of ten are exact doubles, so one division rounds correctly (Clinger's fast path).
 */
function simpleDecimal(buf: Uint8Array, start: number, end: number): number | undefined {
  let m = 0;
  let digits = 0;
  let decimals = -1;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 46 && decimals < 0) {
      decimals = 0;
      continue;
    }
    if (c < 48 || c > 57) return undefined;
    m = m * 10 + (c - 48);
    if (m !== 0) digits++;
    if (decimals >= 0) decimals++;
  }
  if (digits > 15 || decimals > 22) return undefined;
  return decimals > 0 ? m / POW10[decimals] : m;
}
