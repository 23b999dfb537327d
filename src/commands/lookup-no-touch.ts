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
 * (INFO keyspace_hits rises on `EXISTS k`).
 */
export function lookupReadNoTouch(c: Client, key: string): Value | undefined {
  const value = c.db.peek(key);
  const stats = c.server.keyspace.stats;
  if (value === undefined) stats.keyspaceMisses++;
  else stats.keyspaceHits++;
  return value;
}
