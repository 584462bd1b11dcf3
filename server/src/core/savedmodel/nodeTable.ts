// The nodes of a GraphDef or FunctionDef in compact form: offsets of each NodeDef in the file plus
// its name and op. Inputs and attributes are decoded on demand, so a graph of hundreds of thousands
// of nodes costs a few typed arrays and two strings per node.
import { MessageInfo, FieldInfo } from '../protobuf';
import { WireReader, RawField, WireError, utf8At } from '../protobuf';
import { decodePlain } from '../protobuf';
import { PlainMessage } from '../protobuf';
import type { MessageSpans, SpanRequest } from '../protobuf';
import { NameIndex } from './nameIndex';

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
  readonly names: string[] = [];
  readonly ops: string[] = [];
  private starts = new Uint32Array(64);
  private ends = new Uint32Array(64);
  private byName: NameIndex | undefined;
  // Graphs use a few dozen distinct ops over many nodes: share one string per op.
  private readonly opStrings = new Map<string, string>();
  private readonly opsByHash = new Map<number, string>();

  constructor(readonly buf: Uint8Array, private readonly fields: NodeFields) {}

  get count(): number {
    return this.names.length;
  }

  /** Record the NodeDef at [start, end); reads only its name and op. */
  add(start: number, end: number): void {
    const buf = this.buf;
    let name = '';
    let op = '';
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
        if (field === this.fields.name) name = utf8At(buf, pos, pos + len);
        else if (field === this.fields.op) op = this.intern(utf8At(buf, pos, pos + len));
        pos += len;
      } else {
        pos = skipField(buf, pos - 1, end);
      }
    }
    const i = this.names.length;
    if (i === this.starts.length) this.grow();
    this.names.push(name);
    this.ops.push(op);
    this.starts[i] = start;
    this.ends[i] = end;
  }

  /** Record the NodeDef the walk recorded as record k of spans (a nodeSpanRequest). */
  addRecorded(spans: MessageSpans, k: number): void {
    const d = spans.data;
    const at = k * spans.stride;
    const i = this.names.length;
    if (i === this.starts.length) this.grow();
    this.names.push(utf8At(this.buf, d[at + 2], d[at + 3]));
    this.ops.push(this.internAt(d[at + 4], d[at + 5]));
    this.starts[i] = d[at];
    this.ends[i] = d[at + 1];
  }

  /** The op at [start, end) as a shared string, without making a new string for a known op. */
  private internAt(start: number, end: number): string {
    const buf = this.buf;
    let h = end - start;
    for (let p = start; p < end; p++) h = (Math.imul(h, 31) + buf[p]) | 0;
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
    const starts = new Uint32Array(this.starts.length * 2);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Uint32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
  }

  indexOf(name: string): number {
    this.byName ??= new NameIndex(this.names);
    return this.byName.indexOf(name);
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
    const r = new WireReader(this.buf, this.starts[i], this.ends[i]);
    const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    const e: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
    while (!r.atEnd()) {
      r.next(f);
      if (f.number !== this.fields.attr.number || f.wireType !== 2) continue;
      // A map entry's key is field 1; the last one counts, as for any singular field.
      let found = false;
      for (const er = new WireReader(this.buf, f.start, f.end); !er.atEnd(); ) {
        er.next(e);
        if (e.number === 1 && e.wireType === 2) found = sameAscii(key, this.buf, e.start, e.end);
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

/** op equals the bytes [start, end), read as ASCII (a non-ASCII op never matches: it takes the slow path). */
function sameAscii(op: string, buf: Uint8Array, start: number, end: number): boolean {
  if (op.length !== end - start) return false;
  for (let i = 0; i < op.length; i++) if (op.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

const scratch: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };

/** Skip the field whose tag starts at pos; returns the offset after it. */
function skipField(buf: Uint8Array, pos: number, end: number): number {
  const r = new WireReader(buf, pos, end);
  r.next(scratch);
  return r.pos;
}
