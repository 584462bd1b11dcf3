// The serving graph of the chosen signatures as one flat graph, with the built-in runtime's freeze
// steps: the top-level nodes the outputs need (signature inputs become Placeholders), function
// calls inlined, variables turned into constants from the checkpoint, pruned to the outputs; the
// lookup tables it reads get the contents the init op gives them. What a GraphDef cannot hold after
// that (library functions for If/While, variables the init op sets) is refused with the reason.
import { Signature, TensorSpec, shapeProto } from '../savedmodel';
import { PlainMessage, list, msg } from '../protobuf';
import {
  FlatGraph, FlatNode, FreezeError, InitEffects, RawTensor, SmokeModel, TABLE_OPS, TensorRef, assetPaths, checkpointReader,
  initEffects, initRoots, inlineCalls, isInitNode, loadTopLevel, normalizeRef, readOpSignatures, refIndex, refNode,
  tableIdentity, tableReason, variablesToConstants,
} from '../smoke';
import { ShrinkError } from './shrinkError';

export interface ServingGraph {
  /** In dependency order. */
  readonly nodes: readonly FlatNode[];
  /** The values of the Consts that were variables, by node name. */
  readonly variableValues: ReadonlyMap<string, RawTensor>;
  /** Per signature key: source tensor name (`node:i`) → its tensor in the copy, for its inputs and outputs. */
  readonly tensors: ReadonlyMap<string, ReadonlyMap<string, TensorRef>>;
  /** Nodes the copy's init op runs (filling its lookup tables); their values must stay exact. */
  readonly tableImports: readonly string[];
}

interface SignatureGraph {
  readonly key: string;
  readonly nodes: readonly FlatNode[];
  readonly variableValues: ReadonlyMap<string, RawTensor>;
  readonly tensors: ReadonlyMap<string, TensorRef>;
  readonly tableImports: readonly string[];
}

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
  const outputs = [...new Set(signature.outputs.map((o) => normalizeRef(o.name as string)))];
  const graph = new FlatGraph();
  // The init op's nodes come along: the tables it fills are carried into the copy.
  const loaded = loadTopLevel(graph, mg.graph, signature, initRoots(mg));
  for (const [i, s] of signature.inputs.entries()) setShape(graph, loaded.feeds[i], s);
  assetPaths(graph, model);
  const topLevel = [...graph.nodes.values()].map((n) => ({ ...n }));
  inlineCalls(graph, mg, readOpSignatures(model.doc, mg.index));
  graph.resolveAll();
  const checkpoint = checkpointReader(model, topLevel);
  const init = initEffects(graph, isInitNode(loaded.initNodes, graph), { graph, modelDir: model.dir, checkpoint: checkpoint.quiet });
  graph.prune(outputs);
  refuseUnfreezable([...graph.nodes.values()]);
  const fromInit = [...graph.nodes.values()].filter((n) => VARIABLE_OPS.has(n.op) && init.values.has(n.name) && !checkpoint.quiet(n));
  if (fromInit.length) {
    throw new ShrinkError(`variable(s) ${fromInit.slice(0, 3).map((n) => n.name).join(', ')} are set by the model's init op (asset paths and the like), which shrink does not carry yet`);
  }
  const variableValues = variablesToConstants(graph, (n) => checkpoint.valueOf(n));
  graph.resolveAll();
  const nodes = graph.prune(outputs);
  const fed = new Set(loaded.feeds.map(refNode));
  const unfed = nodes.filter((n) => n.op === 'Placeholder' && !fed.has(n.name));
  if (unfed.length) throw new ShrinkError(`signature '${signature.key}' needs placeholder(s) it does not feed: ${unfed.map((n) => n.name).join(', ')}`);
  const tensors = new Map<string, TensorRef>(signature.inputs.map((s, i) => [normalizeRef(s.name as string), loaded.feeds[i]]));
  for (const o of outputs) tensors.set(o, graph.resolve(o));
  const tables = tableFillers(nodes, init);
  return { key: signature.key, nodes: [...nodes, ...tables.nodes], variableValues: new Map([...variableValues, ...tables.values]), tensors, tableImports: tables.imports };
}

/** The signature's shape on its feed (the built-in runtime leaves it unknown; the copy declares it). */
function setShape(graph: FlatGraph, feed: TensorRef, spec: TensorSpec): void {
  const node = graph.nodes.get(refNode(feed));
  if (node?.op === 'Placeholder') node.attrs = { ...node.attrs, shape: { shape: spec.shape.dims ? shapeProto(spec.shape.dims) : { unknown_rank: true } } };
}

interface TableFillers {
  readonly nodes: FlatNode[];
  readonly values: Map<string, RawTensor>;
  /** The LookupTableImportV2 nodes the copy's init op runs. */
  readonly imports: string[];
}

/**
 * Each table the outputs read gets the contents the source's init op gives it (computed on the
 * host, from its vocabulary asset or constants), imported by LookupTableImportV2 when the copy
 * loads: the init op TensorFlow runs is the copy's own, reading nothing outside it.
 */
function tableFillers(nodes: readonly FlatNode[], init: InitEffects): TableFillers {
  const out: TableFillers = { nodes: [], values: new Map(), imports: [] };
  for (const table of nodes.filter((n) => TABLE_OPS.has(n.op))) {
    if (table.op.startsWith('Mutable')) throw new ShrinkError(`table ${table.name} (${table.op}) is mutable, filled while the model runs; shrink carries only tables the init op fills`);
    const contents = init.tables.get(tableIdentity(table, table.name));
    if (!contents) throw new ShrinkError(`the serving graph reads lookup table ${table.name}, and ${tableReason(table, init)}`);
    const [keys, values, load] = [`${table.name}/shrink_init/keys`, `${table.name}/shrink_init/values`, `${table.name}/shrink_init/import`];
    out.nodes.push(
      { name: keys, op: 'Const', inputs: [], attrs: { dtype: { type: contents.keys.dtype } } },
      { name: values, op: 'Const', inputs: [], attrs: { dtype: { type: contents.values.dtype } } },
      { name: load, op: 'LookupTableImportV2', inputs: [`${table.name}:0`, `${keys}:0`, `${values}:0`], attrs: { Tin: { type: contents.keys.dtype }, Tout: { type: contents.values.dtype } } },
    );
    out.values.set(keys, contents.keys);
    out.values.set(values, contents.values);
    out.imports.push(load);
  }
  return out;
}

/**
 * The union of the signatures' graphs: a node both define alike is kept once; a node named alike
 * but defined otherwise (a Placeholder in one, the computed tensor in the other) is renamed.
 */
class MergedGraph {
  private readonly nodes = new Map<string, FlatNode>();
  private readonly values = new Map<string, RawTensor>();
  private readonly tensors = new Map<string, ReadonlyMap<string, TensorRef>>();
  private readonly imports = new Set<string>();

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
    for (const i of g.tableImports) this.imports.add(renamed.get(i) ?? i);
  }

  private put(node: FlatNode, value: RawTensor | undefined): void {
    this.nodes.set(node.name, node);
    if (value) this.values.set(node.name, value);
  }

  result(): ServingGraph {
    return { nodes: [...this.nodes.values()], variableValues: this.values, tensors: this.tensors, tableImports: [...this.imports] };
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

function refuseUnfreezable(nodes: readonly FlatNode[]): void {
  const functional = nodes.filter((n) => takesFunctions(n.attrs));
  if (functional.length) {
    throw new ShrinkError(`the serving graph runs library functions through ${functional.slice(0, 3).map((n) => `${n.name} (${n.op})`).join(', ')} (functional control flow); shrink does not copy library functions yet`);
  }
}

function takesFunctions(attrs: PlainMessage): boolean {
  return Object.values(attrs).some((v) => msg(v).func !== undefined || list(msg(msg(v).list).func).length > 0);
}
