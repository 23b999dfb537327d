/**
 * maxmemory: Redis's evict.c. Before each command (when maxmemory is set)
 * the dispatcher calls perform(); while the used-memory figure
 * (memory-accounting.ts) is over the limit, keys are evicted by the
 * configured policy. When nothing can be evicted (noeviction, or no
 * candidate left) the result is 'fail' and denyoom commands are refused
 * with -OOM.
 *
 * The LRU, LFU and volatile-ttl policies share Redis's eviction pool
 * (evictionPoolPopulate): each round samples maxmemory-samples keys per
 * database into a pool of the 16 best candidates seen so far, kept across
 * calls, and evicts the best one that still exists. The random policies
 * take one random key per round, visiting the databases in turn.
 *
 * An eviction deletes the key, counts it (INFO evicted_keys) and announces
 * `evicted` on the change seat, which propagates it as DEL (UNLINK under
 * lazyfree-lazy-eviction) and tells WATCH, tracking and notifications.
 * maxmemory-eviction-tenacity bounds the time one call may spend; past it
 * the rest is evicted by a timer between event-loop turns
 * (startEvictionTimeProc), and commands are let through meanwhile.
 */
import { performance } from 'node:perf_hooks';
import type { Keyspace } from '../store/keyspace.js';
import type { Database } from '../store/database.js';
import type { MemoryAccounting } from './memory-accounting.js';
import type { LatencyMonitor } from './latency-monitor.js';

/** EVPOOL_SIZE. */
const POOL_SIZE = 16;

export type EvictionResult = 'ok' | 'running' | 'fail';

export type MaxmemoryPolicy =
  | 'volatile-lru'
  | 'volatile-lfu'
  | 'volatile-random'
  | 'volatile-ttl'
  | 'allkeys-lru'
  | 'allkeys-lfu'
  | 'allkeys-random'
  | 'noeviction';

export interface EvictionSettings {
  maxmemory: number;
  policy: MaxmemoryPolicy;
  samples: number;
  tenacity: number;
  lazyEviction: boolean;
}

export interface EvictionHost {
  readonly keyspace: Keyspace;
  readonly memory: MemoryAccounting;
  /** Wall-clock ms, for CLIENT PAUSE's hold on the dataset. */
  now(): number;
  /** A script is running past busy-reply-threshold: no evictions then (isInsideYieldingLongCommand). */
  busy(): boolean;
  /** Deletes the key, as UNLINK does when `lazy` (lazyfree-lazy-eviction). */
  deleteKey(db: Database, key: string, lazy: boolean): void;
  /** Hands the evictions' DELs on, outside any command's unit (propagatePendingCommands). */
  flushPropagation(): void;
  /** Where the `eviction-cycle` and `eviction-del` latency events go. */
  readonly latency: LatencyMonitor;
}

export class Eviction {
  /** 0: no limit (the dispatcher's one check). */
  maxmemory = 0;
  policy: MaxmemoryPolicy = 'noeviction';
  samples = 5;
  tenacity = 10;
  lazyEviction = false;
  /** INFO stats evicted_keys. */
  evictedKeys = 0;
  /** Whether the last check before a command found memory over the limit (server.pre_command_oom_state). */
  preCommandOom = false;

  /** Sorted by idle, best candidate last (EvictionPoolLRU). Kept across calls, as Redis keeps it. */
  /**
   * The pool (Redis's EvictionPoolLRU) as three parallel arrays, sorted by
   * idle ascending, `poolLength` entries used: an eviction per SET at
   * maxmemory samples 5 keys, and an object per candidate plus splices
   * were a fifth of its CPU. `idle`: the larger, the better a candidate
   * (idle time, 255 - frequency, or how soon it expires).
   */
  private readonly poolKeys: string[] = new Array<string>(POOL_SIZE).fill('');
  private readonly poolDbIds = new Int32Array(POOL_SIZE);
  private readonly poolIdle = new Float64Array(POOL_SIZE);
  private poolLength = 0;
  /** The slots populate() samples into; grown for a maxmemory-samples above 64. */
  private sampledSlots = new Int32Array(64);
  private nextRandomDb = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly host: EvictionHost) {}

  /**
   * performEvictions: evicts until used memory is within maxmemory, the
   * time limit passes ('running': a timer goes on with it) or nothing is
   * left to evict ('fail').
   */
  perform(): EvictionResult {
    if (this.maxmemory === 0 || !this.safeToEvict()) return 'ok';
    if (this.host.memory.usedForEviction() <= this.maxmemory) return 'ok';
    if (this.policy === 'noeviction') return 'fail';
    const outcome = this.evictWithinTimeLimit();
    if (outcome === 'fail') return 'fail';
    if (outcome === 'timeout') this.startTimer();
    return this.timer !== null ? 'running' : 'ok';
  }

  /** Called when maxmemory or the policy changes: evict from a timer, not in CONFIG SET itself (updateMaxmemory). */
  limitChanged(): void {
    this.emptyPool();
    if (this.maxmemory !== 0) this.startTimer();
  }

  /** Server close: the timer must not outlive it. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private safeToEvict(): boolean {
    if (this.host.busy()) return false;
    // CLIENT PAUSE: the dataset holds still, for evictions as for expiry.
    return this.host.now() > this.host.keyspace.expiryHeldUntil;
  }

  /**
   * performEvictions' loop: evicts until within maxmemory ('ok'), out of
   * candidates ('fail'), or past the tenacity's time limit ('timeout',
   * checked every 16 keys as Redis does). The DELs leave at the end,
   * unwrapped.
   */
  private evictWithinTimeLimit(): 'ok' | 'fail' | 'timeout' {
    const memory = this.host.memory;
    const timeLimitUs = this.timeLimitUs();
    const started = performance.now();
    const latency = this.host.latency;
    const monitored = latency.monitoring;
    let freedKeys = 0;
    let outcome: 'ok' | 'fail' | 'timeout' = 'ok';
    while (memory.usedForEviction() > this.maxmemory) {
      const victim = this.pickVictim();
      if (victim === null) {
        outcome = 'fail';
        break;
      }
      if (monitored) {
        const deleteStarted = performance.now();
        this.evict(victim.db, victim.key);
        latency.sample('eviction-del', performance.now() - deleteStarted);
      } else {
        this.evict(victim.db, victim.key);
      }
      freedKeys++;
      if (freedKeys % 16 === 0 && (performance.now() - started) * 1000 > timeLimitUs) {
        outcome = 'timeout';
        break;
      }
    }
    // No `eviction-lazyfree`: Redis samples its wait for the lazy-free
    // thread's pending jobs there; reddish frees in O(1) and never waits.
    this.host.flushPropagation();
    if (monitored) latency.sample('eviction-cycle', performance.now() - started);
    return outcome;
  }

  /** evictionTimeLimitUs: tenacity 0..10 is 0..500 µs, then a 15% geometric progression; 100 is no limit. */
  private timeLimitUs(): number {
    const tenacity = this.tenacity;
    if (tenacity <= 10) return 50 * tenacity;
    if (tenacity < 100) return Math.floor(500 * 1.15 ** (tenacity - 10));
    return Infinity;
  }

  /** evictionTimeProc: goes on evicting between event-loop turns until within the limit or out of candidates. */
  private startTimer(): void {
    if (this.timer !== null) return;
    const step = (): void => {
      this.timer = null;
      if (this.maxmemory === 0 || this.policy === 'noeviction') return;
      // A busy script or a pause: look again later, as the time event would.
      if (!this.safeToEvict()) this.timer = setTimeout(step, 100).unref();
      else if (this.host.memory.usedForEviction() > this.maxmemory && this.evictWithinTimeLimit() === 'timeout') {
        this.timer = setTimeout(step, 0).unref();
      }
    };
    this.timer = setTimeout(step, 0).unref();
  }

  private evict(db: Database, key: string): void {
    this.host.deleteKey(db, key, this.lazyEviction);
    this.evictedKeys++;
    this.host.keyspace.events.keyModified(db, key, 'evicted', 0);
  }

  private pickVictim(): { db: Database; key: string } | null {
    const policy = this.policy;
    if (policy === 'allkeys-random' || policy === 'volatile-random') return this.pickRandom(policy === 'allkeys-random');
    return this.pickFromPool(policy.startsWith('allkeys'));
  }

  /** The random policies: a random key of the next database that has one. */
  private pickRandom(allKeys: boolean): { db: Database; key: string } | null {
    const databases = this.host.keyspace.databases;
    for (let i = 0; i < databases.length; i++) {
      const db = databases[++this.nextRandomDb % databases.length]!;
      if (allKeys) {
        if (db.dict.size === 0) continue;
        const key = db.dict.randomKey();
        if (key !== undefined) return { db, key };
      } else {
        if (db.expires.size === 0) continue;
        let picked: string | null = null;
        db.sampleVolatile(1, (key) => (picked = key));
        if (picked !== null) return { db, key: picked };
      }
    }
    return null;
  }

  /** The pool policies: refill the pool from every database, then take its best live entry. */
  private pickFromPool(allKeys: boolean): { db: Database; key: string } | null {
    const databases = this.host.keyspace.databases;
    for (;;) {
      let total = 0;
      for (const db of databases) {
        const size = allKeys ? db.dict.size : db.expires.size;
        if (size === 0) continue;
        this.populate(db, allKeys);
        total += size;
      }
      if (total === 0) return null;
      while (this.poolLength !== 0) {
        const last = --this.poolLength;
        const key = this.poolKeys[last]!;
        this.poolKeys[last] = '';
        const db = databases[this.poolDbIds[last]!]!;
        // A ghost: deleted (or its TTL gone) since it was pooled.
        if (allKeys ? db.hasEntry(key) : db.expires.has(key)) return { db, key };
      }
    }
  }

  /** evictionPoolPopulate: samples keys of `db` into the pool by how good a victim each is. */
  private populate(db: Database, allKeys: boolean): void {
    const keyspace = this.host.keyspace;
    const policy = this.policy;
    const lfu = policy.endsWith('-lfu');
    const ttl = policy === 'volatile-ttl';
    const dbId = db.id;
    if (allKeys) {
      const dict = db.dict;
      const wanted = Math.min(this.samples, dict.size);
      if (this.sampledSlots.length < wanted) this.sampledSlots = new Int32Array(wanted);
      const slots = this.sampledSlots;
      const found = dict.sampleSlots(wanted, slots);
      for (let i = 0; i < found; i++) {
        const clock = dict.clockAt(slots[i]!);
        this.insert(dict.keyAt(slots[i]!), dbId, lfu ? 255 - keyspace.frequency(clock) : keyspace.idleSeconds(clock));
      }
      return;
    }
    const consider = (key: string, idle: number): void => this.insert(key, dbId, idle);
    db.sampleVolatile(this.samples, (key, expireAt) => {
      if (ttl) {
        consider(key, -expireAt);
        return;
      }
      const clock = db.clockOf(key);
      if (clock === undefined) return;
      consider(key, lfu ? 255 - keyspace.frequency(clock) : keyspace.idleSeconds(clock));
    });
  }

  /**
   * evictionPoolPopulate's insertion: the pool stays sorted by idle
   * ascending; a candidate worse than every entry of a full pool is
   * dropped, and a better one pushes the worst (entry 0) out. As in Redis,
   * a key already pooled is not looked for: a second entry for it is a
   * ghost once the first is evicted, and pickFromPool skips ghosts.
   */
  private insert(key: string, dbId: number, idle: number): void {
    const keys = this.poolKeys;
    const dbIds = this.poolDbIds;
    const idles = this.poolIdle;
    const length = this.poolLength;
    let k = 0;
    while (k < length && idles[k]! < idle) k++;
    if (k === 0 && length === POOL_SIZE) return;
    if (length < POOL_SIZE) {
      // Room on the right: shift k.. one place right.
      for (let i = length; i > k; i--) {
        keys[i] = keys[i - 1]!;
        dbIds[i] = dbIds[i - 1]!;
        idles[i] = idles[i - 1]!;
      }
      this.poolLength = length + 1;
    } else {
      // Full: insert at k - 1, shifting ..k-1 one place left over the worst candidate.
      k--;
      for (let i = 0; i < k; i++) {
        keys[i] = keys[i + 1]!;
        dbIds[i] = dbIds[i + 1]!;
        idles[i] = idles[i + 1]!;
      }
    }
    keys[k] = key;
    dbIds[k] = dbId;
    idles[k] = idle;
  }

  private emptyPool(): void {
    this.poolKeys.fill('');
    this.poolLength = 0;
  }
}
