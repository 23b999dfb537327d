/**
 * The reddish-server command, run as a child process from the built dist/.
 * (`npm test` builds first.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';

const cli = join(__dirname, '../../dist/cli.js');

/** Every server this file starts; afterEach kills any still running, pass or fail. */
const children = new Set<ReturnType<typeof spawn>>();

afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

function run(args: string[]): { child: ReturnType<typeof spawn>; output: () => string; exited: Promise<number | null> } {
  // A working directory of its own: reddish-server saves dump.rdb there on exit, and loads it on start.
  const cwd = mkdtempSync(join(tmpdir(), 'reddish-cli-'));
  const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

async function waitForLine(get: () => string, text: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (get().includes(text)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never saw ${text} in ${get()}`);
}

describe('reddish-server', () => {
  it('exits 1 with a clear message on an unknown parameter', async () => {
    const { output, exited } = run(['--no-such-thing', '1']);
    expect(await exited).toBe(1);
    expect(output()).toContain('no-such-thing');
    expect(output()).toContain('Bad directive or wrong number of arguments');
  });

  it('exits 1 on a bad value', async () => {
    const { output, exited } = run(['--port', 'notaport']);
    expect(await exited).toBe(1);
    expect(output()).toContain("argument couldn't be parsed into an integer");
  });

  it('refuses a value reddish cannot honour, naming the line as redis-server does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reddish-cli-'));
    const file = join(dir, 'reddish.conf');
    writeFileSync(file, `port 0\ncluster-enabled no\ncluster-enabled yes\n`);
    const { output, exited } = run([file]);
    expect(await exited).toBe(1);
    expect(output()).toContain(
      `Reading the configuration file, at line 3 (${file})\n>>> 'cluster-enabled yes'\nreddish has no cluster mode; only 'no' is accepted\n`,
    );
  });

  it('refuses several values for a parameter that takes one', async () => {
    const { output, exited } = run(['--hz', '10', '20']);
    expect(await exited).toBe(1);
    expect(output()).toContain(`>>> 'hz "10" "20"'\nwrong number of arguments\n`);
  });

  it("reads Debian's redis.conf forms: per-class output buffer limits, save \"\", dir and bind *", async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'reddish-cli-'));
    const file = join(dir, 'reddish.conf');
    writeFileSync(
      file,
      [
        'bind *',
        'protected-mode no',
        'save ""',
        `dir ${dir}`,
        'client-output-buffer-limit normal 0 0 0',
        'client-output-buffer-limit replica 256mb 64mb 60',
        'client-output-buffer-limit pubsub 64mb 16mb 120',
        '',
      ].join('\n'),
    );
    const { child, output, exited } = run([file, '--port', String(port)]);
    await waitForLine(output, 'ready to accept connections');
    const redis = new Redis({ port, host: '127.0.0.1' });
    expect(await redis.config('GET', 'client-output-buffer-limit')).toEqual([
      'client-output-buffer-limit',
      'normal 0 0 0 slave 268435456 67108864 60 pubsub 67108864 16777216 120',
    ]);
    expect(await redis.config('GET', 'dir')).toEqual(['dir', realpathSync(dir)]);
    expect(await redis.config('GET', 'save')).toEqual(['save', '']);
    redis.disconnect();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('reads a config file, lets flags override it, logs JSON and stops on SIGTERM', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'reddish-cli-'));
    const file = join(dir, 'reddish.conf');
    writeFileSync(file, `# a comment\nport 1\nrequirepass "pa ss"\nhash-max-ziplist-entries 64\n`);
    const { child, output, exited } = run([file, '--port', String(port), '--loglevel', 'notice']);
    await waitForLine(output, 'ready to accept connections');
    const redis = new Redis({ port, password: 'pa ss' });
    expect(await redis.config('GET', 'hash-max-listpack-entries')).toEqual(['hash-max-listpack-entries', '64']);
    redis.disconnect();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'ready to accept connections' && l.port === port)).toBe(true);
    expect(lines.some((l) => l.signal === 'SIGTERM')).toBe(true);
  });

  it('exits on SHUTDOWN after replying to pending clients', async () => {
    const port = await freePort();
    const { output, exited } = run(['--port', String(port)]);
    await waitForLine(output, 'ready to accept connections');
    const redis = new Redis({ port, retryStrategy: () => null });
    await redis.set('k', 'v');
    await redis.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    expect(await exited).toBe(0);
    redis.disconnect();
    // It exits after closing, not because its event loop ran dry before.
    expect(output()).toContain('"msg":"server closed"');
    expect(output()).toContain('"msg":"bye"');
  });

  // A parent that stops reading our stdout (but keeps the pipe open) fills
  // the pipe. A synchronous logger then retries the write forever on the
  // main thread, and SIGTERM's handler never runs; logging must never hold
  // the server hostage.
  it('still stops on SIGTERM when nobody reads its log output', async () => {
    const port = await freePort();
    const { child, output, exited } = run(['--port', String(port), '--loglevel', 'debug']);
    await waitForLine(output, 'ready to accept connections');
    child.stdout!.pause();
    // Each connection logs at debug level; a few thousand fill the pipe.
    for (let i = 0; i < 3000; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.end(resolve));
        socket.on('error', () => resolve());
      });
    }
    // The server keeps serving while its log output is stuck.
    const redis = new Redis({ port, retryStrategy: () => null, connectTimeout: 2000, commandTimeout: 2000 });
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 5000))]);
    expect(code).toBe(0);
  }, 30_000);
});

describe('RDB snapshots from the command line', () => {
  it("keeps redis-server's save points, saves on SIGTERM and loads the dump on the next start", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reddish-cli-rdb-'));
    const port = await freePort();
    const first = run(['--port', String(port), '--dir', dir]);
    await waitForLine(first.output, 'ready to accept connections');
    const redis = new Redis({ port, retryStrategy: () => null });
    expect(await redis.config('GET', 'save')).toEqual(['save', '3600 1 300 100 60 10000']);
    await redis.set('survives', 'a restart');
    await redis.expire('survives', 1000);
    redis.disconnect();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Saving the final RDB snapshot before exiting.');
    expect(first.output()).toContain('DB saved on disk');

    const second = run(['--port', String(port), '--dir', dir]);
    await waitForLine(second.output, 'DB loaded from disk');
    const again = new Redis({ port, retryStrategy: () => null });
    expect(await again.get('survives')).toBe('a restart');
    expect(await again.ttl('survives')).toBeGreaterThan(900);
    again.disconnect();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('refuses to start on a corrupt dump, says why, and leaves the file alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reddish-cli-rdb-'));
    const corrupt = Buffer.concat([Buffer.from('REDIS0010'), Buffer.from([0xfe, 0x00, 0x00, 0x03, 'k'.charCodeAt(0)])]);
    writeFileSync(join(dir, 'dump.rdb'), corrupt);
    const { output, exited } = run(['--port', String(await freePort()), '--dir', dir]);
    expect(await exited).toBe(1);
    expect(output()).toContain('Short read or OOM loading DB. Unrecoverable error, aborting now.');
    expect(output()).toContain('Terminating server after rdb file reading failure.');
    expect(readFileSync(join(dir, 'dump.rdb')).equals(corrupt)).toBe(true);
  });

  it('save lines in a config file replace the defaults, then add up', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'reddish-cli-rdb-')), 'redis.conf');
    writeFileSync(file, 'save 900 1\nsave 300 10\n');
    const port = await freePort();
    const { child, output, exited } = run([file, '--port', String(port)]);
    await waitForLine(output, 'ready to accept connections');
    const redis = new Redis({ port, retryStrategy: () => null });
    expect(await redis.config('GET', 'save')).toEqual(['save', '900 1 300 10']);
    redis.disconnect();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
