/**
 * One logical database (SELECT n): the key → value dict and the key →
 * expire-time dict, as Redis's `redisDb` keeps them. Only keys with a TTL
 * pay for an `expires` entry, and the active expiry cycle walks only those.
 *
 * The database knows nothing of clients or RESP. It reads the time of the
 * current command from its Keyspace, so lazy expiry and TTLs agree with
 * each other within a command, as Redis's cached `mstime` does.
 */
import { performance } from 'node:perf_hooks';
import { RAW_STRING_ENCODING, STRING_ENCODING_BITS, type Value } from './types.js';
import type { Keyspace } from './keyspace.js';
import { KeyTable } from './key-table.js';
import { RedisHash } from './hash.js';
import { FieldExpiryIndex } from './hash-field-expiry.js';
import { DEFAULT_SAMPLES, keyOverhead, objectComputeSize, remeasureDue, stringObjectSize } from './memory-usage.js';

export interface ScanPage {
  cursor: string;
  keys: string[];
}

export class Database {
  /**
   * key → value, with each key's access clock word (Redis's robj `lru`:
   * LRU seconds or LFU minutes+counter, plus the string encoding bits of
   * types.ts). An open-addressing table that SCAN walks as dictScan does.
   */
  dict = new KeyTable<Value>();
  expires = new Map<string, number>();
  /**
   * The hashes that have field TTLs, by earliest deadline (Redis's
   * db->hexpires; see hash-field-expiry.ts). Every such hash has an entry
   * no later than its earliest field deadline, so a lookup only looks at a
   * hash's fields when the index's earliest entry is already past: one
   * number compared, whether field expiry is used or not.
   */
  fieldExpiry = new FieldExpiryIndex();

  /**
   * What Redis would spend on this database's keys and values (MEMORY
   * USAGE summed over the keys: memory-usage.ts), kept as keys come, go
   * and change. A container's share is the figure it last had
   * (kept in its slot: KeyTable's BYTES), refreshed when a change to it is
   * announced (refreshUsedBytes).
   */
  usedBytes = 0;

  /** The active expiry cycle's place in `expires`, resumed every cycle. */
  private expireCursor: Iterator<[string, number]> | null = null;
  /** Volatile eviction's place in `expires` (sampleVolatile). */
  private evictionCursor: Iterator<[string, number]> | null = null;

  constructor(
    readonly id: number,
    private readonly keyspace: Keyspace,
  ) {}

  get size(): number {
    return this.dict.size;
  }

  /**
   * lookupKeyRead: the value of a key, deleting it first if it has expired.
   * Counts a keyspace hit or miss and updates the key's access clock.
   */
  lookupRead(key: string): Value | undefined {
    const value = this.lookup(key);
    if (value === undefined) this.missed(key);
    else this.keyspace.stats.keyspaceHits++;
    return value;
  }

  /**
   * A counted read found no key: lookupKey's miss, counted and notified
   * (`keymiss`). Also for reads that go through `peek` (lookup-no-touch.ts).
   */
  missed(key: string, notify = true): void {
    this.keyspace.stats.keyspaceMisses++;
    if (notify) this.keyspace.events.keyMissed(this, key);
  }

  /** lookupKeyWrite: like lookupRead but not counted as a hit or miss. */
  lookupWrite(key: string): Value | undefined {
    return this.lookup(key);
  }

  /** The value without touching its access clock (EXISTS, TYPE, OBJECT, TTL...). */
  peek(key: string): Value | undefined {
    const value = this.dict.get(key);
    if (value === undefined) return undefined;
    if (this.keyspace.snapshot !== null && typeof value !== 'string') this.keyspace.snapshot.beforeKeyChange(this, key);
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    if (this.fieldExpiry.nextDeadline() < this.keyspace.now && value instanceof RedisHash && this.expireHashFields(key, value)) {
      return undefined;
    }
    return value;
  }

  private lookup(key: string): Value | undefined {
    const dict = this.dict;
    const slot = dict.find(key);
    if (slot < 0) return undefined;
    if (this.expires.size !== 0 && this.expireIfNeeded(key)) return undefined;
    const value = dict.valueAt(slot);
    // An object may be changed in place by whoever looked it up: a snapshot saves it first.
    if (this.keyspace.snapshot !== null && typeof value !== 'string') this.keyspace.snapshot.beforeKeyChange(this, key);
    // No hash of this database has a field due before now unless the index says so.
    if (this.fieldExpiry.nextDeadline() < this.keyspace.now && value instanceof RedisHash && this.expireHashFields(key, value)) {
      return undefined;
    }
    if (!this.keyspace.noTouch) dict.setClockAt(slot, this.keyspace.touched(dict.clockAt(slot)));
    return value;
  }

  /**
   * Deletes the hash's fields whose time has passed, up to `limit` (all of
   * them on a lookup), announcing `hexpired` and, when the last field went,
   * deleting the key and announcing `del`, as Redis 8's hashTypeExpire does.
   * Every read path goes through a lookup, so no command ever sees an
   * expired field (Redis itself skips them in HGETALL but lets HLEN count
   * them until they are deleted; see DESIGN.md). Returns true when the key
   * is gone.
   */
  expireHashFields(key: string, hash: RedisHash, limit = Infinity): boolean {
    const now = this.keyspace.now;
    if (!(hash.nextFieldDeadline() < now)) return false;
    // Clients are paused: the dataset holds still (fields stay, as keys do).
    if (now <= this.keyspace.expiryHeldUntil) return false;
    if (this.keyspace.snapshot !== null) this.keyspace.snapshot.beforeKeyChange(this, key);
    const fields = hash.expireFields(now, limit);
    this.keyspace.hashFieldsExpired(this, key, fields);
    if (hash.size !== 0) return false;
    this.delete(key);
    this.keyspace.events.keyModified(this, key, 'del', 0);
    return true;
  }

  /**
   * `key` holds a hash that may have field TTLs: registers its earliest
   * deadline for the active cycle. For commands that set a TTL earlier than
   * the hash's earliest, and for a hash arriving under a new key (RENAME,
   * MOVE, COPY).
   */
  trackFieldExpiry(key: string, value: Value | undefined = this.dict.get(key)): void {
    if (value instanceof RedisHash && value.hasFieldTtls) this.fieldExpiry.register(key, value.nextFieldDeadline());
  }

  /**
   * The active cycle's share for hash fields (hashTypeDbActiveExpire): takes
   * the hashes that are due, earliest first, and deletes up to `quota` of
   * their expired fields. Returns how many fields were deleted.
   */
  activeExpireFieldsStep(quota: number): number {
    const now = this.keyspace.now;
    const index = this.fieldExpiry;
    let expired = 0;
    while (expired < quota && index.nextDeadline() < now) {
      const key = index.takeNext();
      const value = this.dict.get(key);
      // A superseded entry: the key is gone, renamed, or its deadlines moved.
      if (!(value instanceof RedisHash) || !value.hasFieldTtls) continue;
      if (this.expires.size !== 0 && this.expireIfNeeded(key)) continue;
      const before = value.size;
      const keyRemoved = this.expireHashFields(key, value, quota - expired);
      expired += before - value.size;
      if (!keyRemoved) this.trackFieldExpiry(key, value);
    }
    return expired;
  }

  /** dictFind: the key has an entry, even one whose time has passed (not yet deleted). */
  hasEntry(key: string): boolean {
    return this.dict.find(key) >= 0;
  }

  exists(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /**
   * The key's access clock word (see `dict`), without touching it or
   * expiring the key; undefined when the key is absent.
   */
  clockOf(key: string): number | undefined {
    const slot = this.dict.find(key);
    return slot < 0 ? undefined : this.dict.clockAt(slot);
  }

  /**
   * dbUnshareStringValue: a string a command is about to change in place
   * (SETBIT, BITFIELD, PFADD, PFCOUNT's cached cardinality...) becomes
   * `raw`, as Redis first copies an int or embstr value into a raw one,
   * whether or not the command then changes a byte. The value, TTL and
   * access clock stay; nothing is announced.
   */
  unshareString(key: string, value: string): void {
    const clock = this.clockOf(key);
    if (clock === undefined || (clock & RAW_STRING_ENCODING) !== 0) return;
    this.set(key, value, true, RAW_STRING_ENCODING);
  }

  /**
   * setKey: stores a value, replacing any old one (a new key is announced
   * as created, as dbAdd notifies `new`). The TTL is dropped unless
   * `keepTtl` (SET KEEPTTL, or commands that modify a value in place).
   * `stringEncoding` says how a string was built when OBJECT ENCODING can't
   * tell from its bytes (RAW_STRING_ENCODING, EMBSTR_STRING_ENCODING; 0 for
   * Redis's tryObjectEncoding, the usual case).
   */
  set(key: string, value: Value, keepTtl = false, stringEncoding = 0): void {
    if (this.keyspace.snapshot !== null) this.keyspace.snapshot.beforeKeyChange(this, key);
    const dict = this.dict;
    const slot = dict.findAgain(key);
    if (slot < 0) {
      const clock = this.keyspace.newObjectClock() | stringEncoding;
      const bytes = this.valueBytes(value, clock);
      dict.set(key, value, clock, bytes);
      this.usedBytes += keyOverhead(key) + bytes;
      this.keyspace.events.keyCreated(this, key);
      return;
    }
    const clock = (dict.clockAt(slot) & ~STRING_ENCODING_BITS) | stringEncoding;
    const bytes = this.valueBytes(value, clock);
    this.usedBytes += bytes - dict.bytesAt(slot);
    dict.setValueAt(slot, value);
    dict.setClockAndBytesAt(slot, clock, bytes);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
  }

  /**
   * Redis's setKey as SET and MSET call it: lookupKeyWrite (lazy expiry,
   * access clock) followed by set(), in one dict probe instead of two. The
   * probe is a likely cache miss at scale, so it is most of the cost of a
   * SET. Returns true when a live key was overwritten.
   */
  store(key: string, value: Value, keepTtl = false): boolean {
    if (this.keyspace.snapshot !== null) this.keyspace.snapshot.beforeKeyChange(this, key);
    const dict = this.dict;
    const slot = dict.find(key);
    if (slot >= 0 && (this.expires.size === 0 || !this.expireIfNeeded(key))) {
      let clock = dict.clockAt(slot);
      if (!this.keyspace.noTouch) clock = this.keyspace.touched(clock);
      clock &= ~STRING_ENCODING_BITS;
      const bytes = this.valueBytes(value, clock);
      this.usedBytes += bytes - dict.bytesAt(slot);
      dict.setValueAt(slot, value);
      dict.setClockAndBytesAt(slot, clock, bytes);
      if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
      return true;
    }
    this.storeNew(key, value, slot >= 0);
    return false;
  }

  /**
   * store() of a key that is absent, or expired and still held by a pause
   * (`held`: replaced whole, TTL included). Apart from store() so that V8's
   * inlining budget, spent while a benchmark's first SETs all create keys,
   * is not used up by this path before the overwrite path's calls.
   */
  private storeNew(key: string, value: Value, held: boolean): void {
    if (held) this.delete(key);
    const clock = this.keyspace.newObjectClock();
    const bytes = this.valueBytes(value, clock);
    this.dict.set(key, value, clock, bytes);
    this.usedBytes += keyOverhead(key) + bytes;
    this.keyspace.events.keyCreated(this, key);
  }

  /**
   * dbAdd: for callers that already know the key is absent. `clock` is the
   * access clock word; by default a new key's, with `stringEncoding` bits.
   */
  add(key: string, value: Value, stringEncoding = 0, clock = this.keyspace.newObjectClock() | stringEncoding): void {
    if (this.keyspace.snapshot !== null) this.keyspace.snapshot.beforeKeyChange(this, key);
    // A write during CLIENT PAUSE (only EXEC's commands after its own CLIENT
    // PAUSE, or a client with no socket, can write then) may find an expired
    // key still held: it is replaced whole, TTL included. Redis 7.0.15 asserts here.
    if (this.keyspace.expiryHeldUntil !== 0 && this.expires.size !== 0) this.delete(key);
    const bytes = this.valueBytes(value, clock);
    this.dict.set(key, value, clock, bytes);
    this.usedBytes += keyOverhead(key) + bytes;
    this.keyspace.events.keyCreated(this, key);
  }

  /**
   * dbAddRDBLoad: a key read from an RDB file, stored with the access clock
   * the file gave it and counted in the used-memory figure, but announced
   * to no one (Redis notifies nothing while loading). Returns false when
   * the key was already there and its value was replaced, which only DEBUG
   * RELOAD MERGE allows (the loader decides); its TTL is then the caller's.
   */
  addLoaded(key: string, value: Value, clock: number): boolean {
    const bytes = this.valueBytes(value, clock);
    const replaced = this.dict.set(key, value, clock, bytes);
    if (replaced < 0) {
      this.usedBytes += keyOverhead(key) + bytes;
      return true;
    }
    this.usedBytes += bytes - replaced;
    return false;
  }

  /** dbSyncDelete, or dbAsyncDelete when `lazy` (UNLINK; see lazy-free.ts). */
  delete(key: string, lazy = false): boolean {
    if (this.keyspace.snapshot !== null) this.keyspace.snapshot.beforeKeyChange(this, key);
    const dict = this.dict;
    const slot = dict.find(key);
    if (slot < 0) return false;
    this.usedBytes -= keyOverhead(key) + dict.bytesAt(slot);
    if (lazy) this.keyspace.lazyFree.released(dict.valueAt(slot));
    dict.deleteAt(slot);
    if (this.expires.size !== 0) this.expires.delete(key);
    return true;
  }

  /**
   * A change to the value at `key` was announced: a container changed in
   * place gets its figure refreshed (strings are immutable and are counted
   * wherever they are stored). Sampled, so O(1) whatever the size, and
   * for a big container only once its size has moved enough (remeasureDue).
   */
  refreshUsedBytes(key: string): void {
    const slot = this.dict.findAgain(key);
    if (slot < 0) return;
    const value = this.dict.valueAt(slot);
    if (typeof value === 'string' || !remeasureDue(value)) return;
    const bytes = this.valueBytes(value, 0);
    this.usedBytes += bytes - this.dict.bytesAt(slot);
    this.dict.setBytesAt(slot, bytes);
  }

  /** A value's bytes now, as the used-memory figure counts them (kept in its slot, KeyTable's BYTES). */
  private valueBytes(value: Value, clock: number): number {
    if (typeof value === 'string') return stringObjectSize(value, clock);
    return objectComputeSize(value, clock, DEFAULT_SAMPLES, this.keyspace.encoding);
  }

  /** The key's absolute expire time in ms, or undefined when it has none. */
  getExpire(key: string): number | undefined {
    return this.expires.size === 0 ? undefined : this.expires.get(key);
  }

  setExpire(key: string, whenMs: number): void {
    if (this.keyspace.snapshot !== null) this.keyspace.snapshot.beforeKeyChange(this, key);
    this.expires.set(key, whenMs);
  }

  /** PERSIST: true when a TTL was removed. */
  persist(key: string): boolean {
    if (this.keyspace.snapshot !== null) this.keyspace.snapshot.beforeKeyChange(this, key);
    return this.expires.delete(key);
  }

  /**
   * Deletes the key if its time has passed (lazy expiry). Returns true when
   * the key is gone. The command's cached time is used, so a key cannot
   * expire halfway through a command.
   */
  expireIfNeeded(key: string): boolean {
    const when = this.expires.get(key);
    // Redis's keyIsExpired: a key is still alive at exactly its deadline.
    if (when === undefined || when >= this.keyspace.now) return false;
    // Clients are paused: report the key gone, but keep the dataset as it is.
    if (this.keyspace.now <= this.keyspace.expiryHeldUntil) return true;
    this.deleteExpired(key);
    return true;
  }

  /** deleteExpiredKeyAndPropagate: deletes (lazily if configured) and announces `expired`. */
  private deleteExpired(key: string): void {
    const recordLatency = this.keyspace.expireDeleteLatency;
    if (recordLatency === null) this.delete(key, this.keyspace.lazyFree.expire);
    else {
      const started = performance.now();
      this.delete(key, this.keyspace.lazyFree.expire);
      recordLatency(performance.now() - started);
    }
    this.keyspace.keyExpired(this, key);
  }

  /** True when the key has a TTL that has already passed (without deleting it). */
  isLogicallyExpired(key: string): boolean {
    const when = this.expires.get(key);
    return when !== undefined && when < this.keyspace.now;
  }

  /**
   * One step of the active expiry cycle: examines up to `budget` keys that
   * have a TTL, resuming where the last step stopped, and deletes the
   * expired ones. Returns how many keys were examined and deleted. Redis 6+
   * walks its expires dict with a cursor in the same way; a rolling cursor
   * reaches every volatile key within one full pass.
   */
  activeExpireStep(budget: number): { examined: number; expired: number; wrapped: boolean } {
    let examined = 0;
    let expired = 0;
    let wrapped = false;
    const now = this.keyspace.now;
    if (this.expireCursor === null) this.expireCursor = this.expires.entries();
    while (examined < budget) {
      const next = this.expireCursor.next();
      if (next.done) {
        this.expireCursor = this.expires.entries();
        wrapped = true;
        break;
      }
      examined++;
      const [key, when] = next.value;
      if (when < now) {
        this.deleteExpired(key);
        expired++;
      }
    }
    return { examined, expired, wrapped };
  }

  /**
   * RANDOMKEY: a uniformly chosen live key, or null. Expired keys met on the
   * way are deleted and the pick is retried, as dbRandomKey does.
   */
  randomKey(random: () => number = Math.random): string | null {
    for (let attempt = 0; attempt < 100; attempt++) {
      const picked = this.dict.randomKey(random);
      if (picked === undefined) return null;
      if (this.expires.size !== 0 && this.expireIfNeeded(picked)) continue;
      return picked;
    }
    return null;
  }

  /**
   * SCAN's collection step (scanGenericCommand): walks buckets from the
   * cursor until at least `count` keys are collected, the walk ends, or
   * 10 * count buckets were visited. The keys are returned unfiltered; the
   * caller applies MATCH, TYPE and expiry, in Redis's order. `cursor` is
   * the canonical decimal text of an unsigned 64-bit cursor.
   */
  scan(cursor: string, count: number): ScanPage {
    let position = cursor.length < 16 ? Number(cursor) >>> 0 : Number(BigInt(cursor) & 0xffffffffn);
    const keys: string[] = [];
    const collect = (key: string): void => {
      keys.push(key);
    };
    let maxIterations = count * 10;
    do {
      position = this.dict.scanBucket(position, collect);
    } while (position !== 0 && maxIterations-- > 0 && keys.length < count);
    return { cursor: String(position), keys };
  }

  /** FLUSHDB: drops every key. Returns how many there were. */
  flush(): number {
    const removed = this.dict.size;
    this.usedBytes = 0;
    this.evictionCursor = null;
    this.dict = new KeyTable();
    this.expires = new Map();
    this.fieldExpiry = new FieldExpiryIndex();
    this.expireCursor = null;
    return removed;
  }

  /** SWAPDB: exchanges contents with another database; ids stay put. */
  swapWith(other: Database): void {
    [this.dict, other.dict] = [other.dict, this.dict];
    [this.expires, other.expires] = [other.expires, this.expires];
    [this.fieldExpiry, other.fieldExpiry] = [other.fieldExpiry, this.fieldExpiry];
    [this.usedBytes, other.usedBytes] = [other.usedBytes, this.usedBytes];
    this.expireCursor = null;
    other.expireCursor = null;
    this.evictionCursor = null;
    other.evictionCursor = null;
  }

  /**
   * Volatile eviction's sample: the next `count` keys with a TTL, resuming
   * where the last sample stopped. Redis samples its expires dict at random
   * (dictGetSomeKeys); a JS Map has no random access, so the pool is fed
   * from a rolling cursor instead, which reaches every volatile key in turn.
   */
  sampleVolatile(count: number, visit: (key: string, expireAt: number) => void): void {
    const wanted = Math.min(count, this.expires.size);
    let wrapped = false;
    for (let found = 0; found < wanted; ) {
      if (this.evictionCursor === null) this.evictionCursor = this.expires.entries();
      const next = this.evictionCursor.next();
      if (next.done) {
        this.evictionCursor = null;
        if (wrapped) return;
        wrapped = true;
        continue;
      }
      visit(next.value[0], next.value[1]);
      found++;
    }
  }
}
