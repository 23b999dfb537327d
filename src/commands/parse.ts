/**
 * Argument readers shared by the command modules, each replying Redis's
 * error itself and returning null on bad input, so a handler reads:
 *
 *   const n = readInteger(c, argv[2]);
 *   if (n === null) return;
 */
import { errors } from '../errors.js';
import { parseDouble, parseExactInt64, parseInteger } from '../text/numbers.js';
import type { Client } from './types.js';

/** An int64 argument as a JS number ("value is not an integer or out of range"). */
export function readInteger(c: Client, text: string, error: string = errors.notInteger): number | null {
  const n = parseInteger(text);
  if (n === null) c.reply.error(error);
  return n;
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * getIntFromObjectOrReply: an argument that must fit a C int (database
 * indexes). With `error`, that one text answers both a non-integer and an
 * out-of-range value, as SWAPDB's "invalid first DB index" does.
 */
export function readInt(c: Client, text: string, error?: string): number | null {
  const n = parseInteger(text);
  if (n === null) {
    c.reply.error(error ?? errors.notInteger);
    return null;
  }
  if (n < INT_MIN || n > INT_MAX) {
    c.reply.error(error ?? errors.intOutOfRange);
    return null;
  }
  return n;
}

/** An int64 argument kept exact (INCRBY, HINCRBY): a number, or a BigInt past 2^53. */
export function readExactInt64(c: Client, text: string): number | bigint | null {
  const n = parseExactInt64(text);
  if (n === null) c.reply.error(errors.notInteger);
  return n;
}

/** A non-negative integer argument (counts). */
export function readNonNegative(c: Client, text: string, error: string = errors.notPositive): number | null {
  const n = parseInteger(text);
  if (n === null) {
    c.reply.error(errors.notInteger);
    return null;
  }
  if (n < 0) {
    c.reply.error(error);
    return null;
  }
  return n;
}

/** A double argument ("value is not a valid float"). */
export function readDouble(c: Client, text: string, error: string = errors.notFloat): number | null {
  const d = parseDouble(text);
  if (d === null) c.reply.error(error);
  return d;
}

/**
 * An argument as Redis's strcasecmp sees it, lowercased for comparing with
 * a lowercase option name: Redis compares option names as C strings, so an
 * argument is read only up to its first NUL byte (`SET k v "NX\0junk"` is
 * SET NX to Redis).
 */
export function lowercaseCString(arg: string): string {
  const nul = arg.indexOf('\0');
  return (nul === -1 ? arg : arg.slice(0, nul)).toLowerCase();
}

/** Case-insensitive match of an argument against a lowercase option name. */
export function isOption(arg: string, lowercaseName: string): boolean {
  return arg.length === lowercaseName.length && arg.toLowerCase() === lowercaseName;
}
