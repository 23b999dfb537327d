/**
 * Clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), served the way
 * Redis's blocked.c serves them:
 *
 * - each (database, key) has a first-in first-out queue of waiters;
 * - after every write command the dispatcher signals the keys the command
 *   named (from the command table), and the ready keys are served at once,
 *   before the writer's next command, oldest waiter first;
 * - a served client's reply goes out immediately and its pipelined commands
 *   resume on the next turn of the event loop;
 * - a timeout answers the command's "nothing" reply; a disconnect just
 *   removes the waiter.
 */
import type { Connection } from './connection.js';

export interface BlockRequest {
  /** The keys to wait on, in the client's current database. */
  keys: readonly string[];
  /** Absolute deadline in ms on the server clock, or 0 to wait forever. */
  timeoutMs: number;
  /**
   * Tries to serve the client now that `key` may have data. Writes the reply
   * and returns true when served; returns false to keep waiting.
   */
  tryServe: (key: string) => boolean;
  /** Writes the reply for a timeout (a null array, usually). */
  onTimeout: () => void;
}

/** setTimeout's largest delay. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

interface Waiter {
  readonly client: Connection;
  readonly dbId: number;
  readonly request: BlockRequest;
  timer: NodeJS.Timeout | null;
}

export class BlockingManager {
  /** `${dbId}\0${key}` → waiters in arrival order. */
  private readonly queues = new Map<string, Waiter[]>();
  private readonly byClient = new Map<Connection, Waiter>();
  private readonly readyKeys = new Set<string>();
  private serving = false;

  /** True when any client is blocked: the dispatcher's cheap check. */
  get active(): boolean {
    return this.byClient.size !== 0;
  }

  get blockedClients(): number {
    return this.byClient.size;
  }

  isBlocked(client: Connection): boolean {
    return this.byClient.has(client);
  }

  /** Blocks `client` until a key is served, the timeout passes or it is unblocked. */
  block(client: Connection, request: BlockRequest, now: number): void {
    const waiter: Waiter = { client, dbId: client.db.id, request, timer: null };
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
    const id = queueId(dbId, key);
    if (this.queues.has(id)) this.readyKeys.add(id);
  }

  /** Signals every waited-on key of a database (SWAPDB, FLUSHALL's counterpart). */
  signalDatabase(dbId: number): void {
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
            served = waiter.request.tryServe(key);
          } catch (error) {
            // A failing waiter must not take the writer or the server down.
            client.log.error({ err: error }, 'serving a blocked client failed');
            client.reply.error('ERR internal error while serving a blocked command');
            served = true;
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
  unblock(client: Connection, error: string | null): boolean {
    const waiter = this.byClient.get(client);
    if (!waiter) return false;
    this.release(waiter);
    if (error === null) waiter.request.onTimeout();
    else client.reply.error(error);
    client.resumeAfterUnblock();
    return true;
  }

  /** The client went away: forget it without replying. */
  drop(client: Connection): void {
    const waiter = this.byClient.get(client);
    if (waiter) this.release(waiter);
  }

  private timeOut(waiter: Waiter): void {
    if (this.byClient.get(waiter.client) !== waiter) return;
    this.release(waiter);
    try {
      waiter.request.onTimeout();
    } catch (error) {
      waiter.client.log.error({ err: error }, 'answering a blocking timeout failed');
      waiter.client.reply.error('ERR internal error while answering a blocking timeout');
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
