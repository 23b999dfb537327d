/**
 * Scripts through the client libraries that send them: ioredis
 * defineCommand (EVALSHA, falling back to EVAL on NOSCRIPT), node-redis
 * defineScript, and redlock's locks (its acquire, extend and release are
 * Lua). Every scenario also runs on redis-server when it is installed, so
 * what is expected is what Redis does with the same library. Byte-level
 * replies are compared in test/differential/scripting.test.ts.
 */
import { Redis } from 'ioredis';
import { createClient, defineScript } from 'redis';
import Redlock from 'redlock';
import { afterEach, describe, expect, it } from 'vitest';
import { serversUnderTest, useServerUnderTest } from '../helpers/servers-under-test.js';

/** A rate limiter of the usual shape: INCR, EXPIRE on the first hit, refuse past the limit. */
const RATE_LIMIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if count > tonumber(ARGV[2]) then return {0, count} end
return {1, count}
`;

describe.each(serversUnderTest())('on $name', (under) => {
  const server = useServerUnderTest(under);
  const opened: Array<{ disconnect(): unknown }> = [];
  afterEach(async () => {
    for (const client of opened.splice(0)) await client.disconnect();
  });

  function ioredis(protocol: 2 | 3 = 2): Redis {
    const client = new Redis(server.port, { protocol, maxRetriesPerRequest: 0 });
    opened.push(client);
    return client;
  }

  it('ioredis defineCommand runs by EVALSHA, and reloads by EVAL after SCRIPT FLUSH', async () => {
    const client = ioredis();
    await client.flushall();
    client.defineCommand('rateLimit', { numberOfKeys: 1, lua: RATE_LIMIT });
    const limited = client as Redis & { rateLimit(key: string, windowMs: number, limit: number): Promise<[number, number]> };
    const results: Array<[number, number]> = [];
    for (let i = 0; i < 4; i++) results.push(await limited.rateLimit('rl:user', 10_000, 3));
    expect(results).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [0, 4],
    ]);
    const ttl = await client.pttl('rl:user');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
    // The script is gone from the cache: ioredis gets NOSCRIPT and sends the body.
    expect(await client.script('FLUSH')).toBe('OK');
    expect(await limited.rateLimit('rl:other', 10_000, 3)).toEqual([1, 1]);
    const sha = (await client.script('LOAD', RATE_LIMIT)) as string;
    expect(await client.script('EXISTS', sha)).toEqual([1]);
  });

  it('ioredis under RESP3 gets a map and a double from a redis.setresp(3) script', async () => {
    const client = ioredis(3);
    await client.flushall();
    await client.hset('h', 'f', 'v');
    const map = await client.eval("redis.setresp(3) return redis.call('HGETALL', KEYS[1])", 1, 'h');
    // ioredis flattens a RESP3 map reply to EVAL into field, value pairs.
    expect(map).toEqual(['f', 'v']);
    const double = await client.eval("return {double=1.5}", 0);
    // ...and gives a RESP3 double to EVAL as its text.
    expect(double).toBe('1.5');
  });

  it('node-redis defineScript, in RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({
        url: `redis://127.0.0.1:${server.port}`,
        RESP,
        scripts: {
          getset: defineScript({
            NUMBER_OF_KEYS: 1,
            SCRIPT: "local old = redis.call('GET', KEYS[1]); redis.call('SET', KEYS[1], ARGV[1]); return old",
            parseCommand(parser, key: string, value: string) {
              parser.pushKey(key);
              parser.push(value);
            },
            transformReply: undefined as unknown as () => string | null,
          }),
        },
      });
      opened.push({ disconnect: () => client.destroy() });
      await client.connect();
      await client.flushAll();
      expect(await client.getset('k', 'one')).toBeNull();
      expect(await client.getset('k', 'two')).toBe('one');
      await client.scriptFlush();
      // EVALSHA fails with NOSCRIPT; node-redis retries with EVAL.
      expect(await client.getset('k', 'three')).toBe('two');
      client.destroy();
      opened.pop();
    }
  });

  it('redlock acquires, extends and releases a lock; a second acquirer waits its turn', async () => {
    const client = ioredis();
    await client.flushall();
    const redlock = new Redlock([client], { retryCount: 0 });
    const lock = await redlock.lock('locks:job', 2000);
    expect(await client.get('locks:job')).toBe(lock.value);
    await expect(redlock.lock('locks:job', 2000)).rejects.toThrow();
    const extended = await lock.extend(5000);
    expect(await client.pttl('locks:job')).toBeGreaterThan(2000);
    await extended.unlock();
    expect(await client.exists('locks:job')).toBe(0);
    const again = await redlock.lock('locks:job', 1000);
    expect(again.value).not.toBe(lock.value);
    await again.unlock();
  });
});
