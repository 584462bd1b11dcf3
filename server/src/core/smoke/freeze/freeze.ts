// Freeze one signature into a flat graph TensorFlow.js can run: the top-level nodes the
// signature's outputs need (its inputs become Placeholders, even where the graph computes them,
// as feeding a tensor in TensorFlow overrides its producer), every function call inlined,
// variables turned into constants from the checkpoint, pruned to what the outputs need. Before
// anything runs, it lists the ops TensorFlow.js cannot run and where dtypes are narrowed.
import { Signature } from '../../savedmodel';
import { msg, list, PlainMessage } from '../../protobuf';
import { FlatGraph, FlatNode, FreezeError, TensorRef, normalizeRef, refNode } from './flatGraph';
import { inlineCalls } from './inline';
import { readOpSignatures } from './opDefs';
import { constAttrs, variablesToConstants } from './resourceReads';
import { RawTensor, tensorProtoValue } from '../request/rawTensor';
import { packWeights } from './weights';
import { ModelArtifacts, TensorBinding, graphArtifacts } from './graphArtifacts';
import { tfjsSupportedOps } from './tfjsOps';
import { narrowing } from '../request/hostTensor';
import { SmokeModel } from '../smokeModel';
import { ExampleStage, hoistExampleParsing, stageFeeds, usedStages } from '../example';
import { fillAttrDefaults } from './attrDefaults';
import { CheckpointReader, checkpointReader } from './checkpointValues';
import { InitEffects, TABLE_OPS, initEffects, initRoots } from './initPhase';
import { NotComputable, hostValue } from './hostEval';
import { CONTROL_FLOW_OPS, functionLibrary } from './functionLibrary';
import { refusalReason } from './refusals';
import { assetPaths, isInitNode, loadTopLevel } from './topLevel';
import { initSummary, tableInitializer, tableReason } from './tableSetup';
import { stateChanges } from './stateChanges';

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
  /** What the freeze did beyond the plain case, for the report ("attr defaults filled: 12"...). */
  readonly mechanisms: readonly string[];
  /** tf.Example parsing the runtime does on the host before the graph (example/). */
  readonly exampleStages: readonly ExampleStage[];
  readonly stats: { readonly nodes: number; readonly inlinedCalls: number; readonly constants: number; readonly weightBytes: number };
}

export function freezeSignature(model: SmokeModel, signature: Signature): FrozenModel {
  const mg = model.metaGraph;
  refuseEncodings(signature);
  const sigs = readOpSignatures(model.doc, mg.index);
  const graph = new FlatGraph();
  const loaded = loadTopLevel(graph, mg.graph, signature, initRoots(mg));
  assetPaths(graph, model);
  // Variable lookup (TF2) follows the top-level call nodes' captured inputs: keep them.
  const topLevel = [...graph.nodes.values()].map((n) => ({ ...n }));
  const engines = [...graph.nodes.values()].filter((n) => n.op === 'TRTEngineOp').length;
  const inlinedCalls = inlineCalls(graph, mg, sigs);
  const fallbacks = engines - [...graph.nodes.values()].filter((n) => n.op === 'TRTEngineOp').length;
  graph.resolveAll();
  refuseValuelessConstants(graph);
  const checkpoint = checkpointReader(model, topLevel);
  const init = initEffects(graph, isInitNode(loaded.initNodes, graph), { graph, modelDir: model.dir, checkpoint: checkpoint.quiet });
  const outputs = signature.outputs.map((s) => normalizeRef(s.name as string));
  const stateWarnings = stateChanges([...loaded.stateChanging, ...graph.nodes.values()], isInitNode(loaded.initNodes, graph));
  graph.prune(outputs);
  const fromInit = new Set<string>();
  const variables = variablesToConstants(graph, (node) => initValue(init, node, fromInit) ?? checkpoint.valueOf(node));
  graph.resolveAll();
  const folded = foldHostValues(graph, model, checkpoint, init, variables);
  const hoisted = hoistExampleParsing(graph, signature.inputs.map((s, i) => ({ key: s.key, tensor: loaded.feeds[i] })), new Map([...variables, ...folded]));
  graph.resolveAll();
  const nodes = graph.prune(outputs);
  const exampleStages = usedStages(hoisted, nodes);
  const library = functionLibrary(nodes, mg, sigs);
  const defaultsFilled = fillAttrDefaults(nodes, sigs) + library.defaultsFilled;
  const used = new Set(nodes.map((n) => n.name));
  const allInputs = signature.inputs.map((s, i) => ({ key: s.key, tensor: loaded.feeds[i], dtype: s.dtype }));
  const inputBindings = allInputs.filter((b) => used.has(refNode(b.tensor)));
  const unfed = allInputs.filter((b) => !inputBindings.includes(b) && !exampleStages.some((s) => s.input === b.tensor));
  checkFeeds(nodes, [...inputBindings.map((b) => b.tensor), ...stageFeeds(exampleStages)]);
  const tables = tableInitializer(nodes, init);
  const constants = [...constantValues([...nodes, ...library.nodes], new Map([...variables, ...folded])), ...tables.constants];
  const weights = packWeights(constants);
  const outputBindings = signature.outputs.map((s, i) => ({ key: s.key, tensor: graph.resolve(outputs[i]), dtype: s.dtype }));
  const mechanisms = [
    ...(defaultsFilled ? [`attr defaults filled: ${defaultsFilled}`] : []),
    ...(fallbacks > 0 ? [`TensorRT engines run as their segment_func fallback: ${fallbacks}`] : []),
    ...(tables.filled.length || fromInit.size ? [`init op ran: ${initSummary(model, tables.filled.length, fromInit, variables)}`] : []),
    ...(library.functions.length ? [`functional control flow: ${library.functions.length} library function(s) passed to TensorFlow.js`] : []),
    ...(folded.size ? [`computed on the host before the run: ${[...folded.keys()].slice(0, 3).join(', ')}${folded.size > 3 ? ', ...' : ''}`] : []),
    ...(checkpoint.partsAssembled() ? [`partitioned variables read from checkpoint slices: ${checkpoint.partsAssembled()}`] : []),
    ...(checkpoint.format() === 'v1' ? ['variables read from a V1 (TensorSlice) checkpoint'] : []),
    ...(exampleStages.length ? ['tf.Example inputs parsed on the host'] : []),
    ...(unfed.length ? [`input(s) the outputs do not need, not fed: ${unfed.map((b) => b.key).join(', ')}`] : []),
  ];
  return {
    signature: signature.key,
    artifacts: graphArtifacts(nodes, weights.specs, weights.data, inputBindings, outputBindings, library.json, tables.initializer),
    inputs: inputBindings,
    outputs: outputBindings,
    unsupportedOps: unsupportedOps([...nodes, ...library.nodes], init, tables.filled),
    fidelityWarnings: [...fidelityWarnings(nodes, signature), ...[...weights.lossy].map(([n, why]) => `constant ${n}: ${why}`), ...stateWarnings],
    mechanisms,
    exampleStages,
    stats: { nodes: nodes.length, inlinedCalls, constants: constants.length, weightBytes: weights.data.length },
  };
}

/** Sparse and composite signature tensors have no place in the prediction service's JSON. */
function refuseEncodings(signature: Signature): void {
  for (const s of [...signature.inputs, ...signature.outputs]) {
    if (s.encoding === 'name' && s.name !== undefined) continue;
    const what = s.encoding === 'coo_sparse' ? 'a sparse (COO) tensor' : s.encoding === 'composite_tensor' ? 'a composite (e.g. ragged) tensor' : 'a tensor with no name';
    const side = signature.inputs.includes(s) ? 'input' : 'output';
    throw new FreezeError(`signature ${side} '${s.key}' is ${what}, which the prediction service's JSON cannot carry`);
  }
}

function checkFeeds(nodes: readonly FlatNode[], feeds: readonly TensorRef[]): void {
  const feedNodes = new Set(feeds.map(refNode));
  const unfed = nodes.filter((n) => n.op === 'Placeholder' && !feedNodes.has(n.name));
  if (unfed.length) {
    throw new FreezeError(`the outputs need placeholder(s) the signature does not feed: ${unfed.map((n) => n.name).join(', ')}`);
  }
}

function constantValues(nodes: readonly FlatNode[], values: ReadonlyMap<string, RawTensor>): Array<[string, RawTensor]> {
  return nodes.filter((n) => n.op === 'Const').map((n) => [n.name, values.get(n.name) ?? tensorProtoValue(msg(msg(n.attrs.value).tensor))]);
}

/** TensorFlow's loader refuses a graph with a Const that has no value ("constant tensor but no value has been provided"). */
function refuseValuelessConstants(graph: FlatGraph): void {
  for (const n of graph.nodes.values()) {
    if (n.op === 'Const' && n.attrs.value === undefined) throw new FreezeError(`Const node ${n.name} has no value: TensorFlow's loader refuses this model too (rule const-without-value)`);
  }
}

/** A variable's value as the init op assigns it (TensorFlow runs the init op after restoring). */
function initValue(init: InitEffects, node: FlatNode, fromInit: Set<string>): RawTensor | undefined {
  const v = init.values.get(node.name);
  if (v) fromInit.add(node.name);
  return v;
}

// Ops whose value the host computes before the run when their inputs are known (an asset's contents).
const HOST_FOLDED = new Set(['ReadFile']);

/** Replace host-computable nodes by constants; returns their values by node name. */
function foldHostValues(graph: FlatGraph, model: SmokeModel, checkpoint: CheckpointReader, init: InitEffects, known: ReadonlyMap<string, RawTensor>): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  const ctx = { graph, modelDir: model.dir, assigned: init.assigned, checkpoint: checkpoint.quiet, known };
  for (const node of graph.nodes.values()) {
    if (!HOST_FOLDED.has(node.op)) continue;
    try {
      const v = hostValue(ctx, `${node.name}:0`);
      out.set(node.name, v);
      Object.assign(node, { op: 'Const', inputs: [], attrs: constAttrs(v) });
    } catch (e) {
      if (!(e instanceof NotComputable)) throw e;
    }
  }
  return out;
}

function unsupportedOps(nodes: readonly FlatNode[], init: InitEffects, filled: readonly string[]): UnsupportedOp[] {
  const known = tfjsSupportedOps();
  const filledTables = new Set(filled);
  const byOp = new Map<string, string[]>();
  const reasons = new Map<string, string>();
  for (const n of nodes) {
    const reason = TABLE_OPS.has(n.op) && !filledTables.has(n.name) ? tableReason(n, init)
      : refusalReason(n.op) ?? (takesFunctions(n.attrs) && !CONTROL_FLOW_OPS.has(n.op) ? FUNCTION_REASON : undefined);
    if (known.has(n.op) && !reason) continue;
    byOp.set(n.op, [...(byOp.get(n.op) ?? []), n.name]);
    if (reason) reasons.set(n.op, reason);
  }
  return [...byOp]
    .map(([op, names]) => ({ op, nodes: names.slice(0, 5), count: names.length, ...(reasons.has(op) ? { reason: reasons.get(op) } : {}) }))
    .sort((a, b) => a.op.localeCompare(b.op));
}

// Ops other than If/While that take library functions are not flattened.
const FUNCTION_REASON = 'it runs library functions in a way the built-in runtime does not flatten';

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
