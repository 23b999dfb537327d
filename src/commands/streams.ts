/**
 * The stream commands that read and write entries (Redis's t_stream.c):
 * XADD, XRANGE, XREVRANGE, XLEN, XDEL and XTRIM. The structure lives in
 * store/stream/; this module parses, checks types, replies, and announces
 * each change on the change seat (`xadd`, `xtrim`, `xdel`).
 *
 * Propagation follows Redis: XADD with `*` or `ms-*` propagates the ID it
 * chose, and `~` trimming propagates as `=` with the resulting length (or
 * first ID), so that a replica trims exactly as much.
 */
import { errors, streamErrors, wrongArity } from '../errors.js';
import { RedisStream, type TrimArgs } from '../store/stream/stream.js';
import { MAX_ID, MIN_ID, formatId, parseId, type StreamId } from '../store/stream/stream-id.js';
import { missingKeyReply } from './missing-key-reply.js';
import { isOption } from './parse.js';
import { lookupStream, readIntervalId, readLongLong, readStreamId, replyRange } from './stream-type.js';
import { streamGroupCommands } from './stream-groups.js';
import { streamInfoCommands } from './stream-info.js';
import { streamReadCommands } from './stream-read.js';
import type { Client, CommandSpec } from './types.js';

/** streamAddTrimArgs: XADD's and XTRIM's options. */
interface AddTrimArgs {
  trim: TrimArgs | null;
  /** Index of the MAXLEN/MINID threshold argument, for the propagated rewrite. */
  trimArgIndex: number;
  noMkstream: boolean;
  /** XADD: the explicit ID (null for `*`), whether its seq was given, and its position. */
  id: StreamId | null;
  seqGiven: boolean;
  idIndex: number;
}

/**
 * streamParseAddOrTrimArgsOrReply: the options from argv[2] on, up to the
 * ID for XADD. Null after replying an error.
 */
function parseAddTrimArgs(c: Client, argv: string[], xadd: boolean): AddTrimArgs | null {
  const args: AddTrimArgs = { trim: null, trimArgIndex: 0, noMkstream: false, id: null, seqGiven: true, idIndex: argv.length };
  let limit = 0;
  let limitGiven = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const moreArgs = argv.length - 1 - i;
    const opt = argv[i]!;
    if (xadd && opt === '*') break;
    const lower = opt.toLowerCase();
    if ((lower === 'maxlen' || lower === 'minid') && moreArgs !== 0) {
      if (args.trim !== null) {
        c.reply.error(streamErrors.maxlenAndMinid);
        return null;
      }
      let approx = false;
      const next = argv[i + 1]!;
      if (moreArgs >= 2 && next === '~') {
        approx = true;
        i++;
      } else if (moreArgs >= 2 && next === '=') {
        i++;
      }
      const trim: TrimArgs = { strategy: lower, maxlen: 0, minid: MIN_ID, approx, limit: 0 };
      if (lower === 'maxlen') {
        const maxlen = readLongLong(c, argv[i + 1]!);
        if (maxlen === null) return null;
        if (maxlen < 0) {
          c.reply.error(streamErrors.maxlenNegative);
          return null;
        }
        trim.maxlen = maxlen;
      } else {
        const minid = readStreamId(c, argv[i + 1]!, false, true);
        if (minid === null) return null;
        trim.minid = minid;
      }
      i++;
      args.trim = trim;
      args.trimArgIndex = i;
    } else if (lower === 'limit' && moreArgs !== 0) {
      const n = readLongLong(c, argv[i + 1]!);
      if (n === null) return null;
      if (n < 0) {
        c.reply.error(streamErrors.limitNegative);
        return null;
      }
      limit = n;
      limitGiven = true;
      i++;
    } else if (xadd && lower === 'nomkstream') {
      args.noMkstream = true;
    } else if (xadd) {
      // Either the ID or a syntax error, which Redis reports as an invalid ID.
      const parsed = parseId(opt, false, true, true);
      if (parsed === null) {
        c.reply.error(streamErrors.invalidId);
        return null;
      }
      args.id = parsed.id;
      args.seqGiven = parsed.seqGiven;
      break;
    } else {
      c.reply.error(errors.syntax);
      return null;
    }
  }
  args.idIndex = i;
  if (limit !== 0 && args.trim === null) {
    c.reply.error(streamErrors.limitWithoutStrategy);
    return null;
  }
  if (!xadd && args.trim === null) {
    c.reply.error(streamErrors.xtrimWithoutStrategy);
    return null;
  }
  if (limitGiven) {
    if (!args.trim!.approx) {
      c.reply.error(streamErrors.limitWithoutApprox);
      return null;
    }
    args.trim!.limit = limit;
  } else if (args.trim !== null && args.trim.approx) {
    // At most 100 nodes' worth of work per trim, as Redis caps it.
    let cap = 100 * c.server.encoding.streamNodeMaxEntries;
    if (cap <= 0) cap = 10000;
    if (cap > 1000000) cap = 1000000;
    args.trim.limit = cap;
  }
  return args;
}

/**
 * streamRewriteApproxSpecifier + streamRewriteTrimArgument: `~` becomes
 * `=` and the threshold what the stream now is (its length, or its first
 * entry's ID counting tombstones), in `argv` (a copy for propagation).
 */
function rewriteApproxTrim(argv: string[], stream: RedisStream, args: AddTrimArgs): void {
  argv[args.trimArgIndex - 1] = '=';
  argv[args.trimArgIndex] = args.trim!.strategy === 'maxlen' ? String(stream.length) : formatId(stream.edgeId(true, false));
}

/** XADD key [NOMKSTREAM] [(MAXLEN | MINID) [= | ~] threshold [LIMIT count]] (* | id) field value [field value ...] */
function xaddCommand(c: Client, argv: string[]): void {
  const args = parseAddTrimArgs(c, argv, true);
  if (args === null) return;
  const fieldsAt = args.idIndex + 1;
  const pairs = argv.length - fieldsAt;
  if (pairs < 2 || pairs % 2 === 1) {
    c.reply.error(wrongArity('xadd'));
    return;
  }
  // 0-0 is refused before the key is looked up, so no empty stream is left behind.
  if (args.id === MIN_ID && args.seqGiven) {
    c.reply.error(streamErrors.idZero);
    return;
  }
  const key = argv[1]!;
  let stream = lookupStream(c, key, true);
  if (stream === null) return;
  if (stream === undefined) {
    if (args.noMkstream) {
      c.reply.nullBulk();
      return;
    }
    stream = new RedisStream();
    c.db.add(key, stream);
  }
  if (stream.lastId === MAX_ID) {
    c.reply.error(streamErrors.exhausted);
    return;
  }
  const id = stream.nextId(args.id, args.seqGiven, c.server.keyspace.now);
  const failure = id === null ? 'not-greater' : stream.append(id, argv, fieldsAt, c.server.encoding);
  if (failure !== null) {
    c.reply.error(failure === 'not-greater' ? streamErrors.idNotGreater : streamErrors.tooLarge);
    return;
  }
  const idText = formatId(id!);
  c.reply.bulk(idText);
  const events = c.server.events;
  events.keyModified(c.db, key, 'xadd');
  if (args.trim !== null && stream.trim(args.trim) !== 0) events.keyModified(c.db, key, 'xtrim', 0);
  // The rewrite is for the journal only: skipped while nobody listens.
  if (!c.server.propagation.active) return;
  let rewritten: string[] | null = null;
  if (args.trim !== null && args.trim.approx) {
    rewritten = argv.slice();
    rewriteApproxTrim(rewritten, stream, args);
  }
  if (args.id === null || !args.seqGiven) {
    rewritten ??= argv.slice();
    rewritten[args.idIndex] = idText;
  }
  if (rewritten !== null) c.server.propagation.rewrite(rewritten);
}

export const xaddSpec: CommandSpec = {
  name: 'xadd',
  arity: -5,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary: 'Appends a new entry to a stream',
  since: '5.0.0',
  complexity: 'O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.',
  syntax: 'key [NOMKSTREAM] [(MAXLEN | MINID) [= | ~] threshold [LIMIT count:integer]] (* | id) field value [field value ...]',
  keyFlags: ['RW', 'update'],
  handler: xaddCommand,
};

/** xrangeGenericCommand: XRANGE key start end [COUNT n], XREVRANGE key end start [COUNT n]. */
function xrangeGeneric(c: Client, argv: string[], rev: boolean): void {
  const start = readIntervalId(c, rev ? argv[3]! : argv[2]!, false);
  if (start === null) return;
  const end = readIntervalId(c, rev ? argv[2]! : argv[3]!, true);
  if (end === null) return;
  let count = -1;
  for (let j = 4; j < argv.length; j++) {
    if (isOption(argv[j]!, 'count') && j + 1 < argv.length) {
      const n = readLongLong(c, argv[++j]!);
      if (n === null) return;
      count = n < 0 ? 0 : n;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  const stream = lookupStream(c, argv[1]!, false, missingKeyReply.emptyArray);
  if (stream === null || stream === undefined) return;
  if (count === 0) {
    c.reply.nullArray();
    return;
  }
  replyRange(c, stream, start, end, count === -1 ? 0 : count, rev);
}

/** XRANGE key start end [COUNT count] */
function xrangeCommand(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, false);
}

export const xrangeSpec: CommandSpec = {
  name: 'xrange',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary: 'Return a range of elements in a stream, with IDs matching the specified IDs interval',
  since: '5.0.0',
  complexity:
    'O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
  syntax: 'key start end [COUNT count:integer]',
  keyFlags: ['RO', 'access'],
  handler: xrangeCommand,
};

/** XREVRANGE key end start [COUNT count] */
function xrevrangeCommand(c: Client, argv: string[]): void {
  xrangeGeneric(c, argv, true);
}

export const xrevrangeSpec: CommandSpec = {
  name: 'xrevrange',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary:
    'Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE',
  since: '5.0.0',
  complexity:
    'O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).',
  syntax: 'key end start [COUNT count:integer]',
  keyFlags: ['RO', 'access'],
  handler: xrevrangeCommand,
};

/** XLEN key */
function xlenCommand(c: Client, argv: string[]): void {
  const stream = lookupStream(c, argv[1]!, false, missingKeyReply.zero);
  if (stream === null || stream === undefined) return;
  c.reply.integer(stream.length);
}

export const xlenSpec: CommandSpec = {
  name: 'xlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary: 'Return the number of entries in a stream',
  since: '5.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  keyFlags: ['RO'],
  handler: xlenCommand,
};

/**
 * XDEL key id [id ...]
 * Every ID is checked before any is deleted, so a bad one deletes nothing.
 */
function xdelCommand(c: Client, argv: string[]): void {
  const stream = lookupStream(c, argv[1]!, true, missingKeyReply.zero);
  if (stream === null || stream === undefined) return;
  const ids: StreamId[] = [];
  for (let j = 2; j < argv.length; j++) {
    const id = readStreamId(c, argv[j]!, false, true);
    if (id === null) return;
    ids.push(id);
  }
  let deleted = 0;
  let firstDeleted = false;
  for (const id of ids) {
    if (!stream.deleteEntry(id)) continue;
    if (id === stream.firstId) firstDeleted = true;
    if (id > stream.maxDeletedId) stream.maxDeletedId = id;
    deleted++;
  }
  if (deleted !== 0) {
    if (stream.length === 0) stream.firstId = MIN_ID;
    else if (firstDeleted) stream.firstId = stream.edgeId(true, true);
    c.server.events.keyModified(c.db, argv[1]!, 'xdel', deleted);
  }
  c.reply.integer(deleted);
}

export const xdelSpec: CommandSpec = {
  name: 'xdel',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary:
    'Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.',
  since: '5.0.0',
  complexity: 'O(1) for each single item to delete in the stream, regardless of the stream size.',
  syntax: 'key id [id ...]',
  keyFlags: ['RW', 'delete'],
  handler: xdelCommand,
};

/** XTRIM key (MAXLEN | MINID) [= | ~] threshold [LIMIT count] */
function xtrimCommand(c: Client, argv: string[]): void {
  const args = parseAddTrimArgs(c, argv, false);
  if (args === null) return;
  const key = argv[1]!;
  const stream = lookupStream(c, key, true, missingKeyReply.zero);
  if (stream === null || stream === undefined) return;
  const deleted = stream.trim(args.trim!);
  if (deleted !== 0) {
    if (args.trim!.approx) {
      const rewritten = argv.slice();
      rewriteApproxTrim(rewritten, stream, args);
      c.server.propagation.rewrite(rewritten);
    }
    c.server.events.keyModified(c.db, key, 'xtrim', deleted);
  }
  c.reply.integer(deleted);
}

export const xtrimSpec: CommandSpec = {
  name: 'xtrim',
  arity: -4,
  flags: ['write'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'stream',
  summary: "Trims the stream to (approximately if '~' is passed) a certain size",
  since: '5.0.0',
  complexity:
    'O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.',
  syntax: 'key ((MAXLEN | MINID) [= | ~] threshold [LIMIT count:integer])',
  keyFlags: ['RW', 'delete'],
  handler: xtrimCommand,
};

/** The stream entry commands, in the order COMMAND lists them. */
export const streamCommands: readonly CommandSpec[] = [
  xaddSpec,
  xrangeSpec,
  xrevrangeSpec,
  xlenSpec,
  xdelSpec,
  xtrimSpec,
  ...streamReadCommands,
  ...streamGroupCommands,
  ...streamInfoCommands,
];
