// Error recovery: after an error the parser skips the broken value, field or block the way
// protoc's SkipField would, then goes on, so one typo gives one error. Skipping mutes the lexer:
// what it passes over was already reported or is reported by the caller.
import { TextLexer, TokenKind } from './textLexer';
import * as symbols from './textSymbols';

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use (atFieldEnd runs for values of every field).
const { COLON, COMMA, LANGLE, LBRACE, LBRACKET, MINUS, RANGLE, RBRACE, RBRACKET, SEMICOLON } = symbols;

export class ParseRecovery {
  /** Set once a `{` could not be balanced before the end: later skips stop trying. */
  private unbalanced = false;

  constructor(private readonly lx: TextLexer) {}

  /** At a `}`/`>`, the end of input, or the next field (`name:` / `name {`): no value here. */
  atFieldEnd(): boolean {
    const lx = this.lx;
    if (lx.kind === TokenKind.End) return true;
    if (lx.kind === TokenKind.Symbol) return lx.sym === RBRACE || lx.sym === RANGLE;
    if (lx.kind !== TokenKind.Identifier) return false;
    const next = lx.peekSymbol();
    return next === COLON || next === LBRACE || next === LANGLE;
  }

  /** Skip one scalar value: an optional `-`, then adjacent strings or one word or number. */
  skipScalarValue(): void {
    const lx = this.lx;
    lx.mute();
    if (lx.isSymbol(MINUS)) lx.next();
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
  skipFieldValue(): void {
    const lx = this.lx;
    lx.mute();
    const colon = lx.isSymbol(COLON);
    if (colon) lx.next();
    if (lx.isSymbol(LBRACE) || lx.isSymbol(LANGLE) || lx.isSymbol(LBRACKET)) this.skipBalancedOrStep();
    else if (colon) this.skipScalarValue();
    else this.resync(); // neither `name: value` nor `name {`: a stray word, not a field
    lx.unmute();
    if (lx.isSymbol(SEMICOLON) || lx.isSymbol(COMMA)) lx.next();
  }

  /** Skip from an opening `{`, `<` or `[` to its matching close (consumed). False if the input ended first. */
  skipBalanced(): boolean {
    const lx = this.lx;
    lx.mute();
    let depth = 0;
    do {
      if (lx.kind === TokenKind.Symbol) {
        const c = lx.sym;
        if (c === LBRACE || c === LANGLE || c === LBRACKET) depth++;
        else if (c === RBRACE || c === RANGLE || c === RBRACKET) depth--;
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
  resync(): void {
    const lx = this.lx;
    lx.mute();
    for (;;) {
      if (lx.kind === TokenKind.End) break;
      if (lx.kind === TokenKind.Symbol) {
        const c = lx.sym;
        if (c === RBRACE || c === RANGLE) break;
        if (c === LBRACE || c === LANGLE) {
          this.skipBalancedOrStep();
          continue;
        }
      } else if (lx.kind === TokenKind.Identifier && !lx.bad) {
        const next = lx.peekSymbol();
        if (next === COLON || next === LBRACE || next === LANGLE) break;
      }
      lx.next();
    }
    lx.unmute();
  }
}
