/**
 * ReplyWriter: encodes every reply type in RESP2 and RESP3 into one
 * connection's output for the current batch.
 *
 * Replies are accumulated as one latin1 JS string: V8 concatenates small
 * strings as ropes for almost nothing, and a single `socket.write(str,
 * 'latin1')` copies the whole batch once. That beats writing each small
 * reply into a Buffer through the C++ boundary. Very large replies would
 * exceed V8's string limit (~512 MB), so past SPILL_BYTES the pending text is
 * moved to a list of parts and the connection writes the parts corked, which
 * the socket turns into one writev.
 *
 * The type-to-wire mapping follows Redis's networking.c: a RESP2 client gets
 * maps as flat arrays, sets as arrays, doubles as bulk strings, booleans as
 * integers, and nulls as `$-1` or `*-1` depending on the kind of null.
 */
import { formatDouble } from '../text/numbers.js';

/** Past this many pending characters the text is spilled to a part. */
const SPILL_BYTES = 8 * 1024 * 1024;

export type ProtocolVersion = 2 | 3;

export class ReplyWriter {
  /** The protocol negotiated with HELLO; 2 until a client asks for 3. */
  protocol: ProtocolVersion = 2;
  /** Count of error replies written, so the dispatcher can tell a failed call. */
  errorCount = 0;
  /** The last error's code (first word), for INFO errorstats. */
  lastErrorCode = '';

  private text = '';
  private parts: Array<string | Buffer> | null = null;
  private partsSize = 0;
  /**
   * CLIENT REPLY OFF / SKIP (Redis's prepareClientToWrite refusing): the
   * client's replies are dropped, but pushes still reach it (pub/sub
   * messages and subscription replies: Redis's CLIENT_PUSHING). While
   * silenced the writers go on appending to `text`, which then holds only
   * what will be dropped, and what will be sent waits in `kept`: silence
   * costs the write methods nothing.
   */
  private silenced = false;
  private kept = '';

  /** True when nothing is waiting to be written. */
  get isEmpty(): boolean {
    return (this.silenced ? this.kept.length : this.text.length) === 0 && this.parts === null;
  }

  /** Bytes written so far in this batch (for the connection's output limit). */
  get pendingSize(): number {
    return (this.silenced ? this.kept.length : this.text.length) + this.partsSize;
  }

  /** CLIENT REPLY: from now on, drop (true) or send (false) what is written, pushes excepted. */
  silence(on: boolean): void {
    if (on === this.silenced) return;
    if (on) {
      this.kept = this.text;
      this.text = '';
    } else {
      // What was written while silenced is dropped here.
      this.text = this.kept;
      this.kept = '';
    }
    this.silenced = on;
  }

  /** Appends pre-encoded protocol text (a shared constant). */
  raw(text: string): void {
    this.text += text;
  }

  /**
   * Protocol text a command encoded itself, of any size (a range of stream
   * entries): unlike raw(), spilled past SPILL_BYTES as bulk() is.
   */
  encoded(text: string): void {
    this.text += text;
    if (this.text.length > SPILL_BYTES) this.spill('');
  }

  /** Pre-encoded push data (a pub/sub message): sent even to a silenced client. */
  push(text: string): void {
    if (this.silenced) this.kept += text;
    else this.text += text;
  }

  /**
   * Around push data written with the ordinary methods (a subscription
   * reply): it reaches even a silenced client. Returns whether the writer
   * was silenced, for endPush.
   */
  beginPush(): boolean {
    if (!this.silenced) return false;
    this.silence(false);
    return true;
  }

  endPush(wasSilenced: boolean): void {
    if (wasSilenced) this.silence(true);
  }

  simple(s: string): void {
    this.text += '+' + s + '\r\n';
  }

  /**
   * An error reply. `message` starts with its code ("ERR ...", "WRONGTYPE ...").
   * CR and LF would break the protocol, so like Redis they become spaces.
   */
  error(message: string): void {
    if (message.indexOf('\r') !== -1 || message.indexOf('\n') !== -1) {
      message = message.replace(/[\r\n]/g, ' ');
    }
    this.errorCount++;
    const space = message.indexOf(' ');
    this.lastErrorCode = space === -1 ? message : message.slice(0, space);
    this.text += '-' + message + '\r\n';
  }

  integer(n: number | bigint): void {
    this.text += ':' + n + '\r\n';
  }

  /** A bulk string from a latin1 string (binary safe). */
  bulk(s: string): void {
    if (s.length > SPILL_BYTES) {
      this.text += '$' + s.length + '\r\n';
      this.spill(s);
      this.text += '\r\n';
      return;
    }
    this.text += '$' + s.length + '\r\n' + s + '\r\n';
    if (this.text.length > SPILL_BYTES) this.spill('');
  }

  /** A bulk string from bytes (mutable string values keep a Buffer). */
  bulkBuffer(b: Buffer): void {
    if (b.length > 4096) {
      this.text += '$' + b.length + '\r\n';
      this.spill(Buffer.from(b));
      this.text += '\r\n';
      return;
    }
    this.bulk(b.latin1Slice(0, b.length));
  }

  /** A bulk string, or the null bulk when the value is missing. */
  bulkOrNull(s: string | null | undefined): void {
    if (s === null || s === undefined) this.nullBulk();
    else this.bulk(s);
  }

  /** Redis's addReplyNull: `$-1` in RESP2, `_` in RESP3. */
  nullBulk(): void {
    this.text += this.protocol === 3 ? '_\r\n' : '$-1\r\n';
  }

  /** Redis's addReplyNullArray: `*-1` in RESP2, `_` in RESP3. */
  nullArray(): void {
    this.text += this.protocol === 3 ? '_\r\n' : '*-1\r\n';
  }

  arrayHeader(length: number): void {
    this.text += '*' + length + '\r\n';
  }

  /** A map of `length` pairs: `%` in RESP3, a flat array of 2n in RESP2. */
  mapHeader(length: number): void {
    this.text += (this.protocol === 3 ? '%' : '*') + (this.protocol === 3 ? length : length * 2) + '\r\n';
  }

  /** An unordered set: `~` in RESP3, an array in RESP2. */
  setHeader(length: number): void {
    this.text += (this.protocol === 3 ? '~' : '*') + length + '\r\n';
  }

  /** Out-of-band push data: `>` in RESP3, an array in RESP2 (as Redis does for pub/sub). */
  pushHeader(length: number): void {
    this.text += (this.protocol === 3 ? '>' : '*') + length + '\r\n';
  }

  /** A double: `,` in RESP3, a bulk string in RESP2, formatted as Redis formats doubles. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.protocol === 3) this.text += ',' + s + '\r\n';
    else this.text += '$' + s.length + '\r\n' + s + '\r\n';
  }

  /**
   * A double that Redis already holds as text (INCRBYFLOAT results, for example):
   * RESP3 gets the `,` type, RESP2 a bulk string, with the text unchanged.
   */
  doubleText(s: string): void {
    if (this.protocol === 3) this.text += ',' + s + '\r\n';
    else this.text += '$' + s.length + '\r\n' + s + '\r\n';
  }

  /** A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2. */
  bool(b: boolean): void {
    if (this.protocol === 3) this.text += b ? '#t\r\n' : '#f\r\n';
    else this.text += b ? ':1\r\n' : ':0\r\n';
  }

  /** A big number: `(` in RESP3, a bulk string in RESP2. */
  bigNumber(digits: string): void {
    if (this.protocol === 3) this.text += '(' + digits + '\r\n';
    else this.text += '$' + digits.length + '\r\n' + digits + '\r\n';
  }

  /** Verbatim text (INFO, CLIENT LIST): `=` with a format in RESP3, a bulk string in RESP2. */
  verbatim(text: string, format = 'txt'): void {
    if (this.protocol === 3) this.text += '=' + (text.length + 4) + '\r\n' + format + ':' + text + '\r\n';
    else this.bulk(text);
  }

  /** An array of bulk strings. */
  bulkArray(items: readonly string[]): void {
    let out = '*' + items.length + '\r\n';
    for (let i = 0; i < items.length; i++) {
      const s = items[i]!;
      out += '$' + s.length + '\r\n' + s + '\r\n';
    }
    this.text += out;
    if (this.text.length > SPILL_BYTES) this.spill('');
  }

  /** An array of bulk strings where missing elements are null bulks (MGET, HMGET). */
  bulkOrNullArray(items: ReadonlyArray<string | null | undefined>): void {
    const nil = this.protocol === 3 ? '_\r\n' : '$-1\r\n';
    let out = '*' + items.length + '\r\n';
    for (let i = 0; i < items.length; i++) {
      const s = items[i];
      out += s === null || s === undefined ? nil : '$' + s.length + '\r\n' + s + '\r\n';
    }
    this.text += out;
    if (this.text.length > SPILL_BYTES) this.spill('');
  }

  /**
   * Takes everything written so far for the single write at the end of a
   * batch: a string in the common case, or a list of parts after a spill.
   */
  take(): string | Array<string | Buffer> | null {
    if (this.silenced) {
      // Swap what will be sent in for the take, and drop the rest.
      this.text = this.kept;
      this.kept = '';
      const out = this.takeText();
      this.text = '';
      return out;
    }
    return this.takeText();
  }

  private takeText(): string | Array<string | Buffer> | null {
    if (this.parts === null) {
      if (this.text.length === 0) return null;
      const out = this.text;
      this.text = '';
      return out;
    }
    const parts = this.parts;
    if (this.text.length !== 0) parts.push(this.text);
    this.parts = null;
    this.partsSize = 0;
    this.text = '';
    return parts;
  }

  /** A point to roll back to if the command being written fails halfway. */
  mark(): number {
    return this.parts === null || this.silenced ? this.text.length : -1;
  }

  /**
   * Drops what was written since `mark()`. Returns false when that isn't
   * possible (the reply spilled into parts meanwhile).
   */
  rollback(mark: number): boolean {
    // Silenced, everything written since the mark will be dropped anyway.
    if (this.silenced) {
      this.text = '';
      return true;
    }
    if (mark < 0 || this.parts !== null || this.text.length < mark) return false;
    this.text = this.text.slice(0, mark);
    return true;
  }

  /** Drops anything pending (used when a connection closes mid-batch). */
  discard(): void {
    this.text = '';
    this.kept = '';
    this.parts = null;
    this.partsSize = 0;
  }

  private spill(next: string | Buffer): void {
    if (this.silenced) {
      // Nothing written while silenced is sent: no need to keep it.
      this.text = '';
      return;
    }
    if (this.parts === null) this.parts = [];
    if (this.text.length !== 0) this.parts.push(this.text);
    this.partsSize += this.text.length + next.length;
    this.text = '';
    if (next.length !== 0) this.parts.push(next);
  }
}

/** Replies that never change, written once (Redis's `shared` object). */
export const shared = {
  ok: '+OK\r\n',
  pong: '+PONG\r\n',
  queued: '+QUEUED\r\n',
  zero: ':0\r\n',
  one: ':1\r\n',
  minusOne: ':-1\r\n',
  minusTwo: ':-2\r\n',
  emptyArray: '*0\r\n',
  emptyBulk: '$0\r\n\r\n',
  /** shared.emptyscan: SSCAN/HSCAN/ZSCAN's page for a missing key. */
  emptyScan: '*2\r\n$1\r\n0\r\n*0\r\n',
} as const;
