/**
 * The sorted set range commands (Redis's t_zset.c): ZRANGE and its older
 * forms ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX and
 * ZREVRANGEBYLEX, plus ZRANGESTORE, all through zrangeGenericCommand; the
 * counts ZCOUNT and ZLEXCOUNT; and ZREMRANGEBYRANK, ZREMRANGEBYSCORE and
 * ZREMRANGEBYLEX through zremrangeGenericCommand.
 */
import { errors } from '../errors.js';
import type { Client } from './types.js';
import {
  SortedSet,
  parseLexRange,
  parseScoreRange,
  type ZLexRangeSpec,
  type ZRangeSpec,
  type ZsetEntry,
} from '../store/zset.js';
import { readInteger } from './parse.js';
import { lowercaseCString } from './string-values.js';
import { missingKeyReply } from './collections.js';
import { deleteIfEmpty, lookupZsetRead, replyEntries, storeResult, zsetReadOrReply, zsetWriteOrReply } from './zset-members.js';

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

export function zrangeCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Auto, Direction.Auto);
}

/** ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count] */
export function zrangestoreCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 2, true, RangeType.Auto, Direction.Auto);
}

export function zrevrangeCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Rank, Direction.Reverse);
}

export function zrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Score, Direction.Forward);
}

export function zrevrangebyscoreCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Score, Direction.Reverse);
}

export function zrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Lex, Direction.Forward);
}

export function zrevrangebylexCommand(c: Client, argv: string[]): void {
  zrangeGenericCommand(c, argv, 1, false, RangeType.Lex, Direction.Reverse);
}

// ---- ZCOUNT, ZLEXCOUNT ----

/** ZCOUNT key min max: the range is parsed before the key is looked up. */
export function zcountCommand(c: Client, argv: string[]): void {
  const spec = parseScoreRange(argv[2]!, argv[3]!);
  if (spec === null) {
    c.reply.error(errors.zsetScoreRange);
    return;
  }
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (zset !== null) c.reply.integer(zset.countInScoreRange(spec));
}

export function zlexcountCommand(c: Client, argv: string[]): void {
  const spec = parseLexRange(argv[2]!, argv[3]!);
  if (spec === null) {
    c.reply.error(errors.zsetLexRange);
    return;
  }
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (zset !== null) c.reply.integer(zset.countInLexRange(spec));
}

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
  c.reply.integer(deleted);
  if (deleted === 0) return;
  c.server.events.keyModified(c.db, key, REMOVE_EVENTS[type], deleted);
  deleteIfEmpty(c, key, zset);
}

/** The event each ZREMRANGEBY* announces. */
const REMOVE_EVENTS: Readonly<Record<RangeType, string>> = {
  [RangeType.Auto]: 'zremrangebyrank',
  [RangeType.Rank]: 'zremrangebyrank',
  [RangeType.Score]: 'zremrangebyscore',
  [RangeType.Lex]: 'zremrangebylex',
};

export function zremrangebyrankCommand(c: Client, argv: string[]): void {
  zremrangeGenericCommand(c, argv, RangeType.Rank);
}

export function zremrangebyscoreCommand(c: Client, argv: string[]): void {
  zremrangeGenericCommand(c, argv, RangeType.Score);
}

export function zremrangebylexCommand(c: Client, argv: string[]): void {
  zremrangeGenericCommand(c, argv, RangeType.Lex);
}
