/**
 * HashFieldTtls and FieldExpiryIndex against a plain model: whatever mix of
 * deadlines set earlier or later, deleted and re-added, the earliest
 * deadline and the fields taken as expired (earliest first, up to a limit)
 * are the model's. The heaps delete lazily, so this is where a superseded
 * entry answering for a live one would show.
 */
import { describe, expect, it } from 'vitest';
import { FieldExpiryIndex, HashFieldTtls } from '../../../src/store/hash-field-expiry.js';
import { Rng } from '../../helpers/random.js';

function modelEarliest(model: Map<string, number>): number {
  let earliest = Infinity;
  for (const when of model.values()) earliest = Math.min(earliest, when);
  return earliest;
}

describe('HashFieldTtls', () => {
  for (const [seed, fieldCount] of [[1, 40], [2, 40], [3, 40], [42, 2], [1234, 1]] as const) {
    it(`matches a plain map of deadlines over random operations (seed ${seed}, ${fieldCount} fields)`, () => {
      const rng = new Rng(seed);
      const ttls = new HashFieldTtls();
      const model = new Map<string, number>();
      let now = 0;
      for (let step = 0; step < 5000; step++) {
        const field = `f${rng.int(0, fieldCount - 1)}`;
        const roll = rng.int(0, 100);
        if (roll < 55) {
          const when = now + rng.int(0, 500);
          ttls.set(field, when);
          model.set(field, when);
        } else if (roll < 75) {
          expect(ttls.delete(field)).toBe(model.delete(field));
        } else if (roll < 90) {
          now += rng.int(0, 60);
          const limit = rng.int(1, 6);
          const expected = [...model.entries()].filter(([, when]) => when < now).sort((a, b) => a[1] - b[1]);
          const taken = ttls.takeExpired(now, limit);
          expect(taken.length).toBe(Math.min(limit, expected.length));
          // Earliest first; fields due at the same time may come in either order.
          expect(taken.map((f) => model.get(f))).toEqual(expected.slice(0, taken.length).map(([, when]) => when));
          for (const f of taken) model.delete(f);
        }
        expect(ttls.size).toBe(model.size);
        expect(ttls.nextDeadline()).toBe(modelEarliest(model));
        expect(ttls.get(field)).toBe(model.get(field));
      }
    });
  }

  it('a refreshed deadline (moved later) needs no new heap entry', () => {
    const ttls = new HashFieldTtls();
    ttls.set('a', 10);
    for (let when = 11; when < 1000; when++) ttls.set('a', when);
    expect(ttls.nextDeadline()).toBe(999);
    expect(ttls.takeExpired(999, 10)).toEqual([]);
    expect(ttls.takeExpired(1000, 10)).toEqual(['a']);
    expect(ttls.nextDeadline()).toBe(Infinity);
  });
});

describe('FieldExpiryIndex', () => {
  it('hands out registered keys earliest first', () => {
    const index = new FieldExpiryIndex();
    index.register('b', 20);
    index.register('a', 10);
    index.register('c', Infinity);
    index.register('d', 15);
    const order: string[] = [];
    while (index.nextDeadline() !== Infinity) order.push(index.takeNext());
    expect(order).toEqual(['a', 'd', 'b']);
  });
});
