// The protobuf text-format parser, driven by the schema tables. It accepts what protoc 3.21's
// TextFormat::Parser accepts (as `protoc --encode` runs it) and rejects what it rejects, but where
// protoc stops at the first error this parser records a diagnostic, skips the broken field or value
// and goes on, so one typo gives one error. It works on bytes: offsets are byte offsets, and texts
// larger than a JS string can hold parse.
//
// This file parses messages and fields; the rest is split by concept: scalarParser.ts (values),
// anyExpansion.ts (`[...]` names), parseRecovery.ts (skipping after errors), messageFrame.ts
// (presence per message), parseTables.ts (lookups by name), parseReporter.ts (diagnostics), and
// the lexer, textLexer.ts, with stringLiteral.ts and numberLiteral.ts for literal values. The tree
// goes into a TextStore (textStore.ts): values are checked here and decoded when asked for.
import { AnyExpansionParser } from './anyExpansion';
import { MessageFrame, ValueState } from './messageFrame';
import { ParseRecovery } from './parseRecovery';
import { ParseReporter } from './parseReporter';
import { FieldSlot, MessageTable, ParseTables } from './parseTables';
import { FieldInfo, loadSchema, MessageInfo, Schema } from '../protobuf';
import { ScalarParser } from './scalarParser';
import { suggestNames } from './nameSuggestions';
import { asciiText, TextLexer, TokenKind } from './textLexer';
import { storedRoot } from './storedTree';
import * as symbols from './textSymbols';
import { ELEMENT, RecordKind, TextStore } from './textStore';
import { isDefaultScalar, ParseResult, recordParseErrors, TextError } from './textTree';

/** Deeper messages are reported and skipped (protoc's binary parser already refuses depth 100). */
export const MAX_NESTING = 1000;
/** Parsing stops after this many errors (a binary file read as text would give one per few bytes). */
export const MAX_ERRORS = 500;

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use, which showed on large texts.
const { COLON, COMMA, LANGLE, LBRACE, LBRACKET, MINUS, RANGLE, RBRACE, RBRACKET, SEMICOLON } = symbols;

/**
 * Parse `bytes` as a text-format message of `typeName`. Never throws on any input; throws only for
 * a type name the schema does not know.
 */
export function parseText(bytes: Uint8Array, typeName = 'tensorflow.SavedModel'): ParseResult {
  const schema = loadSchema();
  const type = schema.message(typeName);
  const errors: TextError[] = [];
  const store = new TextStore(bytes);
  try {
    new Parser(bytes, schema, errors, store).parseRoot(type);
  } catch (e) {
    // A bug must not take the editor down: report it, and drop the tree (its open records are not closed).
    store.truncate(0);
    errors.push({ code: 'syntax-error', message: `internal parser error: ${(e as Error).message}`, start: 0, end: 0 });
  }
  const root = storedRoot(store, type);
  recordParseErrors(root, errors);
  return { root, errors };
}

class Parser {
  private readonly lx: TextLexer;
  private readonly reporter: ParseReporter;
  private readonly recovery: ParseRecovery;
  private readonly scalars: ScalarParser;
  private readonly brackets: AnyExpansionParser;
  private readonly tables = new ParseTables();
  private readonly frames: MessageFrame[] = [];
  private depth = 0;
  /** Messages nested deeper than this frame index are being closed for a missing `}`. */
  private closeAbove = Infinity;
  private unclosedReported = false;

  constructor(private readonly buf: Uint8Array, schema: Schema, errors: TextError[], private readonly store: TextStore) {
    const reporter = new ParseReporter(errors, MAX_ERRORS);
    this.reporter = reporter;
    this.lx = new TextLexer(buf, (message, start, end) => reporter.syntax(message, start, end));
    this.recovery = new ParseRecovery(this.lx);
    this.scalars = new ScalarParser(this.lx, this.tables, reporter, this.recovery, false);
    this.brackets = new AnyExpansionParser(this.lx, schema, reporter, this.recovery, store, (type, r) => this.parseMessage(type, r));
  }

  parseRoot(type: MessageInfo): void {
    this.parseBody(type, -1, -1, 0);
  }

  /**
   * The fields of message record r (-1: the root) until the closing delimiter `close` (consumed),
   * or the end of input for the root (close -1).
   */
  private parseBody(type: MessageInfo, r: number, close: number, openStart: number): void {
    const lx = this.lx;
    const table = this.tables.message(type);
    const level = this.depth;
    let frame = this.frames[level];
    if (!frame) frame = this.frames[level] = new MessageFrame();
    frame.reset(table, openStart);
    this.depth++;
    let end = openStart;
    for (;;) {
      if (this.reporter.full && lx.kind !== TokenKind.End) lx.finish();
      if (level > this.closeAbove) {
        end = lx.lastEnd;
        break;
      }
      this.closeAbove = Infinity;
      if (lx.kind === TokenKind.End) {
        if (close >= 0) this.unclosed(openStart, close);
        end = lx.start;
        break;
      }
      if (lx.kind === TokenKind.Symbol && (lx.sym === RBRACE || lx.sym === RANGLE)) {
        if (close < 0) {
          this.reporter.syntax(`Unmatched "${String.fromCharCode(lx.sym)}": no message is open here.`, lx.start, lx.end);
          lx.next();
          continue;
        }
        if (lx.sym !== close) this.reporter.syntax(`Expected "${String.fromCharCode(close)}", found "${String.fromCharCode(lx.sym)}".`, lx.start, lx.end);
        end = lx.end;
        lx.next();
        break;
      }
      if (frame.indentUnseen) frame.indent = this.lineIndent(lx.start);
      const before = lx.start;
      this.parseField(table, frame);
      if (lx.start === before && (lx.kind as TokenKind) !== TokenKind.End && level <= this.closeAbove) lx.next(); // never loop without progress
    }
    if (r >= 0) this.store.close(r, end);
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
      if (outer.indent !== column || !outer.table?.field(this.buf, nameStart, nameEnd, hash)) continue;
      const open = this.frames[level + 1].openStart;
      this.reporter.syntax(`Missing "}": the "{" here is not closed before "${asciiText(this.buf, nameStart, nameEnd)}".`, open, open + 1);
      this.closeAbove = level;
      return true;
    }
    return false;
  }

  private unclosed(openStart: number, close: number): void {
    if (this.unclosedReported || this.reporter.full) return;
    this.unclosedReported = true; // only the innermost: the outer ones are open because of it
    const open = close === RBRACE ? '{' : '<';
    this.reporter.syntax(`"${open}" is never closed: expected "${String.fromCharCode(close)}" before the end of input.`, openStart, openStart + 1);
  }

  private parseField(table: MessageTable, frame: MessageFrame): void {
    const lx = this.lx;
    if (lx.kind === TokenKind.Identifier) {
      const nameStart = lx.start;
      const nameEnd = lx.end;
      if (lx.bad) {
        lx.next();
        this.recovery.skipFieldValue();
        return;
      }
      const slot = table.field(this.buf, nameStart, nameEnd, lx.hash);
      if (!slot && this.closedForDedent(frame, nameStart, nameEnd, lx.hash)) return;
      lx.next();
      if (!slot) {
        this.unknownField(table.type, nameStart, nameEnd);
        this.recovery.skipFieldValue();
        return;
      }
      this.parseKnownField(frame, slot, nameStart, nameEnd);
      return;
    }
    if (lx.isSymbol(LBRACKET)) {
      if (table.isAny) this.brackets.parseAny(frame);
      else this.brackets.parseExtension(table.type);
      return;
    }
    if (!lx.bad) this.reporter.syntax(`Expected a field name, got ${lx.describe()}.`, lx.start, lx.end);
    this.recovery.resync();
  }

  private unknownField(type: MessageInfo, start: number, end: number): void {
    const name = asciiText(this.buf, start, end);
    const suggestions = suggestNames(name, type.fields.map((f) => f.name));
    const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '';
    this.reporter.schemaError(`Message type "${type.fullName}" has no field named "${name}".${hint}`, start, end, suggestions);
  }

  private parseKnownField(frame: MessageFrame, slot: FieldSlot, nameStart: number, nameEnd: number): void {
    const lx = this.lx;
    const store = this.store;
    const info = slot.info;
    if (!info.repeated) {
      const refused = frame.presenceError(slot);
      if (refused) this.reporter.schemaError(refused, nameStart, nameEnd);
    }
    if (lx.isSymbol(COLON)) {
      lx.next();
    } else if (info.type !== 'message') {
      if (this.recovery.atFieldEnd()) {
        this.reporter.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
        return;
      }
      this.reporter.syntax(`Expected ":" after field name "${info.name}", found ${lx.describe()}.`, lx.start, lx.end);
    }
    const r = store.add(slot.id, RecordKind.Empty, nameStart);
    let state = ValueState.None;
    if (lx.isSymbol(LBRACKET)) {
      if (info.repeated) {
        store.setKind(r, RecordKind.List);
        this.parseList(info, slot.id, nameStart, nameEnd);
      } else {
        this.reporter.schemaError(`Field "${info.name}" is not repeated: a [ ] list is not allowed.`, lx.start, lx.end);
        this.recovery.skipBalanced();
      }
      store.close(r, Math.max(nameEnd, lx.lastEnd));
    } else {
      state = this.parseValue(info, r, 0, nameStart, nameEnd);
      const occEnd = Math.max(nameEnd, lx.lastEnd);
      if (state === ValueState.None) store.close(r, occEnd);
      else if (store.end(r) !== occEnd) store.occurrenceEnds.set(r, occEnd);
    }
    if (!info.repeated) frame.notePresence(slot, state);
    if (lx.isSymbol(SEMICOLON) || lx.isSymbol(COMMA)) lx.next();
  }

  /** `[a, b, ...]` for a repeated field: one element record each; the current token is `[`. */
  private parseList(info: FieldInfo, id: number, nameStart: number, nameEnd: number): void {
    const lx = this.lx;
    lx.next();
    if (lx.isSymbol(RBRACKET)) {
      lx.next();
      return;
    }
    for (;;) {
      const before = lx.start;
      if (lx.isSymbol(COMMA) || lx.isSymbol(RBRACKET)) {
        this.reporter.syntax(`Expected a value in the list of field "${info.name}", found ${lx.describe()}.`, lx.start, lx.end);
      } else {
        const e = this.store.add(id, RecordKind.Empty | ELEMENT, lx.start);
        // A failed value adds no records after its own: drop it.
        if (this.parseValue(info, e, ELEMENT, nameStart, nameEnd) === ValueState.None) this.store.truncate(e);
      }
      if (!this.listSeparator(info) || lx.start === before) return;
    }
  }

  /** After a list element: true at `,` (consumed, another element follows), false at the end of the list. */
  private listSeparator(info: FieldInfo): boolean {
    const lx = this.lx;
    for (;;) {
      if (lx.isSymbol(RBRACKET)) {
        lx.next();
        return false;
      }
      if (lx.isSymbol(COMMA)) {
        lx.next();
        return true;
      }
      if (this.recovery.atFieldEnd()) {
        this.reporter.syntax(`Expected "]" to close the list of field "${info.name}", found ${lx.describe()}.`, lx.start, lx.end);
        return false;
      }
      if (!lx.bad) this.reporter.syntax(`Expected "," or "]" in the list of field "${info.name}", found ${lx.describe()}.`, lx.start, lx.end);
      // A stray symbol is skipped; anything else is taken as the next element (a missing comma).
      if (lx.kind !== TokenKind.Symbol || this.atValueSymbol()) return true;
      lx.next();
    }
  }

  private atValueSymbol(): boolean {
    const lx = this.lx;
    return lx.sym === MINUS || lx.sym === LBRACE || lx.sym === LANGLE;
  }

  /**
   * One value of the field (named at [nameStart, nameEnd)) into record r, which it gives its kind
   * (plus `bits`) and end; ValueState.None after reporting an error.
   */
  private parseValue(info: FieldInfo, r: number, bits: number, nameStart: number, nameEnd: number): ValueState {
    const lx = this.lx;
    const isOpen = lx.isSymbol(LBRACE) || lx.isSymbol(LANGLE);
    if (info.type === 'message') {
      if (isOpen && info.message) {
        this.store.setKind(r, RecordKind.Message | bits);
        this.parseMessage(info.message, r);
        return ValueState.Set;
      }
      if (this.recovery.atFieldEnd()) {
        this.reporter.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
      } else {
        if (!lx.bad) this.reporter.schemaError(`Field "${info.name}" is a message: expected "{", found ${lx.describe()}.`, lx.start, lx.end);
        this.recovery.skipScalarValue();
      }
      return ValueState.None;
    }
    if (isOpen) {
      this.reporter.schemaError(`Field "${info.name}" holds a ${info.type}, not a message.`, lx.start, lx.end);
      this.recovery.skipBalanced();
      return ValueState.None;
    }
    // An identifier is checked for being the next field only when it is no valid value (ScalarParser.mismatch).
    if (lx.kind !== TokenKind.Identifier && this.recovery.atFieldEnd()) {
      this.reporter.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
      return ValueState.None;
    }
    if (lx.bad) {
      this.recovery.skipScalarValue();
      return ValueState.None;
    }
    const v = this.scalars.parse(info, nameStart, nameEnd);
    if (v === undefined) return ValueState.None;
    this.store.setKind(r, RecordKind.Scalar | bits);
    this.store.close(r, lx.lastEnd);
    return isDefaultScalar(v) ? ValueState.Default : ValueState.Set;
  }

  /** A nested message into record r (its start is the current token, `{` or `<`). */
  private parseMessage(type: MessageInfo, r: number): void {
    const lx = this.lx;
    const start = lx.start;
    const close = lx.sym === LBRACE ? RBRACE : RANGLE;
    if (this.depth >= MAX_NESTING) {
      this.reporter.syntax(`Messages nested deeper than ${MAX_NESTING} levels are not supported.`, start, lx.end);
      this.recovery.skipBalanced();
      this.store.close(r, lx.lastEnd);
      return;
    }
    lx.next();
    this.parseBody(type, r, close, start);
  }
}
