// AsString: each element printed with C's printf, the format built from the op's attrs as
// TensorFlow's kernel builds it: `%` + fill + width (when width > -1) + `.precision` (when
// precision > -1) + `d` for integers, `f` for floats (`e` when scientific, `g` when shortest);
// booleans print `true` / `false`. So 1.5 → "1.500000", 7 with width 3 and fill "0" → "007".

export interface AsStringAttrs {
  /** Digits after the point (`f`, `e`) or significant digits (`g`); -1: printf's default, 6. */
  readonly precision: number;
  readonly scientific: boolean;
  readonly shortest: boolean;
  /** Minimum width; -1: none. */
  readonly width: number;
  /** A printf flag placed before the width: '' (pad with spaces), '0', ' ', '-', '+'. */
  readonly fill: string;
}

export const AS_STRING_DEFAULTS: AsStringAttrs = { precision: -1, scientific: false, shortest: false, width: -1, fill: '' };

export class KernelError extends Error {}

export function asString(values: ArrayLike<number>, kind: 'int' | 'float' | 'bool', attrs: AsStringAttrs): string[] {
  if (attrs.fill.length > 1) throw new KernelError(`AsString: fill must be at most one character, got '${attrs.fill}'`);
  if (attrs.scientific && attrs.shortest) throw new KernelError('AsString: cannot select both scientific and shortest notation');
  if (kind !== 'float' && (attrs.scientific || attrs.shortest || attrs.precision > -1)) throw new KernelError('AsString: scientific, shortest and precision apply to floats only');
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) out.push(kind === 'bool' ? (values[i] ? 'true' : 'false') : pad(body(values[i], kind, attrs), attrs));
  return out;
}

function body(v: number, kind: 'int' | 'float', a: AsStringAttrs): string {
  const sign = v < 0 || Object.is(v, -0) ? '-' : a.fill === '+' ? '+' : a.fill === ' ' ? ' ' : '';
  const x = Math.abs(v);
  if (kind === 'int') return sign + String(Math.trunc(x));
  if (Number.isNaN(v)) return `${a.fill === '+' ? '+' : a.fill === ' ' ? ' ' : ''}nan`;
  if (!Number.isFinite(x)) return `${sign}inf`;
  const p = a.precision < 0 ? 6 : a.precision;
  return sign + (a.shortest ? general(x, p) : a.scientific ? exponential(x, p) : x.toFixed(p));
}

/** printf's %e: one digit, the point, p digits, `e`, a sign and at least two exponent digits. */
function exponential(x: number, p: number): string {
  const [mantissa, exp] = x.toExponential(p).split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** printf's %g: %e or %f by the exponent, at p significant digits, trailing zeros dropped. */
function general(x: number, p: number): string {
  const sig = p === 0 ? 1 : p;
  if (x === 0) return '0';
  const e = Number(x.toExponential(sig - 1).split('e')[1]);
  const s = e < -4 || e >= sig ? exponential(x, sig - 1) : x.toFixed(sig - 1 - e);
  const [m, ex] = s.split('e');
  const trimmed = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
  return ex === undefined ? trimmed : `${trimmed}e${ex}`;
}

function pad(s: string, a: AsStringAttrs): string {
  if (a.width < 0 || s.length >= a.width) return s;
  if (a.fill === '-') return s.padEnd(a.width, ' ');
  // '0' pads after the sign, and never pads inf or nan with zeros.
  if (a.fill === '0' && /\d/.test(s[s.length - 1])) {
    const signed = /^[-+ ]/.test(s);
    return signed ? s[0] + s.slice(1).padStart(a.width - 1, '0') : s.padStart(a.width, '0');
  }
  return s.padStart(a.width, ' ');
}
