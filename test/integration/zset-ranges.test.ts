/**
 * The sorted set range commands over real sockets: ZRANGE with BYSCORE,
 * BYLEX, REV, LIMIT and WITHSCORES, the older ZREVRANGE and
 * Z[REV]RANGEBY{SCORE,LEX}, ZRANGESTORE, ZCOUNT, ZLEXCOUNT and
 * ZREMRANGEBY{RANK,SCORE,LEX}. Every expected reply was checked against
 * redis-server 7.0.15 (see zset-server.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EMPTY,
  LEX_RANGE,
  NOT_INTEGER,
  SCORE_RANGE,
  SYNTAX,
  WRONGTYPE,
  arr,
  bulk,
  bulks,
  error,
  int,
  scored2,
  scored3,
  useZsetTarget,
} from './zset-server.js';

const target = useZsetTarget();
const { call, call3 } = target;

beforeEach(async () => {
  // a..f with scores -inf, -1.5, 0, 1, 2, +inf
  await call('ZADD', 'z', '-inf', 'a', '-1.5', 'b', '0', 'c', '1', 'd', '2', 'e', '+inf', 'f');
  // Equal scores: ordered by member bytes.
  await call('ZADD', 'lex', '0', 'alpha', '0', 'beta', '0', 'b', '0', 'ca\x00t', '0', 'cat', '0', '\xff');
});

describe('ZRANGE by rank', () => {
  it('takes negative indexes from the end and clamps out-of-range ones', async () => {
    expect(await call('ZRANGE', 'z', '0', '-1')).toBe(bulks('a', 'b', 'c', 'd', 'e', 'f'));
    expect(await call('ZRANGE', 'z', '-2', '-1')).toBe(bulks('e', 'f'));
    expect(await call('ZRANGE', 'z', '-100', '1')).toBe(bulks('a', 'b'));
    expect(await call('ZRANGE', 'z', '4', '100')).toBe(bulks('e', 'f'));
    expect(await call('ZRANGE', 'z', '3', '2')).toBe(EMPTY);
    expect(await call('ZRANGE', 'z', '6', '10')).toBe(EMPTY);
    expect(await call('ZRANGE', 'nokey', '0', '-1')).toBe(EMPTY);
  });

  it('REV and ZREVRANGE count ranks from the highest score', async () => {
    expect(await call('ZRANGE', 'z', '0', '1', 'REV')).toBe(bulks('f', 'e'));
    expect(await call('ZREVRANGE', 'z', '0', '1', 'WITHSCORES')).toBe(scored2('f', 'inf', 'e', '2'));
    expect(await call('ZREVRANGE', 'z', '-1', '-1')).toBe(bulks('a'));
  });

  it('WITHSCORES is flat in RESP2 and pairs in RESP3', async () => {
    expect(await call('ZRANGE', 'z', '0', '2', 'WITHSCORES')).toBe(scored2('a', '-inf', 'b', '-1.5', 'c', '0'));
    expect(await call3('ZRANGE', 'z', '0', '2', 'withscores')).toBe(scored3('a', '-inf', 'b', '-1.5', 'c', '0'));
    expect(await call3('ZRANGE', 'z', '0', '2')).toBe(bulks('a', 'b', 'c'));
  });

  it('refuses LIMIT, except LIMIT x -1, which reads as no limit', async () => {
    expect(await call('ZRANGE', 'z', '0', '-1', 'LIMIT', '0', '1')).toBe(
      error('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX'),
    );
    expect(await call('ZRANGE', 'z', '0', '1', 'LIMIT', '5', '-1')).toBe(bulks('a', 'b'));
    expect(await call('ZRANGE', 'z', 'a', '1')).toBe(NOT_INTEGER);
    expect(await call('ZREVRANGE', 'z', '0', '1', 'REV')).toBe(SYNTAX);
    expect(await call('ZREVRANGE', 'z', '0', '1', 'BYSCORE')).toBe(SYNTAX);
  });
});

describe('ZRANGE BYSCORE and Z[REV]RANGEBYSCORE', () => {
  it('takes inclusive, exclusive and infinite bounds', async () => {
    expect(await call('ZRANGE', 'z', '-1.5', '1', 'BYSCORE')).toBe(bulks('b', 'c', 'd'));
    expect(await call('ZRANGEBYSCORE', 'z', '(-1.5', '(1')).toBe(bulks('c'));
    expect(await call('ZRANGEBYSCORE', 'z', '-inf', '(0', 'WITHSCORES')).toBe(scored2('a', '-inf', 'b', '-1.5'));
    expect(await call('ZRANGEBYSCORE', 'z', '(2', '+inf')).toBe(bulks('f'));
    expect(await call('ZRANGEBYSCORE', 'z', '(inf', '+inf')).toBe(EMPTY);
    expect(await call('ZRANGEBYSCORE', 'z', '1', '0')).toBe(EMPTY);
    // strtod rules: "(" alone is an exclusive 0, leading spaces pass, 1e400 is inf.
    expect(await call('ZRANGEBYSCORE', 'z', '(', ' 1')).toBe(bulks('d'));
    expect(await call('ZRANGEBYSCORE', 'z', '1e400', '1e400')).toBe(bulks('f'));
  });

  it('REV takes the bounds as max, min', async () => {
    expect(await call('ZRANGE', 'z', '1', '-1.5', 'BYSCORE', 'REV')).toBe(bulks('d', 'c', 'b'));
    expect(await call('ZREVRANGEBYSCORE', 'z', '+inf', '(0', 'WITHSCORES')).toBe(scored2('f', 'inf', 'e', '2', 'd', '1'));
    expect(await call('ZREVRANGEBYSCORE', 'z', '0', '1')).toBe(EMPTY);
  });

  it('LIMIT skips and counts; a negative count means all, a negative offset nothing', async () => {
    expect(await call('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '1', '2')).toBe(bulks('b', 'c'));
    expect(await call('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '4', '-1')).toBe(bulks('e', 'f'));
    expect(await call('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '-1', '2')).toBe(EMPTY);
    expect(await call('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '1', '0')).toBe(EMPTY);
    expect(await call('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'LIMIT', '6', '1')).toBe(EMPTY);
    expect(await call('ZREVRANGEBYSCORE', 'z', '+inf', '-inf', 'LIMIT', '1', '2', 'WITHSCORES')).toBe(scored2('e', '2', 'd', '1'));
    expect(await call3('ZRANGE', 'z', '(0', 'inf', 'BYSCORE', 'LIMIT', '0', '2', 'WITHSCORES')).toBe(scored3('d', '1', 'e', '2'));
    expect(await call('ZRANGEBYSCORE', 'z', '0', '1', 'LIMIT', '0')).toBe(SYNTAX);
    expect(await call('ZRANGEBYSCORE', 'z', '0', '1', 'LIMIT', 'x', '1')).toBe(NOT_INTEGER);
  });

  it('rejects bad bounds before looking at the key', async () => {
    await call('SET', 's', 'x');
    expect(await call('ZRANGEBYSCORE', 's', 'a', '1')).toBe(SCORE_RANGE);
    expect(await call('ZRANGEBYSCORE', 'z', '((1', '2')).toBe(SCORE_RANGE);
    expect(await call('ZRANGEBYSCORE', 'z', 'nan', '2')).toBe(SCORE_RANGE);
    expect(await call('ZRANGEBYSCORE', 's', '0', '1')).toBe(WRONGTYPE);
  });
});

describe('ZRANGE BYLEX and Z[REV]RANGEBYLEX', () => {
  it('orders by member bytes, with [ and ( bounds and - / +', async () => {
    expect(await call('ZRANGEBYLEX', 'lex', '-', '+')).toBe(bulks('alpha', 'b', 'beta', 'ca\x00t', 'cat', '\xff'));
    expect(await call('ZRANGEBYLEX', 'lex', '[b', '(cat')).toBe(bulks('b', 'beta', 'ca\x00t'));
    expect(await call('ZRANGEBYLEX', 'lex', '(b', '[ca')).toBe(bulks('beta'));
    expect(await call('ZRANGE', 'lex', '[\xff', '+', 'BYLEX')).toBe(bulks('\xff'));
    expect(await call('ZREVRANGEBYLEX', 'lex', '+', '[c', 'LIMIT', '0', '2')).toBe(bulks('\xff', 'cat'));
    expect(await call('ZRANGE', 'lex', '(cat', '-', 'BYLEX', 'REV')).toBe(bulks('ca\x00t', 'beta', 'b', 'alpha'));
    expect(await call('ZRANGEBYLEX', 'lex', '-', '+', 'LIMIT', '2', '2')).toBe(bulks('beta', 'ca\x00t'));
    expect(await call('ZRANGEBYLEX', 'lex', '+', '-')).toBe(EMPTY);
  });

  it('rejects bounds without [ or ( and WITHSCORES', async () => {
    expect(await call('ZRANGEBYLEX', 'lex', 'a', '+')).toBe(LEX_RANGE);
    expect(await call('ZRANGEBYLEX', 'lex', '-', '++')).toBe(LEX_RANGE);
    expect(await call('ZRANGEBYLEX', 'lex', '-', '+', 'WITHSCORES')).toBe(
      error('ERR syntax error, WITHSCORES not supported in combination with BYLEX'),
    );
    expect(await call('ZRANGE', 'lex', '-', '+', 'BYLEX', 'WITHSCORES')).toBe(
      error('ERR syntax error, WITHSCORES not supported in combination with BYLEX'),
    );
    expect(await call('ZRANGE', 'lex', '-', '+', 'BYLEX', 'BYSCORE')).toBe(SYNTAX);
  });
});

describe('ZRANGESTORE', () => {
  it('stores the range, replacing the destination and its TTL, and replies its size', async () => {
    await call('SET', 'dst', 'old', 'EX', '100');
    expect(await call('ZRANGESTORE', 'dst', 'z', '1', '3')).toBe(int(3));
    expect(await call('ZRANGE', 'dst', '0', '-1', 'WITHSCORES')).toBe(scored2('b', '-1.5', 'c', '0', 'd', '1'));
    expect(await call('TTL', 'dst')).toBe(int(-1));
    expect(await call('ZRANGESTORE', 'dst', 'z', '+inf', '(0', 'BYSCORE', 'REV', 'LIMIT', '1', '5')).toBe(int(2));
    expect(await call('ZRANGE', 'dst', '0', '-1')).toBe(bulks('d', 'e'));
    expect(await call('ZRANGESTORE', 'dst', 'lex', '[c', '+', 'BYLEX')).toBe(int(3));
    expect(await call('ZRANGE', 'dst', '0', '-1')).toBe(bulks('ca\x00t', 'cat', '\xff'));
    expect(await call('ZRANGESTORE', 'z', 'z', '0', '0')).toBe(int(1));
    expect(await call('ZRANGE', 'z', '0', '-1')).toBe(bulks('a'));
  });

  it('deletes the destination on an empty range, and takes no WITHSCORES', async () => {
    await call('SET', 'dst', 'x');
    expect(await call('ZRANGESTORE', 'dst', 'z', '10', '20')).toBe(int(0));
    expect(await call('EXISTS', 'dst')).toBe(int(0));
    await call('SET', 'dst', 'x');
    expect(await call('ZRANGESTORE', 'dst', 'nokey', '0', '-1')).toBe(int(0));
    expect(await call('EXISTS', 'dst')).toBe(int(0));
    expect(await call('ZRANGESTORE', 'dst', 'z', '0', '-1', 'WITHSCORES')).toBe(SYNTAX);
    await call('SET', 's', 'x');
    await call('SET', 'dst', 'kept');
    expect(await call('ZRANGESTORE', 'dst', 's', '0', '-1')).toBe(WRONGTYPE);
    expect(await call('GET', 'dst')).toBe(bulk('kept'));
  });

  it('gives the result the encoding its contents call for', async () => {
    const members: string[] = [];
    for (let i = 0; i < 200; i++) members.push(String(i), `m${i}`);
    await call('ZADD', 'big', ...members);
    expect(await call('OBJECT', 'ENCODING', 'big')).toBe(bulk('skiplist'));
    expect(await call('ZRANGESTORE', 'small', 'big', '0', '9')).toBe(int(10));
    expect(await call('OBJECT', 'ENCODING', 'small')).toBe(bulk('listpack'));
    expect(await call('ZRANGESTORE', 'copy', 'big', '0', '-1')).toBe(int(200));
    expect(await call('OBJECT', 'ENCODING', 'copy')).toBe(bulk('skiplist'));
  });

  it('keeps -0 only where Redis builds a skiplist from the start: a long rank range', async () => {
    const members: string[] = [];
    for (let i = 0; i < 200; i++) members.push('1', `m${i}`);
    await call('ZADD', 'big', ...members);
    await call('ZADD', 'big', '-0', 'neg');
    expect(await call('ZSCORE', 'big', 'neg')).toBe(bulk('-0'));
    // A rank range knows its length (201 > 128): a skiplist at once.
    expect(await call('ZRANGESTORE', 'byrank', 'big', '0', '-1')).toBe(int(201));
    expect(await call('ZSCORE', 'byrank', 'neg')).toBe(bulk('-0'));
    // A score range starts as a listpack, which stores -0 as 0, and converts as it grows.
    expect(await call('ZRANGESTORE', 'byscore', 'big', '-inf', '+inf', 'BYSCORE')).toBe(int(201));
    expect(await call('ZSCORE', 'byscore', 'neg')).toBe(bulk('0'));
    expect(await call('OBJECT', 'ENCODING', 'byscore')).toBe(bulk('skiplist'));
  });
});

describe('ZCOUNT and ZLEXCOUNT', () => {
  it('count members in a range', async () => {
    expect(await call('ZCOUNT', 'z', '-inf', '+inf')).toBe(int(6));
    expect(await call('ZCOUNT', 'z', '(-1.5', '2')).toBe(int(3));
    expect(await call('ZCOUNT', 'z', '(2', '(inf')).toBe(int(0));
    expect(await call('ZCOUNT', 'nokey', '0', '1')).toBe(int(0));
    expect(await call('ZCOUNT', 'z', 'x', '1')).toBe(SCORE_RANGE);
    expect(await call('ZLEXCOUNT', 'lex', '-', '+')).toBe(int(6));
    expect(await call('ZLEXCOUNT', 'lex', '[b', '(cat')).toBe(int(3));
    expect(await call('ZLEXCOUNT', 'lex', 'b', '+')).toBe(LEX_RANGE);
    await call('SET', 's', 'x');
    expect(await call('ZCOUNT', 's', '0', '1')).toBe(WRONGTYPE);
    expect(await call('ZLEXCOUNT', 's', '-', '+')).toBe(WRONGTYPE);
  });
});

describe('ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX', () => {
  it('remove a range and reply how many went', async () => {
    expect(await call('ZREMRANGEBYRANK', 'z', '0', '1')).toBe(int(2));
    expect(await call('ZREMRANGEBYRANK', 'z', '-1', '-1')).toBe(int(1));
    expect(await call('ZREMRANGEBYRANK', 'z', '5', '10')).toBe(int(0));
    expect(await call('ZREMRANGEBYSCORE', 'z', '(0', '1')).toBe(int(1));
    expect(await call('ZRANGE', 'z', '0', '-1')).toBe(bulks('c', 'e'));
    expect(await call('ZREMRANGEBYLEX', 'lex', '[b', '(cat')).toBe(int(3));
    expect(await call('ZRANGE', 'lex', '0', '-1')).toBe(bulks('alpha', 'cat', '\xff'));
  });

  it('delete the key with its last member', async () => {
    expect(await call('ZREMRANGEBYSCORE', 'z', '-inf', '+inf')).toBe(int(6));
    expect(await call('EXISTS', 'z')).toBe(int(0));
    expect(await call('ZREMRANGEBYLEX', 'lex', '-', '+')).toBe(int(6));
    expect(await call('EXISTS', 'lex')).toBe(int(0));
    await call('ZADD', 'r', '1', 'a');
    expect(await call('ZREMRANGEBYRANK', 'r', '0', '-1')).toBe(int(1));
    expect(await call('EXISTS', 'r')).toBe(int(0));
  });

  it('check the range before the key', async () => {
    await call('SET', 's', 'x');
    expect(await call('ZREMRANGEBYRANK', 's', 'a', '1')).toBe(NOT_INTEGER);
    expect(await call('ZREMRANGEBYSCORE', 's', '(', 'x')).toBe(SCORE_RANGE);
    expect(await call('ZREMRANGEBYLEX', 's', '-', 'x')).toBe(LEX_RANGE);
    expect(await call('ZREMRANGEBYRANK', 's', '0', '1')).toBe(WRONGTYPE);
    expect(await call('ZREMRANGEBYRANK', 'nokey', '0', '1')).toBe(int(0));
    expect(await call('ZREMRANGEBYSCORE', 'nokey', '0', '1')).toBe(int(0));
    expect(await call('ZREMRANGEBYLEX', 'nokey', '-', '+')).toBe(int(0));
  });

  it('work the same on a large set', async () => {
    const members: string[] = [];
    const names: string[] = [];
    for (let i = 0; i < 300; i++) {
      members.push(String(i), `m${String(i).padStart(3, '0')}`);
      names.push('0', `n${String(i).padStart(3, '0')}`);
    }
    await call('ZADD', 'big', ...members);
    await call('ZADD', 'names', ...names);
    expect(await call('ZREMRANGEBYRANK', 'big', '10', '19')).toBe(int(10));
    expect(await call('ZREMRANGEBYSCORE', 'big', '(100', '200')).toBe(int(100));
    expect(await call('ZCARD', 'big')).toBe(int(190));
    expect(await call('ZRANGE', 'big', '8', '11')).toBe(bulks('m008', 'm009', 'm020', 'm021'));
    expect(await call('ZCOUNT', 'big', '95', '205')).toBe(int(11));
    expect(await call('ZRANGEBYSCORE', 'big', '99', '(202', 'WITHSCORES', 'LIMIT', '1', '5')).toBe(
      scored2('m100', '100', 'm201', '201'),
    );
    expect(await call('ZREVRANGE', 'big', '0', '0', 'WITHSCORES')).toBe(arr(bulk('m299'), bulk('299')));
    expect(await call('ZREMRANGEBYLEX', 'names', '[n250', '+')).toBe(int(50));
    expect(await call('ZREMRANGEBYLEX', 'names', '(n010', '[n019')).toBe(int(9));
    expect(await call('ZLEXCOUNT', 'names', '[n2', '+')).toBe(int(50));
    expect(await call('ZRANGEBYLEX', 'names', '[n009', '+', 'LIMIT', '0', '3')).toBe(bulks('n009', 'n010', 'n020'));
    expect(await call('ZREVRANGEBYLEX', 'names', '(n100', '-', 'LIMIT', '0', '2')).toBe(bulks('n099', 'n098'));
  });
});
