/**
 * The list value. Redis 7.0 keeps every list in a quicklist (a linked list
 * of listpack nodes); here a growable power-of-two ring buffer does the
 * same job with O(1) amortised push/pop at both ends and O(1) LINDEX/LSET,
 * where the quicklist's index access is O(n / node size).
 *
 * Slots are `head + i & mask`. The buffer doubles when full and halves
 * (to twice the length) when under a quarter full, so a drained list gives
 * its memory back and alternating push/pop at a boundary cannot thrash.
 * Vacated slots are cleared so the strings they held can be collected.
 *
 * Encoding: Redis 7.0.15 reports `quicklist` for every list, however small
 * (`RPUSH l a` + `OBJECT ENCODING l` → quicklist; the listpack encoding for
 * small lists arrived in 7.2), so list-max-listpack-size does not show.
 */
import type { RedisObject } from './types.js';

const MIN_CAPACITY = 4;

/**
 * `n` empty slots with a backing store of exactly n (growing by push would
 * leave slack). `new Array(n).fill()` is a memset-like builtin; the packed
 * alternative, `Array.from({ length: n })`, reads n generic properties and
 * took 40 ns a slot, which stalled the server for 160 ms when a 4M-element
 * list grew. The holey array it gives costs only a hole check per read.
 */
function slots(n: number): (string | undefined)[] {
  return new Array<string | undefined>(n).fill(undefined);
}

export class QuickList implements RedisObject, Iterable<string> {
  readonly type = 'list' as const;
  private buf: (string | undefined)[] = slots(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private head = 0;
  private len = 0;
  /** This value's size when the used-memory figure last measured it (remeasureDue); -1 until then. */
  measuredSize = -1;

  get length(): number {
    return this.len;
  }

  encoding(): 'quicklist' {
    return 'quicklist';
  }

  /** Moves the contents, in order, to a buffer of `capacity` (a power of two ≥ len). */
  private resize(capacity: number): void {
    const next = slots(capacity);
    const buf = this.buf;
    const mask = this.mask;
    for (let i = 0; i < this.len; i++) next[i] = buf[(this.head + i) & mask];
    this.buf = next;
    this.mask = capacity - 1;
    this.head = 0;
  }

  private reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < need) capacity *= 2;
    this.resize(capacity);
  }

  /** Called after removals: halve when under a quarter full. */
  private maybeShrink(): void {
    const capacity = this.buf.length;
    if (capacity <= MIN_CAPACITY || this.len >= capacity >>> 2) return;
    let next = MIN_CAPACITY;
    while (next < this.len * 2) next *= 2;
    this.resize(next);
  }

  // ---- push / pop ----

  /** LPUSH: each value in turn goes to the head (so `a b c` ends up `c b a`). New length. */
  pushHead(values: string | readonly string[]): number {
    if (typeof values === 'string') {
      if (this.len === this.buf.length) this.reserve(1);
      this.head = (this.head - 1) & this.mask;
      this.buf[this.head] = values;
      return ++this.len;
    }
    this.reserve(values.length);
    const buf = this.buf;
    const mask = this.mask;
    let head = this.head;
    for (let i = 0; i < values.length; i++) {
      head = (head - 1) & mask;
      buf[head] = values[i];
    }
    this.head = head;
    return (this.len += values.length);
  }

  /** RPUSH. New length. */
  pushTail(values: string | readonly string[]): number {
    if (typeof values === 'string') {
      if (this.len === this.buf.length) this.reserve(1);
      this.buf[(this.head + this.len) & this.mask] = values;
      return ++this.len;
    }
    this.reserve(values.length);
    const buf = this.buf;
    const mask = this.mask;
    const base = this.head + this.len;
    for (let i = 0; i < values.length; i++) buf[(base + i) & mask] = values[i];
    return (this.len += values.length);
  }

  /** LPOP: one element (undefined when empty), or up to `count` as an array. */
  popHead(): string | undefined;
  popHead(count: number): string[];
  popHead(count?: number): string | undefined | string[] {
    if (count === undefined) {
      if (this.len === 0) return undefined;
      const value = this.buf[this.head];
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
      this.len--;
      this.maybeShrink();
      return value;
    }
    const n = Math.max(0, Math.min(count, this.len));
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.buf[this.head]!;
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
    }
    this.len -= n;
    this.maybeShrink();
    return out;
  }

  /** RPOP: one element (undefined when empty), or up to `count` as an array, tail first. */
  popTail(): string | undefined;
  popTail(count: number): string[];
  popTail(count?: number): string | undefined | string[] {
    if (count === undefined) {
      if (this.len === 0) return undefined;
      const slot = (this.head + this.len - 1) & this.mask;
      const value = this.buf[slot];
      this.buf[slot] = undefined;
      this.len--;
      this.maybeShrink();
      return value;
    }
    const n = Math.max(0, Math.min(count, this.len));
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const slot = (this.head + this.len - 1 - i) & this.mask;
      out[i] = this.buf[slot]!;
      this.buf[slot] = undefined;
    }
    this.len -= n;
    this.maybeShrink();
    return out;
  }

  // ---- index access ----

  /** LINDEX: negative indexes count from the tail; undefined when out of range. */
  at(index: number): string | undefined {
    if (index < 0) index += this.len;
    if (index < 0 || index >= this.len) return undefined;
    return this.buf[(this.head + index) & this.mask];
  }

  /** LSET: false when the index is out of range (Redis's "ERR index out of range"). */
  set(index: number, value: string): boolean {
    if (index < 0) index += this.len;
    if (index < 0 || index >= this.len) return false;
    this.buf[(this.head + index) & this.mask] = value;
    return true;
  }

  /** LRANGE: start/stop as the command gives them, negative from the tail, clamped. */
  range(start: number, stop: number): string[] {
    const len = this.len;
    if (start < 0) start += len;
    if (stop < 0) stop += len;
    if (start < 0) start = 0;
    if (start > stop || start >= len) return [];
    if (stop >= len) stop = len - 1;
    const out = new Array<string>(stop - start + 1);
    const buf = this.buf;
    const mask = this.mask;
    for (let i = start; i <= stop; i++) out[i - start] = buf[(this.head + i) & mask]!;
    return out;
  }

  /** All elements, head to tail. */
  toArray(): string[] {
    return this.range(0, -1);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.len; i++) yield this.buf[(this.head + i) & this.mask]!;
  }

  // ---- O(n) edits ----

  /** LINSERT BEFORE: the new length, or -1 when the pivot is not there. */
  insertBefore(pivot: string, value: string): number {
    return this.insertAt(this.firstIndexOf(pivot), value);
  }

  /** LINSERT AFTER. */
  insertAfter(pivot: string, value: string): number {
    const at = this.firstIndexOf(pivot);
    return this.insertAt(at < 0 ? at : at + 1, value);
  }

  private firstIndexOf(value: string): number {
    for (let i = 0; i < this.len; i++) if (this.buf[(this.head + i) & this.mask] === value) return i;
    return -1;
  }

  /** Inserts so that `value` lands at index `at`, moving whichever side is shorter. */
  private insertAt(at: number, value: string): number {
    if (at < 0) return -1;
    this.reserve(1);
    const buf = this.buf;
    const mask = this.mask;
    if (at < this.len - at) {
      // Shift [0, at) one slot towards the head.
      this.head = (this.head - 1) & mask;
      for (let i = 0; i < at; i++) buf[(this.head + i) & mask] = buf[(this.head + i + 1) & mask];
    } else {
      // Shift [at, len) one slot towards the tail.
      for (let i = this.len; i > at; i--) buf[(this.head + i) & mask] = buf[(this.head + i - 1) & mask];
    }
    buf[(this.head + at) & mask] = value;
    return ++this.len;
  }

  /**
   * LREM: removes up to |count| elements equal to `value`, from the head
   * when count > 0, from the tail when count < 0, all when 0. How many went.
   */
  removeMatching(count: number, value: string): number {
    const buf = this.buf;
    const mask = this.mask;
    const len = this.len;
    const limit = count === 0 ? Infinity : Math.abs(count);
    let removed = 0;
    if (count >= 0) {
      // Compact towards the head; the tail end is vacated.
      let w = 0;
      for (let r = 0; r < len; r++) {
        const v = buf[(this.head + r) & mask];
        if (removed < limit && v === value) removed++;
        else {
          if (w !== r) buf[(this.head + w) & mask] = v;
          w++;
        }
      }
      for (let i = w; i < len; i++) buf[(this.head + i) & mask] = undefined;
    } else {
      // Compact towards the tail; the head end is vacated.
      let w = len - 1;
      for (let r = len - 1; r >= 0; r--) {
        const v = buf[(this.head + r) & mask];
        if (removed < limit && v === value) removed++;
        else {
          if (w !== r) buf[(this.head + w) & mask] = v;
          w--;
        }
      }
      for (let i = 0; i <= w; i++) buf[(this.head + i) & mask] = undefined;
      this.head = (this.head + w + 1) & mask;
    }
    this.len -= removed;
    if (removed > 0) this.maybeShrink();
    return removed;
  }

  /** LTRIM: keeps start..stop (command semantics, negative from the tail). How many went. */
  trim(start: number, stop: number): number {
    const len = this.len;
    if (start < 0) start += len;
    if (stop < 0) stop += len;
    if (start < 0) start = 0;
    let ltrim: number;
    let rtrim: number;
    if (start > stop || start >= len) {
      ltrim = len;
      rtrim = 0;
    } else {
      if (stop >= len) stop = len - 1;
      ltrim = start;
      rtrim = len - stop - 1;
    }
    const buf = this.buf;
    const mask = this.mask;
    for (let i = 0; i < ltrim; i++) buf[(this.head + i) & mask] = undefined;
    for (let i = len - rtrim; i < len; i++) buf[(this.head + i) & mask] = undefined;
    this.head = (this.head + ltrim) & mask;
    this.len = len - ltrim - rtrim;
    this.maybeShrink();
    return ltrim + rtrim;
  }

  /**
   * The LPOS scan. rank (≠ 0) picks the rank-th match, scanning from the
   * tail when negative; count is how many matches to return from there on
   * (0 = all); maxlen caps how many elements are compared (0 = no cap).
   * Indexes are always counted from the head. The command layer checks the
   * arguments and turns a no-COUNT call into the first index or nil.
   */
  indexOf(value: string, rank = 1, count = 1, maxlen = 0): number[] {
    const out: number[] = [];
    const len = this.len;
    const fromTail = rank < 0;
    const skip = Math.abs(rank) - 1;
    const scan = maxlen > 0 ? Math.min(maxlen, len) : len;
    let matches = 0;
    for (let n = 0; n < scan; n++) {
      const index = fromTail ? len - 1 - n : n;
      if (this.buf[(this.head + index) & this.mask] !== value) continue;
      if (matches++ < skip) continue;
      out.push(index);
      if (count !== 0 && out.length >= count) break;
    }
    return out;
  }

  clone(): QuickList {
    const copy = new QuickList();
    copy.buf = this.buf.slice();
    copy.mask = this.mask;
    copy.head = this.head;
    copy.len = this.len;
    return copy;
  }

  /** Slots allocated (for tests and memory accounting). */
  get capacity(): number {
    return this.buf.length;
  }
}
