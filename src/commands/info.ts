/**
 * INFO's text, section by section, as Redis 7.0's genRedisInfoString prints
 * it: `# Section` headers, `field:value` lines ending in CRLF, one empty
 * line between sections, sections always in the server's order whatever
 * order they were asked in.
 *
 * Every field is either computed from reddish's own state or a constant
 * that Redis also reports in reddish's situation: a master with no
 * replicas, no forked children, no I/O threads, no modules, no cluster.
 * Fields that describe machinery reddish does not have yet (AOF/RDB
 * progress, FUNCTION's memory) are left out rather than reported as zeros that would
 * silently stay wrong once that machinery exists; clients and monitoring
 * tools read INFO by field name, so a missing field is skipped, not misread.
 *
 * Memory figures come from Node: see usedMemory().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client, CommandSpec, ServerContext } from './types.js';
import { REDDISH_VERSION } from '../version.js';
import { formatPercentile } from '../config.js';
import { reportedRedisVersion } from '../compat-version.js';

/** genInfoSectionDict's defaults: what INFO with no argument (or `default`) prints. */
const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'module_list',
  'errorstats',
  'cluster',
  'keyspace',
];

/** LRU_CLOCK_MAX and LRU_CLOCK_RESOLUTION: the 24-bit seconds clock INFO's lru_clock shows. */
const LRU_CLOCK_MAX = (1 << 24) - 1;

/** INFO keyspace's avg_ttl is an estimate in Redis too; this bounds what one INFO call reads. */
const AVG_TTL_SAMPLE = 512;

/** Node's process.arch values for 64-bit CPUs (arch_bits). */
const ARCH_64 = new Set(['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el']);

type Field = readonly [name: string, value: string | number];

/**
 * INFO [section ...]: the whole reply text. Section names are matched
 * without regard to case; `default`, `all` and `everything` select groups;
 * an unknown name selects nothing (Redis then asks its modules, and with
 * none loaded the reply is empty).
 */
export function genInfoString(server: ServerContext, args: readonly string[]): string {
  const sections = new Set<string>();
  let all = false;
  if (args.length === 0) {
    for (const s of DEFAULT_SECTIONS) sections.add(s);
  }
  for (const arg of args) {
    const name = arg.toLowerCase();
    // reddish has no module sections, so `everything` is `all`.
    if (name === 'all' || name === 'everything') all = true;
    else if (name === 'default') for (const s of DEFAULT_SECTIONS) sections.add(s);
    else sections.add(name);
  }
  const wants = (name: string) => all || sections.has(name);

  const parts: string[] = [];
  if (wants('server')) parts.push(serverSection(server));
  if (wants('clients')) parts.push(clientsSection(server));
  if (wants('memory')) parts.push(memorySection(server));
  if (wants('persistence')) parts.push(persistenceSection(server));
  if (wants('stats')) parts.push(statsSection(server));
  if (wants('replication')) parts.push(replicationSection());
  if (wants('cpu')) parts.push(cpuSection());
  if (all || sections.has('module_list') || sections.has('modules')) parts.push(section('Modules', []));
  if (wants('commandstats')) parts.push(commandStatsSection(server));
  if (wants('errorstats')) parts.push(errorStatsSection(server));
  if (wants('latencystats')) parts.push(latencyStatsSection(server));
  if (wants('cluster')) parts.push(section('Cluster', [['cluster_enabled', 0]]));
  if (wants('keyspace')) parts.push(keyspaceSection(server));
  return parts.join('\r\n');
}

/** INFO [section [section ...]]: verbatim text in RESP3, a bulk string in RESP2. */
function infoCommand(c: Client, argv: string[]): void {
  c.reply.verbatim(genInfoString(c.server, argv.slice(1)));
}

export const infoSpec: CommandSpec = {
  name: 'info',
  arity: -1,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Get information and statistics about the server',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: '[section [section ...]]',
  aclCategories: ['dangerous'],
  handler: infoCommand,
};

function section(title: string, fields: readonly Field[]): string {
  let out = '# ' + title + '\r\n';
  for (const [name, value] of fields) out += name + ':' + value + '\r\n';
  return out;
}

function serverSection(server: ServerContext): string {
  const now = server.clock.now();
  const uptime = Math.floor((now - server.startedAt) / 1000);
  // The active expiry timer runs at least once a second, as Redis clamps hz to >= 1.
  const hz = Math.max(1, server.config.get('hz'));
  return section('Server', [
    ['redis_version', reportedRedisVersion(server.config.get('compat-version'))],
    ['reddish_version', REDDISH_VERSION],
    // reddish has no cluster mode: `cluster-enabled yes` is accepted but changes nothing.
    ['redis_mode', 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`],
    ['arch_bits', ARCH_64.has(process.arch) ? 64 : 32],
    ['process_id', process.pid],
    ['run_id', server.runId],
    ['tcp_port', listeningPort(server)],
    ['server_time_usec', Math.floor(now * 1000)],
    ['uptime_in_seconds', uptime],
    ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', hz],
    ['configured_hz', hz],
    ['lru_clock', Math.floor(now / 1000) & LRU_CLOCK_MAX],
    ['config_file', server.configFile === '' ? '' : path.resolve(server.configFile)],
    // Commands and I/O share Node's one JS thread.
    ['io_threads_active', 0],
  ]);
}

/** The bound port (tcp_port), which differs from the `port` parameter when it was 0. */
function listeningPort(server: ServerContext): number {
  try {
    return server.address.port;
  } catch {
    return server.config.get('port');
  }
}

function clientsSection(server: ServerContext): string {
  // Redis reports the largest buffers of the last few seconds; reddish has no
  // per-second history, so these are the largest held right now.
  let maxInput = 0;
  let maxOutput = 0;
  for (const client of server.clients.values()) {
    maxInput = Math.max(maxInput, client.pendingInput);
    maxOutput = Math.max(maxOutput, client.pendingOutput);
  }
  return section('Clients', [
    ['connected_clients', server.clients.size],
    // No cluster bus.
    ['cluster_connections', 0],
    ['maxclients', server.config.get('maxclients')],
    ['client_recent_max_input_buffer', maxInput],
    ['client_recent_max_output_buffer', maxOutput],
    // Clients held by CLIENT PAUSE are blocked clients to Redis too (BLOCKED_POSTPONE).
    ['blocked_clients', server.blocking.blockedClients + server.pause.parkedCount],
    ['tracking_clients', server.tracking.clientCount],
  ]);
}

/**
 * INFO memory. used_memory is the modelled figure maxmemory compares with
 * (server/memory-accounting.ts): what Redis 7.0 would hold for this
 * dataset. RSS is the process's own, so mem_fragmentation_ratio shows what
 * V8 spends beyond the model.
 */
function memorySection(server: ServerContext): string {
  const usage = process.memoryUsage();
  const mh = server.memory.overhead(usage.rss);
  const used = mh.total;
  const peak = mh.peak;
  const maxmemory = server.config.get('maxmemory');
  const totalSystem = os.totalmem();
  const scripting = server.scripting;
  const luaMemory = scripting.luaMemory;
  const functionsMemory = scripting.functionsLuaMemory;
  const functions = scripting.functions.current;
  const functionsCaches = functions.cacheMemory;
  return section('Memory', [
    ['used_memory', used],
    ['used_memory_human', bytesToHuman(used)],
    ['used_memory_rss', usage.rss],
    ['used_memory_rss_human', bytesToHuman(usage.rss)],
    ['used_memory_peak', peak],
    ['used_memory_peak_human', bytesToHuman(peak)],
    ['used_memory_peak_perc', printfFixed(mh.peakPercentage, 2) + '%'],
    ['used_memory_overhead', mh.overheadTotal],
    ['used_memory_startup', mh.startup],
    ['used_memory_dataset', mh.dataset],
    ['used_memory_dataset_perc', printfFixed(mh.datasetPercentage, 2) + '%'],
    // V8's heap stands in for jemalloc's arenas.
    ['allocator_allocated', usage.heapUsed + usage.external],
    ['allocator_active', usage.heapTotal + usage.external],
    ['allocator_resident', usage.rss],
    ['total_system_memory', totalSystem],
    ['total_system_memory_human', bytesToHuman(totalSystem)],
    // EVAL's Lua state and script cache, then the functions engine's state and libraries.
    ['used_memory_lua', luaMemory],
    ['used_memory_vm_eval', luaMemory],
    ['used_memory_lua_human', bytesToHuman(luaMemory)],
    ['used_memory_scripts_eval', scripting.cachedScriptsMemory],
    ['number_of_cached_scripts', scripting.cachedScripts],
    ['number_of_functions', functions.functions.size],
    ['number_of_libraries', functions.libraries.size],
    ['used_memory_vm_functions', functionsMemory],
    ['used_memory_vm_total', functionsMemory + luaMemory],
    ['used_memory_vm_total_human', bytesToHuman(functionsMemory + luaMemory)],
    ['used_memory_functions', functionsCaches],
    ['used_memory_scripts', scripting.cachedScriptsMemory + functionsCaches],
    ['used_memory_scripts_human', bytesToHuman(scripting.cachedScriptsMemory + functionsCaches)],
    ['maxmemory', maxmemory],
    ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.get('maxmemory-policy')],
    // Redis's total_frag: RSS over used memory.
    ['mem_fragmentation_ratio', printfFixed(mh.fragmentation, 2)],
    ['mem_fragmentation_bytes', mh.fragmentationBytes],
    // No replicas and no AOF buffer: nothing is left out of the eviction figure but client buffers.
    ['mem_not_counted_for_evict', 0],
    ['mem_replication_backlog', 0],
    ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0],
    ['mem_clients_normal', mh.clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', 0],
    ['mem_allocator', 'libc'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', server.keyspace.lazyFree.pendingObjects],
    ['lazyfreed_objects', server.keyspace.lazyFree.freedObjects],
  ]);
}

/**
 * INFO persistence: the RDB's fields (persistence/snapshots.ts), then the
 * AOF's, then the loading_* fields while a load runs, as genRedisInfoString.
 */
function persistenceSection(server: ServerContext): string {
  const snapshots = server.snapshots;
  return section('Persistence', [
    ...snapshots.infoFields(server.events.dirty),
    ...server.aof.infoFields(),
    ...snapshots.loadingFields(),
  ]);
}

function statsSection(server: ServerContext): string {
  const stats = server.stats;
  const keyspace = server.keyspace.stats;
  const metrics = serverMetrics(server);
  return section('Stats', [
    ['total_connections_received', stats.totalConnections],
    ['total_commands_processed', stats.totalCommands],
    ['instantaneous_ops_per_sec', Math.floor(metrics.commands.perSecond)],
    ['total_net_input_bytes', stats.netInputBytes],
    ['total_net_output_bytes', stats.netOutputBytes],
    // No replication traffic: reddish is a master without replicas.
    ['total_net_repl_input_bytes', 0],
    ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', printfFixed(Math.floor(metrics.netInput.perSecond) / 1024, 2)],
    ['instantaneous_output_kbps', printfFixed(Math.floor(metrics.netOutput.perSecond) / 1024, 2)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', stats.rejectedConnections],
    ['sync_full', 0],
    ['sync_partial_ok', 0],
    ['sync_partial_err', 0],
    ['expired_keys', keyspace.expiredKeys],
    // reddish stores maxmemory and maxmemory-clients but evicts neither keys nor clients.
    ['evicted_keys', server.eviction.evictedKeys],
    ['evicted_clients', 0],
    ['keyspace_hits', keyspace.keyspaceHits],
    ['keyspace_misses', keyspace.keyspaceMisses],
    ['pubsub_channels', server.pubsub.channelCount],
    ['pubsub_patterns', server.pubsub.patternCount],
    ['pubsubshard_channels', server.pubsub.shardChannelCount],
    // A Node process cannot fork its heap, so nothing is ever saved by a child.
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['tracking_total_keys', server.tracking.totalKeys],
    ['tracking_total_items', server.tracking.totalItems],
    ['tracking_total_prefixes', server.tracking.totalPrefixes],
    ['total_error_replies', stats.totalErrorReplies],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
  ]);
}

function replicationSection(): string {
  // A master that has never had a replica or a replication backlog.
  return section('Replication', [
    ['role', 'master'],
    ['connected_slaves', 0],
    ['master_failover_state', 'no-failover'],
    ['master_repl_offset', 0],
    ['second_repl_offset', -1],
    ['repl_backlog_active', 0],
    ['repl_backlog_first_byte_offset', 0],
    ['repl_backlog_histlen', 0],
  ]);
}

function cpuSection(): string {
  const usage = process.resourceUsage();
  const fields: Field[] = [
    ['used_cpu_sys', secondsWithMicros(usage.systemCPUTime)],
    ['used_cpu_user', secondsWithMicros(usage.userCPUTime)],
  ];
  // getrusage(RUSAGE_CHILDREN) and (RUSAGE_THREAD): Node has neither, so
  // they come from /proc, in its clock ticks; Redis prints the main thread's
  // only where RUSAGE_THREAD exists, and so does reddish where /proc does.
  const children = procCpuTicks('/proc/self/stat', 15);
  fields.push(['used_cpu_sys_children', secondsWithMicros(children === null ? 0 : children.system)]);
  fields.push(['used_cpu_user_children', secondsWithMicros(children === null ? 0 : children.user)]);
  const mainThread = procCpuTicks(`/proc/self/task/${process.pid}/stat`, 13);
  if (mainThread !== null) {
    fields.push(['used_cpu_sys_main_thread', secondsWithMicros(mainThread.system)]);
    fields.push(['used_cpu_user_main_thread', secondsWithMicros(mainThread.user)]);
  }
  return section('CPU', fields);
}

/** USER_HZ: /proc's clock ticks per second (100 on every Linux ABI). */
const PROC_TICKS_PER_SECOND = 100;

/**
 * User and system time, in µs, from a /proc stat file: the fields at
 * `userField` and the next one (utime/stime at 13, cutime/cstime at 15,
 * 0-based). Null where the file can't be read.
 */
function procCpuTicks(file: string, userField: number): { user: number; system: number } | null {
  try {
    const text = fs.readFileSync(file, 'latin1');
    // The command name, in parentheses, may hold spaces: count fields after it.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const user = Number(fields[userField - 2]);
    const system = Number(fields[userField - 1]);
    if (!Number.isFinite(user) || !Number.isFinite(system)) return null;
    const usPerTick = 1e6 / PROC_TICKS_PER_SECOND;
    return { user: user * usPerTick, system: system * usPerTick };
  } catch {
    return null;
  }
}

/** getrusage's timeval as Redis prints it: `%ld.%06ld`. */
function secondsWithMicros(micros: number): string {
  return Math.floor(micros / 1e6) + '.' + String(micros % 1e6).padStart(6, '0');
}

function commandStatsSection(server: ServerContext): string {
  let out = '# Commandstats\r\n';
  for (const entry of server.commands.allEntries()) {
    const s = entry.stats;
    if (s.calls === 0 && s.failedCalls === 0 && s.rejectedCalls === 0) continue;
    // Redis accumulates whole microseconds and divides as a C float.
    const usec = Math.round(s.usec);
    const perCall = s.calls === 0 ? 0 : Math.fround(Math.fround(usec) / Math.fround(s.calls));
    out +=
      'cmdstat_' + safeInfoString(entry.fullName) +
      ':calls=' + s.calls +
      ',usec=' + usec +
      ',usec_per_call=' + printfFixed(perCall, 2) +
      ',rejected_calls=' + s.rejectedCalls +
      ',failed_calls=' + s.failedCalls + '\r\n';
  }
  return out;
}

function errorStatsSection(server: ServerContext): string {
  let out = '# Errorstats\r\n';
  // Redis keeps error codes in a radix tree, so they print in byte order.
  const codes = [...server.stats.errorCodes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const code of codes) {
    out += 'errorstat_' + safeInfoString(code) + ':count=' + server.stats.errorCodes.get(code) + '\r\n';
  }
  return out;
}

/**
 * genRedisInfoStringLatencyStats: each command's latency percentiles in
 * µs, for the commands that have a histogram (latency-tracking was on
 * for at least one of their calls).
 */
function latencyStatsSection(server: ServerContext): string {
  let out = '# Latencystats\r\n';
  const percentiles = server.latency.percentiles;
  for (const entry of server.commands.allEntries()) {
    const histogram = entry.stats.histogram;
    if (histogram == null) continue;
    out += 'latency_percentiles_usec_' + safeInfoString(entry.fullName) + ':';
    for (let j = 0; j < percentiles.length; j++) {
      const p = percentiles[j]!;
      if (j !== 0) out += ',';
      out += 'p' + formatPercentile(p) + '=' + printfFixed(histogram.valueAtPercentile(p) / 1000, 3);
    }
    out += '\r\n';
  }
  return out;
}

function keyspaceSection(server: ServerContext): string {
  let out = '# Keyspace\r\n';
  const now = server.clock.now();
  for (const db of server.keyspace.databases) {
    const keys = db.dict.size;
    const expires = db.expires.size;
    if (keys === 0 && expires === 0) continue;
    out += `db${db.id}:keys=${keys},expires=${expires},avg_ttl=${averageTtl(db.expires, now)}\r\n`;
  }
  return out;
}

/**
 * avg_ttl in milliseconds over at most AVG_TTL_SAMPLE volatile keys (the
 * oldest-set ones, in the expires map's order). Redis estimates the same
 * figure from the keys its expiry cycle samples. Keys whose time has
 * passed but which are not deleted yet don't count, as in Redis.
 */
function averageTtl(expires: ReadonlyMap<string, number>, now: number): number {
  let sum = 0;
  let count = 0;
  let seen = 0;
  for (const when of expires.values()) {
    if (++seen > AVG_TTL_SAMPLE) break;
    const ttl = when - now;
    if (ttl > 0) {
      sum += ttl;
      count++;
    }
  }
  return count === 0 ? 0 : Math.floor(sum / count);
}

/** getSafeInfoString: characters that would break `name:value` lines become '_'. */
function safeInfoString(s: string): string {
  return /[#:\r\n]/.test(s) ? s.replace(/[#:\r\n]/g, '_') : s;
}

/** Redis's bytesToHuman: 1023B, 894.98K, 11.53M, 23.54G... */
export function bytesToHuman(n: number): string {
  if (n < 1024) return n + 'B';
  const units = ['K', 'M', 'G', 'T', 'P'];
  let scale = 1024;
  for (const unit of units) {
    if (n < scale * 1024) return printfFixed(n / scale, 2) + unit;
    scale *= 1024;
  }
  return n + 'B';
}

/**
 * printf's `%.<digits>f`: the double's exact binary value rounded half to
 * even, as glibc does. Number.prototype.toFixed rounds exact ties up
 * instead (0.125 → "0.13" where Redis prints "0.12"), and ties are common
 * here: usec_per_call is often a small integer over a power of two.
 */
export function printfFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const neg = view.getUint32(0) >>> 31 === 1;
  const biased = (view.getUint32(0) >>> 20) & 0x7ff;
  let mant = (BigInt(view.getUint32(0) & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exp = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  // x = mant * 2^exp; scaled = x * 10^digits, rounded half to even.
  let scaled = mant * 10n ** BigInt(digits);
  if (exp >= 0) {
    scaled <<= BigInt(exp);
  } else {
    const shift = BigInt(-exp);
    const quotient = scaled >> shift;
    const twiceRemainder = (scaled - (quotient << shift)) << 1n;
    const half = 1n << shift;
    scaled = quotient + (twiceRemainder > half || (twiceRemainder === half && (quotient & 1n) === 1n) ? 1n : 0n);
  }
  const text = scaled.toString().padStart(digits + 1, '0');
  const point = text.length - digits;
  return (neg ? '-' : '') + text.slice(0, point) + (digits > 0 ? '.' + text.slice(point) : '');
}

// ---------------------------------------------------------------------------
// Sampled figures: instantaneous_* and used_memory_peak
// ---------------------------------------------------------------------------

/** STATS_METRIC_SAMPLES: how many samples an instantaneous figure averages. */
const METRIC_SAMPLES = 16;

/**
 * Redis's trackInstantaneousMetric: every sample stores the rate of a
 * counter since the previous sample, and the figure is the mean of the
 * last 16 rates. With serverCron's 100 ms period that is the rate over the
 * last 1.6 seconds.
 */
class InstantaneousMetric {
  private readonly rates = new Float64Array(METRIC_SAMPLES);
  private next = 0;
  private lastTime = -1;
  private lastValue = 0;

  track(nowMs: number, value: number): void {
    if (this.lastTime >= 0) {
      const elapsed = nowMs - this.lastTime;
      this.rates[this.next] = elapsed > 0 ? ((value - this.lastValue) * 1000) / elapsed : 0;
      this.next = (this.next + 1) % METRIC_SAMPLES;
    }
    this.lastTime = nowMs;
    this.lastValue = value;
  }

  get perSecond(): number {
    let sum = 0;
    for (const rate of this.rates) sum += rate;
    return sum / METRIC_SAMPLES;
  }

  reset(): void {
    this.rates.fill(0);
    this.next = 0;
    this.lastTime = -1;
    this.lastValue = 0;
  }
}

/** The figures Redis's serverCron samples for INFO, for one server. */
class ServerMetrics {
  readonly commands = new InstantaneousMetric();
  readonly netInput = new InstantaneousMetric();
  readonly netOutput = new InstantaneousMetric();
  constructor(private readonly server: ServerContext) {}

  /** One 100 ms step. `nowMs` is monotonic: rates are about real time, whatever the server's clock. */
  sample(nowMs: number): void {
    const stats = this.server.stats;
    this.commands.track(nowMs, stats.totalCommands);
    this.netInput.track(nowMs, stats.netInputBytes);
    this.netOutput.track(nowMs, stats.netOutputBytes);
  }

  /** After the counters were zeroed: empty the rates and take the new baseline now, as Redis does. */
  reset(): void {
    this.commands.reset();
    this.netInput.reset();
    this.netOutput.reset();
    this.sample(performance.now());
  }
}

const metricsByServer = new WeakMap<ServerContext, ServerMetrics>();

/**
 * The server's sampled figures. The server emits 'cron' every 100 ms with
 * the monotonic time (serverCron's period for these samples); sampling
 * starts with the first INFO, as nothing else reads the figures, from a
 * first sample of the counters as they are then.
 */
function serverMetrics(server: ServerContext): ServerMetrics {
  let metrics = metricsByServer.get(server);
  if (metrics === undefined) {
    const created = new ServerMetrics(server);
    created.sample(performance.now());
    server.on('cron', (nowMs: number) => created.sample(nowMs));
    metricsByServer.set(server, created);
    metrics = created;
  }
  return metrics;
}

/** CONFIG RESETSTAT: the sampled figures start over, as resetServerStats does. */
export function resetInfoMetrics(server: ServerContext): void {
  metricsByServer.get(server)?.reset();
}
