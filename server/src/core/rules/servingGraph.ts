// The serving graph: what running a meta graph's client signatures executes. From the tensors
// the signatures name, walk node inputs backwards (data and control edges) through the main graph,
// and into every library function a reached node calls, recursively. A called function counts as
// a whole: functions run as units, and their side effects (variable updates, optimizer steps) hang
// off control outputs that no data edge reaches. Nodes no signature reaches (the saver, init ops,
// training subgraphs of TF1 exports, functions only other tooling calls) are not served.
import { MetaGraph, Signature, nodeNameOf } from '../savedmodel';
import { ElementPath } from '../elementPath';
import { calledFunctions } from './functionCalls';

export interface ServingReach {
  readonly metaGraph: MetaGraph;
  /** Per main-graph node: 0 if no signature reaches it, else 1 + the index in signatureKeys of the first that does. */
  readonly graphNodes: Uint32Array;
  readonly signatureKeys: readonly string[];
  /** Function name → key of the first signature that reaches it. */
  readonly functions: ReadonlyMap<string, string>;
}

/** `signatures`: the client signatures by default; one signature for what running it alone executes (the smoke test). */
export function servingReach(mg: MetaGraph, signatures: readonly Signature[] = mg.clientSignatures): ServingReach {
  const graphNodes = new Uint32Array(mg.graph.count);
  const functions = new Map<string, string>();
  const signatureKeys = signatures.map((s) => s.key);
  signatures.forEach((sig, k) => {
    const nodes: number[] = [];
    const called: string[] = [];
    const reach = (i: number): void => {
      if (i >= 0 && graphNodes[i] === 0) {
        graphNodes[i] = k + 1;
        nodes.push(i);
      }
    };
    for (const t of [...sig.inputs, ...sig.outputs]) if (t.name) reach(mg.graph.indexOf(nodeNameOf(t.name)));
    while (nodes.length) {
      const i = nodes.pop() as number;
      mg.graph.forEachInput(i, reach);
      if (mg.functions.size) called.push(...calledFunctions(mg.graph, i, mg.functions));
    }
    while (called.length) {
      const name = called.pop() as string;
      const fn = mg.functions.get(name);
      if (!fn || functions.has(name)) continue;
      functions.set(name, sig.key);
      for (let j = 0; j < fn.nodes.count; j++) called.push(...calledFunctions(fn.nodes, j, mg.functions));
    }
  });
  return { metaGraph: mg, graphNodes, signatureKeys, functions };
}

/** The key of the signature that first reaches main-graph node i, if any. */
export function reachedBy(reach: ServingReach, i: number): string | undefined {
  const k = reach.graphNodes[i];
  return k ? reach.signatureKeys[k - 1] : undefined;
}

/** Indices of the reached main-graph nodes, ascending. */
export function reachedGraphNodes(reach: ServingReach): number[] {
  const out: number[] = [];
  reach.graphNodes.forEach((k, i) => {
    if (k) out.push(i);
  });
  return out;
}

/** A node of the serving graph: in the main graph (fn undefined) or in a library function. */
export interface ServedNode {
  readonly op: string;
  readonly name: string;
  readonly fn: string | undefined;
  readonly signature: string;
  readonly path: ElementPath;
}

/** The reached nodes whose op type passes `keep`: main graph first (file order), then functions (library order). */
export function servedNodesOf(reach: ServingReach, keep: (op: string) => boolean): ServedNode[] {
  const mg = reach.metaGraph;
  const out: ServedNode[] = [];
  mg.graph.ops.forEach((op, i) => {
    const signature = reachedBy(reach, i);
    if (signature !== undefined && keep(op)) out.push({ op, name: mg.graph.name(i), fn: undefined, signature, path: graphNodePath(mg, i) });
  });
  for (const [name, fn] of mg.functions) {
    const signature = reach.functions.get(name);
    if (signature === undefined) continue;
    fn.nodes.ops.forEach((op, k) => {
      if (keep(op)) out.push({ op, name: fn.nodes.name(k), fn: name, signature, path: functionNodePath(fn.path, k) });
    });
  }
  return out;
}

export function graphNodePath(mg: MetaGraph, i: number): ElementPath {
  return [...mg.path, { field: 'graph_def' }, { field: 'node', index: i }];
}

export function functionNodePath(fnPath: ElementPath, k: number): ElementPath {
  return [...fnPath, { field: 'node_def', index: k }];
}
