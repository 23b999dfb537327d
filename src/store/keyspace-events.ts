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
 * Listeners (WATCH, blocked clients, client tracking, keyspace
 * notifications; later the journal) subscribe here. No command module
 * knows which listeners exist.
 *
 * Two notices are not changes but are announced here too, for keyspace
 * notifications: a key coming into being (dbAdd's `new`) and a read that
 * finds no key (lookupKey's `keymiss`).
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

/**
 * Redis's notification classes (NOTIFY_GENERIC, NOTIFY_STRING, ...), which
 * `notify-keyspace-events` selects by letter.
 */
export type EventClass =
  | 'generic'
  | 'string'
  | 'list'
  | 'set'
  | 'hash'
  | 'zset'
  | 'expired'
  | 'evicted'
  | 'stream'
  | 'keymiss'
  | 'module'
  | 'new';

/**
 * Every keyspace event name Redis 7.0.15 notifies (and the hash-field
 * expiration events of 7.4), with its class. Redis
 * passes the class at each notifyKeyspaceEvent call, but in 7.0.15 a name
 * always comes with the same class (`del` is always NOTIFY_GENERIC, `set`
 * always NOTIFY_STRING), so the class is a property of the name. Names
 * reddish does not announce yet (streams, GEO*STORE, RESTORE, eviction) are
 * listed so that the command that comes to announce them finds them here.
 */
export const EVENT_CLASSES = {
  del: 'generic',
  expire: 'generic',
  persist: 'generic',
  rename_from: 'generic',
  rename_to: 'generic',
  move_from: 'generic',
  move_to: 'generic',
  copy_to: 'generic',
  restore: 'generic',
  expired: 'expired',
  evicted: 'evicted',
  new: 'new',
  keymiss: 'keymiss',
  set: 'string',
  setrange: 'string',
  append: 'string',
  incrby: 'string',
  incrbyfloat: 'string',
  setbit: 'string',
  pfadd: 'string',
  lpush: 'list',
  rpush: 'list',
  lpop: 'list',
  rpop: 'list',
  linsert: 'list',
  lset: 'list',
  lrem: 'list',
  ltrim: 'list',
  sortstore: 'list',
  sadd: 'set',
  srem: 'set',
  spop: 'set',
  sinterstore: 'set',
  sunionstore: 'set',
  sdiffstore: 'set',
  hset: 'hash',
  hincrby: 'hash',
  hincrbyfloat: 'hash',
  hdel: 'hash',
  // Hash-field expiration (Redis 7.4): notified with NOTIFY_HASH.
  hexpire: 'hash',
  hexpired: 'hash',
  hpersist: 'hash',
  zadd: 'zset',
  zincr: 'zset',
  zrem: 'zset',
  zremrangebyrank: 'zset',
  zremrangebyscore: 'zset',
  zremrangebylex: 'zset',
  zunionstore: 'zset',
  zinterstore: 'zset',
  zdiffstore: 'zset',
  zrangestore: 'zset',
  zpopmin: 'zset',
  zpopmax: 'zset',
  georadiusstore: 'zset',
  geosearchstore: 'zset',
  xadd: 'stream',
  xtrim: 'stream',
  xdel: 'stream',
  xsetid: 'stream',
  'xgroup-create': 'stream',
  'xgroup-createconsumer': 'stream',
  'xgroup-setid': 'stream',
  'xgroup-destroy': 'stream',
  'xgroup-delconsumer': 'stream',
} as const satisfies Record<string, EventClass>;

/** A keyspace event name Redis notifies. */
export type KeyspaceEvent = keyof typeof EVENT_CLASSES;

/**
 * What keyModified announces: the event of a change, or a change Redis only
 * signals. `new` and `keymiss` are notices, not changes (keyCreated, keyMissed).
 */
export type KeyChange = Exclude<KeyspaceEvent, 'new' | 'keymiss'> | typeof SIGNAL_ONLY;

/** A change to one key: the database, the key, Redis's event name (or SIGNAL_ONLY). */
export type KeyModifiedListener = (db: Database, key: string, event: KeyChange) => void;

/** Expiry deleted these fields of the hash at `key` (each propagates as an HDEL). */
export type FieldsExpiredListener = (db: Database, key: string, fields: readonly string[]) => void;

/** A notice about one key that is not a change to it (`new`, `keymiss`). */
export type KeyNoticeListener = (db: Database, key: string) => void;

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

/**
 * The listeners of one kind. The array is replaced, never changed in place,
 * so a listener that unsubscribes during an announcement does not disturb
 * the loop running it.
 */
class Listeners<F> {
  list: readonly F[] = [];

  add(listener: F): () => void {
    this.list = [...this.list, listener];
    this.changed();
    return () => {
      this.list = this.list.filter((l) => l !== listener);
      this.changed();
    };
  }

  protected changed(): void {}
}

/** What an empty listener field of HotListeners holds. */
const nobody = (): void => {};

/**
 * The listeners of what nearly every command announces (a key modified,
 * created, missed). The first three also sit in fields of their own, with
 * `nobody` in an empty one, and the announcement calls each field from a
 * call site of its own. Such a site always sees the same function, so V8
 * can inline it; a loop over the array is one call site that sees every
 * listener and inlines none. In-process INCR (bench/micro/pipeline-one.mjs,
 * lowest of 9 runs) went from 414 to 379 ns, HSET from 596 to 545 ns; SET
 * did not move. The fields are read into locals first, so a listener that
 * unsubscribes mid-announcement does not disturb it (as with the array,
 * which is replaced, never changed in place).
 */
class HotListeners<F> extends Listeners<F> {
  first: F = nobody as F;
  second: F = nobody as F;
  third: F = nobody as F;
  /** The listeners past the third, in order. */
  rest: readonly F[] = [];

  protected override changed(): void {
    const list = this.list;
    this.first = list[0] ?? (nobody as F);
    this.second = list[1] ?? (nobody as F);
    this.third = list[2] ?? (nobody as F);
    this.rest = list.slice(3);
  }
}

export class KeyspaceEvents {
  /** Redis's server.dirty: changes since the last save. */
  dirty = 0;

  private readonly keyListeners = new HotListeners<KeyModifiedListener>();
  private readonly databaseListeners = new Listeners<DatabaseModifiedListener>();
  private readonly flushListeners = new Listeners<FlushListener>();
  private readonly createdListeners = new HotListeners<KeyNoticeListener>();
  private readonly missedListeners = new HotListeners<KeyNoticeListener>();
  private readonly fieldsExpiredListeners = new Listeners<FieldsExpiredListener>();
  private readonly notifiedListeners = new Listeners<KeyModifiedListener>();
  private readonly readyListeners = new Listeners<KeyNoticeListener>();

  /**
   * `key` in `db` changed (or was deleted). `changes` is what the change
   * adds to `dirty`: Redis counts some changes as several (an LPUSH of n
   * elements is n) and expiry as none.
   */
  keyModified(db: Database, key: string, event: KeyChange, changes = 1): void {
    this.dirty += changes;
    const { first, second, third, rest } = this.keyListeners;
    first(db, key, event);
    second(db, key, event);
    third(db, key, event);
    for (let i = 0; i < rest.length; i++) rest[i]!(db, key, event);
  }

  /**
   * Every key of `db` is about to change: FLUSHDB and FLUSHALL empty it
   * (`flushdb`), SWAPDB gives it `replacedWith`'s contents (`swapdb`).
   * Announced before the change, so listeners can still see which keys
   * existed, as Redis's touchAllWatchedKeysInDb does.
   */
  databaseModified(db: Database, event: string, changes = 1, replacedWith: Database | null = null): void {
    this.dirty += changes;
    for (const listener of this.databaseListeners.list) listener(db, event, replacedWith);
  }

  /**
   * `key` has just been added to `db` (Redis's dbAdd, which notifies
   * `new`): by a write that creates it, and by RENAME, MOVE, COPY and
   * RESTORE, which add their destination anew even when they replace one.
   * Not a change of its own: the command announces its change after this.
   */
  keyCreated(db: Database, key: string): void {
    const { first, second, third, rest } = this.createdListeners;
    first(db, key);
    second(db, key);
    third(db, key);
    for (let i = 0; i < rest.length; i++) rest[i]!(db, key);
  }

  /**
   * A change Redis notifies (and counts in dirty) without signalModifiedKey,
   * so WATCH and client tracking do not see it: the consumer-group changes
   * (XGROUP CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, and the
   * consumers XREADGROUP creates), and the second event of a command that
   * signals once and notifies twice (HSETEX's `hexpire` after its `hset`).
   * Keyspace notifications listen here.
   */
  keyNotified(db: Database, key: string, event: KeyChange, changes = 1): void {
    this.dirty += changes;
    const listeners = this.notifiedListeners.list;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(db, key, event);
  }

  /**
   * Redis's signalKeyAsReady without a change to the key's data: clients
   * blocked on `key` should look again (XGROUP DESTROY wakes XREADGROUP
   * waiters so they get their error).
   */
  keyReady(db: Database, key: string): void {
    const listeners = this.readyListeners.list;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(db, key);
  }

  /** A read looked `key` up and found nothing (lookupKey's `keymiss`). */
  keyMissed(db: Database, key: string): void {
    const { first, second, third, rest } = this.missedListeners;
    first(db, key);
    second(db, key);
    third(db, key);
    for (let i = 0; i < rest.length; i++) rest[i]!(db, key);
  }

  /**
   * Expiry has deleted `fields` of the hash at `key`, before the hash's
   * `hexpired` change is announced with keyModified. A notice for what
   * needs the field names: the HDEL each one propagates as.
   */
  fieldsExpired(db: Database, key: string, fields: readonly string[]): void {
    for (const listener of this.fieldsExpiredListeners.list) listener(db, key, fields);
  }

  /** FLUSHDB of `db`, or FLUSHALL (null), has emptied its databases. */
  flushed(db: Database | null): void {
    for (const listener of this.flushListeners.list) listener(db);
  }

  onKeyModified(listener: KeyModifiedListener): () => void {
    return this.keyListeners.add(listener);
  }

  onDatabaseModified(listener: DatabaseModifiedListener): () => void {
    return this.databaseListeners.add(listener);
  }

  onKeyCreated(listener: KeyNoticeListener): () => void {
    return this.createdListeners.add(listener);
  }

  onKeyMissed(listener: KeyNoticeListener): () => void {
    return this.missedListeners.add(listener);
  }

  onFieldsExpired(listener: FieldsExpiredListener): () => void {
    return this.fieldsExpiredListeners.add(listener);
  }

  onKeyNotified(listener: KeyModifiedListener): () => void {
    return this.notifiedListeners.add(listener);
  }

  onKeyReady(listener: KeyNoticeListener): () => void {
    return this.readyListeners.add(listener);
  }

  onFlushed(listener: FlushListener): () => void {
    return this.flushListeners.add(listener);
  }
}
