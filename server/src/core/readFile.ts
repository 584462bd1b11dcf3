// Read a whole file into one buffer in chunks. fs.readFileSync stops at 2 GiB; a text SavedModel
// can be larger than that (and larger than a JS string) while its binary form still fits, so we
// read in chunks into a Buffer up to Node's buffer limit.
import * as fs from 'node:fs';
import { constants } from 'node:buffer';

const CHUNK = 64 * 1024 * 1024;

export function readWholeFile(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > constants.MAX_LENGTH) {
      throw new Error(`${(size / 2 ** 30).toFixed(1)} GiB is more than this Node.js can hold in memory (${(constants.MAX_LENGTH / 2 ** 30).toFixed(0)} GiB)`);
    }
    const buf = Buffer.allocUnsafe(size);
    let pos = 0;
    while (pos < size) {
      const n = fs.readSync(fd, buf, pos, Math.min(CHUNK, size - pos), pos);
      if (n === 0) break;
      pos += n;
    }
    return pos === size ? buf : buf.subarray(0, pos);
  } finally {
    fs.closeSync(fd);
  }
}
