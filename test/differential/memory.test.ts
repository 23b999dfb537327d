/**
 * MEMORY and maxmemory against redis-server 7.0.15: MEMORY USAGE of small
 * values (the size model is exact where Redis's sizes do not depend on its
 * allocator's history), MEMORY's errors and help, the OOM paths under
 * noeviction (commands, MULTI/EXEC, scripts), and which keys volatile-ttl
 * keeps. Replies are compared byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { RawClient, type CommandArg } from '../helpers/resp-client.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

type Session = (c: RawClient, admin: RawClient) => Promise<string[]>;

describe.skipIf(!redisAvailable('memory'))('MEMORY and maxmemory: reddish against redis-server', () => {
  const targets = useDifferentialTargets();

  /** Runs the session on both servers (clean, without a limit) and returns both transcripts. */
  async function both(session: Session): Promise<[string[], string[]]> {
    const out: string[][] = [];
    for (const endpoint of [targets.reference, targets.candidate]) {
      const c = await RawClient.connect(endpoint.port);
      const admin = await RawClient.connect(endpoint.port);
      try {
        await admin.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction');
        await admin.call('FLUSHALL');
        out.push(await session(c, admin));
      } finally {
        await admin.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction');
        await c.close();
        await admin.close();
      }
    }
    return [out[0]!, out[1]!];
  }

  const transcript = (c: RawClient) => {
    const lines: string[] = [];
    return {
      lines,
      async call(...argv: CommandArg[]): Promise<void> {
        lines.push(`${argv.join(' ')} -> ${(await c.call(...argv)).toString('latin1')}`);
      },
    };
  };

  it('MEMORY USAGE of small values matches byte for byte', async () => {
    const [redis, reddish] = await both(async (c) => {
      const t = transcript(c);
      await c.call('SET', 'foo', 'bar');
      await c.call('SET', 'int', '12345');
      await c.call('SET', 'negative', '-42');
      await c.call('SET', 'embstr44', 'x'.repeat(44));
      await c.call('SET', 'raw45', 'x'.repeat(45));
      await c.call('SET', 'raw100', 'y'.repeat(100));
      await c.call('SET', 'k'.repeat(40), 'v');
      await c.call('RPUSH', 'list', 'a', 'b', 'c');
      await c.call('SADD', 'intset', '1', '2', '3');
      await c.call('SADD', 'bigintset', '1', '100000', '-5000000000');
      await c.call('SADD', 'strset', 'a', 'b', 'c');
      await c.call('HSET', 'hash', 'a', '1', 'b', '2');
      await c.call('HSET', 'hash2', 'field', 'some longer value', 'n', '4095');
      await c.call('ZADD', 'zset', '1', 'a', '2', 'b');
      for (const key of ['foo', 'int', 'negative', 'embstr44', 'raw45', 'raw100', 'k'.repeat(40), 'list', 'intset', 'bigintset', 'strset', 'hash', 'hash2', 'zset']) {
        await t.call('MEMORY', 'USAGE', key);
      }
      await t.call('MEMORY', 'USAGE', 'foo', 'SAMPLES', '0');
      await t.call('MEMORY', 'USAGE', 'nokey');
      return t.lines;
    });
    expect(reddish).toEqual(redis);
  });

  it("MEMORY's errors, HELP, PURGE and DOCTOR on a near-empty instance match", async () => {
    const [redis, reddish] = await both(async (c) => {
      const t = transcript(c);
      await c.call('SET', 'foo', 'bar');
      await t.call('MEMORY', 'USAGE', 'foo', 'SAMPLES');
      await t.call('MEMORY', 'USAGE', 'foo', 'SAMPLES', '-1');
      await t.call('MEMORY', 'USAGE', 'foo', 'SAMPLES', 'many');
      await t.call('MEMORY', 'USAGE', 'foo', 'COUNT', '1');
      await t.call('MEMORY', 'USAGE');
      await t.call('MEMORY', 'STATS', 'extra');
      await t.call('MEMORY', 'NOSUCH');
      await t.call('MEMORY', 'HELP');
      await t.call('MEMORY', 'PURGE');
      await t.call('MEMORY', 'DOCTOR');
      return t.lines;
    });
    expect(reddish).toEqual(redis);
  });

  it('noeviction over the limit: denyoom commands, MULTI queuing and EXEC are refused, reads and deletes run', async () => {
    const [redis, reddish] = await both(async (c, admin) => {
      const t = transcript(c);
      await c.call('SET', 'present', 'v');
      // A transaction queued before the limit, executed after it.
      await t.call('MULTI');
      await t.call('SET', 'queued', '1');
      await t.call('GET', 'present');
      await admin.call('CONFIG', 'SET', 'maxmemory', '1');
      await t.call('EXEC');
      await t.call('SET', 'k', 'v');
      await t.call('APPEND', 'present', 'more');
      await t.call('LPUSH', 'list', 'a');
      await t.call('GET', 'present');
      await t.call('EXISTS', 'present');
      await t.call('INCR', 'counter');
      await t.call('EXPIRE', 'present', '100');
      await t.call('PERSIST', 'present');
      // Queuing itself is refused; the transaction is then doomed.
      await t.call('MULTI');
      await t.call('GET', 'present');
      await t.call('EXEC');
      await t.call('MULTI');
      await t.call('DISCARD');
      // Scripts: a plain EVAL may read, its first write is refused; a
      // shebang script needs no-writes or allow-oom to run at all.
      await t.call('EVAL', "return redis.call('get', 'present')", '0');
      await t.call('EVAL', "return redis.call('set', 'x', '1')", '0');
      await t.call('EVAL', "return redis.pcall('set', 'x', '1')", '0');
      await t.call('EVAL', '#!lua\nreturn 1', '0');
      await t.call('EVAL', '#!lua flags=no-writes\nreturn 1', '0');
      await t.call('EVAL', "#!lua flags=allow-oom\nreturn redis.call('set', 'x', '1')", '0');
      await t.call('DEL', 'present');
      await t.call('DEL', 'x');
      await admin.call('CONFIG', 'SET', 'maxmemory', '0');
      await t.call('SET', 'k', 'v');
      return t.lines;
    });
    expect(reddish).toEqual(redis);
  });

  it('volatile-ttl evicts the keys that expire soonest and never a key without a TTL', async () => {
    const survivors: string[][] = [];
    for (const endpoint of [targets.reference, targets.candidate]) {
      const c = await RawClient.connect(endpoint.port);
      try {
        await c.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'volatile-ttl', 'maxmemory-samples', '64');
        await c.call('FLUSHALL');
        for (let i = 0; i < 20; i++) await c.call('SET', `persistent:${i}`, 'x'.repeat(4000));
        // TTLs in a shuffled order, so that insertion order tells nothing.
        for (let i = 0; i < 40; i++) {
          const ttl = 1000 + ((i * 17) % 40) * 100;
          await c.call('SET', `volatile:${ttl}`, 'x'.repeat(4000), 'EX', String(ttl));
        }
        const used = Number(/used_memory:(\d+)/.exec((await c.call('INFO', 'memory')).toString('latin1'))![1]);
        // About ten keys' worth over the limit (Redis's figure also moves with its clients' query buffers).
        await c.call('CONFIG', 'SET', 'maxmemory', String(used - 40000));
        await c.call('PING');
        const keys = ((await c.call('KEYS', '*')).toString('latin1').match(/[a-z]+:\d+/g) ?? []).sort();
        survivors.push(keys);
        expect(keys.filter((k) => k.startsWith('persistent:'))).toHaveLength(20);
        const volatile = keys.filter((k) => k.startsWith('volatile:')).map((k) => Number(k.split(':')[1]));
        expect(volatile.length).toBeLessThan(40);
        expect(volatile.length).toBeGreaterThan(0);
        // The survivors are exactly the latest-expiring ones.
        const evictedMax = 1000 + (40 - volatile.length - 1) * 100;
        expect(Math.min(...volatile)).toBe(evictedMax + 100);
      } finally {
        await c.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction', 'maxmemory-samples', '5');
        await c.close();
      }
    }
    expect(survivors).toHaveLength(2);
  });
});
