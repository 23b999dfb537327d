/**
 * Set algebra over sorted sets (Redis's t_zset.c), each command with its
 * spec: ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, all
 * through zunionInterDiffGenericCommand. Plain sets are accepted as inputs, each
 * member with a score of 1, as Redis accepts them.
 */
import { errors } from '../errors.js';
import type { Client, CommandSpec } from './types.js';
import { RedisSet } from '../store/set.js';
import { SortedSet } from '../store/zset.js';
import { parseDouble, parseInteger } from '../text/numbers.js';
import { readInteger, lowercaseCString } from './parse.js';

import { numkeysPositions } from './zset-keys.js';
import { replyEntries, storeResult, type ZsetStoreEvent } from './zset-results.js';

const INTER_COMPLEXITY =
  'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.';
const DIFF_COMPLEXITY =
  'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.';

const enum SetOp {
  Union,
  Inter,
  Diff,
}

const enum Aggregate {
  Sum,
  Min,
  Max,
}

/** zsetopsrc: one input, null for a missing key (an empty set). */
interface OpSource {
  value: SortedSet | RedisSet | null;
  weight: number;
}

function sourceLength(src: OpSource): number {
  return src.value === null ? 0 : src.value.size;
}

/** zuiFind: the member's score in the input (1 in a plain set), undefined when absent. */
function sourceScore(src: OpSource, member: string): number | undefined {
  const value = src.value;
  if (value === null) return undefined;
  if (value instanceof SortedSet) return value.score(member);
  return value.has(member) ? 1 : undefined;
}

/** zuiNext over the whole input. The order does not show in any result. */
function forEachSourceEntry(src: OpSource, visit: (member: string, score: number) => void): void {
  const value = src.value;
  if (value === null) return;
  if (value instanceof SortedSet) {
    for (const [member, score] of value.entries()) visit(member, score);
  } else {
    for (const member of value.elements()) visit(member, 1);
  }
}

/**
 * zunionInterAggregate. SUM keeps Redis's convention that +inf + -inf is
 * 0, not NaN; MIN and MAX compare as C does, so a NaN value never wins.
 */
function aggregateScores(target: number, value: number, aggregate: Aggregate): number {
  if (aggregate === Aggregate.Sum) {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (aggregate === Aggregate.Min) return value < target ? value : target;
  return value > target ? value : target;
}

/** A weighted score; 0 * inf is NaN, which counts as 0. */
function weighted(weight: number, score: number): number {
  const product = weight * score;
  return Number.isNaN(product) ? 0 : product;
}

/**
 * The intersection, scored by the aggregate, or with `limit` (ZINTERCARD)
 * only counted, stopping at the limit (0: none). The inputs are sorted by
 * size, so src[0] is the smallest and drives the walk.
 */
function zinter(srcs: OpSource[], aggregate: Aggregate, result: SortedSet | null, limit: number): number {
  const first = srcs[0]!;
  let cardinality = 0;
  if (sourceLength(first) === 0) return 0;
  const value = first.value!;
  const entries: Iterable<[string, number]> =
    value instanceof SortedSet ? value.entries() : value.elements().map((m): [string, number] => [m, 1]);
  for (const [member, memberScore] of entries) {
    let score = weighted(first.weight, memberScore);
    let j = 1;
    for (; j < srcs.length; j++) {
      const other = srcs[j]!;
      // Redis scales the same input's score directly, without the NaN check.
      const found = other.value === value ? memberScore : sourceScore(other, member);
      if (found === undefined) break;
      score = aggregateScores(score, found * other.weight, aggregate);
    }
    if (j < srcs.length) continue;
    cardinality++;
    if (result === null) {
      if (limit !== 0 && cardinality >= limit) break;
    } else {
      result.add(member, score);
    }
  }
  return cardinality;
}

/** The union: every member once, its weighted scores aggregated in input order. */
function zunion(srcs: OpSource[], aggregate: Aggregate, result: SortedSet): void {
  const accumulator = new Map<string, number>();
  for (const src of srcs) {
    forEachSourceEntry(src, (member, memberScore) => {
      const score = weighted(src.weight, memberScore);
      const existing = accumulator.get(member);
      accumulator.set(member, existing === undefined ? score : aggregateScores(existing, score, aggregate));
    });
  }
  for (const [member, score] of accumulator) result.add(member, score);
}

/**
 * The members of the first input found in none of the others, with their
 * first-input scores. An input that is the first one again empties the
 * result (Redis checks that up front, as zsetChooseDiffAlgorithm does).
 */
function zdiff(srcs: OpSource[], result: SortedSet): void {
  const first = srcs[0]!;
  if (sourceLength(first) === 0) return;
  for (let j = 1; j < srcs.length; j++) if (srcs[j]!.value === first.value) return;
  forEachSourceEntry(first, (member, score) => {
    for (let j = 1; j < srcs.length; j++) if (sourceScore(srcs[j]!, member) !== undefined) return;
    result.add(member, score);
  });
}

/** getPositiveLongFromObjectOrReply with ZINTERCARD's message, which also answers a non-integer. */
function readLimit(c: Client, text: string): number | null {
  const n = parseInteger(text);
  if (n === null || n < 0) {
    c.reply.error(errors.limitNegative);
    return null;
  }
  return n;
}

/**
 * zunionInterDiffGenericCommand: numkeys at argv[numkeysIndex], the keys,
 * then WEIGHTS, AGGREGATE and WITHSCORES (not for ZDIFF; no WITHSCORES
 * with a destination), or ZINTERCARD's LIMIT. As in Redis the keys are
 * looked up (and type-checked) before the options are read, and an option
 * whose arguments don't fit is a syntax error.
 */
function zunionInterDiffGenericCommand(
  c: Client,
  argv: string[],
  command: string,
  destination: string | null,
  numkeysIndex: number,
  op: SetOp,
  cardinalityOnly: boolean,
): void {
  const setnum = readInteger(c, argv[numkeysIndex]!);
  if (setnum === null) return;
  if (setnum < 1) {
    c.reply.error(errors.zsetAtLeastOneKey(command));
    return;
  }
  if (setnum > argv.length - (numkeysIndex + 1)) {
    c.reply.error(errors.syntax);
    return;
  }
  const srcs: OpSource[] = [];
  let j = numkeysIndex + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const entry = c.db.lookupRead(argv[j]!);
    let value: SortedSet | RedisSet | null = null;
    if (entry !== undefined) {
      if (!(entry instanceof SortedSet) && !(entry instanceof RedisSet)) {
        c.reply.error(errors.wrongType);
        return;
      }
      value = entry;
    }
    srcs.push({ value, weight: 1 });
  }

  let aggregate = Aggregate.Sum;
  let withScores = false;
  let limit = 0;
  let remaining = argv.length - j;
  while (remaining > 0) {
    const opt = lowercaseCString(argv[j]!);
    if (op !== SetOp.Diff && !cardinalityOnly && remaining >= setnum + 1 && opt === 'weights') {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const weight = parseDouble(argv[j]!);
        if (weight === null) {
          c.reply.error(errors.zsetWeightNotFloat);
          return;
        }
        srcs[i]!.weight = weight;
      }
    } else if (op !== SetOp.Diff && !cardinalityOnly && remaining >= 2 && opt === 'aggregate') {
      const name = lowercaseCString(argv[j + 1]!);
      if (name === 'sum') aggregate = Aggregate.Sum;
      else if (name === 'min') aggregate = Aggregate.Min;
      else if (name === 'max') aggregate = Aggregate.Max;
      else {
        c.reply.error(errors.syntax);
        return;
      }
      j += 2;
      remaining -= 2;
    } else if (destination === null && !cardinalityOnly && opt === 'withscores') {
      j++;
      remaining--;
      withScores = true;
    } else if (cardinalityOnly && remaining >= 2 && opt === 'limit') {
      const n = readLimit(c, argv[j + 1]!);
      if (n === null) return;
      limit = n;
      j += 2;
      remaining -= 2;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }

  // Smallest first: the intersection walks the smallest input, and the
  // aggregates add up in this order. Stable, like glibc's merge-sort qsort.
  if (op !== SetOp.Diff) srcs.sort((a, b) => sourceLength(a) - sourceLength(b));

  if (cardinalityOnly) {
    c.reply.integer(zinter(srcs, aggregate, null, limit));
    return;
  }
  const result = SortedSet.createSkiplist(c.server.encoding);
  if (op === SetOp.Inter) zinter(srcs, aggregate, result, 0);
  else if (op === SetOp.Union) zunion(srcs, aggregate, result);
  else zdiff(srcs, result);

  if (destination === null) {
    replyEntries(c, result.rangeByRank(0, result.size - 1), withScores);
    return;
  }
  // Built as a skiplist; stored, it takes the encoding its contents call for.
  if (result.size > 0) result.convertToListpackIfNeeded();
  storeResult(c, destination, result, STORE_EVENTS[op]);
}

/** The event each Z*STORE announces for its destination. */
const STORE_EVENTS: Readonly<Record<SetOp, ZsetStoreEvent>> = {
  [SetOp.Union]: 'zunionstore',
  [SetOp.Inter]: 'zinterstore',
  [SetOp.Diff]: 'zdiffstore',
};

/** ZUNION numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zunionCommand(c: Client, argv: string[]): void {
  zunionInterDiffGenericCommand(c, argv, 'zunion', null, 1, SetOp.Union, false);
}

export const zunionSpec: CommandSpec = {
  name: 'zunion',
  arity: -3,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: (argv) => numkeysPositions(argv, 1),
  group: 'sorted-set',
  summary: 'Add multiple sorted sets',
  since: '6.2.0',
  complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  syntax: 'numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE (SUM | MIN | MAX)] [WITHSCORES]',
  handler: zunionCommand,
};

/** ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
function zunionstoreCommand(c: Client, argv: string[]): void {
  zunionInterDiffGenericCommand(c, argv, 'zunionstore', argv[1]!, 2, SetOp.Union, false);
}

export const zunionstoreSpec: CommandSpec = {
  name: 'zunionstore',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keys: (argv) => [1, ...numkeysPositions(argv, 2)],
  group: 'sorted-set',
  summary: 'Add multiple sorted sets and store the resulting sorted set in a new key',
  since: '2.0.0',
  complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.',
  syntax: 'destination:key numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE (SUM | MIN | MAX)]',
  handler: zunionstoreCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};

/** ZINTER numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES] */
function zinterCommand(c: Client, argv: string[]): void {
  zunionInterDiffGenericCommand(c, argv, 'zinter', null, 1, SetOp.Inter, false);
}

export const zinterSpec: CommandSpec = {
  name: 'zinter',
  arity: -3,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: (argv) => numkeysPositions(argv, 1),
  group: 'sorted-set',
  summary: 'Intersect multiple sorted sets',
  since: '6.2.0',
  complexity: INTER_COMPLEXITY,
  syntax: 'numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE (SUM | MIN | MAX)] [WITHSCORES]',
  handler: zinterCommand,
};

/** ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight ...] [AGGREGATE SUM|MIN|MAX] */
function zinterstoreCommand(c: Client, argv: string[]): void {
  zunionInterDiffGenericCommand(c, argv, 'zinterstore', argv[1]!, 2, SetOp.Inter, false);
}

export const zinterstoreSpec: CommandSpec = {
  name: 'zinterstore',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keys: (argv) => [1, ...numkeysPositions(argv, 2)],
  group: 'sorted-set',
  summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key',
  since: '2.0.0',
  complexity: INTER_COMPLEXITY,
  syntax: 'destination:key numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]] [AGGREGATE (SUM | MIN | MAX)]',
  handler: zinterstoreCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};

/** ZINTERCARD numkeys key [key ...] [LIMIT limit] */
function zintercardCommand(c: Client, argv: string[]): void {
  zunionInterDiffGenericCommand(c, argv, 'zintercard', null, 1, SetOp.Inter, true);
}

export const zintercardSpec: CommandSpec = {
  name: 'zintercard',
  arity: -3,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: (argv) => numkeysPositions(argv, 1),
  group: 'sorted-set',
  summary: 'Intersect multiple sorted sets and return the cardinality of the result',
  since: '7.0.0',
  complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
  syntax: 'numkeys:integer key [key ...] [LIMIT limit:integer]',
  handler: zintercardCommand,
};

/** ZDIFF numkeys key [key ...] [WITHSCORES] */
function zdiffCommand(c: Client, argv: string[]): void {
  zunionInterDiffGenericCommand(c, argv, 'zdiff', null, 1, SetOp.Diff, false);
}

export const zdiffSpec: CommandSpec = {
  name: 'zdiff',
  arity: -3,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: (argv) => numkeysPositions(argv, 1),
  group: 'sorted-set',
  summary: 'Subtract multiple sorted sets',
  since: '6.2.0',
  complexity: DIFF_COMPLEXITY,
  syntax: 'numkeys:integer key [key ...] [WITHSCORES]',
  handler: zdiffCommand,
};

/** ZDIFFSTORE destination numkeys key [key ...] */
function zdiffstoreCommand(c: Client, argv: string[]): void {
  zunionInterDiffGenericCommand(c, argv, 'zdiffstore', argv[1]!, 2, SetOp.Diff, false);
}

export const zdiffstoreSpec: CommandSpec = {
  name: 'zdiffstore',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keys: (argv) => [1, ...numkeysPositions(argv, 2)],
  group: 'sorted-set',
  summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key',
  since: '6.2.0',
  complexity: DIFF_COMPLEXITY,
  syntax: 'destination:key numkeys:integer key [key ...]',
  handler: zdiffstoreCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};
