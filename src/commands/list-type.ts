/**
 * What every list command shares (list-push-pop.ts, list-elements.ts,
 * list-blocking.ts), as t_list.c's listType* functions and argument readers
 * are shared there: the lookup with its type check, LEFT/RIGHT, popping
 * from an end, the event names, and the bookkeeping of a list that ran dry.
 *
 * The value is a QuickList (store/list.ts). A list never stays in the
 * keyspace empty: whatever pops or removes its last element deletes the key,
 * as Redis does, so "exists" always means "has data".
 */
import { errors } from '../errors.js';
import { shared, type ReplyWriter } from '../protocol/reply.js';
import { QuickList } from '../store/list.js';
import { parseInteger } from '../text/numbers.js';

import type { Client } from './types.js';
import { lowercaseCString } from './parse.js';

/** Redis's LIST_HEAD (LEFT) and LIST_TAIL (RIGHT). */
export const LIST_HEAD = 0;
export const LIST_TAIL = 1;
export type ListEnd = typeof LIST_HEAD | typeof LIST_TAIL;

// ---------------------------------------------------------------------------
// Lookups and argument readers
// ---------------------------------------------------------------------------

/** What a command replies for a missing key: Redis passes lookupKey*OrReply a shared object. */
export type MissingKeyReply = (reply: ReplyWriter) => void;

/** The replies the list commands give for a missing key. */
export const missingList = {
  zero: (reply) => reply.raw(shared.zero),
  ok: (reply) => reply.raw(shared.ok),
  emptyArray: (reply) => reply.raw(shared.emptyArray),
  nullBulk: (reply) => reply.nullBulk(),
  nullArray: (reply) => reply.nullArray(),
  noSuchKey: (reply) => reply.error(errors.noSuchKey),
} satisfies Record<string, MissingKeyReply>;

/**
 * lookupKeyRead/lookupKeyWrite + checkType for lists, and with `missing`
 * lookupKey*OrReply: the list at `key`; null after replying WRONGTYPE, or
 * after replying `missing` when the key is missing. Without `missing` a
 * missing key is undefined and nothing is replied (a push creates it).
 * `write` looks the key up as a write does (no keyspace hit/miss counted).
 */
export function lookupList(c: Client, key: string, write: boolean, missing: MissingKeyReply): QuickList | null;
export function lookupList(c: Client, key: string, write: boolean): QuickList | undefined | null;
export function lookupList(c: Client, key: string, write: boolean, missing?: MissingKeyReply): QuickList | undefined | null {
  const value = write ? c.db.lookupWrite(key) : c.db.lookupRead(key);
  if (value === undefined) {
    if (missing === undefined) return undefined;
    missing(c.reply);
    return null;
  }
  if (value instanceof QuickList) return value;
  c.reply.error(errors.wrongType);
  return null;
}

/**
 * getRangeLongFromObjectOrReply with a message: an integer of at least
 * `min`. Redis sends the one message both for a non-integer and for a value
 * out of range (`LPOP k abc` → "must be positive").
 */
export function readLongAtLeast(c: Client, text: string, min: number, message: string): number | null {
  const n = parseInteger(text);
  if (n === null || n < min) {
    c.reply.error(message);
    return null;
  }
  return n;
}

/**
 * getListPositionFromObjectOrReply: LEFT or RIGHT, any case. Compared as a
 * C string, so a NUL byte ends the word ("left\0x" is LEFT).
 */
export function readListEnd(c: Client, text: string): ListEnd | null {
  const word = lowercaseCString(text);
  if (word === 'left') return LIST_HEAD;
  if (word === 'right') return LIST_TAIL;
  c.reply.error(errors.syntax);
  return null;
}

// ---------------------------------------------------------------------------
// The ends
// ---------------------------------------------------------------------------

export function listPop(list: QuickList, where: ListEnd): string {
  return (where === LIST_HEAD ? list.popHead() : list.popTail())!;
}

/** Up to `count` elements from one end; from the tail they come tail first, as RPOP count replies. */
export function listPopRange(list: QuickList, where: ListEnd, count: number): string[] {
  return where === LIST_HEAD ? list.popHead(count) : list.popTail(count);
}

/** The keyspace events of a pop and of a push at each end. */
export function popEvent(where: ListEnd): 'lpop' | 'rpop' {
  return where === LIST_HEAD ? 'lpop' : 'rpop';
}

export function pushEvent(where: ListEnd): 'lpush' | 'rpush' {
  return where === LIST_HEAD ? 'lpush' : 'rpush';
}

/** shared.lpop / shared.rpop: the upper-case name a pop propagates as. */
export function popCommandName(where: ListEnd): string {
  return where === LIST_HEAD ? 'LPOP' : 'RPOP';
}

/**
 * A list that ran dry leaves the keyspace and `del` is announced (Redis's
 * dbDelete + the generic `del` event). It adds nothing to dirty: the
 * command counted its removals already.
 */
export function deleteIfEmpty(c: Client, key: string, list: QuickList): void {
  if (list.length !== 0) return;
  c.db.delete(key);
  c.server.events.keyModified(c.db, key, 'del', 0);
}

/**
 * listElementsRemoved: `count` elements were popped from `where`: the pop
 * event, `del` if the list ran dry, and `count` changes.
 */
export function listElementsRemoved(c: Client, key: string, where: ListEnd, list: QuickList, count: number): void {
  c.server.events.keyModified(c.db, key, popEvent(where), count);
  deleteIfEmpty(c, key, list);
}
