// The frozen graph as tfjs-converter loads it with `tf.io.fromMemory`: a GraphDef in JSON form,
// the weight specs and one weight buffer, and the signature. A Const node carries only its dtype
// and shape: tfjs-converter reads Const values from the weights, matched by node name.
import { FlatNode, refIndex, refNode } from './flatGraph';
import { GraphJson, attrsJson } from './graphJson';
import { WeightSpec } from './weights';
import { PlainMessage, msg } from '../../protobuf';

export interface TensorBinding {
  /** The signature key. */
  readonly key: string;
  /** The tensor in the frozen graph (`node:index`). */
  readonly tensor: string;
  /** TensorFlow's dtype, as the signature declares it. */
  readonly dtype: string;
}

export interface NodeJson {
  name: string;
  op: string;
  input: string[];
  attr: { [name: string]: GraphJson };
}

/** A graph tfjs-converter runs once when the model loads (it fills the lookup tables). */
export interface Initializer {
  readonly nodes: readonly FlatNode[];
  /** The tensors to evaluate (`node:index`). */
  readonly outputs: readonly string[];
}

/** A library function in the JSON form tfjs-converter reads. */
export interface FunctionDefJson {
  signature: { name: string; inputArg: Array<{ name: string; type: string }>; outputArg: Array<{ name: string; type: string }> };
  nodeDef: NodeJson[];
  ret: { [arg: string]: string };
}

export interface ModelArtifacts {
  readonly modelTopology: { node: NodeJson[]; library?: { function: FunctionDefJson[] }; versions: { producer: number } };
  readonly modelInitializer?: { node: NodeJson[]; versions: { producer: number } };
  readonly initializerSignature?: { outputs: { [name: string]: { name: string; dtype: string } } };
  readonly weightSpecs: WeightSpec[];
  /** The weight values, back to back in spec order. */
  readonly weightData: Uint8Array;
  readonly signature: {
    inputs: { [key: string]: { name: string; dtype: string } };
    outputs: { [key: string]: { name: string; dtype: string } };
  };
}

// tfjs-converter reads the GraphDef's producer version; the graph itself does not depend on it.
const PRODUCER = 1;

export function graphArtifacts(nodes: readonly FlatNode[], weightSpecs: WeightSpec[], weightData: Uint8Array,
  inputs: readonly TensorBinding[], outputs: readonly TensorBinding[], library: FunctionDefJson[] = [], initializer?: Initializer): ModelArtifacts {
  const bind = (bs: readonly TensorBinding[]): { [key: string]: { name: string; dtype: string } } =>
    Object.fromEntries(bs.map((b) => [b.key, { name: b.tensor, dtype: b.dtype }]));
  const versions = { producer: PRODUCER };
  return {
    modelTopology: { node: nodes.map(nodeJson), ...(library.length ? { library: { function: library } } : {}), versions },
    ...(initializer ? {
      modelInitializer: { node: initializer.nodes.map(nodeJson), versions },
      initializerSignature: { outputs: Object.fromEntries(initializer.outputs.map((o) => [o, { name: o, dtype: 'DT_RESOURCE' }])) },
    } : {}),
    weightSpecs,
    weightData,
    signature: { inputs: bind(inputs), outputs: bind(outputs) },
  };
}

export function nodeJson(n: FlatNode): NodeJson {
  const attrs: PlainMessage = n.op === 'Const' ? withoutValues(n.attrs) : n.attrs;
  return { name: n.name, op: n.op, input: n.inputs.map(inputName), attr: attrsJson(attrs) };
}

/** `node:0` is written `node`, as TensorFlow writes it. */
export function inputName(ref: string): string {
  return refIndex(ref) === 0 ? refNode(ref) : ref;
}

function withoutValues(attrs: PlainMessage): PlainMessage {
  const t = msg(msg(attrs.value).tensor);
  return { dtype: attrs.dtype ?? { type: t.dtype }, value: { tensor: { dtype: t.dtype, tensor_shape: t.tensor_shape ?? {} } } };
}
