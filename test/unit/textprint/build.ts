// Small builders over ByteWriter for hand-made wire messages.
import { ByteWriter } from '../../../server/src/core/protobuf/byteWriter';

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
