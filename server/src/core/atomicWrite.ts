// Write a file through a temporary sibling renamed into place: a failed or interrupted export never
// leaves a half-written file where the user expects a complete one. A device or a pipe given as
// the output (`-o /dev/stdout`, a FIFO) is written in place: renaming over it would replace it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The path exists and is neither a regular file nor a folder (a device, a pipe, a socket). */
export function isSpecialFile(file: string): boolean {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st !== undefined && !st.isFile() && !st.isDirectory();
}

/** A temporary name next to file, hidden and unique to this process. */
export function temporarySibling(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
}

export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  if (isSpecialFile(file)) {
    fs.writeFileSync(file, bytes);
    return;
  }
  const tmp = temporarySibling(file);
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
