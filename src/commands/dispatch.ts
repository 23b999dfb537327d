/**
 * dispatch: one call from the queue to its handler, with Redis's checks in
 * processCommand's order: the command exists → the arity fits → a
 * protected command (DEBUG) is allowed → the client is authenticated →
 * not a no_multi command inside MULTI → the ACL allows the call → ... → no script is busy (or the command is allow_busy) → a MONITOR client does not touch the keyspace → CLIENT PAUSE does
 * not hold the call (else it waits) → (inside MULTI: queue it) → call.
 * call() then records the statistics INFO reports, shows the command to
 * MONITOR clients and hands what the command changed to the propagation
 * list; once the outermost call is done, clients blocked on keys it made
 * ready are served.
 *
 * Handlers see a Client, not a socket: a Connection and a client with no
 * socket (a script, a journal being replayed) run through the same call().
 */
// Not the global: Node 20 defines globalThis.performance as a lazy accessor
// whose getter runs on every read (perf of LPUSH -P 16: that getter was
// 0.4-0.5% of the server's samples, called from call()).
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.js';
import { allowProtectedAction } from '../config.js';
import {
  errors,
  execAbortBecause,
  internalError,
  notAllowedWhileSubscribed,
  protectedCommandNotAllowed,
  unknownCommand,
  unknownSubcommand,
  wrongArity,
} from '../errors.js';
import { shared, type ReplyWriter } from '../protocol/reply.js';
import { SUBSCRIBED_CONTEXT_COMMANDS } from './pubsub.js';
import { arityMatches, type TableEntry } from './table.js';
import type { Client, ServerContext } from './types.js';

/** Commands that run at once even inside MULTI (multiCommand's exceptions). */
const RUN_INSIDE_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/**
 * Clock reads cost 85-110 ns each on the dev machine (kvm-clock), against
 * about 860 ns for a whole pipelined SET or PING in-process: three per
 * command (the wall clock here, performance.now() twice for commandstats)
 * were a third of the server's time. A connection running a batch
 * therefore lends its clocks to the commands in it (`BatchTiming`): a
 * command's start time is the end time of the one before it, and the wall
 * clock is read again once 1 ms of the batch has passed. Outside a batch
 * (a socketless client, EXEC's nested calls) every read is fresh.
 */
export class BatchTiming {
  /** performance.now() when the last top-level call of the batch ended; -1 outside a batch. */
  mark = -1;
  /** The wall clock's value, and the mark when it was read. */
  private wall = 0;
  private wallReadAt = -1;

  begin(clockNow: number): void {
    this.mark = performance.now();
    this.wall = clockNow;
    this.wallReadAt = this.mark;
  }

  end(): void {
    this.mark = -1;
  }

  /** The wall clock for the next command of the batch: re-read once the batch is 1 ms on. */
  wallClock(clock: Clock): number {
    if (this.mark - this.wallReadAt >= 1) {
      this.wall = clock.now();
      this.wallReadAt = this.mark;
    }
    return this.wall;
  }
}

/** The one batch timing: commands run one at a time, so batches never interleave. */
export const batchTiming = new BatchTiming();

export function dispatch(c: Client, argv: string[]): void {
  const server = c.server;
  const reply = c.reply;
  c.lastInteraction = batchTiming.mark >= 0 ? batchTiming.wallClock(server.clock) : server.clock.now();
  // Before lastCommand moves on: CLIENT CACHING covers only the next command.
  if (c.tracking !== null) server.tracking.commandArriving(c);

  const entry = resolve(c, argv);
  if (entry === undefined) {
    server.stats.recordError(reply.lastErrorCode);
    // An unknown command or bad arity inside MULTI dooms the transaction.
    if (c.multi !== null) c.multi.failed = true;
    return;
  }
  const protectedBy = entry.protectedBy;
  if (protectedBy !== undefined && !allowProtectedAction(server.config.get(protectedBy), c)) {
    reply.error(protectedCommandNotAllowed(entry.spec.name.toUpperCase(), protectedBy));
    entry.stats.rejectedCalls++;
    server.stats.recordError(reply.lastErrorCode);
    if (c.multi !== null) c.multi.failed = true;
    return;
  }
  if (c.authenticated === false && !entry.noAuth && server.acl.authRequired(c)) {
    reply.error(errors.noAuth);
    entry.stats.rejectedCalls++;
    server.stats.recordError(reply.lastErrorCode);
    return;
  }
  if (c.multi !== null && entry.spec.flags.includes('no_multi')) {
    reply.error(errors.commandNotAllowedInTransaction);
    entry.stats.rejectedCalls++;
    server.stats.recordError(reply.lastErrorCode);
    c.multi.failed = true;
    return;
  }
  // ACL: a user allowed everything (the default user, usually) costs this one check.
  if (c.user.unrestricted === false) {
    const denied = server.acl.deniedAtDispatch(c, entry, argv);
    if (denied !== null) {
      rejectCommand(c, entry, argv, denied);
      return;
    }
  }
  // maxmemory: evict first; refuse what could grow memory when that was not enough.
  const eviction = server.eviction;
  if (eviction.maxmemory !== 0 && !server.scripting.busy && refusedForMemory(c, entry, eviction.perform() === 'fail')) {
    rejectCommand(c, entry, argv, errors.oom);
    return;
  }
  // processCommand keeps the tracking table within tracking-table-max-keys here.
  if (server.tracking.clientCount !== 0) server.tracking.limitUsedSlots(c);
  // RESP2's subscribed context: only (un)subscribing, PING, QUIT and RESET.
  // RESP3 interleaves messages with replies, so it has no such context.
  const subscriptions = c.subscriptions;
  if (subscriptions !== null && reply.protocol === 2 && subscriptions.total !== 0) {
    const top = entry.parent ?? entry;
    if (!SUBSCRIBED_CONTEXT_COMMANDS.has(top.spec.name)) {
      reply.error(notAllowedWhileSubscribed(entry.fullName));
      entry.stats.rejectedCalls++;
      server.stats.recordError(reply.lastErrorCode);
      if (c.multi !== null) c.multi.failed = true;
      return;
    }
  }
  // Loading the dataset, or writes stopped by a failed BGSAVE: processCommand's LOADING and MISCONF checks.
  if (server.snapshots.gated) {
    const refusal = persistenceRefusal(c, entry);
    if (refusal !== null) {
      rejectCommand(c, entry, argv, refusal);
      return;
    }
  }
  // A script has run past busy-reply-threshold and still runs: only allow_busy commands may.
  const scripting = server.scripting;
  if (scripting.busy && !entry.allowBusy) {
    rejectCommand(c, entry, argv, scripting.busyError);
    return;
  }
  // Redis marks a MONITOR client as a replica, and replicas may not touch the keyspace.
  const monitors = server.monitors;
  if (monitors.size !== 0 && monitors.has(c) && touchesKeyspace(c, entry)) {
    entry.stats.rejectedCalls++;
    if (entry === server.commands.exec && c.multi !== null) abortExec(c, argv, errors.replicaKeyspace);
    else reply.error(errors.replicaKeyspace);
    server.stats.recordError(reply.lastErrorCode);
    if (c.multi !== null) c.multi.failed = true;
    return;
  }
  // CLIENT PAUSE: the call waits, and runs from the start once the pause ends.
  if (server.pause.active && server.pause.mustWait(c, entry)) {
    c.postpone(argv);
    return;
  }
  if (c.multi !== null && (entry.parent !== null || !RUN_INSIDE_MULTI.has(entry.spec.name))) {
    c.multi.queue.push({ entry, argv });
    reply.raw(shared.queued);
    return;
  }
  call(c, entry, argv);
}

/**
 * rejectCommand: the call is refused before it runs. It counts as a
 * rejected call, dooms a MULTI it is queued in, and an EXEC refused this way
 * aborts its transaction (EXECABORT) instead of replying the bare error.
 */
function rejectCommand(c: Client, entry: TableEntry, argv: string[], error: string): void {
  entry.stats.rejectedCalls++;
  if (entry === c.server.commands.exec && c.multi !== null) abortExec(c, argv, error);
  else c.reply.error(error);
  c.server.stats.recordError(c.reply.lastErrorCode);
  if (c.multi !== null) c.multi.failed = true;
}

/**
 * incrCommandStatsOnError's prev_err_count: how many error replies the
 * writer had when the last call's errors were counted. A nested call
 * (a command inside EXEC) counts its own error; the EXEC around it then
 * counts only errors written after it, so one error is counted once, in
 * errorstats and in failed_calls, as in Redis.
 */
const errorsAccounted: { writer: ReplyWriter | null; count: number } = { writer: null, count: 0 };

/**
 * writeCommandsDeniedByDiskError (writes, and PING, while the last BGSAVE
 * failed with stop-writes-on-bgsave-error, or the last AOF write or fsync
 * failed under everysec/no) and the LOADING check (commands
 * without the `loading` flag while the dataset loads), in processCommand's
 * order. EXEC is judged by the commands it would run.
 */
function persistenceRefusal(c: Client, entry: TableEntry): string | null {
  const snapshots = c.server.snapshots;
  const isExec = entry === c.server.commands.exec && c.multi !== null;
  const queued = isExec ? c.multi!.queue : [];
  const diskError = diskErrorRefusal(snapshots);
  if (diskError !== null) {
    const writes = entry.spec.flags.includes('write') || queued.some((q) => q.entry.spec.flags.includes('write'));
    if (writes || entry.spec.name === 'ping') return diskError;
  }
  if (snapshots.loading !== null) {
    const denied = !entry.spec.flags.includes('loading') || queued.some((q) => !q.entry.spec.flags.includes('loading'));
    if (denied) return errors.loading;
  }
  return null;
}

/**
 * writeCommandsDeniedByDiskError with writeCommandsGetDiskErrorMessage: the
 * MISCONF text a write gets while the last BGSAVE failed (with save points
 * and stop-writes-on-bgsave-error) or the last AOF write or fsync did; null
 * while writes are allowed. Scripts ask too (scriptVerifyWriteCommandAllow).
 */
export function diskErrorRefusal(snapshots: ServerContext['snapshots']): string | null {
  if (snapshots.writesDenied) return errors.bgsaveMisconf;
  if (snapshots.aofWriteError !== null) return errors.aofWriteMisconf(snapshots.aofWriteError);
  return null;
}

/**
 * Runs a resolved command (Redis's call()): the handler, then statistics,
 * then propagation. EXEC calls this for each queued command; those nested
 * calls join the EXEC's propagation unit, which leaves when the outermost
 * call ends. Blocked clients whose keys became ready are served then too,
 * before this client's next command (handleClientsBlockedOnKeys).
 */
export function call(c: Client, entry: TableEntry, argv: string[]): void {
  const server = c.server;
  const reply = c.reply;
  const errorsBefore = reply.errorCount;
  const keyspace = server.keyspace;
  const events = server.events;
  const propagation = server.propagation;
  // One clock read per command: dispatch just stamped lastInteraction.
  keyspace.now = c.inExec ? (c.timeSnapshot ?? server.clock.now()) : c.lastInteraction;
  keyspace.noTouch = c.noTouch;
  const dirtyBefore = events.dirty;
  const outerCommand = c.currentCommand;
  const outerRewritten = propagation.rewritten;
  const outerPrevented = propagation.prevented;
  const outerForced = propagation.forced;
  c.currentCommand = entry;
  propagation.rewritten = null;
  propagation.prevented = false;
  propagation.forced = false;
  propagation.depth++;
  if (c.tracking !== null) server.tracking.enterCommand(c);
  // A top-level call in a batch starts where the one before it ended.
  const chained = propagation.depth === 1 && batchTiming.mark >= 0;
  const started = chained ? batchTiming.mark : performance.now();
  const mark = reply.mark();
  try {
    entry.handler!(c, argv);
  } catch (error) {
    handlerFailed(c, entry, mark, error);
  }
  const stats = entry.stats;
  const ended = performance.now();
  if (chained) batchTiming.mark = ended;
  // The AOF's replay: Redis runs a file's commands with cmd->proc (nothing counted) and
  // EXEC's with call(CMD_CALL_NONE), which still counts total commands and failed calls.
  const counted = !c.replayingAof;
  const countedAsCall = counted || propagation.depth > 1;
  if (counted) {
    stats.calls++;
    const durationUs = (ended - started) * 1000;
    stats.usec += durationUs;
    // The time call() measured feeds the latency histogram, the latency monitor and the slow log.
    const latency = server.latency;
    if (c.blocked) latency.rememberBlockedCall(c, durationUs);
    else if (latency.tracking) latency.recordCommand(stats, durationUs);
    if (durationUs >= server.slowlog.slowerThanUs || durationUs >= latency.commandThresholdUs) noteSlowCall(c, entry, argv, durationUs);
  }
  if (countedAsCall) server.stats.totalCommands++;
  // Errors a nested call (EXEC's commands) already counted are not the outer call's.
  const errorsSince = errorsAccounted.writer === reply && errorsAccounted.count > errorsBefore ? errorsAccounted.count : errorsBefore;
  if (reply.errorCount !== errorsSince) {
    if (countedAsCall) stats.failedCalls++;
    // afterErrorReply counts the AOF client's errors too (errorstats, total_error_replies).
    server.stats.recordError(reply.lastErrorCode);
  }
  errorsAccounted.writer = reply;
  errorsAccounted.count = reply.errorCount;
  if (server.monitors.size !== 0) server.monitors.commandDone(c, entry, argv);
  // EXEC is never propagated as itself: its commands are, wrapped in MULTI/EXEC.
  if (propagation.active && entry !== server.commands.exec) {
    propagation.commandDone(c.db.id, argv, events.dirty !== dirtyBefore);
  }
  propagation.depth--;
  c.currentCommand = outerCommand;
  propagation.rewritten = outerRewritten;
  propagation.prevented = outerPrevented;
  propagation.forced = outerForced;
  // Remembers what a tracking client read; its own invalidations follow its reply.
  if (c.tracking !== null) server.tracking.leaveCommand(c, entry, argv, propagation.depth === 0);
  if (propagation.depth === 0) {
    propagation.flush(entry.touchesArbitraryKeys);
    server.blocking.serveReady();
  }
}

/**
 * Serves a blocked client from a key that became ready, as a command of
 * its own: Redis's serveClientsBlockedOnListKey with updateStatsOnUnblock
 * and afterCommand. The pop announces its changes and propagates its
 * effect (LPOP for BLPOP...) like any command; the call itself was counted
 * when the client blocked, as in Redis 7.0, so only time and failure are
 * added here. Returns whether the client was served.
 */
export function serveBlockedClient(c: Client, entry: TableEntry, attempt: () => boolean): boolean {
  const server = c.server;
  const propagation = server.propagation;
  const errorsBefore = c.reply.errorCount;
  const outerCommand = c.currentCommand;
  c.currentCommand = entry;
  const started = performance.now();
  propagation.depth++;
  if (c.tracking !== null) server.tracking.enterCommand(c);
  let served: boolean;
  try {
    served = attempt();
  } catch (error) {
    // A failing waiter must not take the writer or the server down.
    if (server.clientWarnings.allow()) c.log.error({ err: error, command: entry.fullName }, 'serving a blocked client failed');
    c.reply.error(errors.internalBlockedServe);
    served = true;
  } finally {
    propagation.depth--;
    c.currentCommand = outerCommand;
    if (c.tracking !== null) server.tracking.leaveCommand(c, null, null, propagation.depth === 0);
  }
  if (!served) return false;
  const replyUs = (performance.now() - started) * 1000;
  entry.stats.usec += replyUs;
  // updateStatsOnUnblock: the first call's time plus serving's, for the histogram and the slow log.
  const latency = server.latency;
  const totalUs = latency.takeBlockedCall(c) + replyUs;
  if (latency.tracking) latency.recordCommand(entry.stats, totalUs);
  const argv = c.waitingArgv;
  if (argv !== null && !entry.spec.flags.includes('skip_slowlog')) {
    server.slowlog.push(c, argv, totalUs, server.clock.now(), server.monitors.redactedArguments(argv));
  }
  latency.sample('command-unblocking', replyUs / 1000);
  if (c.reply.errorCount !== errorsBefore) {
    entry.stats.failedCalls++;
    server.stats.recordError(c.reply.lastErrorCode);
  }
  if (propagation.depth === 0) propagation.flush();
  return true;
}

/**
 * CLIENT UNBLOCK ended a blocked call: Redis 7.0.15's
 * updateStatsOnUnblock(c, 0, 0, 1) counts the call as failed whatever the
 * reason (TIMEOUT too), tracks and logs its first call's time, and logs
 * it with no arguments: unblockClient has freed the client's argv by then.
 */
export function recordUnblockedByClient(c: Client, entry: TableEntry, errorsBefore: number): void {
  const server = c.server;
  // The UNBLOCKED error reply (CLIENT UNBLOCK ... ERROR) counts in errorstats like any error reply.
  if (c.reply.errorCount !== errorsBefore) server.stats.recordError(c.reply.lastErrorCode);
  entry.stats.failedCalls++;
  const durationUs = server.latency.takeBlockedCall(c);
  if (server.latency.tracking) server.latency.recordCommand(entry.stats, durationUs);
  if (!entry.spec.flags.includes('skip_slowlog')) server.slowlog.push(c, [], durationUs, server.clock.now());
}

/**
 * A call that left call() before it was done has ended: a script that ran
 * past busy-reply-threshold and yielded. Redis runs such a script inside
 * one call(), so its whole time (`durationUs`: the first slice, which
 * call() saw, plus the rest) goes where call() puts a call's time: the
 * histogram, the latency monitor and the slow log.
 */
export function recordResumedCallEnd(c: Client, entry: TableEntry, argv: readonly string[], durationUs: number): void {
  const server = c.server;
  const latency = server.latency;
  if (latency.tracking) latency.recordCommand(entry.stats, durationUs);
  const flags = entry.spec.flags;
  latency.sample(flags.includes('fast') ? 'fast-command' : 'command', durationUs / 1000);
  if (!flags.includes('skip_slowlog')) server.slowlog.push(c, argv, durationUs, server.clock.now(), server.monitors.redactedArguments(argv));
}

/**
 * A call reached the slow log's or the latency monitor's threshold (rare
 * by design: at their defaults call() pays two comparisons). Redis's
 * call() adds a `command` or `fast-command` latency sample, and logs the
 * call unless it blocked (it is logged when served) or is skip_slowlog.
 */
function noteSlowCall(c: Client, entry: TableEntry, argv: string[], durationUs: number): void {
  const server = c.server;
  const flags = entry.spec.flags;
  // A script that yielded is still running: it is sampled whole when it ends (recordResumedCallEnd).
  if (c.blocked && !server.blocking.isBlocked(c)) return;
  server.latency.sample(flags.includes('fast') ? 'fast-command' : 'command', durationUs / 1000);
  if (c.blocked || flags.includes('skip_slowlog')) return;
  server.slowlog.push(c, argv, durationUs, server.clock.now(), server.monitors.redactedArguments(argv));
}

/**
 * A handler threw: a bug, or a reply larger than V8 can build (its string
 * limit). Redis would have crashed or been killed; reddish must not, and
 * the other clients must not notice. The half-written reply is dropped and
 * the client gets an error instead; if that isn't possible (the reply had
 * spilled), only this client is disconnected.
 */
function handlerFailed(c: Client, entry: TableEntry, mark: number, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (c.server.clientWarnings.allow()) c.log.error({ err: error, command: entry.fullName }, 'command failed with an exception');
  if (c.reply.rollback(mark)) {
    c.reply.error(internalError(entry.fullName, message));
  } else {
    c.reply.discard();
    c.kill();
  }
}

/**
 * Finds the table entry for a call, descending into container commands
 * (CONFIG GET, CLIENT LIST...). On failure the error has been replied and
 * undefined is returned.
 */
function resolve(c: Client, argv: string[]): TableEntry | undefined {
  const top = c.server.commands.lookup(argv[0]!);
  if (top === undefined) {
    // Redis's c->lastcmd is what lookupCommand found: nothing (CLIENT LIST cmd=NULL).
    c.lastCommand = 'NULL';
    c.reply.error(unknownCommand(argv));
    return undefined;
  }
  let entry = top;
  if (top.subcommands !== null && argv.length >= 2) {
    const sub = top.subcommands.get(argv[1]!.toLowerCase());
    if (sub === undefined) {
      c.lastCommand = 'NULL';
      c.reply.error(unknownSubcommand(top.fullName, argv[1]!));
      top.stats.rejectedCalls++;
      return undefined;
    }
    entry = sub;
  }
  c.lastCommand = entry.fullName;
  if (!arityMatches(entry.arity, argv.length)) {
    if (entry === c.server.commands.exec && c.multi !== null) abortExec(c, argv, wrongArity(entry.fullName));
    else c.reply.error(wrongArity(entry.fullName));
    entry.stats.rejectedCalls++;
    return undefined;
  }
  return entry;
}

/**
 * execCommandAbort: EXEC itself was refused inside MULTI, so the
 * transaction is discarded with the refusal as the reason. MONITOR
 * clients see the EXEC, so that they see the transaction end.
 */
function abortExec(c: Client, argv: string[], error: string): void {
  c.multi = null;
  c.server.watches.unwatchAll(c);
  c.reply.error(execAbortBecause(error));
  c.server.monitors.feed(c, argv);
}

/**
 * processCommand's OOM rule: remembers the state for scripts
 * (pre_command_oom_state), then refuses a denyoom command (EXEC of a
 * transaction holding one), and inside MULTI anything but EXEC, DISCARD,
 * QUIT and RESET, since queuing itself takes memory.
 */
function refusedForMemory(c: Client, entry: TableEntry, outOfMemory: boolean): boolean {
  c.server.eviction.preCommandOom = outOfMemory;
  if (!outOfMemory) return false;
  if (entry.spec.flags.includes('denyoom')) return true;
  const name = (entry.parent ?? entry).spec.name;
  if (c.multi !== null) {
    if (name === 'exec') return c.multi.queue.some((queued) => queued.entry.spec.flags.includes('denyoom'));
    return name !== 'discard' && name !== 'quit' && name !== 'reset';
  }
  return false;
}

/**
 * is_read_command || is_write_command || is_may_replicate_command: the
 * command reads or changes the keyspace (or may replicate); for EXEC, one
 * of the commands it would run does.
 */
function touchesKeyspace(c: Client, entry: TableEntry): boolean {
  const touches = (e: TableEntry): boolean => {
    const flags = e.spec.flags;
    return flags.includes('readonly') || flags.includes('write') || flags.includes('may_replicate');
  };
  if (touches(entry)) return true;
  return entry === c.server.commands.exec && c.multi !== null && c.multi.queue.some((queued) => touches(queued.entry));
}
