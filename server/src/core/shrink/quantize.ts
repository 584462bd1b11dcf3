// 8-bit weights: each output channel (the last dimension, as Dense and Conv2D kernels lay them out;
// the whole tensor for rank 0 and 1) gets a scale and an offset, and each value becomes
// round((v - offset) / scale) in 0..255. TensorFlow restores v ≈ q·scale + offset with Cast, Mul
// and AddV2, which broadcast the [channels] scale over the last dimension.
export interface Quantized {
  readonly q: Uint8Array;
  /** Per channel, float32 little-endian bytes; one element when per tensor. */
  readonly scale: Float32Array;
  readonly offset: Float32Array;
  readonly channels: number;
}

const LEVELS = 255;

export function quantize(data: Uint8Array, shape: readonly number[]): Quantized {
  const values = new Float32Array(data.slice().buffer);
  const channels = shape.length >= 2 && shape[shape.length - 1] > 0 ? shape[shape.length - 1] : 1;
  const min = new Float32Array(channels).fill(Infinity);
  const max = new Float32Array(channels).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    if (values[i] < min[c]) min[c] = values[i];
    if (values[i] > max[c]) max[c] = values[i];
  }
  const scale = new Float32Array(channels);
  const offset = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const lo = Number.isFinite(min[c]) ? min[c] : 0;
    // A constant channel keeps scale 1: every q is 0 and the offset alone restores it.
    scale[c] = max[c] > lo ? (max[c] - lo) / LEVELS : 1;
    offset[c] = lo;
  }
  const q = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = i % channels;
    q[i] = Math.max(0, Math.min(LEVELS, Math.round((values[i] - offset[c]) / scale[c])));
  }
  return { q, scale, offset, channels };
}

/** Whether every value is finite (NaN or infinities cannot be quantized or stored as float16 faithfully). */
export function allFinite(data: Uint8Array, limit = Infinity): boolean {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i + 4 <= data.length; i += 4) {
    const v = view.getFloat32(i, true);
    if (!Number.isFinite(v) || Math.abs(v) > limit) return false;
  }
  return true;
}
