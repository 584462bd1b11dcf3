// Where tensor and function names are declared and used in a document's tree, built once per
// analysis on the first navigation request. Names resolve in scopes: a meta graph's graph (its
// nodes), each FunctionDef (its node_defs and input args, `node:out_arg:idx` inside), and a meta
// graph's function library (FunctionDef signature names).
import { nodeNameOf } from '../core/savedmodel';
import { TextMessage, TextValue } from '../core/textformat';
import { DocumentAnalysis } from './documentAnalysis';
import { lastValue, messagesOf, stringOf } from './treeQuery';

/** One name written in the text: a declaration, or a use of what `target` names. */
export interface Site {
  readonly start: number;
  readonly end: number;
  /** `t|<scope>|<node>` for a node or function arg, `f|<meta graph>|<function>` for a function. */
  readonly target: string;
  readonly decl: boolean;
}

/** The text of a node or function, to find what the cursor is inside when not on a name. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly target: string;
}

export interface NavigationIndex {
  /** In text order. */
  readonly sites: readonly Site[];
  /** The first declaration of each target. */
  readonly decls: ReadonlyMap<string, Site>;
  readonly byTarget: ReadonlyMap<string, readonly Site[]>;
  /** NodeDef messages, in text order (they do not nest). */
  readonly nodes: readonly Span[];
  /** FunctionDef messages, in text order. */
  readonly functions: readonly Span[];
}

type Role = 'tensor' | 'function' | 'op';

/** Fields whose string values name a tensor or node of the current scope, or a function. */
const ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['tensorflow.NodeDef.input', 'tensor'],
  ['tensorflow.NodeDef.op', 'op'],
  ['tensorflow.TensorInfo.name', 'tensor'],
  ['tensorflow.TensorInfo.CooSparse.values_tensor_name', 'tensor'],
  ['tensorflow.TensorInfo.CooSparse.indices_tensor_name', 'tensor'],
  ['tensorflow.TensorInfo.CooSparse.dense_shape_tensor_name', 'tensor'],
  ['tensorflow.CollectionDef.NodeList.value', 'tensor'],
  ['tensorflow.SaverDef.filename_tensor_name', 'tensor'],
  ['tensorflow.SaverDef.save_tensor_name', 'tensor'],
  ['tensorflow.SaverDef.restore_op_name', 'tensor'],
  ['tensorflow.FunctionDef.RetEntry.value', 'tensor'],
  ['tensorflow.FunctionDef.ControlRetEntry.value', 'tensor'],
  ['tensorflow.NameAttrList.name', 'function'],
  ['tensorflow.GradientDef.function_name', 'function'],
  ['tensorflow.GradientDef.gradient_func', 'function'],
  ['tensorflow.SavedFunction.concrete_functions', 'function'],
  ['tensorflow.SavedBareConcreteFunction.concrete_function_name', 'function'],
  ['tensorflow.CapturedTensor.concrete_function', 'function'],
  ['tensorflow.SavedObjectGraph.ConcreteFunctionsEntry.key', 'function'],
]);

/** Subtrees that never name tensors or functions, skipped for speed (tensor values are the bulk of a model). */
const SKIPPED = new Set(['tensorflow.TensorProto', 'tensorflow.OpList']);

const cache = new WeakMap<DocumentAnalysis, NavigationIndex>();

export function navigationIndex(a: DocumentAnalysis): NavigationIndex {
  let idx = cache.get(a);
  if (!idx) {
    idx = buildIndex(a.tree);
    cache.set(a, idx);
  }
  return idx;
}

export function tensorTarget(scope: string, name: string): string {
  return `t|${scope}|${name}`;
}

export function functionTarget(metaGraph: number, name: string): string {
  return `f|${metaGraph}|${name}`;
}

interface Scope {
  readonly metaGraph: number;
  readonly id: string;
}

class Builder {
  readonly sites: Site[] = [];
  /** Uses of an op name: calls when a function of that name exists, found once all are declared. */
  readonly opSites = new Set<Site>();
  readonly nodes: Span[] = [];
  readonly functions: Span[] = [];
  private metaGraphs = 0;
  private functionCount = 0;

  walkRoot(root: TextMessage): void {
    for (const mg of messagesOf(root, 'meta_graphs')) {
      const scope = { metaGraph: this.metaGraphs, id: `g${this.metaGraphs}` };
      this.metaGraphs++;
      this.functionCount = 0;
      this.walk(mg, scope);
    }
  }

  private walk(msg: TextMessage, scope: Scope): void {
    const type = msg.type.fullName;
    if (type === 'tensorflow.FunctionDef') return this.functionDef(msg, scope);
    if (type === 'tensorflow.NodeDef') this.nodeDef(msg, scope);
    for (const occ of msg.fields) {
      const role = ROLES.get(`${type}.${occ.info.name}`);
      for (const v of occ.values) {
        if (role) this.use(v, role, scope);
        else if (v.kind === 'message' && !SKIPPED.has(v.type.fullName)) this.walk(v, scope);
      }
    }
  }

  private use(v: TextValue, role: Role, scope: Scope): void {
    const text = stringOf(v);
    if (!text) return;
    if (role === 'tensor') {
      const node = nodeNameOf(text);
      if (node) this.sites.push({ start: v.start, end: v.end, target: tensorTarget(scope.id, node), decl: false });
      return;
    }
    const site = { start: v.start, end: v.end, target: functionTarget(scope.metaGraph, text), decl: false };
    this.sites.push(site);
    if (role === 'op') this.opSites.add(site);
  }

  private declare(v: TextValue | undefined, target: string): void {
    if (v && stringOf(v) !== undefined) this.sites.push({ start: v.start, end: v.end, target, decl: true });
  }

  private nodeDef(msg: TextMessage, scope: Scope): void {
    const nameValue = lastValue(msg, 'name');
    const name = stringOf(nameValue);
    if (name === undefined) return;
    const target = tensorTarget(scope.id, name);
    this.nodes.push({ start: msg.start, end: msg.end, target });
    this.declare(nameValue, target);
  }

  private functionDef(msg: TextMessage, outer: Scope): void {
    const scope = { metaGraph: outer.metaGraph, id: `g${outer.metaGraph}/f${this.functionCount++}` };
    for (const occ of msg.fields) {
      for (const v of occ.values) {
        if (v.kind !== 'message') continue;
        if (occ.info.name === 'signature') this.signature(v, msg, scope);
        else if (!SKIPPED.has(v.type.fullName)) this.walk(v, scope);
      }
    }
  }

  private signature(sig: TextMessage, fn: TextMessage, scope: Scope): void {
    const nameValue = lastValue(sig, 'name');
    const name = stringOf(nameValue);
    if (name !== undefined) {
      const target = functionTarget(scope.metaGraph, name);
      this.functions.push({ start: fn.start, end: fn.end, target });
      this.declare(nameValue, target);
    }
    for (const arg of messagesOf(sig, 'input_arg')) {
      const argName = lastValue(arg, 'name');
      const text = stringOf(argName);
      if (text) this.declare(argName, tensorTarget(scope.id, text));
    }
    // Output args are named by `ret`, not by node inputs: nothing to declare for them.
  }
}

function buildIndex(root: TextMessage): NavigationIndex {
  const b = new Builder();
  b.walkRoot(root);
  const decls = new Map<string, Site>();
  for (const s of b.sites) if (s.decl && !decls.has(s.target)) decls.set(s.target, s);
  // An op name is a call only when the library defines a function of that name.
  const sites = b.sites.filter((s) => !b.opSites.has(s) || decls.has(s.target));
  sites.sort((x, y) => x.start - y.start);
  const byTarget = new Map<string, Site[]>();
  for (const s of sites) {
    const list = byTarget.get(s.target);
    if (list) list.push(s);
    else byTarget.set(s.target, [s]);
  }
  return { sites, decls, byTarget, nodes: b.nodes, functions: b.functions };
}

/** The site whose text holds `offset` (its end included: the cursor just after a name is on it). */
export function siteAt(idx: NavigationIndex, offset: number): Site | undefined {
  const s = lastStartingAt(idx.sites, offset);
  return s && offset <= s.end ? s : undefined;
}

/** The innermost span holding `offset`. */
export function spanAt(spans: readonly Span[], offset: number): Span | undefined {
  const s = lastStartingAt(spans, offset);
  return s && offset < s.end ? s : undefined;
}

function lastStartingAt<T extends { start: number }>(list: readonly T[], offset: number): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  let best: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].start <= offset) {
      best = list[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}
