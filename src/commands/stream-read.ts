/**
 * XREAD and XREADGROUP (t_stream.c's xreadCommand, blocked.c's
 * serveClientsBlockedOnStreamKey).
 *
 * Both first try to answer at once: XREAD from every stream that has
 * entries past the given ID, XREADGROUP from the consumer's history (an
 * explicit ID) or from the entries past the group's last delivered ID
 * (`>`). With nothing to send and BLOCK given, the client waits in the
 * blocking service, first come first served per key:
 *
 * - `$` is resolved when the command runs, to the stream's last ID then;
 * - `>` is resolved when serving, to the group's last ID then, since other
 *   consumers of the group may have been served first;
 * - a served client gets at most COUNT entries (1000 without COUNT), from
 *   the one stream that woke it;
 * - an XREADGROUP waiter whose stream is deleted (or replaced by another
 *   type) gets Redis 7's UNBLOCKED error, one whose group is destroyed
 *   gets NOGROUP;
 * - inside MULTI or a client without a socket nothing blocks: the reply is
 *   the timeout's null.
 *
 * XREADGROUP never propagates as itself: each delivery propagates as an
 * XCLAIM, and with NOACK the group's new last ID as XGROUP SETID.
 */
import { errors, streamErrors } from '../errors.js';
import type { ConsumerGroup } from '../store/stream/consumer-group.js';
import { RedisStream } from '../store/stream/stream.js';
import { MAX_ID, MIN_ID, incrId, parseId, type StreamId } from '../store/stream/stream-id.js';
import { parseInteger } from '../text/numbers.js';
import { lowercaseCString } from './parse.js';
import { deliverHistory, deliverNewEntries, lookupOrCreateConsumer, propagateConsumerCreation } from './stream-group-reads.js';
import { lookupStream, readLongLong, replyRange } from './stream-type.js';
import type { Client, CommandSpec } from './types.js';

/** XREAD_BLOCKED_DEFAULT_COUNT: what a served waiter gets at most without COUNT. */
const BLOCKED_DEFAULT_COUNT = 1000;
/** The `>` ID, as Redis marks it: the largest ID. */
const NEW_ENTRIES = MAX_ID;

interface ReadRequest {
  keys: string[];
  ids: StreamId[];
  groups: Array<ConsumerGroup | undefined>;
  count: number;
  /** Absolute deadline on the server clock, 0 for ever; -1 without BLOCK. */
  timeout: number;
  groupName: string | null;
  consumerName: string | null;
  noack: boolean;
}

/**
 * getTimeoutFromObjectOrReply with UNIT_MILLISECONDS: the deadline, 0 for
 * ever, or null after the error. A deadline past int64 wraps in Redis and
 * never comes; here it waits for ever too.
 */
function readBlockTimeout(c: Client, text: string): number | null {
  const ms = parseInteger(text);
  if (ms === null) {
    c.reply.error(streamErrors.timeoutNotInteger);
    return null;
  }
  if (ms < 0) {
    c.reply.error(errors.timeoutNegative);
    return null;
  }
  if (ms === 0) return 0;
  const deadline = c.server.keyspace.now + ms;
  return deadline >= 2 ** 63 ? 0 : deadline;
}

/** xreadCommand's parsing: null after replying an error. */
function parseRead(c: Client, argv: string[], xreadgroup: boolean): ReadRequest | null {
  let timeout = -1;
  let count = 0;
  let streamsAt = 0;
  let streamCount = 0;
  let groupName: string | null = null;
  let consumerName: string | null = null;
  let noack = false;
  for (let i = 1; i < argv.length; i++) {
    const moreArgs = argv.length - i - 1;
    const opt = lowercaseCString(argv[i]!);
    if (opt === 'block' && moreArgs !== 0) {
      if (c.timeSnapshot !== null) {
        c.reply.error(streamErrors.blockFromScript(argv[0]!));
        return null;
      }
      const t = readBlockTimeout(c, argv[++i]!);
      if (t === null) return null;
      timeout = t;
    } else if (opt === 'count' && moreArgs !== 0) {
      const n = readLongLong(c, argv[++i]!);
      if (n === null) return null;
      count = n < 0 ? 0 : n;
    } else if (opt === 'streams' && moreArgs !== 0) {
      streamsAt = i + 1;
      streamCount = argv.length - streamsAt;
      if (streamCount % 2 !== 0) {
        c.reply.error(streamErrors.unbalanced);
        return null;
      }
      streamCount /= 2;
      break;
    } else if (opt === 'group' && moreArgs >= 2) {
      if (!xreadgroup) {
        c.reply.error(streamErrors.groupOnlyXreadgroup);
        return null;
      }
      groupName = argv[i + 1]!;
      consumerName = argv[i + 2]!;
      i += 2;
    } else if (opt === 'noack') {
      if (!xreadgroup) {
        c.reply.error(streamErrors.noackOnlyXreadgroup);
        return null;
      }
      noack = true;
    } else {
      c.reply.error(errors.syntax);
      return null;
    }
  }
  if (streamsAt === 0) {
    c.reply.error(errors.syntax);
    return null;
  }
  if (xreadgroup && groupName === null) {
    c.reply.error(streamErrors.missingGroup);
    return null;
  }
  const keys = argv.slice(streamsAt, streamsAt + streamCount);
  const ids: StreamId[] = [];
  const groups: Array<ConsumerGroup | undefined> = [];
  for (let i = 0; i < streamCount; i++) {
    const key = keys[i]!;
    const stream = lookupStream(c, key, false);
    if (stream === null) return null;
    let group: ConsumerGroup | undefined;
    if (groupName !== null) {
      group = stream?.group(groupName);
      if (group === undefined) {
        c.reply.error(streamErrors.noGroupForKey(key, groupName));
        return null;
      }
    }
    groups.push(group);
    const text = argv[streamsAt + streamCount + i]!;
    if (text === '$') {
      if (xreadgroup) {
        c.reply.error(streamErrors.dollarInGroup);
        return null;
      }
      ids.push(stream?.lastId ?? MIN_ID);
      continue;
    }
    if (text === '>') {
      if (!xreadgroup) {
        c.reply.error(streamErrors.greaterOnlyInGroup);
        return null;
      }
      ids.push(NEW_ENTRIES);
      continue;
    }
    const parsed = parseId(text, false, true);
    if (parsed === null) {
      c.reply.error(streamErrors.invalidId);
      return null;
    }
    ids.push(parsed.id);
  }
  return { keys, ids, groups, count, timeout, groupName, consumerName, noack };
}

/** Replies the entries of one stream for XREAD/XREADGROUP (after its key). */
function serveStream(
  c: Client,
  request: ReadRequest,
  key: string,
  stream: RedisStream,
  group: ConsumerGroup | undefined,
  after: StreamId,
  history: boolean,
  count: number,
): void {
  const start = incrId(after) ?? MAX_ID;
  if (group === undefined) {
    replyRange(c, stream, start, MAX_ID, count, false);
    return;
  }
  const { consumer, created } = lookupOrCreateConsumer(c, key, group, request.consumerName!);
  if (created && request.noack) propagateConsumerCreation(c, key, group, consumer.name);
  if (history) deliverHistory(c, stream, consumer, start, count);
  else deliverNewEntries(c, key, stream, group, consumer, start, count, request.noack);
  // Redis counts every group read as a change, whatever it delivered.
  c.server.events.dirty++;
}

/** xreadCommand: XREAD and XREADGROUP. */
function xreadGeneric(c: Client, argv: string[], xreadgroup: boolean): void {
  const request = parseRead(c, argv, xreadgroup);
  // Never propagated as itself: deliveries propagate as XCLAIM (stream-group-reads.ts).
  c.server.propagation.prevent();
  if (request === null) return;
  const reply = c.reply;
  // Which streams can be served is decided first, so that the reply's
  // header (Redis writes it deferred) can go before their entries. A key
  // named twice in one XREADGROUP is decided, as in Redis, after the first
  // read moved the group on: `delivered` follows each group's last ID.
  const plans: Array<{ key: string; stream: RedisStream; group: ConsumerGroup | undefined; after: StreamId | null; history: boolean }> = [];
  const delivered = new Map<ConsumerGroup, StreamId>();
  for (let i = 0; i < request.keys.length; i++) {
    const key = request.keys[i]!;
    const stream = c.db.lookupRead(key);
    if (!(stream instanceof RedisStream)) continue;
    const group = request.groups[i];
    const after = request.ids[i]!;
    if (group !== undefined) {
      if (after !== NEW_ENTRIES) {
        plans.push({ key, stream, group, after, history: true });
        continue;
      }
      const lastId = delivered.get(group) ?? group.lastId;
      if (stream.length !== 0 && stream.edgeId(false, true) > lastId) {
        plans.push({ key, stream, group, after: null, history: false });
        delivered.set(group, lastDeliverable(stream, lastId, request.count));
      }
    } else if (stream.length !== 0 && stream.edgeId(false, true) > after) {
      plans.push({ key, stream, group, after, history: false });
    }
  }
  if (plans.length !== 0) {
    if (reply.protocol === 2) reply.arrayHeader(plans.length);
    else reply.mapHeader(plans.length);
    for (const plan of plans) {
      if (reply.protocol === 2) reply.arrayHeader(2);
      reply.bulk(plan.key);
      serveStream(c, request, plan.key, plan.stream, plan.group, plan.after ?? plan.group!.lastId, plan.history, request.count);
    }
    return;
  }
  if (request.timeout === -1 || c.inExec || c.socketless) {
    reply.nullArray();
    return;
  }
  c.block({
    keys: request.keys,
    timeoutMs: request.timeout,
    tryServe: (key) => serveBlockedRead(c, request, key),
    onTimeout: () => c.reply.nullArray(),
  });
}

/** The ID of the last entry a read of `count` entries (0 = all) after `after` reaches. */
function lastDeliverable(stream: RedisStream, after: StreamId, count: number): StreamId {
  if (count === 0) return stream.edgeId(false, true);
  const it = stream.iterate(incrId(after) ?? MAX_ID, MAX_ID, false);
  let last = after;
  for (let n = 0; n < count && it.next(); n++) last = it.id;
  return last;
}

/**
 * serveClientsBlockedOnStreamKey for one waiter and the key that woke it.
 * Returns true once the client has its reply (entries or an error).
 */
function serveBlockedRead(c: Client, request: ReadRequest, key: string): boolean {
  const index = request.keys.indexOf(key);
  const value = c.db.lookupWrite(key);
  if (!(value instanceof RedisStream)) {
    if (request.groupName === null) return false;
    c.reply.error(streamErrors.deletedWhileBlocked);
    return true;
  }
  let after = request.ids[index]!;
  let group: ConsumerGroup | undefined;
  if (request.groupName !== null) {
    group = value.group(request.groupName);
    if (group === undefined) {
      c.reply.error(streamErrors.groupDeletedWhileBlocked);
      return true;
    }
    after = group.lastId;
  }
  if (!(value.lastId > after)) return false;
  const reply = c.reply;
  if (reply.protocol === 2) {
    reply.arrayHeader(1);
    reply.arrayHeader(2);
  } else {
    reply.mapHeader(1);
  }
  reply.bulk(key);
  serveStream(c, request, key, value, group, after, false, request.count !== 0 ? request.count : BLOCKED_DEFAULT_COUNT);
  return true;
}

/**
 * The keys of XREAD/XREADGROUP: the first half of what follows STREAMS
 * (Redis's keyword key spec, STREAMS searched from the start).
 */
function readKeyPositions(argv: readonly string[], from: number): number[] {
  for (let i = from; i < argv.length; i++) {
    if (lowercaseCString(argv[i]!) === 'streams') {
      const first = i + 1;
      const count = Math.floor((argv.length - first) / 2);
      return Array.from({ length: count }, (_, j) => first + j);
    }
  }
  return [];
}

/** XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...] */
function xreadCommand(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, false);
}

export const xreadSpec: CommandSpec = {
  name: 'xread',
  arity: -4,
  flags: ['readonly', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'stream',
  summary:
    'Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.',
  since: '5.0.0',
  complexity:
    'For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.',
  syntax: '[COUNT count:integer] [BLOCK milliseconds:integer] STREAMS (key [key ...] id [id ...])',
  keys: (argv) => readKeyPositions(argv, 1),
  keyFlags: ['RO', 'access'],
  handler: xreadCommand,
};

/** XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...] */
function xreadgroupCommand(c: Client, argv: string[]): void {
  xreadGeneric(c, argv, true);
}

export const xreadgroupSpec: CommandSpec = {
  name: 'xreadgroup',
  arity: -7,
  flags: ['write', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'stream',
  summary:
    'Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.',
  since: '5.0.0',
  complexity:
    'For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.',
  syntax:
    'GROUP (group consumer) [COUNT count:integer] [BLOCK milliseconds:integer] [NOACK] STREAMS (key [key ...] id [id ...])',
  keys: (argv) => readKeyPositions(argv, 4),
  handler: xreadgroupCommand,
  keyFlags: ['RO', 'access'],
};

export const streamReadCommands: readonly CommandSpec[] = [xreadSpec, xreadgroupSpec];
