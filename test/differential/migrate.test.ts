/**
 * MIGRATE from reddish and from redis-server 7.0.15, side by side: each
 * scenario runs on a source of each kind against the same target (a
 * redis-server with a password, or another reddish), and the replies, the
 * target's contents afterwards and what is left on the source must match.
 * Then the cases only reddish can show: the server keeps serving other
 * clients while one waits in MIGRATE, and the transport's errors.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { findFreePort, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient, encodeCommand, replyToPlain, type Command, type PlainReply } from '../helpers/resp-client.js';
import { readValue } from './dump-dataset.js';
import { redisAvailable } from './targets.js';

async function plain(client: RawClient, ...args: Command): Promise<PlainReply> {
  return replyToPlain(await client.callArgs(args));
}

describe.skipIf(!redisAvailable('differential migrate'))('differential: MIGRATE', () => {
  let sourceRedis: RedisServerHandle;
  let targetRedis: RedisServerHandle;
  let sourceReddish: RunningServer;
  let targetReddish: RunningServer;

  beforeAll(async () => {
    [sourceRedis, targetRedis] = await Promise.all([startRedisServer(), startRedisServer({ requirepass: 'secret' })]);
    sourceReddish = await startServer({ port: 0 });
    targetReddish = await startServer({ port: 0 });
  });
  afterAll(async () => {
    await Promise.all([sourceRedis?.stop(), targetRedis?.stop(), sourceReddish?.close(), targetReddish?.close()]);
  });

  /** One scenario: source setup, the MIGRATE commands, then what to read on source and target. */
  interface Scenario {
    setup: Command[];
    targetSetup?: Command[];
    migrate: (port: number) => Command[];
    keys: string[];
  }

  const scenarios: Record<string, Scenario> = {
    'moves one key with its TTL, and AUTH': {
      setup: [['SET', 'a', '1'], ['PEXPIRE', 'a', '100000'], ['RPUSH', 'l', 'x', 'y']],
      migrate: (port) => [['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'AUTH', 'secret'], ['MIGRATE', '127.0.0.1', String(port), 'l', '0', '5000', 'AUTH', 'secret']],
      keys: ['a', 'l'],
    },
    'COPY keeps the source; KEYS moves several into another db; missing keys are NOKEY': {
      setup: [['SET', 'a', '1'], ['HSET', 'h', 'f', 'v'], ['ZADD', 'z', '1', 'm']],
      migrate: (port) => [
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'COPY', 'AUTH2', 'default', 'secret'],
        ['MIGRATE', '127.0.0.1', String(port), '', '2', '5000', 'AUTH', 'secret', 'KEYS', 'h', 'z', 'missing'],
        ['MIGRATE', '127.0.0.1', String(port), 'missing', '0', '5000', 'AUTH', 'secret'],
        ['MIGRATE', '127.0.0.1', String(port), '', '0', '5000', 'KEYS', 'missing', 'other'],
      ],
      keys: ['a', 'h', 'z'],
    },
    'an existing key on the target is an error unless REPLACE': {
      setup: [['SET', 'a', 'new'], ['SET', 'b', 'new']],
      targetSetup: [['SET', 'a', 'old'], ['SET', 'b', 'old']],
      migrate: (port) => [
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'AUTH', 'secret'],
        ['MIGRATE', '127.0.0.1', String(port), 'b', '0', '5000', 'REPLACE', 'AUTH', 'secret'],
      ],
      keys: ['a', 'b'],
    },
    'a wrong password or a missing one is the target error': {
      setup: [['SET', 'a', '1']],
      migrate: (port) => [
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'AUTH', 'wrong'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', '99', '5000', 'AUTH', 'secret'],
      ],
      keys: ['a'],
    },
    'syntax and argument errors': {
      setup: [['SET', 'a', '1']],
      migrate: (port) => [
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'KEYS', 'a'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'AUTH'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'AUTH2', 'user'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', '5000', 'BOGUS'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', 'x', '5000'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0', 'x'],
        ['MIGRATE', '127.0.0.1', String(port), 'a', '0'],
      ],
      keys: ['a'],
    },
  };

  for (const [name, scenario] of Object.entries(scenarios)) {
    it(`toward redis-server: ${name}`, async () => {
      const target = await RawClient.connect(targetRedis.port);
      const results: PlainReply[][] = [];
      try {
        await plain(target, 'AUTH', 'secret');
        for (const sourcePort of [sourceRedis.port, sourceReddish.port]) {
          const source = await RawClient.connect(sourcePort);
          try {
            await plain(target, 'FLUSHALL');
            await target.pipeline(scenario.targetSetup ?? []);
            await plain(source, 'FLUSHALL');
            await source.pipeline(scenario.setup);
            const replies: PlainReply[] = [];
            for (const command of scenario.migrate(targetRedis.port)) replies.push(await plain(source, ...command));
            const after: PlainReply[] = [];
            for (const db of ['0', '2']) {
              await plain(target, 'SELECT', db);
              for (const key of scenario.keys) after.push(await readValue(source, key), await readValue(target, key));
            }
            await plain(target, 'SELECT', '0');
            results.push([replies, after]);
          } finally {
            await source.close();
          }
        }
      } finally {
        await target.close();
      }
      expect(results[1], 'reddish as the source').toEqual(results[0]);
    });
  }

  it('moves every type toward another reddish, and propagates the move as DEL', async () => {
    const source = await RawClient.connect(sourceReddish.port);
    const target = await RawClient.connect(targetReddish.port);
    const journal: string[][] = [];
    const unsubscribe = sourceReddish.server.propagation.subscribe((unit) => {
      for (const command of unit) journal.push([...command.argv]);
    });
    try {
      await plain(source, 'FLUSHALL');
      await plain(target, 'FLUSHALL');
      await source.pipeline([
        ['SET', 's', 'v'],
        ['RPUSH', 'l', 'a', 'b'],
        ['SADD', 'set', 'x', '1'],
        ['HSET', 'h', 'f', 'v'],
        ['ZADD', 'z', '2', 'm'],
        ['XADD', 'x', '1-1', 'f', 'v'],
        ['BF.ADD', 'bf', 'item'],
      ]);
      const keys = ['s', 'l', 'set', 'h', 'z', 'x', 'bf'];
      const before: PlainReply[] = [];
      for (const key of keys) before.push(await readValue(source, key));
      journal.length = 0;
      expect(await plain(source, 'MIGRATE', '127.0.0.1', String(targetReddish.port), '', '0', '5000', 'KEYS', ...keys)).toBe('OK');
      for (let i = 0; i < keys.length; i++) expect(await readValue(target, keys[i]!)).toEqual(before[i]);
      expect(await plain(source, 'DBSIZE')).toBe(0);
      expect(journal).toEqual([['DEL', ...keys]]);
    } finally {
      unsubscribe();
      await source.close();
      await target.close();
    }
  });

  it('holds only its own client: others are served while the target is silent, and the wait ends in IOERR', async () => {
    const accepted: net.Socket[] = [];
    // Accepts and never answers.
    const silent = net.createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as net.AddressInfo).port;
    const migrating = await RawClient.connect(sourceReddish.port);
    const other = await RawClient.connect(sourceReddish.port);
    try {
      await plain(migrating, 'SET', 'k', 'v');
      const started = Date.now();
      migrating.sendRaw(Buffer.concat([encodeCommand(['MIGRATE', '127.0.0.1', String(silentPort), 'k', '0', '300']), encodeCommand(['PING'])]));
      expect(await plain(other, 'GET', 'k')).toBe('v');
      expect(Date.now() - started).toBeLessThan(300);
      expect((await migrating.readReply(5000)).toString()).toBe('-IOERR error or timeout reading to target instance\r\n');
      // The pipelined PING waited behind MIGRATE.
      expect((await migrating.readReply()).toString()).toBe('+PONG\r\n');
      expect(await plain(migrating, 'GET', 'k')).toBe('v');
      const closedPort = await findFreePort();
      expect((await migrating.call('MIGRATE', '127.0.0.1', String(closedPort), 'k', '0', '1000')).toString()).toBe(
        '-IOERR error or timeout connecting to the client\r\n',
      );
      expect((await migrating.call('MULTI')).toString()).toBe('+OK\r\n');
      await migrating.call('MIGRATE', '127.0.0.1', String(closedPort), 'k', '0', '1000');
      expect(replyToPlain(await migrating.call('EXEC'))).toEqual([new Error('ERR MIGRATE cannot be used inside MULTI/EXEC or scripts')]);
    } finally {
      await migrating.close();
      await other.close();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
