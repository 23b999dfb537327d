// RedisBloom's top-k (src/topk.c): HeavyKeeper plus a min-heap of the k
// heaviest items.
//
// `depth` rows of `width` buckets each hold a 32-bit fingerprint and a
// counter. An item's bucket in row i comes from a hash seeded with i, its
// fingerprint from one seeded with 1919 (topk.c's GA). A bucket holding the
// item's fingerprint (or nothing) counts up; one holding another fingerprint
// decays by one with probability decay^count, and is taken over when it
// reaches zero. The item's estimate is its largest counter, and it enters the
// heap when that reaches the heap minimum, expelling the minimum.
//
// topk.c draws the decay coin with rand(); here it is a seeded PRNG whose
// state travels with the value (clone, serialize), so runs are reproducible
// and a reloaded sketch continues the same sequence.
//
// bloom-filters' TopK is a count-min sketch plus a sorted list, not
// HeavyKeeper, so neither its answers nor its expulsions would match.

import { errors } from '../../errors.js';
import { ByteReader, ByteWriter, MODULE_VALUE_ENCODING, ProbabilisticError } from './encoding.js';
import { murmur3Latin1 } from './hashing.js';
import type { RedisObject } from '../types.js';

export const TOPK_TYPE = 'TopK-TYPE';

const FINGERPRINT_SEED = 1919;
const DECAY_LOOKUP_SIZE = 256;
const RANDOM_SEED = 0x70b4_5eed;
const UINT32_MAX = 0xffffffff;

// Bounds that keep a single sketch under ~1 GiB; RedisBloom would OOM instead.
const MAX_BUCKETS = 2 ** 27;
const MAX_K = 2 ** 20;

// sizeof(TopK) (with its 256-entry decay table), sizeof(Bucket) and
// sizeof(HeapBucket) on 64-bit Linux, as TopKMemUsage counts them.
const TOPK_STRUCT_BYTES = 2088;
const BUCKET_BYTES = 8;
const HEAP_ENTRY_BYTES = 24;

const SERIAL_MAGIC = 'RDTK';
const SERIAL_VERSION = 1;

interface HeapEntry {
  fingerprint: number;
  count: number;
  item: string | null;
}

export interface TopKEntry {
  readonly item: string;
  readonly count: number;
}

export interface TopKInfo {
  readonly k: number;
  readonly width: number;
  readonly depth: number;
  readonly decay: number;
}

/** mulberry32: a small, fast PRNG whose whole state is one uint32. */
function nextRandomState(state: number): number {
  return (state + 0x6d2b79f5) | 0;
}

function randomFromState(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** heapifyDown from topk.c, moving entries by reference like its memcpy of HeapBuckets. */
function heapifyDown(heap: HeapEntry[], start: number): void {
  const length = heap.length;
  if (length < 2 || Math.floor((length - 2) / 2) < start) return;
  let child = 2 * start + 1;
  if (child + 1 < length && heap[child].count > heap[child + 1].count) child++;
  if (heap[child].count > heap[start].count) return;
  const top = heap[start];
  do {
    heap[start] = heap[child];
    start = child;
    if (Math.floor((length - 2) / 2) < child) break;
    child = 2 * child + 1;
    if (child + 1 < length && heap[child].count > heap[child + 1].count) child++;
  } while (heap[child].count < top.count);
  heap[start] = top;
}

function emptyHeap(k: number): HeapEntry[] {
  return Array.from({ length: k }, () => ({ fingerprint: 0, count: 0, item: null }));
}

export class TopK implements RedisObject {
  readonly type = TOPK_TYPE;
  readonly k: number;
  readonly width: number;
  readonly depth: number;
  readonly decay: number;
  private readonly fingerprints: Uint32Array;
  private readonly counts: Uint32Array;
  private heap: HeapEntry[];
  private readonly decayTable: Float64Array;
  private randomState = RANDOM_SEED;

  /** OBJECT ENCODING: Redis reports every module-type value as raw. */
  encoding(): typeof MODULE_VALUE_ENCODING {
    return MODULE_VALUE_ENCODING;
  }

  private constructor(k: number, width: number, depth: number, decay: number) {
    if (!Number.isSafeInteger(k) || k < 1) throw new RangeError('top-k k must be a positive integer');
    if (!Number.isSafeInteger(width) || width < 1) throw new RangeError('top-k width must be a positive integer');
    if (!Number.isSafeInteger(depth) || depth < 1) throw new RangeError('top-k depth must be a positive integer');
    if (!(decay > 0 && decay <= 1)) throw new RangeError('top-k decay must be in (0, 1]');
    if (k > MAX_K || width * depth > MAX_BUCKETS) {
      throw new ProbabilisticError(errors.topkNoMemory);
    }
    this.k = k;
    this.width = width;
    this.depth = depth;
    this.decay = decay;
    this.fingerprints = new Uint32Array(width * depth);
    this.counts = new Uint32Array(width * depth);
    this.heap = emptyHeap(k);
    this.decayTable = new Float64Array(DECAY_LOOKUP_SIZE);
    for (let i = 0; i < DECAY_LOOKUP_SIZE; i++) this.decayTable[i] = decay ** i;
  }

  /** TOPK.RESERVE */
  static reserve(k: number, width = 8, depth = 7, decay = 0.9): TopK {
    return new TopK(k, width, depth, decay);
  }

  /** TOPK.ADD of one item: the item expelled from the top-k list, or null. */
  add(item: string): string | null {
    return this.incrBy(item, 1);
  }

  /** TopK_Add with an increment (TOPK.INCRBY; the command layer caps it at 100,000). */
  incrBy(item: string, increment: number): string | null {
    if (!Number.isSafeInteger(increment) || increment < 0 || increment > UINT32_MAX) {
      throw new RangeError('top-k increment must be an integer in [0, 2^32)');
    }
    const { width, fingerprints, counts } = this;
    const fingerprint = murmur3Latin1(item, FINGERPRINT_SEED);
    const heapMin = this.heap[0].count;
    let maxCount = 0;

    for (let row = 0, base = 0; row < this.depth; row++, base += width) {
      const at = base + (murmur3Latin1(item, row) % width);
      if (counts[at] === 0) {
        fingerprints[at] = fingerprint;
        counts[at] = increment;
        maxCount = Math.max(maxCount, counts[at]);
      } else if (fingerprints[at] === fingerprint) {
        counts[at] += increment; // uint32 counters wrap, as counter_t does
        maxCount = Math.max(maxCount, counts[at]);
      } else {
        for (let remaining = increment; remaining > 0; remaining--) {
          const current = counts[at];
          if (this.nextRandom() < this.decayProbability(current)) {
            counts[at] = current - 1;
            if (current === 1) {
              fingerprints[at] = fingerprint;
              counts[at] = remaining;
              maxCount = Math.max(maxCount, remaining);
              break;
            }
          }
        }
      }
    }

    if (maxCount < heapMin) return null;
    const heap = this.heap;
    const index = this.heapIndexOf(item, fingerprint);
    if (index >= 0) {
      // Not the max of old and new: the counters may have decayed.
      heap[index].count = maxCount;
      heapifyDown(heap, index);
      return null;
    }
    const expelled = heap[0].item;
    heap[0] = { fingerprint, count: maxCount, item };
    heapifyDown(heap, 0);
    return expelled;
  }

  /** TOPK.QUERY: whether the item is in the top-k list. */
  query(item: string): boolean {
    return this.heapIndexOf(item, murmur3Latin1(item, FINGERPRINT_SEED)) >= 0;
  }

  /** TOPK.COUNT: the item's estimate; may be well below its true count. */
  count(item: string): number {
    const { width, fingerprints, counts } = this;
    const fingerprint = murmur3Latin1(item, FINGERPRINT_SEED);
    const heapMin = this.heap[0].count;
    const inHeap = this.heapIndexOf(item, fingerprint) >= 0;
    let estimate = 0;
    for (let row = 0, base = 0; row < this.depth; row++, base += width) {
      const at = base + (murmur3Latin1(item, row) % width);
      if (fingerprints[at] === fingerprint && (!inHeap || counts[at] >= heapMin)) {
        estimate = Math.max(estimate, counts[at]);
      }
    }
    return estimate;
  }

  /** TOPK.LIST: the listed items, highest count first. */
  list(): string[] {
    return this.listWithCount().map((entry) => entry.item);
  }

  /**
   * TOPK.LIST WITHCOUNT. RedisBloom qsorts a copy of the heap by count; ties
   * keep heap order here (a stable sort), and empty heap slots are skipped.
   */
  listWithCount(): TopKEntry[] {
    const entries: TopKEntry[] = [];
    for (const entry of this.heap) {
      if (entry.item !== null) entries.push({ item: entry.item, count: entry.count });
    }
    return entries.sort((a, b) => b.count - a.count);
  }

  info(): TopKInfo {
    return { k: this.k, width: this.width, depth: this.depth, decay: this.decay };
  }

  memoryUsage(): number {
    let itemBytes = 0;
    for (const entry of this.heap) itemBytes += entry.item === null ? 0 : entry.item.length;
    return TOPK_STRUCT_BYTES + this.counts.length * BUCKET_BYTES + this.k * HEAP_ENTRY_BYTES + itemBytes;
  }

  clone(): TopK {
    const copy = new TopK(this.k, this.width, this.depth, this.decay);
    copy.fingerprints.set(this.fingerprints);
    copy.counts.set(this.counts);
    copy.heap = this.heap.map((entry) => ({ ...entry }));
    copy.randomState = this.randomState;
    return copy;
  }

  serialize(): string {
    const writer = new ByteWriter()
      .magic(SERIAL_MAGIC)
      .u8(SERIAL_VERSION)
      .u32(this.k)
      .u32(this.width)
      .u32(this.depth)
      .f64(this.decay)
      .u32(this.randomState >>> 0)
      .u32Array(this.fingerprints)
      .u32Array(this.counts);
    for (const entry of this.heap) writer.u32(entry.fingerprint).u32(entry.count).nullableString(entry.item);
    return writer.toLatin1();
  }

  static deserialize(data: string): TopK {
    const reader = new ByteReader(data, errors.probabilisticBadData);
    reader.expectMagic(SERIAL_MAGIC);
    if (reader.u8() !== SERIAL_VERSION) reader.fail();
    const k = reader.u32();
    const width = reader.u32();
    const depth = reader.u32();
    const decay = reader.f64();
    const randomState = reader.u32() | 0;
    if (k < 1 || k > MAX_K || width < 1 || depth < 1 || width * depth > MAX_BUCKETS || !(decay > 0 && decay <= 1)) {
      reader.fail();
    }
    // Each heap entry takes at least 12 bytes: reject truncated data before allocating.
    if (reader.remaining < width * depth * 8 + k * 12) reader.fail();
    const topk = new TopK(k, width, depth, decay);
    topk.fingerprints.set(reader.u32Array(width * depth));
    topk.counts.set(reader.u32Array(width * depth));
    topk.heap = [];
    for (let i = 0; i < k; i++) {
      const fingerprint = reader.u32();
      const count = reader.u32();
      const item = reader.nullableString();
      if (item !== null && murmur3Latin1(item, FINGERPRINT_SEED) !== fingerprint) reader.fail();
      topk.heap.push({ fingerprint, count, item });
    }
    reader.expectEnd();
    topk.randomState = randomState;
    return topk;
  }

  private decayProbability(count: number): number {
    return count < DECAY_LOOKUP_SIZE ? this.decayTable[count] : this.decay ** count;
  }

  private nextRandom(): number {
    this.randomState = nextRandomState(this.randomState);
    return randomFromState(this.randomState);
  }

  private heapIndexOf(item: string, fingerprint: number): number {
    const heap = this.heap;
    for (let i = 0; i < heap.length; i++) {
      const entry = heap[i];
      if (entry.item !== null && entry.fingerprint === fingerprint && entry.item === item) return i;
    }
    return -1;
  }
}
