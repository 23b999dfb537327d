import { describe, expect, it } from 'vitest';
import { TopK } from '../../../src/store/probabilistic/top-k.js';

function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` draws from a Zipf(s) distribution over `distinct` items (item:0 the most frequent). */
function zipfStream(distinct: number, length: number, s: number, seed: number): string[] {
  const cdf = new Float64Array(distinct);
  let total = 0;
  for (let i = 0; i < distinct; i++) {
    total += 1 / (i + 1) ** s;
    cdf[i] = total;
  }
  const random = seededRandom(seed);
  return Array.from({ length }, () => {
    const u = random() * total;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return `item:${lo}`;
  });
}

function trueTop(stream: readonly string[], k: number): string[] {
  const counts = new Map<string, number>();
  for (const item of stream) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([item]) => item);
}

describe('TopK', () => {
  it('finds the heavy hitters of a Zipf(1.2) stream with the default dimensions', () => {
    for (const seed of [1, 2, 3]) {
      const stream = zipfStream(20_000, 20_000, 1.2, seed);
      const topk = TopK.reserve(10);
      for (const item of stream) topk.add(item);
      const listed = new Set(topk.list());
      const truth = trueTop(stream, 10);
      expect(truth.slice(0, 5).filter((item) => !listed.has(item))).toEqual([]);
      // With only 8 × 7 buckets the 9th/10th places (within a few % of the
      // 11th) may swap; everything above them must be found.
      expect(truth.filter((item) => listed.has(item)).length).toBeGreaterThanOrEqual(8);
    }
  });

  it('finds exactly the top 10 with a wider sketch, with near-exact counts', () => {
    const stream = zipfStream(20_000, 20_000, 1.2, 4);
    const topk = TopK.reserve(10, 50, 5, 0.9);
    for (const item of stream) topk.add(item);
    const truth = trueTop(stream, 10);
    expect(new Set(topk.list())).toEqual(new Set(truth));
    const actual = new Map<string, number>();
    for (const item of stream) actual.set(item, (actual.get(item) ?? 0) + 1);
    for (const { item, count } of topk.listWithCount()) {
      expect(count).toBeLessThanOrEqual(actual.get(item)!);
      expect(count).toBeGreaterThanOrEqual(actual.get(item)! * 0.98);
      expect(topk.query(item)).toBe(true);
      expect(topk.count(item)).toBeGreaterThanOrEqual(count);
    }
  });

  it('lists by count, highest first, skipping empty slots', () => {
    const topk = TopK.reserve(5, 50, 4, 0.9);
    topk.incrBy('low', 1);
    topk.incrBy('high', 30);
    topk.incrBy('mid', 10);
    expect(topk.list()).toEqual(['high', 'mid', 'low']);
    expect(topk.listWithCount()).toEqual([
      { item: 'high', count: 30 },
      { item: 'mid', count: 10 },
      { item: 'low', count: 1 },
    ]);
    expect(topk.query('mid')).toBe(true);
    expect(topk.query('absent')).toBe(false);
    expect(topk.count('high')).toBe(30);
    expect(topk.count('absent')).toBe(0);
  });

  it('returns the item expelled from the list', () => {
    const topk = TopK.reserve(2, 50, 4, 0.9);
    expect(topk.add('a')).toBeNull();
    expect(topk.add('b')).toBeNull();
    expect(topk.incrBy('a', 5)).toBeNull();
    expect(topk.incrBy('c', 3)).toBe('b');
    expect(new Set(topk.list())).toEqual(new Set(['a', 'c']));
  });

  it('is reproducible, and a restored sketch continues identically', () => {
    const stream = zipfStream(2_000, 10_000, 1.1, 9);
    const first = TopK.reserve(10);
    const second = TopK.reserve(10);
    for (const item of stream.slice(0, 5_000)) {
      first.add(item);
      second.add(item);
    }
    expect(second.serialize()).toBe(first.serialize());

    const restored = TopK.deserialize(first.serialize());
    const cloned = first.clone();
    const expelledByFirst = stream.slice(5_000).map((item) => first.add(item));
    expect(stream.slice(5_000).map((item) => restored.add(item))).toEqual(expelledByFirst);
    expect(stream.slice(5_000).map((item) => cloned.add(item))).toEqual(expelledByFirst);
    expect(restored.listWithCount()).toEqual(first.listWithCount());
    expect(restored.info()).toEqual({ k: 10, width: 8, depth: 7, decay: 0.9 });
  });

  it('rejects corrupted serializations and clones deeply', () => {
    const topk = TopK.reserve(3, 20, 3, 0.8);
    for (const item of ['a', 'b', 'c', 'a']) topk.add(item);
    const data = topk.serialize();
    expect(() => TopK.deserialize(data.slice(0, -1))).toThrow('ERR received bad data');
    expect(() => TopK.deserialize(data.replace('RDTK', 'XXXX'))).toThrow('ERR received bad data');

    const clone = topk.clone();
    clone.incrBy('z', 100);
    expect(clone.query('z')).toBe(true);
    expect(topk.query('z')).toBe(false);
    expect(topk.type).toBe('TopK-TYPE');
    expect(topk.memoryUsage()).toBeGreaterThan(2088 + 20 * 3 * 8);
  });
});
