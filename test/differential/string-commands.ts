/**
 * Random string-command generator for differential runs: GET/SET (every
 * option combination, valid or not), the SET variants, multi-key forms,
 * counters, ranges, LCS and wrong-arity calls, over the shared key and
 * value pools so that commands keep interacting.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import {
  ExpiryArgs,
  FLOAT_ARGS,
  INTEGER_ARGS,
  SHORT_VALUES,
  anyCase,
  pickKey,
  pickKeys,
  pickValue,
  unknownCommand,
  wrongArityCommand,
} from './pools.js';

export const STRING_COMMANDS: readonly string[] = [
  'GET', 'SET', 'SETNX', 'SETEX', 'PSETEX', 'MGET', 'MSET', 'MSETNX', 'GETSET', 'GETDEL', 'GETEX',
  'INCR', 'DECR', 'INCRBY', 'DECRBY', 'INCRBYFLOAT', 'APPEND', 'STRLEN', 'GETRANGE', 'SETRANGE', 'SUBSTR', 'LCS',
];

const RANGE_ARGS: readonly string[] = ['0', '1', '2', '3', '5', '-1', '-2', '-3', '-100', '100', '9223372036854775807', '-9223372036854775808', 'abc', ''];
/** Offsets past 512 MB only ever produce an error or a no-op, never a huge allocation. */
const SETRANGE_OFFSETS: readonly string[] = ['0', '1', '2', '3', '7', '10', '50', '-1', 'abc', '', '536870912', '9999999999'];

/** A value for an option that takes one: usually valid, sometimes not. */
function expiryOptionValue(rng: Rng, expiry: ExpiryArgs, option: string): string {
  if (rng.chance(0.15)) return expiry.invalid(rng);
  switch (option) {
    case 'EX': return expiry.relativeSeconds(rng);
    case 'PX': return expiry.relativeMillis(rng);
    case 'EXAT': return expiry.absoluteSeconds(rng);
    default: return expiry.absoluteMillis(rng);
  }
}

/** SET key value with a random subset of its options, in random order. */
function setCommand(rng: Rng, expiry: ExpiryArgs): Command {
  const args: string[] = [anyCase(rng, 'SET'), pickKey(rng), pickValue(rng)];
  const options = rng.subset(['EX', 'PX', 'EXAT', 'PXAT', 'NX', 'XX', 'KEEPTTL', 'GET'], 0.14);
  // Mostly at most one expiry option, so that most SETs succeed and change state.
  const expiryOptions = new Set(['EX', 'PX', 'EXAT', 'PXAT']);
  let kept = options;
  if (rng.chance(0.8)) {
    let seenExpiry = false;
    kept = options.filter((option) => {
      if (!expiryOptions.has(option)) return true;
      if (seenExpiry) return false;
      seenExpiry = true;
      return true;
    });
  }
  for (const option of kept) {
    args.push(anyCase(rng, option));
    if (expiryOptions.has(option)) args.push(expiryOptionValue(rng, expiry, option));
  }
  if (rng.chance(0.04)) args.push(rng.pick(['FOO', 'EX', 'PX', 'GET', 'NX']));
  return args;
}

function getexCommand(rng: Rng, expiry: ExpiryArgs): Command {
  const args: string[] = [anyCase(rng, 'GETEX'), pickKey(rng)];
  const optionCount = rng.weighted([[0, 3], [1, 8], [2, 1]] as const);
  for (let i = 0; i < optionCount; i++) {
    const option = rng.pick(['EX', 'PX', 'EXAT', 'PXAT', 'PERSIST']);
    args.push(anyCase(rng, option));
    if (option !== 'PERSIST' && !rng.chance(0.03)) args.push(expiryOptionValue(rng, expiry, option));
  }
  if (rng.chance(0.03)) args.push('FOO');
  return args;
}

function lcsCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'LCS'), pickKey(rng), pickKey(rng)];
  for (const option of rng.subset(['LEN', 'IDX', 'MINMATCHLEN', 'WITHMATCHLEN'], 0.35)) {
    args.push(anyCase(rng, option));
    if (option === 'MINMATCHLEN' && !rng.chance(0.05)) args.push(rng.pick(['0', '1', '2', '3', '4', '-1', 'abc']));
  }
  return args;
}

function msetArgs(rng: Rng): string[] {
  const args: string[] = [];
  for (let i = rng.int(1, 4); i > 0; i--) args.push(pickKey(rng), pickValue(rng));
  // An odd argument count is a wrong-arity error.
  if (rng.chance(0.05)) args.pop();
  return args;
}

/**
 * Returns a generator of string commands. Each run needs its own generator:
 * it numbers its relative expiry times (see `ExpiryArgs`).
 */
export function createStringCommandGenerator(): (rng: Rng) => Command {
  const expiry = new ExpiryArgs();
  return (rng) => {
    const kind = rng.weighted([
      ['SET', 16], ['GET', 10], ['MGET', 4], ['MSET', 3], ['MSETNX', 2],
      ['SETNX', 2], ['SETEX', 2], ['PSETEX', 2], ['GETSET', 2], ['GETDEL', 2], ['GETEX', 4],
      ['INCR', 3], ['DECR', 2], ['INCRBY', 3], ['DECRBY', 2], ['INCRBYFLOAT', 3],
      ['APPEND', 3], ['STRLEN', 3], ['GETRANGE', 3], ['SUBSTR', 1], ['SETRANGE', 3], ['LCS', 3],
      ['TTL', 2], ['PTTL', 1], ['DEL', 2], ['wrong-arity', 3], ['unknown', 0.5],
    ] as const);
    const key = pickKey(rng);
    const cmd = (name: string): string => anyCase(rng, name);
    switch (kind) {
      case 'SET': return setCommand(rng, expiry);
      case 'GET': return [cmd('GET'), key];
      case 'MGET': return [cmd('MGET'), ...pickKeys(rng, 1, 5)];
      case 'MSET': return [cmd('MSET'), ...msetArgs(rng)];
      case 'MSETNX': return [cmd('MSETNX'), ...msetArgs(rng)];
      case 'SETNX': return [cmd('SETNX'), key, pickValue(rng)];
      case 'SETEX': return [cmd('SETEX'), key, rng.chance(0.85) ? expiry.relativeSeconds(rng) : expiry.invalid(rng), pickValue(rng)];
      case 'PSETEX': return [cmd('PSETEX'), key, rng.chance(0.85) ? expiry.relativeMillis(rng) : expiry.invalid(rng), pickValue(rng)];
      case 'GETSET': return [cmd('GETSET'), key, pickValue(rng)];
      case 'GETDEL': return [cmd('GETDEL'), key];
      case 'GETEX': return getexCommand(rng, expiry);
      case 'INCR': return [cmd('INCR'), key];
      case 'DECR': return [cmd('DECR'), key];
      case 'INCRBY': return [cmd('INCRBY'), key, rng.pick(INTEGER_ARGS)];
      case 'DECRBY': return [cmd('DECRBY'), key, rng.pick(INTEGER_ARGS)];
      case 'INCRBYFLOAT': return [cmd('INCRBYFLOAT'), key, rng.pick(FLOAT_ARGS)];
      case 'APPEND': return [cmd('APPEND'), key, rng.pick(SHORT_VALUES)];
      case 'STRLEN': return [cmd('STRLEN'), key];
      case 'GETRANGE': return [cmd('GETRANGE'), key, rng.pick(RANGE_ARGS), rng.pick(RANGE_ARGS)];
      case 'SUBSTR': return [cmd('SUBSTR'), key, rng.pick(RANGE_ARGS), rng.pick(RANGE_ARGS)];
      case 'SETRANGE': return [cmd('SETRANGE'), key, rng.pick(SETRANGE_OFFSETS), rng.pick(SHORT_VALUES)];
      case 'LCS': return lcsCommand(rng);
      case 'TTL': return [cmd('TTL'), key];
      case 'PTTL': return [cmd('PTTL'), key];
      case 'DEL': return [cmd('DEL'), ...pickKeys(rng, 1, 3)];
      case 'wrong-arity': return wrongArityCommand(rng, STRING_COMMANDS);
      case 'unknown': return unknownCommand(rng);
    }
  };
}
