/**
 * The append-only file (Redis 7.0's aof.c): a listener of the propagation
 * list that writes every execution unit's commands to the current incr
 * file of the multi-part AOF, with the fsync policy of `appendfsync`.
 *
 * - Fed commands wait in `buffer` (Redis's aof_buf). They are written
 *   before any reply leaves: Connection.flush calls flushBeforeReplies()
 *   when the buffer holds something, and a setImmediate covers writes that
 *   no reply follows (active expiry). One loop turn's batches, from every
 *   connection, therefore go out in one write, as Redis's beforeSleep does.
 * - `always`: that write is followed by fdatasync, on the event loop,
 *   before the first reply is written: a group commit of the turn's
 *   batches. Nothing is acknowledged before it is on disk.
 * - `everysec`: fdatasync runs on libuv's thread pool (Redis's bio thread)
 *   once a second; while one is still running, writes are postponed up to
 *   2 s and then forced (aof_delayed_fsync), as flushAppendOnlyFile does.
 * - `no`: write only.
 *
 * BGREWRITEAOF cannot fork. The new base is a point-in-time snapshot
 * begun in the same turn as a new incr file takes the writes that follow,
 * so base + new incr are exactly the dataset. It is the copy-on-write walk
 * BGSAVE uses (rdb-snapshot.ts), written in slices between event-loop
 * turns: an RDB file with `aof-use-rdb-preamble yes` (Redis's default),
 * commands otherwise (aof-rewrite.ts). The manifest is swapped once the
 * base is fsynced (backgroundRewriteDoneHandler). As the keyspace has one
 * copy-on-write seat, a rewrite and a BGSAVE never run together, as Redis
 * runs one child at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { strerror } from '../config.js';
import type { Clock } from '../clock.js';
import type { Keyspace } from '../store/keyspace.js';
import type { Propagation, PropagatedCommand } from '../commands/propagation.js';
import { AofManifest, aofNames, writeManifest } from './aof-manifest.js';
import { writeChunk, writeFully } from './file-writes.js';
import { AofRewriteError, CommandFormWriter, encodeAofCommand } from './aof-rewrite.js';
import type { RdbSink } from './rdb-file.js';
import { appendOnlyFileSize, loadAppendOnlyFiles, readManifest, type AofReplayTarget } from './aof-loader.js';
import type { LatencyMonitor } from '../server/latency-monitor.js';

type AofState = 'off' | 'waitRewrite' | 'on';

/** What the journal needs from its server. */
export interface AofHost {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly keyspace: Keyspace;
  readonly propagation: Propagation;
  /** Where the aof-write*, aof-fsync-always, aof-fstat and aof-rename latency events go. */
  readonly latency: LatencyMonitor;
  /** FUNCTION libraries' code, for the rewrite. */
  functionCodes(): string[];
  /** A writer of the dataset as an RDB file with the aof-base aux field (snapshots.beginFile). */
  rdbBase(inSlices: boolean): BaseWriter;
  /** writeCommandsDeniedByDiskError's AOF half changed: the strerror text of the failed write, or null once writes work again. */
  writeStatusChanged(error: string | null): void;
}

/** A base file's writer, RDB or command form: begun at the rewrite's moment. */
export interface BaseWriter {
  writeAll(): Buffer;
  writeInSlices(sink: RdbSink): Promise<void>;
  abandon(): void;
}

/** REDIS_AUTOSYNC_BYTES: aof-rewrite-incremental-fsync syncs the new base every 4 MB. */
const AUTOSYNC_BYTES = 4 * 1024 * 1024;
/** The buffer starts at this size, and shrinks back to it after holding more. */
const BUFFER_INITIAL_BYTES = 64 * 1024;
/** AOF_REWRITE_LIMITE_THRESHOLD and _MAX_MINUTES */
const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;

interface RewriteJob {
  readonly startedAt: number;
  /** The temp file the new base is written to, in `dir`. */
  readonly tempName: string;
  /** The base is an RDB file (aof-use-rdb-preamble when the rewrite began): named .base.rdb. */
  readonly rdb: boolean;
  readonly writer: BaseWriter;
  aborted: boolean;
}

const unixtime = (): number => Math.floor(Date.now() / 1000);

export class AppendOnlyFile {
  state: AofState = 'off';
  private fd = -1;
  /**
   * Redis's aof_buf, as bytes: each command is copied in as it is fed.
   * Kept as one JS string until the end of the turn, the commands were a
   * rope that every scavenge copied (13% of the server's CPU in GC under
   * SET -P 16), then flattened again for the write.
   */
  private buffer = Buffer.allocUnsafe(BUFFER_INITIAL_BYTES);
  private bufferLength = 0;
  /** aof-timestamp-enabled and appendfsync, followed from the configuration. */
  private timestamps = false;
  private policy: 'always' | 'everysec' | 'no' = 'everysec';
  private selectedDb = -1;
  private manifest = new AofManifest();
  private unsubscribe: (() => void) | null = null;
  private flushQueued = false;

  // INFO persistence figures, named as Redis's server fields.
  currentSize = 0;
  /** aof_rewrite_base_size */
  baseSize = 0;
  private lastIncrSize = 0;
  private lastIncrFsyncOffset = 0;
  private lastFsync = 0;
  private flushPostponedStart = 0;
  delayedFsync = 0;
  /** Background fsyncs not yet finished, per descriptor (an fd is closed only once its fsyncs end). */
  private readonly pendingFsyncs = new Map<number, number>();
  private readonly closeWhenSynced = new Set<number>();
  private bioFsyncOk = true;
  private lastWriteOk = true;
  /** strerror of the failed write (aof_last_write_errno). */
  private lastWriteError = '';
  private lastWriteErrorLogged = 0;
  private curTimestamp = 0;

  private rewrite: RewriteJob | null = null;
  rewriteScheduled = false;
  lastRewriteTimeSec = -1;
  private lastBgrewriteOk = true;
  rewrites = 0;
  consecutiveFailures = 0;
  private nextDelayMinutes = 0;
  private nextRewriteTime = 0;

  /** Bytes fed and bytes known fsynced, for WAITAOF. */
  private fedOffset = 0;
  private fsyncedOffset = 0;

  private readonly feed = (unit: readonly PropagatedCommand[]): void => {
    for (const command of unit) this.feedCommand(command.dbId, command.argv);
  };
  private readonly flushFromImmediate = (): void => {
    this.flushQueued = false;
    this.flush(false);
  };

  constructor(private readonly host: AofHost) {
    host.config.watch('aof-timestamp-enabled', (on) => (this.timestamps = on));
    host.config.watch('appendfsync', (policy) => (this.policy = policy));
  }

  private get config(): Config {
    return this.host.config;
  }

  private get log(): Logger {
    return this.host.logger;
  }

  private get filename(): string {
    return this.config.get('appendfilename');
  }

  /** The directory of the multi-part AOF: `dir`/`appenddirname`. */
  get directory(): string {
    return path.join(this.config.get('dir'), this.config.get('appenddirname'));
  }

  /** Bytes fed and not yet written (aof_buffer_length); Connection.flush checks it before each write. */
  get pendingBytes(): number {
    return this.bufferLength;
  }

  get rewriteInProgress(): boolean {
    return this.rewrite !== null;
  }

  // -------------------------------------------------------------------------
  // Startup
  // -------------------------------------------------------------------------

  /**
   * loadDataFromDisk's AOF half and aofOpenIfNeededOnServerStart: with
   * appendonly yes, loads the manifest's files and opens the last incr file
   * (creating a base first on a fresh start). Throws when Redis would exit.
   */
  loadAndOpen(target: AofReplayTarget): void {
    if (!this.config.get('appendonly')) return;
    const dir = this.directory;
    this.manifest = readManifest(dir, this.filename, this.log);
    if (this.isOldStyleAof()) this.upgradeOldStyleAof();
    const start = performance.now();
    const loaded = loadAppendOnlyFiles(dir, this.manifest, target, this.config.get('aof-load-truncated'), this.filename, this.host.latency);
    if (loaded.status === 'failed' || loaded.status === 'openError') {
      throw new Error('Fatal error loading the DB, check server logs. Exiting.');
    }
    if (loaded.status === 'ok' || loaded.status === 'truncated') {
      this.currentSize = loaded.totalSize;
      this.baseSize = loaded.baseSize;
      this.log.info(`DB loaded from append only file: ${((performance.now() - start) / 1000).toFixed(3)} seconds`);
    }
    this.openOnServerStart();
  }

  /**
   * loadAppendOnlyFiles' upgrade test: `appendfilename` in `dir` is the
   * single-file AOF of Redis 6.2 or older when there is no multi-part AOF
   * yet, or when a manifest lists only that file as its base and the
   * upgrade stopped before moving it in.
   */
  private isOldStyleAof(): boolean {
    const dir = this.config.get('dir');
    if (!fs.existsSync(path.join(dir, this.filename))) return false;
    const m = this.manifest;
    if (!fs.existsSync(this.directory)) return true;
    if (m.base === null && m.incrs.length === 0) return true;
    return m.base !== null && m.incrs.length === 0 && m.base.name === this.filename && !fs.existsSync(path.join(this.directory, this.filename));
  }

  /**
   * aofUpgradePrepare: the old file becomes the base (seq 1) of a new
   * manifest, written first, then the file is moved into `appenddirname`.
   * A failure stops the server, as Redis exits.
   */
  private upgradeOldStyleAof(): void {
    const dirname = this.config.get('appenddirname');
    try {
      fs.mkdirSync(this.directory, { recursive: true });
    } catch (err) {
      this.log.warn(`Can't open or create append-only dir ${dirname}: ${strerror(err)}`);
      throw new Error('Fatal error upgrading the append only file');
    }
    const m = this.manifest;
    m.base = { name: this.filename, seq: 1, type: 'b' };
    m.baseSeq = 1;
    writeManifest(this.directory, this.filename, m);
    try {
      fs.renameSync(path.join(this.config.get('dir'), this.filename), path.join(this.directory, this.filename));
    } catch (err) {
      this.log.warn(`Error trying to move the old AOF file ${this.filename} into dir ${dirname}: ${strerror(err)}`);
      throw new Error('Fatal error upgrading the append only file');
    }
    this.log.info(`Successfully migrated an old-style AOF file (${this.filename}) into the AOF directory (${dirname}).`);
  }

  private openOnServerStart(): void {
    const dir = this.directory;
    fs.mkdirSync(dir, { recursive: true });
    const hadIncr = this.manifest.incrs.length !== 0;
    if (this.manifest.base === null && !hadIncr) {
      const baseName = this.manifest.newBase(this.filename, this.config.get('aof-use-rdb-preamble'));
      this.writeBaseSync(path.join(dir, baseName));
      this.log.info(`Creating AOF base file ${baseName} on server start`);
    }
    const incrName = this.manifest.lastIncr(this.filename);
    this.fd = fs.openSync(path.join(dir, incrName), 'a', 0o644);
    writeManifest(dir, this.filename, this.manifest);
    this.lastIncrSize = appendOnlyFileSize(path.join(dir, incrName), this.host.latency);
    this.lastIncrFsyncOffset = this.lastIncrSize;
    this.log.info(`${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${incrName} on server start`);
    this.state = 'on';
    this.lastFsync = unixtime();
    this.subscribe();
  }

  /** rewriteAppendOnlyFile: the base written whole, through a temp file renamed into place. */
  private writeBaseSync(target: string): void {
    const temp = path.join(this.config.get('dir'), `temp-rewriteaof-${process.pid}.aof`);
    const fd = fs.openSync(temp, 'w', 0o644);
    // Written by the server itself, not a child: its #TS annotation (command form only) counts as the last one fed, as in Redis.
    if (this.config.get('aof-timestamp-enabled') && !this.config.get('aof-use-rdb-preamble')) this.curTimestamp = Math.floor(this.host.clock.now() / 1000);
    try {
      writeFully(fd, this.beginBase(false).writeAll());
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  }

  private rewriteTimestamp(): number | null {
    return this.timestamps ? Math.floor(this.host.clock.now() / 1000) : null;
  }

  /** The base's writer, its snapshot begun now. */
  private beginBase(inSlices: boolean): BaseWriter {
    if (this.config.get('aof-use-rdb-preamble')) return this.host.rdbBase(inSlices);
    return new CommandFormWriter(this.host.keyspace, this.host.functionCodes(), this.rewriteTimestamp(), inSlices);
  }

  private subscribe(): void {
    this.unsubscribe ??= this.host.propagation.subscribe(this.feed);
  }

  // -------------------------------------------------------------------------
  // Feeding and flushing
  // -------------------------------------------------------------------------

  /** feedAppendOnlyFile */
  private feedCommand(dbId: number, argv: readonly string[]): void {
    if (!(this.state === 'on' || (this.state === 'waitRewrite' && this.rewrite !== null))) return;
    const before = this.bufferLength;
    if (this.timestamps) {
      const now = Math.floor(this.host.clock.now() / 1000);
      if (this.curTimestamp < now) {
        this.curTimestamp = now;
        this.append(`#TS:${now}\r\n`);
      }
    }
    if (dbId !== this.selectedDb) {
      this.append(encodeAofCommand(['SELECT', String(dbId)]));
      this.selectedDb = dbId;
    }
    this.appendCommand(argv);
    this.fedOffset += this.bufferLength - before;
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flushFromImmediate);
    }
  }

  private reserve(bytes: number): void {
    const needed = this.bufferLength + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.bufferLength);
    this.buffer = grown;
  }

  private append(text: string): void {
    this.reserve(text.length);
    this.bufferLength += this.buffer.latin1Write(text, this.bufferLength);
  }

  /**
   * catAppendOnlyGenericCommand, straight into the buffer: headers and
   * short arguments byte by byte, long ones with one copy each, so feeding
   * a command allocates nothing.
   */
  private appendCommand(argv: readonly string[]): void {
    let bytes = 16;
    for (let i = 0; i < argv.length; i++) bytes += argv[i]!.length + 16;
    this.reserve(bytes);
    const buf = this.buffer;
    let pos = this.bufferLength;
    buf[pos++] = 0x2a; // '*'
    pos = writeDecimal(buf, pos, argv.length);
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const length = arg.length;
      buf[pos++] = 0x24; // '$'
      pos = writeDecimal(buf, pos, length);
      if (length <= SHORT_ARGUMENT) {
        for (let j = 0; j < length; j++) buf[pos++] = arg.charCodeAt(j);
      } else {
        pos += buf.latin1Write(arg, pos);
      }
      buf[pos++] = 0x0d;
      buf[pos++] = 0x0a;
    }
    this.bufferLength = pos;
  }

  private clearBuffer(): void {
    this.bufferLength = 0;
    if (this.buffer.length > BUFFER_INITIAL_BYTES) this.buffer = Buffer.allocUnsafe(BUFFER_INITIAL_BYTES);
  }

  /** The connection is about to write replies: what they acknowledge goes to the file first. */
  flushBeforeReplies(): void {
    this.flush(false);
  }

  /** flushAppendOnlyFile */
  flush(force: boolean): void {
    if (this.fd === -1) return;
    const policy = this.policy;
    let syncInProgress = false;
    if (this.bufferLength === 0) {
      const unsynced = this.lastIncrFsyncOffset !== this.lastIncrSize;
      if (policy === 'everysec' && unsynced && unixtime() > this.lastFsync && !(syncInProgress = this.fsyncInProgress())) {
        this.tryFsync(policy, syncInProgress);
      } else if (policy === 'always' && unsynced) {
        this.tryFsync(policy, syncInProgress);
      }
      return;
    }
    if (policy === 'everysec') syncInProgress = this.fsyncInProgress();
    if (policy === 'everysec' && !force && syncInProgress) {
      const now = unixtime();
      if (this.flushPostponedStart === 0) {
        this.flushPostponedStart = now;
        return;
      }
      if (now - this.flushPostponedStart < 2) return;
      this.delayedFsync++;
      this.log.info(
        'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.',
      );
    }
    let written = 0;
    // The clock is read only while the latency monitor is on: this is every write's path.
    const started = this.host.latency.monitoring ? performance.now() : -1;
    try {
      while (written < this.bufferLength) written += fs.writeSync(this.fd, this.buffer, written, this.bufferLength - written);
    } catch (err) {
      if (started !== -1) this.recordWriteLatency(performance.now() - started, syncInProgress);
      this.flushPostponedStart = 0;
      this.writeFailed(policy, err, written);
      return;
    }
    if (started !== -1) this.recordWriteLatency(performance.now() - started, syncInProgress);
    this.flushPostponedStart = 0;
    if (!this.lastWriteOk) {
      this.log.warn('AOF write error looks solved, Redis can write again.');
      this.lastWriteOk = true;
      this.reportWriteStatus(null);
    }
    this.currentSize += written;
    this.lastIncrSize += written;
    this.clearBuffer();
    this.tryFsync(policy, syncInProgress);
  }

  /**
   * flushAppendOnlyFile's latency events: every write is an `aof-write`,
   * and also one of three by what else was going on (an fsync in flight,
   * a rewrite or BGSAVE running, or neither).
   */
  private recordWriteLatency(ms: number, syncInProgress: boolean): void {
    const latency = this.host.latency;
    if (syncInProgress) latency.sample('aof-write-pending-fsync', ms);
    else if (this.childActive) latency.sample('aof-write-active-child', ms);
    else latency.sample('aof-write-alone', ms);
    latency.sample('aof-write', ms);
  }

  private tryFsync(policy: string, syncInProgress: boolean): void {
    // no-appendfsync-on-rewrite: no fsync while a rewrite writes its base.
    if (this.config.get('no-appendfsync-on-rewrite') && this.rewrite !== null) return;
    if (policy === 'always') {
      const started = this.host.latency.monitoring ? performance.now() : -1;
      try {
        fs.fdatasyncSync(this.fd);
      } catch (err) {
        this.fatal(`Can't persist AOF for fsync error when the AOF fsync policy is 'always': ${strerror(err)}. Exiting...`);
        return;
      }
      if (started !== -1) this.host.latency.sample('aof-fsync-always', performance.now() - started);
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.lastFsync = unixtime();
      this.fsyncedOffset = this.fedOffset - this.bufferLength;
    } else if (policy === 'everysec' && unixtime() > this.lastFsync) {
      if (!syncInProgress) {
        this.backgroundFsync(this.fd);
        this.lastIncrFsyncOffset = this.lastIncrSize;
      }
      this.lastFsync = unixtime();
    }
  }

  /**
   * flushAppendOnlyFile's error half. A partial write is cut off again
   * (ftruncate to the last whole size) so the file never ends inside a
   * command; if that fails too, the written part leaves the buffer.
   */
  private writeFailed(policy: string, err: unknown, written: number): void {
    const now = unixtime();
    const canLog = now - this.lastWriteErrorLogged > 30;
    if (canLog) {
      this.lastWriteErrorLogged = now;
      this.log.warn(`Error writing to the AOF file: ${strerror(err)}`);
    }
    if (written > 0) {
      try {
        fs.ftruncateSync(this.fd, this.lastIncrSize);
        written = 0;
      } catch (truncateErr) {
        if (canLog) {
          this.log.warn(
            `Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: ${strerror(truncateErr)}`,
          );
        }
      }
    }
    if (policy === 'always') {
      this.fatal("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      return;
    }
    // The buffer is kept and written again on the next flush; until one succeeds, writes are refused.
    this.lastWriteOk = false;
    this.lastWriteError = strerror(err);
    this.reportWriteStatus(this.lastWriteError);
    if (written > 0) {
      this.currentSize += written;
      this.lastIncrSize += written;
      this.buffer.copy(this.buffer, 0, written, this.bufferLength);
      this.bufferLength -= written;
    }
  }

  /** writeCommandsDeniedByDiskError follows aof_last_write_status and aof_bio_fsync_status. */
  private reportWriteStatus(error: string | null): void {
    if (error === null && !(this.lastWriteOk && this.bioFsyncOk)) return;
    this.host.writeStatusChanged(error);
  }

  /**
   * Under `always` a reply may already be owed for data that cannot reach
   * the disk, and the change cannot be rolled back: Redis exits, and so
   * does reddish.
   */
  private fatal(message: string): void {
    this.log.fatal(message);
    process.exit(1);
  }

  private fsyncInProgress(): boolean {
    return (this.pendingFsyncs.get(this.fd) ?? 0) !== 0;
  }

  /** aof_background_fsync: fdatasync on libuv's thread pool. */
  private backgroundFsync(fd: number): void {
    this.pendingFsyncs.set(fd, (this.pendingFsyncs.get(fd) ?? 0) + 1);
    const target = this.fedOffset - this.bufferLength;
    fs.fdatasync(fd, (err) => {
      const left = this.pendingFsyncs.get(fd)! - 1;
      if (left === 0) this.pendingFsyncs.delete(fd);
      else this.pendingFsyncs.set(fd, left);
      if (err) {
        this.bioFsyncOk = false;
        this.log.warn(`Fail to fsync the AOF file: ${strerror(err)}`);
        if (this.state !== 'off') this.reportWriteStatus(strerror(err));
      } else {
        if (fd === this.fd && target > this.fsyncedOffset) this.fsyncedOffset = target;
        if (!this.bioFsyncOk) {
          this.bioFsyncOk = true;
          this.reportWriteStatus(null);
        }
      }
      if (left === 0 && this.closeWhenSynced.delete(fd)) fs.close(fd, () => undefined);
    });
  }

  /** aof_background_fsync_and_close */
  private backgroundFsyncAndClose(fd: number): void {
    this.backgroundFsync(fd);
    this.closeWhenSynced.add(fd);
  }

  /** Closes `fd` now, or once its background fsyncs end. */
  private closeSoon(fd: number): void {
    if (this.pendingFsyncs.has(fd)) this.closeWhenSynced.add(fd);
    else fs.closeSync(fd);
  }

  /**
   * WAITAOF's local acknowledgement: everything fed so far is made durable
   * now (write and fdatasync), so the caller's writes are on disk. False
   * when the AOF is not on.
   */
  syncNow(): boolean {
    if (this.state !== 'on' || this.fd === -1) return false;
    this.flush(true);
    if (this.bufferLength !== 0) return false;
    if (this.fsyncedOffset < this.fedOffset) {
      fs.fdatasyncSync(this.fd);
      this.lastIncrFsyncOffset = this.lastIncrSize;
      this.fsyncedOffset = this.fedOffset;
    }
    return true;
  }

  /** serverCron's AOF duties: postponed flushes, the everysec fsync, scheduled and automatic rewrites. */
  cron(): void {
    // The write retried, also after a failed one (serverCron's aof_last_write_status check).
    if (this.state !== 'off') this.flush(false);
    // No rewrite, scheduled or automatic, starts while one runs or a BGSAVE does.
    if (this.childActive) return;
    if (this.rewriteScheduled && !this.rewriteLimited()) this.startRewrite();
    const percent = this.config.get('auto-aof-rewrite-percentage');
    if (this.state === 'on' && this.rewrite === null && percent !== 0 && this.currentSize > this.config.get('auto-aof-rewrite-min-size')) {
      const base = this.baseSize === 0 ? 1 : this.baseSize;
      const growth = Math.floor((this.currentSize * 100) / base) - 100;
      if (growth >= percent && !this.rewriteLimited()) {
        this.log.info(`Starting automatic rewriting of AOF on ${growth}% growth`);
        this.startRewrite();
      }
    }
  }

  /** aofRewriteLimited: after 3 failures in a row, automatic rewrites back off 1, 2, 4... 60 minutes. */
  private rewriteLimited(): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.nextDelayMinutes = 0;
      this.nextRewriteTime = 0;
      return false;
    }
    const now = unixtime();
    if (this.nextRewriteTime !== 0) {
      if (now < this.nextRewriteTime) return true;
      this.nextRewriteTime = 0;
      return false;
    }
    this.nextDelayMinutes = Math.min(this.nextDelayMinutes === 0 ? 1 : this.nextDelayMinutes * 2, REWRITE_LIMIT_MAX_MINUTES);
    this.nextRewriteTime = now + this.nextDelayMinutes * 60;
    this.log.warn(`Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.nextDelayMinutes} minutes`);
    return true;
  }

  // -------------------------------------------------------------------------
  // Turning the AOF on and off (CONFIG SET appendonly)
  // -------------------------------------------------------------------------

  /** startAppendOnly: the AOF starts with a rewrite, whose base holds the dataset. Returns false on failure. */
  start(inExec = false): boolean {
    if (this.state !== 'off') return true;
    this.state = 'waitRewrite';
    this.manifest = readManifestOrEmpty(this.directory, this.filename, this.log);
    this.subscribe();
    if (this.otherSnapshotActive) {
      this.rewriteScheduled = true;
      this.log.warn('AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (inExec) {
      this.rewriteScheduled = true;
      this.log.warn('AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else if (this.rewrite !== null) {
      this.log.warn('AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
      this.killRewrite();
    }
    if (!this.rewriteScheduled && !this.startRewrite()) {
      this.state = 'off';
      this.unsubscribeFeed();
      this.log.warn("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation. Check the above logs for more info about the error.");
      return false;
    }
    this.lastFsync = unixtime();
    if (!this.bioFsyncOk) {
      this.log.warn('AOF reopen, just ignore the AOF fsync error in bio job');
      this.bioFsyncOk = true;
    }
    if (!this.lastWriteOk) {
      this.log.warn('AOF reopen, just ignore the last error.');
      this.lastWriteOk = true;
    }
    this.host.writeStatusChanged(null);
    return true;
  }

  /** stopAppendOnly */
  stop(): void {
    if (this.state === 'off') return;
    this.flush(true);
    if (this.fd !== -1) {
      try {
        fs.fsyncSync(this.fd);
        this.lastFsync = unixtime();
      } catch (err) {
        this.log.warn(`Fail to fsync the AOF file: ${strerror(err)}`);
      }
      this.closeSoon(this.fd);
    }
    this.fd = -1;
    this.selectedDb = -1;
    this.state = 'off';
    // writeCommandsDeniedByDiskError looks at the AOF's status only while it is on.
    this.host.writeStatusChanged(null);
    this.rewriteScheduled = false;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    this.killRewrite();
    this.clearBuffer();
    this.unsubscribeFeed();
  }

  private unsubscribeFeed(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** prepareForShutdown: a rewrite in progress is dropped, the buffer written and fsynced. */
  shutdown(): void {
    if (this.rewrite !== null) {
      this.log.warn('There is a child rewriting the AOF. Killing it!');
      this.killRewrite();
    }
    if (this.state === 'off') return;
    this.log.info('Calling fsync() on the AOF file.');
    this.flush(true);
    if (this.fd !== -1) {
      try {
        fs.fsyncSync(this.fd);
      } catch (err) {
        this.log.warn(`Fail to fsync the AOF file: ${strerror(err)}`);
      }
      this.closeSoon(this.fd);
      this.fd = -1;
    }
    this.state = 'off';
    this.unsubscribeFeed();
  }

  // -------------------------------------------------------------------------
  // Rewrite
  // -------------------------------------------------------------------------

  /** hasActiveChildProcess: a rewrite or a BGSAVE is running (the stand-ins for Redis's children). */
  private get childActive(): boolean {
    return this.rewrite !== null || this.host.keyspace.snapshot !== null;
  }

  /**
   * A BGSAVE holds the keyspace's copy-on-write seat (hasActiveChildProcess
   * with an RDB child): a rewrite must wait for it to end.
   */
  private get otherSnapshotActive(): boolean {
    return this.rewrite === null && this.host.keyspace.snapshot !== null;
  }

  /**
   * BGREWRITEAOF (bgrewriteaofCommand): 'started', 'inProgress',
   * 'scheduled' (a BGSAVE runs, or inside EXEC: the cron starts it when
   * possible), or 'failed' (logged).
   */
  bgrewrite(inExec: boolean): 'started' | 'inProgress' | 'scheduled' | 'failed' {
    if (this.rewrite !== null) return 'inProgress';
    if (this.otherSnapshotActive || inExec) {
      this.rewriteScheduled = true;
      this.consecutiveFailures = 0;
      return 'scheduled';
    }
    return this.startRewrite() ? 'started' : 'failed';
  }

  /** rewriteAppendOnlyFileBackground */
  private startRewrite(): boolean {
    if (this.otherSnapshotActive) return false;
    // With the AOF off the manifest on disk was never read; the new base replaces what it lists.
    if (this.state === 'off') this.manifest = readManifestOrEmpty(this.directory, this.filename, this.log);
    try {
      fs.mkdirSync(this.directory, { recursive: true });
    } catch (err) {
      this.log.warn(`Can't open or create append-only dir ${this.config.get('appenddirname')}: ${strerror(err)}`);
      this.lastBgrewriteOk = false;
      return false;
    }
    // The next command fed after the switch starts with a SELECT.
    this.selectedDb = -1;
    this.flush(true);
    if (!this.openNewIncrForAppend()) {
      this.lastBgrewriteOk = false;
      return false;
    }
    this.rewrites++;
    const rdb = this.config.get('aof-use-rdb-preamble');
    // The fork: the dataset as it is now, in the same turn as the new incr file opened above.
    const writer = this.beginBase(true);
    const job: RewriteJob = { startedAt: unixtime(), tempName: aofNames.tempRewrite(this.rewrites), rdb, writer, aborted: false };
    this.rewrite = job;
    this.rewriteScheduled = false;
    this.log.info(`Background append only file rewriting started by pid ${process.pid}`);
    void this.writeTempBase(job).then((ok) => this.rewriteDone(job, ok));
    return true;
  }

  /**
   * The rewrite child's half: the snapshot written slice by slice into a
   * temp file, the event loop running between slices, then fsynced.
   */
  private async writeTempBase(job: RewriteJob): Promise<boolean> {
    const temp = path.join(this.config.get('dir'), job.tempName);
    let handle: fs.promises.FileHandle | null = null;
    try {
      handle = await fs.promises.open(temp, 'w', 0o644);
      const file = handle;
      let sinceSync = 0;
      await job.writer.writeInSlices({
        write: async (chunk) => {
          await writeChunk(file, chunk);
          sinceSync += chunk.length;
          if (this.config.get('aof-rewrite-incremental-fsync') && sinceSync >= AUTOSYNC_BYTES) {
            await file.datasync();
            sinceSync = 0;
          }
        },
      });
      await handle.sync();
      await handle.close();
      handle = null;
      if (job.aborted) {
        fs.rmSync(temp, { force: true });
        return false;
      }
      this.log.info(`Successfully created the temporary AOF base file ${job.tempName}`);
      return true;
    } catch (err) {
      if (err instanceof AofRewriteError) this.log.warn(`AOF rewrite failed: ${err.message}`);
      else if (!job.aborted) this.log.warn(`Write error writing append only file on disk: ${strerror(err)}`);
      if (handle !== null) await handle.close().catch(() => undefined);
      fs.rmSync(temp, { force: true });
      return false;
    }
  }

  /**
   * openNewIncrAofForAppend: writes from now on go to a new incr file (a
   * temp one while the AOF is being turned on), listed in the manifest
   * before anything is written to it.
   */
  private openNewIncrForAppend(): boolean {
    if (this.state === 'off') return true;
    const dir = this.directory;
    let next: AofManifest | null = null;
    let name: string;
    if (this.state === 'waitRewrite') name = aofNames.tempIncr(this.filename);
    else {
      next = this.manifest.copy();
      name = next.newIncr(this.filename);
    }
    let fd = -1;
    try {
      fd = fs.openSync(path.join(dir, name), 'w', 0o644);
      if (next !== null) writeManifest(dir, this.filename, next);
    } catch (err) {
      this.log.warn(`Can't open the append-only file ${name}: ${strerror(err)}`);
      if (fd !== -1) fs.closeSync(fd);
      return false;
    }
    this.log.info(`Creating AOF incr file ${name} on background rewrite`);
    if (this.fd !== -1) {
      this.backgroundFsyncAndClose(this.fd);
      this.lastFsync = unixtime();
    }
    this.fd = fd;
    this.lastIncrSize = 0;
    this.lastIncrFsyncOffset = 0;
    if (next !== null) this.manifest = next;
    return true;
  }

  private killRewrite(): void {
    if (this.rewrite === null) return;
    this.rewrite.aborted = true;
    this.rewrite.writer.abandon();
    this.rewrite = null;
  }

  /** backgroundRewriteDoneHandler */
  private rewriteDone(job: RewriteJob, ok: boolean): void {
    if (job.aborted) return;
    this.rewrite = null;
    this.lastRewriteTimeSec = unixtime() - job.startedAt;
    const dir = this.directory;
    const temp = path.join(this.config.get('dir'), job.tempName);
    if (ok) ok = this.installRewrite(dir, temp, job);
    else this.log.warn('Background AOF rewrite terminated with error');
    if (!ok) {
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      fs.rmSync(temp, { force: true });
      if (this.state === 'waitRewrite') {
        this.log.info(`Removing the temp incr aof file ${aofNames.tempIncr(this.filename)} in the background`);
        fs.rmSync(path.join(dir, aofNames.tempIncr(this.filename)), { force: true });
        this.clearBuffer();
        this.rewriteScheduled = true;
      }
      return;
    }
    this.lastBgrewriteOk = true;
    this.consecutiveFailures = 0;
    this.log.info('Background AOF rewrite finished successfully');
    if (this.state === 'waitRewrite') this.state = 'on';
    this.deleteHistoryFiles();
  }

  private installRewrite(dir: string, temp: string, job: RewriteJob): boolean {
    const tempName = job.tempName;
    this.log.info('Background AOF rewrite terminated with success');
    const next = this.manifest.copy();
    const baseName = next.newBase(this.filename, job.rdb);
    try {
      this.timedRename(temp, path.join(dir, baseName));
    } catch (err) {
      this.log.warn(`Error trying to rename the temporary AOF base file ${tempName} into ${baseName}: ${strerror(err)}`);
      return false;
    }
    if (this.state === 'waitRewrite') {
      const tempIncr = aofNames.tempIncr(this.filename);
      const incrName = next.newIncr(this.filename);
      try {
        this.timedRename(path.join(dir, tempIncr), path.join(dir, incrName));
      } catch (err) {
        this.log.warn(`Error trying to rename the temporary AOF incr file ${tempIncr} into ${incrName}: ${strerror(err)}`);
        fs.rmSync(path.join(dir, baseName), { force: true });
        return false;
      }
      this.log.info(`Successfully renamed the temporary AOF incr file ${tempIncr} into ${incrName}`);
    }
    next.markRewrittenIncrsAsHistory(this.fd !== -1);
    try {
      writeManifest(dir, this.filename, next);
    } catch (err) {
      this.log.warn(`Can't persist the AOF manifest: ${strerror(err)}`);
      return false;
    }
    this.manifest = next;
    if (this.state !== 'off') {
      this.currentSize = appendOnlyFileSize(path.join(dir, baseName), this.host.latency) + this.lastIncrSize;
      this.baseSize = this.currentSize;
    }
    return true;
  }

  /** A rewrite's rename, timed as the `aof-rename` latency event when it succeeds (as Redis samples it). */
  private timedRename(from: string, to: string): void {
    const started = performance.now();
    fs.renameSync(from, to);
    this.host.latency.sample('aof-rename', performance.now() - started);
  }

  /** aofDelHistoryFiles */
  private deleteHistoryFiles(): void {
    if (this.manifest.history.length === 0) return;
    for (const file of this.manifest.history) {
      this.log.info(`Removing the history file ${file.name} in the background`);
      fs.rm(path.join(this.directory, file.name), { force: true }, () => undefined);
    }
    this.manifest.history = [];
    try {
      writeManifest(this.directory, this.filename, this.manifest);
    } catch (err) {
      this.log.warn(`Can't persist the AOF manifest: ${strerror(err)}`);
    }
  }

  // -------------------------------------------------------------------------
  // INFO
  // -------------------------------------------------------------------------

  /** INFO persistence's aof_* fields, as Redis 7.0 prints them. */
  infoFields(): Array<[string, string | number]> {
    const fields: Array<[string, string | number]> = [
      ['aof_enabled', this.state !== 'off' ? 1 : 0],
      ['aof_rewrite_in_progress', this.rewrite !== null ? 1 : 0],
      ['aof_rewrite_scheduled', this.rewriteScheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', this.lastRewriteTimeSec],
      ['aof_current_rewrite_time_sec', this.rewrite === null ? -1 : unixtime() - this.rewrite.startedAt],
      ['aof_last_bgrewrite_status', this.lastBgrewriteOk ? 'ok' : 'err'],
      ['aof_rewrites', this.rewrites],
      ['aof_rewrites_consecutive_failures', this.consecutiveFailures],
      ['aof_last_write_status', this.lastWriteOk && this.bioFsyncOk ? 'ok' : 'err'],
      // No fork, so no copy-on-write.
      ['aof_last_cow_size', 0],
      ['module_fork_in_progress', 0],
      ['module_fork_last_cow_size', 0],
    ];
    if (this.config.get('appendonly')) {
      let pending = 0;
      for (const n of this.pendingFsyncs.values()) pending += n;
      fields.push(
        ['aof_current_size', this.currentSize],
        ['aof_base_size', this.baseSize],
        ['aof_pending_rewrite', this.rewriteScheduled ? 1 : 0],
        ['aof_buffer_length', this.bufferLength],
        ['aof_pending_bio_fsync', pending],
        ['aof_delayed_fsync', this.delayedFsync],
      );
    }
    return fields;
  }
}

/** Arguments up to this length are copied by a JS loop, cheaper than a native call. */
const SHORT_ARGUMENT = 32;

/** Writes n (>= 0) in decimal and a CRLF at pos; returns the position after. */
function writeDecimal(buf: Buffer, pos: number, n: number): number {
  if (n < 10) buf[pos++] = 0x30 + n;
  else {
    const digits = String(n);
    for (let i = 0; i < digits.length; i++) buf[pos++] = digits.charCodeAt(i);
  }
  buf[pos++] = 0x0d;
  buf[pos++] = 0x0a;
  return pos;
}

function readManifestOrEmpty(dir: string, filename: string, logger: Logger): AofManifest {
  try {
    return readManifest(dir, filename, logger);
  } catch {
    return new AofManifest();
  }
}
