/**
 * MONITOR through real sockets and the two client libraries: ioredis's
 * monitor() and node-redis's client.monitor() must parse reddish's lines
 * into the command, database and source they describe. The server runs on
 * a ManualClock, so the timestamps are known exactly.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const t = useServer({ clock: START, resetClock: true, ioredis: false });
const { clock } = t;
let server: RunningServer;
beforeAll(() => {
  server = t.server;
});

const opened: Array<{ close(): Promise<unknown> | void }> = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

async function connect(): Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  opened.push(client);
  return client;
}

async function text(client: RawClient, ...args: string[]): Promise<string> {
  return (await client.call(...args)).toString('latin1');
}

/** The address CLIENT INFO gives for a connection. */
async function addressOf(client: RawClient): Promise<string> {
  return / addr=(\S+)/.exec(await text(client, 'CLIENT', 'INFO'))![1]!;
}

describe('MONITOR', () => {
  it('stamps each line with the server clock, in seconds and microseconds', async () => {
    const worker = await connect();
    const address = await addressOf(worker);
    const monitor = await connect();
    expect(await text(monitor, 'MONITOR')).toBe('+OK\r\n');
    clock.set(START + 123_456);
    await text(worker, 'SET', 'k', 'v');
    expect((await monitor.readReply()).toString('latin1')).toBe(`+1700000123.456000 [0 ${address}] "SET" "k" "v"\r\n`);
  });

  it('reaches ioredis monitor() as command, arguments, database and source', async () => {
    const monitorClient = new Redis(server.port, { lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    opened.push({ close: () => monitorClient.disconnect() });
    await monitorClient.connect();
    const monitor = await monitorClient.monitor();
    opened.push({ close: () => monitor.disconnect() });
    const seen: Array<{ time: string; args: string[]; source: string; database: string }> = [];
    monitor.on('monitor', (time: string, args: string[], source: string, database: string) => seen.push({ time, args, source, database }));

    const worker = await connect();
    const address = await addressOf(worker);
    clock.set(START + 5_000);
    await text(worker, 'SELECT', '2');
    await text(worker, 'SET', 'greeting', 'say "hi"');
    await text(worker, 'GET', 'greeting');
    await expect.poll(() => seen.length, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    expect(seen.slice(-3)).toEqual([
      { time: '1700000005.000000', args: ['SELECT', '2'], source: address, database: '2' },
      { time: '1700000005.000000', args: ['SET', 'greeting', 'say "hi"'], source: address, database: '2' },
      { time: '1700000005.000000', args: ['GET', 'greeting'], source: address, database: '2' },
    ]);
  });

  it('reaches node-redis client.monitor() listeners', async () => {
    const monitorClient = createClient({ url: server.url });
    opened.push({ close: () => monitorClient.destroy() });
    await monitorClient.connect();
    const lines: string[] = [];
    await monitorClient.monitor((reply) => lines.push(String(reply)));
    const worker = await connect();
    const address = await addressOf(worker);
    await text(worker, 'RPUSH', 'jobs', 'a', 'b');
    await expect.poll(() => lines.some((line) => line.includes('"RPUSH"')), { timeout: 2000 }).toBe(true);
    expect(lines.find((line) => line.includes('"RPUSH"'))).toBe(`1700000000.000000 [0 ${address}] "RPUSH" "jobs" "a" "b"`);
  });

  it('shows commands run with no socket (Server.execute) as coming from ?:0', async () => {
    const monitor = await connect();
    await text(monitor, 'MONITOR');
    expect(server.server.execute(['SET', 'from', 'api'])).toBe('+OK\r\n');
    expect((await monitor.readReply()).toString('latin1')).toBe('+1700000000.000000 [0 ?:0] "SET" "from" "api"\r\n');
  });

  it('is refused where one reply per command is expected: inside EXEC and with no socket', async () => {
    const client = await connect();
    await text(client, 'MULTI');
    expect(await text(client, 'MONITOR')).toBe('+QUEUED\r\n');
    expect(await text(client, 'EXEC')).toBe("*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
    expect(server.server.execute(['MONITOR'])).toBe("-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n");
    // Still a normal client: its own commands are not streamed back to it.
    expect(await text(client, 'SET', 'k', 'v')).toBe('+OK\r\n');
    expect((await client.readRaw(50)).length).toBe(0);
  });

  it('shows as flags=O with cmd=monitor, and leaves the feed when killed', async () => {
    const monitor = await connect();
    await text(monitor, 'MONITOR');
    const admin = await connect();
    const list = await text(admin, 'CLIENT', 'LIST');
    const line = list.split('\n').find((l) => l.includes('cmd=monitor'))!;
    expect(line).toContain(' flags=O ');
    const id = /id=(\d+)/.exec(line)![1]!;
    expect(await text(admin, 'CLIENT', 'KILL', 'ID', id)).toBe(':1\r\n');
    expect(await monitor.waitClosed(2000)).toBe(true);
    // The feed goes on for nobody, without error.
    expect(await text(admin, 'SET', 'after', 'kill')).toBe('+OK\r\n');
    expect(server.server.monitors.size).toBe(0);
  });
});
