/**
 * MULTI/EXEC/DISCARD/WATCH sessions played against redis-server and reddish:
 * each step names the connection (a or b) that sends it, so WATCH
 * invalidation by another client is covered; raw replies must be equal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { findRedisServer, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient, escapeBytes } from '../helpers/resp-client.js';

type Step = ['a' | 'b', ...string[]];

const sessions: Record<string, Step[]> = {
  'queues and executes': [
    ['a', 'MULTI'],
    ['a', 'SET', 'k', '1'],
    ['a', 'INCR', 'k'],
    ['a', 'GET', 'k'],
    ['a', 'EXEC'],
  ],
  'reports runtime errors inside the EXEC reply and keeps going': [
    ['a', 'SET', 's', 'text'],
    ['a', 'MULTI'],
    ['a', 'INCR', 's'],
    ['a', 'SET', 't', 'v'],
    ['a', 'EXEC'],
    ['a', 'GET', 't'],
  ],
  'aborts on a queue-time error (unknown command, wrong arity)': [
    ['a', 'MULTI'],
    ['a', 'SET', 'k', 'v'],
    ['a', 'NOSUCHCMD', 'x'],
    ['a', 'GET'],
    ['a', 'EXEC'],
    ['a', 'EXISTS', 'k'],
  ],
  'rejects nesting, EXEC and DISCARD without MULTI, WATCH inside MULTI': [
    ['a', 'EXEC'],
    ['a', 'DISCARD'],
    ['a', 'MULTI'],
    ['a', 'MULTI'],
    ['a', 'WATCH', 'k'],
    ['a', 'PING'],
    ['a', 'EXEC'],
  ],
  'discards': [
    ['a', 'MULTI'],
    ['a', 'SET', 'd', '1'],
    ['a', 'DISCARD'],
    ['a', 'EXISTS', 'd'],
  ],
  'fails EXEC when a watched key is changed by another client': [
    ['a', 'SET', 'w', '1'],
    ['a', 'WATCH', 'w'],
    ['b', 'SET', 'w', '2'],
    ['a', 'MULTI'],
    ['a', 'SET', 'w', '3'],
    ['a', 'EXEC'],
    ['a', 'GET', 'w'],
  ],
  'runs EXEC when watched keys are untouched, and UNWATCH forgets them': [
    ['a', 'WATCH', 'w1', 'w2'],
    ['b', 'SET', 'other', 'x'],
    ['a', 'MULTI'],
    ['a', 'SET', 'w1', 'ok'],
    ['a', 'EXEC'],
    ['a', 'WATCH', 'w1'],
    ['b', 'DEL', 'w1'],
    ['a', 'UNWATCH'],
    ['a', 'MULTI'],
    ['a', 'GET', 'w1'],
    ['a', 'EXEC'],
  ],
  'counts FLUSHALL as touching every watched key': [
    ['a', 'SET', 'f', '1'],
    ['a', 'WATCH', 'f'],
    ['b', 'FLUSHALL'],
    ['a', 'MULTI'],
    ['a', 'PING'],
    ['a', 'EXEC'],
  ],
  'replies RESP3 types inside EXEC': [
    ['a', 'HELLO', '3'],
    ['a', 'MULTI'],
    ['a', 'GET', 'missing'],
    ['a', 'LCS', 'x', 'y', 'IDX'],
    ['a', 'EXEC'],
  ],
};

const redisPath = findRedisServer();

describe.skipIf(!redisPath)('differential: transactions', () => {
  let redis: RedisServerHandle;
  let reddish: RunningServer;

  beforeAll(async () => {
    [redis, reddish] = await Promise.all([startRedisServer(), startServer({ port: 0 })]);
  });

  afterAll(async () => {
    await Promise.all([redis?.stop(), reddish?.close()]);
  });

  async function play(port: number, steps: Step[]): Promise<string[]> {
    const a = await RawClient.connect(port);
    const b = await RawClient.connect(port);
    try {
      await a.call('FLUSHALL');
      const replies: string[] = [];
      for (const [who, ...command] of steps) {
        const reply = await (who === 'a' ? a : b).call(...command);
        // HELLO's reply names the server; everything after it must match.
        replies.push(command[0] === 'HELLO' ? '(hello)' : escapeBytes(reply));
      }
      return replies;
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }

  for (const [name, steps] of Object.entries(sessions)) {
    it(name, async () => {
      const expected = await play(redis.port, steps);
      const actual = await play(reddish.port, steps);
      expect(actual).toEqual(expected);
    });
  }
});

if (!redisPath) console.log('[differential transactions] skipped: redis-server is not on PATH');
