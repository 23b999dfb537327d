/**
 * What a key and its value would cost in Redis 7.0 (jemalloc 5.3 on a
 * 64-bit build): object.c's objectComputeSize plus the key's sds and its
 * dictEntry, as MEMORY USAGE counts them. The keyspace's used-memory figure
 * (Database.usedBytes) is the sum of these over every key, kept as keys
 * change (see DESIGN.md, "Memory accounting"), so that `maxmemory` means
 * what it means for the same dataset in Redis, whatever V8 makes of it.
 *
 * Containers are sampled as Redis samples them: the first `samples`
 * elements give an average element size, multiplied by the element count.
 */
import type { EncodingConfig, Value } from './types.js';
import { EMBSTR_STRING_ENCODING, RAW_STRING_ENCODING } from './types.js';
import { QuickList } from './list.js';
import { RedisSet } from './set.js';
import { RedisHash } from './hash.js';
import { SortedSet } from './zset.js';
import { RedisStream } from './stream/stream.js';

/** sizeof(robj). */
const ROBJ = 16;
/** sizeof(dictEntry). */
export const DICT_ENTRY = 24;
const DICT_ENTRY_ALLOCATED = 32;
/** sizeof(dictEntry *): one hash-table bucket. */
export const DICT_BUCKET = 8;
/** sizeof(dict) in 7.0. */
const DICT = 56;
/** sizeof(quicklist), sizeof(quicklistNode). */
const QUICKLIST = 40;
const QUICKLIST_NODE = 40;
/** list-max-listpack-size -2: a quicklist node's listpack holds up to 8 KB. */
const QUICKLIST_NODE_BYTES = 8192;
/** sizeof(zset) + sizeof(zskiplist), and the 32-level skiplist header's allocation. */
const ZSET_STRUCTS = 16 + 32;
const ZSKIPLIST_HEADER = 640;
/** A skiplist node: ele, score, backward, then one level on average of 1.33 (p = 1/4). */
const ZSKIPLIST_NODE_AVERAGE = 24 + 16 * 1.33;
/** sizeof(stream), and what a rax spends per indexed node (a guess from rax.c's node layout). */
const STREAM = 88;
const RAX_PER_ELEMENT = 48;
/** sizeof(streamCG), sizeof(streamNACK), sizeof(streamConsumer). */
const STREAM_CG = 48;
const STREAM_NACK = 32;
const STREAM_CONSUMER = 40;
/** A listpack's header (total bytes, count) and end byte. */
const LP_HEADER_AND_END = 7;
/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
const EMBSTR_SIZE_LIMIT = 44;
/** The default of MEMORY USAGE's SAMPLES, and what the running figure samples. */
export const DEFAULT_SAMPLES = 5;

/**
 * je_malloc_usable_size of an n-byte allocation: jemalloc's size classes
 * (16-byte quantum up to 128, then four classes per doubling).
 */
export function mallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) & ~15;
  const lg = n <= 0x80000000 ? 31 - Math.clz32(n - 1) : Math.floor(Math.log2(n - 1));
  const step = 2 ** (lg - 2);
  return Math.ceil(n / step) * step;
}

/** sdsReqType's header size for a string of `len` bytes (sdshdr5 for short keys). */
function sdsHeader(len: number): number {
  if (len < 32) return 1;
  if (len < 256) return 3;
  if (len < 65536) return 5;
  return 9;
}

/** sdsZmallocSize of an sds made with sdsnewlen (exact length). */
export function sdsSize(len: number): number {
  return mallocSize(sdsHeader(len) + len + 1);
}

/**
 * sdsZmallocSize of an sds value inside a container: Redis makes those with
 * sdsnewlen too, but never with the 1-byte sdshdr5 (sdsnewlen turns an
 * empty TYPE_5 into TYPE_8; field values come through createStringObject).
 */
function elementSdsSize(len: number): number {
  return mallocSize((len < 256 ? 3 : sdsHeader(len)) + len + 1);
}

/** string2ll's shape: what tryObjectEncoding stores as an integer. */
function isIntegerText(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > 20) return false;
  let i = 0;
  const first = s.charCodeAt(0);
  if (first === 45 /* - */) {
    if (len === 1) return false;
    i = 1;
  }
  const lead = s.charCodeAt(i);
  if (lead < 48 || lead > 57 || (lead === 48 && len > 1)) return false;
  for (i++; i < len; i++) {
    const code = s.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  if (len < 19) return true;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** objectComputeSize of a string, from the encoding bits of its clock word (types.ts). */
export function stringObjectSize(s: string, clock: number): number {
  const len = s.length;
  if ((clock & RAW_STRING_ENCODING) !== 0) return ROBJ + elementSdsSize(len);
  if ((clock & EMBSTR_STRING_ENCODING) === 0 && len <= 20 && isIntegerText(s)) return ROBJ;
  if (len <= EMBSTR_SIZE_LIMIT) return mallocSize(ROBJ + 3 + len + 1);
  return ROBJ + elementSdsSize(len);
}

/**
 * What a key costs beside its value in the used-memory figure: its sds and
 * its dictEntry as jemalloc allocates it (24 bytes take a 32-byte class;
 * MEMORY USAGE adds the unrounded 24).
 */
export function keyOverhead(key: string): number {
  return sdsSize(key.length) + DICT_ENTRY_ALLOCATED;
}

/** dictSlots of a dict holding `size` entries: the power of two Redis grows it to. */
export function dictSlots(size: number): number {
  if (size === 0) return 0;
  let slots = 4;
  while (slots < size) slots *= 2;
  return slots;
}

/** An element's bytes inside a listpack: encoding, data and backlen (lpEncode*). */
function listpackEntrySize(s: string): number {
  let data: number;
  if (isIntegerText(s)) {
    const n = Number(s);
    if (n >= 0 && n <= 127) data = 1;
    else if (n >= -4096 && n <= 4095) data = 2;
    else if (n >= -32768 && n <= 32767) data = 3;
    else if (n >= -8388608 && n <= 8388607) data = 4;
    else if (n >= -2147483648 && n <= 2147483647) data = 5;
    else data = 9;
  } else {
    const len = s.length;
    data = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  }
  return data + (data <= 127 ? 1 : data < 16383 ? 2 : data < 2097151 ? 3 : data < 268435455 ? 4 : 5);
}

/** Containers of up to this many elements are measured again after every change (remeasureDue). */
const REMEASURE_ALWAYS_UP_TO = 128;

/**
 * Whether a container that was changed in place should be measured again
 * for the used-memory figure (Database.refreshUsedBytes), or keep the
 * bytes it was last counted at. Up to REMEASURE_ALWAYS_UP_TO elements,
 * always. Past that, once its size has moved by a sixteenth since it was
 * last measured: the measure samples 5 elements and scales by the count,
 * so between two measures the figure lags by under 1/16 of that
 * container. Measuring after every write was about a fifth of an HSET's
 * or LPUSH's time in-process (bench/micro/pipeline-one.mjs profiles).
 * Types without a `measuredSize` are measured every time.
 */
export function remeasureDue(value: Value): boolean {
  let size: number;
  let container: { measuredSize: number };
  if (value instanceof RedisHash) {
    size = value.size;
    container = value;
  } else if (value instanceof QuickList) {
    size = value.length;
    container = value;
  } else if (value instanceof RedisSet) {
    size = value.size;
    container = value;
  } else if (value instanceof SortedSet) {
    size = value.size;
    container = value;
  } else {
    return true;
  }
  if (size > REMEASURE_ALWAYS_UP_TO && container.measuredSize > 0 && Math.abs(size - container.measuredSize) * 16 < size) return false;
  container.measuredSize = size;
  return true;
}

/** Sampling: how many of `count` elements to look at (0 = all, as MEMORY USAGE SAMPLES 0). */
function sampleCount(count: number, samples: number): number {
  return samples === 0 ? count : Math.min(samples, count);
}

function listSize(list: QuickList, samples: number): number {
  const count = list.length;
  if (count === 0) return ROBJ + QUICKLIST;
  const n = sampleCount(count, samples);
  let entryBytes = 0;
  for (let i = 0; i < n; i++) entryBytes += listpackEntrySize(list.at(i)!);
  const average = entryBytes / n;
  // Nodes fill to 8 KB (or hold one oversized element each).
  const perNode = Math.max(1, Math.floor((QUICKLIST_NODE_BYTES - LP_HEADER_AND_END) / average));
  const nodes = Math.ceil(count / perNode);
  const nodeBytes = QUICKLIST_NODE + mallocSize(Math.round(LP_HEADER_AND_END + average * Math.min(perNode, count)));
  return Math.floor(ROBJ + QUICKLIST + nodeBytes * nodes);
}

function setSize(set: RedisSet, samples: number): number {
  const count = set.size;
  if (set.encoding() === 'intset') {
    // The widest member decides the encoding; an intset has at most 512 members.
    let width = 2;
    for (let i = 0; i < count && width < 8; i++) {
      const n = Number(set.memberAt(i));
      if (n < -2147483648 || n > 2147483647) width = 8;
      else if (n < -32768 || n > 32767) width = 4;
    }
    return ROBJ + mallocSize(8 + width * count);
  }
  let size = ROBJ + DICT + DICT_BUCKET * dictSlots(count);
  const n = sampleCount(count, samples);
  if (n === 0) return size;
  let elements = 0;
  for (let i = 0; i < n; i++) elements += DICT_ENTRY + elementSdsSize(set.memberAt(i).length);
  size += (elements / n) * count;
  return Math.floor(size);
}

function hashSize(hash: RedisHash, samples: number): number {
  const count = hash.size;
  const listpack = hash.encoding() !== 'hashtable';
  const n = sampleCount(count, samples);
  let elements = 0;
  let seen = 0;
  if (n !== 0) {
    for (const [field, value] of hash.entries()) {
      elements += listpack
        ? listpackEntrySize(field) + listpackEntrySize(value)
        : DICT_ENTRY + elementSdsSize(field.length) + elementSdsSize(value.length);
      if (++seen === n) break;
    }
  }
  if (listpack) return ROBJ + mallocSize(Math.round(LP_HEADER_AND_END + (seen === 0 ? 0 : (elements / seen) * count)));
  let size = ROBJ + DICT + DICT_BUCKET * dictSlots(count);
  if (seen !== 0) size += (elements / seen) * count;
  return Math.floor(size);
}

function zsetSize(zset: SortedSet, samples: number, listpack: boolean): number {
  const count = zset.size;
  const n = sampleCount(count, samples);
  if (listpack) {
    let bytes = 0;
    if (n !== 0) {
      zset.forEachByRank(0, n - 1, false, (member, score) => {
        bytes += listpackEntrySize(member) + listpackEntrySize(String(score));
      });
    }
    return ROBJ + mallocSize(Math.round(LP_HEADER_AND_END + (n === 0 ? 0 : (bytes / n) * count)));
  }
  let size = ROBJ + ZSET_STRUCTS + DICT + DICT_BUCKET * dictSlots(count) + ZSKIPLIST_HEADER;
  if (n === 0) return size;
  let elements = 0;
  zset.forEachByRank(0, n - 1, false, (member) => {
    elements += elementSdsSize(member.length) + DICT_ENTRY + mallocSize(Math.round(ZSKIPLIST_NODE_AVERAGE));
  });
  size += (elements / n) * count;
  return Math.floor(size);
}

function streamSize(stream: RedisStream, samples: number): number {
  const nodes = stream.index.size;
  let size = ROBJ + STREAM + RAX_PER_ELEMENT * nodes;
  let sampled = 0;
  let lpBytes = 0;
  for (let node = stream.head; node !== null && sampled < (samples === 0 ? nodes : samples); node = node.next) {
    lpBytes += mallocSize(node.lpBytes);
    sampled++;
  }
  if (nodes <= sampled) size += lpBytes;
  else size += (lpBytes / sampled) * (nodes - 1) + mallocSize(stream.tail!.lpBytes);
  if (stream.groups !== null) {
    for (const group of stream.groups.values()) {
      size += STREAM_CG + (RAX_PER_ELEMENT + STREAM_NACK) * group.pel.size;
      for (const consumer of group.consumers.values()) {
        size += STREAM_CONSUMER + consumer.name.length + RAX_PER_ELEMENT * consumer.pel.size;
      }
    }
  }
  return Math.floor(size);
}

/**
 * objectComputeSize: the value's bytes, sampling at most `samples`
 * elements of a container (0: all of them). `clock` is the key's clock word
 * (for a string's encoding); `config` the limits that decide a sorted
 * set's encoding. Listpacks are sampled too (Redis measures them exactly):
 * the running figure must not walk 128 fields on every HSET.
 */
export function objectComputeSize(value: Value, clock: number, samples: number, config: EncodingConfig): number {
  if (typeof value === 'string') return stringObjectSize(value, clock);
  if (value instanceof QuickList) return listSize(value, samples);
  if (value instanceof RedisHash) return hashSize(value, samples);
  if (value instanceof RedisSet) return setSize(value, samples);
  if (value instanceof SortedSet) return zsetSize(value, samples, value.encoding(config) === 'listpack');
  if (value instanceof RedisStream) return streamSize(value, samples);
  // Module types (RedisBloom's): their mem_usage callback.
  const moduleValue = value as { memoryUsage?: () => number };
  return ROBJ + (moduleValue.memoryUsage !== undefined ? moduleValue.memoryUsage() : 0);
}
