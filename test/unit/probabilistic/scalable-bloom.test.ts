import bloomFilters from 'bloom-filters';
import { describe, expect, it } from 'vitest';
import { FilterFullError, ProbabilisticError } from '../../../src/store/probabilistic/encoding.js';
import {
  BLOOM_HASH_SEED,
  Latin1Murmur3Hashing,
  murmur3Latin1,
} from '../../../src/store/probabilistic/hashing.js';
import { ScalableBloom } from '../../../src/store/probabilistic/scalable-bloom.js';

const { BloomFilter } = bloomFilters;

const members = (count: number, prefix = 'member:'): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** Items failing the predicate; one expect per loop keeps big loops fast. */
const failing = (items: readonly string[], predicate: (item: string) => boolean): string[] =>
  items.filter((item) => !predicate(item));

/**
 * Allowed false-positive rate when probing `probes` non-members of a filter
 * built for `rate`: the observed rate is a binomial proportion with standard
 * deviation sqrt(p(1-p)/n), so rate + 4σ is exceeded by chance with
 * probability ~3e-5 even if the filter sits exactly at its target (the items
 * are fixed, so a pass is reproducible; the margin only has to absorb the
 * hash's luck on this particular sample).
 */
function fpBound(rate: number, probes: number): number {
  return rate + 4 * Math.sqrt((rate * (1 - rate)) / probes);
}

function falsePositiveRate(bloom: ScalableBloom, probes: readonly string[]): number {
  let hits = 0;
  for (const probe of probes) if (bloom.exists(probe)) hits++;
  return hits / probes.length;
}

function rebuildFromDump(source: ScalableBloom, maxChunkBytes?: number): { copy: ScalableBloom; chunks: number } {
  let { iter, data } = source.scanDump(0, maxChunkBytes);
  expect(iter).toBe(1);
  const copy = ScalableBloom.fromHeader(data ?? '');
  let chunks = 0;
  for (;;) {
    ({ iter, data } = source.scanDump(iter, maxChunkBytes));
    if (iter === 0) break;
    copy.loadChunk(iter, data ?? '');
    chunks++;
  }
  expect(data).toBe('');
  return { copy, chunks };
}

describe('murmur3Latin1', () => {
  it('matches the reference MurmurHash3 x86_32 vectors', () => {
    expect(murmur3Latin1('', 0)).toBe(0);
    expect(murmur3Latin1('', 1)).toBe(0x514e28b7);
    expect(murmur3Latin1('hello', 0)).toBe(0x248bfa47);
    expect(murmur3Latin1('Hello, world!', 1234)).toBe(0xfaf6cdb3);
    expect(murmur3Latin1('The quick brown fox jumps over the lazy dog', 0)).toBe(0x2e4ff723);
  });

  it('hashes latin1 strings as their bytes', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x80, 0x7f, 0xc3]);
    expect(murmur3Latin1(bytes.toString('latin1'), 7)).toBe(
      new Latin1Murmur3Hashing().serialize(bytes, 7),
    );
  });
});

describe('ScalableBloom', () => {
  it('reports BF.INFO fields as RedisBloom does for a default BF.ADD filter', () => {
    const bloom = new ScalableBloom(0.01, 100);
    expect(bloom.add('observation1')).toBe(true);
    expect(bloom.info()).toEqual({
      capacity: 100,
      size: 240,
      numberOfFilters: 1,
      numberOfItemsInserted: 1,
      expansionRate: 2,
    });
    expect(new ScalableBloom(0.01, 100, 2, true).info().expansionRate).toBeNull();
    expect(bloom.type).toBe('MBbloom--');
    expect(bloom.encoding()).toBe('raw');
  });

  it('answers false for repeated adds without consuming capacity', () => {
    const bloom = new ScalableBloom(0.01, 10);
    expect(bloom.add('a')).toBe(true);
    expect(bloom.add('a')).toBe(false);
    expect(bloom.card()).toBe(1);
    expect(bloom.exists('a')).toBe(true);
    expect(bloom.exists('b')).toBe(false);
  });

  it('stays within the requested false-positive rate at capacity, with no false negatives', () => {
    const n = 20_000;
    const items = members(n);
    const bloom = new ScalableBloom(0.01, n);
    for (const item of items) bloom.add(item);
    expect(bloom.info().numberOfFilters).toBe(1);
    expect(failing(items, (item) => bloom.exists(item))).toEqual([]);
    expect(falsePositiveRate(bloom, members(n, 'stranger:'))).toBeLessThanOrEqual(fpBound(0.01, n));
  });

  it('keeps a NONSCALING filter (no tightening) within its rate too', () => {
    const n = 20_000;
    const bloom = new ScalableBloom(0.01, n, 2, true);
    for (const item of members(n)) bloom.add(item);
    expect(falsePositiveRate(bloom, members(n, 'stranger:'))).toBeLessThanOrEqual(fpBound(0.01, n));
  });

  it('keeps the overall rate when scaled to 10x its initial capacity', () => {
    const initial = 2_000;
    const n = initial * 10;
    const items = members(n);
    const bloom = new ScalableBloom(0.01, initial);
    for (const item of items) bloom.add(item);
    const info = bloom.info();
    expect(info.numberOfFilters).toBe(4); // 2000 + 4000 + 8000 + 16000
    expect(info.capacity).toBe(30_000);
    expect(failing(items, (item) => bloom.exists(item))).toEqual([]);
    expect(falsePositiveRate(bloom, members(n, 'stranger:'))).toBeLessThanOrEqual(fpBound(0.01, n));
  });

  it('sizes links with RedisBloom bits-per-entry and tightens each new link', () => {
    const bloom = new ScalableBloom(0.01, 1000, 3);
    for (const item of members(1500)) bloom.add(item);
    const [first, second] = bloom.debugLinks();
    expect(first).toMatchObject({ capacity: 1000, ratio: 0.005, hashes: 8, bytes: 1384, bits: 1384 * 8 });
    expect(second).toMatchObject({ capacity: 3000, ratio: 0.0025 });
    expect(bloom.memoryUsage()).toBe(32 + 2 * 64 + first!.bytes + second!.bytes);
  });

  it('throws FilterFullError when a NONSCALING filter is full, but still answers for present items', () => {
    const bloom = new ScalableBloom(0.01, 3, 2, true);
    const added = ['a', 'b', 'c'].filter((item) => bloom.add(item));
    expect(added).toHaveLength(3);
    expect(() => bloom.add('d')).toThrow(FilterFullError);
    expect(() => bloom.add('d')).toThrow('ERR non scaling filter is full');
    expect(bloom.add('a')).toBe(false);
    expect(bloom.info().numberOfFilters).toBe(1);
  });

  it('sets exactly the bits a bloom-filters BloomFilter with the same hashing would', () => {
    const bloom = new ScalableBloom(0.01, 1000, 2, true);
    const [link] = bloom.debugLinks();
    const library = new BloomFilter(link!.bits, link!.hashes);
    library._hashing = new Latin1Murmur3Hashing();
    library.seed = BLOOM_HASH_SEED;
    for (const item of members(600)) {
      bloom.add(item);
      library.add(item);
    }
    const chunk = bloom.scanDump(1).data ?? '';
    expect(Buffer.from(chunk, 'latin1').equals(Buffer.from(library._filter.array))).toBe(true);
    expect(failing(members(2000, 'probe:'), (probe) => bloom.exists(probe) === library.has(probe))).toEqual([]);
  });

  it('round-trips through SCANDUMP/LOADCHUNK chunks and answers identically', () => {
    const bloom = new ScalableBloom(0.001, 500, 2);
    const items = members(5000);
    for (const item of items) bloom.add(item);
    const { copy, chunks } = rebuildFromDump(bloom, 1000);
    expect(chunks).toBeGreaterThan(10);
    expect(copy.info()).toEqual(bloom.info());
    expect(failing(items, (item) => copy.exists(item))).toEqual([]);
    expect(failing(members(5000, 'probe:'), (probe) => copy.exists(probe) === bloom.exists(probe))).toEqual([]);
    expect(copy.serialize()).toBe(bloom.serialize());
    // The rebuilt chain keeps scaling the same way.
    expect(failing(members(3000, 'later:'), (item) => copy.add(item) === bloom.add(item))).toEqual([]);
    expect(copy.info()).toEqual(bloom.info());
  });

  it('round-trips with the default 16 MB chunks in one chunk per link', () => {
    const bloom = new ScalableBloom(0.01, 100);
    for (const item of members(1000)) bloom.add(item);
    const { copy, chunks } = rebuildFromDump(bloom);
    expect(chunks).toBe(bloom.info().numberOfFilters);
    expect(copy.serialize()).toBe(bloom.serialize());
  });

  it('round-trips through serialize/deserialize', () => {
    const bloom = new ScalableBloom(0.02, 300, 4);
    for (const item of members(2000)) bloom.add(item);
    const copy = ScalableBloom.deserialize(bloom.serialize());
    expect(copy.info()).toEqual(bloom.info());
    expect(failing(members(3000, 'probe:'), (probe) => copy.exists(probe) === bloom.exists(probe))).toEqual([]);
  });

  it('rejects garbage headers and misplaced chunks', () => {
    const bloom = new ScalableBloom(0.01, 1000);
    for (const item of members(100)) bloom.add(item);
    const header = bloom.scanDump(0).data ?? '';

    expect(() => ScalableBloom.fromHeader('garbage')).toThrow(ProbabilisticError);
    expect(() => ScalableBloom.fromHeader('garbage')).toThrow('ERR received bad data');
    expect(() => ScalableBloom.fromHeader(header.slice(0, -1))).toThrow('ERR received bad data');
    expect(() => ScalableBloom.fromHeader(header + '\0')).toThrow('ERR received bad data');
    // Flip each byte in turn: no corrupted header may be accepted with a different shape.
    for (let i = 0; i < header.length; i++) {
      const corrupted = header.slice(0, i) + String.fromCharCode(header.charCodeAt(i) ^ 0x40) + header.slice(i + 1);
      let accepted: ScalableBloom | null = null;
      try {
        accepted = ScalableBloom.fromHeader(corrupted);
      } catch (error) {
        expect(error).toBeInstanceOf(ProbabilisticError);
      }
      if (accepted !== null) expect(accepted.info().size).toBe(bloom.info().size);
    }

    const copy = ScalableBloom.fromHeader(header);
    const { iter, data } = bloom.scanDump(1);
    expect(() => copy.loadChunk(0, data ?? '')).toThrow('ERR received bad data');
    expect(() => copy.loadChunk(iter + 10_000, data ?? '')).toThrow('ERR invalid offset - no link found');
    expect(() => copy.loadChunk(iter + 2, (data ?? '') + 'xx')).toThrow('ERR invalid chunk - Too big for current filter');
    expect(() => ScalableBloom.deserialize(bloom.serialize().slice(0, -1))).toThrow('ERR received bad data');
  });

  it('clones deeply', () => {
    const bloom = new ScalableBloom(0.01, 100);
    for (const item of members(150)) bloom.add(item);
    const copy = bloom.clone();
    expect(copy.serialize()).toBe(bloom.serialize());
    copy.add('only-in-copy');
    expect(copy.exists('only-in-copy')).toBe(true);
    expect(bloom.exists('only-in-copy')).toBe(false);
    expect(bloom.card()).toBe(copy.card() - 1);
  });
});
