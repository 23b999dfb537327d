/**
 * The texts of LATENCY GRAPH and LATENCY DOCTOR, as latency.c and
 * sparkline.c write them: the same ASCII art, the same sentences, the same
 * advice chosen by the same rules.
 */
import { LATENCY_TS_LEN, anonHugePagesBytes, type LatencyTimeSeries } from '../server/latency-monitor.js';
import { printfFixed } from './info.js';
import type { ServerContext } from './types.js';

/** LATENCY_GRAPH_COLS */
const GRAPH_COLS = 80;
/** sparkline.c's charsets: three heights per row, filled below. */
const CHARSET_FILL = '_o#';
const CHARSET_LEN = 3;
/** label_margin_top */
const LABEL_MARGIN_TOP = 1;
const GRAPH_ROWS = 4;

interface SparkSample {
  value: number;
  label: string | null;
}

/** latencyCommandGenSparkeline: the header, a rule and the sparkline with "how long ago" labels. */
export function latencyGraph(event: string, ts: LatencyTimeSeries, nowSeconds: number): string {
  const samples: SparkSample[] = [];
  let min = 0;
  let max = 0;
  let seqMin = 0;
  let seqMax = 0;
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const sample = ts.samples[(ts.idx + j) % LATENCY_TS_LEN]!;
    if (sample.time === 0) continue;
    if (samples.length === 0) {
      min = max = sample.latency;
    } else {
      if (sample.latency > max) max = sample.latency;
      if (sample.latency < min) min = sample.latency;
    }
    const elapsed = nowSeconds - sample.time;
    let label: string;
    if (elapsed < 60) label = `${elapsed}s`;
    else if (elapsed < 3600) label = `${Math.trunc(elapsed / 60)}m`;
    else if (elapsed < 3600 * 24) label = `${Math.trunc(elapsed / 3600)}h`;
    else label = `${Math.trunc(elapsed / (3600 * 24))}d`;
    // sparklineSequenceAddSample: min and max of the sequence, with its `else if`.
    if (samples.length === 0) seqMin = seqMax = sample.latency;
    else if (sample.latency < seqMin) seqMin = sample.latency;
    else if (sample.latency > seqMax) seqMax = sample.latency;
    samples.push({ value: sample.latency, label });
  }
  let graph = `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n`;
  graph += '-'.repeat(GRAPH_COLS) + '\n';
  // sparklineRender: one block of rows per 80 samples.
  for (let j = 0; j < samples.length; j += GRAPH_COLS) {
    if (j !== 0) graph += '\n';
    graph += renderRange(samples, seqMin, seqMax, j, Math.min(samples.length - j, GRAPH_COLS));
  }
  return graph;
}

/** sparklineRenderRange with SPARKLINE_FILL and 4 rows, then the labels written downwards. */
function renderRange(samples: readonly SparkSample[], min: number, max: number, offset: number, len: number): string {
  let relmax = max - min;
  if (relmax === 0) relmax = 1;
  const steps = CHARSET_LEN * GRAPH_ROWS;
  const hasLabels = samples.some((s) => s.label !== null);
  let out = '';
  for (let row = 0; ; row++) {
    let loop = false;
    const chars: string[] = new Array<string>(len).fill(' ');
    for (let j = 0; j < len; j++) {
      const s = samples[j + offset]!;
      const relval = s.value - min;
      // (int)(relval*steps)/relmax, then truncated again into an int.
      let step = Math.trunc(Math.trunc(relval * steps) / relmax);
      if (step < 0) step = 0;
      if (step >= steps) step = steps - 1;
      if (row < GRAPH_ROWS) {
        const charIndex = step - (GRAPH_ROWS - row - 1) * CHARSET_LEN;
        loop = true;
        if (charIndex >= 0 && charIndex < CHARSET_LEN) chars[j] = CHARSET_FILL[charIndex]!;
        else if (charIndex >= CHARSET_LEN) chars[j] = '|';
      } else {
        if (hasLabels && row - GRAPH_ROWS < LABEL_MARGIN_TOP) {
          loop = true;
          break;
        }
        if (s.label !== null) {
          const labelChar = row - GRAPH_ROWS - LABEL_MARGIN_TOP;
          if (s.label.length > labelChar) {
            loop = true;
            chars[j] = s.label[labelChar]!;
          }
        }
      }
    }
    if (!loop) break;
    out += chars.join('') + '\n';
  }
  return out;
}

/** latencyStats: what analyzeLatencyForEvent derives from an event's samples. */
interface LatencyStats {
  samples: number;
  avg: number;
  mad: number;
  period: number;
}

function analyze(ts: LatencyTimeSeries, nowSeconds: number): LatencyStats {
  const stats: LatencyStats = { samples: 0, avg: 0, mad: 0, period: 0 };
  let sum = 0;
  for (const sample of ts.samples) {
    if (sample.time === 0) continue;
    stats.samples++;
    sum += sample.latency;
    if (stats.period === 0 || sample.time < stats.period) stats.period = sample.time;
  }
  if (stats.samples !== 0) {
    stats.avg = Math.floor(sum / stats.samples);
    stats.period = nowSeconds - stats.period;
    if (stats.period === 0) stats.period = 1;
  }
  let deviations = 0;
  for (const sample of ts.samples) {
    if (sample.time !== 0) deviations += Math.abs(stats.avg - sample.latency);
  }
  if (stats.samples !== 0) stats.mad = Math.floor(deviations / stats.samples);
  return stats;
}

/** The advice createLatencyReport can give, in the order it prints it. */
type Advice =
  | 'betterVm'
  | 'slowlogEnabled'
  | 'slowlogTuning'
  | 'slowlogInspect'
  | 'scheduler'
  | 'localDisk'
  | 'ssd'
  | 'dataWriteback'
  | 'diskContention'
  | 'noAppendfsync'
  | 'relaxFsyncPolicy'
  | 'writeLoadInfo'
  | 'hz'
  | 'largeObjects'
  | 'massEviction'
  | 'disableThp';

/** Which advice each event brings, and how many pieces it counts as (advices += n). */
const EVENT_ADVICE: Record<string, readonly Advice[]> = {
  'fast-command': ['scheduler'],
  'aof-write-pending-fsync': ['localDisk', 'diskContention', 'ssd', 'dataWriteback'],
  'aof-write-active-child': ['noAppendfsync', 'dataWriteback', 'ssd'],
  'aof-write-alone': ['localDisk', 'dataWriteback', 'ssd'],
  'aof-fsync-always': ['relaxFsyncPolicy'],
  'aof-fstat': ['diskContention', 'localDisk'],
  'rdb-unlink-temp-file': ['diskContention', 'localDisk'],
  'aof-rewrite-diff-write': ['writeLoadInfo', 'dataWriteback', 'ssd', 'localDisk'],
  'aof-rename': ['writeLoadInfo', 'dataWriteback', 'ssd', 'localDisk'],
  'expire-cycle': ['hz', 'largeObjects'],
  'eviction-del': ['largeObjects'],
  'eviction-cycle': ['massEviction'],
};

/** createLatencyReport: LATENCY DOCTOR's text. */
export function latencyDoctor(server: ServerContext, nowSeconds: number): string {
  const monitor = server.latency;
  if (monitor.events.size === 0 && monitor.thresholdMs === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  const advice = new Set<Advice>();
  let advices = 0;
  const give = (...pieces: Advice[]): void => {
    for (const piece of pieces) advice.add(piece);
    advices += pieces.length;
  };
  const slowerThan = server.config.get('slowlog-log-slower-than');
  let report = '';
  let eventnum = 0;
  for (const [event, ts] of monitor.events) {
    eventnum++;
    if (eventnum === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    const ls = analyze(ts, nowSeconds);
    report += `${eventnum}. ${event}: ${ls.samples} latency spikes (average ${ls.avg}ms, mean deviation ${ls.mad}ms, period ${printfFixed(ls.period / ls.samples, 2)} sec). Worst all time event ${ts.max}ms.`;
    // reddish never forks, so the `fork` event (and its fork-rate verdict) never happens.
    const name = event.toLowerCase();
    if (name === 'command') {
      if (slowerThan < 0) give('slowlogEnabled');
      else if (Math.trunc(slowerThan / 1000) > monitor.thresholdMs) give('slowlogTuning');
      give('slowlogInspect', 'largeObjects');
    }
    const eventAdvice = EVENT_ADVICE[name];
    if (eventAdvice !== undefined) give(...eventAdvice);
    report += '\n';
  }
  if (anonHugePagesBytes() > 0) give('disableThp');

  if (eventnum === 0 && advices === 0) {
    return report + "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
  }
  if (eventnum > 0 && advices === 0) {
    return report + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
  }
  const thresholdUs = monitor.thresholdMs * 1000;
  report += '\nI have a few advices for you:\n\n';
  if (advice.has('betterVm')) {
    report += '- If you are using a virtual machine, consider upgrading it with a faster one using a hypervisior that provides less latency during fork() calls. Xen is known to have poor fork() performance. Even in the context of the same VM provider, certain kinds of instances can execute fork faster than others.\n';
  }
  if (advice.has('slowlogEnabled')) {
    report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${thresholdUs}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  }
  if (advice.has('slowlogTuning')) {
    report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${thresholdUs}'.\n`;
  }
  if (advice.has('slowlogInspect')) {
    report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
  }
  if (advice.has('scheduler')) {
    report +=
      '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
      '  1) Lower the system load.\n' +
      '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
      '  3) Check if you have a "noisy neighbour" problem.\n' +
      "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
      '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
  }
  if (advice.has('localDisk')) {
    report += '- It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.\n';
  }
  if (advice.has('ssd')) {
    report += '- SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.\n';
  }
  if (advice.has('dataWriteback')) {
    report += '- Mounting ext3/4 filesystems with data=writeback can provide a performance boost compared to data=ordered, however this mode of operation provides less guarantees, and sometimes it can happen that after a hard crash the AOF file will have a half-written command at the end and will require to be repaired before Redis restarts.\n';
  }
  if (advice.has('diskContention')) {
    report += '- Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).\n';
  }
  if (advice.has('noAppendfsync')) {
    report += "- Assuming from the point of view of data safety this is viable in your environment, you could try to enable the 'no-appendfsync-on-rewrite' option, so that fsync will not be performed while there is a child rewriting the AOF file or producing an RDB file (the moment where there is high disk contention).\n";
  }
  if (advice.has('relaxFsyncPolicy') && server.config.get('appendfsync') === 'always') {
    report += "- Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'.\n";
  }
  if (advice.has('writeLoadInfo')) {
    report += '- Latency during the AOF atomic rename operation or when the final difference is flushed to the AOF file at the end of the rewrite, sometimes is caused by very high write load, causing the AOF buffer to get very large. If possible try to send less commands to accomplish the same work, or use Lua scripts to group multiple operations into a single EVALSHA call.\n';
  }
  if (advice.has('hz') && server.config.get('hz') < 100) {
    report += "- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n";
  }
  if (advice.has('largeObjects')) {
    report += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  }
  if (advice.has('massEviction')) {
    report += "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n";
  }
  if (advice.has('disableThp')) {
    report += "- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n";
  }
  return report;
}
