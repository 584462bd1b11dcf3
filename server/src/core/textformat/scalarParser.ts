// One scalar value of a field, checked the way protoc's text parser checks it: strings (adjacent
// literals concatenated), bools, enum names or numbers, integers within their type's range, and
// floating-point values (float ones rounded as protoc's SafeDoubleToFloat does). A bad value is
// reported and skipped; a missing one (the next field already starts) is reported at the name.
import { ByteScratch } from '../protobuf';
import { floatValue, integerValue, isDecimalInteger } from './numberLiteral';
import { ParseRecovery } from './parseRecovery';
import { ParseReporter } from './parseReporter';
import { ParseTables } from './parseTables';
import { FieldInfo } from '../protobuf';
import { suggestNames } from './nameSuggestions';
import { appendStringLiteral } from './stringLiteral';
import { copyBytes, StringCache, utf8Text } from './stringValues';
import { asciiText, TextLexer, TokenKind } from './textLexer';
import * as symbols from './textSymbols';
import { NEGATIVE_NAN, ScalarValue } from './textTree';

// A local copy: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use (MINUS is looked for before every number).
const { MINUS } = symbols;

const INT32_MAX = 0x7fffffff;
const UINT32_MAX = 0xffffffff;
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const FLT_MAX = 3.4028234663852886e38;
/** protoc's SafeDoubleToFloat rounds doubles up to this (half an ulp above FLT_MAX) down to FLT_MAX. */
const FLT_MAX_ROUNDED = 3.4028235677973366e38;
/** What a non-empty string value stands for while only validating (its bytes are decoded later). */
const NOT_EMPTY = '\u0001';

export class ScalarParser {
  private readonly scratch = new ByteScratch();
  private readonly strings = new StringCache();
  /** First token of the scalar being parsed, and the name of its field (for "missing value"). */
  private valueStart = -1;
  private valueNameStart = 0;
  private valueNameEnd = 0;

  constructor(
    private readonly lx: TextLexer,
    private readonly tables: ParseTables,
    private readonly reporter: ParseReporter,
    private readonly recovery: ParseRecovery,
    /**
     * False while parsing: strings are only checked, and stand for '' or a placeholder (enough to
     * tell a default value); their bytes are decoded when asked for (scalarDecoder.ts).
     */
    private readonly decodeStrings = true,
  ) {}

  /** The value of scalar field `info` (named at [nameStart, nameEnd)) at the current token; undefined after reporting an error. */
  parse(info: FieldInfo, nameStart: number, nameEnd: number): ScalarValue | undefined {
    this.valueStart = this.lx.start;
    this.valueNameStart = nameStart;
    this.valueNameEnd = nameEnd;
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
    if (this.lx.start !== this.valueStart || !this.recovery.atFieldEnd()) return false;
    this.reporter.schemaError(`Missing value for field "${info.name}".`, this.valueNameStart, this.valueNameEnd);
    return true;
  }

  private mismatch(info: FieldInfo, expected: string): undefined {
    if (this.missingValue(info)) return undefined;
    this.reporter.schemaError(`Expected ${expected} for field "${info.name}", found ${this.lx.describe()}.`, this.lx.start, this.lx.end);
    this.recovery.skipScalarValue();
    return undefined;
  }

  /** One or more adjacent string literals, concatenated. */
  private parseString(info: FieldInfo): ScalarValue | undefined {
    const lx = this.lx;
    if (lx.kind !== TokenKind.String) return this.mismatch(info, 'a string');
    return this.decodeStrings ? this.decodeString(info.type === 'bytes') : this.checkString();
  }

  /** Adjacent literals, checked by the lexer: '' when all are empty, else NOT_EMPTY. */
  private checkString(): ScalarValue | undefined {
    const lx = this.lx;
    let bad = false;
    let empty = true;
    while (lx.kind === TokenKind.String) {
      bad ||= lx.bad;
      empty &&= lx.end - lx.start === 2;
      lx.next();
    }
    return bad ? undefined : empty ? '' : NOT_EMPTY;
  }

  private decodeString(isBytes: boolean): ScalarValue | undefined {
    const lx = this.lx;
    const buf = lx.buf;
    const start = lx.start;
    const firstEnd = lx.end;
    const firstEscaped = lx.escaped;
    let bad = lx.bad;
    lx.next();
    if (lx.kind !== TokenKind.String && !firstEscaped) {
      // One literal without escapes: its bytes are the value.
      if (bad) return undefined;
      const s = start + 1;
      const e = firstEnd - 1;
      if (isBytes) return copyBytes(buf, s, e);
      return this.strings.get(buf, s, e) ?? copyBytes(buf, s, e);
    }
    const out = this.scratch;
    out.reset();
    appendStringLiteral(buf, start, firstEnd, out);
    while (lx.kind === TokenKind.String) {
      bad ||= lx.bad;
      appendStringLiteral(buf, lx.start, lx.end, out);
      lx.next();
    }
    if (bad) return undefined;
    if (isBytes) return out.take();
    return utf8Text(out.bytes, 0, out.length) ?? out.take();
  }

  private parseBool(info: FieldInfo): ScalarValue | undefined {
    const lx = this.lx;
    const start = lx.start;
    const end = lx.end;
    if (lx.kind === TokenKind.Integer) {
      const v = integerValue(lx.buf, start, end);
      lx.next();
      if (v !== 0 && v !== 1) {
        this.reporter.schemaError(`Integer out of range (${asciiText(lx.buf, start, end)}) for bool field "${info.name}": use 0 or 1.`, start, end);
        return undefined;
      }
      return v === 1;
    }
    if (lx.kind !== TokenKind.Identifier) return this.mismatch(info, 'true or false');
    const value = this.tables.boolWord(lx.buf, start, end);
    if (value === undefined && this.missingValue(info)) return undefined;
    lx.next();
    if (value !== undefined) return value;
    const word = asciiText(lx.buf, start, end);
    this.reporter.schemaError(`Invalid value for boolean field "${info.name}". Value: "${word}".`, start, end,
      suggestNames(word, ['true', 'false']));
    return undefined;
  }

  private parseEnum(info: FieldInfo): ScalarValue | undefined {
    const lx = this.lx;
    const start = lx.start;
    if (lx.kind === TokenKind.Identifier && info.enumInfo) {
      const end = lx.end;
      const value = this.tables.enumValue(info.enumInfo, lx.buf, start, end, lx.hash);
      if (value === undefined && this.missingValue(info)) return undefined;
      lx.next();
      if (value !== undefined) return value;
      const word = asciiText(lx.buf, start, end);
      this.reporter.schemaError(`Unknown enumeration value of "${word}" for field "${info.name}".`, start, end,
        suggestNames(word, info.enumInfo.valueOf.keys()));
      return undefined;
    }
    if (lx.kind === TokenKind.Integer || lx.isSymbol(MINUS)) {
      // Numbers are taken as they are: proto3 enums are open (protoc keeps unknown numbers).
      return this.parseInteger(info, true, INT32_MAX, false);
    }
    return this.mismatch(info, 'an enum value name or number');
  }

  /** An integer within [-(max + 1), max] when signed, else [0, max]; 64-bit types give bigints. */
  private parseInteger(info: FieldInfo, signed: boolean, max: number | bigint, big: boolean): ScalarValue | undefined {
    const lx = this.lx;
    let negative = false;
    if (lx.isSymbol(MINUS)) {
      if (!signed) return this.mismatch(info, 'an unsigned integer');
      negative = true;
      lx.next();
    }
    if (lx.kind !== TokenKind.Integer) {
      if (lx.bad) {
        this.recovery.skipScalarValue();
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
    const v = integerValue(lx.buf, digitsStart, end);
    lx.next();
    const outOfRange = typeof v === 'number'
      ? typeof max === 'number' && v > (negative ? max + 1 : max)
      : typeof max === 'number' || v > (negative ? BigInt(max) + 1n : max);
    if (outOfRange) {
      this.reporter.schemaError(`Integer out of range (${asciiText(lx.buf, digitsStart, end)}) for ${info.type} field "${info.name}".`, digitsStart, end);
      return undefined;
    }
    if (big) return negative ? -BigInt(v) : BigInt(v);
    const n = v as number;
    return negative && n !== 0 ? -n : n;
  }

  private parseFloat(info: FieldInfo): ScalarValue | undefined {
    const lx = this.lx;
    const buf = lx.buf;
    let negative = false;
    if (lx.isSymbol(MINUS)) {
      negative = true;
      lx.next();
    }
    if (lx.bad) {
      this.recovery.skipScalarValue();
      return undefined;
    }
    const end = lx.end;
    let v: number;
    if (lx.kind === TokenKind.Integer) {
      if (!isDecimalInteger(buf, lx.start, end)) {
        this.reporter.schemaError(`Expect a decimal number, got: ${asciiText(buf, lx.start, end)}`, lx.start, end);
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
    if (Number.isNaN(v)) return negative ? NEGATIVE_NAN : NaN;
    if (negative) v = -v;
    return info.type === 'float' ? safeDoubleToFloat(v) : v;
  }
}

function safeDoubleToFloat(v: number): number {
  if (v > FLT_MAX) return v <= FLT_MAX_ROUNDED ? FLT_MAX : Infinity;
  if (v < -FLT_MAX) return v >= -FLT_MAX_ROUNDED ? -FLT_MAX : -Infinity;
  return Math.fround(v);
}
