// Hand-made protobuf bytes for tests that need encodings our encoder never writes (fields out of
// order, a singular field twice).
import { ByteWriter } from '../../server/src/core/protobuf/byteWriter';

/** A length-delimited field: tag, length, payload. */
export function lenField(num: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  w.tag(num, 2);
  w.lengthDelimited(payload);
  return w.bytes();
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
