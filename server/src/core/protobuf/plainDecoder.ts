// Decode a message (or a sub-range of a file) into a PlainMessage, driven by the schema tables.
// Bytes values are views into the input buffer, not copies.
import { FieldInfo, MessageInfo, WireType } from './schema';
import { PlainMessage, PlainValue } from './plainMessage';
import { WireReader, RawField, varintBig, float32At, float64At, fixed64Big, fixed32, utf8At, WireError } from './wire';
import { bytesAt } from './sparseBytes';

export interface DecodeOptions {
  /** Fields not to descend into (by name), e.g. `graph_def` when only signatures are wanted. */
  skip?: ReadonlySet<string>;
  /**
   * `bytes` values of a sparse buffer are views that are not read in (zeros where the file was not
   * read): for callers that use only their lengths, so that a check never reads tensor contents.
   */
  lengthsOnly?: boolean;
}

export function decodePlain(buf: Uint8Array, start: number, end: number, type: MessageInfo, opts: DecodeOptions = {}): PlainMessage {
  return decode(buf, start, end, type, opts.skip, opts.lengthsOnly === true);
}

function decode(buf: Uint8Array, start: number, end: number, type: MessageInfo, skip: ReadonlySet<string> | undefined, lengthsOnly: boolean): PlainMessage {
  const out: PlainMessage = {};
  const r = new WireReader(buf, start, end);
  const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
  while (!r.atEnd()) {
    r.next(f);
    const info = type.byNumber.get(f.number);
    if (!info || skip?.has(info.name)) continue;
    // A known field with the wrong wire type is an unknown field to protoc (validateWire warns of it).
    if (!wireTypeFits(f, info)) continue;
    if (info.message?.isMapEntry) {
      const entry = decode(buf, f.start, f.end, info.message, undefined, lengthsOnly);
      const bucket = (out[info.name] ??= {}) as PlainMessage;
      bucket[String(entry.key ?? defaultKey(info.message))] = entry.value ?? defaultOf(info.message.byNumber.get(2));
      continue;
    }
    if (info.repeated) {
      const arr = (out[info.name] ??= []) as PlainValue[];
      if (f.wireType === WireType.LengthDelimited && info.wireType !== WireType.LengthDelimited) readPacked(buf, f, info, arr);
      else arr.push(readOne(buf, f, info, lengthsOnly));
      continue;
    }
    out[info.name] = readOne(buf, f, info, lengthsOnly);
  }
  return out;
}

/** The field's wire type is the schema's, or it is a packed repeated scalar. */
function wireTypeFits(f: RawField, info: FieldInfo): boolean {
  return f.wireType === info.wireType || (info.repeated && f.wireType === WireType.LengthDelimited);
}

function defaultKey(entry: MessageInfo): PlainValue {
  return defaultOf(entry.byNumber.get(1)) ?? '';
}

function defaultOf(field: FieldInfo | undefined): PlainValue | undefined {
  if (!field) return undefined;
  if (field.type === 'message') return {};
  if (field.type === 'string') return '';
  if (field.type === 'bytes') return new Uint8Array(0);
  if (field.type === 'bool') return false;
  if (field.type === 'enum') return field.enumInfo?.nameOf.get(0) ?? 0;
  return 0;
}

function readPacked(buf: Uint8Array, f: RawField, info: FieldInfo, arr: PlainValue[]): void {
  const r = new WireReader(buf, f.start, f.end);
  const one: RawField = { number: f.number, wireType: info.wireType, tagStart: f.tagStart, start: 0, end: 0 };
  while (!r.atEnd()) {
    one.start = r.pos;
    if (info.wireType === WireType.Varint) r.skipVarint();
    else r.pos += info.wireType === WireType.Fixed64 ? 8 : 4;
    if (r.pos > f.end) throw new WireError('packed field truncated', one.start);
    one.end = r.pos;
    arr.push(readOne(buf, one, info, false));
  }
}

function readOne(buf: Uint8Array, f: RawField, info: FieldInfo, lengthsOnly: boolean): PlainValue {
  if (f.wireType !== info.wireType) throw new WireError(`field ${info.name} has wire type ${f.wireType}, expected ${info.wireType}`, f.tagStart);
  switch (info.type) {
    case 'message': return decode(buf, f.start, f.end, info.message as MessageInfo, undefined, lengthsOnly);
    case 'string': return utf8At(buf, f.start, f.end);
    case 'bytes': return lengthsOnly ? buf.subarray(f.start, f.end) : bytesAt(buf, f.start, f.end);
    case 'float': return float32At(buf, f.start);
    case 'double': return float64At(buf, f.start);
    case 'fixed32': return fixed32(buf, f.start);
    case 'sfixed32': return fixed32(buf, f.start) | 0;
    case 'fixed64': return exact(fixed64Big(buf, f.start));
    case 'sfixed64': return exact(BigInt.asIntN(64, fixed64Big(buf, f.start)));
    case 'bool': return varintBig(buf, f.start) !== 0n;
    case 'enum': {
      const v = Number(BigInt.asIntN(32, varintBig(buf, f.start)));
      return info.enumInfo?.nameOf.get(v) ?? v;
    }
    case 'int32': return Number(BigInt.asIntN(32, varintBig(buf, f.start)));
    case 'uint32': return Number(BigInt.asUintN(32, varintBig(buf, f.start)));
    case 'sint32': case 'sint64': {
      const u = varintBig(buf, f.start);
      return exact((u >> 1n) ^ -(u & 1n));
    }
    case 'int64': return exact(BigInt.asIntN(64, varintBig(buf, f.start)));
    case 'uint64': return exact(varintBig(buf, f.start));
  }
}

function exact(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
