/**
 * Stream entries as RESP, encoded straight from the node buffers
 * (streamReplyWithRange's entry arrays). XRANGE and XREAD write many small
 * entries; building each field and value as a JS string and concatenating
 * them made a rope of dozens of pieces per entry, which the socket write
 * then had to flatten. Here the entry's bytes are copied from the node into
 * one scratch buffer (values stored as integers are written as their
 * digits), and a range becomes a few flat strings.
 */
import type { StreamIterator } from '../store/stream/stream.js';
import { decimalDigits, type NodeReader } from '../store/stream/stream-node.js';
import { u64ToString } from '../store/stream/stream-id.js';
import type { Client } from './types.js';

/** A range's text is handed to the reply writer in pieces of about this many bytes. */
const PIECE_BYTES = 65536;
/** The scratch buffer after a range needed more: it is given back rather than kept. */
const SCRATCH_KEEP = 1 << 20;
/** Strings up to this long are copied byte by byte: cheaper than Buffer.copy's call into C++. */
const SHORT_COPY = 32;

const CR = 13;
const LF = 10;
const STAR = 42;
const DOLLAR = 36;
const DASH = 45;
const TWO32 = 4294967296;

/** One range's encoding: the scratch bytes and the pieces already cut from them. */
class EntryEncoder {
  buf = Buffer.allocUnsafe(PIECE_BYTES * 2);
  used = 0;
  pieces: string[] = [];

  reset(): void {
    this.used = 0;
    this.pieces.length = 0;
    if (this.buf.length > SCRATCH_KEEP) this.buf = Buffer.allocUnsafe(PIECE_BYTES * 2);
  }

  /** Room for `bytes` more. */
  private reserve(bytes: number): void {
    const needed = this.used + bytes;
    if (needed <= this.buf.length) return;
    let capacity = this.buf.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buf.copy(grown, 0, 0, this.used);
    this.buf = grown;
  }

  /** Cuts what is written so far into a piece once it is large. */
  cutIfLarge(): void {
    if (this.used >= PIECE_BYTES) this.cut();
  }

  cut(): void {
    if (this.used === 0) return;
    this.pieces.push(this.buf.latin1Slice(0, this.used));
    this.used = 0;
  }

  /** A non-negative integer below 2^53 as decimal digits. */
  private digits(n: number): void {
    const buf = this.buf;
    if (n < 10) {
      buf[this.used++] = 48 + n;
      return;
    }
    let end = this.used + decimalDigits(n);
    this.used = end;
    do {
      const q = Math.floor(n / 10);
      buf[--end] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /** hi·2^32 + lo in decimal. */
  private u64(hi: number, lo: number): void {
    if (hi < 0x200000) {
      this.digits(hi * TWO32 + lo);
      return;
    }
    this.latin1(u64ToString(hi, lo));
  }

  private latin1(s: string): void {
    const buf = this.buf;
    let at = this.used;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.used = at;
  }

  /** `<prefix><n>\r\n` for a small count. */
  private header(prefix: number, n: number): void {
    this.buf[this.used++] = prefix;
    this.digits(n);
    this.buf[this.used++] = CR;
    this.buf[this.used++] = LF;
  }

  /** A bulk string from a JS string (a master field name). */
  private bulkString(s: string): void {
    this.reserve(s.length + 24);
    this.header(DOLLAR, s.length);
    if (s.length <= SHORT_COPY) this.latin1(s);
    else this.used += this.buf.latin1Write(s, this.used);
    this.buf[this.used++] = CR;
    this.buf[this.used++] = LF;
  }

  /** The reader's next string as a bulk string, copied from the node. */
  private bulkFromNode(reader: NodeReader): void {
    const start = reader.stringSpan();
    const length = reader.length;
    this.reserve(length + 24);
    this.header(DOLLAR, length);
    if (start === -1) this.digits(reader.integer);
    else if (length <= SHORT_COPY) {
      const buf = this.buf;
      const data = reader.data;
      let at = this.used;
      for (let i = start; i < start + length; i++) buf[at++] = data[i]!;
      this.used = at;
    } else {
      reader.data.copy(this.buf, this.used, start, start + length);
      this.used += length;
    }
    this.buf[this.used++] = CR;
    this.buf[this.used++] = LF;
  }

  /** The iterator's current entry: [id, [field, value, ...]]. */
  entry(it: StreamIterator): void {
    // "*2", the ID's bulk (at most 41 characters) and the field count's header.
    this.reserve(80);
    const buf = this.buf;
    buf[this.used++] = STAR;
    buf[this.used++] = 50; // '2'
    buf[this.used++] = CR;
    buf[this.used++] = LF;
    // The ID's bulk header needs its length: write the text after a
    // provisional header, then move it if the length took another digit.
    // An ID is 3 ("0-0") to 41 characters: its length takes one or two digits.
    const headerAt = this.used;
    const textAt = headerAt + 5; // after "$NN\r\n"
    this.used = textAt;
    this.u64(it.msHi, it.msLo);
    this.buf[this.used++] = DASH;
    this.u64(it.seqHi, it.seqLo);
    const length = this.used - textAt;
    if (length >= 10) {
      this.buf[headerAt] = DOLLAR;
      this.buf[headerAt + 1] = 48 + Math.floor(length / 10);
      this.buf[headerAt + 2] = 48 + (length % 10);
      this.buf[headerAt + 3] = CR;
      this.buf[headerAt + 4] = LF;
    } else {
      // One digit: shift the text one byte left.
      this.buf[headerAt] = DOLLAR;
      this.buf[headerAt + 1] = 48 + length;
      this.buf[headerAt + 2] = CR;
      this.buf[headerAt + 3] = LF;
      this.buf.copyWithin(headerAt + 4, textAt, this.used);
      this.used--;
    }
    this.buf[this.used++] = CR;
    this.buf[this.used++] = LF;

    const reader = it.fieldsReader();
    if (it.usesMasterFields) {
      const fields = it.masterFields;
      this.header(STAR, 2 * fields.length);
      for (let i = 0; i < fields.length; i++) {
        this.bulkString(fields[i]!);
        this.bulkFromNode(reader);
      }
      return;
    }
    const strings = 2 * reader.varint();
    this.reserve(24);
    this.header(STAR, strings);
    for (let i = 0; i < strings; i++) this.bulkFromNode(reader);
  }
}

/** One encoder for the process: a reply is encoded and handed over within one command. */
const encoder = new EntryEncoder();

/**
 * streamReplyWithRange without a group: up to `count` (0 = all) live
 * entries of the iterator, as an array. Returns how many were sent. The
 * array's length is known only at the end, so the entries are encoded
 * first and written after the header.
 */
export function replyEntries(c: Client, it: StreamIterator, count: number): number {
  encoder.reset();
  let sent = 0;
  while ((count === 0 || sent < count) && it.next()) {
    encoder.entry(it);
    encoder.cutIfLarge();
    sent++;
  }
  encoder.cut();
  const reply = c.reply;
  reply.arrayHeader(sent);
  const pieces = encoder.pieces;
  for (let i = 0; i < pieces.length; i++) reply.encoded(pieces[i]!);
  encoder.reset();
  return sent;
}
