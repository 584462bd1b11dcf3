// A binary saved_model.pb read by position: the wire walk (validateWire) reads the framing and the
// small fields as it reaches them, big `bytes` payloads (tensor_content, big string_val) are
// skipped by their length and read only when asked for, with pread. The bytes live in one buffer
// as large as the file, so every offset in the typed model is a file offset; pages the walk never
// read are never touched and cost no memory (the buffer starts as untouched zero pages).
//
// The file is opened once. Before a late read it is checked unchanged (same inode at the path,
// same size and modification time); if it changed, ModelChangedError: the model must be read
// again (withFreshModel), never mixed with the new file's bytes.
import * as fs from 'node:fs';
import { registerSparse, validateWire, MessageInfo, WireVerdict, WireWindow } from '../protobuf';
import type { SpanRequest } from '../protobuf';

/** Payloads at least this long are left unread by the walk. */
export const MIN_SKIP = 64 * 1024;
/** The walk reads ahead one page after a skipped payload, twice as much on each read while it skips nothing. */
const FIRST_CHUNK = 4 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;
/** Pieces an export streams an unread payload in. */
const STREAM_CHUNK = 1024 * 1024;

export class ModelChangedError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed while it was being read; read it again`);
  }
}

interface Stamp {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
}

const closer = new FinalizationRegistry<number>((fd) => {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
});

export class ModelFile implements WireWindow {
  readonly bytes: Buffer;
  readonly size: number;
  /** Unread payloads, in file order: [start, end) pairs. */
  private holes: number[] = [];
  private fd: number | undefined;
  private readonly stamp: Stamp;
  private chunk = FIRST_CHUNK;
  private scratch: Buffer | undefined;
  /** Bytes read from the file so far (the benchmark and tests look). */
  bytesRead = 0;

  private constructor(readonly file: string, fd: number) {
    this.fd = fd;
    const st = fs.fstatSync(fd, { bigint: true });
    this.stamp = { ino: st.ino, size: st.size, mtimeNs: st.mtimeNs };
    this.size = Number(st.size);
    this.bytes = Buffer.alloc(this.size);
  }

  /**
   * Open the file and walk it as `type`, reading what the walk needs. The file stays open only
   * when payloads were left unread (they may be asked for later).
   */
  static open(file: string, type: MessageInfo, spans?: SpanRequest): { file: ModelFile; verdict: WireVerdict } {
    const m = new ModelFile(file, fs.openSync(file, 'r'));
    const verdict = validateWire(m.bytes, type, {
      window: m,
      minSkip: MIN_SKIP,
      onSkip: (s, e) => m.skipped(s, e),
      spans,
    });
    if (m.holes.length === 0 || !verdict.ok) m.close();
    else {
      closer.register(m, m.fd as number, m);
      registerSparse(m.bytes, (s, e) => m.read(s, e), (s, e, each) => m.stream(s, e, each));
    }
    return { file: m, verdict };
  }

  /** The walk's window: make [pos, end) present, with some read-ahead. */
  load(pos: number, end: number): number {
    const to = Math.min(this.size, Math.max(end, pos + this.chunk));
    this.pread(pos, to);
    if (this.chunk < MAX_CHUNK) this.chunk *= 2;
    return to;
  }

  private skipped(start: number, end: number): void {
    this.holes.push(start, end);
    this.chunk = FIRST_CHUNK;
  }

  get unreadBytes(): number {
    let n = 0;
    for (let i = 0; i < this.holes.length; i += 2) n += this.holes[i + 1] - this.holes[i];
    return n;
  }

  /** [start, end) of the file, read in first where it was skipped. */
  read(start: number, end: number): Uint8Array {
    const holes = this.holes;
    if (holes.length) {
      let k = this.firstHoleAfter(start);
      const filled: number[] = [];
      while (k * 2 < holes.length && holes[k * 2] < end) filled.push(k++);
      if (filled.length) {
        this.checkUnchanged();
        for (const i of filled) this.pread(holes[i * 2], holes[i * 2 + 1]);
        holes.splice(filled[0] * 2, filled.length * 2);
        if (holes.length === 0) this.close();
      }
    }
    return this.bytes.subarray(start, end);
  }

  /**
   * [start, end) handed to `each` in pieces of at most 1 MiB: unread parts are read into a scratch
   * buffer that is reused, so an export streams a 2 GB model through a few MB of memory.
   */
  stream(start: number, end: number, each: (chunk: Uint8Array) => void): void {
    const holes = this.holes;
    let pos = start;
    let checked = false;
    for (let i = this.firstHoleAfter(start); pos < end; i++) {
      const holeStart = i * 2 < holes.length ? Math.max(pos, holes[i * 2]) : end;
      if (holeStart >= end) {
        each(this.bytes.subarray(pos, end));
        return;
      }
      if (holeStart > pos) each(this.bytes.subarray(pos, holeStart));
      const holeEnd = Math.min(end, holes[i * 2 + 1]);
      if (!checked) {
        this.checkUnchanged();
        checked = true;
      }
      this.scratch ??= Buffer.allocUnsafe(STREAM_CHUNK);
      for (let p = holeStart; p < holeEnd; ) {
        const n = Math.min(STREAM_CHUNK, holeEnd - p);
        this.preadInto(this.scratch, p, n);
        each(this.scratch.subarray(0, n));
        p += n;
      }
      pos = holeEnd;
    }
  }

  /** Index of the first hole that ends after pos (holes are sorted and disjoint). */
  private firstHoleAfter(pos: number): number {
    const holes = this.holes;
    let lo = 0;
    let hi = holes.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (holes[mid * 2 + 1] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The whole file in memory (an export that copies it). */
  whole(): Uint8Array {
    this.read(0, this.size);
    return this.bytes; // the same object each time: callers compare it by identity
  }

  /** Throws ModelChangedError unless the path still names the file read, unchanged. */
  checkUnchanged(): void {
    let same = false;
    try {
      const now = fs.statSync(this.file, { bigint: true });
      const open = this.fd === undefined ? now : fs.fstatSync(this.fd, { bigint: true });
      same = now.ino === this.stamp.ino && open.size === this.stamp.size && open.mtimeNs === this.stamp.mtimeNs;
    } catch {
      same = false;
    }
    if (!same) throw new ModelChangedError(this.file);
  }

  private pread(start: number, end: number): void {
    if (this.fd === undefined) throw new ModelChangedError(this.file);
    for (let pos = start; pos < end; ) {
      const n = fs.readSync(this.fd, this.bytes, pos, end - pos, pos);
      if (n === 0) throw new ModelChangedError(this.file); // shorter than it was: it changed
      pos += n;
      this.bytesRead += n;
    }
  }

  /** n bytes of the file at `at` into the start of `into`. */
  private preadInto(into: Buffer, at: number, n: number): void {
    if (this.fd === undefined) throw new ModelChangedError(this.file);
    for (let done = 0; done < n; ) {
      const got = fs.readSync(this.fd, into, done, n - done, at + done);
      if (got === 0) throw new ModelChangedError(this.file);
      done += got;
      this.bytesRead += got;
    }
  }

  private close(): void {
    if (this.fd === undefined) return;
    closer.unregister(this);
    fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
