/**
 * How a consumer group hands out entries (t_stream.c's streamReplyWithRange
 * with a group, streamReplyWithRangeFromConsumerPEL) and how it propagates
 * what it did: each delivery as an idempotent XCLAIM, the group's last ID
 * as XGROUP SETID when NOACK leaves no XCLAIM to carry it. XREADGROUP,
 * XCLAIM and XAUTOCLAIM share these.
 */
import type { ConsumerGroup, Consumer, PendingEntry } from '../store/stream/consumer-group.js';
import { ENTRIES_READ_UNKNOWN, PendingEntry as Nack } from '../store/stream/consumer-group.js';
import { OrderedMap } from '../store/stream/ordered-map.js';
import { estimateEntriesRead, type RedisStream } from '../store/stream/stream.js';
import { MAX_ID, MIN_ID, formatId, type StreamId } from '../store/stream/stream-id.js';
import { replyEntry } from './stream-type.js';
import type { Client } from './types.js';

/** streamRangeHasTombstones: may an entry in [start, end] have been deleted? */
export function rangeHasTombstones(stream: RedisStream, start: StreamId, end: StreamId = MAX_ID): boolean {
  if (stream.length === 0 || stream.maxDeletedId === MIN_ID) return false;
  if (stream.firstId > stream.maxDeletedId) return false;
  return start <= stream.maxDeletedId && stream.maxDeletedId <= end;
}

/** streamReplyWithCGLag's value: the group's lag, or null when it can't be known. */
export function groupLag(stream: RedisStream, group: ConsumerGroup): number | null {
  if (stream.entriesAdded === 0) return 0;
  if (group.entriesRead !== ENTRIES_READ_UNKNOWN && !rangeHasTombstones(stream, group.lastId)) {
    return stream.entriesAdded - group.entriesRead;
  }
  const entriesRead = estimateEntriesRead(stream, group.lastId);
  return entriesRead === ENTRIES_READ_UNKNOWN ? null : stream.entriesAdded - entriesRead;
}

/**
 * streamPropagateXCLAIM: `XCLAIM key group consumer 0 id TIME ms
 * RETRYCOUNT n FORCE JUSTID LASTID group-last-id`, which recreates the
 * delivery on a replica whatever state it is in.
 */
export function propagateXclaim(c: Client, key: string, group: ConsumerGroup, id: StreamId, nack: PendingEntry): void {
  const propagation = c.server.propagation;
  if (!propagation.active) return;
  propagation.alsoPropagate(c.db.id, [
    'XCLAIM', key, group.name, nack.consumer.name, '0', formatId(id),
    'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount),
    'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
  ]);
}

/** streamPropagateGroupID: `XGROUP SETID key group last-id ENTRIESREAD n`. */
export function propagateGroupId(c: Client, key: string, group: ConsumerGroup): void {
  const propagation = c.server.propagation;
  if (!propagation.active) return;
  propagation.alsoPropagate(c.db.id, ['XGROUP', 'SETID', key, group.name, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
}

/** streamPropagateConsumerCreation: `XGROUP CREATECONSUMER key group consumer`. */
export function propagateConsumerCreation(c: Client, key: string, group: ConsumerGroup, consumer: string): void {
  const propagation = c.server.propagation;
  if (!propagation.active) return;
  propagation.alsoPropagate(c.db.id, ['XGROUP', 'CREATECONSUMER', key, group.name, consumer]);
}

/**
 * streamCreateConsumer with SCC_DEFAULT: the new consumer, announced as
 * `xgroup-createconsumer` and counted in dirty (no signalModifiedKey, as in Redis).
 */
export function createConsumer(c: Client, key: string, group: ConsumerGroup, name: string): Consumer | null {
  const consumer = group.createConsumer(name, c.server.keyspace.now);
  if (consumer !== null) c.server.events.keyNotified(c.db, key, 'xgroup-createconsumer');
  return consumer;
}

/** streamLookupConsumer (refreshing seen-time), or streamCreateConsumer. */
export function lookupOrCreateConsumer(c: Client, key: string, group: ConsumerGroup, name: string): { consumer: Consumer; created: boolean } {
  const existing = group.consumer(name);
  if (existing !== undefined) {
    existing.seenTime = c.server.keyspace.now;
    return { consumer: existing, created: false };
  }
  return { consumer: createConsumer(c, key, group, name)!, created: true };
}

/** Moves (or gives) a pending entry to `consumer`, as XREADGROUP, XCLAIM and XAUTOCLAIM do. */
export function assignPending(id: StreamId, nack: PendingEntry, consumer: Consumer): void {
  if (nack.consumer === consumer) return;
  nack.consumer.pel.delete(id);
  nack.consumer = consumer;
  consumer.pel.set(id, nack);
}

/**
 * streamReplyWithRange with a group: the entries after `start`, up to
 * `count` (0 = all), each moving the group's last ID and entries-read on,
 * and (without NOACK) becoming pending for `consumer`. Sends the array and
 * returns its length.
 */
export function deliverNewEntries(
  c: Client,
  key: string,
  stream: RedisStream,
  group: ConsumerGroup,
  consumer: Consumer,
  start: StreamId,
  count: number,
  noack: boolean,
): number {
  const it = stream.iterate(start, MAX_ID, false);
  const now = c.server.keyspace.now;
  const ids: StreamId[] = [];
  const fields: string[][] = [];
  let propagateLastId = false;
  while ((count === 0 || ids.length < count) && it.next()) {
    const id = it.id;
    if (id > group.lastId) {
      if (group.entriesRead !== ENTRIES_READ_UNKNOWN && !rangeHasTombstones(stream, id)) group.entriesRead++;
      else if (stream.entriesAdded !== 0) group.entriesRead = estimateEntriesRead(stream, id);
      group.lastId = id;
      if (noack) propagateLastId = true;
    }
    ids.push(id);
    fields.push(it.fields([]));
    if (!noack) {
      let nack = group.pel.get(id);
      if (nack === undefined) {
        nack = new Nack(consumer, now, 1);
        group.pel.set(id, nack);
        consumer.pel.set(id, nack);
      } else {
        // The admin may have moved the last ID back (XGROUP SETID): the entry is re-delivered to this consumer.
        assignPending(id, nack, consumer);
        nack.deliveryTime = now;
        nack.deliveryCount = 1;
      }
      propagateXclaim(c, key, group, id, nack);
    }
  }
  c.reply.arrayHeader(ids.length);
  for (let i = 0; i < ids.length; i++) replyEntry(c, ids[i]!, fields[i]!);
  if (propagateLastId) propagateGroupId(c, key, group);
  return ids.length;
}

/**
 * streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries
 * from `start` on (history), each counted as delivered again; an entry
 * deleted from the stream meanwhile comes back as [id, nil].
 */
export function deliverHistory(c: Client, stream: RedisStream, consumer: Consumer, start: StreamId, count: number): number {
  const now = c.server.keyspace.now;
  const entries: Array<{ id: StreamId; fields: string[] | null }> = [];
  const cursor = consumer.pel.ceiling(start);
  if (cursor !== null) {
    do {
      if (count !== 0 && entries.length >= count) break;
      const id = OrderedMap.key(cursor);
      const it = stream.iterate(id, id, false);
      if (it.next()) {
        entries.push({ id, fields: it.fields([]) });
        const nack = OrderedMap.value(cursor);
        nack.deliveryTime = now;
        nack.deliveryCount++;
      } else {
        entries.push({ id, fields: null });
      }
    } while (consumer.pel.next(cursor));
  }
  c.reply.arrayHeader(entries.length);
  for (const entry of entries) {
    if (entry.fields !== null) {
      replyEntry(c, entry.id, entry.fields);
    } else {
      c.reply.arrayHeader(2);
      c.reply.bulk(formatId(entry.id));
      c.reply.nullArray();
    }
  }
  return entries.length;
}

/** streamEntryExists: a live entry with this ID. */
export function entryExists(stream: RedisStream, id: StreamId): boolean {
  return stream.iterate(id, id, false).next();
}
