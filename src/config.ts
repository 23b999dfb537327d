/**
 * Every configuration parameter, declared once: its name (and Redis's old
 * aliases), type, default, limits, whether CONFIG SET may change it at run
 * time, and what reddish does with it. CONFIG GET/SET, the command line, the
 * config file and startServer's `config` all go through this registry, so a
 * parameter behaves the same everywhere.
 *
 * Configuration never lies (issue #8). Each parameter's `effect` says which
 * of three it is:
 * - `works`: reddish reads it and behaves as Redis does;
 * - `inert`: accepted and stored, but it changes no reply: a tuning knob
 *   (encoding internals, `hz`'s cousins, `lazyfree-*`) or a setting of a
 *   feature that cannot be switched on;
 * - `missing`: it would switch on behaviour reddish lacks (persistence,
 *   eviction, notifications...). Only the values that leave it off are
 *   accepted, so redis.conf files and clients that set the defaults still
 *   work, and nothing answers OK to a promise reddish would not keep.
 *
 * Value texts and error texts follow Redis 7.0.15's config.c: booleans are
 * yes/no, memory sizes accept k/kb/m/mb/g/gb, and a rejected CONFIG SET says
 * "CONFIG SET failed (possibly related to argument 'x') - <reason>".
 *
 * Read values with the typed `config.get('hz')`: a misspelt name is a
 * compile error and the value has the parameter's type.
 */
import fs from 'node:fs';
import { configSetFailed, configSetUnknown } from './errors.js';
import { stringMatch } from './text/glob.js';
import { compatVersionError } from './compat-version.js';
import { keyspaceEventsFlagsToString, keyspaceEventsStringToFlags } from './server/keyspace-notifications.js';

export type ConfigValue = string | number | boolean;

// C's limits, which Redis prints in its range errors.
const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const UINT_MAX = 2n ** 32n - 1n;
/** Also LONG_MAX and SSIZE_MAX on the 64-bit builds Redis's texts come from. */
const LLONG_MAX = 2n ** 63n - 1n;
const ULLONG_MAX = 2n ** 64n - 1n;

type Parsed<T> = { value: T } | { error: string };

interface BoolType {
  readonly kind: 'bool';
}
interface IntType {
  readonly kind: 'int';
  readonly min: bigint;
  readonly max: bigint;
  /** Redis's apply step, which may move an accepted value (hz is capped to 1..500). */
  readonly adjust?: (n: number) => number;
}
interface MemoryType {
  readonly kind: 'memory';
  readonly min: bigint;
  readonly max: bigint;
  /** Redis's PERCENT_CONFIG: "10%" is also accepted, and stored as -10. */
  readonly percent?: boolean;
}
interface EnumType<V extends string = string> {
  readonly kind: 'enum';
  readonly values: readonly V[];
}
interface StringType {
  readonly kind: 'string';
  /** Validates and normalises a value; `current` is the value it replaces (for settings merged per class). */
  readonly parse?: (raw: string, current: string) => Parsed<string>;
  /** How CONFIG GET and CONFIG REWRITE print the stored value, when not as it is. */
  readonly format?: (value: string) => string;
}
type ParamType = BoolType | IntType | MemoryType | EnumType | StringType;

/** The JS type of a parameter's value. */
type ValueOf<T extends ParamType> = T extends BoolType
  ? boolean
  : T extends IntType | MemoryType
    ? number
    : T extends EnumType<infer V>
      ? V
      : string;

/** What reddish does with a parameter; see the module comment. */
export type ParamEffect =
  | { readonly kind: 'works' }
  | { readonly kind: 'inert'; readonly why: string }
  | {
      readonly kind: 'missing';
      /** What reddish lacks, as in "reddish has no <lacks>". */
      readonly lacks: string;
      /** Which values are accepted, as in "only 'no' is accepted". */
      readonly accepted: string;
      readonly isOff: (value: ConfigValue) => boolean;
    };

interface ParamDef<T extends ParamType = ParamType> {
  readonly aliases?: readonly string[];
  readonly type: T;
  /** Redis's built-in default unless a comment says otherwise; a function for one read at startup. */
  readonly default: ValueOf<T> | (() => ValueOf<T>);
  /** False for parameters only the command line or config file may set. */
  readonly mutable: boolean;
  /** Redis's PROTECTED_CONFIG: CONFIG SET needs `enable-protected-configs`. */
  readonly protected?: boolean;
  /** Redis's SENSITIVE_CONFIG: CONFIG SET's value is shown as "(redacted)" in the slow log and MONITOR. */
  readonly sensitive?: boolean;
  /** Redis's MULTI_ARG_CONFIG: a config file line may give several words. */
  readonly multiArg?: boolean;
  readonly effect: ParamEffect;
}

const bool: BoolType = { kind: 'bool' };
const int = (min: bigint, max: bigint, adjust?: (n: number) => number): IntType => ({ kind: 'int', min, max, adjust });
const memory = (min: bigint, max: bigint, percent = false): MemoryType => ({ kind: 'memory', min, max, percent });
const oneOf = <const V extends string>(...values: V[]): EnumType<V> => ({ kind: 'enum', values });
const text = (parse?: StringType['parse'], format?: StringType['format']): StringType => ({ kind: 'string', parse, format });
/** Declares one parameter; the generic ties its default to its type. */
const param = <T extends ParamType>(def: ParamDef<T>): ParamDef<T> => def;

const works: ParamEffect = { kind: 'works' };
const inert = (why: string): ParamEffect => ({ kind: 'inert', why });
const missing = (lacks: string, accepted: string, isOff: (value: ConfigValue) => boolean): ParamEffect => ({
  kind: 'missing',
  lacks,
  accepted,
  isOff,
});
const onlyNo = (lacks: string) => missing(lacks, "only 'no' is accepted", (v) => v === false);
const onlyZero = (lacks: string) => missing(lacks, 'only 0 is accepted', (v) => v === 0);

const NO_PERSISTENCE = 'reddish writes no RDB or AOF file';
const NO_OUTGOING_TLS = 'reddish opens no TLS connections of its own (no replication or cluster bus)';

const MAXMEMORY_POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
] as const;

/** The registry, in the order CONFIG REWRITE appends parameters. */
const REGISTRY = {
  // Redis can change the port at run time; reddish's listener can't move.
  port: param({ type: int(0n, 65535n), default: 6379, mutable: false, effect: works }),
  // The default of the redis.conf Redis 7 ships (its built-in `* -::*` listens everywhere): loopback only.
  bind: param({ type: text(parseBind), default: '127.0.0.1 -::1', mutable: false, multiArg: true, effect: works }),
  requirepass: param({ type: text(), default: '', mutable: true, sensitive: true, effect: works }),
  aclfile: param({ type: text(), default: '', mutable: false, effect: works }),
  'acllog-max-len': param({ type: int(0n, LLONG_MAX), default: 128, mutable: true, effect: works }),
  'acl-pubsub-default': param({ type: oneOf('resetchannels', 'allchannels'), default: 'resetchannels', mutable: true, effect: works }),
  databases: param({ type: int(1n, INT_MAX), default: 16, mutable: false, effect: works }),
  loglevel: param({ type: oneOf('debug', 'verbose', 'notice', 'warning'), default: 'notice', mutable: true, effect: works }),
  // Read by reddish-server; an embedded server logs through startServer's `logger`.
  logfile: param({ type: text(), default: '', mutable: false, effect: works }),
  daemonize: param({ type: bool, default: false, mutable: false, effect: onlyNo('daemon mode') }),
  // Read when a client connects (server/protected-mode.ts).
  'protected-mode': param({ type: bool, default: true, mutable: true, effect: works }),
  'tcp-backlog': param({ type: int(0n, INT_MAX), default: 511, mutable: false, effect: works }),
  // Seconds a client may stay idle; server/idle-clients.ts closes it after.
  timeout: param({ type: int(0n, INT_MAX), default: 0, mutable: true, effect: works }),
  'tcp-keepalive': param({
    type: int(0n, INT_MAX),
    default: 300,
    mutable: true,
    effect: works,
  }),
  maxclients: param({ type: int(1n, UINT_MAX), default: 10000, mutable: true, effect: works }),
  hz: param({ type: int(0n, INT_MAX, (n) => Math.min(Math.max(n, 1), 500)), default: 10, mutable: true, effect: works }),
  'dynamic-hz': param({ type: bool, default: true, mutable: true, effect: inert('tuning: hz stays as set') }),
  'active-expire-effort': param({
    type: int(1n, 10n),
    default: 1,
    mutable: true,
    effect: inert('tuning: the active expiry cycle always works at effort 1'),
  }),
  'proto-max-bulk-len': param({ type: memory(1024n * 1024n, LLONG_MAX), default: 512 * 1024 * 1024, mutable: true, effect: works }),
  'client-query-buffer-limit': param({
    type: memory(1024n * 1024n, LLONG_MAX),
    default: 1024 * 1024 * 1024,
    mutable: true,
    effect: works,
  }),
  // Compared with the modelled used memory (server/memory-accounting.ts).
  maxmemory: param({ type: memory(0n, ULLONG_MAX), default: 0, mutable: true, effect: works }),
  // Picks the eviction policy and the LRU or LFU access clocks (OBJECT IDLETIME, OBJECT FREQ).
  'maxmemory-policy': param({ type: oneOf(...MAXMEMORY_POLICIES), default: 'noeviction', mutable: true, effect: works }),
  'maxmemory-samples': param({ type: int(1n, INT_MAX), default: 5, mutable: true, effect: works }),
  'maxmemory-eviction-tenacity': param({ type: int(0n, 100n), default: 10, mutable: true, effect: works }),
  'maxmemory-clients': param({
    type: memory(-100n, LLONG_MAX, true),
    default: 0,
    mutable: true,
    effect: onlyZero('client eviction'),
  }),
  'lfu-log-factor': param({ type: int(0n, INT_MAX), default: 10, mutable: true, effect: works }),
  'lfu-decay-time': param({ type: int(0n, INT_MAX), default: 1, mutable: true, effect: works }),
  // Client-side caching: past this many tracked keys, random ones are forgotten (and invalidated); 0 is no limit.
  'tracking-table-max-keys': param({ type: int(0n, LLONG_MAX), default: 1_000_000, mutable: true, effect: works }),
  // Redis's default is "3600 1 300 100 60 10000", which reddish-server applies (cli.ts); an embedded
  // server persists nothing unless asked, so its default is "".
  save: param({ type: text(parseSave), default: '', mutable: true, multiArg: true, effect: works }),
  // The append-only file (persistence/aof.ts); CONFIG SET appendonly yes starts it with a rewrite.
  appendonly: param({ type: bool, default: false, mutable: true, effect: works }),
  appendfsync: param({ type: oneOf('everysec', 'always', 'no'), default: 'everysec', mutable: true, effect: works }),
  appendfilename: param({
    type: text(baseName('appendfilename', 'filename')),
    default: 'appendonly.aof',
    mutable: false,
    effect: works,
  }),
  appenddirname: param({
    type: text(baseName('appenddirname', 'dirname')),
    default: 'appendonlydir',
    mutable: false,
    effect: works,
  }),
  'auto-aof-rewrite-percentage': param({ type: int(0n, INT_MAX), default: 100, mutable: true, effect: works }),
  'auto-aof-rewrite-min-size': param({ type: memory(0n, LLONG_MAX), default: 64 * 1024 * 1024, mutable: true, effect: works }),
  'no-appendfsync-on-rewrite': param({ type: bool, default: false, mutable: true, effect: works }),
  'aof-load-truncated': param({ type: bool, default: true, mutable: true, effect: works }),
  // Redis's default is yes; the base is written in command form until reddish has an RDB writer.
  'aof-use-rdb-preamble': param({ type: bool, default: true, mutable: true, effect: works }),
  'aof-rewrite-incremental-fsync': param({ type: bool, default: true, mutable: true, effect: works }),
  'aof-timestamp-enabled': param({ type: bool, default: false, mutable: true, effect: works }),
  // Redis chdirs here. reddish checks the directory as chdir would and keeps its physical path,
  // without the chdir, which would move every other embedded server's (and the host program's) relative paths.
  dir: param({ type: text(parseDir), default: () => fs.realpathSync('.'), mutable: true, protected: true, effect: works }),
  dbfilename: param({
    type: text(baseName('dbfilename', 'filename', true)),
    default: 'dump.rdb',
    mutable: true,
    protected: true,
    effect: works,
  }),
  rdbcompression: param({ type: bool, default: true, mutable: true, effect: works }),
  rdbchecksum: param({ type: bool, default: true, mutable: false, effect: works }),
  'stop-writes-on-bgsave-error': param({ type: bool, default: true, mutable: true, effect: works }),
  // Encoding thresholds: read by OBJECT ENCODING and the conversions behind it.
  'hash-max-listpack-entries': param({ aliases: ['hash-max-ziplist-entries'], type: int(0n, LLONG_MAX), default: 512, mutable: true, effect: works }),
  'hash-max-listpack-value': param({ aliases: ['hash-max-ziplist-value'], type: memory(0n, LLONG_MAX), default: 64, mutable: true, effect: works }),
  'set-max-intset-entries': param({ type: int(0n, LLONG_MAX), default: 512, mutable: true, effect: works }),
  // Redis 7.2's: 7.0.15 has no listpack sets and doesn't know these names.
  'set-max-listpack-entries': param({ type: int(0n, LLONG_MAX), default: 128, mutable: true, effect: inert('sets have no listpack encoding in 7.0') }),
  'set-max-listpack-value': param({ type: memory(0n, LLONG_MAX), default: 64, mutable: true, effect: inert('sets have no listpack encoding in 7.0') }),
  'zset-max-listpack-entries': param({ aliases: ['zset-max-ziplist-entries'], type: int(0n, LLONG_MAX), default: 128, mutable: true, effect: works }),
  'zset-max-listpack-value': param({ aliases: ['zset-max-ziplist-value'], type: memory(0n, LLONG_MAX), default: 64, mutable: true, effect: works }),
  'list-max-listpack-size': param({
    aliases: ['list-max-ziplist-size'],
    type: int(INT_MIN, INT_MAX),
    default: -2,
    mutable: true,
    effect: inert('tuning: lists are one ring buffer, reported as quicklist'),
  }),
  'list-compress-depth': param({ type: int(0n, INT_MAX), default: 0, mutable: true, effect: inert('tuning: list nodes are never compressed') }),
  'hll-sparse-max-bytes': param({ type: memory(0n, LLONG_MAX), default: 3000, mutable: true, effect: works }),
  'stream-node-max-bytes': param({ type: memory(0n, LLONG_MAX), default: 4096, mutable: true, effect: works }),
  'stream-node-max-entries': param({ type: int(0n, LLONG_MAX), default: 100, mutable: true, effect: works }),
  activerehashing: param({ type: bool, default: true, mutable: true, effect: inert('tuning: the keyspace table rehashes at once') }),
  'notify-keyspace-events': param({
    type: text(parseKeyspaceEvents, formatKeyspaceEvents),
    default: '',
    mutable: true,
    effect: works,
  }),
  'slowlog-log-slower-than': param({ type: int(-1n, LLONG_MAX), default: 10000, mutable: true, effect: works }),
  'slowlog-max-len': param({ type: int(0n, LLONG_MAX), default: 128, mutable: true, effect: works }),
  'latency-monitor-threshold': param({ type: int(0n, LLONG_MAX), default: 0, mutable: true, effect: works }),
  'latency-tracking': param({ type: bool, default: true, mutable: true, effect: works }),
  'latency-tracking-info-percentiles': param({
    type: text(parsePercentilesValue),
    default: '50 99 99.9',
    mutable: true,
    multiArg: true,
    effect: works,
  }),
  // Every delete frees in O(1) (store/lazy-free.ts); these choose what is
  // propagated (UNLINK) and counted in lazyfreed_objects, as in Redis.
  'lazyfree-lazy-eviction': param({ type: bool, default: false, mutable: true, effect: works }),
  'lazyfree-lazy-expire': param({ type: bool, default: false, mutable: true, effect: works }),
  'lazyfree-lazy-server-del': param({
    type: bool,
    default: false,
    mutable: true,
    effect: inert('tuning: a value replaced or deleted by the server is freed in O(1) either way'),
  }),
  'lazyfree-lazy-user-del': param({ type: bool, default: false, mutable: true, effect: works }),
  'lazyfree-lazy-user-flush': param({ type: bool, default: false, mutable: true, effect: works }),
  'busy-reply-threshold': param({ aliases: ['lua-time-limit'], type: int(0n, LLONG_MAX), default: 5000, mutable: true, effect: works }),
  'replica-read-only': param({ aliases: ['slave-read-only'], type: bool, default: true, mutable: true, effect: inert('reddish is never a replica') }),
  'io-threads': param({ type: int(1n, 128n), default: 1, mutable: false, effect: inert('tuning: Node runs the server on one thread') }),
  'cluster-enabled': param({ type: bool, default: false, mutable: false, effect: onlyNo('cluster mode') }),
  'enable-protected-configs': param({ type: oneOf('no', 'yes', 'local'), default: 'no', mutable: false, effect: works }),
  'enable-debug-command': param({ type: oneOf('no', 'yes', 'local'), default: 'no', mutable: false, effect: works }),
  'enable-module-command': param({
    type: oneOf('no', 'yes', 'local'),
    default: 'no',
    mutable: false,
    effect: inert('reddish has no MODULE command: its modules are built in'),
  }),
  // TLS (server/tls.ts). The port can't move at run time, as `port` can't: Node listens asynchronously.
  'tls-port': param({ type: int(0n, 65535n), default: 0, mutable: false, effect: works }),
  'tls-cert-file': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-key-file': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-key-file-pass': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-client-cert-file': param({ type: text(), default: '', mutable: true, effect: inert(NO_OUTGOING_TLS) }),
  'tls-client-key-file': param({ type: text(), default: '', mutable: true, effect: inert(NO_OUTGOING_TLS) }),
  'tls-client-key-file-pass': param({ type: text(), default: '', mutable: true, effect: inert(NO_OUTGOING_TLS) }),
  'tls-dh-params-file': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-ca-cert-file': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-ca-cert-dir': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-auth-clients': param({ type: oneOf('no', 'yes', 'optional'), default: 'yes', mutable: true, effect: works }),
  'tls-protocols': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-ciphers': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-ciphersuites': param({ type: text(), default: '', mutable: true, effect: works }),
  'tls-prefer-server-ciphers': param({ type: bool, default: false, mutable: true, effect: works }),
  'tls-session-caching': param({ type: bool, default: true, mutable: true, effect: works }),
  'tls-session-cache-size': param({
    type: int(0n, INT_MAX),
    default: 20 * 1024,
    mutable: true,
    effect: inert('tuning: Node resumes TLS sessions with tickets, which need no server-side cache'),
  }),
  'tls-session-cache-timeout': param({ type: int(0n, INT_MAX), default: 300, mutable: true, effect: works }),
  'tls-replication': param({ type: bool, default: false, mutable: true, effect: onlyNo('replication') }),
  'tls-cluster': param({ type: bool, default: false, mutable: true, effect: onlyNo('cluster mode') }),
  // Enforced per class by server/output-buffer-limits.ts (reddish has no replicas, so the replica class limits nobody).
  // reddish's own (not Redis's): the Redis version it presents, see compat-version.ts.
  'compat-version': param({ type: text(parseCompatVersion), default: '', mutable: true, effect: works }),
  'client-output-buffer-limit': param({
    type: text(parseOutputBufferLimits),
    default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    mutable: true,
    multiArg: true,
    effect: works,
  }),
};

/** A parameter's name, as the typed accessors take it. */
export type ParamName = keyof typeof REGISTRY;
/** The type of a parameter's value: `ParamValue<'hz'>` is number, `ParamValue<'loglevel'>` a union of its words. */
export type ParamValue<N extends ParamName> = ValueOf<(typeof REGISTRY)[N]['type']>;
/** Values for startServer's `config` and `new Config()`: typed, or as a config file writes them ('10mb', 'yes'). */
export type ConfigOverrides = { [N in ParamName]?: ParamValue<N> | string };

export interface ParamSpec extends ParamDef {
  readonly name: ParamName;
}

export const configParams: readonly ParamSpec[] = Object.entries(REGISTRY).map(([name, def]) => ({
  name: name as ParamName,
  ...(def as ParamDef),
}));

const paramsByName = new Map<string, ParamSpec>();
for (const p of configParams) {
  paramsByName.set(p.name, p);
  for (const alias of p.aliases ?? []) paramsByName.set(alias, p);
}

export function findParam(name: string): ParamSpec | undefined {
  return paramsByName.get(name.toLowerCase());
}

export function defaultValue(spec: ParamSpec): ConfigValue {
  return typeof spec.default === 'function' ? spec.default() : spec.default;
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

const MEMORY_UNITS: Record<string, bigint> = { b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };

/**
 * memtoull: "1gb" → 1073741824; k/m/g are powers of 1000, kb/mb/gb of 1024.
 * As in Redis, no digits at all ("", "kb") reads as 0.
 */
export function parseMemory(value: string): number | null {
  const n = parseMemoryExact(value);
  return n === null ? null : Number(n);
}

function parseMemoryExact(value: string): bigint | null {
  const m = /^(\d*)([a-z]*)$/i.exec(value);
  const mul = m ? MEMORY_UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || mul === undefined) return null;
  return BigInt(m[1] || '0') * mul;
}

/** string2ll: an optional minus and digits without leading zeros, within a long long. */
function parseLongLong(value: string): bigint | null {
  if (!/^(?:0|-?[1-9]\d*)$/.test(value)) return null;
  const n = BigInt(value);
  return n < -LLONG_MAX - 1n || n > LLONG_MAX ? null : n;
}

/**
 * Parses a value for a parameter, as a config file line or CONFIG SET gives
 * it. Returns the value to store, or the reason to refuse it: Redis's own
 * reason for a malformed value, or, for a `missing` parameter, that reddish
 * can't do what the value asks. `current` is the value it would replace.
 */
export function parseParamValue(spec: ParamSpec, raw: string, current: ConfigValue = defaultValue(spec)): Parsed<ConfigValue> {
  const parsed = parseTyped(spec.type, raw, String(current));
  if ('error' in parsed) return parsed;
  const effect = spec.effect;
  if (effect.kind === 'missing' && !effect.isOff(parsed.value)) {
    return { error: `reddish has no ${effect.lacks}; ${effect.accepted}` };
  }
  return parsed;
}

function parseTyped(t: ParamType, raw: string, current: string): Parsed<ConfigValue> {
  switch (t.kind) {
    case 'bool': {
      const v = raw.toLowerCase();
      if (v === 'yes') return { value: true };
      if (v === 'no') return { value: false };
      return { error: "argument must be 'yes' or 'no'" };
    }
    case 'int': {
      const n = parseLongLong(raw);
      if (n === null) return { error: "argument couldn't be parsed into an integer" };
      if (n < t.min || n > t.max) return { error: `argument must be between ${t.min} and ${t.max} inclusive` };
      return { value: t.adjust ? t.adjust(Number(n)) : Number(n) };
    }
    case 'memory': {
      let n = parseMemoryExact(raw);
      if (n === null && t.percent && /^\d+%$/.test(raw)) {
        n = -BigInt(raw.slice(0, -1));
        if (n < t.min) return { error: `percentage argument must be less or equal to ${-t.min}` };
      }
      if (n === null) return { error: t.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value' };
      if (n > t.max || (n >= 0n && n < t.min)) return { error: `argument must be between ${t.min} and ${t.max} inclusive` };
      return { value: Number(n) };
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!t.values.includes(v)) return { error: `argument(s) must be one of the following: ${t.values.join(', ')}` };
      return { value: v };
    }
    case 'string':
      return t.parse ? t.parse(raw, current) : { value: raw };
  }
}

/** How CONFIG GET prints a value. */
export function formatParamValue(spec: ParamSpec, value: ConfigValue): string {
  if (spec.type.kind === 'bool') return value ? 'yes' : 'no';
  if (spec.type.kind === 'memory' && spec.type.percent && (value as number) < 0) return `${-(value as number)}%`;
  if (spec.type.kind === 'string' && spec.type.format) return spec.type.format(value as string);
  return String(value);
}

/** The text a typed override stands for, so that it takes the same checks as a config file's. */
function overrideText(value: ConfigValue): string {
  return typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
}

/** C's strtoll where the whole string must be the number (leading blanks and a sign allowed). */
function strtollWhole(s: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?\d*)$/.exec(s);
  if (!m) return null;
  const digits = m[1]!.replace(/^[+-]/, '');
  return digits === '' ? 0n : BigInt(m[1]!);
}

/** setConfigSaveOption: "" or pairs of seconds (≥ 1) and changes (≥ 0), normalised as CONFIG GET prints them. */
function parseSave(raw: string): Parsed<string> {
  if (raw === '') return { value: '' };
  const words = raw.split(' ');
  const numbers = words.map(strtollWhole);
  if (words.length % 2 !== 0 || numbers.some((n, i) => n === null || n < (i % 2 === 0 ? 1n : 0n))) {
    return { error: 'Invalid save parameters' };
  }
  return { value: numbers.join(' ') };
}

/** A C double as string2d reads it: no blanks, the whole text a number (strtod also reads inf). */
const C_DOUBLE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?inf(?:inity)?$/i;

/**
 * setConfigLatencyTrackingInfoPercentilesOutputOption: "" or percentiles
 * between 0 and 100, stored as CONFIG GET prints them ("%f" with the
 * trailing zeros trimmed: "50 99 99.9").
 */
function parsePercentilesValue(raw: string): Parsed<string> {
  if (raw === '') return { value: '' };
  const printed: string[] = [];
  for (const word of raw.split(' ')) {
    if (!C_DOUBLE.test(word)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    const percentile = /inf/i.test(word) ? (word.startsWith('-') ? -Infinity : Infinity) : Number(word);
    if (percentile > 100 || percentile < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    printed.push(formatPercentile(percentile));
  }
  return { value: printed.join(' ') };
}

/** sprintf("%f") then trimDoubleString: 99.9 prints as "99.9", 50 as "50". */
export function formatPercentile(percentile: number): string {
  return percentile.toFixed(6).replace(/\.?0+$/, '');
}

/** latency-tracking-info-percentiles' stored value as numbers. */
export function parsePercentiles(value: string): number[] {
  return value === '' ? [] : value.split(' ').map(Number);
}

function parseCompatVersion(raw: string): Parsed<string> {
  const error = compatVersionError(raw);
  return error === null ? { value: raw } : { error };
}

/** setConfigNotifyKeyspaceEventsOption: letters of event classes, kept as given. */
function parseKeyspaceEvents(raw: string): Parsed<string> {
  if (keyspaceEventsStringToFlags(raw) === null) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  return { value: raw };
}

/**
 * getConfigNotifyKeyspaceEventsOption: the classes in Redis's order ("KEA"
 * reads back as "AKE"). Printed from the flags, as Redis prints them, so
 * `n` beside `A` is not shown ("KEAn" reads back as "AKE") but still works:
 * that is why the value is kept as given rather than as printed.
 */
function formatKeyspaceEvents(value: string): string {
  return keyspaceEventsFlagsToString(keyspaceEventsStringToFlags(value) ?? 0);
}

/** Redis's client classes for output buffer limits; `slave` and `replica` are one class. */
const OUTPUT_BUFFER_CLASSES: Record<string, number> = { normal: 0, slave: 1, replica: 1, pubsub: 2 };
const OUTPUT_BUFFER_CLASS_NAMES = ['normal', 'slave', 'pubsub'];

/**
 * updateClientOutputBufferLimit: `<class> <hard> <soft> <soft-seconds>`
 * groups. Only the classes named change, so the value is merged into the
 * current one, and stored as CONFIG GET prints all three.
 */
function parseOutputBufferLimits(raw: string, current: string): Parsed<string> {
  const words = raw === '' ? [] : raw.split(' ');
  if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  const limits = current.split(' ');
  const next = OUTPUT_BUFFER_CLASS_NAMES.map((_, i) => limits.slice(i * 4 + 1, i * 4 + 4));
  for (let i = 0; i < words.length; i += 4) {
    const cls = OUTPUT_BUFFER_CLASSES[words[i]!.toLowerCase()];
    if (cls === undefined) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = parseMemoryExact(words[i + 1]!);
    const soft = parseMemoryExact(words[i + 2]!);
    const seconds = strtollWhole(words[i + 3]!);
    if (hard === null || soft === null || seconds === null || seconds < 0n) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    next[cls] = [String(hard), String(soft), String(seconds)];
  }
  return { value: OUTPUT_BUFFER_CLASS_NAMES.map((name, i) => `${name} ${next[i]!.join(' ')}`).join(' ') };
}

/** isValidDBfilename / isValidAOFfilename / isValidAOFdirname: a name, not a path. */
function baseName(option: string, what: string, allowEmpty = false): (raw: string) => Parsed<string> {
  return (raw) => {
    if (raw === '' && !allowEmpty) return { error: `${option} can't be empty` };
    if (raw.includes('/') || raw.includes('\\')) return { error: `${option} can't be a path, just a ${what}` };
    return { value: raw };
  };
}

/** strerror's words for the errors reddish meets on files and directories. */
const STRERROR: Record<string, string> = {
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EIO: 'Input/output error',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EPIPE: 'Broken pipe',
  EINVAL: 'Invalid argument',
};

/** C's strerror for a Node error: the words Redis would print. */
export function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return STRERROR[code] ?? (err as Error).message;
}

/**
 * `dir`: what chdir would refuse is refused with its strerror text; an
 * accepted directory is stored as the physical path getcwd() would give
 * after the chdir, which is what Redis's CONFIG GET prints.
 */
function parseDir(raw: string): Parsed<string> {
  try {
    // realpath('') would mean the working directory; chdir('') fails.
    if (raw === '') fs.statSync(raw);
    const physical = fs.realpathSync(raw);
    if (!fs.statSync(physical).isDirectory()) return { error: STRERROR['ENOTDIR']! };
    fs.accessSync(physical, fs.constants.X_OK);
    return { value: physical };
  } catch (err) {
    return { error: strerror(err) };
  }
}

/** CONFIG_BINDADDR_MAX */
const BIND_ADDRESSES_MAX = 16;

/** `bind`: up to 16 addresses, each optionally `-`-prefixed (listened on only if available), as Redis 7.0 takes them. */
function parseBind(raw: string): Parsed<string> {
  const addresses = bindAddresses(raw);
  if (addresses.length > BIND_ADDRESSES_MAX) return { error: 'Too many bind addresses specified.' };
  if (addresses.length === 0) return { error: 'bind needs at least one address' };
  return { value: addresses.join(' ') };
}

/** The addresses of a `bind` value, in order. */
export function bindAddresses(bind: string): string[] {
  return bind.split(' ').filter((a) => a !== '');
}

/** One address to listen on: the host net.Server takes, and whether it may be skipped when unavailable (`-`). */
export interface ListenAddress {
  host: string;
  optional: boolean;
}

/** The hosts a `bind` value means to net.Server: Redis's `*` wildcards and optional `-` prefixes translated. */
export function listenAddresses(bind: string): ListenAddress[] {
  return bindAddresses(bind).map((address) => {
    const optional = address.startsWith('-');
    const host = optional ? address.slice(1) : address;
    return { host: host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host, optional };
  });
}

/** CONFIG_MIN_RESERVED_FDS: the descriptors Redis keeps for itself besides its clients. */
const RESERVED_FDS = 32;

/**
 * The soft limit on open files (Node raises it to the hard limit at
 * startup), from /proc; null where there is no /proc to read.
 */
function openFilesLimit(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The most clients the open files limit allows, or null for no known limit. */
function maxclientsLimit(): number | null {
  const files = openFilesLimit();
  return files === null ? null : Math.max(files - RESERVED_FDS, 1);
}

// ---------------------------------------------------------------------------
// The live configuration
// ---------------------------------------------------------------------------

/** A configuration startServer, new Config() or a config file can't run with. */
export class ConfigError extends Error {
  constructor(
    readonly param: string,
    readonly reason: string,
  ) {
    super(`Bad configuration for '${param}': ${reason}`);
    this.name = 'ConfigError';
  }
}

export type ConfigListener = (value: ConfigValue, name: string) => void;
/** The client a CONFIG SET comes from, for Redis's protected configs. */
export interface ConfigClient {
  readonly isLocal: boolean;
}

/**
 * The live configuration of one server. Listeners let the parts that cache
 * a value (encoding thresholds, the expiry timer, the LFU policy) follow
 * CONFIG SET at once.
 */
export class Config {
  private readonly values = new Map<string, ConfigValue>();
  private readonly listeners = new Map<string, ConfigListener[]>();
  private readonly appliers = new Map<string, () => string | null>();

  /**
   * Starts from the defaults, then applies `overrides` with the checks a
   * config file gets (immutable parameters allowed). Throws ConfigError
   * for an unknown parameter, a bad value, or one reddish can't honour.
   */
  constructor(overrides: ConfigOverrides = {}) {
    for (const p of configParams) this.values.set(p.name, defaultValue(p));
    for (const [name, given] of Object.entries(overrides) as Array<[string, ConfigValue | undefined]>) {
      if (given === undefined) continue;
      const spec = findParam(name);
      if (!spec) throw new Error(`Unknown configuration parameter '${name}'`);
      const parsed = parseParamValue(spec, overrideText(given), this.values.get(spec.name));
      if ('error' in parsed) throw new ConfigError(name, parsed.error);
      this.values.set(spec.name, parsed.value);
    }
    // adjustOpenFilesLimit at startup: Redis lowers maxclients to what the process may open.
    const limit = maxclientsLimit();
    if (limit !== null && (this.values.get('maxclients') as number) > limit) this.values.set('maxclients', limit);
  }

  /**
   * Redis's apply functions: `apply` runs once per CONFIG SET that changed
   * one of `names`, after every value of it is set. An error it returns
   * undoes the whole CONFIG SET, which replies with it.
   */
  addApplier(names: readonly ParamName[], apply: () => string | null): void {
    for (const name of names) this.appliers.set(name, apply);
  }

  /** Runs each distinct applier of `specs` once, in order; the first error and the parameter it came with. */
  private runAppliers(specs: readonly ParamSpec[]): { name: string; error: string } | null {
    const ran = new Set<() => string | null>();
    for (const spec of specs) {
      const apply = this.appliers.get(spec.name);
      if (apply === undefined || ran.has(apply)) continue;
      ran.add(apply);
      const error = apply();
      if (error !== null) return { name: spec.name, error };
    }
    return null;
  }

  /** A parameter's value, typed by its name: `get('hz')` is a number. */
  get<N extends ParamName>(name: N): ParamValue<N> {
    return this.values.get(name) as ParamValue<N>;
  }

  /** Calls `listener` now and whenever the parameter changes. */
  watch<N extends ParamName>(name: N, listener: (value: ParamValue<N>, name: N) => void): void;
  watch(name: string, listener: ConfigListener): void {
    const spec = findParam(name);
    if (!spec) throw new Error(`Unknown configuration parameter '${name}'`);
    const list = this.listeners.get(spec.name) ?? [];
    list.push(listener);
    this.listeners.set(spec.name, list);
    listener(this.values.get(spec.name)!, spec.name);
  }

  /** Runs `apply` when CONFIG SET changes the parameter (not now); its refusal fails the CONFIG SET. */
  onApply<N extends ParamName>(name: N, apply: (value: ParamValue<N>) => string | null): void {
    // Applied only when the value differs from the one last applied: a failed CONFIG SET re-runs
    // the appliers of every parameter it named (restoreBackupConfig), changed or not.
    let applied = this.get(name);
    this.addApplier([name], () => {
      const value = this.get(name);
      if (value === applied) return null;
      const refused = apply(value);
      if (refused === null) applied = value;
      return refused;
    });
  }

  /** CONFIG GET: every (name, printed value) whose name or alias matches a pattern, each once. */
  matching(patterns: readonly string[]): Array<[string, string]> {
    // Keyed by lowercase name, as Redis's case-insensitive dict of matches.
    const out = new Map<string, [string, string]>();
    for (const pattern of patterns) {
      if (!/[*?[]/.test(pattern)) {
        // An exact name is echoed as the client spelt it.
        const exact = paramsByName.get(pattern.toLowerCase());
        if (exact && !out.has(pattern.toLowerCase())) {
          out.set(pattern.toLowerCase(), [pattern, formatParamValue(exact, this.values.get(exact.name)!)]);
        }
        continue;
      }
      for (const p of configParams) {
        for (const name of [p.name, ...(p.aliases ?? [])]) {
          if (!out.has(name) && stringMatch(pattern, name, true)) out.set(name, [name, formatParamValue(p, this.values.get(p.name)!)]);
        }
      }
    }
    return [...out.values()];
  }

  /**
   * CONFIG SET with several pairs, as configSetCommand runs it: first every
   * name is looked up (unknown, immutable, protected, duplicate), then every
   * value parsed; all are checked before any is applied, so a bad pair
   * changes nothing. Returns the error reply, or null once applied.
   */
  setMany(pairs: ReadonlyArray<[string, string]>, client: ConfigClient = { isLocal: false }): string | null {
    const failed = configSetFailed;
    const specs: ParamSpec[] = [];
    for (const [name] of pairs) {
      const spec = findParam(name);
      if (!spec) return configSetUnknown(name);
      if (!spec.mutable) return failed(name, "can't set immutable config");
      if (spec.protected && !allowProtectedAction(this.get('enable-protected-configs'), client)) {
        return failed(name, "can't set protected config");
      }
      if (specs.includes(spec)) return failed(name, 'duplicate parameter');
      specs.push(spec);
    }
    const proposed = new Map(this.values);
    for (let i = 0; i < pairs.length; i++) {
      const spec = specs[i]!;
      // Redis names the parameter as registered: lowercase, and the alias if one was used.
      const registered = pairs[i]![0].toLowerCase();
      const parsed = parseParamValue(spec, pairs[i]![1], proposed.get(spec.name));
      if ('error' in parsed) return failed(registered, parsed.error);
      // updateMaxclients: more clients than the process may open files for is refused.
      const limit = spec.name === 'maxclients' ? maxclientsLimit() : null;
      if (limit !== null && (parsed.value as number) > limit) {
        return failed(registered, `The operating system is not able to handle the specified number of clients, try with ${limit}`);
      }
      proposed.set(spec.name, parsed.value);
    }
    // As Redis sets every value before running any apply function, every watcher sees the whole change.
    const previous = specs.map((spec) => this.values.get(spec.name)!);
    for (const spec of specs) this.values.set(spec.name, proposed.get(spec.name)!);
    const applyError = this.runAppliers(specs.filter((spec, i) => previous[i] !== this.values.get(spec.name)));
    if (applyError !== null) {
      // restoreBackupConfig: the old values come back, and are applied again.
      specs.forEach((spec, i) => this.values.set(spec.name, previous[i]!));
      this.runAppliers(specs);
      return failed(applyError.name, applyError.error);
    }
    for (const spec of specs) {
      for (const listener of this.listeners.get(spec.name) ?? []) listener(this.values.get(spec.name)!, spec.name);
    }
    return null;
  }
}

/**
 * allowProtectedAction: `yes` lets everyone, `local` only loopback clients,
 * `no` nobody. DEBUG (enable-debug-command) and the protected parameters
 * (enable-protected-configs) share it.
 */
export function allowProtectedAction(setting: 'no' | 'yes' | 'local', client: ConfigClient): boolean {
  return setting === 'yes' || (setting === 'local' && client.isLocal);
}
