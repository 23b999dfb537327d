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

/** EXEC */
function execCommand(c: Client): void {
  const state = c.multi;
  if (state === null) {
    c.reply.error(errors.execWithoutMulti);
    return;
  }
  c.multi = null;
  const watchFailed = c.watchDirty || c.server.watches.expiredSinceWatch(c);
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
    for (const { entry, argv } of state.queue) {
      // The ACL may have changed since the call was queued: checked again.
      const denied = c.user.unrestricted ? null : c.server.acl.deniedInExec(c, entry, argv);
      if (denied === null) call(c, entry, argv);
      else c.reply.error(denied);
    }
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
  // Like Redis, WATCH looks nothing up: an expired key stays until someone deletes it.
  for (let i = 1; i < argv.length; i++) c.server.watches.watch(c, c.db, argv[i]!);
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
  keyFlags: ['RO'],
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
