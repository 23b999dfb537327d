/**
 * The RDB file (Redis 7.0.15's rdbSaveRio and rdbLoadRioWithLoadingCtx):
 *
 *   "REDIS0010", aux fields (redis-ver, redis-bits, ctime, used-mem,
 *   aof-base), the function libraries (FUNCTION2), then per non-empty
 *   database SELECTDB + RESIZEDB + its keys (EXPIRETIME_MS, IDLE or FREQ
 *   under an LRU or LFU maxmemory-policy, type, key, value), EOF, and the
 *   CRC64 of everything before it (0 with rdbchecksum off).
 *
 * Objects go through rdb-objects.ts (the codec DUMP/RESTORE share). This
 * module frames them; rdb-snapshot.ts decides when each key is written;
 * persistence/snapshots.ts runs SAVE, BGSAVE and loading.
 *
 * The API the AOF's RDB preamble uses too:
 * - `RdbFileWriter`: header, then key sections from an RdbSnapshot, then
 *   footer, through any sink, checksummed as it goes;
 * - `RdbLoader`: parses a whole file (a Buffer) into the keyspace, in
 *   slices if asked, with Redis's checks and log lines.
 */
import { performance } from 'node:perf_hooks';
import { crc64 } from './crc64.js';
import { RDB_VERSION, RdbOpcode, RdbReader, RdbWriter, int64At } from './rdb-encoding.js';
import { RdbCorruptError, isRdbObjectType, loadObject, saveObject, saveObjectType } from './rdb-objects.js';
import { need } from './rdb-encoding.js';
import { RdbSnapshot } from './rdb-snapshot.js';
import type { Keyspace } from '../store/keyspace.js';
import type { Database } from '../store/database.js';
import type { EncodingConfig, Value } from '../store/types.js';
import type { FunctionLibraries } from '../scripting/functions.js';
import { REDIS_VERSION } from '../version.js';

/** rdb.h's opcodes. */
export const RdbFileOpcode = {
  function2: RdbOpcode.function2,
  function: RdbOpcode.function,
  moduleAux: 247,
  idle: 248,
  freq: 249,
  aux: 250,
  resizedb: 251,
  expiretimeMs: 252,
  expiretime: 253,
  selectdb: 254,
  eof: 255,
} as const;

/** The oldest RDB version the loader reads (Redis 3.2 wrote 7, 2.6 wrote 6). */
export const RDB_OLDEST_LOADABLE = 6;

/** What a writer needs to know about the server it saves. */
export interface RdbSource {
  readonly keyspace: Keyspace;
  readonly functions: FunctionLibraries;
  /** maxmemory-policy: LRU policies save IDLE, LFU ones FREQ, as rdbSaveKeyValuePair. */
  readonly maxmemoryPolicy: string;
  /** rdbcompression: LZF for strings over 20 bytes. */
  readonly compress: boolean;
  /** rdbchecksum: with it off the file ends with a zero checksum. */
  readonly checksum: boolean;
  /** used-mem's value. */
  usedMemory(): number;
  /** The encoding thresholds (which encoding each object is saved in). */
  readonly encoding: EncodingConfig;
}

export interface RdbWriteOptions {
  /** Written as the file's aof-base aux field: 1 for an AOF's base file. */
  aofBase?: boolean;
  /** Extra aux fields after Redis's, e.g. repl-stream-db/repl-id/repl-offset when there is something to say. */
  aux?: ReadonlyArray<readonly [string, string]>;
  /** The time written as `ctime` (ms); now by default. */
  now?: number;
}

/** Where the file goes: each chunk in order; a promise makes the writer wait for it. */
export interface RdbSink {
  write(chunk: Buffer): void | Promise<void>;
  /**
   * True when the sink is done with a chunk once its write has resolved
   * (a file): the writer then reuses the chunk's memory for a later slice
   * rather than allocating one per slice, whose external memory made V8
   * scavenge while a BGSAVE ran. A sink that keeps chunks must leave it unset.
   */
  readonly releasesChunks?: boolean;
}

/** How long one slice of a background save may hold the event loop. */
export const SAVE_SLICE_MS = 4;

/**
 * Writes one RDB file from a point-in-time snapshot. Begin it where the
 * snapshot's moment must be (BGSAVE's reply); then either `writeAll()` at
 * once (SAVE), or `writeInSlices()` between event-loop turns (BGSAVE, an
 * AOF rewrite's base). The snapshot is released at the end, or by
 * `abandon()`.
 */
export class RdbFileWriter {
  readonly snapshot: RdbSnapshot;
  private crc = 0n;
  private readonly header: Buffer;
  private abandoned = false;

  /**
   * `inSlices`: the file will be written by writeInSlices, while clients
   * change the keyspace (the snapshot then watches every change); false
   * for writeAll, which runs to the end before anything else can.
   */
  constructor(
    private readonly source: RdbSource,
    options: RdbWriteOptions = {},
    inSlices = true,
  ) {
    this.header = rdbHeader(source, options);
    this.snapshot = new RdbSnapshot(source.keyspace, keyRecordWriter(source), inSlices);
  }

  /** Serializes the whole file at once (SAVE): the bytes, checksum included. */
  writeAll(): Buffer {
    // Sized for about 32 bytes a key, so that a dataset of small keys is written without the buffer doubling (and copying) as it fills.
    let keys = 0;
    for (const db of this.source.keyspace.databases) keys += db.size;
    const w = new RdbWriter(Math.max(1 << 20, keys * 32));
    w.bytes(this.header);
    try {
      this.snapshot.writeAll(w);
    } finally {
      this.snapshot.release();
    }
    w.type(RdbFileOpcode.eof);
    const body = w.finish();
    w.bytes(checksumBytes(this.source.checksum ? crc64(body) : 0n));
    return w.finish();
  }

  /**
   * Serializes the file into `sink` in slices (writeSnapshotInSlices), so
   * clients are served while it runs. Rejects if the sink fails or the
   * save is abandoned.
   */
  async writeInSlices(sink: RdbSink): Promise<void> {
    const checksum = this.source.checksum;
    const addToChecksum = (chunk: Buffer): void => {
      if (checksum) this.crc = crc64(chunk, this.crc);
    };
    await writeSnapshotInSlices(this.snapshot, sink, {
      head: this.header,
      onChunk: addToChecksum,
      stopIfNeeded: () => {
        if (this.abandoned) throw new Error('save abandoned');
      },
      tail: () => {
        const eof = Buffer.from([RdbFileOpcode.eof]);
        addToChecksum(eof);
        return [eof, checksumBytes(checksum ? this.crc : 0n)];
      },
    });
  }

  /** Whether abandon() was called: a save finished meanwhile must not be used. */
  get isAbandoned(): boolean {
    return this.abandoned;
  }

  /** Stops a save in slices at its next turn (BGSAVE killed by FLUSHALL, SHUTDOWN...). */
  abandon(): void {
    this.abandoned = true;
    this.snapshot.release();
  }

}

/** What a writer adds around the snapshot's slices (writeSnapshotInSlices). */
export interface SliceFraming {
  /** Written first (the file's header), or null. */
  head: Buffer | null;
  /** Sees the head and each slice before its write is queued (a checksum). */
  onChunk?: (chunk: Buffer) => void;
  /** Runs before each slice; throws to stop the write (abandoned, failed). */
  stopIfNeeded: () => void;
  /** Runs once every slice is taken; what it returns is written last, as it is. */
  tail: () => Buffer[];
}

/**
 * Serializes `snapshot` into `sink` in slices of about SAVE_SLICE_MS,
 * yielding to the event loop between them: BGSAVE's file and an AOF
 * rewrite's base, in either form. Writes go on behind the serializing: the
 * next slice does not wait for the last one's write unless too much is in
 * flight. Rejects once every queued write has settled if the sink fails or
 * `framing` stops it. The snapshot is always released.
 */
export async function writeSnapshotInSlices(snapshot: RdbSnapshot, sink: RdbSink, framing: SliceFraming): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  let inFlight = 0;
  /** Slice buffers the sink is done with, for the next slices. */
  const spare: Buffer[] = [];
  const queue = (chunk: Buffer, backing: Buffer | null): void => {
    inFlight += chunk.length;
    writing = writing.then(async () => {
      await sink.write(chunk);
      inFlight -= chunk.length;
      if (backing !== null && sink.releasesChunks === true) spare.push(backing);
    });
    // Handled when awaited below; until then a failed write must not count as an unhandled rejection.
    writing.catch(() => undefined);
  };
  try {
    if (framing.head !== null) {
      framing.onChunk?.(framing.head);
      queue(framing.head, null);
    }
    let finished = false;
    while (!finished) {
      await nextTurn();
      if (inFlight > MAX_BYTES_IN_FLIGHT) await writing;
      framing.stopIfNeeded();
      const slice = new RdbWriter(SLICE_BUFFER_BYTES, spare.pop());
      finished = snapshot.writeSlice(slice, performance.now() + SAVE_SLICE_MS);
      if (slice.size === 0) {
        spare.push(slice.backing);
        continue;
      }
      const chunk = slice.finish();
      framing.onChunk?.(chunk);
      queue(chunk, slice.backing);
    }
    for (const chunk of framing.tail()) queue(chunk, null);
  } catch (err) {
    // A failed write rejects `writing`; wait for it so nothing runs on after the caller hears.
    await writing.catch(() => undefined);
    throw err;
  } finally {
    snapshot.release();
  }
  await writing;
}

/** How much written data may wait for the sink before serializing pauses. */
const MAX_BYTES_IN_FLIGHT = 16 * 1024 * 1024;

/** A slice's buffer to start with: what a few milliseconds of small keys fill. */
const SLICE_BUFFER_BYTES = 256 * 1024;

/** The file's last 8 bytes. */
function checksumBytes(crc: bigint): Buffer {
  const bytes = Buffer.allocUnsafe(8);
  bytes.writeBigUInt64LE(crc);
  return bytes;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The magic, the aux fields and the function libraries. */
export function rdbHeader(source: RdbSource, options: RdbWriteOptions = {}): Buffer {
  const w = new RdbWriter();
  for (const ch of `REDIS${String(RDB_VERSION).padStart(4, '0')}`) w.type(ch.charCodeAt(0));
  const aux = (name: string, value: string): void => {
    w.type(RdbFileOpcode.aux);
    w.string(name);
    w.string(value);
  };
  // rdbSaveInfoAuxFields, in its order.
  aux('redis-ver', REDIS_VERSION);
  aux('redis-bits', '64');
  aux('ctime', String(Math.floor((options.now ?? Date.now()) / 1000)));
  aux('used-mem', String(source.usedMemory()));
  for (const [name, value] of options.aux ?? []) aux(name, value);
  aux('aof-base', options.aofBase ? '1' : '0');
  // rdbSaveFunctions: each library's code.
  for (const library of source.functions.current.libraries.values()) {
    w.type(RdbFileOpcode.function2);
    w.string(library.code);
  }
  return w.finish();
}

/** rdbSaveKeyValuePair, for the snapshot to call per key. */
function keyRecordWriter(source: RdbSource) {
  const saveLru = source.maxmemoryPolicy.endsWith('-lru');
  const saveLfu = source.maxmemoryPolicy.endsWith('-lfu');
  const keyspace = source.keyspace;
  const compress = source.compress;
  const config = source.encoding;
  const options = { compress, config };
  return (w: RdbWriter, key: string, value: Value, expireAt: number | undefined, clock: number): void => {
    if (expireAt !== undefined) {
      w.type(RdbFileOpcode.expiretimeMs);
      w.millisecondTime(expireAt);
    }
    if (saveLru) {
      w.type(RdbFileOpcode.idle);
      w.length(keyspace.idleSeconds(clock));
    }
    if (saveLfu) {
      w.type(RdbFileOpcode.freq);
      w.type(keyspace.frequency(clock));
    }
    saveObjectType(w, value, config);
    w.string(key, compress);
    saveObject(w, value, options);
  };
}

/** Keys per chunk of RdbLoader's staging: a chunk stays a regular (not large) object. */
const STAGE_CHUNK_KEYS = 4096;

/** A file the loader refuses: the lines Redis logs before it exits. */
export class RdbLoadError extends Error {
  constructor(readonly logLines: readonly string[]) {
    super(logLines[logLines.length - 1] ?? 'RDB load failed');
    this.name = 'RdbLoadError';
  }
}

export interface RdbLoadOptions {
  /**
   * Keys whose TTL has passed are dropped, as a master does; an AOF's RDB
   * preamble keeps them (the AOF's tail replays in that keyspace).
   */
  dropExpired: boolean;
  /** DEBUG RELOAD MERGE: a key already present is replaced rather than refused. */
  allowDuplicates?: boolean;
  /** Whether the checksum is verified (rdbchecksum). */
  verifyChecksum: boolean;
  /** maxmemory-policy, for what IDLE and FREQ set. */
  maxmemoryPolicy: string;
  /** Redis's NOTICE lines while loading ("Loading RDB produced by version ..."). */
  log?: (line: string) => void;
}

export interface RdbLoadResult {
  version: number;
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  /** Aux fields as read, for the AOF (aof-base) and replication's (repl-id...). */
  aux: Map<string, string>;
}

/** What the loader fills. */
export interface RdbTarget {
  readonly keyspace: Keyspace;
  readonly functions: FunctionLibraries;
  readonly encoding: EncodingConfig;
}

/**
 * Loads an RDB file held in a Buffer into the target's keyspace, as
 * rdbLoadRioWithLoadingCtx: in one go (`loadAll`) or in slices (`step`)
 * so that a server loading at startup can answer -LOADING meanwhile.
 * A refused file throws RdbLoadError with Redis's log lines; what was
 * loaded before stays (the caller exits, as Redis does).
 */
export class RdbLoader {
  private readonly reader: RdbReader;
  private version = 0;
  private crc = 0n;
  private checksummedTo = 0;
  private db: Database;
  private expireAt = -1;
  private lruIdle = -1;
  private lfuFreq = -1;
  /** The EOF opcode has been read; what is left is storing the staged keys. */
  private readDone = false;
  private done = false;
  /**
   * Keys read but not yet stored in their database, three entries each
   * (key, value, access clock), in file order, in chunks of STAGE_CHUNK_KEYS
   * keys. Why not store each key as it is read: its strings are new then,
   * and a new object referenced from the keyspace's slot array (old, tens
   * of MB) costs every scavenge a remembered-set visit at a random place in
   * it, a cache and TLB miss each. Loading 1M keys that way spent about as
   * long in the scavenger as in everything else. A chunk is new itself
   * while it fills (new-to-new references cost the scavenger nothing
   * extra), and by the time the keys are stored most strings have been
   * promoted, and storing an old object records nothing. Chunks, not one
   * array, so that staging never copies a large array to grow it.
   */
  private staged: unknown[][] = [];
  private stageChunk: unknown[] = [];
  private stagedKeys = 0;
  /** How many staged keys have been stored. */
  private committed = 0;
  /** (staged key number, expire time) pairs, in order. */
  private stagedExpiries: number[] = [];
  private expiryCursor = 0;
  /** Where each SELECTDB fell: from staged key `databaseStarts[i]` on, keys go to `databases[i]`. */
  private databaseStarts: number[] = [];
  private databases: Database[] = [];
  private databaseCursor = 0;
  /** The database the keys being stored go to. */
  private commitDb: Database;
  /** maxmemory-policy's kind: what an IDLE or FREQ opcode sets (objectSetLRUOrLFU). */
  private readonly lfuPolicy: boolean;
  private readonly lruPolicy: boolean;
  readonly result: RdbLoadResult = { version: 0, keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, aux: new Map() };

  constructor(
    private readonly target: RdbTarget,
    private readonly data: Buffer,
    private readonly options: RdbLoadOptions,
  ) {
    this.reader = new RdbReader(data);
    this.db = target.keyspace.databases[0]!;
    this.commitDb = this.db;
    this.lfuPolicy = options.maxmemoryPolicy.endsWith('-lfu');
    this.lruPolicy = options.maxmemoryPolicy.endsWith('-lru');
  }

  /** Bytes read so far (INFO loading_loaded_bytes). */
  get position(): number {
    return this.reader.position;
  }

  loadAll(): RdbLoadResult {
    while (!this.step(Infinity));
    return this.result;
  }

  /** Loads until `deadline` (performance.now()); true once the file is loaded. Throws RdbLoadError. */
  step(deadline: number): boolean {
    if (this.done) return true;
    if (!this.readDone && !this.read(deadline)) return false;
    if (!this.commitStaged(deadline)) return false;
    this.finish();
    this.done = true;
    return true;
  }

  /** Reads records until `deadline`; true once the EOF opcode is read. */
  private read(deadline: number): boolean {
    try {
      if (this.version === 0) this.readMagic();
      let count = 0;
      while (true) {
        if ((++count & 63) === 0 && performance.now() >= deadline) {
          this.checksumTo(this.reader.position);
          return false;
        }
        const type = this.reader.type();
        if (type === null) this.eofError();
        if (type === RdbFileOpcode.eof) break;
        if (!this.opcode(type!)) this.keyValue(type!);
      }
    } catch (error) {
      // A refused file keeps the keys before the bad record, as Redis's
      // would; a duplicate among them is the first error in the file.
      if (error instanceof RdbLoadError) this.commitStaged(Infinity);
      throw error;
    }
    this.readDone = true;
    return true;
  }

  /** Stores staged keys until `deadline`; true once all are stored. Throws RdbLoadError on a duplicate. */
  private commitStaged(deadline: number): boolean {
    if (this.stageChunk.length !== 0) {
      this.staged.push(this.stageChunk);
      this.stageChunk = [];
    }
    let count = 0;
    while (this.committed < this.stagedKeys) {
      if ((++count & 1023) === 0 && performance.now() >= deadline) return false;
      const n = this.committed++;
      while (this.databaseCursor < this.databaseStarts.length && this.databaseStarts[this.databaseCursor]! <= n) {
        this.commitDb = this.databases[this.databaseCursor++]!;
      }
      let expireAt = -1;
      if (this.expiryCursor < this.stagedExpiries.length && this.stagedExpiries[this.expiryCursor] === n) {
        expireAt = this.stagedExpiries[this.expiryCursor + 1]!;
        this.expiryCursor += 2;
      }
      const chunk = this.staged[Math.floor(n / STAGE_CHUNK_KEYS)]!;
      const at = (n % STAGE_CHUNK_KEYS) * 3;
      const key = chunk[at] as string;
      const value = chunk[at + 1] as Value;
      const db = this.commitDb;
      if (!db.addLoaded(key, value, chunk[at + 2] as number)) {
        if (!this.options.allowDuplicates) {
          throw new RdbLoadError([`RDB has duplicated key '${key}' in DB ${db.id}`, 'Duplicated key found in RDB file']);
        }
        // DEBUG RELOAD MERGE: the file's key replaces the old one, TTL included.
        if (expireAt === -1) db.expires.delete(key);
      }
      if (expireAt !== -1) db.expires.set(key, expireAt);
      db.trackFieldExpiry(key, value);
    }
    this.staged = [];
    this.stagedExpiries = [];
    this.databaseStarts = [];
    this.databases = [];
    return true;
  }

  private readMagic(): void {
    const magic = this.data.subarray(0, 9).toString('latin1');
    if (magic.length < 9) this.eofError();
    if (!magic.startsWith('REDIS')) throw new RdbLoadError(['Wrong signature trying to load DB from file']);
    const version = atoi(magic.slice(5));
    if (version < 1 || version > RDB_VERSION) throw new RdbLoadError([`Can't handle RDB format version ${version}`]);
    if (version < RDB_OLDEST_LOADABLE) throw new RdbLoadError([`Can't handle RDB format version ${version}`]);
    this.version = version;
    this.result.version = version;
    this.reader.position = 9;
  }

  /** The opcodes before a key, and the file-level ones. Returns false for a value type. */
  private opcode(type: number): boolean {
    const r = this.reader;
    switch (type) {
      case RdbFileOpcode.expiretime:
        this.expireAt = this.data.readInt32LE(this.skip(4)) * 1000;
        return true;
      case RdbFileOpcode.expiretimeMs:
        // rdbLoadMillisecondTime: before RDB 9 a bug wrote it in host byte order (little-endian too, on what Redis runs on).
        this.expireAt = int64At(this.data, this.skip(8));
        return true;
      case RdbFileOpcode.freq:
        this.lfuFreq = this.data[this.skip(1)]!;
        return true;
      case RdbFileOpcode.idle: {
        const idle = r.length();
        if (idle === null) this.eofError();
        this.lruIdle = idle!;
        return true;
      }
      case RdbFileOpcode.selectdb: {
        const id = r.length();
        if (id === null) this.eofError();
        const db = this.target.keyspace.databases[id!];
        if (db === undefined) {
          throw new RdbLoadError([
            `FATAL: Data file was created with a Redis server configured to handle more than ${this.target.keyspace.databases.length} databases. Exiting\n`,
          ]);
        }
        this.db = db;
        this.databaseStarts.push(this.stagedKeys);
        this.databases.push(db);
        return true;
      }
      case RdbFileOpcode.resizedb: {
        const size = r.length();
        if (size === null || r.length() === null) this.eofError();
        // dictExpand: one resize now rather than twenty while loading. A hint only: a corrupt one must not allocate.
        if (size! <= this.data.length) this.db.dict.reserve(this.db.dict.size + size!);
        return true;
      }
      case RdbFileOpcode.aux: {
        const name = r.string();
        const value = name === null ? null : r.string();
        if (value === null) this.eofError();
        this.aux(name!, value!);
        return true;
      }
      case RdbFileOpcode.moduleAux: {
        const moduleId = this.lengthBig();
        const whenOpcode = r.length();
        const when = r.length();
        if (moduleId === null || whenOpcode === null || when === null) this.eofError();
        if (whenOpcode !== 2) this.readError('bad when_opcode');
        // No module can read it: rdbLoad's "no matching module", which exits.
        throw new RdbLoadError([`The RDB file contains AUX module data I can't load: no matching module '${moduleTypeName(moduleId!)}'`]);
      }
      case RdbFileOpcode.function:
      case RdbFileOpcode.function2: {
        const error = this.target.functions.loadFromRdb(r, type, this.options.allowDuplicates === true);
        if (error !== null) {
          throw new RdbLoadError([`Failed loading library, ${error}`, ...this.eofLines()]);
        }
        return true;
      }
      default:
        return false;
    }
  }

  private aux(name: string, value: string): void {
    this.result.aux.set(name, value);
    const log = this.options.log;
    if (log === undefined) return;
    const lower = name.toLowerCase();
    if (name.startsWith('%')) log(`RDB '${name}': ${value}`);
    else if (lower === 'redis-ver') log(`Loading RDB produced by version ${value}`);
    else if (lower === 'ctime') log(`RDB age ${Math.max(0, Math.floor(Date.now() / 1000) - atoi(value))} seconds`);
    else if (lower === 'used-mem') log(`RDB memory usage when created ${(atoi(value) / (1024 * 1024)).toFixed(2)} Mb`);
    else if (lower === 'aof-preamble' && atoi(value) !== 0) log('RDB has an AOF tail');
    else if (lower === 'aof-base' && atoi(value) !== 0) log('RDB is base AOF');
  }

  /**
   * rdbGenericLoadStringObject for the common case of a plain string,
   * sliced straight out of the file; encoded ones go through the reader.
   */
  private string(): string | null {
    const data = this.data;
    const r = this.reader;
    const at = r.position;
    const first = data[at];
    if (first !== undefined && first < 0x40 && at + 1 + first <= data.length) {
      r.position = at + 1 + first;
      return data.latin1Slice(at + 1, at + 1 + first);
    }
    if (first !== undefined && first >> 6 === 1 && at + 2 <= data.length) {
      const length = ((first & 0x3f) << 8) | data[at + 1]!;
      if (at + 2 + length <= data.length) {
        r.position = at + 2 + length;
        return data.latin1Slice(at + 2, at + 2 + length);
      }
    }
    return r.string();
  }

  private keyValue(type: number): void {
    const r = this.reader;
    const key = this.string();
    if (key === null) this.eofError();
    const keyspace = this.target.keyspace;
    if (!isRdbObjectType(type)) this.corrupt(`Unknown RDB encoding type ${type}`);
    let value: Value | null;
    try {
      value = type === 0 ? need(this.string()) : loadObject(r, type, this.target.encoding);
    } catch (error) {
      if (!(error instanceof RdbCorruptError)) throw error;
      if (error.message === 'Short read or OOM loading DB') this.eofError();
      this.corrupt(error.message);
    }
    const expireAt = this.expireAt;
    const idle = this.lruIdle;
    const freq = this.lfuFreq;
    this.expireAt = this.lruIdle = this.lfuFreq = -1;
    if (value! === null) {
      // rdbLoadObject's RDB_LOAD_ERR_EMPTY_KEY: skipped, not refused (an old bug wrote them).
      if (this.result.emptyKeysSkipped++ < 10) this.options.log?.(`rdbLoadObject skipping empty key: ${key}`);
      return;
    }
    if (this.options.dropExpired && expireAt !== -1 && expireAt < keyspace.now) {
      this.result.keysExpired++;
      return;
    }
    this.result.keysLoaded++;
    if (expireAt !== -1) this.stagedExpiries.push(this.stagedKeys, expireAt);
    this.stageChunk.push(key!, value, this.clockFor(idle, freq));
    if (++this.stagedKeys % STAGE_CHUNK_KEYS === 0) {
      this.staged.push(this.stageChunk);
      this.stageChunk = [];
    }
  }

  /** objectSetLRUOrLFU: the access clock an IDLE or FREQ opcode asks for, else a new key's. */
  private clockFor(idle: number, freq: number): number {
    const clock = this.target.keyspace.newObjectClock();
    if (freq !== -1 && this.lfuPolicy) return (clock & ~0xff) | freq;
    if (idle !== -1 && this.lruPolicy) {
      const LRU_CLOCK_MAX = (1 << 24) - 1;
      return (clock - Math.min(idle, LRU_CLOCK_MAX) + LRU_CLOCK_MAX + 1) & LRU_CLOCK_MAX;
    }
    return clock;
  }

  private finish(): void {
    const r = this.reader;
    const end = r.position;
    if (this.version >= 5) {
      if (this.data.length - end < 8) this.eofError();
      const stored = this.data.readBigUInt64LE(end);
      if (this.options.verifyChecksum) {
        this.checksumTo(end);
        if (stored === 0n) {
          this.options.log?.('RDB file was saved with checksum disabled: no check performed.');
        } else if (stored !== this.crc) {
          throw new RdbLoadError([
            `Wrong RDB checksum expected: (${this.crc.toString(16)}) but got (${stored.toString(16)}). Aborting now.`,
            `Internal error in RDB reading offset 0, function at rdb.c:0 -> RDB CRC error`,
          ]);
        }
      }
      r.position = end + 8;
    }
    const { keysLoaded, keysExpired, emptyKeysSkipped } = this.result;
    this.options.log?.(
      emptyKeysSkipped !== 0
        ? `Done loading RDB, keys loaded: ${keysLoaded}, keys expired: ${keysExpired}, empty keys skipped: ${emptyKeysSkipped}.`
        : `Done loading RDB, keys loaded: ${keysLoaded}, keys expired: ${keysExpired}.`,
    );
  }

  /** The running CRC64 of the file up to `end`, computed slice by slice. */
  private checksumTo(end: number): void {
    if (!this.options.verifyChecksum || end <= this.checksummedTo) return;
    this.crc = crc64(this.data, this.crc, this.checksummedTo, end);
    this.checksummedTo = end;
  }

  /** rdbLoadLen for a 64-bit value (a module type id). */
  private lengthBig(): bigint | null {
    const first = this.reader.type();
    if (first === null) return null;
    if (first === 0x81) return this.take(8).readBigUInt64BE(0);
    this.reader.position--;
    const value = this.reader.length();
    return value === null ? null : BigInt(value);
  }

  /** Moves past `count` bytes, returning where they start. */
  private skip(count: number): number {
    const r = this.reader;
    if (this.data.length - r.position < count) this.eofError();
    const at = r.position;
    r.position += count;
    return at;
  }

  private take(count: number): Buffer {
    const r = this.reader;
    if (this.data.length - r.position < count) this.eofError();
    const bytes = this.data.subarray(r.position, r.position + count);
    r.position += count;
    return bytes;
  }

  private eofLines(): string[] {
    return [
      'Short read or OOM loading DB. Unrecoverable error, aborting now.',
      `Internal error in RDB reading offset ${this.reader.position}, function at rdb.c:0 -> Unexpected EOF reading RDB file`,
    ];
  }

  private eofError(): never {
    throw new RdbLoadError(this.eofLines());
  }

  private readError(reason: string): never {
    throw new RdbLoadError([`Internal error in RDB reading offset ${this.reader.position}, function at rdb.c:0 -> ${reason}`, ...this.eofLines()]);
  }

  private corrupt(reason: string): never {
    throw new RdbLoadError([`Internal error in RDB reading offset ${this.reader.position}, function at rdb.c:0 -> ${reason}`]);
  }
}

/** moduleTypeNameByID: the 9 characters of a module type id's upper 54 bits. */
export function moduleTypeName(id: bigint): string {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let name = '';
  let bits = id >> 10n;
  for (let i = 8; i >= 0; i--) {
    name = charset[Number(bits & 63n)]! + name;
    bits >>= 6n;
  }
  return name;
}

/** C's atoi. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}
