/**
 * The command form of a dataset: Redis 7.0's rewriteAppendOnlyFileRio
 * (aof.c), the base file written with `aof-use-rdb-preamble no`. Functions
 * first (FUNCTION LOAD), then each non-empty database: SELECT, one command
 * per value (variadic RPUSH/SADD/ZADD/HMSET of at most 64 items, as
 * AOF_REWRITE_ITEMS_PER_CMD), and PEXPIREAT for a key with a TTL.
 *
 * Node cannot fork, so the point in time is a DatasetSnapshot taken in the
 * same turn as the incr file that receives later writes is opened (aof.ts);
 * the text is then produced part by part between event-loop turns.
 */
import type { Keyspace } from '../store/keyspace.js';
import type { Value } from '../store/types.js';
import type { KeyTableSnapshot } from '../store/key-table.js';
import { QuickList } from '../store/list.js';
import { RedisSet } from '../store/set.js';
import { RedisHash } from '../store/hash.js';
import { SortedSet } from '../store/zset.js';
import { RedisStream } from '../store/stream/stream.js';
import { formatId, MAX_ID, MIN_ID } from '../store/stream/stream-id.js';
import { formatDouble } from '../text/numbers.js';

/** AOF_REWRITE_ITEMS_PER_CMD */
const ITEMS_PER_COMMAND = 64;
/**
 * Text is handed on in parts of about this size: small enough that encoding
 * one part is a short task between event-loop turns, and no string nears
 * V8's limit.
 */
const PART_BYTES = 256 * 1024;

/** A value the command form cannot express (no reddish command rebuilds it). */
export class AofRewriteError extends Error {
  override name = 'AofRewriteError';
}

/** catAppendOnlyGenericCommand: one command as RESP multibulk (latin1 text). */
export function encodeAofCommand(argv: readonly string[]): string {
  let out = '*' + argv.length + '\r\n';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    out += '$' + arg.length + '\r\n' + arg + '\r\n';
  }
  return out;
}

/** Collects the rewrite's text. */
class PartWriter {
  current = '';

  command(argv: readonly string[]): void {
    this.current += encodeAofCommand(argv);
  }

  raw(text: string): void {
    this.current += text;
  }
}

/** One database as it was at the snapshot. */
interface DatabaseSnapshot {
  readonly id: number;
  readonly table: KeyTableSnapshot<Value>;
  readonly expires: ReadonlyMap<string, number>;
}

/**
 * The dataset at one instant, for a rewrite that is written over many
 * event-loop turns. Strings are immutable, so the slots are copied with
 * their values by reference (one array copy per database); a mutable value
 * (list, hash, set, zset, stream) is copied when `copyValues` is set, so
 * later writes cannot reach the snapshot. The stall is one array copy per
 * database plus the copies of the collections, never the encoding.
 */
export class DatasetSnapshot {
  readonly databases: DatabaseSnapshot[] = [];

  constructor(
    keyspace: Keyspace,
    readonly functionCodes: readonly string[],
    /** aof-timestamp-enabled: a `#TS:` annotation heads the file. */
    readonly timestamp: number | null,
    copyValues: boolean,
  ) {
    for (const db of keyspace.databases) {
      if (db.size === 0) continue;
      const table = db.dict.snapshot(copyValues ? copyObject : undefined);
      this.databases.push({ id: db.id, table, expires: db.expires.size === 0 ? new Map() : new Map(db.expires) });
    }
  }
}

const copyObject = (value: Value): Value => (typeof value === 'string' ? value : value.clone());

/**
 * rewriteAppendOnlyFileRio over a snapshot, in parts: each next() returns
 * the commands of the next stretch of keys (about `partBytes` of text), or
 * null once the dataset is done.
 */
export class DatasetWriter {
  private started = false;
  private dbIndex = 0;
  private slot = 0;

  constructor(
    private readonly snapshot: DatasetSnapshot,
    private readonly partBytes = PART_BYTES,
  ) {}

  next(): string | null {
    const out = new PartWriter();
    if (!this.started) {
      this.started = true;
      if (this.snapshot.timestamp !== null) out.raw(`#TS:${this.snapshot.timestamp}\r\n`);
      for (const code of this.snapshot.functionCodes) out.command(['FUNCTION', 'LOAD', code]);
    }
    const databases = this.snapshot.databases;
    while (this.dbIndex < databases.length && out.current.length < this.partBytes) {
      const db = databases[this.dbIndex]!;
      const table = db.table;
      if (this.slot === 0) out.command(['SELECT', String(db.id)]);
      while (this.slot < table.slots && out.current.length < this.partBytes) {
        const slot = this.slot++;
        const key = table.keyAt(slot);
        if (key === undefined) continue;
        rewriteValue(out, key, table.valueAt(slot));
        const when = db.expires.get(key);
        if (when !== undefined) out.command(['PEXPIREAT', key, String(when)]);
      }
      if (this.slot === table.slots) {
        this.dbIndex++;
        this.slot = 0;
      }
    }
    return out.current.length === 0 && this.dbIndex >= databases.length ? null : out.current;
  }
}

/** The whole dataset as AOF commands, now (the base written at startup). */
export function rewriteDataset(keyspace: Keyspace, functionCodes: readonly string[], timestamp: number | null): string[] {
  const writer = new DatasetWriter(new DatasetSnapshot(keyspace, functionCodes, timestamp, false));
  const parts: string[] = [];
  for (let part = writer.next(); part !== null; part = writer.next()) parts.push(part);
  return parts;
}

function rewriteValue(out: PartWriter, key: string, value: Value): void {
  if (typeof value === 'string') out.command(['SET', key, value]);
  else if (value instanceof QuickList) variadic(out, 'RPUSH', key, value.toArray(), 1);
  else if (value instanceof RedisSet) variadic(out, 'SADD', key, [...value.elements()], 1);
  else if (value instanceof SortedSet) {
    const items: string[] = [];
    value.forEachByRank(0, value.size - 1, false, (member, score) => items.push(formatDouble(score), member));
    variadic(out, 'ZADD', key, items, 2);
  } else if (value instanceof RedisHash) rewriteHash(out, key, value);
  else if (value instanceof RedisStream) rewriteStream(out, key, value);
  else throw new AofRewriteError(`a value of type ${value.type} (key '${key}') has no command form`);
}

/** Items in commands of at most ITEMS_PER_COMMAND (pairs count as one item each). */
function variadic(out: PartWriter, command: string, key: string, items: readonly string[], width: number): void {
  const perCommand = ITEMS_PER_COMMAND * width;
  for (let i = 0; i < items.length; i += perCommand) out.command([command, key, ...items.slice(i, i + perCommand)]);
}

/** rewriteHashObject; a field's TTL (Redis 7.4's) follows as HPEXPIREAT. */
function rewriteHash(out: PartWriter, key: string, hash: RedisHash): void {
  const items: string[] = [];
  for (const [field, value] of hash.entries()) items.push(field, value);
  variadic(out, 'HMSET', key, items, 2);
  if (!hash.hasFieldTtls) return;
  for (const field of hash.fields()) {
    const when = hash.fieldDeadline(field);
    if (when !== undefined) out.command(['HPEXPIREAT', key, String(when), 'FIELDS', '1', field]);
  }
}

/** rewriteStreamObject: XADDs, XSETID, then each group with its consumers' pending entries. */
function rewriteStream(out: PartWriter, key: string, stream: RedisStream): void {
  if (stream.length !== 0) {
    const it = stream.iterate(MIN_ID, MAX_ID, false);
    const fields: string[] = [];
    while (it.next()) {
      fields.length = 0;
      it.fields(fields);
      out.command(['XADD', key, formatId(it.id), ...fields]);
    }
  } else {
    // The XADD MAXLEN 0 trick: an empty stream still exists.
    out.command(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  out.command([
    'XSETID',
    key,
    formatId(stream.lastId),
    'ENTRIESADDED',
    String(stream.entriesAdded),
    'MAXDELETEDID',
    formatId(stream.maxDeletedId),
  ]);
  if (stream.groups === null) return;
  const groups = [...stream.groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const group of groups) {
    out.command(['XGROUP', 'CREATE', key, group.name, formatId(group.lastId), 'ENTRIESREAD', String(group.entriesRead)]);
    for (const consumer of group.sortedConsumers()) {
      if (consumer.pel.size === 0) {
        out.command(['XGROUP', 'CREATECONSUMER', key, group.name, consumer.name]);
        continue;
      }
      for (const [id, nack] of consumer.pel.entries()) {
        out.command([
          'XCLAIM',
          key,
          group.name,
          consumer.name,
          '0',
          formatId(id),
          'TIME',
          String(nack.deliveryTime),
          'RETRYCOUNT',
          String(nack.deliveryCount),
          'JUSTID',
          'FORCE',
        ]);
      }
    }
  }
}
