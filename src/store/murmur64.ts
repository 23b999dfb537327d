/**
 * MurmurHash64A, the 64-bit MurmurHash2 that Redis's hyperloglog.c uses to
 * hash PFADD elements. Redis reads the 8-byte blocks little-endian on every
 * platform, so the result is a fixed function of the bytes and the seed.
 *
 * The 64-bit state is kept as two uint32 halves rather than a BigInt: PFADD
 * hashes every element, and BigInt arithmetic allocates on each operation.
 */

/** A 64-bit value as two unsigned 32-bit halves. */
export interface Hash64 {
  hi: number;
  lo: number;
}

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

// Results of mul64(), in module scope so the hot loop allocates nothing.
let rHi = 0;
let rLo = 0;

/**
 * (ah:al) * (bh:bl) mod 2^64 into rHi:rLo. The low 32x32 product is split
 * into 16-bit limbs so every intermediate stays below 2^53 and is exact;
 * the cross terms only contribute to the high word, where Math.imul's
 * wrap-around is exactly what mod 2^64 wants.
 */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33
  rLo = low >>> 0;
  rHi =
    (a1 * b1 +
      Math.floor(mid / 65536) +
      Math.floor(low / 4294967296) +
      Math.imul(ah, bl) +
      Math.imul(al, bh)) >>>
    0;
}

/**
 * MurmurHash64A(key, len, seed) as in Redis over key[0, len); writes the
 * hash into `out`.
 */
export function murmurHash64A(key: Uint8Array, len: number, seed: number, out: Hash64): Hash64 {
  // h = seed ^ (len * m), with len and seed widened to 64 bits.
  mul64(0, len >>> 0, M_HI, M_LO);
  let hHi = rHi;
  let hLo = (rLo ^ seed) >>> 0;

  const blocksEnd = len - (len & 7);
  let i = 0;
  for (; i < blocksEnd; i += 8) {
    let kLo = (key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24)) >>> 0;
    let kHi = (key[i + 4]! | (key[i + 5]! << 8) | (key[i + 6]! << 16) | (key[i + 7]! << 24)) >>> 0;
    mul64(kHi, kLo, M_HI, M_LO); // k *= m
    kHi = rHi;
    kLo = (rLo ^ (rHi >>> 15)) >>> 0; // k ^= k >> 47
    mul64(kHi, kLo, M_HI, M_LO); // k *= m
    hHi = (hHi ^ rHi) >>> 0; // h ^= k
    hLo = (hLo ^ rLo) >>> 0;
    mul64(hHi, hLo, M_HI, M_LO); // h *= m
    hHi = rHi;
    hLo = rLo;
  }

  const tail = len & 7;
  if (tail !== 0) {
    // The C switch falls through from case 7 down to case 1: byte j of the
    // tail is xored in at bit 8*j.
    for (let j = tail - 1; j >= 0; j--) {
      const b = key[i + j]!;
      if (j >= 4) hHi = (hHi ^ (b << (8 * (j - 4)))) >>> 0;
      else hLo = (hLo ^ (b << (8 * j))) >>> 0;
    }
    mul64(hHi, hLo, M_HI, M_LO);
    hHi = rHi;
    hLo = rLo;
  }

  hLo = (hLo ^ (hHi >>> 15)) >>> 0; // h ^= h >> r
  mul64(hHi, hLo, M_HI, M_LO); // h *= m
  hHi = rHi;
  hLo = (rLo ^ (rHi >>> 15)) >>> 0; // h ^= h >> r

  out.hi = hHi;
  out.lo = hLo;
  return out;
}
