/**
 * SLOWLOG GET | LEN | RESET | HELP (slowlog.c's slowlogCommand). The log
 * itself is server/slowlog.ts; call() fills it.
 */
import { errors, unknownSubcommandOrArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { replyHelp } from './help-reply.js';
import { readInteger } from './parse.js';
import type { Client, CommandSpec } from './types.js';

/** SLOWLOG GET [count]: the newest entries, 10 by default, all with -1. */
function slowlogGetCommand(c: Client, argv: string[]): void {
  // The table's arity (-2) lets more through; slowlogCommand's own check refuses it.
  if (argv.length > 3) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, 'SLOWLOG'));
    return;
  }
  const slowlog = c.server.slowlog;
  let count = 10;
  if (argv.length === 3) {
    const n = readInteger(c, argv[2]!, errors.slowlogCount);
    if (n === null) return;
    if (n < -1) {
      c.reply.error(errors.slowlogCount);
      return;
    }
    count = n === -1 ? slowlog.length : n;
  }
  const entries = slowlog.newest(count);
  const reply = c.reply;
  reply.arrayHeader(entries.length);
  for (const entry of entries) {
    reply.arrayHeader(6);
    reply.integer(entry.id);
    reply.integer(entry.time);
    reply.integer(entry.durationUs);
    reply.arrayHeader(entry.argv.length);
    for (const arg of entry.argv) reply.bulk(arg);
    reply.bulk(entry.peer);
    reply.bulk(entry.clientName);
  }
}

export const slowlogGetSpec: CommandSpec = {
  name: 'get',
  arity: -2,
  flags: ['admin', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: "Get the slow log's entries",
  since: '2.2.12',
  complexity: 'O(N) where N is the number of entries returned',
  syntax: '[count:integer]',
  handler: slowlogGetCommand,
};

/** SLOWLOG LEN */
function slowlogLenCommand(c: Client): void {
  c.reply.integer(c.server.slowlog.length);
}

export const slowlogLenSpec: CommandSpec = {
  name: 'len',
  arity: 2,
  flags: ['admin', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: "Get the slow log's length",
  since: '2.2.12',
  complexity: 'O(1)',
  handler: slowlogLenCommand,
};

/** SLOWLOG RESET */
function slowlogResetCommand(c: Client): void {
  c.server.slowlog.reset();
  c.reply.raw(shared.ok);
}

export const slowlogResetSpec: CommandSpec = {
  name: 'reset',
  arity: 2,
  flags: ['admin', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Clear all entries from the slow log',
  since: '2.2.12',
  complexity: 'O(N) where N is the number of entries in the slowlog',
  handler: slowlogResetCommand,
};

const SLOWLOG_HELP: readonly string[] = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

/** SLOWLOG HELP */
function slowlogHelpCommand(c: Client): void {
  replyHelp(c, 'SLOWLOG', SLOWLOG_HELP);
}

export const slowlogHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Show helpful text about the different subcommands',
  since: '6.2.0',
  complexity: 'O(1)',
  handler: slowlogHelpCommand,
};

/** SLOWLOG <subcommand>: a container, dispatch picks the subcommand. */
export const slowlogSpec: CommandSpec = {
  name: 'slowlog',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'A container for slow log commands',
  since: '2.2.12',
  complexity: 'Depends on subcommand.',
  subcommands: [slowlogGetSpec, slowlogLenSpec, slowlogResetSpec, slowlogHelpSpec],
};

export const slowlogCommands: readonly CommandSpec[] = [slowlogSpec];
