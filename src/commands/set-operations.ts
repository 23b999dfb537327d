/**
 * The set algebra (t_set.c's sinterGenericCommand and
 * sunionDiffGenericCommand), with the specs of its commands: SINTER,
 * SINTERSTORE, SINTERCARD and SMEMBERS share one function; SUNION,
 * SUNIONSTORE, SDIFF, SDIFFSTORE and SPOP's take-everything case share the
 * other.
 *
 * Every source key is looked up (and type-checked) before any work, so a
 * wrong type anywhere wins over an empty result. A missing key is an empty
 * set. A STORE replaces the destination whatever its type (and drops its
 * TTL, as setKey does), or deletes it when the result is empty. Results are
 * built with setTypeAdd's rules, so the stored set's encoding is the one
 * Redis would report.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { RedisSet, setFromMembers } from '../store/set.js';
import type { Value } from '../store/types.js';
import { parseInteger } from '../text/numbers.js';
import type { MissingKeyReply } from './missing-key-reply.js';
import { isOption } from './parse.js';

/** checkType for a set: the key's value as a set; undefined when the key is missing, null after replying WRONGTYPE. */
export function asSet(c: Client, value: Value | undefined): RedisSet | undefined | null {
  if (value === undefined) return undefined;
  if (value instanceof RedisSet) return value;
  c.reply.error(errors.wrongType);
  return null;
}

/**
 * lookupKeyReadOrReply + checkType for a set: the set at `key`, or null
 * after replying `missing` (no such key) or WRONGTYPE.
 */
export function setReadOrReply(c: Client, key: string, missing: MissingKeyReply): RedisSet | null {
  return setOrReply(c, c.db.lookupRead(key), missing);
}

/** lookupKeyWriteOrReply + checkType for a set, as setReadOrReply. */
export function setWriteOrReply(c: Client, key: string, missing: MissingKeyReply): RedisSet | null {
  return setOrReply(c, c.db.lookupWrite(key), missing);
}

function setOrReply(c: Client, value: Value | undefined, missing: MissingKeyReply): RedisSet | null {
  if (value instanceof RedisSet) return value;
  if (value === undefined) missing(c.reply);
  else c.reply.error(errors.wrongType);
  return null;
}

/** A set reply: `~` in RESP3, an array in RESP2. */
export function replySet(c: Client, members: readonly string[]): void {
  const reply = c.reply;
  reply.setHeader(members.length);
  for (let i = 0; i < members.length; i++) reply.bulk(members[i]!);
}

/** The event a STORE command announces for its destination (SINTERSTORE, SUNIONSTORE, SDIFFSTORE). */
export type StoreEvent = 'sinterstore' | 'sunionstore' | 'sdiffstore';

/**
 * Stores a STORE command's result (setKey: any old value and its TTL go)
 * and announces `event`; an empty result deletes the destination instead,
 * announced as `del` only when there was one to delete. Replies the size.
 */
function storeResult(c: Client, destination: string, result: RedisSet, event: StoreEvent): void {
  if (result.size === 0) {
    c.reply.raw(shared.zero);
    if (c.db.delete(destination)) c.server.events.keyModified(c.db, destination, 'del');
    return;
  }
  c.db.set(destination, result);
  c.reply.integer(result.size);
  c.server.events.keyModified(c.db, destination, event);
}

/**
 * The sets named by `keys`, in order, undefined for missing keys; null
 * after replying WRONGTYPE for the first key of another type.
 */
function lookupSets(c: Client, keys: readonly string[]): Array<RedisSet | undefined> | null {
  const sets = new Array<RedisSet | undefined>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const set = asSet(c, c.db.lookupRead(keys[i]!));
    if (set === null) return null;
    sets[i] = set;
  }
  return sets;
}

/**
 * sinterGenericCommand. The smallest set is walked (in its own order,
 * ascending for an intset) and each member tested against the others.
 * With `destination` the result is stored; with `cardinalityLimit` only
 * counted, stopping at the limit (0 = none); otherwise replied as a set.
 */
export function sinterGeneric(
  c: Client,
  keys: readonly string[],
  destination: string | null,
  cardinalityLimit: number | null = null,
): void {
  const found = lookupSets(c, keys);
  if (found === null) return;
  if (found.includes(undefined)) {
    if (destination !== null) {
      // Unlike an empty intersection (storeResult), Redis deletes the
      // destination before it replies here: a RESP3 client's own `del`
      // push comes first.
      if (c.db.delete(destination)) c.server.events.keyModified(c.db, destination, 'del');
      c.reply.raw(shared.zero);
    } else if (cardinalityLimit !== null) c.reply.raw(shared.zero);
    else c.reply.setHeader(0);
    return;
  }
  const sets = (found as RedisSet[]).sort((a, b) => a.size - b.size);
  const smallest = sets[0]!;
  const members: string[] = [];
  for (const member of smallest.elements()) {
    let everywhere = true;
    for (let j = 1; j < sets.length && everywhere; j++) {
      if (sets[j] !== smallest && !sets[j]!.has(member)) everywhere = false;
    }
    if (!everywhere) continue;
    members.push(member);
    if (cardinalityLimit !== null && cardinalityLimit !== 0 && members.length >= cardinalityLimit) break;
  }
  if (destination !== null) storeResult(c, destination, setFromMembers(members, c.server.encoding), 'sinterstore');
  else if (cardinalityLimit !== null) c.reply.integer(members.length);
  else replySet(c, members);
}

const INTER_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';

/** SINTER key [key ...] */
function sinterCommand(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(1), null);
}

export const sinterSpec: CommandSpec = {
  name: 'sinter',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'set',
  summary: 'Intersect multiple sets',
  since: '1.0.0',
  complexity: INTER_COMPLEXITY,
  syntax: 'key [key ...]',
  handler: sinterCommand,
};

/** SINTERSTORE destination key [key ...] */
function sinterstoreCommand(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(2), argv[1]!);
}

export const sinterstoreSpec: CommandSpec = {
  name: 'sinterstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'set',
  summary: 'Intersect multiple sets and store the resulting set in a key',
  since: '1.0.0',
  complexity: INTER_COMPLEXITY,
  syntax: 'destination:key key [key ...]',
  handler: sinterstoreCommand,
  firstKeyFlags: ['RW', 'update'],
  keyFlags: ['RO', 'access'],
};

/**
 * SINTERCARD numkeys key [key ...] [LIMIT limit]. Both numbers answer any
 * bad value, not just an out-of-range one, with their own error text.
 */
function sintercardCommand(c: Client, argv: string[]): void {
  const numkeys = parseInteger(argv[1]!);
  if (numkeys === null || numkeys < 1) {
    c.reply.error(errors.numkeysNotPositive);
    return;
  }
  if (numkeys > argv.length - 2) {
    c.reply.error(errors.numkeysExceedArgs);
    return;
  }
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (isOption(argv[j]!, 'limit') && j + 1 < argv.length) {
      const n = parseInteger(argv[++j]!);
      if (n === null || n < 0) {
        c.reply.error(errors.limitNegative);
        return;
      }
      limit = n;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  sinterGeneric(c, argv.slice(2, 2 + numkeys), null, limit);
}

/** SINTERCARD numkeys key [key ...]: the keys numkeys names, none when it is unusable. */
function sintercardKeys(argv: readonly string[]): number[] {
  const numkeys = parseInteger(argv[1] ?? '');
  if (numkeys === null || numkeys < 1 || numkeys > argv.length - 2) return [];
  return Array.from({ length: numkeys }, (_, i) => i + 2);
}

export const sintercardSpec: CommandSpec = {
  name: 'sintercard',
  arity: -3,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: sintercardKeys,
  group: 'set',
  summary: 'Intersect multiple sets and return the cardinality of the result',
  since: '7.0.0',
  complexity: INTER_COMPLEXITY,
  syntax: 'numkeys:integer key [key ...] [LIMIT limit:integer]',
  handler: sintercardCommand,
};

export type SetOperation = 'union' | 'diff';

/**
 * sunionDiffGenericCommand. The result is built in a new set as Redis
 * builds it, so a reply lists an all-integer result in ascending order
 * and a stored result gets Redis's encoding. SDIFF picks Redis's
 * algorithm by the same estimate: walking the first set and probing the
 * others (1), or copying the first set and removing the others' members
 * (2), which can leave a small result in the hashtable encoding.
 */
export function sunionDiffGeneric(c: Client, keys: readonly string[], destination: string | null, op: SetOperation): void {
  const sets = lookupSets(c, keys);
  if (sets === null) return;
  const config = c.server.encoding;
  const result = new RedisSet();
  const first = sets[0];
  if (op === 'union') {
    for (const set of sets) {
      if (set === undefined) continue;
      for (const member of set.elements()) result.add(member, config);
    }
  } else if (first !== undefined) {
    let algorithmOneWork = 0;
    let algorithmTwoWork = 0;
    for (const set of sets) {
      if (set === undefined) continue;
      algorithmOneWork += first.size;
      algorithmTwoWork += set.size;
    }
    // Algorithm 1 has better constant times; Redis gives it this advantage.
    if (Math.floor(algorithmOneWork / 2) <= algorithmTwoWork) {
      const others = sets.slice(1).filter((set): set is RedisSet => set !== undefined);
      for (const member of first.elements()) {
        if (!others.some((set) => set.has(member))) result.add(member, config);
      }
    } else {
      for (const member of first.elements()) result.add(member, config);
      for (let j = 1; j < sets.length && result.size !== 0; j++) {
        const set = sets[j];
        if (set === undefined) continue;
        for (const member of set.elements()) result.remove(member);
      }
    }
  }
  if (destination !== null) storeResult(c, destination, result, op === 'union' ? 'sunionstore' : 'sdiffstore');
  else replySet(c, result.elements());
}

const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';

/** SUNION key [key ...] */
function sunionCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(1), null, 'union');
}

export const sunionSpec: CommandSpec = {
  name: 'sunion',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'set',
  summary: 'Add multiple sets',
  since: '1.0.0',
  complexity: UNION_COMPLEXITY,
  syntax: 'key [key ...]',
  handler: sunionCommand,
};

/** SUNIONSTORE destination key [key ...] */
function sunionstoreCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(2), argv[1]!, 'union');
}

export const sunionstoreSpec: CommandSpec = {
  name: 'sunionstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'set',
  summary: 'Add multiple sets and store the resulting set in a key',
  since: '1.0.0',
  complexity: UNION_COMPLEXITY,
  syntax: 'destination:key key [key ...]',
  handler: sunionstoreCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};

/** SDIFF key [key ...] */
function sdiffCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(1), null, 'diff');
}

export const sdiffSpec: CommandSpec = {
  name: 'sdiff',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'set',
  summary: 'Subtract multiple sets',
  since: '1.0.0',
  complexity: UNION_COMPLEXITY,
  syntax: 'key [key ...]',
  handler: sdiffCommand,
};

/** SDIFFSTORE destination key [key ...] */
function sdiffstoreCommand(c: Client, argv: string[]): void {
  sunionDiffGeneric(c, argv.slice(2), argv[1]!, 'diff');
}

export const sdiffstoreSpec: CommandSpec = {
  name: 'sdiffstore',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'set',
  summary: 'Subtract multiple sets and store the resulting set in a key',
  since: '1.0.0',
  complexity: UNION_COMPLEXITY,
  syntax: 'destination:key key [key ...]',
  handler: sdiffstoreCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};
