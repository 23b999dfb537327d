/**
 * Lex range searches as linear walks over any ZsetStore.
 *
 * Lex ranges assume equal scores. When scores differ the members are not in
 * lex order, and Redis answers with whatever its search happens to find,
 * which differs between the two encodings (t_zset.c, 7.0):
 *
 * - listpack: zzlIsInLexRange gives up unless the last member is >= min and
 *   the first <= max; zzlFirstInLexRange then walks from the head to the
 *   first member >= min, zzlLastInLexRange from the tail to the first member
 *   <= max, and each answers only if that member is also within the other
 *   bound. zzlDeleteRangeByLex and ZLEXCOUNT go forward from the first one
 *   while members are <= max.
 * - skiplist: zslFirstInLexRange and zslLastInLexRange make the same
 *   zslIsInLexRange check, then descend, going forward while the next node
 *   is < min (first) or <= max (last). zslDeleteRangeByLex descends like
 *   zslFirstInLexRange but skips the check, so it can delete where the
 *   listpack deletes nothing.
 *
 * Which nodes a descent passes over depends on the skiplist's random node
 * levels, which no two servers share. The flat* functions are that descent
 * on a skiplist whose nodes all have one level: what Redis answers unless a
 * taller node carries its descent past the node a level-0 walk stops at.
 * With mixed scores no implementation can match Redis every time.
 *
 * SortedSet chooses by the encoding Redis would have, not by the structure
 * that holds the set here (ListpackStore and SkiplistStore follow our own
 * size threshold). Ranks are 1-based; 0 means none.
 */
import type { ZsetStore } from './zset-listpack.js';
import { zslLexRangeIsEmpty, zslLexValueGteMin, zslLexValueLteMax, type ZLexRangeSpec } from './zrange.js';

/** The member at a 1-based rank, which must exist. */
function memberAt(store: ZsetStore, rank: number): string {
  let member = '';
  store.walk(rank, false, (m) => {
    member = m;
    return false;
  });
  return member;
}

/** zzlIsInLexRange / zslIsInLexRange: only the first and last members are looked at. */
function isInLexRange(store: ZsetStore, spec: ZLexRangeSpec): boolean {
  const n = store.size;
  return n > 0 && !zslLexRangeIsEmpty(spec) && zslLexValueGteMin(memberAt(store, n), spec) && zslLexValueLteMax(memberAt(store, 1), spec);
}

/** Rank of the first member from the head that is >= min, 0 if none. */
function firstGteMin(store: ZsetStore, spec: ZLexRangeSpec): number {
  let rank = 0;
  let found = 0;
  store.walk(1, false, (m) => {
    rank++;
    if (!zslLexValueGteMin(m, spec)) return true;
    found = rank;
    return false;
  });
  return found;
}

/** How many members from `rank` on are <= max, up to the first that is not. */
function runLteMax(store: ZsetStore, rank: number, spec: ZLexRangeSpec): number {
  let n = 0;
  store.walk(rank, false, (m) => zslLexValueLteMax(m, spec) && ++n > 0);
  return n;
}

/** zzlFirstInLexRange; zslFirstInLexRange on one-level nodes is the same walk. */
export function zzlFirstRankInLexRange(store: ZsetStore, spec: ZLexRangeSpec): number {
  if (!isInLexRange(store, spec)) return 0;
  const rank = firstGteMin(store, spec); // found: the last member is >= min
  return rank > 0 && zslLexValueLteMax(memberAt(store, rank), spec) ? rank : 0;
}

/** zzlLastInLexRange: from the tail to the first member <= max. */
export function zzlLastRankInLexRange(store: ZsetStore, spec: ZLexRangeSpec): number {
  if (!isInLexRange(store, spec)) return 0;
  let rank = store.size + 1;
  let found = 0;
  store.walk(store.size, true, (m) => {
    rank--;
    if (!zslLexValueLteMax(m, spec)) return true;
    if (zslLexValueGteMin(m, spec)) found = rank;
    return false;
  });
  return found;
}

/** zslLastInLexRange on one-level nodes: the end of the run of members <= max from the head. */
export function flatZslLastRankInLexRange(store: ZsetStore, spec: ZLexRangeSpec): number {
  if (!isInLexRange(store, spec)) return 0;
  const rank = runLteMax(store, 1, spec); // at least 1: the first member is <= max
  return zslLexValueGteMin(memberAt(store, rank), spec) ? rank : 0;
}

/** zzlDeleteRangeByLex: the run of members <= max from zzlFirstInLexRange on. */
export function zzlDeleteRangeByLex(store: ZsetStore, spec: ZLexRangeSpec): number {
  const first = zzlFirstRankInLexRange(store, spec);
  if (first === 0) return 0;
  return store.deleteRangeByRank(first, first + runLteMax(store, first, spec) - 1);
}

/** zslDeleteRangeByLex on one-level nodes: no zslIsInLexRange check, unlike the listpack's. */
export function flatZslDeleteRangeByLex(store: ZsetStore, spec: ZLexRangeSpec): number {
  const first = firstGteMin(store, spec);
  if (first === 0) return 0;
  const n = runLteMax(store, first, spec);
  return n === 0 ? 0 : store.deleteRangeByRank(first, first + n - 1);
}

/** ZLEXCOUNT on a listpack: forward from zzlFirstInLexRange while members are <= max. */
export function zzlCountInLexRange(store: ZsetStore, spec: ZLexRangeSpec): number {
  const first = zzlFirstRankInLexRange(store, spec);
  return first === 0 ? 0 : runLteMax(store, first, spec);
}
