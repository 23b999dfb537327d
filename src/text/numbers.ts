/**
 * Redis's number parsing and printing (util.c, object.c, t_string.c,
 * t_hash.c), byte-exact:
 *
 * - integers: string2ll, which is stricter than strtoll: no sign but '-',
 *   no leading zeros, no spaces, "-0" rejected, at most 20 characters.
 * - doubles: string2d, i.e. strtod over the whole string with no leading
 *   space, rejecting NaN, overflow and underflow to zero.
 * - double replies: addReplyDouble's "%.17g".
 * - INCRBYFLOAT / HINCRBYFLOAT: long double arithmetic and ld2string's
 *   human format, emulated exactly in long-double.ts.
 */
import { errors } from '../errors.js';
import {
  BINARY64,
  addLongDouble,
  bitLength,
  roundScan,
  strtodScan,
  string2ld,
  formatLongDoubleHuman,
  type LongDouble,
} from './long-double.js';

/** LONG_STR_SIZE: string2ll refuses strings this long or longer. */
const LONG_STR_SIZE = 21;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** The digits-only shape string2ll accepts, before the range check. */
function isInt64Syntax(s: string): boolean {
  const len = s.length;
  if (len === 0 || len >= LONG_STR_SIZE) return false;
  if (len === 1 && s.charCodeAt(0) === 48) return true;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    i = 1;
    if (len === 1) return false;
  }
  // First digit 1-9: no leading zeros, and "-0" fails here.
  const first = s.charCodeAt(i);
  if (first < 49 || first > 57) return false;
  for (i++; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Redis's string2ll: the int64 value of `s`, or null when Redis would reject it. */
export function parseInt64(s: string): bigint | null {
  if (!isInt64Syntax(s)) return null;
  const v = BigInt(s);
  return v > INT64_MAX || v < INT64_MIN ? null : v;
}

/**
 * string2ll keeping every int64 exact: a number while the value is exact as
 * a double (nearly every counter), a BigInt past 2^53, null when Redis
 * would reject the text.
 */
export function parseExactInt64(s: string): number | bigint | null {
  const n = parseInteger(s);
  if (n === null || Number.isSafeInteger(n)) return n;
  return parseInt64(s)!;
}

/**
 * a + b in int64 (incrDecrCommand's and hincrbyCommand's sum): in doubles
 * while exact, else in BigInt; null when it overflows int64.
 */
export function addInt64(a: number | bigint, b: number | bigint): number | bigint | null {
  if (typeof a === 'number' && typeof b === 'number' && Number.isSafeInteger(a + b)) return a + b;
  const sum = BigInt(a) + BigInt(b);
  return sum > INT64_MAX || sum < INT64_MIN ? null : sum;
}

/**
 * string2ll as a JS number, for counts, indices and timeouts. Validity is
 * exactly string2ll's (int64 range included); values beyond 2^53 come back as
 * the nearest double, so callers needing every int64 exactly (INCRBY, SETRANGE
 * arithmetic near the limits) should use {@link parseInt64}.
 */
export function parseInteger(s: string): number | null {
  const len = s.length;
  // Up to 15 digits the value is exact in a double and can't leave int64:
  // accumulate it directly, which is the common case for every count/index.
  if (len > 0 && len <= 15) {
    let i = 0;
    let neg = false;
    if (s.charCodeAt(0) === 45) {
      if (len === 1) return null;
      neg = true;
      i = 1;
    }
    const first = s.charCodeAt(i);
    if (first === 48) return len === 1 ? 0 : null;
    if (first < 49 || first > 57) return null;
    let v = first - 48;
    for (i++; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      v = v * 10 + (c - 48);
    }
    return neg ? -v : v;
  }
  const v = parseInt64(s);
  return v === null ? null : Number(v);
}

/**
 * glibc strtod on `s`: the double, `endptr` as an offset (0 when nothing was
 * converted, leading spaces included), and whether errno would be ERANGE
 * (overflow to infinity, or a non-zero number rounding to zero). Exported
 * for parsers with their own rules, such as ZRANGEBYSCORE's bounds.
 */
export function strtod(s: string): { value: number; end: number; erange: boolean } {
  const scan = strtodScan(s);
  const sign = scan.neg ? -1 : 1;
  switch (scan.kind) {
    case 'none':
      return { value: 0, end: 0, erange: false };
    case 'inf':
      return { value: sign * Infinity, end: scan.end, erange: false };
    case 'nan':
      return { value: NaN, end: scan.end, erange: false };
    case 'decimal': {
      // JS number parsing is correctly rounded to nearest-even, as glibc is.
      const value = sign * Number(scan.digits + 'e' + scan.exp);
      const nonZero = /[1-9]/.test(scan.digits);
      const erange = nonZero && (value === 0 || !Number.isFinite(value));
      return { value, end: scan.end, erange };
    }
    case 'hex': {
      const { rounded, erange } = roundScan(scan, BINARY64);
      if (rounded === 'overflow') return { value: sign * Infinity, end: scan.end, erange };
      return { value: sign * binaryToDouble(rounded.mant, rounded.exp), end: scan.end, erange };
    }
  }
}

/** mant * 2^exp as a double, for a value already rounded to binary64: built from its bits. */
function binaryToDouble(mant: bigint, exp: number): number {
  if (mant === 0n) return 0;
  const lead = bitLength(mant) - 1 + exp;
  let biased: number;
  let fraction: bigint;
  if (lead >= -1022) {
    biased = lead + 1023;
    fraction = (mant << BigInt(52 - (lead - exp))) & 0xfffffffffffffn;
  } else {
    // Subnormal: the quantum is 2^-1074 and exp is never below it.
    biased = 0;
    fraction = mant << BigInt(exp + 1074);
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, (biased << 20) | Number(fraction >> 32n));
  view.setUint32(4, Number(fraction & 0xffffffffn));
  return view.getFloat64(0);
}

const C_SPACE = /^[ \t\n\v\f\r]/;
const SIMPLE_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Redis's string2d (getDoubleFromObject): the whole string must convert,
 * no leading space, not empty, not NaN, and not out of range. Accepts what
 * strtod accepts: "1e3", ".5", "5.", "+1", "inf", "-Infinity", "0x1p3".
 */
/** Any digit 1-9: a decimal without one is an exact zero. */
const NONZERO_DIGIT = /[1-9]/;

export function parseDouble(s: string): number | null {
  // Plain decimals (nearly every score) go straight to Number, which rounds
  // as glibc does; zero and infinity fall through for the ERANGE rules.
  if (SIMPLE_DECIMAL.test(s)) {
    const v = Number(s);
    if (v !== 0 && v !== Infinity && v !== -Infinity) return v;
    // A zero spelled with zero digits only ("0", "-0.0") is exact: strtod
    // reports no underflow for it, so the slow path can't change the answer.
    if (v === 0 && !NONZERO_DIGIT.test(s)) return v;
  }
  if (s.length === 0 || C_SPACE.test(s)) return null;
  const { value, end, erange } = strtod(s);
  if (end !== s.length) return null;
  if (erange && (value === 0 || !Number.isFinite(value))) return null;
  if (Number.isNaN(value)) return null;
  return value;
}

/**
 * A double as Redis 7.0 replies it (addReplyDouble): "inf", "-inf", "nan",
 * otherwise C's "%.17g" — so 3 -> "3", 1.1 -> "1.1000000000000001",
 * 1e300 -> "1.0000000000000001e+300", -0 -> "-0".
 */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // Integers below 1e17 have at most 17 digits: %.17g prints them whole.
  // (Past 2^53 String() would print the shortest round-trip form instead.)
  if (Number.isInteger(d) && d < 1e17 && d > -1e17) {
    return d < 9007199254740992 && d > -9007199254740992 ? String(d) : BigInt(d).toString();
  }
  const neg = d < 0;
  const a = neg ? -d : d;
  let digits: string;
  let exp: number;
  // toExponential rounds ties up while glibc rounds them to even. A tie at
  // 17 digits needs an exact value of 18 significant digits: m * 2^-k with
  // m * 5^k < 10^18, so k <= 25 (integers this large can't tie at all). Only
  // such short binary fractions get the second look: a tie shows as a final
  // 5 in the correctly rounded 18-digit form.
  if (!Number.isInteger(a * 33554432) || a.toExponential(17).charCodeAt(18) !== 53 /* '5' */) {
    const e17 = a.toExponential(16);
    const ePos = e17.indexOf('e');
    digits = e17[0]! + e17.slice(2, ePos);
    exp = Number(e17.slice(ePos + 1));
  } else {
    [digits, exp] = exactSignificant(a, 17);
  }
  return (neg ? '-' : '') + formatG(digits, exp, 17);
}

/**
 * The first `n` significant digits of a positive finite double, rounded
 * half-to-even from its exact value, and the decimal exponent of the first.
 */
function exactSignificant(a: number, n: number): [string, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) {
    e2 = -1074;
  } else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  // a = mant * 2^e2 = (mant * 5^-e2) * 10^e2 when e2 < 0.
  const all = e2 >= 0 ? (mant << BigInt(e2)).toString() : (mant * 5n ** BigInt(-e2)).toString();
  const scale = e2 >= 0 ? 0 : -e2;
  let exp = all.length - 1 - scale;
  if (all.length <= n) return [all.padEnd(n, '0'), exp];
  let head = BigInt(all.slice(0, n));
  const rest = all.slice(n);
  const half = '5' + '0'.repeat(rest.length - 1);
  if (rest > half || (rest === half && (head & 1n) === 1n)) head += 1n;
  let digits = head.toString();
  if (digits.length > n) {
    digits = digits.slice(0, n);
    exp += 1;
  }
  return [digits, exp];
}

/**
 * C's %g from `precision` significant digits and the decimal exponent:
 * scientific when exp < -4 or exp >= precision, trailing zeros dropped,
 * exponent signed and at least two digits.
 */
function formatG(digits: string, exp: number, precision: number): string {
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--;
  const sig = digits.slice(0, end);
  if (exp < -4 || exp >= precision) {
    const mantissa = sig.length > 1 ? sig[0] + '.' + sig.slice(1) : sig;
    const e = Math.abs(exp);
    return mantissa + (exp < 0 ? 'e-' : 'e+') + (e < 10 ? '0' + e : String(e));
  }
  if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + sig;
  if (sig.length <= exp + 1) return sig + '0'.repeat(exp + 1 - sig.length);
  return sig.slice(0, exp + 1) + '.' + sig.slice(exp + 1);
}

export type FloatIncrResult = { ok: true; value: string } | { ok: false; error: string };

/**
 * INCRBYFLOAT's arithmetic after the type check: `current` is the key's
 * string value (null when the key is missing, which counts as 0). Both
 * operands go through string2ld, the sum is taken in long double, and the
 * result is the text Redis stores and replies. Errors are Redis's exact texts.
 */
export function incrByFloat(current: string | null, increment: string): FloatIncrResult {
  let value: LongDouble = ZERO;
  if (current !== null) {
    const parsed = string2ld(current);
    if (parsed === null) return { ok: false, error: errors.notFloat };
    value = parsed;
  }
  const incr = string2ld(increment);
  if (incr === null) return { ok: false, error: errors.notFloat };
  const sum = addLongDouble(value, incr);
  if (sum.kind !== 'finite') return { ok: false, error: errors.nanOrInfinity };
  return { ok: true, value: formatLongDoubleHuman(sum) };
}

const ZERO: LongDouble = { kind: 'finite', neg: false, mant: 0n, exp: 0 };

/**
 * HINCRBYFLOAT's check of the increment, which Redis makes before it even
 * looks the key up (so it wins over WRONGTYPE): null when the increment is
 * usable, else the error text.
 */
export function hincrByFloatIncrementError(increment: string): string | null {
  const incr = string2ld(increment);
  if (incr === null) return errors.notFloat;
  if (incr.kind !== 'finite') return errors.valueNanOrInfinity;
  return null;
}

/**
 * HINCRBYFLOAT's arithmetic: `current` is the field's value (null when the
 * field is missing). Errors come in Redis's order: the increment (see
 * {@link hincrByFloatIncrementError}, which callers run before the type
 * check), then the field's value, then a non-finite sum.
 */
export function hincrByFloat(current: string | null, increment: string): FloatIncrResult {
  const incrError = hincrByFloatIncrementError(increment);
  if (incrError !== null) return { ok: false, error: incrError };
  const incr = string2ld(increment)!;
  let value: LongDouble = ZERO;
  if (current !== null) {
    const parsed = string2ld(current);
    if (parsed === null) return { ok: false, error: errors.hashValueNotFloat };
    value = parsed;
  }
  const sum = addLongDouble(value, incr);
  if (sum.kind !== 'finite') return { ok: false, error: errors.nanOrInfinity };
  return { ok: true, value: formatLongDoubleHuman(sum) };
}

/**
 * Redis's fixedpoint_d2string(d, digits) (util.c), as GEODIST and WITHDIST
 * print distances: d scaled by 10^digits and rounded with llrint (half to
 * even), then written with exactly `digits` fractional digits.
 */
export function formatFixedPoint(d: number, digits: number): string {
  if (d === 0) return '0.' + '0'.repeat(digits);
  const scaled = d * (digits === 4 ? 10000 : 10 ** digits);
  let rounded = Math.round(scaled);
  // Math.round breaks ties upwards; llrint (round-to-nearest mode) to even.
  if (rounded - scaled === 0.5 && rounded % 2 !== 0) rounded -= 1;
  const negative = rounded < 0;
  let text = String(negative ? -rounded : rounded);
  if (text.length <= digits) text = '0'.repeat(digits + 1 - text.length) + text;
  const point = text.length - digits;
  return (negative ? '-' : '') + text.slice(0, point) + '.' + text.slice(point);
}
