/**
 * Redis's LOOKUP_NOTOUCH lookup, shared by the keyspace commands (keys.ts,
 * expire.ts, object.ts) that read a key without touching its access clock.
 */
import type { Client } from './types.js';
import type { Value } from '../store/types.js';

/**
 * lookupKeyReadWithFlags(LOOKUP_NOTOUCH): EXISTS, TYPE, TTL, OBJECT and
 * SCAN's TYPE filter leave the key's access clock alone but, unlike
 * Database.peek, still count a keyspace hit or miss, as Redis 7.0 does
 * (INFO keyspace_hits rises on `EXISTS k`). A miss is notified (`keymiss`)
 * unless `notifyMiss` is false: OBJECT looks up with LOOKUP_NONOTIFY.
 */
export function lookupReadNoTouch(c: Client, key: string, notifyMiss = true): Value | undefined {
  const db = c.db;
  const value = db.peek(key);
  if (value === undefined) db.missed(key, notifyMiss);
  else c.server.keyspace.stats.keyspaceHits++;
  return value;
}
