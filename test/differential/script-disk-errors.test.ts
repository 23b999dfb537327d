/**
 * Scripts while writes are denied by a disk error (a failed BGSAVE with
 * save points and stop-writes-on-bgsave-error), against redis-server
 * 7.0.15, raw reply for raw reply:
 *
 * - a script that declared flags and may write is refused before it runs,
 *   with processCommand's plain MISCONF (getCommandFlags gives it `write`),
 *   EVAL_RO and FCALL too; one declaring no-writes runs;
 * - a script without flags runs, and its first write gets the MISCONF
 *   error from scriptVerifyWriteCommandAllow (script.c), which redis.call
 *   raises and redis.pcall returns; a write after a successful one can't be
 *   refused;
 * - the refused write counts in errorstats and in its command's
 *   rejected_calls, as scriptCall's error path counts it.
 *
 * The AOF's write error gives the same refusals with its own text; both
 * come from one function (diskErrorRefusal), which the AOF tests cover.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';
import { redisAvailable } from './targets.js';

const enabled = redisAvailable('script-disk-errors');

const LIBRARY = [
  '#!lua name=disklib',
  "redis.register_function('writer', function(keys, args) return redis.call('set', keys[1], args[1]) end)",
  "redis.register_function{function_name='reader', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}",
].join('\n');

/** What both servers are asked, in order, once their BGSAVE has failed. */
const SCRIPTS: string[][] = [
  ['EVAL', "return redis.call('set', KEYS[1], 'new')", '1', 'k'],
  ['EVAL', "return redis.pcall('set', KEYS[1], 'new')", '1', 'k'],
  ['EVAL', "local r = redis.pcall('set', KEYS[1], 'new'); return r['err']", '1', 'k'],
  ['EVAL', "return redis.call('get', KEYS[1])", '1', 'k'],
  ['EVAL', "#!lua\nreturn redis.call('set', KEYS[1], 'new')", '1', 'k'],
  ['EVAL', "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", '1', 'k'],
  ['EVAL', "#!lua flags=allow-oom\nreturn 1", '0'],
  ['EVAL_RO', "#!lua\nreturn 1", '0'],
  ['EVAL_RO', "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", '1', 'k'],
  ['FCALL', 'writer', '1', 'k', 'new'],
  ['FCALL', 'reader', '1', 'k'],
  ['FCALL_RO', 'reader', '1', 'k'],
  ['GET', 'k'],
];

async function failBgsave(client: RawClient, root: string): Promise<void> {
  const gone = fs.mkdtempSync(path.join(root, 'gone-'));
  expect((await client.call('CONFIG', 'SET', 'dir', gone)).toString()).toBe('+OK\r\n');
  fs.rmSync(gone, { recursive: true });
  expect((await client.call('BGSAVE')).toString()).toBe('+Background saving started\r\n');
  for (let i = 0; i < 200; i++) {
    const info = (await client.call('INFO', 'persistence')).toString();
    if (info.includes('rdb_bgsave_in_progress:0') && info.includes('rdb_last_bgsave_status:err')) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('BGSAVE did not fail');
}

/** The stats line `name` of INFO `section`, or '' when absent. */
async function infoLine(client: RawClient, section: string, name: string): Promise<string> {
  const info = (await client.call('INFO', section)).toString();
  return info.split('\r\n').find((line) => line.startsWith(name + ':')) ?? '';
}

describe.skipIf(!enabled)('scripts while a disk error denies writes (differential)', () => {
  let root: string;
  let redis: RedisServerHandle;
  let reddish: RunningServer;
  let reference: RawClient;
  let candidate: RawClient;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-script-misconf-'));
    redis = await startRedisServer({ extraArgs: ['--save', '3600 1', '--enable-protected-configs', 'yes'] });
    reddish = await startServer({ port: 0, config: { dir: root, save: '3600 1', 'enable-protected-configs': 'yes' } });
    reference = await RawClient.connect(redis.port, { replyTimeoutMs: 5000 });
    candidate = await RawClient.connect(reddish.port, { replyTimeoutMs: 5000 });
    for (const client of [reference, candidate]) {
      expect((await client.call('FUNCTION', 'LOAD', LIBRARY)).toString()).toBe('$7\r\ndisklib\r\n');
      expect((await client.call('SET', 'k', 'old')).toString()).toBe('+OK\r\n');
      expect((await client.call('CONFIG', 'RESETSTAT')).toString()).toBe('+OK\r\n');
      await failBgsave(client, root);
    }
  });

  afterAll(async () => {
    reference?.close();
    candidate?.close();
    await reddish?.close();
    await redis?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers every script as redis-server does', async () => {
    const replies: string[] = [];
    for (const command of SCRIPTS) {
      const expected = (await reference.call(...command)).toString('latin1');
      const actual = (await candidate.call(...command)).toString('latin1');
      expect(actual, command.join(' ').replace(/\n/g, '\\n')).toBe(expected);
      replies.push(actual);
    }
    // The refusals are refusals, so the comparison above is not of two servers that both let the writes through.
    expect(replies.filter((reply) => reply.startsWith('-MISCONF Redis is configured to save RDB snapshots'))).toHaveLength(6);
    expect(replies.at(-1)).toBe('$3\r\nold\r\n');
  });

  it('counts the refused writes as redis-server does', async () => {
    for (const [section, name] of [
      ['errorstats', 'errorstat_MISCONF'],
      ['commandstats', 'cmdstat_set'],
    ] as const) {
      const expected = await infoLine(reference, section, name);
      const actual = await infoLine(candidate, section, name);
      // usec figures differ; the counts must not.
      const counts = (line: string) => line.replace(/usec(_per_call)?=[\d.]+,?/g, '');
      expect(counts(actual), name).toBe(counts(expected));
      expect(expected).not.toBe('');
    }
  });
});
