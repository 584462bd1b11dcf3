// float32 → IEEE float16 bits, rounding to nearest even as TensorFlow's Cast does. Values beyond
// float16's range become infinity: callers keep such tensors as float32.
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

export const HALF_MAX = 65504;

export function floatToHalf(v: number): number {
  F32[0] = v;
  const x = U32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    // Subnormal: shift the mantissa (with its hidden bit) into place, rounding to nearest even.
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > half || (rest === half && (h & 1))) h++;
    return sign | h;
  }
  let h = sign | (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h++;
  return h;
}

/** float32 little-endian bytes → float16 little-endian bytes. */
export function toHalfBytes(data: Uint8Array): Uint8Array {
  const n = data.length / 4;
  const src = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(n * 2);
  const dst = new DataView(out.buffer);
  for (let i = 0; i < n; i++) dst.setUint16(i * 2, floatToHalf(src.getFloat32(i * 4, true)), true);
  return out;
}
