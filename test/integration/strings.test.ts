/**
 * GET, SET and their variants, MGET/MSET, and the counters through real
 * sockets: ioredis for values, a raw client where the exact bytes matter
 * (null kinds, status vs integer, error texts, RESP3 shapes). APPEND,
 * STRLEN, the range commands and LCS are in string-ranges.test.ts. Every expected reply was checked against
 * redis-server 7.0.15. Time is a ManualClock, so expiry needs no sleeping.
 */
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const NOT_FLOAT = '-ERR value is not a valid float\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const OVERFLOW = '-ERR increment or decrement would overflow\r\n';

const t = useServer({ clock: START, resetClock: true, resp3: true });
const { clock, call, call3, db, storeList, pttl } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

describe('GET and SET', () => {
  it('store and return values byte for byte', async () => {
    const binary = '\x00a\xff\r\n\x80';
    expect(await call('SET', 'k\x00\xff', binary)).toBe('+OK\r\n');
    expect(await call('GET', 'k\x00\xff')).toBe(`$6\r\n${binary}\r\n`);
    const bytes = Buffer.from([0, 1, 254, 255]);
    await redis.set('b', bytes);
    expect(await redis.getBuffer('b')).toEqual(bytes);
    expect(await call('SET', '', '')).toBe('+OK\r\n');
    expect(await call('GET', '')).toBe('$0\r\n\r\n');
  });

  it('GET answers a null for a missing key and WRONGTYPE for other types', async () => {
    expect(await call('GET', 'nope')).toBe('$-1\r\n');
    expect(await call3('GET', 'nope')).toBe('_\r\n');
    storeList('l');
    expect(await call('GET', 'l')).toBe(WRONGTYPE);
  });

  it('reads count keyspace hits and misses; plain writes do not', async () => {
    const stats = server.server.keyspace.stats;
    const hits = stats.keyspaceHits;
    const misses = stats.keyspaceMisses;
    await call('SET', 'k', 'v');
    await call('GET', 'k');
    await call('GET', 'nope');
    await call('SET', 'k', 'w', 'GET');
    await call('INCR', 'n');
    expect([stats.keyspaceHits - hits, stats.keyspaceMisses - misses]).toEqual([2, 1]);
  });

  it('SET replaces a value of any type and drops its TTL', async () => {
    storeList('l');
    expect(await call('SET', 'l', 'v')).toBe('+OK\r\n');
    expect(await redis.get('l')).toBe('v');
    await call('SET', 'k', 'v', 'EX', '100');
    await call('SET', 'k', 'w');
    expect(pttl('k')).toBeUndefined();
  });

  it('NX and XX: a null reply (RESP2 $-1, RESP3 _) when the condition fails', async () => {
    expect(await call('SET', 'k', 'v', 'XX')).toBe('$-1\r\n');
    expect(await call3('SET', 'k', 'v', 'xx')).toBe('_\r\n');
    expect(await call('SET', 'k', 'v', 'NX')).toBe('+OK\r\n');
    expect(await call('SET', 'k', 'w', 'NX')).toBe('$-1\r\n');
    expect(await call3('SET', 'k', 'w', 'nx')).toBe('_\r\n');
    expect(await call('SET', 'k', 'w', 'XX')).toBe('+OK\r\n');
    expect(await redis.get('k')).toBe('w');
  });

  it('GET returns the old value whether or not the write happens', async () => {
    expect(await call('SET', 'k', 'v', 'GET')).toBe('$-1\r\n');
    expect(await call('SET', 'k', 'w', 'GET')).toBe('$1\r\nv\r\n');
    expect(await call('SET', 'k', 'x', 'NX', 'GET')).toBe('$1\r\nw\r\n');
    expect(await redis.get('k')).toBe('w');
    expect(await call('SET', 'n', 'x', 'XX', 'GET')).toBe('$-1\r\n');
    expect(await redis.exists('n')).toBe(0);
    expect(await call('SET', 'k', 'v', 'GET', 'GET', 'NX', 'NX')).toBe('$1\r\nw\r\n');
  });

  it('GET on a non-string key is WRONGTYPE and sets nothing', async () => {
    storeList('l');
    expect(await call('SET', 'l', 'v', 'GET')).toBe(WRONGTYPE);
    expect(await call('SET', 'l', 'v', 'NX', 'GET')).toBe(WRONGTYPE);
    expect(await call('SET', 'l', 'v', 'XX', 'GET')).toBe(WRONGTYPE);
    expect(await call('TYPE', 'l')).toBe('+list\r\n');
  });

  it('EX, PX, EXAT and PXAT set the expire time; KEEPTTL keeps it', async () => {
    await call('SET', 'a', 'v', 'EX', '10');
    expect(pttl('a')).toBe(10_000);
    await call('SET', 'b', 'v', 'PX', '1500');
    expect(pttl('b')).toBe(1500);
    await call('SET', 'c', 'v', 'EXAT', String(START / 1000 + 20));
    expect(pttl('c')).toBe(20_000);
    await call('SET', 'd', 'v', 'PXAT', String(START + 2500));
    expect(pttl('d')).toBe(2500);
    await call('SET', 'd', 'w', 'KEEPTTL');
    expect(pttl('d')).toBe(2500);
    expect(await call('SET', 'e', 'v', 'ex', '10', 'EX', '20')).toBe('+OK\r\n');
    expect(pttl('e')).toBe(20_000);
    expect(await call('SET', 'e', 'v', 'XX', 'GET', 'PX', '5')).toBe('$1\r\nv\r\n');
    expect(pttl('e')).toBe(5);
  });

  it('keys expire on the clock', async () => {
    // As in Redis, a key is expired once the time is strictly past its expire time.
    await call('SET', 'k', 'v', 'PX', '100');
    clock.advance(100);
    expect(await call('GET', 'k')).toBe('$1\r\nv\r\n');
    clock.advance(1);
    expect(await call('GET', 'k')).toBe('$-1\r\n');
    // An expired key counts as absent for NX.
    await call('SET', 'k', 'v', 'PX', '100');
    clock.advance(101);
    expect(await call('SET', 'k', 'w', 'NX')).toBe('+OK\r\n');
  });

  it('an absolute time in the past is stored: the key is there until expiry removes it', async () => {
    // The active cycle runs on a real timer and could take the key between
    // these awaits; only the lazy path is under test here.
    const activeExpiry = server.server.activeExpiry;
    activeExpiry.enabled = false;
    try {
      expect(await call('SET', 'k', 'v', 'PXAT', '1')).toBe('+OK\r\n');
      expect(db().dict.has('k')).toBe(true);
      const expiredBefore = server.server.keyspace.stats.expiredKeys;
      expect(await call('GET', 'k')).toBe('$-1\r\n');
      expect(server.server.keyspace.stats.expiredKeys).toBe(expiredBefore + 1);
    } finally {
      activeExpiry.enabled = true;
    }
  });

  it('reject conflicting, unknown and incomplete options with a syntax error', async () => {
    for (const options of [
      ['NX', 'XX'],
      ['XX', 'NX'],
      ['EX', '10', 'PX', '10'],
      ['PXAT', '10', 'EXAT', '10'],
      ['KEEPTTL', 'EX', '10'],
      ['EX', '10', 'KEEPTTL'],
      ['EX'],
      ['PERSIST'],
      ['FOO'],
    ]) {
      expect(await call('SET', 'k', 'v', ...options)).toBe(SYNTAX);
    }
    expect(await redis.exists('k')).toBe(0);
  });

  it('read option names as C strings, up to the first NUL byte', async () => {
    await call('SET', 'k', 'v');
    expect(await call('SET', 'k', 'w', 'nx\x00junk')).toBe('$-1\r\n');
    expect(await call('SET', 'k2', 'v', 'ex\x00', '10')).toBe('+OK\r\n');
    expect(pttl('k2')).toBe(10_000);
  });

  it('reject bad expire times with Redis errors', async () => {
    const invalid = "-ERR invalid expire time in 'set' command\r\n";
    expect(await call('SET', 'k', 'v', 'EX', '0')).toBe(invalid);
    expect(await call('SET', 'k', 'v', 'PX', '-1')).toBe(invalid);
    expect(await call('SET', 'k', 'v', 'EX', 'abc')).toBe(NOT_INTEGER);
    expect(await call('SET', 'k', 'v', 'EX', '')).toBe(NOT_INTEGER);
    expect(await call('SET', 'k', 'v', 'EX', '1.5')).toBe(NOT_INTEGER);
    // Seconds × 1000 overflowing int64, and a relative time overflowing when now is added.
    expect(await call('SET', 'k', 'v', 'EX', '9223372036854776')).toBe(invalid);
    expect(await call('SET', 'k', 'v', 'EX', '9223372036854775')).toBe(invalid);
    expect(await call('SET', 'k', 'v', 'PX', '9223372036854775807')).toBe(invalid);
    expect(await call('SET', 'k', 'v', 'EXAT', '9223372036854776')).toBe(invalid);
    expect(await redis.exists('k')).toBe(0);
    // Absolute times add nothing, so these fit.
    expect(await call('SET', 'k', 'v', 'EXAT', '9223372036854775')).toBe('+OK\r\n');
    expect(await call('SET', 'k', 'v', 'PXAT', '9223372036854775807')).toBe('+OK\r\n');
  });

  it('the expire time is checked before GET replies', async () => {
    await call('SET', 'k', 'v');
    expect(await call('SET', 'k', 'w', 'GET', 'EX', '0')).toBe("-ERR invalid expire time in 'set' command\r\n");
    expect(await redis.get('k')).toBe('v');
  });
});

describe('SETNX, SETEX, PSETEX', () => {
  it('SETNX answers 1 when it sets and 0 when the key exists', async () => {
    expect(await call('SETNX', 'k', 'v')).toBe(':1\r\n');
    expect(await call('SETNX', 'k', 'w')).toBe(':0\r\n');
    expect(await redis.get('k')).toBe('v');
    storeList('l');
    expect(await call('SETNX', 'l', 'w')).toBe(':0\r\n');
  });

  it('SETEX and PSETEX set value and TTL, replacing any type', async () => {
    storeList('k');
    expect(await call('SETEX', 'k', '10', 'v')).toBe('+OK\r\n');
    expect(pttl('k')).toBe(10_000);
    expect(await call('PSETEX', 'p', '250', '\x00\xff')).toBe('+OK\r\n');
    expect(pttl('p')).toBe(250);
    clock.advance(251);
    expect(await call('GET', 'p')).toBe('$-1\r\n');
  });

  it('name themselves in expire time errors', async () => {
    expect(await call('SETEX', 'k', '0', 'v')).toBe("-ERR invalid expire time in 'setex' command\r\n");
    expect(await call('SETEX', 'k', '9223372036854775', 'v')).toBe("-ERR invalid expire time in 'setex' command\r\n");
    expect(await call('PSETEX', 'k', '-5', 'v')).toBe("-ERR invalid expire time in 'psetex' command\r\n");
    expect(await call('PSETEX', 'k', '9223372036854775807', 'v')).toBe("-ERR invalid expire time in 'psetex' command\r\n");
    expect(await call('SETEX', 'k', 'abc', 'v')).toBe(NOT_INTEGER);
    expect(await call('SETEX', 'k', '10')).toBe("-ERR wrong number of arguments for 'setex' command\r\n");
    expect(await redis.exists('k')).toBe(0);
  });
});

describe('MGET, MSET, MSETNX', () => {
  it('MGET answers a null for missing and non-string keys', async () => {
    await redis.mset('a', '1', 'b', '\x00');
    storeList('l');
    expect(await call('MGET', 'a', 'l', 'nope', 'b')).toBe('*4\r\n$1\r\n1\r\n$-1\r\n$-1\r\n$1\r\n\x00\r\n');
    expect(await call3('MGET', 'a', 'nope')).toBe('*2\r\n$1\r\n1\r\n_\r\n');
  });

  it('MSET sets every pair, the last one winning, and drops TTLs', async () => {
    await call('SET', 'a', 'old', 'EX', '10');
    storeList('l');
    expect(await call('MSET', 'a', '1', 'l', '2', 'a', '3')).toBe('+OK\r\n');
    expect(await redis.mget('a', 'l')).toEqual(['3', '2']);
    expect(pttl('a')).toBeUndefined();
  });

  it('MSET counts an expired key it overwrites as expired', async () => {
    await call('SET', 'a', 'old', 'PX', '10');
    clock.advance(11);
    const expiredBefore = server.server.keyspace.stats.expiredKeys;
    await call('MSET', 'a', '1');
    expect(server.server.keyspace.stats.expiredKeys).toBe(expiredBefore + 1);
    expect(pttl('a')).toBeUndefined();
  });

  it('MSETNX sets nothing if any key exists', async () => {
    await redis.set('b', 'x');
    expect(await call('MSETNX', 'a', '1', 'b', '2')).toBe(':0\r\n');
    expect(await redis.exists('a')).toBe(0);
    expect(await call('MSETNX', 'a', '1', 'c', '2')).toBe(':1\r\n');
    expect(await redis.mget('a', 'c')).toEqual(['1', '2']);
    expect(await call('MSETNX', 'd', '1', 'd', '2')).toBe(':1\r\n');
    expect(await redis.get('d')).toBe('2');
  });

  it('need complete pairs', async () => {
    expect(await call('MSET', 'a', '1', 'b')).toBe("-ERR wrong number of arguments for 'mset' command\r\n");
    expect(await call('MSETNX', 'a', '1', 'b')).toBe("-ERR wrong number of arguments for 'msetnx' command\r\n");
    expect(await call('MSET', 'a')).toBe("-ERR wrong number of arguments for 'mset' command\r\n");
    expect(await redis.exists('a')).toBe(0);
  });
});

describe('GETSET, GETDEL, GETEX', () => {
  it('GETSET returns the old value and drops the TTL', async () => {
    expect(await call('GETSET', 'k', 'v')).toBe('$-1\r\n');
    db().setExpire('k', START + 10_000);
    expect(await call('GETSET', 'k', 'w')).toBe('$1\r\nv\r\n');
    expect(pttl('k')).toBeUndefined();
    storeList('l');
    expect(await call('GETSET', 'l', 'w')).toBe(WRONGTYPE);
  });

  it('GETDEL returns the value and deletes the key', async () => {
    await call('SET', 'k', '\xff');
    expect(await call('GETDEL', 'k')).toBe('$1\r\n\xff\r\n');
    expect(await call('GETDEL', 'k')).toBe('$-1\r\n');
    storeList('l');
    expect(await call('GETDEL', 'l')).toBe(WRONGTYPE);
    expect(await call('TYPE', 'l')).toBe('+list\r\n');
  });

  it('GETEX without options is GET', async () => {
    await call('SET', 'k', 'v', 'EX', '10');
    expect(await call('GETEX', 'k')).toBe('$1\r\nv\r\n');
    expect(pttl('k')).toBe(10_000);
    expect(await call('GETEX', 'nope')).toBe('$-1\r\n');
    expect(await call3('GETEX', 'nope')).toBe('_\r\n');
  });

  it('GETEX without options (or PERSIST of a key with no TTL) leaves a WATCH untouched', async () => {
    // redis-server 7.0.15 answers *1 +PONG: GETEX k changes nothing.
    await call('SET', 'k', 'v');
    expect(await call('WATCH', 'k')).toBe('+OK\r\n');
    expect(await call('GETEX', 'k')).toBe('$1\r\nv\r\n');
    expect(await call('MULTI')).toBe('+OK\r\n');
    expect(await call('PING')).toBe('+QUEUED\r\n');
    expect(await call('EXEC')).toBe('*1\r\n+PONG\r\n');
    expect(await call('WATCH', 'k')).toBe('+OK\r\n');
    expect(await call('GETEX', 'k', 'PERSIST')).toBe('$1\r\nv\r\n');
    expect(await call('MULTI')).toBe('+OK\r\n');
    expect(await call('PING')).toBe('+QUEUED\r\n');
    expect(await call('EXEC')).toBe('*1\r\n+PONG\r\n');
    // A GETEX that sets a TTL does touch it.
    expect(await call('WATCH', 'k')).toBe('+OK\r\n');
    expect(await call('GETEX', 'k', 'EX', '10')).toBe('$1\r\nv\r\n');
    expect(await call('MULTI')).toBe('+OK\r\n');
    expect(await call('PING')).toBe('+QUEUED\r\n');
    expect(await call('EXEC')).toBe('*-1\r\n');
  });

  it('GETEX sets or removes the TTL', async () => {
    await redis.set('k', 'v');
    expect(await call('GETEX', 'k', 'EX', '10')).toBe('$1\r\nv\r\n');
    expect(pttl('k')).toBe(10_000);
    await call('GETEX', 'k', 'px', '300');
    expect(pttl('k')).toBe(300);
    await call('GETEX', 'k', 'EXAT', String(START / 1000 + 50));
    expect(pttl('k')).toBe(50_000);
    await call('GETEX', 'k', 'PXAT', String(START + 70));
    expect(pttl('k')).toBe(70);
    await call('GETEX', 'k', 'EX', '1', 'EX', '2');
    expect(pttl('k')).toBe(2000);
    expect(await call('GETEX', 'k', 'PERSIST')).toBe('$1\r\nv\r\n');
    expect(pttl('k')).toBeUndefined();
    expect(await call('GETEX', 'k', 'PERSIST', 'persist')).toBe('$1\r\nv\r\n');
  });

  it('GETEX with an absolute time already past deletes the key (a delete, not an expiry)', async () => {
    await redis.set('k', 'v');
    const expiredBefore = server.server.keyspace.stats.expiredKeys;
    expect(await call('GETEX', 'k', 'PXAT', String(START))).toBe('$1\r\nv\r\n');
    expect(db().dict.has('k')).toBe(false);
    await redis.set('k', 'v');
    expect(await call('GETEX', 'k', 'EXAT', '1')).toBe('$1\r\nv\r\n');
    expect(db().dict.has('k')).toBe(false);
    expect(server.server.keyspace.stats.expiredKeys).toBe(expiredBefore);
  });

  it('GETEX checks options, then the key, then the time', async () => {
    storeList('l');
    expect(await call('GETEX', 'nope', 'EX', 'abc')).toBe('$-1\r\n');
    expect(await call('GETEX', 'nope', 'EX', '0')).toBe('$-1\r\n');
    expect(await call('GETEX', 'l', 'EX', 'abc')).toBe(WRONGTYPE);
    expect(await call('GETEX', 'l')).toBe(WRONGTYPE);
    await redis.set('k', 'v');
    expect(await call('GETEX', 'k', 'EX', 'abc')).toBe(NOT_INTEGER);
    expect(await call('GETEX', 'k', 'EX', '0')).toBe("-ERR invalid expire time in 'getex' command\r\n");
    expect(await call('GETEX', 'k', 'EX', '9223372036854775')).toBe("-ERR invalid expire time in 'getex' command\r\n");
    for (const options of [['FOO'], ['NX'], ['KEEPTTL'], ['GET'], ['EX'], ['PERSIST', 'EX', '10'], ['EX', '10', 'PERSIST'], ['PX', '1', 'EXAT', '1']]) {
      expect(await call('GETEX', 'nope', ...options)).toBe(SYNTAX);
    }
    expect(pttl('k')).toBeUndefined();
  });
});

describe('INCR, DECR, INCRBY, DECRBY', () => {
  it('count from 0 on a missing key and store the decimal text', async () => {
    expect(await call('INCR', 'n')).toBe(':1\r\n');
    expect(await call('INCRBY', 'n', '41')).toBe(':42\r\n');
    expect(await call('DECR', 'n')).toBe(':41\r\n');
    expect(await call('DECRBY', 'n', '-9')).toBe(':50\r\n');
    expect(await call('DECRBY', 'm', '5')).toBe(':-5\r\n');
    expect(await redis.mget('n', 'm')).toEqual(['50', '-5']);
  });

  it('keep the TTL', async () => {
    await call('SET', 'n', '1', 'EX', '10');
    await call('INCR', 'n');
    expect(pttl('n')).toBe(10_000);
  });

  it('are exact over the whole int64 range', async () => {
    await redis.set('n', '9007199254740993');
    expect(await call('INCR', 'n')).toBe(':9007199254740994\r\n');
    expect(await call('INCRBY', 'n', '9007199254740993')).toBe(':18014398509481987\r\n');
    await redis.set('n', '9223372036854775806');
    expect(await call('INCR', 'n')).toBe(':9223372036854775807\r\n');
    expect(await call('INCR', 'n')).toBe(OVERFLOW);
    expect(await call('INCRBY', 'n', '0')).toBe(':9223372036854775807\r\n');
    expect(await call('INCRBY', 'n', '-9223372036854775807')).toBe(':0\r\n');
    expect(await call('INCRBY', 'n', '-9223372036854775808')).toBe(':-9223372036854775808\r\n');
    expect(await call('DECR', 'n')).toBe(OVERFLOW);
    expect(await call('DECRBY', 'n', '1')).toBe(OVERFLOW);
    expect(await call('INCRBY', 'n', '9223372036854775807')).toBe(':-1\r\n');
    expect(await redis.get('n')).toBe('-1');
    expect(await call('INCRBY', 'x', '9223372036854775807')).toBe(':9223372036854775807\r\n');
    expect(await call('INCRBY', 'x', '1')).toBe(OVERFLOW);
    expect(await redis.get('x')).toBe('9223372036854775807');
  });

  it('DECRBY cannot negate the smallest int64', async () => {
    expect(await call('DECRBY', 'n', '-9223372036854775808')).toBe('-ERR decrement would overflow\r\n');
    expect(await call('DECRBY', 'n', '-9223372036854775807')).toBe(':9223372036854775807\r\n');
  });

  it('reject values and increments that are not canonical int64s', async () => {
    for (const value of [' 1', '1 ', '01', '+1', '-0', '1.0', '', 'abc', '9223372036854775808', '\x001']) {
      await redis.set('n', value);
      expect(await call('INCR', 'n')).toBe(NOT_INTEGER);
      expect(await redis.get('n')).toBe(value);
    }
    for (const increment of ['1e3', '+5', '00', '', ' 1', '9223372036854775808', '-9223372036854775809']) {
      expect(await call('INCRBY', 'm', increment)).toBe(NOT_INTEGER);
    }
    expect(await redis.exists('m')).toBe(0);
  });

  it('check the increment before the type, and the type before the value', async () => {
    storeList('l');
    expect(await call('INCRBY', 'l', 'abc')).toBe(NOT_INTEGER);
    expect(await call('INCR', 'l')).toBe(WRONGTYPE);
    expect(await call('DECRBY', 'l', '1')).toBe(WRONGTYPE);
  });
});

describe('INCRBYFLOAT', () => {
  it('adds in long double and replies a bulk string in both protocols', async () => {
    await redis.set('f', '10.50');
    expect(await call('INCRBYFLOAT', 'f', '0.1')).toBe('$4\r\n10.6\r\n');
    // 10.6 is not exact even in long double; Redis prints 17 significant digits of it.
    expect(await call3('INCRBYFLOAT', 'f', '-5.0e3')).toBe('$23\r\n-4989.39999999999999991\r\n');
    expect(await call('INCRBYFLOAT', 'g', '3.0')).toBe('$1\r\n3\r\n');
    expect(await call('INCRBYFLOAT', 'g', '0x10')).toBe('$2\r\n19\r\n');
    expect(await call('INCRBYFLOAT', 'h', '0.1')).toBe('$3\r\n0.1\r\n');
    expect(await call('INCRBYFLOAT', 'h', '0.2')).toBe('$3\r\n0.3\r\n');
    expect(await redis.get('h')).toBe('0.3');
  });

  it('keeps the TTL', async () => {
    await call('SET', 'f', '1', 'PX', '500');
    await call('INCRBYFLOAT', 'f', '1');
    expect(pttl('f')).toBe(500);
  });

  it('rejects non-floats, infinities and results that are not finite', async () => {
    await redis.set('f', '1.5');
    expect(await call('INCRBYFLOAT', 'f', 'abc')).toBe(NOT_FLOAT);
    expect(await call('INCRBYFLOAT', 'f', ' 1')).toBe(NOT_FLOAT);
    expect(await call('INCRBYFLOAT', 'f', '1 ')).toBe(NOT_FLOAT);
    expect(await call('INCRBYFLOAT', 'f', '')).toBe(NOT_FLOAT);
    expect(await call('INCRBYFLOAT', 'f', 'nan')).toBe(NOT_FLOAT);
    expect(await call('INCRBYFLOAT', 'f', 'inf')).toBe('-ERR increment would produce NaN or Infinity\r\n');
    await redis.set('t', 'hello');
    expect(await call('INCRBYFLOAT', 't', '1')).toBe(NOT_FLOAT);
    storeList('l');
    expect(await call('INCRBYFLOAT', 'l', 'abc')).toBe(WRONGTYPE);
    expect(await redis.get('f')).toBe('1.5');
  });
});

describe('command table entries', () => {
  const entry = (name: string) => server.server.commands.lookup(name)!;

  it('declare Redis 7 flags and arities', () => {
    expect(entry('get').spec.flags).toEqual(['readonly', 'fast']);
    expect(entry('set').spec.flags).toEqual(['write', 'denyoom']);
    expect(entry('set').spec.arity).toBe(-3);
    expect(entry('incr').spec.flags).toEqual(['write', 'denyoom', 'fast']);
    expect(entry('getex').spec.flags).toEqual(['write', 'fast']);
    expect(entry('getrange').spec.flags).toEqual(['readonly']);
    expect(entry('lcs').spec.arity).toBe(-3);
  });

  it('find the keys of each call', () => {
    const keys = (argv: string[]) => server.server.commands.keyPositions(entry(argv[0]!), argv);
    expect(keys(['mset', 'a', '1', 'b', '2'])).toEqual([1, 3]);
    expect(keys(['mget', 'a', 'b', 'c'])).toEqual([1, 2, 3]);
    expect(keys(['lcs', 'a', 'b', 'IDX'])).toEqual([1, 2]);
    expect(keys(['set', 'k', 'v', 'EX', '1'])).toEqual([1]);
  });
});
