/**
 * Random list-command generator for differential runs: every list command
 * and option, valid or not, over a small key pool and a small value pool
 * (so LREM, LPOS and LINSERT find their elements), with a few SET, GET,
 * DEL and SADD calls so that WRONGTYPE paths run.
 *
 * The blocking forms run only where they cannot block, so replies never
 * depend on timing: each is sent right after an RPUSH to one of its keys
 * (the source, for BLMOVE/BRPOPLPUSH). That key then holds data, or is of
 * another type and the command fails with WRONGTYPE; either way it answers
 * at once, on both servers.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { KEYS, anyCase, pickKey, pickKeys, unknownCommand } from './pools.js';

export const LIST_COMMANDS: readonly string[] = [
  'LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX', 'LPOP', 'RPOP', 'LLEN', 'LRANGE', 'LINDEX', 'LSET', 'LINSERT',
  'LREM', 'LTRIM', 'LPOS', 'LMOVE', 'RPOPLPUSH', 'LMPOP', 'BLPOP', 'BRPOP', 'BLMPOP', 'BLMOVE', 'BRPOPLPUSH',
];

/** Few distinct values, so that searches and removals hit; binary ones included. */
/**
 * Only these keys ever hold another type, so most keys stay lists and
 * WRONGTYPE stays the exception.
 */
const OTHER_TYPE_KEYS: readonly string[] = KEYS.slice(-2);

const ELEMENTS: readonly string[] = ['a', 'b', 'c', 'a', 'b', '1', '2', '-1', '', '\x00', 'a\x00b', '\xff', 'x'.repeat(60)];

const INDEXES: readonly string[] = [
  '0', '1', '2', '3', '-1', '-2', '-3', '5', '-5', '100', '-100',
  '9223372036854775807', '-9223372036854775808', 'abc', '1.5',
];
const SMALL_INDEXES: readonly string[] = ['0', '1', '2', '-1', '-2', '4', '-4', 'abc'];
const COUNTS: readonly string[] = ['0', '1', '2', '3', '5', '100', '9223372036854775807', '-1', 'abc'];
const REM_COUNTS: readonly string[] = ['0', '0', '1', '2', '-1', '-2', '5', '-5', '-9223372036854775808', 'abc'];
const RANKS: readonly string[] = ['1', '2', '3', '-1', '-2', '-3', '10', '0', '-9223372036854775808', 'abc'];
const ENDS: readonly string[] = ['LEFT', 'RIGHT', 'LEFT', 'RIGHT', 'left', 'right', 'Left', 'RIGHT', 'up'];
/** Timeouts for blocking calls that will not block: valid ones and every kind of error. */
const TIMEOUTS: readonly string[] = ['0', '0', '0', '1', '0.5', '1e-400', '-0.0001', 'abc', '-1', 'inf', '1e16'];

/** Redis 7.0's arities of the list commands, for wrong-arity calls. */
const LIST_ARITY: Readonly<Record<string, number>> = {
  LPUSH: -3, RPUSH: -3, LPUSHX: -3, RPUSHX: -3, LPOP: -2, RPOP: -2, LLEN: 2, LRANGE: 4, LINDEX: 3, LSET: 4,
  LINSERT: 5, LREM: 4, LTRIM: 4, LPOS: -3, LMOVE: 5, RPOPLPUSH: 3, LMPOP: -4,
  BLPOP: -3, BRPOP: -3, BLMPOP: -5, BLMOVE: 6, BRPOPLPUSH: 4,
};

function elements(rng: Rng, min: number, max: number): string[] {
  return Array.from({ length: rng.int(min, max) }, () => rng.pick(ELEMENTS));
}

function lposCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'LPOS'), pickKey(rng), rng.pick(ELEMENTS)];
  for (const option of rng.subset(['RANK', 'COUNT', 'MAXLEN'], 0.45)) {
    args.push(anyCase(rng, option));
    if (rng.chance(0.03)) break; // an option without its value
    if (option === 'RANK') args.push(rng.pick(RANKS));
    else if (option === 'COUNT') args.push(rng.pick(['0', '0', '1', '2', '3', '-1', 'abc']));
    else args.push(rng.pick(['0', '1', '2', '3', '5', '-1', 'abc']));
  }
  if (rng.chance(0.03)) args.push(rng.pick(['FOO', 'RANK']));
  return args;
}

/** numkeys, the keys, LEFT|RIGHT and maybe COUNT; mostly well formed. */
function mpopArguments(rng: Rng, keys: string[], wellFormed: boolean): string[] {
  let numkeys = String(keys.length);
  if (!wellFormed && rng.chance(0.3)) numkeys = rng.pick(['0', '-1', 'abc', String(keys.length + 1), '9223372036854775807']);
  const args = [numkeys, ...keys, wellFormed ? rng.pick(['LEFT', 'RIGHT', 'left']) : rng.pick(ENDS)];
  if (rng.chance(0.5)) args.push(anyCase(rng, 'COUNT'), wellFormed ? rng.pick(['1', '2', '3', '10']) : rng.pick(COUNTS));
  if (!wellFormed && rng.chance(0.05)) args.push(rng.pick(['COUNT', 'FOO']));
  return args;
}

/**
 * A blocking call that will not block: `key` was just pushed to (or is not
 * a list, which makes the call fail at once).
 */
function blockingCommand(rng: Rng, key: string): Command {
  const timeout = rng.pick(TIMEOUTS);
  const withKey = (): string[] => rng.shuffle([key, ...pickKeys(rng, 0, 2)]);
  switch (rng.pick(['BLPOP', 'BRPOP', 'BLMPOP', 'BLMOVE', 'BRPOPLPUSH'] as const)) {
    case 'BLPOP': return [anyCase(rng, 'BLPOP'), ...withKey(), timeout];
    case 'BRPOP': return [anyCase(rng, 'BRPOP'), ...withKey(), timeout];
    case 'BLMPOP': return [anyCase(rng, 'BLMPOP'), timeout, ...mpopArguments(rng, withKey(), true)];
    case 'BLMOVE': return [anyCase(rng, 'BLMOVE'), key, pickKey(rng), rng.pick(['LEFT', 'RIGHT']), rng.pick(['LEFT', 'RIGHT']), timeout];
    case 'BRPOPLPUSH': return [anyCase(rng, 'BRPOPLPUSH'), key, pickKey(rng), timeout];
  }
}

function wrongArityCommand(rng: Rng): Command {
  const name = rng.pick(Object.keys(LIST_ARITY));
  const arity = LIST_ARITY[name]!;
  // Too few for every command; one too many for the fixed ones (and LPOP's count).
  let argc = rng.int(1, Math.abs(arity) - 1);
  if (arity > 0 && rng.chance(0.4)) argc = arity + 1;
  if ((name === 'LPOP' || name === 'RPOP') && rng.chance(0.4)) argc = 4;
  // Keys first, so the too-many case of a blocking command can't block (it is rejected first anyway).
  return [anyCase(rng, name), ...Array.from({ length: argc - 1 }, () => (rng.chance(0.5) ? pickKey(rng) : '1'))];
}

export function createListCommandGenerator(): (rng: Rng) => Command {
  /** The blocking call owed after the RPUSH that gave its key data. */
  let pending: Command | null = null;
  return (rng) => {
    if (pending !== null) {
      const command = pending;
      pending = null;
      return command;
    }
    const kind = rng.weighted([
      ['PUSH', 22], ['PUSHX', 4], ['POP', 9], ['LLEN', 3], ['LRANGE', 6], ['LINDEX', 4], ['LSET', 4],
      ['LINSERT', 4], ['LREM', 4], ['LTRIM', 3], ['LPOS', 6], ['LMOVE', 5], ['RPOPLPUSH', 2], ['LMPOP', 4],
      ['blocking', 7], ['SET', 1.5], ['GET', 1], ['SADD', 1.5], ['DEL', 3], ['TYPE', 1], ['wrong-arity', 1.5], ['unknown', 0.3],
    ] as const);
    const key = pickKey(rng);
    const cmd = (name: string): string => anyCase(rng, name);
    switch (kind) {
      case 'PUSH': return [cmd(rng.pick(['LPUSH', 'RPUSH'])), key, ...elements(rng, 1, 4)];
      case 'PUSHX': return [cmd(rng.pick(['LPUSHX', 'RPUSHX'])), key, ...elements(rng, 1, 3)];
      case 'POP': {
        const args = [cmd(rng.pick(['LPOP', 'RPOP'])), key];
        if (rng.chance(0.4)) args.push(rng.pick(COUNTS));
        return args;
      }
      case 'LLEN': return [cmd('LLEN'), key];
      case 'LRANGE': return [cmd('LRANGE'), key, rng.pick(INDEXES), rng.pick(INDEXES)];
      case 'LINDEX': return [cmd('LINDEX'), key, rng.pick(INDEXES)];
      case 'LSET': return [cmd('LSET'), key, rng.pick(SMALL_INDEXES), rng.pick(ELEMENTS)];
      case 'LINSERT': return [cmd('LINSERT'), key, rng.pick(['BEFORE', 'AFTER', 'before', 'after', 'AFTER', 'middle']), rng.pick(ELEMENTS), rng.pick(ELEMENTS)];
      case 'LREM': return [cmd('LREM'), key, rng.pick(REM_COUNTS), rng.pick(ELEMENTS)];
      case 'LTRIM': return [cmd('LTRIM'), key, rng.pick(['0', '0', '1', '-3', '2', 'abc']), rng.pick(['-1', '-1', '-2', '5', '2', '0', 'x'])];
      case 'LPOS': return lposCommand(rng);
      case 'LMOVE': return [cmd('LMOVE'), key, rng.chance(0.2) ? key : pickKey(rng), rng.pick(ENDS), rng.pick(ENDS)];
      case 'RPOPLPUSH': return [cmd('RPOPLPUSH'), key, rng.chance(0.2) ? key : pickKey(rng)];
      case 'LMPOP': return [cmd('LMPOP'), ...mpopArguments(rng, pickKeys(rng, 1, 3), rng.chance(0.7))];
      case 'blocking':
        pending = blockingCommand(rng, key);
        return [cmd('RPUSH'), key, ...elements(rng, 1, 3)];
      case 'SET': return [cmd('SET'), rng.pick(OTHER_TYPE_KEYS), rng.pick(ELEMENTS)];
      case 'GET': return [cmd('GET'), key];
      case 'SADD': return [cmd('SADD'), rng.pick(OTHER_TYPE_KEYS), ...elements(rng, 1, 2)];
      case 'DEL': return [cmd('DEL'), rng.chance(0.6) ? rng.pick(OTHER_TYPE_KEYS) : key];
      case 'TYPE': return [cmd('TYPE'), key];
      case 'wrong-arity': return wrongArityCommand(rng);
      case 'unknown': return unknownCommand(rng);
    }
  };
}
