// The printer's per-message tables, built once per message type: for each field (a slot, in
// field-number order) its kind, wire type, flags, oneof group and label bytes, so printing a
// field is array lookups instead of walking the schema.
import { Kind } from './fieldKind';
import { EnumInfo, FieldType, MessageInfo } from '../protobuf';
import { ascii } from './textOutput';
import { fieldIdOf } from '../textformat';

const KIND_OF: Record<FieldType, Kind> = {
  double: Kind.Double, float: Kind.Float, int64: Kind.Int64, uint64: Kind.Uint64, int32: Kind.Int32,
  fixed64: Kind.Fixed64, fixed32: Kind.Fixed32, bool: Kind.Bool, string: Kind.String, bytes: Kind.Bytes,
  uint32: Kind.Uint32, sfixed32: Kind.Sfixed32, sfixed64: Kind.Sfixed64, sint32: Kind.Sint32,
  sint64: Kind.Sint64, enum: Kind.Enum, message: Kind.Message,
};

// Bits of Layout.flags, read through Layout's methods: under tsx, which transpiles file by file,
// an imported constant costs module getters on every use in the hot paths.
const REPEATED = 1;
const PACKABLE = 2;
const PRESENCE = 4;
const MAP = 8;
const MESSAGE = 16;
const STRING = 32;

export class Layout {
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
  /** Each slot's field as a parse tree records it (fieldIdOf), for trees recorded while printing. */
  readonly fieldId: Uint16Array;
  readonly enumNames: Array<ReadonlyMap<number, Uint8Array> | undefined>;
  readonly children: Array<Layout | undefined>;
  /** Only proto3 files make protoc's parser verify UTF-8 in string fields. */
  readonly verifyUtf8: boolean;

  constructor(readonly info: MessageInfo) {
    const fields = info.fields;
    const maxNumber = fields.reduce((m, f) => Math.max(m, f.number), 0);
    this.slotOf = new Int16Array(maxNumber + 1);
    this.fieldId = new Uint16Array(fields.length);
    this.kind = new Uint8Array(fields.length);
    this.wire = new Uint8Array(fields.length);
    this.flags = new Uint8Array(fields.length);
    this.oneof = new Int8Array(fields.length).fill(-1);
    const oneofs: string[] = [];
    this.label = [];
    this.open = [];
    this.enumNames = [];
    this.children = new Array<Layout | undefined>(fields.length).fill(undefined);
    this.verifyUtf8 = !info.proto2;
    fields.forEach((f, s) => {
      this.slotOf[f.number] = s + 1;
      this.fieldId[s] = fieldIdOf(f);
      this.kind[s] = KIND_OF[f.type];
      this.wire[s] = f.wireType;
      const scalar = f.type !== 'message' && f.type !== 'string' && f.type !== 'bytes';
      this.flags[s] = (f.repeated ? REPEATED : 0) | (f.repeated && scalar ? PACKABLE : 0)
        | (f.hasPresence || info.isMapEntry ? PRESENCE : 0) | (f.message?.isMapEntry ? MAP : 0)
        | (f.type === 'message' ? MESSAGE : 0) | (f.type === 'string' ? STRING : 0);
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

  isRepeated(slot: number): boolean {
    return (this.flags[slot] & REPEATED) !== 0;
  }

  /** A repeated scalar: its values may come packed in one length-delimited occurrence. */
  isPackable(slot: number): boolean {
    return (this.flags[slot] & PACKABLE) !== 0;
  }

  /** Printed even with a default value: explicit presence, or a key or value of a map entry. */
  hasPresence(slot: number): boolean {
    return (this.flags[slot] & PRESENCE) !== 0;
  }

  isMap(slot: number): boolean {
    return (this.flags[slot] & MAP) !== 0;
  }

  isMessage(slot: number): boolean {
    return (this.flags[slot] & MESSAGE) !== 0;
  }

  isString(slot: number): boolean {
    return (this.flags[slot] & STRING) !== 0;
  }

  /** The layout of the message type of field slot `slot`. */
  child(slot: number): Layout {
    let child = this.children[slot];
    if (!child) {
      const info = this.info.fields[slot].message;
      if (!info) throw new Error(`unresolved message type of ${this.info.fullName}.${this.info.fields[slot].name}`);
      child = layoutOf(info);
      this.children[slot] = child;
    }
    return child;
  }
}

const layouts = new Map<MessageInfo, Layout>();

export function layoutOf(info: MessageInfo): Layout {
  let layout = layouts.get(info);
  if (!layout) {
    layout = new Layout(info);
    layouts.set(info, layout);
  }
  return layout;
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
