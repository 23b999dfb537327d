/**
 * The latency monitor (Redis's latency.c) and per-command latency
 * tracking (INFO latencystats, LATENCY HISTOGRAM).
 *
 * The monitor keeps, per event, the latest 160 one-second samples of
 * latencies of at least `latency-monitor-threshold` ms (0 turns it off)
 * and the worst latency ever seen. Events are recorded where Redis records
 * its own: `command` and `fast-command` (call()), `command-unblocking`
 * (serving a blocked client), `expire-cycle` (the active expiry cycle).
 * Other parts of the server record theirs with one call:
 *
 *     server.latency.sample('eviction-cycle', ms);
 *     server.latency.sample('aof-fsync-always', ms);
 *
 * `sample` is latencyAddSampleIfNeeded: below the threshold it does
 * nothing.
 */
import fs from 'node:fs';
import type { Client } from '../commands/types.js';
import type { CommandStats } from '../commands/table.js';
import { LatencyHistogram } from './hdr-histogram.js';

/** LATENCY_TS_LEN: samples kept per event. */
export const LATENCY_TS_LEN = 160;

/** latencySample: the worst latency (ms) of one second (Unix seconds). */
export interface LatencySample {
  time: number;
  latency: number;
}

/** latencyTimeSeries: a ring of the latest samples and the all-time maximum. */
export class LatencyTimeSeries {
  /** Where the next sample goes; samples with time 0 are unused slots. */
  idx = 0;
  max = 0;
  readonly samples: LatencySample[] = Array.from({ length: LATENCY_TS_LEN }, () => ({ time: 0, latency: 0 }));

  /** The samples oldest first, skipping unused slots. */
  inOrder(): LatencySample[] {
    const out: LatencySample[] = [];
    for (let j = 0; j < LATENCY_TS_LEN; j++) {
      const sample = this.samples[(this.idx + j) % LATENCY_TS_LEN]!;
      if (sample.time !== 0) out.push(sample);
    }
    return out;
  }

  get latest(): LatencySample {
    return this.samples[(this.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]!;
  }
}

export class LatencyMonitor {
  /** Events by name, in the order they first happened. */
  readonly events = new Map<string, LatencyTimeSeries>();
  /** latency-monitor-threshold in ms; 0 is off. */
  thresholdMs = 0;
  /**
   * The threshold as call() compares a command's µs with it: Infinity while
   * the monitor is off. duration/1000 >= threshold (integer ms) is
   * duration >= threshold * 1000.
   */
  commandThresholdUs = Infinity;
  /** latency-tracking: call() records every command's duration in its histogram. */
  tracking = true;
  /** latency-tracking-info-percentiles */
  percentiles: readonly number[] = [50, 99, 99.9];
  /** c->duration of a blocking command's first call, until it is served (updateStatsOnUnblock). */
  private readonly blockedCallUs = new WeakMap<Client, number>();

  constructor(
    /** Unix time in ms (Redis's time(NULL)). */
    private readonly wallClock: () => number,
  ) {}

  setThreshold(ms: number): void {
    this.thresholdMs = ms;
    this.commandThresholdUs = ms === 0 ? Infinity : ms * 1000;
  }

  /**
   * Whether latency-monitor-threshold is set. Code that times an event for
   * `sample` reads the clock only while this holds, as latencyStartMonitor
   * reads none with the monitor off.
   */
  get monitoring(): boolean {
    return this.thresholdMs !== 0;
  }

  /** latencyAddSampleIfNeeded: records `ms` for `event` when the monitor is on and it reaches the threshold. */
  sample(event: string, ms: number): void {
    if (this.thresholdMs !== 0 && ms >= this.thresholdMs) this.add(event, Math.floor(ms));
  }

  /** latencyAddSample: one second keeps only its worst sample. */
  add(event: string, ms: number): void {
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = new LatencyTimeSeries();
      this.events.set(event, ts);
    }
    const now = Math.floor(this.wallClock() / 1000);
    if (ms > ts.max) ts.max = ms;
    const prev = ts.samples[(ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN]!;
    if (prev.time === now) {
      if (ms > prev.latency) prev.latency = ms;
      return;
    }
    const slot = ts.samples[ts.idx]!;
    slot.time = now;
    slot.latency = ms;
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** latencyResetEvent: the events reset (all with no name; the name is matched without case). */
  reset(event?: string): number {
    let resets = 0;
    for (const name of [...this.events.keys()]) {
      if (event === undefined || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        resets++;
      }
    }
    return resets;
  }

  /** updateCommandLatencyHistogram, for `durationUs` of one call of the command with `stats`. */
  recordCommand(stats: CommandStats, durationUs: number): void {
    (stats.histogram ??= new LatencyHistogram()).record(durationUs * 1000);
  }

  /** call() saw the client block: its first call's time joins the time of serving it. */
  rememberBlockedCall(c: Client, durationUs: number): void {
    this.blockedCallUs.set(c, durationUs);
  }

  /** The first call's time of a blocked command being served (0 if unknown), forgotten once read. */
  takeBlockedCall(c: Client): number {
    const us = this.blockedCallUs.get(c) ?? 0;
    this.blockedCallUs.delete(c);
    return us;
  }
}

/**
 * THPGetAnonHugePagesSize: transparent huge pages the process uses, in
 * bytes (LATENCY DOCTOR warns about them); 0 where /proc can't tell.
 */
export function anonHugePagesBytes(): number {
  try {
    const m = /^AnonHugePages:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/smaps_rollup', 'latin1'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
