/**
 * The set command group (Redis's t_set.c), declared once here with Redis
 * 7.0's metadata. The membership and random commands live here; the set
 * algebra (SINTER, SUNION, SDIFF and their STORE and CARD variants) in
 * set-operations.ts. The value lives in store/set.ts.
 *
 * Errors come in Redis's order: a malformed count is refused before the
 * key is looked up, so it wins over WRONGTYPE.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client } from './types.js';
import { RedisSet, setFromMembers } from '../store/set.js';
import { parseInteger } from '../text/numbers.js';
import { readScanCursor, replyCollectionScan } from './collection-scan.js';
import { missingKeyReply } from './missing-key-reply.js';
import { readRandomCount, refuseHugeSampling } from './random-count.js';
import {
  asSet,
  replySet,
  setReadOrReply,
  setWriteOrReply,
  sinterGeneric,
  sintercard,
  sunionDiffGeneric,
} from './set-operations.js';
import type { CommandSpec } from './types.js';

/**
 * SPOP with a count: when what stays is at most a fifth of what goes,
 * Redis builds a new set from the survivors instead (SPOP_MOVE_STRATEGY_MUL),
 * which re-decides the encoding.
 */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** SADD key member [member ...]: how many were new. */
function sadd(c: Client, argv: string[]): void {
  const key = argv[1]!;
  let set = asSet(c, c.db.lookupWrite(key));
  if (set === null) return;
  if (set === undefined) {
    set = new RedisSet();
    c.db.add(key, set);
  }
  const config = c.server.encoding;
  let added = 0;
  for (let i = 2; i < argv.length; i++) if (set.add(argv[i]!, config)) added++;
  c.reply.integer(added);
  if (added !== 0) c.server.events.keyModified(c.db, key, 'sadd', added);
}

/** SREM key member [member ...]: the key goes with its last member. */
function srem(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const set = setWriteOrReply(c, key, missingKeyReply.zero);
  if (set === null) return;
  let removed = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    if (!set.remove(argv[i]!)) continue;
    removed++;
    if (set.size === 0) {
      keyRemoved = c.db.delete(key);
      break;
    }
  }
  c.reply.integer(removed);
  if (removed === 0) return;
  const events = c.server.events;
  events.keyModified(c.db, key, 'srem', removed);
  if (keyRemoved) events.keyModified(c.db, key, 'del', 0);
}

/**
 * SMOVE source destination member. A missing source answers 0 before any
 * type check; source and destination the same key is a membership test.
 * The source goes when emptied; the destination is created if needed.
 */
function smove(c: Client, argv: string[]): void {
  const db = c.db;
  const sourceEntry = db.lookupWrite(argv[1]!);
  const destinationEntry = db.lookupWrite(argv[2]!);
  if (sourceEntry === undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  // The entry exists, so only WRONGTYPE (already replied) makes this falsy.
  const source = asSet(c, sourceEntry);
  if (!source) return;
  let destination = asSet(c, destinationEntry);
  if (destination === null) return;
  const member = argv[3]!;
  if (source === destination) {
    c.reply.raw(source.has(member) ? shared.one : shared.zero);
    return;
  }
  if (!source.remove(member)) {
    c.reply.raw(shared.zero);
    return;
  }
  const events = c.server.events;
  events.keyModified(db, argv[1]!, 'srem');
  if (source.size === 0) {
    db.delete(argv[1]!);
    events.keyModified(db, argv[1]!, 'del', 0);
  }
  if (destination === undefined) {
    destination = new RedisSet();
    db.add(argv[2]!, destination);
  }
  if (destination.add(member, c.server.encoding)) events.keyModified(db, argv[2]!, 'sadd');
  c.reply.raw(shared.one);
}

/** SISMEMBER key member */
function sismember(c: Client, argv: string[]): void {
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (set !== null) c.reply.raw(set.has(argv[2]!) ? shared.one : shared.zero);
}

/** SMISMEMBER key member [member ...]: a missing key is an empty set, so all zeros. */
function smismember(c: Client, argv: string[]): void {
  const set = asSet(c, c.db.lookupRead(argv[1]!));
  if (set === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.raw(set?.has(argv[i]!) ? shared.one : shared.zero);
}

/** SCARD key */
function scard(c: Client, argv: string[]): void {
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (set !== null) c.reply.integer(set.size);
}

/** SPOP key [count]. Without a count: one member or a null. */
function spop(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(errors.syntax);
    return;
  }
  if (argv.length === 3) {
    spopWithCount(c, argv);
    return;
  }
  const key = argv[1]!;
  const set = setWriteOrReply(c, key, missingKeyReply.null);
  if (set === null) return;
  const member = set.pop();
  const events = c.server.events;
  events.keyModified(c.db, key, 'spop');
  c.server.propagation.rewrite(['SREM', key, member]);
  c.reply.bulk(member);
  if (set.size === 0) {
    c.db.delete(key);
    events.keyModified(c.db, key, 'del', 0);
  }
}

/**
 * spopWithCountCommand: a set reply (RESP3 `~`) of min(count, size)
 * members. Asking for the whole set or more is SUNION of the set and a
 * DEL, and propagates as that DEL; taking most of it keeps the survivors
 * in a new set (which keeps the key's TTL, as dbOverwrite does); taking a
 * few pops them one by one. Either of those propagates one SREM per
 * member popped, in reply order, instead of the SPOP.
 */
function spopWithCount(c: Client, argv: string[]): void {
  // getPositiveLongFromObjectOrReply: one text for a non-number and a negative one.
  const count = parseInteger(argv[2]!);
  if (count === null || count < 0) {
    c.reply.error(errors.notPositive);
    return;
  }
  const key = argv[1]!;
  const set = setWriteOrReply(c, key, missingKeyReply.emptySet);
  if (set === null) return;
  if (count === 0) {
    c.reply.setHeader(0);
    return;
  }
  const size = set.size;
  const events = c.server.events;
  const propagation = c.server.propagation;
  events.keyModified(c.db, key, 'spop', Math.min(count, size));
  if (count >= size) {
    sunionDiffGeneric(c, [key], null, 'union');
    c.db.delete(key);
    events.keyModified(c.db, key, 'del', 0);
    propagation.rewrite(['DEL', key]);
    return;
  }
  const remaining = size - count;
  let popped: readonly string[];
  if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
    const members = new Array<string>(count);
    for (let i = 0; i < count; i++) members[i] = set.pop();
    popped = members;
  } else {
    const shuffled = set.shuffledCopy(remaining);
    c.db.set(key, setFromMembers(shuffled.slice(0, remaining), c.server.encoding), true);
    popped = shuffled.slice(remaining);
  }
  replySet(c, popped);
  if (propagation.active) {
    for (let i = 0; i < popped.length; i++) propagation.alsoPropagate(c.db.id, ['SREM', key, popped[i]!]);
  }
  propagation.prevent();
}

/** SRANDMEMBER key [count]. Without a count: one member or a null. */
function srandmember(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(errors.syntax);
    return;
  }
  if (argv.length === 3) {
    srandmemberWithCount(c, argv);
    return;
  }
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.null);
  if (set !== null) c.reply.bulk(set.random());
}

/**
 * srandmemberWithCountCommand: an array (in RESP3 too). A positive count
 * gives distinct members, the whole set when it asks for as many or more;
 * a negative one |count| independent picks.
 */
function srandmemberWithCount(c: Client, argv: string[]): void {
  const requested = readRandomCount(c, argv[2]!);
  if (requested === null) return;
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.emptyArray);
  if (set === null) return;
  if (requested === 0) {
    c.reply.raw(shared.emptyArray);
    return;
  }
  if (refuseHugeSampling(c, requested)) return;
  const count = Math.abs(requested);
  if (requested < 0 || count === 1) {
    const reply = c.reply;
    reply.arrayHeader(count);
    for (let i = 0; i < count; i++) reply.bulk(set.random());
    return;
  }
  if (count >= set.size) c.reply.bulkArray(set.elements());
  else c.reply.bulkArray(set.distinctRandom(count));
}

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscan(c: Client, argv: string[]): void {
  const cursor = readScanCursor(c, argv[2]!);
  if (cursor === null) return;
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.emptyScan);
  if (set === null) return;
  replyCollectionScan(c, argv, false, (count) => {
    const page = set.scan(cursor, count, () => c.server.keyspace.issueScanCursor());
    return { cursor: page.cursor, elements: page.items };
  });
}

/** Commands on the one key at argv[1]. */
function setSpec(spec: Omit<CommandSpec, 'group' | 'firstKey' | 'lastKey' | 'keyStep'>): CommandSpec {
  return { group: 'set', firstKey: 1, lastKey: 1, keyStep: 1, ...spec };
}

/** Commands on every key from argv[`first`] on (SINTER's sources, STORE's destination and sources). */
function multiKeySpec(first: number, spec: Omit<CommandSpec, 'group' | 'firstKey' | 'lastKey' | 'keyStep'>): CommandSpec {
  return { group: 'set', firstKey: first, lastKey: -1, keyStep: 1, ...spec };
}

/** SINTERCARD numkeys key [key ...]: the keys numkeys names, none when it is unusable. */
function sintercardKeys(argv: readonly string[]): number[] {
  const numkeys = parseInteger(argv[1] ?? '');
  if (numkeys === null || numkeys < 1 || numkeys > argv.length - 2) return [];
  return Array.from({ length: numkeys }, (_, i) => i + 2);
}

const INTER_COMPLEXITY = 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.';
const UNION_COMPLEXITY = 'O(N) where N is the total number of elements in all given sets.';

export const setCommands: readonly CommandSpec[] = [
  setSpec({
    name: 'sadd',
    arity: -3,
    flags: ['write', 'denyoom', 'fast'],
    keyFlags: ['RW', 'insert'],
    summary: 'Add one or more members to a set',
    since: '1.0.0',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    syntax: 'key member [member ...]',
    handler: sadd,
  }),
  setSpec({
    name: 'srem',
    arity: -3,
    flags: ['write', 'fast'],
    keyFlags: ['RW', 'delete'],
    summary: 'Remove one or more members from a set',
    since: '1.0.0',
    complexity: 'O(N) where N is the number of members to be removed.',
    syntax: 'key member [member ...]',
    handler: srem,
  }),
  setSpec({
    name: 'smembers',
    arity: 2,
    flags: ['readonly'],
    summary: 'Get all the members in a set',
    since: '1.0.0',
    complexity: 'O(N) where N is the set cardinality.',
    syntax: 'key',
    // Redis 7.0 serves SMEMBERS with sinterCommand: the intersection of one set.
    handler: (c, argv) => sinterGeneric(c, argv.slice(1), null),
  }),
  setSpec({
    name: 'sismember',
    arity: 3,
    flags: ['readonly', 'fast'],
    keyFlags: ['RO'],
    summary: 'Determine if a given value is a member of a set',
    since: '1.0.0',
    complexity: 'O(1)',
    syntax: 'key member',
    handler: sismember,
  }),
  setSpec({
    name: 'smismember',
    arity: -3,
    flags: ['readonly', 'fast'],
    summary: 'Returns the membership associated with the given elements for a set',
    since: '6.2.0',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    syntax: 'key member [member ...]',
    handler: smismember,
  }),
  setSpec({
    name: 'scard',
    arity: 2,
    flags: ['readonly', 'fast'],
    keyFlags: ['RO'],
    summary: 'Get the number of members in a set',
    since: '1.0.0',
    complexity: 'O(1)',
    syntax: 'key',
    handler: scard,
  }),
  setSpec({
    name: 'spop',
    arity: -2,
    flags: ['write', 'fast'],
    keyFlags: ['RW', 'access', 'delete'],
    summary: 'Remove and return one or multiple random members from a set',
    since: '1.0.0',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    syntax: 'key [count:integer]',
    handler: spop,
  }),
  setSpec({
    name: 'srandmember',
    arity: -2,
    flags: ['readonly'],
    summary: 'Get one or multiple random members from a set',
    since: '1.0.0',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    syntax: 'key [count:integer]',
    handler: srandmember,
  }),
  {
    name: 'smove',
    arity: 4,
    flags: ['write', 'fast'],
    firstKey: 1,
    lastKey: 2,
    keyStep: 1,
    group: 'set',
    summary: 'Move a member from one set to another',
    since: '1.0.0',
    complexity: 'O(1)',
    syntax: 'source:key destination:key member',
    handler: smove,
  },
  multiKeySpec(1, {
    name: 'sinter',
    arity: -2,
    flags: ['readonly'],
    summary: 'Intersect multiple sets',
    since: '1.0.0',
    complexity: INTER_COMPLEXITY,
    syntax: 'key [key ...]',
    handler: (c, argv) => sinterGeneric(c, argv.slice(1), null),
  }),
  {
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
    handler: sintercard,
  },
  multiKeySpec(1, {
    name: 'sinterstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    summary: 'Intersect multiple sets and store the resulting set in a key',
    since: '1.0.0',
    complexity: INTER_COMPLEXITY,
    syntax: 'destination:key key [key ...]',
    handler: (c, argv) => sinterGeneric(c, argv.slice(2), argv[1]!),
  }),
  multiKeySpec(1, {
    name: 'sunion',
    arity: -2,
    flags: ['readonly'],
    summary: 'Add multiple sets',
    since: '1.0.0',
    complexity: UNION_COMPLEXITY,
    syntax: 'key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, 'union'),
  }),
  multiKeySpec(1, {
    name: 'sunionstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    summary: 'Add multiple sets and store the resulting set in a key',
    since: '1.0.0',
    complexity: UNION_COMPLEXITY,
    syntax: 'destination:key key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1]!, 'union'),
  }),
  multiKeySpec(1, {
    name: 'sdiff',
    arity: -2,
    flags: ['readonly'],
    summary: 'Subtract multiple sets',
    since: '1.0.0',
    complexity: UNION_COMPLEXITY,
    syntax: 'key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(1), null, 'diff'),
  }),
  multiKeySpec(1, {
    name: 'sdiffstore',
    arity: -3,
    flags: ['write', 'denyoom'],
    summary: 'Subtract multiple sets and store the resulting set in a key',
    since: '1.0.0',
    complexity: UNION_COMPLEXITY,
    syntax: 'destination:key key [key ...]',
    handler: (c, argv) => sunionDiffGeneric(c, argv.slice(2), argv[1]!, 'diff'),
  }),
  setSpec({
    name: 'sscan',
    arity: -3,
    flags: ['readonly'],
    summary: 'Incrementally iterate Set elements',
    since: '2.8.0',
    complexity:
      'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
    syntax: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]',
    handler: sscan,
  }),
];
