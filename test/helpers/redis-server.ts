/**
 * Starts real redis-server processes for tests that compare against Redis.
 *
 * Each server gets a free port, a private temporary directory and no
 * persistence (or, when asked, an append-only file in that directory that
 * tests read back), and is killed when the test calls `stop()`. It is also killed
 * when the test process goes away without stopping it (a crash, a failed
 * test with no cleanup, a worker killed by the runner): the server runs under
 * a small shell watchdog that reads our end of a pipe and kills the server
 * when that pipe closes, which the kernel does whenever our process dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RawClient } from './resp-client.js';

export interface RedisServerHandle {
  readonly host: string;
  readonly port: number;
  /** The server's private working directory (its `dir`), where an append-only file lives. */
  readonly dir: string;
  /** Kills the server, waits for it to exit and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartRedisServerOptions {
  /** Extra command-line arguments, e.g. ['--maxmemory', '10mb']. */
  extraArgs?: string[];
  /** How long to wait for the server to answer PING. */
  startTimeoutMs?: number;
  /**
   * Journal every write to an append-only file in `dir`, written and fsynced
   * before the reply leaves (`--appendonly yes --appendfsync always`), with
   * automatic rewrites off so the incr file only ever grows. Default false.
   */
  appendOnly?: boolean;
  /** Start it with `--requirepass`; the readiness check then AUTHs first. */
  requirepass?: string;
  /** Fills the server's directory before it starts (e.g. with an appendonlydir for it to load). */
  prepareDir?: (dir: string) => void;
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of the redis-server binary, or null if there is none. The
 * REDIS_SERVER environment variable overrides the PATH search.
 */
export function findRedisServer(): string | null {
  const override = process.env['REDIS_SERVER'];
  if (override) return isExecutableFile(override) ? override : null;
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'redis-server');
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** A port that was free a moment ago (the OS picks it when binding port 0). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('could not read the probe port'))));
    });
  });
}

/**
 * Runs redis-server (`$0` is its path, the rest its arguments) and kills it
 * with SIGKILL once stdin reaches EOF: when `stop()` ends stdin, or when the
 * kernel closes the pipe because the test process died. The shell exits with
 * the server, so the child's 'exit' event means the server is gone.
 */
const WATCHDOG_SCRIPT = [
  // A background job's stdin is /dev/null, so keep the pipe on fd 3 for the watcher.
  'exec 3<&0',
  '"$0" "$@" 3<&- & server=$!',
  '( cat <&3 >/dev/null; kill -9 "$server" 2>/dev/null ) & watcher=$!',
  'exec 3<&-',
  'wait "$server"; status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** Outcome of waiting for a freshly spawned server. */
type StartOutcome = { ok: true } | { ok: false; exited: boolean };

/**
 * Waits until the server answers PING and proves it is ours by reporting our
 * private directory: if another process took the port first, our server
 * exits, and a PING alone could reach the other process's server.
 */
async function waitUntilReady(
  child: ChildProcess,
  host: string,
  port: number,
  dir: string,
  deadline: number,
  password: string | undefined,
): Promise<StartOutcome> {
  const expectedDir = fs.realpathSync(dir);
  const dirReply = `*2\r\n$3\r\ndir\r\n$${Buffer.byteLength(expectedDir)}\r\n${expectedDir}\r\n`;
  let exited = child.exitCode !== null || child.signalCode !== null;
  const onGone = (): void => {
    exited = true;
  };
  // 'error' covers a binary that could not be spawned at all.
  child.once('exit', onGone);
  child.once('error', onGone);
  while (Date.now() < deadline) {
    if (exited) return { ok: false, exited: true };
    try {
      const client = await RawClient.connect(port, { host, connectTimeoutMs: 500, replyTimeoutMs: 1000 });
      try {
        if (password !== undefined) await client.call('AUTH', password);
        const pong = await client.call('PING');
        if (pong.toString('latin1') === '+PONG\r\n') {
          const dirAnswer = (await client.call('CONFIG', 'GET', 'dir')).toString();
          if (dirAnswer === dirReply) return { ok: true };
          // Someone else's server on this port: ours will exit (or time out).
        }
      } finally {
        await client.close();
      }
    } catch {
      // Not listening yet (or still loading): try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { ok: false, exited };
}

/** Ends the watchdog's stdin (which kills the server) and waits for it to exit. */
async function stopWatchdog(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.stdin?.end();
  // The watchdog should exit at once; don't hang a test run if it doesn't.
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts a redis-server on a free port with persistence disabled
 * (`--save ''`, and `--appendonly no` unless `appendOnly` asks for the
 * journal) and resolves once it answers PING.
 *
 * Another process may grab the probed port before redis binds it, so a
 * start that fails with "Address already in use" is retried on a new port.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server not found on PATH (set REDIS_SERVER to its path)');
  const host = '127.0.0.1';
  const maxAttempts = 5;
  let lastOutput = '';

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const port = await findFreePort(host);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-redis-'));
    options.prepareDir?.(dir);
    const args = [
      '--port', String(port),
      '--bind', host,
      '--save', '',
      ...(options.appendOnly
        ? ['--appendonly', 'yes', '--appendfsync', 'always', '--auto-aof-rewrite-percentage', '0']
        : ['--appendonly', 'no']),
      '--dir', dir,
      '--daemonize', 'no',
      '--logfile', '',
      ...(options.requirepass === undefined ? [] : ['--requirepass', options.requirepass]),
      ...(options.extraArgs ?? []),
    ];
    const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Don't let the open pipe keep the test process alive.
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as net.Socket | null)?.unref();
    child.unref();
    let output = '';
    const collect = (chunk: Buffer): void => {
      // Keep only the tail: it holds the reason if the server fails to start.
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let spawnError: Error | null = null;
    child.on('error', (error) => {
      spawnError = error;
    });

    const outcome = await waitUntilReady(child, host, port, dir, Date.now() + (options.startTimeoutMs ?? 10_000), options.requirepass);
    if (spawnError) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`could not run ${binary}: ${(spawnError as Error).message}`);
    }
    if (outcome.ok) {
      let stopped: Promise<void> | null = null;
      return {
        host,
        port,
        dir,
        stop() {
          stopped ??= stopWatchdog(child).then(() => fs.rmSync(dir, { recursive: true, force: true }));
          return stopped;
        },
      };
    }
    await stopWatchdog(child);
    fs.rmSync(dir, { recursive: true, force: true });
    lastOutput = output;
    const portTaken = /address already in use/i.test(output);
    if (!portTaken) {
      const why = outcome.exited ? 'exited during startup' : 'did not answer PING in time';
      throw new Error(`redis-server on port ${port} ${why}. Output:\n${output}`);
    }
  }
  throw new Error(`redis-server could not find a free port in ${maxAttempts} attempts. Last output:\n${lastOutput}`);
}

/** A redis-server started for a describe block, and a connection to it. */
export interface RedisServerUse {
  readonly server: RedisServerHandle;
  readonly client: RawClient;
}

/**
 * Starts a redis-server in beforeAll and connects a RawClient to it; closes
 * both in afterAll. Call it inside the describe block that needs it, and
 * pass `enabled: false` (say, when findRedisServer() is null and the tests
 * skip) to register no hooks at all. The fields exist once beforeAll has run.
 */
export function useRedisServer(options: StartRedisServerOptions & { enabled?: boolean } = {}): RedisServerUse {
  let server: RedisServerHandle | undefined;
  let client: RawClient | undefined;
  if (options.enabled !== false) {
    beforeAll(async () => {
      server = await startRedisServer(options);
      client = await RawClient.connect(server.port);
    });
    afterAll(async () => {
      await client?.close();
      await server?.stop();
    });
  }
  return {
    get server() {
      if (server === undefined) throw new Error('useRedisServer: the server starts in beforeAll');
      return server;
    },
    get client() {
      if (client === undefined) throw new Error('useRedisServer: the client connects in beforeAll');
      return client;
    },
  };
}

export interface ReplyPair {
  command: string[];
  /** The raw reply of the server under test, as latin1 text. */
  ours: string;
  /** redis-server's raw reply to the same command. */
  theirs: string;
}

/**
 * Starts a redis-server, sends each command in turn to it and to the
 * server listening on `port` (one connection to each), and returns both
 * raw replies per command; stops the redis-server again. For replies that
 * depend on no state, which tests then compare byte for byte.
 */
export async function repliesFromBoth(commands: readonly string[][], port: number, options: StartRedisServerOptions = {}): Promise<ReplyPair[]> {
  const redis = await startRedisServer(options);
  const theirs = await RawClient.connect(redis.port);
  const ours = await RawClient.connect(port);
  try {
    const pairs: ReplyPair[] = [];
    for (const command of commands) {
      const expected = (await theirs.callArgs(command)).toString('latin1');
      pairs.push({ command, ours: (await ours.callArgs(command)).toString('latin1'), theirs: expected });
    }
    return pairs;
  } finally {
    await theirs.close();
    await ours.close();
    await redis.stop();
  }
}
