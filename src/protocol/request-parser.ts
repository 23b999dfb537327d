/**
 * RequestParser: turns a connection's byte stream into commands (arrays of
 * latin1 strings), accepting both request formats Redis accepts.
 *
 * - Multibulk (`*N\r\n$len\r\n...`): a command that arrives whole in one
 *   chunk is cut out by the framer below; one split across chunks is
 *   reassembled and decoded by redis-parser.
 * - Inline (`PING\r\n`, what `nc` and telnet send) is split here with
 *   Redis's sdssplitargs rules.
 *
 * redis-parser is a reply parser: it trusts lengths, accepts reply types a
 * request may not contain, and knows no limits. So a small framer walks the
 * same bytes first, the way networking.c's processMultibulkBuffer does: it
 * checks every header line, enforces proto-max-bulk-len and the inline limit,
 * finds where each command ends, and routes inline commands around
 * redis-parser. Bulk payloads are skipped by length, never copied, so the
 * framer costs a scan of the header lines only. Any bytes that reach
 * redis-parser have therefore been validated, and a protocol error is reported
 * with Redis's exact text at the command where Redis would report it.
 */
import RedisParser from 'redis-parser';
import { splitInlineArgs } from './inline.js';

/** PROTO_INLINE_MAX_SIZE: the longest inline request or header line. */
export const INLINE_MAX_SIZE = 64 * 1024;

/** V8's longest string; a bulk longer than this can't become an argument. */
const MAX_STRING_LENGTH = (1 << 29) - 24;

const CR = 13;
const STAR = 42;
const DOLLAR = 36;

const enum FrameState {
  /** Between commands: the next byte decides multibulk or inline. */
  Boundary,
  /** Reading the `*N` line. */
  MultibulkCount,
  /** Reading a `$len` line. */
  BulkLength,
  /** Skipping a bulk payload plus its CRLF. */
  BulkPayload,
  /** Reading an inline request line. */
  Inline,
  /** A protocol error was found: nothing more is accepted. */
  Failed,
}

export interface RequestParserLimits {
  /** proto-max-bulk-len */
  maxBulkLength: number;
}

export interface RequestParserEvents {
  /** A complete command, arguments as latin1 strings. */
  onCommand(argv: string[]): void;
  /** A protocol error; the message is the full `ERR Protocol error: ...` text. */
  onProtocolError(message: string): void;
  /** Whether the client must authenticate first (Redis lowers the limits then). */
  isAuthRequired(): boolean;
}

export class RequestParser {
  private state = FrameState.Boundary;
  /** Bytes of a header or inline line that arrived in an earlier chunk. */
  private partialLine = '';
  /** Bulks still to come in the current multibulk. */
  private bulksLeft = 0;
  /** Payload bytes (plus CRLF) still to skip in the current bulk. */
  private payloadLeft = 0;
  /** Bytes received for the command being framed (client-query-buffer-limit). */
  private commandBytes = 0;
  private readonly resp: RedisParser;

  /**
   * `borrowedChunks`: the caller reuses each chunk's memory once feed()
   * returns (the server reads every socket into one shared buffer). Nothing
   * here may then keep a reference to it: arguments are strings, which are
   * copies, and bytes for redis-parser, which keeps a command's partial
   * bytes between chunks, are copied first.
   */
  constructor(
    private readonly limits: RequestParserLimits,
    private readonly events: RequestParserEvents,
    private readonly borrowedChunks = false,
  ) {
    this.resp = new RedisParser({
      returnBuffers: true,
      returnReply: (reply: unknown) => {
        // `*0` and `*-1` frame as no command at all, as in Redis.
        if (!Array.isArray(reply) || reply.length === 0) return;
        const argv = new Array<string>(reply.length);
        for (let i = 0; i < reply.length; i++) {
          const arg = reply[i] as Buffer;
          argv[i] = arg.latin1Slice(0, arg.length);
        }
        events.onCommand(argv);
      },
      // The framer has already rejected anything redis-parser could not parse,
      // so these only fire on a framer bug; surface it as a protocol error.
      returnError: (err: Error) => this.fail('internal parser error: ' + err.message),
      returnFatalError: (err: Error) => this.fail('internal parser error: ' + err.message),
    });
  }

  /** Bytes held for a command that has not fully arrived yet. */
  get pendingBytes(): number {
    return this.commandBytes;
  }

  get failed(): boolean {
    return this.state === FrameState.Failed;
  }

  /**
   * Feeds bytes [0, end) of a chunk from the socket; commands are emitted
   * synchronously, in order. `end` lets a reader pass its whole read buffer
   * without making a view of it per read.
   */
  feed(chunk: Buffer, end = chunk.length): void {
    let pos = 0;
    // Start of the bytes that still need to be handed to redis-parser.
    let respStart = 0;

    while (pos < end) {
      switch (this.state) {
        case FrameState.Boundary: {
          this.commandBytes = 0;
          if (chunk[pos] === STAR) {
            const next = this.takeWholeCommand(chunk, pos, end, respStart);
            if (next !== -1) {
              pos = next;
              respStart = next;
              break;
            }
            this.state = FrameState.MultibulkCount;
            pos++;
            this.commandBytes++;
          } else {
            // Hand redis-parser everything before this inline request.
            if (pos > respStart) this.toResp(chunk, respStart, pos);
            this.state = FrameState.Inline;
          }
          break;
        }

        case FrameState.MultibulkCount: {
          // Redis finds the '\r' and assumes the '\n' after it.
          const lineStart = pos;
          let count: number | null;
          const cr = this.partialLine.length === 0 ? findCr(chunk, pos, end) : -1;
          if (cr !== -1) {
            // Fast path: the whole line is in this chunk; read it in place.
            count = parseLengthBytes(chunk, pos, cr);
            this.commandBytes += cr + 2 - pos;
            pos = cr + 2;
          } else {
            const line = this.readLine(chunk, pos, end);
            if (line === null) {
              if (this.partialLine.length > INLINE_MAX_SIZE) {
                return this.failAt(chunk, respStart, lineStart, 'too big mbulk count string');
              }
              pos = end;
              break;
            }
            pos = line.next;
            count = parseLength(line.text);
          }
          if (count === null || count > 2147483647) {
            return this.failAt(chunk, respStart, lineStart, 'invalid multibulk length');
          }
          if (count > 10 && this.events.isAuthRequired()) {
            return this.failAt(chunk, respStart, lineStart, 'unauthenticated multibulk length');
          }
          if (count <= 0) {
            this.state = FrameState.Boundary;
          } else {
            this.bulksLeft = count;
            this.state = FrameState.BulkLength;
          }
          break;
        }

        case FrameState.BulkLength: {
          const lineStart = pos;
          let length: number | null;
          const cr = this.partialLine.length === 0 ? findCr(chunk, pos, end) : -1;
          if (cr !== -1) {
            // Fast path: the whole line is in this chunk; read it in place.
            if (chunk[pos] !== DOLLAR) {
              const got = cr === pos ? '\r' : String.fromCharCode(chunk[pos]!);
              return this.failAt(chunk, respStart, lineStart, "expected '$', got '" + got + "'");
            }
            length = parseLengthBytes(chunk, pos + 1, cr);
            this.commandBytes += cr + 2 - pos;
            pos = cr + 2;
          } else {
            const line = this.readLine(chunk, pos, end);
            if (line === null) {
              if (this.partialLine.length > INLINE_MAX_SIZE) {
                return this.failAt(chunk, respStart, lineStart, 'too big bulk count string');
              }
              pos = end;
              break;
            }
            const text = line.text;
            if (text.charCodeAt(0) !== DOLLAR) {
              return this.failAt(chunk, respStart, lineStart, "expected '$', got '" + (text[0] ?? '\r') + "'");
            }
            pos = line.next;
            length = parseLength(text.slice(1));
          }
          if (length === null || length < 0 || length > this.limits.maxBulkLength || length > MAX_STRING_LENGTH) {
            return this.failAt(chunk, respStart, lineStart, 'invalid bulk length');
          }
          if (length > 16384 && this.events.isAuthRequired()) {
            return this.failAt(chunk, respStart, lineStart, 'unauthenticated bulk length');
          }
          this.payloadLeft = length + 2;
          this.state = FrameState.BulkPayload;
          break;
        }

        case FrameState.BulkPayload: {
          const take = Math.min(this.payloadLeft, end - pos);
          pos += take;
          this.commandBytes += take;
          this.payloadLeft -= take;
          if (this.payloadLeft === 0) {
            this.bulksLeft--;
            this.state = this.bulksLeft === 0 ? FrameState.Boundary : FrameState.BulkLength;
          }
          break;
        }

        case FrameState.Inline: {
          const newline = chunk.indexOf(10, pos);
          if (newline === -1 || newline >= end) {
            this.partialLine += chunk.latin1Slice(pos, end);
            this.commandBytes += end - pos;
            pos = end;
            respStart = end;
            if (this.partialLine.length > INLINE_MAX_SIZE) {
              this.state = FrameState.Failed;
              this.events.onProtocolError('ERR Protocol error: too big inline request');
              return;
            }
            break;
          }
          let line = this.partialLine + chunk.latin1Slice(pos, newline);
          this.partialLine = '';
          pos = newline + 1;
          respStart = pos;
          if (line.length > INLINE_MAX_SIZE) {
            this.state = FrameState.Failed;
            this.events.onProtocolError('ERR Protocol error: too big inline request');
            return;
          }
          if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
          const argv = splitInlineArgs(line);
          if (argv === null) {
            this.state = FrameState.Failed;
            this.events.onProtocolError('ERR Protocol error: unbalanced quotes in request');
            return;
          }
          this.state = FrameState.Boundary;
          // An empty line is no command (Redis skips it).
          if (argv.length > 0) this.events.onCommand(argv);
          break;
        }

        case FrameState.Failed:
          return;
      }
    }
    if (this.state !== FrameState.Inline && respStart < end) this.toResp(chunk, respStart, end);
  }

  /** Hands bytes [start, end) of the chunk to redis-parser, copied when the chunk is borrowed. */
  private toResp(chunk: Buffer, start: number, end: number): void {
    const bytes = chunk.subarray(start, end);
    this.resp.execute(this.borrowedChunks ? Buffer.from(bytes) : bytes);
  }

  /**
   * The fast path for the usual case, a multibulk command that lies wholly
   * inside this chunk with well-formed headers: its arguments are cut out
   * with one latin1Slice each, skipping redis-parser's Buffer per argument.
   * Returns the offset after the command, or -1 to let the state machine
   * (and redis-parser) take it, which is also where every error, limit and
   * split command is handled. Commands waiting at `respStart` go to
   * redis-parser first, so commands are still emitted in order.
   */
  private takeWholeCommand(chunk: Buffer, start: number, end: number, respStart: number): number {
    const countEnd = findCr(chunk, start + 1, end);
    if (countEnd === -1) return -1;
    const count = parseLengthBytes(chunk, start + 1, countEnd);
    // Each argument takes at least 6 bytes ($0 CRLF CRLF): a count the chunk
    // can't hold is a split (or hostile) command, and no array is made for it.
    if (count === null || count < 1 || count * 6 > end - countEnd) return -1;
    if (count > 10 && this.events.isAuthRequired()) return -1;
    const maxBulkLength = this.limits.maxBulkLength;
    const argv = new Array<string>(count);
    let pos = countEnd + 2;
    for (let i = 0; i < count; i++) {
      if (pos >= end || chunk[pos] !== DOLLAR) return -1;
      const lengthEnd = findCr(chunk, pos + 1, end);
      if (lengthEnd === -1) return -1;
      const length = parseLengthBytes(chunk, pos + 1, lengthEnd);
      if (length === null || length < 0 || length > maxBulkLength || length > MAX_STRING_LENGTH) return -1;
      if (length > 16384 && this.events.isAuthRequired()) return -1;
      const payload = lengthEnd + 2;
      // Like Redis, the two bytes after a payload are skipped unchecked.
      pos = payload + length + 2;
      if (pos > end) return -1;
      argv[i] = latin1String(chunk, payload, payload + length);
    }
    if (start > respStart) this.toResp(chunk, respStart, start);
    this.events.onCommand(argv);
    return pos;
  }

  /**
   * Reads a header line ending at '\r' (plus the byte after it, which Redis
   * skips without checking). Returns null, keeping the partial line, when the
   * line has not fully arrived.
   */
  private readLine(chunk: Buffer, pos: number, end: number): { text: string; next: number } | null {
    const held = this.partialLine;
    if (held.length !== 0 && held.charCodeAt(held.length - 1) === CR) {
      // The '\r' ended the previous chunk; this chunk's first byte is its '\n'.
      this.partialLine = '';
      this.commandBytes += 1;
      return { text: held.slice(0, -1), next: pos + 1 };
    }
    const cr = chunk.indexOf(CR, pos);
    if (cr === -1 || cr >= end - 1) {
      // The line, or the byte after its '\r', is still to come. A held line
      // ending in '\r' is complete as soon as one more byte arrives.
      this.partialLine = held + chunk.latin1Slice(pos, end);
      this.commandBytes += end - pos;
      return null;
    }
    this.partialLine = '';
    this.commandBytes += cr + 2 - pos;
    return { text: held + chunk.latin1Slice(pos, cr), next: cr + 2 };
  }

  /**
   * Stops at a bad header line. Every command before it is complete, so
   * redis-parser gets the bytes up to the start of that line (and not the line
   * itself, which could otherwise complete a command Redis rejects); their
   * replies go out before the error.
   */
  private failAt(chunk: Buffer, respStart: number, lineStart: number, detail: string): void {
    this.state = FrameState.Failed;
    if (lineStart > respStart) this.toResp(chunk, respStart, lineStart);
    this.events.onProtocolError('ERR Protocol error: ' + detail);
  }

  private fail(detail: string): void {
    if (this.state === FrameState.Failed) return;
    this.state = FrameState.Failed;
    this.events.onProtocolError('ERR Protocol error: ' + detail);
  }
}

const fromCharCode = String.fromCharCode;

/**
 * The latin1 string of bytes [s, e). Arguments are mostly short (command
 * names, keys, small values), and for those Buffer#latin1Slice is a C++ call
 * costing about 60 ns; String.fromCharCode with explicit arguments builds the
 * same one-byte string in about 30 ns for 16 bytes (a measured 2x on this
 * machine), which is a few percent of a whole GET or MSET. Longer ones take
 * latin1Slice, whose copy then dominates.
 */
function latin1String(b: Buffer, s: number, e: number): string {
  switch (e - s) {
    case 0:
      return '';
    case 1:
      return fromCharCode(b[s]!);
    case 2:
      return fromCharCode(b[s]!, b[s + 1]!);
    case 3:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!);
    case 11:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!);
    case 12:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!);
    case 13:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!);
    case 14:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!);
    case 15:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!);
    case 16:
      return fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!, b[s + 9]!, b[s + 10]!, b[s + 11]!, b[s + 12]!, b[s + 13]!, b[s + 14]!, b[s + 15]!);
    default:
      return b.latin1Slice(s, e);
  }
}

/**
 * The index of the '\r' ending a header line that starts at `start`, when
 * the line and the byte after its '\r' are both in this chunk; else -1.
 * Header lines are a few bytes long, so a JS loop beats indexOf's native
 * call here.
 */
function findCr(chunk: Buffer, start: number, end: number): number {
  for (let i = start; i < end - 1; i++) if (chunk[i] === CR) return i;
  return -1;
}

/** parseLength over bytes in place, without making a string. */
function parseLengthBytes(chunk: Buffer, start: number, end: number): number | null {
  const len = end - start;
  if (len === 0 || len > 20) return null;
  let i = start;
  let negative = false;
  if (chunk[i] === 45) {
    if (len === 1) return null;
    negative = true;
    i++;
  } else if (len === 1 && chunk[i] === 48) {
    return 0;
  }
  let c = chunk[i]!;
  if (c < 49 || c > 57) return null;
  let value = 0;
  for (; i < end; i++) {
    c = chunk[i]!;
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  return negative ? -value : value;
}

/**
 * string2ll as Redis applies it to lengths: optional '-', no '+', no leading
 * zeros, digits only. Returns null when Redis would reject the text.
 */
function parseLength(text: string): number | null {
  const len = text.length;
  if (len === 0 || len > 20) return null;
  if (len === 1 && text.charCodeAt(0) === 48) return 0;
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
    if (len === 1) return null;
  }
  let c = text.charCodeAt(i);
  if (c < 49 || c > 57) return null;
  let value = 0;
  for (; i < len; i++) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  // Past 2^53 precision is lost, but any such length is rejected by the
  // callers' limits anyway.
  return negative ? -value : value;
}
