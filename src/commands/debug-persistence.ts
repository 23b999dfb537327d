/**
 * The DEBUG subcommands that look at values as the RDB codec sees them
 * (debug.c): DIGEST, DIGEST-VALUE and OBJECT. DEBUG itself, and its
 * dispatch, are in server-management.ts.
 */
import { errors } from '../errors.js';
import { datasetDigest, valueDigest } from '../persistence/dataset-digest.js';
import { quicklistNodes, savedObjectLength } from '../persistence/rdb-objects.js';
import { QuickList } from '../store/list.js';
import { LRU_CLOCK_MASK } from '../store/types.js';
import { formatDoubleFixed } from '../text/long-double.js';
import { encodingName, refcount } from './object.js';
import type { Client } from './types.js';

/** DEBUG DIGEST: the whole dataset's digest, 40 hex digits (all zeros when empty). */
export function debugDigest(c: Client): void {
  c.reply.simple(datasetDigest(c.server.keyspace).toString('hex'));
}

/** DEBUG DIGEST-VALUE key [key ...]: each value's digest, zeros for a missing key. Expired keys count: no lookup. */
export function debugDigestValue(c: Client, argv: string[]): void {
  c.reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) c.reply.simple(valueDigest(c.db, argv[j]!).toString('hex'));
}

/**
 * A stand-in for the robj address DEBUG OBJECT prints ("%p"): reddish's
 * values have none, so a stable, pointer-shaped number derived from the
 * key (FNV-1a), 16-byte aligned like a jemalloc allocation.
 */
function pseudoAddress(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return '0x7f' + (hash * 16).toString(16).padStart(10, '0');
}

/**
 * DEBUG OBJECT key: "Value at:... refcount:... encoding:... serializedlength:...
 * lru:... lru_seconds_idle:..." and, for a list, its quicklist's shape.
 * serializedlength is what the RDB codec writes for the value
 * (rdbSavedObjectLen); the quicklist is the one saving lays out.
 */
export function debugObject(c: Client, argv: string[]): void {
  const key = argv[2]!;
  const db = c.db;
  const value = db.dict.get(key);
  if (value === undefined) {
    c.reply.error(errors.noSuchKey);
    return;
  }
  const server = c.server;
  const clock = db.clockOf(key)!;
  const config = server.encoding;
  const length = savedObjectLength(value, { compress: server.config.get('rdbcompression'), config });
  let extra = '';
  if (value instanceof QuickList) {
    const nodes = quicklistNodes(value, config.listMaxListpackSize);
    let bytes = 0;
    for (const node of nodes) bytes += node.length;
    extra =
      ` ql_nodes:${nodes.length} ql_avg_node:${formatDoubleFixed(value.length / nodes.length, 2)}` +
      ` ql_listpack_max:${config.listMaxListpackSize} ql_compressed:${server.config.get('list-compress-depth') !== 0 ? 1 : 0}` +
      ` ql_uncompressed_size:${bytes}`;
  }
  c.reply.simple(
    `Value at:${pseudoAddress(key)} refcount:${refcount(c, value, clock)} encoding:${encodingName(c, value, clock)} ` +
      `serializedlength:${length} lru:${clock & LRU_CLOCK_MASK} lru_seconds_idle:${server.keyspace.idleSeconds(clock)}${extra}`,
  );
}
