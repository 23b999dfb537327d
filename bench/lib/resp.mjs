// Minimal RESP2 client over a raw socket, used for bulk loads and timed
// pipelines. It is written here rather than taken from ioredis because the
// bench needs (a) pre-encoded batches so encoding cost stays outside timed
// windows, (b) replies counted without building objects per command, and
// (c) no dependency on whatever parser the server itself ends up using.
import net from 'node:net';

export class ReplyError extends Error {}

const CRLF = '\r\n';

/** Encode one command (array of strings/numbers) as a RESP2 multibulk. */
export function encode(args) {
  let out = `*${args.length}${CRLF}`;
  for (const a of args) {
    const s = String(a);
    out += `$${Buffer.byteLength(s)}${CRLF}${s}${CRLF}`;
  }
  return out;
}

/** Encode many commands into one Buffer, ready to write in one go. */
export function encodeMany(cmds) {
  let out = '';
  for (const c of cmds) out += encode(c);
  return Buffer.from(out);
}

// Parse one reply starting at pos. Returns undefined when the buffer holds
// only part of it; the caller then waits for more bytes.
function parseAt(buf, pos) {
  if (pos >= buf.length) return undefined;
  const eol = buf.indexOf(13, pos);
  if (eol < 0 || eol + 1 >= buf.length) return undefined;
  const type = buf[pos];
  const line = buf.toString('latin1', pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case 43: // '+'
      return [line, next];
    case 45: // '-'
      return [new ReplyError(line), next];
    case 58: // ':'
      return [Number(line), next];
    case 36: { // '$'
      const len = Number(line);
      if (len < 0) return [null, next];
      if (next + len + 2 > buf.length) return undefined;
      return [buf.toString('utf8', next, next + len), next + len + 2];
    }
    case 42: { // '*'
      const n = Number(line);
      if (n < 0) return [null, next];
      const arr = new Array(n);
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseAt(buf, p);
        if (r === undefined) return undefined;
        arr[i] = r[0];
        p = r[1];
      }
      return [arr, p];
    }
    default:
      throw new Error(`RESP protocol error: unexpected byte ${type} at ${pos}`);
  }
}

export class RespClient {
  constructor(socket) {
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    // FIFO of pending groups: {left, keep, replies, errors, firstError, resolve, reject}
    this.queue = [];
    this.qhead = 0;
    this.closed = false;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.#onData(chunk));
    const fail = (err) => {
      this.closed = true;
      const e = err ?? new Error('connection closed');
      for (let i = this.qhead; i < this.queue.length; i++) this.queue[i].reject(e);
      this.queue = [];
      this.qhead = 0;
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  static connect(port, host = '127.0.0.1', timeoutMs = 2000) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host });
      const t = setTimeout(() => { s.destroy(); reject(new Error(`connect timeout ${host}:${port}`)); }, timeoutMs);
      s.once('connect', () => { clearTimeout(t); resolve(new RespClient(s)); });
      s.once('error', (e) => { clearTimeout(t); reject(e); });
    });
  }

  #onData(chunk) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const r = parseAt(this.buf, pos);
      if (r === undefined) break;
      pos = r[1];
      this.#deliver(r[0]);
    }
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos);
  }

  #deliver(reply) {
    const g = this.queue[this.qhead];
    if (!g) return; // unsolicited; ignore
    if (reply instanceof ReplyError) {
      g.errors++;
      if (!g.firstError) g.firstError = reply;
    }
    if (g.keep) g.replies.push(reply);
    g.last = reply;
    if (--g.left === 0) {
      this.queue[this.qhead++] = undefined;
      if (this.qhead > 1024) { this.queue = this.queue.slice(this.qhead); this.qhead = 0; }
      g.resolve(g);
    }
  }

  /**
   * Write a pre-encoded buffer holding `count` commands. Resolves with
   * {errors, firstError, last, replies?} once all replies are in.
   */
  sendRaw(buf, count, keep = false) {
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ left: count, keep, replies: keep ? [] : null, errors: 0, firstError: null, last: undefined, resolve, reject });
      this.socket.write(buf);
    });
  }

  /** One command; reply errors come back as ReplyError values, not rejections. */
  async call(...args) {
    const g = await this.sendRaw(Buffer.from(encode(args)), 1);
    return g.last;
  }

  /**
   * Send many commands with at most `window` batches in flight, so large loads
   * neither stall on round trips nor buffer everything in memory at once.
   * `gen(i)` returns the command for index i. Returns total error count and
   * the first error seen; `onReplies(replies)` (optional) sees each batch's
   * replies in order.
   */
  async bulk(total, gen, { batch = 1000, window = 4, onReplies } = {}) {
    let errors = 0;
    let firstError = null;
    const inflight = [];
    const settle = async (p) => {
      const g = await p;
      errors += g.errors;
      firstError ??= g.firstError;
      if (onReplies) onReplies(g.replies);
    };
    for (let start = 0; start < total; start += batch) {
      const end = Math.min(total, start + batch);
      let s = '';
      for (let i = start; i < end; i++) s += encode(gen(i));
      inflight.push(this.sendRaw(Buffer.from(s), end - start, Boolean(onReplies)));
      if (inflight.length >= window) await settle(inflight.shift());
    }
    for (const p of inflight) await settle(p);
    return { errors, firstError };
  }

  close() {
    this.closed = true;
    this.socket.destroy();
  }
}

export function isUnknownCommand(reply) {
  return reply instanceof ReplyError && /unknown command/i.test(reply.message);
}

/** Parse an INFO reply into a flat {field: value} object. */
export function parseInfo(text) {
  const out = {};
  if (typeof text !== 'string') return out;
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
