/**
 * MONITOR's feed (Redis's replicationFeedMonitors): every command that
 * call() runs is shown to each MONITOR client as one status line,
 *
 *   +<seconds>.<microseconds> [<db> <client address>] "arg" "arg" ...
 *
 * written after the command has run, with Redis's quoting (sdscatrepr).
 * Redis hides admin commands (CONFIG, CLIENT LIST, DEBUG...) and those
 * flagged skip_monitor, and shows the arguments that AUTH and HELLO AUTH
 * redact as "(redacted)".
 *
 * While nobody monitors, call() pays one size check and nothing else.
 */
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../clock.js';
import type { TableEntry } from '../commands/table.js';
import type { Client, MonitorService } from '../commands/types.js';

/** Redis's shared.redacted: what MONITOR shows in place of a secret. */
const REDACTED = '(redacted)';

export class MonitorFeed implements MonitorService {
  /** The MONITOR clients, in the order they started (Redis's server.monitors list). */
  private readonly monitors = new Set<Client>();
  /**
   * Arguments hidden from MONITOR, by the argv of the call that hid them
   * (Redis's c->original_argv). Keyed by the argv array itself, so an entry
   * can only ever apply to the call it was made for, nested calls (EXEC)
   * included, and is dropped with that argv.
   */
  private readonly redactions = new WeakMap<readonly string[], number[]>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.monitors.size;
  }

  has(client: Client): boolean {
    return this.monitors.has(client);
  }

  add(client: Client): void {
    this.monitors.add(client);
  }

  remove(client: Client): void {
    this.monitors.delete(client);
  }

  /** Recorded whether or not anyone monitors: the slow log shows the same "(redacted)". */
  redactArgument(argv: readonly string[], index: number): void {
    const hidden = this.redactions.get(argv);
    if (hidden === undefined) this.redactions.set(argv, [index]);
    else hidden.push(index);
  }

  redactedArguments(argv: readonly string[]): readonly number[] | undefined {
    return this.redactions.get(argv);
  }

  /**
   * call()'s feed: the command `entry` that `client` just ran, unless it is
   * an admin or skip_monitor command ("too dangerous to be shown").
   */
  commandDone(client: Client, entry: TableEntry, argv: readonly string[]): void {
    const flags = entry.spec.flags;
    if (flags.includes('admin') || flags.includes('skip_monitor')) return;
    this.feed(client, argv);
  }

  /** Shows `argv` as run by `client` to every monitor. */
  feed(client: Client, argv: readonly string[]): void {
    if (this.monitors.size === 0) return;
    const hidden = this.redactions.get(argv);
    let line = '+' + this.timestamp() + ' [' + client.db.id + ' ' + client.remoteAddress + ']';
    for (let i = 0; i < argv.length; i++) {
      line += ' ' + quoteArgument(hidden !== undefined && hidden.includes(i) ? REDACTED : argv[i]!);
    }
    line += '\r\n';
    for (const monitor of this.monitors) {
      // _addReplyToBufferOrList: nothing more reaches a client that closes after its reply (QUIT).
      if (monitor.closeAfterReply) continue;
      monitor.reply.raw(line);
      monitor.outputAdded();
    }
  }

  /**
   * `%ld.%06ld` of gettimeofday. With the system clock the microseconds
   * come from the high-resolution timer, since Date.now() has only
   * milliseconds; an injected clock (ManualClock) is used as it is, so the
   * lines agree with TIME and expiry.
   */
  private timestamp(): string {
    const micros = this.clock === systemClock ? Math.floor((performance.timeOrigin + performance.now()) * 1000) : Math.floor(this.clock.now() * 1000);
    const seconds = Math.floor(micros / 1e6);
    return seconds + '.' + String(micros - seconds * 1e6).padStart(6, '0');
  }
}

/**
 * sdscatrepr: a double-quoted string where `\` and `"` are escaped, the
 * control characters \n \r \t \a \b are written as such, and every other
 * byte outside printable ASCII as \xHH (lowercase hex).
 */
export function quoteArgument(arg: string): string {
  let out = '"';
  let plainFrom = 0;
  for (let i = 0; i < arg.length; i++) {
    const code = arg.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e && code !== 0x5c && code !== 0x22) continue;
    out += arg.slice(plainFrom, i) + escapeByte(code);
    plainFrom = i + 1;
  }
  return out + arg.slice(plainFrom) + '"';
}

function escapeByte(code: number): string {
  switch (code) {
    case 0x5c:
      return '\\\\';
    case 0x22:
      return '\\"';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    default:
      return '\\x' + code.toString(16).padStart(2, '0');
  }
}
