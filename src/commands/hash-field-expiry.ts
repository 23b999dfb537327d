/**
 * Hash-field expiration (Redis 7.4) and Redis 8.0's hash commands that
 * use it: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HPERSIST, HTTL, HPTTL,
 * HEXPIRETIME, HPEXPIRETIME, HGETDEL, HGETEX, HSETEX.
 *
 * redis-server 7.0.15 has none of them, so their semantics come from
 * Redis's source: t_hash.c at tag 7.4.1 (the H*EXPIRE*, HPERSIST and HTTL
 * family) and the 8.0 t_hash.c (hgetdelCommand, hgetexCommand,
 * hsetexCommand, hexpireGenericCommand), with metadata from
 * src/commands/*.json and redis.io's pages; docs/DESIGN.md lists them.
 *
 * Per-field replies are Redis's codes: -2 no such field (or no key), 0 a
 * NX/XX/GT/LT condition not met, 1 set, 2 deleted because the time given
 * is already past; HPERSIST -1 when the field has no TTL; HTTL & co. -1
 * for no TTL. Expired fields never reach these handlers: the lookup
 * deleted them first (Database.expireHashFields).
 *
 * Propagation is Redis 8's: H*EXPIRE* as HPEXPIREAT with an absolute time
 * and only the fields it set, a field deleted for a past time as HDEL,
 * HGETDEL as HDEL, HGETEX as HPEXPIREAT or HPERSIST, HSETEX with PXAT.
 */
import { errors, invalidExpireTime, unknownArgument, wrongArity } from '../errors.js';
import { RedisHash } from '../store/hash.js';
import { parseInteger } from '../text/numbers.js';
import { lookupHash } from './hashes.js';
import { lowercaseCString } from './parse.js';
import type { Client, CommandSpec } from './types.js';

/** HFE_MAX_ABS_TIME_MSEC = EB_EXPIRE_TIME_MAX >> 2 (t_hash.c, ebuckets.h): the latest deadline a field can have. */
const MAX_FIELD_DEADLINE_MS = Math.floor(0xffffffffffff / 4);
/** INT_MAX: HSETEX reads numfields with getRangeLongFromObjectOrReply(1, INT_MAX). */
const INT_MAX = 2147483647;

/**
 * Which of `names` (lowercase letters) the argument is, compared as Redis's
 * strcasecmp does, or null. Per character, without a lower-cased copy: the
 * HSETEX/HGETEX hot path reads two or three options per call. An argument
 * with a NUL byte is compared up to it, as strcasecmp stops there.
 */
function whichOption(arg: string, names: readonly string[]): string | null {
  outer: for (const name of names) {
    if (arg.length !== name.length) continue;
    for (let i = 0; i < name.length; i++) {
      // Setting bit 5 lower-cases an ASCII letter and maps no other byte onto one.
      if ((arg.charCodeAt(i) | 0x20) !== name.charCodeAt(i)) continue outer;
    }
    return name;
  }
  if (arg.includes('\0')) {
    const truncated = lowercaseCString(arg);
    return names.includes(truncated) ? truncated : null;
  }
  return null;
}

const FIELDS_OPTION = ['fields'] as const;
const EXPIRE_CONDITIONS = ['nx', 'xx', 'gt', 'lt'] as const;
const HGETEX_OPTIONS = ['ex', 'px', 'exat', 'pxat', 'persist'] as const;
const HSETEX_OPTIONS = ['fields', 'ex', 'px', 'exat', 'pxat', 'keepttl', 'fnx', 'fxx'] as const;

/** hashTypeSetEx's results, which H*EXPIRE* reply per field. */
const FIELD_MISSING = -2;
const CONDITION_NOT_MET = 0;
const DEADLINE_SET = 1;
const FIELD_DELETED = 2;
/** HPERSIST / HTTL: the field exists but has no TTL. */
const NO_TTL = -1;

type ExpireCondition = 'nx' | 'xx' | 'gt' | 'lt' | null;

/**
 * parseExpireTime (t_hash.c, 8.0): the absolute deadline in ms for a time
 * argument, or null after replying the error. `fullName` names the command
 * in "invalid expire time in '%s' command".
 */
function readFieldDeadline(c: Client, text: string, seconds: boolean, basetime: number, fullName: string): number | null {
  let when = parseInteger(text);
  if (when === null) {
    c.reply.error(errors.notInteger);
    return null;
  }
  if (when < 0) {
    c.reply.error(errors.fieldExpireNegative);
    return null;
  }
  if (seconds) {
    if (when > MAX_FIELD_DEADLINE_MS / 1000) {
      c.reply.error(invalidExpireTime(fullName));
      return null;
    }
    when *= 1000;
  }
  if (when > MAX_FIELD_DEADLINE_MS - basetime) {
    c.reply.error(invalidExpireTime(fullName));
    return null;
  }
  return when + basetime;
}

/**
 * The `FIELDS numfields field [field ...]` block whose FIELDS token is at
 * `at`: the number of fields, which are argv[at + 2] to the end, or null
 * after replying Redis's error. numfields must be 1..LONG_MAX
 * (`numfieldsError` otherwise, each command has its text) and match the
 * arguments that follow.
 */
function readFieldsBlock(c: Client, argv: readonly string[], at: number, numfieldsError: string): number | null {
  if (whichOption(argv[at]!, FIELDS_OPTION) === null) {
    c.reply.error(errors.fieldsArgumentMissing);
    return null;
  }
  // `HGETEX key EX 10 FIELDS` passes the arity check with no numfields at all.
  const text = argv[at + 1];
  if (text === undefined) {
    c.reply.error(wrongArity(argv[0]!.toLowerCase()));
    return null;
  }
  const count = parseInteger(text);
  if (count === null || count < 1) {
    c.reply.error(numfieldsError);
    return null;
  }
  if (count !== argv.length - at - 2) {
    c.reply.error(errors.numfieldsMismatch);
    return null;
  }
  return count;
}

/** Replies `count` copies of one integer: a missing key answers every field alike. */
function replyEach(c: Client, count: number, code: number): void {
  c.reply.arrayHeader(count);
  for (let i = 0; i < count; i++) c.reply.integer(code);
}

/**
 * Registers the hash for the active cycle when this command brought its
 * earliest deadline forward (hashTypeSetExDone's update of db->hexpires).
 */
function trackIfEarlier(c: Client, key: string, hash: RedisHash, earliestBefore: number): void {
  if (hash.size !== 0 && hash.nextFieldDeadline() < earliestBefore) c.db.trackFieldExpiry(key, hash);
}

/**
 * The field's deadline is already past (checkAlreadyExpired: `when <= now`):
 * deletes it and propagates its HDEL, as hashTypeSetExpiry* do.
 */
function deleteForPastDeadline(c: Client, key: string, hash: RedisHash, field: string): void {
  hash.delete(field);
  c.server.propagation.alsoPropagate(c.db.id, ['HDEL', key, field]);
  c.server.keyspace.stats.expiredSubkeys++;
}

/** The key lost its last field in this command: dbDelete, then `del`. */
function deleteIfEmpty(c: Client, key: string, hash: RedisHash): void {
  if (hash.size !== 0) return;
  c.db.delete(key);
  c.server.events.keyModified(c.db, key, 'del', 0);
}

/**
 * hexpireGenericCommand: `basetime` is the command's time for HEXPIRE and
 * HPEXPIRE, 0 for the *AT forms. Order of checks as in Redis: type, time,
 * condition, FIELDS, numfields.
 */
function hexpireGeneric(c: Client, argv: string[], name: string, relative: boolean, seconds: boolean): void {
  const key = argv[1]!;
  const hash = lookupHash(c, key, true);
  if (hash === null) return;
  const now = c.server.keyspace.now;
  const when = readFieldDeadline(c, argv[2]!, seconds, relative ? now : 0, name);
  if (when === null) return;
  const condition = whichOption(argv[3]!, EXPIRE_CONDITIONS) as ExpireCondition;
  const fieldsAt = condition === null ? 3 : 4;
  const count = readFieldsBlock(c, argv, fieldsAt, errors.numFieldsNotGreaterThanZero);
  if (count === null) return;
  if (hash === undefined) {
    replyEach(c, count, FIELD_MISSING);
    return;
  }
  const earliestBefore = hash.nextFieldDeadline();
  // hashTypeSetExInit: a listpack becomes listpackex whatever the fields.
  hash.prepareFieldTtls();
  const setFields: string[] = [];
  let deleted = 0;
  c.reply.arrayHeader(count);
  for (let i = fieldsAt + 2; i < argv.length; i++) {
    const field = argv[i]!;
    const code = setFieldDeadline(c, key, hash, field, when, condition, now);
    if (code === DEADLINE_SET) setFields.push(field);
    else if (code === FIELD_DELETED) deleted++;
    c.reply.integer(code);
  }
  const updated = setFields.length;
  if (updated + deleted > 0) c.server.events.keyModified(c.db, key, deleted !== 0 ? 'hdel' : 'hexpire', updated + deleted);
  deleteIfEmpty(c, key, hash);
  trackIfEarlier(c, key, hash, earliestBefore);
  if (updated === 0) {
    c.server.propagation.prevent();
    return;
  }
  if (!c.server.propagation.active) return;
  // HPEXPIREAT key <absolute ms> [condition] FIELDS <n> <the fields it set>.
  const rewritten = [name === 'hpexpireat' ? argv[0]! : 'HPEXPIREAT', key, relative || seconds ? String(when) : argv[2]!];
  if (condition !== null) rewritten.push(argv[3]!);
  rewritten.push(argv[fieldsAt]!, updated === count ? argv[fieldsAt + 1]! : String(updated), ...setFields);
  c.server.propagation.rewrite(rewritten);
}

/**
 * hashTypeSetExpiryListpack / hashTypeSetExpiryHT for one field: -2, 0, 1
 * or 2. A field without a TTL passes LT and NX but not XX and GT.
 */
function setFieldDeadline(
  c: Client,
  key: string,
  hash: RedisHash,
  field: string,
  when: number,
  condition: ExpireCondition,
  now: number,
): number {
  if (!hash.has(field)) return FIELD_MISSING;
  const previous = hash.fieldDeadline(field);
  if (previous === undefined) {
    if (condition === 'xx' || condition === 'gt') return CONDITION_NOT_MET;
  } else if (condition === 'nx' || (condition === 'gt' && previous >= when) || (condition === 'lt' && previous <= when)) {
    return CONDITION_NOT_MET;
  }
  if (when <= now) {
    deleteForPastDeadline(c, key, hash, field);
    return FIELD_DELETED;
  }
  hash.setFieldDeadline(field, when);
  return DEADLINE_SET;
}

/** HEXPIRE key seconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hexpireCommand(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, 'hexpire', true, true);
}

/** HPEXPIRE key milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hpexpireCommand(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, 'hpexpire', true, false);
}

/** HEXPIREAT key unix-time-seconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hexpireatCommand(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, 'hexpireat', false, true);
}

/** HPEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...] */
function hpexpireatCommand(c: Client, argv: string[]): void {
  hexpireGeneric(c, argv, 'hpexpireat', false, false);
}

/** What the four H*EXPIRE* specs share (src/commands/hexpire.json and siblings, 7.4.0). */
function fieldExpireSpec(name: string, summary: string, time: string, handler: (c: Client, argv: string[]) => void): CommandSpec {
  return {
    name,
    arity: -6,
    flags: ['write', 'denyoom', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    group: 'hash',
    summary,
    since: '7.4.0',
    complexity: 'O(N) where N is the number of specified fields',
    syntax: `key ${time} [NX | XX | GT | LT] FIELDS numfields:integer field [field ...]`,
    keyFlags: ['RW', 'update'],
    handler,
  };
}

export const hexpireSpec: CommandSpec = fieldExpireSpec(
  'hexpire',
  'Set expiry for hash field using relative time to expire (seconds)',
  'seconds:integer',
  hexpireCommand,
);

export const hpexpireSpec: CommandSpec = fieldExpireSpec(
  'hpexpire',
  'Set expiry for hash field using relative time to expire (milliseconds)',
  'milliseconds:integer',
  hpexpireCommand,
);

export const hexpireatSpec: CommandSpec = fieldExpireSpec(
  'hexpireat',
  'Set expiry for hash field using an absolute Unix timestamp (seconds)',
  'unix-time-seconds:unix-time',
  hexpireatCommand,
);

export const hpexpireatSpec: CommandSpec = fieldExpireSpec(
  'hpexpireat',
  'Set expiry for hash field using an absolute Unix timestamp (milliseconds)',
  'unix-time-milliseconds:unix-time',
  hpexpireatCommand,
);

/**
 * HPERSIST key FIELDS numfields field [field ...]
 * Per field: 1 TTL removed, -1 no TTL, -2 no such field. One `hpersist`
 * and one change (dirty) for the whole command when any TTL went.
 */
function hpersistCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const hash = lookupHash(c, key, true);
  if (hash === null) return;
  const count = readFieldsBlock(c, argv, 2, errors.numfieldsNotPositiveInteger);
  if (count === null) return;
  if (hash === undefined) {
    replyEach(c, count, FIELD_MISSING);
    return;
  }
  let changed = false;
  c.reply.arrayHeader(count);
  for (let i = 4; i < argv.length; i++) {
    const field = argv[i]!;
    if (!hash.has(field)) c.reply.integer(FIELD_MISSING);
    else if (!hash.persistField(field)) c.reply.integer(NO_TTL);
    else {
      c.reply.integer(1);
      changed = true;
    }
  }
  if (changed) c.server.events.keyModified(c.db, key, 'hpersist');
}

export const hpersistSpec: CommandSpec = {
  name: 'hpersist',
  arity: -5,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Removes the expiration time for each specified field',
  since: '7.4.0',
  complexity: 'O(N) where N is the number of specified fields',
  syntax: 'key FIELDS numfields:integer field [field ...]',
  keyFlags: ['RW', 'update'],
  handler: hpersistCommand,
};

/**
 * httlGenericCommand: the remaining time (`relative`) or the deadline,
 * in seconds (rounded up, `(expire + 999 - basetime) / 1000`) or ms; -1
 * for a field without TTL, -2 for no such field.
 */
function httlGeneric(c: Client, argv: string[], relative: boolean, seconds: boolean): void {
  const hash = lookupHash(c, argv[1]!, false);
  if (hash === null) return;
  const count = readFieldsBlock(c, argv, 2, errors.numfieldsNotPositiveInteger);
  if (count === null) return;
  if (hash === undefined) {
    replyEach(c, count, FIELD_MISSING);
    return;
  }
  const basetime = relative ? c.server.keyspace.now : 0;
  c.reply.arrayHeader(count);
  for (let i = 4; i < argv.length; i++) {
    const field = argv[i]!;
    if (!hash.has(field)) {
      c.reply.integer(FIELD_MISSING);
      continue;
    }
    const when = hash.fieldDeadline(field);
    if (when === undefined) c.reply.integer(NO_TTL);
    else c.reply.integer(seconds ? Math.trunc((when + 999 - basetime) / 1000) : when - basetime);
  }
}

/** HTTL key FIELDS numfields field [field ...] */
function httlCommand(c: Client, argv: string[]): void {
  httlGeneric(c, argv, true, true);
}

/** HPTTL key FIELDS numfields field [field ...] */
function hpttlCommand(c: Client, argv: string[]): void {
  httlGeneric(c, argv, true, false);
}

/** HEXPIRETIME key FIELDS numfields field [field ...] */
function hexpiretimeCommand(c: Client, argv: string[]): void {
  httlGeneric(c, argv, false, true);
}

/** HPEXPIRETIME key FIELDS numfields field [field ...] */
function hpexpiretimeCommand(c: Client, argv: string[]): void {
  httlGeneric(c, argv, false, false);
}

/** What HTTL, HPTTL, HEXPIRETIME and HPEXPIRETIME share (src/commands/httl.json and siblings, 7.4.0). */
function fieldTtlSpec(name: string, summary: string, handler: (c: Client, argv: string[]) => void): CommandSpec {
  return {
    name,
    arity: -5,
    flags: ['readonly', 'fast'],
    firstKey: 1,
    lastKey: 1,
    keyStep: 1,
    group: 'hash',
    summary,
    since: '7.4.0',
    complexity: 'O(N) where N is the number of specified fields',
    syntax: 'key FIELDS numfields:integer field [field ...]',
    keyFlags: ['RO', 'access'],
    handler,
  };
}

export const httlSpec: CommandSpec = fieldTtlSpec('httl', 'Returns the TTL in seconds of a hash field.', httlCommand);
export const hpttlSpec: CommandSpec = fieldTtlSpec('hpttl', 'Returns the TTL in milliseconds of a hash field.', hpttlCommand);
export const hexpiretimeSpec: CommandSpec = fieldTtlSpec(
  'hexpiretime',
  'Returns the expiration time of a hash field as a Unix timestamp, in seconds.',
  hexpiretimeCommand,
);
export const hpexpiretimeSpec: CommandSpec = fieldTtlSpec(
  'hpexpiretime',
  'Returns the expiration time of a hash field as a Unix timestamp, in msec.',
  hpexpiretimeCommand,
);

/**
 * HGETDEL key FIELDS numfields field [field ...] (8.0)
 * The values (null for a missing field), each found field deleted; the
 * key goes with its last field. Propagates as `HDEL key field...`.
 */
function hgetdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const hash = lookupHash(c, key, true);
  if (hash === null) return;
  const count = readFieldsBlock(c, argv, 2, errors.numfieldsNotPositiveInteger);
  if (count === null) return;
  let deleted = 0;
  c.reply.arrayHeader(count);
  for (let i = 4; i < argv.length; i++) {
    const field = argv[i]!;
    const value = hash?.get(field);
    c.reply.bulkOrNull(value);
    if (value !== undefined) {
      hash!.delete(field);
      deleted++;
    }
  }
  if (deleted === 0) return;
  c.server.events.keyModified(c.db, key, 'hdel', deleted);
  if (c.server.propagation.active) c.server.propagation.rewrite(['HDEL', key, ...argv.slice(4)]);
  deleteIfEmpty(c, key, hash!);
}

export const hgetdelSpec: CommandSpec = {
  name: 'hgetdel',
  arity: -5,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Returns the value of a field and deletes it from the hash.',
  since: '8.0.0',
  complexity: 'O(N) where N is the number of specified fields',
  syntax: 'key FIELDS numfields:integer field [field ...]',
  keyFlags: ['RW', 'access', 'delete'],
  handler: hgetdelCommand,
};

/**
 * HGETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
 *   PXAT unix-time-milliseconds | PERSIST] FIELDS numfields field [field ...] (8.0)
 * The values, and for each field found the new deadline (or none with
 * PERSIST). A past deadline deletes the field (HDEL propagated, `hdel`);
 * otherwise it propagates as HPEXPIREAT or HPERSIST.
 */
function hgetexCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const hash = lookupHash(c, key, true);
  if (hash === null) return;
  const option = whichOption(argv[2]!, HGETEX_OPTIONS);
  const timed = option === 'ex' || option === 'px' || option === 'exat' || option === 'pxat';
  const persist = option === 'persist';
  let when = 0;
  if (timed) {
    const deadline = readFieldDeadline(c, argv[3]!, option === 'ex' || option === 'exat', option === 'ex' || option === 'px' ? c.server.keyspace.now : 0, 'hgetex');
    if (deadline === null) return;
    when = deadline;
  }
  const fieldsAt = timed ? 4 : persist ? 3 : 2;
  const count = readFieldsBlock(c, argv, fieldsAt, errors.numfieldsNotPositiveInteger);
  if (count === null) return;
  if (hash === undefined) {
    c.reply.arrayHeader(count);
    for (let i = 0; i < count; i++) c.reply.nullBulk();
    return;
  }
  const earliestBefore = hash.nextFieldDeadline();
  if (timed || persist) hash.prepareFieldTtls();
  const now = c.server.keyspace.now;
  let updated = 0;
  let deleted = 0;
  c.reply.arrayHeader(count);
  for (let i = fieldsAt + 2; i < argv.length; i++) {
    const field = argv[i]!;
    const value = hash.get(field);
    c.reply.bulkOrNull(value);
    if (value === undefined) continue;
    if (persist) {
      if (hash.persistField(field)) updated++;
    } else if (timed) {
      if (when <= now) {
        deleteForPastDeadline(c, key, hash, field);
        deleted++;
      } else {
        hash.setFieldDeadline(field, when);
        updated++;
      }
    }
  }
  if (updated + deleted === 0) return;
  const events = c.server.events;
  if (updated !== 0) {
    events.keyModified(c.db, key, persist ? 'hpersist' : 'hexpire', updated + deleted);
    if (c.server.propagation.active) {
      const rest = argv.slice(fieldsAt);
      if (persist) c.server.propagation.rewrite(['HPERSIST', key, ...rest]);
      else c.server.propagation.rewrite(['HPEXPIREAT', key, option === 'pxat' ? argv[3]! : String(when), ...rest]);
    }
  } else {
    events.keyModified(c.db, key, 'hdel', deleted);
    // The deleted fields' HDELs are already on their way.
    c.server.propagation.prevent();
  }
  deleteIfEmpty(c, key, hash);
  trackIfEarlier(c, key, hash, earliestBefore);
}

export const hgetexSpec: CommandSpec = {
  name: 'hgetex',
  arity: -5,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Get the value of one or more fields of a given hash key, and optionally set their expiration.',
  since: '8.0.0',
  complexity: 'O(N) where N is the number of specified fields',
  syntax:
    'key [EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | PERSIST] FIELDS numfields:integer field [field ...]',
  keyFlags: ['RW', 'access', 'update'],
  handler: hgetexCommand,
};

/** HSETEX's options once parsed (hsetexParseArgs). */
interface HsetexArgs {
  condition: 'fnx' | 'fxx' | null;
  /** The expiration option given (ex, px, exat, pxat, keepttl), or null. */
  expiration: string | null;
  /** Where the time argument is, and the deadline it gives. */
  timeAt: number;
  when: number;
  firstFieldAt: number;
  fieldCount: number;
}

/**
 * hsetexParseArgs: options in any order before FIELDS; null after
 * replying the error. A bad FIELDS block is an arity error, as in Redis.
 */
function readHsetexArgs(c: Client, argv: readonly string[]): HsetexArgs | null {
  const args: HsetexArgs = { condition: null, expiration: null, timeAt: -1, when: 0, firstFieldAt: -1, fieldCount: 0 };
  for (let i = 2; i < argv.length; i++) {
    const option = whichOption(argv[i]!, HSETEX_OPTIONS);
    if (option === 'fields') {
      if (i >= argv.length - 3) {
        c.reply.error(wrongArity('hsetex'));
        return null;
      }
      const count = parseInteger(argv[i + 1]!);
      if (count === null || count < 1 || count > INT_MAX) {
        c.reply.error(errors.hsetexNumfields);
        return null;
      }
      const remaining = argv.length - i - 2;
      if (remaining % 2 !== 0 || count !== remaining / 2) {
        c.reply.error(wrongArity('hsetex'));
        return null;
      }
      args.firstFieldAt = i + 2;
      args.fieldCount = count;
      return args;
    }
    if (option === 'ex' || option === 'px' || option === 'exat' || option === 'pxat' || option === 'keepttl') {
      if (args.expiration !== null) {
        c.reply.error(errors.hsetexExpirationConflict);
        return null;
      }
      args.expiration = option;
      if (option === 'keepttl') continue;
      if (i >= argv.length - 1) {
        c.reply.error(errors.hsetexMissingExpireTime);
        return null;
      }
      i++;
      const seconds = option === 'ex' || option === 'exat';
      const relative = option === 'ex' || option === 'px';
      const when = readFieldDeadline(c, argv[i]!, seconds, relative ? c.server.keyspace.now : 0, 'hsetex');
      if (when === null) return null;
      args.timeAt = i;
      args.when = when;
    } else if (option === 'fnx' || option === 'fxx') {
      if (args.condition !== null) {
        c.reply.error(errors.hsetexConditionConflict);
        return null;
      }
      args.condition = option;
    } else {
      c.reply.error(unknownArgument(argv[i]!));
      return null;
    }
  }
  // Unreachable with arity -6 (Redis asserts here); answered rather than thrown.
  c.reply.error(errors.syntax);
  return null;
}

/**
 * HSETEX key [FNX | FXX] [EX seconds | PX milliseconds | EXAT
 *   unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
 *   FIELDS numfields field value [field value ...] (8.0)
 * 1 when every field was set, 0 when FNX/FXX refused them all. Without an
 * expiration option or KEEPTTL, the fields lose any TTL they had (HSET's
 * rule). Each field counts as a change; events `hset`, then `hexpire` (or
 * `hdel` when a past time deleted the fields).
 */
function hsetexCommand(c: Client, argv: string[]): void {
  const args = readHsetexArgs(c, argv);
  if (args === null) return;
  const key = argv[1]!;
  let hash: RedisHash | null | undefined = lookupHash(c, key, true);
  if (hash === null) return;
  if (hash === undefined) {
    if (args.condition === 'fxx') {
      c.reply.integer(0);
      return;
    }
    // hashTypeLookupWriteOrCreate's creation; the lookup above already missed.
    hash = new RedisHash();
    c.db.add(key, hash);
  }
  const { firstFieldAt, fieldCount } = args;
  if (args.condition !== null) {
    let found = 0;
    for (let i = 0; i < fieldCount; i++) if (hash.has(argv[firstFieldAt + 2 * i]!)) found++;
    if ((args.condition === 'fnx' && found !== 0) || (args.condition === 'fxx' && found !== fieldCount)) {
      c.reply.integer(0);
      return;
    }
  }
  const timed = args.expiration !== null && args.expiration !== 'keepttl';
  const earliestBefore = hash.nextFieldDeadline();
  if (timed) hash.prepareFieldTtls();
  const now = c.server.keyspace.now;
  const config = c.server.encoding;
  let updated = 0;
  let deleted = 0;
  for (let i = 0; i < fieldCount; i++) {
    const field = argv[firstFieldAt + 2 * i]!;
    hash.set(field, argv[firstFieldAt + 2 * i + 1]!, config, args.expiration !== null);
    if (!timed) continue;
    if (args.when <= now) {
      deleteForPastDeadline(c, key, hash, field);
      deleted++;
    } else {
      hash.setFieldDeadline(field, args.when);
      updated++;
    }
  }
  const events = c.server.events;
  events.keyModified(c.db, key, 'hset', fieldCount);
  // hsetexCommand signals the key once and notifies twice: the TTL's event
  // is a notification only (WATCH and tracking have seen the `hset`).
  if (deleted + updated !== 0) events.keyNotified(c.db, key, deleted !== 0 ? 'hdel' : 'hexpire', 0);
  if (deleted !== 0) {
    // The fields went as HDELs; the command itself would only set them again.
    c.server.propagation.prevent();
  } else if (timed && args.expiration !== 'pxat' && c.server.propagation.active) {
    const rewritten = argv.slice();
    rewritten[args.timeAt - 1] = 'PXAT';
    rewritten[args.timeAt] = String(args.when);
    c.server.propagation.rewrite(rewritten);
  }
  c.reply.integer(1);
  deleteIfEmpty(c, key, hash);
  trackIfEarlier(c, key, hash, earliestBefore);
}

export const hsetexSpec: CommandSpec = {
  name: 'hsetex',
  arity: -6,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'hash',
  summary: 'Set the value of one or more fields of a given hash key, and optionally set their expiration.',
  since: '8.0.0',
  complexity: 'O(N) where N is the number of fields being set.',
  syntax:
    'key [FNX | FXX] [EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | KEEPTTL] FIELDS numfields:integer field value [field value ...]',
  keyFlags: ['RW', 'update'],
  handler: hsetexCommand,
};

/** The group, in the order COMMAND lists it (after the 7.0 hash commands). */
export const hashFieldExpiryCommands: readonly CommandSpec[] = [
  hexpireSpec,
  hpexpireSpec,
  hexpireatSpec,
  hpexpireatSpec,
  hpersistSpec,
  httlSpec,
  hpttlSpec,
  hexpiretimeSpec,
  hpexpiretimeSpec,
  hgetdelSpec,
  hgetexSpec,
  hsetexSpec,
];
