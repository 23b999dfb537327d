/**
 * Differential tests over RESP3: both connections send HELLO 3 first (its
 * reply, which names the server, is not compared) and every later reply is
 * compared byte for byte. One suite per family of RESP3 reply types:
 *
 * - strings and keyspace commands: RESP3 nulls (`_`), maps (LCS IDX), errors;
 * - sets, hashes and sorted sets: sets (`~`), maps (`%`), doubles (`,`).
 *
 * RESP3 booleans (`#`) are not covered here: in Redis 7.0 no built-in
 * command replies with one (only Lua scripts do, and reddish has no
 * scripting); the reply writer's unit tests cover their encoding.
 */
import { describe, expect, it } from 'vitest';
import type { Rng } from '../helpers/random.js';
import { testSeeds } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { runDifferential } from './harness.js';
import { createKeyCommandGenerator } from './key-commands.js';
import { anyCase, pickKey, pickKeys, pickValue } from './pools.js';
import { createStringCommandGenerator } from './string-commands.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2000;

/** Members and fields: small ints (intset/listpack), binary, and one long enough to force hashtable encoding. */
const MEMBERS: readonly string[] = ['a', 'b', 'c', 'd', '1', '2', '10', '-1', '', '\x00', '\xff\xfe', 'm'.repeat(70)];
const SCORES: readonly string[] = [
  '0', '1', '-1', '2', '1.5', '-0.5', '0.1', '1e10', '1e-5', '123456789.123', '3.0000000000000004',
  'inf', '-inf', '+inf', 'abc', 'nan', '',
];

function members(rng: Rng, min: number, max: number): string[] {
  return Array.from({ length: rng.int(min, max) }, () => rng.pick(MEMBERS));
}

/** Strings and keyspace commands interleaved, plus repeated and unsupported HELLOs. */
function createStringsAndKeysGenerator(): (rng: Rng) => Command {
  const strings = createStringCommandGenerator();
  const keys = createKeyCommandGenerator();
  return (rng) => {
    if (rng.chance(0.01)) return ['HELLO', rng.pick(['3', '4', 'x'])];
    return rng.chance(0.5) ? strings(rng) : keys(rng);
  };
}

/**
 * Keys mostly reserved for one type, so that most commands find the type
 * they expect; the rest of the time any key, for WRONGTYPE replies.
 */
const KEYS_BY_TYPE = {
  set: ['a', 'b'],
  hash: ['k1', 'k2'],
  zset: ['key:x', 'k*'],
  string: ['x\x00y', '\xffz'],
} as const;

/** Set, hash and sorted-set commands whose RESP3 replies are sets, maps and doubles. */
function createCollectionGenerator(): (rng: Rng) => Command {
  return (rng) => {
    const cmd = (name: string): string => anyCase(rng, name);
    const kind = rng.weighted([
      ['SADD', 8], ['SREM', 3], ['SMEMBERS', 5], ['SISMEMBER', 2], ['SMISMEMBER', 2], ['SCARD', 1], ['SUNION', 2], ['SINTER', 2], ['SSCAN', 1],
      ['HSET', 8], ['HDEL', 2], ['HGET', 3], ['HMGET', 2], ['HGETALL', 5], ['HKEYS', 1], ['HVALS', 1], ['HINCRBYFLOAT', 2], ['HSCAN', 1],
      ['ZADD', 8], ['ZREM', 2], ['ZSCORE', 5], ['ZMSCORE', 3], ['ZINCRBY', 3], ['ZRANGE', 4], ['ZSCAN', 1],
      ['GET', 2], ['SET', 2], ['INCRBYFLOAT', 2], ['TYPE', 2], ['DEL', 2], ['MGET', 1],
    ] as const);
    const type = kind.startsWith('S') && kind !== 'SET' ? 'set' : kind.startsWith('H') ? 'hash' : kind.startsWith('Z') ? 'zset' : 'string';
    const key = rng.chance(0.85) ? rng.pick(KEYS_BY_TYPE[type]) : pickKey(rng);
    switch (kind) {
      case 'SADD': return [cmd('SADD'), key, ...members(rng, 1, 4)];
      case 'SREM': return [cmd('SREM'), key, ...members(rng, 1, 3)];
      case 'SMEMBERS': return [cmd('SMEMBERS'), key];
      case 'SISMEMBER': return [cmd('SISMEMBER'), key, rng.pick(MEMBERS)];
      case 'SMISMEMBER': return [cmd('SMISMEMBER'), key, ...members(rng, 1, 3)];
      case 'SCARD': return [cmd('SCARD'), key];
      case 'SUNION': return [cmd('SUNION'), ...pickKeys(rng, 1, 3)];
      case 'SINTER': return [cmd('SINTER'), ...pickKeys(rng, 1, 3)];
      case 'SSCAN': return [cmd('SSCAN'), key, '0', ...(rng.chance(0.3) ? ['COUNT', '2'] : [])];
      case 'HSET': return [cmd('HSET'), key, ...members(rng, 1, 3).flatMap((field) => [field, pickValue(rng)])];
      case 'HDEL': return [cmd('HDEL'), key, ...members(rng, 1, 3)];
      case 'HGET': return [cmd('HGET'), key, rng.pick(MEMBERS)];
      case 'HMGET': return [cmd('HMGET'), key, ...members(rng, 1, 3)];
      case 'HGETALL': return [cmd('HGETALL'), key];
      case 'HKEYS': return [cmd('HKEYS'), key];
      case 'HVALS': return [cmd('HVALS'), key];
      case 'HINCRBYFLOAT': return [cmd('HINCRBYFLOAT'), key, rng.pick(MEMBERS), rng.pick(SCORES)];
      case 'HSCAN': return [cmd('HSCAN'), key, '0', ...(rng.chance(0.3) ? ['COUNT', '2'] : [])];
      case 'ZADD': {
        const flags = rng.subset(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'], 0.1);
        return [cmd('ZADD'), key, ...flags, ...members(rng, 1, 3).flatMap((member) => [rng.pick(SCORES), member])];
      }
      case 'ZREM': return [cmd('ZREM'), key, ...members(rng, 1, 3)];
      case 'ZSCORE': return [cmd('ZSCORE'), key, rng.pick(MEMBERS)];
      case 'ZMSCORE': return [cmd('ZMSCORE'), key, ...members(rng, 1, 3)];
      case 'ZINCRBY': return [cmd('ZINCRBY'), key, rng.pick(SCORES), rng.pick(MEMBERS)];
      case 'ZRANGE': return [cmd('ZRANGE'), key, rng.pick(['0', '1', '-2']), rng.pick(['-1', '2', '0']), ...(rng.chance(0.6) ? [anyCase(rng, 'WITHSCORES')] : [])];
      case 'ZSCAN': return [cmd('ZSCAN'), key, '0'];
      case 'GET': return [cmd('GET'), key];
      case 'SET': return [cmd('SET'), key, pickValue(rng)];
      case 'INCRBYFLOAT': return [cmd('INCRBYFLOAT'), key, rng.pick(SCORES)];
      case 'TYPE': return [cmd('TYPE'), key];
      case 'DEL': return [cmd('DEL'), ...pickKeys(rng, 1, 2)];
      case 'MGET': return [cmd('MGET'), ...pickKeys(rng, 1, 4)];
    }
  };
}

const FAMILIES = [
  { name: 'strings and keys', generate: createStringsAndKeysGenerator, expectedTypes: ['_'] },
  { name: 'sets, hashes and sorted sets', generate: createCollectionGenerator, expectedTypes: ['~', '%', ','] },
] as const;

describe.skipIf(!redisAvailable('differential resp3'))('differential: RESP3 replies', () => {
  const targets = useDifferentialTargets();

  const seeds = testSeeds('differential resp3');
  for (const family of FAMILIES) {
    for (const seed of seeds) {
      it(`matches redis over RESP3 on ${COMMANDS_PER_RUN} ${family.name} commands (seed ${seed})`, async () => {
        const result = await runDifferential({
          name: `resp3 ${family.name}`,
          seed,
          count: COMMANDS_PER_RUN,
          protocol: 3,
          generate: family.generate(),
          reference: targets.reference,
          candidate: targets.candidate,
        });
        expect(result.commands).toBe(COMMANDS_PER_RUN);
        expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN / 2);
        // The run must actually have compared the RESP3 types it is about.
        for (const type of family.expectedTypes) {
          expect(result.replyTypes.get(type) ?? 0, `replies of type '${type}'`).toBeGreaterThan(0);
        }
      });
    }
  }
});
