/**
 * MEMORY USAGE | STATS | DOCTOR | MALLOC-STATS | PURGE | HELP (object.c's
 * memoryCommand). The figures are the used-memory model of
 * server/memory-accounting.ts and store/memory-usage.ts: what Redis 7.0
 * would spend on the same keys, next to the process's real RSS.
 */
import { shared } from '../protocol/reply.js';
import { errors } from '../errors.js';
import { objectComputeSize, sdsSize, DICT_ENTRY, DEFAULT_SAMPLES } from '../store/memory-usage.js';
import { parseInteger } from '../text/numbers.js';
import { replyHelp } from './help-reply.js';
import type { Client, CommandSpec } from './types.js';

/** MEMORY USAGE key [SAMPLES count] */
function memoryUsageCommand(c: Client, argv: string[]): void {
  let samples = DEFAULT_SAMPLES;
  for (let j = 3; j < argv.length; j++) {
    if (argv[j]!.toLowerCase() === 'samples' && j + 1 < argv.length) {
      const n = parseInteger(argv[j + 1]!);
      if (n === null) {
        c.reply.error(errors.notInteger);
        return;
      }
      if (n < 0) {
        c.reply.error(errors.syntax);
        return;
      }
      // 0 samples every element.
      samples = n;
      j++;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  // dictFind: no lazy expiry, no hit or miss counted, as in Redis.
  const dict = c.db.dict;
  const slot = dict.find(argv[2]!);
  if (slot < 0) {
    c.reply.nullBulk();
    return;
  }
  const size = objectComputeSize(dict.valueAt(slot), dict.clockAt(slot), samples, c.server.encoding);
  c.reply.integer(size + sdsSize(argv[2]!.length) + DICT_ENTRY);
}

export const memoryUsageSpec: CommandSpec = {
  name: 'usage',
  arity: -3,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'server',
  summary: 'Estimate the memory usage of a key',
  since: '4.0.0',
  complexity: 'O(N) where N is the number of samples.',
  syntax: 'key [SAMPLES count:integer]',
  handler: memoryUsageCommand,
};

/** A C float printed with %.17g, as Redis's float percentages are. */
function replyFloat(c: Client, value: number): void {
  c.reply.double(Math.fround(value));
}

/** MEMORY STATS */
function memoryStatsCommand(c: Client): void {
  const rss = process.memoryUsage.rss();
  const mh = c.server.memory.overhead(rss);
  const reply = c.reply;
  reply.mapHeader(27 + mh.databases.length);
  const integer = (name: string, n: number): void => {
    reply.bulk(name);
    reply.integer(Math.floor(n));
  };
  const float = (name: string, n: number): void => {
    reply.bulk(name);
    replyFloat(c, n);
  };
  integer('peak.allocated', mh.peak);
  integer('total.allocated', mh.total);
  integer('startup.allocated', mh.startup);
  // No replication, no cluster, no AOF buffer.
  integer('replication.backlog', 0);
  integer('clients.slaves', 0);
  integer('clients.normal', mh.clientsNormal);
  integer('cluster.links', 0);
  integer('aof.buffer', 0);
  integer('lua.caches', mh.luaCaches);
  integer('functions.caches', mh.functionsCaches);
  for (const db of mh.databases) {
    reply.bulk('db.' + db.id);
    reply.mapHeader(3);
    integer('overhead.hashtable.main', db.main);
    integer('overhead.hashtable.expires', db.expires);
    integer('overhead.hashtable.slot-to-keys', 0);
  }
  integer('overhead.total', mh.overheadTotal);
  integer('keys.count', mh.keys);
  integer('keys.bytes-per-key', mh.bytesPerKey);
  integer('dataset.bytes', mh.dataset);
  float('dataset.percentage', mh.datasetPercentage);
  float('peak.percentage', mh.peakPercentage);
  // The allocator is V8's and the libc's: the model's total stands for what it holds.
  integer('allocator.allocated', mh.total);
  integer('allocator.active', mh.total);
  integer('allocator.resident', rss);
  float('allocator-fragmentation.ratio', 1);
  integer('allocator-fragmentation.bytes', 0);
  float('allocator-rss.ratio', mh.fragmentation);
  integer('allocator-rss.bytes', mh.fragmentationBytes);
  float('rss-overhead.ratio', 1);
  integer('rss-overhead.bytes', 0);
  float('fragmentation', mh.fragmentation);
  integer('fragmentation.bytes', mh.fragmentationBytes);
}

export const memoryStatsSpec: CommandSpec = {
  name: 'stats',
  arity: 2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Show memory usage details',
  since: '4.0.0',
  complexity: 'O(1)',
  handler: memoryStatsCommand,
};

const DOCTOR_EMPTY =
  'Hi Sam, this instance is empty or is using very little memory, ' +
  "my issues detector can't be used in these conditions. " +
  'Please, leave for your mission on Earth and fill it with some data. ' +
  'The new Sam and I will be back to our programming as soon as I ' +
  'finished rebooting.\n';
const DOCTOR_FINE = "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
const DOCTOR_PEAK =
  ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n';
const DOCTOR_BIG_CLIENT_BUFFERS =
  ' * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n';
const DOCTOR_MANY_SCRIPTS =
  " * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), `SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may end up consuming most of your memory.\n\n";

/**
 * getMemoryDoctorReport, for the reports the model can make: an empty
 * instance, a past peak, big client buffers and many scripts. The
 * fragmentation reports are about jemalloc's pages, which reddish does
 * not have (its RSS is V8's heap, which the model does not describe).
 */
export function memoryDoctorReport(c: Client): string {
  const server = c.server;
  const mh = server.memory.overhead(process.memoryUsage.rss());
  if (mh.total < 5 * 1024 * 1024) return DOCTOR_EMPTY;
  const bigPeak = mh.peak / mh.total > 1.5;
  const clients = server.clients.size;
  const bigClientBuffers = clients !== 0 && mh.clientsNormal / clients > 1024 * 200;
  const manyScripts = server.scripting.cachedScripts > 1000;
  if (!bigPeak && !bigClientBuffers && !manyScripts) return DOCTOR_FINE;
  let report = 'Sam, I detected a few issues in this Redis instance memory implants:\n\n';
  if (bigPeak) report += DOCTOR_PEAK;
  if (bigClientBuffers) report += DOCTOR_BIG_CLIENT_BUFFERS;
  if (manyScripts) report += DOCTOR_MANY_SCRIPTS;
  return report + "I'm here to keep you safe, Sam. I want to help you.\n";
}

/** MEMORY DOCTOR */
function memoryDoctorCommand(c: Client): void {
  c.reply.verbatim(memoryDoctorReport(c));
}

export const memoryDoctorSpec: CommandSpec = {
  name: 'doctor',
  arity: 2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Outputs memory problems report',
  since: '4.0.0',
  complexity: 'O(1)',
  handler: memoryDoctorCommand,
};

/** MEMORY MALLOC-STATS: what Redis built without jemalloc answers; V8 has no jemalloc report. */
function memoryMallocStatsCommand(c: Client): void {
  c.reply.bulk('Stats not supported for the current allocator');
}

export const memoryMallocStatsSpec: CommandSpec = {
  name: 'malloc-stats',
  arity: 2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Show allocator internal stats',
  since: '4.0.0',
  complexity: 'Depends on how much memory is allocated, could be slow',
  handler: memoryMallocStatsCommand,
};

/** MEMORY PURGE: Redis's jemalloc_purge; without jemalloc it is a no-op that answers OK, as here. */
function memoryPurgeCommand(c: Client): void {
  c.reply.raw(shared.ok);
}

export const memoryPurgeSpec: CommandSpec = {
  name: 'purge',
  arity: 2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Ask the allocator to release memory',
  since: '4.0.0',
  complexity: 'Depends on how much memory is allocated, could be slow',
  handler: memoryPurgeCommand,
};

const MEMORY_HELP: readonly string[] = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
];

/** MEMORY HELP */
function memoryHelpCommand(c: Client): void {
  replyHelp(c, 'MEMORY', MEMORY_HELP);
}

export const memoryHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Show helpful text about the different subcommands',
  since: '4.0.0',
  complexity: 'O(1)',
  handler: memoryHelpCommand,
};

/** MEMORY <subcommand> [<arg> [value] [opt] ...]: a container, dispatch picks the subcommand. */
export const memorySpec: CommandSpec = {
  name: 'memory',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'A container for memory diagnostics commands',
  since: '4.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [memoryDoctorSpec, memoryHelpSpec, memoryMallocStatsSpec, memoryPurgeSpec, memoryStatsSpec, memoryUsageSpec],
};

export const memoryCommands: readonly CommandSpec[] = [memorySpec];
