// The parser's lookups keyed by bytes: a message's fields and an enum's values hashed by name as
// the lexer hashes identifiers, and the bool words, so looking up a word of the text allocates
// nothing. Lookups are methods: under tsx, which transpiles file by file, every call of an
// imported function goes through module getters, which showed in profiles (one per field).
import { EnumInfo, FieldInfo, MessageInfo } from '../protobuf';
import { identifierHash } from './textLexer';
import { fieldIdOf } from './textStore';

export interface FieldSlot {
  readonly info: FieldInfo;
  /** Position in MessageInfo.fields: index into the presence frame. */
  readonly index: number;
  /** Index of its (real) oneof in MessageTable.oneofs, or -1. */
  readonly oneof: number;
  readonly name: Uint8Array;
  /** fieldIdOf(info), the number a TextStore records. */
  readonly id: number;
  next: FieldSlot | undefined;
}

interface EnumSlot {
  readonly name: Uint8Array;
  readonly value: number;
  next: EnumSlot | undefined;
}

const ANY_TYPE = 'google.protobuf.Any';

const utf8Encoder = new TextEncoder();
const TRUE_WORDS = ['true', 'True', 't'].map((w) => utf8Encoder.encode(w));
const FALSE_WORDS = ['false', 'False', 'f'].map((w) => utf8Encoder.encode(w));

/** The fields of one message type. */
export class MessageTable {
  readonly slots: readonly FieldSlot[];
  readonly oneofs: readonly string[];
  readonly isAny: boolean;
  private readonly byHash = new Map<number, FieldSlot>();

  constructor(readonly type: MessageInfo) {
    const oneofs: string[] = [];
    this.slots = type.fields.map((info, index): FieldSlot => {
      let oneof = -1;
      if (info.oneof !== undefined) {
        oneof = oneofs.indexOf(info.oneof);
        if (oneof < 0) oneof = oneofs.push(info.oneof) - 1;
      }
      const slot: FieldSlot = { info, index, oneof, name: utf8Encoder.encode(info.name), id: fieldIdOf(info), next: undefined };
      const h = identifierHash(slot.name);
      slot.next = this.byHash.get(h);
      this.byHash.set(h, slot);
      return slot;
    });
    this.oneofs = oneofs;
    this.isAny = type.fullName === ANY_TYPE;
  }

  /** The field named buf[start, end), whose identifierHash is hash. */
  field(buf: Uint8Array, start: number, end: number, hash: number): FieldSlot | undefined {
    let s = this.byHash.get(hash);
    while (s && !sameBytes(s.name, buf, start, end)) s = s.next;
    return s;
  }
}

// Built once per type for the whole process.
const tables = new WeakMap<MessageInfo, MessageTable>();
const enumTables = new WeakMap<EnumInfo, Map<number, EnumSlot>>();

export class ParseTables {
  message(type: MessageInfo): MessageTable {
    let t = tables.get(type);
    if (!t) {
      t = new MessageTable(type);
      tables.set(type, t);
    }
    return t;
  }

  /** The number of the value of enum e named buf[start, end), whose identifierHash is hash. */
  enumValue(e: EnumInfo, buf: Uint8Array, start: number, end: number, hash: number): number | undefined {
    let slot = enumTableOf(e).get(hash);
    while (slot && !sameBytes(slot.name, buf, start, end)) slot = slot.next;
    return slot?.value;
  }

  /** The bool a word spells the way protoc reads it (true/True/t, false/False/f), else undefined. */
  boolWord(buf: Uint8Array, start: number, end: number): boolean | undefined {
    if (TRUE_WORDS.some((w) => sameBytes(w, buf, start, end))) return true;
    if (FALSE_WORDS.some((w) => sameBytes(w, buf, start, end))) return false;
    return undefined;
  }
}

function sameBytes(name: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name[i] !== buf[start + i]) return false;
  return true;
}

function enumTableOf(e: EnumInfo): Map<number, EnumSlot> {
  let t = enumTables.get(e);
  if (!t) {
    t = new Map();
    for (const [name, value] of e.valueOf) {
      const slot: EnumSlot = { name: utf8Encoder.encode(name), value, next: undefined };
      const h = identifierHash(slot.name);
      slot.next = t.get(h);
      t.set(h, slot);
    }
    enumTables.set(e, t);
  }
  return t;
}
