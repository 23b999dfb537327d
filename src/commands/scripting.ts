/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (Redis's eval.c). The
 * scripts, the engine and the checks around a run live in
 * src/scripting/scripting.ts; these handlers parse the calls and reply.
 */
import { shared } from '../protocol/reply.js';
import { scriptErrors } from '../errors.js';
import { readInteger } from './parse.js';
import { replyHelp } from './help-reply.js';
import { numkeysPositions } from './zset-keys.js';
import type { Client, CommandSpec } from './types.js';

const SHA1_LENGTH = 40;

/**
 * numkeys (argv[2]) of EVAL and FCALL: the key count, or null once the
 * error is replied. `notInteger` is the text for a non-number (FCALL has
 * its own); the range checks are the same for both.
 */
export function readNumkeys(c: Client, argv: readonly string[], notInteger?: string): number | null {
  const numkeys = notInteger === undefined ? readInteger(c, argv[2]!) : readInteger(c, argv[2]!, notInteger);
  if (numkeys === null) return null;
  if (numkeys > argv.length - 3) {
    c.reply.error(scriptErrors.numkeysTooLarge);
    return null;
  }
  if (numkeys < 0) {
    c.reply.error(scriptErrors.numkeysNegative);
    return null;
  }
  return numkeys;
}

/**
 * evalGenericCommand: numkeys, the script (by body or SHA1), the flag
 * checks, then the run. MONITOR sees the EVAL before the script's own
 * commands, so it is fed here (the command is skip_monitor).
 */
function evalGeneric(c: Client, argv: string[], bySha: boolean, readOnlyCommand: boolean): void {
  const server = c.server;
  if (server.monitors.size !== 0) server.monitors.feed(c, argv);
  const numkeys = readNumkeys(c, argv);
  if (numkeys === null) return;
  const scripting = server.scripting;
  let script;
  if (bySha) {
    // A SHA1 of the wrong length cannot match; the match itself ignores case.
    const sha = argv[1]!;
    script = sha.length === SHA1_LENGTH ? (scripting.lookup(sha) ?? scripting.lookup(sha.toLowerCase())) : undefined;
    if (script === undefined) {
      c.reply.error(scriptErrors.noScript);
      return;
    }
  } else {
    script = scripting.load(argv[1]!);
    if (typeof script === 'string') {
      c.reply.error(script);
      return;
    }
  }
  const refusal = scripting.refusal(script, readOnlyCommand);
  if (refusal !== null) {
    c.reply.error(refusal);
    return;
  }
  scripting.execute(c, argv, script, 3 + numkeys, readOnlyCommand);
}

function evalCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, false, false);
}

function evalshaCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, true, false);
}

function evalRoCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, false, true);
}

function evalshaRoCommand(c: Client, argv: string[]): void {
  evalGeneric(c, argv, true, true);
}

const evalShared = {
  arity: -3,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'scripting',
  since: '2.6.0',
  complexity: 'Depends on the script that is executed.',
  keys: (argv: readonly string[]) => numkeysPositions(argv, 2),
} as const;

export const evalSpec: CommandSpec = {
  ...evalShared,
  name: 'eval',
  flags: ['noscript', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'stale'],
  keyFlags: ['RW', 'access', 'update'],
  summary: 'Execute a Lua script server side',
  syntax: 'script numkeys:integer [key [key ...]] [arg [arg ...]]',
  handler: evalCommand,
};

export const evalshaSpec: CommandSpec = {
  ...evalShared,
  name: 'evalsha',
  flags: ['noscript', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'stale'],
  keyFlags: ['RW', 'access', 'update'],
  summary: 'Execute a Lua script server side',
  syntax: 'sha1 numkeys:integer [key [key ...]] [arg [arg ...]]',
  handler: evalshaCommand,
};

export const evalRoSpec: CommandSpec = {
  ...evalShared,
  name: 'eval_ro',
  flags: ['noscript', 'skip_monitor', 'no_mandatory_keys', 'stale', 'readonly'],
  keyFlags: ['RO', 'access'],
  summary: 'Execute a read-only Lua script server side',
  since: '7.0.0',
  syntax: 'script numkeys:integer [key [key ...]] [arg [arg ...]]',
  handler: evalRoCommand,
};

export const evalshaRoSpec: CommandSpec = {
  ...evalShared,
  name: 'evalsha_ro',
  flags: ['noscript', 'skip_monitor', 'no_mandatory_keys', 'stale', 'readonly'],
  keyFlags: ['RO', 'access'],
  summary: 'Execute a read-only Lua script server side',
  since: '7.0.0',
  syntax: 'sha1 numkeys:integer [key [key ...]] [arg [arg ...]]',
  handler: evalshaRoCommand,
};

// ---- SCRIPT ----

/** SCRIPT FLUSH [ASYNC|SYNC]: both modes free at once here; the difference is only how Redis frees memory. */
function scriptFlushCommand(c: Client, argv: string[]): void {
  if (argv.length === 3) {
    const mode = argv[2]!.toLowerCase();
    if (mode !== 'sync' && mode !== 'async') {
      c.reply.error(scriptErrors.flushOption);
      return;
    }
  } else if (argv.length !== 2) {
    c.reply.error(scriptErrors.flushOption);
    return;
  }
  c.server.scripting.flush();
  c.reply.raw(shared.ok);
}

/** SCRIPT EXISTS sha1 [sha1 ...]: 1 or 0 each; the script cache compares SHA1s without case. */
function scriptExistsCommand(c: Client, argv: string[]): void {
  const scripting = c.server.scripting;
  c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.integer(scripting.lookup(argv[i]!.toLowerCase()) === undefined ? 0 : 1);
}

/** SCRIPT LOAD script: its SHA1, compiled and cached, or the compile error. */
function scriptLoadCommand(c: Client, argv: string[]): void {
  const script = c.server.scripting.load(argv[2]!);
  if (typeof script === 'string') c.reply.error(script);
  else c.reply.bulk(script.sha);
}

/** SCRIPT KILL: stops a busy EVAL script that has not written (scriptKill). */
function scriptKillCommand(c: Client): void {
  const refusal = c.server.scripting.kill(true);
  if (refusal === null) c.reply.raw(shared.ok);
  else c.reply.error(refusal);
}

/** SCRIPT DEBUG NO; YES and SYNC would need Redis's Lua debugger, which reddish does not have. */
function scriptDebugCommand(c: Client, argv: string[]): void {
  if (!c.reply.isEmpty) {
    c.reply.error(scriptErrors.debugInPipeline);
    return;
  }
  const mode = argv[2]!.toLowerCase();
  if (mode === 'no') c.reply.raw(shared.ok);
  else if (mode === 'yes' || mode === 'sync') c.reply.error(scriptErrors.noDebugger);
  else c.reply.error(scriptErrors.debugMode);
}

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

function scriptHelpCommand(c: Client): void {
  replyHelp(c, 'SCRIPT', SCRIPT_HELP);
}

const scriptSubcommand = {
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'scripting',
} as const;

export const scriptSpec: CommandSpec = {
  name: 'script',
  arity: -2,
  flags: [],
  ...scriptSubcommand,
  summary: 'A container for Lua scripts management commands',
  since: '2.6.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    {
      ...scriptSubcommand,
      name: 'debug',
      arity: 3,
      flags: ['noscript'],
      summary: 'Set the debug mode for executed scripts.',
      since: '3.2.0',
      complexity: 'O(1)',
      syntax: '(YES | SYNC | NO)',
      handler: scriptDebugCommand,
    },
    {
      ...scriptSubcommand,
      name: 'exists',
      arity: -3,
      flags: ['noscript'],
      summary: 'Check existence of scripts in the script cache.',
      since: '2.6.0',
      complexity: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).',
      syntax: 'sha1 [sha1 ...]',
      handler: scriptExistsCommand,
    },
    {
      ...scriptSubcommand,
      name: 'flush',
      arity: -2,
      flags: ['noscript'],
      summary: 'Remove all the scripts from the script cache.',
      since: '2.6.0',
      complexity: 'O(N) with N being the number of scripts in cache',
      syntax: '[ASYNC | SYNC]',
      handler: scriptFlushCommand,
    },
    {
      ...scriptSubcommand,
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      summary: 'Show helpful text about the different subcommands',
      since: '5.0.0',
      complexity: 'O(1)',
      handler: scriptHelpCommand,
    },
    {
      ...scriptSubcommand,
      name: 'kill',
      arity: 2,
      flags: ['noscript', 'allow_busy'],
      summary: 'Kill the script currently in execution.',
      since: '2.6.0',
      complexity: 'O(1)',
      handler: scriptKillCommand,
    },
    {
      ...scriptSubcommand,
      name: 'load',
      arity: 3,
      flags: ['noscript', 'stale'],
      summary: 'Load the specified Lua script into the script cache.',
      since: '2.6.0',
      complexity: 'O(N) with N being the length in bytes of the script body.',
      syntax: 'script',
      handler: scriptLoadCommand,
    },
  ],
};

export const scriptingCommands: readonly CommandSpec[] = [evalSpec, evalshaSpec, evalRoSpec, evalshaRoSpec, scriptSpec];
