/**
 * The set commands' changes, reddish against redis-server: for each command,
 * its reply, the keyspace events it announces and what it adds to dirty,
 * command by command (test/helpers/change-events.ts). The changing forms,
 * the no-ops (which must announce nothing), the errors and WRONGTYPE.
 *
 * Keys of another type are sorted sets, made with ZADD: this group's own
 * commands, so that a setup step never depends on another group's events.
 */
import { describe, it } from 'vitest';
import { useChangeRecorders } from '../helpers/change-events.js';

describe('set commands announce what Redis announces', () => {
  const recorders = useChangeRecorders();
  const same = recorders.expectSameChanges;

  it('SADD: new members count, existing ones are a no-op', async () => {
    await same([
      ['SADD', 's', 'a', 'b', 'c'],
      ['SADD', 's', 'a', 'd', 'd', 'e'],
      ['SADD', 's', 'a', 'b'],
      ['SADD', 'ints', '1', '2', '3'],
      ['SADD', 'ints', 'x'],
      ['ZADD', 'z', '1', 'm'],
      ['SADD', 'z', 'a'],
      ['SADD', 's'],
    ]);
  });

  it('SREM: removed members count, the last one deletes the key', async () => {
    await same([
      ['SADD', 's', 'a', 'b', 'c', 'd'],
      ['SREM', 's', 'a', 'x', 'b'],
      ['SREM', 's', 'x', 'y'],
      ['SREM', 'missing', 'a'],
      ['SREM', 's', 'c', 'd', 'e'],
      ['EXISTS', 's'],
      ['ZADD', 'z', '1', 'm'],
      ['SREM', 'z', 'm'],
    ]);
  });

  it('SMOVE: srem on the source (del when emptied), sadd on the destination when new there', async () => {
    await same([
      ['SADD', 'src', '1', '2', '3'],
      ['SMOVE', 'src', 'dst', '1'],
      ['SADD', 'dst', '2'],
      ['SMOVE', 'src', 'dst', '2'],
      ['SMOVE', 'src', 'dst', '9'],
      ['SMOVE', 'src', 'src', '3'],
      ['SMOVE', 'src', 'src', '9'],
      ['SMOVE', 'missing', 'dst', '1'],
      ['SMOVE', 'src', 'dst', '3'],
      ['EXISTS', 'src'],
      ['SMEMBERS', 'dst'],
      ['ZADD', 'z', '1', 'm'],
      ['SMOVE', 'z', 'dst', 'm'],
      ['SMOVE', 'dst', 'z', '1'],
      ['SMOVE', 'missing', 'z', '1'],
    ]);
  });

  it('SPOP without a count: spop, then del for the last member', async () => {
    await same([
      ['SADD', 's', 'only'],
      ['SPOP', 's'],
      ['EXISTS', 's'],
      ['SPOP', 's'],
      ['SADD', 'two', '7'],
      ['SPOP', 'two'],
      ['ZADD', 'z', '1', 'm'],
      ['SPOP', 'z'],
      ['SPOP', 's', '1', '2'],
    ]);
  });

  it('SPOP with a count: the whole set (spop + del), nothing, errors', async () => {
    await same([
      ['SADD', 's', '3', '1', '2'],
      ['SPOP', 's', '0'],
      ['SPOP', 'missing', '3'],
      ['SPOP', 's', '-1'],
      ['SPOP', 's', 'x'],
      ['SPOP', 's', '3'],
      ['EXISTS', 's'],
      ['SADD', 'ints', '3', '1', '2'],
      ['SPOP', 'ints', '10'],
      ['ZADD', 'z', '1', 'm'],
      ['SPOP', 'z', '2'],
      ['SPOP', 'z', '-2'],
    ]);
  });

  it('SPOP with a count: a few members (popped one by one) and most of them (survivors kept)', async () => {
    // Which members go is random: the replies are compared by length.
    await same(
      [
        ['SADD', 's', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
        ['SPOP', 's', '2'],
        ['SCARD', 's'],
        ['SPOP', 's', '7'],
        ['SCARD', 's'],
        ['SPOP', 's', '1'],
        ['SCARD', 's'],
      ],
      { randomReplies: true },
    );
  });

  it('SRANDMEMBER, SISMEMBER, SMISMEMBER, SCARD, SMEMBERS, SSCAN and the read-only algebra change nothing', async () => {
    await same([
      ['SADD', 's', '1'],
      ['SADD', 't', '1', '2'],
      ['SRANDMEMBER', 's'],
      ['SRANDMEMBER', 's', '5'],
      ['SRANDMEMBER', 's', '-3'],
      ['SRANDMEMBER', 'missing'],
      ['SISMEMBER', 's', '1'],
      ['SMISMEMBER', 's', '1', '2'],
      ['SCARD', 's'],
      ['SMEMBERS', 's'],
      ['SSCAN', 's', '0'],
      ['SINTER', 's', 't'],
      ['SINTERCARD', '2', 's', 't'],
      ['SINTERCARD', '0', 's'],
      ['SINTERCARD', '3', 's'],
      ['SINTERCARD', '1', 's', 'LIMIT', '-1'],
      ['SUNION', 's', 't'],
      ['SDIFF', 't', 's'],
    ]);
  });

  it('SINTERSTORE: the store event, del for an empty result only when the destination existed', async () => {
    await same([
      ['SADD', 'a', '1', '2', '3'],
      ['SADD', 'b', '2', '3', '4'],
      ['SINTERSTORE', 'dst', 'a', 'b'],
      ['SINTERSTORE', 'dst', 'a', 'b'],
      ['SADD', 'c', 'x'],
      ['SINTERSTORE', 'dst', 'a', 'c'],
      ['EXISTS', 'dst'],
      ['SINTERSTORE', 'dst', 'a', 'c'],
      ['SINTERSTORE', 'dst', 'a', 'b'],
      ['SINTERSTORE', 'dst', 'a', 'missing'],
      ['SINTERSTORE', 'dst', 'a', 'missing'],
      ['ZADD', 'z', '1', 'm'],
      ['SINTERSTORE', 'dst', 'a', 'z'],
      ['SINTERSTORE', 'z', 'a', 'b'],
      ['TYPE', 'z'],
    ]);
  });

  it('SUNIONSTORE and SDIFFSTORE: their store events and dels', async () => {
    await same([
      ['SADD', 'a', '1', '2', '3'],
      ['SADD', 'b', '2', '3', '4'],
      ['SUNIONSTORE', 'u', 'a', 'b'],
      ['SUNIONSTORE', 'u', 'missing'],
      ['SUNIONSTORE', 'u', 'missing'],
      ['SDIFFSTORE', 'd', 'a', 'b'],
      ['SDIFFSTORE', 'd', 'a', 'a'],
      ['SDIFFSTORE', 'd', 'a', 'a'],
      ['SDIFFSTORE', 'd', 'missing', 'a'],
      ['ZADD', 'z', '1', 'm'],
      ['SUNIONSTORE', 'u', 'a', 'z'],
      ['SDIFFSTORE', 'd', 'z', 'a'],
      ['SUNIONSTORE', 'z', 'a'],
      ['SDIFFSTORE', 'a', 'a', 'b'],
      ['SMEMBERS', 'a'],
    ]);
  });
});
