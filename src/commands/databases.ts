/**
 * Commands on whole databases (Redis's db.c and server.c): DBSIZE, SWAPDB,
 * FLUSHDB and FLUSHALL, each with its spec. keys.ts lists them among the
 * key commands, where the table has always had them.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Database } from '../store/database.js';
import { isOption, readInt } from './parse.js';
import type { Client, CommandSpec } from './types.js';

/**
 * DBSIZE
 *
 * Keys whose TTL passed but that nobody touched yet still count, as in Redis.
 */
function dbsizeCommand(c: Client): void {
  c.reply.integer(c.db.size);
}

export const dbsizeSpec: CommandSpec = {
  name: 'dbsize',
  arity: 1,
  flags: ['readonly', 'fast'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Return the number of keys in the selected database',
  since: '1.0.0',
  complexity: 'O(1)',
  aclCategories: ['keyspace'],
  handler: dbsizeCommand,
};

/**
 * SWAPDB index1 index2
 *
 * Exchanges the two databases' contents, so every client connected to
 * either sees the other's keys at once. Swapping a database with itself is
 * a successful no-op.
 */
function swapdbCommand(c: Client, argv: string[]): void {
  const first = readInt(c, argv[1]!, errors.invalidFirstDbIndex);
  if (first === null) return;
  const second = readInt(c, argv[2]!, errors.invalidSecondDbIndex);
  if (second === null) return;
  const databases = c.server.keyspace.databases;
  if (first < 0 || first >= databases.length || second < 0 || second >= databases.length) {
    c.reply.error(errors.dbIndexOutOfRange);
    return;
  }
  const events = c.server.events;
  if (first !== second) {
    // Clients blocked or WATCHing in either database will see other keys
    // (announced before the swap, as dbSwapDatabases touches watched keys).
    events.databaseModified(databases[first]!, 'swapdb', 0, databases[second]!);
    events.databaseModified(databases[second]!, 'swapdb', 0, databases[first]!);
    databases[first]!.swapWith(databases[second]!);
  }
  // Redis counts one change even for a database swapped with itself.
  events.dirty++;
  c.reply.raw(shared.ok);
}

export const swapdbSpec: CommandSpec = {
  name: 'swapdb',
  arity: 3,
  flags: ['write', 'fast'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Swaps two Redis databases',
  since: '4.0.0',
  complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
  syntax: 'index1:integer index2:integer',
  aclCategories: ['keyspace', 'dangerous'],
  handler: swapdbCommand,
};

/**
 * getFlushCommandFlags: FLUSHDB and FLUSHALL take nothing, ASYNC or SYNC;
 * with nothing, lazyfree-lazy-user-flush decides. Both modes free at once
 * (store/lazy-free.ts); ASYNC counts the keys as lazily freed, as Redis
 * does. Returns whether the flush is async, or null after a syntax error.
 */
function flushIsAsync(c: Client, argv: string[]): boolean | null {
  if (argv.length === 1) return c.server.keyspace.lazyFree.userFlush;
  if (argv.length === 2 && isOption(argv[1]!, 'sync')) return false;
  if (argv.length === 2 && isOption(argv[1]!, 'async')) return true;
  c.reply.error(errors.syntax);
  return null;
}

/**
 * emptyData for one database: announced while the keys are still there
 * (signalFlushedDb runs first, so WATCH can tell which watched keys
 * existed); dirty grows by the number of keys removed. Even an empty
 * database's flush is propagated (forceCommandPropagation in the callers).
 */
function flushDatabase(c: Client, db: Database, async: boolean): void {
  c.server.events.databaseModified(db, 'flushdb', db.size);
  if (async) c.server.keyspace.lazyFree.flushed(db.size);
  db.flush();
}

/** FLUSHDB [ASYNC | SYNC] */
function flushdbCommand(c: Client, argv: string[]): void {
  const async = flushIsAsync(c, argv);
  if (async === null) return;
  flushDatabase(c, c.db, async);
  c.server.events.flushed(c.db);
  c.server.propagation.force();
  c.reply.raw(shared.ok);
}

export const flushdbSpec: CommandSpec = {
  name: 'flushdb',
  arity: -1,
  flags: ['write'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Remove all keys from the current database',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys in the selected database',
  syntax: '[ASYNC | SYNC]',
  aclCategories: ['keyspace', 'dangerous'],
  handler: flushdbCommand,
};

/** FLUSHALL [ASYNC | SYNC] */
function flushallCommand(c: Client, argv: string[]): void {
  const async = flushIsAsync(c, argv);
  if (async === null) return;
  for (const db of c.server.keyspace.databases) flushDatabase(c, db, async);
  c.server.events.flushed(null);
  c.server.snapshots.afterFlushAll();
  c.server.propagation.force();
  c.reply.raw(shared.ok);
}

export const flushallSpec: CommandSpec = {
  name: 'flushall',
  arity: -1,
  flags: ['write'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Remove all keys from all databases',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  syntax: '[ASYNC | SYNC]',
  aclCategories: ['keyspace', 'dangerous'],
  handler: flushallCommand,
};
