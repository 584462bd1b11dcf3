// The parse tree's storage: one record per field occurrence in typed arrays, in text order, each
// followed by its subtree. A 190 MB text of a 300k-node graph has ~6.5 M occurrences; as JS objects
// they took 1.7 GB, here 15 bytes each. Scalar values are not stored: they are decoded from the
// text on demand (scalarDecoder.ts), so a 400 MB tensor_content is not held twice. Records live in
// blocks of 64K, so growing a big tree never copies it (a copy would briefly double the peak).
import type { FieldInfo, MessageInfo } from '../protobuf';
import type { TextField } from './textTree';

/** What a record holds. */
export const enum RecordKind {
  /** A field occurrence whose value was missing or wrong (reported). */
  Empty = 0,
  Scalar = 1,
  Message = 2,
  /** `name: [a, b]`: the elements follow as records of kind Scalar or Message with the Element bit. */
  List = 3,
  /** `[type.googleapis.com/pkg.Msg] { ... }` in an Any: the packed message. */
  AnyExpansion = 4,
}

/** Set on the records of a list's elements. */
export const ELEMENT = 8;
const KIND_MASK = 7;

/** The field id of an Any expansion's record, which belongs to no field. */
export const ANY_FIELD_ID = 0xffff;

/** An expanded Any's URL and type, kept aside: a text holds a few at most. */
export interface AnyRecord {
  readonly url: string;
  readonly type: MessageInfo;
  /** Range of `[ ... ]`. */
  readonly start: number;
  readonly end: number;
  /** Where the packed message's `{` is. */
  readonly messageStart: number;
}

const fieldIds = new Map<FieldInfo, number>();
const fieldsById: FieldInfo[] = [];

/** A small number per schema field, shared by all stores (Uint16: the schema has a few hundred). */
export function fieldIdOf(info: FieldInfo): number {
  let id = fieldIds.get(info);
  if (id === undefined) {
    id = fieldsById.push(info) - 1;
    fieldIds.set(info, id);
  }
  return id;
}

const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const IN_BLOCK = BLOCK - 1;

/** The first block starts small (most texts are small) and grows by copying up to BLOCK records. */
const FIRST_BLOCK = 1024;

class Block {
  readonly field: Uint16Array;
  readonly kind: Uint8Array;
  /** The field name's offset; a list element's value start (its name is its list's). */
  readonly at: Uint32Array;
  /** Where the value ends (after a message's `}`); for an Empty or List record, where the occurrence ends. */
  readonly end: Uint32Array;
  /** Message, List and AnyExpansion records: the record after the subtree (next sibling or parent's end). */
  readonly next: Uint32Array;

  constructor(readonly size: number) {
    this.field = new Uint16Array(size);
    this.kind = new Uint8Array(size);
    this.at = new Uint32Array(size);
    this.end = new Uint32Array(size);
    this.next = new Uint32Array(size);
  }

  grown(): Block {
    const b = new Block(Math.min(this.size * 4, BLOCK));
    b.field.set(this.field);
    b.kind.set(this.kind);
    b.at.set(this.at);
    b.end.set(this.end);
    b.next.set(this.next);
    return b;
  }
}

export class TextStore {
  count = 0;
  private readonly blocks: Block[] = [];
  /** Occurrences whose end differs from their value's (a message closed by the end of input). */
  readonly occurrenceEnds = new Map<number, number>();
  readonly anys = new Map<number, AnyRecord>();
  /** The field lists of messages with very many fields, made once (storedTree.ts). */
  readonly manyFields = new Map<number, readonly TextField[]>();
  private text: Uint8Array;

  constructor(buf: Uint8Array) {
    this.text = buf;
  }

  /** The text the records point into. */
  get buf(): Uint8Array {
    return this.text;
  }

  /** The printer records as it writes (textprint/treeRecorder.ts): the text, once it is whole. */
  setText(buf: Uint8Array): void {
    this.text = buf;
  }

  /** Append a record: its field's id, its kind, and its name's offset (a list element: its value's start). */
  add(fieldId: number, kind: number, at: number): number {
    const r = this.count;
    const i = r & IN_BLOCK;
    const k = r >>> BLOCK_BITS;
    if (k === this.blocks.length) this.blocks.push(new Block(k === 0 ? FIRST_BLOCK : BLOCK));
    let b = this.blocks[k];
    if (i === b.size) b = this.blocks[k] = b.grown();
    b.field[i] = fieldId;
    b.kind[i] = kind;
    b.at[i] = at;
    b.end[i] = at;
    b.next[i] = r + 1;
    this.count = r + 1;
    return r;
  }

  /** Drop the records from r on (a list element whose value failed). */
  truncate(r: number): void {
    this.count = r;
  }

  setKind(r: number, kind: number): void {
    this.blocks[r >>> BLOCK_BITS].kind[r & IN_BLOCK] = kind;
  }

  /** Close record r: its value ends at end, and its subtree is every record added since. */
  close(r: number, end: number): void {
    const b = this.blocks[r >>> BLOCK_BITS];
    b.end[r & IN_BLOCK] = end;
    b.next[r & IN_BLOCK] = this.count;
  }

  kindOf(r: number): RecordKind {
    return (this.blocks[r >>> BLOCK_BITS].kind[r & IN_BLOCK] & KIND_MASK) as RecordKind;
  }

  info(r: number): FieldInfo {
    return fieldsById[this.blocks[r >>> BLOCK_BITS].field[r & IN_BLOCK]];
  }

  nameStart(r: number): number {
    return this.blocks[r >>> BLOCK_BITS].at[r & IN_BLOCK];
  }

  end(r: number): number {
    return this.blocks[r >>> BLOCK_BITS].end[r & IN_BLOCK];
  }

  /** The record after r and its subtree. */
  next(r: number): number {
    const b = this.blocks[r >>> BLOCK_BITS];
    const i = r & IN_BLOCK;
    return (b.kind[i] & KIND_MASK) >= RecordKind.Message ? b.next[i] : r + 1;
  }

  /** Where record r's value starts: found again after its name (and `:`), since few are asked for. */
  valueStart(r: number): number {
    const b = this.blocks[r >>> BLOCK_BITS];
    const i = r & IN_BLOCK;
    if (b.kind[i] & ELEMENT) return b.at[i];
    if ((b.kind[i] & KIND_MASK) === RecordKind.AnyExpansion) return (this.anys.get(r) as AnyRecord).messageStart;
    return skipToValue(this.buf, b.at[i] + fieldsById[b.field[i]].name.length);
  }

  /** Where occurrence r ends (after its last value, or after its name when it has none). */
  occurrenceEnd(r: number): number {
    return this.occurrenceEnds.get(r) ?? this.end(r);
  }
}

/** Past blanks, `#` comments and one `:` (and the blanks after it). */
function skipToValue(buf: Uint8Array, pos: number): number {
  pos = skipBlanks(buf, pos);
  return buf[pos] === 58 ? skipBlanks(buf, pos + 1) : pos;
}

/** Whitespace, control characters (reported by the lexer) and comments, as the lexer skips them. */
export function skipBlanks(buf: Uint8Array, pos: number): number {
  while (pos < buf.length) {
    const c = buf[pos];
    if (c <= 32) pos++;
    else if (c === 35) while (pos < buf.length && buf[pos] !== 10 && buf[pos] !== 0) pos++;
    else break;
  }
  return pos;
}
