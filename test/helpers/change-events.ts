/**
 * What each command changed, as seen from outside, on reddish and on a real
 * redis-server, for differential tests of the change seat:
 *
 * - the reply (raw RESP, latin1);
 * - the keyspace events it announced, as `db event key`. Redis's side is
 *   read from its keyevent notifications (`notify-keyspace-events EA`, so
 *   every class but key-miss and new-key); reddish's side from
 *   `server.events.onKeyModified`, the seat every listener hangs on;
 * - what it added to `dirty` (INFO's rdb_changes_since_last_save).
 *
 * `useChangeRecorders()` starts both servers for a test file and gives
 * `expectSameChanges(commands)`, which runs the commands on each from an
 * empty keyspace and compares the three, command by command.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { SIGNAL_ONLY } from '../../src/store/keyspace-events.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { RawClient, type Command } from './resp-client.js';

export interface CommandChanges {
  command: string;
  reply: string;
  events: string[];
  dirty: number;
}

const MARKER_CHANNEL = '__change_events_marker__';

/** Runs commands on one server and records, per command, its reply, events and dirty delta. */
export interface ChangeRecorder {
  run(commands: readonly Command[]): Promise<CommandChanges[]>;
  close(): Promise<void>;
}

async function dirtyOf(client: RawClient): Promise<number> {
  const info = (await client.call('INFO', 'persistence')).toString('latin1');
  const match = /rdb_changes_since_last_save:(\d+)/.exec(info);
  if (!match) throw new Error('INFO persistence has no rdb_changes_since_last_save');
  return Number(match[1]);
}

function label(command: Command): string {
  return command.map((a) => (Buffer.isBuffer(a) ? a.toString('latin1') : String(a))).join(' ');
}

/**
 * Records a real redis-server's changes. Notifications arrive on a second
 * connection; a PUBLISH to a marker channel after each command tells when
 * all of that command's notifications have arrived (one connection's
 * messages keep their order).
 */
export async function recordRedisChanges(port: number): Promise<ChangeRecorder> {
  const client = await RawClient.connect(port);
  // INFO and the marker go through a connection of their own, so that a
  // command that changes how the client's commands run (MULTI) can be recorded.
  const control = await RawClient.connect(port);
  await control.call('CONFIG', 'SET', 'notify-keyspace-events', 'EA');
  const subscriber = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await subscriber.connect();
  let bucket: string[] = [];
  let markerSeen: ((n: string) => void) | null = null;
  subscriber.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) => {
    const match = /^__keyevent@(\d+)__:(.*)$/s.exec(channel.toString('latin1'));
    if (match) bucket.push(`${match[1]} ${match[2]} ${message.toString('latin1')}`);
  });
  subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => markerSeen?.(message.toString('latin1')));
  await subscriber.psubscribe('__keyevent@*__:*');
  await subscriber.subscribe(MARKER_CHANNEL);
  let sequence = 0;
  return {
    async run(commands) {
      const out: CommandChanges[] = [];
      for (const command of commands) {
        const before = await dirtyOf(control);
        bucket = [];
        const reply = (await client.callArgs(command)).toString('latin1');
        const after = await dirtyOf(control);
        const mark = String(++sequence);
        const arrived = new Promise<void>((resolve) => {
          markerSeen = (n) => {
            if (n === mark) resolve();
          };
        });
        await control.call('PUBLISH', MARKER_CHANNEL, mark);
        await arrived;
        out.push({ command: label(command), reply, events: bucket, dirty: after - before });
      }
      return out;
    },
    async close() {
      subscriber.disconnect();
      await client.close();
      await control.close();
    },
  };
}

/** Records reddish's changes straight from its change seat. */
export async function recordReddishChanges(server: RunningServer): Promise<ChangeRecorder> {
  const client = await RawClient.connect(server.port);
  const control = await RawClient.connect(server.port);
  let bucket: string[] = [];
  const stop = server.server.events.onKeyModified((db, key, event) => {
    if (event !== SIGNAL_ONLY) bucket.push(`${db.id} ${event} ${key}`);
  });
  return {
    async run(commands) {
      const out: CommandChanges[] = [];
      for (const command of commands) {
        const before = await dirtyOf(control);
        bucket = [];
        const reply = (await client.callArgs(command)).toString('latin1');
        const after = await dirtyOf(control);
        out.push({ command: label(command), reply, events: bucket, dirty: after - before });
      }
      return out;
    },
    async close() {
      stop();
      await client.close();
      await control.close();
    },
  };
}

export interface ExpectSameChangesOptions {
  /** Runs first, with only its replies compared (another group's commands building keys). */
  setup?: readonly Command[];
  /**
   * The replies hold random picks (SPOP with a count): compare only their
   * length in bytes, which is the same when the members are of one length.
   */
  randomReplies?: boolean;
}

export interface ChangeRecorders {
  /**
   * Runs `commands` on both servers, each starting from FLUSHALL, and
   * expects the same replies, events and dirty deltas.
   */
  expectSameChanges(commands: readonly Command[], options?: ExpectSameChangesOptions): Promise<CommandChanges[]>;
  readonly reddish: RunningServer;
  /** The redis-server's port, for tests that need a second client (a blocked one, say). */
  readonly redisPort: number;
}

function replyLengthOnly(changes: CommandChanges): CommandChanges {
  return { ...changes, reply: `<${changes.reply.length} bytes>` };
}

export interface ChangeRecordersOptions {
  /** Extra redis-server arguments, e.g. ['--enable-debug-command', 'yes'] for DEBUG SLEEP. */
  redisArgs?: string[];
  /** Allow DEBUG (DEBUG SLEEP, SET-ACTIVE-EXPIRE) on both servers; Redis's default refuses it. */
  enableDebug?: boolean;
}

/** Starts a redis-server and a reddish for this test file, closed in afterAll. */
export function useChangeRecorders(options: ChangeRecordersOptions = {}): ChangeRecorders {
  let redis: RedisServerHandle | undefined;
  let reddish: RunningServer | undefined;
  let onRedis: ChangeRecorder | undefined;
  let onReddish: ChangeRecorder | undefined;
  beforeAll(async () => {
    const debugArgs = options.enableDebug ? ['--enable-debug-command', 'yes'] : [];
    redis = await startRedisServer({ extraArgs: [...debugArgs, ...(options.redisArgs ?? [])] });
    reddish = await startServer({ port: 0, config: options.enableDebug ? { 'enable-debug-command': 'yes' } : {} });
    onRedis = await recordRedisChanges(redis.port);
    onReddish = await recordReddishChanges(reddish);
  });
  afterAll(async () => {
    await onRedis?.close();
    await onReddish?.close();
    await reddish?.close();
    await redis?.stop();
  });
  return {
    async expectSameChanges(commands, options = {}) {
      const reset: Command[] = [['SELECT', '0'], ['FLUSHALL'], ...(options.setup ?? [])];
      const replies = (changes: CommandChanges[]) => changes.map(({ command, reply }) => ({ command, reply }));
      expect(replies(await onReddish!.run(reset))).toEqual(replies(await onRedis!.run(reset)));
      const expected = await onRedis!.run(commands);
      const got = await onReddish!.run(commands);
      if (options.randomReplies) expect(got.map(replyLengthOnly)).toEqual(expected.map(replyLengthOnly));
      else expect(got).toEqual(expected);
      return got;
    },
    get reddish() {
      if (reddish === undefined) throw new Error('useChangeRecorders: the servers start in beforeAll');
      return reddish;
    },
    get redisPort() {
      if (redis === undefined) throw new Error('useChangeRecorders: the servers start in beforeAll');
      return redis.port;
    },
  };
}
