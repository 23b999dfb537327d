/**
 * SORT and SORT_RO through real sockets. Lists, sets, hashes and sorted
 * sets are stored straight into the keyspace with the store's classes, so
 * these tests don't depend on the commands that build them. Every expected
 * reply was checked against redis-server 7.0.15 fed the same data.
 */
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RedisHash } from '../../src/store/hash.js';
import { QuickList } from '../../src/store/list.js';
import { RedisSet } from '../../src/store/set.js';
import { SortedSet } from '../../src/store/zset.js';
import type { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const NOT_DOUBLE = "-ERR One or more scores can't be converted into double\r\n";

const t = useServer({ clock: START, resetClock: true, resp3: true });
const { call, db } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
let raw3: RawClient;
beforeAll(() => {
  ({ server, redis, raw3 } = t);
});

/** A RESP2 array of bulk strings, null for a null bulk. */
function bulks(...items: (string | null)[]): string {
  return `*${items.length}\r\n` + items.map((s) => (s === null ? '$-1\r\n' : `$${s.length}\r\n${s}\r\n`)).join('');
}

function storeList(key: string, ...items: string[]): void {
  const list = new QuickList();
  list.pushTail(items);
  db().set(key, list);
}

function storeSet(key: string, ...members: string[]): void {
  const set = new RedisSet();
  for (const member of members) set.add(member, server.server.encoding);
  db().set(key, set);
}

function storeHash(key: string, fields: Record<string, string>): void {
  const hash = new RedisHash();
  for (const [field, value] of Object.entries(fields)) hash.set(field, value, server.server.encoding);
  db().set(key, hash);
}

function storeZset(key: string, ...entries: [number, string][]): void {
  const zset = new SortedSet();
  for (const [score, member] of entries) zset.add(member, score);
  db().set(key, zset);
}

/** The elements of a stored list. */
function listAt(key: string): string[] {
  const value = db().peek(key);
  if (!(value instanceof QuickList)) throw new Error(`${key} is not a list`);
  return value.toArray();
}

describe('numeric and ALPHA sorting', () => {
  beforeEach(() => {
    storeList('n', '3', '10', '2', '-1.5', '+0', '-0', '0');
  });

  it('sorts as doubles, equal weights by their bytes, ASC or DESC', async () => {
    expect(await redis.sort('n')).toEqual(['-1.5', '+0', '-0', '0', '2', '3', '10']);
    expect(await redis.sort('n', 'DESC')).toEqual(['10', '3', '2', '0', '-0', '+0', '-1.5']);
    expect(await call('SORT', 'n', 'asc', 'DESC', 'Asc')).toBe(bulks('-1.5', '+0', '-0', '0', '2', '3', '10'));
  });

  it('ALPHA sorts by bytes', async () => {
    expect(await redis.sort('n', 'ALPHA')).toEqual(['+0', '-0', '-1.5', '0', '10', '2', '3']);
    storeList('s', 'b', 'B', 'a', '\xe9', '\xff', 'A', '', 'aa', '10', '9');
    expect(await call('SORT', 's', 'ALPHA')).toBe(bulks('', '10', '9', 'A', 'B', 'a', 'aa', 'b', '\xe9', '\xff'));
  });

  it('weights are read as strtod does: spaces before, hex, infinities, but nothing after', async () => {
    storeList('w', ' 1', '', '0x10', 'inf', '-inf', '1e3');
    expect(await call('SORT', 'w')).toBe(bulks('-inf', '', ' 1', '0x10', '1e3', 'inf'));
    for (const bad of ['1 ', 'nan', '1e-310', '1e400', '0x', '1e', 'abc']) {
      storeList('bad', '1', bad);
      expect(await call('SORT', 'bad')).toBe(NOT_DOUBLE);
    }
    // The error comes even when LIMIT leaves nothing to return; ALPHA reads no weights.
    storeList('bad', 'nan');
    expect(await call('SORT', 'bad', 'LIMIT', '0', '0')).toBe(NOT_DOUBLE);
    expect(await call('SORT', 'bad', 'ALPHA')).toBe(bulks('nan'));
  });

  it('when replying, ALPHA compares like strcoll, which stops at a NUL; when storing, every byte counts', async () => {
    storeList('nul', 'a\x00c', 'a\x00b', 'a');
    expect(await call('SORT', 'nul', 'ALPHA')).toBe(bulks('a\x00c', 'a\x00b', 'a'));
    expect(await call('SORT', 'nul', 'ALPHA', 'DESC')).toBe(bulks('a\x00c', 'a\x00b', 'a'));
    expect(await call('SORT', 'nul', 'ALPHA', 'STORE', 'dst')).toBe(':3\r\n');
    expect(listAt('dst')).toEqual(['a', 'a\x00b', 'a\x00c']);
  });
});

describe('LIMIT', () => {
  beforeEach(() => {
    storeList('n', '3', '10', '2', '-1.5', '+0', '-0', '0');
  });

  it('clamps the offset and count into the result', async () => {
    expect(await redis.sort('n', 'LIMIT', -5, 2)).toEqual(['-1.5', '+0']);
    expect(await call('SORT', 'n', 'LIMIT', '1', '9223372036854775807')).toBe(bulks('+0', '-0', '0', '2', '3', '10'));
    expect(await redis.sort('n', 'LIMIT', 2, -1)).toEqual(['-0', '0', '2', '3', '10']);
    expect(await redis.sort('n', 'LIMIT', 0, 0)).toEqual([]);
    expect(await redis.sort('n', 'LIMIT', 7, 1)).toEqual([]);
    expect(await redis.sort('n', 'LIMIT', 6, 5)).toEqual(['10']);
    expect(await call('SORT', 'n', 'LIMIT', '0', '2', 'LIMIT', '1', '1')).toBe(bulks('+0'));
  });

  it('needs two integers', async () => {
    expect(await call('SORT', 'n', 'LIMIT', 'x', '1')).toBe(NOT_INTEGER);
    expect(await call('SORT', 'n', 'LIMIT', '1', '9223372036854775808')).toBe(NOT_INTEGER);
    expect(await call('SORT', 'n', 'LIMIT', '1')).toBe(SYNTAX);
  });
});

describe('BY and GET patterns', () => {
  beforeEach(() => {
    storeList('n', '3', '10', '2', '-1.5', '+0', '-0', '0');
    db().set('weight_3', '1');
    db().set('weight_10', '3');
    db().set('weight_2', '2');
    storeHash('hw_3', { f: '30', name: 'three' });
    storeHash('hw_10', { f: '-1', name: 'ten' });
    storeHash('hw_2', { f: 'x', name: 'two' });
  });

  it('BY weighs each element by another key; a missing key weighs 0', async () => {
    expect(await redis.sort('n', 'BY', 'weight_*')).toEqual(['+0', '-0', '-1.5', '0', '3', '2', '10']);
    expect(await redis.sort('n', 'BY', 'weight_*', 'DESC', 'LIMIT', 0, 3)).toEqual(['10', '2', '3']);
    // A hash field weighs too, and must be a number unless ALPHA.
    expect(await call('SORT', 'n', 'BY', 'hw_*->f')).toBe(NOT_DOUBLE);
  });

  it('GET # is the element; other GETs read strings or hash fields, null when missing', async () => {
    expect(await call('SORT', 'n', 'BY', 'weight_*', 'GET', '#', 'GET', 'weight_*', 'GET', 'hw_*->name')).toBe(
      bulks('+0', null, null, '-0', null, null, '-1.5', null, null, '0', null, null, '3', '1', 'three', '2', '2', 'two', '10', '3', 'ten'),
    );
    expect((await raw3.call('SORT', 'n', 'BY', 'nosort', 'LIMIT', '0', '1', 'GET', 'nosuch_*')).toString('latin1')).toBe('*1\r\n_\r\n');
  });

  it('ALPHA BY puts missing weights first and keeps equal weights in their original order', async () => {
    expect(await call('SORT', 'n', 'BY', 'hw_*->name', 'ALPHA', 'GET', 'hw_*->name')).toBe(
      bulks(null, null, null, null, 'ten', 'three', 'two'),
    );
    expect(await call('SORT', 'n', 'BY', 'hw_*->name', 'ALPHA', 'DESC', 'GET', 'hw_*->name')).toBe(
      bulks('two', 'three', 'ten', null, null, null, null),
    );
    storeList('tie', 'b', 'a', 'c');
    expect(await redis.sort('tie', 'BY', 'nosuch_*', 'ALPHA')).toEqual(['b', 'a', 'c']);
    expect(await redis.sort('tie', 'BY', 'nosuch_*', 'ALPHA', 'DESC')).toEqual(['b', 'a', 'c']);
    // Numeric weights are all 0, so the elements decide.
    expect(await redis.sort('tie', 'BY', 'nosuch_*')).toEqual(['a', 'b', 'c']);
  });

  it('a BY pattern without * keeps the native order, for good', async () => {
    expect(await redis.sort('n', 'BY', 'nosort')).toEqual(['3', '10', '2', '-1.5', '+0', '-0', '0']);
    expect(await redis.sort('n', 'BY', 'nosort', 'DESC')).toEqual(['0', '-0', '+0', '-1.5', '2', '10', '3']);
    expect(await redis.sort('n', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 3)).toEqual(['-0', '+0', '-1.5']);
    expect(await redis.sort('n', 'BY', 'nosort', 'LIMIT', 5, 10)).toEqual(['-0', '0']);
    expect(await redis.sort('n', 'BY', 'nosort', 'BY', 'weight_*')).toEqual(['3', '10', '2', '-1.5', '+0', '-0', '0']);
    expect(await redis.sort('n', 'BY', 'weight_*', 'BY', 'nosort')).toEqual(['3', '10', '2', '-1.5', '+0', '-0', '0']);
  });

  it('patterns are C strings for #, * and ->, but keys and fields keep every byte', async () => {
    storeList('tie', 'b', 'a', 'c');
    db().set('k_a->', '7');
    expect(await call('SORT', 'tie', 'BY', 'nosort', 'GET', 'k_*->', 'GET', '#\x00zz', 'GET', 'k_*\x00->x')).toBe(
      bulks(null, 'b', null, '7', 'a', null, null, 'c', null),
    );
    storeHash('h_a', { 'f\x00g': 'hidden' });
    expect(await call('SORT', 'tie', 'BY', 'nosort', 'GET', 'h_*->f\x00g')).toBe(bulks(null, 'hidden', null));
    // Without a *, a GET pattern names no key at all.
    db().set('fixed', 'v');
    expect(await call('SORT', 'tie', 'BY', 'nosort', 'LIMIT', '0', '1', 'GET', 'fixed')).toBe(bulks(null));
  });

  it('a key of the wrong type reads as missing', async () => {
    storeList('weight_3', 'x');
    db().set('hw_10', 'not a hash');
    expect(await call('SORT', 'n', 'BY', 'nosort', 'LIMIT', '0', '2', 'GET', 'weight_*', 'GET', 'hw_*->name')).toBe(
      bulks(null, 'three', '3', null),
    );
  });
});

describe('STORE', () => {
  beforeEach(() => {
    storeList('n', '3', '10', '2', '-1.5', '+0', '-0', '0');
    db().set('weight_3', '1');
    storeHash('hw_3', { name: 'three' });
  });

  it('stores the result as a list, replacing any value and its TTL, and answers its length', async () => {
    db().set('x', '1');
    db().setExpire('x', START + 100_000);
    expect(await call('SORT', 'n', 'STORE', 'x')).toBe(':7\r\n');
    expect(listAt('x')).toEqual(['-1.5', '+0', '-0', '0', '2', '3', '10']);
    expect(await redis.ttl('x')).toBe(-1);
  });

  it('stores empty strings for missing GETs', async () => {
    expect(await call('SORT', 'n', 'BY', 'nosort', 'LIMIT', '0', '2', 'GET', 'hw_*->name', 'GET', 'weight_*', 'STORE', 'dst')).toBe(':4\r\n');
    expect(listAt('dst')).toEqual(['three', '1', '', '']);
  });

  it('an empty result deletes the destination', async () => {
    db().set('dst', 'v');
    expect(await call('SORT', 'n', 'LIMIT', '0', '0', 'STORE', 'dst')).toBe(':0\r\n');
    expect(await redis.exists('dst')).toBe(0);
    db().set('dst', 'v');
    expect(await call('SORT', 'nokey', 'STORE', 'dst')).toBe(':0\r\n');
    expect(await redis.exists('dst')).toBe(0);
  });

  it('the last STORE wins; SORT_RO has none', async () => {
    expect(await call('SORT', 'n', 'STORE', 'a', 'STORE', 'b')).toBe(':7\r\n');
    expect(await redis.exists('a')).toBe(0);
    expect(listAt('b')).toHaveLength(7);
    expect(await call('SORT_RO', 'n', 'STORE', 'dst')).toBe(SYNTAX);
    expect(await redis.sort_ro('n', 'BY', 'weight_*', 'LIMIT', 0, 2)).toEqual(['+0', '-0']);
  });

  it('COMMAND GETKEYS finds the sorted key and the last STORE, as sortGetKeys scans', async () => {
    expect(await redis.command('GETKEYS', 'SORT', 'k', 'LIMIT', '0', '1', 'STORE', 'd', 'GET', 'x', 'STORE', 'e')).toEqual(['k', 'e']);
    expect(await redis.command('GETKEYS', 'SORT', 'k', 'STORE', 'STORE', 'x')).toEqual(['k', 'x']);
    expect(await redis.command('GETKEYS', 'SORT_RO', 'k', 'GET', 'x')).toEqual(['k']);
  });
});

describe('sets and sorted sets', () => {
  it('a set without sorting comes in its iteration order, or ALPHA-sorted into a STORE', async () => {
    storeSet('iset', '5', '-3', '10', '1');
    expect(await redis.sort('iset', 'BY', 'nosort')).toEqual(['-3', '1', '5', '10']);
    expect(await redis.sort('iset', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 2)).toEqual(['1', '5']);
    expect(await call('SORT', 'iset', 'BY', 'nosort', 'STORE', 'dst')).toBe(':4\r\n');
    expect(listAt('dst')).toEqual(['-3', '1', '10', '5']);
    expect(await call('SORT', 'iset', 'BY', 'nosort', 'STORE', 'dst', 'DESC')).toBe(':4\r\n');
    expect(listAt('dst')).toEqual(['5', '10', '1', '-3']);
    expect(await redis.sort('iset')).toEqual(['-3', '1', '5', '10']);
    storeSet('words', 'pear', 'apple', 'fig');
    expect(await redis.sort('words', 'ALPHA')).toEqual(['apple', 'fig', 'pear']);
  });

  it('a sorted set without sorting comes in score order', async () => {
    storeZset('z', [1, 'b'], [1, 'a'], [0.5, 'c'], [3, 'd']);
    expect(await redis.sort('z', 'BY', 'nosort')).toEqual(['c', 'a', 'b', 'd']);
    expect(await redis.sort('z', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 2)).toEqual(['b', 'a']);
    expect(await redis.sort('z', 'BY', 'nosort', 'LIMIT', 1, 2)).toEqual(['a', 'b']);
    expect(await redis.sort('z', 'ALPHA', 'DESC')).toEqual(['d', 'c', 'b', 'a']);
    expect(await redis.sort('z', 'ALPHA', 'LIMIT', 1, 1)).toEqual(['b']);
    expect(await call('SORT', 'z')).toBe(NOT_DOUBLE);
  });
});

describe('errors', () => {
  it('options are checked before the key; a key of another type is WRONGTYPE', async () => {
    db().set('str', 'x');
    expect(await call('SORT', 'str')).toBe(WRONGTYPE);
    expect(await call('SORT', 'str', 'FOO')).toBe(SYNTAX);
    expect(await call('SORT', 'str', 'GET')).toBe(SYNTAX);
    expect(await call('SORT_RO', 'str', 'BY')).toBe(SYNTAX);
  });

  it('a missing key sorts as an empty list', async () => {
    expect(await call('SORT', 'nokey', 'BY', 'weight_*', 'GET', '#')).toBe('*0\r\n');
    expect(await call('SORT_RO', 'nokey', 'DESC', 'ALPHA', 'LIMIT', '1', '2')).toBe('*0\r\n');
  });
});
