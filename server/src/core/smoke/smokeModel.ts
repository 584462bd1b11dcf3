// The parts of a loaded SavedModel the smoke test uses: the serving meta graph (tagged `serve`,
// else the first), its signatures, and the variables checkpoint.
import type { LoadedModel } from '../savedmodel';
import { MetaGraph, Signature } from '../savedmodel';
import { VariablesState } from '../checkpoint';
import * as path from 'node:path';

export interface SmokeModel {
  readonly dir: string;
  readonly metaGraph: MetaGraph;
  readonly variables: VariablesState;
  readonly variablesDir: string;
  readonly doc: LoadedModel['doc'];
}

export function smokeModel(loaded: Pick<LoadedModel, 'doc' | 'variables' | 'location'>): SmokeModel | string {
  const mgs = loaded.doc.metaGraphs;
  const mg = mgs.find((m) => m.tags.includes('serve')) ?? mgs[0];
  if (!mg) return 'the SavedModel has no meta graph';
  const dir = loaded.location.dir;
  return { dir, metaGraph: mg, variables: loaded.variables, variablesDir: path.join(dir, 'variables'), doc: loaded.doc };
}

/** The signature to run: the one asked for, else `serving_default`, else the only one. */
export function pickSignature(model: SmokeModel, key: string | undefined): Signature | string {
  const sigs = model.metaGraph.clientSignatures;
  const list = sigs.map((s) => s.key).join(', ') || '(none)';
  if (key !== undefined) return sigs.find((s) => s.key === key) ?? `no signature '${key}'; the model has: ${list}`;
  const def = sigs.find((s) => s.key === 'serving_default') ?? (sigs.length === 1 ? sigs[0] : undefined);
  return def ?? `the model has no serving_default signature; pick one of: ${list}`;
}
