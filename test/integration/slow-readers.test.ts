/**
 * Clients that do not read their replies (issue #15, defect 2). A client's
 * output is accounted together (replies not yet written, held in the
 * backlog, waiting in the socket): an authenticated client stops being
 * read once it holds OUTPUT_HIGH_WATER, and one that has not authenticated
 * is disconnected once its output and unfinished input pass
 * UNAUTHENTICATED_LIMIT, as Redis 7.0.15 disconnects it. Memory
 * figures are printed by bench/slow-readers.mjs, not asserted here.
 */
import net from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { OUTPUT_HIGH_WATER, type Connection } from '../../src/server/connection.js';
import { RawClient } from '../helpers/resp-client.js';

const PINGS = Buffer.from('*1\r\n$4\r\nPING\r\n'.repeat(4096));
let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A connection that pipelines PINGs as fast as the server takes them and never reads. */
function nonReadingClient(port: number): { socket: net.Socket; closed: Promise<void> } {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.pause();
  const pump = () => {
    while (!socket.destroyed && socket.write(PINGS));
  };
  socket.on('drain', pump);
  socket.on('connect', pump);
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve())) };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

it('disconnects an unauthenticated client that does not read, and keeps serving others', async () => {
  server = await startServer({ port: 0, requirepass: 'secret' });
  const hostile = nonReadingClient(server.port);
  await hostile.closed;
  const bystander = await RawClient.connect(server.port);
  try {
    expect((await bystander.call('AUTH', 'secret')).toString()).toBe('+OK\r\n');
    expect((await bystander.call('PING')).toString()).toBe('+PONG\r\n');
  } finally {
    await bystander.close();
  }
});

it('stops reading from an authenticated client that holds its limit, and resumes when it reads', async () => {
  server = await startServer({ port: 0 });
  const slow = nonReadingClient(server.port);
  let connection: Connection | undefined;
  await until(() => {
    connection = [...server!.server.clients.values()][0];
    return connection !== undefined && connection.outputBytes > OUTPUT_HIGH_WATER;
  }, 'the client to reach its limit');
  const received = connection!.bytesReceived;
  await new Promise((r) => setTimeout(r, 300));
  // Nothing more was read: the pipeline is held back, not buffered.
  expect(connection!.bytesReceived).toBe(received);
  expect(connection!.outputBytes).toBeLessThan(OUTPUT_HIGH_WATER + 2 * PINGS.length);
  const bystander = await RawClient.connect(server.port);
  expect((await bystander.call('PING')).toString()).toBe('+PONG\r\n');
  await bystander.close();
  // Reading the replies lets it go on.
  let replies = 0;
  slow.socket.on('data', (d: Buffer) => (replies += d.length));
  slow.socket.resume();
  await until(() => connection!.bytesReceived > received, 'the server to read again');
  expect(replies).toBeGreaterThan(0);
  slow.socket.destroy();
});
