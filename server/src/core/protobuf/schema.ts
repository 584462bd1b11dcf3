// The SavedModel schema as compact lookup tables, built once from the project's .proto files
// (server/proto) with protobufjs. The wire decoder, text parser, printer and encoder all walk these
// tables instead of protobufjs' generated code, so they can work lazily and on views.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

export type ScalarType =
  | 'double' | 'float' | 'int64' | 'uint64' | 'int32' | 'fixed64' | 'fixed32' | 'bool'
  | 'string' | 'bytes' | 'uint32' | 'sfixed32' | 'sfixed64' | 'sint32' | 'sint64';
export type FieldType = ScalarType | 'enum' | 'message';

export const enum WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, StartGroup = 3, EndGroup = 4, Fixed32 = 5 }

export interface EnumInfo {
  readonly fullName: string;
  readonly nameOf: ReadonlyMap<number, string>;
  readonly valueOf: ReadonlyMap<string, number>;
}

export interface FieldInfo {
  readonly name: string;
  readonly number: number;
  readonly type: FieldType;
  readonly repeated: boolean;
  /** Encoders write this repeated scalar field packed (proto3 default, or [packed = true]). */
  readonly packed: boolean;
  /** Set for fields with explicit presence: messages, oneof members, proto2 optionals and proto2 map keys and values. */
  readonly hasPresence: boolean;
  readonly oneof: string | undefined;
  /** Wire type of one (unpacked) value of this field. */
  readonly wireType: WireType;
  /** For message and enum fields; resolved once all types are known. */
  message: MessageInfo | undefined;
  enumInfo: EnumInfo | undefined;
}

export interface MessageInfo {
  readonly fullName: string;
  /** Fields sorted by number: the order protobuf serializes and prints them. */
  readonly fields: readonly FieldInfo[];
  readonly byNumber: ReadonlyMap<number, FieldInfo>;
  readonly byName: ReadonlyMap<string, FieldInfo>;
  /** Synthetic `XxxEntry` message of a map<K, V> field. */
  readonly isMapEntry: boolean;
  /** Its file declares `syntax = "proto2"` (a map entry: its owner's file). */
  readonly proto2: boolean;
}

export interface Schema {
  message(fullName: string): MessageInfo;
  findMessage(fullName: string): MessageInfo | undefined;
  readonly root: protobuf.Root;
}

const ROOT_FILES = [
  'tensorflow/core/protobuf/saved_model.proto',
  'tensorflow/core/protobuf/tensor_bundle.proto',
  'tensorflow/core/protobuf/fingerprint.proto',
];

const WIRE_OF: Record<FieldType, WireType> = {
  double: WireType.Fixed64, fixed64: WireType.Fixed64, sfixed64: WireType.Fixed64,
  float: WireType.Fixed32, fixed32: WireType.Fixed32, sfixed32: WireType.Fixed32,
  int64: WireType.Varint, uint64: WireType.Varint, int32: WireType.Varint, uint32: WireType.Varint,
  sint32: WireType.Varint, sint64: WireType.Varint, bool: WireType.Varint, enum: WireType.Varint,
  string: WireType.LengthDelimited, bytes: WireType.LengthDelimited, message: WireType.LengthDelimited,
};

/** Where the .proto files are: next to the sources in development, next to the bundle when shipped. */
export function protoDir(): string {
  const candidates = [
    process.env.SAVEDMODEL_LENS_PROTO_DIR ?? '',
    path.join(__dirname, '..', '..', '..', 'proto'),
    path.join(__dirname, '..', 'server', 'proto'),
    path.join(__dirname, 'proto'),
  ];
  const found = candidates.find((c) => c && fs.existsSync(path.join(c, ROOT_FILES[0])));
  if (!found) throw new Error(`SavedModel .proto files not found (looked in ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

export function protoFiles(): string[] {
  return ROOT_FILES.slice();
}

let cached: Schema | undefined;

export function loadSchema(): Schema {
  cached ??= loadSchemaFiles(ROOT_FILES);
  return cached;
}

/**
 * A schema of other messages from our .proto folder (tf.Example for the smoke test), kept apart
 * from the SavedModel schema, which must hold exactly TensorFlow's SavedModel messages.
 */
export function loadSchemaFiles(files: readonly string[]): Schema {
  const dir = protoDir();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(dir, target));
  root.loadSync([...files], { keepCase: true });
  root.resolveAll();
  return buildSchema(root, proto2Files(dir));
}

function buildSchema(root: protobuf.Root, proto2: ReadonlySet<string>): Schema {
  const messages = new Map<string, MessageInfo>();
  const enums = new Map<string, EnumInfo>();
  const pending: Array<[FieldInfo, protobuf.FieldBase]> = [];
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type) {
        const info = messageInfo(child, proto2, pending);
        messages.set(info.fullName, info);
        // Synthetic map entry types (e.g. NodeDef.AttrEntry) are addressable by name too.
        for (const f of info.fields) if (f.message?.isMapEntry) messages.set(f.message.fullName, f.message);
      }
      else if (child instanceof protobuf.Enum) enums.set(fullNameOf(child), enumInfo(child));
      if (child instanceof protobuf.Namespace) visit(child);
    }
  };
  visit(root);
  for (const [info, field] of pending) {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) info.message = messages.get(fullNameOf(resolved));
    else if (resolved instanceof protobuf.Enum) info.enumInfo = enums.get(fullNameOf(resolved));
  }
  return {
    root,
    findMessage: (name) => messages.get(name.replace(/^\./, '')),
    message(name) {
      const m = messages.get(name.replace(/^\./, ''));
      if (!m) throw new Error(`unknown message type ${name}`);
      return m;
    },
  };
}

function fullNameOf(obj: protobuf.ReflectionObject): string {
  return obj.fullName.replace(/^\./, '');
}

function enumInfo(e: protobuf.Enum): EnumInfo {
  const nameOf = new Map<number, string>();
  const valueOf = new Map<string, number>();
  for (const [name, value] of Object.entries(e.values)) {
    if (!nameOf.has(value)) nameOf.set(value, name); // first alias wins, as protoc prints it
    valueOf.set(name, value);
  }
  return { fullName: fullNameOf(e), nameOf, valueOf };
}

function messageInfo(type: protobuf.Type, proto2: ReadonlySet<string>, pending: Array<[FieldInfo, protobuf.FieldBase]>): MessageInfo {
  const fields: FieldInfo[] = [];
  const proto3 = !proto2.has(path.resolve(type.filename ?? ''));
  const mapEntries: MessageInfo[] = [];
  for (const f of type.fieldsArray) {
    if (f instanceof protobuf.MapField) {
      const entry = mapEntryInfo(type, f, !proto3, pending);
      mapEntries.push(entry);
      fields.push(makeField(f.name, f.id, 'message', true, false, false, undefined, entry));
      continue;
    }
    const ftype = fieldTypeOf(f);
    const scalarRepeated = f.repeated && ftype !== 'message' && ftype !== 'string' && ftype !== 'bytes';
    const packedOpt = f.options?.packed as boolean | undefined;
    const packed = scalarRepeated && (packedOpt ?? proto3);
    const oneof = f.partOf && !isSyntheticOneof(f.partOf) ? f.partOf.name : undefined;
    const presence = !f.repeated && (ftype === 'message' || oneof !== undefined || !proto3 || f.partOf !== null);
    const info = makeField(f.name, f.id, ftype, f.repeated, packed, presence, oneof, undefined);
    fields.push(info);
    if (ftype === 'message' || ftype === 'enum') pending.push([info, f]);
  }
  return tableOf(fullNameOf(type), fields, false, !proto3);
}

/** Key and value of a map entry from a proto2 file have explicit presence, as proto2 optionals do. */
function mapEntryInfo(
  owner: protobuf.Type, f: protobuf.MapField, proto2: boolean, pending: Array<[FieldInfo, protobuf.FieldBase]>,
): MessageInfo {
  const keyType = f.keyType as ScalarType;
  const key = makeField('key', 1, keyType, false, false, proto2, undefined, undefined);
  const valueType = fieldTypeOf(f);
  const value = makeField('value', 2, valueType, false, false, proto2 || valueType === 'message', undefined, undefined);
  if (valueType === 'message' || valueType === 'enum') pending.push([value, f]);
  const entryName = `${fullNameOf(owner)}.${f.name.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('')}Entry`;
  return tableOf(entryName, [key, value], true, proto2);
}

function makeField(
  name: string, number: number, type: FieldType, repeated: boolean, packed: boolean,
  hasPresence: boolean, oneof: string | undefined, message: MessageInfo | undefined,
): FieldInfo {
  return { name, number, type, repeated, packed, hasPresence, oneof, wireType: WIRE_OF[type], message, enumInfo: undefined };
}

function tableOf(fullName: string, fields: FieldInfo[], isMapEntry: boolean, proto2: boolean): MessageInfo {
  fields.sort((a, b) => a.number - b.number);
  return {
    fullName,
    fields,
    byNumber: new Map(fields.map((f) => [f.number, f])),
    byName: new Map(fields.map((f) => [f.name, f])),
    isMapEntry,
    proto2,
  };
}

function fieldTypeOf(f: protobuf.FieldBase): FieldType {
  if (f.resolvedType instanceof protobuf.Type) return 'message';
  if (f.resolvedType instanceof protobuf.Enum) return 'enum';
  return f.type as ScalarType;
}

function isSyntheticOneof(o: protobuf.OneOf): boolean {
  // proto3 `optional` fields live in a one-member oneof named `_field`.
  return o.fieldsArray.length === 1 && o.name === `_${o.fieldsArray[0].name}`;
}

/** Files declaring `syntax = "proto2"`: their optional fields keep explicit presence. */
function proto2Files(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.proto') && /^\s*syntax\s*=\s*"proto2"/m.test(fs.readFileSync(p, 'utf8'))) out.add(path.resolve(p));
    }
  };
  walk(dir);
  return out;
}
