/**
 * RDB snapshots for one server: SAVE, BGSAVE (in slices, see
 * rdb-snapshot.ts), the `save` schedule, the final save of a shutdown,
 * loading dir/dbfilename at startup, and the state INFO persistence
 * reports. Redis keeps all this in `server.*` fields (rdb.c, server.c);
 * here it is one object the server owns.
 *
 * The file goes to temp-<pid>.rdb in `dir` (temp-<pid>-<n>.rdb for the
 * n-th server of a process), is fsynced, renamed over dbfilename, and the
 * directory fsynced, as rdbSave does; a failed save leaves the old file.
 * A BGSAVE writes temp-<pid>-bg.rdb instead, as Redis's child writes under
 * its own pid: a SAVE made while an abandoned BGSAVE's last writes are
 * still in flight (FLUSHALL, SHUTDOWN) must not share its file.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Keyspace } from '../store/keyspace.js';
import type { EncodingConfig } from '../store/types.js';
import type { KeyspaceEvents } from '../store/keyspace-events.js';
import type { FunctionLibraries } from '../scripting/functions.js';
import { writeChunk, writeFully } from './file-writes.js';
import { RdbFileWriter, RdbLoader, RdbLoadError, type RdbLoadResult, type RdbSource, type RdbWriteOptions } from './rdb-file.js';

/** CONFIG_BGSAVE_RETRY_DELAY: seconds before a failed BGSAVE is retried by the schedule. */
const BGSAVE_RETRY_DELAY = 5;
/** How long one slice of loading may hold the event loop. */
const LOAD_SLICE_MS = 20;

let instances = 0;

/** What the snapshots need of their server. */
export interface SnapshotHost {
  readonly config: Config;
  readonly logger: Logger;
  readonly keyspace: Keyspace;
  readonly events: KeyspaceEvents;
  readonly functions: FunctionLibraries;
  readonly encoding: EncodingConfig;
  usedMemory(): number;
  /** Wall clock, ms. */
  now(): number;
  /** An AOF rewrite runs (the other "child": one at a time). */
  aofRewriteInProgress(): boolean;
}

/** One `save` pair: after `seconds` if at least `changes` changes. */
interface SaveParam {
  seconds: number;
  changes: number;
}

export class Snapshots {
  /** LASTSAVE: Unix seconds of the last successful save (startup time until then). */
  lastSave: number;
  lastBgsaveStatus: 'ok' | 'err' = 'ok';
  /** Unix seconds of the last BGSAVE attempt (the schedule's retry delay). */
  private lastBgsaveTry = 0;
  /** INFO rdb_saves. */
  saves = 0;
  /** Seconds the last BGSAVE took, -1 before the first. */
  lastBgsaveSeconds = -1;
  /** BGSAVE SCHEDULE (or one inside MULTI) waiting for the running save to end. */
  bgsaveScheduled = false;
  /** The background save in progress. */
  private background: { writer: RdbFileWriter; startedAt: number; dirtyBefore: number; done: Promise<boolean> } | null = null;
  /** Keys in the last loaded file (INFO rdb_last_load_keys_*). */
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  /** Loading at startup (INFO loading:1, -LOADING). */
  loading: { startedAt: number; totalBytes: number; loader: RdbLoader | null } | null = null;
  /**
   * True when dispatch must look at `refusal()`: loading, or writes
   * stopped by a failed BGSAVE. The one flag the command path checks.
   */
  gated = false;
  /**
   * writeCommandsDeniedByDiskError's AOF half: the strerror text of the
   * AOF's failed write or background fsync, null while it writes fine. Set
   * by the AOF; kept here so that dispatch checks one flag for both.
   */
  aofWriteError: string | null = null;
  private saveParams: SaveParam[] = [];
  /** The file at startup could not be loaded: nothing may be saved over it. */
  private loadFailed = false;
  /** The shutdown's final save was made: writes served while draining are saved again at the end. */
  private savedForShutdown = false;
  private readonly tempName: string;
  private readonly backgroundTempName: string;

  constructor(private readonly host: SnapshotHost) {
    instances++;
    const stem = instances === 1 ? `temp-${process.pid}` : `temp-${process.pid}-${instances}`;
    this.tempName = `${stem}.rdb`;
    this.backgroundTempName = `${stem}-bg.rdb`;
    this.lastSave = Math.floor(host.now() / 1000);
    host.config.watch('save', (value) => {
      this.saveParams = parseSaveParams(value);
      this.updateGate();
    });
    host.config.watch('stop-writes-on-bgsave-error', () => this.updateGate());
  }

  /** Whether any save point is set (saveparamslen > 0). */
  get hasSavePoints(): boolean {
    return this.saveParams.length !== 0;
  }

  get bgsaveInProgress(): boolean {
    return this.background !== null;
  }

  /**
   * hasActiveChildProcess, for what is not BGSAVE's own: another snapshot
   * in slices holds the keyspace (the AOF rewrite's base), and there is
   * one copy-on-write seat.
   */
  get otherSnapshotActive(): boolean {
    return this.background === null && (this.host.keyspace.snapshot !== null || this.host.aofRewriteInProgress());
  }

  /** The file's path: dir/dbfilename. */
  get filePath(): string {
    return path.join(this.host.config.get('dir'), this.host.config.get('dbfilename'));
  }

  /** writeCommandsDeniedByDiskError for the RDB. */
  get writesDenied(): boolean {
    return this.lastBgsaveStatus === 'err' && this.hasSavePoints && this.host.config.get('stop-writes-on-bgsave-error');
  }

  private updateGate(): void {
    this.gated = this.loading !== null || this.writesDenied || this.aofWriteError !== null;
  }

  /** The AOF's write status changed (aof_last_write_status, aof_bio_fsync_status). */
  setAofWriteError(error: string | null): void {
    this.aofWriteError = error;
    this.updateGate();
  }

  /** The RdbSource of this server as its configuration stands now. */
  source(): RdbSource {
    const { config, keyspace, functions } = this.host;
    return {
      keyspace,
      functions,
      maxmemoryPolicy: config.get('maxmemory-policy'),
      compress: config.get('rdbcompression'),
      checksum: config.get('rdbchecksum'),
      encoding: this.host.encoding,
      usedMemory: () => this.host.usedMemory(),
    };
  }

  /**
   * A writer for this server's dataset as it is now (SAVE, BGSAVE, and the
   * AOF's RDB base). `inSlices` as RdbFileWriter's: true to write it with
   * writeInSlices while the server runs.
   */
  beginFile(options: RdbWriteOptions = {}, inSlices = true): RdbFileWriter {
    return new RdbFileWriter(this.source(), { now: this.host.now(), ...options }, inSlices);
  }

  /**
   * rdbSave: the whole dataset to dir/dbfilename, synchronously. Logs and
   * returns false on failure (the old file stays).
   */
  save(): boolean {
    const log = this.host.logger;
    const dir = this.host.config.get('dir');
    const temp = path.join(dir, this.tempName);
    let fd: number;
    try {
      fd = fs.openSync(temp, 'w');
    } catch (err) {
      log.warn(`Failed opening the temp RDB file ${this.tempName} (in server root dir ${dir}) for saving: ${errnoText(err)}`);
      return false;
    }
    let operation = 'rdbSaveRio';
    try {
      const bytes = this.beginFile({}, false).writeAll();
      writeFully(fd, bytes);
      operation = 'fsync';
      fs.fsyncSync(fd);
      operation = 'fclose';
      fs.closeSync(fd);
      fd = -1;
    } catch (err) {
      if (fd !== -1) fs.closeSync(fd);
      log.warn(`Write error saving DB on disk(${operation}): ${errnoText(err)}`);
      fs.rmSync(temp, { force: true });
      return false;
    }
    if (!this.moveIntoPlace(temp)) return false;
    log.info('DB saved on disk');
    this.host.events.dirty = 0;
    this.lastSave = Math.floor(this.host.now() / 1000);
    this.lastBgsaveStatus = 'ok';
    this.updateGate();
    return true;
  }

  /**
   * rdbSaveBackground: the snapshot is taken now; the file is written in
   * slices. Returns false if a save is already running. The promise
   * `finished()` gives resolves with the outcome.
   */
  bgsave(): boolean {
    if (this.background !== null || this.otherSnapshotActive) return false;
    this.saves++;
    this.lastBgsaveTry = Math.floor(this.host.now() / 1000);
    const writer = this.beginFile();
    const startedAt = this.host.now();
    const dirtyBefore = this.host.events.dirty;
    const done = this.writeInBackground(writer);
    this.background = { writer, startedAt, dirtyBefore, done };
    this.host.logger.info(`Background saving started by pid ${process.pid}`);
    return true;
  }

  /** Resolves when the running BGSAVE ends (true: saved); at once if none runs. */
  finished(): Promise<boolean> {
    return this.background?.done ?? Promise.resolve(true);
  }

  /** killRDBChild: stops a running BGSAVE without counting it as an error (FLUSHALL, SHUTDOWN). */
  killBackgroundSave(): void {
    const background = this.background;
    if (background === null) return;
    background.writer.abandon();
  }

  private async writeInBackground(writer: RdbFileWriter): Promise<boolean> {
    const log = this.host.logger;
    const dir = this.host.config.get('dir');
    const temp = path.join(dir, this.backgroundTempName);
    let handle: fsp.FileHandle | null = null;
    let ok = false;
    let killed = false;
    try {
      handle = await fsp.open(temp, 'w');
      const file = handle;
      await writer.writeInSlices({ write: (chunk) => writeChunk(file, chunk), releasesChunks: true });
      await handle.sync();
      await handle.close();
      handle = null;
      // Killed while the file was synced: a SAVE may have replaced dbfilename since.
      if (writer.isAbandoned) throw new Error('save abandoned');
      ok = await this.moveIntoPlaceInBackground(temp);
      if (ok) log.info('DB saved on disk');
    } catch (err) {
      killed = (err as Error).message === 'save abandoned';
      if (!killed) log.warn(`Write error saving DB on disk: ${errnoText(err)}`);
      if (handle !== null) await handle.close().catch(() => undefined);
      await fsp.rm(temp, { force: true });
    }
    const background = this.background!;
    this.background = null;
    const now = this.host.now();
    this.lastBgsaveSeconds = Math.floor((now - background.startedAt) / 1000);
    // backgroundSaveDoneHandlerDisk
    if (ok) {
      log.info('Background saving terminated with success');
      this.host.events.dirty -= background.dirtyBefore;
      this.lastSave = Math.floor(now / 1000);
      this.lastBgsaveStatus = 'ok';
    } else if (killed) {
      log.warn('Background saving terminated by signal 10');
    } else {
      log.warn('Background saving error');
      this.lastBgsaveStatus = 'err';
    }
    this.updateGate();
    return ok;
  }

  /** rename(temp, dbfilename), then fsync the directory. */
  private moveIntoPlace(temp: string): boolean {
    const target = this.filePath;
    try {
      fs.renameSync(temp, target);
    } catch (err) {
      this.logMoveError(temp, err);
      fs.rmSync(temp, { force: true });
      return false;
    }
    try {
      const dirFd = fs.openSync(path.dirname(target), 'r');
      try {
        fs.fsyncSync(dirFd);
      } finally {
        fs.closeSync(dirFd);
      }
    } catch (err) {
      this.host.logger.warn(`Write error saving DB on disk(fsyncFileDir): ${errnoText(err)}`);
      return false;
    }
    return true;
  }

  /**
   * moveIntoPlace for BGSAVE: the rename at once (nothing may save in
   * between), the directory's fsync off the event loop, as it waits for
   * the file system's journal, which on a busy disk takes longer than a
   * slice should (Redis's child does it, not the parent).
   */
  private async moveIntoPlaceInBackground(temp: string): Promise<boolean> {
    const target = this.filePath;
    try {
      fs.renameSync(temp, target);
    } catch (err) {
      this.logMoveError(temp, err);
      await fsp.rm(temp, { force: true });
      return false;
    }
    try {
      const dir = await fsp.open(path.dirname(target), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (err) {
      this.host.logger.warn(`Write error saving DB on disk(fsyncFileDir): ${errnoText(err)}`);
      return false;
    }
    return true;
  }

  private logMoveError(temp: string, err: unknown): void {
    this.host.logger.warn(
      `Error moving temp DB file ${path.basename(temp)} on the final destination ${this.host.config.get('dbfilename')} (in server root dir ${this.host.config.get('dir')}): ${errnoText(err)}`,
    );
  }

  /**
   * serverCron's part: a scheduled BGSAVE once nothing runs, and the save
   * points (`save 3600 1 ...`): a BGSAVE when enough changes are old enough.
   */
  cron(): void {
    if (this.background !== null || this.loading !== null || this.loadFailed || this.otherSnapshotActive) return;
    const now = Math.floor(this.host.now() / 1000);
    const mayRetry = now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY || this.lastBgsaveStatus === 'ok';
    if (this.bgsaveScheduled && mayRetry) {
      this.bgsaveScheduled = false;
      this.bgsave();
      return;
    }
    const dirty = this.host.events.dirty;
    for (const point of this.saveParams) {
      if (dirty >= point.changes && now - this.lastSave > point.seconds && mayRetry) {
        this.host.logger.info(`${point.changes} changes in ${point.seconds} seconds. Saving...`);
        this.bgsave();
        return;
      }
    }
  }

  /**
   * The server has served its last command. Redis exits right after its
   * final save; reddish first serves the input clients had already sent,
   * so writes among it are saved again here rather than acknowledged and lost.
   */
  afterLastCommand(): void {
    this.killBackgroundSave();
    if (this.savedForShutdown && this.host.events.dirty !== 0) this.save();
  }

  /** flushAllDataAndResetRDB: FLUSHALL stops a BGSAVE and, with save points set, saves the empty dataset. */
  afterFlushAll(): void {
    this.killBackgroundSave();
    // rdbSave zeroes dirty; flushAllDataAndResetRDB then counts the FLUSHALL itself.
    if (this.hasSavePoints && this.save()) this.host.events.dirty++;
  }

  /**
   * SHUTDOWN's save (finishShutdown): with save points set unless NOSAVE,
   * or when SAVE is asked. False when the save failed and the shutdown
   * must not go on (unless FORCE, which the caller decides).
   */
  saveForShutdown(save: boolean, noSave: boolean, force: boolean): boolean {
    const log = this.host.logger;
    if (this.background !== null) {
      log.warn('There is a child saving an .rdb. Killing it!');
      this.killBackgroundSave();
    }
    // While loading, Redis's SHUTDOWN (and SIGTERM) turn into NOSAVE: half a dataset must not replace the file.
    if (!((this.hasSavePoints && !noSave) || save) || this.loadFailed || this.loading !== null) return true;
    log.info('Saving the final RDB snapshot before exiting.');
    if (this.save()) {
      this.savedForShutdown = true;
      return true;
    }
    if (force) {
      log.warn('Error trying to save the DB. Exit anyway.');
      return true;
    }
    log.warn("Error trying to save the DB, can't exit.");
    return false;
  }

  /**
   * loadDataFromDisk for the RDB (the AOF, when on, loads instead; see
   * the aof module): reads dir/dbfilename if it exists, in slices, with
   * INFO loading:1 and -LOADING meanwhile. Resolves with the result, null
   * when there is no file; rejects with RdbLoadError (or an I/O error) for
   * a file that can't be loaded, which must stop the server.
   */
  async loadAtStartup(): Promise<RdbLoadResult | null> {
    const file = this.filePath;
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const started = performance.now();
    // startLoadingFile: loading from here on, while the file is read too.
    this.loading = { startedAt: Math.floor(this.host.now() / 1000), totalBytes: size, loader: null };
    this.updateGate();
    let data: Buffer;
    try {
      data = await fsp.readFile(file);
    } catch (err) {
      this.loadFailed = true;
      this.loading = null;
      this.updateGate();
      throw err;
    }
    const result = await this.loadInSlices(data);
    this.host.logger.info(`DB loaded from disk: ${((performance.now() - started) / 1000).toFixed(3)} seconds`);
    return result;
  }

  /** Loads `data` (a whole RDB file) with loading:1 set, yielding between slices. */
  async loadInSlices(data: Buffer): Promise<RdbLoadResult> {
    const loader = this.loader(data);
    this.loading = { startedAt: this.loading?.startedAt ?? Math.floor(this.host.now() / 1000), totalBytes: data.length, loader };
    this.updateGate();
    try {
      while (!loader.step(performance.now() + LOAD_SLICE_MS)) {
        await new Promise((resolve) => setImmediate(resolve));
        this.host.keyspace.now = this.host.now();
      }
    } catch (err) {
      this.loadFailed = true;
      throw err;
    } finally {
      this.loading = null;
      this.updateGate();
    }
    return this.loaded(loader.result);
  }

  /**
   * An AOF's RDB base (or the RDB preamble of an old single-file AOF),
   * loaded at once with expired keys kept, as RDBFLAGS_AOF_PREAMBLE does:
   * the commands after it replay in that keyspace. Returns the bytes the
   * RDB part used, or null after logging why it was refused.
   */
  loadAofBase(data: Buffer): number | null {
    const loader = this.loader(data, { dropExpired: false });
    try {
      loader.loadAll();
    } catch (err) {
      if (!(err instanceof RdbLoadError)) throw err;
      for (const line of err.logLines) this.host.logger.warn(line);
      return null;
    }
    return loader.position;
  }

  /** rdbLoad in one go (DEBUG RELOAD): the keyspace as the file has it, or RdbLoadError. */
  loadFileNow(allowDuplicates: boolean): RdbLoadResult {
    const data = fs.readFileSync(this.filePath);
    return this.loaded(this.loader(data, { allowDuplicates }).loadAll());
  }

  /** A loader of `data` into this server's keyspace; expired keys are dropped unless `dropExpired` is false (an AOF's base). */
  private loader(data: Buffer, { allowDuplicates = false, dropExpired = true }: { allowDuplicates?: boolean; dropExpired?: boolean } = {}): RdbLoader {
    const { config, logger, keyspace } = this.host;
    keyspace.now = this.host.now();
    return new RdbLoader({ keyspace, functions: this.host.functions, encoding: this.host.encoding }, data, {
      dropExpired,
      allowDuplicates,
      verifyChecksum: config.get('rdbchecksum'),
      maxmemoryPolicy: config.get('maxmemory-policy'),
      log: (line) => logger.info(line),
    });
  }

  private loaded(result: RdbLoadResult): RdbLoadResult {
    this.lastLoadKeysLoaded = result.keysLoaded;
    this.lastLoadKeysExpired = result.keysExpired;
    return result;
  }

  /** INFO persistence's RDB fields, in Redis 7.0.15's order (the aof module adds its own after). */
  infoFields(dirty: number): Array<readonly [string, string | number]> {
    const now = this.host.now();
    const background = this.background;
    const fields: Array<readonly [string, string | number]> = [
      ['loading', this.loading !== null ? 1 : 0],
      ['async_loading', 0],
      // Copy-on-write here is per key, in the server's own heap: nothing is shared with a child to measure.
      ['current_cow_peak', 0],
      ['current_cow_size', 0],
      ['current_cow_size_age', 0],
      ['current_fork_perc', '0.00'],
      ['current_save_keys_processed', background?.writer.snapshot.keysWritten ?? 0],
      ['current_save_keys_total', background !== null ? this.totalKeys() : 0],
      ['rdb_changes_since_last_save', dirty],
      ['rdb_bgsave_in_progress', background !== null ? 1 : 0],
      ['rdb_last_save_time', this.lastSave],
      ['rdb_last_bgsave_status', this.lastBgsaveStatus],
      ['rdb_last_bgsave_time_sec', this.lastBgsaveSeconds],
      ['rdb_current_bgsave_time_sec', background !== null ? Math.floor((now - background.startedAt) / 1000) : -1],
      ['rdb_saves', this.saves],
      ['rdb_last_cow_size', 0],
      ['rdb_last_load_keys_expired', this.lastLoadKeysExpired],
      ['rdb_last_load_keys_loaded', this.lastLoadKeysLoaded],
    ];
    return fields;
  }

  /** INFO's loading_* fields, printed after the section's others while loading. */
  loadingFields(): Array<readonly [string, string | number]> {
    const loading = this.loading;
    if (loading === null) return [];
    const loaded = loading.loader?.position ?? 0;
    const perc = loading.totalBytes !== 0 ? (loaded / loading.totalBytes) * 100 : 0;
    const elapsed = Math.floor(this.host.now() / 1000) - loading.startedAt;
    const remaining = loading.totalBytes - loaded;
    const eta = elapsed === 0 ? 1 : Math.floor((elapsed * remaining) / (loaded + 1));
    return [
      ['loading_start_time', loading.startedAt],
      ['loading_total_bytes', loading.totalBytes],
      ['loading_rdb_used_mem', Number(loading.loader?.result.aux.get('used-mem') ?? 0) || 0],
      ['loading_loaded_bytes', loaded],
      ['loading_loaded_perc', perc.toFixed(2)],
      ['loading_eta_seconds', eta],
    ];
  }

  private totalKeys(): number {
    let total = 0;
    for (const db of this.host.keyspace.databases) total += db.size;
    return total;
  }
}

/** The `save` value as pairs. */
function parseSaveParams(value: string): SaveParam[] {
  if (value === '') return [];
  const words = value.split(' ').map(Number);
  const params: SaveParam[] = [];
  for (let i = 0; i + 1 < words.length; i += 2) params.push({ seconds: words[i]!, changes: words[i + 1]! });
  return params;
}

/** strerror's text for a Node error. */
function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const texts: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    ENOSPC: 'No space left on device',
    EROFS: 'Read-only file system',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
    EIO: 'Input/output error',
  };
  return (code !== undefined && texts[code]) || (err as Error).message;
}

export { RdbLoadError };
