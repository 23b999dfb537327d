/**
 * dispatch: one call from the queue to its handler, with Redis's checks in
 * processCommand's order: the command exists → the arity fits → the client
 * is authenticated → (inside MULTI: queue it) → call. Then the statistics
 * INFO reports, and the wake-ups a write owes to blocked and WATCHing
 * clients.
 */
import { errors, unknownCommand, unknownSubcommand, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Connection } from '../server/connection.js';
import { arityMatches, type TableEntry } from './table.js';

/** Commands that run at once even inside MULTI (multiCommand's exceptions). */
const RUN_INSIDE_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

export function dispatch(c: Connection, argv: string[]): void {
  const server = c.server;
  const reply = c.reply;
  c.lastInteraction = server.clock.now();

  const entry = resolve(c, argv);
  if (entry === undefined) {
    c.lastCommand = argv[0]!.toLowerCase();
    server.stats.recordError(reply.lastErrorCode);
    // An unknown command or bad arity inside MULTI dooms the transaction.
    if (c.multi !== null) c.multi.failed = true;
    return;
  }
  c.lastCommand = entry.fullName;
  if (c.authenticated === false && !entry.noAuth) {
    reply.error(errors.noAuth);
    entry.stats.rejectedCalls++;
    server.stats.recordError(reply.lastErrorCode);
    return;
  }
  if (c.multi !== null && (entry.parent !== null || !RUN_INSIDE_MULTI.has(entry.spec.name))) {
    if (entry.spec.flags.includes('no_multi')) {
      reply.error('ERR Command not allowed inside a transaction');
      c.multi.failed = true;
      return;
    }
    c.multi.queue.push({ entry, argv });
    reply.raw(shared.queued);
    return;
  }
  call(c, entry, argv);
}

/**
 * Runs a resolved command: the handler, then statistics, then the
 * wake-ups. EXEC calls this for each queued command.
 */
export function call(c: Connection, entry: TableEntry, argv: string[]): void {
  const server = c.server;
  const reply = c.reply;
  const errorsBefore = reply.errorCount;
  const keyspace = server.keyspace;
  // One clock read per command: dispatch just stamped lastInteraction.
  keyspace.now = c.inExec ? server.clock.now() : c.lastInteraction;
  keyspace.noTouch = c.noTouch;
  const started = performance.now();
  const mark = reply.mark();
  try {
    entry.spec.handler!(c, argv);
  } catch (error) {
    handlerFailed(c, entry, mark, error);
  }
  const stats = entry.stats;
  stats.calls++;
  stats.usec += (performance.now() - started) * 1000;
  server.stats.totalCommands++;
  if (reply.errorCount !== errorsBefore) {
    stats.failedCalls++;
    server.stats.recordError(reply.lastErrorCode);
  } else if (entry.isWrite) {
    server.dirty++;
    if (entry.spec.signalsModifiedKeys) {
      if (c.multi === null && !c.inExec) server.blocking.serveReady();
    } else if (server.blocking.active || server.watches.active) {
      signalModifiedKeys(c, entry, argv);
    }
  }
}

/**
 * A handler threw: a bug, or a reply larger than V8 can build (its string
 * limit). Redis would have crashed or been killed; reddish must not, and
 * the other clients must not notice. The half-written reply is dropped and
 * the client gets an error instead; if that isn't possible (the reply had
 * spilled), only this client is disconnected.
 */
function handlerFailed(c: Connection, entry: TableEntry, mark: number, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  c.log.error({ err: error, command: entry.fullName }, 'command failed with an exception');
  if (c.reply.rollback(mark)) {
    c.reply.error(`ERR internal error while running '${entry.fullName}': ${message}`);
  } else {
    c.reply.discard();
    c.kill();
  }
}

/**
 * A write may have changed the keys it names: tell the clients WATCHing
 * them, and give data to clients blocked on them. Blocked clients are served
 * before this client's next command (Redis's handleClientsBlockedOnKeys);
 * inside EXEC, once the whole transaction has run.
 */
function signalModifiedKeys(c: Connection, entry: TableEntry, argv: string[]): void {
  const server = c.server;
  const dbId = c.db.id;
  for (const position of server.commands.keyPositions(entry, argv)) {
    const key = argv[position]!;
    server.watches.touch(dbId, key);
    server.blocking.signal(dbId, key);
  }
  // EXEC clears c.multi before running its queue and serves once at the end.
  if (c.multi === null && !c.inExec) server.blocking.serveReady();
}

/**
 * Finds the table entry for a call, descending into container commands
 * (CONFIG GET, CLIENT LIST...). On failure the error has been replied and
 * undefined is returned.
 */
function resolve(c: Connection, argv: string[]): TableEntry | undefined {
  const top = c.server.commands.lookup(argv[0]!);
  if (top === undefined) {
    c.reply.error(unknownCommand(argv));
    return undefined;
  }
  let entry = top;
  if (top.subcommands !== null && argv.length >= 2) {
    const sub = top.subcommands.get(argv[1]!.toLowerCase());
    if (sub === undefined) {
      c.reply.error(unknownSubcommand(top.fullName, argv[1]!));
      top.stats.rejectedCalls++;
      return undefined;
    }
    entry = sub;
  }
  if (!arityMatches(entry.spec.arity, argv.length)) {
    c.reply.error(wrongArity(entry.fullName));
    entry.stats.rejectedCalls++;
    return undefined;
  }
  return entry;
}
