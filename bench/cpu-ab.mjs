#!/usr/bin/env node
// Build against build, round by round: the figure to read a "keep
// throughput as it is" change against on a shared, noisy machine.
//
// Throughput on this 2-core machine moves by 20-130% between rounds (see
// bench/README.md), for two reasons this script is built around:
// - The host's load drifts. Both builds are alive together and each test
//   runs on them back to back (the order rotating every round), so the two
//   runs of a pair see nearly the same load; the report takes the median
//   of the pairs' ratios, not a ratio of medians.
// - One process is one draw of V8's optimisation choices (what got
//   inlined, when code was tiered up): session 13 measured the same two
//   builds at +9% and -5% server CPU for LPUSH in two runs of one
//   long-lived process each. Every round therefore starts both builds
//   afresh and warms them, so the median is over as many processes as
//   rounds.
// Each run records the server's CPU per request (utime + stime from /proc,
// which leaves out the time it waits for a CPU) and redis-benchmark's
// requests per second.
//
//   node bench/cpu-ab.mjs --base-dist /path/to/old/dist [--dist dist]
//        [--tests SET,INCR:1,MSET:16:100000,...] [--rounds 7] [--requests 400000]
//        [--json FILE]
//
// A test is NAME[:PIPELINE[:REQUESTS]] (pipeline 16 and --requests unless
// given). LPOP, RPOP, SPOP and ZPOPMIN pop what the test before them
// pushed, so list them after LPUSH, RPUSH, SADD, ZADD; every other test
// starts on an empty server. Prints, per test, each build's median CPU µs
// per request and the paired changes of throughput and CPU (negative: the
// candidate is slower or costs more). --json writes every round's figures,
// so runs made apart can be pooled.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const args = process.argv.slice(2);
function flag(name, fallback) {
  const i = args.indexOf('--' + name);
  return i === -1 ? fallback : args[i + 1];
}
const baseDist = flag('base-dist', null);
const candDist = flag('dist', path.resolve('dist'));
const requests = Number(flag('requests', '400000'));
const tests = flag('tests', 'SET,GET,INCR,LPUSH,RPUSH,SADD,HSET,ZADD')
  .split(',')
  .map((spec) => {
    const [name, pipeline = '16', n = String(requests)] = spec.split(':');
    return { id: spec, name: name.toLowerCase(), pipeline: Number(pipeline), requests: Number(n) };
  });
const rounds = Number(flag('rounds', '7'));
const jsonPath = flag('json', null);
if (baseDist === null || tests.some((t) => !(t.pipeline >= 1 && t.requests >= 1)) || !(rounds >= 1)) {
  console.error('usage: node bench/cpu-ab.mjs --base-dist DIR [--dist DIR] [--tests NAME[:P[:N]],...] [--rounds N] [--requests N] [--json FILE]');
  process.exit(2);
}
/** Tests that consume what the test before them left; the others start from FLUSHALL. */
const POPS = new Set(['lpop', 'rpop', 'spop', 'zpopmin']);

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function cpuSeconds(pid) {
  // Fields 14 and 15 (utime, stime) after the command name in parentheses.
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startBuild(dist) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dist, 'cli.js'), '--port', String(port), '--loglevel', 'warning', '--save', ''], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'PING'], { stdio: 'pipe' });
      return { child, port };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${dist} did not start`);
}

/** One redis-benchmark run; returns its requests per second. */
function benchmark(port, name, pipeline, n) {
  const out = execFileSync(
    'redis-benchmark',
    ['-p', String(port), '-c', '50', '-P', String(pipeline), '-r', '100000', '-n', String(n), '--csv', '-t', name],
    { stdio: 'pipe', encoding: 'latin1', timeout: 600_000 },
  );
  // The last CSV line is the test itself (LRANGE_* prints its LPUSH first).
  const last = out.trim().split('\n').at(-1);
  return Number(last.split(',')[1].replaceAll('"', ''));
}

const builds = [
  { label: 'base', dist: baseDist },
  { label: 'candidate', dist: candDist },
];
/** samples[test.id][round] = { base: {cpu, rps}, candidate: {cpu, rps} } */
const samples = Object.fromEntries(tests.map((t) => [t.id, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? builds : [...builds].reverse();
  const servers = new Map();
  try {
    for (const build of order) servers.set(build.label, await startBuild(build.dist));
    // Warm-up, so JIT tiers are reached before anything is measured.
    for (const build of order) {
      const { port } = servers.get(build.label);
      execFileSync('redis-benchmark', ['-p', String(port), '-c', '50', '-P', '16', '-r', '100000', '-n', '200000', '-q', '-t', 'set,get,mset,lpush,sadd,hset,zadd'], {
        stdio: 'pipe',
      });
    }
    for (const t of tests) {
      const pair = {};
      for (const build of order) {
        const { child, port } = servers.get(build.label);
        if (!POPS.has(t.name)) execFileSync('redis-cli', ['-p', String(port), 'FLUSHALL'], { stdio: 'pipe' });
        const before = cpuSeconds(child.pid);
        const rps = benchmark(port, t.name, t.pipeline, t.requests);
        const after = cpuSeconds(child.pid);
        pair[build.label] = { cpu: ((after - before) * 1e6) / t.requests, rps };
      }
      samples[t.id].push(pair);
    }
  } finally {
    for (const { child } of servers.values()) child.kill('SIGKILL');
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
console.log(`paired per round (both builds fresh each round, -c 50), median of ${rounds} rounds`);
console.log('| test | base CPU µs/req | candidate CPU µs/req | throughput, paired | CPU, paired | pairs within ±10% |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const t of tests) {
  const pairs = samples[t.id];
  const rpsRatios = pairs.map((p) => p.candidate.rps / p.base.rps);
  // Positive when the candidate spends less CPU per request.
  const cpuRatios = pairs.map((p) => p.base.cpu / p.candidate.cpu);
  const steady = rpsRatios.filter((r) => Math.abs(r - 1) <= 0.1).length;
  console.log(
    `| ${t.name.toUpperCase()} -P ${t.pipeline} | ${median(pairs.map((p) => p.base.cpu)).toFixed(3)} | ${median(pairs.map((p) => p.candidate.cpu)).toFixed(3)} | ${pct(median(rpsRatios) - 1)} | ${pct(median(cpuRatios) - 1)} | ${steady}/${pairs.length} |`,
  );
}
if (jsonPath !== null) {
  // samples[test][round] = { base: { cpu, rps }, candidate: { cpu, rps } }, cpu in µs per request.
  writeFileSync(jsonPath, JSON.stringify({ date: new Date().toISOString(), baseDist, candDist, rounds, tests, samples }, null, 1) + '\n');
}
