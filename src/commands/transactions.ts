/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis's multi.c).
 * While a client is in MULTI the dispatcher queues its commands (checking
 * existence and arity first, as Redis does); EXEC runs them back to back
 * through the same call path as any command, so no other client's command
 * can run in between.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { call } from './dispatch.js';
import type { Client, CommandSpec } from './types.js';

/** MULTI */
function multiCommand(c: Client): void {
  if (c.multi !== null) {
    c.reply.error(errors.multiNested);
    return;
  }
  c.multi = { queue: [], failed: false };
  c.reply.raw(shared.ok);
}

export const multiSpec: CommandSpec = {
  name: 'multi',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'transactions',
  summary: 'Mark the start of a transaction block',
  since: '1.2.0',
  complexity: 'O(1)',
  handler: multiCommand,
};

/**
 * isWatchedKeyExpired: a watched key whose TTL has passed since WATCH
 * fails the EXEC even if nobody has deleted it yet. A key that had already
 * expired when it was watched is not one of these: WATCH deleted it.
 */
function watchedKeyExpired(c: Client): boolean {
  const databases = c.server.keyspace.databases;
  for (const id of c.watchedKeys) {
    const separator = id.indexOf('\0');
    if (databases[Number(id.slice(0, separator))]!.isLogicallyExpired(id.slice(separator + 1))) return true;
  }
  return false;
}

/** EXEC */
function execCommand(c: Client): void {
  const state = c.multi;
  if (state === null) {
    c.reply.error(errors.execWithoutMulti);
    return;
  }
  c.multi = null;
  const watchFailed = c.watchDirty || watchedKeyExpired(c);
  c.server.watches.unwatchAll(c);
  if (state.failed) {
    c.reply.error(errors.execAbort);
    return;
  }
  if (watchFailed) {
    c.reply.nullArray();
    return;
  }
  c.reply.arrayHeader(state.queue.length);
  // Blocking commands must not block inside EXEC; they see `inExec`.
  c.inExec = true;
  try {
    for (const { entry, argv } of state.queue) call(c, entry, argv);
  } finally {
    c.inExec = false;
  }
  // call() serves the keys the transaction made ready once EXEC itself is done.
}

export const execSpec: CommandSpec = {
  name: 'exec',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'skip_slowlog'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'transactions',
  summary: 'Execute all commands issued after MULTI',
  since: '1.2.0',
  complexity: 'Depends on commands in the transaction',
  handler: execCommand,
};

/** DISCARD */
function discardCommand(c: Client): void {
  if (c.multi === null) {
    c.reply.error(errors.discardWithoutMulti);
    return;
  }
  c.multi = null;
  c.server.watches.unwatchAll(c);
  c.reply.raw(shared.ok);
}

export const discardSpec: CommandSpec = {
  name: 'discard',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'transactions',
  summary: 'Discard all commands issued after MULTI',
  since: '2.0.0',
  complexity: 'O(N), when N is the number of queued commands',
  handler: discardCommand,
};

/** WATCH key [key ...] */
function watchCommand(c: Client, argv: string[]): void {
  if (c.multi !== null) {
    c.reply.error(errors.watchInsideMulti);
    return;
  }
  for (let i = 1; i < argv.length; i++) {
    const key = argv[i]!;
    // A key that has already expired counts as changed once it is deleted.
    c.db.peek(key);
    c.server.watches.watch(c, c.db.id, key);
  }
  c.reply.raw(shared.ok);
}

export const watchSpec: CommandSpec = {
  name: 'watch',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  group: 'transactions',
  summary: 'Watch the given keys to determine execution of the MULTI/EXEC block',
  since: '2.2.0',
  complexity: 'O(1) for every key.',
  syntax: 'key [key ...]',
  handler: watchCommand,
};

/** UNWATCH */
function unwatchCommand(c: Client): void {
  c.server.watches.unwatchAll(c);
  c.reply.raw(shared.ok);
}

export const unwatchSpec: CommandSpec = {
  name: 'unwatch',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'transactions',
  summary: 'Forget about all watched keys',
  since: '2.2.0',
  complexity: 'O(1)',
  handler: unwatchCommand,
};

export const transactionCommands: readonly CommandSpec[] = [multiSpec, execSpec, discardSpec, watchSpec, unwatchSpec];
