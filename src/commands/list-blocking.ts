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
import type { Client } from './types.js';
import { QuickList } from '../store/list.js';
import { EXTENDED, roundRational, string2ld } from '../text/long-double.js';
import {
  LIST_HEAD,
  LIST_TAIL,
  deleteIfEmpty,
  lmoveGeneric,
  lookupListWrite,
  mpopKeyPositions,
  parseMpopArguments,
  popRangeAndReplyWithKey,
  readListEnd,
  signalModifiedKey,
  type ListEnd,
} from './lists.js';
import type { CommandSpec } from './types.js';

const INT64_MAX = 2n ** 63n - 1n;

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
 * Serves one waiter of BLPOP/BRPOP (count -1: `[key, element]`) or BLMPOP
 * (`[key, [elements]]`) from `key`, if it holds a non-empty list.
 */
function serveBlockedPop(c: Client, key: string, where: ListEnd, count: number): boolean {
  const list = c.db.lookupWrite(key);
  if (list === undefined || !(list instanceof QuickList) || list.length === 0) return false;
  if (count !== -1) {
    popRangeAndReplyWithKey(c, key, list, where, count);
    return true;
  }
  c.reply.arrayHeader(2);
  c.reply.bulk(key);
  c.reply.bulk((where === LIST_HEAD ? list.popHead() : list.popTail())!);
  deleteIfEmpty(c, key, list);
  signalModifiedKey(c, key);
  return true;
}

/**
 * blockingPopGenericCommand. A key of another type is WRONGTYPE when the
 * command runs; once blocked, a key that turns into another type is simply
 * not served from.
 */
function blockingPopGeneric(c: Client, keys: string[], where: ListEnd, timeoutText: string, count: number): void {
  const timeoutMs = readTimeout(c, timeoutText);
  if (timeoutMs === null) return;
  for (const key of keys) {
    const list = lookupListWrite(c, key);
    if (list === null) return;
    if (list !== undefined && serveBlockedPop(c, key, where, count)) return;
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

/** BLPOP key [key ...] timeout / BRPOP: the keys are everything between the name and the timeout. */
function blpopGeneric(c: Client, argv: string[], where: ListEnd): void {
  blockingPopGeneric(c, argv.slice(1, -1), where, argv[argv.length - 1]!, -1);
}

/** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]: the timeout is read last. */
function blmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArguments(c, argv, 2);
  if (args === null) return;
  const keys = argv.slice(args.firstKey, args.firstKey + args.numkeys);
  blockingPopGeneric(c, keys, args.where, argv[1]!, args.count);
}

// ---------------------------------------------------------------------------
// BLMOVE / BRPOPLPUSH
// ---------------------------------------------------------------------------

/**
 * Serves a BLMOVE waiter from `source`. A destination that has meanwhile
 * become another type ends the wait with WRONGTYPE and leaves the element
 * for the next waiter, as Redis does (it pops, fails, and pushes back).
 */
function serveBlockedMove(c: Client, source: string, destination: string, wherefrom: ListEnd, whereto: ListEnd): boolean {
  const entry = c.db.lookupWrite(source);
  if (entry === undefined || !(entry instanceof QuickList) || entry.length === 0) return false;
  // lmoveGeneric replies WRONGTYPE itself, and signals the destination,
  // which serves whoever waits on it next; either way this waiter is done.
  lmoveGeneric(c, source, destination, wherefrom, whereto);
  return true;
}

/** blmoveGenericCommand: a missing source blocks (the destination is checked only when serving). */
function blmoveGeneric(c: Client, argv: string[], wherefrom: ListEnd, whereto: ListEnd, timeoutMs: number): void {
  const source = argv[1]!;
  const destination = argv[2]!;
  const list = lookupListWrite(c, source);
  if (list === null) return;
  if (list !== undefined) {
    lmoveGeneric(c, source, destination, wherefrom, whereto);
    return;
  }
  if (c.inExec) {
    c.reply.nullBulk();
    return;
  }
  c.block({
    keys: [source],
    timeoutMs,
    tryServe: () => serveBlockedMove(c, source, destination, wherefrom, whereto),
    onTimeout: () => c.reply.nullArray(),
  });
}

/** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout */
function blmoveCommand(c: Client, argv: string[]): void {
  const wherefrom = readListEnd(c, argv[3]!);
  if (wherefrom === null) return;
  const whereto = readListEnd(c, argv[4]!);
  if (whereto === null) return;
  const timeoutMs = readTimeout(c, argv[5]!);
  if (timeoutMs === null) return;
  blmoveGeneric(c, argv, wherefrom, whereto, timeoutMs);
}

/** BRPOPLPUSH source destination timeout: BLMOVE source destination RIGHT LEFT. */
function brpoplpushCommand(c: Client, argv: string[]): void {
  const timeoutMs = readTimeout(c, argv[3]!);
  if (timeoutMs === null) return;
  blmoveGeneric(c, argv, LIST_TAIL, LIST_HEAD, timeoutMs);
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

const MOVE_SUMMARY = 'Pop an element from a list, push it to another list and return it; or block until one is available';
const MPOP_COMPLEXITY = 'O(N+M) where N is the number of provided keys and M is the number of elements returned.';

export const listBlockingCommands: readonly CommandSpec[] = [
  {
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
    handler: (c, argv) => blpopGeneric(c, argv, LIST_HEAD),
  },
  {
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
    handler: (c, argv) => blpopGeneric(c, argv, LIST_TAIL),
  },
  {
    name: 'blmpop',
    arity: -5,
    flags: ['write', 'blocking'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    group: 'list',
    summary: 'Pop elements from a list, or block until one is available',
    since: '7.0.0',
    complexity: MPOP_COMPLEXITY,
    syntax: 'timeout:double numkeys:integer key [key ...] (LEFT | RIGHT) [COUNT count:integer]',
    keys: (argv) => mpopKeyPositions(argv, 2),
    keyFlags: ['RW', 'access', 'delete'],
    handler: blmpopCommand,
  },
  {
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
  },
  {
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
  },
];
