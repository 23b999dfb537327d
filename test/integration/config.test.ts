/**
 * Configuration never lies (issue #8), through real sockets: CONFIG SET
 * refuses what reddish can't do, startServer refuses it too, `dir` is
 * checked and protected, maxclients works, and the defaults CONFIG GET
 * reports are redis-server 7.0.15's. Where a redis-server is on PATH, the
 * replies are compared with it byte for byte.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, configParams, startServer, type RunningServer } from '../../src/index.js';
import { findRedisServer, repliesFromBoth, startRedisServer } from '../helpers/redis-server.js';
import { RawClient, replyToJs } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const t = useServer({ ioredis: false });
const { call } = t;

const haveRedis = findRedisServer() !== null;

function failed(name: string, reason: string): string {
  return `-ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}\r\n`;
}

/** CONFIG GET name, as a [name, value] pair. */
async function get(name: string): Promise<string> {
  return ((replyToJs(await t.raw.call('CONFIG', 'GET', name)) as string[])[1])!;
}

describe('CONFIG SET of behaviour reddish lacks', () => {
  // One value that would switch each on, and the off value that stays accepted.
  const cases: Array<[string, string, string, string]> = [
    ['tls-replication', 'yes', 'no', "reddish has no replication; only 'no' is accepted"],
    ['maxmemory-clients', '10%', '0', 'reddish has no client eviction; only 0 is accepted'],
  ];

  it.each(cases)('%s %j is refused and leaves the value alone; %j is accepted', async (name, on, off, reason) => {
    const before = await get(name);
    expect(await call('CONFIG', 'SET', name, on)).toBe(failed(name, reason));
    expect(await get(name)).toBe(before);
    expect(await call('CONFIG', 'SET', name, off)).toBe('+OK\r\n');
  });

  it('reports the defaults as off', async () => {
    expect(await get('appendonly')).toBe('no');
    expect(await get('save')).toBe('');
    expect(await get('maxmemory')).toBe('0');
    expect(await get('timeout')).toBe('0');
  });

  it('accepts output buffer limits for every class (test/integration/output-buffer-limits.test.ts enforces them)', async () => {
    expect(await call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 64mb 16mb 120 normal 1mb 512kb 60')).toBe('+OK\r\n');
    expect(await get('client-output-buffer-limit')).toBe('normal 1048576 524288 60 slave 268435456 67108864 60 pubsub 67108864 16777216 120');
    await call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60 normal 0 0 0');
  });
});

describe('startServer', () => {
  it('throws a ConfigError for a value reddish cannot honour, typed or as text', async () => {
    await expect(startServer({ port: 0, config: { 'cluster-enabled': true } })).rejects.toThrow(
      new ConfigError('cluster-enabled', "reddish has no cluster mode; only 'no' is accepted"),
    );
    await expect(startServer({ port: 0, config: { 'maxmemory-clients': '1gb' } })).rejects.toThrow(ConfigError);
    await expect(startServer({ port: 0, config: { hz: 'x' } })).rejects.toThrow("Bad configuration for 'hz': argument couldn't be parsed into an integer");
  });

  it('refuses a log file, which only reddish-server opens', async () => {
    await expect(startServer({ port: 0, config: { logfile: '/tmp/reddish.log' } })).rejects.toThrow(
      new ConfigError('logfile', 'an embedded server logs through the logger option'),
    );
  });

  it('listens where other hosts reach it without a password: protected mode guards it (test/integration/exposure.test.ts)', async () => {
    const open = await startServer({ port: 0, host: '0.0.0.0' });
    await open.close();
  });

  it('takes port and bind from config as well as from the options', async () => {
    const server = await startServer({ config: { port: 0, bind: '127.0.0.1' } });
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.host).toBe('127.0.0.1');
      const client = await RawClient.connect(server.port);
      expect((await client.call('PING')).toString()).toBe('+PONG\r\n');
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('dir', () => {
  let protectedOpen: RunningServer;
  let client: RawClient;
  let scratch: string;

  beforeAll(async () => {
    protectedOpen = await startServer({ port: 0, config: { 'enable-protected-configs': 'yes' } });
    client = await RawClient.connect(protectedOpen.port);
    scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-dir-')));
    fs.writeFileSync(path.join(scratch, 'file'), '');
  });

  afterAll(async () => {
    await client.close();
    await protectedOpen.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('is protected by default, as in Redis 7', async () => {
    expect(await call('CONFIG', 'SET', 'dir', os.tmpdir())).toBe(failed('dir', "can't set protected config"));
    expect(await get('dir')).toBe(fs.realpathSync('.'));
  });

  it('refuses a path that is not a directory, and keeps an accepted one absolute without a chdir', async () => {
    const set = async (dir: string) => (await client.call('CONFIG', 'SET', 'dir', dir)).toString();
    expect(await set(path.join(scratch, 'missing'))).toBe(failed('dir', 'No such file or directory'));
    expect(await set(path.join(scratch, 'file'))).toBe(failed('dir', 'Not a directory'));
    expect(await set(scratch)).toBe('+OK\r\n');
    expect(replyToJs(await client.call('CONFIG', 'GET', 'dir'))).toEqual(['dir', scratch]);
    expect(process.cwd()).not.toBe(scratch);
  });

  // Redis's `local`: only loopback clients may set protected parameters.
  it('with enable-protected-configs local, is settable from loopback', async () => {
    const local = await startServer({ port: 0, config: { 'enable-protected-configs': 'local' } });
    const localClient = await RawClient.connect(local.port);
    try {
      expect((await localClient.call('CONFIG', 'SET', 'dir', scratch)).toString()).toBe('+OK\r\n');
    } finally {
      await localClient.close();
      await local.close();
    }
  });

  it.skipIf(!haveRedis)('answers as redis-server does with protected configs enabled', async () => {
    const commands = [
      ['CONFIG', 'SET', 'dir', path.join(scratch, 'missing')],
      ['CONFIG', 'SET', 'dir', path.join(scratch, 'file')],
      ['CONFIG', 'SET', 'dir', path.join(scratch, 'file', 'below')],
      ['CONFIG', 'SET', 'dir', ''],
      ['CONFIG', 'SET', 'dbfilename', 'a/b.rdb'],
      ['CONFIG', 'SET', 'dir', scratch],
      ['CONFIG', 'GET', 'dir'],
    ];
    const pairs = await repliesFromBoth(commands, protectedOpen.port, { extraArgs: ['--enable-protected-configs', 'yes'] });
    for (const { command, ours, theirs } of pairs) expect({ command, reply: ours }).toEqual({ command, reply: theirs });
  });
});

/** Reads from a fresh connection until the server closes it. */
function readUntilClosed(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('maxclients', () => {
  it('turns away the client over the limit with Redis error text, counts it, and admits one again once a client leaves', async () => {
    const server = await startServer({ port: 0, config: { maxclients: 2 } });
    const first = await RawClient.connect(server.port);
    let second: RawClient | null = await RawClient.connect(server.port);
    try {
      expect((await second.call('PING')).toString()).toBe('+PONG\r\n');
      expect(await readUntilClosed(server.port)).toBe('-ERR max number of clients reached\r\n');
      const stats = (await first.call('INFO', 'stats')).toString();
      expect(stats).toContain('rejected_connections:1\r\n');
      await second.close();
      second = null;
      await expect.poll(async () => (await first.call('INFO', 'clients')).toString()).toContain('connected_clients:1\r\n');
      const third = await RawClient.connect(server.port);
      expect((await third.call('PING')).toString()).toBe('+PONG\r\n');
      await third.close();
    } finally {
      await first.close();
      await second?.close();
      await server.close();
    }
  });

  it('follows CONFIG SET at once', async () => {
    const server = await startServer({ port: 0 });
    const first = await RawClient.connect(server.port);
    try {
      expect((await first.call('CONFIG', 'SET', 'maxclients', '1')).toString()).toBe('+OK\r\n');
      expect(await readUntilClosed(server.port)).toBe('-ERR max number of clients reached\r\n');
    } finally {
      await first.close();
      await server.close();
    }
  });

  it('lets close() finish after turning a client away', async () => {
    const server = await startServer({ port: 0, config: { maxclients: 1 } });
    const first = await RawClient.connect(server.port);
    await first.call('PING');
    await readUntilClosed(server.port);
    await first.close();
    const closed = await Promise.race([server.close().then(() => true), new Promise((r) => setTimeout(() => r(false), 500))]);
    await server.close();
    expect(closed).toBe(true);
  });

  it.skipIf(!haveRedis)('refuses the extra client with the same bytes as redis-server', async () => {
    const redis = await startRedisServer({ extraArgs: ['--maxclients', '1'] });
    const ours = await startServer({ port: 0, config: { maxclients: 1 } });
    const holdTheirs = await RawClient.connect(redis.port);
    const holdOurs = await RawClient.connect(ours.port);
    try {
      await holdTheirs.call('PING');
      await holdOurs.call('PING');
      expect(await readUntilClosed(ours.port)).toBe(await readUntilClosed(redis.port));
    } finally {
      await holdTheirs.close();
      await holdOurs.close();
      await ours.close();
      await redis.stop();
    }
  });

  const files = (() => {
    try {
      return Number(/^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'latin1'))![1]);
    } catch {
      return null;
    }
  })();

  it.skipIf(!haveRedis || files === null)('refuses more clients than the open files limit allows, as redis-server does', async () => {
    const commands = [['CONFIG', 'SET', 'maxclients', String(files! - 31)], ['CONFIG', 'GET', 'maxclients']];
    const pairs = await repliesFromBoth(commands, t.server.port);
    for (const { command, ours, theirs } of pairs) expect({ command, reply: ours }).toEqual({ command, reply: theirs });
  });
});

describe.skipIf(!haveRedis)('against redis-server', () => {
  /** Where reddish's CONFIG GET knowingly differs from a redis-server started by the test helper. */
  const knownDifferences = new Map([
    ['port', 'each server listens on its own port'],
    ['bind', 'reddish binds one address; the helper passes 127.0.0.1 to redis-server, reddish defaults to it'],
    ['dir', "the helper's redis-server runs in a temporary directory"],
    ['set-max-listpack-entries', "Redis 7.2's; 7.0.15 doesn't know it"],
    ['set-max-listpack-value', "Redis 7.2's; 7.0.15 doesn't know it"],
    ['compat-version', "reddish's own: the Redis version it presents"],
  ]);

  it("reports Redis's defaults for every parameter, and every alias", async () => {
    const names = configParams.flatMap((p) => [p.name, ...(p.aliases ?? [])]).filter((name) => !knownDifferences.has(name));
    const fresh = await startServer({ port: 0 });
    try {
      const pairs = await repliesFromBoth(
        names.map((name) => ['CONFIG', 'GET', name]),
        fresh.port,
      );
      const report = pairs.filter((p) => p.ours !== p.theirs).map((p) => `${p.command[2]}: reddish ${JSON.stringify(p.ours)}, redis ${JSON.stringify(p.theirs)}`);
      expect(report, report.join('\n')).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('answers the refusable parameters the same way where a value is malformed', async () => {
    const commands = [
      ['CONFIG', 'SET', 'appendonly', 'maybe'],
      ['CONFIG', 'SET', 'timeout', 'x'],
      ['CONFIG', 'SET', 'maxmemory', '1tb'],
      ['CONFIG', 'SET', 'save', '60'],
      ['CONFIG', 'SET', 'notify-keyspace-events', 'Z'],
      ['CONFIG', 'SET', 'latency-monitor-threshold', '-1'],
      ['CONFIG', 'SET', 'maxmemory-clients', '200%'],
      // Off values are accepted by both.
      ['CONFIG', 'SET', 'appendonly', 'no', 'save', '', 'maxmemory', '0', 'timeout', '0'],
      ['CONFIG', 'GET', 'save'],
    ];
    const pairs = await repliesFromBoth(commands, t.server.port);
    for (const { command, ours, theirs } of pairs) expect({ command, reply: ours }).toEqual({ command, reply: theirs });
  });
});

describe('bind with several addresses (issue #15)', () => {
  async function ping(host: string, port: number): Promise<string> {
    const client = await RawClient.connect(port, { host });
    try {
      return (await client.call('PING')).toString();
    } finally {
      await client.close();
    }
  }

  it('listens on every address given, on one port', async () => {
    const server = await startServer({ port: 0, config: { bind: '127.0.0.1 ::1' } });
    try {
      expect(await ping('127.0.0.1', server.port)).toBe('+PONG\r\n');
      expect(await ping('::1', server.port)).toBe('+PONG\r\n');
    } finally {
      await server.close();
    }
  });

  it('skips an optional (-) address this host does not have, and fails on a required one', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this host, so binding it fails with EADDRNOTAVAIL.
    const server = await startServer({ port: 0, config: { bind: '-192.0.2.1 127.0.0.1', 'protected-mode': 'no' } });
    try {
      expect(await ping('127.0.0.1', server.port)).toBe('+PONG\r\n');
    } finally {
      await server.close();
    }
    await expect(startServer({ port: 0, config: { bind: '127.0.0.1 192.0.2.1', 'protected-mode': 'no' } })).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});
