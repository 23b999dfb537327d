/**
 * Hash-field expiration (Redis 7.4's HFE): the deadlines of a hash's
 * fields, and each database's index of the hashes that have any.
 *
 * Redis keeps a private `ebuckets` of field deadlines in each hash that has
 * ever had one, and registers such hashes in a per-database `hexpires`
 * keyed by their earliest deadline, which the active expiry cycle walks
 * (t_hash.c, 7.4.1 and 8.0). reddish mirrors that split with two min-heaps:
 *
 * - `HashFieldTtls`: field → deadline (ms), plus a heap of (deadline,
 *   field) to find the earliest one. It is created the first time a field
 *   of a hash gets a TTL, so a hash that never uses field expiry carries
 *   one null reference and nothing else.
 * - `FieldExpiryIndex`: a heap of (deadline, key) per database, for the
 *   active cycle, so that the cycle only looks at hashes that are due.
 *
 * Both heaps delete lazily: a superseded entry (a deadline moved or
 * removed, a key renamed or deleted) stays until it reaches the top and is
 * then checked against the truth: dropped, or pushed again with the later
 * deadline it now stands for. An entry only ever stands for a deadline at
 * or after its own, so pushing is needed only when a deadline moves
 * earlier, and the common refresh (HSETEX/HGETEX EX moving a TTL later)
 * costs one Map write and no heap work.
 */

/** A binary min-heap of (deadline, name) pairs, in two parallel arrays. */
class DeadlineHeap {
  private whens: number[] = [];
  private names: string[] = [];

  get length(): number {
    return this.whens.length;
  }

  push(when: number, name: string): void {
    const whens = this.whens;
    const names = this.names;
    let i = whens.length;
    whens.push(when);
    names.push(name);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (whens[parent]! <= when) break;
      whens[i] = whens[parent]!;
      names[i] = names[parent]!;
      i = parent;
    }
    whens[i] = when;
    names[i] = name;
  }

  /** The earliest deadline, or Infinity when empty. */
  topWhen(): number {
    return this.whens.length === 0 ? Infinity : this.whens[0]!;
  }

  topName(): string {
    return this.names[0]!;
  }

  pop(): void {
    const whens = this.whens;
    const names = this.names;
    const lastWhen = whens.pop()!;
    const lastName = names.pop()!;
    const n = whens.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && whens[child + 1]! < whens[child]!) child++;
      if (whens[child]! >= lastWhen) break;
      whens[i] = whens[child]!;
      names[i] = names[child]!;
      i = child;
    }
    whens[i] = lastWhen;
    names[i] = lastName;
  }

  clear(): void {
    this.whens = [];
    this.names = [];
  }
}

/**
 * The deadlines of one hash's fields. A hash whose only TTL is on one field
 * (the usual HSETEX/HGETEX key) keeps it in two slots; the Map and the heap
 * are made when a second field gets a deadline.
 */
export class HashFieldTtls {
  /** The one field with a deadline, while there is at most one (`deadlines` null). */
  private soleField: string | null = null;
  private soleWhen = 0;
  private deadlines: Map<string, number> | null = null;
  private heap: DeadlineHeap | null = null;
  /**
   * The earliest deadline, when known (NaN when it must be asked of the
   * heap): every lookup of the hash compares it with the time, so in the
   * usual case that check reads this one number and touches no heap.
   */
  private earliest = Infinity;

  /** How many fields have a deadline. */
  get size(): number {
    if (this.deadlines !== null) return this.deadlines.size;
    return this.soleField === null ? 0 : 1;
  }

  get(field: string): number | undefined {
    if (this.deadlines !== null) return this.deadlines.get(field);
    return field === this.soleField ? this.soleWhen : undefined;
  }

  set(field: string, when: number): void {
    if (this.deadlines === null) {
      if (this.soleField === null || this.soleField === field) {
        this.soleField = field;
        this.soleWhen = when;
        this.earliest = when;
        return;
      }
      this.deadlines = new Map([[this.soleField, this.soleWhen]]);
      this.heap = new DeadlineHeap();
      this.heap.push(this.soleWhen, this.soleField);
      this.soleField = null;
    }
    const deadlines = this.deadlines;
    const previous = deadlines.get(field);
    deadlines.set(field, when);
    if (previous !== undefined && previous <= when) {
      // A later deadline is still stood for by the entry of the earlier one.
      if (previous === this.earliest) this.earliest = deadlines.size === 1 ? when : NaN;
      return;
    }
    if (when < this.earliest) this.earliest = when;
    this.heap!.push(when, field);
    this.compactIfStale();
  }

  /** Removes the field's deadline; true when it had one. */
  delete(field: string): boolean {
    const deadlines = this.deadlines;
    if (deadlines === null) {
      if (field !== this.soleField) return false;
      this.soleField = null;
      this.earliest = Infinity;
      return true;
    }
    const previous = deadlines.get(field);
    if (previous === undefined) return false;
    deadlines.delete(field);
    if (previous === this.earliest) this.earliest = deadlines.size === 0 ? Infinity : NaN;
    return true;
  }

  /** The earliest deadline of any field, or Infinity when none has one. */
  nextDeadline(): number {
    const earliest = this.earliest;
    if (earliest === earliest) return earliest;
    return this.earliestInHeap();
  }

  /** Drops superseded entries off the heap's top; the top is then the earliest deadline's field. */
  private earliestInHeap(): number {
    const heap = this.heap!;
    const deadlines = this.deadlines!;
    while (heap.length !== 0) {
      const when = heap.topWhen();
      const name = heap.topName();
      const actual = deadlines.get(name);
      if (actual === when) return (this.earliest = when);
      heap.pop();
      // The field's deadline moved later since this entry was pushed.
      if (actual !== undefined && actual > when) heap.push(actual, name);
    }
    return (this.earliest = Infinity);
  }

  /**
   * Takes out up to `limit` fields whose deadline is before `now`, earliest
   * first, and returns them; the caller removes them from the hash.
   */
  takeExpired(now: number, limit: number): string[] {
    const expired: string[] = [];
    if (this.deadlines === null) {
      if (this.soleField !== null && this.soleWhen < now && limit > 0) {
        expired.push(this.soleField);
        this.delete(this.soleField);
      }
      return expired;
    }
    const heap = this.heap!;
    while (expired.length < limit && this.nextDeadline() < now) {
      // The cached earliest says something is due; the heap's cleaned top says which.
      const when = this.earliestInHeap();
      if (!(when < now)) break;
      const field = heap.topName();
      heap.pop();
      this.delete(field);
      expired.push(field);
    }
    return expired;
  }

  entries(): Iterable<[string, number]> {
    if (this.deadlines !== null) return this.deadlines.entries();
    return this.soleField === null ? [] : [[this.soleField, this.soleWhen]];
  }

  clone(): HashFieldTtls {
    const copy = new HashFieldTtls();
    for (const [field, when] of this.entries()) copy.set(field, when);
    return copy;
  }

  /** Rebuilds the heap when superseded entries outnumber live ones, so it stays O(fields). */
  private compactIfStale(): void {
    const heap = this.heap!;
    const deadlines = this.deadlines!;
    if (heap.length <= 2 * deadlines.size + 32) return;
    heap.clear();
    for (const [field, when] of deadlines) heap.push(when, field);
  }
}

/**
 * One database's index of hashes with field deadlines (Redis's
 * db->hexpires): (earliest deadline, key) entries, checked against the
 * keyspace when they come due.
 */
export class FieldExpiryIndex {
  private heap = new DeadlineHeap();

  get length(): number {
    return this.heap.length;
  }

  /** `key`'s hash has a field due at `when` (or earlier than it was registered with). */
  register(key: string, when: number): void {
    if (when !== Infinity) this.heap.push(when, key);
  }

  /** The earliest registered deadline, or Infinity. */
  nextDeadline(): number {
    return this.heap.topWhen();
  }

  /** Takes out the key registered with the earliest deadline. */
  takeNext(): string {
    const key = this.heap.topName();
    this.heap.pop();
    return key;
  }

  clear(): void {
    this.heap.clear();
  }
}
