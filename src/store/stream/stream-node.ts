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
 *   head:1  [msDelta:varint64]  seq:varint64  [numFields:varint  string…]  string…
 *
 * - head: the flags in bits 0-1 (so DELETED is set in place), and in bits
 *   2-7 the ms delta to the master ID when below 63; 63 means the delta
 *   follows as a varint64. Entries added in a burst share the master's ms
 *   or follow it closely, so their ID usually costs the head byte plus one.
 * - seq: when the ms is the master's, the delta to the master's seq (never
 *   negative: the IDs grow), otherwise the seq itself.
 * - a string: varint(length·2) and its bytes, or varint(n·2 + 1) for a
 *   canonical integer n below 10^15 ("0", "42"; not "042" or "-1"), which
 *   comes back as the same text. Counters and timestamps are common values,
 *   and Redis's listpack stores them as integers too.
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
/** The head byte's flag bits; the rest is the inline ms delta. */
const FLAG_BITS = 3;
/** The inline ms delta meaning "a varint64 delta follows". */
const DELTA_ESCAPE = 63;

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

  /** A string as writeString stored it (an integer comes back as its text). */
  string(): string {
    const tagged = this.varint();
    if (tagged % 2 === 1) return String((tagged - 1) / 2);
    const start = this.pos;
    this.pos += tagged / 2;
    return this.data.latin1Slice(start, this.pos);
  }

  skipString(): void {
    const tagged = this.varint();
    if (tagged % 2 === 0) this.pos += tagged / 2;
  }

  /**
   * The next string without making a JS string of it, for a caller that
   * copies bytes: returns its bytes' offset in `data` (the reader moves
   * past them), or -1 for a string stored as an integer, whose value is
   * then `integer`. `length` is the byte length either way (an integer's
   * digit count).
   */
  stringSpan(): number {
    const tagged = this.varint();
    if (tagged % 2 === 1) {
      const n = (tagged - 1) / 2;
      this.integer = n;
      this.length = decimalDigits(n);
      return -1;
    }
    const start = this.pos;
    this.length = tagged / 2;
    this.pos += this.length;
    return start;
  }

  /** Set by stringSpan. */
  length = 0;
  integer = 0;
}

/** How many decimal digits a non-negative safe integer has. */
export function decimalDigits(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
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

/**
 * The value of a string that is a canonical non-negative integer of at
 * most 15 digits ("0", "17"; not "017", "-1" or "+1"), else -1: such a
 * string is stored as its number, and String(n) gives the text back.
 */
function packableInteger(s: string): number {
  const len = s.length;
  if (len === 0 || len > 15) return -1;
  let c = s.charCodeAt(0);
  if (c < 48 || c > 57 || (c === 48 && len > 1)) return -1;
  let n = c - 48;
  for (let i = 1; i < len; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/** The bytes writeString takes for `s`. */
function stringSize(s: string): number {
  const n = packableInteger(s);
  if (n >= 0) return smallVarintSize(2 * n + 1);
  return smallVarintSize(2 * s.length) + s.length;
}

/** A string: an integer's tagged value, or a tagged length and the latin1 bytes. */
function writeString(buf: Buffer, pos: number, s: string): number {
  const n = packableInteger(s);
  if (n >= 0) return writeSmallVarint(buf, pos, 2 * n + 1);
  const len = s.length;
  pos = writeSmallVarint(buf, pos, 2 * len);
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

    // Stored: the seq's delta to the master's when the ms is the master's (sHi:sLo then), else the seq.
    const sameMs = dHi === 0 && dLo === 0;
    const inlineDelta = dHi === 0 && dLo < DELTA_ESCAPE;
    let size = 1 + (inlineDelta ? 0 : varintSize(dHi, dLo)) + (sameMs ? varintSize(sHi, sLo) : varintSize(seqHi, seqLo));
    let lp = 2 + lpInt64WordsSize(dHi, dLo) + lpInt64WordsSize(sHi, sLo);
    if (!same) {
      size += smallVarintSize(numFields);
      lp += lpIntSize(numFields);
    }
    for (let i = start; i < fieldsAndValues.length; i += 2) {
      const value = fieldsAndValues[i + 1]!;
      size += stringSize(value);
      lp += lpStringSize(value);
      if (!same) {
        const field = fieldsAndValues[i]!;
        size += stringSize(field);
        lp += lpStringSize(field);
      }
    }
    lp += lpIntSize(same ? numFields + 3 : 2 * numFields + 4);

    this.reserve(size);
    const data = this.data;
    let pos = this.used;
    const flags = same ? FLAG_SAMEFIELDS : 0;
    if (inlineDelta) data[pos++] = flags | (dLo << 2);
    else {
      data[pos++] = flags | (DELTA_ESCAPE << 2);
      pos = writeVarint(data, pos, dHi, dLo);
    }
    pos = sameMs ? writeVarint(data, pos, sHi, sLo) : writeVarint(data, pos, seqHi, seqLo);
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
    this.readHeaderWords(reader, entry);
    entry.id = idFromWords(entry.msHi, entry.msLo, entry.seqHi, entry.seqLo);
  }

  /**
   * readHeader without building the ID string: only the ID's 32-bit words
   * are filled in (`entry.id` is left as it was). A seek walks up to a whole
   * node of entries to reach its start; comparing words costs no allocation.
   */
  readHeaderWords(reader: NodeReader, entry: EntryHeader): void {
    entry.offset = reader.pos;
    const head = reader.data[reader.pos++]!;
    entry.flags = head & FLAG_BITS;
    let dHi = 0;
    let dLo = head >>> 2;
    if (dLo === DELTA_ESCAPE) {
      reader.varint64();
      dHi = reader.hi;
      dLo = reader.lo;
    }
    let msLo = this.masterMsLo + dLo;
    let msHi = this.masterMsHi + dHi;
    if (msLo >= TWO32) {
      msLo -= TWO32;
      msHi++;
    }
    entry.msHi = msHi >>> 0;
    entry.msLo = msLo;
    reader.varint64();
    if (dHi === 0 && dLo === 0) {
      // The master's ms: the seq is stored as its delta to the master's.
      let seqLo = this.masterSeqLo + reader.lo;
      let seqHi = this.masterSeqHi + reader.hi;
      if (seqLo >= TWO32) {
        seqLo -= TWO32;
        seqHi++;
      }
      entry.seqHi = seqHi >>> 0;
      entry.seqLo = seqLo;
    } else {
      entry.seqHi = reader.hi;
      entry.seqLo = reader.lo;
    }
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
    const header = newEntryHeader();
    while (reader.pos < this.used) {
      offsets.push(reader.pos);
      this.readHeaderWords(reader, header);
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
  /** The ID's words (ms high and low, seq high and low), as idWord gives them. */
  msHi: number;
  msLo: number;
  seqHi: number;
  seqLo: number;
}

export function newEntryHeader(): EntryHeader {
  return { offset: 0, flags: 0, id: '', msHi: 0, msLo: 0, seqHi: 0, seqLo: 0 };
}

/** The sign of (the header's ID − the ID given by its words), as -1, 0 or 1. */
export function compareHeaderId(h: EntryHeader, msHi: number, msLo: number, seqHi: number, seqLo: number): number {
  if (h.msHi !== msHi) return h.msHi < msHi ? -1 : 1;
  if (h.msLo !== msLo) return h.msLo < msLo ? -1 : 1;
  if (h.seqHi !== seqHi) return h.seqHi < seqHi ? -1 : 1;
  if (h.seqLo !== seqLo) return h.seqLo < seqLo ? -1 : 1;
  return 0;
}
