// Which checkpoint entries the serving signatures read: the variable nodes the serving graph
// reaches (VariableV2 by name, VarHandleOp through the object graph's captures), mapped to their
// checkpoint keys as the built-in runtime maps them. Everything else in variables/ (optimizer
// slots, global step, EMA shadows, training-only layers) is restored at load and never used.
import { LoadedModel, MetaGraph } from '../savedmodel';
import { BundleEntry, CheckpointError, OBJECT_GRAPH_KEY } from '../checkpoint';
import { GraphNodeView, variableKeys } from '../smoke';
import { ServingReach, reachedGraphNodes, servingReach } from './servingGraph';
import { servingMetaGraphs } from './servingMetaGraphs';

export interface ServedWeights {
  /** Checkpoint keys a serving signature reads. */
  readonly keys: ReadonlySet<string>;
  /** Entries no serving signature reads, largest first. */
  readonly unused: readonly BundleEntry[];
}

const VARIABLE_OPS: ReadonlySet<string> = new Set(['VariableV2', 'Variable', 'VarHandleOp']);

/**
 * The served checkpoint keys, or undefined when they cannot be told for sure: no V2 checkpoint,
 * no client signature, partitioned variables, or a reached variable whose key is not found.
 */
export function servedWeights(model: Pick<LoadedModel, 'doc' | 'variables' | 'location'>, reachOf: (mg: MetaGraph) => ServingReach = (mg) => servingReach(mg)): ServedWeights | undefined {
  const v = model.variables;
  if (v.kind !== 'v2' || v.index.entries.some((e) => e.slices > 0)) return undefined;
  const mgs = servingMetaGraphs(model.doc).candidates.filter((mg) => mg.clientSignatures.length > 0);
  if (!mgs.length) return undefined;
  const keys = new Set<string>();
  for (const mg of mgs) {
    const found = servedKeysOf(mg, reachOf(mg), `${model.location.dir}/variables`, v.index);
    if (!found) return undefined;
    for (const k of found) keys.add(k);
  }
  const unused = v.index.entries.filter((e) => e.name !== OBJECT_GRAPH_KEY && !keys.has(e.name)).sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
  return { keys, unused };
}

function servedKeysOf(mg: MetaGraph, reach: ServingReach, variablesDir: string, index: Parameters<typeof variableKeys>[3]): string[] | undefined {
  const g = mg.graph;
  const views: GraphNodeView[] = [];
  const variables: GraphNodeView[] = [];
  for (const i of reachedGraphNodes(reach)) {
    const isVariable = VARIABLE_OPS.has(g.ops[i]);
    // Call nodes carry the captures that say which object each variable is (TF2).
    if (!isVariable && !/PartitionedCall$/.test(g.ops[i])) continue;
    const view = { name: g.name(i), op: g.ops[i], inputs: g.inputs(i), attrs: g.attrs(i) };
    views.push(view);
    if (isVariable) variables.push(view);
  }
  if (!variables.length) return [];
  let mapping: ReturnType<typeof variableKeys>;
  try {
    mapping = variableKeys(mg, views, variablesDir, index);
  } catch (e) {
    // A corrupt object graph entry: variables-corrupt reports it; which keys are served is unknown.
    if (e instanceof CheckpointError) return undefined;
    throw e;
  }
  const out: string[] = [];
  for (const n of variables) {
    const key = mapping.keyOf(n);
    if (key === undefined) return undefined;
    out.push(key);
  }
  return out;
}
