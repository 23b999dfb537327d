/**
 * maxmemory through the wire, one server per policy, on a ManualClock so
 * that idle times are exact. Each test fills the keyspace, lowers
 * maxmemory below what it holds, and checks which keys went: the oldest
 * under LRU, the least used under LFU (lfu-log-factor 0 makes every access
 * count), the soonest to expire under volatile-ttl, only keys with a TTL
 * under volatile-*, none under noeviction (whose writes are refused). With
 * maxmemory-samples above the key count, the sampled pool sees every key,
 * so the outcome is exact rather than statistical.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, startServer, type RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';

let running: RunningServer | null = null;
let client: RawClient | null = null;

afterEach(async () => {
  await client?.close();
  await running?.close();
  client = null;
  running = null;
});

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
const VALUE = 'v'.repeat(500);

async function start(policy: string, extra: Record<string, string> = {}): Promise<{ c: RawClient; clock: ManualClock }> {
  const clock = new ManualClock(1_700_000_000_000);
  running = await startServer({ port: 0, clock, config: { 'maxmemory-policy': policy, 'maxmemory-samples': '200', ...extra } });
  client = await RawClient.connect(running.port);
  return { c: client, clock };
}

async function info(c: RawClient, field: string): Promise<number> {
  const text = (await c.call('INFO', 'everything')).toString('latin1');
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(text);
  if (match === null) throw new Error(`INFO has no ${field}`);
  return Number(match[1]);
}

async function keys(c: RawClient, pattern = '*'): Promise<string[]> {
  const text = (await c.call('KEYS', pattern)).toString('latin1');
  return (text.match(/[a-z]+:\d+/g) ?? []).sort();
}

/** Sets maxmemory `bytes` below the used figure, then runs a command so that eviction happens before it. */
async function squeeze(c: RawClient, bytes: number): Promise<void> {
  const used = await info(c, 'used_memory');
  expect(await c.call('CONFIG', 'SET', 'maxmemory', String(used - bytes))).toEqual(Buffer.from('+OK\r\n'));
  await c.call('PING');
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}:${i}`);

describe('maxmemory eviction, per policy', () => {
  it('noeviction: nothing is evicted, denyoom commands get -OOM, reads and deletes run', async () => {
    const { c } = await start('noeviction');
    for (const key of names('key', 20)) await c.call('SET', key, VALUE);
    await squeeze(c, 3000);
    expect((await c.call('SET', 'key:new', 'x')).toString()).toBe(OOM);
    expect((await c.call('GET', 'key:1')).toString()).toBe(`$500\r\n${VALUE}\r\n`);
    expect(await keys(c)).toHaveLength(20);
    expect(await info(c, 'evicted_keys')).toBe(0);
    expect((await c.call('DEL', 'key:1', 'key:2', 'key:3', 'key:4', 'key:5', 'key:6', 'key:7')).toString()).toBe(':7\r\n');
    // Deleting brought memory back under the limit: writes run again.
    expect((await c.call('SET', 'key:new', 'x')).toString()).toBe('+OK\r\n');
  });

  it('allkeys-lru: the least recently used keys go first', async () => {
    const { c, clock } = await start('allkeys-lru');
    for (const key of names('old', 10)) await c.call('SET', key, VALUE);
    clock.advance(100_000);
    for (const key of names('new', 10)) await c.call('SET', key, VALUE);
    // Reading old:0 makes it recent again.
    await c.call('GET', 'old:0');
    await squeeze(c, 5 * 560);
    const left = await keys(c);
    expect(left.filter((k) => k.startsWith('new:'))).toEqual(names('new', 10).sort());
    expect(left).toContain('old:0');
    const evicted = await info(c, 'evicted_keys');
    expect(evicted).toBeGreaterThanOrEqual(5);
    expect(left).toHaveLength(20 - evicted);
    expect(await info(c, 'used_memory')).toBeLessThanOrEqual(await info(c, 'maxmemory'));
  });

  it('volatile-lru: only keys with a TTL go, oldest first; then writes get -OOM', async () => {
    const { c, clock } = await start('volatile-lru');
    for (const key of names('persistent', 10)) await c.call('SET', key, VALUE);
    for (const key of names('oldttl', 3)) await c.call('SET', key, VALUE, 'EX', '10000');
    clock.advance(100_000);
    for (const key of names('newttl', 3)) await c.call('SET', key, VALUE, 'EX', '10000');
    await squeeze(c, 2 * 560);
    let left = await keys(c);
    expect(left.filter((k) => k.startsWith('persistent:'))).toHaveLength(10);
    expect(left.filter((k) => k.startsWith('newttl:'))).toHaveLength(3);
    expect(left.filter((k) => k.startsWith('oldttl:')).length).toBeLessThan(3);
    // Asking for more than the volatile keys hold: they all go, and still not enough.
    await squeeze(c, 20 * 560);
    left = await keys(c);
    expect(left).toEqual(names('persistent', 10).sort());
    expect((await c.call('SET', 'x:1', 'y')).toString()).toBe(OOM);
  });

  it('allkeys-lfu: the least frequently used keys go first', async () => {
    const { c } = await start('allkeys-lfu', { 'lfu-log-factor': '0' });
    for (const key of [...names('cold', 10), ...names('hot', 10)]) await c.call('SET', key, VALUE);
    for (let i = 0; i < 20; i++) for (const key of names('hot', 10)) await c.call('GET', key);
    expect((await c.call('OBJECT', 'FREQ', 'hot:0')).toString()).toBe(':25\r\n');
    await squeeze(c, 6 * 560);
    const left = await keys(c);
    expect(left.filter((k) => k.startsWith('hot:'))).toHaveLength(10);
    expect(left.filter((k) => k.startsWith('cold:')).length).toBeLessThanOrEqual(4);
  });

  it('volatile-lfu: the least used key with a TTL goes, never one without', async () => {
    const { c } = await start('volatile-lfu', { 'lfu-log-factor': '0' });
    for (const key of names('persistent', 5)) await c.call('SET', key, VALUE);
    for (const key of [...names('cold', 5), ...names('hot', 5)]) await c.call('SET', key, VALUE, 'EX', '1000');
    for (let i = 0; i < 10; i++) for (const key of names('hot', 5)) await c.call('GET', key);
    await squeeze(c, 3 * 560);
    const left = await keys(c);
    expect(left.filter((k) => k.startsWith('persistent:'))).toHaveLength(5);
    expect(left.filter((k) => k.startsWith('hot:'))).toHaveLength(5);
    expect(left.filter((k) => k.startsWith('cold:')).length).toBeLessThanOrEqual(2);
  });

  it('allkeys-random: keys go until memory fits, whichever they are', async () => {
    const { c } = await start('allkeys-random');
    for (const key of names('key', 40)) await c.call('SET', key, VALUE);
    await squeeze(c, 10 * 560);
    const evicted = await info(c, 'evicted_keys');
    expect(evicted).toBeGreaterThanOrEqual(10);
    expect(await keys(c)).toHaveLength(40 - evicted);
    expect(await info(c, 'used_memory')).toBeLessThanOrEqual(await info(c, 'maxmemory'));
  });

  it('volatile-random: only keys with a TTL go', async () => {
    const { c } = await start('volatile-random');
    for (const key of names('persistent', 10)) await c.call('SET', key, VALUE);
    for (const key of names('volatile', 10)) await c.call('SET', key, VALUE, 'PX', '1000000');
    await squeeze(c, 4 * 560);
    const left = await keys(c);
    expect(left.filter((k) => k.startsWith('persistent:'))).toHaveLength(10);
    expect(left.filter((k) => k.startsWith('volatile:')).length).toBeLessThanOrEqual(6);
  });

  it('volatile-ttl: the keys that expire soonest go first', async () => {
    const { c } = await start('volatile-ttl');
    for (const key of names('persistent', 5)) await c.call('SET', key, VALUE);
    for (let i = 0; i < 10; i++) await c.call('SET', `ttl:${(i * 7) % 10}`, VALUE, 'EX', String(100 + ((i * 7) % 10)));
    await squeeze(c, 4 * 560);
    const left = (await keys(c, 'ttl:*')).map((k) => Number(k.split(':')[1]));
    expect(left.length).toBeLessThanOrEqual(6);
    // The survivors are the last to expire.
    expect(left).toEqual(Array.from({ length: left.length }, (_, i) => 10 - left.length + i));
  });
});

describe('an eviction is announced like a change', () => {
  it('notifies `evicted`, propagates DEL (UNLINK under lazyfree-lazy-eviction) and counts lazily freed values', async () => {
    const { c } = await start('allkeys-random', { 'notify-keyspace-events': 'Ee' });
    const propagated: string[][] = [];
    running!.server.propagation.subscribe((unit) => {
      for (const command of unit) propagated.push([...command.argv]);
    });
    const subscriber = await RawClient.connect(running!.port);
    try {
      await subscriber.call('SUBSCRIBE', '__keyevent@0__:evicted');
      for (const key of names('key', 10)) await c.call('SET', key, VALUE);
      propagated.length = 0;
      await squeeze(c, 560);
      const evicted = await info(c, 'evicted_keys');
      expect(evicted).toBeGreaterThanOrEqual(1);
      const message = (await subscriber.readReply()).toString('latin1');
      expect(message).toMatch(/^\*3\r\n\$7\r\nmessage\r\n\$22\r\n__keyevent@0__:evicted\r\n\$5\r\nkey:\d\r\n$/);
      const deletions = propagated.filter((argv) => argv[0] === 'DEL');
      expect(deletions).toHaveLength(evicted);
      expect(deletions.map((argv) => argv[1])).toContain(message.slice(-7, -2));

      await c.call('CONFIG', 'SET', 'maxmemory', '0', 'lazyfree-lazy-eviction', 'yes');
      for (let i = 0; i < 200; i++) await c.call('SADD', 'bigset', `member:${i}`);
      propagated.length = 0;
      await c.call('DEL', ...names('key', 10));
      const freedBefore = await info(c, 'lazyfreed_objects');
      // The big set is the only key: it is evicted, and counted as lazily freed (200 > LAZYFREE_THRESHOLD).
      await squeeze(c, 100);
      expect(propagated.filter((argv) => argv[0] === 'UNLINK')).toEqual([['UNLINK', 'bigset']]);
      expect(await info(c, 'lazyfreed_objects')).toBe(freedBefore + 1);
    } finally {
      await subscriber.close();
    }
  });

  it('a MULTI queued while memory was fine is aborted by EXEC once over the limit', async () => {
    const { c } = await start('noeviction');
    const other = await RawClient.connect(running!.port);
    try {
      await c.call('MULTI');
      await c.call('SET', 'a', '1');
      await other.call('CONFIG', 'SET', 'maxmemory', '1');
      expect((await c.call('EXEC')).toString()).toBe(
        "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n",
      );
      expect((await c.call('GET', 'a')).toString()).toBe('$-1\r\n');
    } finally {
      await other.close();
    }
  });

  it('an eviction cycle at or over latency-monitor-threshold is an `eviction-cycle` latency event (evict.c)', async () => {
    const { c } = await start('allkeys-random', { 'maxmemory-eviction-tenacity': '100', 'latency-monitor-threshold': '1' });
    await c.pipeline(names('key', 30000).map((key) => ['SET', key, VALUE]));
    const used = await info(c, 'used_memory');
    // Evicting some 28,000 keys in one cycle (tenacity 100: no time limit) takes well over a millisecond.
    await c.call('CONFIG', 'SET', 'maxmemory', String(used - 28000 * 576));
    for (let i = 0; i < 100 && (await info(c, 'used_memory')) > (await info(c, 'maxmemory')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const latest = (await c.call('LATENCY', 'LATEST')).toString('latin1');
    expect(latest).toContain('eviction-cycle');
    const history = (await c.call('LATENCY', 'HISTORY', 'eviction-cycle')).toString('latin1');
    expect(history).toMatch(/^\*1\r\n\*2\r\n:\d+\r\n:[1-9]\d*\r\n$/);
  });

  it('tenacity 0 leaves the rest of a large eviction to a timer, between event-loop turns', async () => {
    const { c } = await start('allkeys-random', { 'maxmemory-eviction-tenacity': '0' });
    const pipeline = names('key', 2000).map((key) => ['SET', key, VALUE]);
    await c.pipeline(pipeline);
    const used = await info(c, 'used_memory');
    await c.call('CONFIG', 'SET', 'maxmemory', String(used - 1000 * 560));
    // The first call may stop after 16 keys; the timer finishes the job.
    for (let i = 0; i < 100 && (await info(c, 'used_memory')) > (await info(c, 'maxmemory')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await info(c, 'used_memory')).toBeLessThanOrEqual(await info(c, 'maxmemory'));
    // About 576 modelled bytes a key: some 970 keys.
    expect(await info(c, 'evicted_keys')).toBeGreaterThanOrEqual(900);
  });
});
