/**
 * WATCH bookkeeping (Redis's multi.c touchWatchedKey): which clients watch
 * which (database, key), so that a write to the key dooms their next EXEC.
 */
import type { Connection } from './connection.js';

export class WatchRegistry {
  /** `${dbId}\0${key}` → clients watching it. */
  private readonly watchers = new Map<string, Set<Connection>>();

  get active(): boolean {
    return this.watchers.size !== 0;
  }

  watch(client: Connection, dbId: number, key: string): void {
    const id = dbId + '\0' + key;
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(client);
    client.watchedKeys.add(id);
  }

  /** UNWATCH, EXEC, DISCARD, RESET and disconnect: forget the client's keys. */
  unwatchAll(client: Connection): void {
    for (const id of client.watchedKeys) {
      const set = this.watchers.get(id);
      if (!set) continue;
      set.delete(client);
      if (set.size === 0) this.watchers.delete(id);
    }
    client.watchedKeys.clear();
    client.watchDirty = false;
  }

  /** A key was modified (written, deleted, expired): its watchers' EXEC will fail. */
  touch(dbId: number, key: string): void {
    const set = this.watchers.get(dbId + '\0' + key);
    if (set) for (const client of set) client.watchDirty = true;
  }

  /** FLUSHDB/FLUSHALL/SWAPDB: every watched key of the database counts as touched. */
  touchDatabase(dbId: number): void {
    const prefix = dbId + '\0';
    for (const [id, set] of this.watchers) {
      if (id.startsWith(prefix)) for (const client of set) client.watchDirty = true;
    }
  }
}
