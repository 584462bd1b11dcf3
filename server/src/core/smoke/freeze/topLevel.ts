// The top-level graph nodes a frozen signature starts from: what its outputs need, what the init op
// runs (following control inputs, as TensorFlow runs an init op's dependencies), the signature's
// inputs as Placeholders, and the assets' paths as the loader feeds them.
import * as path from 'node:path';
import { NodeTable, Signature, TensorSpec } from '../../savedmodel';
import { FlatGraph, FlatNode, FreezeError, TensorRef, normalizeRef, refIndex, refNode } from './flatGraph';
import { assetTensors } from './modelAssets';
import { SmokeModel } from '../smokeModel';
import { STATE_CHANGING } from './stateChanges';

export interface TopLevel {
  /** Each signature input's feed tensor. */
  readonly feeds: TensorRef[];
  /** Top-level nodes the init op runs. */
  readonly initNodes: ReadonlySet<string>;
  /** Top-level nodes the outputs wait for (control inputs) that change a variable or table. */
  readonly stateChanging: readonly FlatNode[];
}

/**
 * Copy the top-level nodes the outputs need, and those the init op runs (following its control
 * inputs too), into the flat graph, stopping at the signature's inputs, which become Placeholders.
 */
export function loadTopLevel(graph: FlatGraph, table: NodeTable, signature: Signature, initRoots: readonly string[]): TopLevel {
  const fed = new Set(signature.inputs.map((s) => normalizeRef(s.name as string)));
  const needed = reach(table, signature.outputs.map((s) => s.name as string), fed, false);
  for (const o of signature.outputs) if (table.indexOf(refNode(o.name as string)) < 0 && !fed.has(normalizeRef(o.name as string))) {
    throw new FreezeError(`the graph has no node ${refNode(o.name as string)} (needed for output ${o.key})`);
  }
  const initNodes = reach(table, initRoots, fed, true);
  for (const i of [...new Set([...needed, ...initNodes])].sort((a, b) => a - b)) {
    const inputs = table.inputs(i).filter((r) => !r.startsWith('^')).map(normalizeRef);
    graph.add({ name: table.name(i), op: table.ops[i], inputs, attrs: table.attrs(i) });
  }
  const feeds = signature.inputs.map((s) => addPlaceholder(graph, s));
  const waitedFor = [...reach(table, signature.outputs.map((s) => s.name as string), fed, true)].filter((i) => STATE_CHANGING.test(table.ops[i]));
  const stateChanging = waitedFor.map((i) => ({ name: table.name(i), op: table.ops[i], inputs: [], attrs: {} }));
  return { feeds, initNodes: new Set([...initNodes].map((i) => table.name(i))), stateChanging };
}

function addPlaceholder(graph: FlatGraph, spec: TensorSpec): TensorRef {
  const tensor = normalizeRef(spec.name as string);
  const base = refIndex(tensor) === 0 ? refNode(tensor) : `${refNode(tensor)}/feed_${refIndex(tensor)}`;
  let name = base;
  for (let k = 1; graph.nodes.has(name); k++) name = `${base}_${k}`;
  // The request was checked against the signature already; an explicit unknown shape keeps the
  // OpDef's default (a scalar in 2016 graphs) from being filled in.
  graph.add({ name, op: 'Placeholder', inputs: [], attrs: { dtype: { type: spec.dtype }, shape: { shape: { unknown_rank: true } } } });
  if (`${name}:0` !== tensor) graph.alias(tensor, `${name}:0`);
  return `${name}:0`;
}

/** Node indices the given tensors depend on (through control inputs too, when asked). */
function reach(table: NodeTable, roots: readonly string[], fed: ReadonlySet<TensorRef>, control: boolean): Set<number> {
  const needed = new Set<number>();
  const queue = [...roots];
  while (queue.length) {
    const ref = queue.pop() as string;
    if (fed.has(normalizeRef(ref))) continue;
    const i = table.indexOf(refNode(ref.replace(/^\^/, '')));
    if (i < 0) throw new FreezeError(`the graph has no node ${refNode(ref.replace(/^\^/, ''))} (needed for ${ref})`);
    if (needed.has(i)) continue;
    needed.add(i);
    for (const input of table.inputs(i)) if (control || !input.startsWith('^')) queue.push(input);
  }
  return needed;
}

/**
 * Nodes the init op runs: its top-level nodes, and the nodes inlined from its calls (named
 * `call/...`; a call node is gone once inlined, which tells its body from a top-level `call/x`).
 */
export function isInitNode(initNodes: ReadonlySet<string>, graph: FlatGraph): (node: FlatNode) => boolean {
  return (node) => {
    if (initNodes.has(node.name)) return true;
    for (let i = node.name.indexOf('/'); i > 0; i = node.name.indexOf('/', i + 1)) {
      const prefix = node.name.slice(0, i);
      if (initNodes.has(prefix) && !graph.nodes.has(prefix)) return true;
    }
    return false;
  };
}

/** The loader feeds each asset's path to its tensor (a Placeholder, or a Const of the path at export time): make it that constant. */
export function assetPaths(graph: FlatGraph, model: SmokeModel): void {
  for (const a of assetTensors(model.metaGraph)) {
    const node = graph.nodes.get(refNode(normalizeRef(a.tensorName)));
    if (!node || !['Placeholder', 'Const', 'PlaceholderWithDefault'].includes(node.op)) continue;
    const file = new TextEncoder().encode(path.join(model.dir, 'assets', a.filename));
    node.op = 'Const';
    node.inputs = [];
    node.attrs = { dtype: { type: 'DT_STRING' }, value: { tensor: { dtype: 'DT_STRING', tensor_shape: {}, string_val: [file] } } };
  }
}

