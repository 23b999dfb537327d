/**
 * Client-side caching: which clients may hold which keys, and the
 * invalidation messages they get when those keys change (Redis 7.0.15's
 * tracking.c, function for function).
 *
 * - Default mode: after a read-only command of a tracking client, call()
 *   remembers its keys here (rememberKeys). A change to such a key, heard
 *   on the change seat, sends each client that read it one invalidation
 *   and forgets the key: the client must read it again to hear of the next
 *   change.
 * - BCAST mode: nothing is remembered; clients subscribe to key prefixes,
 *   and the keys changed under each prefix during one event-loop turn are
 *   sent together at the end of the turn (Redis's beforeSleep).
 * - FLUSHDB / FLUSHALL send every tracking client a null: "everything".
 *
 * Keys are global, not per database, as in Redis.
 *
 * A message goes to the client itself as a RESP3 push (`>2 invalidate
 * [keys]`), or, with REDIRECT, to another client: as a push if that one
 * speaks RESP3, as a `message` on `__redis__:invalidate` if it is a RESP2
 * client in the subscribed context (subscribed to any channel: Redis writes
 * the message to it directly, it is not a publish), else not at all.
 *
 * Order (checked against 7.0.15): an invalidation caused by a client's own
 * command is held until the command (or the whole EXEC) has replied
 * (trackingHandlePendingKeyInvalidations); one for any other client is
 * written at once, after whatever that client already has pending.
 */
import type { Client } from '../commands/types.js';
import type { CommandTable, TableEntry } from '../commands/table.js';

/** call()'s exceptions to remembering a read-only command's keys: evalRoCommand, evalShaRoCommand, fcallroCommand. */
const READ_ONLY_SCRIPT_COMMANDS: ReadonlySet<string> = new Set(['eval_ro', 'evalsha_ro', 'fcall_ro']);

/** The channel RESP2 clients get invalidations on, through REDIRECT. */
export const INVALIDATION_CHANNEL = '__redis__:invalidate';

const INVALIDATE_PUSH = '>2\r\n$10\r\ninvalidate\r\n';
const INVALIDATE_MESSAGE = '*3\r\n$7\r\nmessage\r\n$' + INVALIDATION_CHANNEL.length + '\r\n' + INVALIDATION_CHANNEL + '\r\n';

/** The options of CLIENT TRACKING ON that become client flags. */
export interface TrackingOptions {
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
}

/**
 * One client's tracking flags (Redis's CLIENT_TRACKING_* bits,
 * client_tracking_redirection and client_tracking_prefixes). A client gets
 * one the first time it turns tracking on and keeps it, off or on, for
 * its lifetime: call() only looks at clients that have one.
 */
export class ClientTrackingState {
  /** CLIENT_TRACKING */
  on = false;
  /** The client the messages go to, 0 for the client itself. Kept after OFF, as Redis keeps it. */
  redirect = 0;
  /** CLIENT_TRACKING_BROKEN_REDIR: the redirect client went away (CLIENT LIST flag R). */
  brokenRedirect = false;
  bcast = false;
  optin = false;
  optout = false;
  /** CLIENT CACHING YES (under OPTIN) or NO (under OPTOUT), for the next command or transaction. */
  caching = false;
  noloop = false;
  /** BCAST prefixes (client_tracking_prefixes). */
  prefixes: Set<string> | null = null;

  /** The prefixes in Redis's rax order (byte order), as TRACKINGINFO lists them. */
  sortedPrefixes(): string[] {
    return this.prefixes === null ? [] : [...this.prefixes].sort(byteOrder);
  }
}

/** bcastState: the keys changed under one prefix this turn (with who changed each last), and its clients. */
interface BroadcastState {
  readonly keys: Map<string, Client | null>;
  readonly clients: Set<Client>;
}

interface TrackedKey {
  readonly ids: Set<number>;
  /** Index in TrackingTable.keys, for picking a random key in O(1). */
  slot: number;
}

/**
 * TrackingTable: key → ids of the clients that may have it cached. Ids,
 * not clients: a client that goes away leaves its ids behind, and they
 * are skipped when the key is invalidated, as Redis removes them lazily.
 */
class TrackingTable {
  private readonly entries = new Map<string, TrackedKey>();
  private readonly keys: string[] = [];
  /** TrackingTableTotalItems: ids stored across all keys. */
  items = 0;

  get size(): number {
    return this.entries.size;
  }

  add(key: string, id: number): void {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { ids: new Set(), slot: this.keys.length };
      this.entries.set(key, entry);
      this.keys.push(key);
    }
    if (!entry.ids.has(id)) {
      entry.ids.add(id);
      this.items++;
    }
  }

  /** Removes the key, returning the ids that were waiting for it. */
  take(key: string): Set<number> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    const last = this.keys.pop()!;
    if (last !== key) {
      this.keys[entry.slot] = last;
      this.entries.get(last)!.slot = entry.slot;
    }
    this.items -= entry.ids.size;
    return entry.ids;
  }

  randomKey(): string | undefined {
    return this.keys.length === 0 ? undefined : this.keys[Math.floor(Math.random() * this.keys.length)];
  }

  clear(): void {
    this.entries.clear();
    this.keys.length = 0;
    this.items = 0;
  }
}

export class ClientTracking {
  /** server.tracking_clients: clients with tracking on (INFO tracking_clients). */
  clientCount = 0;
  /** tracking-table-max-keys; 0 is no limit. */
  maxKeys = 1_000_000;

  /** Redis creates its tables when the first client turns tracking on, and only then listens to changes. */
  private created = false;
  private readonly table = new TrackingTable();
  /** PrefixTable: BCAST prefix → its state. */
  private readonly prefixTable = new Map<string, BroadcastState>();
  /**
   * The tracking client whose command is running (Redis's current_client
   * during call(), which is all that tracking asks of it), or null.
   */
  private current: Client | null = null;
  /** True while `current` is inside call() (Redis's fixed_time_expire): its own invalidations wait. */
  private currentInCall = false;
  /** server.tracking_pending_keys: the current client's own invalidations (null: a flush), sent after its reply. */
  private pending: Array<string | null> = [];
  /** trackingLimitUsedSlots' timeout_counter: how many calls in a row ended still over the limit. */
  private overLimitRuns = 0;
  private broadcastScheduled = false;

  constructor(
    private readonly clients: ReadonlyMap<number, Client>,
    private readonly commands: CommandTable,
  ) {}

  /** INFO tracking_total_keys */
  get totalKeys(): number {
    return this.table.size;
  }

  /** INFO tracking_total_items */
  get totalItems(): number {
    return this.table.items;
  }

  /** INFO tracking_total_prefixes */
  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  /**
   * enableTracking: `redirect` is a client id (0 for none) that the caller
   * has checked exists; `prefixes` are BCAST's, already checked for overlaps.
   */
  enable(c: Client, redirect: number, options: TrackingOptions, prefixes: readonly string[]): void {
    const state = (c.tracking ??= new ClientTrackingState());
    if (!state.on) this.clientCount++;
    state.on = true;
    state.brokenRedirect = false;
    state.bcast = false;
    state.optin = false;
    state.optout = false;
    state.noloop = false;
    state.redirect = redirect;
    this.created = true;
    if (options.bcast) {
      state.bcast = true;
      if (prefixes.length === 0) this.subscribePrefix(c, state, '');
      for (const prefix of prefixes) this.subscribePrefix(c, state, prefix);
    }
    state.optin = options.optin;
    state.optout = options.optout;
    state.noloop = options.noloop;
  }

  /**
   * disableTracking: CLIENT TRACKING OFF, RESET and disconnects. The ids
   * the client left in the table stay there until their keys change.
   */
  disable(c: Client): void {
    const state = c.tracking;
    if (state === null) return;
    if (state.bcast && state.prefixes !== null) {
      for (const prefix of state.prefixes) {
        const bs = this.prefixTable.get(prefix);
        if (bs === undefined) continue;
        bs.clients.delete(c);
        if (bs.clients.size === 0) this.prefixTable.delete(prefix);
      }
      state.prefixes = null;
    }
    if (state.on) {
      this.clientCount--;
      state.on = false;
      state.brokenRedirect = false;
      state.bcast = false;
      state.optin = false;
      state.optout = false;
      state.caching = false;
      state.noloop = false;
    }
  }

  /**
   * A tracking client starts a command in call(). Nested calls (EXEC's
   * commands) are the same client, and blocked clients are served only
   * after the outermost call has left, so one slot is enough.
   */
  enterCommand(c: Client): void {
    this.current = c;
    this.currentInCall = true;
  }

  /**
   * A tracking client's call() is done: trackingRememberKeys for a
   * read-only command (`entry` is null for a served blocked client, which
   * remembers nothing), then, once the outermost call ends, its own
   * invalidations, after its reply (afterCommand).
   */
  leaveCommand(c: Client, entry: TableEntry | null, argv: readonly string[] | null, outermost: boolean): void {
    const state = c.tracking!;
    // A read-only script remembers nothing as itself, only through the reads it makes (scriptRead).
    if (entry !== null && entry.isReadonly && state.on && !state.bcast && !READ_ONLY_SCRIPT_COMMANDS.has(entry.fullName)) {
      this.rememberKeys(c, state, entry, argv!);
    }
    if (!outermost) return;
    this.sendPending();
    this.current = null;
    this.currentInCall = false;
  }

  /**
   * A script run by `caller` made a read-only call: as Redis does for
   * server.script_caller, the caller remembers the keys its EVAL or FCALL
   * declared (all of them, whatever the script read).
   */
  scriptRead(caller: Client, callerEntry: TableEntry, callerArgv: readonly string[]): void {
    const state = caller.tracking;
    if (state !== null && state.on && !state.bcast) this.rememberKeys(caller, state, callerEntry, callerArgv);
  }

  /**
   * resetClient's rule for CLIENT CACHING, applied as the next command
   * arrives: the flag lasts for one command after CLIENT CACHING (any
   * CLIENT subcommand keeps it), or for a whole MULTI ... EXEC.
   */
  commandArriving(c: Client): void {
    const state = c.tracking!;
    if (state.caching && c.multi === null && !c.lastCommand.startsWith('client|')) state.caching = false;
  }

  /**
   * trackingLimitUsedSlots: past tracking-table-max-keys, forget random
   * keys, telling their clients as if the keys had changed. The effort
   * grows with each call that could not get under the limit. `current` is
   * the client about to run a command (processCommand's current_client), or
   * null from the timer.
   */
  limitUsedSlots(current: Client | null): void {
    if (!this.created || this.maxKeys === 0) return;
    if (this.table.size <= this.maxKeys) {
      this.overLimitRuns = 0;
      return;
    }
    const outerCurrent = this.current;
    const outerInCall = this.currentInCall;
    // Before call(): the client's own messages go at once, not after its reply.
    this.current = current;
    this.currentInCall = false;
    try {
      let effort = 100 * (this.overLimitRuns + 1);
      while (effort > 0) {
        effort--;
        const key = this.table.randomKey();
        if (key === undefined) break;
        this.invalidateKey(key);
        if (this.table.size <= this.maxKeys) {
          this.overLimitRuns = 0;
          return;
        }
      }
      this.overLimitRuns++;
    } finally {
      this.current = outerCurrent;
      this.currentInCall = outerInCall;
    }
  }

  /**
   * The seat's listener: `key` changed (signalModifiedKey →
   * trackingInvalidateKey). Expiry changes a key "without a client", so
   * BCAST's NOLOOP does not hide it from the client whose read expired it.
   */
  keyModified(key: string, event: string): void {
    if (!this.created) return;
    if (this.prefixTable.size !== 0) this.rememberKeyToBroadcast(key, event === 'expired' ? null : this.current);
    this.invalidateKey(key);
  }

  /** FLUSHDB / FLUSHALL (trackingInvalidateKeysOnFlush): a null to every tracking client, and the table is emptied. */
  flushed(): void {
    if (this.clientCount !== 0) {
      for (const c of this.clients.values()) {
        if (c.tracking === null || !c.tracking.on) continue;
        if (c === this.current) this.pending.push(null);
        else this.send(c, nullReply(c));
      }
    }
    if (this.created) this.table.clear();
  }

  /** trackingRememberKeys */
  private rememberKeys(c: Client, state: ClientTrackingState, entry: TableEntry, argv: readonly string[]): void {
    if ((state.optin && !state.caching) || (state.optout && state.caching)) return;
    const positions = this.commands.keyPositions(entry, argv);
    if (positions.length === 0) return;
    // Shard channels are keys only for cluster routing; they are not cached.
    if (entry.spec.flags.includes('pubsub')) return;
    for (const position of positions) this.table.add(argv[position]!, c.id);
  }

  /** enableBcastTrackingForPrefix */
  private subscribePrefix(c: Client, state: ClientTrackingState, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (bs === undefined) {
      bs = { keys: new Map(), clients: new Set() };
      this.prefixTable.set(prefix, bs);
    }
    if (!bs.clients.has(c)) {
      bs.clients.add(c);
      (state.prefixes ??= new Set()).add(prefix);
    }
  }

  /** trackingRememberKeyToBroadcast: `modifier` is the client that changed the key, for NOLOOP. */
  private rememberKeyToBroadcast(key: string, modifier: Client | null): void {
    let recorded = false;
    for (const [prefix, bs] of this.prefixTable) {
      if (!key.startsWith(prefix)) continue;
      bs.keys.set(key, modifier);
      recorded = true;
    }
    if (recorded && !this.broadcastScheduled) {
      this.broadcastScheduled = true;
      // Redis sends them in beforeSleep, once the turn's commands have run.
      setImmediate(() => {
        this.broadcastScheduled = false;
        this.broadcastInvalidations();
      });
    }
  }

  /** trackingInvalidateKey, without the broadcast part (which keyModified does). */
  private invalidateKey(key: string): void {
    const ids = this.table.take(key);
    if (ids === undefined) return;
    const current = this.current;
    // Redis visits the ids in its rax's byte order. Each target gets the
    // same message, so no client can see the order, even when several
    // targets redirect to one client.
    for (const id of ids) {
      const target = this.clients.get(id);
      const state = target?.tracking;
      // A client that moved to BCAST mode since it read the key is not told.
      if (target === undefined || state == null || !state.on || state.bcast) continue;
      if (state.noloop && target === current) continue;
      if (target === current && this.currentInCall) this.pending.push(key);
      else this.send(target, keyArray(key));
    }
  }

  /** trackingHandlePendingKeyInvalidations */
  private sendPending(): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    const c = this.current;
    if (c === null) return;
    for (const key of pending) this.send(c, key === null ? nullReply(c) : keyArray(key));
  }

  /** trackingBroadcastInvalidationMessages: each prefix's changed keys to its clients, prefixes in byte order. */
  private broadcastInvalidations(): void {
    if (this.clientCount === 0) return;
    const prefixes = [...this.prefixTable.keys()].sort(byteOrder);
    for (const prefix of prefixes) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size === 0) continue;
      const keys = [...bs.keys.keys()].sort(byteOrder);
      const everyKey = broadcastReply(keys, bs.keys, null);
      for (const c of bs.clients) {
        if (c.tracking!.noloop) {
          const others = broadcastReply(keys, bs.keys, c);
          if (others !== null) this.send(c, others);
        } else {
          this.send(c, everyKey!);
        }
      }
      bs.keys.clear();
    }
  }

  /**
   * sendTrackingMessage: `payload` is the RESP of the keys array (or of a
   * null). Through a REDIRECT that went away, a RESP3 client is told so
   * instead, each time.
   */
  private send(c: Client, payload: string): void {
    const state = c.tracking!;
    let target = c;
    let redirected = false;
    if (state.redirect !== 0) {
      const redirect = this.clients.get(state.redirect);
      if (redirect === undefined) {
        state.brokenRedirect = true;
        if (c.reply.protocol === 3) {
          c.reply.push('>2\r\n$21\r\ntracking-redir-broken\r\n:' + state.redirect + '\r\n');
          c.outputAdded();
        }
        return;
      }
      target = redirect;
      redirected = true;
    }
    if (target.reply.protocol === 3) {
      target.reply.push(INVALIDATE_PUSH + payload);
    } else if (redirected && target.subscriptions !== null && target.subscriptions.total !== 0) {
      target.reply.push(INVALIDATE_MESSAGE + payload);
    } else {
      // RESP2 has no pushes: without a subscribed redirect client there is nowhere to send it.
      return;
    }
    target.outputAdded();
  }
}

/** A one-key invalidation's keys array. */
function keyArray(key: string): string {
  return '*1\r\n$' + key.length + '\r\n' + key + '\r\n';
}

/** shared.null[c->resp]: a flush's "every key", in the tracking client's own protocol (even when redirected). */
function nullReply(c: Client): string {
  return c.reply.protocol === 3 ? '_\r\n' : '$-1\r\n';
}

/**
 * trackingBuildBroadcastReply: the keys array for a prefix, without the
 * keys `exclude` changed last (NOLOOP); null when that leaves none.
 */
function broadcastReply(keys: readonly string[], modifiers: Map<string, Client | null>, exclude: Client | null): string | null {
  let body = '';
  let count = 0;
  for (const key of keys) {
    if (exclude !== null && modifiers.get(key) === exclude) continue;
    body += '$' + key.length + '\r\n' + key + '\r\n';
    count++;
  }
  if (count === 0 && exclude !== null) return null;
  return '*' + count + '\r\n' + body;
}

/** memcmp order of latin1 strings: JS compares UTF-16 code units, which are the bytes here. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
