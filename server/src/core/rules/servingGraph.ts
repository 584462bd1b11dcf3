// The serving graph: what running a meta graph's client signatures executes. From the tensors
// the signatures name, walk node inputs backwards (data and control edges) through the main graph,
// and into every library function a reached node calls, recursively. A called function counts as
// a whole: functions run as units, and their side effects (variable updates, optimizer steps) hang
// off control outputs that no data edge reaches. Nodes no signature reaches (the saver, init ops,
// training subgraphs of TF1 exports, functions only other tooling calls) are not served.
import { MetaGraph, nodeNameOf } from '../savedModel';
import { ElementPath } from '../elementPath';
import { calledFunctions } from './functionCalls';

export interface ServingReach {
  readonly metaGraph: MetaGraph;
  /** Main-graph node index → key of the first signature that reaches it. */
  readonly graphNodes: ReadonlyMap<number, string>;
  /** Function name → key of the first signature that reaches it. */
  readonly functions: ReadonlyMap<string, string>;
}

export function servingReach(mg: MetaGraph): ServingReach {
  const graphNodes = new Map<number, string>();
  const functions = new Map<string, string>();
  for (const sig of mg.clientSignatures) {
    const nodes: number[] = [];
    const called: string[] = [];
    const reachNode = (name: string): void => {
      const i = mg.graph.indexOf(nodeNameOf(name));
      if (i >= 0 && !graphNodes.has(i)) {
        graphNodes.set(i, sig.key);
        nodes.push(i);
      }
    };
    for (const t of [...sig.inputs, ...sig.outputs]) if (t.name) reachNode(t.name);
    while (nodes.length) {
      const i = nodes.pop() as number;
      for (const input of mg.graph.inputs(i)) reachNode(input);
      called.push(...calledFunctions(mg.graph, i, mg.functions));
    }
    while (called.length) {
      const name = called.pop() as string;
      const fn = mg.functions.get(name);
      if (!fn || functions.has(name)) continue;
      functions.set(name, sig.key);
      for (let k = 0; k < fn.nodes.count; k++) called.push(...calledFunctions(fn.nodes, k, mg.functions));
    }
  }
  return { metaGraph: mg, graphNodes, functions };
}

/** A node of the serving graph: in the main graph (fn undefined) or in a library function. */
export interface ServedNode {
  readonly op: string;
  readonly name: string;
  readonly fn: string | undefined;
  readonly signature: string;
  readonly path: ElementPath;
}

/** Every reached node, main graph first (in file order), then functions (in library order). */
export function* servedNodes(reach: ServingReach): Generator<ServedNode> {
  const mg = reach.metaGraph;
  const indices = [...reach.graphNodes.keys()].sort((a, b) => a - b);
  for (const i of indices) {
    yield { op: mg.graph.ops[i], name: mg.graph.names[i], fn: undefined, signature: reach.graphNodes.get(i) as string, path: graphNodePath(mg, i) };
  }
  for (const [name, fn] of mg.functions) {
    const signature = reach.functions.get(name);
    if (signature === undefined) continue;
    for (let k = 0; k < fn.nodes.count; k++) {
      yield { op: fn.nodes.ops[k], name: fn.nodes.names[k], fn: name, signature, path: [...fn.path, { field: 'node_def', index: k }] };
    }
  }
}

export function graphNodePath(mg: MetaGraph, i: number): ElementPath {
  return [...mg.path, { field: 'graph_def' }, { field: 'node', index: i }];
}
