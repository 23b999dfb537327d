/**
 * COMMAND [COUNT | LIST | INFO | DOCS | GETKEYS | GETKEYSANDFLAGS | HELP]
 * (server.c commandCommand and friends): the server describing its own
 * command table. Everything here is read from the table, so a command
 * declared in its group's module is described the moment it exists.
 *
 * Reply shapes follow Redis 7.0.15 exactly, RESP2 and RESP3: INFO entries
 * are 10-element arrays with sets for flags, categories, tips and key specs;
 * DOCS is a map of maps. What the table can't know (command tips, argument
 * `since`, doc history, per-key access flags beyond RO/RW) is left out or
 * reduced, as noted where it happens.
 */
import { errors } from '../errors.js';
import type { ReplyWriter } from '../protocol/reply.js';
import type { Client } from './types.js';
import { stringMatch } from '../text/glob.js';
import { describeCommand, keyFlagsAt, type CommandArgument, type KeySpec } from './command-docs.js';
import { replyHelp } from './help-reply.js';
import { categoryNames } from './acl-categories.js';
import { arityMatches, type CommandTable, type TableEntry } from './table.js';
import type { CommandFlag, CommandGroup, CommandSpec } from './types.js';

export const commandErrors = {
  invalidCommand: 'ERR Invalid command specified',
  invalidArity: 'ERR Invalid number of arguments specified for command',
  noKeyArguments: 'ERR The command has no key arguments',
  invalidArguments: 'ERR Invalid arguments specified for command',
} as const;

/** COMMAND INFO prints flags in this order (addReplyFlagsForCommand). */
const FLAG_ORDER: readonly string[] = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys',
  'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];

/**
 * COMMAND INFO's flags: the spec's, plus `movablekeys` when the keys depend
 * on the call. `may_replicate` is left out, as addReplyFlagsForCommand
 * hides it on purpose; only CLIENT PAUSE WRITE reads it.
 */
export function commandFlags(spec: CommandSpec): string[] {
  const flags: string[] = spec.flags.filter((flag) => flag !== 'may_replicate');
  if (spec.keys !== undefined) flags.push('movablekeys');
  return flags.sort((a, b) => FLAG_ORDER.indexOf(a) - FLAG_ORDER.indexOf(b));
}

/** A command's ACL categories, as the table computed them. */
export function aclCategories(entry: TableEntry): string[] {
  return categoryNames(entry.aclCategories);
}

// ---------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------

/**
 * lookupCommandBySds: a name as COMMAND INFO and DOCS take it, `get` or
 * `config|get`, any case. A subcommand of a command without subcommands,
 * or a deeper path, is unknown.
 */
export function lookupByFullName(table: CommandTable, name: string): TableEntry | undefined {
  const parts = name.split('|');
  if (parts.length > 2) return undefined;
  const top = table.lookup(parts[0]!);
  if (top === undefined || parts.length === 1) return top;
  return top.subcommands?.get(parts[1]!.toLowerCase());
}

/** lookupCommand for a whole call: the subcommand when the command is a container and one is given. */
function lookupCall(table: CommandTable, argv: readonly string[]): TableEntry | undefined {
  const top = table.lookup(argv[0]!);
  if (top === undefined || top.subcommands === null || argv.length === 1) return top;
  return top.subcommands.get(argv[1]!.toLowerCase());
}

// ---------------------------------------------------------------------------
// Reply builders
// ---------------------------------------------------------------------------

function simpleSet(r: ReplyWriter, items: readonly string[]): void {
  r.setHeader(items.length);
  for (const item of items) r.simple(item);
}

/** addReplyCommandKeySpecs */
function replyKeySpecs(r: ReplyWriter, specs: readonly KeySpec[]): void {
  r.setHeader(specs.length);
  for (const spec of specs) {
    r.mapHeader(3);
    r.bulk('flags');
    simpleSet(r, spec.flags);
    r.bulk('begin_search');
    r.mapHeader(2);
    r.bulk('type');
    r.bulk(spec.beginSearch.type);
    r.bulk('spec');
    if (spec.beginSearch.type === 'index') {
      r.mapHeader(1);
      r.bulk('index');
      r.integer(spec.beginSearch.index);
    } else if (spec.beginSearch.type === 'keyword') {
      r.mapHeader(2);
      r.bulk('keyword');
      r.bulk(spec.beginSearch.keyword);
      r.bulk('startfrom');
      r.integer(spec.beginSearch.startfrom);
    } else {
      r.mapHeader(0);
    }
    r.bulk('find_keys');
    r.mapHeader(2);
    r.bulk('type');
    const find = spec.findKeys;
    r.bulk(find.type);
    r.bulk('spec');
    if (find.type === 'range') {
      r.mapHeader(3);
      r.bulk('lastkey');
      r.integer(find.lastkey);
      r.bulk('keystep');
      r.integer(find.keystep);
      r.bulk('limit');
      r.integer(find.limit);
    } else if (find.type === 'keynum') {
      r.mapHeader(3);
      r.bulk('keynumidx');
      r.integer(find.keynumidx);
      r.bulk('firstkey');
      r.integer(find.firstkey);
      r.bulk('keystep');
      r.integer(find.keystep);
    } else {
      r.mapHeader(0);
    }
  }
}

/**
 * addReplyCommandInfo: [name, arity, flags, first, last, step, categories,
 * tips, key specs, subcommands]. Tips (request_policy and the like) are
 * cluster routing hints the table doesn't carry: always an empty set.
 */
function replyCommandInfo(r: ReplyWriter, entry: TableEntry | undefined): void {
  if (entry === undefined) {
    r.nullBulk();
    return;
  }
  const spec = entry.spec;
  r.arrayHeader(10);
  r.bulk(entry.fullName);
  r.integer(spec.arity);
  simpleSet(r, commandFlags(spec));
  r.integer(spec.firstKey);
  r.integer(spec.lastKey);
  r.integer(spec.keyStep);
  simpleSet(r, aclCategories(entry).map((category) => '@' + category));
  r.setHeader(0);
  replyKeySpecs(r, describeCommand(spec, entry.parent !== null).keySpecs);
  if (entry.subcommands === null) {
    r.setHeader(0);
  } else {
    r.arrayHeader(entry.subcommands.size);
    for (const sub of entry.subcommands.values()) replyCommandInfo(r, sub);
  }
}

/** addReplyCommandArgList */
function replyArguments(r: ReplyWriter, args: readonly CommandArgument[]): void {
  r.arrayHeader(args.length);
  for (const arg of args) {
    const nested = arg.type === 'oneof' || arg.type === 'block';
    r.mapHeader(2 + (arg.type === 'key' ? 1 : 0) + (arg.token !== undefined ? 1 : 0) + (arg.flags.length > 0 ? 1 : 0) + (nested ? 1 : 0));
    r.bulk('name');
    r.bulk(arg.name);
    r.bulk('type');
    r.bulk(arg.type);
    if (arg.type === 'key') {
      r.bulk('key_spec_index');
      r.integer(arg.keySpecIndex ?? 0);
    }
    if (arg.token !== undefined) {
      r.bulk('token');
      r.bulk(arg.token);
    }
    if (arg.flags.length > 0) {
      r.bulk('flags');
      simpleSet(r, arg.flags);
    }
    if (nested) {
      r.bulk('arguments');
      replyArguments(r, arg.arguments ?? []);
    }
  }
}

/**
 * addReplyCommandDocs: summary, since, group, complexity, arguments and, for
 * containers, subcommands. Redis also has history, doc_flags,
 * deprecated_since and replaced_by for some commands; the table has no such
 * fields, so they never appear.
 */
function replyCommandDocs(r: ReplyWriter, entry: TableEntry): void {
  const spec = entry.spec;
  const args = describeCommand(spec, entry.parent !== null).arguments;
  const hasArguments = args.length > 0;
  r.mapHeader(3 + (spec.complexity !== undefined ? 1 : 0) + (hasArguments ? 1 : 0) + (entry.subcommands !== null ? 1 : 0));
  r.bulk('summary');
  r.bulk(spec.summary);
  r.bulk('since');
  r.bulk(spec.since);
  r.bulk('group');
  r.bulk(spec.group);
  if (spec.complexity !== undefined) {
    r.bulk('complexity');
    r.bulk(spec.complexity);
  }
  if (hasArguments) {
    r.bulk('arguments');
    replyArguments(r, args);
  }
  if (entry.subcommands !== null) {
    r.bulk('subcommands');
    r.mapHeader(entry.subcommands.size);
    for (const sub of entry.subcommands.values()) {
      r.bulk(sub.fullName);
      replyCommandDocs(r, sub);
    }
  }
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

/** Every top-level command's details (COMMAND, and COMMAND INFO without names). */
function replyAllInfo(c: Client): void {
  const table = c.server.commands;
  c.reply.arrayHeader(table.size);
  for (const entry of table.entries()) replyCommandInfo(c.reply, entry);
}

/** COMMAND COUNT */
function commandCountCommand(c: Client): void {
  c.reply.integer(c.server.commands.size);
}

export const commandCountSpec: CommandSpec = {
  name: 'count',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Get total number of Redis commands',
  since: '2.8.13',
  complexity: 'O(1)',
  handler: commandCountCommand,
};

/**
 * The filter of COMMAND LIST FILTERBY. reddish loads no modules (HELLO
 * reports none), so MODULE matches nothing, like an unknown module in Redis.
 */
function listFilter(kind: string, value: string): ((entry: TableEntry) => boolean) | null {
  switch (kind.toLowerCase()) {
    case 'module':
      return () => false;
    case 'aclcat': {
      const category = value.toLowerCase();
      return (entry) => aclCategories(entry).includes(category);
    }
    case 'pattern':
      return (entry) => stringMatch(value, entry.fullName, true);
    default:
      return null;
  }
}

/** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: commands and subcommands by full name. */
function commandListCommand(c: Client, argv: string[]): void {
  let filter: (entry: TableEntry) => boolean = () => true;
  for (let i = 2; i < argv.length; i++) {
    // As in Redis, the one FILTERBY must be the last thing on the line.
    const parsed = argv[i]!.toLowerCase() === 'filterby' && argv.length - 1 - i === 2 ? listFilter(argv[i + 1]!, argv[i + 2]!) : null;
    if (parsed === null) {
      c.reply.error(errors.syntax);
      return;
    }
    filter = parsed;
    i += 2;
  }
  const names: string[] = [];
  for (const entry of c.server.commands.allEntries()) if (filter(entry)) names.push(entry.fullName);
  c.reply.bulkArray(names);
}

export const commandListSpec: CommandSpec = {
  name: 'list',
  arity: -2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Get an array of Redis command names',
  since: '7.0.0',
  complexity: 'O(N) where N is the total number of Redis commands',
  syntax: '[FILTERBY (MODULE module-name | ACLCAT category | PATTERN pattern:pattern)]',
  handler: commandListCommand,
};

/** COMMAND INFO [command-name ...]: unknown names are null entries. */
function commandInfoCommand(c: Client, argv: string[]): void {
  if (argv.length === 2) {
    replyAllInfo(c);
    return;
  }
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) replyCommandInfo(c.reply, lookupByFullName(c.server.commands, argv[i]!));
}

export const commandInfoSpec: CommandSpec = {
  name: 'info',
  arity: -2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Get array of specific Redis command details, or all when no argument is given.',
  since: '2.8.13',
  complexity: 'O(N) where N is the number of commands to look up',
  syntax: '[command-name [command-name ...]]',
  handler: commandInfoCommand,
};

/** COMMAND DOCS [command-name ...]: a map; unknown names are left out. */
function commandDocsCommand(c: Client, argv: string[]): void {
  const table = c.server.commands;
  const found: TableEntry[] = [];
  if (argv.length === 2) {
    found.push(...table.entries());
  } else {
    for (let i = 2; i < argv.length; i++) {
      const entry = lookupByFullName(table, argv[i]!);
      if (entry !== undefined) found.push(entry);
    }
  }
  c.reply.mapHeader(found.length);
  for (const entry of found) {
    c.reply.bulk(entry.fullName);
    replyCommandDocs(c.reply, entry);
  }
}

export const commandDocsSpec: CommandSpec = {
  name: 'docs',
  arity: -2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Get array of specific Redis command documentation',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of commands to look up',
  syntax: '[command-name [command-name ...]]',
  handler: commandDocsCommand,
};

/**
 * COMMAND GETKEYS and GETKEYSANDFLAGS (getKeysSubcommand): the keys of a
 * whole call, found the way dispatch would. Checks in Redis's order: the
 * command exists, it has keys at all, the arity fits, some key was found.
 */
function getKeysGeneric(c: Client, argv: string[], withFlags: boolean): void {
  const call = argv.slice(2);
  const table = c.server.commands;
  const entry = lookupCall(table, call);
  if (entry === undefined) {
    c.reply.error(commandErrors.invalidCommand);
    return;
  }
  const spec = entry.spec;
  // doesCommandHaveKeys: key specs flagged not_key (shard channels) do not count.
  if ((spec.keys === undefined && spec.firstKey === 0) || spec.keyFlags?.includes('not_key') === true) {
    c.reply.error(commandErrors.noKeyArguments);
    return;
  }
  if (!arityMatches(spec.arity, call.length)) {
    c.reply.error(commandErrors.invalidArity);
    return;
  }
  const positions = table.keyPositions(entry, call);
  if (positions.length === 0 && !spec.flags.includes('no_mandatory_keys')) {
    c.reply.error(commandErrors.invalidArguments);
    return;
  }
  const r = c.reply;
  if (!withFlags) {
    r.bulkArray(positions.map((position) => call[position]!));
    return;
  }
  r.arrayHeader(positions.length);
  for (let i = 0; i < positions.length; i++) {
    r.arrayHeader(2);
    r.bulk(call[positions[i]!]!);
    simpleSet(r, spec.callKeyFlags?.(call) ?? keyFlagsAt(spec, i));
  }
}

/** COMMAND GETKEYS command [arg ...] */
function commandGetkeysCommand(c: Client, argv: string[]): void {
  getKeysGeneric(c, argv, false);
}

export const commandGetkeysSpec: CommandSpec = {
  name: 'getkeys',
  arity: -4,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Extract keys given a full Redis command',
  since: '2.8.13',
  complexity: 'O(N) where N is the number of arguments to the command',
  syntax: 'command arg [arg ...]',
  handler: commandGetkeysCommand,
};

/** COMMAND GETKEYSANDFLAGS command [arg ...] */
function commandGetkeysandflagsCommand(c: Client, argv: string[]): void {
  getKeysGeneric(c, argv, true);
}

export const commandGetkeysandflagsSpec: CommandSpec = {
  name: 'getkeysandflags',
  arity: -4,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Extract keys and access flags given a full Redis command',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of arguments to the command',
  syntax: 'command arg [arg ...]',
  handler: commandGetkeysandflagsCommand,
};

const COMMAND_HELP: readonly string[] = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

/** COMMAND HELP */
function commandHelpCommand(c: Client): void {
  replyHelp(c, 'COMMAND', COMMAND_HELP);
}

export const commandHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Show helpful text about the different subcommands',
  since: '5.0.0',
  complexity: 'O(1)',
  handler: commandHelpCommand,
};

/** COMMAND [subcommand]: without a subcommand, every command's details. */
function commandCommand(c: Client): void {
  replyAllInfo(c);
}

/**
 * COMMAND and its subcommands are allowed while loading or stale, have no
 * keys, and Redis files the whole family under @connection.
 */
export const commandSpec: CommandSpec = {
  name: 'command',
  arity: -1,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  aclCategories: ['connection'],
  summary: 'Get array of Redis command details',
  since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  handler: commandCommand,
  subcommands: [
    commandCountSpec,
    commandListSpec,
    commandInfoSpec,
    commandDocsSpec,
    commandGetkeysSpec,
    commandGetkeysandflagsSpec,
    commandHelpSpec,
  ],
};

export const commandCommands: readonly CommandSpec[] = [commandSpec];
