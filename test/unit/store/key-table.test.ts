import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../../src/store/key-table.js';
import { FIXED_SEED, Rng } from '../../helpers/random.js';

/** Runs a full SCAN-style walk, calling `between` after every step. */
function walk(table: KeyTable<number>, between: (step: number) => void = () => {}): string[] {
  const seen: string[] = [];
  let cursor = 0;
  let step = 0;
  do {
    cursor = table.scanBucket(cursor, (key) => seen.push(key));
    between(step++);
    expect(step).toBeLessThan(1_000_000);
  } while (cursor !== 0);
  return seen;
}

describe('KeyTable', () => {
  it('sampleSlots gives distinct occupied slots, as many as asked and present', () => {
    const table = new KeyTable<number>();
    const out = new Int32Array(64);
    expect(table.sampleSlots(5, out)).toBe(0);
    for (let i = 0; i < 3; i++) table.set(`k${i}`, i);
    expect(table.sampleSlots(5, out)).toBe(3);
    expect([...out.subarray(0, 3)].map((slot) => table.keyAt(slot)).sort()).toEqual(['k0', 'k1', 'k2']);
    for (let i = 3; i < 1000; i++) table.set(`k${i}`, i);
    const rng = new Rng(FIXED_SEED);
    for (let round = 0; round < 100; round++) {
      const found = table.sampleSlots(16, out, () => rng.next());
      expect(found).toBe(16);
      const keys = [...out.subarray(0, found)].map((slot) => table.keyAt(slot));
      expect(new Set(keys).size).toBe(16);
      for (const key of keys) expect(table.get(key)).toBe(Number(key.slice(1)));
    }
  });

  it('agrees with a Map through random sets and deletes, growing and shrinking', () => {
    const rng = new Rng(FIXED_SEED);
    const table = new KeyTable<number>(() => rng.next());
    const model = new Map<string, number>();
    for (let round = 0; round < 20; round++) {
      // Fill up (the table grows), then drain most of it (it shrinks).
      const keys = rng.int(50, 3000);
      for (let i = 0; i < keys * 2; i++) {
        const key = 'k' + rng.int(0, keys);
        if (rng.chance(0.7)) {
          table.set(key, i, i * 2);
          model.set(key, i);
        } else {
          expect(table.delete(key)).toBe(model.delete(key));
        }
      }
      for (const key of [...model.keys()]) {
        if (rng.chance(0.9)) {
          expect(table.delete(key)).toBe(true);
          model.delete(key);
        }
      }
      expect(table.size).toBe(model.size);
      for (const [key, value] of model) {
        expect(table.get(key)).toBe(value);
        // The clock moves with its key through backward shifts and resizes.
        expect(table.clockAt(table.find(key))).toBe(value * 2);
      }
      expect(table.get('absent')).toBeUndefined();
      expect(table.keys().sort()).toEqual([...model.keys()].sort());
    }
  });

  it("keeps each key's clock and accounted bytes, packed or not, through moves, resizes and clock changes", () => {
    // Small multiples of 16 share the clock's word; every other figure
    // (0, odd sizes, fractions, big ones) lives beside it. Both kinds must
    // follow their key through backward shifts and resizes, and neither a
    // clock change nor a bytes change may disturb the other.
    const rng = new Rng(FIXED_SEED);
    const table = new KeyTable<number>(() => rng.next());
    const model = new Map<string, { clock: number; bytes: number }>();
    const sizes = [0, 8, 16, 32, 48, 64, 72, 240, 256, 24.5, 1e9, 2 ** 40, 16 * 15 + 1];
    const anySize = (): number => (rng.chance(0.5) ? rng.pick(sizes) : rng.int(0, 100_000));
    // The clock word's 26 bits: 24 of clock and the two string-encoding bits.
    const anyClock = (): number => rng.int(0, (1 << 26) - 1);
    const check = (key: string): void => {
      const want = model.get(key)!;
      const slot = table.find(key);
      expect(table.clockAt(slot)).toBe(want.clock);
      expect(table.bytesAt(slot)).toBe(want.bytes);
    };
    for (let step = 0; step < 40_000; step++) {
      const key = 'k' + rng.int(0, rng.chance(0.5) ? 50 : 600);
      const present = model.has(key);
      const op = rng.int(0, 4);
      if (op === 0 || !present) {
        const entry = { clock: anyClock(), bytes: anySize() };
        const replaced = table.set(key, step, entry.clock, entry.bytes);
        expect(replaced).toBe(present ? model.get(key)!.bytes : -1);
        model.set(key, entry);
      } else if (op === 1) {
        const entry = model.get(key)!;
        entry.clock = anyClock();
        table.setClockAt(table.find(key), entry.clock);
      } else if (op === 2) {
        const entry = model.get(key)!;
        entry.bytes = anySize();
        table.setBytesAt(table.find(key), entry.bytes);
      } else if (op === 3) {
        const entry = { clock: anyClock(), bytes: anySize() };
        table.setClockAndBytesAt(table.find(key), entry.clock, entry.bytes);
        model.set(key, entry);
      } else {
        expect(table.delete(key)).toBe(true);
        model.delete(key);
      }
      if (step % 997 === 0) for (const k of model.keys()) check(k);
      else if (model.has(key)) check(key);
    }
    for (const k of model.keys()) check(k);
  });

  it('findAgain answers as find does, whatever moved keys since the last probe', () => {
    // findAgain reuses the last probe's answer for the same key: every
    // operation that moves or adds a key in between must make it probe anew.
    const rng = new Rng(FIXED_SEED);
    const table = new KeyTable<number>(() => rng.next());
    const model = new Map<string, number>();
    const fresh = (key: string): string => (' ' + key).slice(1); // an equal key, another string object
    for (let step = 0; step < 60_000; step++) {
      // Few enough keys that the table grows and shrinks many times.
      const key = 'k' + rng.int(0, rng.chance(0.5) ? 40 : 400);
      const op = rng.int(0, 6);
      if (op === 0) {
        table.set(key, step);
        model.set(key, step);
      } else if (op === 1) {
        expect(table.delete(key)).toBe(model.delete(key));
      } else if (op === 2) {
        table.clear();
        model.clear();
      } else {
        // A probe, then the same key again, with other work in between or not.
        const slot = table.find(key);
        expect(slot >= 0).toBe(model.has(key));
        if (rng.chance(0.5)) {
          const other = 'k' + rng.int(0, 400);
          if (rng.chance(0.5)) {
            table.set(other, -step);
            model.set(other, -step);
          } else {
            expect(table.delete(other)).toBe(model.delete(other));
          }
        }
        const again = table.findAgain(rng.chance(0.5) ? key : fresh(key));
        expect(again >= 0).toBe(model.has(key));
        if (again >= 0) {
          expect(table.keyAt(again)).toBe(key);
          expect(table.valueAt(again)).toBe(model.get(key));
        }
        // An insert right after a missed probe lands where the probe ended.
        if (again < 0 && rng.chance(0.5)) {
          expect(table.set(key, step)).toBe(-1);
          model.set(key, step);
          expect(table.valueAt(table.findAgain(key))).toBe(step);
        }
      }
    }
    for (const [key, value] of model) expect(table.get(key)).toBe(value);
    expect(table.size).toBe(model.size);
  });

  it('treats keys as binary strings (NUL, high bytes, the empty key)', () => {
    const table = new KeyTable<string>();
    const keys = ['', '\x00', '\x00\x00', 'a\x00b', '\xff', '\xfe\xff', 'x'.repeat(100_000)];
    for (const key of keys) table.set(key, JSON.stringify(key.length), 0);
    for (const key of keys) expect(table.get(key)).toBe(JSON.stringify(key.length));
    expect(table.get('a\x00')).toBeUndefined();
  });

  it('walks a fixed table once: every key exactly once, ending at cursor 0', () => {
    const table = new KeyTable<number>();
    for (let i = 0; i < 5000; i++) table.set('key:' + i, i, 0);
    const seen = walk(table);
    expect(seen.length).toBe(5000);
    expect(new Set(seen).size).toBe(5000);
  });

  it('returns every key present throughout, once, while the table grows during the walk', () => {
    const rng = new Rng(FIXED_SEED + 1);
    const table = new KeyTable<number>(() => rng.next());
    for (let i = 0; i < 200; i++) table.set('stable:' + i, i, 0);
    // One new key per step: growing faster than the walk visits buckets
    // would keep it from ever ending, in Redis as here.
    let added = 0;
    const before = table.capacity;
    const seen = walk(table, () => {
      if (added < 2000) table.set('new:' + added++, 0, 0);
    });
    expect(table.capacity).toBeGreaterThanOrEqual(before * 4);
    for (let i = 0; i < 200; i++) expect(seen.filter((k) => k === 'stable:' + i), 'stable:' + i).toHaveLength(1);
  });

  it('returns every key present throughout at least once while the table shrinks during the walk', () => {
    const rng = new Rng(FIXED_SEED + 2);
    const table = new KeyTable<number>(() => rng.next());
    for (let i = 0; i < 100; i++) table.set('stable:' + i, i, 0);
    for (let i = 0; i < 20_000; i++) table.set('doomed:' + i, i, 0);
    const before = table.capacity;
    let next = 0;
    const seen = new Set(
      walk(table, () => {
        for (let i = 0; i < 400 && next < 20_000; i++) table.delete('doomed:' + next++);
      }),
    );
    expect(table.capacity).toBeLessThan(before);
    for (let i = 0; i < 100; i++) expect(seen.has('stable:' + i), 'stable:' + i).toBe(true);
    for (const key of seen) expect(key).toMatch(/^(stable|doomed):\d+$/);
  });

  it('takes any 32-bit cursor, so a client-made cursor still ends', () => {
    const table = new KeyTable<number>();
    for (let i = 0; i < 100; i++) table.set(String(i), i, 0);
    let cursor = 0xfffffff0;
    let steps = 0;
    do {
      cursor = table.scanBucket(cursor, () => {});
      steps++;
    } while (cursor !== 0 && steps < 10_000);
    expect(cursor).toBe(0);
  });

  it('picks random keys from the whole table', () => {
    const rng = new Rng(FIXED_SEED + 3);
    const table = new KeyTable<number>(() => rng.next());
    expect(table.randomKey()).toBeUndefined();
    for (let i = 0; i < 20; i++) table.set('k' + i, i, 0);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const key = table.randomKey(() => rng.next())!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(20);
    // Uniform: each of 20 keys near 1000 draws.
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });
});
