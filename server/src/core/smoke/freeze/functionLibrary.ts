// TF2 functional control flow: If/StatelessIf/While/StatelessWhile take their branches, condition
// and body as library functions, which tfjs-converter runs when the graph's `library` carries them.
// Each function a kept node names is flattened as the signature is (calls inlined, variable reads
// of its resource arguments read the value the outer graph now passes, attr defaults filled) and
// emitted in the JSON form of a FunctionDef. Body nodes are named `<function>/<node>`: tfjs reads a
// function's constants from the model's one weight map by node name, so names must be unique.
import type { MetaGraph } from '../../savedmodel';
import { list, msg, str } from '../../protobuf';
import { FlatGraph, FlatNode, FreezeError, refNode } from './flatGraph';
import { inlineCalls } from './inline';
import { OpSignatures } from './opDefs';
import { fillAttrDefaults } from './attrDefaults';
import { toGather } from './resourceReads';
import { FunctionDefJson, nodeJson, inputName } from './graphArtifacts';

export const CONTROL_FLOW_OPS: ReadonlySet<string> = new Set(['If', 'StatelessIf', 'While', 'StatelessWhile']);

export interface FunctionLibrary {
  /** The library functions, in the JSON form tfjs-converter reads. */
  readonly json: FunctionDefJson[];
  /** Every node of every emitted function (to check their ops). */
  readonly nodes: FlatNode[];
  /** The names of the emitted functions. */
  readonly functions: string[];
  /** How many attr defaults the bodies needed. */
  readonly defaultsFilled: number;
}

/** The library functions the control-flow nodes among `nodes` need, transitively. */
export function functionLibrary(nodes: readonly FlatNode[], mg: MetaGraph, sigs: OpSignatures): FunctionLibrary {
  const json: FunctionDefJson[] = [];
  const all: FlatNode[] = [];
  const done = new Set<string>();
  let defaultsFilled = 0;
  const queue = nodes.filter((n) => CONTROL_FLOW_OPS.has(n.op)).flatMap(functionNames);
  while (queue.length) {
    const name = queue.pop() as string;
    if (done.has(name)) continue;
    done.add(name);
    const flat = flattenFunction(name, mg, sigs);
    defaultsFilled += fillAttrDefaults(flat.body, sigs);
    json.push(flat.json);
    all.push(...flat.body);
    for (const n of flat.body) if (CONTROL_FLOW_OPS.has(n.op)) queue.push(...functionNames(n));
  }
  return { json, nodes: all, functions: [...done], defaultsFilled };
}

/** The functions a node's attrs name (`then_branch`, `body`, ...). */
export function functionNames(node: FlatNode): string[] {
  return Object.values(node.attrs).flatMap((v) => {
    const a = msg(v);
    const one = str(msg(a.func).name);
    return [...(one ? [one] : []), ...list(msg(a.list).func).map((f) => str(msg(f).name)).filter((n) => n)];
  });
}

interface FlatFunction {
  readonly body: FlatNode[];
  readonly json: FunctionDefJson;
}

function flattenFunction(name: string, mg: MetaGraph, sigs: OpSignatures): FlatFunction {
  const fn = mg.functions.get(name);
  const sig = sigs.functions.get(name);
  if (!fn || !sig) throw new FreezeError(`control flow calls function ${name}, which the graph's library does not define`);
  const graph = new FlatGraph();
  for (const a of fn.inputArgs) graph.add({ name: a, op: 'Placeholder', inputs: [], attrs: {} });
  // Inlining a call of the function into an empty graph gives its flattened body, prefixed by name.
  graph.add({ name, op: 'PartitionedCall', inputs: fn.inputArgs.map((a) => `${a}:0`), attrs: { f: { func: { name } } } });
  inlineCalls(graph, mg, sigs);
  graph.resolveAll();
  const outputs = sig.outputArgs.map((_, k) => graph.resolve(`${name}:${k}`));
  readsOfArguments(graph, new Set(fn.inputArgs));
  graph.resolveAll();
  const args = new Set(fn.inputArgs);
  const body = graph.prune(outputs.map((o) => graph.resolve(o))).filter((n) => !args.has(n.name));
  // A SavedModel's functions are instantiated, so their args have fixed types; tfjs reads an arg's
  // type only to label the placeholder it feeds, so a generic one is labelled float.
  const ret = Object.fromEntries(sig.outputArgs.map((a, k) => [a.name, inputName(graph.resolve(outputs[k]))]));
  return {
    body,
    json: {
      signature: {
        name,
        inputArg: sig.inputArgs.map((a) => ({ name: a.name, type: a.type || 'DT_FLOAT' })),
        outputArg: sig.outputArgs.map((a) => ({ name: a.name, type: a.type || 'DT_FLOAT' })),
      },
      nodeDef: body.map(nodeJson),
      ret,
    },
  };
}

/**
 * A variable passed into a function arrives as its value once the outer graph's variables are
 * constants: a read of a resource argument is that value (ResourceGather a gather of it).
 */
function readsOfArguments(graph: FlatGraph, args: ReadonlySet<string>): void {
  for (const node of [...graph.nodes.values()]) {
    const from = node.inputs.length ? refNode(node.inputs[0]) : '';
    if (!args.has(from)) continue;
    if (node.op === 'ReadVariableOp') {
      graph.alias(`${node.name}:0`, node.inputs[0]);
      graph.nodes.delete(node.name);
    } else if (node.op === 'ResourceGather') {
      toGather(graph, node);
    }
  }
}
