/**
 * CONFIG GET | SET | RESETSTAT | REWRITE | HELP (config.c's configCommand).
 * CONFIG is a container: dispatch resolves the subcommand, checks its
 * arity and answers unknown ones with "Try CONFIG HELP.". The parameters
 * themselves are declared in src/config.ts, and the config file's
 * rewriting is src/config-rewrite.ts's.
 */
import { findParam, strerror } from '../config.js';
import { rewriteConfigFile } from '../config-rewrite.js';
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { replyHelp } from './help-reply.js';
import { resetInfoMetrics } from './info.js';
import type { Client, CommandSpec } from './types.js';

/** CONFIG GET parameter [parameter ...]: a map of every matching name to its value. */
function configGetCommand(c: Client, argv: string[]): void {
  const pairs = c.server.config.matching(argv.slice(2));
  c.reply.mapHeader(pairs.length);
  for (const [name, value] of pairs) {
    c.reply.bulk(name);
    c.reply.bulk(value);
  }
}

export const configGetSpec: CommandSpec = {
  name: 'get',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Get the values of configuration parameters',
  since: '2.0.0',
  complexity: 'O(N) when N is the number of configuration parameters provided',
  syntax: 'parameter [parameter ...]',
  handler: configGetCommand,
};

/**
 * CONFIG SET parameter value [parameter value ...]: all pairs apply, or none.
 * Protected parameters (dir, dbfilename) need enable-protected-configs, which
 * may allow loopback clients only.
 */
function configSetCommand(c: Client, argv: string[]): void {
  // Redis 7.0 answers an unpaired parameter with a syntax error, not an arity error.
  if (argv.length % 2 !== 0) {
    c.reply.error(errors.syntax);
    return;
  }
  const pairs: Array<[string, string]> = [];
  for (let i = 2; i < argv.length; i += 2) {
    pairs.push([argv[i]!, argv[i + 1]!]);
    // Every sensitive value is hidden, even when the call fails on another pair.
    if (findParam(argv[i]!)?.sensitive === true) c.server.monitors.redactArgument(argv, i + 1);
  }
  const failure = c.server.config.setMany(pairs, c);
  if (failure !== null) {
    c.reply.error(failure);
    return;
  }
  c.reply.raw(shared.ok);
}

export const configSetSpec: CommandSpec = {
  name: 'set',
  arity: -4,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Set configuration parameters to the given values',
  since: '2.0.0',
  complexity: 'O(N) when N is the number of configuration parameters provided',
  syntax: 'parameter value [parameter value ...]',
  handler: configSetCommand,
};

/**
 * CONFIG RESETSTAT: resetServerStats, resetCommandTableStats and
 * resetErrorTableStats: every counter INFO stats, commandstats and
 * errorstats report starts again from zero.
 */
function configResetstatCommand(c: Client): void {
  const server = c.server;
  server.stats.reset();
  for (const entry of server.commands.allEntries()) {
    const s = entry.stats;
    s.calls = 0;
    s.usec = 0;
    s.rejectedCalls = 0;
    s.failedCalls = 0;
    s.histogram = null;
  }
  const keyspace = server.keyspace.stats;
  keyspace.keyspaceHits = 0;
  keyspace.keyspaceMisses = 0;
  keyspace.expiredKeys = 0;
  keyspace.activeExpireExamined = 0;
  resetInfoMetrics(server);
  c.reply.raw(shared.ok);
}

export const configResetstatSpec: CommandSpec = {
  name: 'resetstat',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Reset the stats returned by INFO',
  since: '2.0.0',
  complexity: 'O(1)',
  handler: configResetstatCommand,
};

/**
 * CONFIG REWRITE: rewrites the file the server was started with so that
 * it holds the running configuration, keeping its comments and layout.
 */
function configRewriteCommand(c: Client): void {
  const file = c.server.configFile;
  if (file === '') {
    c.reply.error('ERR The server is running without a config file');
    return;
  }
  try {
    // Users are kept in the aclfile when there is one, else in the config file.
    const acl = c.server.acl;
    const userLines = c.server.config.get('aclfile') !== '' ? null : acl.allUsers().map((user) => `user ${user.name} ${user.describe()}`);
    rewriteConfigFile(file, c.server.config, c.id, userLines);
  } catch (err) {
    c.server.logger.warn({ err }, 'CONFIG REWRITE failed');
    c.reply.error('ERR Rewriting config file: ' + strerror(err));
    return;
  }
  c.server.logger.info('CONFIG REWRITE executed with success.');
  c.reply.raw(shared.ok);
}

export const configRewriteSpec: CommandSpec = {
  name: 'rewrite',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Rewrite the configuration file with the in memory configuration',
  since: '2.8.0',
  complexity: 'O(1)',
  handler: configRewriteCommand,
};

const CONFIG_HELP: readonly string[] = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

/** CONFIG HELP */
function configHelpCommand(c: Client): void {
  replyHelp(c, 'CONFIG', CONFIG_HELP);
}

export const configHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Show helpful text about the different subcommands',
  since: '5.0.0',
  complexity: 'O(1)',
  handler: configHelpCommand,
};

/** CONFIG <subcommand> [<arg> [value] [opt] ...]: a container, dispatch picks the subcommand. */
export const configSpec: CommandSpec = {
  name: 'config',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'A container for server configuration commands',
  since: '2.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [configGetSpec, configSetSpec, configResetstatSpec, configRewriteSpec, configHelpSpec],
};
