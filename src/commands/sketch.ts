/**
 * Count-min sketch and top-k commands (RedisBloom's rm_cms.c and
 * rm_topk.c): CMS.INITBYDIM, CMS.INITBYPROB, CMS.INCRBY, CMS.QUERY,
 * CMS.MERGE, CMS.INFO; TOPK.RESERVE, TOPK.ADD, TOPK.INCRBY, TOPK.QUERY,
 * TOPK.COUNT, TOPK.LIST, TOPK.INFO.
 *
 * As in RedisBloom, the key is looked up before the other arguments are
 * parsed (TOPK.LIST's WITHCOUNT is the one exception), so a missing key wins
 * over a bad argument; the errors start "CMS: " or "TopK: ".
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client } from './types.js';
import { CMS_CELL_MAX, CountMinSketch, ProbabilisticError, TopK } from '../store/probabilistic/index.js';
import { parseDouble, parseInteger } from '../text/numbers.js';
import { argIndex, signalPartialWrite } from './cuckoo.js';
import type { CommandSpec } from './types.js';

const cmsErrors = {
  keyExists: 'CMS: key already exists',
  noKey: 'CMS: key does not exist',
  invalidWidth: 'CMS: invalid width',
  invalidDepth: 'CMS: invalid depth',
  invalidOverestimation: 'CMS: invalid overestimation value',
  invalidProbability: 'CMS: invalid prob value',
  invalidInit: 'CMS: invalid init arguments',
  cannotParseNumber: 'CMS: Cannot parse number',
  negativeNumber: 'CMS: Number cannot be negative',
  incrbyOverflow: 'CMS: INCRBY overflow',
  invalidNumkeys: 'CMS: invalid numkeys',
  numkeysNotPositive: 'CMS: Number of keys must be positive',
  wrongNumberOfKeys: 'CMS: wrong number of keys',
  wrongNumberOfKeysWeights: 'CMS: wrong number of keys/weights',
  invalidWeight: 'CMS: invalid weight value',
  dimensionsDiffer: 'CMS: width/depth is not equal',
} as const;

// TOPK.INCRBY's largest increment.
const TOPK_MAX_INCREMENT = 100_000;
const UINT32_MAX = 0xffffffff;

const topkErrors = {
  keyExists: 'TopK: key already exists',
  noKey: 'TopK: key does not exist',
  invalidK: 'TopK: invalid k',
  invalidWidth: 'TopK: invalid width',
  invalidDepth: 'TopK: invalid depth',
  invalidDecay: "TopK: invalid decay value. must be '<= 1' & '> 0'",
  noMemory: 'ERR Insufficient memory to create topk data structure',
  // rm_topk.c breaks this literal with a backslash-newline inside the quotes,
  // so the next line's indentation (28 spaces in all) is part of the text.
  badIncrement: 'TopK: increment must be an integer greater or equal to 0' + ' '.repeat(28) + 'and smaller or equal to 100,000',
  withCountExpected: 'WITHCOUNT keyword expected',
} as const;

// ---- lookups -----------------------------------------------------------------

/** GetCMSKey: the sketch under `key`, or null after replying the error. */
function getSketch(c: Client, key: string, write: boolean): CountMinSketch | null {
  const entry = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (entry === undefined) {
    c.reply.error(cmsErrors.noKey);
    return null;
  }
  if (!(entry instanceof CountMinSketch)) {
    c.reply.error(errors.wrongType);
    return null;
  }
  return entry;
}

/** GetTopKKey: the top-k under `key`, or null after replying the error. */
function getTopK(c: Client, key: string, write: boolean): TopK | null {
  const entry = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (entry === undefined) {
    c.reply.error(topkErrors.noKey);
    return null;
  }
  if (!(entry instanceof TopK)) {
    c.reply.error(errors.wrongType);
    return null;
  }
  return entry;
}

/** Runs `create`, replying its ProbabilisticError's text instead of throwing. */
function tryCreate<T>(c: Client, create: () => T): T | null {
  try {
    return create();
  } catch (e) {
    if (!(e instanceof ProbabilisticError)) throw e;
    c.reply.error(e.message);
    return null;
  }
}

// ---- CMS.INITBYDIM, CMS.INITBYPROB ---------------------------------------------

/**
 * CMS.INITBYDIM key width depth / CMS.INITBYPROB key error probability.
 * Any existing key, whatever its type, is "CMS: key already exists".
 */
function cmsCreateCommand(byProbability: boolean) {
  return (c: Client, argv: string[]): void => {
    const key = argv[1]!;
    if (c.db.lookupWrite(key) !== undefined) {
      c.reply.error(cmsErrors.keyExists);
      return;
    }
    let sketch: CountMinSketch | null;
    if (byProbability) {
      const error = parseDouble(argv[2]!);
      if (error === null || error <= 0 || error >= 1) {
        c.reply.error(cmsErrors.invalidOverestimation);
        return;
      }
      const probability = parseDouble(argv[3]!);
      if (probability === null || probability <= 0 || probability >= 1) {
        c.reply.error(cmsErrors.invalidProbability);
        return;
      }
      sketch = tryCreate(c, () => CountMinSketch.initByProb(error, probability));
    } else {
      const width = parseInteger(argv[2]!);
      if (width === null || width < 1) {
        c.reply.error(cmsErrors.invalidWidth);
        return;
      }
      const depth = parseInteger(argv[3]!);
      if (depth === null || depth < 1) {
        c.reply.error(cmsErrors.invalidDepth);
        return;
      }
      if (!Number.isSafeInteger(width * depth)) {
        c.reply.error(cmsErrors.invalidInit);
        return;
      }
      sketch = tryCreate(c, () => CountMinSketch.initByDim(width, depth));
    }
    if (sketch === null) return;
    c.db.add(key, sketch);
    c.reply.raw(shared.ok);
  };
}

// ---- CMS.INCRBY, CMS.QUERY ------------------------------------------------------

/**
 * CMS.INCRBY key item increment [item increment ...]: every increment is
 * checked before any is applied. A counter that saturates at 2^32 - 1
 * answers "CMS: INCRBY overflow" in its place of the array.
 */
function cmsIncrBy(c: Client, argv: string[]): void {
  if (argv.length % 2 === 1) {
    c.reply.error(wrongArity('cms.incrby'));
    return;
  }
  const key = argv[1]!;
  const sketch = getSketch(c, key, true);
  if (sketch === null) return;
  const increments: number[] = [];
  for (let i = 3; i < argv.length; i += 2) {
    const increment = parseInteger(argv[i]!);
    if (increment === null) {
      c.reply.error(cmsErrors.cannotParseNumber);
      return;
    }
    if (increment < 0) {
      c.reply.error(cmsErrors.negativeNumber);
      return;
    }
    increments.push(increment);
  }
  c.reply.arrayHeader(increments.length);
  let overflowed = false;
  for (let i = 0; i < increments.length; i++) {
    const estimate = sketch.incrBy(argv[2 + i * 2]!, increments[i]!);
    if (estimate === CMS_CELL_MAX) {
      c.reply.error(cmsErrors.incrbyOverflow);
      overflowed = true;
    } else {
      c.reply.integer(estimate);
    }
  }
  if (overflowed) signalPartialWrite(c, key);
}

/** CMS.QUERY key item [item ...] */
function cmsQuery(c: Client, argv: string[]): void {
  const sketch = getSketch(c, argv[1]!, false);
  if (sketch === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.integer(sketch.query(argv[i]!));
}

// ---- CMS.MERGE -------------------------------------------------------------------

/**
 * CMS.MERGE destination numkeys source [source ...] [WEIGHTS weight ...].
 * The destination must already exist with the sources' dimensions; it may
 * be one of the sources.
 */
function cmsMerge(c: Client, argv: string[]): void {
  const destination = getSketch(c, argv[1]!, true);
  if (destination === null) return;
  const numKeys = parseInteger(argv[2]!);
  if (numKeys === null) {
    c.reply.error(cmsErrors.invalidNumkeys);
    return;
  }
  if (numKeys <= 0) {
    c.reply.error(cmsErrors.numkeysNotPositive);
    return;
  }
  // parseMergeArgs counts from the first source: WEIGHTS must come right
  // after numkeys sources and be followed by exactly numkeys weights.
  const rest = argv.length - 3;
  const weightsAt = argIndex(argv, 'weights', 3);
  if (weightsAt === -1) {
    if (numKeys !== rest) {
      c.reply.error(cmsErrors.wrongNumberOfKeys);
      return;
    }
  } else if (weightsAt - 3 !== numKeys || rest !== 1 + numKeys * 2) {
    c.reply.error(cmsErrors.wrongNumberOfKeysWeights);
    return;
  }
  const sources: CountMinSketch[] = [];
  const weights: number[] = [];
  for (let i = 0; i < numKeys; i++) {
    const weight = weightsAt === -1 ? 1 : parseInteger(argv[weightsAt + 1 + i]!);
    if (weight === null) {
      c.reply.error(cmsErrors.invalidWeight);
      return;
    }
    const source = getSketch(c, argv[3 + i]!, false);
    if (source === null) return;
    if (source.width !== destination.width || source.depth !== destination.depth) {
      c.reply.error(cmsErrors.dimensionsDiffer);
      return;
    }
    sources.push(source);
    weights.push(weight);
  }
  if (tryCreate(c, () => destination.merge(sources, weights)) === null) return;
  c.reply.raw(shared.ok);
}

/** CMS.MERGE's keys: the destination, then numkeys sources when numkeys is valid. */
function cmsMergeKeys(argv: readonly string[]): number[] {
  const positions = [1];
  const numKeys = parseInteger(argv[2] ?? '');
  if (numKeys === null || numKeys <= 0) return positions;
  for (let i = 3; i < 3 + numKeys && i < argv.length; i++) positions.push(i);
  return positions;
}

// ---- CMS.INFO ----------------------------------------------------------------------

/** CMS.INFO key: width, depth and the total count, as a map (a flat array in RESP2). */
function cmsInfo(c: Client, argv: string[]): void {
  const sketch = getSketch(c, argv[1]!, false);
  if (sketch === null) return;
  const info = sketch.info();
  c.reply.mapHeader(3);
  c.reply.simple('width');
  c.reply.integer(info.width);
  c.reply.simple('depth');
  c.reply.integer(info.depth);
  c.reply.simple('count');
  c.reply.integer(info.count);
}

// ---- TOPK.RESERVE ------------------------------------------------------------------

/**
 * TOPK.RESERVE key topk [width depth decay]; without the three, width 8,
 * depth 7 and decay 0.9. Any existing key is "TopK: key already exists".
 */
function topkReserve(c: Client, argv: string[]): void {
  if (argv.length !== 3 && argv.length !== 6) {
    c.reply.error(wrongArity('topk.reserve'));
    return;
  }
  const key = argv[1]!;
  if (c.db.lookupWrite(key) !== undefined) {
    c.reply.error(topkErrors.keyExists);
    return;
  }
  const k = parseInteger(argv[2]!);
  if (k === null || k < 1) {
    c.reply.error(topkErrors.invalidK);
    return;
  }
  let width = 8;
  let depth = 7;
  let decay = 0.9;
  if (argv.length === 6) {
    const w = parseInteger(argv[3]!);
    if (w === null || w < 1 || w > UINT32_MAX) {
      c.reply.error(topkErrors.invalidWidth);
      return;
    }
    const d = parseInteger(argv[4]!);
    if (d === null || d < 1 || d > UINT32_MAX) {
      c.reply.error(topkErrors.invalidDepth);
      return;
    }
    const dc = parseDouble(argv[5]!);
    if (dc === null || dc <= 0 || dc > 1) {
      c.reply.error(topkErrors.invalidDecay);
      return;
    }
    [width, depth, decay] = [w, d, dc];
  }
  if (k > UINT32_MAX || !Number.isSafeInteger(width * depth)) {
    c.reply.error(topkErrors.noMemory);
    return;
  }
  const topk = tryCreate(c, () => TopK.reserve(k, width, depth, decay));
  if (topk === null) return;
  c.db.add(key, topk);
  c.reply.raw(shared.ok);
}

// ---- TOPK.ADD, TOPK.INCRBY -----------------------------------------------------------

/** TOPK.ADD key item [item ...]: for each item, the item it pushed out of the list, or nil. */
function topkAdd(c: Client, argv: string[]): void {
  const topk = getTopK(c, argv[1]!, true);
  if (topk === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bulkOrNull(topk.add(argv[i]!));
}

/**
 * TOPK.INCRBY key item increment [item increment ...]. A bad increment
 * answers an error in its place; RedisBloom stops writing the array there,
 * leaving a reply shorter than announced, so here the remaining pairs are
 * applied and answered instead.
 */
function topkIncrBy(c: Client, argv: string[]): void {
  if (argv.length % 2 === 1) {
    c.reply.error(wrongArity('topk.incrby'));
    return;
  }
  const key = argv[1]!;
  const topk = getTopK(c, key, true);
  if (topk === null) return;
  c.reply.arrayHeader((argv.length - 2) / 2);
  let failed = false;
  let applied = false;
  for (let i = 2; i < argv.length; i += 2) {
    const increment = parseInteger(argv[i + 1]!);
    if (increment === null || increment < 0 || increment > TOPK_MAX_INCREMENT) {
      c.reply.error(topkErrors.badIncrement);
      failed = true;
      continue;
    }
    c.reply.bulkOrNull(topk.incrBy(argv[i]!, increment));
    applied = true;
  }
  if (failed && applied) signalPartialWrite(c, key);
}

// ---- TOPK.QUERY, TOPK.COUNT, TOPK.LIST, TOPK.INFO ------------------------------------

/** TOPK.QUERY key item [item ...]: whether each item is in the list. */
function topkQuery(c: Client, argv: string[]): void {
  const topk = getTopK(c, argv[1]!, false);
  if (topk === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bool(topk.query(argv[i]!));
}

/** TOPK.COUNT key item [item ...]: each item's estimate (deprecated in RedisBloom 2.4). */
function topkCount(c: Client, argv: string[]): void {
  const topk = getTopK(c, argv[1]!, false);
  if (topk === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.integer(topk.count(argv[i]!));
}

/**
 * TOPK.LIST key [WITHCOUNT]: the listed items, highest count first. The
 * option is compared with strncasecmp over its own length, so any prefix of
 * WITHCOUNT, even an empty one, is accepted; it is checked before the key.
 */
function topkList(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(wrongArity('topk.list'));
    return;
  }
  const withCount = argv.length === 3;
  if (withCount && !'withcount'.startsWith(argv[2]!.toLowerCase())) {
    c.reply.error(topkErrors.withCountExpected);
    return;
  }
  const topk = getTopK(c, argv[1]!, false);
  if (topk === null) return;
  const entries = topk.listWithCount();
  c.reply.arrayHeader(withCount ? entries.length * 2 : entries.length);
  for (const entry of entries) {
    c.reply.bulk(entry.item);
    if (withCount) c.reply.integer(entry.count);
  }
}

/** TOPK.INFO key: k, width, depth and decay (a double), as a map (a flat array in RESP2). */
function topkInfo(c: Client, argv: string[]): void {
  const topk = getTopK(c, argv[1]!, false);
  if (topk === null) return;
  const info = topk.info();
  c.reply.mapHeader(4);
  c.reply.simple('k');
  c.reply.integer(info.k);
  c.reply.simple('width');
  c.reply.integer(info.width);
  c.reply.simple('depth');
  c.reply.integer(info.depth);
  c.reply.simple('decay');
  c.reply.double(info.decay);
}

// ---- the table -------------------------------------------------------------------

type SketchSpec = Pick<CommandSpec, 'name' | 'arity' | 'summary' | 'complexity' | 'syntax' | 'handler' | 'keys'> & {
  write: boolean;
};

/**
 * RMUtil_RegisterWriteDenyOOMCmd / RMUtil_RegisterReadCmd: "write deny-oom"
 * or plain "readonly" (no "fast"); the group is the name's prefix.
 */
function sketchSpec({ write, ...spec }: SketchSpec): CommandSpec {
  const flags: CommandSpec['flags'] = write ? ['write', 'denyoom'] : ['readonly'];
  const group = spec.name.startsWith('cms.') ? 'cms' : 'topk';
  return { ...spec, flags, firstKey: 1, lastKey: 1, keyStep: 1, group, since: '2.0.0' };
}

const itemsComplexity = 'O(n) where n is the number of items';
const infoSummary = 'Returns information about a sketch';

export const cmsCommands: readonly CommandSpec[] = [
  sketchSpec({
    name: 'cms.initbydim',
    arity: 4,
    write: true,
    summary: 'Initializes a Count-Min Sketch to dimensions specified by user',
    complexity: 'O(1)',
    syntax: 'key width:integer depth:integer',
    handler: cmsCreateCommand(false),
  }),
  sketchSpec({
    name: 'cms.initbyprob',
    arity: 4,
    write: true,
    summary: 'Initializes a Count-Min Sketch to accommodate requested tolerances.',
    complexity: 'O(1)',
    syntax: 'key error:double probability:double',
    handler: cmsCreateCommand(true),
  }),
  sketchSpec({
    name: 'cms.incrby',
    arity: -4,
    write: true,
    summary: 'Increases the count of one or more items by increment',
    complexity: itemsComplexity,
    syntax: 'key item increment:integer [item increment:integer ...]',
    handler: cmsIncrBy,
  }),
  sketchSpec({
    name: 'cms.query',
    arity: -3,
    write: false,
    summary: 'Returns the count for one or more items in a sketch',
    complexity: itemsComplexity,
    syntax: 'key item [item ...]',
    handler: cmsQuery,
  }),
  sketchSpec({
    name: 'cms.merge',
    arity: -4,
    write: true,
    summary: 'Merges several sketches into one sketch',
    complexity: 'O(n) where n is the number of sketches',
    syntax: 'destination:key numkeys:integer source:key [source:key ...] [WEIGHTS weight:integer [weight:integer ...]]',
    keys: cmsMergeKeys,
    handler: cmsMerge,
  }),
  sketchSpec({
    name: 'cms.info',
    arity: 2,
    write: false,
    summary: infoSummary,
    complexity: 'O(1)',
    syntax: 'key',
    handler: cmsInfo,
  }),
];

export const topkCommands: readonly CommandSpec[] = [
  sketchSpec({
    name: 'topk.reserve',
    arity: -3,
    write: true,
    summary: 'Initializes a TopK with specified parameters',
    complexity: 'O(1)',
    syntax: 'key topk:integer [width:integer depth:integer decay:double]',
    handler: topkReserve,
  }),
  sketchSpec({
    name: 'topk.add',
    arity: -3,
    write: true,
    summary: 'Increases the count of one or more items by increment',
    complexity: 'O(n * k) where n is the number of items and k is the depth',
    syntax: 'key item [item ...]',
    handler: topkAdd,
  }),
  sketchSpec({
    name: 'topk.incrby',
    arity: -4,
    write: true,
    summary: 'Increases the count of one or more items by increment',
    complexity: 'O(n * k * incr) where n is the number of items, k is the depth and incr is the increment',
    syntax: 'key item increment:integer [item increment:integer ...]',
    handler: topkIncrBy,
  }),
  sketchSpec({
    name: 'topk.query',
    arity: -3,
    write: false,
    summary: 'Checks whether one or more items are in a sketch',
    complexity: itemsComplexity,
    syntax: 'key item [item ...]',
    handler: topkQuery,
  }),
  // RedisBloom registers TOPK.COUNT as a write command although it only reads.
  sketchSpec({
    name: 'topk.count',
    arity: -3,
    write: false,
    summary: 'Return the count for one or more items are in a sketch',
    complexity: itemsComplexity,
    syntax: 'key item [item ...]',
    handler: topkCount,
  }),
  sketchSpec({
    name: 'topk.list',
    arity: -2,
    write: false,
    summary: 'Return full list of items in Top K list',
    complexity: 'O(k*log(k)) where k is the value of top-k',
    syntax: 'key [WITHCOUNT]',
    handler: topkList,
  }),
  sketchSpec({
    name: 'topk.info',
    arity: 2,
    write: false,
    summary: infoSummary,
    complexity: 'O(1)',
    syntax: 'key',
    handler: topkInfo,
  }),
];
