/**
 * The hash value: Redis's `hash` (t_hash.c's hashType* API).
 *
 * Representation. One JS Map, field → value. A Map keeps insertion order
 * and closes the gap when a field is deleted, which is exactly the order a
 * listpack keeps, so HGETALL on a small hash lists its fields as Redis does.
 *
 * Random fields (HRANDFIELD) need positions, which a Map lacks. A small hash
 * is walked, as Redis walks its listpack (lpRandomPair is O(n) too). The
 * first random pick from a bigger hash builds an index (field array plus
 * field → slot map, swap-remove on delete) that is maintained from then on,
 * so a hash nobody samples never pays for it and HSET stays one Map write.
 *
 * Reported encoding. Redis converts a listpack to a hashtable when a set
 * brings a field or value longer than hash-max-listpack-value, or leaves
 * more fields than hash-max-listpack-entries (an update counts too), and
 * never converts back. Conversion is decided at write time with the config
 * of that moment, so it is a flag here, not recomputed from the contents.
 *
 * Field TTLs (Redis 7.4, see hash-field-expiry.ts) live in a side structure
 * created on the first TTL, so a hash that never uses them does not grow.
 * A listpack that has had one reports `listpackex`, as Redis's converted
 * OBJ_ENCODING_LISTPACK_EX does from then on, and keeps its fields in
 * listpackex's order: fields with a TTL first, by deadline, then the rest
 * (listpackExAddInternal: a new deadline goes before the first field whose
 * deadline is later or equal, or that has none; a field losing its TTL goes
 * to the end).
 */
import { distinctSample } from './sampling.js';
import { ScanCursors, type ElementScanPage } from './scan-cursors.js';
import type { EncodingConfig, RedisObject } from './types.js';
import { HashFieldTtls } from './hash-field-expiry.js';

/** Up to this many fields a random pick walks the Map instead of indexing it. */
const RANDOM_WALK_MAX = 64;

export type HashEncoding = 'listpack' | 'listpackex' | 'hashtable';
export type HashEntry = [field: string, value: string];

export class RedisHash implements RedisObject {
  private map: Map<string, string>;
  private listpack: boolean;
  /** Field deadlines, from the first field TTL on (null until then). */
  private ttls: HashFieldTtls | null = null;
  /** The random-access index, once a big hash has been sampled. */
  private slotFields: string[] | null = null;
  private slots: Map<string, number> | null = null;
  /** This value's size when the used-memory figure last measured it (remeasureDue); -1 until then. */
  measuredSize = -1;
  private cursors: ScanCursors<HashEntry> | null = null;

  constructor(map: Map<string, string> = new Map(), listpack = true) {
    this.map = map;
    this.listpack = listpack;
  }

  /**
   * On the prototype, not in each instance: the slot it would take pays
   * for `ttls`, so a hash without field TTLs is no bigger than before them.
   */
  get type(): 'hash' {
    return 'hash';
  }

  get size(): number {
    return this.map.size;
  }

  encoding(): HashEncoding {
    if (!this.listpack) return 'hashtable';
    return this.ttls === null ? 'listpack' : 'listpackex';
  }

  get(field: string): string | undefined {
    return this.map.get(field);
  }

  has(field: string): boolean {
    return this.map.has(field);
  }

  /**
   * hashTypeSet: stores the value, returning true when the field is new.
   * The length check comes first and the size check after, as in Redis, so
   * that an update of a hash that outgrew a lowered limit converts it too.
   * An update drops the field's TTL unless `keepTtl` (HASH_SET_KEEP_TTL:
   * HINCRBY, HINCRBYFLOAT, HSETEX KEEPTTL).
   */
  set(field: string, value: string, config: EncodingConfig, keepTtl = false): boolean {
    if (this.listpack && (field.length > config.hashMaxListpackValue || value.length > config.hashMaxListpackValue)) {
      this.listpack = false;
    }
    const before = this.map.size;
    if (this.ttls !== null && !keepTtl && this.ttls.delete(field) && this.listpack) {
      // listpackex re-inserts a field that loses its TTL at the end.
      this.map.delete(field);
    }
    this.map.set(field, value);
    const added = this.map.size !== before;
    if (added && this.slotFields !== null) {
      this.slots!.set(field, this.slotFields.length);
      this.slotFields.push(field);
    }
    if (this.listpack && this.map.size > config.hashMaxListpackEntries) this.listpack = false;
    return added;
  }

  /** hashTypeDelete: true when the field was there. */
  delete(field: string): boolean {
    if (!this.map.delete(field)) return false;
    if (this.ttls !== null) this.ttls.delete(field);
    if (this.slotFields !== null) {
      const slots = this.slots!;
      const slot = slots.get(field)!;
      const last = this.slotFields.pop()!;
      if (last !== field) {
        this.slotFields[slot] = last;
        slots.set(last, slot);
      }
      slots.delete(field);
    }
    return true;
  }

  entries(): IterableIterator<HashEntry> {
    return this.map.entries();
  }

  fields(): IterableIterator<string> {
    return this.map.keys();
  }

  values(): IterableIterator<string> {
    return this.map.values();
  }

  /** One uniformly chosen field of a non-empty hash. */
  randomField(random: () => number = Math.random): string {
    const index = Math.floor(random() * this.map.size);
    if (this.slotFields === null && this.map.size <= RANDOM_WALK_MAX) {
      let i = 0;
      for (const field of this.map.keys()) if (i++ === index) return field;
    }
    return this.randomAccess()[index]!;
  }

  /**
   * A function drawing one uniformly chosen field per call, for repeated
   * independent picks (HRANDFIELD's negative count). Valid until the hash
   * is next modified.
   */
  randomPicker(random: () => number = Math.random): () => string {
    const fields = this.randomAccess();
    return () => fields[Math.floor(random() * fields.length)]!;
  }

  /** `count` distinct fields, count < size, uniformly chosen. */
  distinctRandomFields(count: number, random: () => number = Math.random): string[] {
    return distinctSample(this.randomAccess(), count, random);
  }

  /**
   * One HSCAN step. A listpack hash is returned whole with cursor 0 whatever
   * the cursor and count, as Redis does; a hashtable is visited `count`
   * fields at a time through a live iterator (see scan-cursors.ts).
   */
  scan(cursor: string, count: number, issueCursor: () => string): ElementScanPage<HashEntry> {
    if (this.listpack) return { cursor: '0', items: [...this.map.entries()] };
    this.cursors ??= new ScanCursors();
    return this.cursors.step(cursor, count, () => this.map.entries(), issueCursor);
  }

  /** hashTypeDup: same contents, same encoding, same field TTLs. */
  clone(): RedisHash {
    const copy = new RedisHash(new Map(this.map), this.listpack);
    if (this.ttls !== null) copy.ttls = this.ttls.clone();
    return copy;
  }

  /** The field's deadline (epoch ms), or undefined when it has none. */
  fieldDeadline(field: string): number | undefined {
    return this.ttls === null ? undefined : this.ttls.get(field);
  }

  /** True when some field has a deadline. */
  get hasFieldTtls(): boolean {
    return this.ttls !== null && this.ttls.size !== 0;
  }

  /** The earliest field deadline, or Infinity. */
  nextFieldDeadline(): number {
    return this.ttls === null ? Infinity : this.ttls.nextDeadline();
  }

  /** Gives an existing field a deadline (epoch ms). */
  setFieldDeadline(field: string, when: number): void {
    this.ttls ??= new HashFieldTtls();
    this.ttls.set(field, when);
    if (this.listpack) this.placeByDeadline(field, when);
  }

  /**
   * Makes the hash listpackex without giving any field a TTL, as
   * hashTypeSetExInit converts a listpack before the first field is looked at.
   */
  prepareFieldTtls(): void {
    this.ttls ??= new HashFieldTtls();
  }

  /** HPERSIST of one field: true when it had a deadline. */
  persistField(field: string): boolean {
    if (this.ttls === null || !this.ttls.delete(field)) return false;
    if (this.listpack) {
      const value = this.map.get(field)!;
      this.map.delete(field);
      this.map.set(field, value);
    }
    return true;
  }

  /**
   * Deletes up to `limit` fields whose deadline is before `now`, earliest
   * first, and returns their names.
   */
  expireFields(now: number, limit = Infinity): string[] {
    if (this.ttls === null) return [];
    const expired = this.ttls.takeExpired(now, limit);
    for (const field of expired) this.delete(field);
    return expired;
  }

  /** listpackExUpdateExpiry: moves the field before the first one due later or never. */
  private placeByDeadline(field: string, when: number): void {
    const ttls = this.ttls!;
    if (this.inDeadlinePlace(field, when)) return;
    const value = this.map.get(field)!;
    const reordered = new Map<string, string>();
    let placed = false;
    for (const [other, otherValue] of this.map) {
      if (other === field) continue;
      if (!placed) {
        const otherWhen = ttls.get(other);
        if (otherWhen === undefined || otherWhen >= when) {
          reordered.set(field, value);
          placed = true;
        }
      }
      reordered.set(other, otherValue);
    }
    if (!placed) reordered.set(field, value);
    this.map = reordered;
  }

  /**
   * True when placeByDeadline would leave the order as it is: every field
   * before this one is due earlier, and the next one later, equal, or never.
   */
  private inDeadlinePlace(field: string, when: number): boolean {
    if (this.map.size === 1) return true;
    const ttls = this.ttls!;
    let seen = false;
    for (const other of this.map.keys()) {
      if (other === field) {
        seen = true;
        continue;
      }
      const otherWhen = ttls.get(other);
      if (!seen) {
        if (otherWhen === undefined || otherWhen >= when) return false;
      } else {
        return otherWhen === undefined || otherWhen >= when;
      }
    }
    return true;
  }

  /** The field array random picks index into: the maintained index, or a snapshot of a small hash. */
  private randomAccess(): readonly string[] {
    if (this.slotFields !== null) return this.slotFields;
    const fields = [...this.map.keys()];
    if (fields.length <= RANDOM_WALK_MAX) return fields;
    this.slotFields = fields;
    this.slots = new Map();
    for (let i = 0; i < fields.length; i++) this.slots.set(fields[i]!, i);
    return fields;
  }
}
