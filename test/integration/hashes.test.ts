/**
 * The hash commands through real sockets: ioredis for values, a raw client
 * where the exact bytes matter (null kinds, RESP3 maps and pairs, error
 * texts). Every expected reply was checked against redis-server 7.0.15.
 */
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RedisHash } from '../../src/store/hash.js';
import { RawClient, parseReply, replyToJs } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const NOT_FLOAT = '-ERR value is not a valid float\r\n';
const SYNTAX = '-ERR syntax error\r\n';

const t = useServer({ resp3: true });
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
  await call('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
  await call('CONFIG', 'SET', 'hash-max-listpack-value', '64');
});

function bulks(...items: string[]): string {
  return items.map((s) => `$${s.length}\r\n${s}\r\n`).join('');
}

/** Fills `key` with fields f0..f{n-1} holding v0..v{n-1}. */
async function fill(key: string, n: number): Promise<void> {
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push(`f${i}`, `v${i}`);
  await redis.hset(key, ...args);
}

describe('HSET, HSETNX, HMSET, HGET, HMGET', () => {
  it('HSET counts new fields only and stores bytes unchanged', async () => {
    expect(await call('HSET', 'h', 'a', '1', 'b', '2')).toBe(':2\r\n');
    expect(await call('HSET', 'h', 'a', 'x', 'c', '3')).toBe(':1\r\n');
    const binary = '\x00\xff\r\n';
    expect(await call('HSET', 'h', binary, binary)).toBe(':1\r\n');
    expect(await call('HGET', 'h', binary)).toBe(`$4\r\n${binary}\r\n`);
    expect(await call('HGET', 'h', 'a')).toBe('$1\r\nx\r\n');
    expect(await call('HSET', 'h', '', '')).toBe(':1\r\n');
    expect(await call('HGET', 'h', '')).toBe('$0\r\n\r\n');
  });

  it('HSET and HMSET with a field lacking its value are arity errors under their own names', async () => {
    expect(await call('HSET', 'h', 'a', '1', 'b')).toBe("-ERR wrong number of arguments for 'hset' command\r\n");
    expect(await call('hmset', 'h', 'a', '1', 'b')).toBe("-ERR wrong number of arguments for 'hmset' command\r\n");
    expect(await call('HSET', 'h', 'a')).toBe("-ERR wrong number of arguments for 'hset' command\r\n");
    expect(await call('EXISTS', 'h')).toBe(':0\r\n');
  });

  it('HMSET answers OK', async () => {
    expect(await call('HMSET', 'h', 'a', '1', 'b', '2')).toBe('+OK\r\n');
    expect(await redis.hgetall('h')).toEqual({ a: '1', b: '2' });
  });

  it('HSETNX sets only a missing field', async () => {
    expect(await call('HSETNX', 'h', 'a', '1')).toBe(':1\r\n');
    expect(await call('HSETNX', 'h', 'a', '2')).toBe(':0\r\n');
    expect(await redis.hget('h', 'a')).toBe('1');
  });

  it('HGET and HMGET answer nulls for missing fields and keys, in both protocols', async () => {
    await redis.hset('h', 'a', '1', 'b', '2');
    expect(await call('HGET', 'h', 'z')).toBe('$-1\r\n');
    expect(await call('HGET', 'nokey', 'z')).toBe('$-1\r\n');
    expect(await call3('HGET', 'h', 'z')).toBe('_\r\n');
    expect(await call3('HGET', 'nokey', 'z')).toBe('_\r\n');
    expect(await call('HMGET', 'h', 'a', 'z', 'b')).toBe('*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n');
    expect(await call3('HMGET', 'h', 'a', 'z')).toBe('*2\r\n$1\r\n1\r\n_\r\n');
    expect(await call('HMGET', 'nokey', 'a', 'b')).toBe('*2\r\n$-1\r\n$-1\r\n');
  });
});

describe('HDEL, HLEN, HSTRLEN, HEXISTS', () => {
  it('HDEL counts removed fields and deletes the key with its last field', async () => {
    await redis.hset('h', 'a', '1', 'b', '2', 'c', '3');
    expect(await call('HDEL', 'h', 'a', 'z', 'a')).toBe(':1\r\n');
    expect(await call('HLEN', 'h')).toBe(':2\r\n');
    expect(await call('HDEL', 'h', 'b', 'c', 'd')).toBe(':2\r\n');
    expect(await call('EXISTS', 'h')).toBe(':0\r\n');
    expect(await call('HDEL', 'h', 'a')).toBe(':0\r\n');
  });

  it('HLEN, HSTRLEN and HEXISTS answer 0 for missing keys and fields', async () => {
    await redis.hset('h', 'a', 'hello', 'n', '-12345');
    expect(await call('HLEN', 'h')).toBe(':2\r\n');
    expect(await call('HLEN', 'nokey')).toBe(':0\r\n');
    expect(await call('HSTRLEN', 'h', 'a')).toBe(':5\r\n');
    expect(await call('HSTRLEN', 'h', 'n')).toBe(':6\r\n');
    expect(await call('HSTRLEN', 'h', 'z')).toBe(':0\r\n');
    expect(await call('HSTRLEN', 'nokey', 'a')).toBe(':0\r\n');
    expect(await call('HEXISTS', 'h', 'a')).toBe(':1\r\n');
    expect(await call('HEXISTS', 'h', 'z')).toBe(':0\r\n');
    expect(await call('HEXISTS', 'nokey', 'a')).toBe(':0\r\n');
  });
});

describe('HKEYS, HVALS, HGETALL', () => {
  it('list a small hash in insertion order, a deleted field closing its gap', async () => {
    await redis.hset('h', 'c', '3', 'a', '1', 'b', '2');
    await redis.hdel('h', 'a');
    await redis.hset('h', 'a', '4');
    expect(await call('HKEYS', 'h')).toBe('*3\r\n' + bulks('c', 'b', 'a'));
    expect(await call('HVALS', 'h')).toBe('*3\r\n' + bulks('3', '2', '4'));
    expect(await call('HGETALL', 'h')).toBe('*6\r\n' + bulks('c', '3', 'b', '2', 'a', '4'));
  });

  it('HGETALL is a map in RESP3; HKEYS and HVALS stay arrays', async () => {
    await redis.hset('h', 'a', '1');
    expect(await call3('HGETALL', 'h')).toBe('%1\r\n' + bulks('a', '1'));
    expect(await call3('HKEYS', 'h')).toBe('*1\r\n' + bulks('a'));
    expect(await call3('HVALS', 'h')).toBe('*1\r\n' + bulks('1'));
  });

  it('answer empty aggregates for a missing key: an empty map for HGETALL', async () => {
    expect(await call('HGETALL', 'nokey')).toBe('*0\r\n');
    expect(await call3('HGETALL', 'nokey')).toBe('%0\r\n');
    expect(await call3('HKEYS', 'nokey')).toBe('*0\r\n');
    expect(await call3('HVALS', 'nokey')).toBe('*0\r\n');
  });

  it('return every field of a big hash', async () => {
    await fill('h', 500);
    const all = await redis.hgetall('h');
    expect(Object.keys(all)).toHaveLength(500);
    expect(all['f123']).toBe('v123');
    expect(new Set(await redis.hkeys('h')).size).toBe(500);
  });
});

describe('HINCRBY', () => {
  it('adds to a field, a missing field or key counting as 0', async () => {
    expect(await call('HINCRBY', 'h', 'n', '5')).toBe(':5\r\n');
    expect(await call('HINCRBY', 'h', 'n', '-7')).toBe(':-2\r\n');
    expect(await redis.hget('h', 'n')).toBe('-2');
  });

  it('is exact across the whole int64 range and refuses to overflow', async () => {
    await redis.hset('h', 'n', '9223372036854775806');
    expect(await call('HINCRBY', 'h', 'n', '1')).toBe(':9223372036854775807\r\n');
    expect(await call('HINCRBY', 'h', 'n', '1')).toBe('-ERR increment or decrement would overflow\r\n');
    await redis.hset('h', 'm', '-9223372036854775807');
    expect(await call('HINCRBY', 'h', 'm', '-1')).toBe(':-9223372036854775808\r\n');
    expect(await call('HINCRBY', 'h', 'm', '-1')).toBe('-ERR increment or decrement would overflow\r\n');
    expect(await call('HINCRBY', 'h', 'm', '9223372036854775807')).toBe(':-1\r\n');
    expect(await call('HINCRBY', 'h', 'big', '9007199254740993')).toBe(':9007199254740993\r\n');
    expect(await call('HINCRBY', 'h', 'big', '2')).toBe(':9007199254740995\r\n');
  });

  it('refuses a non-integer field value or increment; the increment is checked before the type', async () => {
    await redis.hset('h', 's', 'abc', 'f', '1.5', 'z', '007');
    expect(await call('HINCRBY', 'h', 's', '1')).toBe('-ERR hash value is not an integer\r\n');
    expect(await call('HINCRBY', 'h', 'f', '1')).toBe('-ERR hash value is not an integer\r\n');
    expect(await call('HINCRBY', 'h', 'z', '1')).toBe('-ERR hash value is not an integer\r\n');
    expect(await call('HINCRBY', 'h', 'n', '1.5')).toBe(NOT_INTEGER);
    expect(await call('HINCRBY', 'h', 'n', '9223372036854775808')).toBe(NOT_INTEGER);
    await redis.set('str', 'x');
    expect(await call('HINCRBY', 'str', 'n', 'x')).toBe(NOT_INTEGER);
    expect(await call('HINCRBY', 'str', 'n', '1')).toBe(WRONGTYPE);
  });
});

describe('HINCRBYFLOAT', () => {
  it('adds in long double and formats as Redis does; the reply is a bulk string in RESP3 too', async () => {
    expect(await call('HINCRBYFLOAT', 'h', 'x', '10.5')).toBe('$4\r\n10.5\r\n');
    expect(await call('HINCRBYFLOAT', 'h', 'x', '0.1')).toBe('$4\r\n10.6\r\n');
    expect(await call3('HINCRBYFLOAT', 'h', 'x', '-10.6')).toBe('$1\r\n0\r\n');
    await redis.hset('h', 'i', '5');
    expect(await call('HINCRBYFLOAT', 'h', 'i', '2.0e2')).toBe('$3\r\n205\r\n');
    // 1e308 as a long double, printed with ld2string's %.17Lf and trailing zeros cut.
    const e308 =
      '99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048';
    expect(await call('HINCRBYFLOAT', 'h', 'big', '1e308')).toBe(`$308\r\n${e308}\r\n`);
  });

  it('refuses non-floats, NaN and infinity in Redis order', async () => {
    await redis.hset('h', 's', 'abc');
    expect(await call('HINCRBYFLOAT', 'h', 's', '1')).toBe('-ERR hash value is not a float\r\n');
    expect(await call('HINCRBYFLOAT', 'h', 'n', 'abc')).toBe(NOT_FLOAT);
    expect(await call('HINCRBYFLOAT', 'h', 'n', 'inf')).toBe('-ERR value is NaN or Infinity\r\n');
    expect(await call('HINCRBYFLOAT', 'h', 'n', 'nan')).toBe(NOT_FLOAT);
    expect(await call('HINCRBYFLOAT', 'h', 'n', '1e4933')).toBe(NOT_FLOAT);
    await redis.hset('h', 'm', '1.1e4932');
    expect(await call('HINCRBYFLOAT', 'h', 'm', '1.1e4932')).toBe('-ERR increment would produce NaN or Infinity\r\n');
    await redis.set('str', 'x');
    expect(await call('HINCRBYFLOAT', 'str', 'n', 'x')).toBe(NOT_FLOAT);
    expect(await call('HINCRBYFLOAT', 'str', 'n', 'inf')).toBe('-ERR value is NaN or Infinity\r\n');
    expect(await call('HINCRBYFLOAT', 'str', 'n', '1')).toBe(WRONGTYPE);
    expect(await redis.hget('h', 'm')).toBe('1.1e4932');
  });
});

describe('HRANDFIELD', () => {
  it('without a count: one field, or a null for a missing key', async () => {
    await redis.hset('h', 'a', '1', 'b', '2');
    expect(['a', 'b']).toContain(await redis.hrandfield('h'));
    expect(await call('HRANDFIELD', 'nokey')).toBe('$-1\r\n');
    expect(await call3('HRANDFIELD', 'nokey')).toBe('_\r\n');
  });

  it('a positive count gives distinct fields, the whole hash when it asks for more', async () => {
    await fill('h', 10);
    for (const count of [1, 2, 3, 4, 8, 9]) {
      const fields = replyToJs(await raw.call('HRANDFIELD', 'h', String(count))) as string[];
      expect(fields).toHaveLength(count);
      expect(new Set(fields).size).toBe(count);
      for (const field of fields) expect(field).toMatch(/^f\d$/);
    }
    expect(await call('HRANDFIELD', 'h', '10')).toBe(
      '*10\r\n' + bulks(...Array.from({ length: 10 }, (_, i) => `f${i}`)),
    );
    expect((replyToJs(await raw.call('HRANDFIELD', 'h', '100')) as string[]).sort()).toHaveLength(10);
  });

  it('a positive count picks distinct fields from a big hash', async () => {
    await fill('h', 1000);
    for (const count of [5, 400, 999]) {
      const fields = replyToJs(await raw.call('HRANDFIELD', 'h', String(count))) as string[];
      expect(new Set(fields).size).toBe(count);
    }
  });

  it('a negative count gives that many independent picks, repeats allowed', async () => {
    await redis.hset('h', 'a', '1');
    expect(await call('HRANDFIELD', 'h', '-3')).toBe('*3\r\n' + bulks('a', 'a', 'a'));
    await fill('g', 200);
    const fields = replyToJs(await raw.call('HRANDFIELD', 'g', '-500')) as string[];
    expect(fields).toHaveLength(500);
    expect(new Set(fields).size).toBeLessThan(200);
  });

  it('WITHVALUES pairs are flat in RESP2 and two-element arrays in RESP3', async () => {
    await redis.hset('h', 'a', '1');
    expect(await call('HRANDFIELD', 'h', '1', 'WITHVALUES')).toBe('*2\r\n' + bulks('a', '1'));
    expect(await call('HRANDFIELD', 'h', '-2', 'withvalues')).toBe('*4\r\n' + bulks('a', '1', 'a', '1'));
    expect(await call3('HRANDFIELD', 'h', '5', 'WITHVALUES')).toBe('*1\r\n*2\r\n' + bulks('a', '1'));
    expect(await call3('HRANDFIELD', 'h', '-2', 'WITHVALUES')).toBe('*2\r\n' + ('*2\r\n' + bulks('a', '1')).repeat(2));
    await fill('g', 50);
    const pairs = replyToJs(await raw3.call('HRANDFIELD', 'g', '20', 'WITHVALUES')) as string[][];
    expect(pairs).toHaveLength(20);
    for (const [field, value] of pairs) expect(value).toBe(field!.replace('f', 'v'));
  });

  it('a zero count or a missing key is an empty array, in RESP3 too', async () => {
    await redis.hset('h', 'a', '1');
    expect(await call('HRANDFIELD', 'h', '0')).toBe('*0\r\n');
    expect(await call3('HRANDFIELD', 'h', '0', 'WITHVALUES')).toBe('*0\r\n');
    expect(await call3('HRANDFIELD', 'nokey', '3')).toBe('*0\r\n');
    expect(await call('HRANDFIELD', 'nokey', '-3', 'WITHVALUES')).toBe('*0\r\n');
  });

  it('checks the count, then the option, then the WITHVALUES range, then the type', async () => {
    await redis.set('str', 'x');
    expect(await call('HRANDFIELD', 'str', 'x')).toBe(NOT_INTEGER);
    expect(await call('HRANDFIELD', 'str', '-9223372036854775808')).toBe(
      '-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n',
    );
    expect(await call('HRANDFIELD', 'nokey', '1', 'WITHVALUE')).toBe(SYNTAX);
    expect(await call('HRANDFIELD', 'nokey', '1', 'WITHVALUES', 'x')).toBe(SYNTAX);
    expect(await call('HRANDFIELD', 'nokey', '-4611686018427387904', 'foo')).toBe(SYNTAX);
    expect(await call('HRANDFIELD', 'str', '-4611686018427387904', 'WITHVALUES')).toBe('-ERR value is out of range\r\n');
    expect(await call('HRANDFIELD', 'nokey', '4611686018427387904', 'WITHVALUES')).toBe('-ERR value is out of range\r\n');
    expect(await call('HRANDFIELD', 'nokey', '4611686018427387903', 'WITHVALUES')).toBe('*0\r\n');
    expect(await call('HRANDFIELD', 'str', '0')).toBe(WRONGTYPE);
    expect(await call('HRANDFIELD', 'str')).toBe(WRONGTYPE);
  });
});

describe('HSCAN', () => {
  it('returns a small hash whole with cursor 0, whatever the cursor and COUNT', async () => {
    await redis.hset('h', 'a', '1', 'b', '2', 'ab', '3');
    const all = '*2\r\n$1\r\n0\r\n*6\r\n' + bulks('a', '1', 'b', '2', 'ab', '3');
    expect(await call('HSCAN', 'h', '0')).toBe(all);
    expect(await call('HSCAN', 'h', '0', 'COUNT', '1')).toBe(all);
    expect(await call('HSCAN', 'h', '12345')).toBe(all);
    expect(await call3('HSCAN', 'h', '0')).toBe(all);
  });

  it('MATCH filters on the field and drops its value with it', async () => {
    await redis.hset('h', 'a', '1', 'b', 'a', 'ab', '3');
    expect(await call('HSCAN', 'h', '0', 'MATCH', 'a*')).toBe('*2\r\n$1\r\n0\r\n*4\r\n' + bulks('a', '1', 'ab', '3'));
    expect(await call('HSCAN', 'h', '0', 'match', 'zz', 'count', '5')).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
  });

  it('checks the cursor before the key and the options after it', async () => {
    await redis.set('str', 'x');
    expect(await call('HSCAN', 'str', 'x')).toBe('-ERR invalid cursor\r\n');
    expect(await call('HSCAN', 'nokey', '18446744073709551616')).toBe('-ERR invalid cursor\r\n');
    expect(await call('HSCAN', 'str', '0', 'COUNT', '0')).toBe(WRONGTYPE);
    expect(await call('HSCAN', 'nokey', '0', 'COUNT', '0')).toBe('*2\r\n$1\r\n0\r\n*0\r\n');
    await redis.hset('h', 'a', '1');
    expect(await call('HSCAN', 'h', '0', 'COUNT', '0')).toBe(SYNTAX);
    expect(await call('HSCAN', 'h', '0', 'COUNT', 'x')).toBe(NOT_INTEGER);
    expect(await call('HSCAN', 'h', '0', 'MATCH')).toBe(SYNTAX);
    expect(await call('HSCAN', 'h', '0', 'TYPE', 'string')).toBe(SYNTAX);
  });

  it('a full iteration of a big hash returns every field present throughout exactly once', async () => {
    await fill('h', 1000);
    const seen = new Map<string, number>();
    const removed = new Set<string>();
    let cursor = '0';
    let step = 0;
    do {
      const reply = replyToJs(await raw.call('HSCAN', 'h', cursor, 'COUNT', '25')) as [string, string[]];
      cursor = reply[0];
      for (let i = 0; i < reply[1].length; i += 2) {
        const field = reply[1][i]!;
        seen.set(field, (seen.get(field) ?? 0) + 1);
        if (field.startsWith('f')) expect(reply[1][i + 1]).toBe('v' + field.slice(1));
      }
      // Churn between calls: new fields, and deletions of fields not in the "stable" half.
      await redis.hset('h', `new${step}`, 'x');
      const victim = `f${500 + step}`;
      await redis.hdel('h', victim);
      removed.add(victim);
      step++;
    } while (cursor !== '0');
    for (let i = 0; i < 500; i++) expect(seen.get(`f${i}`), `f${i}`).toBe(1);
    for (const [field, times] of seen) if (!field.startsWith('new')) expect(times, field).toBe(1);
    expect(step).toBeGreaterThan(30);
  });

  it('an unknown cursor on a big hash starts a new iteration', async () => {
    await fill('h', 300);
    const fields = new Set<string>();
    let cursor = '987654321';
    do {
      const reply = replyToJs(await raw.call('HSCAN', 'h', cursor, 'COUNT', '100')) as [string, string[]];
      cursor = reply[0];
      for (let i = 0; i < reply[1].length; i += 2) fields.add(reply[1][i]!);
    } while (cursor !== '0');
    expect(fields.size).toBe(300);
  });
});

describe('encoding', () => {
  async function encoding(key: string): Promise<string> {
    return (await call('OBJECT', 'ENCODING', key)).split('\r\n')[1]!;
  }

  it('a listpack becomes a hashtable past hash-max-listpack-entries, and stays one', async () => {
    await fill('h', 128);
    expect(await encoding('h')).toBe('listpack');
    await redis.hset('h', 'one-more', 'x');
    expect(await encoding('h')).toBe('hashtable');
    await redis.hdel('h', 'one-more', 'f0', 'f1');
    expect(await encoding('h')).toBe('hashtable');
  });

  it('a field or value longer than hash-max-listpack-value converts; HSETNX of an existing field does not', async () => {
    const long = 'x'.repeat(65);
    await redis.hset('a', 'f', 'x'.repeat(64));
    expect(await encoding('a')).toBe('listpack');
    await redis.hset('a', 'f', long);
    expect(await encoding('a')).toBe('hashtable');
    await redis.hset('b', long, 'v');
    expect(await encoding('b')).toBe('hashtable');
    await redis.hset('c', 'f', 'v');
    await redis.hsetnx('c', 'f', long);
    expect(await encoding('c')).toBe('listpack');
    await redis.hsetnx('c', 'g', long);
    expect(await encoding('c')).toBe('hashtable');
    await redis.hset('d', 'f', '1');
    await redis.hincrbyfloat('d', 'f', '1e100');
    expect(await encoding('d')).toBe('hashtable');
  });

  it('a lowered limit converts at the next write, even an update', async () => {
    await redis.hset('h', 'a', '1', 'b', '2', 'c', '3');
    await call('CONFIG', 'SET', 'hash-max-listpack-entries', '2');
    expect(await encoding('h')).toBe('listpack');
    await redis.hset('h', 'a', '5');
    expect(await encoding('h')).toBe('hashtable');
  });

  it('COPY keeps the encoding and makes an independent hash', async () => {
    await redis.hset('h', 'f', 'x'.repeat(100));
    await redis.copy('h', 'h2');
    expect(await encoding('h2')).toBe('hashtable');
    await redis.hset('h2', 'g', '1');
    expect(await redis.hlen('h')).toBe(1);
  });
});

describe('types and keys', () => {
  it('every hash command refuses a key of another type', async () => {
    await redis.set('str', 'x');
    await redis.sadd('set', 'm');
    for (const key of ['str', 'set']) {
      for (const args of [
        ['HSET', key, 'f', 'v'], ['HSETNX', key, 'f', 'v'], ['HMSET', key, 'f', 'v'], ['HGET', key, 'f'],
        ['HMGET', key, 'f'], ['HDEL', key, 'f'], ['HLEN', key], ['HSTRLEN', key, 'f'], ['HEXISTS', key, 'f'],
        ['HKEYS', key], ['HVALS', key], ['HGETALL', key], ['HINCRBY', key, 'f', '1'],
        ['HINCRBYFLOAT', key, 'f', '1'], ['HRANDFIELD', key], ['HRANDFIELD', key, '2', 'WITHVALUES'], ['HSCAN', key, '0'],
      ]) {
        expect(await call(...args), args.join(' ')).toBe(WRONGTYPE);
      }
    }
    expect(await redis.type('str')).toBe('string');
  });

  it('a hash is TYPE hash and the store holds a RedisHash', async () => {
    await redis.hset('h', 'a', '1');
    expect(await redis.type('h')).toBe('hash');
    expect(server.server.keyspace.databases[0]!.dict.get('h')).toBeInstanceOf(RedisHash);
  });

  it('a write to a WATCHed hash aborts the transaction unless it changed nothing, as in Redis', async () => {
    await redis.hset('h', 'a', '1');
    const aborts = async (write: string[]): Promise<boolean> => {
      const watcher = await RawClient.connect(server.port);
      try {
        await watcher.call('WATCH', 'h');
        await call(...write);
        await watcher.call('MULTI');
        await watcher.call('PING');
        return parseReply(await watcher.call('EXEC')).type === 'null';
      } finally {
        await watcher.close();
      }
    };
    expect(await aborts(['HINCRBY', 'h', 'a', '1'])).toBe(true);
    expect(await aborts(['HSET', 'h', 'a', '2'])).toBe(true);
    // HSET signals even when the value is the same one.
    expect(await aborts(['HSET', 'h', 'a', '2'])).toBe(true);
    expect(await aborts(['HDEL', 'h', 'zz'])).toBe(false);
    expect(await aborts(['HSETNX', 'h', 'a', 'x'])).toBe(false);
    expect(await aborts(['HINCRBY', 'h', 'a', 'x'])).toBe(false);
    expect(await aborts(['HDEL', 'h', 'a'])).toBe(true);
  });
});
