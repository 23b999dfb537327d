/**
 * The blocking list commands (Redis's t_list.c and blocked.c): BLPOP,
 * BRPOP, BLMPOP (blockingPopGeneric), BLMOVE and BRPOPLPUSH (blmoveGeneric).
 *
 * Each first tries to serve at once, from the first key with data in
 * argument order, exactly as its non-blocking form would. Otherwise the
 * client waits (server/blocking.ts) until a write signals one of its keys;
 * the waiter is then served from *that* key. Inside MULTI/EXEC nothing may
 * block, so the command answers as if it had timed out — except that
 * BLMOVE/BRPOPLPUSH answer a null bulk there and a null array on a real
 * timeout, a Redis 7.0 quirk kept on purpose.
 */
import { errors } from '../errors.js';
import { QuickList } from '../store/list.js';
import { EXTENDED, roundRational, string2ld } from '../text/long-double.js';
import {
  lmoveGeneric,
  lmoveHandlePush,
  mpopFirstList,
  mpopKeyPositions,
  parseMpopArguments,
  popRangeAndReplyWithKey,
} from './list-push-pop.js';
import {
  LIST_HEAD,
  LIST_TAIL,
  deleteIfEmpty,
  listElementsRemoved,
  listPop,
  lookupList,
  popCommandName,
  popEvent,
  readListEnd,
  type ListEnd,
} from './list-type.js';
import type { Client, CommandSpec } from './types.js';

const INT64_MAX = 2n ** 63n - 1n;

const MOVE_SUMMARY = 'Pop an element from a list, push it to another list and return it; or block until one is available';

/**
 * getTimeoutFromObjectOrReply (UNIT_SECONDS) as Redis 7.0.15 computes it:
 * the seconds are read as a C long double, multiplied by 1000.0 in long
 * double, rounded up with ceill and converted to long long. Replies the
 * error and returns null on bad input; otherwise returns the absolute
 * deadline in ms on the server clock, or 0 for "wait forever".
 *
 * The C steps show through at the edges, so they are emulated exactly:
 * - ceill makes any positive timeout at least 1 ms (`0.0001` times out);
 * - a small negative one rounds up to 0, which means forever (`-0.0009`);
 * - a product beyond long long (`1e16`, `inf`) converts, on x86, to
 *   LLONG_MIN, hence "timeout is negative";
 * - Redis adds the current time without an overflow check; a deadline past
 *   int64 wraps negative and the client in fact never times out, so it
 *   waits forever here too.
 */
export function readTimeout(c: Client, text: string): number | null {
  const seconds = string2ld(text);
  if (seconds === null) {
    c.reply.error(errors.timeoutNotFloat);
    return null;
  }
  let ms: bigint | null;
  if (seconds.kind !== 'finite') {
    ms = null; // string2ld never returns NaN; ±inf converts to LLONG_MIN.
  } else {
    ms = ceilMilliseconds(seconds.neg, seconds.mant, seconds.exp);
    if (ms !== null && (ms > INT64_MAX || ms < -INT64_MAX - 1n)) ms = null;
  }
  if (ms === null || ms < 0n) {
    c.reply.error(errors.timeoutNegative);
    return null;
  }
  if (ms === 0n) return 0;
  const deadline = BigInt(c.server.keyspace.now) + ms;
  return deadline > INT64_MAX ? 0 : Number(deadline);
}

/** ceill(±mant·2^exp · 1000.0) with the product rounded to long double; null when it overflows. */
function ceilMilliseconds(neg: boolean, mant: bigint, exp: number): bigint | null {
  if (mant === 0n) return 0n;
  const product = roundRational(mant * 1000n, 1n, exp, EXTENDED);
  if (product === 'overflow') return null;
  if (product.exp >= 0) {
    const whole = product.mant << BigInt(product.exp);
    return neg ? -whole : whole;
  }
  const shift = BigInt(-product.exp);
  const floor = product.mant >> shift;
  const exact = floor << shift === product.mant;
  // ceil(x) for x > 0 is floor + 1 unless exact; ceil(-x) is -floor(x).
  return neg ? -floor : exact ? floor : floor + 1n;
}

// ---------------------------------------------------------------------------
// BLPOP / BRPOP / BLMPOP
// ---------------------------------------------------------------------------

/**
 * blockingPopGenericCommand. A key of another type is WRONGTYPE when the
 * command runs; once blocked, a key that turns into another type is simply
 * not served from. Served at once, the command is an LPOP/RPOP and
 * propagates as one: `LPOP key` for BLPOP, `LPOP key n` for BLMPOP (count
 * -1 is BLPOP/BRPOP's single pop).
 */
function blockingPopGeneric(c: Client, keys: string[], where: ListEnd, timeoutText: string, count: number): void {
  const timeoutMs = readTimeout(c, timeoutText);
  if (timeoutMs === null) return;
  if (count !== -1) {
    if (mpopFirstList(c, keys, where, count) !== false) return;
  } else {
    for (const key of keys) {
      const list = lookupList(c, key, true);
      if (list === null) return;
      if (list === undefined) continue;
      replyKeyAndElement(c, key, listPop(list, where));
      listElementsRemoved(c, key, where, list, 1);
      c.server.propagation.rewrite([popCommandName(where), key]);
      return;
    }
  }
  if (c.inExec) {
    c.reply.nullArray();
    return;
  }
  c.block({
    keys,
    timeoutMs,
    tryServe: (key) => serveBlockedPop(c, key, where, count),
    onTimeout: () => c.reply.nullArray(),
  });
}

/** BLPOP's and BRPOP's reply: `[key, element]`. */
function replyKeyAndElement(c: Client, key: string, element: string): void {
  c.reply.arrayHeader(2);
  c.reply.bulk(key);
  c.reply.bulk(element);
}

/** The key's list when it holds one with data, as a waiter may be served from. */
function readyList(c: Client, key: string): QuickList | undefined {
  const value = c.db.lookupWrite(key);
  return value instanceof QuickList && value.length !== 0 ? value : undefined;
}

/**
 * serveClientBlockedOnList for BLPOP/BRPOP (count -1: `[key, element]`)
 * and BLMPOP (`[key, [elements]]`): pops from `key` if it holds a
 * non-empty list. It propagates `LPOP key` (BLMPOP: `LPOP key n`) and
 * announces the pop and the `del` of a list run dry. Redis 7.0 adds the
 * single pop of BLPOP/BRPOP nothing to dirty (only BLMPOP's
 * listElementsRemoved does), and neither here.
 */
function serveBlockedPop(c: Client, key: string, where: ListEnd, count: number): boolean {
  const list = readyList(c, key);
  if (list === undefined) return false;
  const propagation = c.server.propagation;
  if (count !== -1) {
    const popped = popRangeAndReplyWithKey(c, key, list, where, count);
    propagation.alsoPropagate(c.db.id, [popCommandName(where), key, String(popped)]);
    return true;
  }
  propagation.alsoPropagate(c.db.id, [popCommandName(where), key]);
  replyKeyAndElement(c, key, listPop(list, where));
  c.server.events.keyModified(c.db, key, popEvent(where), 0);
  deleteIfEmpty(c, key, list);
  return true;
}

/**
 * BLPOP key [key ...] timeout
 * The keys are everything between the name and the timeout.
 */
function blpopCommand(c: Client, argv: string[]): void {
  blockingPopGeneric(c, argv.slice(1, -1), LIST_HEAD, argv[argv.length - 1]!, -1);
}

export const blpopSpec: CommandSpec = {
  name: 'blpop',
  arity: -3,
  flags: ['write', 'noscript', 'blocking'],
  firstKey: 1,
  lastKey: -2,
  keyStep: 1,
  group: 'list',
  summary: 'Remove and get the first element in a list, or block until one is available',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of provided keys.',
  syntax: 'key [key ...] timeout:double',
  keyFlags: ['RW', 'access', 'delete'],
  handler: blpopCommand,
};

/**
 * BRPOP key [key ...] timeout
 * The keys are everything between the name and the timeout.
 */
function brpopCommand(c: Client, argv: string[]): void {
  blockingPopGeneric(c, argv.slice(1, -1), LIST_TAIL, argv[argv.length - 1]!, -1);
}

export const brpopSpec: CommandSpec = {
  name: 'brpop',
  arity: -3,
  flags: ['write', 'noscript', 'blocking'],
  firstKey: 1,
  lastKey: -2,
  keyStep: 1,
  group: 'list',
  summary: 'Remove and get the last element in a list, or block until one is available',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of provided keys.',
  syntax: 'key [key ...] timeout:double',
  keyFlags: ['RW', 'access', 'delete'],
  handler: brpopCommand,
};

/**
 * BLMPOP timeout numkeys key [key ...] (LEFT | RIGHT) [COUNT count]
 * The timeout is read last.
 */
function blmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArguments(c, argv, 2);
  if (args === null) return;
  const keys = argv.slice(args.firstKey, args.firstKey + args.numkeys);
  blockingPopGeneric(c, keys, args.where, argv[1]!, args.count);
}

export const blmpopSpec: CommandSpec = {
  name: 'blmpop',
  arity: -5,
  flags: ['write', 'blocking'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'list',
  summary: 'Pop elements from a list, or block until one is available',
  since: '7.0.0',
  complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
  syntax: 'timeout:double numkeys:integer key [key ...] (LEFT | RIGHT) [COUNT count:integer]',
  keys: (argv) => mpopKeyPositions(argv, 2),
  keyFlags: ['RW', 'access', 'delete'],
  handler: blmpopCommand,
};

// ---------------------------------------------------------------------------
// BLMOVE / BRPOPLPUSH
// ---------------------------------------------------------------------------

/** shared.left / shared.right: how a served BLMOVE names the ends it propagates (lower case). */
function endName(where: ListEnd): string {
  return where === LIST_HEAD ? 'left' : 'right';
}

interface MoveRequest {
  source: string;
  destination: string;
  wherefrom: ListEnd;
  whereto: ListEnd;
  /** BRPOPLPUSH propagates as RPOPLPUSH, BLMOVE as LMOVE. */
  brpoplpush: boolean;
}

/**
 * serveClientBlockedOnList for BLMOVE/BRPOPLPUSH: moves from `source` if it
 * has data. A destination that has meanwhile become another type ends the
 * wait with WRONGTYPE and leaves the element for the next waiter, as Redis
 * does. Announces the push, then the pop (and `del`), with no change to
 * dirty, and propagates `LMOVE source destination left right` (the ends in
 * lower case, Redis's shared.left/right) or `RPOPLPUSH source destination`.
 */
function serveBlockedMove(c: Client, move: MoveRequest): boolean {
  const sourceList = readyList(c, move.source);
  if (sourceList === undefined) return false;
  const destinationList = lookupList(c, move.destination, true);
  if (destinationList === null) return true;
  lmoveHandlePush(c, move.destination, destinationList, listPop(sourceList, move.wherefrom), move.whereto);
  c.server.propagation.alsoPropagate(
    c.db.id,
    move.brpoplpush
      ? ['RPOPLPUSH', move.source, move.destination]
      : ['LMOVE', move.source, move.destination, endName(move.wherefrom), endName(move.whereto)],
  );
  c.server.events.keyModified(c.db, move.source, popEvent(move.wherefrom), 0);
  deleteIfEmpty(c, move.source, sourceList);
  return true;
}

/**
 * blmoveGenericCommand: a missing source blocks (the destination is checked
 * only when serving). Served at once, it is an LMOVE and propagates as
 * `LMOVE source destination <the client's ends>` or `RPOPLPUSH source
 * destination`.
 */
function blmoveGeneric(c: Client, argv: string[], move: MoveRequest, timeoutMs: number): void {
  const list = lookupList(c, move.source, true);
  if (list === null) return;
  if (list !== undefined) {
    if (lmoveGeneric(c, move.source, move.destination, move.wherefrom, move.whereto)) {
      c.server.propagation.rewrite(
        move.brpoplpush ? ['RPOPLPUSH', argv[1]!, argv[2]!] : ['LMOVE', argv[1]!, argv[2]!, argv[3]!, argv[4]!],
      );
    }
    return;
  }
  if (c.inExec) {
    c.reply.nullBulk();
    return;
  }
  c.block({
    keys: [move.source],
    timeoutMs,
    tryServe: () => serveBlockedMove(c, move),
    onTimeout: () => c.reply.nullArray(),
  });
}

/** BLMOVE source destination (LEFT | RIGHT) (LEFT | RIGHT) timeout */
function blmoveCommand(c: Client, argv: string[]): void {
  const wherefrom = readListEnd(c, argv[3]!);
  if (wherefrom === null) return;
  const whereto = readListEnd(c, argv[4]!);
  if (whereto === null) return;
  const timeoutMs = readTimeout(c, argv[5]!);
  if (timeoutMs === null) return;
  blmoveGeneric(c, argv, { source: argv[1]!, destination: argv[2]!, wherefrom, whereto, brpoplpush: false }, timeoutMs);
}

export const blmoveSpec: CommandSpec = {
  name: 'blmove',
  arity: 6,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'list',
  summary: MOVE_SUMMARY,
  since: '6.2.0',
  complexity: 'O(1)',
  syntax: 'source:key destination:key (LEFT | RIGHT) (LEFT | RIGHT) timeout:double',
  handler: blmoveCommand,
  firstKeyFlags: ['RW', 'access', 'delete'],
  keyFlags: ['RW', 'insert'],
};

/**
 * BRPOPLPUSH source destination timeout
 * BLMOVE source destination RIGHT LEFT.
 */
function brpoplpushCommand(c: Client, argv: string[]): void {
  const timeoutMs = readTimeout(c, argv[3]!);
  if (timeoutMs === null) return;
  const move = { source: argv[1]!, destination: argv[2]!, wherefrom: LIST_TAIL, whereto: LIST_HEAD, brpoplpush: true } as const;
  blmoveGeneric(c, argv, move, timeoutMs);
}

export const brpoplpushSpec: CommandSpec = {
  name: 'brpoplpush',
  arity: 4,
  flags: ['write', 'denyoom', 'noscript', 'blocking'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'list',
  summary: MOVE_SUMMARY,
  since: '2.2.0',
  complexity: 'O(1)',
  syntax: 'source:key destination:key timeout:double',
  handler: brpoplpushCommand,
  firstKeyFlags: ['RW', 'access', 'delete'],
  keyFlags: ['RW', 'insert'],
};

/** The blocking list commands, in the order COMMAND lists them. */
export const listBlockingCommands: readonly CommandSpec[] = [
  blpopSpec,
  brpopSpec,
  blmpopSpec,
  blmoveSpec,
  brpoplpushSpec,
];
