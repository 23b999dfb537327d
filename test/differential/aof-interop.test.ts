/**
 * The multi-part AOF both ways between reddish and redis-server 7.0.15:
 *
 * - an appendonlydir written by reddish (a base from BGREWRITEAOF, an incr
 *   file after it) passes redis-check-aof and loads in redis-server with the
 *   same dataset;
 * - one written by redis-server loads in reddish with the same dataset;
 * both with an RDB base (`aof-use-rdb-preamble yes`, the default) and with
 * one in command form.
 *
 * "The same dataset" is read through the wire on both servers: every key of
 * every database, its type, its TTL (to the second) and its whole value.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient, replyToJs, type JsReply } from '../helpers/resp-client.js';
import { redisAvailable } from './targets.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-aof-interop-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function connect(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port, { replyTimeoutMs: 5000 });
  cleanups.push(() => client.close());
  return client;
}

const js = async (client: RawClient, ...args: string[]): Promise<JsReply> => replyToJs(await client.call(...args));

/** Writes a dataset of every type, with TTLs, several databases, a function, a transaction and a stream group. */
async function writeDataset(client: RawClient, part: 1 | 2): Promise<void> {
  const run = async (...args: string[]) => {
    const reply = await client.call(...args);
    if (reply[0] === 0x2d) throw new Error(`${args.join(' ')}: ${reply.toString()}`);
  };
  if (part === 1) {
    await run('FUNCTION', 'LOAD', "#!lua name=lib\nredis.register_function('f', function(keys, args) return 1 end)");
    await run('SET', 'int', '12345');
    await run('SET', 'binary', '\x00\xff\r\n bytes');
    await run('SET', 'ttl', 'v', 'EX', '5000');
    await run('APPEND', 'appended', 'abc');
    await run('INCRBYFLOAT', 'float', '1.5');
    for (let i = 0; i < 150; i++) await run('RPUSH', 'list', `item-${i}`);
    await run('SADD', 'intset', '1', '2', '3', '-7');
    await run('SADD', 'strset', 'a', 'b', 'c');
    await run('ZADD', 'zset', '1.5', 'a', '-2', 'b', '1e100', 'c', 'inf', 'd');
    await run('HSET', 'hash', 'f1', 'v1', 'f2', 'v2');
    await run('PEXPIRE', 'hash', '9000000');
    await run('XADD', 'stream', '1-1', 'a', '1');
    await run('XADD', 'stream', '2-1', 'b', '2');
    await run('XADD', 'stream', '3-1', 'c', '3');
    await run('XDEL', 'stream', '2-1');
    await run('XGROUP', 'CREATE', 'stream', 'g1', '0');
    await run('XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', '1', 'STREAMS', 'stream', '>');
    await run('XGROUP', 'CREATECONSUMER', 'stream', 'g1', 'bob');
    await run('SELECT', '3');
    await run('SET', 'in-db-3', 'x');
    await run('SELECT', '0');
  } else {
    await run('MULTI');
    await run('INCR', 'counter');
    await run('LPUSH', 'list', 'head');
    await run('EXEC');
    await run('SPOP', 'strset');
    await run('EXPIRE', 'int', '7000');
    await run('SELECT', '5');
    await run('HSET', 'late-hash', 'k', 'v');
    await run('SELECT', '0');
    await run('DEL', 'appended');
  }
}

/** Every key of every database, with type, TTL in seconds and value, read through the wire. */
async function readDataset(client: RawClient): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (let db = 0; db < 16; db++) {
    await client.call('SELECT', String(db));
    const keys = ((await js(client, 'KEYS', '*')) as string[]).sort();
    for (const key of keys) {
      const type = String(await js(client, 'TYPE', key));
      let value: unknown;
      if (type === 'string') value = await js(client, 'GET', key);
      else if (type === 'list') value = await js(client, 'LRANGE', key, '0', '-1');
      else if (type === 'set') value = ((await js(client, 'SMEMBERS', key)) as string[]).sort();
      else if (type === 'zset') value = await js(client, 'ZRANGE', key, '0', '-1', 'WITHSCORES');
      else if (type === 'hash') value = ((await js(client, 'HGETALL', key)) as string[]).join(',');
      else if (type === 'stream') {
        value = {
          entries: await js(client, 'XRANGE', key, '-', '+'),
          // XINFO STREAM less its radix-tree-keys and radix-tree-nodes, which follow how the entries were added.
          info: ((await js(client, 'XINFO', 'STREAM', key)) as JsReply[]).filter((_, i, all) => !String(all[i - (i % 2)]).startsWith('radix-tree')),
          groups: await js(client, 'XINFO', 'GROUPS', key),
          pending: await js(client, 'XPENDING', key, 'g1', '-', '+', '10'),
          consumers: ((await js(client, 'XINFO', 'CONSUMERS', key, 'g1')) as JsReply[][]).map((c) => c.slice(0, 4)),
        };
      }
      const ttl = Number(await js(client, 'PTTL', key));
      out[`${db}:${key}`] = { type, ttl: ttl < 0 ? ttl : Math.round(ttl / 10000), value };
    }
  }
  await client.call('SELECT', '0');
  out['functions'] = await js(client, 'FUNCTION', 'LIST', 'WITHCODE');
  return out;
}

/** Millisecond-precise fields that legitimately differ between two servers' runs. */
function withoutClockFields(dataset: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(dataset, (key, value) => {
      // XPENDING's idle times and delivery times move with the clock.
      if (Array.isArray(value) && value.length === 4 && typeof value[2] === 'number' && typeof value[3] === 'number' && key !== '') {
        return [value[0], value[1], 'idle', value[3]];
      }
      return value;
    }),
  );
}

async function waitForRewrite(client: RawClient): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const text = String(await js(client, 'INFO', 'persistence'));
    if (text.includes('aof_rewrite_in_progress:0') && !text.includes('aof_rewrite_scheduled:1')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the AOF rewrite did not finish');
}

function checkAof(dir: string): string {
  return execFileSync('redis-check-aof', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')], { encoding: 'utf8' });
}

describe.skipIf(!redisAvailable('aof interop')).each([
  ['yes', 'base.rdb', 'RDB'],
  ['no', 'base.aof', 'RESP'],
])('the AOF between reddish and redis-server 7.0.15, aof-use-rdb-preamble %s', (preamble, baseSuffix, baseFormat) => {
  it('a directory written by reddish passes redis-check-aof and loads in redis-server with the same dataset', async () => {
    const dir = tempDir();
    const reddish: RunningServer = await startServer({
      port: 0,
      config: { dir, appendonly: 'yes', appendfsync: 'always', 'aof-timestamp-enabled': 'yes', 'aof-use-rdb-preamble': preamble },
    });
    cleanups.push(() => reddish.close());
    const client = await connect(reddish.port);
    await writeDataset(client, 1);
    expect(await js(client, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
    await waitForRewrite(client);
    await writeDataset(client, 2);
    const expected = await readDataset(client);
    expect(Object.keys(expected)).toHaveLength(14);
    await reddish.close();

    const report = checkAof(dir);
    expect(report).toContain('All AOF files and manifest are valid');
    expect(report).toContain(`Start to check BASE AOF (${baseFormat} format).`);
    expect(fs.readdirSync(path.join(dir, 'appendonlydir'))).toContain(`appendonly.aof.2.${baseSuffix}`);

    const redis: RedisServerHandle = await startRedisServer({
      appendOnly: true,
      extraArgs: ['--aof-use-rdb-preamble', preamble],
      prepareDir: (redisDir) => fs.cpSync(path.join(dir, 'appendonlydir'), path.join(redisDir, 'appendonlydir'), { recursive: true }),
    });
    cleanups.push(() => redis.stop());
    const redisClient = await connect(redis.port);
    expect(withoutClockFields(await readDataset(redisClient))).toEqual(withoutClockFields(expected));
  });

  it('a directory written by redis-server loads in reddish with the same dataset', async () => {
    const redis = await startRedisServer({ appendOnly: true, extraArgs: ['--aof-use-rdb-preamble', preamble, '--aof-timestamp-enabled', 'yes'] });
    cleanups.push(() => redis.stop());
    const redisClient = await connect(redis.port);
    await writeDataset(redisClient, 1);
    await redisClient.call('BGREWRITEAOF');
    await waitForRewrite(redisClient);
    await writeDataset(redisClient, 2);
    const expected = await readDataset(redisClient);
    expect(Object.keys(expected)).toHaveLength(14);
    const dir = tempDir();
    fs.cpSync(path.join(redis.dir, 'appendonlydir'), path.join(dir, 'appendonlydir'), { recursive: true });
    expect(fs.readdirSync(path.join(dir, 'appendonlydir')).some((name) => name.endsWith(baseSuffix))).toBe(true);

    const reddish = await startServer({ port: 0, config: { dir, appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': preamble } });
    cleanups.push(() => reddish.close());
    const client = await connect(reddish.port);
    expect(withoutClockFields(await readDataset(client))).toEqual(withoutClockFields(expected));
    // And reddish keeps appending to redis-server's incr file.
    await client.call('SET', 'from-reddish', '1');
    expect(checkAof(dir)).toContain('All AOF files and manifest are valid');
  });
});
