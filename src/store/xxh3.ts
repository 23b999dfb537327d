/**
 * XXH3_64bits with seed 0 and the default secret: the hash Redis 8.4's
 * DIGEST, SET IFDEQ/IFDNE and DELEX IFDEQ/IFDNE compute over a string's
 * bytes (t_string.c stringDigest calls XXH3_64bits from deps/xxhash).
 * Ported from the reference xxhash.h (0.8.x), scalar path; 64-bit lanes are
 * BigInts truncated with asUintN, which is plenty for one digest per call.
 */

const MASK64 = (1n << 64n) - 1n;
const PRIME32_1 = 0x9e3779b1n;
const PRIME32_2 = 0x85ebca77n;
const PRIME32_3 = 0xc2b2ae3dn;
const PRIME64_1 = 0x9e3779b185ebca87n;
const PRIME64_2 = 0xc2b2ae3d27d4eb4fn;
const PRIME64_3 = 0x165667b19e3779f9n;
const PRIME64_4 = 0x85ebca77c2b2ae63n;
const PRIME64_5 = 0x27d4eb2f165667c5n;
const PRIME_MX1 = 0x165667919e3779f9n;
const PRIME_MX2 = 0x9fb21c651e98df25n;

/** XXH3_kSecret, the default 192-byte secret. */
const SECRET = Buffer.from(
  'b8fe6c3923a44bbe7c01812cf721ad1cded46de9839097db7240a4a4b7b3671f' +
    'cb79e64eccc0e578825ad07dccff7221b8084674f743248ee03590e6813a264c' +
    '3c2852bb91c300cb88d0658b1b532ea371644897a20df94e3819ef46a9deacd8' +
    'a8fa763fe39c343ff9dcbbc7c70b4f1d8a51e04bcdb45931c89f7ec9d9787364' +
    'eac5ac8334d3ebc3c581a0fffa1363eb170ddd51b7f0da49d316552629d4689e' +
    '2b16be587d47a1fc8ff8b8d17ad031ce45cb3a8f95160428afd7fbcabb4b407e',
  'hex',
);
const SECRET_SIZE = SECRET.length;
const STRIPE_LEN = 64;
const SECRET_CONSUME_RATE = 8;
const MIDSIZE_MAX = 240;

const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK64;
const add = (a: bigint, b: bigint): bigint => (a + b) & MASK64;
const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & MASK64;

function mul128Fold64(a: bigint, b: bigint): bigint {
  const product = a * b;
  return (product & MASK64) ^ (product >> 64n);
}

function xxh64Avalanche(h: bigint): bigint {
  h ^= h >> 33n;
  h = mul(h, PRIME64_2);
  h ^= h >> 29n;
  h = mul(h, PRIME64_3);
  return h ^ (h >> 32n);
}

function avalanche(h: bigint): bigint {
  h ^= h >> 37n;
  h = mul(h, PRIME_MX1);
  return h ^ (h >> 32n);
}

function rrmxmx(h: bigint, len: number): bigint {
  h ^= rotl(h, 49n) ^ rotl(h, 24n);
  h = mul(h, PRIME_MX2);
  h ^= (h >> 35n) + BigInt(len);
  h = mul(h, PRIME_MX2);
  return h ^ (h >> 28n);
}

function byteSwap64(x: bigint): bigint {
  let out = 0n;
  for (let i = 0; i < 8; i++) {
    out = (out << 8n) | (x & 0xffn);
    x >>= 8n;
  }
  return out;
}

const read64 = (b: Buffer, at: number): bigint => b.readBigUInt64LE(at);
const read32 = (b: Buffer, at: number): bigint => BigInt(b.readUInt32LE(at));

function mix16B(input: Buffer, at: number, secretAt: number): bigint {
  const lo = read64(input, at);
  const hi = read64(input, at + 8);
  return mul128Fold64(lo ^ read64(SECRET, secretAt), hi ^ read64(SECRET, secretAt + 8));
}

function len1to3(input: Buffer, len: number): bigint {
  const c1 = BigInt(input[0]!);
  const c2 = BigInt(input[len >> 1]!);
  const c3 = BigInt(input[len - 1]!);
  const combined = (c1 << 16n) | (c2 << 24n) | c3 | (BigInt(len) << 8n);
  const bitflip = (read32(SECRET, 0) ^ read32(SECRET, 4)) & MASK64;
  return xxh64Avalanche(combined ^ bitflip);
}

function len4to8(input: Buffer, len: number): bigint {
  const input1 = read32(input, 0);
  const input2 = read32(input, len - 4);
  const bitflip = read64(SECRET, 8) ^ read64(SECRET, 16);
  const input64 = add(input2, input1 << 32n);
  return rrmxmx(input64 ^ bitflip, len);
}

function len9to16(input: Buffer, len: number): bigint {
  const bitflip1 = read64(SECRET, 24) ^ read64(SECRET, 32);
  const bitflip2 = read64(SECRET, 40) ^ read64(SECRET, 48);
  const lo = read64(input, 0) ^ bitflip1;
  const hi = read64(input, len - 8) ^ bitflip2;
  const acc = add(add(add(BigInt(len), byteSwap64(lo)), hi), mul128Fold64(lo, hi));
  return avalanche(acc);
}

function len17to128(input: Buffer, len: number): bigint {
  let acc = mul(BigInt(len), PRIME64_1);
  if (len > 32) {
    if (len > 64) {
      if (len > 96) {
        acc = add(acc, mix16B(input, 48, 96));
        acc = add(acc, mix16B(input, len - 64, 112));
      }
      acc = add(acc, mix16B(input, 32, 64));
      acc = add(acc, mix16B(input, len - 48, 80));
    }
    acc = add(acc, mix16B(input, 16, 32));
    acc = add(acc, mix16B(input, len - 32, 48));
  }
  acc = add(acc, mix16B(input, 0, 0));
  acc = add(acc, mix16B(input, len - 16, 16));
  return avalanche(acc);
}

function len129to240(input: Buffer, len: number): bigint {
  const START_OFFSET = 3;
  const LAST_OFFSET = 17;
  const rounds = len >> 4;
  let acc = mul(BigInt(len), PRIME64_1);
  for (let i = 0; i < 8; i++) acc = add(acc, mix16B(input, 16 * i, 16 * i));
  acc = avalanche(acc);
  for (let i = 8; i < rounds; i++) acc = add(acc, mix16B(input, 16 * i, 16 * (i - 8) + START_OFFSET));
  acc = add(acc, mix16B(input, len - 16, 136 - LAST_OFFSET));
  return avalanche(acc);
}

function accumulate512(acc: bigint[], input: Buffer, at: number, secretAt: number): void {
  for (let i = 0; i < 8; i++) {
    const value = read64(input, at + 8 * i);
    const key = value ^ read64(SECRET, secretAt + 8 * i);
    acc[i ^ 1] = add(acc[i ^ 1]!, value);
    acc[i] = add(acc[i]!, (key & 0xffffffffn) * (key >> 32n));
  }
}

function scramble(acc: bigint[], secretAt: number): void {
  for (let i = 0; i < 8; i++) {
    let a = acc[i]!;
    a ^= a >> 47n;
    a ^= read64(SECRET, secretAt + 8 * i);
    acc[i] = mul(a, PRIME32_1);
  }
}

function hashLong(input: Buffer, len: number): bigint {
  const acc = [PRIME32_3, PRIME64_1, PRIME64_2, PRIME64_3, PRIME64_4, PRIME32_2, PRIME64_5, PRIME32_1];
  const stripesPerBlock = (SECRET_SIZE - STRIPE_LEN) / SECRET_CONSUME_RATE;
  const blockLen = STRIPE_LEN * stripesPerBlock;
  const blocks = Math.floor((len - 1) / blockLen);
  for (let n = 0; n < blocks; n++) {
    for (let s = 0; s < stripesPerBlock; s++) {
      accumulate512(acc, input, n * blockLen + s * STRIPE_LEN, s * SECRET_CONSUME_RATE);
    }
    scramble(acc, SECRET_SIZE - STRIPE_LEN);
  }
  const lastStripes = Math.floor((len - 1 - blockLen * blocks) / STRIPE_LEN);
  for (let s = 0; s < lastStripes; s++) {
    accumulate512(acc, input, blocks * blockLen + s * STRIPE_LEN, s * SECRET_CONSUME_RATE);
  }
  accumulate512(acc, input, len - STRIPE_LEN, SECRET_SIZE - STRIPE_LEN - 7);
  let result = mul(BigInt(len), PRIME64_1);
  for (let i = 0; i < 4; i++) {
    result = add(result, mul128Fold64(acc[2 * i]! ^ read64(SECRET, 11 + 16 * i), acc[2 * i + 1]! ^ read64(SECRET, 11 + 16 * i + 8)));
  }
  return avalanche(result);
}

/** XXH3_64bits(input, len) with seed 0. */
export function xxh3(input: Buffer): bigint {
  const len = input.length;
  if (len <= 16) {
    if (len > 8) return len9to16(input, len);
    if (len >= 4) return len4to8(input, len);
    if (len > 0) return len1to3(input, len);
    return xxh64Avalanche(read64(SECRET, 56) ^ read64(SECRET, 64));
  }
  if (len <= 128) return len17to128(input, len);
  if (len <= MIDSIZE_MAX) return len129to240(input, len);
  return hashLong(input, len);
}
