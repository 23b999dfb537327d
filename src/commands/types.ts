/**
 * The shape of one command's metadata. Each group module (strings.ts,
 * keys.ts, ...) exports a list of these; table.ts gathers them into the one
 * table that dispatch, the arity check, COMMAND and key extraction read.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { ReplyWriter } from '../protocol/reply.js';
import type { ServerStats } from '../server/stats.js';
import type { SlowLog } from '../server/slowlog.js';
import type { LatencyMonitor } from '../server/latency-monitor.js';
import type { Database } from '../store/database.js';
import type { Keyspace } from '../store/keyspace.js';
import type { KeyspaceEvents } from '../store/keyspace-events.js';
import type { EncodingConfig } from '../store/types.js';
import type { ClientSubscriptions, PubSub } from '../server/pubsub.js';
import type { ClientTracking, ClientTrackingState } from '../server/client-tracking.js';
import type { MemoryAccounting } from '../server/memory-accounting.js';
import type { Eviction } from '../server/eviction.js';
import type { Propagation } from './propagation.js';
import type { Scripting } from '../scripting/scripting.js';
import type { AppendOnlyFile } from '../persistence/aof.js';
import type { Snapshots } from '../persistence/snapshots.js';
import type { CommandTable, TableEntry } from './table.js';
import type { Acl } from '../acl/acl.js';
import type { AclUser } from '../acl/user.js';

/** Redis 7's command flags, as COMMAND INFO prints them. */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_multi'
  | 'no_async_loading'
  | 'allow_busy';

/** The groups COMMAND DOCS reports, by Redis's names. */
export type CommandGroup =
  | 'generic'
  | 'string'
  | 'list'
  | 'set'
  | 'sorted-set'
  | 'hash'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'hyperloglog'
  | 'cluster'
  | 'geo'
  | 'stream'
  | 'bitmap'
  | 'bf'
  | 'cf'
  | 'cms'
  | 'topk'
  | 'tdigest';

/**
 * A handler applies one call. `argv[0]` is the command name as the client
 * sent it; arity has already been checked. The handler writes exactly one
 * reply to `c.reply`, and announces each change it makes through
 * `c.server.events.keyModified` with Redis's event name.
 */
export type CommandHandler = (c: Client, argv: string[]) => void;

/** Inside MULTI: the queued calls, and whether one was rejected (EXECABORT). */
export interface MultiState {
  queue: Array<{ entry: TableEntry; argv: string[] }>;
  failed: boolean;
}

/** What a blocking command (BLPOP, BZPOPMIN, ...) leaves with the blocking service. */
export interface BlockRequest {
  /** The keys to wait on, in the client's current database. */
  keys: readonly string[];
  /** Absolute deadline in ms on the server clock, or 0 to wait forever. */
  timeoutMs: number;
  /**
   * Tries to serve the client now that `key` may have data. Writes the reply
   * and returns true when served; returns false to keep waiting. It runs as
   * a command of its own (statistics, changes, propagation), as Redis's
   * serveClientsBlockedOnListKey does.
   */
  tryServe: (key: string) => boolean;
  /** Writes the reply for a timeout (a null array, usually). */
  onTimeout: () => void;
}

/**
 * A client as a handler sees it: its state, its reply writer and the
 * server's services. A socket's Connection is one; a client with no socket
 * (Redis's "fake client": a script's redis.call, a journal being replayed)
 * is another, and runs commands through the same call().
 */
export interface Client {
  readonly id: number;
  readonly server: ServerContext;
  readonly reply: ReplyWriter;
  readonly log: Logger;
  readonly createdAt: number;
  db: Database;
  selectDb(index: number): void;
  /** CLIENT SETNAME, CLIENT SETINFO lib-name / lib-ver. */
  name: string;
  libName: string;
  libVersion: string;
  authenticated: boolean;
  /** The user the client runs as (the default user until AUTH or HELLO AUTH). */
  user: AclUser;
  /** CLIENT NO-EVICT / NO-TOUCH. */
  noEvict: boolean;
  noTouch: boolean;
  /**
   * The client replaying the AOF at startup (CLIENT_ID_AOF): its calls feed
   * no command statistics, slow log or latency samples, as Redis runs them
   * with cmd->proc or call(CMD_CALL_NONE).
   */
  readonly replayingAof: boolean;
  /** When the client last sent a command, and which (CLIENT LIST's idle, cmd). */
  lastInteraction: number;
  lastCommand: string;
  /** The command being run (Redis's c->cmd); blocking commands are served under it. */
  currentCommand: TableEntry | null;
  /** QUIT, a protocol error or CLIENT KILL: close once the replies are out. */
  closeAfterReply: boolean;
  readonly closed: boolean;
  /** Waiting in a blocking command: later pipelined commands wait too. */
  readonly blocked: boolean;
  multi: MultiState | null;
  /** WATCHed keys by `db\0key`, and whether one was touched since. */
  readonly watchedKeys: Map<string, WatchedKey>;
  watchDirty: boolean;
  /** Running EXEC's queue: blocking commands answer at once instead of blocking. */
  inExec: boolean;
  /**
   * A script's start time, which all its commands see as "now" (Redis's
   * scriptTimeSnapshot: keys do not expire half way through a script);
   * null for every client but a script's.
   */
  readonly timeSnapshot: number | null;
  /** Channels, patterns and shard channels subscribed to; null before the first SUBSCRIBE. */
  subscriptions: ClientSubscriptions | null;
  /** Client-side caching flags (CLIENT TRACKING); null until the client first turns tracking on. */
  tracking: ClientTrackingState | null;
  /**
   * No socket behind it (Redis's CLIENT_DENY_BLOCKING fake clients): it
   * expects one reply per command, so it may not block or subscribe.
   */
  readonly socketless: boolean;
  /**
   * CLIENT REPLY as Redis's flag bits (REPLY_OFF, REPLY_SKIP,
   * REPLY_SKIP_NEXT in client-control.ts); while OFF or SKIP is set the
   * client's replies are dropped, pushes excepted.
   */
  replyFlags: number;
  /** Output was added from outside the client's own batch (a pub/sub message): schedule its write. */
  outputAdded(): void;
  /** Parks the client in a blocking command (no reply yet). */
  block(request: BlockRequest): void;
  /**
   * CLIENT PAUSE: `argv`, the call being dispatched, must wait for the
   * pause to end and then run again from the start; later pipelined
   * commands wait behind it. Only clients with a socket are paused.
   */
  postpone(argv: string[]): void;
  /**
   * A script this client runs went past busy-reply-threshold and yields to
   * the event loop between slices: the client waits (later pipelined
   * commands too) until the script ends and its reply is written. Only
   * clients with a socket ever wait; a socketless client's script runs to
   * its end.
   */
  holdForScript(): void;
  /** The script it waited on has ended and its reply is written: go on with the pipeline. */
  releaseFromScript(): void;
  /** Ends the client at once (CLIENT KILL). */
  kill(): void;
  /** Connection facts for CLIENT LIST / INFO; a client with no socket has none ('', -1, 0). */
  readonly remoteAddress: string;
  readonly localAddress: string;
  readonly fd: number;
  /** True when the peer is on this machine (enable-debug-command local). */
  readonly isLocal: boolean;
  readonly pendingOutput: number;
  readonly pendingInput: number;
  /** Room allocated for the unfinished request and not yet filled (CLIENT LIST's qbuf-free). */
  readonly pendingInputFree: number;
  /** The call a blocked or paused client waits in (Redis's c->argv, CLIENT LIST's argv-mem); else null. */
  readonly waitingArgv: readonly string[] | null;
}

/** Clients blocked on keys (server/blocking.ts), as commands use them. */
export interface BlockingService {
  readonly blockedClients: number;
  isBlocked(client: Client): boolean;
  /** CLIENT UNBLOCK: ends the wait with the timeout reply, or with an error. */
  unblock(client: Client, error: string | null): boolean;
  /** Serves the keys that writes made ready (after a command, after EXEC). */
  serveReady(): void;
}

/** MONITOR's feed (server/monitor-feed.ts), as dispatch and commands use it. */
export interface MonitorService {
  /** How many clients are monitoring: call()'s one check when nobody is. */
  readonly size: number;
  has(client: Client): boolean;
  add(client: Client): void;
  remove(client: Client): void;
  /** redactClientCommandArgument: MONITOR shows argv[index] of this call as "(redacted)". */
  redactArgument(argv: readonly string[], index: number): void;
  /** The positions redactArgument hid in this call's argv (the slow log shows them redacted too). */
  redactedArguments(argv: readonly string[]): readonly number[] | undefined;
  /** call()'s feed of a command that ran, unless admin or skip_monitor. */
  commandDone(client: Client, entry: TableEntry, argv: readonly string[]): void;
  /** Shows `argv` as run by `client`, whatever the command (execCommandAbort's EXEC). */
  feed(client: Client, argv: readonly string[]): void;
}

/** CLIENT PAUSE's modes: WRITE lets read-only commands through, ALL holds every command. */
export type PauseMode = 'write' | 'all';

/** CLIENT PAUSE bookkeeping (server/client-pause.ts), as dispatch and commands use it. */
export interface PauseService {
  /** True while a pause is in force: the dispatcher's cheap check. */
  readonly active: boolean;
  /** Pauses until `endMs` (server clock); a running pause keeps the stricter mode and later end. */
  pause(endMs: number, mode: PauseMode): void;
  unpause(): void;
  /** processCommand's check: must this call wait for the pause to end? */
  mustWait(client: Client, entry: TableEntry): boolean;
  /** Clients waiting for the pause to end. */
  readonly parkedCount: number;
}

/** One client watching one key (Redis's watchedKey). */
export interface WatchedKey {
  readonly db: Database;
  readonly key: string;
  /** The key had expired, not yet deleted, when WATCH ran. */
  expired: boolean;
}

/** WATCH bookkeeping (server/watch.ts), as commands use it. */
export interface WatchService {
  watch(client: Client, db: Database, key: string): void;
  unwatchAll(client: Client): void;
  /** isWatchedKeyExpired: a watched key's time passed since WATCH. */
  expiredSinceWatch(client: Client): boolean;
}

/**
 * The server's services, by name, as handlers reach them through
 * `c.server`. Declared here so that commands/ depends on no server/ class.
 */
export interface ServerContext {
  readonly config: Config;
  readonly logger: Logger;
  /** The log budget for warnings one client's behaviour causes: log only when allow() says so. */
  readonly clientWarnings: { allow(): boolean };
  readonly clock: Clock;
  readonly keyspace: Keyspace;
  /** The seat where every change is announced (store/keyspace-events.ts). */
  readonly events: KeyspaceEvents;
  /** What changes propagate to the journal (propagation.ts). */
  readonly propagation: Propagation;
  /** The append-only file: the journal that listens to the propagation list (persistence/aof.ts). */
  readonly aof: AppendOnlyFile;
  readonly commands: CommandTable;
  readonly stats: ServerStats;
  /** SLOWLOG's entries; call() adds the slow calls. */
  readonly slowlog: SlowLog;
  /** LATENCY's events and per-command latency tracking (INFO latencystats). */
  readonly latency: LatencyMonitor;
  readonly clients: ReadonlyMap<number, Client>;
  readonly blocking: BlockingService;
  readonly watches: WatchService;
  /** Channels and their subscribers (server/pubsub.ts). */
  readonly pubsub: PubSub;
  /** Client-side caching: tracked keys, BCAST prefixes, invalidations (server/client-tracking.ts). */
  readonly tracking: ClientTracking;
  /** Users, permission checks and the ACL log (acl/acl.ts). */
  readonly acl: Acl;
  /** EVAL's script cache and the Lua engine (scripting/scripting.ts). */
  readonly scripting: Scripting;
  /** MONITOR clients and the feed of commands to them. */
  readonly monitors: MonitorService;
  /** CLIENT PAUSE / UNPAUSE. */
  readonly pause: PauseService;
  /** Encoding thresholds, kept in step with CONFIG SET for OBJECT ENCODING. */
  readonly encoding: EncodingConfig;
  /** DEBUG SET-ACTIVE-EXPIRE */
  readonly activeExpiry: { enabled: boolean };
  /** The used-memory figure (server/memory-accounting.ts). */
  readonly memory: MemoryAccounting;
  /** maxmemory and its policies (server/eviction.ts). */
  readonly eviction: Eviction;
  readonly startedAt: number;
  readonly configFile: string;
  readonly runId: string;
  /** LASTSAVE: Unix seconds of the last successful save. */
  readonly lastSave: number;
  /** SAVE, BGSAVE, the save schedule, loading (persistence/snapshots.ts). */
  readonly snapshots: Snapshots;
  /** The listener's address (INFO tcp_port). */
  readonly address: AddressInfo;
  /** serverCron's tick, for INFO's sampled figures. */
  on(event: 'cron', listener: (monotonicMs: number) => void): unknown;
  /** SHUTDOWN */
  shutdown(): void;
}

export interface CommandSpec {
  /** Lowercase name; for a subcommand, just the subcommand ('get' under 'config'). */
  name: string;
  /** Redis's arity: N means exactly N arguments (name included), -N at least N. */
  arity: number;
  flags: readonly CommandFlag[];
  /** Key positions as in COMMAND INFO: first, last (negative counts from the end), step. 0 = no keys. */
  firstKey: number;
  lastKey: number;
  keyStep: number;
  group: CommandGroup;
  /** One line, as COMMAND DOCS gives it. */
  summary: string;
  since: string;
  complexity?: string;
  /**
   * The arguments after the name, in the syntax of Redis's docs, e.g.
   * `key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]`.
   * COMMAND DOCS derives its argument tree from this.
   */
  syntax?: string;
  /** For commands whose keys can't be described by first/last/step (numkeys, STORE options). */
  keys?: (argv: readonly string[]) => number[];
  handler?: CommandHandler;
  /**
   * Redis's hidden CMD_PROTECTED: the configuration option (`yes`, `no` or
   * `local`) that allows the command, checked before authentication.
   */
  protectedBy?: 'enable-debug-command';
  /**
   * Redis's hidden CMD_TOUCHES_ARBITRARY_KEYS (SCAN, RANDOMKEY): the DELs of
   * keys they find expired are propagated one by one, not in MULTI/EXEC.
   */
  touchesArbitraryKeys?: boolean;
  /** Key-spec flags as Redis declares them (COMMAND INFO, GETKEYSANDFLAGS), e.g. ['RM', 'delete'] for DEL. Default: RO access, or RW access update for write commands. */
  keyFlags?: readonly string[];
  /**
   * The first key's flags where they differ from the others' (`keyFlags`):
   * the destination of a STORE command, the source of LMOVE, RENAME, COPY.
   */
  firstKeyFlags?: readonly string[];
  /**
   * Redis's VARIABLE_FLAGS key specs, whose getkeys_proc gives each call's
   * flags (setGetKeys: SET only reads its key with GET).
   */
  callKeyFlags?: (argv: readonly string[]) => readonly string[];
  /** ACL categories as Redis declares them, instead of the group's; the flags add @read/@write/@fast/..., e.g. ['keyspace', 'dangerous'] for KEYS. */
  aclCategories?: readonly string[];
  /**
   * The pub/sub channels among the arguments, for ACL &pattern checks
   * (getChannelsFromCommand): PUBLISH's first, every one of SUBSCRIBE's,
   * every one of PSUBSCRIBE's as patterns. Unsubscribing is never checked.
   */
  aclChannels?: 'publish' | 'subscribe' | 'psubscribe';
  /** For container commands (CONFIG, CLIENT, OBJECT, COMMAND): the subcommands. */
  subcommands?: readonly CommandSpec[];
}
