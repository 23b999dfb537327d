/**
 * The HyperLogLog command group (Redis's hyperloglog.c): PFADD, PFCOUNT
 * and PFMERGE. An HLL is an ordinary string value; store/hyperloglog.ts
 * reads and writes its bytes exactly as Redis lays them out, and this
 * module looks the keys up, stores the results and replies.
 *
 * Redis tells two kinds of bad key apart: a key of another type gets the
 * usual WRONGTYPE error, a string that is not an HLL gets "WRONGTYPE Key is
 * not a valid HyperLogLog string value." (and a damaged sparse HLL
 * INVALIDOBJ). The multi-key commands check each key fully, type then
 * contents, before the next. Each command's spec follows its handler.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { HllCorruptedError, HllWrongTypeError, checkHllForUnion, pfAdd, pfCount, pfMerge } from '../store/hyperloglog.js';
import { SIGNAL_ONLY } from '../store/keyspace-events.js';
import { RAW_STRING_ENCODING } from '../store/types.js';
import { lookupStringWrite, readStringOrReply } from './string-values.js';

/** A string value as the bytes the HLL functions read. */
function bytesOf(value: string): Buffer {
  return Buffer.from(value, 'latin1');
}

/** Replies the error an HLL function threw; anything else is a bug and propagates. */
function replyHllError(c: Client, e: unknown): void {
  if (e instanceof HllWrongTypeError) c.reply.error(errors.hllWrongType);
  else if (e instanceof HllCorruptedError) c.reply.error(errors.hllInvalid);
  else throw e;
}

/**
 * The values of `keys` in order, missing keys as null. Each is checked as
 * it is read, and the first that is no HLL (another type, a string without
 * an HLL header, a corrupted sparse HLL) gets its error replied: the result
 * is then null, and the keys after it were not read (no keymiss for them),
 * as in Redis's loop.
 */
function readHllKeys(c: Client, keys: readonly string[]): (Buffer | null)[] | null {
  const bufs: (Buffer | null)[] = [];
  for (const key of keys) {
    const entry = c.db.lookupRead(key);
    if (entry === undefined) {
      bufs.push(null);
      continue;
    }
    if (typeof entry !== 'string') {
      c.reply.error(errors.wrongType);
      return null;
    }
    const buf = bytesOf(entry);
    try {
      checkHllForUnion(buf);
    } catch (e) {
      replyHllError(c, e);
      return null;
    }
    bufs.push(buf);
  }
  return bufs;
}

/**
 * PFADD key [element ...]: 1 when a register changed or the key was
 * created (even with no elements), else 0. Elements added before a
 * corrupted sparse opcode was met stay added, as Redis edits in place,
 * but announce nothing. Redis adds to dirty one for the creation and one
 * per element that raised a register.
 */
function pfaddCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const db = c.db;
  const entry = lookupStringWrite(c, key);
  if (entry === null) return;
  const old = entry === undefined ? null : bytesOf(entry);
  let result: { updated: boolean; changes: number; buf: Buffer };
  try {
    result = pfAdd(old, argv.slice(2), c.server.encoding.hllSparseMaxBytes);
  } catch (e) {
    if (e instanceof HllCorruptedError) {
      if (e.buf !== undefined) db.set(key, e.buf.latin1Slice(), true, RAW_STRING_ENCODING);
      else if (entry !== undefined) db.unshareString(key, entry);
    }
    replyHllError(c, e);
    return;
  }
  // Redis creates the key with createHLLObject or unshares the old value
  // before adding anything: `raw` either way, even when nothing changed.
  if (result.updated) {
    const value = result.buf.latin1Slice();
    if (entry === undefined) db.add(key, value, RAW_STRING_ENCODING);
    else db.set(key, value, true, RAW_STRING_ENCODING);
    c.server.events.keyModified(db, key, 'pfadd', result.changes);
  } else if (entry !== undefined) {
    db.unshareString(key, entry);
  }
  c.reply.raw(result.updated ? shared.one : shared.zero);
}

export const pfaddSpec: CommandSpec = {
  name: 'pfadd',
  arity: -2,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hyperloglog',
  summary: 'Adds the specified elements to the specified HyperLogLog.',
  since: '2.8.9',
  complexity: 'O(1) to add every element.',
  syntax: 'key [element [element ...]]',
  keyFlags: ['RW', 'insert'],
  handler: pfaddCommand,
};

/**
 * PFCOUNT key [key ...]. One key answers from the cached cardinality, or
 * recomputes it and writes it back into the value: Redis then counts the
 * command as a write (WATCH sees it, dirty grows, it propagates as
 * itself) although it is flagged readonly, and notifies no event. Several
 * keys answer the cardinality of their union and write nothing.
 */
function pfcountCommand(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const key = argv[1]!;
    const entry = readStringOrReply(c, key, shared.zero);
    if (entry === null) return;
    let result: { count: number | bigint; buf?: Buffer };
    try {
      result = pfCount([bytesOf(entry)]);
    } catch (e) {
      // Past isHLLObjectOrReply, Redis has unshared the value before counting.
      if (e instanceof HllCorruptedError) c.db.unshareString(key, entry);
      replyHllError(c, e);
      return;
    }
    // dbUnshareStringValue before the cache is read: `raw` even when it was valid.
    if (result.buf !== undefined) {
      c.db.set(key, result.buf.latin1Slice(), true, RAW_STRING_ENCODING);
      c.server.events.keyModified(c.db, key, SIGNAL_ONLY);
    } else {
      c.db.unshareString(key, entry);
    }
    c.reply.integer(result.count);
    return;
  }
  const bufs = readHllKeys(c, argv.slice(1));
  if (bufs === null) return;
  try {
    c.reply.integer(pfCount(bufs).count);
  } catch (e) {
    replyHllError(c, e);
  }
}

export const pfcountSpec: CommandSpec = {
  name: 'pfcount',
  arity: -2,
  // may_replicate: PFCOUNT may rewrite the HLL's cached cardinality.
  flags: ['readonly', 'may_replicate'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'hyperloglog',
  summary: 'Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).',
  since: '2.8.9',
  complexity:
    'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
  syntax: 'key [key ...]',
  // It may write the cached cardinality back, hence RW.
  keyFlags: ['RW', 'access'],
  handler: pfcountCommand,
};

/**
 * PFMERGE destkey [sourcekey ...]: the union of every key, destkey
 * included, stored in destkey (created when missing, its TTL kept
 * otherwise). Every key is checked, destkey first, before anything is
 * written.
 */
function pfmergeCommand(c: Client, argv: string[]): void {
  const bufs = readHllKeys(c, argv.slice(1));
  if (bufs === null) return;
  let merged: Buffer;
  try {
    merged = pfMerge(bufs[0]!, bufs.slice(1), c.server.encoding.hllSparseMaxBytes);
  } catch (e) {
    replyHllError(c, e);
    return;
  }
  const destkey = argv[1]!;
  const value = merged.latin1Slice();
  // createHLLObject, or dbUnshareStringValue of the old value: raw either way.
  if (bufs[0] === null) c.db.add(destkey, value, RAW_STRING_ENCODING);
  else c.db.set(destkey, value, true, RAW_STRING_ENCODING);
  // A merge is a mass PFADD to Redis: it announces `pfadd`, even when nothing changed.
  c.server.events.keyModified(c.db, destkey, 'pfadd');
  c.reply.raw(shared.ok);
}

export const pfmergeSpec: CommandSpec = {
  name: 'pfmerge',
  arity: -2,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'hyperloglog',
  summary: 'Merge N different HyperLogLogs into a single one.',
  since: '2.8.9',
  complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
  syntax: 'destkey:key sourcekey:key [sourcekey:key ...]',
  handler: pfmergeCommand,
  firstKeyFlags: ['RW', 'access', 'insert'],
  keyFlags: ['RO', 'access'],
};

export const hyperloglogCommands: readonly CommandSpec[] = [pfaddSpec, pfcountSpec, pfmergeSpec];
