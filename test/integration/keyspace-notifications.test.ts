/**
 * Keyspace notifications through real sockets: an ioredis client
 * PSUBSCRIBEd to `__key*__:*` receives what commands, lazy expiry and the
 * active expiry cycle announce, for the classes `notify-keyspace-events`
 * selects. The server runs on a ManualClock, so keys expire when a test
 * moves time, and the active cycle (a real timer) removes them by itself.
 * Expected messages were checked against redis-server 7.0.15.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { openNotificationStream, describeNotification } from '../helpers/notification-stream.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const MARKER = 'test-marker';

const t = useServer({ clock: START, resetClock: true, resp3: true });
const { clock, call, call3 } = t;
let server: RunningServer;
let subscriber: Subscriber;

/**
 * An ioredis subscriber on every notification channel, and on a marker
 * channel: `take()` publishes a marker and returns what arrived before it.
 */
class Subscriber {
  private received: string[] = [];
  private markerArrived: ((mark: string) => void) | null = null;
  private listener: (() => void) | null = null;
  private marks = 0;

  private constructor(readonly redis: Redis) {
    redis.on('pmessage', (_pattern: string, channel: string, message: string) => {
      this.received.push(`${channel} ${message}`);
      this.listener?.();
    });
    redis.on('message', (_channel: string, mark: string) => this.markerArrived?.(mark));
  }

  static async open(port: number): Promise<Subscriber> {
    const redis = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await redis.connect();
    const subscriber = new Subscriber(redis);
    await redis.psubscribe('__key*__:*');
    await redis.subscribe(MARKER);
    return subscriber;
  }

  /** Every message that arrived before a marker published now. */
  async take(): Promise<string[]> {
    const mark = String(++this.marks);
    const arrived = new Promise<void>((resolve) => {
      this.markerArrived = (m) => {
        if (m === mark) resolve();
      };
    });
    await t.redis.publish(MARKER, mark);
    await arrived;
    return this.drain();
  }

  /** Waits for `count` messages that no command of the test sends (the active expiry cycle's). */
  async waitFor(count: number): Promise<string[]> {
    await new Promise<void>((resolve) => {
      const check = () => {
        if (this.received.length >= count) resolve();
      };
      this.listener = check;
      check();
    });
    this.listener = null;
    return this.drain();
  }

  private drain(): string[] {
    const out = this.received;
    this.received = [];
    return out;
  }
}

beforeAll(async () => {
  server = t.server;
  subscriber = await Subscriber.open(server.port);
});

afterAll(() => {
  subscriber.redis.disconnect();
});

beforeEach(async () => {
  server.server.activeExpiry.enabled = true;
  await call('SELECT', '0');
  await call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
  await subscriber.take();
});

/** CONFIG GET notify-keyspace-events, as printed. */
async function flags(): Promise<string> {
  const reply = await t.redis.config('GET', 'notify-keyspace-events');
  return (reply as string[])[1]!;
}

describe('notify-keyspace-events', () => {
  it('is off by default: commands publish nothing', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', '');
    await t.redis.set('k', 'v');
    await t.redis.lpush('l', 'a');
    await t.redis.get('missing');
    expect(await subscriber.take()).toEqual([]);
  });

  it('reads back in Redis order, with A for all the classes it covers', async () => {
    const cases: Array<[string, string]> = [
      ['KEA', 'AKE'],
      ['', ''],
      ['g$lshzxetdn', 'A'],
      ['g$lshzxtdn', 'g$lshzxtdn'],
      ['nd', 'dn'],
      ['Ex', 'xE'],
      ['mKl', 'lKm'],
      ['AnmKE', 'AKEm'],
      ['g$lshzxetdKE', 'AKE'],
      ['KKKEEE', 'KE'],
    ];
    for (const [set, printed] of cases) {
      expect(await call('CONFIG', 'SET', 'notify-keyspace-events', set)).toBe('+OK\r\n');
      expect(await flags(), set).toBe(printed);
    }
  });

  it('refuses a letter that names no class, and keeps the old value', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'Kg');
    for (const bad of ['KEQ', 'kea', 'A ', 'a']) {
      expect(await call('CONFIG', 'SET', 'notify-keyspace-events', bad)).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.\r\n",
      );
    }
    expect(await flags()).toBe('gK');
  });

  it('takes n beside A, though CONFIG GET does not print it (as Redis 7.0.15)', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'EAn');
    expect(await flags()).toBe('AE');
    await t.redis.set('k', 'v');
    expect(await subscriber.take()).toEqual(['__keyevent@0__:new k', '__keyevent@0__:set k']);
  });

  it('needs K or E: classes alone publish nothing', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'Anm');
    await t.redis.set('k', 'v');
    await t.redis.get('missing');
    expect(await subscriber.take()).toEqual([]);
  });

  it('changes live: a class switched off stops at once, another starts', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'El');
    await t.redis.rpush('l', 'a');
    await t.redis.set('s', 'v');
    expect(await subscriber.take()).toEqual(['__keyevent@0__:rpush l']);
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'E$');
    await t.redis.rpush('l', 'b');
    await t.redis.set('s', 'w');
    expect(await subscriber.take()).toEqual(['__keyevent@0__:set s']);
  });
});

describe('what commands publish', () => {
  it('keyspace then keyevent, for each event in the order Redis announces them', async () => {
    await t.redis.set('k', 'v');
    await t.redis.rename('k', 'k2');
    await t.redis.expire('k2', 100);
    await t.redis.persist('k2');
    await t.redis.del('k2', 'nothing');
    expect(await subscriber.take()).toEqual([
      '__keyspace@0__:k set',
      '__keyevent@0__:set k',
      '__keyspace@0__:k rename_from',
      '__keyevent@0__:rename_from k',
      '__keyspace@0__:k2 rename_to',
      '__keyevent@0__:rename_to k2',
      '__keyspace@0__:k2 expire',
      '__keyevent@0__:expire k2',
      '__keyspace@0__:k2 persist',
      '__keyevent@0__:persist k2',
      '__keyspace@0__:k2 del',
      '__keyevent@0__:del k2',
    ]);
  });

  it('only the classes asked for: K with lists and hashes', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'Klh');
    await t.redis.lpush('l', 'a', 'b');
    await t.redis.linsert('l', 'BEFORE', 'a', 'x');
    await t.redis.hset('h', 'f', '1');
    await t.redis.hincrbyfloat('h', 'f', '1.5');
    await t.redis.set('s', 'v');
    await t.redis.sadd('set', 'a');
    await t.redis.lpop('l', 3);
    expect(await subscriber.take()).toEqual([
      '__keyspace@0__:l lpush',
      '__keyspace@0__:l linsert',
      '__keyspace@0__:h hset',
      '__keyspace@0__:h hincrbyfloat',
      '__keyspace@0__:l lpop',
    ]);
  });

  it('a list emptied by a pop: lpop, then del', async () => {
    await t.redis.rpush('l', 'a');
    await subscriber.take();
    await t.redis.lpop('l');
    expect(await subscriber.take()).toEqual(['__keyspace@0__:l lpop', '__keyevent@0__:lpop l', '__keyspace@0__:l del', '__keyevent@0__:del l']);
  });

  it('names the database the key lives in: MOVE and COPY across databases', async () => {
    await call('SELECT', '3');
    await call('SET', 'k', 'v');
    await call('MOVE', 'k', '5');
    await call('SELECT', '5');
    await call('COPY', 'k', 'c', 'DB', '7');
    expect(await subscriber.take()).toEqual([
      '__keyspace@3__:k set',
      '__keyevent@3__:set k',
      '__keyspace@3__:k move_from',
      '__keyevent@3__:move_from k',
      '__keyspace@5__:k move_to',
      '__keyevent@5__:move_to k',
      '__keyspace@7__:c copy_to',
      '__keyevent@7__:copy_to c',
    ]);
  });

  it('n: a key coming into being, before the command that creates it', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'KEAn');
    await t.redis.set('k', 'v');
    await t.redis.set('k', 'w');
    await t.redis.rpush('l', 'a');
    await t.redis.rename('l', 'k');
    expect(await subscriber.take()).toEqual([
      '__keyspace@0__:k new',
      '__keyevent@0__:new k',
      '__keyspace@0__:k set',
      '__keyevent@0__:set k',
      '__keyspace@0__:k set',
      '__keyevent@0__:set k',
      '__keyspace@0__:l new',
      '__keyevent@0__:new l',
      '__keyspace@0__:l rpush',
      '__keyevent@0__:rpush l',
      // RENAME deletes the old k and adds it anew.
      '__keyspace@0__:k new',
      '__keyevent@0__:new k',
      '__keyspace@0__:l rename_from',
      '__keyevent@0__:rename_from l',
      '__keyspace@0__:k rename_to',
      '__keyevent@0__:rename_to k',
    ]);
  });

  it('m: reads that miss, but not writes and not OBJECT', async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'Em');
    await t.redis.get('a');
    await t.redis.exists('b');
    await t.redis.type('c');
    await t.redis.object('ENCODING', 'd');
    await t.redis.lpop('e');
    await t.redis.incr('f');
    await t.redis.mget('g', 'f', 'h');
    expect(await subscriber.take()).toEqual([
      '__keyevent@0__:keymiss a',
      '__keyevent@0__:keymiss b',
      '__keyevent@0__:keymiss c',
      '__keyevent@0__:keymiss g',
      '__keyevent@0__:keymiss h',
    ]);
  });

  it('a module-style write with no event (PFCOUNT caching its count) publishes nothing', async () => {
    await t.redis.pfadd('hll', 'a', 'b');
    await subscriber.take();
    await t.redis.pfadd('hll', 'c');
    await t.redis.pfcount('hll');
    expect(await subscriber.take()).toEqual(['__keyspace@0__:hll pfadd', '__keyevent@0__:pfadd hll']);
  });

  it('FLUSHDB, FLUSHALL and SWAPDB publish nothing per key', async () => {
    await t.redis.mset('a', '1', 'b', '2');
    await call('SELECT', '1');
    await call('SET', 'c', '3');
    await subscriber.take();
    await call('SWAPDB', '0', '1');
    await call('FLUSHDB');
    await call('FLUSHALL');
    expect(await subscriber.take()).toEqual([]);
  });

  it('a served BLPOP: the pusher’s lpush, then the pop served, then the key’s deletion', async () => {
    const blocked = new Redis({ port: server.port, lazyConnect: true, maxRetriesPerRequest: 0, enableReadyCheck: false });
    await blocked.connect();
    try {
      const popped = blocked.blpop('q', 0);
      while (server.server.blocking.blockedClients === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await t.redis.lpush('q', 'x');
      expect(await popped).toEqual(['q', 'x']);
      expect(await subscriber.take()).toEqual([
        '__keyspace@0__:q lpush',
        '__keyevent@0__:lpush q',
        '__keyspace@0__:q lpop',
        '__keyevent@0__:lpop q',
        '__keyspace@0__:q del',
        '__keyevent@0__:del q',
      ]);
    } finally {
      blocked.disconnect();
    }
  });
});

describe('expired', () => {
  it('the active expiry cycle removes the key and publishes expired, on the manual clock', async () => {
    await t.redis.set('k', 'v', 'PX', 100);
    expect(await subscriber.take()).toEqual(['__keyspace@0__:k set', '__keyevent@0__:set k', '__keyspace@0__:k expire', '__keyevent@0__:expire k']);
    clock.advance(101);
    // Nobody touches the key: the cycle's timer finds it.
    expect(await subscriber.waitFor(2)).toEqual(['__keyspace@0__:k expired', '__keyevent@0__:expired k']);
    expect(await t.redis.dbsize()).toBe(0);
  });

  it('lazy expiry publishes expired when a read meets the key, then the read misses', async () => {
    server.server.activeExpiry.enabled = false;
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'KExm');
    await call('SELECT', '2');
    await call('SET', 'k', 'v', 'PX', '50');
    clock.advance(51);
    expect(await call('GET', 'k')).toBe('$-1\r\n');
    expect(await subscriber.take()).toEqual([
      '__keyspace@2__:k expired',
      '__keyevent@2__:expired k',
      '__keyspace@2__:k keymiss',
      '__keyevent@2__:keymiss k',
    ]);
  });

  it('a write meeting an expired key: expired, new, then its own event', async () => {
    server.server.activeExpiry.enabled = false;
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'EAn');
    await call('SET', 'k', 'v', 'PX', '50');
    await subscriber.take();
    clock.advance(51);
    await call('SET', 'k', 'w');
    expect(await subscriber.take()).toEqual(['__keyevent@0__:expired k', '__keyevent@0__:new k', '__keyevent@0__:set k']);
  });
});

describe('delivery', () => {
  it('reaches RESP3 subscribers as push frames, and exact-channel subscribers', async () => {
    const stream = await openNotificationStream(server.port, '__keyevent@0__:*');
    try {
      expect(await call3('SUBSCRIBE', '__keyspace@0__:k')).toBe('>3\r\n$9\r\nsubscribe\r\n$16\r\n__keyspace@0__:k\r\n:1\r\n');
      await t.redis.set('k', 'v');
      expect(await t.raw3.readReply().then((b) => b.toString('latin1'))).toBe('>3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:k\r\n$3\r\nset\r\n');
      expect((await stream.take()).map(describeNotification)).toEqual(['"__keyevent@0__:set" "k"']);
      expect(await call3('UNSUBSCRIBE')).toBe('>3\r\n$11\r\nunsubscribe\r\n$16\r\n__keyspace@0__:k\r\n:0\r\n');
    } finally {
      await stream.close();
    }
  });

  it('keys with any bytes travel as they are', async () => {
    const stream = await openNotificationStream(server.port);
    try {
      await call('SET', 'a\x00b\xff\r\n', 'v');
      expect(await stream.take()).toEqual([
        { channel: '__keyspace@0__:a\x00b\xff\r\n', message: 'set' },
        { channel: '__keyevent@0__:set', message: 'a\x00b\xff\r\n' },
      ]);
    } finally {
      await stream.close();
    }
  });
});
