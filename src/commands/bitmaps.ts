/**
 * The bitmap command group (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT,
 * BITPOS, BITOP, BITFIELD and BITFIELD_RO. The bit arithmetic lives in
 * store/bitops.ts; this module parses arguments, looks keys up and replies,
 * checking things in the order Redis does, since that order decides which
 * error a bad call gets. Each command's spec follows its handler.
 *
 * A bitmap is an ordinary string value, and string values are immutable
 * latin1 JS strings, so a write copies the bytes into a Buffer, edits them
 * and stores a new string: O(n) in the bitmap's size per SETBIT (about
 * 0.2 ms for 1 MB), where Redis edits in place. Bitmaps up to SCRATCH_MAX
 * are copied into one reused buffer, which halves that cost by sparing an
 * allocation and the garbage it leaves.
 */
import { constants as bufferConstants } from 'node:buffer';
import { bitopNeedsTwoSources, errors } from '../errors.js';
import { isNewerThan } from '../compat-version.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import {
  bitCount,
  bitOp,
  bitPos,
  getBitfield,
  parseBitfieldType,
  setBit,
  writeBitfield,
  type BitfieldOverflow,
  type BitOpName,
  type BitUnit,
} from '../store/bitops.js';
import { parseInt64, parseInteger } from '../text/numbers.js';
import { readInteger, lowercaseCString } from './parse.js';
import { lookupStringRead, lookupStringWrite, readStringOrReply } from './string-values.js';
import { RAW_STRING_ENCODING } from '../store/types.js';

/* ============================== Byte access ============================== */

/** Bitmaps up to this size share one scratch buffer; larger ones get their own. */
const SCRATCH_MAX = 16 * 1024 * 1024;
let scratch = Buffer.allocUnsafe(4096);

/**
 * The bytes of a string value, zero padded to `length`. Up to SCRATCH_MAX
 * this is a view of the shared scratch buffer, valid only until the next
 * call: callers use it and turn it back into a string before returning.
 */
function bytesOf(value: string, length = value.length): Buffer {
  let buf: Buffer;
  if (length <= SCRATCH_MAX) {
    if (scratch.length < length) scratch = Buffer.allocUnsafe(Math.min(SCRATCH_MAX, Math.max(length, scratch.length * 2)));
    buf = scratch.subarray(0, length);
  } else {
    buf = Buffer.allocUnsafe(length);
  }
  buf.latin1Write(value, 0);
  buf.fill(0, value.length);
  return buf;
}

/**
 * Redis grows a bitmap up to proto-max-bulk-len (512 MB) and a little past
 * it for BITFIELD, but a V8 string stops just short of 512 MB: the last
 * few hundred bits Redis can address are out of reach here.
 */
function fitsString(c: Client, length: number): boolean {
  if (length <= bufferConstants.MAX_STRING_LENGTH) return true;
  c.reply.error(errors.stringTooLong);
  return false;
}

/**
 * Stores a bitmap a command wrote (an existing key keeps its TTL). Redis
 * makes a new one with createObject and unshares an old one first
 * (lookupStringForBitCommand), so either way it is `raw`.
 */
function storeBitmap(c: Client, key: string, existed: boolean, value: string): void {
  if (existed) c.db.set(key, value, true, RAW_STRING_ENCODING);
  else c.db.add(key, value, RAW_STRING_ENCODING);
}

/* ============================ Argument parsing =========================== */

/**
 * getBitOffsetFromArgument: a bit offset below proto-max-bulk-len * 8.
 * BITFIELD (`bits` > 0) also takes `#n`, meaning n * bits; the product
 * wraps at 64 bits as Redis's C multiplication does, so `#6148914691236517206`
 * with i3 is offset 2.
 */
function readBitOffset(c: Client, text: string, bits = 0): number | null {
  const maxBytes = c.server.config.get('proto-max-bulk-len');
  let offset: number | null;
  if (bits > 0 && text.charCodeAt(0) === 0x23 /* # */) {
    const n = parseInt64(text.slice(1));
    offset = n === null ? null : Number(BigInt.asIntN(64, n * BigInt(bits)));
  } else {
    offset = parseInteger(text);
  }
  if (offset === null || offset < 0 || Math.floor(offset / 8) >= maxBytes) {
    c.reply.error(errors.bitOffset);
    return null;
  }
  return offset;
}

/** BITCOUNT's and BITPOS's optional BYTE | BIT, or null after a syntax error. */
function readBitUnit(c: Client, text: string): BitUnit | null {
  const unit = lowercaseCString(text);
  if (unit === 'byte' || unit === 'bit') return unit;
  c.reply.error(errors.syntax);
  return null;
}

/**
 * start > end for two int64 arguments already read as numbers, exactly:
 * below -2^53 two different arguments can be the same double.
 */
function int64Greater(a: number, b: number, aText: string, bText: string): boolean {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return a > b;
  return parseInt64(aText)! > parseInt64(bText)!;
}

/* ================================ Commands =============================== */

/**
 * SETBIT key offset value: the bit's old value. A missing key is created
 * zero filled. As in Redis 7.0, a call that creates or grows the string,
 * or flips the bit, announces `setbit`; setting a bit in place to the
 * value it has changes nothing.
 */
function setbitCommand(c: Client, argv: string[]): void {
  const offset = readBitOffset(c, argv[2]!);
  if (offset === null) return;
  const on = parseInteger(argv[3]!);
  if (on !== 0 && on !== 1) {
    c.reply.error(errors.bitValue);
    return;
  }
  const key = argv[1]!;
  const entry = lookupStringWrite(c, key);
  if (entry === null) return;
  const old = entry ?? '';
  const byte = Math.floor(offset / 8);
  if (byte < old.length && ((old.charCodeAt(byte) >>> (7 - (offset % 8))) & 1) === on) {
    // lookupStringForBitCommand has unshared the value even so.
    c.db.unshareString(key, old);
    c.reply.raw(on ? shared.one : shared.zero);
    return;
  }
  const length = Math.max(old.length, byte + 1);
  if (!fitsString(c, length)) return;
  const buf = bytesOf(old, length);
  const previous = setBit(buf, offset, on);
  storeBitmap(c, key, entry !== undefined, buf.latin1Slice(0, length));
  c.server.events.keyModified(c.db, key, 'setbit');
  c.reply.raw(previous ? shared.one : shared.zero);
}

export const setbitSpec: CommandSpec = {
  name: 'setbit',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bitmap',
  summary: 'Sets or clears the bit at offset in the string value stored at key',
  since: '2.2.0',
  complexity: 'O(1)',
  syntax: 'key offset:integer value:integer',
  handler: setbitCommand,
};

/** GETBIT key offset: bits past the end, and of a missing key, are 0. */
function getbitCommand(c: Client, argv: string[]): void {
  const offset = readBitOffset(c, argv[2]!);
  if (offset === null) return;
  const value = readStringOrReply(c, argv[1]!, shared.zero);
  if (value === null) return;
  const byte = Math.floor(offset / 8);
  const bit = byte < value.length ? (value.charCodeAt(byte) >>> (7 - (offset % 8))) & 1 : 0;
  c.reply.raw(bit ? shared.one : shared.zero);
}

export const getbitSpec: CommandSpec = {
  name: 'getbit',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bitmap',
  summary: 'Returns the bit value at offset in the string value stored at key',
  since: '2.2.0',
  complexity: 'O(1)',
  syntax: 'key offset:integer',
  handler: getbitCommand,
};

/**
 * BITCOUNT key [start end [BYTE | BIT]]. A missing key counts 0 before any
 * argument is looked at. Two negative indexes in the wrong order answer 0
 * before the unit is parsed, so `BITCOUNT k -1 -2 FOO` is 0, not an error.
 */
function bitcountCommand(c: Client, argv: string[]): void {
  const value = readStringOrReply(c, argv[1]!, shared.zero);
  if (value === null) return;
  if (argv.length === 2) {
    c.reply.integer(bitCount(bytesOf(value)));
    return;
  }
  if (argv.length !== 4 && argv.length !== 5) {
    c.reply.error(errors.syntax);
    return;
  }
  const start = readInteger(c, argv[2]!);
  if (start === null) return;
  const end = readInteger(c, argv[3]!);
  if (end === null) return;
  if (start < 0 && end < 0 && int64Greater(start, end, argv[2]!, argv[3]!)) {
    c.reply.raw(shared.zero);
    return;
  }
  let unit: BitUnit = 'byte';
  if (argv.length === 5) {
    const parsed = readBitUnit(c, argv[4]!);
    if (parsed === null) return;
    unit = parsed;
  }
  c.reply.integer(bitCount(bytesOf(value), start, end, unit));
}

export const bitcountSpec: CommandSpec = {
  name: 'bitcount',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bitmap',
  summary: 'Count set bits in a string',
  since: '2.6.0',
  complexity: 'O(N)',
  syntax: 'key [start:integer end:integer [BYTE | BIT]]',
  handler: bitcountCommand,
};

/**
 * BITPOS key bit [start [end [BYTE | BIT]]]. The bit is checked first; a
 * missing key is then an endless run of zeroes (0 for bit 0, -1 for bit 1)
 * whatever the other arguments. Redis reads start, then the unit, then end.
 */
function bitposCommand(c: Client, argv: string[]): void {
  const bit = readInteger(c, argv[2]!);
  if (bit === null) return;
  if (bit !== 0 && bit !== 1) {
    c.reply.error(errors.bitposBit);
    return;
  }
  const value = readStringOrReply(c, argv[1]!, bit ? shared.minusOne : shared.zero);
  if (value === null) return;
  if (argv.length === 3) {
    c.reply.integer(bitPos(bytesOf(value), bit));
    return;
  }
  if (argv.length > 6) {
    c.reply.error(errors.syntax);
    return;
  }
  const start = readInteger(c, argv[3]!);
  if (start === null) return;
  let unit: BitUnit = 'byte';
  if (argv.length === 6) {
    const parsed = readBitUnit(c, argv[5]!);
    if (parsed === null) return;
    unit = parsed;
  }
  let end: number | undefined;
  if (argv.length >= 5) {
    const parsed = readInteger(c, argv[4]!);
    if (parsed === null) return;
    end = parsed;
  }
  c.reply.integer(bitPos(bytesOf(value), bit, start, end, unit));
}

export const bitposSpec: CommandSpec = {
  name: 'bitpos',
  arity: -3,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bitmap',
  summary: 'Find first bit set or clear in a string',
  since: '2.8.7',
  complexity: 'O(N)',
  syntax: 'key bit:integer [start:integer [end:integer [BYTE | BIT]]]',
  handler: bitposCommand,
};

const CLASSIC_BITOPS: ReadonlySet<BitOpName> = new Set(['AND', 'OR', 'XOR', 'NOT']);

const BITOP_NAMES: ReadonlyMap<string, BitOpName> = new Map([
  ['and', 'AND'],
  ['or', 'OR'],
  ['xor', 'XOR'],
  ['not', 'NOT'],
  ['diff', 'DIFF'],
  ['diff1', 'DIFF1'],
  ['andor', 'ANDOR'],
  ['one', 'ONE'],
]);

/**
 * BITOP AND | OR | XOR | NOT | DIFF | DIFF1 | ANDOR | ONE destkey key
 * [key ...]: the result's length. DIFF, DIFF1, ANDOR and ONE are Redis
 * 8.2's (bitops.c); the first three need two sources at least.
 * Missing sources are empty strings; an empty result deletes destkey
 * (`del`, if it existed), and a stored one drops its TTL (setKey, `set`).
 */
function bitopCommand(c: Client, argv: string[]): void {
  const op = BITOP_NAMES.get(lowercaseCString(argv[1]!));
  // Below 8.2 (compat-version) there are only AND, OR, XOR and NOT.
  if (op === undefined || (!CLASSIC_BITOPS.has(op) && isNewerThan('8.2.0', c.server.config.get('compat-version')))) {
    c.reply.error(errors.syntax);
    return;
  }
  if (op === 'NOT' && argv.length !== 4) {
    c.reply.error(errors.bitopNot);
    return;
  }
  if ((op === 'DIFF' || op === 'DIFF1' || op === 'ANDOR') && argv.length < 5) {
    // Redis upper-cases the name as sent (a C string), which is the operation's own name.
    c.reply.error(bitopNeedsTwoSources(op));
    return;
  }
  const db = c.db;
  const sources: (Buffer | null)[] = [];
  for (let j = 3; j < argv.length; j++) {
    const entry = lookupStringRead(c, argv[j]!);
    if (entry === null) return;
    sources.push(entry === undefined ? null : Buffer.from(entry, 'latin1'));
  }
  const result = bitOp(op, sources);
  const destkey = argv[2]!;
  if (result.length > 0) {
    // setKey: lookupKeyWrite, then the store (store() fuses the two, but
    // takes no encoding). Redis stores createObject(OBJ_STRING, res): raw,
    // whatever its length.
    db.lookupWrite(destkey);
    db.set(destkey, result.latin1Slice(), false, RAW_STRING_ENCODING);
    c.server.events.keyModified(db, destkey, 'set');
  } else if (db.delete(destkey)) {
    c.server.events.keyModified(db, destkey, 'del');
  }
  c.reply.integer(result.length);
}

export const bitopSpec: CommandSpec = {
  name: 'bitop',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 2,
  lastKey: -1,
  keyStep: 1,
  group: 'bitmap',
  summary: 'Perform bitwise operations between strings',
  since: '2.6.0',
  complexity: 'O(N)',
  syntax: 'operation destkey:key key [key ...]',
  handler: bitopCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};

interface BitfieldOp {
  opcode: 'GET' | 'SET' | 'INCRBY';
  offset: number;
  bits: number;
  signed: boolean;
  /** SET's value or INCRBY's increment. */
  arg: bigint;
  overflow: BitfieldOverflow;
}

const OVERFLOW_TYPES: ReadonlyMap<string, BitfieldOverflow> = new Map([
  ['wrap', 'WRAP'],
  ['sat', 'SAT'],
  ['fail', 'FAIL'],
]);

/**
 * Parses every BITFIELD operation before touching the key, as Redis does,
 * so a bad argument anywhere fails the whole call. Null after an error.
 */
function parseBitfieldOps(c: Client, argv: string[]): BitfieldOp[] | null {
  const ops: BitfieldOp[] = [];
  let overflow: BitfieldOverflow = 'WRAP';
  for (let j = 2; j < argv.length; j++) {
    const remaining = argv.length - j - 1;
    const name = lowercaseCString(argv[j]!);
    let opcode: BitfieldOp['opcode'];
    if (name === 'get' && remaining >= 2) opcode = 'GET';
    else if (name === 'set' && remaining >= 3) opcode = 'SET';
    else if (name === 'incrby' && remaining >= 3) opcode = 'INCRBY';
    else if (name === 'overflow' && remaining >= 1) {
      const type = OVERFLOW_TYPES.get(lowercaseCString(argv[++j]!));
      if (type === undefined) {
        c.reply.error(errors.bitfieldOverflowType);
        return null;
      }
      overflow = type;
      continue;
    } else {
      c.reply.error(errors.syntax);
      return null;
    }
    // The type is read as a C string: "i8\0..." is i8.
    const typeText = argv[j + 1]!;
    const nul = typeText.indexOf('\0');
    const type = parseBitfieldType(nul === -1 ? typeText : typeText.slice(0, nul));
    if (type === null) {
      c.reply.error(errors.bitfieldType);
      return null;
    }
    const offset = readBitOffset(c, argv[j + 2]!, type.bits);
    if (offset === null) return null;
    let arg = 0n;
    if (opcode !== 'GET') {
      const value = parseInt64(argv[j + 3]!);
      if (value === null) {
        c.reply.error(errors.notInteger);
        return null;
      }
      arg = value;
    }
    ops.push({ opcode, offset, bits: type.bits, signed: type.signed, arg, overflow });
    j += opcode === 'GET' ? 2 : 3;
  }
  return ops;
}

/**
 * bitfieldGeneric: BITFIELD and BITFIELD_RO (GETs only). With a write
 * among the operations the key is created or grown to the highest bit any
 * write reaches before any operation runs, even writes that OVERFLOW FAIL
 * then refuses, exactly as lookupStringForBitCommand.
 */
function bitfieldGeneric(c: Client, argv: string[], readonly: boolean): void {
  const ops = parseBitfieldOps(c, argv);
  if (ops === null) return;
  let highestWrite = -1;
  for (const op of ops) {
    if (op.opcode !== 'GET') highestWrite = Math.max(highestWrite, op.offset + op.bits - 1);
  }
  const key = argv[1]!;
  const db = c.db;
  const r = c.reply;

  if (highestWrite < 0) {
    const entry = lookupStringRead(c, key);
    if (entry === null) return;
    const buf = entry === undefined ? null : bytesOf(entry);
    r.arrayHeader(ops.length);
    for (const op of ops) r.integer(getBitfield(buf, op.offset, op.bits, op.signed));
    return;
  }
  if (readonly) {
    r.error(errors.bitfieldReadonly);
    return;
  }

  const entry = lookupStringWrite(c, key);
  if (entry === null) return;
  const old = entry ?? '';
  const length = Math.max(old.length, Math.floor(highestWrite / 8) + 1);
  if (!fitsString(c, length)) return;
  const buf = bytesOf(old, length);
  // Redis's `dirty` from lookupStringForBitCommand: the key was created or grown.
  const grown = entry === undefined || length !== old.length;
  // lookupStringForBitCommand adds a missing key before any operation runs
  // or replies: its `new` comes first, where Redis notifies it.
  if (entry === undefined) db.add(key, buf.latin1Slice(0, length), RAW_STRING_ENCODING);
  else db.unshareString(key, old);
  let changes = 0;
  r.arrayHeader(ops.length);
  for (const op of ops) {
    if (op.opcode === 'GET') {
      r.integer(getBitfield(buf, op.offset, op.bits, op.signed));
      continue;
    }
    const result = writeBitfield(buf, op.opcode, op.offset, op.bits, op.signed, op.arg, op.overflow);
    if (result.reply === null) {
      r.nullBulk();
    } else {
      r.integer(result.reply);
      if (grown || result.changed) changes++;
    }
  }
  // Created or grown, the key is stored even when every write then failed
  // (OVERFLOW FAIL), but only counted changes are announced, as in Redis.
  if (grown || changes !== 0) storeBitmap(c, key, true, buf.latin1Slice(0, length));
  if (changes !== 0) c.server.events.keyModified(db, key, 'setbit', changes);
}

/** BITFIELD's operations, in the syntax of Redis's docs. */
const BITFIELD_GET = 'GET encoding offset:integer';
const BITFIELD_OP =
  `(${BITFIELD_GET} | [OVERFLOW (WRAP | SAT | FAIL)] ` +
  '(SET encoding offset:integer value:integer | INCRBY encoding offset:integer increment:integer))';

/**
 * BITFIELD key [GET type offset | [OVERFLOW WRAP|SAT|FAIL] SET type offset
 * value | INCRBY type offset increment ...]
 */
function bitfieldCommand(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, false);
}

export const bitfieldSpec: CommandSpec = {
  name: 'bitfield',
  arity: -2,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bitmap',
  summary: 'Perform arbitrary bitfield integer operations on strings',
  since: '3.2.0',
  complexity: 'O(1) for each subcommand specified',
  syntax: `key [${BITFIELD_OP} [${BITFIELD_OP} ...]]`,
  keyFlags: ['RW', 'access', 'update', 'variable_flags'],
  handler: bitfieldCommand,
};

/** BITFIELD_RO key [GET type offset ...]: BITFIELD with GETs only, for replicas. */
function bitfieldRoCommand(c: Client, argv: string[]): void {
  bitfieldGeneric(c, argv, true);
}

export const bitfieldRoSpec: CommandSpec = {
  name: 'bitfield_ro',
  arity: -2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bitmap',
  summary: 'Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD',
  since: '6.0.0',
  complexity: 'O(1) for each subcommand specified',
  syntax: `key [${BITFIELD_GET} [${BITFIELD_GET} ...]]`,
  handler: bitfieldRoCommand,
};

/* ============================== Command table ============================ */

export const bitmapCommands: readonly CommandSpec[] = [
  setbitSpec,
  getbitSpec,
  bitcountSpec,
  bitposSpec,
  bitopSpec,
  bitfieldSpec,
  bitfieldRoSpec,
];
