/**
 * Cuckoo filter commands (RedisBloom's CF.* in rebloom.c): CF.RESERVE,
 * CF.ADD, CF.ADDNX, CF.INSERT, CF.INSERTNX, CF.EXISTS, CF.MEXISTS, CF.COUNT,
 * CF.DEL, CF.COMPACT, CF.INFO, CF.DEBUG, CF.SCANDUMP, CF.LOADCHUNK.
 *
 * Error texts are RedisBloom's, verbatim (errors.ts). Many have no "ERR "
 * prefix: a module's RedisModule_ReplyWithError sends its text as is, so a
 * client sees "-Filter is full", with "Filter" as the error code; reddish
 * sends the same.
 *
 * Each command's spec follows its handler. RedisBloom registers its writes
 * "write deny-oom" and its reads "readonly fast".
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { CUCKOO_MAX_EXPANSIONS, CuckooFilter, ProbabilisticError } from '../store/probabilistic/index.js';
import { parseInteger } from '../text/numbers.js';
import { argIndex, filterStatus, filterStatusError, readFilterOrReply } from './redisbloom.js';
import { signalPartialWrite } from './module-writes.js';
import { cfLoadchunkSpec, cfScandumpSpec } from './cuckoo-dump.js';

// rebloom.c's defaults (CFDefaultInitCapacity, CF_DEFAULT_*): what CF.ADD
// and CF.INSERT create a missing filter with.
const CF_DEFAULT_CAPACITY = 1024;
const CF_DEFAULT_BUCKET_SIZE = 2;
const CF_DEFAULT_MAX_ITERATIONS = 20;
const CF_DEFAULT_EXPANSION = 1;

const addComplexity = 'O(k + i), where k is the number of sub-filters and i is maxIterations';
const insertComplexity = 'O(n * (k + i)), where n is the number of items, k is the number of sub-filters and i is maxIterations';
const lookupComplexity = 'O(k), where k is the number of sub-filters';
const insertSyntax = 'key [CAPACITY capacity:integer] [NOCREATE] ITEMS item [item ...]';

// ---- CF.RESERVE ---------------------------------------------------------------

/**
 * One of CF.RESERVE's numeric options: its default, and the range
 * RedisBloom enforces since the CVE-2024-25116 fix. Its error texts name it
 * in capitals.
 */
interface ReserveOption {
  name: string;
  fallback: number;
  min: number;
  max: number;
}

const maxIterationsOption: ReserveOption = {
  name: 'maxiterations',
  fallback: CF_DEFAULT_MAX_ITERATIONS,
  min: 1,
  max: 65535,
};

const bucketSizeOption: ReserveOption = {
  name: 'bucketsize',
  fallback: CF_DEFAULT_BUCKET_SIZE,
  min: 1,
  max: 255,
};

const expansionOption: ReserveOption = {
  name: 'expansion',
  fallback: CF_DEFAULT_EXPANSION,
  min: 0,
  max: 32768,
};

/** The option's value, its default when absent, or null after replying its error. */
function reserveOption(c: Client, argv: string[], option: ReserveOption): number | null {
  const at = argIndex(argv, option.name, 3);
  if (at === -1) return option.fallback;
  const value = at + 1 < argv.length ? parseInteger(argv[at + 1]!) : null;
  if (value === null) {
    c.reply.error(errors.cfOptionNotParsed(option.name.toUpperCase()));
    return null;
  }
  if (value < option.min || value > option.max) {
    c.reply.error(errors.cfOptionRange(option.name.toUpperCase(), option.min, option.max));
    return null;
  }
  return value;
}

/** CF.RESERVE key capacity [BUCKETSIZE bucketsize] [MAXITERATIONS maxiterations] [EXPANSION expansion] */
function cfReserveCommand(c: Client, argv: string[]): void {
  // Options come in pairs, so the call has an odd number of words.
  if (argv.length % 2 === 0) {
    c.reply.error(wrongArity('cf.reserve'));
    return;
  }
  const capacity = parseInteger(argv[2]!);
  if (capacity === null) {
    c.reply.error(errors.moduleBadCapacity);
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
    c.reply.error(errors.cfSmallCapacity);
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
    c.reply.error(errors.cfCannotCreate);
    return;
  }
  c.db.add(key, filter);
  c.reply.raw(shared.ok);
}

export const cfReserveSpec: CommandSpec = {
  name: 'cf.reserve',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Creates a new Cuckoo Filter',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 
    'key capacity:integer [BUCKETSIZE bucketsize:integer] [MAXITERATIONS maxiterations:integer] [EXPANSION expansion:integer]',
  handler: cfReserveCommand,
};

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
      c.reply.error(errors.cfCouldNotCreate);
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
    c.reply.error(errors.cfMaxExpansions);
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
        c.reply.error(errors.cfFull);
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

/** CF.ADD and CF.ADDNX: one item, into a filter they create with the defaults when missing. */
function cfAddGeneric(c: Client, argv: string[], nx: boolean): void {
  insertItems(c, argv[1]!, argv, 2, { nx, autocreate: true, multi: false, capacity: CF_DEFAULT_CAPACITY });
}

/** CF.ADD key item */
function cfAddCommand(c: Client, argv: string[]): void {
  cfAddGeneric(c, argv, false);
}

export const cfAddSpec: CommandSpec = {
  name: 'cf.add',
  arity: 3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Adds an item to a Cuckoo Filter',
  since: '1.0.0',
  complexity: addComplexity,
  syntax: 'key item',
  handler: cfAddCommand,
};

/** CF.ADDNX key item */
function cfAddnxCommand(c: Client, argv: string[]): void {
  cfAddGeneric(c, argv, true);
}

export const cfAddnxSpec: CommandSpec = {
  name: 'cf.addnx',
  arity: 3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Adds an item to a Cuckoo Filter if the item did not exist previously.',
  since: '1.0.0',
  complexity: addComplexity,
  syntax: 'key item',
  handler: cfAddnxCommand,
};

/**
 * CF.INSERT and CF.INSERTNX: options, then ITEMS. Like RedisBloom, options
 * are told apart by their first letter only.
 */
function cfInsertGeneric(c: Client, argv: string[], nx: boolean, name: string): void {
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
        c.reply.error(errors.moduleBadCapacity);
        return;
      }
      if (CF_DEFAULT_BUCKET_SIZE * 2 > capacity) {
        c.reply.error(errors.cfSmallCapacity);
        return;
      }
      options.capacity = capacity;
    } else if (option === 'i') {
      itemsAt = ++at;
    } else if (option === 'n') {
      options.autocreate = false;
      at++;
    } else {
      c.reply.error(errors.moduleUnknownArgument);
      return;
    }
  }
  if (itemsAt < 0 || itemsAt === argv.length) {
    c.reply.error(wrongArity(name));
    return;
  }
  insertItems(c, argv[1]!, argv, itemsAt, options);
}

/** CF.INSERT key [CAPACITY capacity] [NOCREATE] ITEMS item [item ...] */
function cfInsertCommand(c: Client, argv: string[]): void {
  cfInsertGeneric(c, argv, false, 'cf.insert');
}

export const cfInsertSpec: CommandSpec = {
  name: 'cf.insert',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Adds one or more items to a Cuckoo Filter. A filter will be created if it does not exist',
  since: '1.0.0',
  complexity: insertComplexity,
  syntax: insertSyntax,
  handler: cfInsertCommand,
};

/** CF.INSERTNX key [CAPACITY capacity] [NOCREATE] ITEMS item [item ...] */
function cfInsertnxCommand(c: Client, argv: string[]): void {
  cfInsertGeneric(c, argv, true, 'cf.insertnx');
}

export const cfInsertnxSpec: CommandSpec = {
  name: 'cf.insertnx',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary:
    'Adds one or more items to a Cuckoo Filter if the items did not exist previously. A filter will be created if it does not exist',
  since: '1.0.0',
  complexity: insertComplexity,
  syntax: insertSyntax,
  handler: cfInsertnxCommand,
};

// ---- CF.EXISTS, CF.MEXISTS, CF.COUNT ------------------------------------------

/**
 * CFCheck: a missing key answers 0 for every item. A key of another type
 * answers WRONGTYPE, as every other command does on a mismatched type
 * (RedisBloom itself answers 0 here; the keyspace rule wins, see DESIGN.md).
 */
function cfCheckGeneric(c: Client, argv: string[], mode: 'exists' | 'mexists' | 'count'): void {
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
}

/** CF.EXISTS key item */
function cfExistsCommand(c: Client, argv: string[]): void {
  cfCheckGeneric(c, argv, 'exists');
}

export const cfExistsSpec: CommandSpec = {
  name: 'cf.exists',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Checks whether one or more items exist in a Cuckoo Filter',
  since: '1.0.0',
  complexity: lookupComplexity,
  syntax: 'key item',
  handler: cfExistsCommand,
};

/** CF.MEXISTS key item [item ...] */
function cfMexistsCommand(c: Client, argv: string[]): void {
  cfCheckGeneric(c, argv, 'mexists');
}

export const cfMexistsSpec: CommandSpec = {
  name: 'cf.mexists',
  arity: -3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Checks whether one or more items exist in a Cuckoo Filter',
  since: '1.0.0',
  complexity: 'O(k * n), where k is the number of sub-filters and n is the number of items',
  syntax: 'key item [item ...]',
  handler: cfMexistsCommand,
};

/** CF.COUNT key item */
function cfCountCommand(c: Client, argv: string[]): void {
  cfCheckGeneric(c, argv, 'count');
}

export const cfCountSpec: CommandSpec = {
  name: 'cf.count',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Return the number of times an item might be in a Cuckoo Filter',
  since: '1.0.0',
  complexity: lookupComplexity,
  syntax: 'key item',
  handler: cfCountCommand,
};

// ---- CF.DEL, CF.COMPACT ----------------------------------------------------------

/** CF.DEL key item */
function cfDelCommand(c: Client, argv: string[]): void {
  const entry = c.db.lookupWrite(argv[1]!);
  if (entry === undefined) {
    c.reply.error(errors.cfDelNotFound);
    return;
  }
  if (!(entry instanceof CuckooFilter)) {
    c.reply.error(errors.wrongType);
    return;
  }
  c.reply.bool(entry.delete(argv[2]!));
}

// RedisBloom registers CF.DEL "write fast": it never allocates.
export const cfDelSpec: CommandSpec = {
  name: 'cf.del',
  arity: 3,
  flags: ['write', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Deletes an item from a Cuckoo Filter',
  since: '1.0.0',
  complexity: lookupComplexity,
  syntax: 'key item',
  handler: cfDelCommand,
};

/**
 * CF.COMPACT key
 *
 * Moves items into older sub-filters and drops the emptied ones.
 */
function cfCompactCommand(c: Client, argv: string[]): void {
  const entry = c.db.lookupWrite(argv[1]!);
  if (entry === undefined || !(entry instanceof CuckooFilter)) {
    c.reply.error(errors.cfCompactNotFound);
    return;
  }
  entry.compact();
  c.reply.raw(shared.ok);
}

// RedisBloom calls CF.COMPACT read-only since no item is added or lost, but
// it rewrites the filter's contents, which WATCH and dirty must see.
export const cfCompactSpec: CommandSpec = {
  name: 'cf.compact',
  arity: 2,
  flags: ['write'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Compacts a Cuckoo Filter, moving items into older sub-filters and removing emptied ones',
  since: '1.0.0',
  complexity: 'O(n), where n is the number of slots',
  syntax: 'key',
  handler: cfCompactCommand,
};

// ---- CF.INFO, CF.DEBUG -----------------------------------------------------------

/**
 * CF.INFO key
 *
 * A map in RESP3, a flat array in RESP2.
 */
function cfInfoCommand(c: Client, argv: string[]): void {
  const filter = readFilterOrReply(c, argv[1]!, CuckooFilter);
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

export const cfInfoSpec: CommandSpec = {
  name: 'cf.info',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: 'Returns information about a Cuckoo Filter',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: cfInfoCommand,
};

/**
 * CF.DEBUG key
 *
 * One line in RedisBloom's format.
 */
function cfDebugCommand(c: Client, argv: string[]): void {
  const filter = readFilterOrReply(c, argv[1]!, CuckooFilter);
  if (filter === null) return;
  const info = filter.info();
  c.reply.bulk(
    `bktsize:${info.bucketSize} buckets:${info.numberOfBuckets} items:${info.numberOfItemsInserted} ` +
      `deletes:${info.numberOfItemsDeleted} filters:${info.numberOfFilters} ` +
      `max_iterations:${info.maxIterations} expansion:${info.expansionRate}`,
  );
}

export const cfDebugSpec: CommandSpec = {
  name: 'cf.debug',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'cf',
  summary: "Returns a Cuckoo Filter's parameters on one line",
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key',
  handler: cfDebugCommand,
};

export const cfCommands: readonly CommandSpec[] = [
  cfReserveSpec,
  cfAddSpec,
  cfAddnxSpec,
  cfInsertSpec,
  cfInsertnxSpec,
  cfExistsSpec,
  cfMexistsSpec,
  cfCountSpec,
  cfDelSpec,
  cfCompactSpec,
  cfInfoSpec,
  cfDebugSpec,
  cfScandumpSpec,
  cfLoadchunkSpec,
];
