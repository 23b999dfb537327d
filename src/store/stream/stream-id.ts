/**
 * Stream IDs. Redis's streamID is two unsigned 64-bit numbers (ms, seq),
 * and every value is valid (`18446744073709551615-18446744073709551615` is
 * the largest), which a double cannot hold. reddish stores an ID as a
 * 16-character latin1 string: the 128-bit number (ms, seq) written big
 * endian, one byte per character, as Redis writes the rax key of a stream
 * node (streamEncodeID). Such strings compare with `<` exactly as the IDs
 * do, serve as Map and OrderedMap keys as they are, and cost no BigInt on
 * the hot path: ms and seq are handled as 32-bit halves, and BigInt appears
 * only to print or parse a number beyond 2^53.
 */

export type StreamId = string;

const TWO32 = 4294967296;

/** The ID (msHi·2^32 + msLo, seqHi·2^32 + seqLo). */
export function idFromWords(msHi: number, msLo: number, seqHi: number, seqLo: number): StreamId {
  return String.fromCharCode(
    msHi >>> 24,
    (msHi >>> 16) & 255,
    (msHi >>> 8) & 255,
    msHi & 255,
    msLo >>> 24,
    (msLo >>> 16) & 255,
    (msLo >>> 8) & 255,
    msLo & 255,
    seqHi >>> 24,
    (seqHi >>> 16) & 255,
    (seqHi >>> 8) & 255,
    seqHi & 255,
    seqLo >>> 24,
    (seqLo >>> 16) & 255,
    (seqLo >>> 8) & 255,
    seqLo & 255,
  );
}

/** The ID (ms, seq) for two integers below 2^53 (clock readings, small sequences). */
export function idFromNumbers(ms: number, seq: number): StreamId {
  return idFromWords(Math.floor(ms / TWO32), ms >>> 0, Math.floor(seq / TWO32), seq >>> 0);
}

/** One 32-bit word of an ID: 0 = ms high, 1 = ms low, 2 = seq high, 3 = seq low. */
export function idWord(id: StreamId, word: number): number {
  const i = word * 4;
  return ((id.charCodeAt(i) << 24) | (id.charCodeAt(i + 1) << 16) | (id.charCodeAt(i + 2) << 8) | id.charCodeAt(i + 3)) >>> 0;
}

export const MIN_ID: StreamId = idFromWords(0, 0, 0, 0);
export const MAX_ID: StreamId = idFromWords(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);

/** Decimal text of hi·2^32 + lo. */
export function u64ToString(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * TWO32 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** hi·2^32 + lo as a double (exact below 2^53): ms for idle times and comparisons with the clock. */
export function u64ToNumber(hi: number, lo: number): number {
  return hi * TWO32 + lo;
}

/** The ID's `ms-seq` text, as createStreamIDString writes it. */
export function formatId(id: StreamId): string {
  return u64ToString(idWord(id, 0), idWord(id, 1)) + '-' + u64ToString(idWord(id, 2), idWord(id, 3));
}

/** The ms part as a double (exact below 2^53). */
export function idMs(id: StreamId): number {
  return u64ToNumber(idWord(id, 0), idWord(id, 1));
}

/** The ms part's text. */
export function idMsText(id: StreamId): string {
  return u64ToString(idWord(id, 0), idWord(id, 1));
}

/** The ID one above (streamIncrID), or null past the largest ID. */
export function incrId(id: StreamId): StreamId | null {
  if (id === MAX_ID) return null;
  let msHi = idWord(id, 0);
  let msLo = idWord(id, 1);
  let seqHi = idWord(id, 2);
  let seqLo = idWord(id, 3);
  if (seqLo !== 0xffffffff) seqLo++;
  else if (seqHi !== 0xffffffff) {
    seqLo = 0;
    seqHi++;
  } else {
    seqHi = seqLo = 0;
    if (msLo !== 0xffffffff) msLo++;
    else {
      msLo = 0;
      msHi++;
    }
  }
  return idFromWords(msHi, msLo, seqHi, seqLo);
}

/** The ID one below (streamDecrID), or null below 0-0. */
export function decrId(id: StreamId): StreamId | null {
  if (id === MIN_ID) return null;
  let msHi = idWord(id, 0);
  let msLo = idWord(id, 1);
  let seqHi = idWord(id, 2);
  let seqLo = idWord(id, 3);
  if (seqLo !== 0) seqLo--;
  else if (seqHi !== 0) {
    seqLo = 0xffffffff;
    seqHi--;
  } else {
    seqHi = seqLo = 0xffffffff;
    if (msLo !== 0) msLo--;
    else {
      msLo = 0xffffffff;
      msHi--;
    }
  }
  return idFromWords(msHi, msLo, seqHi, seqLo);
}

/** The ID with the same ms and the given seq words. */
export function withSeq(id: StreamId, seqHi: number, seqLo: number): StreamId {
  return idFromWords(idWord(id, 0), idWord(id, 1), seqHi, seqLo);
}

const U64_MAX = (1n << 64n) - 1n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const STRING2LL = /^(?:0|-?[1-9][0-9]*)$/;
const DIGITS = /^[0-9]+$/;
const STRTOULL = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)$/;

/**
 * Redis's string2ull: the text as string2ll reads it (negative refused),
 * else as strtoull(…, 10) reads it, which allows leading blanks, a sign
 * (a minus wraps modulo 2^64) and leading zeros. Returns [hi, lo] or null.
 */
export function parseU64(text: string): [number, number] | null {
  // Digits only (leading zeros included, as redis-benchmark's zero-padded
  // __rand_int__ gives them): strtoull's value, exact below 2^53.
  if (text.length !== 0 && text.length <= 15 && DIGITS.test(text)) {
    const n = Number(text);
    return [Math.floor(n / TWO32), n >>> 0];
  }
  let value: bigint;
  if (STRING2LL.test(text) && text.length <= 20) {
    value = BigInt(text);
    if (value >= INT64_MIN && value <= INT64_MAX) {
      if (value < 0n) return null;
      return [Number(value >> 32n), Number(value & 0xffffffffn)];
    }
  }
  const match = STRTOULL.exec(text);
  if (match === null) return null;
  value = BigInt(match[2]!);
  if (value > U64_MAX) return null;
  if (match[1] === '-') value = (U64_MAX + 1n - value) & U64_MAX;
  return [Number(value >> 32n), Number(value & 0xffffffffn)];
}

/** What parseId makes of one argument. */
export interface ParsedId {
  id: StreamId;
  /** False for the `ms-*` form (XADD only). */
  seqGiven: boolean;
}

/**
 * streamGenericParseIDOrReply without the reply: `-`, `+` (unless
 * `strict`), `ms`, `ms-seq`, and with `allowSeqStar` `ms-*`. A missing
 * seq is `missingSeq` (0 or the largest). Null when invalid.
 */
export function parseId(text: string, missingSeqMax: boolean, strict: boolean, allowSeqStar = false): ParsedId | null {
  // Redis copies the argument into a 128-byte C buffer: longer is invalid, and a NUL ends it.
  if (text.length > 127) return null;
  const nul = text.indexOf('\0');
  if (nul !== -1) text = text.slice(0, nul);
  if (text === '-' || text === '+') {
    if (strict) return null;
    return { id: text === '-' ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = text.indexOf('-');
  const ms = parseU64(dash === -1 ? text : text.slice(0, dash));
  if (ms === null) return null;
  if (dash === -1) {
    const seq = missingSeqMax ? 0xffffffff : 0;
    return { id: idFromWords(ms[0], ms[1], seq, seq), seqGiven: true };
  }
  const seqText = text.slice(dash + 1);
  if (allowSeqStar && seqText === '*') return { id: idFromWords(ms[0], ms[1], 0, 0), seqGiven: false };
  const seq = parseU64(seqText);
  if (seq === null) return null;
  return { id: idFromWords(ms[0], ms[1], seq[0], seq[1]), seqGiven: true };
}
