/**
 * The member-level sorted set commands over real sockets: ZADD and its
 * options, ZINCRBY, ZREM, ZSCORE, ZMSCORE, ZCARD, ZRANK/ZREVRANK,
 * ZRANDMEMBER, ZSCAN and the reported encodings, in RESP2 and RESP3, plus
 * an ioredis round trip. Ranges are in zset-ranges.test.ts, set algebra in
 * zset-setops.test.ts, pops in zset-pops.test.ts. Every expected reply was
 * checked against redis-server 7.0.15 (see zset-server.ts).
 */
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  EMPTY,
  NIL,
  NIL_ARRAY,
  NOT_FLOAT,
  NOT_INTEGER,
  NULL3,
  OK,
  SYNTAX,
  WRONGTYPE,
  againstRedis,
  arr,
  bulk,
  bulks,
  dbl,
  error,
  int,
  scored2,
  scored3,
  useZsetTarget,
} from './zset-server.js';

const target = useZsetTarget();
const { call, call3 } = target;

describe('ZADD', () => {
  it('adds members, updates scores and counts only the new ones', async () => {
    expect(await call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c')).toBe(int(3));
    expect(await call('ZADD', 'z', '10', 'a', '4', 'd')).toBe(int(1));
    expect(await call('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(scored2('b', '2', 'c', '3', 'd', '4', 'a', '10'));
    // The same member twice in one call: the last score wins, counted once.
    expect(await call('ZADD', 'z2', '1', 'x', '2', 'x')).toBe(int(1));
    expect(await call('ZSCORE', 'z2', 'x')).toBe(bulk('2'));
  });

  it('CH counts updates too; NX, XX, GT and LT filter what changes', async () => {
    await call('ZADD', 'z', '5', 'a', '5', 'b');
    expect(await call('ZADD', 'z', 'CH', '6', 'a', '5', 'b', '1', 'c')).toBe(int(2));
    expect(await call('ZADD', 'z', 'NX', '100', 'a', '7', 'd')).toBe(int(1));
    expect(await call('ZADD', 'z', 'XX', 'CH', '100', 'a', '7', 'e')).toBe(int(1));
    expect(await call('ZADD', 'z', 'GT', 'CH', '50', 'a', '9', 'b')).toBe(int(1));
    expect(await call('ZADD', 'z', 'LT', 'CH', '60', 'a', '1', 'b')).toBe(int(2));
    // GT/LT never stop a new member from being added; XX with GT is allowed.
    expect(await call('ZADD', 'z', 'gt', '-5', 'new')).toBe(int(1));
    expect(await call('ZADD', 'z', 'xx', 'gt', 'ch', '1', 'new', '1', 'other')).toBe(int(1));
    expect(await call('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(
      scored2('b', '1', 'c', '1', 'new', '1', 'd', '7', 'a', '60'),
    );
    expect(await call('ZADD', 'missing', 'XX', '1', 'a')).toBe(int(0));
    expect(await call('EXISTS', 'missing')).toBe(int(0));
  });

  it('INCR replies with the new score, or nil when an option stopped it', async () => {
    expect(await call('ZADD', 'z', 'INCR', '1.5', 'a')).toBe(bulk('1.5'));
    expect(await call('ZADD', 'z', 'INCR', '2', 'a')).toBe(bulk('3.5'));
    expect(await call3('ZADD', 'z', 'INCR', '0.1', 'a')).toBe(dbl('3.6000000000000001'));
    expect(await call('ZADD', 'z', 'NX', 'INCR', '1', 'a')).toBe(NIL);
    expect(await call3('ZADD', 'z', 'XX', 'INCR', '1', 'nope')).toBe(NULL3);
    expect(await call('ZADD', 'z', 'GT', 'INCR', '-1', 'a')).toBe(NIL);
    expect(await call('ZADD', 'z', 'LT', 'INCR', '-1', 'a')).toBe(bulk('2.6000000000000001'));
    expect(await call('ZADD', 'nokey', 'XX', 'INCR', '1', 'a')).toBe(NIL);
  });

  it('replies the computed score of INCR even where the stored one differs (-0)', async () => {
    // A small set stores -0 as 0, but the reply is zsetAdd's score.
    expect(await call('ZADD', 'z', 'INCR', '-0', 'm')).toBe(bulk('-0'));
    expect(await call('ZSCORE', 'z', 'm')).toBe(bulk('0'));
    expect(await call('ZADD', 'z', '-0', 'n')).toBe(int(1));
    expect(await call('ZSCORE', 'z', 'n')).toBe(bulk('0'));
  });

  it('rejects incompatible options and bad scores before changing anything', async () => {
    await call('ZADD', 'z', '1', 'a');
    expect(await call('ZADD', 'z', 'NX', 'XX', '1', 'a')).toBe(error('ERR XX and NX options at the same time are not compatible'));
    expect(await call('ZADD', 'z', 'GT', 'LT', '1', 'a')).toBe(
      error('ERR GT, LT, and/or NX options at the same time are not compatible'),
    );
    expect(await call('ZADD', 'z', 'NX', 'GT', '1', 'a')).toBe(
      error('ERR GT, LT, and/or NX options at the same time are not compatible'),
    );
    expect(await call('ZADD', 'z', 'INCR', '1', 'a', '2', 'b')).toBe(error('ERR INCR option supports a single increment-element pair'));
    // An odd number of arguments after the options is a syntax error, checked first.
    expect(await call('ZADD', 'z', 'NX', 'XX', '1')).toBe(SYNTAX);
    expect(await call('ZADD', 'z', '1', 'a', '2')).toBe(SYNTAX);
    expect(await call('ZADD', 'z', '2', 'b', 'x', 'c')).toBe(NOT_FLOAT);
    expect(await call('ZADD', 'z', 'nan', 'c')).toBe(NOT_FLOAT);
    expect(await call('ZADD', 'z', ' 1', 'c')).toBe(NOT_FLOAT);
    expect(await call('ZRANGE', 'z', '0', '-1')).toBe(bulks('a'));
    expect(await call('ZADD', 'z')).toBe(error("ERR wrong number of arguments for 'zadd' command"));
  });

  it('refuses an increment that makes the score NaN', async () => {
    expect(await call('ZADD', 'z', 'INCR', 'inf', 'a')).toBe(bulk('inf'));
    expect(await call('ZADD', 'z', 'INCR', '-inf', 'a')).toBe(error('ERR resulting score is not a number (NaN)'));
    expect(await call('ZINCRBY', 'z', '-inf', 'a')).toBe(error('ERR resulting score is not a number (NaN)'));
    expect(await call('ZSCORE', 'z', 'a')).toBe(bulk('inf'));
  });

  it('accepts Redis score syntax: inf, exponents, hex; keeps binary members', async () => {
    expect(await call('ZADD', 'z', '+inf', 'p', '-Infinity', 'n', '1e3', 'e', '0x10', 'h', '.5', 'd')).toBe(int(5));
    expect(await call('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toBe(
      scored2('n', '-inf', 'd', '0.5', 'h', '16', 'e', '1000', 'p', 'inf'),
    );
    expect(await call('ZADD', 'b', '1', 'x\x00y', '2', '\xff\r\n')).toBe(int(2));
    expect(await call('ZRANGE', 'b', '0', '-1')).toBe(bulks('x\x00y', '\xff\r\n'));
  });
});

describe('ZINCRBY', () => {
  it('creates the member or adds to its score', async () => {
    expect(await call('ZINCRBY', 'z', '2', 'a')).toBe(bulk('2'));
    expect(await call('ZINCRBY', 'z', '-0.5', 'a')).toBe(bulk('1.5'));
    expect(await call3('ZINCRBY', 'z', '1', 'a')).toBe(dbl('2.5'));
    expect(await call('ZINCRBY', 'z', 'abc', 'a')).toBe(NOT_FLOAT);
    // ZINCRBY is ZADD INCR underneath: an increment spelled like an option is read as one.
    expect(await call('ZINCRBY', 'z', 'nx', 'a')).toBe(SYNTAX);
  });
});

describe('ZREM', () => {
  it('removes members and deletes the key with the last one', async () => {
    await call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(await call('ZREM', 'z', 'a', 'nope', 'a')).toBe(int(1));
    expect(await call('ZREM', 'z', 'b', 'c', 'd')).toBe(int(2));
    expect(await call('EXISTS', 'z')).toBe(int(0));
    expect(await call('ZREM', 'z', 'a')).toBe(int(0));
  });
});

describe('ZSCORE, ZMSCORE, ZCARD', () => {
  it('answers in both protocols', async () => {
    await call('ZADD', 'z', '1.25', 'a', '-3', 'b');
    expect(await call('ZSCORE', 'z', 'a')).toBe(bulk('1.25'));
    expect(await call3('ZSCORE', 'z', 'a')).toBe(dbl('1.25'));
    expect(await call('ZSCORE', 'z', 'x')).toBe(NIL);
    expect(await call3('ZSCORE', 'nokey', 'x')).toBe(NULL3);
    expect(await call('ZMSCORE', 'z', 'a', 'x', 'b')).toBe(arr(bulk('1.25'), NIL, bulk('-3')));
    expect(await call3('ZMSCORE', 'z', 'a', 'x')).toBe(arr(dbl('1.25'), NULL3));
    expect(await call('ZMSCORE', 'nokey', 'a', 'b')).toBe(arr(NIL, NIL));
    expect(await call('ZCARD', 'z')).toBe(int(2));
    expect(await call('ZCARD', 'nokey')).toBe(int(0));
  });

  it('print scores as %.17g', async () => {
    await call('ZADD', 'z', '0.1', 'a', '1e20', 'b', '123456789012345678', 'c', '-1.5e-7', 'd');
    expect(await call('ZMSCORE', 'z', 'a', 'b', 'c', 'd')).toBe(
      bulks('0.10000000000000001', '1e+20', '1.2345678901234568e+17', '-1.4999999999999999e-07'),
    );
  });
});

describe('ZRANK and ZREVRANK', () => {
  it('give 0-based ranks from either end, nil for a missing member', async () => {
    await call('ZADD', 'z', '1', 'a', '2', 'b', '2', 'c', '3', 'd');
    expect(await call('ZRANK', 'z', 'a')).toBe(int(0));
    expect(await call('ZRANK', 'z', 'c')).toBe(int(2));
    expect(await call('ZREVRANK', 'z', 'a')).toBe(int(3));
    expect(await call('ZREVRANK', 'z', 'd')).toBe(int(0));
    expect(await call('ZRANK', 'z', 'x')).toBe(NIL);
    expect(await call3('ZREVRANK', 'nokey', 'x')).toBe(NULL3);
  });

  it.skipIf(againstRedis)('take Redis 7.2 WITHSCORE: [rank, score], a null array when missing', async () => {
    await call('ZADD', 'z', '1', 'a', '2.5', 'b');
    expect(await call('ZRANK', 'z', 'b', 'WITHSCORE')).toBe(arr(int(1), bulk('2.5')));
    expect(await call3('ZREVRANK', 'z', 'b', 'withscore')).toBe(arr(int(0), dbl('2.5')));
    expect(await call('ZRANK', 'z', 'x', 'WITHSCORE')).toBe(NIL_ARRAY);
    expect(await call3('ZRANK', 'nokey', 'x', 'WITHSCORE')).toBe(NULL3);
    expect(await call('ZRANK', 'z', 'a', 'WITHSCORES')).toBe(SYNTAX);
    expect(await call('ZRANK', 'z', 'a', 'WITHSCORE', 'x')).toBe(error("ERR wrong number of arguments for 'zrank' command"));
    expect(await call('ZREVRANK', 'z', 'a', 'WITHSCORE', 'x')).toBe(error("ERR wrong number of arguments for 'zrevrank' command"));
  });
});

describe('ZRANDMEMBER', () => {
  it('without a count: one member, nil for a missing key', async () => {
    expect(await call('ZRANDMEMBER', 'z')).toBe(NIL);
    expect(await call3('ZRANDMEMBER', 'z')).toBe(NULL3);
    await call('ZADD', 'z', '1', 'only');
    expect(await call('ZRANDMEMBER', 'z')).toBe(bulk('only'));
  });

  it('a positive count gives distinct members; the whole set when it covers it', async () => {
    await call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
    // Redis's iterator walks the set from the highest score down.
    expect(await call('ZRANDMEMBER', 'z', '10')).toBe(bulks('e', 'd', 'c', 'b', 'a'));
    expect(await call('ZRANDMEMBER', 'z', '5', 'WITHSCORES')).toBe(scored2('e', '5', 'd', '4', 'c', '3', 'b', '2', 'a', '1'));
    expect(await call3('ZRANDMEMBER', 'z', '6', 'withscores')).toBe(scored3('e', '5', 'd', '4', 'c', '3', 'b', '2', 'a', '1'));
    for (const count of ['1', '2', '4']) {
      const members = parseBulks(await call('ZRANDMEMBER', 'z', count));
      expect(members).toHaveLength(Number(count));
      expect(new Set(members).size).toBe(members.length);
      for (const m of members) expect(['a', 'b', 'c', 'd', 'e']).toContain(m);
    }
    expect(await call('ZRANDMEMBER', 'z', '0')).toBe(EMPTY);
    expect(await call('ZRANDMEMBER', 'nokey', '3')).toBe(EMPTY);
  });

  it('a negative count may repeat members and gives exactly that many', async () => {
    await call('ZADD', 'z', '7', 'a');
    expect(await call('ZRANDMEMBER', 'z', '-3')).toBe(bulks('a', 'a', 'a'));
    expect(await call('ZRANDMEMBER', 'z', '-2', 'WITHSCORES')).toBe(scored2('a', '7', 'a', '7'));
    expect(await call3('ZRANDMEMBER', 'z', '-2', 'WITHSCORES')).toBe(scored3('a', '7', 'a', '7'));
    await call('ZADD', 'big', ...Array.from({ length: 300 }, (_, i) => [String(i), `m${i}`]).flat());
    const picked = parseBulks(await call('ZRANDMEMBER', 'big', '-2500'));
    expect(picked).toHaveLength(2500);
    expect(new Set(picked).size).toBeGreaterThan(200);
  });

  it('checks the count before the key', async () => {
    await call('SET', 's', 'x');
    expect(await call('ZRANDMEMBER', 'nokey', 'abc')).toBe(NOT_INTEGER);
    expect(await call('ZRANDMEMBER', 'nokey', '-9223372036854775808')).toBe(
      error('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807'),
    );
    expect(await call('ZRANDMEMBER', 'nokey', '-4611686018427387904', 'WITHSCORES')).toBe(error('ERR value is out of range'));
    expect(await call('ZRANDMEMBER', 'nokey', '-4611686018427387903', 'WITHSCORES')).toBe(EMPTY);
    expect(await call('ZRANDMEMBER', 'nokey', '1', 'WITHSCORE')).toBe(SYNTAX);
    expect(await call('ZRANDMEMBER', 'nokey', '1', 'WITHSCORES', 'x')).toBe(SYNTAX);
    expect(await call('ZRANDMEMBER', 's', '1')).toBe(WRONGTYPE);
    expect(await call('ZRANDMEMBER', 's')).toBe(WRONGTYPE);
  });
});

describe('ZSCAN', () => {
  it('returns a small set whole with cursor 0, scores as bulk strings in both protocols', async () => {
    await call('ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'ab');
    const page = arr(bulk('0'), bulks('a', '1', 'b', '2.5', 'ab', '3'));
    expect(await call('ZSCAN', 'z', '0')).toBe(page);
    expect(await call3('ZSCAN', 'z', '0', 'COUNT', '1')).toBe(page);
    expect(await call('ZSCAN', 'z', '12345')).toBe(page);
    expect(await call('ZSCAN', 'z', '0', 'MATCH', 'a*')).toBe(arr(bulk('0'), bulks('a', '1', 'ab', '3')));
  });

  it('walks a large set with cursors, every member exactly once', async () => {
    const args: string[] = [];
    for (let i = 0; i < 500; i++) args.push(String(i / 4), `member:${i}`);
    await call('ZADD', 'z', ...args);
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = parseScanPage(await call('ZSCAN', 'z', cursor, 'COUNT', '37'));
      for (let i = 0; i < items.length; i += 2) {
        expect(seen.has(items[i]!)).toBe(false);
        seen.set(items[i]!, items[i + 1]!);
      }
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect(seen.size).toBe(500);
    expect(seen.get('member:3')).toBe('0.75');
    expect(calls).toBeGreaterThan(2);
  });

  it('reads the cursor first, the options only for an existing sorted set', async () => {
    await call('SET', 's', 'x');
    await call('ZADD', 'z', '1', 'a');
    expect(await call('ZSCAN', 'z', 'abc')).toBe(error('ERR invalid cursor'));
    expect(await call('ZSCAN', 's', 'abc')).toBe(error('ERR invalid cursor'));
    expect(await call('ZSCAN', 's', '0')).toBe(WRONGTYPE);
    expect(await call('ZSCAN', 'nokey', '0', 'BAD')).toBe(arr(bulk('0'), EMPTY));
    expect(await call('ZSCAN', 'z', '0', 'BAD')).toBe(SYNTAX);
    expect(await call('ZSCAN', 'z', '0', 'COUNT', '0')).toBe(SYNTAX);
    expect(await call('ZSCAN', 'z', '0', 'COUNT', 'x')).toBe(NOT_INTEGER);
    expect(await call('ZSCAN', 'z', '0', 'TYPE', 'zset')).toBe(SYNTAX);
  });
});

describe('types and encodings', () => {
  it('every sorted set command refuses another type', async () => {
    await call('SET', 's', 'x');
    const calls: string[][] = [
      ['ZADD', 's', '1', 'a'],
      ['ZINCRBY', 's', '1', 'a'],
      ['ZREM', 's', 'a'],
      ['ZSCORE', 's', 'a'],
      ['ZMSCORE', 's', 'a'],
      ['ZCARD', 's'],
      ['ZRANK', 's', 'a'],
      ['ZREVRANK', 's', 'a'],
    ];
    for (const args of calls) expect(await call(...args), args.join(' ')).toBe(WRONGTYPE);
    expect(await call('GET', 's')).toBe(bulk('x'));
  });

  it('is a listpack until 128 members or a member over 64 bytes, then a skiplist for good', async () => {
    const members: string[] = [];
    for (let i = 0; i < 128; i++) members.push(String(i), `m${i}`);
    await call('ZADD', 'z', ...members);
    expect(await call('OBJECT', 'ENCODING', 'z')).toBe(bulk('listpack'));
    expect(await call('TYPE', 'z')).toBe('+zset\r\n');
    await call('ZADD', 'z', '1000', 'one-more');
    expect(await call('OBJECT', 'ENCODING', 'z')).toBe(bulk('skiplist'));
    await call('ZREMRANGEBYRANK', 'z', '0', '100');
    expect(await call('OBJECT', 'ENCODING', 'z')).toBe(bulk('skiplist'));
    await call('ZADD', 'long', '1', 'x'.repeat(64));
    expect(await call('OBJECT', 'ENCODING', 'long')).toBe(bulk('listpack'));
    await call('ZADD', 'long', '1', 'y'.repeat(65));
    expect(await call('OBJECT', 'ENCODING', 'long')).toBe(bulk('skiplist'));
  });

  it('reads zset-max-listpack-entries/-value when a set grows, not afterwards', async () => {
    try {
      expect(await call('CONFIG', 'SET', 'zset-max-listpack-entries', '2')).toBe(OK);
      await call('ZADD', 'z', '1', 'a', '2', 'b');
      expect(await call('OBJECT', 'ENCODING', 'z')).toBe(bulk('listpack'));
      await call('CONFIG', 'SET', 'zset-max-listpack-entries', '1');
      expect(await call('OBJECT', 'ENCODING', 'z')).toBe(bulk('listpack'));
      await call('ZADD', 'z', '3', 'c');
      expect(await call('OBJECT', 'ENCODING', 'z')).toBe(bulk('skiplist'));
      // Converted before the second member goes in, so that one keeps its -0.
      await call('ZADD', 'neg', '-0', 'a', '-0', 'b');
      expect(await call('ZMSCORE', 'neg', 'a', 'b')).toBe(bulks('0', '-0'));
      await call('CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '3');
      await call('ZADD', 'v', '1', 'abc');
      expect(await call('OBJECT', 'ENCODING', 'v')).toBe(bulk('listpack'));
      await call('ZADD', 'v', '1', 'abcd');
      expect(await call('OBJECT', 'ENCODING', 'v')).toBe(bulk('skiplist'));
    } finally {
      await call('CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64');
    }
  });

  it('a skiplist keeps -0 where a listpack keeps 0', async () => {
    const members: string[] = [];
    for (let i = 0; i < 130; i++) members.push(String(i + 1), `m${i}`);
    await call('ZADD', 'big', ...members);
    await call('ZADD', 'big', '-0', 'neg');
    expect(await call('ZSCORE', 'big', 'neg')).toBe(bulk('-0'));
    expect(await call('ZINCRBY', 'big', '0', 'neg')).toBe(bulk('0'));
    expect(await call('ZSCORE', 'big', 'neg')).toBe(bulk('-0'));
  });
});

describe('through ioredis', () => {
  it('round-trips the common calls', async () => {
    const redis = new Redis(target.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await redis.connect();
    try {
      expect(await redis.zadd('board', 10, 'ann', 20, 'bob', 15, 'cy')).toBe(3);
      expect(await redis.zincrby('board', 10, 'ann')).toBe('20');
      expect(await redis.zrange('board', 0, -1, 'WITHSCORES')).toEqual(['cy', '15', 'ann', '20', 'bob', '20']);
      expect(await redis.zrevrank('board', 'cy')).toBe(2);
      expect(await redis.zscore('board', 'nobody')).toBeNull();
      expect(await redis.zmscore('board', 'ann', 'nobody')).toEqual(['20', null]);
      expect(await redis.zrangebyscore('board', '(15', '+inf', 'LIMIT', 1, 1)).toEqual(['bob']);
      expect(await redis.zpopmax('board')).toEqual(['bob', '20']);
      expect(await redis.zcard('board')).toBe(2);
    } finally {
      redis.disconnect();
    }
  });
});

/** The bulk strings of a flat RESP2 array reply. */
function parseBulks(text: string): string[] {
  const out: string[] = [];
  const re = /\$(\d+)\r\n/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    const start = match.index + match[0].length;
    out.push(text.slice(start, start + Number(match[1])));
    re.lastIndex = start + Number(match[1]) + 2;
  }
  return out;
}

/** [cursor, elements] of a SCAN-family reply. */
function parseScanPage(text: string): [string, string[]] {
  const [cursor, ...items] = parseBulks(text);
  return [cursor!, items];
}
