// Node name → first index, for tables of hundreds of thousands of nodes. Names are hashed straight
// from the file's bytes (the node table knows where each name lies) into an open-addressing table,
// and looked up by bytes (an input inside the file) or by string, so neither building nor looking
// up creates strings. On the 300k-node graph, building it takes 50-70 ms here; decoding the names
// and putting them in a JS Map, 140-180 ms.

const encoder = new TextEncoder();

export class NameIndex {
  /** Slot → node index + 1 (0: empty). Size a power of two, at least twice the names. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Nodes whose name an earlier node already has, ascending. */
  readonly duplicates: number[] = [];
  private duplicateSet: Set<number> | undefined;

  /** Node i's name is buf[starts[i], ends[i]). */
  constructor(private readonly buf: Uint8Array, private readonly starts: Uint32Array, private readonly ends: Uint32Array, count: number) {
    let size = 16;
    while (size < count * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < count; i++) this.insert(i);
  }

  /**
   * The first node named by src[start, end) (by default the file's own bytes), or -1. `near`: a
   * node it likely is (an input most often names the node just before): compared first, which
   * spares a hash and a probe into a table too big for the cache.
   */
  lookup(start: number, end: number, src: Uint8Array = this.buf, near = -1): number {
    if (near >= 0 && this.sameBytes(near, src, start, end) && this.isFirst(near)) return near;
    const { slots, mask } = this;
    for (let s = hashBytes(src, start, end) & mask; ; s = (s + 1) & mask) {
      const v = slots[s];
      if (v === 0) return -1;
      if (this.sameBytes(v - 1, src, start, end)) return v - 1;
    }
  }

  /** The first node called `name`, or -1. ASCII names (nearly all) are hashed and compared as they are. */
  lookupName(name: string): number {
    const { slots, mask } = this;
    let h = FNV_BASIS;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c >= 0x80) {
        const bytes = encoder.encode(name);
        return this.lookup(0, bytes.length, bytes);
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    for (let s = mix(h) & mask; ; s = (s + 1) & mask) {
      const v = slots[s];
      if (v === 0) return -1;
      if (sameAscii(name, this.buf, this.starts[v - 1], this.ends[v - 1])) return v - 1;
    }
  }

  // First definition wins (TensorFlow refuses duplicates anyway; the graph check reports them).
  private insert(i: number): void {
    const { slots, mask, buf } = this;
    const start = this.starts[i];
    const end = this.ends[i];
    for (let s = hashBytes(buf, start, end) & mask; ; s = (s + 1) & mask) {
      const v = slots[s];
      if (v === 0) {
        slots[s] = i + 1;
        return;
      }
      if (this.sameBytes(v - 1, buf, start, end)) {
        this.duplicates.push(i);
        return;
      }
    }
  }

  /** Whether node j is the first of its name (not in duplicates). */
  private isFirst(j: number): boolean {
    if (this.duplicates.length === 0) return true;
    this.duplicateSet ??= new Set(this.duplicates);
    return !this.duplicateSet.has(j);
  }

  private sameBytes(j: number, src: Uint8Array, start: number, end: number): boolean {
    const s = this.starts[j];
    if (this.ends[j] - s !== end - start) return false;
    const buf = this.buf;
    for (let k = 0; k < end - start; k++) if (buf[s + k] !== src[start + k]) return false;
    return true;
  }
}

const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** s equals the bytes [start, end), read as ASCII (a non-ASCII s never matches: its callers then take the slow path). */
export function sameAscii(s: string, buf: Uint8Array, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/** FNV-1a over the bytes, then mixed so that linear probing spreads names that differ at the end. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_BASIS;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
  return mix(h);
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
