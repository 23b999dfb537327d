import { describe, expect, it } from 'vitest';
import { CuckooFilter } from '../../../src/store/probabilistic/cuckoo-filter.js';
import { ProbabilisticError } from '../../../src/store/probabilistic/encoding.js';

const members = (count: number, prefix = 'member:'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** Items failing the predicate; one expect per loop keeps big loops fast. */
const failing = (items: readonly string[], predicate: (item: string) => boolean): string[] =>
  items.filter((item) => !predicate(item));

function rebuildFromDump(source: CuckooFilter, maxChunkBytes?: number): { copy: CuckooFilter; chunks: number } {
  let { iter, data } = source.scanDump(0, maxChunkBytes);
  expect(iter).toBe(1);
  const copy = CuckooFilter.fromHeader(data ?? '');
  let chunks = 0;
  for (;;) {
    ({ iter, data } = source.scanDump(iter, maxChunkBytes));
    if (iter === 0) break;
    copy.loadChunk(iter, data ?? '');
    chunks++;
  }
  expect(data).toBeNull();
  return { copy, chunks };
}

describe('CuckooFilter', () => {
  it('reports CF.INFO fields as RedisBloom does for CF.RESERVE cf 1000', () => {
    const filter = new CuckooFilter(1000);
    expect(filter.info()).toEqual({
      size: 1080,
      numberOfBuckets: 512,
      numberOfFilters: 1,
      numberOfItemsInserted: 0,
      numberOfItemsDeleted: 0,
      bucketSize: 2,
      expansionRate: 1,
      maxIterations: 20,
    });
    expect(filter.type).toBe('MBbloomCF');
  });

  it('rounds bucket counts and expansion up to powers of two', () => {
    const filter = new CuckooFilter(1001, 4, 30, 3);
    expect(filter.info()).toMatchObject({ numberOfBuckets: 256, bucketSize: 4, expansionRate: 4, maxIterations: 30 });
    expect(new CuckooFilter(4, 2, 20, 0).info().expansionRate).toBe(0);
  });

  it('has no false negatives up to capacity and beyond it (scaling)', () => {
    const items = members(20_000);
    const filter = new CuckooFilter(20_000);
    expect(failing(items, (item) => filter.add(item) === 'inserted')).toEqual([]);
    expect(failing(items, (item) => filter.exists(item))).toEqual([]);
    expect(filter.info().numberOfItemsInserted).toBe(20_000);

    const scaling = new CuckooFilter(1000, 2, 20, 2);
    const many = members(10_000, 'scaled:');
    expect(failing(many, (item) => scaling.add(item) === 'inserted')).toEqual([]);
    expect(scaling.numberOfFilters).toBeGreaterThan(1);
    expect(failing(many, (item) => scaling.exists(item))).toEqual([]);
  });

  it('keeps false positives near the 8-bit fingerprint rate', () => {
    const filter = new CuckooFilter(20_000);
    for (const item of members(15_000)) filter.add(item);
    let hits = 0;
    const probes = members(20_000, 'stranger:');
    for (const probe of probes) if (filter.exists(probe)) hits++;
    // Up to 2 buckets × 2 slots are compared with a 1-in-255 fingerprint.
    expect(hits / probes.length).toBeLessThan(4 / 255);
  });

  it('deletes one copy at a time and never loses the remaining items', () => {
    const filter = new CuckooFilter(10_000);
    const items = members(8_000);
    for (const item of items) filter.add(item);
    const removed = items.filter((_, i) => i % 2 === 0);
    const kept = items.filter((_, i) => i % 2 === 1);
    expect(failing(removed, (item) => filter.delete(item))).toEqual([]);
    expect(failing(kept, (item) => filter.exists(item))).toEqual([]);
    const stillSeen = removed.filter((item) => filter.exists(item)).length;
    expect(stillSeen / removed.length).toBeLessThan(4 / 255);
    expect(filter.info()).toMatchObject({ numberOfItemsInserted: 4_000, numberOfItemsDeleted: 4_000 });
    expect(filter.delete('never-added')).toBe(false);

    filter.add('dup');
    filter.add('dup');
    filter.add('dup');
    expect(filter.count('dup')).toBe(3);
    expect(filter.delete('dup')).toBe(true);
    expect(filter.count('dup')).toBe(2);
  });

  it('addNx refuses items already present', () => {
    const filter = new CuckooFilter(100);
    expect(filter.addNx('a')).toBe('inserted');
    expect(filter.addNx('a')).toBe('exists');
    expect(filter.count('a')).toBe(1);
    expect(filter.add('a')).toBe('inserted');
    expect(filter.count('a')).toBe(2);
  });

  it('reports full without expansion, rolling kicks back so nothing is lost', () => {
    const filter = new CuckooFilter(8, 2, 20, 0);
    const inserted: string[] = [];
    let result = 'inserted';
    for (let i = 0; result === 'inserted'; i++) {
      result = filter.add(`item:${i}`);
      if (result === 'inserted') inserted.push(`item:${i}`);
    }
    expect(result).toBe('full');
    expect(inserted.length).toBeGreaterThan(0);
    expect(inserted.length).toBeLessThanOrEqual(8);
    expect(failing(inserted, (item) => filter.exists(item))).toEqual([]);
    expect(filter.info()).toMatchObject({ numberOfFilters: 1, numberOfItemsInserted: inserted.length });
  });

  it('compacts emptied sub-filters away after deletes', () => {
    const filter = new CuckooFilter(64, 2, 20, 1);
    const items = members(300);
    for (const item of items) filter.add(item);
    const grown = filter.numberOfFilters;
    expect(grown).toBeGreaterThan(2);
    const kept = items.slice(0, 40);
    for (const item of items.slice(40)) filter.delete(item);
    expect(filter.numberOfFilters).toBeLessThan(grown);
    filter.compact();
    expect(filter.numberOfFilters).toBe(1);
    expect(filter.info().numberOfItemsDeleted).toBe(0);
    expect(failing(kept, (item) => filter.exists(item))).toEqual([]);
  });

  it('round-trips through SCANDUMP/LOADCHUNK chunks and answers identically', () => {
    const filter = new CuckooFilter(1000, 4, 20, 2);
    const items = members(6000);
    for (const item of items) filter.add(item);
    for (const item of items.slice(0, 500)) filter.delete(item);
    const { copy, chunks } = rebuildFromDump(filter, 777);
    expect(chunks).toBeGreaterThan(10);
    expect(copy.info()).toEqual(filter.info());
    expect(failing(items.slice(500), (item) => copy.exists(item))).toEqual([]);
    expect(failing(members(5000, 'probe:'), (probe) => copy.count(probe) === filter.count(probe))).toEqual([]);
    expect(copy.serialize()).toBe(filter.serialize());
  });

  it('dumps nothing for an empty filter, like RedisBloom', () => {
    expect(new CuckooFilter(100).scanDump(0)).toEqual({ iter: 0, data: null });
  });

  it('round-trips through serialize/deserialize, even when empty', () => {
    const filter = new CuckooFilter(500, 2, 10, 2);
    for (const item of members(1500)) filter.add(item);
    const copy = CuckooFilter.deserialize(filter.serialize());
    expect(copy.info()).toEqual(filter.info());
    expect(failing(members(3000, 'probe:'), (probe) => copy.count(probe) === filter.count(probe))).toEqual([]);
    const empty = new CuckooFilter(100, 1, 5, 0);
    expect(CuckooFilter.deserialize(empty.serialize()).info()).toEqual(empty.info());
  });

  it('rejects garbage headers and chunks', () => {
    const filter = new CuckooFilter(1000);
    for (const item of members(100)) filter.add(item);
    const header = filter.scanDump(0).data ?? '';
    expect(() => CuckooFilter.fromHeader('garbage')).toThrow(ProbabilisticError);
    expect(() => CuckooFilter.fromHeader('garbage')).toThrow('Invalid header');
    expect(() => CuckooFilter.fromHeader(header.slice(0, -1))).toThrow('Invalid header');
    for (let i = 0; i < header.length; i++) {
      const corrupted = header.slice(0, i) + String.fromCharCode(header.charCodeAt(i) ^ 0x40) + header.slice(i + 1);
      try {
        CuckooFilter.fromHeader(corrupted);
      } catch (error) {
        expect(error).toBeInstanceOf(ProbabilisticError);
      }
    }
    const copy = CuckooFilter.fromHeader(header);
    const { iter, data } = filter.scanDump(1);
    expect(() => copy.loadChunk(iter, '')).toThrow("Couldn't load chunk!");
    expect(() => copy.loadChunk(iter + 5000, data ?? '')).toThrow("Couldn't load chunk!");
    expect(() => copy.loadChunk(iter + 1, (data ?? '') + 'x')).toThrow("Couldn't load chunk!");
    expect(() => CuckooFilter.deserialize(filter.serialize() + 'x')).toThrow('ERR received bad data');
  });

  it('clones deeply', () => {
    const filter = new CuckooFilter(100);
    for (const item of members(50)) filter.add(item);
    const copy = filter.clone();
    expect(copy.serialize()).toBe(filter.serialize());
    copy.delete('member:1');
    expect(filter.exists('member:1')).toBe(true);
    expect(copy.info().numberOfItemsInserted).toBe(49);
    expect(filter.info().numberOfItemsInserted).toBe(50);
  });
});
