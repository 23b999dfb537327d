/**
 * The embedding API, used the way a test suite uses it: start on port 0,
 * talk with ioredis, move a ManualClock, close.
 */
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { ManualClock, startServer } from '../../src/index.js';

describe('startServer', () => {
  it('listens on a free port and exposes host, port and url', async () => {
    const server = await startServer({ port: 0 });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.host).toBe('127.0.0.1');
      expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
      const redis = new Redis(server.url);
      expect(await redis.set('greeting', 'hello')).toBe('OK');
      expect(await redis.get('greeting')).toBe('hello');
      redis.disconnect();
    } finally {
      await server.close();
    }
  });

  it('runs several isolated servers in one process', async () => {
    const [a, b] = await Promise.all([startServer({ port: 0 }), startServer({ port: 0 })]);
    const ra = new Redis(a.url);
    const rb = new Redis(b.url);
    try {
      await ra.set('k', 'from-a');
      expect(await rb.get('k')).toBeNull();
      await rb.config('SET', 'hz', '50');
      expect(await ra.config('GET', 'hz')).toEqual(['hz', '10']);
    } finally {
      ra.disconnect();
      rb.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('expires keys when a ManualClock moves, without sleeping', async () => {
    const clock = new ManualClock();
    const server = await startServer({ port: 0, clock });
    const redis = new Redis(server.url);
    try {
      await redis.set('session', 'abc', 'EX', 60);
      await redis.set('untouched', 'x', 'PX', 1500);
      expect(await redis.ttl('session')).toBe(60);
      clock.advance(59_000);
      expect(await redis.get('session')).toBe('abc');
      expect(await redis.ttl('session')).toBe(1);
      // Like Redis, a key is still there at exactly its deadline, gone 1 ms later.
      clock.advance(1_000);
      expect(await redis.pttl('session')).toBe(0);
      clock.advance(1);
      expect(await redis.get('session')).toBeNull();
      // The active cycle removes keys nobody touches.
      server.server.activeExpiry.cycle();
      expect(await redis.dbsize()).toBe(0);
    } finally {
      redis.disconnect();
      await server.close();
    }
  });

  it('removes untouched expired keys from DBSIZE within about a second on its own', async () => {
    const server = await startServer({ port: 0 });
    const redis = new Redis(server.url);
    try {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 500; i++) pipeline.set(`volatile:${i}`, 'v', 'PX', 50);
      pipeline.set('stays', 'v');
      await pipeline.exec();
      await new Promise((r) => setTimeout(r, 1300));
      expect(await redis.dbsize()).toBe(1);
    } finally {
      redis.disconnect();
      await server.close();
    }
  });

  it('requires AUTH when requirepass is set', async () => {
    const server = await startServer({ port: 0, requirepass: 's3cret' });
    // ioredis 6 opens with HELLO 3, which an unauthenticated client can't send
    // (Redis answers NOAUTH to it too), so this client speaks RESP2 and AUTHs later.
    const redis = new Redis({ port: server.port, protocol: 2, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      await expect(redis.get('k')).rejects.toThrow('NOAUTH Authentication required.');
      await expect(redis.auth('wrong')).rejects.toThrow('WRONGPASS invalid username-password pair or user is disabled.');
      expect(await redis.auth('s3cret')).toBe('OK');
      expect(await redis.get('k')).toBeNull();
      const authed = new Redis({ port: server.port, password: 's3cret' });
      expect(await authed.ping()).toBe('PONG');
      authed.disconnect();
    } finally {
      redis.disconnect();
      await server.close();
    }
  });

  it('flushAll() empties every database', async () => {
    const server = await startServer({ port: 0 });
    const redis = new Redis(server.url);
    try {
      await redis.set('a', '1');
      await redis.select(3);
      await redis.set('b', '2');
      server.flushAll();
      expect(await redis.dbsize()).toBe(0);
      await redis.select(0);
      expect(await redis.dbsize()).toBe(0);
    } finally {
      redis.disconnect();
      await server.close();
    }
  });

  it('close() ends connected clients and frees the port', async () => {
    const server = await startServer({ port: 0 });
    const redis = new Redis({ port: server.port, retryStrategy: () => null });
    await redis.ping();
    const ended = new Promise((r) => redis.once('end', r));
    await server.close();
    await ended;
    const again = await startServer({ port: server.port });
    expect(again.port).toBe(server.port);
    await again.close();
  });

  it('logs through an injected pino logger, and nothing per command', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    const server = await startServer({ port: 0, logger: pino({ level: 'info' }, stream) });
    const redis = new Redis(server.url);
    for (let i = 0; i < 50; i++) await redis.set(`k${i}`, 'v');
    redis.disconnect();
    await server.close();
    const messages = lines.map((l) => l['msg']);
    expect(messages).toContain('ready to accept connections');
    expect(messages).toContain('server closed');
    expect(lines.length).toBeLessThan(10);
  });
});
