/**
 * Field TTLs must not change what Redis 7.0's hash commands answer. Each
 * test runs the same 7.0 commands on a hash in redis-server 7.0.15 and on
 * the same hash in reddish that has (or had) field TTLs, and compares the
 * raw replies byte for byte:
 *
 * - TTLs set then all removed with HPERSIST, in field order, so the
 *   listpackex field order (7.4.1:src/t_hash.c listpackExAddInternal: a
 *   field losing its TTL goes to the end) is the original order again;
 * - TTLs far in the future, compared on the commands whose reply does not
 *   depend on field order (a listpackex orders fields by deadline, which
 *   redis-server 7.0 cannot show).
 *
 * OBJECT ENCODING is left out: reddish reports Redis 8's `listpackex`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/resp-client.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

type Argv = string[];

/** Fields f0..f{n-1} with values that mix integers, floats and text. */
function fieldsOf(n: number): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < n; i++) pairs.push(`f${i}`, i % 3 === 0 ? String(i) : i % 3 === 1 ? `${i}.5` : `text-${i}`);
  return pairs;
}

/** 7.0 hash commands, reads and writes, including errors and WRONGTYPE. */
function sevenZeroCommands(key: string, n: number, ordered: boolean): Argv[] {
  const commands: Argv[] = [
    ['HLEN', key],
    ['HGET', key, 'f0'],
    ['HGET', key, 'missing'],
    ['HMGET', key, 'f0', 'f1', 'missing', `f${n - 1}`],
    ['HEXISTS', key, 'f1'],
    ['HEXISTS', key, 'missing'],
    ['HSTRLEN', key, 'f2'],
    ['HINCRBY', key, 'f0', '7'],
    ['HINCRBY', key, 'f2', '1'],
    ['HINCRBYFLOAT', key, 'f1', '0.25'],
    ['HINCRBYFLOAT', key, 'f2', '1'],
    ['HSETNX', key, 'f0', 'x'],
    ['HSETNX', key, 'new', 'x'],
    ['HSET', key, 'f3', 'replaced', 'another', 'y'],
    ['HDEL', key, 'f4', 'missing'],
    ['HLEN', key],
    ['HRANDFIELD', key, '0'],
    ['HRANDFIELD', key, String(n + 10), 'WITHVALUES'],
    ['TYPE', key],
    ['EXISTS', key],
  ];
  if (ordered) commands.push(['HGETALL', key], ['HKEYS', key], ['HVALS', key], ['HSCAN', key, '0', 'COUNT', '1000']);
  return commands;
}

describe.skipIf(!redisAvailable('differential hash field expiry'))('differential: 7.0 hash commands on hashes with field TTLs', () => {
  const targets = useDifferentialTargets();
  let reference: RawClient;
  let candidate: RawClient;

  beforeAll(async () => {
    reference = await RawClient.connect(targets.reference.port);
    candidate = await RawClient.connect(targets.candidate.port);
  });

  afterAll(async () => {
    await reference?.close();
    await candidate?.close();
  });

  async function both(argv: Argv): Promise<[string, string]> {
    const [r, c] = await Promise.all([reference.call(...argv), candidate.call(...argv)]);
    return [r.toString('latin1'), c.toString('latin1')];
  }

  async function expectSameReplies(commands: Argv[], sortHrandfield: boolean): Promise<void> {
    for (const argv of commands) {
      let [r, c] = await both(argv);
      // HRANDFIELD with a count past the size answers the whole hash in hash order.
      if (sortHrandfield && argv[0] === 'HRANDFIELD') [r, c] = [r.split('\r\n').sort().join(), c.split('\r\n').sort().join()];
      expect(c, argv.join(' ')).toBe(r);
    }
  }

  for (const n of [5, 200]) {
    const encoding = n > 128 ? 'hashtable' : 'listpack';
    it(`a ${encoding} hash whose field TTLs were all removed answers as a plain hash`, async () => {
      await both(['FLUSHALL']);
      await both(['HSET', 'h', ...fieldsOf(n)]);
      const fields = fieldsOf(n).filter((_, i) => i % 2 === 0);
      // Only reddish has field TTLs: give them, then take them away again.
      expect((await candidate.call('HEXPIRE', 'h', '1000', 'FIELDS', String(fields.length), ...fields)).toString('latin1')).toMatch(/^\*\d+\r\n(:1\r\n)+$/);
      await candidate.call('HPERSIST', 'h', 'FIELDS', String(fields.length), ...fields);
      await expectSameReplies(sevenZeroCommands('h', n, true), false);
    });

    it(`a ${encoding} hash with field TTLs still to come answers the order-free 7.0 commands as a plain hash`, async () => {
      await both(['FLUSHALL']);
      await both(['HSET', 'h', ...fieldsOf(n)]);
      const some = fieldsOf(n).filter((_, i) => i % 4 === 0);
      await candidate.call('HEXPIRE', 'h', '100000', 'FIELDS', String(some.length), ...some);
      await both(['SET', 's', 'v']);
      await expectSameReplies([...sevenZeroCommands('h', n, false), ['HGET', 's', 'f'], ['HLEN', 's']], true);
    });
  }
});
