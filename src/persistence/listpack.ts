/**
 * Redis's listpack (listpack.c) as bytes: the blob that RDB stores for
 * small hashes, small sorted sets, quicklist nodes and stream nodes.
 * reddish keeps none of its values in this form, so a listpack exists only
 * while a value is saved or loaded.
 *
 * Layout: total bytes (u32 LE), element count (u16 LE, 65535 = unknown),
 * the entries, then 0xFF. An entry is an encoding byte (integer or string
 * length), its data, and a backward length (the entry's size, 7 bits per
 * byte) so the list can be walked from the tail.
 */

export const LISTPACK_HEADER_SIZE = 6;
const LISTPACK_EOF = 0xff;
const NUMELE_UNKNOWN = 65535;
/** lpSafeToAdd: no listpack grows past 1 GB. */
export const LISTPACK_MAX_SAFETY_SIZE = 1 << 30;

/**
 * lpStringToInt64: the value of a string that is exactly an int64's
 * canonical decimal form (no sign on zero, no leading zeros), else null.
 * Short strings are decoded as Numbers; longer ones as BigInt when they
 * pass 2^53.
 */
export function listpackInteger(value: string): number | bigint | null {
  const length = value.length;
  if (length === 0 || length >= 21) return null;
  let i = 0;
  const negative = value.charCodeAt(0) === 45;
  if (negative) {
    i = 1;
    if (length === 1) return null;
  }
  const first = value.charCodeAt(i);
  if (first === 48) return length === 1 ? 0 : null;
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < length; j++) {
    const c = value.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (length - i <= 15) return Number(value);
  const big = BigInt(value);
  if (big > 9223372036854775807n || big < -9223372036854775808n) return null;
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** lpEncodeBacklen's size: how many bytes the backward length of an entry of `length` takes. */
function backlenSize(length: number): number {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

/** The bytes an element takes in a listpack (encoding, data, backlen): what quicklist counts. */
export function listpackEntrySize(value: string): number {
  const integer = listpackInteger(value);
  let size: number;
  if (integer !== null) size = integerEncodingSize(integer);
  else size = value.length < 64 ? 1 + value.length : value.length < 4096 ? 2 + value.length : 5 + value.length;
  return size + backlenSize(size);
}

function integerEncodingSize(v: number | bigint): number {
  if (typeof v === 'bigint') return 9;
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Appends entries (lpAppend / lpAppendInteger) into a growing buffer; finish() gives the listpack. */
export class ListpackBuilder {
  private buf: Buffer;
  private used = LISTPACK_HEADER_SIZE;
  private count = 0;

  constructor(capacity = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, 16));
  }

  get length(): number {
    return this.count;
  }

  /** Bytes the listpack would take if finished now (header and EOF included). */
  get bytes(): number {
    return this.used + 1;
  }

  /** lpAppend: integer-encoded when the string is an int64's canonical form, as Redis does. */
  append(value: string): void {
    const integer = listpackInteger(value);
    if (integer !== null) this.appendInteger(integer);
    else this.appendString(value);
  }

  /** lpAppendInteger. */
  appendInteger(v: number | bigint): void {
    const size = integerEncodingSize(v);
    this.reserve(size + 1);
    const buf = this.buf;
    const at = this.used;
    if (size === 1) {
      buf[at] = v as number;
    } else if (size === 2) {
      let n = v as number;
      if (n < 0) n += 1 << 13;
      buf[at] = (n >> 8) | 0xc0;
      buf[at + 1] = n & 0xff;
    } else if (size === 3) {
      buf[at] = 0xf1;
      buf.writeInt16LE(v as number, at + 1);
    } else if (size === 4) {
      buf[at] = 0xf2;
      buf.writeIntLE(v as number, at + 1, 3);
    } else if (size === 5) {
      buf[at] = 0xf3;
      buf.writeInt32LE(v as number, at + 1);
    } else {
      buf[at] = 0xf4;
      buf.writeBigInt64LE(BigInt(v), at + 1);
    }
    this.used += size;
    this.writeBacklen(size);
  }

  /** A string entry (latin1, one char per byte), never integer-encoded. */
  appendString(value: string): void {
    const length = value.length;
    const header = length < 64 ? 1 : length < 4096 ? 2 : 5;
    this.reserve(header + length + 5);
    const buf = this.buf;
    const at = this.used;
    if (header === 1) {
      buf[at] = 0x80 | length;
    } else if (header === 2) {
      buf[at] = 0xe0 | (length >> 8);
      buf[at + 1] = length & 0xff;
    } else {
      buf[at] = 0xf0;
      buf.writeUInt32LE(length, at + 1);
    }
    buf.write(value, at + header, 'latin1');
    this.used += header + length;
    this.writeBacklen(header + length);
  }

  finish(): Buffer {
    this.reserve(1);
    this.buf[this.used] = LISTPACK_EOF;
    const total = this.used + 1;
    this.buf.writeUInt32LE(total, 0);
    this.buf.writeUInt16LE(this.count < NUMELE_UNKNOWN ? this.count : NUMELE_UNKNOWN, 4);
    return this.buf.subarray(0, total);
  }

  /** lpEncodeBacklen, written after an entry of `length` bytes. */
  private writeBacklen(length: number): void {
    const buf = this.buf;
    let at = this.used;
    if (length <= 127) {
      buf[at++] = length;
    } else if (length < 16383) {
      buf[at++] = length >> 7;
      buf[at++] = (length & 127) | 128;
    } else if (length < 2097151) {
      buf[at++] = length >> 14;
      buf[at++] = ((length >> 7) & 127) | 128;
      buf[at++] = (length & 127) | 128;
    } else if (length < 268435455) {
      buf[at++] = length >> 21;
      buf[at++] = ((length >> 14) & 127) | 128;
      buf[at++] = ((length >> 7) & 127) | 128;
      buf[at++] = (length & 127) | 128;
    } else {
      buf[at++] = Math.floor(length / 2 ** 28);
      buf[at++] = ((length >> 21) & 127) | 128;
      buf[at++] = ((length >> 14) & 127) | 128;
      buf[at++] = ((length >> 7) & 127) | 128;
      buf[at++] = (length & 127) | 128;
    }
    this.used = at;
    this.count++;
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < this.used + extra) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

/** A listpack entry as read: a string, or an integer (number when it fits 2^53 exactly). */
export type ListpackEntry = string | number | bigint;

/** The text form of an entry (lpGet with an intbuf): what a value holds. */
export function entryText(entry: ListpackEntry): string {
  return typeof entry === 'string' ? entry : String(entry);
}

/**
 * lpValidateIntegrity(deep) plus reading: the entries of a listpack blob,
 * or null when the header, any entry's encoding, bounds or backlen, the
 * terminator or the element count is wrong. Integers come back as numbers
 * (bigint beyond 2^53), strings as latin1.
 */
export function readListpack(lp: Buffer): ListpackEntry[] | null {
  const size = lp.length;
  if (size < LISTPACK_HEADER_SIZE + 1) return null;
  if (lp.readUInt32LE(0) !== size) return null;
  if (lp[size - 1] !== LISTPACK_EOF) return null;
  const declared = lp.readUInt16LE(4);
  const entries: ListpackEntry[] = [];
  const last = size - 1;
  let p = LISTPACK_HEADER_SIZE;
  while (p < last) {
    const b = lp[p]!;
    let headerSize: number;
    let dataSize: number;
    let entry: ListpackEntry;
    if (b < 0x80) {
      headerSize = 1;
      dataSize = 0;
      entry = b;
    } else if ((b & 0xc0) === 0x80) {
      headerSize = 1;
      dataSize = b & 0x3f;
      entry = '';
    } else if ((b & 0xe0) === 0xc0) {
      headerSize = 2;
      dataSize = 0;
      if (p + 1 >= last) return null;
      let v = ((b & 0x1f) << 8) | lp[p + 1]!;
      if (v >= 1 << 12) v -= 1 << 13;
      entry = v;
    } else if ((b & 0xf0) === 0xe0) {
      if (p + 1 >= last) return null;
      headerSize = 2;
      dataSize = ((b & 0x0f) << 8) | lp[p + 1]!;
      entry = '';
    } else if (b === 0xf0) {
      if (p + 5 > last) return null;
      headerSize = 5;
      dataSize = lp.readUInt32LE(p + 1);
      entry = '';
    } else if (b >= 0xf1 && b <= 0xf4) {
      const width = b === 0xf1 ? 2 : b === 0xf2 ? 3 : b === 0xf3 ? 4 : 8;
      if (p + width >= last) return null;
      headerSize = 1 + width;
      dataSize = 0;
      if (width === 8) {
        const big = lp.readBigInt64LE(p + 1);
        entry = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
      } else {
        entry = lp.readIntLE(p + 1, width);
      }
    } else {
      // 0xf5..0xfe are no encoding; 0xff before the end is a short count.
      return null;
    }
    const entrySize = headerSize + dataSize;
    const backlen = backlenSize(entrySize);
    if (p + entrySize + backlen > last) return null;
    if (typeof entry === 'string') entry = lp.toString('latin1', p + headerSize, p + entrySize);
    if (decodeBacklen(lp, p + entrySize + backlen - 1, p + entrySize) !== entrySize) return null;
    entries.push(entry);
    p += entrySize + backlen;
  }
  if (p !== last) return null;
  if (declared !== NUMELE_UNKNOWN && declared !== entries.length) return null;
  return entries;
}

/** lpDecodeBacklen, reading backwards from `at` but never before `floor`. */
function decodeBacklen(lp: Buffer, at: number, floor: number): number {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at < floor) return -1;
    const b = lp[at]!;
    value += (b & 127) * 2 ** shift;
    if (!(b & 128)) return value;
    shift += 7;
    at--;
    if (shift > 28) return -1;
  }
}
