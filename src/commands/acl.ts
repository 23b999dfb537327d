/**
 * ACL <subcommand> (acl.c's aclCommand): users and their rules, the ACL
 * log, the ACL file. The users, checks and log live in acl/acl.ts; these
 * handlers parse and reply.
 */
import { randomBytes } from 'node:crypto';
import {
  aclCommandNotFound,
  aclErrors,
  aclUnknownCategory,
  aclUserNotFound,
  unknownSubcommandOrArity,
  wrongArity,
} from '../errors.js';
import { shared } from '../protocol/reply.js';
import { ACL_DENIED_CMD, ACL_DENIED_KEY, ACL_OK, AclLog } from '../acl/acl-log.js';
import { hasSpaces, isModuleCommand, SELECTOR_ALLCHANNELS, SELECTOR_ALLKEYS, type Selector } from '../acl/selector.js';
import { describeCommandRules, describeKeyPattern } from '../acl/user.js';
import { ACL_CATEGORIES, categoryFlag } from './acl-categories.js';
import { replyHelp } from './help-reply.js';
import { readInteger } from './parse.js';
import { arityMatches, type TableEntry } from './table.js';
import type { Client, CommandSpec } from './types.js';

/** The fields every ACL subcommand spec shares. */
const aclSubcommand = {
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  since: '6.0.0',
} as const;

const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

/** ACL SETUSER username [rule [rule ...]] */
function aclSetuserCommand(c: Client, argv: string[]): void {
  // Nothing of a user's rules (passwords) reaches MONITOR.
  for (let j = 2; j < argv.length; j++) c.server.monitors.redactArgument(argv, j);
  const username = argv[2]!;
  if (hasSpaces(username)) {
    c.reply.error(aclErrors.usernameHasSpaces);
    return;
  }
  const error = c.server.acl.setUser(username, argv.slice(3), c);
  if (error === null) c.reply.raw(shared.ok);
  else c.reply.error(error.replace(/[\r\n]/g, ' '));
}

export const aclSetuserSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'setuser',
  arity: -3,
  flags: ADMIN_FLAGS,
  summary: 'Modify or create the rules for a specific ACL user',
  complexity: 'O(N). Where N is the number of rules provided.',
  syntax: 'username [rule [rule ...]]',
  handler: aclSetuserCommand,
};

/** ACL DELUSER username [username ...] */
function aclDeluserCommand(c: Client, argv: string[]): void {
  const names = argv.slice(2);
  if (names.includes('default')) {
    c.reply.error(aclErrors.deleteDefault);
    return;
  }
  c.reply.integer(c.server.acl.deleteUsers(names, c));
}

export const aclDeluserSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'deluser',
  arity: -3,
  flags: ADMIN_FLAGS,
  summary: 'Remove the specified ACL users and the associated rules',
  complexity: 'O(1) amortized time considering the typical user.',
  syntax: 'username [username ...]',
  handler: aclDeluserCommand,
};

/** aclAddReplySelectorDescription: commands, keys and channels; three fields. */
function replySelector(c: Client, selector: Selector): void {
  const r = c.reply;
  r.bulk('commands');
  r.bulk(describeCommandRules(selector));
  r.bulk('keys');
  if ((selector.flags & SELECTOR_ALLKEYS) !== 0) r.bulk('~*');
  else r.bulk(selector.patterns.map(describeKeyPattern).join(' '));
  r.bulk('channels');
  if ((selector.flags & SELECTOR_ALLCHANNELS) !== 0) r.bulk('&*');
  else r.bulk(selector.channels.map((channel) => '&' + channel).join(' '));
}

/** ACL GETUSER username */
function aclGetuserCommand(c: Client, argv: string[]): void {
  const user = c.server.acl.getUser(argv[2]!);
  const r = c.reply;
  if (user === undefined) {
    r.nullBulk();
    return;
  }
  r.mapHeader(6);
  r.bulk('flags');
  const flags = user.flagNames();
  r.setHeader(flags.length);
  for (const flag of flags) r.bulk(flag);
  r.bulk('passwords');
  r.arrayHeader(user.passwords.length);
  for (const hash of user.passwords) r.bulk(hash);
  // The root selector at the top level, as before selectors existed.
  replySelector(c, user.root);
  r.bulk('selectors');
  r.arrayHeader(user.selectors.length - 1);
  for (const selector of user.selectors.slice(1)) {
    r.mapHeader(3);
    replySelector(c, selector);
  }
}

export const aclGetuserSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'getuser',
  arity: 3,
  flags: ADMIN_FLAGS,
  summary: 'Get the rules for a specific ACL user',
  complexity: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
  syntax: 'username',
  handler: aclGetuserCommand,
};

/** ACL LIST: every user in config file format. */
function aclListCommand(c: Client): void {
  const users = c.server.acl.allUsers();
  c.reply.arrayHeader(users.length);
  for (const user of users) c.reply.bulk(`user ${user.name} ${user.describe()}`);
}

export const aclListSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'list',
  arity: 2,
  flags: ADMIN_FLAGS,
  summary: 'List the current ACL rules in ACL config file format',
  complexity: 'O(N). Where N is the number of configured users.',
  handler: aclListCommand,
};

/** ACL USERS */
function aclUsersCommand(c: Client): void {
  const users = c.server.acl.allUsers();
  c.reply.arrayHeader(users.length);
  for (const user of users) c.reply.bulk(user.name);
}

export const aclUsersSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'users',
  arity: 2,
  flags: ADMIN_FLAGS,
  summary: 'List the username of all the configured ACL rules',
  complexity: 'O(N). Where N is the number of configured users.',
  handler: aclUsersCommand,
};

/** ACL WHOAMI */
function aclWhoamiCommand(c: Client): void {
  c.reply.bulk(c.user.name);
}

export const aclWhoamiSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'whoami',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  summary: 'Return the name of the user associated to the current connection',
  complexity: 'O(1)',
  handler: aclWhoamiCommand,
};

/** ACL LOAD: the users from the aclfile, all or nothing. */
function aclLoadCommand(c: Client): void {
  const filename = c.server.config.get('aclfile');
  if (filename === '') {
    c.reply.error(aclErrors.noAclFile);
    return;
  }
  const failure = c.server.acl.loadFile(filename, c);
  if (failure === null) c.reply.raw(shared.ok);
  else c.reply.error('ERR ' + failure);
}

export const aclLoadSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'load',
  arity: 2,
  flags: ADMIN_FLAGS,
  summary: 'Reload the ACLs from the configured ACL file',
  complexity: 'O(N). Where N is the number of configured users.',
  handler: aclLoadCommand,
};

/** ACL SAVE */
function aclSaveCommand(c: Client): void {
  const filename = c.server.config.get('aclfile');
  if (filename === '') {
    c.reply.error(aclErrors.noAclFile);
    return;
  }
  if (c.server.acl.saveFile(filename)) c.reply.raw(shared.ok);
  else c.reply.error(aclErrors.saveFailed);
}

export const aclSaveSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'save',
  arity: 2,
  flags: ADMIN_FLAGS,
  summary: 'Save the current ACL rules in the configured ACL file',
  complexity: 'O(N). Where N is the number of configured users.',
  handler: aclSaveCommand,
};

/** aclCatWithFlags: every command and subcommand in the category, modules excluded. */
function commandsInCategory(entries: Iterable<TableEntry>, mask: number, out: string[]): string[] {
  for (const entry of entries) {
    if (isModuleCommand(entry)) continue;
    if ((entry.aclCategories & mask) !== 0) out.push(entry.fullName);
    if (entry.subcommands !== null) commandsInCategory(entry.subcommands.values(), mask, out);
  }
  return out;
}

/** ACL CAT [category] */
function aclCatCommand(c: Client, argv: string[]): void {
  const r = c.reply;
  if (argv.length === 2) {
    r.arrayHeader(ACL_CATEGORIES.length);
    for (const name of ACL_CATEGORIES) r.bulk(name);
    return;
  }
  const mask = categoryFlag(argv[2]!);
  if (mask === 0) {
    r.error(aclUnknownCategory(argv[2]!));
    return;
  }
  const names = commandsInCategory(c.server.commands.entries(), mask, []);
  r.arrayHeader(names.length);
  for (const name of names) r.bulk(name);
}

export const aclCatSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'cat',
  arity: -2,
  flags: ['noscript', 'loading', 'stale'],
  summary: 'List the ACL categories or the commands inside a category',
  complexity: 'O(1) since the categories and commands are a fixed set.',
  syntax: '[categoryname]',
  handler: aclCatCommand,
};

const GENPASS_MAX_BITS = 4096;

/** ACL GENPASS [bits]: (bits + 3) / 4 random hex digits. */
function aclGenpassCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
    return;
  }
  let bits = 256;
  if (argv.length === 3) {
    const parsed = readInteger(c, argv[2]!);
    if (parsed === null) return;
    bits = parsed;
  }
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    c.reply.error(aclErrors.genpassBits);
    return;
  }
  const chars = Math.floor((bits + 3) / 4);
  c.reply.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
}

export const aclGenpassSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'genpass',
  arity: -2,
  flags: ['noscript', 'loading', 'stale'],
  summary: 'Generate a pseudorandom secure password to use for ACL users',
  complexity: 'O(1)',
  syntax: '[bits:integer]',
  handler: aclGenpassCommand,
};

/** ACL LOG [count | RESET] */
function aclLogCommand(c: Client, argv: string[]): void {
  const log = c.server.acl.log;
  let count = 10;
  if (argv.length > 3) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
    return;
  }
  if (argv.length === 3) {
    if (argv[2]!.toLowerCase() === 'reset') {
      log.reset();
      c.reply.raw(shared.ok);
      return;
    }
    const parsed = readInteger(c, argv[2]!);
    if (parsed === null) return;
    count = Math.max(parsed, 0);
  }
  const entries = log.newest(count);
  const r = c.reply;
  const now = c.server.clock.now();
  r.arrayHeader(entries.length);
  for (const entry of entries) {
    r.mapHeader(7);
    r.bulk('count');
    r.integer(entry.count);
    r.bulk('reason');
    r.bulk(AclLog.reasonName(entry.reason));
    r.bulk('context');
    r.bulk(entry.context);
    r.bulk('object');
    r.bulk(entry.object);
    r.bulk('username');
    r.bulk(entry.username);
    r.bulk('age-seconds');
    r.double((now - entry.time) / 1000);
    r.bulk('client-info');
    r.bulk(entry.clientInfo);
  }
}

export const aclLogSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'log',
  arity: -2,
  flags: ADMIN_FLAGS,
  summary: 'List latest events denied because of ACLs in place',
  complexity: 'O(N) with N being the number of entries shown.',
  syntax: '[count:integer | RESET]',
  handler: aclLogCommand,
};

/** lookupCommand(argv, argc): a container's subcommand when one is given, else the command itself. */
function lookupCall(c: Client, argv: readonly string[]): TableEntry | undefined {
  const top = c.server.commands.lookup(argv[0]!);
  if (top === undefined || top.subcommands === null || argv.length === 1) return top;
  return top.subcommands.get(argv[1]!.toLowerCase());
}

/** ACL DRYRUN username command [arg ...]: the verdict, without running the command or logging. */
function aclDryrunCommand(c: Client, argv: string[]): void {
  const user = c.server.acl.getUser(argv[2]!);
  if (user === undefined) {
    c.reply.error(aclUserNotFound(argv[2]!));
    return;
  }
  const call = argv.slice(3);
  const entry = lookupCall(c, call);
  if (entry === undefined) {
    c.reply.error(aclCommandNotFound(argv[3]!));
    return;
  }
  if (!arityMatches(entry.arity, call.length)) {
    c.reply.error(wrongArity(entry.fullName));
    return;
  }
  const verdict = c.server.acl.check(user, entry, call);
  if (verdict.result === ACL_OK) {
    c.reply.raw(shared.ok);
  } else if (verdict.result === ACL_DENIED_CMD) {
    c.reply.bulk(`This user has no permissions to run the '${entry.fullName}' command`);
  } else if (verdict.result === ACL_DENIED_KEY) {
    c.reply.bulk(`This user has no permissions to access the '${call[verdict.index]}' key`);
  } else {
    c.reply.bulk(`This user has no permissions to access the '${call[verdict.index]}' channel`);
  }
}

export const aclDryrunSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'dryrun',
  arity: -4,
  flags: ADMIN_FLAGS,
  summary: 'Returns whether the user can execute the given command without executing the command.',
  since: '7.0.0',
  complexity: 'O(1).',
  syntax: 'username command [arg [arg ...]]',
  handler: aclDryrunCommand,
};

const ACL_HELP: readonly string[] = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

/** ACL HELP */
function aclHelpCommand(c: Client): void {
  replyHelp(c, 'ACL', ACL_HELP);
}

export const aclHelpSpec: CommandSpec = {
  ...aclSubcommand,
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  summary: 'Show helpful text about the different subcommands',
  complexity: 'O(1)',
  handler: aclHelpCommand,
};

/** ACL <subcommand>: a container, dispatch picks the subcommand. */
export const aclSpec: CommandSpec = {
  name: 'acl',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'A container for Access List Control commands ',
  since: '6.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    aclCatSpec,
    aclDeluserSpec,
    aclDryrunSpec,
    aclGenpassSpec,
    aclGetuserSpec,
    aclListSpec,
    aclLoadSpec,
    aclLogSpec,
    aclSaveSpec,
    aclSetuserSpec,
    aclUsersSpec,
    aclWhoamiSpec,
    aclHelpSpec,
  ],
};

export const aclCommands: readonly CommandSpec[] = [aclSpec];
