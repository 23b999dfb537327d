// The long run of the fuzzers that `npm test` runs briefly (test/fuzz/): the
// same generators and seeded RNG, imported from their TypeScript sources,
// against reddish as it ships (node dist/cli.js) and a real redis-server,
// both started here on free loopback ports.
//
//   npm run build && node bench/fuzz.mjs [--inputs N] [--commands N] [--chunks N]
//                                        [--seed S] [--lanes N] [--minutes M]
//
// 1. protocol: --inputs hostile request streams (default 1,000,000), each on
//    a fresh connection to both servers, replies compared byte for byte,
//    while a bystander client on each server (in a worker thread of its own)
//    checks its own answers and times them. --lanes streams run side by side
//    (default 4).
// 2. commands: --commands random calls of every listed command (default
//    1,000,000) against reddish.
// 3. chunks: --chunks corrupted BF/CF LOADCHUNK dumps (default 100,000).
//
// The run is bounded: --minutes (default 60) is shared out, 60% to the
// protocol phase, 25% to commands and the rest to chunks (a phase that ends
// early leaves its time to the next), and a phase cut short says so.
// It prints what each phase tried and found, then the totals the issue asks
// for: crashes (reddish exiting; it is restarted), internal errors (replies,
// plus error lines in reddish's log), the bystanders' worst latency on each
// server, and reddish's peak RSS. Exit code 0 when nothing was found.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importTs } from './lib/ts-import.mjs';
import { startWorkerBystander } from './lib/bystander-worker.mjs';
import { Server, freePorts, killAllChildren } from './lib/servers.mjs';
import { textTable, fmt, fmtInt } from './lib/report.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: flags } = parseArgs({
  options: {
    inputs: { type: 'string', default: '1000000' },
    commands: { type: 'string', default: '1000000' },
    chunks: { type: 'string', default: '100000' },
    seed: { type: 'string' },
    lanes: { type: 'string', default: '4' },
    minutes: { type: 'string', default: '60' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((line) => line.startsWith('//')).map((line) => line.slice(3)).join('\n'));
  process.exit(0);
}
for (const name of ['inputs', 'commands', 'chunks', 'lanes', 'minutes']) {
  if (!(Number(flags[name]) >= 0)) {
    console.error(`--${name} must be a number`);
    process.exit(2);
  }
}
if (!fs.existsSync(path.join(ROOT, 'dist/cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}

process.on('exit', () => killAllChildren());
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const { runProtocolFuzz } = await importTs('test/fuzz/protocol-fuzz.ts');
const { runCommandFuzz } = await importTs('test/fuzz/command-fuzz.ts');
const { runChunkFuzz } = await importTs('test/fuzz/chunk-fuzz.ts');

const seed = flags.seed !== undefined ? Number(flags.seed) >>> 0 : Date.now() % 0x1_0000_0000;
const started = Date.now();
const budgetMs = Number(flags.minutes) * 60_000;
const deadlineAt = (share) => started + budgetMs * share;

/**
 * reddish as a child process: its error-level log lines are counted, its
 * peak RSS (VmHWM) is read before each stop, and an exit that nobody asked
 * for is a crash, after which it is started again on the same port.
 */
class WatchedReddish {
  constructor(port) {
    this.server = new Server('reddish', "node dist/cli.js --port {port} --loglevel warning --save ''", port, ROOT);
    this.crashes = [];
    this.errorLines = [];
    this.peakRss = 0;
    this.stopping = false;
    this.inFlight = [];
  }

  async start() {
    await this.server.start();
    const child = this.server.child;
    let pending = '';
    child.stdout.on('data', (data) => {
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        try {
          if (JSON.parse(line).level >= 50 && this.errorLines.length < 1000) this.errorLines.push(line);
        } catch { /* not a log line */ }
      }
    });
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.crashes.push({ code, signal, inFlight: this.inFlight.slice(-8), log: this.server.stderr.slice(-2000) });
      console.log(`  reddish exited (code ${code}, signal ${signal}); restarting it`);
      this.start().catch((error) => console.error(`  could not restart reddish: ${error.message}`));
    });
    this.timer = setInterval(() => this.sampleRss(), 1000);
    this.timer.unref();
  }

  sampleRss() {
    const pid = this.server.pid;
    if (!pid) return;
    try {
      const match = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) this.peakRss = Math.max(this.peakRss, Number(match[1]) * 1024);
    } catch { /* gone */ }
  }

  /** Remembers the last inputs sent, to name them if the server dies. */
  note(description) {
    this.inFlight.push(description);
    if (this.inFlight.length > 64) this.inFlight.splice(0, 32);
  }

  async stop() {
    this.sampleRss();
    clearInterval(this.timer);
    this.stopping = true;
    await this.server.stop();
  }
}

const [reddishPort, redisPort] = await freePorts(2);
const reddish = new WatchedReddish(reddishPort);
const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-fuzz-'));
const redis = new Server('redis', `redis-server --port {port} --bind 127.0.0.1 --save '' --appendonly no --dir ${redisDir}`, redisPort, ROOT);
await reddish.start();
await redis.start();
console.log(`seed ${seed} (replay with --seed ${seed}); reddish on ${reddishPort}, redis-server on ${redisPort}; at most ${flags.minutes} min`);

const progress = (label) => (done) => console.log(`  ${label}: ${fmtInt(done)} (${fmt((Date.now() - started) / 60_000, 1)} min)`);
const summary = [];
let findings = 0;
const show = (title, list) => {
  if (list.length === 0) return;
  console.log(`  ${title}:`);
  for (const item of list.slice(0, 10)) console.log('   ', JSON.stringify(item));
};

try {
  // 1. protocol
  const wantInputs = Number(flags.inputs);
  if (wantInputs > 0) {
    console.log(`protocol: ${fmtInt(wantInputs)} inputs over ${flags.lanes} lanes`);
    const result = await runProtocolFuzz({
      seed,
      inputs: wantInputs,
      lanes: Number(flags.lanes),
      reddish: { port: reddishPort },
      redis: { port: redisPort },
      deadline: deadlineAt(0.6),
      onProgress: progress('inputs'),
      onInput: (lane, index, input) => reddish.note(`protocol lane ${lane} input ${index} (${input.kind})`),
      startBystander: startWorkerBystander,
    });
    show('mismatches with redis-server', result.mismatches);
    show('internal errors', result.internalErrors);
    show('connections reddish did not close', result.hangs);
    show('reddish bystander failures', result.reddishBystander.failures);
    const bystanderFailures = result.reddishBystander.failures.length;
    findings += result.mismatchCount + result.internalErrors.length + result.hangs.length + bystanderFailures;
    summary.push(['protocol inputs', fmtInt(result.inputs), result.inputs < wantInputs ? 'time limit' : '',
      `${result.mismatchCount} mismatches, ${result.internalErrors.length} internal errors, ${result.hangs.length} hangs, ${bystanderFailures} bystander failures`]);
    summary.push(['bystander worst latency (ms)', '', '', `reddish ${fmt(result.reddishBystander.worstLatencyMs, 1)}, redis-server ${fmt(result.redisBystander.worstLatencyMs, 1)} (${fmtInt(result.reddishBystander.rounds)} / ${fmtInt(result.redisBystander.rounds)} rounds)`]);
  }

  // 2. commands
  const wantCommands = Number(flags.commands);
  if (wantCommands > 0) {
    console.log(`commands: ${fmtInt(wantCommands)}`);
    const result = await runCommandFuzz({
      seed,
      commands: wantCommands,
      endpoint: { port: reddishPort },
      deadline: deadlineAt(0.85),
      onProgress: (done) => {
        reddish.note(`command ${done}`);
        progress('commands')(done);
      },
    });
    show('internal errors', result.internalErrors);
    show('connections closed', result.closes);
    show('commands that never answered', result.hangs);
    findings += result.internalErrorCount + result.closes.length + result.hangs.length;
    summary.push(['commands', fmtInt(result.commands), result.commands < wantCommands ? 'time limit' : '',
      `${result.internalErrorCount} internal errors, ${result.closes.length} dropped connections, ${result.hangs.length} hangs; ${result.calls.size} distinct commands`]);
  }

  // 3. chunks
  const wantChunks = Number(flags.chunks);
  if (wantChunks > 0) {
    console.log(`LOADCHUNK dumps: ${fmtInt(wantChunks)}`);
    const result = await runChunkFuzz({
      seed,
      trials: wantChunks,
      endpoint: { port: reddishPort },
      deadline: deadlineAt(1),
      onProgress: progress('dumps'),
      onTrial: (trial, kind) => reddish.note(`LOADCHUNK trial ${trial} (${kind})`),
    });
    show('internal errors', result.internalErrors);
    show('failures', result.failures);
    findings += result.internalErrorCount + result.failures.length;
    summary.push(['LOADCHUNK dumps', fmtInt(result.trials), result.trials < wantChunks ? 'time limit' : '',
      `${result.internalErrorCount} internal errors, ${result.failures.length} failures; ${fmtInt(result.loaded)} loaded, ${fmtInt(result.refused)} refused, ${fmtInt(result.big)} too big to walk`]);
  }
} finally {
  await reddish.stop();
  await redis.stop();
  fs.rmSync(redisDir, { recursive: true, force: true });
}

show('crashes', reddish.crashes);
show('error lines in reddish\'s log', reddish.errorLines);
findings += reddish.crashes.length + reddish.errorLines.length;
summary.push(['crashes', String(reddish.crashes.length), '', '']);
summary.push(['error lines in reddish\'s log', String(reddish.errorLines.length), '', '']);
summary.push(['reddish peak RSS (MB)', fmt(reddish.peakRss / 1024 / 1024, 1), '', '']);
console.log();
console.log(textTable(['', 'tried / value', 'stopped by', 'found'], summary));
console.log(`${fmt((Date.now() - started) / 60_000, 1)} min; seed ${seed}; ${findings === 0 ? 'nothing found' : `${findings} findings`}`);
process.exitCode = findings === 0 ? 0 : 1;
