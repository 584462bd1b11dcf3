// Inline the functions a graph calls (StatefulPartitionedCall / PartitionedCall, or a node whose
// op is a library function's name), recursively, so that TensorFlow.js sees one flat graph.
// A body node `n` of a call node `call` becomes `call/n`; the function's arguments become the
// call's inputs; `n:out_arg:i` inside the body becomes `call/n:<flat index>` using the op's output
// args; the call's outputs become aliases of the function's return values.
import { MetaGraph, FunctionInfo } from '../../savedmodel';
import { PlainMessage, msg, str } from '../../protobuf';
import { FlatGraph, FlatNode, FreezeError, TensorRef } from './flatGraph';
import { OpSignatures, flatOutputIndex } from './opDefs';

export const CALL_OPS: ReadonlySet<string> = new Set(['StatefulPartitionedCall', 'PartitionedCall']);
const MAX_INLINED_NODES = 2_000_000;

/** Inline every call in the graph; returns the number of calls inlined. */
export function inlineCalls(graph: FlatGraph, mg: MetaGraph, sigs: OpSignatures): number {
  const queue = [...graph.nodes.values()].filter((n) => calledFunction(n, mg) !== undefined);
  let inlined = 0;
  while (queue.length) {
    const call = queue.pop() as FlatNode;
    const fn = mg.functions.get(calledFunction(call, mg) as string);
    if (!fn) continue;
    for (const added of inlineOne(graph, call, fn, sigs)) if (calledFunction(added, mg) !== undefined) queue.push(added);
    if (++inlined > 100_000 || graph.nodes.size > MAX_INLINED_NODES) throw new FreezeError('flattening the functions produced too many nodes (recursive functions?)');
  }
  return inlined;
}

/**
 * The library function a node calls, if it is a call. A TensorRT engine (TRTEngineOp) counts as a
 * call of its `segment_func`: the original subgraph, which TensorFlow itself runs without TensorRT.
 */
export function calledFunction(node: FlatNode, mg: MetaGraph): string | undefined {
  if (CALL_OPS.has(node.op)) return str(msg(msg(node.attrs.f).func).name) || undefined;
  if (node.op === 'TRTEngineOp') {
    const segment = str(msg(msg(node.attrs.segment_func).func).name);
    return segment && mg.functions.has(segment) ? segment : undefined;
  }
  return mg.functions.has(node.op) ? node.op : undefined;
}

function inlineOne(graph: FlatGraph, call: FlatNode, fn: FunctionInfo, sigs: OpSignatures): FlatNode[] {
  const prefix = `${call.name}/`;
  if (call.inputs.length < fn.inputArgs.length) {
    throw new FreezeError(`${call.name} calls ${fn.name} with ${call.inputs.length} inputs; it takes ${fn.inputArgs.length}`);
  }
  const args = new Map(fn.inputArgs.map((a, i) => [a, call.inputs[i]]));
  const body = fn.nodes;
  const attrs: PlainMessage[] = [];
  const attrsOf = (i: number): PlainMessage => (attrs[i] ??= body.attrs(i));
  const ref = (r: string): TensorRef => bodyRef(r, args, prefix, (name, arg, index) => {
    const i = body.indexOf(name);
    if (i < 0) throw new FreezeError(`function ${fn.name} refers to ${name}, which it does not define`);
    const op = sigs.ops.get(body.ops[i]) ?? sigs.functions.get(body.ops[i]);
    return flatOutputIndex(op, attrsOf(i), arg, index) ?? index;
  });
  const added: FlatNode[] = [];
  for (let i = 0; i < body.count; i++) {
    const inputs = body.inputs(i).filter((r) => !r.startsWith('^')).map(ref);
    const node: FlatNode = { name: prefix + body.name(i), op: body.ops[i], inputs, attrs: attrsOf(i) };
    graph.add(node);
    added.push(node);
  }
  const outputs = sigs.functions.get(fn.name)?.outputArgs.map((a) => a.name) ?? Object.keys(fn.ret);
  outputs.forEach((name, k) => {
    const ret = fn.ret[name];
    if (ret === undefined) throw new FreezeError(`function ${fn.name} does not return its output ${name}`);
    graph.alias(`${call.name}:${k}`, ref(ret));
  });
  graph.nodes.delete(call.name);
  return added;
}

/** A function-body tensor name in graph form. */
function bodyRef(r: string, args: ReadonlyMap<string, TensorRef>, prefix: string, flat: (node: string, arg: string, index: number) => number): TensorRef {
  const parts = r.split(':');
  if (parts.length === 1) {
    const a = args.get(r);
    if (a === undefined) throw new FreezeError(`function input ${r} is not an argument`);
    return a;
  }
  if (parts.length === 2) return `${prefix}${parts[0]}:${parts[1]}`;
  const index = Number(parts[parts.length - 1]);
  const arg = parts[parts.length - 2];
  const node = parts.slice(0, -2).join(':');
  return `${prefix}${node}:${flat(node, arg, index)}`;
}
