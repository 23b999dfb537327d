/**
 * dispatch: one call from the queue to its handler, with Redis's checks in
 * processCommand's order: the command exists → the arity fits → the client
 * is authenticated → call. Then the statistics INFO reports.
 */
import { errors, unknownCommand, unknownSubcommand, wrongArity } from '../errors.js';
import type { Connection } from '../server/connection.js';
import { arityMatches, type TableEntry } from './table.js';

export function dispatch(c: Connection, argv: string[]): void {
  const server = c.server;
  const reply = c.reply;
  const errorsBefore = reply.errorCount;
  c.lastInteraction = server.clock.now();

  const entry = resolve(c, argv);
  if (entry === undefined) {
    c.lastCommand = argv[0]!.toLowerCase();
    server.stats.recordError(reply.lastErrorCode);
    return;
  }
  c.lastCommand = entry.fullName;
  if (c.authenticated === false && !entry.noAuth) {
    reply.error(errors.noAuth);
    entry.stats.rejectedCalls++;
    server.stats.recordError(reply.lastErrorCode);
    return;
  }

  const keyspace = server.keyspace;
  keyspace.now = c.lastInteraction;
  keyspace.noTouch = c.noTouch;
  const started = performance.now();
  entry.spec.handler!(c, argv);
  const stats = entry.stats;
  stats.calls++;
  stats.usec += (performance.now() - started) * 1000;
  server.stats.totalCommands++;
  if (reply.errorCount !== errorsBefore) {
    stats.failedCalls++;
    server.stats.recordError(reply.lastErrorCode);
  }
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
