/**
 * The keyspace: every database, the time of the command being run, the
 * access clocks behind OBJECT IDLETIME / FREQ, and the counters INFO reports
 * (hits, misses, expired keys). One per server, so many servers can live in
 * one process without sharing anything.
 */
import { Database } from './database.js';
import { KeyspaceEvents, type KeyChange } from './keyspace-events.js';
import { LazyFree } from './lazy-free.js';
import { DEFAULT_ENCODING, LRU_CLOCK_MASK, STRING_ENCODING_BITS, type EncodingConfig } from './types.js';

/** LRU_CLOCK_MAX: Redis keeps the access clock in 24 bits. */
const LRU_CLOCK_MAX = (1 << 24) - 1;
/** LFU_INIT_VAL: the counter a new key starts with under an LFU policy. */
const LFU_INIT_VAL = 5;

/**
 * Changes whose bytes the Database already counted where it stored or
 * deleted the key (strings are immutable, deletions go through delete()):
 * no need to look the key up again to refresh a container's figure.
 */
const COUNTED_BY_STORE: ReadonlySet<KeyChange> = new Set<KeyChange>([
  'set', 'del', 'expired', 'evicted', 'expire', 'persist', 'incrby', 'incrbyfloat', 'append', 'setrange',
  'setbit', 'pfadd', 'rename_from', 'rename_to', 'move_from', 'move_to', 'copy_to', 'restore',
  // A field TTL set or removed changes no field or value, which is all the
  // hash's figure counts (HSETEX's fields were counted at its `hset`).
  'hexpire', 'hpersist',
]);

export interface KeyspaceStats {
  keyspaceHits: number;
  keyspaceMisses: number;
  expiredKeys: number;
  /** Keys examined by the active expiry cycle (INFO's expired_stale_perc needs this). */
  activeExpireExamined: number;
  /** Hash fields deleted because their TTL passed (Redis 7.4's expired_subkeys). */
  expiredSubkeys: number;
}

export interface AccessPolicy {
  /** True when maxmemory-policy is an LFU one: `lru` then holds LFU data. */
  lfu: boolean;
  lfuLogFactor: number;
  lfuDecayTime: number;
}

/**
 * A point-in-time snapshot being written (BGSAVE without fork, see
 * persistence/rdb-snapshot.ts). The database calls it before every change
 * to a key, and before handing out an object that its caller may mutate in
 * place, so that the snapshot can save the key's old value first.
 */
export interface SnapshotObserver {
  beforeKeyChange(db: Database, key: string): void;
}

export class Keyspace {
  readonly databases: Database[];
  /**
   * The snapshot in progress, null when none: the one field every write
   * path checks, so copy-on-write costs nothing when no save is running.
   */
  snapshot: SnapshotObserver | null = null;
  /** Epoch ms of the command being run; set by the dispatcher before each call. */
  now = 0;
  /** CLIENT NO-TOUCH: set while a no-touch client's command runs. */
  noTouch = false;
  /**
   * CLIENT PAUSE's end (epoch ms), 0 when there is none. Until then the
   * dataset holds still: an expired key reads as missing but stays, and
   * active expiry waits (Redis's checkClientPauseTimeoutAndReturnIfPaused
   * in expireIfNeeded and activeExpireCycle).
   */
  expiryHeldUntil = 0;
  /**
   * Set while the latency monitor is on: takes how long (ms) each expired
   * key's deletion took (Redis's `expire-del` event). Null otherwise, so
   * an expiry reads no clock.
   */
  expireDeleteLatency: ((ms: number) => void) | null = null;
  readonly stats: KeyspaceStats = { keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0, activeExpireExamined: 0, expiredSubkeys: 0 };
  readonly policy: AccessPolicy = { lfu: false, lfuLogFactor: 10, lfuDecayTime: 1 };
  /** The seat where every change to a key is announced (keyspace-events.ts). */
  readonly events = new KeyspaceEvents();
  /** UNLINK, FLUSH* ASYNC and lazyfree-lazy-* (lazy-free.ts). */
  readonly lazyFree = new LazyFree();
  /**
   * The server's encoding thresholds (the server replaces these defaults
   * with its live ones): a sorted set's size depends on its encoding.
   */
  encoding: EncodingConfig = { ...DEFAULT_ENCODING };

  private scanCursorSeq = 0;

  constructor(databaseCount: number, private readonly random: () => number = Math.random) {
    this.databases = [];
    for (let i = 0; i < databaseCount; i++) this.databases.push(new Database(i, this));
    // First of the seat's listeners: a container changed in place gets its new size counted.
    this.events.onKeyModified((db, key, event) => {
      // `set` first: SET is the hot path, and an identity test spares the Set probe.
      if (event !== 'set' && !COUNTED_BY_STORE.has(event)) db.refreshUsedBytes(key);
    });
    // Consumer-group changes are notified without signalModifiedKey, and change a stream's size too.
    this.events.onKeyNotified((db, key, event) => {
      if (!COUNTED_BY_STORE.has(event)) db.refreshUsedBytes(key);
    });
  }

  /** The bytes of every database's keys and values (Database.usedBytes). */
  get usedBytes(): number {
    let total = 0;
    for (const db of this.databases) total += db.usedBytes;
    return total;
  }

  /** A SCAN cursor no other live iteration uses. */
  issueScanCursor(): string {
    this.scanCursorSeq++;
    return String(this.scanCursorSeq);
  }

  /** The access clock a new key starts with (LRU seconds, or LFU minutes+counter). */
  newObjectClock(): number {
    if (this.policy.lfu) return (this.lfuTimeInMinutes() << 8) | LFU_INIT_VAL;
    return this.lruClock();
  }

  /**
   * Records an access to a key, as Redis's lookupKey does: the new clock
   * word for one that was `clock` (see Database.dict), encoding bits kept.
   */
  touched(clock: number): number {
    const raw = clock & STRING_ENCODING_BITS;
    if (this.policy.lfu) return raw | this.updateLfu(clock & LRU_CLOCK_MASK);
    return raw | this.lruClock();
  }

  /**
   * objectSetLRUOrLFU: the access clock of a key restored (RESTORE, or an
   * RDB's IDLE/FREQ opcodes) with an LFU counter (under an LFU policy) or an
   * idle time in seconds (otherwise); -1 for either means not given. A new
   * key's clock when the one given does not apply to the policy.
   */
  restoredClock(lfuFreq: number, lruIdleSeconds: number): number {
    if (this.policy.lfu) {
      return lfuFreq >= 0 ? (this.lfuTimeInMinutes() << 8) | lfuFreq : this.newObjectClock();
    }
    if (lruIdleSeconds < 0) return this.newObjectClock();
    // lru_clock - lru_idle, made positive once (estimateObjectIdleTime
    // unwraps it), then kept to the 24 bits of the robj field.
    let clock = BigInt(this.lruClock()) - BigInt(lruIdleSeconds);
    if (clock < 0n) clock += BigInt(LRU_CLOCK_MAX);
    return Number(BigInt.asUintN(24, clock));
  }

  /** OBJECT IDLETIME, in seconds (estimateObjectIdleTime), from a clock word. */
  idleSeconds(clock: number): number {
    const now = this.lruClock();
    const lru = clock & LRU_CLOCK_MASK;
    if (now >= lru) return now - lru;
    return now + (LRU_CLOCK_MAX - lru);
  }

  /** OBJECT FREQ: the decayed LFU counter (LFUDecrAndReturn), from a clock word. */
  frequency(clock: number): number {
    return this.lfuDecrAndReturn(clock & LRU_CLOCK_MASK);
  }

  /**
   * Expiry (lazy or active) has just deleted `key` from `db`: Redis's
   * deleteExpiredKeyAndPropagate, minus the propagation, which listens to
   * the `expired` event.
   */
  keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    this.events.keyModified(db, key, 'expired', 0);
  }

  /**
   * Expiry (lazy or active) has just deleted `fields` of the hash at `key`:
   * each propagates as an HDEL (propagateHashFieldDeletion, through the
   * fieldsExpired notice) and the hash announces one `hexpired`, which
   * Redis counts as no change (dirty).
   */
  hashFieldsExpired(db: Database, key: string, fields: readonly string[]): void {
    this.stats.expiredSubkeys += fields.length;
    this.events.fieldsExpired(db, key, fields);
    this.events.keyModified(db, key, 'hexpired', 0);
  }

  flushAll(): number {
    let removed = 0;
    for (const db of this.databases) removed += db.flush();
    return removed;
  }

  private lruClock(): number {
    return Math.floor(this.now / 1000) & LRU_CLOCK_MAX;
  }

  private lfuTimeInMinutes(): number {
    return Math.floor(this.now / 60000) & 65535;
  }

  /** LFUTimeElapsed: minutes since the stored time, with 16-bit wraparound. */
  private lfuTimeElapsed(ldt: number): number {
    const now = this.lfuTimeInMinutes();
    if (now >= ldt) return now - ldt;
    return 65535 - ldt + now;
  }

  private lfuDecrAndReturn(lru: number): number {
    const ldt = lru >>> 8;
    const counter = lru & 255;
    const periods = this.policy.lfuDecayTime ? Math.floor(this.lfuTimeElapsed(ldt) / this.policy.lfuDecayTime) : 0;
    if (periods) return periods > counter ? 0 : counter - periods;
    return counter;
  }

  /** updateLFU: decay, then a logarithmic increment (LFULogIncr). */
  private updateLfu(lru: number): number {
    let counter = this.lfuDecrAndReturn(lru);
    if (counter < 255) {
      const r = this.random();
      const baseval = Math.max(counter - LFU_INIT_VAL, 0);
      const p = 1.0 / (baseval * this.policy.lfuLogFactor + 1);
      if (r < p) counter++;
    }
    return (this.lfuTimeInMinutes() << 8) | counter;
  }
}
