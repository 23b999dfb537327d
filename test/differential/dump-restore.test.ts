/**
 * DUMP and RESTORE against redis-server 7.0.15, in both directions: a
 * dataset with every type and encoding is built on both servers; each key's
 * DUMP from Redis is restored in reddish and each DUMP from reddish in
 * Redis, and the restored values are read back and compared with the
 * originals (contents, OBJECT ENCODING, TTL). Payloads of the deterministic
 * encodings must be byte-identical. Then RESTORE's errors and options,
 * compared reply by reply.
 */
import { describe, expect, it } from 'vitest';
import { dumpFooter } from '../../src/persistence/rdb-encoding.js';
import { RawClient, replyToPlain, type Command, type PlainReply } from '../helpers/resp-client.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';
import { dumpDataset, maskTimes, readValue } from './dump-dataset.js';

async function connect(port: number): Promise<RawClient> {
  return RawClient.connect(port);
}

async function plain(client: RawClient, ...args: Command): Promise<PlainReply> {
  return replyToPlain(await client.callArgs(args));
}

describe.skipIf(!redisAvailable('differential dump/restore'))('differential: DUMP and RESTORE', () => {
  const targets = useDifferentialTargets();

  it('restores every type and encoding both ways, with the same contents and encodings', async () => {
    const redis = await connect(targets.reference.port);
    const reddish = await connect(targets.candidate.port);
    try {
      for (const client of [redis, reddish]) {
        await client.call('FLUSHALL');
        await client.pipeline(dumpDataset.commands);
      }
      let identical = 0;
      for (const { key, deterministic } of dumpDataset.keys) {
        const fromRedis = await redis.call('DUMP', key);
        const fromReddish = await reddish.call('DUMP', key);
        expect(fromRedis[0], key).toBe(0x24); // '$'
        if (deterministic) {
          expect(fromReddish.toString('hex'), `DUMP ${key}`).toBe(fromRedis.toString('hex'));
          identical++;
        }
        const redisPayload = payloadOf(fromRedis);
        const reddishPayload = payloadOf(fromReddish);
        const original = await readValue(redis, key);
        expect(maskTimes(await readValue(reddish, key)), `${key} on reddish`).toEqual(maskTimes(original));
        // Redis's payload into reddish, reddish's into Redis.
        expect(await plain(reddish, 'RESTORE', `${key}:copy`, 0, redisPayload)).toBe('OK');
        expect(await plain(redis, 'RESTORE', `${key}:copy`, 0, reddishPayload)).toBe('OK');
        // What Redis makes of its own payload is the reference for both
        // (a restored string gets a fresh encoding, so it may differ from the original's).
        expect(await plain(redis, 'RESTORE', `${key}:self`, 0, redisPayload)).toBe('OK');
        const restored = await readValue(redis, `${key}:self`);
        expect((restored as PlainReply[])[3], `${key} contents`).toEqual((original as PlainReply[])[3]);
        expect(await readValue(reddish, `${key}:copy`), `${key} restored in reddish`).toEqual(restored);
        // reddish's payload carries reddish's own clock readings.
        expect(maskTimes(await readValue(redis, `${key}:copy`)), `${key} restored in redis`).toEqual(maskTimes(restored));
      }
      expect(identical).toBeGreaterThan(10);
    } finally {
      await redis.close();
      await reddish.close();
    }
  });

  it('saves the probabilistic types as module values: they restore in reddish, and Redis without RedisBloom refuses them', async () => {
    const redis = await connect(targets.reference.port);
    const reddish = await connect(targets.candidate.port);
    try {
      await reddish.call('FLUSHALL');
      const creates: Command[] = [
        ['BF.ADD', 'bf', 'item'],
        ['CF.ADD', 'cf', 'item'],
        ['CMS.INITBYDIM', 'cms', '10', '3'],
        ['TOPK.RESERVE', 'topk', '3'],
      ];
      for (const create of creates) {
        await reddish.callArgs(create);
        const key = String(create[1]);
        const payload = payloadOf(await reddish.call('DUMP', key));
        expect(await plain(redis, 'RESTORE', key, 0, payload), key).toEqual(new Error('ERR Bad data format'));
        expect(await plain(reddish, 'RESTORE', `${key}:copy`, 0, payload), key).toBe('OK');
        expect(await plain(reddish, 'TYPE', `${key}:copy`)).toBe(await plain(reddish, 'TYPE', key));
        expect(payloadOf(await reddish.call('DUMP', `${key}:copy`)).toString('hex')).toBe(payload.toString('hex'));
      }
      expect(await plain(reddish, 'BF.EXISTS', 'bf:copy', 'item')).toBe(1);
      expect(await plain(reddish, 'CF.EXISTS', 'cf:copy', 'item')).toBe(1);
    } finally {
      await redis.close();
      await reddish.close();
    }
  });

  it('answers RESTORE errors and options as Redis does', async () => {
    const redis = await connect(targets.reference.port);
    const reddish = await connect(targets.candidate.port);
    try {
      for (const client of [redis, reddish]) {
        await client.call('FLUSHALL');
        await client.call('RPUSH', 'list', 'a', 'b', 'c');
        await client.call('SET', 'str', 'value');
      }
      const payload = payloadOf(await redis.call('DUMP', 'list'));
      const flipped = Buffer.from(payload);
      flipped[1]! ^= 0xff;
      const newer = Buffer.from(payload);
      newer.writeUInt16LE(11, newer.length - 10);
      // A valid footer over a body that is not a valid object.
      const garbage = dumpFooter(Buffer.from([0x12, 0x01, 0x02, 0x03, 0x41, 0x42, 0x43]));
      const scripts: Command[] = [
        ['RESTORE', 'list', '0', payload],
        ['RESTORE', 'new', '-1', payload],
        ['RESTORE', 'new', 'abc', payload],
        ['RESTORE', 'new', '0', flipped],
        ['RESTORE', 'new', '0', newer],
        ['RESTORE', 'new', '0', 'short'],
        ['RESTORE', 'new', '0', payload, 'BOGUS'],
        ['RESTORE', 'new', '0', payload, 'IDLETIME', '-1'],
        ['RESTORE', 'new', '0', payload, 'IDLETIME', 'x'],
        ['RESTORE', 'new', '0', payload, 'FREQ', '256'],
        ['RESTORE', 'new', '0', payload, 'IDLETIME', '10', 'FREQ', '5'],
        ['RESTORE', 'new', '0', payload, 'IDLETIME'],
        ['RESTORE', 'new', '0', payload, 'IDLETIME', '100'],
        ['OBJECT', 'IDLETIME', 'new'],
        ['RESTORE', 'new', '0', payload],
        ['RESTORE', 'new', '0', payload, 'REPLACE'],
        ['RESTORE', 'new2', '1', payload, 'ABSTTL'],
        ['EXISTS', 'new2'],
        ['RESTORE', 'new', '1', payload, 'ABSTTL', 'REPLACE'],
        ['EXISTS', 'new'],
        ['RESTORE', 'new3', '100000', payload],
        ['PTTL', 'new3'],
        ['RESTORE', 'new4', '4102444800000', payload, 'ABSTTL'],
        ['PEXPIRETIME', 'new4'],
        ['RESTORE', 'bad', '0', garbage],
        ['DUMP', 'missing'],
        ['DUMP'],
        ['RESTORE', 'x', '0'],
      ];
      for (const command of scripts) {
        const expected = await redis.callArgs(command);
        const actual = await reddish.callArgs(command);
        if (command[0] === 'PTTL' || command[0] === 'OBJECT') {
          expect(Math.abs(Number(replyToPlain(actual)) - Number(replyToPlain(expected))), command.join(' ')).toBeLessThan(2000);
        } else {
          expect(actual.toString('latin1'), String(command.slice(0, 2).join(' ') + ' ' + command.slice(4).join(' '))).toBe(expected.toString('latin1'));
        }
      }
    } finally {
      await redis.close();
      await reddish.close();
    }
  });
});

/** The bulk string of a DUMP reply. */
function payloadOf(reply: Buffer): Buffer {
  const headerEnd = reply.indexOf('\r\n');
  const length = Number(reply.subarray(1, headerEnd).toString());
  return reply.subarray(headerEnd + 2, headerEnd + 2 + length);
}
