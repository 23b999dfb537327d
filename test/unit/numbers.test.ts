import { describe, expect, it } from 'vitest';
import {
  formatDouble,
  hincrByFloat,
  hincrByFloatIncrementError,
  incrByFloat,
  parseDouble,
  parseInt64,
  parseInteger,
  strtod,
} from '../../src/text/numbers.js';
import { addLongDouble, formatLongDoubleHuman, string2ld } from '../../src/text/long-double.js';
import { mulberry32 } from '../helpers/random.js';
import { findRedisServer, useRedisServer } from '../helpers/redis-server.js';
import { replyToPlain, type PlainReply, type RawClient } from '../helpers/resp-client.js';

describe('parseInt64 / parseInteger (string2ll)', () => {
  const valid: Array<[string, bigint]> = [
    ['0', 0n],
    ['1', 1n],
    ['-1', -1n],
    ['99', 99n],
    ['-99', -99n],
    ['123456789012345', 123456789012345n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ];
  it.each(valid)('accepts %j', (s, v) => {
    expect(parseInt64(s)).toBe(v);
    expect(parseInteger(s)).toBe(Number(v));
  });

  const invalid = [
    '', '-', '+1', ' 1', '1 ', '01', '00', '-0', '-01', '1.0', '1e3', '0x10', 'abc', '1a',
    '9223372036854775808', '-9223372036854775809', '18446744073709551616', '99999999999999999999',
    '000000000000000000001', '1\x00', '\xb9', '１',
  ];
  it.each(invalid)('rejects %j', (s) => {
    expect(parseInt64(s)).toBeNull();
    expect(parseInteger(s)).toBeNull();
  });

  it('returns the nearest double past 2^53', () => {
    expect(parseInteger('9007199254740993')).toBe(9007199254740992);
    expect(parseInteger('-9223372036854775808')).toBe(-9223372036854775808);
  });
});

describe('parseDouble (string2d)', () => {
  const valid: Array<[string, number]> = [
    ['0', 0], ['1', 1], ['-1.5', -1.5], ['1e3', 1000], ['1E3', 1000], ['.5', 0.5], ['5.', 5],
    ['-.5', -0.5], ['+1', 1], ['+.5e-1', 0.05], ['1.e2', 100], ['00012', 12],
    ['inf', Infinity], ['+inf', Infinity], ['-inf', -Infinity], ['Infinity', Infinity],
    ['-iNfInItY', -Infinity], ['0x1p3', 8], ['0X1P3', 8], ['0x.8p1', 1], ['0x1.8', 1.5], ['-0x10', -16],
    ['0x1p-1074', 5e-324], ['0x1.8p-1074', 1e-323], ['1e-320', 1e-320], ['3e-324', 5e-324],
    ['0e-400', 0], ['1.7976931348623157e308', 1.7976931348623157e308],
    ['0.1', 0.1], ['123456789012345678901234567890', 1.2345678901234568e29],
  ];
  it.each(valid)('accepts %j', (s, v) => {
    expect(parseDouble(s)).toBe(v);
  });

  it('keeps the sign of zero', () => {
    expect(Object.is(parseDouble('-0'), -0)).toBe(true);
    expect(Object.is(parseDouble('-0.0e10'), -0)).toBe(true);
  });

  const invalid = [
    '', ' 1', '1 ', '\t1', '\n1', '0x', '0x1p', '1e', '1e+', '.e1', '.', '-', 'e5', 'infinit', 'in',
    'nan', 'NaN', '-nan', 'nan(12)', '0x.p1', '1_0', '1,5', '1e400', '-1e400', '1e-400', '2e-324',
    '0x1p-1075', '0x1p1024', 'abc', '1\x00', '0x1g',
  ];
  it.each(invalid)('rejects %j', (s) => {
    expect(parseDouble(s)).toBeNull();
  });

  it('strtod reports endptr and ERANGE like glibc', () => {
    expect(strtod('  12abc')).toEqual({ value: 12, end: 4, erange: false });
    expect(strtod('abc')).toEqual({ value: 0, end: 0, erange: false });
    expect(strtod('0x')).toEqual({ value: 0, end: 1, erange: false });
    expect(strtod('1e5000')).toEqual({ value: Infinity, end: 6, erange: true });
    expect(strtod('1e-5000')).toEqual({ value: 0, end: 7, erange: true });
    expect(strtod('nan(abc)x').end).toBe(8);
    expect(strtod('nan(abc').end).toBe(3);
    expect(strtod('infinityx').end).toBe(8);
    expect(strtod('infinit').end).toBe(3);
  });
});

describe('formatDouble (%.17g)', () => {
  const cases: Array<[number, string]> = [
    [3, '3'],
    [-3, '-3'],
    [0, '0'],
    [-0, '-0'],
    [2.5, '2.5'],
    [1.1, '1.1000000000000001'],
    [0.1, '0.10000000000000001'],
    [1e300, '1.0000000000000001e+300'],
    [1e17, '1e+17'],
    [1e16, '10000000000000000'],
    [2 ** 53 + 2, '9007199254740994'],
    [-98980612820014352, '-98980612820014352'],
    [123456789012345678, '1.2345678901234568e+17'],
    [0.0001, '0.0001'],
    [0.00001, '1.0000000000000001e-05'],
    [123.456, '123.456'],
    [1e-320, '9.9998886718268301e-321'],
    [5e-324, '4.9406564584124654e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [2 ** -25, '2.9802322387695312e-08'], // an exact tie, rounded to even
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ];
  it.each(cases)('%d -> %j', (d, s) => {
    expect(formatDouble(d)).toBe(s);
  });
});

describe('INCRBYFLOAT / HINCRBYFLOAT arithmetic', () => {
  const ok = (value: string) => ({ ok: true, value });
  const err = (error: string) => ({ ok: false, error });

  it('adds in long double and prints %.17Lf without trailing zeros', () => {
    expect(incrByFloat('1.1', '0.2')).toEqual(ok('1.3'));
    expect(incrByFloat(null, '5.0e3')).toEqual(ok('5000'));
    expect(incrByFloat('10', '-10')).toEqual(ok('0'));
    expect(incrByFloat(null, '0x1p3')).toEqual(ok('8'));
    expect(incrByFloat(null, '1.5e-17')).toEqual(ok('0.00000000000000002'));
    expect(incrByFloat(null, '2.5e-17')).toEqual(ok('0.00000000000000002'));
    expect(incrByFloat(null, '0.000000000000000005')).toEqual(ok('0'));
    expect(incrByFloat(null, '-0.0')).toEqual(ok('0'));
    expect(incrByFloat(null, '-1e-20')).toEqual(ok('0'));
    expect(incrByFloat(null, '1e-4940')).toEqual(ok('0'));
    expect(incrByFloat('3.0', '1.5')).toEqual(ok('4.5'));
    // Exact ties at the 17th fractional digit round half-to-even, as glibc's printf does.
    expect(incrByFloat(null, '0.000003814697265625')).toEqual(ok('0.00000381469726562'));
    expect(incrByFloat(null, '0.000011444091796875')).toEqual(ok('0.00001144409179688'));
    expect(incrByFloat('1', '0.000003814697265625')).toEqual(ok('1.00000381469726562'));
  });

  it('expands large values to the exact long double', () => {
    expect(incrByFloat(null, '1e300')).toEqual(
      ok(
        '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144',
      ),
    );
    const r = incrByFloat(null, '1e400');
    expect(r.ok && r.value.slice(0, 100)).toBe(
      '1000000000000000000028188068394758651458645343362905203862591069353968553400862986203936399484832416',
    );
    const big = incrByFloat(null, '1.18e4932');
    expect(big.ok && big.value.slice(0, 80)).toBe(
      '11800000000000000000006528129180936992026904371401604717298312400618365277284469',
    );
  });

  it('rejects what string2ld rejects', () => {
    const notFloat = err('ERR value is not a valid float');
    for (const bad of ['abc', ' 1', '1 ', '', 'nan', '1e5000', '1e-5000', '1e4933', '0x', '1\x00']) {
      expect(incrByFloat(null, bad), bad).toEqual(notFloat);
      expect(incrByFloat(bad, '1'), bad).toEqual(notFloat);
    }
    // MAX_LONG_DOUBLE_CHARS bounds the input length, whatever the value.
    expect(incrByFloat(null, '1.' + '0'.repeat(5117))).toEqual(ok('1'));
    expect(incrByFloat(null, '1.' + '0'.repeat(5118))).toEqual(notFloat);
  });

  it('refuses infinite and NaN results', () => {
    const nanOrInf = err('ERR increment would produce NaN or Infinity');
    expect(incrByFloat(null, 'inf')).toEqual(nanOrInf);
    expect(incrByFloat('1', '-infinity')).toEqual(nanOrInf);
    expect(incrByFloat('1.1e4932', '1.1e4932')).toEqual(nanOrInf);
  });

  it('has HINCRBYFLOAT error texts and order', () => {
    expect(hincrByFloatIncrementError('inf')).toBe('ERR value is NaN or Infinity');
    expect(hincrByFloatIncrementError('abc')).toBe('ERR value is not a valid float');
    expect(hincrByFloatIncrementError('1.5')).toBeNull();
    expect(hincrByFloat('1', 'inf')).toEqual(err('ERR value is NaN or Infinity'));
    expect(hincrByFloat('xyz', 'abc')).toEqual(err('ERR value is not a valid float'));
    expect(hincrByFloat('xyz', '1')).toEqual(err('ERR hash value is not a float'));
    expect(hincrByFloat('1.1e4932', '1.1e4932')).toEqual(err('ERR increment would produce NaN or Infinity'));
    expect(hincrByFloat('1.1', '0.2')).toEqual(ok('1.3'));
    expect(hincrByFloat(null, '-2')).toEqual(ok('-2'));
  });

  it('rounds sums to 64-bit significands half-to-even', () => {
    // 2^64 + 1 isn't representable: it ties between 2^64 and 2^64 + 2 and goes to even.
    const a = string2ld('18446744073709551616')!;
    expect(formatLongDoubleHuman(addLongDouble(a, string2ld('1')!))).toBe('18446744073709551616');
    expect(formatLongDoubleHuman(addLongDouble(a, string2ld('3')!))).toBe('18446744073709551620');
    expect(formatLongDoubleHuman(addLongDouble(string2ld('-0')!, string2ld('-0')!))).toBe('0');
  });
});

// ---------------------------------------------------------------------------
// Differential checks against a real redis-server, over raw RESP.

const hasRedis = findRedisServer() !== null;
if (!hasRedis) console.warn('redis-server is not on PATH: the numbers differential tests are skipped');

/** Sends commands pipelined and resolves with their replies in order. */
async function pipeline(client: RawClient, commands: string[][]): Promise<PlainReply[]> {
  return (await client.pipeline(commands)).map((reply) => replyToPlain(reply));
}

describe('differential against redis-server', () => {
  const redis = useRedisServer({ enabled: hasRedis });

  const rand = mulberry32(20240601);
  const int = (n: number): number => Math.floor(rand() * n);
  const digits = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += String(int(10));
    return s;
  };

  /** A decimal of varied magnitude and precision, sometimes an odd strtold form. */
  function randomDecimal(): string {
    const roll = rand();
    if (roll < 0.03) {
      const odd = ['inf', '-inf', 'abc', ' 1', '1e5000', '.5', '5.', '0x1.8p3', '-0x.4p-2', '1e400', '-1e-4940', '+7',
        '0.000003814697265625', '0.000011444091796875', '-1.000003814697265625'];
      return odd[int(odd.length)]!;
    }
    const sign = rand() < 0.3 ? '-' : '';
    const intPart = rand() < 0.3 ? '0' : String(1 + int(9)) + digits(int(18));
    const frac = rand() < 0.25 ? '' : '.' + digits(1 + int(20));
    let exp = '';
    if (rand() < 0.2) {
      const big = rand() < 0.25;
      exp = 'e' + (rand() < 0.5 ? '-' : '') + String(int(big ? 400 : 30));
    }
    return sign + intPart + frac + exp;
  }

  it.skipIf(!hasRedis)('INCRBYFLOAT matches on 300 random sequences', async () => {
    const commands: string[][] = [];
    const expected: Array<string | Error> = [];
    for (let seq = 0; seq < 300; seq++) {
      const key = 'f' + seq;
      let current: string | null = null;
      if (rand() < 0.6) {
        current = randomDecimal();
        commands.push(['SET', key, current]);
        expected.push('OK');
      }
      for (let step = 1 + int(4); step > 0; step--) {
        const incr = randomDecimal();
        commands.push(['INCRBYFLOAT', key, incr]);
        const r = incrByFloat(current, incr);
        if (r.ok) {
          current = r.value;
          expected.push(r.value);
        } else {
          expected.push(new Error(r.error));
        }
      }
    }
    const replies = await pipeline(redis.client, commands);
    const mismatches: string[] = [];
    replies.forEach((reply, i) => {
      const want = expected[i]!;
      const got = reply instanceof Error ? 'error: ' + reply.message : String(reply);
      const ours = want instanceof Error ? 'error: ' + want.message : want;
      if (got !== ours) mismatches.push(`${commands[i]!.join(' ')}: redis ${got.slice(0, 80)} ours ${ours.slice(0, 80)}`);
    });
    expect(mismatches).toEqual([]);
  });

  it.skipIf(!hasRedis)('HINCRBYFLOAT matches, error texts included', async () => {
    const commands: string[][] = [];
    const expected: string[] = [];
    const cases: Array<[string | null, string]> = [
      [null, '1.1'], ['1.1', '0.2'], ['xyz', '1'], ['1', 'inf'], ['1', 'abc'], ['1.1e4932', '1.1e4932'],
      ['10', '-10'], [null, '1e300'], ['0x10', '0.5'], [' 1', '1'],
    ];
    cases.forEach(([current, incr], i) => {
      const field = 'f' + i;
      if (current !== null) {
        commands.push(['HSET', 'h', field, current]);
        expected.push('1');
      }
      commands.push(['HINCRBYFLOAT', 'h', field, incr]);
      const r = hincrByFloat(current, incr);
      expected.push(r.ok ? r.value : 'error: ' + r.error);
    });
    const replies = await pipeline(redis.client, commands);
    const got = replies.map((r) => (r instanceof Error ? 'error: ' + r.message : String(r)));
    expect(got).toEqual(expected);
  });

  it.skipIf(!hasRedis)('ZSCORE prints random doubles as formatDouble does', async () => {
    const view = new DataView(new ArrayBuffer(8));
    const values: number[] = [-0, 0, 1, -1, 3, 2 ** -25, 2 ** -26 * 3, 1e17, 1e16, 1e-5, 1e-4, 5e-324, 1.7976931348623157e308, 0.1, 1.1];
    while (values.length < 400) {
      const roll = rand();
      let d: number;
      if (roll < 0.4) {
        // Random bit patterns cover every exponent, subnormals included.
        view.setUint32(0, int(2 ** 32));
        view.setUint32(4, int(2 ** 32));
        d = view.getFloat64(0);
      } else if (roll < 0.7) {
        d = (rand() - 0.5) * 10 ** (int(40) - 20);
      } else if (roll < 0.85) {
        d = Number(randomDecimal());
      } else {
        d = int(2 ** 31) * 2 ** (int(120) - 80); // short binary fractions: more exact ties
      }
      if (Number.isFinite(d)) values.push(d);
    }
    // Skiplist encoding keeps -0 (a listpack stores integral scores as integers).
    const commands: string[][] = [['CONFIG', 'SET', 'zset-max-listpack-entries', '0']];
    values.forEach((d, i) => {
      const text = Object.is(d, -0) ? '-0' : String(d);
      expect(parseDouble(text)).toBe(d);
      commands.push(['ZADD', 'z', text, 'm' + i], ['ZSCORE', 'z', 'm' + i]);
    });
    const replies = await pipeline(redis.client, commands);
    const mismatches: string[] = [];
    values.forEach((d, i) => {
      const got = replies[2 + 2 * i];
      if (got !== formatDouble(d)) mismatches.push(`${d}: redis ${String(got)} ours ${formatDouble(d)}`);
    });
    expect(mismatches).toEqual([]);
  });

  it.skipIf(!hasRedis)('ZADD and INCRBY accept exactly what parseDouble and parseInt64 accept', async () => {
    const doubles = [
      '0x', '0x1p', '1e', '1e+', '.e1', '.', '-.5', '0x.8p1', '0x1.8', '0X1P3', 'infinit', 'nan(12)', '+.5e-1',
      '1.e2', '0x1p-1074', '0x1p-1075', '0x1.8p-1074', '0x1p1024', '0x.p1', '1_0', '00012', '-0x10',
      '1e-400', '2e-324', '3e-324', '1e400', ' 1', '1 ', 'inf', '-Infinity', 'nan', '', '5e-324',
    ];
    const ints = ['0', '-0', '01', '+1', ' 1', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '1e3', ''];
    const commands: string[][] = [];
    for (const s of doubles) commands.push(['ZADD', 'zz', s, 'm']);
    for (const s of ints) commands.push(['SET', 'n', '0'], ['INCRBY', 'n', s]);
    const replies = await pipeline(redis.client, commands);
    doubles.forEach((s, i) => {
      expect(replies[i] instanceof Error, JSON.stringify(s)).toBe(parseDouble(s) === null);
    });
    ints.forEach((s, i) => {
      const reply = replies[doubles.length + 2 * i + 1];
      const ours = parseInt64(s);
      if (ours === null) expect(reply, JSON.stringify(s)).toBeInstanceOf(Error);
      else expect(reply, JSON.stringify(s)).toBe(Number(ours));
    });
  });
});
