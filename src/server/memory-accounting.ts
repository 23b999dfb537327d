/**
 * The server's used-memory figure and its breakdown (Redis's
 * zmalloc_used_memory and getMemoryOverheadData), for INFO memory, MEMORY
 * STATS / DOCTOR and maxmemory.
 *
 * The figure is a model, not a reading of V8's heap: what Redis 7.0 would
 * have allocated for the same dataset. Every key's bytes are kept by the
 * store as keys change (Database.usedBytes, store/memory-usage.ts); the
 * hash tables' buckets, the expires entries and the script caches are
 * added here, on top of what an empty Redis 7.0.15 holds at startup. That
 * way `maxmemory 100mb` admits about the dataset it admits in Redis,
 * whatever the JS heap makes of it (V8 spends about twice Redis's bytes
 * on small strings). The process's real RSS is reported next to it, and
 * mem_fragmentation_ratio is RSS over the model, as Redis's is RSS over
 * its allocations.
 */
import { DICT_BUCKET, DICT_ENTRY, dictSlots } from '../store/memory-usage.js';
import type { Keyspace } from '../store/keyspace.js';

/**
 * used_memory_startup of an empty Redis 7.0.15 (jemalloc, 16 databases):
 * shared objects, the command table, empty dicts, the Lua state's tables.
 */
export const STARTUP_BYTES = 876216;
/** sizeof(robj): Redis counts each key's value header as overhead, not dataset. */
const ROBJ = 16;

/** One database's hash-table overhead (MEMORY STATS db.N). */
export interface DatabaseOverhead {
  id: number;
  main: number;
  expires: number;
}

/** getMemoryOverheadData's figures. */
export interface MemoryOverhead {
  total: number;
  startup: number;
  peak: number;
  clientsNormal: number;
  luaCaches: number;
  functionsCaches: number;
  databases: DatabaseOverhead[];
  overheadTotal: number;
  keys: number;
  bytesPerKey: number;
  dataset: number;
  datasetPercentage: number;
  peakPercentage: number;
  rss: number;
  /** RSS over used memory (Redis's total_frag). */
  fragmentation: number;
  fragmentationBytes: number;
}

/** What the figures are computed from: the keyspace, the caches and the clients' buffers. */
export interface MemorySources {
  readonly keyspace: Keyspace;
  /** EVAL's script cache plus the functions' caches (lua.caches, functions.caches). */
  luaCaches(): number;
  functionsCaches(): number;
  /** The normal clients' query and output buffers. */
  clientBuffers(): number;
}

export class MemoryAccounting {
  /** used_memory_peak: the highest figure seen by a check, INFO or the cron (CONFIG RESETSTAT keeps it, as Redis does). */
  peak = 0;

  constructor(private readonly sources: MemorySources) {}

  /**
   * The figure maxmemory compares with: startup, every key, the hash tables
   * and the script caches. O(databases). Client buffers are left out, as
   * they are bounded by the client limits rather than by eviction.
   */
  usedForEviction(): number {
    let used = STARTUP_BYTES + this.sources.luaCaches() + this.sources.functionsCaches();
    for (const db of this.sources.keyspace.databases) {
      if (db.dict.size === 0) continue;
      used += db.usedBytes + DICT_BUCKET * dictSlots(db.dict.size) + expiresOverhead(db.expires.size);
    }
    if (used > this.peak) this.peak = used;
    return used;
  }

  /** used_memory: the eviction figure plus the clients' buffers. */
  used(): number {
    const used = this.usedForEviction() + this.sources.clientBuffers();
    if (used > this.peak) this.peak = used;
    return used;
  }

  /** getMemoryOverheadData. */
  overhead(rss: number): MemoryOverhead {
    const total = this.used();
    const clientsNormal = this.sources.clientBuffers();
    const luaCaches = this.sources.luaCaches();
    const functionsCaches = this.sources.functionsCaches();
    let overheadTotal = STARTUP_BYTES + clientsNormal + luaCaches + functionsCaches;
    let keys = 0;
    const databases: DatabaseOverhead[] = [];
    for (const db of this.sources.keyspace.databases) {
      const size = db.dict.size;
      if (size === 0) continue;
      keys += size;
      const main = size * DICT_ENTRY + dictSlots(size) * DICT_BUCKET + size * ROBJ;
      const expires = expiresOverhead(db.expires.size);
      databases.push({ id: db.id, main, expires });
      overheadTotal += main + expires;
    }
    const dataset = Math.max(0, total - overheadTotal);
    const netOfStartup = total - STARTUP_BYTES;
    return {
      total,
      startup: STARTUP_BYTES,
      peak: this.peak,
      clientsNormal,
      luaCaches,
      functionsCaches,
      databases,
      overheadTotal,
      keys,
      bytesPerKey: keys !== 0 ? Math.floor(netOfStartup / keys) : 0,
      dataset,
      datasetPercentage: netOfStartup > 0 ? (dataset * 100) / netOfStartup : 0,
      peakPercentage: this.peak !== 0 ? (total * 100) / this.peak : 0,
      rss,
      fragmentation: total !== 0 ? rss / total : 0,
      fragmentationBytes: rss - total,
    };
  }
}

/** An expires dict's entries and buckets (the key's sds is shared with the main dict). */
function expiresOverhead(size: number): number {
  return size * DICT_ENTRY + dictSlots(size) * DICT_BUCKET;
}
