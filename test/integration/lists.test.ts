/**
 * The list commands through real sockets: ioredis for values, a raw client
 * where the exact bytes matter (null kinds, error texts, RESP3 shapes).
 * Every expected reply was checked against redis-server 7.0.15. The
 * blocking commands' waiting is in blocking.test.ts; their immediate
 * answers (data present, errors, timeout parsing) are here.
 */
import type { Redis } from 'ioredis';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { QuickList } from '../../src/store/list.js';
import { useServer } from '../helpers/server.js';

const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_INTEGER = '-ERR value is not an integer or out of range\r\n';
const SYNTAX = '-ERR syntax error\r\n';
const MUST_BE_POSITIVE = '-ERR value is out of range, must be positive\r\n';
const RANK_ZERO =
  "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n";
const TIMEOUT_NOT_FLOAT = '-ERR timeout is not a float or out of range\r\n';
const TIMEOUT_NEGATIVE = '-ERR timeout is negative\r\n';

const t = useServer({ resp3: true });
const { call, call3 } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

/** `*N` of bulk strings, as the server encodes a list of elements. */
function bulks(...items: string[]): string {
  return `*${items.length}\r\n` + items.map((s) => `$${s.length}\r\n${s}\r\n`).join('');
}

async function range(key: string): Promise<string[]> {
  return redis.lrange(key, 0, -1);
}

describe('LPUSH, RPUSH, LPUSHX, RPUSHX', () => {
  it('push one or many elements and reply the new length', async () => {
    expect(await call('RPUSH', 'l', 'a')).toBe(':1\r\n');
    expect(await call('RPUSH', 'l', 'b', 'c')).toBe(':3\r\n');
    expect(await call('LPUSH', 'l', 'x', 'y', 'z')).toBe(':6\r\n');
    // LPUSH a b c puts each in turn at the head: c ends up first.
    expect(await range('l')).toEqual(['z', 'y', 'x', 'a', 'b', 'c']);
    expect(await call('TYPE', 'l')).toBe('+list\r\n');
    expect(await call('OBJECT', 'ENCODING', 'l')).toBe('$9\r\nquicklist\r\n');
  });

  it('are binary safe', async () => {
    const value = '\x00\xff\r\n';
    await call('RPUSH', 'b\x00', value, '');
    expect(await call('LRANGE', 'b\x00', '0', '-1')).toBe(bulks(value, ''));
  });

  it('the X forms push only onto an existing list, and take many elements', async () => {
    expect(await call('LPUSHX', 'l', 'a')).toBe(':0\r\n');
    expect(await call('RPUSHX', 'l', 'a', 'b')).toBe(':0\r\n');
    expect(await redis.exists('l')).toBe(0);
    await redis.rpush('l', 'm');
    expect(await call('LPUSHX', 'l', 'a', 'b')).toBe(':3\r\n');
    expect(await call('RPUSHX', 'l', 'y', 'z')).toBe(':5\r\n');
    expect(await range('l')).toEqual(['b', 'a', 'm', 'y', 'z']);
  });

  it('WRONGTYPE on other types, and arity errors', async () => {
    await redis.set('s', 'x');
    for (const name of ['LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX']) {
      expect(await call(name, 's', 'a')).toBe(WRONGTYPE);
      expect(await call(name, 's')).toBe(`-ERR wrong number of arguments for '${name.toLowerCase()}' command\r\n`);
    }
    expect(await redis.get('s')).toBe('x');
  });
});

describe('LPOP and RPOP', () => {
  it('without count: one element, or a null bulk for a missing key', async () => {
    await redis.rpush('l', 'a', 'b', 'c');
    expect(await call('LPOP', 'l')).toBe('$1\r\na\r\n');
    expect(await call('RPOP', 'l')).toBe('$1\r\nc\r\n');
    expect(await call('LPOP', 'nokey')).toBe('$-1\r\n');
    expect(await call3('RPOP', 'nokey')).toBe('_\r\n');
  });

  it('with count: an array, tail first for RPOP, at most the length', async () => {
    await redis.rpush('l', 'a', 'b', 'c', 'd', 'e');
    expect(await call('LPOP', 'l', '2')).toBe(bulks('a', 'b'));
    expect(await call('RPOP', 'l', '2')).toBe(bulks('e', 'd'));
    expect(await call('LPOP', 'l', '9223372036854775807')).toBe(bulks('c'));
  });

  it('count 0 is an empty array on a list, and a missing key with count is a null array', async () => {
    await redis.rpush('l', 'a');
    expect(await call('LPOP', 'l', '0')).toBe('*0\r\n');
    expect(await redis.llen('l')).toBe(1);
    expect(await call('LPOP', 'nokey', '0')).toBe('*-1\r\n');
    expect(await call('RPOP', 'nokey', '1')).toBe('*-1\r\n');
    expect(await call3('LPOP', 'nokey', '1')).toBe('_\r\n');
    expect(await redis.lpop('nokey', 2)).toBeNull();
  });

  it('the count is checked before the key; a bad count says "must be positive"', async () => {
    await redis.set('s', 'x');
    expect(await call('LPOP', 'nokey', '-1')).toBe(MUST_BE_POSITIVE);
    expect(await call('LPOP', 'nokey', 'abc')).toBe(MUST_BE_POSITIVE);
    expect(await call('RPOP', 's', 'abc')).toBe(MUST_BE_POSITIVE);
    expect(await call('LPOP', 's', '0')).toBe(WRONGTYPE);
    expect(await call('LPOP', 's')).toBe(WRONGTYPE);
  });

  it('more than one count argument is an arity error', async () => {
    expect(await call('LPOP', 'l', '1', '2')).toBe("-ERR wrong number of arguments for 'lpop' command\r\n");
    expect(await call('rpop', 'l', '1', '2')).toBe("-ERR wrong number of arguments for 'rpop' command\r\n");
  });

  it('popping the last element deletes the key', async () => {
    await redis.rpush('l', 'a', 'b');
    await redis.lpop('l');
    await redis.rpop('l');
    expect(await redis.exists('l')).toBe(0);
    await redis.rpush('l', 'a', 'b');
    await redis.lpop('l', 5);
    expect(await redis.exists('l')).toBe(0);
  });
});

describe('LLEN, LRANGE, LINDEX', () => {
  it('LLEN: the length, 0 for a missing key', async () => {
    await redis.rpush('l', 'a', 'b');
    expect(await call('LLEN', 'l')).toBe(':2\r\n');
    expect(await call('LLEN', 'nokey')).toBe(':0\r\n');
    await redis.set('s', 'x');
    expect(await call('LLEN', 's')).toBe(WRONGTYPE);
  });

  it('LRANGE: inclusive, negative from the tail, clamped', async () => {
    await redis.rpush('l', 'a', 'b', 'c', 'd');
    expect(await redis.lrange('l', 1, 2)).toEqual(['b', 'c']);
    expect(await redis.lrange('l', -3, -2)).toEqual(['b', 'c']);
    expect(await redis.lrange('l', -100, 100)).toEqual(['a', 'b', 'c', 'd']);
    expect(await call('LRANGE', 'l', '2', '1')).toBe('*0\r\n');
    expect(await call('LRANGE', 'l', '4', '10')).toBe('*0\r\n');
    expect(await call('LRANGE', 'l', '-9223372036854775808', '9223372036854775807')).toBe(bulks('a', 'b', 'c', 'd'));
    expect(await call('LRANGE', 'nokey', '0', '-1')).toBe('*0\r\n');
  });

  it('LRANGE reads its indexes before the key', async () => {
    await redis.set('s', 'x');
    expect(await call('LRANGE', 's', 'a', '1')).toBe(NOT_INTEGER);
    expect(await call('LRANGE', 'nokey', '0', 'b')).toBe(NOT_INTEGER);
    expect(await call('LRANGE', 's', '0', '1')).toBe(WRONGTYPE);
  });

  it('LINDEX: the element, or a null bulk; the key is looked up first', async () => {
    await redis.rpush('l', 'a', 'b', 'c');
    expect(await call('LINDEX', 'l', '0')).toBe('$1\r\na\r\n');
    expect(await call('LINDEX', 'l', '-1')).toBe('$1\r\nc\r\n');
    expect(await call('LINDEX', 'l', '3')).toBe('$-1\r\n');
    expect(await call('LINDEX', 'l', '-9223372036854775808')).toBe('$-1\r\n');
    expect(await call3('LINDEX', 'l', '9223372036854775807')).toBe('_\r\n');
    expect(await call('LINDEX', 'nokey', 'x')).toBe('$-1\r\n');
    expect(await call('LINDEX', 'l', 'x')).toBe(NOT_INTEGER);
    await redis.set('s', 'x');
    expect(await call('LINDEX', 's', 'x')).toBe(WRONGTYPE);
  });
});

describe('LSET', () => {
  it('replaces by index, negative from the tail', async () => {
    await redis.rpush('l', 'a', 'b', 'c');
    expect(await call('LSET', 'l', '0', 'x')).toBe('+OK\r\n');
    expect(await call('LSET', 'l', '-1', 'z')).toBe('+OK\r\n');
    expect(await range('l')).toEqual(['x', 'b', 'z']);
  });

  it('errors: no such key, WRONGTYPE, then the index', async () => {
    expect(await call('LSET', 'nokey', 'x', 'v')).toBe('-ERR no such key\r\n');
    expect(await call('LSET', 'nokey', '0', 'v')).toBe('-ERR no such key\r\n');
    await redis.set('s', 'x');
    expect(await call('LSET', 's', 'x', 'v')).toBe(WRONGTYPE);
    await redis.rpush('l', 'a', 'b');
    expect(await call('LSET', 'l', 'x', 'v')).toBe(NOT_INTEGER);
    expect(await call('LSET', 'l', '2', 'v')).toBe('-ERR index out of range\r\n');
    expect(await call('LSET', 'l', '-3', 'v')).toBe('-ERR index out of range\r\n');
    expect(await range('l')).toEqual(['a', 'b']);
  });
});

describe('LINSERT', () => {
  it('inserts before or after the first pivot (any case) and replies the length', async () => {
    await redis.rpush('l', 'a', 'b', 'a');
    expect(await call('LINSERT', 'l', 'BEFORE', 'a', 'x')).toBe(':4\r\n');
    expect(await call('LINSERT', 'l', 'after', 'a', 'y')).toBe(':5\r\n');
    expect(await call('LINSERT', 'l', 'AfTeR', 'a', 'z')).toBe(':6\r\n');
    expect(await range('l')).toEqual(['x', 'a', 'z', 'y', 'b', 'a']);
  });

  it('-1 without the pivot, 0 without the key', async () => {
    await redis.rpush('l', 'a');
    expect(await call('LINSERT', 'l', 'before', 'zz', 'x')).toBe(':-1\r\n');
    expect(await call('LINSERT', 'nokey', 'before', 'a', 'x')).toBe(':0\r\n');
    expect(await redis.exists('nokey')).toBe(0);
  });

  it('the position word is checked first; a NUL ends it, as in C', async () => {
    await redis.set('s', 'x');
    expect(await call('LINSERT', 'nokey', 'foo', 'a', 'b')).toBe(SYNTAX);
    expect(await call('LINSERT', 's', 'beforex', 'a', 'b')).toBe(SYNTAX);
    expect(await call('LINSERT', 's', 'before', 'a', 'b')).toBe(WRONGTYPE);
    await redis.rpush('l', 'a');
    expect(await call('LINSERT', 'l', 'after\x00junk', 'a', 'b')).toBe(':2\r\n');
  });
});

describe('LREM', () => {
  it('count > 0 from the head, < 0 from the tail, 0 removes all', async () => {
    await redis.rpush('l', 'a', 'b', 'a', 'c', 'a');
    expect(await call('LREM', 'l', '-2', 'a')).toBe(':2\r\n');
    expect(await range('l')).toEqual(['a', 'b', 'c']);
    await redis.rpush('l', 'a', 'a');
    expect(await call('LREM', 'l', '1', 'a')).toBe(':1\r\n');
    expect(await range('l')).toEqual(['b', 'c', 'a', 'a']);
    expect(await call('LREM', 'l', '0', 'a')).toBe(':2\r\n');
    expect(await call('LREM', 'l', '0', 'zz')).toBe(':0\r\n');
    expect(await call('LREM', 'l', '-9223372036854775808', 'b')).toBe(':1\r\n');
    expect(await call('LREM', 'l', '9223372036854775807', 'c')).toBe(':1\r\n');
    expect(await redis.exists('l')).toBe(0);
  });

  it('the count is read before the key', async () => {
    await redis.set('s', 'x');
    expect(await call('LREM', 'nokey', 'x', 'a')).toBe(NOT_INTEGER);
    expect(await call('LREM', 's', '1', 'a')).toBe(WRONGTYPE);
    expect(await call('LREM', 'nokey', '1', 'a')).toBe(':0\r\n');
  });
});

describe('LTRIM', () => {
  it('keeps start..stop and deletes a list trimmed to nothing', async () => {
    await redis.rpush('l', '1', '2', '3', '4', '5');
    expect(await call('LTRIM', 'l', '1', '-2')).toBe('+OK\r\n');
    expect(await range('l')).toEqual(['2', '3', '4']);
    expect(await call('LTRIM', 'l', '0', '100')).toBe('+OK\r\n');
    expect(await range('l')).toEqual(['2', '3', '4']);
    expect(await call('LTRIM', 'l', '5', '1')).toBe('+OK\r\n');
    expect(await redis.exists('l')).toBe(0);
  });

  it('OK on a missing key; indexes are read before the key', async () => {
    expect(await call('LTRIM', 'nokey', '0', '1')).toBe('+OK\r\n');
    expect(await call('LTRIM', 'nokey', 'a', '1')).toBe(NOT_INTEGER);
    await redis.set('s', 'x');
    expect(await call('LTRIM', 's', '0', '1')).toBe(WRONGTYPE);
  });
});

describe('LPOS', () => {
  beforeEach(async () => {
    await redis.rpush('l', 'a', 'b', 'c', 'a', 'b', 'c', 'a');
  });

  it('the first match, or a null', async () => {
    expect(await call('LPOS', 'l', 'c')).toBe(':2\r\n');
    expect(await call('LPOS', 'l', 'zz')).toBe('$-1\r\n');
    expect(await call3('LPOS', 'l', 'zz')).toBe('_\r\n');
    expect(await call('LPOS', 'nokey', 'a')).toBe('$-1\r\n');
  });

  it('RANK picks the n-th match, counting from the tail when negative', async () => {
    expect(await call('LPOS', 'l', 'a', 'RANK', '2')).toBe(':3\r\n');
    expect(await call('LPOS', 'l', 'a', 'rank', '-1')).toBe(':6\r\n');
    expect(await call('LPOS', 'l', 'a', 'RANK', '-3')).toBe(':0\r\n');
    expect(await call('LPOS', 'l', 'c', 'RANK', '5')).toBe('$-1\r\n');
    expect(await call('LPOS', 'l', 'a', 'RANK', '9223372036854775807')).toBe('$-1\r\n');
    expect(await call('LPOS', 'l', 'a', 'RANK', '-9223372036854775807')).toBe('$-1\r\n');
    // -INT64_MIN overflows in C to itself, which every match satisfies, and
    // COUNT's stop test overflows with it: every match, from the tail.
    expect(await call('LPOS', 'l', 'a', 'RANK', '-9223372036854775808')).toBe(':6\r\n');
    expect(await call('LPOS', 'l', 'a', 'RANK', '-9223372036854775808', 'COUNT', '1')).toBe('*3\r\n:6\r\n:3\r\n:0\r\n');
    expect(await call('LPOS', 'l', 'a', 'COUNT', '1', 'RANK', '-9223372036854775808', 'RANK', '-1')).toBe('*1\r\n:6\r\n');
  });

  it('COUNT returns an array (0 = all), MAXLEN limits the scan', async () => {
    expect(await call('LPOS', 'l', 'a', 'COUNT', '0')).toBe('*3\r\n:0\r\n:3\r\n:6\r\n');
    expect(await call('LPOS', 'l', 'a', 'COUNT', '2')).toBe('*2\r\n:0\r\n:3\r\n');
    expect(await call('LPOS', 'l', 'a', 'RANK', '-2', 'COUNT', '0')).toBe('*2\r\n:3\r\n:0\r\n');
    expect(await call('LPOS', 'l', 'a', 'MAXLEN', '1', 'COUNT', '0')).toBe('*1\r\n:0\r\n');
    expect(await call('LPOS', 'l', 'a', 'MAXLEN', '4', 'COUNT', '0', 'RANK', '2')).toBe('*1\r\n:3\r\n');
    expect(await call('LPOS', 'l', 'zz', 'COUNT', '1')).toBe('*0\r\n');
    expect(await call('LPOS', 'nokey', 'a', 'COUNT', '0')).toBe('*0\r\n');
    expect(await redis.call('LPOS', 'l', 'b', 'COUNT', '0')).toEqual([1, 4]);
  });

  it('repeated options: the last one wins', async () => {
    expect(await call('LPOS', 'l', 'a', 'RANK', '1', 'RANK', '-1')).toBe(':6\r\n');
    expect(await call('LPOS', 'l', 'a', 'COUNT', '2', 'COUNT', '1')).toBe('*1\r\n:0\r\n');
  });

  it('errors, which come before the key lookup', async () => {
    await redis.set('s', 'x');
    expect(await call('LPOS', 'l', 'a', 'RANK', '0')).toBe(RANK_ZERO);
    expect(await call('LPOS', 's', 'a', 'RANK', '0')).toBe(RANK_ZERO);
    expect(await call('LPOS', 'nokey', 'a', 'RANK', '0')).toBe(RANK_ZERO);
    expect(await call('LPOS', 'l', 'a', 'RANK', 'abc')).toBe(NOT_INTEGER);
    expect(await call('LPOS', 'l', 'a', 'COUNT', '-1')).toBe("-ERR COUNT can't be negative\r\n");
    expect(await call('LPOS', 'l', 'a', 'COUNT', 'abc')).toBe("-ERR COUNT can't be negative\r\n");
    expect(await call('LPOS', 'l', 'a', 'MAXLEN', '-1')).toBe("-ERR MAXLEN can't be negative\r\n");
    expect(await call('LPOS', 'l', 'a', 'MAXLEN', 'abc')).toBe("-ERR MAXLEN can't be negative\r\n");
    expect(await call('LPOS', 'l', 'a', 'RANK')).toBe(SYNTAX);
    expect(await call('LPOS', 'l', 'a', 'foo')).toBe(SYNTAX);
    expect(await call('LPOS', 's', 'a')).toBe(WRONGTYPE);
  });
});

describe('LMOVE and RPOPLPUSH', () => {
  it('move between the ends of two lists and reply the element', async () => {
    await redis.rpush('src', 'a', 'b', 'c');
    expect(await call('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT')).toBe('$1\r\na\r\n');
    expect(await call('LMOVE', 'src', 'dst', 'right', 'left')).toBe('$1\r\nc\r\n');
    expect(await call('RPOPLPUSH', 'src', 'dst')).toBe('$1\r\nb\r\n');
    expect(await range('dst')).toEqual(['b', 'c', 'a']);
    expect(await redis.exists('src')).toBe(0);
    expect(await redis.lmove('dst', 'x', 'LEFT', 'LEFT')).toBe('b');
  });

  it('source == destination rotates, and a one-element list survives', async () => {
    await redis.rpush('l', 'a', 'b', 'c');
    expect(await call('LMOVE', 'l', 'l', 'LEFT', 'RIGHT')).toBe('$1\r\na\r\n');
    expect(await call('RPOPLPUSH', 'l', 'l')).toBe('$1\r\na\r\n');
    expect(await range('l')).toEqual(['a', 'b', 'c']);
    await redis.rpush('one', 'x');
    expect(await call('RPOPLPUSH', 'one', 'one')).toBe('$1\r\nx\r\n');
    expect(await call('LMOVE', 'one', 'one', 'LEFT', 'LEFT')).toBe('$1\r\nx\r\n');
    expect(await range('one')).toEqual(['x']);
  });

  it('a null bulk for a missing source; the destination is not created', async () => {
    expect(await call('LMOVE', 'nokey', 'dst', 'LEFT', 'LEFT')).toBe('$-1\r\n');
    expect(await call3('RPOPLPUSH', 'nokey', 'dst')).toBe('_\r\n');
    expect(await redis.exists('dst')).toBe(0);
  });

  it('a destination of the wrong type is checked before popping', async () => {
    await redis.rpush('l', 'a');
    await redis.set('s', 'x');
    expect(await call('LMOVE', 'l', 's', 'LEFT', 'LEFT')).toBe(WRONGTYPE);
    expect(await call('RPOPLPUSH', 'l', 's')).toBe(WRONGTYPE);
    expect(await range('l')).toEqual(['a']);
    expect(await call('LMOVE', 's', 'l', 'LEFT', 'LEFT')).toBe(WRONGTYPE);
    // A missing source answers before the destination is looked at.
    expect(await call('RPOPLPUSH', 'nokey', 's')).toBe('$-1\r\n');
  });

  it('LEFT|RIGHT are checked before the keys', async () => {
    expect(await call('LMOVE', 'nokey', 'd', 'foo', 'left')).toBe(SYNTAX);
    expect(await call('LMOVE', 'nokey', 'd', 'left', 'up')).toBe(SYNTAX);
  });
});

describe('LMPOP', () => {
  it('pops from the first non-empty list: [key, [elements]]', async () => {
    await redis.rpush('l2', 'a', 'b', 'c');
    expect(await call('LMPOP', '2', 'l1', 'l2', 'LEFT')).toBe('*2\r\n$2\r\nl2\r\n' + bulks('a'));
    expect(await call('LMPOP', '2', 'l1', 'l2', 'right', 'COUNT', '5')).toBe('*2\r\n$2\r\nl2\r\n' + bulks('c', 'b'));
    expect(await redis.exists('l2')).toBe(0);
    expect(await call('LMPOP', '1', 'l1', 'LEFT')).toBe('*-1\r\n');
    expect(await call3('LMPOP', '1', 'l1', 'LEFT')).toBe('_\r\n');
    await redis.rpush('l1', 'x');
    expect(await redis.lmpop(2, 'l1', 'l2', 'LEFT')).toEqual(['l1', ['x']]);
  });

  it('WRONGTYPE for another type met before a list with data', async () => {
    await redis.set('s', 'x');
    await redis.rpush('l', 'a');
    expect(await call('LMPOP', '2', 'nokey', 's', 'LEFT')).toBe(WRONGTYPE);
    expect(await call('LMPOP', '2', 's', 'l', 'LEFT')).toBe(WRONGTYPE);
    expect(await call('LMPOP', '2', 'l', 's', 'LEFT')).toBe('*2\r\n$1\r\nl\r\n' + bulks('a'));
  });

  it('numkeys, LEFT|RIGHT and COUNT errors', async () => {
    expect(await call('LMPOP', '0', 'l', 'LEFT')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(await call('LMPOP', '-1', 'l', 'LEFT')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(await call('LMPOP', 'abc', 'l', 'LEFT')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(await call('LMPOP', '2', 'l', 'LEFT')).toBe(SYNTAX);
    expect(await call('LMPOP', '9223372036854775807', 'l', 'LEFT')).toBe(SYNTAX);
    expect(await call('LMPOP', '1', 'l', 'foo')).toBe(SYNTAX);
    expect(await call('LMPOP', '1', 'l', 'LEFT', 'COUNT')).toBe(SYNTAX);
    expect(await call('LMPOP', '1', 'l', 'LEFT', 'COUNT', '0')).toBe('-ERR count should be greater than 0\r\n');
    expect(await call('LMPOP', '1', 'l', 'LEFT', 'COUNT', 'abc')).toBe('-ERR count should be greater than 0\r\n');
    expect(await call('LMPOP', '1', 'l', 'LEFT', 'COUNT', '2', 'COUNT', '2')).toBe(SYNTAX);
    expect(await call('LMPOP', '1', 'l', 'LEFT', 'foo', '2')).toBe(SYNTAX);
    expect(await call('LMPOP', '1', 'l')).toBe("-ERR wrong number of arguments for 'lmpop' command\r\n");
  });

  it('COMMAND GETKEYS finds the numkeys keys', async () => {
    expect(await redis.call('COMMAND', 'GETKEYS', 'LMPOP', '2', 'a', 'b', 'LEFT')).toEqual(['a', 'b']);
    expect(await redis.call('COMMAND', 'GETKEYS', 'BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '2')).toEqual(['a']);
    expect(await redis.call('COMMAND', 'GETKEYS', 'BLPOP', 'a', 'b', '0')).toEqual(['a', 'b']);
    // A numkeys reaching past the arguments names no keys at all.
    expect(await call('COMMAND', 'GETKEYS', 'LMPOP', '5', 'a', 'LEFT')).toBe('-ERR Invalid arguments specified for command\r\n');
  });
});

describe('blocking commands that need not wait', () => {
  it('BLPOP/BRPOP serve the first key with data, in argument order', async () => {
    await redis.rpush('b', '1', '2', '3');
    expect(await call('BLPOP', 'a', 'b', '0')).toBe(bulks('b', '1'));
    expect(await call('BRPOP', 'a', 'b', '0')).toBe(bulks('b', '3'));
    await redis.rpush('a', 'x');
    expect(await redis.blpop('b', 'a', 0)).toEqual(['b', '2']);
    expect(await redis.exists('b')).toBe(0);
    expect(await call3('BLPOP', 'b', 'a', '0')).toBe(bulks('a', 'x'));
  });

  it('BLMPOP, BLMOVE, BRPOPLPUSH behave like their non-blocking forms', async () => {
    await redis.rpush('l', '1', '2', '3');
    expect(await call('BLMPOP', '0', '2', 'nokey', 'l', 'RIGHT', 'COUNT', '2')).toBe('*2\r\n$1\r\nl\r\n' + bulks('3', '2'));
    expect(await call('BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0')).toBe('$1\r\n1\r\n');
    expect(await call('BRPOPLPUSH', 'd', 'd', '0')).toBe('$1\r\n1\r\n');
    expect(await redis.exists('l')).toBe(0);
    expect(await range('d')).toEqual(['1']);
  });

  it('WRONGTYPE for another type among the keys, even after an empty one', async () => {
    await redis.set('s', 'x');
    expect(await call('BLPOP', 'nokey', 's', '0')).toBe(WRONGTYPE);
    expect(await call('BLMPOP', '0', '2', 'nokey', 's', 'LEFT')).toBe(WRONGTYPE);
    expect(await call('BLMOVE', 's', 'd', 'LEFT', 'LEFT', '0')).toBe(WRONGTYPE);
    await redis.rpush('l', 'a');
    expect(await call('BLMOVE', 'l', 's', 'LEFT', 'LEFT', '0')).toBe(WRONGTYPE);
    expect(await call('BRPOPLPUSH', 'l', 's', '0')).toBe(WRONGTYPE);
    expect(await range('l')).toEqual(['a']);
  });

  it('argument errors come in Redis order: BLMPOP reads its timeout last', async () => {
    expect(await call('BLMOVE', 'k', 'd', 'lef', 'left', 'abc')).toBe(SYNTAX);
    expect(await call('BLMOVE', 'k', 'd', 'left', 'left', 'abc')).toBe(TIMEOUT_NOT_FLOAT);
    expect(await call('BRPOPLPUSH', 'k', 'd', '-1')).toBe(TIMEOUT_NEGATIVE);
    expect(await call('BLMPOP', 'abc', '0', 'k', 'LEFT')).toBe('-ERR numkeys should be greater than 0\r\n');
    expect(await call('BLMPOP', '-1', '1', 'k', 'LEFT', 'COUNT', '0')).toBe('-ERR count should be greater than 0\r\n');
    expect(await call('BLMPOP', '-1', '1', 'k', 'LEFT')).toBe(TIMEOUT_NEGATIVE);
    expect(await call('BLMPOP', 'abc', '1', 'k', 'LEFT')).toBe(TIMEOUT_NOT_FLOAT);
  });

  it('timeouts are parsed as Redis 7.0 parses them (long double seconds, ceil to ms)', async () => {
    for (const bad of ['abc', '', ' 1', '1 ', 'nan', '1e-5000']) {
      expect(await call('BLPOP', 'k', bad), bad).toBe(TIMEOUT_NOT_FLOAT);
    }
    // Beyond long long milliseconds, or infinite: converted to LLONG_MIN in C.
    for (const bad of ['-1', '-0.002', '-1.001', 'inf', '-inf', '1e16', '9223372036854775807', '9223372036854775.808']) {
      expect(await call('BRPOP', 'k', bad), bad).toBe(TIMEOUT_NEGATIVE);
    }
    // Any positive timeout is at least 1 ms, so these time out (almost) at once.
    for (const tiny of ['1e-400', '0.0001', '0x1p-20']) {
      expect(await call('BLPOP', 'k', tiny), tiny).toBe('*-1\r\n');
    }
    expect(await call3('BLMPOP', '0.001', '1', 'k', 'LEFT')).toBe('_\r\n');
    expect(await call('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0.001')).toBe('*-1\r\n');
    expect(await call('BRPOPLPUSH', 'k', 'd', '0.001')).toBe('*-1\r\n');
  });

  it('inside MULTI they answer at once: a null array, but a null bulk for the moves', async () => {
    expect(await call('MULTI')).toBe('+OK\r\n');
    for (const command of [
      ['BLPOP', 'k', '0'],
      ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'k', 'd', '0'],
      ['BLMPOP', '0', '1', 'k', 'LEFT', 'COUNT', '3'],
      ['BRPOP', 'k', '0'],
      ['BLPOP', 'k', '-1'],
    ]) {
      expect(await call(...command)).toBe('+QUEUED\r\n');
    }
    expect(await call('EXEC')).toBe('*6\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n*-1\r\n-ERR timeout is negative\r\n');
    await call3('MULTI');
    await call3('BLPOP', 'k', '0');
    await call3('BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
    expect(await call3('EXEC')).toBe('*2\r\n_\r\n_\r\n');
  });
});

describe('WATCH', () => {
  /** Runs `command` from another client between WATCH l and EXEC; true when EXEC still ran. */
  async function execSurvives(...command: string[]): Promise<boolean> {
    await call('WATCH', 'l');
    await call('MULTI');
    await call('PING');
    await call3(...command);
    return (await call('EXEC')) === '*1\r\n+PONG\r\n';
  }

  it('writes that change nothing leave a watched list alone, as in Redis', async () => {
    expect(await execSurvives('LPOP', 'l')).toBe(true);
    expect(await execSurvives('RPOP', 'l', '2')).toBe(true);
    expect(await execSurvives('LPUSHX', 'l', 'v')).toBe(true);
    expect(await execSurvives('LTRIM', 'l', '0', '1')).toBe(true);
    expect(await execSurvives('LMOVE', 'l', 'x', 'LEFT', 'LEFT')).toBe(true);
    expect(await execSurvives('LMPOP', '1', 'l', 'LEFT')).toBe(true);
    expect(await execSurvives('BLPOP', 'l', '0.01')).toBe(true);
    await redis.rpush('l', 'a');
    expect(await execSurvives('LREM', 'l', '0', 'zz')).toBe(true);
    expect(await execSurvives('LINSERT', 'l', 'BEFORE', 'zz', 'v')).toBe(true);
    expect(await execSurvives('LSET', 'l', '5', 'v')).toBe(true);
    expect(await execSurvives('LPOP', 'l', '0')).toBe(true);
  });

  it('writes that change the list make EXEC fail', async () => {
    const changes: string[][] = [
      ['RPUSH', 'l', 'b'],
      ['LSET', 'l', '0', 'z'],
      ['LINSERT', 'l', 'AFTER', 'z', 'y'],
      ['LREM', 'l', '1', 'y'],
      ['LTRIM', 'l', '0', '-1'],
      ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'],
      ['LMOVE', 'other', 'l', 'LEFT', 'RIGHT'],
      ['BLMPOP', '0', '1', 'l', 'LEFT'],
    ];
    await redis.rpush('l', 'a', 'b', 'c');
    await redis.rpush('other', 'o');
    for (const command of changes) {
      expect(await execSurvives(...command), command.join(' ')).toBe(false);
    }
  });
});

describe('keys that are no longer lists', () => {
  it('a list emptied by any command leaves the keyspace', async () => {
    const cases: Array<[string[], string[]]> = [
      [['LPOP', 'l'], ['RPUSH', 'l', 'a']],
      [['RPOP', 'l', '3'], ['RPUSH', 'l', 'a']],
      [['LREM', 'l', '0', 'a'], ['RPUSH', 'l', 'a', 'a']],
      [['LTRIM', 'l', '1', '0'], ['RPUSH', 'l', 'a']],
      [['LMOVE', 'l', 'x', 'LEFT', 'LEFT'], ['RPUSH', 'l', 'a']],
      [['LMPOP', '1', 'l', 'LEFT', 'COUNT', '9'], ['RPUSH', 'l', 'a', 'b']],
    ];
    for (const [command, setup] of cases) {
      await call(...setup);
      await call(...command);
      expect(server.server.keyspace.databases[0]!.dict.has('l'), command.join(' ')).toBe(false);
    }
  });

  it('a list value from the store answers like one pushed over the wire', async () => {
    const list = new QuickList();
    list.pushTail(['a', 'b']);
    server.server.keyspace.databases[0]!.set('l', list);
    expect(await call('LRANGE', 'l', '0', '-1')).toBe(bulks('a', 'b'));
  });
});
