// The nodes of a GraphDef or FunctionDef in compact form: where each NodeDef and its name lie in
// the file, and its op (one shared string per op). Names, inputs and attributes are decoded on
// demand, and names are looked up by their bytes, so a graph of hundreds of thousands of nodes
// costs a few typed arrays, and checking it makes no string per node.
import { MessageInfo, FieldInfo } from '../protobuf';
import { WireReader, RawField, WireError, utf8At } from '../protobuf';
import { decodePlain } from '../protobuf';
import { PlainMessage } from '../protobuf';
import type { MessageSpans, SpanRequest } from '../protobuf';
import { NameIndex, hashBytes, sameAscii } from './nameIndex';

export interface NodeFields {
  readonly type: MessageInfo;
  readonly name: number;
  readonly op: number;
  readonly input: number;
  readonly attr: FieldInfo;
}

export function nodeFields(nodeDef: MessageInfo): NodeFields {
  const get = (n: string): FieldInfo => nodeDef.byName.get(n) as FieldInfo;
  return { type: nodeDef, name: get('name').number, op: get('op').number, input: get('input').number, attr: get('attr') };
}

/** What the wire walk records for each NodeDef so the table needs no second pass: name and op. */
export function nodeSpanRequest(f: NodeFields): SpanRequest {
  return { type: f.type, fields: [f.name, f.op] };
}

export class NodeTable {
  readonly ops: string[] = [];
  private allNames: string[] | undefined;
  private starts = new Uint32Array(64);
  private ends = new Uint32Array(64);
  /** Where each node's name lies in buf (the index hashes these bytes). */
  private nameStarts = new Uint32Array(64);
  private nameEnds = new Uint32Array(64);
  private byName: NameIndex | undefined;
  /** Scratch for nextField: [start, end) of the field found. */
  private readonly fieldAt = new Uint32Array(2);
  // Graphs use a few dozen distinct ops over many nodes: share one string per op.
  private readonly opStrings = new Map<string, string>();
  private readonly opsByHash = new Map<number, string>();

  constructor(readonly buf: Uint8Array, private readonly fields: NodeFields) {}

  get count(): number {
    return this.ops.length;
  }

  /** Node i's name. */
  name(i: number): string {
    return this.allNames ? this.allNames[i] : utf8At(this.buf, this.nameStarts[i], this.nameEnds[i]);
  }

  /** Every node's name, decoded on first use (most callers want one: name(i)). */
  get names(): readonly string[] {
    if (!this.allNames) {
      const out = new Array<string>(this.count);
      for (let i = 0; i < out.length; i++) out[i] = utf8At(this.buf, this.nameStarts[i], this.nameEnds[i]);
      this.allNames = out;
    }
    return this.allNames;
  }

  /** Record the NodeDef at [start, end); reads only its name and op. */
  add(start: number, end: number): void {
    const buf = this.buf;
    let op = '';
    let nameStart = 0;
    let nameEnd = 0;
    let pos = start;
    while (pos < end) {
      const tag = buf[pos] < 0x80 ? buf[pos++] : -1;
      if (tag < 0) {
        // Multi-byte tags never name `name` or `op`: let the general reader skip this field.
        pos = skipField(buf, pos, end);
        continue;
      }
      const wt = tag & 7;
      if (wt === 2) {
        let len = 0;
        let shift = 0;
        let b: number;
        do {
          if (pos >= end) throw new WireError('message truncated', pos);
          b = buf[pos++];
          len += (b & 0x7f) * 2 ** shift;
          shift += 7;
        } while (b >= 0x80);
        if (len > end - pos) throw new WireError(`field of ${len} bytes runs past the end of its message`, pos);
        const field = tag >>> 3;
        if (field === this.fields.name) {
          nameStart = pos;
          nameEnd = pos + len;
        } else if (field === this.fields.op) op = this.internAt(pos, pos + len);
        pos += len;
      } else {
        pos = skipField(buf, pos - 1, end);
      }
    }
    const i = this.count;
    if (i === this.starts.length) this.grow();
    this.allNames = undefined;
    this.byName = undefined;
    this.ops.push(op);
    this.starts[i] = start;
    this.ends[i] = end;
    this.nameStarts[i] = nameStart;
    this.nameEnds[i] = nameEnd;
  }

  /** Record the NodeDef the walk recorded as record k of spans (a nodeSpanRequest). */
  addRecorded(spans: MessageSpans, k: number): void {
    const d = spans.data;
    const at = k * spans.stride;
    const i = this.count;
    if (i === this.starts.length) this.grow();
    this.allNames = undefined;
    this.byName = undefined;
    this.ops.push(this.internAt(d[at + 4], d[at + 5]));
    this.starts[i] = d[at];
    this.ends[i] = d[at + 1];
    this.nameStarts[i] = d[at + 2];
    this.nameEnds[i] = d[at + 3];
  }

  /** The op at [start, end) as a shared string, without making a new string for a known op. */
  private internAt(start: number, end: number): string {
    const buf = this.buf;
    const h = hashBytes(buf, start, end);
    const known = this.opsByHash.get(h);
    if (known !== undefined && sameAscii(known, buf, start, end)) return known;
    const op = this.intern(utf8At(buf, start, end));
    if (known === undefined) this.opsByHash.set(h, op);
    return op;
  }

  private intern(op: string): string {
    const known = this.opStrings.get(op);
    if (known !== undefined) return known;
    this.opStrings.set(op, op);
    return op;
  }

  private grow(): void {
    const twice = (a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
      const b = new Uint32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.starts = twice(this.starts);
    this.ends = twice(this.ends);
    this.nameStarts = twice(this.nameStarts);
    this.nameEnds = twice(this.nameEnds);
  }

  private get index(): NameIndex {
    this.byName ??= new NameIndex(this.buf, this.nameStarts, this.nameEnds, this.count);
    return this.byName;
  }

  /** The first node called `name`, or -1. */
  indexOf(name: string): number {
    return this.index.lookupName(name);
  }

  /** Nodes named like an earlier node (a second definition), ascending. */
  get duplicates(): readonly number[] {
    return this.index.duplicates;
  }

  /** The first node named by src[start, end) (by default the file's own bytes: an input of another node), or -1. */
  indexOfBytes(start: number, end: number, src: Uint8Array = this.buf, near = -1): number {
    return this.index.lookup(start, end, src, near);
  }

  /** Calls fn with where in buf each input of node i lies (`^name`, `name`, `name:1`), in order. */
  forEachInputSpan(i: number, fn: (start: number, end: number) => void): void {
    const field = this.fieldAt;
    const end = this.ends[i];
    for (let pos = this.starts[i]; pos < end;) {
      pos = nextField(this.buf, pos, end, this.fields.input, field);
      if (field[1]) fn(field[0], field[1]);
    }
  }

  /**
   * Calls fn with the index of the node each input of node i names, or -1 for an input naming no
   * node, without making strings. The name ends at the first colon (node names have none), which
   * reads graph inputs (`^name`, `name`, `name:1`) and function-body ones (`name:out:0`) alike.
   */
  forEachInput(i: number, fn: (j: number) => void): void {
    const buf = this.buf;
    this.forEachInputSpan(i, (s, e) => {
      const start = buf[s] === CARET ? s + 1 : s;
      let end = start;
      while (end < e && buf[end] !== COLON) end++;
      fn(this.indexOfBytes(start, end, buf, i - 1));
    });
  }

  span(i: number): { start: number; end: number } {
    return { start: this.starts[i], end: this.ends[i] };
  }

  inputs(i: number): string[] {
    const out: string[] = [];
    const r = new WireReader(this.buf, this.starts[i], this.ends[i]);
    const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    while (!r.atEnd()) {
      r.next(f);
      if (f.number === this.fields.input && f.wireType === 2) out.push(utf8At(this.buf, f.start, f.end));
    }
    return out;
  }

  /**
   * Whether node i sets attr `key`. Only the attr entries' keys are read: values (a Const's
   * tensor, perhaps never read in from the file) are skipped by their length.
   */
  hasAttr(i: number, key: string): boolean {
    const buf = this.buf;
    const f = this.fieldAt;
    const end = this.ends[i];
    for (let pos = this.starts[i]; pos < end;) {
      pos = nextField(buf, pos, end, this.fields.attr.number, f);
      if (!f[1]) continue;
      // A map entry's key is field 1; the last one counts, as for any singular field.
      const entryEnd = f[1];
      let found = false;
      for (let p = f[0]; p < entryEnd;) {
        p = nextField(buf, p, entryEnd, 1, f);
        if (f[1]) found = sameAscii(key, buf, f[0], f[1]);
      }
      if (found) return true;
    }
    return false;
  }

  /** The node's attr map, decoded (tensor contents are views into the file, read in when it was read by positions). */
  attrs(i: number): PlainMessage {
    const full = decodePlain(this.buf, this.starts[i], this.ends[i], this.fields.type);
    return (full.attr as PlainMessage | undefined) ?? {};
  }

  /**
   * The attr map for callers that need the structure and small values only: a `bytes` value the
   * positioned read skipped (64 KiB and more, e.g. tensor_content) keeps its length but is not read in.
   */
  attrSizes(i: number): PlainMessage {
    const full = decodePlain(this.buf, this.starts[i], this.ends[i], this.fields.type, { lengthsOnly: true });
    return (full.attr as PlainMessage | undefined) ?? {};
  }
}

const CARET = 0x5e;
const COLON = 0x3a;

/**
 * Step over the field at pos; when it is the length-delimited field `number`, put its payload's
 * [start, end) in out, else out[1] = 0. A fast path for one-byte tags and lengths (nearly every
 * field of a node); anything else goes through the general reader.
 */
function nextField(buf: Uint8Array, pos: number, end: number, number: number, out: Uint32Array): number {
  const tag = buf[pos];
  const len = buf[pos + 1];
  out[1] = 0;
  if (tag < 0x80 && (tag & 7) === 2 && len < 0x80 && pos + 2 + len <= end) {
    if (tag >>> 3 === number) {
      out[0] = pos + 2;
      out[1] = pos + 2 + len;
    }
    return pos + 2 + len;
  }
  const r = new WireReader(buf, pos, end);
  const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
  r.next(f);
  if (f.number === number && f.wireType === 2) {
    out[0] = f.start;
    out[1] = f.end;
  }
  return r.pos;
}

const scratch: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };

/** Skip the field whose tag starts at pos; returns the offset after it. */
function skipField(buf: Uint8Array, pos: number, end: number): number {
  const r = new WireReader(buf, pos, end);
  r.next(scratch);
  return r.pos;
}
