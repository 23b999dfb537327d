/**
 * Redis's CRC64 (crc64.c): the Jones polynomial 0xad93d23594c935a9,
 * reflected, initial value 0, no final xor. DUMP payloads and RDB files
 * end with it. Check value: crc64(0, "123456789") = 0xe9c6d914c4b8d9ca.
 *
 * JavaScript has no 64-bit integers short of BigInt, which allocates per
 * step; the CRC is kept as two 32-bit halves with a table per half.
 */
const REFLECTED_POLY = 0x95ac9329ac4bc9b5n;

const TABLE_HIGH = new Uint32Array(256);
const TABLE_LOW = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let crc = BigInt(i);
  for (let bit = 0; bit < 8; bit++) crc = (crc & 1n) !== 0n ? (crc >> 1n) ^ REFLECTED_POLY : crc >> 1n;
  TABLE_HIGH[i] = Number(crc >> 32n);
  TABLE_LOW[i] = Number(crc & 0xffffffffn);
}

/** The CRC64 of `data` continued from `crc` (0 to start), as a 64-bit unsigned BigInt. */
export function crc64(data: Uint8Array, crc = 0n, start = 0, end = data.length): bigint {
  let high = Number(crc >> 32n) >>> 0;
  let low = Number(crc & 0xffffffffn) >>> 0;
  for (let i = start; i < end; i++) {
    const index = (low ^ data[i]!) & 0xff;
    low = ((low >>> 8) | (high << 24)) ^ TABLE_LOW[index]!;
    high = (high >>> 8) ^ TABLE_HIGH[index]!;
  }
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}
