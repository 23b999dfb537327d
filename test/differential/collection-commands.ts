/**
 * Random hash and set command generator for differential runs, with a few
 * string commands (SET/GET/DEL) on the same small key pool so that every
 * command meets keys of the wrong type, OBJECT ENCODING to follow the
 * listpack/intset → hashtable conversions, and CONFIG SET of the encoding
 * thresholds so small pools reach the hashtable encodings (and HSCAN/SSCAN
 * their multi-call iterations).
 *
 * Random picks (SPOP, SRANDMEMBER, HRANDFIELD) are compared by reply type
 * only (see REPLY_RULES). SPOP also makes the two servers' sets differ, so
 * it is always followed by SCARD (the count must agree) and DEL of the key,
 * which brings the servers back in step.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { FLOAT_ARGS, INTEGER_ARGS, anyCase, pickValue, unknownCommand } from './pools.js';

/**
 * The key pool: hash commands mostly use the hash keys and set commands the
 * set keys (so most calls succeed), but each also picks from the whole pool
 * now and then, meeting strings and the other collection type.
 */
export const COLLECTION_KEYS: readonly string[] = ['h1', 'h2\x00', 's1', 's2', 's3', 'str'];
const HASH_KEYS = COLLECTION_KEYS.slice(0, 2);
const SET_KEYS = COLLECTION_KEYS.slice(2, 5);

const LONG = 'long:' + 'x'.repeat(70);

/** Fields: short ones, binary ones, and one past hash-max-listpack-value. */
const FIELDS: readonly string[] = ['f', 'g', 'h1', 'a', 'n', 'm', '', '\x00', 'caf\xe9', '1', LONG];

/** Members: canonical int64s (intset material), near-integers that are not, and strings. */
const INT_MEMBERS: readonly string[] = [
  '1', '2', '3', '-1', '0', '42', '100', '7', '-50', '9223372036854775807', '-9223372036854775808',
];
const OTHER_MEMBERS: readonly string[] = [
  '9223372036854775808', '007', '-0', '+1', ' 1', 'a', 'b', 'c', 'hello', 'x\x00y', '\xff', '',
];

/** Declared arities (COMMAND INFO on Redis 7.0), for wrong-arity calls. */
const ARITY: Readonly<Record<string, number>> = {
  HSET: -4, HSETNX: 4, HGET: 3, HMGET: -3, HMSET: -4, HDEL: -3, HEXISTS: 3, HLEN: 2, HSTRLEN: 3,
  HKEYS: 2, HVALS: 2, HGETALL: 2, HINCRBY: 4, HINCRBYFLOAT: 4, HRANDFIELD: -2, HSCAN: -3,
  SADD: -3, SREM: -3, SMEMBERS: 2, SISMEMBER: 3, SMISMEMBER: -3, SCARD: 2, SPOP: -2, SRANDMEMBER: -2,
  SMOVE: 4, SINTER: -2, SINTERCARD: -3, SINTERSTORE: -3, SUNION: -2, SUNIONSTORE: -3, SDIFF: -2,
  SDIFFSTORE: -3, SSCAN: -3,
};

/** Counts for HRANDFIELD/SRANDMEMBER; huge negative ones only where they are errors. */
const RANDOM_COUNTS: readonly string[] = [
  '-5', '-2', '-1', '0', '1', '2', '3', '5', '100', 'x', '1.5', '-9223372036854775808', '9223372036854775807',
];

const SCAN_PATTERNS: readonly string[] = ['*', 'f*', '?', '[ab]*', '*\x00*', '1*', 'zz', '[', 'h?', 'x*'];

function anyKey(rng: Rng): string {
  return rng.pick(COLLECTION_KEYS);
}

function hashKey(rng: Rng): string {
  return rng.chance(0.12) ? anyKey(rng) : rng.pick(HASH_KEYS);
}

function setKey(rng: Rng): string {
  return rng.chance(0.08) ? anyKey(rng) : rng.pick(SET_KEYS);
}

/** STORE and SMOVE destinations: rarely a key of another kind, which they then take over. */
function destinationKey(rng: Rng): string {
  return rng.chance(0.04) ? anyKey(rng) : rng.pick(SET_KEYS);
}

/** String commands mostly keep to their own key. */
function stringKey(rng: Rng): string {
  return rng.chance(0.25) ? anyKey(rng) : 'str';
}

function setKeys(rng: Rng, min: number, max: number): string[] {
  return Array.from({ length: rng.int(min, max) }, () => setKey(rng));
}

function field(rng: Rng): string {
  return rng.chance(0.015) ? LONG : rng.pick(FIELDS.slice(0, -1));
}

/**
 * Mostly integers, so sets stay intsets for a while before a string
 * converts them; the compact keys (see `isCompact`) get strings rarely.
 */
function member(rng: Rng, compact = false): string {
  if (rng.chance(compact ? 0.002 : 0.015)) return LONG;
  return rng.chance(compact ? 0.97 : 0.65) ? rng.pick(INT_MEMBERS) : rng.pick(OTHER_MEMBERS);
}

function members(rng: Rng, min: number, max: number, compact: boolean): string[] {
  return Array.from({ length: rng.int(min, max) }, () => member(rng, compact));
}

/**
 * Conversions are sticky, so h1 and s1 get short values and integer
 * members almost only: they stay listpack and intset for long stretches,
 * while the other keys convert early.
 */
function isCompact(key: string): boolean {
  return key === 'h1' || key === 's1';
}

/** A hash value: mostly numbers, so HINCRBY and HINCRBYFLOAT often succeed. */
function hashValue(rng: Rng, compact = false): string {
  if (compact || rng.chance(0.4)) return rng.pick(['0', '1', '-7', '100', '9223372036854775806', '3.5', '-0.25', '1e3']);
  return pickValue(rng);
}

/** HSET/HMSET with 1-3 pairs, now and then a field without its value. */
function hsetCommand(rng: Rng, name: string): Command {
  const key = hashKey(rng);
  const args: string[] = [anyCase(rng, name), key];
  const pairs = rng.int(1, 3);
  for (let i = 0; i < pairs; i++) args.push(isCompact(key) && rng.chance(0.98) ? rng.pick(FIELDS.slice(0, 6)) : field(rng), hashValue(rng, isCompact(key)));
  if (rng.chance(0.05)) args.pop();
  return args;
}

function hrandfieldCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'HRANDFIELD'), hashKey(rng)];
  if (rng.chance(0.25)) return args;
  args.push(rng.pick(RANDOM_COUNTS));
  if (rng.chance(0.5)) args.push(rng.chance(0.92) ? anyCase(rng, 'WITHVALUES') : rng.pick(['WITHVALUE', 'foo']));
  if (rng.chance(0.03)) args.push('extra');
  return args;
}

function spopCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'SPOP'), setKey(rng)];
  if (rng.chance(0.6)) args.push(rng.pick(['0', '1', '2', '3', '5', '100', '-1', 'x']));
  if (rng.chance(0.03)) args.push('extra');
  return args;
}

function srandmemberCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'SRANDMEMBER'), setKey(rng)];
  if (rng.chance(0.75)) args.push(rng.pick(RANDOM_COUNTS));
  if (rng.chance(0.03)) args.push('extra');
  return args;
}

function sintercardCommand(rng: Rng): Command {
  const chosen = setKeys(rng, 1, 3);
  const numkeys = rng.chance(0.9) ? String(chosen.length) : rng.pick(['0', '-1', 'x', String(chosen.length + 1)]);
  const args: string[] = [anyCase(rng, 'SINTERCARD'), numkeys, ...chosen];
  if (rng.chance(0.4)) args.push(anyCase(rng, 'LIMIT'), rng.pick(['0', '1', '2', '5', '-1', 'x']));
  if (rng.chance(0.03)) args.push(rng.pick(['LIMIT', 'FOO']));
  return args;
}

/** HSCAN/SSCAN from cursor 0 (the harness iterates to the end) or with a cursor Redis rejects. */
function scanCommand(rng: Rng, name: string): Command {
  const cursor = rng.chance(0.92) ? '0' : rng.pick(['abc', '1.5', ' 1', '18446744073709551616']);
  const args: string[] = [anyCase(rng, name), name === 'HSCAN' ? hashKey(rng) : setKey(rng), cursor];
  for (const option of rng.subset(['MATCH', 'COUNT'], 0.35)) {
    args.push(anyCase(rng, option));
    if (rng.chance(0.03)) continue; // option without its argument
    if (option === 'MATCH') args.push(rng.pick(SCAN_PATTERNS));
    else args.push(rng.chance(0.9) ? rng.pick(['1', '2', '3', '10', '100']) : rng.pick(['0', '-1', 'x']));
  }
  if (rng.chance(0.02)) args.push(anyCase(rng, 'TYPE'), 'string');
  return args;
}

/** Low thresholds so the small pools reach the hashtable encodings; the defaults to go back. */
function configCommand(rng: Rng): Command {
  const [name, value] = rng.pick([
    ['hash-max-listpack-entries', '4'], ['hash-max-listpack-entries', '128'], ['hash-max-listpack-entries', '128'],
    ['hash-max-listpack-value', '4'], ['hash-max-listpack-value', '64'], ['hash-max-listpack-value', '64'],
    ['set-max-intset-entries', '2'], ['set-max-intset-entries', '4'], ['set-max-intset-entries', '512'],
    ['set-max-intset-entries', '512'],
  ] as const);
  return ['CONFIG', 'SET', name, value];
}

function wrongArityCommand(rng: Rng): Command {
  const name = rng.pick(Object.keys(ARITY));
  const arity = ARITY[name]!;
  const argc = arity > 0 ? rng.pick([1, arity - 1, arity + 1].filter((n) => n >= 1)) : rng.int(1, -arity - 1);
  const args = Array.from({ length: argc - 1 }, () => (rng.chance(0.5) ? anyKey(rng) : member(rng)));
  return [anyCase(rng, name), ...args];
}

/**
 * Returns a generator of hash, set and string commands. Each run needs its
 * own: it keeps the follow-up commands an SPOP owes.
 */
export function createCollectionCommandGenerator(): (rng: Rng) => Command {
  const pending: Command[] = [];
  return (rng) => {
    const queued = pending.shift();
    if (queued !== undefined) return queued;
    const kind = rng.weighted([
      ['HSET', 8], ['HSETNX', 2], ['HMSET', 1], ['HGET', 4], ['HMGET', 2], ['HDEL', 4], ['HEXISTS', 2],
      ['HLEN', 2], ['HSTRLEN', 2], ['HKEYS', 2], ['HVALS', 2], ['HGETALL', 3], ['HINCRBY', 3],
      ['HINCRBYFLOAT', 3], ['HRANDFIELD', 2], ['HSCAN', 3],
      ['SADD', 9], ['SREM', 4], ['SMEMBERS', 3], ['SISMEMBER', 2], ['SMISMEMBER', 2], ['SCARD', 2],
      ['SPOP', 2], ['SRANDMEMBER', 2], ['SMOVE', 3], ['SINTER', 2], ['SINTERCARD', 2], ['SINTERSTORE', 2],
      ['SUNION', 2], ['SUNIONSTORE', 2], ['SDIFF', 2], ['SDIFFSTORE', 2], ['SSCAN', 3],
      ['SET', 1], ['GET', 1], ['DEL', 3], ['TYPE', 1], ['EXPIRE', 0.5], ['TTL', 0.5],
      ['OBJECT ENCODING', 4], ['CONFIG SET', 0.4], ['wrong-arity', 1], ['unknown', 0.2],
    ] as const);
    const cmd = (name: string): string => anyCase(rng, name);
    const h = hashKey(rng);
    const k = setKey(rng);
    const any = anyKey(rng);
    switch (kind) {
      case 'HSET': return hsetCommand(rng, 'HSET');
      case 'HMSET': return hsetCommand(rng, 'HMSET');
      case 'HSETNX': return [cmd('HSETNX'), h, field(rng), hashValue(rng, isCompact(h))];
      case 'HGET': return [cmd('HGET'), h, field(rng)];
      case 'HMGET': return [cmd('HMGET'), h, ...Array.from({ length: rng.int(1, 4) }, () => field(rng))];
      case 'HDEL': return [cmd('HDEL'), h, ...Array.from({ length: rng.int(1, 3) }, () => field(rng))];
      case 'HEXISTS': return [cmd('HEXISTS'), h, field(rng)];
      case 'HLEN': return [cmd('HLEN'), h];
      case 'HSTRLEN': return [cmd('HSTRLEN'), h, field(rng)];
      case 'HKEYS': return [cmd('HKEYS'), h];
      case 'HVALS': return [cmd('HVALS'), h];
      case 'HGETALL': return [cmd('HGETALL'), h];
      case 'HINCRBY': return [cmd('HINCRBY'), h, field(rng), rng.pick(INTEGER_ARGS)];
      case 'HINCRBYFLOAT': return [cmd('HINCRBYFLOAT'), h, field(rng), rng.pick(FLOAT_ARGS)];
      case 'HRANDFIELD': return hrandfieldCommand(rng);
      case 'HSCAN': return scanCommand(rng, 'HSCAN');
      case 'SADD': return [cmd('SADD'), k, ...members(rng, 1, 4, isCompact(k))];
      case 'SREM': return [cmd('SREM'), k, ...members(rng, 1, 3, isCompact(k))];
      case 'SMEMBERS': return [cmd('SMEMBERS'), k];
      case 'SISMEMBER': return [cmd('SISMEMBER'), k, member(rng)];
      case 'SMISMEMBER': return [cmd('SMISMEMBER'), k, ...members(rng, 1, 4, false)];
      case 'SCARD': return [cmd('SCARD'), k];
      case 'SPOP': {
        const command = spopCommand(rng);
        pending.push(['SCARD', command[1]!], ['DEL', command[1]!]);
        return command;
      }
      case 'SRANDMEMBER': return srandmemberCommand(rng);
      case 'SMOVE': return [cmd('SMOVE'), k, destinationKey(rng), member(rng)];
      case 'SINTER': return [cmd('SINTER'), ...setKeys(rng, 1, 3)];
      case 'SINTERCARD': return sintercardCommand(rng);
      case 'SINTERSTORE': return [cmd('SINTERSTORE'), destinationKey(rng), ...setKeys(rng, 1, 3)];
      case 'SUNION': return [cmd('SUNION'), ...setKeys(rng, 1, 3)];
      case 'SUNIONSTORE': return [cmd('SUNIONSTORE'), destinationKey(rng), ...setKeys(rng, 1, 3)];
      case 'SDIFF': return [cmd('SDIFF'), ...setKeys(rng, 1, 3)];
      case 'SDIFFSTORE': return [cmd('SDIFFSTORE'), destinationKey(rng), ...setKeys(rng, 1, 3)];
      case 'SSCAN': return scanCommand(rng, 'SSCAN');
      case 'SET': return [cmd('SET'), stringKey(rng), pickValue(rng)];
      case 'GET': return [cmd('GET'), stringKey(rng)];
      case 'DEL': return [cmd('DEL'), ...Array.from({ length: rng.int(1, 2) }, () => anyKey(rng))];
      case 'TYPE': return [cmd('TYPE'), any];
      case 'EXPIRE': return [cmd('EXPIRE'), any, rng.pick(['1000000', '2000000'])];
      case 'TTL': return [cmd('TTL'), any];
      case 'OBJECT ENCODING': return [cmd('OBJECT'), cmd('ENCODING'), rng.chance(0.5) ? h : k];
      case 'CONFIG SET': return configCommand(rng);
      case 'wrong-arity': return wrongArityCommand(rng);
      case 'unknown': return unknownCommand(rng);
    }
  };
}
