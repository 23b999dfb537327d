/**
 * CLIENT PAUSE and UNPAUSE against redis-server 7.0.15, with several
 * clients: which commands wait under WRITE and ALL, what the waiting
 * clients look like (CLIENT LIST, INFO), the order they resume in, and the
 * dataset holding still (no expiry) while paused. A client that waits is
 * checked to receive nothing (`quiet`) before the pause ends; pauses that
 * end by themselves are given time, since Redis notices the end only in
 * its cron (up to 100 ms late).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callN, callPick, clientListFields, infoField, monitorUntil, playSession, quiet, read, send, sleep, type Step } from './client-sessions.js';
import { redisAvailable, startDifferentialTargets, type DifferentialTargets } from './targets.js';

let targets: DifferentialTargets;
beforeAll(async () => {
  targets = await startDifferentialTargets();
});
afterAll(async () => {
  await targets?.stop();
});

async function expectSameSession(names: readonly string[], steps: readonly Step[]): Promise<string> {
  const expected = await playSession(targets.reference.port, names, steps);
  const got = await playSession(targets.candidate.port, names, steps);
  expect(got).toEqual(expected);
  return expected.join('\n');
}

const clients = callPick('admin', clientListFields('flags', 'multi', 'argv-mem', 'cmd'), 'CLIENT', 'LIST');
const blockedClients = callPick('admin', infoField('blocked_clients'), 'INFO', 'clients');

describe.skipIf(!redisAvailable('client pause differential'))('CLIENT PAUSE against redis-server', () => {
  it('WRITE holds writes and may-replicate commands, lets reads through, and resumes in order', async () => {
    const session = await expectSameSession(
      ['admin', 'w1', 'w2', 'r', 'tx', 'pub'],
      [
        call('admin', 'SET', 'k', 'before'),
        call('tx', 'MULTI'),
        call('admin', 'CLIENT', 'PAUSE', '100000', 'WRITE'),
        // Reads run at once; a refused command is refused at once.
        call('r', 'GET', 'k'),
        call('r', 'EXISTS', 'k', 'nope'),
        call('r', 'NOSUCH'),
        call('r', 'SET', 'k'),
        call('r', 'MULTI'),
        call('r', 'GET', 'k'),
        call('r', 'EXEC'),
        // Writes wait, a write waits even to be queued in MULTI, PUBLISH and PFCOUNT wait.
        // Each send is followed by a quiet wait, so the server has read it
        // before the next client sends: the order clients resume in is the
        // order they were held, and sends on different sockets in one tick
        // may be read in either order (seen in CI on redis-server itself).
        send('w1', 'SET', 'k', 'w1'),
        quiet('w1', 60),
        send('w2', 'RPUSH', 'order', 'w2'),
        quiet('w2', 60),
        send('tx', 'INCR', 'counter'),
        quiet('tx', 60),
        send('pub', 'PUBLISH', 'ch', 'm'),
        quiet('pub', 60),
        send('w1', 'RPUSH', 'order', 'w1'),
        quiet('w1'),
        clients,
        blockedClients,
        call('r', 'GET', 'k'),
        call('admin', 'CLIENT', 'UNPAUSE'),
        read('w1', 2),
        read('w2'),
        read('tx'),
        read('pub'),
        call('tx', 'EXEC'),
        call('r', 'LRANGE', 'order', '0', '-1'),
        call('r', 'GET', 'k'),
        clients,
        blockedClients,
      ],
    );
    expect(session).toContain('flags=xb');
    expect(session).toContain('blocked_clients:4');
  });

  it('EXEC waits when its queue would write, runs when it only reads', async () => {
    await expectSameSession(
      ['admin', 'ro', 'rw'],
      [
        call('ro', 'MULTI'),
        call('ro', 'GET', 'k'),
        call('ro', 'PING'),
        call('rw', 'MULTI'),
        call('rw', 'GET', 'k'),
        call('rw', 'SET', 'k', 'v'),
        call('admin', 'CLIENT', 'PAUSE', '100000', 'WRITE'),
        call('ro', 'EXEC'),
        send('rw', 'EXEC'),
        quiet('rw'),
        clients,
        call('admin', 'CLIENT', 'UNPAUSE'),
        read('rw'),
      ],
    );
  });

  it('a paused client keeps its pipeline in order behind the command that waits', async () => {
    await expectSameSession(
      ['admin', 'p'],
      [
        call('admin', 'CLIENT', 'PAUSE', '100000', 'WRITE'),
        send('p', 'GET', 'a'),
        read('p'),
        send('p', 'SET', 'a', '1'),
        send('p', 'GET', 'a'),
        send('p', 'INCR', 'a'),
        send('p', 'PING'),
        quiet('p'),
        clients,
        call('admin', 'CLIENT', 'UNPAUSE'),
        read('p', 4),
      ],
    );
  });

  it('ALL holds every command, CLIENT UNPAUSE included, but not a MONITOR client', async () => {
    await expectSameSession(
      ['admin', 'mon', 'a', 'b'],
      [
        call('mon', 'MONITOR'),
        call('admin', 'CLIENT', 'PAUSE', '100000', 'ALL'),
        // A quiet wait after each send fixes the order the clients are held in.
        send('a', 'PING'),
        quiet('a', 60),
        send('b', 'CLIENT', 'UNPAUSE'),
        quiet('b', 60),
        send('admin', 'GET', 'k'),
        quiet('admin', 60),
        send('a', 'NOSUCH'),
        quiet('a'),
        // The monitor still runs what it may run, including CLIENT UNPAUSE.
        callN('mon', 2, 'PING'),
        call('mon', 'CLIENT', 'UNPAUSE'),
        read('a', 2),
        read('b'),
        read('admin'),
        monitorUntil('mon', 'a', 'end'),
      ],
    );
  });

  it('a second pause keeps the stricter mode and the later end', async () => {
    await expectSameSession(
      ['admin', 'mon', 'a'],
      [
        call('mon', 'MONITOR'),
        call('admin', 'CLIENT', 'PAUSE', '100000', 'WRITE'),
        call('admin', 'CLIENT', 'PAUSE', '10', 'ALL'),
        sleep(300),
        // Still paused, and now for every command.
        send('a', 'GET', 'k'),
        quiet('a', 200),
        call('mon', 'CLIENT', 'UNPAUSE'),
        read('a'),
        monitorUntil('mon', 'a', 'end'),
        // A zero timeout pauses nothing.
        call('admin', 'CLIENT', 'PAUSE', '0'),
        call('a', 'SET', 'k', 'v'),
      ],
    );
  });

  it('a pause ends by itself at its timeout', async () => {
    await expectSameSession(
      ['admin', 'a'],
      [
        // Long enough that a loaded machine can't stretch the quiet check past it.
        call('admin', 'CLIENT', 'PAUSE', '1500', 'WRITE'),
        send('a', 'SET', 'k', 'v'),
        quiet('a', 100),
        read('a'),
        call('a', 'GET', 'k'),
      ],
    );
  });

  it('keeps expired keys while paused: they read as missing but are not deleted', async () => {
    const session = await expectSameSession(
      ['admin', 'r'],
      [
        call('admin', 'SET', 'gone', 'v', 'PX', '100'),
        call('admin', 'SET', 'kept', 'v'),
        callPick('admin', infoField('expired_keys'), 'INFO', 'stats'),
        call('admin', 'CLIENT', 'PAUSE', '100000', 'WRITE'),
        sleep(400),
        call('r', 'GET', 'gone'),
        call('r', 'EXISTS', 'gone'),
        call('r', 'TTL', 'gone'),
        call('r', 'DBSIZE'),
        callPick('admin', infoField('expired_keys'), 'INFO', 'stats'),
        call('admin', 'CLIENT', 'UNPAUSE'),
        call('r', 'GET', 'gone'),
        call('r', 'DBSIZE'),
        callPick('admin', infoField('expired_keys'), 'INFO', 'stats'),
      ],
    );
    expect(session).toContain(`"DBSIZE" => [":2\\r\\n"]`);
  });

  it("answers Redis's errors", async () => {
    await expectSameSession(
      ['a'],
      [
        call('a', 'CLIENT', 'PAUSE'),
        call('a', 'CLIENT', 'PAUSE', 'soon'),
        call('a', 'CLIENT', 'PAUSE', '-5'),
        call('a', 'CLIENT', 'PAUSE', '5', 'READ'),
        call('a', 'CLIENT', 'PAUSE', 'soon', 'READ'),
        call('a', 'CLIENT', 'PAUSE', '5', 'ALL', 'more'),
        call('a', 'CLIENT', 'UNPAUSE', 'now'),
        call('a', 'CLIENT', 'UNPAUSE'),
      ],
    );
  });
});
