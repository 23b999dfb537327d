/**
 * RedisBloom's writes as Redis sees a module's writes: a successful one is
 * replicated verbatim (RedisModule_ReplicateVerbatim: propagated as sent,
 * dirty + 1) and the key it opened for writing is signalled (WATCH fails),
 * with no keyspace notification; a rejected one changes nothing.
 */
import { beforeAll, expect, it } from 'vitest';
import type { PropagatedCommand } from '../../src/commands/propagation.js';
import type { RunningServer } from '../../src/index.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const t = useServer();
const { call } = t;
let server: RunningServer;
beforeAll(() => {
  server = t.server;
});

async function dirty(): Promise<number> {
  return Number(/rdb_changes_since_last_save:(\d+)/.exec(await call('INFO', 'persistence'))![1]);
}

const writes: string[][] = [
  ['BF.RESERVE', 'bf', '0.01', '100'],
  ['BF.ADD', 'bf', 'a'],
  ['BF.MADD', 'bf', 'b', 'c'],
  ['BF.INSERT', 'bf2', 'ITEMS', 'a'],
  ['CF.RESERVE', 'cf', '100'],
  ['CF.ADD', 'cf', 'a'],
  ['CF.ADDNX', 'cf', 'b'],
  ['CF.INSERT', 'cf', 'ITEMS', 'c'],
  ['CF.INSERTNX', 'cf', 'ITEMS', 'd'],
  ['CF.DEL', 'cf', 'a'],
  ['CMS.INITBYDIM', 'cms', '10', '2'],
  ['CMS.INITBYPROB', 'cms2', '0.01', '0.01'],
  ['CMS.INCRBY', 'cms', 'a', '3'],
  ['CMS.INITBYDIM', 'cms3', '10', '2'],
  ['CMS.MERGE', 'cms3', '1', 'cms'],
  ['TOPK.RESERVE', 'tk', '3'],
  ['TOPK.ADD', 'tk', 'a'],
  ['TOPK.INCRBY', 'tk', 'a', '2'],
];

it('a successful write is signalled, adds one to dirty and propagates verbatim, with no event name', async () => {
  const units: (readonly PropagatedCommand[])[] = [];
  const events: string[] = [];
  const stopPropagation = server.server.propagation.subscribe((unit) => units.push([...unit]));
  const stopEvents = server.server.events.onKeyModified((db, key, event) => events.push(`${db.id} ${key} ${event}`));
  try {
    for (const argv of writes) {
      units.length = 0;
      events.length = 0;
      const before = await dirty();
      const reply = await call(...argv);
      expect(reply, argv.join(' ')).not.toMatch(/^-/);
      expect(await dirty(), argv.join(' ')).toBe(before + 1);
      expect(events, argv.join(' ')).toEqual([`0 ${argv[1]} `]);
      expect(units, argv.join(' ')).toEqual([[{ dbId: 0, argv }]]);
    }
  } finally {
    stopPropagation();
    stopEvents();
  }
});

it('a rejected write changes nothing', async () => {
  await call('BF.RESERVE', 'bf', '0.01', '100');
  const before = await dirty();
  expect(await call('BF.RESERVE', 'bf', '0.01', '100')).toBe('-ERR item exists\r\n');
  expect(await call('CMS.INCRBY', 'nosuch', 'a', '1')).toMatch(/^-/);
  expect(await dirty()).toBe(before);
});

it('a write to a WATCHed filter makes EXEC fail', async () => {
  await call('BF.RESERVE', 'watched', '0.01', '100');
  const other = await RawClient.connect(server.port);
  try {
    await call('WATCH', 'watched');
    await other.call('BF.ADD', 'watched', 'x');
    await call('MULTI');
    await call('PING');
    expect(await call('EXEC')).toBe('*-1\r\n');
  } finally {
    await other.close();
  }
});
