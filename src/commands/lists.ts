/**
 * The list commands (Redis's t_list.c), without the blocking family, which
 * lives in list-blocking.ts and reuses the generic functions exported here:
 * LPUSH/RPUSH/LPUSHX/RPUSHX share pushGenericCommand, LPOP/RPOP share
 * popGenericCommand, LMOVE/RPOPLPUSH (and BLMOVE/BRPOPLPUSH) share
 * lmoveGeneric, LMPOP (and BLMPOP) share parseMpopArguments and
 * popRangeAndReplyWithKey.
 *
 * The value is a QuickList (store/list.ts). A list never stays in the
 * keyspace empty: whatever pops or removes its last element deletes the key,
 * as Redis does, so "exists" always means "has data".
 *
 * Each write announces its changes on the change seat exactly as Redis's
 * handler does: the same events (`lpush`, `lpop`, `ltrim`, then `del` when
 * the list ran dry), in the same order, adding to dirty what Redis adds to
 * server.dirty. A write that changes nothing (LPOP of a missing key, LREM
 * without a match) announces nothing, so WATCH and propagation ignore it.
 *
 * Argument checks run in Redis's order, which decides which error a call
 * with several problems gets: LRANGE/LTRIM/LREM/LPOP read their numbers
 * before the key (a bad number wins over WRONGTYPE), LSET/LINDEX look the
 * key up first.
 */
import { errors, wrongArity } from '../errors.js';
import { shared, type ReplyWriter } from '../protocol/reply.js';
import { QuickList } from '../store/list.js';
import { parseInteger } from '../text/numbers.js';
import { readInteger } from './parse.js';
import { lowercaseCString } from './string-values.js';
import type { Client, CommandSpec } from './types.js';

/** Redis's LIST_HEAD (LEFT) and LIST_TAIL (RIGHT). */
export const LIST_HEAD = 0;
export const LIST_TAIL = 1;
export type ListEnd = typeof LIST_HEAD | typeof LIST_TAIL;

/** The one int64 that `-rank` leaves negative in C, which LPOS then treats as "every match". */
const INT64_MIN_TEXT = '-9223372036854775808';

// ---------------------------------------------------------------------------
// Lookups and argument readers
// ---------------------------------------------------------------------------

/** What a command replies for a missing key: Redis passes lookupKey*OrReply a shared object. */
export type MissingKeyReply = (reply: ReplyWriter) => void;

/** The replies the list commands give for a missing key. */
export const missingList = {
  zero: (reply) => reply.raw(shared.zero),
  ok: (reply) => reply.raw(shared.ok),
  emptyArray: (reply) => reply.raw(shared.emptyArray),
  nullBulk: (reply) => reply.nullBulk(),
  nullArray: (reply) => reply.nullArray(),
  noSuchKey: (reply) => reply.error(errors.noSuchKey),
} satisfies Record<string, MissingKeyReply>;

/**
 * lookupKeyRead/lookupKeyWrite + checkType for lists, and with `missing`
 * lookupKey*OrReply: the list at `key`; null after replying WRONGTYPE, or
 * after replying `missing` when the key is missing. Without `missing` a
 * missing key is undefined and nothing is replied (a push creates it).
 * `write` looks the key up as a write does (no keyspace hit/miss counted).
 */
export function lookupList(c: Client, key: string, write: boolean, missing: MissingKeyReply): QuickList | null;
export function lookupList(c: Client, key: string, write: boolean): QuickList | undefined | null;
export function lookupList(c: Client, key: string, write: boolean, missing?: MissingKeyReply): QuickList | undefined | null {
  const value = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (value === undefined) {
    if (missing === undefined) return undefined;
    missing(c.reply);
    return null;
  }
  if (value instanceof QuickList) return value;
  c.reply.error(errors.wrongType);
  return null;
}

/**
 * getRangeLongFromObjectOrReply with a message: an integer of at least
 * `min`. Redis sends the one message both for a non-integer and for a value
 * out of range (`LPOP k abc` → "must be positive").
 */
export function readLongAtLeast(c: Client, text: string, min: number, message: string): number | null {
  const n = parseInteger(text);
  if (n === null || n < min) {
    c.reply.error(message);
    return null;
  }
  return n;
}

/**
 * getListPositionFromObjectOrReply: LEFT or RIGHT, any case. Compared as a
 * C string, so a NUL byte ends the word ("left\0x" is LEFT).
 */
export function readListEnd(c: Client, text: string): ListEnd | null {
  const word = lowercaseCString(text);
  if (word === 'left') return LIST_HEAD;
  if (word === 'right') return LIST_TAIL;
  c.reply.error(errors.syntax);
  return null;
}

// ---------------------------------------------------------------------------
// Push and pop
// ---------------------------------------------------------------------------

export function listPop(list: QuickList, where: ListEnd): string {
  return (where === LIST_HEAD ? list.popHead() : list.popTail())!;
}

/** Up to `count` elements from one end; from the tail they come tail first, as RPOP count replies. */
function listPopRange(list: QuickList, where: ListEnd, count: number): string[] {
  return where === LIST_HEAD ? list.popHead(count) : list.popTail(count);
}

/** The keyspace events of a pop and of a push at each end. */
export function popEvent(where: ListEnd): string {
  return where === LIST_HEAD ? 'lpop' : 'rpop';
}

function pushEvent(where: ListEnd): string {
  return where === LIST_HEAD ? 'lpush' : 'rpush';
}

/** shared.lpop / shared.rpop: the upper-case name a pop propagates as. */
export function popCommandName(where: ListEnd): string {
  return where === LIST_HEAD ? 'LPOP' : 'RPOP';
}

/**
 * A list that ran dry leaves the keyspace and `del` is announced (Redis's
 * dbDelete + the generic `del` event). It adds nothing to dirty: the
 * command counted its removals already.
 */
export function deleteIfEmpty(c: Client, key: string, list: QuickList): void {
  if (list.length !== 0) return;
  c.db.delete(key);
  c.server.events.keyModified(c.db, key, 'del', 0);
}

/**
 * listElementsRemoved: `count` elements were popped from `where`: the pop
 * event, `del` if the list ran dry, and `count` changes.
 */
export function listElementsRemoved(c: Client, key: string, where: ListEnd, list: QuickList, count: number): void {
  c.server.events.keyModified(c.db, key, popEvent(where), count);
  deleteIfEmpty(c, key, list);
}

/**
 * pushGenericCommand: LPUSH, RPUSH, and with `xx` LPUSHX/RPUSHX, which only
 * push onto a list that exists (all of Redis 7's forms take many elements).
 * Each element pushed is one change.
 */
function pushGenericCommand(c: Client, argv: string[], where: ListEnd, xx: boolean): void {
  const key = argv[1]!;
  let list = lookupList(c, key, true);
  if (list === null) return;
  if (list === undefined) {
    if (xx) {
      c.reply.raw(shared.zero);
      return;
    }
    list = new QuickList();
    c.db.add(key, list);
  }
  let length: number;
  if (argv.length === 3) {
    length = where === LIST_HEAD ? list.pushHead(argv[2]!) : list.pushTail(argv[2]!);
  } else {
    const values = argv.slice(2);
    length = where === LIST_HEAD ? list.pushHead(values) : list.pushTail(values);
  }
  c.reply.integer(length);
  c.server.events.keyModified(c.db, key, pushEvent(where), argv.length - 2);
}

/**
 * popGenericCommand: LPOP/RPOP key [count]. Without count: one bulk, or a
 * null bulk for a missing key. With count: an array (empty for count 0),
 * or a null *array* for a missing key (`*-1`, not `$-1`).
 */
function popGenericCommand(c: Client, argv: string[], where: ListEnd): void {
  if (argv.length > 3) {
    // The table's arity is -2; Redis checks the upper bound in the command.
    c.reply.error(wrongArity(where === LIST_HEAD ? 'lpop' : 'rpop'));
    return;
  }
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const n = readLongAtLeast(c, argv[2]!, 0, errors.notPositive);
    if (n === null) return;
    count = n;
  }
  const key = argv[1]!;
  const list = lookupList(c, key, true, hasCount ? missingList.nullArray : missingList.nullBulk);
  if (list === null) return;
  if (!hasCount) {
    c.reply.bulk(listPop(list, where));
    listElementsRemoved(c, key, where, list, 1);
  } else if (count === 0) {
    c.reply.raw(shared.emptyArray);
  } else {
    const popped = listPopRange(list, where, count);
    c.reply.bulkArray(popped);
    listElementsRemoved(c, key, where, list, popped.length);
  }
}

/**
 * listPopRangeAndReplyWithKey: LMPOP's and BLMPOP's reply, the key once and
 * then the popped elements, `[key, [e1, e2, ...]]`. Returns how many were
 * popped (what LMPOP propagates as LPOP/RPOP's count).
 */
export function popRangeAndReplyWithKey(c: Client, key: string, list: QuickList, where: ListEnd, count: number): number {
  const popped = listPopRange(list, where, count);
  c.reply.arrayHeader(2);
  c.reply.bulk(key);
  c.reply.bulkArray(popped);
  listElementsRemoved(c, key, where, list, popped.length);
  return popped.length;
}

// ---------------------------------------------------------------------------
// LMOVE / RPOPLPUSH
// ---------------------------------------------------------------------------

/**
 * lmoveHandlePush: pushes the moved element onto `destination` (created if
 * missing), announces the push and replies the element. The push adds
 * nothing to dirty: Redis counts a move as one change, on the pop side.
 */
export function lmoveHandlePush(
  c: Client,
  destination: string,
  destinationList: QuickList | undefined,
  value: string,
  whereto: ListEnd,
): void {
  if (destinationList === undefined) {
    destinationList = new QuickList();
    c.db.add(destination, destinationList);
  }
  if (whereto === LIST_HEAD) destinationList.pushHead(value);
  else destinationList.pushTail(value);
  c.server.events.keyModified(c.db, destination, pushEvent(whereto), 0);
  c.reply.bulk(value);
}

/**
 * lmoveGenericCommand: pops from one end of `source`, pushes onto one end of
 * `destination`, replies the element. Both types are checked before
 * anything moves, so a WRONGTYPE destination leaves the source untouched.
 * With source == destination this rotates the list: the element is pushed
 * back before the emptiness check, so a one-element list survives.
 * Announces the push, then the pop (and `del`), one change in all.
 * Returns true when an element moved.
 */
export function lmoveGeneric(c: Client, source: string, destination: string, wherefrom: ListEnd, whereto: ListEnd): boolean {
  const sourceList = lookupList(c, source, true, missingList.nullBulk);
  if (sourceList === null) return false;
  const destinationList = lookupList(c, destination, true);
  if (destinationList === null) return false;
  lmoveHandlePush(c, destination, destinationList, listPop(sourceList, wherefrom), whereto);
  listElementsRemoved(c, source, wherefrom, sourceList, 1);
  return true;
}

/** LMOVE source destination LEFT|RIGHT LEFT|RIGHT */
function lmoveCommand(c: Client, argv: string[]): void {
  const wherefrom = readListEnd(c, argv[3]!);
  if (wherefrom === null) return;
  const whereto = readListEnd(c, argv[4]!);
  if (whereto === null) return;
  lmoveGeneric(c, argv[1]!, argv[2]!, wherefrom, whereto);
}

/** RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT. */
function rpoplpushCommand(c: Client, argv: string[]): void {
  lmoveGeneric(c, argv[1]!, argv[2]!, LIST_TAIL, LIST_HEAD);
}

// ---------------------------------------------------------------------------
// LMPOP
// ---------------------------------------------------------------------------

export interface MpopArguments {
  /** argv index of the first key. */
  firstKey: number;
  numkeys: number;
  where: ListEnd;
  count: number;
}

/**
 * lmpopGenericCommand's parsing, for LMPOP (numkeys at argv[1]) and BLMPOP
 * (at argv[2]): numkeys ≥ 1, then LEFT|RIGHT right after the keys (a
 * numkeys reaching past the arguments is a syntax error), then at most one
 * COUNT ≥ 1. BLMPOP reads its timeout only after all of this.
 */
export function parseMpopArguments(c: Client, argv: string[], numkeysIndex: number): MpopArguments | null {
  const numkeys = readLongAtLeast(c, argv[numkeysIndex]!, 1, errors.numkeysNotPositive);
  if (numkeys === null) return null;
  const whereIndex = numkeysIndex + numkeys + 1;
  if (whereIndex >= argv.length) {
    c.reply.error(errors.syntax);
    return null;
  }
  const where = readListEnd(c, argv[whereIndex]!);
  if (where === null) return null;
  let count = -1;
  for (let j = whereIndex + 1; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    if (count === -1 && moreArgs > 0 && lowercaseCString(argv[j]!) === 'count') {
      const n = readLongAtLeast(c, argv[++j]!, 1, errors.countNotPositive);
      if (n === null) return null;
      count = n;
    } else {
      c.reply.error(errors.syntax);
      return null;
    }
  }
  return { firstKey: numkeysIndex + 1, numkeys, where, count: count === -1 ? 1 : count };
}

/**
 * The key positions of an LMPOP-style call (numkeys at `numkeysIndex`), for
 * the table's `keys`. Like Redis's keynum key spec: none at all when
 * numkeys is not a positive integer or reaches past the last argument
 * (COMMAND GETKEYS then says "Invalid arguments").
 */
export function mpopKeyPositions(argv: readonly string[], numkeysIndex: number): number[] {
  const text = argv[numkeysIndex];
  const numkeys = text === undefined ? null : parseInteger(text);
  if (numkeys === null || numkeys < 1) return [];
  const last = numkeysIndex + numkeys;
  if (last >= argv.length) return [];
  const positions: number[] = [];
  for (let i = numkeysIndex + 1; i <= last; i++) positions.push(i);
  return positions;
}

/**
 * mpopGenericCommand: pops from the first list of `keys` that exists, and
 * propagates as `LPOP|RPOP key n` (n: what was popped), as Redis rewrites
 * LMPOP and a BLMPOP served at once. Returns false when no key had data
 * (nothing replied).
 */
export function mpopFirstList(c: Client, keys: readonly string[], where: ListEnd, count: number): boolean | null {
  for (const key of keys) {
    const list = lookupList(c, key, true);
    if (list === null) return null;
    if (list === undefined) continue;
    const popped = popRangeAndReplyWithKey(c, key, list, where, count);
    c.server.propagation.rewrite([popCommandName(where), key, String(popped)]);
    return true;
  }
  return false;
}

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list. */
function lmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArguments(c, argv, 1);
  if (args === null) return;
  const keys = argv.slice(args.firstKey, args.firstKey + args.numkeys);
  if (mpopFirstList(c, keys, args.where, args.count) === false) c.reply.nullArray();
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

/** LLEN key */
function llenCommand(c: Client, argv: string[]): void {
  const list = lookupList(c, argv[1]!, false, missingList.zero);
  if (list !== null) c.reply.integer(list.length);
}

/** LRANGE key start stop: both indexes inclusive, negative from the tail, clamped. */
function lrangeCommand(c: Client, argv: string[]): void {
  const start = readInteger(c, argv[2]!);
  if (start === null) return;
  const stop = readInteger(c, argv[3]!);
  if (stop === null) return;
  const list = lookupList(c, argv[1]!, false, missingList.emptyArray);
  if (list !== null) c.reply.bulkArray(list.range(start, stop));
}

/** LINDEX key index: a null bulk when the key or the index is missing. */
function lindexCommand(c: Client, argv: string[]): void {
  const list = lookupList(c, argv[1]!, false, missingList.nullBulk);
  if (list === null) return;
  const index = readInteger(c, argv[2]!);
  if (index === null) return;
  c.reply.bulkOrNull(list.at(index));
}

/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. Options may
 * repeat (the last wins). Without COUNT: the index or a null; with COUNT:
 * an array, empty for no match or no key.
 */
function lposCommand(c: Client, argv: string[]): void {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  let rankIsInt64Min = false;
  for (let j = 3; j < argv.length; j++) {
    const option = lowercaseCString(argv[j]!);
    const moreArgs = argv.length - 1 - j;
    if (option === 'rank' && moreArgs > 0) {
      const text = argv[++j]!;
      const n = readInteger(c, text);
      if (n === null) return;
      if (n === 0) {
        c.reply.error(errors.rankZero);
        return;
      }
      rank = n;
      rankIsInt64Min = text === INT64_MIN_TEXT;
    } else if (option === 'count' && moreArgs > 0) {
      const n = readLongAtLeast(c, argv[++j]!, 0, errors.countNegative);
      if (n === null) return;
      count = n;
    } else if (option === 'maxlen' && moreArgs > 0) {
      const n = readLongAtLeast(c, argv[++j]!, 0, errors.maxlenNegative);
      if (n === null) return;
      maxlen = n;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  if (rankIsInt64Min) {
    // Redis negates the rank in C, and -INT64_MIN overflows back to itself:
    // a rank every match satisfies (the first match from the tail on), and
    // `matches - rank + 1 >= count` overflows too, so COUNT never stops it.
    rank = -1;
    if (count > 0) count = 0;
  }
  const list = lookupList(c, argv[1]!, false, count === -1 ? missingList.nullBulk : missingList.emptyArray);
  if (list === null) return;
  if (count === -1) {
    const index = list.indexOf(argv[2]!, rank, 1, maxlen)[0];
    if (index === undefined) c.reply.nullBulk();
    else c.reply.integer(index);
    return;
  }
  const indexes = list.indexOf(argv[2]!, rank, count, maxlen);
  c.reply.arrayHeader(indexes.length);
  for (const index of indexes) c.reply.integer(index);
}

// ---------------------------------------------------------------------------
// In-place edits
// ---------------------------------------------------------------------------

/** LSET key index element */
function lsetCommand(c: Client, argv: string[]): void {
  const list = lookupList(c, argv[1]!, true, missingList.noSuchKey);
  if (list === null) return;
  const index = readInteger(c, argv[2]!);
  if (index === null) return;
  if (!list.set(index, argv[3]!)) {
    c.reply.error(errors.indexOutOfRange);
    return;
  }
  c.reply.raw(shared.ok);
  c.server.events.keyModified(c.db, argv[1]!, 'lset');
}

/** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
function linsertCommand(c: Client, argv: string[]): void {
  const position = lowercaseCString(argv[2]!);
  if (position !== 'before' && position !== 'after') {
    c.reply.error(errors.syntax);
    return;
  }
  const list = lookupList(c, argv[1]!, true, missingList.zero);
  if (list === null) return;
  const length = position === 'before' ? list.insertBefore(argv[3]!, argv[4]!) : list.insertAfter(argv[3]!, argv[4]!);
  if (length !== -1) c.server.events.keyModified(c.db, argv[1]!, 'linsert');
  c.reply.integer(length);
}

/** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. Each removal is a change. */
function lremCommand(c: Client, argv: string[]): void {
  const count = readInteger(c, argv[2]!);
  if (count === null) return;
  const key = argv[1]!;
  const list = lookupList(c, key, true, missingList.zero);
  if (list === null) return;
  const removed = list.removeMatching(count, argv[3]!);
  if (removed !== 0) {
    c.server.events.keyModified(c.db, key, 'lrem', removed);
    deleteIfEmpty(c, key, list);
  }
  c.reply.integer(removed);
}

/**
 * LTRIM key start stop: OK even for a missing key; trimming everything
 * deletes it. Redis announces `ltrim` even when nothing was trimmed (but
 * then adds nothing to dirty, so it is not propagated).
 */
function ltrimCommand(c: Client, argv: string[]): void {
  const start = readInteger(c, argv[2]!);
  if (start === null) return;
  const stop = readInteger(c, argv[3]!);
  if (stop === null) return;
  const key = argv[1]!;
  const list = lookupList(c, key, true, missingList.ok);
  if (list === null) return;
  const trimmed = list.trim(start, stop);
  c.server.events.keyModified(c.db, key, 'ltrim', trimmed);
  deleteIfEmpty(c, key, list);
  c.reply.raw(shared.ok);
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

const oneKey = { firstKey: 1, lastKey: 1, keyStep: 1, group: 'list' } as const;
const twoKeys = { firstKey: 1, lastKey: 2, keyStep: 1, group: 'list' } as const;
const PUSH_COMPLEXITY =
  'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

export const listCommands: readonly CommandSpec[] = [
  {
    name: 'lpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    ...oneKey,
    summary: 'Prepend one or multiple elements to a list',
    since: '1.0.0',
    complexity: PUSH_COMPLEXITY,
    syntax: 'key element [element ...]',
    keyFlags: ['RW', 'insert'],
    handler: (c, argv) => pushGenericCommand(c, argv, LIST_HEAD, false),
  },
  {
    name: 'rpush',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    ...oneKey,
    summary: 'Append one or multiple elements to a list',
    since: '1.0.0',
    complexity: PUSH_COMPLEXITY,
    syntax: 'key element [element ...]',
    keyFlags: ['RW', 'insert'],
    handler: (c, argv) => pushGenericCommand(c, argv, LIST_TAIL, false),
  },
  {
    name: 'lpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    ...oneKey,
    summary: 'Prepend an element to a list, only if the list exists',
    since: '2.2.0',
    complexity: PUSH_COMPLEXITY,
    syntax: 'key element [element ...]',
    keyFlags: ['RW', 'insert'],
    handler: (c, argv) => pushGenericCommand(c, argv, LIST_HEAD, true),
  },
  {
    name: 'rpushx',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    ...oneKey,
    summary: 'Append an element to a list, only if the list exists',
    since: '2.2.0',
    complexity: PUSH_COMPLEXITY,
    syntax: 'key element [element ...]',
    keyFlags: ['RW', 'insert'],
    handler: (c, argv) => pushGenericCommand(c, argv, LIST_TAIL, true),
  },
  {
    name: 'lpop',
    arity: -2,
    flags: ['write', 'fast'],
    ...oneKey,
    summary: 'Remove and get the first elements in a list',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements returned',
    syntax: 'key [count:integer]',
    keyFlags: ['RW', 'access', 'delete'],
    handler: (c, argv) => popGenericCommand(c, argv, LIST_HEAD),
  },
  {
    name: 'rpop',
    arity: -2,
    flags: ['write', 'fast'],
    ...oneKey,
    summary: 'Remove and get the last elements in a list',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements returned',
    syntax: 'key [count:integer]',
    keyFlags: ['RW', 'access', 'delete'],
    handler: (c, argv) => popGenericCommand(c, argv, LIST_TAIL),
  },
  {
    name: 'llen',
    arity: 2,
    flags: ['readonly', 'fast'],
    ...oneKey,
    summary: 'Get the length of a list',
    since: '1.0.0',
    complexity: 'O(1)',
    syntax: 'key',
    keyFlags: ['RO'],
    handler: llenCommand,
  },
  {
    name: 'lrange',
    arity: 4,
    flags: ['readonly'],
    ...oneKey,
    summary: 'Get a range of elements from a list',
    since: '1.0.0',
    complexity:
      'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
    syntax: 'key start:integer stop:integer',
    handler: lrangeCommand,
  },
  {
    name: 'lindex',
    arity: 3,
    flags: ['readonly'],
    ...oneKey,
    summary: 'Get an element from a list by its index',
    since: '1.0.0',
    complexity:
      'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
    syntax: 'key index:integer',
    handler: lindexCommand,
  },
  {
    name: 'lset',
    arity: 4,
    flags: ['write', 'denyoom'],
    ...oneKey,
    summary: 'Set the value of an element in a list by its index',
    since: '1.0.0',
    complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
    syntax: 'key index:integer element',
    keyFlags: ['RW', 'update'],
    handler: lsetCommand,
  },
  {
    name: 'linsert',
    arity: 5,
    flags: ['write', 'denyoom'],
    ...oneKey,
    summary: 'Insert an element before or after another element in a list',
    since: '2.2.0',
    complexity:
      'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
    syntax: 'key (BEFORE | AFTER) pivot element',
    keyFlags: ['RW', 'insert'],
    handler: linsertCommand,
  },
  {
    name: 'lrem',
    arity: 4,
    flags: ['write'],
    ...oneKey,
    summary: 'Remove elements from a list',
    since: '1.0.0',
    complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
    syntax: 'key count:integer element',
    keyFlags: ['RW', 'delete'],
    handler: lremCommand,
  },
  {
    name: 'ltrim',
    arity: 4,
    flags: ['write'],
    ...oneKey,
    summary: 'Trim a list to the specified range',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of elements to be removed by the operation.',
    syntax: 'key start:integer stop:integer',
    keyFlags: ['RW', 'delete'],
    handler: ltrimCommand,
  },
  {
    name: 'lpos',
    arity: -3,
    flags: ['readonly'],
    ...oneKey,
    summary: 'Return the index of matching elements on a list',
    since: '6.0.6',
    complexity:
      'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
    syntax: 'key element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]',
    handler: lposCommand,
  },
  {
    name: 'lmove',
    arity: 5,
    flags: ['write', 'denyoom'],
    ...twoKeys,
    summary: 'Pop an element from a list, push it to another list and return it',
    since: '6.2.0',
    complexity: 'O(1)',
    syntax: 'source:key destination:key (LEFT | RIGHT) (LEFT | RIGHT)',
    handler: lmoveCommand,
  },
  {
    name: 'rpoplpush',
    arity: 3,
    flags: ['write', 'denyoom'],
    ...twoKeys,
    summary: 'Remove the last element in a list, prepend it to another list and return it',
    since: '1.2.0',
    complexity: 'O(1)',
    syntax: 'source:key destination:key',
    handler: rpoplpushCommand,
  },
  {
    name: 'lmpop',
    arity: -4,
    flags: ['write'],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    group: 'list',
    summary: 'Pop elements from a list',
    since: '7.0.0',
    complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.',
    syntax: 'numkeys:integer key [key ...] (LEFT | RIGHT) [COUNT count:integer]',
    keys: (argv) => mpopKeyPositions(argv, 1),
    keyFlags: ['RW', 'access', 'delete'],
    handler: lmpopCommand,
  },
];
