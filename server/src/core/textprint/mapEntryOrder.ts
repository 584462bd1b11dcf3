// The order protoc prints a map's entries in: stably sorted by key, bytes order for string keys
// and numeric order for integer ones; entries with equal keys all stay (protoc keeps duplicates).
import { Frame } from './printScan';
import { Layout } from './printTables';
import * as wire from './printWireReader';
import { Kind } from './fieldKind';
import { varintAs } from './scalarPrinter';
import { WireError } from '../protobuf';

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use (readKey runs for every map entry).
const { END_GROUP, LEN } = wire;

export class MapEntryOrder {
  /** Map keys being sorted: indices into this.keys.keyA / keyB. */
  private keys: Frame | undefined;
  private keyA = 0;
  private keyB = 0;

  constructor(private readonly r: wire.PrintWireReader) {}

  /**
   * Sort the n entries f.order[i, i + n) of a map with entry layout E: afterwards the k-th entry
   * to print is occurrence f.entry[f.perm[k]].
   */
  sort(E: Layout, f: Frame, i: number, n: number): void {
    f.growMapScratch(n);
    for (let k = 0; k < n; k++) {
      const occ = f.order[i + k];
      f.entry[k] = occ;
      f.perm[k] = k;
      this.readKey(E, f.start[occ], f.end[occ]);
      f.keyA[k] = this.keyA;
      f.keyB[k] = this.keyB;
    }
    this.keys = f;
    sortStable(f.perm, n, E.isString(0) ? this.compareBytesKeys : this.compareNumericKeys);
  }

  private readonly compareNumericKeys = (a: number, b: number): number => {
    const f = this.keys as Frame;
    return f.keyA[a] - f.keyA[b] || f.keyB[a] - f.keyB[b];
  };

  /** Byte order of the key ranges [keyA, keyB), as std::string compares them. */
  private readonly compareBytesKeys = (a: number, b: number): number => {
    const f = this.keys as Frame;
    const buf = this.r.buf;
    const aStart = f.keyA[a];
    const aLen = f.keyB[a] - aStart;
    const bStart = f.keyA[b];
    const bLen = f.keyB[b] - bStart;
    const n = Math.min(aLen, bLen);
    for (let k = 0; k < n; k++) {
      const d = buf[aStart + k] - buf[bStart + k];
      if (d !== 0) return d;
    }
    return aLen - bLen;
  };

  /**
   * The sort key of a map entry at [start, end): its last key field with the key's wire type
   * (absent: the default), into this.keyA / this.keyB. Strings: the byte range; numbers: high
   * word (signed when the type is) and low word, so (keyA, keyB) order is numeric order.
   */
  private readKey(E: Layout, start: number, end: number): void {
    const r = this.r;
    let a = 0;
    let b = 0;
    const keyWire = E.wire[0];
    for (let pos = start; pos < end; ) {
      const tagStart = pos;
      pos = r.readTag(pos, end);
      const num = r.tag >>> 3;
      const wt = r.tag & 7;
      if (num === 0) throw new WireError('field number 0', tagStart);
      if (wt === END_GROUP) throw new WireError('end-group tag without a group', tagStart);
      // Depth is checked when the entry itself is printed.
      const next = wt === LEN ? r.readLength(pos, end) : pos;
      const valueEnd = wt === LEN ? r.fixedEnd(next, r.len, end) : r.skipValue(num, wt, pos, end, -Infinity, tagStart);
      if (num === 1 && wt === keyWire) {
        if (wt === LEN) {
          a = next;
          b = valueEnd;
        } else {
          this.numericKey(E.kind[0], pos, valueEnd);
          a = this.keyA;
          b = this.keyB;
        }
      }
      pos = valueEnd;
    }
    this.keyA = a;
    this.keyB = b;
  }

  private numericKey(kind: Kind, start: number, end: number): void {
    const r = this.r;
    const v = r.view;
    switch (kind) {
      case Kind.Fixed32: return this.setKey(v.getUint32(start, true), 0);
      case Kind.Sfixed32: return this.setKey(v.getInt32(start, true), 0);
      case Kind.Fixed64: return this.setKey(v.getUint32(start + 4, true), v.getUint32(start, true));
      case Kind.Sfixed64: return this.setKey(v.getInt32(start + 4, true), v.getUint32(start, true));
    }
    r.decodeVarint(start, end);
    varintAs(r, kind);
    switch (kind) {
      case Kind.Int32: case Kind.Sint32: case Kind.Enum: return this.setKey(r.lo | 0, 0);
      case Kind.Uint32: return this.setKey(r.lo, 0);
      case Kind.Bool: return this.setKey((r.lo | r.hi) !== 0 ? 1 : 0, 0);
      case Kind.Uint64: return this.setKey(r.hi, r.lo);
      default: return this.setKey(r.hi | 0, r.lo); // int64, sint64 (after zigzag)
    }
  }

  private setKey(a: number, b: number): void {
    this.keyA = a;
    this.keyB = b;
  }
}

/** Stable sort of perm[0, n) by cmp: insertion sort for the small maps that dominate. */
function sortStable(perm: Int32Array, n: number, cmp: (a: number, b: number) => number): void {
  let sorted = true;
  for (let k = 1; k < n && sorted; k++) if (cmp(perm[k - 1], perm[k]) > 0) sorted = false;
  if (sorted) return;
  if (n > 32) {
    const arr = Array.from(perm.subarray(0, n)).sort(cmp);
    perm.set(arr);
    return;
  }
  for (let k = 1; k < n; k++) {
    const v = perm[k];
    let m = k - 1;
    while (m >= 0 && cmp(perm[m], v) > 0) {
      perm[m + 1] = perm[m];
      m--;
    }
    perm[m + 1] = v;
  }
}
