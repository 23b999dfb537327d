import { describe, expect, it } from 'vitest';
import { QuickList } from '../../../src/store/list.js';
import { Rng, testSeeds } from '../../helpers/random.js';

// ---- the naive model: a plain array with Redis's index rules ----

function normRange(len: number, start: number, stop: number): [number, number] | null {
  if (start < 0) start += len;
  if (stop < 0) stop += len;
  if (start < 0) start = 0;
  if (start > stop || start >= len) return null;
  return [start, Math.min(stop, len - 1)];
}

function modelLpos(a: string[], value: string, rank: number, count: number, maxlen: number): number[] {
  const order = a.map((_, i) => i);
  if (rank < 0) order.reverse();
  const scanned = maxlen > 0 ? order.slice(0, maxlen) : order;
  const matches = scanned.filter((i) => a[i] === value);
  const fromRank = matches.slice(Math.abs(rank) - 1);
  return count === 0 ? fromRank : fromRank.slice(0, count);
}

function modelLrem(a: string[], count: number, value: string): [string[], number] {
  const limit = count === 0 ? Infinity : Math.abs(count);
  let removed = 0;
  const walk = count < 0 ? a.slice().reverse() : a.slice();
  const kept = walk.filter((v) => {
    if (v === value && removed < limit) {
      removed++;
      return false;
    }
    return true;
  });
  return [count < 0 ? kept.reverse() : kept, removed];
}

const MIX: Array<[string, number]> = [
  ['pushHead', 10], ['pushTail', 10], ['pushMany', 3], ['popHead', 6], ['popTail', 6], ['popCount', 2],
  ['at', 5], ['set', 3], ['range', 4], ['insert', 2], ['lrem', 1], ['trim', 0.5], ['lpos', 3], ['check', 1],
];

function runRandom(seed: number, ops: number, values: string[]): void {
  const rng = new Rng(seed);
  const list = new QuickList();
  let model: string[] = [];
  const value = (): string => rng.pick(values);
  for (let op = 0; op < ops; op++) {
    const what = rng.weighted(MIX);
    const ctx = `seed ${seed} op ${op} ${what}`;
    const len = model.length;
    switch (what) {
      case 'pushHead': {
        const v = value();
        model.unshift(v);
        expect(list.pushHead(v), ctx).toBe(model.length);
        break;
      }
      case 'pushTail': {
        const v = value();
        model.push(v);
        expect(list.pushTail(v), ctx).toBe(model.length);
        break;
      }
      case 'pushMany': {
        const vs = Array.from({ length: rng.int(0, 40) }, value);
        const head = rng.chance(0.5);
        if (head) model = vs.slice().reverse().concat(model);
        else model = model.concat(vs);
        expect(head ? list.pushHead(vs) : list.pushTail(vs), ctx).toBe(model.length);
        break;
      }
      case 'popHead':
        expect(list.popHead(), ctx).toBe(model.shift());
        break;
      case 'popTail':
        expect(list.popTail(), ctx).toBe(model.pop());
        break;
      case 'popCount': {
        const count = rng.int(0, 30);
        if (rng.chance(0.5)) expect(list.popHead(count), ctx).toEqual(model.splice(0, count));
        else expect(list.popTail(count), ctx).toEqual(model.splice(Math.max(0, len - count)).reverse());
        break;
      }
      case 'at': {
        const i = rng.int(-len - 2, len + 1);
        expect(list.at(i), ctx).toBe(model.at(i));
        break;
      }
      case 'set': {
        const i = rng.int(-len - 2, len + 1);
        const v = value();
        const ok = i >= -len && i < len;
        if (ok) model[i < 0 ? i + len : i] = v;
        expect(list.set(i, v), ctx).toBe(ok);
        break;
      }
      case 'range': {
        const start = rng.int(-len - 3, len + 3);
        const stop = rng.int(-len - 3, len + 3);
        const r = normRange(len, start, stop);
        expect(list.range(start, stop), ctx).toEqual(r === null ? [] : model.slice(r[0], r[1] + 1));
        break;
      }
      case 'insert': {
        const pivot = value();
        const v = value();
        const after = rng.chance(0.5);
        const i = model.indexOf(pivot);
        if (i >= 0) model.splice(after ? i + 1 : i, 0, v);
        const got = after ? list.insertAfter(pivot, v) : list.insertBefore(pivot, v);
        expect(got, ctx).toBe(i >= 0 ? model.length : -1);
        break;
      }
      case 'lrem': {
        const count = rng.int(-3, 3);
        const v = value();
        const [kept, removed] = modelLrem(model, count, v);
        model = kept;
        expect(list.removeMatching(count, v), ctx).toBe(removed);
        break;
      }
      case 'trim': {
        const start = rng.int(-len - 3, len + 3);
        const stop = rng.int(-len - 3, len + 3);
        const r = normRange(len, start, stop);
        model = r === null ? [] : model.slice(r[0], r[1] + 1);
        expect(list.trim(start, stop), ctx).toBe(len - model.length);
        break;
      }
      case 'lpos': {
        const v = value();
        const rank = rng.pick([1, 2, 3, -1, -2, -3]);
        const count = rng.int(0, 4);
        const maxlen = rng.chance(0.5) ? 0 : rng.int(1, len + 2);
        expect(list.indexOf(v, rank, count, maxlen), ctx).toEqual(modelLpos(model, v, rank, count, maxlen));
        break;
      }
      case 'check':
        expect(list.length, ctx).toBe(model.length);
        expect(list.toArray(), ctx).toEqual(model);
        break;
    }
  }
  expect(list.toArray()).toEqual(model);
  expect([...list]).toEqual(model);
  const copy = list.clone();
  copy.pushTail('only-in-copy');
  expect(list.toArray()).toEqual(model);
  expect(copy.length).toBe(model.length + 1);
}

describe('QuickList against an array model', () => {
  for (const seed of testSeeds('list model')) {
    it(`few distinct values, seed ${seed}`, () => runRandom(seed, 8000, ['a', 'b', 'c']));
    it(`many distinct values, seed ${seed}`, () => runRandom(seed ^ 0x77, 8000, Array.from({ length: 50 }, (_, i) => `v${i}`)));
  }
});

describe('QuickList', () => {
  it('wraps around the ring and keeps order', () => {
    const list = new QuickList();
    for (let i = 0; i < 3; i++) list.pushTail(`t${i}`);
    for (let i = 0; i < 3; i++) list.pushHead(`h${i}`);
    expect(list.toArray()).toEqual(['h2', 'h1', 'h0', 't0', 't1', 't2']);
    expect(list.at(-1)).toBe('t2');
    expect(list.at(0)).toBe('h2');
    expect(list.at(6)).toBeUndefined();
    expect(list.at(-7)).toBeUndefined();
  });

  it('LPUSH a b c puts c first', () => {
    const list = new QuickList();
    expect(list.pushHead(['a', 'b', 'c'])).toBe(3);
    expect(list.toArray()).toEqual(['c', 'b', 'a']);
    expect(list.popTail(5)).toEqual(['a', 'b', 'c']);
    expect(list.popHead()).toBeUndefined();
    expect(list.popHead(3)).toEqual([]);
  });

  it('gives memory back when drained', () => {
    const list = new QuickList();
    for (let i = 0; i < 100_000; i++) list.pushTail(`v${i}`);
    expect(list.capacity).toBe(131_072);
    for (let i = 0; i < 99_990; i++) list.popHead();
    expect(list.capacity).toBeLessThanOrEqual(32);
    expect(list.toArray()).toEqual(Array.from({ length: 10 }, (_, i) => `v${99_990 + i}`));
    list.trim(1, 0);
    expect(list.length).toBe(0);
    expect(list.capacity).toBe(4);
  });

  it('does not thrash at a resize boundary', () => {
    const list = new QuickList();
    for (let i = 0; i < 16; i++) list.pushTail('x');
    const cap = list.capacity;
    for (let i = 0; i < 1000; i++) {
      list.pushTail('y');
      list.popTail();
    }
    expect(list.capacity).toBe(cap * 2);
  });

  it('LPOS with rank, count and maxlen', () => {
    const list = new QuickList();
    list.pushTail(['a', 'b', 'c', '1', '2', '3', 'c', 'c']);
    expect(list.indexOf('c')).toEqual([2]);
    expect(list.indexOf('c', -1)).toEqual([7]);
    expect(list.indexOf('c', 2)).toEqual([6]);
    expect(list.indexOf('c', 1, 0)).toEqual([2, 6, 7]);
    expect(list.indexOf('c', -2, 0)).toEqual([6, 2]);
    expect(list.indexOf('c', 1, 0, 3)).toEqual([2]);
    expect(list.indexOf('c', -1, 0, 2)).toEqual([7, 6]);
    expect(list.indexOf('z', 1, 0)).toEqual([]);
  });

  it('LREM from either end', () => {
    const list = new QuickList();
    list.pushTail(['x', 'a', 'x', 'b', 'x']);
    expect(list.removeMatching(-2, 'x')).toBe(2);
    expect(list.toArray()).toEqual(['x', 'a', 'b']);
    expect(list.removeMatching(0, 'x')).toBe(1);
    expect(list.toArray()).toEqual(['a', 'b']);
  });

  it('reports quicklist like Redis 7.0', () => {
    const list = new QuickList();
    list.pushTail('a');
    expect(list.encoding()).toBe('quicklist');
    expect(list.type).toBe('list');
  });
});
