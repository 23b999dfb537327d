/**
 * What the sorted set commands do with their keys: find them in a call
 * (the `numkeys key [key ...]` forms), look one up as a sorted set (Redis's
 * lookupKey*OrReply + checkType), and delete one its command emptied.
 */
import { errors } from '../errors.js';
import type { Client } from './types.js';
import { SortedSet } from '../store/zset.js';
import type { Value } from '../store/types.js';
import { parseInteger } from '../text/numbers.js';
import type { MissingKeyReply } from './missing-key-reply.js';

/**
 * The `numkeys key [key ...]` keys of a call, with numkeys at
 * argv[numkeysIndex]; none when numkeys is not a count the arguments hold.
 * ZMPOP, BZMPOP and the set algebra's specs find their keys with it.
 */
export function numkeysPositions(argv: readonly string[], numkeysIndex: number): number[] {
  const numkeys = parseInteger(argv[numkeysIndex] ?? '');
  if (numkeys === null || numkeys < 1 || numkeysIndex + numkeys >= argv.length) return [];
  const positions: number[] = [];
  for (let i = numkeysIndex + 1; i <= numkeysIndex + numkeys; i++) positions.push(i);
  return positions;
}

/**
 * lookupKeyReadOrReply + checkType: the sorted set at `key`, or null after
 * replying `missing` (no such key) or WRONGTYPE.
 */
export function zsetReadOrReply(c: Client, key: string, missing: MissingKeyReply): SortedSet | null {
  return zsetOrReply(c, c.db.lookupRead(key), missing);
}

/** lookupKeyWriteOrReply + checkType, as zsetReadOrReply. */
export function zsetWriteOrReply(c: Client, key: string, missing: MissingKeyReply): SortedSet | null {
  return zsetOrReply(c, c.db.lookupWrite(key), missing);
}

function zsetOrReply(c: Client, value: Value | undefined, missing: MissingKeyReply): SortedSet | null {
  if (value instanceof SortedSet) return value;
  if (value === undefined) missing(c.reply);
  else c.reply.error(errors.wrongType);
  return null;
}

/**
 * lookupKeyRead + checkType, for the commands to which a missing key is an
 * empty set rather than a reply (ZMSCORE, ZRANGE, the set algebra): the
 * sorted set, undefined when the key does not exist, or null after
 * replying WRONGTYPE.
 */
export function lookupZsetRead(c: Client, key: string): SortedSet | undefined | null {
  const entry = c.db.lookupRead(key);
  if (entry === undefined || entry instanceof SortedSet) return entry;
  c.reply.error(errors.wrongType);
  return null;
}

/** lookupKeyWrite + checkType, as lookupZsetRead (ZADD creates the key). */
export function lookupZsetWrite(c: Client, key: string): SortedSet | undefined | null {
  const entry = c.db.lookupWrite(key);
  if (entry === undefined || entry instanceof SortedSet) return entry;
  c.reply.error(errors.wrongType);
  return null;
}

/**
 * Redis never keeps an empty sorted set: the key goes with its last
 * member, announced as `del` (no change of its own to dirty) after the
 * event of the command that emptied it.
 */
export function deleteIfEmpty(c: Client, key: string, zset: SortedSet): void {
  if (zset.size !== 0) return;
  c.db.delete(key);
  c.server.events.keyModified(c.db, key, 'del', 0);
}
