// Bracketed field names: `[type.googleapis.com/pkg.Msg] { ... }`, the expanded form of a
// google.protobuf.Any (protoc packs the message into the Any's value), and `[pkg.ext]`,
// extensions, which this schema does not declare.
import { MessageFrame } from './messageFrame';
import { ParseRecovery } from './parseRecovery';
import { ParseReporter } from './parseReporter';
import { MessageInfo, Schema } from '../protobuf';
import { asciiText, TextLexer, TokenKind } from './textLexer';
import { storedMessage } from './storedTree';
import { encodeMessage } from './textEncoder';
import { COLON, DOT, LANGLE, LBRACE, RANGLE, RBRACE, RBRACKET, SLASH } from './textSymbols';
import { ANY_FIELD_ID, RecordKind, TextStore } from './textStore';

const ANY_PREFIXES = new Set(['type.googleapis.com/', 'type.googleprod.com/']);

export class AnyExpansionParser {
  constructor(
    private readonly lx: TextLexer,
    private readonly schema: Schema,
    private readonly reporter: ParseReporter,
    private readonly recovery: ParseRecovery,
    private readonly store: TextStore,
    /** Parses a nested message into record r; the current token is its `{` or `<`. */
    private readonly parseMessage: (type: MessageInfo, r: number) => void,
  ) {}

  /** `[type.googleapis.com/pkg.Msg] { ... }` in an Any (whose frame is `frame`); the current token is `[`. */
  parseAny(frame: MessageFrame): void {
    const lx = this.lx;
    const start = lx.start;
    lx.next();
    const prefix = this.dottedName('/');
    const fullName = prefix === undefined ? undefined : this.dottedName(']');
    if (prefix === undefined || fullName === undefined) {
      this.skipBracketedName();
      this.recovery.skipFieldValue();
      return;
    }
    const end = lx.end;
    lx.next();
    const url = `${prefix}/${fullName}`;
    if (lx.isSymbol(COLON)) lx.next();
    const type = ANY_PREFIXES.has(`${prefix}/`) ? findAnyType(this.schema, fullName) : undefined;
    if (!type) {
      this.reporter.schemaError(`Could not find type "${url}" stored in google.protobuf.Any.`, start, end);
      this.recovery.skipFieldValue();
      return;
    }
    if (!(lx.isSymbol(LBRACE) || lx.isSymbol(LANGLE))) {
      if (!lx.bad) this.reporter.syntax(`Expected "{" after the Any type URL, found ${lx.describe()}.`, lx.start, lx.end);
      this.recovery.skipScalarValue();
      return;
    }
    if (frame.anyIsSet()) this.reporter.schemaError('Non-repeated Any specified multiple times.', start, end);
    const r = this.store.add(ANY_FIELD_ID, RecordKind.AnyExpansion, start);
    this.store.anys.set(r, { url, type, start, end, messageStart: lx.start });
    this.parseMessage(type, r);
    frame.noteAnyExpansion(encodeMessage(storedMessage(this.store, r, type)).length > 0);
    // protoc reads no "," or ";" after an expanded Any.
  }

  /** `[pkg.ext]`: this schema declares no extensions. */
  parseExtension(type: MessageInfo): void {
    const lx = this.lx;
    const start = lx.start;
    lx.next();
    const name = this.dottedName(']');
    if (name === undefined) {
      this.skipBracketedName();
    } else {
      this.reporter.schemaError(`Extension "${name}" is not defined or is not an extension of "${type.fullName}".`, start, lx.end);
      lx.next();
    }
    this.recovery.skipFieldValue();
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
        if (!lx.bad) this.reporter.syntax(`Expected an identifier in the type name, found ${lx.describe()}.`, lx.start, lx.end);
        return undefined;
      }
      name += asciiText(lx.buf, lx.start, lx.end);
      lx.next();
      if (!lx.isSymbol(DOT)) break;
      name += '.';
      lx.next();
    }
    const want = terminator === '/' ? SLASH : RBRACKET;
    if (!lx.isSymbol(want)) {
      if (!lx.bad) this.reporter.syntax(`Expected "${terminator}" in the type name, found ${lx.describe()}.`, lx.start, lx.end);
      return undefined;
    }
    if (terminator === '/') lx.next();
    return name;
  }

  /** After a malformed `[name`: skip to its `]` (consumed) unless a value or message boundary comes first. */
  private skipBracketedName(): void {
    const lx = this.lx;
    lx.mute();
    while (lx.kind !== TokenKind.End && !lx.isSymbol(RBRACKET) && !lx.isSymbol(LBRACE) && !lx.isSymbol(RBRACE)
      && !lx.isSymbol(LANGLE) && !lx.isSymbol(RANGLE) && !lx.isSymbol(COLON)) lx.next();
    if (lx.isSymbol(RBRACKET)) lx.next();
    lx.unmute();
  }
}

/** A message type for an Any URL, map entry types included (protoc finds those in its pool too). */
function findAnyType(schema: Schema, fullName: string): MessageInfo | undefined {
  const found = schema.findMessage(fullName);
  if (found) return found;
  const owner = schema.findMessage(fullName.slice(0, Math.max(0, fullName.lastIndexOf('.'))));
  return owner?.fields.find((f) => f.message?.isMapEntry && f.message.fullName === fullName)?.message;
}
