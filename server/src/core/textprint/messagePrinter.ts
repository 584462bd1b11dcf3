// Messages as protoc prints them: known fields in slot (field-number) order, each field's
// occurrences as protoc's parser would have merged them (last scalar wins, message occurrences
// concatenated, oneof members clearing each other), then unknown fields. Occurrences that are not
// printed are still checked, since protoc's parser refuses the input when they are malformed.
import { MapEntryOrder } from './mapEntryOrder';
import { Frame, FieldScanner } from './printScan';
import { Layout } from './printTables';
import * as wire from './printWireReader';
import { ScalarPrinter } from './scalarPrinter';
import { CHUNK_SIZE, TextOutput } from './textOutput';
import { UnknownFieldsPrinter } from './unknownFieldsPrinter';
import { WireError } from '../protobuf';

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use, which showed in profiles of these paths.
const { FIXED32, LEN, MAX_DEPTH, VARINT } = wire;

export class MessagePrinter {
  private out: TextOutput;
  private discard: TextOutput | undefined;
  private readonly r: wire.PrintWireReader;
  private readonly scanner: FieldScanner;
  private readonly scalars: ScalarPrinter;
  private readonly unknown: UnknownFieldsPrinter;
  private readonly mapOrder: MapEntryOrder;

  /** elideRepeatedOver: values of a repeated message field printed before the rest is elided. */
  constructor(buf: Uint8Array, out: TextOutput, elideOver: number, private readonly elideRepeatedOver: number) {
    this.out = out;
    this.r = new wire.PrintWireReader(buf);
    this.scanner = new FieldScanner(this.r);
    this.scalars = new ScalarPrinter(this.r, elideOver);
    this.unknown = new UnknownFieldsPrinter(this.r, elideOver);
    this.mapOrder = new MapEntryOrder(this.r);
  }

  printRoot(root: Layout): void {
    this.printMessageAt(root, 0, 0, this.r.buf.length);
    this.out.flush();
  }

  private printMessageAt(L: Layout, depth: number, start: number, end: number): void {
    if (depth > MAX_DEPTH) throw new WireError(`messages nested deeper than ${MAX_DEPTH}`, start);
    const f = this.scanner.frame(depth);
    f.reset(L.oneofCount);
    this.scanner.scan(L, f, start, end, depth);
    this.printFields(L, f, depth);
  }

  /** A singular message seen several times: parsed as the concatenation of its occurrences. */
  private printMerged(L: Layout, depth: number, parent: Frame, from: number, to: number): void {
    if (depth > MAX_DEPTH) throw new WireError(`messages nested deeper than ${MAX_DEPTH}`, parent.start[parent.order[from]]);
    const f = this.scanner.frame(depth);
    f.reset(L.oneofCount);
    for (let k = from; k < to; k++) {
      const occ = parent.order[k];
      this.scanner.scan(L, f, parent.start[occ], parent.end[occ], depth);
    }
    this.printFields(L, f, depth);
  }

  private printFields(L: Layout, f: Frame, depth: number): void {
    if (!f.sorted) f.sortKnown(L.info.fields.length);
    if (L.isMapEntry) this.printEntryFields(L, f, depth);
    else {
      const order = f.order;
      const n = f.known;
      for (let i = 0; i < n; ) {
        const s = f.slot[order[i]];
        let j = i + 1;
        while (j < n && f.slot[order[j]] === s) j++;
        this.printField(L, s, f, i, j, depth);
        i = j;
      }
    }
    if (f.unknown > 0) {
      if (this.out.tree) this.out.tree.printedUnknown = true;
      this.unknown.printUnknownOf(this.out, f, depth);
    }
  }

  /** `name {` of message slot s, and its record when the output records a tree (else -1). */
  private openMessage(L: Layout, s: number, depth: number): number {
    const out = this.out;
    out.line(depth, L.open[s]);
    return out.tree ? out.tree.open(L.fieldId[s], out.offset - L.open[s].length) : -1;
  }

  /** The `}` of the message opened as record r. */
  private closeMessage(depth: number, r: number): void {
    const out = this.out;
    out.close(depth);
    // The record ends after `}`, before the newline, as the parser ends it.
    if (out.tree) out.tree.close(r, out.offset - 1);
  }

  /** Print field slot s, whose occurrences are f.order[i, j). */
  private printField(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    if (L.isMap(s)) return this.printMap(L, s, f, i, j, depth);
    if (L.isRepeated(s)) return this.printRepeated(L, s, f, i, j, depth);
    const g = L.oneof[s];
    let from = i;
    if (g >= 0 && f.oneofMixed[g]) {
      if (f.slot[f.oneofLast[g]] !== s) return this.validate(L, s, f, i, j, depth); // cleared by a later member
      const cleared = lastOtherMember(L, f, g, s);
      while (from < j && f.order[from] < cleared) from++;
      this.validate(L, s, f, i, from, depth);
    }
    if (L.isMessage(s)) {
      const r = this.openMessage(L, s, depth);
      this.printMerged(L.child(s), depth + 1, f, from, j);
      this.closeMessage(depth, r);
      return;
    }
    this.validate(L, s, f, from, j - 1, depth);
    const last = f.order[j - 1];
    if (!L.hasPresence(s) && this.scalars.isDefault(L.kind[s], f.start[last], f.end[last])) return;
    this.scalars.printScalar(this.out, L, s, depth, f.start[last], f.end[last]);
  }

  /** Parse-check occurrences that are not printed (overwritten or cleared): protoc parsed them too. */
  private validate(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    if (i >= j) return;
    if (L.isString(s)) {
      for (let k = i; k < j; k++) this.scalars.checkUtf8(L, s, f.start[f.order[k]], f.end[f.order[k]]);
      return;
    }
    if (!L.isMessage(s)) return;
    const saved = this.out;
    this.out = this.discard ??= new TextOutput(CHUNK_SIZE, () => {});
    try {
      const child = L.child(s);
      for (let k = i; k < j; k++) this.printMessageAt(child, depth + 1, f.start[f.order[k]], f.end[f.order[k]]);
    } finally {
      this.out = saved;
    }
  }

  private printRepeated(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    const message = L.isMessage(s);
    const shown = message && j - i > this.elideRepeatedOver ? i + this.elideRepeatedOver : j;
    for (let k = i; k < shown; k++) {
      const occ = f.order[k];
      const start = f.start[occ];
      const end = f.end[occ];
      if (message) {
        const r = this.openMessage(L, s, depth);
        this.printMessageAt(L.child(s), depth + 1, start, end);
        this.closeMessage(depth, r);
      } else if (f.wt[occ] === LEN && L.wire[s] !== LEN) {
        this.printPacked(L, s, depth, start, end);
      } else {
        this.scalars.printScalar(this.out, L, s, depth, start, end);
      }
    }
    if (shown < j) this.out.elidedValues(depth, L.info.fields[s].name, j - shown, j - i);
  }

  private printPacked(L: Layout, s: number, depth: number, start: number, end: number): void {
    const wire = L.wire[s];
    if (wire === VARINT) {
      for (let pos = start; pos < end; ) {
        const next = this.r.decodeVarint(pos, end);
        this.scalars.printScalar(this.out, L, s, depth, pos, next);
        pos = next;
      }
      return;
    }
    const size = wire === FIXED32 ? 4 : 8;
    if ((end - start) % size !== 0) throw new WireError(`packed field of ${end - start} bytes is not a multiple of ${size}`, start);
    for (let pos = start; pos < end; pos += size) this.scalars.printScalar(this.out, L, s, depth, pos, pos + size);
  }

  /** Map entries, stably sorted by key; duplicates are kept as protoc keeps them. */
  private printMap(L: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    const E = L.child(s);
    const n = j - i;
    this.mapOrder.sort(E, f, i, n);
    for (let k = 0; k < n; k++) {
      const occ = f.entry[f.perm[k]];
      const r = this.openMessage(L, s, depth);
      this.printMessageAt(E, depth + 1, f.start[occ], f.end[occ]);
      this.closeMessage(depth, r);
    }
  }

  /** Map entry: key then value, always, even when absent; value messages merge. */
  private printEntryFields(E: Layout, f: Frame, depth: number): void {
    const order = f.order;
    const n = f.known;
    let i = 0;
    while (i < n && f.slot[order[i]] === 0) i++;
    this.printEntryField(E, 0, f, 0, i, depth);
    this.printEntryField(E, 1, f, i, n, depth);
  }

  private printEntryField(E: Layout, s: number, f: Frame, i: number, j: number, depth: number): void {
    if (E.isMessage(s)) {
      const r = this.openMessage(E, s, depth);
      if (j > i) this.printMerged(E.child(s), depth + 1, f, i, j);
      this.closeMessage(depth, r);
      return;
    }
    if (j === i) return this.scalars.printDefault(this.out, E, s, depth);
    this.validate(E, s, f, i, j - 1, depth);
    const last = f.order[j - 1];
    this.scalars.printScalar(this.out, E, s, depth, f.start[last], f.end[last]);
  }
}

/** Wire index of the last occurrence of another member of oneof g than slot s. */
function lastOtherMember(L: Layout, f: Frame, g: number, s: number): number {
  for (let k = f.size - 1; k >= 0; k--) {
    const slot = f.slot[k];
    if (slot >= 0 && slot !== s && L.oneof[slot] === g) return k;
  }
  return -1;
}
