/**
 * Lazy free (Redis's lazyfree.c): UNLINK, FLUSHALL/FLUSHDB ASYNC and the
 * lazyfree-lazy-* settings.
 *
 * In Redis, freeing a value walks it (a 1M-member set is 1M frees, about a
 * second), so the async path hands the walk to a background thread. In
 * reddish the delete is O(1): the key leaves the table and nothing else
 * refers to the value. V8's collector never visits dead objects (marking
 * traces live ones; dead pages are swept concurrently), so the GC meets no
 * huge dead graph to walk either. Measured on the dev machine (DESIGN.md,
 * "Lazy free"): DEL of a 1M-member set, zset or hash took 0.4-2.8 ms and
 * the longest PING wait around it stayed at the background noise of the
 * machine, with no major GC pause following it; the same DEL stalls
 * redis-server 1.1-3.0 s. Dismantling values in slices would only add
 * work (write barriers on every slot cleared) for the collector.
 *
 * So both paths free at once, and what stays of lazy free is what Redis
 * reports: `lazyfreed_objects` counts the values the async path released
 * (those whose free effort passes LAZYFREE_THRESHOLD, and every key of an
 * async flush), and `lazyfree_pending_objects` is always 0 because nothing
 * is ever left waiting.
 */
import type { Value } from './types.js';
import { QuickList } from './list.js';
import { RedisSet } from './set.js';
import { RedisHash } from './hash.js';
import { SortedSet } from './zset.js';
import { RedisStream } from './stream/stream.js';

/** LAZYFREE_THRESHOLD: a value cheaper than this is freed in place even by UNLINK. */
const LAZYFREE_THRESHOLD = 64;

/**
 * lazyfreeGetFreeEffort: about how many allocations freeing the value
 * takes in Redis (elements of a hash table, nodes of a quicklist or stream).
 */
export function freeEffort(value: Value): number {
  if (typeof value === 'string') return 1;
  if (value instanceof QuickList) return Math.ceil(value.length / 128);
  if (value instanceof RedisSet) return value.encoding() === 'hashtable' ? value.size : 1;
  if (value instanceof RedisHash) return value.encoding() === 'hashtable' ? value.size : 1;
  if (value instanceof SortedSet) return value.size > 128 ? value.size : 1;
  if (value instanceof RedisStream) {
    let effort = value.index.size;
    if (value.groups !== null) for (const group of value.groups.values()) effort += 1 + group.pel.size;
    return effort;
  }
  return 1;
}

export class LazyFree {
  /** INFO lazyfreed_objects. */
  freedObjects = 0;
  /** lazyfree-lazy-user-del: DEL frees as UNLINK does. */
  userDel = false;
  /** lazyfree-lazy-user-flush: FLUSHALL/FLUSHDB without a flag are ASYNC. */
  userFlush = false;
  /** lazyfree-lazy-expire: expired keys are freed as UNLINK frees them. */
  expire = false;

  /** INFO lazyfree_pending_objects: nothing ever waits (see the module comment). */
  get pendingObjects(): number {
    return 0;
  }

  /** dbAsyncDelete's release of a deleted value: counted when Redis would have handed it to its thread. */
  released(value: Value): void {
    if (freeEffort(value) > LAZYFREE_THRESHOLD) this.freedObjects++;
  }

  /** emptyDbAsync: every key of the flushed databases. */
  flushed(keys: number): void {
    this.freedObjects += keys;
  }
}
