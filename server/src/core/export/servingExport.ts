// export-serving: a deployable copy of a SavedModel with only what prediction needs: the model file
// (always binary), the variables checkpoint, assets/, assets.extra/, fingerprint.pb and
// explanation_metadata.json. Training artifacts and tooling files (debug info, Keras metadata, hub
// module markers) stay behind. With serveOnly, meta graphs without the serve tag are dropped by
// copying the byte spans of everything else, so nothing is decoded and re-encoded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedModel } from '../savedmodel';
import { FileEntry } from '../savedmodel';
import { ByteWriter } from '../protobuf';
import { loadSchema, FieldInfo, WireType } from '../protobuf';
import { WireReader, RawField } from '../protobuf';
import { SERVE_TAG } from '../rules/servingMetaGraphs';
import { artifactKind } from '../rules/trainingArtifact';

export class ServingExportError extends Error {}

export interface ServingExportOptions {
  /** Drop meta graphs that are not tagged serve. */
  readonly serveOnly?: boolean;
  /** Replace an existing non-empty output folder. */
  readonly force?: boolean;
}

export interface ServingExportPlan {
  /** Files copied as they are, relative to the model directory. */
  readonly copy: readonly FileEntry[];
  /** Files of the source directory left out, relative to it. */
  readonly leftOut: readonly string[];
  /** The saved_model.pb to write. */
  readonly modelBytes: Uint8Array;
  readonly keptMetaGraphs: readonly number[];
  readonly droppedMetaGraphs: readonly number[];
  /** fingerprint.pb describes the model file byte for byte: it is left out when the file changes. */
  readonly fingerprint: 'copied' | 'left out: the model file changed' | 'none';
}

const MODEL_FILE = 'saved_model.pb';
const KEPT = /^(variables\/variables(\.index|\.data-\d{5}-of-\d{5}|-\d{5}-of-\d{5})?|assets\/.+|assets\.extra\/.+|explanation_metadata\.json)$/;

export function planServingExport(model: LoadedModel, options: ServingExportOptions = {}): ServingExportPlan {
  if (model.text?.parse.errors.length) {
    throw new ServingExportError(`${path.basename(model.location.modelFile)} has ${model.text.parse.errors.length} syntax/schema error(s); fix them first (savedmodel-lens check shows where)`);
  }
  const all = model.doc.metaGraphs.map((mg) => mg.index);
  const kept = options.serveOnly ? model.doc.metaGraphs.filter((mg) => mg.tags.includes(SERVE_TAG)).map((mg) => mg.index) : all;
  if (!kept.length) throw new ServingExportError('no meta graph is tagged serve, so --serve-only would leave nothing to serve');
  const modelBytes = kept.length === all.length ? model.binary : keepMetaGraphs(model.binary, new Set(kept));
  const unchanged = model.location.format === 'binary' && modelBytes === model.binary;
  const hasFingerprint = model.files.some((f) => f.path === 'fingerprint.pb');
  const copy = model.files.filter((f) => (KEPT.test(f.path) && !artifactKind(f.path)) || (f.path === 'fingerprint.pb' && unchanged));
  const modelRel = path.basename(model.location.modelFile);
  return {
    copy,
    leftOut: model.files.filter((f) => f.path !== modelRel && !copy.includes(f)).map((f) => f.path),
    modelBytes,
    keptMetaGraphs: kept,
    droppedMetaGraphs: all.filter((i) => !kept.includes(i)),
    fingerprint: !hasFingerprint ? 'none' : unchanged ? 'copied' : 'left out: the model file changed',
  };
}

/** The SavedModel bytes with only the meta graphs whose index is in `keep`; other fields as they were. */
export function keepMetaGraphs(bytes: Uint8Array, keep: ReadonlySet<number>): Uint8Array {
  const field = loadSchema().message('tensorflow.SavedModel').byName.get('meta_graphs') as FieldInfo;
  const out = new ByteWriter(bytes.length);
  const r = new WireReader(bytes, 0, bytes.length);
  const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
  let index = 0;
  while (!r.atEnd()) {
    r.next(f);
    const isMetaGraph = f.number === field.number && f.wireType === WireType.LengthDelimited;
    if (!isMetaGraph || keep.has(index)) out.raw(bytes.subarray(f.tagStart, f.end));
    if (isMetaGraph) index++;
  }
  return out.bytes().slice();
}

/** Write the plan into outDir: through a temporary sibling folder, so a failure leaves no half copy. */
export function writeServingExport(model: LoadedModel, plan: ServingExportPlan, outDir: string, options: ServingExportOptions = {}): void {
  const out = path.resolve(outDir);
  checkTarget(model.location.dir, out, options.force ?? false);
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    fs.mkdirSync(tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, MODEL_FILE), plan.modelBytes);
    for (const f of plan.copy) {
      const to = path.join(tmp, ...f.path.split('/'));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.join(model.location.dir, ...f.path.split('/')), to, fs.constants.COPYFILE_EXCL);
    }
    replaceFolder(tmp, out);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The output folder is usable: outside the source, and absent or empty unless forced. Throws ServingExportError. */
export function checkTarget(source: string, out: string, force: boolean): void {
  const src = fs.realpathSync(source);
  const target = realOrSelf(out);
  const inside = (a: string, b: string): boolean => a === b || a.startsWith(b + path.sep);
  if (inside(target, src)) throw new ServingExportError(`${out} is inside the source model directory ${source}; the source is never modified`);
  if (inside(src, target)) throw new ServingExportError(`${out} contains the source model directory ${source}; choose another output folder`);
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new ServingExportError(`${out} exists and is not a folder`);
  if (fs.readdirSync(out).length && !force) throw new ServingExportError(`${out} exists and is not empty; pass --force to replace it`);
}

/** The real path of p, or of its nearest existing ancestor joined with the rest. */
function realOrSelf(p: string): string {
  const rest: string[] = [];
  let at = p;
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest);
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return p;
      rest.unshift(path.basename(at));
      at = parent;
    }
  }
}

/** Move a finished temporary folder into place, replacing what was there only once the move can succeed. */
export function replaceFolder(from: string, to: string): void {
  if (!fs.existsSync(to)) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(from, to);
    return;
  }
  const old = `${to}.old-${process.pid}`;
  fs.renameSync(to, old);
  try {
    fs.renameSync(from, to);
  } catch (e) {
    fs.renameSync(old, to);
    throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}
