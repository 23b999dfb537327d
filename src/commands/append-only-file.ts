/**
 * BGREWRITEAOF (Redis's aof.c bgrewriteaofCommand): a new base for the
 * append-only file, written in the background (persistence/aof.ts). It
 * works with appendonly no too, as in Redis: the base and manifest are
 * written, with no incr file.
 */
import { errors } from '../errors.js';
import type { Client, CommandSpec } from './types.js';

function bgrewriteaofCommand(c: Client): void {
  const outcome = c.server.aof.bgrewrite(c.inExec);
  if (outcome === 'inProgress') c.reply.error(errors.bgrewriteaofInProgress);
  else if (outcome === 'failed') c.reply.error(errors.bgrewriteaofFailed);
  // A BGSAVE runs, or inside EXEC: the cron starts it once nothing else runs.
  else if (outcome === 'scheduled') c.reply.simple('Background append only file rewriting scheduled');
  else c.reply.simple('Background append only file rewriting started');
}

export const bgrewriteaofSpec: CommandSpec = {
  name: 'bgrewriteaof',
  arity: 1,
  flags: ['admin', 'noscript', 'no_async_loading'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Asynchronously rewrite the append-only file',
  since: '1.0.0',
  complexity: 'O(1)',
  handler: bgrewriteaofCommand,
};

export const appendOnlyFileCommands: readonly CommandSpec[] = [bgrewriteaofSpec];
