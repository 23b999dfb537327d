/**
 * The stream commands through real clients: ioredis and node-redis, as
 * applications use them, and raw RESP2/RESP3 where the exact reply matters.
 * The server runs on a ManualClock so that idle times, delivery times and
 * `*` IDs are known exactly. Expected replies follow redis-server 7.0.15
 * (the differential tests compare the same commands byte for byte).
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { openNotificationStream, type NotificationStream } from '../helpers/notification-stream.js';
import { PropagationRecorder } from '../helpers/aof.js';
import { error, useServer } from '../helpers/server.js';
import type { Redis } from 'ioredis';

const START = 1_700_000_000_000;
const t = useServer({ clock: START, resetClock: true, resp3: true });
const { clock, call, call3, callJs } = t;
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

describe('XADD and reading back (ioredis)', () => {
  it('XADD * takes its ID from the server clock, and the next in the same ms one more', async () => {
    expect(await redis.xadd('s', '*', 'name', 'ada', 'age', '36')).toBe(`${START}-0`);
    expect(await redis.xadd('s', '*', 'name', 'bob')).toBe(`${START}-1`);
    clock.advance(5);
    expect(await redis.xadd('s', '*', 'name', 'cy')).toBe(`${START + 5}-0`);
    expect(await redis.xlen('s')).toBe(3);
    expect(await redis.xrange('s', '-', '+')).toEqual([
      [`${START}-0`, ['name', 'ada', 'age', '36']],
      [`${START}-1`, ['name', 'bob']],
      [`${START + 5}-0`, ['name', 'cy']],
    ]);
    expect(await redis.xrevrange('s', '+', '-', 'COUNT', 1)).toEqual([[`${START + 5}-0`, ['name', 'cy']]]);
    expect(await redis.xrange('s', `(${START}-0`, '+', 'COUNT', 1)).toEqual([[`${START}-1`, ['name', 'bob']]]);
    expect(await redis.xrange('s', String(START), String(START))).toHaveLength(2);
  });

  it('keeps to the ID rules: ms-*, the 0-0 error, equal or smaller, the full 64-bit range', async () => {
    expect(await redis.xadd('s', '5-*', 'f', 'v')).toBe('5-0');
    expect(await redis.xadd('s', '5-*', 'f', 'v')).toBe('5-1');
    await expect(redis.xadd('s', '5-1', 'f', 'v')).rejects.toThrow('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    await expect(redis.xadd('t', '0-0', 'f', 'v')).rejects.toThrow('ERR The ID specified in XADD must be greater than 0-0');
    expect(await redis.exists('t')).toBe(0);
    const max = '18446744073709551615';
    expect(await redis.xadd('s', `${max}-*`, 'f', 'v')).toBe(`${max}-0`);
    expect(await redis.xadd('s', `${max}-${max}`, 'f', 'v')).toBe(`${max}-${max}`);
    await expect(redis.xadd('s', '*', 'f', 'v')).rejects.toThrow('ERR The stream has exhausted the last possible ID, unable to add more items');
    expect(await redis.xrange('s', `${max}-1`, '+')).toEqual([[`${max}-${max}`, ['f', 'v']]]);
    await expect(redis.xadd('s', 'x-1', 'f', 'v')).rejects.toThrow('ERR Invalid stream ID specified as stream command argument');
  });

  it('NOMKSTREAM, MAXLEN and MINID, exact and ~, with LIMIT', async () => {
    expect(await redis.xadd('none', 'NOMKSTREAM', '*', 'f', 'v')).toBeNull();
    for (let i = 1; i <= 250; i++) await redis.xadd('s', `${i}-0`, 'f', String(i));
    // 100 entries a node: ~ only drops whole nodes, so 150 stay, then 50.
    expect(await redis.xtrim('s', 'MAXLEN', '~', 120)).toBe(100);
    expect(await redis.xlen('s')).toBe(150);
    expect(await redis.xtrim('s', 'MAXLEN', '~', 10, 'LIMIT', 50)).toBe(0);
    expect(await redis.xtrim('s', 'MAXLEN', '=', 120)).toBe(30);
    expect(await redis.xtrim('s', 'MINID', 200)).toBe(69);
    expect(await redis.xrange('s', '-', '+', 'COUNT', 1)).toEqual([['200-0', ['f', '200']]]);
    expect(await redis.xadd('s', 'MAXLEN', '2', '300-0', 'f', 'x')).toBe('300-0');
    expect(await redis.xlen('s')).toBe(2);
    await expect(redis.xtrim('s', 'MAXLEN', 5, 'LIMIT', 2)).rejects.toThrow('ERR syntax error, LIMIT cannot be used without the special ~ option');
    await expect(redis.call('XTRIM', 's', 'LIMIT', '2')).rejects.toThrow('ERR syntax error, LIMIT cannot be used without specifying a trimming strategy');
    await expect(redis.call('XTRIM', 's', 'LIMIT', '0')).rejects.toThrow('ERR syntax error, XTRIM must be called with a trimming strategy');
  });

  it('XDEL flags entries deleted; ranges skip them', async () => {
    for (let i = 1; i <= 5; i++) await redis.xadd('s', `${i}-0`, 'f', String(i));
    expect(await redis.xdel('s', '2-0', '4-0', '9-0')).toBe(2);
    expect((await redis.xrange('s', '-', '+')).map(([id]) => id)).toEqual(['1-0', '3-0', '5-0']);
    expect((await redis.xrevrange('s', '+', '-')).map(([id]) => id)).toEqual(['5-0', '3-0', '1-0']);
    expect(await redis.xlen('s')).toBe(3);
  });

  it('XRANGE replies with values of any size and kind, and with long ranges, byte for byte', async () => {
    // Values stored as integers, as text, binary, and large enough to outgrow the reply's scratch buffer.
    const big = 'v'.repeat(3 * 1024 * 1024);
    const values = ['0', '042', '123456789012345', '1234567890123456', '-5', '', '\xff\x00\r\n', 'x'.repeat(40), big, 'after'];
    for (const [i, value] of values.entries()) await redis.xadd('s', `${i + 1}-0`, 'f', Buffer.from(value, 'latin1'), 'other', String(i));
    await redis.xadd('s', '20-0', 'not-f', 'z');
    const replies = await redis.xrangeBuffer('s', '-', '+');
    expect(replies.map(([id, fields]) => [id.toString(), fields.map((b) => b.toString('latin1'))])).toEqual([
      ...values.map((value, i) => [`${i + 1}-0`, ['f', value, 'other', String(i)]]),
      ['20-0', ['not-f', 'z']],
    ]);
    // A range longer than one reply piece (64 KB) arrives whole and in order.
    for (let i = 1; i <= 5000; i++) await redis.xadd('long', `${i}-${i}`, 'event', `e${i % 100}`, 'value', String(i * 7));
    const long = await redis.xrange('long', '-', '+');
    expect(long).toHaveLength(5000);
    expect(long[4999]).toEqual(['5000-5000', ['event', 'e0', 'value', '35000']]);
    expect(long.every(([id, fields], i) => id === `${i + 1}-${i + 1}` && fields[3] === String((i + 1) * 7))).toBe(true);
  });

  it('is a type of its own: TYPE, OBJECT ENCODING, WRONGTYPE both ways, COPY, RENAME, MOVE, SCAN TYPE', async () => {
    await redis.xadd('s', '1-0', 'f', 'v');
    await redis.set('str', 'x');
    expect(await redis.type('s')).toBe('stream');
    expect(await redis.object('ENCODING', 's')).toBe('stream');
    await expect(redis.get('s')).rejects.toThrow('WRONGTYPE');
    await expect(redis.xadd('str', '*', 'f', 'v')).rejects.toThrow('WRONGTYPE');
    await expect(redis.xrange('str', '-', '+')).rejects.toThrow('WRONGTYPE');
    expect(await redis.copy('s', 'copy')).toBe(1);
    await redis.xadd('copy', '2-0', 'g', 'w');
    expect(await redis.xlen('s')).toBe(1);
    expect(await redis.xlen('copy')).toBe(2);
    expect(await redis.rename('copy', 'renamed')).toBe('OK');
    expect(await redis.move('renamed', 1)).toBe(1);
    expect(await redis.scan('0', 'TYPE', 'stream')).toEqual(['0', ['s']]);
    expect(await redis.del('s')).toBe(1);
    await redis.select(1);
    expect(await redis.xrange('renamed', '-', '+')).toEqual([
      ['1-0', ['f', 'v']],
      ['2-0', ['g', 'w']],
    ]);
    await redis.flushdb();
    await redis.select(0);
  });

  it('node sizes follow CONFIG SET stream-node-max-entries and stream-node-max-bytes', async () => {
    expect(await redis.config('SET', 'stream-node-max-entries', '10')).toBe('OK');
    for (let i = 1; i <= 35; i++) await redis.xadd('s', `${i}-0`, 'f', 'v');
    expect(await redis.xtrim('s', 'MAXLEN', '~', 1)).toBe(30);
    expect(await redis.config('GET', 'stream-node-max-entries')).toEqual(['stream-node-max-entries', '10']);
    await redis.config('SET', 'stream-node-max-entries', '100');
    expect(await redis.config('SET', 'stream-node-max-bytes', '100')).toBe('OK');
    for (let i = 1; i <= 10; i++) await redis.xadd('b', `${i}-0`, 'field', 'x'.repeat(30));
    // Each node takes what fits in 100 bytes of listpack: two entries here.
    expect(await redis.xtrim('b', 'MAXLEN', '~', 1)).toBe(8);
    await redis.config('SET', 'stream-node-max-bytes', '4096');
  });
});

describe('consumer groups (ioredis)', () => {
  it('XREADGROUP delivers new entries once, and a consumer re-reads its own history', async () => {
    for (let i = 1; i <= 3; i++) await redis.xadd('s', `${i}-0`, 'n', String(i));
    expect(await redis.xgroup('CREATE', 's', 'g', '0')).toBe('OK');
    await expect(redis.xgroup('CREATE', 's', 'g', '0')).rejects.toThrow('BUSYGROUP Consumer Group name already exists');
    expect(await redis.xreadgroup('GROUP', 'g', 'alice', 'COUNT', 2, 'STREAMS', 's', '>')).toEqual([
      ['s', [['1-0', ['n', '1']], ['2-0', ['n', '2']]]],
    ]);
    expect(await redis.xreadgroup('GROUP', 'g', 'bob', 'STREAMS', 's', '>')).toEqual([['s', [['3-0', ['n', '3']]]]]);
    expect(await redis.xreadgroup('GROUP', 'g', 'bob', 'STREAMS', 's', '>')).toBeNull();
    expect(await redis.xreadgroup('GROUP', 'g', 'alice', 'STREAMS', 's', '0')).toEqual([
      ['s', [['1-0', ['n', '1']], ['2-0', ['n', '2']]]],
    ]);
    // An entry deleted while pending comes back in the history with no fields.
    await redis.xdel('s', '1-0');
    expect(await redis.xreadgroup('GROUP', 'g', 'alice', 'STREAMS', 's', '0')).toEqual([['s', [['1-0', null], ['2-0', ['n', '2']]]]]);
    expect(await redis.xack('s', 'g', '1-0', '2-0', '9-0')).toBe(2);
    expect(await redis.xreadgroup('GROUP', 'g', 'alice', 'STREAMS', 's', '0')).toEqual([['s', []]]);
    await expect(redis.xreadgroup('GROUP', 'nope', 'c', 'STREAMS', 's', '>')).rejects.toThrow(
      "NOGROUP No such key 's' or consumer group 'nope' in XREADGROUP with GROUP option",
    );
  });

  it('NOACK reads leave nothing pending; XREAD reads without a group', async () => {
    await redis.xadd('s', '1-0', 'a', '1');
    await redis.xgroup('CREATE', 's', 'g', '0');
    expect(await redis.xreadgroup('GROUP', 'g', 'c', 'NOACK', 'STREAMS', 's', '>')).toEqual([['s', [['1-0', ['a', '1']]]]]);
    expect(await redis.xpending('s', 'g')).toEqual([0, null, null, null]);
    await redis.xadd('t', '5-0', 'b', '2');
    expect(await redis.xread('COUNT', 1, 'STREAMS', 's', 't', '0', '0')).toEqual([
      ['s', [['1-0', ['a', '1']]]],
      ['t', [['5-0', ['b', '2']]]],
    ]);
    expect(await redis.xread('STREAMS', 's', '$')).toBeNull();
  });

  it('XPENDING, XCLAIM and XAUTOCLAIM read and move deliveries on the server clock', async () => {
    for (let i = 1; i <= 4; i++) await redis.xadd('s', `${i}-0`, 'n', String(i));
    await redis.xgroup('CREATE', 's', 'g', '0');
    await redis.xreadgroup('GROUP', 'g', 'alice', 'STREAMS', 's', '>');
    clock.advance(1000);
    expect(await redis.xpending('s', 'g')).toEqual([4, '1-0', '4-0', [['alice', '4']]]);
    expect(await redis.xpending('s', 'g', '-', '+', 2)).toEqual([
      ['1-0', 'alice', 1000, 1],
      ['2-0', 'alice', 1000, 1],
    ]);
    expect(await redis.xpending('s', 'g', 'IDLE', 2000, '-', '+', 10)).toEqual([]);
    expect(await redis.xclaim('s', 'g', 'bob', 500, '1-0', '2-0')).toEqual([
      ['1-0', ['n', '1']],
      ['2-0', ['n', '2']],
    ]);
    expect(await redis.xclaim('s', 'g', 'carol', 500, '1-0')).toEqual([]);
    expect(await redis.xclaim('s', 'g', 'carol', 0, '3-0', 'JUSTID', 'RETRYCOUNT', 7, 'IDLE', 250)).toEqual(['3-0']);
    expect(await redis.xpending('s', 'g', '-', '+', 10)).toEqual([
      ['1-0', 'bob', 0, 2],
      ['2-0', 'bob', 0, 2],
      ['3-0', 'carol', 250, 7],
      ['4-0', 'alice', 1000, 1],
    ]);
    await redis.xdel('s', '2-0');
    expect(await redis.xautoclaim('s', 'g', 'dave', 0, '0', 'COUNT', 2)).toEqual(['3-0', [['1-0', ['n', '1']]], ['2-0']]);
    expect(await redis.xautoclaim('s', 'g', 'dave', 0, '0', 'JUSTID')).toEqual(['0-0', ['1-0', '3-0', '4-0'], []]);
    await expect(redis.xautoclaim('s', 'g', 'dave', 0, '0', 'COUNT', 0)).rejects.toThrow('ERR COUNT must be > 0');
    await expect(redis.xclaim('s', 'g', 'x', 0, '1-0', 'BOGUS')).rejects.toThrow("ERR Unrecognized XCLAIM option 'BOGUS'");
  });

  it('XINFO reports the stream, its groups with entries-read and lag, and consumers with idle times', async () => {
    for (let i = 1; i <= 3; i++) await redis.xadd('s', `${i}-0`, 'n', String(i));
    await redis.xgroup('CREATE', 's', 'g', '0');
    await redis.xgroup('CREATECONSUMER', 's', 'g', 'idle-one');
    await redis.xreadgroup('GROUP', 'g', 'c', 'COUNT', 1, 'STREAMS', 's', '>');
    clock.advance(70);
    expect(await callJs('XINFO', 'GROUPS', 's')).toEqual([
      ['name', 'g', 'consumers', 2, 'pending', 1, 'last-delivered-id', '1-0', 'entries-read', 1, 'lag', 2],
    ]);
    expect(await callJs('XINFO', 'CONSUMERS', 's', 'g')).toEqual([
      ['name', 'c', 'pending', 1, 'idle', 70],
      ['name', 'idle-one', 'pending', 0, 'idle', 70],
    ]);
    // A deletion after the group's last ID makes the lag unknowable.
    await redis.xdel('s', '2-0');
    expect(await callJs('XINFO', 'GROUPS', 's')).toEqual([
      ['name', 'g', 'consumers', 2, 'pending', 1, 'last-delivered-id', '1-0', 'entries-read', 1, 'lag', null],
    ]);
    const info = (await callJs('XINFO', 'STREAM', 's')) as unknown[];
    expect(info.slice(0, 4)).toEqual(['length', 2, 'radix-tree-keys', 1]);
    expect(info.slice(6)).toEqual([
      'last-generated-id', '3-0', 'max-deleted-entry-id', '2-0', 'entries-added', 3, 'recorded-first-entry-id', '1-0',
      'groups', 1, 'first-entry', ['1-0', ['n', '1']], 'last-entry', ['3-0', ['n', '3']],
    ]);
    const full = (await callJs('XINFO', 'STREAM', 's', 'FULL', 'COUNT', '1')) as unknown[];
    expect(full[full.indexOf('entries') + 1]).toEqual([['1-0', ['n', '1']]]);
    const group = (full[full.indexOf('groups') + 1] as unknown[][])[0]!;
    expect(group.slice(0, 12)).toEqual([
      'name', 'g', 'last-delivered-id', '1-0', 'entries-read', 1, 'lag', null, 'pel-count', 1, 'pending', [['1-0', 'c', START, 1]],
    ]);
    expect(await callJs('XINFO', 'STREAM', 'missing')).toEqual(error('ERR no such key'));
  });

  it('XGROUP SETID, DELCONSUMER, DESTROY and XSETID', async () => {
    await redis.xadd('s', '1-0', 'a', '1');
    await redis.xadd('s', '2-0', 'a', '2');
    await redis.xgroup('CREATE', 's', 'g', '$');
    expect(await redis.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 's', '>')).toBeNull();
    expect(await redis.xgroup('SETID', 's', 'g', '0')).toBe('OK');
    await redis.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 's', '>');
    expect(await redis.xgroup('DELCONSUMER', 's', 'g', 'c')).toBe(2);
    expect(await redis.xpending('s', 'g')).toEqual([0, null, null, null]);
    expect(await redis.xgroup('DESTROY', 's', 'g')).toBe(1);
    expect(await redis.xgroup('DESTROY', 's', 'g')).toBe(0);
    await expect(redis.xgroup('SETID', 's', 'g', '0')).rejects.toThrow("NOGROUP No such consumer group 'g' for key name 's'");
    await expect(redis.xgroup('CREATE', 'nokey', 'g', '0')).rejects.toThrow('ERR The XGROUP subcommand requires the key to exist');
    expect(await redis.xgroup('CREATE', 'nokey', 'g', '0', 'MKSTREAM')).toBe('OK');
    expect(await redis.call('XSETID', 's', '10-0', 'ENTRIESADDED', '5', 'MAXDELETEDID', '3-0')).toBe('OK');
    await expect(redis.call('XSETID', 's', '1-0')).rejects.toThrow('ERR The ID specified in XSETID is smaller than the target stream top item');
    expect(await redis.xadd('s', '*', 'b', '1')).toBe(`${START}-0`);
    expect((await callJs('XINFO', 'STREAM', 's') as unknown[]).slice(6, 12)).toEqual([
      'last-generated-id', `${START}-0`, 'max-deleted-entry-id', '3-0', 'entries-added', 6,
    ]);
    const help = (await redis.call('XGROUP', 'HELP')) as string[];
    expect(help[0]).toBe('XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(((await redis.call('XINFO', 'HELP')) as string[]).length).toBe(9);
  });
});

describe('RESP3', () => {
  it('XREAD answers a map of streams; XINFO maps; nulls are RESP3 nulls', async () => {
    await call('XADD', 's', '1-0', 'f', 'v');
    expect(await call3('XREAD', 'STREAMS', 's', '0')).toBe('%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n');
    expect(await call3('XREAD', 'STREAMS', 's', '$')).toBe('_\r\n');
    expect(await call3('XRANGE', 's', '-', '+', 'COUNT', '0')).toBe('_\r\n');
    await call('XGROUP', 'CREATE', 's', 'g', '$');
    expect(await call3('XINFO', 'GROUPS', 's')).toBe(
      '*1\r\n%6\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n_\r\n$3\r\nlag\r\n:0\r\n',
    );
    expect(await call3('XPENDING', 's', 'g')).toBe('*4\r\n:0\r\n_\r\n_\r\n_\r\n');
  });
});

describe('node-redis', () => {
  it('runs a producer and a consumer group through its stream API', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      expect(await client.xAdd('jobs', '1-0', { task: 'a' })).toBe('1-0');
      expect(await client.xAdd('jobs', '2-0', { task: 'b' }, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 100 } })).toBe('2-0');
      expect(await client.xLen('jobs')).toBe(2);
      expect(await client.xGroupCreate('jobs', 'workers', '0')).toBe('OK');
      const read = await client.xReadGroup('workers', 'w1', { key: 'jobs', id: '>' }, { COUNT: 1 });
      expect(read).toEqual([{ name: 'jobs', messages: [{ id: '1-0', message: { task: 'a' } }] }]);
      expect(await client.xAck('jobs', 'workers', '1-0')).toBe(1);
      const pending = await client.xPending('jobs', 'workers');
      expect(pending.pending).toBe(0);
      const range = await client.xRange('jobs', '-', '+');
      expect(range.map((m) => m.id)).toEqual(['1-0', '2-0']);
      const claimed = await client.xAutoClaim('jobs', 'workers', 'w2', 0, '0');
      expect(claimed.messages).toEqual([]);
      const groups = await client.xInfoGroups('jobs');
      expect(groups[0]).toMatchObject({ name: 'workers', consumers: 1, pending: 0, 'last-delivered-id': '1-0' });
      expect(await client.xTrim('jobs', 'MAXLEN', 1)).toBe(1);
      expect(await client.xDel('jobs', '2-0')).toBe(1);
    } finally {
      await client.quit();
    }
  });
});

describe('announcements', () => {
  let notifications: NotificationStream;
  beforeAll(async () => {
    notifications = await openNotificationStream(server.port);
  });
  afterAll(async () => {
    await notifications.close();
    await redis.config('SET', 'notify-keyspace-events', '');
  });

  it('stream writes notify their events (class t)', async () => {
    await redis.config('SET', 'notify-keyspace-events', 'Et');
    await notifications.take();
    await redis.xadd('s', 'MAXLEN', '1', '1-0', 'f', 'v');
    await redis.xadd('s', 'MAXLEN', '1', '2-0', 'f', 'v');
    await redis.xdel('s', '2-0');
    await redis.xadd('s', '3-0', 'f', 'v');
    await redis.xtrim('s', 'MAXLEN', '0');
    await redis.call('XSETID', 's', '9-0');
    await redis.xgroup('CREATE', 's', 'g', '0');
    await redis.xgroup('CREATECONSUMER', 's', 'g', 'c');
    await redis.xgroup('SETID', 's', 'g', '0');
    await redis.xgroup('DELCONSUMER', 's', 'g', 'c');
    // The stream is empty: nothing to serve, so no consumer is created either.
    await redis.xreadgroup('GROUP', 'g', 'new', 'STREAMS', 's', '>');
    await redis.xgroup('DESTROY', 's', 'g');
    const events = (await notifications.take()).map((n) => `${n.channel.replace('__keyevent@0__:', '')} ${n.message}`);
    expect(events).toEqual([
      'xadd s', 'xadd s', 'xtrim s', 'xdel s', 'xadd s', 'xtrim s', 'xsetid s', 'xgroup-create s',
      'xgroup-createconsumer s', 'xgroup-setid s', 'xgroup-delconsumer s', 'xgroup-destroy s',
    ]);
  });

  it('XADD * propagates with the ID it chose; XREADGROUP as XCLAIM with the server time', async () => {
    const recorder = new PropagationRecorder(server.server.propagation);
    try {
      await redis.xadd('s', '*', 'f', 'v');
      await redis.xgroup('CREATE', 's', 'g', '0');
      clock.advance(3);
      await redis.xreadgroup('GROUP', 'g', 'c', 'STREAMS', 's', '>');
      expect(recorder.readFrom(0)).toEqual([
        ['SELECT', '0'],
        ['xadd', 's', `${START}-0`, 'f', 'v'],
        ['xgroup', 'CREATE', 's', 'g', '0'],
        ['XCLAIM', 's', 'g', 'c', '0', `${START}-0`, 'TIME', String(START + 3), 'RETRYCOUNT', '1', 'FORCE', 'JUSTID', 'LASTID', `${START}-0`],
      ]);
    } finally {
      recorder.close();
    }
  });
});
