// The project's writer: encode a PlainMessage canonically, as protoc (and TensorFlow's
// deterministic serializer) does: fields in number order, map entries sorted by key, proto3
// defaults left out. Tests, the bundled example and the benchmark generator build models with it.
import { ByteWriter } from './byteWriter';
import { FieldInfo, MessageInfo, WireType } from './schema';
import { PlainMessage, PlainValue, isPlainMessage } from './plainMessage';

const utf8 = new TextEncoder();

export function encodePlain(message: PlainMessage, type: MessageInfo, w: ByteWriter = new ByteWriter()): Uint8Array {
  writeMessage(w, message, type);
  return w.bytes();
}

function writeMessage(w: ByteWriter, message: PlainMessage, type: MessageInfo): void {
  for (const name of Object.keys(message)) {
    if (!type.byName.has(name)) throw new Error(`${type.fullName} has no field ${name}`);
  }
  for (const field of type.fields) {
    const v = message[field.name];
    if (v === undefined) continue;
    if (field.message?.isMapEntry) writeMap(w, field, v);
    else if (field.repeated) writeRepeated(w, field, Array.isArray(v) ? v : [v]);
    else if (field.hasPresence || !isDefault(field, v)) writeField(w, field, v);
  }
}

function writeMap(w: ByteWriter, field: FieldInfo, v: PlainValue): void {
  if (!isPlainMessage(v)) throw new Error(`map field ${field.name} needs an object`);
  const entry = field.message as MessageInfo;
  const keyField = entry.byNumber.get(1) as FieldInfo;
  const keys = Object.keys(v).filter((k) => v[k] !== undefined);
  keys.sort(keyField.type === 'string' ? compareUtf8 : (a, b) => Number(BigInt(a) - BigInt(b)) || 0);
  for (const k of keys) {
    const key: PlainValue = keyField.type === 'string' ? k : keyField.type === 'bool' ? k === 'true' : BigInt(k);
    w.tag(field.number, WireType.LengthDelimited);
    const mark = w.beginLength();
    // C++ protobuf writes both key and value of every map entry, defaults included.
    writeField(w, keyField, key);
    writeField(w, entry.byNumber.get(2) as FieldInfo, v[k] as PlainValue);
    w.endLength(mark);
  }
}

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function writeRepeated(w: ByteWriter, field: FieldInfo, values: PlainValue[]): void {
  if (!field.packed) {
    for (const v of values) writeField(w, field, v);
    return;
  }
  if (values.length === 0) return;
  w.tag(field.number, WireType.LengthDelimited);
  const mark = w.beginLength();
  for (const v of values) writeValue(w, field, v);
  w.endLength(mark);
}

function writeField(w: ByteWriter, field: FieldInfo, v: PlainValue): void {
  w.tag(field.number, field.wireType);
  if (field.type === 'message') {
    if (!isPlainMessage(v)) throw new Error(`field ${field.name} needs a message object`);
    const mark = w.beginLength();
    writeMessage(w, v, field.message as MessageInfo);
    w.endLength(mark);
    return;
  }
  writeValue(w, field, v);
}

function writeValue(w: ByteWriter, field: FieldInfo, v: PlainValue): void {
  switch (field.type) {
    case 'string': w.lengthDelimited(utf8.encode(String(v))); return;
    case 'bytes': w.lengthDelimited(v instanceof Uint8Array ? v : utf8.encode(String(v))); return;
    case 'float': w.float(Number(v)); return;
    case 'double': w.double(Number(v)); return;
    case 'bool': w.varint(v ? 1 : 0); return;
    case 'enum': w.int32(enumNumber(field, v)); return;
    case 'int32': w.int32(Number(v)); return;
    case 'uint32': w.varint(Number(v) >>> 0); return;
    case 'fixed32': case 'sfixed32': w.fixed32(Number(v) >>> 0); return;
    case 'fixed64': case 'sfixed64': w.fixed64(toBig(v)); return;
    case 'sint32': case 'sint64': {
      const b = toBig(v);
      w.varintBig(b >= 0n ? b << 1n : ((-b) << 1n) - 1n);
      return;
    }
    case 'int64': case 'uint64': w.varintBig(toBig(v)); return;
    case 'message': throw new Error(`message field ${field.name} cannot be packed`);
  }
}

function enumNumber(field: FieldInfo, v: PlainValue): number {
  if (typeof v === 'number') return v;
  const n = field.enumInfo?.valueOf.get(String(v));
  if (n === undefined) throw new Error(`${String(v)} is not a value of ${field.enumInfo?.fullName ?? field.name}`);
  return n;
}

function toBig(v: PlainValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  throw new Error(`not an integer: ${String(v)}`);
}

function isDefault(field: FieldInfo, v: PlainValue): boolean {
  switch (field.type) {
    case 'string': return v === '';
    case 'bytes': return v instanceof Uint8Array ? v.length === 0 : v === '';
    case 'bool': return v === false;
    case 'enum': return enumNumber(field, v) === 0;
    case 'float': case 'double': return v === 0 && !Object.is(v, -0);
    case 'message': return false;
    default: return v === 0 || v === 0n;
  }
}
