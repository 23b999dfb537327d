/**
 * compat-version: which Redis reddish presents itself as (issue #14,
 * "Which Redis am I talking to"). Empty by default: every command, and
 * 7.0.15 reported. A version hides every command and subcommand newer than
 * it, everywhere a client could see one (dispatch, COMMAND and its
 * counts, lists, INFO and DOCS, scripts), and the options newer than it
 * (SET IFEQ..., BITOP DIFF...); INFO's redis_version and HELLO's version
 * follow it.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { isNewerThan } from '../../src/compat-version.js';
import { RawClient, replyToJs } from '../helpers/resp-client.js';

describe('compat-version', () => {
  let server: RunningServer;
  let client: RawClient;
  const call = async (...args: string[]): Promise<string> => (await client.call(...args)).toString('latin1');
  const js = async (...args: string[]) => replyToJs(await client.call(...args));
  const reportedVersion = async (): Promise<{ info: string; hello: string }> => {
    const info = /redis_version:(\S+)/.exec(await call('INFO', 'server'))![1]!;
    const hello = (await js('HELLO', '2')) as string[];
    return { info, hello: hello[hello.indexOf('version') + 1]! };
  };
  /** Every top-level command and subcommand the table declares, with its since. */
  const declared = (): Array<{ name: string; since: string }> => {
    const out: Array<{ name: string; since: string }> = [];
    for (const entry of server.server.commands.allEntries()) out.push({ name: entry.fullName, since: entry.spec.since });
    return out;
  };

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    client = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('is empty by default: every command is there, and the version reported is 7.0.15', async () => {
    expect(await js('CONFIG', 'GET', 'compat-version')).toEqual(['compat-version', '']);
    expect(await reportedVersion()).toEqual({ info: '7.0.15', hello: '7.0.15' });
    const names = (await js('COMMAND', 'LIST')) as string[];
    for (const name of ['digest', 'delex', 'msetex', 'waitaof', 'client|setinfo', 'client|no-touch']) expect(names).toContain(name);
  });

  it("COMMAND DOCS gives every command's since, as its table entry declares it", async () => {
    const docs = (await js('COMMAND', 'DOCS')) as Record<string, unknown>;
    const flat = docs as unknown as unknown[];
    // RESP2 map: name, fields, name, fields...
    const bySince = new Map<string, string>();
    for (let i = 0; i < flat.length; i += 2) {
      const fields = flat[i + 1] as unknown[];
      bySince.set(flat[i] as string, fields[fields.indexOf('since') + 1] as string);
      const subs = fields[fields.indexOf('subcommands') + 1] as unknown[] | undefined;
      if (fields.includes('subcommands')) {
        for (let j = 0; j < subs!.length; j += 2) {
          const subFields = subs![j + 1] as unknown[];
          bySince.set(subs![j] as string, subFields[subFields.indexOf('since') + 1] as string);
        }
      }
    }
    for (const { name, since } of declared()) expect(bySince.get(name), name).toBe(since);
    expect(bySince.get('digest')).toBe('8.4.0');
    expect(bySince.get('bitop')).toBe('2.6.0');
  });

  it('7.0 hides every command and subcommand newer than 7.0, in every view', async () => {
    const countBefore = Number((await call('COMMAND', 'COUNT')).slice(1, -2));
    const hidden = declared().filter((d) => isNewerThan(d.since, '7.0'));
    expect(await call('CONFIG', 'SET', 'compat-version', '7.0')).toBe('+OK\r\n');
    try {
      expect(hidden.map((d) => d.name).sort()).toEqual([
        'client|no-touch',
        'client|setinfo',
        'delex',
        'digest',
        // Hash-field expiry (7.4.0) and 8.0's hash commands.
        'hexpire',
        'hexpireat',
        'hexpiretime',
        'hgetdel',
        'hgetex',
        'hpersist',
        'hpexpire',
        'hpexpireat',
        'hpexpiretime',
        'hpttl',
        'hsetex',
        'httl',
        'msetex',
        'waitaof',
      ]);
      expect(await call('DIGEST', 'k')).toBe("-ERR unknown command 'DIGEST', with args beginning with: 'k' \r\n");
      expect(await call('waitaof', '0', '0', '0')).toBe("-ERR unknown command 'waitaof', with args beginning with: '0' '0' '0' \r\n");
      expect(await call('CLIENT', 'SETINFO', 'lib-name', 'x')).toBe("-ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.\r\n");
      // Every hidden top-level command (the two CLIENT subcommands leave CLIENT counted).
      expect(await call('COMMAND', 'COUNT')).toBe(`:${countBefore - (hidden.length - 2)}\r\n`);
      const names = (await js('COMMAND', 'LIST')) as string[];
      for (const { name } of hidden) expect(names).not.toContain(name);
      expect(names.length).toBe([...server.server.commands.allEntries()].length);
      expect(await js('COMMAND', 'INFO', 'digest', 'get')).toEqual([null, expect.any(Array)]);
      expect(await call('COMMAND', 'DOCS', 'msetex')).toBe('*0\r\n');
      expect(await call('COMMAND', 'GETKEYS', 'MSETEX', '1', 'a', 'b')).toBe('-ERR Invalid command specified\r\n');
      expect(await call('EVAL', "return redis.call('DIGEST', 'k')", '0')).toMatch(/^-ERR Unknown Redis command called from script/);
      const everything = (await js('COMMAND')) as unknown[][];
      expect(everything.map((entry) => entry[0])).not.toContain('delex');
      // The options newer than 7.0 are syntax errors, as in 7.0.
      expect(await call('SET', 'k', 'v', 'IFEQ', 'x')).toBe('-ERR syntax error\r\n');
      expect(await call('BITOP', 'DIFF', 'd', 'a', 'b')).toBe('-ERR syntax error\r\n');
      expect(await call('BITOP', 'AND', 'd', 'a', 'b')).toBe(':0\r\n');
      expect(await reportedVersion()).toEqual({ info: '7.0.15', hello: '7.0.15' });
    } finally {
      await call('CONFIG', 'SET', 'compat-version', '');
    }
    expect(await call('COMMAND', 'COUNT')).toBe(`:${countBefore}\r\n`);
    expect(await call('CLIENT', 'NO-TOUCH', 'off')).toBe('+OK\r\n');
  });

  it('7.2 shows 7.2 (WAITAOF, CLIENT SETINFO) but not 8.x; 8.2 BITOP DIFF but not SET IFEQ; reports the version given', async () => {
    try {
      expect(await call('CONFIG', 'SET', 'compat-version', '7.2')).toBe('+OK\r\n');
      expect(await reportedVersion()).toEqual({ info: '7.2.0', hello: '7.2.0' });
      expect(await call('WAITAOF', '0', '0', '0')).toBe('*2\r\n:0\r\n:0\r\n');
      expect(await call('CLIENT', 'SETINFO', 'lib-name', 'x')).toBe('+OK\r\n');
      expect(await call('MSETEX', '1', 'a', 'b')).toMatch(/^-ERR unknown command 'MSETEX'/);
      expect(await call('CONFIG', 'SET', 'compat-version', '8.2.1')).toBe('+OK\r\n');
      expect(await reportedVersion()).toEqual({ info: '8.2.1', hello: '8.2.1' });
      expect(await call('BITOP', 'DIFF', 'd', 'a', 'b')).toBe(':0\r\n');
      expect(await call('SET', 'k', 'v', 'IFNE', 'x')).toBe('-ERR syntax error\r\n');
      expect(await call('CONFIG', 'SET', 'compat-version', '8.4')).toBe('+OK\r\n');
      expect(await reportedVersion()).toEqual({ info: '8.4.0', hello: '8.4.0' });
      expect(await call('SET', 'k', 'v', 'IFNE', 'x')).toBe('+OK\r\n');
      expect(await call('DIGEST', 'k')).toMatch(/^\$16\r\n/);
    } finally {
      await call('CONFIG', 'SET', 'compat-version', '');
    }
  });

  it('accepts only a version from 7.0 on', async () => {
    for (const value of ['6.2', 'latest', '7', '7.0.0.1', '7.x', ' 7.0']) {
      expect(await call('CONFIG', 'SET', 'compat-version', value), value).toBe(
        "-ERR CONFIG SET failed (possibly related to argument 'compat-version') - compat-version must be empty or a Redis version from 7.0 on, such as 7.0, 7.2 or 8.4.0\r\n",
      );
    }
    expect(await js('CONFIG', 'GET', 'compat-version')).toEqual(['compat-version', '']);
  });

  it('can be given at startup, and a client library connects as to that Redis', async () => {
    const old = await startServer({ port: 0, config: { 'compat-version': '7.0' } });
    const nodeRedis = createClient({ url: old.url });
    try {
      // node-redis sends CLIENT SETINFO on connect and carries on when a 7.0 server refuses it.
      await nodeRedis.connect();
      expect(await nodeRedis.set('k', 'v')).toBe('OK');
      await expect(nodeRedis.digest('k')).rejects.toThrow("ERR unknown command 'DIGEST'");
      const hello = (await nodeRedis.sendCommand(['HELLO', '2'])) as string[];
      expect(hello[hello.indexOf('version') + 1]).toBe('7.0.15');
    } finally {
      await nodeRedis.quit();
      await old.close();
    }
  });
});
