/**
 * The RDB object codec: rdb.c's rdbSaveObjectType / rdbSaveObject /
 * rdbLoadObject for every value type, shared by DUMP/RESTORE, MIGRATE, DEBUG
 * OBJECT's serializedlength, RDB snapshots and the AOF's RDB preamble.
 *
 * Saving writes what Redis 7.0 writes for the encoding OBJECT ENCODING
 * reports (listpack or hashtable hash, intset or hashtable set, listpack or
 * skiplist zset, quicklist of listpacks). reddish holds no value as a
 * listpack, so the blobs are built at save time.
 *
 * Loading reads every object type 7.0.15's rdbLoadObject reads, including
 * the ones only older versions wrote (ziplist, zipmap, quicklist v1, text
 * zset scores), validating as `sanitize-dump-payload yes` does: a corrupt
 * payload throws RdbCorruptError and never builds a value. Values come back
 * in reddish's structures with the encoding Redis would give them on load.
 */
import { RedisHash } from '../store/hash.js';
import { QuickList } from '../store/list.js';
import { RedisSet, isIntsetMember } from '../store/set.js';
import type { EncodingConfig, Value } from '../store/types.js';
import { SortedSet, type ZsetEntry } from '../store/zset.js';
import { formatDouble, strtod } from '../text/numbers.js';
import { readIntset, readZiplist, readZipmap, writeIntset } from './compact-encodings.js';
import { ListpackBuilder, LISTPACK_MAX_SAFETY_SIZE, entryText, listpackEntrySize, readListpack, type ListpackEntry } from './listpack.js';
import { RdbCorruptError, RdbReader, RdbWriter, need } from './rdb-encoding.js';
export { RdbCorruptError } from './rdb-encoding.js';
import { loadModuleObject, saveModuleObject, saveModuleObjectType } from './rdb-modules.js';
import { loadStreamObject, saveStreamObject } from './rdb-stream.js';

/** rdb.h's RDB_TYPE_* object types. */
export const RdbType = {
  string: 0,
  list: 1,
  set: 2,
  zset: 3,
  hash: 4,
  zset2: 5,
  module: 6,
  module2: 7,
  hashZipmap: 9,
  listZiplist: 10,
  setIntset: 11,
  zsetZiplist: 12,
  hashZiplist: 13,
  listQuicklist: 14,
  streamListpacks: 15,
  hashListpack: 16,
  zsetListpack: 17,
  listQuicklist2: 18,
  streamListpacks2: 19,
} as const;

/** rdbIsObjectType. */
export function isRdbObjectType(type: number): boolean {
  return (type >= 0 && type <= 7) || (type >= 9 && type <= 19);
}

export interface RdbSaveOptions {
  /** rdbcompression: LZF for strings and blobs over 20 bytes. */
  compress: boolean;
  /** The encoding thresholds (list-max-listpack-size decides quicklist nodes). */
  config: EncodingConfig;
}

const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
const QUICKLIST_NODE_CONTAINER_PACKED = 2;

// ---- saving ----

/** rdbSaveObjectType: the type byte for the value's current encoding. */
export function saveObjectType(w: RdbWriter, value: Value, config: EncodingConfig): void {
  w.type(objectType(value, config));
}

function objectType(value: Value, config: EncodingConfig): number {
  if (typeof value === 'string') return RdbType.string;
  if (value instanceof QuickList) return RdbType.listQuicklist2;
  if (value instanceof RedisSet) return value.encoding() === 'intset' ? RdbType.setIntset : RdbType.set;
  if (value instanceof SortedSet) return value.encoding(config) === 'listpack' ? RdbType.zsetListpack : RdbType.zset2;
  if (value instanceof RedisHash) return value.encoding() === 'hashtable' ? RdbType.hash : RdbType.hashListpack;
  if (value.type === 'stream') return RdbType.streamListpacks2;
  return saveModuleObjectType(value);
}

/** rdbSaveObject: the value's body, after its type byte. */
export function saveObject(w: RdbWriter, value: Value, options: RdbSaveOptions): void {
  const { compress, config } = options;
  if (typeof value === 'string') {
    w.string(value, compress);
  } else if (value instanceof QuickList) {
    saveQuicklist(w, value, options);
  } else if (value instanceof RedisSet) {
    const members = value.elements();
    if (value.encoding() === 'intset') {
      w.blob(writeIntset(members), compress);
    } else {
      w.length(members.length);
      for (const member of members) w.string(member, compress);
    }
  } else if (value instanceof SortedSet) {
    if (value.encoding(config) === 'listpack') {
      const lp = new ListpackBuilder();
      value.forEachByRank(0, value.size - 1, false, (member, score) => {
        lp.append(member);
        appendScore(lp, score);
      });
      w.blob(lp.finish(), compress);
    } else {
      // Greatest first, as Redis walks its skiplist from the tail, so that
      // loading inserts each member at the head.
      w.length(value.size);
      value.forEachByRank(0, value.size - 1, true, (member, score) => {
        w.string(member, compress);
        w.binaryDouble(score);
      });
    }
  } else if (value instanceof RedisHash) {
    if (value.encoding() === 'hashtable') {
      w.length(value.size);
      for (const [field, fieldValue] of value.entries()) {
        w.string(field, compress);
        w.string(fieldValue, compress);
      }
    } else {
      const lp = new ListpackBuilder();
      for (const [field, fieldValue] of value.entries()) {
        lp.append(field);
        lp.append(fieldValue);
      }
      w.blob(lp.finish(), compress);
    }
  } else if (value.type === 'stream') {
    saveStreamObject(w, value, options);
  } else {
    saveModuleObject(w, value);
  }
}

/** rdbSavedObjectLen: how many bytes rdbSaveObject writes for the value (DEBUG OBJECT's serializedlength). */
export function savedObjectLength(value: Value, options: RdbSaveOptions): number {
  const w = new RdbWriter();
  saveObject(w, value, options);
  return w.size;
}

/** zzlInsertAt: an integral score within ±2^62 as an integer entry (double2ll), else d2string's "%.17g". */
function appendScore(lp: ListpackBuilder, score: number): void {
  if (Number.isInteger(score) && Math.abs(score) <= 4611686018427387903) {
    lp.appendInteger(Number.isSafeInteger(score) ? score : BigInt(score));
  } else {
    // d2string: "%.17g", or "inf" / "-inf".
    lp.appendString(formatDouble(score));
  }
}

/**
 * The list as quicklist nodes of listpacks, split where pushing the
 * elements one by one to the tail would split them
 * (_quicklistNodeAllowInsert under list-max-listpack-size), each node
 * saved as RDB_TYPE_LIST_QUICKLIST_2 does: container, then the blob.
 */
function saveQuicklist(w: RdbWriter, list: QuickList, options: RdbSaveOptions): void {
  const nodes = quicklistNodes(list, options.config.listMaxListpackSize);
  w.length(nodes.length);
  for (const entry of nodes) {
    if (typeof entry === 'string') {
      w.length(QUICKLIST_NODE_CONTAINER_PLAIN);
      w.string(entry, options.compress);
    } else {
      w.length(QUICKLIST_NODE_CONTAINER_PACKED);
      w.blob(entry, options.compress);
    }
  }
}

/**
 * The quicklist Redis would hold for the list after pushing its elements
 * to the tail one by one: each node a listpack, or a plain element (at
 * least packed_threshold long) of its own. DEBUG OBJECT reports on these.
 */
export function quicklistNodes(list: QuickList, fill: number): Array<Buffer | string> {
  const nodes: Array<Buffer | string> = [];
  let node: ListpackBuilder | null = null;
  for (const element of list) {
    if (element.length >= PACKED_THRESHOLD) {
      if (node !== null) nodes.push(node.finish());
      node = null;
      nodes.push(element);
      continue;
    }
    if (node === null || !nodeAllowsInsert(node, fill, element.length)) {
      if (node !== null) nodes.push(node.finish());
      node = new ListpackBuilder();
    }
    node.append(element);
  }
  if (node !== null) nodes.push(node.finish());
  return nodes;
}

/** quicklist.c's packed_threshold: an element this long gets a plain node of its own. */
const PACKED_THRESHOLD = 1 << 30;
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536];
const SIZE_SAFETY_LIMIT = 8192;
const SIZE_ESTIMATE_OVERHEAD = 8;

/** _quicklistNodeAllowInsert. */
function nodeAllowsInsert(node: ListpackBuilder, fill: number, elementLength: number): boolean {
  const newSize = node.bytes + elementLength + SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const limit = OPTIMIZATION_LEVEL[-fill - 1];
    if (limit !== undefined) return newSize <= limit;
  }
  if (newSize > SIZE_SAFETY_LIMIT) return false;
  return node.length < fill;
}

// ---- loading ----

/**
 * rdbLoadObject: the value of an object of RDB type `type` (checked with
 * isRdbObjectType by the caller), or null for an empty collection
 * (RDB_LOAD_ERR_EMPTY_KEY: RESTORE refuses it, the RDB loader skips the
 * key). Throws RdbCorruptError on anything Redis's sanitizer would refuse.
 */
export function loadObject(r: RdbReader, type: number, config: EncodingConfig): Value | null {
  switch (type) {
    case RdbType.string:
      return need(r.string());
    case RdbType.list: {
      const length = need(r.length());
      if (length === 0) return null;
      const list = new QuickList();
      for (let i = 0; i < length; i++) list.pushTail(need(r.string()));
      return list;
    }
    case RdbType.set:
      return loadSet(r, config);
    case RdbType.zset:
    case RdbType.zset2:
      return loadZset(r, type, config);
    case RdbType.hash:
      return loadHash(r, config);
    case RdbType.listQuicklist:
    case RdbType.listQuicklist2:
      return loadQuicklist(r, type);
    case RdbType.hashZipmap:
    case RdbType.listZiplist:
    case RdbType.setIntset:
    case RdbType.zsetZiplist:
    case RdbType.zsetListpack:
    case RdbType.hashZiplist:
    case RdbType.hashListpack:
      return loadCompact(need(r.blob()), type, config);
    case RdbType.streamListpacks:
    case RdbType.streamListpacks2:
      return loadStreamObject(r, type, config);
    case RdbType.module:
    case RdbType.module2:
      return loadModuleObject(r, type);
    default:
      throw new RdbCorruptError(`Unknown RDB encoding type ${type}`);
  }
}

function setIntsetLimit(config: EncodingConfig): number {
  return Math.min(config.setMaxIntsetEntries, 1 << 30);
}

function loadSet(r: RdbReader, config: EncodingConfig): RedisSet | null {
  const length = need(r.length());
  if (length === 0) return null;
  let intset = length <= setIntsetLimit(config);
  const members: string[] = [];
  const slots = new Map<string, number>();
  for (let i = 0; i < length; i++) {
    const member = need(r.string());
    if (intset && !isIntsetMember(member)) intset = false;
    if (slots.has(member)) throw new RdbCorruptError('Duplicate set members detected');
    slots.set(member, members.length);
    members.push(member);
  }
  return new RedisSet(members, slots, intset);
}

function compareEntries(a: ZsetEntry, b: ZsetEntry): number {
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function loadZset(r: RdbReader, type: number, config: EncodingConfig): SortedSet | null {
  const length = need(r.length());
  if (length === 0) return null;
  const seen = new Set<string>();
  const entries: ZsetEntry[] = [];
  let longest = 0;
  let total = 0;
  for (let i = 0; i < length; i++) {
    const member = need(r.string());
    const score = need(type === RdbType.zset2 ? r.binaryDouble() : r.double());
    if (Number.isNaN(score)) throw new RdbCorruptError('Zset with NAN score detected');
    if (seen.has(member)) throw new RdbCorruptError('Duplicate zset fields detected');
    seen.add(member);
    if (member.length > longest) longest = member.length;
    total += member.length;
    entries.push([member, score]);
  }
  entries.sort(compareEntries);
  const listpack =
    entries.length <= config.zsetMaxListpackEntries && longest <= config.zsetMaxListpackValue && total <= LISTPACK_MAX_SAFETY_SIZE;
  return SortedSet.fromSortedEntries(entries, listpack, config);
}

function loadHash(r: RdbReader, config: EncodingConfig): RedisHash | null {
  const length = need(r.length());
  if (length === 0) return null;
  let listpack = length <= config.hashMaxListpackEntries;
  const map = new Map<string, string>();
  for (let i = 0; i < length; i++) {
    const field = need(r.string());
    const value = need(r.string());
    if (map.has(field)) throw new RdbCorruptError(listpack ? 'Hash with dup elements' : 'Duplicate hash fields detected');
    if (field.length > config.hashMaxListpackValue || value.length > config.hashMaxListpackValue) listpack = false;
    map.set(field, value);
  }
  return new RedisHash(map, listpack);
}

function loadQuicklist(r: RdbReader, type: number): QuickList | null {
  const nodes = need(r.length());
  if (nodes === 0) return null;
  const list = new QuickList();
  for (let i = 0; i < nodes; i++) {
    let container = QUICKLIST_NODE_CONTAINER_PACKED;
    if (type === RdbType.listQuicklist2) {
      container = need(r.length());
      if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
        throw new RdbCorruptError('Quicklist integrity check failed.');
      }
    }
    const data = need(r.blob());
    if (data.length === 0) throw new RdbCorruptError('Quicklist node is empty');
    if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
      list.pushTail(data.toString('latin1'));
      continue;
    }
    if (type === RdbType.listQuicklist2) {
      const entries = readListpack(data);
      if (entries === null) throw new RdbCorruptError('Listpack integrity check failed.');
      for (const entry of entries) list.pushTail(entryText(entry));
    } else {
      const entries = readZiplist(data);
      if (entries === null) throw new RdbCorruptError('Ziplist integrity check failed.');
      list.pushTail(entries);
    }
  }
  return list.length === 0 ? null : list;
}

/** The blob-encoded types: zipmap, ziplist, intset and listpack payloads. */
function loadCompact(blob: Buffer, type: number, config: EncodingConfig): Value | null {
  switch (type) {
    case RdbType.hashZipmap: {
      const pairs = readZipmap(blob);
      if (pairs === null) throw new RdbCorruptError('Zipmap integrity check failed.');
      const map = new Map<string, string>();
      let longest = 0;
      for (let i = 0; i < pairs.length; i += 2) {
        const field = pairs[i]!;
        const value = pairs[i + 1]!;
        if (map.has(field)) throw new RdbCorruptError(`Hash zipmap with dup elements, or big length (${field.length})`);
        longest = Math.max(longest, field.length, value.length);
        map.set(field, value);
      }
      return new RedisHash(map, map.size <= config.hashMaxListpackEntries && longest <= config.hashMaxListpackValue);
    }
    case RdbType.listZiplist: {
      const entries = readZiplist(blob);
      if (entries === null) throw new RdbCorruptError('List ziplist integrity check failed.');
      if (entries.length === 0) return null;
      const list = new QuickList();
      list.pushTail(entries);
      return list;
    }
    case RdbType.setIntset: {
      const members = readIntset(blob);
      if (members === null) throw new RdbCorruptError('Intset integrity check failed.');
      const slots = new Map<string, number>();
      for (let i = 0; i < members.length; i++) slots.set(members[i]!, i);
      return new RedisSet(members, slots, members.length <= config.setMaxIntsetEntries);
    }
    case RdbType.zsetZiplist:
    case RdbType.zsetListpack: {
      const ziplist = type === RdbType.zsetZiplist;
      const entries = ziplist ? readZiplist(blob) : readListpack(blob);
      const pairs = entries === null ? null : validPairs(entries);
      if (pairs === null) throw new RdbCorruptError(ziplist ? 'Zset ziplist integrity check failed.' : 'Zset listpack integrity check failed.');
      if (pairs.length === 0) return null;
      const zsetEntries: ZsetEntry[] = [];
      for (let i = 0; i < pairs.length; i += 2) {
        const score = listpackScore(entries![i + 1]!);
        if (score === null) throw new RdbCorruptError('Zset listpack integrity check failed.');
        zsetEntries.push([pairs[i]!, score]);
      }
      // A listpack is kept in (score, member) order; a corrupt one may not
      // be, and every later search relies on it.
      for (let i = 1; i < zsetEntries.length; i++) {
        if (compareEntries(zsetEntries[i - 1]!, zsetEntries[i]!) > 0) {
          zsetEntries.sort(compareEntries);
          break;
        }
      }
      return SortedSet.fromSortedEntries(zsetEntries, zsetEntries.length <= config.zsetMaxListpackEntries, config);
    }
    case RdbType.hashZiplist:
    case RdbType.hashListpack: {
      const ziplist = type === RdbType.hashZiplist;
      const entries = ziplist ? readZiplist(blob) : readListpack(blob);
      const pairs = entries === null ? null : validPairs(entries);
      if (pairs === null) throw new RdbCorruptError(ziplist ? 'Hash ziplist integrity check failed.' : 'Hash listpack integrity check failed.');
      if (pairs.length === 0) return null;
      const map = new Map<string, string>();
      for (let i = 0; i < pairs.length; i += 2) map.set(pairs[i]!, pairs[i + 1]!);
      return new RedisHash(map, map.size <= config.hashMaxListpackEntries);
    }
    default:
      throw new RdbCorruptError(`Unknown RDB encoding type ${type}`);
  }
}

/**
 * lpPairsValidateIntegrityAndDups / ziplistPairsConvertAndValidateIntegrity:
 * an even count and no repeated key among the even entries. The entries
 * as text, or null.
 */
function validPairs(entries: readonly ListpackEntry[]): string[] | null {
  if (entries.length % 2 !== 0) return null;
  const keys = new Set<string>();
  const out = new Array<string>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const text = entryText(entries[i]!);
    if (i % 2 === 0) {
      if (keys.has(text)) return null;
      keys.add(text);
    }
    out[i] = text;
  }
  return out;
}

/** zzlGetScore: an integer entry, or a string read with strtod; null for NaN or no number at all. */
function listpackScore(entry: ListpackEntry): number | null {
  if (typeof entry === 'number') return entry;
  if (typeof entry === 'bigint') return Number(entry);
  const { value, end } = strtod(entry);
  if (end === 0 || Number.isNaN(value)) return null;
  return value;
}
