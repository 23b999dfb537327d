/**
 * What each string, bitmap and HyperLogLog command changes, as seen from
 * outside: its reply, the keyspace events it notifies and what it adds to
 * dirty, command by command, on reddish and on redis-server 7.0.15. Each
 * write is run in its changing forms, its no-op forms, its error forms
 * and against a key of another type.
 */
import { describe, it } from 'vitest';
import { useChangeRecorders } from '../helpers/change-events.js';

const { expectSameChanges } = useChangeRecorders();

describe('SET and its variants', () => {
  it('SET announces set, and expire with a time', async () => {
    await expectSameChanges([
      ['SET', 'k', 'v'],
      ['SET', 'k', 'w'],
      ['SET', 'k', 'v', 'EX', '100'],
      ['SET', 'k', 'v', 'PX', '100000'],
      ['SET', 'k', 'v', 'EXAT', '4000000000'],
      ['SET', 'k', 'v', 'PXAT', '4000000000000'],
      ['SET', 'k', 'v', 'KEEPTTL'],
      ['SET', 'k', 'x', 'GET'],
      ['SET', 'k', 'y', 'GET', 'EX', '100'],
      ['SET', 'fresh', 'v', 'GET'],
      ['RPUSH', 'list', 'a'],
      ['SET', 'list', 'v'],
    ]);
  });

  it('SET NX / XX write only when their condition holds', async () => {
    await expectSameChanges([
      ['SET', 'k', 'v', 'XX'],
      ['SET', 'k', 'v', 'XX', 'GET'],
      ['SET', 'k', 'v', 'NX'],
      ['SET', 'k', 'w', 'NX'],
      ['SET', 'k', 'w', 'NX', 'GET'],
      ['SET', 'k', 'w', 'XX', 'EX', '10'],
      ['SET', 'nope', 'w', 'XX', 'EX', '10'],
    ]);
  });

  it('SET errors and WRONGTYPE with GET change nothing', async () => {
    await expectSameChanges([
      ['SET', 'k', 'v', 'EX', '0'],
      ['SET', 'k', 'v', 'EX', 'abc'],
      ['SET', 'k', 'v', 'NX', 'XX'],
      ['SET', 'k', 'v', 'EX', '10', 'KEEPTTL'],
      ['SET', 'k', 'v', 'FOO'],
      ['LPUSH', 'l', 'a'],
      ['SET', 'l', 'v', 'GET'],
      ['SET', 'l', 'v', 'GET', 'NX'],
      ['TYPE', 'l'],
    ]);
  });

  it('SETNX, SETEX and PSETEX', async () => {
    await expectSameChanges([
      ['SETNX', 'k', 'v'],
      ['SETNX', 'k', 'w'],
      ['SETEX', 'k', '100', 'v'],
      ['SETEX', 'k', '0', 'v'],
      ['SETEX', 'k', 'x', 'v'],
      ['PSETEX', 'p', '100000', 'v'],
      ['PSETEX', 'p', '-1', 'v'],
      ['HSET', 'h', 'f', 'v'],
      ['SETNX', 'h', 'v'],
      ['SETEX', 'h', '100', 'v'],
    ]);
  });
});

describe('GETSET, GETDEL, GETEX', () => {
  it('GETSET sets, even over a missing key; WRONGTYPE writes nothing', async () => {
    await expectSameChanges([
      ['GETSET', 'k', 'v'],
      ['GETSET', 'k', 'w'],
      ['SADD', 's', 'm'],
      ['GETSET', 's', 'v'],
    ]);
  });

  it('GETDEL deletes only an existing string', async () => {
    await expectSameChanges([
      ['GETDEL', 'k'],
      ['SET', 'k', 'v'],
      ['GETDEL', 'k'],
      ['GETDEL', 'k'],
      ['SADD', 's', 'm'],
      ['GETDEL', 's'],
    ]);
  });

  it('GETEX without options, or PERSIST without a TTL, changes nothing', async () => {
    await expectSameChanges([
      ['SET', 'k', 'v'],
      ['GETEX', 'k'],
      ['GETEX', 'k', 'PERSIST'],
      ['GETEX', 'nope'],
      ['GETEX', 'nope', 'EX', '10'],
      ['GETEX', 'nope', 'PERSIST'],
    ]);
  });

  it('GETEX sets a TTL (expire), removes it (persist), or deletes with a past time (del)', async () => {
    await expectSameChanges([
      ['SET', 'k', 'v'],
      ['GETEX', 'k', 'EX', '100'],
      ['GETEX', 'k', 'PX', '100000'],
      ['GETEX', 'k', 'EXAT', '4000000000'],
      ['GETEX', 'k', 'PXAT', '4000000000000'],
      ['GETEX', 'k', 'PERSIST'],
      ['GETEX', 'k', 'PERSIST'],
      ['GETEX', 'k', 'EXAT', '1'],
      ['EXISTS', 'k'],
      ['SET', 'k', 'v'],
      ['GETEX', 'k', 'PXAT', '1'],
    ]);
  });

  it('GETEX errors and WRONGTYPE change nothing', async () => {
    await expectSameChanges([
      ['SET', 'k', 'v'],
      ['GETEX', 'k', 'EX', '0'],
      ['GETEX', 'k', 'EX', 'abc'],
      ['GETEX', 'k', 'EX', '10', 'PERSIST'],
      ['GETEX', 'k', 'KEEPTTL'],
      ['RPUSH', 'l', 'a'],
      ['GETEX', 'l', 'EX', '10'],
      ['GETEX', 'l'],
    ]);
  });
});

describe('MSET, MSETNX', () => {
  it('MSET announces set per key and counts each pair', async () => {
    await expectSameChanges([
      ['MSET', 'a', '1', 'b', '2', 'c', '3'],
      ['MSET', 'a', '1', 'a', '2'],
      ['MSET', 'a', '1', 'b'],
      ['RPUSH', 'l', 'x'],
      ['MSET', 'l', 'v'],
      ['TYPE', 'l'],
    ]);
  });

  it('MSETNX writes all keys or none', async () => {
    await expectSameChanges([
      ['MSETNX', 'a', '1', 'b', '2'],
      ['MSETNX', 'b', '3', 'c', '4'],
      ['MSETNX', 'c', '4', 'd'],
      ['MSETNX', 'c', '1', 'd', '2'],
    ]);
  });
});

describe('counters', () => {
  it('INCR, DECR, INCRBY, DECRBY announce incrby', async () => {
    await expectSameChanges([
      ['INCR', 'n'],
      ['DECR', 'n'],
      ['INCRBY', 'n', '10'],
      ['DECRBY', 'n', '3'],
      ['INCRBY', 'n', '0'],
      ['DECR', 'fresh'],
    ]);
  });

  it('counter errors change nothing', async () => {
    await expectSameChanges([
      ['SET', 'n', '9223372036854775807'],
      ['INCR', 'n'],
      ['INCRBY', 'n', 'abc'],
      ['DECRBY', 'n', '-9223372036854775808'],
      ['SET', 's', 'text'],
      ['INCR', 's'],
      ['SADD', 'set', 'm'],
      ['INCR', 'set'],
      ['DECRBY', 'set', '2'],
    ]);
  });

  it('INCRBYFLOAT announces incrbyfloat; errors change nothing', async () => {
    await expectSameChanges([
      ['INCRBYFLOAT', 'f', '1.5'],
      ['INCRBYFLOAT', 'f', '0'],
      ['SET', 'f', '10', 'EX', '100'],
      ['INCRBYFLOAT', 'f', '-2.25'],
      ['INCRBYFLOAT', 'f', 'abc'],
      ['INCRBYFLOAT', 'f', 'inf'],
      ['SET', 's', 'text'],
      ['INCRBYFLOAT', 's', '1'],
      ['LPUSH', 'l', 'a'],
      ['INCRBYFLOAT', 'l', '1'],
    ]);
  });
});

describe('APPEND, SETRANGE', () => {
  it('APPEND announces append, even of an empty string', async () => {
    await expectSameChanges([
      ['APPEND', 'k', 'ab'],
      ['APPEND', 'k', 'cd'],
      ['APPEND', 'k', ''],
      ['APPEND', 'empty', ''],
      ['EXISTS', 'empty'],
      ['HSET', 'h', 'f', 'v'],
      ['APPEND', 'h', 'x'],
    ]);
  });

  it('SETRANGE announces setrange unless the value is empty', async () => {
    await expectSameChanges([
      ['SETRANGE', 'k', '0', 'abc'],
      ['SETRANGE', 'k', '5', 'xy'],
      ['SETRANGE', 'k', '1', 'B'],
      ['SETRANGE', 'k', '100', ''],
      ['SETRANGE', 'nope', '3', ''],
      ['EXISTS', 'nope'],
      ['SETRANGE', 'k', '-1', 'x'],
      ['SETRANGE', 'k', 'abc', 'x'],
      ['SETRANGE', 'k', '536870912', 'x'],
      ['ZADD', 'z', '1', 'm'],
      ['SETRANGE', 'z', '0', 'x'],
    ]);
  });
});

describe('read-only string commands', () => {
  it('GET, MGET, STRLEN, GETRANGE, SUBSTR and LCS change nothing', async () => {
    await expectSameChanges([
      ['SET', 'a', 'hello'],
      ['SET', 'b', 'yellow'],
      ['RPUSH', 'l', 'x'],
      ['GET', 'a'],
      ['GET', 'nope'],
      ['GET', 'l'],
      ['MGET', 'a', 'nope', 'l'],
      ['STRLEN', 'a'],
      ['STRLEN', 'l'],
      ['GETRANGE', 'a', '1', '-2'],
      ['GETRANGE', 'l', '0', '1'],
      ['SUBSTR', 'a', '0', '1'],
      ['LCS', 'a', 'b'],
      ['LCS', 'a', 'l'],
    ]);
  });
});

describe('bitmaps', () => {
  it('SETBIT announces setbit when it creates, grows or flips; not when the bit already has the value', async () => {
    await expectSameChanges([
      ['SETBIT', 'b', '7', '1'],
      ['SETBIT', 'b', '7', '1'],
      ['SETBIT', 'b', '7', '0'],
      ['SETBIT', 'b', '6', '0'],
      ['SETBIT', 'b', '100', '0'],
      ['SETBIT', 'z', '0', '0'],
      ['EXISTS', 'z'],
    ]);
  });

  it('SETBIT errors and WRONGTYPE change nothing', async () => {
    await expectSameChanges([
      ['SETBIT', 'b', '-1', '1'],
      ['SETBIT', 'b', '4294967296', '1'],
      ['SETBIT', 'b', '0', '2'],
      ['SETBIT', 'b', '0', 'x'],
      ['SADD', 's', 'm'],
      ['SETBIT', 's', '0', '1'],
    ]);
  });

  it('BITOP stores with set, deletes an empty result with del', async () => {
    await expectSameChanges([
      ['SET', 'a', 'abc'],
      ['SET', 'b', 'xy'],
      ['BITOP', 'AND', 'dest', 'a', 'b'],
      ['BITOP', 'or', 'dest', 'a', 'b'],
      ['BITOP', 'XOR', 'dest', 'a', 'a'],
      ['BITOP', 'NOT', 'dest', 'a'],
      ['BITOP', 'AND', 'dest', 'nope1', 'nope2'],
      ['EXISTS', 'dest'],
      ['BITOP', 'AND', 'dest', 'nope1', 'nope2'],
      ['BITOP', 'NOT', 'dest', 'a', 'b'],
      ['BITOP', 'FOO', 'dest', 'a'],
      ['LPUSH', 'l', 'x'],
      ['BITOP', 'OR', 'dest', 'a', 'l'],
      ['BITOP', 'OR', 'l', 'a'],
      ['TYPE', 'l'],
    ]);
  });

  it('BITFIELD counts each write that changed a field, or every write of a created or grown key', async () => {
    await expectSameChanges([
      ['BITFIELD', 'f', 'SET', 'u8', '0', '255', 'SET', 'u8', '8', '0'],
      ['BITFIELD', 'f', 'SET', 'u8', '0', '255'],
      ['BITFIELD', 'f', 'SET', 'u8', '0', '255', 'INCRBY', 'u8', '8', '1', 'INCRBY', 'u8', '8', '0'],
      ['BITFIELD', 'f', 'INCRBY', 'i8', '8', '0', 'SET', 'u8', '16', '0'],
      ['BITFIELD', 'f', 'GET', 'u8', '0'],
      ['BITFIELD', 'f'],
      ['BITFIELD', 'f', 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD', 'f', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD', 'f', 'OVERFLOW', 'WRAP', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD', 'g', 'OVERFLOW', 'FAIL', 'INCRBY', 'u2', '0', '9'],
      ['EXISTS', 'g'],
      ['BITFIELD_RO', 'f', 'GET', 'u8', '0'],
    ]);
  });

  it('BITFIELD errors and WRONGTYPE change nothing', async () => {
    await expectSameChanges([
      ['BITFIELD', 'f', 'SET', 'u64', '0', '1'],
      ['BITFIELD', 'f', 'SET', 'u8', '-1', '1'],
      ['BITFIELD', 'f', 'SET', 'u8', '0', 'x'],
      ['BITFIELD', 'f', 'OVERFLOW', 'NOPE', 'SET', 'u8', '0', '1'],
      ['BITFIELD', 'f', 'FOO'],
      ['BITFIELD_RO', 'f', 'SET', 'u8', '0', '1'],
      ['EXISTS', 'f'],
      ['HSET', 'h', 'f', 'v'],
      ['BITFIELD', 'h', 'SET', 'u8', '0', '1'],
      ['BITFIELD', 'h', 'GET', 'u8', '0'],
    ]);
  });

  it('GETBIT, BITCOUNT and BITPOS change nothing', async () => {
    await expectSameChanges([
      ['SET', 'b', '\xff\x00'],
      ['RPUSH', 'l', 'x'],
      ['GETBIT', 'b', '3'],
      ['GETBIT', 'l', '3'],
      ['BITCOUNT', 'b'],
      ['BITCOUNT', 'b', '0', '0', 'BIT'],
      ['BITCOUNT', 'l'],
      ['BITPOS', 'b', '0'],
      ['BITPOS', 'l', '1'],
      ['BITPOS', 'b', '2'],
    ]);
  });
});

describe('HyperLogLog', () => {
  it('PFADD counts the creation and each element that raised a register', async () => {
    await expectSameChanges([
      ['PFADD', 'h'],
      ['PFADD', 'h'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['PFADD', 'h', 'a', 'b', 'c'],
      ['PFADD', 'h', 'a', 'd'],
      ['PFADD', 'new', 'x', 'y'],
    ]);
  });

  it('PFADD on a non-HLL string or another type changes nothing', async () => {
    await expectSameChanges([
      ['SET', 's', 'not an hll'],
      ['PFADD', 's', 'a'],
      ['LPUSH', 'l', 'x'],
      ['PFADD', 'l', 'a'],
    ]);
  });

  it('PFCOUNT writes its cached cardinality back: dirty, no event', async () => {
    await expectSameChanges([
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'a', 'b'],
      ['PFCOUNT', 'h'],
      ['PFCOUNT', 'h'],
      ['PFADD', 'h', 'c'],
      ['PFADD', 'g', 'z'],
      ['PFCOUNT', 'h', 'g'],
      ['PFCOUNT', 'h'],
      ['SET', 's', 'not an hll'],
      ['PFCOUNT', 's'],
      ['PFCOUNT', 'h', 's'],
      ['SADD', 'set', 'm'],
      ['PFCOUNT', 'set'],
    ]);
  });

  it('PFMERGE always announces pfadd on the destination', async () => {
    await expectSameChanges([
      ['PFADD', 'a', 'x', 'y'],
      ['PFADD', 'b', 'y', 'z'],
      ['PFMERGE', 'dest', 'a', 'b'],
      ['PFMERGE', 'dest', 'a', 'b'],
      ['PFMERGE', 'empty'],
      ['PFMERGE', 'a'],
      ['SET', 's', 'not an hll'],
      ['PFMERGE', 'dest', 's'],
      ['PFMERGE', 's', 'a'],
      ['RPUSH', 'l', 'x'],
      ['PFMERGE', 'dest', 'l'],
    ]);
  });
});
