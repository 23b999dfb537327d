/**
 * client-output-buffer-limit (issue #10, slow subscribers): a subscriber
 * that stops reading is disconnected at its class's hard limit, or after
 * staying over its soft limit for longer than its seconds, while the other
 * subscribers keep receiving every message in order; a normal client is
 * held to the normal class's limits once they are set.
 *
 * Each scenario runs on reddish and, when it is installed, on a real
 * redis-server, so the expectations are Redis 7.0.15's own. On reddish the
 * test also reads the server's accounting: what it holds for the slow
 * client never passes the limit by more than one message.
 */
import net from 'node:net';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, startServer, type RunningServer } from '../../src/index.js';
import type { Connection } from '../../src/server/connection.js';
import { encodeCommand, RawClient, type Command } from '../helpers/resp-client.js';
import { serversUnderTest, useServerUnderTest, type StartedServer } from '../helpers/servers-under-test.js';

const CHANNEL = 'news';
const MESSAGE_BYTES = 64 * 1024;
const PADDING = 'x'.repeat(MESSAGE_BYTES - 11);
/** PUBLISHes per pipeline. */
const BATCH = 16;

/** Message `seq`: its number first, so a reader can check the order. */
function message(seq: number): string {
  return String(seq).padStart(10, '0') + ':' + PADDING;
}

/** A subscriber that reads its SUBSCRIBE reply and then never reads again. */
async function stalledSubscriber(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.write(encodeCommand(['SUBSCRIBE', CHANNEL]));
  await once(socket, 'data');
  socket.pause();
  return socket;
}

/** A subscriber that reads every message, in RESP2 or RESP3. */
async function readingSubscriber(port: number, protocol: 2 | 3): Promise<RawClient> {
  const client = await RawClient.connect(port, { replyTimeoutMs: 20_000 });
  if (protocol === 3) await client.call('HELLO', '3');
  await client.call('SUBSCRIBE', CHANNEL);
  return client;
}

/**
 * Reads messages until the one saying `end`; returns how many arrived and
 * whether their numbers ran 0, 1, 2, ... without a gap or a swap.
 */
async function readAll(client: RawClient): Promise<{ count: number; inOrder: boolean }> {
  let count = 0;
  let inOrder = true;
  for (;;) {
    const frame = (await client.readReply()).toString('latin1');
    if (frame.endsWith('\r\n$3\r\nend\r\n')) return { count, inOrder };
    const seq = /\r\n\$\d+\r\n(\d{10}):/.exec(frame);
    if (seq === null || Number(seq[1]) !== count) inOrder = false;
    count++;
  }
}

function integer(reply: Buffer): number {
  return Number(reply.toString('latin1').slice(1, -2));
}

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The number of clients CLIENT LIST TYPE pubsub shows. */
async function pubsubClients(admin: RawClient): Promise<number> {
  const list = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).toString('latin1');
  return list.split('\n').filter((line) => line.startsWith('id=')).length;
}

/** reddish's connection for a client socket (undefined on redis-server). */
function connectionOf(server: StartedServer, socket: net.Socket): Connection | undefined {
  return [...(server.reddish?.clients.values() ?? [])].find((c) => c.remoteAddress === `127.0.0.1:${socket.localPort}`);
}

describe.each(serversUnderTest())('on $name', (under) => {
  const target = useServerUnderTest(under);
  let admin: RawClient;
  beforeAll(async () => {
    admin = await RawClient.connect(target.port);
  });
  afterAll(async () => {
    await admin?.close();
  });

  it('disconnects a subscriber that stops reading at the default pubsub hard limit (32mb); the others get every message in order', async () => {
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
    const slow = await stalledSubscriber(target.port);
    const readers = [await readingSubscriber(target.port, 2), await readingSubscriber(target.port, 3)];
    const received = readers.map((reader) => readAll(reader));
    const publisher = await RawClient.connect(target.port, { replyTimeoutMs: 20_000 });
    const hardLimit = 32 * 1024 * 1024;
    const slowConnection = connectionOf(target, slow);
    let mostHeld = 0;
    let seq = 0;
    let droppedAt = -1;
    try {
      // Until the slow subscriber is gone, then as much again as its limit,
      // which it would otherwise have had to hold too.
      while (droppedAt === -1 || seq < droppedAt + hardLimit / MESSAGE_BYTES) {
        const batch: Command[] = [];
        for (let i = 0; i < BATCH; i++) batch.push(['PUBLISH', CHANNEL, message(seq++)]);
        const receivers = (await publisher.pipeline(batch)).map(integer);
        if (droppedAt === -1 && receivers.includes(2)) droppedAt = seq;
        expect(receivers.every((n) => n === 2 || n === 3)).toBe(true);
        if (slowConnection !== undefined && !slowConnection.closed) mostHeld = Math.max(mostHeld, slowConnection.outputBytes);
        if (seq > 6 * (hardLimit / MESSAGE_BYTES)) throw new Error('the slow subscriber was never disconnected');
      }
      expect(await publisher.call('PUBLISH', CHANNEL, 'end')).toEqual(Buffer.from(':2\r\n'));
      for (const result of await Promise.all(received)) expect(result).toEqual({ count: seq, inOrder: true });
      expect(await pubsubClients(admin)).toBe(2);
      if (slowConnection !== undefined) {
        // What the server held for it was bounded by the limit (plus the message that crossed it).
        expect(slowConnection.closed).toBe(true);
        expect(mostHeld).toBeGreaterThan(0);
        expect(mostHeld).toBeLessThan(hardLimit + MESSAGE_BYTES + 1024);
      }
    } finally {
      slow.destroy();
      for (const reader of readers) await reader.close();
      await publisher.close();
    }
  });

  it('disconnects a subscriber that stays over the soft limit for longer than its seconds, not at once', async () => {
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 1mb 1');
    const slow = await stalledSubscriber(target.port);
    const reader = await readingSubscriber(target.port, 2);
    const received = readAll(reader);
    const publisher = await RawClient.connect(target.port, { replyTimeoutMs: 20_000 });
    let seq = 0;
    try {
      // Fill the kernel's buffers, then past the soft limit: omem shows what the server holds.
      const held = async () => {
        const line = (await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).toString('latin1').split('\n').find((l) => l.includes(`:${slow.localPort} `));
        return Number(/ omem=(\d+)/.exec(line ?? '')?.[1] ?? 0);
      };
      while ((await held()) < 1.5 * 1024 * 1024) {
        const batch: Command[] = [];
        for (let i = 0; i < BATCH; i++) batch.push(['PUBLISH', CHANNEL, message(seq++)]);
        const receivers = (await publisher.pipeline(batch)).map(integer);
        // Over the soft limit is allowed for a while: nobody is dropped yet.
        expect(receivers).toEqual(new Array(BATCH).fill(2));
        if (seq > 2000) throw new Error('the slow subscriber never held 1.5mb');
      }
      expect(integer(await publisher.call('PUBLISH', CHANNEL, message(seq++)))).toBe(2);
      // Nothing more is published: the server's cron closes it once its seconds are up.
      await until(async () => (await pubsubClients(admin)) === 1, 'the slow subscriber to be closed');
      expect(integer(await publisher.call('PUBLISH', CHANNEL, 'end'))).toBe(1);
      expect(await received).toEqual({ count: seq, inOrder: true });
    } finally {
      slow.destroy();
      await reader.close();
      await publisher.close();
      await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
    }
  });

  it('holds normal clients to the normal class limits once they are set', async () => {
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 0 0');
    const value = 'v'.repeat(100 * 1024);
    const big = 'b'.repeat(2 * 1024 * 1024);
    try {
      await admin.call('SET', 'value', value);
      await admin.call('SET', 'big', big);
      // A reply bigger than the hard limit closes its client, even one that reads: Redis counts it as it is added.
      const reading = await RawClient.connect(target.port);
      await expect(reading.call('GET', 'big')).rejects.toThrow(/connection closed/);
      // A client that pipelines without reading is closed once it holds the limit.
      const socket = net.connect(target.port, '127.0.0.1');
      socket.on('error', () => {});
      await once(socket, 'connect');
      socket.write(encodeCommand(['PING']));
      await once(socket, 'data');
      socket.pause();
      const gets = encodeCommand(['GET', 'value']);
      const connection = connectionOf(target, socket);
      let sent = 0;
      const closed = new Promise((resolve) => socket.once('close', resolve));
      // Far more than the kernel buffers and the limit together.
      while (sent < 400 && !socket.destroyed) {
        socket.write(Buffer.concat(new Array(10).fill(gets)));
        sent += 10;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await until(async () => !(await admin.call('CLIENT', 'LIST')).toString('latin1').includes(`:${socket.localPort} `), 'the pipelining client to be closed');
      if (connection !== undefined) expect(connection.closed).toBe(true);
      socket.resume();
      socket.destroy();
      await closed;
      // Other clients are served as before, and big replies are fine again without the limit.
      await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
      const again = await RawClient.connect(target.port);
      expect((await again.call('GET', 'big')).length).toBe(big.length + `$${big.length}\r\n\r\n`.length);
      await again.close();
    } finally {
      await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
      await admin.call('DEL', 'value', 'big');
    }
  });
});

describe('soft limit on the server clock', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const logLines: Array<Record<string, unknown>> = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      port: 0,
      clock,
      logger: pino({ level: 'info' }, logStream),
      config: { 'client-output-buffer-limit': 'pubsub 0 256kb 1' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts whole seconds of the clock, closing only when more than soft-seconds have passed', async () => {
    const slow = await stalledSubscriber(server.port);
    const publisher = await RawClient.connect(server.port, { replyTimeoutMs: 20_000 });
    const connection = [...server.server.clients.values()].find((c) => c.remoteAddress === `127.0.0.1:${slow.localPort}`)!;
    try {
      let seq = 0;
      while (connection.outputBytes < 512 * 1024) {
        await publisher.pipeline(Array.from({ length: BATCH }, () => ['PUBLISH', CHANNEL, message(seq++)]));
        if (seq > 2000) throw new Error('the slow subscriber never held 512kb');
      }
      const cronTicks = () => new Promise((resolve) => setTimeout(resolve, 350));
      // Over the limit for 1 s of the clock: not yet more than soft-seconds.
      clock.advance(1000);
      await cronTicks();
      expect(connection.closed).toBe(false);
      expect(integer(await publisher.call('PUBLISH', CHANNEL, 'still here'))).toBe(1);
      clock.advance(1000);
      await until(() => connection.closed, 'the cron to close the slow subscriber');
      expect(integer(await publisher.call('PUBLISH', CHANNEL, 'gone'))).toBe(0);
      // Logged at warning level, with the client as CLIENT LIST shows it, as Redis logs it.
      const warnings = logLines.filter((line) => line['level'] === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ msg: 'client scheduled to be closed ASAP for overcoming of output buffer limits' });
      expect(String(warnings[0]!['client'])).toMatch(new RegExp(`^id=${connection.id} addr=127\\.0\\.0\\.1:${slow.localPort} .* sub=1 .* omem=\\d+ `));
    } finally {
      slow.destroy();
      await publisher.close();
    }
  });
});
