/**
 * Top-k commands (RedisBloom's rm_topk.c): TOPK.RESERVE, TOPK.ADD,
 * TOPK.INCRBY, TOPK.QUERY, TOPK.COUNT, TOPK.LIST, TOPK.INFO.
 *
 * As in RedisBloom, the key is looked up before the other arguments are
 * parsed (TOPK.LIST's WITHCOUNT is the one exception), so a missing key wins
 * over a bad argument; the errors start "TopK: " (errors.ts). Each
 * command's spec follows its handler. RMUtil_RegisterWriteDenyOOMCmd /
 * RMUtil_RegisterReadCmd register them "write deny-oom" or plain "readonly"
 * (no "fast").
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { TopK } from '../store/probabilistic/index.js';
import { parseDouble, parseInteger } from '../text/numbers.js';
import { createOrReply } from './redisbloom.js';
import { signalPartialWrite } from './module-writes.js';

// TOPK.INCRBY's largest increment.
const TOPK_MAX_INCREMENT = 100_000;
const UINT32_MAX = 0xffffffff;

const itemsComplexity = 'O(n) where n is the number of items';

/** GetTopKKey: the top-k under `key`, or null after replying the error. */
function getTopK(c: Client, key: string, write: boolean): TopK | null {
  const entry = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (entry === undefined) {
    c.reply.error(errors.topkNoKey);
    return null;
  }
  if (!(entry instanceof TopK)) {
    c.reply.error(errors.wrongType);
    return null;
  }
  return entry;
}

// ---- TOPK.RESERVE ------------------------------------------------------------------

/**
 * TOPK.RESERVE key topk [width depth decay]
 *
 * Without the three, width 8,
 * depth 7 and decay 0.9. Any existing key is "TopK: key already exists".
 */
function topkReserveCommand(c: Client, argv: string[]): void {
  if (argv.length !== 3 && argv.length !== 6) {
    c.reply.error(wrongArity('topk.reserve'));
    return;
  }
  const key = argv[1]!;
  if (c.db.lookupWrite(key) !== undefined) {
    c.reply.error(errors.topkKeyExists);
    return;
  }
  const k = parseInteger(argv[2]!);
  if (k === null || k < 1) {
    c.reply.error(errors.topkInvalidK);
    return;
  }
  let width = 8;
  let depth = 7;
  let decay = 0.9;
  if (argv.length === 6) {
    const w = parseInteger(argv[3]!);
    if (w === null || w < 1 || w > UINT32_MAX) {
      c.reply.error(errors.topkInvalidWidth);
      return;
    }
    const d = parseInteger(argv[4]!);
    if (d === null || d < 1 || d > UINT32_MAX) {
      c.reply.error(errors.topkInvalidDepth);
      return;
    }
    const dc = parseDouble(argv[5]!);
    if (dc === null || dc <= 0 || dc > 1) {
      c.reply.error(errors.topkInvalidDecay);
      return;
    }
    [width, depth, decay] = [w, d, dc];
  }
  if (k > UINT32_MAX || !Number.isSafeInteger(width * depth)) {
    c.reply.error(errors.topkNoMemory);
    return;
  }
  const topk = createOrReply(c, () => TopK.reserve(k, width, depth, decay));
  if (topk === null) return;
  c.db.add(key, topk);
  c.reply.raw(shared.ok);
}

export const topkReserveSpec: CommandSpec = {
  name: 'topk.reserve',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'topk',
  summary: 'Initializes a TopK with specified parameters',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key topk:integer [width:integer depth:integer decay:double]',
  handler: topkReserveCommand,
};

// ---- TOPK.ADD, TOPK.INCRBY -----------------------------------------------------------

/**
 * TOPK.ADD key item [item ...]
 *
 * For each item, the item it pushed out of the list, or nil.
 */
function topkAddCommand(c: Client, argv: string[]): void {
  const topk = getTopK(c, argv[1]!, true);
  if (topk === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bulkOrNull(topk.add(argv[i]!));
}

export const topkAddSpec: CommandSpec = {
  name: 'topk.add',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'topk',
  summary: 'Increases the count of one or more items by increment',
  since: '2.0.0',
  complexity: 'O(n * k) where n is the number of items and k is the depth',
  syntax: 'key item [item ...]',
  handler: topkAddCommand,
};

/**
 * TOPK.INCRBY key item increment [item increment ...]
 *
 * A bad increment
 * answers an error in its place; RedisBloom stops writing the array there,
 * leaving a reply shorter than announced, so here the remaining pairs are
 * applied and answered instead.
 */
function topkIncrbyCommand(c: Client, argv: string[]): void {
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
      c.reply.error(errors.topkBadIncrement);
      failed = true;
      continue;
    }
    c.reply.bulkOrNull(topk.incrBy(argv[i]!, increment));
    applied = true;
  }
  if (failed && applied) signalPartialWrite(c, key);
}

export const topkIncrbySpec: CommandSpec = {
  name: 'topk.incrby',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'topk',
  summary: 'Increases the count of one or more items by increment',
  since: '2.0.0',
  complexity: 
    'O(n * k * incr) where n is the number of items, k is the depth and incr is the increment',
  syntax: 'key item increment:integer [item increment:integer ...]',
  handler: topkIncrbyCommand,
};

// ---- TOPK.QUERY, TOPK.COUNT, TOPK.LIST, TOPK.INFO ------------------------------------

/**
 * TOPK.QUERY key item [item ...]
 *
 * Whether each item is in the list.
 */
function topkQueryCommand(c: Client, argv: string[]): void {
  const topk = getTopK(c, argv[1]!, false);
  if (topk === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bool(topk.query(argv[i]!));
}

export const topkQuerySpec: CommandSpec = {
  name: 'topk.query',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'topk',
  summary: 'Checks whether one or more items are in a sketch',
  since: '2.0.0',
  complexity: itemsComplexity,
  syntax: 'key item [item ...]',
  handler: topkQueryCommand,
};

/**
 * TOPK.COUNT key item [item ...]
 *
 * Each item's estimate (deprecated in RedisBloom 2.4).
 */
function topkCountCommand(c: Client, argv: string[]): void {
  const topk = getTopK(c, argv[1]!, false);
  if (topk === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.integer(topk.count(argv[i]!));
}

// RedisBloom registers TOPK.COUNT as a write command although it only reads.
export const topkCountSpec: CommandSpec = {
  name: 'topk.count',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'topk',
  summary: 'Return the count for one or more items are in a sketch',
  since: '2.0.0',
  complexity: itemsComplexity,
  syntax: 'key item [item ...]',
  handler: topkCountCommand,
};

/**
 * TOPK.LIST key [WITHCOUNT]
 *
 * The listed items, highest count first. The
 * option is compared with strncasecmp over its own length, so any prefix of
 * WITHCOUNT, even an empty one, is accepted; it is checked before the key.
 */
function topkListCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(wrongArity('topk.list'));
    return;
  }
  const withCount = argv.length === 3;
  if (withCount && !'withcount'.startsWith(argv[2]!.toLowerCase())) {
    c.reply.error(errors.topkWithCountExpected);
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

export const topkListSpec: CommandSpec = {
  name: 'topk.list',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'topk',
  summary: 'Return full list of items in Top K list',
  since: '2.0.0',
  complexity: 'O(k*log(k)) where k is the value of top-k',
  syntax: 'key [WITHCOUNT]',
  handler: topkListCommand,
};

/**
 * TOPK.INFO key
 *
 * k, width, depth and decay (a double), as a map (a flat array in RESP2).
 */
function topkInfoCommand(c: Client, argv: string[]): void {
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

export const topkInfoSpec: CommandSpec = {
  name: 'topk.info',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'topk',
  summary: 'Returns information about a sketch',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: topkInfoCommand,
};

export const topkCommands: readonly CommandSpec[] = [
  topkReserveSpec,
  topkAddSpec,
  topkIncrbySpec,
  topkQuerySpec,
  topkCountSpec,
  topkListSpec,
  topkInfoSpec,
];
