/**
 * Expiry through real sockets, with a ManualClock so that time moves only
 * when a test says so: EXPIRE and friends with NX/XX/GT/LT, TTL edge cases,
 * lazy expiry (a key read after its time is gone), active expiry (keys
 * nobody touches leave DBSIZE), and TTLs travelling with RENAME, COPY, MOVE
 * and SWAPDB. Expected replies were checked against redis-server 7.0.15.
 */
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import type { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;

const t = useServer({ clock: START, flush: false });
const { clock, call } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
let raw: RawClient;
beforeAll(() => {
  ({ server, redis, raw } = t);
});

beforeEach(async () => {
  // Every test starts at the same instant, so deadlines can be written as START + n.
  clock.set(START);
  server.server.activeExpiry.enabled = true;
  await redis.select(0);
  await raw.call('SELECT', '0');
  await redis.flushall();
});

/** Stops the background cycle, as DEBUG SET-ACTIVE-EXPIRE 0 does, so only lazy expiry acts. */
function pauseActiveExpiry(): void {
  server.server.activeExpiry.enabled = false;
}

function expiredKeys(): number {
  return server.server.keyspace.stats.expiredKeys;
}

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT', () => {
  it('set a relative or absolute deadline', async () => {
    await redis.mset('a', '1', 'b', '2', 'c', '3', 'd', '4');
    expect(await call('EXPIRE', 'a', '100')).toBe(':1\r\n');
    expect(await call('PEXPIRE', 'b', '1500')).toBe(':1\r\n');
    expect(await call('EXPIREAT', 'c', String(START / 1000 + 50))).toBe(':1\r\n');
    expect(await call('PEXPIREAT', 'd', String(START + 2500))).toBe(':1\r\n');
    expect(await redis.pexpiretime('a')).toBe(START + 100_000);
    expect(await redis.pexpiretime('b')).toBe(START + 1500);
    expect(await redis.pexpiretime('c')).toBe(START + 50_000);
    expect(await redis.pexpiretime('d')).toBe(START + 2500);
  });

  it('answer 0 for a missing key', async () => {
    for (const command of ['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']) {
      expect(await call(command, 'missing', '100'), command).toBe(':0\r\n');
    }
  });

  it('delete the key at once for a time not in the future, without counting an expiry', async () => {
    const before = expiredKeys();
    await redis.mset('a', '1', 'b', '2', 'c', '3', 'd', '4');
    expect(await call('EXPIRE', 'a', '0')).toBe(':1\r\n');
    expect(await call('PEXPIRE', 'b', '-100')).toBe(':1\r\n');
    expect(await call('EXPIREAT', 'c', '1')).toBe(':1\r\n');
    expect(await call('PEXPIREAT', 'd', String(START))).toBe(':1\r\n');
    expect(await redis.dbsize()).toBe(0);
    expect(expiredKeys()).toBe(before);
  });

  it('NX sets only without a TTL, XX only with one', async () => {
    await redis.set('k', 'v');
    expect(await call('EXPIRE', 'k', '100', 'XX')).toBe(':0\r\n');
    expect(await redis.ttl('k')).toBe(-1);
    expect(await call('EXPIRE', 'k', '100', 'NX')).toBe(':1\r\n');
    expect(await call('EXPIRE', 'k', '200', 'nx')).toBe(':0\r\n');
    expect(await call('EXPIRE', 'k', '200', 'xx')).toBe(':1\r\n');
    expect(await redis.ttl('k')).toBe(200);
  });

  it('GT only lengthens an existing TTL; LT shortens, and sets one where there was none', async () => {
    await redis.set('k', 'v');
    expect(await call('EXPIRE', 'k', '100', 'GT')).toBe(':0\r\n');
    expect(await redis.ttl('k')).toBe(-1);
    expect(await call('EXPIRE', 'k', '100', 'LT')).toBe(':1\r\n');
    expect(await call('EXPIRE', 'k', '50', 'GT')).toBe(':0\r\n');
    expect(await call('EXPIRE', 'k', '100', 'GT')).toBe(':0\r\n');
    expect(await call('EXPIRE', 'k', '200', 'GT')).toBe(':1\r\n');
    expect(await call('EXPIRE', 'k', '200', 'LT')).toBe(':0\r\n');
    expect(await call('EXPIRE', 'k', '150', 'LT')).toBe(':1\r\n');
    expect(await call('EXPIRE', 'k', '150', 'XX', 'GT')).toBe(':0\r\n');
    expect(await call('EXPIRE', 'k', '160', 'XX', 'GT')).toBe(':1\r\n');
    expect(await redis.ttl('k')).toBe(160);
  });

  it('LT with a time in the past still deletes the key', async () => {
    await redis.set('k', 'v');
    expect(await call('EXPIRE', 'k', '-1', 'LT')).toBe(':1\r\n');
    expect(await redis.exists('k')).toBe(0);
  });

  it('reject incompatible options before reading the time', async () => {
    await redis.set('k', 'v');
    const nx = '-ERR NX and XX, GT or LT options at the same time are not compatible\r\n';
    expect(await call('EXPIRE', 'k', '100', 'NX', 'XX')).toBe(nx);
    expect(await call('EXPIRE', 'k', '100', 'nx', 'gt')).toBe(nx);
    expect(await call('PEXPIRE', 'k', '100', 'LT', 'NX')).toBe(nx);
    expect(await call('EXPIRE', 'k', '100', 'xx', 'gt', 'lt')).toBe('-ERR GT and LT options at the same time are not compatible\r\n');
    expect(await call('EXPIRE', 'missing', 'abc', 'NX', 'XX')).toBe(nx);
    expect(await call('EXPIRE', 'k', 'abc', 'FOO')).toBe('-ERR Unsupported option FOO\r\n');
    expect(await call('EXPIRE', 'k', '100', 'NX', 'NX')).toBe(':1\r\n');
  });

  it('name an unsupported option as given, up to a NUL byte', async () => {
    await redis.set('k', 'v');
    expect(await call('EXPIREAT', 'k', '100', 'later')).toBe('-ERR Unsupported option later\r\n');
    expect(await call('EXPIRE', 'k', '100', 'FOO\x00BAR')).toBe('-ERR Unsupported option FOO\r\n');
  });

  it('reject a time that is not an integer', async () => {
    await redis.set('k', 'v');
    for (const time of ['abc', '1.5', '', ' 1', '9223372036854775808']) {
      expect(await call('EXPIRE', 'k', time), time).toBe('-ERR value is not an integer or out of range\r\n');
    }
    expect(await call('EXPIRE', 'missing', 'abc')).toBe('-ERR value is not an integer or out of range\r\n');
  });

  it('reject times that overflow int64 milliseconds, naming the command', async () => {
    await redis.set('k', 'v');
    expect(await call('EXPIRE', 'k', '9223372036854775')).toBe("-ERR invalid expire time in 'expire' command\r\n");
    expect(await call('EXPIRE', 'k', '9223372036854776')).toBe("-ERR invalid expire time in 'expire' command\r\n");
    expect(await call('EXPIRE', 'k', '-9223372036854776')).toBe("-ERR invalid expire time in 'expire' command\r\n");
    expect(await call('PEXPIRE', 'k', '9223372036854775807')).toBe("-ERR invalid expire time in 'pexpire' command\r\n");
    expect(await call('EXPIREAT', 'k', '9223372036854776')).toBe("-ERR invalid expire time in 'expireat' command\r\n");
    expect(await call('EXPIRE', 'missing', '9223372036854776')).toBe("-ERR invalid expire time in 'expire' command\r\n");
    expect(await redis.ttl('k')).toBe(-1);
  });

  it('accept the extremes that do not overflow', async () => {
    await redis.set('k', 'v');
    expect(await call('EXPIREAT', 'k', '9223372036854775')).toBe(':1\r\n');
    expect(await call('EXPIRETIME', 'k')).toBe(':9223372036854775\r\n');
    expect(await call('PEXPIREAT', 'k', '9223372036854775807')).toBe(':1\r\n');
    expect(await call('EXPIRETIME', 'k')).toBe(':9223372036854776\r\n');
    // The most negative seconds that survive the unit conversion delete the key.
    expect(await call('EXPIRE', 'k', '-9223372036854775')).toBe(':1\r\n');
    expect(await redis.exists('k')).toBe(0);
  });

  it('need a key and a time', async () => {
    expect(await call('EXPIRE', 'k')).toBe("-ERR wrong number of arguments for 'expire' command\r\n");
    expect(await call('PEXPIREAT', 'k')).toBe("-ERR wrong number of arguments for 'pexpireat' command\r\n");
  });
});

describe('TTL, PTTL, EXPIRETIME, PEXPIRETIME', () => {
  it('answer -2 for a missing key and -1 for a key without TTL', async () => {
    await redis.set('persistent', 'v');
    for (const command of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
      expect(await call(command, 'missing'), command).toBe(':-2\r\n');
      expect(await call(command, 'persistent'), command).toBe(':-1\r\n');
    }
  });

  it('round seconds to the nearest', async () => {
    await redis.set('k', 'v');
    await redis.pexpire('k', 1499);
    expect(await redis.ttl('k')).toBe(1);
    await redis.pexpire('k', 1500);
    expect(await redis.ttl('k')).toBe(2);
    await redis.pexpire('k', 499);
    expect(await redis.ttl('k')).toBe(0);
    expect(await redis.pttl('k')).toBe(499);
    await redis.pexpireat('k', START + 4_000_000_499);
    expect(await redis.expiretime('k')).toBe(START / 1000 + 4_000_000);
    await redis.pexpireat('k', START + 4_000_000_500);
    expect(await redis.expiretime('k')).toBe(START / 1000 + 4_000_001);
  });

  it('count down with the clock while the absolute times stay put', async () => {
    await redis.set('k', 'v');
    await redis.expire('k', 10);
    clock.advance(3200);
    expect(await redis.pttl('k')).toBe(6800);
    expect(await redis.ttl('k')).toBe(7);
    expect(await redis.expiretime('k')).toBe(START / 1000 + 10);
    expect(await redis.pexpiretime('k')).toBe(START + 10_000);
  });

  it('answer -2 once the key has expired', async () => {
    await redis.set('k', 'v');
    await redis.pexpire('k', 100);
    clock.advance(101);
    for (const command of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
      expect(await call(command, 'k'), command).toBe(':-2\r\n');
    }
  });
});

describe('PERSIST', () => {
  it('removes a TTL: 1, then 0 when there is none or no key', async () => {
    await redis.set('k', 'v');
    await redis.expire('k', 100);
    expect(await call('PERSIST', 'k')).toBe(':1\r\n');
    expect(await redis.ttl('k')).toBe(-1);
    expect(await call('PERSIST', 'k')).toBe(':0\r\n');
    expect(await call('PERSIST', 'missing')).toBe(':0\r\n');
    clock.advance(200_000);
    expect(await redis.get('k')).toBe('v');
  });

  it('cannot save a key that already expired', async () => {
    await redis.set('k', 'v');
    await redis.pexpire('k', 10);
    clock.advance(20);
    expect(await call('PERSIST', 'k')).toBe(':0\r\n');
    expect(await redis.exists('k')).toBe(0);
  });
});

describe('lazy expiry', () => {
  it('hides and deletes an expired key on access, counting it as expired', async () => {
    pauseActiveExpiry();
    await redis.mset('a', '1', 'b', '2');
    await redis.pexpire('a', 1000);
    clock.advance(999);
    expect(await redis.get('a')).toBe('1');
    clock.advance(2);
    const before = expiredKeys();
    // Untouched, the key still occupies its slot...
    expect(await redis.dbsize()).toBe(2);
    // ...until something looks at it.
    expect(await redis.exists('a')).toBe(0);
    expect(await redis.dbsize()).toBe(1);
    expect(expiredKeys()).toBe(before + 1);
  });

  it('every key command sees an expired key as missing', async () => {
    pauseActiveExpiry();
    const cases: Array<[string[], string]> = [
      [['TYPE', 'k'], '+none\r\n'],
      [['TOUCH', 'k'], ':0\r\n'],
      [['DEL', 'k'], ':0\r\n'],
      [['UNLINK', 'k'], ':0\r\n'],
      [['EXPIRE', 'k', '100'], ':0\r\n'],
      [['RENAME', 'k', 'x'], '-ERR no such key\r\n'],
      [['COPY', 'k', 'x'], ':0\r\n'],
      [['MOVE', 'k', '1'], ':0\r\n'],
      [['OBJECT', 'ENCODING', 'k'], '$-1\r\n'],
    ];
    for (const [command, reply] of cases) {
      await redis.set('k', 'v', 'PX', 10);
      clock.advance(11);
      expect(await call(...command), command.join(' ')).toBe(reply);
      expect(await redis.exists('x')).toBe(0);
    }
  });

  it('an expired destination does not block RENAMENX, COPY or MOVE', async () => {
    pauseActiveExpiry();
    await redis.mset('src', 'new', 'c', 'copy', 'm', 'move');
    await redis.set('dst', 'old', 'PX', 10);
    await redis.set('c2', 'old', 'PX', 10);
    await raw.call('SELECT', '1');
    await raw.call('SET', 'm', 'old', 'PX', '10');
    await raw.call('SELECT', '0');
    clock.advance(11);
    expect(await redis.renamenx('src', 'dst')).toBe(1);
    expect(await redis.copy('c', 'c2')).toBe(1);
    expect(await redis.move('m', '1')).toBe(1);
    expect(await redis.mget('dst', 'c2')).toEqual(['new', 'copy']);
  });

  it('KEYS skips expired keys without deleting them', async () => {
    pauseActiveExpiry();
    await redis.mset('a', '1', 'b', '2');
    await redis.pexpire('a', 5);
    clock.advance(10);
    const before = expiredKeys();
    expect(await redis.keys('*')).toEqual(['b']);
    expect(await redis.dbsize()).toBe(2);
    expect(expiredKeys()).toBe(before);
  });

  it('SCAN never returns an expired key', async () => {
    pauseActiveExpiry();
    for (let i = 0; i < 20; i++) await redis.set(`k${i}`, 'v', 'PX', i % 2 === 0 ? 5 : 100_000);
    clock.advance(10);
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 3);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
    expect(found.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${2 * i + 1}`).sort());
  });

  it('RANDOMKEY never returns an expired key', async () => {
    pauseActiveExpiry();
    await redis.set('gone', 'v', 'PX', 5);
    clock.advance(10);
    expect(await call('RANDOMKEY')).toBe('$-1\r\n');
    await redis.set('gone2', 'v', 'PX', 5);
    await redis.set('live', 'v');
    clock.advance(10);
    for (let i = 0; i < 10; i++) expect(await redis.randomkey()).toBe('live');
  });
});

describe('active expiry', () => {
  it('removes keys nobody touches from DBSIZE', async () => {
    pauseActiveExpiry();
    const pipeline = redis.pipeline();
    for (let i = 0; i < 500; i++) pipeline.set(`volatile:${i}`, 'v', 'PX', 1000);
    for (let i = 0; i < 10; i++) pipeline.set(`persistent:${i}`, 'v');
    await pipeline.exec();
    clock.advance(2000);
    expect(await redis.dbsize()).toBe(510);

    // Only this test's cycle() calls may run: the background timer would
    // otherwise delete some keys first and the count below would be short.
    const activeExpiry = server.server.activeExpiry;
    activeExpiry.stop();
    activeExpiry.enabled = true;
    try {
      let deleted = 0;
      for (let i = 0; i < 100 && (await redis.dbsize()) > 10; i++) deleted += activeExpiry.cycle();
      expect(deleted).toBe(500);
      expect(await redis.dbsize()).toBe(10);
    } finally {
      activeExpiry.start(server.server.config.get('hz'));
    }
  });

  it('leaves keys whose time has not come', async () => {
    await redis.set('soon', 'v', 'PX', 1000);
    await redis.set('later', 'v', 'PX', 5000);
    clock.advance(2000);
    server.server.activeExpiry.cycle();
    expect(await redis.dbsize()).toBe(1);
    expect(await redis.exists('later')).toBe(1);
  });
});

describe('TTLs travel with the value', () => {
  it('RENAME and RENAMENX keep the deadline', async () => {
    await redis.set('a', 'v', 'PX', 5000);
    await redis.rename('a', 'b');
    expect(await redis.pexpiretime('b')).toBe(START + 5000);
    await redis.renamenx('b', 'c');
    expect(await redis.pexpiretime('c')).toBe(START + 5000);
    clock.advance(5001);
    expect(await redis.exists('c')).toBe(0);
  });

  it('COPY gives the copy the same deadline', async () => {
    await redis.set('a', 'v', 'PX', 5000);
    await redis.copy('a', 'b');
    await redis.call('COPY', 'a', 'a', 'DB', '4');
    expect(await redis.pexpiretime('b')).toBe(START + 5000);
    await raw.call('SELECT', '4');
    expect(await call('PEXPIRETIME', 'a')).toBe(`:${START + 5000}\r\n`);
  });

  it('COPY REPLACE drops the old destination\'s TTL when the source has none', async () => {
    await redis.set('a', 'v');
    await redis.set('b', 'old', 'PX', 5000);
    await redis.call('COPY', 'a', 'b', 'REPLACE');
    expect(await redis.pttl('b')).toBe(-1);
  });

  it('MOVE keeps the deadline', async () => {
    await redis.set('a', 'v', 'PX', 5000);
    await redis.move('a', '2');
    await raw.call('SELECT', '2');
    expect(await call('PEXPIRETIME', 'a')).toBe(`:${START + 5000}\r\n`);
  });

  it('SWAPDB swaps the TTLs along with the keys, and they still expire', async () => {
    await redis.set('a', 'v', 'PX', 5000);
    await redis.swapdb(0, 9);
    expect(await redis.exists('a')).toBe(0);
    await raw.call('SELECT', '9');
    expect(await call('PTTL', 'a')).toBe(':5000\r\n');
    clock.advance(6000);
    server.server.activeExpiry.cycle();
    expect(await call('DBSIZE')).toBe(':0\r\n');
  });
});
