// The printer's per-message tables, built once per message type: for each field (a slot, in
// field-number order) its kind, wire type, flags, oneof group and label bytes, so printing a
// field is array lookups instead of walking the schema.
import { EnumInfo, FieldType, MessageInfo } from './schema';
import { ascii } from './textOutput';

export const enum Kind {
  Double, Float, Int64, Uint64, Int32, Fixed64, Fixed32, Bool, String, Bytes,
  Uint32, Sfixed32, Sfixed64, Sint32, Sint64, Enum, Message,
}

const KIND_OF: Record<FieldType, Kind> = {
  double: Kind.Double, float: Kind.Float, int64: Kind.Int64, uint64: Kind.Uint64, int32: Kind.Int32,
  fixed64: Kind.Fixed64, fixed32: Kind.Fixed32, bool: Kind.Bool, string: Kind.String, bytes: Kind.Bytes,
  uint32: Kind.Uint32, sfixed32: Kind.Sfixed32, sfixed64: Kind.Sfixed64, sint32: Kind.Sint32,
  sint64: Kind.Sint64, enum: Kind.Enum, message: Kind.Message,
};

// Bits of Layout.flags.
export const REPEATED = 1;
export const PACKABLE = 2;
export const PRESENCE = 4;
export const MAP = 8;

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
  readonly enumNames: Array<ReadonlyMap<number, Uint8Array> | undefined>;
  readonly children: Array<Layout | undefined>;
  /** Only proto3 files make protoc's parser verify UTF-8 in string fields. */
  readonly verifyUtf8: boolean;

  constructor(readonly info: MessageInfo) {
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
    this.verifyUtf8 = !info.proto2;
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

export function layoutOf(info: MessageInfo): Layout {
  let layout = layouts.get(info);
  if (!layout) {
    layout = new Layout(info);
    layouts.set(info, layout);
  }
  return layout;
}

/** The layout of the message type of field slot `slot`. */
export function childLayout(parent: Layout, slot: number): Layout {
  let child = parent.children[slot];
  if (!child) {
    const info = parent.info.fields[slot].message;
    if (!info) throw new Error(`unresolved message type of ${parent.info.fullName}.${parent.info.fields[slot].name}`);
    child = layoutOf(info);
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
