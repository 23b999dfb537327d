/**
 * Pub/sub against redis-server 7.0.15: the same sessions, with several
 * clients each, played on both servers, and every frame each client
 * receives compared byte for byte.
 *
 * Where Redis's order comes from its dict's hash order (UNSUBSCRIBE with
 * no arguments, PUBSUB CHANNELS, one message reaching a client through
 * several patterns), the frames of that step are compared sorted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, type CommandArg } from '../helpers/resp-client.js';
import { redisAvailable, startDifferentialTargets, type DifferentialTargets } from './targets.js';

let targets: DifferentialTargets;
beforeAll(async () => {
  targets = await startDifferentialTargets();
});
afterAll(async () => {
  await targets?.stop();
});

type Step =
  /** `client` sends argv and reads `frames` frames (default 1). */
  | { kind: 'call'; client: string; argv: CommandArg[]; frames?: number; unordered?: boolean; hidden?: boolean }
  /** `client` reads `frames` frames that another client's command caused. */
  | { kind: 'read'; client: string; frames: number; unordered?: boolean }
  | { kind: 'close'; client: string };

const call = (client: string, ...argv: CommandArg[]): Step => ({ kind: 'call', client, argv });
const callN = (client: string, frames: number, ...argv: CommandArg[]): Step => ({ kind: 'call', client, argv, frames });
const callSorted = (client: string, frames: number, ...argv: CommandArg[]): Step => ({ kind: 'call', client, argv, frames, unordered: true });
/** A call whose reply holds server-specific values (HELLO's id): checked only for not being an error. */
const hidden = (client: string, ...argv: CommandArg[]): Step => ({ kind: 'call', client, argv, hidden: true });
const read = (client: string, frames: number, unordered = false): Step => ({ kind: 'read', client, frames, unordered });
const close = (client: string): Step => ({ kind: 'close', client });

/** Plays the steps on one server; returns one line per step. */
async function play(port: number, steps: readonly Step[]): Promise<string[]> {
  const clients = new Map<string, RawClient>();
  const client = async (name: string) => {
    let c = clients.get(name);
    if (c === undefined) {
      c = await RawClient.connect(port, { replyTimeoutMs: 2000 });
      clients.set(name, c);
    }
    return c;
  };
  const out: string[] = [];
  try {
    const flush = await client('admin');
    await flush.call('FLUSHALL');
    for (const step of steps) {
      if (step.kind === 'close') {
        await clients.get(step.client)?.close();
        clients.delete(step.client);
        // Let the server see the disconnect before the next step asks about it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        out.push(`${step.client} closed`);
        continue;
      }
      const c = await client(step.client);
      const frames: string[] = [];
      let count = step.frames ?? 1;
      if (step.kind === 'call') {
        frames.push((await c.call(...step.argv)).toString('latin1'));
        count--;
      }
      for (let i = 0; i < count; i++) frames.push((await c.readReply()).toString('latin1'));
      // Hash-ordered frames: sorted, and each frame's running count (which
      // gives the order away) taken out and compared as a sorted list.
      if (step.unordered) {
        const counts: string[] = [];
        for (let i = 0; i < frames.length; i++) {
          frames[i] = frames[i]!.replace(/:(\d+)\r\n$/, (_, n: string) => {
            counts.push(n);
            return ':<count>\r\n';
          });
        }
        frames.sort();
        frames.push(`counts ${counts.sort().join(',')}`);
      }
      if (step.kind === 'call' && step.hidden) {
        out.push(`${step.client} ${step.argv.join(' ')} => ${frames[0]!.startsWith('-') ? frames[0] : '<hidden>'}`);
        continue;
      }
      const label = step.kind === 'call' ? step.argv.map(String).join(' ') : '<read>';
      out.push(`${step.client} ${label} => ${JSON.stringify(frames)}`);
    }
    // Nothing unexpected may be left unread on any client.
    for (const [name, c] of clients) {
      const rest = await c.readRaw(30);
      if (rest.length !== 0) out.push(`${name} left unread: ${JSON.stringify(rest.toString('latin1'))}`);
    }
  } finally {
    for (const c of clients.values()) await c.close();
  }
  return out;
}

async function expectSameSession(steps: readonly Step[]): Promise<string[]> {
  const expected = await play(targets.reference.port, steps);
  const got = await play(targets.candidate.port, steps);
  expect(got).toEqual(expected);
  return expected;
}

describe.skipIf(!redisAvailable('pubsub differential'))('pub/sub against redis-server', () => {
  it('RESP2: subscribe, the subscribed context, messages, patterns and shard channels', async () => {
    const expected = await expectSameSession([
      callN('sub', 3, 'SUBSCRIBE', 'news', 'sport', 'news'),
      callN('sub', 2, 'PSUBSCRIBE', 'h?llo', 'n*'),
      callN('sub', 1, 'SSUBSCRIBE', 'shard-1'),
      call('sub', 'PING'),
      call('sub', 'PING', 'hi'),
      call('sub', 'GET', 'k'),
      call('sub', 'CLIENT', 'LIST'),
      call('sub', 'MULTI'),
      call('sub', 'HELLO', '3'),
      call('sub', 'PUBLISH', 'news', 'x'),
      call('pub', 'PUBLISH', 'news', 'hello\r\nworld'),
      read('sub', 2, true),
      call('pub', 'PUBLISH', 'hello', 'pattern only'),
      read('sub', 1),
      call('pub', 'PUBLISH', 'nobody', 'matches n*'),
      read('sub', 1),
      call('pub', 'PUBLISH', 'quiet', 'no one'),
      call('pub', 'SPUBLISH', 'shard-1', 'sharded'),
      read('sub', 1),
      call('pub', 'SPUBLISH', 'news', 'not a shard subscriber'),
      call('pub', 'PUBSUB', 'NUMSUB', 'news', 'sport', 'hello', 'zzz'),
      call('pub', 'PUBSUB', 'NUMSUB'),
      call('pub', 'PUBSUB', 'NUMPAT'),
      call('pub', 'PUBSUB', 'CHANNELS', 'spo*'),
      call('pub', 'PUBSUB', 'SHARDCHANNELS'),
      call('pub', 'PUBSUB', 'SHARDNUMSUB', 'shard-1', 'news'),
      call('sub', 'UNSUBSCRIBE', 'sport', 'never'),
      callSorted('sub', 1, 'UNSUBSCRIBE'),
      call('sub', 'UNSUBSCRIBE'),
      callSorted('sub', 2, 'PUNSUBSCRIBE'),
      call('sub', 'PUNSUBSCRIBE', 'gone'),
      call('sub', 'GET', 'k'),
      call('sub', 'SUNSUBSCRIBE'),
      call('sub', 'SUNSUBSCRIBE'),
      call('sub', 'GET', 'k'),
      call('sub', 'PING'),
      call('pub', 'PUBSUB', 'NUMPAT'),
      call('pub', 'PUBSUB', 'CHANNELS'),
    ]);
    expect(expected.join('\n')).toContain("only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
    expect(expected.join('\n')).toContain('pmessage');
  });

  it('RESP3: pushes interleave with replies and every command runs', async () => {
    await expectSameSession([
      hidden('sub', 'HELLO', '3'),
      callN('sub', 2, 'SUBSCRIBE', 'a', 'b'),
      callN('sub', 1, 'PSUBSCRIBE', '*'),
      call('sub', 'SET', 'k', 'v'),
      call('sub', 'PING'),
      call('pub', 'PUBLISH', 'a', 'one'),
      read('sub', 2, true),
      // A subscriber that publishes to itself gets the push before the reply.
      callN('sub', 3, 'PUBLISH', 'b', 'self'),
      callSorted('sub', 2, 'UNSUBSCRIBE'),
      call('sub', 'UNSUBSCRIBE'),
      call('sub', 'PUNSUBSCRIBE', 'other'),
      call('sub', 'GET', 'k'),
    ]);
  });

  it('messages past 16 KB in one batch, written before the batch ends, keep their order with the replies', async () => {
    const big = (n: number) => String(n).repeat(20_000);
    await expectSameSession([
      callN('sub', 1, 'SUBSCRIBE', 'big'),
      hidden('self', 'HELLO', '3'),
      callN('self', 1, 'SUBSCRIBE', 'big'),
      // One EXEC publishes 60 KB: each subscriber's messages pass 16 KB inside the batch.
      call('pub', 'MULTI'),
      call('pub', 'PUBLISH', 'big', big(1)),
      call('pub', 'PUBLISH', 'big', big(2)),
      call('pub', 'PUBLISH', 'big', big(3)),
      call('pub', 'EXEC'),
      read('sub', 3),
      read('self', 3),
      // A RESP3 subscriber publishing to itself: every push before the EXEC reply.
      call('self', 'MULTI'),
      call('self', 'PUBLISH', 'big', big(4)),
      call('self', 'PUBLISH', 'big', big(5)),
      callN('self', 3, 'EXEC'),
      read('sub', 2),
    ]);
  });

  it('inside MULTI/EXEC, and RESET, QUIT and disconnects while subscribed', async () => {
    await expectSameSession([
      call('t', 'MULTI'),
      call('t', 'SUBSCRIBE', 'in-exec'),
      call('t', 'SSUBSCRIBE', 'shard-in-exec'),
      call('t', 'PING'),
      call('t', 'EXEC'),
      call('t', 'GET', 'x'),
      call('t', 'RESET'),
      call('t', 'GET', 'x'),
      call('pub', 'PUBSUB', 'NUMSUB', 'in-exec'),
      callN('q', 1, 'SUBSCRIBE', 'c1'),
      call('q', 'QUIT'),
      callN('gone', 1, 'PSUBSCRIBE', 'p*'),
      close('gone'),
      call('pub', 'PUBSUB', 'NUMSUB', 'c1'),
      call('pub', 'PUBSUB', 'NUMPAT'),
      call('pub', 'PUBLISH', 'p1', 'nobody'),
    ]);
  });

  it('answers bad arguments with the same errors', async () => {
    await expectSameSession([
      call('a', 'SUBSCRIBE'),
      call('a', 'PSUBSCRIBE'),
      call('a', 'SSUBSCRIBE'),
      call('a', 'PUBLISH', 'only-channel'),
      call('a', 'SPUBLISH', 'c', 'm', 'extra'),
      call('a', 'PUBSUB'),
      call('a', 'PUBSUB', 'CHANNELS', 'a', 'b'),
      call('a', 'PUBSUB', 'SHARDCHANNELS', 'a', 'b'),
      call('a', 'PUBSUB', 'NUMPAT', 'x'),
      call('a', 'PUBSUB', 'NOPE'),
      call('a', 'PUBSUB', 'HELP'),
      call('a', 'PUBSUB', 'HELP', 'extra'),
      call('a', 'COMMAND', 'INFO', 'subscribe', 'publish', 'ssubscribe', 'spublish', 'sunsubscribe'),
      call('a', 'COMMAND', 'GETKEYS', 'SSUBSCRIBE', 'a', 'b'),
      call('a', 'COMMAND', 'GETKEYS', 'PUBLISH', 'a', 'b'),
    ]);
  });

  it('binary channel names, and patterns with classes and escapes', async () => {
    const channel = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x2a]).toString('latin1');
    await expectSameSession([
      callN('s', 1, 'SUBSCRIBE', channel),
      callN('s', 3, 'PSUBSCRIBE', 'user:[0-9]*', 'lit\\*eral', '[^a]x'),
      call('p', 'PUBLISH', channel, 'bin'),
      read('s', 1),
      call('p', 'PUBLISH', 'user:42:login', 'in'),
      read('s', 1),
      call('p', 'PUBLISH', 'lit*eral', 'escaped'),
      read('s', 1),
      call('p', 'PUBLISH', 'literal', 'no match'),
      call('p', 'PUBLISH', 'bx', 'class'),
      read('s', 1),
      call('p', 'PUBLISH', 'ax', 'negated class'),
      call('p', 'PUBSUB', 'CHANNELS', '*'),
    ]);
  });
});
