/**
 * How a sorted set command hands over its result: replied as members with
 * or without their scores (ZRANGE, ZUNION, ...), or stored in a destination
 * key (ZRANGESTORE, Z*STORE).
 */
import { shared } from '../protocol/reply.js';
import type { Client } from './types.js';
import type { SortedSet, ZsetEntry } from '../store/zset.js';

/**
 * Members, with their scores when asked: one flat array in RESP2, and in
 * RESP3 an array of [member, score] pairs (not a map: the order matters).
 */
export function replyEntries(c: Client, entries: readonly ZsetEntry[], withScores: boolean): void {
  const reply = c.reply;
  const n = entries.length;
  if (!withScores) {
    reply.arrayHeader(n);
    for (let i = 0; i < n; i++) reply.bulk(entries[i]![0]);
  } else if (reply.protocol === 2) {
    reply.arrayHeader(n * 2);
    for (let i = 0; i < n; i++) {
      reply.bulk(entries[i]![0]);
      reply.double(entries[i]![1]);
    }
  } else {
    reply.arrayHeader(n);
    for (let i = 0; i < n; i++) {
      reply.arrayHeader(2);
      reply.bulk(entries[i]![0]);
      reply.double(entries[i]![1]);
    }
  }
}

/** The event a STORE command announces for its destination. */
export type ZsetStoreEvent = 'zrangestore' | 'zunionstore' | 'zinterstore' | 'zdiffstore';

/**
 * Stores the result of ZRANGESTORE or Z*STORE (setKey: any old value and
 * its TTL go), announces `event` and replies its size; an empty result
 * deletes the destination instead, announced as `del` only when there was
 * one to delete.
 */
export function storeResult(c: Client, destination: string, result: SortedSet, event: ZsetStoreEvent): void {
  if (result.size === 0) {
    c.reply.raw(shared.zero);
    if (c.db.delete(destination)) c.server.events.keyModified(c.db, destination, 'del');
    return;
  }
  c.db.set(destination, result);
  c.reply.integer(result.size);
  c.server.events.keyModified(c.db, destination, event);
}
