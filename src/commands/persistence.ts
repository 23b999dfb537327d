/**
 * RDB snapshot commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE, and DEBUG
 * RELOAD's body (DEBUG itself lives in server-management.ts). The work is
 * persistence/snapshots.ts's; these parse, reply and log as Redis 7.0.15's
 * saveCommand, bgsaveCommand and debugCommand do.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { RdbLoadError } from '../persistence/rdb-file.js';
import type { Client, CommandSpec } from './types.js';

/** SAVE: the whole dataset to disk now, blocking every client meanwhile. */
function saveCommand(c: Client): void {
  const snapshots = c.server.snapshots;
  if (snapshots.bgsaveInProgress) {
    c.reply.error(errors.bgsaveInProgress);
    return;
  }
  snapshots.saves++;
  if (snapshots.save()) c.reply.raw(shared.ok);
  else c.reply.error(errors.bare);
}

export const saveSpec: CommandSpec = {
  name: 'save',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading', 'no_multi'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Synchronously save the dataset to disk',
  since: '1.0.0',
  complexity: 'O(N) where N is the total number of keys in all databases',
  handler: saveCommand,
};

/**
 * BGSAVE [SCHEDULE]: a snapshot of this moment, written in the background.
 * Inside MULTI (or with SCHEDULE while another save runs) it is scheduled
 * for the next cron tick instead, as Redis does while a child is active.
 */
function bgsaveCommand(c: Client, argv: string[]): void {
  let schedule = false;
  if (argv.length > 1) {
    if (argv.length === 2 && argv[1]!.toLowerCase() === 'schedule') schedule = true;
    else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  const snapshots = c.server.snapshots;
  if (snapshots.bgsaveInProgress) {
    c.reply.error(errors.bgsaveInProgress);
  } else if (snapshots.otherSnapshotActive || c.inExec) {
    // Another snapshot (the AOF rewrite's) is being written, or we are inside EXEC.
    if (schedule || c.inExec) {
      snapshots.bgsaveScheduled = true;
      c.reply.simple('Background saving scheduled');
    } else {
      c.reply.error(errors.anotherChildActive);
    }
  } else if (snapshots.bgsave()) {
    c.reply.simple('Background saving started');
  } else {
    c.reply.error(errors.bare);
  }
}

export const bgsaveSpec: CommandSpec = {
  name: 'bgsave',
  arity: -1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Asynchronously save the dataset to disk',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: '[SCHEDULE]',
  handler: bgsaveCommand,
};

/** LASTSAVE: the Unix time of the last successful save (the start time before any). */
function lastsaveCommand(c: Client): void {
  c.reply.integer(c.server.lastSave);
}

export const lastsaveSpec: CommandSpec = {
  name: 'lastsave',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Get the UNIX time stamp of the last successful save to disk',
  since: '1.0.0',
  complexity: 'O(1)',
  handler: lastsaveCommand,
};

/**
 * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the dataset, load
 * the file back. MERGE lets loaded keys replace existing ones.
 */
export function debugReload(c: Client, argv: string[]): void {
  let flush = true;
  let save = true;
  let merge = false;
  for (let i = 2; i < argv.length; i++) {
    const option = argv[i]!.toLowerCase();
    if (option === 'merge') merge = true;
    else if (option === 'noflush') flush = false;
    else if (option === 'nosave') save = false;
    else {
      c.reply.error(errors.debugReloadOptions);
      return;
    }
  }
  const server = c.server;
  const snapshots = server.snapshots;
  // The startup load is still filling the keyspace in slices: a reload now would interleave with it.
  if (snapshots.loading !== null) {
    c.reply.error(errors.loading);
    return;
  }
  if (save && !snapshots.save()) {
    c.reply.error(errors.bare);
    return;
  }
  if (flush) emptyData(c);
  try {
    snapshots.loadFileNow(merge);
  } catch (error) {
    const lines = error instanceof RdbLoadError ? error.logLines : [String((error as Error).message)];
    for (const line of lines) server.logger.warn(line);
    c.reply.error(errors.debugReloadLoadFailed);
    return;
  }
  server.logger.warn('DB reloaded by DEBUG RELOAD');
  c.reply.raw(shared.ok);
}

/** emptyData(-1, EMPTYDB_NO_FLAGS): every database and the function libraries. */
function emptyData(c: Client): void {
  const server = c.server;
  for (const db of server.keyspace.databases) {
    server.events.databaseModified(db, 'flushdb', 0);
    db.flush();
  }
  server.events.flushed(null);
  server.scripting.functions.flush();
}

export const persistenceCommands: readonly CommandSpec[] = [saveSpec, bgsaveSpec, lastsaveSpec];
