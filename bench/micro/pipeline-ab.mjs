#!/usr/bin/env node
// The server's own cost per pipelined command, build against build, with
// no network and no benchmark client: each build's Server and Connection
// are loaded into this one process (two separate module graphs), fed the
// same pre-encoded batches of 16 commands through Connection.receive() on
// a socket stand-in that drops the replies, and timed in short trials that
// alternate between the builds.
//
// Why: on the shared 2-core machine, redis-benchmark throughput and even
// the server's CPU time per request scatter by 20-45% between rounds
// (bench/cpu-ab.mjs), which hides a 3% change. Here both builds run the
// same code path (parse, dispatch, call, handler, reply, end-of-turn
// write) on the same core, interleaved, so machine noise hits both alike.
// What it leaves out: the kernel's socket work, which a server change does
// not touch.
//
//   npm run build && node --expose-gc bench/micro/pipeline-ab.mjs --base-dist /path/to/old/dist [--dist dist]
//        [--tests SET,GET,...] [--trials 15] [--batches 2000]
import path from 'node:path';
import { feedBatches, loadBuild, makeBatches } from './pipeline-common.mjs';

const args = process.argv.slice(2);
function flag(name, fallback) {
  const i = args.indexOf('--' + name);
  return i === -1 ? fallback : args[i + 1];
}
const baseDist = flag('base-dist', null);
const candDist = path.resolve(flag('dist', 'dist'));
const trials = Number(flag('trials', '15'));
const batchesPerTrial = Number(flag('batches', '2000'));
if (baseDist === null) {
  console.error('usage: node bench/micro/pipeline-ab.mjs --base-dist DIR [--dist DIR] [--tests A,B] [--trials N] [--batches N]');
  process.exit(2);
}
const tests = flag('tests', 'PING,SET,GET,INCR,MSET,LPUSH,RPUSH,LPOP,SADD,HSET,ZADD').split(',');

function runTrial(build, batches) {
  // A full collection before each trial, so that no trial pays for the
  // garbage of the one before (run with --expose-gc).
  globalThis.gc?.();
  const started = process.hrtime.bigint();
  feedBatches(build, batches, 0, batchesPerTrial);
  return Number(process.hrtime.bigint() - started) / (batchesPerTrial * 16);
}

const builds = { base: await loadBuild(path.resolve(baseDist)), cand: await loadBuild(candDist) };
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`ns per pipelined command (-P 16 batches, no network), median of ${trials} interleaved trials of ${batchesPerTrial * 16} commands`);
console.log('| test | base ns/cmd | candidate ns/cmd | change | base spread | candidate spread |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const test of tests) {
  const batches = makeBatches(test);
  const samples = { base: [], cand: [] };
  // Warm-up: both builds reach their optimised tiers before timing.
  for (let i = 0; i < 3; i++) for (const which of ['base', 'cand']) runTrial(builds[which], batches);
  for (let t = 0; t < trials; t++) {
    const order = t % 2 === 0 ? ['base', 'cand'] : ['cand', 'base'];
    for (const which of order) samples[which].push(runTrial(builds[which], batches));
  }
  const b = median(samples.base);
  const c = median(samples.cand);
  const spread = (xs) => ((Math.max(...xs) - Math.min(...xs)) / median(xs)) * 100;
  const change = ((b - c) / b) * 100;
  console.log(
    `| ${test} | ${b.toFixed(0)} | ${c.toFixed(0)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)}% | ${spread(samples.base).toFixed(0)}% | ${spread(samples.cand).toFixed(0)}% |`,
  );
  for (const which of ['base', 'cand']) builds[which].server.keyspace.databases[0].clear?.();
}
process.exit(0);
