/**
 * Streams in RDB (rdb.c's OBJ_STREAM branches): each node as its master ID
 * (16 bytes, big-endian ms and seq) and the listpack Redis would hold for it
 * (t_stream.c's layout: master entry, then per entry flags, ID deltas,
 * fields or values, lp-count); then the stream's counters and its consumer
 * groups with their PELs and consumers. Redis 7.0 writes
 * RDB_TYPE_STREAM_LISTPACKS_2 (first ID, max deleted ID, entries added,
 * each group's entries read); RDB_TYPE_STREAM_LISTPACKS, from 5.0 and 6.x,
 * is read too.
 *
 * reddish's StreamNode keeps the same logical layout (master fields,
 * SAMEFIELDS, deleted flags), so a node converts one to one and XTRIM
 * boundaries survive a round trip.
 */
import { ConsumerGroup, Consumer, ENTRIES_READ_UNKNOWN, PendingEntry } from '../store/stream/consumer-group.js';
import { RedisStream, estimateEntriesRead } from '../store/stream/stream.js';
import { FLAG_DELETED, FLAG_SAMEFIELDS, NodeReader, StreamNode, newEntryHeader } from '../store/stream/stream-node.js';
import { MIN_ID, idFromWords, idWord, type StreamId } from '../store/stream/stream-id.js';
import type { EncodingConfig, RedisObject } from '../store/types.js';
import { ListpackBuilder, entryText, listpackInteger, readListpack, type ListpackEntry } from './listpack.js';
import { RdbCorruptError, need, type RdbReader, type RdbWriter } from './rdb-encoding.js';
import type { RdbSaveOptions } from './rdb-objects.js';

const STREAM_LISTPACKS = 15;
const STREAM_LISTPACKS_2 = 19;

function idMs(id: StreamId): bigint {
  return (BigInt(idWord(id, 0)) << 32n) | BigInt(idWord(id, 1));
}

function idSeq(id: StreamId): bigint {
  return (BigInt(idWord(id, 2)) << 32n) | BigInt(idWord(id, 3));
}

function idOf(ms: bigint, seq: bigint): StreamId {
  return idFromWords(Number(ms >> 32n), Number(ms & 0xffffffffn), Number(seq >> 32n), Number(seq & 0xffffffffn));
}

const U64_MAX = 0xffffffffffffffffn;

/** An int64 the listpack can hold, as a number when exact. */
function int64(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

// ---- saving ----

/** The listpack Redis holds for a node (streamAppendItem's layout). */
export function nodeListpack(node: StreamNode): Buffer {
  const lp = new ListpackBuilder(node.used + 64);
  lp.appendInteger(node.count);
  lp.appendInteger(node.deleted);
  lp.appendInteger(node.masterFields.length);
  for (const field of node.masterFields) lp.append(field);
  lp.appendInteger(0);
  const masterMs = idMs(node.masterId);
  const masterSeq = idSeq(node.masterId);
  const reader = new NodeReader(node.data);
  const header = newEntryHeader();
  const pairs: string[] = [];
  while (reader.pos < node.used) {
    node.readHeader(reader, header);
    pairs.length = 0;
    node.readFields(reader, header.flags, pairs);
    const same = (header.flags & FLAG_SAMEFIELDS) !== 0;
    lp.appendInteger(header.flags);
    lp.appendInteger(int64(BigInt.asIntN(64, idMs(header.id) - masterMs)));
    lp.appendInteger(int64(BigInt.asIntN(64, idSeq(header.id) - masterSeq)));
    const numFields = pairs.length / 2;
    if (!same) lp.appendInteger(numFields);
    for (let i = 0; i < pairs.length; i += 2) {
      if (!same) lp.append(pairs[i]!);
      lp.append(pairs[i + 1]!);
    }
    lp.appendInteger(same ? numFields + 3 : 2 * numFields + 4);
  }
  return lp.finish();
}

export function saveStreamObject(w: RdbWriter, value: RedisObject, options: RdbSaveOptions): void {
  const stream = value as RedisStream;
  w.length(stream.index.size);
  for (let node = stream.head; node !== null; node = node.next) {
    w.string(node.masterId, options.compress);
    w.blob(nodeListpack(node), options.compress);
  }
  w.length(stream.length);
  w.length64(idMs(stream.lastId));
  w.length64(idSeq(stream.lastId));
  w.length64(idMs(stream.firstId));
  w.length64(idSeq(stream.firstId));
  w.length64(idMs(stream.maxDeletedId));
  w.length64(idSeq(stream.maxDeletedId));
  w.length(stream.entriesAdded);
  const groups = stream.groups === null ? [] : [...stream.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  w.length(groups.length);
  for (const group of groups) {
    w.string(group.name, options.compress);
    w.length64(idMs(group.lastId));
    w.length64(idSeq(group.lastId));
    w.length64(BigInt(group.entriesRead));
    w.length(group.pel.size);
    for (const [id, nack] of group.pel.entries()) {
      w.bytes(Buffer.from(id, 'latin1'));
      w.millisecondTime(nack.deliveryTime);
      w.length(nack.deliveryCount);
    }
    const consumers = group.sortedConsumers();
    w.length(consumers.length);
    for (const consumer of consumers) {
      w.string(consumer.name, options.compress);
      w.millisecondTime(consumer.seenTime);
      w.length(consumer.pel.size);
      for (const [id] of consumer.pel.entries()) w.bytes(Buffer.from(id, 'latin1'));
    }
  }
}

// ---- loading ----

function corrupt(reason: string): never {
  throw new RdbCorruptError(reason);
}

/** lpGetIntegerIfValid: an integer entry, or a string holding one. */
function integerEntry(entry: ListpackEntry | undefined): bigint {
  if (entry === undefined) corrupt('Stream listpack integrity check failed.');
  if (typeof entry === 'number') return BigInt(entry);
  if (typeof entry === 'bigint') return entry;
  const parsed = listpackInteger(entry);
  if (parsed === null) corrupt('Stream listpack integrity check failed.');
  return BigInt(parsed);
}

/**
 * streamValidateListpackIntegrity(deep), then the node rebuilt entry by
 * entry. Beyond Redis's own checks, entry IDs must increase from the
 * master ID on and stay within 64 bits: reddish's node relies on it.
 */
function loadNode(masterId: StreamId, lp: Buffer, after: StreamId | null): StreamNode {
  const entries = readListpack(lp);
  if (entries === null) corrupt('Stream listpack integrity check failed.');
  if (entries.length === 0) corrupt('Empty listpack inside stream');
  let p = 0;
  const count = integerEntry(entries[p++]);
  const deleted = integerEntry(entries[p++]);
  const masterFieldCount = integerEntry(entries[p++]);
  if (count < 0n || deleted < 0n || masterFieldCount < 0n || masterFieldCount > BigInt(entries.length)) {
    corrupt('Stream listpack integrity check failed.');
  }
  const masterFields: string[] = [];
  for (let j = 0n; j < masterFieldCount; j++) {
    const field = entries[p++];
    if (field === undefined) corrupt('Stream listpack integrity check failed.');
    masterFields.push(entryText(field));
  }
  if (integerEntry(entries[p++]) !== 0n) corrupt('Stream listpack integrity check failed.');
  const node = new StreamNode(masterId, masterFields, Math.max(64, lp.length));
  const masterMs = idMs(masterId);
  const masterSeq = idSeq(masterId);
  let previous = after;
  const total = count + deleted;
  if (total > BigInt(entries.length)) corrupt('Stream listpack integrity check failed.');
  let live = 0n;
  const pairs: string[] = [];
  for (let n = 0n; n < total; n++) {
    const flags = Number(integerEntry(entries[p++]));
    const ms = masterMs + integerEntry(entries[p++]);
    const seq = masterSeq + integerEntry(entries[p++]);
    let fields = masterFieldCount;
    pairs.length = 0;
    if (!(flags & FLAG_SAMEFIELDS)) {
      fields = integerEntry(entries[p++]);
      if (fields < 0n || fields > BigInt(entries.length)) corrupt('Stream listpack integrity check failed.');
      for (let j = 0n; j < fields; j++) {
        const field = entries[p++];
        const value = entries[p++];
        if (field === undefined || value === undefined) corrupt('Stream listpack integrity check failed.');
        pairs.push(entryText(field), entryText(value));
      }
    } else {
      for (let j = 0; j < masterFields.length; j++) {
        const value = entries[p++];
        if (value === undefined) corrupt('Stream listpack integrity check failed.');
        pairs.push(masterFields[j]!, entryText(value));
      }
    }
    const lpCount = integerEntry(entries[p++]);
    if (lpCount !== (flags & FLAG_SAMEFIELDS ? fields + 3n : 2n * fields + 4n)) corrupt('Stream listpack integrity check failed.');
    if (ms < 0n || ms > U64_MAX || seq < 0n || seq > U64_MAX) corrupt('Stream listpack integrity check failed.');
    const id = idOf(ms, seq);
    if (id < masterId || (previous !== null && id <= previous)) corrupt('Stream entry IDs out of order');
    previous = id;
    const offset = node.used;
    node.append(id, pairs, 0);
    if (flags & FLAG_DELETED) node.markDeleted(offset);
    else live++;
  }
  if (p !== entries.length) corrupt('Stream listpack integrity check failed.');
  if (live !== count) corrupt('Stream listpack integrity check failed.');
  node.shrinkToFit();
  return node;
}

function id128(r: RdbReader): StreamId {
  return need(r.bytes(16)).toString('latin1');
}

function loadId(r: RdbReader): StreamId {
  const ms = need(r.length64());
  const seq = need(r.length64());
  return idOf(ms, seq);
}

export function loadStreamObject(r: RdbReader, type: number, _config: EncodingConfig): RedisStream {
  const stream = new RedisStream();
  const listpacks = need(r.length());
  let previousLast: StreamId | null = null;
  let liveEntries = 0;
  for (let i = 0; i < listpacks; i++) {
    const key = need(r.string());
    if (key.length !== 16) corrupt('Stream node key entry is not the size of a stream ID');
    const lp = need(r.blob());
    if (previousLast !== null && key <= previousLast) corrupt('Listpack re-added with existing key');
    const node = loadNode(key, lp, previousLast);
    previousLast = node.lastId;
    liveEntries += node.count;
    stream.appendNode(node);
  }
  stream.length = need(r.length());
  stream.lastId = loadId(r);
  if (type === STREAM_LISTPACKS_2) {
    stream.firstId = loadId(r);
    stream.maxDeletedId = loadId(r);
    stream.entriesAdded = need(r.length());
  } else {
    stream.maxDeletedId = MIN_ID;
    stream.entriesAdded = stream.length;
    stream.firstId = stream.edgeId(true, true);
    if (stream.length === 0) stream.firstId = MIN_ID;
  }
  if (stream.length !== 0 && listpacks === 0) corrupt('Stream length inconsistent with rax entries');
  // Not checked by Redis, but every later XADD and XTRIM relies on them.
  if (stream.length !== liveEntries) corrupt('Stream length inconsistent with rax entries');
  if (previousLast !== null && stream.lastId < previousLast) corrupt('Stream last ID below its entries');
  const groupCount = need(r.length());
  for (let g = 0; g < groupCount; g++) {
    const name = need(r.string());
    const lastId = loadId(r);
    let entriesRead: number;
    if (type === STREAM_LISTPACKS_2) {
      entriesRead = Number(BigInt.asIntN(64, need(r.length64())));
    } else {
      entriesRead = estimateEntriesRead(stream, lastId);
    }
    stream.groups ??= new Map();
    if (stream.groups.has(name)) corrupt(`Duplicated consumer group name ${name}`);
    const group = new ConsumerGroup(name, lastId, entriesRead < -1 ? ENTRIES_READ_UNKNOWN : entriesRead);
    stream.groups.set(name, group);
    // The global PEL first, its owners resolved by the consumers' PELs after it.
    const unowned = new Consumer('', 0);
    const pelSize = need(r.length());
    for (let i = 0; i < pelSize; i++) {
      const id = id128(r);
      const deliveryTime = need(r.millisecondTime());
      const deliveryCount = need(r.length());
      if (group.pel.has(id)) corrupt('Duplicated global PEL entry loading stream consumer group');
      group.pel.set(id, new PendingEntry(unowned, deliveryTime, deliveryCount));
    }
    const consumerCount = need(r.length());
    for (let i = 0; i < consumerCount; i++) {
      const consumerName = need(r.string());
      if (group.consumers.has(consumerName)) corrupt('Duplicate stream consumer detected.');
      const consumer = new Consumer(consumerName, need(r.millisecondTime()));
      group.consumers.set(consumerName, consumer);
      const ownSize = need(r.length());
      for (let j = 0; j < ownSize; j++) {
        const id = id128(r);
        const nack = group.pel.get(id);
        if (nack === undefined) corrupt('Consumer entry not found in group global PEL');
        if (consumer.pel.has(id) || nack.consumer !== unowned) corrupt('Duplicated consumer PEL entry  loading a stream consumer group');
        nack.consumer = consumer;
        consumer.pel.set(id, nack);
      }
    }
    for (const [, nack] of group.pel.entries()) {
      if (nack.consumer === unowned) corrupt('Stream CG PEL entry without consumer');
    }
  }
  return stream;
}
