/**
 * The wire protocol through real sockets: pipelines split at every byte,
 * inline requests, a 100 MB bulk, malformed input (the offending client is
 * closed, every other client keeps being served), backpressure and the
 * query buffer limit.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { OUTPUT_HIGH_WATER } from '../../src/server/connection.js';
import { RawClient, encodeCommand } from '../helpers/resp-client.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0 });
});

afterAll(async () => {
  await server.close();
});

/** Sends the bytes as separate writes a little apart, and returns everything received once `expectBytes` arrived. */
function exchange(port: number, parts: Buffer[], expectBytes: number, gapMs = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out with ${JSON.stringify(received)}`));
    }, 5000);
    socket.on('data', (d) => {
      received += d.latin1Slice();
      if (received.length >= expectBytes) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('error', reject);
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

describe('pipelines', () => {
  const pipeline = Buffer.concat([
    encodeCommand(['SET', 'split:k', 'v\x00\r\n\xff']),
    Buffer.from('PING\r\n'),
    encodeCommand(['GET', 'split:k']),
    Buffer.from('ECHO "two words"\r\n'),
    encodeCommand(['INCR', 'split:n']),
    encodeCommand(['DEL', 'split:n']),
  ]);
  const replies = '+OK\r\n+PONG\r\n$5\r\nv\x00\r\n\xff\r\n$9\r\ntwo words\r\n:1\r\n:1\r\n';

  it('answers a pipeline split into two packets at every byte boundary', async () => {
    for (let split = 1; split < pipeline.length; split++) {
      const got = await exchange(server.port, [pipeline.subarray(0, split), pipeline.subarray(split)], replies.length);
      expect(got, `split at byte ${split}`).toBe(replies);
    }
  });

  it('answers a pipeline sent one byte per packet', async () => {
    const parts = [...pipeline].map((b) => Buffer.from([b]));
    expect(await exchange(server.port, parts, replies.length, 1)).toBe(replies);
  });

  it('writes all replies of one batch with a single socket write', async () => {
    const client = await RawClient.connect(server.port);
    const writes: number[] = [];
    // Watch the server side of this connection: every write() call it makes.
    const serverSocket = await new Promise<net.Socket>((resolve) => {
      const conn = [...server.server.clients.values()].at(-1)!;
      resolve((conn as unknown as { socket: net.Socket }).socket);
    });
    const original = serverSocket.write.bind(serverSocket);
    serverSocket.write = ((chunk: unknown, ...rest: unknown[]) => {
      writes.push(typeof chunk === 'string' ? chunk.length : (chunk as Buffer).length);
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof serverSocket.write;
    const commands = Array.from({ length: 16 }, (_, i) => ['SET', `one-write:${i}`, 'x'] as const);
    const got = await client.pipeline(commands);
    expect(got.map((b) => b.latin1Slice())).toEqual(Array(16).fill('+OK\r\n'));
    expect(writes).toHaveLength(1);
    await client.close();
  });
});

describe('inline requests', () => {
  it('accepts inline commands with quoting, as nc or telnet send them', async () => {
    const quoted = await exchange(server.port, [Buffer.from('PING\r\nECHO "a\\x41\\n"\r\nECHO \'b c\'\n')], 25);
    expect(quoted).toBe('+PONG\r\n$3\r\naA\n\r\n$3\r\nb c\r\n');
    const client = await RawClient.connect(server.port);
    client.sendRaw('SET inline:k "hello world"\r\nGET inline:k\r\n');
    expect((await client.readReply()).latin1Slice()).toBe('+OK\r\n');
    expect((await client.readReply()).latin1Slice()).toBe('$11\r\nhello world\r\n');
    await client.close();
  });
});

describe('large values', () => {
  it('stores and returns a 100 MB bulk string', async () => {
    const client = await RawClient.connect(server.port, { replyTimeoutMs: 60_000 });
    const size = 100 * 1024 * 1024;
    const value = Buffer.alloc(size, 0x61);
    value[0] = 0;
    value[size - 1] = 0xff;
    expect((await client.call('SET', 'big', value)).latin1Slice()).toBe('+OK\r\n');
    expect((await client.call('STRLEN', 'big')).latin1Slice()).toBe(`:${size}\r\n`);
    const reply = await client.call('GET', 'big');
    const header = `$${size}\r\n`;
    expect(reply.length).toBe(header.length + size + 2);
    expect(reply.subarray(header.length, header.length + size).equals(value)).toBe(true);
    await client.call('DEL', 'big');
    await client.close();
  }, 60_000);
});

describe('malformed input', () => {
  const cases: Array<[string, string]> = [
    ['*abc\r\n', 'invalid multibulk length'],
    ['*1\r\n:5\r\n', "expected '$', got ':'"],
    ['*1\r\n$abc\r\n', 'invalid bulk length'],
    ['*1\r\n$-5\r\n', 'invalid bulk length'],
    ['*1\r\n$600000000\r\n', 'invalid bulk length'],
    ['*3000000000\r\n', 'invalid multibulk length'],
    ['ECHO "unbalanced\r\n', 'unbalanced quotes in request'],
    ['x'.repeat(70 * 1024), 'too big inline request'],
  ];

  it.each(cases)('answers %j with the protocol error, closes only that client', async (input, detail) => {
    const bystander = await RawClient.connect(server.port);
    const offender = await RawClient.connect(server.port);
    offender.sendRaw('PING\r\n' + input);
    const got = await offender.readRaw(1000);
    expect(got.latin1Slice()).toBe(`+PONG\r\n-ERR Protocol error: ${detail}\r\n`);
    expect(offender.closed).toBe(true);
    expect((await bystander.call('PING')).latin1Slice()).toBe('+PONG\r\n');
    await bystander.close();
  });

  it('keeps the connection open after command errors', async () => {
    const client = await RawClient.connect(server.port);
    const got = await client.pipeline([['NOSUCH', 'a', 'b'], ['GET'], ['PING']]);
    expect(got.map((b) => b.latin1Slice())).toEqual([
      "-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n",
      "-ERR wrong number of arguments for 'get' command\r\n",
      '+PONG\r\n',
    ]);
    await client.close();
  });

  it('survives random garbage from many clients while serving another', async () => {
    const bystander = await RawClient.connect(server.port);
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 50; i++) {
      const bytes = Buffer.alloc(1 + Math.floor(random() * 2000));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      if (i % 2 === 0) bytes[0] = 0x2a; // '*': exercise the multibulk framer too
      const client = await RawClient.connect(server.port);
      client.sendRaw(bytes);
      await client.readRaw(20);
      client.destroy();
    }
    expect((await bystander.call('PING')).latin1Slice()).toBe('+PONG\r\n');
    await bystander.close();
  });
});

describe('limits', () => {
  it('closes a client whose unfinished command passes client-query-buffer-limit', async () => {
    const limited = await startServer({ port: 0, config: { 'client-query-buffer-limit': 1024 * 1024 } });
    try {
      const client = await RawClient.connect(limited.port);
      client.sendRaw('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5000000\r\n');
      client.sendRaw(Buffer.alloc(2 * 1024 * 1024, 0x61));
      expect(await client.waitClosed(2000)).toBe(true);
      const other = await RawClient.connect(limited.port);
      expect((await other.call('PING')).latin1Slice()).toBe('+PONG\r\n');
      await other.close();
    } finally {
      await limited.close();
    }
  });

  it('stops serving a client that does not read its replies, and resumes when it does', async () => {
    const value = Buffer.alloc(256 * 1024, 0x62);
    const setup = await RawClient.connect(server.port);
    await setup.call('SET', 'bp:big', value);
    await setup.close();

    const count = 1000; // 256 MB of replies in all
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.pause();
    const request = encodeCommand(['GET', 'bp:big']);
    socket.write(Buffer.concat(Array.from({ length: count }, () => request)));
    await new Promise((r) => setTimeout(r, 500));

    const conn = [...server.server.clients.values()].at(-1)!;
    // Unsent replies are capped near the high-water mark, not 256 MB.
    expect(conn.pendingOutput).toBeLessThan(OUTPUT_HIGH_WATER + 2 * value.length);
    const bystander = await RawClient.connect(server.port);
    expect((await bystander.call('PING')).latin1Slice()).toBe('+PONG\r\n');
    await bystander.close();

    const replyLength = `$${value.length}\r\n`.length + value.length + 2;
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received} bytes arrived`)), 30_000);
      socket.on('data', (d: Buffer) => {
        received += d.length;
        if (received >= replyLength * count) {
          clearTimeout(timer);
          resolve();
        }
      });
      socket.resume();
    });
    expect(received).toBe(replyLength * count);
    socket.destroy();
  }, 40_000);
});
