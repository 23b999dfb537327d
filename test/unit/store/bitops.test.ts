import { describe, expect, it } from 'vitest';
import {
  type BitfieldOverflow,
  type BitOpName,
  type BitUnit,
  bitCount,
  bitOp,
  bitPos,
  getBit,
  getBitfield,
  growForBit,
  incrByBitfield,
  parseBitfieldType,
  setBit,
  setBitfield,
  writeBitfield,
} from '../../../src/store/bitops.js';
import { mulberry32 } from '../../helpers/random.js';
import { findRedisServer, useRedisServer } from '../../helpers/redis-server.js';
import { replyToTyped, type CommandArg, type TypedReply } from '../../helpers/resp-client.js';

const bytes = (...xs: number[]): Buffer => Buffer.from(xs);

/* --------------------------------- unit --------------------------------- */

describe('bitCount', () => {
  const foobar = Buffer.from('foobar');
  it('follows the documented examples', () => {
    expect(bitCount(foobar)).toBe(26);
    expect(bitCount(foobar, 0, 0)).toBe(4);
    expect(bitCount(foobar, 1, 1)).toBe(6);
    expect(bitCount(foobar, 1, 1, 'byte')).toBe(6);
    expect(bitCount(foobar, 5, 30, 'bit')).toBe(17);
  });

  it('normalises indexes like Redis', () => {
    expect(bitCount(foobar, -2, -1)).toBe(bitCount(Buffer.from('ar')));
    expect(bitCount(foobar, 4, 2)).toBe(0);
    expect(bitCount(foobar, -100, 100)).toBe(26);
    // Both negative and reversed: 0, although both clamp to byte 0.
    expect(bitCount(foobar, -20, -30)).toBe(0);
    expect(bitCount(foobar, -47, -1, 'bit')).toBe(bitCount(foobar, 1, 47, 'bit'));
    expect(bitCount(Buffer.alloc(0), 0, -1)).toBe(0);
    expect(bitCount(Buffer.alloc(0))).toBe(0);
  });
});

describe('bitPos', () => {
  it('follows the documented examples', () => {
    expect(bitPos(bytes(0xff, 0xf0, 0x00), 0)).toBe(12);
    const b = bytes(0x00, 0xff, 0xf0);
    expect(bitPos(b, 1, 0)).toBe(8);
    expect(bitPos(b, 1, 2)).toBe(16);
    expect(bitPos(b, 1, 2, -1, 'byte')).toBe(16);
    expect(bitPos(b, 1, 7, 15, 'bit')).toBe(8);
    expect(bitPos(bytes(0, 0, 0), 1)).toBe(-1);
    expect(bitPos(bytes(0, 0, 0), 1, 7, -3, 'bit')).toBe(-1);
  });

  it('pads with zeroes only when no end was given', () => {
    const ones = bytes(0xff, 0xff, 0xff);
    expect(bitPos(ones, 0)).toBe(24);
    expect(bitPos(ones, 0, 1)).toBe(24);
    expect(bitPos(ones, 0, 0, -1)).toBe(-1);
    expect(bitPos(ones, 0, 3, 20, 'bit')).toBe(-1);
    expect(bitPos(Buffer.alloc(0), 0)).toBe(-1);
    expect(bitPos(Buffer.alloc(0), 1)).toBe(-1);
  });

  it('masks the edge bytes of a BIT range', () => {
    const b = bytes(0b10000001, 0b00000000, 0b10000000);
    expect(bitPos(b, 1, 1, 6, 'bit')).toBe(-1);
    expect(bitPos(b, 1, 1, 7, 'bit')).toBe(7);
    expect(bitPos(b, 1, 8, 16, 'bit')).toBe(16);
    expect(bitPos(b, 0, 0, 0, 'bit')).toBe(-1);
    expect(bitPos(b, 0, 7, 8, 'bit')).toBe(8);
  });
});

describe('bitOp', () => {
  it('zero-pads shorter inputs and keeps the longest length', () => {
    const a = bytes(0xff, 0x0f, 0xaa);
    const b = bytes(0x0f);
    expect(bitOp('AND', [a, b])).toEqual(bytes(0x0f, 0, 0));
    expect(bitOp('OR', [a, b, null])).toEqual(bytes(0xff, 0x0f, 0xaa));
    expect(bitOp('XOR', [a, b])).toEqual(bytes(0xf0, 0x0f, 0xaa));
    expect(bitOp('NOT', [a])).toEqual(bytes(0x00, 0xf0, 0x55));
    expect(bitOp('AND', [null, a])).toEqual(bytes(0, 0, 0));
    expect(bitOp('OR', [null, null]).length).toBe(0);
  });
});

describe('single bits', () => {
  it('reads past the end as 0 and grows with zeroes', () => {
    expect(getBit(null, 5)).toBe(0);
    expect(getBit(bytes(0x40), 1)).toBe(1);
    expect(getBit(bytes(0x40), 100)).toBe(0);
    const { buf, dirty } = growForBit(bytes(0x40), 17);
    expect(dirty).toBe(true);
    expect(buf).toEqual(bytes(0x40, 0, 0));
    expect(setBit(buf, 17, 1)).toBe(0);
    expect(setBit(buf, 17, 1)).toBe(1);
    expect(buf).toEqual(bytes(0x40, 0, 0x40));
    expect(growForBit(buf, 23).dirty).toBe(false);
    // Offsets past 2^31 bits must not go through 32-bit operators.
    expect(getBit(bytes(0xff), 2 ** 32 + 1)).toBe(0);
  });
});

describe('BITFIELD', () => {
  it('parses types like getBitfieldTypeFromArgument()', () => {
    expect(parseBitfieldType('i64')).toEqual({ signed: true, bits: 64 });
    expect(parseBitfieldType('u63')).toEqual({ signed: false, bits: 63 });
    for (const bad of ['u64', 'i65', 'i0', 'u', 'x8', 'i08', 'i+8', 'i-1', 'I8']) {
      expect(parseBitfieldType(bad)).toBeNull();
    }
  });

  it('follows the documented INCRBY and OVERFLOW examples', () => {
    let { buf } = growForBit(null, 104);
    expect(incrByBitfield(buf, 100, 5, true, 1n).reply).toBe(1n);
    expect(getBitfield(buf, 0, 4, false)).toBe(0n);

    buf = growForBit(null, 103).buf;
    const wrap: bigint[] = [];
    const sat: (bigint | null)[] = [];
    const fail: (bigint | null)[] = [];
    const buf2 = growForBit(null, 103).buf;
    const buf3 = growForBit(null, 103).buf;
    for (let i = 0; i < 4; i++) {
      wrap.push(incrByBitfield(buf, 100, 2, false, 1n, 'WRAP').reply!);
      sat.push(incrByBitfield(buf2, 102, 2, false, 1n, 'SAT').reply);
      fail.push(incrByBitfield(buf3, 102, 2, false, 1n, 'FAIL').reply);
    }
    expect(wrap).toEqual([1n, 2n, 3n, 0n]);
    expect(sat).toEqual([1n, 2n, 3n, 3n]);
    expect(fail).toEqual([1n, 2n, 3n, null]);
  });

  it('handles the 64-bit signed edges and unsigned SET of negative values', () => {
    const max = (1n << 63n) - 1n;
    const min = -(1n << 63n);
    const { buf } = growForBit(null, 127);
    expect(setBitfield(buf, 0, 64, true, min).reply).toBe(0n);
    expect(getBitfield(buf, 0, 64, true)).toBe(min);
    expect(incrByBitfield(buf, 0, 64, true, -1n, 'WRAP').reply).toBe(max);
    expect(incrByBitfield(buf, 0, 64, true, 1n, 'SAT').reply).toBe(max);
    expect(incrByBitfield(buf, 0, 64, true, 1n, 'FAIL')).toEqual({ reply: null, changed: false });
    expect(incrByBitfield(buf, 0, 64, true, min, 'SAT').reply).toBe(-1n);
    // SET u8 -1: the int64 is taken as 2^64-1, which overflows u8.
    expect(setBitfield(buf, 64, 8, false, -1n, 'WRAP').reply).toBe(0n);
    expect(getBitfield(buf, 64, 8, false)).toBe(255n);
    expect(setBitfield(buf, 64, 8, false, -1n, 'SAT')).toEqual({ reply: 255n, changed: false });
    expect(setBitfield(buf, 64, 8, false, -1n, 'FAIL').reply).toBeNull();
    expect(setBitfield(buf, 72, 4, true, 9n, 'WRAP').reply).toBe(0n);
    expect(getBitfield(buf, 72, 4, true)).toBe(-7n);
    expect(getBitfield(buf, 120, 63, false)).toBe(0n);
    // Reads past the end see zeroes.
    expect(getBitfield(bytes(0xff), 4, 8, false)).toBe(0xf0n);
  });
});

/* ----------------------------- differential ----------------------------- */

/** Override to stress other sequences: REDDISH_DIFF_SEED=n npx vitest run ... */
const SEED = Number(process.env['REDDISH_DIFF_SEED'] ?? 424242);

describe.skipIf(findRedisServer() === null)('bitmaps against redis-server 7.0', () => {
  const redis = useRedisServer();
  /** Commands to that server, with replies decoded as replyToTyped does. */
  const r = { call: async (...args: CommandArg[]): Promise<TypedReply> => replyToTyped(await redis.client.call(...args)) };
  const rng = mulberry32(SEED);
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

  /** Random bytes with long 0x00 / 0xff runs, so BITPOS has something to skip. */
  function randomString(): Buffer {
    const len = rng() < 0.1 ? int(100, 300) : int(0, 40);
    const out = Buffer.alloc(len);
    let fill = pick([0, 0xff, -1]);
    for (let i = 0; i < len; i++) {
      if (rng() < 0.1) fill = pick([0, 0xff, -1]);
      out[i] = fill === -1 || rng() < 0.05 ? int(0, 255) : fill;
    }
    return out;
  }

  /** An index: usually near the string, sometimes in bit range or huge. */
  function randomIndex(len: number): number {
    const x = rng();
    if (x < 0.7) return int(-len - 3, len + 3);
    if (x < 0.95) return int(-len * 8 - 10, len * 8 + 10);
    return pick([2 ** 40, -(2 ** 40), 2 ** 31, -(2 ** 31)]);
  }

  it('agrees on BITCOUNT and BITPOS over random strings and ranges', async () => {
    const checks: Promise<void>[] = [];
    for (let n = 0; n < 250; n++) {
      const value = randomString();
      const key = `s${n}`;
      await r.call('SET', key, value);
      for (let q = 0; q < 12; q++) {
        const s = randomIndex(value.length);
        const e = randomIndex(value.length);
        const unit = pick([undefined, 'byte', 'bit'] as const);
        const unitArg = unit === undefined ? [] : [unit.toUpperCase()];
        const bit = pick([0, 1] as const);
        const compare = (args: (string | number)[], mine: number): void => {
          checks.push(
            r.call(...args).then((got) => {
              expect({ args, got }).toEqual({ args, got: BigInt(mine) });
            }),
          );
        };
        compare(['BITCOUNT', key], bitCount(value));
        compare(['BITCOUNT', key, s, e, ...unitArg], bitCount(value, s, e, unit as BitUnit | undefined));
        compare(['BITPOS', key, bit], bitPos(value, bit));
        compare(['BITPOS', key, bit, s], bitPos(value, bit, s));
        compare(['BITPOS', key, bit, s, e, ...unitArg], bitPos(value, bit, s, e, unit as BitUnit | undefined));
      }
    }
    await Promise.all(checks);
  });

  it('agrees on BITOP, SETBIT and GETBIT', async () => {
    const keys = ['a', 'b', 'c', 'd'];
    const model = new Map<string, Buffer>();
    for (let n = 0; n < 300; n++) {
      const x = rng();
      if (x < 0.25) {
        const k = pick(keys);
        const v = randomString();
        await r.call('SET', k, v);
        model.set(k, v);
      } else if (x < 0.5) {
        const op = pick(['AND', 'OR', 'XOR', 'NOT'] as const satisfies readonly BitOpName[]);
        const srcs = op === 'NOT' ? [pick(keys)] : Array.from({ length: int(1, 4) }, () => pick([...keys, 'missing']));
        const dest = pick(keys);
        const got = await r.call('BITOP', op, dest, ...srcs);
        const res = bitOp(op, srcs.map((k) => model.get(k) ?? null));
        expect(got).toBe(BigInt(res.length));
        if (res.length) model.set(dest, res);
        else model.delete(dest);
      } else if (x < 0.8) {
        const k = pick(keys);
        const offset = int(0, 400);
        const on = pick([0, 1] as const);
        const got = await r.call('SETBIT', k, offset, on);
        const { buf } = growForBit(model.get(k) ?? null, offset);
        expect(got).toBe(BigInt(setBit(buf, offset, on)));
        model.set(k, buf);
      } else {
        const k = pick(keys);
        const offset = int(0, 400);
        expect(await r.call('GETBIT', k, offset)).toBe(BigInt(getBit(model.get(k) ?? null, offset)));
      }
      for (const k of keys) {
        const got = await r.call('GET', k);
        expect([k, got]).toEqual([k, model.get(k) ?? null]);
      }
    }
  });

  it('agrees on random BITFIELD commands, including overflow handling', async () => {
    const model = new Map<string, Buffer>();
    const keys = ['f0', 'f1', 'f2'];
    const int64 = (): bigint => {
      const x = rng();
      if (x < 0.4) return BigInt(int(-300, 300));
      if (x < 0.7) {
        const p = BigInt(int(0, 63));
        return pick([1n << p, (1n << p) - 1n, -(1n << p), -(1n << p) + 1n, -(1n << p) - 1n].filter((v) => v >= -(1n << 63n) && v < 1n << 63n));
      }
      return BigInt.asIntN(64, (BigInt(int(0, 2 ** 31)) << 33n) ^ BigInt(int(0, 2 ** 31)));
    };
    for (let n = 0; n < 400; n++) {
      const key = pick(keys);
      if (rng() < 0.05) {
        await r.call('DEL', key);
        model.delete(key);
        continue;
      }
      type Op = { op: 'GET' | 'SET' | 'INCRBY'; signed: boolean; bits: number; offset: number; arg: bigint; owtype: BitfieldOverflow };
      const args: (string | bigint | number)[] = ['BITFIELD', key];
      const ops: Op[] = [];
      let owtype: BitfieldOverflow = 'WRAP';
      for (let i = int(1, 4); i > 0; i--) {
        if (rng() < 0.3) {
          owtype = pick(['WRAP', 'SAT', 'FAIL'] as const);
          args.push('OVERFLOW', owtype);
        }
        const signed = rng() < 0.5;
        const bits = rng() < 0.3 ? pick(signed ? [1, 63, 64] : [1, 32, 63]) : int(1, signed ? 64 : 63);
        const offset = int(0, 200);
        const op = pick(['GET', 'SET', 'INCRBY'] as const);
        const arg = int64();
        args.push(op, `${signed ? 'i' : 'u'}${bits}`, offset);
        if (op !== 'GET') args.push(arg);
        ops.push({ op, signed, bits, offset, arg, owtype });
      }
      const got = await r.call(...args);

      // What the command layer does: grow once for every write, then run.
      let buf = model.get(key) ?? null;
      const writes = ops.filter((o) => o.op !== 'GET');
      if (writes.length) {
        const highest = Math.max(...writes.map((o) => o.offset + o.bits - 1));
        const cur: Buffer | null = buf;
        buf = growForBit(cur === null ? null : Buffer.from(cur), highest).buf;
        model.set(key, buf);
      }
      const replies = ops.map((o) =>
        o.op === 'GET' ? getBitfield(buf, o.offset, o.bits, o.signed) : writeBitfield(buf!, o.op, o.offset, o.bits, o.signed, o.arg, o.owtype).reply,
      );
      expect({ args: args.map(String), got }).toEqual({ args: args.map(String), got: replies });
      expect(await r.call('GET', key)).toEqual(model.get(key) ?? null);
    }
  });
});
