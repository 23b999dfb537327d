/**
 * FCALL, FCALL_RO and FUNCTION (Redis 7.0's functions.c). The libraries
 * live in src/scripting/functions.ts and runs go through the same
 * Scripting service as EVAL's; these handlers parse the calls and reply.
 */
import { shared } from '../protocol/reply.js';
import { functionErrors, scriptErrors, unknownSubcommandOrArity } from '../errors.js';
import { stringMatch } from '../text/glob.js';
import { replyHelp } from './help-reply.js';
import { readNumkeys } from './scripting.js';
import { numkeysPositions } from './zset-keys.js';
import type { LibraryFunction } from '../scripting/functions.js';
import { SCRIPT_FLAG_NAMES } from '../scripting/scripting.js';
import type { Client, CommandSpec } from './types.js';

/**
 * fcallCommandGeneric. MONITOR sees the FCALL before the function's own
 * commands, so it is fed here (the command is skip_monitor).
 */
function fcallGeneric(c: Client, argv: string[], readOnlyCommand: boolean): void {
  const server = c.server;
  if (server.monitors.size !== 0) server.monitors.feed(c, argv);
  const scripting = server.scripting;
  const fn = scripting.functions.lookup(argv[1]!);
  if (fn === undefined) {
    c.reply.error(functionErrors.functionNotFound);
    return;
  }
  // getLongLongFromObject, with FCALL's own wording for a bad number.
  const numkeys = readNumkeys(c, argv, functionErrors.badNumkeys);
  if (numkeys === null) return;
  const refusal = scripting.refusal(fn, readOnlyCommand);
  if (refusal !== null) {
    c.reply.error(refusal);
    return;
  }
  scripting.executeFunction(c, argv, fn, 3 + numkeys, readOnlyCommand);
}

function fcallCommand(c: Client, argv: string[]): void {
  fcallGeneric(c, argv, false);
}

function fcallRoCommand(c: Client, argv: string[]): void {
  fcallGeneric(c, argv, true);
}

const fcallShared = {
  arity: -3,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'scripting',
  since: '7.0.0',
  complexity: 'Depends on the function that is executed.',
  syntax: 'function numkeys:integer [key [key ...]] [arg [arg ...]]',
  keys: (argv: readonly string[]) => numkeysPositions(argv, 2),
} as const;

export const fcallSpec: CommandSpec = {
  ...fcallShared,
  name: 'fcall',
  flags: ['noscript', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'stale'],
  keyFlags: ['RW', 'access', 'update'],
  summary: 'Invoke a function',
  handler: fcallCommand,
};

export const fcallRoSpec: CommandSpec = {
  ...fcallShared,
  name: 'fcall_ro',
  flags: ['noscript', 'skip_monitor', 'no_mandatory_keys', 'stale', 'readonly'],
  keyFlags: ['RO', 'access'],
  summary: 'Invoke a read-only function',
  handler: fcallRoCommand,
};

// ---- FUNCTION ----

/** FUNCTION LOAD [REPLACE] code: the library's name, or why it did not load. */
function functionLoadCommand(c: Client, argv: string[]): void {
  let replace = false;
  let at = 2;
  while (at < argv.length - 1) {
    const option = argv[at++]!;
    if (option.toLowerCase() === 'replace') {
      replace = true;
      continue;
    }
    c.reply.error(functionErrors.unknownLoadOption(option));
    return;
  }
  const functions = c.server.scripting.functions;
  const created = functions.create(argv[at]!, replace, functions.current, LOAD_TIMEOUT_MS);
  if (typeof created !== 'string') {
    c.reply.error(created.error);
    return;
  }
  c.server.events.dirty++;
  c.reply.bulk(created);
}

/** FUNCTION LOAD's time limit (LOAD_TIMEOUT_MS): loading code should only register functions. */
const LOAD_TIMEOUT_MS = 500;

/** FUNCTION DELETE library-name. */
function functionDeleteCommand(c: Client, argv: string[]): void {
  if (!c.server.scripting.functions.delete(argv[2]!)) {
    c.reply.error(functionErrors.libraryNotFound);
    return;
  }
  c.server.events.dirty++;
  c.reply.raw(shared.ok);
}

/** FUNCTION FLUSH [ASYNC|SYNC]: both free at once here; the modes differ only in how Redis frees memory. */
function functionFlushCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
    return;
  }
  if (argv.length === 3) {
    const mode = argv[2]!.toLowerCase();
    if (mode !== 'sync' && mode !== 'async') {
      c.reply.error(functionErrors.flushOption);
      return;
    }
  }
  c.server.scripting.functions.flush();
  c.server.events.dirty++;
  c.reply.raw(shared.ok);
}

/** The flags of a function, as the set FUNCTION LIST shows, in Redis's order. */
function replyFlags(c: Client, fn: LibraryFunction): void {
  const names = SCRIPT_FLAG_NAMES.filter(([, flag]) => (fn.flags & flag) !== 0);
  c.reply.setHeader(names.length);
  for (const [name] of names) c.reply.simple(name);
}

/** FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]. */
function functionListCommand(c: Client, argv: string[]): void {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    const lower = arg.toLowerCase();
    if (!withCode && lower === 'withcode') {
      withCode = true;
      continue;
    }
    if (pattern === null && lower === 'libraryname') {
      if (i >= argv.length - 1) {
        c.reply.error(functionErrors.listNameMissing);
        return;
      }
      pattern = argv[++i]!;
      continue;
    }
    c.reply.error(functionErrors.listUnknownArgument(arg));
    return;
  }
  const reply = c.reply;
  const libraries = [...c.server.scripting.functions.current.libraries.values()].filter(
    (library) => pattern === null || stringMatch(pattern, library.name, true),
  );
  reply.arrayHeader(libraries.length);
  for (const library of libraries) {
    reply.mapHeader(withCode ? 4 : 3);
    reply.bulk('library_name');
    reply.bulk(library.name);
    reply.bulk('engine');
    reply.bulk(library.engine);
    reply.bulk('functions');
    reply.arrayHeader(library.functions.size);
    for (const fn of library.functions.values()) {
      reply.mapHeader(3);
      reply.bulk('name');
      reply.bulk(fn.name);
      reply.bulk('description');
      if (fn.description === null) reply.nullBulk();
      else reply.bulk(fn.description);
      reply.bulk('flags');
      replyFlags(c, fn);
    }
    if (withCode) {
      reply.bulk('library_code');
      reply.bulk(library.code);
    }
  }
}

/** FUNCTION DUMP: every library, in Redis's payload format. */
function functionDumpCommand(c: Client): void {
  c.reply.bulk(c.server.scripting.functions.dump().toString('latin1'));
}

/** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]. */
function functionRestoreCommand(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
    return;
  }
  let policy: 'append' | 'replace' | 'flush' = 'append';
  if (argv.length === 4) {
    const given = argv[3]!.toLowerCase();
    if (given !== 'append' && given !== 'replace' && given !== 'flush') {
      c.reply.error(functionErrors.restorePolicy);
      return;
    }
    policy = given;
  }
  const error = c.server.scripting.functions.restore(Buffer.from(argv[2]!, 'latin1'), policy);
  if (error !== null) {
    c.reply.error(error);
    return;
  }
  c.server.events.dirty++;
  c.reply.raw(shared.ok);
}

/**
 * FUNCTION STATS: the busy function (its name, its caller's command and
 * how long it has run) and each engine's counts. While an EVAL script is
 * busy it answers -BUSY, as Redis does.
 */
function functionStatsCommand(c: Client): void {
  const reply = c.reply;
  const scripting = c.server.scripting;
  const running = scripting.runningScript();
  if (running !== null && running.evalMode) {
    reply.error(scriptErrors.busyEval);
    return;
  }
  const functions = scripting.functions.current;
  reply.mapHeader(2);
  reply.bulk('running_script');
  if (running === null) {
    reply.nullBulk();
  } else {
    reply.mapHeader(3);
    reply.bulk('name');
    reply.bulk(running.name);
    reply.bulk('command');
    reply.bulkArray(running.argv);
    reply.bulk('duration_ms');
    reply.integer(running.durationMs);
  }
  reply.bulk('engines');
  reply.mapHeader(1);
  reply.bulk('LUA');
  reply.mapHeader(2);
  reply.bulk('libraries_count');
  reply.integer(functions.libraries.size);
  reply.bulk('functions_count');
  reply.integer(functions.functionsCount);
}

/** FUNCTION KILL: stops a busy function that has not written (scriptKill). */
function functionKillCommand(c: Client): void {
  const refusal = c.server.scripting.kill(false);
  if (refusal === null) c.reply.raw(shared.ok);
  else c.reply.error(refusal);
}

const FUNCTION_HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

function functionHelpCommand(c: Client): void {
  replyHelp(c, 'FUNCTION', FUNCTION_HELP);
}

const functionSubcommand = {
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'scripting',
  since: '7.0.0',
} as const;

export const functionSpec: CommandSpec = {
  ...functionSubcommand,
  name: 'function',
  arity: -2,
  flags: [],
  summary: 'A container for function commands',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      ...functionSubcommand,
      name: 'delete',
      arity: 3,
      flags: ['noscript', 'write'],
      summary: 'Delete a function by name',
      complexity: 'O(1)',
      syntax: 'library-name',
      handler: functionDeleteCommand,
    },
    {
      ...functionSubcommand,
      name: 'dump',
      arity: 2,
      flags: ['noscript'],
      summary: 'Dump all functions into a serialized binary payload',
      complexity: 'O(N) where N is the number of functions',
      handler: functionDumpCommand,
    },
    {
      ...functionSubcommand,
      name: 'flush',
      arity: -2,
      flags: ['noscript', 'write'],
      summary: 'Deleting all functions',
      complexity: 'O(N) where N is the number of functions deleted',
      syntax: '[ASYNC | SYNC]',
      handler: functionFlushCommand,
    },
    {
      ...functionSubcommand,
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      summary: 'Show helpful text about the different subcommands',
      complexity: 'O(1)',
      handler: functionHelpCommand,
    },
    {
      ...functionSubcommand,
      name: 'kill',
      arity: 2,
      flags: ['noscript', 'allow_busy'],
      summary: 'Kill the function currently in execution.',
      complexity: 'O(1)',
      handler: functionKillCommand,
    },
    {
      ...functionSubcommand,
      name: 'list',
      arity: -2,
      flags: ['noscript'],
      summary: 'List information about all the functions',
      complexity: 'O(N) where N is the number of functions',
      syntax: '[LIBRARYNAME library-name-pattern] [WITHCODE]',
      handler: functionListCommand,
    },
    {
      ...functionSubcommand,
      name: 'load',
      arity: -3,
      flags: ['noscript', 'write', 'denyoom'],
      summary: 'Create a function with the given arguments (name, code, description)',
      complexity: 'O(1) (considering compilation time is redundant)',
      syntax: '[REPLACE] function-code',
      handler: functionLoadCommand,
    },
    {
      ...functionSubcommand,
      name: 'restore',
      arity: -3,
      flags: ['noscript', 'write', 'denyoom'],
      summary: 'Restore all the functions on the given payload',
      complexity: 'O(N) where N is the number of functions on the payload',
      syntax: 'serialized-value [FLUSH | APPEND | REPLACE]',
      handler: functionRestoreCommand,
    },
    {
      ...functionSubcommand,
      name: 'stats',
      arity: 2,
      flags: ['noscript', 'allow_busy'],
      summary: 'Return information about the function currently running (name, description, duration)',
      complexity: 'O(1)',
      handler: functionStatsCommand,
    },
  ],
};

export const functionCommands: readonly CommandSpec[] = [fcallSpec, fcallRoSpec, functionSpec];
