// Reading a flat graph the way the parse ops' inputs need: through Identity nodes, to the fed
// tensor or the constant behind them.
import { msg } from '../../protobuf';
import { FlatGraph, TensorRef, refIndex, refNode } from '../freeze/flatGraph';
import { RawTensor, tensorProtoValue } from '../request/rawTensor';
import { elementCount } from '../request/hostTensor';

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
  if (n?.op === 'Reshape') return reshaped(graph, n.inputs, values);
  if (!n || n.op !== 'Const') return values.get(name);
  return values.get(name) ?? tensorProtoValue(msg(msg(n.attrs.value).tensor));
}

/** Reshape of two constants (how TF1's parse_example shapes a dense default): the same values. */
function reshaped(graph: FlatGraph, inputs: readonly TensorRef[], values: ReadonlyMap<string, RawTensor>): RawTensor | undefined {
  const t = constantAt(graph, inputs[0], values);
  const s = constantAt(graph, inputs[1], values);
  if (!t || !s?.data || (s.dtype !== 'DT_INT32' && s.dtype !== 'DT_INT64')) return undefined;
  const view = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
  const dims = Array.from({ length: s.data.byteLength / (s.dtype === 'DT_INT32' ? 4 : 8) }, (_, i) => (s.dtype === 'DT_INT32' ? view.getInt32(i * 4, true) : Number(view.getBigInt64(i * 8, true))));
  const count = (t.strings?.length ?? 0) || elementCount(t.shape);
  const known = dims.filter((d) => d >= 0).reduce((a, b) => a * b, 1);
  const shape = dims.map((d) => (d < 0 ? count / Math.max(known, 1) : d));
  return { ...t, shape };
}
