/**
 * APPEND, STRLEN, SETRANGE, GETRANGE/SUBSTR and LCS through real sockets,
 * compared as raw replies (RESP2 and RESP3). Every expected reply was checked against
 * redis-server 7.0.15. Time is a ManualClock, so expiry needs no sleeping.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const TOO_LONG = '-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n';

const t = useServer({ clock: START, resetClock: true, resp3: true });
const { call, call3, db, storeList, pttl } = t;
// Set once useServer's beforeAll has started the server.
let redis: Redis;
beforeAll(() => {
  redis = t.redis;
});

describe('APPEND and STRLEN', () => {
  it('APPEND creates or extends, binary safe, and keeps the TTL', async () => {
    expect(await call('APPEND', 'k', 'ab')).toBe(':2\r\n');
    db().setExpire('k', START + 1000);
    expect(await call('APPEND', 'k', '\x00\xff')).toBe(':4\r\n');
    expect(await call('GET', 'k')).toBe('$4\r\nab\x00\xff\r\n');
    expect(pttl('k')).toBe(1000);
    expect(await call('APPEND', 'e', '')).toBe(':0\r\n');
    expect(await redis.exists('e')).toBe(1);
    storeList('l');
    expect(await call('APPEND', 'l', 'x')).toBe(WRONGTYPE);
  });

  it('STRLEN counts bytes', async () => {
    await call('SET', 'k', '\x00\xff\x80');
    expect(await call('STRLEN', 'k')).toBe(':3\r\n');
    expect(await call('STRLEN', 'nope')).toBe(':0\r\n');
    storeList('l');
    expect(await call('STRLEN', 'l')).toBe(WRONGTYPE);
  });
});

describe('SETRANGE', () => {
  it('overwrites in place and pads with zero bytes', async () => {
    await redis.set('s', 'hello');
    expect(await call('SETRANGE', 's', '7', 'W')).toBe(':8\r\n');
    expect(await call('GET', 's')).toBe('$8\r\nhello\x00\x00W\r\n');
    expect(await call('SETRANGE', 's', '0', 'HE')).toBe(':8\r\n');
    expect(await call('SETRANGE', 's', '3', 'LLOOOOOOO')).toBe(':12\r\n');
    expect(await redis.get('s')).toBe('HElLLOOOOOOO');
    expect(await call('SETRANGE', 'n', '3', '\xff')).toBe(':4\r\n');
    expect(await call('GET', 'n')).toBe('$4\r\n\x00\x00\x00\xff\r\n');
  });

  it('an empty value writes nothing and answers the current length', async () => {
    expect(await call('SETRANGE', 'nope', '0', '')).toBe(':0\r\n');
    expect(await redis.exists('nope')).toBe(0);
    await redis.set('s', 'hello');
    expect(await call('SETRANGE', 's', '100', '')).toBe(':5\r\n');
    expect(await call('SETRANGE', 's', '536870912', '')).toBe(':5\r\n');
  });

  it('keeps the TTL', async () => {
    await call('SET', 's', 'hello', 'EX', '5');
    await call('SETRANGE', 's', '1', 'a');
    expect(pttl('s')).toBe(5000);
  });

  it('rejects bad offsets, sizes past the limit, and other types', async () => {
    expect(await call('SETRANGE', 's', '-1', 'x')).toBe('-ERR offset is out of range\r\n');
    expect(await call('SETRANGE', 's', 'abc', 'x')).toBe(NOT_INTEGER);
    expect(await call('SETRANGE', 's', '536870912', 'x')).toBe(TOO_LONG);
    expect(await call('SETRANGE', 's', '9223372036854775807', 'x')).toBe(TOO_LONG);
    expect(await redis.exists('s')).toBe(0);
    storeList('l');
    expect(await call('SETRANGE', 'l', '0', '')).toBe(WRONGTYPE);
    expect(await call('SETRANGE', 'l', '-1', '')).toBe('-ERR offset is out of range\r\n');
  });
});

describe('GETRANGE and SUBSTR', () => {
  it('take an inclusive range, negative indexes from the end', async () => {
    await call('SET', 's', 'Hello\x00\xff');
    expect(await call('GETRANGE', 's', '0', '4')).toBe('$5\r\nHello\r\n');
    expect(await call('GETRANGE', 's', '-2', '-1')).toBe('$2\r\n\x00\xff\r\n');
    expect(await call('GETRANGE', 's', '-100', '1')).toBe('$2\r\nHe\r\n');
    expect(await call('GETRANGE', 's', '5', '100')).toBe('$2\r\n\x00\xff\r\n');
    expect(await call('GETRANGE', 's', '0', '9223372036854775807')).toBe('$7\r\nHello\x00\xff\r\n');
    expect(await call('SUBSTR', 's', '1', '2')).toBe('$2\r\nel\r\n');
  });

  it('answer an empty string for empty ranges and missing keys', async () => {
    await redis.set('s', 'hello');
    await redis.set('e', '');
    expect(await call('GETRANGE', 's', '3', '2')).toBe('$0\r\n\r\n');
    expect(await call('GETRANGE', 's', '-1', '-5')).toBe('$0\r\n\r\n');
    expect(await call('GETRANGE', 's', '2', '-100')).toBe('$0\r\n\r\n');
    expect(await call('GETRANGE', 'e', '0', '-1')).toBe('$0\r\n\r\n');
    expect(await call('GETRANGE', 'nope', '0', '-1')).toBe('$0\r\n\r\n');
    expect(await call3('SUBSTR', 'nope', '0', '-1')).toBe('$0\r\n\r\n');
  });

  it('compare int64 indexes exactly', async () => {
    await redis.set('s', 'hello');
    // Equal as doubles, not as int64s.
    expect(await call('GETRANGE', 's', '-9223372036854775807', '-9223372036854775808')).toBe('$0\r\n\r\n');
    expect(await call('GETRANGE', 's', '-9223372036854775808', '-9223372036854775807')).toBe('$1\r\nh\r\n');
    expect(await call('GETRANGE', 's', '-9007199254740992', '-9007199254740993')).toBe('$0\r\n\r\n');
  });

  it('check the indexes before the key', async () => {
    storeList('l');
    expect(await call('GETRANGE', 'l', '0', '1')).toBe(WRONGTYPE);
    expect(await call('GETRANGE', 'l', 'a', '1')).toBe(NOT_INTEGER);
    expect(await call('GETRANGE', 'nope', '0', 'b')).toBe(NOT_INTEGER);
  });
});

describe('the proto-max-bulk-len limit', () => {
  let limited: RunningServer;
  let client: RawClient;
  const MB = 1024 * 1024;

  beforeAll(async () => {
    limited = await startServer({ port: 0, config: { 'proto-max-bulk-len': MB } });
    client = await RawClient.connect(limited.port);
  });

  afterAll(async () => {
    await client.close();
    await limited.close();
  });

  const send = async (...args: string[]) => (await client.call(...args)).toString('latin1');

  it('bounds SETRANGE and APPEND', async () => {
    expect(await send('SETRANGE', 'big', String(MB - 1), 'x')).toBe(`:${MB}\r\n`);
    expect(await send('SETRANGE', 'big', String(MB), 'x')).toBe(TOO_LONG);
    expect(await send('SETRANGE', 'new', String(MB - 1), 'xy')).toBe(TOO_LONG);
    expect(await send('APPEND', 'big', 'x')).toBe(TOO_LONG);
    expect(await send('STRLEN', 'big')).toBe(`:${MB}\r\n`);
    expect(await send('EXISTS', 'new')).toBe(':0\r\n');
  });

  it('bounds the transient LCS table', async () => {
    const a = 'ACGT'.repeat(150);
    await client.call('MSET', 'a', a, 'b', a);
    expect(await send('LCS', 'a', 'b', 'LEN')).toBe('-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n');
    // The option checks come first.
    expect(await send('LCS', 'a', 'b', 'LEN', 'IDX')).toBe('-ERR If you want both the length and indexes, please just use IDX.\r\n');
    await client.call('MSET', 'a', a.slice(0, 400), 'b', a.slice(0, 400));
    expect(await send('LCS', 'a', 'b', 'LEN')).toBe(':400\r\n');
  });
});

describe('LCS', () => {
  beforeEach(async () => {
    await redis.mset('a', 'ohmytext', 'b', 'mynewtext');
  });

  it('returns the subsequence, or its length', async () => {
    expect(await call('LCS', 'a', 'b')).toBe('$6\r\nmytext\r\n');
    expect(await call('LCS', 'a', 'b', 'LEN')).toBe(':6\r\n');
    expect(await call('LCS', 'a', 'b', 'len', 'LEN')).toBe(':6\r\n');
    expect(await call('LCS', 'a', 'nope')).toBe('$0\r\n\r\n');
    expect(await call('LCS', 'nope', 'nope2', 'LEN')).toBe(':0\r\n');
  });

  it('IDX lists the matching ranges, last first (RESP2: flat array)', async () => {
    expect(await call('LCS', 'a', 'b', 'IDX')).toBe(
      '*4\r\n$7\r\nmatches\r\n*2\r\n' +
        '*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n' +
        '*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n' +
        '$3\r\nlen\r\n:6\r\n',
    );
    expect(await call('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN')).toBe(
      '*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n',
    );
    expect(await call('LCS', 'a', 'nope', 'IDX')).toBe('*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n');
  });

  it('IDX replies a map in RESP3', async () => {
    expect(await call3('LCS', 'a', 'b', 'idx', 'withmatchlen')).toBe(
      '%2\r\n$7\r\nmatches\r\n*2\r\n' +
        '*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n' +
        '*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n' +
        '$3\r\nlen\r\n:6\r\n',
    );
    expect(await call3('LCS', 'a', 'b', 'LEN')).toBe(':6\r\n');
  });

  it('MINMATCHLEN below zero means no minimum', async () => {
    const all = await call('LCS', 'a', 'b', 'IDX');
    expect(await call('LCS', 'a', 'b', 'MINMATCHLEN', '-5', 'IDX')).toBe(all);
  });

  it('is binary safe and picks the same subsequence as Redis', async () => {
    await call('MSET', 'x', '\x00ab\xffcd\x00', 'y', '\xffcd\x00ab');
    expect(await call('LCS', 'x', 'y')).toBe('$4\r\n\xffcd\x00\r\n');
    await redis.mset('p', 'ACCGGTCGAGTGCGCGGAAGCCGGCCGAA', 'q', 'GTCGTTCGGAATGCCGTTGCTCTGTAAA');
    expect(await call('LCS', 'p', 'q')).toBe('$20\r\nGTCGTCGGAAGCCGGCCGAA\r\n');
    expect(await call('LCS', 'p', 'q', 'IDX', 'MINMATCHLEN', '3', 'WITHMATCHLEN')).toBe(
      '*4\r\n$7\r\nmatches\r\n*3\r\n' +
        '*3\r\n*2\r\n:19\r\n:22\r\n*2\r\n:12\r\n:15\r\n:4\r\n' +
        '*3\r\n*2\r\n:14\r\n:18\r\n*2\r\n:6\r\n:10\r\n:5\r\n' +
        '*3\r\n*2\r\n:4\r\n:6\r\n*2\r\n:0\r\n:2\r\n:3\r\n' +
        '$3\r\nlen\r\n:20\r\n',
    );
  });

  it('errors: types first, then options, then IDX with LEN', async () => {
    storeList('l');
    expect(await call('LCS', 'a', 'l', 'FOO')).toBe('-ERR The specified keys must contain string values\r\n');
    expect(await call('LCS', 'l', 'nope')).toBe('-ERR The specified keys must contain string values\r\n');
    expect(await call('LCS', 'a', 'b', 'IDX', 'LEN', 'FOO')).toBe(SYNTAX);
    expect(await call('LCS', 'a', 'b', 'MINMATCHLEN')).toBe(SYNTAX);
    expect(await call('LCS', 'a', 'b', 'MINMATCHLEN', 'x')).toBe(NOT_INTEGER);
    expect(await call('LCS', 'a', 'b', 'LEN', 'IDX')).toBe('-ERR If you want both the length and indexes, please just use IDX.\r\n');
    expect(await call('LCS', 'a')).toBe("-ERR wrong number of arguments for 'lcs' command\r\n");
  });
});

