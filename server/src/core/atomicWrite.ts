// Write a file through a temporary sibling renamed into place: a failed or interrupted export never
// leaves a half-written file where the user expects a complete one.
import * as fs from 'node:fs';

export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
