/**
 * Client-side caching against redis-server 7.0.15: the same multi-client
 * sessions played on both servers, and every frame each client receives
 * (replies, RESP3 invalidation pushes, RESP2 `__redis__:invalidate`
 * messages through REDIRECT) compared byte for byte, in order.
 *
 * Client ids differ between the servers, so a REDIRECT names a client of
 * the session (`{ idOf: 'r' }`) and the ids in replies that carry them are
 * masked. Both servers run with DEBUG enabled, so that expiry can be made
 * lazy only (DEBUG SET-ACTIVE-EXPIRE 0) and its invalidations land at a
 * known point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, type CommandArg } from '../helpers/resp-client.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { candidateKind, redisAvailable } from './targets.js';

interface Target {
  port: number;
  stop(): Promise<void>;
}

let reference: Target;
let candidate: Target;

async function startRedis(): Promise<Target> {
  const server: RedisServerHandle = await startRedisServer({ extraArgs: ['--enable-debug-command', 'yes'] });
  return { port: server.port, stop: () => server.stop() };
}

beforeAll(async () => {
  if (!redisAvailable('client tracking differential')) return;
  reference = await startRedis();
  if (candidateKind() === 'redis') {
    candidate = await startRedis();
  } else {
    const { startServer } = await import('../../src/index.js');
    const server = await startServer({ port: 0, config: { 'enable-debug-command': 'yes' } });
    candidate = { port: server.port, stop: () => server.close() };
  }
});
afterAll(async () => {
  await reference?.stop();
  await candidate?.stop();
});

/** An argument naming a session client: replaced by that client's id on each server. */
type Arg = CommandArg | { idOf: string };

interface View {
  /** Replace the session clients' ids in the frames (`:7\r\n` → `:<id r>\r\n`). */
  maskIds?: boolean;
  /** For a CLIENT LIST / CLIENT INFO reply: keep only these `name=value` fields of each line. */
  fields?: readonly string[];
  /** For an INFO reply: keep only these fields. */
  info?: readonly string[];
  /** Replace what matches with `<masked>` (a key Redis picks at random). */
  mask?: RegExp;
}

type Step =
  /** `client` sends each command in one write and reads `frames` frames (default: one per command). */
  | { kind: 'send'; client: string; commands: Arg[][]; frames?: number; view?: View; hidden?: boolean }
  /** `client` reads `frames` frames another client's command caused. */
  | { kind: 'read'; client: string; frames: number; view?: View }
  | { kind: 'close'; client: string }
  | { kind: 'sleep'; ms: number };

const call = (client: string, ...argv: Arg[]): Step => ({ kind: 'send', client, commands: [argv] });
const callN = (client: string, frames: number, ...argv: Arg[]): Step => ({ kind: 'send', client, commands: [argv], frames });
const pipe = (client: string, frames: number, ...commands: Arg[][]): Step => ({ kind: 'send', client, commands, frames });
/** A call whose reply holds server-specific values (HELLO's id): checked only for not being an error. */
const hidden = (client: string, ...argv: Arg[]): Step => ({ kind: 'send', client, commands: [argv], hidden: true });
const read = (client: string, frames: number): Step => ({ kind: 'read', client, frames });
const close = (client: string): Step => ({ kind: 'close', client });
const sleep = (ms: number): Step => ({ kind: 'sleep', ms });
const viewed = (step: Step, view: View): Step => ({ ...step, view } as Step);
const idOf = (name: string): Arg => ({ idOf: name });

function applyView(frames: string[], view: View | undefined, ids: Map<string, number>): string[] {
  if (view === undefined) return frames;
  return frames.map((frame) => {
    let text = frame;
    if (view.fields) {
      const lines = text.replace(/^[$=]\d+\r\n(txt:)?/, '').split('\n').filter((line) => line.trim() !== '');
      text = lines
        .map((line) =>
          line
            .split(' ')
            .filter((pair) => view.fields!.includes(pair.slice(0, pair.indexOf('='))))
            .join(' '),
        )
        .join(' | ');
    }
    if (view.info) {
      text = text
        .split('\r\n')
        .filter((line) => view.info!.includes(line.slice(0, line.indexOf(':'))))
        .join(' ');
    }
    if (view.maskIds || view.fields) {
      for (const [name, id] of ids) {
        text = text.split(`:${id}\r\n`).join(`:<id ${name}>\r\n`).split(`redir=${id} `).join(`redir=<id ${name}> `);
        if (text.endsWith(`redir=${id}`)) text = text.slice(0, -String(id).length) + `<id ${name}>`;
      }
    }
    if (view.mask) text = text.replace(view.mask, '<masked>');
    return text;
  });
}

/** Plays the steps on one server; returns one line per step. */
async function play(port: number, steps: readonly Step[]): Promise<string[]> {
  const clients = new Map<string, RawClient>();
  const ids = new Map<string, number>();
  const client = async (name: string) => {
    let c = clients.get(name);
    if (c === undefined) {
      c = await RawClient.connect(port, { replyTimeoutMs: 2000 });
      clients.set(name, c);
      ids.set(name, Number((await c.call('CLIENT', 'ID')).toString('latin1').slice(1, -2)));
    }
    return c;
  };
  const resolve = (arg: Arg): CommandArg => {
    if (typeof arg !== 'object' || Buffer.isBuffer(arg)) return arg;
    const id = ids.get(arg.idOf);
    if (id === undefined) throw new Error(`no client named ${arg.idOf} yet`);
    return id;
  };
  const out: string[] = [];
  try {
    const admin = await client('admin');
    await admin.call('FLUSHALL');
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
    await admin.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    for (const step of steps) {
      if (step.kind === 'sleep') {
        await new Promise((done) => setTimeout(done, step.ms));
        continue;
      }
      if (step.kind === 'close') {
        await clients.get(step.client)?.close();
        clients.delete(step.client);
        // Let the server see the disconnect before the next step depends on it.
        await new Promise((done) => setTimeout(done, 50));
        out.push(`${step.client} closed`);
        continue;
      }
      const c = await client(step.client);
      const frames: string[] = [];
      let count: number;
      let label: string;
      if (step.kind === 'send') {
        const commands = step.commands.map((argv) => argv.map(resolve));
        c.sendRaw(Buffer.concat(commands.map((argv) => encode(argv))));
        count = step.frames ?? commands.length;
        label = step.commands.map((argv) => argv.map((a) => (typeof a === 'object' && !Buffer.isBuffer(a) ? `<id ${a.idOf}>` : String(a))).join(' ')).join(' ; ');
      } else {
        count = step.frames;
        label = '<read>';
      }
      for (let i = 0; i < count; i++) frames.push((await c.readReply()).toString('latin1'));
      if (step.kind === 'send' && step.hidden) {
        out.push(`${step.client} ${label} => ${frames[0]!.startsWith('-') ? frames[0] : '<hidden>'}`);
        continue;
      }
      out.push(`${step.client} ${label} => ${JSON.stringify(applyView(frames, step.view, ids))}`);
    }
    // Nothing unexpected may be left unread on any client.
    for (const [name, c] of clients) {
      const rest = await c.readRaw(30);
      if (rest.length !== 0) out.push(`${name} left unread: ${JSON.stringify(rest.toString('latin1'))}`);
    }
  } finally {
    for (const c of clients.values()) await c.close();
  }
  return out;
}

function encode(argv: readonly CommandArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${argv.length}\r\n`)];
  for (const arg of argv) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'latin1');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

async function expectSameSession(steps: readonly Step[]): Promise<string[]> {
  const expected = await play(reference.port, steps);
  const got = await play(candidate.port, steps);
  expect(got).toEqual(expected);
  return expected;
}

describe.skipIf(!redisAvailable('client tracking differential'))('client tracking against redis-server', () => {
  it('RESP3 default mode: reads are remembered, a change invalidates once, own changes after the reply', async () => {
    const expected = await expectSameSession([
      hidden('t', 'HELLO', '3'),
      call('t', 'CLIENT', 'TRACKING', 'ON'),
      call('t', 'GET', 'k'),
      call('t', 'MGET', 'a', 'b', 'k'),
      call('w', 'SET', 'k', '1'),
      read('t', 1),
      // Forgotten after one invalidation: the next change says nothing.
      call('w', 'SET', 'k', '2'),
      call('w', 'MSET', 'a', '1', 'b', '1'),
      read('t', 2),
      // Keys are global: a change in another database invalidates too.
      call('t', 'GET', 'k'),
      pipe('w', 3, ['SELECT', '1'], ['SET', 'k', 'other-db'], ['SELECT', '0']),
      read('t', 1),
      // The client's own change: the push follows that command's reply.
      pipe('t', 4, ['GET', 'k'], ['SET', 'k', '3'], ['GET', 'k']),
      // Inside a transaction: all pushes after EXEC's reply.
      pipe('t', 8, ['MULTI'], ['GET', 'k'], ['SET', 'k', '4'], ['GET', 'k'], ['INCR', 'k'], ['EXEC']),
      // Read-only commands of every kind remember their keys; writes don't.
      pipe('t', 6, ['HGET', 'h', 'f'], ['SMEMBERS', 's'], ['ZSCORE', 'z', 'm'], ['EXISTS', 'e1', 'e2'], ['LPUSH', 'l', 'x'], ['STRLEN', 'k']),
      pipe('w', 6, ['HSET', 'h', 'f', 'v'], ['SADD', 's', 'm'], ['ZADD', 'z', '1', 'm'], ['SET', 'e2', 'v'], ['RPUSH', 'l', 'y'], ['APPEND', 'k', 'x']),
      read('t', 5),
      // A failed read (WRONGTYPE) still remembers the key.
      call('t', 'GET', 'h'),
      call('w', 'HDEL', 'h', 'f'),
      read('t', 1),
      viewed(call('t', 'INFO', 'stats'), { info: ['tracking_total_keys', 'tracking_total_items', 'tracking_total_prefixes'] }),
      viewed(call('t', 'INFO', 'clients'), { info: ['tracking_clients'] }),
    ]);
    expect(expected.join('\n')).toContain('invalidate');
  });

  it('FLUSHDB and FLUSHALL send a null, SWAPDB sends nothing, and the table is emptied', async () => {
    await expectSameSession([
      hidden('t', 'HELLO', '3'),
      call('t', 'CLIENT', 'TRACKING', 'ON'),
      hidden('b', 'HELLO', '3'),
      call('b', 'CLIENT', 'TRACKING', 'ON', 'BCAST'),
      call('t', 'MGET', 'x', 'y'),
      call('w', 'FLUSHALL'),
      read('t', 1),
      read('b', 1),
      viewed(call('w', 'INFO', 'stats'), { info: ['tracking_total_keys', 'tracking_total_items'] }),
      call('t', 'GET', 'x'),
      call('w', 'SWAPDB', '0', '1'),
      pipe('w', 2, ['SELECT', '3'], ['FLUSHDB']),
      read('t', 1),
      read('b', 1),
      // The flusher itself, when tracking: after its reply, once for FLUSHALL.
      call('t', 'FLUSHALL'),
      read('t', 1),
      read('b', 1),
      pipe('t', 4, ['MULTI'], ['FLUSHDB'], ['EXEC']),
      read('b', 1),
      call('w', 'SET', 'x', '1'),
      read('b', 1),
    ]);
  });

  it('NOLOOP, OPTIN and OPTOUT with CLIENT CACHING', async () => {
    await expectSameSession([
      hidden('n', 'HELLO', '3'),
      call('n', 'CLIENT', 'TRACKING', 'ON', 'NOLOOP'),
      pipe('n', 3, ['GET', 'k'], ['SET', 'k', '1'], ['GET', 'k']),
      call('w', 'SET', 'k', '2'),
      read('n', 1),
      hidden('i', 'HELLO', '3'),
      call('i', 'CLIENT', 'TRACKING', 'ON', 'OPTIN'),
      call('i', 'GET', 'a'),
      pipe('i', 3, ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'TRACKINGINFO'], ['GET', 'b']),
      // Only the next command: c is not remembered.
      call('i', 'GET', 'c'),
      // Any CLIENT subcommand keeps the flag; another command drops it, even an unknown one.
      pipe('i', 4, ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'GETREDIR'], ['NOSUCHCOMMAND'], ['GET', 'd']),
      pipe('i', 3, ['CLIENT', 'CACHING', 'YES'], ['CLIENT', 'GETNAME'], ['GET', 'e']),
      // A whole transaction.
      pipe('i', 5, ['CLIENT', 'CACHING', 'YES'], ['MULTI'], ['GET', 'f'], ['GET', 'g'], ['EXEC']),
      call('i', 'GET', 'h'),
      pipe('w', 8, ['SET', 'a', '1'], ['SET', 'b', '1'], ['SET', 'c', '1'], ['SET', 'd', '1'], ['SET', 'e', '1'], ['SET', 'f', '1'], ['SET', 'g', '1'], ['SET', 'h', '1']),
      read('i', 4),
      call('i', 'CLIENT', 'CACHING', 'NO'),
      call('i', 'CLIENT', 'CACHING', 'maybe'),
      call('i', 'CLIENT', 'TRACKING', 'ON', 'OPTOUT'),
      call('i', 'CLIENT', 'TRACKING', 'ON', 'BCAST'),
      hidden('o', 'HELLO', '3'),
      call('o', 'CLIENT', 'TRACKING', 'ON', 'OPTOUT'),
      call('o', 'CLIENT', 'CACHING', 'YES'),
      pipe('o', 3, ['GET', 'p'], ['CLIENT', 'CACHING', 'NO'], ['CLIENT', 'TRACKINGINFO']),
      call('o', 'GET', 'q'),
      call('o', 'CLIENT', 'TRACKINGINFO'),
      call('o', 'GET', 'r'),
      call('o', 'CLIENT', 'TRACKINGINFO'),
      pipe('w', 3, ['SET', 'p', '1'], ['SET', 'q', '1'], ['SET', 'r', '1']),
      read('o', 2),
      call('o', 'CLIENT', 'TRACKING', 'OFF'),
      call('o', 'CLIENT', 'CACHING', 'NO'),
      call('o', 'CLIENT', 'TRACKINGINFO'),
    ]);
  });

  it('BCAST: prefixes, keys batched per prefix in byte order, NOLOOP, expiry', async () => {
    await expectSameSession([
      hidden('b', 'HELLO', '3'),
      call('b', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'acct:'),
      call('b', 'CLIENT', 'TRACKINGINFO'),
      hidden('all', 'HELLO', '3'),
      call('all', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP'),
      pipe('w', 5, ['SET', 'user:2', 'x'], ['SET', 'user:1', 'x'], ['SET', 'acct:9', 'x'], ['SET', 'other', 'x'], ['DEL', 'user:2']),
      read('b', 2),
      read('all', 1),
      // NOLOOP hides only the client's own changes; without NOLOOP they come back.
      pipe('all', 2, ['SET', 'user:3', 'x'], ['SET', 'zz', 'x']),
      read('b', 1),
      pipe('b', 2, ['SET', 'acct:1', 'y'], ['PING']),
      read('b', 1),
      read('all', 1),
      // A BCAST client reading remembers nothing.
      call('b', 'GET', 'user:1'),
      viewed(call('b', 'INFO', 'stats'), { info: ['tracking_total_keys', 'tracking_total_prefixes'] }),
      // Expiry is nobody's change: NOLOOP does not hide it.
      call('admin', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'),
      call('all', 'SET', 'user:9', 'v', 'PX', '1'),
      read('b', 1),
      sleep(20),
      call('all', 'GET', 'user:9'),
      read('all', 1),
      read('b', 1),
      call('b', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:x'),
      call('b', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'new:'),
      call('b', 'CLIENT', 'TRACKINGINFO'),
      call('b', 'CLIENT', 'TRACKING', 'ON'),
      viewed(call('b', 'CLIENT', 'INFO'), { fields: ['flags', 'redir'] }),
      call('b', 'CLIENT', 'TRACKING', 'OFF'),
      viewed(call('w', 'INFO', 'stats'), { info: ['tracking_total_prefixes'] }),
      call('w', 'SET', 'user:1', 'z'),
      read('all', 1),
    ]);
  });

  it('RESP2 REDIRECT: messages on __redis__:invalidate to a subscribed client, pushes to a RESP3 one, broken redirects', async () => {
    await expectSameSession([
      callN('sub', 1, 'SUBSCRIBE', '__redis__:invalidate'),
      call('t', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', idOf('sub')),
      viewed(call('t', 'CLIENT', 'GETREDIR'), { maskIds: true }),
      viewed(call('t', 'CLIENT', 'TRACKINGINFO'), { maskIds: true }),
      viewed(call('t', 'CLIENT', 'INFO'), { fields: ['flags', 'redir'] }),
      call('t', 'GET', 'k'),
      call('w', 'SET', 'k', '1'),
      read('sub', 1),
      // The tracker's own change, through the redirect.
      pipe('t', 2, ['GET', 'k'], ['SET', 'k', '2']),
      read('sub', 1),
      call('t', 'GET', 'k'),
      call('w', 'FLUSHALL'),
      read('sub', 1),
      // Subscribed to something else: still gets the message (written to it, not published).
      callN('other', 1, 'SUBSCRIBE', 'unrelated'),
      call('t2', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', idOf('other')),
      call('t2', 'GET', 'k2'),
      callN('ps', 1, 'PSUBSCRIBE', '__redis__:*'),
      call('w', 'SET', 'k2', '1'),
      read('other', 1),
      // A RESP2 redirect client that subscribes to nothing gets nothing.
      call('plain', 'PING'),
      call('t3', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', idOf('plain')),
      call('t3', 'GET', 'k3'),
      call('w', 'SET', 'k3', '1'),
      // A RESP3 redirect client gets pushes, subscribed or not.
      hidden('r3', 'HELLO', '3'),
      call('t4', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', idOf('r3')),
      call('t4', 'GET', 'k4'),
      call('w', 'SET', 'k4', '1'),
      read('r3', 1),
      // RESP2 without a redirect: accepted, keys remembered, nothing sent.
      call('t5', 'CLIENT', 'TRACKING', 'ON'),
      call('t5', 'GET', 'k5'),
      call('w', 'SET', 'k5', '1'),
      viewed(call('w', 'INFO', 'stats'), { info: ['tracking_total_keys', 'tracking_total_items'] }),
      // The redirect client goes away: RESP3 trackers are told, each time; the flag R shows.
      hidden('t6', 'HELLO', '3'),
      call('gone', 'PING'),
      call('t6', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', idOf('gone')),
      call('t6', 'MGET', 'k6', 'k7'),
      close('gone'),
      call('w', 'SET', 'k6', '1'),
      viewed(read('t6', 1), { maskIds: true }),
      call('w', 'SET', 'k7', '1'),
      viewed(read('t6', 1), { maskIds: true }),
      viewed(call('t6', 'CLIENT', 'TRACKINGINFO'), { maskIds: true }),
      viewed(call('t6', 'CLIENT', 'INFO'), { fields: ['flags', 'redir'] }),
      call('t', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', idOf('sub'), 'REDIRECT', idOf('sub')),
      viewed(call('w', 'INFO', 'clients'), { info: ['tracking_clients'] }),
    ]);
  });

  it('served blocking pops, lazy expiry and RESET', async () => {
    await expectSameSession([
      call('admin', 'DEBUG', 'SET-ACTIVE-EXPIRE', '0'),
      hidden('t', 'HELLO', '3'),
      call('t', 'CLIENT', 'TRACKING', 'ON'),
      call('t', 'LRANGE', 'q', '0', '-1'),
      call('t', 'GET', 'dest'),
      call('waiter', 'PING'),
      { kind: 'send', client: 'waiter', commands: [['BLMOVE', 'q', 'dest', 'LEFT', 'RIGHT', '0']], frames: 0 },
      sleep(100),
      call('w', 'LPUSH', 'q', 'job'),
      read('waiter', 1),
      read('t', 2),
      // A tracking client served from a blocking pop gets its own invalidations after its reply.
      call('t', 'LLEN', 'dst2'),
      { kind: 'send', client: 't', commands: [['BLMOVE', 'src2', 'dst2', 'LEFT', 'RIGHT', '0']], frames: 0 },
      sleep(100),
      call('w', 'RPUSH', 'src2', 'a'),
      read('t', 2),
      // Lazy expiry by another client's read.
      call('w', 'SET', 'e', 'v', 'PX', '400'),
      call('t', 'GET', 'e'),
      sleep(450),
      call('w', 'GET', 'e'),
      read('t', 1),
      call('t', 'GET', 'e'),
      call('w', 'SET', 'e', 'v', 'PX', '400'),
      read('t', 1),
      // The tracker's own read expires it: invalidated after the reply, and remembered again.
      call('t', 'GET', 'e'),
      sleep(450),
      callN('t', 2, 'GET', 'e'),
      call('w', 'SET', 'e', 'again'),
      read('t', 1),
      call('t', 'GET', 'e'),
      call('t', 'RESET'),
      call('t', 'CLIENT', 'TRACKINGINFO'),
      call('w', 'SET', 'e', 'after-reset'),
      viewed(call('w', 'INFO', 'clients'), { info: ['tracking_clients'] }),
    ]);
  });

  it('tracking-table-max-keys evicts keys with invalidations', async () => {
    await expectSameSession([
      hidden('t', 'HELLO', '3'),
      call('t', 'CLIENT', 'TRACKING', 'ON'),
      call('t', 'MGET', 'a', 'b', 'c'),
      call('w', 'CONFIG', 'SET', 'tracking-table-max-keys', '2'),
      call('w', 'CONFIG', 'GET', 'tracking-table-max-keys'),
      // Before the tracker's next command (or the next cron tick), one random key goes.
      sleep(300),
      viewed(read('t', 1), { mask: /\$1\r\n[abc]\r\n/ }),
      viewed(call('w', 'INFO', 'stats'), { info: ['tracking_total_keys', 'tracking_total_items'] }),
      call('w', 'CONFIG', 'SET', 'tracking-table-max-keys', '0'),
      call('t', 'MGET', 'd', 'e', 'f', 'g'),
      viewed(call('w', 'INFO', 'stats'), { info: ['tracking_total_keys'] }),
      call('w', 'CONFIG', 'SET', 'tracking-table-max-keys', '-1'),
    ]);
  });

  it('invalidations reach a client whose replies are off, as CLIENT_PUSHING does in Redis', async () => {
    const expected = await expectSameSession([
      hidden('t', 'HELLO', '3'),
      call('t', 'CLIENT', 'TRACKING', 'ON'),
      call('t', 'GET', 'k'),
      pipe('t', 0, ['CLIENT', 'REPLY', 'OFF'], ['GET', 'k']),
      call('w', 'SET', 'k', '1'),
      read('t', 1),
      pipe('t', 1, ['CLIENT', 'REPLY', 'ON']),
      call('t', 'GET', 'k'),
    ]);
    expect(expected.join('\n')).toContain('invalidate');
  });

  it('answers bad arguments with the same errors', async () => {
    await expectSameSession([
      call('a', 'CLIENT', 'TRACKING'),
      call('a', 'CLIENT', 'TRACKING', 'MAYBE'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'FOO'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'PREFIX'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', 'x'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', '0'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', '999999'),
      call('a', 'CLIENT', 'TRACKING', 'OFF', 'REDIRECT', '999999'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'REDIRECT', idOf('admin'), 'REDIRECT', idOf('admin')),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'PREFIX', 'p'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTOUT'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'),
      call('a', 'CLIENT', 'TRACKINGINFO'),
      // Redis 7.0.15 reports an overlap between two later prefixes, then goes on and answers +OK too.
      callN('a', 2, 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'x', 'PREFIX', 'y', 'PREFIX', 'yz'),
      call('a', 'CLIENT', 'TRACKINGINFO'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'xx'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'q', 'PREFIX', 'y'),
      call('a', 'CLIENT', 'TRACKING', 'OFF'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'OPTIN'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'OPTOUT'),
      call('a', 'CLIENT', 'TRACKING', 'ON', 'bcast'),
      call('a', 'CLIENT', 'TRACKING', 'on', 'optin', 'noloop'),
      call('a', 'CLIENT', 'TRACKINGINFO'),
      call('a', 'CLIENT', 'CACHING'),
      call('a', 'CLIENT', 'CACHING', 'yes', 'extra'),
      call('a', 'CLIENT', 'GETREDIR', 'extra'),
      call('a', 'CLIENT', 'TRACKINGINFO', 'extra'),
      call('b', 'CLIENT', 'CACHING', 'YES'),
      call('b', 'CLIENT', 'GETREDIR'),
      call('b', 'CLIENT', 'TRACKINGINFO'),
    ]);
  });
});
