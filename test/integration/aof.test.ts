/**
 * The append-only file through the wire: what reddish writes into
 * `dir/appendonlydir` (manifest, base and incr files, byte for byte in
 * Redis's formats), and what a restarted server loads back from it. These
 * read the bases as commands (`aof-use-rdb-preamble no`); the RDB bases of
 * the default are test/integration/aof-preamble.test.ts's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capturingLogger } from '../helpers/log-capture.js';
import { until } from '../helpers/wait.js';
import { ManualClock, startServer, type RunningServer, type ServerOptions } from '../../src/index.js';
import { RawClient, replyToJs } from '../helpers/resp-client.js';
import { aofDir, manifest, parseAof } from '../helpers/aof.js';

const dirs: string[] = [];
const servers: RunningServer[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-aof-'));
  dirs.push(dir);
  return dir;
}

async function start(dir: string, config: ServerOptions['config'] = {}, lines: string[] = []): Promise<{ server: RunningServer; client: RawClient }> {
  // appendfsync always unless asked: the file is read as soon as a reply arrives, and under everysec a write
  // may wait up to 2 s behind a background fsync (Redis's postponed flush) while its reply goes out.
  const server = await startServer({ port: 0, logger: capturingLogger(lines), config: { dir, appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'no', ...config } });
  servers.push(server);
  const client = await RawClient.connect(server.port);
  clients.push(client);
  return { server, client };
}

async function stop(server: RunningServer, client: RawClient): Promise<void> {
  client.close();
  clients.splice(clients.indexOf(client), 1);
  await server.close();
  servers.splice(servers.indexOf(server), 1);
}

const js = async (client: RawClient, ...args: string[]) => replyToJs(await client.call(...args));
const readAof = (dir: string, name: string) => parseAof(fs.readFileSync(path.join(aofDir(dir), name)));

const info = async (client: RawClient): Promise<Record<string, string>> => {
  const text = String(await js(client, 'INFO', 'persistence'));
  return Object.fromEntries(text.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':') as [string, string]));
};

describe('appendonly yes at startup', () => {
  it('creates a base and an incr file, listed in a manifest in Redis format', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const { client } = await start(dir, {}, lines);
    expect(manifest(dir)).toBe('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(lines).toContain('Creating AOF base file appendonly.aof.1.base.aof on server start');
    expect(lines).toContain('Creating AOF incr file appendonly.aof.1.incr.aof on server start');
    await client.call('SET', 'a', '1');
    await client.call('SET', 'b', 'x', 'PX', '100000');
    await client.call('SELECT', '2');
    await client.call('INCR', 'n');
    // A write that changes nothing is not journalled.
    await client.call('DEL', 'missing');
    const incr = readAof(dir, 'appendonly.aof.1.incr.aof');
    expect(incr.slice(0, 2)).toEqual([['SELECT', '0'], ['SET', 'a', '1']]);
    expect(incr[2]!.slice(0, 4)).toEqual(['SET', 'b', 'x', 'PXAT']);
    expect(incr.slice(3)).toEqual([['SELECT', '2'], ['INCR', 'n']]);
  });

  it('replays base and incr files on restart, and appends to the same incr file', async () => {
    const dir = tempDir();
    let { server, client } = await start(dir);
    await client.call('RPUSH', 'list', 'a', 'b', 'c');
    await client.call('HSET', 'hash', 'f', 'v');
    await client.call('MULTI');
    await client.call('INCR', 'counter');
    await client.call('SADD', 'set', 'm');
    await client.call('EXEC');
    await client.call('SET', 'ttl', 'v', 'EX', '1000');
    await stop(server, client);
    const lines: string[] = [];
    ({ server, client } = await start(dir, {}, lines));
    expect(await js(client, 'LRANGE', 'list', '0', '-1')).toEqual(['a', 'b', 'c']);
    expect(await js(client, 'HGET', 'hash', 'f')).toBe('v');
    expect(await js(client, 'GET', 'counter')).toBe('1');
    expect(await js(client, 'SMEMBERS', 'set')).toEqual(['m']);
    expect(Number(await js(client, 'TTL', 'ttl'))).toBeGreaterThan(990);
    expect(lines).toContain('Opening AOF incr file appendonly.aof.1.incr.aof on server start');
    expect(lines.some((l) => l.startsWith('DB loaded from incr file appendonly.aof.1.incr.aof'))).toBe(true);
    await client.call('INCR', 'counter');
    await stop(server, client);
    ({ server, client } = await start(dir));
    expect(await js(client, 'GET', 'counter')).toBe('2');
  });

  it('loads even when the default user may not run the journalled commands (the loader has no user, as in Redis)', async () => {
    const dir = tempDir();
    let { server, client } = await start(dir);
    await client.call('SET', 'k', 'v');
    await client.call('SADD', 's', 'm');
    await stop(server, client);
    // The default user restricted to reads of other keys: the replayed SET and SADD must still apply.
    const server2 = await startServer({ port: 0, config: { dir, appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'no' }, users: ['default on nopass ~other:* +@read'] });
    servers.push(server2);
    client = await RawClient.connect(server2.port);
    clients.push(client);
    expect(await js(client, 'GET', 'k')).toEqual({ error: "NOPERM this user has no permissions to access one of the keys used as arguments" });
    expect(server2.server.keyspace.databases[0]!.peek('k')).toBe('v');
    expect(await js(client, 'DBSIZE')).toBe(2);
  });

  it('writes #TS annotations with aof-timestamp-enabled, and loading skips them', async () => {
    const dir = tempDir();
    const clock = new ManualClock(1_700_000_000_000);
    const server0 = await startServer({ port: 0, clock, config: { dir, appendonly: 'yes', appendfsync: 'always', 'aof-use-rdb-preamble': 'no', 'aof-timestamp-enabled': 'yes' } });
    servers.push(server0);
    let server = server0;
    let client = await RawClient.connect(server.port);
    clients.push(client);
    // The base written at startup opens with the time, which also counts as the last annotation written.
    expect(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), 'latin1')).toBe('#TS:1700000000\r\n');
    await client.call('SET', 'k', 'v');
    clock.advance(2000);
    await client.call('SET', 'k2', 'v');
    await client.call('SET', 'k3', 'v');
    const text = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), 'latin1');
    expect(text.match(/#TS:\d+/g)).toEqual(['#TS:1700000002']);
    expect(text).toMatch(/\r\n#TS:1700000002\r\n\*3\r\n\$3\r\nSET\r\n\$2\r\nk2\r\n/);
    await stop(server, client);
    ({ server, client } = await start(dir));
    expect(await js(client, 'GET', 'k')).toBe('v');
  });
});

describe('BGREWRITEAOF', () => {
  it('writes a new base; writes after it go to a new incr file; the old files are deleted', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    let { server, client } = await start(dir, {}, lines);
    for (let i = 0; i < 100; i++) await client.call('RPUSH', 'list', String(i));
    await client.call('ZADD', 'z', '1.5', 'a', '2', 'b');
    await client.call('XADD', 'st', '1-1', 'f', 'v');
    await client.call('XGROUP', 'CREATE', 'st', 'g', '0');
    await client.call('XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'st', '>');
    await client.call('SET', 'gone', 'x', 'PX', '100000');
    expect(await js(client, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
    await client.call('SET', 'after', '1');
    await until(async () => (await info(client))['aof_rewrite_in_progress'] === '0', 'the rewrite');
    expect(manifest(dir)).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    await until(() => !fs.existsSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof')), 'the history files to go');
    expect(fs.readdirSync(aofDir(dir)).sort()).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
    const base = readAof(dir, 'appendonly.aof.2.base.aof');
    expect(base[0]).toEqual(['SELECT', '0']);
    const rpush = base.filter((c) => c[0] === 'RPUSH');
    // AOF_REWRITE_ITEMS_PER_CMD: 64 items per command.
    expect(rpush.map((c) => c.length - 2)).toEqual([64, 36]);
    expect(base).toContainEqual(['ZADD', 'z', '1.5', 'a', '2', 'b']);
    expect(base).toContainEqual(['XCLAIM', 'st', 'g', 'alice', '0', '1-1', 'TIME', expect.any(String), 'RETRYCOUNT', '1', 'JUSTID', 'FORCE']);
    expect(base.find((c) => c[0] === 'PEXPIREAT')?.slice(0, 2)).toEqual(['PEXPIREAT', 'gone']);
    expect(readAof(dir, 'appendonly.aof.2.incr.aof')).toEqual([['SELECT', '0'], ['SET', 'after', '1']]);
    const figures = await info(client);
    expect(figures['aof_rewrites']).toBe('1');
    expect(figures['aof_last_bgrewrite_status']).toBe('ok');
    // aof_rewrite_base_size: the size when the rewrite ended, the new incr file's writes included, as in Redis.
    const sizes = ['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof'].map((f) => fs.statSync(path.join(aofDir(dir), f)).size);
    expect(Number(figures['aof_base_size'])).toBe(sizes[0]! + sizes[1]!);
    expect(Number(figures['aof_current_size'])).toBe(sizes[0]! + sizes[1]!);
    expect(lines).toContain('Background AOF rewrite finished successfully');
    await stop(server, client);
    ({ server, client } = await start(dir));
    expect(await js(client, 'LLEN', 'list')).toBe(100);
    expect(await js(client, 'GET', 'after')).toBe('1');
    expect(await js(client, 'XPENDING', 'st', 'g')).toEqual([1, '1-1', '1-1', [['alice', '1']]]);
  });

  it('the base is the dataset at the moment BGREWRITEAOF was answered, with writes going on during the rewrite', async () => {
    const dir = tempDir();
    let { server, client } = await start(dir);
    const items = Array.from({ length: 5000 }, (_, i) => `item-${i}`);
    await client.call('RPUSH', 'list', ...items);
    await client.call('HSET', 'hash', 'f', 'old');
    for (let i = 0; i < 3000; i++) client.sendRaw(`*3\r\n$3\r\nSET\r\n$${`s${i}`.length}\r\ns${i}\r\n$1\r\nv\r\n`);
    for (let i = 0; i < 3000; i++) await client.readReply();
    // In one batch: the rewrite starts, then the values it is writing change.
    const replies = await client.pipeline([
      ['BGREWRITEAOF'],
      ['RPUSH', 'list', 'after'],
      ['LSET', 'list', '0', 'changed'],
      ['HSET', 'hash', 'f', 'new'],
      ['DEL', 's0'],
      ['SET', 'created', '1'],
    ]);
    expect(replies[0]!.toString()).toBe('+Background append only file rewriting started\r\n');
    await until(async () => (await info(client))['aof_rewrite_in_progress'] === '0', 'the rewrite');
    const base = readAof(dir, 'appendonly.aof.2.base.aof');
    const pushed = base.filter((c) => c[0] === 'RPUSH' && c[1] === 'list').flatMap((c) => c.slice(2));
    expect(pushed).toEqual(items);
    expect(base).toContainEqual(['HMSET', 'hash', 'f', 'old']);
    expect(base).toContainEqual(['SET', 's0', 'v']);
    expect(base.some((c) => c[1] === 'created')).toBe(false);
    await stop(server, client);
    ({ server, client } = await start(dir));
    expect(await js(client, 'LRANGE', 'list', '0', '0')).toEqual(['changed']);
    expect(await js(client, 'LLEN', 'list')).toBe(5001);
    expect(await js(client, 'HGET', 'hash', 'f')).toBe('new');
    expect(await js(client, 'MGET', 's0', 's1', 'created')).toEqual([null, 'v', '1']);
  });

  it('starts by itself once the AOF has grown by auto-aof-rewrite-percentage past auto-aof-rewrite-min-size', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const { client } = await start(dir, { 'auto-aof-rewrite-percentage': '100', 'auto-aof-rewrite-min-size': '1kb' }, lines);
    await client.call('SET', 'small', 'v');
    // Under the minimum size: no rewrite, whatever the growth over an empty base.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await info(client))['aof_rewrites']).toBe('0');
    await client.call('SET', 'big', 'x'.repeat(2000));
    await until(async () => (await info(client))['aof_rewrites'] === '1' && (await info(client))['aof_rewrite_in_progress'] === '0', 'the automatic rewrite');
    expect(lines.some((l) => /^Starting automatic rewriting of AOF on \d+% growth$/.test(l))).toBe(true);
    expect(manifest(dir)).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    // The base now holds the dataset, so the next rewrite waits for the AOF to double again.
    await client.call('SET', 'small', 'w');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await info(client))['aof_rewrites']).toBe('1');
  });

  it('refuses a second rewrite while one runs', async () => {
    const dir = tempDir();
    const { client } = await start(dir);
    for (let i = 0; i < 2000; i++) client.sendRaw(`*3\r\n$3\r\nSET\r\n$${String(i).length}\r\n${i}\r\n$1\r\nv\r\n`);
    for (let i = 0; i < 2000; i++) await client.readReply();
    const replies = await client.pipeline([['BGREWRITEAOF'], ['BGREWRITEAOF']]);
    expect(replies.map((r) => r.toString())).toEqual([
      '+Background append only file rewriting started\r\n',
      '-ERR Background append only file rewriting already in progress\r\n',
    ]);
  });
});

describe('CONFIG SET appendonly', () => {
  it('turning it on writes a base of the dataset first, then journals; turning it off stops', async () => {
    const dir = tempDir();
    const { client } = await start(dir, { appendonly: 'no' });
    await client.call('SET', 'before', '1');
    expect(fs.existsSync(aofDir(dir))).toBe(false);
    expect(await js(client, 'CONFIG', 'SET', 'appendonly', 'yes')).toBe('OK');
    await client.call('SET', 'during', '2');
    await until(async () => (await info(client))['aof_rewrite_in_progress'] === '0', 'the rewrite');
    expect(manifest(dir)).toBe('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(readAof(dir, 'appendonly.aof.1.base.aof')).toEqual([['SELECT', '0'], ['SET', 'before', '1']]);
    await client.call('SET', 'later', '3');
    expect(readAof(dir, 'appendonly.aof.1.incr.aof')).toEqual([['SELECT', '0'], ['SET', 'during', '2'], ['SET', 'later', '3']]);
    expect(await js(client, 'CONFIG', 'SET', 'appendonly', 'no')).toBe('OK');
    await client.call('SET', 'off', '4');
    expect(readAof(dir, 'appendonly.aof.1.incr.aof')).toHaveLength(3);
    expect((await info(client))['aof_enabled']).toBe('0');
  });
});

describe('loading', () => {
  const command = (...argv: string[]) => '*' + argv.length + '\r\n' + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join('');

  function writeAof(dir: string, incr: string): void {
    fs.mkdirSync(aofDir(dir));
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof'), incr, 'latin1');
  }

  it('truncates a cut last command with aof-load-truncated yes, with Redis log lines', async () => {
    const dir = tempDir();
    const whole = command('SELECT', '0') + command('SET', 'a', '1');
    writeAof(dir, whole + command('SET', 'b', '2').slice(0, 9));
    const lines: string[] = [];
    const { client } = await start(dir, {}, lines);
    expect(await js(client, 'GET', 'a')).toBe('1');
    expect(await js(client, 'EXISTS', 'b')).toBe(0);
    expect(lines).toContain('!!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!');
    expect(lines).toContain(`!!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${whole.length} !!!`);
    expect(lines).toContain('AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled');
    expect(fs.statSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof')).size).toBe(whole.length);
  });

  it('refuses to start on a cut file with aof-load-truncated no', async () => {
    const dir = tempDir();
    writeAof(dir, command('SET', 'a', '1') + '*2\r\n$3\r\nDEL');
    const lines: string[] = [];
    await expect(start(dir, { 'aof-load-truncated': 'no' }, lines)).rejects.toThrow('Fatal error loading the DB');
    expect(lines.some((l) => l.startsWith('Unexpected end of file reading the append only file appendonly.aof.1.incr.aof.'))).toBe(true);
  });

  it('reverts a MULTI without its EXEC at the end of the file', async () => {
    const dir = tempDir();
    const kept = command('SELECT', '0') + command('SET', 'a', '1');
    writeAof(dir, kept + command('MULTI') + command('SET', 'b', '2'));
    const lines: string[] = [];
    const { client } = await start(dir, {}, lines);
    expect(await js(client, 'MGET', 'a', 'b')).toEqual(['1', null]);
    expect(lines).toContain('Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof');
    expect(fs.statSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof')).size).toBe(kept.length);
  });

  it('refuses a bad format and an unknown command', async () => {
    const dir = tempDir();
    writeAof(dir, 'SET a 1\r\n');
    const lines: string[] = [];
    await expect(start(dir, {}, lines)).rejects.toThrow();
    expect(lines.some((l) => l.startsWith('Bad file format reading the append only file appendonly.aof.1.incr.aof'))).toBe(true);
    const other = tempDir();
    writeAof(other, command('NOSUCHCOMMAND', 'x'));
    await expect(start(other, {}, lines)).rejects.toThrow();
    expect(lines).toContain("Unknown command 'NOSUCHCOMMAND' reading the append only file appendonly.aof.1.incr.aof");
  });

  it('refuses a corrupt manifest', async () => {
    const dir = tempDir();
    fs.mkdirSync(aofDir(dir));
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'file a seq 1 type x\n');
    const lines: string[] = [];
    await expect(start(dir, {}, lines)).rejects.toThrow();
    expect(lines).toContain('Unknown AOF file type');
  });
});

describe('fsync policies and WAITAOF', () => {
  // Not everysec: there a write may wait behind a background fsync for up to 2 s while its reply goes out, as in Redis.
  for (const policy of ['always', 'no']) {
    it(`appendfsync ${policy}: every acknowledged write is in the file when its reply arrives`, async () => {
      const dir = tempDir();
      const { client } = await start(dir, { appendfsync: policy });
      const commands = Array.from({ length: 50 }, (_, i) => ['INCR', `k${i % 5}`]);
      await client.pipeline(commands);
      const incr = readAof(dir, 'appendonly.aof.1.incr.aof').filter((c) => c[0] === 'INCR');
      expect(incr).toHaveLength(50);
    });
  }

  it('WAITAOF 1 0 0 counts the local AOF once it is on', async () => {
    const dir = tempDir();
    const { client } = await start(dir, { appendfsync: 'no' });
    await client.call('SET', 'k', 'v');
    expect(await js(client, 'WAITAOF', '1', '0', '0')).toEqual([1, 0]);
    await client.call('CONFIG', 'SET', 'appendonly', 'no');
    expect((await client.call('WAITAOF', '1', '0', '0')).toString()).toBe('-ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.\r\n');
  });

  it('INFO persistence reports the AOF', async () => {
    const dir = tempDir();
    const { client } = await start(dir);
    await client.call('SET', 'k', 'v');
    const figures = await info(client);
    expect(figures['aof_enabled']).toBe('1');
    expect(Number(figures['aof_current_size'])).toBe(fs.statSync(path.join(aofDir(dir), 'appendonly.aof.1.incr.aof')).size);
    expect(figures['aof_buffer_length']).toBe('0');
    expect(figures['aof_last_write_status']).toBe('ok');
  });
});

describe('latency events (aof.c)', () => {
  /** Every latency sample the server takes (latencyAddSampleIfNeeded's calls, below the threshold too). */
  function recordSamples(server: RunningServer): Array<[string, number]> {
    const samples: Array<[string, number]> = [];
    const monitor = server.server.latency;
    const sample = monitor.sample.bind(monitor);
    monitor.sample = (event, ms) => {
      samples.push([event, ms]);
      sample(event, ms);
    };
    return samples;
  }
  const events = (samples: Array<[string, number]>) => [...new Set(samples.map(([event]) => event))].sort();

  it('with the monitor off, no AOF latency is sampled (the clock is not read)', async () => {
    const { server, client } = await start(tempDir());
    const samples = recordSamples(server);
    await client.call('SET', 'k', 'v');
    expect(events(samples).filter((event) => event.startsWith('aof'))).toEqual([]);
  });

  it('writes sample aof-write and aof-write-alone, `always` samples aof-fsync-always, a rewrite samples aof-rename and aof-fstat', async () => {
    const { server, client } = await start(tempDir(), { 'latency-monitor-threshold': '1' });
    const samples = recordSamples(server);
    await client.call('SET', 'k', 'v');
    expect(events(samples)).toEqual(['aof-fsync-always', 'aof-write', 'aof-write-alone']);
    samples.length = 0;
    expect(await js(client, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
    await until(async () => (await info(client))['aof_rewrite_in_progress'] === '0', 'the rewrite');
    // The new base is renamed into place (the incr file too only when turning appendonly on), and its size read back.
    expect(samples.filter(([event]) => event === 'aof-rename')).toHaveLength(1);
    expect(events(samples)).toContain('aof-fstat');
  });

  it('a write made while a rewrite runs is an aof-write-active-child', async () => {
    const { server, client } = await start(tempDir(), { 'latency-monitor-threshold': '1', appendfsync: 'no' });
    await client.pipeline(Array.from({ length: 20000 }, (_, i) => ['SET', `key:${i}`, 'v'.repeat(100)]));
    const samples = recordSamples(server);
    // Written in slices between event-loop turns: the SET is served (and written) while the rewrite runs.
    const [rewrite, set] = await client.pipeline([['BGREWRITEAOF'], ['SET', 'k', 'v']]);
    expect(replyToJs(rewrite!)).toBe('Background append only file rewriting started');
    expect(replyToJs(set!)).toBe('OK');
    expect(events(samples)).toContain('aof-write-active-child');
    await until(async () => (await info(client))['aof_rewrite_in_progress'] === '0', 'the rewrite');
  });

  it('a 32 MB write is long enough to show in LATENCY LATEST as aof-write', async () => {
    const { client } = await start(tempDir(), { 'latency-monitor-threshold': '1', appendfsync: 'no' });
    await client.call('SET', 'big', 'x'.repeat(32 * 1024 * 1024));
    const latest = replyToJs(await client.call('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
    const names = latest.map(([event]) => event);
    expect(names).toContain('aof-write');
    expect(names).toContain('aof-write-alone');
  });

  it('expired keys sample expire-del, lazily and in the active cycle (db.c deleteExpiredKeyAndPropagate)', async () => {
    const { server, client } = await start(tempDir(), { 'latency-monitor-threshold': '1', appendfsync: 'no', 'enable-debug-command': 'yes' });
    const samples = recordSamples(server);
    await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    await client.call('SET', 'lazy', 'v', 'PX', '1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(replyToJs(await client.call('GET', 'lazy'))).toBe(null);
    expect(samples.filter(([event]) => event === 'expire-del')).toHaveLength(1);
    await client.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    await client.call('SET', 'active', 'v', 'PX', '1');
    await until(() => samples.filter(([event]) => event === 'expire-del').length === 2, 'the active expiry');
    await client.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
    await client.call('SET', 'off', 'v', 'PX', '1');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await client.call('GET', 'off');
    expect(samples.filter(([event]) => event === 'expire-del')).toHaveLength(2);
  });
});
