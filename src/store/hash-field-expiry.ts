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
 * then checked against the truth and dropped, so setting a TTL never pays
 * for a search in the heap.
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

/** The deadlines of one hash's fields. */
export class HashFieldTtls {
  private readonly deadlines = new Map<string, number>();
  private readonly heap = new DeadlineHeap();

  /** How many fields have a deadline. */
  get size(): number {
    return this.deadlines.size;
  }

  get(field: string): number | undefined {
    return this.deadlines.get(field);
  }

  set(field: string, when: number): void {
    if (this.deadlines.get(field) === when) return;
    this.deadlines.set(field, when);
    this.heap.push(when, field);
    this.compactIfStale();
  }

  /** Removes the field's deadline; true when it had one. */
  delete(field: string): boolean {
    return this.deadlines.delete(field);
  }

  /** The earliest deadline of any field, or Infinity when none has one. */
  nextDeadline(): number {
    const heap = this.heap;
    while (heap.length !== 0) {
      const when = heap.topWhen();
      if (this.deadlines.get(heap.topName()) === when) return when;
      heap.pop();
    }
    return Infinity;
  }

  /**
   * Takes out up to `limit` fields whose deadline is before `now`, earliest
   * first, and returns them; the caller removes them from the hash.
   */
  takeExpired(now: number, limit: number): string[] {
    const expired: string[] = [];
    while (expired.length < limit) {
      const when = this.nextDeadline();
      if (!(when < now)) break;
      const field = this.heap.topName();
      this.heap.pop();
      this.deadlines.delete(field);
      expired.push(field);
    }
    return expired;
  }

  entries(): IterableIterator<[string, number]> {
    return this.deadlines.entries();
  }

  clone(): HashFieldTtls {
    const copy = new HashFieldTtls();
    for (const [field, when] of this.deadlines) copy.set(field, when);
    return copy;
  }

  /** Rebuilds the heap when superseded entries outnumber live ones, so it stays O(fields). */
  private compactIfStale(): void {
    if (this.heap.length <= 2 * this.deadlines.size + 32) return;
    this.heap.clear();
    for (const [field, when] of this.deadlines) this.heap.push(when, field);
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
