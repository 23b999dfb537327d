/**
 * The slow log (Redis's slowlog.c): the latest `slowlog-max-len` calls that
 * took at least `slowlog-log-slower-than` microseconds, newest first, each
 * with an id, the Unix time it was logged, its duration, its arguments
 * (trimmed as Redis trims them) and the client's address and name.
 *
 * call() decides what is logged, as Redis's call() does: every call run
 * with CMD_CALL_SLOWLOG (commands inside EXEC and scripts too), except
 * commands flagged skip_slowlog (EXEC itself) and a blocking command that
 * blocked; that one is logged when it is served, with the time of its
 * first call plus the time of serving (updateStatsOnUnblock).
 */
import type { Client } from '../commands/types.js';

/** SLOWLOG_ENTRY_MAX_ARGC */
const ENTRY_MAX_ARGC = 32;
/** SLOWLOG_ENTRY_MAX_STRING */
const ENTRY_MAX_STRING = 128;
/** Redis's shared.redacted, shown for AUTH's password and the like. */
const REDACTED = '(redacted)';

export interface SlowLogEntry {
  readonly id: number;
  /** Unix seconds. */
  readonly time: number;
  readonly durationUs: number;
  readonly argv: readonly string[];
  /** getClientPeerId: `ip:port`, or `?:0` for a client with no socket. */
  readonly peer: string;
  readonly clientName: string;
}

export class SlowLog {
  /**
   * slowlog-log-slower-than in µs, or Infinity while it is negative (the
   * slow log disabled), so that call() compares once.
   */
  slowerThanUs = 10000;
  maxLen = 128;
  /** Newest first, as Redis's list (listAddNodeHead). */
  private entries: SlowLogEntry[] = [];
  private nextId = 0;

  /** slowlog-log-slower-than: negative disables the log. */
  setThreshold(us: number): void {
    this.slowerThanUs = us < 0 ? Infinity : us;
  }

  setMaxLen(maxLen: number): void {
    this.maxLen = maxLen;
    this.trim();
  }

  get length(): number {
    return this.entries.length;
  }

  /**
   * slowlogPushEntryIfNeeded: logs the call when it took at least the
   * threshold. `redacted` lists the argument positions shown as
   * "(redacted)" (AUTH's password, CONFIG SET requirepass's value).
   */
  push(c: Client, argv: readonly string[], durationUs: number, wallClockMs: number, redacted?: readonly number[]): void {
    if (durationUs < this.slowerThanUs) return;
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(wallClockMs / 1000),
      durationUs: Math.floor(durationUs),
      argv: trimArguments(argv, redacted),
      // getClientPeerId: a client with no connection (a script's, MONITOR's "lua") has no address.
      peer: c.socketless ? '?:0' : c.remoteAddress,
      clientName: c.name,
    });
    this.trim();
  }

  /** SLOWLOG GET: the newest `count` entries. */
  newest(count: number): readonly SlowLogEntry[] {
    return this.entries.slice(0, count);
  }

  /** SLOWLOG RESET: the ids keep counting, as in Redis. */
  reset(): void {
    this.entries = [];
  }

  private trim(): void {
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }
}

/**
 * slowlogCreateEntry's copy of argv: at most 32 arguments, the last of
 * them saying how many more there were, and each argument at most 128
 * bytes, followed by how many more there were.
 */
function trimArguments(argv: readonly string[], redacted: readonly number[] | undefined): string[] {
  const argc = Math.min(argv.length, ENTRY_MAX_ARGC);
  const out: string[] = new Array<string>(argc);
  for (let i = 0; i < argc; i++) {
    if (argc !== argv.length && i === argc - 1) {
      out[i] = `... (${argv.length - argc + 1} more arguments)`;
      continue;
    }
    const arg = redacted !== undefined && redacted.includes(i) ? REDACTED : argv[i]!;
    out[i] = arg.length > ENTRY_MAX_STRING ? `${arg.slice(0, ENTRY_MAX_STRING)}... (${arg.length - ENTRY_MAX_STRING} more bytes)` : arg;
  }
  return out;
}
