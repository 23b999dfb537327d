/**
 * Blocked list pops served later, when another client's write gives them
 * data, compared over the wire with redis-server 7.0.15 (its
 * serveClientsBlockedOnListKey / serveClientBlockedOnList):
 *
 * - the keyspace events and the dirty count of the write that serves them
 *   (the pop's `lpop`/`rpop`, BLMOVE's push, `del` when the list runs dry;
 *   BLPOP's served pop adds nothing to dirty, BLMPOP's does);
 * - what is propagated, read from Redis's AOF and from reddish's
 *   propagation list (`LPOP key`, `LPOP key n`, `LMOVE src dst left right`,
 *   `RPOPLPUSH src dst`);
 * - WATCH: a key the served pop changes is touched;
 * - INFO commandstats: the blocking command's call is counted once, when it
 *   blocked; a served BLMOVE that meets WRONGTYPE counts a failed call;
 * - a waiter served by another client's MULTI/EXEC gets its reply after
 *   the EXEC's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { recordRedisChanges, recordReddishChanges, type ChangeRecorder, type CommandChanges } from '../helpers/change-events.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient, type Command } from '../helpers/resp-client.js';

/** Splits an AOF's text into its commands (RESP multibulk arrays). */
function parseAof(text: string): string[][] {
  const commands: string[][] = [];
  let at = 0;
  const line = (): string => {
    const end = text.indexOf('\r\n', at);
    const out = text.slice(at, end);
    at = end + 2;
    return out;
  };
  while (at < text.length) {
    const count = Number(line().slice(1));
    const argv: string[] = [];
    for (let i = 0; i < count; i++) {
      const length = Number(line().slice(1));
      argv.push(text.slice(at, at + length));
      at += length + 2;
    }
    commands.push(argv);
  }
  return commands;
}

/** One server as the scenarios see it: a control connection, a change recorder, what it propagated. */
interface Target {
  readonly port: number;
  readonly control: RawClient;
  readonly recorder: ChangeRecorder;
  /** Starts a fresh propagation log (after FLUSHALL). */
  markPropagation(): Promise<void>;
  /** The commands propagated since the mark, SELECTs left out. */
  propagated(): Promise<string[][]>;
}

async function redisTarget(server: RedisServerHandle): Promise<Target> {
  const control = await RawClient.connect(server.port);
  const dir = (await control.call('CONFIG', 'GET', 'dir')).toString('latin1').split('\r\n')[4]!;
  const aofDir = path.join(dir, 'appendonlydir');
  const aofText = (): string => {
    const incr = fs.readdirSync(aofDir).filter((name) => name.endsWith('.incr.aof'));
    return incr.map((name) => fs.readFileSync(path.join(aofDir, name), 'latin1')).join('');
  };
  let mark = 0;
  return {
    port: server.port,
    control,
    recorder: await recordRedisChanges(server.port),
    async markPropagation() {
      mark = aofText().length;
    },
    async propagated() {
      return parseAof(aofText().slice(mark)).filter((argv) => argv[0]!.toUpperCase() !== 'SELECT');
    },
  };
}

async function reddishTarget(server: RunningServer): Promise<Target> {
  let log: string[][] = [];
  server.server.propagation.subscribe((unit) => {
    for (const command of unit) log.push([...command.argv]);
  });
  return {
    port: server.port,
    control: await RawClient.connect(server.port),
    recorder: await recordReddishChanges(server),
    async markPropagation() {
      log = [];
    },
    async propagated() {
      return log.filter((argv) => argv[0]!.toUpperCase() !== 'SELECT');
    },
  };
}

async function waitForBlocked(control: RawClient, count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const info = (await control.call('INFO', 'clients')).toString('latin1');
    if (new RegExp(`blocked_clients:${count}\\r\\n`).test(info)) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never saw ${count} blocked clients`);
}

/** The calls, rejected and failed counts of INFO commandstats (the times differ). */
async function commandCounts(control: RawClient): Promise<Record<string, string>> {
  const info = (await control.call('INFO', 'commandstats')).toString('latin1');
  const counts: Record<string, string> = {};
  for (const match of info.matchAll(/cmdstat_([^:]+):calls=(\d+),.*rejected_calls=(\d+),failed_calls=(\d+)/g)) {
    // The control connection's own calls, and the recorder's PUBLISH markers on Redis.
    if (/^(info|config\||publish$)/.test(match[1]!)) continue;
    counts[match[1]!] = `calls=${match[2]},rejected=${match[3]},failed=${match[4]}`;
  }
  return counts;
}

interface ServedOutcome {
  /** The writes, as the recorder saw them: reply, events (the served pops' included), dirty. */
  writes: CommandChanges[];
  /** Each waiter's reply, in the order they blocked. */
  waiterReplies: string[];
  propagated: string[][];
  commandstats: Record<string, string>;
}

/**
 * From an empty server with fresh statistics: `setup` runs, each waiter
 * sends its blocking command (and is seen blocked, in that order), then
 * `writes` run through the change recorder.
 */
async function served(
  target: Target,
  setup: readonly Command[],
  waiterCommands: readonly Command[],
  writes: readonly Command[],
): Promise<ServedOutcome> {
  await target.control.call('FLUSHALL');
  for (const command of setup) await target.control.callArgs(command);
  await target.control.call('CONFIG', 'RESETSTAT');
  await target.markPropagation();
  const waiters: RawClient[] = [];
  const pending: Array<Promise<Buffer>> = [];
  try {
    for (const command of waiterCommands) {
      const waiter = await RawClient.connect(target.port);
      waiters.push(waiter);
      pending.push(waiter.callArgs(command));
      await waitForBlocked(target.control, waiters.length);
    }
    const recorded = await target.recorder.run(writes);
    const waiterReplies = (await Promise.all(pending)).map((reply) => reply.toString('latin1'));
    return {
      writes: recorded,
      waiterReplies,
      propagated: await target.propagated(),
      commandstats: await commandCounts(target.control),
    };
  } finally {
    for (const waiter of waiters) await waiter.close();
  }
}

describe('served blocking list pops, against redis-server 7.0.15', () => {
  let redisServer: RedisServerHandle | undefined;
  let reddishServer: RunningServer | undefined;
  let redis: Target;
  let reddish: Target;

  beforeAll(async () => {
    redisServer = await startRedisServer({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    reddishServer = await startServer({ port: 0 });
    redis = await redisTarget(redisServer);
    reddish = await reddishTarget(reddishServer);
  });

  afterAll(async () => {
    for (const target of [redis, reddish]) {
      await target?.recorder.close();
      await target?.control.close();
    }
    await reddishServer?.close();
    await redisServer?.stop();
  });

  async function expectSameServed(
    setup: readonly Command[],
    waiterCommands: readonly Command[],
    writes: readonly Command[],
  ): Promise<ServedOutcome> {
    const expected = await served(redis, setup, waiterCommands, writes);
    const got = await served(reddish, setup, waiterCommands, writes);
    expect(got).toEqual(expected);
    return got;
  }

  it('BLPOP / BRPOP: lpop/rpop then del, no dirty of their own, propagated as LPOP/RPOP key', async () => {
    const outcome = await expectSameServed(
      [],
      [
        ['BLPOP', 'k', '0'],
        ['BRPOP', 'other', 'k', '0'],
        ['BLPOP', 'k', '0'],
      ],
      [['RPUSH', 'k', 'a', 'b', 'c']],
    );
    // Pinned as well as compared, so a change on both sides is noticed.
    expect(outcome.writes[0]!.events).toEqual(['0 rpush k', '0 lpop k', '0 rpop k', '0 lpop k', '0 del k']);
    expect(outcome.writes[0]!.dirty).toBe(3);
    expect(outcome.waiterReplies).toEqual(['*2\r\n$1\r\nk\r\n$1\r\na\r\n', '*2\r\n$1\r\nk\r\n$1\r\nc\r\n', '*2\r\n$1\r\nk\r\n$1\r\nb\r\n']);
    expect(outcome.propagated).toEqual([
      ['RPUSH', 'k', 'a', 'b', 'c'],
      ['LPOP', 'k'],
      ['RPOP', 'k'],
      ['LPOP', 'k'],
    ]);
  });

  it('BLMPOP: the popped count propagates as LPOP key n and counts in dirty', async () => {
    const outcome = await expectSameServed(
      [],
      [
        ['BLMPOP', '0', '2', 'x', 'k', 'RIGHT', 'COUNT', '2'],
        ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '5'],
      ],
      [['LPUSH', 'k', 'a', 'b', 'c']],
    );
    expect(outcome.propagated).toEqual([
      ['LPUSH', 'k', 'a', 'b', 'c'],
      ['RPOP', 'k', '2'],
      ['LPOP', 'k', '1'],
    ]);
  });

  it('BLMOVE / BRPOPLPUSH: push then pop, propagated as LMOVE with lower-case ends and RPOPLPUSH', async () => {
    const outcome = await expectSameServed(
      [],
      [
        ['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0'],
        ['BRPOPLPUSH', 'src', 'dst', '0'],
      ],
      [['RPUSH', 'src', 'a', 'b', 'c']],
    );
    expect(outcome.propagated).toEqual([
      ['RPUSH', 'src', 'a', 'b', 'c'],
      ['LMOVE', 'src', 'dst', 'right', 'left'],
      ['RPOPLPUSH', 'src', 'dst'],
    ]);
  });

  it('a chain of BLMOVEs: the push of one serves the next', async () => {
    await expectSameServed(
      [],
      [
        ['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'],
        ['BLMOVE', 'b', 'c', 'LEFT', 'RIGHT', '0'],
        ['BLPOP', 'c', '0'],
      ],
      [['LPUSH', 'a', 'x']],
    );
  });

  it('a served BLMOVE onto a key of another type fails with WRONGTYPE and leaves the element', async () => {
    const outcome = await expectSameServed(
      [['HSET', 'dst', 'f', 'v']],
      [
        ['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0'],
        ['BLPOP', 'src', '0'],
      ],
      [['RPUSH', 'src', 'a']],
    );
    expect(outcome.commandstats['blmove']).toBe('calls=1,rejected=0,failed=1');
  });

  it('INFO commandstats counts the blocking call once, when it blocked', async () => {
    const outcome = await expectSameServed([], [['BLPOP', 'k', '0']], [['LPUSH', 'k', 'a']]);
    expect(outcome.commandstats).toEqual({ blpop: 'calls=1,rejected=0,failed=0', lpush: 'calls=1,rejected=0,failed=0' });
  });

  it('served at once, the blocking forms propagate as the pops they are', async () => {
    const outcome = await expectSameServed(
      [],
      [],
      [
        ['RPUSH', 'k', 'a', 'b', 'c', 'd', 'e', 'f'],
        ['BLPOP', 'missing', 'k', '0'],
        ['BRPOP', 'k', '0'],
        ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '1'],
        ['blmove', 'k', 'dst', 'left', 'Right', '0'],
        ['BRPOPLPUSH', 'k', 'dst', '0'],
        ['LMPOP', '2', 'missing', 'k', 'RIGHT', 'COUNT', '10'],
        ['LTRIM', 'dst', '0', '-1'],
        ['HINCRBYFLOAT', 'h', 'f', '1.50'],
        ['LPOP', 'missing'],
      ],
    );
    expect(outcome.propagated).toEqual([
      ['RPUSH', 'k', 'a', 'b', 'c', 'd', 'e', 'f'],
      ['LPOP', 'k'],
      ['RPOP', 'k'],
      ['LPOP', 'k', '1'],
      ['LMOVE', 'k', 'dst', 'left', 'Right'],
      ['RPOPLPUSH', 'k', 'dst'],
      ['RPOP', 'k', '1'],
      ['HSET', 'h', 'f', '1.5'],
    ]);
  });

  it('WATCH: a key the served pop changes is touched', async () => {
    const transaction = async (target: Target, watched: string, waiter: Command, write: Command) => {
      const watcher = await RawClient.connect(target.port);
      try {
        const outcome = await served(target, [], [], []);
        expect(outcome.waiterReplies).toEqual([]);
        await watcher.call('WATCH', watched);
        const waiting = await RawClient.connect(target.port);
        const reply = waiting.callArgs(waiter);
        await waitForBlocked(target.control, 1);
        await target.control.callArgs(write);
        const served_ = (await reply).toString('latin1');
        await waiting.close();
        const exec = (await watcher.pipeline([['MULTI'], ['LLEN', watched], ['EXEC']])).map((r) => r.toString('latin1'));
        return { served: served_, exec };
      } finally {
        await watcher.close();
      }
    };
    for (const [watched, waiter, write] of [
      ['k', ['BLPOP', 'k', '0'], ['LPUSH', 'k', 'a']],
      ['dst', ['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0'], ['LPUSH', 'src', 'a']],
      ['dst', ['BRPOPLPUSH', 'src', 'dst', '0'], ['LPUSH', 'src', 'a']],
    ] as const) {
      const expected = await transaction(redis, watched, waiter, write);
      const got = await transaction(reddish, watched, waiter, write);
      expect(got).toEqual(expected);
      expect(got.exec[2]).toBe('*-1\r\n');
    }
  });

  it("a waiter served inside another client's MULTI/EXEC gets its reply after the EXEC's", async () => {
    const run = async (target: Target) => {
      await target.control.call('FLUSHALL');
      await target.markPropagation();
      const dirtyBefore = await dirtyOf(target.control);
      const waiter = await RawClient.connect(target.port);
      const writer = await RawClient.connect(target.port);
      try {
        let answered = false;
        const reply = waiter.call('BLPOP', 'k', '0').then((r) => {
          answered = true;
          return r.toString('latin1');
        });
        await waitForBlocked(target.control, 1);
        // Served after the first LPUSH, the waiter would get 'a'; after the EXEC, 'b'.
        const queued = await writer.pipeline([['MULTI'], ['LPUSH', 'k', 'a'], ['LPUSH', 'k', 'b'], ['RPUSH', 'k', 'c']]);
        // Queued commands change nothing yet: the waiter is still blocked, with no reply.
        await waitForBlocked(target.control, 1);
        const answeredBeforeExec = answered;
        const exec = (await writer.call('EXEC')).toString('latin1');
        const waiterReply = await reply;
        return {
          queued: queued.map((r) => r.toString('latin1')),
          exec,
          waiterReply,
          answeredBeforeExec,
          propagated: await target.propagated(),
          dirty: (await dirtyOf(target.control)) - dirtyBefore,
          remaining: (await target.control.call('LRANGE', 'k', '0', '-1')).toString('latin1'),
        };
      } finally {
        await waiter.close();
        await writer.close();
      }
    };
    const expected = await run(redis);
    const got = await run(reddish);
    expect(got).toEqual(expected);
    expect(got.answeredBeforeExec).toBe(false);
    expect(got.waiterReply).toBe('*2\r\n$1\r\nk\r\n$1\r\nb\r\n');
    expect(got.propagated).toEqual([['MULTI'], ['LPUSH', 'k', 'a'], ['LPUSH', 'k', 'b'], ['RPUSH', 'k', 'c'], ['EXEC'], ['LPOP', 'k']]);
  });
});

async function dirtyOf(client: RawClient): Promise<number> {
  const info = (await client.call('INFO', 'persistence')).toString('latin1');
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
}
