// Node name → first index, for tables of hundreds of thousands of nodes. A JS Map of 300k strings
// takes ~200 ms to build on this machine (about a fifth of `check` on the 300k-node graph); this
// open-addressing table over the names array takes a tenth of that and holds one Int32Array.

export class NameIndex {
  /** Slot → node index + 1 (0: empty). Size a power of two, at least twice the names. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly names: readonly string[]) {
    let size = 16;
    while (size < names.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < names.length; i++) this.insert(i);
  }

  /** The first node called `name`, or -1. */
  indexOf(name: string): number {
    const { slots, mask, names } = this;
    for (let s = hash(name) & mask; ; s = (s + 1) & mask) {
      const v = slots[s];
      if (v === 0) return -1;
      if (names[v - 1] === name) return v - 1;
    }
  }

  // First definition wins (TensorFlow refuses duplicates anyway; the graph check reports them).
  private insert(i: number): void {
    const { slots, mask, names } = this;
    const name = names[i];
    for (let s = hash(name) & mask; ; s = (s + 1) & mask) {
      const v = slots[s];
      if (v === 0) {
        slots[s] = i + 1;
        return;
      }
      if (names[v - 1] === name) return;
    }
  }
}

/** FNV-1a over UTF-16 code units, then mixed so that linear probing spreads similar names. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
