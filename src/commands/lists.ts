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
 * Like Redis's handlers, each write calls signalModifiedKey for exactly
 * the keys it changed (the specs say `signalsModifiedKeys`), so that a
 * write that changes nothing (LPOP of a missing key, LREM without a match,
 * a BLPOP that blocks) leaves WATCH alone, and a push wakes blocked clients.
 *
 * Argument checks run in Redis's order, which decides which error a call
 * with several problems gets: LRANGE/LTRIM/LREM/LPOP read their numbers
 * before the key (a bad number wins over WRONGTYPE), LSET/LINDEX look the
 * key up first.
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client } from './types.js';
import { QuickList } from '../store/list.js';
import { parseInteger } from '../text/numbers.js';
import { readInteger } from './parse.js';
import { optionName } from './string-values.js';
import type { CommandSpec } from './types.js';

/** Error texts only the list commands send (shared.outofrangeerr and lposCommand's). */
export const listErrors = {
  indexOutOfRange: 'ERR index out of range',
  mustBePositive: 'ERR value is out of range, must be positive',
  rankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  countNegative: "ERR COUNT can't be negative",
  maxlenNegative: "ERR MAXLEN can't be negative",
  numkeysNotPositive: 'ERR numkeys should be greater than 0',
  countNotPositive: 'ERR count should be greater than 0',
} as const;

/** Redis's LIST_HEAD (LEFT) and LIST_TAIL (RIGHT). */
export const LIST_HEAD = 0;
export const LIST_TAIL = 1;
export type ListEnd = typeof LIST_HEAD | typeof LIST_TAIL;

/** The one int64 that `-rank` leaves negative in C, which LPOS then treats as "every match". */
const INT64_MIN_TEXT = '-9223372036854775808';

// ---------------------------------------------------------------------------
// Lookups and argument readers
// ---------------------------------------------------------------------------

/**
 * lookupKeyWrite + checkType: the list at `key`, undefined when the key is
 * missing, null (after replying WRONGTYPE) when it holds another type.
 */
export function lookupListWrite(c: Client, key: string): QuickList | undefined | null {
  const entry = c.db.lookupWrite(key);
  if (entry === undefined) return undefined;
  if (entry instanceof QuickList) return entry;
  c.reply.error(errors.wrongType);
  return null;
}

/** lookupKeyRead + checkType (counts a keyspace hit or miss). */
function lookupListRead(c: Client, key: string): QuickList | undefined | null {
  const entry = c.db.lookupRead(key);
  if (entry === undefined) return undefined;
  if (entry instanceof QuickList) return entry;
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
  const word = optionName(text);
  if (word === 'left') return LIST_HEAD;
  if (word === 'right') return LIST_TAIL;
  c.reply.error(errors.syntax);
  return null;
}

// ---------------------------------------------------------------------------
// Push and pop
// ---------------------------------------------------------------------------

function listPop(list: QuickList, where: ListEnd): string {
  return (where === LIST_HEAD ? list.popHead() : list.popTail())!;
}

/** Up to `count` elements from one end; from the tail they come tail first, as RPOP count replies. */
function listPopRange(list: QuickList, where: ListEnd, count: number): string[] {
  return where === LIST_HEAD ? list.popHead(count) : list.popTail(count);
}

function listPush(list: QuickList, value: string, where: ListEnd): void {
  if (where === LIST_HEAD) list.pushHead(value);
  else list.pushTail(value);
}

/** listElementsRemoved: a list that ran dry leaves the keyspace. */
export function deleteIfEmpty(c: Client, key: string, list: QuickList): void {
  if (list.length === 0) c.db.delete(key);
}

/**
 * signalModifiedKey for a key of the client's database: WATCHers and
 * blocked clients hear of the change. Free when nobody watches or waits.
 */
export function signalModifiedKey(c: Client, key: string): void {
  c.server.events.keyModified(c.db, key, 'unconverted');
}

/**
 * pushGenericCommand: LPUSH, RPUSH, and with `xx` LPUSHX/RPUSHX, which only
 * push onto a list that exists (all of Redis 7's forms take many elements).
 */
function pushGenericCommand(c: Client, argv: string[], where: ListEnd, xx: boolean): void {
  const key = argv[1]!;
  let list = lookupListWrite(c, key);
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
  signalModifiedKey(c, key);
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
    const n = readLongAtLeast(c, argv[2]!, 0, listErrors.mustBePositive);
    if (n === null) return;
    count = n;
  }
  const key = argv[1]!;
  const list = lookupListWrite(c, key);
  if (list === null) return;
  if (list === undefined) {
    if (hasCount) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (!hasCount) {
    c.reply.bulk(listPop(list, where));
  } else if (count === 0) {
    c.reply.raw(shared.emptyArray);
    return;
  } else {
    c.reply.bulkArray(listPopRange(list, where, count));
  }
  deleteIfEmpty(c, key, list);
  signalModifiedKey(c, key);
}

/**
 * listPopRangeAndReplyWithKey: LMPOP's and BLMPOP's reply, the key once and
 * then the popped elements, `[key, [e1, e2, ...]]`.
 */
export function popRangeAndReplyWithKey(c: Client, key: string, list: QuickList, where: ListEnd, count: number): void {
  c.reply.arrayHeader(2);
  c.reply.bulk(key);
  c.reply.bulkArray(listPopRange(list, where, count));
  deleteIfEmpty(c, key, list);
  signalModifiedKey(c, key);
}

// ---------------------------------------------------------------------------
// LMOVE / RPOPLPUSH
// ---------------------------------------------------------------------------

/**
 * lmoveGenericCommand: pops from one end of `source`, pushes onto one end of
 * `destination`, replies the element. Both types are checked before
 * anything moves, so a WRONGTYPE destination leaves the source untouched.
 * With source == destination this rotates the list: the element is pushed
 * back before the emptiness check, so a one-element list survives.
 * Returns true when an element moved.
 */
export function lmoveGeneric(c: Client, source: string, destination: string, wherefrom: ListEnd, whereto: ListEnd): boolean {
  const sourceList = lookupListWrite(c, source);
  if (sourceList === null) return false;
  if (sourceList === undefined) {
    c.reply.nullBulk();
    return false;
  }
  let destinationList = lookupListWrite(c, destination);
  if (destinationList === null) return false;
  const value = listPop(sourceList, wherefrom);
  if (destinationList === undefined) {
    destinationList = new QuickList();
    c.db.add(destination, destinationList);
  }
  listPush(destinationList, value, whereto);
  c.reply.bulk(value);
  deleteIfEmpty(c, source, sourceList);
  // The destination too: that push is what wakes a client waiting on it,
  // also when a served BLMOVE makes it (no dispatcher sees that write).
  signalModifiedKey(c, destination);
  signalModifiedKey(c, source);
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
  const numkeys = readLongAtLeast(c, argv[numkeysIndex]!, 1, listErrors.numkeysNotPositive);
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
    if (count === -1 && moreArgs > 0 && optionName(argv[j]!) === 'count') {
      const n = readLongAtLeast(c, argv[++j]!, 1, listErrors.countNotPositive);
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

/** LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list. */
function lmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArguments(c, argv, 1);
  if (args === null) return;
  for (let j = args.firstKey; j < args.firstKey + args.numkeys; j++) {
    const key = argv[j]!;
    const list = lookupListWrite(c, key);
    if (list === null) return;
    if (list === undefined) continue;
    popRangeAndReplyWithKey(c, key, list, args.where, args.count);
    return;
  }
  c.reply.nullArray();
}

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

/** LLEN key */
function llenCommand(c: Client, argv: string[]): void {
  const list = lookupListRead(c, argv[1]!);
  if (list === null) return;
  if (list === undefined) c.reply.raw(shared.zero);
  else c.reply.integer(list.length);
}

/** LRANGE key start stop: both indexes inclusive, negative from the tail, clamped. */
function lrangeCommand(c: Client, argv: string[]): void {
  const start = readInteger(c, argv[2]!);
  if (start === null) return;
  const stop = readInteger(c, argv[3]!);
  if (stop === null) return;
  const list = lookupListRead(c, argv[1]!);
  if (list === null) return;
  if (list === undefined) c.reply.raw(shared.emptyArray);
  else c.reply.bulkArray(list.range(start, stop));
}

/** LINDEX key index: a null bulk when the key or the index is missing. */
function lindexCommand(c: Client, argv: string[]): void {
  const list = lookupListRead(c, argv[1]!);
  if (list === null) return;
  if (list === undefined) {
    c.reply.nullBulk();
    return;
  }
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
    const option = optionName(argv[j]!);
    const moreArgs = argv.length - 1 - j;
    if (option === 'rank' && moreArgs > 0) {
      const text = argv[++j]!;
      const n = readInteger(c, text);
      if (n === null) return;
      if (n === 0) {
        c.reply.error(listErrors.rankZero);
        return;
      }
      rank = n;
      rankIsInt64Min = text === INT64_MIN_TEXT;
    } else if (option === 'count' && moreArgs > 0) {
      const n = readLongAtLeast(c, argv[++j]!, 0, listErrors.countNegative);
      if (n === null) return;
      count = n;
    } else if (option === 'maxlen' && moreArgs > 0) {
      const n = readLongAtLeast(c, argv[++j]!, 0, listErrors.maxlenNegative);
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
  const list = lookupListRead(c, argv[1]!);
  if (list === null) return;
  if (count === -1) {
    const index = list === undefined ? undefined : list.indexOf(argv[2]!, rank, 1, maxlen)[0];
    if (index === undefined) c.reply.nullBulk();
    else c.reply.integer(index);
    return;
  }
  if (list === undefined) {
    c.reply.raw(shared.emptyArray);
    return;
  }
  const indexes = list.indexOf(argv[2]!, rank, count, maxlen);
  let out = '*' + indexes.length + '\r\n';
  for (const index of indexes) out += ':' + index + '\r\n';
  c.reply.raw(out);
}

// ---------------------------------------------------------------------------
// In-place edits
// ---------------------------------------------------------------------------

/** LSET key index element */
function lsetCommand(c: Client, argv: string[]): void {
  const list = lookupListWrite(c, argv[1]!);
  if (list === null) return;
  if (list === undefined) {
    c.reply.error(errors.noSuchKey);
    return;
  }
  const index = readInteger(c, argv[2]!);
  if (index === null) return;
  if (!list.set(index, argv[3]!)) {
    c.reply.error(listErrors.indexOutOfRange);
    return;
  }
  c.reply.raw(shared.ok);
  signalModifiedKey(c, argv[1]!);
}

/** LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the key. */
function linsertCommand(c: Client, argv: string[]): void {
  const position = optionName(argv[2]!);
  if (position !== 'before' && position !== 'after') {
    c.reply.error(errors.syntax);
    return;
  }
  const list = lookupListWrite(c, argv[1]!);
  if (list === null) return;
  if (list === undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  const length = position === 'before' ? list.insertBefore(argv[3]!, argv[4]!) : list.insertAfter(argv[3]!, argv[4]!);
  c.reply.integer(length);
  if (length !== -1) signalModifiedKey(c, argv[1]!);
}

/** LREM key count element: count > 0 from the head, < 0 from the tail, 0 all. */
function lremCommand(c: Client, argv: string[]): void {
  const count = readInteger(c, argv[2]!);
  if (count === null) return;
  const key = argv[1]!;
  const list = lookupListWrite(c, key);
  if (list === null) return;
  if (list === undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  const removed = list.removeMatching(count, argv[3]!);
  if (removed !== 0) {
    deleteIfEmpty(c, key, list);
    signalModifiedKey(c, key);
  }
  c.reply.integer(removed);
}

/** LTRIM key start stop: OK even for a missing key; trimming everything deletes it. */
function ltrimCommand(c: Client, argv: string[]): void {
  const start = readInteger(c, argv[2]!);
  if (start === null) return;
  const stop = readInteger(c, argv[3]!);
  if (stop === null) return;
  const key = argv[1]!;
  const list = lookupListWrite(c, key);
  if (list === null) return;
  if (list !== undefined) {
    list.trim(start, stop);
    deleteIfEmpty(c, key, list);
    // Redis signals even when nothing was trimmed.
    signalModifiedKey(c, key);
  }
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
