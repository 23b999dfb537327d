/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD over real
 * sockets: weights, aggregates, plain sets as inputs, the infinities, reply
 * shapes and errors. Every expected reply was checked against redis-server
 * 7.0.15 (see zset-server.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  EMPTY,
  NOT_INTEGER,
  SYNTAX,
  WRONGTYPE,
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
  await call('ZADD', 'a', '1', 'x', '2', 'y', '3', 'z');
  await call('ZADD', 'b', '10', 'y', '20', 'z', '30', 'w');
});

describe('ZUNION', () => {
  it('sums scores by default and orders the result by score', async () => {
    expect(await call('ZUNION', '2', 'a', 'b')).toBe(bulks('x', 'y', 'z', 'w'));
    expect(await call('ZUNION', '2', 'a', 'b', 'WITHSCORES')).toBe(scored2('x', '1', 'y', '12', 'z', '23', 'w', '30'));
    expect(await call3('ZUNION', '2', 'a', 'b', 'WITHSCORES')).toBe(scored3('x', '1', 'y', '12', 'z', '23', 'w', '30'));
    expect(await call('ZUNION', '2', 'a', 'nokey', 'WITHSCORES')).toBe(scored2('x', '1', 'y', '2', 'z', '3'));
    expect(await call('ZUNION', '1', 'nokey')).toBe(EMPTY);
  });

  it('applies WEIGHTS and AGGREGATE MIN/MAX', async () => {
    expect(await call('ZUNION', '2', 'a', 'b', 'WEIGHTS', '2', '0.5', 'WITHSCORES')).toBe(
      scored2('x', '2', 'y', '9', 'w', '15', 'z', '16'),
    );
    expect(await call('ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'WITHSCORES')).toBe(scored2('x', '1', 'y', '2', 'z', '3', 'w', '30'));
    expect(await call('ZUNION', '2', 'a', 'b', 'aggregate', 'max', 'weights', '1', '-1', 'withscores')).toBe(
      scored2('w', '-30', 'x', '1', 'y', '2', 'z', '3'),
    );
    // Options may repeat; the last one wins.
    expect(await call('ZUNION', '2', 'a', 'b', 'AGGREGATE', 'MIN', 'AGGREGATE', 'SUM', 'WITHSCORES', 'WITHSCORES')).toBe(
      scored2('x', '1', 'y', '12', 'z', '23', 'w', '30'),
    );
  });

  it('takes plain sets with a score of 1 per member', async () => {
    await call('SADD', 'ints', '1', '2', 'x');
    await call('SADD', 'intset', '5', '7');
    expect(await call('ZUNION', '3', 'a', 'ints', 'intset', 'WITHSCORES')).toBe(
      scored2('1', '1', '2', '1', '5', '1', '7', '1', 'x', '2', 'y', '2', 'z', '3'),
    );
    expect(await call('ZUNION', '2', 'ints', 'intset', 'WEIGHTS', '3', '4', 'WITHSCORES')).toBe(
      scored2('1', '3', '2', '3', 'x', '3', '5', '4', '7', '4'),
    );
  });

  it('keeps Redis conventions for infinities: inf + -inf is 0, and so is 0 * inf', async () => {
    await call('ZADD', 'pinf', 'inf', 'm', '1', 'n');
    await call('ZADD', 'ninf', '-inf', 'm', '-inf', 'n');
    expect(await call('ZUNION', '2', 'pinf', 'ninf', 'WITHSCORES')).toBe(scored2('n', '-inf', 'm', '0'));
    expect(await call('ZUNION', '1', 'pinf', 'WEIGHTS', '0', 'WITHSCORES')).toBe(scored2('m', '0', 'n', '0'));
    expect(await call('ZUNION', '2', 'pinf', 'ninf', 'AGGREGATE', 'MAX', 'WITHSCORES')).toBe(scored2('n', '1', 'm', 'inf'));
  });

  it('keeps -0 in a reply built from a negative weight', async () => {
    await call('ZADD', 'zero', '0', 'm');
    expect(await call('ZUNION', '1', 'zero', 'WEIGHTS', '-1', 'WITHSCORES')).toBe(scored2('m', '-0'));
    // Stored, the small result becomes a listpack, which holds 0.
    expect(await call('ZUNIONSTORE', 'dst', '1', 'zero', 'WEIGHTS', '-1')).toBe(int(1));
    expect(await call('ZSCORE', 'dst', 'm')).toBe(bulk('0'));
  });
});

describe('ZINTER', () => {
  it('keeps members in every input, with aggregated scores', async () => {
    expect(await call('ZINTER', '2', 'a', 'b', 'WITHSCORES')).toBe(scored2('y', '12', 'z', '23'));
    expect(await call('ZINTER', '2', 'a', 'b', 'WEIGHTS', '10', '1', 'AGGREGATE', 'MIN', 'WITHSCORES')).toBe(scored2('y', '10', 'z', '20'));
    expect(await call3('ZINTER', '2', 'b', 'a', 'AGGREGATE', 'MAX', 'WITHSCORES')).toBe(scored3('y', '10', 'z', '20'));
    expect(await call('ZINTER', '2', 'a', 'nokey')).toBe(EMPTY);
    expect(await call('ZINTER', '2', 'a', 'a', 'WITHSCORES')).toBe(scored2('x', '2', 'y', '4', 'z', '6'));
    await call('SADD', 's', 'y', 'w', 'q');
    expect(await call('ZINTER', '3', 'a', 'b', 's', 'WITHSCORES')).toBe(scored2('y', '13'));
    expect(await call('ZINTER', '1', 's')).toBe(bulks('q', 'w', 'y'));
  });

  it('adds a 0 * inf weight as NaN, which SUM turns into 0 and MIN/MAX ignore', async () => {
    await call('ZADD', 'inf', 'inf', 'm');
    await call('ZADD', 'one', '5', 'm');
    expect(await call('ZINTER', '2', 'one', 'inf', 'WEIGHTS', '1', '0', 'WITHSCORES')).toBe(scored2('m', '0'));
    expect(await call('ZINTER', '2', 'one', 'inf', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MIN', 'WITHSCORES')).toBe(scored2('m', '5'));
    expect(await call('ZINTER', '2', 'one', 'inf', 'WEIGHTS', '1', '0', 'AGGREGATE', 'MAX', 'WITHSCORES')).toBe(scored2('m', '5'));
  });
});

describe('ZDIFF', () => {
  it('keeps the members of the first input found in no other, with their scores', async () => {
    expect(await call('ZDIFF', '2', 'a', 'b', 'WITHSCORES')).toBe(scored2('x', '1'));
    expect(await call('ZDIFF', '2', 'b', 'a')).toBe(bulks('w'));
    expect(await call('ZDIFF', '1', 'a')).toBe(bulks('x', 'y', 'z'));
    expect(await call('ZDIFF', '2', 'a', 'a')).toBe(EMPTY);
    expect(await call('ZDIFF', '2', 'nokey', 'a')).toBe(EMPTY);
    await call('SADD', 's', 'x', 'q');
    expect(await call('ZDIFF', '2', 'a', 's', 'WITHSCORES')).toBe(scored2('y', '2', 'z', '3'));
    expect(await call('ZDIFF', '2', 's', 'a', 'WITHSCORES')).toBe(scored2('q', '1'));
    expect(await call('ZDIFF', '2', 'a', 'b', 'WEIGHTS', '1', '1')).toBe(SYNTAX);
    expect(await call('ZDIFF', '2', 'a', 'b', 'AGGREGATE', 'SUM')).toBe(SYNTAX);
  });
});

describe('the STORE forms', () => {
  it('store the result, replacing the destination and its TTL', async () => {
    await call('SET', 'dst', 'x', 'EX', '100');
    expect(await call('ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2')).toBe(int(4));
    expect(await call('ZRANGE', 'dst', '0', '-1', 'WITHSCORES')).toBe(scored2('x', '1', 'y', '22', 'z', '43', 'w', '60'));
    expect(await call('TTL', 'dst')).toBe(int(-1));
    expect(await call('ZINTERSTORE', 'dst', '2', 'a', 'b', 'AGGREGATE', 'MAX')).toBe(int(2));
    expect(await call('ZRANGE', 'dst', '0', '-1', 'WITHSCORES')).toBe(scored2('y', '10', 'z', '20'));
    expect(await call('ZDIFFSTORE', 'dst', '2', 'b', 'a')).toBe(int(1));
    expect(await call('ZRANGE', 'dst', '0', '-1', 'WITHSCORES')).toBe(scored2('w', '30'));
    // The destination may be an input.
    expect(await call('ZUNIONSTORE', 'a', '2', 'a', 'a')).toBe(int(3));
    expect(await call('ZRANGE', 'a', '0', '-1', 'WITHSCORES')).toBe(scored2('x', '2', 'y', '4', 'z', '6'));
  });

  it('delete the destination when the result is empty', async () => {
    await call('SET', 'dst', 'x');
    expect(await call('ZINTERSTORE', 'dst', '2', 'a', 'nokey')).toBe(int(0));
    expect(await call('EXISTS', 'dst')).toBe(int(0));
    await call('ZADD', 'dst', '1', 'm');
    expect(await call('ZDIFFSTORE', 'dst', '2', 'a', 'a')).toBe(int(0));
    expect(await call('EXISTS', 'dst')).toBe(int(0));
  });

  it('give the result the encoding its contents call for', async () => {
    const members: string[] = [];
    for (let i = 0; i < 200; i++) members.push(String(i), `m${i}`);
    await call('ZADD', 'big', ...members);
    expect(await call('ZUNIONSTORE', 'dst', '2', 'a', 'b')).toBe(int(4));
    expect(await call('OBJECT', 'ENCODING', 'dst')).toBe(bulk('listpack'));
    expect(await call('ZUNIONSTORE', 'dst', '2', 'a', 'big')).toBe(int(203));
    expect(await call('OBJECT', 'ENCODING', 'dst')).toBe(bulk('skiplist'));
    await call('ZADD', 'long', '1', 'y'.repeat(65));
    expect(await call('ZUNIONSTORE', 'dst', '1', 'long')).toBe(int(1));
    expect(await call('OBJECT', 'ENCODING', 'dst')).toBe(bulk('skiplist'));
  });

  it('take no WITHSCORES', async () => {
    expect(await call('ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WITHSCORES')).toBe(SYNTAX);
    expect(await call('ZDIFFSTORE', 'dst', '1', 'a', 'WITHSCORES')).toBe(SYNTAX);
  });
});

describe('ZINTERCARD', () => {
  it('counts the intersection, stopping at LIMIT', async () => {
    await call('SADD', 's', 'x', 'y', 'z', 'q');
    expect(await call('ZINTERCARD', '2', 'a', 'b')).toBe(int(2));
    expect(await call('ZINTERCARD', '2', 'a', 's')).toBe(int(3));
    expect(await call('ZINTERCARD', '2', 'a', 's', 'LIMIT', '2')).toBe(int(2));
    expect(await call('ZINTERCARD', '2', 'a', 's', 'LIMIT', '0')).toBe(int(3));
    expect(await call('ZINTERCARD', '2', 'a', 'nokey')).toBe(int(0));
    expect(await call('ZINTERCARD', '1', 'a', 'LIMIT', '-1')).toBe(error("ERR LIMIT can't be negative"));
    expect(await call('ZINTERCARD', '1', 'a', 'LIMIT', 'x')).toBe(error("ERR LIMIT can't be negative"));
    expect(await call('ZINTERCARD', '1', 'a', 'WITHSCORES')).toBe(SYNTAX);
    expect(await call('ZINTERCARD', '1', 'a', 'WEIGHTS', '1')).toBe(SYNTAX);
    expect(await call('ZINTERCARD', '0', 'a')).toBe(error("ERR at least 1 input key is needed for 'zintercard' command"));
  });
});

describe('errors', () => {
  it('numkeys, weights and aggregates are checked as Redis checks them', async () => {
    expect(await call('ZUNIONSTORE', 'dst', '0', 'a')).toBe(error("ERR at least 1 input key is needed for 'zunionstore' command"));
    expect(await call('ZINTER', '-1', 'a')).toBe(error("ERR at least 1 input key is needed for 'zinter' command"));
    expect(await call('ZDIFFSTORE', 'dst', '0', 'a')).toBe(error("ERR at least 1 input key is needed for 'zdiffstore' command"));
    expect(await call('ZUNION', 'x', 'a')).toBe(NOT_INTEGER);
    expect(await call('ZUNION', '3', 'a', 'b')).toBe(SYNTAX);
    expect(await call('ZUNION', '2', 'a', 'b', 'WEIGHTS', '1')).toBe(SYNTAX);
    expect(await call('ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'x')).toBe(error('ERR weight value is not a float'));
    expect(await call('ZUNION', '2', 'a', 'b', 'WEIGHTS', '1', 'nan')).toBe(error('ERR weight value is not a float'));
    expect(await call('ZUNION', '2', 'a', 'b', 'AGGREGATE', 'AVG')).toBe(SYNTAX);
    expect(await call('ZUNION', '2', 'a', 'b', 'AGGREGATE')).toBe(SYNTAX);
  });

  it('a key of another type is WRONGTYPE, even before a bad option', async () => {
    await call('SET', 'str', 'x');
    await call('RPUSH', 'list', 'x');
    expect(await call('ZUNION', '2', 'a', 'str')).toBe(WRONGTYPE);
    expect(await call('ZINTERSTORE', 'dst', '2', 'list', 'a')).toBe(WRONGTYPE);
    expect(await call('ZDIFF', '2', 'a', 'str', 'BAD')).toBe(WRONGTYPE);
    expect(await call('ZINTERCARD', '1', 'str')).toBe(WRONGTYPE);
    // The destination's type does not matter.
    expect(await call('ZUNIONSTORE', 'str', '1', 'a')).toBe(int(3));
    expect(await call('TYPE', 'str')).toBe('+zset\r\n');
  });
});
