/**
 * @socket.io/redis-adapter on reddish (issue #10): two socket.io servers in
 * one process, each with the adapter set up as its README shows, and a
 * broadcast from one reaching a client connected to the other through
 * reddish's pub/sub. The classic adapter is tried with node-redis and with
 * ioredis clients (PUBLISH/SUBSCRIBE/PSUBSCRIBE, and PUBSUB NUMSUB for the
 * server count), the sharded adapter with node-redis (SPUBLISH/SSUBSCRIBE).
 * The same runs on redis-server when it is installed.
 */
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { serversUnderTest, useServerUnderTest } from '../helpers/servers-under-test.js';
import { until } from '../helpers/wait.js';

type AdapterFactory = ReturnType<typeof createAdapter> | ReturnType<typeof createShardedAdapter>;

interface Setup {
  readonly name: string;
  /**
   * The channel a server subscribes to when one of its sockets joins `room`, for the
   * adapters that subscribe per room. The sharded adapter's default "dynamic" mode
   * sends that SSUBSCRIBE without waiting for it, so a broadcast sent right after
   * join() can overtake it, on Redis as on reddish.
   */
  readonly roomChannel?: (room: string) => string;
  /** The adapter for one socket.io server, and how to close the Redis clients it uses. */
  adapter(port: number): Promise<{ adapter: AdapterFactory; close(): Promise<void> }>;
}

/** The README's setups, one client pair per socket.io server. */
const SETUPS: Setup[] = [
  {
    name: 'classic adapter, node-redis',
    async adapter(port) {
      const pubClient = createClient({ url: `redis://127.0.0.1:${port}` });
      const subClient = pubClient.duplicate();
      await Promise.all([pubClient.connect(), subClient.connect()]);
      return { adapter: createAdapter(pubClient, subClient), close: async () => void (await Promise.all([pubClient.quit(), subClient.quit()])) };
    },
  },
  {
    name: 'classic adapter, ioredis',
    async adapter(port) {
      const pubClient = new Redis(port, '127.0.0.1');
      const subClient = pubClient.duplicate();
      return { adapter: createAdapter(pubClient, subClient), close: async () => void (await Promise.all([pubClient.quit(), subClient.quit()])) };
    },
  },
  {
    name: 'sharded adapter, node-redis',
    roomChannel: (room) => `socket.io#/#${room}#`,
    async adapter(port) {
      const pubClient = createClient({ url: `redis://127.0.0.1:${port}` });
      const subClient = pubClient.duplicate();
      await Promise.all([pubClient.connect(), subClient.connect()]);
      return {
        adapter: createShardedAdapter(pubClient, subClient),
        close: async () => void (await Promise.all([pubClient.quit(), subClient.quit()])),
      };
    },
  },
];

interface Node {
  readonly io: Server;
  readonly http: HttpServer;
  readonly url: string;
  close(): Promise<void>;
}

describe.each(serversUnderTest())('on $name', (under) => {
  const server = useServerUnderTest(under);
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A socket.io server on its own HTTP port, with the adapter on reddish (or redis-server). */
  async function socketIoNode(setup: Setup): Promise<Node> {
    const { adapter, close } = await setup.adapter(server.port);
    const http = createServer();
    const io = new Server(http, { adapter });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const node: Node = {
      io,
      http,
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      async close() {
        await new Promise<void>((resolve) => io.close(() => resolve()));
        await close();
      },
    };
    cleanups.push(() => node.close());
    return node;
  }

  async function client(node: Node): Promise<ClientSocket> {
    const socket = connectClient(node.url, { transports: ['websocket'], reconnection: false });
    cleanups.push(() => void socket.disconnect());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return socket;
  }

  /**
   * Both servers' adapters are subscribed. Neither adapter waits for its SUBSCRIBE or
   * SSUBSCRIBE before the server is usable, so a broadcast sent at once could be lost.
   */
  async function bothSubscribed(left: Node): Promise<void> {
    await until(async () => (await left.io.of('/').adapter.serverCount()) === 2, 'both adapters to subscribe');
  }

  /** The next `event` on `socket`, or an error after a while (a broadcast that never crossed). */
  function next(socket: ClientSocket, event: string): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${event}' arrived`)), 5000);
      socket.once(event, (...args: unknown[]) => {
        clearTimeout(timer);
        resolve(args);
      });
    });
  }

  describe.each(SETUPS)('$name', (setup) => {
    it('a broadcast from one socket.io server reaches a client connected to the other', async () => {
      const [left, right] = [await socketIoNode(setup), await socketIoNode(setup)];
      await bothSubscribed(left);
      const [onLeft, onRight] = [await client(left), await client(right)];
      const arrivals = [next(onLeft, 'news'), next(onRight, 'news')];
      left.io.emit('news', 'from the left', { n: 1 });
      expect(await Promise.all(arrivals)).toEqual([
        ['from the left', { n: 1 }],
        ['from the left', { n: 1 }],
      ]);
    });

    it('rooms, server-side requests and the server count work across the two servers', async () => {
      const [left, right] = [await socketIoNode(setup), await socketIoNode(setup)];
      await bothSubscribed(left);
      const [onLeft, onRight] = [await client(left), await client(right)];
      // The client on the right joins a room on its own server; the left server addresses the room.
      const [rightSocket] = await right.io.fetchSockets();
      rightSocket!.join('room');
      if (setup.roomChannel) {
        const channel = setup.roomChannel('room');
        const observer = new Redis(server.port, '127.0.0.1');
        cleanups.push(() => void observer.disconnect());
        await until(async () => {
          const [, count] = (await observer.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number];
          return count === 1;
        }, `a subscriber on ${channel}`);
      }
      let leftGotRoomMessage = false;
      onLeft.on('only-room', () => (leftGotRoomMessage = true));
      const inRoom = next(onRight, 'only-room');
      left.io.to('room').emit('only-room', 'hello room');
      expect(await inRoom).toEqual(['hello room']);
      // fetchSockets asks every server and waits for their answers (a request/response over pub/sub).
      const everywhere = await left.io.fetchSockets();
      expect(everywhere.map((s) => s.id).sort()).toEqual([onLeft.id, onRight.id].sort());
      const inRoomEverywhere = await left.io.in('room').fetchSockets();
      expect(inRoomEverywhere.map((s) => s.id)).toEqual([onRight.id]);
      expect(await left.io.of('/').adapter.serverCount()).toBe(2);
      // serverSideEmit reaches the other server only.
      const heard = new Promise((resolve) => right.io.on('ping-servers', resolve));
      left.io.serverSideEmit('ping-servers', 'hi');
      expect(await heard).toBe('hi');
      expect(leftGotRoomMessage).toBe(false);
    });
  });
});
