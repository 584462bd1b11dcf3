// Where the shared real-SavedModel corpus is. Tests that need it skip, naming what is missing.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SHARED_DIR = process.env.SAVEDMODEL_LENS_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
export const CORPUS_DIR = path.join(SHARED_DIR, 'corpus');
export const REFERENCE_DIR = path.join(SHARED_DIR, 'reference');

/** undefined when the corpus is there, else the reason to pass to `t.skip` / `{ skip }`. */
export function corpusMissing(): string | undefined {
  return fs.existsSync(CORPUS_DIR) ? undefined : `skipped: ${CORPUS_DIR} (../shared/corpus) is missing`;
}

export function referenceMissing(file: string): string | undefined {
  const p = path.join(REFERENCE_DIR, file);
  return fs.existsSync(p) ? undefined : `skipped: ${p} (../shared/reference/${file}) is missing`;
}

/** Every file named saved_model.pb / saved_model.pbtxt under the corpus, as [model name, path]. */
export function corpusModels(ext: '.pb' | '.pbtxt' = '.pb'): Array<[string, string]> {
  if (corpusMissing()) return [];
  const out: Array<[string, string]> = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, rel ? `${rel}/${e.name}` : e.name);
      else if (e.name === `saved_model${ext}`) out.push([rel, p]);
    }
  };
  walk(CORPUS_DIR, '');
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}
