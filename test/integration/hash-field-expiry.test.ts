/**
 * Hash-field expiration (Redis 7.4) and Redis 8.0's HGETDEL, HGETEX and
 * HSETEX, through real sockets, on a ManualClock so that fields expire
 * only when a test moves time.
 *
 * redis-server 7.0.15 has none of these commands, so the expected replies
 * come from Redis's source; each test names what it checks:
 * - `7.4.1:src/t_hash.c` (git -C /work/.mirror/redis+redis/repo show
 *   7.4.1:src/t_hash.c): hexpireGenericCommand, httlGenericCommand,
 *   hpersistCommand, hashTypeSetExpiryListpack/HT, listpackExAddInternal;
 * - the 8.0 `src/t_hash.c` of redis/redis (read with read_file):
 *   parseExpireTime, hsetexParseArgs, hsetexCommand, hgetdelCommand,
 *   hgetexCommand, hincrbyCommand (HASH_SET_KEEP_TTL);
 * - `src/commands/{hexpire,httl,hpersist,hgetex,hsetex}.json` and
 *   redis.io/commands/hgetdel for arity, flags and `since`.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RedisHash } from '../../src/store/hash.js';
import { openNotificationStream, describeNotification, type NotificationStream } from '../helpers/notification-stream.js';
import { replyToJs } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const START_S = START / 1000;

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
// 7.4.1:src/t_hash.c hexpireGenericCommand / httlGenericCommand / hpersistCommand
const FIELDS_MISSING = '-ERR Mandatory argument FIELDS is missing or not at the right position\r\n';
const NUMFIELDS_MISMATCH = '-ERR The `numfields` parameter must match the number of arguments\r\n';
const HEXPIRE_NUMFIELDS = '-ERR Parameter `numFields` should be greater than 0\r\n';
const NUMFIELDS_POSITIVE = '-ERR Number of fields must be a positive integer\r\n';
const EXPIRE_NEGATIVE = '-ERR invalid expire time, must be >= 0\r\n';

const t = useServer({ clock: START, resetClock: true, resp3: true });
const { clock, call, call3, callJs } = t;
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

beforeEach(async () => {
  server.server.activeExpiry.enabled = false;
  await call('CONFIG', 'SET', 'hash-max-listpack-entries', '128');
  await call('CONFIG', 'SET', 'hash-max-listpack-value', '64');
  await call('CONFIG', 'SET', 'notify-keyspace-events', '');
});

function ints(...values: number[]): string {
  return `*${values.length}\r\n` + values.map((v) => `:${v}\r\n`).join('');
}

function bulks(...items: Array<string | null>): string {
  return `*${items.length}\r\n` + items.map((s) => (s === null ? '$-1\r\n' : `$${s.length}\r\n${s}\r\n`)).join('');
}

/** h = {a: 1, b: 2, c: 3}, fields in that order. */
async function abc(key = 'h'): Promise<void> {
  await redis.hset(key, 'a', '1', 'b', '2', 'c', '3');
}

describe('HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT', () => {
  it('answer 1 per field set, -2 per missing field, and a missing key -2 for every field', async () => {
    await abc();
    expect(await call('HEXPIRE', 'h', '100', 'FIELDS', '2', 'a', 'nope')).toBe(ints(1, -2));
    expect(await call('HPEXPIRE', 'h', '1500', 'FIELDS', '1', 'b')).toBe(ints(1));
    expect(await call('HEXPIREAT', 'h', String(START_S + 50), 'FIELDS', '1', 'c')).toBe(ints(1));
    expect(await call('HPEXPIRETIME', 'h', 'FIELDS', '3', 'a', 'b', 'c')).toBe(ints(START + 100_000, START + 1500, START + 50_000));
    expect(await call('HPEXPIREAT', 'h', String(START + 2500), 'FIELDS', '1', 'b')).toBe(ints(1));
    expect(await call('HPEXPIRETIME', 'h', 'FIELDS', '1', 'b')).toBe(ints(START + 2500));
    expect(await call('HEXPIRE', 'missing', '100', 'FIELDS', '2', 'a', 'b')).toBe(ints(-2, -2));
    expect(await redis.exists('missing')).toBe(0);
  });

  it('NX, XX, GT and LT answer 0 when their condition fails; a field without TTL passes NX and LT only', async () => {
    // hashTypeSetExpiryListpack: "For fields without expiry, LT condition is considered valid"
    await abc();
    expect(await call('HEXPIRE', 'h', '100', 'XX', 'FIELDS', '1', 'a')).toBe(ints(0));
    expect(await call('HEXPIRE', 'h', '100', 'GT', 'FIELDS', '1', 'a')).toBe(ints(0));
    expect(await call('HEXPIRE', 'h', '100', 'LT', 'FIELDS', '1', 'a')).toBe(ints(1));
    expect(await call('HEXPIRE', 'h', '100', 'NX', 'FIELDS', '2', 'a', 'b')).toBe(ints(0, 1));
    expect(await call('HEXPIRE', 'h', '200', 'xx', 'FIELDS', '1', 'a')).toBe(ints(1));
    expect(await call('HEXPIRE', 'h', '150', 'gt', 'FIELDS', '1', 'a')).toBe(ints(0));
    expect(await call('HEXPIRE', 'h', '200', 'GT', 'FIELDS', '1', 'a')).toBe(ints(0));
    expect(await call('HEXPIRE', 'h', '300', 'GT', 'FIELDS', '1', 'a')).toBe(ints(1));
    expect(await call('HEXPIRE', 'h', '300', 'LT', 'FIELDS', '1', 'a')).toBe(ints(0));
    expect(await call('HEXPIRE', 'h', '250', 'LT', 'FIELDS', '1', 'a')).toBe(ints(1));
    expect(await call('HTTL', 'h', 'FIELDS', '3', 'a', 'b', 'c')).toBe(ints(250, 100, -1));
  });

  it('delete a field whose new time is not in the future (2), and the key with its last field', async () => {
    // checkAlreadyExpired: when <= now deletes
    await abc();
    const expiredBefore = server.server.keyspace.stats.expiredSubkeys;
    expect(await call('HPEXPIREAT', 'h', String(START), 'FIELDS', '1', 'a')).toBe(ints(2));
    expect(await call('HEXPIRE', 'h', '0', 'FIELDS', '2', 'b', 'x')).toBe(ints(2, -2));
    expect(await redis.hgetall('h')).toEqual({ c: '3' });
    expect(await call('HEXPIREAT', 'h', '1', 'FIELDS', '1', 'c')).toBe(ints(2));
    expect(await redis.exists('h')).toBe(0);
    expect(server.server.keyspace.stats.expiredSubkeys - expiredBefore).toBe(3);
  });

  it('refuse malformed FIELDS blocks with Redis 7.4 texts', async () => {
    await abc();
    expect(await call('HEXPIRE', 'h', '10', 'FIELD', '1', 'a')).toBe(FIELDS_MISSING);
    expect(await call('HEXPIRE', 'h', '10', 'NX', '1', 'a', 'b')).toBe(FIELDS_MISSING);
    expect(await call('HEXPIRE', 'h', '10', 'FIELDS', '0', 'a')).toBe(HEXPIRE_NUMFIELDS);
    expect(await call('HEXPIRE', 'h', '10', 'FIELDS', 'x', 'a')).toBe(HEXPIRE_NUMFIELDS);
    expect(await call('HEXPIRE', 'h', '10', 'FIELDS', '-1', 'a')).toBe(HEXPIRE_NUMFIELDS);
    expect(await call('HEXPIRE', 'h', '10', 'FIELDS', '2', 'a')).toBe(NUMFIELDS_MISMATCH);
    expect(await call('HEXPIRE', 'h', '10', 'FIELDS', '1', 'a', 'b')).toBe(NUMFIELDS_MISMATCH);
    expect(await call('HEXPIRE', 'h', '10', 'FIELDS', '1')).toBe("-ERR wrong number of arguments for 'hexpire' command\r\n");
  });

  it('refuse bad times: not an integer, negative, or past HFE_MAX_ABS_TIME_MSEC', async () => {
    // 8.0 parseExpireTime; HFE_MAX_ABS_TIME_MSEC = EB_EXPIRE_TIME_MAX >> 2 = 70368744177663
    await abc();
    expect(await call('HEXPIRE', 'h', 'soon', 'FIELDS', '1', 'a')).toBe(NOT_INTEGER);
    expect(await call('HEXPIRE', 'h', '-1', 'FIELDS', '1', 'a')).toBe(EXPIRE_NEGATIVE);
    expect(await call('HPEXPIREAT', 'h', '-5', 'FIELDS', '1', 'a')).toBe(EXPIRE_NEGATIVE);
    expect(await call('HEXPIREAT', 'h', '70368744178', 'FIELDS', '1', 'a')).toBe("-ERR invalid expire time in 'hexpireat' command\r\n");
    expect(await call('HPEXPIREAT', 'h', '70368744177663', 'FIELDS', '1', 'a')).toBe(ints(1));
    expect(await call('HPEXPIREAT', 'h', '70368744177664', 'FIELDS', '1', 'a')).toBe("-ERR invalid expire time in 'hpexpireat' command\r\n");
    expect(await call('HPEXPIRE', 'h', String(70368744177663 - START), 'FIELDS', '1', 'a')).toBe(ints(1));
    expect(await call('HPEXPIRE', 'h', String(70368744177664 - START), 'FIELDS', '1', 'a')).toBe("-ERR invalid expire time in 'hpexpire' command\r\n");
    expect(await call('HEXPIRE', 'h', '99999999999999999999', 'FIELDS', '1', 'a')).toBe(NOT_INTEGER);
  });

  it('answer WRONGTYPE for a key that is not a hash, before checking the rest', async () => {
    await redis.set('s', 'v');
    expect(await call('HEXPIRE', 's', '10', 'FIELDS', '1', 'a')).toBe(WRONGTYPE);
    expect(await call('HEXPIRE', 's', 'x', 'FIELDS', '1', 'a')).toBe(WRONGTYPE);
    expect(await call('HPERSIST', 's', 'FIELDS', '1', 'a')).toBe(WRONGTYPE);
    expect(await call('HTTL', 's', 'FIELDS', '1', 'a')).toBe(WRONGTYPE);
  });
});

describe('HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME', () => {
  it('answer the remaining time, rounded up to seconds, or the deadline; -1 without TTL, -2 without field', async () => {
    // httlGenericCommand: (expire + 999 - basetime) / 1000 for seconds
    await abc();
    await call('HPEXPIRE', 'h', '1500', 'FIELDS', '1', 'a');
    clock.advance(200);
    expect(await call('HTTL', 'h', 'FIELDS', '3', 'a', 'b', 'x')).toBe(ints(2, -1, -2));
    expect(await call('HPTTL', 'h', 'FIELDS', '3', 'a', 'b', 'x')).toBe(ints(1300, -1, -2));
    expect(await call('HEXPIRETIME', 'h', 'FIELDS', '1', 'a')).toBe(ints(Math.trunc((START + 1500 + 999) / 1000)));
    expect(await call('HPEXPIRETIME', 'h', 'FIELDS', '2', 'a', 'b')).toBe(ints(START + 1500, -1));
    expect(await call('HTTL', 'missing', 'FIELDS', '2', 'a', 'b')).toBe(ints(-2, -2));
  });

  it('read option names as strcasecmp does: any case, and only up to a NUL byte', async () => {
    await abc();
    expect(await call('HTTL', 'h', 'fIeLdS', '1', 'a')).toBe(ints(-1));
    expect(await call('HTTL', 'h', 'FIELDS\0junk', '1', 'a')).toBe(ints(-1));
    expect(await call('HEXPIRE', 'h', '10', 'nX\0', 'FIELDS', '1', 'a')).toBe(ints(1));
    expect(await call('HGETEX', 'h', 'pErSiSt', 'FIELDS', '1', 'a')).toBe(bulks('1'));
    expect(await call('HSETEX', 'h', 'kEePtTl', 'fnx', 'FIELDS', '1', 'z', '1')).toBe(':1\r\n');
  });

  it('check FIELDS and numfields with their own texts', async () => {
    await abc();
    for (const command of ['HTTL', 'HPTTL', 'HEXPIRETIME', 'HPEXPIRETIME']) {
      expect(await call(command, 'h', 'FIELD', '1', 'a'), command).toBe(FIELDS_MISSING);
      expect(await call(command, 'h', 'FIELDS', '0', 'a'), command).toBe(NUMFIELDS_POSITIVE);
      expect(await call(command, 'h', 'FIELDS', '2', 'a'), command).toBe(NUMFIELDS_MISMATCH);
    }
  });
});

describe('HPERSIST', () => {
  it('answers 1 when it removed a TTL, -1 for a field without one, -2 for none', async () => {
    // hpersistCommand: HFE_PERSIST_OK / NO_TTL / NO_FIELD
    await abc();
    await call('HEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    expect(await call('HPERSIST', 'h', 'FIELDS', '3', 'a', 'b', 'x')).toBe(ints(1, -1, -2));
    expect(await call('HTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(-1));
    expect(await call('HPERSIST', 'missing', 'FIELDS', '1', 'a')).toBe(ints(-2));
    expect(await call('HPERSIST', 'h', 'FIELDS', '0', 'a')).toBe(NUMFIELDS_POSITIVE);
    expect(await call('HPERSIST', 'h', 'x', '1', 'a')).toBe(FIELDS_MISSING);
    clock.advance(200_000);
    expect(await redis.hgetall('h')).toEqual({ a: '1', b: '2', c: '3' });
  });
});

describe('lazy expiry: no read ever shows an expired field', () => {
  beforeEach(async () => {
    await redis.hset('h', 'a', '1', 'b', '22', 'c', '333', 'd', '4444');
    await call('HPEXPIRE', 'h', '100', 'FIELDS', '2', 'a', 'c');
    clock.advance(101);
  });

  it('HGET, HMGET, HEXISTS, HSTRLEN', async () => {
    expect(await redis.hget('h', 'a')).toBeNull();
    expect(await redis.hget('h', 'b')).toBe('22');
    expect(await redis.hmget('h', 'a', 'b', 'c', 'd')).toEqual([null, '22', null, '4444']);
    expect(await redis.hexists('h', 'c')).toBe(0);
    expect(await redis.hstrlen('h', 'c')).toBe(0);
  });

  it('HGETALL, HKEYS, HVALS, HLEN, HSCAN, HRANDFIELD', async () => {
    expect(await redis.hgetall('h')).toEqual({ b: '22', d: '4444' });
    expect(await redis.hkeys('h')).toEqual(['b', 'd']);
    expect(await redis.hvals('h')).toEqual(['22', '4444']);
    expect(await redis.hlen('h')).toBe(2);
    expect(await redis.hscan('h', '0')).toEqual(['0', ['b', '22', 'd', '4444']]);
    expect((await redis.hrandfield('h', 10)) as string[]).toEqual(['b', 'd']);
    for (let i = 0; i < 20; i++) expect(['b', 'd']).toContain(await redis.hrandfield('h'));
  });

  it('SORT BY and GET on hash fields', async () => {
    await redis.rpush('ids', '1', '2');
    await redis.hset('w1', 'n', '5', 'gone', 'x');
    await redis.hset('w2', 'n', '3', 'gone', 'y');
    await call('HPEXPIRE', 'w1', '10', 'FIELDS', '1', 'gone');
    await call('HPEXPIRE', 'w2', '10', 'FIELDS', '1', 'n');
    clock.advance(11);
    expect(await redis.sort('ids', 'BY', 'w*->n', 'GET', '#', 'GET', 'w*->gone', 'GET', 'w*->n')).toEqual(['2', 'y', null, '1', null, '5']);
  });

  it('the hash goes with its last field: EXISTS, TYPE and DBSIZE-visible reads agree', async () => {
    await call('HPEXPIRE', 'h', '1', 'FIELDS', '2', 'b', 'd');
    clock.advance(2);
    expect(await redis.exists('h')).toBe(0);
    expect(await redis.type('h')).toBe('none');
    expect(await redis.dbsize()).toBe(0);
  });

  it('a write after expiry starts from the surviving fields (HSETNX, HINCRBY, HSET)', async () => {
    expect(await redis.hsetnx('h', 'a', 'new')).toBe(1);
    expect(await redis.hincrby('h', 'c', 5)).toBe(5);
    expect(await redis.hgetall('h')).toEqual({ b: '22', d: '4444', a: 'new', c: '5' });
  });
});

describe('active expiry', () => {
  it('deletes due fields of hashes nobody reads, and the hash with its last field', async () => {
    await redis.hset('h', 'a', '1', 'b', '2');
    await redis.hset('g', 'x', '1');
    await call('HPEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    await call('HPEXPIRE', 'g', '50', 'FIELDS', '1', 'x');
    const db = t.db();
    const expiredBefore = server.server.keyspace.stats.expiredSubkeys;
    clock.advance(101);
    server.server.activeExpiry.enabled = true;
    server.server.activeExpiry.cycle();
    // Straight from the store: no lookup has run since the clock moved.
    expect(db.dict.get('g')).toBeUndefined();
    const h = db.dict.get('h') as RedisHash;
    expect([...h.fields()]).toEqual(['b']);
    expect(server.server.keyspace.stats.expiredSubkeys - expiredBefore).toBe(2);
  });

  it('reaches a hash renamed, moved, copied or swapped into another database', async () => {
    for (const key of ['r', 'm', 'c']) {
      await redis.hset(key, 'a', '1', 'b', '2');
      await call('HPEXPIRE', key, '100', 'FIELDS', '1', 'a');
    }
    await redis.rename('r', 'r2');
    await redis.move('m', 1);
    await call('COPY', 'c', 'c2', 'DB', '2');
    await redis.swapdb(2, 3);
    expect(await call('HPTTL', 'r2', 'FIELDS', '1', 'a')).toBe(ints(100));
    clock.advance(101);
    server.server.activeExpiry.enabled = true;
    server.server.activeExpiry.cycle();
    for (const [index, key] of [[0, 'r2'], [1, 'm'], [0, 'c'], [3, 'c2']] as const) {
      expect([...(t.db(index).dict.get(key) as RedisHash).fields()], `${key} in db ${index}`).toEqual(['b']);
    }
  });

  it('stays within its share of fields per cycle (10000 per second over hz)', async () => {
    const fields: string[] = [];
    for (let i = 0; i < 1500; i++) fields.push(`f${i}`, 'v');
    await redis.hset('big', ...fields);
    await call('HPEXPIRE', 'big', '10', 'FIELDS', '1500', ...fields.filter((_, i) => i % 2 === 0));
    clock.advance(11);
    server.server.activeExpiry.enabled = true;
    server.server.activeExpiry.cycle();
    expect((t.db().dict.get('big') as RedisHash).size).toBe(500);
    server.server.activeExpiry.cycle();
    expect(t.db().dict.get('big')).toBeUndefined();
  });
});

describe('TTLs and the other hash commands', () => {
  it('HSET, HMSET and HSETNX-free overwrites drop the TTL; HINCRBY and HINCRBYFLOAT keep it', async () => {
    // hashTypeSet without HASH_SET_KEEP_TTL; hincrbyCommand / hincrbyfloatCommand pass HASH_SET_KEEP_TTL (8.0)
    await redis.hset('h', 'a', '1', 'b', '2', 'c', '3', 'd', '1.5');
    await call('HEXPIRE', 'h', '100', 'FIELDS', '4', 'a', 'b', 'c', 'd');
    await redis.hset('h', 'a', 'x');
    await redis.hmset('h', 'b', 'y');
    await redis.hincrby('h', 'c', 2);
    await redis.hincrbyfloat('h', 'd', 1);
    expect(await call('HTTL', 'h', 'FIELDS', '4', 'a', 'b', 'c', 'd')).toBe(ints(-1, -1, 100, 100));
  });

  it('HDEL of a field forgets its TTL', async () => {
    await abc();
    await call('HEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    await redis.hdel('h', 'a');
    await redis.hset('h', 'a', 'again');
    expect(await call('HTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(-1));
    clock.advance(200_000);
    expect(await redis.hget('h', 'a')).toBe('again');
  });

  it('COPY copies the TTLs, RENAME and MOVE keep them', async () => {
    await abc();
    await call('HEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    await call('COPY', 'h', 'h2');
    await call('HEXPIRE', 'h2', '50', 'FIELDS', '1', 'b');
    await redis.rename('h', 'r');
    await redis.move('r', 1);
    expect(await call('HTTL', 'h2', 'FIELDS', '2', 'a', 'b')).toBe(ints(100, 50));
    await call('SELECT', '1');
    expect(await call('HTTL', 'r', 'FIELDS', '2', 'a', 'b')).toBe(ints(100, -1));
    await call('SELECT', '0');
  });
});

describe('OBJECT ENCODING and field order', () => {
  it('a listpack that got a TTL reports listpackex, for good; a big hash stays hashtable', async () => {
    // object.c (7.4.1): OBJ_ENCODING_LISTPACK_EX is "listpackex"; hashTypeSetExInit converts a listpack first
    await abc();
    expect(await redis.object('ENCODING', 'h')).toBe('listpack');
    await call('HEXPIRE', 'h', '100', 'FIELDS', '1', 'nope');
    expect(await redis.object('ENCODING', 'h')).toBe('listpackex');
    await call('HEXPIRE', 'h', '100', 'FIELDS', '1', 'a');
    await call('HPERSIST', 'h', 'FIELDS', '1', 'a');
    expect(await redis.object('ENCODING', 'h')).toBe('listpackex');
    await redis.hset('h', 'long', 'x'.repeat(65));
    expect(await redis.object('ENCODING', 'h')).toBe('hashtable');
    expect(await call('HTTL', 'h', 'FIELDS', '1', 'a')).toBe(ints(-1));
  });

  it('a listpackex keeps fields with a TTL first, by deadline, then the rest in insertion order', async () => {
    // listpackExAddInternal: insert before the first field due later or equal, or without TTL;
    // a field losing its TTL (HPERSIST, HSET) is re-inserted at the end.
    await redis.hset('h', 'a', '1', 'b', '2', 'c', '3', 'd', '4');
    await call('HEXPIRE', 'h', '300', 'FIELDS', '1', 'c');
    expect(await redis.hkeys('h')).toEqual(['c', 'a', 'b', 'd']);
    await call('HEXPIRE', 'h', '100', 'FIELDS', '1', 'd');
    await call('HEXPIRE', 'h', '300', 'FIELDS', '1', 'b');
    expect(await redis.hkeys('h')).toEqual(['d', 'b', 'c', 'a']);
    await call('HPERSIST', 'h', 'FIELDS', '1', 'd');
    expect(await redis.hkeys('h')).toEqual(['b', 'c', 'a', 'd']);
    await redis.hset('h', 'b', 'new', 'e', '5');
    expect(await redis.hkeys('h')).toEqual(['c', 'a', 'd', 'b', 'e']);
  });

  it('a hash that never used field TTLs carries no TTL state (its memory does not grow)', async () => {
    await abc();
    const h = t.db().dict.get('h') as RedisHash;
    // The instance's own slots: `type` moved to the prototype to pay for `ttls`. `measuredSize`
    // is the used-memory figure's (remeasureDue), one slot more for any hash, TTLs or not.
    expect(Object.keys(h).sort()).toEqual(['cursors', 'listpack', 'map', 'measuredSize', 'slotFields', 'slots', 'ttls']);
    expect(Object.getOwnPropertyNames(h)).not.toContain('type');
    expect((h as unknown as { ttls: unknown }).ttls).toBeNull();
    expect(h.type).toBe('hash');
  });
});

describe('HGETDEL', () => {
  it('answers the values and deletes the fields; the key goes with its last field', async () => {
    // redis.io/commands/hgetdel example; hgetdelCommand
    await redis.hset('mykey', 'field1', 'Hello', 'field2', 'World', 'field3', '!');
    expect(await call('HGETDEL', 'mykey', 'FIELDS', '2', 'field3', 'field4')).toBe(bulks('!', null));
    expect(await redis.hgetall('mykey')).toEqual({ field1: 'Hello', field2: 'World' });
    expect(await call('HGETDEL', 'mykey', 'FIELDS', '3', 'field1', 'field1', 'field2')).toBe(bulks('Hello', null, 'World'));
    expect(await redis.exists('mykey')).toBe(0);
    expect(await call('HGETDEL', 'mykey', 'FIELDS', '1', 'a')).toBe(bulks(null));
  });

  it('checks FIELDS and numfields, and the type first', async () => {
    await abc();
    expect(await call('HGETDEL', 'h', 'FIELD', '1', 'a')).toBe(FIELDS_MISSING);
    expect(await call('HGETDEL', 'h', 'FIELDS', '0', 'a')).toBe(NUMFIELDS_POSITIVE);
    expect(await call('HGETDEL', 'h', 'FIELDS', '3', 'a')).toBe(NUMFIELDS_MISMATCH);
    await redis.set('s', 'v');
    expect(await call('HGETDEL', 's', 'FIELD', '1', 'a')).toBe(WRONGTYPE);
    expect(await call('HGETDEL', 'h')).toBe("-ERR wrong number of arguments for 'hgetdel' command\r\n");
  });

  it('does not return an expired field', async () => {
    await abc();
    await call('HPEXPIRE', 'h', '10', 'FIELDS', '1', 'a');
    clock.advance(11);
    expect(await call('HGETDEL', 'h', 'FIELDS', '2', 'a', 'b')).toBe(bulks(null, '2'));
  });
});

describe('HGETEX', () => {
  it('answers the values and sets, or removes, their TTLs', async () => {
    // hgetexCommand: EX/PX relative, EXAT/PXAT absolute, PERSIST
    await abc();
    expect(await call('HGETEX', 'h', 'EX', '100', 'FIELDS', '2', 'a', 'x')).toBe(bulks('1', null));
    expect(await call('HGETEX', 'h', 'PX', '1500', 'FIELDS', '1', 'b')).toBe(bulks('2'));
    expect(await call('HGETEX', 'h', 'EXAT', String(START_S + 7), 'FIELDS', '1', 'c')).toBe(bulks('3'));
    expect(await call('HPEXPIRETIME', 'h', 'FIELDS', '3', 'a', 'b', 'c')).toBe(ints(START + 100_000, START + 1500, START + 7000));
    expect(await call('HGETEX', 'h', 'PXAT', String(START + 9), 'FIELDS', '1', 'c')).toBe(bulks('3'));
    expect(await call('HGETEX', 'h', 'PERSIST', 'FIELDS', '2', 'a', 'b')).toBe(bulks('1', '2'));
    expect(await call('HGETEX', 'h', 'FIELDS', '1', 'c')).toBe(bulks('3'));
    expect(await call('HPEXPIRETIME', 'h', 'FIELDS', '3', 'a', 'b', 'c')).toBe(ints(-1, -1, START + 9));
    expect(await call('HGETEX', 'missing', 'EX', '10', 'FIELDS', '2', 'a', 'b')).toBe(bulks(null, null));
  });

  it('a time already past deletes the fields, and the key with the last', async () => {
    await abc();
    expect(await call('HGETEX', 'h', 'PXAT', String(START), 'FIELDS', '2', 'a', 'b')).toBe(bulks('1', '2'));
    expect(await redis.hgetall('h')).toEqual({ c: '3' });
    expect(await call('HGETEX', 'h', 'EXAT', '1', 'FIELDS', '1', 'c')).toBe(bulks('3'));
    expect(await redis.exists('h')).toBe(0);
  });

  it('checks its options with Redis 8 texts', async () => {
    await abc();
    expect(await call('HGETEX', 'h', 'EX', 'x', 'FIELDS', '1', 'a')).toBe(NOT_INTEGER);
    expect(await call('HGETEX', 'h', 'EX', '-1', 'FIELDS', '1', 'a')).toBe(EXPIRE_NEGATIVE);
    expect(await call('HGETEX', 'h', 'EXAT', '70368744178', 'FIELDS', '1', 'a')).toBe("-ERR invalid expire time in 'hgetex' command\r\n");
    expect(await call('HGETEX', 'h', 'KEEPTTL', 'FIELDS', '1', 'a')).toBe(FIELDS_MISSING);
    expect(await call('HGETEX', 'h', 'PERSIST', 'FIELDS', '0', 'a')).toBe(NUMFIELDS_POSITIVE);
    expect(await call('HGETEX', 'h', 'FIELDS', '2', 'a')).toBe(NUMFIELDS_MISMATCH);
    expect(await call('HGETEX', 'h', 'EX', '10', 'FIELDS')).toBe("-ERR wrong number of arguments for 'hgetex' command\r\n");
    await redis.set('s', 'v');
    expect(await call('HGETEX', 's', 'EX', 'x', 'FIELDS', '1', 'a')).toBe(WRONGTYPE);
  });
});

describe('HSETEX', () => {
  it('sets every field and answers 1; FNX and FXX answer 0 and set nothing when their condition fails', async () => {
    // hsetexCommand: all_exists / non_exists
    expect(await call('HSETEX', 'h', 'FIELDS', '2', 'a', '1', 'b', '2')).toBe(':1\r\n');
    expect(await call('HSETEX', 'h', 'FNX', 'FIELDS', '2', 'b', 'x', 'c', '3')).toBe(':0\r\n');
    expect(await call('HSETEX', 'h', 'FNX', 'FIELDS', '1', 'c', '3')).toBe(':1\r\n');
    expect(await call('HSETEX', 'h', 'FXX', 'FIELDS', '2', 'a', 'x', 'z', 'y')).toBe(':0\r\n');
    expect(await call('HSETEX', 'h', 'FXX', 'FIELDS', '2', 'a', 'A', 'b', 'B')).toBe(':1\r\n');
    expect(await redis.hgetall('h')).toEqual({ a: 'A', b: 'B', c: '3' });
    expect(await call('HSETEX', 'missing', 'FXX', 'FIELDS', '1', 'a', '1')).toBe(':0\r\n');
    expect(await redis.exists('missing')).toBe(0);
  });

  it('gives the fields a TTL with EX, PX, EXAT or PXAT; KEEPTTL keeps it; no option drops it', async () => {
    expect(await call('HSETEX', 'h', 'EX', '100', 'FIELDS', '2', 'a', '1', 'b', '2')).toBe(':1\r\n');
    expect(await call('HSETEX', 'h', 'PX', '1500', 'FIELDS', '1', 'c', '3')).toBe(':1\r\n');
    expect(await call('HSETEX', 'h', 'EXAT', String(START_S + 7), 'FIELDS', '1', 'd', '4')).toBe(':1\r\n');
    expect(await call('HSETEX', 'h', 'PXAT', String(START + 9), 'FIELDS', '1', 'e', '5')).toBe(':1\r\n');
    expect(await call('HSETEX', 'h', 'KEEPTTL', 'FIELDS', '1', 'a', 'one')).toBe(':1\r\n');
    expect(await call('HSETEX', 'h', 'FIELDS', '1', 'b', 'two')).toBe(':1\r\n');
    expect(await call('HPEXPIRETIME', 'h', 'FIELDS', '5', 'a', 'b', 'c', 'd', 'e')).toBe(
      ints(START + 100_000, -1, START + 1500, START + 7000, START + 9),
    );
    expect(await redis.hmget('h', 'a', 'b')).toEqual(['one', 'two']);
  });

  it('a time already past sets then deletes the fields, and a new key with them', async () => {
    expect(await call('HSETEX', 'h', 'PXAT', String(START), 'FIELDS', '1', 'a', '1')).toBe(':1\r\n');
    expect(await redis.exists('h')).toBe(0);
  });

  it('checks its arguments as hsetexParseArgs does, before the key type', async () => {
    await redis.set('s', 'v');
    const arity = "-ERR wrong number of arguments for 'hsetex' command\r\n";
    expect(await call('HSETEX', 's', 'FIELDS', '1', 'a', '1')).toBe(WRONGTYPE);
    expect(await call('HSETEX', 's', 'FNX', 'FXX', 'FIELDS', '1', 'a', '1')).toBe('-ERR Only one of FXX or FNX arguments can be specified\r\n');
    expect(await call('HSETEX', 's', 'EX', '1', 'KEEPTTL', 'FIELDS', '1', 'a', '1')).toBe(
      '-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n',
    );
    expect(await call('HSETEX', 's', 'PX', '1', 'PX', '1', 'FIELDS', '1', 'a', '1')).toBe(
      '-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n',
    );
    expect(await call('HSETEX', 's', 'NX', 'FIELDS', '1', 'a', '1')).toBe('-ERR unknown argument: NX\r\n');
    expect(await call('HSETEX', 's', 'FIELDS', '0', 'a', '1')).toBe('-ERR invalid number of fields\r\n');
    expect(await call('HSETEX', 's', 'FIELDS', 'one', 'a', '1')).toBe('-ERR invalid number of fields\r\n');
    expect(await call('HSETEX', 's', 'FIELDS', '2', 'a', '1')).toBe(arity);
    expect(await call('HSETEX', 's', 'FIELDS', '1', 'a', '1', 'b')).toBe(arity);
    expect(await call('HSETEX', 's', 'FNX', 'FIELDS', '1', 'a')).toBe(arity);
    expect(await call('HSETEX', 's', 'FNX', 'FXX', 'EX')).toBe(arity);
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'a', 'b')).toBe('-ERR unknown argument: a\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'FXX', 'EX')).toBe('-ERR Only one of FXX or FNX arguments can be specified\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'a', 'b', 'EX')).toBe('-ERR unknown argument: a\r\n');
    expect(await call('HSETEX', 's', 'KEEPTTL', 'FNX', 'x', 'EX')).toBe('-ERR unknown argument: x\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'FXX', 'PX')).toBe('-ERR Only one of FXX or FNX arguments can be specified\r\n');
    expect(await call('HSETEX', 's', 'FXX', 'FIELDS', '1', 'a', 'b', 'EX')).toBe(arity);
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'FIELDS', 'PX')).toBe(arity);
    expect(await call('HSETEX', 's', 'FNX', 'FIELDS', '1', 'a', 'b')).toBe(WRONGTYPE);
    expect(await call('HSETEX', 's', 'a', 'b', 'c', 'EX')).toBe('-ERR unknown argument: a\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'FXX', 'EX', '1')).toBe('-ERR Only one of FXX or FNX arguments can be specified\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'x', 'EX', '1')).toBe('-ERR unknown argument: x\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'KEEPTTL', 'EX', '1')).toBe(
      '-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n',
    );
    expect(await call('HSETEX', 's', 'EX', '-1', 'FIELDS', '1', 'a', '1')).toBe(EXPIRE_NEGATIVE);
    expect(await call('HSETEX', 's', 'FNX', 'FXX', 'EX', '1')).toBe('-ERR Only one of FXX or FNX arguments can be specified\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'EX', 'x')).toBe(
      '-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n',
    );
    expect(await call('HSETEX', 's', 'FNX', 'PX', '5', 'EX')).toBe(
      '-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n',
    );
    expect(await call('HSETEX', 's', 'FNX', 'FIELDS', 'x', 'PX')).toBe(arity);
    expect(await call('HSETEX', 's', 'FNX', 'x', 'FIELDS', 'PX')).toBe('-ERR unknown argument: x\r\n');
    expect(await call('HSETEX', 's', 'FNX', 'KEEPTTL', 'PX')).toBe("-ERR wrong number of arguments for 'hsetex' command\r\n");
  });
});

describe('RESP3', () => {
  it('per-field codes and values are arrays in RESP3 too', async () => {
    await abc();
    expect(await call3('HEXPIRE', 'h', '10', 'FIELDS', '2', 'a', 'x')).toBe(ints(1, -2));
    expect(await call3('HGETEX', 'h', 'FIELDS', '2', 'a', 'x')).toBe('*2\r\n$1\r\n1\r\n_\r\n');
  });
});

describe('keyspace events and dirty', () => {
  let stream: NotificationStream | undefined;

  async function dirty(): Promise<number> {
    const info = String(await callJs('INFO', 'persistence'));
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
  }

  /** The keyevent notifications among `taken`, as `__keyevent@0__:event key`. */
  function keyevents(taken: Awaited<ReturnType<NotificationStream['take']>>): string[] {
    return taken
      .map(describeNotification)
      .filter((n) => n.startsWith('"__keyevent'))
      .map((n) => n.replaceAll('"', ''));
  }

  /** The keyevent messages the command caused, and what it added to dirty. */
  async function changes(...argv: string[]): Promise<{ events: string[]; dirty: number }> {
    await stream!.take();
    const before = await dirty();
    await call(...argv);
    const events = keyevents(await stream!.take());
    return { events, dirty: (await dirty()) - before };
  }

  afterAll(async () => {
    await stream?.close();
  });

  beforeEach(async () => {
    await call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
    stream ??= await openNotificationStream(server.port);
    await stream.take();
  });

  it('HEXPIRE: hexpire with one change per field set, hdel when a past time deleted, then del', async () => {
    // 8.0 hexpireGenericCommand: dirty += deleted + updated; notify deleted ? "hdel" : "hexpire"
    await abc();
    expect(await changes('HEXPIRE', 'h', '10', 'FIELDS', '3', 'a', 'b', 'x')).toEqual({ events: ['__keyevent@0__:hexpire h'], dirty: 2 });
    expect(await changes('HEXPIRE', 'h', '10', 'NX', 'FIELDS', '1', 'a')).toEqual({ events: [], dirty: 0 });
    expect(await changes('HEXPIRE', 'h', '0', 'FIELDS', '2', 'a', 'b')).toEqual({ events: ['__keyevent@0__:hdel h'], dirty: 2 });
    expect(await changes('HPEXPIREAT', 'h', '1', 'FIELDS', '1', 'c')).toEqual({
      events: ['__keyevent@0__:hdel h', '__keyevent@0__:del h'],
      dirty: 1,
    });
  });

  it('HPERSIST: one hpersist and one change', async () => {
    // hpersistCommand: notify "hpersist", server.dirty++
    await abc();
    await call('HEXPIRE', 'h', '10', 'FIELDS', '2', 'a', 'b');
    expect(await changes('HPERSIST', 'h', 'FIELDS', '3', 'a', 'b', 'c')).toEqual({ events: ['__keyevent@0__:hpersist h'], dirty: 1 });
    expect(await changes('HPERSIST', 'h', 'FIELDS', '1', 'a')).toEqual({ events: [], dirty: 0 });
  });

  it('lazy and active expiry: hexpired, then del for the last field; no change counted', async () => {
    // hashTypeGetValue (7.4.1) / hashTypeExpire (8.0): "hexpired", then "del" when the hash is empty
    await abc();
    await call('HPEXPIRE', 'h', '10', 'FIELDS', '2', 'a', 'b');
    clock.advance(11);
    expect(await changes('HGET', 'h', 'c')).toEqual({ events: ['__keyevent@0__:hexpired h'], dirty: 0 });
    await call('HPEXPIRE', 'h', '10', 'FIELDS', '1', 'c');
    clock.advance(11);
    expect(await changes('HLEN', 'h')).toEqual({ events: ['__keyevent@0__:hexpired h', '__keyevent@0__:del h'], dirty: 0 });
    await abc('g');
    await call('HPEXPIRE', 'g', '10', 'FIELDS', '3', 'a', 'b', 'c');
    await stream!.take();
    clock.advance(11);
    server.server.activeExpiry.enabled = true;
    server.server.activeExpiry.cycle();
    expect(keyevents(await stream!.take())).toEqual([
      '__keyevent@0__:hexpired g',
      '__keyevent@0__:del g',
    ]);
  });

  it('HGETDEL: hdel with one change per field, then del', async () => {
    // hgetdelCommand: notify "hdel", server.dirty += deleted; "del" when empty
    await abc();
    expect(await changes('HGETDEL', 'h', 'FIELDS', '3', 'a', 'b', 'x')).toEqual({ events: ['__keyevent@0__:hdel h'], dirty: 2 });
    expect(await changes('HGETDEL', 'h', 'FIELDS', '1', 'x')).toEqual({ events: [], dirty: 0 });
    expect(await changes('HGETDEL', 'h', 'FIELDS', '1', 'c')).toEqual({ events: ['__keyevent@0__:hdel h', '__keyevent@0__:del h'], dirty: 1 });
  });

  it('HGETEX: hexpire, hpersist or hdel, one change per field', async () => {
    // hgetexCommand: server.dirty += deleted + updated
    await abc();
    expect(await changes('HGETEX', 'h', 'EX', '10', 'FIELDS', '3', 'a', 'b', 'x')).toEqual({ events: ['__keyevent@0__:hexpire h'], dirty: 2 });
    expect(await changes('HGETEX', 'h', 'PERSIST', 'FIELDS', '2', 'a', 'c')).toEqual({ events: ['__keyevent@0__:hpersist h'], dirty: 1 });
    expect(await changes('HGETEX', 'h', 'FIELDS', '1', 'a')).toEqual({ events: [], dirty: 0 });
    expect(await changes('HGETEX', 'h', 'PXAT', '1', 'FIELDS', '1', 'a')).toEqual({ events: ['__keyevent@0__:hdel h'], dirty: 1 });
  });

  it('HSETEX: hset with one change per field, then hexpire (or hdel and del)', async () => {
    // hsetexCommand: server.dirty += field_count; "hset" then deleted ? "hdel" : "hexpire"
    expect(await changes('HSETEX', 'h', 'EX', '10', 'FIELDS', '2', 'a', '1', 'b', '2')).toEqual({
      events: ['__keyevent@0__:hset h', '__keyevent@0__:hexpire h'],
      dirty: 2,
    });
    expect(await changes('HSETEX', 'h', 'KEEPTTL', 'FIELDS', '1', 'a', 'x')).toEqual({ events: ['__keyevent@0__:hset h'], dirty: 1 });
    expect(await changes('HSETEX', 'h', 'FNX', 'FIELDS', '1', 'a', 'x')).toEqual({ events: [], dirty: 0 });
    expect(await changes('HSETEX', 'n', 'PXAT', '1', 'FIELDS', '1', 'a', 'x')).toEqual({
      events: ['__keyevent@0__:hset n', '__keyevent@0__:hdel n', '__keyevent@0__:del n'],
      dirty: 1,
    });
  });
});

describe('through ioredis 6 typed methods', () => {
  it('hexpire, hpexpireat, httl, hpttl, hexpiretime, hpersist, hgetdel, hgetex, hsetex', async () => {
    await redis.hset('i', 'a', '1', 'b', '2', 'c', '3');
    expect(await redis.hexpire('i', 100, 'FIELDS', 2, 'a', 'x')).toEqual([1, -2]);
    expect(await redis.hexpire('i', 50, 'GT', 'FIELDS', 1, 'a')).toEqual([0]);
    expect(await redis.hpexpireat('i', START + 5000, 'FIELDS', 1, 'b')).toEqual([1]);
    expect(await redis.httl('i', 'FIELDS', 3, 'a', 'b', 'c')).toEqual([100, 5, -1]);
    expect(await redis.hpttl('i', 'FIELDS', 1, 'b')).toEqual([5000]);
    expect(await redis.hexpiretime('i', 'FIELDS', 1, 'a')).toEqual([START_S + 100]);
    expect(await redis.hpersist('i', 'FIELDS', 2, 'a', 'c')).toEqual([1, -1]);
    expect(await redis.hgetdel('i', 'FIELDS', 2, 'c', 'x')).toEqual(['3', null]);
    expect(await redis.hgetex('i', 'PX', 700, 'FIELDS', 2, 'a', 'b')).toEqual(['1', '2']);
    expect(await redis.hsetex('i', 'FNX', 'EX', 9, 'FIELDS', 1, 'd', '4')).toBe(1);
    expect(await redis.hsetex('i', 'FXX', 'KEEPTTL', 'FIELDS', 1, 'z', '4')).toBe(0);
    clock.advance(701);
    expect(await redis.hgetall('i')).toEqual({ d: '4' });
    await expect(redis.hexpire('i', -1, 'FIELDS', 1, 'd')).rejects.toThrow('ERR invalid expire time, must be >= 0');
  });
});

describe('through node-redis 5 typed methods', () => {
  it('hExpire, hpExpireAt, hTTL, hpTTL, hExpireTime, hPersist, hGetDel, hGetEx, hSetEx', async () => {
    const { createClient } = await import('redis');
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      await client.hSet('n', { a: '1', b: '2', c: '3' });
      expect(await client.hExpire('n', ['a', 'x'], 100)).toEqual([1, -2]);
      expect(await client.hExpire('n', 'a', 50, 'GT')).toEqual([0]);
      expect(await client.hpExpireAt('n', 'b', START + 5000)).toEqual([1]);
      expect(await client.hTTL('n', ['a', 'b', 'c'])).toEqual([100, 5, -1]);
      expect(await client.hpTTL('n', 'b')).toEqual([5000]);
      expect(await client.hExpireTime('n', 'a')).toEqual([START_S + 100]);
      expect(await client.hpExpireTime('n', 'a')).toEqual([START + 100_000]);
      expect(await client.hPersist('n', ['a', 'c'])).toEqual([1, -1]);
      expect(await client.hGetDel('n', ['c', 'x'])).toEqual(['3', null]);
      expect(await client.hGetEx('n', ['a', 'b'], { expiration: { type: 'PX', value: 700 } })).toEqual(['1', '2']);
      expect(await client.hpTTL('n', ['a', 'b'])).toEqual([700, 700]);
      expect(await client.hSetEx('n', { d: '4' }, { mode: 'FNX', expiration: { type: 'EX', value: 9 } })).toBe(1);
      expect(await client.hTTL('n', 'd')).toEqual([9]);
      clock.advance(701);
      expect(await client.hGetAll('n')).toEqual({ d: '4' });
    } finally {
      await client.quit();
    }
  });
});

describe('metadata', () => {
  it('COMMAND INFO and COMMAND DOCS give Redis 7.4 / 8.0 arity, flags and since', async () => {
    const info = (await callJs('COMMAND', 'INFO', 'hexpire', 'httl', 'hpersist', 'hgetdel', 'hgetex', 'hsetex')) as unknown[][];
    expect(info.map((entry) => [entry[0], entry[1], entry[2]])).toEqual([
      ['hexpire', -6, ['write', 'denyoom', 'fast']],
      ['httl', -5, ['readonly', 'fast']],
      ['hpersist', -5, ['write', 'fast']],
      ['hgetdel', -5, ['write', 'fast']],
      ['hgetex', -5, ['write', 'fast']],
      ['hsetex', -6, ['write', 'denyoom', 'fast']],
    ]);
    const docs = (await callJs('COMMAND', 'DOCS', 'hexpire', 'hsetex')) as unknown[];
    const since = (doc: unknown[]): unknown => doc[doc.indexOf('since') + 1];
    expect(since(docs[1] as unknown[])).toBe('7.4.0');
    expect(since(docs[3] as unknown[])).toBe('8.0.0');
    expect(replyToJs(Buffer.from(':1\r\n'))).toBe(1);
  });
});
