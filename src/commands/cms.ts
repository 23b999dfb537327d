/**
 * Count-min sketch commands (RedisBloom's rm_cms.c): CMS.INITBYDIM,
 * CMS.INITBYPROB, CMS.INCRBY, CMS.QUERY, CMS.MERGE, CMS.INFO.
 *
 * As in RedisBloom, the key is looked up before the other arguments are
 * parsed, so a missing key wins over a bad argument; the errors start
 * "CMS: " (errors.ts). Each command's spec follows its handler.
 * RMUtil_RegisterWriteDenyOOMCmd / RMUtil_RegisterReadCmd register them
 * "write deny-oom" or plain "readonly" (no "fast").
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { CMS_CELL_MAX, CountMinSketch } from '../store/probabilistic/index.js';
import { parseDouble, parseInteger } from '../text/numbers.js';
import { argIndex, createOrReply } from './redisbloom.js';
import { signalPartialWrite } from './module-writes.js';

const itemsComplexity = 'O(n) where n is the number of items';

/** GetCMSKey: the sketch under `key`, or null after replying the error. */
function getSketch(c: Client, key: string, write: boolean): CountMinSketch | null {
  const entry = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (entry === undefined) {
    c.reply.error(errors.cmsNoKey);
    return null;
  }
  if (!(entry instanceof CountMinSketch)) {
    c.reply.error(errors.wrongType);
    return null;
  }
  return entry;
}

// ---- CMS.INITBYDIM, CMS.INITBYPROB ---------------------------------------------

/**
 * CMS.INITBYDIM and CMS.INITBYPROB: a new sketch, sized by dimensions or by
 * error and probability. Any existing key, whatever its type, is "CMS: key
 * already exists".
 */
function cmsInitGeneric(c: Client, argv: string[], byProbability: boolean): void {
  const key = argv[1]!;
  if (c.db.lookupWrite(key) !== undefined) {
    c.reply.error(errors.cmsKeyExists);
    return;
  }
  let sketch: CountMinSketch | null;
  if (byProbability) {
    const error = parseDouble(argv[2]!);
    if (error === null || error <= 0 || error >= 1) {
      c.reply.error(errors.cmsInvalidOverestimation);
      return;
    }
    const probability = parseDouble(argv[3]!);
    if (probability === null || probability <= 0 || probability >= 1) {
      c.reply.error(errors.cmsInvalidProbability);
      return;
    }
    sketch = createOrReply(c, () => CountMinSketch.initByProb(error, probability));
  } else {
    const width = parseInteger(argv[2]!);
    if (width === null || width < 1) {
      c.reply.error(errors.cmsInvalidWidth);
      return;
    }
    const depth = parseInteger(argv[3]!);
    if (depth === null || depth < 1) {
      c.reply.error(errors.cmsInvalidDepth);
      return;
    }
    if (!Number.isSafeInteger(width * depth)) {
      c.reply.error(errors.cmsInvalidInit);
      return;
    }
    sketch = createOrReply(c, () => CountMinSketch.initByDim(width, depth));
  }
  if (sketch === null) return;
  c.db.add(key, sketch);
  c.reply.raw(shared.ok);
}

/** CMS.INITBYDIM key width depth */
function cmsInitbydimCommand(c: Client, argv: string[]): void {
  cmsInitGeneric(c, argv, false);
}

export const cmsInitbydimSpec: CommandSpec = {
  name: 'cms.initbydim',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cms',
  summary: 'Initializes a Count-Min Sketch to dimensions specified by user',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key width:integer depth:integer',
  handler: cmsInitbydimCommand,
};

/** CMS.INITBYPROB key error probability */
function cmsInitbyprobCommand(c: Client, argv: string[]): void {
  cmsInitGeneric(c, argv, true);
}

export const cmsInitbyprobSpec: CommandSpec = {
  name: 'cms.initbyprob',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cms',
  summary: 'Initializes a Count-Min Sketch to accommodate requested tolerances.',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key error:double probability:double',
  handler: cmsInitbyprobCommand,
};

// ---- CMS.INCRBY, CMS.QUERY ------------------------------------------------------

/**
 * CMS.INCRBY key item increment [item increment ...]
 *
 * Every increment is checked before any is applied. A counter that saturates at 2^32 - 1
 * answers "CMS: INCRBY overflow" in its place of the array.
 */
function cmsIncrbyCommand(c: Client, argv: string[]): void {
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
      c.reply.error(errors.cmsCannotParseNumber);
      return;
    }
    if (increment < 0) {
      c.reply.error(errors.cmsNegativeNumber);
      return;
    }
    increments.push(increment);
  }
  c.reply.arrayHeader(increments.length);
  let overflowed = false;
  for (let i = 0; i < increments.length; i++) {
    const estimate = sketch.incrBy(argv[2 + i * 2]!, increments[i]!);
    if (estimate === CMS_CELL_MAX) {
      c.reply.error(errors.cmsIncrbyOverflow);
      overflowed = true;
    } else {
      c.reply.integer(estimate);
    }
  }
  if (overflowed) signalPartialWrite(c, key);
}

export const cmsIncrbySpec: CommandSpec = {
  name: 'cms.incrby',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cms',
  summary: 'Increases the count of one or more items by increment',
  since: '2.0.0',
  complexity: itemsComplexity,
  syntax: 'key item increment:integer [item increment:integer ...]',
  handler: cmsIncrbyCommand,
};

/** CMS.QUERY key item [item ...] */
function cmsQueryCommand(c: Client, argv: string[]): void {
  const sketch = getSketch(c, argv[1]!, false);
  if (sketch === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.integer(sketch.query(argv[i]!));
}

export const cmsQuerySpec: CommandSpec = {
  name: 'cms.query',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cms',
  summary: 'Returns the count for one or more items in a sketch',
  since: '2.0.0',
  complexity: itemsComplexity,
  syntax: 'key item [item ...]',
  handler: cmsQueryCommand,
};

// ---- CMS.MERGE -------------------------------------------------------------------

/** CMS.MERGE's keys: the destination, then numkeys sources when numkeys is valid. */
function cmsMergeKeys(argv: readonly string[]): number[] {
  const positions = [1];
  const numKeys = parseInteger(argv[2] ?? '');
  if (numKeys === null || numKeys <= 0) return positions;
  for (let i = 3; i < 3 + numKeys && i < argv.length; i++) positions.push(i);
  return positions;
}

/**
 * CMS.MERGE destination numkeys source [source ...] [WEIGHTS weight [weight ...]]
 *
 * The destination must already exist with the sources' dimensions; it may
 * be one of the sources.
 */
function cmsMergeCommand(c: Client, argv: string[]): void {
  const destination = getSketch(c, argv[1]!, true);
  if (destination === null) return;
  const numKeys = parseInteger(argv[2]!);
  if (numKeys === null) {
    c.reply.error(errors.cmsInvalidNumkeys);
    return;
  }
  if (numKeys <= 0) {
    c.reply.error(errors.cmsNumkeysNotPositive);
    return;
  }
  // parseMergeArgs counts from the first source: WEIGHTS must come right
  // after numkeys sources and be followed by exactly numkeys weights.
  const rest = argv.length - 3;
  const weightsAt = argIndex(argv, 'weights', 3);
  if (weightsAt === -1) {
    if (numKeys !== rest) {
      c.reply.error(errors.cmsWrongNumberOfKeys);
      return;
    }
  } else if (weightsAt - 3 !== numKeys || rest !== 1 + numKeys * 2) {
    c.reply.error(errors.cmsWrongNumberOfKeysWeights);
    return;
  }
  const sources: CountMinSketch[] = [];
  const weights: number[] = [];
  for (let i = 0; i < numKeys; i++) {
    const weight = weightsAt === -1 ? 1 : parseInteger(argv[weightsAt + 1 + i]!);
    if (weight === null) {
      c.reply.error(errors.cmsInvalidWeight);
      return;
    }
    const source = getSketch(c, argv[3 + i]!, false);
    if (source === null) return;
    if (source.width !== destination.width || source.depth !== destination.depth) {
      c.reply.error(errors.cmsDimensionsDiffer);
      return;
    }
    sources.push(source);
    weights.push(weight);
  }
  if (createOrReply(c, () => destination.merge(sources, weights)) === null) return;
  c.reply.raw(shared.ok);
}

export const cmsMergeSpec: CommandSpec = {
  name: 'cms.merge',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cms',
  summary: 'Merges several sketches into one sketch',
  since: '2.0.0',
  complexity: 'O(n) where n is the number of sketches',
  syntax: 
    'destination:key numkeys:integer source:key [source:key ...] [WEIGHTS weight:integer [weight:integer ...]]',
  keys: cmsMergeKeys,
  handler: cmsMergeCommand,
};

// ---- CMS.INFO ----------------------------------------------------------------------

/**
 * CMS.INFO key
 *
 * Width, depth and the total count, as a map (a flat array in RESP2).
 */
function cmsInfoCommand(c: Client, argv: string[]): void {
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

export const cmsInfoSpec: CommandSpec = {
  name: 'cms.info',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cms',
  summary: 'Returns information about a sketch',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: cmsInfoCommand,
};

export const cmsCommands: readonly CommandSpec[] = [
  cmsInitbydimSpec,
  cmsInitbyprobSpec,
  cmsIncrbySpec,
  cmsQuerySpec,
  cmsMergeSpec,
  cmsInfoSpec,
];
