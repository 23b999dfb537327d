/**
 * Popping from sorted sets (Redis's t_zset.c), each command with its spec:
 * ZPOPMIN and ZPOPMAX, ZMPOP, and the blocking BZPOPMIN, BZPOPMAX and
 * BZMPOP, all through genericZpopCommand, whose flags pick the reply shape:
 *
 *   ZPOPMIN k             [member, score]                      (flat)
 *   ZPOPMIN k 2           RESP2 flat; RESP3 [[member, score], ...]
 *   BZPOPMIN k 0          [key, member, score]                 (flat)
 *   ZMPOP / BZMPOP        [key, [[member, score], ...]]        (both protocols)
 *
 * A blocking form first pops at once from the first key in argument order
 * that holds a sorted set, as its plain form would; otherwise it waits
 * (server/blocking.ts) and is served from whichever of its keys a write
 * fills first. Inside MULTI/EXEC it answers as if it had timed out.
 *
 * What propagates is always a plain pop, `ZPOPMIN key` or `ZPOPMIN key n`
 * with n what was popped: ZMPOP and a blocking pop served at once rewrite
 * themselves to it, and a waiter served later adds it (blocked.c's
 * serveClientsBlockedOnSortedSetKey), since no call of its own propagates.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { SortedSet } from '../store/zset.js';
import { parseInteger } from '../text/numbers.js';
import { readTimeout } from './list-blocking.js';

import { deleteIfEmpty, lookupZsetWrite, numkeysPositions } from './zset-keys.js';
import { lowercaseCString } from './parse.js';

const ZPOP_COMPLEXITY = 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.';
const MPOP_COMPLEXITY =
  'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.';

/** ZSET_MIN / ZSET_MAX: which end to pop from. */
const enum Where {
  Min,
  Max,
}

/** How genericZpopCommand shapes its reply (its emitkey / use_nested_array / reply_nil_when_empty). */
interface PopReply {
  /** Name the key first (the blocking forms, ZMPOP). */
  emitKey: boolean;
  /** Each [member, score] in its own array. */
  nested: boolean;
  /** No sorted set to pop from: a null array (ZMPOP) rather than an empty one. */
  nilWhenEmpty: boolean;
}

/** The pop a pop propagates as: shared.zpopmin/zpopmax, the key, and with a count what was popped. */
function zpopArgv(where: Where, key: string, count: number, popped: number): string[] {
  const name = where === Where.Max ? 'ZPOPMAX' : 'ZPOPMIN';
  return count === -1 ? [name, key] : [name, key, String(popped)];
}

/**
 * genericZpopCommand: pops up to `count` members (-1: the single-pop form)
 * from the first of `keys` that exists, type-checking the keys up to it.
 * The key goes when its last member does. Returns how many were popped
 * (0 after an error or an empty reply). ZMPOP (`rewrite`) propagates as
 * ZPOPMIN/ZPOPMAX key n.
 */
function genericZpopCommand(
  c: Client,
  keys: readonly string[],
  where: Where,
  count: number,
  shape: PopReply,
  rewrite = false,
): number {
  let key = '';
  let zset: SortedSet | undefined;
  for (const candidate of keys) {
    const found = lookupZsetWrite(c, candidate);
    if (found === null) return 0;
    if (found === undefined) continue;
    key = candidate;
    zset = found;
    break;
  }
  const reply = c.reply;
  if (zset === undefined) {
    if (shape.nilWhenEmpty) reply.nullArray();
    else reply.raw(shared.emptyArray);
    return 0;
  }
  if (count === 0) {
    reply.raw(shared.emptyArray);
    return 0;
  }
  const popped = where === Where.Min ? zset.popMin(count === -1 ? 1 : count) : zset.popMax(count === -1 ? 1 : count);
  if (!shape.emitKey) {
    reply.arrayHeader(shape.nested ? popped.length : popped.length * 2);
  } else if (!shape.nested) {
    reply.arrayHeader(popped.length * 2 + 1);
    reply.bulk(key);
  } else {
    reply.arrayHeader(2);
    reply.bulk(key);
    reply.arrayHeader(popped.length);
  }
  // One event for the whole pop, one change to dirty per member. Redis
  // notifies as it pops the first member, after the reply's headers and
  // before the members: where a RESP3 client's own notification lands.
  c.server.events.keyModified(c.db, key, where === Where.Min ? 'zpopmin' : 'zpopmax', popped.length);
  for (const [member, score] of popped) {
    if (shape.nested) reply.arrayHeader(2);
    reply.bulk(member);
    reply.double(score);
  }
  deleteIfEmpty(c, key, zset);
  if (rewrite) c.server.propagation.rewrite(zpopArgv(where, key, count, popped.length));
  return popped.length;
}

/**
 * ZPOPMIN/ZPOPMAX key [count]. A count that is not a non-negative integer
 * gets "must be positive" either way, as getPositiveLongFromObjectOrReply
 * words it. RESP3 nests the pairs only when a count was given.
 */
function zpopMinMaxCommand(c: Client, argv: string[], where: Where): void {
  if (argv.length > 3) {
    c.reply.error(errors.syntax);
    return;
  }
  let count = -1;
  if (argv.length === 3) {
    const n = parseInteger(argv[2]!);
    if (n === null || n < 0) {
      c.reply.error(errors.notPositive);
      return;
    }
    count = n;
  }
  const nested = c.reply.protocol === 3 && count !== -1;
  genericZpopCommand(c, [argv[1]!], where, count, { emitKey: false, nested, nilWhenEmpty: false });
}

/** ZPOPMIN key [count] */
function zpopminCommand(c: Client, argv: string[]): void {
  zpopMinMaxCommand(c, argv, Where.Min);
}

export const zpopminSpec: CommandSpec = {
  name: 'zpopmin',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'access', 'delete'],
  group: 'sorted-set',
  summary: 'Remove and return members with the lowest scores in a sorted set',
  since: '5.0.0',
  complexity: ZPOP_COMPLEXITY,
  syntax: 'key [count:integer]',
  handler: zpopminCommand,
};

/** ZPOPMAX key [count] */
function zpopmaxCommand(c: Client, argv: string[]): void {
  zpopMinMaxCommand(c, argv, Where.Max);
}

export const zpopmaxSpec: CommandSpec = {
  name: 'zpopmax',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'access', 'delete'],
  group: 'sorted-set',
  summary: 'Remove and return members with the highest scores in a sorted set',
  since: '5.0.0',
  complexity: ZPOP_COMPLEXITY,
  syntax: 'key [count:integer]',
  handler: zpopmaxCommand,
};

/**
 * Pops for a blocking command from `key`, if it holds a sorted set, and
 * propagates the pop: as the command's rewrite when it pops at once
 * (blockingGenericZpopCommand), added to the unit when a waiter is served
 * (serveClientsBlockedOnSortedSetKey).
 */
function serveBlockedZpop(c: Client, key: string, where: Where, count: number, shape: PopReply, waited: boolean): boolean {
  const entry = c.db.lookupWrite(key);
  if (entry === undefined || !(entry instanceof SortedSet) || entry.size === 0) return false;
  const popped = genericZpopCommand(c, [key], where, count, shape);
  const propagation = c.server.propagation;
  const argv = zpopArgv(where, key, count, popped);
  if (waited) propagation.alsoPropagate(c.db.id, argv);
  else propagation.rewrite(argv);
  return true;
}

/**
 * blockingGenericZpopCommand. The timeout is read first; a key of another
 * type is WRONGTYPE when the command runs, while a waiter whose key turns
 * into another type just goes on waiting, as in Redis.
 */
function blockingGenericZpopCommand(
  c: Client,
  keys: readonly string[],
  where: Where,
  timeoutText: string,
  count: number,
  shape: PopReply,
): void {
  const timeoutMs = readTimeout(c, timeoutText);
  if (timeoutMs === null) return;
  for (const key of keys) {
    const zset = lookupZsetWrite(c, key);
    if (zset === null) return;
    if (zset === undefined) continue;
    if (serveBlockedZpop(c, key, where, count, shape, false)) return;
  }
  if (c.inExec) {
    c.reply.nullArray();
    return;
  }
  c.block({
    keys,
    timeoutMs,
    tryServe: (key) => serveBlockedZpop(c, key, where, count, shape, true),
    onTimeout: () => c.reply.nullArray(),
  });
}

const BZPOP_REPLY: PopReply = { emitKey: true, nested: false, nilWhenEmpty: false };

/** BZPOPMIN key [key ...] timeout */
function bzpopminCommand(c: Client, argv: string[]): void {
  blockingGenericZpopCommand(c, argv.slice(1, -1), Where.Min, argv[argv.length - 1]!, -1, BZPOP_REPLY);
}

export const bzpopminSpec: CommandSpec = {
  name: 'bzpopmin',
  arity: -3,
  flags: ['write', 'noscript', 'blocking', 'fast'],
  firstKey: 1,
  lastKey: -2,
  keyStep: 1,
  keyFlags: ['RW', 'access', 'delete'],
  group: 'sorted-set',
  summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available',
  since: '5.0.0',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  syntax: 'key [key ...] timeout:double',
  handler: bzpopminCommand,
};

/** BZPOPMAX key [key ...] timeout */
function bzpopmaxCommand(c: Client, argv: string[]): void {
  blockingGenericZpopCommand(c, argv.slice(1, -1), Where.Max, argv[argv.length - 1]!, -1, BZPOP_REPLY);
}

export const bzpopmaxSpec: CommandSpec = {
  name: 'bzpopmax',
  arity: -3,
  flags: ['write', 'noscript', 'blocking', 'fast'],
  firstKey: 1,
  lastKey: -2,
  keyStep: 1,
  keyFlags: ['RW', 'access', 'delete'],
  group: 'sorted-set',
  summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available',
  since: '5.0.0',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  syntax: 'key [key ...] timeout:double',
  handler: bzpopmaxCommand,
};

const ZMPOP_REPLY: PopReply = { emitKey: true, nested: true, nilWhenEmpty: true };

/** A count or numkeys in 1..LONG_MAX; `error` answers both a non-integer and a value out of range. */
function readPositive(c: Client, text: string, error: string): number | null {
  const n = parseInteger(text);
  if (n === null || n < 1) {
    c.reply.error(error);
    return null;
  }
  return n;
}

/**
 * zmpopGenericCommand: numkeys key [key ...] MIN|MAX [COUNT count], from
 * argv[numkeysIndex]. Everything is checked before BZMPOP reads its
 * timeout (argv[1]).
 */
function zmpopGenericCommand(c: Client, argv: string[], numkeysIndex: number, blocking: boolean): void {
  const numkeys = readPositive(c, argv[numkeysIndex]!, errors.numkeysNotPositive);
  if (numkeys === null) return;
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= argv.length) {
    c.reply.error(errors.syntax);
    return;
  }
  const whereName = lowercaseCString(argv[whereIndex]!);
  let where: Where;
  if (whereName === 'min') where = Where.Min;
  else if (whereName === 'max') where = Where.Max;
  else {
    c.reply.error(errors.syntax);
    return;
  }
  let count = -1;
  for (let j = whereIndex + 1; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (count === -1 && lowercaseCString(argv[j]!) === 'count' && moreArgs > 0) {
      const n = readPositive(c, argv[++j]!, errors.countNotPositive);
      if (n === null) return;
      count = n;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  if (count === -1) count = 1;
  const keys = argv.slice(numkeysIndex + 1, whereIndex);
  if (blocking) blockingGenericZpopCommand(c, keys, where, argv[1]!, count, ZMPOP_REPLY);
  else genericZpopCommand(c, keys, where, count, ZMPOP_REPLY, true);
}

/** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
function zmpopCommand(c: Client, argv: string[]): void {
  zmpopGenericCommand(c, argv, 1, false);
}

export const zmpopSpec: CommandSpec = {
  name: 'zmpop',
  arity: -4,
  flags: ['write'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: (argv) => numkeysPositions(argv, 1),
  keyFlags: ['RW', 'access', 'delete'],
  group: 'sorted-set',
  summary: 'Remove and return members with scores in a sorted set',
  since: '7.0.0',
  complexity: MPOP_COMPLEXITY,
  syntax: 'numkeys:integer key [key ...] (MIN | MAX) [COUNT count:integer]',
  handler: zmpopCommand,
};

/** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] */
function bzmpopCommand(c: Client, argv: string[]): void {
  zmpopGenericCommand(c, argv, 2, true);
}

export const bzmpopSpec: CommandSpec = {
  name: 'bzmpop',
  arity: -5,
  flags: ['write', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: (argv) => numkeysPositions(argv, 2),
  keyFlags: ['RW', 'access', 'delete'],
  group: 'sorted-set',
  summary: 'Remove and return members with scores in a sorted set or block until one is available',
  since: '7.0.0',
  complexity: MPOP_COMPLEXITY,
  syntax: 'timeout:double numkeys:integer key [key ...] (MIN | MAX) [COUNT count:integer]',
  handler: bzmpopCommand,
};
