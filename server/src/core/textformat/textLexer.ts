// Tokens of the protobuf text format, read straight from bytes. The rules follow protoc 3.21's
// io::Tokenizer as its text parser configures it: `#` comments, an `f` allowed after floats, no
// multi-line strings, a space required between a number and a letter, control characters and
// non-ASCII bytes rejected outside strings. A lexical error is reported once and marks its token
// bad, so the parser can skip that token instead of adding errors for the same typo. The values
// of literal tokens are read by stringLiteral.ts and numberLiteral.ts.
import * as classes from './lexClasses';

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use, and these are read for every byte of the text.
const { ALNUM, CLASS, DIGIT, HEX, LETTER, OCTAL, SIMPLE_ESCAPE } = classes;

const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });

export const enum TokenKind { End, Identifier, Integer, Float, String, Symbol }

/** Receives lexical errors as byte ranges. */
export type LexErrorSink = (message: string, start: number, end: number) => void;

/** Everything needed to resume lexing from a token (for lookahead and for abandoned skips). */
export interface LexState {
  readonly pos: number;
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  readonly sym: number;
  readonly hash: number;
  readonly escaped: boolean;
  readonly bad: boolean;
  readonly prevKind: TokenKind;
  readonly prevEnd: number;
}

/** Hash of identifier bytes, as the lexer computes it for interning names. */
export function identifierHash(name: Uint8Array): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name[i]) | 0;
  return h;
}

/** The current token is held in public fields; `next()` advances. */
export class TextLexer {
  kind: TokenKind = TokenKind.End;
  start = 0;
  end = 0;
  /** Char code of a Symbol token. */
  sym = 0;
  /** identifierHash of an Identifier token. */
  hash = 0;
  /** A String token containing a backslash (its bytes need unescaping). */
  escaped = false;
  /** A lexical error was reported in this token. */
  bad = false;
  private pos = 0;
  private prevKind: TokenKind = TokenKind.End;
  private prevEnd = -1;
  private muted = 0;

  constructor(readonly buf: Uint8Array, private readonly report: LexErrorSink) {
    this.next();
  }

  /** End of the token before the current one (the last one consumed). */
  get lastEnd(): number {
    return this.prevEnd;
  }

  /** Suppress error reports (while skipping text already reported, or looking ahead). */
  mute(): void {
    this.muted++;
  }

  unmute(): void {
    this.muted--;
  }

  save(): LexState {
    return {
      pos: this.pos, kind: this.kind, start: this.start, end: this.end, sym: this.sym, hash: this.hash,
      escaped: this.escaped, bad: this.bad, prevKind: this.prevKind, prevEnd: this.prevEnd,
    };
  }

  restore(s: LexState): void {
    this.pos = s.pos;
    this.kind = s.kind;
    this.start = s.start;
    this.end = s.end;
    this.sym = s.sym;
    this.hash = s.hash;
    this.escaped = s.escaped;
    this.bad = s.bad;
    this.prevKind = s.prevKind;
    this.prevEnd = s.prevEnd;
  }

  /** Char code of the token after the current one when it is a symbol, else -1. */
  peekSymbol(): number {
    // Hot (after every identifier value): save and restore in locals rather than a LexState.
    const { pos, kind, start, end, sym, hash, escaped, bad, prevKind, prevEnd } = this;
    this.muted++;
    this.next();
    const next = this.kind === TokenKind.Symbol ? this.sym : -1;
    this.muted--;
    this.pos = pos;
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.sym = sym;
    this.hash = hash;
    this.escaped = escaped;
    this.bad = bad;
    this.prevKind = prevKind;
    this.prevEnd = prevEnd;
    return next;
  }

  isSymbol(c: number): boolean {
    return this.kind === TokenKind.Symbol && this.sym === c;
  }

  /** The current token, quoted for messages. */
  describe(): string {
    if (this.kind === TokenKind.End) return 'end of input';
    const end = Math.min(this.end, this.start + 40);
    const text = utf8Lenient.decode(this.buf.subarray(this.start, end));
    return `"${text}${end < this.end ? '…' : ''}"`;
  }

  /** Lex from pos on, as if the text began there (to decode a value parsed before). */
  seek(pos: number): void {
    this.pos = pos;
    this.kind = TokenKind.End;
    this.end = -1;
    this.next();
  }

  /** Jump to the end of the input. */
  finish(): void {
    this.pos = this.buf.length;
    this.next();
  }

  next(): void {
    this.prevKind = this.kind;
    this.prevEnd = this.end;
    this.bad = false;
    this.escaped = false;
    const pos = this.skipBlanks(this.pos);
    this.start = pos;
    if (pos >= this.buf.length) {
      this.kind = TokenKind.End;
      this.end = this.pos = pos;
      return;
    }
    const end = this.scanToken(pos);
    this.end = this.pos = end;
  }

  /** Skip whitespace, comments and (reported) control characters. */
  private skipBlanks(pos: number): number {
    const buf = this.buf;
    const len = buf.length;
    while (pos < len) {
      const c = buf[pos];
      if (c === 32 || (c >= 9 && c <= 13)) {
        pos++;
      } else if (c === 35) {
        // A comment runs to the newline; protoc also stops at a NUL, which is then an error.
        pos++;
        while (pos < len && buf[pos] !== 10 && buf[pos] !== 0) pos++;
      } else if (c < 32) {
        const s = pos++;
        while (pos < len && buf[pos] < 32 && !(buf[pos] >= 9 && buf[pos] <= 13)) pos++;
        this.loose('Invalid control characters encountered in text.', s, pos);
      } else {
        break;
      }
    }
    return pos;
  }

  private scanToken(pos: number): number {
    const buf = this.buf;
    const c = buf[pos];
    const cls = CLASS[c];
    if (cls & LETTER) return this.scanIdentifier(pos);
    if (cls & DIGIT) return this.scanNumber(pos + 1, c === 48, false);
    if (c === 46 && pos + 1 < buf.length && CLASS[buf[pos + 1]] & DIGIT) {
      if (this.prevKind === TokenKind.Identifier && this.prevEnd === pos) {
        this.fail('Need space between identifier and decimal point.', pos, pos + 1);
      }
      return this.scanNumber(pos + 2, false, true);
    }
    if (c === 34 || c === 39) {
      this.kind = TokenKind.String;
      return this.scanString(pos, c);
    }
    this.kind = TokenKind.Symbol;
    this.sym = c;
    if (c >= 0x80) return this.scanNonAscii(pos);
    return pos + 1;
  }

  private scanIdentifier(pos: number): number {
    const buf = this.buf;
    const len = buf.length;
    let h = 0;
    do {
      h = (Math.imul(h, 31) + buf[pos]) | 0;
      pos++;
    } while (pos < len && CLASS[buf[pos]] & ALNUM);
    this.kind = TokenKind.Identifier;
    this.hash = h;
    if (pos < len && buf[pos] >= 0x80) return this.scanNonAscii(pos);
    return pos;
  }

  /** Non-ASCII bytes outside a string: one error for the whole word they sit in. */
  private scanNonAscii(pos: number): number {
    const buf = this.buf;
    const len = buf.length;
    while (pos < len && (buf[pos] >= 0x80 || CLASS[buf[pos]] & ALNUM)) pos++;
    this.fail('Non-ASCII characters are only allowed inside quoted strings.', this.start, pos);
    return pos;
  }

  /**
   * Mirrors Tokenizer::ConsumeNumber; `pos` is after the first character. Reads past the end give
   * `undefined`, which no class test or comparison matches, so there are no bounds checks.
   */
  private scanNumber(pos: number, startedWithZero: boolean, startedWithDot: boolean): number {
    const buf = this.buf;
    let isFloat = false;
    if (startedWithZero && (buf[pos] === 120 || buf[pos] === 88)) {
      pos++;
      if (!(CLASS[buf[pos]] & HEX)) this.fail('"0x" must be followed by hex digits.', this.start, pos);
      while (CLASS[buf[pos]] & HEX) pos++;
    } else if (startedWithZero && CLASS[buf[pos]] & DIGIT) {
      while (CLASS[buf[pos]] & OCTAL) pos++;
      if (CLASS[buf[pos]] & DIGIT) {
        this.fail('Numbers starting with leading zero must be in octal.', this.start, pos + 1);
        while (CLASS[buf[pos]] & DIGIT) pos++;
      }
    } else {
      if (startedWithDot) isFloat = true;
      while (CLASS[buf[pos]] & DIGIT) pos++;
      if (!startedWithDot && buf[pos] === 46) {
        isFloat = true;
        pos++;
        while (CLASS[buf[pos]] & DIGIT) pos++;
      }
      if (buf[pos] === 101 || buf[pos] === 69) {
        isFloat = true;
        pos++;
        if (buf[pos] === 45 || buf[pos] === 43) pos++;
        if (!(CLASS[buf[pos]] & DIGIT)) this.fail('"e" must be followed by exponent.', this.start, pos);
        while (CLASS[buf[pos]] & DIGIT) pos++;
      }
      if (buf[pos] === 102 || buf[pos] === 70) {
        isFloat = true;
        pos++;
      }
    }
    this.kind = isFloat ? TokenKind.Float : TokenKind.Integer;
    const after = buf[pos];
    if (!(CLASS[after] & LETTER || after === 46)) return pos;
    this.failAfterNumber(pos, after === 46, isFloat);
    // Keep the rest of the word in this (bad) token rather than starting new tokens mid-word.
    while (CLASS[buf[pos]] & ALNUM || buf[pos] === 46 || buf[pos] >= 0x80) pos++;
    return pos;
  }

  private failAfterNumber(pos: number, dot: boolean, isFloat: boolean): void {
    const message = !dot ? 'Need space between number and identifier.'
      : isFloat ? "Already saw decimal point or exponent; can't have another one." : 'Hex and octal numbers must be integers.';
    this.fail(message, this.start, pos + 1);
  }

  /** Mirrors Tokenizer::ConsumeString; `pos` is at the opening quote. */
  private scanString(pos: number, quote: number): number {
    const buf = this.buf;
    const len = buf.length;
    pos++;
    for (;;) {
      if (pos >= len) {
        this.fail('Unexpected end of string.', this.start, pos);
        return pos;
      }
      const c = buf[pos];
      if (c === quote) return pos + 1;
      if (c === 10) {
        this.fail('String literals cannot cross line boundaries.', this.start, pos);
        return pos;
      }
      if (c === 0) {
        this.fail('NUL byte inside a string literal.', pos, pos + 1);
        pos++;
      } else if (c === 92) {
        this.escaped = true;
        pos = this.scanEscape(pos + 1);
      } else {
        pos++;
      }
    }
  }

  /** Validate one escape; `pos` is after the backslash. Like protoc, digits past the first are left to the caller. */
  private scanEscape(pos: number): number {
    const buf = this.buf;
    const e = buf[pos];
    if (pos < buf.length && (SIMPLE_ESCAPE[e] !== 0 || CLASS[e] & OCTAL)) return pos + 1;
    if (e === 120) {
      if (!(CLASS[buf[pos + 1]] & HEX)) this.fail('Expected hex digits for escape sequence.', pos - 1, pos + 1);
      return pos + 1;
    }
    if (e === 117) {
      let p = pos + 1;
      while (p < pos + 5 && CLASS[buf[p]] & HEX) p++;
      if (p < pos + 5) this.fail('Expected four hex digits for \\u escape sequence.', pos - 1, p);
      return p;
    }
    if (e === 85) return this.scanBigUnicodeEscape(pos);
    this.fail('Invalid escape sequence in string literal.', pos - 1, Math.min(pos + 1, buf.length));
    return pos;
  }

  /** `\U`: eight hex digits, at most 10ffff: 0, 0, 0 or 1, then five hex digits. */
  private scanBigUnicodeEscape(pos: number): number {
    const buf = this.buf;
    let p = pos + 1;
    let ok = buf[p] === 48 && buf[p + 1] === 48 && (buf[p + 2] === 48 || buf[p + 2] === 49);
    if (ok) {
      p += 3;
      while (p < pos + 9 && CLASS[buf[p]] & HEX) p++;
      ok = p === pos + 9;
    }
    if (!ok) this.fail('Expected eight hex digits up to 10ffff for \\U escape sequence', pos - 1, Math.min(p, buf.length));
    return ok ? p : pos + 1;
  }

  private fail(message: string, start: number, end: number): void {
    if (this.bad) return;
    this.bad = true;
    if (this.muted === 0) this.report(message, start, end);
  }

  private loose(message: string, start: number, end: number): void {
    if (this.muted === 0) this.report(message, start, end);
  }
}

/** ASCII bytes as a string (token text is ASCII outside strings). */
export function asciiText(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}
