/**
 * The sorted set commands that work member by member (Redis's t_zset.c):
 * ZADD and ZINCRBY (zaddGenericCommand), ZREM, ZSCORE, ZMSCORE, ZCARD,
 * ZRANK and ZREVRANK (zrankGenericCommand), ZRANDMEMBER and ZSCAN.
 *
 * Also what every sorted set module shares: the typed lookups, storing a
 * result, and the reply shape of scored members.
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client } from './types.js';
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
import type { Value } from '../store/types.js';
import { formatDouble, parseDouble } from '../text/numbers.js';
import {
  missingKeyReply,
  exceedsHalfRange,
  readRandomCount,
  readScanCursor,
  refuseHugeSampling,
  replyCollectionScan,
  type MissingKeyReply,
} from './collections.js';
import { lowercaseCString } from './string-values.js';

// ---- lookups and replies shared by the sorted set modules ----

/**
 * lookupKeyReadOrReply + checkType: the sorted set at `key`, or null after
 * replying `missing` (no such key) or WRONGTYPE.
 */
export function zsetReadOrReply(c: Client, key: string, missing: MissingKeyReply): SortedSet | null {
  return zsetOrReply(c, c.db.lookupRead(key), missing);
}

/** lookupKeyWriteOrReply + checkType, as zsetReadOrReply. */
export function zsetWriteOrReply(c: Client, key: string, missing: MissingKeyReply): SortedSet | null {
  return zsetOrReply(c, c.db.lookupWrite(key), missing);
}

function zsetOrReply(c: Client, value: Value | undefined, missing: MissingKeyReply): SortedSet | null {
  if (value instanceof SortedSet) return value;
  if (value === undefined) missing(c.reply);
  else c.reply.error(errors.wrongType);
  return null;
}

/**
 * lookupKeyRead + checkType, for the commands to which a missing key is an
 * empty set rather than a reply (ZMSCORE, ZRANGE, the set algebra): the
 * sorted set, undefined when the key does not exist, or null after
 * replying WRONGTYPE.
 */
export function lookupZsetRead(c: Client, key: string): SortedSet | undefined | null {
  const entry = c.db.lookupRead(key);
  if (entry === undefined || entry instanceof SortedSet) return entry;
  c.reply.error(errors.wrongType);
  return null;
}

/** lookupKeyWrite + checkType, as lookupZsetRead (ZADD creates the key). */
export function lookupZsetWrite(c: Client, key: string): SortedSet | undefined | null {
  const entry = c.db.lookupWrite(key);
  if (entry === undefined || entry instanceof SortedSet) return entry;
  c.reply.error(errors.wrongType);
  return null;
}

/**
 * Redis never keeps an empty sorted set: the key goes with its last
 * member, announced as `del` (no change of its own to dirty) after the
 * event of the command that emptied it.
 */
export function deleteIfEmpty(c: Client, key: string, zset: SortedSet): void {
  if (zset.size !== 0) return;
  c.db.delete(key);
  c.server.events.keyModified(c.db, key, 'del', 0);
}

/**
 * Members, with their scores when asked: one flat array in RESP2, and in
 * RESP3 an array of [member, score] pairs (not a map: the order matters).
 */
export function replyEntries(c: Client, entries: readonly ZsetEntry[], withScores: boolean): void {
  const reply = c.reply;
  const n = entries.length;
  if (!withScores) {
    reply.arrayHeader(n);
    for (let i = 0; i < n; i++) reply.bulk(entries[i]![0]);
  } else if (reply.protocol === 2) {
    reply.arrayHeader(n * 2);
    for (let i = 0; i < n; i++) {
      reply.bulk(entries[i]![0]);
      reply.double(entries[i]![1]);
    }
  } else {
    reply.arrayHeader(n);
    for (let i = 0; i < n; i++) {
      reply.arrayHeader(2);
      reply.bulk(entries[i]![0]);
      reply.double(entries[i]![1]);
    }
  }
}

/** The event a STORE command announces for its destination. */
export type ZsetStoreEvent = 'zrangestore' | 'zunionstore' | 'zinterstore' | 'zdiffstore';

/**
 * Stores the result of ZRANGESTORE or Z*STORE (setKey: any old value and
 * its TTL go), announces `event` and replies its size; an empty result
 * deletes the destination instead, announced as `del` only when there was
 * one to delete.
 */
export function storeResult(c: Client, destination: string, result: SortedSet, event: ZsetStoreEvent): void {
  if (result.size === 0) {
    c.reply.raw(shared.zero);
    if (c.db.delete(destination)) c.server.events.keyModified(c.db, destination, 'del');
    return;
  }
  c.db.set(destination, result);
  c.reply.integer(result.size);
  c.server.events.keyModified(c.db, destination, event);
}

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
 * is parsed before anything changes.
 */
function zaddGenericCommand(c: Client, argv: string[], flags: number): void {
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
  const scores = new Array<number>(elements);
  for (let j = 0; j < elements; j++) {
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

export function zaddCommand(c: Client, argv: string[]): void {
  zaddGenericCommand(c, argv, ZADD_IN_NONE);
}

export function zincrbyCommand(c: Client, argv: string[]): void {
  zaddGenericCommand(c, argv, ZADD_IN_INCR);
}

// ---- ZREM, ZSCORE, ZMSCORE, ZCARD ----

/** ZREM key member [member ...]: how many were removed. */
export function zremCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const zset = zsetWriteOrReply(c, key, missingKeyReply.zero);
  if (zset === null) return;
  let deleted = 0;
  for (let j = 2; j < argv.length; j++) {
    if (zset.remove(argv[j]!)) deleted++;
    if (zset.size === 0) break;
  }
  c.reply.integer(deleted);
  if (deleted === 0) return;
  c.server.events.keyModified(c.db, key, 'zrem', deleted);
  deleteIfEmpty(c, key, zset);
}

export function zscoreCommand(c: Client, argv: string[]): void {
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.null);
  if (zset === null) return;
  const score = zset.score(argv[2]!);
  if (score === undefined) c.reply.nullBulk();
  else c.reply.double(score);
}

/** ZMSCORE key member [member ...]: a missing key answers like an empty set. */
export function zmscoreCommand(c: Client, argv: string[]): void {
  const zset = lookupZsetRead(c, argv[1]!);
  if (zset === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.double(score);
  }
}

export function zcardCommand(c: Client, argv: string[]): void {
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (zset !== null) c.reply.integer(zset.size);
}

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

export function zrankCommand(c: Client, argv: string[]): void {
  zrankGenericCommand(c, argv, false);
}

export function zrevrankCommand(c: Client, argv: string[]): void {
  zrankGenericCommand(c, argv, true);
}

// ---- ZRANDMEMBER ----

/** Random picks written per batch, as Redis caps its samples (ZRANDMEMBER_RANDOM_SAMPLE_LIMIT). */
const RANDOM_SAMPLE_LIMIT = 1000;

/**
 * ZRANDMEMBER key [count [WITHSCORES]]. The count is checked before the
 * key is looked up, with HRANDFIELD's rules (collections.ts): any int64
 * but INT64_MIN, and with WITHSCORES half that range, so that the reply
 * length can't overflow.
 */
export function zrandmemberCommand(c: Client, argv: string[]): void {
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

// ---- ZSCAN ----

/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count], with SSCAN's and HSCAN's
 * rules (collections.ts). A set Redis holds as a listpack comes back whole
 * with cursor 0, whatever the cursor and COUNT; a larger one is walked by
 * SortedSet.scan. Scores are bulk strings in either protocol.
 */
export function zscanCommand(c: Client, argv: string[]): void {
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
