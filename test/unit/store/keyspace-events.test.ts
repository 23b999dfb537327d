/**
 * The change seat (store/keyspace-events.ts): every listener hears every
 * change, in order, with the database, key and Redis's event name; dirty
 * grows by what each change counts; unsubscribing stops only that listener.
 */
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/store/keyspace.js';
import { KeyspaceEvents } from '../../../src/store/keyspace-events.js';

describe('KeyspaceEvents', () => {
  const keyspace = new Keyspace(4);
  const [db0, db1] = keyspace.databases;

  it('hands each key change to every key listener, in order', () => {
    const events = new KeyspaceEvents();
    const first: string[] = [];
    const second: string[] = [];
    events.onKeyModified((db, key, event) => first.push(`${db.id} ${event} ${key}`));
    events.onKeyModified((db, key, event) => second.push(`${db.id} ${event} ${key}`));
    events.keyModified(db0!, 'a', 'set');
    events.keyModified(db1!, 'b', 'move_to');
    expect(first).toEqual(['0 set a', '1 move_to b']);
    expect(second).toEqual(first);
  });

  it('counts dirty by the changes each call reports: 1 by default, n, or none', () => {
    const events = new KeyspaceEvents();
    events.keyModified(db0!, 'a', 'set');
    expect(events.dirty).toBe(1);
    events.keyModified(db0!, 'l', 'rpush', 3);
    expect(events.dirty).toBe(4);
    events.keyModified(db0!, 'x', 'expired', 0);
    events.databaseModified(db0!, 'flushdb', 7);
    expect(events.dirty).toBe(11);
    events.dirty += 2;
    expect(events.dirty).toBe(13);
  });

  it('keeps database changes apart from key changes', () => {
    const events = new KeyspaceEvents();
    const keys: string[] = [];
    const databases: string[] = [];
    events.onKeyModified((db, key, event) => keys.push(`${db.id} ${event} ${key}`));
    events.onDatabaseModified((db, event) => databases.push(`${db.id} ${event}`));
    events.databaseModified(db1!, 'swapdb', 0);
    events.keyModified(db0!, 'k', 'del');
    expect(keys).toEqual(['0 del k']);
    expect(databases).toEqual(['1 swapdb']);
    expect(events.dirty).toBe(1);
  });

  it('unsubscribes only the listener whose stop function is called, and dirty still counts', () => {
    const events = new KeyspaceEvents();
    const kept: string[] = [];
    const dropped: string[] = [];
    const droppedDb: string[] = [];
    events.onKeyModified((_db, key) => kept.push(key));
    const stop = events.onKeyModified((_db, key) => dropped.push(key));
    const stopDb = events.onDatabaseModified((db) => droppedDb.push(String(db.id)));
    events.keyModified(db0!, 'before', 'set');
    stop();
    stopDb();
    events.keyModified(db0!, 'after', 'set');
    events.databaseModified(db0!, 'flushdb', 0);
    expect(kept).toEqual(['before', 'after']);
    expect(dropped).toEqual(['before']);
    expect(droppedDb).toEqual([]);
    expect(events.dirty).toBe(2);
  });

  it('a listener that unsubscribes while being called does not skip the others', () => {
    const events = new KeyspaceEvents();
    const heard: string[] = [];
    const stop = events.onKeyModified(() => {
      heard.push('once');
      stop();
    });
    events.onKeyModified(() => heard.push('always'));
    events.keyModified(db0!, 'a', 'set');
    events.keyModified(db0!, 'a', 'set');
    expect(heard).toEqual(['once', 'always', 'always']);
  });

  it('with more listeners than the three that have fields of their own, every one hears each change, in order, and unsubscribing mid-announcement takes effect from the next', () => {
    for (const kind of ['modified', 'created', 'missed'] as const) {
      const events = new KeyspaceEvents();
      const heard: string[] = [];
      const stops: Array<() => void> = [];
      const subscribe = (listener: (key: string) => void): (() => void) =>
        kind === 'modified'
          ? events.onKeyModified((_db, key) => listener(key))
          : kind === 'created'
            ? events.onKeyCreated((_db, key) => listener(key))
            : events.onKeyMissed((_db, key) => listener(key));
      const announce = (key: string): void => {
        if (kind === 'modified') events.keyModified(db0!, key, 'set');
        else if (kind === 'created') events.keyCreated(db0!, key);
        else events.keyMissed(db0!, key);
      };
      for (let i = 0; i < 5; i++) {
        stops.push(
          subscribe((key) => {
            heard.push(`${i}:${key}`);
            // The first listener removes the second and the fifth while the change is announced.
            if (i === 0 && key === 'a') {
              stops[1]!();
              stops[4]!();
            }
          }),
        );
      }
      announce('a');
      announce('b');
      expect(heard, kind).toEqual(['0:a', '1:a', '2:a', '3:a', '4:a', '0:b', '2:b', '3:b']);
    }
  });

  it('the keyspace announces expiry as `expired`, counting no change', () => {
    const ks = new Keyspace(1);
    const heard: string[] = [];
    ks.events.onKeyModified((db, key, event) => heard.push(`${db.id} ${event} ${key}`));
    const db = ks.databases[0]!;
    ks.now = 1000;
    db.set('k', 'v');
    db.setExpire('k', 1500);
    expect(db.lookupRead('k')).toBe('v');
    ks.now = 1501;
    expect(db.lookupRead('k')).toBeUndefined();
    expect(heard).toEqual(['0 expired k']);
    expect(ks.events.dirty).toBe(0);
    expect(ks.stats.expiredKeys).toBe(1);
  });
});
