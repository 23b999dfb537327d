/**
 * Lookups and argument readers shared by the keyspace commands (keys.ts,
 * expire.ts, object.ts) that the core's Database and parse.ts don't offer
 * yet.
 */
import { errors } from '../errors.js';
import type { Client } from './types.js';
import type { Value } from '../store/types.js';
import { parseInteger } from '../text/numbers.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * lookupKeyReadWithFlags(LOOKUP_NOTOUCH): EXISTS, TYPE, TTL, OBJECT and
 * SCAN's TYPE filter leave the key's access clock alone but, unlike
 * Database.peek, still count a keyspace hit or miss, as Redis 7.0 does
 * (INFO keyspace_hits rises on `EXISTS k`).
 */
export function lookupReadNoTouch(c: Client, key: string): Value | undefined {
  const value = c.db.peek(key);
  const stats = c.server.keyspace.stats;
  if (value === undefined) stats.keyspaceMisses++;
  else stats.keyspaceHits++;
  return value;
}

/**
 * getIntFromObjectOrReply: an argument that must fit a C int (database
 * indexes). With `error`, that one text answers both a non-integer and an
 * out-of-range value, as SWAPDB's "invalid first DB index" does.
 */
export function readInt(c: Client, text: string, error?: string): number | null {
  const n = parseInteger(text);
  if (n === null) {
    c.reply.error(error ?? errors.notInteger);
    return null;
  }
  if (n < INT_MIN || n > INT_MAX) {
    c.reply.error(error ?? errors.intOutOfRange);
    return null;
  }
  return n;
}
