/**
 * The multi-part AOF's manifest (Redis 7.0's aof.c): which files make up
 * the append-only file, in `appenddirname`, and in which order they load.
 *
 *   file appendonly.aof.2.base.aof seq 2 type b
 *   file appendonly.aof.1.incr.aof seq 1 type h
 *   file appendonly.aof.3.incr.aof seq 3 type i
 *
 * One base (`b`, a snapshot from the last rewrite), history files (`h`,
 * replaced by a rewrite and deleted) and incr files (`i`, the commands
 * since, appended to the last one). The text is Redis's byte for byte, so
 * either server reads the other's directory and redis-check-aof accepts it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { splitInlineArgs } from '../protocol/inline.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofFileInfo {
  readonly name: string;
  readonly seq: number;
  readonly type: AofFileType;
}

/** Redis's file naming (BASE_FILE_SUFFIX, INCR_FILE_SUFFIX, ...). */
export const aofNames = {
  manifest: (filename: string) => `${filename}.manifest`,
  tempManifest: (filename: string) => `temp-${filename}.manifest`,
  base: (filename: string, seq: number, rdb: boolean) => `${filename}.${seq}.base.${rdb ? 'rdb' : 'aof'}`,
  incr: (filename: string, seq: number) => `${filename}.${seq}.incr.aof`,
  tempIncr: (filename: string) => `temp-${filename}.incr`,
  /**
   * rewriteAppendOnlyFileBackground's child writes here, in `dir`; Redis
   * names it by the child's pid, reddish by its process and the rewrite's
   * number, so a dropped rewrite still finishing never shares a file with
   * the next one.
   */
  tempRewrite: (rewrite: number) => `temp-rewriteaof-bg-${process.pid}-${rewrite}.aof`,
};

/** The manifest could not be read: Redis logs these words and exits. */
export class AofManifestError extends Error {
  constructor(
    message: string,
    readonly lineNumber = 0,
    readonly line = '',
  ) {
    super(message);
    this.name = 'AofManifestError';
  }
}

/** MANIFEST_MAX_LINE */
const MANIFEST_MAX_LINE = 1024;

export class AofManifest {
  base: AofFileInfo | null = null;
  incrs: AofFileInfo[] = [];
  history: AofFileInfo[] = [];
  baseSeq = 0;
  incrSeq = 0;

  copy(): AofManifest {
    const m = new AofManifest();
    m.base = this.base;
    m.incrs = [...this.incrs];
    m.history = [...this.history];
    m.baseSeq = this.baseSeq;
    m.incrSeq = this.incrSeq;
    return m;
  }

  /** getAofManifestAsString: the base, then history, then incr files. */
  format(): string {
    const files = [...(this.base ? [this.base] : []), ...this.history, ...this.incrs];
    return files.map((f) => `file ${needsRepr(f.name) ? repr(f.name) : f.name} seq ${f.seq} type ${f.type}\n`).join('');
  }

  /** getNewBaseFileNameAndMarkPreAsHistory */
  newBase(filename: string, rdb: boolean): string {
    if (this.base) this.history.unshift({ ...this.base, type: 'h' });
    const seq = ++this.baseSeq;
    this.base = { name: aofNames.base(filename, seq, rdb), seq, type: 'b' };
    return this.base.name;
  }

  /** getNewIncrAofName */
  newIncr(filename: string): string {
    const seq = ++this.incrSeq;
    const info: AofFileInfo = { name: aofNames.incr(filename, seq), seq, type: 'i' };
    this.incrs.push(info);
    return info.name;
  }

  /** getLastIncrAofName: the incr file to append to, created if there is none. */
  lastIncr(filename: string): string {
    return this.incrs.length === 0 ? this.newIncr(filename) : this.incrs[this.incrs.length - 1]!.name;
  }

  /**
   * markRewrittenIncrAofAsHistory: every incr file but the one being
   * written (when the AOF is on) was folded into the new base.
   */
  markRewrittenIncrsAsHistory(keepLast: boolean): void {
    const rewritten = keepLast ? this.incrs.slice(0, -1) : this.incrs;
    this.incrs = keepLast ? this.incrs.slice(-1) : [];
    for (let i = rewritten.length - 1; i >= 0; i--) this.history.unshift({ ...rewritten[i]!, type: 'h' });
  }

  /** aofLoadManifestFromFile's parser; throws AofManifestError with Redis's texts. */
  static parse(text: string): AofManifest {
    const m = new AofManifest();
    let maxSeq = 0;
    const lines = text.split(/(?<=\n)/);
    if (text.length === 0) throw new AofManifestError('Found an empty AOF manifest');
    let lineNumber = 0;
    for (const raw of lines) {
      lineNumber++;
      if (raw.startsWith('#')) continue;
      if (!raw.endsWith('\n') || raw.length > MANIFEST_MAX_LINE) {
        throw new AofManifestError('The AOF manifest file contains too long line', lineNumber, raw);
      }
      const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      if (line.length === 0) throw new AofManifestError('Invalid AOF manifest file format', lineNumber, line);
      const argv = splitInlineArgs(line);
      if (argv === null || argv.length < 6 || argv.length % 2 !== 0) {
        throw new AofManifestError('Invalid AOF manifest file format', lineNumber, line);
      }
      let name = '';
      let seq = 0;
      let type = '';
      for (let i = 0; i < argv.length; i += 2) {
        const key = argv[i]!.toLowerCase();
        const value = argv[i + 1]!;
        if (key === 'file') {
          name = value;
          if (name.includes('/') || name.includes('\\')) {
            throw new AofManifestError("File can't be a path, just a filename", lineNumber, line);
          }
        } else if (key === 'seq') seq = atoll(value);
        else if (key === 'type') type = value[0] ?? '';
      }
      if (name === '' || seq === 0 || type === '') throw new AofManifestError('Invalid AOF manifest file format', lineNumber, line);
      if (type === 'b') {
        if (m.base) throw new AofManifestError('Found duplicate base file information', lineNumber, line);
        m.base = { name, seq, type };
        m.baseSeq = seq;
      } else if (type === 'h') {
        m.history.push({ name, seq, type });
      } else if (type === 'i') {
        if (seq <= maxSeq) throw new AofManifestError('Found a non-monotonic sequence number', lineNumber, line);
        m.incrs.push({ name, seq, type });
        m.incrSeq = seq;
        maxSeq = seq;
      } else {
        throw new AofManifestError('Unknown AOF file type', lineNumber, line);
      }
    }
    return m;
  }
}

/**
 * writeAofManifestFile: the manifest goes to a temp file, is fsynced and
 * renamed over the old one, and the directory is fsynced, so a crash
 * leaves either manifest whole.
 */
export function writeManifest(dir: string, filename: string, manifest: AofManifest): void {
  const temp = path.join(dir, aofNames.tempManifest(filename));
  const fd = fs.openSync(temp, 'w', 0o644);
  try {
    fs.writeSync(fd, manifest.format(), null, 'latin1');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, path.join(dir, aofNames.manifest(filename)));
  fsyncDirectory(dir);
}

export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** C's atoll: leading blanks, a sign, digits; anything else stops it. */
function atoll(text: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** sdsneedsrepr */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c || c === 0x22 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x07 || c === 0x08 || c < 0x20 || c > 0x7e || c === 0x20) {
      return true;
    }
  }
  return false;
}

/** sdscatrepr: a quoted string with C escapes. */
function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = s.charCodeAt(i);
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}
