// Constants for TensorFlow.js: tfjs-converter reads every Const node's value from one weight
// buffer (specs in order, values back to back) in its own dtypes: float32, int32, bool, and
// strings as a 4-byte little-endian length then the bytes. TensorFlow's other dtypes are converted
// here, and the values that do not survive (int64 beyond int32) are counted for the report.
import { RawTensor, ValueError } from '../request/rawTensor';
import { elementCount, tfjsDtype } from '../request/hostTensor';

export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32' | 'int32' | 'bool' | 'string';
}

export interface Weights {
  readonly specs: WeightSpec[];
  readonly data: Uint8Array;
  /** Constants whose values changed in the conversion: name → why. */
  readonly lossy: ReadonlyMap<string, string>;
}

interface Converted {
  readonly bytes: Uint8Array;
  readonly lost: number;
}

export function packWeights(named: ReadonlyArray<readonly [string, RawTensor]>): Weights {
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  const lossy = new Map<string, string>();
  for (const [name, t] of named) {
    const dtype = tfjsDtype(t.dtype);
    if (!dtype) throw new ValueError(`constant ${name} has dtype ${t.dtype}, which TensorFlow.js cannot hold`);
    const c = convert(t);
    if (c.lost > 0) lossy.set(name, `${c.lost} ${t.dtype} value(s) outside the int32 range`);
    specs.push({ name, shape: [...t.shape], dtype });
    parts.push(c.bytes);
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { specs, data, lossy };
}

function convert(t: RawTensor): Converted {
  if (t.dtype === 'DT_STRING') return { bytes: packStrings(t.strings ?? []), lost: 0 };
  const src = t.data ?? new Uint8Array(0);
  const n = elementCount(t.shape);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  switch (t.dtype) {
    case 'DT_FLOAT': case 'DT_INT32': return { bytes: src.slice(), lost: 0 };
    case 'DT_BOOL': return { bytes: src.slice(), lost: 0 };
    case 'DT_DOUBLE': return floats(n, (i) => view.getFloat64(i * 8, true));
    case 'DT_HALF': return floats(n, (i) => halfToFloat(view.getUint16(i * 2, true)));
    case 'DT_BFLOAT16': return floats(n, (i) => bfloat16ToFloat(view.getUint16(i * 2, true)));
    case 'DT_INT64': return ints(n, (i) => view.getBigInt64(i * 8, true));
    case 'DT_UINT64': return ints(n, (i) => view.getBigUint64(i * 8, true));
    case 'DT_UINT32': return ints(n, (i) => BigInt(view.getUint32(i * 4, true)));
    case 'DT_INT16': return ints(n, (i) => BigInt(view.getInt16(i * 2, true)));
    case 'DT_UINT16': return ints(n, (i) => BigInt(view.getUint16(i * 2, true)));
    case 'DT_INT8': return ints(n, (i) => BigInt(view.getInt8(i)));
    case 'DT_UINT8': return ints(n, (i) => BigInt(view.getUint8(i)));
    default: throw new ValueError(`dtype ${t.dtype} cannot be converted for TensorFlow.js`);
  }
}

function floats(n: number, get: (i: number) => number): Converted {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = get(i);
  return { bytes: new Uint8Array(out.buffer), lost: 0 };
}

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

function ints(n: number, get: (i: number) => bigint): Converted {
  const out = new Int32Array(n);
  let lost = 0;
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v < INT32_MIN || v > INT32_MAX) lost++;
    out[i] = Number(BigInt.asIntN(32, v));
  }
  return { bytes: new Uint8Array(out.buffer), lost };
}

function packStrings(strings: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(strings.reduce((n, s) => n + 4 + s.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const s of strings) {
    view.setUint32(at, s.length, true);
    out.set(s, at + 4);
    at += 4 + s.length;
  }
  return out;
}

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function bfloat16ToFloat(b: number): number {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setUint32(0, b << 16);
  return buf.getFloat32(0);
}
