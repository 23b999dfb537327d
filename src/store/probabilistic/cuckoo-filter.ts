// RedisBloom's cuckoo filter (src/cuckoo.c, src/cf.c).
//
// One-byte fingerprints (1..255, 0 marks an empty slot) in buckets of
// `bucketSize` slots; an item may live in bucket h1 or its alternate
// h1 ^ (fp × 0x5bd1e995), both modulo a power-of-two bucket count. When both
// are full, up to maxIterations fingerprints are kicked along their
// alternates; if that fails the kicks are rolled back and a new sub-filter is
// appended with numBuckets × expansion^k buckets (expansion 0: "full").
//
// Why not bloom-filters' CuckooFilter: it keeps fingerprints as strings,
// evicts at random (non-reproducible) and cannot grow, so CF.INFO, CF.COUNT,
// deletes with compaction and dumps would all differ from RedisBloom.
//
// Hashing: RedisBloom derives index and fingerprint from one 64-bit hash. With
// 32-bit hashes, bucket counts near 2^32 would correlate the two, so the
// fingerprint comes from a second, independently seeded hash instead.

import {
  ByteReader,
  ByteWriter,
  MAX_DUMP_CHUNK_BYTES,
  MODULE_VALUE_ENCODING,
  ProbabilisticError,
  bytesToLatin1,
  latin1ToBytes,
  type DumpChunk,
} from './encoding.js';
import { errors } from '../../errors.js';
import { murmur3Latin1 } from './hashing.js';
import type { RedisObject } from '../types.js';

export const CUCKOO_TYPE = 'MBbloomCF';

/** RedisBloom's CFMaxExpansions default: CF.ADD/CF.INSERT refuse ("Maximum expansions reached") at this many sub-filters. */
export const CUCKOO_MAX_EXPANSIONS = 32;

export type CuckooInsertResult = 'inserted' | 'exists' | 'full';

const INDEX_SEED = 0x0cf0_1dec;
const FINGERPRINT_SEED = 0x0cf0_f1a9;
const ALT_HASH_MULTIPLIER = 0x5bd1e995;
const EMPTY_SLOT = 0;

// A sub-filter larger than this is refused (errors.cfCannotCreate).
const MAX_SUBFILTER_BYTES = 2 ** 30;
const MAX_FILTER_BYTES = 2 ** 32;
// numFilters is a uint16 in RedisBloom's CuckooFilter.
const MAX_SUBFILTERS = 65535;

// sizeof(CuckooFilter) and sizeof(SubCF) on 64-bit Linux, which CF.INFO's Size includes.
const FILTER_STRUCT_BYTES = 40;
const SUBFILTER_STRUCT_BYTES = 16;

const HEADER_MAGIC = 'RDCF';
const HEADER_VERSION = 1;

interface SubFilter {
  readonly numBuckets: number;
  /** numBuckets × bucketSize fingerprint slots. */
  readonly slots: Uint8Array;
}

export interface CuckooInfo {
  readonly size: number;
  readonly numberOfBuckets: number;
  readonly numberOfFilters: number;
  readonly numberOfItemsInserted: number;
  readonly numberOfItemsDeleted: number;
  readonly bucketSize: number;
  readonly expansionRate: number;
  readonly maxIterations: number;
}

/** getNextN2 in cuckoo.c: the next power of two ≥ n, with 0 staying 0. */
function nextPowerOfTwo(n: number): number {
  if (n <= 0) return 0;
  let power = 1;
  while (power < n) power *= 2;
  return power;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && nextPowerOfTwo(n) === n;
}

function altIndex(fingerprint: number, index: number): number {
  // Only the low bits survive the power-of-two modulo, so the low 32 bits of
  // RedisBloom's 64-bit product are enough.
  return (index ^ Math.imul(fingerprint, ALT_HASH_MULTIPLIER)) >>> 0;
}

function findSlot(sub: SubFilter, bucketSize: number, bucketIndex: number, fingerprint: number): number {
  const start = bucketIndex * bucketSize;
  for (let slot = start; slot < start + bucketSize; slot++) {
    if (sub.slots[slot] === fingerprint) return slot;
  }
  return -1;
}

function countInBucket(sub: SubFilter, bucketSize: number, bucketIndex: number, fingerprint: number): number {
  const start = bucketIndex * bucketSize;
  let count = 0;
  for (let slot = start; slot < start + bucketSize; slot++) {
    if (sub.slots[slot] === fingerprint) count++;
  }
  return count;
}

export class CuckooFilter implements RedisObject {
  readonly type = CUCKOO_TYPE;
  /** Buckets in the first sub-filter (CF.INFO "Number of buckets"). */
  readonly numBuckets: number;
  readonly bucketSize: number;
  readonly maxIterations: number;
  /** The requested expansion rounded up to a power of two, as RedisBloom stores it. */
  readonly expansion: number;
  private filters: SubFilter[] = [];
  /** Total slots over all sub-filters, i.e. their bytes. */
  private slotCount = 0;
  private numItems = 0;
  private numDeletes = 0;

  /** OBJECT ENCODING: Redis reports every module-type value as raw. */
  encoding(): typeof MODULE_VALUE_ENCODING {
    return MODULE_VALUE_ENCODING;
  }

  constructor(capacity: number, bucketSize = 2, maxIterations = 20, expansion = 1) {
    if (!Number.isSafeInteger(bucketSize) || bucketSize < 1 || bucketSize > 255) {
      throw new RangeError('cuckoo bucket size must be an integer in [1, 255]');
    }
    if (!Number.isSafeInteger(capacity) || capacity < bucketSize * 2) {
      throw new RangeError('cuckoo capacity must be an integer of at least bucketSize * 2');
    }
    if (!Number.isSafeInteger(maxIterations) || maxIterations < 1 || maxIterations > 65535) {
      throw new RangeError('cuckoo max iterations must be an integer in [1, 65535]');
    }
    if (!Number.isSafeInteger(expansion) || expansion < 0 || expansion > 32768) {
      throw new RangeError('cuckoo expansion must be an integer in [0, 32768]');
    }
    this.bucketSize = bucketSize;
    this.maxIterations = maxIterations;
    this.expansion = nextPowerOfTwo(expansion);
    this.numBuckets = Math.max(1, nextPowerOfTwo(Math.floor(capacity / bucketSize)));
    if (this.numBuckets * bucketSize > MAX_SUBFILTER_BYTES) throw new ProbabilisticError(errors.cfCannotCreate);
    this.grow();
  }

  get numberOfFilters(): number {
    return this.filters.length;
  }

  /** Adds a copy of the item's fingerprint ('inserted' or 'full'; never 'exists'). */
  add(item: string): CuckooInsertResult {
    return this.insertFingerprint(murmur3Latin1(item, INDEX_SEED), fingerprintOf(item));
  }

  /** Adds the item unless its fingerprint is already present. */
  addNx(item: string): CuckooInsertResult {
    const index = murmur3Latin1(item, INDEX_SEED);
    const fingerprint = fingerprintOf(item);
    if (this.containsFingerprint(index, fingerprint)) return 'exists';
    return this.insertFingerprint(index, fingerprint);
  }

  exists(item: string): boolean {
    return this.containsFingerprint(murmur3Latin1(item, INDEX_SEED), fingerprintOf(item));
  }

  /** Copies of the item's fingerprint in its candidate buckets; may overcount on collisions. */
  count(item: string): number {
    const h1 = murmur3Latin1(item, INDEX_SEED);
    const fingerprint = fingerprintOf(item);
    const h2 = altIndex(fingerprint, h1);
    let total = 0;
    for (const sub of this.filters) {
      total += countInBucket(sub, this.bucketSize, h1 % sub.numBuckets, fingerprint);
      total += countInBucket(sub, this.bucketSize, h2 % sub.numBuckets, fingerprint);
    }
    return total;
  }

  /** Removes one copy of the item's fingerprint, newest sub-filter first. */
  delete(item: string): boolean {
    const h1 = murmur3Latin1(item, INDEX_SEED);
    const fingerprint = fingerprintOf(item);
    const h2 = altIndex(fingerprint, h1);
    for (let i = this.filters.length - 1; i >= 0; i--) {
      const sub = this.filters[i];
      let slot = findSlot(sub, this.bucketSize, h1 % sub.numBuckets, fingerprint);
      if (slot < 0) slot = findSlot(sub, this.bucketSize, h2 % sub.numBuckets, fingerprint);
      if (slot < 0) continue;
      sub.slots[slot] = EMPTY_SLOT;
      this.numItems--;
      this.numDeletes++;
      // CuckooFilter_Delete: once deletes pass 10% of the items, try to move
      // the newest sub-filters' fingerprints down so they can be dropped.
      if (this.filters.length > 1 && this.numDeletes > this.numItems * 0.1) this.compact(false);
      return true;
    }
    return false;
  }

  /**
   * CuckooFilter_Compact: move fingerprints from newer sub-filters into free
   * slots of older ones, dropping the newest sub-filter when it empties.
   * `continueOnFailure` is CF.COMPACT's behaviour; deletes stop at the first
   * sub-filter that cannot be emptied, since older ones cannot be dropped then.
   */
  compact(continueOnFailure = true): void {
    for (let i = this.filters.length - 1; i > 0; i--) {
      if (!this.compactSubFilter(i) && !continueOnFailure) break;
    }
    this.numDeletes = 0;
  }

  memoryUsage(): number {
    return FILTER_STRUCT_BYTES + SUBFILTER_STRUCT_BYTES * this.filters.length + this.slotCount;
  }

  info(): CuckooInfo {
    return {
      size: this.memoryUsage(),
      numberOfBuckets: this.numBuckets,
      numberOfFilters: this.filters.length,
      numberOfItemsInserted: this.numItems,
      numberOfItemsDeleted: this.numDeletes,
      bucketSize: this.bucketSize,
      expansionRate: this.expansion,
      maxIterations: this.maxIterations,
    };
  }

  clone(): CuckooFilter {
    const copy = this.emptyCopy();
    copy.filters = this.filters.map((sub) => ({ numBuckets: sub.numBuckets, slots: sub.slots.slice() }));
    copy.slotCount = this.slotCount;
    copy.numItems = this.numItems;
    copy.numDeletes = this.numDeletes;
    return copy;
  }

  // ---- CF.SCANDUMP / CF.LOADCHUNK -------------------------------------------
  // Iterator 0 yields the header and iterator 1; then the iterator is 1 + the
  // byte offset into the sub-filters' slots laid end to end, and the iterator
  // returned with a chunk is the one to load it with. The end, and any dump
  // of a filter with no items, is iterator 0 with null data, as in RedisBloom.
  // (RedisBloom counts buckets rather than bytes; the blobs only need to
  // round-trip between reddish servers.)

  scanDump(iter: number, maxChunkBytes = MAX_DUMP_CHUNK_BYTES): DumpChunk {
    if (this.numItems === 0) return { iter: 0, data: null };
    if (iter === 0) return { iter: 1, data: this.encodeHeader() };
    const position = this.locate(iter);
    if (position === null) return { iter: 0, data: null };
    const { sub, offset } = position;
    const length = Math.min(maxChunkBytes, sub.slots.length - offset);
    return { iter: iter + length, data: bytesToLatin1(sub.slots, offset, offset + length) };
  }

  /** LOADCHUNK with iterator 1 on a missing key: an empty filter shaped by the header. */
  static fromHeader(header: string): CuckooFilter {
    const reader = new ByteReader(header, errors.cfInvalidHeader);
    const filter = CuckooFilter.decodeHeader(reader);
    reader.expectEnd();
    return filter;
  }

  loadChunk(iter: number, data: string): void {
    const length = data.length;
    if (!Number.isSafeInteger(iter) || length === 0 || iter <= length) throw new ProbabilisticError(errors.cfBadChunk);
    const position = this.locate(iter - length);
    if (position === null || length > position.sub.slots.length - position.offset) {
      throw new ProbabilisticError(errors.cfBadChunk);
    }
    position.sub.slots.set(latin1ToBytes(data), position.offset);
  }

  serialize(): string {
    const writer = new ByteWriter();
    this.writeHeader(writer);
    for (const sub of this.filters) writer.raw(sub.slots);
    return writer.toLatin1();
  }

  static deserialize(data: string): CuckooFilter {
    const reader = new ByteReader(data, errors.probabilisticBadData);
    const filter = CuckooFilter.decodeHeader(reader);
    for (const sub of filter.filters) sub.slots.set(reader.raw(sub.slots.length));
    reader.expectEnd();
    return filter;
  }

  // ---- internals ---------------------------------------------------------

  private emptyCopy(): CuckooFilter {
    // The constructor allocates a first sub-filter; callers replace the list.
    return new CuckooFilter(this.numBuckets * this.bucketSize, this.bucketSize, this.maxIterations, this.expansion);
  }

  private grow(): void {
    const growth = this.expansion ** this.filters.length;
    const numBuckets = this.numBuckets * growth;
    const byteLength = numBuckets * this.bucketSize;
    if (
      byteLength > MAX_SUBFILTER_BYTES ||
      this.slotCount + byteLength > MAX_FILTER_BYTES ||
      this.filters.length >= MAX_SUBFILTERS
    ) {
      throw new ProbabilisticError(errors.cfAllocationFailure);
    }
    this.filters.push({ numBuckets, slots: new Uint8Array(byteLength) });
    this.slotCount += byteLength;
  }

  private containsFingerprint(h1: number, fingerprint: number): boolean {
    const h2 = altIndex(fingerprint, h1);
    for (const sub of this.filters) {
      if (findSlot(sub, this.bucketSize, h1 % sub.numBuckets, fingerprint) >= 0) return true;
      if (findSlot(sub, this.bucketSize, h2 % sub.numBuckets, fingerprint) >= 0) return true;
    }
    return false;
  }

  /** CuckooFilter_InsertFP: a free slot in any sub-filter (newest first), else kick, else grow. */
  private insertFingerprint(h1: number, fingerprint: number): CuckooInsertResult {
    const h2 = altIndex(fingerprint, h1);
    for (;;) {
      for (let i = this.filters.length - 1; i >= 0; i--) {
        const sub = this.filters[i];
        let slot = findSlot(sub, this.bucketSize, h1 % sub.numBuckets, EMPTY_SLOT);
        if (slot < 0) slot = findSlot(sub, this.bucketSize, h2 % sub.numBuckets, EMPTY_SLOT);
        if (slot >= 0) {
          sub.slots[slot] = fingerprint;
          this.numItems++;
          return 'inserted';
        }
      }
      if (this.kickInsert(this.filters[this.filters.length - 1], h1, fingerprint)) {
        this.numItems++;
        return 'inserted';
      }
      if (this.expansion === 0) return 'full';
      this.grow();
    }
  }

  /** Filter_KOInsert, including its roll-back so a failed attempt leaves every fingerprint in place. */
  private kickInsert(sub: SubFilter, h1: number, fingerprint: number): boolean {
    const { bucketSize, maxIterations } = this;
    const { numBuckets, slots } = sub;
    let carried = fingerprint;
    let victim = 0;
    let bucket = h1 % numBuckets;
    for (let step = 0; step < maxIterations; step++) {
      const at = bucket * bucketSize + victim;
      const evicted = slots[at];
      slots[at] = carried;
      carried = evicted;
      bucket = altIndex(carried, bucket) % numBuckets;
      const free = findSlot(sub, bucketSize, bucket, EMPTY_SLOT);
      if (free >= 0) {
        slots[free] = carried;
        return true;
      }
      victim = (victim + 1) % bucketSize;
    }
    for (let step = 0; step < maxIterations; step++) {
      victim = (victim + bucketSize - 1) % bucketSize;
      bucket = altIndex(carried, bucket) % numBuckets;
      const at = bucket * bucketSize + victim;
      const displaced = slots[at];
      slots[at] = carried;
      carried = displaced;
    }
    return false;
  }

  /** CuckooFilter_CompactSingle: true when every fingerprint found a home below. */
  private compactSubFilter(filterIndex: number): boolean {
    const { bucketSize } = this;
    const sub = this.filters[filterIndex];
    let relocatedAll = true;
    for (let bucket = 0; bucket < sub.numBuckets; bucket++) {
      for (let slot = bucket * bucketSize; slot < (bucket + 1) * bucketSize; slot++) {
        const fingerprint = sub.slots[slot];
        if (fingerprint === EMPTY_SLOT) continue;
        // Older sub-filters have at most as many buckets (a power of two
        // dividing this one's), so this bucket index reduces to the item's own.
        const alternate = altIndex(fingerprint, bucket);
        let moved = false;
        for (let lower = 0; lower < filterIndex && !moved; lower++) {
          const target = this.filters[lower];
          let free = findSlot(target, bucketSize, bucket % target.numBuckets, EMPTY_SLOT);
          if (free < 0) free = findSlot(target, bucketSize, alternate % target.numBuckets, EMPTY_SLOT);
          if (free >= 0) {
            target.slots[free] = fingerprint;
            sub.slots[slot] = EMPTY_SLOT;
            moved = true;
          }
        }
        if (!moved) relocatedAll = false;
      }
    }
    if (relocatedAll && filterIndex === this.filters.length - 1) {
      this.filters.pop();
      this.slotCount -= sub.slots.length;
    }
    return relocatedAll;
  }

  private locate(iter: number): { sub: SubFilter; offset: number } | null {
    if (!Number.isSafeInteger(iter) || iter < 1) return null;
    let offset = iter - 1;
    for (const sub of this.filters) {
      if (offset < sub.slots.length) return { sub, offset };
      offset -= sub.slots.length;
    }
    return null;
  }

  private encodeHeader(): string {
    const writer = new ByteWriter();
    this.writeHeader(writer);
    return writer.toLatin1();
  }

  private writeHeader(writer: ByteWriter): void {
    writer
      .magic(HEADER_MAGIC)
      .u8(HEADER_VERSION)
      .u8(this.bucketSize)
      .u32(this.maxIterations)
      .u32(this.expansion)
      .f64(this.numBuckets)
      .f64(this.numItems)
      .f64(this.numDeletes)
      .u32(this.filters.length);
  }

  /**
   * Reads and checks a header. Sub-filter sizes are not stored: they follow
   * from numBuckets × expansion^i, so a header cannot describe a shape this
   * class would never build, and its size is checked before allocating.
   */
  private static decodeHeader(reader: ByteReader): CuckooFilter {
    reader.expectMagic(HEADER_MAGIC);
    if (reader.u8() !== HEADER_VERSION) reader.fail();
    const bucketSize = reader.u8();
    const maxIterations = reader.u32();
    const expansion = reader.u32();
    const numBuckets = reader.count();
    const numItems = reader.count();
    const numDeletes = reader.count();
    const filterCount = reader.u32();
    if (bucketSize < 1 || maxIterations < 1 || maxIterations > 65535) reader.fail();
    if (expansion !== 0 && (!isPowerOfTwo(expansion) || expansion > 32768)) reader.fail();
    if (!isPowerOfTwo(numBuckets) || numBuckets < 2 || numBuckets * bucketSize > MAX_SUBFILTER_BYTES) reader.fail();
    if (filterCount < 1 || filterCount > MAX_SUBFILTERS || (expansion === 0 && filterCount > 1)) reader.fail();
    let slots = 0;
    for (let i = 0; i < filterCount; i++) {
      slots += numBuckets * bucketSize * expansion ** i;
      if (slots > MAX_FILTER_BYTES) reader.fail();
    }
    if (numItems > slots) reader.fail();

    const filter = new CuckooFilter(numBuckets * bucketSize, bucketSize, maxIterations, expansion);
    while (filter.filters.length < filterCount) filter.grow();
    filter.numItems = numItems;
    filter.numDeletes = numDeletes;
    return filter;
  }
}

function fingerprintOf(item: string): number {
  return (murmur3Latin1(item, FINGERPRINT_SEED) % 255) + 1;
}
