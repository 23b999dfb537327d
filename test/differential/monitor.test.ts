/**
 * MONITOR against redis-server 7.0.15: the same sessions on both servers,
 * and every line each MONITOR client receives compared after masking
 * timestamps and client addresses (client-sessions.ts): which commands
 * show, in what order, with which database, client and quoting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callN, callPick, clientListFields, hello3, monitorUntil, playSession, quiet, read, send, type Step } from './client-sessions.js';
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

/** Every byte value once, so that each of sdscatrepr's cases shows. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describe.skipIf(!redisAvailable('monitor differential'))('MONITOR against redis-server', () => {
  it('shows each command after it runs, with its database, client and quoted arguments', async () => {
    const shown = await expectSameSession(
      ['mon', 'a', 'b'],
      [
        call('mon', 'MONITOR'),
        call('a', 'SET', 'k', 'v'),
        call('a', 'SET', 'bin', ALL_BYTES),
        call('a', 'SET', 'quotes', 'say "hi" \\ back\r\n\t\x07\x08'),
        call('a', 'SET', 'n', '12345'),
        call('a', 'INCRBY', 'n', '-5'),
        call('b', 'SELECT', '3'),
        call('b', 'LPUSH', 'list', 'x', ''),
        call('a', 'GET', 'k'),
        call('b', 'PING'),
        call('a', 'ECHO', 'done'),
        // Refused commands never ran, so they are not shown.
        call('a', 'NOSUCH', 'x'),
        call('a', 'GET'),
        call('a', 'CLIENT', 'NOSUCH'),
        // Admin commands are not shown either.
        call('a', 'CONFIG', 'GET', 'maxmemory'),
        call('a', 'CLIENT', 'NO-EVICT', 'off'),
        call('a', 'CLIENT', 'KILL', 'ID', '999999999'),
        callPick('a', (reply) => (/^:\d+\r\n$/.test(reply) ? '<id>' : reply), 'CLIENT', 'ID'),
        call('a', 'CLIENT', 'GETNAME'),
        call('a', 'INFO', 'keyspace'),
        call('a', 'DEBUG', 'SLEEP', '0'),
        monitorUntil('mon', 'a', 'end'),
      ],
    );
    expect(shown).toContain('+TS [0 a] "SET" "k" "v"');
    expect(shown).toContain('+TS [3 b] "LPUSH" "list" "x" ""');
    expect(shown).toContain('\\xff');
    const lines = shown.slice(shown.indexOf('mon monitor:'));
    for (const hidden of ['CONFIG', 'NO-EVICT', 'KILL', 'NOSUCH', 'DEBUG']) expect(lines).not.toContain(hidden);
    expect(lines).toContain('"CLIENT" "ID"');
  });

  it('shows a transaction as MULTI, its commands, then EXEC, and an aborted one as MULTI and EXEC', async () => {
    await expectSameSession(
      ['mon', 'a', 'b'],
      [
        call('mon', 'MONITOR'),
        call('a', 'MULTI'),
        call('a', 'SET', 'x', '1'),
        call('a', 'INCR', 'x'),
        call('a', 'CONFIG', 'GET', 'hz'),
        call('a', 'EXEC'),
        // Queued then refused at EXEC: EXECABORT.
        call('a', 'MULTI'),
        call('a', 'SET', 'x'),
        call('a', 'EXEC'),
        // EXEC itself refused: execCommandAbort shows it.
        call('a', 'MULTI'),
        call('a', 'SET', 'x', '2'),
        call('a', 'EXEC', 'now'),
        call('a', 'GET', 'x'),
        // A WATCHed key touched: EXEC answers null and still shows.
        call('a', 'WATCH', 'x'),
        call('b', 'SET', 'x', '3'),
        call('a', 'MULTI'),
        call('a', 'GET', 'x'),
        call('a', 'EXEC'),
        call('a', 'DISCARD'),
        call('a', 'MULTI'),
        call('a', 'PING'),
        call('a', 'DISCARD'),
        monitorUntil('mon', 'a', 'end'),
      ],
    );
  });

  it('hides AUTH and HELLO AUTH credentials where Redis redacts them', async () => {
    const shown = await expectSameSession(
      ['mon', 'a'],
      [
        call('mon', 'MONITOR'),
        call('a', 'AUTH', 'secret'),
        call('a', 'AUTH', 'default', 'secret'),
        call('a', 'AUTH', 'user', 'pass', 'extra'),
        call('a', 'HELLO', '2', 'AUTH', 'default', 'pw'),
        call('a', 'HELLO', '2', 'SETNAME', 'me', 'AUTH', 'default', 'pw'),
        call('a', 'HELLO', '2', 'AUTH', 'default'),
        call('a', 'HELLO', '9', 'AUTH', 'default', 'pw'),
        call('a', 'HELLO', '2'),
        call('a', 'MULTI'),
        call('a', 'AUTH', 'inside'),
        call('a', 'EXEC'),
        monitorUntil('mon', 'a', 'end'),
      ],
    );
    expect(shown).toContain('"AUTH" "(redacted)" "(redacted)"');
    expect(shown).toContain('"HELLO" "2" "AUTH" "(redacted)" "(redacted)"');
  });

  it('shows a blocking command when it blocks, not again when it is served', async () => {
    await expectSameSession(
      ['mon', 'a', 'b'],
      [
        call('mon', 'MONITOR'),
        send('a', 'BLPOP', 'queue', '0'),
        quiet('a', 100),
        call('b', 'RPUSH', 'queue', 'job'),
        read('a'),
        call('a', 'BLPOP', 'queue', '0.01'),
        monitorUntil('mon', 'b', 'end'),
      ],
    );
  });

  it('streams to a monitor that may still run commands outside the keyspace', async () => {
    const shown = await expectSameSession(
      ['mon', 'a'],
      [
        call('mon', 'MONITOR'),
        // A second MONITOR has no reply at all.
        send('mon', 'MONITOR'),
        callN('mon', 2, 'PING'),
        // Redis marks a monitor as a replica: keyspace commands are refused, even queued.
        call('mon', 'GET', 'k'),
        call('mon', 'PUBLISH', 'ch', 'm'),
        call('mon', 'PFCOUNT', 'h'),
        callN('mon', 2, 'ECHO', 'mine'),
        callN('mon', 2, 'MULTI'),
        call('mon', 'SET', 'k', 'v'),
        callN('mon', 2, 'EXEC'),
        call('a', 'SET', 'k', 'v'),
        read('mon'),
        callPick('mon', clientListFields('flags', 'cmd'), 'CLIENT', 'INFO'),
        // RESET ends monitoring: later commands no longer reach it.
        call('mon', 'RESET'),
        call('a', 'GET', 'k'),
        quiet('mon', 100),
        call('mon', 'GET', 'k'),
      ],
    );
    expect(shown).toContain("Replica can't interact with the keyspace");
    expect(shown).toMatch(/flags=O /);
  });

  it('shows subscriptions, messages published and a RESP3 monitor the same way', async () => {
    await expectSameSession(
      ['mon', 'sub', 'pub'],
      [
        hello3('mon'),
        call('mon', 'MONITOR'),
        call('sub', 'SUBSCRIBE', 'news'),
        call('pub', 'PUBLISH', 'news', 'hello world'),
        read('sub'),
        call('sub', 'UNSUBSCRIBE'),
        monitorUntil('mon', 'pub', 'end'),
      ],
    );
  });

  it('drops the lines of a monitor whose replies are off, and stops feeding one that went', async () => {
    await expectSameSession(
      ['mon', 'mon2', 'a'],
      [
        call('mon', 'MONITOR'),
        call('mon2', 'MONITOR'),
        send('mon', 'CLIENT', 'REPLY', 'OFF'),
        call('a', 'SET', 'while', 'off'),
        monitorUntil('mon2', 'a', 'first'),
        quiet('mon', 100),
        call('mon', 'CLIENT', 'REPLY', 'ON'),
        call('a', 'SET', 'back', 'on'),
        monitorUntil('mon', 'a', 'second'),
        monitorUntil('mon2', 'a', 'third'),
        call('mon2', 'QUIT'),
        call('a', 'SET', 'one', 'left'),
        monitorUntil('mon', 'a', 'fourth'),
      ],
    );
  });
});
