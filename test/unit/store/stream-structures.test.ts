/**
 * The stream structures on their own: the OrderedMap (B+ tree) against a
 * sorted array under random inserts, deletes and seeks, and the ID codec's
 * 64-bit edges.
 */
import { describe, expect, it } from 'vitest';
import { OrderedMap } from '../../../src/store/stream/ordered-map.js';
import { decrId, formatId, idFromNumbers, incrId, parseId, parseU64, MAX_ID, MIN_ID } from '../../../src/store/stream/stream-id.js';
import { Rng } from '../../helpers/random.js';

describe('OrderedMap', () => {
  it('agrees with a sorted array under random inserts, deletes and seeks', () => {
    const rng = new Rng(7);
    const map = new OrderedMap<number>();
    const reference = new Map<string, number>();
    const key = (): string => String(rng.int(0, 5000)).padStart(5, '0');
    for (let step = 0; step < 40000; step++) {
      const k = key();
      const roll = rng.next();
      if (roll < 0.5) {
        map.set(k, step);
        reference.set(k, step);
      } else if (roll < 0.85) {
        expect(map.delete(k)).toBe(reference.delete(k));
      } else {
        const sorted = [...reference.keys()].sort();
        const ceiling = sorted.find((x) => x >= k) ?? null;
        const floor = [...sorted].reverse().find((x) => x <= k) ?? null;
        const c = map.ceiling(k);
        const f = map.floor(k);
        expect(c === null ? null : OrderedMap.key(c)).toBe(ceiling);
        expect(f === null ? null : OrderedMap.key(f)).toBe(floor);
        expect(map.get(k)).toBe(reference.get(k));
      }
      expect(map.size).toBe(reference.size);
    }
    const sorted = [...reference.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect([...map.entries()]).toEqual(sorted);
    // Walking backwards from the end visits the same keys in reverse.
    const back: string[] = [];
    const cursor = map.last();
    if (cursor !== null) do back.push(OrderedMap.key(cursor)); while (map.prev(cursor));
    expect(back).toEqual(sorted.map(([k]) => k).reverse());
  });
});

describe('stream IDs', () => {
  it('order as the numbers they stand for, across the full 64-bit range', () => {
    const ids = ['0-0', '0-1', '1-0', '4294967295-4294967296', '4294967296-0', '9007199254740993-5', '18446744073709551615-18446744073709551615'];
    const parsed = ids.map((text) => parseId(text, false, true)!.id);
    expect(parsed.map(formatId)).toEqual(ids);
    expect([...parsed].sort()).toEqual(parsed);
    expect(parsed[parsed.length - 1]).toBe(MAX_ID);
    expect(incrId(MAX_ID)).toBeNull();
    expect(decrId(MIN_ID)).toBeNull();
    expect(formatId(incrId(parseId('5-18446744073709551615', false, true)!.id)!)).toBe('6-0');
    expect(formatId(decrId(parseId('4294967296-0', false, true)!.id)!)).toBe('4294967295-18446744073709551615');
    expect(formatId(idFromNumbers(1_700_000_000_000, 3))).toBe('1700000000000-3');
  });

  it('parse as string2ull does', () => {
    expect(parseU64('18446744073709551616')).toBeNull();
    expect(parseU64('-1')).toBeNull();
    expect(parseU64(' -1')).toEqual([0xffffffff, 0xffffffff]);
    expect(parseU64('007')).toEqual([0, 7]);
    expect(parseU64('+5')).toEqual([0, 5]);
    expect(parseU64('')).toBeNull();
    expect(parseU64('1 ')).toBeNull();
    expect(parseId('5', true, true)!.id).toBe(parseId('5-18446744073709551615', false, true)!.id);
    expect(parseId('-', false, true)).toBeNull();
    expect(parseId('+', false, false)!.id).toBe(MAX_ID);
    expect(parseId('7-*', false, true, true)).toEqual({ id: parseId('7-0', false, true)!.id, seqGiven: false });
  });
});
