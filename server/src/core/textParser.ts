// The protobuf text-format parser, driven by the schema tables. It accepts what protoc 3.21's
// TextFormat::Parser accepts (as `protoc --encode` runs it) and rejects what it rejects, but where
// protoc stops at the first error this parser records a diagnostic, skips the broken field or value
// and goes on, so one typo gives one error. It works on bytes: offsets are byte offsets, and texts
// larger than a JS string can hold parse.
import * as fs from 'node:fs';
import { EnumInfo, FieldInfo, loadSchema, MessageInfo, Schema } from './schema';
import {
  appendStringLiteral, asciiText, ByteScratch, floatValue, identifierHash, integerValue, isDecimalInteger,
  TextLexer, TokenKind,
} from './textLexer';
import {
  isDefaultScalar, NEGATIVE_NAN, ParseResult, recordParseErrors, ScalarValue, TextError, TextErrorCode,
  TextField, TextMessage, TextScalar, TextValue,
} from './textTree';
import { suggestNames } from './nameSuggestions';
import { encodeMessage } from './textEncoder';

/** Deeper messages are reported and skipped (protoc's binary parser already refuses depth 100). */
export const MAX_NESTING = 1000;
/** Parsing stops after this many errors (a binary file read as text would give one per few bytes). */
export const MAX_ERRORS = 500;

const ANY_TYPE = 'google.protobuf.Any';
const ANY_PREFIXES = new Set(['type.googleapis.com/', 'type.googleprod.com/']);

const enum Ch {
  Colon = 58, Semicolon = 59, Comma = 44, Minus = 45, Dot = 46, Slash = 47,
  LBrace = 123, RBrace = 125, LAngle = 60, RAngle = 62, LBracket = 91, RBracket = 93,
}

const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const FLT_MAX = 3.4028234663852886e38;
/** protoc's SafeDoubleToFloat rounds doubles up to this (half an ulp above FLT_MAX) down to FLT_MAX. */
const FLT_MAX_ROUNDED = 3.4028235677973366e38;

/**
 * Parse `bytes` as a text-format message of `typeName`. Never throws on any input; throws only for
 * a type name the schema does not know.
 */
export function parseText(bytes: Uint8Array, typeName = 'tensorflow.SavedModel'): ParseResult {
  const schema = loadSchema();
  const type = schema.message(typeName);
  const errors: TextError[] = [];
  const root: TextMessage = { kind: 'message', type, start: 0, end: bytes.length, fields: NO_FIELDS };
  try {
    new Parser(bytes, schema, errors).parseRoot(root);
  } catch (e) {
    // A bug must not take the editor down: report it where parsing stopped.
    errors.push({ code: 'syntax-error', message: `internal parser error: ${(e as Error).message}`, start: 0, end: 0 });
  }
  root.end = bytes.length;
  recordParseErrors(root, errors);
  return { root, errors };
}

// ---------------------------------------------------------------------------------------------
// Schema lookups keyed by bytes

interface FieldSlot {
  readonly info: FieldInfo;
  /** Position in MessageInfo.fields: index into the presence frame. */
  readonly index: number;
  /** Index of its (real) oneof in MessageTable.oneofs, or -1. */
  readonly oneof: number;
  readonly name: Uint8Array;
  next: FieldSlot | undefined;
}

interface MessageTable {
  readonly slots: readonly FieldSlot[];
  readonly byHash: Map<number, FieldSlot>;
  readonly oneofs: readonly string[];
  readonly isAny: boolean;
  /** Key and value of a proto2 map entry have explicit presence. */
  readonly entryPresence: boolean;
}

interface EnumSlot {
  readonly name: Uint8Array;
  readonly value: number;
  next: EnumSlot | undefined;
}

const utf8Encoder = new TextEncoder();
const tables = new WeakMap<MessageInfo, MessageTable>();
const enumTables = new WeakMap<EnumInfo, Map<number, EnumSlot>>();

function tableOf(type: MessageInfo, schema: Schema): MessageTable {
  let t = tables.get(type);
  if (!t) {
    t = buildTable(type, schema);
    tables.set(type, t);
  }
  return t;
}

function buildTable(type: MessageInfo, schema: Schema): MessageTable {
  const oneofs: string[] = [];
  const byHash = new Map<number, FieldSlot>();
  const slots = type.fields.map((info, index): FieldSlot => {
    let oneof = -1;
    if (info.oneof !== undefined) {
      oneof = oneofs.indexOf(info.oneof);
      if (oneof < 0) oneof = oneofs.push(info.oneof) - 1;
    }
    const slot: FieldSlot = { info, index, oneof, name: utf8Encoder.encode(info.name), next: undefined };
    const h = identifierHash(slot.name);
    slot.next = byHash.get(h);
    byHash.set(h, slot);
    return slot;
  });
  return { slots, byHash, oneofs, isAny: type.fullName === ANY_TYPE, entryPresence: type.isMapEntry && isProto2Entry(type, schema) };
}

function sameBytes(name: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name[i] !== buf[start + i]) return false;
  return true;
}

function lookupField(t: MessageTable, buf: Uint8Array, start: number, end: number, hash: number): FieldSlot | undefined {
  let s = t.byHash.get(hash);
  while (s && !sameBytes(s.name, buf, start, end)) s = s.next;
  return s;
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

const proto2Files = new Map<string, boolean>();

/** Whether a map entry comes from a proto2 file (the schema tables do not record syntax). */
function isProto2Entry(entry: MessageInfo, schema: Schema): boolean {
  const owner = entry.fullName.slice(0, entry.fullName.lastIndexOf('.'));
  try {
    const file = schema.root.lookupType(owner).filename;
    if (!file) return false;
    let proto2 = proto2Files.get(file);
    if (proto2 === undefined) {
      proto2 = /^\s*syntax\s*=\s*["']proto2["']/m.test(fs.readFileSync(file, 'utf8'));
      proto2Files.set(file, proto2);
    }
    return proto2;
  } catch {
    return false;
  }
}

/** A message type for an Any URL, map entry types included (protoc finds those in its pool too). */
function findAnyType(schema: Schema, fullName: string): MessageInfo | undefined {
  const found = schema.findMessage(fullName);
  if (found) return found;
  const owner = schema.findMessage(fullName.slice(0, Math.max(0, fullName.lastIndexOf('.'))));
  return owner?.fields.find((f) => f.message?.isMapEntry && f.message.fullName === fullName)?.message;
}

// ---------------------------------------------------------------------------------------------
// The state of each message being parsed (one frame per nesting level, reused): which singular
// fields and oneofs it has set, to reject repeats the way protoc's FORBID_SINGULAR_OVERWRITES
// policy does, and the indentation of its fields, to spot a missing `}`.

const UNSET = 0;
const SET = 1;
/** The Any `value` set by an expansion: set only if the packed message encodes to some bytes. */
const SET_IF_NONEMPTY = 2;
/** MessageFrame.indent before the first field is seen; -1 once seen when it does not start a line. */
const INDENT_UNSEEN = -2;
const NO_FIELDS: readonly TextField[] = Object.freeze([]);

class MessageFrame {
  table: MessageTable | undefined;
  has = new Uint8Array(32);
  /** Per oneof: 1 + index of the member that set it, or 0. */
  oneofBy = new Int32Array(8);
  /** Column of the first field name when it starts its line. */
  indent = INDENT_UNSEEN;
  openStart = 0;
  /** The occurrences parsed so far; copied to an exactly sized array when the message ends. */
  fields: TextField[] = [];
  fieldCount = 0;

  reset(t: MessageTable, openStart: number): void {
    this.table = t;
    this.fieldCount = 0;
    this.indent = INDENT_UNSEEN;
    this.openStart = openStart;
    if (this.has.length < t.slots.length) this.has = new Uint8Array(t.slots.length);
    else this.has.fill(UNSET, 0, t.slots.length);
    if (this.oneofBy.length < t.oneofs.length) this.oneofBy = new Int32Array(t.oneofs.length);
    else this.oneofBy.fill(0, 0, t.oneofs.length);
  }
}

// ---------------------------------------------------------------------------------------------

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }); // ignoreBOM: keep a leading BOM
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Longer string values stay bytes: a JS string cannot hold 512 MiB. */
const MAX_STRING_BYTES = 1 << 28;

/** Valid UTF-8 bytes as a string, else undefined. */
function utf8Text(buf: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > MAX_STRING_BYTES) return undefined;
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return strictDecode(buf, start, end);
  // The native decoder beats building short strings a character at a time.
  return utf8Lenient.decode(buf.subarray(start, end));
}

function strictDecode(buf: Uint8Array, start: number, end: number): string | undefined {
  try {
    return utf8Fatal.decode(buf.subarray(start, end));
  } catch {
    return undefined;
  }
}

/**
 * Strings of string fields, shared when the same short text recurs (op names, devices, attr keys,
 * inputs naming other nodes): a direct-mapped cache checked byte for byte, so repeats cost no
 * allocation and the tree holds one copy.
 */
class StringCache {
  private readonly slots: Array<string | undefined> = new Array<string | undefined>(4096).fill(undefined);

  /** Valid UTF-8 bytes as a string, else undefined. */
  get(buf: Uint8Array, start: number, end: number): string | undefined {
    const n = end - start;
    if (n > 64) return utf8Text(buf, start, end);
    let h = n;
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return strictDecode(buf, start, end);
      h = (Math.imul(h, 31) + c) | 0;
    }
    const slot = (h ^ (h >>> 12)) & 4095;
    const cached = this.slots[slot];
    if (cached !== undefined && cached.length === n && sameChars(cached, buf, start)) return cached;
    const s = utf8Lenient.decode(buf.subarray(start, end));
    this.slots[slot] = s;
    return s;
  }
}

function sameChars(s: string, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/** A copy as a plain Uint8Array (Buffer#slice would return a view of the whole text). */
function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.subarray(start, end));
}

function safeDoubleToFloat(v: number): number {
  if (v > FLT_MAX) return v <= FLT_MAX_ROUNDED ? FLT_MAX : Infinity;
  if (v < -FLT_MAX) return v >= -FLT_MAX_ROUNDED ? -FLT_MAX : -Infinity;
  return Math.fround(v);
}

const TRUE_WORDS = ['true', 'True', 't'].map((w) => utf8Encoder.encode(w));
const FALSE_WORDS = ['false', 'False', 'f'].map((w) => utf8Encoder.encode(w));

/** The bool a word spells the way protoc reads it (true/True/t, false/False/f), else undefined. */
function boolWord(buf: Uint8Array, start: number, end: number): boolean | undefined {
  if (TRUE_WORDS.some((w) => sameBytes(w, buf, start, end))) return true;
  if (FALSE_WORDS.some((w) => sameBytes(w, buf, start, end))) return false;
  return undefined;
}

function scalar(value: ScalarValue, start: number, end: number): TextScalar {
  return { kind: 'scalar', value, start, end };
}

class Parser {
  private readonly lx: TextLexer;
  private readonly frames: MessageFrame[] = [];
  private depth = 0;
  /** Messages nested deeper than this frame index are being closed for a missing `}`. */
  private closeAbove = Infinity;
  private readonly scratch = new ByteScratch();
  private readonly strings = new StringCache();
  private lastErrorStart = -1;
  /** First token of the scalar being parsed, and the name of its field (for "missing value"). */
  private valueStart = -1;
  private valueNameStart = 0;
  private valueNameEnd = 0;
  private unclosedReported = false;
  /** Set once a `{` could not be balanced before the end: later skips stop trying. */
  private unbalanced = false;

  constructor(private readonly buf: Uint8Array, private readonly schema: Schema, private readonly errors: TextError[]) {
    this.lx = new TextLexer(buf, (message, start, end) => this.report('syntax-error', message, start, end));
  }

  parseRoot(root: TextMessage): void {
    this.parseBody(root, -1, 0);
  }

  // -- errors ----------------------------------------------------------------------------------

  private report(code: TextErrorCode, message: string, start: number, end: number, suggestions?: string[]): void {
    // Two errors at one token are one mistake seen twice (e.g. a bad value, then a bad field start).
    if (this.errors.length >= MAX_ERRORS || start === this.lastErrorStart) return;
    this.lastErrorStart = start;
    const error: TextError = suggestions?.length ? { code, message, start, end, suggestions } : { code, message, start, end };
    this.errors.push(error);
    if (this.errors.length === MAX_ERRORS) {
      this.errors.push({ code: 'syntax-error', message: `Too many errors (${MAX_ERRORS}); the rest of the text was not checked.`, start, end });
    }
  }

  private syntax(message: string, start: number, end: number): void {
    this.report('syntax-error', message, start, end);
  }

  private schemaError(message: string, start: number, end: number, suggestions?: string[]): void {
    this.report('schema-error', message, start, end, suggestions);
  }

  /** The current token, quoted for messages. */
  private describe(): string {
    const lx = this.lx;
    if (lx.kind === TokenKind.End) return 'end of input';
    const end = Math.min(lx.end, lx.start + 40);
    const text = utf8Lenient.decode(this.buf.subarray(lx.start, end));
    return `"${text}${end < lx.end ? '…' : ''}"`;
  }

  // -- messages and fields ---------------------------------------------------------------------

  /** Fields until the closing delimiter `close` (consumed), or the end of input for the root (close -1). */
  private parseBody(msg: TextMessage, close: number, openStart: number): void {
    const lx = this.lx;
    const table = tableOf(msg.type, this.schema);
    const level = this.depth;
    let frame = this.frames[level];
    if (!frame) frame = this.frames[level] = new MessageFrame();
    frame.reset(table, openStart);
    this.depth++;
    for (;;) {
      if (this.errors.length >= MAX_ERRORS && lx.kind !== TokenKind.End) lx.finish();
      if (level > this.closeAbove) {
        msg.end = lx.lastEnd;
        break;
      }
      this.closeAbove = Infinity;
      if (lx.kind === TokenKind.End) {
        if (close >= 0) this.unclosed(openStart, close);
        msg.end = lx.start;
        break;
      }
      if (lx.kind === TokenKind.Symbol && (lx.sym === Ch.RBrace || lx.sym === Ch.RAngle)) {
        if (close < 0) {
          this.syntax(`Unmatched "${String.fromCharCode(lx.sym)}": no message is open here.`, lx.start, lx.end);
          lx.next();
          continue;
        }
        if (lx.sym !== close) this.syntax(`Expected "${String.fromCharCode(close)}", found "${String.fromCharCode(lx.sym)}".`, lx.start, lx.end);
        msg.end = lx.end;
        lx.next();
        break;
      }
      if (frame.indent === INDENT_UNSEEN) frame.indent = this.lineIndent(lx.start);
      const before = lx.start;
      this.parseField(msg, table, frame);
      if (lx.start === before && (lx.kind as TokenKind) !== TokenKind.End && level <= this.closeAbove) lx.next(); // never loop without progress
    }
    if (frame.fieldCount) msg.fields = frame.fields.slice(0, frame.fieldCount);
    this.depth--;
  }

  /** Column of offset when only blanks precede it on its line, else -1. */
  private lineIndent(offset: number): number {
    const buf = this.buf;
    let p = offset - 1;
    while (p >= 0 && (buf[p] === 32 || buf[p] === 9)) p--;
    return p < 0 || buf[p] === 10 || buf[p] === 13 ? offset - p - 1 : -1;
  }

  /**
   * An unknown name that is a field of an enclosing message, written at that message's field
   * indentation and left of the current message's fields: the current message (and any between)
   * lacks its `}`. Report that once and close them, so the name is parsed where it belongs.
   */
  private closedForDedent(frame: MessageFrame, nameStart: number, nameEnd: number, hash: number): boolean {
    const column = this.lineIndent(nameStart);
    if (column < 0 || frame.indent < 0 || column >= frame.indent) return false;
    for (let level = this.depth - 2; level >= 0; level--) {
      const outer = this.frames[level];
      if (outer.indent !== column || !outer.table || !lookupField(outer.table, this.buf, nameStart, nameEnd, hash)) continue;
      const open = this.frames[level + 1].openStart;
      this.syntax(`Missing "}": the "{" here is not closed before "${asciiText(this.buf, nameStart, nameEnd)}".`, open, open + 1);
      this.closeAbove = level;
      return true;
    }
    return false;
  }

  private unclosed(openStart: number, close: number): void {
    if (this.unclosedReported || this.errors.length >= MAX_ERRORS) return;
    this.unclosedReported = true; // only the innermost: the outer ones are open because of it
    const open = close === Ch.RBrace ? '{' : '<';
    this.syntax(`"${open}" is never closed: expected "${String.fromCharCode(close)}" before the end of input.`, openStart, openStart + 1);
  }

  private parseField(msg: TextMessage, table: MessageTable, frame: MessageFrame): void {
    const lx = this.lx;
    if (lx.kind === TokenKind.Identifier) {
      const nameStart = lx.start;
      const nameEnd = lx.end;
      if (lx.bad) {
        lx.next();
        this.skipFieldValue();
        return;
      }
      const slot = lookupField(table, this.buf, nameStart, nameEnd, lx.hash);
      if (!slot && this.closedForDedent(frame, nameStart, nameEnd, lx.hash)) return;
      lx.next();
      if (!slot) {
        this.unknownField(msg.type, nameStart, nameEnd);
        this.skipFieldValue();
        return;
      }
      this.parseKnownField(msg, table, frame, slot, nameStart, nameEnd);
      return;
    }
    if (lx.isSymbol(Ch.LBracket)) {
      if (table.isAny) this.parseAnyExpansion(msg, table, frame);
      else this.parseExtension(msg.type);
      return;
    }
    if (!lx.bad) this.syntax(`Expected a field name, got ${this.describe()}.`, lx.start, lx.end);
    this.resync();
  }

  private unknownField(type: MessageInfo, start: number, end: number): void {
    const name = asciiText(this.buf, start, end);
    const suggestions = suggestNames(name, type.fields.map((f) => f.name));
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    this.schemaError(`Message type "${type.fullName}" has no field named "${name}".${hint}`, start, end, suggestions);
  }

  private parseKnownField(msg: TextMessage, table: MessageTable, frame: MessageFrame, slot: FieldSlot, nameStart: number, nameEnd: number): void {
    const lx = this.lx;
    const info = slot.info;
    if (!info.repeated) this.checkPresence(msg, table, frame, slot, nameStart, nameEnd);
    if (lx.isSymbol(Ch.Colon)) {
      lx.next();
    } else if (info.type !== 'message') {
      if (this.atFieldEnd()) {
        this.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
        return;
      }
      this.syntax(`Expected ":" after field name "${info.name}", found ${this.describe()}.`, lx.start, lx.end);
    }
    let values: TextValue[];
    if (lx.isSymbol(Ch.LBracket)) {
      if (info.repeated) {
        values = this.parseList(info, nameStart, nameEnd);
      } else {
        this.schemaError(`Field "${info.name}" is not repeated: a [ ] list is not allowed.`, lx.start, lx.end);
        this.skipBalanced();
        values = [];
      }
    } else {
      // Sized to its one value: most occurrences hold one, and an empty array grows to 16 slots.
      const v = this.parseValue(info, nameStart, nameEnd);
      values = v ? [v] : [];
    }
    const occ: TextField = { info, nameStart, nameEnd, end: Math.max(nameEnd, lx.lastEnd), values };
    frame.fields[frame.fieldCount++] = occ;
    if (!info.repeated) this.notePresence(table, frame, slot, values);
    if (lx.isSymbol(Ch.Semicolon) || lx.isSymbol(Ch.Comma)) lx.next();
  }

  private checkPresence(msg: TextMessage, table: MessageTable, frame: MessageFrame, slot: FieldSlot, start: number, end: number): void {
    const state = frame.has[slot.index];
    if (state === SET || (state === SET_IF_NONEMPTY && msg.any && encodeMessage(msg.any.message).length > 0)) {
      this.schemaError(`Non-repeated field "${slot.info.name}" is specified multiple times.`, start, end);
      return;
    }
    if (slot.oneof >= 0 && frame.oneofBy[slot.oneof] !== 0) {
      const other = table.slots[frame.oneofBy[slot.oneof] - 1].info.name;
      this.schemaError(
        `Field "${slot.info.name}" is specified along with field "${other}", another member of oneof "${table.oneofs[slot.oneof]}".`,
        start, end,
      );
    }
  }

  private notePresence(table: MessageTable, frame: MessageFrame, slot: FieldSlot, values: readonly TextValue[]): void {
    if (values.length === 0) return;
    const v = values[values.length - 1];
    const explicit = slot.info.hasPresence || table.entryPresence || v.kind === 'message';
    frame.has[slot.index] = explicit || !isDefaultScalar(v.value) ? SET : UNSET;
    if (slot.oneof >= 0) frame.oneofBy[slot.oneof] = slot.index + 1;
  }

  /** `[a, b, ...]` for a repeated field; the current token is `[`. */
  private parseList(info: FieldInfo, nameStart: number, nameEnd: number): TextValue[] {
    const lx = this.lx;
    const values: TextValue[] = [];
    lx.next();
    if (lx.isSymbol(Ch.RBracket)) {
      lx.next();
      return values;
    }
    for (;;) {
      const before = lx.start;
      if (lx.isSymbol(Ch.Comma) || lx.isSymbol(Ch.RBracket)) {
        this.syntax(`Expected a value in the list of field "${info.name}", found ${this.describe()}.`, lx.start, lx.end);
      } else {
        const v = this.parseValue(info, nameStart, nameEnd);
        if (v) values.push(v);
      }
      if (!this.listSeparator(info) || lx.start === before) return values;
    }
  }

  /** After a list element: true at `,` (consumed, another element follows), false at the end of the list. */
  private listSeparator(info: FieldInfo): boolean {
    const lx = this.lx;
    for (;;) {
      if (lx.isSymbol(Ch.RBracket)) {
        lx.next();
        return false;
      }
      if (lx.isSymbol(Ch.Comma)) {
        lx.next();
        return true;
      }
      if (this.atFieldEnd()) {
        this.syntax(`Expected "]" to close the list of field "${info.name}", found ${this.describe()}.`, lx.start, lx.end);
        return false;
      }
      if (!lx.bad) this.syntax(`Expected "," or "]" in the list of field "${info.name}", found ${this.describe()}.`, lx.start, lx.end);
      // A stray symbol is skipped; anything else is taken as the next element (a missing comma).
      if (lx.kind !== TokenKind.Symbol || this.atValueSymbol()) return true;
      lx.next();
    }
  }

  private atValueSymbol(): boolean {
    const lx = this.lx;
    return lx.sym === Ch.Minus || lx.sym === Ch.LBrace || lx.sym === Ch.LAngle;
  }

  /** One value of the field (named at [nameStart, nameEnd)); undefined after reporting an error. */
  private parseValue(info: FieldInfo, nameStart: number, nameEnd: number): TextValue | undefined {
    const lx = this.lx;
    const isOpen = lx.isSymbol(Ch.LBrace) || lx.isSymbol(Ch.LAngle);
    if (info.type === 'message') {
      if (isOpen && info.message) return this.parseMessage(info.message);
      if (this.atFieldEnd()) {
        this.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
      } else {
        if (!lx.bad) this.schemaError(`Field "${info.name}" is a message: expected "{", found ${this.describe()}.`, lx.start, lx.end);
        this.skipScalarValue();
      }
      return undefined;
    }
    if (isOpen) {
      this.schemaError(`Field "${info.name}" holds a ${info.type}, not a message.`, lx.start, lx.end);
      this.skipBalanced();
      return undefined;
    }
    // An identifier is checked for being the next field only when it is no valid value (see mismatch).
    if (lx.kind !== TokenKind.Identifier && this.atFieldEnd()) {
      this.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
      return undefined;
    }
    if (lx.bad) {
      this.skipScalarValue();
      return undefined;
    }
    this.valueStart = lx.start;
    this.valueNameStart = nameStart;
    this.valueNameEnd = nameEnd;
    return this.parseScalar(info);
  }

  /** A nested message; the current token is `{` or `<`. */
  private parseMessage(type: MessageInfo): TextMessage {
    const lx = this.lx;
    const start = lx.start;
    const close = lx.sym === Ch.LBrace ? Ch.RBrace : Ch.RAngle;
    const msg: TextMessage = { kind: 'message', type, start, end: start, fields: NO_FIELDS };
    if (this.depth >= MAX_NESTING) {
      this.syntax(`Messages nested deeper than ${MAX_NESTING} levels are not supported.`, start, lx.end);
      this.skipBalanced();
      msg.end = lx.lastEnd;
      return msg;
    }
    lx.next();
    this.parseBody(msg, close, start);
    return msg;
  }

  // -- google.protobuf.Any and extensions ------------------------------------------------------

  /** `[type.googleapis.com/pkg.Msg] { ... }` in an Any; the current token is `[`. */
  private parseAnyExpansion(msg: TextMessage, table: MessageTable, frame: MessageFrame): void {
    const lx = this.lx;
    const start = lx.start;
    lx.next();
    const prefix = this.dottedName('/');
    const fullName = prefix === undefined ? undefined : this.dottedName(']');
    if (prefix === undefined || fullName === undefined) {
      this.skipBracketedName();
      this.skipFieldValue();
      return;
    }
    const end = lx.end;
    lx.next();
    const url = `${prefix}/${fullName}`;
    if (lx.isSymbol(Ch.Colon)) lx.next();
    const type = ANY_PREFIXES.has(`${prefix}/`) ? findAnyType(this.schema, fullName) : undefined;
    if (!type) {
      this.schemaError(`Could not find type "${url}" stored in google.protobuf.Any.`, start, end);
      this.skipFieldValue();
      return;
    }
    if (!(lx.isSymbol(Ch.LBrace) || lx.isSymbol(Ch.LAngle))) {
      if (!lx.bad) this.syntax(`Expected "{" after the Any type URL, found ${this.describe()}.`, lx.start, lx.end);
      this.skipScalarValue();
      return;
    }
    const urlSlot = table.slots[0];
    const valueSlot = table.slots[1];
    const taken = frame.has[urlSlot.index] !== UNSET
      || frame.has[valueSlot.index] === SET
      || (frame.has[valueSlot.index] === SET_IF_NONEMPTY && msg.any !== undefined && encodeMessage(msg.any.message).length > 0);
    if (taken) this.schemaError('Non-repeated Any specified multiple times.', start, end);
    const inner = this.parseMessage(type);
    msg.any = { url, start, end, message: inner, fieldIndex: frame.fieldCount };
    frame.has[urlSlot.index] = SET;
    frame.has[valueSlot.index] = SET_IF_NONEMPTY;
    // protoc reads no "," or ";" after an expanded Any.
  }

  /**
   * `ident(.ident)*` followed by `terminator` (consumed when it is "/", left current when "]").
   * Reports and returns undefined when malformed.
   */
  private dottedName(terminator: '/' | ']'): string | undefined {
    const lx = this.lx;
    let name = '';
    for (;;) {
      if (lx.kind !== TokenKind.Identifier || lx.bad) {
        if (!lx.bad) this.syntax(`Expected an identifier in the type name, found ${this.describe()}.`, lx.start, lx.end);
        return undefined;
      }
      name += asciiText(this.buf, lx.start, lx.end);
      lx.next();
      if (!lx.isSymbol(Ch.Dot)) break;
      name += '.';
      lx.next();
    }
    const want = terminator === '/' ? Ch.Slash : Ch.RBracket;
    if (!lx.isSymbol(want)) {
      if (!lx.bad) this.syntax(`Expected "${terminator}" in the type name, found ${this.describe()}.`, lx.start, lx.end);
      return undefined;
    }
    if (terminator === '/') lx.next();
    return name;
  }

  /** `[pkg.ext]`: this schema declares no extensions. */
  private parseExtension(type: MessageInfo): void {
    const lx = this.lx;
    const start = lx.start;
    lx.next();
    const name = this.dottedName(']');
    if (name === undefined) {
      this.skipBracketedName();
    } else {
      this.schemaError(`Extension "${name}" is not defined or is not an extension of "${type.fullName}".`, start, lx.end);
      lx.next();
    }
    this.skipFieldValue();
  }

  /** After a malformed `[name`: skip to its `]` (consumed) unless a value or message boundary comes first. */
  private skipBracketedName(): void {
    const lx = this.lx;
    lx.mute();
    while (lx.kind !== TokenKind.End && !lx.isSymbol(Ch.RBracket) && !lx.isSymbol(Ch.LBrace) && !lx.isSymbol(Ch.RBrace)
      && !lx.isSymbol(Ch.LAngle) && !lx.isSymbol(Ch.RAngle) && !lx.isSymbol(Ch.Colon)) lx.next();
    if (lx.isSymbol(Ch.RBracket)) lx.next();
    lx.unmute();
  }

  // -- scalars ---------------------------------------------------------------------------------

  private parseScalar(info: FieldInfo): TextScalar | undefined {
    switch (info.type) {
      case 'string':
      case 'bytes':
        return this.parseString(info);
      case 'bool':
        return this.parseBool(info);
      case 'enum':
        return this.parseEnum(info);
      case 'float':
      case 'double':
        return this.parseFloat(info);
      case 'int32':
      case 'sint32':
      case 'sfixed32':
        return this.parseInteger(info, true, INT32_MAX, false);
      case 'uint32':
      case 'fixed32':
        return this.parseInteger(info, false, UINT32_MAX, false);
      case 'int64':
      case 'sint64':
      case 'sfixed64':
        return this.parseInteger(info, true, INT64_MAX, true);
      default:
        return this.parseInteger(info, false, UINT64_MAX, true);
    }
  }

  /** The value of the current field is missing: its first token already starts the next field. */
  private missingValue(info: FieldInfo): boolean {
    if (this.lx.start !== this.valueStart || !this.atFieldEnd()) return false;
    this.schemaError(`Missing value for field "${info.name}".`, this.valueNameStart, this.valueNameEnd);
    return true;
  }

  private mismatch(info: FieldInfo, expected: string): undefined {
    if (this.missingValue(info)) return undefined;
    this.schemaError(`Expected ${expected} for field "${info.name}", found ${this.describe()}.`, this.lx.start, this.lx.end);
    this.skipScalarValue();
    return undefined;
  }

  /** One or more adjacent string literals, concatenated. */
  private parseString(info: FieldInfo): TextScalar | undefined {
    const lx = this.lx;
    const buf = this.buf;
    if (lx.kind !== TokenKind.String) return this.mismatch(info, 'a string');
    const start = lx.start;
    const firstEnd = lx.end;
    const firstEscaped = lx.escaped;
    let bad = lx.bad;
    lx.next();
    const isBytes = info.type === 'bytes';
    if (lx.kind !== TokenKind.String && !firstEscaped) {
      // One literal without escapes: its bytes are the value.
      if (bad) return undefined;
      const s = start + 1;
      const e = firstEnd - 1;
      if (isBytes) return scalar(copyBytes(buf, s, e), start, firstEnd);
      return scalar(this.strings.get(buf, s, e) ?? copyBytes(buf, s, e), start, firstEnd);
    }
    const out = this.scratch;
    out.reset();
    appendStringLiteral(buf, start, firstEnd, out);
    let end = firstEnd;
    while (lx.kind === TokenKind.String) {
      bad ||= lx.bad;
      appendStringLiteral(buf, lx.start, lx.end, out);
      end = lx.end;
      lx.next();
    }
    if (bad) return undefined;
    if (isBytes) return scalar(out.take(), start, end);
    return scalar(utf8Text(out.bytes, 0, out.length) ?? out.take(), start, end);
  }

  private parseBool(info: FieldInfo): TextScalar | undefined {
    const lx = this.lx;
    const start = lx.start;
    const end = lx.end;
    if (lx.kind === TokenKind.Integer) {
      const v = integerValue(this.buf, start, end);
      lx.next();
      if (v !== 0 && v !== 1) {
        this.schemaError(`Integer out of range (${asciiText(this.buf, start, end)}) for bool field "${info.name}": use 0 or 1.`, start, end);
        return undefined;
      }
      return scalar(v === 1, start, end);
    }
    if (lx.kind !== TokenKind.Identifier) return this.mismatch(info, 'true or false');
    const value = boolWord(this.buf, start, end);
    if (value === undefined && this.missingValue(info)) return undefined;
    lx.next();
    if (value !== undefined) return scalar(value, start, end);
    const word = asciiText(this.buf, start, end);
    this.schemaError(`Invalid value for boolean field "${info.name}". Value: "${word}".`, start, end,
      suggestNames(word, ['true', 'false']));
    return undefined;
  }

  private parseEnum(info: FieldInfo): TextScalar | undefined {
    const lx = this.lx;
    const start = lx.start;
    if (lx.kind === TokenKind.Identifier && info.enumInfo) {
      const end = lx.end;
      let slot = enumTableOf(info.enumInfo).get(lx.hash);
      while (slot && !sameBytes(slot.name, this.buf, start, end)) slot = slot.next;
      if (!slot && this.missingValue(info)) return undefined;
      lx.next();
      if (slot) return scalar(slot.value, start, end);
      const word = asciiText(this.buf, start, end);
      this.schemaError(`Unknown enumeration value of "${word}" for field "${info.name}".`, start, end,
        suggestNames(word, info.enumInfo.valueOf.keys()));
      return undefined;
    }
    if (lx.kind === TokenKind.Integer || lx.isSymbol(Ch.Minus)) {
      // Numbers are taken as they are: proto3 enums are open (protoc keeps unknown numbers).
      return this.parseInteger(info, true, INT32_MAX, false);
    }
    return this.mismatch(info, 'an enum value name or number');
  }

  /** An integer within [-(max + 1), max] when signed, else [0, max]; 64-bit types give bigints. */
  private parseInteger(info: FieldInfo, signed: boolean, max: number | bigint, big: boolean): TextScalar | undefined {
    const lx = this.lx;
    const start = lx.start;
    let negative = false;
    if (lx.isSymbol(Ch.Minus)) {
      if (!signed) return this.mismatch(info, 'an unsigned integer');
      negative = true;
      lx.next();
    }
    if (lx.kind !== TokenKind.Integer) {
      if (lx.bad) {
        this.skipScalarValue();
        return undefined;
      }
      return this.mismatch(info, 'an integer');
    }
    const digitsStart = lx.start;
    const end = lx.end;
    if (lx.bad) {
      lx.next();
      return undefined;
    }
    const v = integerValue(this.buf, digitsStart, end);
    lx.next();
    const outOfRange = typeof v === 'number'
      ? typeof max === 'number' && v > (negative ? max + 1 : max)
      : typeof max === 'number' || v > (negative ? BigInt(max) + 1n : max);
    if (outOfRange) {
      this.schemaError(`Integer out of range (${asciiText(this.buf, digitsStart, end)}) for ${info.type} field "${info.name}".`, digitsStart, end);
      return undefined;
    }
    if (big) return scalar(negative ? -BigInt(v) : BigInt(v), start, end);
    const n = v as number;
    return scalar(negative && n !== 0 ? -n : n, start, end);
  }

  private parseFloat(info: FieldInfo): TextScalar | undefined {
    const lx = this.lx;
    const buf = this.buf;
    const start = lx.start;
    let negative = false;
    if (lx.isSymbol(Ch.Minus)) {
      negative = true;
      lx.next();
    }
    if (lx.bad) {
      this.skipScalarValue();
      return undefined;
    }
    const end = lx.end;
    let v: number;
    if (lx.kind === TokenKind.Integer) {
      if (!isDecimalInteger(buf, lx.start, end)) {
        this.schemaError(`Expect a decimal number, got: ${asciiText(buf, lx.start, end)}`, lx.start, end);
        lx.next();
        return undefined;
      }
      v = floatValue(buf, lx.start, end);
    } else if (lx.kind === TokenKind.Float) {
      v = floatValue(buf, lx.start, end);
    } else if (lx.kind === TokenKind.Identifier) {
      const word = asciiText(buf, lx.start, end).toLowerCase();
      if (word === 'inf' || word === 'infinity') v = Infinity;
      else if (word === 'nan') v = NaN;
      else return this.mismatch(info, 'a number, inf or nan');
    } else {
      return this.mismatch(info, 'a number');
    }
    lx.next();
    if (Number.isNaN(v)) return scalar(negative ? NEGATIVE_NAN : NaN, start, end);
    if (negative) v = -v;
    return scalar(info.type === 'float' ? safeDoubleToFloat(v) : v, start, end);
  }

  // -- recovery --------------------------------------------------------------------------------

  /** At a `}`/`>`, the end of input, or the next field (`name:` / `name {`): no value here. */
  private atFieldEnd(): boolean {
    const lx = this.lx;
    if (lx.kind === TokenKind.End) return true;
    if (lx.kind === TokenKind.Symbol) return lx.sym === Ch.RBrace || lx.sym === Ch.RAngle;
    if (lx.kind !== TokenKind.Identifier) return false;
    const next = lx.peekSymbol();
    return next === Ch.Colon || next === Ch.LBrace || next === Ch.LAngle;
  }

  /** Skip one scalar value: an optional `-`, then adjacent strings or one word or number. */
  private skipScalarValue(): void {
    const lx = this.lx;
    lx.mute();
    if (lx.isSymbol(Ch.Minus)) lx.next();
    if (lx.kind === TokenKind.String) {
      while (lx.kind === TokenKind.String) lx.next();
    } else if (lx.kind === TokenKind.Integer || lx.kind === TokenKind.Float || (lx.kind === TokenKind.Identifier && !this.atFieldEnd())) {
      lx.next();
    } else if (lx.kind === TokenKind.Symbol && lx.bad) {
      lx.next();
    }
    lx.unmute();
  }

  /** Skip the value of a field we cannot parse (unknown name, bad extension), as protoc's SkipField does. */
  private skipFieldValue(): void {
    const lx = this.lx;
    lx.mute();
    const colon = lx.isSymbol(Ch.Colon);
    if (colon) lx.next();
    if (lx.isSymbol(Ch.LBrace) || lx.isSymbol(Ch.LAngle) || lx.isSymbol(Ch.LBracket)) this.skipBalancedOrStep();
    else if (colon) this.skipScalarValue();
    else this.resync(); // neither `name: value` nor `name {`: a stray word, not a field
    lx.unmute();
    if (lx.isSymbol(Ch.Semicolon) || lx.isSymbol(Ch.Comma)) lx.next();
  }

  /** Skip from an opening `{`, `<` or `[` to its matching close (consumed). False if the input ended first. */
  private skipBalanced(): boolean {
    const lx = this.lx;
    lx.mute();
    let depth = 0;
    do {
      if (lx.kind === TokenKind.Symbol) {
        const c = lx.sym;
        if (c === Ch.LBrace || c === Ch.LAngle || c === Ch.LBracket) depth++;
        else if (c === Ch.RBrace || c === Ch.RAngle || c === Ch.RBracket) depth--;
      }
      lx.next();
    } while (depth > 0 && lx.kind !== TokenKind.End);
    lx.unmute();
    return depth <= 0;
  }

  /**
   * Skip a bracketed block, or when it never closes (a typo'd or missing close), only its opening
   * token, so the text after it is still parsed.
   */
  private skipBalancedOrStep(): void {
    const lx = this.lx;
    if (this.unbalanced) {
      lx.next();
      return;
    }
    const saved = lx.save();
    if (this.skipBalanced()) return;
    this.unbalanced = true; // later attempts would rescan to the end again: stop trying
    lx.restore(saved);
    lx.next();
  }

  /**
   * After a bad token where a field should start: skip to the next field (`name:` / `name {`), the
   * end of this message or of the input. Blocks met on the way are skipped whole.
   */
  private resync(): void {
    const lx = this.lx;
    lx.mute();
    for (;;) {
      if (lx.kind === TokenKind.End) break;
      if (lx.kind === TokenKind.Symbol) {
        const c = lx.sym;
        if (c === Ch.RBrace || c === Ch.RAngle) break;
        if (c === Ch.LBrace || c === Ch.LAngle) {
          this.skipBalancedOrStep();
          continue;
        }
      } else if (lx.kind === TokenKind.Identifier && !lx.bad) {
        const next = lx.peekSymbol();
        if (next === Ch.Colon || next === Ch.LBrace || next === Ch.LAngle) break;
      }
      lx.next();
    }
    lx.unmute();
  }
}
