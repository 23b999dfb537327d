/**
 * CLIENT REPLY through real sockets, for what the differential test can't
 * show cheaply: a reply too big for one string (the reply writer's spill
 * path) dropped whole, a protocol error's reply dropped before the close,
 * and a long pipeline answered with nothing.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const t = useServer({ ioredis: false });
let server: RunningServer;
beforeAll(() => {
  server = t.server;
});

const opened: RawClient[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
});

async function connect(): Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  opened.push(client);
  return client;
}

describe('CLIENT REPLY', () => {
  it('drops a reply bigger than the writer keeps in one string, and sends what comes after', async () => {
    const client = await connect();
    const big = 'x'.repeat(9 * 1024 * 1024);
    expect((await client.call('SET', 'big', big)).toString('latin1')).toBe('+OK\r\n');
    client.sendRaw('*2\r\n$4\r\nPING\r\n$6\r\nbefore\r\n');
    client.sendRaw('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n');
    client.sendRaw('*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n');
    client.sendRaw('*4\r\n$6\r\nLRANGE\r\n$1\r\nl\r\n$1\r\n0\r\n$2\r\n-1\r\n');
    expect((await client.readReply()).toString('latin1')).toBe('$6\r\nbefore\r\n');
    expect((await client.readReply()).toString('latin1')).toBe('*0\r\n');
    expect((await client.readRaw(100)).length).toBe(0);
  }, 20_000);

  it('drops the protocol error of a client whose replies are off, then closes it', async () => {
    const client = await connect();
    client.sendRaw('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n');
    client.sendRaw('*1\r\n$4\r\nPING\r\n*x\r\n');
    expect(await client.waitClosed(2000)).toBe(true);
    expect((await client.readRaw(10)).toString('latin1')).toBe('');
  });

  it('sends nothing at all for a long pipeline while OFF, yet runs every command', async () => {
    const client = await connect();
    let pipeline = '*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n';
    for (let i = 0; i < 2000; i++) pipeline += `*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n`;
    client.sendRaw(pipeline);
    expect((await client.readRaw(200)).length).toBe(0);
    expect((await client.call('CLIENT', 'REPLY', 'ON')).toString('latin1')).toBe('+OK\r\n');
    expect((await client.call('GET', 'n')).toString('latin1')).toBe('$4\r\n2000\r\n');
    expect(server.server.execute(['INFO', 'commandstats'])).toContain('cmdstat_incr:calls=2000,');
  });
});
