/**
 * RESET against redis-server: after RESET a connection is back to RESP2,
 * database 0, no name, no MULTI, no WATCH, and (with a password
 * configured) no longer authenticated; 7.0.15 keeps CLIENT NO-EVICT. Each step's raw reply and
 * the connection's CLIENT INFO fields must match Redis's.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';

let redis: RedisServerHandle;
let reddish: RunningServer;
beforeAll(async () => {
  redis = await startRedisServer();
  // Set after start: the helper's readiness PING must not need a password.
  const admin = await RawClient.connect(redis.port);
  await admin.call('CONFIG', 'SET', 'requirepass', 'secret');
  await admin.close();
  reddish = await startServer({ port: 0, requirepass: 'secret' });
});
afterAll(async () => {
  await reddish?.close();
  await redis?.stop();
});

/** The CLIENT INFO fields RESET is about (the others hold ids, addresses and times). */
function resetFields(info: string): string {
  const fields = new Map(info.trim().split(' ').map((pair) => pair.split('=') as [string, string]));
  return ['db', 'name', 'flags', 'multi', 'resp', 'user'].map((f) => `${f}=${fields.get(f)}`).join(' ');
}

async function session(port: number): Promise<string[]> {
  const client = await RawClient.connect(port);
  const out: string[] = [];
  const step = async (...args: string[]) => out.push((await client.call(...args)).toString('latin1'));
  try {
    await step('AUTH', 'secret');
    await step('SELECT', '5');
    await step('CLIENT', 'SETNAME', 'before-reset');
    await step('CLIENT', 'NO-EVICT', 'on');
    await step('WATCH', 'k');
    await step('MULTI');
    await step('SET', 'k', 'v');
    await step('HELLO', '3', 'AUTH', 'default', 'secret').then(() => (out[out.length - 1] = '<hello>'));
    await step('RESET');
    await step('GET', 'k');
    await step('AUTH', 'secret');
    await step('EXEC');
    out.push(resetFields((await client.call('CLIENT', 'INFO')).toString('latin1')));
    await step('PING');
    await step('EXISTS', 'k');
    await step('RESET');
  } finally {
    await client.close();
  }
  return out;
}

it('puts the connection back as it was on connect, as Redis does', async () => {
  const expected = await session(redis.port);
  const got = await session(reddish.port);
  expect(got).toEqual(expected);
  // What Redis itself shows after RESET, so the comparison is not vacuous.
  expect(expected).toContain('+RESET\r\n');
  expect(expected).toContain('-NOAUTH Authentication required.\r\n');
  // 7.0.15 keeps CLIENT NO-EVICT across RESET (flag e).
  expect(expected.find((line) => line.startsWith('db='))).toBe('db=0 name= flags=e multi=-1 resp=2 user=default');
});
