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
  // dispatch calls the table entry's copy of the spec's handler.
  const entry = server.server.commands.lookup('echo')! as { handler?: CommandHandler };
  const original = entry.handler;
  entry.handler = (c) => {
    c.reply.arrayHeader(3); // half a reply, to be rolled back
    c.reply.bulk('partial');
    throw new RangeError('Invalid string length');
  };
  try {
    await body();
  } finally {
    entry.handler = original;
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

describe('replies too large to build', () => {
  it('refuses a repeating random count past the cap instead of exhausting memory', async () => {
    const client = await RawClient.connect(server.port);
    await client.call('HSET', 'h', 'f', 'v');
    await client.call('SADD', 's', 'm');
    await client.call('ZADD', 'z', '1', 'm');
    const error = '-ERR count is out of range, a negative count may ask for at most 16777216 elements\r\n';
    expect((await client.call('HRANDFIELD', 'h', '-1000000000000')).latin1Slice()).toBe(error);
    expect((await client.call('SRANDMEMBER', 's', '-1000000000000')).latin1Slice()).toBe(error);
    expect((await client.call('ZRANDMEMBER', 'z', '-1000000000000')).latin1Slice()).toBe(error);
    // Redis's own range check still answers first where it applies.
    expect((await client.call('HRANDFIELD', 'h', '-9223372036854775807', 'WITHVALUES')).latin1Slice()).toMatch(
      /^-ERR value is out of range/,
    );
    expect((await client.call('SRANDMEMBER', 's', '-3')).latin1Slice()).toBe('*3\r\n$1\r\nm\r\n$1\r\nm\r\n$1\r\nm\r\n');
    await client.close();
  });
});
