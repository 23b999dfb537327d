/**
 * The pieces of Redis's RDB format (rdb.c) that DUMP payloads use: opcodes,
 * lengths, strings (plain, integer-encoded, LZF-compressed), and the footer
 * of RDB version and CRC64 that DUMP and FUNCTION DUMP append.
 *
 * Writing: strings are stored integer-encoded where Redis would, and
 * LZF-compressed when the caller asks (rdbcompression), as rdbSaveRawString
 * does.
 */
import { crc64 } from './crc64.js';
import { lzfCompressInto, lzfDecompress } from './lzf.js';

/** RDB_VERSION of Redis 7.0. */
export const RDB_VERSION = 10;

export const RdbOpcode = {
  /** A function library: its code (7.0 GA). */
  function2: 245,
  /** A function library in 7.0 rc1/rc2's form: name, engine, description, code. */
  function: 246,
} as const;

const ENCODED = 3;
const ENC_INT8 = 0;
const ENC_INT16 = 1;
const ENC_INT32 = 2;
const ENC_LZF = 3;

/**
 * Builds a payload in RDB encoding into one growing buffer (a snapshot of
 * a large keyspace writes millions of small items). Strings are latin1,
 * one char per byte.
 */
export class RdbWriter {
  private buf: Buffer;
  private used = 0;

  /** `buffer`: memory to write into (a buffer reused from an earlier writer); a new one of `capacity` bytes by default. */
  constructor(capacity = 256, buffer?: Buffer) {
    this.buf = buffer ?? Buffer.allocUnsafe(capacity);
  }

  /** The whole buffer written into, for reuse once what finish() returned is no longer needed. */
  get backing(): Buffer {
    return this.buf;
  }

  /** Bytes written so far. */
  get size(): number {
    return this.used;
  }

  type(opcode: number): void {
    this.reserve(1);
    this.buf[this.used++] = opcode;
  }

  /** rdbSaveLen. */
  length(value: number): void {
    this.reserve(9);
    const buf = this.buf;
    if (value < 1 << 6) {
      buf[this.used++] = value;
    } else if (value < 1 << 14) {
      buf[this.used++] = 0x40 | (value >> 8);
      buf[this.used++] = value & 0xff;
    } else if (value <= 0xffffffff) {
      buf[this.used] = 0x80;
      buf.writeUInt32BE(value, this.used + 1);
      this.used += 5;
    } else {
      buf[this.used] = 0x81;
      buf.writeBigUInt64BE(BigInt(value), this.used + 1);
      this.used += 9;
    }
  }

  /** rdbSaveLen of a 64-bit value (stream IDs and counters; -1 is written as 2^64 - 1, as C's cast does). */
  length64(value: bigint): void {
    const unsigned = BigInt.asUintN(64, value);
    if (unsigned <= 0xffffffffn) {
      this.length(Number(unsigned));
      return;
    }
    this.reserve(9);
    this.buf[this.used] = 0x81;
    this.buf.writeBigUInt64BE(unsigned, this.used + 1);
    this.used += 9;
  }

  /**
   * rdbSaveRawString: integer-encoded where Redis would; with `compress`
   * (rdbcompression), LZF for strings over 20 bytes that shrink by at
   * least 4; else length and bytes.
   */
  string(value: string, compress = false): void {
    // Only a digit or '-' can start an integer: most keys are turned away by one comparison.
    if (value.length <= 11 && value.length !== 0 && mayBeInteger(value.charCodeAt(0)) && this.integer(value)) return;
    if (compress && value.length > 20) {
      // The bytes go to a scratch buffer: a snapshot compresses millions of values, and each Buffer.from is garbage.
      if (scratch.length < value.length) scratch = Buffer.allocUnsafe(Math.max(value.length, scratch.length * 2));
      if (this.lzf(scratch, scratch.latin1Write(value, 0))) return;
    }
    const length = value.length;
    this.length(length);
    this.reserve(length);
    if (length <= SHORT_STRING) {
      // A short string is copied here: the call into latin1Write cost more than the copy.
      const buf = this.buf;
      const at = this.used;
      for (let i = 0; i < length; i++) buf[at + i] = value.charCodeAt(i);
      this.used = at + length;
      return;
    }
    // latin1Write, not write(value, offset, 'latin1'): the encoding lookup was a quarter of a snapshot's time.
    this.used += this.buf.latin1Write(value, this.used);
  }

  /** rdbSaveRawString of a binary blob (a listpack, an intset): LZF under `compress` as for strings. */
  blob(value: Buffer, compress = false): void {
    if (value.length <= 11 && value.length !== 0 && mayBeInteger(value[0]!) && this.integer(value.latin1Slice(0, value.length))) return;
    if (compress && value.length > 20 && this.lzf(value, value.length)) return;
    this.length(value.length);
    this.bytes(value);
  }

  /**
   * rdbSaveLzfStringObject of the first `length` bytes of `plain`: false
   * when LZF does not save 4 bytes (the caller stores it verbatim).
   */
  private lzf(plain: Uint8Array, length: number): boolean {
    if (compressed.length < length) compressed = Buffer.allocUnsafe(Math.max(length, compressed.length * 2));
    const compressedLength = lzfCompressInto(plain, length, compressed, length - 4);
    if (compressedLength === 0) return false;
    this.type(0xc0 | ENC_LZF);
    this.length(compressedLength);
    this.length(length);
    this.reserve(compressedLength);
    compressed.copy(this.buf, this.used, 0, compressedLength);
    this.used += compressedLength;
    return true;
  }

  /** rdbSaveBinaryDoubleValue: 8 bytes, little-endian. */
  binaryDouble(value: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(value, this.used);
    this.used += 8;
  }

  /** rdbSaveMillisecondTime: a signed 64-bit little-endian integer. */
  millisecondTime(value: number): void {
    this.reserve(8);
    if (Number.isSafeInteger(value)) {
      // As two 32-bit halves: a BigInt per key with a TTL was most of a snapshot's garbage.
      const high = Math.floor(value / 0x100000000);
      this.buf.writeUInt32LE(value - high * 0x100000000, this.used);
      this.buf.writeInt32LE(high, this.used + 4);
    } else {
      this.buf.writeBigInt64LE(BigInt(value), this.used);
    }
    this.used += 8;
  }

  /** rdbWriteRaw. */
  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buf.set(value, this.used);
    this.used += value.length;
  }

  /**
   * rdbTryIntegerEncoding: writes `text` in 2, 3 or 5 bytes when it is
   * exactly an integer's decimal form that fits 32 bits; false otherwise.
   */
  private integer(text: string): boolean {
    if (!INTEGER_TEXT.test(text)) return false;
    const n = Number(text);
    if (n < -(2 ** 31) || n > 2 ** 31 - 1) return false;
    this.reserve(5);
    const buf = this.buf;
    if (n >= -(1 << 7) && n <= (1 << 7) - 1) {
      buf[this.used] = 0xc0 | ENC_INT8;
      buf.writeInt8(n, this.used + 1);
      this.used += 2;
    } else if (n >= -(1 << 15) && n <= (1 << 15) - 1) {
      buf[this.used] = 0xc0 | ENC_INT16;
      buf.writeInt16LE(n, this.used + 1);
      this.used += 3;
    } else {
      buf[this.used] = 0xc0 | ENC_INT32;
      buf.writeInt32LE(n, this.used + 1);
      this.used += 5;
    }
    return true;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.used);
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

/** Up to this length RdbWriter.string copies a string's bytes itself. */
const SHORT_STRING = 32;

/** Where string() puts a value's bytes before trying LZF on them, and where LZF puts its output. */
let scratch = Buffer.allocUnsafe(4096);
let compressed = Buffer.allocUnsafe(4096);

/** The decimal form of an integer, as Redis's string2ll accepts it when it round-trips. */
const INTEGER_TEXT = /^(0|-?[1-9][0-9]*)$/;

/** Whether a string starting with this code unit could be an integer's text: '-' or a digit. */
function mayBeInteger(first: number): boolean {
  return first === 45 || (first >= 48 && first <= 57);
}

/** Reads RDB encoding from a buffer; every read returns null past the end or on bad data. */
export class RdbReader {
  position = 0;

  constructor(private readonly data: Buffer) {}

  type(): number | null {
    if (this.position >= this.data.length) return null;
    return this.data[this.position++]!;
  }

  /** rdbLoadLen, for a plain length. */
  length(): number | null {
    const read = this.lengthOrEncoding();
    return read === null || read.encoded ? null : read.value;
  }

  /** rdbGenericLoadStringObject, as latin1. */
  string(): string | null {
    const data = this.data;
    const first = data[this.position];
    // An integer-encoded string (counters, numeric members) becomes its decimal text with no Buffer in between.
    if (first === (0xc0 | ENC_INT8) || first === (0xc0 | ENC_INT16) || first === (0xc0 | ENC_INT32)) {
      const at = ++this.position;
      const width = 1 << (first & 3);
      if (width > data.length - at) return null;
      this.position = at + width;
      return String(width === 1 ? data.readInt8(at) : width === 2 ? data.readInt16LE(at) : data.readInt32LE(at));
    }
    const bytes = this.blob();
    return bytes === null ? null : bytes.latin1Slice(0, bytes.length);
  }

  /** rdbGenericLoadStringObject(RDB_LOAD_PLAIN): the bytes (integer encodings as their decimal text). */
  blob(): Buffer | null {
    const read = this.lengthOrEncoding();
    if (read === null) return null;
    if (!read.encoded) return this.take(read.value);
    switch (read.value) {
      case ENC_INT8: {
        const bytes = this.take(1);
        return bytes === null ? null : Buffer.from(String(bytes.readInt8(0)), 'latin1');
      }
      case ENC_INT16: {
        const bytes = this.take(2);
        return bytes === null ? null : Buffer.from(String(bytes.readInt16LE(0)), 'latin1');
      }
      case ENC_INT32: {
        const bytes = this.take(4);
        return bytes === null ? null : Buffer.from(String(bytes.readInt32LE(0)), 'latin1');
      }
      case ENC_LZF: {
        const compressedLength = this.length();
        if (compressedLength === null) return null;
        const length = this.length();
        if (length === null) return null;
        const compressed = this.take(compressedLength);
        if (compressed === null) return null;
        // LZF expands at most 88-fold (3 bytes for a 264-byte reference): a
        // longer claimed length is corrupt, and must not be allocated.
        if (length > compressedLength * 88) return null;
        return lzfDecompress(compressed, length);
      }
      default:
        return null;
    }
  }

  /** rdbLoadBinaryDoubleValue. */
  binaryDouble(): number | null {
    const bytes = this.take(8);
    return bytes === null ? null : bytes.readDoubleLE(0);
  }

  /** rdbLoadDoubleValue: the old text form (a length byte; 253 nan, 254 inf, 255 -inf). */
  double(): number | null {
    const length = this.type();
    if (length === null) return null;
    if (length === 253) return NaN;
    if (length === 254) return Infinity;
    if (length === 255) return -Infinity;
    const bytes = this.take(length);
    if (bytes === null) return null;
    const value = Number.parseFloat(bytes.toString('latin1'));
    return Number.isNaN(value) && !/nan/i.test(bytes.toString('latin1')) ? null : value;
  }

  /** rdbLoadMillisecondTime. */
  millisecondTime(): number | null {
    if (this.data.length - this.position < 8) return null;
    const value = int64At(this.data, this.position);
    this.position += 8;
    return value;
  }

  /** rdbLoadLen for the 64-bit values RDB stores as lengths (stream IDs): a bigint. */
  length64(): bigint | null {
    const first = this.type();
    if (first === null) return null;
    if (first === 0x81) {
      const bytes = this.take(8);
      return bytes === null ? null : bytes.readBigUInt64BE(0);
    }
    this.position--;
    const value = this.length();
    return value === null ? null : BigInt(value);
  }

  /** rdbLoadRaw: exactly `count` bytes. */
  bytes(count: number): Buffer | null {
    return this.take(count);
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.data.length - this.position;
  }

  private lengthOrEncoding(): { value: number; encoded: boolean } | null {
    const first = this.type();
    if (first === null) return null;
    const kind = first >> 6;
    if (kind === ENCODED) return { value: first & 0x3f, encoded: true };
    if (kind === 0) return { value: first & 0x3f, encoded: false };
    if (kind === 1) {
      const second = this.type();
      return second === null ? null : { value: ((first & 0x3f) << 8) | second, encoded: false };
    }
    if (first === 0x80) {
      const bytes = this.take(4);
      return bytes === null ? null : { value: bytes.readUInt32BE(0), encoded: false };
    }
    if (first === 0x81) {
      const bytes = this.take(8);
      if (bytes === null) return null;
      const value = bytes.readBigUInt64BE(0);
      // Longer than any buffer this process could hold: the data is bad.
      return value > BigInt(Number.MAX_SAFE_INTEGER) ? null : { value: Number(value), encoded: false };
    }
    return null;
  }

  private take(count: number): Buffer | null {
    if (count > this.data.length - this.position) return null;
    const bytes = this.data.subarray(this.position, this.position + count);
    this.position += count;
    return bytes;
  }
}

/**
 * The signed 64-bit little-endian integer at `at`, as a number (rounded
 * as Number(bigint) rounds beyond 2^53), read as two 32-bit halves: a
 * BigInt per key with a TTL was a load's garbage.
 */
export function int64At(data: Buffer, at: number): number {
  return data.readInt32LE(at + 4) * 0x100000000 + data.readUInt32LE(at);
}

/** DUMP's footer: the RDB version (2 bytes, little-endian), then the CRC64 of all before it (8 bytes, little-endian). */
export function dumpFooter(body: Buffer): Buffer {
  const payload = Buffer.alloc(body.length + 10);
  body.copy(payload);
  payload.writeUInt16LE(RDB_VERSION, body.length);
  payload.writeBigUInt64LE(crc64(payload, 0n, 0, body.length + 2), body.length + 2);
  return payload;
}

/** verifyDumpPayload: the payload's RDB version, or null when it is newer than ours or the checksum is wrong. */
export function verifyDumpFooter(payload: Buffer): number | null {
  if (payload.length < 10) return null;
  const version = payload.readUInt16LE(payload.length - 10);
  if (version > RDB_VERSION) return null;
  const expected = payload.readBigUInt64LE(payload.length - 8);
  return crc64(payload, 0n, 0, payload.length - 8) === expected ? version : null;
}

/**
 * A payload Redis would refuse: rdbReportCorruptRDB's reason, or a short
 * read. RESTORE answers "Bad data format"; the RDB loader logs the reason.
 */
export class RdbCorruptError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RdbCorruptError';
  }
}

/** A read that came back null (short or undecodable data) is Redis's short read. */
export function need<T>(value: T | null): T {
  if (value === null) throw new RdbCorruptError('Short read or OOM loading DB');
  return value;
}

