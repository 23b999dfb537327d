/**
 * The pieces of Redis's RDB format (rdb.c) that DUMP payloads use: opcodes,
 * lengths, strings (plain, integer-encoded, LZF-compressed), and the footer
 * of RDB version and CRC64 that DUMP and FUNCTION DUMP append.
 *
 * Writing: strings are stored plain or integer-encoded, never
 * LZF-compressed. Redis reads both, so payloads move between reddish and
 * Redis either way; they are only longer than Redis's for long strings.
 */
import { crc64 } from './crc64.js';
import { lzfDecompress } from './lzf.js';

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

/** Builds a payload in RDB encoding. Strings are latin1, one char per byte. */
export class RdbWriter {
  private readonly chunks: Buffer[] = [];

  type(opcode: number): void {
    this.chunks.push(Buffer.from([opcode]));
  }

  /** rdbSaveLen. */
  length(value: number): void {
    if (value < 1 << 6) {
      this.chunks.push(Buffer.from([value]));
    } else if (value < 1 << 14) {
      this.chunks.push(Buffer.from([0x40 | (value >> 8), value & 0xff]));
    } else if (value <= 0xffffffff) {
      const bytes = Buffer.alloc(5);
      bytes[0] = 0x80;
      bytes.writeUInt32BE(value, 1);
      this.chunks.push(bytes);
    } else {
      const bytes = Buffer.alloc(9);
      bytes[0] = 0x81;
      bytes.writeBigUInt64BE(BigInt(value), 1);
      this.chunks.push(bytes);
    }
  }

  /** rdbSaveRawString without LZF: integer-encoded where Redis would, else length and bytes. */
  string(value: string): void {
    if (value.length <= 11) {
      const encoded = integerEncoding(value);
      if (encoded !== null) {
        this.chunks.push(encoded);
        return;
      }
    }
    this.length(value.length);
    this.chunks.push(Buffer.from(value, 'latin1'));
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** rdbTryIntegerEncoding: a string that is exactly an integer's decimal form, in 2, 3 or 5 bytes. */
function integerEncoding(value: string): Buffer | null {
  if (!/^(0|-?[1-9][0-9]*)$/.test(value)) return null;
  const n = Number(value);
  if (n >= -(1 << 7) && n <= (1 << 7) - 1) return Buffer.from([0xc0 | ENC_INT8, n & 0xff]);
  if (n >= -(1 << 15) && n <= (1 << 15) - 1) {
    const bytes = Buffer.alloc(3);
    bytes[0] = 0xc0 | ENC_INT16;
    bytes.writeInt16LE(n, 1);
    return bytes;
  }
  if (n >= -(2 ** 31) && n <= 2 ** 31 - 1) {
    const bytes = Buffer.alloc(5);
    bytes[0] = 0xc0 | ENC_INT32;
    bytes.writeInt32LE(n, 1);
    return bytes;
  }
  return null;
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
    const read = this.lengthOrEncoding();
    if (read === null) return null;
    if (!read.encoded) {
      const bytes = this.take(read.value);
      return bytes === null ? null : bytes.toString('latin1');
    }
    switch (read.value) {
      case ENC_INT8: {
        const bytes = this.take(1);
        return bytes === null ? null : String(bytes.readInt8(0));
      }
      case ENC_INT16: {
        const bytes = this.take(2);
        return bytes === null ? null : String(bytes.readInt16LE(0));
      }
      case ENC_INT32: {
        const bytes = this.take(4);
        return bytes === null ? null : String(bytes.readInt32LE(0));
      }
      case ENC_LZF: {
        const compressedLength = this.length();
        if (compressedLength === null) return null;
        const length = this.length();
        if (length === null) return null;
        const compressed = this.take(compressedLength);
        if (compressed === null) return null;
        const plain = lzfDecompress(compressed, length);
        return plain === null ? null : plain.toString('latin1');
      }
      default:
        return null;
    }
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
