/**
 * What depends on how Redis would have built a sorted set: the results of
 * Z*STORE (createSkiplist, then convertToListpackIfNeeded) and ZRANGESTORE
 * (createWithSizeHint), where a listpack stores -0 as 0 and a skiplist
 * keeps it; and lex ranges over mixed scores, where the search of the
 * encoding Redis would have shows through, whichever store holds the set
 * (test/integration/zset-lex-mixed-scores.test.ts checks them against Redis).
 */
import { describe, expect, it } from 'vitest';
import { SortedSet, parseLexRange, type ZsetListpackLimits } from '../../../src/store/zset.js';

/** A server's live limits object, as Server.encoding provides it. */
function limits(entries: number, value = 64): ZsetListpackLimits {
  return { zsetMaxListpackEntries: entries, zsetMaxListpackValue: value };
}

describe('createSkiplist', () => {
  it('keeps -0 until the result is converted to a listpack', () => {
    const zset = SortedSet.createSkiplist(limits(128));
    zset.add('a', -0);
    zset.add('b', 1);
    expect(Object.is(zset.score('a'), -0)).toBe(true);
    expect(zset.encoding()).toBe('skiplist');
    zset.convertToListpackIfNeeded();
    expect(zset.encoding()).toBe('listpack');
    expect(Object.is(zset.score('a'), 0)).toBe(true);
    expect(zset.rangeByRank(0, 1)).toEqual([['a', 0], ['b', 1]]);
  });

  it('stays a skiplist, -0 and all, when the result is too big for a listpack', () => {
    const zset = SortedSet.createSkiplist(limits(2));
    for (const [member, score] of [['a', -0], ['b', 1], ['c', 2]] as const) zset.add(member, score);
    zset.convertToListpackIfNeeded();
    expect(zset.encoding()).toBe('skiplist');
    expect(Object.is(zset.score('a'), -0)).toBe(true);
  });
});

describe('createWithSizeHint', () => {
  it('starts a listpack when the hint fits zset-max-listpack-entries, else a skiplist', () => {
    const small = SortedSet.createWithSizeHint(3, limits(3));
    small.add('a', -0);
    expect(small.encoding()).toBe('listpack');
    expect(Object.is(small.score('a'), 0)).toBe(true);
    const large = SortedSet.createWithSizeHint(4, limits(3));
    large.add('a', -0);
    expect(large.encoding()).toBe('skiplist');
    expect(Object.is(large.score('a'), -0)).toBe(true);
  });

  it('a listpack start converts as it grows, keeping the zeros it already stored', () => {
    const zset = SortedSet.createWithSizeHint(0, limits(2));
    for (const member of ['a', 'b', 'c', 'd']) zset.add(member, -0);
    expect(zset.encoding()).toBe('skiplist');
    expect(['a', 'b', 'c', 'd'].map((m) => Object.is(zset.score(m), -0))).toEqual([false, false, true, true]);
  });
});

describe('countInLexRange over mixed scores', () => {
  it('counts forward from the first member in range, as Redis walks a listpack', () => {
    const zset = new SortedSet();
    // In score order: b(1) d(2) a(3) c(4): not in lex order.
    zset.add('b', 1);
    zset.add('d', 2);
    zset.add('a', 3);
    zset.add('c', 4);
    const spec = parseLexRange('[a', '[c')!;
    // First member >= "a" is b; the walk stops at d, past "c".
    expect(zset.countInLexRange(spec)).toBe(1);
    expect(zset.rangeByLex(spec).map((e) => e[0])).toEqual(['b']);
  });

  it('matches the range itself when scores are equal, small or large', () => {
    for (const size of [10, 300]) {
      const zset = new SortedSet();
      for (let i = 0; i < size; i++) zset.add(`m${String(i).padStart(3, '0')}`, 0);
      const spec = parseLexRange('(m002', '[m008')!;
      expect(zset.countInLexRange(spec)).toBe(6);
      expect(zset.rangeByLex(spec)).toHaveLength(6);
    }
  });
});

describe('lex ranges over mixed scores follow the encoding, not the store', () => {
  /** A set with members added in this order with rising scores. */
  function inOrder(zset: SortedSet, members: readonly string[]): SortedSet {
    members.forEach((member, i) => zset.add(member, i + 1));
    return zset;
  }

  /** Runs `fn` with every set on the skiplist store from its first member. */
  function onSkiplistStore(fn: () => void): void {
    const saved = SortedSet.smallMax;
    SortedSet.smallMax = 0;
    try {
      fn();
    } finally {
      SortedSet.smallMax = saved;
    }
  }

  it('ZREMRANGEBYLEX: a listpack checks the last member against min first, a skiplist does not', () => {
    // In score order 1 b a\0b, as in the differential run that found it.
    const build = (entries: number): SortedSet => {
      const zset = new SortedSet(limits(entries));
      zset.add('b', 0.1);
      zset.add('1', -2.5);
      zset.add('a\x00b', 0.3);
      return zset;
    };
    const spec = parseLexRange('[b', '(g')!;
    const listpack = build(128);
    expect(listpack.encoding()).toBe('listpack');
    expect(listpack.removeRangeByLex(spec)).toBe(0);
    const skiplist = build(0);
    expect(skiplist.encoding()).toBe('skiplist');
    expect(skiplist.removeRangeByLex(spec)).toBe(2);
    expect(skiplist.rangeByRank(0, skiplist.size - 1).map((e) => e[0])).toEqual(['1']);
  });

  it('reverse ranges and ZLEXCOUNT: from the tail on a listpack, by descent on a skiplist', () => {
    const spec = parseLexRange('[b', '[c')!;
    const listpackSearch = (store: string): void => {
      const listpack = inOrder(new SortedSet(limits(128)), ['b', 'd', 'c']);
      expect(listpack.rangeByLex(spec, true).map((e) => e[0]), store).toEqual(['c', 'd', 'b']);
      const counted = inOrder(new SortedSet(limits(128)), ['b', 'a', 'd', 'c']);
      expect(counted.countInLexRange(spec), store).toBe(2);
      expect(counted.removeRangeByLex(spec), store).toBe(2);
    };
    listpackSearch('listpack store');
    onSkiplistStore(() => listpackSearch('skiplist store'));
    // One-level nodes: the descent stops before d, and in b a d c the last
    // member in range is a, below min, so the count runs to the end.
    const skiplist = inOrder(new SortedSet(limits(0)), ['b', 'd', 'c']);
    expect(skiplist.rangeByLex(spec, true).map((e) => e[0])).toEqual(['b']);
    expect(inOrder(new SortedSet(limits(0)), ['b', 'a', 'd', 'c']).countInLexRange(spec)).toBe(4);
  });
});
