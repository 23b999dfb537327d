/**
 * DEBUG DIGEST, DEBUG DIGEST-VALUE and DEBUG OBJECT against redis-server
 * 7.0.15: the same mixed dataset (every type and encoding, TTLs, several
 * databases) built on both servers must digest identically, key by key and
 * as a whole, and DEBUG OBJECT must report the same encoding, serialized
 * length and quicklist shape.
 */
import { describe, expect, it } from 'vitest';
import { RawClient, replyToPlain, type Command, type PlainReply } from '../helpers/resp-client.js';
import { dumpDataset } from './dump-dataset.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

async function plain(client: RawClient, ...args: Command): Promise<PlainReply> {
  return replyToPlain(await client.callArgs(args));
}

/** DEBUG OBJECT without the parts that are the process's own (address, clock). */
function objectShape(reply: PlainReply): string {
  return String(reply)
    .replace(/^Value at:\S+ /, '')
    .replace(/ lru:\d+ lru_seconds_idle:\d+/, '');
}

describe.skipIf(!redisAvailable('differential debug digest'))('differential: DEBUG DIGEST and DEBUG OBJECT', () => {
  const targets = useDifferentialTargets({ enableDebug: true });

  it('digests a mixed dataset in several databases exactly as Redis does', async () => {
    const redis = await RawClient.connect(targets.reference.port);
    const reddish = await RawClient.connect(targets.candidate.port);
    try {
      for (const client of [redis, reddish]) {
        await client.call('FLUSHALL');
        expect(await plain(client, 'DEBUG', 'DIGEST')).toBe('0'.repeat(40));
        await client.pipeline(dumpDataset.commands);
        await client.pipeline([
          ['EXPIRE', 'h:lp', '100000'],
          ['SELECT', '3'],
          ['SET', 'in-db-3', 'v'],
          ['RPUSH', 'l', 'x', 'y'],
          ['SELECT', '0'],
        ]);
      }
      const keys = dumpDataset.keys.map((k) => k.key);
      for (const key of keys) {
        expect(await plain(reddish, 'DEBUG', 'DIGEST-VALUE', key), `DIGEST-VALUE ${key}`).toEqual(await plain(redis, 'DEBUG', 'DIGEST-VALUE', key));
      }
      const perKey: Command = ['DEBUG', 'DIGEST-VALUE', ...keys, 'missing'];
      expect(await plain(reddish, ...perKey)).toEqual(await plain(redis, ...perKey));
      expect(await plain(reddish, 'DEBUG', 'DIGEST')).toBe(await plain(redis, 'DEBUG', 'DIGEST'));
      for (const key of keys) {
        expect(objectShape(await plain(reddish, 'DEBUG', 'OBJECT', key)), `DEBUG OBJECT ${key}`).toBe(objectShape(await plain(redis, 'DEBUG', 'OBJECT', key)));
      }
      for (const command of [['DEBUG', 'OBJECT', 'missing'], ['DEBUG', 'DIGEST-VALUE'], ['DEBUG', 'OBJECT'], ['DEBUG', 'DIGEST', 'x']] as Command[]) {
        expect((await reddish.callArgs(command)).toString(), command.join(' ')).toBe((await redis.callArgs(command)).toString());
      }
      // An order change in a list changes the digest; the same members in another order in a set do not.
      for (const client of [redis, reddish]) await client.pipeline([['LSET', 'l:small', '0', 'changed'], ['SREM', 'set:ht', 'a'], ['SADD', 'set:ht', 'a']]);
      expect(await plain(reddish, 'DEBUG', 'DIGEST')).toBe(await plain(redis, 'DEBUG', 'DIGEST'));
    } finally {
      await redis.close();
      await reddish.close();
    }
  });
});
