/**
 * The small sorted set: Redis's listpack encoding, held as two parallel
 * arrays in (score, member) order. Also the ZsetStore interface that both
 * representations of a SortedSet implement (this one and the skiplist +
 * dict pair in zset.ts).
 */
import {
  zslScoreRangeIsEmpty,
  zslValueGteMin,
  zslValueLteMax,
  type ZRangeSpec,
} from './zrange.js';

export type ZsetEntry = [member: string, score: number];

/** What SortedSet is built on. Ranks are 1-based as in zsl; 0 means none. */
export interface ZsetStore {
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
  /** Each returns how many members it removed. */
  deleteRangeByScore(spec: ZRangeSpec): number;
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
 * which for n ≤ SortedSet.smallMax cost less than hashing. Score range
 * searches follow the zzl* functions (by position, since scores are sorted).
 * Lex ranges are zset-lex.ts's walks, chosen by the encoding Redis would have.
 */
export class ListpackStore implements ZsetStore {
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
