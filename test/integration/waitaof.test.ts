/**
 * WAITAOF as a standalone Redis 7.2+ without replicas and with appendonly
 * no answers it (replication.c waitaofCommand, timeout.c
 * getTimeoutFromObjectOrReply, blocked.c replyToBlockedClientTimedOut, at
 * 7.2.0; waitaof.json): numlocal 1 is refused, no replica ever
 * acknowledges, the local count is 0, and asking for replicas waits out
 * the timeout. redis-server 7.0.15 has no WAITAOF, so these are checked
 * against the source, not a differential run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';

const ACKS_NONE = '*2\r\n:0\r\n:0\r\n';

describe('WAITAOF', () => {
  let server: RunningServer;
  let client: RawClient;
  const call = async (...args: string[]): Promise<string> => (await client.call(...args)).toString('latin1');

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    client = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('answers [0, 0] at once when no replica is asked for', async () => {
    await call('SET', 'k', 'v');
    expect(await call('WAITAOF', '0', '0', '0')).toBe(ACKS_NONE);
    expect(await call('waitaof', '0', '0', '100')).toBe(ACKS_NONE);
  });

  it('refuses numlocal 1: appendonly is no (waitaofCommand, after parsing every argument)', async () => {
    expect(await call('WAITAOF', '1', '0', '0')).toBe('-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n');
    expect(await call('WAITAOF', '1', '-1', '0')).toBe('-ERR value is out of range, must be positive\r\n');
  });

  it('checks numlocal, numreplicas and the timeout in that order, with their own texts', async () => {
    expect(await call('WAITAOF', 'x', 'y', 'z')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await call('WAITAOF', '2', '0', '0')).toBe('-ERR value is out of range, value must between 0 and 1\r\n');
    expect(await call('WAITAOF', '-1', '0', '0')).toBe('-ERR value is out of range, value must between 0 and 1\r\n');
    expect(await call('WAITAOF', '0', 'y', 'z')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await call('WAITAOF', '0', '-1', 'z')).toBe('-ERR value is out of range, must be positive\r\n');
    expect(await call('WAITAOF', '0', '0', 'z')).toBe('-ERR timeout is not an integer or out of range\r\n');
    expect(await call('WAITAOF', '0', '0', '1.5')).toBe('-ERR timeout is not an integer or out of range\r\n');
    expect(await call('WAITAOF', '0', '0', '-1')).toBe('-ERR timeout is negative\r\n');
    expect(await call('WAITAOF', '0', '0', '9223372036854775807')).toBe('-ERR timeout is out of range\r\n');
    expect(await call('WAITAOF', '0', '0')).toBe("-ERR wrong number of arguments for 'waitaof' command\r\n");
  });

  it('waits out the timeout when replicas are asked for, then answers [0, 0]', async () => {
    expect(await call('WAITAOF', '0', '1', '20')).toBe(ACKS_NONE);
  });

  it('waits until CLIENT UNBLOCK with timeout 0, which answers as a timeout, or with the UNBLOCKED error', async () => {
    const other = await RawClient.connect(server.port);
    try {
      const id = (await other.call('CLIENT', 'ID')).toString('latin1').slice(1, -2);
      const waiting = other.call('WAITAOF', '0', '3', '0');
      // Redis's INFO clients counts it as blocked.
      for (let i = 0; i < 100 && !/blocked_clients:1/.test(await call('INFO', 'clients')); i++) await new Promise((r) => setTimeout(r, 5));
      expect(await call('CLIENT', 'UNBLOCK', id)).toBe(':1\r\n');
      expect((await waiting).toString('latin1')).toBe(ACKS_NONE);
      const again = other.call('WAITAOF', '0', '1', '0');
      for (let i = 0; i < 100 && !/blocked_clients:1/.test(await call('INFO', 'clients')); i++) await new Promise((r) => setTimeout(r, 5));
      expect(await call('CLIENT', 'UNBLOCK', id, 'ERROR')).toBe(':1\r\n');
      expect((await again).toString('latin1')).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    } finally {
      await other.close();
    }
  });

  it('never blocks inside MULTI (CLIENT_DENY_BLOCKING), and is refused in a script (NOSCRIPT)', async () => {
    expect(await call('MULTI')).toBe('+OK\r\n');
    expect(await call('WAITAOF', '0', '5', '0')).toBe('+QUEUED\r\n');
    expect(await call('EXEC')).toBe('*1\r\n' + ACKS_NONE);
    expect(await call('EVAL', "return redis.call('WAITAOF', 0, 0, 0)", '0')).toMatch(/^-ERR This Redis command is not allowed from script/);
  });

  it('is a 7.2.0 generic command of the connection ACL category (waitaof.json)', async () => {
    const docs = (await call('COMMAND', 'DOCS', 'WAITAOF')).toString();
    expect(docs).toContain('$5\r\nsince\r\n$5\r\n7.2.0\r\n');
    expect(docs).toContain('$5\r\ngroup\r\n$7\r\ngeneric\r\n');
    const info = (await call('COMMAND', 'INFO', 'WAITAOF')).toString();
    expect(info).toContain('@connection');
    expect(info).toContain('noscript');
  });
});
