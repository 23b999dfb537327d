/**
 * Commands on parts of a string (Redis's t_string.c): APPEND, STRLEN,
 * SETRANGE, GETRANGE (and SUBSTR), and LCS over two strings. Each
 * command's spec follows its handler.
 */
import { RAW_STRING_ENCODING } from '../store/types.js';
import { constants as bufferConstants } from 'node:buffer';
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { lcsTableBytes, longestCommonSubsequence } from '../store/lcs.js';
import { parseInt64 } from '../text/numbers.js';
import { readInteger, lowercaseCString } from './parse.js';
import { lookupStringWrite, readStringOrReply } from './string-values.js';

/**
 * The longest string reddish can hold: proto-max-bulk-len, but never more
 * than V8's string limit (just under 512 MB), which Redis's default limit
 * slightly exceeds.
 */
function maxStringLength(c: Client): number {
  return Math.min(c.server.config.get('proto-max-bulk-len'), bufferConstants.MAX_STRING_LENGTH);
}

/** APPEND key value: the new length. The TTL is kept. */
function appendCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const append = argv[2]!;
  const db = c.db;
  const entry = lookupStringWrite(c, key);
  if (entry === null) return;
  let length: number;
  if (entry === undefined) {
    // Even an empty value creates the key.
    db.add(key, append);
    length = append.length;
  } else {
    length = entry.length + append.length;
    if (length > maxStringLength(c)) {
      c.reply.error(errors.stringTooLong);
      return;
    }
    // An appended string is built in place: Redis reports it as raw.
    db.set(key, entry + append, true, RAW_STRING_ENCODING);
  }
  c.server.events.keyModified(db, key, 'append');
  c.reply.integer(length);
}

export const appendSpec: CommandSpec = {
  name: 'append',
  arity: 3,
  flags: ['write', 'denyoom', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Append a value to a key',
  since: '2.0.0',
  complexity:
    'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
  syntax: 'key value',
  handler: appendCommand,
  keyFlags: ['RW', 'insert'],
};

/** STRLEN key */
function strlenCommand(c: Client, argv: string[]): void {
  const entry = readStringOrReply(c, argv[1]!, shared.zero);
  if (entry !== null) c.reply.integer(entry.length);
}

export const strlenSpec: CommandSpec = {
  name: 'strlen',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Get the length of the value stored in a key',
  since: '2.2.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: strlenCommand,
  keyFlags: ['RO'],
};

/**
 * SETRANGE key offset value: overwrites from `offset`, padding with zero
 * bytes. An empty value writes nothing: it answers the current length (0
 * for a missing key, which is not created) before any size check.
 */
function setrangeCommand(c: Client, argv: string[]): void {
  const key = argv[1]!;
  const value = argv[3]!;
  const offset = readInteger(c, argv[2]!);
  if (offset === null) return;
  if (offset < 0) {
    c.reply.error(errors.offsetOutOfRange);
    return;
  }
  const db = c.db;
  const entry = lookupStringWrite(c, key);
  if (entry === null) return;
  const old = entry ?? '';
  if (value.length === 0) {
    c.reply.integer(old.length);
    return;
  }
  if (offset + value.length > maxStringLength(c)) {
    c.reply.error(errors.stringTooLong);
    return;
  }
  const updated =
    offset > old.length
      ? old + '\0'.repeat(offset - old.length) + value
      : old.slice(0, offset) + value + old.slice(offset + value.length);
  if (entry === undefined) db.add(key, updated, RAW_STRING_ENCODING);
  else db.set(key, updated, true, RAW_STRING_ENCODING);
  c.server.events.keyModified(db, key, 'setrange');
  c.reply.integer(updated.length);
}

export const setrangeSpec: CommandSpec = {
  name: 'setrange',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Overwrite part of a string at key starting at the specified offset',
  since: '2.2.0',
  complexity:
    'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
  syntax: 'key offset:integer value',
  handler: setrangeCommand,
  keyFlags: ['RW', 'update'],
};

/** GETRANGE's and SUBSTR's complexity, as Redis's docs give it. */
const RANGE_COMPLEXITY =
  'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

/**
 * GETRANGE key start end: negative indexes count from the end, then both
 * are clamped into the string; inclusive.
 */
function getrangeCommand(c: Client, argv: string[]): void {
  let start = readInteger(c, argv[2]!);
  if (start === null) return;
  let end = readInteger(c, argv[3]!);
  if (end === null) return;
  const value = readStringOrReply(c, argv[1]!, shared.emptyBulk);
  if (value === null) return;
  // Two negative indexes in the wrong order answer empty before clamping;
  // below -2^53 two different int64s can be the same double, so compare exactly.
  if (start < 0 && end < 0 && (start > end || (start === end && !Number.isSafeInteger(start) && parseInt64(argv[2]!)! > parseInt64(argv[3]!)!))) {
    c.reply.raw(shared.emptyBulk);
    return;
  }
  const strlen = value.length;
  if (start < 0) start = strlen + start;
  if (end < 0) end = strlen + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= strlen) end = strlen - 1;
  if (start > end || strlen === 0) {
    c.reply.raw(shared.emptyBulk);
    return;
  }
  c.reply.bulk(value.slice(start, end + 1));
}

export const getrangeSpec: CommandSpec = {
  name: 'getrange',
  arity: 4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Get a substring of the string stored at a key',
  since: '2.4.0',
  complexity: RANGE_COMPLEXITY,
  syntax: 'key start:integer end:integer',
  handler: getrangeCommand,
};

/** SUBSTR key start end: GETRANGE's name before Redis 2.4; Redis runs both with getrangeCommand. */
function substrCommand(c: Client, argv: string[]): void {
  getrangeCommand(c, argv);
}

export const substrSpec: CommandSpec = {
  name: 'substr',
  arity: 4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'string',
  summary: 'Get a substring of the string stored at a key',
  since: '1.0.0',
  complexity: RANGE_COMPLEXITY,
  syntax: 'key start:integer end:integer',
  handler: substrCommand,
};

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]. Missing keys
 * are empty strings. The checks come in Redis's order: types, options, the
 * IDX+LEN conflict, then the size of the transient table.
 */
function lcsCommand(c: Client, argv: string[]): void {
  const db = c.db;
  const entryA = db.lookupRead(argv[1]!);
  const entryB = db.lookupRead(argv[2]!);
  if ((entryA !== undefined && typeof entryA !== 'string') || (entryB !== undefined && typeof entryB !== 'string')) {
    c.reply.error(errors.lcsNotStrings);
    return;
  }
  const a = entryA === undefined ? '' : (entryA as string);
  const b = entryB === undefined ? '' : (entryB as string);

  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = lowercaseCString(argv[j]!);
    const moreArgs = argv.length - 1 - j;
    if (opt === 'idx') {
      getIdx = true;
    } else if (opt === 'len') {
      getLen = true;
    } else if (opt === 'withmatchlen') {
      withMatchLen = true;
    } else if (opt === 'minmatchlen' && moreArgs > 0) {
      const n = readInteger(c, argv[++j]!);
      if (n === null) return;
      minMatchLen = n < 0 ? 0 : n;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  if (getIdx && getLen) {
    c.reply.error(errors.lcsIdxAndLen);
    return;
  }
  if (lcsTableBytes(a.length, b.length) > c.server.config.get('proto-max-bulk-len')) {
    c.reply.error(errors.lcsTableTooLarge);
    return;
  }

  let result;
  try {
    result = longestCommonSubsequence(a, b, { walk: getIdx || !getLen, minMatchLen });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    c.reply.error(errors.lcsAllocationFailed);
    return;
  }

  const r = c.reply;
  if (getIdx) {
    r.mapHeader(2);
    r.bulk('matches');
    r.arrayHeader(result.matches.length);
    for (const m of result.matches) {
      r.arrayHeader(withMatchLen ? 3 : 2);
      r.arrayHeader(2);
      r.integer(m.aStart);
      r.integer(m.aEnd);
      r.arrayHeader(2);
      r.integer(m.bStart);
      r.integer(m.bEnd);
      if (withMatchLen) r.integer(m.length);
    }
    r.bulk('len');
    r.integer(result.length);
  } else if (getLen) {
    r.integer(result.length);
  } else {
    r.bulk(result.text);
  }
}

export const lcsSpec: CommandSpec = {
  name: 'lcs',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'string',
  summary: 'Find longest common substring',
  since: '7.0.0',
  complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
  syntax: 'key1:key key2:key [LEN] [IDX] [MINMATCHLEN len:integer] [WITHMATCHLEN]',
  handler: lcsCommand,
};
