/**
 * Bloom filter commands (RedisBloom's BF.* in rebloom.c): BF.RESERVE,
 * BF.ADD, BF.MADD, BF.INSERT, BF.EXISTS, BF.MEXISTS, BF.INFO, BF.CARD,
 * BF.DEBUG, BF.SCANDUMP, BF.LOADCHUNK.
 *
 * Error texts are RedisBloom's, verbatim (errors.ts), including the ones
 * without an "ERR " prefix ("Bad error rate", "Nonscaling filters cannot
 * expand"): RedisModule_ReplyWithError sends a module's text as is.
 *
 * Each command's spec follows its handler. RedisBloom registers its writes
 * "write deny-oom" and its reads "readonly fast".
 */
import { errors, wrongArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import type { Client, CommandSpec } from './types.js';
import { ProbabilisticError, ScalableBloom } from '../store/probabilistic/index.js';
import { parseDouble, parseInteger } from '../text/numbers.js';
import { argIndex, filterStatus, filterStatusError, readFilterOrReply } from './redisbloom.js';
import { signalPartialWrite } from './module-writes.js';

// rebloom.c's BFDefaultErrorRate, BFDefaultInitCapacity, BF_DEFAULT_EXPANSION:
// what BF.ADD, BF.MADD and BF.INSERT create a missing filter with.
const BF_DEFAULT_ERROR_RATE = 0.01;
const BF_DEFAULT_CAPACITY = 100;
const BF_DEFAULT_EXPANSION = 2;
// SBChain keeps the expansion in an unsigned int.
const BF_MAX_EXPANSION = 0xffffffff;

const hashesComplexity = 'O(k), where k is the number of hash functions used by the last sub-filter';
const itemsComplexity = 'O(k * n), where k is the number of hash functions and n is the number of items';
const addManySummary = 'Adds one or more items to a Bloom Filter. A filter will be created if it does not exist';

/** A new chain, or null when RedisBloom would fail to allocate it ("could not create filter"). */
function createChain(errorRate: number, capacity: number, expansion: number, nonScaling: boolean): ScalableBloom | null {
  if (!Number.isSafeInteger(capacity)) return null;
  try {
    return new ScalableBloom(errorRate, capacity, expansion, nonScaling);
  } catch (e) {
    if (e instanceof ProbabilisticError) return null;
    throw e;
  }
}

// ---- BF.RESERVE ---------------------------------------------------------------

/**
 * BF.RESERVE key error_rate capacity [EXPANSION expansion] [NONSCALING]
 *
 * Options are found by searching the arguments, so unknown words between
 * them are ignored, as in RedisBloom.
 */
function bfReserveCommand(c: Client, argv: string[]): void {
  if (argv.length > 7) {
    c.reply.error(wrongArity('bf.reserve'));
    return;
  }
  const errorRate = parseDouble(argv[2]!);
  if (errorRate === null) {
    c.reply.error(errors.bfBadErrorRate);
    return;
  }
  if (errorRate >= 1 || errorRate <= 0) {
    c.reply.error(errors.bfErrorRateRange);
    return;
  }
  const capacity = parseInteger(argv[3]!);
  if (capacity === null) {
    c.reply.error(errors.bfBadCapacity);
    return;
  }
  if (capacity <= 0) {
    c.reply.error(errors.bfCapacityRange);
    return;
  }
  const nonScaling = argIndex(argv, 'nonscaling', 4) !== -1;
  let expansion = BF_DEFAULT_EXPANSION;
  const expansionAt = argIndex(argv, 'expansion', 4);
  if (expansionAt !== -1) {
    if (expansionAt + 1 === argv.length) {
      c.reply.error(errors.bfNoExpansion);
      return;
    }
    if (nonScaling) {
      c.reply.error(errors.bfNonScalingExpansion);
      return;
    }
    const value = parseInteger(argv[expansionAt + 1]!);
    if (value === null || value > BF_MAX_EXPANSION) {
      c.reply.error(errors.bfBadExpansion);
      return;
    }
    if (value < 1) {
      c.reply.error(errors.bfExpansionRange);
      return;
    }
    expansion = value;
  }
  const key = argv[1]!;
  const status = filterStatus(c.db.lookupWrite(key), ScalableBloom);
  if (status !== 'empty') {
    c.reply.error(filterStatusError(status));
    return;
  }
  const bloom = createChain(errorRate, capacity, expansion, nonScaling);
  if (bloom === null) {
    c.reply.error(errors.bfCouldNotCreate);
    return;
  }
  c.db.add(key, bloom);
  c.reply.raw(shared.ok);
}

export const bfReserveSpec: CommandSpec = {
  name: 'bf.reserve',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Creates a new Bloom Filter',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key error_rate:double capacity:integer [EXPANSION expansion:integer] [NONSCALING]',
  handler: bfReserveCommand,
};

// ---- BF.ADD, BF.MADD, BF.INSERT -------------------------------------------------

interface BloomInsertOptions {
  capacity: number;
  errorRate: number;
  expansion: number;
  nonScaling: boolean;
  autocreate: boolean;
}

const defaultInsertOptions: Readonly<BloomInsertOptions> = {
  capacity: BF_DEFAULT_CAPACITY,
  errorRate: BF_DEFAULT_ERROR_RATE,
  expansion: BF_DEFAULT_EXPANSION,
  nonScaling: false,
  autocreate: true,
};

/**
 * bfInsertCommon: adds argv[first..] to the filter, creating it when
 * allowed. BF.ADD replies one boolean; BF.MADD and BF.INSERT an array that,
 * like RedisBloom's, ends at the first item a full NONSCALING filter refuses,
 * with that item's error as its last element.
 */
function insertItems(c: Client, argv: string[], first: number, options: BloomInsertOptions, multi: boolean): void {
  const key = argv[1]!;
  const entry = c.db.lookupWrite(key);
  let bloom: ScalableBloom;
  if (entry === undefined) {
    if (!options.autocreate) {
      c.reply.error(filterStatusError('empty'));
      return;
    }
    const created = createChain(options.errorRate, options.capacity, options.expansion, options.nonScaling);
    if (created === null) {
      c.reply.error(errors.bfCouldNotCreate);
      return;
    }
    bloom = created;
    c.db.add(key, bloom);
  } else if (entry instanceof ScalableBloom) {
    bloom = entry;
  } else {
    c.reply.error(errors.wrongType);
    return;
  }

  if (!multi) {
    try {
      c.reply.bool(bloom.add(argv[first]!));
    } catch (e) {
      if (!(e instanceof ProbabilisticError)) throw e;
      c.reply.error(e.message);
    }
    return;
  }
  const results: Array<boolean | string> = [];
  for (let i = first; i < argv.length; i++) {
    try {
      results.push(bloom.add(argv[i]!));
    } catch (e) {
      if (!(e instanceof ProbabilisticError)) throw e;
      results.push(e.message);
      break;
    }
  }
  c.reply.arrayHeader(results.length);
  for (const result of results) {
    if (typeof result === 'boolean') c.reply.bool(result);
    else c.reply.error(result);
  }
  if (typeof results[results.length - 1] === 'string' && (entry === undefined || results.includes(true))) {
    signalPartialWrite(c, key);
  }
}

/** BF.ADD key item */
function bfAddCommand(c: Client, argv: string[]): void {
  insertItems(c, argv, 2, defaultInsertOptions, false);
}

export const bfAddSpec: CommandSpec = {
  name: 'bf.add',
  arity: 3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Adds an item to a Bloom Filter',
  since: '1.0.0',
  complexity: hashesComplexity,
  syntax: 'key item',
  handler: bfAddCommand,
};

/** BF.MADD key item [item ...] */
function bfMaddCommand(c: Client, argv: string[]): void {
  insertItems(c, argv, 2, defaultInsertOptions, true);
}

export const bfMaddSpec: CommandSpec = {
  name: 'bf.madd',
  arity: -3,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: addManySummary,
  since: '1.0.0',
  complexity: itemsComplexity,
  syntax: 'key item [item ...]',
  handler: bfMaddCommand,
};

/**
 * BF.INSERT key [CAPACITY n] [ERROR rate] [EXPANSION n] [NOCREATE] [NONSCALING] ITEMS item [item ...]
 *
 * Like RedisBloom, options are told
 * apart by their first letters only (ERROR/EXPANSION by the second,
 * NOCREATE/NONSCALING by the third), and the values are checked together
 * once ITEMS is found.
 */
function bfInsertCommand(c: Client, argv: string[]): void {
  const options: BloomInsertOptions = { ...defaultInsertOptions };
  let itemsAt = -1;
  let at = 2;
  while (at < argv.length && itemsAt < 0) {
    const option = argv[at]!.toLowerCase();
    const letter = option.charAt(0);
    if (letter === 'i') {
      itemsAt = ++at;
    } else if (letter === 'e' || letter === 'c') {
      if (++at === argv.length) {
        c.reply.error(wrongArity('bf.insert'));
        return;
      }
      const value = argv[at++]!;
      if (letter === 'c') {
        const capacity = parseInteger(value);
        if (capacity === null) {
          c.reply.error(errors.moduleBadCapacity);
          return;
        }
        options.capacity = capacity;
      } else if (option.charAt(1) === 'r') {
        const errorRate = parseDouble(value);
        if (errorRate === null) {
          c.reply.error(errors.bfInsertBadErrorRate);
          return;
        }
        options.errorRate = errorRate;
      } else {
        const expansion = parseInteger(value);
        if (expansion === null) {
          c.reply.error(errors.bfInsertBadExpansion);
          return;
        }
        options.expansion = expansion;
      }
    } else if (letter === 'n') {
      if (option.charAt(2) === 'c') options.autocreate = false;
      else options.nonScaling = true;
      at++;
    } else {
      c.reply.error(errors.moduleUnknownArgument);
      return;
    }
  }
  if (itemsAt < 0 || itemsAt === argv.length) {
    c.reply.error(wrongArity('bf.insert'));
    return;
  }
  const { errorRate, capacity, expansion } = options;
  if (errorRate <= 0 || errorRate >= 1 || capacity < 1 || expansion < 1 || expansion > BF_MAX_EXPANSION) {
    c.reply.error(errors.bfBadArgument);
    return;
  }
  insertItems(c, argv, itemsAt, options, true);
}

export const bfInsertSpec: CommandSpec = {
  name: 'bf.insert',
  arity: -4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: addManySummary,
  since: '1.0.0',
  complexity: itemsComplexity,
  syntax: 
    'key [CAPACITY capacity:integer] [ERROR error:double] [EXPANSION expansion:integer] [NOCREATE] [NONSCALING] ITEMS item [item ...]',
  handler: bfInsertCommand,
};

// ---- BF.EXISTS, BF.MEXISTS --------------------------------------------------------

/**
 * BFCheck: a missing key answers 0 for every item. A key of another type
 * answers WRONGTYPE, as every other command does on a mismatched type
 * (RedisBloom itself answers 0 here; the keyspace rule wins, see DESIGN.md).
 * BF.MEXISTS answers an array, BF.EXISTS its one boolean.
 */
function bfCheckGeneric(c: Client, argv: string[], multi: boolean): void {
  const entry = c.db.lookupRead(argv[1]!);
  if (entry !== undefined && !(entry instanceof ScalableBloom)) {
    c.reply.error(errors.wrongType);
    return;
  }
  const bloom = entry !== undefined ? (entry as ScalableBloom) : null;
  if (multi) c.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) c.reply.bool(bloom !== null && bloom.exists(argv[i]!));
}

/** BF.EXISTS key item */
function bfExistsCommand(c: Client, argv: string[]): void {
  bfCheckGeneric(c, argv, false);
}

export const bfExistsSpec: CommandSpec = {
  name: 'bf.exists',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Checks whether an item exists in a Bloom Filter',
  since: '1.0.0',
  complexity: hashesComplexity,
  syntax: 'key item',
  handler: bfExistsCommand,
};

/** BF.MEXISTS key item [item ...] */
function bfMexistsCommand(c: Client, argv: string[]): void {
  bfCheckGeneric(c, argv, true);
}

export const bfMexistsSpec: CommandSpec = {
  name: 'bf.mexists',
  arity: -3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Checks whether one or more items exist in a Bloom Filter',
  since: '1.0.0',
  complexity: itemsComplexity,
  syntax: 'key item [item ...]',
  handler: bfMexistsCommand,
};

// ---- BF.INFO, BF.CARD, BF.DEBUG --------------------------------------------------

const infoFields = ['capacity', 'size', 'filters', 'items', 'expansion'] as const;

function writeInfoValue(c: Client, value: number | null): void {
  if (value === null) c.reply.nullBulk();
  else c.reply.integer(value);
}

/**
 * BF.INFO key [CAPACITY | SIZE | FILTERS | ITEMS | EXPANSION]
 *
 * All fields as a map (a flat array in RESP2), or one field as a one-element array. A
 * NONSCALING filter's expansion rate is nil.
 */
function bfInfoCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(wrongArity('bf.info'));
    return;
  }
  const bloom = readFilterOrReply(c, argv[1]!, ScalableBloom);
  if (bloom === null) return;
  const info = bloom.info();
  const values = [info.capacity, info.size, info.numberOfFilters, info.numberOfItemsInserted, info.expansionRate];
  if (argv.length === 3) {
    const field = infoFields.findIndex((name) => argv[2]!.toLowerCase() === name);
    if (field === -1) {
      c.reply.error(errors.bfInvalidInfoField);
      return;
    }
    c.reply.arrayHeader(1);
    writeInfoValue(c, values[field]!);
    return;
  }
  const names = ['Capacity', 'Size', 'Number of filters', 'Number of items inserted', 'Expansion rate'];
  c.reply.mapHeader(names.length);
  for (let i = 0; i < names.length; i++) {
    c.reply.simple(names[i]!);
    writeInfoValue(c, values[i]!);
  }
}

export const bfInfoSpec: CommandSpec = {
  name: 'bf.info',
  arity: -2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Returns information about a Bloom Filter',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'key [CAPACITY | SIZE | FILTERS | ITEMS | EXPANSION]',
  handler: bfInfoCommand,
};

/**
 * BF.CARD key
 *
 * The items added; 0 for a missing key.
 */
function bfCardCommand(c: Client, argv: string[]): void {
  const entry = c.db.lookupRead(argv[1]!);
  const status = filterStatus(entry, ScalableBloom);
  if (status === 'mismatch') c.reply.error(errors.wrongType);
  else c.reply.integer(status === 'empty' ? 0 : (entry! as ScalableBloom).card());
}

export const bfCardSpec: CommandSpec = {
  name: 'bf.card',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Returns the cardinality of a Bloom filter',
  since: '2.4.4',
  complexity: 'O(1)',
  syntax: 'key',
  handler: bfCardCommand,
};

/**
 * C's printf("%g"): 6 significant digits, scientific notation below 1e-4 or
 * from 1e6, trailing zeros dropped, a two-digit exponent at least.
 */
function printfG(value: number): string {
  if (value === 0) return '0';
  const [mantissa, exponentText] = value.toExponential(5).split('e') as [string, string];
  const exponent = Number(exponentText);
  const trim = (digits: string) => (digits.includes('.') ? digits.replace(/0+$/, '').replace(/\.$/, '') : digits);
  if (exponent < -4 || exponent >= 6) {
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return `${trim(mantissa)}e${exponent < 0 ? '-' : '+'}${magnitude}`;
  }
  return trim(value.toFixed(5 - exponent));
}

/**
 * BF.DEBUG key
 *
 * "size:<items>", then one line per link in RedisBloom's
 * format. Every RedisBloom filter hashes with BLOOM_OPT_FORCE64, so its
 * lines say hashwidth:64; the links here have the same bits, bytes and hash
 * count, and say the same so the output compares line for line.
 */
function bfDebugCommand(c: Client, argv: string[]): void {
  const bloom = readFilterOrReply(c, argv[1]!, ScalableBloom);
  if (bloom === null) return;
  const links = bloom.debugLinks();
  c.reply.arrayHeader(1 + links.length);
  c.reply.bulk(`size:${bloom.card()}`);
  for (const link of links) {
    c.reply.bulk(
      `bytes:${link.bytes} bits:${link.bits} hashes:${link.hashes} hashwidth:64 ` +
        `capacity:${link.capacity} size:${link.size} ratio:${printfG(link.ratio)}`,
    );
  }
}

export const bfDebugSpec: CommandSpec = {
  name: 'bf.debug',
  arity: 2,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: "Returns a Bloom Filter's links, one line each",
  since: '1.0.0',
  complexity: 'O(k), where k is the number of sub-filters',
  syntax: 'key',
  handler: bfDebugCommand,
};

// ---- BF.SCANDUMP, BF.LOADCHUNK ----------------------------------------------------

/**
 * BF.SCANDUMP key iterator
 *
 * [next iterator, chunk]; [0, ""] at the end.
 */
function bfScandumpCommand(c: Client, argv: string[]): void {
  const bloom = readFilterOrReply(c, argv[1]!, ScalableBloom);
  if (bloom === null) return;
  const iterator = parseInteger(argv[2]!);
  if (iterator === null) {
    c.reply.error(errors.bfScanDumpIterator);
    return;
  }
  const chunk = bloom.scanDump(iterator);
  c.reply.arrayHeader(2);
  c.reply.integer(chunk.iter);
  c.reply.bulkOrNull(chunk.data);
}

export const bfScandumpSpec: CommandSpec = {
  name: 'bf.scandump',
  arity: 3,
  flags: ['readonly', 'fast'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Begins an incremental save of the bloom filter',
  since: '1.0.0',
  complexity: 'O(n), where n is the capacity',
  syntax: 'key iterator:integer',
  handler: bfScandumpCommand,
};

/**
 * BF.LOADCHUNK key iterator data
 *
 * Iterator 1 on a missing key carries the header and creates it.
 */
function bfLoadchunkCommand(c: Client, argv: string[]): void {
  const iterator = parseInteger(argv[2]!);
  if (iterator === null) {
    c.reply.error(errors.bfLoadChunkIterator);
    return;
  }
  const key = argv[1]!;
  const entry = c.db.lookupWrite(key);
  const status = filterStatus(entry, ScalableBloom);
  try {
    if (status === 'empty' && iterator === 1) {
      c.db.add(key, ScalableBloom.fromHeader(argv[3]!));
    } else if (status !== 'ok') {
      c.reply.error(filterStatusError(status));
      return;
    } else {
      (entry! as ScalableBloom).loadChunk(iterator, argv[3]!);
    }
  } catch (e) {
    if (!(e instanceof ProbabilisticError)) throw e;
    c.reply.error(e.message);
    return;
  }
  c.reply.raw(shared.ok);
}

export const bfLoadchunkSpec: CommandSpec = {
  name: 'bf.loadchunk',
  arity: 4,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'bf',
  summary: 'Restores a filter previously saved using SCANDUMP',
  since: '1.0.0',
  complexity: 'O(n), where n is the capacity',
  syntax: 'key iterator:integer data',
  handler: bfLoadchunkCommand,
};

export const bfCommands: readonly CommandSpec[] = [
  bfReserveSpec,
  bfAddSpec,
  bfMaddSpec,
  bfInsertSpec,
  bfExistsSpec,
  bfMexistsSpec,
  bfInfoSpec,
  bfCardSpec,
  bfDebugSpec,
  bfScandumpSpec,
  bfLoadchunkSpec,
];
