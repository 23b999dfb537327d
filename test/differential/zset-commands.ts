/**
 * Random sorted set command generator for differential runs: every
 * non-blocking zset command with valid and invalid options, the blocking
 * pops with timeouts short enough that they answer either way (a single
 * client can't be woken), and a few SET/GET/DEL/SADD on the same keys so
 * that WRONGTYPE paths and plain-set inputs come up.
 *
 * Scores include the infinities, -0, fractions and Redis's float syntax;
 * bounds include exclusive, infinite and lex forms; members include NUL
 * and 0xff bytes and one past zset-max-listpack-value, which makes its set
 * a skiplist (as do the ZADDs of 130 members, mostly to zbig), so both
 * encodings, ZSCAN's cursors and the -0 rules are exercised. Only Redis
 * 7.0's syntax is generated: no ZRANK ... WITHSCORE (7.2), and no
 * wrong-arity ZRANK with 4 arguments, which reddish accepts for it.
 *
 * ZRANDMEMBER is compared by reply type here (REPLY_RULES) and by shape in
 * zsets.test.ts.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { anyCase, unknownCommand } from './pools.js';

/**
 * Sorted set keys, a string and a plain set, all in one pool. Lex ranges
 * assume equal scores; with mixed scores Redis's answer depends on its
 * skiplist's random levels, which no two servers share. So the lex commands
 * read `zlex`, whose members all score 0 (every command that sets scores
 * gives it 0 or leaves it alone), or `set` or `nokey`, which never hold a
 * sorted set; the other sorted sets get any score. `str` is no lex key: a
 * ZADD to it after a DEL makes it a sorted set with any scores.
 */
export const ZSET_KEYS: readonly string[] = ['z1', 'z2', 'z3\x00', 'zbig', 'zlex', 'str', 'set'];
const SCORED_KEYS = ZSET_KEYS.slice(0, 4);
const SORTED_KEYS = ZSET_KEYS.slice(0, 5);

const LONG = 'long:' + 'y'.repeat(70);

const MEMBERS: readonly string[] = [
  'a', 'b', 'c', 'd', 'e', 'f', 'g', 'ab', 'abc', 'B', '', '\x00', 'a\x00b', '\xff', '\xff\xfe', 'caf\xe9', '1', '10', '2', '-1',
];

const SCORES: readonly string[] = [
  '0', '1', '-1', '2', '3', '2.5', '-2.5', '0.1', '0.2', '0.3', '1e3', '-0', '100', '1e-5', '1.5', '7',
  'inf', '-inf', '+inf', '0x10', '5.0e1', '.5',
];
const BAD_SCORES: readonly string[] = ['nan', 'abc', '', ' 1', '1 ', '1e400', '(1'];

const SCORE_BOUNDS: readonly string[] = [
  '-inf', '+inf', 'inf', '0', '(0', '1', '(1', '2.5', '(2.5', '-1', '(-1', '3', '(3', '100', '(', '1e400', '-1e400', ' 1',
  '(inf', '-0', '0x10',
];
const BAD_SCORE_BOUNDS: readonly string[] = ['abc', '((1', 'nan', '(nan', '1 '];

const LEX_BOUNDS: readonly string[] = ['-', '+', '[a', '(a', '[b', '(b', '[c', '(ab', '[', '(', '[\x00', '(\xff', '[caf\xe9', '[e', '(g', '[B'];
const BAD_LEX_BOUNDS: readonly string[] = ['a', '++', '--', '', '{a'];

const RANKS: readonly string[] = ['0', '1', '2', '3', '-1', '-2', '-3', '5', '10', '-10', '100', '-100'];
const BAD_RANKS: readonly string[] = ['abc', '1.5', '', '9223372036854775808'];

const COUNTS: readonly string[] = ['0', '1', '2', '3', '5', '10', '-1', '-2', '100'];

const SCAN_PATTERNS: readonly string[] = ['*', 'a*', '?', '[ab]*', '*\x00*', '1*', 'zz', '[', '\xff*'];

/** Declared arities (COMMAND INFO on Redis 7.0), for wrong-arity calls. */
const ARITY: Readonly<Record<string, number>> = {
  ZADD: -4, ZINCRBY: 4, ZREM: -3, ZSCORE: 3, ZMSCORE: -3, ZCARD: 2, ZCOUNT: 4, ZLEXCOUNT: 4,
  ZRANGE: -4, ZRANGESTORE: -5, ZREVRANGE: -4, ZRANGEBYSCORE: -4, ZREVRANGEBYSCORE: -4, ZRANGEBYLEX: -4,
  ZREVRANGEBYLEX: -4, ZRANK: 3, ZREVRANK: 3, ZREMRANGEBYRANK: 4, ZREMRANGEBYSCORE: 4, ZREMRANGEBYLEX: 4,
  ZPOPMIN: -2, ZPOPMAX: -2, ZMPOP: -4, BZPOPMIN: -3, BZPOPMAX: -3, BZMPOP: -5, ZUNION: -3, ZINTER: -3,
  ZDIFF: -3, ZUNIONSTORE: -4, ZINTERSTORE: -4, ZDIFFSTORE: -4, ZINTERCARD: -3, ZRANDMEMBER: -2, ZSCAN: -3,
};

function anyKey(rng: Rng): string {
  return rng.pick(ZSET_KEYS);
}

/** Mostly a sorted set key; now and then the string or the plain set. */
function zkey(rng: Rng): string {
  return rng.chance(0.08) ? anyKey(rng) : rng.pick(SORTED_KEYS);
}

/** A key whose scores a command may set to anything: never `zlex`, nor `set` (a lex key). */
function scoredKey(rng: Rng): string {
  return rng.chance(0.06) ? 'str' : rng.pick(SCORED_KEYS);
}

/** A STORE destination: like scoredKey, but seldom zbig, so that zbig stays big. */
function destinationKey(rng: Rng): string {
  const key = scoredKey(rng);
  return key === 'zbig' && rng.chance(0.8) ? rng.pick(['z1', 'z2']) : key;
}

/** The key of a lex-range command: `zlex`, or now and then one that is never a sorted set. */
function lexKey(rng: Rng): string {
  return rng.chance(0.08) ? rng.pick(['set', 'nokey']) : 'zlex';
}

function member(rng: Rng): string {
  return rng.chance(0.02) ? LONG : rng.pick(MEMBERS);
}

function score(rng: Rng): string {
  return rng.chance(0.03) ? rng.pick(BAD_SCORES) : rng.pick(SCORES);
}

function scoreBound(rng: Rng): string {
  return rng.chance(0.04) ? rng.pick(BAD_SCORE_BOUNDS) : rng.pick(SCORE_BOUNDS);
}

function lexBound(rng: Rng): string {
  return rng.chance(0.04) ? rng.pick(BAD_LEX_BOUNDS) : rng.pick(LEX_BOUNDS);
}

function rank(rng: Rng): string {
  return rng.chance(0.03) ? rng.pick(BAD_RANKS) : rng.pick(RANKS);
}

/** LIMIT offset count: usually valid, with negative counts (all) and offsets (nothing). */
function limit(rng: Rng): string[] {
  const offset = rng.pick(['0', '0', '1', '2', '5', '-1']);
  const count = rng.pick(['1', '2', '3', '-1', '0', '10']);
  if (rng.chance(0.03)) return [anyCase(rng, 'LIMIT'), rng.pick(['x', offset])];
  return [anyCase(rng, 'LIMIT'), offset, rng.chance(0.02) ? 'x' : count];
}

/** ZADD with a random subset of options (conflicts included) and 1-4 pairs; sometimes 130 members at once. */
function zaddCommand(rng: Rng): Command {
  const lex = rng.chance(0.2);
  // Bulk adds go mostly to zbig (and zlex), which thus spend much of a run as skiplists.
  const bulk = rng.chance(0.1);
  const key = lex ? 'zlex' : bulk && rng.chance(0.8) ? 'zbig' : scoredKey(rng);
  const scoreFor = (value: string): string => (lex ? rng.pick(['0', '0', '-0']) : value);
  const args: string[] = [anyCase(rng, 'ZADD'), key];
  for (const option of rng.subset(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'], 0.12)) args.push(anyCase(rng, option));
  if (bulk) {
    for (let i = 0; i < 130; i++) args.push(scoreFor(String(rng.int(-50, 50) / 4)), `m${rng.int(0, 199)}`);
    return args;
  }
  const pairs = args.some((arg) => arg.toUpperCase() === 'INCR') && rng.chance(0.9) ? 1 : rng.int(1, 4);
  for (let i = 0; i < pairs; i++) args.push(scoreFor(score(rng)), member(rng));
  if (rng.chance(0.03)) args.pop();
  return args;
}

/**
 * ZRANGE in all its forms: by rank, BYSCORE or BYLEX (or the older
 * commands), with REV, LIMIT and WITHSCORES, valid or not. ZRANGESTORE
 * shares it, with a destination first.
 */
function zrangeCommand(rng: Rng, name: string): Command {
  const args: string[] = [anyCase(rng, name)];
  if (name === 'ZRANGESTORE') args.push(destinationKey(rng));
  let by: 'rank' | 'score' | 'lex';
  switch (name) {
    case 'ZRANGEBYSCORE':
    case 'ZREVRANGEBYSCORE':
      by = 'score';
      break;
    case 'ZRANGEBYLEX':
    case 'ZREVRANGEBYLEX':
      by = 'lex';
      break;
    case 'ZREVRANGE':
      by = 'rank';
      break;
    default:
      by = rng.pick(['rank', 'score', 'lex'] as const);
  }
  const bound = by === 'rank' ? rank : by === 'score' ? scoreBound : lexBound;
  args.push(by === 'lex' ? lexKey(rng) : zkey(rng), bound(rng), bound(rng));
  const generic = name === 'ZRANGE' || name === 'ZRANGESTORE';
  const options: string[][] = [];
  if (generic && by !== 'rank') options.push([by === 'score' ? 'BYSCORE' : 'BYLEX']);
  if (generic && rng.chance(0.4)) options.push(['REV']);
  if (rng.chance(by === 'rank' ? 0.05 : 0.4)) options.push(limit(rng));
  if (name !== 'ZRANGESTORE' && rng.chance(by === 'lex' ? 0.05 : 0.4)) options.push(['WITHSCORES']);
  if (rng.chance(0.03)) options.push([rng.pick(['REV', 'BYSCORE', 'BYLEX', 'FOO', 'WITHSCORES'])]);
  for (const option of rng.shuffle(options)) args.push(...option.map((word, i) => (i === 0 ? anyCase(rng, word) : word)));
  return args;
}

/** ZUNION/ZINTER/ZDIFF and the STORE forms: numkeys usually right, the options valid or not. */
function setOpCommand(rng: Rng, name: string): Command {
  const store = name.endsWith('STORE');
  const diff = name.startsWith('ZDIFF');
  const keys = Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.15) ? rng.pick(['set', 'nokey']) : zkey(rng)));
  const numkeys = rng.chance(0.94) ? String(keys.length) : rng.pick(['0', '-1', 'x', String(keys.length + 1)]);
  const args: string[] = [anyCase(rng, name)];
  if (store) args.push(destinationKey(rng));
  args.push(numkeys, ...keys);
  const options: string[][] = [];
  if ((!diff || rng.chance(0.05)) && rng.chance(0.4)) {
    const weights = keys.map(() => rng.pick(['1', '2', '0', '-1', '0.5', '1.5', 'inf', '-inf', '3']));
    if (rng.chance(0.04)) weights.pop();
    if (rng.chance(0.03)) weights[0] = rng.pick(['x', 'nan', '']);
    options.push(['WEIGHTS', ...weights]);
  }
  if ((!diff || rng.chance(0.05)) && rng.chance(0.4)) {
    options.push(['AGGREGATE', rng.chance(0.95) ? rng.pick(['SUM', 'MIN', 'MAX', 'min']) : rng.pick(['AVG', ''])]);
  }
  if ((!store || rng.chance(0.05)) && rng.chance(0.5)) options.push(['WITHSCORES']);
  if (rng.chance(0.02)) options.push(['FOO']);
  for (const option of rng.shuffle(options)) args.push(...option.map((word, i) => (i === 0 ? anyCase(rng, word) : word)));
  return args;
}

function zintercardCommand(rng: Rng): Command {
  const keys = Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.15) ? rng.pick(['set', 'nokey']) : zkey(rng)));
  const numkeys = rng.chance(0.94) ? String(keys.length) : rng.pick(['0', 'x', String(keys.length + 1)]);
  const args: string[] = [anyCase(rng, 'ZINTERCARD'), numkeys, ...keys];
  if (rng.chance(0.4)) args.push(anyCase(rng, 'LIMIT'), rng.pick(['0', '1', '2', '5', '-1', 'x']));
  if (rng.chance(0.03)) args.push(rng.pick(['LIMIT', 'WITHSCORES']));
  return args;
}

/** ZMPOP, or BZMPOP with a timeout that answers either way. */
function zmpopCommand(rng: Rng, blocking: boolean): Command {
  const keys = Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.1) ? 'nokey' : zkey(rng)));
  const numkeys = rng.chance(0.94) ? String(keys.length) : rng.pick(['0', 'x', String(keys.length + 1)]);
  const args: string[] = [anyCase(rng, blocking ? 'BZMPOP' : 'ZMPOP')];
  if (blocking) args.push(timeout(rng));
  args.push(numkeys, ...keys, rng.chance(0.96) ? anyCase(rng, rng.pick(['MIN', 'MAX'])) : rng.pick(['LEFT', 'foo']));
  if (rng.chance(0.4)) args.push(anyCase(rng, 'COUNT'), rng.chance(0.93) ? rng.pick(['1', '2', '3', '10']) : rng.pick(['0', '-1', 'x']));
  if (rng.chance(0.02)) args.push(rng.pick(['COUNT', 'FOO']));
  return args;
}

/**
 * A blocking pop's timeout: tiny, so that with no data the command times
 * out (a null reply on both servers) instead of waiting for a write that
 * this single client can't make; or invalid.
 */
function timeout(rng: Rng): string {
  return rng.chance(0.92) ? rng.pick(['0.01', '0.02', '0.005']) : rng.pick(['-1', 'x', 'inf', '']);
}

function zscanCommand(rng: Rng): Command {
  const cursor = rng.chance(0.92) ? '0' : rng.pick(['abc', '1.5', ' 1', '18446744073709551616']);
  const args: string[] = [anyCase(rng, 'ZSCAN'), zkey(rng), cursor];
  for (const option of rng.subset(['MATCH', 'COUNT'], 0.35)) {
    args.push(anyCase(rng, option));
    if (rng.chance(0.03)) continue; // option without its argument
    if (option === 'MATCH') args.push(rng.pick(SCAN_PATTERNS));
    else args.push(rng.chance(0.9) ? rng.pick(['1', '2', '3', '10', '100']) : rng.pick(['0', '-1', 'x']));
  }
  return args;
}

function zrandmemberCommand(rng: Rng): Command {
  const args: string[] = [anyCase(rng, 'ZRANDMEMBER'), zkey(rng)];
  if (rng.chance(0.25)) return args;
  args.push(rng.pick([...COUNTS, 'x', '-9223372036854775808']));
  if (rng.chance(0.5)) args.push(rng.chance(0.92) ? anyCase(rng, 'WITHSCORES') : rng.pick(['WITHSCORE', 'foo']));
  return args;
}

function wrongArityCommand(rng: Rng): Command {
  const name = rng.pick(Object.keys(ARITY));
  const arity = ARITY[name]!;
  // reddish takes ZRANK/ZREVRANK ... WITHSCORE (7.2), so 4 arguments are not wrong there.
  const choices = arity > 0 ? [1, arity - 1, arity + 1].filter((n) => n >= 1 && !(arity === 3 && name.endsWith('RANK') && n === 4)) : [];
  const argc = arity > 0 ? rng.pick(choices) : rng.int(1, -arity - 1);
  const args = Array.from({ length: argc - 1 }, () => (rng.chance(0.5) ? anyKey(rng) : member(rng)));
  return [anyCase(rng, name), ...args];
}

/**
 * Low thresholds so that small sets reach the skiplist encoding (and
 * conversions happen mid-command, as in ZRANGESTORE), and the defaults to
 * go back to.
 */
function configCommand(rng: Rng): Command {
  const [name, value] = rng.pick([
    ['zset-max-listpack-entries', '4'], ['zset-max-listpack-entries', '0'], ['zset-max-listpack-entries', '128'],
    ['zset-max-listpack-entries', '128'], ['zset-max-listpack-value', '3'], ['zset-max-listpack-value', '64'],
    ['zset-max-listpack-value', '64'],
  ] as const);
  return ['CONFIG', 'SET', name, value];
}

export interface ZsetGeneratorOptions {
  /**
   * Mix in CONFIG SET of zset-max-listpack-entries/-value. Redis decides a
   * set's encoding when it adds to it, with the config of that moment,
   * which reddish follows once the server passes the config on
   * (each set reads its server's live limits).
   */
  configChanges?: boolean;
}

/** Returns a generator of sorted set commands, with a few string and set ones on the same keys. */
export function createZsetCommandGenerator(options: ZsetGeneratorOptions = {}): (rng: Rng) => Command {
  const configWeight = options.configChanges ? 1 : 0;
  return (rng) => {
    const kind = rng.weighted([
      ['ZADD', 14], ['ZINCRBY', 3], ['ZREM', 4], ['ZSCORE', 3], ['ZMSCORE', 2], ['ZCARD', 2], ['ZCOUNT', 3],
      ['ZLEXCOUNT', 2], ['ZRANGE', 8], ['ZRANGESTORE', 3], ['ZREVRANGE', 2], ['ZRANGEBYSCORE', 3],
      ['ZREVRANGEBYSCORE', 2], ['ZRANGEBYLEX', 2], ['ZREVRANGEBYLEX', 2], ['ZRANK', 2], ['ZREVRANK', 2],
      ['ZREMRANGEBYRANK', 1.5], ['ZREMRANGEBYSCORE', 1.5], ['ZREMRANGEBYLEX', 1], ['ZPOPMIN', 2.5], ['ZPOPMAX', 2.5],
      ['ZMPOP', 2], ['BZPOPMIN', 1], ['BZPOPMAX', 1], ['BZMPOP', 1], ['ZUNION', 2], ['ZINTER', 2], ['ZDIFF', 2],
      ['ZUNIONSTORE', 2], ['ZINTERSTORE', 2], ['ZDIFFSTORE', 1.5], ['ZINTERCARD', 1.5], ['ZRANDMEMBER', 2],
      ['ZSCAN', 2], ['OBJECT', 1.5], ['TYPE', 0.5], ['SET', 1], ['GET', 0.5], ['DEL', 1.5], ['SADD', 1],
      ['wrong-arity', 2], ['unknown', 0.2], ['CONFIG', configWeight],
    ] as const);
    const cmd = (name: string): string => anyCase(rng, name);
    switch (kind) {
      case 'ZADD':
        return zaddCommand(rng);
      case 'ZINCRBY':
        return rng.chance(0.15) ? [cmd('ZINCRBY'), 'zlex', '0', member(rng)] : [cmd('ZINCRBY'), scoredKey(rng), score(rng), member(rng)];
      case 'ZREM':
        return [cmd('ZREM'), zkey(rng), ...Array.from({ length: rng.int(1, 3) }, () => member(rng))];
      case 'ZSCORE':
        return [cmd('ZSCORE'), zkey(rng), member(rng)];
      case 'ZMSCORE':
        return [cmd('ZMSCORE'), zkey(rng), ...Array.from({ length: rng.int(1, 3) }, () => member(rng))];
      case 'ZCARD':
        return [cmd('ZCARD'), zkey(rng)];
      case 'ZCOUNT':
        return [cmd('ZCOUNT'), zkey(rng), scoreBound(rng), scoreBound(rng)];
      case 'ZLEXCOUNT':
        return [cmd('ZLEXCOUNT'), lexKey(rng), lexBound(rng), lexBound(rng)];
      case 'ZRANGE':
      case 'ZRANGESTORE':
      case 'ZREVRANGE':
      case 'ZRANGEBYSCORE':
      case 'ZREVRANGEBYSCORE':
      case 'ZRANGEBYLEX':
      case 'ZREVRANGEBYLEX':
        return zrangeCommand(rng, kind);
      case 'ZRANK':
      case 'ZREVRANK':
        return [cmd(kind), zkey(rng), member(rng)];
      case 'ZREMRANGEBYRANK':
        return [cmd(kind), zkey(rng), rank(rng), rank(rng)];
      case 'ZREMRANGEBYSCORE':
        return [cmd(kind), zkey(rng), scoreBound(rng), scoreBound(rng)];
      case 'ZREMRANGEBYLEX':
        return [cmd(kind), lexKey(rng), lexBound(rng), lexBound(rng)];
      case 'ZPOPMIN':
      case 'ZPOPMAX': {
        const args = [cmd(kind), zkey(rng)];
        if (rng.chance(0.5)) args.push(rng.chance(0.92) ? rng.pick(['0', '1', '2', '3', '10']) : rng.pick(['-1', 'x']));
        if (rng.chance(0.02)) args.push('extra');
        return args;
      }
      case 'ZMPOP':
        return zmpopCommand(rng, false);
      case 'BZMPOP':
        return zmpopCommand(rng, true);
      case 'BZPOPMIN':
      case 'BZPOPMAX':
        return [cmd(kind), ...Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.1) ? 'nokey' : zkey(rng))), timeout(rng)];
      case 'ZUNION':
      case 'ZINTER':
      case 'ZDIFF':
      case 'ZUNIONSTORE':
      case 'ZINTERSTORE':
      case 'ZDIFFSTORE':
        return setOpCommand(rng, kind);
      case 'ZINTERCARD':
        return zintercardCommand(rng);
      case 'ZRANDMEMBER':
        return zrandmemberCommand(rng);
      case 'ZSCAN':
        return zscanCommand(rng);
      case 'OBJECT':
        return [cmd('OBJECT'), 'ENCODING', anyKey(rng)];
      case 'TYPE':
        return [cmd('TYPE'), anyKey(rng)];
      case 'SET':
        return [cmd('SET'), rng.chance(0.7) ? 'str' : anyKey(rng), rng.pick(['x', '1', 'hello'])];
      case 'GET':
        return [cmd('GET'), anyKey(rng)];
      case 'DEL':
        return [cmd('DEL'), ...Array.from({ length: rng.int(1, 2) }, () => anyKey(rng))];
      case 'SADD':
        return [cmd('SADD'), rng.chance(0.8) ? 'set' : anyKey(rng), ...Array.from({ length: rng.int(1, 3) }, () => member(rng))];
      case 'wrong-arity':
        return wrongArityCommand(rng);
      case 'unknown':
        return unknownCommand(rng);
      case 'CONFIG':
        return configCommand(rng);
    }
  };
}
