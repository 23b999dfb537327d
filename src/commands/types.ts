/**
 * The shape of one command's metadata. Each group module (strings.ts,
 * keys.ts, ...) exports a list of these; table.ts gathers them into the one
 * table that dispatch, the arity check, COMMAND and key extraction read.
 */
import type { Connection } from '../server/connection.js';

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
  | 'topk';

/**
 * A handler applies one call. `argv[0]` is the command name as the client
 * sent it; arity has already been checked. The handler writes exactly one
 * reply to `c.reply`.
 */
export type CommandHandler = (c: Connection, argv: string[]) => void;

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
   * The handler calls `server.signalModifiedKey` for exactly the keys it
   * changed, as Redis's handlers do, instead of the dispatcher signalling
   * every key position after any successful write. Commands whose writes
   * may change nothing (PFADD answering 0, SORT without STORE) need this
   * for WATCH to behave as in Redis.
   */
  signalsModifiedKeys?: boolean;
  /** Key-spec flags as Redis declares them (COMMAND INFO, GETKEYSANDFLAGS), e.g. ['RM', 'delete'] for DEL. Default: RO access, or RW access update for write commands. */
  keyFlags?: readonly string[];
  /** ACL categories as Redis declares them, instead of the group's; the flags add @read/@write/@fast/..., e.g. ['keyspace', 'dangerous'] for KEYS. */
  aclCategories?: readonly string[];
  /** For container commands (CONFIG, CLIENT, OBJECT, COMMAND): the subcommands. */
  subcommands?: readonly CommandSpec[];
}
