/**
 * A raw RESP client for tests that care about exact bytes on the wire.
 *
 * `RawClient` speaks to a server over TCP and hands back each reply as the
 * exact bytes the server sent (a `Buffer`), never a decoded value, so that a
 * test can compare two servers byte for byte or assert a precise encoding.
 * Replies are framed from the stream by a resumable scanner that understands
 * every RESP2 and RESP3 type:
 *
 *   + - : _ , # ( simple lines      $ ! =  length-prefixed blobs
 *   * ~ >  counted aggregates       % |    counted key/value aggregates
 *   $?  ;N chunks  ;0               streamed string (RESP3)
 *   *? ~? %? >? |?  ...  .          streamed aggregates (RESP3)
 *
 * An attribute (`|`) is framed together with the value it annotates, so one
 * frame is always one logical reply. Push frames (`>`) are returned in stream
 * order like any other frame: a test that expects out-of-band pushes (pub/sub,
 * client tracking) reads them with `readReply()`.
 *
 * Strings passed as command arguments are encoded as latin1, so each
 * character maps to one byte and "\x00" or "\xff" reach the server unchanged.
 * The decoders below (`parseReply`, `replyToJs`) use latin1 for the same
 * reason: decoding then re-encoding a reply is lossless.
 */
import net from 'node:net';
import tls from 'node:tls';

/** One argument of a command: strings are sent as latin1 bytes. */
export type CommandArg = string | Buffer | number | bigint;
export type Command = readonly CommandArg[];

/** Thrown when the byte stream is not valid RESP. */
export class RespProtocolError extends Error {
  override name = 'RespProtocolError';
}

function argToBuffer(arg: CommandArg): Buffer {
  return Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'latin1');
}

/** Encodes one command as a RESP multibulk (`*N` then N bulk strings). */
export function encodeCommand(args: Command): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const arg of args) {
    const bytes = argToBuffer(arg);
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, CRLF);
  }
  return Buffer.concat(parts);
}

const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * Renders bytes as a readable double-quoted string: printable ASCII as is,
 * `\r \n \t \" \\` escaped, every other byte as `\xHH`. Used in failure
 * messages, where the difference between two replies may be a single byte.
 */
export function escapeBytes(bytes: Buffer | string, maxLength = Infinity): string {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  let out = '"';
  const end = Math.min(buf.length, maxLength);
  for (let i = 0; i < end; i++) {
    const b = buf[i]!;
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  out += '"';
  if (buf.length > end) out += `...(${buf.length - end} more bytes)`;
  return out;
}

/** Renders a command for humans: each argument escaped, space separated. */
export function formatCommand(args: Command, maxArgLength = 80): string {
  return args.map((arg) => escapeBytes(argToBuffer(arg), maxArgLength)).join(' ');
}

// ---------------------------------------------------------------------------
// Framing
// ---------------------------------------------------------------------------

interface OpenAggregate {
  /** Elements still expected; Infinity for streamed aggregates. */
  remaining: number;
  /** For streamed types: the byte that ends them ('.' or ';'). */
  streamedUntil: '.' | ';' | null;
}

const SIMPLE_TYPES = new Set(['+', '-', ':', '_', ',', '#', '(']);
const BLOB_TYPES = new Set(['$', '!', '=']);
const AGGREGATE_TYPES = new Set(['*', '~', '>', '%', '|']);

function parseLength(line: string, type: string): number {
  if (!/^-?\d+$/.test(line)) {
    throw new RespProtocolError(`invalid length ${JSON.stringify(line)} after '${type}'`);
  }
  return Number(line);
}

/**
 * Finds where complete replies end in a growing byte buffer.
 *
 * The framer keeps its scan position and the stack of open aggregates between
 * calls, so a large reply arriving in many TCP chunks is scanned once rather
 * than from the start on every chunk. `view` must always begin at the start of
 * the current frame and only ever grow until `next()` reports a frame end;
 * after that the caller drops the frame's bytes and the framer starts afresh.
 */
export class ReplyFramer {
  private pos = 0;
  private stack: OpenAggregate[] = [];

  /** Returns the end offset of the complete first frame in `view`, or -1. */
  next(view: Buffer): number {
    while (this.pos < view.length) {
      const done = this.step(view);
      if (done === null) return -1;
      if (done) {
        const end = this.pos;
        this.reset();
        return end;
      }
    }
    return -1;
  }

  reset(): void {
    this.pos = 0;
    this.stack = [];
  }

  /** Consumes one token. Returns null if incomplete, true when a frame ends. */
  private step(view: Buffer): boolean | null {
    const lineEnd = view.indexOf(CRLF, this.pos + 1);
    if (lineEnd === -1) return null;
    const type = String.fromCharCode(view[this.pos]!);
    const line = view.toString('latin1', this.pos + 1, lineEnd);
    const afterLine = lineEnd + 2;
    const top = this.stack[this.stack.length - 1];

    if (SIMPLE_TYPES.has(type)) {
      this.pos = afterLine;
      return this.completeElement();
    }
    if (BLOB_TYPES.has(type)) {
      if (line === '?' && type === '$') {
        this.pos = afterLine;
        this.stack.push({ remaining: Infinity, streamedUntil: ';' });
        return false;
      }
      const length = parseLength(line, type);
      if (length < 0) {
        if (length !== -1 || type !== '$') throw new RespProtocolError(`invalid length ${length} for '${type}'`);
        this.pos = afterLine;
        return this.completeElement();
      }
      return this.consumeBlob(view, afterLine, length) ? this.completeElement() : null;
    }
    if (type === ';') {
      if (top?.streamedUntil !== ';') throw new RespProtocolError("';' chunk outside a streamed string");
      const length = parseLength(line, type);
      if (length === 0) {
        this.pos = afterLine;
        this.stack.pop();
        return this.completeElement();
      }
      // A chunk is part of the streamed string, not an element of anything.
      return this.consumeBlob(view, afterLine, length) ? false : null;
    }
    if (type === '.') {
      if (top?.streamedUntil !== '.') throw new RespProtocolError("'.' outside a streamed aggregate");
      this.pos = afterLine;
      this.stack.pop();
      return this.completeElement();
    }
    if (AGGREGATE_TYPES.has(type)) {
      this.pos = afterLine;
      if (line === '?') {
        this.stack.push({ remaining: Infinity, streamedUntil: '.' });
        return false;
      }
      const count = parseLength(line, type);
      if (count < 0) {
        if (count !== -1 || type !== '*') throw new RespProtocolError(`invalid count ${count} for '${type}'`);
        return this.completeElement();
      }
      // A map holds 2n values; an attribute holds 2n values and then the
      // value it annotates, which together count as one element.
      const elements = type === '%' ? 2 * count : type === '|' ? 2 * count + 1 : count;
      if (elements === 0) return this.completeElement();
      this.stack.push({ remaining: elements, streamedUntil: null });
      return false;
    }
    throw new RespProtocolError(`unknown reply type byte 0x${view[this.pos]!.toString(16)} (${JSON.stringify(type)})`);
  }

  private consumeBlob(view: Buffer, start: number, length: number): boolean {
    const end = start + length;
    if (view.length < end + 2) return false;
    if (view[end] !== 0x0d || view[end + 1] !== 0x0a) {
      throw new RespProtocolError(`blob of length ${length} not followed by CRLF`);
    }
    this.pos = end + 2;
    return true;
  }

  /** Marks one value complete, closing every aggregate it fills up. */
  private completeElement(): boolean {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top) return true;
      top.remaining -= 1;
      if (top.remaining > 0) return false;
      this.stack.pop();
    }
  }
}

/** Byte length of the first complete reply in `buf` (from `start`), or -1. */
export function frameLength(buf: Buffer, start = 0): number {
  return new ReplyFramer().next(start === 0 ? buf : buf.subarray(start));
}

/** Splits a buffer holding several whole replies into one Buffer per reply. */
export function splitReplies(buf: Buffer): Buffer[] {
  const replies: Buffer[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const length = frameLength(buf, offset);
    if (length === -1) throw new RespProtocolError(`incomplete reply at offset ${offset}: ${escapeBytes(buf.subarray(offset), 200)}`);
    replies.push(buf.subarray(offset, offset + length));
    offset += length;
  }
  return replies;
}

/**
 * Splits one complete aggregate reply into its header line and the raw bytes
 * of each direct child; null if the reply is not an aggregate (or is a
 * streamed one). A leading attribute is skipped. Normalisers use this to
 * reorder children while still comparing bytes, not decoded values.
 */
export function splitAggregate(raw: Buffer): { header: Buffer; type: string; children: Buffer[] } | null {
  let offset = 0;
  if (raw[0] === 0x7c /* | */) {
    const headerEnd = raw.indexOf(CRLF);
    const pairs = Number(raw.toString('latin1', 1, headerEnd));
    offset = headerEnd + 2;
    for (let i = 0; i < 2 * pairs; i++) offset += frameLength(raw, offset);
  }
  const type = String.fromCharCode(raw[offset]!);
  if (!'*~>%'.includes(type)) return null;
  const headerEnd = raw.indexOf(CRLF, offset);
  const countText = raw.toString('latin1', offset + 1, headerEnd);
  if (countText === '?' || countText === '-1') return null;
  const count = Number(countText) * (type === '%' ? 2 : 1);
  const children: Buffer[] = [];
  let childStart = headerEnd + 2;
  for (let i = 0; i < count; i++) {
    const length = frameLength(raw, childStart);
    if (length === -1) throw new RespProtocolError(`aggregate child ${i} incomplete in ${escapeBytes(raw, 200)}`);
    children.push(raw.subarray(childStart, childStart + length));
    childStart += length;
  }
  return { header: raw.subarray(offset, headerEnd + 2), type, children };
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

/** A decoded reply that keeps the RESP type of every value. */
export type RespValue = (
  | { type: 'simple'; value: string }
  | { type: 'error'; value: string; blob: boolean }
  | { type: 'integer'; value: bigint }
  | { type: 'bulk'; value: Buffer }
  | { type: 'verbatim'; format: string; value: Buffer }
  | { type: 'null'; encoding: '_' | '$-1' | '*-1' }
  | { type: 'double'; value: number; text: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'bignum'; value: bigint }
  | { type: 'array' | 'set' | 'push'; items: RespValue[] }
  | { type: 'map'; entries: Array<[RespValue, RespValue]> }
) & { attributes?: Array<[RespValue, RespValue]> };

function parseDouble(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  return Number(text);
}

/** Decodes one complete reply (as returned by `RawClient`) into a `RespValue`. */
export function parseReply(raw: Buffer): RespValue {
  const [value, end] = parseValueAt(raw, 0);
  if (end !== raw.length) throw new RespProtocolError(`${raw.length - end} trailing bytes after reply`);
  return value;
}

function parseValueAt(buf: Buffer, start: number): [RespValue, number] {
  const lineEnd = buf.indexOf(CRLF, start + 1);
  if (lineEnd === -1) throw new RespProtocolError(`incomplete reply at offset ${start}`);
  const type = String.fromCharCode(buf[start]!);
  const line = buf.toString('latin1', start + 1, lineEnd);
  let pos = lineEnd + 2;
  const readBlob = (length: number): Buffer => {
    if (buf.length < pos + length + 2) throw new RespProtocolError('incomplete blob');
    const blob = buf.subarray(pos, pos + length);
    pos += length + 2;
    return blob;
  };
  const readItems = (count: number): RespValue[] => {
    const items: RespValue[] = [];
    if (count === -2) {
      // Streamed aggregate: values until a '.' line.
      while (buf[pos] !== 0x2e /* . */) {
        const [item, next] = parseValueAt(buf, pos);
        items.push(item);
        pos = next;
      }
      pos += 3;
    } else {
      for (let i = 0; i < count; i++) {
        const [item, next] = parseValueAt(buf, pos);
        items.push(item);
        pos = next;
      }
    }
    return items;
  };
  const toPairs = (items: RespValue[]): Array<[RespValue, RespValue]> => {
    const pairs: Array<[RespValue, RespValue]> = [];
    for (let i = 0; i + 1 < items.length; i += 2) pairs.push([items[i]!, items[i + 1]!]);
    return pairs;
  };
  const count = (): number => (line === '?' ? -2 : parseLength(line, type));

  switch (type) {
    case '+': return [{ type: 'simple', value: line }, pos];
    case '-': return [{ type: 'error', value: line, blob: false }, pos];
    case ':': return [{ type: 'integer', value: BigInt(line) }, pos];
    case '_': return [{ type: 'null', encoding: '_' }, pos];
    case ',': return [{ type: 'double', value: parseDouble(line), text: line }, pos];
    case '#': return [{ type: 'boolean', value: line === 't' }, pos];
    case '(': return [{ type: 'bignum', value: BigInt(line) }, pos];
    case '$': {
      if (line === '?') {
        const chunks: Buffer[] = [];
        for (;;) {
          const chunkEnd = buf.indexOf(CRLF, pos);
          const length = parseLength(buf.toString('latin1', pos + 1, chunkEnd), ';');
          pos = chunkEnd + 2;
          if (length === 0) break;
          chunks.push(readBlob(length));
        }
        return [{ type: 'bulk', value: Buffer.concat(chunks) }, pos];
      }
      const length = parseLength(line, type);
      if (length === -1) return [{ type: 'null', encoding: '$-1' }, pos];
      return [{ type: 'bulk', value: readBlob(length) }, pos];
    }
    case '!': return [{ type: 'error', value: readBlob(parseLength(line, type)).toString('latin1'), blob: true }, pos];
    case '=': {
      const blob = readBlob(parseLength(line, type));
      return [{ type: 'verbatim', format: blob.toString('latin1', 0, 3), value: blob.subarray(4) }, pos];
    }
    case '*': {
      const n = count();
      if (n === -1) return [{ type: 'null', encoding: '*-1' }, pos];
      return [{ type: 'array', items: readItems(n) }, pos];
    }
    case '~': return [{ type: 'set', items: readItems(count()) }, pos];
    case '>': return [{ type: 'push', items: readItems(count()) }, pos];
    case '%': {
      const n = count();
      return [{ type: 'map', entries: toPairs(readItems(n === -2 ? n : 2 * n)) }, pos];
    }
    case '|': {
      const n = count();
      const attributes = toPairs(readItems(n === -2 ? n : 2 * n));
      const [value, next] = parseValueAt(buf, pos);
      return [{ ...value, attributes }, next];
    }
    default:
      throw new RespProtocolError(`unknown reply type ${JSON.stringify(type)}`);
  }
}

/** A plain-JS view of a reply: what `replyToJs` produces. */
export type JsReply =
  | string
  | number
  | bigint
  | boolean
  | null
  | { error: string }
  | JsReply[]
  | Map<JsReply, JsReply>;

/**
 * Converts a reply to plain JS for easy assertions: strings (latin1) for
 * simple, bulk and verbatim strings; numbers for integers (bigint if beyond
 * 2^53) and doubles; `{ error }` for errors; arrays for arrays, sets and
 * pushes; `Map` for maps. Attributes are dropped. Use `parseReply` when the
 * RESP type itself matters.
 */
export function replyToJs(reply: Buffer | RespValue): JsReply {
  const value = Buffer.isBuffer(reply) ? parseReply(reply) : reply;
  switch (value.type) {
    case 'simple': return value.value;
    case 'error': return { error: value.value };
    case 'integer': {
      const n = Number(value.value);
      return Number.isSafeInteger(n) ? n : value.value;
    }
    case 'bulk':
    case 'verbatim': return value.value.toString('latin1');
    case 'null': return null;
    case 'double': return value.value;
    case 'boolean': return value.value;
    case 'bignum': return value.value;
    case 'array':
    case 'set':
    case 'push': return value.items.map((item) => replyToJs(item));
    case 'map': return new Map(value.entries.map(([k, v]) => [replyToJs(k), replyToJs(v)]));
  }
}

/**
 * A RESP2 reply with its strings as text: simple and bulk strings as latin1
 * strings, integers as numbers (rounded past 2^53, as `Number(text)` does),
 * errors as `Error`s carrying the error text, null bulks and arrays as null.
 * What the unit tests' checks against redis-server were written for.
 */
export type PlainReply = string | number | null | Error | PlainReply[];

export function replyToPlain(reply: Buffer | RespValue): PlainReply {
  const value = Buffer.isBuffer(reply) ? parseReply(reply) : reply;
  switch (value.type) {
    case 'simple': return value.value;
    case 'error': return new Error(value.value);
    case 'integer': return Number(value.value);
    case 'bulk': return value.value.toString('latin1');
    case 'null': return null;
    case 'array': return value.items.map((item) => replyToPlain(item));
    default: throw new RespProtocolError(`replyToPlain: no RESP2 reply of type ${value.type}`);
  }
}

/** An error reply in a `TypedReply`: just its text. */
export class ErrorReply {
  constructor(readonly message: string) {}
}

/**
 * A RESP2 reply with every type kept apart: simple strings as strings, bulk
 * strings as Buffers, integers as bigints, errors as `ErrorReply`, null bulks
 * and arrays as null. For checks of binary values against redis-server.
 */
export type TypedReply = string | Buffer | bigint | ErrorReply | null | TypedReply[];

export function replyToTyped(reply: Buffer | RespValue): TypedReply {
  const value = Buffer.isBuffer(reply) ? parseReply(reply) : reply;
  switch (value.type) {
    case 'simple': return value.value;
    case 'error': return new ErrorReply(value.value);
    case 'integer': return value.value;
    case 'bulk': return value.value;
    case 'null': return null;
    case 'array': return value.items.map((item) => replyToTyped(item));
    default: throw new RespProtocolError(`replyToTyped: no RESP2 reply of type ${value.type}`);
  }
}

/** True if the raw reply is an error (`-` simple error or `!` blob error). */
export function isErrorReply(raw: Buffer): boolean {
  return raw[0] === 0x2d || raw[0] === 0x21;
}

// ---------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------

export interface RawClientOptions {
  host?: string;
  /** How long `call`, `pipeline` and `readReply` wait for a reply. */
  replyTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Connect with TLS, with these options (ca, cert, key...); resolves once the handshake is done. */
  tls?: tls.ConnectionOptions;
}

interface ReplyWaiter {
  resolve(frame: Buffer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A TCP connection that sends commands and returns raw reply bytes.
 *
 * Reads come in two styles that share one byte buffer: framed reads
 * (`call`, `pipeline`, `readReply`) take one complete reply at a time, and
 * `readRaw` takes every unread byte regardless of framing, for protocol tests
 * that expect malformed or partial output. Don't start a raw read while a
 * framed read is pending; the client throws if you do.
 */
export class RawClient {
  private storage = Buffer.alloc(16 * 1024);
  /** Unread bytes live in storage[readOffset, writeOffset). */
  private readOffset = 0;
  private writeOffset = 0;
  private readonly framer = new ReplyFramer();
  private readonly waiters: ReplyWaiter[] = [];
  private rawReadPending = false;
  private closedByPeer = false;
  private socketError: Error | null = null;
  /** Set when the stream stops being valid RESP; framed reads fail until readRaw drains it. */
  private protocolError: Error | null = null;
  private readonly closedPromise: Promise<void>;
  private readonly closeListeners = new Set<() => void>();
  private readonly replyTimeoutMs: number;

  private constructor(private readonly socket: net.Socket, options: RawClientOptions) {
    this.replyTimeoutMs = options.replyTimeoutMs ?? 5000;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => {
      this.socketError = error;
    });
    this.closedPromise = new Promise((resolve) => {
      socket.once('close', () => {
        this.closedByPeer = true;
        const reason = this.socketError ?? new Error('connection closed');
        for (const waiter of this.waiters.splice(0)) {
          clearTimeout(waiter.timer);
          waiter.reject(this.describeFailure(`${reason.message} while waiting for a reply`));
        }
        for (const listener of this.closeListeners) listener();
        resolve();
      });
    });
  }

  /** Opens a connection; rejects if it can't connect within the timeout. */
  static connect(port: number, options: RawClientOptions = {}): Promise<RawClient> {
    const host = options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket = options.tls === undefined ? net.connect({ port, host }) : tls.connect({ port, host, ...options.tls });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
      }, options.connectTimeoutMs ?? 5000);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once(options.tls === undefined ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RawClient(socket, options));
      });
    });
  }

  /** Whether the peer has closed the connection (or it failed). */
  get closed(): boolean {
    return this.closedByPeer;
  }

  /** Sends one command and resolves with its raw reply. */
  async call(...args: CommandArg[]): Promise<Buffer> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  /** Sends one command given as an array and resolves with its raw reply. */
  async callArgs(args: Command): Promise<Buffer> {
    this.write(encodeCommand(args));
    return this.readReply();
  }

  /** Sends all commands in one write, then resolves with their replies in order. */
  async pipeline(commands: readonly Command[]): Promise<Buffer[]> {
    this.write(Buffer.concat(commands.map((args) => encodeCommand(args))));
    return Promise.all(commands.map(() => this.readReply()));
  }

  /** Writes bytes exactly as given (latin1 for strings): inline commands, garbage, partial frames. */
  sendRaw(bytes: Buffer | string): void {
    this.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Resolves with the next complete reply frame, in stream order. */
  readReply(timeoutMs = this.replyTimeoutMs): Promise<Buffer> {
    if (this.rawReadPending) throw new Error('readReply while a readRaw is pending');
    if (this.waiters.length === 0) {
      try {
        const frame = this.takeFrame();
        if (frame) return Promise.resolve(frame);
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    if (this.closedByPeer) return Promise.reject(this.describeFailure('connection closed before a reply'));
    return new Promise((resolve, reject) => {
      const waiter: ReplyWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.waiters.indexOf(waiter);
          if (index !== -1) this.waiters.splice(index, 1);
          reject(this.describeFailure(`no complete reply within ${timeoutMs}ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Waits until the peer closes the connection or `timeoutMs` passes, then
   * returns every unread byte (possibly none) without framing it. Meant for
   * protocol tests: "send garbage, expect this error and a closed socket".
   */
  async readRaw(timeoutMs = 200): Promise<Buffer> {
    if (this.waiters.length > 0) throw new Error('readRaw while a framed read is pending');
    this.rawReadPending = true;
    try {
      await this.waitClosed(timeoutMs);
      const bytes = Buffer.from(this.storage.subarray(this.readOffset, this.writeOffset));
      this.readOffset = this.writeOffset = 0;
      this.framer.reset();
      this.protocolError = null;
      return bytes;
    } finally {
      this.rawReadPending = false;
    }
  }

  /** Resolves true once the peer has closed the connection, false after `timeoutMs`. */
  waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.closedByPeer) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onClose = (): void => {
        clearTimeout(timer);
        this.closeListeners.delete(onClose);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.closeListeners.delete(onClose);
        resolve(false);
      }, timeoutMs);
      this.closeListeners.add(onClose);
    });
  }

  /** Half-closes our side, then waits for the socket to close completely. */
  async close(): Promise<void> {
    if (!this.closedByPeer) {
      this.socket.end();
      const timer = setTimeout(() => this.socket.destroy(), 1000);
      await this.closedPromise;
      clearTimeout(timer);
    }
  }

  /** Drops the connection at once (RST-like), for tests of abrupt disconnects. */
  destroy(): void {
    this.socket.destroy();
  }

  private write(bytes: Buffer): void {
    if (this.closedByPeer) throw this.describeFailure('write on a closed connection');
    this.socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    this.append(chunk);
    try {
      while (this.waiters.length > 0) {
        const frame = this.takeFrame();
        if (!frame) break;
        const waiter = this.waiters.shift()!;
        clearTimeout(waiter.timer);
        waiter.resolve(frame);
      }
    } catch (error) {
      for (const waiter of this.waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.reject(error as Error);
      }
    }
  }

  /** Appends to the storage buffer, compacting or doubling it as needed. */
  private append(chunk: Buffer): void {
    if (this.writeOffset + chunk.length > this.storage.length) {
      const unread = this.writeOffset - this.readOffset;
      const needed = unread + chunk.length;
      const target = needed > this.storage.length / 2 ? Buffer.alloc(Math.max(needed * 2, this.storage.length)) : this.storage;
      this.storage.copy(target, 0, this.readOffset, this.writeOffset);
      this.storage = target;
      this.readOffset = 0;
      this.writeOffset = unread;
    }
    chunk.copy(this.storage, this.writeOffset);
    this.writeOffset += chunk.length;
  }

  /** Takes the next complete frame, or null; throws once the stream is unframeable. */
  private takeFrame(): Buffer | null {
    if (this.protocolError) throw this.protocolError;
    if (this.readOffset === this.writeOffset) return null;
    let end: number;
    try {
      end = this.framer.next(this.storage.subarray(this.readOffset, this.writeOffset));
    } catch (error) {
      // The bytes stay unread so that readRaw can still show them.
      this.framer.reset();
      this.protocolError = this.describeFailure((error as Error).message);
      throw this.protocolError;
    }
    if (end === -1) return null;
    const frame = Buffer.from(this.storage.subarray(this.readOffset, this.readOffset + end));
    this.readOffset += end;
    if (this.readOffset === this.writeOffset) this.readOffset = this.writeOffset = 0;
    return frame;
  }

  private describeFailure(message: string): Error {
    const unread = this.storage.subarray(this.readOffset, this.writeOffset);
    return new Error(`${message}; unread bytes: ${escapeBytes(unread, 300)}`);
  }
}
