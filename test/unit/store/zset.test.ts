import { describe, expect, it } from 'vitest';
import {
  LEX_MAXSTRING,
  LEX_MINSTRING,
  SortedSet,
  ZADD_IN_GT,
  ZADD_IN_INCR,
  ZADD_IN_LT,
  ZADD_IN_NX,
  ZADD_IN_XX,
  ZADD_OUT_ADDED,
  ZADD_OUT_NAN,
  ZADD_OUT_NOP,
  ZADD_OUT_UPDATED,
  parseLexRange,
  parseScoreRange,
  strtodWhole,
  type ZLexRangeSpec,
  type ZRangeSpec,
  type ZsetEntry,
} from '../../../src/store/zset.js';
import { ZSkiplist, sdscmplex, zslRandomLevel } from '../../../src/store/skiplist.js';
import { Rng, testSeeds } from '../../helpers/random.js';

// ---- the naive model: an array kept sorted by (score, member) ----

function cmpEntry(a: ZsetEntry, b: ZsetEntry): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * A listpack stores -0 as 0, and a set counts as a listpack until it has
 * held more than 128 members or one longer than 64 bytes (the defaults),
 * so the model normalises -0 under the same rule.
 */
class Model {
  entries: ZsetEntry[] = [];
  private scores = new Map<string, number>();
  private peak = 0;
  private longest = 0;

  /** Index of the first entry not below (score, member). */
  private lowerBound(member: string, score: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpEntry(this.entries[mid]!, [member, score]) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(member: string): number {
    const score = this.scores.get(member);
    return score === undefined ? -1 : this.lowerBound(member, score);
  }

  remove(member: string): boolean {
    const i = this.find(member);
    if (i < 0) return false;
    this.entries.splice(i, 1);
    this.scores.delete(member);
    return true;
  }

  /** Replaces the contents, e.g. after a range removal. */
  set(entries: ZsetEntry[]): void {
    this.entries = entries;
    this.scores = new Map(entries);
  }

  private insert(member: string, score: number): void {
    if (score === 0 && this.peak <= 128 && this.longest <= 64) score = 0;
    this.entries.splice(this.lowerBound(member, score), 0, [member, score]);
    this.scores.set(member, score);
  }

  add(member: string, score: number, flags: number): number {
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    const cur = this.scores.get(member);
    if (cur !== undefined) {
      if (flags & ZADD_IN_NX) return ZADD_OUT_NOP;
      if (flags & ZADD_IN_INCR) score += cur;
      if (Number.isNaN(score)) return ZADD_OUT_NAN;
      if ((flags & ZADD_IN_LT && score >= cur) || (flags & ZADD_IN_GT && score <= cur)) return ZADD_OUT_NOP;
      if (score === cur) return 0;
      this.remove(member);
      this.insert(member, score);
      return ZADD_OUT_UPDATED;
    }
    if (flags & ZADD_IN_XX) return ZADD_OUT_NOP;
    this.peak = Math.max(this.peak, this.entries.length + 1);
    this.longest = Math.max(this.longest, member.length);
    this.insert(member, score);
    return ZADD_OUT_ADDED;
  }

  inScore(s: number, spec: ZRangeSpec): boolean {
    return (spec.minex ? s > spec.min : s >= spec.min) && (spec.maxex ? s < spec.max : s <= spec.max);
  }

  inLex(m: string, spec: ZLexRangeSpec): boolean {
    const lo = sdscmplex(m, spec.min);
    const hi = sdscmplex(m, spec.max);
    return (spec.minex ? lo > 0 : lo >= 0) && (spec.maxex ? hi < 0 : hi <= 0);
  }

  limit(list: ZsetEntry[], reverse: boolean, offset: number, count: number): ZsetEntry[] {
    if (reverse) list = list.slice().reverse();
    if (offset < 0) return [];
    return list.slice(offset, count < 0 ? undefined : offset + count);
  }
}

const SCORES = [-Infinity, -2.5, -1, -0, 0, 0.5, 1, 1, 2, 3.25, 1e300, Infinity];

function randomScore(rng: Rng): number {
  return rng.chance(0.7) ? rng.pick(SCORES) : rng.int(-50, 50) / 4;
}

function randomMember(rng: Rng, wide: boolean): string {
  if (rng.chance(0.1)) return rng.binaryString(rng.int(0, 3));
  return wide ? rng.string(rng.int(0, 5), 'abcdefgh') : rng.string(rng.int(0, 3), 'abcd');
}

function randomScoreSpec(rng: Rng): ZRangeSpec {
  const a = randomScore(rng);
  const b = randomScore(rng);
  return { min: Math.min(a, b), max: rng.chance(0.1) ? Math.min(a, b) - 1 : Math.max(a, b), minex: rng.chance(0.3), maxex: rng.chance(0.3) };
}

function randomLexBound(rng: Rng): string | typeof LEX_MINSTRING | typeof LEX_MAXSTRING {
  const r = rng.next();
  if (r < 0.1) return LEX_MINSTRING;
  if (r < 0.2) return LEX_MAXSTRING;
  return rng.string(rng.int(0, 3), 'abcde');
}

function randomLexSpec(rng: Rng): ZLexRangeSpec {
  const a = randomLexBound(rng);
  const b = randomLexBound(rng);
  // Mostly well-ordered ranges; some inverted ones must come out empty.
  const swap = rng.chance(0.8) && sdscmplex(a, b) > 0;
  return { min: swap ? b : a, max: swap ? a : b, minex: rng.chance(0.3), maxex: rng.chance(0.3) };
}

function expectSame(z: SortedSet, model: Model): void {
  expect(z.size).toBe(model.entries.length);
  expect(z.rangeByRank(0, z.size - 1)).toEqual(model.entries);
}

/** Runs `ops` random operations against both; `sameScore` keeps every score 0 for lex ops. */
// Adds outweigh removals so sets grow; range removals are rare because one can empty a set.
const SMALL_MIX: Array<[string, number]> = [
  ['add', 30], ['remove', 6], ['rank', 8], ['rangeByRank', 8], ['rangeByScore', 8], ['rangeByLex', 8],
  ['popMin', 2], ['popMax', 2], ['removeRangeByScore', 1], ['removeRangeByLex', 1], ['removeRangeByRank', 1],
  ['incrBy', 6], ['entryByRank', 4], ['validate', 2],
];
const WIDE_MIX: Array<[string, number]> = [
  ['add', 40], ['remove', 12], ['rank', 8], ['rangeByRank', 4], ['rangeByScore', 4], ['rangeByLex', 4],
  ['popMin', 1], ['popMax', 1], ['removeRangeByScore', 0.03], ['removeRangeByLex', 0.03], ['removeRangeByRank', 0.5],
  ['incrBy', 6], ['entryByRank', 4], ['validate', 0.05],
];

/** `wide` draws from ~37k members so the set grows to thousands, tall and compacted. */
function runRandom(seed: number, ops: number, sameScore: boolean, wide = false): void {
  const rng = new Rng(seed);
  const z = new SortedSet();
  const model = new Model();
  for (let op = 0; op < ops; op++) {
    const what = rng.weighted(wide ? WIDE_MIX : SMALL_MIX);
    const n = model.entries.length;
    const ctx = `seed ${seed} op ${op} kind ${what}`;
    switch (what) {
      case 'add': {
        const member = randomMember(rng, wide);
        const score = sameScore ? 0 : randomScore(rng);
        const flags = rng.chance(0.5) ? 0 : rng.pick([ZADD_IN_NX, ZADD_IN_XX, ZADD_IN_GT, ZADD_IN_LT, ZADD_IN_INCR, ZADD_IN_INCR | ZADD_IN_GT]);
        if (sameScore && flags & ZADD_IN_INCR) break;
        expect(z.add(member, score, flags), ctx).toBe(model.add(member, score, flags));
        break;
      }
      case 'remove': {
        const member = randomMember(rng, wide);
        expect(z.remove(member), ctx).toBe(model.remove(member));
        break;
      }
      case 'rank': {
        const member = randomMember(rng, wide);
        const i = model.find(member);
        expect(z.rank(member), ctx).toBe(i >= 0 ? i : null);
        expect(z.rank(member, true), ctx).toBe(i >= 0 ? n - 1 - i : null);
        expect(z.score(member), ctx).toBe(i >= 0 ? model.entries[i]![1] : undefined);
        break;
      }
      case 'rangeByRank': {
        if (n === 0) break;
        const start = rng.int(0, n - 1);
        const stop = rng.int(start, wide ? Math.min(n - 1, start + 30) : n - 1);
        const reverse = rng.chance(0.5);
        const expected = (reverse ? model.entries.slice().reverse() : model.entries).slice(start, stop + 1);
        expect(z.rangeByRank(start, stop, reverse), ctx).toEqual(expected);
        break;
      }
      case 'rangeByScore': {
        const spec = randomScoreSpec(rng);
        const reverse = rng.chance(0.5);
        const offset = rng.chance(0.5) ? 0 : rng.int(-1, 5);
        // Wide sets always take a LIMIT: comparing thousands of entries per op is slow.
        const count = rng.chance(0.5) && !wide ? -1 : rng.int(0, 20);
        const all = model.entries.filter((e) => model.inScore(e[1], spec));
        expect(z.rangeByScore(spec, reverse, offset, count), ctx).toEqual(model.limit(all, reverse, offset, count));
        expect(z.countInScoreRange(spec), ctx).toBe(all.length);
        break;
      }
      case 'rangeByLex': {
        if (!sameScore) break;
        const spec = randomLexSpec(rng);
        const reverse = rng.chance(0.5);
        const offset = rng.chance(0.5) ? 0 : rng.int(-1, 5);
        // Wide sets always take a LIMIT: comparing thousands of entries per op is slow.
        const count = rng.chance(0.5) && !wide ? -1 : rng.int(0, 20);
        const all = model.entries.filter((e) => model.inLex(e[0], spec));
        expect(z.rangeByLex(spec, reverse, offset, count), ctx).toEqual(model.limit(all, reverse, offset, count));
        expect(z.countInLexRange(spec), ctx).toBe(all.length);
        break;
      }
      case 'popMin': {
        const count = rng.int(0, 3);
        const expected = model.entries.slice(0, count);
        for (const [m] of expected) model.remove(m);
        expect(z.popMin(count), ctx).toEqual(expected);
        break;
      }
      case 'popMax': {
        const count = rng.int(0, 3);
        const expected = model.entries.slice(Math.max(0, n - count)).reverse();
        for (const [m] of expected) model.remove(m);
        expect(z.popMax(count), ctx).toEqual(expected);
        break;
      }
      case 'removeRangeByScore': {
        const spec = randomScoreSpec(rng);
        const keep = model.entries.filter((e) => !model.inScore(e[1], spec));
        expect(z.removeRangeByScore(spec), ctx).toBe(n - keep.length);
        model.set(keep);
        break;
      }
      case 'removeRangeByLex': {
        if (!sameScore) break;
        const spec = randomLexSpec(rng);
        const keep = model.entries.filter((e) => !model.inLex(e[0], spec));
        expect(z.removeRangeByLex(spec), ctx).toBe(n - keep.length);
        model.set(keep);
        break;
      }
      case 'removeRangeByRank': {
        if (n === 0 || rng.chance(0.7)) break;
        const start = rng.int(0, n - 1);
        const stop = rng.int(start, Math.min(n - 1, start + 3));
        expect(z.removeRangeByRank(start, stop), ctx).toBe(stop - start + 1);
        model.set(model.entries.filter((_, i) => i < start || i > stop));
        break;
      }
      case 'incrBy': {
        if (sameScore) break;
        const member = randomMember(rng, wide);
        const delta = randomScore(rng);
        const before = model.find(member);
        const out = model.add(member, delta, ZADD_IN_INCR);
        const got = z.incrBy(member, delta);
        if (out & ZADD_OUT_NAN) expect(got, ctx).toBeNull();
        else expect(got, ctx).toBe(model.entries[model.find(member)]![1]);
        if (before < 0 && out & ZADD_OUT_NAN) expect(z.has(member)).toBe(false);
        break;
      }
      case 'entryByRank': {
        if (n === 0) break;
        const r = rng.int(0, n - 1);
        expect(z.entryByRank(r), ctx).toEqual(model.entries[r]);
        break;
      }
      case 'validate': {
        z.validate();
        expectSame(z, model);
        break;
      }
    }
  }
  z.validate();
  expectSame(z, model);
  const copy = z.clone();
  copy.add('only-in-copy', 1);
  expectSame(z, model);
  copy.validate();
}

/** Runs `fn` with every set on the skiplist from its first member. */
function onSkiplist(fn: () => void): () => void {
  return () => {
    const saved = SortedSet.smallMax;
    SortedSet.smallMax = 0;
    try {
      fn();
    } finally {
      SortedSet.smallMax = saved;
    }
  };
}

describe('SortedSet against a sorted-array model', () => {
  for (const seed of testSeeds('zset model')) {
    it(`mixed scores, seed ${seed}`, () => runRandom(seed, 6000, false));
    it(`equal scores with lex ranges, seed ${seed}`, () => runRandom(seed ^ 0x1234, 4000, true));
    it(`mixed scores on the skiplist, seed ${seed}`, onSkiplist(() => runRandom(seed ^ 0x4321, 6000, false)));
    it(`equal scores on the skiplist, seed ${seed}`, onSkiplist(() => runRandom(seed ^ 0x2468, 4000, true)));
    it(`thousands of members, seed ${seed}`, () => runRandom(seed ^ 0x5678, 15_000, false, true));
    it(`thousands of members with lex ranges, seed ${seed}`, () => runRandom(seed ^ 0x9abc, 10_000, true, true));
  }
});

describe('SortedSet ordering and edge cases', () => {
  it('orders equal scores by member bytes, shorter prefix first', () => {
    const z = new SortedSet();
    for (const m of ['b', 'a', 'ab', '', '\xff', '\x00', 'B']) z.add(m, 1);
    expect(z.rangeByRank(0, 6).map((e) => e[0])).toEqual(['', '\x00', 'B', 'a', 'ab', 'b', '\xff']);
    expect(z.rank('ab')).toBe(4);
    expect(z.rank('ab', true)).toBe(2);
  });

  it('handles infinite scores and exclusive bounds', () => {
    const z = new SortedSet();
    z.add('lo', -Infinity);
    z.add('hi', Infinity);
    z.add('mid', 0);
    expect(z.rangeByScore(parseScoreRange('-inf', '+inf')!).map((e) => e[0])).toEqual(['lo', 'mid', 'hi']);
    expect(z.rangeByScore(parseScoreRange('(-inf', '(+inf')!).map((e) => e[0])).toEqual(['mid']);
    expect(z.countInScoreRange(parseScoreRange('(0', '+inf')!)).toBe(1);
    expect(z.countInScoreRange(parseScoreRange('(1', '(1')!)).toBe(0);
    expect(z.countInScoreRange(parseScoreRange('1', '0')!)).toBe(0);
    expect(z.rangeByScore(parseScoreRange('-inf', '+inf')!, true, 1, 1)).toEqual([['mid', 0]]);
  });

  it('ranks and lex order on the skiplist too', onSkiplist(() => {
    const z = new SortedSet();
    for (const m of ['b', 'a', 'ab', '', '\xff', '\x00', 'B']) z.add(m, 1);
    expect(z.rangeByRank(0, 6).map((e) => e[0])).toEqual(['', '\x00', 'B', 'a', 'ab', 'b', '\xff']);
    expect(z.rangeByLex(parseLexRange('(B', '[b')!, true).map((e) => e[0])).toEqual(['b', 'ab', 'a']);
    z.validate();
  }));

  it('stores -0 as 0 while a listpack would hold the set, and keeps it once a skiplist', () => {
    const z = new SortedSet();
    z.add('a', -0);
    expect(Object.is(z.score('a'), 0)).toBe(true);
    z.add('a', 0); // equal score: no update
    expect(z.add('a', -0)).toBe(0);
    const big = new SortedSet();
    for (let i = 0; i < 200; i++) big.add(`m${i}`, i);
    expect(big.encoding({ zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 } as never)).toBe('skiplist');
    big.add('z', -0);
    expect(Object.is(big.score('z'), -0)).toBe(true);
    // -0 and 0 compare equal, so range (-0 excludes 0.
    expect(big.countInScoreRange(parseScoreRange('(-0', '0')!)).toBe(0);
    expect(big.countInScoreRange(parseScoreRange('-0', '0')!)).toBe(2);
  });

  it('keeps ranks right after deletes and score updates', () => {
    const z = new SortedSet();
    for (let i = 0; i < 1000; i++) z.add(`m${i}`, i % 37);
    for (let i = 0; i < 1000; i += 3) z.remove(`m${i}`);
    for (let i = 1; i < 1000; i += 7) z.add(`m${i}`, -i);
    z.validate();
    const ordered = z.rangeByRank(0, z.size - 1);
    for (let r = 0; r < ordered.length; r += 17) expect(z.rank(ordered[r]![0])).toBe(r);
  });

  it('applies ZADD flags as zsetAdd does', () => {
    const z = new SortedSet();
    expect(z.add('a', 5, ZADD_IN_XX)).toBe(ZADD_OUT_NOP);
    expect(z.add('a', 5)).toBe(ZADD_OUT_ADDED);
    expect(z.add('a', 6, ZADD_IN_NX)).toBe(ZADD_OUT_NOP);
    expect(z.add('a', 4, ZADD_IN_GT)).toBe(ZADD_OUT_NOP);
    expect(z.add('a', 5, ZADD_IN_GT)).toBe(ZADD_OUT_NOP);
    expect(z.add('a', 7, ZADD_IN_GT)).toBe(ZADD_OUT_UPDATED);
    expect(z.add('a', 8, ZADD_IN_LT)).toBe(ZADD_OUT_NOP);
    expect(z.add('a', 1, ZADD_IN_INCR | ZADD_IN_LT)).toBe(ZADD_OUT_NOP);
    expect(z.add('a', -1, ZADD_IN_INCR | ZADD_IN_LT)).toBe(ZADD_OUT_UPDATED);
    expect(z.score('a')).toBe(6);
    expect(z.add('a', NaN)).toBe(ZADD_OUT_NAN);
    z.add('inf', Infinity);
    expect(z.incrBy('inf', -Infinity)).toBeNull();
    expect(z.score('inf')).toBe(Infinity);
  });

  it('randomEntries returns distinct entries unless duplicates are allowed', () => {
    const rng = new Rng(7);
    const z = new SortedSet();
    for (let i = 0; i < 50; i++) z.add(`m${i}`, i);
    const rand = (): number => rng.next();
    for (const count of [1, 10, 20, 49, 50, 80]) {
      const got = z.randomEntries(count, false, rand);
      expect(got.length).toBe(Math.min(count, 50));
      expect(new Set(got.map((e) => e[0])).size).toBe(got.length);
      for (const [m, s] of got) expect(z.score(m)).toBe(s);
    }
    expect(z.randomEntries(200, true, rand).length).toBe(200);
    expect(z.randomEntry(rand)).toBeDefined();
    expect(new SortedSet().randomEntry()).toBeUndefined();
  });

  it('clone is deep', () => {
    const z = new SortedSet();
    z.add('a', 1);
    const c = z.clone();
    c.add('a', 2);
    c.add('b', 3);
    expect(z.score('a')).toBe(1);
    expect(z.size).toBe(1);
    expect(c.rangeByRank(0, 1)).toEqual([['a', 2], ['b', 3]]);
  });
});

describe('encoding', () => {
  const config = { zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 } as never;

  it('converts past 128 entries or a 65-byte member, and never back', () => {
    const z = new SortedSet();
    for (let i = 0; i < 128; i++) z.add(`m${i}`, i);
    expect(z.encoding(config)).toBe('listpack');
    z.add('one-more', 0);
    expect(z.encoding(config)).toBe('skiplist');
    z.removeRangeByRank(0, 120);
    expect(z.encoding(config)).toBe('skiplist');
    const long = new SortedSet();
    long.add('x'.repeat(64), 1);
    expect(long.encoding(config)).toBe('listpack');
    long.add('x'.repeat(65), 1);
    long.remove('x'.repeat(65));
    expect(long.encoding(config)).toBe('skiplist');
  });

  it('a stored result takes the encoding of its contents', () => {
    const z = new SortedSet();
    for (let i = 0; i < 200; i++) z.add(`m${i}`, i);
    expect(z.encoding(config)).toBe('skiplist');
    z.removeRangeByRank(10, 199);
    z.add('neg', -0);
    z.convertToListpackIfNeeded({ zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 });
    expect(z.encoding(config)).toBe('listpack');
    expect(Object.is(z.score('neg'), 0)).toBe(true);
    z.validate();
  });

  it('zero max entries means a skiplist from the first member', () => {
    const z = new SortedSet();
    z.add('a', 1);
    expect(z.encoding({ zsetMaxListpackEntries: 0, zsetMaxListpackValue: 64 } as never)).toBe('skiplist');
  });
});

describe('range bound parsing', () => {
  it('parses score bounds like zslParseRange (strtod)', () => {
    expect(parseScoreRange('(1.5', '+inf')).toEqual({ min: 1.5, max: Infinity, minex: true, maxex: false });
    expect(parseScoreRange('-inf', '(-inf')).toEqual({ min: -Infinity, max: -Infinity, minex: false, maxex: true });
    // Verified against redis-server 7.0.15 with ZCOUNT.
    expect(parseScoreRange('(', '')).toEqual({ min: 0, max: 0, minex: true, maxex: false });
    expect(parseScoreRange(' 1', '( 2')).toEqual({ min: 1, max: 2, minex: false, maxex: true });
    expect(parseScoreRange('0x10', 'infinity')).toEqual({ min: 16, max: Infinity, minex: false, maxex: false });
    expect(parseScoreRange('1e400', '.5')).toEqual({ min: Infinity, max: 0.5, minex: false, maxex: false });
    expect(parseScoreRange('5.', '-INF')!.min).toBe(5);
    for (const bad of ['1 ', 'nan', '(nan', '1e', 'abc', '  ', '0x', '1.2.3', '++1']) {
      expect(parseScoreRange(bad, '1'), bad).toBeNull();
      expect(parseScoreRange('1', bad), bad).toBeNull();
    }
    expect(strtodWhole('0x1p4')).toBe(16);
    expect(strtodWhole('-0x.8')).toBe(-0.5);
    expect(strtodWhole('3\0junk')).toBe(3);
  });

  it('parses lex bounds like zslParseLexRange', () => {
    expect(parseLexRange('-', '+')).toEqual({ min: LEX_MINSTRING, max: LEX_MAXSTRING, minex: true, maxex: true });
    expect(parseLexRange('[a', '(b')).toEqual({ min: 'a', max: 'b', minex: false, maxex: true });
    expect(parseLexRange('[', '(')).toEqual({ min: '', max: '', minex: false, maxex: true });
    for (const bad of ['', 'a', '+x', '-x', '1']) {
      expect(parseLexRange(bad, '+'), bad).toBeNull();
      expect(parseLexRange('-', bad), bad).toBeNull();
    }
  });

  it('treats - and + as bounds beyond every member, in either position', () => {
    const z = new SortedSet();
    for (const m of ['', 'a', 'b']) z.add(m, 0);
    expect(z.countInLexRange(parseLexRange('-', '+')!)).toBe(3);
    expect(z.countInLexRange(parseLexRange('+', '-')!)).toBe(0);
    expect(z.countInLexRange(parseLexRange('+', '+')!)).toBe(0);
    expect(z.countInLexRange(parseLexRange('[', '(a')!)).toBe(1);
    expect(z.rangeByLex(parseLexRange('(a', '+')!, true)).toEqual([['b', 0]]);
  });
});

describe('ZSkiplist', () => {
  it('draws levels with p = 1/4', () => {
    const counts = new Array<number>(33).fill(0);
    const n = 400_000;
    for (let i = 0; i < n; i++) counts[zslRandomLevel()]!++;
    expect(counts[1]! / n).toBeCloseTo(0.75, 2);
    expect(counts[2]! / n).toBeCloseTo(0.1875, 2);
    expect(counts[3]! / n).toBeCloseTo(0.046875, 2);
  });

  it('survives growth, mass deletion and compaction with ranks intact', () => {
    const z = new SortedSet();
    const n = 30_000;
    for (let i = 0; i < n; i++) z.add(`member:${i}`, (i * 7919) % 1000);
    const before = z.structureBytes;
    // Remove 95%: compaction must run and give memory back.
    for (let i = 0; i < n; i++) if (i % 20 !== 0) z.remove(`member:${i}`);
    z.validate();
    expect(z.size).toBe(n / 20);
    expect(z.structureBytes).toBeLessThan(before / 4);
    const ordered = z.rangeByRank(0, z.size - 1);
    for (let r = 0; r < ordered.length; r += 101) expect(z.rank(ordered[r]![0])).toBe(r);
    for (let i = 0; i < 100; i++) z.add(`again:${i}`, i);
    z.validate();
  });

  it('updates a score in place when the order does not change', () => {
    const zsl = new ZSkiplist();
    const a = zsl.insert(1, 'a');
    zsl.insert(3, 'c');
    expect(zsl.updateScore(1, 'a', 2)).toBe(a);
    expect(zsl.updateScore(2, 'a', 4)).toBe(a); // moved, same node
    expect(zsl.member(zsl.first())).toBe('c');
    expect(zsl.getRank(4, 'a')).toBe(2);
    zsl.validate();
    expect(zsl.deleteRangeByRank(1, 5)).toEqual(['c', 'a']);
    expect(zsl.length).toBe(0);
    expect(zsl.tail).toBe(0);
    zsl.validate();
  });
});

describe('encoding with a server\'s live limits', () => {
  it('decides at add time with the limits of that moment', () => {
    const live = { zsetMaxListpackEntries: 1, zsetMaxListpackValue: 64 };
    const z = new SortedSet(live);
    z.add('a', 1);
    z.add('b', -0); // converted before this insert, so -0 stays
    expect(Object.is(z.score('b'), -0)).toBe(true);
    live.zsetMaxListpackEntries = 128; // CONFIG SET updates the object in place
    expect(z.encoding({ zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 } as never)).toBe('skiplist');
    const y = new SortedSet(live);
    y.add('a', 1);
    y.add('b', 2);
    // The config passed in is not consulted any more: Redis decided at ZADD time.
    expect(y.encoding({ zsetMaxListpackEntries: 1, zsetMaxListpackValue: 64 } as never)).toBe('listpack');
  });

  it('keeps two servers\' limits apart', () => {
    const small = new SortedSet({ zsetMaxListpackEntries: 1, zsetMaxListpackValue: 64 });
    const roomy = new SortedSet({ zsetMaxListpackEntries: 128, zsetMaxListpackValue: 64 });
    for (const z of [small, roomy]) {
      z.add('a', 1);
      z.add('b', 2);
    }
    expect(small.encoding()).toBe('skiplist');
    expect(roomy.encoding()).toBe('listpack');
  });
});
