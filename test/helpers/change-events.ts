/**
 * What each command changed, as seen from outside, on reddish and on a real
 * redis-server, for differential tests of the change seat:
 *
 * - the reply (raw RESP, latin1);
 * - the keyspace events it announced, as `db event key`, read on both
 *   servers from their keyevent notifications (`notify-keyspace-events
 *   EA`, so every class but key-miss and new-key);
 * - what it added to `dirty` (INFO's rdb_changes_since_last_save).
 *
 * `useChangeRecorders()` starts both servers for a test file and gives
 * `expectSameChanges(commands)`, which runs the commands on each from an
 * empty keyspace and compares the three, command by command.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { startRedisServer, type RedisServerHandle } from './redis-server.js';
import { openNotificationStream } from './notification-stream.js';
import { RawClient, type Command } from './resp-client.js';

export interface CommandChanges {
  command: string;
  reply: string;
  events: string[];
  dirty: number;
}

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
 * Records a server's changes, reddish's and redis-server's alike, from its
 * keyevent notifications (notification-stream.ts), so that the events are
 * compared end to end: announced on the change seat, selected by class and
 * published.
 */
export async function recordChanges(port: number): Promise<ChangeRecorder> {
  const client = await RawClient.connect(port);
  // INFO and the notification stream's marker go through connections of
  // their own, so that a command that changes how the client's commands
  // run (MULTI) can be recorded.
  const control = await RawClient.connect(port);
  await control.call('CONFIG', 'SET', 'notify-keyspace-events', 'EA');
  const notifications = await openNotificationStream(port, '__keyevent@*__:*');
  return {
    async run(commands) {
      const out: CommandChanges[] = [];
      for (const command of commands) {
        const before = await dirtyOf(control);
        const reply = (await client.callArgs(command)).toString('latin1');
        const after = await dirtyOf(control);
        const events = (await notifications.take()).map(({ channel, message }) => {
          const match = /^__keyevent@(\d+)__:(.*)$/s.exec(channel);
          if (!match) throw new Error(`not a keyevent channel: ${channel}`);
          return `${match[1]} ${match[2]} ${message}`;
        });
        out.push({ command: label(command), reply, events, dirty: after - before });
      }
      return out;
    },
    async close() {
      await notifications.close();
      await client.close();
      await control.close();
    },
  };
}

/** Records a real redis-server's changes. */
export function recordRedisChanges(port: number): Promise<ChangeRecorder> {
  return recordChanges(port);
}

/** Records reddish's changes, through the same notifications as Redis's. */
export function recordReddishChanges(server: RunningServer): Promise<ChangeRecorder> {
  return recordChanges(server.port);
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
