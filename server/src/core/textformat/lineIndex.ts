// Byte offsets ↔ LSP positions for a UTF-8 text held as bytes. LSP positions count lines (broken
// by \n, \r\n or a lone \r, as editors break them) and UTF-16 code units within a line. Bytes that
// are not valid UTF-8 count as the editor decodes them: one U+FFFD (one unit) per maximal invalid
// subsequence, as the WHATWG decoder does.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export class LineIndex {
  /** Byte offset where each line starts; lineStarts[0] = 0. */
  private readonly lineStarts: Uint32Array | Float64Array;
  readonly lineCount: number;

  constructor(private readonly bytes: Uint8Array) {
    const { starts, count } = buildLineStarts(bytes);
    this.lineStarts = starts;
    this.lineCount = count;
  }

  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.lineCount) return this.bytes.length;
    return this.lineStarts[line];
  }

  /** Offset of the line break ending `line` (or the end of the text on the last line). */
  lineEnd(line: number): number {
    if (line >= this.lineCount - 1) return this.bytes.length;
    let end = this.lineStarts[line + 1] - 1;
    if (this.bytes[end] === 10 && end > this.lineStarts[line] && this.bytes[end - 1] === 13) end--;
    return end;
  }

  /** The line containing byte `offset` (clamped to the text). */
  lineAt(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = this.lineCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.bytes.length));
    const line = this.lineAt(clamped);
    const start = this.lineStarts[line];
    return { line, character: utf16Length(this.bytes, start, Math.min(clamped, this.lineEnd(line))) };
  }

  /** The byte offset of an LSP position; characters past the line end give the line end. */
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineCount) return this.bytes.length;
    const start = this.lineStarts[pos.line];
    return offsetOfUnits(this.bytes, start, this.lineEnd(pos.line), Math.max(0, pos.character));
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

function buildLineStarts(bytes: Uint8Array): { starts: Uint32Array | Float64Array; count: number } {
  const table = new LineStarts(bytes.length >= 0xffffffff);
  if (bytes.indexOf(13) < 0) {
    // No \r at all: let the native search find the newlines.
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) table.push(i + 1);
  } else {
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === 10 || (c === 13 && bytes[i + 1] !== 10)) table.push(i + 1);
    }
  }
  return { starts: table.starts, count: table.count };
}

/** A growable list of offsets; 32-bit unless the text is 4 GiB or more. */
class LineStarts {
  starts: Uint32Array | Float64Array;
  count = 1;

  constructor(private readonly wide: boolean) {
    this.starts = wide ? new Float64Array(1024) : new Uint32Array(1024);
  }

  push(offset: number): void {
    if (this.count === this.starts.length) {
      const next = this.wide ? new Float64Array(this.count * 2) : new Uint32Array(this.count * 2);
      next.set(this.starts);
      this.starts = next;
    }
    this.starts[this.count++] = offset;
  }
}

/**
 * Byte length of the UTF-8 sequence starting at `i` if it is complete and valid within `end`,
 * else the negated length of its maximal invalid subpart (decoded as one U+FFFD).
 */
function sequenceAt(bytes: Uint8Array, i: number, end: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return -1;
  let j = i + 1;
  for (let k = 0; k < need; k++, j++) {
    if (j >= end) return -(j - i);
    const c = bytes[j];
    if (c < lo || c > hi) return -(j - i);
    lo = 0x80;
    hi = 0xbf;
  }
  return need + 1;
}

/** UTF-16 code units that bytes [start, end) decode to. */
export function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let units = 0;
  let i = start;
  while (i < end) {
    if (bytes[i] < 0x80) {
      units++;
      i++;
      continue;
    }
    const n = sequenceAt(bytes, i, end);
    units += n === 4 ? 2 : 1;
    i += Math.abs(n);
  }
  return units;
}

/** The offset in [start, end] after `units` UTF-16 code units (not splitting a character). */
function offsetOfUnits(bytes: Uint8Array, start: number, end: number, units: number): number {
  let i = start;
  let u = 0;
  while (i < end && u < units) {
    if (bytes[i] < 0x80) {
      u++;
      i++;
      continue;
    }
    const n = sequenceAt(bytes, i, end);
    u += n === 4 ? 2 : 1;
    i += Math.abs(n);
  }
  return i;
}
