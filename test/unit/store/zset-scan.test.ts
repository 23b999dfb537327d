/**
 * SortedSet.scan, ZSCAN's walk over a set Redis would hold as a hashtable:
 * cursors name live iterators, so a member present for the whole walk is
 * returned exactly once whatever changes meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { SortedSet } from '../../../src/store/zset.js';

function counter(): () => string {
  let n = 0;
  return () => String(++n);
}

/** Every entry a full walk returns, COUNT `count`, running `between` after each step. */
function walk(zset: SortedSet, count: number, issue: () => string, between: (step: number) => void = () => {}): string[] {
  const seen: string[] = [];
  let cursor = '0';
  let step = 0;
  do {
    const page = zset.scan(cursor, count, issue);
    expect(page.items.length).toBeLessThanOrEqual(count);
    for (const [member] of page.items) seen.push(member);
    cursor = page.cursor;
    between(step++);
  } while (cursor !== '0');
  return seen;
}

function bigSet(n: number): SortedSet {
  const zset = new SortedSet();
  for (let i = 0; i < n; i++) zset.add(`m${i}`, i % 7);
  return zset;
}

describe('SortedSet.scan', () => {
  it('returns every member once, COUNT at a time, with its score', () => {
    const zset = bigSet(300);
    const page = zset.scan('0', 10, counter());
    expect(page.items).toHaveLength(10);
    expect(page.items[0]![1]).toBe(zset.score(page.items[0]![0]));
    const seen = walk(zset, 17, counter());
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
  });

  it('returns members present throughout exactly once while others come and go', () => {
    const zset = bigSet(400);
    const stable = new Set([...zset.members()].filter((m) => Number(m.slice(1)) % 2 === 0));
    const seen = walk(zset, 25, counter(), (step) => {
      // Churn: remove some odd members, add new ones, rescore stable ones.
      for (let i = 0; i < 10; i++) zset.remove(`m${step * 20 + 2 * i + 1}`);
      for (let i = 0; i < 10; i++) zset.add(`new${step}-${i}`, i);
      zset.add(`m${step * 2}`, 1000 + step);
    });
    const counts = new Map<string, number>();
    for (const member of seen) counts.set(member, (counts.get(member) ?? 0) + 1);
    for (const member of stable) expect(counts.get(member), member).toBe(1);
    for (const [member, n] of counts) expect(n, member).toBe(1);
  });

  it('starts over on an unknown cursor, and keeps each set’s cursors apart', () => {
    const issue = counter();
    const a = bigSet(50);
    const b = bigSet(50);
    const first = a.scan('0', 10, issue);
    expect(first.cursor).not.toBe('0');
    // A cursor of `a` means nothing to `b`: b starts from its beginning.
    const fromB = b.scan(first.cursor, 10, issue);
    expect(fromB.items).toEqual(b.scan('0', 10, issue).items);
    const next = a.scan(first.cursor, 100, issue);
    expect(next.cursor).toBe('0');
    expect(first.items.length + next.items.length).toBe(50);
    // A finished cursor is forgotten too.
    expect(a.scan(first.cursor, 10, issue).items).toEqual(first.items);
  });
});
