/**
 * RedisSet on its own: the slot index stays consistent through swap-removes,
 * the encoding follows Redis 7.0's intset rules, and random picks are
 * uniform (the integration tests can only check their shape).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../helpers/random.js';
import { RedisSet, setFromMembers } from '../../../src/store/set.js';
import { DEFAULT_ENCODING, type EncodingConfig } from '../../../src/store/types.js';

const config: EncodingConfig = DEFAULT_ENCODING;

describe('RedisSet', () => {
  it('keeps membership exact through random adds, removes and pops', () => {
    const rng = new Rng(7);
    const set = new RedisSet();
    const model = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const member = `m${rng.int(0, 300)}`;
      const roll = rng.next();
      if (roll < 0.5) expect(set.add(member, config)).toBe(!model.has(member));
      else if (roll < 0.8) expect(set.remove(member)).toBe(model.has(member));
      else if (set.size > 0) {
        const popped = set.pop(() => rng.next());
        expect(model.has(popped)).toBe(true);
        model.delete(popped);
        continue;
      }
      if (roll < 0.5) model.add(member);
      else model.delete(member);
      expect(set.size).toBe(model.size);
    }
    expect([...set.elements()].sort()).toEqual([...model].sort());
    for (const member of model) expect(set.has(member)).toBe(true);
  });

  it('is an intset of canonical int64s up to set-max-intset-entries, listed in numeric order', () => {
    const set = setFromMembers(['10', '-3', '9223372036854775807', '-9223372036854775808', '2', '-10'], config);
    expect(set.encoding()).toBe('intset');
    expect(set.elements()).toEqual(['-9223372036854775808', '-10', '-3', '2', '10', '9223372036854775807']);
    for (const text of ['007', '-0', '+1', ' 1', '9223372036854775808', '1.0', '']) {
      expect(setFromMembers(['1', text], config).encoding(), text).toBe('hashtable');
    }
    const small = { ...config, setMaxIntsetEntries: 3 };
    const grown = setFromMembers(['1', '2', '3'], small);
    expect(grown.encoding()).toBe('intset');
    grown.add('4', small);
    expect(grown.encoding()).toBe('hashtable');
    grown.remove('4');
    expect(grown.encoding()).toBe('hashtable');
    expect(grown.clone().encoding()).toBe('hashtable');
  });

  it('picks members uniformly, alone and in distinct samples', () => {
    const rng = new Rng(11);
    const random = () => rng.next();
    const set = setFromMembers(Array.from({ length: 10 }, (_, i) => `m${i}`), config);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const picked = set.random(random);
      counts.set(picked, (counts.get(picked) ?? 0) + 1);
    }
    for (const n of counts.values()) expect(Math.abs(n - 2000)).toBeLessThan(250);
    const inSample = new Map<string, number>();
    for (let i = 0; i < 5000; i++) {
      const sample = set.distinctRandom(i % 2 === 0 ? 2 : 7, random);
      expect(new Set(sample).size).toBe(sample.length);
      for (const member of sample) inSample.set(member, (inSample.get(member) ?? 0) + 1);
    }
    // Each member is in 2/10 of the small samples and 7/10 of the large ones: 2250 expected.
    for (const n of inSample.values()) expect(Math.abs(n - 2250)).toBeLessThan(200);
  });
});
