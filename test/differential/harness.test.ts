/**
 * Tests of the differential harness itself: the seeded PRNG, the reply
 * normalisers, SCAN full iteration, and that a run against two real
 * redis-servers passes when they agree and reports usefully when they don't.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_SEED, Rng, parseSeed, testSeeds } from '../helpers/random.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';
import {
  DifferentialMismatch,
  normalizeReplies,
  ruleFor,
  runDifferential,
  scanFullIteration,
  type Endpoint,
  type ReplyRule,
} from './harness.js';
import { redisAvailable } from './targets.js';

const b = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('Rng', () => {
  it('replays the same sequence from the same seed', () => {
    const first = new Rng(1234);
    const second = new Rng(1234);
    const other = new Rng(1235);
    const draws = Array.from({ length: 50 }, () => first.nextUint32());
    expect(Array.from({ length: 50 }, () => second.nextUint32())).toEqual(draws);
    expect(Array.from({ length: 50 }, () => other.nextUint32())).not.toEqual(draws);
  });

  it('keeps int() within bounds and reaches both ends', () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = rng.int(-3, 3);
      expect(value).toBeGreaterThanOrEqual(-3);
      expect(value).toBeLessThanOrEqual(3);
      seen.add(value);
    }
    expect(seen.size).toBe(7);
    expect(() => rng.int(2, 1)).toThrow(RangeError);
  });

  it('shuffles into a permutation and weights picks', () => {
    const rng = new Rng(99);
    expect(rng.shuffle([1, 2, 3, 4, 5, 6]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    let heavy = 0;
    for (let i = 0; i < 1000; i++) if (rng.weighted([['heavy', 9], ['light', 1]] as const) === 'heavy') heavy++;
    expect(heavy).toBeGreaterThan(850);
    expect(heavy).toBeLessThan(950);
  });

  it('takes the random seed from DIFF_SEED when set', () => {
    const saved = process.env['DIFF_SEED'];
    try {
      process.env['DIFF_SEED'] = '0x10';
      expect(testSeeds('harness self-test')).toEqual([FIXED_SEED, 16]);
      expect(() => parseSeed('-1')).toThrow(RangeError);
      expect(parseSeed('')).toBeNull();
    } finally {
      if (saved === undefined) delete process.env['DIFF_SEED'];
      else process.env['DIFF_SEED'] = saved;
    }
  });
});

describe('reply normalisation', () => {
  const same = (rule: ReplyRule, reference: string, candidate: string): boolean => {
    const [a, c] = normalizeReplies(rule, b(reference), b(candidate));
    return a.equals(c);
  };

  it('looks rules up by command, then by command and subcommand, case-insensitively', () => {
    expect(ruleFor(['keys', '*']).kind).toBe('unorderedArray');
    expect(ruleFor(['object', 'idletime', 'k']).kind).toBe('ignore');
    expect(ruleFor(['object', 'encoding', 'k']).kind).toBe('exact');
    expect(ruleFor(['GET', 'k'], { GET: { kind: 'ignore' } }).kind).toBe('ignore');
  });

  it('compares unordered arrays and pairs as multisets', () => {
    const unorderedArray: ReplyRule = { kind: 'unorderedArray' };
    const unorderedPairs: ReplyRule = { kind: 'unorderedPairs' };
    expect(same(unorderedArray, '*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nb\r\n', '*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nb\r\n')).toBe(true);
    expect(same(unorderedArray, '*2\r\n$1\r\na\r\n$1\r\nb\r\n', '*2\r\n$1\r\na\r\n$1\r\nc\r\n')).toBe(false);
    expect(same(unorderedArray, '*2\r\n$1\r\na\r\n$1\r\nb\r\n', '~2\r\n$1\r\nb\r\n$1\r\na\r\n')).toBe(false);
    expect(same(unorderedPairs, '%2\r\n+f\r\n:1\r\n+g\r\n:2\r\n', '%2\r\n+g\r\n:2\r\n+f\r\n:1\r\n')).toBe(true);
    expect(same(unorderedPairs, '*4\r\n+f\r\n:1\r\n+g\r\n:2\r\n', '*4\r\n+f\r\n:2\r\n+g\r\n:1\r\n')).toBe(false);
  });

  it('allows TTL drift only between non-negative integers', () => {
    const ttl: ReplyRule = { kind: 'tolerance', delta: 1 };
    expect(same(ttl, ':100\r\n', ':99\r\n')).toBe(true);
    expect(same(ttl, ':100\r\n', ':98\r\n')).toBe(false);
    expect(same(ttl, ':-1\r\n', ':-2\r\n')).toBe(false);
    expect(same(ttl, ':0\r\n', ':-1\r\n')).toBe(false);
  });

  it('compares only the reply type under ignore, but errors exactly everywhere', () => {
    expect(same({ kind: 'ignore' }, '$1\r\na\r\n', '$2\r\nbb\r\n')).toBe(true);
    expect(same({ kind: 'ignore' }, '$1\r\na\r\n', '_\r\n')).toBe(false);
    expect(same({ kind: 'ignore' }, '-ERR one\r\n', '-ERR two\r\n')).toBe(false);
    expect(same({ kind: 'unorderedArray' }, '-ERR a\r\n', '-ERR a\r\n')).toBe(true);
  });
});

describe.skipIf(!redisAvailable('differential harness'))('harness against real redis-servers', () => {
  let reference: RedisServerHandle;
  let twin: RedisServerHandle;
  /** Accepts only databases 0 and 1, so it disagrees with the others on SELECT 2. */
  let twoDatabases: RedisServerHandle;
  const endpoint = (server: RedisServerHandle, label: string): Endpoint => ({ host: server.host, port: server.port, label });

  beforeAll(async () => {
    [reference, twin, twoDatabases] = await Promise.all([
      startRedisServer(),
      startRedisServer(),
      startRedisServer({ extraArgs: ['--databases', '2'] }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([reference, twin, twoDatabases].filter(Boolean).map((server) => server.stop()));
  });

  it('iterates SCAN to completion and returns the distinct keys sorted', async () => {
    const client = await RawClient.connect(reference.port);
    try {
      await client.call('FLUSHALL');
      const keys = Array.from({ length: 150 }, (_, i) => `key:${i}`);
      await client.callArgs(['MSET', ...keys.flatMap((key) => [key, 'v'])]);
      await client.call('HSET', 'h', 'f1', 'v1', 'f2', 'v2');
      const scanned = await scanFullIteration(client, ['SCAN', '0', 'MATCH', 'key:*', 'COUNT', '7'], 1, false);
      const expected = [...keys].map((key) => `$${key.length}\r\n${key}\r\n`).sort();
      expect(scanned.toString('latin1')).toBe(`*150\r\n${expected.join('')}`);
      const pairs = await scanFullIteration(client, ['HSCAN', 'h', '0'], 2, true);
      expect(pairs.toString('latin1')).toBe('*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n');
      const error = await scanFullIteration(client, ['SCAN', '0', 'COUNT', '0'], 1, false);
      expect(error.toString('latin1')).toBe('-ERR syntax error\r\n');
    } finally {
      await client.close();
    }
  });

  it('passes when both servers agree, including TTL drift and SCAN', async () => {
    const commands: string[][] = [
      ['SET', 'k', 'v', 'EX', '1000'], ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'],
      ['MSET', 'a', '1', 'b', '2', 'c', '3'], ['KEYS', '*'], ['SCAN', '0', 'COUNT', '1'], ['RANDOMKEY'], ['GET', 'nokey'],
    ];
    let next = 0;
    const result = await runDifferential({
      name: 'agreeing servers',
      seed: 1,
      count: commands.length * 20,
      generate: () => commands[next++ % commands.length]!,
      reference: endpoint(reference, 'redis'),
      candidate: endpoint(twin, 'redis twin'),
    });
    expect(result.commands).toBe(commands.length * 20);
    expect(result.errorReplies).toBe(0);
    expect(result.commandCounts.get('SCAN')).toBe(20);
  });

  it('reports the first mismatch with seed, index, both replies and recent history', async () => {
    const script: string[][] = [['SET', 'k', 'v\x00'], ['GET', 'k'], ['SELECT', '1'], ['SET', 'k', '2'], ['SELECT', '2'], ['GET', 'k']];
    let next = 0;
    const run = runDifferential({
      name: 'disagreeing servers',
      seed: 4242,
      count: script.length,
      generate: () => script[next++]!,
      reference: endpoint(reference, 'redis'),
      candidate: endpoint(twoDatabases, 'two-db redis'),
      historySize: 3,
    });
    const error: unknown = await run.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DifferentialMismatch);
    const message = (error as Error).message;
    expect(message).toContain('"disagreeing servers" at command #4 (seed 4242');
    expect(message).toContain('command:   "SELECT" "2"');
    expect(message).toMatch(/reference \(redis 127\.0\.0\.1:\d+\): "\+OK\\r\\n"/);
    expect(message).toMatch(/candidate \(two-db redis 127\.0\.0\.1:\d+\): "-ERR DB index is out of range\\r\\n"/);
    // Only the last three commands before the failure, with their replies.
    expect(message).not.toContain('#0 ');
    expect(message).toContain('#1 "GET" "k" => "$2\\r\\nv\\x00\\r\\n"');
    expect(message).toContain('#3 "SET" "k" "2" => "+OK\\r\\n"');
  });

  it('compares everything after HELLO 3 in RESP3 mode', async () => {
    const script: string[][] = [['GET', 'missing'], ['SET', 'f', '1.5'], ['LCS', 'f', 'f', 'IDX'], ['HELLO', '3']];
    let next = 0;
    const result = await runDifferential({
      name: 'resp3 agreeing servers',
      seed: 2,
      count: 40,
      protocol: 3,
      generate: () => script[next++ % script.length]!,
      reference: endpoint(reference, 'redis'),
      candidate: endpoint(twin, 'redis twin'),
    });
    expect(result.commands).toBe(40);
    // The RESP3 null really was what got compared.
    const client = await RawClient.connect(reference.port);
    await client.call('HELLO', '3');
    expect((await client.call('GET', 'missing')).toString('latin1')).toBe('_\r\n');
    await client.close();
  });
});
