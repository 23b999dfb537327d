// Errors and the little-endian binary helpers behind the probabilistic types'
// dump formats (SCANDUMP/LOADCHUNK chunks and whole-value serialization).
// Blobs travel as latin1 strings, one char per byte, like every other value.

import { errors } from '../../errors.js';

/**
 * A failure the command layer replies with verbatim: the message is already
 * the Redis error text (RedisBloom's wording where it has one).
 */
export class ProbabilisticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbabilisticError';
  }
}

/** A NONSCALING bloom filter is at capacity and the item is not already in it. */
export class FilterFullError extends ProbabilisticError {
  constructor() {
    super(errors.bfNonScalingFull);
    this.name = 'FilterFullError';
  }
}

/** One step of a SCANDUMP: the iterator to pass next and the bytes, null when RedisBloom replies nil. */
export interface DumpChunk {
  readonly iter: number;
  readonly data: string | null;
}

/** RedisBloom's MAX_SCANDUMP_SIZE: no chunk is larger than this. */
export const MAX_DUMP_CHUNK_BYTES = 16 * 1024 * 1024;

/** OBJECT ENCODING of a module-type value in Redis. */
export const MODULE_VALUE_ENCODING = 'raw' as const;

export function latin1ToBytes(data: string): Uint8Array {
  return Buffer.from(data, 'latin1');
}

export function bytesToLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** Appends little-endian fields into a growing buffer. */
export class ByteWriter {
  private bytes = new Uint8Array(64);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  magic(tag: string): this {
    this.reserve(tag.length);
    for (let i = 0; i < tag.length; i++) this.bytes[this.length++] = tag.charCodeAt(i) & 0xff;
    return this;
  }

  u8(value: number): this {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
    return this;
  }

  u32(value: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
    return this;
  }

  /** Doubles also carry integer counts: exact up to 2^53, beyond any size we allocate. */
  f64(value: number): this {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** Counters, little-endian whatever the host's byte order. */
  u32Array(values: Uint32Array): this {
    this.reserve(values.length * 4);
    for (let i = 0; i < values.length; i++) {
      this.view.setUint32(this.length, values[i], true);
      this.length += 4;
    }
    return this;
  }

  /** A length-prefixed latin1 string, or null (length 0xffffffff). */
  nullableString(value: string | null): this {
    if (value === null) return this.u32(0xffffffff);
    this.u32(value.length);
    return this.raw(latin1ToBytes(value));
  }

  toLatin1(): string {
    return bytesToLatin1(this.bytes, 0, this.length);
  }
}

/** Reads fields written by ByteWriter; any overrun or mismatch throws ProbabilisticError(badData). */
export class ByteReader {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private offset = 0;

  constructor(
    data: string,
    private readonly badData: string,
  ) {
    this.bytes = latin1ToBytes(data);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(): never {
    throw new ProbabilisticError(this.badData);
  }

  private take(count: number): number {
    if (count < 0 || this.offset + count > this.bytes.length) this.fail();
    const at = this.offset;
    this.offset += count;
    return at;
  }

  expectMagic(tag: string): void {
    const at = this.take(tag.length);
    for (let i = 0; i < tag.length; i++) {
      if (this.bytes[at + i] !== tag.charCodeAt(i)) this.fail();
    }
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }

  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }

  f64(): number {
    return this.view.getFloat64(this.take(8), true);
  }

  /** A non-negative integer stored as a double, at most `max`. */
  count(max = Number.MAX_SAFE_INTEGER): number {
    const value = this.f64();
    if (!Number.isInteger(value) || value < 0 || value > max) this.fail();
    return value;
  }

  raw(length: number): Uint8Array {
    const at = this.take(length);
    return this.bytes.subarray(at, at + length);
  }

  /** `count` little-endian counters into a new array. */
  u32Array(count: number): Uint32Array {
    const at = this.take(count * 4);
    const values = new Uint32Array(count);
    for (let i = 0; i < count; i++) values[i] = this.view.getUint32(at + i * 4, true);
    return values;
  }

  nullableString(): string | null {
    const length = this.u32();
    if (length === 0xffffffff) return null;
    return bytesToLatin1(this.raw(length));
  }

  expectEnd(): void {
    if (this.offset !== this.bytes.length) this.fail();
  }
}
