/**
 * The bitmap commands through real sockets: ioredis for values, a raw
 * client where the exact bytes matter (error texts, null kinds, RESP3).
 * Every expected reply was checked against redis-server 7.0.15.
 */
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const BAD_OFFSET = '-ERR bit offset is not an integer or out of range\r\n';
const BAD_BIT = '-ERR bit is not an integer or out of range\r\n';
const BAD_TYPE = '-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n';

const t = useServer({ clock: START, resetClock: true, resp3: true });
const { call, call3, db, storeList, bytes } = t;
// Set once useServer's beforeAll has started the server.
let redis: Redis;
beforeAll(() => {
  redis = t.redis;
});

describe('SETBIT and GETBIT', () => {
  it('SETBIT returns the old bit and grows the string with zero bytes', async () => {
    expect(await redis.setbit('k', 7, 1)).toBe(0);
    expect(await redis.setbit('k', 7, 1)).toBe(1);
    expect(await redis.setbit('k', 0, 1)).toBe(0);
    expect(bytes('k')).toBe('\x81');
    expect(await redis.setbit('k', 100, 1)).toBe(0);
    expect(await redis.strlen('k')).toBe(13);
    expect(bytes('k')).toBe('\x81' + '\0'.repeat(11) + '\x08');
    expect(await redis.setbit('k', 7, 0)).toBe(1);
    expect(bytes('k').charCodeAt(0)).toBe(0x80);
  });

  it('GETBIT reads bits past the end, and of a missing key, as 0', async () => {
    await redis.set('k', 'a'); // 0110 0001
    const bits = [];
    for (let i = 0; i < 8; i++) bits.push(await redis.getbit('k', i));
    expect(bits).toEqual([0, 1, 1, 0, 0, 0, 0, 1]);
    expect(await redis.getbit('k', 8)).toBe(0);
    expect(await redis.getbit('k', 4294967295)).toBe(0);
    expect(await redis.getbit('nokey', 3)).toBe(0);
    expect(await redis.exists('nokey')).toBe(0);
  });

  it('SETBIT keeps the TTL', async () => {
    await redis.set('k', 'a', 'EX', 100);
    await redis.setbit('k', 100, 1);
    expect(db().getExpire('k')).toBe(START + 100_000);
  });

  it('offsets must be integers in [0, 2^32); the bit must be 0 or 1', async () => {
    for (const offset of ['-1', '4294967296', 'x', '', '1.5', ' 1', '01', '9223372036854775808']) {
      expect(await call('SETBIT', 'k', offset, '1')).toBe(BAD_OFFSET);
      expect(await call('GETBIT', 'k', offset)).toBe(BAD_OFFSET);
    }
    for (const bit of ['2', '-1', 'x', '', '1.0', '-0']) {
      expect(await call('SETBIT', 'k', '0', bit)).toBe(BAD_BIT);
    }
    // The offset is checked first, and neither check creates the key.
    expect(await call('SETBIT', 'k', 'x', '2')).toBe(BAD_OFFSET);
    expect(await redis.exists('k')).toBe(0);
  });

  it('the offset limit follows proto-max-bulk-len', async () => {
    await redis.config('SET', 'proto-max-bulk-len', '1mb');
    try {
      expect(await call('SETBIT', 'k', String(8 * 1024 * 1024), '1')).toBe(BAD_OFFSET);
      expect(await call('SETBIT', 'k', String(8 * 1024 * 1024 - 1), '1')).toBe(':0\r\n');
      expect(await redis.strlen('k')).toBe(1024 * 1024);
    } finally {
      await redis.config('SET', 'proto-max-bulk-len', String(512 * 1024 * 1024));
    }
  });

  it('a key of another type is WRONGTYPE, after the arguments are checked', async () => {
    storeList('l');
    expect(await call('SETBIT', 'l', '0', '1')).toBe(WRONGTYPE);
    expect(await call('GETBIT', 'l', '0')).toBe(WRONGTYPE);
    expect(await call('SETBIT', 'l', '-1', '1')).toBe(BAD_OFFSET);
    expect(await call('GETBIT', 'l', 'x')).toBe(BAD_OFFSET);
  });
});

describe('BITCOUNT', () => {
  beforeEach(async () => {
    await redis.set('foobar', 'foobar');
  });

  it('counts the whole string or a byte range with negative indexes', async () => {
    expect(await redis.bitcount('foobar')).toBe(26);
    expect(await redis.bitcount('foobar', 0, 0)).toBe(4);
    expect(await redis.bitcount('foobar', 1, 1)).toBe(6);
    expect(await call('BITCOUNT', 'foobar', '1', '1', 'byte')).toBe(':6\r\n');
    expect(await redis.bitcount('foobar', -2, -1)).toBe(7);
    expect(await redis.bitcount('foobar', -100, 100)).toBe(26);
    expect(await redis.bitcount('foobar', 4, 2)).toBe(0);
  });

  it('counts a BIT range', async () => {
    expect(await call('BITCOUNT', 'foobar', '5', '30', 'BIT')).toBe(':17\r\n');
    expect(await call('BITCOUNT', 'foobar', '-2', '-1', 'bit')).toBe(':1\r\n');
    expect(await call('BITCOUNT', 'foobar', '0', '47', 'Bit')).toBe(':26\r\n');
  });

  it('answers a missing key with 0 before looking at the other arguments', async () => {
    expect(await call('BITCOUNT', 'nokey', '1')).toBe(':0\r\n');
    expect(await call('BITCOUNT', 'nokey', 'x', 'y', 'z', 'w')).toBe(':0\r\n');
  });

  it('answers two negative indexes in the wrong order with 0 before parsing the unit', async () => {
    expect(await call('BITCOUNT', 'foobar', '-1', '-2', 'FOO')).toBe(':0\r\n');
    expect(await call('BITCOUNT', 'foobar', '0', '-1', 'FOO')).toBe(SYNTAX);
    // Exactly, even where int64s are the same double.
    expect(await call('BITCOUNT', 'foobar', '-9223372036854775807', '-9223372036854775808')).toBe(':0\r\n');
    expect(await call('BITCOUNT', 'foobar', '-9223372036854775808', '-9223372036854775807')).toBe(':4\r\n');
  });

  it('rejects a lone start, extra arguments and bad integers', async () => {
    expect(await call('BITCOUNT', 'foobar', '1')).toBe(SYNTAX);
    expect(await call('BITCOUNT', 'foobar', '0', '1', 'BIT', 'x')).toBe(SYNTAX);
    expect(await call('BITCOUNT', 'foobar', 'a', '1')).toBe(NOT_INTEGER);
    expect(await call('BITCOUNT', 'foobar', '0', '9223372036854775808')).toBe(NOT_INTEGER);
  });

  it('is WRONGTYPE on another type, whatever the arguments', async () => {
    storeList('l');
    expect(await call('BITCOUNT', 'l')).toBe(WRONGTYPE);
    expect(await call('BITCOUNT', 'l', '1')).toBe(WRONGTYPE);
  });
});

describe('BITPOS', () => {
  it('finds the first set or clear bit, in bytes or bits', async () => {
    await redis.set('p', Buffer.from([0xff, 0xf0, 0x00]));
    expect(await redis.bitpos('p', 0)).toBe(12);
    expect(await redis.bitpos('p', 1)).toBe(0);
    expect(await redis.bitpos('p', 1, 2)).toBe(-1);
    expect(await redis.bitpos('p', 1, 1, -1)).toBe(8);
    expect(await call('BITPOS', 'p', '0', '7', '15', 'BIT')).toBe(':12\r\n');
    expect(await call('BITPOS', 'p', '1', '7', '-3', 'bit')).toBe(':7\r\n');
    expect(await call('BITPOS', 'p', '1', '12', '-1', 'BIT')).toBe(':-1\r\n');
  });

  it('a string of ones has its first clear bit just past the end, unless an end is given', async () => {
    await redis.set('ones', Buffer.from([0xff, 0xff]));
    expect(await redis.bitpos('ones', 0)).toBe(16);
    expect(await redis.bitpos('ones', 0, 0)).toBe(16);
    expect(await redis.bitpos('ones', 0, 0, -1)).toBe(-1);
    expect(await call('BITPOS', 'ones', '0', '3', '-1', 'BIT')).toBe(':-1\r\n');
  });

  it('a missing key is all zeroes; an empty string has no bits at all', async () => {
    expect(await redis.bitpos('nokey', 0)).toBe(0);
    expect(await redis.bitpos('nokey', 1)).toBe(-1);
    expect(await call('BITPOS', 'nokey', '1', '0', 'x', 'FOO', 'extra')).toBe(':-1\r\n');
    await redis.set('e', '');
    expect(await redis.bitpos('e', 0)).toBe(-1);
    expect(await redis.bitpos('e', 1)).toBe(-1);
  });

  it('checks the bit first, then the type, then start, the unit and end in that order', async () => {
    storeList('l');
    await redis.set('s', 'abc');
    expect(await call('BITPOS', 'nokey', '2')).toBe('-ERR The bit argument must be 1 or 0.\r\n');
    expect(await call('BITPOS', 'l', 'x')).toBe(NOT_INTEGER);
    expect(await call('BITPOS', 'l', '1', 'x')).toBe(WRONGTYPE);
    expect(await call('BITPOS', 's', '1', 'x', '0', 'FOO')).toBe(NOT_INTEGER);
    expect(await call('BITPOS', 's', '1', '0', 'x', 'FOO')).toBe(SYNTAX);
    expect(await call('BITPOS', 's', '1', '0', 'x', 'BIT')).toBe(NOT_INTEGER);
    expect(await call('BITPOS', 's', '1', '0', '1', 'BIT', 'x')).toBe(SYNTAX);
  });
});

describe('BITOP', () => {
  beforeEach(async () => {
    await redis.set('a', Buffer.from([0x0f, 0xf0]));
    await redis.set('b', Buffer.from([0xff]));
  });

  it('AND, OR and XOR pad the shorter inputs with zeroes; the reply is the length', async () => {
    expect(await redis.bitop('AND', 'd', 'a', 'b')).toBe(2);
    expect(bytes('d')).toBe('\x0f\x00');
    expect(await redis.bitop('or', 'd', 'a', 'b')).toBe(2);
    expect(bytes('d')).toBe('\xff\xf0');
    expect(await redis.bitop('Xor', 'd', 'a', 'b', 'nokey')).toBe(2);
    expect(bytes('d')).toBe('\xf0\xf0');
    expect(await redis.bitop('AND', 'd', 'a', 'nokey')).toBe(2);
    expect(bytes('d')).toBe('\x00\x00');
  });

  it('NOT takes exactly one source', async () => {
    expect(await redis.bitop('NOT', 'd', 'a')).toBe(2);
    expect(bytes('d')).toBe('\xf0\x0f');
    expect(await call('BITOP', 'NOT', 'd', 'a', 'b')).toBe('-ERR BITOP NOT must be called with a single source key.\r\n');
  });

  it('an empty result deletes the destination; a stored one replaces any type and drops the TTL', async () => {
    await redis.set('d', 'old', 'EX', 100);
    expect(await redis.bitop('OR', 'd', 'nokey', 'nokey2')).toBe(0);
    expect(await redis.exists('d')).toBe(0);
    storeList('d');
    await redis.expire('d', 100);
    expect(await redis.bitop('OR', 'd', 'b')).toBe(1);
    expect(await redis.type('d')).toBe('string');
    expect(db().getExpire('d')).toBeUndefined();
  });

  it('an unknown operation is a syntax error; a source of another type is WRONGTYPE', async () => {
    storeList('l');
    expect(await call('BITOP', 'NAND', 'd', 'a')).toBe(SYNTAX);
    expect(await call('BITOP', 'AND', 'd', 'a', 'l')).toBe(WRONGTYPE);
    expect(await redis.exists('d')).toBe(0);
    // The destination is not read: it may hold anything.
    expect(await call('BITOP', 'AND', 'l', 'a')).toBe(':2\r\n');
  });
});

describe('BITFIELD', () => {
  it('SET returns the old value, GET reads, INCRBY returns the new value', async () => {
    expect(await redis.bitfield('bf', 'SET', 'u8', 0, 200, 'GET', 'u8', 0, 'INCRBY', 'u8', 0, 10, 'GET', 'i8', 0)).toEqual([
      0, 200, 210, -46,
    ]);
    expect(bytes('bf')).toBe('\xd2');
    expect(await redis.bitfield('bf', 'INCRBY', 'i5', 100, 1, 'GET', 'u4', 0)).toEqual([1, 13]);
    expect(await redis.strlen('bf')).toBe(14);
  });

  it('OVERFLOW WRAP, SAT and FAIL apply to the operations after them', async () => {
    expect(
      await redis.bitfield('bf', 'SET', 'u8', 0, 255, 'INCRBY', 'u8', 0, 1, 'OVERFLOW', 'SAT', 'INCRBY', 'u8', 0, -10, 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', 0, -1),
    ).toEqual([0, 0, 0, null]);
    expect(await call('BITFIELD', 'bf', 'OVERFLOW', 'SAT', 'INCRBY', 'i8', '0', '1000', 'INCRBY', 'i8', '0', '-1000')).toBe('*2\r\n:127\r\n:-128\r\n');
    expect(await call('BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'SET', 'i8', '0', '128')).toBe('*1\r\n$-1\r\n');
    expect(await call3('BITFIELD', 'bf', 'OVERFLOW', 'FAIL', 'SET', 'i8', '0', '128')).toBe('*1\r\n_\r\n');
    expect(await call('BITFIELD', 'bf', 'SET', 'i64', '0', '9223372036854775807', 'INCRBY', 'i64', '0', '1')).toBe(
      '*2\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n',
    );
    expect(await call('BITFIELD', 'bf', 'OVERFLOW', 'foo')).toBe('-ERR Invalid OVERFLOW type specified\r\n');
  });

  it('grows the key to the highest written bit before running anything, even a write that FAILs', async () => {
    expect(await call('BITFIELD', 'n', 'OVERFLOW', 'FAIL', 'SET', 'u2', '100', '5')).toBe('*1\r\n$-1\r\n');
    expect(bytes('n')).toBe('\0'.repeat(13));
    // GETs only: a missing key reads as zeroes and is not created.
    expect(await call('BITFIELD', 'nokey', 'GET', 'u8', '0', 'GET', 'i4', '100')).toBe('*2\r\n:0\r\n:0\r\n');
    expect(await redis.exists('nokey')).toBe(0);
    expect(await call('BITFIELD', 'nokey')).toBe('*0\r\n');
  });

  it('#n offsets are n times the width; the product wraps at 64 bits as in C', async () => {
    expect(await call('BITFIELD', 'bf', 'SET', 'i8', '#1', '-1', 'GET', 'u8', '8', 'GET', 'u4', '#3')).toBe(
      '*3\r\n:0\r\n:255\r\n:15\r\n',
    );
    await redis.set('s', 'abc');
    expect(await call('BITFIELD', 's', 'GET', 'i3', '#6148914691236517206', 'GET', 'i3', '2')).toBe('*2\r\n:-4\r\n:-4\r\n');
    expect(await call('BITFIELD', 's', 'GET', 'i8', '#-1')).toBe(BAD_OFFSET);
    expect(await call('BITFIELD', 's', 'GET', 'i8', '#536870912')).toBe(BAD_OFFSET);
    expect(await call('SETBIT', 's', '#1', '1')).toBe(BAD_OFFSET);
  });

  it('checks every operation before running any', async () => {
    await redis.set('s', 'abc');
    expect(await call('BITFIELD', 's', 'SET', 'u8', '0', '1', 'GET', 'u64', '0')).toBe(BAD_TYPE);
    expect(await call('BITFIELD', 's', 'SET', 'u8', '0', '1', 'INCRBY', 'u8', '0', 'x')).toBe(NOT_INTEGER);
    expect(await call('BITFIELD', 's', 'SET', 'u8', '0', '1', 'GET', 'u8')).toBe(SYNTAX);
    expect(await call('BITFIELD', 's', 'SET', 'u8', '0', '1', 'FOO')).toBe(SYNTAX);
    expect(await redis.get('s')).toBe('abc');
  });

  it('types are i1..i64 and u1..u63, lowercase, read as C strings', async () => {
    for (const type of ['u64', 'i65', 'i0', 'I8', 'i08', 'i+8', 'i', '8', 'x8']) {
      expect(await call('BITFIELD', 's', 'GET', type, '0')).toBe(BAD_TYPE);
    }
    await redis.set('s', 'abc');
    expect(await call('BITFIELD', 's', 'GET', 'i8\x00junk', '0', 'GET', 'u63', '0', 'GET', 'i64', '0')).toBe(
      '*3\r\n:97\r\n:3508640010523901952\r\n:7017280021047803904\r\n',
    );
  });

  it('WRONGTYPE comes after the arguments are parsed, for reads and writes', async () => {
    storeList('l');
    expect(await call('BITFIELD', 'l')).toBe(WRONGTYPE);
    expect(await call('BITFIELD', 'l', 'GET', 'u8', '0')).toBe(WRONGTYPE);
    expect(await call('BITFIELD', 'l', 'SET', 'u8', '0', '1')).toBe(WRONGTYPE);
    expect(await call('BITFIELD', 'l', 'SET', 'u8', '0', 'x')).toBe(NOT_INTEGER);
  });

  it('BITFIELD_RO runs GETs and refuses writes once everything is parsed', async () => {
    await redis.set('s', 'abc');
    expect(await call('BITFIELD_RO', 's', 'GET', 'u8', '8', 'OVERFLOW', 'SAT', 'GET', 'i4', '#1')).toBe('*2\r\n:98\r\n:1\r\n');
    expect(await call('BITFIELD_RO', 's', 'SET', 'i8', '0', '1')).toBe('-ERR BITFIELD_RO only supports the GET subcommand\r\n');
    expect(await call('BITFIELD_RO', 's', 'SET', 'i8', '0', '1', 'GET', 'x', '0')).toBe(BAD_TYPE);
    expect(await call('BITFIELD_RO', 'nokey', 'INCRBY', 'i8', '0', '1')).toBe('-ERR BITFIELD_RO only supports the GET subcommand\r\n');
    expect(await redis.exists('nokey')).toBe(0);
    storeList('l');
    expect(await call('BITFIELD_RO', 'l', 'GET', 'i8', '0')).toBe(WRONGTYPE);
  });

  it('keeps the TTL when it writes', async () => {
    await redis.set('s', 'abc', 'EX', 100);
    await redis.bitfield('s', 'SET', 'u8', 100, 1);
    expect(db().getExpire('s')).toBe(START + 100_000);
  });
});
