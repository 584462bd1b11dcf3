// The key a checkpoint stores one slice of a partitioned tensor under: TensorFlow's
// EncodeTensorNameSlice, in its OrderedCode: NumIncreasing(0), String(name), NumIncreasing(rank),
// then per dimension SignedNumIncreasing(start) and SignedNumIncreasing(length), -1 for "all".
// Ordered so that a tensor's slices sort by their starts.
import { SliceExtent } from './checkpointIndex';

const FULL_EXTENT = -1n;

export function tensorSliceKey(name: string, extents: readonly SliceExtent[]): Uint8Array {
  const out: number[] = [];
  numIncreasing(out, 0n);
  stringIncreasing(out, new TextEncoder().encode(name));
  numIncreasing(out, BigInt(extents.length));
  for (const x of extents) {
    signedNumIncreasing(out, BigInt(x.start));
    signedNumIncreasing(out, x.length === undefined ? FULL_EXTENT : BigInt(x.length));
  }
  return Uint8Array.from(out);
}

/** Length byte, then the value's big-endian bytes (none for 0). */
function numIncreasing(out: number[], v: bigint): void {
  const bytes: number[] = [];
  for (let x = v; x > 0n; x >>= 8n) bytes.unshift(Number(x & 0xffn));
  out.push(bytes.length, ...bytes);
}

/** 0x00 → 0x00 0xff, 0xff → 0xff 0x00, then the terminator 0x00 0x01. */
function stringIncreasing(out: number[], s: Uint8Array): void {
  for (const b of s) {
    if (b === 0x00) out.push(0x00, 0xff);
    else if (b === 0xff) out.push(0xff, 0x00);
    else out.push(b);
  }
  out.push(0x00, 0x01);
}

// OrderedCode's kLengthToHeaderBits: the header bits of an n-byte signed encoding.
const HEADER: ReadonlyArray<readonly [number, number]> = [
  [0, 0], [0x80, 0], [0xc0, 0], [0xe0, 0], [0xf0, 0], [0xf8, 0], [0xfc, 0], [0xfe, 0], [0xff, 0], [0xff, 0x80], [0xff, 0xc0],
];

function signedNumIncreasing(out: number[], v: bigint): void {
  const x = v < 0n ? ~v : v;
  if (x < 64n) {
    out.push((HEADER[1][0] ^ Number(BigInt.asUintN(8, v))) & 0xff);
    return;
  }
  const bits = x.toString(2).length;
  const len = Math.floor(bits / 7) + 1;
  const bytes: number[] = [];
  const sign = v < 0n ? 0xff : 0x00;
  let u = BigInt.asUintN(64, v);
  for (let i = 0; i < 8; i++, u >>= 8n) bytes.unshift(Number(u & 0xffn));
  const buf = [sign, sign, ...bytes].slice(10 - len);
  buf[0] ^= HEADER[len][0];
  buf[1] ^= HEADER[len][1];
  out.push(...buf);
}
