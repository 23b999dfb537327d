/**
 * The list commands that read or edit elements where they lie, by index
 * or by value, rather than at the list's ends (Redis's t_list.c): LLEN,
 * LRANGE, LINDEX, LPOS, LSET, LINSERT, LREM, LTRIM.
 *
 * Each write announces its changes on the change seat exactly as Redis's
 * handler does: the same events (`lset`, `lrem`, `ltrim`, then `del` when
 * the list ran dry), in the same order, adding to dirty what Redis adds to
 * server.dirty. A write that changes nothing (LREM without a match)
 * announces nothing, so WATCH and propagation ignore it.
 *
 * Argument checks run in Redis's order, which decides which error a call
 * with several problems gets: LRANGE/LTRIM/LREM read their numbers before
 * the key (a bad number wins over WRONGTYPE), LSET/LINDEX look the key up
 * first.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { deleteIfEmpty, lookupList, missingList, readLongAtLeast } from './list-type.js';
import { readInteger, lowercaseCString } from './parse.js';

import type { Client, CommandSpec } from './types.js';

/** The one int64 that `-rank` leaves negative in C, which LPOS then treats as "every match". */
const INT64_MIN_TEXT = '-9223372036854775808';

// ---------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------

/** LLEN key */
function llenCommand(c: Client, argv: string[]): void {
  const list = lookupList(c, argv[1]!, false, missingList.zero);
  if (list !== null) c.reply.integer(list.length);
}

export const llenSpec: CommandSpec = {
  name: 'llen',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Get the length of a list',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  keyFlags: ['RO'],
  handler: llenCommand,
};

/**
 * LRANGE key start stop
 * Both indexes inclusive, negative from the tail, clamped.
 */
function lrangeCommand(c: Client, argv: string[]): void {
  const start = readInteger(c, argv[2]!);
  if (start === null) return;
  const stop = readInteger(c, argv[3]!);
  if (stop === null) return;
  const list = lookupList(c, argv[1]!, false, missingList.emptyArray);
  if (list !== null) c.reply.bulkArray(list.range(start, stop));
}

export const lrangeSpec: CommandSpec = {
  name: 'lrange',
  arity: 4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Get a range of elements from a list',
  since: '1.0.0',
  complexity:
    'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.',
  syntax: 'key start:integer stop:integer',
  handler: lrangeCommand,
};

/**
 * LINDEX key index
 * A null bulk when the key or the index is missing.
 */
function lindexCommand(c: Client, argv: string[]): void {
  const list = lookupList(c, argv[1]!, false, missingList.nullBulk);
  if (list === null) return;
  const index = readInteger(c, argv[2]!);
  if (index === null) return;
  c.reply.bulkOrNull(list.at(index));
}

export const lindexSpec: CommandSpec = {
  name: 'lindex',
  arity: 3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Get an element from a list by its index',
  since: '1.0.0',
  complexity:
    'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).',
  syntax: 'key index:integer',
  handler: lindexCommand,
};

/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
 * Options may repeat (the last wins). Without COUNT: the index or a null;
 * with COUNT: an array, empty for no match or no key.
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

export const lposSpec: CommandSpec = {
  name: 'lpos',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Return the index of matching elements on a list',
  since: '6.0.6',
  complexity:
    'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  syntax: 'key element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]',
  handler: lposCommand,
};

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

export const lsetSpec: CommandSpec = {
  name: 'lset',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Set the value of an element in a list by its index',
  since: '1.0.0',
  complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).',
  syntax: 'key index:integer element',
  keyFlags: ['RW', 'update'],
  handler: lsetCommand,
};

/**
 * LINSERT key (BEFORE | AFTER) pivot element
 * The new length, -1 without the pivot, 0 without the key.
 */
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

export const linsertSpec: CommandSpec = {
  name: 'linsert',
  arity: 5,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Insert an element before or after another element in a list',
  since: '2.2.0',
  complexity:
    'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).',
  syntax: 'key (BEFORE | AFTER) pivot element',
  keyFlags: ['RW', 'insert'],
  handler: linsertCommand,
};

/**
 * LREM key count element
 * count > 0 removes from the head, < 0 from the tail, 0 all. Each removal
 * is a change.
 */
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

export const lremSpec: CommandSpec = {
  name: 'lrem',
  arity: 4,
  flags: ['write'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Remove elements from a list',
  since: '1.0.0',
  complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.',
  syntax: 'key count:integer element',
  keyFlags: ['RW', 'delete'],
  handler: lremCommand,
};

/**
 * LTRIM key start stop
 * OK even for a missing key; trimming everything deletes it. Redis
 * announces `ltrim` even when nothing was trimmed (but then adds nothing
 * to dirty, so it is not propagated).
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

export const ltrimSpec: CommandSpec = {
  name: 'ltrim',
  arity: 4,
  flags: ['write'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'list',
  summary: 'Trim a list to the specified range',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of elements to be removed by the operation.',
  syntax: 'key start:integer stop:integer',
  keyFlags: ['RW', 'delete'],
  handler: ltrimCommand,
};
