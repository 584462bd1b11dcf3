// The type check TensorFlow's importer does before it runs anything, over one meta graph: every
// op is declared (OpDef list, library function, or an op the caller knows is registered), every
// attr without a default is set, input counts and dtypes agree with each OpDef and with what each
// producer outputs, every input and `_class` colocation names an existing node, and every
// signature tensor exists with its declared dtype. Where an op's OpDef is not in the model (a
// standard op TensorFlow knows by itself), only the checks that need no OpDef are made.
import { ElementPath } from '../elementPath';
import { MetaGraph, SavedModelDoc } from '../savedmodel';
import { FunctionInfo } from '../savedmodel';
import { PlainMessage, list, msg, utf8At } from '../protobuf';
import { ArgTypes, baseType, expandArgs, typesCompatible } from './argTypes';
import { OpDefInfo, OpDefTable, declaredOpDefs, functionOpDefs } from './opDefTable';

export interface GraphProblem {
  readonly message: string;
  readonly path: ElementPath;
}

export interface GraphCheckOptions {
  /** Ops TensorFlow has registered without the model declaring them (the standard ops). */
  readonly registered?: (op: string) => boolean;
  /** Every op must have its OpDef in stripped_op_list, and the list must hold no other op (a copy we write). */
  readonly exactOpList?: boolean;
  /** Stop after this many problems per meta graph. */
  readonly limit?: number;
}

const DEFAULT_LIMIT = 50;

export function checkMetaGraph(doc: SavedModelDoc, mg: MetaGraph, opts: GraphCheckOptions = {}): GraphProblem[] {
  const c = new Checker(mg, declaredOpDefs(doc, mg), functionOpDefs(doc, mg), opts);
  try {
    c.run();
  } catch (e) {
    if (!(e instanceof LimitReached)) throw e;
  }
  return c.problems;
}

class LimitReached extends Error {}

class Checker {
  readonly problems: GraphProblem[] = [];
  private readonly outputCache: Array<ArgTypes | null | undefined> = [];
  private readonly used = new Set<string>();
  private readonly plainOps = new Map<string, boolean>();

  // The node table's own name map (first definition wins): strings in, no bytes encoded per look-up.
  private readonly indexOf: (name: string) => number;

  constructor(private readonly mg: MetaGraph, private readonly declared: OpDefTable, private readonly fns: OpDefTable, private readonly opts: GraphCheckOptions) {
    this.indexOf = (name) => mg.graph.indexOf(name);
  }

  run(): void {
    const g = this.mg.graph;
    const duplicates = g.duplicates;
    let d = 0;
    for (let i = 0; i < g.count; i++) {
      if (duplicates[d] === i) {
        d++;
        this.report(`Node '${g.name(i)}' is defined twice; node names must be unique`, this.nodePath(i));
      }
      if (!this.plainAndSound(i)) this.checkNode(i);
    }
    for (const fn of this.mg.functions.values()) this.checkFunction(fn);
    this.checkSignatures();
    if (this.opts.exactOpList) this.checkOpListExact();
  }

  private report(message: string, path: ElementPath): void {
    this.problems.push({ message, path });
    if (this.problems.length >= (this.opts.limit ?? DEFAULT_LIMIT)) throw new LimitReached();
  }

  private nodePath(i: number): ElementPath {
    return [...this.mg.path, { field: 'graph_def' }, { field: 'node', index: i }];
  }

  /**
   * A node's attrs (no tensor bytes read in: only attrs and types matter here), decoded only when
   * something needs them: its op has an OpDef to check against, or it has a `_class` attr (a
   * colocation to check). Most nodes of a big graph need neither.
   */
  private attrs(i: number, def: OpDefInfo | undefined): PlainMessage | undefined {
    const g = this.mg.graph;
    if (!def && !g.hasAttr(i, '_class')) return undefined;
    return g.attrSizes(i);
  }

  /** The OpDef of an op, or undefined (reported once per node when the op is unknown). */
  private opDef(op: string, where: string, path: ElementPath): OpDefInfo | undefined {
    this.used.add(op);
    const fn = this.fns.get(op);
    if (fn) return fn;
    const declared = this.declared.get(op);
    if (declared) return declared;
    if (this.opts.exactOpList) this.report(`${where} uses op '${op}', which the meta graph's OpDef list (stripped_op_list) does not declare`, path);
    else if (!this.opts.registered?.(op)) this.report(`${where} uses op '${op}', which is neither declared in the meta graph's OpDef list (stripped_op_list) nor a standard TensorFlow op`, path);
    return undefined;
  }

  /**
   * Most nodes of a big graph: a standard op the model declares no OpDef for, no colocation, every
   * input found. Nothing to report, and no strings or paths made to say so.
   */
  private plainAndSound(i: number): boolean {
    const g = this.mg.graph;
    if (this.knownWithoutDef(g.ops[i]) !== true || g.hasAttr(i, '_class')) return false;
    let sound = true;
    g.forEachInputSpan(i, (s, e) => {
      const from = g.buf[s] === CARET ? s + 1 : s;
      const to = from === s ? refNodeEnd(g.buf, from, e) : e;
      if (sound && g.indexOfBytes(from, to, g.buf, i - 1) < 0) sound = false;
    });
    return sound;
  }

  /** Whether op needs no OpDef check: registered, and neither a library function nor declared. Cached per op. */
  private knownWithoutDef(op: string): boolean {
    let known = this.plainOps.get(op);
    if (known === undefined) {
      known = !this.fns.get(op) && !this.declared.get(op) && !this.opts.exactOpList && !!this.opts.registered?.(op);
      this.plainOps.set(op, known);
      if (known) this.used.add(op);
    }
    return known;
  }

  private checkNode(i: number): void {
    const g = this.mg.graph;
    const where = `Node '${g.name(i)}' (${g.ops[i]})`;
    const path = this.nodePath(i);
    const def = this.opDef(g.ops[i], where, path);
    const attrs = this.attrs(i, def);
    if (def && attrs) {
      this.checkAttrs(def, attrs, where, path);
      if (this.outputCache[i] === undefined) this.outputCache[i] = expandArgs(def.outputs, def, attrs) ?? null;
    }
    if (attrs) this.checkColocation(attrs, where, path, (n) => this.indexOf(n) >= 0);
    // Inputs are found by their bytes; strings are made only for a missing one or a type check.
    let missing = false;
    g.forEachInputSpan(i, (s, e) => {
      const control = g.buf[s] === CARET;
      const from = control ? s + 1 : s;
      const to = control ? e : refNodeEnd(g.buf, from, e);
      if (g.indexOfBytes(from, to) >= 0) return;
      this.report(`${where} reads '${utf8At(g.buf, s, e)}', but the graph has no node '${utf8At(g.buf, from, to)}'`, path);
      missing = true;
    });
    if (!def || !attrs || missing) return;
    const data = g.inputs(i).filter((input) => !input.startsWith('^'));
    const expected = expandArgs(def.inputs, def, attrs);
    if (!expected) return;
    if (expected.length !== data.length) {
      this.report(`${where} has ${data.length} data input(s); ${def.name}'s OpDef with these attrs takes ${expected.length}`, path);
      return;
    }
    data.forEach((input, k) => this.checkInputType(input, expected[k], k, where, path));
  }

  private checkAttrs(def: OpDefInfo, attrs: PlainMessage, where: string, path: ElementPath): void {
    for (const a of def.attrs.values()) {
      if (a.defaultValue === undefined && attrs[a.name] === undefined) this.report(`${where} lacks attr '${a.name}' (${a.type}), which ${def.name} requires (it has no default)`, path);
    }
  }

  private checkColocation(attrs: PlainMessage, where: string, path: ElementPath, exists: (name: string) => boolean): void {
    for (const s of list(msg(msg(attrs._class).list).s)) {
      const text = s instanceof Uint8Array ? new TextDecoder().decode(s) : String(s);
      if (text.startsWith('loc:@') && !exists(text.slice(5))) this.report(`${where} is colocated with '${text.slice(5)}' (_class ${text}), which the graph does not have`, path);
    }
  }

  private checkInputType(input: string, expected: string | undefined, k: number, where: string, path: ElementPath): void {
    const producer = this.indexOf(refNode(input));
    const outputs = this.outputs(producer);
    if (!outputs) return;
    const index = refIndex(input);
    if (index >= outputs.length) {
      this.report(`${where} reads '${input}', but '${refNode(input)}' (${this.mg.graph.ops[producer]}) has ${outputs.length} output(s)`, path);
      return;
    }
    const actual = outputs[index];
    if (expected !== undefined && actual !== undefined && !typesCompatible(expected, actual)) {
      this.report(`${where}: input ${k} '${input}' is ${actual}, but the op expects ${expected} there`, path);
    }
  }

  /** What a main-graph node outputs, by its OpDef and attrs; null when not known. */
  private outputs(i: number): ArgTypes | null {
    let o = this.outputCache[i];
    if (o === undefined) {
      const op = this.mg.graph.ops[i];
      const def = this.fns.get(op) ?? this.declared.get(op);
      o = def ? expandArgs(def.outputs, def, this.mg.graph.attrSizes(i)) ?? null : null;
      this.outputCache[i] = o;
    }
    return o;
  }

  private checkFunction(fn: FunctionInfo): void {
    const body = fn.nodes;
    const args = new Set(fn.inputArgs);
    const exists = (name: string): boolean => body.indexOf(name) >= 0;
    for (let k = 0; k < body.count; k++) {
      const where = `Node '${body.name(k)}' (${body.ops[k]}) of function ${fn.name}`;
      const path: ElementPath = [...fn.path, { field: 'node_def', index: k }];
      const attrs = body.attrSizes(k);
      const def = this.opDef(body.ops[k], where, path);
      if (def) this.checkAttrs(def, attrs, where, path);
      this.checkColocation(attrs, where, path, exists);
      for (const input of body.inputs(k)) {
        const name = bodyInputNode(input);
        if (!exists(name) && !(input === name && args.has(name))) this.report(`${where} reads '${input}', which is neither a node of the function nor one of its arguments`, path);
      }
    }
    for (const [out, ref] of Object.entries(fn.ret)) {
      const name = bodyInputNode(ref);
      if (!exists(name) && !args.has(ref)) this.report(`Function ${fn.name} returns '${ref}' as ${out}, but it has no node '${name}'`, fn.path);
    }
  }

  private checkSignatures(): void {
    const g = this.mg.graph;
    for (const sig of this.mg.signatures) {
      const client = !sig.key.startsWith('__');
      for (const t of [...sig.inputs, ...sig.outputs]) {
        if (t.name === undefined) continue;
        const i = this.indexOf(refNode(t.name));
        const where = `Signature '${sig.key}' tensor '${t.key}'`;
        if (i < 0) {
          this.report(`${where} is '${t.name}', but the graph has no node '${refNode(t.name)}'`, t.path);
          continue;
        }
        if (!client) continue;
        const outputs = this.outputs(i);
        if (!outputs) continue;
        const index = refIndex(t.name);
        if (index >= outputs.length) this.report(`${where} is '${t.name}', but '${g.name(i)}' (${g.ops[i]}) has ${outputs.length} output(s)`, t.path);
        else if (outputs[index] !== undefined && t.dtype !== 'DT_INVALID' && baseType(outputs[index] as string) !== t.dtype) {
          this.report(`${where} is declared ${t.dtype}, but '${t.name}' is ${outputs[index]}`, t.path);
        }
      }
    }
  }

  private checkOpListExact(): void {
    const extra = [...this.declared.keys()].filter((op) => !this.used.has(op) && !this.fns.has(op));
    if (extra.length) this.report(`The OpDef list (stripped_op_list) declares ops no node uses: ${extra.sort().join(', ')}`, [...this.mg.path, { field: 'meta_info_def' }]);
  }
}

const CARET = 0x5e;
const COLON = 0x3a;

/** refNode over bytes: where the node name of the input at [start, end) ends. */
function refNodeEnd(buf: Uint8Array, start: number, end: number): number {
  let colon = end - 1;
  while (colon >= start && buf[colon] !== COLON) colon--;
  if (colon < start || colon === end - 1) return end;
  for (let k = colon + 1; k < end; k++) if (buf[k] < 0x30 || buf[k] > 0x39) return end;
  return colon;
}

/** `node:2` → node; a bare name is `node:0`. */
function refNode(ref: string): string {
  const i = ref.lastIndexOf(':');
  return i < 0 || !/^\d+$/.test(ref.slice(i + 1)) ? ref : ref.slice(0, i);
}

function refIndex(ref: string): number {
  const i = ref.lastIndexOf(':');
  return i < 0 || !/^\d+$/.test(ref.slice(i + 1)) ? 0 : Number(ref.slice(i + 1));
}

/** Inside a function body: `^n`, `n:out:0` and `arg` name node n or argument arg. */
function bodyInputNode(ref: string): string {
  const r = ref.startsWith('^') ? ref.slice(1) : ref;
  const i = r.indexOf(':');
  return i < 0 ? r : r.slice(0, i);
}

