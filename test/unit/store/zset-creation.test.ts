/**
 * What depends on how Redis would have built a sorted set: the results of
 * Z*STORE (createSkiplist, then convertToListpackIfNeeded) and ZRANGESTORE
 * (createWithSizeHint), where a listpack stores -0 as 0 and a skiplist
 * keeps it; and ZLEXCOUNT over mixed scores, where Redis's listpack walk
 * shows through.
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
