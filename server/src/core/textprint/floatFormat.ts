// Float and double text exactly as protobuf's C++ SimpleFtoa / SimpleDtoa write it (what
// `protoc --decode` prints): printf "%.*g" with FLT_DIG (6) / DBL_DIG (15) significant digits,
// or FLT_DIG+3 (9) / DBL_DIG+2 (17) when that text does not parse back to the same value; inf,
// -inf and nan (any sign) spelled that way.
//
// glibc's printf rounds the exact binary value to nearest, ties to even; V8's toExponential
// rounds exact ties away from zero. Exact ties are rare (the value must have exactly one digit
// more than asked, ending in 5, e.g. 1048576.125f at 9 digits) and are redone exactly in BigInt.

const FLOAT_CACHE = new Map<number, string>();
const DOUBLE_CACHE = new Map<number, string>();
const CACHE_LIMIT = 4096;

/** A float32 value (held in a JS number) as SimpleFtoa prints it. */
export function formatFloat(v: number): string {
  const special = specialText(v);
  if (special !== undefined) return special;
  const cached = FLOAT_CACHE.get(v);
  if (cached !== undefined) return cached;
  const text = floatText(v);
  remember(FLOAT_CACHE, v, text);
  return text;
}

/** A double as SimpleDtoa prints it. */
export function formatDouble(v: number): string {
  const special = specialText(v);
  if (special !== undefined) return special;
  const cached = DOUBLE_CACHE.get(v);
  if (cached !== undefined) return cached;
  const text = doubleText(v);
  remember(DOUBLE_CACHE, v, text);
  return text;
}

function remember(cache: Map<number, string>, v: number, text: string): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(v, text);
}

function specialText(v: number): string | undefined {
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  return undefined;
}

function floatText(v: number): string {
  // Integers below 10^6 print whole at 6 digits and always parse back.
  if (Number.isInteger(v) && v < 1e6 && v > -1e6) return String(v);
  // safe_strtof fails on any subnormal result (strtof sets ERANGE), so subnormal floats always
  // take the 9-digit form.
  if (v < MIN_NORMAL_FLOAT && v > -MIN_NORMAL_FLOAT) return gText(v, 9);
  const six = gText(v, 6);
  return parsesBackToFloat(six, v) ? six : gText(v, 9);
}

const MIN_NORMAL_FLOAT = 2 ** -126;
const MIN_NORMAL_DOUBLE = 2.2250738585072014e-308;

function doubleText(v: number): string {
  if (Number.isInteger(v) && v < 1e15 && v > -1e15) return String(v);
  const a = Math.abs(v);
  if (a >= MIN_NORMAL_DOUBLE) {
    // For normal doubles "%.15g" is the shortest round-trip text whenever that has at most 15
    // digits (any 15-digit decimal survives decimal -> double -> 15 digits), and never
    // round-trips otherwise; so the shortest text decides without a trial parse.
    const shortest = a.toExponential();
    const mant = shortest.slice(0, shortest.indexOf('e'));
    const digits = mant.length > 1 ? mant.length - 1 : 1;
    if (digits <= 15) return gFromDigits(v < 0, mant.replace('.', ''), exponentOf(shortest), 15);
    return gText(v, 17);
  }
  // Subnormals carry fewer bits than 15 digits, so the trial parse is real there.
  const fifteen = gText(v, 15);
  return Number(fifteen) === v ? fifteen : gText(v, 17);
}

function exponentOf(expText: string): number {
  return Number(expText.slice(expText.indexOf('e') + 1));
}

/** printf("%.{p}g", v) for finite non-zero v. */
function gText(v: number, p: number): string {
  const a = Math.abs(v);
  const s = a.toExponential(p - 1);
  let exp = exponentOf(s);
  let digits = s.slice(0, s.indexOf('e')).replace('.', '');
  if (mayBeTie(a, p, exp)) {
    const exact = roundHalfEven(a, p, exp);
    digits = exact.digits;
    exp = exact.exp;
  }
  return gFromDigits(v < 0, digits, exp, p);
}

/**
 * Cheap filter for an exact tie at p digits: the value must then have exactly p+1 significant
 * digits, so x * 10^(p - E) is an integer, which for a binary fraction means x * 2^(p - E) is.
 * `exp` may be one above the true decimal exponent (rounding carried), hence the +1 slack.
 */
function mayBeTie(a: number, p: number, exp: number): boolean {
  const j = p - exp + 1;
  if (j < 0) return Number.isInteger(a) && lastDigitIsFive(a, p);
  if (!Number.isInteger(a * 2 ** j)) return false;
  return lastDigitIsFive(a, p);
}

function lastDigitIsFive(a: number, p: number): boolean {
  const s = a.toExponential(p);
  return s.charCodeAt(s.indexOf('e') - 1) === 0x35;
}

interface Decimal {
  digits: string;
  exp: number;
}

/** The p-digit decimal nearest to a (ties to even), computed exactly. */
function roundHalfEven(a: number, p: number, expGuess: number): Decimal {
  const [m, e2] = decompose(a);
  let exp = expGuess;
  let q = scaledRound(m, e2, p - 1 - exp);
  if (q < 10n ** BigInt(p - 1)) {
    // The guess came from a rounding that carried into a new digit; half-even did not.
    exp--;
    q = scaledRound(m, e2, p - 1 - exp);
  }
  if (q >= 10n ** BigInt(p)) {
    exp++;
    q /= 10n;
  }
  return { digits: q.toString(), exp };
}

/** round-half-even(m * 2^e2 * 10^k) */
function scaledRound(m: bigint, e2: number, k: number): bigint {
  let num = m;
  let den = 1n;
  if (e2 >= 0) num <<= BigInt(e2);
  else den <<= BigInt(-e2);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  const q = num / den;
  const twice = (num % den) * 2n;
  if (twice > den || (twice === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** a = m * 2^e2 exactly, for finite positive a. */
function decompose(a: number): [bigint, number] {
  f64[0] = a;
  const hi = u32[1];
  const lo = u32[0];
  const biased = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [frac, -1074];
  return [frac | (1n << 52n), biased - 1075];
}

/** printf %g layout of a rounded decimal: fixed for -4 <= exp < p, else d.ddde±XX. */
function gFromDigits(negative: boolean, digits: string, exp: number, p: number): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 0x30) end--;
  const d = digits.slice(0, end);
  let body: string;
  if (exp < -4 || exp >= p) {
    const mant = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
    const abs = Math.abs(exp);
    body = `${mant}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${d}`;
  } else if (d.length <= exp + 1) {
    body = d + '0'.repeat(exp + 1 - d.length);
  } else {
    body = `${d.slice(0, exp + 1)}.${d.slice(exp + 1)}`;
  }
  return negative ? `-${body}` : body;
}

/**
 * strtof(text) == v, for the 6-digit text of a normal float. Math.fround(Number(text)) rounds
 * twice (decimal -> double -> float), which could only differ from strtof's single rounding if
 * the double landed on a float midpoint the decimal was not exactly at. Checked exhaustively
 * (all 76.5M six-digit decimals from 1e-46 to 1e39): that never happens.
 */
function parsesBackToFloat(text: string, v: number): boolean {
  return Math.fround(Number(text)) === v;
}
