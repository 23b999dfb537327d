/**
 * The used-memory figure and MEMORY through the wire: the figure follows
 * every kind of change and comes back to where it started when the keys
 * go (no drift), MEMORY STATS and INFO memory agree with each other, lazy
 * free's counters, and redis-cli --memkeys / --bigkeys read real numbers.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient, replyToJs } from '../helpers/resp-client.js';

const run = promisify(execFile);
let running: RunningServer;
let c: RawClient;

beforeAll(async () => {
  running = await startServer({ port: 0 });
  c = await RawClient.connect(running.port);
});
afterAll(async () => {
  await c.close();
  await running.close();
});
beforeEach(async () => {
  await c.call('FLUSHALL');
});

async function memoryInfo(): Promise<Map<string, string>> {
  const text = (await c.call('INFO', 'memory')).toString('latin1');
  return new Map(text.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':') as [string, string]));
}

async function used(): Promise<number> {
  return Number((await memoryInfo()).get('used_memory'));
}

describe('the used-memory figure', () => {
  it('follows writes of every type and comes back exactly when the keys are deleted', async () => {
    const empty = await used();
    await c.call('SET', 'string', 'x'.repeat(1000));
    const afterString = await used();
    // A 1000-byte raw string: 16 + 1024 (sds), the key's 8-byte sds, a 32-byte dictEntry, a 4-slot bucket table.
    expect(afterString - empty).toBe(16 + 1024 + 8 + 32 + 32);
    for (let i = 0; i < 300; i++) {
      await c.call('RPUSH', 'list', `element:${i}`);
      await c.call('SADD', 'set', `member:${i}`);
      await c.call('HSET', 'hash', `field:${i}`, `value:${i}`);
      await c.call('ZADD', 'zset', String(i), `member:${i}`);
      await c.call('XADD', 'stream', '*', 'field', String(i));
    }
    await c.call('APPEND', 'string', 'more');
    await c.call('SETRANGE', 'string', '2000', 'y');
    await c.call('INCR', 'counter');
    await c.call('PFADD', 'hll', 'a', 'b', 'c');
    await c.call('SETBIT', 'bits', '10000', '1');
    await c.call('BF.ADD', 'bloom', 'item');
    await c.call('EXPIRE', 'list', '1000');
    await c.call('COPY', 'hash', 'hash-copy');
    await c.call('RENAME', 'zset', 'zset-renamed');
    const full = await used();
    expect(full).toBeGreaterThan(afterString + 300 * 5 * 10);
    // Removals by every path: pops, trims, removals, deletes, expiry.
    await c.call('LTRIM', 'list', '0', '9');
    await c.call('SPOP', 'set', '100');
    await c.call('HDEL', 'hash', 'field:1', 'field:2');
    await c.call('ZREMRANGEBYRANK', 'zset-renamed', '0', '99');
    await c.call('XTRIM', 'stream', 'MAXLEN', '10');
    expect(await used()).toBeLessThan(full);
    await c.call('PEXPIRE', 'set', '1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await c.call('GET', 'set');
    await c.call('UNLINK', 'hash-copy');
    await c.call('DEL', 'string', 'list', 'hash', 'zset-renamed', 'stream', 'counter', 'hll', 'bits', 'bloom');
    expect(await c.call('DBSIZE')).toEqual(Buffer.from(':0\r\n'));
    expect(await used()).toBe(empty);
  });

  it('INFO memory and MEMORY STATS agree, and the figures are consistent', async () => {
    for (let i = 0; i < 100; i++) await c.call('SET', `key:${i}`, `value:${i}`, 'EX', '1000');
    const info = await memoryInfo();
    const total = Number(info.get('used_memory'));
    expect(info.get('used_memory_human')).toMatch(/^\d+\.\d\d[KM]$/);
    expect(Number(info.get('used_memory_peak'))).toBeGreaterThanOrEqual(total);
    expect(Number(info.get('used_memory_overhead')) + Number(info.get('used_memory_dataset'))).toBe(total);
    expect(Number(info.get('used_memory_startup'))).toBeLessThan(total);
    expect(info.get('maxmemory')).toBe('0');
    expect(info.get('lazyfree_pending_objects')).toBe('0');
    const rss = Number(info.get('used_memory_rss'));
    expect(Number(info.get('mem_fragmentation_ratio'))).toBeCloseTo(rss / total, 1);
    const stats = replyToJs(await c.call('MEMORY', 'STATS')) as unknown[];
    const map = new Map<string, unknown>();
    for (let i = 0; i < stats.length; i += 2) map.set(stats[i] as string, stats[i + 1]);
    expect(map.get('keys.count')).toBe(100);
    expect(map.get('startup.allocated')).toBe(Number(info.get('used_memory_startup')));
    expect(map.get('total.allocated')).toBeGreaterThanOrEqual(total);
    expect(map.get('dataset.bytes')).toBeGreaterThan(0);
    const db0 = map.get('db.0') as unknown[];
    // 100 entries of 24 + 16 bytes and 128 buckets; the expires dict: 100 entries and 128 buckets.
    expect(db0).toEqual(['overhead.hashtable.main', 100 * 40 + 128 * 8, 'overhead.hashtable.expires', 100 * 24 + 128 * 8, 'overhead.hashtable.slot-to-keys', 0]);
    expect([...map.keys()]).toHaveLength(28);
  });

  it('MEMORY DOCTOR reports a peak once the instance has shrunk to a third', async () => {
    const big = 'x'.repeat(10_000);
    await c.pipeline(Array.from({ length: 2000 }, (_, i) => ['SET', `key:${i}`, big]));
    await c.call('INFO', 'memory');
    await c.pipeline(Array.from({ length: 1400 }, (_, i) => ['DEL', `key:${i}`]));
    const report = (await c.call('MEMORY', 'DOCTOR')).toString('latin1');
    expect(report).toContain('Sam, I detected a few issues in this Redis instance memory implants:');
    expect(report).toContain(' * Peak memory: In the past this instance used more than 150% the memory that is currently using.');
    // Filled again, the instance is back near its peak (which CONFIG RESETSTAT keeps, as Redis does).
    await c.call('CONFIG', 'RESETSTAT');
    await c.pipeline(Array.from({ length: 1400 }, (_, i) => ['SET', `key:${i}`, big]));
    expect((await c.call('MEMORY', 'DOCTOR')).toString('latin1')).toContain("Hi Sam, I can't find any memory issue in your instance.");
  });
});

describe('lazy free', () => {
  async function lazyfreed(): Promise<number> {
    return Number((await memoryInfo()).get('lazyfreed_objects'));
  }

  it('UNLINK counts a value past LAZYFREE_THRESHOLD, FLUSHALL ASYNC every key, lazyfree-lazy-user-* turn DEL and FLUSHALL lazy', async () => {
    const start = await lazyfreed();
    const members = Array.from({ length: 100 }, (_, i) => `m${i}`);
    await c.call('SADD', 'big', ...members);
    await c.call('SADD', 'small', 'a', 'b');
    expect(await c.call('UNLINK', 'big', 'small', 'missing')).toEqual(Buffer.from(':2\r\n'));
    expect(await lazyfreed()).toBe(start + 1);
    await c.call('SADD', 'big', ...members);
    await c.call('DEL', 'big');
    expect(await lazyfreed()).toBe(start + 1);
    await c.call('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'yes');
    await c.call('SADD', 'big', ...members);
    await c.call('DEL', 'big');
    expect(await lazyfreed()).toBe(start + 2);
    for (let i = 0; i < 10; i++) await c.call('SET', `k${i}`, 'v');
    await c.call('FLUSHALL', 'ASYNC');
    expect(await lazyfreed()).toBe(start + 12);
    for (let i = 0; i < 5; i++) await c.call('SET', `k${i}`, 'v');
    await c.call('FLUSHDB');
    expect(await lazyfreed()).toBe(start + 12);
    await c.call('CONFIG', 'SET', 'lazyfree-lazy-user-flush', 'yes');
    for (let i = 0; i < 5; i++) await c.call('SET', `k${i}`, 'v');
    await c.call('FLUSHDB');
    expect(await lazyfreed()).toBe(start + 17);
    expect((await c.call('FLUSHALL', 'LATER')).toString()).toBe('-ERR syntax error\r\n');
    await c.call('CONFIG', 'SET', 'lazyfree-lazy-user-del', 'no', 'lazyfree-lazy-user-flush', 'no');
  });
});

describe('redis-cli reads real numbers', () => {
  it('--memkeys reports each type\'s biggest key by MEMORY USAGE, --bigkeys by length', async () => {
    await c.call('SET', 'small', 'x');
    await c.call('SET', 'large', 'x'.repeat(5000));
    await c.call('RPUSH', 'list', ...Array.from({ length: 50 }, (_, i) => `e${i}`));
    await c.call('HSET', 'hash', 'f', 'v');
    const memkeys = (await run('redis-cli', ['-p', String(running.port), '--memkeys'])).stdout;
    const large = (replyToJs(await c.call('MEMORY', 'USAGE', 'large')) as number);
    expect(large).toBeGreaterThan(5000);
    expect(memkeys).toContain(`Biggest string found '"large"' has ${large} bytes`);
    expect(memkeys).toMatch(/Biggest {3}list found '"list"' has \d+ bytes/);
    expect(memkeys).not.toMatch(/has 0 bytes/);
    const bigkeys = (await run('redis-cli', ['-p', String(running.port), '--bigkeys'])).stdout;
    expect(bigkeys).toContain(`Biggest string found '"large"' has 5000 bytes`);
    expect(bigkeys).toContain(`Biggest   list found '"list"' has 50 items`);
  });
});

describe('the allocator subcommands', () => {
  it('MALLOC-STATS answers as a Redis built without jemalloc, PURGE answers OK, STATS keeps its shape', async () => {
    expect((await c.call('MEMORY', 'MALLOC-STATS')).toString()).toBe('$45\r\nStats not supported for the current allocator\r\n');
    expect((await c.call('MEMORY', 'PURGE')).toString()).toBe('+OK\r\n');
    // An empty instance has no db.N entry: 27 fields.
    expect(replyToJs(await c.call('MEMORY', 'STATS'))).toHaveLength(54);
  });
});
