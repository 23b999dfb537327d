/**
 * The sorted set value: Redis's `zset`.
 *
 * Representation. Like Redis, a set starts as a compact sorted array
 * (ListpackStore: members and scores in (score, member) order, linear
 * member lookup) and moves to a skiplist plus a member → node dict
 * (SkiplistStore) once it outgrows SortedSet.smallMax. A 5-member set costs a few
 * hundred bytes instead of the ~1.3 KB of an empty skiplist pool and Map,
 * which matters for keyspaces of many small sets.
 *
 * The dict maps member → skiplist node (an int offset, see skiplist.ts)
 * rather than member → score: the score is one array read away, and a
 * small-integer Map value costs V8 nothing, where a non-integer score
 * (timestamps, most real scores) would be a 12-byte heap number per member
 * plus an allocation on every update.
 *
 * Reported encoding. Redis converts a listpack to a skiplist the first time
 * an add would exceed zset-max-listpack-entries or add a member longer
 * than zset-max-listpack-value, and never converts back (ZREM, ZPOP...
 * keep the skiplist). Results built by ZRANGESTORE, Z*STORE, RESTORE and
 * loading are checked afresh (convertToListpackIfNeeded). That is tracked
 * apart from our own representation, plus the one place the listpack shows
 * through: it stores a score of -0 as 0.
 */
import { strtod } from '../text/numbers.js';
import type { EncodingConfig, RedisObject } from './types.js';
import {
  LEX_MAXSTRING,
  LEX_MINSTRING,
  ZSkiplist,
  zslLexRangeIsEmpty,
  zslLexValueGteMin,
  zslLexValueLteMax,
  zslScoreRangeIsEmpty,
  zslValueGteMin,
  zslValueLteMax,
  type LexBound,
  type ZLexRangeSpec,
  type ZRangeSpec,
} from './skiplist.js';

export type { LexBound, ZLexRangeSpec, ZRangeSpec } from './skiplist.js';
export { LEX_MAXSTRING, LEX_MINSTRING } from './skiplist.js';

// zsetAdd input flags (server.h ZADD_IN_*).
export const ZADD_IN_NONE = 0;
export const ZADD_IN_INCR = 1 << 0;
export const ZADD_IN_NX = 1 << 1;
export const ZADD_IN_XX = 1 << 2;
export const ZADD_IN_GT = 1 << 3;
export const ZADD_IN_LT = 1 << 4;

// zsetAdd output flags (server.h ZADD_OUT_*).
export const ZADD_OUT_NOP = 1 << 0;
export const ZADD_OUT_NAN = 1 << 1;
export const ZADD_OUT_ADDED = 1 << 2;
export const ZADD_OUT_UPDATED = 1 << 3;

export const ERR_SCORE_RANGE = 'ERR min or max is not a float';
export const ERR_LEX_RANGE = 'ERR min or max not valid string range item';

export type ZsetEncoding = 'listpack' | 'skiplist';
export type ZsetEntry = [member: string, score: number];


/**
 * The live zset-max-listpack-* values. Redis decides on conversion at add
 * time with the config of that moment, so the server should call
 * setZsetListpackLimits from its CONFIG watchers. Until it does, encoding()
 * decides from the config it is given and the set's peak size and longest
 * member, which is exact as long as the config does not change under a key.
 */
let liveLimits: { entries: number; value: number } | null = null;
const DEFAULT_MAX_ENTRIES = 128;
const DEFAULT_MAX_VALUE = 64;

export function setZsetListpackLimits(maxEntries: number, maxValue: number): void {
  liveLimits = { entries: maxEntries, value: maxValue };
}

/** What SortedSet is built on. Ranks are 1-based as in zsl; 0 means none. */
interface ZsetStore {
  readonly size: number;
  score(member: string): number | undefined;
  /** Adds a member known to be absent. */
  insert(member: string, score: number): void;
  update(member: string, cur: number, score: number): void;
  remove(member: string): boolean;
  rank(member: string): number;
  /** Visits from `rank` towards higher ranks (lower with reverse) while `visit` returns true. */
  walk(rank: number, reverse: boolean, visit: (member: string, score: number) => boolean): void;
  firstRankInRange(spec: ZRangeSpec): number;
  lastRankInRange(spec: ZRangeSpec): number;
  firstRankInLexRange(spec: ZLexRangeSpec): number;
  lastRankInLexRange(spec: ZLexRangeSpec): number;
  /** Each returns how many members it removed. */
  deleteRangeByScore(spec: ZRangeSpec): number;
  deleteRangeByLex(spec: ZLexRangeSpec): number;
  deleteRangeByRank(start: number, end: number): number;
  members(): IterableIterator<string>;
  entries(): IterableIterator<ZsetEntry>;
  clone(): ZsetStore;
  validate(): void;
  /** Bytes of the structure itself (not the member strings). */
  readonly bytes: number;
}

function entryLess(s1: number, m1: string, s2: number, m2: string): boolean {
  return s1 < s2 || (s1 === s2 && m1 < m2);
}

/**
 * A listpack's behaviour on two parallel arrays: O(n) lookups and edits,
 * which for n ≤ SortedSet.smallMax cost less than hashing. Range searches follow
 * the zzl* functions (score by position since scores are sorted; lex by a
 * linear scan, as Redis does when scores differ).
 */
class ListpackStore implements ZsetStore {
  constructor(
    private m: string[] = [],
    private s: number[] = [],
  ) {}

  get size(): number {
    return this.m.length;
  }

  /** Where the last lookup found its member: add() looks up, then updates. */
  private hint = 0;

  private indexOf(member: string): number {
    const m = this.m;
    if (m[this.hint] === member) return this.hint;
    for (let i = 0; i < m.length; i++) {
      if (m[i] === member) return (this.hint = i);
    }
    return -1;
  }

  score(member: string): number | undefined {
    const i = this.indexOf(member);
    return i < 0 ? undefined : this.s[i];
  }

  /** Index of the first entry not below (score, member). */
  private lowerBound(member: string, score: number): number {
    const m = this.m;
    const s = this.s;
    let lo = 0;
    let hi = m.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entryLess(s[mid]!, m[mid]!, score, member)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(member: string, score: number): void {
    const m = this.m;
    const s = this.s;
    const at = this.lowerBound(member, score);
    // Shift by hand: splice allocates an array of what it removes.
    m.push(member);
    s.push(score);
    for (let i = m.length - 1; i > at; i--) {
      m[i] = m[i - 1]!;
      s[i] = s[i - 1]!;
    }
    m[at] = member;
    s[at] = score;
  }

  /** Moves the entry to its new place, shifting only the entries in between. */
  update(member: string, _cur: number, score: number): void {
    const m = this.m;
    const s = this.s;
    const from = this.indexOf(member);
    const stored = m[from]!;
    let to = this.lowerBound(member, score);
    if (to > from) to--; // the entry itself was counted as below
    for (let i = from; i < to; i++) {
      m[i] = m[i + 1]!;
      s[i] = s[i + 1]!;
    }
    for (let i = from; i > to; i--) {
      m[i] = m[i - 1]!;
      s[i] = s[i - 1]!;
    }
    m[to] = stored;
    s[to] = score;
  }

  remove(member: string): boolean {
    const i = this.indexOf(member);
    if (i < 0) return false;
    this.removeRun(i, 1);
    return true;
  }

  /** Drops `n` entries from index `at`, shifting by hand. */
  private removeRun(at: number, n: number): void {
    const m = this.m;
    const s = this.s;
    for (let i = at + n; i < m.length; i++) {
      m[i - n] = m[i]!;
      s[i - n] = s[i]!;
    }
    m.length -= n;
    s.length -= n;
  }

  rank(member: string): number {
    return this.indexOf(member) + 1;
  }

  walk(rank: number, reverse: boolean, visit: (member: string, score: number) => boolean): void {
    const step = reverse ? -1 : 1;
    for (let i = rank - 1; i >= 0 && i < this.m.length; i += step) if (!visit(this.m[i]!, this.s[i]!)) return;
  }

  private isInRange(spec: ZRangeSpec): boolean {
    const n = this.m.length;
    return n > 0 && !zslScoreRangeIsEmpty(spec) && zslValueGteMin(this.s[n - 1]!, spec) && zslValueLteMax(this.s[0]!, spec);
  }

  firstRankInRange(spec: ZRangeSpec): number {
    if (!this.isInRange(spec)) return 0;
    let lo = 0;
    let hi = this.s.length - 1; // the last element is >= min
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (zslValueGteMin(this.s[mid]!, spec)) hi = mid;
      else lo = mid + 1;
    }
    return zslValueLteMax(this.s[lo]!, spec) ? lo + 1 : 0;
  }

  lastRankInRange(spec: ZRangeSpec): number {
    if (!this.isInRange(spec)) return 0;
    let lo = 0; // the first element is <= max
    let hi = this.s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (zslValueLteMax(this.s[mid]!, spec)) lo = mid;
      else hi = mid - 1;
    }
    return zslValueGteMin(this.s[lo]!, spec) ? lo + 1 : 0;
  }

  private isInLexRange(spec: ZLexRangeSpec): boolean {
    const n = this.m.length;
    return n > 0 && !zslLexRangeIsEmpty(spec) && zslLexValueGteMin(this.m[n - 1]!, spec) && zslLexValueLteMax(this.m[0]!, spec);
  }

  firstRankInLexRange(spec: ZLexRangeSpec): number {
    if (!this.isInLexRange(spec)) return 0;
    for (let i = 0; i < this.m.length; i++) {
      if (zslLexValueGteMin(this.m[i]!, spec)) return zslLexValueLteMax(this.m[i]!, spec) ? i + 1 : 0;
    }
    return 0;
  }

  lastRankInLexRange(spec: ZLexRangeSpec): number {
    if (!this.isInLexRange(spec)) return 0;
    for (let i = this.m.length - 1; i >= 0; i--) {
      if (zslLexValueLteMax(this.m[i]!, spec)) return zslLexValueGteMin(this.m[i]!, spec) ? i + 1 : 0;
    }
    return 0;
  }

  /** Deletes the run starting at rank `first` while `inRange` holds (zzlDeleteRangeBy*). */
  private deleteRun(first: number, inRange: (i: number) => boolean): number {
    if (first === 0) return 0;
    let end = first - 1;
    while (end < this.m.length && inRange(end)) end++;
    return this.deleteRangeByRank(first, end);
  }

  deleteRangeByScore(spec: ZRangeSpec): number {
    return this.deleteRun(this.firstRankInRange(spec), (i) => zslValueLteMax(this.s[i]!, spec));
  }

  deleteRangeByLex(spec: ZLexRangeSpec): number {
    return this.deleteRun(this.firstRankInLexRange(spec), (i) => zslLexValueLteMax(this.m[i]!, spec));
  }

  deleteRangeByRank(start: number, end: number): number {
    const n = Math.max(0, Math.min(end, this.m.length) - start + 1);
    if (n > 0) this.removeRun(start - 1, n);
    return n;
  }

  /** A snapshot: the arrays are edited in place. */
  members(): IterableIterator<string> {
    return this.m.slice().values();
  }

  *entries(): IterableIterator<ZsetEntry> {
    const m = this.m.slice();
    const s = this.s.slice();
    for (let i = 0; i < m.length; i++) yield [m[i]!, s[i]!];
  }

  clone(): ListpackStore {
    return new ListpackStore(this.m.slice(), this.s.slice());
  }

  validate(): void {
    for (let i = 1; i < this.m.length; i++) {
      if (!entryLess(this.s[i - 1]!, this.m[i - 1]!, this.s[i]!, this.m[i]!)) throw new Error(`zset listpack: order at ${i}`);
    }
    if (this.m.length !== this.s.length) throw new Error('zset listpack: array lengths differ');
  }

  get bytes(): number {
    return this.m.length * 12;
  }
}

/** The skiplist + dict pair of Redis's `zset` struct. */
class SkiplistStore implements ZsetStore {
  zsl = new ZSkiplist();
  /** member → skiplist node. */
  dict = new Map<string, number>();

  static from(small: ListpackStore): SkiplistStore {
    const store = new SkiplistStore();
    small.walk(1, false, (m, s) => {
      store.insert(m, s);
      return true;
    });
    return store;
  }

  get size(): number {
    return this.dict.size;
  }

  score(member: string): number | undefined {
    const node = this.dict.get(member);
    return node === undefined ? undefined : this.zsl.score(node);
  }

  insert(member: string, score: number): void {
    this.dict.set(member, this.zsl.insert(score, member));
  }

  update(member: string, cur: number, score: number): void {
    this.zsl.updateScore(cur, member, score); // the node keeps its offset
  }

  remove(member: string): boolean {
    const node = this.dict.get(member);
    if (node === undefined) return false;
    this.zsl.delete(this.zsl.score(node), member);
    this.dict.delete(member);
    this.maybeCompact();
    return true;
  }

  rank(member: string): number {
    const node = this.dict.get(member);
    return node === undefined ? 0 : this.zsl.getRank(this.zsl.score(node), member);
  }

  walk(rank: number, reverse: boolean, visit: (member: string, score: number) => boolean): void {
    const zsl = this.zsl;
    for (let node = zsl.getElementByRank(rank); node !== 0; node = reverse ? zsl.prev(node) : zsl.next(node)) {
      if (!visit(zsl.member(node), zsl.score(node))) return;
    }
  }

  firstRankInRange(spec: ZRangeSpec): number {
    return this.zsl.firstRankInRange(spec);
  }

  lastRankInRange(spec: ZRangeSpec): number {
    return this.zsl.lastRankInRange(spec);
  }

  firstRankInLexRange(spec: ZLexRangeSpec): number {
    return this.zsl.firstRankInLexRange(spec);
  }

  lastRankInLexRange(spec: ZLexRangeSpec): number {
    return this.zsl.lastRankInLexRange(spec);
  }

  deleteRangeByScore(spec: ZRangeSpec): number {
    return this.forget(this.zsl.deleteRangeByScore(spec));
  }

  deleteRangeByLex(spec: ZLexRangeSpec): number {
    return this.forget(this.zsl.deleteRangeByLex(spec));
  }

  deleteRangeByRank(start: number, end: number): number {
    return this.forget(this.zsl.deleteRangeByRank(start, end));
  }

  private forget(removed: string[]): number {
    for (const member of removed) this.dict.delete(member);
    if (removed.length > 0) this.maybeCompact();
    return removed.length;
  }

  private maybeCompact(): void {
    if (!this.zsl.shouldCompact()) return;
    const dict = this.dict;
    this.zsl.compact((member, node) => dict.set(member, node));
  }

  /** Map order; a Map iterator stays valid across changes. */
  members(): IterableIterator<string> {
    return this.dict.keys();
  }

  *entries(): IterableIterator<ZsetEntry> {
    for (const [member, node] of this.dict) yield [member, this.zsl.score(node)];
  }

  clone(): SkiplistStore {
    const copy = new SkiplistStore();
    copy.zsl = this.zsl.clone();
    copy.dict = new Map(this.dict);
    return copy;
  }

  validate(): void {
    this.zsl.validate();
    if (this.zsl.length !== this.dict.size) throw new Error(`zset: skiplist has ${this.zsl.length}, dict ${this.dict.size}`);
    for (const [member, node] of this.dict) {
      if (this.zsl.member(node) !== member) throw new Error(`zset: dict entry for ${JSON.stringify(member)} points elsewhere`);
    }
  }

  get bytes(): number {
    return this.zsl.allocatedBytes;
  }
}

export class SortedSet implements RedisObject {
  /**
   * Members a set holds in a ListpackStore before moving to a skiplist: our
   * own trade-off (linear scans vs. bytes), apart from the reported
   * encoding. Tests set 0 to run everything on the skiplist.
   */
  static smallMax = 128;

  readonly type = 'zset' as const;
  private store: ZsetStore = new ListpackStore();
  /** Whether Redis would still hold this set as a listpack. Sticky once false. */
  private listpack = true;
  private peakSize = 0;
  private peakMemberLen = 0;

  get size(): number {
    return this.store.size;
  }

  /**
   * zsetAdd: adds or updates a member under ZADD's NX/XX/GT/LT/INCR flags
   * and returns ZADD_OUT_* flags. With INCR the new score is score(member)
   * unless NOP or NAN is set. A NaN score (or INCR reaching NaN) is refused.
   */
  add(member: string, score: number, flags = ZADD_IN_NONE): number {
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    const store = this.store;
    const cur = store.score(member);
    if (cur !== undefined) {
      if (flags & ZADD_IN_NX) return ZADD_OUT_NOP;
      if (flags & ZADD_IN_INCR) {
        score += cur;
        if (Number.isNaN(score)) return ZADD_OUT_NAN;
      }
      if ((flags & ZADD_IN_LT && score >= cur) || (flags & ZADD_IN_GT && score <= cur)) return ZADD_OUT_NOP;
      // -0 == 0: Redis leaves the stored score alone in that case too.
      if (score === cur) return 0;
      store.update(member, cur, score === 0 && this.storesListpack() ? 0 : score);
      return ZADD_OUT_UPDATED;
    }
    if (flags & ZADD_IN_XX) return ZADD_OUT_NOP;
    if (this.listpack) {
      const size = store.size + 1;
      if (size > this.peakSize) this.peakSize = size;
      if (member.length > this.peakMemberLen) this.peakMemberLen = member.length;
      if (liveLimits !== null && (size > liveLimits.entries || member.length > liveLimits.value)) {
        this.listpack = false;
      } else if (score === 0 && this.storesListpack()) {
        score = 0; // a listpack stores -0 as "0"
      }
    }
    if (store instanceof ListpackStore && store.size >= SortedSet.smallMax) this.store = SkiplistStore.from(store);
    this.store.insert(member, score);
    return ZADD_OUT_ADDED;
  }

  /**
   * Whether Redis would hold the set as a listpack right now. Without live
   * limits the sticky flag only moves when encoding() is asked, so judge by
   * the default limits meanwhile; this only decides how -0 is stored.
   */
  private storesListpack(): boolean {
    if (!this.listpack) return false;
    return liveLimits !== null || (this.peakSize <= DEFAULT_MAX_ENTRIES && this.peakMemberLen <= DEFAULT_MAX_VALUE);
  }

  /** ZINCRBY: the new score, or null when it would be NaN (nothing changes then). */
  incrBy(member: string, delta: number): number | null {
    const out = this.add(member, delta, ZADD_IN_INCR);
    if (out & ZADD_OUT_NAN) return null;
    return this.store.score(member)!;
  }

  score(member: string): number | undefined {
    return this.store.score(member);
  }

  has(member: string): boolean {
    return this.store.score(member) !== undefined;
  }

  /** zsetDel. */
  remove(member: string): boolean {
    return this.store.remove(member);
  }

  /** ZRANK / ZREVRANK: 0-based, null when absent. */
  rank(member: string, reverse = false): number | null {
    const rank = this.store.rank(member);
    if (rank === 0) return null;
    return reverse ? this.store.size - rank : rank - 1;
  }

  /** The entry at a 0-based rank from the lowest score, undefined when out of range. */
  entryByRank(rank: number): ZsetEntry | undefined {
    let out: ZsetEntry | undefined;
    if (rank >= 0) {
      this.store.walk(rank + 1, false, (m, s) => {
        out = [m, s];
        return false;
      });
    }
    return out;
  }

  /**
   * Visits ranks start..stop (0-based, inclusive, already normalised:
   * 0 <= start <= stop < size). With reverse, rank 0 is the highest score.
   */
  forEachByRank(start: number, stop: number, reverse: boolean, visit: (member: string, score: number) => void): void {
    const size = this.store.size;
    if (start < 0 || start > stop || start >= size) return;
    let left = Math.min(stop, size - 1) - start + 1;
    this.store.walk(reverse ? size - start : start + 1, reverse, (m, s) => {
      visit(m, s);
      return --left > 0;
    });
  }

  /** ZRANGE by rank: [member, score] pairs. */
  rangeByRank(start: number, stop: number, reverse = false): ZsetEntry[] {
    const out: ZsetEntry[] = [];
    this.forEachByRank(start, stop, reverse, (m, s) => out.push([m, s]));
    return out;
  }

  /**
   * ZRANGEBYSCORE / ZREVRANGEBYSCORE with LIMIT: a negative offset gives
   * nothing, a negative count means no limit. The spec is always min..max;
   * reverse walks it from max down. The offset is skipped by rank, O(log n).
   */
  rangeByScore(spec: ZRangeSpec, reverse = false, offset = 0, count = -1): ZsetEntry[] {
    const store = this.store;
    if (reverse) return this.walkRange(store.lastRankInRange(spec), true, offset, count, (m, s) => zslValueGteMin(s, spec));
    return this.walkRange(store.firstRankInRange(spec), false, offset, count, (m, s) => zslValueLteMax(s, spec));
  }

  /** ZRANGEBYLEX / ZREVRANGEBYLEX with LIMIT, same conventions as rangeByScore. */
  rangeByLex(spec: ZLexRangeSpec, reverse = false, offset = 0, count = -1): ZsetEntry[] {
    const store = this.store;
    if (reverse) return this.walkRange(store.lastRankInLexRange(spec), true, offset, count, (m) => zslLexValueGteMin(m, spec));
    return this.walkRange(store.firstRankInLexRange(spec), false, offset, count, (m) => zslLexValueLteMax(m, spec));
  }

  /** Walks from the 1-based rank `from`, skipping `offset`, while `inRange` holds. */
  private walkRange(from: number, reverse: boolean, offset: number, count: number, inRange: (m: string, s: number) => boolean): ZsetEntry[] {
    const out: ZsetEntry[] = [];
    if (from === 0 || offset < 0 || count === 0) return out;
    const rank = reverse ? from - offset : from + offset;
    if (rank < 1) return out;
    let left = count < 0 ? Infinity : count;
    this.store.walk(rank, reverse, (m, s) => {
      if (!inRange(m, s)) return false;
      out.push([m, s]);
      return --left > 0;
    });
    return out;
  }

  /** ZCOUNT in O(log n): the ranks of the first and last element in range. */
  countInScoreRange(spec: ZRangeSpec): number {
    const first = this.store.firstRankInRange(spec);
    return first === 0 ? 0 : this.store.lastRankInRange(spec) - first + 1;
  }

  /** ZLEXCOUNT in O(log n). */
  countInLexRange(spec: ZLexRangeSpec): number {
    const first = this.store.firstRankInLexRange(spec);
    return first === 0 ? 0 : this.store.lastRankInLexRange(spec) - first + 1;
  }

  /** ZPOPMIN: up to `count` lowest entries, lowest first, removed. */
  popMin(count = 1): ZsetEntry[] {
    const n = Math.min(count, this.size);
    if (n <= 0) return [];
    const out = this.rangeByRank(0, n - 1, false);
    this.store.deleteRangeByRank(1, n);
    return out;
  }

  /** ZPOPMAX: up to `count` highest entries, highest first, removed. */
  popMax(count = 1): ZsetEntry[] {
    const n = Math.min(count, this.size);
    if (n <= 0) return [];
    const out = this.rangeByRank(0, n - 1, true);
    this.store.deleteRangeByRank(this.size - n + 1, this.size);
    return out;
  }

  /** ZREMRANGEBYSCORE: how many were removed. */
  removeRangeByScore(spec: ZRangeSpec): number {
    return this.store.deleteRangeByScore(spec);
  }

  /** ZREMRANGEBYLEX. */
  removeRangeByLex(spec: ZLexRangeSpec): number {
    return this.store.deleteRangeByLex(spec);
  }

  /** ZREMRANGEBYRANK with normalised 0-based inclusive ranks. */
  removeRangeByRank(start: number, stop: number): number {
    if (start < 0 || start > stop) return 0;
    return this.store.deleteRangeByRank(start + 1, stop + 1);
  }

  /**
   * Every member, unordered. A large set iterates its dict live (a Map
   * iterator survives changes); a small one iterates a snapshot.
   */
  members(): IterableIterator<string> {
    return this.store.members();
  }

  /** [member, score] pairs, unordered (same rules as members); for ordered output use rangeByRank. */
  entries(): IterableIterator<ZsetEntry> {
    return this.store.entries();
  }

  /** A uniformly random entry (ZRANDMEMBER without count), undefined when empty. */
  randomEntry(random: () => number = Math.random): ZsetEntry | undefined {
    if (this.size === 0) return undefined;
    return this.entryByRank(Math.floor(random() * this.size));
  }

  /**
   * ZRANDMEMBER with a count. With duplicates (a negative count in the
   * command) it picks `count` times independently. Without, it returns
   * min(count, size) distinct entries: the whole set in order when count
   * covers it; by dropping random ranks when count is close to the size;
   * by sampling ranks otherwise, as Redis's cases 2-4 do.
   */
  randomEntries(count: number, allowDuplicates: boolean, random: () => number = Math.random): ZsetEntry[] {
    const size = this.size;
    const out: ZsetEntry[] = [];
    if (size === 0 || count <= 0) return out;
    if (allowDuplicates) {
      for (let i = 0; i < count; i++) out.push(this.entryByRank(Math.floor(random() * size))!);
      return out;
    }
    if (count >= size) return this.rangeByRank(0, size - 1);
    if (count * 3 > size) {
      const keep = new Uint8Array(size).fill(1);
      for (let left = size - count; left > 0; ) {
        const r = Math.floor(random() * size);
        if (keep[r]) {
          keep[r] = 0;
          left--;
        }
      }
      let rank = 0;
      this.forEachByRank(0, size - 1, false, (m, s) => {
        if (keep[rank++]) out.push([m, s]);
      });
      return out;
    }
    const picked = new Set<number>();
    while (picked.size < count) {
      const r = Math.floor(random() * size);
      if (!picked.has(r)) {
        picked.add(r);
        out.push(this.entryByRank(r)!);
      }
    }
    return out;
  }

  /**
   * OBJECT ENCODING. Once setZsetListpackLimits has been called the answer
   * was fixed at add time and `config` is not consulted (Redis ignores
   * later CONFIG SETs for existing keys too).
   */
  encoding(config?: EncodingConfig): ZsetEncoding {
    if (this.listpack && liveLimits === null && config !== undefined) {
      if (this.peakSize > config.zsetMaxListpackEntries || this.peakMemberLen > config.zsetMaxListpackValue) {
        this.listpack = false;
      }
    }
    return this.listpack ? 'listpack' : 'skiplist';
  }

  /**
   * zsetConvertToListpackIfNeeded: a freshly built result (Z*STORE,
   * ZRANGESTORE, RESTORE, loading) takes the encoding its contents call
   * for, whatever it went through while being built.
   */
  convertToListpackIfNeeded(config?: Pick<EncodingConfig, 'zsetMaxListpackEntries' | 'zsetMaxListpackValue'>): void {
    const maxEntries = config?.zsetMaxListpackEntries ?? liveLimits?.entries ?? DEFAULT_MAX_ENTRIES;
    const maxValue = config?.zsetMaxListpackValue ?? liveLimits?.value ?? DEFAULT_MAX_VALUE;
    const entries = this.rangeByRank(0, this.size - 1);
    let longest = 0;
    for (const [member] of entries) if (member.length > longest) longest = member.length;
    this.peakSize = this.size;
    this.peakMemberLen = longest;
    this.listpack = this.size <= maxEntries && longest <= maxValue;
    // A listpack holds -0 as 0; equal scores, so the order is unchanged.
    if (this.size <= SortedSet.smallMax) {
      const members = entries.map((e) => e[0]);
      const scores = entries.map((e) => (this.listpack && e[1] === 0 ? 0 : e[1]));
      this.store = new ListpackStore(members, scores);
    } else if (this.listpack) {
      for (const [member, score] of entries) if (Object.is(score, -0)) this.store.update(member, -0, 0);
    }
  }

  clone(): SortedSet {
    const copy = new SortedSet();
    copy.store = this.store.clone();
    copy.listpack = this.listpack;
    copy.peakSize = this.peakSize;
    copy.peakMemberLen = this.peakMemberLen;
    return copy;
  }

  /** Bytes held by the structure (excluding member strings and, when large, the dict). */
  get structureBytes(): number {
    return this.store.bytes;
  }

  /** For tests: checks the representation's invariants. */
  validate(): void {
    this.store.validate();
  }
}

// ---- range bound parsing ----

/**
 * strtod over a whole C string, as zslParseRange uses it: stops at a NUL
 * byte, skips leading whitespace, takes decimal, hex and inf/infinity,
 * overflows to ±inf, and must consume everything. An empty string is 0
 * (strtod converts nothing and the end pointer rests on the NUL), so "("
 * is an exclusive 0 in Redis. Not parseDouble: ZADD's scores go through
 * getDoubleFromObject, which refuses spaces, "" and overflow. NaN passes
 * here; the caller refuses it.
 */
export function strtodWhole(text: string): number | null {
  const nul = text.indexOf('\0');
  const s = nul >= 0 ? text.slice(0, nul) : text;
  const { value, end } = strtod(s);
  return end === s.length ? value : null;
}

function parseScoreBound(text: string): { value: number; exclusive: boolean } | null {
  const exclusive = text.charCodeAt(0) === 0x28; // '('
  const value = strtodWhole(exclusive ? text.slice(1) : text);
  if (value === null || Number.isNaN(value)) return null;
  return { value, exclusive };
}

/** zslParseRange: "1.5", "(1.5", "-inf", "+inf"... null means ERR_SCORE_RANGE. */
export function parseScoreRange(min: string, max: string): ZRangeSpec | null {
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  if (lo === null || hi === null) return null;
  return { min: lo.value, max: hi.value, minex: lo.exclusive, maxex: hi.exclusive };
}

function parseLexBound(text: string): { value: LexBound; exclusive: boolean } | null {
  // A C string: "+" and "-" count as such when followed by a NUL byte too.
  const alone = text.length === 1 || text.charCodeAt(1) === 0;
  switch (text.charCodeAt(0)) {
    case 0x2b: // '+'
      return alone ? { value: LEX_MAXSTRING, exclusive: true } : null;
    case 0x2d: // '-'
      return alone ? { value: LEX_MINSTRING, exclusive: true } : null;
    case 0x28: // '('
      return { value: text.slice(1), exclusive: true };
    case 0x5b: // '['
      return { value: text.slice(1), exclusive: false };
    default:
      return null;
  }
}

/** zslParseLexRange: "[a", "(a", "-", "+"; null means ERR_LEX_RANGE. */
export function parseLexRange(min: string, max: string): ZLexRangeSpec | null {
  const lo = parseLexBound(min);
  const hi = parseLexBound(max);
  if (lo === null || hi === null) return null;
  return { min: lo.value, max: hi.value, minex: lo.exclusive, maxex: hi.exclusive };
}
