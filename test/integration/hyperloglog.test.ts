/**
 * PFADD, PFCOUNT and PFMERGE through real sockets. HLLs are string values,
 * so most checks read the exact bytes back; every expected value and byte
 * string was checked against redis-server 7.0.15.
 */
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { hllLastPatIndex, hllPatLen } from '../../src/store/hyperloglog.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const START = 1_700_000_000_000;
const WRONGTYPE = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
const NOT_HLL = '-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n';
const CORRUPTED = '-INVALIDOBJ Corrupted HLL object detected\r\n';
const HEADER = 'HYLL\x01\0\0\0';
/** An empty sparse HLL: the header (cache flagged stale) and one XZERO of 16384 registers. */
const EMPTY_HLL = HEADER + '\0'.repeat(7) + '\x80' + '\x7f\xff';
/** Sparse opcodes that describe only the first 8192 registers: corrupted (no valid cached count either). */
const HALF_HLL = HEADER + '\0'.repeat(7) + '\x80' + '\x5f\xff';

const t = useServer({ clock: START, resetClock: true });
const { call, db, storeList, bytes } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
beforeAll(() => {
  ({ server, redis } = t);
});

/** The register an element lands in, to build inputs that hit chosen registers. */
function registerOf(element: string): number {
  hllPatLen(element);
  return hllLastPatIndex();
}

const THOUSAND = Array.from({ length: 1000 }, (_, i) => `e${i}`);

describe('PFADD', () => {
  it('answers 1 when it creates the key or changes a register, else 0', async () => {
    expect(await redis.pfadd('h', 'a', 'b', 'c')).toBe(1);
    expect(await redis.pfadd('h', 'a', 'b')).toBe(0);
    expect(await redis.pfadd('h', 'd')).toBe(1);
    expect(await call('PFADD', 'empty')).toBe(':1\r\n');
    expect(await call('PFADD', 'empty')).toBe(':0\r\n');
    expect(bytes('empty')).toBe(EMPTY_HLL);
    expect(await redis.type('empty')).toBe('string');
  });

  it('writes the sparse encoding Redis writes, with the cached count marked stale', async () => {
    await redis.pfadd('h', 'a', 'b', 'c');
    expect(bytes('h')).toBe(HEADER + '\0'.repeat(7) + '\x80' + '\x60\xf3\x80\x50\xb1\x84\x4b\xfb\x80\x42\x5a');
  });

  it('turns dense past hll-sparse-max-bytes', async () => {
    await redis.pfadd('sparse', ...THOUSAND);
    expect(await redis.strlen('sparse')).toBe(1906);
    await redis.config('SET', 'hll-sparse-max-bytes', '0');
    try {
      await redis.pfadd('dense', 'x');
      expect(await redis.strlen('dense')).toBe(12304);
      expect(bytes('dense').charCodeAt(4)).toBe(0);
    } finally {
      await redis.config('SET', 'hll-sparse-max-bytes', '3000');
    }
  });

  it('keeps the TTL', async () => {
    await redis.pfadd('h', 'a');
    await redis.expire('h', 100);
    await redis.pfadd('h', 'b');
    expect(db().getExpire('h')).toBe(START + 100_000);
  });

  it('refuses other types and strings that are not HLLs', async () => {
    storeList('l');
    await redis.set('s', 'not an hll at all');
    expect(await call('PFADD', 'l', 'x')).toBe(WRONGTYPE);
    expect(await call('PFADD', 's', 'x')).toBe(NOT_HLL);
    // "HYLL" with a bad encoding byte, or a dense one of the wrong size.
    await redis.set('s', 'HYLL\x02' + '\0'.repeat(11));
    expect(await call('PFADD', 's', 'x')).toBe(NOT_HLL);
    await redis.set('s', 'HYLL\x00' + '\0'.repeat(11));
    expect(await call('PFADD', 's', 'x')).toBe(NOT_HLL);
  });

  it('keeps the elements added before it meets a corrupted opcode', async () => {
    expect([registerOf('d'), registerOf('f'), registerOf('a')].map((r) => r < 8192)).toEqual([true, true, false]);
    await call('SET', 'bad', HALF_HLL);
    expect(await call('PFADD', 'bad', 'a')).toBe(CORRUPTED);
    expect(bytes('bad')).toBe(HALF_HLL);
    expect(await call('PFADD', 'bad', 'd', 'f', 'a')).toBe(CORRUPTED);
    expect(bytes('bad')).toBe(HEADER + '\0'.repeat(7) + '\x80' + '\x46\x6d\x80\x56\x0c\x80\x43\x82');
  });
});

describe('PFCOUNT', () => {
  it('estimates one key, caching the count in the header', async () => {
    expect(await redis.pfcount('nokey')).toBe(0);
    await redis.pfadd('h', ...THOUSAND);
    expect(await redis.pfcount('h')).toBe(1008);
    // The cache is valid now: the count is little endian at byte 8, the stale flag cleared.
    expect(bytes('h').slice(8, 16)).toBe('\xf0\x03\0\0\0\0\0\0');
    expect(await redis.pfcount('h')).toBe(1008);
    await redis.pfadd('h', 'e0');
    expect(bytes('h').charCodeAt(15)).toBe(0);
    await redis.pfadd('h', 'new element');
    expect(bytes('h').charCodeAt(15)).toBe(0x80);
  });

  it('estimates the union of several keys without writing', async () => {
    await redis.pfadd('h1', ...THOUSAND.slice(0, 600));
    await redis.pfadd('h2', ...THOUSAND.slice(400));
    const before = [bytes('h1'), bytes('h2')];
    expect(await redis.pfcount('h1', 'h2', 'nokey')).toBe(1008);
    expect([bytes('h1'), bytes('h2')]).toEqual(before);
  });

  it('a recomputed count is a write: it breaks a WATCH; a cached one does not', async () => {
    await redis.pfadd('h', 'a', 'b');
    const watcher = await RawClient.connect(server.port);
    try {
      const transaction = async (): Promise<string> => {
        await watcher.call('WATCH', 'h');
        await redis.pfcount('h');
        await watcher.call('MULTI');
        await watcher.call('PING');
        return (await watcher.call('EXEC')).toString('latin1');
      };
      expect(await transaction()).toBe('*-1\r\n');
      expect(await transaction()).toBe('*1\r\n+PONG\r\n');
    } finally {
      await watcher.close();
    }
  });

  it('checks each key, type then contents, before the next', async () => {
    storeList('l');
    await redis.set('s', 'not an hll at all');
    await call('SET', 'bad', HALF_HLL);
    await redis.pfadd('h', 'a');
    expect(await call('PFCOUNT', 'l')).toBe(WRONGTYPE);
    expect(await call('PFCOUNT', 's')).toBe(NOT_HLL);
    expect(await call('PFCOUNT', 'bad')).toBe(CORRUPTED);
    expect(await call('PFCOUNT', 'h', 'bad')).toBe(CORRUPTED);
    expect(await call('PFCOUNT', 'bad', 'l')).toBe(CORRUPTED);
    expect(await call('PFCOUNT', 'l', 'bad')).toBe(WRONGTYPE);
    expect(await call('PFCOUNT', 's', 'l')).toBe(NOT_HLL);
    expect(await call('PFCOUNT', 'h', 'l')).toBe(WRONGTYPE);
  });
});

describe('PFMERGE', () => {
  it('stores the union of every key, the destination included', async () => {
    await redis.pfadd('h1', ...THOUSAND.slice(0, 600));
    await redis.pfadd('h2', ...THOUSAND.slice(400, 800));
    await redis.pfadd('dest', ...THOUSAND.slice(800));
    expect(await redis.pfmerge('dest', 'h1', 'h2', 'nokey')).toBe('OK');
    expect(await redis.pfcount('dest')).toBe(1008);
  });

  it('creates a missing destination, sparse unless an input is dense', async () => {
    await redis.pfadd('h', 'a', 'b', 'c');
    expect(await redis.pfmerge('m')).toBe('OK');
    expect(bytes('m')).toBe(EMPTY_HLL);
    expect(await redis.pfmerge('m2', 'h', 'nokey')).toBe('OK');
    expect(bytes('m2')).toBe(bytes('h'));
    await redis.config('SET', 'hll-sparse-max-bytes', '0');
    try {
      await redis.pfadd('dense', 'x');
    } finally {
      await redis.config('SET', 'hll-sparse-max-bytes', '3000');
    }
    expect(await redis.pfmerge('m3', 'h', 'dense')).toBe('OK');
    expect(await redis.strlen('m3')).toBe(12304);
    expect(await redis.pfcount('m3')).toBe(4);
  });

  it('keeps the destination TTL', async () => {
    await redis.pfadd('dest', 'a');
    await redis.expire('dest', 100);
    await redis.pfadd('h', 'b');
    await redis.pfmerge('dest', 'h');
    expect(db().getExpire('dest')).toBe(START + 100_000);
  });

  it('checks every key, the destination first, before writing anything', async () => {
    storeList('l');
    await call('SET', 'bad', HALF_HLL);
    await redis.pfadd('h', 'a');
    const before = bytes('h');
    expect(await call('PFMERGE', 'l', 'h')).toBe(WRONGTYPE);
    expect(await call('PFMERGE', 'h', 'bad')).toBe(CORRUPTED);
    expect(await call('PFMERGE', 'h', 'bad', 'l')).toBe(CORRUPTED);
    expect(await call('PFMERGE', 'h', 'l', 'bad')).toBe(WRONGTYPE);
    expect(await call('PFMERGE', 'nokey', 'l')).toBe(WRONGTYPE);
    expect(bytes('h')).toBe(before);
    expect(await redis.exists('nokey')).toBe(0);
  });
});
