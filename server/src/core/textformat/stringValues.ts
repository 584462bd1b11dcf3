// Values of string fields as JS strings: valid UTF-8 only (else the parser keeps the bytes), and
// short ones shared through a cache, since the same names recur all over a graph.

const utf8Fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }); // ignoreBOM: keep a leading BOM
const utf8Lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Longer string values stay bytes: a JS string cannot hold 512 MiB. */
const MAX_STRING_BYTES = 1 << 28;

/** Valid UTF-8 bytes as a string, else undefined. */
export function utf8Text(buf: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > MAX_STRING_BYTES) return undefined;
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return strictDecode(buf, start, end);
  // The native decoder beats building short strings a character at a time.
  return utf8Lenient.decode(buf.subarray(start, end));
}

function strictDecode(buf: Uint8Array, start: number, end: number): string | undefined {
  try {
    return utf8Fatal.decode(buf.subarray(start, end));
  } catch {
    return undefined;
  }
}

/**
 * Strings of string fields, shared when the same short text recurs (op names, devices, attr keys,
 * inputs naming other nodes): a direct-mapped cache checked byte for byte, so repeats cost no
 * allocation and the tree holds one copy.
 */
export class StringCache {
  private readonly slots: Array<string | undefined> = new Array<string | undefined>(4096).fill(undefined);

  /** Valid UTF-8 bytes as a string, else undefined. */
  get(buf: Uint8Array, start: number, end: number): string | undefined {
    const n = end - start;
    if (n > 64) return utf8Text(buf, start, end);
    let h = n;
    for (let i = start; i < end; i++) {
      const c = buf[i];
      if (c >= 0x80) return strictDecode(buf, start, end);
      h = (Math.imul(h, 31) + c) | 0;
    }
    const slot = (h ^ (h >>> 12)) & 4095;
    const cached = this.slots[slot];
    if (cached !== undefined && cached.length === n && sameChars(cached, buf, start)) return cached;
    const s = utf8Lenient.decode(buf.subarray(start, end));
    this.slots[slot] = s;
    return s;
  }
}

function sameChars(s: string, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

/** A copy as a plain Uint8Array (Buffer#slice would return a view of the whole text). */
export function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.subarray(start, end));
}
