// The README's embedding example, verbatim (kept in sync by test/unit/readme.test.ts).
// test/cache.test.ts
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ManualClock, startServer, type RunningServer } from 'reddish';

const clock = new ManualClock();
let server: RunningServer;
let redis: Redis;

beforeAll(async () => {
  server = await startServer({ port: 0, clock }); // resolves once listening
  redis = new Redis(server.url); // e.g. redis://127.0.0.1:54321
});

beforeEach(() => server.flushAll());

afterAll(async () => {
  redis.disconnect();
  await server.close(); // ends every socket and timer: vitest exits cleanly
});

it('expires sessions without sleeping', async () => {
  await redis.set('session:1', 'alice', 'EX', 60);
  clock.advance(59_000);
  expect(await redis.get('session:1')).toBe('alice');
  clock.advance(2_000);
  expect(await redis.get('session:1')).toBeNull();
});
