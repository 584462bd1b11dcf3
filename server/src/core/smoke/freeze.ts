// Freeze one signature into a flat graph TensorFlow.js can run: the top-level nodes the
// signature's outputs need (its inputs become Placeholders, even where the graph computes them,
// as feeding a tensor in TensorFlow overrides its producer), every function call inlined,
// variables turned into constants from the checkpoint, pruned to what the outputs need. Before
// anything runs, it lists the ops TensorFlow.js cannot run and where dtypes are narrowed.
import { Signature, TensorSpec } from '../savedmodel';
import { NodeTable } from '../savedmodel';
import { msg, list, PlainMessage } from '../protobuf';
import { FlatGraph, FlatNode, FreezeError, TensorRef, normalizeRef, refIndex, refNode } from './flatGraph';
import { inlineCalls } from './inline';
import { readOpSignatures } from './opDefs';
import { variablesToConstants } from './resourceReads';
import { variableKeys } from './variableKeys';
import { RawTensor, checkpointValue, tensorProtoValue } from './rawTensor';
import { packWeights } from './weights';
import { ModelArtifacts, TensorBinding, graphArtifacts } from './graphArtifacts';
import { tfjsSupportedOps } from './tfjsOps';
import { narrowing } from './hostTensor';
import { SmokeModel } from './smokeModel';

export { FreezeError };

export interface UnsupportedOp {
  readonly op: string;
  /** Nodes using it (the first few). */
  readonly nodes: readonly string[];
  readonly count: number;
  /** Why, when tfjs has a kernel but the built-in runtime still cannot give TensorFlow's answer. */
  readonly reason?: string;
}

export interface FrozenModel {
  readonly signature: string;
  readonly artifacts: ModelArtifacts;
  readonly inputs: readonly TensorBinding[];
  readonly outputs: readonly TensorBinding[];
  /** Ops in the frozen graph that TensorFlow.js has no kernel for: the model cannot run built-in. */
  readonly unsupportedOps: readonly UnsupportedOp[];
  /** Where TensorFlow.js computes with less range or precision than TensorFlow. */
  readonly fidelityWarnings: readonly string[];
  readonly stats: { readonly nodes: number; readonly inlinedCalls: number; readonly constants: number; readonly weightBytes: number };
}

export function freezeSignature(model: SmokeModel, signature: Signature): FrozenModel {
  const mg = model.metaGraph;
  for (const s of [...signature.inputs, ...signature.outputs]) {
    if (s.encoding !== 'name' || s.name === undefined) throw new FreezeError(`${s.key} is a ${s.encoding} tensor; only dense tensors can be run`);
  }
  const graph = new FlatGraph();
  const feeds = loadTopLevel(graph, mg.graph, signature);
  // Variable lookup (TF2) follows the top-level call nodes' captured inputs: keep them.
  const topLevel = [...graph.nodes.values()].map((n) => ({ ...n }));
  const inlinedCalls = inlineCalls(graph, mg, readOpSignatures(model.doc, mg.index));
  const outputs = signature.outputs.map((s) => normalizeRef(s.name as string));
  graph.resolveAll();
  graph.prune(outputs);
  const variables = variablesToConstants(graph, variableReader(model, topLevel, [...graph.nodes.values()]));
  graph.resolveAll();
  const nodes = graph.prune(outputs);
  checkFeeds(nodes, feeds);
  const constants = constantValues(nodes, variables);
  const weights = packWeights(constants);
  const inputBindings = signature.inputs.map((s, i) => ({ key: s.key, tensor: feeds[i], dtype: s.dtype }));
  const outputBindings = signature.outputs.map((s, i) => ({ key: s.key, tensor: graph.resolve(outputs[i]), dtype: s.dtype }));
  return {
    signature: signature.key,
    artifacts: graphArtifacts(nodes, weights.specs, weights.data, inputBindings, outputBindings),
    inputs: inputBindings,
    outputs: outputBindings,
    unsupportedOps: unsupportedOps(nodes),
    fidelityWarnings: [...fidelityWarnings(nodes, signature), ...[...weights.lossy].map(([n, why]) => `constant ${n}: ${why}`)],
    stats: { nodes: nodes.length, inlinedCalls, constants: constants.length, weightBytes: weights.data.length },
  };
}

/**
 * Copy the top-level nodes the outputs need into the flat graph, stopping at the signature's
 * inputs, which become Placeholders. Returns each input's feed tensor.
 */
function loadTopLevel(graph: FlatGraph, table: NodeTable, signature: Signature): TensorRef[] {
  const fed = new Map(signature.inputs.map((s) => [normalizeRef(s.name as string), s]));
  const needed = new Set<number>();
  const queue = signature.outputs.map((s) => s.name as string);
  while (queue.length) {
    const ref = queue.pop() as string;
    if (fed.has(normalizeRef(ref))) continue;
    const i = table.indexOf(refNode(ref));
    if (i < 0) throw new FreezeError(`the graph has no node ${refNode(ref)} (needed for ${ref})`);
    if (needed.has(i)) continue;
    needed.add(i);
    for (const input of table.inputs(i)) if (!input.startsWith('^')) queue.push(input);
  }
  for (const i of [...needed].sort((a, b) => a - b)) {
    const inputs = table.inputs(i).filter((r) => !r.startsWith('^')).map(normalizeRef);
    graph.add({ name: table.names[i], op: table.ops[i], inputs, attrs: table.attrs(i) });
  }
  return signature.inputs.map((s) => addPlaceholder(graph, s));
}

function addPlaceholder(graph: FlatGraph, spec: TensorSpec): TensorRef {
  const tensor = normalizeRef(spec.name as string);
  const base = refIndex(tensor) === 0 ? refNode(tensor) : `${refNode(tensor)}/feed_${refIndex(tensor)}`;
  let name = base;
  for (let k = 1; graph.nodes.has(name); k++) name = `${base}_${k}`;
  graph.add({ name, op: 'Placeholder', inputs: [], attrs: { dtype: { type: spec.dtype } } });
  if (`${name}:0` !== tensor) graph.alias(tensor, `${name}:0`);
  return `${name}:0`;
}

function variableReader(model: SmokeModel, topLevel: readonly FlatNode[], nodes: readonly FlatNode[]): (node: FlatNode) => RawTensor | undefined {
  const v = model.variables;
  if (!nodes.some((n) => ['VariableV2', 'Variable', 'VarHandleOp'].includes(n.op))) return () => undefined;
  if (v.kind !== 'v2') {
    const why = v.kind === 'none' ? 'the model has no variables/ folder' : v.message;
    throw new FreezeError(`the signature reads variables, but they cannot be loaded: ${why}`);
  }
  const keys = variableKeys(model.metaGraph, topLevel, model.variablesDir, v.index);
  return (node) => {
    const key = keys.keyOf(node);
    return key === undefined ? undefined : checkpointValue(model.variablesDir, v.index, key);
  };
}

function checkFeeds(nodes: readonly FlatNode[], feeds: readonly TensorRef[]): void {
  const feedNodes = new Set(feeds.map(refNode));
  const unfed = nodes.filter((n) => n.op === 'Placeholder' && !feedNodes.has(n.name));
  if (unfed.length) {
    throw new FreezeError(`the outputs need placeholder(s) the signature does not feed: ${unfed.map((n) => n.name).join(', ')}`);
  }
}

function constantValues(nodes: readonly FlatNode[], variables: ReadonlyMap<string, RawTensor>): Array<[string, RawTensor]> {
  return nodes.filter((n) => n.op === 'Const').map((n) => [n.name, variables.get(n.name) ?? tensorProtoValue(msg(msg(n.attrs.value).tensor))]);
}

// Tables are filled by the model's init op, which the built-in runtime does not run: tfjs would
// look up in empty tables and answer with the default value.
const TABLE_OPS: ReadonlySet<string> = new Set(['HashTable', 'HashTableV2', 'MutableHashTable', 'MutableHashTableV2', 'MutableDenseHashTableV2']);
const TABLE_REASON = 'lookup tables are filled by the model\'s init op, which the built-in runtime does not run';

// If/While and friends take library functions, which are not flattened (only calls are inlined).
const FUNCTION_REASON = 'it runs library functions (functional control flow), which the built-in runtime does not flatten yet';

function unsupportedOps(nodes: readonly FlatNode[]): UnsupportedOp[] {
  const known = tfjsSupportedOps();
  const byOp = new Map<string, string[]>();
  const reasons = new Map<string, string>();
  for (const n of nodes) {
    const reason = TABLE_OPS.has(n.op) ? TABLE_REASON : takesFunctions(n.attrs) ? FUNCTION_REASON : undefined;
    if (known.has(n.op) && !reason) continue;
    byOp.set(n.op, [...(byOp.get(n.op) ?? []), n.name]);
    if (reason) reasons.set(n.op, reason);
  }
  return [...byOp]
    .map(([op, names]) => ({ op, nodes: names.slice(0, 5), count: names.length, ...(reasons.has(op) ? { reason: reasons.get(op) } : {}) }))
    .sort((a, b) => a.op.localeCompare(b.op));
}

function takesFunctions(attrs: PlainMessage): boolean {
  return Object.values(attrs).some((v) => msg(v).func !== undefined || list(msg(msg(v).list).func).length > 0);
}

/** Dtypes in the graph (type attrs, constants, the signature) that TensorFlow.js narrows. */
function fidelityWarnings(nodes: readonly FlatNode[], signature: Signature): string[] {
  const seen = new Map<string, Set<string>>();
  const note = (dtype: string, where: string): void => {
    if (!narrowing(dtype)) return;
    if (!seen.has(dtype)) seen.set(dtype, new Set());
    seen.get(dtype)?.add(where);
  };
  for (const s of [...signature.inputs, ...signature.outputs]) note(s.dtype, `signature tensor ${s.key}`);
  for (const n of nodes) for (const t of attrTypes(n.attrs)) note(t, `node ${n.name} (${n.op})`);
  return [...seen].map(([dtype, where]) => {
    const w = [...where];
    return `${narrowing(dtype)}: ${w.slice(0, 3).join(', ')}${w.length > 3 ? ` and ${w.length - 3} more` : ''}`;
  });
}

function attrTypes(attrs: PlainMessage): string[] {
  const out: string[] = [];
  for (const v of Object.values(attrs)) {
    const a = msg(v);
    if (typeof a.type === 'string') out.push(a.type);
    for (const t of list(msg(a.list).type)) if (typeof t === 'string') out.push(t);
  }
  return out;
}
