/**
 * Client limits: `timeout` (clientsCronHandleTimeout: idle clients closed,
 * blocked, subscribed and MONITOR clients spared), `tcp-keepalive` on the
 * socket, `client-query-buffer-limit` followed live (closed without a reply,
 * and logged), and the query buffer figures of CLIENT LIST.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, startServer, type RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';

/** Waits until `done()` holds, checking every 20 ms, for up to `ms`. */
async function eventually(done: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** CLIENT LIST's fields for the client with this name. */
async function listed(client: RawClient, name: string): Promise<Map<string, string>> {
  const text = (await client.call('CLIENT', 'LIST')).toString('latin1');
  const line = text.split('\n').find((l) => l.includes(` name=${name} `));
  if (line === undefined) throw new Error(`no client named ${name}`);
  return new Map(line.split(' ').map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]));
}

describe('timeout', () => {
  let server: RunningServer;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(1_700_000_000_000);
    server = await startServer({ port: 0, clock });
  });
  afterEach(async () => {
    await server.close();
  });

  it('closes clients idle past it, sparing blocked, subscribed and MONITOR clients but not one inside MULTI', async () => {
    const admin = await RawClient.connect(server.port);
    const idle = await RawClient.connect(server.port);
    const inMulti = await RawClient.connect(server.port);
    const blocked = await RawClient.connect(server.port);
    const subscribed = await RawClient.connect(server.port);
    const monitor = await RawClient.connect(server.port);
    expect((await admin.call('CONFIG', 'SET', 'timeout', '2')).toString()).toBe('+OK\r\n');
    expect((await idle.call('PING')).toString()).toBe('+PONG\r\n');
    expect((await inMulti.call('MULTI')).toString()).toBe('+OK\r\n');
    blocked.sendRaw('*3\r\n$5\r\nBLPOP\r\n$4\r\nlist\r\n$1\r\n0\r\n');
    expect((await subscribed.call('SUBSCRIBE', 'news')).toString()).toContain('subscribe');
    expect((await monitor.call('MONITOR')).toString()).toBe('+OK\r\n');
    // Two seconds idle is not past a timeout of 2; three are.
    clock.advance(2000);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect([idle.closed, inMulti.closed]).toEqual([false, false]);
    clock.advance(1000);
    await eventually(() => idle.closed && inMulti.closed);
    expect([blocked.closed, subscribed.closed, monitor.closed]).toEqual([false, false, false]);
    // The admin was idle as long: it went too. A fresh client sees who is left.
    await eventually(() => admin.closed);
    const fresh = await RawClient.connect(server.port);
    try {
      expect((await fresh.call('RPUSH', 'list', 'a')).toString()).toBe(':1\r\n');
      expect((await blocked.readReply()).toString()).toBe('*2\r\n$4\r\nlist\r\n$1\r\na\r\n');
      const list = (await fresh.call('CLIENT', 'LIST')).toString();
      expect(list.slice(list.indexOf('\r\n') + 2, -2).trimEnd().split('\n')).toHaveLength(4);
    } finally {
      for (const client of [fresh, blocked, subscribed, monitor]) await client.close();
    }
  });

  it('counts a read of part of a request as interaction, as readQueryFromClient does', async () => {
    const admin = await RawClient.connect(server.port);
    const slow = await RawClient.connect(server.port);
    try {
      expect((await admin.call('CONFIG', 'SET', 'timeout', '2')).toString()).toBe('+OK\r\n');
      slow.sendRaw('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n01234');
      await new Promise((resolve) => setTimeout(resolve, 100));
      clock.advance(2000);
      slow.sendRaw('567');
      await new Promise((resolve) => setTimeout(resolve, 100));
      clock.advance(2000);
      // Four seconds since its last command, two since it last sent anything.
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(slow.closed).toBe(false);
      clock.advance(1000);
      await eventually(() => slow.closed);
    } finally {
      await admin.close();
      await slow.close();
    }
  });

  it('closes nobody when 0, the default', async () => {
    const client = await RawClient.connect(server.port);
    try {
      expect((await client.call('CONFIG', 'GET', 'timeout')).toString()).toBe('*2\r\n$7\r\ntimeout\r\n$1\r\n0\r\n');
      clock.advance(3_600_000);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect((await client.call('PING')).toString()).toBe('+PONG\r\n');
    } finally {
      await client.close();
    }
  });
});

describe('tcp-keepalive', () => {
  it('turns on keepalive probes on client sockets (300 s by default), and off with 0', async () => {
    const server = await startServer({ port: 0 });
    const seen: Array<[boolean, number | undefined]> = [];
    const original = net.Socket.prototype.setKeepAlive;
    net.Socket.prototype.setKeepAlive = function (this: net.Socket, enable?: boolean, delay?: number) {
      seen.push([enable ?? false, delay]);
      return original.call(this, enable, delay);
    };
    try {
      const first = await RawClient.connect(server.port);
      await first.call('PING');
      expect(seen).toEqual([[true, 300_000]]);
      await first.call('CONFIG', 'SET', 'tcp-keepalive', '0');
      const second = await RawClient.connect(server.port);
      await second.call('PING');
      expect(seen).toEqual([[true, 300_000]]);
      await first.close();
      await second.close();
    } finally {
      net.Socket.prototype.setKeepAlive = original;
      await server.close();
    }
  });
});

describe('client-query-buffer-limit', () => {
  it('is followed live: a client whose unfinished request passes it is closed without a reply, and logged', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const server = await startServer({ port: 0, logger: pino({ level: 'info' }, stream) });
    const admin = await RawClient.connect(server.port);
    const big = await RawClient.connect(server.port);
    try {
      expect((await big.call('CLIENT', 'SETNAME', 'big')).toString()).toBe('+OK\r\n');
      // 1.5 MB of a 4 MB value: under the default 1 GB limit, it waits for the rest.
      big.sendRaw(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${4 * 1024 * 1024}\r\n`);
      big.sendRaw(Buffer.alloc(1536 * 1024, 'x'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(big.closed).toBe(false);
      expect((await admin.call('CONFIG', 'SET', 'client-query-buffer-limit', '1mb')).toString()).toBe('+OK\r\n');
      // The limit applies to the next bytes it sends.
      big.sendRaw('xxxx');
      await eventually(() => big.closed);
      expect(await big.readRaw()).toEqual(Buffer.alloc(0));
      const logged = lines.map((line) => JSON.parse(line) as { msg: string; client?: string });
      const closing = logged.find((line) => line.msg === 'Closing client that reached max query buffer length');
      expect(closing?.client).toMatch(/ name=big /);
      expect((await admin.call('EXISTS', 'k')).toString()).toBe(':0\r\n');
    } finally {
      await admin.close();
      await big.close();
      await server.close();
    }
  });
});

describe('CLIENT LIST query buffer figures', () => {
  it('show a request still arriving: qbuf what has come, qbuf-free the room held for the rest, tot-mem both', async () => {
    const server = await startServer({ port: 0 });
    const observer = await RawClient.connect(server.port);
    const sender = await RawClient.connect(server.port);
    try {
      await sender.call('CLIENT', 'SETNAME', 'sender');
      const idle = await listed(observer, 'sender');
      expect([idle.get('qbuf'), idle.get('qbuf-free'), idle.get('tot-mem')]).toEqual(['0', '0', '0']);
      const header = `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n`;
      sender.sendRaw(header);
      sender.sendRaw(Buffer.alloc(10_000, 'v'));
      let fields = await listed(observer, 'sender');
      for (let i = 0; i < 50 && Number(fields.get('qbuf')) < header.length + 10_000; i++) fields = await listed(observer, 'sender');
      // The value's buffer starts at 16 KB (it grows by doubling, never past the value's length).
      expect(Number(fields.get('qbuf'))).toBe(header.length + 10_000);
      expect(Number(fields.get('qbuf-free'))).toBe(16 * 1024 - 10_000);
      expect(Number(fields.get('tot-mem'))).toBe(header.length + 16 * 1024);
      sender.sendRaw(Buffer.alloc(30_000, 'v'));
      for (let i = 0; i < 50 && Number(fields.get('qbuf')) < header.length + 40_000; i++) fields = await listed(observer, 'sender');
      expect(Number(fields.get('qbuf'))).toBe(header.length + 40_000);
      expect(Number(fields.get('qbuf-free')) + 40_000).toBeLessThanOrEqual(100_000);
      sender.sendRaw(Buffer.alloc(60_000, 'v'));
      sender.sendRaw('\r\n');
      expect((await sender.readReply()).toString()).toBe('+OK\r\n');
      const done = await listed(observer, 'sender');
      expect([done.get('qbuf'), done.get('qbuf-free')]).toEqual(['0', '0']);
    } finally {
      await observer.close();
      await sender.close();
      await server.close();
    }
  });
});
