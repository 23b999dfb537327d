/**
 * CLIENT PAUSE and UNPAUSE (networking.c's pauseClients, unpauseClients
 * and checkClientPauseTimeoutAndReturnIfPaused, processCommand's check).
 *
 * - Under WRITE, a command that may change the dataset or replicate
 *   (write and may_replicate commands, EXEC of a queue holding one) waits;
 *   under ALL every command waits. The check comes after the command's
 *   rejections (unknown, arity, auth, ...), so a bad command is still
 *   refused at once, and before MULTI queueing, so a write waits even to
 *   be queued.
 * - A waiting client is parked: its command goes back to the head of its
 *   queue and its later pipelined commands wait behind it. When the pause
 *   ends, parked clients are released in the order they were parked and
 *   run that command from the start, as Redis reprocesses its postponed
 *   clients; they may be parked again if a new pause began.
 * - MONITOR clients are never paused (Redis marks them as replicas), nor
 *   are clients with no socket: Redis's scripts and module calls do not
 *   pass through processCommand.
 * - While paused the dataset holds still: expired keys read as missing
 *   but are not deleted, and active expiry skips its cycles
 *   (Keyspace.expiryHeldUntil).
 *
 * The pause ends at its end time (a timer, and the server cron for an
 * injected clock), or with CLIENT UNPAUSE. A second pause keeps the most
 * restrictive mode and the later end time.
 */
import type { Clock } from '../clock.js';
import type { TableEntry } from '../commands/table.js';
import type { Client, PauseMode, PauseService } from '../commands/types.js';
import type { Keyspace } from '../store/keyspace.js';

/** setTimeout's largest delay. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** A client that can wait for the end of a pause (a Connection). */
export interface PausableClient extends Client {
  /** The pause is over: run the parked command again, from the start. */
  resumeAfterPause(): void;
}

export class ClientPause implements PauseService {
  /** Redis's client_pause_type; 'off' when no pause is in force. */
  mode: PauseMode | 'off' = 'off';
  /** Redis's client_pause_end_time, on the server clock (ms). */
  private endMs = 0;
  private readonly parked: PausableClient[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly keyspace: Keyspace,
  ) {}

  /** The dispatcher's cheap check: false unless a pause is in force. */
  get active(): boolean {
    return this.mode !== 'off';
  }

  /** Clients waiting for the pause to end (they count in INFO blocked_clients). */
  get parkedCount(): number {
    return this.parked.length;
  }

  pause(endMs: number, mode: PauseMode): void {
    if (this.mode === 'off') {
      this.mode = mode;
      this.endMs = endMs;
    } else {
      if (mode === 'all') this.mode = 'all';
      this.endMs = Math.max(this.endMs, endMs);
    }
    // A pause whose end has already passed (timeout 0) is over at once.
    if (this.endMs < this.clock.now()) {
      this.unpause();
      return;
    }
    this.keyspace.expiryHeldUntil = this.endMs;
    this.armTimer();
  }

  unpause(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.keyspace.expiryHeldUntil = 0;
    if (this.mode === 'off') return;
    this.mode = 'off';
    this.endMs = 0;
    // In the order they were parked, as Redis's postponed_clients list.
    const released = this.parked.splice(0);
    for (const client of released) client.resumeAfterPause();
  }

  /** checkClientPauseTimeoutAndReturnIfPaused: ends a pause whose time has passed. */
  checkTimeout(): boolean {
    if (this.mode === 'off') return false;
    if (this.endMs < this.clock.now()) this.unpause();
    return this.active;
  }

  /**
   * processCommand's check: must `client`'s call of `entry` wait? Read
   * only while `active`. For EXEC, the commands it would run decide.
   */
  mustWait(client: Client, entry: TableEntry): boolean {
    if (!this.checkTimeout() || client.socketless || client.server.monitors.has(client)) return false;
    if (this.mode === 'all') return true;
    if (mayReplicate(entry)) return true;
    const queue = entry === client.server.commands.exec ? client.multi?.queue : undefined;
    return queue !== undefined && queue.some((queued) => mayReplicate(queued.entry));
  }

  /** Parks a client whose command must wait (Connection.postpone). */
  park(client: PausableClient): void {
    this.parked.push(client);
  }

  /** A parked client went away. */
  drop(client: Client): void {
    const at = this.parked.indexOf(client as PausableClient);
    if (at !== -1) this.parked.splice(at, 1);
  }

  /** Stops the timer (server shutdown). */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Wakes up just after the end time (the pause holds while now <= end).
   * An injected clock may not have moved by then; the server cron checks
   * again every tick, as Redis's serverCron does.
   */
  private armTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    const armedAt = this.clock.now();
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, this.endMs - armedAt + 1));
    this.timer = setTimeout(() => {
      this.timer = null;
      // Still paused: the wait was longer than a timer can take, or the
      // timer ran a little ahead of the clock. A clock that has not moved
      // at all is an injected one, left to the cron.
      if (this.checkTimeout() && this.clock.now() !== armedAt) this.armTimer();
    }, delay);
    this.timer.unref();
  }
}

/** is_may_replicate_command: a write, or a command that may replicate (PUBLISH, PFCOUNT). */
function mayReplicate(entry: TableEntry): boolean {
  const flags = entry.spec.flags;
  return flags.includes('write') || flags.includes('may_replicate');
}
