/**
 * sin, cos and asin rounded correctly to the nearest double, for the GEO
 * results that show a distance to the last bit (GEODIST's input to its
 * rounding, the scores GEORADIUS STOREDIST and GEOSEARCHSTORE STOREDIST
 * store).
 *
 * Why: Redis calls glibc's libm, whose sin, cos and asin return the
 * correctly rounded result for practically every argument; V8's Math.sin
 * and friends are fdlibm ports that are off by one unit in the last place
 * now and then, and a stored distance printed with 17 digits shows it.
 * Here the functions are evaluated in double-double arithmetic (about 106
 * bits) and rounded once. That costs microseconds, so the searches keep
 * Math.* for filtering and for the four-decimal WITHDIST, where one unit
 * in the last place is invisible.
 */

// ---- double-double arithmetic (Dekker / Knuth, no FMA) ----

let ddHi = 0;
let ddLo = 0;

const SPLITTER = 134217729; // 2^27 + 1

/** a + b exactly, as ddHi + ddLo. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  ddLo = a - (s - bb) + (b - bb);
  ddHi = s;
}

/** a * b exactly, as ddHi + ddLo. */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = SPLITTER * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  ddLo = aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
  ddHi = p;
}

/** (ah + al) + (bh + bl) into ddHi + ddLo. */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const sh = ddHi;
  const sl = ddLo + al + bl;
  twoSum(sh, sl);
}

/** (ah + al) * (bh + bl) into ddHi + ddLo. */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const ph = ddHi;
  const pl = ddLo + (ah * bl + al * bh);
  twoSum(ph, pl);
}

/** (ah + al) / b for a double b, into ddHi + ddLo. */
function ddDivDouble(ah: number, al: number, b: number): void {
  const q1 = ah / b;
  twoProd(q1, b);
  const rh = ah - ddHi;
  const r = rh - ddLo + al;
  const q2 = r / b;
  twoSum(q1, q2);
}

// π/2 as the sum of three doubles.
const PIO2_1 = 1.5707963267948966;
const PIO2_2 = 6.123233995736766e-17;
const PIO2_3 = -1.4973849048591698e-33;

/**
 * sin (odd = true) or cos of the double-double r (|r| <= π/4) by their
 * Taylor series, to well past 106 bits, into ddHi + ddLo.
 */
function kernel(rh: number, rl: number, odd: boolean): void {
  ddMul(rh, rl, rh, rl);
  const r2h = ddHi;
  const r2l = ddLo;
  // term = r (sin) or 1 (cos); sum = term; then term *= -r^2 / ((n+1)(n+2)).
  let th = odd ? rh : 1;
  let tl = odd ? rl : 0;
  let sh = th;
  let sl = tl;
  for (let n = odd ? 1 : 0; n < 40; n += 2) {
    ddMul(th, tl, r2h, r2l);
    ddDivDouble(ddHi, ddLo, -((n + 1) * (n + 2)));
    th = ddHi;
    tl = ddLo;
    if (th === 0 || Math.abs(th) < Math.abs(sh) * 1e-36) break;
    ddAdd(sh, sl, th, tl);
    sh = ddHi;
    sl = ddLo;
  }
  ddHi = sh;
  ddLo = sl;
}

/**
 * sin (wantSin) or cos of a double x in double-double, into ddHi + ddLo.
 * The argument is reduced by multiples of π/2 (three-double π/2, exact
 * for the small quotients GEO arguments have: |x| <= π).
 */
function sinCos(x: number, wantSin: boolean): void {
  const k = Math.round(x / PIO2_1);
  // r = x - k·π/2, k·PIO2_1 being exact for |k| <= 4 (two bits).
  twoSum(x, -k * PIO2_1);
  let rh = ddHi;
  let rl = ddLo;
  twoProd(k, PIO2_2);
  ddAdd(rh, rl, -ddHi, -ddLo);
  rh = ddHi;
  rl = ddLo;
  ddAdd(rh, rl, -k * PIO2_3, 0);
  rh = ddHi;
  rl = ddLo;
  const quadrant = ((k % 4) + 4) % 4;
  // sin(r + kπ/2) and cos(r + kπ/2) by quadrant.
  const useSin = wantSin ? quadrant % 2 === 0 : quadrant % 2 === 1;
  kernel(rh, rl, useSin);
  const negate = wantSin ? quadrant >= 2 : quadrant === 1 || quadrant === 2;
  if (negate) {
    ddHi = -ddHi;
    ddLo = -ddLo;
  }
}

/** The nearest double to ddHi + ddLo. */
function rounded(): number {
  return ddHi + ddLo;
}

/** sin(x), correctly rounded, for |x| up to a few π (GEO arguments). */
export function crSin(x: number): number {
  if (x === 0 || !Number.isFinite(x) || Math.abs(x) > 1e6) return Math.sin(x);
  sinCos(x, true);
  return rounded();
}

/** cos(x), correctly rounded, for |x| up to a few π (GEO arguments). */
export function crCos(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > 1e6) return Math.cos(x);
  sinCos(x, false);
  return rounded();
}

/**
 * asin(x), correctly rounded, for 0 <= x <= 1 (GEO's asin(sqrt(a))):
 * Math.asin refined by two Newton steps on sin in double-double.
 */
export function crAsin(x: number): number {
  if (!(x > 0 && x < 1)) return Math.asin(x);
  let yh = Math.asin(x);
  let yl = 0;
  for (let i = 0; i < 2; i++) {
    // y += (x - sin y) / cos y, with sin y in double-double.
    const y = yh + yl;
    sinCos(yh, true);
    ddAdd(ddHi, ddLo, 0, 0);
    const sh = ddHi;
    const sl = ddLo;
    // sin(yh + yl) ≈ sin(yh) + yl·cos(yh)
    const cosY = Math.cos(y);
    ddAdd(sh, sl, yl * cosY, 0);
    ddAdd(x, 0, -ddHi, -ddLo);
    const delta = (ddHi + ddLo) / cosY;
    ddAdd(yh, yl, delta, 0);
    yh = ddHi;
    yl = ddLo;
  }
  return yh + yl;
}
