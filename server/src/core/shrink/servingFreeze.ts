// The serving graph of the chosen signatures as one flat graph, with the built-in runtime's freeze
// steps: the top-level nodes the outputs need (signature inputs become Placeholders), function
// calls inlined, variables turned into constants from the checkpoint, pruned to the outputs. What a
// GraphDef in TensorFlow cannot hold after that (library functions for If/While, lookup tables
// filled by an init op) is refused with the reason.
import { NodeTable, Signature, TensorSpec, shapeProto } from '../savedmodel';
import { PlainMessage, list, msg } from '../protobuf';
import {
  FlatGraph, FlatNode, FreezeError, RawTensor, SmokeModel, TensorRef, checkpointValue, inlineCalls, normalizeRef,
  readOpSignatures, refIndex, refNode, variableKeys, variablesToConstants,
} from '../smoke';
import { ShrinkError } from './shrinkError';

export interface ServingGraph {
  /** In dependency order. */
  readonly nodes: readonly FlatNode[];
  /** The values of the Consts that were variables, by node name. */
  readonly variableValues: ReadonlyMap<string, RawTensor>;
  /** Per signature key: source tensor name (`node:i`) → its tensor in the copy, for its inputs and outputs. */
  readonly tensors: ReadonlyMap<string, ReadonlyMap<string, TensorRef>>;
}

interface SignatureGraph {
  readonly key: string;
  readonly nodes: readonly FlatNode[];
  readonly variableValues: ReadonlyMap<string, RawTensor>;
  readonly tensors: ReadonlyMap<string, TensorRef>;
}

const TABLE_OPS = /^(HashTable|HashTableV2|MutableHashTable|MutableHashTableV2|MutableHashTableOfTensorsV2|MutableDenseHashTableV2|AnonymousHashTable|LookupTable.*)$/;
const VARIABLE_OPS: ReadonlySet<string> = new Set(['VariableV2', 'Variable', 'VarHandleOp']);

export function freezeForServing(model: SmokeModel, signatures: readonly Signature[]): ServingGraph {
  try {
    return freeze(model, signatures);
  } catch (e) {
    if (e instanceof FreezeError) throw new ShrinkError(`the serving graph cannot be frozen: ${e.message}`);
    throw e;
  }
}

function freeze(model: SmokeModel, signatures: readonly Signature[]): ServingGraph {
  for (const s of signatures.flatMap((x) => [...x.inputs, ...x.outputs])) {
    if (s.encoding !== 'name' || s.name === undefined) throw new ShrinkError(`signature tensor '${s.key}' is a ${s.encoding} tensor; shrink writes dense tensors only`);
  }
  // Each signature on its own: one signature's input may be a tensor another computes (a predict
  // signature fed at `x` while classify parses `x` from tf.Example).
  const merged = new MergedGraph();
  for (const s of signatures) merged.add(freezeOne(model, s));
  return merged.result();
}

function freezeOne(model: SmokeModel, signature: Signature): SignatureGraph {
  const mg = model.metaGraph;
  const inputs = uniqueSpecs(signature.inputs);
  const outputs = [...new Set(signature.outputs.map((o) => normalizeRef(o.name as string)))];
  const graph = new FlatGraph();
  const feeds = loadTopLevel(graph, mg.graph, inputs, outputs);
  const topLevel = [...graph.nodes.values()].map((n) => ({ ...n }));
  inlineCalls(graph, mg, readOpSignatures(model.doc, mg.index));
  graph.resolveAll();
  graph.prune(outputs);
  refuseUnfreezable([...graph.nodes.values()]);
  const variableValues = variablesToConstants(graph, variableReader(model, topLevel, [...graph.nodes.values()]));
  graph.resolveAll();
  const nodes = graph.prune(outputs);
  const fed = new Set([...feeds.values()].map(refNode));
  const unfed = nodes.filter((n) => n.op === 'Placeholder' && !fed.has(n.name));
  if (unfed.length) throw new ShrinkError(`signature '${signature.key}' needs placeholder(s) it does not feed: ${unfed.map((n) => n.name).join(', ')}`);
  const tensors = new Map<string, TensorRef>(feeds);
  for (const o of outputs) tensors.set(o, graph.resolve(o));
  return { key: signature.key, nodes, variableValues, tensors };
}

/**
 * The union of the signatures' graphs: a node both define alike is kept once; a node named alike
 * but defined otherwise (a Placeholder in one, the computed tensor in the other) is renamed.
 */
class MergedGraph {
  private readonly nodes = new Map<string, FlatNode>();
  private readonly values = new Map<string, RawTensor>();
  private readonly tensors = new Map<string, ReadonlyMap<string, TensorRef>>();

  add(g: SignatureGraph): void {
    const renamed = new Map<string, string>();
    const rename = (ref: TensorRef): TensorRef => {
      const to = renamed.get(refNode(ref));
      return to === undefined ? ref : `${to}:${refIndex(ref)}`;
    };
    for (const n of g.nodes) {
      const node: FlatNode = { ...n, inputs: n.inputs.map(rename) };
      const known = this.nodes.get(node.name);
      if (known && !sameNode(known, node, this.values.get(known.name), g.variableValues.get(n.name))) {
        let name = `${node.name}_1`;
        for (let k = 2; this.nodes.has(name); k++) name = `${node.name}_${k}`;
        renamed.set(node.name, name);
        this.put({ ...node, name }, g.variableValues.get(n.name));
      } else if (!known) this.put(node, g.variableValues.get(n.name));
    }
    this.tensors.set(g.key, new Map([...g.tensors].map(([source, ref]) => [source, rename(ref)])));
  }

  private put(node: FlatNode, value: RawTensor | undefined): void {
    this.nodes.set(node.name, node);
    if (value) this.values.set(node.name, value);
  }

  result(): ServingGraph {
    return { nodes: [...this.nodes.values()], variableValues: this.values, tensors: this.tensors };
  }
}

/** Same op, same inputs, same attrs (the same source node, frozen twice). */
function sameNode(a: FlatNode, b: FlatNode, va: RawTensor | undefined, vb: RawTensor | undefined): boolean {
  if (a.op !== b.op || a.inputs.join(',') !== b.inputs.join(',') || (va === undefined) !== (vb === undefined)) return false;
  return JSON.stringify(a.attrs, jsonSafe) === JSON.stringify(b.attrs, jsonSafe);
}

function jsonSafe(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

function uniqueSpecs(specs: readonly TensorSpec[]): TensorSpec[] {
  const seen = new Map<string, TensorSpec>();
  for (const s of specs) seen.set(normalizeRef(s.name as string), seen.get(normalizeRef(s.name as string)) ?? s);
  return [...seen.values()];
}

/** Top-level nodes the outputs need, stopping at fed tensors; returns source tensor → feed tensor. */
function loadTopLevel(graph: FlatGraph, table: NodeTable, inputs: readonly TensorSpec[], outputs: readonly TensorRef[]): Map<string, TensorRef> {
  const fed = new Set(inputs.map((s) => normalizeRef(s.name as string)));
  const needed = new Set<number>();
  const queue = [...outputs];
  while (queue.length) {
    const ref = queue.pop() as string;
    if (fed.has(normalizeRef(ref))) continue;
    const i = table.indexOf(refNode(ref));
    if (i < 0) throw new ShrinkError(`the graph has no node ${refNode(ref)} (needed for ${ref})`);
    if (needed.has(i)) continue;
    needed.add(i);
    for (const input of table.inputs(i)) if (!input.startsWith('^')) queue.push(input);
  }
  for (const i of [...needed].sort((a, b) => a - b)) {
    graph.add({ name: table.names[i], op: table.ops[i], inputs: table.inputs(i).filter((r) => !r.startsWith('^')).map(normalizeRef), attrs: table.attrs(i) });
  }
  const feeds = new Map<string, TensorRef>();
  for (const s of inputs) feeds.set(normalizeRef(s.name as string), addPlaceholder(graph, s));
  return feeds;
}

/** The feed keeps the source tensor's node name when it is output 0 (requests do not change either way). */
function addPlaceholder(graph: FlatGraph, spec: TensorSpec): TensorRef {
  const tensor = normalizeRef(spec.name as string);
  const base = refIndex(tensor) === 0 ? refNode(tensor) : `${refNode(tensor)}/feed_${refIndex(tensor)}`;
  let name = base;
  for (let k = 1; graph.nodes.has(name); k++) name = `${base}_${k}`;
  const shape = spec.shape.dims ? shapeProto(spec.shape.dims) : { unknown_rank: true };
  graph.add({ name, op: 'Placeholder', inputs: [], attrs: { dtype: { type: spec.dtype }, shape: { shape } } });
  if (`${name}:0` !== tensor) graph.alias(tensor, `${name}:0`);
  return `${name}:0`;
}

function refuseUnfreezable(nodes: readonly FlatNode[]): void {
  const tables = nodes.filter((n) => TABLE_OPS.test(n.op));
  if (tables.length) {
    throw new ShrinkError(`the serving graph uses lookup tables (${tables.slice(0, 3).map((n) => `${n.name} (${n.op})`).join(', ')}), filled by the model's init op; shrink cannot carry tables and their init op yet`);
  }
  const functional = nodes.filter((n) => takesFunctions(n.attrs));
  if (functional.length) {
    throw new ShrinkError(`the serving graph runs library functions through ${functional.slice(0, 3).map((n) => `${n.name} (${n.op})`).join(', ')} (functional control flow); shrink does not copy library functions yet`);
  }
}

function takesFunctions(attrs: PlainMessage): boolean {
  return Object.values(attrs).some((v) => msg(v).func !== undefined || list(msg(msg(v).list).func).length > 0);
}

function variableReader(model: SmokeModel, topLevel: readonly FlatNode[], nodes: readonly FlatNode[]): (node: FlatNode) => RawTensor | undefined {
  if (!nodes.some((n) => VARIABLE_OPS.has(n.op))) return () => undefined;
  const v = model.variables;
  if (v.kind !== 'v2') {
    const why = v.kind === 'none' ? 'the model has no variables/ folder' : v.kind === 'v1' ? `its checkpoint is a V1 (TensorSlice) checkpoint, which shrink does not read yet` : v.message;
    throw new ShrinkError(`the serving signatures read variables, but they cannot be loaded: ${why}`);
  }
  const keys = variableKeys(model.metaGraph, topLevel, model.variablesDir, v.index);
  return (node) => {
    const key = keys.keyOf(node);
    return key === undefined ? undefined : checkpointValue(model.variablesDir, v.index, key);
  };
}
