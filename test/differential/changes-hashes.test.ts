/**
 * The hash commands' changes, command by command, against redis-server
 * 7.0.15: the reply, the keyspace events each one announces (`hset`,
 * `hdel` then `del` when the last field goes, `hincrby`, `hincrbyfloat`)
 * and what it adds to dirty. For every write: the forms that change, the
 * no-ops (which must announce nothing), the errors and WRONGTYPE.
 */
import { describe, it } from 'vitest';
import { useChangeRecorders } from '../helpers/change-events.js';

describe('hash changes: events and dirty as redis-server', () => {
  const { expectSameChanges } = useChangeRecorders();

  it('HSET / HMSET: one change per pair, new field or not', async () => {
    await expectSameChanges([
      ['HSET', 'h', 'a', '1'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HSET', 'h', 'a', '1'],
      ['HMSET', 'h', 'd', '4', 'a', '9'],
      ['HMSET', 'new', 'x', 'y'],
      ['HSET', 'h', 'a'],
      ['HMSET', 'h', 'a', '1', 'b'],
      ['RPUSH', 'l', 'x'],
      ['HSET', 'l', 'a', '1'],
      ['HMSET', 'l', 'a', '1'],
    ]);
  });

  it('HSETNX: one change for a new field, nothing for an existing one', async () => {
    await expectSameChanges([
      ['HSETNX', 'h', 'a', '1'],
      ['HSETNX', 'h', 'a', '2'],
      ['HSETNX', 'h', 'b', '2'],
      ['HGET', 'h', 'a'],
      ['RPUSH', 'l', 'x'],
      ['HSETNX', 'l', 'a', '1'],
    ]);
  });

  it('HDEL: one change per field deleted, del with the last one, nothing for missing fields', async () => {
    await expectSameChanges([
      ['HDEL', 'h', 'a'],
      ['HSET', 'h', 'a', '1', 'b', '2', 'c', '3'],
      ['HDEL', 'h', 'zzz'],
      ['HDEL', 'h', 'a', 'zzz', 'a'],
      ['HDEL', 'h', 'b', 'c', 'b'],
      ['EXISTS', 'h'],
      ['HSET', 'h', 'a', '1'],
      ['HDEL', 'h', 'a', 'b'],
      ['RPUSH', 'l', 'x'],
      ['HDEL', 'l', 'a'],
    ]);
  });

  it('HINCRBY: one change per increment, nothing on errors', async () => {
    await expectSameChanges([
      ['HINCRBY', 'h', 'n', '5'],
      ['HINCRBY', 'h', 'n', '-7'],
      ['HINCRBY', 'h', 'n', '0'],
      ['HSET', 'h', 's', 'text', 'big', '9223372036854775800'],
      ['HINCRBY', 'h', 's', '1'],
      ['HINCRBY', 'h', 'big', '100'],
      ['HINCRBY', 'h', 'n', '1.5'],
      ['HINCRBY', 'missing', 'n', 'x'],
      ['EXISTS', 'missing'],
      ['RPUSH', 'l', 'x'],
      ['HINCRBY', 'l', 'n', '1'],
    ]);
  });

  it('HINCRBYFLOAT: one change per increment, nothing on errors', async () => {
    await expectSameChanges([
      ['HINCRBYFLOAT', 'h', 'f', '1.5'],
      ['HINCRBYFLOAT', 'h', 'f', '-0.25'],
      ['HINCRBYFLOAT', 'h', 'f', '5.0e3'],
      ['HSET', 'h', 's', 'text', 'huge', '1e4931'],
      ['HINCRBYFLOAT', 'h', 's', '1'],
      ['HINCRBYFLOAT', 'h', 'huge', '1e4931'],
      ['HINCRBYFLOAT', 'h', 'f', 'abc'],
      ['HINCRBYFLOAT', 'h', 'f', 'inf'],
      ['HINCRBYFLOAT', 'missing', 'f', 'nan'],
      ['EXISTS', 'missing'],
      ['RPUSH', 'l', 'x'],
      ['HINCRBYFLOAT', 'l', 'f', '1'],
    ]);
  });

  it('reads announce nothing, and answer a missing key or WRONGTYPE as Redis', async () => {
    await expectSameChanges([
      ['HSET', 'h', 'a', '1', 'b', '22'],
      ['HGET', 'h', 'a'],
      ['HGET', 'h', 'zzz'],
      ['HMGET', 'h', 'a', 'zzz'],
      ['HLEN', 'h'],
      ['HSTRLEN', 'h', 'b'],
      ['HEXISTS', 'h', 'a'],
      ['HKEYS', 'h'],
      ['HVALS', 'h'],
      ['HGETALL', 'h'],
      ['HSET', 'one', 'f', 'v'],
      ['HRANDFIELD', 'one', '-3', 'WITHVALUES'],
      ['HSCAN', 'h', '0', 'MATCH', 'a*'],
      ['HGET', 'missing', 'a'],
      ['HMGET', 'missing', 'a', 'b'],
      ['HLEN', 'missing'],
      ['HSTRLEN', 'missing', 'a'],
      ['HEXISTS', 'missing', 'a'],
      ['HKEYS', 'missing'],
      ['HVALS', 'missing'],
      ['HGETALL', 'missing'],
      ['HRANDFIELD', 'missing'],
      ['HRANDFIELD', 'missing', '2', 'WITHVALUES'],
      ['HSCAN', 'missing', '0'],
      ['RPUSH', 'l', 'x'],
      ['HGET', 'l', 'a'],
      ['HMGET', 'l', 'a'],
      ['HLEN', 'l'],
      ['HSTRLEN', 'l', 'a'],
      ['HEXISTS', 'l', 'a'],
      ['HGETALL', 'l'],
      ['HKEYS', 'l'],
      ['HRANDFIELD', 'l'],
      ['HRANDFIELD', 'l', '1'],
      ['HSCAN', 'l', '0'],
    ]);
  });
});
