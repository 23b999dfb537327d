/**
 * Shutdown answers what it received: with 50 clients that have each
 * written 1,000 pipelined INCRs, a SIGTERM must still give every one of
 * those requests its reply before the connections close (Redis 7.0 answers
 * all 50k). The server is the built CLI, run as a child process.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';

const cli = join(__dirname, '../../dist/cli.js');
const CLIENTS = 50;
const REQUESTS = 1000;
const RUNS = 10;

const children = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  return port;
}

async function startServer(port: number): Promise<{ child: ReturnType<typeof spawn>; exited: Promise<number | null> }> {
  // A directory of its own: reddish-server loads any dump.rdb it finds where it starts.
  const cwd = mkdtempSync(join(tmpdir(), 'reddish-shutdown-'));
  // Debug level: when a client misses its replies, the failure shows what the drain saw.
  const child = spawn(process.execPath, [cli, '--port', String(port), '--loglevel', 'debug', '--save', ''], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const log = { text: '' };
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      log.text += d;
      if (log.text.includes('ready to accept connections')) resolve();
    });
    child.stderr!.on('data', (d) => (log.text += d));
    child.on('exit', () => reject(new Error(`server exited early: ${log.text}`)));
  });
  return { child, exited, log };
}

/** The server's log lines about the drain, and about the client on `localPort`, for a failure message. */
function drainLog(text: string, localPort: number | undefined): string {
  return text
    .split('\n')
    .filter((line) => line.includes('shutdown') || line.includes('signal') || (localPort !== undefined && line.includes(`:${localPort}`)))
    .join('\n');
}

/** Connects, writes all its INCRs in one go, and resolves with every byte received until the server closes. */
function pipeliningClient(port: number, key: string): { written: Promise<void>; received: Promise<string>; socket: net.Socket } {
  const socket = net.connect(port, '127.0.0.1');
  let data = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => (data += d));
  const received = new Promise<string>((resolve) => socket.on('close', () => resolve(data)));
  socket.on('error', () => {});
  const request = `*2\r\n$4\r\nINCR\r\n$${key.length}\r\n${key}\r\n`.repeat(REQUESTS);
  const written = new Promise<void>((resolve) => socket.on('connect', () => socket.write(request, 'latin1', () => resolve())));
  return { written, received, socket };
}

it(`answers every request received before SIGTERM (${CLIENTS} pipelining clients, ${RUNS} runs)`, async () => {
  for (let run = 0; run < RUNS; run++) {
    const port = await freePort();
    const { child, exited, log } = await startServer(port);
    const clients = Array.from({ length: CLIENTS }, (_, i) => pipeliningClient(port, `counter:${i}`));
    await Promise.all(clients.map((c) => c.written));
    const localPorts = clients.map((c) => c.socket.localPort);
    child.kill('SIGTERM');
    const replies = await Promise.all(clients.map((c) => c.received));
    expect(await exited).toBe(0);
    for (const [i, text] of replies.entries()) {
      const counts = text.split('\r\n').filter((line) => line !== '');
      expect(counts.length, `run ${run}, client ${i} (port ${localPorts[i]}); the server's log:\n${drainLog(log.text, localPorts[i])}`).toBe(REQUESTS);
      expect(counts[REQUESTS - 1], `run ${run}, client ${i}`).toBe(`:${REQUESTS}`);
    }
  }
}, 60_000);
