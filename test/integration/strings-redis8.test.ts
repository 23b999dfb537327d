/**
 * Redis 8.2-8.4's string commands, which redis-server 7.0.15 lacks, so no
 * differential test can check them: SET's IFEQ/IFNE/IFDEQ/IFDNE, DIGEST,
 * DELEX, MSETEX (8.4) and BITOP DIFF/DIFF1/ANDOR/ONE (8.2). Each test
 * names the source or doc lines it checks:
 *
 * - t_string.c (Redis 8.4): parseExtendedStringArgumentsOrReply,
 *   setGenericCommand, msetexCommand, stringDigest, digestCommand;
 * - tests/unit/type/string.tcl (Redis 8.4): the DIGEST, DELEX, "Extended
 *   SET with IF*" and MSETEX tests;
 * - redis.io/commands/delex, /msetex, /digest; src/commands/delex.json,
 *   msetex.json, digest.json (8.4.0). DELEX's two error texts are those
 *   that client test suites run against Redis 8.4+ assert (its C source
 *   was not at hand);
 * - bitops.c bitopCommand (Redis 8.2).
 *
 * Through ioredis, node-redis 5 (which has typed methods for these) and raw
 * sockets where the bytes matter.
 */
import type { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PropagationRecorder } from '../helpers/aof.js';
import { openNotificationStream } from '../helpers/notification-stream.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const t = useServer({ clock: START, resetClock: true });
const { call, db, storeList, bytes, pttl } = t;
let redis: Redis;
let nodeRedis: ReturnType<typeof createClient>;
beforeAll(async () => {
  redis = t.redis;
  nodeRedis = createClient({ url: t.server.url });
  await nodeRedis.connect();
});
afterAll(async () => {
  await nodeRedis.quit();
});

const SYNTAX = '-ERR syntax error\r\n';
const NULL = '$-1\r\n';
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';

/** XXH3_64bits of these values, as libxxhash 0.8 computes them (the library Redis vendors in deps/xxhash). */
const HELLO_DIGEST = '9555e8555c62dcfd';
const EMPTY_DIGEST = '2d06800538d394c2';

describe('DIGEST (Redis 8.4 t_string.c digestCommand, stringDigest)', () => {
  it('is the XXH3 of the value in lowercase hex, a null for a missing key, WRONGTYPE for another type', async () => {
    await redis.set('k', 'hello');
    expect(await call('DIGEST', 'k')).toBe(`$16\r\n${HELLO_DIGEST}\r\n`);
    await redis.set('e', '');
    expect(await redis.call('DIGEST', 'e')).toBe(EMPTY_DIGEST);
    expect(await call('DIGEST', 'missing')).toBe(NULL);
    storeList('l');
    expect(await call('DIGEST', 'l')).toBe(WRONGTYPE);
    // string.tcl "DIGEST wrong number of arguments".
    expect(await call('DIGEST')).toBe("-ERR wrong number of arguments for 'digest' command\r\n");
    expect(await call('DIGEST', 'a', 'b')).toBe("-ERR wrong number of arguments for 'digest' command\r\n");
  });

  it('hashes the bytes of an integer value as its decimal text, and binary values byte for byte', async () => {
    // stringDigest: an OBJ_ENCODING_INT value is hashed as ll2string's text.
    await redis.set('n', '12345');
    expect(await redis.call('DIGEST', 'n')).toBe('f34099ede96b5581');
    await redis.set('long', 'y'.repeat(200));
    expect(await redis.call('DIGEST', 'long')).toBe('78c5ae5cf7b1237e');
    const binary = Buffer.alloc(1280);
    for (let i = 0; i < binary.length; i++) binary[i] = i & 0xff;
    await redis.set('bin', binary);
    expect(await redis.call('DIGEST', 'bin')).toBe('4844b009e164352e');
  });

  it('node-redis digest()', async () => {
    await redis.set('k', 'hello');
    expect(await nodeRedis.digest('k')).toBe(HELLO_DIGEST);
  });
});

describe('SET IFEQ / IFNE / IFDEQ / IFDNE (Redis 8.4 t_string.c setGenericCommand)', () => {
  it('IFEQ sets only when the key holds that value; a missing key is not set', async () => {
    // string.tcl "Extended SET with IFEQ - key exists and matches / doesn't match / doesn't exist".
    await redis.set('k', 'hello');
    expect(await call('SET', 'k', 'world', 'IFEQ', 'hello')).toBe('+OK\r\n');
    expect(await redis.get('k')).toBe('world');
    expect(await call('SET', 'k', 'x', 'IFEQ', 'different')).toBe(NULL);
    expect(await redis.get('k')).toBe('world');
    expect(await call('SET', 'missing', 'x', 'ifeq', 'hello')).toBe(NULL);
    expect(await redis.exists('missing')).toBe(0);
  });

  it('IFNE sets when the value differs, and sets a missing key', async () => {
    await redis.set('k', 'hello');
    expect(await call('SET', 'k', 'world', 'IFNE', 'hello')).toBe(NULL);
    expect(await call('SET', 'k', 'world', 'IFNE', 'other')).toBe('+OK\r\n');
    expect(await redis.get('k')).toBe('world');
    expect(await call('SET', 'missing', 'v', 'IFNE', 'hello')).toBe('+OK\r\n');
    expect(await redis.get('missing')).toBe('v');
  });

  it('IFDEQ / IFDNE compare the digest text', async () => {
    await redis.set('k', 'hello');
    expect(await call('SET', 'k', 'x', 'IFDEQ', 'ffff')).toBe(NULL);
    expect(await call('SET', 'k', 'world', 'IFDEQ', HELLO_DIGEST)).toBe('+OK\r\n');
    expect(await call('SET', 'k', 'x', 'IFDNE', await redis.call('DIGEST', 'k') as string)).toBe(NULL);
    expect(await call('SET', 'k', 'again', 'IFDNE', HELLO_DIGEST)).toBe('+OK\r\n');
    expect(await call('SET', 'missing', 'x', 'IFDEQ', '1234567890')).toBe(NULL);
    expect(await call('SET', 'missing', 'x', 'IFDNE', '1234567890')).toBe('+OK\r\n');
  });

  it('with GET replies the old value whether or not the condition held', async () => {
    // string.tcl "Extended SET with IFEQ and GET ...".
    await redis.set('k', 'hello');
    expect(await call('SET', 'k', 'world', 'IFEQ', 'nope', 'GET')).toBe('$5\r\nhello\r\n');
    expect(await redis.get('k')).toBe('hello');
    expect(await call('SET', 'k', 'world', 'GET', 'IFEQ', 'hello')).toBe('$5\r\nhello\r\n');
    expect(await redis.get('k')).toBe('world');
    expect(await call('SET', 'missing', 'v', 'IFEQ', 'x', 'GET')).toBe(NULL);
    expect(await call('SET', 'missing', 'v', 'IFNE', 'x', 'GET')).toBe(NULL);
    expect(await redis.get('missing')).toBe('v');
  });

  it('takes an expiry with the condition', async () => {
    await redis.set('k', 'hello');
    expect(await call('SET', 'k', 'world', 'IFEQ', 'hello', 'EX', '10')).toBe('+OK\r\n');
    expect(pttl('k')).toBe(10_000);
    expect(await call('SET', 'k', 'x', 'IFEQ', 'nope', 'PX', '5')).toBe(NULL);
    expect(pttl('k')).toBe(10_000);
  });

  it('compares an integer value as its text', async () => {
    await redis.set('n', '12345');
    expect(await call('SET', 'n', 'w', 'IFEQ', '12345')).toBe('+OK\r\n');
  });

  it('is WRONGTYPE against another type when the key exists', async () => {
    storeList('l');
    for (const condition of ['IFEQ', 'IFNE', 'IFDEQ', 'IFDNE']) {
      expect(await call('SET', 'l', 'v', condition, 'x'), condition).toBe(WRONGTYPE);
    }
    expect(db().peek('l')).not.toBeTypeOf('string');
  });

  it('allows one condition at most among NX, XX, IFEQ, IFNE, IFDEQ and IFDNE; each needs its value', async () => {
    // parseExtendedStringArgumentsOrReply's cond_mut_excl.
    await redis.set('k', 'v');
    for (const args of [
      ['IFEQ', 'v', 'NX'],
      ['NX', 'IFEQ', 'v'],
      ['XX', 'IFNE', 'v'],
      ['IFEQ', 'v', 'IFNE', 'v'],
      ['IFDEQ', 'x', 'IFDNE', 'y'],
      ['IFEQ'],
    ]) {
      expect(await call('SET', 'k', 'new', ...args), args.join(' ')).toBe(SYNTAX);
    }
    // The same condition twice keeps the last value, as EX twice does.
    expect(await call('SET', 'k', 'new', 'IFEQ', 'x', 'IFEQ', 'v')).toBe('+OK\r\n');
    expect(await redis.get('k')).toBe('new');
    // GETEX takes none of them.
    expect(await call('GETEX', 'k', 'IFEQ', 'new')).toBe(SYNTAX);
  });

  it('announces set when it writes, and propagates as itself (PXAT with an expiry)', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const stream = await openNotificationStream(t.server.port, '__keyevent@0__:*');
    const recorder = new PropagationRecorder(t.server.server.propagation);
    try {
      await redis.set('k', 'a');
      await call('SET', 'k', 'b', 'IFEQ', 'zzz');
      await call('SET', 'k', 'b', 'IFEQ', 'a');
      await call('SET', 'k', 'c', 'IFNE', 'a', 'EX', '10');
      expect((await stream.take()).map((n) => `${n.channel} ${n.message}`)).toEqual([
        '__keyevent@0__:set k',
        '__keyevent@0__:set k',
        '__keyevent@0__:set k',
        '__keyevent@0__:expire k',
      ]);
      expect(recorder.readFrom(0)).toEqual([
        ['SELECT', '0'],
        ['set', 'k', 'a'],
        ['SET', 'k', 'b', 'IFEQ', 'a'],
        ['SET', 'k', 'c', 'PXAT', String(START + 10_000)],
      ]);
    } finally {
      recorder.close();
      await stream.close();
      await call('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
  });

  it('node-redis set() with condition and matchValue', async () => {
    await redis.set('k', 'a');
    expect(await nodeRedis.set('k', 'b', { condition: 'IFEQ', matchValue: 'a' })).toBe('OK');
    expect(await nodeRedis.set('k', 'c', { condition: 'IFEQ', matchValue: 'a' })).toBeNull();
    expect(await nodeRedis.set('k', 'c', { condition: 'IFNE', matchValue: 'a' })).toBe('OK');
    expect(await redis.get('k')).toBe('c');
  });
});

describe('DELEX (redis.io/commands/delex, delex.json 8.4.0, string.tcl DELEX tests)', () => {
  it('without a condition deletes a key of any type: 1, or 0 when missing', async () => {
    await redis.set('s', 'x');
    storeList('l');
    expect(await call('DELEX', 's')).toBe(':1\r\n');
    expect(await call('DELEX', 'l')).toBe(':1\r\n');
    expect(await call('DELEX', 'l')).toBe(':0\r\n');
  });

  it('IFEQ / IFNE / IFDEQ / IFDNE delete only when the condition holds', async () => {
    await redis.set('k', 'hello');
    expect(await call('DELEX', 'k', 'IFEQ', 'world')).toBe(':0\r\n');
    expect(await call('DELEX', 'k', 'IFNE', 'hello')).toBe(':0\r\n');
    expect(await call('DELEX', 'k', 'IFDEQ', 'abc')).toBe(':0\r\n');
    expect(await call('DELEX', 'k', 'IFDNE', HELLO_DIGEST)).toBe(':0\r\n');
    expect(await redis.get('k')).toBe('hello');
    expect(await call('DELEX', 'k', 'ifeq', 'hello')).toBe(':1\r\n');
    await redis.set('k', 'hello');
    expect(await call('DELEX', 'k', 'IFNE', 'world')).toBe(':1\r\n');
    await redis.set('k', 'hello');
    expect(await call('DELEX', 'k', 'IFDEQ', HELLO_DIGEST)).toBe(':1\r\n');
    await redis.set('k', 'hello');
    expect(await call('DELEX', 'k', 'IFDNE', 'abc')).toBe(':1\r\n');
    expect(await redis.exists('k')).toBe(0);
    // string.tcl "DELEX with empty string value", "DELEX with integer-encoded value".
    await redis.set('e', '');
    expect(await call('DELEX', 'e', 'IFEQ', '')).toBe(':1\r\n');
    await redis.set('n', '-999');
    expect(await call('DELEX', 'n', 'IFEQ', '-999')).toBe(':1\r\n');
  });

  it('a missing key is 0 whatever the condition', async () => {
    for (const condition of ['IFEQ', 'IFNE', 'IFDEQ', 'IFDNE']) {
      expect(await call('DELEX', 'missing', condition, 'x'), condition).toBe(':0\r\n');
    }
  });

  it("refuses a condition on another type, an unknown condition and any argument count but 2 and 4", async () => {
    storeList('l');
    expect(await call('DELEX', 'l', 'IFEQ', 'x')).toBe('-ERR Key should be of string type if conditions are specified\r\n');
    await redis.set('k', 'hello');
    for (const word of ['INVALID', 'IF', 'EQ']) {
      expect(await call('DELEX', 'k', word, 'hello')).toBe('-ERR Invalid condition. Use IFEQ, IFNE, IFDEQ, or IFDNE\r\n');
    }
    const arity = "-ERR wrong number of arguments for 'delex' command\r\n";
    expect(await call('DELEX')).toBe(arity);
    expect(await call('DELEX', 'k', 'IFEQ')).toBe(arity);
    expect(await call('DELEX', 'k', 'IFEQ', 'hello', 'extra')).toBe(arity);
    expect(await redis.get('k')).toBe('hello');
  });

  it('announces del and propagates as DEL only when it deletes (string.tcl "DELEX propagate as DEL")', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const stream = await openNotificationStream(t.server.port, '__keyevent@0__:*');
    const recorder = new PropagationRecorder(t.server.server.propagation);
    try {
      await redis.set('foo', 'bar');
      await call('DELEX', 'foo', 'IFEQ', 'baz');
      await call('DELEX', 'foo', 'IFEQ', 'bar');
      expect((await stream.take()).map((n) => `${n.channel} ${n.message}`)).toEqual([
        '__keyevent@0__:set foo',
        '__keyevent@0__:del foo',
      ]);
      expect(recorder.readFrom(0)).toEqual([
        ['SELECT', '0'],
        ['set', 'foo', 'bar'],
        ['DEL', 'foo'],
      ]);
    } finally {
      recorder.close();
      await stream.close();
      await call('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
  });

  it('invalidates a WATCH when it deletes, and not when its condition fails', async () => {
    await redis.set('w', 'v');
    expect(await call('WATCH', 'w')).toBe('+OK\r\n');
    await redis.call('DELEX', 'w', 'IFEQ', 'other');
    expect(await call('MULTI')).toBe('+OK\r\n');
    expect(await call('PING')).toBe('+QUEUED\r\n');
    expect(await call('EXEC')).toBe('*1\r\n+PONG\r\n');
    expect(await call('WATCH', 'w')).toBe('+OK\r\n');
    await redis.call('DELEX', 'w', 'IFEQ', 'v');
    expect(await call('MULTI')).toBe('+OK\r\n');
    expect(await call('PING')).toBe('+QUEUED\r\n');
    expect(await call('EXEC')).toBe('*-1\r\n');
  });

  it('node-redis delEx()', async () => {
    await redis.set('k', 'a');
    expect(await nodeRedis.delEx('k', { condition: 'IFNE', matchValue: 'a' })).toBe(0);
    expect(await nodeRedis.delEx('k', { condition: 'IFEQ', matchValue: 'a' })).toBe(1);
  });
});

describe('MSETEX (msetex.json 8.4.0, t_string.c msetexCommand, string.tcl MSETEX tests)', () => {
  it('sets every pair with one expiry: EX, PX, EXAT, PXAT', async () => {
    expect(await call('MSETEX', '2', 'a', '1', 'b', '2', 'EX', '5')).toBe(':1\r\n');
    expect(await redis.mget('a', 'b')).toEqual(['1', '2']);
    expect(pttl('a')).toBe(5000);
    expect(pttl('b')).toBe(5000);
    expect(await call('MSETEX', '1', 'a', 'x', 'PX', '1500')).toBe(':1\r\n');
    expect(pttl('a')).toBe(1500);
    expect(await call('MSETEX', '1', 'a', 'x', 'EXAT', String(START / 1000 + 100))).toBe(':1\r\n');
    expect(pttl('a')).toBe(100_000);
    expect(await call('MSETEX', '1', 'a', 'x', 'PXAT', String(START + 7))).toBe(':1\r\n');
    expect(pttl('a')).toBe(7);
  });

  it('without an expiry drops the TTL, as MSET does; KEEPTTL keeps it', async () => {
    await redis.set('a', 'old', 'EX', 100);
    expect(await call('MSETEX', '1', 'a', 'new', 'KEEPTTL')).toBe(':1\r\n');
    expect(bytes('a')).toBe('new');
    expect(pttl('a')).toBe(100_000);
    expect(await call('MSETEX', '1', 'a', 'newer')).toBe(':1\r\n');
    expect(pttl('a')).toBeUndefined();
  });

  it('NX needs every key missing and XX every key present; otherwise 0 and nothing set', async () => {
    await redis.set('existing', 'old');
    expect(await call('MSETEX', '2', 'n1', 'v1', 'n2', 'v2', 'NX', 'EX', '10')).toBe(':1\r\n');
    expect(await call('MSETEX', '2', 'fresh', 'v', 'existing', 'new', 'NX')).toBe(':0\r\n');
    expect(await redis.exists('fresh')).toBe(0);
    expect(await call('MSETEX', '2', 'existing', 'new', 'nonexist', 'v', 'XX')).toBe(':0\r\n');
    expect(await redis.get('existing')).toBe('old');
    expect(await call('MSETEX', '1', 'existing', 'new', 'XX', 'EX', '10')).toBe(':1\r\n');
    expect(await redis.get('existing')).toBe('new');
    // Options in any order after the pairs (string.tcl "MSETEX - flexible argument parsing").
    expect(await call('MSETEX', '1', 'flex', 'v', 'PX', '3000', 'NX')).toBe(':1\r\n');
    expect(pttl('flex')).toBe(3000);
  });

  it('errors: numkeys, the pair count, and conflicting or unknown options', async () => {
    expect(await call('MSETEX')).toBe("-ERR wrong number of arguments for 'msetex' command\r\n");
    expect(await call('MSETEX', '1', 'k')).toBe("-ERR wrong number of arguments for 'msetex' command\r\n");
    for (const numkeys of ['key1', '0', '-1', '2147483648', '1.5']) {
      expect(await call('MSETEX', numkeys, 'k', 'v', 'EX', '10'), numkeys).toBe('-ERR invalid numkeys value\r\n');
    }
    expect(await call('MSETEX', '2', 'k1', 'v1', 'k2')).toBe('-ERR wrong number of key-value pairs\r\n');
    expect(await call('MSETEX', '2147483647', 'k', 'v', 'EX', '10')).toBe('-ERR wrong number of key-value pairs\r\n');
    for (const options of [['invalid_flag'], ['NX', 'XX'], ['EX', '10', 'PX', '5000'], ['KEEPTTL', 'EX', '10'], ['GET'], ['IFEQ', 'v'], ['PERSIST'], ['EX']]) {
      expect(await call('MSETEX', '1', 'k', 'v', ...options), options.join(' ')).toBe(SYNTAX);
    }
    expect(await call('MSETEX', '1', 'k', 'v', 'EX', '0')).toBe("-ERR invalid expire time in 'msetex' command\r\n");
    expect(await call('MSETEX', '1', 'k', 'v', 'EX', 'x')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await redis.exists('k', 'k1')).toBe(0);
  });

  it('overwrites a key of another type, as MSET does', async () => {
    storeList('l');
    expect(await call('MSETEX', '1', 'l', 'v', 'EX', '1')).toBe(':1\r\n');
    expect(await redis.get('l')).toBe('v');
  });

  it('reports its keys: COMMAND GETKEYS', async () => {
    expect(await redis.call('COMMAND', 'GETKEYS', 'MSETEX', '2', 'a', '1', 'b', '2', 'EX', '5')).toEqual(['a', 'b']);
  });

  it('announces expire then set for each key, and propagates a relative time as PXAT', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    const stream = await openNotificationStream(t.server.port, '__keyevent@0__:*');
    const recorder = new PropagationRecorder(t.server.server.propagation);
    try {
      await call('MSETEX', '2', 'a', '1', 'b', '2', 'EX', '5');
      await call('MSETEX', '1', 'c', '3', 'EXAT', '1800000000');
      await call('MSETEX', '1', 'c', '4', 'NX');
      expect((await stream.take()).map((n) => `${n.channel} ${n.message}`)).toEqual([
        '__keyevent@0__:expire a',
        '__keyevent@0__:set a',
        '__keyevent@0__:expire b',
        '__keyevent@0__:set b',
        '__keyevent@0__:expire c',
        '__keyevent@0__:set c',
      ]);
      expect(recorder.readFrom(0)).toEqual([
        ['SELECT', '0'],
        ['MSETEX', '2', 'a', '1', 'b', '2', 'PXAT', String(START + 5000)],
        ['MSETEX', '1', 'c', '3', 'EXAT', '1800000000'],
      ]);
    } finally {
      recorder.close();
      await stream.close();
      await call('CONFIG', 'SET', 'notify-keyspace-events', '');
    }
  });

  it('node-redis mSetEx()', async () => {
    expect(await nodeRedis.mSetEx({ x: '1', y: '2' }, { expiration: { type: 'PX', value: 2500 }, mode: 'NX' })).toBe(1);
    expect(pttl('y')).toBe(2500);
    expect(await nodeRedis.mSetEx(['x', '9'], { mode: 'NX' })).toBe(0);
  });
});

describe('BITOP DIFF, DIFF1, ANDOR and ONE (Redis 8.2 bitops.c bitopCommand)', () => {
  /** The reference: each result bit from the sources' bits at that position. */
  function expected(op: string, sources: Buffer[]): Buffer {
    const len = Math.max(...sources.map((s) => s.length));
    const out = Buffer.alloc(len);
    for (let bit = 0; bit < len * 8; bit++) {
      const bits = sources.map((s) => (bit >> 3 < s.length ? (s[bit >> 3]! >> (7 - (bit & 7))) & 1 : 0));
      const [first, ...rest] = bits;
      const anyRest = rest.some((b) => b === 1) ? 1 : 0;
      const value =
        op === 'DIFF' ? first! & (anyRest ^ 1) : op === 'DIFF1' ? (first! ^ 1) & anyRest : op === 'ANDOR' ? first! & anyRest : bits.filter((b) => b === 1).length === 1 ? 1 : 0;
      if (value) out[bit >> 3]! |= 0x80 >> (bit & 7);
    }
    return out;
  }

  it('match the bitwise definitions on random sources of different lengths, missing ones included', async () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let round = 0; round < 40; round++) {
      const count = 2 + (next() % 4);
      const sources: Buffer[] = [];
      const keys: string[] = [];
      for (let i = 0; i < count; i++) {
        const key = `src${i}`;
        keys.push(key);
        if (next() % 5 === 0) {
          await redis.del(key); // a missing key is an empty string
          sources.push(Buffer.alloc(0));
          continue;
        }
        const bytesOf = Buffer.alloc(next() % 70);
        for (let j = 0; j < bytesOf.length; j++) bytesOf[j] = next() & 0xff;
        await redis.set(key, bytesOf);
        sources.push(bytesOf);
      }
      for (const op of ['DIFF', 'DIFF1', 'ANDOR', 'ONE']) {
        const want = expected(op, sources);
        expect(await redis.bitop(op, 'dest', ...keys), `${op} round ${round}`).toBe(want.length);
        if (want.length > 0) expect(await redis.getBuffer('dest'), `${op} round ${round}`).toEqual(want);
        else expect(await redis.exists('dest')).toBe(0);
      }
    }
  });

  it('ONE over one source copies it', async () => {
    await redis.set('a', Buffer.from([0xf0]));
    expect(await call('BITOP', 'one', 'dest', 'a')).toBe(':1\r\n');
    expect(bytes('dest')).toBe('\xf0');
  });

  it('DIFF, DIFF1 and ANDOR need two sources at least', async () => {
    for (const op of ['DIFF', 'diff1', 'AndOr']) {
      expect(await call('BITOP', op, 'dest', 'a')).toBe(`-ERR BITOP ${op.toUpperCase()} must be called with at least two source keys.\r\n`);
    }
    storeList('l');
    expect(await call('BITOP', 'DIFF', 'dest', 'a', 'l')).toBe(WRONGTYPE);
  });

  it('node-redis bitOp()', async () => {
    await redis.set('a', Buffer.from([0xff]));
    await redis.set('b', Buffer.from([0x0f]));
    expect(await nodeRedis.bitOp('DIFF', 'dest', ['a', 'b'])).toBe(1);
    expect(bytes('dest')).toBe('\xf0');
  });
});
