/**
 * The RDB pieces FUNCTION DUMP/RESTORE use, against known values: Redis's
 * CRC64 check value (crc64.c's test: "123456789" -> e9c6d914c4b8d9ca), a
 * payload redis-server 7.0.15 produced, and the string encodings of rdb.c.
 */
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/persistence/crc64.js';
import { lzfDecompress } from '../../../src/persistence/lzf.js';
import { RdbReader, RdbWriter, dumpFooter, verifyDumpFooter } from '../../../src/persistence/rdb-encoding.js';

describe('crc64', () => {
  it('gives Redis check value', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('continues from a previous value', () => {
    const whole = crc64(Buffer.from('123456789'));
    expect(crc64(Buffer.from('6789'), crc64(Buffer.from('12345')))).toBe(whole);
  });

  it("matches the footer of redis-server 7.0.15's empty FUNCTION DUMP", () => {
    const payload = Buffer.from('0a005d9b5c400f7fa2da', 'hex');
    expect(verifyDumpFooter(payload)).toBe(10);
    expect(dumpFooter(Buffer.alloc(0))).toEqual(payload);
  });

  it('refuses a newer RDB version, a short payload and a bad checksum', () => {
    const payload = dumpFooter(Buffer.from('abc'));
    expect(verifyDumpFooter(payload)).toBe(10);
    const newer = Buffer.from(payload);
    newer.writeUInt16LE(11, 3);
    expect(verifyDumpFooter(newer)).toBeNull();
    expect(verifyDumpFooter(payload.subarray(0, 9))).toBeNull();
    const flipped = Buffer.from(payload);
    flipped[0]! ^= 0x10;
    expect(verifyDumpFooter(flipped)).toBeNull();
  });
});

describe('RDB strings', () => {
  it('round-trips lengths of every width and integer-encoded strings', () => {
    const values = ['', 'a', '0', '-1', '127', '-128', '128', '32767', '-32768', '32768', '2147483647', '-2147483648', '2147483648', '007', '1 ', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(16383), 'w'.repeat(16384), 'v'.repeat(70000)];
    const writer = new RdbWriter();
    for (const value of values) writer.string(value);
    const reader = new RdbReader(writer.finish());
    for (const value of values) expect(reader.string()).toBe(value);
    expect(reader.string()).toBeNull();
  });

  it('encodes as rdbSaveRawString does', () => {
    const encoded = (value: string): string => {
      const writer = new RdbWriter();
      writer.string(value);
      return writer.finish().toString('hex');
    };
    expect(encoded('12')).toBe('c00c');
    expect(encoded('-200')).toBe('c138ff');
    expect(encoded('100000')).toBe('c2a0860100');
    expect(encoded('012')).toBe('03303132');
    expect(encoded('a'.repeat(64))).toBe('4040' + '61'.repeat(64));
  });

  it('encodes blobs that read as integers as rdbSaveRawString does', () => {
    const encoded = (value: string): string => {
      const writer = new RdbWriter();
      writer.blob(Buffer.from(value, 'latin1'));
      return writer.finish().toString('hex');
    };
    expect(encoded('12')).toBe('c00c');
    expect(encoded('-32768')).toBe('c10080');
    expect(encoded('-2147483648')).toBe('c200000080');
    expect(encoded('-0')).toBe('022d30');
    expect(encoded('')).toBe('00');
  });

  it('writes and reads millisecond times as signed 64-bit little-endian integers, as BigInt does', () => {
    const times = [0, 1, -1, 1_700_000_000_123, -1_700_000_000_123, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 62, -(2 ** 63)];
    for (const time of times) {
      const writer = new RdbWriter();
      writer.millisecondTime(time);
      const bytes = writer.finish();
      const expected = Buffer.alloc(8);
      expected.writeBigInt64LE(BigInt(time));
      expect(bytes.toString('hex')).toBe(expected.toString('hex'));
      expect(new RdbReader(bytes).millisecondTime()).toBe(time);
    }
    // Beyond 2^53 the number is rounded as Number(bigint) rounds it.
    const far = Buffer.alloc(8);
    far.writeBigInt64LE(2n ** 62n + 1n);
    expect(new RdbReader(far).millisecondTime()).toBe(Number(2n ** 62n + 1n));
    far.writeBigInt64LE(2n ** 63n - 1n);
    expect(new RdbReader(far).millisecondTime()).toBe(Number(2n ** 63n - 1n));
  });

  it('reads an LZF-compressed string', () => {
    // 28 'a's: a literal run of one 'a' (ctrl 0), then a back reference to
    // offset 0 of length 7 + 18 + 2 = 27 (ctrl 0xe0, extra length 0x12, offset 0).
    const run = Buffer.from([0x00, 0x61, 0xe0, 0x12, 0x00]);
    expect(lzfDecompress(run, 28)?.toString()).toBe('a'.repeat(28));
    const record = Buffer.concat([Buffer.from([0xc3, run.length, 28]), run]);
    expect(new RdbReader(record).string()).toBe('a'.repeat(28));
  });

  it('refuses corrupt LZF data', () => {
    expect(lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toBeNull();
    expect(lzfDecompress(Buffer.from([0x20, 0x00]), 6)).toBeNull();
    expect(lzfDecompress(Buffer.from([0x00, 0x61]), 2)).toBeNull();
  });
});
