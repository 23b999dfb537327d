/**
 * What the keyspace, expiry, SORT, OBJECT, transaction and server commands
 * change, against a real redis-server: per command, the reply, the keyspace
 * events announced and the dirty delta (INFO rdb_changes_since_last_save).
 * Each write command is played in its changing forms, its no-op forms, its
 * error forms and against keys of the wrong type.
 *
 * Expiry runs with active expiry off on both servers (DEBUG
 * SET-ACTIVE-EXPIRE 0) and a DEBUG SLEEP past the TTL, so the `expired`
 * event is announced by the command that meets the key, on both.
 */
import { describe, expect, it } from 'vitest';
import { useChangeRecorders } from '../helpers/change-events.js';
import type { Command } from '../helpers/resp-client.js';

const servers = useChangeRecorders({ enableDebug: true });
const same = (commands: Command[], setup: Command[] = []) => servers.expectSameChanges(commands, { setup });

/** Makes `key` expire 1 ms from now and waits past it, with active expiry off: the next command to meet it expires it. */
function expiredKey(key: string, ...make: Command[]): Command[] {
  // 20 ms, not 1: a loaded redis-server can read its clock twice within one
  // PEXPIRE more than 1 ms apart, find the time already past and delete the
  // key at once (a `del` where the test expects `expire`).
  return [['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ...fixture, ...make, ['PEXPIRE', key, '20'], ['DEBUG', 'SLEEP', '0.05']];
}
const activeExpiryOn: Command = ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'];

/** A few keys of each type in db 0. */
const fixture: Command[] = [
  ['SET', 's', 'v'],
  ['RPUSH', 'l', '3', '1', '2'],
  ['SADD', 'set', 'b', 'a', 'c'],
  ['ZADD', 'z', '1', 'x', '2', 'y'],
  ['HSET', 'h', 'f', 'v'],
];

describe('DEL and UNLINK', () => {
  for (const name of ['DEL', 'UNLINK']) {
    it(`${name}: one del event and one change per deleted key, nothing for missing ones`, async () => {
      const changes = await same([[name, 's', 'l', 'missing', 'set'], [name, 'missing'], [name, 'z', 'z'], [name, 'h']], fixture);
      expect(changes.find((c) => c.command === `${name} s l missing set`)!.events).toEqual(['0 del s', '0 del l', '0 del set']);
    });

    it(`${name} of an expired key: expired, not del, and no change`, async () => {
      await same([[name, 'k', 'other'], activeExpiryOn], expiredKey('k', ['SET', 'k', 'v']));
    });
  }
});

describe('reads that meet an expired key', () => {
  for (const read of [['EXISTS', 'k'], ['TYPE', 'k'], ['TOUCH', 'k'], ['TTL', 'k'], ['PTTL', 'k'], ['EXPIRETIME', 'k'], ['OBJECT', 'ENCODING', 'k'], ['GET', 'k']]) {
    it(`${read.join(' ')} announces expired`, async () => {
      await same([read, read, activeExpiryOn], expiredKey('k', ['SET', 'k', 'v']));
    });
  }

  it('reads of live keys announce nothing', async () => {
    await same([
      ['EXISTS', 's', 'l', 'nope'],
      ['TYPE', 'z'],
      ['TOUCH', 's', 'h', 'nope'],
      ['TTL', 's'],
      ['PTTL', 'nope'],
      ['OBJECT', 'ENCODING', 'l'],
      ['OBJECT', 'REFCOUNT', 's'],
      ['OBJECT', 'FREQ', 's'],
      ['OBJECT', 'HELP'],
      ['DBSIZE'],
      ['KEYS', 'nomatch*'],
      ['SORT_RO', 'l'],
      ['SORT', 'l', 'LIMIT', '0', '1'],
    ], fixture);
  });
});

describe('RENAME and RENAMENX', () => {
  it('RENAME: rename_from then rename_to, one change; the TTL moves with the value', async () => {
    const changes = await same([
      ['EXPIRE', 's', '100'],
      ['RENAME', 's', 't'],
      ['TTL', 't'],
      ['RENAME', 't', 'l'],
      ['TYPE', 'l'],
      ['RENAME', 'l', 'l'],
      ['RENAME', 'missing', 'x'],
      ['RENAME', 'missing', 'missing'],
    ], fixture);
    expect(changes.find((c) => c.command === 'RENAME s t')!.events).toEqual(['0 rename_from s', '0 rename_to t']);
  });

  it('RENAMENX: 1 with the events, 0 and nothing when the destination exists or is the source', async () => {
    await same([['RENAMENX', 's', 'n'], ['RENAMENX', 'n', 'l'], ['RENAMENX', 'l', 'l'], ['RENAMENX', 'missing', 'x']], fixture);
  });

  it('renaming onto an expired destination expires it first', async () => {
    await same([['RENAMENX', 'src', 'dst'], ['RENAME', 'dst', 'src'], activeExpiryOn], expiredKey('dst', ['SET', 'dst', 'old'], ['SET', 'src', 'v']));
  });

  it('renaming an expired source: expired, then no such key', async () => {
    await same([['RENAME', 'src', 'dst'], activeExpiryOn], expiredKey('src', ['SET', 'src', 'v']));
  });
});

describe('MOVE', () => {
  it('move_from in the source db, move_to in the target, one change', async () => {
    const changes = await same([
      ['PEXPIRE', 'l', '100000'],
      ['MOVE', 'l', '1'],
      ['SELECT', '1'],
      ['TYPE', 'l'],
      ['MOVE', 'l', '0'],
      ['SELECT', '0'],
    ], fixture);
    expect(changes.find((c) => c.command === 'MOVE l 1')!.events).toEqual(['0 move_from l', '1 move_to l']);
  });

  it('no-ops and errors announce nothing', async () => {
    await same([
      ['MOVE', 's', '1'],
      ['MOVE', 'missing', '1'],
      ['MOVE', 's', '0'],
      ['MOVE', 's', '16'],
      ['MOVE', 's', '-1'],
      ['MOVE', 's', 'x'],
      ['MOVE', 's', '99999999999'],
    ], [...fixture, ['SELECT', '1'], ['SET', 's', 'there'], ['SELECT', '0']]);
  });
});

describe('COPY', () => {
  it('copy_to in the target db, one change', async () => {
    const changes = await same([
      ['COPY', 's', 's2'],
      ['COPY', 'z', 'z', 'DB', '2'],
      ['COPY', 'h', 's', 'REPLACE'],
      ['COPY', 'l', 's', 'DB', '0', 'REPLACE'],
      ['TYPE', 's'],
    ], fixture);
    expect(changes.find((c) => c.command === 'COPY z z DB 2')!.events).toEqual(['2 copy_to z']);
  });

  it('no-ops and errors announce nothing', async () => {
    await same([
      ['COPY', 's', 'l'],
      ['COPY', 'missing', 'x'],
      ['COPY', 's', 's'],
      ['COPY', 's', 's', 'DB', '0'],
      ['COPY', 's', 'x', 'DB', '16'],
      ['COPY', 's', 'x', 'DB'],
      ['COPY', 's', 'x', 'FOO'],
      ['COPY', 's', 'x', 'DB', 'nope'],
    ], fixture);
  });

  it('copying onto an expired destination expires it first', async () => {
    await same([['COPY', 's', 'd'], activeExpiryOn], expiredKey('d', ['SET', 'd', 'old']));
  });
});

describe('SWAPDB, FLUSHDB, FLUSHALL', () => {
  it('SWAPDB counts one change, even for a db swapped with itself; errors count none', async () => {
    await same([
      ['SWAPDB', '0', '1'],
      ['DBSIZE'],
      ['SWAPDB', '1', '0'],
      ['SWAPDB', '3', '3'],
      ['SWAPDB', '0', '16'],
      ['SWAPDB', 'x', '1'],
      ['SWAPDB', '1', 'y'],
      ['SWAPDB', '-1', '0'],
    ], fixture);
  });

  it('FLUSHDB counts the keys removed', async () => {
    await same([
      ['FLUSHDB'],
      ['FLUSHDB'],
      ['FLUSHDB', 'ASYNC'],
      ['FLUSHDB', 'SYNC'],
      ['FLUSHDB', 'NOW'],
      ['FLUSHDB', 'ASYNC', 'SYNC'],
      ['SELECT', '1'],
      ['DBSIZE'],
      ['SELECT', '0'],
    ], [...fixture, ['SELECT', '1'], ['SET', 'other', 'db'], ['SELECT', '0']]);
  });

  it('FLUSHALL counts the keys removed from every db', async () => {
    await same([
      ['FLUSHALL'],
      ['FLUSHALL', 'SYNC'],
      ['FLUSHALL', 'bad'],
    ], [...fixture, ['SELECT', '3'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['SELECT', '0']]);
  });
});

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, PERSIST', () => {
  const future = String(Math.floor(Date.now() / 1000) + 100000);
  const futureMs = future + '000';

  it('setting a TTL announces expire; a missing key and refused options announce nothing', async () => {
    await same([
      ['EXPIRE', 's', '100'],
      ['PEXPIRE', 'l', '100000'],
      ['EXPIREAT', 'set', future],
      ['PEXPIREAT', 'z', futureMs],
      ['EXPIRE', 'missing', '100'],
      ['EXPIRE', 's', '50', 'NX'],
      ['EXPIRE', 'h', '50', 'XX'],
      ['EXPIRE', 's', '50', 'GT'],
      ['EXPIRE', 's', '500', 'LT'],
      ['EXPIRE', 'h', '50', 'GT'],
      ['EXPIRE', 's', '500', 'GT'],
      ['EXPIRE', 's', '50', 'LT'],
      ['EXPIRE', 'h', '50', 'NX'],
      ['EXPIRE', 'h', '60', 'xx'],
      ['TTL', 's'],
      ['TTL', 'h'],
    ], fixture);
  });

  it('errors announce nothing', async () => {
    await same([
      ['EXPIRE', 's', 'abc'],
      ['EXPIRE', 's', '10', 'FOO'],
      ['EXPIRE', 's', '10', 'NX', 'XX'],
      ['EXPIRE', 's', '10', 'GT', 'LT'],
      ['EXPIRE', 's', '9223372036854775807'],
      ['PEXPIRE', 's', '9223372036854775807'],
      ['EXPIREAT', 's', '1.5'],
      ['PERSIST', 's', 'x'],
    ], fixture);
  });

  it('a time already past deletes the key: del, one change', async () => {
    const changes = await same([
      ['EXPIRE', 's', '-1'],
      ['PEXPIRE', 'l', '0'],
      ['EXPIREAT', 'set', '1'],
      ['PEXPIREAT', 'z', '1'],
      ['EXPIRE', 'h', '-10', 'NX'],
      ['EXPIRE', 'missing', '-1'],
      ['DBSIZE'],
    ], fixture);
    expect(changes.find((c) => c.command === 'EXPIRE s -1')!.events).toEqual(['0 del s']);
  });

  it('EXPIRE of an expired key: expired, then 0', async () => {
    await same([['EXPIRE', 'k', '100'], activeExpiryOn], expiredKey('k', ['SET', 'k', 'v']));
  });

  it('PERSIST announces persist only when a TTL was removed', async () => {
    await same([['EXPIRE', 's', '100'], ['PERSIST', 's'], ['PERSIST', 's'], ['PERSIST', 'l'], ['PERSIST', 'missing'], ['TTL', 's']], fixture);
  });
});

describe('SORT ... STORE', () => {
  it('stores the result: sortstore, one change per element', async () => {
    const changes = await same([
      ['SORT', 'l', 'STORE', 'dst'],
      ['SORT', 'set', 'ALPHA', 'STORE', 'dst'],
      ['SORT', 'z', 'BY', 'nosort', 'STORE', 's'],
      ['SORT', 'set', 'BY', 'nosort', 'STORE', 'dst2'],
      ['LRANGE', 'dst', '0', '-1'],
      ['TYPE', 's'],
    ], fixture);
    expect(changes.find((c) => c.command === 'SORT l STORE dst')!).toMatchObject({ events: ['0 sortstore dst'], dirty: 3 });
  });

  it('an empty result deletes the destination (del), or changes nothing', async () => {
    await same([['SORT', 'missing', 'STORE', 's'], ['SORT', 'missing', 'STORE', 's'], ['SORT', 'l', 'LIMIT', '5', '1', 'STORE', 'l'], ['EXISTS', 's', 'l']], fixture);
  });

  it('errors and wrong types store nothing', async () => {
    await same([
      ['SORT', 'words', 'STORE', 'dst'],
      ['SORT', 's', 'STORE', 'dst'],
      ['SORT', 'h', 'STORE', 'dst'],
      ['SORT', 'l', 'LIMIT', 'x', '1', 'STORE', 'dst'],
      ['SORT', 'l', 'STORE'],
      ['SORT_RO', 'l', 'STORE', 'dst'],
      ['EXISTS', 'dst'],
    ], [...fixture, ['RPUSH', 'words', 'a', 'b']]);
  });

  it('storing onto an expired destination expires it first', async () => {
    await same([['SORT', 'l', 'STORE', 'dst'], activeExpiryOn], expiredKey('dst', ['SET', 'dst', 'old']));
  });
});

describe('transactions', () => {
  it("EXEC's commands announce their own changes; MULTI, DISCARD, WATCH and UNWATCH none", async () => {
    await same(
      [
        ['WATCH', 's'],
        ['UNWATCH'],
        ['MULTI'],
        ['COPY', 's', 'a'],
        ['DEL', 'a', 'b'],
        ['EXPIRE', 'nope', '10'],
        ['RENAME', 'l', 'l2'],
        ['EXEC'],
        ['MULTI'],
        ['DEL', 's'],
        ['DISCARD'],
        ['MULTI'],
        ['EXEC'],
        ['EXEC'],
        ['DISCARD'],
      ],
      fixture,
    );
  });

  it('an aborted or watch-failed EXEC changes nothing', async () => {
    await same(
      [
        ['MULTI'],
        ['DEL', 's'],
        ['NOSUCH'],
        ['EXEC'],
        ['WATCH', 'l'],
        ['EXPIRE', 'l', '100'],
        ['MULTI'],
        ['DEL', 'h'],
        ['EXEC'],
        ['EXISTS', 's', 'h'],
      ],
      fixture,
    );
  });
});

describe('server commands', () => {
  it('CONFIG GET, LASTSAVE, DEBUG, DBSIZE, RANDOMKEY and SCAN change nothing', async () => {
    await same(
      [['CONFIG', 'GET', 'maxmemory'], ['DEBUG', 'SLEEP', '0'], ['DEBUG', 'NOSUCH'], ['DBSIZE'], ['RANDOMKEY'], ['SCAN', '0', 'COUNT', '100', 'MATCH', 'nomatch']],
      [['SET', 's', 'v']],
    );
    // LASTSAVE answers each server's own start time, which may fall in
    // different seconds: its reply is compared by length (10 digits) only.
    await servers.expectSameChanges([['LASTSAVE']], { setup: [['SET', 's', 'v']], randomReplies: true });
  });
});
