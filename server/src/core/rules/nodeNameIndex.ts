// Finding the node an input names, fast enough for graphs of hundreds of thousands of nodes: node
// names are hashed straight from the file's bytes into an open-addressing table, and inputs
// (`name`, `name:1`, `^name`) are looked up the same way, so walking a graph creates no strings.
import { NodeTable } from '../savedmodel';
import { loadSchema, FieldInfo, WireType } from '../protobuf';
import { RawField, WireReader } from '../protobuf';

const COLON = 0x3a;
const encoder = new TextEncoder();
const CARET = 0x5e;

let fieldNumbers: { name: number; input: number } | undefined;

function nodeDefFields(): { name: number; input: number } {
  if (!fieldNumbers) {
    const type = loadSchema().message('tensorflow.NodeDef');
    fieldNumbers = { name: (type.byName.get('name') as FieldInfo).number, input: (type.byName.get('input') as FieldInfo).number };
  }
  return fieldNumbers;
}

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

export class NodeNameIndex {
  private readonly nameStart: Uint32Array;
  private readonly nameEnd: Uint32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly buf: Uint8Array;
  private readonly field = new Uint32Array(2);

  constructor(private readonly nodes: NodeTable) {
    this.buf = nodes.buf;
    const n = nodes.count;
    this.nameStart = new Uint32Array(n);
    this.nameEnd = new Uint32Array(n);
    let size = 16;
    while (size < n * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    const { name } = nodeDefFields();
    const field = new Uint32Array(2);
    for (let i = 0; i < n; i++) {
      const span = nodes.span(i);
      // The last occurrence of a singular field wins, as protobuf parses it.
      for (let pos = span.start; pos < span.end;) {
        pos = nextField(this.buf, pos, span.end, name, field);
        if (field[1]) {
          this.nameStart[i] = field[0];
          this.nameEnd[i] = field[1];
        }
      }
      this.insert(i);
    }
  }

  /** First definition wins, as in NodeTable.indexOf (TensorFlow rejects duplicates anyway). */
  private insert(i: number): void {
    const s = this.nameStart[i];
    const e = this.nameEnd[i];
    for (let slot = hashBytes(this.buf, s, e) & this.mask; ; slot = (slot + 1) & this.mask) {
      const j = this.slots[slot];
      if (j < 0) {
        this.slots[slot] = i;
        return;
      }
      if (this.sameName(j, s, e)) return;
    }
  }

  private sameName(j: number, start: number, end: number, src: Uint8Array = this.buf): boolean {
    const s = this.nameStart[j];
    if (this.nameEnd[j] - s !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (this.buf[s + k] !== src[start + k]) return false;
    return true;
  }

  /** The node named by src[start, end) (by default the graph's own bytes), or -1. */
  lookup(start: number, end: number, src: Uint8Array = this.buf): number {
    for (let slot = hashBytes(src, start, end) & this.mask; ; slot = (slot + 1) & this.mask) {
      const j = this.slots[slot];
      if (j < 0) return -1;
      if (this.sameName(j, start, end, src)) return j;
    }
  }

  /** The node a name given as a string names. */
  lookupName(name: string): number {
    const bytes = encoder.encode(name);
    return this.lookup(0, bytes.length, bytes);
  }

  /** Calls fn with the index of each node that node i's inputs (data and control) name. */
  forEachInput(i: number, fn: (j: number) => void): void {
    const { input } = nodeDefFields();
    const span = this.nodes.span(i);
    const buf = this.buf;
    const field = this.field;
    for (let pos = span.start; pos < span.end;) {
      pos = nextField(buf, pos, span.end, input, field);
      if (!field[1]) continue;
      const start = buf[field[0]] === CARET ? field[0] + 1 : field[0];
      let end = start;
      while (end < field[1] && buf[end] !== COLON) end++;
      const j = this.lookup(start, end);
      if (j >= 0) fn(j);
    }
  }
}

/**
 * Step over the field at pos; when it is the length-delimited field `number`, put its payload's
 * [start, end) in out, else out[1] = 0. A fast path for one-byte tags and lengths (nearly every
 * field of a node); anything else goes through the general reader, which also reports bad bytes.
 */
function nextField(buf: Uint8Array, pos: number, end: number, number: number, out: Uint32Array): number {
  const tag = buf[pos];
  const len = buf[pos + 1];
  out[1] = 0;
  if (tag < 0x80 && (tag & 7) === WireType.LengthDelimited && len < 0x80 && pos + 2 + len <= end) {
    if (tag >>> 3 === number) {
      out[0] = pos + 2;
      out[1] = pos + 2 + len;
    }
    return pos + 2 + len;
  }
  const r = new WireReader(buf, pos, end);
  const f: RawField = { number: 0, wireType: 0, tagStart: 0, start: 0, end: 0 };
  r.next(f);
  if (f.number === number && f.wireType === WireType.LengthDelimited) {
    out[0] = f.start;
    out[1] = f.end;
  }
  return r.pos;
}
