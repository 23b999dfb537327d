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
 *
 * The small-set store is in zset-listpack.ts, the range specs and their
 * parsers in zrange.ts (re-exported here: a caller of SortedSet needs them).
 */
import type { EncodingConfig, RedisObject } from './types.js';
import { ScanCursors, type ElementScanPage } from './scan-cursors.js';
import { ZSkiplist } from './skiplist.js';
import { ListpackStore, type ZsetEntry, type ZsetStore } from './zset-listpack.js';
import {
  flatZslDeleteRangeByLex,
  flatZslLastRankInLexRange,
  zzlCountInLexRange,
  zzlDeleteRangeByLex,
  zzlFirstRankInLexRange,
  zzlLastRankInLexRange,
} from './zset-lex.js';
import {
  zslLexValueGteMin,
  zslLexValueLteMax,
  zslValueGteMin,
  zslValueLteMax,
  type ZLexRangeSpec,
  type ZRangeSpec,
} from './zrange.js';

export type { ZsetEntry } from './zset-listpack.js';
export {
  ERR_LEX_RANGE,
  ERR_SCORE_RANGE,
  LEX_MAXSTRING,
  LEX_MINSTRING,
  parseLexRange,
  parseScoreRange,
  strtodWhole,
  type LexBound,
  type ZLexRangeSpec,
  type ZRangeSpec,
} from './zrange.js';

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

export type ZsetEncoding = 'listpack' | 'skiplist';

/**
 * The live zset-max-listpack-* values, as the owning server's encoding
 * config holds them (CONFIG SET updates that object in place). Redis
 * decides on conversion at add time with the config of that moment, so a
 * set created by a server keeps a reference to that server's object: two
 * servers in one process never share limits. A set made without one (unit
 * tests) decides in encoding() from its peak size and longest member,
 * which is exact as long as the config does not change under a key.
 */
export type ZsetListpackLimits = Pick<EncodingConfig, 'zsetMaxListpackEntries' | 'zsetMaxListpackValue'>;
const DEFAULT_MAX_ENTRIES = 128;
const DEFAULT_MAX_VALUE = 64;

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

  /** The members in a score range in order, until `visit` returns false: one descent, then level 0. */
  walkScoreRange(spec: ZRangeSpec, accept: (score: number) => boolean, take: (member: string, score: number) => boolean): void {
    const zsl = this.zsl;
    for (let node = zsl.firstNodeInRange(spec); node !== 0; node = zsl.next(node)) {
      const score = zsl.score(node);
      if (!zslValueLteMax(score, spec)) return;
      if (accept(score) && !take(zsl.member(node), score)) return;
    }
  }

  lastRankInRange(spec: ZRangeSpec): number {
    return this.zsl.lastRankInRange(spec);
  }

  /** zslFirstInLexRange's descent; for a set Redis holds as a skiplist. */
  firstRankInLexRange(spec: ZLexRangeSpec): number {
    return this.zsl.firstRankInLexRange(spec);
  }

  /** zslLastInLexRange's descent; for a set Redis holds as a skiplist. */
  lastRankInLexRange(spec: ZLexRangeSpec): number {
    return this.zsl.lastRankInLexRange(spec);
  }

  deleteRangeByScore(spec: ZRangeSpec): number {
    return this.forget(this.zsl.deleteRangeByScore(spec));
  }

  /** zslDeleteRangeByLex's descent; for a set Redis holds as a skiplist. */
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

  constructor(private readonly limits: ZsetListpackLimits | null = null) {}

  /** This value's size when the used-memory figure last measured it (remeasureDue); -1 until then. */
  measuredSize = -1;
  /** Whether Redis would still hold this set as a listpack. Sticky once false. */
  private listpack = true;
  private peakSize = 0;
  private peakMemberLen = 0;
  /** Live ZSCAN iterations (see scan). */
  private cursors: ScanCursors<ZsetEntry> | null = null;

  get size(): number {
    return this.store.size;
  }

  /**
   * An empty set that Redis would create as a skiplist (createZsetObject),
   * as Z*STORE and ZUNION/ZINTER/ZDIFF build their results: -0 scores are
   * kept, and convertToListpackIfNeeded gives a stored result its encoding.
   */
  static createSkiplist(limits: ZsetListpackLimits | null = null): SortedSet {
    const zset = new SortedSet(limits);
    zset.listpack = false;
    return zset;
  }

  /**
   * A set read from an RDB payload: `entries` in (score, member) order,
   * distinct, no NaN, with the encoding the loader decided (rdbLoadObject
   * judges a listpack by its count alone, so a long member may stay in one).
   */
  static fromSortedEntries(entries: readonly ZsetEntry[], listpack: boolean, limits: ZsetListpackLimits | null = null): SortedSet {
    const zset = new SortedSet(limits);
    zset.listpack = listpack;
    let longest = 0;
    for (const [member] of entries) if (member.length > longest) longest = member.length;
    zset.peakSize = entries.length;
    zset.peakMemberLen = longest;
    if (entries.length <= SortedSet.smallMax) {
      zset.store = new ListpackStore(
        entries.map((e) => e[0]),
        entries.map((e) => (listpack && e[1] === 0 ? 0 : e[1])),
      );
    } else {
      const store = new SkiplistStore();
      for (const [member, score] of entries) store.insert(member, listpack && score === 0 ? 0 : score);
      zset.store = store;
    }
    return zset;
  }

  /**
   * zsetTypeCreate(sizeHint, 0), as ZRANGESTORE starts its result: a
   * listpack when that many members fit zset-max-listpack-entries, else a
   * skiplist from the first member on (which keeps -0 scores).
   */
  static createWithSizeHint(sizeHint: number, limits: ZsetListpackLimits | null = null): SortedSet {
    const maxEntries = limits?.zsetMaxListpackEntries ?? DEFAULT_MAX_ENTRIES;
    return sizeHint <= maxEntries ? new SortedSet(limits) : SortedSet.createSkiplist(limits);
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
      const limits = this.limits;
      if (limits !== null && (size > limits.zsetMaxListpackEntries || member.length > limits.zsetMaxListpackValue)) {
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
   * the default limits meanwhile. This decides how -0 is stored and which
   * of Redis's lex range searches answers.
   */
  private storesListpack(): boolean {
    if (!this.listpack) return false;
    return this.limits !== null || (this.peakSize <= DEFAULT_MAX_ENTRIES && this.peakMemberLen <= DEFAULT_MAX_VALUE);
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

  /**
   * Lex range searches. With mixed scores the members are not in lex order
   * and Redis's answer depends on its encoding's search (see zset-lex.ts),
   * so the search is picked by the encoding Redis would have: the listpack's
   * walks, or the skiplist's descent. A skiplist-encoded set that we hold
   * in a ListpackStore has no levels to descend: it takes the descent on
   * one-level nodes. With equal scores all of them agree.
   */
  private firstRankInLexRange(spec: ZLexRangeSpec): number {
    const store = this.store;
    return store instanceof SkiplistStore && !this.storesListpack() ? store.firstRankInLexRange(spec) : zzlFirstRankInLexRange(store, spec);
  }

  private lastRankInLexRange(spec: ZLexRangeSpec): number {
    const store = this.store;
    if (this.storesListpack()) return zzlLastRankInLexRange(store, spec);
    return store instanceof SkiplistStore ? store.lastRankInLexRange(spec) : flatZslLastRankInLexRange(store, spec);
  }

  /** ZRANGEBYLEX / ZREVRANGEBYLEX with LIMIT, same conventions as rangeByScore. */
  rangeByLex(spec: ZLexRangeSpec, reverse = false, offset = 0, count = -1): ZsetEntry[] {
    if (reverse) return this.walkRange(this.lastRankInLexRange(spec), true, offset, count, (m) => zslLexValueGteMin(m, spec));
    return this.walkRange(this.firstRankInLexRange(spec), false, offset, count, (m) => zslLexValueLteMax(m, spec));
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

  /**
   * Goes through the members in a score range, lowest first: each score
   * `accept`s is handed to `take` with its member, until `take` returns
   * false. GEO searches read each cell's range this way
   * (geoGetPointsInRange): no list of entries is built, and the member of
   * a rejected candidate, most of them, is never loaded.
   */
  forEachInScoreRange(spec: ZRangeSpec, accept: (score: number) => boolean, take: (member: string, score: number) => boolean): void {
    if (this.store instanceof SkiplistStore) {
      this.store.walkScoreRange(spec, accept, take);
      return;
    }
    const from = this.store.firstRankInRange(spec);
    if (from === 0) return;
    this.store.walk(from, false, (m, s) => zslValueLteMax(s, spec) && (!accept(s) || take(m, s)));
  }

  /** ZCOUNT in O(log n): the ranks of the first and last element in range. */
  countInScoreRange(spec: ZRangeSpec): number {
    const first = this.store.firstRankInRange(spec);
    return first === 0 ? 0 : this.store.lastRankInRange(spec) - first + 1;
  }

  /**
   * ZLEXCOUNT. A listpack counts forward from the first member in range
   * until one is past max, O(n); a skiplist subtracts the ranks of the first
   * and last members in range, O(log n), where a missing last member counts
   * as the end. They differ only when scores do (see firstRankInLexRange).
   */
  countInLexRange(spec: ZLexRangeSpec): number {
    if (this.storesListpack()) return zzlCountInLexRange(this.store, spec);
    const first = this.firstRankInLexRange(spec);
    if (first === 0) return 0;
    const last = this.lastRankInLexRange(spec);
    return (last === 0 ? this.store.size : last) - first + 1;
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

  /**
   * ZREMRANGEBYLEX. zslDeleteRangeByLex, unlike the listpack's
   * zzlDeleteRangeByLex, makes no zslIsInLexRange check first, so with mixed
   * scores the skiplist can delete members where the listpack deletes none.
   */
  removeRangeByLex(spec: ZLexRangeSpec): number {
    const store = this.store;
    if (this.storesListpack()) return zzlDeleteRangeByLex(store, spec);
    return store instanceof SkiplistStore ? store.deleteRangeByLex(spec) : flatZslDeleteRangeByLex(store, spec);
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

  /**
   * One ZSCAN step over a set Redis would hold as a hashtable: up to
   * `count` entries through a live iterator (see scan-cursors.ts). The
   * entries() of a large set iterate its dict, which survives changes; a
   * small one iterates a snapshot, which is just as good a guarantee.
   */
  scan(cursor: string, count: number, issueCursor: () => string): ElementScanPage<ZsetEntry> {
    this.cursors ??= new ScanCursors();
    return this.cursors.step(cursor, count, () => this.entries(), issueCursor);
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
   * OBJECT ENCODING. For a set that knows its server's limits the answer
   * was fixed at add time and `config` is not consulted (Redis ignores
   * later CONFIG SETs for existing keys too).
   */
  encoding(config?: EncodingConfig): ZsetEncoding {
    if (this.listpack && this.limits === null && config !== undefined) {
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
    const maxEntries = config?.zsetMaxListpackEntries ?? this.limits?.zsetMaxListpackEntries ?? DEFAULT_MAX_ENTRIES;
    const maxValue = config?.zsetMaxListpackValue ?? this.limits?.zsetMaxListpackValue ?? DEFAULT_MAX_VALUE;
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
    const copy = new SortedSet(this.limits);
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
