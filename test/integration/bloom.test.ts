/**
 * The BF.* commands through real sockets: ioredis `call` for values, a raw
 * client where the exact reply matters (error texts without "ERR", RESP3
 * booleans and maps), and node-redis's @redis/bloom to show that a client
 * written for RedisBloom works unchanged. Expected texts and numbers are
 * RedisBloom's (rebloom.c and its tests/flow suite).
 */
import { Redis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { FIXED_SEED, Rng } from '../helpers/random.js';
import { RawClient, replyToJs, type JsReply } from '../helpers/resp-client.js';
import { error, useServer } from '../helpers/server.js';

const t = useServer({ clock: 1_700_000_000_000 });
const { clock, callJs: call } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

/** Disjoint member and non-member item sets from a seeded generator. */
function itemSets(seed: number, members: number, others: number): { members: string[]; others: string[] } {
  const rng = new Rng(seed);
  return {
    members: Array.from({ length: members }, (_, i) => `member:${i}:${rng.string(8)}`),
    others: Array.from({ length: others }, (_, i) => `other:${i}:${rng.string(8)}`),
  };
}

/** BF.MADD / BF.MEXISTS in batches, so one call stays a few kB. */
async function batched(command: string, key: string, items: readonly string[]): Promise<number[]> {
  const pipeline = redis.pipeline();
  for (let i = 0; i < items.length; i += 1000) pipeline.call(command, key, ...items.slice(i, i + 1000));
  const results = (await pipeline.exec())!;
  return results.flatMap(([err, value]) => {
    if (err) throw err;
    return value as number[];
  });
}

describe('BF.RESERVE', () => {
  it('creates an empty filter sized as RedisBloom sizes it', async () => {
    expect(await redis.call('BF.RESERVE', 'bf', '0.001', '100')).toBe('OK');
    expect(await call('BF.INFO', 'bf')).toEqual([
      'Capacity', 100, 'Size', 296, 'Number of filters', 1, 'Number of items inserted', 0, 'Expansion rate', 2,
    ]);
    expect(await redis.call('BF.RESERVE', 'exp4', '0.01', '1000', 'EXPANSION', '4')).toBe('OK');
    expect(await call('BF.INFO', 'exp4', 'EXPANSION')).toEqual([4]);
  });

  it('ignores words it does not know between its options, as RedisBloom does', async () => {
    expect(await call('BF.RESERVE', 'bf', '0.01', '10', 'UNKNOWN', '1')).toBe('OK');
    expect(await call('BF.RESERVE', 'ns', '0.01', '10', 'nonscaling')).toBe('OK');
    expect(await call('BF.INFO', 'ns', 'expansion')).toEqual([null]);
  });

  it('rejects bad arguments with RedisBloom texts', async () => {
    const cases: Array<[Array<string | number>, string]> = [
      [['bf', '0.01'], "ERR wrong number of arguments for 'bf.reserve' command"],
      [['bf', '0.01', '10', 'EXPANSION', '2', 'NONSCALING', 'x'], "ERR wrong number of arguments for 'bf.reserve' command"],
      [['bf', 'blah', '1000'], 'ERR bad error rate'],
      [['bf', '0', '100'], 'ERR (0 < error rate range < 1) '],
      [['bf', '1', '1000'], 'ERR (0 < error rate range < 1) '],
      [['bf', '7.7', '1000'], 'ERR (0 < error rate range < 1) '],
      [['bf', '0.01', 'blah'], 'ERR bad capacity'],
      [['bf', '0.01', '0.3'], 'ERR bad capacity'],
      [['bf', '0.01', '0'], 'ERR (capacity should be larger than 0)'],
      [['bf', '0.01', '-5'], 'ERR (capacity should be larger than 0)'],
      [['bf', '0.01', '4', 'expansion'], 'ERR no expansion'],
      [['bf', '0.01', '1000', 'NONSCALING', 'EXPANSION', '2'], 'Nonscaling filters cannot expand'],
      [['bf', '0.01', '4', 'expansion', 'str'], 'ERR bad expansion'],
      [['bf', '0.01', '4', 'expansion', '0'], 'ERR expansion should be greater or equal to 1'],
      [['bf', '0.01', String(2 ** 62)], 'ERR could not create filter'],
    ];
    for (const [args, text] of cases) expect(await call('BF.RESERVE', ...args), args.join(' ')).toEqual(error(text));
    expect(await redis.exists('bf')).toBe(0);
  });

  it('refuses an existing key, and one of another type', async () => {
    await redis.call('BF.RESERVE', 'bf', '0.01', '100');
    await expect(redis.call('BF.RESERVE', 'bf', '0.05', '10')).rejects.toThrow('ERR item exists');
    await redis.set('str', 'x');
    expect(await call('BF.RESERVE', 'str', '0.01', '100')).toEqual(
      error('WRONGTYPE Operation against a key holding the wrong kind of value'),
    );
  });

  it('makes a NONSCALING filter that refuses new items once full', async () => {
    expect(await call('BF.RESERVE', 'bf', '0.01', '3', 'NONSCALING')).toBe('OK');
    for (const item of ['0', '1', '2']) expect(await redis.call('BF.ADD', 'bf', item)).toBe(1);
    expect(await call('BF.ADD', 'bf', 'extra')).toEqual(error('ERR non scaling filter is full'));
    // An item already in the filter still answers 0 rather than an error.
    expect(await call('BF.ADD', 'bf', '1')).toBe(0);
    expect(await call('BF.INFO', 'bf')).toEqual([
      'Capacity', 3, 'Size', 104, 'Number of filters', 1, 'Number of items inserted', 3, 'Expansion rate', null,
    ]);
  });
});

describe('BF.ADD, BF.MADD, BF.EXISTS, BF.MEXISTS', () => {
  it('create a default filter (error 0.01, capacity 100, expansion 2) on first add', async () => {
    expect(await redis.call('BF.ADD', 'bf', 'foo')).toBe(1);
    expect(await call('BF.INFO', 'bf')).toEqual([
      'Capacity', 100, 'Size', 240, 'Number of filters', 1, 'Number of items inserted', 1, 'Expansion rate', 2,
    ]);
    expect(await redis.call('BF.MADD', 'other', 'a', 'b')).toEqual([1, 1]);
    expect(await call('BF.INFO', 'other', 'CAPACITY')).toEqual([100]);
  });

  it('answer 1 for new items and 0 for items already present', async () => {
    expect(await redis.call('BF.ADD', 'bf', 'foo')).toBe(1);
    expect(await redis.call('BF.ADD', 'bf', 'foo')).toBe(0);
    expect(await redis.call('BF.MADD', 'bf', 'foo', 'bar', 'baz')).toEqual([0, 1, 1]);
    expect(await redis.call('BF.MADD', 'bf', 'foo', 'new1', 'bar')).toEqual([0, 1, 0]);
    expect(await redis.call('BF.EXISTS', 'bf', 'foo')).toBe(1);
    expect(await redis.call('BF.EXISTS', 'bf', 'nonexist')).toBe(0);
    expect(await redis.call('BF.MEXISTS', 'bf', 'nonexist', 'foo', 'new1')).toEqual([0, 1, 1]);
    expect(await redis.call('BF.CARD', 'bf')).toBe(4);
  });

  it('keep binary items apart', async () => {
    expect(await call('BF.MADD', 'bf', 'a\x00b', '\xff\xfe', '')).toEqual([1, 1, 1]);
    expect(await call('BF.MEXISTS', 'bf', 'a\x00b', 'a', '\xff\xfe', '')).toEqual([1, 0, 1, 1]);
  });

  it('answer 0 for a missing key and WRONGTYPE for a key of another type', async () => {
    expect(await redis.call('BF.EXISTS', 'missing', 'foo')).toBe(0);
    expect(await redis.call('BF.MEXISTS', 'missing', 'foo', 'bar', 'baz')).toEqual([0, 0, 0]);
    await redis.set('str', 'foo');
    await expect(redis.call('BF.EXISTS', 'str', 'foo')).rejects.toThrow('WRONGTYPE');
    await expect(redis.call('BF.MEXISTS', 'str', 'foo')).rejects.toThrow('WRONGTYPE');
    expect(await redis.exists('missing')).toBe(0);
  });

  it('refuse to add to a key of another type', async () => {
    await redis.set('str', 'foo');
    const wrongType = error('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(await call('BF.ADD', 'str', 'foo')).toEqual(wrongType);
    expect(await call('BF.MADD', 'str', 'foo')).toEqual(wrongType);
    expect(await redis.get('str')).toBe('foo');
  });

  it('check their arity', async () => {
    for (const [command, args] of [
      ['BF.ADD', ['bf']],
      ['BF.ADD', ['bf', 'a', 'b']],
      ['BF.MADD', ['bf']],
      ['BF.EXISTS', ['bf']],
      ['BF.EXISTS', ['bf', 'a', 'b']],
      ['BF.MEXISTS', ['bf']],
    ] as const) {
      expect(await call(command, ...args)).toEqual(
        error(`ERR wrong number of arguments for '${command.toLowerCase()}' command`),
      );
    }
  });
});

describe('BF.INSERT', () => {
  it('rejects bad options with RedisBloom texts', async () => {
    const arity = "ERR wrong number of arguments for 'bf.insert' command";
    const cases: Array<[string[], string]> = [
      [['NOCREATE', 'ITEMS', 'foo', 'bar'], 'ERR not found'],
      [['DONTEXIST', 'NOCREATE'], 'Unknown argument received'],
      [[], arity],
      [['NOCREATE', 'ITEMS'], arity],
      [['NOCREATE', 'CAPACITY'], arity],
      [['NOCREATE'], arity],
      [['CAPACITY', '0.3'], 'Bad capacity'],
      [['ERROR'], arity],
      [['ERROR', 'big'], 'Bad error rate'],
      [['EXPANSION', 'big'], 'Bad expansion'],
      [['EXPANSION', '0', 'ITEMS', 'foo'], 'Bad argument received'],
      [['ERROR', '1', 'ITEMS', 'foo'], 'Bad argument received'],
      [['CAPACITY', '0', 'ITEMS', 'foo'], 'Bad argument received'],
    ];
    for (const [args, text] of cases) {
      expect(await call('BF.INSERT', 'missingFilter', ...args), args.join(' ')).toEqual(error(text));
    }
    expect(await redis.exists('missingFilter')).toBe(0);
  });

  it('creates the filter with its options, which are ignored once it exists', async () => {
    expect(await redis.call('BF.INSERT', 'bf', 'ERROR', '0.001', 'CAPACITY', '50000', 'EXPANSION', '2', 'ITEMS', 'foo')).toEqual([1]);
    expect(await call('BF.DEBUG', 'bf')).toEqual([
      'size:1',
      'bytes:98880 bits:791040 hashes:11 hashwidth:64 capacity:50000 size:1 ratio:0.0005',
    ]);
    expect(await redis.call('BF.INSERT', 'bf', 'ERROR', '0.1', 'ITEMS', 'foo', 'bar', 'baz')).toEqual([0, 1, 1]);
    expect(await call('BF.INFO', 'bf', 'CAPACITY')).toEqual([50000]);
    expect(await redis.call('BF.INSERT', 'bf', 'NOCREATE', 'ITEMS', 'qux')).toEqual([1]);
  });

  it('tells options apart by their first letters, as RedisBloom does', async () => {
    expect(await call('BF.INSERT', 'bf', 'cap', '3', 'err', '0.1', 'nonsc', 'it', 'a')).toEqual([1]);
    expect(await call('BF.INFO', 'bf')).toEqual([
      'Capacity', 3, 'Size', 104, 'Number of filters', 1, 'Number of items inserted', 1, 'Expansion rate', null,
    ]);
    expect(await call('BF.INSERT', 'grown', 'exp', '4', 'c', '10', 'i', 'a')).toEqual([1]);
    expect(await call('BF.INFO', 'grown', 'expansion')).toEqual([4]);
  });

  it('stops at the first item a full NONSCALING filter refuses, ending the array with the error', async () => {
    expect(await redis.call('BF.INSERT', 'ns', 'CAPACITY', '3', 'NONSCALING', 'ITEMS', 'a', 'b', 'c')).toEqual([1, 1, 1]);
    expect(await call('BF.INSERT', 'ns', 'ITEMS', 'a', 'b', 'c', 'd', 'd')).toEqual([0, 0, 0, error('ERR non scaling filter is full')]);
    expect(await call('BF.MADD', 'ns', 'a', 'x', 'y')).toEqual([0, error('ERR non scaling filter is full')]);
    expect(await redis.call('BF.CARD', 'ns')).toBe(3);
  });

  it('touches WATCHed keys when some items went in before the filter filled', async () => {
    await redis.call('BF.INSERT', 'ns', 'CAPACITY', '2', 'NONSCALING', 'ITEMS', 'a');
    const watcher = new Redis(server.url, { maxRetriesPerRequest: 0, enableReadyCheck: false });
    try {
      await watcher.watch('ns');
      expect(await call('BF.MADD', 'ns', 'b', 'c')).toEqual([1, error('ERR non scaling filter is full')]);
      expect(await watcher.multi().get('ns').exec()).toBeNull();
    } finally {
      watcher.disconnect();
    }
  });
});

describe('BF.INFO, BF.CARD, BF.DEBUG', () => {
  beforeEach(async () => {
    await redis.call('BF.RESERVE', 'bf', '0.001', '100');
  });

  it('BF.INFO answers one field as a one-element array', async () => {
    expect(await call('BF.INFO', 'bf', 'capacity')).toEqual([100]);
    expect(await call('BF.INFO', 'bf', 'SIZE')).toEqual([296]);
    expect(await call('BF.INFO', 'bf', 'Filters')).toEqual([1]);
    expect(await call('BF.INFO', 'bf', 'items')).toEqual([0]);
    expect(await call('BF.INFO', 'bf', 'expansion')).toEqual([2]);
  });

  it('BF.INFO refuses unknown fields, missing keys and other types', async () => {
    expect(await call('BF.INFO', 'bf', 'wrong_value')).toEqual(error('Invalid information value'));
    expect(await call('BF.INFO', 'bf', 'capacity', 'size')).toEqual(error("ERR wrong number of arguments for 'bf.info' command"));
    expect(await call('BF.INFO', 'missing')).toEqual(error('ERR not found'));
    expect(await call('BF.INFO', 'missing', 'bogus')).toEqual(error('ERR not found'));
    await redis.call('CF.ADD', 'cf', 'x');
    expect(await call('BF.INFO', 'cf')).toEqual(error('WRONGTYPE Operation against a key holding the wrong kind of value'));
  });

  it('BF.CARD counts the items added, 0 for a missing key, and refuses other types', async () => {
    expect(await redis.call('BF.CARD', 'not_exist')).toBe(0);
    expect(await redis.call('BF.CARD', 'bf')).toBe(0);
    expect(await redis.call('BF.ADD', 'bf', 'foo')).toBe(1);
    expect(await redis.call('BF.CARD', 'bf')).toBe(1);
    await redis.set('key:string', 'foo');
    await expect(redis.call('BF.CARD', 'key:string')).rejects.toThrow('WRONGTYPE');
    expect(await call('BF.CARD')).toEqual(error("ERR wrong number of arguments for 'bf.card' command"));
  });

  it('BF.DEBUG lists each link with the geometry RedisBloom gives it', async () => {
    await redis.call('BF.RESERVE', 'small', '0.01', '10');
    await redis.call('BF.MADD', 'small', ...Array.from({ length: 100 }, (_, i) => String(i)));
    const card = (await redis.call('BF.CARD', 'small')) as number;
    expect(await call('BF.DEBUG', 'small')).toEqual([
      `size:${card}`,
      'bytes:16 bits:128 hashes:8 hashwidth:64 capacity:10 size:10 ratio:0.005',
      'bytes:32 bits:256 hashes:9 hashwidth:64 capacity:20 size:20 ratio:0.0025',
      'bytes:72 bits:576 hashes:10 hashwidth:64 capacity:40 size:40 ratio:0.00125',
      `bytes:160 bits:1280 hashes:11 hashwidth:64 capacity:80 size:${card - 70} ratio:0.000625`,
    ]);
    expect(await call('BF.DEBUG', 'missing')).toEqual(error('ERR not found'));
  });
});

describe('RESP3', () => {
  let raw3: RawClient;
  beforeAll(async () => {
    raw3 = await RawClient.connect(server.port);
    await raw3.call('HELLO', '3');
  });
  afterAll(async () => {
    await raw3.close();
  });

  it('answers booleans and maps as RedisBloom 2.6 does', async () => {
    expect((await raw3.call('BF.ADD', 'test', 'item')).toString()).toBe('#t\r\n');
    expect((await raw3.call('BF.ADD', 'test', 'item')).toString()).toBe('#f\r\n');
    expect(replyToJs(await raw3.call('BF.CARD', 'test'))).toBe(1);
    expect(replyToJs(await raw3.call('BF.EXISTS', 'test', 'item'))).toBe(true);
    expect(replyToJs(await raw3.call('BF.INFO', 'test'))).toEqual(
      new Map<JsReply, JsReply>([
        ['Capacity', 100], ['Size', 240], ['Number of filters', 1], ['Number of items inserted', 1], ['Expansion rate', 2],
      ]),
    );
    expect(replyToJs(await raw3.call('BF.INSERT', 'test', 'ITEMS', 'item2', 'item3', 'item2'))).toEqual([true, true, false]);
    expect(replyToJs(await raw3.call('BF.MADD', 'test', 'item4', 'item5', 'item2'))).toEqual([true, true, false]);
    expect(replyToJs(await raw3.call('BF.MEXISTS', 'test', 'item4', 'item5', 'item6'))).toEqual([true, true, false]);
    await raw3.call('BF.RESERVE', 'ns', '0.01', '1', 'NONSCALING');
    expect((await raw3.call('BF.INFO', 'ns', 'EXPANSION')).toString()).toBe('*1\r\n_\r\n');
  });
});

describe('keyspace integration', () => {
  it('TYPE, SCAN TYPE, OBJECT ENCODING and WRONGTYPE from the string commands', async () => {
    await redis.call('BF.ADD', 'bf', 'x');
    await redis.set('str', 'y');
    expect(await redis.type('bf')).toBe('MBbloom--');
    expect(await redis.scan('0', 'TYPE', 'MBbloom--')).toEqual(['0', ['bf']]);
    expect(await redis.object('ENCODING', 'bf')).toBe('raw');
    await expect(redis.get('bf')).rejects.toThrow('WRONGTYPE');
    await expect(redis.append('bf', 'z')).rejects.toThrow('WRONGTYPE');
  });

  it('COPY clones: adding to the copy leaves the original alone', async () => {
    await redis.call('BF.MADD', 'orig', 'a', 'b');
    expect(await redis.copy('orig', 'dup')).toBe(1);
    expect(await redis.call('BF.MADD', 'dup', 'c', 'd')).toEqual([1, 1]);
    expect(await redis.call('BF.MEXISTS', 'orig', 'a', 'b', 'c', 'd')).toEqual([1, 1, 0, 0]);
    expect(await redis.call('BF.CARD', 'orig')).toBe(2);
    expect(await redis.call('BF.CARD', 'dup')).toBe(4);
  });

  it('RENAME moves the filter; DEL removes it', async () => {
    await redis.call('BF.ADD', 'a', 'x');
    await redis.rename('a', 'b');
    expect(await redis.call('BF.EXISTS', 'b', 'x')).toBe(1);
    expect(await redis.call('BF.CARD', 'a')).toBe(0);
    expect(await redis.del('b')).toBe(1);
    expect(await redis.call('BF.EXISTS', 'b', 'x')).toBe(0);
  });

  it('an expired filter is gone for every BF command', async () => {
    await redis.call('BF.RESERVE', 'bf', '0.01', '1000');
    await redis.call('BF.ADD', 'bf', 'x');
    expect(await redis.expire('bf', 10)).toBe(1);
    clock.advance(10_001);
    expect(await redis.call('BF.EXISTS', 'bf', 'x')).toBe(0);
    expect(await call('BF.INFO', 'bf')).toEqual(error('ERR not found'));
    expect(await redis.call('BF.ADD', 'bf', 'y')).toBe(1);
    expect(await call('BF.INFO', 'bf', 'CAPACITY')).toEqual([100]);
    expect(await redis.ttl('bf')).toBe(-1);
  });

  it('runs inside MULTI/EXEC', async () => {
    const results = await redis.multi().call('BF.ADD', 'bf', 'x').call('BF.EXISTS', 'bf', 'x').call('BF.CARD', 'bf').exec();
    expect(results).toEqual([[null, 1], [null, 1], [null, 1]]);
  });
});

describe('false positives, measured through the server', () => {
  // Each test checks n non-members against a filter filled from a fixed
  // seed. The bound is the requested rate plus three standard deviations of
  // a binomial at that rate over n trials: a correct filter (whose real rate
  // is about half the requested one, as RedisBloom tightens the first link)
  // stays far below it, while a broken one (too few bits or hashes) exceeds
  // it at once.
  const bound = (rate: number, n: number) => rate + 3 * Math.sqrt((rate * (1 - rate)) / n);

  it('stays within the requested rate at capacity, with no false negatives', async () => {
    const { members, others } = itemSets(FIXED_SEED, 5_000, 20_000);
    await redis.call('BF.RESERVE', 'bf', '0.01', '5000');
    expect((await batched('BF.MADD', 'bf', members)).filter((added) => added === 1).length).toBeGreaterThan(4_900);
    expect(await call('BF.INFO', 'bf', 'FILTERS')).toEqual([1]);
    expect((await batched('BF.MEXISTS', 'bf', members)).every((found) => found === 1)).toBe(true);
    const falsePositives = (await batched('BF.MEXISTS', 'bf', others)).filter((found) => found === 1).length;
    expect(falsePositives / others.length).toBeLessThanOrEqual(bound(0.01, others.length));
  });

  it('keeps the rate when scaled to 10x its initial capacity', async () => {
    const { members, others } = itemSets(FIXED_SEED + 1, 10_000, 20_000);
    await redis.call('BF.RESERVE', 'bf', '0.01', '1000');
    await batched('BF.MADD', 'bf', members);
    // 1000 + 2000 + 4000 + 8000 links hold 10 000 items.
    expect(await call('BF.INFO', 'bf', 'FILTERS')).toEqual([4]);
    expect((await batched('BF.MEXISTS', 'bf', members)).every((found) => found === 1)).toBe(true);
    const falsePositives = (await batched('BF.MEXISTS', 'bf', others)).filter((found) => found === 1).length;
    expect(falsePositives / others.length).toBeLessThanOrEqual(bound(0.01, others.length));
  });
});

describe('BF.SCANDUMP and BF.LOADCHUNK', () => {
  it('reject bad calls with RedisBloom texts', async () => {
    await redis.call('BF.RESERVE', 'bf', '0.1', '4');
    await redis.set('str', 'x');
    expect(await call('BF.SCANDUMP', 'bf')).toEqual(error("ERR wrong number of arguments for 'bf.scandump' command"));
    expect(await call('BF.SCANDUMP', 'bf', 'str')).toEqual(error('Second argument must be numeric'));
    expect(await call('BF.SCANDUMP', 'noexist', '0')).toEqual(error('ERR not found'));
    expect(await call('BF.SCANDUMP', 'str', '0')).toEqual(error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(await call('BF.LOADCHUNK', 'bf', 'str', 'data')).toEqual(error('ERR Second argument must be numeric'));
    expect(await call('BF.LOADCHUNK', 'missing', '5', 'data')).toEqual(error('ERR not found'));
    expect(await call('BF.LOADCHUNK', 'missing', '1', 'not a header')).toEqual(error('ERR received bad data'));
    expect(await call('BF.LOADCHUNK', 'str', '1', 'x')).toEqual(error('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(await call('BF.LOADCHUNK', 'bf', '4', 'kdoasdksaodsadsadsadsadsadadsadadsdad')).toEqual(error('ERR received bad data'));
    expect(await call('BF.LOADCHUNK', 'bf', '1000000', '1')).toEqual(error('ERR invalid offset - no link found'));
    expect(await call('BF.LOADCHUNK', 'bf', '101', 'x'.repeat(100))).toEqual(error('ERR invalid chunk - Too big for current filter'));
    // A header sent to an existing filter is a chunk that does not fit.
    const [, header] = (await call('BF.SCANDUMP', 'bf', '0')) as [number, string];
    expect(await call('BF.LOADCHUNK', 'bf', '1', header)).toEqual(error('ERR received bad data'));
    expect(await redis.exists('missing')).toBe(0);
  });

  it('end with iterator 0 and an empty chunk', async () => {
    await redis.call('BF.RESERVE', 'bf', '0.01', '10');
    const [next, header] = (await call('BF.SCANDUMP', 'bf', '0')) as [number, string];
    expect(next).toBe(1);
    expect(header.length).toBeGreaterThan(0);
    const [after, chunk] = (await call('BF.SCANDUMP', 'bf', '1')) as [number, string];
    expect([after, chunk.length]).toEqual([17, 16]);
    expect(await call('BF.SCANDUMP', 'bf', String(after))).toEqual([0, '']);
  });

  it('carry a filter to another server, which then answers identically', async () => {
    const target = await startServer({ port: 0 });
    const other = new Redis(target.url, { maxRetriesPerRequest: 0, enableReadyCheck: false });
    try {
      const { members, others } = itemSets(FIXED_SEED + 2, 3_000, 5_000);
      await redis.call('BF.RESERVE', 'bf', '0.01', '500', 'EXPANSION', '2');
      await batched('BF.MADD', 'bf', members);
      let iterator = 0;
      for (;;) {
        const [next, data] = (await redis.callBuffer('BF.SCANDUMP', 'bf', String(iterator))) as [number, Buffer];
        if (next === 0) break;
        expect(await other.call('BF.LOADCHUNK', 'bf', String(next), data)).toBe('OK');
        iterator = next;
      }
      expect(await other.call('BF.INFO', 'bf')).toEqual(await redis.call('BF.INFO', 'bf'));
      expect(await other.call('BF.DEBUG', 'bf')).toEqual(await redis.call('BF.DEBUG', 'bf'));
      const probe = [...members, ...others];
      expect(await other.call('BF.MEXISTS', 'bf', ...probe)).toEqual(await redis.call('BF.MEXISTS', 'bf', ...probe));
      expect((await other.call('BF.MEXISTS', 'bf', ...members)) as number[]).not.toContain(0);
    } finally {
      other.disconnect();
      await target.close();
    }
  });
});

describe('node-redis with @redis/bloom', () => {
  it('drives every BF command and parses the replies', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      expect(await client.bf.reserve('bf', 0.01, 1000, { EXPANSION: 4 })).toBe('OK');
      expect(await client.bf.add('bf', 'a')).toBe(true);
      expect(await client.bf.add('bf', 'a')).toBe(false);
      expect(await client.bf.mAdd('bf', ['a', 'b', 'c'])).toEqual([false, true, true]);
      expect(await client.bf.exists('bf', 'b')).toBe(true);
      expect(await client.bf.exists('bf', 'zzz')).toBe(false);
      expect(await client.bf.mExists('bf', ['a', 'zzz'])).toEqual([true, false]);
      expect(await client.bf.card('bf')).toBe(3);
      expect(await client.bf.info('bf')).toEqual({
        Capacity: 1000, Size: 1480, 'Number of filters': 1, 'Number of items inserted': 3, 'Expansion rate': 4,
      });
      expect(await client.bf.insert('ins', ['x', 'y'], { CAPACITY: 10, ERROR: 0.1, NONSCALING: true })).toEqual([true, true]);
      expect((await client.bf.info('ins'))['Expansion rate']).toBeNull();
      await expect(client.bf.insert('none', ['x'], { NOCREATE: true })).rejects.toThrow('ERR not found');
      await expect(client.bf.reserve('bf', 0.01, 10)).rejects.toThrow('ERR item exists');
    } finally {
      await client.quit();
    }
  });

  it('round-trips SCANDUMP/LOADCHUNK with binary chunks', async () => {
    const client = createClient({ url: server.url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    await client.connect();
    try {
      const { members, others } = itemSets(FIXED_SEED + 3, 300, 300);
      await client.bf.reserve('src', 0.01, 100);
      await client.bf.mAdd('src', members);
      let iterator = 0;
      for (;;) {
        const { iterator: next, chunk } = await client.bf.scanDump('src', iterator);
        if (next === 0) break;
        expect(String(await client.bf.loadChunk('dst', next, chunk))).toBe('OK');
        iterator = next;
      }
      expect(await client.bf.mExists('dst', members)).not.toContain(false);
      expect(await client.bf.mExists('dst', others)).toEqual(await client.bf.mExists('src', others));
    } finally {
      await client.quit();
    }
  });

  it('works over RESP3 too', async () => {
    const client = createClient({ url: server.url, RESP: 3 });
    await client.connect();
    try {
      expect(await client.bf.add('bf', 'a')).toBe(true);
      expect(await client.bf.mExists('bf', ['a', 'b'])).toEqual([true, false]);
      expect(await client.bf.info('bf')).toEqual({
        Capacity: 100, Size: 240, 'Number of filters': 1, 'Number of items inserted': 1, 'Expansion rate': 2,
      });
    } finally {
      await client.quit();
    }
  });
});
