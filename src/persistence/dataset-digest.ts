/**
 * DEBUG DIGEST and DEBUG DIGEST-VALUE (debug.c's computeDatasetDigest and
 * xorObjectDigest): a SHA1-based digest of keys, values and expires that
 * does not depend on encodings or on the order of unordered collections, so
 * a whole dataset can be compared with a redis-server's in one call.
 *
 * xorDigest xors SHA1(data) into the digest (order-free); mixDigest then
 * replaces the digest by SHA1 of itself (order-sensitive). Keys, set
 * members, hash fields and sorted set members are xored; list elements and
 * stream entries are mixed.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../store/database.js';
import type { Keyspace } from '../store/keyspace.js';
import { RedisHash } from '../store/hash.js';
import { QuickList } from '../store/list.js';
import { RedisSet } from '../store/set.js';
import { RedisStream } from '../store/stream/stream.js';
import { MAX_ID, MIN_ID, idWord, u64ToString } from '../store/stream/stream-id.js';
import type { Value } from '../store/types.js';
import { SortedSet } from '../store/zset.js';
import { formatDouble } from '../text/numbers.js';

/** server.h's OBJ_* type numbers, which the digest mixes in. */
const OBJ_STRING = 0;
const OBJ_LIST = 1;
const OBJ_SET = 2;
const OBJ_ZSET = 3;
const OBJ_HASH = 4;
const OBJ_MODULE = 5;
const OBJ_STREAM = 6;

const EXPIRE_MARK = Buffer.from('!!expire!!', 'latin1');

function sha1(data: Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

function xorDigest(digest: Buffer, data: Uint8Array): void {
  const hash = sha1(data);
  for (let j = 0; j < 20; j++) digest[j]! ^= hash[j]!;
}

function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  sha1(digest).copy(digest);
}

function text(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

function typeNumber(value: Value): number {
  if (typeof value === 'string') return OBJ_STRING;
  if (value instanceof QuickList) return OBJ_LIST;
  if (value instanceof RedisSet) return OBJ_SET;
  if (value instanceof SortedSet) return OBJ_ZSET;
  if (value instanceof RedisHash) return OBJ_HASH;
  if (value instanceof RedisStream) return OBJ_STREAM;
  return OBJ_MODULE;
}

/** A pair's own digest (a hash field and value, a member and its score), xored in (as its SHA1, like any data). */
function xorPair(digest: Buffer, first: string, second: string): void {
  const pair = Buffer.alloc(20);
  mixDigest(pair, text(first));
  mixDigest(pair, text(second));
  xorDigest(digest, pair);
}

/** xorObjectDigest: mixes the value (and whether it has an expire) into `digest`. */
export function xorObjectDigest(db: Database, key: string, digest: Buffer, value: Value): void {
  const type = Buffer.alloc(4);
  type.writeUInt32BE(typeNumber(value));
  mixDigest(digest, type);
  if (typeof value === 'string') {
    mixDigest(digest, text(value));
  } else if (value instanceof QuickList) {
    for (const element of value) mixDigest(digest, text(element));
  } else if (value instanceof RedisSet) {
    for (const member of value.elements()) xorDigest(digest, text(member));
  } else if (value instanceof SortedSet) {
    // "%.17g" of the score, whatever the encoding stores.
    for (const [member, score] of value.entries()) xorPair(digest, member, formatDouble(score));
  } else if (value instanceof RedisHash) {
    for (const [field, fieldValue] of value.entries()) xorPair(digest, field, fieldValue);
  } else if (value instanceof RedisStream) {
    const it = value.iterate(MIN_ID, MAX_ID, false);
    const fields: string[] = [];
    while (it.next()) {
      const id = it.id;
      mixDigest(digest, text(`${u64ToString(idWord(id, 0), idWord(id, 1))}.${u64ToString(idWord(id, 2), idWord(id, 3))}`));
      fields.length = 0;
      it.fields(fields);
      for (const item of fields) mixDigest(digest, text(item));
    }
  }
  // Module values: RedisBloom's types have no digest callback, so only their type counts.
  if (db.expires.has(key)) xorDigest(digest, EXPIRE_MARK);
}

/** DEBUG DIGEST-VALUE of one key (logically expired keys included, as Redis does); zeros when absent. */
export function valueDigest(db: Database, key: string): Buffer {
  const digest = Buffer.alloc(20);
  const value = db.dict.get(key);
  if (value !== undefined) xorObjectDigest(db, key, digest, value);
  return digest;
}

/** computeDatasetDigest: every key of every database, expired or not. */
export function datasetDigest(keyspace: Keyspace): Buffer {
  const final = Buffer.alloc(20);
  for (const db of keyspace.databases) {
    if (db.dict.size === 0) continue;
    const id = Buffer.alloc(4);
    id.writeUInt32BE(db.id);
    mixDigest(final, id);
    for (const key of db.dict.keys()) {
      const digest = Buffer.alloc(20);
      mixDigest(digest, text(key));
      xorObjectDigest(db, key, digest, db.dict.get(key)!);
      xorDigest(final, digest);
    }
  }
  return final;
}
