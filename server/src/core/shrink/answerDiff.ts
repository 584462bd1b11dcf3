// How far the copy's answers are from the source's, per output: the largest absolute and relative
// difference, the tolerance in the output's own units (a fraction of the source output's range),
// and for class scores (a float [batch, classes] output) how many rows pick the same top class.
import { OutputTensor } from '../smoke';

export interface OutputDiff {
  readonly signature: string;
  readonly output: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly maxAbs: number;
  readonly maxRel: number;
  /** The source output's range (max − min; at least its largest magnitude when that is 0). */
  readonly range: number;
  /** The allowed absolute difference: tolerance × range. */
  readonly allowed: number;
  /** Class scores: rows whose top class agrees, of rows. */
  readonly topClass?: { readonly agree: number; readonly rows: number };
  readonly withinTolerance: boolean;
  /** Set when the outputs cannot be compared element by element (shapes or kinds differ). */
  readonly mismatch?: string;
}

const TINY = 1e-12;

export function diffOutput(signature: string, a: OutputTensor, b: OutputTensor | undefined, tolerance: number): OutputDiff {
  const base = { signature, output: a.key, dtype: a.dtype, shape: a.shape };
  const none = { maxAbs: NaN, maxRel: NaN, range: NaN, allowed: NaN, withinTolerance: false };
  if (!b) return { ...base, ...none, mismatch: 'the copy has no such output' };
  if (a.shape.join(',') !== b.shape.join(',')) return { ...base, ...none, mismatch: `shape [${a.shape.join(', ')}] became [${b.shape.join(', ')}]` };
  if (a.values.some((v) => typeof v !== 'number')) {
    const same = a.values.every((v, i) => sameElement(v, b.values[i]));
    return { ...base, maxAbs: same ? 0 : NaN, maxRel: same ? 0 : NaN, range: 0, allowed: 0, withinTolerance: same, ...(same ? {} : { mismatch: 'non-numeric values differ' }) };
  }
  const x = a.values as number[];
  const y = b.values.map(Number);
  let maxAbs = 0;
  let maxRel = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let magnitude = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    const bothNaN = Number.isNaN(x[i]) && Number.isNaN(y[i]);
    const diff = bothNaN || x[i] === y[i] ? 0 : Number.isNaN(d) ? Infinity : d;
    maxAbs = Math.max(maxAbs, diff);
    maxRel = Math.max(maxRel, diff / Math.max(Math.abs(x[i]), TINY));
    if (Number.isFinite(x[i])) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
      magnitude = Math.max(magnitude, Math.abs(x[i]));
    }
  }
  const range = hi > lo ? hi - lo : Math.max(magnitude, TINY);
  const allowed = tolerance * range;
  const topClass = classScores(a) ? agreement(x, y, a.shape[1]) : undefined;
  return { ...base, maxAbs, maxRel, range, allowed, ...(topClass ? { topClass } : {}), withinTolerance: maxAbs <= allowed };
}

function sameElement(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

function classScores(t: OutputTensor): boolean {
  return t.shape.length === 2 && t.shape[1] >= 2 && /^DT_(FLOAT|DOUBLE|HALF|BFLOAT16)$/.test(t.dtype);
}

function agreement(x: readonly number[], y: readonly number[], classes: number): { agree: number; rows: number } {
  const rows = x.length / classes;
  let agree = 0;
  for (let r = 0; r < rows; r++) if (argmax(x, r * classes, classes) === argmax(y, r * classes, classes)) agree++;
  return { agree, rows };
}

function argmax(v: readonly number[], at: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (v[at + i] > v[at + best]) best = i;
  return best;
}
