/**
 * What the hash and set commands share.
 *
 * - HSCAN and SSCAN (Redis's scanGenericCommand for a key's value): the
 *   cursor check, the MATCH and COUNT options, the MATCH filter and the
 *   reply. The value decides how far each step goes (RedisHash.scan,
 *   RedisSet.scan). Redis reads the cursor before looking the key up (an
 *   invalid cursor wins over WRONGTYPE) and the options after (a missing
 *   key answers an empty page whatever the options say).
 * - The count of HRANDFIELD, SRANDMEMBER and ZRANDMEMBER, with Redis's
 *   range errors.
 * - What a command replies when its key is missing (the reply Redis hands
 *   lookupKeyReadOrReply), for the per-type "look up or reply" helpers.
 */
import { errors } from '../errors.js';
import { shared, type ReplyWriter } from '../protocol/reply.js';
import type { Client } from './types.js';
import { compileMatcher } from '../text/glob.js';
import { parseInt64, parseInteger } from '../text/numbers.js';
import { parseScanCursor, readScanOptions } from './keys.js';
import { readInteger } from './parse.js';

/** shared.emptyscan: the page for a missing key (hashes.ts still reads it under this name). */
export const emptyScanReply = shared.emptyScan;

/**
 * The reply a command gives for a missing key, as Redis passes one to
 * lookupKeyReadOrReply (shared.czero, shared.null[c->resp], ...). Some
 * depend on the protocol, hence functions of the writer.
 */
export type MissingKeyReply = (reply: ReplyWriter) => void;

export const missingKeyReply = {
  zero: (reply) => reply.raw(shared.zero),
  null: (reply) => reply.nullBulk(),
  emptyArray: (reply) => reply.raw(shared.emptyArray),
  emptySet: (reply) => reply.setHeader(0),
  emptyScan: (reply) => reply.raw(shared.emptyScan),
} as const satisfies Record<string, MissingKeyReply>;

/**
 * parseScanCursorOrReply (strtoul): an optional sign (a negative cursor
 * wraps around), the empty string as 0, nothing past 2^64-1, no spaces or
 * trailing garbage. Returns the canonical decimal text, or null after
 * replying the error. The rule is SCAN's: parseScanCursor in keys.ts.
 */
export function readScanCursor(c: Client, text: string): string | null {
  const cursor = parseScanCursor(text);
  if (cursor === null) c.reply.error(errors.invalidCursor);
  return cursor;
}

/** One page of a collection: its cursor and the elements (field, value, field, value... when `pairs`). */
export interface CollectionPage {
  cursor: string;
  elements: string[];
}

/**
 * Parses `[MATCH pattern] [COUNT count]` from argv[3] on, takes one step
 * and replies `[cursor, [elements]]` (an array in RESP3 too). With `pairs`,
 * MATCH tests the fields and drops each non-matching field with its value.
 */
export function replyCollectionScan(
  c: Client,
  argv: string[],
  pairs: boolean,
  step: (count: number) => CollectionPage,
): void {
  const options = readScanOptions(c, argv, 3, false);
  if (options === null) return;
  const { count, pattern } = options;

  const page = step(count);
  let elements = page.elements;
  // Redis skips matching altogether for the pattern "*".
  if (pattern !== null && pattern !== '*') {
    const matches = compileMatcher(pattern);
    const kept: string[] = [];
    const stride = pairs ? 2 : 1;
    for (let i = 0; i < elements.length; i += stride) {
      if (!matches(elements[i]!)) continue;
      kept.push(elements[i]!);
      if (pairs) kept.push(elements[i + 1]!);
    }
    elements = kept;
  }
  c.reply.arrayHeader(2);
  c.reply.bulk(page.cursor);
  c.reply.bulkArray(elements);
}

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
