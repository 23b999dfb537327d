/**
 * The sorted set commands that work member by member (Redis's t_zset.c),
 * each with its spec: ZADD and ZINCRBY (zaddGenericCommand), ZREM, ZCARD,
 * ZSCORE, ZMSCORE, ZRANK and ZREVRANK (zrankGenericCommand), ZRANDMEMBER
 * and ZSCAN.
 *
 * Key-spec flags are declared where Redis's differ from the RO/RW access
 * defaults (command-docs.ts): removals delete, ZADD only updates.
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import {
  SortedSet,
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_LT,
  ZADD_IN_NONE,
  ZADD_IN_NX,
  ZADD_IN_XX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  type ZsetEntry,
} from '../store/zset.js';
import type { ElementScanPage } from '../store/scan-cursors.js';
import { formatDouble, parseDouble } from '../text/numbers.js';
import { readScanCursor, replyCollectionScan } from './collection-scan.js';
import { missingKeyReply } from './missing-key-reply.js';
import { exceedsHalfRange, readRandomCount, refuseHugeSampling } from './random-count.js';

import { deleteIfEmpty, lookupZsetRead, lookupZsetWrite, zsetReadOrReply, zsetWriteOrReply } from './zset-keys.js';
import { lowercaseCString } from './parse.js';

// ---- ZADD, ZINCRBY ----

const ZADD_OPTIONS: ReadonlyMap<string, number> = new Map([
  ['nx', ZADD_IN_NX],
  ['xx', ZADD_IN_XX],
  ['gt', ZADD_IN_GT],
  ['lt', ZADD_IN_LT],
  ['incr', ZADD_IN_INCR],
]);

/**
 * zaddGenericCommand: ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member
 * [score member ...], and ZINCRBY key increment member (ZADD INCR). The
 * options end at the first argument that is not one, so `ZINCRBY k nx m`
 * reads NX and fails on its odd argument count, as in Redis. Every score
 * is parsed before anything changes. GEOADD, which calls ZADD with scores
 * it computed, passes them as `computedScores` instead of having their
 * text parsed again.
 */
export function zaddGenericCommand(c: Client, argv: string[], flags: number, computedScores?: readonly number[]): void {
  let scoreidx = 2;
  let ch = false;
  for (; scoreidx < argv.length; scoreidx++) {
    const arg = argv[scoreidx]!;
    // Every option starts with a letter, most scores with a digit: skip the
    // lowercasing on the hot path.
    const letter = arg.charCodeAt(0) | 0x20;
    if (letter < 0x61 || letter > 0x7a) break;
    const opt = lowercaseCString(arg);
    if (opt === 'ch') {
      ch = true;
      continue;
    }
    const flag = ZADD_OPTIONS.get(opt);
    if (flag === undefined) break;
    flags |= flag;
  }
  const incr = (flags & ZADD_IN_INCR) !== 0;
  const nx = (flags & ZADD_IN_NX) !== 0;
  const xx = (flags & ZADD_IN_XX) !== 0;
  const gt = (flags & ZADD_IN_GT) !== 0;
  const lt = (flags & ZADD_IN_LT) !== 0;

  const pairs = argv.length - scoreidx;
  if (pairs === 0 || pairs % 2 !== 0) {
    c.reply.error(errors.syntax);
    return;
  }
  const elements = pairs / 2;
  if (nx && xx) {
    c.reply.error(errors.zaddXxAndNx);
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    c.reply.error(errors.zaddGtLtNx);
    return;
  }
  if (incr && elements > 1) {
    c.reply.error(errors.zaddIncrPair);
    return;
  }
  const scores = computedScores?.slice() ?? new Array<number>(elements);
  for (let j = 0; j < elements && computedScores === undefined; j++) {
    const score = parseDouble(argv[scoreidx + j * 2]!);
    if (score === null) {
      c.reply.error(errors.notFloat);
      return;
    }
    scores[j] = score;
  }

  const key = argv[1]!;
  let zset = lookupZsetWrite(c, key);
  if (zset === null) return;
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  if (zset === undefined && !xx) {
    zset = new SortedSet(c.server.encoding);
    c.db.add(key, zset);
  }
  if (zset !== undefined) {
    for (let j = 0; j < elements; j++) {
      const member = argv[scoreidx + 1 + j * 2]!;
      score = scores[j]!;
      // The reply is the score zsetAdd computed, which is not always what is
      // stored: a listpack keeps -0 as 0, and an equal score leaves -0 alone.
      if (incr) {
        const current = zset.score(member);
        if (current !== undefined) score += current;
      }
      const out = zset.add(member, scores[j]!, flags);
      if (out & ZADD_OUT_NAN) {
        // Redis's cleanup still notifies what changed before, but without
        // counting it in dirty (only INCR can get here, with one pair).
        c.reply.error(errors.zsetScoreNaN);
        if (added || updated) c.server.events.keyModified(c.db, key, incr ? 'zincr' : 'zadd', 0);
        return;
      }
      if (out & ZADD_OUT_ADDED) added++;
      if (out & ZADD_OUT_UPDATED) updated++;
      if (!(out & ZADD_OUT_NOP)) processed++;
    }
  }
  if (incr) {
    if (processed) c.reply.double(score);
    else c.reply.nullBulk();
  } else {
    c.reply.integer(ch ? added + updated : added);
  }
  if (added || updated) c.server.events.keyModified(c.db, key, incr ? 'zincr' : 'zadd', added + updated);
}

/** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...] */
function zaddCommand(c: Client, argv: string[]): void {
  zaddGenericCommand(c, argv, ZADD_IN_NONE);
}

export const zaddSpec: CommandSpec = {
  name: 'zadd',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'update'],
  group: 'sorted-set',
  summary: 'Add one or more members to a sorted set, or update its score if it already exists',
  since: '1.2.0',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  syntax: 'key [NX | XX] [GT | LT] [CH] [INCR] score:double member [score:double member ...]',
  handler: zaddCommand,
};

/** ZINCRBY key increment member */
function zincrbyCommand(c: Client, argv: string[]): void {
  zaddGenericCommand(c, argv, ZADD_IN_INCR);
}

export const zincrbySpec: CommandSpec = {
  name: 'zincrby',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Increment the score of a member in a sorted set',
  since: '1.2.0',
  complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
  syntax: 'key increment:integer member',
  handler: zincrbyCommand,
};

// ---- ZREM, ZCARD, ZSCORE, ZMSCORE ----

/** ZREM key member [member ...]: how many were removed. */
function zremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const zset = zsetWriteOrReply(c, key, missingKeyReply.zero);
  if (zset === null) return;
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (zset.remove(argv[j]!)) deleted++;
    if (zset.size === 0) break;
  }
  if (deleted !== 0) {
    c.server.events.keyModified(c.db, key, 'zrem', deleted);
    deleteIfEmpty(c, key, zset);
  }
  c.reply.integer(deleted);
}

export const zremSpec: CommandSpec = {
  name: 'zrem',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'delete'],
  group: 'sorted-set',
  summary: 'Remove one or more members from a sorted set',
  since: '1.2.0',
  complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
  syntax: 'key member [member ...]',
  handler: zremCommand,
};

/** ZCARD key */
function zcardCommand(c: Client, argv: string[]): void {
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (zset !== null) c.reply.integer(zset.size);
}

export const zcardSpec: CommandSpec = {
  name: 'zcard',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO'],
  group: 'sorted-set',
  summary: 'Get the number of members in a sorted set',
  since: '1.2.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: zcardCommand,
};

/** ZSCORE key member */
function zscoreCommand(c: Client, argv: string[]): void {
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.null);
  if (zset === null) return;
  const score = zset.score(argv[2]!);
  if (score === undefined) c.reply.nullBulk();
  else c.reply.double(score);
}

export const zscoreSpec: CommandSpec = {
  name: 'zscore',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Get the score associated with the given member in a sorted set',
  since: '1.2.0',
  complexity: 'O(1)',
  syntax: 'key member',
  handler: zscoreCommand,
};

/** ZMSCORE key member [member ...]: a missing key answers like an empty set. */
function zmscoreCommand(c: Client, argv: string[]): void {
  const zset = lookupZsetRead(c, argv[1]!);
  if (zset === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.double(score);
  }
}

export const zmscoreSpec: CommandSpec = {
  name: 'zmscore',
  arity: -3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Get the score associated with the given members in a sorted set',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of members being requested.',
  syntax: 'key member [member ...]',
  handler: zmscoreCommand,
};

// ---- ZRANK, ZREVRANK ----

/**
 * zrankGenericCommand, with Redis 7.2's WITHSCORE: [rank, score], and a
 * null array (rather than a null bulk) when the member is missing.
 */
function zrankGenericCommand(c: Client, argv: string[], reverse: boolean): void {
  if (argv.length > 4) {
    c.reply.error(wrongArity(reverse ? 'zrevrank' : 'zrank'));
    return;
  }
  let withScore = false;
  if (argv.length === 4) {
    if (lowercaseCString(argv[3]!) !== 'withscore') {
      c.reply.error(errors.syntax);
      return;
    }
    withScore = true;
  }
  const zset = lookupZsetRead(c, argv[1]!);
  if (zset === null) return;
  const member = argv[2]!;
  const rank = zset?.rank(member, reverse) ?? null;
  if (rank === null) {
    if (withScore) c.reply.nullArray();
    else c.reply.nullBulk();
    return;
  }
  if (withScore) {
    c.reply.arrayHeader(2);
    c.reply.integer(rank);
    c.reply.double(zset!.score(member)!);
  } else {
    c.reply.integer(rank);
  }
}

/** ZRANK key member [WITHSCORE] */
function zrankCommand(c: Client, argv: string[]): void {
  zrankGenericCommand(c, argv, false);
}

/** Arity -3 where Redis 7.0 says 3: ZRANK takes Redis 7.2's WITHSCORE. */
export const zrankSpec: CommandSpec = {
  name: 'zrank',
  arity: -3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Determine the index of a member in a sorted set',
  since: '2.0.0',
  complexity: 'O(log(N))',
  syntax: 'key member [WITHSCORE]',
  handler: zrankCommand,
};

/** ZREVRANK key member [WITHSCORE] */
function zrevrankCommand(c: Client, argv: string[]): void {
  zrankGenericCommand(c, argv, true);
}

/** Arity -3 where Redis 7.0 says 3: ZREVRANK takes Redis 7.2's WITHSCORE. */
export const zrevrankSpec: CommandSpec = {
  name: 'zrevrank',
  arity: -3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low',
  since: '2.0.0',
  complexity: 'O(log(N))',
  syntax: 'key member [WITHSCORE]',
  handler: zrevrankCommand,
};

// ---- ZRANDMEMBER ----

/** Random picks written per batch, as Redis caps its samples (ZRANDMEMBER_RANDOM_SAMPLE_LIMIT). */
const RANDOM_SAMPLE_LIMIT = 1000;

/**
 * zrandmemberWithCountCommand. A negative count picks that many times
 * independently, streamed in batches so that a huge count does not build
 * one huge array. A positive count gives distinct members: the whole set
 * when it covers it (in the order Redis's iterator walks it, highest score
 * first), otherwise a random subset.
 */
function zrandmemberWithCountCommand(c: Client, key: string, requested: number, withScores: boolean): void {
  const zset = zsetReadOrReply(c, key, missingKeyReply.emptyArray);
  if (zset === null) return;
  if (requested === 0) {
    c.reply.raw(shared.emptyArray);
    return;
  }
  if (refuseHugeSampling(c, requested)) return;
  const reply = c.reply;
  const unique = requested > 0;
  let count = Math.abs(requested);
  const size = zset.size;
  const pairs = withScores && reply.protocol === 3;
  const emit = (member: string, score: number): void => {
    if (pairs) reply.arrayHeader(2);
    reply.bulk(member);
    if (withScores) reply.double(score);
  };
  if (!unique || count === 1) {
    reply.arrayHeader(withScores && reply.protocol === 2 ? count * 2 : count);
    while (count > 0) {
      const batch = Math.min(count, RANDOM_SAMPLE_LIMIT);
      count -= batch;
      for (const [member, score] of zset.randomEntries(batch, true)) emit(member, score);
    }
    return;
  }
  const length = Math.min(count, size);
  reply.arrayHeader(withScores && reply.protocol === 2 ? length * 2 : length);
  if (count >= size) {
    zset.forEachByRank(0, size - 1, true, emit);
    return;
  }
  for (const [member, score] of zset.randomEntries(count, false)) emit(member, score);
}

/**
 * ZRANDMEMBER key [count [WITHSCORES]]. The count is checked before the
 * key is looked up, with HRANDFIELD's rules (random-count.ts): any int64
 * but INT64_MIN, and with WITHSCORES half that range, so that the reply
 * length can't overflow.
 */
function zrandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length >= 3) {
    const count = readRandomCount(c, argv[2]!);
    if (count === null) return;
    if (argv.length > 4 || (argv.length === 4 && lowercaseCString(argv[3]!) !== 'withscores')) {
      c.reply.error(errors.syntax);
      return;
    }
    const withScores = argv.length === 4;
    if (withScores && exceedsHalfRange(argv[2]!)) {
      c.reply.error(errors.valueOutOfRange);
      return;
    }
    zrandmemberWithCountCommand(c, argv[1]!, count, withScores);
    return;
  }
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.null);
  if (zset !== null) c.reply.bulk(zset.randomEntry()![0]);
}

export const zrandmemberSpec: CommandSpec = {
  name: 'zrandmember',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Get one or multiple random elements from a sorted set',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of elements returned',
  syntax: 'key [count:integer [WITHSCORES]]',
  handler: zrandmemberCommand,
};

// ---- ZSCAN ----

/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count], with SSCAN's and HSCAN's
 * rules (collection-scan.ts). A set Redis holds as a listpack comes back whole
 * with cursor 0, whatever the cursor and COUNT; a larger one is walked by
 * SortedSet.scan. Scores are bulk strings in either protocol.
 */
function zscanCommand(c: Client, argv: string[]): void {
  const cursor = readScanCursor(c, argv[2]!);
  if (cursor === null) return;
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.emptyScan);
  if (zset === null) return;
  replyCollectionScan(c, argv, true, (count) => {
    let page: ElementScanPage<ZsetEntry>;
    if (zset.encoding(c.server.encoding) === 'listpack') {
      page = { cursor: '0', items: zset.rangeByRank(0, zset.size - 1) };
    } else {
      const keyspace = c.server.keyspace;
      page = zset.scan(cursor, count, () => keyspace.issueScanCursor());
    }
    const elements: string[] = [];
    for (const [member, score] of page.items) elements.push(member, formatDouble(score));
    return { cursor: page.cursor, elements };
  });
}

export const zscanSpec: CommandSpec = {
  name: 'zscan',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'sorted-set',
  summary: 'Incrementally iterate sorted sets elements and associated scores',
  since: '2.8.0',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  syntax: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]',
  handler: zscanCommand,
};
