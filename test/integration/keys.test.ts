/**
 * The generic key commands through real sockets: ioredis for values, a raw
 * client where the exact bytes matter (status vs bulk, null kinds, error
 * texts). Expected replies were checked against redis-server 7.0.15.
 * Expiry-specific behaviour lives in expiry.test.ts.
 */
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { QuickList } from '../../src/store/list.js';
import { SortedSet } from '../../src/store/zset.js';
import type { RedisObject } from '../../src/store/types.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const t = useServer({ clock: 1_700_000_000_000, flush: false });
const { clock, call, db, storeList } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
let raw: RawClient;
beforeAll(() => {
  ({ server, redis, raw } = t);
});

beforeEach(async () => {
  await raw.call('SELECT', '0');
  await redis.select(0);
  await redis.flushall();
});

function storeZset(key: string, members: Array<[string, number]>): SortedSet {
  const zset = new SortedSet();
  for (const [member, score] of members) zset.add(member, score);
  db().set(key, zset);
  return zset;
}

/** A module-like value whose type name has capitals, as RedisBloom's do. */
function storeModuleValue(key: string): void {
  const value: RedisObject = { type: 'MBbloom--', encoding: () => 'raw', clone: () => value };
  db().set(key, value);
}

describe('DEL and UNLINK', () => {
  it('count the keys actually removed, each once', async () => {
    await redis.mset('a', '1', 'b', '2', 'c', '3');
    expect(await redis.del('a', 'a', 'missing', 'b')).toBe(2);
    expect(await redis.exists('a', 'b', 'c')).toBe(1);
    expect(await redis.unlink('c', 'c', 'nope')).toBe(1);
    expect(await redis.dbsize()).toBe(0);
  });

  it('delete values of any type', async () => {
    storeList('l', ['x']);
    storeZset('z', [['m', 1]]);
    expect(await redis.del('l', 'z')).toBe(2);
    expect(await call('TYPE', 'l')).toBe('+none\r\n');
  });

  it('need at least one key', async () => {
    expect(await call('DEL')).toBe("-ERR wrong number of arguments for 'del' command\r\n");
    expect(await call('UNLINK')).toBe("-ERR wrong number of arguments for 'unlink' command\r\n");
  });
});

describe('EXISTS, TYPE, TOUCH, DBSIZE', () => {
  it('EXISTS counts a key once per mention', async () => {
    await redis.set('a', '1');
    expect(await call('EXISTS', 'a', 'a', 'b', 'a')).toBe(':3\r\n');
    expect(await call('EXISTS', 'b')).toBe(':0\r\n');
  });

  it('TYPE answers a status with the type name', async () => {
    await redis.set('s', 'v');
    storeList('l', ['x']);
    storeZset('z', [['m', 1]]);
    storeModuleValue('bf');
    expect(await call('TYPE', 's')).toBe('+string\r\n');
    expect(await call('TYPE', 'l')).toBe('+list\r\n');
    expect(await call('TYPE', 'z')).toBe('+zset\r\n');
    expect(await call('TYPE', 'bf')).toBe('+MBbloom--\r\n');
    expect(await call('TYPE', 'missing')).toBe('+none\r\n');
  });

  it('EXISTS and TYPE count keyspace hits and misses but leave the access clock alone', async () => {
    await redis.set('a', '1');
    clock.advance(5000);
    const stats = server.server.keyspace.stats;
    const hits = stats.keyspaceHits;
    const misses = stats.keyspaceMisses;
    await redis.exists('a', 'b');
    await redis.type('a');
    expect(stats.keyspaceHits - hits).toBe(2);
    expect(stats.keyspaceMisses - misses).toBe(1);
    expect(await redis.object('IDLETIME', 'a')).toBe(5);
  });

  it('TOUCH counts existing keys and resets their idle time', async () => {
    await redis.mset('a', '1', 'b', '2');
    clock.advance(10_000);
    expect(await call('TOUCH', 'a', 'a', 'missing')).toBe(':2\r\n');
    expect(await redis.object('IDLETIME', 'a')).toBe(0);
    expect(await redis.object('IDLETIME', 'b')).toBe(10);
  });

  it('DBSIZE counts the selected database only', async () => {
    await redis.mset('a', '1', 'b', '2');
    await raw.call('SELECT', '5');
    await raw.call('SET', 'c', '3');
    expect(await call('DBSIZE')).toBe(':1\r\n');
    expect(await redis.dbsize()).toBe(2);
  });
});

describe('RANDOMKEY', () => {
  it('is a null bulk on an empty database, in RESP2 and RESP3', async () => {
    expect(await call('RANDOMKEY')).toBe('$-1\r\n');
    const resp3 = await RawClient.connect(server.port);
    await resp3.call('HELLO', '3');
    expect((await resp3.call('RANDOMKEY')).toString('latin1')).toBe('_\r\n');
    await resp3.close();
  });

  it('returns keys of the database, and eventually each of them', async () => {
    const keys = ['a', 'b', 'c', 'd'];
    for (const key of keys) await redis.set(key, key);
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < keys.length; i++) seen.add((await redis.randomkey())!);
    expect([...seen].sort()).toEqual(keys);
  });
});

describe('KEYS', () => {
  beforeEach(async () => {
    await redis.mset('hello', '1', 'hallo', '2', 'hxllo', '3', 'hllo', '4', 'heeeello', '5', 'h*llo', '6');
  });

  it('matches glob patterns as Redis does', async () => {
    expect((await redis.keys('h?llo')).sort()).toEqual(['h*llo', 'hallo', 'hello', 'hxllo']);
    expect((await redis.keys('h*llo')).sort()).toEqual(['h*llo', 'hallo', 'heeeello', 'hello', 'hllo', 'hxllo']);
    expect((await redis.keys('h[ae]llo')).sort()).toEqual(['hallo', 'hello']);
    expect((await redis.keys('h[^e]llo')).sort()).toEqual(['h*llo', 'hallo', 'hxllo']);
    expect((await redis.keys('h[a-b]llo')).sort()).toEqual(['hallo']);
    expect(await redis.keys('h\\*llo')).toEqual(['h*llo']);
    expect(await redis.keys('nomatch*')).toEqual([]);
  });

  it('lists every key with *, the empty key and binary keys included', async () => {
    await raw.call('SET', '', 'empty');
    await raw.call('SET', 'bin\x00\xff', 'x');
    const reply = await call('KEYS', '*');
    expect(reply.startsWith('*8\r\n')).toBe(true);
    expect(reply).toContain('$0\r\n\r\n');
    expect(reply).toContain('$5\r\nbin\x00\xff\r\n');
  });

  it('answers an empty array when nothing matches', async () => {
    expect(await call('KEYS', 'zzz*')).toBe('*0\r\n');
  });
});

describe('SCAN', () => {
  /** Every key a full iteration returns, with duplicates. */
  async function scanAll(...options: string[]): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    let calls = 0;
    do {
      const [next, keys] = (await redis.call('SCAN', cursor, ...options)) as [string, string[]];
      cursor = next;
      found.push(...keys);
      calls++;
      expect(calls).toBeLessThan(10_000);
    } while (cursor !== '0');
    return found;
  }

  it('replies [cursor, keys] and ends with cursor 0', async () => {
    await redis.set('only', '1');
    expect(await call('SCAN', '0')).toBe('*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n');
  });

  it('walks a large keyspace in steps of about COUNT', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 1000; i++) pipeline.set(`key:${i}`, String(i));
    await pipeline.exec();
    const [cursor, keys] = (await redis.call('SCAN', '0', 'COUNT', '100')) as [string, string[]];
    expect(cursor).not.toBe('0');
    // Like Redis: whole buckets until at least COUNT keys, so a few more may come.
    expect(keys.length).toBeGreaterThanOrEqual(100);
    expect(keys.length).toBeLessThan(110);
    const all = await scanAll('COUNT', '37');
    expect(all.length).toBe(1000);
    expect(new Set(all).size).toBe(1000);
  });

  it('returns every key present for the whole iteration while others come and go', async () => {
    const stable = new Set<string>();
    const pipeline = redis.pipeline();
    for (let i = 0; i < 300; i++) {
      pipeline.set(`stable:${i}`, 'x');
      stable.add(`stable:${i}`);
    }
    for (let i = 0; i < 300; i++) pipeline.set(`doomed:${i}`, 'x');
    await pipeline.exec();

    const returned = new Map<string, number>();
    let cursor = '0';
    let step = 0;
    do {
      const [next, keys] = (await redis.scan(cursor, 'COUNT', 7)) as [string, string[]];
      cursor = next;
      for (const key of keys) returned.set(key, (returned.get(key) ?? 0) + 1);
      // Between calls: delete some keys that were there at the start, add new ones.
      await redis.del(`doomed:${step * 2}`, `doomed:${step * 2 + 1}`);
      await redis.set(`new:${step}`, 'x');
      step++;
    } while (cursor !== '0');

    for (const key of stable) expect(returned.get(key), key).toBe(1);
    for (const key of returned.keys()) expect(key).toMatch(/^(stable|doomed|new):\d+$/);
  });

  it('filters with MATCH after visiting, so pages may be empty', async () => {
    for (let i = 0; i < 50; i++) await redis.set(`user:${i}`, 'x');
    for (let i = 0; i < 50; i++) await redis.set(`item:${i}`, 'x');
    const users = await scanAll('MATCH', 'user:*', 'COUNT', '10');
    expect(users.length).toBe(50);
    expect(users.every((k) => k.startsWith('user:'))).toBe(true);
    expect(await scanAll('MATCH', 'user:4?')).toHaveLength(10);
  });

  it('filters by TYPE, case-insensitively', async () => {
    await redis.mset('s1', 'a', 's2', 'b');
    storeList('l1', ['x']);
    storeZset('z1', [['m', 1]]);
    storeModuleValue('bf');
    expect((await scanAll('TYPE', 'string')).sort()).toEqual(['s1', 's2']);
    expect(await scanAll('TYPE', 'LIST')).toEqual(['l1']);
    expect(await scanAll('TYPE', 'zset', 'MATCH', 'z*')).toEqual(['z1']);
    expect(await scanAll('TYPE', 'mbbloom--')).toEqual(['bf']);
    expect(await scanAll('TYPE', 'hash')).toEqual([]);
    expect(await scanAll('TYPE', 'nosuchtype')).toEqual([]);
  });

  it('accepts the cursor forms strtoul accepts', async () => {
    await redis.set('k', 'v');
    const full = '*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n';
    expect(await call('SCAN', '')).toBe(full);
    expect(await call('SCAN', '-0')).toBe(full);
    expect(await call('SCAN', '+0')).toBe(full);
    expect(await call('SCAN', '18446744073709551615', 'COUNT', '1')).toMatch(/^\*2\r\n/);
    expect(await call('SCAN', '-1')).toMatch(/^\*2\r\n/);
  });

  it('rejects a cursor that is not an unsigned 64-bit integer', async () => {
    for (const cursor of ['abc', ' 1', '1 ', '0x10', '1.5', '-', '+', '18446744073709551616']) {
      expect(await call('SCAN', cursor), cursor).toBe('-ERR invalid cursor\r\n');
    }
  });

  it('rejects bad options with Redis errors', async () => {
    expect(await call('SCAN', '0', 'COUNT', '0')).toBe('-ERR syntax error\r\n');
    expect(await call('SCAN', '0', 'COUNT', '-1')).toBe('-ERR syntax error\r\n');
    expect(await call('SCAN', '0', 'COUNT', 'abc')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await call('SCAN', '0', 'COUNT', '99999999999999999999')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await call('SCAN', '0', 'COUNT')).toBe('-ERR syntax error\r\n');
    expect(await call('SCAN', '0', 'MATCH')).toBe('-ERR syntax error\r\n');
    expect(await call('SCAN', '0', 'TYPE')).toBe('-ERR syntax error\r\n');
    expect(await call('SCAN', '0', 'FOO', 'bar')).toBe('-ERR syntax error\r\n');
    expect(await call('SCAN')).toBe("-ERR wrong number of arguments for 'scan' command\r\n");
  });

  it('takes options in any order and case', async () => {
    await redis.mset('k1', 'a', 'x1', 'b');
    expect(await call('SCAN', '0', 'type', 'STRING', 'count', '100', 'match', 'k*')).toBe('*2\r\n$1\r\n0\r\n*1\r\n$2\r\nk1\r\n');
  });
});

describe('RENAME and RENAMENX', () => {
  it('move the value to the new name', async () => {
    await redis.set('a', 'value');
    expect(await call('RENAME', 'a', 'b')).toBe('+OK\r\n');
    expect(await redis.get('a')).toBeNull();
    expect(await redis.get('b')).toBe('value');
    expect(await call('RENAMENX', 'b', 'c')).toBe(':1\r\n');
    expect(await redis.get('c')).toBe('value');
  });

  it('RENAME replaces the destination, RENAMENX leaves it alone', async () => {
    await redis.mset('a', '1', 'b', '2');
    expect(await call('RENAMENX', 'a', 'b')).toBe(':0\r\n');
    expect(await redis.mget('a', 'b')).toEqual(['1', '2']);
    storeList('l', ['x']);
    expect(await call('RENAME', 'l', 'b')).toBe('+OK\r\n');
    expect(await call('TYPE', 'b')).toBe('+list\r\n');
  });

  it('drop the TTL of a replaced destination', async () => {
    await redis.set('src', '1');
    await redis.set('dst', '2', 'EX', 100);
    await redis.rename('src', 'dst');
    expect(await redis.ttl('dst')).toBe(-1);
  });

  it('allow renaming a key onto itself when it exists', async () => {
    await redis.set('a', '1');
    expect(await call('RENAME', 'a', 'a')).toBe('+OK\r\n');
    expect(await call('RENAMENX', 'a', 'a')).toBe(':0\r\n');
    expect(await redis.get('a')).toBe('1');
  });

  it('answer "no such key" for a missing source', async () => {
    expect(await call('RENAME', 'missing', 'x')).toBe('-ERR no such key\r\n');
    expect(await call('RENAMENX', 'missing', 'x')).toBe('-ERR no such key\r\n');
    expect(await call('RENAME', 'missing', 'missing')).toBe('-ERR no such key\r\n');
  });

  it('keep the value\'s idle time', async () => {
    await redis.set('a', '1');
    clock.advance(30_000);
    // RENAME itself is an access of the source, as Redis's lookupKeyWrite is.
    await redis.rename('a', 'b');
    clock.advance(4000);
    expect(await redis.object('IDLETIME', 'b')).toBe(4);
  });
});

describe('COPY', () => {
  it('copies within the database and answers 1', async () => {
    await redis.set('a', 'value');
    expect(await call('COPY', 'a', 'b')).toBe(':1\r\n');
    expect(await redis.mget('a', 'b')).toEqual(['value', 'value']);
  });

  it('answers 0 for a missing source or an existing destination without REPLACE', async () => {
    await redis.mset('a', '1', 'b', '2');
    expect(await call('COPY', 'missing', 'c')).toBe(':0\r\n');
    expect(await call('COPY', 'a', 'b')).toBe(':0\r\n');
    expect(await redis.get('b')).toBe('2');
    expect(await call('COPY', 'a', 'b', 'REPLACE')).toBe(':1\r\n');
    expect(await redis.get('b')).toBe('1');
  });

  it('copies to another database with DB', async () => {
    await redis.set('a', 'v');
    expect(await call('COPY', 'a', 'a', 'DB', '3')).toBe(':1\r\n');
    expect(await call('COPY', 'a', 'a', 'db', '3')).toBe(':0\r\n');
    expect(await call('COPY', 'a', 'a', 'replace', 'db', '3')).toBe(':1\r\n');
    await raw.call('SELECT', '3');
    expect(await call('GET', 'a')).toBe('$1\r\nv\r\n');
  });

  it('makes an independent copy of collection values', async () => {
    const original = storeList('l', ['a', 'b']);
    expect(await redis.copy('l', 'l2')).toBe(1);
    original.pushTail('c');
    const copied = db().peek('l2') as QuickList;
    expect(copied.toArray()).toEqual(['a', 'b']);
    expect(original.toArray()).toEqual(['a', 'b', 'c']);
    expect(await call('TYPE', 'l2')).toBe('+list\r\n');
  });

  it('refuses to copy a key onto itself in the same database', async () => {
    await redis.set('a', '1');
    const same = '-ERR source and destination objects are the same\r\n';
    expect(await call('COPY', 'a', 'a')).toBe(same);
    expect(await call('COPY', 'a', 'a', 'DB', '0')).toBe(same);
    expect(await call('COPY', 'missing', 'missing')).toBe(same);
  });

  it('reports option errors in argument order', async () => {
    await redis.set('a', '1');
    expect(await call('COPY', 'a', 'b', 'DB', '16')).toBe('-ERR DB index is out of range\r\n');
    expect(await call('COPY', 'a', 'b', 'DB', '-1')).toBe('-ERR DB index is out of range\r\n');
    expect(await call('COPY', 'a', 'b', 'DB', 'abc')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await call('COPY', 'a', 'b', 'DB', '99999999999')).toBe(
      '-ERR value is out of range, value must between -2147483648 and 2147483647\r\n',
    );
    expect(await call('COPY', 'a', 'b', 'DB')).toBe('-ERR syntax error\r\n');
    expect(await call('COPY', 'a', 'b', 'FOO')).toBe('-ERR syntax error\r\n');
    expect(await call('COPY', 'a', 'b', 'DB', '16', 'FOO')).toBe('-ERR DB index is out of range\r\n');
    expect(await call('COPY', 'a', 'b', 'FOO', 'DB', '16')).toBe('-ERR syntax error\r\n');
    expect(await call('COPY', 'a')).toBe("-ERR wrong number of arguments for 'copy' command\r\n");
    expect(await redis.exists('b')).toBe(0);
  });
});

describe('MOVE', () => {
  it('moves a key to another database', async () => {
    await redis.set('a', 'v');
    expect(await call('MOVE', 'a', '1')).toBe(':1\r\n');
    expect(await redis.exists('a')).toBe(0);
    await raw.call('SELECT', '1');
    expect(await call('GET', 'a')).toBe('$1\r\nv\r\n');
  });

  it('answers 0 when the key is missing or already in the target database', async () => {
    expect(await call('MOVE', 'missing', '1')).toBe(':0\r\n');
    await redis.set('a', 'here');
    await raw.call('SELECT', '1');
    await raw.call('SET', 'a', 'there');
    await raw.call('SELECT', '0');
    expect(await call('MOVE', 'a', '1')).toBe(':0\r\n');
    expect(await redis.get('a')).toBe('here');
  });

  it('checks the index, then the same database, then the key', async () => {
    await redis.set('a', 'v');
    const same = '-ERR source and destination objects are the same\r\n';
    expect(await call('MOVE', 'a', '0')).toBe(same);
    expect(await call('MOVE', 'missing', '0')).toBe(same);
    expect(await call('MOVE', 'a', '16')).toBe('-ERR DB index is out of range\r\n');
    expect(await call('MOVE', 'a', '-1')).toBe('-ERR DB index is out of range\r\n');
    expect(await call('MOVE', 'a', 'abc')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await call('MOVE', 'a', '99999999999')).toBe('-ERR value is out of range, value must between -2147483648 and 2147483647\r\n');
  });
});

describe('SWAPDB', () => {
  it('swaps contents under clients connected to either database', async () => {
    await redis.set('in0', 'zero');
    const other = await RawClient.connect(server.port);
    await other.call('SELECT', '7');
    await other.call('SET', 'in7', 'seven');
    expect(await call('SWAPDB', '0', '7')).toBe('+OK\r\n');
    expect(await redis.get('in7')).toBe('seven');
    expect(await redis.get('in0')).toBeNull();
    expect((await other.call('GET', 'in0')).toString('latin1')).toBe('$4\r\nzero\r\n');
    await other.close();
  });

  it('swapping a database with itself is OK and changes nothing', async () => {
    await redis.set('a', '1');
    expect(await call('SWAPDB', '0', '0')).toBe('+OK\r\n');
    expect(await redis.get('a')).toBe('1');
  });

  it('answers Redis index errors', async () => {
    expect(await call('SWAPDB', 'a', '0')).toBe('-ERR invalid first DB index\r\n');
    expect(await call('SWAPDB', '0', 'a')).toBe('-ERR invalid second DB index\r\n');
    expect(await call('SWAPDB', 'a', 'b')).toBe('-ERR invalid first DB index\r\n');
    expect(await call('SWAPDB', '99999999999', '0')).toBe('-ERR invalid first DB index\r\n');
    expect(await call('SWAPDB', '0', '99999999999')).toBe('-ERR invalid second DB index\r\n');
    expect(await call('SWAPDB', '0', '16')).toBe('-ERR DB index is out of range\r\n');
    expect(await call('SWAPDB', '-1', '0')).toBe('-ERR DB index is out of range\r\n');
    expect(await call('SWAPDB', '0')).toBe("-ERR wrong number of arguments for 'swapdb' command\r\n");
  });
});

describe('FLUSHDB and FLUSHALL', () => {
  async function fillTwoDatabases(): Promise<void> {
    await redis.mset('a', '1', 'b', '2');
    await raw.call('SELECT', '2');
    await raw.call('SET', 'c', '3');
  }

  it('FLUSHDB empties only the selected database', async () => {
    await fillTwoDatabases();
    expect(await call('FLUSHDB')).toBe('+OK\r\n');
    expect(await call('DBSIZE')).toBe(':0\r\n');
    expect(await redis.dbsize()).toBe(2);
  });

  it('FLUSHALL empties every database', async () => {
    await fillTwoDatabases();
    expect(await call('FLUSHALL')).toBe('+OK\r\n');
    expect(await call('DBSIZE')).toBe(':0\r\n');
    expect(await redis.dbsize()).toBe(0);
  });

  it('accept ASYNC or SYNC, in any case, and nothing else', async () => {
    for (const command of ['FLUSHDB', 'FLUSHALL']) {
      await fillTwoDatabases();
      expect(await call(command, 'async')).toBe('+OK\r\n');
      expect(await call('DBSIZE')).toBe(':0\r\n');
      expect(await call(command, 'SYNC')).toBe('+OK\r\n');
      expect(await call(command, 'FOO')).toBe('-ERR syntax error\r\n');
      expect(await call(command, 'SYNC', 'ASYNC')).toBe('-ERR syntax error\r\n');
    }
  });
});

describe('OBJECT', () => {
  it('ENCODING reports int, embstr and raw for strings by their bytes', async () => {
    const cases: Array<[string, string]> = [
      ['100', 'int'],
      ['-9223372036854775808', 'int'],
      ['9223372036854775807', 'int'],
      ['9223372036854775808', 'embstr'],
      ['01', 'embstr'],
      ['-0', 'embstr'],
      ['', 'embstr'],
      ['x'.repeat(44), 'embstr'],
      ['x'.repeat(45), 'raw'],
    ];
    for (const [value, encoding] of cases) {
      await redis.set('k', value);
      expect(await redis.object('ENCODING', 'k'), value).toBe(encoding);
    }
  });

  it('ENCODING asks other types for theirs', async () => {
    storeList('l', ['a']);
    expect(await call('OBJECT', 'ENCODING', 'l')).toBe('$9\r\nquicklist\r\n');
    storeZset('z', [['m', 1]]);
    expect(await call('OBJECT', 'ENCODING', 'z')).toBe('$8\r\nlistpack\r\n');
  });

  it('REFCOUNT is INT_MAX for the shared integers 0..9999 and 1 otherwise', async () => {
    const cases: Array<[string, number]> = [
      ['0', 2147483647],
      ['100', 2147483647],
      ['9999', 2147483647],
      ['10000', 1],
      ['-1', 1],
      ['hello', 1],
    ];
    for (const [value, refcount] of cases) {
      await redis.set('k', value);
      expect(await redis.object('REFCOUNT', 'k'), value).toBe(refcount);
    }
    storeList('l', ['1']);
    expect(await call('OBJECT', 'REFCOUNT', 'l')).toBe(':1\r\n');
  });

  it('answers a null for a missing key, in RESP2 and RESP3', async () => {
    for (const sub of ['ENCODING', 'REFCOUNT', 'IDLETIME', 'FREQ']) {
      expect(await call('OBJECT', sub, 'missing')).toBe('$-1\r\n');
    }
    const resp3 = await RawClient.connect(server.port);
    await resp3.call('HELLO', '3');
    expect((await resp3.call('OBJECT', 'ENCODING', 'missing')).toString('latin1')).toBe('_\r\n');
    await resp3.close();
  });

  it('IDLETIME counts seconds since the last access, which OBJECT itself is not', async () => {
    await redis.set('k', 'v');
    clock.advance(2500);
    expect(await call('OBJECT', 'IDLETIME', 'k')).toBe(':2\r\n');
    clock.advance(1000);
    expect(await call('OBJECT', 'IDLETIME', 'k')).toBe(':3\r\n');
    await redis.get('k');
    expect(await call('OBJECT', 'IDLETIME', 'k')).toBe(':0\r\n');
  });

  it('FREQ needs an LFU policy', async () => {
    await redis.set('k', 'v');
    expect(await call('OBJECT', 'FREQ', 'k')).toBe(
      '-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n',
    );
  });

  it('HELP prints Redis\'s lines as status replies', async () => {
    expect(await call('OBJECT', 'help')).toBe(
      [
        '*15',
        '+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
        '+ENCODING <key>',
        '+    Return the kind of internal representation used in order to store the value',
        '+    associated with a <key>.',
        '+FREQ <key>',
        '+    Return the access frequency index of the <key>. The returned integer is',
        '+    proportional to the logarithm of the recent access frequency of the key.',
        '+IDLETIME <key>',
        '+    Return the idle time of the <key>, that is the approximated number of',
        '+    seconds elapsed since the last access to the key.',
        '+REFCOUNT <key>',
        '+    Return the number of references of the value associated with the specified',
        '+    <key>.',
        '+HELP',
        '+    Prints this help.',
        '',
      ].join('\r\n'),
    );
  });

  it('answers unknown subcommands and wrong arities as Redis does', async () => {
    expect(await call('OBJECT', 'foo', 'k')).toBe("-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
    expect(await call('OBJECT')).toBe("-ERR wrong number of arguments for 'object' command\r\n");
    expect(await call('OBJECT', 'ENCODING')).toBe("-ERR wrong number of arguments for 'object|encoding' command\r\n");
    expect(await call('OBJECT', 'encoding', 'a', 'b')).toBe("-ERR wrong number of arguments for 'object|encoding' command\r\n");
    expect(await call('OBJECT', 'HELP', 'x')).toBe("-ERR wrong number of arguments for 'object|help' command\r\n");
  });
});

describe('OBJECT under other memory policies', () => {
  it('FREQ reports the LFU counter and IDLETIME is refused under an LFU policy', async () => {
    const lfu = await startServer({ port: 0, config: { 'maxmemory-policy': 'allkeys-lfu' } });
    const client = await RawClient.connect(lfu.port);
    try {
      await client.call('SET', 'k', 'v');
      // A new key starts at LFU_INIT_VAL, and OBJECT does not count as an access.
      expect((await client.call('OBJECT', 'FREQ', 'k')).toString('latin1')).toBe(':5\r\n');
      expect((await client.call('OBJECT', 'IDLETIME', 'k')).toString('latin1')).toBe(
        '-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n',
      );
    } finally {
      await client.close();
      await lfu.close();
    }
  });

  // Redis stops sharing them only when maxmemory is set too, which reddish refuses (it can't evict).
  it('REFCOUNT still shares small integers under an LRU policy, as maxmemory stays 0', async () => {
    const lru = await startServer({ port: 0, config: { 'maxmemory-policy': 'allkeys-lru' } });
    const client = await RawClient.connect(lru.port);
    try {
      await client.call('SET', 'k', '5');
      expect((await client.call('OBJECT', 'REFCOUNT', 'k')).toString('latin1')).toBe(':2147483647\r\n');
      expect((await client.call('OBJECT', 'ENCODING', 'k')).toString('latin1')).toBe('$3\r\nint\r\n');
    } finally {
      await client.close();
      await lru.close();
    }
  });
});

describe('the command table', () => {
  it('finds the keys of every key command', () => {
    const table = server.server.commands;
    const keysOf = (...argv: string[]) => table.keyPositions(table.lookup(argv[0]!)!, argv);
    expect(keysOf('DEL', 'a', 'b', 'c')).toEqual([1, 2, 3]);
    expect(keysOf('RENAME', 'a', 'b')).toEqual([1, 2]);
    expect(keysOf('COPY', 'a', 'b', 'DB', '1', 'REPLACE')).toEqual([1, 2]);
    expect(keysOf('EXPIRE', 'a', '10', 'NX')).toEqual([1]);
    expect(keysOf('MOVE', 'a', '1')).toEqual([1]);
    expect(keysOf('SCAN', '0', 'MATCH', 'a')).toEqual([]);
    const object = table.lookup('object')!;
    expect(table.keyPositions(object.subcommands!.get('encoding')!, ['OBJECT', 'ENCODING', 'k'])).toEqual([2]);
  });
});
