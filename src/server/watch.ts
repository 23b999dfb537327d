/**
 * WATCH bookkeeping (Redis's multi.c): which clients watch which (database,
 * key), so that a change to the key dooms their next EXEC. It listens to
 * the keyspace's change seat (the server wires it), so writes, expiry,
 * flushes and swaps all reach it the same way.
 *
 * As in Redis, a key that had already expired (but was not yet deleted)
 * when it was watched is flagged: its deletion is no logical change, and
 * only its coming back to life counts.
 */
import type { Client, WatchedKey, WatchService } from '../commands/types.js';
import type { Database } from '../store/database.js';


export class WatchRegistry implements WatchService {
  /** `${dbId}\0${key}` → each watching client's watchedKey. */
  private readonly watchers = new Map<string, Map<Client, WatchedKey>>();

  get active(): boolean {
    return this.watchers.size !== 0;
  }

  /** watchForKey */
  watch(client: Client, db: Database, key: string): void {
    const id = db.id + '\0' + key;
    if (client.watchedKeys.has(id)) return;
    const watched: WatchedKey = { db, key, expired: db.isLogicallyExpired(key) };
    let clients = this.watchers.get(id);
    if (!clients) this.watchers.set(id, (clients = new Map()));
    clients.set(client, watched);
    client.watchedKeys.set(id, watched);
  }

  /** UNWATCH, EXEC, DISCARD, RESET and disconnect: forget the client's keys. */
  unwatchAll(client: Client): void {
    for (const id of client.watchedKeys.keys()) {
      const clients = this.watchers.get(id);
      if (!clients) continue;
      clients.delete(client);
      if (clients.size === 0) this.watchers.delete(id);
    }
    client.watchedKeys.clear();
    client.watchDirty = false;
  }

  /**
   * isWatchedKeyExpired: a watched key whose time has passed since WATCH
   * fails the EXEC even though nobody has deleted it yet.
   */
  expiredSinceWatch(client: Client): boolean {
    for (const watched of client.watchedKeys.values()) {
      if (!watched.expired && watched.db.isLogicallyExpired(watched.key)) return true;
    }
    return false;
  }

  /** touchWatchedKey: `key` in `db` changed (written, deleted, expired). */
  touch(db: Database, key: string): void {
    if (this.watchers.size === 0) return;
    const clients = this.watchers.get(db.id + '\0' + key);
    if (!clients) return;
    for (const [client, watched] of clients) {
      // An already expired key that is now deleted: logically no change.
      if (watched.expired && !db.hasEntry(key)) {
        watched.expired = false;
        continue;
      }
      client.watchDirty = true;
    }
  }

  /**
   * touchAllWatchedKeysInDb, before FLUSHDB/FLUSHALL empty `emptied` or
   * SWAPDB replaces its contents with `replacedWith`'s: a watched key
   * counts as changed when it exists in either, with Redis's rules for keys
   * that are or become logically expired.
   */
  touchDatabase(emptied: Database, replacedWith: Database | null): void {
    if (this.watchers.size === 0) return;
    const prefix = emptied.id + '\0';
    for (const [id, clients] of this.watchers) {
      if (!id.startsWith(prefix)) continue;
      const key = id.slice(prefix.length);
      const existsInEmptied = emptied.hasEntry(key);
      if (!existsInEmptied && !(replacedWith !== null && replacedWith.hasEntry(key))) continue;
      for (const [client, watched] of clients) {
        if (watched.expired) {
          if (replacedWith === null || !replacedWith.hasEntry(key)) {
            // The expired key is deleted: no logical change.
            watched.expired = false;
            continue;
          }
          // It stays expired.
          if (replacedWith.isLogicallyExpired(key)) continue;
        } else if (!existsInEmptied && replacedWith !== null && replacedWith.isLogicallyExpired(key)) {
          // A missing key replaced by an expired one.
          watched.expired = true;
          continue;
        }
        client.watchDirty = true;
      }
    }
  }
}
