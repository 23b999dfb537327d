/**
 * The set commands through real sockets: ioredis for values, a raw client
 * where the exact bytes matter (RESP3 sets versus arrays, error texts,
 * intset order). Every expected reply was checked against redis-server
 * 7.0.15. Time is a ManualClock so TTLs read exactly.
 */
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RedisSet } from '../../src/store/set.js';
import { RawClient, parseReply, replyToJs } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const NOT_POSITIVE = '-ERR value is out of range, must be positive\r\n';
const SYNTAX = '-ERR syntax error\r\n';

const t = useServer({ clock: START, resetClock: true, resp3: true });
const { call, call3 } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
let raw: RawClient;
let raw3: RawClient;
beforeAll(() => {
  ({ server, redis, raw, raw3 } = t);
});

beforeEach(async () => {
  await call('CONFIG', 'SET', 'set-max-intset-entries', '512');
});

function bulks(...items: string[]): string {
  return items.map((s) => `$${s.length}\r\n${s}\r\n`).join('');
}

async function encoding(key: string): Promise<string> {
  return (await call('OBJECT', 'ENCODING', key)).split('\r\n')[1]!;
}

/** The members of a set reply (array or RESP3 set), sorted. */
function sortedMembers(reply: Buffer): string[] {
  return (replyToJs(reply) as string[]).slice().sort();
}

function range(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

describe('SADD, SREM, SCARD, SISMEMBER, SMISMEMBER', () => {
  it('SADD counts new members; SREM counts removed ones and deletes the emptied key', async () => {
    expect(await call('SADD', 's', 'a', 'b', 'a')).toBe(':2\r\n');
    expect(await call('SADD', 's', 'b', 'c', '\x00\xff')).toBe(':2\r\n');
    expect(await call('SCARD', 's')).toBe(':4\r\n');
    expect(await call('SREM', 's', 'a', 'z', 'a')).toBe(':1\r\n');
    expect(await call('SREM', 's', 'b', 'c', '\x00\xff', 'x')).toBe(':3\r\n');
    expect(await call('EXISTS', 's')).toBe(':0\r\n');
    expect(await call('SREM', 's', 'a')).toBe(':0\r\n');
    expect(await call('SCARD', 's')).toBe(':0\r\n');
  });

  it('SISMEMBER and SMISMEMBER treat a missing key as an empty set', async () => {
    await redis.sadd('s', 'a', '1');
    expect(await call('SISMEMBER', 's', 'a')).toBe(':1\r\n');
    expect(await call('SISMEMBER', 's', 'b')).toBe(':0\r\n');
    expect(await call('SISMEMBER', 'nokey', 'a')).toBe(':0\r\n');
    expect(await call('SMISMEMBER', 's', 'a', 'b', '1')).toBe('*3\r\n:1\r\n:0\r\n:1\r\n');
    expect(await call3('SMISMEMBER', 'nokey', 'a', 'b')).toBe('*2\r\n:0\r\n:0\r\n');
  });

  it('an integer member is matched by its exact text only', async () => {
    await redis.sadd('s', '10', '-5');
    expect(await call('SISMEMBER', 's', '10')).toBe(':1\r\n');
    expect(await call('SISMEMBER', 's', '010')).toBe(':0\r\n');
    expect(await call('SISMEMBER', 's', '+10')).toBe(':0\r\n');
    expect(await call('SADD', 's', '010')).toBe(':1\r\n');
    expect(await call('SCARD', 's')).toBe(':3\r\n');
  });
});

describe('SMEMBERS', () => {
  it('lists an intset in ascending order, as a set in RESP3', async () => {
    await redis.sadd('s', '30', '-2', '1', '10', '9223372036854775807', '-9223372036854775808');
    const ordered = bulks('-9223372036854775808', '-2', '1', '10', '30', '9223372036854775807');
    expect(await call('SMEMBERS', 's')).toBe('*6\r\n' + ordered);
    expect(await call3('SMEMBERS', 's')).toBe('~6\r\n' + ordered);
  });

  it('lists every member of a hashtable set; a missing key is an empty set', async () => {
    await redis.sadd('s', 'b', 'a', 'c', '1');
    expect(sortedMembers(await raw.call('SMEMBERS', 's'))).toEqual(['1', 'a', 'b', 'c']);
    expect(await call('SMEMBERS', 'nokey')).toBe('*0\r\n');
    expect(await call3('SMEMBERS', 'nokey')).toBe('~0\r\n');
  });
});

describe('SPOP', () => {
  it('without a count: removes and returns one member; the key goes with the last', async () => {
    await redis.sadd('s', 'a', 'b');
    const first = await redis.spop('s');
    expect(['a', 'b']).toContain(first);
    expect(await redis.spop('s')).toBe(first === 'a' ? 'b' : 'a');
    expect(await call('EXISTS', 's')).toBe(':0\r\n');
    expect(await call('SPOP', 's')).toBe('$-1\r\n');
    expect(await call3('SPOP', 's')).toBe('_\r\n');
  });

  it('with a count: a set reply of distinct members that are gone from the key', async () => {
    await redis.sadd('s', ...range(1, 100));
    for (const count of [1, 10, 50]) {
      const before = await redis.scard('s');
      const reply = await raw3.call('SPOP', 's', String(count));
      expect(reply[0]).toBe(0x7e); // '~'
      const popped = replyToJs(reply) as string[];
      expect(new Set(popped).size).toBe(count);
      expect(await redis.scard('s')).toBe(before - count);
      for (const member of popped) expect(await redis.sismember('s', member)).toBe(0);
    }
  });

  it('taking most of a set keeps the survivors, its TTL and a fresh encoding', async () => {
    await call('CONFIG', 'SET', 'set-max-intset-entries', '10');
    await redis.sadd('s', ...range(1, 20));
    expect(await encoding('s')).toBe('hashtable');
    await call('CONFIG', 'SET', 'set-max-intset-entries', '512');
    await redis.pexpire('s', 5000);
    const popped = replyToJs(await raw.call('SPOP', 's', '18')) as string[];
    expect(popped).toHaveLength(18);
    const left = sortedMembers(await raw.call('SMEMBERS', 's'));
    expect(left).toHaveLength(2);
    expect(new Set([...popped, ...left]).size).toBe(20);
    expect(await encoding('s')).toBe('intset');
    expect(await redis.pttl('s')).toBe(5000);
  });

  it('a count of the whole set or more returns it all (an intset in order) and deletes the key', async () => {
    await redis.sadd('s', '3', '1', '2');
    expect(await call3('SPOP', 's', '3')).toBe('~3\r\n' + bulks('1', '2', '3'));
    expect(await call('EXISTS', 's')).toBe(':0\r\n');
    await redis.sadd('t', 'x', 'y');
    expect(sortedMembers(await raw.call('SPOP', 't', '100'))).toEqual(['x', 'y']);
    expect(await call('EXISTS', 't')).toBe(':0\r\n');
  });

  it('a zero count or a missing key is an empty set; the count is checked before the type', async () => {
    await redis.sadd('s', 'a');
    expect(await call('SPOP', 's', '0')).toBe('*0\r\n');
    expect(await call3('SPOP', 's', '0')).toBe('~0\r\n');
    expect(await call3('SPOP', 'nokey', '5')).toBe('~0\r\n');
    await redis.set('str', 'x');
    expect(await call('SPOP', 'str', '-1')).toBe(NOT_POSITIVE);
    expect(await call('SPOP', 'nokey', 'x')).toBe(NOT_POSITIVE);
    expect(await call('SPOP', 'str', '0')).toBe(WRONGTYPE);
    expect(await call('SPOP', 's', '1', '2')).toBe(SYNTAX);
    expect(await redis.scard('s')).toBe(1);
  });
});

describe('SRANDMEMBER', () => {
  it('without a count: one member, or a null for a missing key', async () => {
    await redis.sadd('s', 'a');
    expect(await call('SRANDMEMBER', 's')).toBe('$1\r\na\r\n');
    expect(await call('SRANDMEMBER', 'nokey')).toBe('$-1\r\n');
    expect(await call3('SRANDMEMBER', 'nokey')).toBe('_\r\n');
    expect(await redis.scard('s')).toBe(1);
  });

  it('a positive count gives distinct members, the whole set when it asks for more', async () => {
    await redis.sadd('s', ...range(1, 300));
    for (const count of [1, 5, 99, 101, 250, 299]) {
      const members = replyToJs(await raw.call('SRANDMEMBER', 's', String(count))) as string[];
      expect(new Set(members).size).toBe(count);
    }
    await redis.sadd('small', '2', '1');
    expect(await call3('SRANDMEMBER', 'small', '5')).toBe('*2\r\n' + bulks('1', '2'));
  });

  it('a negative count gives that many independent picks', async () => {
    await redis.sadd('s', 'a');
    expect(await call('SRANDMEMBER', 's', '-3')).toBe('*3\r\n' + bulks('a', 'a', 'a'));
    await redis.sadd('t', ...range(1, 10));
    const picks = replyToJs(await raw.call('SRANDMEMBER', 't', '-100')) as string[];
    expect(picks).toHaveLength(100);
    expect(new Set(picks).size).toBeLessThanOrEqual(10);
  });

  it('a zero count or a missing key is an empty array, in RESP3 too; errors in Redis order', async () => {
    await redis.sadd('s', 'a');
    expect(await call3('SRANDMEMBER', 's', '0')).toBe('*0\r\n');
    expect(await call3('SRANDMEMBER', 'nokey', '3')).toBe('*0\r\n');
    await redis.set('str', 'x');
    expect(await call('SRANDMEMBER', 'str', 'x')).toBe(NOT_INTEGER);
    expect(await call('SRANDMEMBER', 'str', '-9223372036854775808')).toBe(
      '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n',
    );
    expect(await call('SRANDMEMBER', 'str', '0')).toBe(WRONGTYPE);
    expect(await call('SRANDMEMBER', 's', '1', '2')).toBe(SYNTAX);
  });
});

describe('SMOVE', () => {
  it('moves a member, deleting an emptied source and creating the destination', async () => {
    await redis.sadd('src', 'a');
    expect(await call('SMOVE', 'src', 'dst', 'a')).toBe(':1\r\n');
    expect(await call('EXISTS', 'src')).toBe(':0\r\n');
    expect(await redis.smembers('dst')).toEqual(['a']);
    await redis.sadd('src', 'a', 'b');
    expect(await call('SMOVE', 'src', 'dst', 'a')).toBe(':1\r\n');
    expect(await redis.smembers('dst')).toEqual(['a']);
    expect(await redis.smembers('src')).toEqual(['b']);
  });

  it('answers 0 for a missing member or source; a missing source wins over a wrong destination type', async () => {
    await redis.sadd('src', 'a');
    await redis.set('str', 'x');
    expect(await call('SMOVE', 'src', 'dst', 'z')).toBe(':0\r\n');
    expect(await call('EXISTS', 'dst')).toBe(':0\r\n');
    expect(await call('SMOVE', 'nokey', 'str', 'a')).toBe(':0\r\n');
    expect(await call('SMOVE', 'src', 'str', 'z')).toBe(WRONGTYPE);
    expect(await call('SMOVE', 'str', 'src', 'a')).toBe(WRONGTYPE);
    expect(await redis.scard('src')).toBe(1);
  });

  it('from a set to itself is a membership test', async () => {
    await redis.sadd('s', 'a');
    expect(await call('SMOVE', 's', 's', 'a')).toBe(':1\r\n');
    expect(await call('SMOVE', 's', 's', 'b')).toBe(':0\r\n');
    expect(await redis.smembers('s')).toEqual(['a']);
  });

  it('a member the destination has already is still moved out of the source', async () => {
    await redis.sadd('src', 'a', 'b');
    await redis.sadd('dst', 'a');
    expect(await call('SMOVE', 'src', 'dst', 'a')).toBe(':1\r\n');
    expect(await redis.smembers('src')).toEqual(['b']);
    expect(await redis.scard('dst')).toBe(1);
  });
});

describe('SINTER, SUNION, SDIFF', () => {
  beforeEach(async () => {
    await redis.sadd('a', '1', '2', '3', 'x');
    await redis.sadd('b', '2', '3', '4', 'x');
    await redis.sadd('c', '3', '5');
  });

  it('compute the algebra, missing keys being empty sets', async () => {
    expect(sortedMembers(await raw.call('SINTER', 'a', 'b'))).toEqual(['2', '3', 'x']);
    expect(sortedMembers(await raw.call('SINTER', 'a', 'b', 'c'))).toEqual(['3']);
    expect(await call('SINTER', 'a', 'nokey')).toBe('*0\r\n');
    expect(await call3('SINTER', 'a', 'nokey')).toBe('~0\r\n');
    expect(sortedMembers(await raw.call('SUNION', 'a', 'nokey', 'c'))).toEqual(['1', '2', '3', '5', 'x']);
    expect(sortedMembers(await raw.call('SDIFF', 'a', 'b'))).toEqual(['1']);
    expect(sortedMembers(await raw.call('SDIFF', 'a', 'nokey', 'c'))).toEqual(['1', '2', 'x']);
    expect(await call('SDIFF', 'nokey', 'a')).toBe('*0\r\n');
    expect(await call('SDIFF', 'a', 'a')).toBe('*0\r\n');
    expect(sortedMembers(await raw.call('SINTER', 'a', 'a'))).toEqual(['1', '2', '3', 'x']);
  });

  it('reply sets in RESP3; an all-integer result comes in ascending order', async () => {
    await redis.sadd('i', '30', '10', '20');
    await redis.sadd('j', '5', '10');
    expect(await call3('SUNION', 'i', 'j')).toBe('~4\r\n' + bulks('5', '10', '20', '30'));
    expect(await call3('SINTER', 'i', 'j')).toBe('~1\r\n' + bulks('10'));
    expect(await call('SDIFF', 'i', 'j')).toBe('*2\r\n' + bulks('20', '30'));
  });

  it('SDIFF picks the copy-and-remove algorithm when the first set dominates, with either giving the same members', async () => {
    await redis.sadd('big', ...range(1, 100));
    await redis.sadd('one', '1');
    await redis.sadd('two', '2');
    expect(await redis.sdiff('big', 'one', 'two')).toHaveLength(98);
    expect(await redis.sdiff('big', ...range(1, 99).map(() => 'one'))).toHaveLength(99);
  });

  it('check every key for its type first, even after a missing key', async () => {
    await redis.set('str', 'x');
    for (const name of ['SINTER', 'SUNION', 'SDIFF']) {
      expect(await call(name, 'nokey', 'str'), name).toBe(WRONGTYPE);
      expect(await call(name, 'a', 'str'), name).toBe(WRONGTYPE);
    }
    for (const name of ['SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE']) {
      expect(await call(name, 'dst', 'nokey', 'str'), name).toBe(WRONGTYPE);
    }
    expect(await call('SINTERCARD', '2', 'nokey', 'str')).toBe(WRONGTYPE);
    expect(await call('EXISTS', 'dst')).toBe(':0\r\n');
  });
});

describe('SINTERSTORE, SUNIONSTORE, SDIFFSTORE', () => {
  it('store the result over any old value, dropping its TTL', async () => {
    await redis.sadd('a', '1', '2', 'x');
    await redis.sadd('b', '2', 'x', 'y');
    await redis.set('dst', 'string', 'EX', 100);
    expect(await call('SINTERSTORE', 'dst', 'a', 'b')).toBe(':2\r\n');
    expect(await redis.type('dst')).toBe('set');
    expect(await redis.ttl('dst')).toBe(-1);
    expect((await redis.smembers('dst')).sort()).toEqual(['2', 'x']);
    expect(await call('SUNIONSTORE', 'dst', 'a', 'b')).toBe(':4\r\n');
    expect(await call('SDIFFSTORE', 'dst', 'a', 'b')).toBe(':1\r\n');
    expect(await redis.smembers('dst')).toEqual(['1']);
  });

  it('a destination that is also a source is read before it is replaced', async () => {
    await redis.sadd('a', '1', '2');
    await redis.sadd('b', '2', '3');
    expect(await call('SUNIONSTORE', 'a', 'a', 'b')).toBe(':3\r\n');
    expect(await call('SDIFFSTORE', 'b', 'b', 'a')).toBe(':0\r\n');
    expect(await call('EXISTS', 'b')).toBe(':0\r\n');
  });

  it('an empty result deletes the destination, whatever it held', async () => {
    await redis.sadd('a', '1');
    await redis.set('dst', 'x');
    expect(await call('SINTERSTORE', 'dst', 'a', 'nokey')).toBe(':0\r\n');
    expect(await call('EXISTS', 'dst')).toBe(':0\r\n');
    await redis.hset('dst', 'f', 'v');
    expect(await call('SDIFFSTORE', 'dst', 'a', 'a')).toBe(':0\r\n');
    expect(await call('EXISTS', 'dst')).toBe(':0\r\n');
    await redis.sadd('dst', 'm');
    expect(await call('SUNIONSTORE', 'dst', 'nokey')).toBe(':0\r\n');
    expect(await call('EXISTS', 'dst')).toBe(':0\r\n');
  });

  it('give the stored set the encoding Redis would', async () => {
    await call('CONFIG', 'SET', 'set-max-intset-entries', '10');
    await redis.sadd('s0', ...range(1, 12));
    await redis.sadd('s1', '1');
    await redis.sadd('s2', '2');
    await redis.sadd('s3', '3');
    // The first set dominates: Redis copies it (converting) and removes the rest.
    expect(await call('SDIFFSTORE', 'd', 's0', 's1', 's2', 's3')).toBe(':9\r\n');
    expect(await encoding('d')).toBe('hashtable');
    await redis.sadd('s4', ...range(4, 13));
    expect(await call('SDIFFSTORE', 'd', 's0', 's4')).toBe(':3\r\n');
    expect(await encoding('d')).toBe('intset');
    expect(await call('SINTERSTORE', 'd', 's0', 's0')).toBe(':12\r\n');
    expect(await encoding('d')).toBe('hashtable');
    await redis.sadd('m', 'a');
    expect(await call('SUNIONSTORE', 'd', 's1', 's2')).toBe(':2\r\n');
    expect(await encoding('d')).toBe('intset');
    expect(await call('SUNIONSTORE', 'd', 's1', 'm')).toBe(':2\r\n');
    expect(await encoding('d')).toBe('hashtable');
  });
});

describe('SINTERCARD', () => {
  beforeEach(async () => {
    await redis.sadd('a', ...range(1, 20));
    await redis.sadd('b', ...range(11, 30));
  });

  it('counts the intersection, stopping at LIMIT (0 = no limit)', async () => {
    expect(await call('SINTERCARD', '2', 'a', 'b')).toBe(':10\r\n');
    expect(await call('SINTERCARD', '2', 'a', 'b', 'LIMIT', '3')).toBe(':3\r\n');
    expect(await call('SINTERCARD', '2', 'a', 'b', 'limit', '0')).toBe(':10\r\n');
    expect(await call('SINTERCARD', '2', 'a', 'b', 'LIMIT', '100', 'LIMIT', '4')).toBe(':4\r\n');
    expect(await call('SINTERCARD', '1', 'a')).toBe(':20\r\n');
    expect(await call('SINTERCARD', '2', 'a', 'nokey')).toBe(':0\r\n');
  });

  it('has its own errors for numkeys and LIMIT', async () => {
    expect(await call('SINTERCARD', '0', 'a')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(await call('SINTERCARD', 'x', 'a')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(await call('SINTERCARD', '-1', 'a')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(await call('SINTERCARD', '3', 'a', 'b')).toBe("-ERR Number of keys can't be greater than number of args\r\n");
    expect(await call('SINTERCARD', '1', 'a', 'LIMIT', '-1')).toBe("-ERR LIMIT can't be negative\r\n");
    expect(await call('SINTERCARD', '1', 'a', 'LIMIT', 'x')).toBe("-ERR LIMIT can't be negative\r\n");
    expect(await call('SINTERCARD', '1', 'a', 'LIMIT')).toBe(SYNTAX);
    expect(await call('SINTERCARD', '1', 'a', 'FOO', '1')).toBe(SYNTAX);
  });

  it('declares its keys through numkeys', () => {
    const table = server.server.commands;
    const entry = table.lookup('sintercard')!;
    expect(table.keyPositions(entry, ['SINTERCARD', '2', 'a', 'b', 'LIMIT', '1'])).toEqual([2, 3]);
    expect(table.keyPositions(entry, ['SINTERCARD', '5', 'a'])).toEqual([]);
    const store = table.lookup('sdiffstore')!;
    expect(table.keyPositions(store, ['SDIFFSTORE', 'd', 'a', 'b'])).toEqual([1, 2, 3]);
    expect(table.keyPositions(table.lookup('smove')!, ['SMOVE', 's', 'd', 'm'])).toEqual([1, 2]);
  });
});

describe('SSCAN', () => {
  it('returns an intset whole, in order, with cursor 0', async () => {
    await redis.sadd('s', '5', '-1', '3');
    const all = '*2\r\n$1\r\n0\r\n*3\r\n' + bulks('-1', '3', '5');
    expect(await call('SSCAN', 's', '0', 'COUNT', '1')).toBe(all);
    expect(await call('SSCAN', 's', '99')).toBe(all);
    expect(await call3('SSCAN', 's', '0')).toBe(all);
    expect(await call('SSCAN', 's', '0', 'MATCH', '[-3]*')).toBe('*2\r\n$1\r\n0\r\n*2\r\n' + bulks('-1', '3'));
  });

  it('checks the cursor, then the key, then the options', async () => {
    await redis.set('str', 'x');
    await redis.sadd('s', 'a');
    expect(await call('SSCAN', 'str', 'abc')).toBe('-ERR invalid cursor\r\n');
    expect(await call('SSCAN', 'str', '0')).toBe(WRONGTYPE);
    expect(await call('SSCAN', 'nokey', '0', 'FOO')).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
    expect(await call('SSCAN', 's', '0', 'COUNT', '-1')).toBe(SYNTAX);
    expect(await call('SSCAN', 's', '0', 'FOO', 'bar')).toBe(SYNTAX);
  });

  it('a full iteration of a big set returns every member present throughout exactly once', async () => {
    const stable = Array.from({ length: 500 }, (_, i) => `m${i}`);
    const churn = Array.from({ length: 500 }, (_, i) => `c${i}`);
    await redis.sadd('s', ...stable, ...churn);
    const seen = new Map<string, number>();
    let cursor = '0';
    let step = 0;
    do {
      const reply = replyToJs(await raw.call('SSCAN', 's', cursor, 'COUNT', '20')) as [string, string[]];
      cursor = reply[0];
      for (const member of reply[1]) seen.set(member, (seen.get(member) ?? 0) + 1);
      // Between calls: remove churn members (which moves others into their
      // slots) and add new ones.
      await redis.srem('s', `c${step}`, `c${499 - step}`);
      await redis.sadd('s', `n${step}`);
      step++;
    } while (cursor !== '0');
    for (const member of stable) expect(seen.get(member), member).toBe(1);
    for (const [member, times] of seen) if (!member.startsWith('n')) expect(times, member).toBe(1);
    expect(step).toBeGreaterThan(40);
  });
});

describe('encoding', () => {
  it('an intset becomes a hashtable for a non-integer or past set-max-intset-entries, and stays one', async () => {
    await redis.sadd('s', '1', '2');
    expect(await encoding('s')).toBe('intset');
    await redis.sadd('s', 'a');
    expect(await encoding('s')).toBe('hashtable');
    await redis.srem('s', 'a');
    expect(await encoding('s')).toBe('hashtable');
    await redis.sadd('t', '007');
    expect(await encoding('t')).toBe('hashtable');
    await redis.sadd('u', '9223372036854775808');
    expect(await encoding('u')).toBe('hashtable');
    await redis.sadd('v', 'a');
    expect(await encoding('v')).toBe('hashtable');
  });

  it('a lowered limit converts only when a new member is added', async () => {
    await redis.sadd('s', '1', '2', '3');
    await call('CONFIG', 'SET', 'set-max-intset-entries', '2');
    expect(await encoding('s')).toBe('intset');
    await redis.sadd('s', '1');
    expect(await encoding('s')).toBe('intset');
    await redis.sadd('s', '4');
    expect(await encoding('s')).toBe('hashtable');
  });

  it('SMOVE builds the destination as SADD would; COPY keeps the encoding', async () => {
    await redis.sadd('src', '1', 'a');
    await redis.srem('src', 'a');
    await redis.smove('src', 'dst', '1');
    expect(await encoding('dst')).toBe('intset');
    await redis.sadd('h', 'a', '1');
    await redis.srem('h', 'a');
    await redis.copy('h', 'h2');
    expect(await encoding('h2')).toBe('hashtable');
    await redis.sadd('h2', '5');
    expect(await redis.scard('h')).toBe(1);
  });
});

describe('types and keys', () => {
  it('every set command refuses a key of another type', async () => {
    await redis.set('str', 'x');
    await redis.hset('hash', 'f', 'v');
    for (const key of ['str', 'hash']) {
      for (const args of [
        ['SADD', key, 'm'], ['SREM', key, 'm'], ['SMEMBERS', key], ['SISMEMBER', key, 'm'],
        ['SMISMEMBER', key, 'm'], ['SCARD', key], ['SPOP', key], ['SPOP', key, '2'], ['SRANDMEMBER', key],
        ['SRANDMEMBER', key, '-2'], ['SINTER', key], ['SINTERCARD', '1', key], ['SUNION', key], ['SDIFF', key],
        ['SSCAN', key, '0'],
      ]) {
        expect(await call(...args), args.join(' ')).toBe(WRONGTYPE);
      }
    }
    expect(await redis.type('hash')).toBe('hash');
  });

  it('a set is TYPE set and the store holds a RedisSet', async () => {
    await redis.sadd('s', 'a');
    expect(await redis.type('s')).toBe('set');
    expect(server.server.keyspace.databases[0]!.dict.get('s')).toBeInstanceOf(RedisSet);
  });

  /** Runs `write` between WATCH key and EXEC; true when the EXEC was aborted. */
  async function aborts(key: string, write: string[]): Promise<boolean> {
    const watcher = await RawClient.connect(server.port);
    try {
      await watcher.call('WATCH', key);
      await call(...write);
      await watcher.call('MULTI');
      await watcher.call('PING');
      return parseReply(await watcher.call('EXEC')).type === 'null';
    } finally {
      await watcher.close();
    }
  }

  it('a write that changes a WATCHed key aborts the transaction, as in Redis', async () => {
    await redis.sadd('a', '1', '2');
    expect(await aborts('a', ['SADD', 'a', '3'])).toBe(true);
    expect(await aborts('dst', ['SUNIONSTORE', 'dst', 'a'])).toBe(true);
    expect(await aborts('b', ['SMOVE', 'a', 'b', '1'])).toBe(true);
    expect(await aborts('a', ['SMOVE', 'a', 'b', '2'])).toBe(true);
    expect(await aborts('dst', ['SINTERSTORE', 'dst', 'a', 'nokey'])).toBe(true);
    expect(await aborts('a', ['SPOP', 'a'])).toBe(true);
  });

  it('a write that changes nothing leaves a WATCH alone, as in Redis', async () => {
    await redis.sadd('a', '1', '2');
    await redis.sadd('b', '1');
    expect(await aborts('a', ['SADD', 'a', '1'])).toBe(false);
    expect(await aborts('a', ['SREM', 'a', 'zz'])).toBe(false);
    expect(await aborts('a', ['SMOVE', 'a', 'a', '1'])).toBe(false);
    expect(await aborts('a', ['SMOVE', 'a', 'b', 'zz'])).toBe(false);
    // The member leaves the source but the destination had it already.
    expect(await aborts('b', ['SMOVE', 'a', 'b', '1'])).toBe(false);
    expect(await aborts('nokey', ['SINTERSTORE', 'nokey', 'a', 'missing'])).toBe(false);
    expect(await aborts('a', ['SPOP', 'a', '0'])).toBe(false);
  });
});
