/**
 * Exact emulation of the C floating-point steps behind Redis's float
 * commands, done with BigInt so the results match a real x86-64 build byte
 * for byte:
 *
 * - {@link strtold} / {@link strtodScan}: glibc's strtod/strtold grammar
 *   (decimal, hex floats, inf/infinity, nan), correctly rounded to nearest-even
 *   like glibc, with its ERANGE rules.
 * - {@link LongDouble}: the x87 80-bit extended type (64-bit significand,
 *   exponents down to subnormal 2^-16445) that INCRBYFLOAT and HINCRBYFLOAT
 *   compute in. JS doubles would print 1.1 + 0.2 as 1.3000000000000003; in
 *   long double Redis gets 1.3.
 * - {@link formatLongDoubleHuman}: `ld2string(..., LD_STR_HUMAN)`, that is
 *   `%.17Lf` (glibc rounds the exact binary value half-to-even) with the
 *   trailing zeros and '.' removed.
 */

/** A binary floating-point format: values are mant * 2^exp with mant < 2^precision. */
export interface FloatFormat {
  precision: number;
  /** Exponent of the smallest subnormal (the quantum at the bottom of the range). */
  minExp: number;
  /** Finite values are below 2^maxExp. */
  maxExp: number;
}

/** x87 extended precision, C's `long double` on x86-64. */
export const EXTENDED: FloatFormat = { precision: 64, minExp: -16445, maxExp: 16384 };
/** IEEE binary64, C's `double`. */
export const BINARY64: FloatFormat = { precision: 53, minExp: -1074, maxExp: 1024 };

export type LongDouble =
  | { kind: 'finite'; neg: boolean; mant: bigint; exp: number }
  | { kind: 'inf'; neg: boolean }
  | { kind: 'nan' };

/** Decimal and hex significands past these magnitudes overflow or vanish in every format here. */
const DECIMAL_LIMIT = 5000;
const BINARY_LIMIT = 17000;
/** Exponent digits are accumulated up to here; anything larger already overflows or underflows. */
const EXPONENT_CAP = 1_000_000_000;

export function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const h = x.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0]!, 16)));
}

/** The result of scanning a number the way strtod does, before rounding. */
export interface FloatScan {
  /** strtod's `endptr` as an offset: 0 when nothing was converted. */
  end: number;
  kind: 'none' | 'inf' | 'nan' | 'decimal' | 'hex';
  neg: boolean;
  /** Significand digits without the point (decimal or hex digits). */
  digits: string;
  /** Value = digits * 10^exp (decimal) or digits * 2^exp (hex). */
  exp: number;
}

function isCSpace(c: number): boolean {
  // isspace() in the C locale.
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Case-insensitive ASCII prefix test at `at`. */
function hasWord(s: string, at: number, word: string): boolean {
  if (s.length - at < word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((s.charCodeAt(at + i) | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** Reads an optional exponent `[eEpP][+-]digits` at `i`; returns [value, end] or null when absent. */
function scanExponent(s: string, i: number): [number, number] | null {
  let j = i + 1;
  let neg = false;
  const sign = s.charCodeAt(j);
  if (sign === 43 || sign === 45) {
    neg = sign === 45;
    j++;
  }
  if (!isDigit(s.charCodeAt(j))) return null;
  let e = 0;
  while (isDigit(s.charCodeAt(j))) {
    if (e < EXPONENT_CAP) e = e * 10 + (s.charCodeAt(j) - 48);
    j++;
  }
  return [neg ? -e : e, j];
}

/** Scans the longest prefix of `s` that glibc's strtod/strtold would convert. */
export function strtodScan(s: string): FloatScan {
  const none: FloatScan = { end: 0, kind: 'none', neg: false, digits: '', exp: 0 };
  let i = 0;
  while (isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const sign = s.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    neg = sign === 45;
    i++;
  }

  if (hasWord(s, i, 'inf')) {
    const end = hasWord(s, i, 'infinity') ? i + 8 : i + 3;
    return { end, kind: 'inf', neg, digits: '', exp: 0 };
  }
  if (hasWord(s, i, 'nan')) {
    let end = i + 3;
    // "nan(chars)" is consumed only when the parenthesis closes.
    if (s.charCodeAt(end) === 40) {
      let j = end + 1;
      for (;;) {
        const c = s.charCodeAt(j);
        if (isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) j++;
        else break;
      }
      if (s.charCodeAt(j) === 41) end = j + 1;
    }
    return { end, kind: 'nan', neg, digits: '', exp: 0 };
  }

  const isHex =
    s.charCodeAt(i) === 48 &&
    (s.charCodeAt(i + 1) | 0x20) === 120 &&
    (hexValue(s.charCodeAt(i + 2)) >= 0 || (s.charCodeAt(i + 2) === 46 && hexValue(s.charCodeAt(i + 3)) >= 0));
  if (isHex) {
    let j = i + 2;
    let digits = '';
    let fracDigits = 0;
    while (hexValue(s.charCodeAt(j)) >= 0) digits += s[j++];
    if (s.charCodeAt(j) === 46) {
      j++;
      while (hexValue(s.charCodeAt(j)) >= 0) {
        digits += s[j++];
        fracDigits++;
      }
    }
    let exp = -4 * fracDigits;
    if ((s.charCodeAt(j) | 0x20) === 112) {
      const e = scanExponent(s, j);
      if (e !== null) {
        exp += e[0];
        j = e[1];
      }
    }
    return { end: j, kind: 'hex', neg, digits, exp };
  }

  let j = i;
  let digits = '';
  let fracDigits = 0;
  while (isDigit(s.charCodeAt(j))) digits += s[j++];
  if (s.charCodeAt(j) === 46) {
    j++;
    while (isDigit(s.charCodeAt(j))) {
      digits += s[j++];
      fracDigits++;
    }
  }
  if (digits === '') return none;
  let exp = -fracDigits;
  if ((s.charCodeAt(j) | 0x20) === 101) {
    const e = scanExponent(s, j);
    if (e !== null) {
      exp += e[0];
      j = e[1];
    }
  }
  return { end: j, kind: 'decimal', neg, digits, exp };
}

/** A correctly rounded finite value, or the reason there is none. */
export type Rounded = { mant: bigint; exp: number } | 'overflow';

/**
 * Rounds num/den * 2^e2 (num, den > 0) to nearest-even in `fmt`, with
 * gradual underflow. A zero `mant` means the value rounded to zero.
 */
export function roundRational(num: bigint, den: bigint, e2: number, fmt: FloatFormat): Rounded {
  if (num === 0n) return { mant: 0n, exp: 0 };
  // floor(log2(num/den)), from the bit lengths and one comparison.
  const t = bitLength(num) - bitLength(den);
  const atLeast = t >= 0 ? num >= den << BigInt(t) : num << BigInt(-t) >= den;
  const lead = (atLeast ? t : t - 1) + e2;
  let exp = Math.max(lead - (fmt.precision - 1), fmt.minExp);
  const shift = e2 - exp;
  let n = num;
  let d = den;
  if (shift >= 0) n <<= BigInt(shift);
  else d <<= BigInt(-shift);
  let q = n / d;
  const r2 = (n - q * d) * 2n;
  if (r2 > d || (r2 === d && (q & 1n) === 1n)) q += 1n;
  if (q >> BigInt(fmt.precision) !== 0n) {
    // Rounding carried into a new bit: q is exactly 2^precision.
    q >>= 1n;
    exp += 1;
  }
  if (bitLength(q) + exp > fmt.maxExp) return 'overflow';
  return { mant: q, exp };
}

/**
 * Rounds a scanned finite number into `fmt`. `erange` follows glibc: set on
 * overflow (the value becomes infinity) and on underflow to zero.
 */
export function roundScan(scan: FloatScan, fmt: FloatFormat): { rounded: Rounded; erange: boolean } {
  let digits = scan.digits;
  let exp = scan.exp;
  let num: bigint;
  let den = 1n;
  let e2 = 0;
  if (scan.kind === 'decimal') {
    let first = 0;
    while (first < digits.length && digits.charCodeAt(first) === 48) first++;
    let last = digits.length;
    while (last > first && digits.charCodeAt(last - 1) === 48) last--;
    if (first === last) return { rounded: { mant: 0n, exp: 0 }, erange: false };
    exp += digits.length - last;
    digits = digits.slice(first, last);
    // The value lies in [10^(len-1+exp), 10^(len+exp)).
    if (digits.length - 1 + exp > DECIMAL_LIMIT) return { rounded: 'overflow', erange: true };
    if (digits.length + exp < -DECIMAL_LIMIT) return { rounded: { mant: 0n, exp: 0 }, erange: true };
    num = BigInt(digits);
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den = 10n ** BigInt(-exp);
  } else {
    num = digits === '' ? 0n : BigInt('0x' + digits);
    if (num === 0n) return { rounded: { mant: 0n, exp: 0 }, erange: false };
    if (bitLength(num) + exp > BINARY_LIMIT) return { rounded: 'overflow', erange: true };
    if (bitLength(num) + exp < -BINARY_LIMIT) return { rounded: { mant: 0n, exp: 0 }, erange: true };
    e2 = exp;
  }
  const rounded = roundRational(num, den, e2, fmt);
  const erange = rounded === 'overflow' || rounded.mant === 0n;
  return { rounded, erange };
}

/** glibc strtold: the value, `endptr` as an offset, and whether errno would be ERANGE. */
export function strtold(s: string): { value: LongDouble; end: number; erange: boolean } {
  const scan = strtodScan(s);
  switch (scan.kind) {
    case 'none':
      return { value: { kind: 'finite', neg: false, mant: 0n, exp: 0 }, end: 0, erange: false };
    case 'inf':
      return { value: { kind: 'inf', neg: scan.neg }, end: scan.end, erange: false };
    case 'nan':
      return { value: { kind: 'nan' }, end: scan.end, erange: false };
    default: {
      const { rounded, erange } = roundScan(scan, EXTENDED);
      const value: LongDouble =
        rounded === 'overflow'
          ? { kind: 'inf', neg: scan.neg }
          : { kind: 'finite', neg: scan.neg, mant: rounded.mant, exp: rounded.exp };
      return { value, end: scan.end, erange };
    }
  }
}

/** MAX_LONG_DOUBLE_CHARS: string2ld's buffer, so the longest input is one less. */
export const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

/**
 * Redis's string2ld (util.c): the whole string must be a number strtold
 * accepts, with no leading space, shorter than MAX_LONG_DOUBLE_CHARS, not NaN,
 * and not out of range (overflow, or a non-zero value rounding to zero).
 * "inf" is accepted; the callers reject infinite results later.
 */
export function string2ld(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  if (isCSpace(s.charCodeAt(0))) return null;
  const { value, end, erange } = strtold(s);
  // A NUL byte ends the C string early, which shows up here as end < length.
  if (end !== s.length) return null;
  if (erange && (value.kind === 'inf' || (value.kind === 'finite' && value.mant === 0n))) return null;
  if (value.kind === 'nan') return null;
  return value;
}

/** `a + b` in long double arithmetic, rounded to nearest-even. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === 'nan' || b.kind === 'nan') return { kind: 'nan' };
  if (a.kind === 'inf' && b.kind === 'inf') return a.neg === b.neg ? a : { kind: 'nan' };
  if (a.kind === 'inf') return a;
  if (b.kind === 'inf') return b;
  if (a.mant === 0n && b.mant === 0n) {
    // IEEE: the sum of two zeros is -0 only when both are -0.
    return { kind: 'finite', neg: a.neg && b.neg, mant: 0n, exp: 0 };
  }
  const exp = Math.min(a.exp, b.exp);
  const sa = (a.neg ? -a.mant : a.mant) << BigInt(a.exp - exp);
  const sb = (b.neg ? -b.mant : b.mant) << BigInt(b.exp - exp);
  const sum = sa + sb;
  // An exact zero sum of non-zero terms is +0 when rounding to nearest.
  if (sum === 0n) return { kind: 'finite', neg: false, mant: 0n, exp: 0 };
  const neg = sum < 0n;
  const r = roundRational(neg ? -sum : sum, 1n, exp, EXTENDED);
  if (r === 'overflow') return { kind: 'inf', neg };
  return { kind: 'finite', neg, mant: r.mant, exp: r.exp };
}

/**
 * glibc's `%.<digits>Lf` for a finite value: the exact binary value rounded
 * half-to-even at `digits` fractional digits.
 */
export function formatFixed(neg: boolean, mant: bigint, exp: number, digits: number): string {
  const scale = 10n ** BigInt(digits);
  let q: bigint;
  if (exp >= 0) {
    q = (mant << BigInt(exp)) * scale;
  } else {
    const n = mant * scale;
    const k = BigInt(-exp);
    q = n >> k;
    const r2 = (n - (q << k)) << 1n;
    const unit = 1n << k;
    if (r2 > unit || (r2 === unit && (q & 1n) === 1n)) q += 1n;
  }
  let text = q.toString();
  if (text.length <= digits) text = '0'.repeat(digits + 1 - text.length) + text;
  const point = text.length - digits;
  const body = digits > 0 ? text.slice(0, point) + '.' + text.slice(point) : text;
  return (neg ? '-' : '') + body;
}

/**
 * ld2string(buf, len, value, LD_STR_HUMAN): "%.17Lf" with trailing zeros and
 * a trailing '.' removed, and "-0" (a negative value that rounds to zero at
 * 17 digits, or -0 itself) written as "0". Infinities print as "inf"/"-inf".
 * Even the largest long double prints in far fewer than MAX_LONG_DOUBLE_CHARS,
 * so Redis's "no room" error path can't happen.
 */
export function formatLongDoubleHuman(x: LongDouble): string {
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  if (x.kind === 'nan') return 'nan';
  let s = formatFixed(x.neg, x.mant, x.exp, 17);
  let l = s.length;
  while (s.charCodeAt(l - 1) === 48) l--;
  if (s.charCodeAt(l - 1) === 46) l--;
  s = s.slice(0, l);
  return s === '-0' ? '0' : s;
}

const F64 = new Float64Array(1);
const F64_WORDS = new Uint32Array(F64.buffer);

/** A double as the long double it widens to, exactly (C's `(long double)d`). */
export function longDoubleFromDouble(d: number): LongDouble {
  if (Number.isNaN(d)) return { kind: 'nan' };
  const neg = d < 0 || Object.is(d, -0);
  if (!Number.isFinite(d)) return { kind: 'inf', neg };
  F64[0] = d;
  const lo = F64_WORDS[0]!;
  const hi = F64_WORDS[1]!;
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { kind: 'finite', neg, mant: fraction, exp: -1074 };
  return { kind: 'finite', neg, mant: fraction | (1n << 52n), exp: biased - 1075 };
}

/** glibc's printf("%.<digits>f", d) for a double: exact, rounded half-to-even; "inf", "-inf", "nan" otherwise. */
export function formatDoubleFixed(d: number, digits: number): string {
  const x = longDoubleFromDouble(d);
  if (x.kind === 'inf') return x.neg ? '-inf' : 'inf';
  if (x.kind === 'nan') return 'nan';
  return formatFixed(x.neg, x.mant, x.exp, digits);
}

/** ld2string(LD_STR_HUMAN) of a double (addReplyHumanLongDouble of a double, as GEOPOS replies). */
export function formatDoubleHuman(d: number): string {
  return formatLongDoubleHuman(longDoubleFromDouble(d));
}
