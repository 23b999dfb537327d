/**
 * The consumer-group commands (t_stream.c): XGROUP and its subcommands,
 * XSETID, XACK, XPENDING, XCLAIM and XAUTOCLAIM.
 *
 * Group changes are announced as Redis announces them: notified (and
 * counted in dirty) but not signalled as key modifications
 * (events.keyNotified), except that XGROUP CREATE MKSTREAM creates a key
 * and XGROUP DESTROY wakes the XREADGROUP clients blocked on the key.
 * XCLAIM and XAUTOCLAIM propagate as one XCLAIM per claimed entry, never as
 * themselves.
 */
import { shared } from '../protocol/reply.js';
import { errors, streamErrors, unknownSubcommandOrArity } from '../errors.js';
import { ConsumerGroup, ENTRIES_READ_UNKNOWN, PendingEntry } from '../store/stream/consumer-group.js';
import { OrderedMap } from '../store/stream/ordered-map.js';
import { RedisStream } from '../store/stream/stream.js';
import { MIN_ID, formatId, parseId, type StreamId } from '../store/stream/stream-id.js';
import { parseInteger } from '../text/numbers.js';
import { replyHelp } from './help-reply.js';
import { isOption } from './parse.js';
import {
  assignPending,
  createConsumer,
  entryExists,
  lookupOrCreateConsumer,
  propagateGroupId,
  propagateXclaim,
} from './stream-group-reads.js';
import { lookupStream, readIntervalId, readLongLong, readStreamId, replyEntry } from './stream-type.js';
import type { Client, CommandSpec } from './types.js';

// ---------------------------------------------------------------------------
// XGROUP
// ---------------------------------------------------------------------------

/** What XGROUP's subcommands share once the key and group are checked. */
interface GroupTarget {
  key: string;
  stream: RedisStream | undefined;
  group: ConsumerGroup | undefined;
  mkstream: boolean;
  entriesRead: number;
}

/**
 * xgroupCommand's common part: the options of CREATE and SETID (from
 * argv[5]), the key (which must exist unless MKSTREAM), and the group
 * (which SETID, CREATECONSUMER and DELCONSUMER need). Null after an error.
 */
function groupTarget(c: Client, argv: string[], sub: 'create' | 'setid' | 'other', needsGroup: boolean): GroupTarget | null {
  let mkstream = false;
  let entriesRead = ENTRIES_READ_UNKNOWN;
  for (let i = 5; i < argv.length; ) {
    if (sub === 'create' && isOption(argv[i]!, 'mkstream')) {
      mkstream = true;
      i++;
    } else if (sub !== 'other' && isOption(argv[i]!, 'entriesread') && i + 1 < argv.length) {
      const n = readLongLong(c, argv[i + 1]!);
      if (n === null) return null;
      if (n < 0 && n !== ENTRIES_READ_UNKNOWN) {
        c.reply.error(streamErrors.entriesReadInvalid);
        return null;
      }
      entriesRead = n;
      i += 2;
    } else {
      c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
      return null;
    }
  }
  const key = argv[2]!;
  const stream = lookupStream(c, key, true);
  if (stream === null) return null;
  let group: ConsumerGroup | undefined;
  if (!mkstream) {
    if (stream === undefined) {
      c.reply.error(streamErrors.keyRequired);
      return null;
    }
    group = stream.group(argv[3]!);
    if (group === undefined && needsGroup) {
      c.reply.error(streamErrors.noSuchGroup(argv[3]!, key));
      return null;
    }
  } else if (stream !== undefined) {
    group = stream.group(argv[3]!);
  }
  return { key, stream, group, mkstream, entriesRead };
}

/** XGROUP CREATE key group (id | $) [MKSTREAM] [ENTRIESREAD n] */
function xgroupCreateCommand(c: Client, argv: string[]): void {
  const target = groupTarget(c, argv, 'create', false);
  if (target === null) return;
  if (argv.length > 8) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
    return;
  }
  let id: StreamId;
  if (argv[4] === '$') {
    id = target.stream?.lastId ?? MIN_ID;
  } else {
    const parsed = readStreamId(c, argv[4]!, false, true);
    if (parsed === null) return;
    id = parsed;
  }
  let stream = target.stream;
  if (stream === undefined) {
    stream = new RedisStream();
    c.db.add(target.key, stream);
    // signalModifiedKey for the new key, with no event of its own (xgroup-create follows).
    c.server.events.keyModified(c.db, target.key, '', 0);
  }
  const name = argv[3]!;
  if (stream.group(name) !== undefined) {
    c.reply.error(streamErrors.busyGroup);
    return;
  }
  stream.groups ??= new Map();
  stream.groups.set(name, new ConsumerGroup(name, id, target.entriesRead));
  c.reply.raw(shared.ok);
  c.server.events.keyNotified(c.db, target.key, 'xgroup-create');
}

const createSpec: CommandSpec = {
  name: 'create',
  arity: -5,
  flags: ['write', 'denyoom'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'Create a consumer group.',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key groupname (id | $) [MKSTREAM] [ENTRIESREAD entries_read:integer]',
  keyFlags: ['RW', 'insert'],
  handler: xgroupCreateCommand,
};

/** XGROUP SETID key group (id | $) [ENTRIESREAD n] */
function xgroupSetidCommand(c: Client, argv: string[]): void {
  const target = groupTarget(c, argv, 'setid', true);
  if (target === null) return;
  if (argv.length !== 5 && argv.length !== 7) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
    return;
  }
  let id: StreamId;
  if (argv[4] === '$') {
    id = target.stream!.lastId;
  } else {
    const parsed = readStreamId(c, argv[4]!, false, false);
    if (parsed === null) return;
    id = parsed;
  }
  const group = target.group!;
  group.lastId = id;
  group.entriesRead = target.entriesRead;
  c.reply.raw(shared.ok);
  c.server.events.keyNotified(c.db, target.key, 'xgroup-setid');
}

const setidSpec: CommandSpec = {
  name: 'setid',
  arity: -5,
  flags: ['write'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'Set a consumer group to an arbitrary last delivered ID value.',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key groupname (id | $) [ENTRIESREAD entries_read:integer]',
  handler: xgroupSetidCommand,
  keyFlags: ['RW', 'update'],
};

/** XGROUP DESTROY key group: 1 when it existed. Blocked XREADGROUP clients get their error. */
function xgroupDestroyCommand(c: Client, argv: string[]): void {
  const target = groupTarget(c, argv, 'other', false);
  if (target === null) return;
  if (target.group === undefined) {
    c.reply.integer(0);
    return;
  }
  target.stream!.groups!.delete(target.group.name);
  c.reply.integer(1);
  c.server.events.keyNotified(c.db, target.key, 'xgroup-destroy');
  c.server.events.keyReady(c.db, target.key);
}

const destroySpec: CommandSpec = {
  name: 'destroy',
  arity: 4,
  flags: ['write'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'Destroy a consumer group.',
  since: '5.0.0',
  complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
  syntax: 'key groupname',
  keyFlags: ['RW', 'delete'],
  handler: xgroupDestroyCommand,
};

/** XGROUP CREATECONSUMER key group consumer: 1 when created. */
function xgroupCreateconsumerCommand(c: Client, argv: string[]): void {
  const target = groupTarget(c, argv, 'other', true);
  if (target === null) return;
  c.reply.integer(createConsumer(c, target.key, target.group!, argv[4]!) !== null ? 1 : 0);
}

const createconsumerSpec: CommandSpec = {
  name: 'createconsumer',
  arity: 5,
  flags: ['write', 'denyoom'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'Create a consumer in a consumer group.',
  since: '6.2.0',
  complexity: 'O(1)',
  syntax: 'key groupname consumername',
  keyFlags: ['RW', 'insert'],
  handler: xgroupCreateconsumerCommand,
};

/** XGROUP DELCONSUMER key group consumer: how many entries it still had pending. */
function xgroupDelconsumerCommand(c: Client, argv: string[]): void {
  const target = groupTarget(c, argv, 'other', true);
  if (target === null) return;
  const consumer = target.group!.consumer(argv[4]!);
  if (consumer === undefined) {
    c.reply.integer(0);
    return;
  }
  c.reply.integer(target.group!.deleteConsumer(consumer));
  c.server.events.keyNotified(c.db, target.key, 'xgroup-delconsumer');
}

const delconsumerSpec: CommandSpec = {
  name: 'delconsumer',
  arity: 5,
  flags: ['write'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'Delete a consumer from a consumer group.',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key groupname consumername',
  keyFlags: ['RW', 'delete'],
  handler: xgroupDelconsumerCommand,
};

const XGROUP_HELP: readonly string[] = [
  'CREATE <key> <groupname> <id|$> [option]',
  '    Create a new consumer group. Options are:',
  '    * MKSTREAM',
  '      Create the empty stream if it does not exist.',
  '    * ENTRIESREAD entries_read',
  "      Set the group's entries_read counter (internal use).",
  'CREATECONSUMER <key> <groupname> <consumer>',
  '    Create a new consumer in the specified group.',
  'DELCONSUMER <key> <groupname> <consumer>',
  '    Remove the specified consumer.',
  'DESTROY <key> <groupname>',
  '    Remove the specified group.',
  'SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]',
  '    Set the current group ID and entries_read counter.',
];

/** XGROUP HELP */
function xgroupHelpCommand(c: Client): void {
  replyHelp(c, 'XGROUP', XGROUP_HELP);
}

const xgroupHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'stream',
  summary: 'Show helpful text about the different subcommands',
  since: '5.0.0',
  complexity: 'O(1)',
  handler: xgroupHelpCommand,
};

export const xgroupSpec: CommandSpec = {
  name: 'xgroup',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'stream',
  summary: 'A container for consumer groups commands',
  since: '5.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [createSpec, setidSpec, destroySpec, createconsumerSpec, delconsumerSpec, xgroupHelpSpec],
};

// ---------------------------------------------------------------------------
// XSETID
// ---------------------------------------------------------------------------

/** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id] */
function xsetidCommand(c: Client, argv: string[]): void {
  const id = readStreamId(c, argv[2]!, false, true);
  if (id === null) return;
  let entriesAdded = -1;
  let maxDeleted = MIN_ID;
  for (let i = 3; i < argv.length; i += 2) {
    const moreArgs = argv.length - 1 - i;
    if (isOption(argv[i]!, 'entriesadded') && moreArgs !== 0) {
      const n = readLongLong(c, argv[i + 1]!);
      if (n === null) return;
      if (n < 0) {
        c.reply.error(streamErrors.entriesAddedNegative);
        return;
      }
      entriesAdded = n;
    } else if (isOption(argv[i]!, 'maxdeletedid') && moreArgs !== 0) {
      const parsed = readStreamId(c, argv[i + 1]!, false, true);
      if (parsed === null) return;
      if (id < parsed) {
        c.reply.error(streamErrors.setidBelowMaxDeleted);
        return;
      }
      maxDeleted = parsed;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  const key = argv[1]!;
  const stream = lookupStream(c, key, true, (reply) => reply.error(errors.noSuchKey));
  if (stream === null || stream === undefined) return;
  if (stream.length > 0) {
    if (id < stream.edgeId(false, true)) {
      c.reply.error(streamErrors.setidBelowTop);
      return;
    }
    if (entriesAdded !== -1 && stream.length > entriesAdded) {
      c.reply.error(streamErrors.setidEntriesAddedBelowLength);
      return;
    }
  }
  stream.lastId = id;
  if (entriesAdded !== -1) stream.entriesAdded = entriesAdded;
  if (maxDeleted !== MIN_ID) stream.maxDeletedId = maxDeleted;
  c.reply.raw(shared.ok);
  c.server.events.keyModified(c.db, key, 'xsetid');
}

export const xsetidSpec: CommandSpec = {
  name: 'xsetid',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary: 'An internal command for replicating stream values',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key last-id [ENTRIESADDED entries_added:integer] [MAXDELETEDID max_deleted_entry_id]',
  keyFlags: ['RW', 'update'],
  handler: xsetidCommand,
};

// ---------------------------------------------------------------------------
// XACK
// ---------------------------------------------------------------------------

/**
 * XACK key group id [id ...]: how many were pending. All IDs are parsed
 * first, so a bad one acknowledges nothing. Redis counts each
 * acknowledgement in dirty but neither signals nor notifies it.
 */
function xackCommand(c: Client, argv: string[]): void {
  const stream = lookupStream(c, argv[1]!, false);
  if (stream === null) return;
  const group = stream?.group(argv[2]!);
  if (group === undefined) {
    c.reply.integer(0);
    return;
  }
  const ids: StreamId[] = [];
  for (let j = 3; j < argv.length; j++) {
    const id = readStreamId(c, argv[j]!, false, true);
    if (id === null) return;
    ids.push(id);
  }
  let acknowledged = 0;
  for (const id of ids) {
    const nack = group.pel.get(id);
    if (nack === undefined) continue;
    group.pel.delete(id);
    nack.consumer.pel.delete(id);
    acknowledged++;
  }
  c.server.events.dirty += acknowledged;
  c.reply.integer(acknowledged);
}

export const xackSpec: CommandSpec = {
  name: 'xack',
  arity: -4,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary:
    'Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.',
  since: '5.0.0',
  complexity: 'O(1) for each message ID processed.',
  syntax: 'key group id [id ...]',
  keyFlags: ['RW', 'update'],
  handler: xackCommand,
};

// ---------------------------------------------------------------------------
// XPENDING
// ---------------------------------------------------------------------------

/** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
function xpendingCommand(c: Client, argv: string[]): void {
  const summary = argv.length === 3;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) {
    c.reply.error(errors.syntax);
    return;
  }
  let start = MIN_ID;
  let end = MIN_ID;
  let count = 0;
  let minIdle = 0;
  let consumerName: string | null = null;
  if (!summary) {
    let at = 3;
    if (isOption(argv[3]!, 'idle')) {
      const n = readLongLong(c, argv[4]!);
      if (n === null) return;
      minIdle = n;
      if (argv.length < 8) {
        c.reply.error(errors.syntax);
        return;
      }
      at += 2;
    }
    const n = readLongLong(c, argv[at + 2]!);
    if (n === null) return;
    count = n < 0 ? 0 : n;
    const s = readIntervalId(c, argv[at]!, false);
    if (s === null) return;
    const e = readIntervalId(c, argv[at + 1]!, true);
    if (e === null) return;
    start = s;
    end = e;
    if (at + 3 < argv.length) consumerName = argv[at + 3]!;
  }
  const key = argv[1]!;
  const stream = lookupStream(c, key, false);
  if (stream === null) return;
  const group = stream?.group(argv[2]!);
  if (group === undefined) {
    c.reply.error(streamErrors.noGroupForPending(key, argv[2]!));
    return;
  }
  const reply = c.reply;
  if (summary) {
    reply.arrayHeader(4);
    reply.integer(group.pel.size);
    if (group.pel.size === 0) {
      reply.nullBulk();
      reply.nullBulk();
      reply.nullArray();
      return;
    }
    reply.bulk(formatId(OrderedMap.key(group.pel.first()!)));
    reply.bulk(formatId(OrderedMap.key(group.pel.last()!)));
    const owners = group.sortedConsumers().filter((consumer) => consumer.pel.size !== 0);
    reply.arrayHeader(owners.length);
    for (const consumer of owners) {
      reply.arrayHeader(2);
      reply.bulk(consumer.name);
      reply.bulk(String(consumer.pel.size));
    }
    return;
  }
  let pel = group.pel;
  if (consumerName !== null) {
    const consumer = group.consumer(consumerName);
    if (consumer === undefined) {
      reply.arrayHeader(0);
      return;
    }
    pel = consumer.pel;
  }
  const now = c.server.keyspace.now;
  const rows: Array<[StreamId, PendingEntry]> = [];
  const cursor = count !== 0 ? pel.ceiling(start) : null;
  if (cursor !== null) {
    do {
      const id = OrderedMap.key(cursor);
      if (id > end) break;
      const nack = OrderedMap.value(cursor);
      if (minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
      rows.push([id, nack]);
    } while (rows.length < count && pel.next(cursor));
  }
  reply.arrayHeader(rows.length);
  for (const [id, nack] of rows) {
    reply.arrayHeader(4);
    reply.bulk(formatId(id));
    reply.bulk(nack.consumer.name);
    reply.integer(Math.max(0, now - nack.deliveryTime));
    reply.integer(nack.deliveryCount);
  }
}

export const xpendingSpec: CommandSpec = {
  name: 'xpending',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary:
    'Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.',
  since: '5.0.0',
  complexity:
    'O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.',
  syntax: 'key group [[IDLE min-idle-time:integer] start end count:integer [consumer]]',
  keyFlags: ['RO', 'access'],
  handler: xpendingCommand,
};

// ---------------------------------------------------------------------------
// XCLAIM
// ---------------------------------------------------------------------------

/** getLongLongFromObjectOrReply with XCLAIM's own message. */
function readClaimNumber(c: Client, text: string, message: string): number | null {
  const n = parseInteger(text);
  if (n === null) c.reply.error('ERR ' + message);
  return n;
}

/**
 * XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME
 * ms-unix-time] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
 */
function xclaimCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const stream = lookupStream(c, key, false);
  if (stream === null) return;
  const group = stream?.group(argv[2]!);
  if (stream === undefined || group === undefined) {
    c.reply.error(streamErrors.noGroupForPending(key, argv[2]!));
    return;
  }
  let minIdle = readClaimNumber(c, argv[4]!, 'Invalid min-idle-time argument for XCLAIM');
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const ids: StreamId[] = [];
  let j = 5;
  for (; j < argv.length; j++) {
    const parsed = parseId(argv[j]!, false, true);
    if (parsed === null) break;
    ids.push(parsed.id);
  }
  const now = c.server.keyspace.now;
  let deliveryTime = -1;
  let retryCount = -1;
  let force = false;
  let justId = false;
  let lastId = MIN_ID;
  for (; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const opt = argv[j]!;
    if (isOption(opt, 'force')) force = true;
    else if (isOption(opt, 'justid')) justId = true;
    else if (isOption(opt, 'idle') && moreArgs !== 0) {
      const n = readClaimNumber(c, argv[++j]!, 'Invalid IDLE option argument for XCLAIM');
      if (n === null) return;
      deliveryTime = now - n;
    } else if (isOption(opt, 'time') && moreArgs !== 0) {
      const n = readClaimNumber(c, argv[++j]!, 'Invalid TIME option argument for XCLAIM');
      if (n === null) return;
      deliveryTime = n;
    } else if (isOption(opt, 'retrycount') && moreArgs !== 0) {
      const n = readClaimNumber(c, argv[++j]!, 'Invalid RETRYCOUNT option argument for XCLAIM');
      if (n === null) return;
      retryCount = n;
    } else if (isOption(opt, 'lastid') && moreArgs !== 0) {
      const parsed = readStreamId(c, argv[++j]!, false, true);
      if (parsed === null) return;
      lastId = parsed;
    } else {
      c.reply.error(streamErrors.unrecognizedClaimOption(opt));
      return;
    }
  }
  let propagateLastId = false;
  if (lastId > group.lastId) {
    group.lastId = lastId;
    propagateLastId = true;
  }
  if (deliveryTime === -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;

  const events = c.server.events;
  let consumer = null;
  const claimed: Array<{ id: StreamId; fields: string[] | null }> = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    let nack = group.pel.get(id);
    const idText = argv[5 + i]!;
    if (!entryExists(stream, id)) {
      // An entry deleted from the stream is dropped from the PEL, and the replica told so.
      if (nack !== undefined) {
        propagateXclaimText(c, key, group, idText, nack);
        propagateLastId = false;
        events.dirty++;
        group.pel.delete(id);
        nack.consumer.pel.delete(id);
      }
      continue;
    }
    let fresh = false;
    if (force && nack === undefined) {
      fresh = true;
      nack = new PendingEntry(null!, now, 1);
      group.pel.set(id, nack);
    }
    if (nack === undefined) continue;
    if (!fresh && minIdle !== 0 && now - nack.deliveryTime < minIdle) continue;
    consumer ??= lookupOrCreateConsumer(c, key, group, argv[3]!).consumer;
    if (fresh) {
      nack.consumer = consumer;
      consumer.pel.set(id, nack);
    } else {
      assignPending(id, nack, consumer);
    }
    nack.deliveryTime = deliveryTime;
    if (retryCount >= 0) nack.deliveryCount = retryCount;
    else if (!justId) nack.deliveryCount++;
    claimed.push({ id, fields: justId ? null : entryFields(stream, id) });
    propagateXclaimText(c, key, group, idText, nack);
    propagateLastId = false;
    events.dirty++;
  }
  if (propagateLastId) {
    propagateGroupId(c, key, group);
    events.dirty++;
  }
  c.reply.arrayHeader(claimed.length);
  for (const entry of claimed) {
    if (entry.fields === null) c.reply.bulk(formatId(entry.id));
    else replyEntry(c, entry.id, entry.fields);
  }
  c.server.propagation.prevent();
}

/** XCLAIM propagates the ID as the client wrote it (c->argv[j]). */
function propagateXclaimText(c: Client, key: string, group: ConsumerGroup, idText: string, nack: PendingEntry): void {
  const propagation = c.server.propagation;
  if (!propagation.active) return;
  propagation.alsoPropagate(c.db.id, [
    'XCLAIM', key, group.name, nack.consumer.name, '0', idText,
    'TIME', String(nack.deliveryTime), 'RETRYCOUNT', String(nack.deliveryCount),
    'FORCE', 'JUSTID', 'LASTID', formatId(group.lastId),
  ]);
}

function entryFields(stream: RedisStream, id: StreamId): string[] {
  const it = stream.iterate(id, id, false);
  it.next();
  return it.fields([]);
}

export const xclaimSpec: CommandSpec = {
  name: 'xclaim',
  arity: -6,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary:
    'Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.',
  since: '5.0.0',
  complexity: 'O(log N) with N being the number of messages in the PEL of the consumer group.',
  syntax:
    'key group consumer min-idle-time id [id ...] [IDLE ms:integer] [TIME unix-time-milliseconds:unix-time] [RETRYCOUNT count:integer] [FORCE] [JUSTID] [LASTID id]',
  keyFlags: ['RW', 'update'],
  handler: xclaimCommand,
};

// ---------------------------------------------------------------------------
// XAUTOCLAIM
// ---------------------------------------------------------------------------

/** COUNT's upper bound: LONG_MAX / sizeof(streamID). */
const AUTOCLAIM_MAX_COUNT = 576460752303423487;
/** Redis allocates COUNT stream IDs up front; past this it fails to, and says so. */
const AUTOCLAIM_ALLOCATABLE = 2 ** 32;

/** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
function xautoclaimCommand(c: Client, argv: string[]): void {
  let minIdle = readClaimNumber(c, argv[4]!, 'Invalid min-idle-time argument for XAUTOCLAIM');
  if (minIdle === null) return;
  if (minIdle < 0) minIdle = 0;
  const start = readIntervalId(c, argv[5]!, false);
  if (start === null) return;
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (isOption(argv[j]!, 'count') && moreArgs !== 0) {
      const n = parseInteger(argv[j + 1]!);
      if (n === null || n < 1 || n > AUTOCLAIM_MAX_COUNT) {
        c.reply.error('ERR COUNT must be > 0');
        return;
      }
      count = n;
      j++;
    } else if (isOption(argv[j]!, 'justid')) {
      justId = true;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  const key = argv[1]!;
  const stream = lookupStream(c, key, false);
  if (stream === null) return;
  const group = stream?.group(argv[2]!);
  if (stream === undefined || group === undefined) {
    c.reply.error(streamErrors.noGroupForPending(key, argv[2]!));
    return;
  }
  if (count > AUTOCLAIM_ALLOCATABLE) {
    c.reply.error(streamErrors.countTooHigh);
    return;
  }
  const now = c.server.keyspace.now;
  const events = c.server.events;
  let attempts = count * 10;
  let consumer = null;
  const claimed: Array<{ id: StreamId; fields: string[] | null }> = [];
  const deletedIds: StreamId[] = [];
  let cursor = group.pel.ceiling(start);
  while (attempts-- > 0 && count > 0 && cursor !== null) {
    const id = OrderedMap.key(cursor);
    const nack = OrderedMap.value(cursor);
    if (!entryExists(stream, id)) {
      propagateXclaim(c, key, group, id, nack);
      events.dirty++;
      group.pel.delete(id);
      nack.consumer.pel.delete(id);
      deletedIds.push(id);
      count--;
      cursor = group.pel.higher(id);
      continue;
    }
    if (minIdle !== 0 && now - nack.deliveryTime < minIdle) {
      cursor = group.pel.next(cursor) ? cursor : null;
      continue;
    }
    consumer ??= lookupOrCreateConsumer(c, key, group, argv[3]!).consumer;
    assignPending(id, nack, consumer);
    nack.deliveryTime = now;
    if (!justId) nack.deliveryCount++;
    claimed.push({ id, fields: justId ? null : entryFields(stream, id) });
    count--;
    propagateXclaim(c, key, group, id, nack);
    events.dirty++;
    // The PEL's shape did not change (the entry moved between consumers only).
    cursor = group.pel.next(cursor) ? cursor : null;
  }
  const reply = c.reply;
  reply.arrayHeader(3);
  reply.bulk(cursor === null ? '0-0' : formatId(OrderedMap.key(cursor)));
  reply.arrayHeader(claimed.length);
  for (const entry of claimed) {
    if (entry.fields === null) reply.bulk(formatId(entry.id));
    else replyEntry(c, entry.id, entry.fields);
  }
  reply.arrayHeader(deletedIds.length);
  for (const id of deletedIds) reply.bulk(formatId(id));
  c.server.propagation.prevent();
}

export const xautoclaimSpec: CommandSpec = {
  name: 'xautoclaim',
  arity: -6,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary:
    'Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.',
  since: '6.2.0',
  complexity: 'O(1) if COUNT is small.',
  syntax: 'key group consumer min-idle-time start [COUNT count:integer] [JUSTID]',
  keyFlags: ['RW', 'delete'],
  handler: xautoclaimCommand,
};

export const streamGroupCommands: readonly CommandSpec[] = [xgroupSpec, xsetidSpec, xackSpec, xpendingSpec, xclaimSpec, xautoclaimSpec];
