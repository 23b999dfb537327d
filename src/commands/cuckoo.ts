/**
 * Cuckoo filter commands (RedisBloom's CF.* in rebloom.c): CF.RESERVE,
 * CF.ADD, CF.ADDNX, CF.INSERT, CF.INSERTNX, CF.EXISTS, CF.MEXISTS, CF.COUNT,
 * CF.DEL, CF.COMPACT, CF.INFO, CF.DEBUG, CF.SCANDUMP, CF.LOADCHUNK.
 *
 * Error texts are RedisBloom's, verbatim. Many have no "ERR " prefix: a
 * module's RedisModule_ReplyWithError sends its text as is, so a client sees
 * "-Filter is full", with "Filter" as the error code; reddish sends the same.
 *
 * This file also holds what rebloom.c shares between its bloom and cuckoo
 * commands (statusStrerror, the "partial write" signal): bloom.ts, which
 * gathers every RedisBloom group into one list, imports from here, never the
 * reverse, so the modules stay free of import cycles.
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandHandler } from './types.js';
import { CUCKOO_MAX_EXPANSIONS, CuckooFilter, ProbabilisticError } from '../store/probabilistic/index.js';
import { SIGNAL_ONLY } from '../store/keyspace-events.js';
import type { Value } from '../store/types.js';
import { parseInteger } from '../text/numbers.js';
import { isOption } from './parse.js';
import type { CommandSpec } from './types.js';

// rebloom.c's defaults (CFDefaultInitCapacity, CF_DEFAULT_*): what CF.ADD
// and CF.INSERT create a missing filter with.
const CF_DEFAULT_CAPACITY = 1024;
const CF_DEFAULT_BUCKET_SIZE = 2;
const CF_DEFAULT_MAX_ITERATIONS = 20;
const CF_DEFAULT_EXPANSION = 1;

const cfErrors = {
  badCapacity: 'Bad capacity',
  smallCapacity: 'Capacity must be at least (BucketSize * 2)',
  cannotCreate: "Couldn't create Cuckoo Filter",
  couldNotCreate: 'Could not create filter',
  maxExpansions: 'Maximum expansions reached',
  full: 'Filter is full',
  unknownArgument: 'Unknown argument received',
  delNotFound: 'Not found',
  compactNotFound: 'Cuckoo filter was not found',
  invalidPosition: 'Invalid position',
} as const;

/** rebloom.c's lookupStatus: what a key holds, from a filter command's point of view. */
export type FilterStatus = 'ok' | 'empty' | 'mismatch';

/** statusStrerror: the reply for a key that isn't what the command needs. */
export function filterStatusError(status: FilterStatus): string {
  if (status === 'empty') return 'ERR not found';
  if (status === 'mismatch') return errors.wrongType;
  return 'ERR item exists';
}

/** getValue in rebloom.c: 'empty' for no key, 'mismatch' for another type. */
export function filterStatus(value: Value | undefined, kind: abstract new (...args: never[]) => object): FilterStatus {
  if (value === undefined) return 'empty';
  return value instanceof kind ? 'ok' : 'mismatch';
}

/**
 * RMUtil_ArgIndex: the position of an option anywhere from `from` on, by
 * exact case-insensitive match, or -1. RedisBloom also looks at the command
 * name and the key, so a key named "NONSCALING" would set the option; we
 * start after the key.
 */
export function argIndex(argv: readonly string[], lowercaseName: string, from: number): number {
  for (let i = from; i < argv.length; i++) {
    if (isOption(argv[i]!, lowercaseName)) return i;
  }
  return -1;
}

/**
 * RedisBloom sends no keyspace notifications. Redis still signals a key a
 * module opened for writing (moduleCloseKey's signalModifiedKey), so the
 * seat hears the change as SIGNAL_ONLY; and RedisModule_ReplicateVerbatim
 * adds one to dirty.
 */
const MODULE_WRITE_EVENT = SIGNAL_ONLY;

/**
 * Each RedisBloom write ends in RedisModule_ReplicateVerbatim when it
 * succeeds: the command propagates as sent, and dirty rises by one.
 */
export function replicateVerbatimOnSuccess(handler: CommandHandler): CommandHandler {
  return (c, argv) => {
    const errorsBefore = c.reply.errorCount;
    handler(c, argv);
    if (c.reply.errorCount === errorsBefore) c.server.events.keyModified(c.db, argv[1]!, MODULE_WRITE_EVENT);
  };
}

/**
 * A command that replied an error element inside its array after changing a
 * key still changed it, and RedisBloom replicates it: the error makes
 * replicateVerbatimOnSuccess skip it, so these commands announce it
 * themselves.
 */
export function signalPartialWrite(c: Client, key: string): void {
  c.server.events.keyModified(c.db, key, MODULE_WRITE_EVENT);
}

// ---- CF.RESERVE ---------------------------------------------------------------

/**
 * One of CF.RESERVE's numeric options: its default, and the range and error
 * texts RedisBloom enforces since the CVE-2024-25116 fix.
 */
interface ReserveOption {
  name: string;
  fallback: number;
  min: number;
  max: number;
  parseError: string;
  rangeError: string;
}

const maxIterationsOption: ReserveOption = {
  name: 'maxiterations',
  fallback: CF_DEFAULT_MAX_ITERATIONS,
  min: 1,
  max: 65535,
  parseError: "Couldn't parse MAXITERATIONS",
  rangeError: 'MAXITERATIONS: value must be an integer between 1 and 65535, inclusive.',
};

const bucketSizeOption: ReserveOption = {
  name: 'bucketsize',
  fallback: CF_DEFAULT_BUCKET_SIZE,
  min: 1,
  max: 255,
  parseError: "Couldn't parse BUCKETSIZE",
  rangeError: 'BUCKETSIZE: value must be an integer between 1 and 255, inclusive.',
};

const expansionOption: ReserveOption = {
  name: 'expansion',
  fallback: CF_DEFAULT_EXPANSION,
  min: 0,
  max: 32768,
  parseError: "Couldn't parse EXPANSION",
  rangeError: 'EXPANSION: value must be an integer between 0 and 32768, inclusive.',
};

/** The option's value, its default when absent, or null after replying its error. */
function reserveOption(c: Client, argv: string[], option: ReserveOption): number | null {
  const at = argIndex(argv, option.name, 3);
  if (at === -1) return option.fallback;
  const value = at + 1 < argv.length ? parseInteger(argv[at + 1]!) : null;
  if (value === null) {
    c.reply.error(option.parseError);
    return null;
  }
  if (value < option.min || value > option.max) {
    c.reply.error(option.rangeError);
    return null;
  }
  return value;
}

/** CF.RESERVE key capacity [BUCKETSIZE n] [MAXITERATIONS n] [EXPANSION n] */
function cfReserve(c: Client, argv: string[]): void {
  // Options come in pairs, so the call has an odd number of words.
  if (argv.length % 2 === 0) {
    c.reply.error(wrongArity('cf.reserve'));
    return;
  }
  const capacity = parseInteger(argv[2]!);
  if (capacity === null) {
    c.reply.error(cfErrors.badCapacity);
    return;
  }
  // Checked in RedisBloom's order, whatever the order of the arguments.
  const maxIterations = reserveOption(c, argv, maxIterationsOption);
  if (maxIterations === null) return;
  const bucketSize = reserveOption(c, argv, bucketSizeOption);
  if (bucketSize === null) return;
  const expansion = reserveOption(c, argv, expansionOption);
  if (expansion === null) return;
  if (bucketSize * 2 > capacity) {
    c.reply.error(cfErrors.smallCapacity);
    return;
  }
  const key = argv[1]!;
  const status = filterStatus(c.db.lookupWrite(key), CuckooFilter);
  if (status !== 'empty') {
    c.reply.error(filterStatusError(status));
    return;
  }
  const filter = createFilter(capacity, bucketSize, maxIterations, expansion);
  if (filter === null) {
    c.reply.error(cfErrors.cannotCreate);
    return;
  }
  c.db.add(key, filter);
  c.reply.raw(shared.ok);
}

/** A new filter, or null when its size is beyond what we allocate. */
function createFilter(capacity: number, bucketSize: number, maxIterations: number, expansion: number): CuckooFilter | null {
  if (!Number.isSafeInteger(capacity)) return null;
  try {
    return new CuckooFilter(capacity, bucketSize, maxIterations, expansion);
  } catch (e) {
    if (e instanceof ProbabilisticError) return null;
    throw e;
  }
}

// ---- CF.ADD, CF.ADDNX, CF.INSERT, CF.INSERTNX ------------------------------

interface CuckooInsertOptions {
  nx: boolean;
  autocreate: boolean;
  /** CF.INSERT*: an array reply, -1 for "full" instead of an error. */
  multi: boolean;
  capacity: number;
}

/** cfInsertCommon */
function insertItems(c: Client, key: string, argv: string[], first: number, options: CuckooInsertOptions): void {
  const entry = c.db.lookupWrite(key);
  let filter: CuckooFilter;
  if (entry === undefined) {
    if (!options.autocreate) {
      c.reply.error(filterStatusError('empty'));
      return;
    }
    const created = createFilter(options.capacity, CF_DEFAULT_BUCKET_SIZE, CF_DEFAULT_MAX_ITERATIONS, CF_DEFAULT_EXPANSION);
    if (created === null) {
      c.reply.error(cfErrors.couldNotCreate);
      return;
    }
    filter = created;
    c.db.add(key, filter);
  } else if (entry instanceof CuckooFilter) {
    filter = entry;
  } else {
    c.reply.error(errors.wrongType);
    return;
  }
  // Checked once per call, as RedisBloom does: a long CF.INSERT may still
  // grow past the limit, but a filter that reached it takes no more calls.
  if (filter.numberOfFilters >= CUCKOO_MAX_EXPANSIONS) {
    c.reply.error(cfErrors.maxExpansions);
    return;
  }
  // RedisBloom answers booleans (RESP3 true/false), except CF.INSERTNX,
  // whose three outcomes 1/0/-1 stay integers.
  const integers = options.multi && options.nx;
  if (options.multi) c.reply.arrayHeader(argv.length - first);
  let inserted = false;
  let failed = false;
  for (let i = first; i < argv.length; i++) {
    let result;
    try {
      result = options.nx ? filter.addNx(argv[i]!) : filter.add(argv[i]!);
    } catch (e) {
      if (!(e instanceof ProbabilisticError)) throw e;
      c.reply.error(e.message);
      failed = true;
      continue;
    }
    if (result === 'full') {
      if (!options.multi) {
        c.reply.error(cfErrors.full);
        return;
      }
      c.reply.integer(-1);
    } else if (integers) {
      c.reply.integer(result === 'inserted' ? 1 : 0);
    } else {
      c.reply.bool(result === 'inserted');
    }
    if (result === 'inserted') inserted = true;
  }
  if (failed && inserted) signalPartialWrite(c, key);
}

/** CF.ADD key item / CF.ADDNX key item */
function cfAddCommand(nx: boolean) {
  return (c: Client, argv: string[]): void => {
    insertItems(c, argv[1]!, argv, 2, { nx, autocreate: true, multi: false, capacity: CF_DEFAULT_CAPACITY });
  };
}

/**
 * CF.INSERT / CF.INSERTNX key [CAPACITY n] [NOCREATE] ITEMS item [item ...].
 * Like RedisBloom, options are told apart by their first letter only.
 */
function cfInsertCommand(nx: boolean, name: string) {
  return (c: Client, argv: string[]): void => {
    const options: CuckooInsertOptions = { nx, autocreate: true, multi: true, capacity: CF_DEFAULT_CAPACITY };
    let itemsAt = -1;
    let at = 2;
    while (at < argv.length && itemsAt < 0) {
      const option = argv[at]!.charAt(0).toLowerCase();
      if (option === 'c') {
        if (++at === argv.length) {
          c.reply.error(wrongArity(name));
          return;
        }
        const capacity = parseInteger(argv[at++]!);
        if (capacity === null) {
          c.reply.error(cfErrors.badCapacity);
          return;
        }
        if (CF_DEFAULT_BUCKET_SIZE * 2 > capacity) {
          c.reply.error(cfErrors.smallCapacity);
          return;
        }
        options.capacity = capacity;
      } else if (option === 'i') {
        itemsAt = ++at;
      } else if (option === 'n') {
        options.autocreate = false;
        at++;
      } else {
        c.reply.error(cfErrors.unknownArgument);
        return;
      }
    }
    if (itemsAt < 0 || itemsAt === argv.length) {
      c.reply.error(wrongArity(name));
      return;
    }
    insertItems(c, argv[1]!, argv, itemsAt, options);
  };
}

// ---- CF.EXISTS, CF.MEXISTS, CF.COUNT ------------------------------------------

/**
 * CFCheck: a missing key answers 0 for every item. A key of another type
 * answers WRONGTYPE, as every other command does on a mismatched type
 * (RedisBloom itself answers 0 here; the keyspace rule wins, see DESIGN.md).
 */
function cfCheckCommand(mode: 'exists' | 'mexists' | 'count') {
  return (c: Client, argv: string[]): void => {
    const entry = c.db.lookupRead(argv[1]!);
    if (entry !== undefined && !(entry instanceof CuckooFilter)) {
      c.reply.error(errors.wrongType);
      return;
    }
    const filter = entry !== undefined ? (entry as CuckooFilter) : null;
    if (mode === 'mexists') c.reply.arrayHeader(argv.length - 2);
    for (let i = 2; i < argv.length; i++) {
      if (mode === 'count') c.reply.integer(filter === null ? 0 : filter.count(argv[i]!));
      else c.reply.bool(filter !== null && filter.exists(argv[i]!));
    }
  };
}

// ---- CF.DEL, CF.COMPACT ----------------------------------------------------------

/** CF.DEL key item */
function cfDel(c: Client, argv: string[]): void {
  const entry = c.db.lookupWrite(argv[1]!);
  if (entry === undefined) {
    c.reply.error(cfErrors.delNotFound);
    return;
  }
  if (!(entry instanceof CuckooFilter)) {
    c.reply.error(errors.wrongType);
    return;
  }
  c.reply.bool(entry.delete(argv[2]!));
}

/** CF.COMPACT key: moves items into older sub-filters and drops the emptied ones. */
function cfCompact(c: Client, argv: string[]): void {
  const entry = c.db.lookupWrite(argv[1]!);
  if (entry === undefined || !(entry instanceof CuckooFilter)) {
    c.reply.error(cfErrors.compactNotFound);
    return;
  }
  entry.compact();
  c.reply.raw(shared.ok);
}

// ---- CF.INFO, CF.DEBUG -----------------------------------------------------------

/** The filter under argv[1] for a read-only command, or null after replying the error. */
function readFilter(c: Client, argv: string[]): CuckooFilter | null {
  const entry = c.db.lookupRead(argv[1]!);
  const status = filterStatus(entry, CuckooFilter);
  if (status !== 'ok') {
    c.reply.error(filterStatusError(status));
    return null;
  }
  return entry! as CuckooFilter;
}

/** CF.INFO key: a map in RESP3, a flat array in RESP2. */
function cfInfo(c: Client, argv: string[]): void {
  const filter = readFilter(c, argv);
  if (filter === null) return;
  const info = filter.info();
  const fields: Array<[string, number]> = [
    ['Size', info.size],
    ['Number of buckets', info.numberOfBuckets],
    ['Number of filters', info.numberOfFilters],
    ['Number of items inserted', info.numberOfItemsInserted],
    ['Number of items deleted', info.numberOfItemsDeleted],
    ['Bucket size', info.bucketSize],
    ['Expansion rate', info.expansionRate],
    ['Max iterations', info.maxIterations],
  ];
  c.reply.mapHeader(fields.length);
  for (const [name, value] of fields) {
    c.reply.simple(name);
    c.reply.integer(value);
  }
}

/** CF.DEBUG key: one line in RedisBloom's format. */
function cfDebug(c: Client, argv: string[]): void {
  const filter = readFilter(c, argv);
  if (filter === null) return;
  const info = filter.info();
  c.reply.bulk(
    `bktsize:${info.bucketSize} buckets:${info.numberOfBuckets} items:${info.numberOfItemsInserted} ` +
      `deletes:${info.numberOfItemsDeleted} filters:${info.numberOfFilters} ` +
      `max_iterations:${info.maxIterations} expansion:${info.expansionRate}`,
  );
}

// ---- CF.SCANDUMP, CF.LOADCHUNK -------------------------------------------------

/**
 * A dump position: CF.SCANDUMP and CF.LOADCHUNK check it before the key.
 * Negative positions are refused too, as RedisBloom's own tests expect.
 */
function readPosition(c: Client, text: string, allowZero: boolean): number | null {
  const position = parseInteger(text);
  if (position === null || position < 0 || (position === 0 && !allowZero)) {
    c.reply.error(cfErrors.invalidPosition);
    return null;
  }
  return position;
}

/** CF.SCANDUMP key iterator: [next iterator, chunk], [0, nil] at the end or for an empty filter. */
function cfScanDump(c: Client, argv: string[]): void {
  const position = readPosition(c, argv[2]!, true);
  if (position === null) return;
  const filter = readFilter(c, argv);
  if (filter === null) return;
  const chunk = filter.scanDump(position);
  c.reply.arrayHeader(2);
  c.reply.integer(chunk.iter);
  c.reply.bulkOrNull(chunk.data);
}

/** CF.LOADCHUNK key iterator data: iterator 1 carries the header and creates the key. */
function cfLoadChunk(c: Client, argv: string[]): void {
  const position = readPosition(c, argv[2]!, false);
  if (position === null) return;
  const key = argv[1]!;
  const entry = c.db.lookupWrite(key);
  const status = filterStatus(entry, CuckooFilter);
  try {
    if (position === 1) {
      if (status !== 'empty') {
        c.reply.error(filterStatusError(status));
        return;
      }
      c.db.add(key, CuckooFilter.fromHeader(argv[3]!));
    } else {
      if (status !== 'ok') {
        c.reply.error(filterStatusError(status));
        return;
      }
      (entry! as CuckooFilter).loadChunk(position, argv[3]!);
    }
  } catch (e) {
    if (!(e instanceof ProbabilisticError)) throw e;
    c.reply.error(e.message);
    return;
  }
  c.reply.raw(shared.ok);
}

// ---- the table -------------------------------------------------------------------

type CuckooSpec = Pick<CommandSpec, 'name' | 'arity' | 'flags' | 'summary' | 'syntax' | 'handler'> & { complexity?: string };

function cuckooSpec({ complexity = addComplexity, ...spec }: CuckooSpec): CommandSpec {
  return { ...spec, complexity, firstKey: 1, lastKey: 1, keyStep: 1, group: 'cf', since: '1.0.0' };
}

// RedisBloom registers its writes "write deny-oom" and its reads "readonly fast".
const WRITE: CommandSpec['flags'] = ['write', 'denyoom'];
const READ: CommandSpec['flags'] = ['readonly', 'fast'];

const addComplexity = 'O(k + i), where k is the number of sub-filters and i is maxIterations';
const insertComplexity = 'O(n * (k + i)), where n is the number of items, k is the number of sub-filters and i is maxIterations';
const lookupComplexity = 'O(k), where k is the number of sub-filters';
const insertSyntax = 'key [CAPACITY capacity:integer] [NOCREATE] ITEMS item [item ...]';

export const cfCommands: readonly CommandSpec[] = [
  cuckooSpec({
    name: 'cf.reserve',
    arity: -3,
    flags: WRITE,
    summary: 'Creates a new Cuckoo Filter',
    complexity: 'O(1)',
    syntax: 'key capacity:integer [BUCKETSIZE bucketsize:integer] [MAXITERATIONS maxiterations:integer] [EXPANSION expansion:integer]',
    handler: cfReserve,
  }),
  cuckooSpec({
    name: 'cf.add',
    arity: 3,
    flags: WRITE,
    summary: 'Adds an item to a Cuckoo Filter',
    syntax: 'key item',
    handler: cfAddCommand(false),
  }),
  cuckooSpec({
    name: 'cf.addnx',
    arity: 3,
    flags: WRITE,
    summary: 'Adds an item to a Cuckoo Filter if the item did not exist previously.',
    syntax: 'key item',
    handler: cfAddCommand(true),
  }),
  cuckooSpec({
    name: 'cf.insert',
    arity: -4,
    flags: WRITE,
    summary: 'Adds one or more items to a Cuckoo Filter. A filter will be created if it does not exist',
    complexity: insertComplexity,
    syntax: insertSyntax,
    handler: cfInsertCommand(false, 'cf.insert'),
  }),
  cuckooSpec({
    name: 'cf.insertnx',
    arity: -4,
    flags: WRITE,
    summary:
      'Adds one or more items to a Cuckoo Filter if the items did not exist previously. A filter will be created if it does not exist',
    complexity: insertComplexity,
    syntax: insertSyntax,
    handler: cfInsertCommand(true, 'cf.insertnx'),
  }),
  cuckooSpec({
    name: 'cf.exists',
    arity: 3,
    flags: READ,
    summary: 'Checks whether one or more items exist in a Cuckoo Filter',
    complexity: lookupComplexity,
    syntax: 'key item',
    handler: cfCheckCommand('exists'),
  }),
  cuckooSpec({
    name: 'cf.mexists',
    arity: -3,
    flags: READ,
    summary: 'Checks whether one or more items exist in a Cuckoo Filter',
    complexity: 'O(k * n), where k is the number of sub-filters and n is the number of items',
    syntax: 'key item [item ...]',
    handler: cfCheckCommand('mexists'),
  }),
  cuckooSpec({
    name: 'cf.count',
    arity: 3,
    flags: READ,
    summary: 'Return the number of times an item might be in a Cuckoo Filter',
    complexity: lookupComplexity,
    syntax: 'key item',
    handler: cfCheckCommand('count'),
  }),
  // RedisBloom registers CF.DEL "write fast": it never allocates.
  cuckooSpec({
    name: 'cf.del',
    arity: 3,
    flags: ['write', 'fast'],
    summary: 'Deletes an item from a Cuckoo Filter',
    complexity: lookupComplexity,
    syntax: 'key item',
    handler: cfDel,
  }),
  // RedisBloom calls CF.COMPACT read-only since no item is added or lost, but
  // it rewrites the filter's contents, which WATCH and dirty must see.
  cuckooSpec({
    name: 'cf.compact',
    arity: 2,
    flags: ['write'],
    summary: 'Compacts a Cuckoo Filter, moving items into older sub-filters and removing emptied ones',
    complexity: 'O(n), where n is the number of slots',
    syntax: 'key',
    handler: cfCompact,
  }),
  cuckooSpec({
    name: 'cf.info',
    arity: 2,
    flags: READ,
    summary: 'Returns information about a Cuckoo Filter',
    complexity: 'O(1)',
    syntax: 'key',
    handler: cfInfo,
  }),
  cuckooSpec({
    name: 'cf.debug',
    arity: 2,
    flags: READ,
    summary: "Returns a Cuckoo Filter's parameters on one line",
    complexity: 'O(1)',
    syntax: 'key',
    handler: cfDebug,
  }),
  cuckooSpec({
    name: 'cf.scandump',
    arity: 3,
    flags: READ,
    summary: 'Begins an incremental save of the bloom filter',
    complexity: 'O(n), where n is the capacity',
    syntax: 'key iterator:integer',
    handler: cfScanDump,
  }),
  cuckooSpec({
    name: 'cf.loadchunk',
    arity: 4,
    flags: WRITE,
    summary: 'Restores a filter previously saved using SCANDUMP',
    complexity: 'O(n), where n is the capacity',
    syntax: 'key iterator:integer data',
    handler: cfLoadChunk,
  }),
];
