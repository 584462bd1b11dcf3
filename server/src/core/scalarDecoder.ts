// Scalar values of a parsed text, decoded when asked for. The parser only checks values (and
// keeps their ranges), so a tree does not hold every name, number and tensor a second time; this
// re-reads one value's tokens with the same ScalarParser, which cannot fail on checked text.
import { ParseRecovery } from './parseRecovery';
import { ParseReporter } from './parseReporter';
import { ParseTables } from './parseTables';
import { ScalarParser } from './scalarParser';
import type { FieldInfo } from './schema';
import { TextLexer } from './textLexer';
import type { ScalarValue, TextError } from './textTree';

export class ScalarDecoder {
  private readonly lx: TextLexer;
  private readonly scalars: ScalarParser;

  constructor(buf: Uint8Array) {
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
}
