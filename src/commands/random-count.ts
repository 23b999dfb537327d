/**
 * The count of HRANDFIELD, SRANDMEMBER and ZRANDMEMBER, with Redis's range
 * errors, and the cap reddish puts on sampling with repetition.
 */
import { errors } from '../errors.js';
import type { Client } from './types.js';
import { parseInt64, parseInteger } from '../text/numbers.js';
import { readInteger } from './parse.js';

const INT64_MIN = -9223372036854775808n;
/** LONG_MAX / 2: WITHVALUES doubles the reply, so HRANDFIELD halves the range. */
const HALF_LONG_MAX = 4611686018427387903n;

/**
 * The most elements a negative (repeating) count may ask for. Redis would
 * build a reply of any size and exhaust memory for HRANDFIELD h -1e12; a
 * process that dies takes every client with it, so reddish refuses such a
 * count with an error instead (see DESIGN.md, Contradictions).
 */
export const MAX_REPEATED_SAMPLES = 1 << 24; // errors.tooManyRandomSamples names it

/**
 * The count of HRANDFIELD, SRANDMEMBER and ZRANDMEMBER: any int64 but
 * INT64_MIN, whose absolute value does not exist. Counts past 2^53 come
 * back inexact, which only matters to the range checks, made here exactly.
 */
export function readRandomCount(c: Client, text: string): number | null {
  const n = readInteger(c, text);
  if (n === null) return n;
  if (!Number.isSafeInteger(n) && parseInt64(text) === INT64_MIN) {
    c.reply.error(errors.randomCountOutOfRange);
    return null;
  }
  return n;
}

/**
 * Call before sampling with repetition (a negative count, key present):
 * replies the error and returns true when the count is past
 * MAX_REPEATED_SAMPLES. Redis's own checks on the count come first.
 */
export function refuseHugeSampling(c: Client, requested: number): boolean {
  if (requested >= -MAX_REPEATED_SAMPLES) return false;
  c.reply.error(errors.tooManyRandomSamples);
  return true;
}

/** HRANDFIELD ... WITHVALUES refuses counts past LONG_MAX / 2 either way ("value is out of range"). */
export function exceedsHalfRange(text: string): boolean {
  const n = parseInteger(text);
  if (n === null || Number.isSafeInteger(n)) return false;
  const exact = parseInt64(text)!;
  return exact > HALF_LONG_MAX || exact < -HALF_LONG_MAX;
}
