// The RedisBloom-compatible value types: pure data structures, no protocol.
import type { CountMinSketch } from './count-min-sketch.js';
import type { CuckooFilter } from './cuckoo-filter.js';
import type { ScalableBloom } from './scalable-bloom.js';
import type { TopK } from './top-k.js';
import type { TDigest } from './t-digest.js';

/** Any of them, as stored in the keyspace; `type` tells them apart (TYPE replies with it). */
export type ProbabilisticValue = ScalableBloom | CuckooFilter | CountMinSketch | TopK | TDigest;

export { BLOOM_TYPE, ScalableBloom, type BloomInfo, type BloomLinkDebug } from './scalable-bloom.js';
export {
  CUCKOO_MAX_EXPANSIONS,
  CUCKOO_TYPE,
  CuckooFilter,
  type CuckooInfo,
  type CuckooInsertResult,
} from './cuckoo-filter.js';
export {
  CMS_CELL_MAX,
  CMS_TYPE,
  CountMinSketch,
  cmsDimensionsFromProbability,
  type CountMinSketchInfo,
} from './count-min-sketch.js';
export { TOPK_TYPE, TopK, type TopKEntry, type TopKInfo } from './top-k.js';
export { TDIGEST_TYPE, TDigest, type TDigestInfo, type TDigestState } from './t-digest.js';
export {
  FilterFullError,
  MAX_DUMP_CHUNK_BYTES,
  MODULE_VALUE_ENCODING,
  ProbabilisticError,
  type DumpChunk,
} from './encoding.js';
export { Latin1Murmur3Hashing, murmur3Latin1 } from './hashing.js';
