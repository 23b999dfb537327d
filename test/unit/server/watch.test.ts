/**
 * WatchRegistry (server/watch.ts): which clients watch which keys, and how
 * a change to a key or a whole database marks them dirty.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from '../../../src/commands/types.js';
import { WatchRegistry } from '../../../src/server/watch.js';

/** The two fields of a Client the registry reads and writes. */
function client(): Client {
  return { watchedKeys: new Set<string>(), watchDirty: false } as unknown as Client;
}

describe('WatchRegistry', () => {
  it('marks the watchers of a touched key dirty, and only them', () => {
    const watches = new WatchRegistry();
    const a = client();
    const b = client();
    const c = client();
    watches.watch(a, 0, 'k');
    watches.watch(b, 0, 'k');
    watches.watch(c, 0, 'other');
    watches.touch(0, 'k');
    expect([a.watchDirty, b.watchDirty, c.watchDirty]).toEqual([true, true, false]);
  });

  it('tells databases apart: the same key in another database is another key', () => {
    const watches = new WatchRegistry();
    const a = client();
    watches.watch(a, 1, 'k');
    watches.touch(0, 'k');
    expect(a.watchDirty).toBe(false);
    watches.touch(1, 'k');
    expect(a.watchDirty).toBe(true);
  });

  it('keys with NUL bytes and digits do not collide across databases', () => {
    const watches = new WatchRegistry();
    const a = client();
    watches.watch(a, 1, '1\0k');
    watches.touch(11, 'k');
    expect(a.watchDirty).toBe(false);
  });

  it('a database change marks every watcher of that database, no other', () => {
    const watches = new WatchRegistry();
    const a = client();
    const b = client();
    const c = client();
    watches.watch(a, 2, 'x');
    watches.watch(b, 2, 'y');
    watches.watch(c, 12, 'x');
    watches.touchDatabase(2);
    expect([a.watchDirty, b.watchDirty, c.watchDirty]).toEqual([true, true, false]);
  });

  it('unwatchAll forgets the client and clears its dirty flag', () => {
    const watches = new WatchRegistry();
    const a = client();
    const b = client();
    watches.watch(a, 0, 'k');
    watches.watch(b, 0, 'k');
    watches.touch(0, 'k');
    watches.unwatchAll(a);
    expect(a.watchDirty).toBe(false);
    expect(a.watchedKeys.size).toBe(0);
    b.watchDirty = false;
    watches.touch(0, 'k');
    expect(a.watchDirty).toBe(false);
    expect(b.watchDirty).toBe(true);
    watches.unwatchAll(b);
    expect(watches.active).toBe(false);
  });

  it('is inactive with nobody watching, and a touch then costs nothing', () => {
    const watches = new WatchRegistry();
    expect(watches.active).toBe(false);
    watches.touch(0, 'k');
    watches.touchDatabase(0);
    const a = client();
    watches.watch(a, 0, 'k');
    watches.watch(a, 0, 'k');
    expect(watches.active).toBe(true);
    expect(a.watchedKeys).toEqual(new Set(['0\0k']));
  });
});
