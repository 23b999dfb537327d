/**
 * The latency histogram, the latency monitor's reports and the slow log's
 * argument trimming, checked against figures and texts captured from
 * redis-server 7.0.15 (INFO latencystats, LATENCY HISTOGRAM, LATENCY GRAPH
 * and DOCTOR after the same samples).
 */
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../../src/server/hdr-histogram.js';
import { LatencyMonitor, anonHugePagesBytes } from '../../../src/server/latency-monitor.js';
import { SlowLog } from '../../../src/server/slowlog.js';
import { latencyDoctor, latencyGraph } from '../../../src/commands/latency-report.js';
import { Config } from '../../../src/config.js';
import type { Client, ServerContext } from '../../../src/commands/types.js';

function histogramOf(...ns: number[]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const v of ns) h.record(v);
  return h;
}

describe('LatencyHistogram', () => {
  it("reports Redis's percentiles: each bucket's highest equivalent value", () => {
    // Redis: SET twice (8 and 16 µs) → p50=8.031,p99=16.063; MULTI (1, 2 µs) → p50=1.003,p99=2.007.
    const set = histogramOf(8000, 16000);
    expect([set.valueAtPercentile(50), set.valueAtPercentile(99), set.valueAtPercentile(99.9)]).toEqual([8031, 16063, 16063]);
    const multi = histogramOf(1000, 2000);
    expect([multi.valueAtPercentile(50), multi.valueAtPercentile(99)]).toEqual([1003, 2007]);
    expect(histogramOf(5000).valueAtPercentile(50)).toBe(5023);
    expect(histogramOf(1294000).valueAtPercentile(50)).toBe(1294335);
    expect(histogramOf(5000).valueAtPercentile(0)).toBe(4992);
  });

  it("walks LATENCY HISTOGRAM's buckets as Redis's log iterator does", () => {
    expect(histogramOf(8000, 16000).cumulativeDistribution()).toEqual([[8, 1], [16, 2]]);
    expect(histogramOf(1000, 2000).cumulativeDistribution()).toEqual([[1, 1], [2, 2]]);
    // The iterator stops on the slot past the reporting level: Redis prints 2113 for a 1294 µs call.
    expect(histogramOf(1294000).cumulativeDistribution()).toEqual([[2113, 1]]);
  });

  it('clamps values to [1 ns, 1 s] as updateCommandLatencyHistogram does', () => {
    const h = histogramOf(0, 5e9);
    expect(h.totalCount).toBe(2);
    expect(h.valueAtPercentile(0)).toBe(1);
    expect(h.valueAtPercentile(100)).toBeGreaterThanOrEqual(1e9);
  });
});

describe('LatencyMonitor', () => {
  it('records only at or above the threshold, and keeps the worst sample of each second', () => {
    let now = 1_000_000_000;
    const monitor = new LatencyMonitor(() => now);
    monitor.sample('command', 500);
    expect(monitor.events.size).toBe(0);
    monitor.setThreshold(10);
    monitor.sample('command', 9.9);
    monitor.sample('command', 12.7);
    monitor.sample('command', 11);
    now += 1000;
    monitor.sample('command', 10);
    const ts = monitor.events.get('command')!;
    expect(ts.inOrder()).toEqual([
      { time: 1_000_000, latency: 12 },
      { time: 1_000_001, latency: 10 },
    ]);
    expect(ts.max).toBe(12);
    expect(monitor.reset('COMMAND')).toBe(1);
    expect(monitor.events.size).toBe(0);
  });

  it("keeps the latest 160 samples of an event", () => {
    let now = 1_000_000_000;
    const monitor = new LatencyMonitor(() => now);
    for (let i = 1; i <= 200; i++) {
      monitor.add('expire-cycle', i);
      now += 1000;
    }
    const samples = monitor.events.get('expire-cycle')!.inOrder();
    expect(samples).toHaveLength(160);
    expect(samples[0]!.latency).toBe(41);
    expect(samples.at(-1)!.latency).toBe(200);
  });
});

/** Samples Redis recorded from DEBUG SLEEP 0.01, 0.05, 0.03 and 0.002, a second apart. */
function capturedSeries(): LatencyMonitor {
  const times = [1796329974, 1796329975, 1796329976, 1796329977];
  const latencies = [10, 50, 30, 2];
  let now = 0;
  const monitor = new LatencyMonitor(() => now);
  monitor.setThreshold(1);
  times.forEach((time, i) => {
    now = time * 1000;
    monitor.add('command', latencies[i]!);
  });
  return monitor;
}

describe('LATENCY GRAPH and DOCTOR texts', () => {
  it("draws Redis's sparkline", () => {
    const graph = latencyGraph('command', capturedSeries().events.get('command')!, 1796329978);
    expect(graph).toBe(
      'command - high 50 ms, low 2 ms (all time high 50 ms)\n' +
        '-'.repeat(80) +
        '\n #  \n |o \n || \n#||_\n    \n4321\nssss\n',
    );
  });

  it("writes Redis's report and advice", () => {
    const config = new Config({ 'slowlog-log-slower-than': -1 });
    const server = { config, latency: capturedSeries() } as unknown as ServerContext;
    const expected =
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
      '1. command: 4 latency spikes (average 23ms, mean deviation 17ms, period 1.25 sec). Worst all time event 50ms.\n' +
      '\nI have a few advices for you:\n\n' +
      "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than 1000'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n" +
      '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n' +
      '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
    const report = latencyDoctor(server, 1796329979);
    // The test process's own huge pages, if any, add Redis's THP advice at the end.
    if (anonHugePagesBytes() > 0) expect(report.startsWith(expected) && report.includes('anonymous huge pages')).toBe(true);
    else expect(report).toBe(expected);
  });
});

describe('SlowLog', () => {
  const client = { socketless: false, remoteAddress: '127.0.0.1:5000', name: 'app' } as Client;

  it('trims arguments as slowlogCreateEntry does', () => {
    const log = new SlowLog();
    log.setThreshold(0);
    const argv = ['RPUSH', 'k', ...Array.from({ length: 38 }, (_, i) => `e${i}`)];
    argv[1] = 'k'.repeat(130);
    log.push(client, argv, 12.9, 5_000_000, [2]);
    const [entry] = log.newest(1);
    expect(entry!.argv).toHaveLength(32);
    expect(entry!.argv[1]).toBe('k'.repeat(128) + '... (2 more bytes)');
    expect(entry!.argv[2]).toBe('(redacted)');
    expect(entry!.argv[31]).toBe('... (9 more arguments)');
    expect(entry!.durationUs).toBe(12);
    expect(entry!.time).toBe(5000);
    expect([entry!.peer, entry!.clientName]).toEqual(['127.0.0.1:5000', 'app']);
  });

  it('logs nothing while disabled, and keeps slowlog-max-len entries', () => {
    const log = new SlowLog();
    log.setThreshold(-1);
    log.push(client, ['PING'], 1e9, 0);
    expect(log.length).toBe(0);
    log.setThreshold(0);
    for (let i = 0; i < 5; i++) log.push(client, ['ECHO', String(i)], 1, 0);
    log.setMaxLen(2);
    expect(log.newest(10).map((e) => e.argv[1])).toEqual(['4', '3']);
  });
});
