/**
 * client-output-buffer-limit, enforced as Redis 7.0.15 enforces it
 * (networking.c checkClientOutputBufferLimits and
 * closeClientOnOutputBufferLimitReached).
 *
 * Each class of client (normal, replica, pubsub: CLIENT LIST's type) has a
 * hard limit, past which the client is closed at once, and a soft limit
 * with seconds, past which it is closed once it has stayed over it for
 * longer than that. A client's output is `Connection.outputBytes`: the
 * replies not yet written, the backlog, and what the socket still queues.
 *
 * This is not the backpressure that pauses a client pipelining without
 * reading (OUTPUT_HIGH_WATER in connection.ts): that holds back a client's
 * own replies by not reading its commands. A subscriber's messages are
 * produced by other clients' commands and cannot be held back, so without
 * this limit one subscriber that stops reading would grow the server
 * without bound.
 *
 * The checks run where output grows: when a message is added
 * (Connection.outputAdded), before each command of a batch and when a
 * batch is written. A client over its soft limit is also looked at by the
 * server's cron, as Redis's clientsCron does, so that it is closed after
 * its seconds even if nothing more is written to it.
 */
import type { Config } from '../config.js';
import { clientInfoLine, clientType } from '../commands/client.js';
import type { Connection } from './connection.js';

/** One class's limits; 0 turns a limit off. */
export interface ClassLimits {
  readonly hardBytes: number;
  readonly softBytes: number;
  readonly softSeconds: number;
}

/** The classes the limits are set for (a master is limited as a normal client). */
export interface OutputBufferLimitSettings {
  readonly normal: ClassLimits;
  readonly replica: ClassLimits;
  readonly pubsub: ClassLimits;
}

/** A client's soft limit timer when it is not over its soft limit (Redis's obuf_soft_limit_reached_time 0). */
export const SOFT_LIMIT_NOT_REACHED = -1;

/**
 * The stored value, as CONFIG GET prints it ("normal 0 0 0 slave 268435456
 * 67108864 60 pubsub 33554432 8388608 60"; config.ts validates and
 * normalises it), as numbers per class.
 */
export function parseLimitSettings(value: string): OutputBufferLimitSettings {
  const words = value.split(' ');
  const byClass = new Map<string, ClassLimits>();
  for (let i = 0; i + 3 < words.length; i += 4) {
    byClass.set(words[i]!, { hardBytes: Number(words[i + 1]), softBytes: Number(words[i + 2]), softSeconds: Number(words[i + 3]) });
  }
  const none: ClassLimits = { hardBytes: 0, softBytes: 0, softSeconds: 0 };
  return { normal: byClass.get('normal') ?? none, replica: byClass.get('slave') ?? none, pubsub: byClass.get('pubsub') ?? none };
}

export class OutputBufferLimits {
  private settings: OutputBufferLimitSettings = parseLimitSettings('');
  /**
   * The normal class has a limit (its default is none): without one, a
   * client with no subscriptions needs no check before each command.
   */
  normalLimited = false;
  /** Clients over their soft limit: the cron looks at these until they go below it or go away. */
  private readonly overSoftLimit = new Set<Connection>();

  /**
   * `nowMs` is the server's clock, Redis's server.unixtime: soft limits
   * count its whole seconds, so an injected ManualClock drives them too.
   * `mayWarn` is the server's log budget for per-client warnings.
   */
  constructor(
    config: Config,
    private readonly nowMs: () => number,
    private readonly mayWarn: () => boolean,
  ) {
    config.watch('client-output-buffer-limit', (value) => {
      this.settings = parseLimitSettings(value);
      this.normalLimited = this.settings.normal.hardBytes !== 0 || this.settings.normal.softBytes !== 0;
    });
  }

  /** The limits that apply to `c` now, by its CLIENT LIST type. */
  limitsFor(c: Connection): ClassLimits {
    const type = clientType(c);
    return type === 'pubsub' ? this.settings.pubsub : type === 'replica' ? this.settings.replica : this.settings.normal;
  }

  /**
   * closeClientOnOutputBufferLimitReached: closes `c` if its output
   * (`used`, its outputBytes when the caller has it) has passed its hard
   * limit, or its soft limit for longer than the soft seconds. Returns true
   * when it was closed. Cheap when the client's class has no limits, the
   * normal class's default, so it can run before every command.
   */
  enforce(c: Connection, used?: number): boolean {
    const limits = this.limitsFor(c);
    if (limits.hardBytes === 0 && limits.softBytes === 0) {
      if (c.softLimitReachedAt !== SOFT_LIMIT_NOT_REACHED) this.clearSoftLimit(c);
      return false;
    }
    used ??= c.outputBytes;
    // As Redis, a client with nothing held is not looked at (and keeps its soft limit timer).
    if (used === 0 || c.closingForOutputLimit) return false;
    if (!this.reached(c, limits, used)) return false;
    this.overSoftLimit.delete(c);
    if (this.mayWarn()) {
      c.log.warn({ client: clientInfoLine(c, null), bytes: used }, 'client scheduled to be closed ASAP for overcoming of output buffer limits');
    }
    c.closeForOutputLimit();
    return true;
  }

  /** clientsCron's check: closes the clients that have stayed over their soft limit for too long. */
  cron(): void {
    for (const c of this.overSoftLimit) {
      if (c.closed) this.overSoftLimit.delete(c);
      else this.enforce(c);
    }
  }

  /**
   * checkClientOutputBufferLimits: the hard limit counts at once, the soft
   * limit once the client has been over it for more than its seconds; a
   * client found below its soft limit starts again from zero.
   */
  private reached(c: Connection, limits: ClassLimits, used: number): boolean {
    const hard = limits.hardBytes !== 0 && used >= limits.hardBytes;
    let soft = limits.softBytes !== 0 && used >= limits.softBytes;
    if (soft) {
      const now = Math.floor(this.nowMs() / 1000);
      if (c.softLimitReachedAt === SOFT_LIMIT_NOT_REACHED) {
        c.softLimitReachedAt = now;
        this.overSoftLimit.add(c);
        soft = false;
      } else if (now - c.softLimitReachedAt <= limits.softSeconds) {
        soft = false;
      }
    } else if (c.softLimitReachedAt !== SOFT_LIMIT_NOT_REACHED) {
      this.clearSoftLimit(c);
    }
    return soft || hard;
  }

  private clearSoftLimit(c: Connection): void {
    c.softLimitReachedAt = SOFT_LIMIT_NOT_REACHED;
    this.overSoftLimit.delete(c);
  }
}
