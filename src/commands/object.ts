/**
 * OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP (object.c's
 * objectCommand). OBJECT is a container: dispatch resolves the subcommand,
 * checks its arity and answers unknown ones with "Try OBJECT HELP.".
 *
 * Every subcommand looks the key up as objectCommandLookup does: without
 * touching its access clock (asking for the idle time must not reset it),
 * but counted as a keyspace hit or miss; a missing key is a null reply.
 */
import { errors } from '../errors.js';
import { EMBSTR_STRING_ENCODING, RAW_STRING_ENCODING, type Value } from '../store/types.js';
import { parseInteger } from '../text/numbers.js';
import { replyHelp } from './help-reply.js';
import { lookupReadNoTouch } from './lookup-no-touch.js';
import type { Client, CommandSpec } from './types.js';

/** OBJ_ENCODING_EMBSTR_SIZE_LIMIT */
const EMBSTR_SIZE_LIMIT = 44;
/** tryObjectEncoding only tries integers up to this many bytes. */
const INT_ENCODING_MAX_LENGTH = 20;
/** OBJ_SHARED_INTEGERS: 0..9999 come from a pool of shared objects. */
const SHARED_INTEGERS = 10000;
/** OBJ_SHARED_REFCOUNT (INT_MAX): what REFCOUNT reports for a shared object. */
const SHARED_REFCOUNT = 2147483647;

/**
 * The encoding tryObjectEncoding gives a string stored by SET and friends:
 * `int` when string2l accepts it, `embstr` up to 44 bytes, else `raw`.
 *
 * Known difference: Redis remembers how a value was made, reddish can't,
 * because string values are immutable JS strings. A string that APPEND,
 * SETRANGE or SETBIT grew in place is `raw` in Redis even when short or
 * numeric; reddish reports what SET would have produced for the same bytes.
 */
function stringEncoding(s: string): string {
  if (s.length <= INT_ENCODING_MAX_LENGTH && parseInteger(s) !== null) return 'int';
  return s.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
}

/**
 * Redis stops sharing integers when maxmemory is set with an LRU or LFU
 * policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS), since a shared object has
 * no access clock of its own.
 *
 * Known difference: Redis decides at the moment the value is stored, and a
 * value keeps its shared object after a later CONFIG SET; reddish decides
 * with the configuration of the moment OBJECT REFCOUNT is asked.
 */
function sharesIntegers(c: Client): boolean {
  if (c.server.config.get('maxmemory') === 0) return true;
  const policy = c.server.config.get('maxmemory-policy');
  return !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
}

export function refcount(c: Client, value: Value, clock: number): number {
  // A string built in place (APPEND, INCRBYFLOAT...) is an object of its own.
  if (typeof value !== 'string' || value.length > 4 || (clock & (RAW_STRING_ENCODING | EMBSTR_STRING_ENCODING)) !== 0) return 1;
  const n = parseInteger(value);
  return n !== null && n >= 0 && n < SHARED_INTEGERS && sharesIntegers(c) ? SHARED_REFCOUNT : 1;
}

/**
 * objectCommandLookupOrReply: the value, or a null reply and undefined. A
 * miss is counted but not notified (LOOKUP_NOTOUCH|LOOKUP_NONOTIFY).
 */
function lookupOrNull(c: Client, key: string): Value | undefined {
  const value = lookupReadNoTouch(c, key, false);
  if (value === undefined) c.reply.nullBulk();
  return value;
}

/** OBJECT ENCODING key */
function objectEncodingCommand(c: Client, argv: string[]): void {
  const value = lookupOrNull(c, argv[2]!);
  if (value === undefined) return;
  c.reply.bulk(encodingName(c, value, c.db.clockOf(argv[2]!)!));
}

/** The encoding OBJECT ENCODING and DEBUG OBJECT report for a value with the given clock word. */
export function encodingName(c: Client, value: Value, clock: number): string {
  if (typeof value !== 'string') return value.encoding(c.server.encoding);
  if (clock & RAW_STRING_ENCODING) return 'raw';
  if (clock & EMBSTR_STRING_ENCODING) return value.length <= EMBSTR_SIZE_LIMIT ? 'embstr' : 'raw';
  return stringEncoding(value);
}

export const objectEncodingSpec: CommandSpec = {
  name: 'encoding',
  arity: 3,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'generic',
  summary: 'Inspect the internal encoding of a Redis object',
  since: '2.2.3',
  complexity: 'O(1)',
  syntax: 'key',
  handler: objectEncodingCommand,
};

/** OBJECT REFCOUNT key */
function objectRefcountCommand(c: Client, argv: string[]): void {
  const value = lookupOrNull(c, argv[2]!);
  if (value === undefined) return;
  c.reply.integer(refcount(c, value, c.db.clockOf(argv[2]!)!));
}

export const objectRefcountSpec: CommandSpec = {
  name: 'refcount',
  arity: 3,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'generic',
  summary: 'Get the number of references to the value of the key',
  since: '2.2.3',
  complexity: 'O(1)',
  syntax: 'key',
  handler: objectRefcountCommand,
};

/** OBJECT IDLETIME key: seconds since the last access, under an LRU clock only. */
function objectIdletimeCommand(c: Client, argv: string[]): void {
  const entry = lookupOrNull(c, argv[2]!);
  if (entry === undefined) return;
  const keyspace = c.server.keyspace;
  if (keyspace.policy.lfu) {
    c.reply.error(errors.idleTimeNotTracked);
    return;
  }
  c.reply.integer(keyspace.idleSeconds(c.db.clockOf(argv[2]!)!));
}

export const objectIdletimeSpec: CommandSpec = {
  name: 'idletime',
  arity: 3,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'generic',
  summary: 'Get the time since a Redis object was last accessed',
  since: '2.2.3',
  complexity: 'O(1)',
  syntax: 'key',
  handler: objectIdletimeCommand,
};

/** OBJECT FREQ key: the decayed LFU counter, under an LFU policy only. */
function objectFreqCommand(c: Client, argv: string[]): void {
  const entry = lookupOrNull(c, argv[2]!);
  if (entry === undefined) return;
  const keyspace = c.server.keyspace;
  if (!keyspace.policy.lfu) {
    c.reply.error(errors.frequencyNotTracked);
    return;
  }
  c.reply.integer(keyspace.frequency(c.db.clockOf(argv[2]!)!));
}

export const objectFreqSpec: CommandSpec = {
  name: 'freq',
  arity: 3,
  flags: ['readonly'],
  firstKey: 2,
  lastKey: 2,
  keyStep: 1,
  group: 'generic',
  summary: 'Get the logarithmic access frequency counter of a Redis object',
  since: '4.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: objectFreqCommand,
};

const OBJECT_HELP: readonly string[] = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
];

/** OBJECT HELP */
function objectHelpCommand(c: Client): void {
  replyHelp(c, 'OBJECT', OBJECT_HELP);
}

export const objectHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'generic',
  summary: 'Show helpful text about the different subcommands',
  since: '6.2.0',
  complexity: 'O(1)',
  handler: objectHelpCommand,
};

/** OBJECT <subcommand> [<arg> [value] [opt] ...]: a container, dispatch picks the subcommand. */
export const objectSpec: CommandSpec = {
  name: 'object',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'generic',
  summary: 'A container for object introspection commands',
  since: '2.2.3',
  complexity: 'Depends on subcommand.',
  subcommands: [objectEncodingSpec, objectRefcountSpec, objectIdletimeSpec, objectFreqSpec, objectHelpSpec],
};
