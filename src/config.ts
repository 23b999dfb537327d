/**
 * Every configuration parameter, declared once: its name (and Redis's old
 * aliases), type, default, limits, and whether CONFIG SET may change it at
 * run time. CONFIG GET/SET, the command line and the config file all go
 * through this registry, so a parameter behaves the same everywhere.
 *
 * Value texts and error texts follow Redis 7's config.c: booleans are
 * yes/no, memory sizes accept k/kb/m/mb/g/gb, and a rejected CONFIG SET says
 * "CONFIG SET failed (possibly related to argument 'x') - <reason>".
 */
import { stringMatch } from './text/glob.js';

export type ConfigValue = string | number | boolean;

type ParamType =
  | { kind: 'bool' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'memory'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string'; validate?: (value: string) => string | null };

export interface ParamSpec {
  name: string;
  aliases?: readonly string[];
  type: ParamType;
  default: ConfigValue;
  /** False for parameters only the command line or config file may set. */
  mutable: boolean;
}

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

const bool = { kind: 'bool' } as const;
const int = (min: number, max: number): ParamType => ({ kind: 'int', min, max });
const memory = (min = 0, max = LONG_MAX): ParamType => ({ kind: 'memory', min, max });
const oneOf = (...values: string[]): ParamType => ({ kind: 'enum', values });
const text = (validate?: (value: string) => string | null): ParamType => ({ kind: 'string', validate });

/** `save "3600 1 300 100"`: pairs of seconds and changes. */
function validateSave(value: string): string | null {
  const parts = value.split(' ').filter((p) => p !== '');
  if (parts.length % 2 !== 0) return 'Invalid save parameters';
  for (const p of parts) if (!/^\d+$/.test(p)) return 'Invalid save parameters';
  return null;
}

const MAXMEMORY_POLICIES = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
];

/** The registry. Defaults are Redis 7's built-in ones unless a comment says otherwise. */
export const configParams: readonly ParamSpec[] = [
  { name: 'port', type: int(0, 65535), default: 6379, mutable: false },
  // reddish listens on loopback by default: it is usually embedded in tests.
  { name: 'bind', type: text(), default: '127.0.0.1', mutable: false },
  { name: 'requirepass', type: text(), default: '', mutable: true },
  { name: 'databases', type: int(1, INT_MAX), default: 16, mutable: false },
  { name: 'loglevel', type: oneOf('debug', 'verbose', 'notice', 'warning', 'nothing'), default: 'notice', mutable: true },
  { name: 'logfile', type: text(), default: '', mutable: false },
  { name: 'daemonize', type: bool, default: false, mutable: false },
  { name: 'protected-mode', type: bool, default: true, mutable: true },
  { name: 'tcp-backlog', type: int(0, INT_MAX), default: 511, mutable: false },
  { name: 'timeout', type: int(0, INT_MAX), default: 0, mutable: true },
  { name: 'tcp-keepalive', type: int(0, INT_MAX), default: 300, mutable: true },
  { name: 'maxclients', type: int(1, INT_MAX), default: 10000, mutable: true },
  { name: 'hz', type: int(0, INT_MAX), default: 10, mutable: true },
  { name: 'dynamic-hz', type: bool, default: true, mutable: true },
  { name: 'active-expire-effort', type: int(1, 10), default: 1, mutable: true },
  { name: 'proto-max-bulk-len', type: memory(1024 * 1024, LONG_MAX), default: 512 * 1024 * 1024, mutable: true },
  { name: 'client-query-buffer-limit', type: memory(1024 * 1024, LONG_MAX), default: 1024 * 1024 * 1024, mutable: true },
  { name: 'maxmemory', type: memory(), default: 0, mutable: true },
  { name: 'maxmemory-policy', type: oneOf(...MAXMEMORY_POLICIES), default: 'noeviction', mutable: true },
  { name: 'maxmemory-samples', type: int(1, INT_MAX), default: 5, mutable: true },
  { name: 'maxmemory-eviction-tenacity', type: int(0, 100), default: 10, mutable: true },
  { name: 'maxmemory-clients', type: memory(), default: 0, mutable: true },
  { name: 'lfu-log-factor', type: int(0, INT_MAX), default: 10, mutable: true },
  { name: 'lfu-decay-time', type: int(0, INT_MAX), default: 1, mutable: true },
  { name: 'save', type: text(validateSave), default: '3600 1 300 100 60 10000', mutable: true },
  { name: 'appendonly', type: bool, default: false, mutable: true },
  { name: 'appendfsync', type: oneOf('always', 'everysec', 'no'), default: 'everysec', mutable: true },
  { name: 'appendfilename', type: text(), default: 'appendonly.aof', mutable: false },
  { name: 'appenddirname', type: text(), default: 'appendonlydir', mutable: false },
  { name: 'dir', type: text(), default: '.', mutable: true },
  { name: 'dbfilename', type: text(), default: 'dump.rdb', mutable: true },
  { name: 'rdbcompression', type: bool, default: true, mutable: true },
  { name: 'rdbchecksum', type: bool, default: true, mutable: true },
  { name: 'stop-writes-on-bgsave-error', type: bool, default: true, mutable: true },
  // Encoding thresholds: accepted, stored, returned, and read by OBJECT ENCODING.
  { name: 'hash-max-listpack-entries', aliases: ['hash-max-ziplist-entries'], type: memory(), default: 128, mutable: true },
  { name: 'hash-max-listpack-value', aliases: ['hash-max-ziplist-value'], type: memory(), default: 64, mutable: true },
  { name: 'set-max-intset-entries', type: memory(), default: 512, mutable: true },
  { name: 'set-max-listpack-entries', type: memory(), default: 128, mutable: true },
  { name: 'set-max-listpack-value', type: memory(), default: 64, mutable: true },
  { name: 'zset-max-listpack-entries', aliases: ['zset-max-ziplist-entries'], type: memory(), default: 128, mutable: true },
  { name: 'zset-max-listpack-value', aliases: ['zset-max-ziplist-value'], type: memory(), default: 64, mutable: true },
  { name: 'list-max-listpack-size', aliases: ['list-max-ziplist-size'], type: int(-5, INT_MAX), default: -2, mutable: true },
  { name: 'list-compress-depth', type: int(0, INT_MAX), default: 0, mutable: true },
  { name: 'hll-sparse-max-bytes', type: memory(0, LONG_MAX), default: 3000, mutable: true },
  { name: 'stream-node-max-bytes', type: memory(), default: 4096, mutable: true },
  { name: 'stream-node-max-entries', type: int(0, INT_MAX), default: 100, mutable: true },
  { name: 'activerehashing', type: bool, default: true, mutable: true },
  { name: 'notify-keyspace-events', type: text(), default: '', mutable: true },
  { name: 'slowlog-log-slower-than', type: int(-1, INT_MAX), default: 10000, mutable: true },
  { name: 'slowlog-max-len', type: int(0, INT_MAX), default: 128, mutable: true },
  { name: 'latency-monitor-threshold', type: int(0, INT_MAX), default: 0, mutable: true },
  { name: 'lazyfree-lazy-eviction', type: bool, default: false, mutable: true },
  { name: 'lazyfree-lazy-expire', type: bool, default: false, mutable: true },
  { name: 'lazyfree-lazy-server-del', type: bool, default: false, mutable: true },
  { name: 'lazyfree-lazy-user-del', type: bool, default: false, mutable: true },
  { name: 'lazyfree-lazy-user-flush', type: bool, default: false, mutable: true },
  { name: 'busy-reply-threshold', aliases: ['lua-time-limit'], type: int(0, INT_MAX), default: 5000, mutable: true },
  { name: 'replica-read-only', aliases: ['slave-read-only'], type: bool, default: true, mutable: true },
  { name: 'io-threads', type: int(1, 128), default: 1, mutable: false },
  { name: 'cluster-enabled', type: bool, default: false, mutable: false },
  { name: 'enable-debug-command', type: oneOf('no', 'yes', 'local'), default: 'no', mutable: false },
  { name: 'client-output-buffer-limit', type: text(), default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true },
];

const paramsByName = new Map<string, ParamSpec>();
for (const p of configParams) {
  paramsByName.set(p.name, p);
  for (const alias of p.aliases ?? []) paramsByName.set(alias, p);
}

export function findParam(name: string): ParamSpec | undefined {
  return paramsByName.get(name.toLowerCase());
}

/** memtoull: "1gb" → 1073741824; k/m/g are powers of 1000, kb/mb/gb of 1024. */
export function parseMemory(value: string): number | null {
  const m = /^(-?\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(value);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 * 1024, g: 1e9, gb: 1024 * 1024 * 1024 };
  return n * mul[unit]!;
}

/**
 * Parses a value for a parameter. Returns the typed value, or the reason
 * Redis gives for rejecting it.
 */
export function parseParamValue(spec: ParamSpec, raw: string): { value: ConfigValue } | { error: string } {
  const t = spec.type;
  switch (t.kind) {
    case 'bool': {
      const v = raw.toLowerCase();
      if (v === 'yes') return { value: true };
      if (v === 'no') return { value: false };
      return { error: "argument must be 'yes' or 'no'" };
    }
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return { error: "argument couldn't be parsed into an integer" };
      const n = Number(raw);
      if (n < t.min || n > t.max) return { error: `argument must be between ${t.min} and ${t.max} inclusive` };
      return { value: n };
    }
    case 'memory': {
      const n = parseMemory(raw);
      if (n === null) return { error: 'argument must be a memory value' };
      if (n < t.min || n > t.max) return { error: `argument must be between ${t.min} and ${t.max} inclusive` };
      return { value: n };
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!t.values.includes(v)) return { error: `argument(s) must be one of the following: ${t.values.join(', ')}` };
      return { value: v };
    }
    case 'string': {
      const reason = t.validate?.(raw) ?? null;
      if (reason !== null) return { error: reason };
      return { value: raw };
    }
  }
}

/** How CONFIG GET prints a value. */
export function formatParamValue(spec: ParamSpec, value: ConfigValue): string {
  if (spec.type.kind === 'bool') return value ? 'yes' : 'no';
  return String(value);
}

export type ConfigListener = (value: ConfigValue, name: string) => void;

/**
 * The live configuration of one server. Listeners let the parts that cache
 * a value (encoding thresholds, the expiry timer, the LFU policy) follow
 * CONFIG SET at once.
 */
export class Config {
  private readonly values = new Map<string, ConfigValue>();
  private readonly listeners = new Map<string, ConfigListener[]>();

  constructor(overrides: Record<string, ConfigValue> = {}) {
    for (const p of configParams) this.values.set(p.name, p.default);
    for (const [name, value] of Object.entries(overrides)) {
      const spec = findParam(name);
      if (!spec) throw new Error(`Unknown configuration parameter '${name}'`);
      this.values.set(spec.name, value);
    }
  }

  get(name: string): ConfigValue {
    const spec = findParam(name);
    if (!spec) throw new Error(`Unknown configuration parameter '${name}'`);
    return this.values.get(spec.name)!;
  }

  getNumber(name: string): number {
    return this.get(name) as number;
  }

  getString(name: string): string {
    return this.get(name) as string;
  }

  getBool(name: string): boolean {
    return this.get(name) as boolean;
  }

  /** Sets an already validated value and tells the listeners. */
  set(spec: ParamSpec, value: ConfigValue): void {
    this.values.set(spec.name, value);
    for (const listener of this.listeners.get(spec.name) ?? []) listener(value, spec.name);
  }

  /** Calls `listener` now and whenever the parameter changes. */
  watch(name: string, listener: ConfigListener): void {
    const spec = findParam(name)!;
    const list = this.listeners.get(spec.name) ?? [];
    list.push(listener);
    this.listeners.set(spec.name, list);
    listener(this.values.get(spec.name)!, spec.name);
  }

  /** CONFIG GET: every (name, printed value) whose name or alias matches a pattern. */
  matching(patterns: readonly string[]): Array<[string, string]> {
    const out = new Map<string, string>();
    for (const pattern of patterns) {
      const exact = paramsByName.get(pattern.toLowerCase());
      if (exact && !/[*?[]/.test(pattern)) {
        out.set(pattern.toLowerCase(), formatParamValue(exact, this.values.get(exact.name)!));
        continue;
      }
      for (const p of configParams) {
        for (const name of [p.name, ...(p.aliases ?? [])]) {
          if (stringMatch(pattern, name, true)) out.set(name, formatParamValue(p, this.values.get(p.name)!));
        }
      }
    }
    return [...out];
  }

  /**
   * CONFIG SET with several pairs: all are checked before any is applied, so
   * a bad pair changes nothing (Redis 7's atomic CONFIG SET).
   */
  setMany(pairs: ReadonlyArray<[string, string]>): string | null {
    const seen = new Set<string>();
    const parsed: Array<[ParamSpec, ConfigValue]> = [];
    for (const [name, raw] of pairs) {
      const spec = findParam(name);
      if (!spec) return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
      if (seen.has(spec.name)) return `ERR CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
      seen.add(spec.name);
      if (!spec.mutable) return `ERR CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`;
      const result = parseParamValue(spec, raw);
      if ('error' in result) return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${result.error}`;
      parsed.push([spec, result.value]);
    }
    for (const [spec, value] of parsed) this.set(spec, value);
    return null;
  }
}
