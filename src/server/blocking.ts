/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), served the way
 * Redis's blocked.c serves them:
 *
 * - each (database, key) has a first-in first-out queue of waiters;
 * - it listens to the keyspace's change seat: a changed key with waiters
 *   becomes ready, and once the writer's command is done (call()) the
 *   ready keys are served, oldest waiter first, before its next command;
 * - serving runs as a command of its own (dispatch's serveBlockedClient),
 *   so the pop announces and propagates its changes like any command;
 * - a served client's reply goes out immediately and its pipelined commands
 *   resume on the next turn of the event loop;
 * - a timeout answers the command's "nothing" reply; a disconnect just
 *   removes the waiter.
 */
import { errors } from '../errors.js';
import type { BlockRequest, BlockingService, Client } from '../commands/types.js';
import type { TableEntry } from '../commands/table.js';

/** Runs one serve attempt as a command (dispatch's serveBlockedClient). */
export type ServeAsCommand = (client: Client, entry: TableEntry, attempt: () => boolean) => boolean;

/** What a blocked client does once its wait ends: reply out, pipeline resumed. */
export interface BlockableClient extends Client {
  resumeAfterUnblock(): void;
}

/** How soon a timeout that fell while a script was busy is tried again. */
const BUSY_RETRY_MS = 10;

/** setTimeout's largest delay. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

interface Waiter {
  readonly client: BlockableClient;
  /** The blocking command, served under its own name. */
  readonly entry: TableEntry;
  readonly dbId: number;
  readonly request: BlockRequest;
  timer: NodeJS.Timeout | null;
}

export class BlockingManager implements BlockingService {
  /** `${dbId}\0${key}` → waiters in arrival order. */
  private readonly queues = new Map<string, Waiter[]>();
  private readonly byClient = new Map<Client, Waiter>();
  private readonly readyKeys = new Set<string>();
  private serving = false;

  constructor(
    private readonly serveAsCommand: ServeAsCommand,
    /** A script is busy: Redis runs no time events then, so timeouts wait for it to end. */
    private readonly scriptBusy: () => boolean = () => false,
  ) {}

  /** True when any client is blocked: the dispatcher's cheap check. */
  get active(): boolean {
    return this.byClient.size !== 0;
  }

  get blockedClients(): number {
    return this.byClient.size;
  }

  isBlocked(client: Client): boolean {
    return this.byClient.has(client);
  }

  /** Blocks `client` until a key is served, the timeout passes or it is unblocked. */
  block(client: BlockableClient, request: BlockRequest, now: number): void {
    const entry = client.currentCommand;
    if (entry === null) throw new Error('a client can only block inside a command');
    const waiter: Waiter = { client, entry, dbId: client.db.id, request, timer: null };
    for (const key of new Set(request.keys)) {
      const id = queueId(waiter.dbId, key);
      const queue = this.queues.get(id);
      if (queue) queue.push(waiter);
      else this.queues.set(id, [waiter]);
    }
    this.byClient.set(client, waiter);
    if (request.timeoutMs > 0) this.armTimer(waiter, request.timeoutMs - now);
  }

  /**
   * Node runs a timer whose delay exceeds 2^31-1 ms (about 24.8 days) after
   * 1 ms instead, so a longer wait is taken in steps of at most that.
   */
  private armTimer(waiter: Waiter, delay: number): void {
    if (delay > MAX_TIMER_DELAY) {
      waiter.timer = setTimeout(() => this.armTimer(waiter, delay - MAX_TIMER_DELAY), MAX_TIMER_DELAY);
    } else {
      waiter.timer = setTimeout(() => this.timeOut(waiter), Math.max(0, delay));
    }
    waiter.timer.unref();
  }

  /** A write touched `key` in database `dbId`: serve its waiters after this command. */
  signal(dbId: number, key: string): void {
    if (this.byClient.size === 0) return;
    const id = queueId(dbId, key);
    if (this.queues.has(id)) this.readyKeys.add(id);
  }

  /** Signals every waited-on key of a database (SWAPDB, FLUSHALL's counterpart). */
  signalDatabase(dbId: number): void {
    if (this.byClient.size === 0) return;
    const prefix = dbId + '\0';
    for (const id of this.queues.keys()) if (id.startsWith(prefix)) this.readyKeys.add(id);
  }

  /**
   * Serves every ready key, oldest waiter first, until a key runs dry or
   * nobody waits on it. Serving can make other keys ready (BLMOVE pushes), so
   * this loops until nothing is ready.
   */
  serveReady(): void {
    if (this.serving || this.readyKeys.size === 0) return;
    this.serving = true;
    try {
      while (this.readyKeys.size !== 0) {
        const id = this.readyKeys.values().next().value as string;
        this.readyKeys.delete(id);
        const queue = this.queues.get(id);
        if (!queue) continue;
        const key = id.slice(id.indexOf('\0') + 1);
        // Oldest first. A waiter the key can't satisfy (empty now, or another
        // type than it waits for) keeps its place; later ones still get a try.
        for (const waiter of [...queue]) {
          if (this.byClient.get(waiter.client) !== waiter) continue;
          const client = waiter.client;
          const savedDb = client.db;
          client.selectDb(waiter.dbId);
          let served: boolean;
          try {
            served = this.serveAsCommand(client, waiter.entry, () => waiter.request.tryServe(key));
          } finally {
            client.selectDb(savedDb.id);
          }
          if (!served) continue;
          this.release(waiter);
          client.resumeAfterUnblock();
        }
      }
    } finally {
      this.serving = false;
    }
  }

  /** CLIENT UNBLOCK: ends the wait with the timeout reply, or with an error. */
  unblock(client: Client, error: string | null): boolean {
    const waiter = this.byClient.get(client);
    if (!waiter) return false;
    this.release(waiter);
    if (error === null) waiter.request.onTimeout();
    else waiter.client.reply.error(error);
    waiter.client.resumeAfterUnblock();
    return true;
  }

  /** The client went away: forget it without replying. */
  drop(client: Client): void {
    const waiter = this.byClient.get(client);
    if (waiter) this.release(waiter);
  }

  private timeOut(waiter: Waiter): void {
    if (this.byClient.get(waiter.client) !== waiter) return;
    // Redis runs no time events while a script is busy: the timeout is
    // answered once it has ended.
    if (this.scriptBusy()) {
      waiter.timer = setTimeout(() => this.timeOut(waiter), BUSY_RETRY_MS);
      return;
    }
    this.release(waiter);
    try {
      waiter.request.onTimeout();
    } catch (error) {
      if (waiter.client.server.clientWarnings.allow()) waiter.client.log.error({ err: error }, 'answering a blocking timeout failed');
      waiter.client.reply.error(errors.internalBlockedTimeout);
    }
    waiter.client.resumeAfterUnblock();
  }

  private release(waiter: Waiter): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    this.byClient.delete(waiter.client);
    for (const key of new Set(waiter.request.keys)) {
      const id = queueId(waiter.dbId, key);
      const queue = this.queues.get(id);
      if (!queue) continue;
      const index = queue.indexOf(waiter);
      if (index !== -1) queue.splice(index, 1);
      if (queue.length === 0) this.queues.delete(id);
    }
  }
}

function queueId(dbId: number, key: string): string {
  return dbId + '\0' + key;
}
