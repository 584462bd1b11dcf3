// One scalar value as protoc prints it: `name: value` with protoc's number formats, enum names
// where the enum has one, strings escaped; plus the checks protoc's parser makes on scalars
// (proto3 UTF-8) and the proto3 default test that decides whether a value prints at all.
import { Kind } from './fieldKind';
import { formatDouble, formatFloat } from './floatFormat';
import type { Layout } from './printTables';
import { PrintWireReader } from './printWireReader';
import { TextOutput } from './textOutput';
import type { TreeRecorder } from './treeRecorder';
import { WireError, isValidUtf8 } from '../protobuf';

/** Reinterpret r.lo/r.hi for sint32/sint64 (zigzag); other kinds are read as they are. */
export function varintAs(r: PrintWireReader, kind: Kind): void {
  if (kind === Kind.Sint32) {
    r.lo = ((r.lo >>> 1) ^ -(r.lo & 1)) >>> 0;
    r.hi = 0;
  } else if (kind === Kind.Sint64) {
    const negative = r.lo & 1;
    let lo = ((r.lo >>> 1) | (r.hi << 31)) >>> 0;
    let hi = r.hi >>> 1;
    if (negative) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    }
    r.lo = lo;
    r.hi = hi;
  }
}

/** The value of slot s just written after its label (`name: `, which starts at `at`), into out's tree. */
function recordScalar(out: TextOutput, L: Layout, s: number, at: number): void {
  (out.tree as TreeRecorder).scalar(L.fieldId[s], at, out.offset);
}

export class ScalarPrinter {
  constructor(private readonly r: PrintWireReader, private readonly elideOver: number) {}

  /** proto3 implicit presence: zero bits (so -0.0 is not default) or an empty string. */
  isDefault(kind: Kind, start: number, end: number): boolean {
    switch (kind) {
      case Kind.String: case Kind.Bytes: return end === start;
      case Kind.Int32: case Kind.Uint32: case Kind.Sint32: case Kind.Enum:
        this.r.decodeVarint(start, end);
        return this.r.lo === 0;
      case Kind.Int64: case Kind.Uint64: case Kind.Sint64: case Kind.Bool:
        this.r.decodeVarint(start, end);
        return this.r.lo === 0 && this.r.hi === 0;
      default: {
        const buf = this.r.buf;
        for (let p = start; p < end; p++) if (buf[p] !== 0) return false;
        return true;
      }
    }
  }

  /**
   * protoc refuses the whole input ("Failed to parse input.") when a proto3 `string` field, map
   * keys and values included, holds invalid UTF-8: its parser verifies such fields in strict mode.
   * proto2 strings (graph_debug_info.proto) only get a logged error and print as usual.
   */
  checkUtf8(L: Layout, s: number, start: number, end: number): void {
    if (!L.verifyUtf8) return;
    this.r.present(start, end);
    if (!isValidUtf8(this.r.buf, start, end)) {
      throw new WireError(`string field ${L.info.fullName}.${L.info.fields[s].name} is not valid UTF-8`, start);
    }
  }

  /** One `name: value` line for the value at [start, end). */
  printScalar(out: TextOutput, L: Layout, s: number, depth: number, start: number, end: number): void {
    const kind = L.kind[s];
    if (kind === Kind.String || kind === Kind.Bytes) {
      if (kind === Kind.String) this.checkUtf8(L, s, start, end);
      else if (end - start > this.elideOver) return out.elided(depth, L.info.fields[s].name, end - start);
      out.line(depth, L.label[s]);
      const at = out.offset - L.label[s].length;
      // Read by positions: a tensor's bytes go from the file to the output in pieces, never kept.
      if (this.r.streams) out.quotedChunks((each) => this.r.chunks(start, end, each));
      else out.quoted(this.r.buf, start, end);
      if (out.tree) recordScalar(out, L, s, at);
      out.newline();
      return;
    }
    out.line(depth, L.label[s]);
    const at = out.offset - L.label[s].length;
    const view = this.r.view;
    switch (kind) {
      case Kind.Float: out.text(formatFloat(view.getFloat32(start, true))); break;
      case Kind.Double: out.text(formatDouble(view.getFloat64(start, true))); break;
      case Kind.Fixed32: out.writeUint(view.getUint32(start, true)); break;
      case Kind.Sfixed32: out.writeInt32(view.getInt32(start, true)); break;
      case Kind.Fixed64: out.writeUint64(view.getUint32(start, true), view.getUint32(start + 4, true)); break;
      case Kind.Sfixed64: out.writeInt64(view.getUint32(start, true), view.getUint32(start + 4, true)); break;
      default:
        this.r.decodeVarint(start, end);
        this.writeVarint(out, L, s, kind);
    }
    if (out.tree) recordScalar(out, L, s, at);
    out.newline();
  }

  /** A map entry's absent key or value: printed with its default. */
  printDefault(out: TextOutput, L: Layout, s: number, depth: number): void {
    const kind = L.kind[s];
    out.line(depth, L.label[s]);
    const at = out.offset - L.label[s].length;
    if (kind === Kind.String || kind === Kind.Bytes) out.text('""');
    else if (kind === Kind.Bool) out.text('false');
    else if (kind === Kind.Enum) this.writeEnum(out, L, s, 0);
    else out.text('0');
    if (out.tree) recordScalar(out, L, s, at);
    out.newline();
  }

  private writeVarint(out: TextOutput, L: Layout, s: number, kind: Kind): void {
    const r = this.r;
    varintAs(r, kind);
    switch (kind) {
      case Kind.Int32: case Kind.Sint32: return out.writeInt32(r.lo | 0);
      case Kind.Uint32: return out.writeUint(r.lo);
      case Kind.Bool: return out.text((r.lo | r.hi) !== 0 ? 'true' : 'false');
      case Kind.Enum: return this.writeEnum(out, L, s, r.lo | 0);
      case Kind.Uint64: return out.writeUint64(r.lo, r.hi);
      default: return out.writeInt64(r.lo, r.hi);
    }
  }

  private writeEnum(out: TextOutput, L: Layout, s: number, value: number): void {
    const name = L.enumNames[s]?.get(value);
    if (name) out.bytes(name);
    else out.writeInt32(value);
  }
}
