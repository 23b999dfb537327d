/**
 * RedisHash on its own: listpack order, sticky conversion, the random-access
 * index that a big hash builds on its first random pick, and the live SCAN
 * cursors.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../helpers/random.js';
import { RedisHash } from '../../../src/store/hash.js';
import { DEFAULT_ENCODING, type EncodingConfig } from '../../../src/store/types.js';

const config: EncodingConfig = { ...DEFAULT_ENCODING, hashMaxListpackEntries: 4, hashMaxListpackValue: 8 };

describe('RedisHash', () => {
  it('keeps listpack order and converts for good past either limit', () => {
    const hash = new RedisHash();
    for (const field of ['c', 'a', 'b']) hash.set(field, field.toUpperCase(), config);
    hash.delete('a');
    hash.set('a', 'A2', config);
    expect([...hash.entries()]).toEqual([['c', 'C'], ['b', 'B'], ['a', 'A2']]);
    expect(hash.encoding()).toBe('listpack');
    hash.set('d', '12345678', config);
    expect(hash.encoding()).toBe('listpack');
    hash.set('d', '123456789', config);
    expect(hash.encoding()).toBe('hashtable');
    hash.delete('d');
    expect(hash.encoding()).toBe('hashtable');
    const wide = new RedisHash();
    for (let i = 0; i < 5; i++) wide.set(`f${i}`, 'v', config);
    expect(wide.encoding()).toBe('hashtable');
  });

  it('keeps its random-access index in step with writes once built', () => {
    const rng = new Rng(3);
    const random = () => rng.next();
    const hash = new RedisHash();
    for (let i = 0; i < 200; i++) hash.set(`f${i}`, `v${i}`, config);
    hash.randomField(random); // builds the index
    for (let i = 0; i < 5000; i++) {
      const field = `f${rng.int(0, 300)}`;
      if (rng.chance(0.5)) hash.set(field, 'x', config);
      else hash.delete(field);
      if (hash.size === 0) continue;
      expect(hash.has(hash.randomField(random))).toBe(true);
    }
    const seen = new Set<string>();
    for (let i = 0; i < 20_000 && seen.size < hash.size; i++) seen.add(hash.randomField(random));
    expect(seen.size).toBe(hash.size);
    const sample = hash.distinctRandomFields(Math.floor(hash.size / 2), random);
    expect(new Set(sample).size).toBe(sample.length);
    for (const field of sample) expect(hash.has(field)).toBe(true);
  });

  it('scans a hashtable through live cursors, returning every stable field once', () => {
    const hash = new RedisHash();
    for (let i = 0; i < 100; i++) hash.set(`f${i}`, `v${i}`, config);
    let cursor = '0';
    let issued = 0;
    const seen: string[] = [];
    let step = 0;
    do {
      const page = hash.scan(cursor, 7, () => String(++issued));
      cursor = page.cursor;
      for (const [field] of page.items) seen.push(field);
      hash.delete(`f${99 - step}`);
      hash.set(`new${step}`, 'x', config);
      step++;
    } while (cursor !== '0');
    const stable = seen.filter((field) => /^f\d+$/.test(field) && Number(field.slice(1)) < 50);
    expect(new Set(stable).size).toBe(50);
    expect(stable).toHaveLength(50);
  });
});
