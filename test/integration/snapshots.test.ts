/**
 * RDB snapshots through the wire: SAVE, BGSAVE, LASTSAVE, INFO persistence,
 * a restart that loads the dump, BGSAVE's point in time under heavy writes
 * (copy-on-write per key), SHUTDOWN's final save, MISCONF, -LOADING, a
 * corrupt file refused, and interop with redis-server 7.0.15 both ways
 * (redis-check-rdb included).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createServer, startServer, type RunningServer } from '../../src/index.js';
import { RdbLoadError } from '../../src/persistence/rdb-file.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-rdb-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function reddish(dir: string, config: Record<string, string> = {}): Promise<{ server: RunningServer; redis: Redis }> {
  const server = await startServer({ port: 0, config: { dir, ...config } });
  const redis = new Redis(server.port, server.host, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  await redis.connect();
  cleanups.push(async () => {
    redis.disconnect();
    await server.close();
  });
  return { server, redis };
}

/** Every key of every database: type, value (collections in a canonical order) and expire time. */
type Dataset = Record<string, { type: string; value: unknown; expireAt: number }>;

async function readDataset(redis: Redis, databases = 16): Promise<Dataset> {
  const out: Dataset = {};
  for (let db = 0; db < databases; db++) {
    await redis.select(db);
    let cursor = '0';
    const keys = new Set<string>();
    do {
      const [next, page] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of page) keys.add(key);
    } while (cursor !== '0');
    const names = [...keys];
    const types = names.length === 0 ? [] : ((await names.reduce((p, key) => p.type(key), redis.pipeline()).exec())!.map(([, t]) => t) as string[]);
    const p = redis.pipeline();
    names.forEach((key, i) => {
      const type = types[i];
      if (type === 'string') p.get(key);
      else if (type === 'list') p.lrange(key, 0, -1);
      else if (type === 'set') p.smembers(key);
      else if (type === 'zset') p.zrange(key, 0, -1, 'WITHSCORES');
      else if (type === 'hash') p.hgetall(key);
      else p.type(key);
      p.pexpiretime(key);
    });
    const replies = names.length === 0 ? [] : (await p.exec())!;
    names.forEach((key, i) => {
      const type = types[i]!;
      let value = replies[2 * i]![1];
      if (type === 'set') value = (value as string[]).sort();
      if (type === 'hash') value = Object.entries(value as Record<string, string>).sort();
      out[`${db}/${key}`] = { type, value, expireAt: Number(replies[2 * i + 1]![1]) };
    });
  }
  await redis.select(0);
  return out;
}

/** A mixed dataset: every type, both encodings of each collection, TTLs, several databases. */
async function fill(redis: Redis, keysPerDb = 200): Promise<void> {
  const future = Date.now() + 3_600_000;
  for (const db of [0, 1, 2, 3, 9]) {
    await redis.select(db);
    const p = redis.pipeline();
    for (let i = 0; i < keysPerDb; i++) {
      p.set(`s:${i}`, i % 3 === 0 ? String(i) : `value-${i}-${'x'.repeat(i % 50)}`);
      if (i % 10 === 0) p.pexpireat(`s:${i}`, future + i);
    }
    p.rpush('list:small', 'a', 'b', '1', '2');
    p.rpush('list:big', ...Array.from({ length: 300 }, (_, i) => `item-${i}`));
    p.sadd('set:ints', 1, 2, 3, 400000);
    p.sadd('set:strings', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
    p.zadd('zset:small', 1, 'a', 2.5, 'b', -3, 'c');
    p.zadd('zset:big', ...Array.from({ length: 300 }, (_, i) => [i / 7, `z${i}`]).flat());
    p.hset('hash:small', 'f1', 'v1', 'f2', '2');
    p.hset('hash:big', Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`])));
    p.pexpireat('hash:big', future);
    await p.exec();
  }
  await redis.select(0);
}

async function waitForBgsave(redis: Redis): Promise<string> {
  for (;;) {
    const info = await redis.info('persistence');
    if (info.includes('rdb_bgsave_in_progress:0')) return /rdb_last_bgsave_status:(\w+)/.exec(info)![1]!;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SAVE, LASTSAVE, INFO persistence and loading at startup', () => {
  it('saves every type, TTL and database, and a restart loads them back', async () => {
    const dir = tempDir();
    const first = await reddish(dir);
    await fill(first.redis);
    const before = await readDataset(first.redis);
    const info = await first.redis.info('persistence');
    expect(Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1])).toBeGreaterThan(0);
    expect(await first.redis.save()).toBe('OK');
    const after = await first.redis.info('persistence');
    expect(after).toContain('rdb_changes_since_last_save:0');
    expect(after).toContain('rdb_last_bgsave_status:ok');
    expect(Number(await first.redis.lastsave())).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('temp-'))).toEqual([]);
    await cleanups.pop()!();

    const second = await reddish(dir);
    expect(await readDataset(second.redis)).toEqual(before);
    const loadedInfo = await second.redis.info('persistence');
    expect(loadedInfo).toContain('loading:0');
    expect(Number(/rdb_last_load_keys_loaded:(\d+)/.exec(loadedInfo)![1])).toBe(Object.keys(before).length);
  });

  it('streams with consumer groups and the probabilistic types survive a restart (DEBUG DIGEST agrees)', async () => {
    const dir = tempDir();
    const first = await reddish(dir, { 'enable-debug-command': 'yes' });
    const redis = first.redis;
    await fill(redis, 50);
    for (let i = 0; i < 300; i++) await redis.xadd('stream', '*', 'field', `v${i}`, 'n', String(i));
    await redis.xgroup('CREATE', 'stream', 'group', '0');
    await redis.xreadgroup('GROUP', 'group', 'alice', 'COUNT', 10, 'STREAMS', 'stream', '>');
    await redis.call('BF.ADD', 'bloom', 'member');
    await redis.call('CF.ADD', 'cuckoo', 'member');
    await redis.call('CMS.INITBYDIM', 'sketch', 100, 5);
    await redis.call('TOPK.RESERVE', 'top', 5);
    const digest = await redis.call('DEBUG', 'DIGEST');
    const pending = await redis.xpending('stream', 'group');
    await redis.save();
    await cleanups.pop()!();
    const second = await reddish(dir, { 'enable-debug-command': 'yes' });
    expect(await second.redis.call('DEBUG', 'DIGEST')).toBe(digest);
    expect(await second.redis.xpending('stream', 'group')).toEqual(pending);
    expect(await second.redis.call('BF.EXISTS', 'bloom', 'member')).toBe(1);
    expect(await second.redis.call('CF.EXISTS', 'cuckoo', 'member')).toBe(1);
    expect(await second.redis.type('top')).toBe('TopK-TYPE');
  });

  it('keeps every TTL whether few keys or most keys have one (SAVE joins them from either side)', async () => {
    const dir = tempDir();
    const first = await reddish(dir);
    const future = Date.now() + 3_600_000;
    for (const [db, everyNth] of [[0, 1], [1, 2], [2, 50]] as const) {
      await first.redis.select(db);
      const p = first.redis.pipeline();
      for (let i = 0; i < 300; i++) {
        p.set(`k:${i}`, `v${i}`);
        if (i % everyNth === 0) p.pexpireat(`k:${i}`, future + i);
      }
      await p.exec();
    }
    await first.redis.select(0);
    const before = await readDataset(first.redis, 3);
    await first.redis.save();
    await cleanups.pop()!();
    const second = await reddish(dir);
    expect(await readDataset(second.redis, 3)).toEqual(before);
  });

  it('keys loaded from the file count in used_memory as the keys they replace did', async () => {
    const dir = tempDir();
    const first = await reddish(dir);
    const p = first.redis.pipeline();
    for (let i = 0; i < 500; i++) p.set(`key:${i}`, i % 4 === 0 ? String(i) : `value-${i}-${'x'.repeat(i % 70)}`);
    for (let i = 0; i < 500; i += 5) p.pexpire(`key:${i}`, 3_600_000);
    p.hset('hash', 'a', '1', 'b', 'two');
    p.sadd('set', 1, 2, 3);
    await p.exec();
    const dataset = async (redis: Redis): Promise<number> => Number(/used_memory_dataset:(\d+)/.exec(await redis.info('memory'))![1]);
    const before = await dataset(first.redis);
    expect(before).toBeGreaterThan(0);
    await first.redis.save();
    await cleanups.pop()!();
    const second = await reddish(dir);
    expect(await second.redis.dbsize()).toBe(502);
    expect(await dataset(second.redis)).toBe(before);
    // Deleting what was loaded takes the figure down to an empty server's, not below.
    await second.redis.del(...Array.from({ length: 500 }, (_, i) => `key:${i}`), 'hash', 'set');
    await second.redis.set('fresh', 'value');
    const empty = await reddish(tempDir());
    await empty.redis.set('fresh', 'value');
    expect(await dataset(second.redis)).toBe(await dataset(empty.redis));
  });

  it('DEBUG RELOAD saves, empties and loads the dataset back; its option errors are Redis\'s', async () => {
    const dir = tempDir();
    const { redis } = await reddish(dir, { 'enable-debug-command': 'yes' });
    await fill(redis, 20);
    const before = await readDataset(redis);
    expect(await redis.call('DEBUG', 'RELOAD')).toBe('OK');
    expect(await readDataset(redis)).toEqual(before);
    await expect(redis.call('DEBUG', 'RELOAD', 'BOGUS')).rejects.toThrow('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
  });

  it('refuses a corrupt file at startup and leaves it as it was', async () => {
    const dir = tempDir();
    const { redis } = await reddish(dir);
    await fill(redis, 50);
    await redis.save();
    await cleanups.pop()!();
    const file = path.join(dir, 'dump.rdb');
    const saved = fs.readFileSync(file);
    const bytes = Buffer.from(saved);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    const error = await startServer({ port: 0, config: { dir, save: '1 1' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RdbLoadError);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    // Cut from the intact file: cut from the flipped one, the load may fail at the flip first.
    const truncated = saved.subarray(0, saved.length - 20);
    fs.writeFileSync(file, truncated);
    const short = await startServer({ port: 0, config: { dir } }).then(
      () => null,
      (e: unknown) => e as RdbLoadError,
    );
    expect(short?.logLines).toContain('Short read or OOM loading DB. Unrecoverable error, aborting now.');
  });

  it('answers -LOADING while the dataset loads, and loading:1 in INFO', async () => {
    const dir = tempDir();
    const { redis } = await reddish(dir);
    const p = redis.pipeline();
    for (let i = 0; i < 50_000; i++) p.set(`key:${i}`, `value:${i}`);
    await p.exec();
    await redis.save();
    await cleanups.pop()!();

    const server = createServer({ port: 0, config: { dir } });
    await server.listen(0, '127.0.0.1');
    cleanups.push(() => server.close());
    const client = new Redis(server.address.port, '127.0.0.1', { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    cleanups.push(() => client.disconnect());
    await client.connect();
    const loading = server.loadDataFromDisk();
    const replies = await Promise.all([client.get('key:1').catch((e: Error) => e.message), client.info('persistence')]);
    await loading;
    expect(replies[0]).toBe('LOADING Redis is loading the dataset in memory');
    expect(replies[1]).toContain('loading:1');
    expect(replies[1]).toMatch(/loading_loaded_perc:\d+\.\d\d/);
    expect(await client.get('key:49999')).toBe('value:49999');
  });
});

describe('BGSAVE', () => {
  it('answers as Redis does, and the file is the dataset at the moment of the reply despite writes during the save', async () => {
    const dir = tempDir();
    const { redis } = await reddish(dir);
    await fill(redis, 5_000);
    const before = await readDataset(redis);
    // Queued behind BGSAVE in one pipeline: they run right after its reply, before the first slice is written.
    const p = redis.pipeline();
    p.bgsave();
    p.bgsave();
    for (let i = 0; i < 5_000; i += 3) p.set(`s:${i}`, 'overwritten');
    for (let i = 1; i < 5_000; i += 3) p.del(`s:${i}`);
    p.rpush('list:big', 'appended');
    p.lpop('list:small');
    p.sadd('set:ints', 99);
    p.zincrby('zset:big', 100, 'z1');
    p.hset('hash:big', 'f1', 'changed');
    p.persist('hash:big');
    p.expire('s:2', 1000);
    p.set('new-key', 'created during the save');
    p.select(1);
    p.flushdb();
    p.swapdb(2, 3);
    p.select(2);
    p.set('s:5', 'written into the swapped table');
    p.select(0);
    const replies = await p.exec();
    expect(replies![0]).toEqual([null, 'Background saving started']);
    expect((replies![1]![0] as Error).message).toBe('ERR Background save already in progress');
    // Writes keep coming while the slices are written.
    const writer = (async () => {
      for (let round = 0; round < 20; round++) {
        const q = redis.pipeline();
        for (let i = 2; i < 5_000; i += 7) q.set(`s:${i}`, `round-${round}`);
        // New keys by the thousand: the key table grows while the walk is half way.
        for (let i = 0; i < 2_000; i++) q.set(`new:${round}:${i}`, 'x');
        q.select(9);
        q.flushdb();
        q.select(0);
        await q.exec();
      }
    })();
    expect(await waitForBgsave(redis)).toBe('ok');
    await writer;
    const info = await redis.info('persistence');
    expect(info).toContain('rdb_saves:1');
    expect(info).toMatch(/rdb_last_bgsave_time_sec:\d+/);

    // The file, loaded in a server of its own, holds the dataset as it was at the BGSAVE reply.
    const copy = tempDir();
    fs.copyFileSync(path.join(dir, 'dump.rdb'), path.join(copy, 'dump.rdb'));
    const loaded = await reddish(copy);
    expect(await readDataset(loaded.redis)).toEqual(before);
  });

  it('a snapshot written in slices into any sink (an AOF base) is the dataset at its start, through FLUSHALL and SWAPDB', async () => {
    const { server, redis } = await reddish(tempDir());
    await fill(redis, 3_000);
    // 20 MB more: past the 16 MB a writer may have waiting for its sink, the walk stops until
    // the sink takes them. With the sink held below, the snapshot is still running when the
    // commands arrive, however fast the machine; with 3,000 small keys alone it could finish first.
    for (let i = 0; i < 20; i++) await redis.set(`big:${i}`, crypto.randomBytes(3 << 18).toString('base64')); // 1 MB each, not compressible
    const before = await readDataset(redis);
    const writer = server.server.snapshots.beginFile({ aofBase: true });
    const chunks: Buffer[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const written = writer.writeInSlices({
      write: async (chunk) => {
        chunks.push(Buffer.from(chunk));
        await held;
      },
    });
    // While it is written, BGSAVE waits for it (Redis's one child at a time).
    await expect(redis.bgsave()).rejects.toThrow("ERR Another child process is active (AOF?): can't BGSAVE right now.");
    expect(await redis.call('BGSAVE', 'SCHEDULE')).toBe('Background saving scheduled');
    await redis.pipeline().flushall().set('after', '1').swapdb(0, 1).hset('hash:small', 'f3', 'v3').exec();
    expect(server.server.keyspace.snapshot).not.toBeNull();
    release();
    await written;
    const copy = tempDir();
    fs.writeFileSync(path.join(copy, 'dump.rdb'), Buffer.concat(chunks));
    const loaded = await reddish(copy);
    expect(await readDataset(loaded.redis)).toEqual(before);
    await waitForBgsave(redis);
  });

  it('BGSAVE SCHEDULE and BGSAVE inside MULTI; syntax errors', async () => {
    const dir = tempDir();
    const { redis } = await reddish(dir);
    await redis.set('k', 'v');
    await expect(redis.call('BGSAVE', 'NOW')).rejects.toThrow('ERR syntax error');
    const tx = await redis.multi().bgsave().exec();
    expect(tx).toEqual([[null, 'Background saving scheduled']]);
    // The schedule runs it on the next cron tick.
    for (let i = 0; i < 100 && !fs.existsSync(path.join(dir, 'dump.rdb')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(true);
    expect(await waitForBgsave(redis)).toBe('ok');
    expect(await redis.call('BGSAVE', 'SCHEDULE')).toBe('Background saving started');
    await waitForBgsave(redis);
  });

  it('a failed BGSAVE with save points stops writes (MISCONF) until stop-writes-on-bgsave-error is off', async () => {
    const dir = tempDir();
    const { redis } = await reddish(dir, { save: '3600 1' });
    await redis.set('k', 'v');
    // The directory goes away: the temp file can't be opened.
    fs.rmSync(dir, { recursive: true });
    expect(await redis.bgsave()).toBe('Background saving started');
    expect(await waitForBgsave(redis)).toBe('err');
    const misconf =
      "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
    await expect(redis.set('k', 'w')).rejects.toThrow(misconf);
    await expect(redis.ping()).rejects.toThrow(misconf);
    expect(await redis.get('k')).toBe('v');
    await expect(redis.save()).rejects.toThrow(/^ERR$/);
    await redis.config('SET', 'stop-writes-on-bgsave-error', 'no');
    expect(await redis.set('k', 'w')).toBe('OK');
  });
});

describe('SHUTDOWN', () => {
  it('saves when save points are set, and a failing save aborts it unless FORCE', async () => {
    const dir = tempDir();
    const server = await startServer({ port: 0, config: { dir, save: '3600 1', 'enable-protected-configs': 'yes' } });
    const redis = new Redis(server.port, server.host, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    cleanups.push(async () => {
      redis.disconnect();
      await server.close();
    });
    await redis.set('kept', 'yes');
    await redis.config('SET', 'dir', os.tmpdir());
    const missing = path.join(dir, 'gone');
    fs.mkdirSync(missing);
    await redis.config('SET', 'dir', missing);
    fs.rmSync(missing, { recursive: true });
    await expect(redis.shutdown()).rejects.toThrow('ERR Errors trying to SHUTDOWN. Check logs.');
    expect(await redis.get('kept')).toBe('yes');
    await redis.config('SET', 'dir', dir);
    const closed = new Promise((resolve) => server.server.once('shutdown', resolve));
    await redis.shutdown().catch(() => undefined);
    await closed;
    const reopened = await reddish(dir);
    expect(await reopened.redis.get('kept')).toBe('yes');
  });

  it('SHUTDOWN NOSAVE writes nothing; SHUTDOWN SAVE FORCE goes on after a failed save', async () => {
    const dir = tempDir();
    const { server, redis } = await reddish(dir, { save: '3600 1' });
    await redis.set('k', 'v');
    const closed = new Promise((resolve) => server.server.once('shutdown', resolve));
    await redis.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    await closed;
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(false);
  });
});

const redisCheckRdb = spawnSync('redis-check-rdb', ['--help']).error === undefined ? 'redis-check-rdb' : null;

describe('interop with redis-server 7.0.15', () => {
  let redisServer: RedisServerHandle | null = null;
  afterEach(async () => {
    await redisServer?.stop();
    redisServer = null;
  });

  it.skipIf(redisCheckRdb === null)('redis-check-rdb accepts reddish\'s file and redis-server loads it with every key, type, TTL and db', async () => {
    const dir = tempDir();
    const { redis } = await reddish(dir, { 'enable-debug-command': 'yes' });
    await fill(redis);
    for (let i = 0; i < 200; i++) await redis.xadd('stream', '*', 'field', `v${i}`);
    await redis.xgroup('CREATE', 'stream', 'group', '0');
    await redis.xreadgroup('GROUP', 'group', 'bob', 'COUNT', 5, 'STREAMS', 'stream', '>');
    await redis.call('FUNCTION', 'LOAD', "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)");
    const before = await readDataset(redis);
    const digest = await redis.call('DEBUG', 'DIGEST');
    await redis.save();
    const file = path.join(dir, 'dump.rdb');
    const check = execFileSync(redisCheckRdb!, [file], { encoding: 'latin1' });
    expect(check).toContain('RDB looks OK!');

    redisServer = await startRedisServer({ extraArgs: ['--dbfilename', 'from-reddish.rdb', '--enable-debug-command', 'yes'] });
    // The server was started on an empty directory; load reddish's file with DEBUG RELOAD NOSAVE.
    fs.copyFileSync(file, path.join(redisServer.dir, 'from-reddish.rdb'));
    const real = new Redis(redisServer.port, redisServer.host, { maxRetriesPerRequest: 0 });
    cleanups.push(() => real.disconnect());
    expect(await real.call('DEBUG', 'RELOAD', 'NOSAVE')).toBe('OK');
    expect(await readDataset(real)).toEqual(before);
    expect(await real.call('DEBUG', 'DIGEST')).toBe(digest);
    expect(await real.call('FUNCTION', 'LIST')).toHaveLength(1);
  });

  it('a dump.rdb written by redis-server loads in reddish with every key, type, TTL and db', async () => {
    redisServer = await startRedisServer({ extraArgs: ['--enable-debug-command', 'yes'] });
    const real = new Redis(redisServer.port, redisServer.host, { maxRetriesPerRequest: 0 });
    cleanups.push(() => real.disconnect());
    await fill(real);
    for (let i = 0; i < 200; i++) await real.xadd('stream', '*', 'field', `v${i}`);
    await real.xgroup('CREATE', 'stream', 'group', '0');
    await real.xreadgroup('GROUP', 'group', 'bob', 'COUNT', 5, 'STREAMS', 'stream', '>');
    const before = await readDataset(real);
    const digest = await real.call('DEBUG', 'DIGEST');
    expect(await real.save()).toBe('OK');
    const dir = tempDir();
    fs.copyFileSync(path.join(redisServer.dir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    const { redis } = await reddish(dir, { 'enable-debug-command': 'yes' });
    expect(await readDataset(redis)).toEqual(before);
    expect(await redis.call('DEBUG', 'DIGEST')).toBe(digest);
    // And reddish's own save of it is byte-for-byte the size Redis's was, give or take the aux fields.
    await redis.save();
    const ours = fs.statSync(path.join(dir, 'dump.rdb')).size;
    const theirs = fs.statSync(path.join(redisServer.dir, 'dump.rdb')).size;
    expect(ours / theirs).toBeLessThan(1.05);
  });
});
