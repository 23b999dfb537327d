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
}

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

/** Low 24 bits of `Entry.lru`: the access clock (LRU_BITS in Redis). */
export const LRU_CLOCK_MASK = (1 << 24) - 1;
/**
 * Bit 24 of `Entry.lru`: the string was built in place (APPEND, SETRANGE,
 * SETBIT...), which Redis stores with the `raw` encoding whatever its length.
 * Redis packs type, encoding and clock into one robj header word; reddish
 * does the same in one small integer, so marking costs no memory.
 */
export const RAW_STRING_ENCODING = 1 << 24;
/**
 * Bit 25 of `Entry.lru`: the string was made by createStringObject without
 * tryObjectEncoding (INCRBYFLOAT's result), so it is embstr up to 44 bytes
 * and raw beyond, never int.
 */
export const EMBSTR_STRING_ENCODING = 1 << 25;
/** Both encoding bits, which touching a key must keep. */
export const STRING_ENCODING_BITS = RAW_STRING_ENCODING | EMBSTR_STRING_ENCODING;

/**
 * One key's slot in a database. `lru` is Redis's per-object access clock:
 * seconds (24 bits) under an LRU policy, or the 16-bit minutes + 8-bit
 * counter pair under an LFU policy, plus the RAW_STRING_ENCODING bit. It
 * lives here rather than on values so that string values can stay plain JS
 * strings.
 */
export class Entry {
  constructor(
    public value: Value,
    public lru: number,
  ) {}
}
