/**
 * Keyspace notifications (Redis's notify.c): a listener of the change seat
 * (store/keyspace-events.ts) that publishes each announced event whose
 * class `notify-keyspace-events` selects, as pub/sub messages:
 *
 *   __keyspace@<db>__:<key>    message: the event name   (flag K)
 *   __keyevent@<db>__:<event>  message: the key          (flag E)
 *
 * in that order, through the same `publish` as PUBLISH, so subscribers get
 * them exactly as they get any message.
 *
 * It listens to the seat from the server's start, in a fixed place among
 * the listeners (after WATCH's and blocked clients', as Redis notifies
 * after signalModifiedKey), whatever CONFIG SET does to the flags. With
 * the default "" a change costs it one check of the flags.
 */
import type { Database } from '../store/database.js';
import { EVENT_CLASSES, SIGNAL_ONLY, type EventClass, type KeyChange, type KeyspaceEvents } from '../store/keyspace-events.js';
import type { PubSub } from './pubsub.js';

// Redis's NOTIFY_* bits (server.h).
const NOTIFY_KEYSPACE = 1 << 0;
const NOTIFY_KEYEVENT = 1 << 1;
const NOTIFY_GENERIC = 1 << 2;
const NOTIFY_STRING = 1 << 3;
const NOTIFY_LIST = 1 << 4;
const NOTIFY_SET = 1 << 5;
const NOTIFY_HASH = 1 << 6;
const NOTIFY_ZSET = 1 << 7;
const NOTIFY_EXPIRED = 1 << 8;
const NOTIFY_EVICTED = 1 << 9;
const NOTIFY_STREAM = 1 << 10;
const NOTIFY_KEY_MISS = 1 << 11;
const NOTIFY_MODULE = 1 << 13;
const NOTIFY_NEW = 1 << 14;
/** `A`: every class but key misses and new keys, which must be asked for by name. */
const NOTIFY_ALL =
  NOTIFY_GENERIC |
  NOTIFY_STRING |
  NOTIFY_LIST |
  NOTIFY_SET |
  NOTIFY_HASH |
  NOTIFY_ZSET |
  NOTIFY_EXPIRED |
  NOTIFY_EVICTED |
  NOTIFY_STREAM |
  NOTIFY_MODULE;

const CLASS_BITS: Readonly<Record<EventClass, number>> = {
  generic: NOTIFY_GENERIC,
  string: NOTIFY_STRING,
  list: NOTIFY_LIST,
  set: NOTIFY_SET,
  hash: NOTIFY_HASH,
  zset: NOTIFY_ZSET,
  expired: NOTIFY_EXPIRED,
  evicted: NOTIFY_EVICTED,
  stream: NOTIFY_STREAM,
  keymiss: NOTIFY_KEY_MISS,
  module: NOTIFY_MODULE,
  new: NOTIFY_NEW,
};

/** The class bit of each event name. */
const EVENT_BITS: Readonly<Record<string, number>> = Object.fromEntries(
  Object.entries(EVENT_CLASSES).map(([event, eventClass]) => [event, CLASS_BITS[eventClass]]),
);

/** keyspaceEventsStringToFlags's letters. */
const FLAG_LETTERS: Readonly<Record<string, number>> = {
  A: NOTIFY_ALL,
  g: NOTIFY_GENERIC,
  $: NOTIFY_STRING,
  l: NOTIFY_LIST,
  s: NOTIFY_SET,
  h: NOTIFY_HASH,
  z: NOTIFY_ZSET,
  x: NOTIFY_EXPIRED,
  e: NOTIFY_EVICTED,
  K: NOTIFY_KEYSPACE,
  E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM,
  m: NOTIFY_KEY_MISS,
  d: NOTIFY_MODULE,
  n: NOTIFY_NEW,
};

/** keyspaceEventsStringToFlags: the flags a `notify-keyspace-events` value selects, or null for a letter Redis refuses. */
export function keyspaceEventsStringToFlags(classes: string): number | null {
  let flags = 0;
  for (const letter of classes) {
    const bits = FLAG_LETTERS[letter];
    if (bits === undefined) return null;
    flags |= bits;
  }
  return flags;
}

/**
 * keyspaceEventsFlagsToString: the value as CONFIG GET prints it, `A` for
 * all of its classes, then K, E and m ("KEA" reads back as "AKE").
 */
export function keyspaceEventsFlagsToString(flags: number): string {
  let out = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    out += 'A';
  } else {
    if (flags & NOTIFY_GENERIC) out += 'g';
    if (flags & NOTIFY_STRING) out += '$';
    if (flags & NOTIFY_LIST) out += 'l';
    if (flags & NOTIFY_SET) out += 's';
    if (flags & NOTIFY_HASH) out += 'h';
    if (flags & NOTIFY_ZSET) out += 'z';
    if (flags & NOTIFY_EXPIRED) out += 'x';
    if (flags & NOTIFY_EVICTED) out += 'e';
    if (flags & NOTIFY_STREAM) out += 't';
    if (flags & NOTIFY_MODULE) out += 'd';
    if (flags & NOTIFY_NEW) out += 'n';
  }
  if (flags & NOTIFY_KEYSPACE) out += 'K';
  if (flags & NOTIFY_KEYEVENT) out += 'E';
  if (flags & NOTIFY_KEY_MISS) out += 'm';
  return out;
}

export class KeyspaceNotifications {
  /**
   * The flags in effect, 0 when nothing can be published (no K or E): the
   * one check a change pays while notifications are off.
   */
  private flags = 0;

  constructor(events: KeyspaceEvents, private readonly pubsub: PubSub) {
    events.onKeyModified((db, key, event) => this.keyModified(db, key, event));
    events.onKeyNotified((db, key, event) => this.keyModified(db, key, event));
    events.onKeyCreated((db, key) => {
      if (this.flags & NOTIFY_NEW) this.notify('new', key, db.id);
    });
    events.onKeyMissed((db, key) => {
      if (this.flags & NOTIFY_KEY_MISS) this.notify('keymiss', key, db.id);
    });
  }

  /** Follows a new `notify-keyspace-events` value (already validated by the config). */
  configure(classes: string): void {
    const flags = keyspaceEventsStringToFlags(classes) ?? 0;
    // Without K or E nothing is ever published, whatever the classes.
    this.flags = flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT) ? flags : 0;
  }

  private keyModified(db: Database, key: string, event: KeyChange): void {
    const flags = this.flags;
    if (flags === 0) return;
    // SIGNAL_ONLY changes (a module's write) are never notified.
    if (event === SIGNAL_ONLY || (flags & EVENT_BITS[event]!) === 0) return;
    this.notify(event, key, db.id);
  }

  /** notifyKeyspaceEvent, for an event whose class is selected. */
  private notify(event: string, key: string, dbId: number): void {
    const pubsub = this.pubsub;
    // Nobody can receive it: skip building the channel names.
    if (pubsub.channelCount === 0 && pubsub.patternCount === 0) return;
    if (this.flags & NOTIFY_KEYSPACE) pubsub.publish('__keyspace@' + dbId + '__:' + key, event);
    if (this.flags & NOTIFY_KEYEVENT) pubsub.publish('__keyevent@' + dbId + '__:' + event, key);
  }
}
