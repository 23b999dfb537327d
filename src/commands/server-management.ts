/**
 * Server management: DEBUG, TIME, SHUTDOWN and MONITOR, and the server
 * group's list, which takes INFO from info.ts, CONFIG from
 * config-command.ts and SAVE, BGSAVE, LASTSAVE from persistence.ts. Their replies and error texts are Redis 7.0.15's;
 * where reddish differs (DEBUG's short subcommand list, SHUTDOWN SAVE
 * without persistence) the handler says why.
 */
import { errors, unknownSubcommandOrArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { strtod } from '../text/numbers.js';
import { configSpec } from './config-command.js';
import { debugDigest, debugDigestValue, debugObject } from './debug-persistence.js';
import { replyHelp } from './help-reply.js';
import { infoSpec } from './info.js';
import { debugReload, persistenceCommands } from './persistence.js';
import type { Client, CommandSpec } from './types.js';

/** A sleeping thread's wait target: nobody ever notifies it, so Atomics.wait just times out. */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * DEBUG SLEEP seconds: blocks the whole server, as Redis's nanosleep does,
 * so every other client waits too. The seconds are read like C's strtod
 * ("abc" is 0, "0x1p1" is 2); a negative or non-finite time returns at once,
 * as nanosleep rejects it.
 */
function debugSleep(c: Client, argv: string[]): void {
  const seconds = strtod(argv[2]!).value;
  const micros = Math.trunc(seconds * 1e6);
  if (Number.isFinite(seconds) && micros > 0) Atomics.wait(sleepCell, 0, 0, micros / 1000);
  c.reply.raw(shared.ok);
}

/** DEBUG SET-ACTIVE-EXPIRE 0|1: the flag is C's atoi of the argument, so any non-zero number enables. */
function debugSetActiveExpire(c: Client, argv: string[]): void {
  c.server.activeExpiry.enabled = atoi(argv[2]!) !== 0;
  c.reply.raw(shared.ok);
}

/** C's atoi: optional space and sign, then digits up to the first non-digit; 0 when there are none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

const DEBUG_HELP: readonly string[] = [
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'RELOAD [option ...]',
  '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.',
  '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload',
  '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an',
  '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB',
  '      file to the database.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
];

/**
 * DEBUG subcommand [arg ...]
 *
 * Redis declares DEBUG as a plain command and parses its subcommands
 * itself, so an unknown one and a wrong argument count share one error.
 * reddish has the subcommands test suites use (DIGEST, DIGEST-VALUE and
 * OBJECT in debug-persistence.ts); Redis's others inspect its C internals.
 *
 * `enable-debug-command` (default `no`, as in Redis) is checked by dispatch
 * before authentication, as processCommand checks CMD_PROTECTED commands:
 * `no` refuses everyone, `local` everyone but loopback clients.
 */
function debugCommand(c: Client, argv: string[]): void {
  const sub = argv[1]!.toLowerCase();
  if (sub === 'sleep' && argv.length === 3) debugSleep(c, argv);
  else if (sub === 'set-active-expire' && argv.length === 3) debugSetActiveExpire(c, argv);
  else if (sub === 'digest' && argv.length === 2) debugDigest(c);
  else if (sub === 'digest-value') debugDigestValue(c, argv);
  else if (sub === 'object' && argv.length === 3) debugObject(c, argv);
  else if (sub === 'reload') debugReload(c, argv);
  else if (sub === 'help' && argv.length === 2) replyHelp(c, 'DEBUG', DEBUG_HELP);
  else {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, argv[0]!));
  }
}

export const debugSpec: CommandSpec = {
  name: 'debug',
  arity: -2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'A container for debugging commands',
  since: '1.0.0',
  complexity: 'Depends on subcommand.',
  handler: debugCommand,
  protectedBy: 'enable-debug-command',
};

/** TIME: the server clock as two bulk strings, seconds and microseconds. */
function timeCommand(c: Client): void {
  const micros = Math.floor(c.server.clock.now() * 1000);
  c.reply.arrayHeader(2);
  c.reply.bulk(String(Math.floor(micros / 1e6)));
  c.reply.bulk(String(micros % 1e6));
}

export const timeSpec: CommandSpec = {
  name: 'time',
  arity: 1,
  flags: ['loading', 'stale', 'fast'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Return the current server time',
  since: '2.6.0',
  complexity: 'O(1)',
  handler: timeCommand,
};

/**
 * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
 *
 * On success nothing is replied: the server writes every client's pending
 * replies, closes the connections and emits 'shutdown' (the CLI exits on
 * it).
 *
 * The final save (finishShutdown): with save points set unless NOSAVE, or
 * when SAVE is given; a failed save aborts the shutdown unless FORCE.
 * Shutdown never waits (there are no replicas to catch up), so NOW
 * changes nothing and ABORT never finds a shutdown in progress.
 */
function shutdownCommand(c: Client, argv: string[]): void {
  let save = false;
  let noSave = false;
  let force = false;
  let abort = false;
  let now = false;
  for (let i = 1; i < argv.length; i++) {
    const option = argv[i]!.toLowerCase();
    if (option === 'nosave') noSave = true;
    else if (option === 'save') save = true;
    else if (option === 'now') now = true;
    else if (option === 'force') force = true;
    else if (option === 'abort') abort = true;
    else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  if ((abort && (save || noSave || now || force)) || (save && noSave)) {
    c.reply.error(errors.syntax);
    return;
  }
  if (abort) {
    c.reply.error(errors.noShutdownInProgress);
    return;
  }
  // A busy script stops only for SHUTDOWN NOSAVE, which abandons it.
  const scripting = c.server.scripting;
  if (scripting.busy) {
    if (!noSave) {
      c.reply.error(scripting.busyError);
      return;
    }
    scripting.abandon();
  }
  const log = c.server.logger;
  log.warn({ client: c.id }, 'User requested shutdown...');
  if (!c.server.snapshots.saveForShutdown(save, noSave, force)) {
    log.warn('Errors trying to shut down the server. Check the logs for more information.');
    c.reply.error(errors.shutdownFailed);
    return;
  }
  // Nothing after SHUTDOWN in the caller's pipeline runs, as in Redis.
  c.closeAfterReply = true;
  c.server.shutdown();
}

export const shutdownSpec: CommandSpec = {
  name: 'shutdown',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Synchronously save the dataset to disk and then shut down the server',
  since: '1.0.0',
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  syntax: '[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]',
  handler: shutdownCommand,
};

/**
 * MONITOR: from now on the client receives every command the server runs,
 * as server/monitor-feed.ts formats it, until RESET or it disconnects.
 * Like Redis, which marks a monitor as a replica, the client may still run
 * commands that do not touch the keyspace (dispatch refuses the others),
 * and CLIENT PAUSE does not hold it. A second MONITOR gets no reply at all.
 */
function monitorCommand(c: Client): void {
  // A client that expects one reply per command (inside EXEC, no socket) can't stream.
  if (c.inExec || c.socketless) {
    c.reply.error(errors.monitorDenyBlocking);
    return;
  }
  const monitors = c.server.monitors;
  if (monitors.has(c)) return;
  monitors.add(c);
  c.reply.raw(shared.ok);
}

export const monitorSpec: CommandSpec = {
  name: 'monitor',
  arity: 1,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Listen for all requests received by the server in real time',
  since: '1.0.0',
  handler: monitorCommand,
};

export const serverCommands: readonly CommandSpec[] = [
  infoSpec,
  configSpec,
  debugSpec,
  timeSpec,
  ...persistenceCommands,
  shutdownSpec,
  monitorSpec,
];
