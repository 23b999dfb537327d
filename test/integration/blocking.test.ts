/**
 * Clients blocked in BLPOP, BRPOP, BLMPOP, BLMOVE and BRPOPLPUSH, over real
 * sockets: who is served, in which order, with what, and when. Every
 * expected reply was checked against redis-server 7.0.15 with the same
 * sequence of commands. The server runs on the system clock, since the
 * timeouts are real timers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { useBlockingSession } from '../helpers/blocking-session.js';
import type { RawClient } from '../helpers/resp-client.js';

const session = useBlockingSession();
const { client, send, reply, call, blockedClients, expectNoReply } = session;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let writer: RawClient;
beforeAll(() => {
  ({ server, writer } = session);
});

function pair(key: string, value: string): string {
  return `*2\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
}

describe('serving order', () => {
  it('clients blocked on one key are served first come, first served', async () => {
    const [a, b, c] = [await client(), await client(), await client()];
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    send(b, 'BRPOP', 'k', '0');
    await blockedClients(2);
    send(c, 'BLPOP', 'k', '0');
    await blockedClients(3);
    // One push of three: each waiter pops from its own end, oldest first.
    expect(await call(writer, 'RPUSH', 'k', '1', '2', '3', '4')).toBe(':4\r\n');
    expect(await reply(a)).toBe(pair('k', '1'));
    expect(await reply(b)).toBe(pair('k', '4'));
    expect(await reply(c)).toBe(pair('k', '2'));
    expect(await call(writer, 'LRANGE', 'k', '0', '-1')).toBe('*1\r\n$1\r\n3\r\n');
  });

  it('one element serves one waiter; the next push serves the next', async () => {
    const [a, b] = [await client(), await client()];
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    send(b, 'BLPOP', 'k', '0');
    await blockedClients(2);
    await call(writer, 'LPUSH', 'k', 'x');
    expect(await reply(a)).toBe(pair('k', 'x'));
    await expectNoReply(b);
    await call(writer, 'RPUSH', 'k', 'y');
    expect(await reply(b)).toBe(pair('k', 'y'));
    expect(await call(writer, 'EXISTS', 'k')).toBe(':0\r\n');
  });

  it('a waiter on several keys is served from the key that got data, once', async () => {
    const a = await client();
    send(a, 'BLPOP', 'k1', 'k2', 'k2', '0');
    await blockedClients(1);
    await call(writer, 'RPUSH', 'k2', 'x');
    expect(await reply(a)).toBe(pair('k2', 'x'));
    send(a, 'BRPOP', 'k1', 'k2', '0');
    await blockedClients(1);
    await call(writer, 'MULTI');
    await call(writer, 'RPUSH', 'k2', 'b');
    await call(writer, 'RPUSH', 'k1', 'a');
    await call(writer, 'EXEC');
    // Served from the first key the transaction made ready; the other keeps its element.
    expect(await reply(a)).toBe(pair('k2', 'b'));
    expect(await call(writer, 'LLEN', 'k1')).toBe(':1\r\n');
  });

  it('BLMPOP pops up to COUNT from the key that got data', async () => {
    const a = await client();
    send(a, 'BLMPOP', '0', '2', 'x1', 'x2', 'RIGHT', 'COUNT', '5');
    await blockedClients(1);
    await call(writer, 'RPUSH', 'x2', '1', '2', '3');
    expect(await reply(a)).toBe('*2\r\n$2\r\nx2\r\n*3\r\n$1\r\n3\r\n$1\r\n2\r\n$1\r\n1\r\n');
    expect(await call(writer, 'EXISTS', 'x2')).toBe(':0\r\n');
  });

  it('waiters are per database', async () => {
    const a = await client();
    await call(a, 'SELECT', '1');
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    await call(writer, 'RPUSH', 'k', 'db0');
    await expectNoReply(a);
    await call(writer, 'SELECT', '1');
    await call(writer, 'RPUSH', 'k', 'db1');
    await call(writer, 'SELECT', '0');
    expect(await reply(a)).toBe(pair('k', 'db1'));
    expect(await call(writer, 'LLEN', 'k')).toBe(':1\r\n');
  });
});

describe('timeouts', () => {
  it('a fractional timeout answers a null array after about that long', async () => {
    const a = await client();
    const started = Date.now();
    expect(await call(a, 'BLPOP', 'k', '0.1')).toBe('*-1\r\n');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(server.server.blocking.blockedClients).toBe(0);
  });

  it('every blocking list command times out with a null array (RESP3: null)', async () => {
    const a = await client();
    expect(await call(a, 'BRPOP', 'k', '0.05')).toBe('*-1\r\n');
    expect(await call(a, 'BLMPOP', '0.05', '1', 'k', 'LEFT')).toBe('*-1\r\n');
    // Not a null bulk: Redis replies to every timed-out list waiter alike.
    expect(await call(a, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.05')).toBe('*-1\r\n');
    expect(await call(a, 'BRPOPLPUSH', 'k', 'd', '0.05')).toBe('*-1\r\n');
    await call(a, 'HELLO', '3');
    expect(await call(a, 'BLPOP', 'k', '0.05')).toBe('_\r\n');
  });

  it('0 waits forever, until a push', async () => {
    const a = await client();
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    await expectNoReply(a, 300);
    await call(writer, 'RPUSH', 'k', 'late');
    expect(await reply(a)).toBe(pair('k', 'late'));
  });

  it("a timeout past Node's timer limit (2^31-1 ms, ~24.8 days) does not fire early", async () => {
    const a = await client();
    send(a, 'BLPOP', 'k', '3000000');
    await blockedClients(1);
    await expectNoReply(a, 200);
    await call(writer, 'RPUSH', 'k', 'v');
    expect(await reply(a)).toBe(pair('k', 'v'));
  });

  it('a small negative timeout rounds up to 0 and waits forever, as in Redis', async () => {
    const a = await client();
    send(a, 'BLPOP', 'k', '-0.0009');
    await blockedClients(1);
    await call(writer, 'RPUSH', 'k', 'v');
    expect(await reply(a)).toBe(pair('k', 'v'));
  });
});

describe('what wakes a waiter', () => {
  it('a push inside MULTI serves waiters after EXEC', async () => {
    const a = await client();
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    await call(writer, 'MULTI');
    await call(writer, 'RPUSH', 'k', 'x');
    await expectNoReply(a);
    expect(await call(writer, 'EXEC')).toBe('*1\r\n:1\r\n');
    expect(await reply(a)).toBe(pair('k', 'x'));
  });

  it('waiters see the state after the whole transaction', async () => {
    const a = await client();
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    await call(writer, 'MULTI');
    await call(writer, 'RPUSH', 'k', '1');
    await call(writer, 'LPOP', 'k');
    // The transaction's own LPOP gets the element; nothing is left to serve.
    expect(await call(writer, 'EXEC')).toBe('*2\r\n:1\r\n$1\r\n1\r\n');
    await expectNoReply(a);
    await call(writer, 'MULTI');
    await call(writer, 'RPUSH', 'k', '1');
    await call(writer, 'DEL', 'k');
    expect(await call(writer, 'EXEC')).toBe('*2\r\n:1\r\n:1\r\n');
    await expectNoReply(a);
    await call(writer, 'RPUSH', 'k', '9');
    expect(await reply(a)).toBe(pair('k', '9'));
  });

  it('RENAME of a list onto the waited key', async () => {
    const a = await client();
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    await call(writer, 'RPUSH', 'other', 'a', 'b');
    expect(await call(writer, 'RENAME', 'other', 'k')).toBe('+OK\r\n');
    expect(await reply(a)).toBe(pair('k', 'a'));
    expect(await call(writer, 'LRANGE', 'k', '0', '-1')).toBe('*1\r\n$1\r\nb\r\n');
  });

  it('a key of another type does not serve list waiters', async () => {
    const a = await client();
    send(a, 'BLMPOP', '0', '1', 'k', 'LEFT');
    await blockedClients(1);
    expect(await call(writer, 'SET', 'k', 'string')).toBe('+OK\r\n');
    await expectNoReply(a);
    expect(server.server.blocking.blockedClients).toBe(1);
    await call(writer, 'DEL', 'k');
    await call(writer, 'RPUSH', 'k', 'v');
    expect(await reply(a)).toBe('*2\r\n$1\r\nk\r\n*1\r\n$1\r\nv\r\n');
  });
});

describe('BLMOVE and BRPOPLPUSH waiters', () => {
  it('chain: A moves k1 → k2, which serves B blocked on k2', async () => {
    const [a, b] = [await client(), await client()];
    send(a, 'BLMOVE', 'k1', 'k2', 'LEFT', 'RIGHT', '0');
    await blockedClients(1);
    send(b, 'BLPOP', 'k2', '0');
    await blockedClients(2);
    await call(writer, 'RPUSH', 'k1', 'job');
    expect(await reply(a)).toBe('$3\r\njob\r\n');
    expect(await reply(b)).toBe(pair('k2', 'job'));
    expect(await call(writer, 'EXISTS', 'k1', 'k2')).toBe(':0\r\n');
  });

  it('BRPOPLPUSH onto its own source rotates', async () => {
    const a = await client();
    send(a, 'BLMOVE', 'r', 'r', 'LEFT', 'RIGHT', '0');
    await blockedClients(1);
    await call(writer, 'RPUSH', 'r', '1', '2');
    expect(await reply(a)).toBe('$1\r\n1\r\n');
    expect(await call(writer, 'LRANGE', 'r', '0', '-1')).toBe('*2\r\n$1\r\n2\r\n$1\r\n1\r\n');
    send(a, 'BRPOPLPUSH', 'q', 'q', '0');
    await blockedClients(1);
    await call(writer, 'RPUSH', 'q', 'x');
    expect(await reply(a)).toBe('$1\r\nx\r\n');
    expect(await call(writer, 'LRANGE', 'q', '0', '-1')).toBe('*1\r\n$1\r\nx\r\n');
  });

  it('a destination that became another type ends the wait with WRONGTYPE; the element stays', async () => {
    const [a, b] = [await client(), await client()];
    await call(writer, 'SET', 'dst', 'str');
    send(a, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
    await blockedClients(1);
    send(b, 'BLPOP', 'src', '0');
    await blockedClients(2);
    await call(writer, 'RPUSH', 'src', 'v1', 'v2');
    expect(await reply(a)).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    expect(await reply(b)).toBe(pair('src', 'v1'));
    expect(await call(writer, 'LRANGE', 'src', '0', '-1')).toBe('*1\r\n$2\r\nv2\r\n');
  });
});

describe('the blocked connection', () => {
  it('commands pipelined after a blocking command wait until it is served', async () => {
    const a = await client();
    const replies = a.pipeline([['BLPOP', 'k', '0'], ['PING'], ['LLEN', 'k']]);
    await blockedClients(1);
    await call(writer, 'RPUSH', 'k', 'v');
    const texts = (await replies).map((r) => r.toString('latin1'));
    expect(texts).toEqual([pair('k', 'v'), '+PONG\r\n', ':0\r\n']);
  });

  it('a client that disconnects while blocked is forgotten; the element stays for the next reader', async () => {
    const a = await client();
    send(a, 'BLPOP', 'k', '0');
    await blockedClients(1);
    await a.close();
    await blockedClients(0);
    expect(await call(writer, 'RPUSH', 'k', 'v')).toBe(':1\r\n');
    expect(await call(writer, 'LPOP', 'k')).toBe('$1\r\nv\r\n');
  });

  it('inside MULTI a blocking command answers at once', async () => {
    const a = await client();
    await call(a, 'MULTI');
    await call(a, 'BLPOP', 'k', '0');
    await call(a, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
    expect(await call(a, 'EXEC')).toBe('*2\r\n*-1\r\n$-1\r\n');
    expect(server.server.blocking.blockedClients).toBe(0);
  });

  it('CLIENT UNBLOCK ends the wait with the timeout reply or an UNBLOCKED error', async () => {
    const a = await client();
    const id = (await call(a, 'CLIENT', 'ID')).slice(1, -2);
    for (const command of [['BLPOP', 'k', '0'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'], ['BLMPOP', '0', '1', 'k', 'LEFT']]) {
      send(a, ...command);
      await blockedClients(1);
      expect(await call(writer, 'CLIENT', 'UNBLOCK', id, 'TIMEOUT')).toBe(':1\r\n');
      expect(await reply(a)).toBe('*-1\r\n');
      send(a, ...command);
      await blockedClients(1);
      expect(await call(writer, 'CLIENT', 'UNBLOCK', id, 'ERROR')).toBe(':1\r\n');
      expect(await reply(a)).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    }
    expect(await call(writer, 'CLIENT', 'UNBLOCK', id)).toBe(':0\r\n');
  });
});
