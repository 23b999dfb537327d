/**
 * Clients blocked in XREAD and XREADGROUP, over real sockets: who is
 * served, in which order, with what, and when. The expected replies were
 * checked against redis-server 7.0.15 with the same sequences. The server
 * runs on the system clock, since the timeouts are real timers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { useBlockingSession } from '../helpers/blocking-session.js';
import { encodeCommand, type RawClient } from '../helpers/resp-client.js';

const session = useBlockingSession();
const { client, send, reply, call, blockedClients, expectNoReply } = session;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let writer: RawClient;
beforeAll(() => {
  ({ server, writer } = session);
});

function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

/** One entry as XRANGE/XREAD send it: [id, [field, value, ...]]. */
function entry(id: string, ...fields: string[]): string {
  return `*2\r\n${bulk(id)}*${fields.length}\r\n${fields.map(bulk).join('')}`;
}

/** XREAD's RESP2 reply for one stream. */
function oneStream(key: string, ...entries: string[]): string {
  return `*1\r\n*2\r\n${bulk(key)}*${entries.length}\r\n${entries.join('')}`;
}

describe('XREAD BLOCK', () => {
  it('serves several readers blocked on one stream in the order they came, each with the new entry', async () => {
    await call(writer, 'XADD', 's', '1-0', 'f', 'old');
    const readers = [await client(), await client(), await client()];
    for (const [i, reader] of readers.entries()) {
      send(reader, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
      await blockedClients(i + 1);
    }
    expect(await call(writer, 'XADD', 's', '2-0', 'f', 'new')).toBe(bulk('2-0'));
    for (const reader of readers) expect(await reply(reader)).toBe(oneStream('s', entry('2-0', 'f', 'new')));
    expect(server.server.blocking.blockedClients).toBe(0);
  });

  it('$ means after the last entry when the reader blocked, not when it is served', async () => {
    await call(writer, 'XADD', 's', '1-0', 'f', 'a');
    const reader = await client();
    send(reader, 'XREAD', 'COUNT', '10', 'BLOCK', '0', 'STREAMS', 's', '$');
    await blockedClients(1);
    // Two entries in one transaction: the reader gets both, since both come after its $.
    await call(writer, 'MULTI');
    await call(writer, 'XADD', 's', '2-0', 'f', 'b');
    await call(writer, 'XADD', 's', '3-0', 'f', 'c');
    await call(writer, 'EXEC');
    expect(await reply(reader)).toBe(oneStream('s', entry('2-0', 'f', 'b'), entry('3-0', 'f', 'c')));
  });

  it('waits on a missing stream and is served from whichever of its streams gets data', async () => {
    const reader = await client();
    send(reader, 'XREAD', 'BLOCK', '0', 'STREAMS', 'a', 'b', '$', '$');
    await blockedClients(1);
    await call(writer, 'XADD', 'b', '5-1', 'x', 'y');
    expect(await reply(reader)).toBe(oneStream('b', entry('5-1', 'x', 'y')));
  });

  it('times out with a null array, and BLOCK 0 waits until served', async () => {
    const reader = await client();
    const started = Date.now();
    expect(await call(reader, 'XREAD', 'BLOCK', '50', 'STREAMS', 's', '$')).toBe('*-1\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    send(reader, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await blockedClients(1);
    await expectNoReply(reader, 150);
    await call(writer, 'XADD', 's', '7-0', 'k', 'v');
    expect(await reply(reader)).toBe(oneStream('s', entry('7-0', 'k', 'v')));
  });

  it('a pipeline behind a blocked read waits for it, then runs in order', async () => {
    const reader = await client();
    reader.sendRaw(Buffer.concat([encodeCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']), encodeCommand(['XLEN', 's']), encodeCommand(['PING'])]));
    await blockedClients(1);
    await expectNoReply(reader, 100);
    await call(writer, 'XADD', 's', '1-1', 'a', 'b');
    expect(await reply(reader)).toBe(oneStream('s', entry('1-1', 'a', 'b')));
    expect(await reply(reader)).toBe(':1\r\n');
    expect(await reply(reader)).toBe('+PONG\r\n');
  });

  it('CLIENT UNBLOCK ends the wait with the timeout reply, or with an error', async () => {
    const reader = await client();
    const id = (await call(reader, 'CLIENT', 'ID')).slice(1, -2);
    send(reader, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await blockedClients(1);
    expect(await call(writer, 'CLIENT', 'UNBLOCK', id)).toBe(':1\r\n');
    expect(await reply(reader)).toBe('*-1\r\n');
    send(reader, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await blockedClients(1);
    expect(await call(writer, 'CLIENT', 'UNBLOCK', id, 'ERROR')).toBe(':1\r\n');
    expect(await reply(reader)).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
  });

  it('inside MULTI nothing blocks: EXEC answers the timeout reply', async () => {
    const c = await client();
    await call(c, 'MULTI');
    expect(await call(c, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$')).toBe('+QUEUED\r\n');
    expect(await call(c, 'EXEC')).toBe('*1\r\n*-1\r\n');
    expect(server.server.blocking.blockedClients).toBe(0);
  });

  it('refuses a bad timeout', async () => {
    expect(await call(writer, 'XREAD', 'BLOCK', 'x', 'STREAMS', 's', '$')).toBe('-ERR timeout is not an integer or out of range\r\n');
    expect(await call(writer, 'XREAD', 'BLOCK', '-1', 'STREAMS', 's', '$')).toBe('-ERR timeout is negative\r\n');
  });
});

describe('XREADGROUP BLOCK', () => {
  it('is woken by an XADD inside EXEC and gets the entry as pending', async () => {
    await call(writer, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const reader = await client();
    send(reader, 'XREADGROUP', 'GROUP', 'g', 'alice', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blockedClients(1);
    await call(writer, 'MULTI');
    await call(writer, 'XADD', 's', '3-0', 'job', '1');
    expect(await call(writer, 'EXEC')).toBe('*1\r\n' + bulk('3-0'));
    expect(await reply(reader)).toBe(oneStream('s', entry('3-0', 'job', '1')));
    const pending = await call(writer, 'XPENDING', 's', 'g');
    expect(pending).toBe('*4\r\n:1\r\n' + bulk('3-0') + bulk('3-0') + '*1\r\n*2\r\n' + bulk('alice') + bulk('1'));
  });

  it('consumers of one group blocked on one stream share the entries: each is served only new ones', async () => {
    await call(writer, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const [a, b] = [await client(), await client()];
    send(a, 'XREADGROUP', 'GROUP', 'g', 'a', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blockedClients(1);
    send(b, 'XREADGROUP', 'GROUP', 'g', 'b', 'COUNT', '1', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blockedClients(2);
    await call(writer, 'MULTI');
    await call(writer, 'XADD', 's', '1-0', 'n', '1');
    await call(writer, 'XADD', 's', '2-0', 'n', '2');
    await call(writer, 'EXEC');
    expect(await reply(a)).toBe(oneStream('s', entry('1-0', 'n', '1')));
    expect(await reply(b)).toBe(oneStream('s', entry('2-0', 'n', '2')));
  });

  it('a destroyed group ends the wait with NOGROUP', async () => {
    await call(writer, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const reader = await client();
    send(reader, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blockedClients(1);
    expect(await call(writer, 'XGROUP', 'DESTROY', 's', 'g')).toBe(':1\r\n');
    expect(await reply(reader)).toBe('-NOGROUP the consumer group this client was blocked on no longer exists\r\n');
  });

  it('a deleted stream ends the wait with UNBLOCKED, a plain XREAD keeps waiting', async () => {
    await call(writer, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const [grouped, plain] = [await client(), await client()];
    send(grouped, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '>');
    await blockedClients(1);
    send(plain, 'XREAD', 'BLOCK', '0', 'STREAMS', 's', '$');
    await blockedClients(2);
    expect(await call(writer, 'DEL', 's')).toBe(':1\r\n');
    expect(await reply(grouped)).toBe('-UNBLOCKED the stream key no longer exists\r\n');
    await expectNoReply(plain);
    await call(writer, 'XADD', 's', '9-0', 'a', 'b');
    expect(await reply(plain)).toBe(oneStream('s', entry('9-0', 'a', 'b')));
  });

  it('times out with a null array', async () => {
    await call(writer, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const reader = await client();
    expect(await call(reader, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '30', 'STREAMS', 's', '>')).toBe('*-1\r\n');
  });

  it('answers at once from the consumer history, even with BLOCK', async () => {
    await call(writer, 'XGROUP', 'CREATE', 's', 'g', '$', 'MKSTREAM');
    const reader = await client();
    expect(await call(reader, 'XREADGROUP', 'GROUP', 'g', 'c', 'BLOCK', '0', 'STREAMS', 's', '0')).toBe('*1\r\n*2\r\n' + bulk('s') + '*0\r\n');
  });
});
