// Text tree → protobuf binary, byte-identical to `protoc --encode` (3.21) on the same text: fields
// in field-number order, repeated values and map entries in text order (plain --encode does not
// sort maps; pass `deterministic` for --deterministic_output's key order), map entries always with
// key and value, proto3 implicit-presence scalars skipped when they hold their default, packed
// fields packed, an expanded Any as type_url + its encoded message. Where the text set a singular
// field more than once (allowed while the earlier values are defaults), the last value wins.
import { ByteWriter } from './byteWriter';
import type { FieldInfo, FieldType } from './schema';
import { isDefaultValue, writeStoredString } from './storedTree';
import {
  NEGATIVE_NAN, parseErrorsOf, ScalarValue, TextError, TextField, TextMessage, TextValue,
} from './textTree';

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
  const w = new ByteWriter(Math.max(1 << 16, Math.min(root.end, 1 << 30)));
  new Encoder(w, options.deterministic === true).message(root);
  return w.bytes();
}

/** Encode any (sub)tree, without the error check (e.g. the message packed in an Any). */
export function encodeMessage(msg: TextMessage): Uint8Array {
  const w = new ByteWriter(256);
  new Encoder(w, false).message(msg);
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

class Encoder {
  private scratch = new Uint8Array(256);

  constructor(private readonly w: ByteWriter, private readonly deterministic: boolean) {}

  message(msg: TextMessage): void {
    if (msg.type.isMapEntry) this.mapEntry(msg);
    else if (msg.any) this.anyMessage(msg);
    else this.fields(msg.fields);
  }

  private fields(all: readonly TextField[]): void {
    const order = inNumberOrder(all);
    for (let i = 0; i < order.length;) {
      const info = order[i].info;
      let j = i + 1;
      while (j < order.length && order[j].info === info) j++;
      if (info.repeated) this.repeated(info, order, i, j);
      else this.singular(info, lastValue(order, i, j));
      i = j;
    }
  }

  private singular(info: FieldInfo, v: TextValue | undefined): void {
    if (!v) return;
    if (v.kind === 'message' || info.hasPresence || !isDefaultValue(v)) this.value(info, v);
  }

  private repeated(info: FieldInfo, occs: readonly TextField[], from: number, to: number): void {
    if (info.packed) {
      this.packed(info, occs, from, to);
      return;
    }
    if (this.deterministic && info.message?.isMapEntry) {
      const entries: TextMessage[] = [];
      for (let k = from; k < to; k++) for (const v of occs[k].values) if (v.kind === 'message') entries.push(v);
      for (const e of sortEntries(entries)) this.value(info, e);
      return;
    }
    for (let k = from; k < to; k++) for (const v of occs[k].values) this.value(info, v);
  }

  private packed(info: FieldInfo, occs: readonly TextField[], from: number, to: number): void {
    let count = 0;
    for (let k = from; k < to; k++) count += occs[k].values.length;
    if (count === 0) return;
    const w = this.w;
    w.tag(info.number, 2);
    const mark = w.beginLength();
    for (let k = from; k < to; k++) for (const v of occs[k].values) if (v.kind === 'scalar') this.scalar(info.type, v.value);
    w.endLength(mark);
  }

  private value(info: FieldInfo, v: TextValue): void {
    const w = this.w;
    if (v.kind === 'message') {
      w.tag(info.number, 2);
      const mark = w.beginLength();
      this.message(v);
      w.endLength(mark);
      return;
    }
    w.tag(info.number, info.wireType);
    if ((info.type === 'string' || info.type === 'bytes') && writeStoredString(v, w)) return;
    this.scalar(info.type, v.value);
  }

  /** A map entry: key then value, always both (defaults included), as protobuf's map entries are written. */
  private mapEntry(entry: TextMessage): void {
    const [keyInfo, valueInfo] = entry.type.fields;
    this.entryPart(keyInfo, entryPart(entry, 1));
    this.entryPart(valueInfo, entryPart(entry, 2));
  }

  private entryPart(info: FieldInfo, v: TextValue | undefined): void {
    if (v) {
      this.value(info, v);
    } else if (info.type === 'message') {
      this.w.tag(info.number, 2);
      this.w.varint(0);
    } else {
      this.w.tag(info.number, info.wireType);
      this.scalar(info.type, defaultOf(info.type));
    }
  }

  /** An Any written with `[url] { ... }`: replay the text to find the final type_url and value. */
  private anyMessage(msg: TextMessage): void {
    const any = msg.any;
    if (!any) return;
    const final = new Map<FieldInfo, TextValue>();
    const fields = msg.fields;
    const [urlInfo, valueInfo] = msg.type.fields;
    for (let k = 0; k <= fields.length; k++) {
      if (k === any.fieldIndex) {
        final.set(urlInfo, { kind: 'scalar', value: any.url, start: any.start, end: any.end });
        final.set(valueInfo, { kind: 'scalar', value: encodeMessage(any.message), start: any.message.start, end: any.message.end });
      }
      const f = fields[k];
      if (f && f.values.length) final.set(f.info, f.values[f.values.length - 1]);
    }
    for (const info of msg.type.fields) this.singular(info, final.get(info));
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
        if (typeof v === 'string') this.string(v);
        else w.lengthDelimited(v as Uint8Array);
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

  /** A string as length + UTF-8, without a temporary array per string. */
  private string(s: string): void {
    if (this.scratch.length < s.length * 3) this.scratch = new Uint8Array(s.length * 3 + 64);
    const n = s.length <= 64 ? asciiInto(s, this.scratch) : -1;
    const len = n >= 0 ? n : utf8.encodeInto(s, this.scratch).written;
    this.w.varint(len);
    this.w.raw(this.scratch.subarray(0, len));
  }
}

/** Copy an all-ASCII string's bytes; -1 when it is not all ASCII. */
function asciiInto(s: string, out: Uint8Array): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return -1;
    out[i] = c;
  }
  return s.length;
}

function inNumberOrder(fields: readonly TextField[]): readonly TextField[] {
  for (let i = 1; i < fields.length; i++) {
    if (fields[i].info.number < fields[i - 1].info.number) {
      return fields.slice().sort((a, b) => a.info.number - b.info.number); // stable: text order kept
    }
  }
  return fields;
}

function lastValue(occs: readonly TextField[], from: number, to: number): TextValue | undefined {
  for (let k = Math.min(to, occs.length) - 1; k >= from; k--) {
    const values = occs[k].values;
    if (values.length) return values[values.length - 1];
  }
  return undefined;
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

// -- deterministic map order -----------------------------------------------------------------

/** The last value written for a map entry's key (1) or value (2). */
function entryPart(entry: TextMessage, number: number): TextValue | undefined {
  let last: TextValue | undefined;
  for (const f of entry.fields) if (f.info.number === number && f.values.length) last = f.values[f.values.length - 1];
  return last;
}

function entryKey(entry: TextMessage): ScalarValue {
  const key = entryPart(entry, 1);
  return key?.kind === 'scalar' ? key.value : defaultOf(entry.type.fields[0].type);
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

/** Entries by key, stable for repeated keys (what protoc --deterministic_output writes). */
function sortEntries(entries: TextMessage[]): TextMessage[] {
  const keyed = entries.map((e): { e: TextMessage; k: ScalarValue } => ({ e, k: entryKey(e) }));
  keyed.sort((p, q) => compareKeys(p.k, q.k));
  return keyed.map((p) => p.e);
}
