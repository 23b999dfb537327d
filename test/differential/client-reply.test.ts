/**
 * CLIENT REPLY ON | OFF | SKIP against redis-server 7.0.15. A session
 * pipelines its commands and compares every byte the client receives:
 * which replies are dropped (errors too), where SKIP begins and ends
 * (MULTI/EXEC, RESET, blocking commands), and that pushes (subscription
 * replies and messages) still arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand, RawClient, type Command } from '../helpers/resp-client.js';
import { call, hello3, playSession, quiet, read, send, type Step } from './client-sessions.js';
import { redisAvailable, startDifferentialTargets, type DifferentialTargets } from './targets.js';

let targets: DifferentialTargets;
beforeAll(async () => {
  targets = await startDifferentialTargets();
});
afterAll(async () => {
  await targets?.stop();
});

/** Sends every command in one write and returns all that arrives (the replies not dropped). */
async function pipelined(port: number, commands: readonly Command[]): Promise<string> {
  const client = await RawClient.connect(port);
  try {
    await client.call('FLUSHALL');
    client.sendRaw(Buffer.concat(commands.map((argv) => encodeCommand(argv))));
    return (await client.readRaw(300)).toString('latin1');
  } finally {
    await client.close();
  }
}

async function expectSamePipeline(commands: readonly Command[]): Promise<string> {
  const expected = await pipelined(targets.reference.port, commands);
  const got = await pipelined(targets.candidate.port, commands);
  expect(got).toBe(expected);
  return expected;
}

async function expectSameSession(names: readonly string[], steps: readonly Step[]): Promise<string> {
  const expected = await playSession(targets.reference.port, names, steps);
  const got = await playSession(targets.candidate.port, names, steps);
  expect(got).toEqual(expected);
  return expected.join('\n');
}

describe.skipIf(!redisAvailable('client reply differential'))('CLIENT REPLY against redis-server', () => {
  it('OFF drops every reply and error until ON, which answers OK', async () => {
    const out = await expectSamePipeline([
      ['PING', 'before'],
      ['CLIENT', 'REPLY', 'OFF'],
      ['SET', 'k', 'v'],
      ['GET', 'k'],
      ['NOSUCH'],
      ['GET'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'BAD'],
      ['CLIENT', 'REPLY', 'ON'],
      ['GET', 'k'],
    ]);
    expect(out).toBe('$6\r\nbefore\r\n+OK\r\n$1\r\nv\r\n');
  });

  it('SKIP drops the next command only, whatever it is', async () => {
    await expectSamePipeline([
      ['CLIENT', 'REPLY', 'SKIP'],
      ['PING', '1'],
      ['PING', '2'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['NOSUCH'],
      ['PING', '3'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['PING', '4'],
      ['PING', '5'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'ON'],
      ['PING', '6'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'OFF'],
      ['PING', '7'],
      ['CLIENT', 'REPLY', 'ON'],
      ['CLIENT', 'REPLY', 'OFF'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['CLIENT', 'REPLY', 'ON'],
      ['PING', '8'],
    ]);
  });

  it('inside MULTI/EXEC and around RESET, as Redis resets the flags', async () => {
    await expectSamePipeline([
      ['CLIENT', 'REPLY', 'SKIP'],
      ['MULTI'],
      ['PING', 'queued'],
      ['EXEC'],
      ['MULTI'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['PING', 'in-exec'],
      ['EXEC'],
      ['PING', 'skipped-after-exec'],
      ['PING', 'shown'],
      // OFF inside EXEC cuts EXEC's own reply short, as in Redis.
      ['MULTI'],
      ['CLIENT', 'REPLY', 'OFF'],
      ['PING', 'dropped'],
      ['EXEC'],
      ['CLIENT', 'REPLY', 'ON'],
      // RESET clears OFF (and answers), but a SKIP in force still drops RESET's reply.
      ['CLIENT', 'REPLY', 'OFF'],
      ['RESET'],
      ['PING', 'after-reset'],
      ['CLIENT', 'REPLY', 'SKIP'],
      ['RESET'],
      ['PING', 'last'],
    ]);
  });

  it('still delivers subscription replies and messages, which Redis pushes', async () => {
    await expectSameSession(
      ['sub', 'pub', 'r3'],
      [
        send('sub', 'CLIENT', 'REPLY', 'OFF'),
        call('sub', 'SUBSCRIBE', 'news'),
        send('sub', 'PING'),
        call('pub', 'PUBLISH', 'news', 'hello'),
        read('sub'),
        send('sub', 'CLIENT', 'REPLY', 'ON'),
        call('sub', 'UNSUBSCRIBE'),
        call('sub', 'CLIENT', 'REPLY', 'ON'),
        // RESP3: the push arrives, the integer reply to PUBLISH does not.
        hello3('r3'),
        call('r3', 'SUBSCRIBE', 'self'),
        send('r3', 'CLIENT', 'REPLY', 'OFF'),
        send('r3', 'PUBLISH', 'self', 'to-me'),
        read('r3'),
        quiet('r3', 100),
        call('r3', 'CLIENT', 'REPLY', 'ON'),
      ],
    );
  });

  it('SKIP before a blocking command drops the reply it gets when served', async () => {
    await expectSameSession(
      ['b', 'w'],
      [
        send('b', 'CLIENT', 'REPLY', 'SKIP'),
        send('b', 'BLPOP', 'q', '0'),
        send('b', 'PING', 'after'),
        quiet('b', 100),
        call('w', 'RPUSH', 'q', 'x'),
        read('b'),
        call('w', 'LLEN', 'q'),
      ],
    );
  });

  it('errors still count in INFO errorstats while their replies are dropped', async () => {
    const out = await expectSamePipeline([
      ['CONFIG', 'RESETSTAT'],
      ['CLIENT', 'REPLY', 'OFF'],
      ['NOSUCH'],
      ['INCR', 'x', 'y'],
      ['CLIENT', 'REPLY', 'ON'],
      ['INFO', 'errorstats'],
    ]);
    expect(out).toContain('errorstat_ERR:count=2');
  });
});
