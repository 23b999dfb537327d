import { describe, expect, it } from 'vitest';
import {
  CMS_CELL_MAX,
  CountMinSketch,
  cmsDimensionsFromProbability,
} from '../../../src/store/probabilistic/count-min-sketch.js';
import { ProbabilisticError } from '../../../src/store/probabilistic/encoding.js';

function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A skewed stream: item i is drawn with weight 1/(i+1), so a few items dominate. */
function skewedCounts(distinct: number, draws: number, seed: number): Map<string, number> {
  const random = seededRandom(seed);
  const counts = new Map<string, number>();
  for (let n = 0; n < draws; n++) {
    const item = `item:${Math.floor(distinct ** random()) - 1}`;
    counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

describe('CountMinSketch', () => {
  it('sizes itself with RedisBloom formulas', () => {
    expect(cmsDimensionsFromProbability(0.001, 0.01)).toEqual({ width: 2000, depth: 7 });
    expect(cmsDimensionsFromProbability(0.01, 0.002)).toEqual({ width: 200, depth: 9 });
    const sketch = CountMinSketch.initByProb(0.001, 0.01);
    expect(sketch.info()).toEqual({ width: 2000, depth: 7, count: 0 });
    expect(CountMinSketch.initByDim(10, 3).info()).toEqual({ width: 10, depth: 3, count: 0 });
    expect(sketch.type).toBe('CMSk-TYPE');
    expect(sketch.memoryUsage()).toBeGreaterThanOrEqual(2000 * 7 * 4);
  });

  it('never under-counts, and stays within the error bound for most items', () => {
    const counts = skewedCounts(5_000, 50_000, 7);
    const sketch = CountMinSketch.initByDim(400, 5);
    const increments = [...counts.entries()];
    for (const [item, count] of increments) sketch.incrBy(item, count);
    expect(sketch.info().count).toBe(50_000);
    const under = increments.filter(([item, count]) => sketch.query(item) < count);
    expect(under).toEqual([]);
    // Over-estimates exceed 2N/width with probability at most 2^-depth per item.
    const bound = (2 * 50_000) / 400;
    const over = increments.filter(([item, count]) => sketch.query(item) - count > bound).length;
    expect(over / increments.length).toBeLessThan(2 ** -5 + 0.01);
    expect(sketch.query('never-seen')).toBeLessThanOrEqual(bound);
  });

  it('returns the new estimate from incrBy', () => {
    const sketch = CountMinSketch.initByDim(1000, 5);
    expect(sketch.incrBy('a', 5)).toBe(5);
    expect(sketch.incrBy('a', 3)).toBe(8);
    expect(sketch.incrBy('a', 0)).toBe(8);
    expect(sketch.query('a')).toBe(8);
    expect(sketch.info().count).toBe(8);
  });

  it('saturates counters at 2^32 - 1 instead of wrapping', () => {
    const sketch = CountMinSketch.initByDim(100, 3);
    expect(sketch.incrBy('big', CMS_CELL_MAX - 10)).toBe(CMS_CELL_MAX - 10);
    expect(sketch.incrBy('big', 100)).toBe(CMS_CELL_MAX);
    expect(sketch.query('big')).toBe(CMS_CELL_MAX);
    expect(sketch.incrBy('huge', 2 ** 40)).toBe(CMS_CELL_MAX);
  });

  it('merges with weights into a sketch that may also be a source', () => {
    const a = CountMinSketch.initByDim(2000, 5);
    const b = CountMinSketch.initByDim(2000, 5);
    a.incrBy('x', 3);
    a.incrBy('y', 1);
    b.incrBy('x', 2);
    b.incrBy('z', 7);
    const merged = CountMinSketch.initByDim(2000, 5);
    merged.merge([a, b], [2, 3]);
    // Wide enough that these three items collide in no row: estimates are exact.
    expect(merged.query('x')).toBe(2 * 3 + 3 * 2);
    expect(merged.query('y')).toBe(2);
    expect(merged.query('z')).toBe(21);
    expect(merged.info().count).toBe(2 * 4 + 3 * 9);

    a.merge([a, b]);
    expect(a.query('x')).toBe(5);
    expect(a.info().count).toBe(13);
  });

  it('merges skewed streams without under-counting the weighted totals', () => {
    const first = skewedCounts(3_000, 20_000, 1);
    const second = skewedCounts(3_000, 20_000, 2);
    const a = CountMinSketch.initByDim(300, 4);
    const b = CountMinSketch.initByDim(300, 4);
    for (const [item, count] of first) a.incrBy(item, count);
    for (const [item, count] of second) b.incrBy(item, count);
    const merged = CountMinSketch.initByDim(300, 4);
    merged.merge([a, b], [1, 4]);
    const items = new Set([...first.keys(), ...second.keys()]);
    const under = [...items].filter(
      (item) => merged.query(item) < (first.get(item) ?? 0) + 4 * (second.get(item) ?? 0),
    );
    expect(under).toEqual([]);
    expect(merged.info().count).toBe(20_000 + 4 * 20_000);
  });

  it('refuses merges with other dimensions or out-of-range results, leaving the target untouched', () => {
    const target = CountMinSketch.initByDim(100, 3);
    target.incrBy('kept', 4);
    expect(() => target.merge([CountMinSketch.initByDim(100, 4)])).toThrow(ProbabilisticError);
    expect(() => target.merge([CountMinSketch.initByDim(100, 4)])).toThrow('CMS: width/depth is not equal');

    const source = CountMinSketch.initByDim(100, 3);
    source.incrBy('x', 1);
    expect(() => target.merge([source], [-1])).toThrow('CMS: MERGE overflow');
    source.incrBy('x', 2 ** 31);
    expect(() => target.merge([source], [2])).toThrow('CMS: MERGE overflow');
    expect(() => target.merge([source], [2 ** 40])).toThrow('CMS: MERGE overflow');
    expect(target.query('kept')).toBe(4);
    expect(target.info().count).toBe(4);
  });

  it('round-trips through serialize/deserialize and clones deeply', () => {
    const sketch = CountMinSketch.initByDim(50, 4);
    const counts = skewedCounts(500, 2_000, 3);
    for (const [item, count] of counts) sketch.incrBy(item, count);
    const copy = CountMinSketch.deserialize(sketch.serialize());
    expect(copy.info()).toEqual(sketch.info());
    expect([...counts.keys()].filter((item) => copy.query(item) !== sketch.query(item))).toEqual([]);
    expect(() => CountMinSketch.deserialize(sketch.serialize().slice(1))).toThrow('ERR received bad data');

    const clone = sketch.clone();
    clone.incrBy('item:0', 1000);
    expect(clone.query('item:0')).toBe(sketch.query('item:0') + 1000);
  });
});
