/**
 * The hash command group (Redis's t_hash.c): HSET and friends, the
 * counters, HRANDFIELD and HSCAN, with Redis 7.0's metadata. The value
 * lives in store/hash.ts; this module parses, checks types and replies.
 *
 * Errors come in Redis's order: a malformed increment or count is refused
 * before the key is even looked up, so it wins over WRONGTYPE.
 *
 * Each write announces its change on the change seat with Redis's event
 * (`hset`, `hdel` then `del`, `hincrby`, `hincrbyfloat`) and adds to dirty
 * what Redis adds; a write that changes nothing (HSETNX of an existing
 * field, HDEL of missing fields) announces nothing.
 */
import { errors, wrongArity } from '../errors.js';
import { shared, type ReplyWriter } from '../protocol/reply.js';
import { RedisHash } from '../store/hash.js';
import { addInt64, hincrByFloat, hincrByFloatIncrementError, parseExactInt64 } from '../text/numbers.js';
import { emptyScanReply, readScanCursor, replyCollectionScan } from './collection-scan.js';
import { exceedsHalfRange, readRandomCount, refuseHugeSampling } from './random-count.js';
import { isOption, readExactInt64 } from './parse.js';
import type { Client, CommandSpec } from './types.js';

/** What a hash command replies for a missing key (the shared object Redis passes lookupKey*OrReply). */
type MissingKeyReply = (reply: ReplyWriter) => void;

const missingHash = {
  zero: (reply) => reply.raw(shared.zero),
  nullBulk: (reply) => reply.nullBulk(),
  emptyArray: (reply) => reply.raw(shared.emptyArray),
  /** shared.emptymap: `*0` in RESP2, `%0` in RESP3. */
  emptyMap: (reply) => reply.mapHeader(0),
  emptyScan: (reply) => reply.raw(emptyScanReply),
} satisfies Record<string, MissingKeyReply>;

/**
 * lookupKeyRead/lookupKeyWrite + checkType for hashes, and with `missing`
 * lookupKey*OrReply: the hash at `key`; null after replying WRONGTYPE, or
 * after replying `missing` when the key is missing. Without `missing` a
 * missing key is undefined and nothing is replied.
 */
export function lookupHash(c: Client, key: string, write: boolean, missing: MissingKeyReply): RedisHash | null;
export function lookupHash(c: Client, key: string, write: boolean): RedisHash | undefined | null;
export function lookupHash(c: Client, key: string, write: boolean, missing?: MissingKeyReply): RedisHash | undefined | null {
  const value = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (value === undefined) {
    if (missing === undefined) return undefined;
    missing(c.reply);
    return null;
  }
  if (value instanceof RedisHash) return value;
  c.reply.error(errors.wrongType);
  return null;
}

/** hashTypeLookupWriteOrCreate: the key's hash, a new empty one, or null after WRONGTYPE. */
function hashForWrite(c: Client, key: string): RedisHash | null {
  const hash = lookupHash(c, key, true);
  if (hash !== undefined) return hash;
  const created = new RedisHash();
  c.db.add(key, created);
  return created;
}

/**
 * hsetCommand's body, for HSET (the number of new fields) and HMSET (OK).
 * An odd pair count is an arity error under the command's own name, as
 * addReplyErrorArity gives it. Redis counts every pair as a change, new
 * field or not.
 */
function hsetGeneric(c: Client, argv: string[], name: 'hset' | 'hmset'): void {
  if (argv.length % 2 === 1) {
    c.reply.error(wrongArity(name));
    return;
  }
  const hash = hashForWrite(c, argv[1]!);
  if (hash === null) return;
  const config = c.server.encoding;
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (hash.set(argv[i]!, argv[i + 1]!, config)) created++;
  }
  if (name === 'hset') c.reply.integer(created);
  else c.reply.raw(shared.ok);
  c.server.events.keyModified(c.db, argv[1]!, 'hset', (argv.length - 2) / 2);
}

/** HSET key field value [field value ...]: the number of fields that are new. */
function hsetCommand(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, 'hset');
}

export const hsetSpec: CommandSpec = {
  name: 'hset',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Set the string value of a hash field',
  since: '2.0.0',
  complexity:
    'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
  syntax: 'key field value [field value ...]',
  keyFlags: ['RW', 'update'],
  handler: hsetCommand,
};

/** HSETNX key field value */
function hsetnxCommand(c: Client, argv: string[]): void {
  const hash = hashForWrite(c, argv[1]!);
  if (hash === null) return;
  if (hash.has(argv[2]!)) {
    c.reply.raw(shared.zero);
    return;
  }
  hash.set(argv[2]!, argv[3]!, c.server.encoding);
  c.reply.raw(shared.one);
  c.server.events.keyModified(c.db, argv[1]!, 'hset');
}

export const hsetnxSpec: CommandSpec = {
  name: 'hsetnx',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Set the value of a hash field, only if the field does not exist',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key field value',
  keyFlags: ['RW', 'insert'],
  handler: hsetnxCommand,
};

/** HGET key field */
function hgetCommand(c: Client, argv: string[]): void {
  const hash = lookupHash(c, argv[1]!, false, missingHash.nullBulk);
  if (hash !== null) c.reply.bulkOrNull(hash.get(argv[2]!));
}

export const hgetSpec: CommandSpec = {
  name: 'hget',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get the value of a hash field',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key field',
  handler: hgetCommand,
};

/**
 * HMGET key field [field ...]
 * A missing key is an empty hash, so all nulls.
 */
function hmgetCommand(c: Client, argv: string[]): void {
  const hash = lookupHash(c, argv[1]!, false);
  if (hash === null) return;
  const values = new Array<string | undefined>(argv.length - 2);
  for (let i = 2; i < argv.length; i++) values[i - 2] = hash?.get(argv[i]!);
  c.reply.bulkOrNullArray(values);
}

export const hmgetSpec: CommandSpec = {
  name: 'hmget',
  arity: -3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get the values of all the given hash fields',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of fields being requested.',
  syntax: 'key field [field ...]',
  handler: hmgetCommand,
};

/** HMSET key field value [field value ...]: HSET replying OK. */
function hmsetCommand(c: Client, argv: string[]): void {
  hsetGeneric(c, argv, 'hmset');
}

export const hmsetSpec: CommandSpec = {
  name: 'hmset',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Set multiple hash fields to multiple values',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of fields being set.',
  syntax: 'key field value [field value ...]',
  keyFlags: ['RW', 'update'],
  handler: hmsetCommand,
};

/**
 * HDEL key field [field ...]
 * The key goes when its last field does. Each field deleted is a change.
 */
function hdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const hash = lookupHash(c, key, true, missingHash.zero);
  if (hash === null) return;
  let deleted = 0;
  let keyRemoved = false;
  for (let i = 2; i < argv.length; i++) {
    if (!hash.delete(argv[i]!)) continue;
    deleted++;
    if (hash.size === 0) {
      c.db.delete(key);
      keyRemoved = true;
      break;
    }
  }
  if (deleted !== 0) {
    c.server.events.keyModified(c.db, key, 'hdel', deleted);
    if (keyRemoved) c.server.events.keyModified(c.db, key, 'del', 0);
  }
  c.reply.integer(deleted);
}

export const hdelSpec: CommandSpec = {
  name: 'hdel',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Delete one or more hash fields',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of fields to be removed.',
  syntax: 'key field [field ...]',
  keyFlags: ['RW', 'delete'],
  handler: hdelCommand,
};

/** HEXISTS key field */
function hexistsCommand(c: Client, argv: string[]): void {
  const hash = lookupHash(c, argv[1]!, false, missingHash.zero);
  if (hash !== null) c.reply.raw(hash.has(argv[2]!) ? shared.one : shared.zero);
}

export const hexistsSpec: CommandSpec = {
  name: 'hexists',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Determine if a hash field exists',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key field',
  keyFlags: ['RO'],
  handler: hexistsCommand,
};

/** HLEN key */
function hlenCommand(c: Client, argv: string[]): void {
  const hash = lookupHash(c, argv[1]!, false, missingHash.zero);
  if (hash !== null) c.reply.integer(hash.size);
}

export const hlenSpec: CommandSpec = {
  name: 'hlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get the number of fields in a hash',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  keyFlags: ['RO'],
  handler: hlenCommand,
};

/**
 * HSTRLEN key field
 * 0 for a missing field or key.
 */
function hstrlenCommand(c: Client, argv: string[]): void {
  const hash = lookupHash(c, argv[1]!, false, missingHash.zero);
  if (hash !== null) c.reply.integer(hash.get(argv[2]!)?.length ?? 0);
}

export const hstrlenSpec: CommandSpec = {
  name: 'hstrlen',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get the length of the value of a hash field',
  since: '3.2.0',
  complexity: 'O(1)',
  syntax: 'key field',
  keyFlags: ['RO'],
  handler: hstrlenCommand,
};

/**
 * genericHgetallCommand: HGETALL replies a map (a flat array in RESP2),
 * HKEYS and HVALS a plain array, in the hash's order.
 */
function hgetallGeneric(c: Client, argv: string[], fields: boolean, values: boolean): void {
  const hash = lookupHash(c, argv[1]!, false, fields && values ? missingHash.emptyMap : missingHash.emptyArray);
  if (hash === null) return;
  const reply = c.reply;
  if (fields && values) {
    reply.mapHeader(hash.size);
    for (const [field, value] of hash.entries()) {
      reply.bulk(field);
      reply.bulk(value);
    }
    return;
  }
  reply.bulkArray([...(fields ? hash.fields() : hash.values())]);
}

/** HKEYS key */
function hkeysCommand(c: Client, argv: string[]): void {
  hgetallGeneric(c, argv, true, false);
}

export const hkeysSpec: CommandSpec = {
  name: 'hkeys',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get all the fields in a hash',
  since: '2.0.0',
  complexity: 'O(N) where N is the size of the hash.',
  syntax: 'key',
  handler: hkeysCommand,
};

/** HVALS key */
function hvalsCommand(c: Client, argv: string[]): void {
  hgetallGeneric(c, argv, false, true);
}

export const hvalsSpec: CommandSpec = {
  name: 'hvals',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get all the values in a hash',
  since: '2.0.0',
  complexity: 'O(N) where N is the size of the hash.',
  syntax: 'key',
  handler: hvalsCommand,
};

/** HGETALL key */
function hgetallCommand(c: Client, argv: string[]): void {
  hgetallGeneric(c, argv, true, true);
}

export const hgetallSpec: CommandSpec = {
  name: 'hgetall',
  arity: 2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get all the fields and values in a hash',
  since: '2.0.0',
  complexity: 'O(N) where N is the size of the hash.',
  syntax: 'key',
  handler: hgetallCommand,
};

/**
 * HINCRBY key field increment
 * int64 arithmetic, exact past 2^53 (BigInt there), with Redis's overflow
 * check. A missing field counts as 0.
 */
function hincrbyCommand(c: Client, argv: string[]): void {
  const incr = readExactInt64(c, argv[3]!);
  if (incr === null) return;
  const hash = hashForWrite(c, argv[1]!);
  if (hash === null) return;
  const field = argv[2]!;
  const current = hash.get(field);
  let value: number | bigint = 0;
  if (current !== undefined) {
    const parsed = parseExactInt64(current);
    if (parsed === null) {
      c.reply.error(errors.hashValueNotInteger);
      return;
    }
    value = parsed;
  }
  const result = addInt64(value, incr);
  if (result === null) {
    c.reply.error(errors.overflow);
    return;
  }
  // HASH_SET_KEEP_TTL: an increment keeps the field's TTL (Redis 7.4+).
  hash.set(field, String(result), c.server.encoding, true);
  c.reply.integer(result);
  c.server.events.keyModified(c.db, argv[1]!, 'hincrby');
}

export const hincrbySpec: CommandSpec = {
  name: 'hincrby',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Increment the integer value of a hash field by the given number',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key field increment:integer',
  handler: hincrbyCommand,
};

/**
 * HINCRBYFLOAT key field increment
 * Long double arithmetic and formatting (numbers.ts). The result is a bulk
 * string in RESP3 too, as in Redis 7.0. It propagates as
 * `HSET key field <result>`, so that a replica or a reloaded journal gets
 * the same text whatever its float formatting. Both increments keep the
 * field's TTL (HASH_SET_KEEP_TTL in Redis 8's t_hash.c).
 */
function hincrbyfloatCommand(c: Client, argv: string[]): void {
  const incrError = hincrByFloatIncrementError(argv[3]!);
  if (incrError !== null) {
    c.reply.error(incrError);
    return;
  }
  const hash = hashForWrite(c, argv[1]!);
  if (hash === null) return;
  const field = argv[2]!;
  const result = hincrByFloat(hash.get(field) ?? null, argv[3]!);
  if (!result.ok) {
    c.reply.error(result.error);
    return;
  }
  hash.set(field, result.value, c.server.encoding, true);
  c.reply.bulk(result.value);
  c.server.events.keyModified(c.db, argv[1]!, 'hincrbyfloat');
  // A field with a TTL must keep it on the replica too: Redis 8 propagates
  // `HSETEX key KEEPTTL FIELDS 1 field <result>` for every HINCRBYFLOAT; a
  // field without one still goes as 7.0's HSET, which 7.0 replicas know.
  if (hash.fieldDeadline(field) === undefined) c.server.propagation.rewrite(['HSET', argv[1]!, field, result.value]);
  else c.server.propagation.rewrite(['HSETEX', argv[1]!, 'KEEPTTL', 'FIELDS', '1', field, result.value]);
}

export const hincrbyfloatSpec: CommandSpec = {
  name: 'hincrbyfloat',
  arity: 4,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Increment the float value of a hash field by the given amount',
  since: '2.6.0',
  complexity: 'O(1)',
  syntax: 'key field increment:double',
  handler: hincrbyfloatCommand,
};

/**
 * HRANDFIELD key [count [WITHVALUES]]
 * Without a count: one field or a null. With one: a positive count gives
 * distinct fields (the whole hash when it asks for as many or more), a
 * negative one |count| independent picks. WITHVALUES pairs come flat in
 * RESP2 and as two-element arrays in RESP3; a missing key is an empty
 * array in both.
 */
function hrandfieldCommand(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    const hash = lookupHash(c, argv[1]!, false, missingHash.nullBulk);
    if (hash !== null) c.reply.bulk(hash.randomField());
    return;
  }
  const requested = readRandomCount(c, argv[2]!);
  if (requested === null) return;
  if (argv.length > 4 || (argv.length === 4 && !isOption(argv[3]!, 'withvalues'))) {
    c.reply.error(errors.syntax);
    return;
  }
  const withValues = argv.length === 4;
  if (withValues && exceedsHalfRange(argv[2]!)) {
    c.reply.error(errors.valueOutOfRange);
    return;
  }
  const hash = lookupHash(c, argv[1]!, false, missingHash.emptyArray);
  if (hash === null) return;
  if (requested === 0) {
    c.reply.raw(shared.emptyArray);
    return;
  }
  if (refuseHugeSampling(c, requested)) return;
  const count = Math.abs(requested);
  // Redis's CASE 1: a negative count, or a count of 1, draws with replacement.
  const independent = requested < 0 || count === 1;
  const replied = independent ? count : Math.min(count, hash.size);
  const reply = c.reply;
  const resp3 = reply.protocol === 3;
  reply.arrayHeader(withValues && !resp3 ? replied * 2 : replied);
  const emit = (field: string): void => {
    if (withValues && resp3) reply.arrayHeader(2);
    reply.bulk(field);
    if (withValues) reply.bulk(hash.get(field)!);
  };
  if (independent) {
    // Written as drawn, not collected first: a huge count costs output, as in Redis.
    const pick = hash.randomPicker();
    for (let i = 0; i < count; i++) emit(pick());
  } else if (count >= hash.size) {
    for (const field of hash.fields()) emit(field);
  } else {
    for (const field of hash.distinctRandomFields(count)) emit(field);
  }
}

export const hrandfieldSpec: CommandSpec = {
  name: 'hrandfield',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get one or multiple random fields from a hash',
  since: '6.2.0',
  complexity: 'O(N) where N is the number of fields returned',
  syntax: 'key [count:integer [WITHVALUES]]',
  handler: hrandfieldCommand,
};

/** HSCAN key cursor [MATCH pattern] [COUNT count] */
function hscanCommand(c: Client, argv: string[]): void {
  const cursor = readScanCursor(c, argv[2]!);
  if (cursor === null) return;
  const hash = lookupHash(c, argv[1]!, false, missingHash.emptyScan);
  if (hash === null) return;
  replyCollectionScan(c, argv, true, (count) => {
    const page = hash.scan(cursor, count, () => c.server.keyspace.issueScanCursor());
    const elements: string[] = [];
    for (const [field, value] of page.items) elements.push(field, value);
    return { cursor: page.cursor, elements };
  });
}

export const hscanSpec: CommandSpec = {
  name: 'hscan',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Incrementally iterate hash fields and associated values',
  since: '2.8.0',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  syntax: 'key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]',
  handler: hscanCommand,
};

/** The hash group, in the order COMMAND lists it. */
export const hashCommands: readonly CommandSpec[] = [
  hsetSpec,
  hsetnxSpec,
  hgetSpec,
  hmgetSpec,
  hmsetSpec,
  hdelSpec,
  hexistsSpec,
  hlenSpec,
  hstrlenSpec,
  hkeysSpec,
  hvalsSpec,
  hgetallSpec,
  hincrbySpec,
  hincrbyfloatSpec,
  hrandfieldSpec,
  hscanSpec,
];
