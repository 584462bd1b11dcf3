// The size of a model directory as the tests expect it: every file under it, walked here
// independently of the code under test.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function directoryBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? directoryBytes(p) : fs.statSync(p).size;
  }
  return total;
}
