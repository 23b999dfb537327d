/**
 * The reddish server an integration test file talks to, with the
 * connections and reply helpers most of those files share.
 *
 * `useServer()` registers the file's hooks itself: beforeAll starts a server
 * on port 0 and connects the clients, beforeEach resets what the options ask
 * for, afterAll closes everything. Call it at the top level of the file,
 * before the file's own hooks, so that those run after the server is up (and
 * the file's own afterAll before it goes down):
 *
 *   const t = useServer({ clock: START, resetClock: true, resp3: true });
 *   const { clock, call, call3 } = t;   // usable at once
 *   let redis: Redis;
 *   beforeAll(() => {
 *     redis = t.redis;                  // set by useServer's beforeAll
 *   });
 *
 * The helper functions and the clock exist from the start, so they can be
 * destructured at the top level; `server`, `redis`, `raw` and `raw3` exist
 * only once beforeAll has run, and reading them earlier throws. Binding them
 * to file-level variables as above lets tests write `redis.get(...)` rather
 * than `t.redis.get(...)`.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { ManualClock, startServer, type RunningServer, type ServerOptions } from '../../src/index.js';
import type { Database } from '../../src/store/database.js';
import { QuickList } from '../../src/store/list.js';
import { RawClient, replyToJs, type CommandArg, type JsReply } from './resp-client.js';

export interface UseServerOptions {
  /** Run the server on a ManualClock that starts at this time (ms since the epoch). */
  clock?: number;
  /** Set that clock back to its start before each test. Default false. */
  resetClock?: boolean;
  /** Empty every database (server.flushAll()) before each test. Default true. */
  flush?: boolean;
  /**
   * Options for the ioredis client `redis`, over the defaults (connect in
   * beforeAll, no retries, and no ready check: it needs INFO, which most
   * files' tests shouldn't depend on); false for no ioredis client.
   */
  ioredis?: RedisOptions | false;
  /** Also connect `raw3`, a raw client switched to RESP3 with HELLO 3. Default false. */
  resp3?: boolean;
  /** Configuration parameters for the server, e.g. { 'enable-debug-command': 'yes' } for DEBUG. */
  config?: ServerOptions['config'];
}

export interface TestServer {
  readonly server: RunningServer;
  readonly redis: Redis;
  /** A raw RESP2 connection. */
  readonly raw: RawClient;
  /** A raw RESP3 connection (needs the resp3 option). */
  readonly raw3: RawClient;
  /** The server's ManualClock (needs the clock option). */
  readonly clock: ManualClock;
  /** The raw RESP2 reply to one command, as latin1 text. */
  call(...args: CommandArg[]): Promise<string>;
  /** The raw RESP3 reply to one command, as latin1 text. */
  call3(...args: CommandArg[]): Promise<string>;
  /** The RESP2 reply to one command, decoded by replyToJs (errors as { error }). */
  callJs(...args: CommandArg[]): Promise<JsReply>;
  /** A database of the keyspace, for looking at or planting values directly. */
  db(index?: number): Database;
  /** Stores a list straight into the keyspace (by default one element, enough to provoke WRONGTYPE). */
  storeList(key: string, items?: string[], index?: number): QuickList;
  /** The bytes of a string key as the store holds them, as latin1. */
  bytes(key: string): string;
  /** The key's TTL in ms as the store holds it (on the ManualClock), or undefined. */
  pttl(key: string): number | undefined;
}

/** An error reply as replyToJs decodes it. */
export function error(text: string): { error: string } {
  return { error: text };
}

/** Starts a server for the file and returns its handles; see the module comment. */
export function useServer(options: UseServerOptions = {}): TestServer {
  const clock = options.clock === undefined ? undefined : new ManualClock(options.clock);
  let server: RunningServer | undefined;
  let redis: Redis | undefined;
  let raw: RawClient | undefined;
  let raw3: RawClient | undefined;

  /** A field that beforeAll sets: reading it any earlier is a mistake in the test file. */
  function ready<T>(value: T | undefined, name: string): T {
    if (value === undefined) throw new Error(`useServer: ${name} is not available (before beforeAll, or not asked for in the options)`);
    return value;
  }

  const t: TestServer = {
    get server() {
      return ready(server, 'server');
    },
    get redis() {
      return ready(redis, 'redis');
    },
    get raw() {
      return ready(raw, 'raw');
    },
    get raw3() {
      return ready(raw3, 'raw3');
    },
    get clock() {
      return ready(clock, 'clock');
    },
    call: async (...args) => (await t.raw.call(...args)).toString('latin1'),
    call3: async (...args) => (await t.raw3.call(...args)).toString('latin1'),
    callJs: async (...args) => replyToJs(await t.raw.call(...args)),
    db: (index = 0) => t.server.server.keyspace.databases[index]!,
    storeList(key, items = ['x'], index = 0) {
      const list = new QuickList();
      list.pushTail(items);
      t.db(index).set(key, list);
      return list;
    },
    bytes(key) {
      const value = t.db().peek(key);
      if (typeof value !== 'string') throw new Error(`${key} is not a string`);
      return value;
    },
    pttl(key) {
      const when = t.db().getExpire(key);
      return when === undefined ? undefined : when - t.clock.now();
    },
  };

  beforeAll(async () => {
    server = await startServer({ port: 0, clock, config: options.config });
    if (options.ioredis !== false) {
      redis = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false, ...options.ioredis });
      await redis.connect();
    }
    raw = await RawClient.connect(server.port);
    if (options.resp3) {
      raw3 = await RawClient.connect(server.port);
      await raw3.call('HELLO', '3');
    }
  });

  afterAll(async () => {
    redis?.disconnect();
    await raw?.close();
    await raw3?.close();
    await server?.close();
  });

  if (options.flush !== false || options.resetClock) {
    beforeEach(() => {
      if (options.flush !== false) t.server.flushAll();
      if (options.resetClock) t.clock.set(options.clock!);
    });
  }

  return t;
}
