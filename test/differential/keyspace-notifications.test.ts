/**
 * Keyspace notifications against redis-server 7.0.15: the same commands on
 * both servers, with a subscriber on `__key*__:*` on each, and after every
 * command the notifications it caused compared exactly, in order (channel
 * and message), along with its reply.
 *
 * - Random sequences from the differential generators, under several
 *   `notify-keyspace-events` values (DIFF_SEED replays the random seed).
 * - Fixed sequences that cover each event Redis names, `new` and
 *   `keymiss`, expiry (lazy and active), transactions and blocking pops
 *   served by another client's push.
 */
import { describe, expect, it } from 'vitest';
import { Rng, testSeeds } from '../helpers/random.js';
import { describeNotification, openNotificationStream, type NotificationStream } from '../helpers/notification-stream.js';
import { RawClient, encodeCommand, escapeBytes, formatCommand, type Command } from '../helpers/resp-client.js';
import { createBitmapHllGenerator } from './bitmap-hll-commands.js';
import { createGeoCommandGenerator } from './geo-commands.js';
import { createCollectionCommandGenerator } from './collection-commands.js';
import { normalizeReplies, ruleFor, runDifferential, type Endpoint } from './harness.js';
import { createKeyCommandGenerator } from './key-commands.js';
import { createListCommandGenerator } from './list-commands.js';
import { createStringCommandGenerator } from './string-commands.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';
import { createZsetCommandGenerator } from './zset-commands.js';

const COMMANDS_PER_RUN = 300;

/**
 * Each generator with the notify-keyspace-events values it runs under:
 * every class on both channels, with and without the two classes A leaves
 * out (n, m), those two alone, and the generator's own classes on one channel.
 */
const COMMON_FLAGS = ['KEA', 'KEAnm', 'Knm'];
const GENERATORS: ReadonlyArray<[string, () => (rng: Rng) => Command, string[]]> = [
  ['strings', createStringCommandGenerator, [...COMMON_FLAGS, 'Eg$']],
  ['keys', createKeyCommandGenerator, [...COMMON_FLAGS, 'Kgx']],
  ['lists', createListCommandGenerator, [...COMMON_FLAGS, 'Kl']],
  ['hashes and sets', createCollectionCommandGenerator, [...COMMON_FLAGS, 'Ehs']],
  ['sorted sets', () => createZsetCommandGenerator(), [...COMMON_FLAGS, 'Kzg']],
  ['bitmaps and HyperLogLogs', createBitmapHllGenerator, [...COMMON_FLAGS, 'E$']],
  ['GEO', createGeoCommandGenerator, [...COMMON_FLAGS, 'Kzg']],
];

async function withClient<T>(endpoint: Endpoint, use: (client: RawClient) => Promise<T>): Promise<T> {
  const client = await RawClient.connect(endpoint.port, { host: endpoint.host });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/**
 * The generator without RANDOMKEY, which deletes the expired keys its
 * random picks meet: which ones, and so which `expired` it publishes, is
 * chance on each server.
 */
function withoutRandomKey(generate: (rng: Rng) => Command): (rng: Rng) => Command {
  return (rng) => {
    for (;;) {
      const command = generate(rng);
      if (String(command[0]).toUpperCase() !== 'RANDOMKEY') return command;
    }
  };
}

const SELF_MARK = 'end-of-command';
const PUSH_PREFIX = '>4\r\n$8\r\npmessage\r\n$10\r\n__key*__:*\r\n';

/** The notification pushes in what a RESP3 listener received (as channel-message pairs), and the rest: the reply. */
function splitPushes(text: string): [string[], string] {
  const pushes: string[] = [];
  let reply = '';
  let at = 0;
  for (;;) {
    const start = text.indexOf(PUSH_PREFIX, at);
    if (start === -1) return [pushes, reply + text.slice(at)];
    reply += text.slice(at, start);
    let cursor = start + PUSH_PREFIX.length;
    const parts: string[] = [];
    for (let k = 0; k < 2; k++) {
      const lineEnd = text.indexOf('\r\n', cursor);
      const length = Number(text.slice(cursor + 1, lineEnd));
      parts.push(text.slice(lineEnd + 2, lineEnd + 2 + length));
      cursor = lineEnd + 2 + length + 2;
    }
    pushes.push(`${escapeBytes(parts[0]!)} ${escapeBytes(parts[1]!)}`);
    at = cursor;
  }
}

async function setFlags(endpoint: Endpoint, flags: string): Promise<void> {
  await withClient(endpoint, async (client) => {
    const reply = (await client.call('CONFIG', 'SET', 'notify-keyspace-events', flags)).toString('latin1');
    if (reply !== '+OK\r\n') throw new Error(`CONFIG SET notify-keyspace-events ${flags} on ${endpoint.label}: ${reply}`);
  });
}

async function notificationLines(stream: NotificationStream): Promise<string[]> {
  return (await stream.take()).map(describeNotification);
}

describe.skipIf(!redisAvailable('differential keyspace notifications'))('differential: keyspace notifications', () => {
  const targets = useDifferentialTargets({ enableDebug: true });

  /** Runs `body` with `flags` set on both servers and a notification stream open on each. */
  async function withNotifications<T>(flags: string, body: (reference: NotificationStream, candidate: NotificationStream) => Promise<T>): Promise<T> {
    await setFlags(targets.reference, flags);
    await setFlags(targets.candidate, flags);
    const reference = await openNotificationStream(targets.reference.port);
    const candidate = await openNotificationStream(targets.candidate.port);
    try {
      return await body(reference, candidate);
    } finally {
      await reference.close();
      await candidate.close();
      await setFlags(targets.reference, '');
      await setFlags(targets.candidate, '');
    }
  }

  /**
   * Active expiry on or off on both servers. Off for random runs: keys
   * stored with a time already past (SET ... PXAT 1, as Redis 7.0 allows)
   * would otherwise expire whenever each server's cycle happens to run,
   * and their `expired` land beside different commands.
   */
  async function setActiveExpiry(on: boolean): Promise<void> {
    for (const endpoint of [targets.reference, targets.candidate]) {
      await withClient(endpoint, (client) => client.call('DEBUG', 'SET-ACTIVE-EXPIRE', on ? '1' : '0'));
    }
  }

  describe('random command sequences', () => {
    const [fixedSeed, randomSeed] = testSeeds('differential keyspace notifications');
    // The fixed seed under every value; the random seed under one value per generator.
    const runs: Array<[string, () => (rng: Rng) => Command, string, number]> = [];
    for (const [name, generator, values] of GENERATORS) {
      for (const flags of values) runs.push([name, generator, flags, fixedSeed]);
      runs.push([name, generator, values[randomSeed % values.length]!, randomSeed]);
    }

    for (const [name, generator, flags, seed] of runs) {
      it(`${name}, notify-keyspace-events ${flags}: the same notifications for ${COMMANDS_PER_RUN} random commands (seed ${seed})`, async () => {
        let notified = 0;
        const observe = (stream: NotificationStream, count: boolean) => async (command: Command) => {
          const lines = await notificationLines(stream);
          if (count) notified += lines.length;
          // SCAN expires the keys it meets in hash order, which differs between the servers.
          return String(command[0]).toUpperCase() === 'SCAN' ? lines.sort() : lines;
        };
        await setActiveExpiry(false);
        try {
          const result = await withNotifications(flags, (reference, candidate) =>
            runDifferential({
              name: `keyspace notifications, ${name}, ${flags}`,
              seed,
              count: COMMANDS_PER_RUN,
              generate: withoutRandomKey(generator()),
              reference: targets.reference,
              candidate: targets.candidate,
              observe: { reference: observe(reference, true), candidate: observe(candidate, false) },
            }),
          );
          expect(result.commands).toBe(COMMANDS_PER_RUN);
        } finally {
          await setActiveExpiry(true);
        }
        // The run must have published something to compare.
        expect(notified).toBeGreaterThan(0);
      });
    }
  });

  describe('RESP3: a client listening to its own notifications', () => {
    // Pushes land among the client's replies, inside an array reply even
    // (MGET's keymiss, ZPOPMIN's zpopmin), wherever Redis writes them.
    const [fixedSeed, randomSeed] = testSeeds('differential keyspace notifications, RESP3');
    const runs: Array<[string, () => (rng: Rng) => Command, number]> = GENERATORS.map(([name, generator]) => [name, generator, fixedSeed]);
    runs.push([...GENERATORS[randomSeed % GENERATORS.length]!.slice(0, 2), randomSeed] as [string, () => (rng: Rng) => Command, number]);

    for (const [name, generator, seed] of runs) {
      it(`${name}: pushes and replies interleave as on Redis, for ${COMMANDS_PER_RUN} random commands (seed ${seed})`, async () => {
        await setActiveExpiry(false);
        try {
          await withNotifications('KEAnm', async () => {
            const [reference, candidate] = await Promise.all([selfListener(targets.reference), selfListener(targets.candidate)]);
            try {
              const rng = new Rng(seed);
              const generate = withoutRandomKey(generator());
              let pushes = 0;
              for (let i = 0; i < COMMANDS_PER_RUN; i++) {
                const command = generate(rng);
                // A full *SCAN is several calls (and SCAN expires keys in hash order); CLIENT, HELLO and RESET would change the listener itself.
                if (/^([SHZ]?SCAN|HELLO|RESET|CLIENT)$/i.test(String(command[0]))) continue;
                const [expected, got] = [await reference(command), await candidate(command)];
                const rule = ruleFor(command);
                const label = `#${i} ${formatCommand(command)} (seed ${seed})`;
                const [expectedPushes, expectedReply] = splitPushes(expected);
                const [gotPushes, gotReply] = splitPushes(got);
                if (rule.kind === 'exact') {
                  expect(escapeBytes(got), label).toBe(escapeBytes(expected));
                } else {
                  // A reply compared loosely (a random pick, an unordered set): the pushes exactly, the reply by the rule.
                  expect(gotPushes, label).toEqual(expectedPushes);
                  const [a, b] = normalizeReplies(rule, Buffer.from(expectedReply, 'latin1'), Buffer.from(gotReply, 'latin1'));
                  expect(escapeBytes(b), label).toBe(escapeBytes(a));
                }
                pushes += expectedPushes.length;
              }
              expect(pushes).toBeGreaterThan(0);
            } finally {
              await reference.close();
              await candidate.close();
            }
          });
        } finally {
          await setActiveExpiry(true);
        }
      });
    }
  });

  it('a RESP3 client that tracks a key and listens to its notifications gets the invalidation first', async () => {
    const session = async (endpoint: Endpoint): Promise<string[]> => {
      const listener = await selfListener(endpoint);
      const writer = await RawClient.connect(endpoint.port, { host: endpoint.host });
      try {
        await writer.call('FLUSHALL');
        await writer.call('SET', 'k', 'v');
        const out = [await listener(['CLIENT', 'TRACKING', 'ON']), await listener(['GET', 'k'])];
        await writer.call('SET', 'k', 'w');
        await writer.call('DEL', 'k');
        // What the writer's commands sent the listener arrives before the reply to its next command.
        out.push(await listener(['GET', 'k']));
        return out;
      } finally {
        await listener.close();
        await writer.close();
      }
    };
    await withNotifications('KEA', async () => {
      const expected = await session(targets.reference);
      expect(expected[2]!.indexOf('invalidate')).toBeGreaterThan(-1);
      expect(expected[2]!.indexOf('invalidate')).toBeLessThan(expected[2]!.indexOf('pmessage'));
      expect(await session(targets.candidate)).toEqual(expected);
    });
  });

  /**
   * A RESP3 connection PSUBSCRIBEd to every notification that also runs
   * commands: each call returns every byte that arrived up to the command's
   * reply, pushes included, wherever they fell.
   */
  async function selfListener(endpoint: Endpoint): Promise<((command: Command) => Promise<string>) & { close(): Promise<void> }> {
    const client = await RawClient.connect(endpoint.port, { host: endpoint.host });
    await client.call('HELLO', '3');
    await client.call('PSUBSCRIBE', '__key*__:*');
    const run = async (command: Command): Promise<string> => {
      // PING's reply marks the end of what the command caused.
      client.sendRaw(Buffer.concat([encodeCommand(command), encodeCommand(['PING', SELF_MARK])]));
      let out = '';
      for (;;) {
        const frame = (await client.readReply()).toString('latin1');
        if (frame === `$${SELF_MARK.length}\r\n${SELF_MARK}\r\n`) return out;
        out += frame;
      }
    };
    return Object.assign(run, { close: () => client.close() });
  }

  /**
   * A step of a fixed sequence: a command on the main client; a command
   * another client sends and blocks in (its reply is read at `served`);
   * or a pause for the active expiry cycle.
   */
  type Step = Command | { block: Command } | { served: true } | { pauseMs: number };

  /** Plays the steps on one server; one line per step: the command, its reply and what was published meanwhile. */
  async function play(endpoint: Endpoint, stream: NotificationStream, steps: readonly Step[]): Promise<string[]> {
    const client = await RawClient.connect(endpoint.port, { host: endpoint.host });
    const blocked = await RawClient.connect(endpoint.port, { host: endpoint.host, replyTimeoutMs: 5000 });
    const out: string[] = [];
    try {
      await client.call('FLUSHALL');
      await notificationLines(stream);
      let pending: Promise<Buffer> | null = null;
      for (const step of steps) {
        let label: string;
        let reply: string;
        if ('pauseMs' in step) {
          await new Promise((resolve) => setTimeout(resolve, step.pauseMs));
          label = `(${step.pauseMs} ms pass)`;
          reply = '';
        } else if ('block' in step) {
          pending = blocked.callArgs(step.block);
          await waitForBlockedClient(client);
          label = `(blocked) ${step.block.join(' ')}`;
          reply = '';
        } else if ('served' in step) {
          label = '(served)';
          reply = (await pending!).toString('latin1');
          pending = null;
        } else {
          label = step.join(' ');
          reply = (await client.callArgs(step)).toString('latin1');
        }
        out.push(`${label} => ${JSON.stringify(reply)} ${JSON.stringify(await notificationLines(stream))}`);
      }
      await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      await client.call('FLUSHALL');
    } finally {
      await client.close();
      await blocked.close();
    }
    return out;
  }

  async function waitForBlockedClient(client: RawClient): Promise<void> {
    for (let tries = 0; tries < 500; tries++) {
      const info = (await client.call('INFO', 'clients')).toString('latin1');
      if (/blocked_clients:1\r\n/.test(info)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('the client never blocked');
  }

  async function expectSameNotifications(steps: readonly Step[], flags = 'KEAnm'): Promise<string[]> {
    return withNotifications(flags, async (reference, candidate) => {
      const expected = await play(targets.reference, reference, steps);
      const got = await play(targets.candidate, candidate, steps);
      expect(got).toEqual(expected);
      return expected;
    });
  }

  /** Checks that the sequence did publish each of `events` (on a keyevent channel), so that the comparison covered it. */
  function expectPublished(lines: readonly string[], events: readonly string[]): void {
    const text = lines.join('\n');
    for (const event of events) expect(text, event).toMatch(new RegExp(`__keyevent@\\d+__:${event.replace(/[$]/g, '\\$&')}\\b`));
  }

  /**
   * Active expiry off, a key given 20 ms to live, and a sleep past it: the
   * next command to meet it expires it. Not 1 ms: a loaded redis-server can
   * read its clock twice within one PEXPIRE more than 1 ms apart and delete
   * the key at once (`del` instead of `expire`).
   */
  const expiring = (key: string, ...make: Command[]): Step[] => [
    ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
    ...make,
    ['PEXPIRE', key, '20'],
    ['DEBUG', 'SLEEP', '0.05'],
  ];

  describe('fixed sequences', () => {
    it('strings and the generic commands: set, del, expire, persist, renames, copy, move', async () => {
      const lines = await expectSameNotifications([
        ['SET', 'k', 'v'],
        ['SET', 'k', 'w', 'KEEPTTL'],
        ['SET', 'k', 'x', 'NX'],
        ['SETEX', 'e', '100', 'v'],
        ['APPEND', 'k', 'y'],
        ['APPEND', 'a', 'new'],
        ['INCR', 'n'],
        ['INCRBYFLOAT', 'n', '1.5'],
        ['SETRANGE', 'r', '3', 'abc'],
        ['SETBIT', 'b', '7', '1'],
        ['GETDEL', 'b'],
        ['GETEX', 'k', 'EX', '100'],
        ['GETEX', 'k', 'PERSIST'],
        ['MSET', 'm1', '1', 'k', '2'],
        ['MSETNX', 'm2', '1', 'm3', '2'],
        ['EXPIRE', 'k', '100'],
        ['PERSIST', 'k'],
        ['PEXPIRE', 'm1', '-1'],
        ['DEL', 'm2', 'missing', 'm3'],
        ['RENAME', 'k', 'k2'],
        ['RENAME', 'a', 'k2'],
        ['RENAMENX', 'k2', 'n'],
        ['RENAMENX', 'k2', 'k3'],
        ['COPY', 'k3', 'c'],
        ['COPY', 'n', 'c', 'REPLACE'],
        ['COPY', 'c', 'c', 'DB', '2'],
        ['MOVE', 'c', '1'],
        ['MOVE', 'n', '1'],
        ['SELECT', '1'],
        ['DEL', 'c'],
        ['SELECT', '0'],
        ['SWAPDB', '0', '1'],
        ['FLUSHDB'],
        ['FLUSHALL'],
      ]);
      expectPublished(lines, ['new', 'set', 'append', 'incrby', 'incrbyfloat', 'setrange', 'setbit', 'del', 'expire', 'persist', 'rename_from', 'rename_to', 'copy_to', 'move_from', 'move_to']);
    });

    it('lists: lpush, lpop, linsert, lset, lrem, ltrim, lmove, sortstore', async () => {
      const lines = await expectSameNotifications([
        ['LPUSH', 'l', 'c', 'b', 'a'],
        ['RPUSH', 'l', 'd'],
        ['LPUSHX', 'nol', 'x'],
        ['LINSERT', 'l', 'BEFORE', 'b', 'x'],
        ['LINSERT', 'l', 'BEFORE', 'zz', 'x'],
        ['LSET', 'l', '0', 'A'],
        ['LREM', 'l', '0', 'x'],
        ['LPOP', 'l'],
        ['RPOP', 'l', '2'],
        ['LMOVE', 'l', 'l2', 'LEFT', 'RIGHT'],
        ['RPUSH', 'l', '3', '1', '2'],
        ['RPOPLPUSH', 'l', 'l'],
        ['LMPOP', '2', 'nol', 'l', 'LEFT', 'COUNT', '1'],
        ['SORT', 'l', 'STORE', 'sorted'],
        ['SORT', 'nol', 'STORE', 'sorted'],
        ['LTRIM', 'l', '0', '0'],
        ['LTRIM', 'l', '1', '0'],
        ['BLPOP', 'l2', '0'],
      ]);
      expectPublished(lines, ['new', 'lpush', 'rpush', 'linsert', 'lset', 'lrem', 'lpop', 'rpop', 'sortstore', 'ltrim', 'del']);
    });

    it('hashes, sets, sorted sets and HyperLogLogs', async () => {
      const lines = await expectSameNotifications([
        ['HSET', 'h', 'f', '1', 'g', '2'],
        ['HSETNX', 'h', 'f', '9'],
        ['HSETNX', 'h', 'n', '9'],
        ['HINCRBY', 'h', 'f', '2'],
        ['HINCRBYFLOAT', 'h', 'g', '1.5'],
        ['HDEL', 'h', 'f', 'g', 'n'],
        ['SADD', 's1', 'a', 'b', 'c'],
        ['SADD', 's2', 'b', 'c', 'd'],
        ['SREM', 's1', 'a'],
        ['SMOVE', 's1', 's3', 'b'],
        ['SMOVE', 's3', 's4', 'b'],
        ['SINTERSTORE', 'si', 's1', 's2'],
        ['SUNIONSTORE', 'su', 's1', 's2'],
        ['SDIFFSTORE', 'sd', 's2', 's1'],
        ['SINTERSTORE', 'si', 's1', 'missing'],
        ['SPOP', 's1'],
        ['ZADD', 'z', '1', 'a', '2', 'b'],
        ['ZADD', 'z', 'INCR', '5', 'a'],
        ['ZINCRBY', 'z', '1', 'c'],
        ['ZADD', 'z', 'XX', '1', 'nope'],
        ['ZREM', 'z', 'b'],
        ['ZUNIONSTORE', 'zu', '2', 'z', 's2'],
        ['ZINTERSTORE', 'zi', '1', 'z'],
        ['ZDIFFSTORE', 'zd', '2', 'zu', 'z'],
        ['ZRANGESTORE', 'zr', 'z', '0', '-1'],
        ['ZREMRANGEBYSCORE', 'zr', '-inf', '+inf'],
        ['ZREMRANGEBYRANK', 'zu', '0', '0'],
        ['ZREMRANGEBYLEX', 'zu', '-', '+'],
        ['ZPOPMIN', 'z'],
        ['ZPOPMAX', 'z', '5'],
        ['PFADD', 'hll', 'a', 'b'],
        ['PFADD', 'hll', 'a'],
        ['PFMERGE', 'hll2', 'hll'],
        ['PFCOUNT', 'hll', 'hll2'],
      ]);
      expectPublished(lines, [
        'hset', 'hincrby', 'hincrbyfloat', 'hdel', 'sadd', 'srem', 'sinterstore', 'sunionstore', 'sdiffstore', 'spop',
        'zadd', 'zincr', 'zrem', 'zunionstore', 'zinterstore', 'zdiffstore', 'zrangestore', 'zremrangebyscore',
        'zremrangebyrank', 'zremrangebylex', 'zpopmin', 'zpopmax', 'pfadd',
      ]);
    });

    it('expired: a read, a write and a delete meeting an expired key; the active cycle', async () => {
      const lines = await expectSameNotifications([
        ...expiring('k', ['SET', 'k', 'v']),
        ['GET', 'k'],
        ...expiring('k', ['SET', 'k', 'v']),
        ['SET', 'k', 'w'],
        ...expiring('l', ['RPUSH', 'l', 'a']),
        ['LPUSH', 'l', 'b'],
        ...expiring('h', ['HSET', 'h', 'f', 'v']),
        ['DEL', 'h'],
        ...expiring('z', ['ZADD', 'z', '1', 'a']),
        ['EXISTS', 'z'],
        ...expiring('d', ['SET', 'd', 'v']),
        ['RENAME', 'k', 'd'],
        ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'],
        ['SET', 'a', 'v', 'PX', '1'],
        // Long enough for both servers' active expiry cycles (hz 10) to find it.
        { pauseMs: 400 },
        ['DBSIZE'],
      ]);
      expectPublished(lines, ['expired', 'keymiss', 'new']);
      expect(lines.find((line) => line.startsWith('(400 ms pass)'))).toContain('__keyevent@0__:expired');
    });

    it('keymiss: reads that miss, writes and OBJECT that do not notify', async () => {
      const lines = await expectSameNotifications([
        ['SET', 's', 'v'],
        ['GET', 'nope'],
        ['MGET', 'a', 's', 'b'],
        ['EXISTS', 'a', 's'],
        ['TYPE', 'a'],
        ['TTL', 'a'],
        ['TOUCH', 'a', 's'],
        ['STRLEN', 'a'],
        ['GETRANGE', 'a', '0', '1'],
        ['LRANGE', 'a', '0', '-1'],
        ['LINDEX', 'a', '0'],
        ['HGET', 'a', 'f'],
        ['HGETALL', 'a'],
        ['SMEMBERS', 'a'],
        ['SINTER', 'a', 's2'],
        ['ZSCORE', 'a', 'm'],
        ['ZRANGE', 'a', '0', '-1'],
        ['PFCOUNT', 'a'],
        ['BITCOUNT', 'a'],
        ['LCS', 'a', 's'],
        ['OBJECT', 'ENCODING', 'a'],
        ['LPOP', 'a'],
        ['INCR', 'a'],
        ['DEL', 'b'],
        ['SORT', 'nope'],
        ['RPUSH', 'l', '2', '1'],
        ['SET', 'w_1', '5'],
        ['SORT', 'l', 'BY', 'w_*', 'GET', '#', 'GET', 'v_*', 'GET', 'h_*->f'],
        ['SORT', 'l', 'BY', 'nosort', 'GET', 'v_*'],
        ['SORT_RO', 'l', 'BY', 'x_*'],
        ['GETBIT', 'm', '1'],
        ['BITPOS', 'm', '1'],
        ['BITFIELD_RO', 'm', 'GET', 'u8', '0'],
        ['BITFIELD', 'm', 'GET', 'u8', '0'],
        ['PFCOUNT', 'm'],
        ['PFCOUNT', 'm', 'm2'],
        // Redis stops at the first key that is no HLL, before reading the next.
        ['PFCOUNT', 'm', 's', 'm2'],
        ['PFCOUNT', 'm', 'l', 'm2'],
        ['PFMERGE', 'm3', 'm', 's', 'm2'],
        ['SINTERCARD', '2', 'm', 'm2'],
        ['SMISMEMBER', 'm', 'x'],
        ['SISMEMBER', 'm', 'x'],
        ['SRANDMEMBER', 'm'],
        ['ZRANDMEMBER', 'm'],
        ['HRANDFIELD', 'm'],
        ['HSTRLEN', 'm', 'f'],
        ['HEXISTS', 'm', 'f'],
        ['LPOS', 'm', 'x'],
        ['LLEN', 'm'],
        ['ZCARD', 'm'],
        ['ZMSCORE', 'm', 'x'],
        ['ZUNION', '2', 'm', 'm2'],
        ['SUNIONSTORE', 'd', 'm', 'm2'],
        ['ZUNIONSTORE', 'd', '2', 'm', 'm2'],
        ['COPY', 'm', 'm2'],
        ['GETEX', 'm'],
        ['GETDEL', 'm'],
        ['SUBSTR', 'm', '0', '1'],
      ], 'Em');
      expectPublished(lines, ['keymiss']);
    });

    it('a transaction publishes each command’s notifications, in order, at EXEC', async () => {
      const lines = await expectSameNotifications([
        ['MULTI'],
        ['SET', 'k', 'v'],
        ['LPUSH', 'l', 'a'],
        ['GET', 'missing'],
        ['DEL', 'k'],
        ['EXEC'],
      ]);
      expectPublished(lines, ['set', 'lpush', 'keymiss', 'del']);
    });

    it('blocking pops served by another client: the push, then the pop, then the deletion', async () => {
      const lines = await expectSameNotifications([
        { block: ['BLPOP', 'q', '0'] },
        ['LPUSH', 'q', 'x'],
        { served: true },
        { block: ['BLMOVE', 'q', 'dst', 'RIGHT', 'LEFT', '0'] },
        ['RPUSH', 'q', 'y', 'z'],
        { served: true },
        { block: ['BLMPOP', '0', '1', 'q3', 'RIGHT', 'COUNT', '5'] },
        ['RPUSH', 'q3', 'w'],
        { served: true },
        { block: ['BZPOPMIN', 'zq', '0'] },
        ['ZADD', 'zq', '1', 'a', '2', 'b'],
        { served: true },
        { block: ['BZMPOP', '0', '1', 'zq2', 'MAX'] },
        ['ZADD', 'zq2', '3', 'c'],
        { served: true },
        { block: ['BLPOP', 'q2', '0'] },
        ['MULTI'],
        ['RPUSH', 'q2', 'a'],
        ['DEL', 'q2'],
        ['RPUSH', 'q2', 'b'],
        ['EXEC'],
        { served: true },
      ]);
      expectPublished(lines, ['lpush', 'rpush', 'lpop', 'rpop', 'zadd', 'zpopmin', 'zpopmax', 'del']);
    });
  });
});
