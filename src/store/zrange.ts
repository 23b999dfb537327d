/**
 * Score and lex ranges of the sorted set commands: zrangespec and
 * zlexrangespec, the comparisons every range walk uses (zslValueGteMin and
 * friends, shared by the listpack and skiplist stores), and the parsers of
 * the `min`/`max` arguments (zslParseRange, zslParseLexRange).
 */
import { strtod } from '../text/numbers.js';
import { errors } from '../errors.js';

export const ERR_SCORE_RANGE = errors.zsetScoreRange;
export const ERR_LEX_RANGE = errors.zsetLexRange;

/** zrangespec: a score interval; minex/maxex make a bound exclusive. */
export interface ZRangeSpec {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** shared.minstring / shared.maxstring: the `-` and `+` lex bounds. */
export const LEX_MINSTRING: unique symbol = Symbol('zset lex -');
export const LEX_MAXSTRING: unique symbol = Symbol('zset lex +');
export type LexBound = string | typeof LEX_MINSTRING | typeof LEX_MAXSTRING;

/** zlexrangespec: a member interval, as ZRANGEBYLEX parses it. */
export interface ZLexRangeSpec {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

/**
 * sdscmplex. Members are latin1 strings (one char per byte), and JS string
 * comparison orders code units then length, which for chars 0-255 is
 * exactly memcmp-then-length (sdscmp).
 */
export function sdscmplex(a: LexBound, b: LexBound): number {
  if (a === b) return 0;
  if (a === LEX_MINSTRING || b === LEX_MAXSTRING) return -1;
  if (a === LEX_MAXSTRING || b === LEX_MINSTRING) return 1;
  return a < b ? -1 : 1;
}

export function zslValueGteMin(value: number, spec: ZRangeSpec): boolean {
  return spec.minex ? value > spec.min : value >= spec.min;
}

export function zslValueLteMax(value: number, spec: ZRangeSpec): boolean {
  return spec.maxex ? value < spec.max : value <= spec.max;
}

export function zslLexValueGteMin(value: string, spec: ZLexRangeSpec): boolean {
  const cmp = sdscmplex(value, spec.min);
  return spec.minex ? cmp > 0 : cmp >= 0;
}

export function zslLexValueLteMax(value: string, spec: ZLexRangeSpec): boolean {
  const cmp = sdscmplex(value, spec.max);
  return spec.maxex ? cmp < 0 : cmp <= 0;
}

/** True when no value can satisfy the spec (min > max, or min == max with an open end). */
export function zslScoreRangeIsEmpty(spec: ZRangeSpec): boolean {
  return spec.min > spec.max || (spec.min === spec.max && (spec.minex || spec.maxex));
}

export function zslLexRangeIsEmpty(spec: ZLexRangeSpec): boolean {
  const cmp = sdscmplex(spec.min, spec.max);
  return cmp > 0 || (cmp === 0 && (spec.minex || spec.maxex));
}

// ---- range bound parsing ----

/**
 * strtod over a whole C string, as zslParseRange uses it: stops at a NUL
 * byte, skips leading whitespace, takes decimal, hex and inf/infinity,
 * overflows to ±inf, and must consume everything. An empty string is 0
 * (strtod converts nothing and the end pointer rests on the NUL), so "("
 * is an exclusive 0 in Redis. Not parseDouble: ZADD's scores go through
 * getDoubleFromObject, which refuses spaces, "" and overflow. NaN passes
 * here; the caller refuses it.
 */
export function strtodWhole(text: string): number | null {
  const nul = text.indexOf('\0');
  const s = nul >= 0 ? text.slice(0, nul) : text;
  const { value, end } = strtod(s);
  return end === s.length ? value : null;
}

function parseScoreBound(text: string): { value: number; exclusive: boolean } | null {
  const exclusive = text.charCodeAt(0) === 0x28; // '('
  const value = strtodWhole(exclusive ? text.slice(1) : text);
  if (value === null || Number.isNaN(value)) return null;
  return { value, exclusive };
}

/** zslParseRange: "1.5", "(1.5", "-inf", "+inf"... null means ERR_SCORE_RANGE. */
export function parseScoreRange(min: string, max: string): ZRangeSpec | null {
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  if (lo === null || hi === null) return null;
  return { min: lo.value, max: hi.value, minex: lo.exclusive, maxex: hi.exclusive };
}

function parseLexBound(text: string): { value: LexBound; exclusive: boolean } | null {
  // A C string: "+" and "-" count as such when followed by a NUL byte too.
  const alone = text.length === 1 || text.charCodeAt(1) === 0;
  switch (text.charCodeAt(0)) {
    case 0x2b: // '+'
      return alone ? { value: LEX_MAXSTRING, exclusive: true } : null;
    case 0x2d: // '-'
      return alone ? { value: LEX_MINSTRING, exclusive: true } : null;
    case 0x28: // '('
      return { value: text.slice(1), exclusive: true };
    case 0x5b: // '['
      return { value: text.slice(1), exclusive: false };
    default:
      return null;
  }
}

/** zslParseLexRange: "[a", "(a", "-", "+"; null means ERR_LEX_RANGE. */
export function parseLexRange(min: string, max: string): ZLexRangeSpec | null {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  if (lo === null || hi === null) return null;
  return { min: lo.value, max: hi.value, minex: lo.exclusive, maxex: hi.exclusive };
}
