// Unknown fields (and known numbers with a wrong wire type), printed by number in wire order as
// TextFormat::Printer prints them: varints unsigned, fixed values as hex, groups as blocks, and
// length-delimited values as `N { ... }` when they parse as a field set (non-empty, within the
// printer's 10-level budget), else as an escaped string.
import { Frame } from './printScan';
import { FIXED32, FIXED64, LEN, PrintWireReader, START_GROUP, VARINT } from './printWireReader';
import { TextOutput } from './textOutput';

/** TextFormat::Printer's recursion budget for printing unknown fields as messages. */
const UNKNOWN_BUDGET = 10;

export class UnknownFieldsPrinter {
  constructor(private readonly r: PrintWireReader, private readonly elideOver: number) {}

  /** The unknown occurrences of frame f, at indentation `depth`. */
  printUnknownOf(out: TextOutput, f: Frame, depth: number): void {
    // The parser checked these strictly; printing re-parses nested values with CodedInputStream.
    this.r.lenient = true;
    try {
      for (let k = 0; k < f.size; k++) {
        if (f.slot[k] < 0) this.printUnknown(out, f.num[k], f.wt[k], f.start[k], f.end[k], depth, UNKNOWN_BUDGET);
      }
    } finally {
      this.r.lenient = false;
    }
  }

  private printUnknown(out: TextOutput, num: number, wt: number, start: number, end: number, indent: number, budget: number): void {
    const r = this.r;
    switch (wt) {
      case VARINT:
        out.numberLabel(indent, num, ': ');
        r.decodeVarint(start, end);
        out.writeUint64(r.lo, r.hi);
        break;
      case FIXED32:
        out.numberLabel(indent, num, ': 0x');
        out.hex8(r.view.getUint32(start, true));
        break;
      case FIXED64:
        out.numberLabel(indent, num, ': 0x');
        out.hex8(r.view.getUint32(start + 4, true));
        out.hex8(r.view.getUint32(start, true));
        break;
      case LEN:
        r.present(start, end);
        if (end > start && budget > 0 && r.isFieldSet(start, end, budget)) return this.unknownBlock(out, num, start, end, indent, budget);
        if (end - start > this.elideOver) return out.elided(indent, String(num), end - start);
        out.numberLabel(indent, num, ': ');
        out.quoted(r.buf, start, end);
        break;
      default:
        return this.unknownBlock(out, num, start, end, indent, budget);
    }
    out.newline();
  }

  private unknownBlock(out: TextOutput, num: number, start: number, end: number, indent: number, budget: number): void {
    out.numberLabel(indent, num, ' {\n');
    this.printUnknownRange(out, start, end, indent + 1, budget - 1);
    out.close(indent);
  }

  /** Fields of an already checked unknown message or group, in wire order. */
  private printUnknownRange(out: TextOutput, start: number, end: number, indent: number, budget: number): void {
    const r = this.r;
    for (let pos = start; pos < end; ) {
      const tagStart = pos;
      pos = r.readTag(pos, end);
      const num = r.tag >>> 3;
      const wt = r.tag & 7;
      let vStart = pos;
      if (wt === LEN) {
        vStart = r.readLength(pos, end);
        pos = vStart + r.len;
      } else {
        pos = r.skipValue(num, wt, pos, end, -Infinity, tagStart);
      }
      const vEnd = wt === START_GROUP ? r.groupEnd : pos;
      this.printUnknown(out, num, wt, vStart, vEnd, indent, budget);
    }
  }
}
