// Scalar values of a parsed text, decoded when asked for. The parser only checks values (and
// keeps their ranges), so a tree does not hold every name, number and tensor a second time; this
// re-reads one value's tokens with the same ScalarParser, which cannot fail on checked text.
import { ByteScratch } from '../protobuf';
import type { ByteWriter } from '../protobuf';
import { ParseRecovery } from './parseRecovery';
import { ParseReporter } from './parseReporter';
import { ParseTables } from './parseTables';
import { ScalarParser } from './scalarParser';
import type { FieldInfo } from '../protobuf';
import { appendCheckedLiteral } from './stringLiteral';
import { TextLexer } from './textLexer';
import { skipBlanks } from './textStore';
import type { ScalarValue, TextError } from './textTree';

/** A scratch buffer grown past this by one huge value is let go rather than kept. */
const KEEP_SCRATCH_BYTES = 1 << 24;

export class ScalarDecoder {
  private readonly lx: TextLexer;
  private readonly scalars: ScalarParser;
  private scratch = new ByteScratch();

  constructor(private readonly buf: Uint8Array) {
    this.lx = new TextLexer(buf, () => undefined);
    this.lx.mute();
    const errors: TextError[] = [];
    this.scalars = new ScalarParser(this.lx, new ParseTables(), new ParseReporter(errors, 1), new ParseRecovery(this.lx));
  }

  /** The value of field `info` written at `start` (a value the parser accepted). */
  decode(info: FieldInfo, start: number): ScalarValue {
    this.lx.seek(start);
    const v = this.scalars.parse(info, start, start);
    if (v === undefined) throw new Error(`no ${info.type} value at offset ${start}`);
    return v;
  }

  /**
   * The string or bytes value written at `start`, as protobuf writes it (length, then bytes), with
   * no JS value in between: a 400 MB tensor is unescaped once, in one pass over its text.
   */
  writeString(start: number, w: ByteWriter): void {
    const buf = this.buf;
    const out = this.scratch;
    out.reset();
    // Adjacent literals are one value: a value is never followed by another string.
    for (let p = start; buf[p] === 34 || buf[p] === 39;) p = skipBlanks(buf, appendCheckedLiteral(buf, p, out));
    w.lengthDelimited(out.bytes.subarray(0, out.length));
    if (out.bytes.length > KEEP_SCRATCH_BYTES) this.scratch = new ByteScratch();
  }

  /** Whether the string or bytes value written at `start` is empty, reading only its first quotes. */
  stringIsEmpty(start: number): boolean {
    const buf = this.buf;
    let p = start;
    for (let q = buf[p]; q === 34 || q === 39; q = buf[p]) {
      if (buf[p + 1] !== q) return false;
      p = skipBlanks(buf, p + 2);
    }
    return true;
  }
}
