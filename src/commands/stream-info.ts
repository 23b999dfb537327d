/**
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO
 * HELP (t_stream.c's xinfoCommand), with 7.0's fields: entries-added,
 * max-deleted-entry-id, recorded-first-entry-id, and each group's
 * entries-read and lag.
 *
 * One field cannot be Redis's: `radix-tree-nodes` counts the inner nodes of
 * Redis's rax, which reddish does not have. It reports the nodes of its own
 * index instead (see OrderedMap), which is the same kind of figure.
 */
import { errors, streamErrors, unknownSubcommandOrArity } from '../errors.js';
import type { ConsumerGroup } from '../store/stream/consumer-group.js';
import { ENTRIES_READ_UNKNOWN } from '../store/stream/consumer-group.js';
import type { RedisStream } from '../store/stream/stream.js';
import { MAX_ID, MIN_ID, formatId } from '../store/stream/stream-id.js';
import { replyHelp } from './help-reply.js';
import { isOption } from './parse.js';
import { groupLag } from './stream-group-reads.js';
import { lookupStream, readLongLong, replyEntry, replyRange } from './stream-type.js';
import type { Client, CommandSpec } from './types.js';

/** lookupKeyReadOrReply(shared.nokeyerr) + checkType. */
function infoStream(c: Client, key: string): RedisStream | null {
  const stream = lookupStream(c, key, false, (reply) => reply.error(errors.noSuchKey));
  return stream ?? null;
}

/** The groups in Redis's rax order (by name, bytewise). */
function sortedGroups(stream: RedisStream): ConsumerGroup[] {
  if (stream.groups === null) return [];
  return [...stream.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function replyEntriesRead(c: Client, group: ConsumerGroup): void {
  if (group.entriesRead !== ENTRIES_READ_UNKNOWN) c.reply.integer(group.entriesRead);
  else c.reply.nullBulk();
}

function replyLag(c: Client, stream: RedisStream, group: ConsumerGroup): void {
  const lag = groupLag(stream, group);
  if (lag === null) c.reply.nullBulk();
  else c.reply.integer(lag);
}

/** The first or last live entry as [id, fields], or a null. */
function replyEdgeEntry(c: Client, stream: RedisStream, rev: boolean): void {
  const it = stream.iterate(MIN_ID, MAX_ID, rev);
  if (it.next()) replyEntry(c, it.id, it.fields([]));
  else c.reply.nullBulk();
}

/** XINFO STREAM key [FULL [COUNT count]] */
function xinfoStreamCommand(c: Client, argv: string[]): void {
  const stream = infoStream(c, argv[2]!);
  if (stream === null) return;
  let full = false;
  let count = 10;
  const options = argv.length - 3;
  if (options !== 0) {
    if ((options !== 1 && options !== 3) || !isOption(argv[3]!, 'full') || (options === 3 && !isOption(argv[4]!, 'count'))) {
      c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
      return;
    }
    full = true;
    if (options === 3) {
      const n = readLongLong(c, argv[5]!);
      if (n === null) return;
      count = n < 0 ? 10 : n;
    }
  }
  const reply = c.reply;
  reply.mapHeader(full ? 9 : 10);
  reply.bulk('length');
  reply.integer(stream.length);
  reply.bulk('radix-tree-keys');
  reply.integer(stream.index.size);
  reply.bulk('radix-tree-nodes');
  reply.integer(stream.index.nodeCount);
  reply.bulk('last-generated-id');
  reply.bulk(formatId(stream.lastId));
  reply.bulk('max-deleted-entry-id');
  reply.bulk(formatId(stream.maxDeletedId));
  reply.bulk('entries-added');
  reply.integer(stream.entriesAdded);
  reply.bulk('recorded-first-entry-id');
  reply.bulk(formatId(stream.firstId));
  if (!full) {
    reply.bulk('groups');
    reply.integer(stream.groups?.size ?? 0);
    reply.bulk('first-entry');
    replyEdgeEntry(c, stream, false);
    reply.bulk('last-entry');
    replyEdgeEntry(c, stream, true);
    return;
  }
  reply.bulk('entries');
  replyRange(c, stream, MIN_ID, MAX_ID, count, false);
  reply.bulk('groups');
  const groups = sortedGroups(stream);
  reply.arrayHeader(groups.length);
  for (const group of groups) {
    reply.mapHeader(7);
    reply.bulk('name');
    reply.bulk(group.name);
    reply.bulk('last-delivered-id');
    reply.bulk(formatId(group.lastId));
    reply.bulk('entries-read');
    replyEntriesRead(c, group);
    reply.bulk('lag');
    replyLag(c, stream, group);
    reply.bulk('pel-count');
    reply.integer(group.pel.size);
    reply.bulk('pending');
    const pending = [...limited(group.pel.entries(), count)];
    reply.arrayHeader(pending.length);
    for (const [id, nack] of pending) {
      reply.arrayHeader(4);
      reply.bulk(formatId(id));
      reply.bulk(nack.consumer.name);
      reply.integer(nack.deliveryTime);
      reply.integer(nack.deliveryCount);
    }
    reply.bulk('consumers');
    const consumers = group.sortedConsumers();
    reply.arrayHeader(consumers.length);
    for (const consumer of consumers) {
      reply.mapHeader(4);
      reply.bulk('name');
      reply.bulk(consumer.name);
      reply.bulk('seen-time');
      reply.integer(consumer.seenTime);
      reply.bulk('pel-count');
      reply.integer(consumer.pel.size);
      reply.bulk('pending');
      const own = [...limited(consumer.pel.entries(), count)];
      reply.arrayHeader(own.length);
      for (const [id, nack] of own) {
        reply.arrayHeader(3);
        reply.bulk(formatId(id));
        reply.integer(nack.deliveryTime);
        reply.integer(nack.deliveryCount);
      }
    }
  }
}

/** The first `count` items (all when count is 0). */
function* limited<T>(items: IterableIterator<T>, count: number): IterableIterator<T> {
  let n = 0;
  for (const item of items) {
    if (count !== 0 && n++ >= count) return;
    yield item;
  }
}

const streamSpec: CommandSpec = {
  name: 'stream',
  arity: -3,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'Get information about a stream',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key [FULL [COUNT count:integer]]',
  keyFlags: ['RO', 'access'],
  handler: xinfoStreamCommand,
};

/** XINFO GROUPS key */
function xinfoGroupsCommand(c: Client, argv: string[]): void {
  const stream = infoStream(c, argv[2]!);
  if (stream === null) return;
  const reply = c.reply;
  const groups = sortedGroups(stream);
  reply.arrayHeader(groups.length);
  for (const group of groups) {
    reply.mapHeader(6);
    reply.bulk('name');
    reply.bulk(group.name);
    reply.bulk('consumers');
    reply.integer(group.consumers.size);
    reply.bulk('pending');
    reply.integer(group.pel.size);
    reply.bulk('last-delivered-id');
    reply.bulk(formatId(group.lastId));
    reply.bulk('entries-read');
    replyEntriesRead(c, group);
    reply.bulk('lag');
    replyLag(c, stream, group);
  }
}

const groupsSpec: CommandSpec = {
  name: 'groups',
  arity: 3,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'List the consumer groups of a stream',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  keyFlags: ['RO', 'access'],
  handler: xinfoGroupsCommand,
};

/** XINFO CONSUMERS key group */
function xinfoConsumersCommand(c: Client, argv: string[]): void {
  const key = argv[2]!;
  const stream = infoStream(c, key);
  if (stream === null) return;
  const group = stream.group(argv[3]!);
  if (group === undefined) {
    c.reply.error(streamErrors.noSuchGroup(argv[3]!, key));
    return;
  }
  const now = c.server.keyspace.now;
  const reply = c.reply;
  const consumers = group.sortedConsumers();
  reply.arrayHeader(consumers.length);
  for (const consumer of consumers) {
    reply.mapHeader(3);
    reply.bulk('name');
    reply.bulk(consumer.name);
    reply.bulk('pending');
    reply.integer(consumer.pel.size);
    reply.bulk('idle');
    reply.integer(Math.max(0, now - consumer.seenTime));
  }
}

const consumersSpec: CommandSpec = {
  name: 'consumers',
  arity: 4,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'stream',
  summary: 'List the consumers in a consumer group',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key groupname',
  keyFlags: ['RO', 'access'],
  handler: xinfoConsumersCommand,
};

const XINFO_HELP: readonly string[] = [
  'CONSUMERS <key> <groupname>',
  '    Show consumers of <groupname>.',
  'GROUPS <key>',
  '    Show the stream consumer groups.',
  'STREAM <key> [FULL [COUNT <count>]',
  '    Show information about the stream.',
];

/** XINFO HELP */
function xinfoHelpCommand(c: Client): void {
  replyHelp(c, 'XINFO', XINFO_HELP);
}

const xinfoHelpSpec: CommandSpec = {
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
  handler: xinfoHelpCommand,
};

export const xinfoSpec: CommandSpec = {
  name: 'xinfo',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'stream',
  summary: 'A container for stream introspection commands',
  since: '5.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [consumersSpec, groupsSpec, streamSpec, xinfoHelpSpec],
};

export const streamInfoCommands: readonly CommandSpec[] = [xinfoSpec];
