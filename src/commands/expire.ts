/**
 * Key expiry commands, as Redis's expire.c implements them: EXPIRE,
 * PEXPIRE, EXPIREAT and PEXPIREAT call expireGeneric; TTL, PTTL,
 * EXPIRETIME and PEXPIRETIME call ttlGeneric; then PERSIST.
 *
 * Expire times are absolute epoch milliseconds, read against the command's
 * time (`keyspace.now`), so every key in one command sees the same clock.
 */
import { errors, invalidExpireTime, unsupportedOption } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { parseInt64, parseInteger } from '../text/numbers.js';
import { lookupReadNoTouch } from './lookup-no-touch.js';
import type { Client, CommandSpec } from './types.js';

const LLONG_MAX = 9223372036854775807n;
/** C division truncates toward zero: LLONG_MAX / 1000 and LLONG_MIN / 1000. */
const SECONDS_MAX = LLONG_MAX / 1000n;
const SECONDS_MIN = -9223372036854775808n / 1000n;

/**
 * Arguments of up to 12 characters are below 1e12 in magnitude: even as
 * seconds plus the current time they stay far inside 2^53, so plain number
 * arithmetic is exact and no int64 overflow check can fire.
 */
const EXACT_ARGUMENT_LENGTH = 12;

type TimeUnit = 'seconds' | 'milliseconds';

/**
 * The absolute expire time in ms for an EXPIRE-family argument: `undefined`
 * when the argument is not an integer, `null` when Redis's int64 overflow
 * checks (unit conversion, then adding the base time) reject it.
 */
function absoluteExpireTime(text: string, basetime: number, unit: TimeUnit): number | null | undefined {
  if (text.length <= EXACT_ARGUMENT_LENGTH) {
    const n = parseInteger(text);
    if (n === null) return undefined;
    return (unit === 'seconds' ? n * 1000 : n) + basetime;
  }
  let when = parseInt64(text);
  if (when === null) return undefined;
  if (unit === 'seconds') {
    if (when > SECONDS_MAX || when < SECONDS_MIN) return null;
    when *= 1000n;
  }
  const base = BigInt(basetime);
  if (when > LLONG_MAX - base) return null;
  // Times past 2^53 ms (year 287396) lose their last digits here: the
  // keyspace stores expire times as numbers.
  return Number(when + base);
}

/**
 * expireGenericCommand. `basetime` is the command's time for the relative
 * forms and 0 for the *AT forms. Options are checked before the time
 * argument, so `EXPIRE k abc FOO` complains about FOO, as Redis does.
 */
function expireGeneric(c: Client, argv: string[], name: string, relative: boolean, unit: TimeUnit): void {
  let nx = false;
  let xx = false;
  let gt = false;
  let lt = false;
  for (let j = 3; j < argv.length; j++) {
    const option = argv[j]!.toLowerCase();
    if (option === 'nx') nx = true;
    else if (option === 'xx') xx = true;
    else if (option === 'gt') gt = true;
    else if (option === 'lt') lt = true;
    else {
      c.reply.error(unsupportedOption(argv[j]!));
      return;
    }
  }
  if (nx && (xx || gt || lt)) {
    c.reply.error(errors.expireNxConflict);
    return;
  }
  if (gt && lt) {
    c.reply.error(errors.expireGtLtConflict);
    return;
  }

  const now = c.server.keyspace.now;
  const when = absoluteExpireTime(argv[2]!, relative ? now : 0, unit);
  if (when === undefined) {
    c.reply.error(errors.notInteger);
    return;
  }
  if (when === null) {
    c.reply.error(invalidExpireTime(name));
    return;
  }

  const key = argv[1]!;
  const db = c.db;
  if (db.lookupWrite(key) === undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  if (nx || xx || gt || lt) {
    const current = db.getExpire(key);
    // No TTL counts as an infinite one: GT never beats it, LT always does.
    if ((nx && current !== undefined) || (xx && current === undefined) || (gt && (current === undefined || when <= current)) || (lt && current !== undefined && when >= current)) {
      c.reply.raw(shared.zero);
      return;
    }
  }

  const server = c.server;
  if (when <= now) {
    // A time already past deletes the key at once (checkAlreadyExpired).
    // Redis counts this as a deletion, not an expiry (expired_keys does not
    // move), and propagates it as an explicit DEL, or UNLINK.
    db.delete(key);
    server.propagation.rewrite(server.propagation.expiredDeletion(key));
    server.events.keyModified(db, key, 'del');
    c.reply.raw(shared.one);
    return;
  }
  db.setExpire(key, when);
  c.reply.raw(shared.one);
  // Propagated as PEXPIREAT with the absolute time, the options kept
  // (PEXPIREAT itself goes as it was sent).
  if (server.propagation.active && (relative || unit === 'seconds')) {
    const rewritten = argv.slice();
    rewritten[0] = 'PEXPIREAT';
    rewritten[2] = String(when);
    server.propagation.rewrite(rewritten);
  }
  server.events.keyModified(db, key, 'expire');
}

/** EXPIRE key seconds [NX | XX | GT | LT] */
function expireCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 'expire', true, 'seconds');
}

export const expireSpec: CommandSpec = {
  name: 'expire',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: "Set a key's time to live in seconds",
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key seconds:integer [NX | XX | GT | LT]',
  handler: expireCommand,
  keyFlags: ['RW', 'update'],
};

/** PEXPIRE key milliseconds [NX | XX | GT | LT] */
function pexpireCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 'pexpire', true, 'milliseconds');
}

export const pexpireSpec: CommandSpec = {
  name: 'pexpire',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: "Set a key's time to live in milliseconds",
  since: '2.6.0',
  complexity: 'O(1)',
  syntax: 'key milliseconds:integer [NX | XX | GT | LT]',
  handler: pexpireCommand,
  keyFlags: ['RW', 'update'],
};

/** EXPIREAT key unix-time-seconds [NX | XX | GT | LT] */
function expireatCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 'expireat', false, 'seconds');
}

export const expireatSpec: CommandSpec = {
  name: 'expireat',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Set the expiration for a key as a UNIX timestamp',
  since: '1.2.0',
  complexity: 'O(1)',
  syntax: 'key unix-time-seconds:unix-time [NX | XX | GT | LT]',
  handler: expireatCommand,
  keyFlags: ['RW', 'update'],
};

/** PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] */
function pexpireatCommand(c: Client, argv: string[]): void {
  expireGeneric(c, argv, 'pexpireat', false, 'milliseconds');
}

export const pexpireatSpec: CommandSpec = {
  name: 'pexpireat',
  arity: -3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds',
  since: '2.6.0',
  complexity: 'O(1)',
  syntax: 'key unix-time-milliseconds:unix-time [NX | XX | GT | LT]',
  handler: pexpireatCommand,
  keyFlags: ['RW', 'update'],
};

/**
 * ttlGenericCommand: -2 for a missing key, -1 for a key without a TTL,
 * else the remaining (or absolute, for *EXPIRETIME) time. Seconds are
 * rounded to the nearest, as Redis's (ttl+500)/1000 does.
 */
function ttlGeneric(c: Client, key: string, inMilliseconds: boolean, absolute: boolean): void {
  if (lookupReadNoTouch(c, key) === undefined) {
    c.reply.raw(shared.minusTwo);
    return;
  }
  const expire = c.db.getExpire(key);
  if (expire === undefined) {
    c.reply.raw(shared.minusOne);
    return;
  }
  let ttl = absolute ? expire : expire - c.server.keyspace.now;
  if (ttl < 0) ttl = 0;
  c.reply.integer(inMilliseconds ? ttl : roundToSeconds(ttl));
}

/**
 * (ms + 500) / 1000 in integer arithmetic. Past 2^53 a double can't hold
 * every integer, so far-future EXPIRETIMEs are divided as BigInts.
 */
function roundToSeconds(ms: number): number | bigint {
  if (ms <= Number.MAX_SAFE_INTEGER) return Math.floor((ms + 500) / 1000);
  return (BigInt(ms) + 500n) / 1000n;
}

/** TTL key */
function ttlCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1]!, false, false);
}

export const ttlSpec: CommandSpec = {
  name: 'ttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Get the time to live for a key in seconds',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: ttlCommand,
};

/** PTTL key */
function pttlCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1]!, true, false);
}

export const pttlSpec: CommandSpec = {
  name: 'pttl',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Get the time to live for a key in milliseconds',
  since: '2.6.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: pttlCommand,
};

/** EXPIRETIME key */
function expiretimeCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1]!, false, true);
}

export const expiretimeSpec: CommandSpec = {
  name: 'expiretime',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Get the expiration Unix timestamp for a key',
  since: '7.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: expiretimeCommand,
};

/** PEXPIRETIME key */
function pexpiretimeCommand(c: Client, argv: string[]): void {
  ttlGeneric(c, argv[1]!, true, true);
}

export const pexpiretimeSpec: CommandSpec = {
  name: 'pexpiretime',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Get the expiration Unix timestamp for a key in milliseconds',
  since: '7.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: pexpiretimeCommand,
};

/** PERSIST key */
function persistCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  if (c.db.lookupWrite(key) !== undefined && c.db.persist(key)) {
    c.server.events.keyModified(c.db, key, 'persist');
    c.reply.raw(shared.one);
  } else {
    c.reply.raw(shared.zero);
  }
}

export const persistSpec: CommandSpec = {
  name: 'persist',
  arity: 2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Remove the expiration from a key',
  since: '2.2.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: persistCommand,
  keyFlags: ['RW', 'update'],
};
