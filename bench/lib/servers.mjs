// Starting, checking and stopping the two servers under test, plus a registry
// of every child process so that Ctrl-C or a crash never leaves one behind.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { RespClient, ReplyError } from './resp.mjs';

const children = new Set();

/** Track a child so killAllChildren() can stop it on exit or signal. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Synchronous best effort: safe to call from process 'exit' handlers. */
export function killAllChildren(signal = 'SIGKILL') {
  for (const c of children) {
    try { c.kill(signal); } catch { /* already gone */ }
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function canListen(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * Pick `count` free TCP ports. With a range, probe it in order (useful on
 * shared machines where each user has a port block); otherwise let the OS
 * choose. There is a small race between probing and the server binding; a
 * failed start reports the port so it is easy to retry.
 */
export async function freePorts(count, range) {
  const out = [];
  if (range) {
    for (let p = range[0]; p <= range[1] && out.length < count; p++) {
      if (await canListen(p)) out.push(p);
    }
    if (out.length < count) throw new Error(`no ${count} free ports in ${range[0]}-${range[1]}`);
    return out;
  }
  while (out.length < count) {
    const p = await new Promise((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    });
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** VmRSS of a process in bytes, or null if it cannot be read. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export class Server {
  /**
   * @param {string} name  label used in tables ("redis" / "reddish")
   * @param {string} template  shell command with {port}
   * @param {number} port
   * @param {string} cwd  where the command runs (the repo root, so relative
   *   paths like dist/cli.js work whatever directory the bench was run from)
   */
  constructor(name, template, port, cwd) {
    this.name = name;
    this.template = template;
    this.port = port;
    this.cwd = cwd;
    this.child = null;
    this.stderr = '';
    this.exitInfo = null;
  }

  get pid() { return this.child?.pid ?? null; }
  get alive() { return this.child !== null && this.exitInfo === null; }

  async start(timeoutMs = 20000, pollMs = 100) {
    const cmd = this.template.replaceAll('{port}', String(this.port));
    // `exec` makes the shell replace itself, so child.pid is the server's own
    // pid: needed for reading its RSS from /proc and for a clean kill.
    const child = spawn('sh', ['-c', `exec ${cmd}`], { cwd: this.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    this.child = child;
    this.stderr = '';
    this.exitInfo = null;
    const keep = (d) => { this.stderr = (this.stderr + d.toString()).slice(-4000); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('exit', (code, signal) => { this.exitInfo = { code, signal }; });
    const deadline = Date.now() + timeoutMs;
    let lastErr = null;
    while (Date.now() < deadline) {
      if (this.exitInfo) break;
      try {
        const c = await RespClient.connect(this.port, '127.0.0.1', 1000);
        try {
          const r = await c.call('PING');
          if (r === 'PONG') return this;
          lastErr = new Error(`PING answered ${r instanceof ReplyError ? r.message : JSON.stringify(r)}`);
        } finally {
          c.close();
        }
      } catch (e) {
        lastErr = e;
      }
      await sleep(pollMs);
    }
    const why = this.exitInfo
      ? `exited (code ${this.exitInfo.code}, signal ${this.exitInfo.signal})`
      : `not answering PING after ${timeoutMs} ms (${lastErr?.message})`;
    await this.stop();
    throw new Error(`${this.name} failed to start on port ${this.port} with \`${cmd}\`: ${why}\n${this.stderr.trim()}`);
  }

  async stop() {
    const child = this.child;
    if (!child || this.exitInfo) { this.child = null; return; }
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited;
    clearTimeout(t);
    this.child = null;
  }

  /** Fresh process: memory sections need a baseline free of earlier garbage. */
  async restart() {
    await this.stop();
    await this.start();
  }

  rss() { return this.pid ? rssBytes(this.pid) : null; }

  client() { return RespClient.connect(this.port); }
}
