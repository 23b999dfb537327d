/**
 * t-digest commands (RedisBloom's rm_tdigest.c, the TDIGEST.* of Redis 8's
 * core): CREATE, RESET, ADD, MERGE, MIN, MAX, QUANTILE, CDF, RANK, REVRANK,
 * BYRANK, BYREVRANK, TRIMMED_MEAN and INFO.
 *
 * Redis 7.0.15 has no t-digest, so these follow RedisBloom's source (the
 * handlers below keep rm_tdigest.c's order of checks: the key before the
 * arguments, each argument parsed before anything changes) and its flow
 * tests (tests/flow/test_tdigest.py, test_resp3.py), which the integration
 * tests repeat. RedisBloom checks arity in each handler (module commands
 * have none in the table), so the table's arities are the loosest ones and
 * the handlers answer the rest with Redis's wrong-arity error.
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import {
  TDIGEST_DEFAULT_COMPRESSION,
  TDigest,
  TDigestAllocationError,
  TDigestOverflowError,
} from '../store/probabilistic/t-digest.js';
import { parseDouble, parseInteger } from '../text/numbers.js';
import { argIndex } from './redisbloom.js';
import { signalPartialWrite } from './module-writes.js';

/** _TDigest_KeyCheck: the digest under `key`, or null after replying the error. */
function getDigest(c: Client, key: string, write: boolean): TDigest | null {
  const value = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (value === undefined) {
    c.reply.error(errors.tdigestNoKey);
    return null;
  }
  if (!(value instanceof TDigest)) {
    c.reply.error(errors.wrongType);
    return null;
  }
  return value;
}

/** _TDigest_ParseCompressionParameter: a positive long long, or null after replying the error. */
function parseCompression(c: Client, arg: string): number | null {
  const compression = parseInteger(arg);
  if (compression === null) {
    c.reply.error(errors.tdigestParseCompression);
    return null;
  }
  if (compression <= 0) {
    c.reply.error(errors.tdigestCompressionNotPositive);
    return null;
  }
  return compression;
}

/** RedisModule_StringToDouble: getDoubleFromObject, which refuses NaN. */
function parseDoubles(c: Client, argv: readonly string[], from: number, parseError: string): number[] | null {
  const values: number[] = [];
  for (let i = from; i < argv.length; i++) {
    const value = parseDouble(argv[i]!);
    if (value === null) {
      c.reply.error(parseError);
      return null;
    }
    values.push(value);
  }
  return values;
}

// ---- CREATE, RESET, ADD ------------------------------------------------------------

/** TDIGEST.CREATE key [COMPRESSION compression] */
function tdigestCreateCommand(c: Client, argv: string[]): void {
  if (argv.length !== 2 && argv.length !== 4) {
    c.reply.error(wrongArity('tdigest.create'));
    return;
  }
  const key = argv[1]!;
  const existing = c.db.lookupWrite(key);
  if (existing !== undefined) {
    c.reply.error(existing instanceof TDigest ? errors.tdigestKeyExists : errors.wrongType);
    return;
  }
  let compression = TDIGEST_DEFAULT_COMPRESSION;
  if (argv.length === 4) {
    // RMUtil_ArgIndex looks for the keyword in either place, then reads argv[3].
    if (argIndex(argv, 'compression', 2) === -1) {
      c.reply.error(errors.tdigestWrongKeyword);
      return;
    }
    const parsed = parseCompression(c, argv[3]!);
    if (parsed === null) return;
    compression = parsed;
  }
  let digest: TDigest;
  try {
    digest = new TDigest(compression);
  } catch (e) {
    if (!(e instanceof TDigestAllocationError)) throw e;
    c.reply.error(errors.tdigestAllocationFailed);
    return;
  }
  c.db.add(key, digest);
  c.reply.raw(shared.ok);
}

export const tdigestCreateSpec: CommandSpec = {
  name: 'tdigest.create',
  arity: -2,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Allocates memory and initializes a new t-digest sketch',
  since: '2.4.0',
  complexity: 'O(1)',
  syntax: 'key [COMPRESSION compression:integer]',
  handler: tdigestCreateCommand,
};

/** TDIGEST.RESET key: empties the digest, keeping its compression. */
function tdigestResetCommand(c: Client, argv: string[]): void {
  const digest = getDigest(c, argv[1]!, true);
  if (digest === null) return;
  digest.reset();
  c.reply.raw(shared.ok);
}

export const tdigestResetSpec: CommandSpec = {
  name: 'tdigest.reset',
  arity: 2,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Resets a t-digest sketch: empty the sketch and re-initializes it.',
  since: '2.4.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: tdigestResetCommand,
};

/**
 * TDIGEST.ADD key value [value ...]
 *
 * Every value is parsed before any is added. An overflow part way (a total
 * weight past what a long long holds) leaves the values before it added,
 * as in RedisBloom; that partial change is still announced.
 */
function tdigestAddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const digest = getDigest(c, key, true);
  if (digest === null) return;
  const values: number[] = [];
  for (let i = 2; i < argv.length; i++) {
    const value = parseDouble(argv[i]!);
    if (value === null) {
      c.reply.error(errors.tdigestParseVal);
      return;
    }
    if (!Number.isFinite(value)) {
      c.reply.error(errors.tdigestValNotFinite);
      return;
    }
    values.push(value);
  }
  for (let i = 0; i < values.length; i++) {
    try {
      digest.add(values[i]!, 1);
    } catch (e) {
      if (!(e instanceof TDigestOverflowError)) throw e;
      c.reply.error(errors.tdigestOverflow);
      if (i > 0) signalPartialWrite(c, key);
      return;
    }
  }
  c.reply.raw(shared.ok);
}

export const tdigestAddSpec: CommandSpec = {
  name: 'tdigest.add',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Adds one or more observations to a t-digest sketch',
  since: '2.4.0',
  complexity: 'O(N), where N is the number of samples to add',
  syntax: 'key value:double [value:double ...]',
  handler: tdigestAddCommand,
};

// ---- MERGE -------------------------------------------------------------------------

/** TDIGEST.MERGE's keys: the destination, then numkeys sources when numkeys is valid. */
function tdigestMergeKeys(argv: readonly string[]): number[] {
  const positions = [1];
  const numKeys = parseInteger(argv[2] ?? '');
  if (numKeys === null || numKeys <= 0) return positions;
  for (let i = 3; i < 3 + numKeys && i < argv.length; i++) positions.push(i);
  return positions;
}

/**
 * TDIGEST.MERGE destination numkeys source [source ...] [COMPRESSION compression] [OVERRIDE]
 *
 * A new digest is built and replaces the destination (its TTL goes, as
 * RedisModule_ModuleTypeSetValue deletes the key first). Without
 * COMPRESSION it keeps an existing destination's compression, or takes the
 * largest of the sources' when the destination is new or OVERRIDE drops
 * its contents. Merging compresses each source in place, as td_merge does.
 */
function tdigestMergeCommand(c: Client, argv: string[]): void {
  const destinationKey = argv[1]!;
  const existing = c.db.lookupRead(destinationKey);
  if (existing !== undefined && !(existing instanceof TDigest)) {
    c.reply.error(errors.wrongType);
    return;
  }
  const start = existing;
  const numKeys = parseInteger(argv[2]!);
  if (numKeys === null) {
    c.reply.error(errors.tdigestParseNumkeys);
    return;
  }
  if (numKeys <= 0) {
    c.reply.error(errors.tdigestNumkeysNotPositive);
    return;
  }
  if (numKeys > argv.length - 3) {
    c.reply.error(wrongArity('tdigest.merge'));
    return;
  }
  let compression = start !== undefined ? start.compression : 0;
  let useMaxCompression = start === undefined;
  let override = false;
  const optionsFrom = numKeys + 3;
  if (optionsFrom < argv.length) {
    const compressionAt = argIndex(argv, 'compression', optionsFrom);
    if (compressionAt !== -1) {
      useMaxCompression = false;
      if (compressionAt + 1 >= argv.length) {
        c.reply.error(wrongArity('tdigest.merge'));
        return;
      }
      const parsed = parseCompression(c, argv[compressionAt + 1]!);
      if (parsed === null) return;
      compression = parsed;
    }
    if (argIndex(argv, 'override', optionsFrom) !== -1) {
      override = true;
      if (compressionAt === -1) {
        useMaxCompression = true;
        compression = 0;
      }
    } else if (compressionAt === -1) {
      c.reply.error(errors.tdigestWrongKeyword);
      return;
    }
  }
  const sources: TDigest[] = [];
  for (let i = 3; i < optionsFrom; i++) {
    const sourceKey = argv[i]!;
    let source: TDigest | null;
    if (sourceKey !== destinationKey) {
      source = getDigest(c, sourceKey, false);
      if (source === null) return;
    } else if (start !== undefined) {
      source = start;
    } else {
      c.reply.error(errors.tdigestNoKey);
      return;
    }
    if (useMaxCompression && source.compression > compression) compression = source.compression;
    sources.push(source);
  }
  let merged: TDigest;
  try {
    merged = new TDigest(compression);
  } catch (e) {
    if (!(e instanceof TDigestAllocationError)) throw e;
    c.reply.error(errors.tdigestDestinationAllocationFailed);
    return;
  }
  try {
    if (start !== undefined && !override) merged.merge(start);
    for (const source of sources) merged.merge(source);
  } catch (e) {
    if (!(e instanceof TDigestOverflowError)) throw e;
    c.reply.error(errors.tdigestOverflow);
    return;
  }
  c.db.set(destinationKey, merged);
  c.reply.raw(shared.ok);
}

export const tdigestMergeSpec: CommandSpec = {
  name: 'tdigest.merge',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Merges multiple t-digest sketches into a single sketch',
  since: '2.4.0',
  complexity: 'O(N*K), where N is the number of centroids and K being the number of input sketches',
  syntax: 'destination-key:key numkeys:integer source-key:key [source-key:key ...] [COMPRESSION compression:integer] [OVERRIDE]',
  keys: tdigestMergeKeys,
  handler: tdigestMergeCommand,
};

// ---- MIN, MAX ----------------------------------------------------------------------

/** TDIGEST.MIN key: the smallest observation, nan when empty. */
function tdigestMinCommand(c: Client, argv: string[]): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  c.reply.double(digest.size() > 0 ? digest.min : NaN);
}

export const tdigestMinSpec: CommandSpec = {
  name: 'tdigest.min',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns the minimum observation value from a t-digest sketch',
  since: '2.4.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: tdigestMinCommand,
};

/** TDIGEST.MAX key: the largest observation, nan when empty. */
function tdigestMaxCommand(c: Client, argv: string[]): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  c.reply.double(digest.size() > 0 ? digest.max : NaN);
}

export const tdigestMaxSpec: CommandSpec = {
  name: 'tdigest.max',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns the maximum observation value from a t-digest sketch',
  since: '2.4.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: tdigestMaxCommand,
};

// ---- QUANTILE, CDF -----------------------------------------------------------------

/**
 * TDIGEST.QUANTILE key quantile [quantile ...]
 *
 * Answers in the order asked; each ascending run of quantiles is estimated
 * in one walk over the centroids, as td_quantiles does.
 */
function tdigestQuantileCommand(c: Client, argv: string[]): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  const quantiles: number[] = [];
  for (let i = 2; i < argv.length; i++) {
    const q = parseDouble(argv[i]!);
    if (q === null) {
      c.reply.error(errors.tdigestParseQuantile);
      return;
    }
    if (q < 0 || q > 1) {
      c.reply.error(errors.tdigestQuantileRange);
      return;
    }
    quantiles.push(q);
  }
  const values: number[] = [];
  for (let i = 0; i < quantiles.length; i++) {
    const runStart = i;
    while (i < quantiles.length - 1 && quantiles[i]! <= quantiles[i + 1]!) i++;
    values.push(...digest.quantilesAscending(quantiles.slice(runStart, i + 1)));
  }
  c.reply.arrayHeader(values.length);
  for (const value of values) c.reply.double(value);
}

export const tdigestQuantileSpec: CommandSpec = {
  name: 'tdigest.quantile',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns, for each input fraction, an estimation of the value (floating point) that is smaller than the given fraction of observations',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of quantiles specified.',
  syntax: 'key quantile:double [quantile:double ...]',
  handler: tdigestQuantileCommand,
};

/** TDIGEST.CDF key value [value ...]: the estimated fraction of observations <= each value. */
function tdigestCdfCommand(c: Client, argv: string[]): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  const values = parseDoubles(c, argv, 2, errors.tdigestParseCdf);
  if (values === null) return;
  c.reply.arrayHeader(values.length);
  for (const value of values) c.reply.double(digest.cdf(value));
}

export const tdigestCdfSpec: CommandSpec = {
  name: 'tdigest.cdf',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns, for each input value, an estimation of the fraction (floating-point) of (observations smaller than the given value + half the observations equal to the given value)',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of values specified.',
  syntax: 'key value:double [value:double ...]',
  handler: tdigestCdfCommand,
};

// ---- RANK, REVRANK, BYRANK, BYREVRANK -----------------------------------------------

/** C's round(): halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** _halfRoundDown: halves toward zero, everything else to the nearest integer. */
function halfRoundDown(x: number): number {
  const intPart = Math.trunc(x);
  const frac = x - intPart;
  if (Math.abs(frac) <= 0.5) return intPart;
  return intPart >= 0 ? intPart + 1 : intPart - 1;
}

/**
 * _TDigest_Rank: for each value, the estimated number of observations below
 * it (RANK) or above it (REVRANK), plus half those equal; -1 past the
 * observed range on the near side, the count on the far side, -2 when empty.
 */
function tdigestRankGeneric(c: Client, argv: string[], reverse: boolean): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  const values = parseDoubles(c, argv, 2, errors.tdigestParseValue);
  if (values === null) return;
  const size = digest.size();
  const { min, max } = digest;
  c.reply.arrayHeader(values.length);
  for (const value of values) {
    let rank: number;
    if (size === 0) rank = -2;
    else if (value < min) rank = reverse ? size : -1;
    else if (value > max) rank = reverse ? -1 : size;
    else {
      const absolute = digest.cdf(value) * size;
      rank = reverse ? roundHalfAway(size - roundHalfAway(absolute)) : halfRoundDown(absolute);
    }
    c.reply.integer(Math.trunc(rank));
  }
}

function tdigestRankCommand(c: Client, argv: string[]): void {
  tdigestRankGeneric(c, argv, false);
}

export const tdigestRankSpec: CommandSpec = {
  name: 'tdigest.rank',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns, for each input value (floating-point), the estimated rank of the value (the number of observations in the sketch that are smaller than the value + half the number of observations that are equal to the value)',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of values specified.',
  syntax: 'key value:double [value:double ...]',
  handler: tdigestRankCommand,
};

function tdigestRevrankCommand(c: Client, argv: string[]): void {
  tdigestRankGeneric(c, argv, true);
}

export const tdigestRevrankSpec: CommandSpec = {
  name: 'tdigest.revrank',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns, for each input value (floating-point), the estimated reverse rank of the value (the number of observations in the sketch that are larger than the value + half the number of observations that are equal to the value)',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of values specified.',
  syntax: 'key value:double [value:double ...]',
  handler: tdigestRevrankCommand,
};

/**
 * _TDigest_ByRank: for each rank, the estimated value with that rank (from
 * the smallest, or with BYREVRANK from the largest): the extreme itself for
 * rank 0, ±inf at or past the count, nan when empty.
 */
function tdigestByRankGeneric(c: Client, argv: string[], reverse: boolean): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  const ranks: number[] = [];
  for (let i = 2; i < argv.length; i++) {
    const rank = parseInteger(argv[i]!);
    if (rank === null) {
      c.reply.error(errors.tdigestParseRank);
      return;
    }
    if (rank < 0) {
      c.reply.error(errors.tdigestRankNegative);
      return;
    }
    ranks.push(rank);
  }
  const size = digest.size();
  const { min, max } = digest;
  c.reply.arrayHeader(ranks.length);
  for (const rank of ranks) {
    let value: number;
    if (size === 0) value = NaN;
    else if (rank === 0) value = reverse ? max : min;
    else if (rank >= size) value = reverse ? -Infinity : Infinity;
    else value = digest.quantile((reverse ? size - rank - 1 : rank) / size);
    c.reply.double(value);
  }
}

function tdigestByrankCommand(c: Client, argv: string[]): void {
  tdigestByRankGeneric(c, argv, false);
}

export const tdigestByrankSpec: CommandSpec = {
  name: 'tdigest.byrank',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns, for each input rank, an estimation of the value (floating-point) with that rank',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of ranks specified.',
  syntax: 'key rank:integer [rank:integer ...]',
  handler: tdigestByrankCommand,
};

function tdigestByrevrankCommand(c: Client, argv: string[]): void {
  tdigestByRankGeneric(c, argv, true);
}

export const tdigestByrevrankSpec: CommandSpec = {
  name: 'tdigest.byrevrank',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns, for each input reverse rank, an estimation of the value (floating-point) with that reverse rank',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of reverse ranks specified.',
  syntax: 'key reverse_rank:integer [reverse_rank:integer ...]',
  handler: tdigestByrevrankCommand,
};

// ---- TRIMMED_MEAN, INFO ----------------------------------------------------------------

/** TDIGEST.TRIMMED_MEAN key low_cut_quantile high_cut_quantile */
function tdigestTrimmedMeanCommand(c: Client, argv: string[]): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  const low = parseDouble(argv[2]!);
  if (low === null) {
    c.reply.error(errors.tdigestParseLowCut);
    return;
  }
  const high = parseDouble(argv[3]!);
  if (high === null) {
    c.reply.error(errors.tdigestParseHighCut);
    return;
  }
  if (low < 0 || low > 1 || high < 0 || high > 1) {
    c.reply.error(errors.tdigestCutRange);
    return;
  }
  if (low >= high) {
    c.reply.error(errors.tdigestCutOrder);
    return;
  }
  c.reply.double(digest.trimmedMean(low, high));
}

export const tdigestTrimmedMeanSpec: CommandSpec = {
  name: 'tdigest.trimmed_mean',
  arity: 4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns an estimation of the mean value from the sketch, excluding observation values outside the low and high cutoff quantiles',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of centroids',
  syntax: 'key low_cut_quantile:double high_cut_quantile:double',
  handler: tdigestTrimmedMeanCommand,
};

/** TDIGEST.INFO key: nine fields, a map in RESP3 and a flat array in RESP2. */
function tdigestInfoCommand(c: Client, argv: string[]): void {
  const digest = getDigest(c, argv[1]!, false);
  if (digest === null) return;
  const info = digest.info();
  c.reply.mapHeader(9);
  c.reply.simple('Compression');
  c.reply.integer(info.compression);
  c.reply.simple('Capacity');
  c.reply.integer(info.capacity);
  c.reply.simple('Merged nodes');
  c.reply.integer(info.mergedNodes);
  c.reply.simple('Unmerged nodes');
  c.reply.integer(info.unmergedNodes);
  c.reply.simple('Merged weight');
  c.reply.integer(info.mergedWeight);
  c.reply.simple('Unmerged weight');
  c.reply.integer(info.unmergedWeight);
  c.reply.simple('Observations');
  c.reply.integer(info.mergedWeight + info.unmergedWeight);
  c.reply.simple('Total compressions');
  c.reply.integer(info.totalCompressions);
  c.reply.simple('Memory usage');
  c.reply.integer(info.memoryUsage);
}

export const tdigestInfoSpec: CommandSpec = {
  name: 'tdigest.info',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'tdigest',
  summary: 'Returns information and statistics about a t-digest sketch',
  since: '2.4.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: tdigestInfoCommand,
};

export const tdigestCommands: readonly CommandSpec[] = [
  tdigestCreateSpec,
  tdigestResetSpec,
  tdigestAddSpec,
  tdigestMergeSpec,
  tdigestMinSpec,
  tdigestMaxSpec,
  tdigestQuantileSpec,
  tdigestCdfSpec,
  tdigestRankSpec,
  tdigestRevrankSpec,
  tdigestByrankSpec,
  tdigestByrevrankSpec,
  tdigestTrimmedMeanSpec,
  tdigestInfoSpec,
];
