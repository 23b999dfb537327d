/**
 * WatchRegistry (server/watch.ts): which clients watch which keys, and how
 * a change to a key or a whole database marks them dirty, with Redis's
 * rules for keys that had expired when they were watched (multi.c).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Client, WatchedKey } from '../../../src/commands/types.js';
import { WatchRegistry } from '../../../src/server/watch.js';
import type { Database } from '../../../src/store/database.js';
import { Keyspace } from '../../../src/store/keyspace.js';

/** The two fields of a Client the registry reads and writes. */
function client(): Client {
  return { watchedKeys: new Map<string, WatchedKey>(), watchDirty: false } as unknown as Client;
}

let keyspace: Keyspace;
let db: Database[];
beforeEach(() => {
  keyspace = new Keyspace(16);
  keyspace.now = 1_000_000;
  db = keyspace.databases;
});

/** A key whose time has passed but that nothing has deleted yet. */
function expiredKey(database: Database, key: string): void {
  database.set(key, 'v');
  database.setExpire(key, keyspace.now - 1);
}

describe('WatchRegistry', () => {
  it('marks the watchers of a touched key dirty, and only them', () => {
    const watches = new WatchRegistry();
    const [a, b, c] = [client(), client(), client()];
    watches.watch(a, db[0]!, 'k');
    watches.watch(b, db[0]!, 'k');
    watches.watch(c, db[0]!, 'other');
    watches.touch(db[0]!, 'k');
    expect([a.watchDirty, b.watchDirty, c.watchDirty]).toEqual([true, true, false]);
  });

  it('tells databases apart: the same key in another database is another key', () => {
    const watches = new WatchRegistry();
    const a = client();
    watches.watch(a, db[1]!, 'k');
    watches.touch(db[0]!, 'k');
    expect(a.watchDirty).toBe(false);
    watches.touch(db[1]!, 'k');
    expect(a.watchDirty).toBe(true);
  });

  it('keys with NUL bytes and digits do not collide across databases', () => {
    const watches = new WatchRegistry();
    const a = client();
    watches.watch(a, db[1]!, '1\0k');
    watches.touch(db[11]!, 'k');
    expect(a.watchDirty).toBe(false);
  });

  it('a flush marks the watchers of keys that exist in the flushed database, no other', () => {
    const watches = new WatchRegistry();
    const [a, b, c] = [client(), client(), client()];
    db[2]!.set('x', 'v');
    db[12]!.set('x', 'v');
    watches.watch(a, db[2]!, 'x');
    watches.watch(b, db[2]!, 'missing');
    watches.watch(c, db[12]!, 'x');
    watches.touchDatabase(db[2]!, null);
    expect([a.watchDirty, b.watchDirty, c.watchDirty]).toEqual([true, false, false]);
  });

  it('a swap marks a watched key that exists on either side', () => {
    const watches = new WatchRegistry();
    const [a, b] = [client(), client()];
    db[1]!.set('incoming', 'v');
    watches.watch(a, db[0]!, 'incoming');
    watches.watch(b, db[0]!, 'nowhere');
    watches.touchDatabase(db[0]!, db[1]!);
    expect([a.watchDirty, b.watchDirty]).toEqual([true, false]);
  });

  it('an already expired watched key: its deletion is no change, its rewrite is', () => {
    const watches = new WatchRegistry();
    const [a, b] = [client(), client()];
    expiredKey(db[0]!, 'k');
    watches.watch(a, db[0]!, 'k');
    expect(a.watchedKeys.get('0\0k')!.expired).toBe(true);
    db[0]!.delete('k');
    watches.touch(db[0]!, 'k');
    expect(a.watchDirty).toBe(false);
    expect(a.watchedKeys.get('0\0k')!.expired).toBe(false);
    db[0]!.set('k', 'again');
    watches.touch(db[0]!, 'k');
    expect(a.watchDirty).toBe(true);

    expiredKey(db[3]!, 'k');
    watches.watch(b, db[3]!, 'k');
    db[3]!.set('k', 'rewritten');
    watches.touch(db[3]!, 'k');
    expect(b.watchDirty).toBe(true);
  });

  it('an already expired watched key flushed away is no change', () => {
    const watches = new WatchRegistry();
    const a = client();
    expiredKey(db[0]!, 'k');
    watches.watch(a, db[0]!, 'k');
    watches.touchDatabase(db[0]!, null);
    expect(a.watchDirty).toBe(false);
  });

  it('a missing watched key swapped for an expired one is flagged expired, not dirty', () => {
    const watches = new WatchRegistry();
    const a = client();
    expiredKey(db[1]!, 'k');
    watches.watch(a, db[0]!, 'k');
    watches.touchDatabase(db[0]!, db[1]!);
    expect(a.watchDirty).toBe(false);
    expect(a.watchedKeys.get('0\0k')!.expired).toBe(true);
  });

  it('EXEC fails for a watched key whose time passed since WATCH, not one already expired then', () => {
    const watches = new WatchRegistry();
    const [a, b] = [client(), client()];
    db[0]!.set('later', 'v');
    db[0]!.setExpire('later', keyspace.now + 10);
    expiredKey(db[0]!, 'before');
    watches.watch(a, db[0]!, 'later');
    watches.watch(b, db[0]!, 'before');
    expect(watches.expiredSinceWatch(a)).toBe(false);
    keyspace.now += 20;
    expect(watches.expiredSinceWatch(a)).toBe(true);
    expect(watches.expiredSinceWatch(b)).toBe(false);
  });

  it('unwatchAll forgets the client and clears its dirty flag', () => {
    const watches = new WatchRegistry();
    const [a, b] = [client(), client()];
    watches.watch(a, db[0]!, 'k');
    watches.watch(b, db[0]!, 'k');
    watches.touch(db[0]!, 'k');
    watches.unwatchAll(a);
    expect(a.watchDirty).toBe(false);
    expect(a.watchedKeys.size).toBe(0);
    b.watchDirty = false;
    watches.touch(db[0]!, 'k');
    expect(a.watchDirty).toBe(false);
    expect(b.watchDirty).toBe(true);
    watches.unwatchAll(b);
    expect(watches.active).toBe(false);
  });

  it('is inactive with nobody watching; watching a key twice keeps one entry', () => {
    const watches = new WatchRegistry();
    expect(watches.active).toBe(false);
    watches.touch(db[0]!, 'k');
    watches.touchDatabase(db[0]!, null);
    const a = client();
    watches.watch(a, db[0]!, 'k');
    watches.watch(a, db[0]!, 'k');
    expect(watches.active).toBe(true);
    expect([...a.watchedKeys.keys()]).toEqual(['0\0k']);
  });
});
