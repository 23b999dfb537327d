/**
 * SLOWLOG, LATENCY and latency tracking over the wire: a DEBUG SLEEP is
 * logged with its real duration, latency events are recorded above the
 * threshold (and only then), other parts of the server record their events
 * through server.latency.sample, and the histograms follow latency-tracking.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const t = useServer({ ioredis: false, config: { 'enable-debug-command': 'yes' } });
const { callJs } = t;

afterEach(async () => {
  await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '10000', 'latency-monitor-threshold', '0', 'latency-tracking', 'yes');
  await callJs('SLOWLOG', 'RESET');
  await callJs('LATENCY', 'RESET');
});

type SlowlogEntry = [number, number, number, string[], string, string];

// First in the file: CONFIG RESETSTAT empties the statistics that the command-coverage gate reads at close.
describe('latency tracking', () => {
  it('keeps a histogram per command while latency-tracking is on, reported by INFO latencystats', async () => {
    await callJs('CONFIG', 'RESETSTAT');
    for (let i = 0; i < 10; i++) await callJs('INCR', 'n');
    const info = (await callJs('INFO', 'latencystats')) as string;
    expect(info).toMatch(/^latency_percentiles_usec_incr:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r$/m);
    const [name, cdf] = (await callJs('LATENCY', 'HISTOGRAM', 'incr')) as [string, [string, number, string, number[]]];
    expect(name).toBe('incr');
    expect(cdf[0]).toBe('calls');
    expect(cdf[1]).toBe(10);
    expect(cdf[3].at(-1)).toBe(10);
    await callJs('CONFIG', 'SET', 'latency-tracking', 'no', 'latency-tracking-info-percentiles', '50');
    for (let i = 0; i < 5; i++) await callJs('INCR', 'n');
    const [, untracked] = (await callJs('LATENCY', 'HISTOGRAM', 'incr')) as [string, [string, number]];
    expect(untracked[1]).toBe(10);
    expect(await callJs('INFO', 'latencystats')).toMatch(/^latency_percentiles_usec_incr:p50=\d+\.\d{3}\r$/m);
    await callJs('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
  });
});

describe('SLOWLOG', () => {
  it('logs a DEBUG SLEEP with a duration that covers the sleep, and only calls past the threshold', async () => {
    await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '20000');
    await callJs('SLOWLOG', 'RESET');
    const before = Math.floor(Date.now() / 1000);
    await callJs('SET', 'fast', '1');
    await callJs('DEBUG', 'SLEEP', '0.05');
    await callJs('GET', 'fast');
    // Off before reading, so that a slow SLOWLOG GET on a loaded machine does not log itself.
    await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const entries = (await callJs('SLOWLOG', 'GET', '-1')) as SlowlogEntry[];
    // On a loaded machine a fast call may pass 20 ms too; whatever is logged did.
    for (const entry of entries) expect(entry[2]).toBeGreaterThanOrEqual(20_000);
    const sleeps = entries.filter((entry) => entry[3][0] === 'DEBUG');
    expect(sleeps).toHaveLength(1);
    const [id, time, durationUs, argv, peer, name] = sleeps[0]!;
    expect(typeof id).toBe('number');
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    // DEBUG SLEEP sleeps at least 50 ms; a loaded machine may add, never take away.
    expect(durationUs).toBeGreaterThanOrEqual(50_000);
    expect(durationUs).toBeLessThan(5_000_000);
    expect(argv).toEqual(['DEBUG', 'SLEEP', '0.05']);
    expect(peer).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(name).toBe('');
    expect(await callJs('SLOWLOG', 'LEN')).toBe(entries.length);
  });

  it('numbers entries on across a RESET and drops the oldest past slowlog-max-len', async () => {
    await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '3');
    for (let i = 0; i < 6; i++) await callJs('ECHO', String(i));
    await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
    const entries = (await callJs('SLOWLOG', 'GET', '-1')) as SlowlogEntry[];
    expect(entries.map((e) => e[3])).toEqual([['ECHO', '5'], ['ECHO', '4'], ['ECHO', '3']]);
    const ids = entries.map((e) => e[0]);
    expect(ids[0]! - ids[2]!).toBe(2);
    await callJs('SLOWLOG', 'RESET');
    await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await callJs('PING');
    const [next] = (await callJs('SLOWLOG', 'GET', '1')) as SlowlogEntry[];
    expect(next![0]).toBeGreaterThan(ids[0]!);
    await callJs('CONFIG', 'SET', 'slowlog-max-len', '128');
  });

  it('logs a served BLPOP with the time of its call and of serving, not of waiting', async () => {
    const waiter = await RawClient.connect(t.server.port);
    try {
      await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      const served = waiter.call('BLPOP', 'jobs', '0');
      while (t.server.server.blocking.blockedClients === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // Waiting 300 ms must not count: Redis logs c->duration plus the serving time.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await callJs('RPUSH', 'jobs', 'a');
      await served;
      await callJs('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      const entries = (await callJs('SLOWLOG', 'GET', '-1')) as SlowlogEntry[];
      const blpop = entries.filter((e) => e[3][0] === 'BLPOP');
      expect(blpop).toHaveLength(1);
      expect(blpop[0]![2]).toBeLessThan(300_000);
      // Logged once served, so after the RPUSH that served it.
      const rpush = entries.find((e) => e[3][0] === 'RPUSH')!;
      expect(blpop[0]![0]).toBeGreaterThan(rpush[0]);
    } finally {
      await waiter.close();
    }
  });
});

describe('a script that runs past busy-reply-threshold', () => {
  it('is logged and sampled once, with its whole time, when it ends', async () => {
    const spin =
      "local function now() local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000) end " +
      'local started = now() while now() - started < 200 do end return 1';
    await callJs('CONFIG', 'SET', 'busy-reply-threshold', '20', 'slowlog-log-slower-than', '150000', 'latency-monitor-threshold', '150');
    try {
      expect(await callJs('EVAL', spin, '0')).toBe(1);
    } finally {
      await callJs('CONFIG', 'SET', 'busy-reply-threshold', '5000');
    }
    const entries = (await callJs('SLOWLOG', 'GET', '-1')) as SlowlogEntry[];
    const evals = entries.filter((entry) => entry[3][0] === 'EVAL');
    expect(evals).toHaveLength(1);
    expect(evals[0]![2]).toBeGreaterThanOrEqual(200_000);
    const history = (await callJs('LATENCY', 'HISTORY', 'command')) as Array<[number, number]>;
    expect(Math.max(...history.map((sample) => sample[1]))).toBeGreaterThanOrEqual(200);
  });
});

describe('LATENCY', () => {
  it('records a command event above latency-monitor-threshold, and nothing below it', async () => {
    // Far above what a fast call takes even on a loaded machine.
    await callJs('CONFIG', 'SET', 'latency-monitor-threshold', '100');
    await callJs('DEBUG', 'SLEEP', '0.001');
    expect(await callJs('LATENCY', 'LATEST')).toEqual([]);
    await callJs('DEBUG', 'SLEEP', '0.15');
    const latest = (await callJs('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
    expect(latest).toHaveLength(1);
    const [event, time, latency, max] = latest[0]!;
    expect(event).toBe('command');
    expect(Math.abs(time - Date.now() / 1000)).toBeLessThan(5);
    expect(latency).toBeGreaterThanOrEqual(150);
    expect(max).toBe(latency);
    const history = (await callJs('LATENCY', 'HISTORY', 'command')) as Array<[number, number]>;
    expect(history).toEqual([[time, latency]]);
    const graph = (await callJs('LATENCY', 'GRAPH', 'command')) as string;
    expect(graph.startsWith(`command - high ${latency} ms, low ${latency} ms (all time high ${latency} ms)\n${'-'.repeat(80)}\n`)).toBe(true);
    const doctor = (await callJs('LATENCY', 'DOCTOR')) as string;
    expect(doctor).toContain(`1. command: 1 latency spikes (average ${latency}ms, mean deviation 0ms, period 1.00 sec). Worst all time event ${latency}ms.`);
    expect(doctor).toContain('- Check your Slow Log');
    expect(await callJs('LATENCY', 'RESET', 'COMMAND')).toBe(1);
    expect(await callJs('LATENCY', 'LATEST')).toEqual([]);
  });

  it('takes events from other parts of the server through server.latency.sample', async () => {
    const latency = t.server.server.latency;
    latency.sample('eviction-cycle', 500);
    expect(await callJs('LATENCY', 'LATEST')).toEqual([]);
    await callJs('CONFIG', 'SET', 'latency-monitor-threshold', '100');
    latency.sample('eviction-cycle', 99);
    latency.sample('eviction-cycle', 150);
    latency.sample('eviction-cycle', 120);
    const latest = (await callJs('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
    // Samples of one second keep its worst.
    expect(latest.filter((e) => e[0] === 'eviction-cycle').map((e) => [e[2], e[3]])).toEqual([[150, 150]]);
    expect(await callJs('LATENCY', 'DOCTOR')).toContain('- Sudden changes to the \'maxmemory\' setting');
  });

  it('records the active expiry cycle as expire-cycle when it runs long', async () => {
    const server = t.server.server;
    await callJs('CONFIG', 'SET', 'latency-monitor-threshold', '1');
    await callJs('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      const db = server.keyspace.databases[0]!;
      const now = server.clock.now();
      // Enough expired keys that one cycle takes over a millisecond.
      for (let i = 0; i < 50_000; i++) {
        db.set('volatile:' + i, 'v');
        db.setExpire('volatile:' + i, now - 1);
      }
      server.activeExpiry.enabled = true;
      server.config.setMany([['hz', '1']]);
      server.activeExpiry.cycle();
      const history = (await callJs('LATENCY', 'HISTORY', 'expire-cycle')) as Array<[number, number]>;
      // The cycle's own timer may have added a sample of another second.
      expect(history.length).toBeGreaterThanOrEqual(1);
      expect(history.at(-1)![1]).toBeGreaterThanOrEqual(1);
    } finally {
      server.config.setMany([['hz', '10']]);
      await callJs('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    }
  });
});

describe('HELP', () => {
  it('lists the subcommands of SLOWLOG and LATENCY', async () => {
    const slowlogHelp = (await callJs('SLOWLOG', 'HELP')) as string[];
    expect(slowlogHelp[0]).toBe('SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(slowlogHelp).toContain('GET [<count>]');
    const latencyHelp = (await callJs('LATENCY', 'HELP')) as string[];
    expect(latencyHelp[0]).toBe('LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(latencyHelp).toContain('HISTOGRAM [COMMAND ...]');
    expect(latencyHelp.at(-1)).toBe('    Prints this help.');
  });
});
