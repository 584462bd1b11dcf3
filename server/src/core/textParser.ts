// The protobuf text-format parser, driven by the schema tables. It accepts what protoc 3.21's
// TextFormat::Parser accepts (as `protoc --encode` runs it) and rejects what it rejects, but where
// protoc stops at the first error this parser records a diagnostic, skips the broken field or value
// and goes on, so one typo gives one error. It works on bytes: offsets are byte offsets, and texts
// larger than a JS string can hold parse.
//
// This file parses messages and fields; the rest is split by concept: scalarParser.ts (values),
// anyExpansion.ts (`[...]` names), parseRecovery.ts (skipping after errors), messageFrame.ts
// (presence per message), parseTables.ts (lookups by name), parseReporter.ts (diagnostics), and
// the lexer, textLexer.ts, with stringLiteral.ts and numberLiteral.ts for literal values.
import { AnyExpansionParser } from './anyExpansion';
import { MessageFrame } from './messageFrame';
import { ParseRecovery } from './parseRecovery';
import { ParseReporter } from './parseReporter';
import { FieldSlot, MessageTable, ParseTables } from './parseTables';
import { FieldInfo, loadSchema, MessageInfo, Schema } from './schema';
import { ScalarParser } from './scalarParser';
import { suggestNames } from './nameSuggestions';
import { asciiText, TextLexer, TokenKind } from './textLexer';
import * as symbols from './textSymbols';
import { ParseResult, recordParseErrors, TextError, TextField, TextMessage, TextValue } from './textTree';

/** Deeper messages are reported and skipped (protoc's binary parser already refuses depth 100). */
export const MAX_NESTING = 1000;
/** Parsing stops after this many errors (a binary file read as text would give one per few bytes). */
export const MAX_ERRORS = 500;

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use, which showed on large texts.
const { COLON, COMMA, LANGLE, LBRACE, LBRACKET, MINUS, RANGLE, RBRACE, RBRACKET, SEMICOLON } = symbols;

const NO_FIELDS: readonly TextField[] = Object.freeze([]);

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

  constructor(private readonly buf: Uint8Array, schema: Schema, errors: TextError[]) {
    const reporter = new ParseReporter(errors, MAX_ERRORS);
    this.reporter = reporter;
    this.lx = new TextLexer(buf, (message, start, end) => reporter.syntax(message, start, end));
    this.recovery = new ParseRecovery(this.lx);
    this.scalars = new ScalarParser(this.lx, this.tables, reporter, this.recovery);
    this.brackets = new AnyExpansionParser(this.lx, schema, reporter, this.recovery, (type) => this.parseMessage(type));
  }

  parseRoot(root: TextMessage): void {
    this.parseBody(root, -1, 0);
  }

  /** Fields until the closing delimiter `close` (consumed), or the end of input for the root (close -1). */
  private parseBody(msg: TextMessage, close: number, openStart: number): void {
    const lx = this.lx;
    const table = this.tables.message(msg.type);
    const level = this.depth;
    let frame = this.frames[level];
    if (!frame) frame = this.frames[level] = new MessageFrame();
    frame.reset(table, openStart);
    this.depth++;
    for (;;) {
      if (this.reporter.full && lx.kind !== TokenKind.End) lx.finish();
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
      if (lx.kind === TokenKind.Symbol && (lx.sym === RBRACE || lx.sym === RANGLE)) {
        if (close < 0) {
          this.reporter.syntax(`Unmatched "${String.fromCharCode(lx.sym)}": no message is open here.`, lx.start, lx.end);
          lx.next();
          continue;
        }
        if (lx.sym !== close) this.reporter.syntax(`Expected "${String.fromCharCode(close)}", found "${String.fromCharCode(lx.sym)}".`, lx.start, lx.end);
        msg.end = lx.end;
        lx.next();
        break;
      }
      if (frame.indentUnseen) frame.indent = this.lineIndent(lx.start);
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

  private parseField(msg: TextMessage, table: MessageTable, frame: MessageFrame): void {
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
        this.unknownField(msg.type, nameStart, nameEnd);
        this.recovery.skipFieldValue();
        return;
      }
      this.parseKnownField(msg, frame, slot, nameStart, nameEnd);
      return;
    }
    if (lx.isSymbol(LBRACKET)) {
      if (table.isAny) this.brackets.parseAny(msg, frame);
      else this.brackets.parseExtension(msg.type);
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

  private parseKnownField(msg: TextMessage, frame: MessageFrame, slot: FieldSlot, nameStart: number, nameEnd: number): void {
    const lx = this.lx;
    const info = slot.info;
    if (!info.repeated) {
      const refused = frame.presenceError(msg, slot);
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
    let values: TextValue[];
    if (lx.isSymbol(LBRACKET)) {
      if (info.repeated) {
        values = this.parseList(info, nameStart, nameEnd);
      } else {
        this.reporter.schemaError(`Field "${info.name}" is not repeated: a [ ] list is not allowed.`, lx.start, lx.end);
        this.recovery.skipBalanced();
        values = [];
      }
    } else {
      // Sized to its one value: most occurrences hold one, and an empty array grows to 16 slots.
      const v = this.parseValue(info, nameStart, nameEnd);
      values = v ? [v] : [];
    }
    const occ: TextField = { info, nameStart, nameEnd, end: Math.max(nameEnd, lx.lastEnd), values };
    frame.fields[frame.fieldCount++] = occ;
    if (!info.repeated) frame.notePresence(slot, values);
    if (lx.isSymbol(SEMICOLON) || lx.isSymbol(COMMA)) lx.next();
  }

  /** `[a, b, ...]` for a repeated field; the current token is `[`. */
  private parseList(info: FieldInfo, nameStart: number, nameEnd: number): TextValue[] {
    const lx = this.lx;
    const values: TextValue[] = [];
    lx.next();
    if (lx.isSymbol(RBRACKET)) {
      lx.next();
      return values;
    }
    for (;;) {
      const before = lx.start;
      if (lx.isSymbol(COMMA) || lx.isSymbol(RBRACKET)) {
        this.reporter.syntax(`Expected a value in the list of field "${info.name}", found ${lx.describe()}.`, lx.start, lx.end);
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

  /** One value of the field (named at [nameStart, nameEnd)); undefined after reporting an error. */
  private parseValue(info: FieldInfo, nameStart: number, nameEnd: number): TextValue | undefined {
    const lx = this.lx;
    const isOpen = lx.isSymbol(LBRACE) || lx.isSymbol(LANGLE);
    if (info.type === 'message') {
      if (isOpen && info.message) return this.parseMessage(info.message);
      if (this.recovery.atFieldEnd()) {
        this.reporter.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
      } else {
        if (!lx.bad) this.reporter.schemaError(`Field "${info.name}" is a message: expected "{", found ${lx.describe()}.`, lx.start, lx.end);
        this.recovery.skipScalarValue();
      }
      return undefined;
    }
    if (isOpen) {
      this.reporter.schemaError(`Field "${info.name}" holds a ${info.type}, not a message.`, lx.start, lx.end);
      this.recovery.skipBalanced();
      return undefined;
    }
    // An identifier is checked for being the next field only when it is no valid value (ScalarParser.mismatch).
    if (lx.kind !== TokenKind.Identifier && this.recovery.atFieldEnd()) {
      this.reporter.schemaError(`Missing value for field "${info.name}".`, nameStart, nameEnd);
      return undefined;
    }
    if (lx.bad) {
      this.recovery.skipScalarValue();
      return undefined;
    }
    return this.scalars.parse(info, nameStart, nameEnd);
  }

  /** A nested message; the current token is `{` or `<`. */
  private parseMessage(type: MessageInfo): TextMessage {
    const lx = this.lx;
    const start = lx.start;
    const close = lx.sym === LBRACE ? RBRACE : RANGLE;
    const msg: TextMessage = { kind: 'message', type, start, end: start, fields: NO_FIELDS };
    if (this.depth >= MAX_NESTING) {
      this.reporter.syntax(`Messages nested deeper than ${MAX_NESTING} levels are not supported.`, start, lx.end);
      this.recovery.skipBalanced();
      msg.end = lx.lastEnd;
      return msg;
    }
    lx.next();
    this.parseBody(msg, close, start);
    return msg;
  }
}
