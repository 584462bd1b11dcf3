// Reading a flat graph the way the parse ops' inputs need: through Identity nodes, to the fed
// tensor or the constant behind them.
import { msg } from '../../protobuf';
import { FlatGraph, TensorRef, refIndex, refNode } from '../flatGraph';
import { RawTensor, tensorProtoValue } from '../rawTensor';

/** Follow Identity nodes up to the tensor they pass on. */
export function throughIdentity(graph: FlatGraph, ref: TensorRef): TensorRef {
  let r = graph.resolve(ref);
  for (let hops = 0; hops < 1000; hops++) {
    const n = graph.nodes.get(refNode(r));
    if (!n || n.op !== 'Identity' || refIndex(r) !== 0 || !n.inputs[0]) break;
    r = graph.resolve(n.inputs[0]);
  }
  return r;
}

/**
 * The constant a tensor is, if it is one. `values` holds the constants whose Const nodes carry no
 * value (variables read from the checkpoint, values computed on the host).
 */
export function constantAt(graph: FlatGraph, ref: TensorRef | undefined, values: ReadonlyMap<string, RawTensor> = new Map()): RawTensor | undefined {
  if (ref === undefined) return undefined;
  const name = refNode(throughIdentity(graph, ref));
  const n = graph.nodes.get(name);
  if (!n || n.op !== 'Const') return undefined;
  return values.get(name) ?? tensorProtoValue(msg(msg(n.attrs.value).tensor));
}
