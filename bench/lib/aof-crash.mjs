// Crash safety of the append-only file (issue 12): a writer pipelines
// INCRs and SETs at a reddish-server child process and notes every reply,
// the process is killed with SIGKILL at a random moment, restarted on the
// same directory, and every acknowledged write is looked for.
//
// Used by test/integration/aof-crash.test.ts (a few cycles, in npm test)
// and bench/aof-crash.mjs (100 cycles per policy, printing the figures).
//
// What a SIGKILL can lose: bytes the server had not yet handed to the
// kernel. Data written to the file survives the process (the page cache
// belongs to the kernel), so for reddish, which writes the AOF before any
// reply leaves, an acknowledged write is lost only if its reply left before
// its write: never under `always` (written and fdatasynced first), and under
// `everysec` only while a write is postponed behind a slow background fsync
// (at most 2 s, Redis's aof_delayed_fsync rule). A power cut could also
// lose what was written but not fsynced; this harness cannot cut power.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { encode, RespClient } from './resp.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node cli --port P --dir D --appendonly yes ...` and resolves once it
 * answers PING; rejects with its output if it exits first.
 */
export async function startReddish(cli, dir, port, extraArgs = [], timeoutMs = 60000) {
  const child = spawn(process.execPath, [cli, '--port', String(port), '--dir', dir, '--appendonly', 'yes', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit = null;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && exit === null) {
    try {
      const client = await RespClient.connect(port, '127.0.0.1', 500);
      const pong = await client.call('PING');
      client.close();
      if (pong === 'PONG') return { child, exited, output: () => output };
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  if (exit === null) child.kill('SIGKILL');
  await exited;
  const error = new Error(`reddish-server did not start (${JSON.stringify(exit)}):\n${output}`);
  error.exit = exit;
  error.output = output;
  throw error;
}

/**
 * One writer: pipelines `INCR <prefix>counter` and `SET <prefix>k<i> <i>`
 * in windows of `depth` commands until the connection breaks. Every reply
 * received is an acknowledgement, noted with the time it arrived.
 */
function runWriter(port, prefix, depth) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setNoDelay(true);
    const acks = { incr: 0, incrTimes: [], sets: 0, setTimes: [] };
    // Sent commands in order: 'i' for INCR, 's' for SET.
    const sent = [];
    let head = 0;
    let nextSet = 0;
    let buffer = Buffer.alloc(0);
    const sendWindow = () => {
      let out = '';
      for (let j = 0; j < depth; j++) {
        if (sent.length % 2 === 0) {
          out += encode(['INCR', `${prefix}counter`]);
          sent.push('i');
        } else {
          out += encode(['SET', `${prefix}k${nextSet}`, String(nextSet)]);
          nextSet++;
          sent.push('s');
        }
      }
      socket.write(out);
    };
    socket.on('connect', sendWindow);
    socket.on('data', (chunk) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      let pos = 0;
      const now = performance.now();
      for (;;) {
        const end = buffer.indexOf('\r\n', pos);
        if (end === -1) break;
        const line = buffer.toString('latin1', pos, end);
        pos = end + 2;
        const kind = sent[head++];
        if (line[0] === '-') throw new Error(`writer got an error: ${line}`);
        if (kind === 'i') {
          acks.incr = Number(line.slice(1));
          acks.incrTimes.push(now);
        } else {
          acks.sets++;
          acks.setTimes.push(now);
        }
      }
      buffer = buffer.subarray(pos);
      if (head === sent.length) sendWindow();
    });
    const done = () => resolve(acks);
    socket.on('error', done);
    socket.on('close', done);
  });
}

/**
 * Reads back what survived: the counter and how many of the SET keys are
 * present, in order (the first missing one ends the prefix of survivors).
 */
async function readSurvivors(port, prefix, setsAcked) {
  const client = await RespClient.connect(port);
  try {
    const counter = Number((await client.call('GET', `${prefix}counter`)) ?? 0);
    let present = 0;
    const batch = 1000;
    let done = false;
    for (let start = 0; !done; start += batch) {
      const keys = [];
      for (let i = start; i < start + batch; i++) keys.push(`${prefix}k${i}`);
      const values = await client.call('MGET', ...keys);
      for (let j = 0; j < values.length; j++) {
        if (values[j] !== String(start + j)) {
          done = true;
          break;
        }
        present++;
      }
      if (start + batch > setsAcked + batch * 2) done = true;
    }
    return { counter, present };
  } finally {
    client.close();
  }
}

/** Cycles that share one directory before the next starts afresh (the AOF they replay keeps growing). */
const CYCLES_PER_DIRECTORY = 10;

/**
 * Runs `cycles` crash cycles on `dir`: start, write, SIGKILL after a random
 * 100-600 ms, restart, check. Every CYCLES_PER_DIRECTORY cycles the AOF is
 * removed and the next cycle starts afresh; in between, a restart replays
 * the earlier cycles' writes too. The last AOF is left for truncationCheck.
 * Returns one record per cycle: acked and surviving INCRs and SETs, lost
 * acknowledged writes, and the loss window in seconds (from the first lost
 * acknowledgement to the last one).
 */
export async function crashCycles({ cli, dir, cycles, policy, depth = 16, random = Math.random, onCycle = () => {} }) {
  const results = [];
  for (let cycle = 0; cycle < cycles; cycle++) {
    if (cycle % CYCLES_PER_DIRECTORY === 0) fs.rmSync(path.join(dir, 'appendonlydir'), { recursive: true, force: true });
    const port = await freePort();
    const server = await startReddish(cli, dir, port, ['--appendfsync', policy]);
    const prefix = `c${cycle}:`;
    const writer = runWriter(port, prefix, depth);
    await sleep(100 + Math.floor(random() * 500));
    server.child.kill('SIGKILL');
    await server.exited;
    const acks = await writer;
    const checkPort = await freePort();
    const checker = await startReddish(cli, dir, checkPort, ['--appendfsync', policy]);
    const survived = await readSurvivors(checkPort, prefix, acks.sets);
    checker.child.kill('SIGTERM');
    await checker.exited;
    const lostIncr = Math.max(0, acks.incr - survived.counter);
    const lostSets = Math.max(0, acks.sets - survived.present);
    let lossSeconds = 0;
    if (lostIncr > 0) lossSeconds = Math.max(lossSeconds, (acks.incrTimes.at(-1) - acks.incrTimes[survived.counter]) / 1000);
    if (lostSets > 0) lossSeconds = Math.max(lossSeconds, (acks.setTimes.at(-1) - acks.setTimes[survived.present]) / 1000);
    const record = { cycle, ackedIncr: acks.incr, survivingIncr: survived.counter, ackedSets: acks.sets, survivingSets: survived.present, lost: lostIncr + lostSets, lossSeconds };
    results.push(record);
    onCycle(record);
  }
  return results;
}

/** The byte offsets at which a whole command of an AOF ends (0 included). */
export function commandBoundaries(bytes) {
  const ends = [0];
  let pos = 0;
  const line = () => {
    const end = bytes.indexOf('\r\n', pos);
    if (end === -1) return null;
    const text = bytes.toString('latin1', pos, end);
    pos = end + 2;
    return text;
  };
  while (pos < bytes.length) {
    const header = line();
    if (header === null) break;
    if (header[0] === '#') {
      ends.push(pos);
      continue;
    }
    const argc = Number(header.slice(1));
    let whole = true;
    for (let i = 0; i < argc; i++) {
      const length = line();
      if (length === null) {
        whole = false;
        break;
      }
      pos += Number(length.slice(1)) + 2;
      if (pos > bytes.length) {
        whole = false;
        break;
      }
    }
    if (!whole) break;
    ends.push(pos);
  }
  return ends;
}

/** The incr file the manifest in `dir/appendonlydir` names last. */
export function lastIncrFile(dir) {
  const aofDir = path.join(dir, 'appendonlydir');
  const manifest = fs.readFileSync(path.join(aofDir, 'appendonly.aof.manifest'), 'latin1');
  const incrs = [...manifest.matchAll(/^file (\S+) seq \d+ type i$/gm)].map((m) => m[1]);
  return path.join(aofDir, incrs.at(-1));
}

/**
 * Cuts the last incr file at a random byte and starts the server with
 * aof-load-truncated yes or no. Returns whether the cut fell between two
 * commands, and whether the server started (and if so, that the file now
 * ends at the last whole command before the cut).
 */
export async function truncationCheck({ cli, dir, loadTruncated, random = Math.random }) {
  const file = lastIncrFile(dir);
  const bytes = fs.readFileSync(file);
  const cut = 1 + Math.floor(random() * (bytes.length - 1));
  fs.truncateSync(file, cut);
  const boundaries = commandBoundaries(bytes);
  const atBoundary = boundaries.includes(cut);
  const lastWhole = boundaries.filter((b) => b <= cut).at(-1);
  const port = await freePort();
  try {
    const server = await startReddish(cli, dir, port, ['--aof-load-truncated', loadTruncated ? 'yes' : 'no']);
    const output = server.output();
    server.child.kill('SIGTERM');
    await server.exited;
    return { cut, atBoundary, started: true, sizeAfter: fs.statSync(file).size, lastWhole, output };
  } catch (error) {
    return { cut, atBoundary, started: false, sizeAfter: fs.statSync(file).size, lastWhole, output: error.output ?? String(error) };
  }
}
