/**
 * CLIENT PAUSE through real sockets, on a ManualClock: the pause's end is
 * read on the server clock (so moving the clock past it releases the
 * waiting clients at the next cron tick), expiry holds still while paused,
 * and the paths Redis does not share: writes that run during a pause (the
 * transaction that paused, a client with no socket), a paused client that
 * disconnects, CLIENT UNBLOCK on one, and shutdown.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const t = useServer({ clock: START, resetClock: true, ioredis: false });
const { clock } = t;
let server: RunningServer;
beforeAll(() => {
  server = t.server;
});

const opened: RawClient[] = [];
afterEach(async () => {
  server.server.pause.unpause();
  for (const c of opened.splice(0)) await c.close();
});

async function connect(port = server.port): Promise<RawClient> {
  const client = await RawClient.connect(port);
  opened.push(client);
  return client;
}

async function text(client: RawClient, ...args: string[]): Promise<string> {
  return (await client.call(...args)).toString('latin1');
}

function sendCommand(client: RawClient, ...args: string[]): void {
  client.sendRaw(`*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join(''));
}

async function blockedClients(client: RawClient): Promise<string> {
  return /blocked_clients:(\d+)/.exec(await text(client, 'INFO', 'clients'))![1]!;
}

describe('CLIENT PAUSE', () => {
  it('ends when the server clock passes its end, noticed by the cron', async () => {
    const admin = await connect();
    const writer = await connect();
    expect(await text(admin, 'CLIENT', 'PAUSE', '10000', 'WRITE')).toBe('+OK\r\n');
    sendCommand(writer, 'SET', 'k', 'v');
    // Real time passing does not end it: the server clock has not moved.
    expect((await writer.readRaw(250)).toString('latin1')).toBe('');
    expect(await blockedClients(admin)).toBe('1');
    clock.advance(10_001);
    expect((await writer.readReply(2000)).toString('latin1')).toBe('+OK\r\n');
    expect(await blockedClients(admin)).toBe('0');
  });

  it('holds expiry: an expired key reads as missing, stays, and goes once the pause ends', async () => {
    const admin = await connect();
    await text(admin, 'SET', 'k', 'v', 'PX', '100');
    await text(admin, 'CLIENT', 'PAUSE', '60000', 'WRITE');
    clock.advance(1_000);
    expect(await text(admin, 'GET', 'k')).toBe('$-1\r\n');
    expect(await text(admin, 'DBSIZE')).toBe(':1\r\n');
    expect(server.server.activeExpiry.cycle()).toBe(0);
    expect(await text(admin, 'DBSIZE')).toBe(':1\r\n');
    expect(/expired_keys:(\d+)/.exec(await text(admin, 'INFO', 'stats'))![1]).toBe('0');
    await text(admin, 'CLIENT', 'UNPAUSE');
    expect(server.server.activeExpiry.cycle()).toBe(1);
    expect(await text(admin, 'DBSIZE')).toBe(':0\r\n');
  });

  it('lets the transaction that paused write, replacing a held expired key whole (Redis 7.0.15 asserts)', async () => {
    const client = await connect();
    await text(client, 'SET', 'k', 'old', 'PX', '100');
    await text(client, 'LPUSH', 'l', 'old');
    await text(client, 'PEXPIRE', 'l', '100');
    clock.advance(1_000);
    await text(client, 'MULTI');
    await text(client, 'CLIENT', 'PAUSE', '60000', 'WRITE');
    await text(client, 'SET', 'k', 'new');
    await text(client, 'LPUSH', 'l', 'new');
    expect(await text(client, 'EXEC')).toBe('*3\r\n+OK\r\n+OK\r\n:1\r\n');
    expect(await text(client, 'GET', 'k')).toBe('$3\r\nnew\r\n');
    expect(await text(client, 'TTL', 'k')).toBe(':-1\r\n');
    expect(await text(client, 'LRANGE', 'l', '0', '-1')).toBe('*1\r\n$3\r\nnew\r\n');
    expect(await text(client, 'TTL', 'l')).toBe(':-1\r\n');
  });

  it('does not hold a client with no socket', async () => {
    const admin = await connect();
    await text(admin, 'CLIENT', 'PAUSE', '60000', 'ALL');
    expect(server.server.execute(['SET', 'api', 'yes'])).toBe('+OK\r\n');
    expect(server.server.execute(['GET', 'api'])).toBe('$3\r\nyes\r\n');
  });

  it('forgets a waiting client that disconnects, and CLIENT UNBLOCK does not release one', async () => {
    const admin = await connect();
    const waiting = await connect();
    const idLine = await text(waiting, 'CLIENT', 'ID');
    await text(admin, 'CLIENT', 'PAUSE', '60000', 'WRITE');
    sendCommand(waiting, 'SET', 'k', 'v');
    await expect.poll(() => blockedClients(admin)).toBe('1');
    // Not blocked on keys: Redis 7.0.15 crashes here with TIMEOUT, reddish answers 0.
    expect(await text(admin, 'CLIENT', 'UNBLOCK', idLine.slice(1, -2))).toBe(':0\r\n');
    await waiting.close();
    await expect.poll(() => blockedClients(admin)).toBe('0');
    expect(server.server.pause.parkedCount).toBe(0);
    await text(admin, 'CLIENT', 'UNPAUSE');
    expect(await text(admin, 'EXISTS', 'k')).toBe(':0\r\n');
  });

  it('an ioredis write resolves once the pause ends', async () => {
    const admin = await connect();
    const redis = new Redis(server.port, { enableReadyCheck: false, maxRetriesPerRequest: 0 });
    try {
      await redis.ping();
      await text(admin, 'CLIENT', 'PAUSE', '60000', 'WRITE');
      let done = false;
      const write = redis.incr('counter').then((n) => {
        done = true;
        return n;
      });
      // Pipelined behind the INCR on the same connection, this read waits too.
      const read = redis.get('counter');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(done).toBe(false);
      await text(admin, 'CLIENT', 'UNPAUSE');
      expect(await write).toBe(1);
      expect(await read).toBe('1');
    } finally {
      redis.disconnect();
    }
  });

  it('shutdown does not wait for paused clients', async () => {
    const own = await startServer({ port: 0 });
    const admin = await connect(own.port);
    const waiting = await connect(own.port);
    await text(admin, 'CLIENT', 'PAUSE', '600000', 'ALL');
    sendCommand(waiting, 'PING');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await own.close();
    expect(await waiting.waitClosed(2000)).toBe(true);
  });
});
