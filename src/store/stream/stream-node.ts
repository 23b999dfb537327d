/**
 * One node of a stream: a run of consecutive entries packed into one
 * buffer, as Redis packs them into one listpack (t_stream.c,
 * streamAppendItem). Like Redis's listpack the node has a master entry,
 * the field names of its first entry; an entry whose field names are the
 * master's (SAMEFIELDS) stores only its values. An entry's ID is stored as
 * a delta to the node's first (master) ID. Deleting an entry only sets its
 * DELETED flag; the node goes away when its last live entry does.
 *
 * Layout of one entry in `data` (varints are unsigned LEB128, up to 64 bits
 * given as two 32-bit halves):
 *
 *   flags:1  msDelta:varint64  seq:varint64  [numFields:varint  (len:varint field)…]  (len:varint value)…
 *
 * The field list is present unless SAMEFIELDS is set.
 *
 * Redis decides where one node ends and the next begins by its listpack's
 * byte size (stream-node-max-bytes) and entry count
 * (stream-node-max-entries), and `~` trimming removes whole nodes only, so
 * XTRIM's reply depends on those boundaries. The node therefore also keeps
 * `lpBytes`: the size Redis's listpack would have, computed by listpack.c's
 * encoding rules, so that nodes split exactly where Redis's do.
 */
import { idFromWords, idWord, type StreamId } from './stream-id.js';

export const FLAG_DELETED = 1;
export const FLAG_SAMEFIELDS = 2;

const TWO32 = 4294967296;

// ---------------------------------------------------------------------------
// Listpack sizes (listpack.c), for the node boundaries
// ---------------------------------------------------------------------------

/** The size of a listpack's header (total bytes + count) and end byte. */
const LP_HEADER_AND_END = 7;

/** lpEncodeBacklen's size for an element of `size` bytes. */
function backlenSize(size: number): number {
  if (size <= 127) return 1;
  if (size < 16383) return 2;
  if (size < 2097151) return 3;
  if (size < 268435455) return 4;
  return 5;
}

/** An integer element's size with its backlen, for a value in int32 range or beyond. */
export function lpIntSize(v: number): number {
  if (v >= 0 && v <= 127) return 2;
  if (v >= -4096 && v <= 4095) return 3;
  if (v >= -32768 && v <= 32767) return 4;
  if (v >= -8388608 && v <= 8388607) return 5;
  if (v >= -2147483648 && v <= 2147483647) return 6;
  return 10;
}

/** lpIntSize for the int64 whose bits are hi·2^32 + lo (a wrapped u64 difference). */
function lpInt64WordsSize(hi: number, lo: number): number {
  if (hi === 0) return lo <= 0x7fffffff ? lpIntSize(lo) : 10;
  if (hi === 0xffffffff && lo >= 0x80000000) return lpIntSize(lo - TWO32);
  return 10;
}

const STRING2LL = /^(?:0|-?[1-9][0-9]*)$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A string element's size with its backlen: as an integer when lpStringToInt64 takes it. */
export function lpStringSize(s: string): number {
  const len = s.length;
  const first = len === 0 ? 0 : s.charCodeAt(0);
  // Only digits or a minus can start an integer: skip the regex for the rest.
  if (len !== 0 && len <= 20 && ((first >= 48 && first <= 57) || first === 45) && STRING2LL.test(s)) {
    if (len <= 15) return lpIntSize(Number(s));
    const v = BigInt(s);
    if (v >= INT64_MIN && v <= INT64_MAX) return v >= -2147483648n && v <= 2147483647n ? lpIntSize(Number(v)) : 10;
  }
  const encoded = len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
  return encoded + backlenSize(encoded);
}

// ---------------------------------------------------------------------------
// Varints
// ---------------------------------------------------------------------------

/** The bytes a varint of hi·2^32 + lo takes. */
function varintSize(hi: number, lo: number): number {
  let n = 1;
  while (hi !== 0 || lo > 127) {
    lo = ((lo >>> 7) | ((hi & 127) << 25)) >>> 0;
    hi >>>= 7;
    n++;
  }
  return n;
}

function writeVarint(buf: Buffer, pos: number, hi: number, lo: number): number {
  while (hi !== 0 || lo > 127) {
    buf[pos++] = (lo & 127) | 128;
    lo = ((lo >>> 7) | ((hi & 127) << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  return pos;
}

/** A decoder's cursor and its last 64-bit varint. */
export class NodeReader {
  pos = 0;
  hi = 0;
  lo = 0;

  constructor(public data: Buffer) {}

  varint64(): void {
    const data = this.data;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      const b = data[this.pos++]!;
      const bits = b & 127;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= (bits & 15) << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if (b < 128) break;
      shift += 7;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A small varint (a length or a count). */
  varint(): number {
    const data = this.data;
    let b = data[this.pos++]!;
    if (b < 128) return b;
    let value = b & 127;
    let mul = 128;
    do {
      b = data[this.pos++]!;
      value += (b & 127) * mul;
      mul *= 128;
    } while (b >= 128);
    return value;
  }

  string(): string {
    const len = this.varint();
    const start = this.pos;
    this.pos += len;
    return this.data.latin1Slice(start, this.pos);
  }

  skipString(): void {
    const len = this.varint();
    this.pos += len;
  }
}

function smallVarintSize(n: number): number {
  return n < 128 ? 1 : varintSize(Math.floor(n / TWO32), n >>> 0);
}

function writeSmallVarint(buf: Buffer, pos: number, n: number): number {
  if (n < 128) {
    buf[pos] = n;
    return pos + 1;
  }
  return writeVarint(buf, pos, Math.floor(n / TWO32), n >>> 0);
}

/** Strings shorter than this are copied byte by byte: cheaper than a call into C++. */
const SHORT_STRING = 48;

/** A length-prefixed latin1 string. */
function writeString(buf: Buffer, pos: number, s: string): number {
  const len = s.length;
  pos = writeSmallVarint(buf, pos, len);
  if (len < SHORT_STRING) {
    for (let i = 0; i < len; i++) buf[pos + i] = s.charCodeAt(i);
    return pos + len;
  }
  return pos + buf.latin1Write(s, pos);
}

// ---------------------------------------------------------------------------
// The node
// ---------------------------------------------------------------------------

/** The smallest buffer a node starts with (a stream of a few entries stays small). */
const INITIAL_CAPACITY = 64;
/** The most a node's buffer is sized ahead of its entries. */
const MAX_PREALLOCATION = 16384;

export class StreamNode {
  /** The master ID: the first entry's, and the node's key in the stream's index. */
  readonly masterId: StreamId;
  /** The ID of the last entry, deleted or not (lpGetEdgeStreamID). */
  lastId: StreamId;
  /** Live entries, and entries flagged deleted. */
  count = 0;
  deleted = 0;
  readonly masterFields: readonly string[];
  data: Buffer;
  used = 0;
  /** The listpack bytes of Redis's entries after the master entry. */
  private entriesLpBytes = 0;
  private readonly masterLpBytes: number;
  prev: StreamNode | null = null;
  next: StreamNode | null = null;

  private readonly masterMsHi: number;
  private readonly masterMsLo: number;
  private readonly masterSeqHi: number;
  private readonly masterSeqLo: number;

  /** How many entries the node is expected to take (stream-node-max-entries), for sizing its buffer. */
  expectedEntries = 100;

  constructor(masterId: StreamId, fields: readonly string[], capacity = INITIAL_CAPACITY) {
    this.masterId = masterId;
    this.lastId = masterId;
    this.masterFields = fields;
    this.masterMsHi = idWord(masterId, 0);
    this.masterMsLo = idWord(masterId, 1);
    this.masterSeqHi = idWord(masterId, 2);
    this.masterSeqLo = idWord(masterId, 3);
    let master = lpIntSize(fields.length) + lpIntSize(0);
    for (const field of fields) master += lpStringSize(field);
    this.masterLpBytes = master;
    this.data = Buffer.allocUnsafeSlow(capacity);
  }

  /** lpBytes(lp) of Redis's listpack for this node. */
  get lpBytes(): number {
    return LP_HEADER_AND_END + lpIntSize(this.count) + lpIntSize(this.deleted) + this.masterLpBytes + this.entriesLpBytes;
  }

  /** Entries in the node, live or flagged deleted. */
  get total(): number {
    return this.count + this.deleted;
  }

  /** True when `fieldsAndValues`' field names are the master's, in order. */
  sameFields(fieldsAndValues: readonly string[], start: number): boolean {
    const master = this.masterFields;
    if ((fieldsAndValues.length - start) / 2 !== master.length) return false;
    for (let i = 0; i < master.length; i++) if (fieldsAndValues[start + 2 * i] !== master[i]) return false;
    return true;
  }

  /**
   * Appends an entry (its ID above every ID in the node): the field/value
   * pairs are `fieldsAndValues` from `start` on.
   */
  append(id: StreamId, fieldsAndValues: readonly string[], start: number): void {
    const same = this.sameFields(fieldsAndValues, start);
    const numFields = (fieldsAndValues.length - start) / 2;
    // The ms delta is never negative (IDs grow); subtract in 32-bit halves.
    const msLo = idWord(id, 1);
    let dLo = msLo - this.masterMsLo;
    let dHi = idWord(id, 0) - this.masterMsHi;
    if (dLo < 0) {
      dLo += TWO32;
      dHi--;
    }
    const seqHi = idWord(id, 2);
    const seqLo = idWord(id, 3);
    // Redis's seq delta is int64 and may be negative; its listpack size is what matters here.
    let sLo = seqLo - this.masterSeqLo;
    let sHi = seqHi - this.masterSeqHi;
    if (sLo < 0) {
      sLo += TWO32;
      sHi--;
    }
    sHi = sHi >>> 0;

    let size = 1 + varintSize(dHi, dLo) + varintSize(seqHi, seqLo);
    let lp = 2 + lpInt64WordsSize(dHi, dLo) + lpInt64WordsSize(sHi, sLo);
    if (!same) {
      size += smallVarintSize(numFields);
      lp += lpIntSize(numFields);
    }
    for (let i = start; i < fieldsAndValues.length; i += 2) {
      const value = fieldsAndValues[i + 1]!;
      size += smallVarintSize(value.length) + value.length;
      lp += lpStringSize(value);
      if (!same) {
        const field = fieldsAndValues[i]!;
        size += smallVarintSize(field.length) + field.length;
        lp += lpStringSize(field);
      }
    }
    lp += lpIntSize(same ? numFields + 3 : 2 * numFields + 4);

    this.reserve(size);
    const data = this.data;
    let pos = this.used;
    data[pos++] = same ? FLAG_SAMEFIELDS : 0;
    pos = writeVarint(data, pos, dHi, dLo);
    pos = writeVarint(data, pos, seqHi, seqLo);
    if (!same) pos = writeSmallVarint(data, pos, numFields);
    for (let i = start; i < fieldsAndValues.length; i += 2) {
      if (!same) pos = writeString(data, pos, fieldsAndValues[i]!);
      pos = writeString(data, pos, fieldsAndValues[i + 1]!);
    }
    this.used = pos;
    this.entriesLpBytes += lp;
    this.count++;
    this.lastId = id;
  }

  private reserve(size: number): void {
    const needed = this.used + size;
    if (needed <= this.data.length) return;
    // A node that keeps growing is a stream's tail taking appends: size it
    // for a full node at once (from the average entry so far) rather than
    // doubling, so a node costs two or three buffers, not a trail of them
    // left to the garbage collector.
    const count = this.total + 1;
    let capacity = Math.max(this.data.length * 2, Math.ceil((needed / count) * this.expectedEntries * 1.1));
    if (capacity > MAX_PREALLOCATION) capacity = Math.max(MAX_PREALLOCATION, this.data.length * 2);
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafeSlow(capacity);
    this.data.copy(grown, 0, 0, this.used);
    this.data = grown;
  }

  /**
   * The node will take no more entries: give back the unused part of its
   * buffer (lpShrinkToFit), when it is worth a copy.
   */
  shrinkToFit(): void {
    if (this.data.length - this.used <= this.data.length >>> 3) return;
    const exact = Buffer.allocUnsafeSlow(this.used);
    this.data.copy(exact, 0, 0, this.used);
    this.data = exact;
  }

  /**
   * Reads the entry at `reader.pos`: its flags, and its ID into `entry`.
   * The reader is left at the entry's fields (or values, with SAMEFIELDS).
   */
  readHeader(reader: NodeReader, entry: EntryHeader): void {
    entry.offset = reader.pos;
    entry.flags = reader.data[reader.pos++]!;
    reader.varint64();
    let msLo = this.masterMsLo + reader.lo;
    let msHi = this.masterMsHi + reader.hi;
    if (msLo >= TWO32) {
      msLo -= TWO32;
      msHi++;
    }
    reader.varint64();
    entry.id = idFromWords(msHi >>> 0, msLo, reader.hi, reader.lo);
  }

  /** Reads the field/value pairs after readHeader into `out` (pushed). */
  readFields(reader: NodeReader, flags: number, out: string[]): void {
    if (flags & FLAG_SAMEFIELDS) {
      const fields = this.masterFields;
      for (let i = 0; i < fields.length; i++) out.push(fields[i]!, reader.string());
      return;
    }
    const n = reader.varint();
    for (let i = 0; i < n; i++) out.push(reader.string(), reader.string());
  }

  /** Skips the field/value pairs after readHeader. */
  skipFields(reader: NodeReader, flags: number): void {
    if (flags & FLAG_SAMEFIELDS) {
      for (let i = 0; i < this.masterFields.length; i++) reader.skipString();
      return;
    }
    const n = reader.varint();
    for (let i = 0; i < 2 * n; i++) reader.skipString();
  }

  /** Flags the entry at `offset` deleted (it must be live). */
  markDeleted(offset: number): void {
    this.data[offset] = this.data[offset]! | FLAG_DELETED;
    this.count--;
    this.deleted++;
  }

  /** The offsets of every entry, in order: for walking a node backwards. */
  entryOffsets(): number[] {
    const offsets: number[] = [];
    const reader = new NodeReader(this.data);
    const header: EntryHeader = { offset: 0, flags: 0, id: '' };
    while (reader.pos < this.used) {
      offsets.push(reader.pos);
      this.readHeader(reader, header);
      this.skipFields(reader, header.flags);
    }
    return offsets;
  }

  /** A deep copy (COPY). */
  clone(): StreamNode {
    const copy = new StreamNode(this.masterId, this.masterFields, Math.max(this.used, 1));
    this.data.copy(copy.data, 0, 0, this.used);
    copy.used = this.used;
    copy.lastId = this.lastId;
    copy.count = this.count;
    copy.deleted = this.deleted;
    copy.entriesLpBytes = this.entriesLpBytes;
    return copy;
  }

  /** Approximate heap bytes (MEMORY USAGE). */
  get memoryBytes(): number {
    return 160 + this.data.length + this.masterFields.reduce((n, f) => n + 24 + f.length, 0);
  }
}

/** What readHeader fills in for one entry. */
export interface EntryHeader {
  offset: number;
  flags: number;
  id: StreamId;
}
