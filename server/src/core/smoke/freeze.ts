// Freeze one signature into a flat graph TensorFlow.js can run: the top-level nodes the
// signature's outputs need (its inputs become Placeholders, even where the graph computes them,
// as feeding a tensor in TensorFlow overrides its producer), every function call inlined,
// variables turned into constants from the checkpoint, pruned to what the outputs need. Before
// anything runs, it lists the ops TensorFlow.js cannot run and where dtypes are narrowed.
import * as path from 'node:path';
import { Signature, TensorSpec } from '../savedmodel';
import { NodeTable } from '../savedmodel';
import { assetTensors } from './modelAssets';
import { msg, list, PlainMessage } from '../protobuf';
import { FlatGraph, FlatNode, FreezeError, TensorRef, normalizeRef, refIndex, refNode } from './flatGraph';
import { inlineCalls } from './inline';
import { readOpSignatures } from './opDefs';
import { constAttrs, variablesToConstants } from './resourceReads';
import { RawTensor, tensorProtoValue } from './rawTensor';
import { packWeights } from './weights';
import { Initializer, ModelArtifacts, TensorBinding, graphArtifacts } from './graphArtifacts';
import { tfjsSupportedOps } from './tfjsOps';
import { narrowing } from './hostTensor';
import { SmokeModel } from './smokeModel';
import { ExampleStage, hoistExampleParsing, stageFeeds, usedStages } from './example';
import { fillAttrDefaults } from './attrDefaults';
import { CheckpointReader, checkpointReader } from './checkpointValues';
import { InitEffects, TABLE_OPS, initEffects, initRoots, tableIdentity } from './initPhase';
import { NotComputable, hostValue, stringScalar } from './hostEval';
import { CONTROL_FLOW_OPS, functionLibrary } from './functionLibrary';
import { refusalReason } from './refusals';

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
  const init = initEffects(graph, isInitNode(loaded.initNodes), { graph, modelDir: model.dir, checkpoint: checkpoint.quiet });
  const outputs = signature.outputs.map((s) => normalizeRef(s.name as string));
  const stateWarnings = stateChanges([...loaded.stateChanging, ...graph.nodes.values()], isInitNode(loaded.initNodes));
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

// Ops that change a variable or a table as a request runs (a counter's increment).
const STATE_CHANGING = /^(Assign(Add|Sub)?(VariableOp)?|ResourceScatter\w+|ScatterAdd|ScatterUpdate|LookupTable(Insert|Remove)V2|ResourceApply\w+)$/;

/** A signature that changes state computes, built in, from the values at load every time: say so. */
function stateChanges(nodes: readonly FlatNode[], isInit: (node: FlatNode) => boolean): string[] {
  const changing = [...new Map(nodes.filter((n) => STATE_CHANGING.test(n.op) && !isInit(n)).map((n) => [n.name, n])).values()];
  if (!changing.length) return [];
  const first = changing[0];
  return [`the signature changes state (${first.op} ${first.name}${changing.length > 1 ? ` and ${changing.length - 1} more` : ''}): the built-in runtime answers every request from the values at load, where TensorFlow carries the change to the next request`];
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

interface TopLevel {
  /** Each signature input's feed tensor. */
  readonly feeds: TensorRef[];
  /** Top-level nodes the init op runs. */
  readonly initNodes: ReadonlySet<string>;
  /** Top-level nodes the outputs wait for (control inputs) that change a variable or table. */
  readonly stateChanging: readonly FlatNode[];
}

/**
 * Copy the top-level nodes the outputs need, and those the init op runs (following its control
 * inputs too), into the flat graph, stopping at the signature's inputs, which become Placeholders.
 */
function loadTopLevel(graph: FlatGraph, table: NodeTable, signature: Signature, initRoots: readonly string[]): TopLevel {
  const fed = new Set(signature.inputs.map((s) => normalizeRef(s.name as string)));
  const needed = reach(table, signature.outputs.map((s) => s.name as string), fed, false);
  for (const o of signature.outputs) if (table.indexOf(refNode(o.name as string)) < 0 && !fed.has(normalizeRef(o.name as string))) {
    throw new FreezeError(`the graph has no node ${refNode(o.name as string)} (needed for output ${o.key})`);
  }
  const initNodes = reach(table, initRoots, fed, true);
  for (const i of [...new Set([...needed, ...initNodes])].sort((a, b) => a - b)) {
    const inputs = table.inputs(i).filter((r) => !r.startsWith('^')).map(normalizeRef);
    graph.add({ name: table.names[i], op: table.ops[i], inputs, attrs: table.attrs(i) });
  }
  const feeds = signature.inputs.map((s) => addPlaceholder(graph, s));
  const waitedFor = [...reach(table, signature.outputs.map((s) => s.name as string), fed, true)].filter((i) => STATE_CHANGING.test(table.ops[i]));
  const stateChanging = waitedFor.map((i) => ({ name: table.names[i], op: table.ops[i], inputs: [], attrs: {} }));
  return { feeds, initNodes: new Set([...initNodes].map((i) => table.names[i])), stateChanging };
}

function addPlaceholder(graph: FlatGraph, spec: TensorSpec): TensorRef {
  const tensor = normalizeRef(spec.name as string);
  const base = refIndex(tensor) === 0 ? refNode(tensor) : `${refNode(tensor)}/feed_${refIndex(tensor)}`;
  let name = base;
  for (let k = 1; graph.nodes.has(name); k++) name = `${base}_${k}`;
  // The request was checked against the signature already; an explicit unknown shape keeps the
  // OpDef's default (a scalar in 2016 graphs) from being filled in.
  graph.add({ name, op: 'Placeholder', inputs: [], attrs: { dtype: { type: spec.dtype }, shape: { shape: { unknown_rank: true } } } });
  if (`${name}:0` !== tensor) graph.alias(tensor, `${name}:0`);
  return `${name}:0`;
}

/** Node indices the given tensors depend on (through control inputs too, when asked). */
function reach(table: NodeTable, roots: readonly string[], fed: ReadonlySet<TensorRef>, control: boolean): Set<number> {
  const needed = new Set<number>();
  const queue = [...roots];
  while (queue.length) {
    const ref = queue.pop() as string;
    if (fed.has(normalizeRef(ref))) continue;
    const i = table.indexOf(refNode(ref.replace(/^\^/, '')));
    if (i < 0) throw new FreezeError(`the graph has no node ${refNode(ref.replace(/^\^/, ''))} (needed for ${ref})`);
    if (needed.has(i)) continue;
    needed.add(i);
    for (const input of table.inputs(i)) if (control || !input.startsWith('^')) queue.push(input);
  }
  return needed;
}

/** Nodes the init op runs: its top-level nodes and everything inlined into their calls. */
function isInitNode(initNodes: ReadonlySet<string>): (node: FlatNode) => boolean {
  return (node) => {
    if (initNodes.has(node.name)) return true;
    for (let i = node.name.indexOf('/'); i > 0; i = node.name.indexOf('/', i + 1)) if (initNodes.has(node.name.slice(0, i))) return true;
    return false;
  };
}

/** The loader feeds each asset's path to its tensor (a Placeholder, or a Const of the path at export time): make it that constant. */
function assetPaths(graph: FlatGraph, model: SmokeModel): void {
  for (const a of assetTensors(model.metaGraph)) {
    const node = graph.nodes.get(refNode(normalizeRef(a.tensorName)));
    if (!node || !['Placeholder', 'Const', 'PlaceholderWithDefault'].includes(node.op)) continue;
    const file = new TextEncoder().encode(path.join(model.dir, 'assets', a.filename));
    node.op = 'Const';
    node.inputs = [];
    node.attrs = { dtype: { type: 'DT_STRING' }, value: { tensor: { dtype: 'DT_STRING', tensor_shape: {}, string_val: [file] } } };
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

interface TableSetup {
  readonly initializer?: Initializer;
  readonly constants: Array<[string, RawTensor]>;
  /** Tables the init op fills. */
  readonly filled: string[];
}

/**
 * The graph tfjs runs at load to fill the tables the init op fills: the same table node (tfjs
 * shares tables by node name) and a LookupTableImportV2 of constant keys and values.
 */
function tableInitializer(nodes: readonly FlatNode[], init: InitEffects): TableSetup {
  const out: FlatNode[] = [];
  const constants: Array<[string, RawTensor]> = [];
  const filled: string[] = [];
  for (const table of nodes) {
    const contents = TABLE_OPS.has(table.op) ? init.tables.get(tableIdentity(table, table.name)) : undefined;
    if (!contents) continue;
    const [keys, values, load] = [`${table.name}/lens_init/keys`, `${table.name}/lens_init/values`, `${table.name}/lens_init/import`];
    out.push({ ...table }, { name: keys, op: 'Const', inputs: [], attrs: constAttrs(contents.keys) }, { name: values, op: 'Const', inputs: [], attrs: constAttrs(contents.values) });
    out.push({ name: load, op: 'LookupTableImportV2', inputs: [`${table.name}:0`, `${keys}:0`, `${values}:0`], attrs: { Tin: { type: contents.keys.dtype }, Tout: { type: contents.values.dtype } } });
    constants.push([keys, contents.keys], [values, contents.values]);
    filled.push(table.name);
  }
  const initializer = filled.length ? { nodes: out, outputs: filled.map((t) => `${t}/lens_init/import:0`) } : undefined;
  return { ...(initializer ? { initializer } : {}), constants, filled };
}

function initSummary(model: SmokeModel, tables: number, fromInit: ReadonlySet<string>, values: ReadonlyMap<string, RawTensor>): string {
  const assets = path.join(path.resolve(model.dir), 'assets') + path.sep;
  const fromAsset = [...fromInit].filter((v) => {
    const t = values.get(v);
    try {
      return t !== undefined && path.resolve(stringScalar(t, v)).startsWith(assets);
    } catch {
      return false;
    }
  }).length;
  const parts = [
    ...(tables ? [`${tables} table${tables > 1 ? 's' : ''}`] : []),
    ...(fromAsset ? [`${fromAsset} variable${fromAsset > 1 ? 's' : ''} from an asset`] : []),
    ...(fromInit.size > fromAsset ? [`${fromInit.size - fromAsset} variable(s) assigned`] : []),
  ];
  return parts.join(', ');
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

function tableReason(table: FlatNode, init: InitEffects): string {
  const why = init.tableProblems.get(tableIdentity(table, table.name));
  if (why) return `table ${table.name} is filled by the model's init op, but ${why}`;
  if (table.op.startsWith('Mutable')) return 'a mutable table, filled while the model runs: TensorFlow.js has no kernel for it';
  return `no init op fills table ${table.name} (the built-in runtime fills tables from the model's init op)`;
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
