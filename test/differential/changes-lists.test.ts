/**
 * The list commands' changes, command by command, against redis-server
 * 7.0.15: the reply, the keyspace events each one announces (`lpush`,
 * `lpop` then `del` when a list runs dry, `ltrim`, ...) and what it adds to
 * dirty. For every write: the forms that change, the no-ops (which must
 * announce nothing), the errors and WRONGTYPE. The blocking forms are
 * covered here as they run when they can be served at once; served later,
 * and inside MULTI/EXEC, in list-served-pops.test.ts (the recorder reads
 * INFO between commands, which MULTI would queue).
 */
import { describe, it } from 'vitest';
import { useChangeRecorders } from '../helpers/change-events.js';

describe('list changes: events and dirty as redis-server', () => {
  const { expectSameChanges } = useChangeRecorders();

  it('LPUSH / RPUSH: one change per element, on a new or existing list', async () => {
    await expectSameChanges([
      ['LPUSH', 'l', 'a'],
      ['LPUSH', 'l', 'b', 'c', 'd'],
      ['RPUSH', 'l', 'e', 'f'],
      ['RPUSH', 'new', 'x'],
      ['HSET', 's', 'f', 'v'],
      ['LPUSH', 's', 'a'],
      ['RPUSH', 's', 'a', 'b'],
      ['LPUSH', 'l'],
    ]);
  });

  it('LPUSHX / RPUSHX: nothing for a missing key', async () => {
    await expectSameChanges([
      ['LPUSHX', 'l', 'a'],
      ['RPUSHX', 'l', 'a', 'b'],
      ['RPUSH', 'l', 'x'],
      ['LPUSHX', 'l', 'a', 'b'],
      ['RPUSHX', 'l', 'c', 'd', 'e'],
      ['HSET', 's', 'f', 'v'],
      ['LPUSHX', 's', 'a'],
      ['RPUSHX', 's', 'a'],
    ]);
  });

  it('LPOP / RPOP: with and without count, dry lists deleted, no-ops silent', async () => {
    await expectSameChanges([
      ['LPOP', 'l'],
      ['RPOP', 'l', '2'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LPOP', 'l'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '0'],
      ['LPOP', 'l', '2'],
      ['RPOP', 'l', '5'],
      ['EXISTS', 'l'],
      ['RPUSH', 'l', 'a'],
      ['RPOP', 'l'],
      ['LPOP', 'l', '-1'],
      ['LPOP', 'l', 'x'],
      ['LPOP', 'l', '1', '2'],
      ['HSET', 's', 'f', 'v'],
      ['LPOP', 's'],
      ['RPOP', 's', '1'],
    ]);
  });

  it('LMPOP: pops from the first non-empty list, errors before the keys', async () => {
    await expectSameChanges([
      ['LMPOP', '2', 'a', 'b', 'LEFT'],
      ['RPUSH', 'b', '1', '2', '3'],
      ['LMPOP', '2', 'a', 'b', 'LEFT'],
      ['LMPOP', '2', 'a', 'b', 'RIGHT', 'COUNT', '10'],
      ['RPUSH', 'a', 'x', 'y'],
      ['LMPOP', '1', 'a', 'right', 'count', '1'],
      ['LMPOP', '0', 'a', 'LEFT'],
      ['LMPOP', '1', 'a', 'MIDDLE'],
      ['LMPOP', '1', 'a', 'LEFT', 'COUNT', '0'],
      ['LMPOP', '3', 'a', 'LEFT'],
      ['HSET', 's', 'f', 'v'],
      ['LMPOP', '2', 's', 'a', 'LEFT'],
      ['LMPOP', '2', 'missing', 's', 'LEFT'],
    ]);
  });

  it('LMOVE / RPOPLPUSH: push then pop, one change; rotation; WRONGTYPE moves nothing', async () => {
    await expectSameChanges([
      ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['RPUSH', 'src', 'a', 'b', 'c'],
      ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'],
      ['LMOVE', 'src', 'dst', 'right', 'left'],
      ['RPOPLPUSH', 'src', 'dst'],
      ['EXISTS', 'src'],
      ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'],
      ['RPUSH', 'one', 'x'],
      ['RPOPLPUSH', 'one', 'one'],
      ['HSET', 's', 'f', 'v'],
      ['LMOVE', 'dst', 's', 'LEFT', 'LEFT'],
      ['RPOPLPUSH', 's', 'dst'],
      ['LMOVE', 'dst', 'x', 'UP', 'LEFT'],
      ['LMOVE', 'dst', 'x', 'LEFT', 'DOWN'],
      ['LRANGE', 'dst', '0', '-1'],
    ]);
  });

  it('LSET: one change when it sets, nothing on errors', async () => {
    await expectSameChanges([
      ['LSET', 'l', '0', 'x'],
      ['RPUSH', 'l', 'a', 'b'],
      ['LSET', 'l', '0', 'x'],
      ['LSET', 'l', '-1', 'y'],
      ['LSET', 'l', '5', 'z'],
      ['LSET', 'l', 'nan', 'z'],
      ['HSET', 's', 'f', 'v'],
      ['LSET', 's', '0', 'x'],
    ]);
  });

  it('LINSERT: one change when the pivot is found', async () => {
    await expectSameChanges([
      ['LINSERT', 'l', 'BEFORE', 'a', 'x'],
      ['RPUSH', 'l', 'a', 'b'],
      ['LINSERT', 'l', 'BEFORE', 'a', 'x'],
      ['LINSERT', 'l', 'after', 'b', 'y'],
      ['LINSERT', 'l', 'AFTER', 'missing', 'y'],
      ['LINSERT', 'l', 'AROUND', 'a', 'y'],
      ['HSET', 's', 'f', 'v'],
      ['LINSERT', 's', 'BEFORE', 'a', 'x'],
    ]);
  });

  it('LREM: one change per element removed, del when emptied', async () => {
    await expectSameChanges([
      ['LREM', 'l', '0', 'a'],
      ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a'],
      ['LREM', 'l', '1', 'a'],
      ['LREM', 'l', '0', 'zzz'],
      ['LREM', 'l', '-5', 'a'],
      ['LREM', 'l', '0', 'b'],
      ['LREM', 'l', '0', 'c'],
      ['EXISTS', 'l'],
      ['LREM', 'l', 'x', 'a'],
      ['HSET', 's', 'f', 'v'],
      ['LREM', 's', '0', 'a'],
    ]);
  });

  it('LTRIM: ltrim even when nothing is trimmed, dirty by elements removed, del when emptied', async () => {
    await expectSameChanges([
      ['LTRIM', 'l', '0', '1'],
      ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
      ['LTRIM', 'l', '0', '-1'],
      ['LTRIM', 'l', '1', '-2'],
      ['LTRIM', 'l', '5', '10'],
      ['EXISTS', 'l'],
      ['LTRIM', 'l', 'x', '1'],
      ['HSET', 's', 'f', 'v'],
      ['LTRIM', 's', '0', '1'],
    ]);
  });

  it('BLPOP / BRPOP / BLMPOP served at once: a pop, errors and WRONGTYPE change nothing', async () => {
    await expectSameChanges([
      ['RPUSH', 'b', '1', '2', '3'],
      ['BLPOP', 'a', 'b', '0'],
      ['BRPOP', 'a', 'b', '0.5'],
      ['BLMPOP', '0', '2', 'a', 'b', 'LEFT', 'COUNT', '5'],
      ['EXISTS', 'b'],
      ['BLPOP', 'a', '-1'],
      ['BLPOP', 'a', 'x'],
      ['BLMPOP', '0', '0', 'a', 'LEFT'],
      ['HSET', 's', 'f', 'v'],
      ['BLPOP', 's', '0'],
      ['BLMPOP', '0', '1', 's', 'RIGHT'],
    ]);
  });

  it('BLMOVE / BRPOPLPUSH served at once: like LMOVE', async () => {
    await expectSameChanges([
      ['RPUSH', 'src', 'a', 'b'],
      ['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 'src', 'dst', '0'],
      ['EXISTS', 'src'],
      ['BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '-1'],
      ['BLMOVE', 'src', 'dst', 'LEFT', 'NOWHERE', '0'],
      ['HSET', 's', 'f', 'v'],
      ['BLMOVE', 'dst', 's', 'LEFT', 'LEFT', '0'],
      ['BRPOPLPUSH', 's', 'dst', '0'],
    ]);
  });

  it('reads announce nothing', async () => {
    await expectSameChanges([
      ['RPUSH', 'l', 'a', 'b', 'a'],
      ['LLEN', 'l'],
      ['LRANGE', 'l', '0', '-1'],
      ['LINDEX', 'l', '1'],
      ['LPOS', 'l', 'a', 'COUNT', '0'],
      ['LPOS', 'l', 'a'],
      ['LPOS', 'missing', 'a', 'COUNT', '0'],
      ['LLEN', 'missing'],
    ]);
  });
});
