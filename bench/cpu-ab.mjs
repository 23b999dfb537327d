#!/usr/bin/env node
// Server CPU per operation, build against build: the figure to read a
// "keep throughput as it is" change against on a shared, noisy machine.
//
// Throughput on this 2-core machine moves by 20-130% between rounds (see
// bench/README.md), because the benchmark client and other work compete
// with the server for the CPUs. The CPU time the server itself spends per
// command (utime + stime from /proc/<pid>/stat over a fixed redis-benchmark
// run) moves far less: it does not count the time the server waits. Each
// round starts both builds fresh and runs every test on each, alternating
// which goes first; the medians over the rounds are compared.
//
//   node bench/cpu-ab.mjs --base-dist /path/to/old/dist [--dist dist]
//        [--tests SET,INCR,...] [--rounds 7] [--requests 400000]
//
// Prints, per test, the median µs of server CPU per request of each build
// and the change (candidate against base; negative = the candidate costs more).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const args = process.argv.slice(2);
function flag(name, fallback) {
  const i = args.indexOf('--' + name);
  return i === -1 ? fallback : args[i + 1];
}
const baseDist = flag('base-dist', null);
const candDist = flag('dist', path.resolve('dist'));
const tests = flag('tests', 'SET,GET,INCR,LPUSH,RPUSH,SADD,HSET,ZADD').split(',');
const rounds = Number(flag('rounds', '7'));
const requests = Number(flag('requests', '400000'));
if (baseDist === null) {
  console.error('usage: node bench/cpu-ab.mjs --base-dist DIR [--dist DIR] [--tests A,B] [--rounds N] [--requests N]');
  process.exit(2);
}

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

function benchmark(port, test) {
  execFileSync('redis-cli', ['-p', String(port), 'FLUSHALL'], { stdio: 'pipe' });
  const testArgs = ['-t', test.toLowerCase()];
  execFileSync('redis-benchmark', ['-p', String(port), '-c', '50', '-P', '16', '-r', '100000', '-n', String(requests), '-q', ...testArgs], { stdio: 'pipe' });
}

const samples = { base: {}, cand: {} };
for (const t of tests) {
  samples.base[t] = [];
  samples.cand[t] = [];
}
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ['base', 'cand'] : ['cand', 'base'];
  for (const which of order) {
    const server = await startBuild(which === 'base' ? baseDist : candDist);
    try {
      // One warm-up run, so JIT tiers are reached before anything is timed.
      benchmark(server.port, 'SET');
      for (const t of tests) {
        const before = cpuSeconds(server.child.pid);
        benchmark(server.port, t);
        const after = cpuSeconds(server.child.pid);
        samples[which][t].push(((after - before) * 1e6) / requests);
      }
    } finally {
      server.child.kill('SIGKILL');
    }
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => (Math.max(...xs) - Math.min(...xs)) / median(xs);
console.log(`server CPU µs per request, -P 16 -c 50, ${requests} requests, median of ${rounds} rounds`);
console.log('| test | base µs/req | candidate µs/req | change | base spread | candidate spread |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const t of tests) {
  const b = median(samples.base[t]);
  const c = median(samples.cand[t]);
  const change = ((b - c) / b) * 100;
  console.log(
    `| ${t} | ${b.toFixed(3)} | ${c.toFixed(3)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)}% | ${(spread(samples.base[t]) * 100).toFixed(0)}% | ${(spread(samples.cand[t]) * 100).toFixed(0)}% |`,
  );
}
