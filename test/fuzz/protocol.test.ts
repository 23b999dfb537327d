/**
 * A short run of the protocol fuzzer (protocol-fuzz.ts) against reddish and
 * a real redis-server: mutated RESP, random bytes, edge lengths, inline
 * quirks and overlong lines, split across writes. Every reply must match
 * Redis's bytes, none may be an internal error, every connection must close
 * after its input, and the bystanders must keep getting right answers.
 * `node bench/fuzz.mjs` runs the same inputs a million times over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { redisAvailable } from '../differential/targets.js';
import { testSeeds } from '../helpers/random.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { runProtocolFuzz } from './protocol-fuzz.js';

const INPUTS_PER_SEED = 400;

describe.skipIf(!redisAvailable('protocol fuzz'))('protocol fuzz', () => {
  let reddish: RunningServer;
  let redis: RedisServerHandle;
  beforeAll(async () => {
    [reddish, redis] = await Promise.all([startServer({ port: 0 }), startRedisServer()]);
  });
  afterAll(async () => {
    await Promise.all([reddish?.close(), redis?.stop()]);
  });

  for (const seed of testSeeds('protocol fuzz')) {
    it(`answers ${INPUTS_PER_SEED} hostile inputs as redis-server does (seed ${seed})`, async () => {
      const result = await runProtocolFuzz({
        seed,
        inputs: INPUTS_PER_SEED,
        reddish: { port: reddish.port },
        redis: { port: redis.port },
      });
      expect(result.inputs).toBe(INPUTS_PER_SEED);
      expect(result.internalErrors).toEqual([]);
      expect(result.hangs).toEqual([]);
      expect(result.mismatches).toEqual([]);
      expect(result.reddishBystander.failures).toEqual([]);
      expect(result.redisBystander?.failures).toEqual([]);
      expect(result.reddishBystander.rounds).toBeGreaterThan(0);
    });
  }
});
