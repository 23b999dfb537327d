// Hashing shared by the probabilistic types.
//
// Every hash here is a pure function of the item's bytes and a fixed seed: no
// per-process randomness, so a filter dumped by one server answers identically
// after it is reloaded by another.
//
// Items are latin1 strings (one char = one byte), so the hash reads
// charCodeAt(i) & 0xff directly instead of encoding to a Buffer first, which
// would cost an allocation per call.

import bloomFilters from 'bloom-filters';

// bloom-filters is CommonJS; Node's ESM loader only exposes its module.exports
// object as the default export, so the classes are taken from it.
const { Hashing } = bloomFilters;

/** What bloom-filters accepts as an element (its utils.HashableInput). */
type HashableInput = string | ArrayBuffer | Buffer;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3 x86_32 of a latin1 string; returns an unsigned 32-bit integer. */
export function murmur3Latin1(item: string, seed: number): number {
  let h = seed | 0;
  const length = item.length;
  const blockEnd = length & ~3;
  let i = 0;
  for (; i < blockEnd; i += 4) {
    let k =
      (item.charCodeAt(i) & 0xff) |
      ((item.charCodeAt(i + 1) & 0xff) << 8) |
      ((item.charCodeAt(i + 2) & 0xff) << 16) |
      ((item.charCodeAt(i + 3) & 0xff) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const remaining = length & 3;
  if (remaining !== 0) {
    let k = 0;
    if (remaining === 3) k ^= (item.charCodeAt(i + 2) & 0xff) << 16;
    if (remaining >= 2) k ^= (item.charCodeAt(i + 1) & 0xff) << 8;
    k ^= item.charCodeAt(i) & 0xff;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function toLatin1(element: HashableInput): string {
  if (typeof element === 'string') return element;
  if (element instanceof ArrayBuffer) return Buffer.from(element).toString('latin1');
  return element.toString('latin1');
}

// bloom-filters' default seed (utils.getDefaultSeed()); it is larger than
// 2^32, and seeds are reduced modulo 2^32 before hashing.
const LIBRARY_DEFAULT_SEED = 0x1234567890;

/**
 * bloom-filters Hashing with its xxhashjs-over-cuint `serialize` (about 80k
 * adds/s) replaced by MurmurHash3 over the latin1 bytes. Everything else
 * (double hashing, index generation) is inherited, so a plain BloomFilter
 * given this hashing keeps the library's semantics at >1M adds/s.
 */
export class Latin1Murmur3Hashing extends Hashing {
  override serialize(element: HashableInput, seed?: number): number {
    return murmur3Latin1(toLatin1(element), (seed ?? LIBRARY_DEFAULT_SEED) >>> 0);
  }
}

/** The seed ScalableBloom passes to the hashing; fixed forever, as dumps depend on it. */
export const BLOOM_HASH_SEED = 0x5eed_b100;

// Hashing.hashTwice(item, seed) hashes with seed + 1 and seed + 2; these are
// the same seeds reduced to 32 bits, so ScalableBloom's inlined hashing and a
// library BloomFilter using Latin1Murmur3Hashing with BLOOM_HASH_SEED agree.
export const BLOOM_FIRST_SEED = (BLOOM_HASH_SEED + 1) >>> 0;
export const BLOOM_SECOND_SEED = (BLOOM_HASH_SEED + 2) >>> 0;

/**
 * Bit index of the n-th hash function: bloom-filters' enhanced double hashing
 * (Hashing.doubleHashing), inlined. first, second < 2^32 and n < 64 keep every
 * intermediate below 2^53, so the arithmetic is exact.
 */
export function doubleHashIndex(n: number, first: number, second: number, size: number): number {
  return (first + n * second + (n * n * n - n) / 6) % size;
}
