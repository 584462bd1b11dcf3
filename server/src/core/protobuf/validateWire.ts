// One walk over a binary message that accepts exactly what protoc's C++ parser accepts, so that
// after it nothing that reads the file lazily can meet a framing error. It checks every tag and
// length, every length-delimited field inside its parent, every field the schema calls a message
// (recursively, at most 100 deep), packed scalars, and UTF-8 in proto3 `string` fields (protoc
// refuses invalid UTF-8 there). `bytes` payloads and unknown fields are skipped by their length,
// never read. A known field with the wrong wire type is what the C++ parser keeps as an unknown
// field: accepted, and reported as a warning.
//
// The walk visits the file in increasing offset order, so a caller that has not read the whole
// file can hand a WireWindow that loads bytes as the walk reaches them (positioned reads): big
// `bytes` payloads are then never read at all.
import { FieldInfo, MessageInfo } from './schema';
import { WireError, isValidUtf8, utf8At } from './wire';
import type { ElementPath, PathSegment } from '../elementPath';
import { formatPath } from '../elementPath';
import { MessageSpans, SpanRequest } from './messageSpans';

/** protoc's recursion limit (CodedInputStream's default), for messages and groups together. */
const MAX_DEPTH = 100;
const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

/** What the walk does with a field of a given number, per message type. */
const enum Kind { Unknown = 0, Message = 1, Utf8 = 2, Opaque = 3, Scalar = 4 }

interface Table {
  readonly info: MessageInfo;
  /** By field number: Kind, the wire type one value has, whether a LEN occurrence is a packed list. */
  readonly kind: Uint8Array;
  readonly wire: Uint8Array;
  readonly packable: Uint8Array;
  readonly child: Array<Table | undefined>;
}

const tables = new Map<MessageInfo, Table>();

function tableOf(info: MessageInfo): Table {
  let t = tables.get(info);
  if (t) return t;
  const size = info.fields.reduce((m, f) => Math.max(m, f.number), 0) + 1;
  t = { info, kind: new Uint8Array(size), wire: new Uint8Array(size), packable: new Uint8Array(size), child: new Array(size).fill(undefined) };
  tables.set(info, t);
  for (const f of info.fields) {
    t.wire[f.number] = f.wireType;
    t.kind[f.number] = kindOf(info, f);
    t.packable[f.number] = f.repeated && t.kind[f.number] === Kind.Scalar ? 1 : 0;
  }
  for (const f of info.fields) if (f.type === 'message' && f.message) t.child[f.number] = tableOf(f.message);
  return t;
}

function kindOf(owner: MessageInfo, f: FieldInfo): Kind {
  if (f.type === 'message') return Kind.Message;
  if (f.type === 'string') return owner.proto2 ? Kind.Opaque : Kind.Utf8;
  if (f.type === 'bytes') return Kind.Opaque;
  return Kind.Scalar;
}

/**
 * Loads the bytes of a file as the walk reaches them: load(pos, end) makes at least [pos, end)
 * present (clipped to the file) and returns where what is present from pos on ends. The walk asks
 * in increasing order of pos; bytes it skips (payloads it never reads) need never be loaded.
 */
export interface WireWindow {
  load(pos: number, end: number): number;
}

export interface WireProblem {
  readonly message: string;
  /** Byte offset in the file. */
  readonly offset: number;
  /** The innermost element around the offset, e.g. meta_graphs[0].graph_def.node[12]. */
  readonly path: ElementPath;
  /** The path as people read it, with the node's name where there is one. */
  readonly where: string;
  /** The message ends where the file ends and claims more: what a cut-off copy looks like. */
  readonly cutShort: boolean;
}

export interface WireVerdict {
  readonly ok: boolean;
  readonly error: WireProblem | undefined;
  /** What protoc accepts but is odd (a known field with the wrong wire type), first ones only. */
  readonly warnings: readonly WireProblem[];
  readonly warningCount: number;
  /** What opts.spans asked for, when the walk accepted the message. */
  readonly spans: MessageSpans | undefined;
}

export interface ValidateOptions {
  /** Bytes are loaded on demand (positioned reads); without it buf holds the whole message. */
  window?: WireWindow;
  /** Most warnings kept (all are counted). */
  maxWarnings?: number;
  /**
   * With a window: called for each payload of at least minSkip bytes the walk skipped unread
   * (`bytes`, unknown fields); smaller ones are loaded.
   */
  onSkip?: (start: number, end: number) => void;
  minSkip?: number;
  /** Record where every message of one type and some of its fields lie (see MessageSpans). */
  spans?: SpanRequest;
}

/** Walk buf[0, size) as a message of `type`; size defaults to buf.length. */
export function validateWire(buf: Uint8Array, type: MessageInfo, opts: ValidateOptions = {}, size = buf.length): WireVerdict {
  const w = new Walker(buf, size, opts);
  const root = tableOf(type);
  let error: WireProblem | undefined;
  try {
    w.message(root, 0, size, 0);
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    error = { ...problem(buf, root, size, e.reason, e.offset, w.fieldStart), cutShort: w.cutShort };
  }
  const warnings = w.odd.map(([offset, message]) => problem(buf, root, size, message, offset, offset));
  return { ok: !error, error, warnings, warningCount: w.oddCount, spans: error ? undefined : w.spans };
}

/** The one-line reason a file is refused, e.g. `field of 56 bytes runs past … at byte 6473, in meta_graphs[0]`. */
export function describeProblem(p: WireProblem, fileSize?: number): string {
  const at = `${p.message} at byte ${p.offset}`;
  const cut = p.cutShort && fileSize !== undefined ? `; the file (${fileSize} bytes) ends too early: probably truncated` : '';
  return (p.where ? `${at}, in ${p.where}` : at) + cut;
}

/** The line every command gives for a file protoc would refuse: `FILE: not a valid TYPE (reason)`. */
export function refusalLine(file: string, typeName: string, p: WireProblem, fileSize?: number): string {
  return `${file}: not a valid ${typeName} (${describeProblem(p, fileSize)})`;
}

// Fields read most: keep lengths and tags in locals and the walker's own fields, no allocation.
class Walker {
  loaded: number;
  /** Where the field being read starts (its tag): errors are located by it. */
  fieldStart = 0;
  len = 0;
  readonly odd: Array<[number, string]> = [];
  oddCount = 0;
  cutShort = false;
  private readonly maxWarnings: number;
  private readonly window: WireWindow | undefined;
  private readonly onSkip: ((start: number, end: number) => void) | undefined;
  private readonly minSkip: number;
  readonly spans: MessageSpans | undefined;
  private readonly spanTable: Table | undefined;

  private readonly view: DataView;

  constructor(readonly buf: Uint8Array, readonly size: number, opts: ValidateOptions) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.window = opts.window;
    this.loaded = opts.window ? 0 : Infinity;
    this.maxWarnings = opts.maxWarnings ?? 20;
    this.onSkip = opts.onSkip;
    this.minSkip = opts.minSkip ?? Infinity;
    this.spans = opts.spans && new MessageSpans(opts.spans);
    this.spanTable = opts.spans && tableOf(opts.spans.type);
  }

  message(T: Table, start: number, end: number, depth: number): void {
    if (depth > MAX_DEPTH) throw new WireError(`messages nested deeper than ${MAX_DEPTH}`, start);
    const buf = this.buf;
    const kinds = T.kind;
    // -1 unless this message's spans are recorded: one compare per length-delimited field.
    const rec = T === this.spanTable ? (this.spans as MessageSpans).begin(start, end) : -1;
    let pos = start;
    while (pos < end) {
      // A tag and a length take at most 15 bytes.
      if (pos + 16 > this.loaded) this.loaded = (this.window as WireWindow).load(pos, pos + 16);
      this.fieldStart = pos;
      let tag = buf[pos];
      if (tag < 0x80) pos++;
      else {
        pos = this.varint32(pos, end, 'tag');
        tag = this.len;
      }
      const num = tag >>> 3;
      const wt = tag & 7;
      if (num === 0) throw new WireError('field number 0', this.fieldStart);
      const kind = num < kinds.length ? kinds[num] : Kind.Unknown;
      if (wt === LEN) {
        let len = buf[pos];
        if (len < 0x80 && pos < end) pos++;
        else {
          const at = pos;
          pos = this.varint32(pos, end, 'length');
          if (this.len >= 2 ** 31) throw new WireError('invalid length prefix', at);
          len = this.len;
        }
        if (len > end - pos) {
          this.cutShort = pos + len > this.size;
          throw new WireError(`field of ${len} bytes runs past the end of its message`, pos);
        }
        const vEnd = pos + len;
        if (rec >= 0) (this.spans as MessageSpans).field(rec, num, pos, vEnd);
        if (kind === Kind.Message) this.message(T.child[num] as Table, pos, vEnd, depth + 1);
        else if (kind === Kind.Utf8) this.utf8(T, num, pos, vEnd);
        else if (kind === Kind.Scalar && T.packable[num]) this.packed(T.wire[num], pos, vEnd);
        else {
          if (kind === Kind.Scalar) this.wrongWireType(T, num, wt);
          if (vEnd > this.loaded) this.skipPayload(pos, vEnd);
        }
        pos = vEnd;
        continue;
      }
      if (kind !== Kind.Unknown && T.wire[num] !== wt) this.wrongWireType(T, num, wt);
      pos = this.skipValue(num, wt, pos, end, depth);
    }
  }

  /** A varint of at most 5 bytes (a tag or a length) into this.len, modulo 2^32 but checked below 2^31 by the caller. */
  private varint32(pos: number, end: number, what: string): number {
    const start = pos;
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 5; i++, scale *= 128) {
      if (pos >= end) {
        this.cutShort = end === this.size;
        throw new WireError(`message truncated inside a ${what}`, pos);
      }
      const b = this.buf[pos++];
      v += (b & 0x7f) * scale;
      if (b < 0x80) {
        // A tag keeps its low 32 bits; a length must be below 2^31, which a 35-bit v shows.
        this.len = what === 'tag' ? v % 2 ** 32 : v;
        return pos;
      }
    }
    throw new WireError(`${what} longer than 5 bytes`, start);
  }

  private skipValue(num: number, wt: number, pos: number, end: number, depth: number): number {
    switch (wt) {
      case VARINT: {
        const start = pos;
        const limit = Math.min(end, pos + 10);
        while (pos < limit) if (this.buf[pos++] < 0x80) return pos;
        if (limit === end && end - start < 10) {
          this.cutShort = end === this.size;
          throw new WireError('message truncated inside a varint', end);
        }
        throw new WireError('varint longer than 10 bytes', start);
      }
      case FIXED64: return this.within(pos, 8, end);
      case FIXED32: return this.within(pos, 4, end);
      case START_GROUP: return this.group(num, pos, end, depth + 1);
      default: throw new WireError(`invalid wire type ${wt}`, this.fieldStart);
    }
  }

  private within(pos: number, n: number, end: number): number {
    if (n > end - pos) {
      this.cutShort = pos + n > this.size;
      throw new WireError(`field of ${n} bytes runs past the end of its message`, pos);
    }
    return pos + n;
  }

  /** An unknown group: fields up to the matching end-group tag, all skipped. */
  private group(number: number, pos: number, end: number, depth: number): number {
    if (depth > MAX_DEPTH) throw new WireError(`messages and groups nested deeper than ${MAX_DEPTH}`, pos);
    for (;;) {
      if (pos >= end) {
        this.cutShort = end === this.size;
        throw new WireError(`group ${number} has no end-group tag`, pos);
      }
      if (pos + 16 > this.loaded) this.loaded = (this.window as WireWindow).load(pos, pos + 16);
      const tagStart = pos;
      pos = this.varint32(pos, end, 'tag');
      const num = this.len >>> 3;
      const wt = this.len & 7;
      if (num === 0) throw new WireError('field number 0', tagStart);
      if (wt === END_GROUP) {
        if (num !== number) throw new WireError(`end-group tag ${num} closes group ${number}`, tagStart);
        return pos;
      }
      if (wt === LEN) {
        const at = pos;
        pos = this.varint32(pos, end, 'length');
        if (this.len >= 2 ** 31) throw new WireError('invalid length prefix', at);
        const from = pos;
        pos = this.within(pos, this.len, end);
        if (pos > this.loaded) this.skipPayload(from, pos);
      } else pos = this.skipValue(num, wt, pos, end, depth);
    }
  }

  /**
   * A payload the walk does not read, reaching past what is loaded: a big one is left unread and
   * reported (the caller reads it when asked), a small one is loaded now, so that nothing the walk
   * passed over is left neither present nor known to be missing.
   */
  private skipPayload(start: number, end: number): void {
    if (this.onSkip && end - start >= this.minSkip) this.onSkip(start, end);
    else this.ensure(start, end);
  }

  private ensure(start: number, end: number): void {
    if (end > this.loaded) this.loaded = (this.window as WireWindow).load(start, end);
  }

  /** Most strings are ASCII: tested four bytes at a time; the rest goes to the strict decoder. */
  private utf8(T: Table, num: number, start: number, end: number): void {
    this.ensure(start, end);
    const view = this.view;
    let i = start;
    for (; i + 4 <= end; i += 4) if (view.getUint32(i) & 0x80808080) break;
    const buf = this.buf;
    for (; i < end; i++) {
      if (buf[i] < 0x80) continue;
      if (!isValidUtf8(buf, i, end)) throw new WireError(`string field ${T.info.fullName}.${nameOf(T, num)} is not valid UTF-8`, start);
      return;
    }
  }

  /** A packed list of scalars: varints each complete, fixed values a whole number of them. */
  private packed(wire: number, start: number, end: number): void {
    if (wire === FIXED32 || wire === FIXED64) {
      const size = wire === FIXED32 ? 4 : 8;
      if ((end - start) % size !== 0) throw new WireError(`packed field of ${end - start} bytes is not a multiple of ${size}`, start);
      return;
    }
    this.ensure(start, end);
    const buf = this.buf;
    let pos = start;
    while (pos < end) {
      const from = pos;
      const limit = Math.min(end, pos + 10);
      while (pos < limit && buf[pos] >= 0x80) pos++;
      if (pos === limit) {
        if (limit === end && end - from < 10) throw new WireError('message truncated inside a varint', end);
        throw new WireError('varint longer than 10 bytes', from);
      }
      pos++;
    }
  }

  private wrongWireType(T: Table, num: number, wt: number): void {
    if (this.oddCount++ >= this.maxWarnings) return;
    this.odd.push([
      this.fieldStart,
      `field ${T.info.fullName}.${nameOf(T, num)} has wire type ${wt}, not ${T.wire[num]}: kept as an unknown field, as protoc does`,
    ]);
  }
}

function nameOf(T: Table, num: number): string {
  return T.info.byNumber.get(num)?.name ?? String(num);
}

// ---- Locating a problem: a second, tolerant walk from the root down to the offset. It runs once
// per reported problem, so the fast walk above tracks no path.

function problem(buf: Uint8Array, root: Table, size: number, message: string, offset: number, fieldStart: number): WireProblem {
  const { path, name } = locate(buf, root, size, fieldStart);
  const where = formatPath(path) + (name !== undefined ? ` (node ${JSON.stringify(name)})` : '');
  return { message, offset, path, where, cutShort: false };
}

interface Field { num: number; wt: number; tagStart: number; start: number; end: number }

/** The fields of [start, end) up to the first that cannot be read. */
function* tolerantFields(buf: Uint8Array, start: number, end: number): Generator<Field> {
  let pos = start;
  while (pos < end) {
    const tagStart = pos;
    const tag = readVarint(buf, pos, end);
    if (!tag) return;
    pos = tag.next;
    const num = Math.floor(tag.value / 8);
    const wt = tag.value % 8;
    if (num === 0) return;
    if (wt === LEN) {
      const len = readVarint(buf, pos, end);
      if (!len || len.value > end - len.next) return;
      yield { num, wt, tagStart, start: len.next, end: len.next + len.value };
      pos = len.next + len.value;
    } else if (wt === VARINT) {
      const v = readVarint(buf, pos, end);
      if (!v) return;
      yield { num, wt, tagStart, start: pos, end: v.next };
      pos = v.next;
    } else if (wt === FIXED64 || wt === FIXED32) {
      const n = wt === FIXED64 ? 8 : 4;
      if (n > end - pos) return;
      yield { num, wt, tagStart, start: pos, end: pos + n };
      pos += n;
    } else return; // groups hold no elements of ours
  }
}

function readVarint(buf: Uint8Array, pos: number, end: number): { value: number; next: number } | undefined {
  let v = 0;
  for (let i = 0; i < 10 && pos < end; i++) {
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** (7 * i);
    if (b < 0x80) return { value: v, next: pos };
  }
  return undefined;
}

/** The path of the innermost known message whose payload holds `at`, with a NodeDef's name. */
function locate(buf: Uint8Array, root: Table, size: number, at: number): { path: PathSegment[]; name: string | undefined } {
  const path: PathSegment[] = [];
  let T = root;
  let start = 0;
  let end = size;
  let name: string | undefined;
  let seen = new Map<number, number>();
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    seen = new Map<number, number>();
    let inner: Field | undefined;
    for (const f of tolerantFields(buf, start, end)) {
      if (f.tagStart >= at) break;
      const index = seen.get(f.num) ?? 0;
      seen.set(f.num, index + 1);
      if (at < f.start || at >= f.end) continue;
      const info = T.info.byNumber.get(f.num);
      if (f.wt === LEN && info?.type === 'message' && T.child[f.num]) {
        path.push(segment(buf, info, index, f));
        inner = f;
        T = T.child[f.num] as Table;
      }
      break;
    }
    if (!inner) break;
    start = inner.start;
    end = inner.end;
    if (T.info.fullName === 'tensorflow.NodeDef') name = stringField(buf, start, end, 1);
  }
  // The field that starts at `at` (the one being read, or the odd one) ends the path.
  const tag = at < size ? readVarint(buf, at, size) : undefined;
  const info = tag && T.info.byNumber.get(Math.floor(tag.value / 8));
  if (info) path.push(info.repeated ? { field: info.name, index: seen.get(info.number) ?? 0 } : { field: info.name });
  return { path, name };
}

function segment(buf: Uint8Array, info: FieldInfo, index: number, f: Field): PathSegment {
  if (info.message?.isMapEntry) {
    const key = mapKey(buf, info.message, f.start, f.end);
    if (key !== undefined) return { field: info.name, key };
  }
  return info.repeated ? { field: info.name, index } : { field: info.name };
}

function mapKey(buf: Uint8Array, entry: MessageInfo, start: number, end: number): string | undefined {
  const key = entry.byNumber.get(1);
  if (key?.type === 'string') return stringField(buf, start, end, 1);
  for (const f of tolerantFields(buf, start, end)) if (f.num === 1 && f.wt === VARINT) return String(readVarint(buf, f.start, f.end)?.value ?? 0);
  return undefined;
}

/** The last readable UTF-8 value of string field `num` in [start, end). */
function stringField(buf: Uint8Array, start: number, end: number, num: number): string | undefined {
  let out: string | undefined;
  for (const f of tolerantFields(buf, start, end)) {
    if (f.num === num && f.wt === LEN && isValidUtf8(buf, f.start, f.end)) out = utf8At(buf, f.start, f.end);
  }
  return out;
}
