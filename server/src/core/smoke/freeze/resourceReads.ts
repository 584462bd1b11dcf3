// Variables become constants: each variable node (TF1 VariableV2, resource VarHandleOp) turns into a
// Const holding its checkpoint value, and the reads of it (ReadVariableOp; a TF1 variable's Identity
// needs nothing) become that constant. ResourceGather (embedding lookups) becomes GatherV2 on it.
import { PlainMessage, msg, num, str } from '../../protobuf';
import { FlatGraph, FlatNode, FreezeError, refNode } from './flatGraph';
import { RawTensor } from '../request/rawTensor';

export const VARIABLE_OPS: ReadonlySet<string> = new Set(['VariableV2', 'Variable', 'VarHandleOp']);

/** Finds a variable node's value; undefined when the checkpoint has none for it. */
export type ValueOf = (node: FlatNode) => RawTensor | undefined;

/** Turn the graph's variables into constants; returns their values by node name. */
export function variablesToConstants(graph: FlatGraph, valueOf: ValueOf): Map<string, RawTensor> {
  const values = new Map<string, RawTensor>();
  const missing: string[] = [];
  for (const node of graph.nodes.values()) {
    if (!VARIABLE_OPS.has(node.op)) continue;
    const v = valueOf(node);
    if (!v) {
      missing.push(node.name);
      continue;
    }
    values.set(node.name, v);
    node.op = 'Const';
    node.inputs = [];
    node.attrs = constAttrs(v);
  }
  if (missing.length) {
    const names = `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`;
    throw new FreezeError(`no value in the variables checkpoint for ${missing.length} variable(s): ${names} (variables set by the model's init op, such as asset paths, are not in the checkpoint)`);
  }
  for (const node of [...graph.nodes.values()]) rewriteRead(graph, node, values);
  return values;
}

export function constAttrs(v: RawTensor): PlainMessage {
  const shape = { dim: v.shape.map((size) => ({ size })) };
  return { dtype: { type: v.dtype }, value: { tensor: { dtype: v.dtype, tensor_shape: shape } } };
}

function rewriteRead(graph: FlatGraph, node: FlatNode, values: ReadonlyMap<string, RawTensor>): void {
  const variable = node.inputs.length ? refNode(node.inputs[0]) : '';
  if (!values.has(variable)) return;
  if (node.op === 'ReadVariableOp') {
    graph.alias(`${node.name}:0`, `${variable}:0`);
    graph.nodes.delete(node.name);
  } else if (node.op === 'ResourceGather') {
    toGather(graph, node);
  }
}

/** ResourceGather(resource, indices) → GatherV2(value, indices, axis = batch_dims). */
export function toGather(graph: FlatGraph, node: FlatNode): void {
  const batchDims = num(msg(node.attrs.batch_dims).i);
  const axis = `${node.name}/axis`;
  const axisValue = new Uint8Array(new Int32Array([batchDims]).buffer);
  graph.add({ name: axis, op: 'Const', inputs: [], attrs: { dtype: { type: 'DT_INT32' }, value: { tensor: { dtype: 'DT_INT32', tensor_shape: {}, tensor_content: axisValue } } } });
  node.op = 'GatherV2';
  node.inputs = [node.inputs[0], node.inputs[1], `${axis}:0`];
  node.attrs = {
    Tparams: { type: str(msg(node.attrs.dtype).type, 'DT_FLOAT') },
    Tindices: node.attrs.Tindices ?? { type: 'DT_INT32' },
    Taxis: { type: 'DT_INT32' },
    batch_dims: { i: batchDims },
  };
}
