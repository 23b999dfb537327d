/**
 * The set command group (Redis's t_set.c). The membership, random and scan
 * commands live here, each with its spec; the set algebra (SINTER, SUNION,
 * SDIFF and their STORE and CARD variants) in set-operations.ts. The value
 * lives in store/set.ts. `setCommands` at the end lists them all in the
 * table's order.
 *
 * Errors come in Redis's order: a malformed count is refused before the
 * key is looked up, so it wins over WRONGTYPE.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { RedisSet, setFromMembers } from '../store/set.js';
import { parseInteger } from '../text/numbers.js';
import { readScanCursor, replyCollectionScan } from './collection-scan.js';
import { missingKeyReply } from './missing-key-reply.js';
import { readRandomCount, refuseHugeSampling } from './random-count.js';
import {
  asSet,
  replySet,
  sdiffSpec,
  sdiffstoreSpec,
  setReadOrReply,
  setWriteOrReply,
  sintercardSpec,
  sinterGeneric,
  sinterSpec,
  sinterstoreSpec,
  sunionDiffGeneric,
  sunionSpec,
  sunionstoreSpec,
} from './set-operations.js';

/**
 * SPOP with a count: when what stays is at most a fifth of what goes,
 * Redis builds a new set from the survivors instead (SPOP_MOVE_STRATEGY_MUL),
 * which re-decides the encoding.
 */
const SPOP_MOVE_STRATEGY_MUL = 5;

/** SADD key member [member ...]: how many were new. */
function saddCommand(c: Client, argv: string[]): void {
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
  // Announced before the reply, as Redis notifies: a RESP3 client that
  // listens to its own notifications gets the push first.
  if (added !== 0) c.server.events.keyModified(c.db, key, 'sadd', added);
  c.reply.integer(added);
}

export const saddSpec: CommandSpec = {
  name: 'sadd',
  arity: -3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'insert'],
  group: 'set',
  summary: 'Add one or more members to a set',
  since: '1.0.0',
  complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
  syntax: 'key member [member ...]',
  handler: saddCommand,
};

/** SREM key member [member ...]: the key goes with its last member. */
function sremCommand(c: Client, argv: string[]): void {
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
  if (removed !== 0) {
    const events = c.server.events;
    events.keyModified(c.db, key, 'srem', removed);
    if (keyRemoved) events.keyModified(c.db, key, 'del', 0);
  }
  c.reply.integer(removed);
}

export const sremSpec: CommandSpec = {
  name: 'srem',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'delete'],
  group: 'set',
  summary: 'Remove one or more members from a set',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of members to be removed.',
  syntax: 'key member [member ...]',
  handler: sremCommand,
};

/**
 * SMEMBERS key. Redis 7.0 serves it with sinterCommand: the intersection
 * of one set.
 */
function smembersCommand(c: Client, argv: string[]): void {
  sinterGeneric(c, argv.slice(1), null);
}

export const smembersSpec: CommandSpec = {
  name: 'smembers',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'set',
  summary: 'Get all the members in a set',
  since: '1.0.0',
  complexity: 'O(N) where N is the set cardinality.',
  syntax: 'key',
  handler: smembersCommand,
};

/** SISMEMBER key member */
function sismemberCommand(c: Client, argv: string[]): void {
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (set !== null) c.reply.raw(set.has(argv[2]!) ? shared.one : shared.zero);
}

export const sismemberSpec: CommandSpec = {
  name: 'sismember',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO'],
  group: 'set',
  summary: 'Determine if a given value is a member of a set',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key member',
  handler: sismemberCommand,
};

/** SMISMEMBER key member [member ...]: a missing key is an empty set, so all zeros. */
function smismemberCommand(c: Client, argv: string[]): void {
  const set = asSet(c, c.db.lookupRead(argv[1]!));
  if (set === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.raw(set?.has(argv[i]!) ? shared.one : shared.zero);
}

export const smismemberSpec: CommandSpec = {
  name: 'smismember',
  arity: -3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'set',
  summary: 'Returns the membership associated with the given elements for a set',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of elements being checked for membership',
  syntax: 'key member [member ...]',
  handler: smismemberCommand,
};

/** SCARD key */
function scardCommand(c: Client, argv: string[]): void {
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.zero);
  if (set !== null) c.reply.integer(set.size);
}

export const scardSpec: CommandSpec = {
  name: 'scard',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO'],
  group: 'set',
  summary: 'Get the number of members in a set',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: scardCommand,
};

/**
 * spopWithCountCommand: a set reply (RESP3 `~`) of min(count, size)
 * members. Asking for the whole set or more is SUNION of the set and a
 * DEL, and propagates as that DEL; taking most of it keeps the survivors
 * in a new set (which keeps the key's TTL, as dbOverwrite does); taking a
 * few pops them one by one. Either of those propagates one SREM per
 * member popped, in reply order, instead of the SPOP.
 */
function spopWithCountCommand(c: Client, argv: string[]): void {
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

/** SPOP key [count]. Without a count: one member or a null. */
function spopCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(errors.syntax);
    return;
  }
  if (argv.length === 3) {
    spopWithCountCommand(c, argv);
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

export const spopSpec: CommandSpec = {
  name: 'spop',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'access', 'delete'],
  group: 'set',
  summary: 'Remove and return one or multiple random members from a set',
  since: '1.0.0',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
  syntax: 'key [count:integer]',
  handler: spopCommand,
};

/**
 * srandmemberWithCountCommand: an array (in RESP3 too). A positive count
 * gives distinct members, the whole set when it asks for as many or more;
 * a negative one |count| independent picks.
 */
function srandmemberWithCountCommand(c: Client, argv: string[]): void {
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

/** SRANDMEMBER key [count]. Without a count: one member or a null. */
function srandmemberCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(errors.syntax);
    return;
  }
  if (argv.length === 3) {
    srandmemberWithCountCommand(c, argv);
    return;
  }
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.null);
  if (set !== null) c.reply.bulk(set.random());
}

export const srandmemberSpec: CommandSpec = {
  name: 'srandmember',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'set',
  summary: 'Get one or multiple random members from a set',
  since: '1.0.0',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
  syntax: 'key [count:integer]',
  handler: srandmemberCommand,
};

/**
 * SMOVE source destination member. A missing source answers 0 before any
 * type check; source and destination the same key is a membership test.
 * The source goes when emptied; the destination is created if needed.
 */
function smoveCommand(c: Client, argv: string[]): void {
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

export const smoveSpec: CommandSpec = {
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
  handler: smoveCommand,
  firstKeyFlags: ['RW', 'access', 'delete'],
  keyFlags: ['RW', 'insert'],
};

/** SSCAN key cursor [MATCH pattern] [COUNT count] */
function sscanCommand(c: Client, argv: string[]): void {
  const cursor = readScanCursor(c, argv[2]!);
  if (cursor === null) return;
  const set = setReadOrReply(c, argv[1]!, missingKeyReply.emptyScan);
  if (set === null) return;
  replyCollectionScan(c, argv, false, (count) => {
    const page = set.scan(cursor, count, () => c.server.keyspace.issueScanCursor());
    return { cursor: page.cursor, elements: page.items };
  });
}

export const sscanSpec: CommandSpec = {
  name: 'sscan',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'set',
  summary: 'Incrementally iterate Set elements',
  since: '2.8.0',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  syntax: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]',
  handler: sscanCommand,
};

export const setCommands: readonly CommandSpec[] = [
  saddSpec,
  sremSpec,
  smembersSpec,
  sismemberSpec,
  smismemberSpec,
  scardSpec,
  spopSpec,
  srandmemberSpec,
  smoveSpec,
  sinterSpec,
  sintercardSpec,
  sinterstoreSpec,
  sunionSpec,
  sunionstoreSpec,
  sdiffSpec,
  sdiffstoreSpec,
  sscanSpec,
];
