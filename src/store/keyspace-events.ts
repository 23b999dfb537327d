/**
 * The one seat where every change to the keyspace is announced, as Redis
 * announces it with `signalModifiedKey` + `notifyKeyspaceEvent` (+
 * `server.dirty`). A command handler, the expiry paths, a served blocking
 * pop: whatever changes a key says so here, once, with Redis's event name
 * (`set`, `lpush`, `expired`, `rename_from`, ...).
 *
 * The empty event name is a change Redis signals without a keyspace
 * notification: a module's write (RedisBloom sends none).
 *
 * Listeners (WATCH, blocked clients, client tracking; later keyspace
 * notifications, the journal) subscribe here. No command module knows which
 * listeners exist.
 *
 * `dirty` is Redis's `server.dirty`: the number of changes since the last
 * save, counted as Redis counts them (SADD of three new members is 3, a
 * SADD of existing members is 0). `call()` compares it before and after a
 * command to decide whether the command is propagated.
 */
import type { Database } from './database.js';

/**
 * The event name of a change Redis signals (signalModifiedKey, dirty) but
 * notifies no keyspace event for: PFCOUNT writing its cached cardinality
 * back. WATCH and blocked clients see it; keyspace notifications skip it.
 */
export const SIGNAL_ONLY = '';

/** A change to one key: the database, the key, Redis's event name (or SIGNAL_ONLY). */
export type KeyModifiedListener = (db: Database, key: string, event: string) => void;

/**
 * A change to a whole database, announced before it happens: FLUSHDB and
 * FLUSHALL empty `db`; SWAPDB replaces its contents with `replacedWith`'s.
 */
export type DatabaseModifiedListener = (db: Database, event: string, replacedWith: Database | null) => void;

/**
 * A whole FLUSHDB (`db`) or FLUSHALL (null), announced once per command
 * after its databases' databaseModified: Redis's signalFlushedDb, whose
 * trackingInvalidateKeysOnFlush tells each tracking client once.
 */
export type FlushListener = (db: Database | null) => void;

export class KeyspaceEvents {
  /** Redis's server.dirty: changes since the last save. */
  dirty = 0;

  private keyListeners: KeyModifiedListener[] = [];
  private databaseListeners: DatabaseModifiedListener[] = [];
  private flushListeners: FlushListener[] = [];

  /**
   * `key` in `db` changed (or was deleted). `changes` is what the change
   * adds to `dirty`: Redis counts some changes as several (an LPUSH of n
   * elements is n) and expiry as none.
   */
  keyModified(db: Database, key: string, event: string, changes = 1): void {
    this.dirty += changes;
    const listeners = this.keyListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(db, key, event);
  }

  /**
   * Every key of `db` is about to change: FLUSHDB and FLUSHALL empty it
   * (`flushdb`), SWAPDB gives it `replacedWith`'s contents (`swapdb`).
   * Announced before the change, so listeners can still see which keys
   * existed, as Redis's touchAllWatchedKeysInDb does.
   */
  databaseModified(db: Database, event: string, changes = 1, replacedWith: Database | null = null): void {
    this.dirty += changes;
    for (const listener of this.databaseListeners) listener(db, event, replacedWith);
  }

  /** FLUSHDB of `db`, or FLUSHALL (null), has emptied its databases. */
  flushed(db: Database | null): void {
    for (const listener of this.flushListeners) listener(db);
  }

  onKeyModified(listener: KeyModifiedListener): () => void {
    this.keyListeners = [...this.keyListeners, listener];
    return () => {
      this.keyListeners = this.keyListeners.filter((l) => l !== listener);
    };
  }

  onDatabaseModified(listener: DatabaseModifiedListener): () => void {
    this.databaseListeners = [...this.databaseListeners, listener];
    return () => {
      this.databaseListeners = this.databaseListeners.filter((l) => l !== listener);
    };
  }

  onFlushed(listener: FlushListener): () => void {
    this.flushListeners = [...this.flushListeners, listener];
    return () => {
      this.flushListeners = this.flushListeners.filter((l) => l !== listener);
    };
  }
}
