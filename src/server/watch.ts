/**
 * WATCH bookkeeping (Redis's multi.c touchWatchedKey): which clients watch
 * which (database, key), so that a change to the key dooms their next
 * EXEC. It listens to the keyspace's change seat (the server wires it), so
 * writes, expiry, flushes and swaps all reach it the same way.
 */
import type { Client, WatchService } from '../commands/types.js';

export class WatchRegistry implements WatchService {
  /** `${dbId}\0${key}` → clients watching it. */
  private readonly watchers = new Map<string, Set<Client>>();

  get active(): boolean {
    return this.watchers.size !== 0;
  }

  watch(client: Client, dbId: number, key: string): void {
    const id = dbId + '\0' + key;
    let set = this.watchers.get(id);
    if (!set) this.watchers.set(id, (set = new Set()));
    set.add(client);
    client.watchedKeys.add(id);
  }

  /** UNWATCH, EXEC, DISCARD, RESET and disconnect: forget the client's keys. */
  unwatchAll(client: Client): void {
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
    if (this.watchers.size === 0) return;
    const set = this.watchers.get(dbId + '\0' + key);
    if (set) for (const client of set) client.watchDirty = true;
  }

  /** FLUSHDB/FLUSHALL/SWAPDB: every watched key of the database counts as touched. */
  touchDatabase(dbId: number): void {
    if (this.watchers.size === 0) return;
    const prefix = dbId + '\0';
    for (const [id, set] of this.watchers) {
      if (id.startsWith(prefix)) for (const client of set) client.watchDirty = true;
    }
  }
}
