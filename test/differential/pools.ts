/**
 * Shared building blocks for the differential command generators: a small
 * key pool (so commands keep hitting the same keys and interact), a value
 * pool full of edge cases, expiry times that can't make the two servers
 * disagree, and wrong-arity calls.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';

/** Eight keys, including ones with glob metacharacters and binary bytes. */
export const KEYS: readonly string[] = ['a', 'b', 'k1', 'k2', 'key:x', 'k*', 'x\x00y', '\xffz'];

const LONG_TEXT = 'long:' + 'abcdefghij'.repeat(10);

/** Values that exercise integer, float and binary-safety edge cases. */
export const VALUES: readonly string[] = [
  '', '0', '1', '-1', '7', '42', '-42', '100', '9999', '10000', '123456789',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '18446744073709551616',
  '3.14', '-0.5', '0.1', '1e3', '1E-2', '5.0e3', '1.5e308', 'inf', '-inf', 'nan',
  '+1', '007', '-0', ' 1', '1 ', '0x1f', '1.', '.5',
  'a', 'hello', 'Hello World', 'ohmytext', 'mynewtext', 'caf\xe9',
  '\x00', 'a\x00b', '\xff', '\xfe\xff\x00\x01', '\r\n',
  'x'.repeat(44), 'y'.repeat(45), LONG_TEXT,
];

/** Values short enough that repeated APPENDs keep strings small (LCS is quadratic). */
export const SHORT_VALUES: readonly string[] = VALUES.filter((value) => value.length <= 10);

/** Integer-ish arguments for INCRBY, GETRANGE offsets and the like. */
export const INTEGER_ARGS: readonly string[] = [
  '0', '1', '-1', '2', '3', '5', '10', '-2', '-5', '-100', '100', '1000',
  '9223372036854775807', '-9223372036854775808', '9223372036854775808',
  'abc', '', '1.5', ' 1', '0x10',
];

export const FLOAT_ARGS: readonly string[] = [
  '0', '1', '-1', '0.1', '-0.1', '1.5', '2.5e2', '1e-3', '3', '-5', '1e308', '1e400',
  'inf', '-inf', 'nan', 'abc', '', ' 1', '0x10', '1.', '.5',
];

/** Upper, lower or mixed case: Redis matches command and option names case-insensitively. */
export function anyCase(rng: Rng, word: string): string {
  const roll = rng.next();
  if (roll < 0.7) return word;
  if (roll < 0.85) return word.toLowerCase();
  return [...word].map((ch) => (rng.chance(0.5) ? ch.toLowerCase() : ch.toUpperCase())).join('');
}

export function pickKey(rng: Rng): string {
  return rng.pick(KEYS);
}

export function pickKeys(rng: Rng, min: number, max: number): string[] {
  const count = rng.int(min, max);
  return Array.from({ length: count }, () => pickKey(rng));
}

/** Numbers, so that INCR and friends succeed often enough to matter. */
const NUMERIC_VALUES: readonly string[] = [
  '0', '1', '-1', '7', '42', '-42', '100', '9999', '10000', '123456789',
  '9223372036854775806', '-9223372036854775807', '3.14', '-0.5', '1e3',
];

export function pickValue(rng: Rng): string {
  return rng.chance(0.3) ? rng.pick(NUMERIC_VALUES) : rng.pick(VALUES);
}

/**
 * Expiry arguments that never let timing decide a reply.
 *
 * Relative TTLs are all distinct and at least 1000 s apart (two lanes moving
 * away from 10^7 s), so an EXPIRE ... GT/LT comparison between two relative
 * deadlines is decided by the values, not by which millisecond each server
 * ran the command in; and none of them can expire during a run. Absolute
 * times are either in the past (the key is deleted at once) or decades ahead.
 */
export class ExpiryArgs {
  private counter = 1;

  relativeSeconds(rng: Rng): string {
    const step = 1000 * this.counter++;
    return String(rng.chance(0.5) ? 10_000_000 + step : 10_000_000 - step);
  }

  relativeMillis(rng: Rng): string {
    return `${this.relativeSeconds(rng)}000`;
  }

  absoluteSeconds(rng: Rng): string {
    if (rng.chance(0.1)) return rng.pick(['0', '1', '1000000000']);
    return rng.pick(['4102444800', '4102444801', '4133980800', '32503680000']);
  }

  absoluteMillis(rng: Rng): string {
    if (rng.chance(0.1)) return rng.pick(['0', '1', '1000000000000']);
    return rng.pick(['4102444800000', '4102444800001', '4102444800999', '4133980800123', '32503680000000']);
  }

  /** Not a valid expiry for SET/GETEX/EXPIRE: zero, negative, overflowing or not a number. */
  invalid(rng: Rng): string {
    return rng.pick(['0', '-1', '-100', 'abc', '', '1.5', ' 5', '0x10', '9223372036854775807', '-9223372036854775808', '9223372036854775808']);
  }
}

/**
 * Declared arities (from COMMAND INFO on Redis 7.0): N means exactly N
 * arguments including the command name, -N means at least N.
 */
export const ARITY: Readonly<Record<string, number>> = {
  GET: 2, SET: -3, SETNX: 3, SETEX: 4, PSETEX: 4, MGET: -2, MSET: -3, MSETNX: -3,
  GETSET: 3, GETDEL: 2, GETEX: -2, INCR: 2, DECR: 2, INCRBY: 3, DECRBY: 3, INCRBYFLOAT: 3,
  APPEND: 3, STRLEN: 2, GETRANGE: 4, SETRANGE: 4, SUBSTR: 4, LCS: -3,
  DEL: -2, UNLINK: -2, EXISTS: -2, TYPE: 2, TOUCH: -2, DBSIZE: 1,
  EXPIRE: -3, PEXPIRE: -3, EXPIREAT: -3, PEXPIREAT: -3,
  TTL: 2, PTTL: 2, EXPIRETIME: 2, PEXPIRETIME: 2, PERSIST: 2,
  KEYS: 2, SCAN: -2, RENAME: 3, RENAMENX: 3, COPY: -3, MOVE: 3, SELECT: 2, SWAPDB: 3, RANDOMKEY: 1,
};

/** A call of one of `names` with an argument count its arity rejects. */
export function wrongArityCommand(rng: Rng, names: readonly string[]): Command {
  const name = rng.pick(names);
  const arity = ARITY[name];
  if (arity === undefined) throw new Error(`no arity known for ${name}`);
  let argc: number;
  if (arity > 0) {
    const wrong = [];
    for (let n = 1; n <= arity + 2; n++) if (n !== arity) wrong.push(n);
    argc = rng.pick(wrong);
  } else {
    argc = rng.int(1, -arity - 1);
  }
  const args = Array.from({ length: argc - 1 }, () => (rng.chance(0.5) ? pickKey(rng) : pickValue(rng)));
  return [anyCase(rng, name), ...args];
}

/**
 * Commands no server implements, with arguments to be echoed in the error.
 * The NUL-bearing name must not start with a real command: Redis hashes a
 * command name over its full length but compares it with strcasecmp, so
 * `get\0x` runs GET in the rare redis-server process whose random hash
 * seed puts it in GET's bucket (a CI run met one), and is unknown in the
 * rest.
 */
export function unknownCommand(rng: Rng): Command {
  const name = rng.pick(['FOO', 'foo', 'GETT', 'SETT', 'KEYSS', 'hello-world', 'x'.repeat(150), 'gett\x00x']);
  const args = Array.from({ length: rng.int(0, 4) }, () =>
    rng.pick([pickKey(rng), pickValue(rng), 'z'.repeat(rng.int(100, 200))]),
  );
  return [name, ...args];
}
