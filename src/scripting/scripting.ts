/**
 * EVAL's scripts and their runs (Redis's eval.c and script.c): the cache
 * of scripts by SHA1, the shebang flags of 7.0, and the checks
 * scriptPrepareForRun and scriptCall make before a script, and each of its
 * redis.call commands, may run.
 *
 * A script's commands run on one client with no socket (Redis's
 * lua_client) through the same call() as a socket's, inside the EVAL's own
 * call(): their statistics, keyspace events, MONITOR lines ("[0 lua]") and
 * propagation are those of ordinary commands, and the EVAL is one
 * propagation unit (its writes wrapped in MULTI/EXEC, the EVAL itself not
 * propagated, as Redis 7.0 replicates scripts by their effects).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { arityMatches, type TableEntry } from '../commands/table.js';
import { batchTiming, call, diskErrorRefusal, recordResumedCallEnd } from '../commands/dispatch.js';
import type { Client, ServerContext } from '../commands/types.js';
import { errors, internalError, scriptErrors } from '../errors.js';
import { splitInlineArgs } from '../protocol/inline.js';
import { FakeClient } from '../server/fake-client.js';
import { FunctionLibraries, type LibraryFunction } from './functions.js';
import { LuaEngine, type ScriptHost, type ScriptOutcome } from './lua-engine.js';

/** The shebang's flags (Redis's SCRIPT_FLAG_*). */
export const ScriptFlag = {
  noWrites: 1 << 0,
  allowOom: 1 << 1,
  allowStale: 1 << 2,
  noCluster: 1 << 3,
  /** No shebang: a 6.x-style script, exempt from the flag checks. */
  evalCompatMode: 1 << 4,
  allowCrossSlot: 1 << 5,
} as const;

/** scripts_flags_def: the flags a shebang or redis.register_function may name, in Redis's order (FUNCTION LIST's). */
export const SCRIPT_FLAG_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['no-writes', ScriptFlag.noWrites],
  ['allow-oom', ScriptFlag.allowOom],
  ['allow-stale', ScriptFlag.allowStale],
  ['no-cluster', ScriptFlag.noCluster],
  ['allow-cross-slot-keys', ScriptFlag.allowCrossSlot],
];

const SHEBANG_FLAG_NAMES: ReadonlyMap<string, number> = new Map(SCRIPT_FLAG_NAMES);

/** What a run needs of a script or a function: the engine's number for it, and its flags. */
export interface Runnable {
  /** The engine's number for the compiled function. */
  readonly id: number;
  /** ScriptFlag bits. */
  readonly flags: number;
}

export interface CachedScript extends Runnable {
  readonly sha: string;
  readonly body: string;
}

/** FUNCTION LOAD's time limit (LOAD_TIMEOUT_MS). */
const LOAD_TIMEOUT_MS = 500;

/** What a script run needs while its commands execute (Redis's scriptRunCtx). */
interface RunContext {
  caller: Client;
  /** The caller's EVAL or FCALL: its statistics, and FUNCTION STATS's `command`. */
  entry: TableEntry;
  argv: readonly string[];
  engine: LuaEngine;
  /** EVAL (KEYS and ARGV globals) rather than FCALL (SCRIPT_EVAL_MODE). */
  evalMode: boolean;
  /** The script's SHA1, or the function's name (run_ctx->funcname). */
  name: string;
  /** performance.now() when the run began; busy-reply-threshold counts from here. */
  startedAt: number;
  /** performance.now() when the caller's call() ended, the script having yielded; its statistics need the rest. */
  suspendedAt: number;
  readOnly: boolean;
  /** A write command ran: later failures cannot stop the script half way (SCRIPT_WRITE_DIRTY). */
  writeDirty: boolean;
  /** The allow-oom flag: maxmemory does not stop its writes (SCRIPT_ALLOW_OOM). */
  allowOom: boolean;
  /** SCRIPT KILL or FUNCTION KILL asked for the end of the script (SCRIPT_KILLED). */
  killed: boolean;
  /** redis.set_repl: what the script's writes propagate to. */
  replFlags: number;
}

/** evalExtractShebangFlags: the flags, and how many bytes of the body the shebang line takes. */
export function parseShebang(body: string): { flags: number; length: number } | string {
  if (!body.startsWith('#!')) return { flags: ScriptFlag.evalCompatMode, length: 0 };
  const end = body.indexOf('\n');
  if (end === -1) return scriptErrors.invalidShebang;
  const parts = splitInlineArgs(body.slice(0, end));
  if (parts === null || parts.length === 0) return scriptErrors.invalidEngine;
  if (parts[0] !== '#!lua') return scriptErrors.unexpectedEngine(parts[0]!);
  let flags = 0;
  for (const part of parts.slice(1)) {
    if (!part.startsWith('flags=')) return scriptErrors.unknownShebangOption(part);
    const names = part.slice(6);
    // sdssplitlen of an empty string gives no elements: `flags=` sets none.
    if (names.length === 0) continue;
    for (const name of names.split(',')) {
      const flag = SHEBANG_FLAG_NAMES.get(name);
      if (flag === undefined) return scriptErrors.unexpectedShebangFlag(name);
      flags |= flag;
    }
  }
  return { flags, length: end };
}

const PROPAGATE_ALL = 3;
/** EVAL's and FCALL's first key: after the command, the script or function, and numkeys. */
const FIRST_KEY = 3;

/** The SHA1 of a script body, in lowercase hex (Redis's sha1hex). */
export function sha1hex(text: string): string {
  return createHash('sha1').update(text, 'latin1').digest('hex');
}

export class Scripting {
  private engineInstance: LuaEngine | null = null;
  private functionsEngineInstance: LuaEngine | null = null;
  /** FUNCTION's libraries, in the functions engine (its own Lua state, as in Redis). */
  readonly functions: FunctionLibraries;
  /** While a library loads: when its time is up (ms since the epoch), or Infinity. */
  private loadDeadline: number | null = null;
  private readonly scripts = new Map<string, CachedScript>();
  private nextId = 1;
  /** Bytes of the cached scripts' SHA1s and bodies (used_memory_scripts_eval). */
  private cacheBytes = 0;
  private run: RunContext | null = null;
  /** The one run context, reused: scripts never nest. */
  private readonly runContext: RunContext = {
    caller: null!,
    entry: null!,
    argv: [],
    engine: null!,
    evalMode: true,
    name: '',
    startedAt: 0,
    suspendedAt: 0,
    readOnly: false,
    writeDirty: false,
    allowOom: false,
    killed: false,
    replFlags: PROPAGATE_ALL,
  };
  /**
   * A script has run past busy-reply-threshold and has not ended (Redis's
   * SCRIPT_TIMEDOUT): it yields to the event loop between slices, other
   * clients get -BUSY for all but allow_busy commands, and SCRIPT KILL or
   * FUNCTION KILL may stop it.
   */
  busy = false;
  /** The -BUSY reply while busy: EVAL's names SCRIPT KILL, a function's FUNCTION KILL. */
  busyError: string = scriptErrors.busyEval;
  /** The server is going away (SHUTDOWN NOSAVE): a yielded script is never resumed. */
  private abandoned = false;
  private scriptClientInstance: FakeClient | null = null;

  constructor(private readonly server: ServerContext) {
    this.functions = new FunctionLibraries(() => this.functionsEngine, {
      startLoad: (timeoutMs) => {
        this.loadDeadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
      },
      endLoad: () => {
        this.loadDeadline = null;
      },
    });
  }

  /** Redis's lua_client, made on first use (the keyspace does not exist yet when this is built). MONITOR shows it as "[db lua]". */
  private get scriptClient(): FakeClient {
    if (this.scriptClientInstance === null) this.scriptClientInstance = new FakeClient(this.server, 0, 'lua');
    return this.scriptClientInstance;
  }

  /** The engine, started on first use: a server that never scripts does not pay for it. */
  get engine(): LuaEngine {
    if (this.engineInstance === null) this.engineInstance = new LuaEngine(this.host());
    return this.engineInstance;
  }

  /** The functions engine, started on first use like EVAL's. */
  get functionsEngine(): LuaEngine {
    if (this.functionsEngineInstance === null) this.functionsEngineInstance = new LuaEngine(this.host(), true);
    return this.functionsEngineInstance;
  }

  /** used_memory_vm_functions: the functions engine's Lua state (the engine starts if it had not). */
  get functionsLuaMemory(): number {
    return this.functionsEngine.usedMemory();
  }

  get cachedScripts(): number {
    return this.scripts.size;
  }

  get cachedScriptsMemory(): number {
    return this.cacheBytes;
  }

  /** used_memory_lua: what the Lua state has allocated (the engine starts if it had not). */
  get luaMemory(): number {
    return this.engine.usedMemory();
  }

  lookup(sha: string): CachedScript | undefined {
    return this.scripts.get(sha);
  }

  /**
   * luaCreateFunction: the cached script for `body`, compiled on first
   * sight; or the error reply (a bad shebang, a compile error).
   */
  load(body: string): CachedScript | string {
    const sha = sha1hex(body);
    const cached = this.scripts.get(sha);
    if (cached !== undefined) return cached;
    const shebang = parseShebang(body);
    if (typeof shebang === 'string') return shebang;
    const id = this.nextId++;
    const failure = this.engine.compile(id, sha, body, shebang.length);
    // The engine writes the error as RESP ("-ERR ...\r\n"); callers want its text.
    if (failure !== null) return failure.slice(1, -2);
    const script: CachedScript = { id, sha, body, flags: shebang.flags };
    this.scripts.set(sha, script);
    this.cacheBytes += sha.length + body.length;
    return script;
  }

  /** SCRIPT FLUSH: forget every script and start a fresh Lua state. */
  flush(): void {
    this.scripts.clear();
    this.cacheBytes = 0;
    this.engineInstance?.reset();
  }

  /**
   * The refusals of a script that declared flags, in Redis's order; null
   * when it may run. First processCommand's, since getCommandFlags gives
   * such a script `denyoom` unless it allows OOM or writes nothing, and
   * `write` unless it writes nothing: the plain OOM error, then the plain
   * MISCONF one. Then scriptPrepareForRun's, of which only the read-only
   * command check applies (reddish has no replication or cluster; its disk
   * check can't be reached past processCommand's).
   */
  refusal(script: Runnable, readOnlyCommand: boolean): string | null {
    if ((script.flags & ScriptFlag.evalCompatMode) !== 0) return null;
    const mayWrite = (script.flags & ScriptFlag.noWrites) === 0;
    const eviction = this.server.eviction;
    if (eviction.preCommandOom && eviction.maxmemory !== 0 && mayWrite && (script.flags & ScriptFlag.allowOom) === 0) {
      return errors.oom;
    }
    if (mayWrite) {
      const diskError = diskErrorRefusal(this.server.snapshots);
      if (diskError !== null) return diskError;
      if (readOnlyCommand) return scriptErrors.writeFlagWithRoCommand;
    }
    return null;
  }

  /** EVAL: runs a cached script, KEYS (`argv[3..argsStart)`) and ARGV (the rest) as globals. */
  execute(caller: Client, argv: readonly string[], script: CachedScript, argsStart: number, readOnlyCommand: boolean): void {
    this.runScript(this.engine, true, script.sha, caller, argv, script, argsStart, readOnlyCommand);
  }

  /** FCALL: runs a library's function, keys (`argv[3..argsStart)`) and arguments (the rest) as its two parameters. */
  executeFunction(caller: Client, argv: readonly string[], fn: LibraryFunction, argsStart: number, readOnlyCommand: boolean): void {
    this.runScript(this.functionsEngine, false, fn.name, caller, argv, fn, argsStart, readOnlyCommand);
  }

  /**
   * Runs `script` for `caller` with the keys and arguments of its argv
   * (numkeys at argv[2], so the keys from argv[3]), and writes
   * its reply to the caller; or, when the script yields past
   * busy-reply-threshold, holds the caller and goes on from the event loop
   * (resumeBusy) until the script ends.
   */
  private runScript(
    engine: LuaEngine,
    evalMode: boolean,
    name: string,
    caller: Client,
    argv: readonly string[],
    script: Runnable,
    argsStart: number,
    readOnlyCommand: boolean,
  ): void {
    const compat = (script.flags & ScriptFlag.evalCompatMode) !== 0;
    const scriptClient = this.scriptClient;
    scriptClient.selectDb(caller.db.id);
    // Keys do not expire while a script runs: its commands all see the time
    // it started, which is the EVAL's own command time (call() just set it).
    scriptClient.timeSnapshot = this.server.keyspace.now;
    const run = this.runContext;
    run.caller = caller;
    run.entry = caller.currentCommand!;
    run.argv = argv;
    run.engine = engine;
    run.evalMode = evalMode;
    run.name = name;
    // The EVAL's own start: inside a batch, the end of the command before it (no clock read).
    run.startedAt = batchTiming.mark >= 0 ? batchTiming.mark : performance.now();
    run.readOnly = readOnlyCommand || (!compat && (script.flags & ScriptFlag.noWrites) !== 0);
    run.writeDirty = false;
    run.allowOom = (script.flags & ScriptFlag.allowOom) !== 0;
    run.killed = false;
    run.replFlags = PROPAGATE_ALL;
    this.run = run;
    // Only a client with a socket can wait while the script yields; under
    // EXEC (and for a socketless client) the script runs to its end.
    const mayYield = !caller.inExec && this.server.config.get('busy-reply-threshold') > 0;
    let outcome: ScriptOutcome;
    try {
      outcome = engine.run(script.id, argv, FIRST_KEY, argsStart, caller.reply.protocol, evalMode, mayYield);
    } catch (error) {
      this.endRun();
      throw error;
    }
    // The script is replicated by its effects, never as itself (scriptResetRun).
    this.server.propagation.prevent();
    if (!outcome.finished) {
      this.suspend();
      return;
    }
    this.endRun();
    writeOutcome(caller, run.entry, outcome);
  }

  private endRun(): void {
    this.run = null;
    this.busy = false;
    this.scriptClient.timeSnapshot = null;
  }

  /**
   * The script yielded past busy-reply-threshold. The caller waits; the
   * EVAL's propagation unit stays open (as one more level of call depth)
   * so that the script's writes still leave as one unit, and blocked
   * clients are served only once it ends, as after any command.
   */
  private suspend(): void {
    const run = this.run!;
    run.suspendedAt = performance.now();
    run.caller.holdForScript();
    this.server.propagation.depth++;
    setImmediate(() => this.resumeBusy());
  }

  /** One more slice of the yielded script, from the event loop. */
  private resumeBusy(): void {
    const run = this.run;
    if (run === null || this.abandoned) return;
    let outcome: ScriptOutcome;
    try {
      outcome = run.engine.resume();
    } catch (error) {
      // A bug in the engine's host side: the caller gets an error, and the server goes on.
      this.server.logger.error({ err: error }, 'resuming a script failed');
      outcome = { finished: true, reply: '-' + internalError(run.entry.fullName, String(error)) + '\r\n', errorCodes: ['ERR'] };
    }
    if (!outcome.finished) {
      setImmediate(() => this.resumeBusy());
      return;
    }
    const { caller, entry } = run;
    this.endRun();
    const reply = caller.reply;
    const errorsBefore = reply.errorCount;
    writeOutcome(caller, entry, outcome);
    // What call() would have counted had the script ended inside it.
    const restUs = (performance.now() - run.suspendedAt) * 1000;
    entry.stats.usec += restUs;
    const argv = caller.waitingArgv;
    if (argv !== null) recordResumedCallEnd(caller, entry, argv, this.server.latency.takeBlockedCall(caller) + restUs);
    if (reply.errorCount !== errorsBefore) {
      entry.stats.failedCalls++;
      this.server.stats.recordError(reply.lastErrorCode);
    }
    const propagation = this.server.propagation;
    if (--propagation.depth === 0) {
      propagation.flush();
      this.server.blocking.serveReady();
    }
    caller.releaseFromScript();
  }

  /**
   * SCRIPT KILL (`evalCommand`) or FUNCTION KILL (scriptKill): null when
   * the busy script will be stopped, else the refusal.
   */
  kill(evalCommand: boolean): string | null {
    const run = this.run;
    if (!this.busy || run === null) return scriptErrors.notBusy;
    if (run.writeDirty) return scriptErrors.unkillable;
    if (evalCommand && !run.evalMode) return scriptErrors.busyFunction;
    if (!evalCommand && run.evalMode) return scriptErrors.busyEval;
    run.killed = true;
    return null;
  }

  /**
   * FUNCTION STATS's running_script: the busy script (an EVAL's or a
   * function), its caller's command and how long it has run; null if none.
   */
  runningScript(): { evalMode: boolean; name: string; argv: readonly string[]; durationMs: number } | null {
    const run = this.run;
    if (!this.busy || run === null) return null;
    return { evalMode: run.evalMode, name: run.name, argv: run.argv, durationMs: Math.floor(performance.now() - run.startedAt) };
  }

  /** SHUTDOWN NOSAVE while a script is busy: it is never resumed; its caller is closed with the others. */
  abandon(): void {
    this.abandoned = true;
  }

  /**
   * The count hook, every 100,000 instructions (scriptInterrupt): past
   * busy-reply-threshold the script becomes busy and yields, every slice
   * from then on, so that the event loop answers the other clients; once
   * killed it is stopped with an error.
   */
  private interrupt(): number {
    if (this.loadDeadline !== null) return Date.now() > this.loadDeadline ? 3 : 0;
    const run = this.run;
    if (run === null) return 0;
    if (this.busy) return run.killed ? 2 : 1;
    const elapsed = performance.now() - run.startedAt;
    if (elapsed < this.server.config.get('busy-reply-threshold')) return 0;
    this.server.logger.warn(
      `Slow script detected: still in execution after ${Math.floor(elapsed)} milliseconds. ` +
        `You can try killing the script using the ${run.evalMode ? 'SCRIPT KILL' : 'FUNCTION KILL'} command. Script name is: ${run.name}.`,
    );
    this.busy = true;
    this.busyError = run.evalMode ? scriptErrors.busyEval : scriptErrors.busyFunction;
    return 1;
  }

  private host(): ScriptHost {
    return {
      call: (argv, resp) => this.callFromScript(argv, resp),
      // Redis's debug and verbose levels are both pino's debug.
      log: (level, message) => {
        const logger = this.server.logger;
        if (level <= 1) logger.debug(message);
        else if (level === 2) logger.info(message);
        else logger.warn(message);
      },
      setRepl: (flags) => {
        if (this.run !== null) this.run.replFlags = flags;
      },
      // redis.acl_check_cmd: the caller's user, nothing logged.
      aclCheck: (argv) => {
        const entry = this.resolve(argv);
        if (entry === undefined) return -1;
        return this.server.acl.check(this.run!.caller.user, entry, argv).result === 0 ? 1 : 0;
      },
      interrupt: () => this.interrupt(),
    };
  }

  /** lookupCommand(argv, argc) as scripts see it: a container's unknown subcommand is no command. */
  private resolve(argv: readonly string[]): TableEntry | undefined {
    const top = this.server.commands.lookup(argv[0]!);
    if (top === undefined || top.subcommands === null || argv.length < 2) return top;
    return top.subcommands.get(argv[1]!.toLowerCase());
  }

  /** scriptCall: the checks, then the command on the script's client; returns its RESP reply. */
  private callFromScript(argv: string[], resp: 2 | 3): string {
    const run = this.run!;
    const entry = this.resolve(argv);
    if (entry === undefined) return this.rejected(null, scriptErrors.unknownCommand);
    if (!arityMatches(entry.arity, argv.length)) return this.rejected(entry, scriptErrors.wrongArity);
    if (entry.isNoscript) return this.rejected(entry, scriptErrors.notAllowed);
    // scriptVerifyACL: the script runs as its caller's user.
    const aclDenied = run.caller.user.unrestricted ? null : this.server.acl.deniedInScript(run.caller, entry, argv);
    if (aclDenied !== null) return this.rejected(entry, aclDenied);
    const writes = entry.isWrite;
    if (run.readOnly && (writes || entry.mayReplicate)) return this.rejected(entry, scriptErrors.writeFromReadOnly);
    // scriptVerifyWriteCommandAllow: a write while writes are denied by a disk error, unless the script already wrote (it can't be undone).
    if (writes && !run.writeDirty) {
      const diskError = diskErrorRefusal(this.server.snapshots);
      if (diskError !== null) {
        entry.stats.rejectedCalls++;
        this.server.stats.recordError('MISCONF');
        return '-' + diskError + '\r\n';
      }
    }
    // scriptVerifyOOM: only the script's first write can be stopped by maxmemory.
    const eviction = this.server.eviction;
    if (eviction.maxmemory !== 0 && !run.writeDirty && eviction.preCommandOom && !run.allowOom && entry.spec.flags.includes('denyoom')) {
      entry.stats.rejectedCalls++;
      this.server.stats.recordError('OOM');
      return '-' + errors.oom + '\r\n';
    }
    if (writes) run.writeDirty = true;
    const client = this.scriptClient;
    client.user = run.caller.user;
    client.reply.protocol = resp;
    client.lastInteraction = client.timeSnapshot!;
    call(client, entry, argv);
    // Client-side caching: the caller's declared keys, once the script reads (server.script_caller).
    if (entry.isReadonly && run.caller.tracking !== null) this.server.tracking.scriptRead(run.caller, run.entry, run.argv);
    return client.takeReply();
  }

  /** scriptCall's error path: counted as a rejected call and an error reply. */
  private rejected(entry: TableEntry | null, message: string): string {
    if (entry !== null) entry.stats.rejectedCalls++;
    this.server.stats.recordError('ERR');
    return '-ERR ' + message + '\r\n';
  }
}

/**
 * The script's reply goes to the caller as it is; its error replies count
 * as Redis's afterErrorReply counts them: by code in the error statistics,
 * or (an error redis.call already counted) as a failed call only.
 */
function writeOutcome(caller: Client, entry: TableEntry, outcome: ScriptOutcome): void {
  const reply = caller.reply;
  reply.raw(outcome.reply);
  let lastCounted: string | null = null;
  for (const code of outcome.errorCodes) {
    if (code === '') {
      entry.stats.failedCalls++;
      continue;
    }
    // call() records the last error of a command; the ones before it are recorded here.
    if (lastCounted !== null) caller.server.stats.recordError(lastCounted);
    lastCounted = code;
  }
  if (lastCounted !== null) {
    reply.errorCount++;
    reply.lastErrorCode = lastCounted;
  }
}
