/**
 * The set value: Redis's `set` (t_set.c's setType* API).
 *
 * Representation. An array of members plus a member → slot Map. SPOP and
 * SRANDMEMBER pick a slot at random in O(1), and a removal moves the last
 * member into the hole (swap-remove), so SPOP is O(1) too. The Map's own
 * order (insertion order, untouched by slot updates) carries SSCAN's live
 * cursors.
 *
 * Reported encoding, as Redis 7.0 decides it: a set is born an intset
 * (createIntsetObject; SADD's setTypeCreate comes to the same thing) and
 * becomes a hashtable for good the first time an add brings a member that
 * string2ll rejects or grows it past set-max-intset-entries (capped at
 * 2^30). Redis 7.2's listpack sets do not exist in 7.0. An intset keeps its
 * members sorted, so an intset set lists them in ascending order, as Redis
 * replies them.
 */
import { parseInteger } from '../text/numbers.js';
import { distinctSample, partialShuffle } from './sampling.js';
import { ScanCursors, type ElementScanPage } from './scan-cursors.js';
import type { EncodingConfig, RedisObject } from './types.js';

/** intset internals limit an intset to 2^30 entries whatever the config says. */
const INTSET_MAX_ENTRIES = 1 << 30;

export type SetEncoding = 'intset' | 'hashtable';

/** isSdsRepresentableAsLongLong: only canonical int64 text goes into an intset. */
export function isIntsetMember(member: string): boolean {
  return parseInteger(member) !== null;
}

/**
 * Numeric order of two canonical int64 texts (what an intset holds),
 * without converting: sign, then length, then digits.
 */
function compareIntegers(a: string, b: string): number {
  const aNegative = a.charCodeAt(0) === 45;
  const bNegative = b.charCodeAt(0) === 45;
  if (aNegative !== bNegative) return aNegative ? -1 : 1;
  let order: number;
  if (a.length !== b.length) order = a.length < b.length ? -1 : 1;
  else order = a < b ? -1 : a > b ? 1 : 0;
  return aNegative ? -order : order;
}

export class RedisSet implements RedisObject {
  readonly type = 'set';
  private members: string[];
  private slots: Map<string, number>;
  private intset: boolean;
  /** This value's size when the used-memory figure last measured it (remeasureDue); -1 until then. */
  measuredSize = -1;
  private cursors: ScanCursors<string> | null = null;

  constructor(members: string[] = [], slots: Map<string, number> = new Map(), intset = true) {
    this.members = members;
    this.slots = slots;
    this.intset = intset;
  }

  get size(): number {
    return this.members.length;
  }

  encoding(): SetEncoding {
    return this.intset ? 'intset' : 'hashtable';
  }

  has(member: string): boolean {
    return this.slots.has(member);
  }

  /** setTypeAdd: true when the member is new; converts as Redis does. */
  add(member: string, config: EncodingConfig): boolean {
    if (this.slots.has(member)) return false;
    this.slots.set(member, this.members.length);
    this.members.push(member);
    if (this.intset && (!isIntsetMember(member) || this.members.length > Math.min(config.setMaxIntsetEntries, INTSET_MAX_ENTRIES))) {
      this.intset = false;
    }
    return true;
  }

  /** setTypeRemove: true when the member was there. */
  remove(member: string): boolean {
    const slot = this.slots.get(member);
    if (slot === undefined) return false;
    this.removeSlot(slot);
    return true;
  }

  /** A uniformly chosen member of a non-empty set. */
  random(random: () => number = Math.random): string {
    return this.members[Math.floor(random() * this.members.length)]!;
  }

  /** Removes and returns a uniformly chosen member of a non-empty set. */
  pop(random: () => number = Math.random): string {
    const slot = Math.floor(random() * this.members.length);
    const member = this.members[slot]!;
    this.removeSlot(slot);
    return member;
  }

  /**
   * The members in the order Redis iterates them: ascending for an intset;
   * for a hashtable any order (the live array, which callers must not
   * modify or hold across writes).
   */
  elements(): readonly string[] {
    return this.intset ? this.members.slice().sort(compareIntegers) : this.members;
  }

  /** The member at `index` (0 <= index < size) in storage order, for sampling without a copy. */
  memberAt(index: number): string {
    return this.members[index]!;
  }

  /** `count` distinct members, count < size, uniformly chosen. */
  distinctRandom(count: number, random: () => number = Math.random): string[] {
    return distinctSample(this.members, count, random);
  }

  /**
   * A copy of the members whose first `prefix` entries are a uniformly
   * chosen subset in random order (SPOP keeps those when it takes most).
   */
  shuffledCopy(prefix: number, random: () => number = Math.random): string[] {
    return partialShuffle(this.members, prefix, random);
  }

  /**
   * One SSCAN step. An intset is returned whole, in order, with cursor 0,
   * as Redis does; a hashtable is visited `count` members at a time through
   * a live iterator (see scan-cursors.ts).
   */
  scan(cursor: string, count: number, issueCursor: () => string): ElementScanPage<string> {
    if (this.intset) return { cursor: '0', items: this.elements() as string[] };
    this.cursors ??= new ScanCursors();
    return this.cursors.step(cursor, count, () => this.slots.keys(), issueCursor);
  }

  /** setTypeDup: same members, same encoding. */
  clone(): RedisSet {
    return new RedisSet(this.members.slice(), new Map(this.slots), this.intset);
  }

  private removeSlot(slot: number): void {
    const member = this.members[slot]!;
    const last = this.members.pop()!;
    if (slot !== this.members.length) {
      this.members[slot] = last;
      this.slots.set(last, slot);
    }
    this.slots.delete(member);
  }
}

/** A new set holding `members` (each added once, in order), encoded as Redis would build it. */
export function setFromMembers(members: Iterable<string>, config: EncodingConfig): RedisSet {
  const set = new RedisSet();
  for (const member of members) set.add(member, config);
  return set;
}
