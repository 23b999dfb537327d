/**
 * The CF.* commands through real sockets: ioredis `call` for values, a raw
 * client for exact replies (texts without "ERR", RESP3 booleans), and
 * node-redis's @redis/bloom. Expected texts and numbers are RedisBloom's
 * (rebloom.c and tests/flow/test_cuckoo.py, test_resp3.py).
 */
import { Redis } from 'ioredis';
import { createClient, RESP_TYPES } from 'redis';
import { beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
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

function items(prefix: string, count: number, seed: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => `${prefix}:${i}:${rng.string(8)}`);
}

async function batched(command: string, key: string, list: readonly string[], prefix: string[] = []): Promise<number[]> {
  const pipeline = redis.pipeline();
  for (let i = 0; i < list.length; i += 1000) pipeline.call(command, key, ...prefix, ...list.slice(i, i + 1000));
  return (await pipeline.exec())!.flatMap(([err, value]) => {
    if (err) throw err;
    return value as number[];
  });
}

describe('CF.RESERVE', () => {
  it('creates an empty filter that CF.INFO describes as RedisBloom does', async () => {
    expect(await redis.call('CF.RESERVE', 'a', '1000')).toBe('OK');
    expect(await call('CF.INFO', 'a')).toEqual([
      'Size', 1080, 'Number of buckets', 512, 'Number of filters', 1, 'Number of items inserted', 0,
      'Number of items deleted', 0, 'Bucket size', 2, 'Expansion rate', 1, 'Max iterations', 20,
    ]);
    expect(await call('CF.RESERVE', 'b', '10', 'MAXITERATIONS', '10')).toBe('OK');
    expect(await call('CF.DEBUG', 'b')).toBe('bktsize:2 buckets:8 items:0 deletes:0 filters:1 max_iterations:10 expansion:1');
    expect(await call('CF.RESERVE', 'c', '1020', 'BUCKETSIZE', '255', 'MAXITERATIONS', '65535', 'EXPANSION', '32768')).toBe('OK');
    expect(await call('CF.DEBUG', 'c')).toBe('bktsize:255 buckets:4 items:0 deletes:0 filters:1 max_iterations:65535 expansion:32768');
  });

  it('rejects bad arguments with RedisBloom texts', async () => {
    const arity = "ERR wrong number of arguments for 'cf.reserve' command";
    const cases: Array<[string[], string]> = [
      [[], arity],
      [['10', 'EXPANSION'], arity],
      [['10', 'BUCKETSIZE'], arity],
      [['str'], 'Bad capacity'],
      [['1'], 'Capacity must be at least (BucketSize * 2)'],
      [['10', 'BUCKETSIZE', '6'], 'Capacity must be at least (BucketSize * 2)'],
      [['10', 'BUCKETSIZE', 'string'], "Couldn't parse BUCKETSIZE"],
      [['10', 'BUCKETSIZE', '0'], 'BUCKETSIZE: value must be an integer between 1 and 255, inclusive.'],
      [['100', 'BUCKETSIZE', '33554432'], 'BUCKETSIZE: value must be an integer between 1 and 255, inclusive.'],
      [['10', 'MAXITERATIONS', 'string'], "Couldn't parse MAXITERATIONS"],
      [['10', 'MAXITERATIONS', '-1'], 'MAXITERATIONS: value must be an integer between 1 and 65535, inclusive.'],
      [['100', 'MAXITERATIONS', '165536'], 'MAXITERATIONS: value must be an integer between 1 and 65535, inclusive.'],
      [['10', 'EXPANSION', 'string'], "Couldn't parse EXPANSION"],
      [['10', 'EXPANSION', '-1'], 'EXPANSION: value must be an integer between 0 and 32768, inclusive.'],
      [['100', 'EXPANSION', '327695'], 'EXPANSION: value must be an integer between 0 and 32768, inclusive.'],
      [[String(2 ** 40)], "Couldn't create Cuckoo Filter"],
    ];
    for (const [args, text] of cases) expect(await call('CF.RESERVE', 'err', ...args), args.join(' ')).toEqual(error(text));
    expect(await redis.exists('err')).toBe(0);
  });

  it('refuses an existing key, and one of another type', async () => {
    await redis.call('CF.RESERVE', 'cf', '1000');
    expect(await call('CF.RESERVE', 'cf', '1000')).toEqual(error('ERR item exists'));
    await redis.call('BF.ADD', 'bf', 'x');
    expect(await call('CF.RESERVE', 'bf', '1000')).toEqual(wrongType);
  });
});

describe('CF.ADD, CF.ADDNX, CF.COUNT, CF.DEL', () => {
  it('count copies and delete one at a time', async () => {
    expect(await redis.call('CF.EXISTS', 'cf', 'k1')).toBe(0);
    expect(await redis.call('CF.ADD', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.ADD', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.EXISTS', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.COUNT', 'cf', 'k1')).toBe(2);
    expect(await redis.call('CF.DEL', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.COUNT', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.DEL', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.COUNT', 'cf', 'k1')).toBe(0);
    expect(await redis.call('CF.DEL', 'cf', 'k1')).toBe(0);
    expect(await call('CF.INFO', 'cf')).toEqual([
      'Size', 1080, 'Number of buckets', 512, 'Number of filters', 1, 'Number of items inserted', 0,
      'Number of items deleted', 2, 'Bucket size', 2, 'Expansion rate', 1, 'Max iterations', 20,
    ]);
  });

  it('CF.ADDNX adds only what is not there', async () => {
    expect(await redis.call('CF.ADDNX', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.ADDNX', 'cf', 'k1')).toBe(0);
    expect(await redis.call('CF.COUNT', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.ADD', 'cf', 'k1')).toBe(1);
    expect(await redis.call('CF.COUNT', 'cf', 'k1')).toBe(2);
  });

  it('answer 0 for missing keys and WRONGTYPE for keys of other types', async () => {
    await redis.set('str', 'x');
    expect(await redis.call('CF.EXISTS', 'missing', 'blah')).toBe(0);
    expect(await redis.call('CF.MEXISTS', 'missing', 'blah')).toEqual([0]);
    expect(await redis.call('CF.COUNT', 'missing', 'blah')).toBe(0);
    expect(await call('CF.EXISTS', 'str', 'x')).toEqual(wrongType);
    expect(await call('CF.MEXISTS', 'str', 'x')).toEqual(wrongType);
    expect(await call('CF.COUNT', 'str', 'x')).toEqual(wrongType);
    expect(await call('CF.ADD', 'str', 'x')).toEqual(wrongType);
    expect(await call('CF.ADDNX', 'str', 'x')).toEqual(wrongType);
    expect(await call('CF.INSERT', 'str', 'ITEMS', 'x')).toEqual(wrongType);
    expect(await call('CF.DEL', 'missing', 'x')).toEqual(error('Not found'));
    expect(await call('CF.DEL', 'str', 'x')).toEqual(wrongType);
    expect(await redis.exists('missing')).toBe(0);
  });

  it('check their arity', async () => {
    for (const [command, args] of [
      ['CF.ADD', ['cf']], ['CF.ADDNX', ['cf']], ['CF.DEL', ['cf']], ['CF.EXISTS', ['cf']],
      ['CF.MEXISTS', ['cf']], ['CF.COUNT', ['cf']], ['CF.INFO', []], ['CF.SCANDUMP', ['cf']],
      ['CF.LOADCHUNK', ['cf', 'iterator']], ['CF.ADD', ['cf', 'a', 'b']],
    ] as const) {
      expect(await call(command, ...args)).toEqual(error(`ERR wrong number of arguments for '${command.toLowerCase()}' command`));
    }
  });
});

describe('CF.INSERT, CF.INSERTNX', () => {
  it('create a filter of the default capacity, like CF.ADD', async () => {
    expect(await redis.call('CF.ADD', 'f1', 'foo')).toBe(1);
    expect(await redis.call('CF.INSERT', 'f2', 'ITEMS', 'foo')).toEqual([1]);
    expect(await call('CF.DEBUG', 'f1')).toBe('bktsize:2 buckets:512 items:1 deletes:0 filters:1 max_iterations:20 expansion:1');
    expect(await call('CF.DEBUG', 'f2')).toEqual(await call('CF.DEBUG', 'f1'));
    expect(await redis.call('CF.INSERTNX', 'f1', 'items', 'foo')).toEqual([0]);
  });

  it('take CAPACITY for a new filter, and NOCREATE', async () => {
    expect(await redis.call('CF.INSERT', 'f3', 'CAPACITY', '10000', 'ITEMS', 'foo')).toEqual([1]);
    expect(await call('CF.DEBUG', 'f3')).toBe('bktsize:2 buckets:8192 items:1 deletes:0 filters:1 max_iterations:20 expansion:1');
    expect(await redis.call('CF.INSERTNX', 'f3', 'ITEMS', 'foo', 'bar', 'baz')).toEqual([0, 1, 1]);
    expect(await call('CF.INSERT', 'f4', 'nocreate', 'items', 'foo')).toEqual(error('ERR not found'));
    expect(await redis.call('CF.INSERT', 'f4', 'items', 'foo')).toEqual([1]);
    expect(await redis.call('CF.INSERT', 'f4', 'nocreate', 'items', 'foo')).toEqual([1]);
  });

  it('reject bad options with RedisBloom texts', async () => {
    for (const command of ['CF.INSERT', 'CF.INSERTNX']) {
      const arity = `ERR wrong number of arguments for '${command.toLowerCase()}' command`;
      const cases: Array<[string[], string]> = [
        [[], arity],
        [['NOCREATE', 'CAPACITY'], arity],
        [['NOCREATE', 'ITEMS'], arity],
        [['NOCREATE', 'CAPACITY', 'str'], 'Bad capacity'],
        [['CAPACITY', '-1', 'ITEMS', 'k0'], 'Capacity must be at least (BucketSize * 2)'],
        [['CAPACITY', '3', 'ITEMS', 'k0'], 'Capacity must be at least (BucketSize * 2)'],
        [['NOCREATE', 'DONTEXIST'], 'Unknown argument received'],
        [['element'], arity],
        [['element', 'x'], 'Unknown argument received'],
      ];
      for (const [args, text] of cases) expect(await call(command, 'f', ...args), `${command} ${args.join(' ')}`).toEqual(error(text));
    }
    expect(await redis.exists('f')).toBe(0);
  });
});

describe('a full filter and the expansion limit', () => {
  it('EXPANSION 0 fills up: CF.ADD errors, CF.INSERT answers -1', async () => {
    await redis.call('CF.RESERVE', 'a', '4', 'EXPANSION', '0');
    for (const item of ['1', '2', '3', '4']) expect(await redis.call('CF.ADD', 'a', item)).toBe(1);
    expect(await redis.call('CF.INSERT', 'a', 'ITEMS', '5', '6')).toEqual([-1, -1]);
    expect(await redis.call('CF.INSERTNX', 'a', 'ITEMS', '1', '7')).toEqual([0, -1]);
    expect(await call('CF.ADD', 'a', '7')).toEqual(error('Filter is full'));
    expect(await redis.call('CF.MEXISTS', 'a', '1', '2', '3', '4')).toEqual([1, 1, 1, 1]);
  });

  it('stops taking items once the filter has 32 sub-filters', async () => {
    await redis.call('CF.RESERVE', 'cf', '4');
    let added = 0;
    let last: JsReply = null;
    while (added < 1000) {
      last = await call('CF.ADD', 'cf', String(added));
      if (last !== 1) break;
      added++;
    }
    expect(last).toEqual(error('Maximum expansions reached'));
    expect(await call('CF.INFO', 'cf')).toContain(32);
    expect(added).toBeGreaterThan(100);
    expect(await call('CF.INSERT', 'cf', 'ITEMS', 'x')).toEqual(error('Maximum expansions reached'));
    expect(await batched('CF.MEXISTS', 'cf', Array.from({ length: added }, (_, i) => String(i)))).not.toContain(0);
  });
});

describe('CF.COMPACT', () => {
  it('drops emptied sub-filters and keeps every remaining item', async () => {
    await redis.call('CF.RESERVE', 'cf', '8', 'MAXITERATIONS', '50');
    const all = Array.from({ length: 100 }, (_, i) => String(i));
    await redis.call('CF.INSERT', 'cf', 'ITEMS', ...all);
    const filtersBefore = ((await call('CF.INFO', 'cf')) as number[])[5]!;
    for (const item of all.slice(0, 80)) expect(await redis.call('CF.DEL', 'cf', item)).toBe(1);
    expect(await redis.call('CF.COMPACT', 'cf')).toBe('OK');
    const info = (await call('CF.INFO', 'cf')) as number[];
    expect(info[5]).toBeLessThan(filtersBefore);
    expect(info[9]).toBe(0);
    expect(await redis.call('CF.MEXISTS', 'cf', ...all.slice(80))).not.toContain(0);
    expect(await call('CF.COMPACT', 'a')).toEqual(error('Cuckoo filter was not found'));
    expect(await call('CF.COMPACT', 'a', 'b')).toEqual(error("ERR wrong number of arguments for 'cf.compact' command"));
  });
});

describe('CF.INFO', () => {
  it('refuses missing keys and other types', async () => {
    expect(await call('CF.INFO', 'missing')).toEqual(error('ERR not found'));
    await redis.call('BF.ADD', 'bf', 'x');
    expect(await call('CF.INFO', 'bf')).toEqual(wrongType);
  });
});

describe('RESP3', () => {
  it('answers booleans, except CF.INSERTNX integers, as RedisBloom 2.6 does', async () => {
    const raw3 = await RawClient.connect(server.port);
    try {
      await raw3.call('HELLO', '3');
      const r = async (...args: string[]) => replyToJs(await raw3.call(...args));
      // RedisBloom's own test uses capacity 9 (4 buckets); which items fit
      // that tightly depends on the hash, so this one leaves room.
      expect(await r('CF.RESERVE', 'a', '64', 'EXPANSION', '0')).toBe('OK');
      expect(await r('CF.ADD', 'a', '3')).toBe(true);
      expect(await r('CF.ADD', 'a', '4')).toBe(true);
      expect(await r('CF.ADDNX', 'a', '4')).toBe(false);
      expect(await r('CF.ADDNX', 'a', '9')).toBe(true);
      expect(await r('CF.INSERT', 'a', 'ITEMS', '4', '5')).toEqual([true, true]);
      expect(await r('CF.INSERTNX', 'a', 'ITEMS', '4', '6')).toEqual([0, 1]);
      expect(await r('CF.DEL', 'a', '3')).toBe(true);
      expect(await r('CF.DEL', 'a', '3')).toBe(false);
      expect(await r('CF.EXISTS', 'a', '3')).toBe(false);
      expect(await r('CF.EXISTS', 'a', '4')).toBe(true);
      expect(await r('CF.MEXISTS', 'a', '4', '3')).toEqual([true, false]);
      expect(await r('CF.INFO', 'a')).toEqual(
        new Map<JsReply, JsReply>([
          ['Size', 120], ['Number of buckets', 32], ['Number of filters', 1], ['Number of items inserted', 5],
          ['Number of items deleted', 1], ['Bucket size', 2], ['Expansion rate', 0], ['Max iterations', 20],
        ]),
      );
      expect((await raw3.call('CF.SCANDUMP', 'missing', '0')).toString()).toBe('-ERR not found\r\n');
    } finally {
      await raw3.close();
    }
  });
});

describe('keyspace integration', () => {
  it('TYPE, SCAN TYPE and WRONGTYPE from the string commands', async () => {
    await redis.call('CF.ADD', 'cf', 'x');
    expect(await redis.type('cf')).toBe('MBbloomCF');
    expect(await redis.scan('0', 'TYPE', 'MBbloomCF')).toEqual(['0', ['cf']]);
    await expect(redis.get('cf')).rejects.toThrow('WRONGTYPE');
    await expect(redis.call('BF.ADD', 'cf', 'x')).rejects.toThrow('WRONGTYPE');
  });

  it('COPY clones: deleting from the copy leaves the original alone', async () => {
    await redis.call('CF.INSERT', 'orig', 'ITEMS', 'a', 'b');
    await redis.copy('orig', 'dup');
    expect(await redis.call('CF.DEL', 'dup', 'a')).toBe(1);
    expect(await redis.call('CF.ADD', 'dup', 'c')).toBe(1);
    expect(await redis.call('CF.MEXISTS', 'orig', 'a', 'b', 'c')).toEqual([1, 1, 0]);
    expect(await redis.call('CF.MEXISTS', 'dup', 'a', 'b', 'c')).toEqual([0, 1, 1]);
  });
});

describe('membership, measured through the server', () => {
  it('has no false negatives until an item is deleted, and few false positives', async () => {
    const members = items('member', 4_000, FIXED_SEED);
    const others = items('other', 20_000, FIXED_SEED + 1);
    await redis.call('CF.RESERVE', 'cf', '2000');
    expect(await batched('CF.INSERT', 'cf', members, ['ITEMS'])).not.toContain(-1);
    expect(await batched('CF.MEXISTS', 'cf', members)).not.toContain(0);
    const info = (await call('CF.INFO', 'cf')) as number[];
    const filters = info[5]!;
    // An 8-bit fingerprint matches a foreign one with probability 1/255; a
    // lookup compares it with the 2 buckets × 2 slots of every sub-filter,
    // so the rate is at most 4 × filters / 255, plus 3 standard deviations.
    const rate = (4 * filters) / 255;
    const falsePositives = (await batched('CF.MEXISTS', 'cf', others)).filter((found) => found === 1).length;
    expect(falsePositives / others.length).toBeLessThanOrEqual(rate + 3 * Math.sqrt((rate * (1 - rate)) / others.length));

    const deleted = members.slice(0, 2_000);
    const kept = members.slice(2_000);
    for (let i = 0; i < deleted.length; i += 500) {
      const pipeline = redis.pipeline();
      for (const item of deleted.slice(i, i + 500)) pipeline.call('CF.DEL', 'cf', item);
      for (const [err, value] of (await pipeline.exec())!) expect([err, value]).toEqual([null, 1]);
    }
    expect(await batched('CF.MEXISTS', 'cf', kept)).not.toContain(0);
    const stillFound = (await batched('CF.MEXISTS', 'cf', deleted)).filter((found) => found === 1).length;
    expect(stillFound / deleted.length).toBeLessThanOrEqual(rate + 3 * Math.sqrt((rate * (1 - rate)) / deleted.length));
  });
});

describe('CF.SCANDUMP and CF.LOADCHUNK', () => {
  it('reject bad calls with RedisBloom texts', async () => {
    await redis.call('CF.RESERVE', 'cf', '4');
    expect(await call('CF.SCANDUMP', 'cf', '0')).toEqual([0, null]);
    expect(await call('CF.SCANDUMP', 'cf', 'str')).toEqual(error('Invalid position'));
    expect(await call('CF.SCANDUMP', 'noexist', '0')).toEqual(error('ERR not found'));
    expect(await call('CF.LOADCHUNK', 'cf', 'str', 'x')).toEqual(error('Invalid position'));
    expect(await call('CF.LOADCHUNK', 'cf', '0', 'x')).toEqual(error('Invalid position'));
    expect(await call('CF.LOADCHUNK', 'cf', '-9223372036854775808', '1')).toEqual(error('Invalid position'));
    expect(await call('CF.LOADCHUNK', 'cf', '4', 'kdoasdksaodsadsadsadsadsadadsadadsdad')).toEqual(error("Couldn't load chunk!"));
    expect(await call('CF.LOADCHUNK', 'cf', '4', 'abcd')).toEqual(error("Couldn't load chunk!"));
    expect(await call('CF.LOADCHUNK', 'cf', '1', 'header')).toEqual(error('ERR item exists'));
    expect(await call('CF.LOADCHUNK', 'new', '1', 'not a header')).toEqual(error('Invalid header'));
    expect(await call('CF.LOADCHUNK', 'new', '5', 'data')).toEqual(error('ERR not found'));
    await redis.call('CF.ADD', 'cf', 'x');
    expect(await call('CF.SCANDUMP', 'cf', '-1')).toEqual(error('Invalid position'));
    expect(await redis.exists('new')).toBe(0);
  });

  it('carry a filter to another server, which then answers identically', async () => {
    const target = await startServer({ port: 0 });
    const other = new Redis(target.url, { maxRetriesPerRequest: 0, enableReadyCheck: false });
    try {
      const members = items('member', 500, FIXED_SEED + 2);
      const others = items('other', 2_000, FIXED_SEED + 3);
      await redis.call('CF.RESERVE', 'cf', '62', 'EXPANSION', '2');
      await redis.call('CF.INSERT', 'cf', 'ITEMS', ...members);
      await redis.call('CF.DEL', 'cf', members[0]!);
      let iterator = 0;
      for (;;) {
        const [next, data] = (await redis.callBuffer('CF.SCANDUMP', 'cf', String(iterator))) as [number, Buffer | null];
        if (next === 0) break;
        expect(await other.call('CF.LOADCHUNK', 'cf', String(next), data!)).toBe('OK');
        iterator = next;
      }
      expect(await other.call('CF.INFO', 'cf')).toEqual(await redis.call('CF.INFO', 'cf'));
      const probe = [...members, ...others];
      expect(await other.call('CF.MEXISTS', 'cf', ...probe)).toEqual(await redis.call('CF.MEXISTS', 'cf', ...probe));
      expect(await other.call('CF.MEXISTS', 'cf', ...members.slice(1))).not.toContain(0);
    } finally {
      other.disconnect();
      await target.close();
    }
  });
});

describe('node-redis with @redis/bloom', () => {
  it('drives every CF command and parses the replies', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      expect(await client.cf.reserve('cf', 1000, { BUCKETSIZE: 4, MAXITERATIONS: 30, EXPANSION: 2 })).toBe('OK');
      expect(await client.cf.add('cf', 'a')).toBe(true);
      expect(await client.cf.addNX('cf', 'a')).toBe(false);
      expect(await client.cf.addNX('cf', 'b')).toBe(true);
      expect(await client.cf.insert('cf', ['c', 'd'], { NOCREATE: true })).toEqual([true, true]);
      expect(await client.cf.insertNX('cf', ['c', 'e'])).toEqual([false, true]);
      expect(await client.cf.exists('cf', 'e')).toBe(true);
      expect(await client.cf.count('cf', 'a')).toBe(1);
      expect(await client.cf.del('cf', 'a')).toBe(true);
      expect(await client.cf.exists('cf', 'a')).toBe(false);
      expect(await client.cf.info('cf')).toEqual({
        Size: 1080, 'Number of buckets': 256, 'Number of filters': 1, 'Number of items inserted': 4,
        'Number of items deleted': 1, 'Bucket size': 4, 'Expansion rate': 2, 'Max iterations': 30,
      });
      await expect(client.cf.insert('none', ['x'], { NOCREATE: true })).rejects.toThrow('ERR not found');
      await expect(client.cf.del('none', 'x')).rejects.toThrow('Not found');
    } finally {
      await client.quit();
    }
  });

  it('round-trips SCANDUMP/LOADCHUNK with binary chunks', async () => {
    const client = createClient({ url: server.url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    await client.connect();
    try {
      const members = items('member', 300, FIXED_SEED + 4);
      await client.cf.reserve('src', 100, { EXPANSION: 2 });
      await client.cf.insert('src', members);
      let iterator = 0;
      for (;;) {
        const { iterator: next, chunk } = await client.cf.scanDump('src', iterator);
        if (next === 0) break;
        expect(String(await client.cf.loadChunk('dst', next, chunk!))).toBe('OK');
        iterator = next;
      }
      for (const item of members) expect(await client.cf.exists('dst', item)).toBe(true);
    } finally {
      await client.quit();
    }
  });
});
