import { describe, expect, it } from 'vitest';
import {
  createHll,
  HLL_DENSE_SIZE,
  HLL_REGISTERS,
  HllCorruptedError,
  hllLastPatIndex,
  hllPatLen,
  HllWrongTypeError,
  isValidHllObject,
  pfAdd,
  pfCount,
  pfMerge,
} from '../../../src/store/hyperloglog.js';
import { murmurHash64A } from '../../../src/store/murmur64.js';
import { mulberry32 } from '../../helpers/random.js';
import { findRedisServer, useRedisServer } from '../../helpers/redis-server.js';
import { replyToTyped, type CommandArg, type ErrorReply as RespError, type TypedReply } from '../../helpers/resp-client.js';

/* ------------------------------- helpers -------------------------------- */

/** Straight BigInt transcription of MurmurHash64A, to check the fast one. */
function murmurReference(key: Uint8Array, seed: bigint): bigint {
  const m = 0xc6a4a7935bd1e995n;
  const u = (x: bigint): bigint => BigInt.asUintN(64, x);
  let h = u(seed ^ u(BigInt(key.length) * m));
  const end = key.length - (key.length & 7);
  let i = 0;
  for (; i < end; i += 8) {
    let k = 0n;
    for (let j = 7; j >= 0; j--) k = (k << 8n) | BigInt(key[i + j]!);
    k = u(k * m);
    k ^= k >> 47n;
    k = u(k * m);
    h ^= k;
    h = u(h * m);
  }
  const tail = key.length & 7;
  if (tail) {
    for (let j = tail - 1; j >= 0; j--) h ^= BigInt(key[i + j]!) << BigInt(8 * j);
    h = u(h * m);
  }
  h ^= h >> 47n;
  h = u(h * m);
  h ^= h >> 47n;
  return h;
}

/** Registers of an HLL as plain numbers, decoding either encoding. */
function registersOf(buf: Buffer): number[] {
  const regs: number[] = [];
  if (buf[4] === 0) {
    for (let i = 0; i < HLL_REGISTERS; i++) {
      const bit = i * 6;
      const byte = 16 + (bit >> 3);
      const v = (buf[byte]! | ((buf[byte + 1] ?? 0) << 8)) >> (bit & 7);
      regs.push(v & 63);
    }
    return regs;
  }
  for (let p = 16; p < buf.length; ) {
    const op = buf[p]!;
    if ((op & 0xc0) === 0) {
      for (let n = (op & 63) + 1; n > 0; n--) regs.push(0);
      p++;
    } else if ((op & 0xc0) === 0x40) {
      for (let n = (((op & 63) << 8) | buf[p + 1]!) + 1; n > 0; n--) regs.push(0);
      p += 2;
    } else {
      for (let n = (op & 3) + 1; n > 0; n--) regs.push(((op >> 2) & 31) + 1);
      p++;
    }
  }
  return regs;
}

/* --------------------------------- unit --------------------------------- */

describe('MurmurHash64A', () => {
  it('matches a BigInt transcription of the C code for all tail lengths', () => {
    const rng = mulberry32(7);
    const out = { hi: 0, lo: 0 };
    for (let n = 0; n < 600; n++) {
      const key = Uint8Array.from({ length: n % 40 }, () => Math.floor(rng() * 256));
      murmurHash64A(key, key.length, 0xadc83b19, out);
      const got = (BigInt(out.hi) << 32n) | BigInt(out.lo);
      expect(got).toBe(murmurReference(key, 0xadc83b19n));
    }
  });

  it('derives register index and run length from the hash like hllPatLen()', () => {
    const rng = mulberry32(8);
    for (let n = 0; n < 300; n++) {
      const key = Uint8Array.from({ length: 1 + (n % 20) }, () => Math.floor(rng() * 256));
      const h = murmurReference(key, 0xadc83b19n);
      let rest = (h >> 14n) | (1n << 50n);
      let count = 1;
      while ((rest & 1n) === 0n) {
        count++;
        rest >>= 1n;
      }
      expect(hllPatLen(key)).toBe(count);
      expect(hllLastPatIndex()).toBe(Number(h & 16383n));
    }
  });
});

describe('HLL encoding', () => {
  it('hashes latin1 strings exactly like their bytes', () => {
    const rng = mulberry32(11);
    for (const len of [0, 1, 7, 8, 63, 64, 65, 255, 256, 257, 1000]) {
      const bytes = Buffer.from(Array.from({ length: len }, () => Math.floor(rng() * 256)));
      const fromBytes = hllPatLen(bytes);
      const index = hllLastPatIndex();
      expect(hllPatLen(bytes.toString('latin1'))).toBe(fromBytes);
      expect(hllLastPatIndex()).toBe(index);
    }
  });


  it('creates the empty sparse HLL Redis creates', () => {
    expect(createHll().toString('hex')).toBe('48594c4c' + '01000000' + '0000000000000000' + '7fff');
  });

  it('produces the bytes redis-server 7.0 stores for PFADD h a b c', () => {
    const { updated, buf } = pfAdd(null, ['a', 'b', 'c']);
    expect(updated).toBe(true);
    expect(buf.toString('hex')).toBe('48594c4c01000000000000000000008060f38050b1844bfb80425a');
    const r = pfCount([buf]);
    expect(r.count).toBe(3);
    // The cache is written back and then reused.
    expect(r.buf!.subarray(8, 16).toString('hex')).toBe('0300000000000000');
    expect(pfCount([r.buf!])).toEqual({ count: 3 });
  });

  it('validates like isHLLObjectOrReply()', () => {
    expect(isValidHllObject(createHll())).toBe(true);
    expect(isValidHllObject(Buffer.from('HYLL'))).toBe(false);
    const dense = Buffer.alloc(HLL_DENSE_SIZE);
    dense.write('HYLL');
    expect(isValidHllObject(dense)).toBe(true);
    expect(isValidHllObject(dense.subarray(0, HLL_DENSE_SIZE - 1))).toBe(false);
    const bad = Buffer.from(createHll());
    bad[4] = 2;
    expect(isValidHllObject(bad)).toBe(false);
    bad[4] = 1;
    bad[0] = 0x68;
    expect(isValidHllObject(bad)).toBe(false);
    expect(() => pfAdd(bad, ['x'])).toThrow(HllWrongTypeError);
    expect(() => pfCount([null, bad])).toThrow(HllWrongTypeError);
  });

  it('keeps the input untouched and reports no update for known elements', () => {
    const a = pfAdd(null, ['x', 'y']).buf;
    const copy = Buffer.from(a);
    const again = pfAdd(a, ['x', 'y']);
    expect(again.updated).toBe(false);
    expect(again.buf).toBe(a);
    expect(a.equals(copy)).toBe(true);
  });

  it('promotes to dense past hll-sparse-max-bytes and keeps the registers', () => {
    const elements = Array.from({ length: 3000 }, (_, i) => `e${i}`);
    let sparse = pfAdd(null, elements.slice(0, 100), 1 << 20).buf;
    const dense = pfAdd(null, elements, 3000).buf;
    expect(dense.length).toBe(HLL_DENSE_SIZE);
    expect(dense[4]).toBe(0);
    sparse = pfAdd(sparse, elements.slice(100), 1 << 20).buf;
    expect(sparse[4]).toBe(1);
    expect(registersOf(sparse)).toEqual(registersOf(dense));
    const c = pfCount([dense]).count as number;
    expect(Math.abs(c - 3000) / 3000).toBeLessThan(0.03);
  });

  it('reports corrupted sparse data', () => {
    const bad = Buffer.from(createHll());
    bad[15] = 0x80; // Stale cache, or PFCOUNT would just return it.
    bad[17] = 0xfe; // XZERO 16383: one register short.
    expect(() => pfCount([bad])).toThrow(HllCorruptedError);
    expect(() => pfCount([bad, null])).toThrow(HllCorruptedError);
    expect(() => pfMerge(null, [bad])).toThrow(HllCorruptedError);
  });
});

/* ----------------------------- differential ----------------------------- */

/** Override to stress other sequences: REDDISH_DIFF_SEED=n npx vitest run ... */
const SEED = Number(process.env['REDDISH_DIFF_SEED'] ?? 20240601);

describe.skipIf(findRedisServer() === null)('HLL against redis-server 7.0', () => {
  const redis = useRedisServer();
  /** Commands to that server, with replies decoded as replyToTyped does. */
  const r = { call: async (...args: CommandArg[]): Promise<TypedReply> => replyToTyped(await redis.client.call(...args)) };

  /** The keys' values as reddish would store them. */
  const model = new Map<string, Buffer>();

  async function expectSameValue(key: string): Promise<void> {
    const got = await r.call('GET', key);
    const mine = model.get(key) ?? null;
    expect(got === null ? null : (got as Buffer).toString('hex')).toBe(mine === null ? null : mine.toString('hex'));
  }

  function errorOf(fn: () => void): string | null {
    try {
      fn();
      return null;
    } catch (e) {
      if (e instanceof HllCorruptedError || e instanceof HllWrongTypeError) return e.message;
      throw e;
    }
  }

  async function doPfadd(key: string, elements: Buffer[], maxBytes: number): Promise<void> {
    const reply = await r.call('PFADD', key, ...elements);
    let res: { updated: boolean; buf: Buffer } | undefined;
    try {
      res = pfAdd(model.get(key) ?? null, elements, maxBytes);
    } catch (e) {
      if (!(e instanceof HllCorruptedError || e instanceof HllWrongTypeError)) throw e;
      expect((reply as RespError).message).toBe(e.message);
      // Redis keeps what a failing PFADD added before the corruption.
      if (e instanceof HllCorruptedError && e.buf) model.set(key, e.buf);
    }
    if (res) {
      expect(reply).toBe(res.updated ? 1n : 0n);
      model.set(key, res.buf);
    }
    await expectSameValue(key);
  }

  async function doPfcount(keys: string[]): Promise<void> {
    const reply = await r.call('PFCOUNT', ...keys);
    const err = errorOf(() => {
      const res = pfCount(keys.map((k) => model.get(k) ?? null));
      expect(reply).toBe(BigInt(res.count));
      if (res.buf) model.set(keys[0]!, res.buf);
    });
    if (err !== null) expect((reply as RespError).message).toBe(err);
    for (const k of new Set(keys)) await expectSameValue(k);
  }

  async function doPfmerge(dest: string, sources: string[], maxBytes: number): Promise<void> {
    const reply = await r.call('PFMERGE', dest, ...sources);
    const err = errorOf(() => {
      const out = pfMerge(
        model.get(dest) ?? null,
        sources.map((k) => model.get(k) ?? null),
        maxBytes,
      );
      expect(reply).toBe('OK');
      model.set(dest, out);
    });
    if (err !== null) expect((reply as RespError).message).toBe(err);
    await expectSameValue(dest);
  }

  async function setRaw(key: string, value: Buffer): Promise<void> {
    expect(await r.call('SET', key, value)).toBe('OK');
    model.set(key, value);
  }

  it('agrees on random PFADD / PFCOUNT / PFMERGE sequences, sparse and dense', async () => {
    const rng = mulberry32(SEED);
    const pool = Array.from({ length: 4000 }, () =>
      Buffer.from(Array.from({ length: Math.floor(rng() * 24) }, () => Math.floor(rng() * 256))),
    );
    const keys = ['h0', 'h1', 'h2', 'h3', 'h4'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
    // Each phase runs with its own hll-sparse-max-bytes: the default, a
    // small one that promotes early, and one that keeps big sparse values.
    for (const maxBytes of [3000, 300, 9000]) {
      expect(await r.call('CONFIG', 'SET', 'hll-sparse-max-bytes', maxBytes)).toBe('OK');
      await r.call('FLUSHALL');
      model.clear();
      for (let step = 0; step < 160; step++) {
        const x = rng();
        if (x < 0.45) {
          const n = rng() < 0.08 ? 300 + Math.floor(rng() * 2500) : Math.floor(rng() * 8);
          await doPfadd(pick(keys), Array.from({ length: n }, () => pick(pool)), maxBytes);
        } else if (x < 0.7) {
          await doPfcount([pick(keys)]);
        } else if (x < 0.82) {
          await doPfcount(Array.from({ length: 2 + Math.floor(rng() * 3) }, () => pick(keys)));
        } else if (x < 0.96) {
          await doPfmerge(pick(keys), Array.from({ length: Math.floor(rng() * 3) + 1 }, () => pick(keys)), maxBytes);
        } else {
          const k = pick(keys);
          await r.call('DEL', k);
          model.delete(k);
        }
      }
      // Make sure every phase crosses sparse -> dense, then unions it all.
      const fresh = Array.from({ length: maxBytes > 3000 ? 9000 : 2500 }, (_, i) => Buffer.from(`fresh:${maxBytes}:${i}`));
      await doPfadd('big', fresh.slice(0, 40), maxBytes);
      await doPfadd('big', fresh, maxBytes);
      expect(model.get('big')![4]).toBe(0);
      await doPfcount(['big', ...keys]);
      await doPfmerge(keys[0]!, ['big', ...keys.slice(1)], maxBytes);
      await doPfcount([keys[0]!]);
    }
    await r.call('CONFIG', 'SET', 'hll-sparse-max-bytes', 3000);
  });

  it('agrees on crafted dense registers, including the tau and overflow ranges', async () => {
    const rng = mulberry32(99);
    const make = (reg: (i: number) => number, card = 0x80n << 56n): Buffer => {
      const b = Buffer.alloc(HLL_DENSE_SIZE);
      b.write('HYLL');
      b.writeBigUInt64LE(card, 8);
      for (let i = 0; i < HLL_REGISTERS; i++) {
        const v = reg(i);
        const bit = i * 6;
        const byte = 16 + (bit >> 3);
        const word = (b[byte]! | ((b[byte + 1] ?? 0) << 8)) | (v << (bit & 7));
        b[byte] = word & 0xff;
        if (byte + 1 < b.length) b[byte + 1] = word >> 8;
      }
      return b;
    };
    const cases: Buffer[] = [
      make(() => Math.floor(rng() * 64)),
      make(() => (rng() < 0.3 ? 51 : Math.floor(rng() * 20))),
      make(() => (rng() < 0.001 ? 51 : 0)),
      make(() => 50),
      make(() => 49),
      make(() => 45),
      make(() => 51),
      make(() => 63),
      make(() => 0),
      make(() => Math.floor(rng() * 4), 12345n),
      make(() => 1, (1n << 62n) + 7n),
    ];
    for (const [i, c] of cases.entries()) {
      await setRaw(`d${i}`, c);
      await doPfcount([`d${i}`]);
      await doPfcount([`d${i}`]);
      await doPfcount([`d${i}`, 'missing']);
      await doPfadd(`d${i}`, [Buffer.from(`x${i}`)], 3000);
    }
    await doPfmerge('merged', ['d0', 'd1', 'd2'], 3000);
    await doPfcount(['merged']);
  });

  it('agrees on non-canonical and corrupted sparse encodings', async () => {
    const rng = mulberry32(5);
    // Valid but unusual sparse strings: unmerged VAL runs, short XZEROs,
    // ZERO runs split oddly; then corrupted ones that over- or under-run.
    const sparse = (ops: number[]): Buffer => Buffer.concat([Buffer.from('HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80', 'latin1'), Buffer.from(ops)]);
    const randomOps = (total: number): number[] => {
      const ops: number[] = [];
      let left = total;
      while (left > 0) {
        const x = rng();
        if (x < 0.4) {
          const len = Math.min(left, 1 + Math.floor(rng() * 4));
          ops.push(0x80 | (Math.floor(rng() * 32) << 2) | (len - 1));
          left -= len;
        } else if (x < 0.7) {
          const len = Math.min(left, 1 + Math.floor(rng() * 64));
          ops.push(len - 1);
          left -= len;
        } else {
          const len = Math.min(left, 1 + Math.floor(rng() * 600));
          ops.push(0x40 | ((len - 1) >> 8), (len - 1) & 0xff);
          left -= len;
        }
      }
      return ops;
    };
    const elements = (n: number): Buffer[] => Array.from({ length: n }, () => Buffer.from(rng().toString(36)));
    for (let i = 0; i < 6; i++) {
      await setRaw(`s${i}`, sparse(randomOps(HLL_REGISTERS)));
      await doPfcount([`s${i}`]);
      await doPfadd(`s${i}`, elements(40), 3000);
      await doPfcount([`s${i}`]);
      await doPfmerge(`m${i}`, [`s${i}`], 3000);
    }
    const corrupted = [
      sparse(randomOps(HLL_REGISTERS - 3)),
      sparse([...randomOps(HLL_REGISTERS), 0x80]),
      sparse([...randomOps(HLL_REGISTERS - 10), 0x7f]), // ends in half an XZERO
      sparse([]),
      sparse([0x40 | (8191 >> 8), 8191 & 0xff]), // covers half: PFADD fails midway
      sparse([0x40, 99, 0x7f]), // a truncated XZERO that PFADD splits
    ];
    for (const [i, c] of corrupted.entries()) {
      await setRaw(`c${i}`, c);
      await doPfadd(`c${i}`, elements(30), 3000);
      await setRaw(`c${i}`, c);
      await doPfcount([`c${i}`]);
      await doPfcount([`c${i}`, 's0']);
      await doPfmerge(`cm${i}`, [`s1`, `c${i}`], 3000);
    }
    // A VAL overrunning an otherwise exact register count, met while
    // promoting to dense (PFADD past a tiny hll-sparse-max-bytes).
    await r.call('CONFIG', 'SET', 'hll-sparse-max-bytes', 20);
    await setRaw('over', sparse([0x7f, 0xff, 0x80]));
    await doPfadd('over', elements(3), 20);
    await r.call('CONFIG', 'SET', 'hll-sparse-max-bytes', 3000);
    // Not an HLL at all.
    await setRaw('plain', Buffer.from('hello world, not an HLL'));
    await doPfadd('plain', elements(1), 3000);
    await doPfcount(['plain']);
    await doPfmerge('dst', ['s0', 'plain'], 3000);
  });
});
