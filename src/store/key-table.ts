/**
 * KeyTable: the main dict of a database (key → value, plus a small integer
 * per key: the access clock), an open-addressing hash table with linear
 * probing, in place of a JS Map.
 *
 * Why not a Map. At 100k keys, perf put a third of the server's CPU under
 * V8's FindOrderedHashMapEntry for redis-benchmark GET and MSET: each probe
 * walks a bucket chain (V8's ordered tables run at 1 to 2 entries a bucket)
 * and dereferences every candidate key to compare it, each a likely cache
 * miss. Here a slot holds [hash, key, value, clock and bytes] side by side in one
 * array, so a probe reads one cache line, compares hashes there, and
 * touches a key string only when the hashes agree: one slot line, one key,
 * one value. Keeping the clock in the slot (Redis keeps it in the robj
 * header) spares a 40-byte wrapper object per key, and a key and the value
 * stored with it are promoted by the scavenger side by side, so a GET
 * often finds the value on the key's cache line.
 *
 * Why not a Map, again: SCAN. A Map can only be walked in insertion order,
 * so SCAN cursors had to be server-side iterator handles. This table is
 * walked the way Redis's dictScan walks its dict, by home bucket in
 * reverse-binary order, so a cursor is just a number and Redis's guarantee
 * carries over: every key present for the whole iteration is returned at
 * least once, however the table grows or shrinks between calls (a shrink
 * may return some keys twice, as in Redis).
 *
 * Linear probing keeps that walk cheap: a key always sits in the run of
 * occupied slots that starts at its home bucket (deletion shifts later keys
 * back, never past their home), so the keys of one home bucket are found by
 * walking that run.
 */

/** An empty slot's hash. Real hashes are non-negative 30-bit Smis. */
const EMPTY = -1;
const MIN_CAPACITY = 8;
/** Grow past 3/4 full; shrink under 1/8 (to 1/4 full after halving). */
const GROW_NUMERATOR = 3;
const GROW_DENOMINATOR = 4;
const SHRINK_DIVISOR = 8;

/**
 * Slot i occupies items [4i, 4i+4): hash, key, value, meta. The meta word
 * holds the access clock (the low 26 bits: Database's clock word, encoding
 * bits included) and, above it, the bytes the owner accounted the value at
 * when it stored it (the used-memory figure, Database.usedBytes): an
 * overwrite or delete subtracts them instead of measuring the old value,
 * which is cold by then and would cost a cache miss on every SET (about 10%
 * of SET's CPU at -P 16).
 *
 * Why the bytes share the clock's word. A fifth word per slot (40-byte
 * slots instead of 32) cost every probe more cache lines: with the bytes
 * dropped altogether (a throwaway build), redis-benchmark took 3.3% less
 * server CPU per request for MSET -P 1, 7.8% for MSET -P 16 and 3.5% for
 * SET -P 16 (medians of 8 paired rounds). A string up to 44 bytes, which is
 * most values, is accounted at a multiple of 16 bytes from 16 to 64, so the
 * four bits above the clock keep bytes / 16 (1..15). Any other figure
 * (containers, long strings) is kept in `bigBytes`, a number per slot read
 * only when those bits are 0. Four bits keep the word under 2^30, a small
 * integer even where V8 compresses pointers.
 */
const WIDTH = 4;
const HASH = 0;
const KEY = 1;
const VALUE = 2;
const META = 3;
/** The clock's bits of the meta word. */
const CLOCK_BITS = (1 << 26) - 1;
const PACKED_SHIFT = 26;
/** Packed bytes are counted in units of 16: jemalloc's small size classes are multiples of 16. */
const PACKED_UNIT_SHIFT = 4;
const MAX_PACKED_BYTES = 15 << PACKED_UNIT_SHIFT;

/**
 * The meta word for a clock and an accounted size: bytes / 16 above the
 * clock, or 0 there when bigBytes keeps them (a sampled container's
 * estimate may not even be a whole number).
 */
function metaWord(clock: number, bytes: number): number {
  let packed = bytes >> PACKED_UNIT_SHIFT;
  if (!(bytes > 0 && bytes <= MAX_PACKED_BYTES && packed << PACKED_UNIT_SHIFT === bytes)) packed = 0;
  return (clock & CLOCK_BITS) | (packed << PACKED_SHIFT);
}

/**
 * FNV-1a over the key's latin1 code units from a per-table random seed,
 * then murmur3's fmix32 so the low bits, which pick the bucket, depend on
 * every byte. Masked to 30 bits so V8 keeps it as a small integer.
 */
function hashKey(key: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h & 0x3fffffff;
}

/** Reverses the 32 bits of v (dictScan's rev()). */
function reverseBits(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) >>> 0;
}

function emptySlots(capacity: number): unknown[] {
  const items = new Array<unknown>(capacity * WIDTH).fill(undefined);
  for (let i = 0; i < items.length; i += WIDTH) items[i + HASH] = EMPTY;
  return items;
}

export class KeyTable<V> {
  private items: unknown[] = emptySlots(MIN_CAPACITY);
  /** Each slot's accounted bytes when its meta word does not hold them (see META). */
  private bigBytes = new Float64Array(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  /**
   * Set while a snapshot walks this table (persistence/rdb-snapshot.ts):
   * deletions then leave the table as big as it is, as Redis holds dict
   * resizes while a fork child saves, so the walk's cursor stays exact.
   */
  shrinkHeld = false;
  private count = 0;
  private readonly seed: number;
  /**
   * The last probe's answer (its slot, or ~slot of the empty slot that
   * ended it) and its hash; for a missed probe, its key too. Most writes
   * look their key up and then store it (INCR: lookupKeyWrite then setKey;
   * HSET: the lookup, then the used-memory refresh its change announces),
   * so the second probe of the same key (findAgain, set) skips hashing and
   * probing:
   * - a hit is checked against the key in its slot, so it needs no
   *   forgetting: a slot whose key moved away no longer matches;
   * - a miss stays true only until the table changes, so every insert,
   *   removal, resize and clear forgets it.
   * A hit keeps no key of its own: storing each probed key (a new string)
   * in this long-lived table would cost a write barrier on every lookup.
   */
  private lastSlot = -1;
  private lastHash = 0;
  private lastMissedKey: string | null = null;

  constructor(random: () => number = Math.random) {
    this.seed = (random() * 0x100000000) | 0;
  }

  get size(): number {
    return this.count;
  }

  /** Number of buckets (SCAN cursors range over them). */
  get capacity(): number {
    return this.mask + 1;
  }

  get(key: string): V | undefined {
    const slot = this.locateFresh(key);
    return slot < 0 ? undefined : (this.items[slot * WIDTH + VALUE] as V);
  }

  has(key: string): boolean {
    return this.locateFresh(key) >= 0;
  }

  /**
   * The key's slot, or -1. A slot number stays valid only until the table
   * is next changed (set of a new key, delete, clear).
   */
  find(key: string): number {
    const hash = hashKey(key, this.seed);
    const slot = this.locate(key, hash);
    this.lastHash = hash;
    this.lastSlot = slot;
    if (slot >= 0) return slot;
    this.lastMissedKey = key;
    return -1;
  }

  /**
   * find() for a key this command has probably just looked up (a write's
   * store after its lookup, the used-memory refresh after a change): the
   * last answer is reused when it was for the same key. find() itself does
   * not ask, since a first lookup rarely repeats the last key and the
   * string comparison would be wasted.
   */
  findAgain(key: string): number {
    const slot = this.locateKey(key);
    return slot < 0 ? -1 : slot;
  }

  valueAt(slot: number): V {
    return this.items[slot * WIDTH + VALUE] as V;
  }

  /** The key in an occupied slot. */
  keyAt(slot: number): string {
    return this.items[slot * WIDTH + KEY] as string;
  }

  clockAt(slot: number): number {
    return (this.items[slot * WIDTH + META] as number) & CLOCK_BITS;
  }

  setValueAt(slot: number, value: V): void {
    this.items[slot * WIDTH + VALUE] = value;
  }

  setClockAt(slot: number, clock: number): void {
    const at = slot * WIDTH + META;
    this.items[at] = ((this.items[at] as number) & ~CLOCK_BITS) | (clock & CLOCK_BITS);
  }

  /** The bytes the value in `slot` was accounted at (see META). */
  bytesAt(slot: number): number {
    const packed = (this.items[slot * WIDTH + META] as number) >>> PACKED_SHIFT;
    return packed !== 0 ? packed << PACKED_UNIT_SHIFT : this.bigBytes[slot]!;
  }

  setBytesAt(slot: number, bytes: number): void {
    this.setClockAndBytesAt(slot, this.clockAt(slot), bytes);
  }

  /** setClockAt and setBytesAt in one write of the meta word. */
  setClockAndBytesAt(slot: number, clock: number, bytes: number): void {
    const meta = metaWord(clock, bytes);
    this.items[slot * WIDTH + META] = meta;
    if (meta >>> PACKED_SHIFT === 0) this.bigBytes[slot] = bytes;
  }

  /**
   * Inserts, or replaces the value, clock and bytes of an existing key.
   * Returns the bytes the replaced value was accounted at, or -1 when the
   * key is new: one probe tells a caller both.
   */
  set(key: string, value: V, clock: number, bytes = 0): number {
    const slot = this.locateKey(key);
    const hash = this.lastHash;
    const items = this.items;
    if (slot >= 0) {
      const replaced = this.bytesAt(slot);
      items[slot * WIDTH + VALUE] = value;
      this.setClockAndBytesAt(slot, clock, bytes);
      return replaced;
    }
    const at = ~slot * WIDTH;
    items[at + HASH] = hash;
    items[at + KEY] = key;
    items[at + VALUE] = value;
    this.setClockAndBytesAt(~slot, clock, bytes);
    this.lastSlot = ~slot;
    this.lastMissedKey = null;
    const capacity = this.mask + 1;
    if (++this.count * GROW_DENOMINATOR > capacity * GROW_NUMERATOR) this.resize(capacity * 2);
    return -1;
  }

  delete(key: string): boolean {
    const slot = this.locateKey(key);
    if (slot < 0) return false;
    this.deleteAt(slot);
    return true;
  }

  /** Deletes the key at `slot` (from find()), sparing a second probe. */
  deleteAt(slot: number): void {
    this.removeSlot(slot);
    this.count--;
    const capacity = this.mask + 1;
    if (capacity > MIN_CAPACITY && this.count * SHRINK_DIVISOR < capacity && !this.shrinkHeld) this.resize(capacity / 2);
  }

  clear(): void {
    this.lastSlot = -1;
    this.lastMissedKey = null;
    this.items = emptySlots(MIN_CAPACITY);
    this.bigBytes = new Float64Array(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.count = 0;
  }

  /**
   * The table at this instant, for a walk that spans event-loop turns (the
   * AOF rewrite): one copy of the slot array, keys and values by reference,
   * except the object values `copyValue` copies (the mutable ones).
   */
  snapshot(copyValue?: (value: V) => V): KeyTableSnapshot<V> {
    const items = this.items.slice();
    if (copyValue !== undefined) {
      for (let at = VALUE; at < items.length; at += WIDTH) {
        const value = items[at];
        // Empty slots hold undefined; strings are immutable and stay shared.
        if (typeof value === 'object' && value !== null) items[at] = copyValue(value as V);
      }
    }
    return new KeyTableSnapshot<V>(items);
  }

  /** Every key, as a new array: safe to delete from the table while walking it. */
  keys(): string[] {
    const out = new Array<string>(this.count);
    const items = this.items;
    let n = 0;
    for (let at = 0; at < items.length; at += WIDTH) {
      if (items[at + HASH] !== EMPTY) out[n++] = items[at + KEY] as string;
    }
    return out;
  }

  /**
   * dictScan: passes every key whose home bucket is the cursor's to
   * `visit`, and returns the next cursor (0 once the walk is complete).
   * The cursor's high bits are set, the bits reversed, incremented and
   * reversed back, so the walk covers the buckets of a table of any size in
   * an order that survives the table doubling or halving between calls.
   * Cursors are 32-bit here; Redis's unsigned long differs only above
   * bit 31, which a table this size never uses.
   */
  scanBucket(cursor: number, visit: (key: string, slot: number) => void): number {
    const items = this.items;
    const mask = this.mask;
    const bucket = cursor & mask;
    // A key homed at `bucket` lies in the run of occupied slots from there.
    for (let slot = bucket; ; slot = (slot + 1) & mask) {
      const at = slot * WIDTH;
      const h = items[at + HASH] as number;
      if (h === EMPTY) break;
      if ((h & mask) === bucket) visit(items[at + KEY] as string, slot);
    }
    let v = (cursor | ~mask) >>> 0;
    v = reverseBits(v);
    v = (v + 1) >>> 0;
    return reverseBits(v);
  }

  /**
   * Every key in slot order, with its slot: memory order, several times
   * faster than scanBucket's bucket order over a big table (which jumps
   * across the whole slot array at every step), for a caller that changes
   * nothing while it walks (SAVE).
   */
  forEachSlot(visit: (key: string, slot: number) => void): void {
    const items = this.items;
    for (let at = 0; at < items.length; at += WIDTH) {
      if (items[at + HASH] !== EMPTY) visit(items[at + KEY] as string, at / WIDTH);
    }
  }

  /**
   * Whether a walk with scanBucket that has reached `cursor` (not 0) has
   * already passed the home bucket of a key with this hash. Exact while
   * the table only grows (a bucket splits into buckets the walk orders
   * the same way); a shrink would merge visited and unvisited buckets,
   * so a snapshot holds shrinks (shrinkHeld) while it walks.
   */
  scanPassed(cursor: number, hash: number): boolean {
    return reverseBits(hash & this.mask) < reverseBits(cursor);
  }

  /** Grows the table at once to hold `count` keys (an RDB file's RESIZEDB hint), as dictExpand. */
  reserve(count: number): void {
    let capacity = this.mask + 1;
    while (count * GROW_DENOMINATOR > capacity * GROW_NUMERATOR) capacity *= 2;
    if (capacity !== this.mask + 1) this.resize(capacity);
  }

  /** The stored hash of the key in `slot` (for scanPassed). */
  hashAt(slot: number): number {
    return this.items[slot * WIDTH + HASH] as number;
  }

  /** The hash a key has, or would have, in this table (for scanPassed). */
  hashOf(key: string): number {
    return hashKey(key, this.seed);
  }

  /**
   * A uniformly random key, or undefined when empty: random slots until an
   * occupied one, as dictGetRandomKey picks random buckets. The table is at
   * least 1/8 full, so this takes a handful of tries.
   */
  randomKey(random: () => number = Math.random): string | undefined {
    if (this.count === 0) return undefined;
    const items = this.items;
    const capacity = this.mask + 1;
    for (;;) {
      const at = Math.floor(random() * capacity) * WIDTH;
      if (items[at + HASH] !== EMPTY) return items[at + KEY] as string;
    }
  }

  /**
   * dictGetSomeKeys, for eviction's sampling: up to `count` occupied
   * slots, consecutive from a random one, written to `out` (no callback:
   * this runs for every key evicted). Not uniform, as Redis's is not; a
   * run of full slots gives neighbours. Returns how many were written;
   * read them (keyAt, clockAt) before the table changes.
   */
  sampleSlots(count: number, out: Int32Array, random: () => number = Math.random): number {
    if (this.count === 0) return 0;
    const items = this.items;
    const capacity = this.mask + 1;
    const wanted = Math.min(count, this.count, out.length);
    let slot = Math.floor(random() * capacity);
    let found = 0;
    // At most one lap; the table is at least 1/8 full, so about 8 slots per key.
    for (let steps = 0; found < wanted && steps < capacity; steps++) {
      if (items[slot * WIDTH + HASH] !== EMPTY) out[found++] = slot;
      slot = (slot + 1) & this.mask;
    }
    return found;
  }

  /** locate() for `key`, from the last answer when it was for the same key (see lastSlot). */
  private locateKey(key: string): number {
    const last = this.lastSlot;
    if (last >= 0) {
      if (this.items[last * WIDTH + KEY] === key) return last;
    } else if (key === this.lastMissedKey) {
      return last;
    }
    return this.locateFresh(key);
  }

  /** locate() for `key`, remembered as the last answer. */
  private locateFresh(key: string): number {
    const hash = hashKey(key, this.seed);
    const slot = this.locate(key, hash);
    this.lastHash = hash;
    this.lastSlot = slot;
    if (slot < 0) this.lastMissedKey = key;
    return slot;
  }

  /** The key's slot, or, when it is absent, ~slot of the empty slot that ended the probe. */
  private locate(key: string, hash: number): number {
    const items = this.items;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const at = slot * WIDTH;
      const h = items[at + HASH];
      if (h === EMPTY) return ~slot;
      if (h === hash && items[at + KEY] === key) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Backward-shift deletion: empties the slot, then moves back each later
   * key of the run that may legally sit there (its home is not in the gap
   * between the hole and where it sits), so no run is ever broken.
   */
  private removeSlot(hole: number): void {
    this.lastMissedKey = null;
    const items = this.items;
    const mask = this.mask;
    let slot = hole;
    for (;;) {
      slot = (slot + 1) & mask;
      const at = slot * WIDTH;
      const h = items[at + HASH] as number;
      if (h === EMPTY) break;
      const home = h & mask;
      // The key stays if its home lies cyclically in (hole, slot].
      const stays = hole <= slot ? hole < home && home <= slot : hole < home || home <= slot;
      if (stays) continue;
      const to = hole * WIDTH;
      const meta = items[at + META] as number;
      items[to + HASH] = h;
      items[to + KEY] = items[at + KEY];
      items[to + VALUE] = items[at + VALUE];
      items[to + META] = meta;
      if (meta >>> PACKED_SHIFT === 0) this.bigBytes[hole] = this.bigBytes[slot]!;
      hole = slot;
    }
    const at = hole * WIDTH;
    items[at + HASH] = EMPTY;
    items[at + KEY] = undefined;
    items[at + VALUE] = undefined;
    items[at + META] = undefined;
  }

  private resize(capacity: number): void {
    this.lastSlot = -1;
    this.lastMissedKey = null;
    const old = this.items;
    const oldBigBytes = this.bigBytes;
    const items = emptySlots(capacity);
    const bigBytes = new Float64Array(capacity);
    const mask = capacity - 1;
    for (let from = 0; from < old.length; from += WIDTH) {
      const h = old[from + HASH] as number;
      if (h === EMPTY) continue;
      let slot = h & mask;
      while (items[slot * WIDTH + HASH] !== EMPTY) slot = (slot + 1) & mask;
      const to = slot * WIDTH;
      const meta = old[from + META] as number;
      items[to + HASH] = h;
      items[to + KEY] = old[from + KEY];
      items[to + VALUE] = old[from + VALUE];
      items[to + META] = meta;
      if (meta >>> PACKED_SHIFT === 0) bigBytes[slot] = oldBigBytes[from / WIDTH]!;
    }
    this.items = items;
    this.bigBytes = bigBytes;
    this.mask = mask;
  }
}

/** KeyTable.snapshot(): the slots of a table as they were, walked by slot number. */
export class KeyTableSnapshot<V> {
  constructor(private readonly items: unknown[]) {}

  get slots(): number {
    return this.items.length / WIDTH;
  }

  /** The key in a slot, or undefined for an empty one. */
  keyAt(slot: number): string | undefined {
    return this.items[slot * WIDTH + HASH] === EMPTY ? undefined : (this.items[slot * WIDTH + KEY] as string);
  }

  valueAt(slot: number): V {
    return this.items[slot * WIDTH + VALUE] as V;
  }

}
