/**
 * The active expiry cycle (Redis's activeExpireCycle): `hz` times a second,
 * walk the keys that have a TTL and delete those whose time has passed, so
 * keys nobody touches still leave DBSIZE, SCAN and memory.
 *
 * Each database's walk resumes where the last cycle stopped. A cycle
 * examines at least a 1/hz share of each database's volatile keys, so every
 * one is looked at within about a second, and keeps going while more than
 * 10% of what it examines has expired (Redis's ACCEPTABLE_STALE), but never
 * for longer than 25% of the cycle period: bounded CPU, as in Redis.
 */
import { performance } from 'node:perf_hooks';
import type { Propagation } from '../commands/propagation.js';
import type { Keyspace } from '../store/keyspace.js';

/** ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP */
const KEYS_PER_LOOP = 20;
/** ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC */
const TIME_PERCENT = 25;
/** ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE */
const ACCEPTABLE_STALE_PERCENT = 10;
/** HFE_DB_BASE_ACTIVE_EXPIRE_FIELDS_PER_SEC: hash fields a second, shared out over the hz cycles. */
const HASH_FIELDS_PER_SECOND = 10000;

export class ActiveExpiry {
  /** DEBUG SET-ACTIVE-EXPIRE 0 turns the cycle off (lazy expiry stays on). */
  enabled = true;
  private timer: NodeJS.Timeout | null = null;
  private hz = 10;

  constructor(
    private readonly keyspace: Keyspace,
    private readonly now: () => number,
    private readonly propagation: Propagation,
    /** A script is busy: Redis runs no time events then, and a script must not see keys vanish between its calls. */
    private readonly scriptBusy: () => boolean = () => false,
    /** Where the cycle's time goes as the `expire-cycle` latency event. */
    private readonly latency: { sample(event: string, ms: number): void } | null = null,
  ) {}

  start(hz: number): void {
    this.hz = Math.max(1, hz);
    this.stop();
    this.timer = setInterval(() => this.cycle(), Math.floor(1000 / this.hz));
    // The listener keeps a server alive; this timer must never do so alone.
    this.timer.unref();
  }

  setHz(hz: number): void {
    if (this.timer !== null) this.start(hz);
    else this.hz = Math.max(1, hz);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * One cycle; returns how many keys it deleted (hash fields are counted in
   * stats.expiredSubkeys instead). Exposed for tests. Each
   * deletion propagates a DEL of its own, never wrapped in MULTI/EXEC, as
   * Redis's activeExpireCycle does (propagate_no_multi).
   */
  cycle(): number {
    if (!this.enabled || this.scriptBusy()) return 0;
    const started = performance.now();
    try {
      return this.expireSome();
    } finally {
      this.propagation.flush(true);
      this.latency?.sample('expire-cycle', performance.now() - started);
    }
  }

  private expireSome(): number {
    const started = performance.now();
    const timeLimitMs = (1000 / this.hz) * (TIME_PERCENT / 100);
    this.keyspace.now = this.now();
    // CLIENT PAUSE: the dataset must hold still, expiry included.
    if (this.keyspace.now <= this.keyspace.expiryHeldUntil) return 0;
    let deleted = 0;
    // activeExpireCycle runs the hash fields' share first (activeExpireHashFieldCycle).
    const fieldQuota = Math.max(1, Math.floor(HASH_FIELDS_PER_SECOND / this.hz));
    for (const db of this.keyspace.databases) {
      if (db.fieldExpiry.length !== 0) db.activeExpireFieldsStep(fieldQuota);
    }
    for (const db of this.keyspace.databases) {
      if (db.expires.size === 0) continue;
      const share = Math.max(KEYS_PER_LOOP, Math.ceil(db.expires.size / this.hz));
      let examinedThisDb = 0;
      for (;;) {
        const step = db.activeExpireStep(KEYS_PER_LOOP);
        this.keyspace.stats.activeExpireExamined += step.examined;
        examinedThisDb += step.examined;
        deleted += step.expired;
        if (step.examined === 0 || db.expires.size === 0) break;
        if (performance.now() - started > timeLimitMs) return deleted;
        const stale = (step.expired * 100) / step.examined > ACCEPTABLE_STALE_PERCENT;
        if (examinedThisDb >= share && !stale) break;
        if (step.wrapped && !stale) break;
      }
    }
    return deleted;
  }
}
