/**
 * The TDIGEST.* commands through real sockets. Redis 7.0.15 has no t-digest
 * to compare with, so the expectations come from RedisBloom itself:
 * - exact numbers and texts from its flow tests (tests/flow/test_tdigest.py
 *   and test_resp3.py in RedisBloom/RedisBloom), cited per test;
 * - error texts and the order of checks from src/rm_tdigest.c;
 * - accuracy against exact quantiles of skewed (log-normal and Pareto)
 *   samples, in the error bounds the t-digest paper gives for compression
 *   100 and 500;
 * - node-redis's @redis/bloom t-digest methods, to show a client written for
 *   RedisBloom works unchanged.
 */
import { createClient } from 'redis';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { Rng } from '../helpers/random.js';
import { replyToJs, type JsReply } from '../helpers/resp-client.js';
import { error, useServer } from '../helpers/server.js';

const t = useServer({ resp3: true });
const { callJs: call, call3 } = t;
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

/** TDIGEST.INFO's flat RESP2 array as an object. */
async function info(key: string): Promise<Record<string, number>> {
  const reply = (await call('TDIGEST.INFO', key)) as JsReply[];
  const fields: Record<string, number> = {};
  for (let i = 0; i < reply.length; i += 2) fields[reply[i] as string] = reply[i + 1] as number;
  return fields;
}

/** Adds values one command each, pipelined (the flow tests add one value per call). */
async function addEach(key: string, values: readonly number[]): Promise<void> {
  const pipeline = redis.pipeline();
  for (const value of values) pipeline.call('TDIGEST.ADD', key, String(value));
  for (const [err] of (await pipeline.exec())!) if (err) throw err;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

describe('TDIGEST.CREATE and TDIGEST.INFO', () => {
  it('creates with compression 100 by default, capacity 6c + 10, RedisBloom\'s memory figure', async () => {
    expect(await call('TDIGEST.CREATE', 't')).toBe('OK');
    expect(await info('t')).toEqual({
      Compression: 100, Capacity: 610, 'Merged nodes': 0, 'Unmerged nodes': 0, 'Merged weight': 0,
      'Unmerged weight': 0, Observations: 0, 'Total compressions': 0, 'Memory usage': 9840,
    });
    for (const compression of [200, 500, 900]) {
      expect(await call('TDIGEST.CREATE', `c${compression}`, 'compression', String(compression))).toBe('OK');
      expect((await info(`c${compression}`)).Compression).toBe(compression);
    }
  });

  it('compresses exactly as RedisBloom: test_resp3.py\'s INFO after adding 1..10000', async () => {
    await call('TDIGEST.CREATE', 'tdigest');
    await addEach('tdigest', range(1, 10001));
    // RedisBloom tests/flow/test_resp3.py (the same numbers, as a RESP3 map).
    expect(replyToJs(Buffer.from(await call3('TDIGEST.INFO', 'tdigest'), 'latin1'))).toEqual(
      new Map<JsReply, JsReply>([
        ['Compression', 100], ['Capacity', 610], ['Merged nodes', 51], ['Unmerged nodes', 422],
        ['Merged weight', 9578], ['Unmerged weight', 422], ['Observations', 10000],
        ['Total compressions', 17], ['Memory usage', 9840],
      ]),
    );
    expect((await call3('TDIGEST.INFO', 'tdigest')).startsWith('%9\r\n+Compression\r\n:100\r\n')).toBe(true);
  });

  it('refuses what rm_tdigest.c refuses, with its texts', async () => {
    await redis.set('str', 'B');
    expect(await call('TDIGEST.CREATE', 'str')).toEqual(error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    await call('TDIGEST.CREATE', 'x');
    expect(await call('TDIGEST.CREATE', 'x')).toEqual(error('ERR T-Digest: key already exists'));
    expect(await call('TDIGEST.CREATE', 'y', '100', '5')).toEqual(error('ERR T-Digest: wrong keyword'));
    expect(await call('TDIGEST.CREATE', 'y', 'compression')).toEqual(error("ERR wrong number of arguments for 'tdigest.create' command"));
    expect(await call('TDIGEST.CREATE', 'y', 'compression', '1', '2')).toEqual(error("ERR wrong number of arguments for 'tdigest.create' command"));
    expect(await call('TDIGEST.CREATE', 'y', 'compression', 'a')).toEqual(error('ERR T-Digest: error parsing compression parameter'));
    expect(await call('TDIGEST.CREATE', 'y', 'compression', '0')).toEqual(error('ERR T-Digest: compression parameter needs to be a positive integer'));
    expect(await call('TDIGEST.CREATE', 'y', 'compression', '-1')).toEqual(error('ERR T-Digest: compression parameter needs to be a positive integer'));
    // RMUtil_ArgIndex finds the keyword at either place, then argv[3] is parsed.
    expect(await call('TDIGEST.CREATE', 'y', '100', 'COMPRESSION')).toEqual(error('ERR T-Digest: error parsing compression parameter'));
    expect(await call('TDIGEST.CREATE', 'y', 'compression', '100000000000000000000')).toEqual(error('ERR T-Digest: error parsing compression parameter'));
    // test_tdigest.py test_insufficient_memory
    expect(await call('TDIGEST.CREATE', 'y', 'compression', '100000000000000000')).toEqual(error('ERR T-Digest: allocation failed'));
    expect(await redis.exists('y')).toBe(0);
    expect(await call('TDIGEST.INFO', 'missing')).toEqual(error('ERR T-Digest: key does not exist'));
    expect(await call('TDIGEST.INFO', 'str')).toEqual(error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(await call('TDIGEST.INFO', 'x', '1')).toEqual(error("ERR wrong number of arguments for 'tdigest.info' command"));
  });

  it('holds a huge compression without allocating its capacity up front', async () => {
    expect(await call('TDIGEST.CREATE', 'big', 'COMPRESSION', '300000000')).toBe('OK');
    expect((await info('big')).Capacity).toBe(1_800_000_010);
    expect(await call('TDIGEST.ADD', 'big', '1', '2', '3')).toBe('OK');
    expect(await call('TDIGEST.QUANTILE', 'big', '0.5')).toEqual(['2']);
  });

  it('answers TYPE and OBJECT ENCODING as for a module value', async () => {
    await call('TDIGEST.CREATE', 't');
    expect(await redis.type('t')).toBe('TDIS-TYPE');
    expect(await redis.object('ENCODING', 't')).toBe('raw');
  });
});

describe('TDIGEST.ADD and TDIGEST.RESET', () => {
  it('adds observations, unmerged until a compress', async () => {
    await call('TDIGEST.CREATE', 't');
    expect(await call('TDIGEST.ADD', 't', ...Array<string>(100).fill('1.0'))).toBe('OK');
    expect(await info('t')).toMatchObject({ 'Unmerged nodes': 100, 'Unmerged weight': 100, Observations: 100 });
    expect(await call('TDIGEST.RESET', 't')).toBe('OK');
    expect(await info('t')).toMatchObject({ 'Unmerged nodes': 0, Observations: 0, Compression: 100 });
    expect(await call('TDIGEST.MIN', 't')).toBe('nan');
  });

  it('parses every value before adding any (test_negative_tdigest_add)', async () => {
    await call('TDIGEST.CREATE', 't');
    expect(await call('TDIGEST.ADD', 't', 'a', '5', '10')).toEqual(error('ERR T-Digest: error parsing val parameter'));
    expect(await call('TDIGEST.ADD', 't', '5.0', 'a', '10')).toEqual(error('ERR T-Digest: error parsing val parameter'));
    expect(await call('TDIGEST.ADD', 't', 'nan')).toEqual(error('ERR T-Digest: error parsing val parameter'));
    expect(await call('TDIGEST.ADD', 't', '-inf')).toEqual(error('ERR T-Digest: val parameter needs to be a finite number'));
    expect(await call('TDIGEST.ADD', 't', '1', '+inf', 'a')).toEqual(error('ERR T-Digest: val parameter needs to be a finite number'));
    expect((await info('t')).Observations).toBe(0);
    expect(await call('TDIGEST.ADD', 'missing', '1')).toEqual(error('ERR T-Digest: key does not exist'));
    expect(await call('TDIGEST.ADD', 't')).toEqual(error("ERR wrong number of arguments for 'tdigest.add' command"));
    expect(await call('TDIGEST.RESET', 'missing')).toEqual(error('ERR T-Digest: key does not exist'));
  });

  it('takes many equal values in one compress (the input t-digest-c #45 fixed a quadratic sort for)', async () => {
    await call('TDIGEST.CREATE', 'dup', 'COMPRESSION', '5000');
    const values = Array<string>(29_000).fill('7');
    expect(await call('TDIGEST.ADD', 'dup', ...values)).toBe('OK');
    expect(await call('TDIGEST.QUANTILE', 'dup', '0', '0.5', '1')).toEqual(['7', '7', '7']);
    expect((await info('dup')).Observations).toBe(29_000);
  });
});

describe('TDIGEST.MIN, MAX, QUANTILE, CDF, TRIMMED_MEAN', () => {
  it('min and max (test_tdigest_min_max)', async () => {
    await call('TDIGEST.CREATE', 't');
    expect(await call('TDIGEST.MIN', 't')).toBe('nan');
    expect(await call('TDIGEST.MAX', 't')).toBe('nan');
    await addEach('t', range(1, 101));
    expect(await call('TDIGEST.MAX', 't')).toBe('100');
    expect(await call('TDIGEST.MIN', 't')).toBe('1');
    expect(await call('TDIGEST.MIN', 'missing')).toEqual(error('ERR T-Digest: key does not exist'));
  });

  it('a lone observation is every quantile (t-digest-c #39)', async () => {
    await call('TDIGEST.CREATE', 'one');
    await call('TDIGEST.ADD', 'one', '42.5');
    expect(await call('TDIGEST.QUANTILE', 'one', '0', '0.5', '1')).toEqual(['42.5', '42.5', '42.5']);
    expect(await call('TDIGEST.CDF', 'one', '42.5', '40', '50')).toEqual(['0.5', '0', '1']);
  });

  it('quantiles in the order asked (test_tdigest_quantile)', async () => {
    await call('TDIGEST.CREATE', 't', 'compression', '500');
    await call('TDIGEST.ADD', 't', ...range(1, 10000).map((x) => String(x * 0.01)));
    expect(await call('TDIGEST.QUANTILE', 't', '1.0')).toEqual([await call('TDIGEST.MAX', 't')]);
    expect(await call('TDIGEST.QUANTILE', 't', '0.0')).toEqual([await call('TDIGEST.MIN', 't')]);
    const close = (reply: JsReply, expected: number[]) =>
      (reply as string[]).forEach((v, i) => expect(Math.abs(Number(v) - expected[i]!)).toBeLessThanOrEqual(0.01));
    close(await call('TDIGEST.QUANTILE', 't', '0.01', '0.5', '0.95', '0.99'), [1, 50, 95, 99]);
    close(await call('TDIGEST.QUANTILE', 't', '0.95', '0.99', '0.01', '0.5'), [95, 99, 1, 50]);
    expect(await call('TDIGEST.QUANTILE', 't', '1', 'a')).toEqual(error('ERR T-Digest: error parsing quantile'));
    expect(await call('TDIGEST.QUANTILE', 't', '-0.5')).toEqual(error('ERR T-Digest: quantile should be in [0,1]'));
    expect(await call('TDIGEST.QUANTILE', 't', '1.1', 'a')).toEqual(error('ERR T-Digest: quantile should be in [0,1]'));
    await call('TDIGEST.CREATE', 'empty');
    expect(await call('TDIGEST.QUANTILE', 'empty', '0.5', '0.1')).toEqual(['nan', 'nan']);
  });

  it('cdf (test_tdigest_cdf)', async () => {
    await call('TDIGEST.CREATE', 't', 'compression', '500');
    await addEach('t', range(1, 100));
    const [a, b] = (await call('TDIGEST.CDF', 't', '1.0', '99.0')) as string[];
    expect(Math.abs(Number(a) - 0.01)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(Number(b) - 0.99)).toBeLessThanOrEqual(0.01);
    expect(await call('TDIGEST.CDF', 't', '0', '1000')).toEqual(['0', '1']);
    expect(await call('TDIGEST.CDF', 't', '1.0', 'foo')).toEqual(error('ERR T-Digest: error parsing cdf'));
    await call('TDIGEST.CREATE', 'empty');
    expect(await call('TDIGEST.CDF', 'empty', '1')).toEqual(['nan']);
  });

  it('trimmed mean (test_tdigest_trimmed_mean)', async () => {
    await call('TDIGEST.CREATE', 't', 'compression', '500');
    await addEach('t', range(0, 20));
    for (const [low, high] of [['0.1', '0.9'], ['0.0', '1.0'], ['0.2', '0.8']]) {
      expect(Math.abs(Number(await call('TDIGEST.TRIMMED_MEAN', 't', low!, high!)) - 9.5)).toBeLessThanOrEqual(0.01);
    }
    await call('TDIGEST.RESET', 't');
    expect(await call('TDIGEST.TRIMMED_MEAN', 't', '0.2', '0.8')).toBe('nan');
    await call('TDIGEST.ADD', 't', ...Array<string>(9).fill('1.0'), '5.0');
    // Spreadsheet TRIMMEAN on nine 1s and one 5, as the flow test compares.
    expect(Number(await call('TDIGEST.TRIMMED_MEAN', 't', '0.10', '0.90'))).toBeCloseTo(1.0, 2);
    expect(Number(await call('TDIGEST.TRIMMED_MEAN', 't', '0.05', '0.95'))).toBeCloseTo(1.4, 2);
    expect(await call('TDIGEST.TRIMMED_MEAN', 't', 'a', 'a')).toEqual(error('ERR T-Digest: error parsing low_cut_percentile'));
    expect(await call('TDIGEST.TRIMMED_MEAN', 't', '0.1', 'a')).toEqual(error('ERR T-Digest: error parsing high_cut_percentile'));
    expect(await call('TDIGEST.TRIMMED_MEAN', 't', '10.0', '20.0')).toEqual(
      error('ERR T-Digest: low_cut_percentile and high_cut_percentile should be in [0,1]'),
    );
    expect(await call('TDIGEST.TRIMMED_MEAN', 't', '0.1', '0.1')).toEqual(
      error('ERR T-Digest: low_cut_percentile should be lower than high_cut_percentile'),
    );
    expect(await call('TDIGEST.TRIMMED_MEAN', 't', '0.1')).toEqual(error("ERR wrong number of arguments for 'tdigest.trimmed_mean' command"));
  });
});

describe('TDIGEST.RANK, REVRANK, BYRANK, BYREVRANK', () => {
  it('ranks (test_tdigest_rank, test_tdigest_revrank)', async () => {
    await call('TDIGEST.CREATE', 't', 'compression', '500');
    await addEach('t', range(0, 20));
    expect(await call('TDIGEST.RANK', 't', '-1', '0', '19', '20', '18', '10', '1')).toEqual([-1, 0, 19, 20, 18, 10, 1]);
    expect(await call('TDIGEST.RANK', 't', '-20', '20', '9')).toEqual([-1, 20, 9]);
    expect(await call('TDIGEST.REVRANK', 't', '20', '0', '19', '50', '18', '10', '1')).toEqual([-1, 19, 0, -1, 1, 9, 18]);
    expect(await call('TDIGEST.REVRANK', 't', '21', '0', '10')).toEqual([-1, 19, 9]);
  });

  it('ranks with repeated values (test_tdigest_rank_and_revrank)', async () => {
    await call('TDIGEST.CREATE', 't', 'compression', '1000');
    await call('TDIGEST.ADD', 't', ...'1 2 2 3 3 3 4 4 4 4 5 5 5 5 5'.split(' '));
    expect(await call('TDIGEST.RANK', 't', '0', '1', '2', '3', '4', '5', '6')).toEqual([-1, 0, 2, 4, 8, 12, 15]);
    expect(await call('TDIGEST.REVRANK', 't', '0', '1', '2', '3', '4', '5', '6')).toEqual([15, 14, 13, 10, 7, 2, -1]);
    await call('TDIGEST.CREATE', 'empty');
    expect(await call('TDIGEST.RANK', 'empty', '0', '1')).toEqual([-2, -2]);
    expect(await call('TDIGEST.REVRANK', 'empty', '0', '1')).toEqual([-2, -2]);
    await call('TDIGEST.CREATE', 's', 'compression', '1000');
    await call('TDIGEST.ADD', 's', '10', '20', '30', '40', '50', '60');
    expect(await call('TDIGEST.RANK', 's', '0', '10', '20', '30', '40', '50', '60', '70')).toEqual([-1, 0, 1, 2, 3, 4, 5, 6]);
    expect(await call('TDIGEST.RANK', 's', 'nan')).toEqual(error('ERR T-Digest: error parsing value'));
    expect(await call('TDIGEST.RANK', 's', '1.5', 'a')).toEqual(error('ERR T-Digest: error parsing value'));
  });

  it('values by rank (test_tdigest_byrank, test_tdigest_byrevrank)', async () => {
    await call('TDIGEST.CREATE', 't', 'compression', '500');
    await call('TDIGEST.ADD', 't', ...range(1, 11).map(String));
    expect(await call('TDIGEST.BYRANK', 't', '0', '10', '100', '9')).toEqual(['1', 'inf', 'inf', '10']);
    await call('TDIGEST.CREATE', 'r', 'compression', '1000');
    await addEach('r', range(1, 11));
    expect(await call('TDIGEST.BYREVRANK', 'r', '0', '10', '100', '9')).toEqual(['10', '-inf', '-inf', '1']);
    await call('TDIGEST.RESET', 'r');
    await call('TDIGEST.ADD', 'r', ...'1 2 2 3 3 3 4 4 4 4 5 5 5 5 5'.split(' '));
    const expectedRevrank = ['5', '5', '5', '5', '5', '4', '4', '4', '4', '3', '3', '3', '2', '2', '1', '-inf'];
    const expectedRank = ['inf', '5', '5', '5', '5', '5', '4', '4', '4', '4', '3', '3', '3', '2', '2', '1'];
    expect(await call('TDIGEST.BYREVRANK', 'r', ...range(0, 16).map(String))).toEqual(expectedRevrank);
    expect(await call('TDIGEST.BYRANK', 'r', ...range(0, 16).reverse().map(String))).toEqual(expectedRank);
    expect(await call('TDIGEST.BYRANK', 'r', '-1')).toEqual(error('ERR T-Digest: rank needs to be non negative'));
    expect(await call('TDIGEST.BYRANK', 'r', '0.5')).toEqual(error('ERR T-Digest: error parsing rank'));
    expect(await call('TDIGEST.BYRANK', 'r', 'a', '0.9')).toEqual(error('ERR T-Digest: error parsing rank'));
    await call('TDIGEST.CREATE', 'empty');
    expect(await call('TDIGEST.BYRANK', 'empty', '0')).toEqual(['nan']);
  });
});

describe('TDIGEST.MERGE', () => {
  it('adds the weights, picking the compression as test_tdigest_merge does', async () => {
    await call('TDIGEST.CREATE', 'to', 'compression', '100');
    await call('TDIGEST.CREATE', 'from', 'compression', '100');
    await call('TDIGEST.ADD', 'from', ...Array<string>(100).fill('1.0'));
    await call('TDIGEST.ADD', 'to', ...Array<string>(1000).fill('1.0'));
    expect(await call('TDIGEST.MERGE', 'to', '1', 'from')).toBe('OK');
    const merged = await info('to');
    expect(merged['Merged weight']! + merged['Unmerged weight']!).toBe(1100);

    await call('TDIGEST.CREATE', 'to-1', 'compression', '55');
    await call('TDIGEST.CREATE', 'from-1', 'compression', '100');
    await call('TDIGEST.CREATE', 'from-2', 'compression', '200');
    await call('TDIGEST.ADD', 'from-1', '1.0');
    await call('TDIGEST.ADD', 'from-2', ...Array<string>(10).fill('1.0'));
    expect(await call('TDIGEST.MERGE', 'new', '2', 'from-1', 'from-2')).toBe('OK');
    expect(await info('new')).toMatchObject({ Compression: 200, Observations: 11 });
    expect(await call('TDIGEST.MERGE', 'to-1', '2', 'from-1', 'from-2')).toBe('OK');
    expect((await info('to-1')).Compression).toBe(55);
    expect(await call('TDIGEST.MERGE', 'c50', '2', 'from-1', 'from-2', 'COMPRESSION', '50')).toBe('OK');
    expect((await info('c50')).Compression).toBe(50);
    expect(await call('TDIGEST.MERGE', 'c50', '2', 'from-1', 'from-2', 'COMPRESSION', '500')).toBe('OK');
    expect(await info('c50')).toMatchObject({ Compression: 500, Observations: 22 });
    expect(await call('TDIGEST.MERGE', 'c50', '2', 'from-1', 'from-2', 'OVERRIDE')).toBe('OK');
    expect(await info('c50')).toMatchObject({ Compression: 200, Observations: 11 });
  });

  it('merges a digest into itself, doubling it (test_tdigest_merge_itself)', async () => {
    await call('TDIGEST.CREATE', 'self');
    await call('TDIGEST.ADD', 'self', ...Array<string>(100).fill('1.0'));
    for (const expected of [200, 400, 800]) {
      expect(await call('TDIGEST.MERGE', 'self', '1', 'self')).toBe('OK');
      expect((await info('self')).Observations).toBe(expected);
    }
  });

  it('replaces the destination, TTL included, as RedisModule_ModuleTypeSetValue does', async () => {
    await call('TDIGEST.CREATE', 'src');
    await call('TDIGEST.ADD', 'src', '1', '2');
    await call('TDIGEST.CREATE', 'dst');
    await redis.expire('dst', 100);
    expect(await call('TDIGEST.MERGE', 'dst', '1', 'src')).toBe('OK');
    expect(await redis.ttl('dst')).toBe(-1);
  });

  it('refuses with rm_tdigest.c\'s texts (test_negative_tdigest_merge)', async () => {
    await redis.set('str', 'B');
    await call('TDIGEST.CREATE', 'from-1');
    const wrongType = error('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(await call('TDIGEST.MERGE', 'str', '1', 'from-1')).toEqual(wrongType);
    expect(await call('TDIGEST.MERGE', 'to', '2', 'from-1', 'str')).toEqual(wrongType);
    expect(await call('TDIGEST.MERGE', 'to', '1', 'missing')).toEqual(error('ERR T-Digest: key does not exist'));
    expect(await call('TDIGEST.MERGE', 'to', 'x', 'from-1')).toEqual(error('ERR T-Digest: error parsing numkeys'));
    expect(await call('TDIGEST.MERGE', 'to', '0', 'from-1')).toEqual(error('ERR T-Digest: numkeys needs to be a positive integer'));
    expect(await call('TDIGEST.MERGE', 'to', '-1', 'from-1')).toEqual(error('ERR T-Digest: numkeys needs to be a positive integer'));
    const arity = error("ERR wrong number of arguments for 'tdigest.merge' command");
    expect(await call('TDIGEST.MERGE', 'to', '2', 'from-1')).toEqual(arity);
    expect(await call('TDIGEST.MERGE', 'to', '1', 'from-1', 'COMPRESSION')).toEqual(arity);
    expect(await call('TDIGEST.MERGE', 'to', '1')).toEqual(arity);
    expect(await call('TDIGEST.MERGE', 'to', '1', 'from-1', 'extra-arg')).toEqual(error('ERR T-Digest: wrong keyword'));
    expect(await call('TDIGEST.MERGE', 'to', '1', 'from-1', 'COMPRESSION', 'a')).toEqual(error('ERR T-Digest: error parsing compression parameter'));
    expect(await call('TDIGEST.MERGE', 'to', '1', 'from-1', 'COMPRESSION', '1000000000000000000')).toEqual(
      error('ERR T-Digest: allocation of destination digest failed'),
    );
    // test_negative_tdigest_merge_crashes: a missing destination named as its own source.
    expect(await call('TDIGEST.MERGE', 'z', '5', 'z', 'z', 'z', 'z', 'z', 'COMPRESSION', '3')).toEqual(error('ERR T-Digest: key does not exist'));
    expect(await redis.exists('to', 'z')).toBe(0);
  });

  it('reports an overflow of the total weight (test_negative_tdigest_merge_crashes_recursive)', async () => {
    await call('TDIGEST.CREATE', 'x', 'COMPRESSION', '1000');
    await call('TDIGEST.CREATE', 'y', 'COMPRESSION', '1000');
    await call('TDIGEST.ADD', 'x', ...range(1, 21).map(String));
    await call('TDIGEST.ADD', 'y', ...range(101, 121).map(String));
    let overflow: JsReply | undefined;
    for (let i = 0; i < 60 && overflow === undefined; i++) {
      await call('TDIGEST.MERGE', 'z', '5', 'x', 'y', 'x', 'y', 'x');
      const reply = await call('TDIGEST.MERGE', 'z', '5', 'z', 'z', 'z', 'z', 'z');
      if (reply !== 'OK') overflow = reply;
    }
    expect(overflow).toEqual(error('ERR T-Digest: overflow detected'));
  });
});

describe('accuracy against exact quantiles of skewed data', () => {
  /** The exact q-quantile of sorted data, as the rank ceil(q * n) (1-based). */
  function exactQuantile(sorted: readonly number[], q: number): number {
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  }

  /** The fraction of the data <= x. */
  function exactCdf(sorted: readonly number[], x: number): number {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo / sorted.length;
  }

  const samples = 100_000;
  const rng = new Rng(20261203);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const distributions: Record<string, () => number> = {
    'log-normal (sigma 2)': () => Math.exp(2 * normal()),
    'Pareto (alpha 1.2)': () => 1 / Math.pow(1 - rng.next(), 1 / 1.2),
  };

  for (const [name, draw] of Object.entries(distributions)) {
    for (const compression of [100, 500]) {
      it(`${name}, compression ${compression}: quantile ranks within the t-digest's error bound`, async () => {
        const data = Array.from({ length: samples }, draw);
        await call('TDIGEST.CREATE', 'd', 'COMPRESSION', String(compression));
        for (let i = 0; i < data.length; i += 5000) {
          await call('TDIGEST.ADD', 'd', ...data.slice(i, i + 5000).map((v) => String(v)));
        }
        const sorted = [...data].sort((a, b) => a - b);
        const qs = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999];
        const estimates = ((await call('TDIGEST.QUANTILE', 'd', ...qs.map(String))) as string[]).map(Number);
        qs.forEach((q, i) => {
          // Compare in rank space: the estimate's true rank against q. The
          // digest's rank error is proportional to q(1-q)/compression, so the
          // tails are tight and the middle looser; the bound is 4x that scale
          // plus two samples, loose enough for any seed, tight enough that a
          // wrong merge rule or interpolation fails it.
          const rankError = Math.abs(exactCdf(sorted, estimates[i]!) - q);
          const bound = (4 * Math.sqrt(q * (1 - q))) / compression + 2 / samples;
          expect(rankError, `q=${q}: estimate ${estimates[i]} vs exact ${exactQuantile(sorted, q)}`).toBeLessThanOrEqual(bound);
        });
        const probes = qs.map((q) => exactQuantile(sorted, q));
        const cdfs = ((await call('TDIGEST.CDF', 'd', ...probes.map(String))) as string[]).map(Number);
        probes.forEach((x, i) => {
          const bound = (4 * Math.sqrt(qs[i]! * (1 - qs[i]!))) / compression + 2 / samples;
          expect(Math.abs(cdfs[i]! - exactCdf(sorted, x))).toBeLessThanOrEqual(bound);
        });
        expect(Number(await call('TDIGEST.MIN', 'd'))).toBe(sorted[0]);
        expect(Number(await call('TDIGEST.MAX', 'd'))).toBe(sorted[sorted.length - 1]);
      });
    }
  }
});

describe('DUMP and RESTORE', () => {
  it('round-trips a digest in RedisBloom\'s TDIS-TYPE layout (compressed first, as TDigestRdbSave does)', async () => {
    await call('TDIGEST.CREATE', 't', 'COMPRESSION', '200');
    await call('TDIGEST.ADD', 't', ...range(1, 1001).map(String));
    const before = await info('t');
    const quantiles = await call('TDIGEST.QUANTILE', 't', '0.01', '0.5', '0.99');
    const payload = await redis.dumpBuffer('t');
    expect(payload).not.toBeNull();
    // RDB_TYPE_MODULE_2, then the module id: 'TDIS-TYPE' in 6-bit symbols and encoding version 0.
    expect(payload![0]).toBe(7);
    expect(await redis.restore('copy', 0, payload!)).toBe('OK');
    expect(await redis.type('copy')).toBe('TDIS-TYPE');
    const restored = await info('copy');
    expect(restored).toEqual({ ...before, 'Merged nodes': restored['Merged nodes'], 'Merged weight': 1000, 'Unmerged nodes': 0, 'Unmerged weight': 0, 'Total compressions': restored['Total compressions'] });
    expect(await call('TDIGEST.QUANTILE', 'copy', '0.01', '0.5', '0.99')).toEqual(quantiles);
    expect(await call('TDIGEST.MIN', 'copy')).toBe('1');
    expect(await call('TDIGEST.MAX', 'copy')).toBe('1000');
    // A payload cut short is refused, never half-loaded.
    const cut = Buffer.concat([payload!.subarray(0, 60), payload!.subarray(payload!.length - 10)]);
    expect(await call('RESTORE', 'bad', '0', cut)).toEqual(error('ERR DUMP payload version or checksum are wrong'));
  });
});

describe('node-redis @redis/bloom t-digest methods', () => {
  it('runs the documented flow unchanged', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      expect(await client.tDigest.create('latency', { COMPRESSION: 200 })).toBe('OK');
      expect(await client.tDigest.add('latency', [10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toBe('OK');
      expect(await client.tDigest.min('latency')).toBe(10);
      expect(await client.tDigest.max('latency')).toBe(100);
      expect(await client.tDigest.quantile('latency', [0, 1])).toEqual([10, 100]);
      expect(await client.tDigest.rank('latency', [10, 100])).toEqual([0, 9]);
      expect(await client.tDigest.byRank('latency', [0])).toEqual([10]);
      const described = await client.tDigest.info('latency');
      expect(described).toMatchObject({ Compression: 200, Capacity: 1210, Observations: 10 });
      expect(await client.tDigest.merge('copy', ['latency'])).toBe('OK');
      expect(await client.tDigest.cdf('copy', [1000])).toEqual([1]);
      expect(await client.tDigest.reset('copy')).toBe('OK');
    } finally {
      await client.quit();
    }
  });
});
