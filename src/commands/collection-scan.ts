/**
 * HSCAN, SSCAN and ZSCAN share Redis's scanGenericCommand for a key's
 * value: the cursor check, the MATCH and COUNT options, the MATCH filter
 * and the reply. The value decides how far each step goes (RedisHash.scan,
 * RedisSet.scan, SortedSet.scan). Redis reads the cursor before looking the
 * key up (an invalid cursor wins over WRONGTYPE) and the options after (a
 * missing key answers an empty page whatever the options say).
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client } from './types.js';
import { compileMatcher } from '../text/glob.js';
import { parseScanCursor, readScanOptions } from './keys.js';

/** shared.emptyscan: the page for a missing key (hashes.ts still reads it under this name). */
export const emptyScanReply = shared.emptyScan;

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
