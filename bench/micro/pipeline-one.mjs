#!/usr/bin/env node
// The server's own cost per pipelined command, for ONE build per process:
// the same path as pipeline-ab.mjs (Connection.receive() on a socket
// stand-in, batches of 16 commands unless --pipeline says otherwise, the
// end-of-turn write), but without the other build in the same heap. Run it
// once per build, alternating, and compare the lowest figures: the
// machine's other tenants only ever add time.
//
// Why a second script: with both builds in one process, each build's
// figures move with what the other one left in the heap and the JIT's
// shared state. Session 10 measured SET at -34% between 3a86059 and main
// that way, and -10% (medians) with a process per build.
//
//   npm run build && node bench/micro/pipeline-one.mjs [--dist dist] [--test INCR] [--seconds 2] [--pipeline 16] [--config '{"latency-tracking":"no"}'] [--warm]
//
// --warm first runs the commands of bench/cpu-ab.mjs's warm-up (SET, GET,
// MSET, LPUSH, SADD, HSET, ZADD), then FLUSHALL, as a server under
// redis-benchmark has. Without it every call site has seen one command
// only, so a load that is megamorphic in the server (a spec's field, with
// specs of many shapes) is monomorphic here and costs nothing: session 14
// found dispatch's entry.spec loads that way, on the wire, after in-process
// runs had shown main ahead of 3a86059.
//
// --pipeline 1 feeds one command per read, as redis-benchmark -P 1 sends
// them, so each command also pays a whole read and end-of-turn write.
//
// Prints one line: the test and the ns per command (wall and CPU).
import path from 'node:path';
import { COMMANDS, encode, feedBatches, loadBuild, makeBatches } from './pipeline-common.mjs';

const args = process.argv.slice(2);
function flag(name, fallback) {
  const i = args.indexOf('--' + name);
  return i === -1 ? fallback : args[i + 1];
}
const dist = path.resolve(flag('dist', 'dist'));
const test = flag('test', 'INCR');
const seconds = Number(flag('seconds', '2'));
const perBatch = Number(flag('pipeline', '16'));
const config = JSON.parse(flag('config', '{}'));
const warm = args.includes('--warm');
if (COMMANDS[test] === undefined) {
  console.error(`unknown test ${test}: one of ${Object.keys(COMMANDS).join(', ')}`);
  process.exit(2);
}

const batches = makeBatches(test, perBatch);
const build = await loadBuild(dist, config);
if (warm) {
  for (const name of ['SET', 'GET', 'MSET10', 'LPUSH', 'SADD', 'HSET', 'ZADD']) feedBatches(build, makeBatches(name, perBatch), 0, 2000);
  const flush = Buffer.from(encode(['FLUSHALL']), 'latin1');
  build.connection.receive(flush, flush.length);
  build.server.pendingWrites.flush();
}
// Pop tests need something to pop: the benchmark's prepState gives LPOP and
// RPOP a list as long as the run. 8M elements outlast any 2 s run here.
if (test === 'LPOP' || test === 'RPOP') {
  const push = Buffer.from(encode(['RPUSH', 'mylist', ...new Array(500).fill('VXK')]), 'latin1');
  for (let i = 0; i < 16000; i++) {
    build.connection.receive(push, push.length);
    build.server.pendingWrites.flush();
  }
}
const started = performance.now();
const cpuStarted = process.cpuUsage();
const end = started + seconds * 1000;
let sent = 0;
while (performance.now() < end) {
  feedBatches(build, batches, sent, 1000);
  sent += 1000;
}
// CPU time beside wall time: time stolen by the machine's other tenants
// counts in the wall figure only.
const cpu = process.cpuUsage(cpuStarted);
const perCommand = (ms) => ((ms * 1e6) / (sent * perBatch)).toFixed(0);
console.log(test, perCommand(performance.now() - started), 'ns/cmd', perCommand((cpu.user + cpu.system) / 1000), 'cpu-ns/cmd');
process.exit(0);
