// Text tree → protobuf binary, byte-identical to `protoc --encode` (3.21) on the same text: fields
// in field-number order, repeated values and map entries in text order (plain --encode does not
// sort maps; pass `deterministic` for --deterministic_output's key order), map entries always with
// key and value, proto3 implicit-presence scalars skipped when they hold their default, packed
// fields packed, an expanded Any as type_url + its encoded message. Where the text set a singular
// field more than once (allowed while the earlier values are defaults), the last value wins.
//
// It walks the parse tree's records (textStore.ts) rather than its objects: a 300k-node graph is
// encoded without making an object per node, and strings go from the text to the output directly.
import { ByteWriter } from '../protobuf';
import { ScalarDecoder } from './scalarDecoder';
import type { FieldInfo, FieldType, MessageInfo } from '../protobuf';
import { decoderOf, storedAt } from './storedTree';
import { RecordKind, TextStore } from './textStore';
import { isDefaultScalar, NEGATIVE_NAN, parseErrorsOf, ScalarValue, TextError, TextMessage } from './textTree';

export interface EncodeOptions {
  /** Encode a tree whose text had errors anyway (what parsed cleanly); refused otherwise. */
  skipErrors?: boolean;
  /** Sort map entries by key, as `protoc --encode --deterministic_output` does. */
  deterministic?: boolean;
}

/** encodeText was given the tree of a text that had errors. */
export class TextEncodeRefused extends Error {
  constructor(readonly errors: readonly TextError[]) {
    super(`the text has ${errors.length} error(s); first: ${errors[0]?.message ?? ''}`);
  }
}

/** Encode the tree returned by parseText; refuses (throws TextEncodeRefused) if its text had errors. */
export function encodeText(root: TextMessage, options: EncodeOptions = {}): Uint8Array {
  const errors = parseErrorsOf(root);
  if (errors.length && !options.skipErrors) throw new TextEncodeRefused(errors);
  // The binary is almost never longer than its text, so reserve that much: pages never written are
  // never committed, and growing (a copy) would briefly hold the output twice.
  return encodeWith(root, new ByteWriter(Math.max(1 << 16, Math.min(root.end, 1 << 30))), options.deterministic === true);
}

/** Encode any message of a parsed tree, without the error check (e.g. the message packed in an Any). */
export function encodeMessage(msg: TextMessage): Uint8Array {
  return encodeWith(msg, new ByteWriter(256), false);
}

function encodeWith(msg: TextMessage, w: ByteWriter, deterministic: boolean): Uint8Array {
  const at = storedAt(msg);
  if (!at) throw new Error('encodeText takes a tree made by parseText');
  new Encoder(w, at.store, deterministic).message(at.record, msg.type);
  return w.bytes();
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new Uint32Array(f64.buffer);
const utf8 = new TextEncoder();
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Bits of a float as protobuf writes them; NaNs are quiet, with the sign `-nan` asked for. */
function floatBits(v: ScalarValue): number {
  if (v === NEGATIVE_NAN) return 0xffc00000;
  const n = v as number;
  if (Number.isNaN(n)) return 0x7fc00000;
  f32[0] = n;
  return f32Bits[0];
}

/** What an expanded Any sets: its type_url and its value, the packed message's bytes. */
interface AnyParts {
  url: string | number;
  value: Uint8Array | number;
}

class Encoder {
  private readonly decoder: ScalarDecoder;
  /** Child records of the message being encoded at each depth, reused. */
  private readonly children: number[][] = [];
  private depth = 0;

  constructor(private readonly w: ByteWriter, private readonly store: TextStore, private readonly deterministic: boolean) {
    this.decoder = decoderOf(store);
  }

  /** The message held by record r (-1: the root). */
  message(r: number, type: MessageInfo): void {
    if (type.isMapEntry) {
      this.mapEntry(r, type);
      return;
    }
    const kids = (this.children[this.depth] ??= []);
    kids.length = 0;
    let hasAny = false;
    const store = this.store;
    for (let c = r + 1, stop = r < 0 ? store.count : store.next(r); c < stop; c = store.next(c)) {
      kids.push(c);
      hasAny ||= store.kindOf(c) === RecordKind.AnyExpansion;
    }
    this.depth++;
    if (hasAny) this.anyMessage(type, kids);
    else this.fields(kids);
    this.depth--;
  }

  private fields(kids: number[]): void {
    const store = this.store;
    sortByFieldNumber(store, kids);
    for (let i = 0; i < kids.length;) {
      const info = store.info(kids[i]);
      let j = i + 1;
      while (j < kids.length && store.info(kids[j]) === info) j++;
      if (info.repeated) this.repeated(info, kids, i, j);
      else this.singular(info, lastValue(store, kids, i, j));
      i = j;
    }
  }

  /** A singular field's value record (or -1: none); proto3 scalars at their default are not written. */
  private singular(info: FieldInfo, r: number): void {
    if (r < 0) return;
    if (info.type === 'message') {
      this.value(info, r);
      return;
    }
    const start = this.store.valueStart(r);
    if (info.type === 'string' || info.type === 'bytes') {
      if (info.hasPresence || !this.decoder.stringIsEmpty(start)) this.value(info, r);
      return;
    }
    const v = this.decoder.decode(info, start); // once: to tell a default, then to write
    if (!info.hasPresence && isDefaultScalar(v)) return;
    this.w.tag(info.number, info.wireType);
    this.scalar(info.type, v);
  }

  private repeated(info: FieldInfo, kids: readonly number[], from: number, to: number): void {
    if (info.packed) {
      this.packed(info, valuesOf(this.store, kids, from, to));
    } else if (this.deterministic && info.message?.isMapEntry) {
      for (const v of this.sortedEntries(info.message, valuesOf(this.store, kids, from, to))) this.value(info, v);
    } else {
      const store = this.store;
      for (let k = from; k < to; k++) {
        const r = kids[k];
        const kind = store.kindOf(r);
        if (kind === RecordKind.List) for (let e = r + 1, stop = store.next(r); e < stop; e = store.next(e)) this.value(info, e);
        else if (kind !== RecordKind.Empty) this.value(info, r);
      }
    }
  }

  private packed(info: FieldInfo, values: readonly number[]): void {
    if (values.length === 0) return;
    const w = this.w;
    w.tag(info.number, 2);
    const mark = w.beginLength();
    for (const v of values) this.scalar(info.type, this.decoder.decode(info, this.store.valueStart(v)));
    w.endLength(mark);
  }

  /** Record r's value, with its tag. */
  private value(info: FieldInfo, r: number): void {
    const w = this.w;
    if (info.type === 'message') {
      w.tag(info.number, 2);
      const mark = w.beginLength();
      this.message(r, info.message as MessageInfo);
      w.endLength(mark);
      return;
    }
    w.tag(info.number, info.wireType);
    const start = this.store.valueStart(r);
    if (info.type === 'string' || info.type === 'bytes') this.decoder.writeString(start, w);
    else this.scalar(info.type, this.decoder.decode(info, start));
  }

  /** A map entry: key then value, always both (defaults included), as protobuf's map entries are written. */
  private mapEntry(r: number, type: MessageInfo): void {
    const [keyInfo, valueInfo] = type.fields;
    this.entryPart(keyInfo, entryPart(this.store, r, 1));
    this.entryPart(valueInfo, entryPart(this.store, r, 2));
  }

  private entryPart(info: FieldInfo, r: number): void {
    if (r >= 0) {
      this.value(info, r);
    } else if (info.type === 'message') {
      this.w.tag(info.number, 2);
      this.w.varint(0);
    } else {
      this.w.tag(info.number, info.wireType);
      this.scalar(info.type, defaultOf(info.type));
    }
  }

  /** An Any written with `[url] { ... }`: replay the text in order; the last type_url and value win. */
  private anyMessage(type: MessageInfo, kids: readonly number[]): void {
    const store = this.store;
    const [urlInfo, valueInfo] = type.fields;
    const parts: AnyParts = { url: -1, value: -1 };
    for (const c of kids) {
      const any = store.kindOf(c) === RecordKind.AnyExpansion ? store.anys.get(c) : undefined;
      if (any) {
        parts.url = any.url;
        const packed = new ByteWriter(256);
        new Encoder(packed, store, false).message(c, any.type);
        parts.value = packed.bytes();
      } else if (store.kindOf(c) !== RecordKind.Empty) {
        if (store.info(c) === urlInfo) parts.url = c;
        else if (store.info(c) === valueInfo) parts.value = c;
      }
    }
    this.anyPart(urlInfo, parts.url);
    this.anyPart(valueInfo, parts.value);
  }

  private anyPart(info: FieldInfo, part: string | Uint8Array | number): void {
    if (typeof part === 'number') {
      this.singular(info, part);
    } else if (part.length) {
      this.w.tag(info.number, 2);
      this.scalar(info.type, part);
    }
  }

  /** Map entries by key, stable for repeated keys (what protoc --deterministic_output writes). */
  private sortedEntries(entry: MessageInfo, records: readonly number[]): number[] {
    const keyInfo = entry.fields[0];
    const keyed = records.map((r): { r: number; k: ScalarValue } => {
      const k = entryPart(this.store, r, 1);
      return { r, k: k < 0 ? defaultOf(keyInfo.type) : this.decoder.decode(keyInfo, this.store.valueStart(k)) };
    });
    keyed.sort((p, q) => compareKeys(p.k, q.k));
    return keyed.map((p) => p.r);
  }

  private scalar(type: FieldType, v: ScalarValue): void {
    const w = this.w;
    switch (type) {
      case 'int32':
      case 'enum':
        w.int32(v as number);
        return;
      case 'uint32':
        w.varint(v as number);
        return;
      case 'sint32': {
        const n = v as number;
        w.varint(((n << 1) ^ (n >> 31)) >>> 0);
        return;
      }
      case 'fixed32':
      case 'sfixed32':
        w.fixed32(v as number);
        return;
      case 'float':
        w.fixed32(floatBits(v));
        return;
      case 'double':
        this.double(v);
        return;
      case 'int64':
      case 'uint64': {
        // Most 64-bit values are small: skip BigInt arithmetic for them.
        const b = v as bigint;
        if (b >= 0n && b <= MAX_SAFE) w.varint(Number(b));
        else w.varintBig(b);
        return;
      }
      case 'sint64': {
        const b = v as bigint;
        w.varintBig((b << 1n) ^ (b >> 63n));
        return;
      }
      case 'fixed64':
      case 'sfixed64':
        w.fixed64(v as bigint);
        return;
      case 'bool':
        w.byte(v ? 1 : 0);
        return;
      default:
        w.lengthDelimited(typeof v === 'string' ? utf8.encode(v) : (v as Uint8Array));
    }
  }

  private double(v: ScalarValue): void {
    let lo: number;
    let hi: number;
    if (v === NEGATIVE_NAN || Number.isNaN(v)) {
      lo = 0;
      hi = v === NEGATIVE_NAN ? 0xfff80000 : 0x7ff80000;
    } else {
      f64[0] = v as number;
      lo = f64Bits[0];
      hi = f64Bits[1];
    }
    this.w.fixed32(lo);
    this.w.fixed32(hi);
  }
}

/** Records in field-number order, stable (text order within a field); they rarely need sorting. */
function sortByFieldNumber(store: TextStore, kids: number[]): void {
  for (let i = 1; i < kids.length; i++) {
    if (store.info(kids[i]).number < store.info(kids[i - 1]).number) {
      kids.sort((a, b) => store.info(a).number - store.info(b).number || a - b);
      return;
    }
  }
}

/** The value records of occurrences kids[from, to): a list's elements in its place. */
function valuesOf(store: TextStore, kids: readonly number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let k = from; k < to; k++) {
    const r = kids[k];
    const kind = store.kindOf(r);
    if (kind === RecordKind.List) for (let e = r + 1, stop = store.next(r); e < stop; e = store.next(e)) out.push(e);
    else if (kind !== RecordKind.Empty) out.push(r);
  }
  return out;
}

/** The last value record of occurrences kids[from, to), or -1. */
function lastValue(store: TextStore, kids: readonly number[], from: number, to: number): number {
  for (let k = to - 1; k >= from; k--) {
    const r = kids[k];
    const kind = store.kindOf(r);
    if (kind === RecordKind.Scalar || kind === RecordKind.Message) return r;
    if (kind === RecordKind.List && store.next(r) > r + 1) return lastElement(store, r);
  }
  return -1;
}

function lastElement(store: TextStore, list: number): number {
  let last = -1;
  for (let e = list + 1, stop = store.next(list); e < stop; e = store.next(e)) last = e;
  return last;
}

/** The last value record of map entry r's key (1) or value (2), or -1. */
function entryPart(store: TextStore, r: number, number: number): number {
  let last = -1;
  for (let c = r + 1, stop = store.next(r); c < stop; c = store.next(c)) {
    if (store.kindOf(c) !== RecordKind.Empty && store.kindOf(c) !== RecordKind.AnyExpansion && store.info(c).number === number) last = c;
  }
  return last;
}

function defaultOf(type: FieldType): ScalarValue {
  switch (type) {
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64': return 0n;
    case 'bool': return false;
    case 'string': return '';
    case 'bytes': return new Uint8Array(0);
    default: return 0;
  }
}

/** Map keys are strings, integers or bools: strings compare by UTF-8 bytes, the rest by value. */
function compareKeys(a: ScalarValue, b: ScalarValue): number {
  if (typeof a === 'string' || typeof b === 'string' || a instanceof Uint8Array || b instanceof Uint8Array) {
    return compareBytes(keyBytes(a), keyBytes(b));
  }
  const x = keyNumber(a);
  const y = keyNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function keyNumber(v: ScalarValue): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  return v === true ? 1 : 0;
}

function keyBytes(v: ScalarValue): Uint8Array {
  if (typeof v === 'string') return utf8.encode(v);
  return v instanceof Uint8Array ? v : new Uint8Array(0);
}

function compareBytes(x: Uint8Array, y: Uint8Array): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}
