/**
 * zskiplist: Redis's skip list (t_zset.c), ordered by (score, member) with
 * per-level spans so that ranks are O(log n), and a backward pointer at
 * level 0 for reverse walks.
 *
 * Layout. A node per member is what a big sorted set costs, so nodes are
 * not JS objects: they are segments of one Int32Array pool, addressed by
 * their offset (in int32 units). A node of level L takes 4 + 2L ints:
 *
 *   [0..1] score (a float64, read through a Float64Array on the same buffer)
 *   [2]    backward node (0 = NULL)
 *   [3]    member index << 5 | (level - 1); the member string is in `ele`
 *   [4+2i] forward node at level i (0 = NULL), [5+2i] span at level i
 *
 * Every segment has an even size and starts at an even offset, so the score
 * is 8-byte aligned. Keeping the score next to the forward pointers means a
 * descent touches one cache line per visited node instead of several
 * objects, and the pool costs the garbage collector nothing to trace.
 * Offsets 0-1 are reserved so that 0 can mean NULL. The header is a segment
 * like any other; nothing points to it (the first node's backward is NULL,
 * as in Redis), so it can be moved when it needs more levels.
 *
 * Node offsets are stable for a node's lifetime, including across
 * updateScore, so the owner may keep them (SortedSet maps member → node).
 * Only compact() moves nodes, and it reports every move.
 */
import {
  zslLexValueGteMin,
  zslLexValueLteMax,
  zslScoreRangeIsEmpty,
  zslLexRangeIsEmpty,
  zslValueGteMin,
  zslValueLteMax,
  type ZLexRangeSpec,
  type ZRangeSpec,
} from './zrange.js';

/** The skiplist's member order; its home is zrange.ts with the other range comparisons. */
export { sdscmplex } from './zrange.js';

export const ZSKIPLIST_MAXLEVEL = 32;
/** The chance that a node has one more level (Redis's ZSKIPLIST_P). */
export const ZSKIPLIST_P = 0.25;

const BACKWARD = 2;
const INFO = 3;
const LEVEL0 = 4;
const NIL = 0;
/** Ints reserved at the start of the pool so that offset 0 is never a node. */
const RESERVED = 2;
/** Levels the header starts with; it is moved to a full-size segment when a taller node arrives. */
const HEADER_INITIAL_LEVELS = 4;
const INITIAL_POOL = 16;
/** Pools smaller than this (in ints) are never compacted: not worth an O(n) pass. */
const COMPACT_MIN_POOL = 4096;

function segmentSize(level: number): number {
  return LEVEL0 + 2 * level;
}

// Scratch space for descents. Nothing re-enters the skiplist during a
// descent (no callbacks), so one set is shared by every instance.
const update = new Int32Array(ZSKIPLIST_MAXLEVEL);
const rankAt = new Int32Array(ZSKIPLIST_MAXLEVEL);

// xorshift32: deterministic and fast. Levels come from pairs of low bits:
// each pair that is 00 (probability 1/4 = ZSKIPLIST_P) adds a level. A
// 32-bit word yields at most 16 levels, which a set would need about 4^15
// nodes to want; V8 caps a Map far below that.
let rngState = 0x2545f491;

/** zslRandomLevel: 1 + the number of leading "00" bit pairs, geometric with p = 1/4. */
export function zslRandomLevel(): number {
  let x = rngState;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  rngState = x;
  // xorshift32 never yields 0, so x & -x isolates a set bit.
  const trailingZeros = 31 - Math.clz32(x & -x);
  return 1 + (trailingZeros >> 1);
}

export class ZSkiplist {
  /** The node pool; `f64` views the same buffer for scores. */
  private i32: Int32Array;
  private f64: Float64Array;
  /** Member strings by member index; index 0 belongs to the header. */
  private ele: (string | undefined)[] = [undefined];
  private freeEle: number[] = [];
  /** Free segments by level, reused before the pool grows. */
  private freeSeg: number[][] = [];
  /** First never-used int of the pool. */
  private poolTop: number;
  /** Ints in use: reserved + header + live nodes. */
  private used: number;
  private header: number;
  private headerLevels: number;

  /** Number of levels in use (the tallest node's level, at least 1). */
  level = 1;
  length = 0;
  /** The last node, NIL when empty. */
  tail = NIL;

  constructor() {
    this.i32 = new Int32Array(INITIAL_POOL);
    this.f64 = new Float64Array(this.i32.buffer);
    this.header = RESERVED;
    this.headerLevels = HEADER_INITIAL_LEVELS;
    this.i32[this.header + INFO] = HEADER_INITIAL_LEVELS - 1;
    this.poolTop = this.used = RESERVED + segmentSize(HEADER_INITIAL_LEVELS);
  }

  // ---- node accessors (node = offset; NIL = 0) ----

  score(node: number): number {
    return this.f64[node >> 1]!;
  }

  member(node: number): string {
    return this.ele[this.i32[node + INFO]! >>> 5]!;
  }

  /** The node after `node` in order (level 0 forward). */
  next(node: number): number {
    return this.i32[node + LEVEL0]!;
  }

  /** The node before `node` (backward pointer). */
  prev(node: number): number {
    return this.i32[node + BACKWARD]!;
  }

  /** The first node, NIL when empty. */
  first(): number {
    return this.i32[this.header + LEVEL0]!;
  }

  /** Bytes held by the pool and the member index (not the strings themselves). */
  get allocatedBytes(): number {
    return this.i32.byteLength + this.ele.length * 4;
  }

  // ---- allocation ----

  private allocNode(level: number, score: number, member: string): number {
    const size = segmentSize(level);
    const free = this.freeSeg[level];
    let node: number;
    if (free !== undefined && free.length > 0) {
      node = free.pop()!;
    } else {
      if (this.poolTop + size > this.i32.length) this.growPool(this.poolTop + size);
      node = this.poolTop;
      this.poolTop += size;
    }
    this.used += size;
    let idx: number;
    if (this.freeEle.length > 0) {
      idx = this.freeEle.pop()!;
      this.ele[idx] = member;
    } else {
      idx = this.ele.length;
      this.ele.push(member);
    }
    this.f64[node >> 1] = score;
    this.i32[node + INFO] = (idx << 5) | (level - 1);
    return node;
  }

  private freeNode(node: number): void {
    const info = this.i32[node + INFO]!;
    const level = (info & 31) + 1;
    const idx = info >>> 5;
    this.ele[idx] = undefined;
    this.freeEle.push(idx);
    (this.freeSeg[level] ??= []).push(node);
    this.used -= segmentSize(level);
  }

  private growPool(minInts: number): void {
    let size = this.i32.length * 2;
    while (size < minInts) size *= 2;
    const pool = new Int32Array(size);
    pool.set(this.i32);
    this.i32 = pool;
    this.f64 = new Float64Array(pool.buffer);
  }

  /** Moves the header to a full-height segment; only ever needed once per skiplist. */
  private growHeader(): void {
    const old = this.header;
    const oldLevels = this.headerLevels;
    const size = segmentSize(ZSKIPLIST_MAXLEVEL);
    if (this.poolTop + size > this.i32.length) this.growPool(this.poolTop + size);
    const h = this.poolTop;
    this.poolTop += size;
    const i32 = this.i32;
    i32.fill(0, h, h + size);
    i32.copyWithin(h + LEVEL0, old + LEVEL0, old + LEVEL0 + 2 * oldLevels);
    i32[h + INFO] = ZSKIPLIST_MAXLEVEL - 1;
    (this.freeSeg[oldLevels] ??= []).push(old);
    this.used += size - segmentSize(oldLevels);
    this.header = h;
    this.headerLevels = ZSKIPLIST_MAXLEVEL;
  }

  // ---- insert / delete ----

  /** zslInsert. The caller guarantees the member is not present (the dict knows). */
  insert(score: number, member: string): number {
    const level = zslRandomLevel();
    const node = this.allocNode(level, score, member);
    this.link(node, level, score, member);
    return node;
  }

  /** The second half of zslInsert: find the place for `node` and splice it in at `level` levels. */
  private link(node: number, level: number, score: number, member: string): void {
    if (level > this.headerLevels) this.growHeader();
    const i32 = this.i32;
    const f64 = this.f64;
    const ele = this.ele;
    const h = this.header;
    let x = h;
    for (let i = this.level - 1; i >= 0; i--) {
      // Rank crossed to reach the insert position, to fix up spans.
      let r = i === this.level - 1 ? 0 : rankAt[i + 1]!;
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL) break;
        const fs = f64[f >> 1]!;
        if (fs < score || (fs === score && ele[i32[f + INFO]! >>> 5]! < member)) {
          r += i32[x + LEVEL0 + 2 * i + 1]!;
          x = f;
        } else break;
      }
      rankAt[i] = r;
      update[i] = x;
    }
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rankAt[i] = 0;
        update[i] = h;
        i32[h + LEVEL0 + 2 * i + 1] = this.length;
      }
      this.level = level;
    }
    const r0 = rankAt[0]!;
    for (let i = 0; i < level; i++) {
      const u = update[i]! + LEVEL0 + 2 * i;
      const n = node + LEVEL0 + 2 * i;
      i32[n] = i32[u]!;
      i32[u] = node;
      // update[i]'s span is split around the new node.
      i32[n + 1] = i32[u + 1]! - (r0 - rankAt[i]!);
      i32[u + 1] = r0 - rankAt[i]! + 1;
    }
    // Levels above the node now span one more element.
    for (let i = level; i < this.level; i++) i32[update[i]! + LEVEL0 + 2 * i + 1]!++;
    i32[node + BACKWARD] = update[0] === h ? NIL : update[0]!;
    const after = i32[node + LEVEL0]!;
    if (after !== NIL) i32[after + BACKWARD] = node;
    else this.tail = node;
    this.length++;
  }

  /** zslDeleteNode: unlinks `node`, with `update` filled by a descent. Does not free it. */
  private unlink(node: number): void {
    const i32 = this.i32;
    for (let i = 0; i < this.level; i++) {
      const u = update[i]! + LEVEL0 + 2 * i;
      if (i32[u] === node) {
        i32[u + 1] += i32[node + LEVEL0 + 2 * i + 1]! - 1;
        i32[u] = i32[node + LEVEL0 + 2 * i]!;
      } else {
        i32[u + 1]!--;
      }
    }
    const after = i32[node + LEVEL0]!;
    if (after !== NIL) i32[after + BACKWARD] = i32[node + BACKWARD]!;
    else this.tail = i32[node + BACKWARD]!;
    while (this.level > 1 && i32[this.header + LEVEL0 + 2 * (this.level - 1)] === NIL) this.level--;
    this.length--;
  }

  /**
   * Fills `update` with the last node before (score, member) at each level
   * and returns the node at (score, member) if present, else NIL.
   */
  private findUpdate(score: number, member: string): number {
    const i32 = this.i32;
    const f64 = this.f64;
    const ele = this.ele;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL) break;
        const fs = f64[f >> 1]!;
        if (fs < score || (fs === score && ele[i32[f + INFO]! >>> 5]! < member)) x = f;
        else break;
      }
      update[i] = x;
    }
    x = i32[x + LEVEL0]!;
    if (x !== NIL && f64[x >> 1] === score && ele[i32[x + INFO]! >>> 5] === member) return x;
    return NIL;
  }

  /** zslDelete: removes (score, member); false when it is not there. */
  delete(score: number, member: string): boolean {
    const node = this.findUpdate(score, member);
    if (node === NIL) return false;
    this.unlink(node);
    this.freeNode(node);
    return true;
  }

  /**
   * zslUpdateScore. When the node would stay at the same position it only
   * rewrites the score; otherwise it is unlinked and relinked. Unlike Redis
   * the node keeps its segment (and level), so its offset does not change.
   */
  updateScore(curScore: number, member: string, newScore: number): number {
    const node = this.findUpdate(curScore, member);
    if (node === NIL) throw new Error(`zslUpdateScore: ${curScore} ${member} not found`);
    const i32 = this.i32;
    const f64 = this.f64;
    const back = i32[node + BACKWARD]!;
    const after = i32[node + LEVEL0]!;
    if ((back === NIL || f64[back >> 1]! < newScore) && (after === NIL || f64[after >> 1]! > newScore)) {
      f64[node >> 1] = newScore;
      return node;
    }
    this.unlink(node);
    f64[node >> 1] = newScore;
    // Relink at the node's own level: the segment, hence the offset, is kept.
    this.link(node, (i32[node + INFO]! & 31) + 1, newScore, member);
    return node;
  }

  // ---- ranks ----

  /** zslGetRank: 1-based rank of (score, member), 0 when absent. */
  getRank(score: number, member: string): number {
    const i32 = this.i32;
    const f64 = this.f64;
    const ele = this.ele;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL) break;
        const fs = f64[f >> 1]!;
        if (fs < score || (fs === score && ele[i32[f + INFO]! >>> 5]! <= member)) {
          rank += i32[x + LEVEL0 + 2 * i + 1]!;
          x = f;
        } else break;
      }
      // x may be the header. Checking the score first (same cache line) spares
      // a load of the member string at every level: at 1M members that is
      // two cache misses per level.
      if (x !== this.header && f64[x >> 1] === score && ele[i32[x + INFO]! >>> 5] === member) return rank;
    }
    return 0;
  }

  /** zslGetElementByRank: the node at a 1-based rank, NIL when out of range. */
  getElementByRank(rank: number): number {
    if (rank < 1 || rank > this.length) return NIL;
    const i32 = this.i32;
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL) break;
        const span = i32[x + LEVEL0 + 2 * i + 1]!;
        if (traversed + span > rank) break;
        traversed += span;
        x = f;
      }
      if (traversed === rank) return x;
    }
    return NIL;
  }

  // ---- score ranges ----

  /** zslIsInRange: whether some element can be in the range. */
  isInRange(spec: ZRangeSpec): boolean {
    if (zslScoreRangeIsEmpty(spec)) return false;
    if (this.tail === NIL || !zslValueGteMin(this.f64[this.tail >> 1]!, spec)) return false;
    return zslValueLteMax(this.f64[this.first() >> 1]!, spec);
  }

  /** 1-based rank of the first element in range, 0 if none (zslFirstInRange + its rank in one descent). */
  firstRankInRange(spec: ZRangeSpec): number {
    if (!this.isInRange(spec)) return 0;
    const i32 = this.i32;
    const f64 = this.f64;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      // Go forward while *out* of range.
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL || zslValueGteMin(f64[f >> 1]!, spec)) break;
        rank += i32[x + LEVEL0 + 2 * i + 1]!;
        x = f;
      }
    }
    x = i32[x + LEVEL0]!; // an inner range, so not NIL
    return zslValueLteMax(f64[x >> 1]!, spec) ? rank + 1 : 0;
  }

  /** 1-based rank of the last element in range, 0 if none (zslLastInRange). */
  lastRankInRange(spec: ZRangeSpec): number {
    if (!this.isInRange(spec)) return 0;
    const i32 = this.i32;
    const f64 = this.f64;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      // Go forward while *in* range.
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL || !zslValueLteMax(f64[f >> 1]!, spec)) break;
        rank += i32[x + LEVEL0 + 2 * i + 1]!;
        x = f;
      }
    }
    return x !== this.header && zslValueGteMin(f64[x >> 1]!, spec) ? rank : 0;
  }

  /**
   * zslFirstInRange in one descent, as Redis's: the first node with a
   * score in range, NIL if none (firstInRange takes two, for the rank).
   */
  firstNodeInRange(spec: ZRangeSpec): number {
    if (!this.isInRange(spec)) return NIL;
    const i32 = this.i32;
    const f64 = this.f64;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL || zslValueGteMin(f64[f >> 1]!, spec)) break;
        x = f;
      }
    }
    x = i32[x + LEVEL0]!; // an inner range, so not NIL
    return zslValueLteMax(f64[x >> 1]!, spec) ? x : NIL;
  }

  /** zslFirstInRange: the first node with a score in range, NIL if none. */
  firstInRange(spec: ZRangeSpec): number {
    return this.getElementByRank(this.firstRankInRange(spec));
  }

  /** zslLastInRange: the last node with a score in range, NIL if none. */
  lastInRange(spec: ZRangeSpec): number {
    return this.getElementByRank(this.lastRankInRange(spec));
  }

  // ---- lex ranges ----

  /** zslIsInLexRange. */
  isInLexRange(spec: ZLexRangeSpec): boolean {
    if (zslLexRangeIsEmpty(spec)) return false;
    if (this.tail === NIL || !zslLexValueGteMin(this.member(this.tail), spec)) return false;
    return zslLexValueLteMax(this.member(this.first()), spec);
  }

  /** 1-based rank of the first element in the lex range, 0 if none (zslFirstInLexRange). */
  firstRankInLexRange(spec: ZLexRangeSpec): number {
    if (!this.isInLexRange(spec)) return 0;
    const i32 = this.i32;
    const ele = this.ele;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL || zslLexValueGteMin(ele[i32[f + INFO]! >>> 5]!, spec)) break;
        rank += i32[x + LEVEL0 + 2 * i + 1]!;
        x = f;
      }
    }
    x = i32[x + LEVEL0]!;
    return zslLexValueLteMax(ele[i32[x + INFO]! >>> 5]!, spec) ? rank + 1 : 0;
  }

  /** 1-based rank of the last element in the lex range, 0 if none (zslLastInLexRange). */
  lastRankInLexRange(spec: ZLexRangeSpec): number {
    if (!this.isInLexRange(spec)) return 0;
    const i32 = this.i32;
    const ele = this.ele;
    let x = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL || !zslLexValueLteMax(ele[i32[f + INFO]! >>> 5]!, spec)) break;
        rank += i32[x + LEVEL0 + 2 * i + 1]!;
        x = f;
      }
    }
    return x !== this.header && zslLexValueGteMin(ele[i32[x + INFO]! >>> 5]!, spec) ? rank : 0;
  }

  firstInLexRange(spec: ZLexRangeSpec): number {
    return this.getElementByRank(this.firstRankInLexRange(spec));
  }

  lastInLexRange(spec: ZLexRangeSpec): number {
    return this.getElementByRank(this.lastRankInLexRange(spec));
  }

  // ---- range deletion ----

  /** Unlinks and frees nodes from `x` on while `inRange` holds; `update` must lead to x. */
  private deleteRun(x: number, limit: number, inRange: (node: number) => boolean): string[] {
    const removed: string[] = [];
    while (x !== NIL && removed.length < limit && inRange(x)) {
      const after = this.i32[x + LEVEL0]!;
      removed.push(this.member(x));
      this.unlink(x);
      this.freeNode(x);
      x = after;
    }
    return removed;
  }

  /** zslDeleteRangeByScore: removes every element in range, returning their members. */
  deleteRangeByScore(spec: ZRangeSpec): string[] {
    const i32 = this.i32;
    const f64 = this.f64;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL || zslValueGteMin(f64[f >> 1]!, spec)) break;
        x = f;
      }
      update[i] = x;
    }
    return this.deleteRun(i32[x + LEVEL0]!, Infinity, (n) => zslValueLteMax(this.f64[n >> 1]!, spec));
  }

  /** zslDeleteRangeByLex. */
  deleteRangeByLex(spec: ZLexRangeSpec): string[] {
    const i32 = this.i32;
    const ele = this.ele;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL || zslLexValueGteMin(ele[i32[f + INFO]! >>> 5]!, spec)) break;
        x = f;
      }
      update[i] = x;
    }
    return this.deleteRun(i32[x + LEVEL0]!, Infinity, (n) => zslLexValueLteMax(this.member(n), spec));
  }

  /** zslDeleteRangeByRank: removes ranks start..end (1-based, inclusive). */
  deleteRangeByRank(start: number, end: number): string[] {
    const i32 = this.i32;
    let x = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL) break;
        const span = i32[x + LEVEL0 + 2 * i + 1]!;
        if (traversed + span >= start) break;
        traversed += span;
        x = f;
      }
      update[i] = x;
    }
    return this.deleteRun(i32[x + LEVEL0]!, Math.max(0, end - traversed), () => true);
  }

  // ---- whole-structure operations ----

  /** Whether enough of the pool is free that compact() would give memory back. */
  shouldCompact(): boolean {
    return this.i32.length >= COMPACT_MIN_POOL && this.used * 4 < this.i32.length;
  }

  /**
   * Rebuilds the pool tightly, in order, keeping every node's level and
   * span. Nodes move, and `onMove(member, node)` is told each new offset.
   */
  compact(onMove: (member: string, node: number) => void): void {
    const old = this.i32;
    const oldF64 = this.f64;
    const oldEle = this.ele;
    const oldHeader = this.header;
    let size = INITIAL_POOL;
    while (size < this.used * 2) size *= 2;
    const i32 = new Int32Array(size);
    const f64 = new Float64Array(i32.buffer);
    const ele: (string | undefined)[] = [undefined];
    const h = RESERVED;
    i32[h + INFO] = this.headerLevels - 1;
    let top = h + segmentSize(this.headerLevels);
    // rankAt doubles as "last node written at level i".
    const last = rankAt;
    for (let i = 0; i < this.level; i++) {
      i32[h + LEVEL0 + 2 * i + 1] = old[oldHeader + LEVEL0 + 2 * i + 1]!;
      last[i] = h;
    }
    let prev = NIL;
    for (let o = old[oldHeader + LEVEL0]!; o !== NIL; o = old[o + LEVEL0]!) {
      const info = old[o + INFO]!;
      const level = (info & 31) + 1;
      const member = oldEle[info >>> 5]!;
      const n = top;
      top += segmentSize(level);
      f64[n >> 1] = oldF64[o >> 1]!;
      i32[n + BACKWARD] = prev;
      i32[n + INFO] = (ele.length << 5) | (level - 1);
      ele.push(member);
      for (let i = 0; i < level; i++) {
        i32[last[i]! + LEVEL0 + 2 * i] = n;
        i32[n + LEVEL0 + 2 * i + 1] = old[o + LEVEL0 + 2 * i + 1]!;
        last[i] = n;
      }
      prev = n;
      onMove(member, n);
    }
    this.i32 = i32;
    this.f64 = f64;
    this.ele = ele;
    this.freeEle = [];
    this.freeSeg = [];
    this.header = h;
    this.tail = prev;
    this.poolTop = this.used = top;
  }

  /** A deep copy with identical node offsets. */
  clone(): ZSkiplist {
    const copy = Object.create(ZSkiplist.prototype) as ZSkiplist;
    copy.i32 = this.i32.slice();
    copy.f64 = new Float64Array(copy.i32.buffer);
    copy.ele = this.ele.slice();
    copy.freeEle = this.freeEle.slice();
    copy.freeSeg = this.freeSeg.map((list) => list.slice());
    copy.poolTop = this.poolTop;
    copy.used = this.used;
    copy.header = this.header;
    copy.headerLevels = this.headerLevels;
    copy.level = this.level;
    copy.length = this.length;
    copy.tail = this.tail;
    return copy;
  }

  /**
   * Checks every invariant (order, spans, backward pointers, tail, length)
   * and throws on the first violation. For tests: O(n · levels).
   */
  validate(): void {
    const i32 = this.i32;
    const fail = (what: string): never => {
      throw new Error(`zskiplist invariant: ${what}`);
    };
    // Level 0: order, backward pointers, length and tail; record each node's rank.
    const rankOf = new Map<number, number>();
    let prev = NIL;
    let rank = 0;
    for (let x = this.first(); x !== NIL; x = this.next(x)) {
      rank++;
      rankOf.set(x, rank);
      if (this.prev(x) !== prev) fail(`backward of rank ${rank}`);
      if (prev !== NIL) {
        const ps = this.score(prev);
        const xs = this.score(x);
        if (!(ps < xs || (ps === xs && this.member(prev) < this.member(x)))) fail(`order at rank ${rank}`);
      }
      if ((i32[x + INFO]! & 31) + 1 > this.level) fail(`node taller than level at rank ${rank}`);
      prev = x;
    }
    if (rank !== this.length) fail(`length ${this.length} but ${rank} nodes`);
    if (this.tail !== prev) fail('tail');
    if (this.level > 1 && i32[this.header + LEVEL0 + 2 * (this.level - 1)] === NIL) fail('empty top level');
    // Every level: spans equal rank differences (the last node's span is unused).
    for (let i = 0; i < this.level; i++) {
      let x = this.header;
      let r = 0;
      for (;;) {
        const f = i32[x + LEVEL0 + 2 * i]!;
        if (f === NIL) break;
        const fr = rankOf.get(f) ?? fail(`level ${i} links to a dead node`);
        if (i32[x + LEVEL0 + 2 * i + 1] !== fr - r) fail(`span at level ${i}, rank ${r}`);
        r = fr;
        x = f;
      }
    }
  }
}
