/**
 * Redis 7.0 HyperLogLog (hyperloglog.c), byte for byte.
 *
 * An HLL is an ordinary string value, so what GET returns must be exactly
 * what redis-server would store for the same commands:
 *
 *   header   "HYLL", encoding (0 dense, 1 sparse), 3 unused bytes, 8-byte
 *            little-endian cached cardinality whose top bit flags it stale;
 *   dense    16384 6-bit registers packed LSB first (12288 bytes);
 *   sparse   run-length opcodes ZERO 00xxxxxx, XZERO 01xxxxxx yyyyyyyy and
 *            VAL 1vvvvvxx, promoted to dense when a register exceeds 32 or
 *            the string would outgrow hll-sparse-max-bytes.
 *
 * The sparse editing code follows hllSparseSet() step by step, including
 * its opcode split and "merge up to 5 adjacent VALs" pass, because any
 * other valid encoding of the same registers would differ in GET's bytes.
 *
 * Functions never mutate their input Buffers (the keyspace stores strings
 * immutably); when a value changes they return a new Buffer to store.
 */

import { type Hash64, murmurHash64A } from './murmur64.js';
import { errors } from '../errors.js';

export const HLL_P = 14;
const HLL_Q = 64 - HLL_P;
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_P_MASK = HLL_REGISTERS - 1;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
export const HLL_HDR_SIZE = 16;
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * HLL_BITS + 7) / 8);
export const HLL_DENSE = 0;
export const HLL_SPARSE = 1;
const HLL_MAX_ENCODING = 1;
/** Offset of the cached cardinality's most significant byte. */
const HLL_CARD_MSB = 15;
const HLL_SPARSE_VAL_MAX_VALUE = 32;
const HLL_SPARSE_VAL_MAX_LEN = 4;
const HLL_SPARSE_ZERO_MAX_LEN = 64;
const HLL_SPARSE_XZERO_MAX_LEN = 16384;
const HLL_ALPHA_INF = 0.72134752044448170368; // 0.5/ln(2)
/** Redis's default for the hll-sparse-max-bytes config. */
export const HLL_SPARSE_MAX_BYTES_DEFAULT = 3000;
const HLL_HASH_SEED = 0xadc83b19;

/** isHLLObjectOrReply() failed: the command answers with this message. */
export class HllWrongTypeError extends Error {
  constructor() {
    super(errors.hllWrongType);
    this.name = 'HllWrongTypeError';
  }
}

/**
 * A sparse HLL whose opcodes do not describe exactly 16384 registers.
 * Redis edits sparse values in place, so a PFADD that fails halfway keeps
 * the elements it added before hitting the corruption: `buf`, when set, is
 * that value, which the caller should store (without signalling a change).
 */
export class HllCorruptedError extends Error {
  constructor(readonly buf?: Buffer) {
    super(errors.hllInvalid);
    this.name = 'HllCorruptedError';
  }
}

/** isHLLObjectOrReply(): the checks that make a string usable as an HLL. */
export function isValidHllObject(buf: Uint8Array): boolean {
  if (buf.length < HLL_HDR_SIZE) return false;
  if (buf[0] !== 0x48 || buf[1] !== 0x59 || buf[2] !== 0x4c || buf[3] !== 0x4c) return false; // HYLL
  const encoding = buf[4]!;
  if (encoding > HLL_MAX_ENCODING) return false;
  if (encoding === HLL_DENSE && buf.length !== HLL_DENSE_SIZE) return false;
  return true;
}

/**
 * A growable byte string that behaves like an sds: `len` bytes of content
 * followed by a terminator byte that sdsIncrLen() zeroes. hyperloglog.c
 * reads an XZERO's second byte without a bounds check, so when a corrupted
 * value ends in half an opcode it reads that terminator; keeping it makes
 * even corrupted inputs evolve as they do in Redis.
 */
class Sds {
  b: Buffer;
  len: number;

  constructor(src: Uint8Array, room: number) {
    this.len = src.length;
    this.b = Buffer.alloc(src.length + room + 1);
    this.b.set(src);
  }

  /** sdsMakeRoomFor(): at least `n` spare bytes (plus the terminator). */
  makeRoomFor(n: number): void {
    if (this.b.length >= this.len + n + 1) return;
    const nb = Buffer.alloc(Math.max(this.len + n + 1, this.b.length * 2));
    nb.set(this.b);
    this.b = nb;
  }

  /** sdsIncrLen(): adjust the length and re-terminate. */
  incrLen(delta: number): void {
    this.len += delta;
    this.b[this.len] = 0;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.b.subarray(0, this.len));
  }
}

/* ============================ Dense registers ============================ */

/** HLL_DENSE_GET_REGISTER on a whole HLL string (registers after the header). */
function hllDenseGetRegister(p: Uint8Array, regnum: number): number {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >>> 3);
  const fb = (regnum * HLL_BITS) & 7;
  // The last register's "next byte" is the sds terminator in Redis: zero.
  const b1 = byte + 1 < p.length ? p[byte + 1]! : 0;
  return ((p[byte]! >>> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

/** HLL_DENSE_SET_REGISTER. */
function hllDenseSetRegister(p: Uint8Array, regnum: number, val: number): void {
  const byte = HLL_HDR_SIZE + ((regnum * HLL_BITS) >>> 3);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  p[byte] = (p[byte]! & ~(HLL_REGISTER_MAX << fb)) | (val << fb);
  if (byte + 1 < p.length) {
    p[byte + 1] = (p[byte + 1]! & ~(HLL_REGISTER_MAX >>> fb8)) | (val >>> fb8);
  }
}

/** hllDenseSet(): raise the register to `count`; 1 if it changed. */
function hllDenseSet(p: Uint8Array, index: number, count: number): number {
  if (count > hllDenseGetRegister(p, index)) {
    hllDenseSetRegister(p, index, count);
    return 1;
  }
  return 0;
}

/* ================================ Hashing ================================ */

const hash: Hash64 = { hi: 0, lo: 0 };
/** Register index computed by the last hllPatLen() call. */
let patIndex = 0;

/** Reused for string elements, so hashing them allocates nothing. */
let scratch = Buffer.alloc(256);

/**
 * hllPatLen(): hash the element, take the low 14 bits as the register index
 * (left in patIndex) and return the position of the first 1 bit above them
 * (1-based), or 51 when those 50 bits are all zero. Strings are latin1.
 */
export function hllPatLen(ele: string | Uint8Array): number {
  let bytes: Uint8Array;
  let len = ele.length;
  if (typeof ele === 'string') {
    if (len > scratch.length) scratch = Buffer.alloc(Math.max(len, scratch.length * 2));
    if (len <= 64) {
      for (let i = 0; i < len; i++) scratch[i] = ele.charCodeAt(i);
    } else {
      len = scratch.write(ele, 0, 'latin1');
    }
    bytes = scratch;
  } else {
    bytes = ele;
  }
  murmurHash64A(bytes, len, HLL_HASH_SEED, hash);
  patIndex = hash.lo & HLL_P_MASK;
  const low = hash.lo >>> HLL_P; // hash bits 14..31
  if (low !== 0) return 32 - Math.clz32(low & -low);
  if (hash.hi !== 0) return 32 - HLL_P + 32 - Math.clz32(hash.hi & -hash.hi);
  return HLL_Q + 1;
}

/** The index hllPatLen() computed for the element it last hashed. */
export function hllLastPatIndex(): number {
  return patIndex;
}

/* ============================ Sparse encoding ============================ */

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXzero = (op: number): boolean => (op & 0xc0) === 0x40;
const isVal = (op: number): boolean => (op & 0x80) !== 0;
const zeroLen = (op: number): number => (op & 0x3f) + 1;
const xzeroLen = (op: number, next: number): number => (((op & 0x3f) << 8) | next) + 1;
const valValue = (op: number): number => ((op >>> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (val: number, len: number): number => (((val - 1) << 2) | (len - 1) | 0x80) & 0xff;

/** createHLLObject(): an empty sparse HLL, one XZERO covering every register. */
export function createHll(): Buffer {
  const xzeros = Math.ceil(HLL_REGISTERS / HLL_SPARSE_XZERO_MAX_LEN);
  const buf = Buffer.alloc(HLL_HDR_SIZE + xzeros * 2);
  buf.write('HYLL', 0, 'latin1');
  buf[4] = HLL_SPARSE;
  let p = HLL_HDR_SIZE;
  for (let aux = HLL_REGISTERS; aux > 0; ) {
    const xzero = Math.min(HLL_SPARSE_XZERO_MAX_LEN, aux);
    buf[p] = ((xzero - 1) >>> 8) | 0x40;
    buf[p + 1] = (xzero - 1) & 0xff;
    p += 2;
    aux -= xzero;
  }
  return buf;
}

/**
 * hllSparseToDense(): rewrite `o` as a dense HLL, keeping the header (and
 * so the cached cardinality). False when the opcodes are corrupted.
 */
function hllSparseToDense(o: Sds): boolean {
  if (o.b[4] === HLL_DENSE) return true;
  const regs = new Uint8Array(HLL_REGISTERS);
  if (!hllSparseMerge(regs, o.b, o.len)) return false;
  const dense = Buffer.alloc(HLL_DENSE_SIZE + 1);
  o.b.copy(dense, 0, 0, HLL_HDR_SIZE);
  dense[4] = HLL_DENSE;
  for (let i = 0; i < HLL_REGISTERS; i++) if (regs[i]) hllDenseSetRegister(dense, i, regs[i]!);
  o.b = dense;
  o.len = HLL_DENSE_SIZE;
  return true;
}

/**
 * hllSparseSet(): raise register `index` to `count` in the sparse HLL `o`,
 * promoting it to dense when the value or the grown size does not fit.
 * Returns 1 if the register changed, 0 if not, -1 if `o` is corrupted.
 */
function hllSparseSet(o: Sds, index: number, count: number, sparseMaxBytes: number): number {
  if (count > HLL_SPARSE_VAL_MAX_VALUE) return hllPromote(o, index, count);

  // The worst case split (XZERO -> XZERO VAL XZERO) grows the string by 3.
  o.makeRoomFor(3);
  const b = o.b;

  // Step 1: find the opcode covering `index`.
  const sparse = HLL_HDR_SIZE;
  let end = o.len;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    let oplen = 1;
    const op = b[p]!;
    if (isZero(op)) {
      span = zeroLen(op);
    } else if (isVal(op)) {
      span = valLen(op);
    } else {
      span = xzeroLen(op, b[p + 1]!);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1; // Invalid format.

  let next = isXzero(b[p]!) ? p + 2 : p + 1;
  if (next >= end) next = -1;

  const op = b[p]!;
  const opIsZero = isZero(op);
  const opIsXzero = isXzero(op);
  const runlen = opIsZero ? zeroLen(op) : opIsXzero ? xzeroLen(op, b[p + 1]!) : valLen(op);

  // Step 2: the cases that need no split.
  let simple = false;
  if (!opIsZero && !opIsXzero) {
    // A) the VAL already holds at least `count`: nothing to do.
    if (valValue(op) >= count) return 0;
    // B) a VAL covering only this register is updated in place.
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      simple = true;
    }
  } else if (opIsZero && runlen === 1) {
    // C) a ZERO of length 1 becomes a VAL of length 1.
    b[p] = valOp(count, 1);
    simple = true;
  }

  if (!simple) {
    // D) split the opcode into up to three: before, our VAL, after.
    const seq: number[] = [];
    const last = first + span - 1;
    if (opIsZero || opIsXzero) {
      if (index !== first) pushZeros(seq, index - first);
      seq.push(valOp(count, 1));
      if (index !== last) pushZeros(seq, last - index);
    } else {
      const curval = valValue(op);
      if (index !== first) seq.push(valOp(curval, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(curval, last - index));
    }

    // Step 3: substitute the new sequence for the old opcode, in the same
    // order of memory operations as Redis (see the Sds class comment).
    const seqlen = seq.length;
    const oldlen = opIsXzero ? 2 : 1;
    const deltalen = seqlen - oldlen;
    if (deltalen > 0 && o.len + deltalen > sparseMaxBytes) return hllPromote(o, index, count);
    if (deltalen !== 0 && next !== -1) b.copyWithin(next + deltalen, next, end);
    o.incrLen(deltalen);
    for (let i = 0; i < seqlen; i++) b[p + i] = seq[i]!;
    end += deltalen;
  }

  // Step 4: merge adjacent VALs with the same value, scanning up to 5
  // opcodes from the one before the change.
  p = prev !== -1 ? prev : sparse;
  let scanlen = 5;
  while (p < end && scanlen-- > 0) {
    const cur = b[p]!;
    if (isXzero(cur)) {
      p += 2;
      continue;
    } else if (isZero(cur)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(b[p + 1]!)) {
      const v1 = valValue(cur);
      const v2 = valValue(b[p + 1]!);
      if (v1 === v2) {
        const len = valLen(cur) + valLen(b[p + 1]!);
        if (len <= HLL_SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end + 1);
          o.incrLen(-1);
          end--;
          // Retry from the same opcode: it may merge with its new neighbour.
          continue;
        }
      }
    }
    p++;
  }

  b[HLL_CARD_MSB] = b[HLL_CARD_MSB]! | 0x80; // Invalidate the cached cardinality.
  return 1;
}

/** A run of `len` zero registers as one ZERO or XZERO opcode. */
function pushZeros(seq: number[], len: number): void {
  if (len > HLL_SPARSE_ZERO_MAX_LEN) {
    seq.push(((len - 1) >>> 8) | 0x40, (len - 1) & 0xff);
  } else {
    seq.push(len - 1);
  }
}

/** The "promote:" tail of hllSparseSet(): go dense, then set the register. */
function hllPromote(o: Sds, index: number, count: number): number {
  if (!hllSparseToDense(o)) return -1;
  // Promotion only happens when the register must change, so this is 1.
  return hllDenseSet(o.b, index, count);
}

/* ============================== Estimation =============================== */

/** hllDenseRegHisto(): four 6-bit registers per 3 bytes. */
function hllDenseRegHisto(buf: Uint8Array, reghisto: Int32Array): void {
  const end = HLL_HDR_SIZE + (HLL_REGISTERS * HLL_BITS) / 8;
  for (let i = HLL_HDR_SIZE; i < end; i += 3) {
    const b0 = buf[i]!;
    const b1 = buf[i + 1]!;
    const b2 = buf[i + 2]!;
    reghisto[b0 & 63]!++;
    reghisto[((b0 >>> 6) | (b1 << 2)) & 63]!++;
    reghisto[((b1 >>> 4) | (b2 << 4)) & 63]!++;
    reghisto[(b2 >>> 2) & 63]!++;
  }
}

/** hllSparseRegHisto(): false when the opcodes do not cover 16384 registers. */
function hllSparseRegHisto(buf: Uint8Array, reghisto: Int32Array): boolean {
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = buf.length;
  while (p < end) {
    const op = buf[p]!;
    if (isZero(op)) {
      const runlen = zeroLen(op);
      idx += runlen;
      reghisto[0]! += runlen;
      p++;
    } else if (isXzero(op)) {
      const runlen = xzeroLen(op, buf[p + 1]!); // Past the end: 0, as above.
      idx += runlen;
      reghisto[0]! += runlen;
      p += 2;
    } else {
      const runlen = valLen(op);
      idx += runlen;
      reghisto[valValue(op)]! += runlen;
      p++;
    }
  }
  return idx === HLL_REGISTERS;
}

/** hllSigma() from Ertl, "New cardinality estimation algorithms for HyperLogLog sketches". */
function hllSigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/** hllTau() from the same paper. */
function hllTau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    // C's pow(1 - x, 2) is folded to a product by GCC; match it exactly.
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

/**
 * The estimator tail of hllCount(), from a register histogram, returning
 * the uint64 Redis computes. Realistic HLLs stay far below 2^53; only
 * crafted dense values (registers near 50) reach the ranges where C's
 * conversions matter, and those are reproduced too: llroundl() of a value
 * beyond 2^63 (or of the infinity an all-51+ histogram yields) gives
 * LLONG_MIN on x86-64, which the cast back to uint64 turns into 2^63.
 */
function hllEstimate(reghisto: Int32Array): number | bigint {
  const m = HLL_REGISTERS;
  let z = m * hllTau((m - reghisto[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j]!;
    z *= 0.5;
  }
  z += m * hllSigma(reghisto[0]! / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  if (!(e < 2 ** 63)) return 1n << 63n;
  // llroundl(): halves away from zero, which Math.round matches for e >= 0.
  const card = Math.round(e);
  return card <= Number.MAX_SAFE_INTEGER ? card : BigInt(card);
}

/** A uint64 cardinality as PFCOUNT replies it (addReplyLongLong: signed). */
function cardReply(card: number | bigint): number | bigint {
  return typeof card === 'number' ? card : BigInt.asIntN(64, card);
}

/**
 * hllMerge(): max[i] = MAX(max[i], register i of `buf`). False when a
 * sparse `buf` is corrupted.
 */
function hllMerge(max: Uint8Array, buf: Uint8Array): boolean {
  if (buf[4] !== HLL_DENSE) return hllSparseMerge(max, buf, buf.length);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const val = hllDenseGetRegister(buf, i);
    if (val > max[i]!) max[i] = val;
  }
  return true;
}

/**
 * The sparse half of hllMerge(), also the decoding loop of
 * hllSparseToDense(). An XZERO cut short reads b[end]: the sds terminator
 * for an Sds, undefined (0 in the bitwise ops) for a stored Buffer, which
 * is what Redis's terminator holds for a freshly loaded value.
 */
function hllSparseMerge(max: Uint8Array, b: Uint8Array, end: number): boolean {
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < end) {
    const op = b[p]!;
    if (isZero(op)) {
      i += zeroLen(op);
      p++;
    } else if (isXzero(op)) {
      i += xzeroLen(op, b[p + 1]!);
      p += 2;
    } else {
      let runlen = valLen(op);
      const regval = valValue(op);
      // Redis 7.0.15 fails here at once (older code's `break` accepted a
      // VAL overrunning a register count that was otherwise exact).
      if (runlen + i > HLL_REGISTERS) return false;
      while (runlen--) {
        if (regval > max[i]!) max[i] = regval;
        i++;
      }
      p++;
    }
  }
  return i === HLL_REGISTERS;
}

/**
 * The checks PFCOUNT and PFMERGE make of each key as their loop reads it
 * (isHLLObjectOrReply, then hllMerge's walk of a sparse HLL): throws
 * HllWrongTypeError or HllCorruptedError, so that the caller stops at this
 * key, before reading the next, as Redis's loop does.
 */
export function checkHllForUnion(buf: Uint8Array): void {
  if (!isValidHllObject(buf)) throw new HllWrongTypeError();
  if (buf[4] !== HLL_DENSE && !hllSparseMerge(new Uint8Array(HLL_REGISTERS), buf, buf.length)) throw new HllCorruptedError();
}

/* =============================== Commands ================================ */

/**
 * PFADD. `buf` is the key's current value (null when the key is missing:
 * it is created, which alone makes `updated` true). Strings are latin1
 * byte strings. Returns the value to store (the input itself when nothing
 * changed). Throws HllWrongTypeError / HllCorruptedError.
 */
export function pfAdd(
  buf: Uint8Array | null,
  elements: readonly (string | Uint8Array)[],
  sparseMaxBytes: number = HLL_SPARSE_MAX_BYTES_DEFAULT,
): { updated: boolean; changes: number; buf: Buffer } {
  // Redis's `updated`: 1 for a created key, plus 1 per element that raised a register.
  let changes = 0;
  let src: Uint8Array;
  if (buf === null) {
    src = createHll();
    changes = 1;
  } else {
    if (!isValidHllObject(buf)) throw new HllWrongTypeError();
    src = buf;
  }

  if (src[4] === HLL_DENSE) {
    // Copy on the first register that actually changes.
    let out: Buffer | null = null;
    for (const ele of elements) {
      const count = hllPatLen(ele);
      if (count > hllDenseGetRegister(out ?? src, patIndex)) {
        out ??= Buffer.from(src);
        hllDenseSetRegister(out, patIndex, count);
        changes++;
      }
    }
    if (out === null) return { updated: changes !== 0, changes, buf: asBuffer(src) };
    out[HLL_CARD_MSB] = out[HLL_CARD_MSB]! | 0x80;
    return { updated: true, changes, buf: out };
  }

  // Sparse, possibly turning dense along the way: work on an sds-like copy.
  const o = new Sds(src, 8);
  let changed = false;
  for (const ele of elements) {
    const count = hllPatLen(ele);
    const retval = o.b[4] === HLL_DENSE ? hllDenseSet(o.b, patIndex, count) : hllSparseSet(o, patIndex, count, sparseMaxBytes);
    if (retval === -1) throw new HllCorruptedError(changed ? o.toBuffer() : undefined);
    if (retval === 1) {
      changed = true;
      changes++;
    }
  }
  if (changes === 0) return { updated: false, changes, buf: asBuffer(src) };
  o.b[HLL_CARD_MSB] = o.b[HLL_CARD_MSB]! | 0x80;
  return { updated: true, changes, buf: o.toBuffer() };
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.length);
}

/**
 * PFCOUNT. With one key (null when missing) the cached cardinality is used
 * when valid; otherwise it is recomputed and, like Redis, written back into
 * the header: `buf` is then the new value to store (and Redis counts it as
 * a write: signal the key as modified and bump dirty). With several keys
 * the union's cardinality is computed and nothing is written.
 *
 * `count` is a number, or a bigint (the signed 64-bit integer Redis
 * replies) when beyond Number.MAX_SAFE_INTEGER, which only crafted values
 * reach. Throws HllWrongTypeError / HllCorruptedError, keys in order.
 */
export function pfCount(bufs: readonly (Uint8Array | null)[]): { count: number | bigint; buf?: Buffer } {
  const reghisto = new Int32Array(64);
  if (bufs.length === 1) {
    const src = bufs[0]!;
    if (src === null) return { count: 0 };
    if (!isValidHllObject(src)) throw new HllWrongTypeError();
    if ((src[HLL_CARD_MSB]! & 0x80) === 0) {
      const cached = asBuffer(src).readBigUInt64LE(8);
      return { count: cached <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cached) : cached };
    }
    if (src[4] === HLL_DENSE) hllDenseRegHisto(src, reghisto);
    else if (!hllSparseRegHisto(src, reghisto)) throw new HllCorruptedError();
    const card = hllEstimate(reghisto);
    const out = Buffer.from(src);
    out.writeBigUInt64LE(BigInt(card), 8);
    return { count: cardReply(card), buf: out };
  }

  const max = new Uint8Array(HLL_REGISTERS);
  for (const src of bufs) {
    if (src === null) continue; // A missing key is an empty HLL.
    if (!isValidHllObject(src)) throw new HllWrongTypeError();
    if (!hllMerge(max, src)) throw new HllCorruptedError();
  }
  // hllRawRegHisto(): one byte per register.
  for (let i = 0; i < HLL_REGISTERS; i++) reghisto[max[i]!]!++;
  return { count: cardReply(hllEstimate(reghisto)) };
}

/**
 * PFMERGE. `dest` is the destination's current value (null when missing);
 * like Redis it is part of the union. The result stays sparse unless some
 * input (dest included) is dense, or the registers do not fit the sparse
 * encoding / sparseMaxBytes. Always returns a new Buffer to store; throws
 * HllWrongTypeError / HllCorruptedError (dest first, then sources in order)
 * before changing anything.
 */
export function pfMerge(
  dest: Uint8Array | null,
  sources: readonly (Uint8Array | null)[],
  sparseMaxBytes: number = HLL_SPARSE_MAX_BYTES_DEFAULT,
): Buffer {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (const src of [dest, ...sources]) {
    if (src === null) continue;
    if (!isValidHllObject(src)) throw new HllWrongTypeError();
    if (src[4] === HLL_DENSE) useDense = true;
    if (!hllMerge(max, src)) throw new HllCorruptedError();
  }

  const o = new Sds(dest ?? createHll(), 8);
  // Cannot fail: a sparse dest was just validated by hllMerge().
  if (useDense && !hllSparseToDense(o)) throw new HllCorruptedError();
  for (let j = 0; j < HLL_REGISTERS; j++) {
    const val = max[j]!;
    if (val === 0) continue;
    // Redis ignores hllSparseSet()'s result here, for the same reason.
    if (o.b[4] === HLL_DENSE) hllDenseSet(o.b, j, val);
    else hllSparseSet(o, j, val, sparseMaxBytes);
  }
  o.b[HLL_CARD_MSB] = o.b[HLL_CARD_MSB]! | 0x80;
  return o.toBuffer();
}
