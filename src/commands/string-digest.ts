/**
 * Redis 8.4's compare-by-value commands on strings: DIGEST (the XXH3 hash
 * of a string, as hex) and DELEX (delete a key, optionally only when its
 * value or digest matches). SET's IFEQ/IFNE/IFDEQ/IFDNE compare through
 * valueMatches here too. Built from Redis 8.4's t_string.c (stringDigest,
 * digestCommand, setGenericCommand), src/commands/delex.json and
 * digest.json, the redis.io pages of DELEX and DIGEST, and Redis 8.4's
 * tests/unit/type/string.tcl; redis-server 7.0.15 has none of this.
 * DELEX's own C source was not at hand: its two error texts are the ones
 * client test suites run against Redis 8.4 and later assert byte for byte.
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { xxh3 } from '../store/xxh3.js';
import { lowercaseCString } from './parse.js';
import { lookupStringRead } from './string-values.js';
import type { Client, CommandSpec } from './types.js';

/**
 * stringDigest: XXH3_64bits of the value's bytes, printed with
 * `"%" PRIx64` (lowercase hex, no leading zeros).
 */
export function stringDigest(value: string): string {
  return xxh3(Buffer.from(value, 'latin1')).toString(16);
}

/**
 * Whether a string equals `match`, by value (IFEQ/IFNE) or by digest
 * (IFDEQ/IFDNE: the digest's text compared byte for byte with `match`,
 * as sdscmp does in setGenericCommand).
 */
export function valueMatches(value: string, byDigest: boolean, match: string): boolean {
  return (byDigest ? stringDigest(value) : value) === match;
}

/** DIGEST key: the digest as a bulk string, a null for a missing key, WRONGTYPE for another type. */
function digestCommand(c: Client, argv: string[]): void {
  const value = lookupStringRead(c, argv[1]!);
  if (value === null) return;
  if (value === undefined) c.reply.nullBulk();
  else c.reply.bulk(stringDigest(value));
}

export const digestSpec: CommandSpec = {
  name: 'digest',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Returns the XXH3 hash of a string value.',
  since: '8.4.0',
  complexity: 'O(N) where N is the length of the string value.',
  syntax: 'key',
  handler: digestCommand,
};

/** DELEX's conditions, by lowercase name: [compare by digest, delete when equal]. */
const DELEX_CONDITIONS = new Map<string, readonly [boolean, boolean]>([
  ['ifeq', [false, true]],
  ['ifne', [false, false]],
  ['ifdeq', [true, true]],
  ['ifdne', [true, false]],
]);

/**
 * DELEX key [IFEQ value | IFNE value | IFDEQ digest | IFDNE digest]: 1
 * when the key was deleted, 0 when it was missing or the condition failed.
 * Without a condition it deletes a key of any type; with one the key must
 * hold a string. Only `DELEX key` and `DELEX key <condition> <value>` are
 * well formed: any other count is a wrong-arity error. A deletion is
 * announced as `del` and propagated as DEL, as GETDEL's is.
 */
function delexCommand(c: Client, argv: string[]): void {
  if (argv.length !== 2 && argv.length !== 4) {
    c.reply.error(wrongArity('delex'));
    return;
  }
  const key = argv[1]!;
  const db = c.db;
  const current = db.lookupWrite(key);
  if (current === undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  if (argv.length === 4) {
    if (typeof current !== 'string') {
      c.reply.error(errors.delexNotString);
      return;
    }
    const condition = DELEX_CONDITIONS.get(lowercaseCString(argv[2]!));
    if (condition === undefined) {
      c.reply.error(errors.delexInvalidCondition);
      return;
    }
    const [byDigest, deleteWhenEqual] = condition;
    if (valueMatches(current, byDigest, argv[3]!) !== deleteWhenEqual) {
      c.reply.raw(shared.zero);
      return;
    }
  }
  db.delete(key);
  c.server.events.keyModified(db, key, 'del');
  c.server.propagation.rewrite(['DEL', key]);
  c.reply.raw(shared.one);
}

export const delexSpec: CommandSpec = {
  name: 'delex',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Conditionally removes the specified key based on value or digest comparison.',
  since: '8.4.0',
  complexity: 'O(1) for IFEQ/IFNE, O(N) for IFDEQ/IFDNE where N is the length of the string value.',
  syntax: 'key [IFEQ ifeq-value | IFNE ifne-value | IFDEQ ifdeq-digest | IFDNE ifdne-digest]',
  keyFlags: ['RW', 'delete', 'variable_flags'],
  handler: delexCommand,
};
