// The parts of a loaded SavedModel the smoke test uses: the serving meta graph (tagged `serve`,
// else the first), its signatures, and the variables checkpoint.
import type { LoadedModel } from '../savedmodel';
import { MetaGraph, Signature, TensorSpec } from '../savedmodel';
import { msg, str } from '../protobuf';
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

/**
 * The signature to run: the one asked for, else `serving_default`, else the only one. Tensors
 * whose TensorInfo has no dtype (old exports) take it from the graph's node.
 */
export function pickSignature(model: SmokeModel, key: string | undefined): Signature | string {
  const sigs = model.metaGraph.clientSignatures;
  if (!sigs.length) return 'this model has no signatures: there is nothing a prediction service could call';
  const list = sigs.map((s) => s.key).join(', ');
  const picked = key !== undefined ? sigs.find((s) => s.key === key) : sigs.find((s) => s.key === 'serving_default') ?? (sigs.length === 1 ? sigs[0] : undefined);
  if (picked) return withGraphDtypes(model.metaGraph, picked);
  return key !== undefined ? `no signature '${key}'; the model has: ${list}` : `the model has no serving_default signature; pick one of: ${list}`;
}

function withGraphDtypes(mg: MetaGraph, s: Signature): Signature {
  const fix = (t: TensorSpec): TensorSpec => {
    if (t.dtype !== 'DT_INVALID' || t.name === undefined) return t;
    const i = mg.graph.indexOf(t.name.replace(/:\d+$/, ''));
    if (i < 0) return t;
    const attrs = mg.graph.attrs(i);
    const dtype = str(msg(attrs.dtype).type) || str(msg(attrs.T).type);
    return dtype ? { ...t, dtype } : t;
  };
  if (![...s.inputs, ...s.outputs].some((t) => t.dtype === 'DT_INVALID')) return s;
  return { ...s, inputs: s.inputs.map(fix), outputs: s.outputs.map(fix) };
}
