/**
 * Loading the append-only file at startup (Redis 7.0's loadAppendOnlyFiles
 * and loadSingleAppendOnlyFile): the manifest's base, then its incr files
 * in order, each command replayed on a socketless client through the same
 * dispatch and call() as a socket's (server.execute).
 *
 * A file that ends in the middle of a command (or of a MULTI without its
 * EXEC) was cut by a crash. With `aof-load-truncated yes` the last file is
 * truncated to its last whole command and loading goes on, with Redis's
 * warnings; otherwise, or in a file that is not the last, loading fails with
 * Redis's log lines and the server refuses to start.
 */
import type { LatencyMonitor } from '../server/latency-monitor.js';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { strerror } from '../config.js';
import { AofManifest, AofManifestError, aofNames } from './aof-manifest.js';

export type AofLoadStatus = 'ok' | 'notExist' | 'empty' | 'openError' | 'failed' | 'truncated';

/** What loading needs from the server. */
export interface AofReplayTarget {
  readonly logger: Logger;
  /** Runs one command on the loading client; returns nothing the loader needs. */
  replay(argv: string[]): void;
  /** True when the loading client is inside MULTI. */
  inTransaction(): boolean;
  /** Whether the command table knows this name (Redis's lookupCommand). */
  knowsCommand(argv: readonly string[]): boolean;
  /**
   * Loads an RDB-format base (`REDIS...`), returning the bytes it used, or
   * null when it failed (logged).
   */
  loadRdb(bytes: Buffer): number | null;
}

export interface AofLoadResult {
  status: AofLoadStatus;
  manifest: AofManifest;
  /** Bytes of the base and incr files (aof_current_size). */
  totalSize: number;
  /** Bytes of the base (aof_rewrite_base_size after a restart). */
  baseSize: number;
}

/** AOF_ANNOTATION_LINE_MAX_LEN: the buffer fgets reads header lines into. */
const LINE_MAX = 1024;

/** aofLoadManifestFromDisk: an absent directory or manifest is an empty AOF. */
export function readManifest(aofDir: string, filename: string, logger: Logger): AofManifest {
  const file = path.join(aofDir, aofNames.manifest(filename));
  if (!fs.existsSync(aofDir)) {
    logger.debug(`The AOF directory ${aofDir} doesn't exist`);
    return new AofManifest();
  }
  if (!fs.existsSync(file)) {
    logger.debug(`The AOF manifest file ${aofNames.manifest(filename)} doesn't exist`);
    return new AofManifest();
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (err) {
    throw new AofManifestError(`Fatal error: can't open the AOF manifest file ${file} for reading: ${strerror(err)}`);
  }
  try {
    return AofManifest.parse(text);
  } catch (err) {
    if (err instanceof AofManifestError) {
      logger.warn('*** FATAL AOF MANIFEST FILE ERROR ***');
      if (err.line !== '') {
        logger.warn(`Reading the manifest file, at line ${err.lineNumber}`);
        logger.warn(`>>> '${err.line}'`);
      }
      logger.warn(err.message);
    }
    throw err;
  }
}

/**
 * getAppendOnlyFileSize: the file's size from stat, timed as Redis's
 * `aof-fstat` latency event while the monitor is on. Throws as statSync.
 */
export function appendOnlyFileSize(file: string, latency: LatencyMonitor | null): number {
  if (latency === null || !latency.monitoring) return fs.statSync(file).size;
  const started = performance.now();
  try {
    return fs.statSync(file).size;
  } finally {
    latency.sample('aof-fstat', performance.now() - started);
  }
}

/** loadAppendOnlyFiles */
export function loadAppendOnlyFiles(
  aofDir: string,
  manifest: AofManifest,
  target: AofReplayTarget,
  loadTruncated: boolean,
  /** appendfilename: a base of that very name is an old single-file AOF moved in by the upgrade. */
  filename: string,
  latency: LatencyMonitor | null = null,
): AofLoadResult {
  const result: AofLoadResult = { status: 'ok', manifest, totalSize: 0, baseSize: 0 };
  const files = [...(manifest.base ? [manifest.base] : []), ...manifest.incrs];
  if (files.length === 0) return { ...result, status: 'notExist' };
  for (const file of files) {
    try {
      result.totalSize += appendOnlyFileSize(path.join(aofDir, file.name), latency);
    } catch (err) {
      // An AOF the manifest names but the disk lacks is fatal (getBaseAndIncrAppendOnlyFilesSize).
      target.logger.warn(`Unable to obtain the AOF file ${file.name} length. stat: ${strerror(err)}`);
      return { ...result, status: 'failed' };
    }
  }
  if (result.totalSize === 0) return { ...result, status: 'empty' };
  let status: AofLoadStatus = 'ok';
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const last = i === files.length - 1;
    const kind = file.type === 'b' ? 'base' : 'incr';
    const start = performance.now();
    if (file.type === 'b') result.baseSize = appendOnlyFileSize(path.join(aofDir, file.name), latency);
    status = loadSingleFile(aofDir, file.name, target, loadTruncated, file.name === filename);
    if (status === 'ok' || (status === 'truncated' && last)) {
      target.logger.info(`DB loaded from ${kind} file ${file.name}: ${((performance.now() - start) / 1000).toFixed(3)} seconds`);
    }
    if (status === 'empty' && file.type === 'i') status = 'ok';
    if (status === 'truncated' && !last) {
      status = 'failed';
      target.logger.warn('Fatal error: the truncated file is not the last file');
    }
    if (status === 'openError' || status === 'failed') break;
  }
  return { ...result, status };
}

/** loadSingleAppendOnlyFile */
export function loadSingleFile(aofDir: string, name: string, target: AofReplayTarget, loadTruncated: boolean, oldStyle = false): AofLoadStatus {
  const log = target.logger;
  const file = path.join(aofDir, name);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      log.warn(`The append log file ${name} doesn't exist: ${strerror(err)}`);
      return 'notExist';
    }
    log.warn(`Fatal error: can't open the append log file ${name} for reading: ${strerror(err)}`);
    return 'openError';
  }
  if (bytes.length === 0) return 'empty';

  let pos = 0;
  if (bytes.length >= 5 && bytes.toString('latin1', 0, 5) === 'REDIS') {
    // An RDB base, or the RDB preamble of a 4.0-6.2 single-file AOF, whose command tail follows.
    log.info(oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    const used = target.loadRdb(bytes);
    if (used === null) {
      log.warn(
        oldStyle
          ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
          : `Error reading the RDB base file ${name}, AOF loading aborted`,
      );
      return 'failed';
    }
    if (oldStyle) log.info('Reading the remaining AOF tail...');
    pos = used;
  }

  let validUpTo = pos;
  let validBeforeMulti = pos;
  const end = bytes.length;
  /** fgets: a line up to and including '\n' (or the rest of the file), at most LINE_MAX - 1 bytes. */
  const readLine = (): string | null => {
    if (pos >= end) return null;
    const newline = bytes.indexOf(10, pos);
    const stop = Math.min(newline === -1 ? end : newline + 1, pos + LINE_MAX - 1);
    const line = bytes.toString('latin1', pos, stop);
    pos = stop;
    return line;
  };
  const truncated = (): AofLoadStatus => {
    if (loadTruncated) {
      log.warn(`!!! Warning: short read while loading the AOF file ${name}!!!`);
      log.warn(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
      try {
        fs.truncateSync(file, validUpTo);
        log.warn(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
        return 'truncated';
      } catch (err) {
        log.warn(`Error truncating the AOF file ${name}: ${strerror(err)}`);
      }
    }
    log.warn(
      `Unexpected end of file reading the append only file ${name}. You can: ` +
        '1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. ' +
        "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
    );
    return 'failed';
  };
  const formatError = (): AofLoadStatus => {
    log.warn(`Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
    return 'failed';
  };

  for (;;) {
    const header = readLine();
    if (header === null) break;
    if (header[0] === '#') continue;
    if (header[0] !== '*') return formatError();
    if (header.length === 1) return truncated();
    const argc = atoi(header.slice(1));
    if (argc < 1) return formatError();
    const argv: string[] = [];
    for (let j = 0; j < argc; j++) {
      const lengthLine = readLine();
      if (lengthLine === null) return truncated();
      if (lengthLine[0] !== '$') return formatError();
      const length = atoi(lengthLine.slice(1));
      if (pos + length > end) return truncated();
      argv.push(bytes.toString('latin1', pos, pos + length));
      pos += length;
      // The CRLF after the argument is read, not checked, as fread(buf,2,1) does.
      if (pos + 2 > end) return truncated();
      pos += 2;
    }
    if (!target.knowsCommand(argv)) {
      log.warn(`Unknown command '${argv[0]}' reading the append only file ${name}`);
      return 'failed';
    }
    if (argv[0]!.toLowerCase() === 'multi') validBeforeMulti = validUpTo;
    target.replay(argv);
    validUpTo = pos;
  }
  if (target.inTransaction()) {
    log.warn(`Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    validUpTo = validBeforeMulti;
    return truncated();
  }
  return 'ok';
}

/** C's atoi/strtol for the lengths in headers: leading blanks, a sign, digits. */
function atoi(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}
