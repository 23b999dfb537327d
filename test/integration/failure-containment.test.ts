/**
 * A handler that throws (a bug, or a reply past V8's string limit) must
 * cost its client one error reply, never the process or other clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import type { CommandHandler } from '../../src/commands/types.js';
import { RawClient } from '../helpers/resp-client.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ port: 0 });
});

afterAll(async () => {
  await server.close();
});

/** Makes ECHO throw for the duration of `body`, then puts the real handler back. */
async function withThrowingEcho(body: () => Promise<void>): Promise<void> {
  const spec = server.server.commands.lookup('echo')!.spec as { handler?: CommandHandler };
  const original = spec.handler;
  spec.handler = (c) => {
    c.reply.arrayHeader(3); // half a reply, to be rolled back
    c.reply.bulk('partial');
    throw new RangeError('Invalid string length');
  };
  try {
    await body();
  } finally {
    spec.handler = original;
  }
}

describe('failure containment', () => {
  it('answers an error for a throwing command and keeps the batch and the connection going', async () => {
    const client = await RawClient.connect(server.port);
    const bystander = await RawClient.connect(server.port);
    await withThrowingEcho(async () => {
      const replies = await client.pipeline([['SET', 'k', 'v'], ['ECHO', 'x'], ['GET', 'k']]);
      expect(replies.map((r) => r.latin1Slice())).toEqual([
        '+OK\r\n',
        "-ERR internal error while running 'echo': Invalid string length\r\n",
        '$1\r\nv\r\n',
      ]);
    });
    expect((await client.call('ECHO', 'back')).latin1Slice()).toBe('$4\r\nback\r\n');
    expect((await bystander.call('PING')).latin1Slice()).toBe('+PONG\r\n');
    await Promise.all([client.close(), bystander.close()]);
  });
});
