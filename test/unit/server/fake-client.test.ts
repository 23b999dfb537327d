/**
 * A command with no socket behind it: Server.execute runs it on a
 * FakeClient through the same dispatch and call() a connection uses, so
 * checks, statistics, the change seat and propagation all apply.
 */
import { afterEach, expect, it } from 'vitest';
import type { PropagatedCommand } from '../../../src/commands/propagation.js';
import { createServer, ManualClock, type Server } from '../../../src/index.js';

let server: Server | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

it('runs commands and returns their RESP replies', () => {
  server = createServer();
  expect(server.execute(['SET', 'k', 'v'])).toBe('+OK\r\n');
  expect(server.execute(['GET', 'k'])).toBe('$1\r\nv\r\n');
  expect(server.execute(['LPUSH', 'k', 'x'])).toBe('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  expect(server.execute(['NOSUCH'])).toBe("-ERR unknown command 'NOSUCH', with args beginning with: \r\n");
  expect(server.execute(['GET'])).toBe("-ERR wrong number of arguments for 'get' command\r\n");
});

it('counts statistics and announces and propagates its changes like a socket client', () => {
  server = createServer();
  const units: (readonly PropagatedCommand[])[] = [];
  const events: string[] = [];
  server.propagation.subscribe((unit) => units.push([...unit]));
  server.events.onKeyModified((db, key, event) => events.push(`${db.id} ${key} ${event}`));
  server.execute(['SET', 'k', 'v']);
  expect(events).toEqual(['0 k set']);
  expect(units).toEqual([[{ dbId: 0, argv: ['SET', 'k', 'v'] }]]);
  expect(server.dirty).toBe(1);
  expect([...server.commands.allEntries()].find((e) => e.fullName === 'set')!.stats.calls).toBe(1);
});

it('never blocks: a blocking pop on an empty list answers at once', () => {
  server = createServer({ clock: new ManualClock(1_000) });
  expect(server.execute(['BLPOP', 'nothing', '0'])).toBe('*-1\r\n');
});

it('keeps its selected database across calls when the same client is reused', async () => {
  server = createServer();
  const { FakeClient } = await import('../../../src/server/fake-client.js');
  const client = new FakeClient(server, 0);
  expect(server.execute(['SELECT', '3'], client)).toBe('+OK\r\n');
  server.execute(['SET', 'k', 'in-3'], client);
  expect(server.execute(['GET', 'k'])).toBe('$-1\r\n');
  expect(server.execute(['GET', 'k'], client)).toBe('$4\r\nin-3\r\n');
});
