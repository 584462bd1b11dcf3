// The answer in the prediction service's format. Row-format requests get `{"predictions": [...]}`
// (one entry per instance: the value for a single output, else an object keyed by output name);
// columnar requests get `{"outputs": ...}`, as TF Serving answers them. Binary strings are
// `{"b64": ...}`; non-finite floats are written "NaN", "Infinity", "-Infinity" (JSON has no literal).
import { ElementValue } from './hostTensor';
import { JsonObject, JsonValue } from './jsonValue';
import type { OutputTensor } from '../runtime/runtime';

export function predictionResponse(outputs: readonly OutputTensor[], format: 'row' | 'columnar', batch: number): JsonObject {
  if (format === 'columnar') {
    const whole = outputs.map((o) => nestedJson(o.values, o.shape, single(o.dtype)));
    return { outputs: outputs.length === 1 ? whole[0] : Object.fromEntries(outputs.map((o, i) => [o.key, whole[i]])) };
  }
  const rows: JsonValue[][] = [];
  for (const o of outputs) {
    const split = splitRows(o, batch);
    if (typeof split === 'string') return { error: split };
    rows.push(split);
  }
  const predictions = Array.from({ length: batch }, (_, b) =>
    outputs.length === 1 ? rows[0][b] : Object.fromEntries(outputs.map((o, i) => [o.key, rows[i][b]])));
  return { predictions };
}

/** An output split along its first dimension into one value per instance. */
function splitRows(o: OutputTensor, batch: number): JsonValue[] | string {
  if (o.shape.length === 0 || o.shape[0] !== batch) {
    if (batch === 1) return [nestedJson(o.values, o.shape, single(o.dtype))];
    return `output '${o.key}' has shape [${o.shape.join(', ')}]: its first dimension is not the number of instances (${batch}), so it cannot be split into predictions`;
  }
  const inner = o.shape.slice(1);
  const size = inner.reduce((n, d) => n * d, 1);
  return Array.from({ length: batch }, (_, b) => nestedJson(o.values.slice(b * size, (b + 1) * size), inner, single(o.dtype)));
}

/** Floats of 32 bits or fewer are written with the digits that identify the float32, as TF Serving does. */
function single(dtype: string): boolean {
  return dtype === 'DT_FLOAT' || dtype === 'DT_HALF' || dtype === 'DT_BFLOAT16';
}

function nestedJson(values: readonly ElementValue[], shape: readonly number[], float32: boolean): JsonValue {
  if (shape.length === 0) return elementJson(values[0], float32);
  const size = shape.slice(1).reduce((n, d) => n * d, 1);
  return Array.from({ length: shape[0] }, (_, i) => nestedJson(values.slice(i * size, (i + 1) * size), shape.slice(1), float32));
}

/** The shortest decimal that reads back as the same float32. */
export function shortestFloat32(v: number): number {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}

const strict = new TextDecoder('utf-8', { fatal: true });

function elementJson(v: ElementValue | undefined, float32: boolean): JsonValue {
  if (v === undefined) return null;
  if (v instanceof Uint8Array) {
    try {
      return strict.decode(v);
    } catch {
      return { b64: Buffer.from(v).toString('base64') };
    }
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return typeof v === 'number' && float32 ? shortestFloat32(v) : v;
}
