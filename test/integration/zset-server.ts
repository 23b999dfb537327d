/**
 * What the sorted set integration tests share: the server they talk to,
 * raw RESP2 and RESP3 connections, and builders for expected replies.
 *
 * The server is a reddish started on port 0, or, when ZSET_REFERENCE_PORT
 * names the port of a running redis-server 7.0.15, that server. That is how
 * every expected reply in these files was checked:
 *
 *   redis-server --port 7571 --save '' &
 *   ZSET_REFERENCE_PORT=7571 npx vitest run test/integration/zset
 *
 * Tests of what Redis 7.0 does not have (ZRANK ... WITHSCORE, from 7.2) or
 * that look inside reddish are skipped then. The reference server is
 * flushed before each test.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { RawClient, encodeCommand } from '../helpers/resp-client.js';
import { startServer, type RunningServer } from '../../src/index.js';

const referencePort = process.env['ZSET_REFERENCE_PORT'];

/** True when the tests run against a real redis-server instead of reddish. */
export const againstRedis = referencePort !== undefined && referencePort !== '';

export interface ZsetTarget {
  port: number;
  /** The reddish under test; null against a reference server. */
  reddish: RunningServer | null;
  /** A RESP2 connection and a RESP3 one (HELLO 3 sent). */
  raw: RawClient;
  raw3: RawClient;
  /** The RESP2 reply to a command, as latin1 text. */
  call(...args: string[]): Promise<string>;
  /** The RESP3 reply. */
  call3(...args: string[]): Promise<string>;
  /** A further connection, closed by close(). */
  client(): Promise<RawClient>;
  flushAll(): Promise<void>;
  close(): Promise<void>;
}

export async function startZsetTarget(): Promise<ZsetTarget> {
  const reddish = againstRedis ? null : await startServer({ port: 0 });
  const port = reddish === null ? Number(referencePort) : reddish.port;
  const clients: RawClient[] = [];
  const connect = async (): Promise<RawClient> => {
    const c = await RawClient.connect(port);
    clients.push(c);
    return c;
  };
  const raw = await connect();
  const raw3 = await connect();
  await raw3.call('HELLO', '3');
  return {
    port,
    reddish,
    raw,
    raw3,
    call: async (...args) => (await raw.call(...args)).toString('latin1'),
    call3: async (...args) => (await raw3.call(...args)).toString('latin1'),
    client: connect,
    async flushAll() {
      await raw.call('FLUSHALL');
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await reddish?.close();
    },
  };
}

/**
 * The target of one test file, with its hooks registered: started in
 * beforeAll, flushed before each test (before the file's own beforeEach
 * hooks, when called first) and closed in afterAll. Its methods can be
 * taken at once (`const { call, call3 } = target`); its fields exist once
 * beforeAll has run.
 */
export function useZsetTarget(): ZsetTarget {
  let target: ZsetTarget | undefined;
  const started = (): ZsetTarget => {
    if (target === undefined) throw new Error('useZsetTarget: the target starts in beforeAll');
    return target;
  };
  beforeAll(async () => {
    target = await startZsetTarget();
  });
  afterAll(async () => {
    await target?.close();
  });
  beforeEach(async () => {
    await started().flushAll();
  });
  return {
    get port() {
      return started().port;
    },
    get reddish() {
      return started().reddish;
    },
    get raw() {
      return started().raw;
    },
    get raw3() {
      return started().raw3;
    },
    call: (...args) => started().call(...args),
    call3: (...args) => started().call3(...args),
    client: () => started().client(),
    flushAll: () => started().flushAll(),
    close: () => started().close(),
  };
}

/** Sends a command whose reply is read later (blocking commands). */
export function send(c: RawClient, ...args: string[]): void {
  c.sendRaw(encodeCommand(args));
}

export async function reply(c: RawClient, timeoutMs = 2000): Promise<string> {
  return (await c.readReply(timeoutMs)).toString('latin1');
}

// ---- expected replies ----

export const OK = '+OK\r\n';
export const NIL = '$-1\r\n';
export const NIL_ARRAY = '*-1\r\n';
/** RESP3 null. */
export const NULL3 = '_\r\n';
export const EMPTY = '*0\r\n';
export const SYNTAX = '-ERR syntax error\r\n';
export const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
export const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
export const NOT_FLOAT = '-ERR value is not a valid float\r\n';
export const SCORE_RANGE = '-ERR min or max is not a float\r\n';
export const LEX_RANGE = '-ERR min or max not valid string range item\r\n';

export function int(n: number): string {
  return ':' + n + '\r\n';
}

export function bulk(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

/** A RESP3 double. */
export function dbl(s: string): string {
  return ',' + s + '\r\n';
}

export function arr(...items: string[]): string {
  return '*' + items.length + '\r\n' + items.join('');
}

/** An array of bulk strings. */
export function bulks(...items: string[]): string {
  return arr(...items.map(bulk));
}

/** RESP2 WITHSCORES: member, score, member, score... all bulk strings. */
export function scored2(...pairs: string[]): string {
  return bulks(...pairs);
}

/** RESP3 WITHSCORES: [member, score] pairs with double scores. */
export function scored3(...pairs: string[]): string {
  const items: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) items.push(arr(bulk(pairs[i]!), dbl(pairs[i + 1]!)));
  return arr(...items);
}

export function error(message: string): string {
  return '-' + message + '\r\n';
}

/** Waits until the server counts `n` blocked clients (INFO clients, so it works against Redis too). */
export async function blockedClients(target: ZsetTarget, n: number): Promise<void> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const info = await target.call('INFO', 'clients');
    const match = /blocked_clients:(\d+)/.exec(info);
    if (match && Number(match[1]) === n) return;
    if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients: ${info}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Fails if `c` gets any reply within `ms`. */
export async function expectNoReplyWithin(c: RawClient, ms: number): Promise<boolean> {
  try {
    await c.readReply(ms);
    return false;
  } catch (err) {
    if (/no complete reply/.test(String(err))) return true;
    throw err;
  }
}
