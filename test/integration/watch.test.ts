/**
 * WATCH hears every kind of change through the change seat: expiry (lazy
 * and active), flushes, SWAPDB, MOVE and COPY ... DB. Each session is
 * played over real sockets on redis-server and on reddish, with a second
 * client (b) making the change, and the replies must be the same; each
 * also shows the EXEC failing (a null array) where the change reached WATCH.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient, escapeBytes } from '../helpers/resp-client.js';

type Step = ['a' | 'b', ...string[]] | ['sleep', number];

/** WATCH's EXEC when a watched key changed. */
const FAILED = '"*-1\\r\\n"';

/** a: MULTI, PING, EXEC; the EXEC's reply is the last one. */
const transaction: Step[] = [
  ['a', 'MULTI'],
  ['a', 'PING'],
  ['a', 'EXEC'],
];

const sessions: Record<string, { steps: Step[]; execFails: boolean }> = {
  'lazy expiry: another client meets the expired key': {
    steps: [
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['b', 'SET', 'k', 'v', 'PX', '150'],
      ['a', 'WATCH', 'k'],
      ['sleep', 250],
      ['b', 'GET', 'k'],
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ...transaction,
    ],
    execFails: true,
  },
  'lazy expiry: the watched key expires and nobody meets it': {
    steps: [
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['b', 'SET', 'k', 'v', 'PX', '150'],
      ['a', 'WATCH', 'k'],
      ['sleep', 250],
      ...transaction,
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
    ],
    execFails: true,
  },
  'active expiry deletes the watched key': {
    steps: [
      ['b', 'SET', 'k', 'v', 'PX', '150'],
      ['a', 'WATCH', 'k'],
      ['sleep', 800],
      // DBSIZE does not expire keys: 0 shows the cycle deleted it.
      ['b', 'DBSIZE'],
      ...transaction,
    ],
    execFails: true,
  },
  'a key already expired when watched is not a change': {
    steps: [
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['b', 'SET', 'k', 'v', 'PX', '1'],
      ['sleep', 20],
      ['a', 'WATCH', 'k'],
      ['b', 'EXISTS', 'k'],
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ...transaction,
    ],
    execFails: false,
  },
  'an already expired watched key that is written again': {
    steps: [
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['b', 'SET', 'k', 'v', 'PX', '1'],
      ['sleep', 20],
      ['a', 'WATCH', 'k'],
      ['b', 'SET', 'k', 'again'],
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ...transaction,
    ],
    execFails: true,
  },
  'an already expired watched key that DEL finds expired': {
    steps: [
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['b', 'SET', 'k', 'v', 'PX', '1'],
      ['sleep', 20],
      ['a', 'WATCH', 'k'],
      ['b', 'DEL', 'k'],
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ...transaction,
    ],
    execFails: false,
  },
  FLUSHDB: {
    steps: [['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'FLUSHDB'], ...transaction],
    execFails: true,
  },
  'FLUSHDB when the watched key does not exist': {
    steps: [['b', 'SET', 'other', 'v'], ['a', 'WATCH', 'k'], ['b', 'FLUSHDB'], ...transaction],
    execFails: false,
  },
  'FLUSHDB of an already expired watched key': {
    steps: [
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
      ['b', 'SET', 'k', 'v', 'PX', '1'],
      ['sleep', 20],
      ['a', 'WATCH', 'k'],
      ['b', 'FLUSHDB'],
      ['b', 'DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
      ...transaction,
    ],
    execFails: false,
  },
  'SWAPDB when the watched key is in neither database': {
    steps: [['b', 'SET', 'other', 'v'], ['a', 'WATCH', 'k'], ['b', 'SWAPDB', '0', '1'], ...transaction],
    execFails: false,
  },
  'FLUSHDB of another database': {
    steps: [['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'SELECT', '1'], ['b', 'FLUSHDB'], ...transaction],
    execFails: false,
  },
  FLUSHALL: {
    steps: [['b', 'SELECT', '2'], ['b', 'SET', 'k', 'v'], ['a', 'SELECT', '2'], ['a', 'WATCH', 'k'], ['b', 'FLUSHALL'], ...transaction],
    execFails: true,
  },
  'SWAPDB brings the key in': {
    steps: [['b', 'SELECT', '1'], ['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'SWAPDB', '0', '1'], ...transaction, ['a', 'EXISTS', 'k']],
    execFails: true,
  },
  'SWAPDB takes the key away': {
    steps: [['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'SWAPDB', '1', '0'], ...transaction, ['a', 'EXISTS', 'k']],
    execFails: true,
  },
  'MOVE out of the watched database': {
    steps: [['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'MOVE', 'k', '1'], ...transaction],
    execFails: true,
  },
  'MOVE into the watched database': {
    steps: [['b', 'SELECT', '1'], ['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'MOVE', 'k', '0'], ...transaction],
    execFails: true,
  },
  'MOVE that moves nothing': {
    steps: [['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'MOVE', 'missing', '1'], ...transaction],
    execFails: false,
  },
  'COPY ... DB into the watched database': {
    steps: [['b', 'SELECT', '3'], ['b', 'SET', 'src', 'v'], ['a', 'WATCH', 'k'], ['b', 'COPY', 'src', 'k', 'DB', '0'], ...transaction],
    execFails: true,
  },
  'COPY ... DB with the watched key as the source': {
    steps: [['b', 'SET', 'k', 'v'], ['a', 'WATCH', 'k'], ['b', 'COPY', 'k', 'k', 'DB', '1'], ...transaction],
    execFails: false,
  },
};

describe('WATCH hears every kind of change', () => {
  let redis: RedisServerHandle;
  let reddish: RunningServer;

  beforeAll(async () => {
    [redis, reddish] = await Promise.all([startRedisServer({ extraArgs: ['--enable-debug-command', 'yes'] }), startServer({ port: 0, config: { 'enable-debug-command': 'yes' } })]);
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
      for (const step of steps) {
        if (step[0] === 'sleep') {
          await new Promise((resolve) => setTimeout(resolve, step[1]));
          continue;
        }
        const [who, ...command] = step;
        replies.push(escapeBytes(await (who === 'a' ? a : b).call(...command)));
      }
      return replies;
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }

  for (const [name, { steps, execFails }] of Object.entries(sessions)) {
    it(name, async () => {
      const [expected, actual] = await Promise.all([play(redis.port, steps), play(reddish.port, steps)]);
      expect(actual).toEqual(expected);
      const exec = steps.findIndex((s) => s[0] === 'a' && s[1] === 'EXEC');
      const replies = steps.slice(0, exec + 1).filter((s) => s[0] !== 'sleep').length - 1;
      expect(actual[replies] === FAILED).toBe(execFails);
    });
  }
});
