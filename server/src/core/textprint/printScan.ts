// The field occurrences of the messages being printed: each message's fields are scanned once
// into a Frame (typed arrays, one Frame per nesting depth, reused), sorted into slot order when
// the wire order was not already, then printed from there.
import { Layout } from './printTables';
import * as wire from './printWireReader';
import { WireError } from '../protobuf';

// Local copies: under tsx, which transpiles file by file, an imported constant is read through
// module getters on every use, which showed in profiles of this loop.
const { LEN, START_GROUP } = wire;

export class Frame {
  size = 0;
  /** Occurrences of known fields; their indices are in order[0, known). */
  known = 0;
  unknown = 0;
  /** Known occurrences already in slot order (the usual case: no sort needed). */
  sorted = true;
  lastSlot = -1;
  num = new Int32Array(16);
  wt = new Uint8Array(16);
  start = new Uint32Array(16);
  end = new Uint32Array(16);
  slot = new Int16Array(16);
  order = new Int32Array(16);
  spare = new Int32Array(16);
  counts = new Int32Array(16);
  oneofLast = new Int32Array(4);
  oneofMixed = new Uint8Array(4);
  /** Map scratch: entry occurrence, key (two comparable numbers, or a byte range), sorted permutation. */
  entry = new Int32Array(16);
  keyA = new Float64Array(16);
  keyB = new Float64Array(16);
  perm = new Int32Array(16);

  reset(oneofCount: number): void {
    this.size = 0;
    this.known = 0;
    this.unknown = 0;
    this.sorted = true;
    this.lastSlot = -1;
    if (this.oneofLast.length < oneofCount) {
      this.oneofLast = new Int32Array(oneofCount);
      this.oneofMixed = new Uint8Array(oneofCount);
    }
    if (oneofCount === 0) return;
    this.oneofLast.fill(-1, 0, oneofCount);
    this.oneofMixed.fill(0, 0, oneofCount);
  }

  grow(): void {
    const n = this.num.length * 2;
    this.num = grown(this.num, new Int32Array(n));
    this.wt = grown(this.wt, new Uint8Array(n));
    this.start = grown(this.start, new Uint32Array(n));
    this.end = grown(this.end, new Uint32Array(n));
    this.slot = grown(this.slot, new Int16Array(n));
    this.order = grown(this.order, new Int32Array(n));
    this.spare = new Int32Array(n);
  }

  /** Stable counting sort of the known occurrences by slot. */
  sortKnown(slots: number): void {
    if (this.counts.length < slots + 1) this.counts = new Int32Array(slots + 1);
    const counts = this.counts;
    counts.fill(0, 0, slots + 1);
    for (let k = 0; k < this.known; k++) counts[this.slot[this.order[k]] + 1]++;
    for (let s = 1; s <= slots; s++) counts[s] += counts[s - 1];
    const out = this.spare;
    for (let k = 0; k < this.known; k++) {
      const occ = this.order[k];
      out[counts[this.slot[occ]]++] = occ;
    }
    this.spare = this.order;
    this.order = out;
    this.sorted = true;
  }

  growMapScratch(n: number): void {
    if (this.entry.length >= n) return;
    this.entry = new Int32Array(n);
    this.keyA = new Float64Array(n);
    this.keyB = new Float64Array(n);
    this.perm = new Int32Array(n);
  }
}

function grown<T extends Int32Array | Uint32Array | Uint8Array | Int16Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

export class FieldScanner {
  private readonly frames: Frame[] = [];

  constructor(private readonly r: wire.PrintWireReader) {}

  /** The (reused) frame of nesting depth `depth`. */
  frame(depth: number): Frame {
    while (this.frames.length <= depth) this.frames.push(new Frame());
    return this.frames[depth];
  }

  /** Append the fields in [start, end) of a message at `depth` to frame f. */
  scan(L: Layout, f: Frame, start: number, end: number, depth: number): void {
    const r = this.r;
    const buf = r.buf;
    const slotOf = L.slotOf;
    let pos = start;
    while (pos < end) {
      const tagStart = pos;
      let tag = buf[pos];
      if (tag < 0x80) pos++;
      else {
        pos = r.readTag(pos, end);
        tag = r.tag;
      }
      const num = tag >>> 3;
      const wt = tag & 7;
      if (num === 0) throw new WireError('field number 0', tagStart);
      let vStart = pos;
      let vEnd: number;
      if (wt === LEN) {
        const b = buf[pos];
        if (b < 0x80 && pos < end) vStart = pos + 1;
        else vStart = r.readLength(pos, end);
        vEnd = r.fixedEnd(vStart, b < 0x80 ? b : r.len, end);
        pos = vEnd;
      } else if (wt === START_GROUP) {
        pos = r.skipGroup(num, pos, end, depth + 1);
        vEnd = r.groupEnd;
      } else {
        pos = r.skipValue(num, wt, pos, end, depth, tagStart);
        vEnd = pos;
      }
      let slot = num < slotOf.length ? slotOf[num] - 1 : -1;
      if (slot >= 0 && wt !== L.wire[slot] && !(wt === LEN && L.isPackable(slot))) slot = -1;
      push(L, f, num, wt, vStart, vEnd, slot);
    }
  }
}

function push(L: Layout, f: Frame, num: number, wt: number, start: number, end: number, slot: number): void {
  if (f.size === f.num.length) f.grow();
  const i = f.size++;
  f.num[i] = num;
  f.wt[i] = wt;
  f.start[i] = start;
  f.end[i] = end;
  f.slot[i] = slot;
  if (slot < 0) {
    f.unknown++;
    return;
  }
  f.order[f.known++] = i;
  if (slot < f.lastSlot) f.sorted = false;
  f.lastSlot = slot;
  const g = L.oneof[slot];
  if (g >= 0) {
    const last = f.oneofLast[g];
    if (last >= 0 && f.slot[last] !== slot) f.oneofMixed[g] = 1;
    f.oneofLast[g] = i;
  }
}
