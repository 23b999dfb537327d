/**
 * RequestParser: turns a connection's byte stream into commands (arrays of
 * latin1 strings), accepting both request formats Redis accepts.
 *
 * - Multibulk (`*N\r\n$len\r\n...`): a command that arrives whole in one
 *   chunk is cut out in place by the fast path; one split across chunks is
 *   assembled by the state machine, which keeps only what has arrived.
 * - Inline (`PING\r\n`, what `nc` and telnet send) is split with Redis's
 *   sdssplitargs rules (inline.ts).
 *
 * Both follow networking.c's processMultibulkBuffer and processInlineBuffer:
 * the same checks in the same order, the same limits and the same error
 * texts, at the command where Redis reports them. Three of its habits are
 * kept on purpose:
 *
 * - argv grows as arguments arrive. Redis sizes it at min(count, 1024), so a
 *   12-byte `*30000000\r\n` costs nothing until the elements come; here it is
 *   a JS array grown by push, and a bulk split across reads is copied into a
 *   buffer that doubles as its bytes arrive, never sized from the header.
 * - A line is looked at only once it has ended: Redis finds the '\r' first,
 *   and only then checks the '$' or parses the number.
 * - Line ends are found with strchr, which stops at a NUL byte. A NUL before
 *   the end of a header or inline line means the line never ends, so the
 *   client waits until 64 KB have piled up and gets "too big ... string".
 */
import { protocolError } from '../errors.js';
import { splitInlineArgs } from './inline.js';

/** PROTO_INLINE_MAX_SIZE: the longest inline request or unfinished header line. */
export const INLINE_MAX_SIZE = 64 * 1024;

/** V8's longest string; a bulk longer than this can't become an argument. */
const MAX_STRING_LENGTH = (1 << 29) - 24;

/** The largest multibulk count networking.c accepts (INT_MAX). */
const MAX_MULTIBULK_COUNT = 2147483647;

// What a client that must still authenticate may send (authRequired() in networking.c).
const UNAUTHENTICATED_MAX_COUNT = 10;
const UNAUTHENTICATED_MAX_BULK = 16384;

/**
 * The first buffer for a bulk that spans reads. It doubles as bytes arrive,
 * up to the bulk's length, so a header announcing 512 MB reserves nothing
 * the client has not sent (at most twice what it has).
 */
const SPLIT_BULK_FIRST_CAPACITY = 16 * 1024;

const NUL = 0;
const LF = 10;
const CR = 13;
const STAR = 42;
const DOLLAR = 36;
const MINUS = 45;

/** scanHeaderLine / scanInlineLine: a NUL came before the line's end, which strchr would never find. */
const LINE_BLOCKED = -2;

const enum FrameState {
  /** Between commands: the next byte decides multibulk or inline. */
  Boundary,
  /** Reading the `*N` line. */
  MultibulkCount,
  /** Reading a `$len` line. */
  BulkLength,
  /** Receiving a bulk payload (plus its CRLF) that spans chunks. */
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

/** The longest command name the parser keeps for reuse (Redis's longest is 20 bytes). */
const MAX_KEPT_COMMAND_NAME = 32;

/**
 * Nothing here keeps a reference to a chunk after feed() returns: arguments
 * are strings (copies), and partial lines and bulks are copied. So callers
 * may reuse a chunk's memory at once, as the server does with its one
 * shared read buffer.
 */
export class RequestParser {
  private state = FrameState.Boundary;
  /** The text of a line that began in an earlier chunk (empty once the line is blocked). */
  private heldLine = '';
  /** Bytes of that line received so far; 0 when no line is held. */
  private heldLineBytes = 0;
  /** A NUL came before the held line's end: it will never end. */
  private heldLineBlocked = false;
  /** Where the line that takeHeldLine() completed ends in the chunk. */
  private lineNext = 0;
  /** The arguments of the multibulk being assembled. */
  private argv: string[] = [];
  /** Arguments of that multibulk still to complete. */
  private bulksLeft = 0;
  /** The bulk that spans chunks: its length, its bytes so far, and the bytes (CRLF included) still due. */
  private bulkLength = 0;
  private bulk: Buffer | null = null;
  private bulkFilled = 0;
  private payloadLeft = 0;
  /** Bytes received for the command being framed (client-query-buffer-limit). */
  private commandBytes = 0;
  /**
   * The last command name made by the whole-command path. A pipeline
   * repeats its command, so the same string is handed out again while the
   * bytes match: no string is built, and the command table finds its entry
   * by identity (CommandTable.lookup) instead of hashing a new string.
   */
  private lastCommandName = '';

  constructor(
    private readonly limits: RequestParserLimits,
    private readonly events: RequestParserEvents,
  ) {}

  /** Bytes held for a command that has not fully arrived yet. */
  get pendingBytes(): number {
    return this.commandBytes;
  }

  /**
   * Bytes allocated for the split bulk and not yet filled: the only room
   * the parser reserves ahead of what has arrived (CLIENT LIST's qbuf-free).
   */
  get pendingRoom(): number {
    return this.bulk === null ? 0 : this.bulk.length - this.bulkFilled;
  }

  get failed(): boolean {
    return this.state === FrameState.Failed;
  }

  /**
   * Feeds bytes [0, end) of a chunk from the socket; commands are emitted
   * synchronously, in order. `end` lets a reader pass its whole read buffer
   * without making a view of it per read.
   *
   * Whole commands, the usual case, go to takeWholeCommand; whatever it
   * declines goes to the state machine in frame().
   */
  feed(chunk: Buffer, end = chunk.length): void {
    let pos = 0;
    while (pos < end && this.state !== FrameState.Failed) {
      if (this.state === FrameState.Boundary && chunk[pos] === STAR) {
        const next = this.takeWholeCommand(chunk, pos, end);
        if (next !== -1) {
          pos = next;
          continue;
        }
      }
      pos = this.frame(chunk, pos, end);
    }
  }

  /**
   * The state machine: frames from `pos` until one command (or an empty
   * one) is done, the chunk ends, or a protocol error stops everything.
   * Returns where it stopped.
   */
  private frame(chunk: Buffer, pos: number, end: number): number {
    if (this.state === FrameState.Boundary) this.state = chunk[pos] === STAR ? FrameState.MultibulkCount : FrameState.Inline;
    while (pos < end) {
      switch (this.state) {
        case FrameState.Boundary:
        case FrameState.Failed:
          return pos;

        case FrameState.MultibulkCount: {
          let count: number | null;
          const cr = this.heldLineBytes === 0 ? scanHeaderLine(chunk, pos, end) : -1;
          if (cr >= 0 && cr + 1 < end) {
            // The whole line is in this chunk: read it in place.
            count = parseLengthBytes(chunk, pos + 1, cr);
            this.commandBytes += cr + 2 - pos;
            pos = cr + 2;
          } else {
            const line = this.takeHeldLine(chunk, pos, end, cr, CR);
            if (line === null) {
              if (this.lineOverflowed()) return this.fail(end, 'too big mbulk count string');
              return end;
            }
            pos = this.lineNext;
            count = parseLength(line, 1);
          }
          if (count === null || count > MAX_MULTIBULK_COUNT) return this.fail(end, 'invalid multibulk length');
          if (count > UNAUTHENTICATED_MAX_COUNT && this.events.isAuthRequired()) {
            return this.fail(end, 'unauthenticated multibulk length');
          }
          if (count <= 0) {
            // `*0` and negative counts are no command at all, as in Redis.
            this.commandBytes = 0;
            this.state = FrameState.Boundary;
          } else {
            this.bulksLeft = count;
            this.state = FrameState.BulkLength;
          }
          break;
        }

        case FrameState.BulkLength: {
          let length: number | null;
          const cr = this.heldLineBytes === 0 ? scanHeaderLine(chunk, pos, end) : -1;
          if (cr >= 0 && cr + 1 < end) {
            if (chunk[pos] !== DOLLAR) return this.fail(end, "expected '$', got '" + String.fromCharCode(chunk[pos]!) + "'");
            length = parseLengthBytes(chunk, pos + 1, cr);
            this.commandBytes += cr + 2 - pos;
            pos = cr + 2;
          } else {
            const line = this.takeHeldLine(chunk, pos, end, cr, CR);
            if (line === null) {
              if (this.lineOverflowed()) return this.fail(end, 'too big bulk count string');
              return end;
            }
            // An empty line: Redis names the '\r' it found (the reply shows it as a space).
            if (line.charCodeAt(0) !== DOLLAR) return this.fail(end, "expected '$', got '" + (line.length === 0 ? '\r' : line[0]) + "'");
            pos = this.lineNext;
            length = parseLength(line, 1);
          }
          if (length === null || length < 0 || length > this.limits.maxBulkLength || length > MAX_STRING_LENGTH) {
            return this.fail(end, 'invalid bulk length');
          }
          if (length > UNAUTHENTICATED_MAX_BULK && this.events.isAuthRequired()) {
            return this.fail(end, 'unauthenticated bulk length');
          }
          if (end - pos >= length + 2) {
            // Like Redis, the two bytes after a payload are skipped unchecked.
            this.argv.push(latin1String(chunk, pos, pos + length));
            pos += length + 2;
            this.commandBytes += length + 2;
            if (--this.bulksLeft === 0) this.emitCommand();
          } else {
            this.bulkLength = length;
            this.bulkFilled = 0;
            this.payloadLeft = length + 2;
            this.state = FrameState.BulkPayload;
          }
          break;
        }

        case FrameState.BulkPayload: {
          const take = Math.min(this.payloadLeft, end - pos);
          const data = Math.min(take, this.payloadLeft - 2);
          if (data > 0) this.appendToBulk(chunk, pos, pos + data);
          pos += take;
          this.commandBytes += take;
          this.payloadLeft -= take;
          if (this.payloadLeft === 0) {
            this.argv.push(this.takeBulk());
            if (--this.bulksLeft === 0) this.emitCommand();
            else this.state = FrameState.BulkLength;
          }
          break;
        }

        case FrameState.Inline: {
          let line: string;
          const newline = this.heldLineBytes === 0 ? scanInlineLine(chunk, pos, end) : -1;
          if (newline >= 0) {
            line = chunk.latin1Slice(pos, newline);
            pos = newline + 1;
          } else {
            const held = this.takeHeldLine(chunk, pos, end, newline, LF);
            if (held === null) {
              if (this.heldLineBytes > INLINE_MAX_SIZE) return this.fail(end, 'too big inline request');
              return end;
            }
            line = held;
            pos = this.lineNext;
          }
          // Redis checks the size only while the line is unfinished, between
          // its 16 KB reads; here a finished line is held to the same 64 KB
          // whatever the reads, so the limit does not depend on timing.
          if (line.length > INLINE_MAX_SIZE) return this.fail(end, 'too big inline request');
          if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
          const argv = splitInlineArgs(line);
          if (argv === null) return this.fail(end, 'unbalanced quotes in request');
          this.commandBytes = 0;
          this.state = FrameState.Boundary;
          // An empty line is no command (Redis skips it).
          if (argv.length > 0) this.events.onCommand(argv);
          break;
        }
      }
    }
    return pos;
  }

  /**
   * The fast path for the usual case, a multibulk command that lies wholly
   * inside this chunk with well-formed headers: its arguments are cut out
   * with one string copy each. Returns the offset after the command, or -1
   * to let the state machine take it, which is also where every error,
   * limit and split command is handled.
   */
  private takeWholeCommand(chunk: Buffer, start: number, end: number): number {
    const countEnd = findCr(chunk, start + 1, end);
    if (countEnd === -1) return -1;
    const count = parseLengthBytes(chunk, start + 1, countEnd);
    // Each argument takes at least 6 bytes ($0 CRLF CRLF): a count the chunk
    // can't hold is a split (or hostile) command, and no array is made for it.
    if (count === null || count < 1 || count * 6 > end - countEnd) return -1;
    if (count > UNAUTHENTICATED_MAX_COUNT && this.events.isAuthRequired()) return -1;
    const maxBulkLength = this.limits.maxBulkLength;
    const argv = new Array<string>(count);
    let pos = countEnd + 2;
    for (let i = 0; i < count; i++) {
      if (pos >= end || chunk[pos] !== DOLLAR) return -1;
      const lengthEnd = findCr(chunk, pos + 1, end);
      if (lengthEnd === -1) return -1;
      const length = parseLengthBytes(chunk, pos + 1, lengthEnd);
      if (length === null || length < 0 || length > maxBulkLength || length > MAX_STRING_LENGTH) return -1;
      if (length > UNAUTHENTICATED_MAX_BULK && this.events.isAuthRequired()) return -1;
      const payload = lengthEnd + 2;
      // Like Redis, the two bytes after a payload are skipped unchecked.
      pos = payload + length + 2;
      if (pos > end) return -1;
      argv[i] = i === 0 ? this.commandName(chunk, payload, length) : latin1String(chunk, payload, payload + length);
    }
    this.events.onCommand(argv);
    return pos;
  }

  /**
   * The `length` bytes at `start` as a string: lastCommandName when they
   * spell it. Only a name that could be a command's is kept, so a huge
   * first argument is not held after its command.
   */
  private commandName(chunk: Buffer, start: number, length: number): string {
    const last = this.lastCommandName;
    if (last.length === length) {
      let i = 0;
      while (i < length && chunk[start + i] === last.charCodeAt(i)) i++;
      if (i === length) return last;
    }
    const name = latin1String(chunk, start, start + length);
    if (length <= MAX_KEPT_COMMAND_NAME) this.lastCommandName = name;
    return name;
  }

  /**
   * A line that began in an earlier chunk, or one this chunk does not
   * finish. `scanned` is the line end already found in this chunk from
   * `pos` (or -1 / LINE_BLOCKED), valid only when nothing was held; lines
   * end at `terminator`, and a header line (terminator CR) also needs the
   * byte after its '\r', which Redis skips unchecked. Returns the whole line
   * and sets `lineNext`, or holds what arrived and returns null.
   */
  private takeHeldLine(chunk: Buffer, pos: number, end: number, scanned: number, terminator: number): string | null {
    const held = this.heldLine;
    let lineEnd = scanned;
    if (this.heldLineBytes !== 0) {
      if (this.heldLineBlocked) {
        this.holdLine(chunk, pos, end, true);
        return null;
      }
      if (terminator === CR && held.charCodeAt(held.length - 1) === CR) {
        // The '\r' ended the previous chunk; this chunk's first byte follows it.
        this.releaseLine();
        this.commandBytes += 1;
        this.lineNext = pos + 1;
        return held.slice(0, -1);
      }
      lineEnd = terminator === CR ? scanHeaderLine(chunk, pos, end) : scanInlineLine(chunk, pos, end);
    }
    const next = terminator === CR ? lineEnd + 2 : lineEnd + 1;
    if (lineEnd < 0 || next > end) {
      this.holdLine(chunk, pos, end, lineEnd === LINE_BLOCKED);
      return null;
    }
    const line = held + chunk.latin1Slice(pos, lineEnd);
    this.releaseLine();
    this.commandBytes += next - pos;
    this.lineNext = next;
    return line;
  }

  private holdLine(chunk: Buffer, pos: number, end: number, blocked: boolean): void {
    this.heldLineBytes += end - pos;
    this.commandBytes += end - pos;
    if (blocked) {
      // The text is never needed: the line can only end in an error.
      this.heldLineBlocked = true;
      this.heldLine = '';
    } else {
      this.heldLine += chunk.latin1Slice(pos, end);
    }
  }

  private releaseLine(): void {
    this.heldLine = '';
    this.heldLineBytes = 0;
    this.heldLineBlocked = false;
  }

  /**
   * Whether an unfinished header line has passed 64 KB. Redis checks only
   * when it found no '\r' at all: a line whose '\r' is the last byte so far
   * waits for one more byte, however long it is.
   */
  private lineOverflowed(): boolean {
    if (this.heldLineBytes <= INLINE_MAX_SIZE) return false;
    const held = this.heldLine;
    return this.heldLineBlocked || held.charCodeAt(held.length - 1) !== CR;
  }

  /** Copies bytes [start, end) of a chunk onto the split bulk, growing its buffer as needed. */
  private appendToBulk(chunk: Buffer, start: number, end: number): void {
    const needed = this.bulkFilled + (end - start);
    let bulk = this.bulk;
    if (bulk === null || needed > bulk.length) {
      const capacity = Math.min(this.bulkLength, Math.max(needed, SPLIT_BULK_FIRST_CAPACITY, bulk === null ? 0 : bulk.length * 2));
      const grown = Buffer.allocUnsafe(capacity);
      if (bulk !== null) bulk.copy(grown, 0, 0, this.bulkFilled);
      this.bulk = bulk = grown;
    }
    chunk.copy(bulk, this.bulkFilled, start, end);
    this.bulkFilled = needed;
  }

  /** The finished split bulk as a string; its buffer is dropped. */
  private takeBulk(): string {
    const bulk = this.bulk;
    this.bulk = null;
    return bulk === null ? '' : latin1String(bulk, 0, this.bulkLength);
  }

  private emitCommand(): void {
    const argv = this.argv;
    this.argv = [];
    this.commandBytes = 0;
    this.state = FrameState.Boundary;
    this.events.onCommand(argv);
  }

  /**
   * Stops at a protocol error: what was held for the unfinished command is
   * let go, and the rest of the chunk (up to `end`, returned) is ignored.
   */
  private fail(end: number, detail: string): number {
    this.state = FrameState.Failed;
    this.argv = [];
    this.bulk = null;
    this.releaseLine();
    this.commandBytes = 0;
    this.events.onProtocolError(protocolError(detail));
    return end;
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
 * The fast path's line end: the index of the '\r' ending a header line that
 * starts at `start`, when the byte after it is in the chunk too; else -1.
 * It need not stop at a NUL as scanHeaderLine does: a NUL is no digit, so a
 * line holding one fails to parse and goes to the state machine anyway.
 * Header lines are a few bytes long, so a JS loop beats indexOf's native
 * call here.
 */
function findCr(chunk: Buffer, start: number, end: number): number {
  for (let i = start; i < end - 1; i++) if (chunk[i] === CR) return i;
  return -1;
}

/**
 * Where a header line starting at `start` ends: the index of its '\r', -1
 * when no '\r' is in [start, end), or LINE_BLOCKED when a NUL comes first
 * (Redis's strchr stops there). The caller checks that the byte after the
 * '\r' has arrived too.
 */
function scanHeaderLine(chunk: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = chunk[i]!;
    if (c <= CR) {
      if (c === CR) return i;
      if (c === NUL) return LINE_BLOCKED;
    }
  }
  return -1;
}

/** Where an inline line starting at `start` ends: its '\n', -1, or LINE_BLOCKED as above. */
function scanInlineLine(chunk: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = chunk[i]!;
    if (c <= LF) {
      if (c === LF) return i;
      if (c === NUL) return LINE_BLOCKED;
    }
  }
  return -1;
}

/**
 * Whether a run of digits, all of them '0'-'9' and the first not '0', lies
 * outside int64 (LLONG_MAX = 9223372036854775807, one more for negatives).
 */
function outsideInt64(digits: string, negative: boolean): boolean {
  if (digits.length !== 19) return digits.length > 19;
  return digits > (negative ? '9223372036854775808' : '9223372036854775807');
}

/** parseLength over bytes [start, end) in place, without making a string. */
function parseLengthBytes(chunk: Buffer, start: number, end: number): number | null {
  const len = end - start;
  if (len === 0 || len > 20) return null;
  let i = start;
  let negative = false;
  if (chunk[i] === MINUS) {
    if (len === 1) return null;
    negative = true;
    i++;
  } else if (len === 1 && chunk[i] === 48) {
    return 0;
  }
  let c = chunk[i]!;
  if (c < 49 || c > 57) return null;
  const firstDigit = i;
  let value = 0;
  for (; i < end; i++) {
    c = chunk[i]!;
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  // Doubles are exact to 2^53 (16 digits): only longer lengths need the exact int64 check.
  if (len >= 19 && outsideInt64(chunk.latin1Slice(firstDigit, end), negative)) return null;
  return negative ? -value : value;
}

/**
 * string2ll as Redis applies it to lengths, on text[from..]: optional '-',
 * no '+', no leading zeros, digits only, within int64. Returns null when
 * Redis would reject the text. Past 2^53 the value is rounded, but every
 * such length is beyond the callers' limits anyway.
 */
function parseLength(text: string, from: number): number | null {
  const len = text.length - from;
  if (len === 0 || len > 20) return null;
  if (len === 1 && text.charCodeAt(from) === 48) return 0;
  let i = from;
  let negative = false;
  if (text.charCodeAt(i) === MINUS) {
    if (len === 1) return null;
    negative = true;
    i++;
  }
  let c = text.charCodeAt(i);
  if (c < 49 || c > 57) return null;
  const firstDigit = i;
  let value = 0;
  for (; i < text.length; i++) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    value = value * 10 + (c - 48);
  }
  if (text.length - firstDigit >= 19 && outsideInt64(text.slice(firstDigit), negative)) return null;
  return negative ? -value : value;
}
