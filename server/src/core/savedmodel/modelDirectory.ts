// A SavedModel directory on disk: where the model file is (given a file, a folder or a TF Serving
// base path with numeric versions), and every file in it with its size. Sizes are what the
// prediction service counts against its limit: the whole directory, not only saved_model.pb.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FileEntry {
  /** Path relative to the model directory, with `/` separators. */
  readonly path: string;
  readonly bytes: number;
}

export interface ModelLocation {
  readonly dir: string;
  readonly modelFile: string;
  readonly format: 'binary' | 'text';
  /** Set when the input was a TF Serving base path: the version folders found, oldest first. */
  readonly versions?: readonly string[];
}

export type Located = ModelLocation | { readonly error: string };

const MODEL_FILES: Array<[string, 'binary' | 'text']> = [['saved_model.pb', 'binary'], ['saved_model.pbtxt', 'text']];

export function locateModel(input: string): Located {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    return { error: `${input}: no such file or directory` };
  }
  if (stat.isFile()) {
    const base = path.basename(input);
    const format = base.endsWith('.pbtxt') || base.endsWith('.textproto') ? 'text' : 'binary';
    return { dir: path.dirname(path.resolve(input)), modelFile: path.resolve(input), format };
  }
  const direct = modelFileIn(input);
  if (direct) return direct;
  const versions = fs.readdirSync(input, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^\d+$/.test(e.name) && modelFileIn(path.join(input, e.name)))
    .map((e) => e.name)
    .sort((a, b) => Number(a) - Number(b));
  if (versions.length) {
    // TF Serving serves the highest version by default; that is the one we inspect.
    const latest = modelFileIn(path.join(input, versions[versions.length - 1])) as ModelLocation;
    return { ...latest, versions };
  }
  return { error: `${input}: no saved_model.pb or saved_model.pbtxt here, nor in numeric version folders` };
}

function modelFileIn(dir: string): ModelLocation | undefined {
  for (const [name, format] of MODEL_FILES) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return { dir: path.resolve(dir), modelFile: path.resolve(p), format };
  }
  return undefined;
}

/** Every regular file under dir (symlinks followed once), sorted by path. */
export function listFiles(dir: string): FileEntry[] {
  const out: FileEntry[] = [];
  const walk = (abs: string, rel: string, depth: number): void => {
    if (depth > 32) return;
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names) {
      const p = path.join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      try {
        const st = fs.statSync(p);
        if (st.isDirectory()) walk(p, r, depth + 1);
        else if (st.isFile()) out.push({ path: r, bytes: st.size });
      } catch {
        // A dangling symlink is not part of the model; ignore it.
      }
    }
  };
  walk(dir, '', 0);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function totalBytes(files: readonly FileEntry[]): number {
  return files.reduce((s, f) => s + f.bytes, 0);
}

export function filesUnder(files: readonly FileEntry[], folder: string): FileEntry[] {
  return files.filter((f) => f.path.startsWith(`${folder}/`));
}
