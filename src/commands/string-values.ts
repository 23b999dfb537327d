/**
 * GET, SET and their variants (Redis's t_string.c): SET, SETNX, SETEX and
 * PSETEX share setGenericCommand; GET, GETSET, GETDEL and SET ... GET share
 * getGenericCommand; GETEX shares SET's option parser. Plus MGET, MSET and
 * MSETNX. Each command's spec follows its handler.
 *
 * Also the string lookups every string, bitmap and HyperLogLog command
 * reads its keys through, and lowercaseCString, which reads an option name
 * as Redis compares it.
 */
import { errors, invalidExpireTime, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { parseInt64, parseInteger } from '../text/numbers.js';
import { lowercaseCString } from './parse.js';
import { valueMatches } from './string-digest.js';
import { isNewerThan } from '../compat-version.js';

/* ========================= Looking string keys up ======================== */

/**
 * lookupKeyRead + checkType(OBJ_STRING): the string at `key`, undefined
 * when the key is missing (nothing replied), null once WRONGTYPE has been
 * replied. Every string, bitmap and HyperLogLog command reads its key
 * through this or one of the two below.
 */
export function lookupStringRead(c: Client, key: string): string | undefined | null {
  const value = c.db.lookupRead(key);
  if (value === undefined || typeof value === 'string') return value;
  c.reply.error(errors.wrongType);
  return null;
}

/** lookupKeyWrite + checkType(OBJ_STRING), as lookupStringRead (no hit or miss counted). */
export function lookupStringWrite(c: Client, key: string): string | undefined | null {
  const value = c.db.lookupWrite(key);
  if (value === undefined || typeof value === 'string') return value;
  c.reply.error(errors.wrongType);
  return null;
}

/**
 * lookupKeyReadOrReply + checkType(OBJ_STRING): the string at `key`, or
 * null once a reply has been written: `missing` (a shared reply; null
 * for the null bulk of the client's protocol) for a missing key,
 * WRONGTYPE for another type.
 */
export function readStringOrReply(c: Client, key: string, missing: string | null): string | null {
  const value = c.db.lookupRead(key);
  if (value === undefined) {
    if (missing === null) c.reply.nullBulk();
    else c.reply.raw(missing);
    return null;
  }
  if (typeof value === 'string') return value;
  c.reply.error(errors.wrongType);
  return null;
}

const INT64_MAX = 9223372036854775807n;

/** The options parseExtendedStringArguments collects (Redis's OBJ_* flags). */
const OBJ_SET_NX = 1 << 0;
const OBJ_SET_XX = 1 << 1;
const OBJ_EX = 1 << 2;
const OBJ_PX = 1 << 3;
const OBJ_KEEPTTL = 1 << 4;
const OBJ_SET_GET = 1 << 5;
const OBJ_EXAT = 1 << 6;
const OBJ_PXAT = 1 << 7;
const OBJ_PERSIST = 1 << 8;
const OBJ_SET_IFEQ = 1 << 9;
const OBJ_SET_IFNE = 1 << 10;
const OBJ_SET_IFDEQ = 1 << 11;
const OBJ_SET_IFDNE = 1 << 12;
const OBJ_ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT;
/** SET's conditions (Redis 8.4): at most one of them, as cond_mut_excl in t_string.c. */
const OBJ_ANY_CONDITION = OBJ_SET_NX | OBJ_SET_XX | OBJ_SET_IFEQ | OBJ_SET_IFNE | OBJ_SET_IFDEQ | OBJ_SET_IFDNE;
/** The conditions that compare the current value, by lowercase option name. */
const MATCH_OPTIONS = new Map([
  ['ifeq', OBJ_SET_IFEQ],
  ['ifne', OBJ_SET_IFNE],
  ['ifdeq', OBJ_SET_IFDEQ],
  ['ifdne', OBJ_SET_IFDNE],
]);

/** The options that take an expire time, by lowercase name. */
const EXPIRE_OPTIONS = new Map([
  ['ex', OBJ_EX],
  ['px', OBJ_PX],
  ['exat', OBJ_EXAT],
  ['pxat', OBJ_PXAT],
]);

type ExpireUnit = 'seconds' | 'milliseconds';

/** Which command parseExtendedStringArguments reads options for (Redis's COMMAND_GET, COMMAND_SET, COMMAND_MSETEX). */
type ExtendedStringCommand = 'get' | 'set' | 'msetex';

interface ExtendedStringArguments {
  flags: number;
  unit: ExpireUnit;
  /** The expire time argument as given, or null without EX/PX/EXAT/PXAT. */
  expire: string | null;
  /** Where the EX/PX/EXAT/PXAT option is in argv (MSETEX rewrites it for propagation), or -1. */
  expirePosition: number;
  /** The value or digest IFEQ/IFNE/IFDEQ/IFDNE compares with, or null. */
  matchValue: string | null;
}

/**
 * parseExtendedStringArgumentsOrReply: SET's options (from argv[3]),
 * GETEX's (from argv[2]) or MSETEX's (after its key-value pairs).
 * Conflicting options are a syntax error, but repeating one is not
 * (`EX 1 EX 2` keeps the last), exactly as Redis's chain of conditions
 * allows. Redis 8.4 added IFEQ/IFNE/IFDEQ/IFDNE to SET (t_string.c,
 * parseExtendedStringArgumentsOrReply): one condition at most among them
 * and NX/XX, each taking the next argument as the value to compare.
 */
function parseExtendedStringArguments(
  c: Client,
  argv: string[],
  command: ExtendedStringCommand,
  start: number,
): ExtendedStringArguments | null {
  let flags = 0;
  let unit: ExpireUnit = 'seconds';
  let expire: string | null = null;
  let expirePosition = -1;
  let matchValue: string | null = null;
  const setsValue = command !== 'get';
  for (let j = start; j < argv.length; j++) {
    const opt = lowercaseCString(argv[j]!);
    const expireFlag = EXPIRE_OPTIONS.get(opt) ?? 0;
    let matchFlag = command === 'set' ? (MATCH_OPTIONS.get(opt) ?? 0) : 0;
    // Below 8.4 (compat-version) SET has no such option: a syntax error, as there.
    if (matchFlag !== 0 && isNewerThan('8.4.0', c.server.config.get('compat-version'))) matchFlag = 0;
    if (opt === 'nx' && setsValue && !(flags & (OBJ_ANY_CONDITION & ~OBJ_SET_NX))) {
      flags |= OBJ_SET_NX;
    } else if (opt === 'xx' && setsValue && !(flags & (OBJ_ANY_CONDITION & ~OBJ_SET_XX))) {
      flags |= OBJ_SET_XX;
    } else if (opt === 'get' && command === 'set') {
      flags |= OBJ_SET_GET;
    } else if (opt === 'keepttl' && setsValue && !(flags & (OBJ_PERSIST | OBJ_ANY_EXPIRE))) {
      flags |= OBJ_KEEPTTL;
    } else if (opt === 'persist' && command === 'get' && !(flags & (OBJ_KEEPTTL | OBJ_ANY_EXPIRE))) {
      flags |= OBJ_PERSIST;
    } else if (
      expireFlag !== 0 &&
      j < argv.length - 1 &&
      // Any other expire option, KEEPTTL or PERSIST conflicts; the same one again does not.
      !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | (OBJ_ANY_EXPIRE & ~expireFlag)))
    ) {
      flags |= expireFlag;
      unit = expireFlag === OBJ_EX || expireFlag === OBJ_EXAT ? 'seconds' : 'milliseconds';
      expirePosition = j;
      expire = argv[++j]!;
    } else if (matchFlag !== 0 && j < argv.length - 1 && !(flags & (OBJ_ANY_CONDITION & ~matchFlag))) {
      flags |= matchFlag;
      matchValue = argv[++j]!;
    } else {
      c.reply.error(errors.syntax);
      return null;
    }
  }
  return { flags, unit, expire, expirePosition, matchValue };
}

/**
 * getExpireMillisecondsOrReply: the absolute expire time in ms for an
 * EX/PX/EXAT/PXAT argument. Redis does this in int64: a non-positive time,
 * seconds that overflow when multiplied by 1000, or a relative time that
 * overflows when the current time is added are all "invalid expire time".
 */
function getExpireMillisecondsOrReply(
  c: Client,
  text: string,
  flags: number,
  unit: ExpireUnit,
  command: string,
): number | null {
  const value = parseInteger(text);
  if (value === null) {
    c.reply.error(errors.notInteger);
    return null;
  }
  if (value <= 0) {
    c.reply.error(invalidExpireTime(command));
    return null;
  }
  const relative = (flags & (OBJ_EX | OBJ_PX)) !== 0;
  const now = c.server.keyspace.now;
  const ms = (unit === 'seconds' ? value * 1000 : value) + (relative ? now : 0);
  if (Number.isSafeInteger(ms)) return ms;
  // Beyond 2^53 a double can't tell where int64 overflows: redo it exactly.
  let exact = parseInt64(text)!;
  if (unit === 'seconds') {
    if (exact > INT64_MAX / 1000n) {
      c.reply.error(invalidExpireTime(command));
      return null;
    }
    exact *= 1000n;
  }
  if (relative && exact > INT64_MAX - BigInt(now)) {
    c.reply.error(invalidExpireTime(command));
    return null;
  }
  return Number(exact);
}

/**
 * getGenericCommand: replies the key's value, or a null when it is missing.
 * Returns false (after replying WRONGTYPE) when the key holds another type,
 * which stops GETSET, GETDEL and SET ... GET before they write.
 */
function getGenericCommand(c: Client, key: string): boolean {
  const value = lookupStringRead(c, key);
  if (value === null) return false;
  if (value === undefined) c.reply.nullBulk();
  else c.reply.bulk(value);
  return true;
}

/**
 * setGenericCommand: the one implementation of SET and its variants.
 * `okReply` / `abortReply` are what SETNX replies instead of +OK / null.
 * With GET the old value is the reply whether or not the write happens.
 * A write announces `set` (and `expire` with a time, which Redis does not
 * count in dirty); with a time it propagates as SET key value PXAT ms,
 * and SET ... GET without one as itself minus its GETs.
 */
function setGenericCommand(
  c: Client,
  command: string,
  flags: number,
  argv: string[],
  expire: string | null,
  unit: ExpireUnit,
  okReply: string = shared.ok,
  abortReply: string | null = null,
  matchValue: string | null = null,
): void {
  const key = argv[1]!;
  const value = command === 'set' || command === 'setnx' ? argv[2]! : argv[3]!;
  let when = 0;
  if (expire !== null) {
    const ms = getExpireMillisecondsOrReply(c, expire, flags, unit, command);
    if (ms === null) return;
    when = ms;
  }
  if (flags & OBJ_SET_GET && !getGenericCommand(c, key)) return;

  const db = c.db;
  if ((flags & OBJ_ANY_CONDITION) === 0) {
    db.store(key, value, (flags & OBJ_KEEPTTL) !== 0);
  } else {
    const current = db.lookupWrite(key);
    const found = current !== undefined;
    // Redis 8.4 t_string.c setGenericCommand: IFEQ and IFDEQ need the key, like XX; IFNE and IFDNE set a missing key.
    let aborted = (flags & OBJ_SET_NX && found) || (flags & (OBJ_SET_XX | OBJ_SET_IFEQ | OBJ_SET_IFDEQ) && !found);
    if (!aborted && found && matchValue !== null) {
      if (typeof current !== 'string') {
        c.reply.error(errors.wrongType);
        return;
      }
      const byDigest = (flags & (OBJ_SET_IFDEQ | OBJ_SET_IFDNE)) !== 0;
      const wantEqual = (flags & (OBJ_SET_IFEQ | OBJ_SET_IFDEQ)) !== 0;
      aborted = valueMatches(current, byDigest, matchValue) !== wantEqual;
    }
    if (aborted) {
      if (!(flags & OBJ_SET_GET)) {
        if (abortReply === null) c.reply.nullBulk();
        else c.reply.raw(abortReply);
      }
      return;
    }
    db.set(key, value, (flags & OBJ_KEEPTTL) !== 0);
  }
  const server = c.server;
  server.events.keyModified(db, key, 'set');
  // A time already past is stored as is, like Redis 7.0: the key stays until
  // lazy or active expiry removes it (and counts it as expired).
  if (expire !== null) {
    db.setExpire(key, when);
    server.propagation.rewrite(['SET', key, value, 'PXAT', String(when)]);
    server.events.keyModified(db, key, 'expire', 0);
  } else if (flags & OBJ_SET_GET && server.propagation.active) {
    server.propagation.rewrite(withoutGetOptions(argv));
  }
  if (!(flags & OBJ_SET_GET)) c.reply.raw(okReply);
}

/** SET's argv minus every GET option (compared as a C string, as Redis does), for propagation. */
function withoutGetOptions(argv: readonly string[]): string[] {
  const out = argv.slice(0, 3);
  for (let j = 3; j < argv.length; j++) {
    if (lowercaseCString(argv[j]!) !== 'get') out.push(argv[j]!);
  }
  return out;
}

/** SET's and GETEX's expiration options, in the syntax of Redis's docs. */
const SET_EXPIRATION =
  'EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time';

/** SET key value [NX | XX] [GET] [EX | PX | EXAT | PXAT time | KEEPTTL] */
function setCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    setGenericCommand(c, 'set', 0, argv, null, 'seconds');
    return;
  }
  const args = parseExtendedStringArguments(c, argv, 'set', 3);
  if (args === null) return;
  setGenericCommand(c, 'set', args.flags, argv, args.expire, args.unit, shared.ok, null, args.matchValue);
}

/** setGetKeys: SET reads its key only with GET; otherwise it overwrites it. */
function setCallKeyFlags(argv: readonly string[]): readonly string[] {
  for (let i = 3; i < argv.length; i++) if (argv[i]!.toLowerCase() === 'get') return SET_GET_KEY_FLAGS;
  return SET_KEY_FLAGS;
}
const SET_GET_KEY_FLAGS: readonly string[] = ['RW', 'access', 'update'];
const SET_KEY_FLAGS: readonly string[] = ['OW', 'update'];

export const setSpec: CommandSpec = {
  name: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Set the string value of a key',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: `key value [NX | XX] [GET] [${SET_EXPIRATION} | KEEPTTL]`,
  handler: setCommand,
  keyFlags: ['RW', 'access', 'update', 'variable_flags'],
  callKeyFlags: setCallKeyFlags,
};

/** SETNX key value: 1 when set, 0 when the key existed. */
function setnxCommand(c: Client, argv: string[]): void {
  setGenericCommand(c, 'setnx', OBJ_SET_NX, argv, null, 'seconds', shared.one, shared.zero);
}

export const setnxSpec: CommandSpec = {
  name: 'setnx',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Set the value of a key, only if the key does not exist',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key value',
  handler: setnxCommand,
  keyFlags: ['OW', 'insert'],
};

/** SETEX key seconds value */
function setexCommand(c: Client, argv: string[]): void {
  setGenericCommand(c, 'setex', OBJ_EX, argv, argv[2]!, 'seconds');
}

export const setexSpec: CommandSpec = {
  name: 'setex',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Set the value and expiration of a key',
  since: '2.0.0',
  complexity: 'O(1)',
  syntax: 'key seconds:integer value',
  handler: setexCommand,
  keyFlags: ['OW', 'update'],
};

/** PSETEX key milliseconds value */
function psetexCommand(c: Client, argv: string[]): void {
  setGenericCommand(c, 'psetex', OBJ_PX, argv, argv[2]!, 'milliseconds');
}

export const psetexSpec: CommandSpec = {
  name: 'psetex',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Set the value and expiration in milliseconds of a key',
  since: '2.6.0',
  complexity: 'O(1)',
  syntax: 'key milliseconds:integer value',
  handler: psetexCommand,
  keyFlags: ['OW', 'update'],
};

/** GET key */
function getCommand(c: Client, argv: string[]): void {
  getGenericCommand(c, argv[1]!);
}

export const getSpec: CommandSpec = {
  name: 'get',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Get the value of a key',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: getCommand,
};

/** GETSET key value: the old value; the new one is set without a TTL. Propagated as SET. */
function getsetCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (!getGenericCommand(c, key)) return;
  c.db.set(key, argv[2]!);
  c.server.events.keyModified(c.db, key, 'set');
  c.server.propagation.rewrite(['SET', key, argv[2]!]);
}

export const getsetSpec: CommandSpec = {
  name: 'getset',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Set the string value of a key and return its old value',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key value',
  handler: getsetCommand,
};

/** GETDEL key: propagated as DEL (lazyfree-lazy-user-del is no). */
function getdelCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (!getGenericCommand(c, key)) return;
  if (!c.db.delete(key)) return;
  c.server.events.keyModified(c.db, key, 'del');
  c.server.propagation.rewrite(['DEL', key]);
}

export const getdelSpec: CommandSpec = {
  name: 'getdel',
  arity: 2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Get the value of a key and delete the key',
  since: '6.2.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: getdelCommand,
  keyFlags: ['RW', 'access', 'delete'],
};

/**
 * GETEX key [EX | PX | EXAT | PXAT time | PERSIST]. Unlike SET, the key is
 * looked up before the time is validated, so a missing key answers null
 * even for a bad time. An absolute time already past deletes the key.
 * It is never propagated as itself: as DEL, PEXPIREAT or PERSIST, and
 * without options it changes nothing at all.
 */
function getexCommand(c: Client, argv: string[]): void {
  const args = parseExtendedStringArguments(c, argv, 'get', 2);
  if (args === null) return;
  const key = argv[1]!;
  const db = c.db;
  const entry = readStringOrReply(c, key, null);
  if (entry === null) return;
  let when = 0;
  if (args.expire !== null) {
    const ms = getExpireMillisecondsOrReply(c, args.expire, args.flags, args.unit, 'getex');
    if (ms === null) return;
    when = ms;
  }
  c.reply.bulk(entry);
  const server = c.server;
  if (args.flags & (OBJ_EXAT | OBJ_PXAT) && when <= server.keyspace.now) {
    db.delete(key);
    server.propagation.rewrite(server.propagation.expiredDeletion(key));
    server.events.keyModified(db, key, 'del');
  } else if (args.expire !== null) {
    db.setExpire(key, when);
    server.propagation.rewrite(['PEXPIREAT', key, String(when)]);
    server.events.keyModified(db, key, 'expire');
  } else if (args.flags & OBJ_PERSIST && db.persist(key)) {
    server.propagation.rewrite(['PERSIST', key]);
    server.events.keyModified(db, key, 'persist');
  }
}

export const getexSpec: CommandSpec = {
  name: 'getex',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Get the value of a key and optionally set its expiration',
  since: '6.2.0',
  complexity: 'O(1)',
  syntax: `key [${SET_EXPIRATION} | PERSIST]`,
  handler: getexCommand,
};

/** MGET key [key ...]: a null for each missing or non-string key. */
function mgetCommand(c: Client, argv: string[]): void {
  // Each value is written as its key is looked up, after the header, as
  // Redis does: a miss's keymiss push to a RESP3 client that listens to its
  // own notifications lands inside the array, where Redis puts it.
  const reply = c.reply;
  reply.arrayHeader(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const entry = c.db.lookupRead(argv[j]!);
    if (entry !== undefined && typeof entry === 'string') reply.bulk(entry);
    else reply.nullBulk();
  }
}

export const mgetSpec: CommandSpec = {
  name: 'mget',
  arity: -2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'string',
  summary: 'Get the values of all the given keys',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys to retrieve.',
  syntax: 'key [key ...]',
  handler: mgetCommand,
};

/** msetGenericCommand: MSET, and MSETNX which sets nothing if any key exists. */
function msetGenericCommand(c: Client, argv: string[], command: string, nx: boolean): void {
  if (argv.length % 2 === 0) {
    c.reply.error(wrongArity(command));
    return;
  }
  const db = c.db;
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (db.lookupWrite(argv[j]!) !== undefined) {
        c.reply.raw(shared.zero);
        return;
      }
    }
  }
  // Redis's setKey looks each key up first, so an expired one is counted as
  // expired; MSETNX has just done that lookup.
  const events = c.server.events;
  for (let j = 1; j < argv.length; j += 2) {
    if (nx) db.set(argv[j]!, argv[j + 1]!);
    else db.store(argv[j]!, argv[j + 1]!);
    events.keyModified(db, argv[j]!, 'set');
  }
  c.reply.raw(nx ? shared.one : shared.ok);
}

/** MSET key value [key value ...] */
function msetCommand(c: Client, argv: string[]): void {
  msetGenericCommand(c, argv, 'mset', false);
}

export const msetSpec: CommandSpec = {
  name: 'mset',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 2,
  group: 'string',
  summary: 'Set multiple keys to multiple values',
  since: '1.0.1',
  complexity: 'O(N) where N is the number of keys to set.',
  syntax: 'key value [key value ...]',
  handler: msetCommand,
  keyFlags: ['OW', 'update'],
};

/** MSETNX key value [key value ...]: 1 when every key was set, 0 when none was. */
function msetnxCommand(c: Client, argv: string[]): void {
  msetGenericCommand(c, argv, 'msetnx', true);
}

export const msetnxSpec: CommandSpec = {
  name: 'msetnx',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 2,
  group: 'string',
  summary: 'Set multiple keys to multiple values, only if none of the keys exist',
  since: '1.0.1',
  complexity: 'O(N) where N is the number of keys to set.',
  syntax: 'key value [key value ...]',
  handler: msetnxCommand,
  keyFlags: ['OW', 'insert'],
};

/**
 * MSETEX numkeys key value [key value ...] [NX | XX] [EX | PX | EXAT | PXAT
 * time | KEEPTTL] (Redis 8.4, t_string.c msetexCommand): sets every pair
 * with one shared expiry, or none of them. NX needs every key missing and
 * XX every key present (XX looks them up as reads, as Redis does); a
 * failed condition replies 0 and sets nothing. Each key announces `expire`
 * (with a time) and then `set`; a relative time is propagated as PXAT.
 */
function msetexCommand(c: Client, argv: string[]): void {
  const numkeys = parseInteger(argv[1]!);
  if (numkeys === null || numkeys < 1 || numkeys > 2147483647) {
    c.reply.error(errors.msetexInvalidNumkeys);
    return;
  }
  const optionsStart = 2 + numkeys * 2;
  if (optionsStart > argv.length) {
    c.reply.error(errors.msetexWrongPairCount);
    return;
  }
  const args = parseExtendedStringArguments(c, argv, 'msetex', optionsStart);
  if (args === null) return;
  let when = 0;
  if (args.expire !== null) {
    const ms = getExpireMillisecondsOrReply(c, args.expire, args.flags, args.unit, 'msetex');
    if (ms === null) return;
    when = ms;
  }
  const db = c.db;
  if (args.flags & OBJ_SET_NX) {
    for (let j = 2; j < optionsStart; j += 2) {
      if (db.lookupWrite(argv[j]!) !== undefined) {
        c.reply.raw(shared.zero);
        return;
      }
    }
  } else if (args.flags & OBJ_SET_XX) {
    for (let j = 2; j < optionsStart; j += 2) {
      if (db.lookupRead(argv[j]!) === undefined) {
        c.reply.raw(shared.zero);
        return;
      }
    }
  }
  const keepTtl = (args.flags & OBJ_KEEPTTL) !== 0;
  const events = c.server.events;
  for (let j = 2; j < optionsStart; j += 2) {
    const key = argv[j]!;
    db.store(key, argv[j + 1]!, keepTtl);
    if (args.expire !== null) {
      db.setExpire(key, when);
      events.keyModified(db, key, 'expire', 0);
    }
    events.keyModified(db, key, 'set');
  }
  const propagation = c.server.propagation;
  if (args.flags & (OBJ_EX | OBJ_PX) && propagation.active) {
    const rewritten = argv.slice();
    rewritten[args.expirePosition] = 'PXAT';
    rewritten[args.expirePosition + 1] = String(when);
    propagation.rewrite(rewritten);
  }
  c.reply.raw(shared.one);
}

/** MSETEX's keys: numkeys pairs from argv[2], or none when numkeys is unusable. */
function msetexKeys(argv: readonly string[]): number[] {
  const numkeys = parseInteger(argv[1] ?? '');
  if (numkeys === null || numkeys < 1 || 2 + numkeys * 2 > argv.length) return [];
  return Array.from({ length: numkeys }, (_, i) => 2 + i * 2);
}

export const msetexSpec: CommandSpec = {
  name: 'msetex',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  keys: msetexKeys,
  group: 'string',
  summary:
    'Atomically sets multiple string keys with a shared expiration in a single operation. Supports flexible argument parsing where condition and expiration flags can appear in any order.',
  since: '8.4.0',
  complexity: 'O(N) where N is the number of keys to set.',
  syntax: `numkeys:integer key value [key value ...] [NX | XX] [${SET_EXPIRATION} | KEEPTTL]`,
  keyFlags: ['OW', 'update'],
  handler: msetexCommand,
};
