/**
 * The CMS.* and TOPK.* commands through real sockets: ioredis `call` for
 * values, a raw client for exact replies, and node-redis's @redis/bloom.
 * Expected texts are RedisBloom's (rm_cms.c, rm_topk.c, tests/flow).
 */
import type { Redis } from 'ioredis';
import { createClient } from 'redis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { FIXED_SEED, Rng } from '../helpers/random.js';
import { RawClient, replyToJs, type JsReply } from '../helpers/resp-client.js';
import { error, useServer } from '../helpers/server.js';

const t = useServer();
const { callJs: call } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

const wrongType = error('WRONGTYPE Operation against a key holding the wrong kind of value');

/** `length` draws from Zipf(s) over `distinct` items, item:0 the most frequent. */
function zipfStream(distinct: number, length: number, s: number, seed: number): string[] {
  const cdf: number[] = [];
  let total = 0;
  for (let i = 0; i < distinct; i++) cdf.push((total += 1 / (i + 1) ** s));
  const rng = new Rng(seed);
  return Array.from({ length }, () => {
    const u = rng.next() * total;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return `item:${lo}`;
  });
}

function tally(stream: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of stream) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

describe('CMS.INITBYDIM, CMS.INITBYPROB, CMS.INFO', () => {
  it('create sketches of the requested or derived dimensions', async () => {
    expect(await redis.call('CMS.INITBYDIM', 'dim', '10', '3')).toBe('OK');
    expect(await call('CMS.INFO', 'dim')).toEqual(['width', 10, 'depth', 3, 'count', 0]);
    expect(await redis.call('CMS.INITBYPROB', 'prob', '0.001', '0.01')).toBe('OK');
    expect(await call('CMS.INFO', 'prob')).toEqual(['width', 2000, 'depth', 7, 'count', 0]);
  });

  it('reject bad arguments and existing keys of any type', async () => {
    await redis.set('str', 'x');
    await redis.call('CMS.INITBYDIM', 'cms', '10', '3');
    const cases: Array<[Array<string>, string]> = [
      [['CMS.INITBYDIM', 'k', '10'], "ERR wrong number of arguments for 'cms.initbydim' command"],
      [['CMS.INITBYPROB', 'k', '0.1', '0.1', 'x'], "ERR wrong number of arguments for 'cms.initbyprob' command"],
      [['CMS.INITBYDIM', 'cms', '10', '3'], 'CMS: key already exists'],
      [['CMS.INITBYDIM', 'str', 'x', 'y'], 'CMS: key already exists'],
      [['CMS.INITBYDIM', 'k', 'x', '3'], 'CMS: invalid width'],
      [['CMS.INITBYDIM', 'k', '0', '3'], 'CMS: invalid width'],
      [['CMS.INITBYDIM', 'k', '10', '-1'], 'CMS: invalid depth'],
      [['CMS.INITBYDIM', 'k', '100000', '100000'], 'CMS: invalid init arguments'],
      [['CMS.INITBYPROB', 'k', '0', '0.1'], 'CMS: invalid overestimation value'],
      [['CMS.INITBYPROB', 'k', 'x', '0.1'], 'CMS: invalid overestimation value'],
      [['CMS.INITBYPROB', 'k', '0.1', '1'], 'CMS: invalid prob value'],
      [['CMS.INITBYPROB', 'k', '1e-12', '0.1'], 'CMS: invalid init arguments'],
    ];
    for (const [args, text] of cases) expect(await call(...args), args.join(' ')).toEqual(error(text));
    expect(await redis.exists('k')).toBe(0);
    expect(await call('CMS.INFO', 'missing')).toEqual(error('CMS: key does not exist'));
    expect(await call('CMS.INFO', 'str')).toEqual(wrongType);
  });

  // CMS_DimFromProb's width (2 / error) and depth (log10f of the probability,
  // in single precision) can come out infinite, past any size, or 0:
  // parseCreateArgs answers all of them with one error.
  it.each([
    ['1e-17', '0.5', 'a width past any size'],
    ['5e-324', '0.5', 'an infinite width'],
    ['2.2250738585072014e-308', '0.01', 'a width of 9e307'],
    ['0.01', '5e-324', 'an infinite depth (the probability is 0 as a float)'],
    ['0.01', '1e-300', 'an infinite depth (the probability is 0 as a float)'],
    ['0.01', '0.99999999', 'a depth of 0 (the probability is 1 as a float)'],
  ])('answers CMS.INITBYPROB k %s %s, %s, with "invalid init arguments"', async (overestimation, probability) => {
    expect(await call('CMS.INITBYPROB', 'k', overestimation, probability)).toEqual(error('CMS: invalid init arguments'));
    expect(await redis.exists('k')).toBe(0);
  });
});

describe('CMS.INCRBY, CMS.QUERY', () => {
  beforeEach(async () => {
    await redis.call('CMS.INITBYDIM', 'cms', '1000', '5');
  });

  it('count and answer the new estimates', async () => {
    expect(await redis.call('CMS.INCRBY', 'cms', 'a', '5')).toEqual([5]);
    expect(await redis.call('CMS.INCRBY', 'cms', 'a', '2', 'b', '7', 'a', '1')).toEqual([7, 7, 8]);
    expect(await redis.call('CMS.QUERY', 'cms', 'a', 'b', 'c')).toEqual([8, 7, 0]);
    expect(await call('CMS.INFO', 'cms')).toEqual(['width', 1000, 'depth', 5, 'count', 15]);
  });

  it('check every increment before applying any', async () => {
    expect(await call('CMS.INCRBY', 'cms', 'a', '1', 'b', 'x')).toEqual(error('CMS: Cannot parse number'));
    expect(await call('CMS.INCRBY', 'cms', 'a', '1', 'b', '-1')).toEqual(error('CMS: Number cannot be negative'));
    expect(await redis.call('CMS.QUERY', 'cms', 'a')).toEqual([0]);
    expect(await call('CMS.INCRBY', 'cms', 'a', '1', 'b')).toEqual(error("ERR wrong number of arguments for 'cms.incrby' command"));
  });

  it('answer "CMS: INCRBY overflow" for a saturated counter', async () => {
    expect(await call('CMS.INCRBY', 'cms', 'a', '4294967294', 'b', '1')).toEqual([4294967294, 1]);
    expect(await call('CMS.INCRBY', 'cms', 'a', '5', 'b', '1')).toEqual([error('CMS: INCRBY overflow'), 2]);
    expect(await redis.call('CMS.QUERY', 'cms', 'a')).toEqual([4294967295]);
  });

  it('refuse missing keys and other types', async () => {
    await redis.call('BF.ADD', 'bf', 'x');
    expect(await call('CMS.INCRBY', 'missing', 'a', '1')).toEqual(error('CMS: key does not exist'));
    expect(await call('CMS.QUERY', 'missing', 'a')).toEqual(error('CMS: key does not exist'));
    expect(await call('CMS.INCRBY', 'bf', 'a', '1')).toEqual(wrongType);
    expect(await call('CMS.QUERY', 'bf', 'a')).toEqual(wrongType);
  });

  it('never under-count, and stay within width-derived error for most items', async () => {
    // INITBYPROB 0.01 0.01: estimates exceed the truth by more than 1% of
    // the total count for at most 1% of the items (plus sampling slack).
    await redis.call('CMS.INITBYPROB', 'sk', '0.01', '0.01');
    const truth = tally(zipfStream(5_000, 50_000, 1.1, FIXED_SEED));
    const entries = [...truth.entries()];
    const pipeline = redis.pipeline();
    for (let i = 0; i < entries.length; i += 500) {
      pipeline.call('CMS.INCRBY', 'sk', ...entries.slice(i, i + 500).flatMap(([item, count]) => [item, String(count)]));
    }
    await pipeline.exec();
    const estimates = (await redis.call('CMS.QUERY', 'sk', ...entries.map(([item]) => item))) as number[];
    const overLimit = entries.filter(([, count], i) => estimates[i]! > count + 0.01 * 50_000).length;
    expect(entries.every(([, count], i) => estimates[i]! >= count)).toBe(true);
    expect(overLimit / entries.length).toBeLessThanOrEqual(0.02);
    expect(await call('CMS.INFO', 'sk')).toEqual(['width', 200, 'depth', 7, 'count', 50_000]);
  });
});

describe('CMS.MERGE', () => {
  beforeEach(async () => {
    for (const key of ['a', 'b', 'dest']) await redis.call('CMS.INITBYDIM', key, '100', '4');
    await redis.call('CMS.INCRBY', 'a', 'x', '3', 'y', '1');
    await redis.call('CMS.INCRBY', 'b', 'x', '2', 'z', '5');
  });

  it('sums the sources, weighted, into an existing destination', async () => {
    expect(await redis.call('CMS.MERGE', 'dest', '2', 'a', 'b')).toBe('OK');
    expect(await redis.call('CMS.QUERY', 'dest', 'x', 'y', 'z')).toEqual([5, 1, 5]);
    expect(await redis.call('CMS.MERGE', 'dest', '2', 'a', 'b', 'WEIGHTS', '1', '3')).toBe('OK');
    expect(await redis.call('CMS.QUERY', 'dest', 'x', 'y', 'z')).toEqual([9, 1, 15]);
    expect(await call('CMS.INFO', 'dest')).toEqual(['width', 100, 'depth', 4, 'count', 4 + 21]);
    // The destination may be a source.
    expect(await redis.call('CMS.MERGE', 'a', '2', 'a', 'b')).toBe('OK');
    expect(await redis.call('CMS.QUERY', 'a', 'x', 'y', 'z')).toEqual([5, 1, 5]);
  });

  it('rejects bad calls with RedisBloom texts, leaving the destination alone', async () => {
    await redis.call('CMS.INITBYDIM', 'narrow', '50', '4');
    await redis.set('str', 'x');
    const cases: Array<[string[], JsReply]> = [
      [['missing', '1', 'a'], error('CMS: key does not exist')],
      [['str', '1', 'a'], wrongType],
      [['dest', 'x', 'a'], error('CMS: invalid numkeys')],
      [['dest', '0', 'a'], error('CMS: Number of keys must be positive')],
      [['dest', '2', 'a'], error('CMS: wrong number of keys')],
      [['dest', '1'], error("ERR wrong number of arguments for 'cms.merge' command")],
      [['dest', '3', 'a', 'b'], error('CMS: wrong number of keys')],
      [['dest', '2', 'a', 'b', 'WEIGHTS', '1'], error('CMS: wrong number of keys/weights')],
      [['dest', '1', 'a', 'b', 'WEIGHTS', '1'], error('CMS: wrong number of keys/weights')],
      [['dest', '2', 'a', 'b', 'weights', '1', 'x'], error('CMS: invalid weight value')],
      [['dest', '2', 'a', 'nope'], error('CMS: key does not exist')],
      [['dest', '2', 'a', 'str'], wrongType],
      [['dest', '2', 'a', 'narrow'], error('CMS: width/depth is not equal')],
      [['dest', '2', 'a', 'b', 'WEIGHTS', '1', '-1'], error('CMS: MERGE overflow')],
    ];
    for (const [args, reply] of cases) expect(await call('CMS.MERGE', ...args), args.join(' ')).toEqual(reply);
    expect(await redis.call('CMS.QUERY', 'dest', 'x')).toEqual([0]);
  });

  it('names the destination and the sources as its keys', async () => {
    expect(await redis.call('COMMAND', 'GETKEYS', 'CMS.MERGE', 'dest', '2', 'a', 'b', 'WEIGHTS', '1', '2')).toEqual(['dest', 'a', 'b']);
  });
});

describe('TOPK.RESERVE, TOPK.INFO', () => {
  it('create a sketch, with RedisBloom defaults when only k is given', async () => {
    expect(await redis.call('TOPK.RESERVE', 'tk', '3')).toBe('OK');
    const info = (await redis.call('TOPK.INFO', 'tk')) as Array<string | number>;
    expect(info.slice(0, 6)).toEqual(['k', 3, 'width', 8, 'depth', 7]);
    expect([info[6], Number(info[7])]).toEqual(['decay', 0.9]);
    expect(await redis.call('TOPK.RESERVE', 'wide', '2', '50', '5', '0.5')).toBe('OK');
    expect(((await redis.call('TOPK.INFO', 'wide')) as unknown[]).map(String)).toEqual(['k', '2', 'width', '50', 'depth', '5', 'decay', '0.5']);
  });

  it('reject bad arguments and existing keys of any type', async () => {
    await redis.set('str', 'x');
    await redis.call('TOPK.RESERVE', 'tk', '3');
    const cases: Array<[string[], string]> = [
      [['k', '2', '50'], "ERR wrong number of arguments for 'topk.reserve' command"],
      [['k', '2', '50', '5'], "ERR wrong number of arguments for 'topk.reserve' command"],
      [['tk', '2'], 'TopK: key already exists'],
      [['str', 'x'], 'TopK: key already exists'],
      [['k', '0'], 'TopK: invalid k'],
      [['k', 'x'], 'TopK: invalid k'],
      [['k', '2', '0', '5', '0.9'], 'TopK: invalid width'],
      [['k', '2', '50', 'x', '0.9'], 'TopK: invalid depth'],
      [['k', '2', '50', '5', '0'], "TopK: invalid decay value. must be '<= 1' & '> 0'"],
      [['k', '2', '50', '5', '1.5'], "TopK: invalid decay value. must be '<= 1' & '> 0'"],
      [['k', String(2 ** 21)], 'ERR Insufficient memory to create topk data structure'],
    ];
    for (const [args, text] of cases) expect(await call('TOPK.RESERVE', ...args), args.join(' ')).toEqual(error(text));
    expect(await redis.exists('k')).toBe(0);
  });
});

describe('TOPK.ADD, TOPK.INCRBY, TOPK.QUERY, TOPK.COUNT, TOPK.LIST', () => {
  it('answer the items pushed out of the list', async () => {
    await redis.call('TOPK.RESERVE', 'tk', '1', '50', '5', '0.9');
    expect(await redis.call('TOPK.ADD', 'tk', 'a')).toEqual([null]);
    expect(await redis.call('TOPK.ADD', 'tk', 'b')).toEqual(['a']);
    expect(await redis.call('TOPK.ADD', 'tk', 'a', 'a')).toEqual(['b', null]);
    expect(await redis.call('TOPK.LIST', 'tk', 'WITHCOUNT')).toEqual(['a', 3]);
  });

  it('count, query and list as RedisBloom does', async () => {
    await redis.call('TOPK.RESERVE', 'tk', '2', '50', '5', '0.9');
    await redis.call('TOPK.ADD', 'tk', 'foo', 'bar', 'baz', '42', 'foo', 'bar', 'baz');
    await redis.call('TOPK.ADD', 'tk', 'foo', 'baz', '42', 'foo', 'baz');
    await redis.call('TOPK.ADD', 'tk', 'foo', 'bar', 'baz', 'foo', 'baz');
    expect(await redis.call('TOPK.QUERY', 'tk', 'foo', 'bar', 'baz', 'dan')).toEqual([1, 0, 1, 0]);
    expect(await redis.call('TOPK.COUNT', 'tk', 'foo', 'bar', 'baz', 'dan')).toEqual([6, 3, 6, 0]);
    expect(new Set(await redis.call('TOPK.LIST', 'tk') as string[])).toEqual(new Set(['foo', 'baz']));
    expect(await redis.call('TOPK.LIST', 'tk', 'withcount')).toHaveLength(4);
    // strncasecmp over the argument's length: any prefix of WITHCOUNT works.
    expect(await redis.call('TOPK.LIST', 'tk', 'With')).toHaveLength(4);
    // foo and baz tie at 6; bar pushes out whichever sits at the heap's top.
    const [expelled, none] = (await redis.call('TOPK.INCRBY', 'tk', 'bar', '10', 'qux', '0')) as [string, null];
    expect(['foo', 'baz']).toContain(expelled);
    expect(none).toBeNull();
    const kept = expelled === 'foo' ? 'baz' : 'foo';
    expect(await redis.call('TOPK.LIST', 'tk', 'WITHCOUNT')).toEqual(['bar', 13, kept, 6]);
  });

  it('lists only filled places', async () => {
    await redis.call('TOPK.RESERVE', 'tk', '5');
    await redis.call('TOPK.ADD', 'tk', 'a');
    expect(await redis.call('TOPK.LIST', 'tk')).toEqual(['a']);
    await redis.call('TOPK.RESERVE', 'empty', '5');
    expect(await redis.call('TOPK.LIST', 'empty', 'WITHCOUNT')).toEqual([]);
  });

  it('TOPK.INCRBY answers a bad increment in its place, in RedisBloom words', async () => {
    await redis.call('TOPK.RESERVE', 'tk', '3');
    const badIncrement = error(`TopK: increment must be an integer greater or equal to 0${' '.repeat(28)}and smaller or equal to 100,000`);
    expect(await call('TOPK.INCRBY', 'tk', 'a', '100001', 'b', '5', 'c', '-1', 'd', 'x')).toEqual([badIncrement, null, badIncrement, badIncrement]);
    expect(await redis.call('TOPK.INCRBY', 'tk', 'a', '100000')).toEqual([null]);
    expect(await redis.call('TOPK.LIST', 'tk', 'WITHCOUNT')).toEqual(['a', 100000, 'b', 5]);
    expect(await call('TOPK.INCRBY', 'tk', 'a')).toEqual(error("ERR wrong number of arguments for 'topk.incrby' command"));
  });

  it('refuse missing keys and other types', async () => {
    await redis.call('CMS.INITBYDIM', 'cms', '10', '2');
    for (const [command, ...args] of [['TOPK.ADD', 'a'], ['TOPK.INCRBY', 'a', '1'], ['TOPK.QUERY', 'a'], ['TOPK.COUNT', 'a'], ['TOPK.LIST'], ['TOPK.INFO']]) {
      expect(await call(command!, 'missing', ...args)).toEqual(error('TopK: key does not exist'));
      expect(await call(command!, 'cms', ...args)).toEqual(wrongType);
    }
    expect(await call('TOPK.LIST', 'missing', 'WITHCOUNTS')).toEqual(error('WITHCOUNT keyword expected'));
    expect(await call('TOPK.LIST', 'missing', 'WITHCOUNT', 'x')).toEqual(error("ERR wrong number of arguments for 'topk.list' command"));
  });

  it('find the heavy hitters of a Zipf stream', async () => {
    const stream = zipfStream(10_000, 30_000, 1.2, FIXED_SEED);
    await redis.call('TOPK.RESERVE', 'tk', '10', '50', '5', '0.9');
    const pipeline = redis.pipeline();
    for (let i = 0; i < stream.length; i += 1000) pipeline.call('TOPK.ADD', 'tk', ...stream.slice(i, i + 1000));
    await pipeline.exec();
    const truth = [...tally(stream).entries()].sort((a, b) => b[1] - a[1]).map(([item]) => item);
    const listed = (await redis.call('TOPK.LIST', 'tk')) as string[];
    expect(listed).toHaveLength(10);
    expect(truth.slice(0, 5).filter((item) => !listed.includes(item))).toEqual([]);
    expect(await redis.call('TOPK.QUERY', 'tk', ...truth.slice(0, 5))).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('RESP3', () => {
  it('answers booleans for TOPK.QUERY and maps for the INFO commands', async () => {
    const raw3 = await RawClient.connect(server.port);
    try {
      await raw3.call('HELLO', '3');
      const r = async (...args: string[]) => replyToJs(await raw3.call(...args));
      await r('CMS.INITBYPROB', 'cms2', '0.001', '0.01');
      expect(await r('CMS.INCRBY', 'cms2', 'a', '5')).toEqual([5]);
      expect(await r('CMS.INFO', 'cms2')).toEqual(new Map<JsReply, JsReply>([['width', 2000], ['depth', 7], ['count', 5]]));
      await r('TOPK.RESERVE', 'topk', '2', '50', '5', '0.9');
      await r('TOPK.ADD', 'topk', 'foo', 'bar', 'baz', '42', 'foo', 'bar', 'baz');
      await r('TOPK.ADD', 'topk', 'foo', 'baz', '42', 'foo', 'baz');
      await r('TOPK.ADD', 'topk', 'foo', 'bar', 'baz', 'foo', 'baz');
      const info = (await r('TOPK.INFO', 'topk')) as Map<JsReply, JsReply>;
      expect([...info.keys()]).toEqual(['k', 'width', 'depth', 'decay']);
      expect([info.get('k'), info.get('width'), info.get('depth'), Number(info.get('decay'))]).toEqual([2, 50, 5, 0.9]);
      expect((await raw3.call('TOPK.INFO', 'topk')).toString()).toContain('+decay\r\n,0.9');
      expect(await r('TOPK.QUERY', 'topk', 'foo', 'bar', 'baz', 'dan')).toEqual([true, false, true, false]);
      expect(await r('TOPK.ADD', 'topk', 'new')).toEqual([null]);
      expect((await raw3.call('TOPK.ADD', 'topk', 'new')).toString()).toBe('*1\r\n_\r\n');
    } finally {
      await raw3.close();
    }
  });
});

describe('keyspace integration', () => {
  it('TYPE names and WRONGTYPE from the string commands', async () => {
    await redis.call('CMS.INITBYDIM', 'cms', '10', '2');
    await redis.call('TOPK.RESERVE', 'tk', '2');
    expect(await redis.type('cms')).toBe('CMSk-TYPE');
    expect(await redis.type('tk')).toBe('TopK-TYPE');
    expect(await redis.scan('0', 'TYPE', 'TopK-TYPE')).toEqual(['0', ['tk']]);
    await expect(redis.get('cms')).rejects.toThrow('WRONGTYPE');
    await expect(redis.incr('tk')).rejects.toThrow('WRONGTYPE');
  });

  it('COPY clones sketches: changing the copy leaves the original alone', async () => {
    await redis.call('CMS.INITBYDIM', 'cms', '10', '2');
    await redis.call('CMS.INCRBY', 'cms', 'a', '1');
    await redis.copy('cms', 'cms2');
    await redis.call('CMS.INCRBY', 'cms2', 'a', '10');
    expect(await redis.call('CMS.QUERY', 'cms', 'a')).toEqual([1]);
    expect(await redis.call('CMS.QUERY', 'cms2', 'a')).toEqual([11]);

    await redis.call('TOPK.RESERVE', 'tk', '2', '50', '5', '0.9');
    await redis.call('TOPK.ADD', 'tk', 'a');
    await redis.copy('tk', 'tk2');
    await redis.call('TOPK.INCRBY', 'tk2', 'b', '5');
    expect(await redis.call('TOPK.LIST', 'tk', 'WITHCOUNT')).toEqual(['a', 1]);
    expect(await redis.call('TOPK.LIST', 'tk2', 'WITHCOUNT')).toEqual(['b', 5, 'a', 1]);
  });
});

describe('node-redis with @redis/bloom', () => {
  it('drives every CMS command and parses the replies', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      expect(await client.cms.initByDim('a', 100, 4)).toBe('OK');
      expect(await client.cms.initByProb('p', 0.01, 0.01)).toBe('OK');
      expect(await client.cms.initByDim('b', 100, 4)).toBe('OK');
      expect(await client.cms.incrBy('a', { item: 'x', incrementBy: 3 })).toEqual([3]);
      expect(await client.cms.incrBy('b', [{ item: 'x', incrementBy: 1 }, { item: 'y', incrementBy: 2 }])).toEqual([1, 2]);
      expect(await client.cms.query('a', ['x', 'y'])).toEqual([3, 0]);
      expect(await client.cms.merge('a', ['a', 'b'])).toBe('OK');
      expect(await client.cms.query('a', ['x', 'y'])).toEqual([4, 2]);
      expect(await client.cms.merge('a', [{ name: 'b', weight: 2 }])).toBe('OK');
      expect(await client.cms.query('a', ['x', 'y'])).toEqual([2, 4]);
      expect(await client.cms.info('a')).toEqual({ width: 100, depth: 4, count: 6 });
      expect(await client.cms.info('p')).toEqual({ width: 200, depth: 7, count: 0 });
    } finally {
      await client.quit();
    }
  });

  it('drives every TOPK command and parses the replies', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      expect(await client.topK.reserve('tk', 2, { width: 50, depth: 5, decay: 0.9 })).toBe('OK');
      expect(await client.topK.add('tk', ['a', 'b', 'a'])).toEqual([null, null, null]);
      expect(await client.topK.incrBy('tk', { item: 'c', incrementBy: 5 })).toEqual(['b']);
      expect(await client.topK.query('tk', ['a', 'b', 'c'])).toEqual([true, false, true]);
      expect(await client.topK.count('tk', ['a', 'c'])).toEqual([2, 5]);
      expect(await client.topK.list('tk')).toEqual(['c', 'a']);
      expect(await client.topK.listWithCount('tk')).toEqual([{ item: 'c', count: 5 }, { item: 'a', count: 2 }]);
      expect(await client.topK.info('tk')).toEqual({ k: 2, width: 50, depth: 5, decay: 0.9 });
      await expect(client.topK.add('missing', 'a')).rejects.toThrow('TopK: key does not exist');
    } finally {
      await client.quit();
    }
  });
});
