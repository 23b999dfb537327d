/**
 * Random keyspace-command generator for differential runs: existence and
 * deletion, expiry (with NX/XX/GT/LT), KEYS and SCAN patterns, renames,
 * COPY/MOVE across databases, SELECT/SWAPDB/FLUSHDB, OBJECT ENCODING and
 * unknown or wrong-arity commands. A share of string writes keeps the
 * keyspace populated with every string encoding (int, embstr, raw).
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import {
  ExpiryArgs,
  SHORT_VALUES,
  anyCase,
  pickKey,
  pickKeys,
  pickValue,
  unknownCommand,
  wrongArityCommand,
} from './pools.js';

export const KEY_COMMANDS: readonly string[] = [
  'DEL', 'UNLINK', 'EXISTS', 'TYPE', 'TOUCH', 'DBSIZE', 'EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT',
  'TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME', 'PERSIST', 'KEYS', 'SCAN', 'RENAME', 'RENAMENX',
  'COPY', 'MOVE', 'SELECT', 'SWAPDB', 'RANDOMKEY',
];

/** Glob patterns, including escapes, classes, binary bytes and malformed ones. */
export const GLOB_PATTERNS: readonly string[] = [
  '*', 'k*', 'k?', '?', '*x*', '[ab]', '[a-k]*', '[^a]*', '[!a]*', 'k\\*', 'k[*]', '*\x00*', '\xff*',
  'key:*', 'k[12]', '[', 'a\\', '*[', 'K*', 'x?y', '**', '', '[z-a]*', 'k[1-]', '\\a',
];

/** Databases the runs use; indexes outside 0-15 and non-numbers are errors. */
const DB_ARGS: readonly string[] = ['0', '1', '2', '3'];
const BAD_DB_ARGS: readonly string[] = ['16', '-1', 'abc', '1.5', '', '99999999999999999999'];

function dbArg(rng: Rng): string {
  return rng.chance(0.9) ? rng.pick(DB_ARGS) : rng.pick(BAD_DB_ARGS);
}

function expireCommand(rng: Rng, expiry: ExpiryArgs): Command {
  const name = rng.pick(['EXPIRE', 'PEXPIRE', 'EXPIREAT', 'PEXPIREAT']);
  let time: string;
  const roll = rng.next();
  if (roll < 0.12) time = expiry.invalid(rng);
  else if (name === 'EXPIRE') time = roll < 0.17 ? rng.pick(['0', '-1', '-100']) : expiry.relativeSeconds(rng);
  else if (name === 'PEXPIRE') time = roll < 0.17 ? rng.pick(['0', '-1', '-100']) : expiry.relativeMillis(rng);
  else if (name === 'EXPIREAT') time = expiry.absoluteSeconds(rng);
  else time = expiry.absoluteMillis(rng);
  const flags = rng.subset(['NX', 'XX', 'GT', 'LT'], 0.15).map((flag) => anyCase(rng, flag));
  if (rng.chance(0.03)) flags.push('FOO');
  return [anyCase(rng, name), pickKey(rng), time, ...flags];
}

function scanCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'SCAN'), '0'];
  for (const option of rng.subset(['MATCH', 'COUNT', 'TYPE'], 0.4)) {
    args.push(anyCase(rng, option));
    if (rng.chance(0.03)) continue; // option without its argument: syntax error
    if (option === 'MATCH') args.push(rng.pick(GLOB_PATTERNS));
    else if (option === 'COUNT') args.push(rng.chance(0.9) ? rng.pick(['1', '2', '3', '5', '10', '100']) : rng.pick(['0', '-1', 'abc']));
    else args.push(rng.pick(['string', 'STRING', 'list', 'set', 'hash', 'zset', 'stream', 'none', 'foo']));
  }
  return args;
}

/** SCAN with a cursor Redis rejects; valid non-zero cursors are implementation-specific. */
function badCursorScan(rng: Rng): Command {
  return [anyCase(rng, 'SCAN'), rng.pick(['abc', '1.5', ' 1', '1 ', '18446744073709551616', '0x10'])];
}

function copyCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'COPY'), pickKey(rng), pickKey(rng)];
  for (const option of rng.subset(['DB', 'REPLACE'], 0.4)) {
    args.push(anyCase(rng, option));
    if (option === 'DB') args.push(dbArg(rng));
  }
  if (rng.chance(0.03)) args.push('FOO');
  return args;
}

function objectCommand(rng: Rng): Command {
  const roll = rng.next();
  if (roll < 0.85) return [anyCase(rng, 'OBJECT'), anyCase(rng, 'ENCODING'), pickKey(rng)];
  if (roll < 0.9) return [anyCase(rng, 'OBJECT'), 'ENCODING'];
  if (roll < 0.95) return [anyCase(rng, 'OBJECT'), rng.pick(['FOO', 'encodings', 'ENCODING']), pickKey(rng), pickKey(rng)];
  return [anyCase(rng, 'OBJECT')];
}

/** A string write that leaves an int, embstr or raw encoded value. */
function populateCommand(rng: Rng, expiry: ExpiryArgs): Command {
  const key = pickKey(rng);
  switch (rng.weighted([['SET', 6], ['SETEX', 1], ['SET PX', 1], ['MSET', 1], ['INCR', 1], ['APPEND', 1], ['SETRANGE', 1]] as const)) {
    case 'SET': return ['SET', key, pickValue(rng)];
    case 'SETEX': return ['SETEX', key, expiry.relativeSeconds(rng), pickValue(rng)];
    case 'SET PX': return ['SET', key, pickValue(rng), 'PX', expiry.relativeMillis(rng)];
    case 'MSET': return ['MSET', pickKey(rng), pickValue(rng), pickKey(rng), pickValue(rng)];
    case 'INCR': return ['INCR', key];
    case 'APPEND': return ['APPEND', key, rng.pick(SHORT_VALUES)];
    case 'SETRANGE': return ['SETRANGE', key, String(rng.int(0, 8)), rng.pick(SHORT_VALUES)];
  }
}

/**
 * Returns a generator of keyspace commands. Each run needs its own
 * generator: it numbers its relative expiry times (see `ExpiryArgs`).
 */
export function createKeyCommandGenerator(): (rng: Rng) => Command {
  const expiry = new ExpiryArgs();
  return (rng) => {
    const kind = rng.weighted([
      ['populate', 18], ['DEL', 3], ['UNLINK', 2], ['EXISTS', 4], ['TYPE', 3], ['TOUCH', 2], ['DBSIZE', 2],
      ['EXPIRE', 10], ['TTL', 3], ['PTTL', 2], ['EXPIRETIME', 2], ['PEXPIRETIME', 2], ['PERSIST', 2],
      ['KEYS', 4], ['SCAN', 4], ['SCAN bad cursor', 0.5], ['RENAME', 3], ['RENAMENX', 2], ['COPY', 3],
      ['MOVE', 2], ['SELECT', 2], ['SWAPDB', 1], ['FLUSHDB', 0.3], ['OBJECT', 3], ['RANDOMKEY', 1],
      ['wrong-arity', 2], ['unknown', 1.5],
    ] as const);
    const key = pickKey(rng);
    const cmd = (name: string): string => anyCase(rng, name);
    switch (kind) {
      case 'populate': return populateCommand(rng, expiry);
      case 'DEL': return [cmd('DEL'), ...pickKeys(rng, 1, 4)];
      case 'UNLINK': return [cmd('UNLINK'), ...pickKeys(rng, 1, 4)];
      case 'EXISTS': return [cmd('EXISTS'), ...pickKeys(rng, 1, 5)];
      case 'TYPE': return [cmd('TYPE'), key];
      case 'TOUCH': return [cmd('TOUCH'), ...pickKeys(rng, 1, 4)];
      case 'DBSIZE': return [cmd('DBSIZE')];
      case 'EXPIRE': return expireCommand(rng, expiry);
      case 'TTL': return [cmd('TTL'), key];
      case 'PTTL': return [cmd('PTTL'), key];
      case 'EXPIRETIME': return [cmd('EXPIRETIME'), key];
      case 'PEXPIRETIME': return [cmd('PEXPIRETIME'), key];
      case 'PERSIST': return [cmd('PERSIST'), key];
      case 'KEYS': return [cmd('KEYS'), rng.pick(GLOB_PATTERNS)];
      case 'SCAN': return scanCommand(rng);
      case 'SCAN bad cursor': return badCursorScan(rng);
      case 'RENAME': return [cmd('RENAME'), key, pickKey(rng)];
      case 'RENAMENX': return [cmd('RENAMENX'), key, pickKey(rng)];
      case 'COPY': return copyCommand(rng);
      case 'MOVE': return [cmd('MOVE'), key, dbArg(rng)];
      case 'SELECT': return [cmd('SELECT'), dbArg(rng)];
      case 'SWAPDB': return [cmd('SWAPDB'), dbArg(rng), dbArg(rng)];
      case 'FLUSHDB': return rng.chance(0.8) ? [cmd('FLUSHDB'), ...rng.subset(['ASYNC'], 0.3)] : [cmd('FLUSHDB'), rng.pick(['SYNC', 'FOO'])];
      case 'OBJECT': return objectCommand(rng);
      case 'RANDOMKEY': return [cmd('RANDOMKEY')];
      case 'wrong-arity': return wrongArityCommand(rng, KEY_COMMANDS);
      case 'unknown': return unknownCommand(rng);
    }
  };
}
