/**
 * Generic keyspace commands (Redis's db.c): DEL, UNLINK, EXISTS, TYPE,
 * TOUCH, RANDOMKEY, KEYS, SCAN, RENAME, RENAMENX, COPY, MOVE, each with
 * its spec. The commands on whole databases (DBSIZE, SWAPDB, FLUSHDB,
 * FLUSHALL) live in databases.ts, the expiry commands in expire.ts and
 * OBJECT in object.ts; `keyCommands` lists them all for the table.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Database } from '../store/database.js';
import { STRING_ENCODING_BITS, typeOf, type Value } from '../store/types.js';
import { compileMatcher } from '../text/glob.js';
import { dbsizeSpec, flushallSpec, flushdbSpec, swapdbSpec } from './databases.js';
import {
  expireatSpec,
  expireSpec,
  expiretimeSpec,
  persistSpec,
  pexpireatSpec,
  pexpireSpec,
  pexpiretimeSpec,
  pttlSpec,
  ttlSpec,
} from './expire.js';
import { lookupReadNoTouch } from './lookup-no-touch.js';
import { dumpSpec, restoreSpec } from './dump-restore.js';
import { migrateSpec } from './migrate.js';
import { objectSpec } from './object.js';
import { isOption, readInt, readInteger } from './parse.js';
import type { Client, CommandSpec } from './types.js';

/**
 * delGenericCommand: DEL, or UNLINK when `lazy` (store/lazy-free.ts: both
 * free in O(1); UNLINK counts what Redis's thread would have freed). An
 * expired key is expired first, so it is not counted as deleted.
 */
function delGeneric(c: Client, argv: string[], lazy: boolean): void {
  const db = c.db;
  let deleted = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    if (db.expireIfNeeded(key)) continue;
    if (db.delete(key, lazy)) {
      c.server.events.keyModified(db, key, 'del');
      deleted++;
    }
  }
  c.reply.integer(deleted);
}

/** DEL key [key ...] */
function delCommand(c: Client, argv: string[]): void {
  delGeneric(c, argv, c.server.keyspace.lazyFree.userDel);
}

export const delSpec: CommandSpec = {
  name: 'del',
  arity: -2,
  flags: ['write'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'generic',
  summary: 'Delete a key',
  since: '1.0.0',
  complexity:
    'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
  syntax: 'key [key ...]',
  handler: delCommand,
  keyFlags: ['RM', 'delete'],
};

/** UNLINK key [key ...] */
function unlinkCommand(c: Client, argv: string[]): void {
  delGeneric(c, argv, true);
}

export const unlinkSpec: CommandSpec = {
  name: 'unlink',
  arity: -2,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'generic',
  summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
  since: '4.0.0',
  complexity:
    'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
  syntax: 'key [key ...]',
  handler: unlinkCommand,
  keyFlags: ['RM', 'delete'],
};

/** EXISTS key [key ...]: a key named twice counts twice. */
function existsCommand(c: Client, argv: string[]): void {
  let count = 0;
  for (let j = 1; j < argv.length; j++) {
    if (lookupReadNoTouch(c, argv[j]!) !== undefined) count++;
  }
  c.reply.integer(count);
}

export const existsSpec: CommandSpec = {
  name: 'exists',
  arity: -2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'generic',
  summary: 'Determine if a key exists',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys to check.',
  syntax: 'key [key ...]',
  handler: existsCommand,
  keyFlags: ['RO'],
};

/** TYPE key: the type name as a status reply, `none` for a missing key. */
function typeCommand(c: Client, argv: string[]): void {
  const entry = lookupReadNoTouch(c, argv[1]!);
  c.reply.simple(entry === undefined ? 'none' : typeOf(entry));
}

export const typeSpec: CommandSpec = {
  name: 'type',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Determine the type stored at key',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: typeCommand,
  keyFlags: ['RO'],
};

/** TOUCH key [key ...]: a read that updates the access clocks. */
function touchCommand(c: Client, argv: string[]): void {
  let touched = 0;
  for (let j = 1; j < argv.length; j++) {
    if (c.db.lookupRead(argv[j]!) !== undefined) touched++;
  }
  c.reply.integer(touched);
}

export const touchSpec: CommandSpec = {
  name: 'touch',
  arity: -2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'generic',
  summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.',
  since: '3.2.1',
  complexity: 'O(N) where N is the number of keys that will be touched.',
  syntax: 'key [key ...]',
  handler: touchCommand,
  keyFlags: ['RO'],
};

/** RANDOMKEY */
function randomkeyCommand(c: Client): void {
  const key = c.db.randomKey();
  if (key === null) c.reply.nullBulk();
  else c.reply.bulk(key);
}

export const randomkeySpec: CommandSpec = {
  name: 'randomkey',
  arity: 1,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'generic',
  summary: 'Return a random key from the keyspace',
  since: '1.0.0',
  complexity: 'O(1)',
  touchesArbitraryKeys: true,
  handler: randomkeyCommand,
};

/**
 * KEYS pattern
 *
 * Like Redis's keysCommand this only skips logically expired keys and does
 * not delete them, so KEYS changes neither DBSIZE nor the expired_keys
 * counter.
 */
function keysCommand(c: Client, argv: string[]): void {
  const matches = compileMatcher(argv[1]!);
  const db = c.db;
  const checkExpiry = db.expires.size !== 0;
  const found: string[] = [];
  for (const key of db.dict.keys()) {
    if (matches(key) && !(checkExpiry && db.isLogicallyExpired(key))) found.push(key);
  }
  c.reply.bulkArray(found);
}

export const keysSpec: CommandSpec = {
  name: 'keys',
  arity: 2,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'generic',
  summary: 'Find all keys matching the given pattern',
  since: '1.0.0',
  complexity:
    'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
  syntax: 'pattern:pattern',
  aclCategories: ['keyspace', 'dangerous'],
  handler: keysCommand,
};

const ULONG_MAX = 18446744073709551615n;

/**
 * parseScanCursorOrReply: Redis reads the cursor with strtoul, so it takes
 * an optional sign (a negative cursor wraps around), and even the empty
 * string (cursor 0), but no leading space, no trailing garbage and nothing
 * past 2^64-1. The result is the canonical decimal text, so `007` and `7`
 * name the same cursor. HSCAN, SSCAN and ZSCAN read theirs with it too
 * (readScanCursor in collection-scan.ts).
 */
export function parseScanCursor(text: string): string | null {
  if (text.length === 0) return '0';
  let start = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) start = 1; // '+' or '-'
  if (start === text.length) return null;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch < 48 || ch > 57) return null;
  }
  // The common case: a cursor this server issued.
  if (start === 0 && text.length < 16 && (first !== 48 || text.length === 1)) return text;
  let value = BigInt(text.slice(start));
  if (value > ULONG_MAX) return null;
  if (first === 45 && value !== 0n) value = ULONG_MAX + 1n - value;
  return value.toString();
}

export interface ScanOptions {
  count: number;
  pattern: string | null;
  /** SCAN's TYPE filter, lowercased; always null for HSCAN/SSCAN/ZSCAN. */
  typeName: string | null;
}

/**
 * The options of scanGenericCommand, shared by SCAN and HSCAN/SSCAN/ZSCAN:
 * COUNT (at least 1), MATCH, and TYPE for the keyspace SCAN only. Replies
 * the error and returns null on a bad option.
 */
export function readScanOptions(c: Client, argv: string[], first: number, acceptType: boolean): ScanOptions | null {
  const options: ScanOptions = { count: 10, pattern: null, typeName: null };
  for (let i = first; i < argv.length; i += 2) {
    const option = argv[i]!;
    const hasValue = i + 1 < argv.length;
    if (hasValue && isOption(option, 'count')) {
      const n = readInteger(c, argv[i + 1]!);
      if (n === null) return null;
      if (n < 1) {
        c.reply.error(errors.syntax);
        return null;
      }
      options.count = n;
    } else if (hasValue && isOption(option, 'match')) {
      options.pattern = argv[i + 1]!;
    } else if (acceptType && hasValue && isOption(option, 'type')) {
      options.typeName = argv[i + 1]!.toLowerCase();
    } else {
      c.reply.error(errors.syntax);
      return null;
    }
  }
  return options;
}

/**
 * SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
 *
 * The database collects the keys of the buckets it walks (about COUNT
 * keys), then they are filtered as scanGenericCommand filters them: MATCH,
 * then TYPE, then expiry (an expired key is deleted and dropped). A call
 * may therefore return fewer keys than COUNT, or none, before the
 * iteration ends.
 */
function scanCommand(c: Client, argv: string[]): void {
  const cursor = parseScanCursor(argv[1]!);
  if (cursor === null) {
    c.reply.error(errors.invalidCursor);
    return;
  }
  const options = readScanOptions(c, argv, 2, true);
  if (options === null) return;
  const { count, pattern, typeName } = options;

  const db = c.db;
  const page = db.scan(cursor, count);
  const matches = pattern !== null && pattern !== '*' ? compileMatcher(pattern) : null;
  const found: string[] = [];
  for (const key of page.keys) {
    if (matches !== null && !matches(key)) continue;
    if (typeName !== null) {
      // Redis looks each key up (a counted read that leaves the access clock
      // alone; an expired key reads as none) and compares type names
      // case-insensitively.
      const entry = lookupReadNoTouch(c, key);
      if ((entry === undefined ? 'none' : typeOf(entry).toLowerCase()) !== typeName) continue;
    }
    if (db.expires.size !== 0 && db.expireIfNeeded(key)) continue;
    found.push(key);
  }
  c.reply.arrayHeader(2);
  c.reply.bulk(page.cursor);
  c.reply.bulkArray(found);
}

export const scanSpec: CommandSpec = {
  name: 'scan',
  arity: -2,
  flags: ['readonly'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'generic',
  summary: 'Incrementally iterate the keys space',
  since: '2.8.0',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  syntax: 'cursor:integer [MATCH pattern:pattern] [COUNT count:integer] [TYPE type]',
  touchesArbitraryKeys: true,
  handler: scanCommand,
};

/**
 * renameGenericCommand. Renaming a key onto itself is allowed when it
 * exists (OK, or 0 for RENAMENX). The value keeps its access clock and its
 * TTL moves with it; an existing destination is replaced (RENAME) or left
 * alone (RENAMENX).
 */
function renameGeneric(c: Client, argv: string[], nx: boolean): void {
  const source = argv[1]!;
  const destination = argv[2]!;
  const db = c.db;
  const entry = db.lookupWrite(source);
  if (entry === undefined) {
    c.reply.error(errors.noSuchKey);
    return;
  }
  if (source === destination) {
    c.reply.raw(nx ? shared.zero : shared.ok);
    return;
  }
  const expire = db.getExpire(source);
  if (db.lookupWrite(destination) !== undefined) {
    if (nx) {
      c.reply.raw(shared.zero);
      return;
    }
    db.delete(destination);
  }
  moveEntry(db, destination, entry, db.clockOf(source)!, expire);
  db.delete(source);
  // One change (dirty + 1), announced on both names.
  const events = c.server.events;
  events.keyModified(db, source, 'rename_from', 0);
  events.keyModified(db, destination, 'rename_to');
  c.reply.raw(nx ? shared.one : shared.ok);
}

/** RENAME key newkey */
function renameCommand(c: Client, argv: string[]): void {
  renameGeneric(c, argv, false);
}

export const renameSpec: CommandSpec = {
  name: 'rename',
  arity: 3,
  flags: ['write'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'generic',
  summary: 'Rename a key',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key newkey:key',
  handler: renameCommand,
  firstKeyFlags: ['RW', 'access', 'delete'],
  keyFlags: ['OW', 'update'],
};

/** RENAMENX key newkey */
function renamenxCommand(c: Client, argv: string[]): void {
  renameGeneric(c, argv, true);
}

export const renamenxSpec: CommandSpec = {
  name: 'renamenx',
  arity: 3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'generic',
  summary: 'Rename a key, only if the new key does not exist',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key newkey:key',
  handler: renamenxCommand,
  firstKeyFlags: ['RW', 'access', 'delete'],
  keyFlags: ['OW', 'insert'],
};

/** dbAdd of an existing value under a new name or database, keeping its clock and TTL. */
function moveEntry(db: Database, key: string, value: Value, clock: number, expire: number | undefined): void {
  db.add(key, value, 0, clock);
  if (expire !== undefined) db.setExpire(key, expire);
}

/**
 * A database index argument (MOVE, COPY DB): a C int, then within the
 * configured databases. Replies the error and returns null otherwise.
 */
function readDatabase(c: Client, text: string): Database | null {
  const index = readInt(c, text);
  if (index === null) return null;
  const databases = c.server.keyspace.databases;
  if (index < 0 || index >= databases.length) {
    c.reply.error(errors.dbIndexOutOfRange);
    return null;
  }
  return databases[index]!;
}

/**
 * COPY source destination [DB destination-db] [REPLACE]
 *
 * Options are read left to right and the first bad one answers. The copy
 * is a new object (a fresh access clock) with the source's TTL; strings
 * are immutable, so they are shared instead of copied.
 */
function copyCommand(c: Client, argv: string[]): void {
  const source = c.db;
  let target = source;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    if (isOption(argv[j]!, 'replace')) {
      replace = true;
    } else if (isOption(argv[j]!, 'db') && j + 1 < argv.length) {
      const db = readDatabase(c, argv[j + 1]!);
      if (db === null) return;
      target = db;
      j++;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  const key = argv[1]!;
  const newKey = argv[2]!;
  if (target === source && key === newKey) {
    c.reply.error(errors.sameObject);
    return;
  }
  const value = source.lookupRead(key);
  if (value === undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  const expire = source.getExpire(key);
  if (target.lookupWrite(newKey) !== undefined) {
    if (!replace) {
      c.reply.raw(shared.zero);
      return;
    }
    target.delete(newKey);
  }
  // dupStringObject keeps a string's encoding, raw included.
  target.add(newKey, typeof value === 'string' ? value : value.clone(), source.clockOf(key)! & STRING_ENCODING_BITS);
  if (expire !== undefined) target.setExpire(newKey, expire);
  c.server.events.keyModified(target, newKey, 'copy_to');
  c.reply.raw(shared.one);
}

export const copySpec: CommandSpec = {
  name: 'copy',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'generic',
  summary: 'Copy a key',
  since: '6.2.0',
  complexity:
    'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  syntax: 'source:key destination:key [DB destination-db:integer] [REPLACE]',
  handler: copyCommand,
  firstKeyFlags: ['RO', 'access'],
  keyFlags: ['OW', 'update'],
};

/**
 * MOVE key db
 *
 * 1 when moved, 0 when the key is missing or the target database already
 * has it. The value keeps its access clock and TTL.
 */
function moveCommand(c: Client, argv: string[]): void {
  const target = readDatabase(c, argv[2]!);
  if (target === null) return;
  const source = c.db;
  if (target === source) {
    c.reply.error(errors.sameObject);
    return;
  }
  const key = argv[1]!;
  const entry = source.lookupWrite(key);
  if (entry === undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  const expire = source.getExpire(key);
  if (target.lookupWrite(key) !== undefined) {
    c.reply.raw(shared.zero);
    return;
  }
  moveEntry(target, key, entry, source.clockOf(key)!, expire);
  source.delete(key);
  const events = c.server.events;
  events.keyModified(source, key, 'move_from', 0);
  events.keyModified(target, key, 'move_to');
  c.reply.raw(shared.one);
}

export const moveSpec: CommandSpec = {
  name: 'move',
  arity: 3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Move a key to another database',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key db:integer',
  handler: moveCommand,
};

export const keyCommands: readonly CommandSpec[] = [
  delSpec,
  unlinkSpec,
  existsSpec,
  typeSpec,
  touchSpec,
  dbsizeSpec,
  randomkeySpec,
  keysSpec,
  scanSpec,
  renameSpec,
  renamenxSpec,
  copySpec,
  moveSpec,
  dumpSpec,
  restoreSpec,
  migrateSpec,
  swapdbSpec,
  flushdbSpec,
  flushallSpec,
  expireSpec,
  pexpireSpec,
  expireatSpec,
  pexpireatSpec,
  ttlSpec,
  pttlSpec,
  expiretimeSpec,
  pexpiretimeSpec,
  persistSpec,
  objectSpec,
];
