// Helpers shared by the checkpoint tests: the corpus' variables/ folders and a seeded PRNG.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS_DIR, corpusMissing } from '../../helpers/corpus';

/** Every `variables/` folder under the corpus, as [relative name, absolute path]. */
export function corpusVariableDirs(): Array<[string, string]> {
  if (corpusMissing()) return [];
  const out: Array<[string, string]> = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      if (e.name === 'variables') out.push([path.relative(CORPUS_DIR, dir), p]);
      else walk(p);
    }
  };
  walk(CORPUS_DIR);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The corpus' V2 index files, as [relative name, variables dir]. */
export function corpusIndexDirs(): Array<[string, string]> {
  return corpusVariableDirs().filter(([, dir]) => fs.existsSync(path.join(dir, 'variables.index')));
}

export function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

export function float32Of(bytes: Uint8Array): number[] {
  return Array.from(new Float32Array(bytes.slice().buffer));
}

export function tmpDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ckpt-${label}-`));
}

/** Offset and size of a table's first data block, from the footer's index handle and the index block's first entry. */
export function firstDataBlock(file: Uint8Array): { offset: number; size: number } {
  let p = file.length - 48;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = file[p++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  varint();
  varint(); // metaindex handle
  p = varint(); // index block offset
  varint(); // shared: 0 for the first entry
  const keyLen = varint();
  varint(); // value length
  p += keyLen;
  return { offset: varint(), size: varint() };
}
