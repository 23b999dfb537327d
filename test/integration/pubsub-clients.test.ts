/**
 * Pub/sub through the client libraries applications use: ioredis (RESP2
 * and RESP3, its default since v6) and node-redis (RESP2 and RESP3).
 * SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE with their message events, the
 * replies to unsubscribing from everything, RESP2's subscribed context as
 * each library surfaces it, and the order of each publisher's messages
 * when it pipelines. Every scenario also runs on redis-server when it is
 * installed, so what is expected is what Redis does with the same library.
 * The byte-level replies are compared in test/differential/pubsub.test.ts.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { serversUnderTest, useServerUnderTest } from '../helpers/servers-under-test.js';

type Protocol = 2 | 3;
type Event = [string, ...string[]];

/** Waits until `events` holds `count` entries (messages arrive after PUBLISH has replied). */
async function received(events: readonly unknown[], count: number): Promise<void> {
  for (let i = 0; i < 400 && events.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(events.length).toBe(count);
}

describe.each(serversUnderTest())('on $name', (under) => {
  const server = useServerUnderTest(under);
  /** Every client a test opens, closed after it. */
  const opened: Array<{ disconnect(): unknown }> = [];
  afterEach(async () => {
    for (const client of opened.splice(0)) await client.disconnect();
  });

  function ioredis(protocol: Protocol): Redis {
    const client = new Redis(server.port, { protocol, maxRetriesPerRequest: 0 });
    opened.push(client);
    return client;
  }

  async function nodeRedis(RESP: Protocol) {
    const client = createClient({ url: `redis://127.0.0.1:${server.port}`, RESP });
    client.on('error', () => {});
    await client.connect();
    opened.push({ disconnect: () => client.destroy() });
    return client;
  }

  describe.each([2, 3] as const)('ioredis, RESP%i', (protocol) => {
    it('SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE count subscriptions and deliver message, pmessage and smessage', async () => {
      const sub = ioredis(protocol);
      const pub = ioredis(protocol);
      const events: Event[] = [];
      sub.on('message', (channel: string, message: string) => events.push(['message', channel, message]));
      sub.on('pmessage', (pattern: string, channel: string, message: string) => events.push(['pmessage', pattern, channel, message]));
      sub.on('smessage', (channel: string, message: string) => events.push(['smessage', channel, message]));
      expect(await sub.subscribe('news', 'sport')).toBe(2);
      expect(await sub.psubscribe('news.*', 'n?ws')).toBe(4);
      // Shard channels are counted apart.
      expect(await sub.ssubscribe('orders')).toBe(1);
      expect(await pub.publish('news', 'a')).toBe(2);
      expect(await pub.publish('news.eu', 'b')).toBe(1);
      expect(await pub.publish('weather', 'c')).toBe(0);
      expect(await pub.spublish('orders', 'd')).toBe(1);
      expect(await pub.publish('sport', 'e')).toBe(1);
      await received(events, 5);
      expect(events).toEqual([
        ['message', 'news', 'a'],
        ['pmessage', 'n?ws', 'news', 'a'],
        ['pmessage', 'news.*', 'news.eu', 'b'],
        ['smessage', 'orders', 'd'],
        ['message', 'sport', 'e'],
      ]);
      expect(await pub.pubsub('NUMSUB', 'news', 'sport', 'weather')).toEqual(['news', 1, 'sport', 1, 'weather', 0]);
      expect(await pub.pubsub('NUMPAT')).toBe(2);
    });

    it('UNSUBSCRIBE, PUNSUBSCRIBE and SUNSUBSCRIBE with no arguments drop every subscription of their kind', async () => {
      const sub = ioredis(protocol);
      const pub = ioredis(protocol);
      // Nothing subscribed: one reply with a null name and a count of 0.
      expect(await sub.unsubscribe()).toBe(0);
      expect(await sub.subscribe('a', 'b', 'c')).toBe(3);
      expect(await sub.unsubscribe()).toBe(0);
      expect(await pub.publish('a', 'gone')).toBe(0);
      expect(await sub.psubscribe('x*', 'y*')).toBe(2);
      expect(await sub.punsubscribe()).toBe(0);
      expect(await pub.pubsub('NUMPAT')).toBe(0);
      expect(await sub.ssubscribe('s1', 's2')).toBe(2);
      expect(await sub.sunsubscribe()).toBe(0);
      expect(await pub.spublish('s1', 'gone')).toBe(0);
      // Out of the subscribed context, the connection runs commands again.
      expect(await sub.set('k', 'v')).toBe('OK');
      expect(await sub.get('k')).toBe('v');
    });

    it('PING while subscribed answers as the protocol says: an array in RESP2, a status in RESP3', async () => {
      const sub = ioredis(protocol);
      await sub.subscribe('a');
      expect(await sub.ping()).toEqual(protocol === 2 ? ['pong', ''] : 'PONG');
      expect(await sub.ping('hi')).toEqual(protocol === 2 ? ['pong', 'hi'] : 'hi');
      if (protocol === 3) {
        // RESP3 has no subscribed context: every command runs between the pushes.
        expect(await sub.set('k', 'v')).toBe('OK');
        expect(await sub.get('k')).toBe('v');
      }
    });

    it("keeps each publisher's messages in order when publishers pipeline", async () => {
      const sub = ioredis(protocol);
      const publishers = [ioredis(protocol), ioredis(protocol), ioredis(protocol)];
      const perPublisher = 400;
      const messages: string[] = [];
      sub.on('message', (_channel: string, message: string) => messages.push(message));
      await sub.subscribe('stream');
      await Promise.all(
        publishers.map((publisher, who) => {
          const pipeline = publisher.pipeline();
          for (let seq = 0; seq < perPublisher; seq++) pipeline.publish('stream', `${who}:${seq}`);
          return pipeline.exec();
        }),
      );
      await received(messages, perPublisher * publishers.length);
      const seen: number[][] = publishers.map(() => []);
      for (const message of messages) {
        const [who, seq] = message.split(':').map(Number) as [number, number];
        seen[who]!.push(seq);
      }
      const inOrder = Array.from({ length: perPublisher }, (_, i) => i);
      for (const sequence of seen) expect(sequence).toEqual(inOrder);
    });
  });

  describe.each([2, 3] as const)('node-redis, RESP%i', (RESP) => {
    it('subscribe, pSubscribe and sSubscribe call their listeners', async () => {
      const sub = await nodeRedis(RESP);
      const pub = await nodeRedis(RESP);
      const events: Event[] = [];
      await sub.subscribe(['news', 'sport'], (message, channel) => events.push(['message', channel, message]));
      await sub.pSubscribe('news.*', (message, channel) => events.push(['pmessage', channel, message]));
      await sub.sSubscribe('orders', (message, channel) => events.push(['smessage', channel, message]));
      expect(await pub.publish('news', 'a')).toBe(1);
      expect(await pub.publish('news.eu', 'b')).toBe(1);
      expect(await pub.sPublish('orders', 'c')).toBe(1);
      expect(await pub.publish('sport', 'd')).toBe(1);
      await received(events, 4);
      expect(events).toEqual([
        ['message', 'news', 'a'],
        ['pmessage', 'news.eu', 'b'],
        ['smessage', 'orders', 'c'],
        ['message', 'sport', 'd'],
      ]);
      expect(await pub.pubSubNumSub(['news', 'sport'])).toEqual({ news: 1, sport: 1 });
      expect(await pub.pubSubShardChannels()).toEqual(['orders']);
      // node-redis resolves an unsubscribe from everything once the
      // subscription count in the replies reaches 0, and channels and
      // patterns share that count (it waits forever, on Redis too, if
      // patterns remain), so the pattern goes first, by name.
      await sub.pUnsubscribe('news.*');
      await sub.sUnsubscribe();
      await sub.unsubscribe();
      expect(await pub.publish('news', 'e')).toBe(0);
      expect(await pub.sPublish('orders', 'f')).toBe(0);
      // Back out of the subscribed context: commands run again.
      expect(await sub.get('never-set')).toBeNull();
    });

    it(RESP === 2 ? 'refuses other commands while subscribed with Redis error text' : 'runs every command while subscribed', async () => {
      const sub = await nodeRedis(RESP);
      const pub = await nodeRedis(RESP);
      const messages: string[] = [];
      await sub.subscribe('a', (message) => messages.push(message));
      await pub.set('k', 'v');
      if (RESP === 2) {
        await expect(sub.get('k')).rejects.toThrow(
          "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
        );
        expect(await sub.ping()).toBe('pong');
      } else {
        expect(await sub.get('k')).toBe('v');
        expect(await sub.ping()).toBe('PONG');
      }
      // The subscription is intact either way.
      expect(await pub.publish('a', 'still subscribed')).toBe(1);
      await received(messages, 1);
      expect(messages).toEqual(['still subscribed']);
    });
  });
});
