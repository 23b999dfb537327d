/**
 * The AOF's rewrite and startup paths added after the command-form base:
 *
 * - `aof-use-rdb-preamble yes` (the default): bases are RDB files
 *   (`appendonly.aof.N.base.rdb`), the probabilistic types survive a
 *   rewrite as module values; with `no`, a rewrite that meets one fails
 *   loudly and the AOF on disk stays as it was;
 * - BGREWRITEAOF's base is the dataset at the moment it was answered,
 *   however hard clients write meanwhile (the copy-on-write walk BGSAVE uses);
 * - one background save at a time: BGSAVE and BGREWRITEAOF refuse or
 *   schedule each other with Redis's replies (compared with redis-server);
 * - an old single-file `appendonly.aof` (a command stream, or an RDB
 *   preamble and a command tail) is moved into the AOF directory as the
 *   base of a new manifest, as redis-server 7.0.15 does;
 * - a failed AOF write under `appendfsync no` refuses writes with
 *   `-MISCONF Errors writing to the AOF file: ...` until a write succeeds;
 * - commands replayed at startup count in no command statistics.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capturingLogger } from '../helpers/log-capture.js';
import { until } from '../helpers/wait.js';
import { aofDir, manifest } from '../helpers/aof.js';
import { startServer, type RunningServer, type ServerOptions } from '../../src/index.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { RawClient, encodeCommand, replyToJs, type JsReply } from '../helpers/resp-client.js';
import { redisAvailable } from '../differential/targets.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-aof-preamble-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(
  dir: string,
  config: ServerOptions['config'] = {},
  lines: string[] = [],
): Promise<{ server: RunningServer; client: RawClient }> {
  const server = await startServer({ port: 0, logger: capturingLogger(lines), config: { dir, appendonly: 'yes', appendfsync: 'always', 'enable-debug-command': 'yes', ...config } });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  cleanups.push(close);
  const client = await RawClient.connect(server.port, { replyTimeoutMs: 10000 });
  cleanups.push(() => client.close());
  return { server: Object.assign(server, { close }), client };
}

const js = async (client: RawClient, ...args: string[]): Promise<JsReply> => replyToJs(await client.call(...args));

async function info(client: RawClient, section = 'persistence'): Promise<Record<string, string>> {
  const text = String(await js(client, 'INFO', section));
  return Object.fromEntries(text.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':') as [string, string]));
}

const rewriteDone = async (client: RawClient) => {
  const fields = await info(client);
  return fields.aof_rewrite_in_progress === '0' && fields.aof_rewrite_scheduled === '0';
};

/** Keys of every type reddish saves, the probabilistic ones included, in two databases, some with TTLs. */
async function writeEveryType(client: RawClient, keys = 200): Promise<void> {
  const commands: string[][] = [];
  for (let i = 0; i < keys; i++) commands.push(['SET', `s:${i}`, `v${i}`.repeat(i % 7)]);
  commands.push(['RPUSH', 'list', 'a', 'b', 'c'], ['SADD', 'set', '1', '2', 'x'], ['ZADD', 'zset', '1.5', 'a', '2', 'b']);
  commands.push(['HSET', 'hash', 'f', 'v', 'g', 'w'], ['XADD', 'stream', '1-1', 'f', 'v'], ['XGROUP', 'CREATE', 'stream', 'g', '0']);
  commands.push(['PEXPIRE', 's:1', '500000'], ['EXPIRE', 'list', '1000']);
  commands.push(['BF.ADD', 'bf', 'item'], ['CF.ADD', 'cf', 'item'], ['CMS.INITBYDIM', 'cms', '10', '3'], ['CMS.INCRBY', 'cms', 'a', '4']);
  commands.push(['TOPK.RESERVE', 'topk', '3'], ['TOPK.ADD', 'topk', 'x', 'y'], ['TDIGEST.CREATE', 'td'], ['TDIGEST.ADD', 'td', '1', '2', '3']);
  commands.push(['SELECT', '3'], ['SET', 'db3', 'here'], ['BF.ADD', 'bf3', 'z'], ['SELECT', '0']);
  const replies = await client.pipeline(commands);
  for (const reply of replies) expect(reply.toString('latin1')).not.toMatch(/^-/);
}

describe('aof-use-rdb-preamble yes (the default)', () => {
  it('writes RDB bases, at startup and on rewrite, that load back with the probabilistic types', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const { server, client } = await start(dir, {}, lines);
    expect(await js(client, 'CONFIG', 'GET', 'aof-use-rdb-preamble')).toEqual(['aof-use-rdb-preamble', 'yes']);
    expect(lines).toContain('Creating AOF base file appendonly.aof.1.base.rdb on server start');
    expect(fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.rdb')).subarray(0, 9).toString('latin1')).toBe('REDIS0010');

    await writeEveryType(client);
    expect(await js(client, 'BGREWRITEAOF')).toBe('Background append only file rewriting started');
    await until(() => rewriteDone(client), 'the rewrite', 10000);
    expect((await info(client)).aof_last_bgrewrite_status).toBe('ok');
    expect(manifest(dir)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    const base = fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.2.base.rdb'));
    expect(base.subarray(0, 9).toString('latin1')).toBe('REDIS0010');
    // rdbSaveInfoAuxFields with RDBFLAGS_AOF_PREAMBLE: aof-base 1.
    expect(base.includes(Buffer.from('\x08aof-base\xc0\x01', 'latin1'))).toBe(true);
    await client.call('BF.ADD', 'bf', 'after-rewrite');
    await client.call('SET', 'after', 'rewrite');
    const digest = await js(client, 'DEBUG', 'DIGEST');
    const bfAfter = await js(client, 'BF.EXISTS', 'bf', 'after-rewrite');
    await server.close();

    const again = await start(dir, {}, lines);
    expect(lines).toContain('Reading RDB base file on AOF loading...');
    expect(await js(again.client, 'DEBUG', 'DIGEST')).toBe(digest);
    expect(bfAfter).toBe(1);
    expect(await js(again.client, 'BF.EXISTS', 'bf', 'after-rewrite')).toBe(1);
    expect(await js(again.client, 'CMS.QUERY', 'cms', 'a')).toEqual([4]);
    expect(await js(again.client, 'TDIGEST.MAX', 'td')).toBe('3');
    expect(await js(again.client, 'PTTL', 's:1')).toBeGreaterThan(400000);
  });

  it('passes redis-check-aof', async () => {
    const dir = tempDir();
    const { server, client } = await start(dir);
    await client.pipeline([['SET', 'a', '1'], ['RPUSH', 'l', 'x', 'y'], ['SELECT', '2'], ['SADD', 's', 'm']]);
    await js(client, 'BGREWRITEAOF');
    await until(() => rewriteDone(client), 'the rewrite', 10000);
    await client.call('SET', 'b', '2');
    await server.close();
    const report = execFileSync('redis-check-aof', [path.join(aofDir(dir), 'appendonly.aof.manifest')], { encoding: 'utf8' });
    expect(report).toContain('Start to check BASE AOF (RDB format).');
    expect(report).toContain('All AOF files and manifest are valid');
  });

  // aof-load-truncated covers a cut command stream only. A cut RDB base is a short read in
  // rdbLoadRio, and redis-server 7.0.15 exits there whatever the option: rdbReportError runs
  // redis-check-rdb on the file being loaded and exits (rdb.c). reddish refuses to start too,
  // with the same short-read line, then aof.c's "Error reading the RDB base file" line, which
  // Redis would log had rdbLoadRio returned.
  it.skipIf(!redisAvailable('aof-preamble'))('refuses to start on a cut RDB base even with aof-load-truncated yes, as redis-server does', async () => {
    const dir = tempDir();
    const { server, client } = await start(dir);
    // Types redis-server can load too (it has no module for the probabilistic ones).
    await client.pipeline(Array.from({ length: 2000 }, (_, i) => ['SET', `k:${i}`, `value-${i}`]));
    await client.pipeline([['RPUSH', 'l', 'a', 'b'], ['HSET', 'h', 'f', 'v']]);
    await js(client, 'BGREWRITEAOF');
    await until(() => rewriteDone(client), 'the rewrite', 10000);
    await server.close();
    const basePath = path.join(aofDir(dir), 'appendonly.aof.2.base.rdb');
    const base = fs.readFileSync(basePath);
    fs.writeFileSync(basePath, base.subarray(0, Math.floor(base.length / 2)));
    const redisDir = tempDir();
    fs.cpSync(aofDir(dir), aofDir(redisDir), { recursive: true });

    const lines: string[] = [];
    await expect(start(dir, { 'aof-load-truncated': 'yes' }, lines)).rejects.toThrow('Fatal error loading the DB');
    expect(lines).toContain('Reading RDB base file on AOF loading...');
    expect(lines).toContain('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    expect(lines).toContain('Error reading the RDB base file appendonly.aof.2.base.rdb, AOF loading aborted');
    // The base is left as it was: nothing on disk is rewritten by a refused start.
    expect(fs.readFileSync(basePath).length).toBe(Math.floor(base.length / 2));

    // A Unix socket only: with no listener at all, redis-server exits before it loads anything.
    const socket = ['--port', '0', '--unixsocket', path.join(redisDir, 'redis.sock')];
    const redis = spawnSync('redis-server', [...socket, '--dir', redisDir, '--appendonly', 'yes', '--aof-load-truncated', 'yes', '--save', ''], {
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(redis.status).toBe(1);
    expect(redis.stdout).toContain('Reading RDB base file on AOF loading...');
    expect(redis.stdout).toContain('Short read or OOM loading DB. Unrecoverable error, aborting now.');
  });
});

describe('aof-use-rdb-preamble no with probabilistic keys', () => {
  it('fails the rewrite loudly and keeps the AOF as it was, rather than drop the keys', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const { server, client } = await start(dir, { 'aof-use-rdb-preamble': 'no' }, lines);
    await writeEveryType(client, 20);
    const before = manifest(dir);
    // The BF.ADD right behind it meets the key before the walk does (copy-on-write): it must be served all the same.
    const [started, added] = await client.pipeline([['BGREWRITEAOF'], ['BF.ADD', 'bf', 'during']]);
    expect(replyToJs(started!)).toBe('Background append only file rewriting started');
    expect(replyToJs(added!)).toBe(1);
    await until(() => rewriteDone(client), 'the rewrite', 10000);
    const fields = await info(client);
    expect(fields.aof_last_bgrewrite_status).toBe('err');
    expect(fields.aof_rewrites_consecutive_failures).toBe('1');
    expect(lines.some((l) => /^AOF rewrite failed: a value of type MBbloom-- \(key 'bf3?'\) has no command form/.test(l))).toBe(true);
    expect(lines).toContain('Background AOF rewrite terminated with error');
    // The rewrite switched to a new incr file, as Redis's does; nothing was lost from base + incrs.
    expect(manifest(dir)).toBe(`${before}file appendonly.aof.2.incr.aof seq 2 type i\n`);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('temp-'))).toEqual([]);
    const digest = await js(client, 'DEBUG', 'DIGEST');
    await server.close();
    const again = await start(dir, { 'aof-use-rdb-preamble': 'no' });
    expect(await js(again.client, 'DEBUG', 'DIGEST')).toBe(digest);
    expect(await js(again.client, 'BF.EXISTS', 'bf', 'during')).toBe(1);
  });
});

describe('BGREWRITEAOF: the base is the dataset when it was answered', () => {
  /** Keys for the walk; the writes batched behind BGREWRITEAOF reach each key before the walk does (the copy-on-write path). */
  const KEYS = 12000;
  it.each(['yes', 'no'])('aof-use-rdb-preamble %s: writes during the rewrite reach only the new incr file', async (preamble) => {
    const dir = tempDir();
    const { server, client } = await start(dir, { 'aof-use-rdb-preamble': preamble, appendfsync: 'everysec' });
    const fill: string[][] = [];
    for (let i = 0; i < KEYS; i++) fill.push(i % 10 === 0 ? ['HSET', `h:${i}`, 'f', String(i)] : ['SET', `k:${i}`, String(i)]);
    fill.push(['RPUSH', 'list', ...Array.from({ length: 300 }, (_, i) => String(i))], ['EXPIRE', 'k:5', '10000']);
    fill.push(['SELECT', '1'], ['SET', 'one', '1'], ['SELECT', '0']);
    await client.pipeline(fill);
    const before = await js(client, 'DEBUG', 'DIGEST');
    expect(before).toMatch(/^[0-9a-f]{40}$/);
    // Right behind the reply, in the same batch: overwrites, deletes, in-place changes, TTLs, new keys, FLUSHDB, SWAPDB.
    const during: string[][] = [['BGREWRITEAOF']];
    for (let i = 0; i < KEYS; i += 7) during.push(['SET', `k:${i}`, 'changed'], ['DEL', `k:${i + 1}`], ['SET', `new:${i}`, 'x']);
    for (let i = 0; i < KEYS; i += 70) during.push(['HSET', `h:${i}`, 'f', 'changed'], ['PEXPIRE', `k:${i + 3}`, '900000']);
    during.push(['LPOP', 'list', '5'], ['PERSIST', 'k:5'], ['SELECT', '1'], ['FLUSHDB'], ['SET', 'two', '2'], ['SWAPDB', '1', '2'], ['SELECT', '0']);
    const replies = await client.pipeline(during);
    expect(replyToJs(replies[0]!)).toBe('Background append only file rewriting started');
    await until(() => rewriteDone(client), 'the rewrite', 10000);
    expect((await info(client)).aof_last_bgrewrite_status).toBe('ok');
    const after = await js(client, 'DEBUG', 'DIGEST');
    expect(after).not.toBe(before);
    await server.close();

    // The base alone: a copy of the directory whose manifest lists only it.
    const baseOnly = tempDir();
    fs.cpSync(aofDir(dir), aofDir(baseOnly), { recursive: true });
    const baseLine = manifest(dir).split('\n')[0]!;
    expect(baseLine).toBe(`file appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'} seq 2 type b`);
    fs.writeFileSync(path.join(aofDir(baseOnly), 'appendonly.aof.manifest'), `${baseLine}\n`);
    const base = await start(baseOnly, { 'aof-use-rdb-preamble': preamble });
    expect(await js(base.client, 'DEBUG', 'DIGEST')).toBe(before);
    // And base + incr: everything.
    const whole = await start(dir, { 'aof-use-rdb-preamble': preamble });
    expect(await js(whole.client, 'DEBUG', 'DIGEST')).toBe(after);
  }, 60_000);
});

describe('one background save at a time', () => {
  /** The same pipeline on reddish and on redis-server: each answers while the first save still runs. */
  const scenarios: Array<[string, string[][]]> = [
    ['BGREWRITEAOF first', [['BGREWRITEAOF'], ['BGSAVE'], ['BGREWRITEAOF'], ['BGSAVE', 'SCHEDULE']]],
    ['BGSAVE first', [['BGSAVE'], ['BGREWRITEAOF'], ['BGSAVE'], ['BGREWRITEAOF']]],
    ['BGREWRITEAOF inside MULTI', [['MULTI'], ['BGREWRITEAOF'], ['EXEC']]],
  ];

  async function fill(client: RawClient): Promise<void> {
    const commands: string[][] = [];
    for (let i = 0; i < 20000; i++) commands.push(['SET', `key:${i}`, 'x'.repeat(50)]);
    await client.pipeline(commands);
  }

  async function settle(client: RawClient): Promise<void> {
    await until(async () => {
      const fields = await info(client);
      return fields.aof_rewrite_in_progress === '0' && fields.aof_rewrite_scheduled === '0' && fields.rdb_bgsave_in_progress === '0';
    }, 'the saves', 10000);
  }

  it.skipIf(!redisAvailable('one background save at a time')).each(scenarios)('%s: replies as redis-server does', async (_name, commands) => {
    const redis = await startRedisServer({ extraArgs: ['--enable-debug-command', 'yes'] });
    cleanups.push(() => redis.stop());
    const redisClient = await RawClient.connect(redis.port, { replyTimeoutMs: 10000 });
    cleanups.push(() => redisClient.close());
    await fill(redisClient);
    const expected = (await redisClient.pipeline(commands)).map((r) => r.toString('latin1'));
    await settle(redisClient);

    const dir = tempDir();
    const { client } = await start(dir, { appendonly: 'no' });
    await fill(client);
    const actual = (await client.pipeline(commands)).map((r) => r.toString('latin1'));
    expect(actual).toEqual(expected);
    // What was scheduled runs once the other save ends.
    await settle(client);
    const saves = commands.some((c) => c[0] === 'BGSAVE');
    if (saves) await until(() => fs.existsSync(path.join(dir, 'dump.rdb')), 'the scheduled BGSAVE', 10000);
    await settle(client);
    const fields = await info(client);
    expect(fields.aof_rewrites).toBe(commands.some((c) => c[0] === 'BGREWRITEAOF') ? '1' : '0');
    expect(fields.aof_last_bgrewrite_status).toBe('ok');
    expect(fields.rdb_last_bgsave_status).toBe('ok');
    expect(fs.existsSync(path.join(dir, 'dump.rdb'))).toBe(saves);
  });
});

describe('upgrading an old single-file appendonly.aof (Redis 6.2 and older)', () => {
  const commandStream = () =>
    Buffer.concat([
      encodeCommand(['SELECT', '0']),
      encodeCommand(['SET', 'old', 'value']),
      encodeCommand(['RPUSH', 'list', 'a', 'b']),
      encodeCommand(['SELECT', '4']),
      encodeCommand(['SADD', 'set', 'm']),
    ]);

  /** An RDB preamble (a dump written by SAVE) followed by a command tail, as 4.0-6.2 wrote with aof-use-rdb-preamble yes. */
  async function preambleFile(): Promise<Buffer> {
    const dumpDir = tempDir();
    const { server, client } = await start(dumpDir, { appendonly: 'no' });
    await client.pipeline([['SET', 'from-rdb', '1'], ['HSET', 'h', 'f', 'v'], ['SET', 'ttl', 'x', 'PX', '800000'], ['SAVE']]);
    await server.close();
    return Buffer.concat([fs.readFileSync(path.join(dumpDir, 'dump.rdb')), encodeCommand(['SELECT', '0']), encodeCommand(['SET', 'from-tail', '2'])]);
  }

  async function upgradeIn(
    file: Buffer,
  ): Promise<{ lines: string[]; client: RawClient; dir: string; manifestText: string; listing: string[]; root: string[] }> {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'appendonly.aof'), file);
    const lines: string[] = [];
    const { client } = await start(dir, {}, lines);
    return { lines, client, dir, manifestText: manifest(dir), listing: fs.readdirSync(aofDir(dir)).sort(), root: fs.readdirSync(dir).sort() };
  }

  it('a command stream becomes the base of a new manifest', async () => {
    const { lines, client, manifestText, listing, root } = await upgradeIn(commandStream());
    expect(lines).toContain('Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir).');
    expect(manifestText).toBe('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect(listing).toEqual(['appendonly.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(root).toEqual(['appendonlydir']);
    expect(await js(client, 'GET', 'old')).toBe('value');
    expect(await js(client, 'LRANGE', 'list', '0', '-1')).toEqual(['a', 'b']);
    await client.call('SELECT', '4');
    expect(await js(client, 'SMEMBERS', 'set')).toEqual(['m']);
  });

  it('an RDB preamble with a command tail loads both, with Redis log lines', async () => {
    const { lines, client, dir } = await upgradeIn(await preambleFile());
    expect(lines).toContain('Reading RDB preamble from AOF file...');
    expect(lines).toContain('Reading the remaining AOF tail...');
    expect(await js(client, 'GET', 'from-rdb')).toBe('1');
    expect(await js(client, 'GET', 'from-tail')).toBe('2');
    expect(await js(client, 'HGET', 'h', 'f')).toBe('v');
    expect(await js(client, 'PTTL', 'ttl')).toBeGreaterThan(700000);
    // The next rewrite retires the old file like any base.
    await js(client, 'BGREWRITEAOF');
    await until(() => rewriteDone(client), 'the rewrite', 10000);
    expect(manifest(dir)).toBe('file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    await until(() => !fs.existsSync(path.join(aofDir(dir), 'appendonly.aof')), 'the old file to be deleted as history', 10000);
  });

  it.skipIf(!redisAvailable('AOF upgrade')).each([
    ['a command stream', false],
    ['an RDB preamble and a tail', true],
  ])('%s: the same directory and dataset as redis-server makes of it', async (_name, preamble) => {
    const file = preamble ? await preambleFile() : commandStream();
    const redis = await startRedisServer({
      appendOnly: true,
      extraArgs: ['--enable-debug-command', 'yes'],
      prepareDir: (redisDir) => fs.writeFileSync(path.join(redisDir, 'appendonly.aof'), file),
    });
    cleanups.push(() => redis.stop());
    const redisClient = await RawClient.connect(redis.port);
    cleanups.push(() => redisClient.close());
    const redisManifest = manifest(redis.dir);
    const redisListing = fs.readdirSync(aofDir(redis.dir)).sort();
    const redisDigest = await js(redisClient, 'DEBUG', 'DIGEST');
    expect(redisDigest).toMatch(/^[0-9a-f]{40}$/);

    const ours = await upgradeIn(file);
    expect(ours.manifestText).toBe(redisManifest);
    expect(ours.listing).toEqual(redisListing);
    expect(await js(ours.client, 'DEBUG', 'DIGEST')).toBe(redisDigest);
  });
});

describe('a failed AOF write refuses writes until one succeeds (appendfsync no)', () => {
  /**
   * The next incr file is a FIFO: while it has a reader, the journal's
   * writes reach the reader; without one, write() fails with EPIPE, a real
   * write error with no test seam. Returns every reply, and what the
   * journal wrote before the failure and after the recovery.
   */
  async function brokenPipe(client: RawClient, directory: string): Promise<{ replies: string[]; before: string; after: string }> {
    const fifo = path.join(directory, 'appendonly.aof.2.incr.aof');
    execFileSync('mkfifo', [fifo]);
    let reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    cleanups.push(() => fs.closeSync(reader));
    const replies: string[] = [];
    const call = async (...args: string[]) => replies.push((await client.call(...args)).toString('latin1'));
    await call('BGREWRITEAOF');
    await until(() => rewriteDone(client), 'the rewrite', 10000);
    await call('SET', 'a', '1');
    const before = readAll(reader);
    fs.closeSync(reader);
    // The write that fails was already done in memory: its reply still leaves, as in Redis.
    await call('SET', 'b', '2');
    await call('SET', 'c', '3');
    await call('PING');
    await call('INCR', 'n');
    await call('GET', 'b');
    replies.push(`aof_last_write_status:${(await info(client)).aof_last_write_status}`);
    replies.push(`errorstat_MISCONF:${(await info(client, 'errorstats')).errorstat_MISCONF}`);
    // A reader again: the cron's retry writes the kept buffer, and writes are accepted again.
    reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    await until(async () => (await client.call('PING')).toString() === '+PONG\r\n', 'the AOF to recover', 10000);
    replies.push(`aof_last_write_status:${(await info(client)).aof_last_write_status}`);
    await call('SET', 'c', '3');
    return { replies, before, after: readAll(reader) };
  }

  const expectedReplies = [
    '+Background append only file rewriting started\r\n',
    '+OK\r\n',
    '+OK\r\n',
    '-MISCONF Errors writing to the AOF file: Broken pipe\r\n',
    '-MISCONF Errors writing to the AOF file: Broken pipe\r\n',
    '-MISCONF Errors writing to the AOF file: Broken pipe\r\n',
    '$1\r\n2\r\n',
    'aof_last_write_status:err',
    'errorstat_MISCONF:count=3',
    'aof_last_write_status:ok',
    '+OK\r\n',
  ];

  it('answers -MISCONF with the strerror text, then recovers', async () => {
    const dir = tempDir();
    const lines: string[] = [];
    const { client } = await start(dir, { appendfsync: 'no' }, lines);
    const ours = await brokenPipe(client, aofDir(dir));
    expect(ours.replies).toEqual(expectedReplies);
    expect(lines).toContain('Error writing to the AOF file: Broken pipe');
    expect(lines).toContain('AOF write error looks solved, Redis can write again.');
    expect(ours.before).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n');
    // The refused writes never reached the journal; the accepted one whose write failed did, once it could.
    expect(ours.after).toBe('*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n');
  });

  it.skipIf(!redisAvailable('AOF write errors'))('as redis-server 7.0.15 does, reply for reply and byte for byte in the journal', async () => {
    const redis = await startRedisServer({ appendOnly: true, extraArgs: ['--appendfsync', 'no'] });
    cleanups.push(() => redis.stop());
    const redisClient = await RawClient.connect(redis.port, { replyTimeoutMs: 10000 });
    cleanups.push(() => redisClient.close());
    const theirs = await brokenPipe(redisClient, aofDir(redis.dir));
    expect(theirs.replies).toEqual(expectedReplies);

    const dir = tempDir();
    const { client } = await start(dir, { appendfsync: 'no' });
    const ours = await brokenPipe(client, aofDir(dir));
    expect(ours).toEqual(theirs);
  });

  /** What the FIFO holds now, without waiting. */
  function readAll(fd: number): string {
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(65536);
    for (;;) {
      let n = 0;
      try {
        n = fs.readSync(fd, buffer, 0, buffer.length, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw err;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString('latin1');
  }
});

describe('commands replayed at startup', () => {
  /**
   * A command-form base with a failing INCR at top level and another inside
   * MULTI/EXEC, since Redis counts those two differently: a file's commands
   * run with cmd->proc (nothing counted), EXEC's with call(CMD_CALL_NONE),
   * which still counts failed_calls and total_commands_processed. Both
   * errors count in errorstats (afterErrorReply).
   */
  const base = Buffer.concat(
    [
      ['SELECT', '0'],
      ...Array.from({ length: 20 }, (_, i) => ['SET', `k${i}`, 'v']),
      ['SET', 's', 'abc'],
      ['INCR', 's'],
      ['MULTI'],
      ['INCR', 's'],
      ['SET', 't', '1'],
      ['EXEC'],
    ].map((argv) => encodeCommand(argv)),
  );
  const prepare = (dir: string) => {
    fs.mkdirSync(aofDir(dir));
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\n');
    fs.writeFileSync(path.join(aofDir(dir), 'appendonly.aof.1.base.aof'), base);
  };

  /** The statistics right after loading, read so that the reads themselves show nowhere. */
  async function statistics(client: RawClient) {
    const slowlog = (await js(client, 'SLOWLOG', 'GET', '1000')) as JsReply[][];
    // One INFO for all three sections: the totals and the per-command calls are one snapshot.
    const all = await (async () => {
      const text = String(await js(client, 'INFO', 'stats', 'commandstats', 'errorstats'));
      return Object.fromEntries(text.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':') as [string, string]));
    })();
    const commandstats = Object.entries(all).filter(([name]) => name.startsWith('cmdstat_'));
    const calls = commandstats.reduce((sum, [, value]) => sum + Number(/calls=(\d+)/.exec(value)![1]), 0);
    return {
      slowlog: slowlog.map((entry) => String((entry[3] as JsReply[])[0]).toUpperCase()),
      // Not LOADING: the redis-server helper's readiness PING may meet the load (a slow machine), which is no replay's error.
      errorstats: Object.fromEntries(Object.entries(all).filter(([name]) => name.startsWith('errorstat_') && name !== 'errorstat_LOADING')),
      commandstats: Object.fromEntries(
        commandstats.filter(([name]) => !/^cmdstat_(info|slowlog|ping|config)/.test(name)).map(([name, value]) => [name, value.replace(/usec_per_call=[^,]*,|usec=\d+,/g, '')]),
      ),
      // What the replay added to total_commands_processed: every other command counts in commandstats too.
      replayedInTotal: Number(all.total_commands_processed) - calls,
      keyspace: [all.keyspace_hits, all.keyspace_misses],
    };
  }

  it('count in no command statistics or slow log, with the two exceptions Redis has', async () => {
    const dir = tempDir();
    prepare(dir);
    const { client } = await start(dir, { 'aof-use-rdb-preamble': 'no', 'slowlog-log-slower-than': '0' });
    expect(await js(client, 'GET', 't')).toBe('1');
    const ours = await statistics(client);
    expect(ours.slowlog).toEqual(['GET']);
    expect(ours.errorstats).toEqual({ errorstat_ERR: 'count=2' });
    expect(ours.commandstats).toEqual({ cmdstat_get: 'calls=1,rejected_calls=0,failed_calls=0', cmdstat_incr: 'calls=0,rejected_calls=0,failed_calls=1' });
    // The INCR and SET inside EXEC.
    expect(ours.replayedInTotal).toBe(2);
  });

  it.skipIf(!redisAvailable('AOF replay statistics'))('as redis-server 7.0.15 counts them', async () => {
    const redis = await startRedisServer({ appendOnly: true, prepareDir: prepare, extraArgs: ['--slowlog-log-slower-than', '0'] });
    cleanups.push(() => redis.stop());
    const redisClient = await RawClient.connect(redis.port);
    cleanups.push(() => redisClient.close());
    // The helper's readiness PING shows in the slow log and total commands: drop it from both.
    await redisClient.call('SLOWLOG', 'RESET');
    expect(await js(redisClient, 'GET', 't')).toBe('1');
    const theirs = await statistics(redisClient);

    const dir = tempDir();
    prepare(dir);
    const { client } = await start(dir, { 'aof-use-rdb-preamble': 'no', 'slowlog-log-slower-than': '0' });
    await client.call('PING');
    await client.call('SLOWLOG', 'RESET');
    expect(await js(client, 'GET', 't')).toBe('1');
    const ours = await statistics(client);
    expect(ours).toEqual(theirs);
  });
});
