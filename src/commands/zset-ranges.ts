/**
 * The sorted set range commands (Redis's t_zset.c), each with its spec:
 * ZRANGE and its older forms ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
 * ZRANGEBYLEX and ZREVRANGEBYLEX, plus ZRANGESTORE, all through
 * zrangeGenericCommand; the counts ZCOUNT and ZLEXCOUNT; and
 * ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX through
 * zremrangeGenericCommand.
 */
import { errors } from '../errors.js';
import type { Client, CommandSpec } from './types.js';
import type { KeyChange } from '../store/keyspace-events.js';
import {
  SortedSet,
  parseLexRange,
  parseScoreRange,
  type ZLexRangeSpec,
  type ZRangeSpec,
  type ZsetEntry,
} from '../store/zset.js';
import { readInteger, lowercaseCString } from './parse.js';

import { missingKeyReply } from './missing-key-reply.js';
import { deleteIfEmpty, lookupZsetRead, zsetReadOrReply, zsetWriteOrReply } from './zset-keys.js';
import { replyEntries, storeResult } from './zset-results.js';

const RANGE_COMPLEXITY = 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.';
const RANGE_LIMIT_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).';
const REMRANGE_COMPLEXITY =
  'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.';

/** zrange_type: AUTO until an option or the command decides. */
const enum RangeType {
  Auto,
  Rank,
  Score,
  Lex,
}

/** zrange_direction. */
const enum Direction {
  Auto,
  Forward,
  Reverse,
}

/**
 * Ranks as ZRANGE and ZREMRANGEBYRANK read them (negative from the end),
 * clamped to the set; null when the range is empty.
 */
function sanitizeRanks(start: number, end: number, length: number): [number, number] | null {
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  // start >= 0 here, so this also catches end < 0.
  if (start > end || start >= length) return null;
  return [start, Math.min(end, length - 1)];
}

/**
 * zrangeGenericCommand: <src> <min> <max> [BYSCORE | BYLEX] [REV]
 * [WITHSCORES] [LIMIT offset count], starting at argv[argcStart]. The
 * older commands fix the range type or direction, which turns the option
 * that would choose it into a syntax error. ZRANGESTORE (`store`) takes no
 * WITHSCORES and writes the range to argv[1] instead of replying it.
 */
function zrangeGenericCommand(
  c: Client,
  argv: string[],
  argcStart: number,
  store: boolean,
  rangeType: RangeType,
  direction: Direction,
): void {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argcStart + 3; j < argv.length; j++) {
    const leftArgs = argv.length - j - 1;
    const opt = lowercaseCString(argv[j]!);
    if (!store && opt === 'withscores') {
      withScores = true;
    } else if (opt === 'limit' && leftArgs >= 2) {
      const o = readInteger(c, argv[j + 1]!);
      if (o === null) return;
      const l = readInteger(c, argv[j + 2]!);
      if (l === null) return;
      offset = o;
      limit = l;
      j += 2;
    } else if (direction === Direction.Auto && opt === 'rev') {
      direction = Direction.Reverse;
    } else if (rangeType === RangeType.Auto && opt === 'bylex') {
      rangeType = RangeType.Lex;
    } else if (rangeType === RangeType.Auto && opt === 'byscore') {
      rangeType = RangeType.Score;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  if (direction === Direction.Auto) direction = Direction.Forward;
  if (rangeType === RangeType.Auto) rangeType = RangeType.Rank;
  // Redis tests for "no LIMIT" as count == -1, so `LIMIT 0 -1` passes here.
  if (limit !== -1 && rangeType === RangeType.Rank) {
    c.reply.error(errors.zrangeLimitWithoutBy);
    return;
  }
  if (withScores && rangeType === RangeType.Lex) {
    c.reply.error(errors.zrangeWithscoresByLex);
    return;
  }
  const reverse = direction === Direction.Reverse;
  let minArg = argv[argcStart + 1]!;
  let maxArg = argv[argcStart + 2]!;
  // The reverse forms take the range as <max> <min>.
  if (reverse && rangeType !== RangeType.Rank) [minArg, maxArg] = [maxArg, minArg];

  let select: (zset: SortedSet) => ZsetEntry[];
  // zrangeResultBeginStore's size hint: a rank range knows its length, a
  // score or lex range doesn't (0), so only a long rank range is stored
  // into a skiplist from the start.
  let sizeHint = 0;
  if (rangeType === RangeType.Rank) {
    const start = readInteger(c, minArg);
    if (start === null) return;
    const end = readInteger(c, maxArg);
    if (end === null) return;
    select = (zset) => {
      const ranks = sanitizeRanks(start, end, zset.size);
      if (ranks === null) return [];
      sizeHint = ranks[1] - ranks[0] + 1;
      return zset.rangeByRank(ranks[0], ranks[1], reverse);
    };
  } else if (rangeType === RangeType.Score) {
    const spec = parseScoreRange(minArg, maxArg);
    if (spec === null) {
      c.reply.error(errors.zsetScoreRange);
      return;
    }
    select = (zset) => zset.rangeByScore(spec, reverse, offset, limit);
  } else {
    const spec = parseLexRange(minArg, maxArg);
    if (spec === null) {
      c.reply.error(errors.zsetLexRange);
      return;
    }
    select = (zset) => zset.rangeByLex(spec, reverse, offset, limit);
  }

  const zset = lookupZsetRead(c, argv[argcStart]!);
  if (zset === null) return;
  const entries = zset === undefined ? [] : select(zset);
  if (!store) {
    replyEntries(c, entries, withScores);
    return;
  }
  // Filled by zsetAdd, which converts it as it grows; Redis does not
  // recompute the encoding afterwards here, unlike Z*STORE.
  const result = SortedSet.createWithSizeHint(sizeHint, c.server.encoding);
  for (const [member, score] of entries) result.add(member, score);
  storeResult(c, argv[1]!, result, 'zrangestore');
}

/** ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES] */
function zrangeCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Auto, Direction.Auto);
}

export const zrangeSpec: CommandSpec = {
  name: 'zrange',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Return a range of members in a sorted set',
  since: '1.2.0',
  complexity: RANGE_COMPLEXITY,
  syntax: 'key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset:integer count:integer] [WITHSCORES]',
  handler: zrangeCommand,
};

/** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count] */
function zrangestoreCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 2, true, RangeType.Auto, Direction.Auto);
}

export const zrangestoreSpec: CommandSpec = {
  name: 'zrangestore',
  arity: -5,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Store a range of members from sorted set into another key',
  since: '6.2.0',
  complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
  syntax: 'dst:key src:key min max [BYSCORE | BYLEX] [REV] [LIMIT offset:integer count:integer]',
  handler: zrangestoreCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};

/** ZREVRANGE key start stop [WITHSCORES] */
function zrevrangeCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Rank, Direction.Reverse);
}

export const zrevrangeSpec: CommandSpec = {
  name: 'zrevrange',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low',
  since: '1.2.0',
  complexity: RANGE_COMPLEXITY,
  syntax: 'key start:integer stop:integer [WITHSCORES]',
  handler: zrevrangeCommand,
};

/** ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count] */
function zrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Score, Direction.Forward);
}

export const zrangebyscoreSpec: CommandSpec = {
  name: 'zrangebyscore',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Return a range of members in a sorted set, by score',
  since: '1.0.5',
  complexity: RANGE_LIMIT_COMPLEXITY,
  syntax: 'key min:double max:double [WITHSCORES] [LIMIT offset:integer count:integer]',
  handler: zrangebyscoreCommand,
};

/** ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count] */
function zrevrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Score, Direction.Reverse);
}

export const zrevrangebyscoreSpec: CommandSpec = {
  name: 'zrevrangebyscore',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low',
  since: '2.2.0',
  complexity: RANGE_LIMIT_COMPLEXITY,
  syntax: 'key max:double min:double [WITHSCORES] [LIMIT offset:integer count:integer]',
  handler: zrevrangebyscoreCommand,
};

/** ZRANGEBYLEX key min max [LIMIT offset count] */
function zrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Lex, Direction.Forward);
}

export const zrangebylexSpec: CommandSpec = {
  name: 'zrangebylex',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Return a range of members in a sorted set, by lexicographical range',
  since: '2.8.9',
  complexity: RANGE_LIMIT_COMPLEXITY,
  syntax: 'key min max [LIMIT offset:integer count:integer]',
  handler: zrangebylexCommand,
};

/** ZREVRANGEBYLEX key max min [LIMIT offset count] */
function zrevrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Lex, Direction.Reverse);
}

export const zrevrangebylexSpec: CommandSpec = {
  name: 'zrevrangebylex',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.',
  since: '2.8.9',
  complexity: RANGE_LIMIT_COMPLEXITY,
  syntax: 'key max min [LIMIT offset:integer count:integer]',
  handler: zrevrangebylexCommand,
};

// ---- ZCOUNT, ZLEXCOUNT ----

/** ZCOUNT key min max: the range is parsed before the key is looked up. */
function zcountCommand(c: Client, argv: string[]): void {
  const spec = parseScoreRange(argv[2]!, argv[3]!);
  if (spec === null) {
    c.reply.error(errors.zsetScoreRange);
    return;
  }
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (zset !== null) c.reply.integer(zset.countInScoreRange(spec));
}

export const zcountSpec: CommandSpec = {
  name: 'zcount',
  arity: 4,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Count the members in a sorted set with scores within the given values',
  since: '2.0.0',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  syntax: 'key min:double max:double',
  handler: zcountCommand,
};

/** ZLEXCOUNT key min max: the range is parsed before the key is looked up. */
function zlexcountCommand(c: Client, argv: string[]): void {
  const spec = parseLexRange(argv[2]!, argv[3]!);
  if (spec === null) {
    c.reply.error(errors.zsetLexRange);
    return;
  }
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (zset !== null) c.reply.integer(zset.countInLexRange(spec));
}

export const zlexcountSpec: CommandSpec = {
  name: 'zlexcount',
  arity: 4,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Count the number of members in a sorted set between a given lexicographical range',
  since: '2.8.9',
  complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
  syntax: 'key min max',
  handler: zlexcountCommand,
};

// ---- ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX ----

type RemoveRange =
  | { type: RangeType.Rank; start: number; end: number }
  | { type: RangeType.Score; spec: ZRangeSpec }
  | { type: RangeType.Lex; spec: ZLexRangeSpec };

/**
 * zremrangeGenericCommand: parses the range (replying its error) before
 * the lookup, removes it, and deletes the key when nothing is left.
 */
function zremrangeGenericCommand(c: Client, argv: string[], type: RangeType): void {
  let range: RemoveRange;
  if (type === RangeType.Rank) {
    const start = readInteger(c, argv[2]!);
    if (start === null) return;
    const end = readInteger(c, argv[3]!);
    if (end === null) return;
    range = { type, start, end };
  } else if (type === RangeType.Score) {
    const spec = parseScoreRange(argv[2]!, argv[3]!);
    if (spec === null) {
      c.reply.error(errors.zsetScoreRange);
      return;
    }
    range = { type, spec };
  } else {
    const spec = parseLexRange(argv[2]!, argv[3]!);
    if (spec === null) {
      c.reply.error(errors.zsetLexRange);
      return;
    }
    range = { type: RangeType.Lex, spec };
  }

  const key = argv[1]!;
  const zset = zsetWriteOrReply(c, key, missingKeyReply.zero);
  if (zset === null) return;
  let deleted: number;
  if (range.type === RangeType.Rank) {
    const ranks = sanitizeRanks(range.start, range.end, zset.size);
    deleted = ranks === null ? 0 : zset.removeRangeByRank(ranks[0], ranks[1]);
  } else if (range.type === RangeType.Score) {
    deleted = zset.removeRangeByScore(range.spec);
  } else {
    deleted = zset.removeRangeByLex(range.spec);
  }
  if (deleted !== 0) {
    c.server.events.keyModified(c.db, key, REMOVE_EVENTS[type], deleted);
    deleteIfEmpty(c, key, zset);
  }
  c.reply.integer(deleted);
}

/** The event each ZREMRANGEBY* announces. */
const REMOVE_EVENTS: Readonly<Record<RangeType, KeyChange>> = {
  [RangeType.Auto]: 'zremrangebyrank',
  [RangeType.Rank]: 'zremrangebyrank',
  [RangeType.Score]: 'zremrangebyscore',
  [RangeType.Lex]: 'zremrangebylex',
};

/** ZREMRANGEBYRANK key start stop */
function zremrangebyrankCommand(c: Client, argv: string[]): void {
  zremrangeGenericCommand(c, argv, RangeType.Rank);
}

export const zremrangebyrankSpec: CommandSpec = {
  name: 'zremrangebyrank',
  arity: 4,
  flags: ['write'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'delete'],
  group: 'sorted-set',
  summary: 'Remove all members in a sorted set within the given indexes',
  since: '2.0.0',
  complexity: REMRANGE_COMPLEXITY,
  syntax: 'key start:integer stop:integer',
  handler: zremrangebyrankCommand,
};

/** ZREMRANGEBYSCORE key min max */
function zremrangebyscoreCommand(c: Client, argv: string[]): void {
  zremrangeGenericCommand(c, argv, RangeType.Score);
}

export const zremrangebyscoreSpec: CommandSpec = {
  name: 'zremrangebyscore',
  arity: 4,
  flags: ['write'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'delete'],
  group: 'sorted-set',
  summary: 'Remove all members in a sorted set within the given scores',
  since: '1.2.0',
  complexity: REMRANGE_COMPLEXITY,
  syntax: 'key min:double max:double',
  handler: zremrangebyscoreCommand,
};

/** ZREMRANGEBYLEX key min max */
function zremrangebylexCommand(c: Client, argv: string[]): void {
  zremrangeGenericCommand(c, argv, RangeType.Lex);
}

export const zremrangebylexSpec: CommandSpec = {
  name: 'zremrangebylex',
  arity: 4,
  flags: ['write'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'delete'],
  group: 'sorted-set',
  summary: 'Remove all members in a sorted set between the given lexicographical range',
  since: '2.8.9',
  complexity: REMRANGE_COMPLEXITY,
  syntax: 'key min max',
  handler: zremrangebylexCommand,
};
