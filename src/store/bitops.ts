/**
 * Redis 7.0 string bitmap primitives (bitops.c): the pieces of GETBIT,
 * SETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD that act on the bytes,
 * with Redis's index normalisation and overflow rules. Argument parsing,
 * key lookup and replies stay in the command layer.
 *
 * Bit 0 is the most significant bit of the first byte, as in SETBIT.
 * Offsets and indexes are plain numbers: a string is at most 512 MB, so
 * bit offsets reach 2^32, past 32-bit operators; they are therefore
 * handled with arithmetic (Math.floor(x / 8), x % 8) rather than >> and &.
 */

export type BitUnit = 'byte' | 'bit';

const BITS_IN_BYTE = new Uint8Array(256);
for (let i = 1; i < 256; i++) BITS_IN_BYTE[i] = (i & 1) + BITS_IN_BYTE[i >>> 1]!;

/** redisPopcount(): set bits in buf[start, start + count). */
export function redisPopcount(buf: Uint8Array, start: number, count: number): number {
  let bits = 0;
  const end = start + count;
  for (let i = start; i < end; i++) bits += BITS_IN_BYTE[buf[i]!]!;
  return bits;
}

/**
 * redisBitpos(): position of the first bit equal to `bit` in
 * buf[start, start + count), relative to `start`. Looking for 1 in all
 * zeroes gives -1; looking for 0 in all ones gives count * 8, as if the
 * string were followed by zero bits.
 */
export function redisBitpos(buf: Uint8Array, start: number, count: number, bit: 0 | 1): number {
  const skip = bit ? 0 : 0xff;
  const end = start + count;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b !== skip) {
      // Leading zeroes of the byte (or of its complement) within 8 bits.
      const v = bit ? b : ~b & 0xff;
      return (i - start) * 8 + Math.clz32(v) - 24;
    }
  }
  return bit ? -1 : count * 8;
}

/**
 * Redis's start/end normalisation for BITCOUNT and BITPOS: negative
 * indexes count from the end, then both are clamped into the string.
 * With the BIT unit, the range is turned into bytes plus masks of the
 * out-of-range bits in the first and last bytes.
 */
function normaliseRange(
  strlen: number,
  start: number,
  end: number,
  isbit: boolean,
): { start: number; end: number; firstMask: number; lastMask: number } {
  const totlen = isbit ? strlen * 8 : strlen;
  if (start < 0) start = totlen + start;
  if (end < 0) end = totlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= totlen) end = totlen - 1;
  let firstMask = 0;
  let lastMask = 0;
  if (isbit && start <= end) {
    firstMask = ~((1 << (8 - (start % 8))) - 1) & 0xff;
    lastMask = (1 << (7 - (end % 8))) - 1;
    start = Math.floor(start / 8);
    end = Math.floor(end / 8);
  }
  return { start, end, firstMask, lastMask };
}

/**
 * BITCOUNT on an existing string value (a missing key counts 0: the
 * command layer answers that). Without start/end the whole string counts.
 */
export function bitCount(buf: Uint8Array, start?: number, end?: number, unit: BitUnit = 'byte'): number {
  let r: { start: number; end: number; firstMask: number; lastMask: number };
  if (start === undefined || end === undefined) {
    r = { start: 0, end: buf.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    // Two negative indexes in the wrong order would both clamp to 0 and
    // count the first byte; Redis answers 0 before normalising.
    if (start < 0 && end < 0 && start > end) return 0;
    r = normaliseRange(buf.length, start, end, unit === 'bit');
  }
  if (r.start > r.end) return 0;
  let count = redisPopcount(buf, r.start, r.end - r.start + 1);
  // Subtract the bits of the edge bytes that lie outside a BIT range.
  if (r.firstMask !== 0) count -= BITS_IN_BYTE[buf[r.start]! & r.firstMask]!;
  if (r.lastMask !== 0) count -= BITS_IN_BYTE[buf[r.end]! & r.lastMask]!;
  return count;
}

/**
 * BITPOS on an existing string value (a missing key is the command
 * layer's: 0 when looking for 0, -1 for 1). `end` undefined means the end
 * was not given, which matters: looking for 0 in all ones then returns the
 * bit just past the string, while with an explicit end it returns -1.
 */
export function bitPos(buf: Uint8Array, bit: 0 | 1, start?: number, end?: number, unit: BitUnit = 'byte'): number {
  const endGiven = end !== undefined;
  const isbit = unit === 'bit';
  let r: { start: number; end: number; firstMask: number; lastMask: number };
  if (start === undefined) {
    r = { start: 0, end: buf.length - 1, firstMask: 0, lastMask: 0 };
  } else {
    const e = end ?? (isbit ? buf.length * 8 + 7 : buf.length - 1);
    r = normaliseRange(buf.length, start, e, isbit);
  }
  let { start: s } = r;
  const { end: e, firstMask, lastMask } = r;
  if (s > e) return -1;

  let bytes = e - s + 1;
  let pos: number;
  // Redis searches a BIT range in up to three parts: the masked first
  // byte, the whole bytes in between, then the masked last byte.
  search: {
    if (firstMask !== 0) {
      let tmp = bit ? buf[s]! & ~firstMask : buf[s]! | firstMask;
      if (lastMask !== 0 && bytes === 1) tmp = bit ? tmp & ~lastMask : tmp | lastMask;
      pos = redisBitpos(Uint8Array.of(tmp & 0xff), 0, 1, bit);
      if (bytes === 1 || (pos !== -1 && pos !== 8)) break search;
      s++;
      bytes--;
    }
    const curbytes = bytes - (lastMask !== 0 ? 1 : 0);
    if (curbytes > 0) {
      pos = redisBitpos(buf, s, curbytes, bit);
      if (bytes === curbytes || (pos !== -1 && pos !== curbytes * 8)) break search;
      s += curbytes;
      bytes -= curbytes;
    }
    const tmp = bit ? buf[e]! & ~lastMask : buf[e]! | lastMask;
    pos = redisBitpos(Uint8Array.of(tmp & 0xff), 0, 1, bit);
  }

  // With an explicit end, the zero padding past the range is not real.
  if (endGiven && bit === 0 && pos === bytes * 8) return -1;
  if (pos !== -1) pos += s * 8;
  return pos;
}

export type BitOpName = 'AND' | 'OR' | 'XOR' | 'NOT' | 'DIFF' | 'DIFF1' | 'ANDOR' | 'ONE';

/**
 * BITOP: missing keys (null) are empty strings, shorter inputs are zero
 * padded, and the result is as long as the longest input. An empty result
 * means the command deletes the destination. NOT takes exactly one source.
 *
 * Redis 8.2 (bitops.c bitopCommand) added DIFF (the first source minus the
 * union of the others), DIFF1 (the union of the others minus the first),
 * ANDOR (the first and the union of the others) and ONE (the bits set in
 * exactly one source).
 */
export function bitOp(op: BitOpName, srcs: readonly (Uint8Array | null)[]): Buffer {
  let maxlen = 0;
  for (const s of srcs) if (s !== null && s.length > maxlen) maxlen = s.length;
  const res = Buffer.alloc(maxlen);
  if (maxlen === 0) return res;
  const first = srcs[0] ?? null;
  if (op === 'DIFF' || op === 'DIFF1' || op === 'ANDOR') {
    // The union of every source but the first, then combined with the first.
    for (let i = 1; i < srcs.length; i++) {
      const s = srcs[i];
      if (s) for (let j = 0; j < s.length; j++) res[j]! |= s[j]!;
    }
    const firstLen = first ? first.length : 0;
    for (let j = 0; j < maxlen; j++) {
      const head = j < firstLen ? first![j]! : 0;
      const union = res[j]!;
      res[j] = op === 'DIFF' ? head & ~union : op === 'DIFF1' ? ~head & union : head & union;
    }
    return res;
  }
  if (first !== null) res.set(first);
  if (op === 'NOT') {
    for (let j = 0; j < maxlen; j++) res[j] = ~res[j]! & 0xff;
    return res;
  }
  // ONE: XOR, less every bit already seen in two sources.
  const seenTwice = op === 'ONE' ? Buffer.alloc(maxlen) : null;
  for (let i = 1; i < srcs.length; i++) {
    const s = srcs[i];
    const len = s ? s.length : 0;
    if (op === 'AND') {
      for (let j = 0; j < len; j++) res[j]! &= s![j]!;
      res.fill(0, len); // AND with the zero padding.
    } else if (op === 'OR') {
      for (let j = 0; j < len; j++) res[j]! |= s![j]!;
    } else if (op === 'XOR') {
      for (let j = 0; j < len; j++) res[j]! ^= s![j]!;
    } else {
      for (let j = 0; j < len; j++) {
        seenTwice![j]! |= res[j]! & s![j]!;
        res[j] = (res[j]! ^ s![j]!) & ~seenTwice![j]!;
      }
    }
  }
  return res;
}

/** GETBIT: bits past the end (or of a missing key) are 0. */
export function getBit(buf: Uint8Array | null, offset: number): 0 | 1 {
  const byte = Math.floor(offset / 8);
  if (buf === null || byte >= buf.length) return 0;
  return ((buf[byte]! >>> (7 - (offset % 8))) & 1) as 0 | 1;
}

/**
 * lookupStringForBitCommand(): the value zero-padded so that bit `maxBit`
 * exists. `dirty` says the key is new or grew, which counts as a change
 * for SETBIT and BITFIELD even when no bit flips. Returns a new Buffer
 * when it grows (values are stored immutably), else the input.
 */
export function growForBit(buf: Uint8Array | null, maxBit: number): { buf: Buffer; dirty: boolean } {
  const need = Math.floor(maxBit / 8) + 1;
  if (buf !== null && buf.length >= need) {
    return { buf: Buffer.isBuffer(buf) ? buf : Buffer.from(buf), dirty: false };
  }
  const out = Buffer.alloc(need);
  if (buf !== null) out.set(buf);
  return { buf: out, dirty: true };
}

/**
 * SETBIT on a value already grown by growForBit(): sets the bit in place
 * and returns its previous value.
 */
export function setBit(buf: Uint8Array, offset: number, on: 0 | 1): 0 | 1 {
  const byte = Math.floor(offset / 8);
  const shift = 7 - (offset % 8);
  const old = ((buf[byte]! >>> shift) & 1) as 0 | 1;
  buf[byte] = (buf[byte]! & ~(1 << shift)) | (on << shift);
  return old;
}

/* ================================ BITFIELD =============================== */

export type BitfieldOverflow = 'WRAP' | 'SAT' | 'FAIL';

/**
 * getBitfieldTypeFromArgument(): "i1".."i64" or "u1".."u63" (u64 is
 * refused because replies are signed 64-bit). Null means errors.bitfieldType.
 */
export function parseBitfieldType(arg: string): { signed: boolean; bits: number } | null {
  const sign = arg[0];
  if (sign !== 'i' && sign !== 'u') return null;
  // string2ll(): optional '-', no leading zeroes, no '+', no spaces.
  const digits = arg.slice(1);
  if (!/^(0|-?[1-9][0-9]*)$/.test(digits)) return null;
  const bits = Number(digits);
  const signed = sign === 'i';
  if (bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) return null;
  return { signed, bits };
}

const U64 = (1n << 64n) - 1n;

/** getUnsignedBitfield(): bits past the end of `buf` read as zero. */
function getUnsigned(buf: Uint8Array, offset: number, bits: number): bigint {
  if (bits <= 48) {
    let v = 0;
    for (let j = 0; j < bits; j++, offset++) v = v * 2 + getBit(buf, offset);
    return BigInt(v);
  }
  let v = 0n;
  for (let j = 0; j < bits; j++, offset++) v = (v << 1n) | BigInt(getBit(buf, offset));
  return v;
}

/** setUnsignedBitfield(): write the low `bits` bits of `value` (a uint64). */
function setUnsigned(buf: Uint8Array, offset: number, bits: number, value: bigint): void {
  if (bits <= 32) {
    const v = Number(value & 0xffffffffn);
    for (let j = bits - 1; j >= 0; j--, offset++) setBit(buf, offset, ((v / 2 ** j) & 1) as 0 | 1);
    return;
  }
  for (let j = bits - 1; j >= 0; j--, offset++) setBit(buf, offset, Number((value >> BigInt(j)) & 1n) as 0 | 1);
}

/** getSignedBitfield(): two's complement, sign extended from `bits`. */
function getSigned(buf: Uint8Array, offset: number, bits: number): bigint {
  return BigInt.asIntN(bits, getUnsigned(buf, offset, bits));
}

/**
 * BITFIELD GET. Reads past the end (or of a missing key) see zeroes.
 * Replies are signed 64-bit integers, hence bigint.
 */
export function getBitfield(buf: Uint8Array | null, offset: number, bits: number, signed: boolean): bigint {
  if (buf === null) return 0n;
  return signed ? getSigned(buf, offset, bits) : getUnsigned(buf, offset, bits);
}

/**
 * checkUnsignedBitfieldOverflow(): 0, 1 (overflow) or -1 (underflow) for
 * value + incr in `bits` unsigned bits; `limit` is the WRAP/SAT result.
 * `value` is a uint64 (SET passes the int64 argument reinterpreted).
 */
export function checkUnsignedBitfieldOverflow(
  value: bigint,
  incr: bigint,
  bits: number,
  owtype: BitfieldOverflow,
): { overflow: -1 | 0 | 1; limit: bigint } {
  const max = bits === 64 ? U64 : (1n << BigInt(bits)) - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, -value);
  const wrap = (): bigint => BigInt.asUintN(bits, value + incr);
  if (value > max || (incr > 0n && incr > maxincr)) {
    return { overflow: 1, limit: owtype === 'WRAP' ? wrap() : max };
  } else if (incr < 0n && incr < minincr) {
    return { overflow: -1, limit: owtype === 'WRAP' ? wrap() : 0n };
  }
  return { overflow: 0, limit: 0n };
}

/**
 * checkSignedBitfieldOverflow(). Redis computes maxincr/minincr with
 * 64-bit wrap-around and only trusts them after checking the sign of
 * `value`; the same order of tests is kept so i64 behaves identically.
 */
export function checkSignedBitfieldOverflow(
  value: bigint,
  incr: bigint,
  bits: number,
  owtype: BitfieldOverflow,
): { overflow: -1 | 0 | 1; limit: bigint } {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -max - 1n;
  const maxincr = BigInt.asIntN(64, max - value);
  const minincr = BigInt.asIntN(64, min - value);
  // Wrapping keeps the low `bits` bits of the 64-bit sum, sign extended.
  const wrap = (): bigint => BigInt.asIntN(bits, value + incr);
  const wide = bits !== 64;
  if (value > max || (wide && incr > maxincr) || (value >= 0n && incr > 0n && incr > maxincr)) {
    return { overflow: 1, limit: owtype === 'WRAP' ? wrap() : max };
  } else if (value < min || (wide && incr < minincr) || (value < 0n && incr < 0n && incr < minincr)) {
    return { overflow: -1, limit: owtype === 'WRAP' ? wrap() : min };
  }
  return { overflow: 0, limit: 0n };
}

/**
 * BITFIELD SET / INCRBY on a value already grown by growForBit() to the
 * command's highest written bit (Redis grows it before running any op,
 * even ones that then FAIL). `arg` is the int64 argument. Writes in place.
 * `reply` is the old value for SET, the new one for INCRBY, or null when
 * OVERFLOW FAIL refused the op; `changed` says the field's value changed
 * (Redis counts a change when that or the growth's `dirty` is true).
 */
export function writeBitfield(
  buf: Uint8Array,
  op: 'SET' | 'INCRBY',
  offset: number,
  bits: number,
  signed: boolean,
  arg: bigint,
  owtype: BitfieldOverflow,
): { reply: bigint | null; changed: boolean } {
  let oldval: bigint;
  let newval: bigint;
  let check: { overflow: -1 | 0 | 1; limit: bigint };
  if (signed) {
    oldval = getSigned(buf, offset, bits);
    if (op === 'INCRBY') {
      check = checkSignedBitfieldOverflow(oldval, arg, bits, owtype);
      newval = check.overflow ? check.limit : BigInt.asIntN(64, oldval + arg);
    } else {
      newval = arg;
      check = checkSignedBitfieldOverflow(newval, 0n, bits, owtype);
      if (check.overflow) newval = check.limit;
    }
  } else {
    oldval = getUnsigned(buf, offset, bits);
    if (op === 'INCRBY') {
      check = checkUnsignedBitfieldOverflow(oldval, arg, bits, owtype);
      newval = check.overflow ? check.limit : BigInt.asUintN(64, oldval + arg);
    } else {
      newval = BigInt.asUintN(64, arg);
      check = checkUnsignedBitfieldOverflow(newval, 0n, bits, owtype);
      if (check.overflow) newval = check.limit;
    }
  }
  if (check.overflow && owtype === 'FAIL') return { reply: null, changed: false };
  setUnsigned(buf, offset, bits, BigInt.asUintN(64, newval));
  const reply = op === 'SET' ? oldval : newval;
  // addReplyLongLong() of a uint64: values here are below 2^63 anyway.
  return { reply: BigInt.asIntN(64, reply), changed: oldval !== newval };
}

/** BITFIELD SET: see writeBitfield(). */
export function setBitfield(
  buf: Uint8Array,
  offset: number,
  bits: number,
  signed: boolean,
  value: bigint,
  owtype: BitfieldOverflow = 'WRAP',
): { reply: bigint | null; changed: boolean } {
  return writeBitfield(buf, 'SET', offset, bits, signed, value, owtype);
}

/** BITFIELD INCRBY: see writeBitfield(). */
export function incrByBitfield(
  buf: Uint8Array,
  offset: number,
  bits: number,
  signed: boolean,
  incr: bigint,
  owtype: BitfieldOverflow = 'WRAP',
): { reply: bigint | null; changed: boolean } {
  return writeBitfield(buf, 'INCRBY', offset, bits, signed, incr, owtype);
}
