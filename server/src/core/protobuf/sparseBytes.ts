// A message buffer may be sparse: as large as the file, with the framing read in and big `bytes`
// payloads left unread (positioned reads, savedmodel/modelFile.ts). Whoever made such a buffer
// registers how to fill a range of it; the decoder asks here before it hands out a `bytes` value,
// so a view never shows bytes that were not read.

/** Makes [start, end) of the buffer hold the file's bytes (reading them if needed) and returns it. */
export type RangeReader = (start: number, end: number) => Uint8Array;

/** Hands [start, end) of the file to `each` in pieces, without keeping what it read (an export streams it). */
export type ChunkReader = (start: number, end: number, each: (chunk: Uint8Array) => void) => void;

const readers = new WeakMap<ArrayBufferLike, RangeReader>();
const streamers = new WeakMap<ArrayBufferLike, ChunkReader>();

export function registerSparse(buf: Uint8Array, read: RangeReader, stream: ChunkReader): void {
  readers.set(buf.buffer, read);
  streamers.set(buf.buffer, stream);
}

/** [start, end) of buf in pieces: views of buf, or of a scratch buffer for what was never read in. */
export function eachChunk(buf: Uint8Array, start: number, end: number, each: (chunk: Uint8Array) => void): void {
  const stream = streamers.get(buf.buffer);
  if (stream) stream(buf.byteOffset + start, buf.byteOffset + end, each);
  else each(buf.subarray(start, end));
}

/** The bytes of [start, end) of buf: a view, read in first when buf is sparse. */
export function bytesAt(buf: Uint8Array, start: number, end: number): Uint8Array {
  const read = readers.get(buf.buffer);
  return read ? read(buf.byteOffset + start, buf.byteOffset + end).subarray(0, end - start) : buf.subarray(start, end);
}

export function isSparse(buf: Uint8Array): boolean {
  return readers.has(buf.buffer);
}
