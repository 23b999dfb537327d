/**
 * The sorted set commands' changes, reddish against redis-server: for each
 * command, its reply, the keyspace events it announces and what it adds to
 * dirty, command by command (test/helpers/change-events.ts). The changing
 * forms, the no-ops (which must announce nothing), the errors and
 * WRONGTYPE; and a blocked BZPOPMIN served by a later write, whose pop
 * counts as a change of its own and touches WATCHed keys.
 *
 * Keys of another type are sets, made with SADD: this group's own
 * commands, so that a setup step never depends on another group's events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useChangeRecorders } from '../helpers/change-events.js';
import { RawClient } from '../helpers/resp-client.js';

// One server pair for the file.
const recorders = useChangeRecorders();

describe('sorted set commands announce what Redis announces', () => {
  const same = recorders.expectSameChanges;

  it('ZADD: added and updated members count, with zadd; no-ops announce nothing', async () => {
    await same([
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZADD', 'z', '1', 'a', '3', 'b', '4', 'c'],
      ['ZADD', 'z', '1', 'a'],
      ['ZADD', 'z', 'CH', '5', 'a', '6', 'd'],
      ['ZADD', 'z', 'NX', '9', 'a', '7', 'e'],
      ['ZADD', 'z', 'NX', '9', 'a'],
      ['ZADD', 'z', 'XX', '9', 'a', '9', 'new'],
      ['ZADD', 'z', 'XX', '9', 'new'],
      ['ZADD', 'z', 'GT', '1', 'a'],
      ['ZADD', 'z', 'LT', 'CH', '1', 'a'],
      ['ZADD', 'missing', 'XX', '1', 'a'],
      ['EXISTS', 'missing'],
      ['ZADD', 'z', 'INCR', '2', 'a'],
      ['ZADD', 'z', 'NX', 'INCR', '2', 'a'],
      ['ZADD', 'z', 'NX', 'XX', '1', 'a'],
      ['ZADD', 'z', 'GT', 'LT', '1', 'a'],
      ['ZADD', 'z', 'INCR', '1', 'a', '2', 'b'],
      ['ZADD', 'z', 'x', 'a'],
      ['ZADD', 'z', '1'],
      ['ZRANGE', 'z', '0', '-1', 'WITHSCORES'],
      ['SADD', 's', 'm'],
      ['ZADD', 's', '1', 'a'],
    ]);
  });

  it('ZINCRBY: zincr; a NaN result is an error and no change', async () => {
    await same([
      ['ZINCRBY', 'z', '2', 'a'],
      ['ZINCRBY', 'z', '2.5', 'a'],
      ['ZINCRBY', 'z', '0', 'a'],
      ['ZINCRBY', 'z', 'x', 'a'],
      ['ZADD', 'inf', 'inf', 'a'],
      ['ZINCRBY', 'inf', '-inf', 'a'],
      ['ZSCORE', 'inf', 'a'],
      ['SADD', 's', 'm'],
      ['ZINCRBY', 's', '1', 'm'],
    ]);
  });

  it('ZREM: removed members count, the last one deletes the key', async () => {
    await same([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c'],
      ['ZREM', 'z', 'a', 'x'],
      ['ZREM', 'z', 'x', 'y'],
      ['ZREM', 'missing', 'a'],
      ['ZREM', 'z', 'b', 'c', 'd'],
      ['EXISTS', 'z'],
      ['SADD', 's', 'm'],
      ['ZREM', 's', 'm'],
    ]);
  });

  it('ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX: their events, del when emptied', async () => {
    await same([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
      ['ZREMRANGEBYRANK', 'z', '0', '0'],
      ['ZREMRANGEBYRANK', 'z', '10', '20'],
      ['ZREMRANGEBYRANK', 'z', 'x', '1'],
      ['ZREMRANGEBYSCORE', 'z', '(2', '3'],
      ['ZREMRANGEBYSCORE', 'z', '100', '200'],
      ['ZREMRANGEBYSCORE', 'z', 'x', '1'],
      ['ZADD', 'lex', '0', 'a', '0', 'b', '0', 'c'],
      ['ZREMRANGEBYLEX', 'lex', '[a', '[b'],
      ['ZREMRANGEBYLEX', 'lex', '[x', '[y'],
      ['ZREMRANGEBYLEX', 'lex', 'a', 'b'],
      ['ZREMRANGEBYLEX', 'lex', '-', '+'],
      ['EXISTS', 'lex'],
      ['ZREMRANGEBYRANK', 'z', '0', '-1'],
      ['EXISTS', 'z'],
      ['ZREMRANGEBYRANK', 'missing', '0', '-1'],
      ['ZREMRANGEBYSCORE', 'missing', '-inf', '+inf'],
      ['ZREMRANGEBYLEX', 'missing', '-', '+'],
      ['SADD', 's', 'm'],
      ['ZREMRANGEBYRANK', 's', '0', '-1'],
      ['ZREMRANGEBYSCORE', 's', '0', '1'],
      ['ZREMRANGEBYLEX', 's', '-', '+'],
    ]);
  });

  it('ZPOPMIN and ZPOPMAX: one event per pop, one change per member, del when emptied', async () => {
    await same([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'z'],
      ['ZPOPMIN', 'z', '2'],
      ['ZPOPMIN', 'z', '0'],
      ['ZPOPMAX', 'z', '10'],
      ['EXISTS', 'z'],
      ['ZPOPMIN', 'z'],
      ['ZPOPMAX', 'missing', '3'],
      ['ZPOPMIN', 'z', '-1'],
      ['ZPOPMIN', 'z', 'x'],
      ['ZPOPMIN', 'z', '1', '2'],
      ['SADD', 's', 'm'],
      ['ZPOPMIN', 's'],
      ['ZPOPMAX', 's', '2'],
    ]);
  });

  it('ZMPOP: pops from the first sorted set named, as ZPOPMIN/ZPOPMAX would', async () => {
    await same([
      ['ZADD', 'z2', '1', 'a', '2', 'b', '3', 'c'],
      ['ZMPOP', '2', 'z1', 'z2', 'MIN'],
      ['ZMPOP', '2', 'z1', 'z2', 'MAX', 'COUNT', '10'],
      ['EXISTS', 'z2'],
      ['ZMPOP', '2', 'z1', 'z2', 'MIN'],
      ['ZMPOP', '0', 'z1', 'MIN'],
      ['ZMPOP', '1', 'z1', 'MIDDLE'],
      ['ZMPOP', '1', 'z1', 'MIN', 'COUNT', '0'],
      ['SADD', 's', 'm'],
      ['ZMPOP', '2', 'missing', 's', 'MIN'],
    ]);
  });

  it('BZPOPMIN, BZPOPMAX and BZMPOP with data at hand pop at once; with none they time out unchanged', async () => {
    await same([
      ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd'],
      ['BZPOPMIN', 'missing', 'z', '0'],
      ['BZPOPMAX', 'z', '0'],
      ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5'],
      ['EXISTS', 'z'],
      ['BZPOPMIN', 'z', '0.01'],
      ['BZMPOP', '0.01', '1', 'z', 'MAX'],
      ['BZPOPMIN', 'z', '-1'],
      ['BZMPOP', '0', '0', 'z', 'MIN'],
      ['SADD', 's', 'm'],
      ['BZPOPMIN', 's', '0'],
      ['BZMPOP', '0', '1', 's', 'MAX'],
    ]);
  });

  it('ZRANGESTORE: zrangestore, del for an empty range only when the destination existed', async () => {
    await same([
      ['ZADD', 'src', '1', 'a', '2', 'b', '3', 'c'],
      ['ZRANGESTORE', 'dst', 'src', '0', '1'],
      ['ZRANGESTORE', 'dst', 'src', '(1', '+inf', 'BYSCORE'],
      ['ZRANGESTORE', 'dst', 'src', '10', '20'],
      ['EXISTS', 'dst'],
      ['ZRANGESTORE', 'dst', 'src', '10', '20'],
      ['ZRANGESTORE', 'dst', 'missing', '0', '-1'],
      ['ZRANGESTORE', 'dst', 'src', '0', '-1', 'WITHSCORES'],
      ['SADD', 's', 'm'],
      ['ZRANGESTORE', 'dst', 's', '0', '-1'],
      ['ZRANGESTORE', 's', 'src', '0', '0'],
      ['TYPE', 's'],
    ]);
  });

  it('ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: their store events and dels', async () => {
    await same([
      ['ZADD', 'a', '1', 'x', '2', 'y'],
      ['ZADD', 'b', '3', 'y', '4', 'w'],
      ['SADD', 'set', 'y', 'v'],
      ['ZUNIONSTORE', 'u', '3', 'a', 'b', 'set', 'WEIGHTS', '1', '2', '3'],
      ['ZINTERSTORE', 'i', '2', 'a', 'b', 'AGGREGATE', 'MAX'],
      ['ZDIFFSTORE', 'd', '2', 'a', 'b'],
      ['ZINTERSTORE', 'i', '2', 'a', 'missing'],
      ['EXISTS', 'i'],
      ['ZINTERSTORE', 'i', '2', 'a', 'missing'],
      ['ZDIFFSTORE', 'd', '2', 'a', 'a'],
      ['ZUNIONSTORE', 'u', '1', 'missing'],
      ['ZUNIONSTORE', 'u', '0', 'a'],
      ['ZUNIONSTORE', 'u', '2', 'a', 'b', 'WEIGHTS', 'x', '1'],
      ['ZINTERSTORE', 'i', '1', 'a', 'WITHSCORES'],
      ['ZUNIONSTORE', 'set', '1', 'a'],
      ['TYPE', 'set'],
    ]);
  });

  it('the read commands change nothing', async () => {
    await same([
      ['ZADD', 'z', '1', 'a', '2', 'b'],
      ['ZCARD', 'z'],
      ['ZSCORE', 'z', 'a'],
      ['ZMSCORE', 'z', 'a', 'x'],
      ['ZRANK', 'z', 'b'],
      ['ZREVRANK', 'z', 'b'],
      ['ZCOUNT', 'z', '-inf', '+inf'],
      ['ZLEXCOUNT', 'z', '-', '+'],
      ['ZRANGE', 'z', '0', '-1'],
      ['ZRANGEBYSCORE', 'z', '1', '2'],
      ['ZREVRANGEBYLEX', 'z', '+', '-'],
      ['ZRANDMEMBER', 'z', '5', 'WITHSCORES'],
      ['ZSCAN', 'z', '0'],
      ['ZUNION', '1', 'z'],
      ['ZINTER', '1', 'z'],
      ['ZDIFF', '1', 'z'],
      ['ZINTERCARD', '1', 'z'],
      ['ZCARD', 'missing'],
      ['ZSCORE', 'missing', 'a'],
    ]);
  });
});

describe('a served BZPOPMIN is a change of its own', () => {
  const opened: RawClient[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((client) => client.close()));
  });

  async function connect(port: number): Promise<RawClient> {
    const client = await RawClient.connect(port);
    opened.push(client);
    return client;
  }

  async function waitForBlockedClients(client: RawClient, n: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const info = (await client.call('INFO', 'clients')).toString('latin1');
      if (new RegExp(`blocked_clients:${n}\\r\\n`).test(info)) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`never saw ${n} blocked clients`);
  }

  async function dirtyOf(client: RawClient): Promise<number> {
    const info = (await client.call('INFO', 'persistence')).toString('latin1');
    return Number(/rdb_changes_since_last_save:(\d+)/.exec(info)![1]);
  }

  /**
   * On one server: a client WATCHes z, another blocks in BZPOPMIN (or
   * BZMPOP), a third fills z. The waiter's reply, the watcher's EXEC and
   * the dirty count after are what the server did.
   */
  async function serveOnce(port: number, blocking: string[]): Promise<{ served: string; exec: string; dirty: number; left: string }> {
    const writer = await connect(port);
    const watcher = await connect(port);
    const waiter = await connect(port);
    await writer.call('FLUSHALL');
    await watcher.call('WATCH', 'z');
    const served = waiter.callArgs(blocking);
    await waitForBlockedClients(writer, 1);
    const before = await dirtyOf(writer);
    await writer.call('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    const reply = (await served).toString('latin1');
    const dirty = (await dirtyOf(writer)) - before;
    await watcher.call('MULTI');
    await watcher.call('ZCARD', 'z');
    const exec = (await watcher.call('EXEC')).toString('latin1');
    const left = (await writer.call('ZRANGE', 'z', '0', '-1')).toString('latin1');
    return { served: reply, exec, dirty, left };
  }

  it('BZPOPMIN: the served pop touches the WATCHed key and counts in rdb_changes_since_last_save', async () => {
    const command = ['BZPOPMIN', 'other', 'z', '0'];
    const expected = await serveOnce(recorders.redisPort, command);
    const got = await serveOnce(recorders.reddish.port, command);
    expect(got).toEqual(expected);
    // ZADD's three members and the served pop's one.
    expect(got.dirty).toBe(4);
    expect(got.exec).toBe('*-1\r\n');
  });

  it('BZMPOP with a count: the served pop counts each member popped', async () => {
    const command = ['BZMPOP', '0', '1', 'z', 'MAX', 'COUNT', '2'];
    const expected = await serveOnce(recorders.redisPort, command);
    const got = await serveOnce(recorders.reddish.port, command);
    expect(got).toEqual(expected);
    expect(got.dirty).toBe(5);
  });

  it('the served pop announces zpopmin (and del once it empties the key) after the write that woke it', async () => {
    const waiters = [await connect(recorders.redisPort), await connect(recorders.reddish.port)];
    for (const waiter of waiters) await waiter.call('FLUSHALL');
    const pending = waiters.map((waiter) => waiter.call('BZPOPMIN', 'z', '0'));
    await waitForBlockedClients(await connect(recorders.redisPort), 1);
    await waitForBlockedClients(await connect(recorders.reddish.port), 1);
    const [changes] = await recorders.expectSameChanges([['ZADD', 'z', '1', 'a']]);
    expect(changes!.events).toEqual(['0 zadd z', '0 zpopmin z', '0 del z']);
    expect(changes!.dirty).toBe(2);
    const replies = await Promise.all(pending);
    expect(replies[1]!.toString('latin1')).toBe(replies[0]!.toString('latin1'));
  });
});
