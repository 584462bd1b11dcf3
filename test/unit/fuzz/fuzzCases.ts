// The fuzz cases: case i of seed s is always the same corpus model, file and mutation. A case is a
// copy of the model folder with one file replaced by its mutant, so every command sees a whole
// model directory as a user would hand it over.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../../../server/src/core/prng';
import { CORPUS_DIR } from '../../helpers/corpus';
import { mutate } from './mutate';

export type Target = 'pb' | 'pbtxt' | 'index' | 'shard';

export interface CaseSpec {
  readonly index: number;
  readonly model: string;
  readonly target: Target;
  /** The mutated file, relative to the model folder. */
  readonly file: string;
  readonly kind: string;
  readonly label: string;
}

export interface WrittenCase extends CaseSpec {
  readonly dir: string;
  readonly bytes: Uint8Array;
  /** The corpus folder the case copies. */
  readonly source: string;
}

// Small models keep each case a few milliseconds; the big ones add nothing the small ones lack.
const MAX_MODEL_BYTES = 200_000;

interface Source {
  readonly name: string;
  readonly dir: string;
  readonly files: ReadonlyMap<Target, string[]>;
}

let sources: Source[] | undefined;

function modelDirs(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name of fs.readdirSync(CORPUS_DIR).sort()) {
    const dir = path.join(CORPUS_DIR, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const versions = fs.readdirSync(dir).filter((d) => /^\d+$/.test(d)).sort();
    out.push([name, versions.length ? path.join(dir, versions[versions.length - 1]) : dir]);
  }
  return out;
}

function filesOf(dir: string): Map<Target, string[]> {
  const files = new Map<Target, string[]>();
  const add = (t: Target, rel: string): void => {
    if (fs.existsSync(path.join(dir, rel))) files.set(t, [...(files.get(t) ?? []), rel]);
  };
  add('pb', 'saved_model.pb');
  add('pbtxt', 'saved_model.pbtxt');
  add('index', 'variables/variables.index');
  const vars = path.join(dir, 'variables');
  if (fs.existsSync(vars)) for (const f of fs.readdirSync(vars).filter((n) => n.startsWith('variables.data-'))) add('shard', `variables/${f}`);
  return files;
}

function sizeOf(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? sizeOf(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
}

export function corpusSources(): Source[] {
  sources ??= modelDirs().filter(([, dir]) => sizeOf(dir) <= MAX_MODEL_BYTES).map(([name, dir]) => ({ name, dir, files: filesOf(dir) }));
  return sources;
}

// How often each kind of file is mutated: the model file most, then the checkpoint.
const TARGET_WEIGHTS: ReadonlyArray<[Target, number]> = [['pb', 50], ['pbtxt', 15], ['index', 20], ['shard', 15]];

function pickTarget(random: () => number): Target {
  let r = random() * 100;
  for (const [t, w] of TARGET_WEIGHTS) {
    if (r < w) return t;
    r -= w;
  }
  return 'pb';
}

/** Case `index` of `seed`: which model, which file, which mutation; the mutant's bytes. */
export function caseOf(seed: number, index: number): CaseSpec & { bytes: Uint8Array; source: string } {
  const random = mulberry32((seed * 1_000_003 + index) >>> 0);
  const target = pickTarget(random);
  const candidates = corpusSources().filter((s) => s.files.has(target));
  const src = candidates[Math.floor(random() * candidates.length)];
  const files = src.files.get(target) as string[];
  const file = files[Math.floor(random() * files.length)];
  const original = new Uint8Array(fs.readFileSync(path.join(src.dir, file)));
  const m = mutate(original, target === 'pbtxt', random);
  return { index, model: src.name, target, file, kind: m.kind, label: m.label, bytes: m.bytes, source: src.dir };
}

/** Write case `index` under `root` (a copy of the model folder with the mutant in place). */
export function writeCase(root: string, seed: number, index: number): WrittenCase {
  const c = caseOf(seed, index);
  const dir = path.join(root, `case-${index}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(c.source, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, c.file), c.bytes);
  return { ...c, dir };
}

export function describeCase(c: CaseSpec): string {
  return `case ${c.index}: ${c.model}/${c.file} ${c.label}`;
}
