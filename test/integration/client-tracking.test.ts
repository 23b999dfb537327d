/**
 * Client-side caching through real sockets: node-redis's client-side cache
 * (RESP3, `clientSideCache`) and its RESP2 REDIRECT flow, as their users
 * write them, then what the differential tests can't pin down:
 * active expiry on a ManualClock, the tracking table's limit (which key
 * goes is random), clients leaving ids behind, INFO and CLIENT LIST.
 */
import { BasicClientSideCache, createClient } from 'redis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const t = useServer({ clock: START, resetClock: true, ioredis: false });
const { clock } = t;
let server: RunningServer;
beforeAll(() => {
  server = t.server;
});

/** Connections a test opens, closed after it. */
const opened: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  server.server.activeExpiry.enabled = true;
});

async function raw(resp3 = false): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  opened.push(c);
  if (resp3) await c.call('HELLO', '3');
  return c;
}

const text = async (reply: Promise<Buffer>): Promise<string> => (await reply).toString('latin1');
const invalidation = (...keys: string[]) => '>2\r\n$10\r\ninvalidate\r\n*' + keys.length + '\r\n' + keys.map((k) => `$${k.length}\r\n${k}\r\n`).join('');

function infoField(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)\\r$`, 'm').exec(info);
  if (match === null) throw new Error(`INFO has no ${field}`);
  return Number(match[1]);
}

describe("node-redis's client-side cache", () => {
  it('serves a cached GET until another client SETs the key, then reads the new value', async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0, evictPolicy: 'LRU' });
    const cached = createClient({ url: server.url, RESP: 3, clientSideCache: cache });
    const writer = createClient({ url: server.url });
    await cached.connect();
    await writer.connect();
    opened.push({ close: () => cached.close() }, { close: () => writer.close() });
    expect(await cached.sendCommand(['CLIENT', 'TRACKINGINFO'])).toMatchObject({ flags: ['on'], redirect: 0, prefixes: [] });

    await writer.set('user:1', 'ada');
    expect(await cached.get('user:1')).toBe('ada');
    expect(await cached.get('user:1')).toBe('ada');
    expect(cache.stats().missCount).toBe(1);
    expect(cache.stats().hitCount).toBe(1);

    const invalidated = new Promise((resolve) => cache.once('invalidate', resolve));
    await writer.set('user:1', 'grace');
    expect(String(await invalidated)).toBe('user:1');
    // No stale read: the entry is gone, so this GET goes to the server.
    expect(await cached.get('user:1')).toBe('grace');
    expect(cache.stats().missCount).toBe(2);
    expect(await cached.get('user:1')).toBe('grace');
    expect(cache.stats().hitCount).toBe(2);
  });

  it('drops every entry on FLUSHALL, and keeps entries of keys nobody changed', async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
    const cached = createClient({ url: server.url, RESP: 3, clientSideCache: cache });
    const writer = createClient({ url: server.url, RESP: 3 });
    await cached.connect();
    await writer.connect();
    opened.push({ close: () => cached.close() }, { close: () => writer.close() });

    await writer.mSet({ a: '1', b: '2', c: '3' });
    expect(await cached.mGet(['a', 'b'])).toEqual(['1', '2']);
    expect(await cached.get('c')).toBe('3');
    expect(cache.size()).toBe(2);
    const invalidated = new Promise((resolve) => cache.once('invalidate', resolve));
    await writer.incr('c');
    expect(String(await invalidated)).toBe('c');
    expect(cache.size()).toBe(1);
    expect(await cached.mGet(['a', 'b'])).toEqual(['1', '2']);
    expect(cache.stats().hitCount).toBe(1);

    const flushed = new Promise((resolve) => cache.once('invalidate', resolve));
    await writer.flushAll();
    expect(await flushed).toBeNull();
    expect(cache.size()).toBe(0);
    expect(await cached.get('a')).toBeNull();
  });
});

// ioredis 6 drops these messages (their payload is an array, not a string), from redis-server as from reddish.
describe('node-redis over RESP2: invalidations through REDIRECT', () => {
  it('delivers each invalidated key as a message on __redis__:invalidate', async () => {
    const subscriber = createClient({ url: server.url });
    const tracker = createClient({ url: server.url });
    const writer = createClient({ url: server.url });
    for (const c of [subscriber, tracker, writer]) {
      await c.connect();
      opened.push({ close: () => c.close() });
    }
    const subscriberId = await subscriber.clientId();
    const messages: unknown[] = [];
    await subscriber.subscribe('__redis__:invalidate', (message, channel) => messages.push([channel, message]));

    expect(await tracker.sendCommand(['CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(subscriberId)])).toBe('OK');
    expect(await tracker.sendCommand(['CLIENT', 'GETREDIR'])).toBe(subscriberId);
    await writer.set('session:9', 'x');
    expect(await tracker.get('session:9')).toBe('x');
    await writer.set('session:9', 'y');
    await writer.flushAll();
    for (let i = 0; i < 100 && messages.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    // The payload is the array of keys, or null for a flush.
    expect(messages).toEqual([
      ['__redis__:invalidate', ['session:9']],
      ['__redis__:invalidate', null],
    ]);
  });
});

describe('invalidations the differential tests cannot time', () => {
  it('active expiry on the ManualClock invalidates a tracked key', async () => {
    const tracker = await raw(true);
    const writer = await raw();
    await writer.call('SET', 'soon', 'v', 'PX', '1000');
    expect(await text(tracker.call('CLIENT', 'TRACKING', 'ON'))).toBe('+OK\r\n');
    expect(await text(tracker.call('GET', 'soon'))).toBe('$1\r\nv\r\n');
    clock.advance(1001);
    server.server.activeExpiry.cycle();
    expect(await text(tracker.readReply())).toBe(invalidation('soon'));
    expect(infoField(await text(writer.call('INFO', 'stats')), 'expired_keys')).toBeGreaterThan(0);
  });

  it('tracking-table-max-keys forgets random keys, telling their readers, until the table fits', async () => {
    const tracker = await raw(true);
    const other = await raw(true);
    const admin = await raw();
    await tracker.call('CLIENT', 'TRACKING', 'ON');
    await other.call('CLIENT', 'TRACKING', 'ON');
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    await tracker.call('MGET', ...keys);
    await other.call('MGET', 'k0', 'k1');
    let info = await text(admin.call('INFO', 'stats'));
    expect(infoField(info, 'tracking_total_keys')).toBe(10);
    expect(infoField(info, 'tracking_total_items')).toBe(12);

    expect(await text(admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '4'))).toBe('+OK\r\n');
    // The next command (anyone's) trims the table before it runs.
    info = await text(admin.call('INFO', 'stats'));
    expect(infoField(info, 'tracking_total_keys')).toBe(4);
    const evicted: string[] = [];
    for (let i = 0; i < 6; i++) {
      const push = await text(tracker.readReply());
      const key = /^>2\r\n\$10\r\ninvalidate\r\n\*1\r\n\$\d+\r\n(k\d)\r\n$/.exec(push)?.[1];
      expect(key).toBeDefined();
      evicted.push(key!);
    }
    expect(new Set(evicted).size).toBe(6);
    // The other reader is told about its evicted keys too.
    const otherEvicted = evicted.filter((k) => k === 'k0' || k === 'k1');
    for (const key of otherEvicted) expect(await text(other.readReply())).toBe(invalidation(key));
    expect(infoField(info, 'tracking_total_items')).toBe(12 - 6 - otherEvicted.length);
    // The keys that stayed are still tracked: a change tells the tracker.
    const kept = keys.find((k) => !evicted.includes(k))!;
    await admin.call('SET', kept, 'changed');
    expect(await text(tracker.readReply())).toBe(invalidation(kept));
    await admin.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000');
  });

  it('a lowered limit applies on an idle server, at the next cron tick', async () => {
    const tracker = await raw(true);
    const admin = await raw();
    await tracker.call('CLIENT', 'TRACKING', 'ON');
    await tracker.call('MGET', 'x', 'y', 'z');
    // Set through the server object, so that no later command trims the table.
    server.server.config.setMany([['tracking-table-max-keys', '1']]);
    await tracker.readReply();
    await tracker.readReply();
    expect(infoField(await text(admin.call('INFO', 'stats')), 'tracking_total_keys')).toBe(1);
    server.server.config.setMany([['tracking-table-max-keys', '1000000']]);
  });

  it('a client that goes away leaves its ids behind, skipped when the key changes', async () => {
    const gone = await raw(true);
    const stays = await raw(true);
    const admin = await raw();
    await gone.call('CLIENT', 'TRACKING', 'ON');
    await stays.call('CLIENT', 'TRACKING', 'ON');
    await gone.call('GET', 'shared');
    await stays.call('GET', 'shared');
    expect(infoField(await text(admin.call('INFO', 'clients')), 'tracking_clients')).toBe(2);
    await gone.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    let info = await text(admin.call('INFO'));
    expect(infoField(info, 'tracking_clients')).toBe(1);
    expect(infoField(info, 'tracking_total_items')).toBe(2);
    await admin.call('SET', 'shared', '1');
    expect(await text(stays.readReply())).toBe(invalidation('shared'));
    info = await text(admin.call('INFO'));
    expect(infoField(info, 'tracking_total_keys')).toBe(0);
    expect(infoField(info, 'tracking_total_items')).toBe(0);
  });

  it('CLIENT LIST shows t, B and R and the redirect id; RESET clears them', async () => {
    const target = await raw();
    const bcast = await raw(true);
    const redirected = await raw(true);
    const admin = await raw();
    const targetId = Number((await text(target.call('CLIENT', 'ID'))).slice(1, -2));
    const bcastId = Number((await text(bcast.call('CLIENT', 'ID'))).slice(1, -2));
    const redirectedId = Number((await text(redirected.call('CLIENT', 'ID'))).slice(1, -2));
    await bcast.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'a:');
    await redirected.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(targetId));
    await redirected.call('GET', 'a:1');
    const line = async (id: number) => {
      const list = await text(admin.call('CLIENT', 'LIST', 'ID', String(id)));
      return /flags=(\S+).* redir=(-?\d+)/.exec(list)!.slice(1).join(' ');
    };
    expect(await line(bcastId)).toBe('tB 0');
    expect(await line(redirectedId)).toBe(`t ${targetId}`);
    expect(await line(targetId)).toBe('N -1');
    await target.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await admin.call('SET', 'a:1', 'v');
    expect(await text(redirected.readReply())).toBe(`>2\r\n$21\r\ntracking-redir-broken\r\n:${targetId}\r\n`);
    expect(await text(bcast.readReply())).toBe(invalidation('a:1'));
    expect(await line(redirectedId)).toBe(`tR ${targetId}`);
    expect(await text(bcast.call('RESET'))).toBe('+RESET\r\n');
    expect(await line(bcastId)).toBe('N -1');
    expect(infoField(await text(admin.call('INFO', 'stats')), 'tracking_total_prefixes')).toBe(0);
  });

  it('CLIENT HELP lists the tracking subcommands', async () => {
    const c = await raw();
    const help = await text(c.call('CLIENT', 'HELP'));
    for (const line of ['+CACHING (YES|NO)', '+GETREDIR', '+TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]', '+TRACKINGINFO']) {
      expect(help).toContain(line + '\r\n');
    }
  });
});
