#!/usr/bin/env node
// What call() pays per command for the slow log, the latency monitor and
// latency tracking: the two threshold comparisons, the blocked check and
// one histogram increment, timed alone against the commandstats sum they
// sit next to. Best of 40 alternating trials, so that a loaded machine
// shows the uncontended figure.
//
//   npm run build && node bench/micro/call-timing.mjs
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const { LatencyMonitor } = await import(pathToFileURL(path.join(dist, 'server/latency-monitor.js')).href);
const { SlowLog } = await import(pathToFileURL(path.join(dist, 'server/slowlog.js')).href);

const server = { latency: new LatencyMonitor(() => Date.now()), slowlog: new SlowLog() };
const client = { blocked: false };
const statsOnly = { usec: 0 };
const stats = { usec: 0, histogram: null };
const N = 2_000_000;
const TRIALS = 40;
// Durations of 0.3-5.3 µs, what fast commands take.
const durations = Float64Array.from({ length: 4096 }, () => 0.3 + Math.random() * 5);
let slow = 0;

function commandstatsOnly() {
  for (let i = 0; i < N; i++) statsOnly.usec += durations[i & 4095];
}

function withTimingConsumers() {
  for (let i = 0; i < N; i++) {
    const durationUs = durations[i & 4095];
    stats.usec += durationUs;
    const latency = server.latency;
    if (client.blocked) latency.rememberBlockedCall(client, durationUs);
    else if (latency.tracking) latency.recordCommand(stats, durationUs);
    if (durationUs >= server.slowlog.slowerThanUs || durationUs >= latency.commandThresholdUs) slow++;
  }
}

let base = Infinity;
let candidate = Infinity;
for (let t = 0; t < TRIALS; t++) {
  let started = performance.now();
  commandstatsOnly();
  base = Math.min(base, performance.now() - started);
  started = performance.now();
  withTimingConsumers();
  candidate = Math.min(candidate, performance.now() - started);
}
const ns = (ms) => ((ms * 1e6) / N).toFixed(2);
console.log(`ns per command: commandstats only ${ns(base)}, with the timing consumers ${ns(candidate)}, added ${ns(candidate - base)} (slow calls: ${slow})`);
