/**
 * The command form of a dataset: Redis 7.0's rewriteAppendOnlyFileRio
 * (aof.c), the base file written with `aof-use-rdb-preamble no`. Functions
 * first (FUNCTION LOAD), then each non-empty database: SELECT, one command
 * per value (variadic RPUSH/SADD/ZADD/HMSET of at most 64 items, as
 * AOF_REWRITE_ITEMS_PER_CMD), and PEXPIREAT for a key with a TTL.
 *
 * Node cannot fork, so the point in time is kept the way BGSAVE keeps it:
 * the same copy-on-write walk (rdb-snapshot.ts), with a record writer that
 * writes commands instead of RDB records, in slices between event-loop
 * turns. A write about to change a key the walk has not reached yet writes
 * that key's commands first.
 *
 * The probabilistic types have no command that rebuilds them whole (Redis
 * asks RedisBloom's aof_rewrite callback, which reddish does not have): a
 * rewrite in command form that meets one fails, with a log line naming the
 * key, rather than leave the key out of the base.
 */
import type { Keyspace } from '../store/keyspace.js';
import type { Value } from '../store/types.js';
import { QuickList } from '../store/list.js';
import { RedisSet } from '../store/set.js';
import { RedisHash } from '../store/hash.js';
import { SortedSet } from '../store/zset.js';
import { RedisStream } from '../store/stream/stream.js';
import { formatId, MAX_ID, MIN_ID } from '../store/stream/stream-id.js';
import { formatDouble } from '../text/numbers.js';
import { RdbWriter } from './rdb-encoding.js';
import { RdbSnapshot } from './rdb-snapshot.js';
import { writeSnapshotInSlices, type RdbSink } from './rdb-file.js';

/** AOF_REWRITE_ITEMS_PER_CMD */
const ITEMS_PER_COMMAND = 64;

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

/** Collects one key's commands as text. */
class PartWriter {
  current = '';

  command(argv: readonly string[]): void {
    this.current += encodeAofCommand(argv);
  }
}

/**
 * Writes the dataset's command form from a point-in-time snapshot, begun
 * in the constructor (where the rewrite's moment is: the same turn as the
 * new incr file opens). The same shape as RdbFileWriter: `writeAll()` at
 * once, or `writeInSlices()` between event-loop turns; `abandon()` stops it.
 */
export class CommandFormWriter {
  private readonly snapshot: RdbSnapshot;
  private readonly header: string;
  /** The first value with no command form: reported once the slice it was met in ends. */
  private failure: string | null = null;
  private abandoned = false;

  constructor(
    keyspace: Keyspace,
    functionCodes: readonly string[],
    /** aof-timestamp-enabled: a `#TS:` annotation heads the file. */
    timestamp: number | null,
    inSlices: boolean,
  ) {
    let header = timestamp !== null ? `#TS:${timestamp}\r\n` : '';
    for (const code of functionCodes) header += encodeAofCommand(['FUNCTION', 'LOAD', code]);
    this.header = header;
    // Never throws from here: this also runs inside a write command, where the key is about to change.
    const writeRecord = (w: RdbWriter, key: string, value: Value, expireAt: number | undefined): void => {
      const out = new PartWriter();
      if (!rewriteValue(out, key, value)) {
        this.failure ??= `a value of type ${typeof value === 'string' ? 'string' : value.type} (key '${key}') has no command form: set aof-use-rdb-preamble yes`;
        return;
      }
      if (expireAt !== undefined) out.command(['PEXPIREAT', key, String(expireAt)]);
      w.bytes(Buffer.from(out.current, 'latin1'));
    };
    const selectDb = (id: number): Buffer => Buffer.from(encodeAofCommand(['SELECT', String(id)]), 'latin1');
    this.snapshot = new RdbSnapshot(keyspace, writeRecord, inSlices, selectDb);
  }

  /** The whole base at once (the base a fresh start writes). Throws AofRewriteError. */
  writeAll(): Buffer {
    const w = new RdbWriter(1 << 16);
    w.bytes(Buffer.from(this.header, 'latin1'));
    try {
      this.snapshot.writeAll(w);
    } finally {
      this.snapshot.release();
    }
    this.throwIfFailed();
    return w.finish();
  }

  /** The base into `sink`, in slices (writeSnapshotInSlices). Rejects if the sink fails, a value has no command form, or it is abandoned. */
  async writeInSlices(sink: RdbSink): Promise<void> {
    await writeSnapshotInSlices(this.snapshot, sink, {
      head: this.header !== '' ? Buffer.from(this.header, 'latin1') : null,
      stopIfNeeded: () => {
        if (this.abandoned) throw new Error('rewrite abandoned');
        this.throwIfFailed();
      },
      tail: () => {
        this.throwIfFailed();
        return [];
      },
    });
  }

  abandon(): void {
    this.abandoned = true;
    this.snapshot.release();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw new AofRewriteError(this.failure);
  }
}

/** One key's commands; false for a value no command rebuilds. */
function rewriteValue(out: PartWriter, key: string, value: Value): boolean {
  if (typeof value === 'string') out.command(['SET', key, value]);
  else if (value instanceof QuickList) variadic(out, 'RPUSH', key, value.toArray(), 1);
  else if (value instanceof RedisSet) variadic(out, 'SADD', key, [...value.elements()], 1);
  else if (value instanceof SortedSet) {
    const items: string[] = [];
    value.forEachByRank(0, value.size - 1, false, (member, score) => items.push(formatDouble(score), member));
    variadic(out, 'ZADD', key, items, 2);
  } else if (value instanceof RedisHash) rewriteHash(out, key, value);
  else if (value instanceof RedisStream) rewriteStream(out, key, value);
  else return false;
  return true;
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
