// Binary protobuf -> text format, byte for byte what `protoc --decode=TYPE` (protobuf 3.21, C++
// TextFormat::Printer defaults) prints with our .proto files, and rejecting exactly what protoc's
// parser rejects. Findings from protoc that shape this file (each checked by test/unit/printer):
// - known fields in field-number order, values of a repeated field in wire order, then unknown
//   fields (including known numbers with a wrong wire type) in wire order;
// - proto3 implicit presence: a default scalar is not printed even when on the wire (a float or
//   double counts as default only when all its bits are 0, so -0 prints);
// - a singular field seen twice: the last scalar wins; message occurrences are parsed as the
//   concatenation of their payloads; a oneof member clears the others (they must still parse);
// - maps: entries stay entries (duplicate keys are NOT collapsed), stably sorted by key (bytes
//   for strings, numeric for integers), each printing key and value even when absent;
// - google.protobuf.Any is printed as a plain message: protoc does not expand it;
// - unknown length-delimited values print as `N { ... }` when they parse as a field set
//   (non-empty, within TextFormat's 10-level unknown-field budget), else as an escaped string;
// - the parser limits nesting of messages and groups to 100 and rejects invalid UTF-8 in proto3
//   `string` fields (proto2 ones, graph_debug_info.proto, only get a logged warning).
//
// Output is generated as ASCII bytes into a reusable chunk buffer; each message's fields are
// scanned once into per-depth typed arrays, then printed in order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnumInfo, FieldType, loadSchema, MessageInfo, Schema } from './schema';
import { WireError, isValidUtf8 } from './wire';
import { formatDouble, formatFloat } from './floatFormat';
import { maxEscapedLength, writeEscaped } from './textEscape';

export interface PrintOptions {
  /** Editor view only: replace bytes values longer than this with a `# … elided` comment line, saying so. */
  elideBytesOver?: number;
}

const CHUNK_SIZE = 1 << 20;
// Wire types as plain constants: schema.ts's const enum is not inlined across modules by every
// TypeScript runner, and the lookups showed in profiles.
const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;
/** CodedInputStream's default recursion limit, applied by protoc's parser. */
const MAX_DEPTH = 100;
/** TextFormat::Printer's recursion budget for printing unknown fields as messages. */
const UNKNOWN_BUDGET = 10;
/** Escape long strings in pieces so one piece's worst case fits in a chunk. */
const ESCAPE_PIECE = 1 << 16;

/** The whole text (throws WireError on malformed input). */
export function printText(buf: Uint8Array, typeName = 'tensorflow.SavedModel', opts: PrintOptions = {}): string {
  const parts: string[] = [];
  printTextChunks(buf, typeName, (c) => parts.push(Buffer.from(c.buffer, c.byteOffset, c.length).toString('latin1')), opts);
  return parts.join('');
}

/**
 * Stream the text to onChunk. A chunk is a view valid only during the call. On malformed input
 * a WireError is thrown, possibly after some chunks: those are then not a complete text.
 */
export function printTextChunks(
  buf: Uint8Array, typeName: string, onChunk: (chunk: Uint8Array) => void, opts: PrintOptions = {},
): void {
  const schema = loadSchema();
  const root = layoutOf(schema, schema.message(typeName));
  const printer = new Printer(schema, buf, new TextSink(CHUNK_SIZE, onChunk), opts.elideBytesOver ?? Infinity);
  printer.printRoot(root);
}

/** Write the text to a temp file next to outPath, renamed into place once complete; removed on error. */
export function printTextToFile(buf: Uint8Array, outPath: string, typeName = 'tensorflow.SavedModel'): void {
  const tmp = path.join(path.dirname(outPath), `.${path.basename(outPath)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = fs.openSync(tmp, 'w');
  let open = true;
  try {
    printTextChunks(buf, typeName, (chunk) => writeAll(fd, chunk));
    fs.closeSync(fd);
    open = false;
    fs.renameSync(tmp, outPath);
  } catch (e) {
    if (open) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function writeAll(fd: number, chunk: Uint8Array): void {
  for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
}

/** A fixed buffer handed to `emit` whenever the next write would not fit. */
class TextSink {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;
  constructor(size: number, private readonly emit: (chunk: Uint8Array) => void) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  /** Make room for n bytes (n well below the chunk size). */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  flush(): void {
    if (this.pos === 0) return;
    this.emit(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Per-message tables, built once per message type.

const enum Kind {
  Double, Float, Int64, Uint64, Int32, Fixed64, Fixed32, Bool, String, Bytes,
  Uint32, Sfixed32, Sfixed64, Sint32, Sint64, Enum, Message,
}

const KIND_OF: Record<FieldType, Kind> = {
  double: Kind.Double, float: Kind.Float, int64: Kind.Int64, uint64: Kind.Uint64, int32: Kind.Int32,
  fixed64: Kind.Fixed64, fixed32: Kind.Fixed32, bool: Kind.Bool, string: Kind.String, bytes: Kind.Bytes,
  uint32: Kind.Uint32, sfixed32: Kind.Sfixed32, sfixed64: Kind.Sfixed64, sint32: Kind.Sint32,
  sint64: Kind.Sint64, enum: Kind.Enum, message: Kind.Message,
};

const REPEATED = 1;
const PACKABLE = 2;
const PRESENCE = 4;
const MAP = 8;

class Layout {
  /** field number -> slot + 1 (0: not a field of this message). */
  readonly slotOf: Int16Array;
  readonly kind: Uint8Array;
  readonly wire: Uint8Array;
  readonly flags: Uint8Array;
  /** Oneof group of each slot, -1 for none. */
  readonly oneof: Int8Array;
  readonly oneofCount: number;
  /** `name: ` and `name {\n` as bytes. */
  readonly label: Uint8Array[];
  readonly open: Uint8Array[];
  readonly enumNames: Array<ReadonlyMap<number, Uint8Array> | undefined>;
  readonly children: Array<Layout | undefined>;

  constructor(readonly info: MessageInfo, readonly verifyUtf8: boolean) {
    const fields = info.fields;
    const maxNumber = fields.reduce((m, f) => Math.max(m, f.number), 0);
    this.slotOf = new Int16Array(maxNumber + 1);
    this.kind = new Uint8Array(fields.length);
    this.wire = new Uint8Array(fields.length);
    this.flags = new Uint8Array(fields.length);
    this.oneof = new Int8Array(fields.length).fill(-1);
    const oneofs: string[] = [];
    this.label = [];
    this.open = [];
    this.enumNames = [];
    this.children = new Array<Layout | undefined>(fields.length).fill(undefined);
    fields.forEach((f, s) => {
      this.slotOf[f.number] = s + 1;
      this.kind[s] = KIND_OF[f.type];
      this.wire[s] = f.wireType;
      const scalar = f.type !== 'message' && f.type !== 'string' && f.type !== 'bytes';
      this.flags[s] = (f.repeated ? REPEATED : 0) | (f.repeated && scalar ? PACKABLE : 0)
        | (f.hasPresence || info.isMapEntry ? PRESENCE : 0) | (f.message?.isMapEntry ? MAP : 0);
      if (f.oneof !== undefined) {
        if (!oneofs.includes(f.oneof)) oneofs.push(f.oneof);
        this.oneof[s] = oneofs.indexOf(f.oneof);
      }
      this.label.push(ascii(`${f.name}: `));
      this.open.push(ascii(`${f.name} {\n`));
      this.enumNames.push(f.enumInfo ? enumNameBytes(f.enumInfo) : undefined);
    });
    this.oneofCount = oneofs.length;
  }

  get isMapEntry(): boolean {
    return this.info.isMapEntry;
  }
}

const layouts = new Map<MessageInfo, Layout>();

function layoutOf(schema: Schema, info: MessageInfo): Layout {
  let layout = layouts.get(info);
  if (!layout) {
    layout = new Layout(info, !declaredInProto2(schema, info));
    layouts.set(info, layout);
  }
  return layout;
}

function childLayout(schema: Schema, parent: Layout, slot: number): Layout {
  let child = parent.children[slot];
  if (!child) {
    const info = parent.info.fields[slot].message;
    if (!info) throw new Error(`unresolved message type of ${parent.info.fullName}.${parent.info.fields[slot].name}`);
    child = layoutOf(schema, info);
    parent.children[slot] = child;
  }
  return child;
}

const enumNameCache = new Map<EnumInfo, Map<number, Uint8Array>>();

function enumNameBytes(e: EnumInfo): Map<number, Uint8Array> {
  let names = enumNameCache.get(e);
  if (!names) {
    names = new Map([...e.nameOf].map(([n, name]) => [n, ascii(name)]));
    enumNameCache.set(e, names);
  }
  return names;
}

const proto2Cache = new Map<string, boolean>();

/** Only proto3 files make the parser verify UTF-8; a map entry belongs to its owner's file. */
function declaredInProto2(schema: Schema, info: MessageInfo): boolean {
  const owner = info.isMapEntry ? info.fullName.slice(0, info.fullName.lastIndexOf('.')) : info.fullName;
  const file = schema.root.lookup(owner)?.filename;
  if (!file) return false;
  let proto2 = proto2Cache.get(file);
  if (proto2 === undefined) {
    proto2 = /^\s*syntax\s*=\s*"proto2"/m.test(fs.readFileSync(file, 'utf8'));
    proto2Cache.set(file, proto2);
  }
  return proto2;
}

function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The field occurrences of one message being printed, one Frame per nesting depth.

class Frame {
  size = 0;
  /** Occurrences of known fields; their indices are in order[0, known). */
  known = 0;
  unknown = 0;
  /** Known occurrences already in slot order (the usual case: no sort needed). */
  sorted = true;
  lastSlot = -1;
  num = new Int32Array(16);
  wt = new Uint8Array(16);
  start = new Uint32Array(16);
  end = new Uint32Array(16);
  slot = new Int16Array(16);
  order = new Int32Array(16);
  spare = new Int32Array(16);
  counts = new Int32Array(16);
  oneofLast = new Int32Array(4);
  oneofMixed = new Uint8Array(4);
  /** Map scratch: entry occurrence, key (two comparable numbers, or a byte range), sorted permutation. */
  entry = new Int32Array(16);
  keyA = new Float64Array(16);
  keyB = new Float64Array(16);
  perm = new Int32Array(16);

  reset(oneofCount: number): void {
    this.size = 0;
    this.known = 0;
    this.unknown = 0;
    this.sorted = true;
    this.lastSlot = -1;
    if (this.oneofLast.length < oneofCount) {
      this.oneofLast = new Int32Array(oneofCount);
      this.oneofMixed = new Uint8Array(oneofCount);
    }
    if (oneofCount === 0) return;
    this.oneofLast.fill(-1, 0, oneofCount);
    this.oneofMixed.fill(0, 0, oneofCount);
  }

  grow(): void {
    const n = this.num.length * 2;
    this.num = grown(this.num, new Int32Array(n));
    this.wt = grown(this.wt, new Uint8Array(n));
    this.start = grown(this.start, new Uint32Array(n));
    this.end = grown(this.end, new Uint32Array(n));
    this.slot = grown(this.slot, new Int16Array(n));
    this.order = grown(this.order, new Int32Array(n));
    this.spare = new Int32Array(n);
  }

  growMapScratch(n: number): void {
    if (this.entry.length >= n) return;
    this.entry = new Int32Array(n);
    this.keyA = new Float64Array(n);
    this.keyB = new Float64Array(n);
    this.perm = new Int32Array(n);
  }
}

function grown<T extends Int32Array | Uint32Array | Uint8Array | Int16Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

// ---------------------------------------------------------------------------------------------

class Printer {
  private out: TextSink;
  private discard: TextSink | undefined;
  private readonly frames: Frame[] = [];
  private readonly view: DataView;
  private readonly digits = new Uint8Array(24);
  /** Results of the low-level readers. */
  private tag = 0;
  private len = 0;
  private wide = 0;
  private lo = 0;
  private hi = 0;
  private groupEnd = 0;
  /** Reading unknown fields as TextFormat re-parses them (see readTag). */
  private lenient = false;
  private keyA = 0;
  private keyB = 0;

  constructor(
    private readonly schema: Schema,
    private readonly buf: Uint8Array,
    out: TextSink,
    private readonly elideOver: number,
  ) {
    this.out = out;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  printRoot(root: Layout): void {
    this.printMessageAt(root, 0, 0, this.buf.length);
    this.out.flush();
  }

  // --- wire reading ---------------------------------------------------------------------------

  /**
   * A tag as protobuf reads it, kept modulo 2^32: at most 5 bytes for the message parser, 10 in
   * lenient mode (CodedInputStream, which TextFormat uses to re-parse unknown length-delimited
   * values). Sets this.tag.
   */
  private readTag(pos: number, end: number): number {
    const b0 = this.buf[pos];
    if (b0 < 0x80 && pos < end) {
      this.tag = b0;
      return pos + 1;
    }
    pos = this.readVarint32(pos, end, this.lenient ? 10 : 5, 'tag');
    this.tag = this.len;
    return pos;
  }

  /**
   * A length prefix, below 2^31: at most 5 bytes for the message parser; in lenient mode up to
   * 10 bytes, kept modulo 2^32 first. Sets this.len.
   */
  private readLength(pos: number, end: number): number {
    const start = pos;
    pos = this.readVarint32(pos, end, this.lenient ? 10 : 5, 'length');
    // The message parser refuses a 5th byte above 7 outright; CodedInputStream drops those bits.
    if ((this.lenient ? this.len : this.wide) >= 2 ** 31) throw new WireError('invalid length prefix', start);
    return pos;
  }

  /** A varint of at most maxBytes bytes into this.len (modulo 2^32) and this.wide (its first 35 bits). */
  private readVarint32(pos: number, end: number, maxBytes: number, what: string): number {
    const start = pos;
    let v = 0;
    for (let i = 0; i < maxBytes; i++) {
      if (pos >= end) throw new WireError(`message truncated inside a ${what}`, pos);
      const b = this.buf[pos++];
      if (i < 5) v += (b & 0x7f) * 2 ** (7 * i);
      if (b < 0x80) {
        this.len = v % 2 ** 32;
        this.wide = v;
        return pos;
      }
    }
    throw new WireError(`${what} longer than ${maxBytes} bytes`, start);
  }

  private skipVarint(pos: number, end: number): number {
    const start = pos;
    const limit = Math.min(end, pos + 10);
    while (pos < limit) if (this.buf[pos++] < 0x80) return pos;
    if (limit === end && end - start < 10) throw new WireError('message truncated inside a varint', end);
    throw new WireError('varint longer than 10 bytes', start);
  }

  /** Decode a varint (at most 10 bytes, bits above 64 dropped) into this.lo / this.hi. */
  private decodeVarint(pos: number, end: number): number {
    const buf = this.buf;
    const start = pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw new WireError('message truncated inside a varint', pos);
      b = buf[pos++];
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(lo, 0, pos);
    }
    if (pos >= end) throw new WireError('message truncated inside a varint', pos);
    b = buf[pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return this.setVarint(lo, hi, pos);
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= end) throw new WireError('message truncated inside a varint', pos);
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(lo, hi, pos);
    }
    throw new WireError('varint longer than 10 bytes', start);
  }

  private setVarint(lo: number, hi: number, pos: number): number {
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return pos;
  }

  /**
   * Skip a group's fields up to its end-group tag; returns the position after that tag and sets
   * this.groupEnd to where the content ends. depth is the group's nesting depth.
   */
  private skipGroup(number: number, pos: number, end: number, depth: number): number {
    if (depth > MAX_DEPTH) throw new WireError(`messages and groups nested deeper than ${MAX_DEPTH}`, pos);
    for (;;) {
      if (pos >= end) throw new WireError(`group ${number} has no end-group tag`, pos);
      const tagStart = pos;
      pos = this.readTag(pos, end);
      const num = this.tag >>> 3;
      const wt = this.tag & 7;
      if (num === 0) throw new WireError('field number 0', tagStart);
      if (wt === END_GROUP) {
        if (num !== number) throw new WireError(`end-group tag ${num} closes group ${number}`, tagStart);
        this.groupEnd = tagStart;
        return pos;
      }
      pos = this.skipValue(num, wt, pos, end, depth, tagStart);
    }
  }

  /** Skip one value of a field (not an end-group). */
  private skipValue(num: number, wt: number, pos: number, end: number, depth: number, tagStart: number): number {
    switch (wt) {
      case VARINT:
        return this.skipVarint(pos, end);
      case FIXED64:
        return this.fixedEnd(pos, 8, end);
      case FIXED32:
        return this.fixedEnd(pos, 4, end);
      case LEN:
        pos = this.readLength(pos, end);
        return this.fixedEnd(pos, this.len, end);
      case START_GROUP:
        return this.skipGroup(num, pos, end, depth + 1);
      default:
        throw new WireError(`invalid wire type ${wt}`, tagStart);
    }
  }

  private fixedEnd(pos: number, n: number, end: number): number {
    if (n > end - pos) throw new WireError(`field of ${n} bytes runs past the end of its message`, pos);
    return pos + n;
  }

  /** Does [start, end) parse as a field set, with groups nested at most maxGroups deep? */
  private isFieldSet(start: number, end: number, maxGroups: number): boolean {
    try {
      for (let pos = start; pos < end; ) {
        const tagStart = pos;
        pos = this.readTag(pos, end);
        const num = this.tag >>> 3;
        const wt = this.tag & 7;
        if (num === 0 || wt === END_GROUP) return false;
        pos = this.skipValue(num, wt, pos, end, MAX_DEPTH - maxGroups, tagStart);
      }
      return true;
    } catch (e) {
      if (e instanceof WireError) return false;
      throw e;
    }
  }

  // --- scanning a message's fields ------------------------------------------------------------

  private frame(depth: number): Frame {
    while (this.frames.length <= depth) this.frames.push(new Frame());
    return this.frames[depth];
  }

  /** Append the fields in [start, end) of a message at `depth` to frame f. */
  private scan(L: Layout, f: Frame, start: number, end: number, depth: number): void {
    const buf = this.buf;
    const slotOf = L.slotOf;
    let pos = start;
    while (pos < end) {
      const tagStart = pos;
      let tag = buf[pos];
      if (tag < 0x80) pos++;
      else {
        pos = this.readTag(pos, end);
        tag = this.tag;
      }
      const num = tag >>> 3;
      const wt = tag & 7;
      if (num === 0) throw new WireError('field number 0', tagStart);
      let vStart = pos;
      let vEnd: number;
      if (wt === LEN) {
        const b = buf[pos];
        if (b < 0x80 && pos < end) vStart = pos + 1;
        else vStart = this.readLength(pos, end);
        vEnd = this.fixedEnd(vStart, b < 0x80 ? b : this.len, end);
        pos = vEnd;
      } else if (wt === START_GROUP) {
        pos = this.skipGroup(num, pos, end, depth + 1);
        vEnd = this.groupEnd;
      } else {
        pos = this.skipValue(num, wt, pos, end, depth, tagStart);
        vEnd = pos;
      }
      let slot = num < slotOf.length ? slotOf[num] - 1 : -1;
      if (slot >= 0 && wt !== L.wire[slot] && !(wt === LEN && L.flags[slot] & PACKABLE)) slot = -1;
      this.push(L, f, num, wt, vStart, vEnd, slot);
    }
  }

  private push(L: Layout, f: Frame, num: number, wt: number, start: number, end: number, slot: number): void {
    if (f.size === f.num.length) f.grow();
    const i = f.size++;
    f.num[i] = num;
    f.wt[i] = wt;
    f.start[i] = start;
    f.end[i] = end;
    f.slot[i] = slot;
    if (slot < 0) {
      f.unknown++;
      return;
    }
    f.order[f.known++] = i;
    if (slot < f.lastSlot) f.sorted = false;
    f.lastSlot = slot;
    const g = L.oneof[slot];
    if (g >= 0) {
      const last = f.oneofLast[g];
      if (last >= 0 && f.slot[last] !== slot) f.oneofMixed[g] = 1;
      f.oneofLast[g] = i;
    }
  }

  /** Stable counting sort of the known occurrences by slot. */
  private sortKnown(f: Frame, slots: number): void {
    if (f.counts.length < slots + 1) f.counts = new Int32Array(slots + 1);
    const counts = f.counts;
    counts.fill(0, 0, slots + 1);
    for (let k = 0; k < f.known; k++) counts[f.slot[f.order[k]] + 1]++;
    for (let s = 1; s <= slots; s++) counts[s] += counts[s - 1];
    const out = f.spare;
    for (let k = 0; k < f.known; k++) {
      const occ = f.order[k];
      out[counts[f.slot[occ]]++] = occ;
    }
    f.spare = f.order;
    f.order = out;
    f.sorted = true;
  }

  // --- messages -----------------------------------------------------------------------------

  private printMessageAt(L: Layout, depth: number, start: number, end: number): void {
    if (depth > MAX_DEPTH) throw new WireError(`messages nested deeper than ${MAX_DEPTH}`, start);
    const f = this.frame(depth);
    f.reset(L.oneofCount);
    this.scan(L, f, start, end, depth);
    this.printFields(L, depth);
  }

  /** A singular message seen several times: parsed as the concatenation of its occurrences. */
  private printMerged(L: Layout, depth: number, parent: Frame, from: number, to: number): void {
    if (depth > MAX_DEPTH) throw new WireError(`messages nested deeper than ${MAX_DEPTH}`, parent.start[parent.order[from]]);
    const f = this.frame(depth);
    f.reset(L.oneofCount);
    for (let k = from; k < to; k++) {
      const occ = parent.order[k];
      this.scan(L, f, parent.start[occ], parent.end[occ], depth);
    }
    this.printFields(L, depth);
  }

  private printFields(L: Layout, depth: number): void {
    const f = this.frames[depth];
    if (!f.sorted) this.sortKnown(f, L.info.fields.length);
    if (L.isMapEntry) this.printEntryFields(L, f, depth);
    else {
      const order = f.order;
      const n = f.known;
      for (let i = 0; i < n; ) {
        const s = f.slot[order[i]];
        let j = i + 1;
        while (j < n && f.slot[order[j]] === s) j++;
        this.printField(L, s, f, i, j, depth);
        i = j;
      }
    }
    if (f.unknown > 0) this.printUnknownOf(f, depth);
  }

  /** Print field slot s, whose occurrences are f.order[i, j). */
  private printField(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    const flags = L.flags[s];
    if (flags & MAP) return this.printMap(L, s, f, i, j, depth);
    if (flags & REPEATED) return this.printRepeated(L, s, f, i, j, depth);
    const g = L.oneof[s];
    let from = i;
    if (g >= 0 && f.oneofMixed[g]) {
      if (f.slot[f.oneofLast[g]] !== s) return this.validate(L, s, f, i, j, depth); // cleared by a later member
      const cleared = this.lastOtherMember(L, f, g, s);
      while (from < j && f.order[from] < cleared) from++;
      this.validate(L, s, f, i, from, depth);
    }
    if (L.kind[s] === Kind.Message) {
      this.line(depth, L.open[s]);
      this.printMerged(childLayout(this.schema, L, s), depth + 1, f, from, j);
      this.close(depth);
      return;
    }
    this.validate(L, s, f, from, j - 1, depth);
    const last = f.order[j - 1];
    if (!(flags & PRESENCE) && this.isDefault(L.kind[s], f.start[last], f.end[last])) return;
    this.printScalar(L, s, depth, f.start[last], f.end[last]);
  }

  /** Wire index of the last occurrence of another member of oneof g than slot s. */
  private lastOtherMember(L: Layout, f: Frame, g: number, s: number): number {
    for (let k = f.size - 1; k >= 0; k--) {
      const slot = f.slot[k];
      if (slot >= 0 && slot !== s && L.oneof[slot] === g) return k;
    }
    return -1;
  }

  /** Parse-check occurrences that are not printed (overwritten or cleared): protoc parsed them too. */
  private validate(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    const kind = L.kind[s];
    if (i >= j || (kind !== Kind.Message && kind !== Kind.String)) return;
    if (kind === Kind.String) {
      for (let k = i; k < j; k++) this.checkUtf8(L, s, f.start[f.order[k]], f.end[f.order[k]]);
      return;
    }
    const saved = this.out;
    this.out = this.discard ??= new TextSink(CHUNK_SIZE, () => {});
    try {
      const child = childLayout(this.schema, L, s);
      for (let k = i; k < j; k++) this.printMessageAt(child, depth + 1, f.start[f.order[k]], f.end[f.order[k]]);
    } finally {
      this.out = saved;
    }
  }

  private printRepeated(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    const kind = L.kind[s];
    for (let k = i; k < j; k++) {
      const occ = f.order[k];
      const start = f.start[occ];
      const end = f.end[occ];
      if (kind === Kind.Message) {
        this.line(depth, L.open[s]);
        this.printMessageAt(childLayout(this.schema, L, s), depth + 1, start, end);
        this.close(depth);
      } else if (f.wt[occ] === LEN && L.wire[s] !== LEN) {
        this.printPacked(L, s, depth, start, end);
      } else {
        this.printScalar(L, s, depth, start, end);
      }
    }
  }

  private printPacked(L: Layout, s: number, depth: number, start: number, end: number): void {
    const wire = L.wire[s];
    if (wire === VARINT) {
      for (let pos = start; pos < end; ) {
        const next = this.decodeVarint(pos, end);
        this.printScalar(L, s, depth, pos, next);
        pos = next;
      }
      return;
    }
    const size = wire === FIXED32 ? 4 : 8;
    if ((end - start) % size !== 0) throw new WireError(`packed field of ${end - start} bytes is not a multiple of ${size}`, start);
    for (let pos = start; pos < end; pos += size) this.printScalar(L, s, depth, pos, pos + size);
  }

  // --- maps ---------------------------------------------------------------------------------

  /** Map entries, stably sorted by key; duplicates are kept as protoc keeps them. */
  private printMap(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    const E = childLayout(this.schema, L, s);
    const n = j - i;
    f.growMapScratch(n);
    const keyKind = E.kind[0];
    for (let k = 0; k < n; k++) {
      const occ = f.order[i + k];
      f.entry[k] = occ;
      f.perm[k] = k;
      this.readKey(E, f.start[occ], f.end[occ]);
      f.keyA[k] = this.keyA;
      f.keyB[k] = this.keyB;
    }
    this.keys = f;
    sortStable(f.perm, n, keyKind === Kind.String ? this.compareBytesKeys : this.compareNumericKeys);
    for (let k = 0; k < n; k++) {
      const occ = f.entry[f.perm[k]];
      this.line(depth, L.open[s]);
      this.printMessageAt(E, depth + 1, f.start[occ], f.end[occ]);
      this.close(depth);
    }
  }

  /** Map keys being sorted: indices into this.keys.keyA / keyB. */
  private keys: Frame | undefined;

  private readonly compareNumericKeys = (a: number, b: number): number => {
    const f = this.keys as Frame;
    return f.keyA[a] - f.keyA[b] || f.keyB[a] - f.keyB[b];
  };

  /** Byte order of the key ranges [keyA, keyB), as std::string compares them. */
  private readonly compareBytesKeys = (a: number, b: number): number => {
    const f = this.keys as Frame;
    const buf = this.buf;
    const aStart = f.keyA[a];
    const aLen = f.keyB[a] - aStart;
    const bStart = f.keyA[b];
    const bLen = f.keyB[b] - bStart;
    const n = Math.min(aLen, bLen);
    for (let k = 0; k < n; k++) {
      const d = buf[aStart + k] - buf[bStart + k];
      if (d !== 0) return d;
    }
    return aLen - bLen;
  };

  /**
   * The sort key of a map entry at [start, end): its last key field with the key's wire type
   * (absent: the default), into this.keyA / this.keyB. Strings: the byte range; numbers: high
   * word (signed when the type is) and low word, so (keyA, keyB) order is numeric order.
   */
  private readKey(E: Layout, start: number, end: number): void {
    let a = 0;
    let b = 0;
    const keyWire = E.wire[0];
    for (let pos = start; pos < end; ) {
      const tagStart = pos;
      pos = this.readTag(pos, end);
      const num = this.tag >>> 3;
      const wt = this.tag & 7;
      if (num === 0) throw new WireError('field number 0', tagStart);
      if (wt === END_GROUP) throw new WireError('end-group tag without a group', tagStart);
      // Depth is checked when the entry itself is printed.
      const next = wt === LEN ? this.readLength(pos, end) : pos;
      const valueEnd = wt === LEN ? this.fixedEnd(next, this.len, end) : this.skipValue(num, wt, pos, end, -Infinity, tagStart);
      if (num === 1 && wt === keyWire) {
        if (wt === LEN) {
          a = next;
          b = valueEnd;
        } else {
          this.numericKey(E.kind[0], pos, valueEnd);
          a = this.keyA;
          b = this.keyB;
        }
      }
      pos = valueEnd;
    }
    this.keyA = a;
    this.keyB = b;
  }

  private numericKey(kind: Kind, start: number, end: number): void {
    const v = this.view;
    switch (kind) {
      case Kind.Fixed32: return this.setKey(v.getUint32(start, true), 0);
      case Kind.Sfixed32: return this.setKey(v.getInt32(start, true), 0);
      case Kind.Fixed64: return this.setKey(v.getUint32(start + 4, true), v.getUint32(start, true));
      case Kind.Sfixed64: return this.setKey(v.getInt32(start + 4, true), v.getUint32(start, true));
    }
    this.decodeVarint(start, end);
    this.varintAs(kind);
    switch (kind) {
      case Kind.Int32: case Kind.Sint32: case Kind.Enum: return this.setKey(this.lo | 0, 0);
      case Kind.Uint32: return this.setKey(this.lo, 0);
      case Kind.Bool: return this.setKey((this.lo | this.hi) !== 0 ? 1 : 0, 0);
      case Kind.Uint64: return this.setKey(this.hi, this.lo);
      default: return this.setKey(this.hi | 0, this.lo); // int64, sint64 (after zigzag)
    }
  }

  private setKey(a: number, b: number): void {
    this.keyA = a;
    this.keyB = b;
  }

  /** Map entry: key then value, always, even when absent; value messages merge. */
  private printEntryFields(E: Layout, f: Frame, depth: number): void {
    const order = f.order;
    const n = f.known;
    let i = 0;
    while (i < n && f.slot[order[i]] === 0) i++;
    this.printEntryField(E, 0, f, 0, i, depth);
    this.printEntryField(E, 1, f, i, n, depth);
  }

  private printEntryField(E: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    if (E.kind[s] === Kind.Message) {
      this.line(depth, E.open[s]);
      if (j > i) this.printMerged(childLayout(this.schema, E, s), depth + 1, f, i, j);
      this.close(depth);
      return;
    }
    if (j === i) return this.printDefault(E, s, depth);
    this.validate(E, s, f, i, j - 1, depth);
    const last = f.order[j - 1];
    this.printScalar(E, s, depth, f.start[last], f.end[last]);
  }

  private printDefault(L: Layout, s: number, depth: number): void {
    const kind = L.kind[s];
    this.line(depth, L.label[s]);
    if (kind === Kind.String || kind === Kind.Bytes) this.text('""');
    else if (kind === Kind.Bool) this.text('false');
    else if (kind === Kind.Enum) this.writeEnum(L, s, 0);
    else this.text('0');
    this.newline();
  }

  // --- scalars ------------------------------------------------------------------------------

  /** proto3 implicit presence: zero bits (so -0.0 is not default) or an empty string. */
  private isDefault(kind: Kind, start: number, end: number): boolean {
    switch (kind) {
      case Kind.String: case Kind.Bytes: return end === start;
      case Kind.Int32: case Kind.Uint32: case Kind.Sint32: case Kind.Enum:
        this.decodeVarint(start, end);
        return this.lo === 0;
      case Kind.Int64: case Kind.Uint64: case Kind.Sint64: case Kind.Bool:
        this.decodeVarint(start, end);
        return this.lo === 0 && this.hi === 0;
      default:
        for (let p = start; p < end; p++) if (this.buf[p] !== 0) return false;
        return true;
    }
  }

  /**
   * protoc refuses the whole input ("Failed to parse input.") when a proto3 `string` field, map
   * keys and values included, holds invalid UTF-8: its parser verifies such fields in strict mode.
   * proto2 strings (graph_debug_info.proto) only get a logged error and print as usual.
   */
  private checkUtf8(L: Layout, s: number, start: number, end: number): void {
    if (L.verifyUtf8 && !isValidUtf8(this.buf, start, end)) {
      throw new WireError(`string field ${L.info.fullName}.${L.info.fields[s].name} is not valid UTF-8`, start);
    }
  }

  /** One `name: value` line for the value at [start, end). */
  private printScalar(L: Layout, s: number, depth: number, start: number, end: number): void {
    const kind = L.kind[s];
    if (kind === Kind.String || kind === Kind.Bytes) {
      if (kind === Kind.String) this.checkUtf8(L, s, start, end);
      else if (end - start > this.elideOver) return this.elided(depth, L.info.fields[s].name, end - start);
      this.line(depth, L.label[s]);
      this.quoted(start, end);
      this.newline();
      return;
    }
    this.line(depth, L.label[s]);
    switch (kind) {
      case Kind.Float: this.text(formatFloat(this.view.getFloat32(start, true))); break;
      case Kind.Double: this.text(formatDouble(this.view.getFloat64(start, true))); break;
      case Kind.Fixed32: this.writeUint(this.view.getUint32(start, true)); break;
      case Kind.Sfixed32: this.writeInt32(this.view.getInt32(start, true)); break;
      case Kind.Fixed64: this.writeUint64(this.view.getUint32(start, true), this.view.getUint32(start + 4, true)); break;
      case Kind.Sfixed64: this.writeInt64(this.view.getUint32(start, true), this.view.getUint32(start + 4, true)); break;
      default:
        this.decodeVarint(start, end);
        this.writeVarint(L, s, kind);
    }
    this.newline();
  }

  /** Reinterpret this.lo/this.hi for sint32/sint64 (zigzag); other kinds are read as they are. */
  private varintAs(kind: Kind): void {
    if (kind === Kind.Sint32) {
      this.lo = ((this.lo >>> 1) ^ -(this.lo & 1)) >>> 0;
      this.hi = 0;
    } else if (kind === Kind.Sint64) {
      const negative = this.lo & 1;
      let lo = ((this.lo >>> 1) | (this.hi << 31)) >>> 0;
      let hi = this.hi >>> 1;
      if (negative) {
        lo = ~lo >>> 0;
        hi = ~hi >>> 0;
      }
      this.lo = lo;
      this.hi = hi;
    }
  }

  private writeVarint(L: Layout, s: number, kind: Kind): void {
    this.varintAs(kind);
    switch (kind) {
      case Kind.Int32: case Kind.Sint32: return this.writeInt32(this.lo | 0);
      case Kind.Uint32: return this.writeUint(this.lo);
      case Kind.Bool: return this.text((this.lo | this.hi) !== 0 ? 'true' : 'false');
      case Kind.Enum: return this.writeEnum(L, s, this.lo | 0);
      case Kind.Uint64: return this.writeUint64(this.lo, this.hi);
      default: return this.writeInt64(this.lo, this.hi);
    }
  }

  private writeEnum(L: Layout, s: number, value: number): void {
    const name = L.enumNames[s]?.get(value);
    if (name) this.bytes(name);
    else this.writeInt32(value);
  }

  // --- unknown fields -----------------------------------------------------------------------

  private printUnknownOf(f: Frame, depth: number): void {
    // The parser checked these strictly; printing re-parses nested values with CodedInputStream.
    this.lenient = true;
    try {
      for (let k = 0; k < f.size; k++) {
        if (f.slot[k] < 0) this.printUnknown(f.num[k], f.wt[k], f.start[k], f.end[k], depth, UNKNOWN_BUDGET);
      }
    } finally {
      this.lenient = false;
    }
  }

  private printUnknown(num: number, wt: number, start: number, end: number, indent: number, budget: number): void {
    switch (wt) {
      case VARINT:
        this.numberLabel(indent, num, ': ');
        this.decodeVarint(start, end);
        this.writeUint64(this.lo, this.hi);
        break;
      case FIXED32:
        this.numberLabel(indent, num, ': 0x');
        this.hex8(this.view.getUint32(start, true));
        break;
      case FIXED64:
        this.numberLabel(indent, num, ': 0x');
        this.hex8(this.view.getUint32(start + 4, true));
        this.hex8(this.view.getUint32(start, true));
        break;
      case LEN:
        if (end > start && budget > 0 && this.isFieldSet(start, end, budget)) return this.unknownBlock(num, start, end, indent, budget);
        if (end - start > this.elideOver) return this.elided(indent, String(num), end - start);
        this.numberLabel(indent, num, ': ');
        this.quoted(start, end);
        break;
      default:
        return this.unknownBlock(num, start, end, indent, budget);
    }
    this.newline();
  }

  private unknownBlock(num: number, start: number, end: number, indent: number, budget: number): void {
    this.numberLabel(indent, num, ' {\n');
    this.printUnknownRange(start, end, indent + 1, budget - 1);
    this.close(indent);
  }

  /** Fields of an already checked unknown message or group, in wire order. */
  private printUnknownRange(start: number, end: number, indent: number, budget: number): void {
    for (let pos = start; pos < end; ) {
      const tagStart = pos;
      pos = this.readTag(pos, end);
      const num = this.tag >>> 3;
      const wt = this.tag & 7;
      let vStart = pos;
      if (wt === LEN) {
        vStart = this.readLength(pos, end);
        pos = vStart + this.len;
      } else {
        pos = this.skipValue(num, wt, pos, end, -Infinity, tagStart);
      }
      const vEnd = wt === START_GROUP ? this.groupEnd : pos;
      this.printUnknown(num, wt, vStart, vEnd, indent, budget);
    }
  }

  // --- output -------------------------------------------------------------------------------

  /** Indentation then a label (`name: ` or `name {\n`). */
  private line(depth: number, label: Uint8Array): void {
    const out = this.out;
    const n = label.length;
    out.room(depth * 2 + n + 64);
    const b = out.buf;
    let p = out.pos;
    for (let k = depth * 2; k > 0; k--) b[p++] = 0x20;
    for (let k = 0; k < n; k++) b[p++] = label[k];
    out.pos = p;
  }

  private close(depth: number): void {
    this.line(depth, CLOSE);
  }

  private numberLabel(indent: number, num: number, after: string): void {
    this.line(indent, EMPTY);
    this.writeUint(num);
    this.text(after);
  }

  private elided(depth: number, name: string, length: number): void {
    this.line(depth, EMPTY);
    this.text(`# ${name}: ${length} bytes elided`);
    this.newline();
  }

  private newline(): void {
    const out = this.out;
    out.room(1);
    out.buf[out.pos++] = 0x0a;
  }

  private text(s: string): void {
    const out = this.out;
    out.room(s.length);
    const b = out.buf;
    let p = out.pos;
    for (let k = 0; k < s.length; k++) b[p++] = s.charCodeAt(k);
    out.pos = p;
  }

  private bytes(src: Uint8Array): void {
    const out = this.out;
    out.room(src.length);
    const b = out.buf;
    let p = out.pos;
    for (let k = 0; k < src.length; k++) b[p++] = src[k];
    out.pos = p;
  }

  private quoted(start: number, end: number): void {
    const out = this.out;
    out.room(1);
    out.buf[out.pos++] = 0x22;
    for (let p = start; p < end; p += ESCAPE_PIECE) {
      const pieceEnd = Math.min(end, p + ESCAPE_PIECE);
      out.room(maxEscapedLength(pieceEnd - p));
      out.pos = writeEscaped(out.view, out.pos, this.buf, p, pieceEnd);
    }
    out.room(1);
    out.buf[out.pos++] = 0x22;
  }

  /** A non-negative integer below 2^53. */
  private writeUint(n: number): void {
    const out = this.out;
    out.room(24);
    const b = out.buf;
    let p = out.pos;
    if (n < 10) {
      b[p++] = 0x30 + n;
      out.pos = p;
      return;
    }
    const tmp = this.digits;
    let len = 0;
    while (n > 0) {
      const q = Math.floor(n / 10);
      tmp[len++] = 0x30 + (n - q * 10);
      n = q;
    }
    while (len > 0) b[p++] = tmp[--len];
    out.pos = p;
  }

  private writeInt32(v: number): void {
    if (v < 0) {
      this.text('-');
      this.writeUint(-v);
    } else this.writeUint(v);
  }

  private writeUint64(lo: number, hi: number): void {
    if (hi < 0x200000) this.writeUint(hi * 4294967296 + lo);
    else this.text(((BigInt(hi) << 32n) | BigInt(lo)).toString());
  }

  private writeInt64(lo: number, hi: number): void {
    if (hi < 0x80000000) return this.writeUint64(lo, hi);
    const nlo = (~lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    this.text('-');
    this.writeUint64(nlo, nhi);
  }

  private hex8(v: number): void {
    const out = this.out;
    out.room(8);
    for (let shift = 28; shift >= 0; shift -= 4) out.buf[out.pos++] = HEX[(v >>> shift) & 15];
  }
}

const CLOSE = ascii('}\n');
const EMPTY = new Uint8Array(0);
const HEX = ascii('0123456789abcdef');

/** Stable sort of perm[0, n) by cmp: insertion sort for the small maps that dominate. */
function sortStable(perm: Int32Array, n: number, cmp: (a: number, b: number) => number): void {
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) if (cmp(perm[k - 1], perm[k]) > 0) sorted = false;
  if (sorted) return;
  if (n > 32) {
    const arr = Array.from(perm.subarray(0, n)).sort(cmp);
    perm.set(arr);
    return;
  }
  for (let k = 1; k < n; k++) {
    const v = perm[k];
    let m = k - 1;
    while (m >= 0 && cmp(perm[m], v) > 0) {
      perm[m + 1] = perm[m];
      m--;
    }
    perm[m + 1] = v;
  }
}
