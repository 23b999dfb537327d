/**
 * What the keyspace holds. A value is either a plain JS string (the string
 * type: latin1, one char per byte, immutable, so SET and GET pass it
 * through untouched) or an object with a `type` naming its Redis type.
 * Strings dominate real keyspaces and benchmarks, so they get no class of
 * their own: V8 stores a short latin1 string in 16 bytes plus its length.
 */

/** The thresholds that decide which encoding OBJECT ENCODING reports. */
export interface EncodingConfig {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  setMaxListpackEntries: number;
  setMaxListpackValue: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  listMaxListpackSize: number;
  hllSparseMaxBytes: number;
  /** Where a stream's node ends (Redis's listpack limits for streams). */
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

/** Redis 7.0's defaults for the thresholds above (hash-max-listpack-entries 128, ...). */
export const DEFAULT_ENCODING: Readonly<EncodingConfig> = {
  hashMaxListpackEntries: 128,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  setMaxListpackEntries: 128,
  setMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  listMaxListpackSize: -2,
  hllSparseMaxBytes: 3000,
  streamNodeMaxBytes: 4096,
  streamNodeMaxEntries: 100,
};

/** Any non-string value: hashes, lists, sets, sorted sets, probabilistic types. */
export interface RedisObject {
  /** The name TYPE reports: 'hash', 'list', 'set', 'zset', 'MBbloom--', ... */
  readonly type: string;
  /** The name OBJECT ENCODING reports, by Redis's thresholds. */
  encoding(config: EncodingConfig): string;
  /** A deep copy, for COPY. */
  clone(): RedisObject;
}

export type Value = string | RedisObject;

/** Redis's TYPE name for a value. */
export function typeOf(value: Value): string {
  return typeof value === 'string' ? 'string' : value.type;
}

/**
 * A key's access clock word (kept beside the value in Database.dict, as
 * Redis keeps `lru` in the robj header): seconds (24 bits) under an LRU
 * policy, or 16-bit minutes + 8-bit counter under an LFU one, plus the
 * string encoding bits below. Low 24 bits: the clock (LRU_BITS in Redis).
 */
export const LRU_CLOCK_MASK = (1 << 24) - 1;
/**
 * Bit 24 of the clock word: the string was built in place (APPEND, SETRANGE,
 * SETBIT...), which Redis stores with the `raw` encoding whatever its length.
 * Redis packs type, encoding and clock into one robj header word; reddish
 * does the same in one small integer, so marking costs no memory.
 */
export const RAW_STRING_ENCODING = 1 << 24;
/**
 * Bit 25 of the clock word: the string was made by createStringObject without
 * tryObjectEncoding (INCRBYFLOAT's result), so it is embstr up to 44 bytes
 * and raw beyond, never int.
 */
export const EMBSTR_STRING_ENCODING = 1 << 25;
/** Both encoding bits, which touching a key must keep. */
export const STRING_ENCODING_BITS = RAW_STRING_ENCODING | EMBSTR_STRING_ENCODING;
