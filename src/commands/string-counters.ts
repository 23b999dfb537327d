/**
 * The counters (Redis's t_string.c): INCR, DECR, INCRBY and DECRBY share
 * incrDecrCommand's exact int64 arithmetic; INCRBYFLOAT adds in long double.
 * All of them keep the key's TTL, as Redis's dbReplace does. Each command's
 * spec follows its handler.
 */
import { EMBSTR_STRING_ENCODING } from '../store/types.js';
import { errors } from '../errors.js';
import type { Client, CommandSpec } from './types.js';
import { addInt64, incrByFloat, parseExactInt64 } from '../text/numbers.js';
import { readExactInt64 } from './parse.js';
import { lookupStringWrite } from './string-values.js';

const INT64_MIN = -9223372036854775808n;

/**
 * incrDecrCommand: adds `incr` to the key's int64 value (a missing key is
 * 0), keeping its TTL. Doubles are exact up to 2^53, which covers nearly
 * every counter; past that the sum and Redis's overflow check are done in
 * BigInt.
 */
function incrDecrCommand(c: Client, key: string, incr: number | bigint): void {
  const db = c.db;
  const entry = lookupStringWrite(c, key);
  if (entry === null) return;
  let value: number | bigint = 0;
  if (entry !== undefined) {
    const parsed = parseExactInt64(entry);
    if (parsed === null) {
      c.reply.error(errors.notInteger);
      return;
    }
    value = parsed;
  }
  const result = addInt64(value, incr);
  if (result === null) {
    c.reply.error(errors.overflow);
    return;
  }
  const text = String(result);
  if (entry === undefined) db.add(key, text);
  else db.set(key, text, true);
  c.server.events.keyModified(db, key, 'incrby');
  c.reply.integer(result);
}

/** INCR key */
function incrCommand(c: Client, argv: string[]): void {
  incrDecrCommand(c, argv[1]!, 1);
}

export const incrSpec: CommandSpec = {
  name: 'incr',
  arity: 2,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Increment the integer value of a key by one',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: incrCommand,
};

/** DECR key */
function decrCommand(c: Client, argv: string[]): void {
  incrDecrCommand(c, argv[1]!, -1);
}

export const decrSpec: CommandSpec = {
  name: 'decr',
  arity: 2,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Decrement the integer value of a key by one',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: decrCommand,
};

/** INCRBY key increment */
function incrbyCommand(c: Client, argv: string[]): void {
  const incr = readExactInt64(c, argv[2]!);
  if (incr === null) return;
  incrDecrCommand(c, argv[1]!, incr);
}

export const incrbySpec: CommandSpec = {
  name: 'incrby',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Increment the integer value of a key by the given amount',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key increment:integer',
  handler: incrbyCommand,
};

/** DECRBY key decrement. -INT64_MIN has no int64, hence its own error. */
function decrbyCommand(c: Client, argv: string[]): void {
  const decr = readExactInt64(c, argv[2]!);
  if (decr === null) return;
  if (decr === INT64_MIN) {
    c.reply.error(errors.decrementOverflow);
    return;
  }
  incrDecrCommand(c, argv[1]!, -decr);
}

export const decrbySpec: CommandSpec = {
  name: 'decrby',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Decrement the integer value of a key by the given number',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key decrement:integer',
  handler: decrbyCommand,
};

/**
 * INCRBYFLOAT key increment: long double arithmetic and formatting (see
 * numbers.ts). The result is a bulk string in RESP3 too, as in Redis 7.0.
 * Propagated as SET key result KEEPTTL, so that a replica or the journal
 * never redoes the float arithmetic.
 */
function incrbyfloatCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const db = c.db;
  const entry = lookupStringWrite(c, key);
  if (entry === null) return;
  const result = incrByFloat(entry ?? null, argv[2]!);
  if (!result.ok) {
    c.reply.error(result.error);
    return;
  }
  // createStringObjectFromLongDouble: embstr (or raw), never int.
  if (entry === undefined) db.add(key, result.value, EMBSTR_STRING_ENCODING);
  else db.set(key, result.value, true, EMBSTR_STRING_ENCODING);
  c.server.events.keyModified(db, key, 'incrbyfloat');
  c.server.propagation.rewrite(['SET', key, result.value, 'KEEPTTL']);
  c.reply.bulk(result.value);
}

export const incrbyfloatSpec: CommandSpec = {
  name: 'incrbyfloat',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Increment the float value of a key by the given amount',
  since: '2.6.0',
  complexity: 'O(1)',
  syntax: 'key increment:double',
  handler: incrbyfloatCommand,
};
