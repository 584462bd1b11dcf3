// Small builders over ByteWriter for hand-made wire messages.
import { ByteWriter } from '../../../server/src/core/byteWriter';

export type Body = (w: ByteWriter) => void;

export function message(body: Body): Uint8Array {
  const w = new ByteWriter(256);
  body(w);
  return w.bytes().slice();
}

/** Field n as a length-delimited nested message. */
export function sub(w: ByteWriter, n: number, body: Body): void {
  w.tag(n, 2);
  const mark = w.beginLength();
  body(w);
  w.endLength(mark);
}

/** Field n as length-delimited bytes (a string is written as UTF-8). */
export function bytesField(w: ByteWriter, n: number, value: string | Uint8Array): void {
  w.tag(n, 2);
  w.lengthDelimited(typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
}

export function varintField(w: ByteWriter, n: number, value: number | bigint): void {
  w.tag(n, 0);
  if (typeof value === 'bigint') w.varintBig(value);
  else w.int32(value);
}

export function raw(...bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
