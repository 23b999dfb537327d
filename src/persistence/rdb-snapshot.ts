/**
 * A point-in-time snapshot of the keyspace, serialized in slices between
 * event-loop turns: BGSAVE without fork.
 *
 * Redis forks, and the kernel's copy-on-write keeps the child's view of
 * memory as it was at the fork. Node cannot fork, so the copy-on-write is
 * done per key: while a snapshot runs, the database calls
 * `beforeKeyChange` before any change to a key (set, delete, expire,
 * TTL change, and every lookup that hands out an object its caller may
 * change in place; see Database). A key the snapshot has not written yet
 * is written there and then, with its value, TTL and access clock as they
 * were, so the file holds every key as it was when the snapshot began.
 *
 * Each database's key table is walked with the same reverse-binary bucket
 * cursor as SCAN, which returns every key present for the whole walk
 * exactly once as long as the table does not shrink (shrinks are held
 * while the walk runs, as Redis holds dict resizes during a fork). The
 * cursor also tells whether the walk has passed a key (KeyTable.scanPassed),
 * so only the keys written early, or created after the snapshot began and
 * not yet passed, are remembered (in a small per-database set) for the
 * walk to skip; keys deleted meanwhile were written before they went. A database emptied by FLUSHDB/FLUSHALL or exchanged by SWAPDB
 * keeps its old table: the snapshot holds on to the tables it started
 * with, so a flushed table simply stops changing, and a swapped one is
 * still recognised (by identity) in its new database.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '../store/database.js';
import type { KeyTable } from '../store/key-table.js';
import type { Keyspace, SnapshotObserver } from '../store/keyspace.js';
import type { Value } from '../store/types.js';
import { RdbWriter } from './rdb-encoding.js';

/** Writes one key's record (expire, idle/freq, type, key, value) into `w`. */
export type KeyRecordWriter = (w: RdbWriter, key: string, value: Value, expireAt: number | undefined, clock: number) => void;

/**
 * What opens a database's section: SELECTDB and RESIZEDB in an RDB file;
 * a SELECT command in an AOF base written in command form.
 */
export type SectionHeaderWriter = (id: number, size: number, expiresSize: number) => Buffer;

/** One database's part of the snapshot. */
interface DatabasePart {
  readonly id: number;
  readonly table: KeyTable<Value>;
  readonly expires: Map<string, number>;
  /** dictSize(db->dict) and dictSize(db->expires) when the snapshot began (RESIZEDB). */
  readonly size: number;
  readonly expiresSize: number;
  /** Keys the walk has not passed but must skip: written early, or created after the snapshot began. */
  readonly done: Set<string>;
  /** Records written before the walk reached them, waiting for this database's section. */
  early: RdbWriter | null;
  /** The walk's bucket cursor; 0 again once it has gone round. */
  cursor: number;
  started: boolean;
  finished: boolean;
}

const RDB_OPCODE_SELECTDB = 254;
const RDB_OPCODE_RESIZEDB = 251;

export class RdbSnapshot implements SnapshotObserver {
  private readonly parts: DatabasePart[] = [];
  private readonly byTable = new Map<KeyTable<Value>, DatabasePart>();
  private partIndex = 0;
  /** Keys written so far (INFO's rdb_last_bgsave keys, the log). */
  keysWritten = 0;
  private released = false;

  /**
   * Begins the snapshot: from now on the keyspace tells it of every change.
   * `release()` must follow (done or abandoned).
   *
   * `observe`: false for a snapshot written whole before the event loop
   * turns again (SAVE), which no change can interleave with. Such a
   * snapshot neither holds shrinks nor lets them go: a SAVE made while an
   * AOF rewrite walks the tables must not release the rewrite's hold.
   */
  constructor(
    private readonly keyspace: Keyspace,
    private readonly writeRecord: KeyRecordWriter,
    private readonly observe = true,
    private readonly sectionHeader: SectionHeaderWriter = databaseHeader,
  ) {
    if (observe && keyspace.snapshot !== null) throw new Error('a snapshot is already in progress');
    for (const db of keyspace.databases) {
      const part: DatabasePart = {
        id: db.id,
        table: db.dict,
        expires: db.expires,
        size: db.dict.size,
        expiresSize: db.expires.size,
        done: new Set(),
        early: null,
        cursor: 0,
        started: false,
        // rdbSaveDb skips an empty database altogether.
        finished: db.dict.size === 0,
      };
      this.parts.push(part);
      if (!part.finished) {
        this.byTable.set(part.table, part);
        if (observe) part.table.shrinkHeld = true;
      }
    }
    if (observe) keyspace.snapshot = this;
  }

  /** The database is about to change `key` (or hand out its object): write its old record first. */
  beforeKeyChange(db: Database, key: string): void {
    const part = this.byTable.get(db.dict);
    if (part === undefined) return;
    const table = part.table;
    const slot = table.find(key);
    // A key the walk has passed was written by it (or was not in the snapshot); cursor 0 is the walk's start.
    if (part.cursor !== 0 && table.scanPassed(part.cursor, slot < 0 ? table.hashOf(key) : table.hashAt(slot))) return;
    if (part.done.has(key)) return;
    part.done.add(key);
    // Absent: created after the snapshot began (a key deleted since was written when it went).
    if (slot < 0) return;
    part.early ??= new RdbWriter(4096);
    this.writeRecord(part.early, key, part.table.valueAt(slot), part.expires.get(key), part.table.clockAt(slot));
    this.keysWritten++;
  }

  /**
   * Writes the next slice of the file's database sections into `out`,
   * working until `deadline` (performance.now()). Returns true once every
   * database has been written.
   */
  writeSlice(out: RdbWriter, deadline: number): boolean {
    while (this.partIndex < this.parts.length) {
      const part = this.parts[this.partIndex]!;
      if (part.finished && !part.started) {
        this.partIndex++;
        continue;
      }
      if (!part.started) {
        part.started = true;
        out.bytes(this.sectionHeader(part.id, part.size, part.expiresSize));
      }
      this.takeEarly(part, out);
      if (!part.finished && !this.walk(part, out, deadline)) return false;
      part.finished = true;
      this.byTable.delete(part.table);
      if (this.observe) part.table.shrinkHeld = false;
      this.partIndex++;
      if (performance.now() >= deadline) return this.partIndex >= this.parts.length;
    }
    return true;
  }

  /** Writes every remaining database at once (SAVE, SHUTDOWN, DEBUG RELOAD). */
  writeAll(out: RdbWriter): void {
    if (this.observe) {
      while (!this.writeSlice(out, Infinity));
      return;
    }
    // Nothing can change the keyspace before this returns: the tables are walked in slot order.
    for (const part of this.parts) {
      if (part.finished) continue;
      out.bytes(this.sectionHeader(part.id, part.size, part.expiresSize));
      this.keysWritten += writeInSlotOrder(part, out, this.writeRecord);
      part.finished = true;
    }
    // The tables' holds are left to release(), which the writer calls next.
    this.partIndex = this.parts.length;
  }

  /** The keyspace no longer reports to this snapshot. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.keyspace.snapshot === this) this.keyspace.snapshot = null;
    if (this.observe) for (const part of this.byTable.values()) part.table.shrinkHeld = false;
    this.byTable.clear();
  }

  /** Moves the records written early into the file, in this database's section. */
  private takeEarly(part: DatabasePart, out: RdbWriter): void {
    if (part.early === null) return;
    out.bytes(part.early.finish());
    part.early = null;
  }

  /** Walks buckets until the table is done (true) or the deadline passes (false). */
  private walk(part: DatabasePart, out: RdbWriter, deadline: number): boolean {
    const { table, expires, done } = part;
    const writeRecord = this.writeRecord;
    let written = 0;
    const visit = (key: string, slot: number): void => {
      if (done.size !== 0 && done.has(key)) return;
      writeRecord(out, key, table.valueAt(slot), expires.get(key), table.clockAt(slot));
      written++;
    };
    try {
      return this.walkBuckets(part, visit, deadline);
    } finally {
      this.keysWritten += written;
    }
  }

  private walkBuckets(part: DatabasePart, visit: (key: string, slot: number) => void, deadline: number): boolean {
    const table = part.table;
    let steps = 0;
    do {
      part.cursor = table.scanBucket(part.cursor, visit);
      if (part.cursor === 0) return true;
    } while ((++steps & 127) !== 0 || performance.now() < deadline);
    return false;
  }
}

/**
 * A database's records in slot order. The TTLs are joined from the
 * expires side when few keys have one (a slot-indexed array filled by one
 * probe per volatile key), sparing a Map lookup, a likely cache miss, for
 * every key that has none. Returns how many keys were written.
 */
function writeInSlotOrder(part: DatabasePart, out: RdbWriter, writeRecord: KeyRecordWriter): number {
  const { table, expires } = part;
  let written = 0;
  if (expires.size * 4 > table.size) {
    table.forEachSlot((key, slot) => {
      writeRecord(out, key, table.valueAt(slot), expires.get(key), table.clockAt(slot));
      written++;
    });
    return written;
  }
  const expireBySlot = new Float64Array(table.capacity).fill(NaN);
  expires.forEach((expireAt, key) => {
    const slot = table.find(key);
    if (slot >= 0) expireBySlot[slot] = expireAt;
  });
  table.forEachSlot((key, slot) => {
    const expireAt = expireBySlot[slot]!;
    writeRecord(out, key, table.valueAt(slot), Number.isNaN(expireAt) ? undefined : expireAt, table.clockAt(slot));
    written++;
  });
  return written;
}

/** SELECTDB id, RESIZEDB size expires-size. */
function databaseHeader(id: number, size: number, expiresSize: number): Buffer {
  const bytes: number[] = [RDB_OPCODE_SELECTDB];
  pushLength(bytes, id);
  bytes.push(RDB_OPCODE_RESIZEDB);
  pushLength(bytes, size);
  pushLength(bytes, expiresSize);
  return Buffer.from(bytes);
}

/** rdbSaveLen into a byte list. */
export function pushLength(bytes: number[], value: number): void {
  if (value < 1 << 6) bytes.push(value);
  else if (value < 1 << 14) bytes.push(0x40 | (value >> 8), value & 0xff);
  else if (value <= 0xffffffff) bytes.push(0x80, (value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
  else {
    const big = BigInt(value);
    bytes.push(0x81);
    for (let shift = 56n; shift >= 0n; shift -= 8n) bytes.push(Number((big >> shift) & 0xffn));
  }
}
