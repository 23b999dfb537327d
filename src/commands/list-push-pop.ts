/**
 * The list commands that push and pop at a list's ends (Redis's t_list.c):
 * LPUSH/RPUSH/LPUSHX/RPUSHX share pushGenericCommand, LPOP/RPOP share
 * popGenericCommand, LMOVE/RPOPLPUSH share lmoveGeneric, LMPOP uses
 * parseMpopArguments and popRangeAndReplyWithKey. The blocking forms
 * (list-blocking.ts) reuse the exported generic functions.
 *
 * Each write announces its changes on the change seat exactly as Redis's
 * handler does: the same events (`lpush`, `lpop`, then `del` when the list
 * ran dry), in the same order, adding to dirty what Redis adds to
 * server.dirty. A write that changes nothing (LPOP of a missing key)
 * announces nothing, so WATCH and propagation ignore it.
 *
 * LPOP/RPOP read their count before the key, as Redis does, so a bad count
 * wins over WRONGTYPE.
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { QuickList } from '../store/list.js';
import { parseInteger } from '../text/numbers.js';
import {
  LIST_HEAD,
  LIST_TAIL,
  listElementsRemoved,
  listPop,
  listPopRange,
  lookupList,
  missingList,
  popCommandName,
  pushEvent,
  readListEnd,
  readLongAtLeast,
  type ListEnd,
} from './list-type.js';

import type { Client, CommandSpec } from './types.js';
import { lowercaseCString } from './parse.js';

const PUSH_COMPLEXITY =
  'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.';

// ---------------------------------------------------------------------------
// Push
// ---------------------------------------------------------------------------

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

/** LPUSH key element [element ...] */
function lpushCommand(c: Client, argv: string[]): void {
  pushGenericCommand(c, argv, LIST_HEAD, false);
}

export const lpushSpec: CommandSpec = {
  name: 'lpush',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Prepend one or multiple elements to a list',
  since: '1.0.0',
  complexity: PUSH_COMPLEXITY,
  syntax: 'key element [element ...]',
  keyFlags: ['RW', 'insert'],
  handler: lpushCommand,
};

/** RPUSH key element [element ...] */
function rpushCommand(c: Client, argv: string[]): void {
  pushGenericCommand(c, argv, LIST_TAIL, false);
}

export const rpushSpec: CommandSpec = {
  name: 'rpush',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Append one or multiple elements to a list',
  since: '1.0.0',
  complexity: PUSH_COMPLEXITY,
  syntax: 'key element [element ...]',
  keyFlags: ['RW', 'insert'],
  handler: rpushCommand,
};

/** LPUSHX key element [element ...] */
function lpushxCommand(c: Client, argv: string[]): void {
  pushGenericCommand(c, argv, LIST_HEAD, true);
}

export const lpushxSpec: CommandSpec = {
  name: 'lpushx',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Prepend an element to a list, only if the list exists',
  since: '2.2.0',
  complexity: PUSH_COMPLEXITY,
  syntax: 'key element [element ...]',
  keyFlags: ['RW', 'insert'],
  handler: lpushxCommand,
};

/** RPUSHX key element [element ...] */
function rpushxCommand(c: Client, argv: string[]): void {
  pushGenericCommand(c, argv, LIST_TAIL, true);
}

export const rpushxSpec: CommandSpec = {
  name: 'rpushx',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Append an element to a list, only if the list exists',
  since: '2.2.0',
  complexity: PUSH_COMPLEXITY,
  syntax: 'key element [element ...]',
  keyFlags: ['RW', 'insert'],
  handler: rpushxCommand,
};

// ---------------------------------------------------------------------------
// Pop
// ---------------------------------------------------------------------------

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

/** LPOP key [count] */
function lpopCommand(c: Client, argv: string[]): void {
  popGenericCommand(c, argv, LIST_HEAD);
}

export const lpopSpec: CommandSpec = {
  name: 'lpop',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Remove and get the first elements in a list',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of elements returned',
  syntax: 'key [count:integer]',
  keyFlags: ['RW', 'access', 'delete'],
  handler: lpopCommand,
};

/** RPOP key [count] */
function rpopCommand(c: Client, argv: string[]): void {
  popGenericCommand(c, argv, LIST_TAIL);
}

export const rpopSpec: CommandSpec = {
  name: 'rpop',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Remove and get the last elements in a list',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of elements returned',
  syntax: 'key [count:integer]',
  keyFlags: ['RW', 'access', 'delete'],
  handler: rpopCommand,
};

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

/** LMOVE source destination (LEFT | RIGHT) (LEFT | RIGHT) */
function lmoveCommand(c: Client, argv: string[]): void {
  const wherefrom = readListEnd(c, argv[3]!);
  if (wherefrom === null) return;
  const whereto = readListEnd(c, argv[4]!);
  if (whereto === null) return;
  lmoveGeneric(c, argv[1]!, argv[2]!, wherefrom, whereto);
}

export const lmoveSpec: CommandSpec = {
  name: 'lmove',
  arity: 5,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'list',
  summary: 'Pop an element from a list, push it to another list and return it',
  since: '6.2.0',
  complexity: 'O(1)',
  syntax: 'source:key destination:key (LEFT | RIGHT) (LEFT | RIGHT)',
  handler: lmoveCommand,
  firstKeyFlags: ['RW', 'access', 'delete'],
  keyFlags: ['RW', 'insert'],
};

/**
 * RPOPLPUSH source destination
 * LMOVE source destination RIGHT LEFT.
 */
function rpoplpushCommand(c: Client, argv: string[]): void {
  lmoveGeneric(c, argv[1]!, argv[2]!, LIST_TAIL, LIST_HEAD);
}

export const rpoplpushSpec: CommandSpec = {
  name: 'rpoplpush',
  arity: 3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'list',
  summary: 'Remove the last element in a list, prepend it to another list and return it',
  since: '1.2.0',
  complexity: 'O(1)',
  syntax: 'source:key destination:key',
  handler: rpoplpushCommand,
  firstKeyFlags: ['RW', 'access', 'delete'],
  keyFlags: ['RW', 'insert'],
};

// ---------------------------------------------------------------------------
// LMPOP
// ---------------------------------------------------------------------------

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

/**
 * LMPOP numkeys key [key ...] (LEFT | RIGHT) [COUNT count]
 * Pops from the first non-empty list.
 */
function lmpopCommand(c: Client, argv: string[]): void {
  const args = parseMpopArguments(c, argv, 1);
  if (args === null) return;
  const keys = argv.slice(args.firstKey, args.firstKey + args.numkeys);
  if (mpopFirstList(c, keys, args.where, args.count) === false) c.reply.nullArray();
}

export const lmpopSpec: CommandSpec = {
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
};
