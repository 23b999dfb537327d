/**
 * Every error text reddish sends, written once, in Redis 7's exact words.
 * Handlers reply `c.reply.error(errors.syntax)` or a builder's result; tests
 * compare these strings byte for byte against a real redis-server.
 */

export const errors = {
  syntax: 'ERR syntax error',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  nanOrInfinity: 'ERR increment would produce NaN or Infinity',
  /** HINCRBYFLOAT's increment as a long double: NaN or ±inf. */
  valueNanOrInfinity: 'ERR value is NaN or Infinity',
  hashValueNotFloat: 'ERR hash value is not a float',
  maxClientsReached: 'ERR max number of clients reached',
  /** shared.oomerr: a denyoom command while used memory is over maxmemory and nothing can be evicted. */
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  noSuchKey: 'ERR no such key',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  invalidDbIndex: 'ERR invalid DB index',
  sameObject: 'ERR source and destination objects are the same',
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  authNotConfigured:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  invalidCursor: 'ERR invalid cursor',
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  bitOffset: 'ERR bit offset is not an integer or out of range',
  bitValue: 'ERR bit is not an integer or out of range',
  offsetOutOfRange: 'ERR offset is out of range',
  notPositive: 'ERR value is out of range, must be positive',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  timeoutNegative: 'ERR timeout is negative',
  commandNotAllowedInTransaction: 'ERR Command not allowed inside a transaction',
  internalBlockedServe: 'ERR internal error while serving a blocked command',
  internalBlockedTimeout: 'ERR internal error while answering a blocking timeout',

  // ---- strings, bitmaps, HyperLogLog ----
  decrementOverflow: 'ERR decrement would overflow',
  lcsNotStrings: 'ERR The specified keys must contain string values',
  lcsIdxAndLen: 'ERR If you want both the length and indexes, please just use IDX.',
  lcsTableTooLarge: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  lcsAllocationFailed: 'ERR Insufficient memory, failed allocating transient memory for LCS',
  bitposBit: 'ERR The bit argument must be 1 or 0.',
  bitopNot: 'ERR BITOP NOT must be called with a single source key.',
  bitfieldOverflowType: 'ERR Invalid OVERFLOW type specified',
  bitfieldReadonly: 'ERR BITFIELD_RO only supports the GET subcommand',
  bitfieldType: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  hllWrongType: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
  hllInvalid: 'INVALIDOBJ Corrupted HLL object detected',
  /** Redis 8.4 (DELEX): a condition on a key that holds another type. */
  delexNotString: 'ERR Key should be of string type if conditions are specified',
  delexInvalidCondition: 'ERR Invalid condition. Use IFEQ, IFNE, IFDEQ, or IFDNE',
  /** Redis 8.4 t_string.c (MSETEX): numkeys outside 1..INT_MAX, and fewer pairs than it says. */
  msetexInvalidNumkeys: 'ERR invalid numkeys value',
  msetexWrongPairCount: 'ERR wrong number of key-value pairs',

  // (end of strings, bitmaps, HyperLogLog)

  // ---- keys, expiry, SORT, OBJECT, transactions, server ----
  invalidFirstDbIndex: 'ERR invalid first DB index',
  invalidSecondDbIndex: 'ERR invalid second DB index',
  /** getIntFromObjectOrReply's text for an int64 that does not fit a C int. */
  intOutOfRange: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  expireNxConflict: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtLtConflict: 'ERR GT and LT options at the same time are not compatible',
  sortNotDouble: "ERR One or more scores can't be converted into double",
  idleTimeNotTracked:
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  frequencyNotTracked:
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  multiNested: 'ERR MULTI calls can not be nested',
  execWithoutMulti: 'ERR EXEC without MULTI',
  discardWithoutMulti: 'ERR DISCARD without MULTI',
  watchInsideMulti: 'ERR WATCH inside MULTI is not allowed',
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  noShutdownInProgress: 'ERR No shutdown in progress.',
  shutdownFailed: 'ERR Errors trying to SHUTDOWN. Check logs.',

  // ---- RDB snapshots ----
  /** shared.err: SAVE, BGSAVE and DEBUG RELOAD when the save fails. */
  bare: 'ERR',
  bgsaveInProgress: 'ERR Background save already in progress',
  anotherChildActive:
    "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
  /** shared.loadingerr */
  loading: 'LOADING Redis is loading the dataset in memory',
  /** shared.bgsaveerr: stop-writes-on-bgsave-error after a failed BGSAVE. */
  bgsaveMisconf:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  /** writeCommandsGetDiskErrorMessage's DISK_ERROR_TYPE_AOF: a write to the AOF failed under everysec/no. */
  aofWriteMisconf: (error: string) => `MISCONF Errors writing to the AOF file: ${error}`,
  debugReloadLoadFailed: 'ERR Error trying to load the RDB dump',
  debugReloadOptions: 'ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.',
  /** getTimeoutFromObjectOrReply in milliseconds (CLIENT PAUSE). */
  timeoutNotInteger: 'ERR timeout is not an integer or out of range',
  /** Redis 7.2's getTimeoutFromObjectOrReply: a deadline past LLONG_MAX (WAITAOF). */
  timeoutOutOfRange: 'ERR timeout is out of range',
  bgrewriteaofInProgress: 'ERR Background append only file rewriting already in progress',
  bgrewriteaofFailed: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  /** updateAppendonly's reason, inside CONFIG SET's failure text. */
  appendonlyStartFailed: 'Unable to turn on AOF. Check server logs.',
  /** Redis 7.2 replication.c waitaofCommand: numlocal 1 with appendonly no. */
  waitaofAppendonlyOff: 'ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.',
  pauseMode: 'ERR CLIENT PAUSE mode must be WRITE or ALL',
  /** MONITOR inside EXEC, or from a client with no socket: it expects one reply per command. */
  monitorDenyBlocking: "ERR MONITOR isn't allowed for DENY BLOCKING client",
  /** processCommand's refusal of a keyspace command from a MONITOR client, which Redis marks as a replica. */
  replicaKeyspace: "ERR Replica can't interact with the keyspace",

  // (end of keys, expiry, SORT, OBJECT, transactions, server)

  // ---- lists, hashes ----
  /** shared.outofrangeerr: LSET past either end. */
  indexOutOfRange: 'ERR index out of range',
  rankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  countNegative: "ERR COUNT can't be negative",
  maxlenNegative: "ERR MAXLEN can't be negative",
  /** LMPOP/BLMPOP, ZMPOP/BZMPOP, SINTERCARD, ZINTERCARD: numkeys below 1. */
  numkeysNotPositive: 'ERR numkeys should be greater than 0',
  /** LMPOP/BLMPOP, ZMPOP/BZMPOP: COUNT below 1. */
  countNotPositive: 'ERR count should be greater than 0',
  hashValueNotInteger: 'ERR hash value is not an integer',
  /** getRangeLongFromObjectOrReply's own text: HRANDFIELD WITHVALUES, ZRANDMEMBER WITHSCORES past LONG_MAX / 2. */
  valueOutOfRange: 'ERR value is out of range',
  /** Hash-field expiration (t_hash.c of Redis 7.4.1 / 8.0): the FIELDS block's checks. */
  fieldsArgumentMissing: 'ERR Mandatory argument FIELDS is missing or not at the right position',
  numfieldsMismatch: 'ERR The `numfields` parameter must match the number of arguments',
  /** HEXPIRE's text for a bad numfields; the other field commands use numfieldsNotPositiveInteger. */
  numFieldsNotGreaterThanZero: 'ERR Parameter `numFields` should be greater than 0',
  numfieldsNotPositiveInteger: 'ERR Number of fields must be a positive integer',
  fieldExpireNegative: 'ERR invalid expire time, must be >= 0',
  hsetexNumfields: 'ERR invalid number of fields',
  hsetexMissingExpireTime: 'ERR missing expire time',
  hsetexConditionConflict: 'ERR Only one of FXX or FNX arguments can be specified',
  hsetexExpirationConflict: 'ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified',
  // (end of lists, hashes)

  // ---- sets, sorted sets ----
  /** getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX): LONG_MIN has no negation (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER). */
  randomCountOutOfRange: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  /**
   * A negative (repeating) random count may ask for at most 2^24 elements.
   * Redis would build a reply of any size and exhaust memory; reddish
   * refuses such a count instead (see DESIGN.md, Contradictions).
   */
  tooManyRandomSamples: 'ERR count is out of range, a negative count may ask for at most 16777216 elements',
  numkeysExceedArgs: "ERR Number of keys can't be greater than number of args",
  /** SINTERCARD's and ZINTERCARD's LIMIT, which also answers a non-integer. */
  limitNegative: "ERR LIMIT can't be negative",
  zsetScoreNaN: 'ERR resulting score is not a number (NaN)',
  zaddXxAndNx: 'ERR XX and NX options at the same time are not compatible',
  zaddGtLtNx: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  zaddIncrPair: 'ERR INCR option supports a single increment-element pair',
  zrangeLimitWithoutBy: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  zrangeWithscoresByLex: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  zsetWeightNotFloat: 'ERR weight value is not a float',
  zsetScoreRange: 'ERR min or max is not a float',
  zsetLexRange: 'ERR min or max not valid string range item',
  /** `ZUNIONSTORE d 0 k`: Redis names the command by its full name. */
  zsetAtLeastOneKey: (command: string) => "ERR at least 1 input key is needed for '" + command + "' command",
  // (end of sets, sorted sets)

  // ---- GEO ----
  /** extractLongLatOrReply: the pair as C's "%f,%f" prints it (geo.ts formats it). */
  geoInvalidLongLat: (pair: string) => 'ERR invalid longitude,latitude pair ' + pair,
  geoUnsupportedUnit: 'ERR unsupported unit provided. please use M, KM, FT, MI',
  geoRadiusNotFloat: 'ERR need numeric radius',
  geoWidthNotFloat: 'ERR need numeric width',
  geoHeightNotFloat: 'ERR need numeric height',
  geoRadiusNegative: 'ERR radius cannot be negative',
  geoBoxNegative: 'ERR height or width cannot be negative',
  geoCountNotPositive: 'ERR COUNT must be > 0',
  geoMemberNotFound: 'ERR could not decode requested zset member',
  geoAnyWithoutCount: 'ERR the ANY argument requires COUNT argument',
  /** STORE with WITH*: Redis names GEOSEARCHSTORE, or "STORE option in GEORADIUS" for the GEORADIUS forms. */
  geoStoreWithOptions: (what: string) => 'ERR ' + what + ' is not compatible with WITHDIST, WITHHASH and WITHCOORD options',
  /** GEOSEARCH without a centre or a shape: the command's name as the client typed it. */
  geoSearchNeedsFrom: (command: string) => 'ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ' + command,
  geoSearchNeedsBy: (command: string) => 'ERR exactly one of BYRADIUS and BYBOX can be specified for ' + command,
  // (end of GEO)

  // ---- client-side caching (CLIENT TRACKING, CLIENT CACHING) ----
  trackingRedirectTwice: 'ERR A client can only redirect to a single other client',
  trackingRedirectMissing: 'ERR The client ID you want redirect to does not exist',
  trackingPrefixWithoutBcast: 'ERR PREFIX option requires BCAST mode to be enabled',
  trackingBcastSwitch:
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
  trackingOptinOptoutWithBcast: 'ERR OPTIN and OPTOUT are not compatible with BCAST',
  trackingOptinAndOptout: "ERR You can't specify both OPTIN mode and OPTOUT mode",
  trackingOptinOptoutSwitch:
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
  cachingWithoutTracking: 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled',
  cachingYesWithoutOptin: 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.',
  cachingNoWithoutOptout: 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.',
  // (end of client-side caching)

  // ---- probabilistic types ----
  // RedisBloom's texts, verbatim. Many have no "ERR " prefix: a module's
  // RedisModule_ReplyWithError sends its text as is, so a client sees
  // "-Filter is full", with "Filter" as the error code.

  /** rebloom.c's statusStrerror: a filter command on a missing key (without autocreate). */
  filterNotFound: 'ERR not found',
  /** statusStrerror: BF.RESERVE, CF.RESERVE, *.LOADCHUNK's first chunk on an existing key. */
  filterItemExists: 'ERR item exists',
  /** A dump chunk (LOADCHUNK) or serialized value that does not decode. */
  probabilisticBadData: 'ERR received bad data',
  /** BF.INSERT's CAPACITY, CF.RESERVE's and CF.INSERT's capacity. */
  moduleBadCapacity: 'Bad capacity',
  /** BF.INSERT and CF.INSERT: an option they do not know. */
  moduleUnknownArgument: 'Unknown argument received',

  bfBadErrorRate: 'ERR bad error rate',
  // The trailing space is in rebloom.c's string.
  bfErrorRateRange: 'ERR (0 < error rate range < 1) ',
  bfBadCapacity: 'ERR bad capacity',
  bfCapacityRange: 'ERR (capacity should be larger than 0)',
  bfNoExpansion: 'ERR no expansion',
  bfNonScalingExpansion: 'Nonscaling filters cannot expand',
  bfBadExpansion: 'ERR bad expansion',
  bfExpansionRange: 'ERR expansion should be greater or equal to 1',
  bfCouldNotCreate: 'ERR could not create filter',
  bfInsertBadErrorRate: 'Bad error rate',
  bfInsertBadExpansion: 'Bad expansion',
  bfBadArgument: 'Bad argument received',
  bfInvalidInfoField: 'Invalid information value',
  bfScanDumpIterator: 'Second argument must be numeric',
  bfLoadChunkIterator: 'ERR Second argument must be numeric',
  bfNonScalingFull: 'ERR non scaling filter is full',
  bfNoLinkAtOffset: 'ERR invalid offset - no link found',
  bfChunkTooBig: 'ERR invalid chunk - Too big for current filter',

  cfSmallCapacity: 'Capacity must be at least (BucketSize * 2)',
  cfCannotCreate: "Couldn't create Cuckoo Filter",
  cfCouldNotCreate: 'Could not create filter',
  cfMaxExpansions: 'Maximum expansions reached',
  cfFull: 'Filter is full',
  cfDelNotFound: 'Not found',
  cfCompactNotFound: 'Cuckoo filter was not found',
  cfInvalidPosition: 'Invalid position',
  cfBadChunk: "Couldn't load chunk!",
  /** CF.LOADCHUNK's first chunk, when its header does not decode. */
  cfInvalidHeader: 'Invalid header',
  cfAllocationFailure: 'Memory allocation failure',
  /** CF.RESERVE's MAXITERATIONS, BUCKETSIZE or EXPANSION without a number after it. */
  cfOptionNotParsed: (option: string) => "Couldn't parse " + option,
  /** CF.RESERVE's option outside the range RedisBloom enforces since the CVE-2024-25116 fix. */
  cfOptionRange: (option: string, min: number, max: number) =>
    option + ': value must be an integer between ' + min + ' and ' + max + ', inclusive.',

  cmsKeyExists: 'CMS: key already exists',
  cmsNoKey: 'CMS: key does not exist',
  cmsInvalidWidth: 'CMS: invalid width',
  cmsInvalidDepth: 'CMS: invalid depth',
  cmsInvalidOverestimation: 'CMS: invalid overestimation value',
  cmsInvalidProbability: 'CMS: invalid prob value',
  cmsInvalidInit: 'CMS: invalid init arguments',
  cmsCannotParseNumber: 'CMS: Cannot parse number',
  cmsNegativeNumber: 'CMS: Number cannot be negative',
  cmsIncrbyOverflow: 'CMS: INCRBY overflow',
  cmsMergeOverflow: 'CMS: MERGE overflow',
  cmsInvalidNumkeys: 'CMS: invalid numkeys',
  cmsNumkeysNotPositive: 'CMS: Number of keys must be positive',
  cmsWrongNumberOfKeys: 'CMS: wrong number of keys',
  cmsWrongNumberOfKeysWeights: 'CMS: wrong number of keys/weights',
  cmsInvalidWeight: 'CMS: invalid weight value',
  cmsDimensionsDiffer: 'CMS: width/depth is not equal',

  // rm_tdigest.c's replies; unlike the other RedisBloom types these carry the ERR prefix.
  tdigestKeyExists: 'ERR T-Digest: key already exists',
  tdigestNoKey: 'ERR T-Digest: key does not exist',
  tdigestWrongKeyword: 'ERR T-Digest: wrong keyword',
  tdigestParseCompression: 'ERR T-Digest: error parsing compression parameter',
  tdigestCompressionNotPositive: 'ERR T-Digest: compression parameter needs to be a positive integer',
  tdigestAllocationFailed: 'ERR T-Digest: allocation failed',
  tdigestDestinationAllocationFailed: 'ERR T-Digest: allocation of destination digest failed',
  tdigestParseVal: 'ERR T-Digest: error parsing val parameter',
  tdigestValNotFinite: 'ERR T-Digest: val parameter needs to be a finite number',
  tdigestOverflow: 'ERR T-Digest: overflow detected',
  tdigestParseNumkeys: 'ERR T-Digest: error parsing numkeys',
  tdigestNumkeysNotPositive: 'ERR T-Digest: numkeys needs to be a positive integer',
  tdigestParseValue: 'ERR T-Digest: error parsing value',
  tdigestParseRank: 'ERR T-Digest: error parsing rank',
  tdigestRankNegative: 'ERR T-Digest: rank needs to be non negative',
  tdigestParseQuantile: 'ERR T-Digest: error parsing quantile',
  tdigestQuantileRange: 'ERR T-Digest: quantile should be in [0,1]',
  tdigestParseCdf: 'ERR T-Digest: error parsing cdf',
  tdigestParseLowCut: 'ERR T-Digest: error parsing low_cut_percentile',
  tdigestParseHighCut: 'ERR T-Digest: error parsing high_cut_percentile',
  tdigestCutRange: 'ERR T-Digest: low_cut_percentile and high_cut_percentile should be in [0,1]',
  tdigestCutOrder: 'ERR T-Digest: low_cut_percentile should be lower than high_cut_percentile',

  topkKeyExists: 'TopK: key already exists',
  topkNoKey: 'TopK: key does not exist',
  topkInvalidK: 'TopK: invalid k',
  topkInvalidWidth: 'TopK: invalid width',
  topkInvalidDepth: 'TopK: invalid depth',
  topkInvalidDecay: "TopK: invalid decay value. must be '<= 1' & '> 0'",
  topkNoMemory: 'ERR Insufficient memory to create topk data structure',
  // rm_topk.c breaks this literal with a backslash-newline inside the quotes,
  // so the next line's indentation (28 spaces in all) is part of the text.
  topkBadIncrement: 'TopK: increment must be an integer greater or equal to 0' + ' '.repeat(28) + 'and smaller or equal to 100,000',
  topkWithCountExpected: 'WITHCOUNT keyword expected',
  // (end of probabilistic types)

  // ---- introspection: SLOWLOG, LATENCY ----
  /** SLOWLOG GET's count, for a non-integer too (getRangeLongFromObjectOrReply). */
  slowlogCount: 'ERR count should be greater than or equal to -1',
} as const;

/** LATENCY GRAPH of an event with no samples. */
export function latencyNoSamples(event: string): string {
  return "ERR No samples available for event '" + cString(event, Infinity) + "'";
}

/**
 * Redis formats user input into errors with `%.128s`/`%.*s`, which stops at
 * the first NUL byte as well as at the length limit; this does the same.
 */
function cString(text: string, maxLength: number): string {
  const nul = text.indexOf('\x00');
  return text.slice(0, nul === -1 ? maxLength : Math.min(nul, maxLength));
}

/** `-ERR unknown command 'x', with args beginning with: 'a' 'b' ` (server.c processCommand). */
export function unknownCommand(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += "'" + cString(argv[i]!, 128 - args.length) + "' ";
  }
  return "ERR unknown command '" + cString(argv[0]!, 128) + "', with args beginning with: " + args;
}

/** `-ERR unknown subcommand 'x'. Try CONFIG HELP.` */
export function unknownSubcommand(container: string, sub: string): string {
  return "ERR unknown subcommand '" + cString(sub, 128) + "'. Try " + container.toUpperCase() + ' HELP.';
}

/** Arity errors name the command's full lowercase name, `config|get` for subcommands. */
export function wrongArity(fullName: string): string {
  return "ERR wrong number of arguments for '" + fullName + "' command";
}

/**
 * `Unsupported option FOO` (EXPIRE's options). Redis formats the argument
 * with %s, so a NUL byte ends it there.
 */
export function unsupportedOption(option: string): string {
  return 'ERR Unsupported option ' + cString(option, Infinity);
}

/** DEBUG's: Redis parses DEBUG's subcommands itself, so an unknown one and a wrong count share this text. */
export function unknownSubcommandOrArity(sub: string, command: string): string {
  return "ERR unknown subcommand or wrong number of arguments for '" + cString(sub, 128) + "'. Try " + command.toUpperCase() + ' HELP.';
}

/** HSETEX's `unknown argument: %s` (hsetexParseArgs). */
export function unknownArgument(arg: string): string {
  return 'ERR unknown argument: ' + cString(arg, Infinity);
}

/** Redis 8.2 bitops.c: BITOP DIFF, DIFF1 or ANDOR with one source. */
export function bitopNeedsTwoSources(operation: string): string {
  return 'ERR BITOP ' + operation + ' must be called with at least two source keys.';
}

/** getRangeLongFromObjectOrReply without a message of its own. */
export function rangeError(min: number, max: number): string {
  return 'ERR value is out of range, value must between ' + min + ' and ' + max;
}

/** `EXPIRE key 1e100` and friends. */
export function invalidExpireTime(command: string): string {
  return "ERR invalid expire time in '" + command + "' command";
}

/** A handler threw: Redis would have crashed; reddish answers this and goes on. */
export function internalError(fullName: string, message: string): string {
  return "ERR internal error while running '" + fullName + "': " + message;
}

/** processCommand's refusal of a CMD_PROTECTED command (DEBUG) that its enable-* option does not allow. */
export function protectedCommandNotAllowed(command: string, option: string): string {
  return (
    `ERR ${command} command not allowed. If the ${option} option is set to "local", you can run it from a local connection, ` +
    'otherwise you need to set this option in the configuration file, and then restart the server.'
  );
}

/** (P|S)SUBSCRIBE from a client that expects one reply per command (CLIENT_DENY_BLOCKING). */
export function subscribeDenied(command: string): string {
  return `ERR ${command} isn't allowed for a DENY BLOCKING client`;
}

/** processCommand's refusal of a command in RESP2's subscribed context. */
export function notAllowedWhileSubscribed(fullName: string): string {
  return `ERR Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
}

/**
 * execCommandAbort: EXEC itself was refused (a wrong argument count...),
 * so the transaction is discarded with the refusal's text. Redis builds
 * those texts without the ERR code, which the EXECABORT reply leaves out.
 */
export function execAbortBecause(error: string): string {
  return 'EXECABORT Transaction discarded because of: ' + (error.startsWith('ERR ') ? error.slice(4) : error);
}

/** CONFIG SET's refusal of one pair (config.c's configSetCommand). */
export function configSetFailed(name: string, reason: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`;
}

/** CONFIG SET of a parameter that does not exist. */
export function configSetUnknown(name: string): string {
  return `ERR Unknown option or number of arguments for CONFIG SET - '${name}'`;
}

/** Protocol errors end the connection after the pending replies are written. */
export function protocolError(detail: string): string {
  return 'ERR Protocol error: ' + detail;
}

/** CLIENT TRACKING ... PREFIX p: p overlaps one the client already has (printed with %s, so up to a NUL). */
export function prefixOverlapsExisting(prefix: string, existing: string): string {
  return (
    `ERR Prefix '${cString(prefix, Infinity)}' overlaps with an existing prefix '${cString(existing, Infinity)}'. ` +
    'Prefixes for a single client must not overlap.'
  );
}

/** CLIENT TRACKING ... PREFIX p ... PREFIX q: two of the given prefixes overlap. */
export function prefixOverlapsProvided(prefix: string, other: string): string {
  return (
    `ERR Prefix '${cString(prefix, Infinity)}' overlaps with another provided prefix '${cString(other, Infinity)}'. ` +
    'Prefixes for a single client must not overlap.'
  );
}

/** Scripting (eval.c, script.c): EVAL's refusals, and scriptCall's, which redis.call raises with code ERR. */
export const scriptErrors = {
  noScript: 'NOSCRIPT No matching script. Please use EVAL.',
  numkeysTooLarge: "ERR Number of keys can't be greater than number of args",
  numkeysNegative: "ERR Number of keys can't be negative",
  invalidShebang: 'ERR Invalid script shebang',
  invalidEngine: 'ERR Invalid engine in script shebang',
  unexpectedEngine: (engine: string): string => `ERR Unexpected engine in script shebang: ${engine}`,
  unknownShebangOption: (option: string): string => `ERR Unknown lua shebang option: ${option}`,
  unexpectedShebangFlag: (flag: string): string => `ERR Unexpected flag in script shebang: ${flag}`,
  writeFlagWithRoCommand: 'ERR Can not execute a script with write flag using *_ro command.',
  flushOption: 'ERR SCRIPT FLUSH only support SYNC|ASYNC option',
  notBusy: 'NOTBUSY No scripts in execution right now.',
  debugInPipeline: 'ERR SCRIPT DEBUG must be called outside a pipeline',
  debugMode: 'ERR Use SCRIPT DEBUG YES/SYNC/NO',
  /** reddish has no Lua debugger (LDB): it refuses to turn one on rather than pretend. */
  noDebugger: 'ERR SCRIPT DEBUG YES and SYNC are not supported: reddish has no Lua debugger',
  // scriptCall's refusals, as the script sees them (without the code, which is ERR).
  unknownCommand: 'Unknown Redis command called from script',
  wrongArity: 'Wrong number of args calling Redis command from script',
  notAllowed: 'This Redis command is not allowed from script',
  writeFromReadOnly: 'Write commands are not allowed from read-only scripts.',
  // A script past busy-reply-threshold (shared.slowevalerr, shared.slowscripterr).
  busyEval: 'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  busyFunction: 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.',
  unkillable:
    'UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.',
} as const;

/** FUNCTION and FCALL (functions.c). */
export const functionErrors = {
  missingMetadata: 'ERR Missing library metadata',
  invalidMetadata: 'ERR Invalid library metadata',
  nameGivenTwice: 'ERR Invalid metadata value, name argument was given multiple times',
  invalidMetadataValue: (part: string): string => `ERR Invalid metadata value given: ${cString(part, Infinity)}`,
  noLibraryName: 'ERR Library name was not given',
  badName: 'ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long',
  engineNotFound: (engine: string): string => `ERR Engine '${engine}' not found`,
  libraryExists: (name: string): string => `ERR Library '${name}' already exists`,
  /** FUNCTION RESTORE's collision, worded without quotes (libraryJoin). */
  libraryExistsOnRestore: (name: string): string => `ERR Library ${cString(name, Infinity)} already exists`,
  noFunctions: 'ERR No functions registered',
  functionExists: (name: string): string => `ERR Function ${cString(name, Infinity)} already exists`,
  libraryNotFound: 'ERR Library not found',
  functionNotFound: 'ERR Function not found',
  badNumkeys: 'ERR Bad number of keys provided',
  unknownLoadOption: (option: string): string => `ERR Unknown option given: ${cString(option, Infinity)}`,
  listNameMissing: 'ERR library name argument was not given',
  listUnknownArgument: (arg: string): string => `ERR Unknown argument ${cString(arg, Infinity)}`,
  flushOption: 'ERR FUNCTION FLUSH only supports SYNC|ASYNC option',
  restorePolicy: 'ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.',
  badPayload: 'ERR DUMP payload version or checksum are wrong',
  cannotReadType: 'ERR can not read data type',
  notAFunction: 'ERR given type is not a function',
  dumpField: (what: string): string => `ERR Failed loading ${what}`,
} as const;

/** Streams (t_stream.c), in Redis 7.0.15's words. */
export const streamErrors = {
  invalidId: 'ERR Invalid stream ID specified as stream command argument',
  maxlenAndMinid: 'ERR syntax error, MAXLEN and MINID options at the same time are not compatible',
  maxlenNegative: 'ERR The MAXLEN argument must be >= 0.',
  limitNegative: 'ERR The LIMIT argument must be >= 0.',
  limitWithoutStrategy: 'ERR syntax error, LIMIT cannot be used without specifying a trimming strategy',
  xtrimWithoutStrategy: 'ERR syntax error, XTRIM must be called with a trimming strategy',
  limitWithoutApprox: 'ERR syntax error, LIMIT cannot be used without the special ~ option',
  idZero: 'ERR The ID specified in XADD must be greater than 0-0',
  exhausted: 'ERR The stream has exhausted the last possible ID, unable to add more items',
  idNotGreater: 'ERR The ID specified in XADD is equal or smaller than the target stream top item',
  tooLarge: 'ERR Elements are too large to be stored',
  invalidStart: 'ERR invalid start ID for the interval',
  invalidEnd: 'ERR invalid end ID for the interval',
  blockFromScript: (command: string): string => `ERR ${cString(command, Infinity)} command is not allowed with BLOCK option from scripts`,
  unbalanced: "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
  groupOnlyXreadgroup: 'ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.',
  noackOnlyXreadgroup: 'ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.',
  missingGroup: 'ERR Missing GROUP option for XREADGROUP',
  noGroupForKey: (key: string, group: string): string =>
    `NOGROUP No such key '${cString(key, Infinity)}' or consumer group '${cString(group, Infinity)}' in XREADGROUP with GROUP option`,
  dollarInGroup: 'ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.',
  greaterOnlyInGroup: 'ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.',
  keyRequired:
    'ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.',
  entriesReadInvalid: 'ERR value for ENTRIESREAD must be positive or -1',
  noSuchGroup: (group: string, key: string): string => `NOGROUP No such consumer group '${cString(group, Infinity)}' for key name '${cString(key, Infinity)}'`,
  busyGroup: 'BUSYGROUP Consumer Group name already exists',
  entriesAddedNegative: 'ERR entries_added must be positive',
  setidBelowMaxDeleted: 'ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id',
  setidBelowTop: 'ERR The ID specified in XSETID is smaller than the target stream top item',
  setidEntriesAddedBelowLength: 'ERR The entries_added specified in XSETID is smaller than the target stream length',
  noGroupForPending: (key: string, group: string): string => `NOGROUP No such key '${cString(key, Infinity)}' or consumer group '${cString(group, Infinity)}'`,
  unrecognizedClaimOption: (option: string): string => `ERR Unrecognized XCLAIM option '${cString(option, Infinity)}'`,
  countTooHigh: 'ERR Insufficient memory, failed allocating transient memory, COUNT too high.',
  /** A blocked XREADGROUP whose stream or group went away (Redis 7's unblock error). */
  deletedWhileBlocked: 'UNBLOCKED the stream key no longer exists',
  groupDeletedWhileBlocked: 'NOGROUP the consumer group this client was blocked on no longer exists',
  /** getTimeoutFromObjectOrReply in milliseconds (XREAD BLOCK). */
  timeoutNotInteger: 'ERR timeout is not an integer or out of range',
} as const;

// ---- ACL (acl.c, server.c processCommand, multi.c execCommand, script.c) ----

/** ACLSetUserStringError's texts, by the errno ACLSetUser leaves. */
export const aclRuleErrors = {
  ENOENT: 'Unknown command or category name in ACL',
  EINVAL: 'Syntax error',
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: 'The password you are trying to remove from the user does not exist',
  EBADMSG: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  EALREADY: 'Duplicate user found. A user can only be defined once in config files',
  ECHILD: 'Allowing first-arg of a subcommand is not supported',
} as const;

export type AclRuleError = keyof typeof aclRuleErrors;

export const aclErrors = {
  usernameHasSpaces: "ERR Usernames can't contain spaces or null characters",
  deleteDefault: "ERR The 'default' user cannot be removed",
  noAclFile:
    'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
  saveFailed: 'ERR There was an error trying to save the ACLs. Please check the server logs for more information',
  genpassBits: 'ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096',
  /** processCommand's NOPERM replies. */
  deniedKey: 'NOPERM this user has no permissions to access one of the keys used as arguments',
  deniedChannel: 'NOPERM this user has no permissions to access one of the channels used as arguments',
  configuredUsersAndAclFile:
    'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
} as const;

/** ACL SETUSER's failed rule. */
export function aclSetUserFailed(op: string, error: AclRuleError): string {
  return `ERR Error in ACL SETUSER modifier '${op}': ${aclRuleErrors[error]}`;
}

/** ACLMergeSelectorArguments: a `(` with no closing `)`. */
export function aclUnmatchedParenthesis(op: string): string {
  return `ERR Unmatched parenthesis in acl selector starting at '${op}'.`;
}

/** processCommand: the user may not run the command. */
export function aclDeniedCommand(fullName: string): string {
  return `NOPERM this user has no permissions to run the '${fullName}' command`;
}

/** execCommand: the ACL changed between MULTI's queueing and EXEC. */
export function aclChangedSinceQueued(reason: string): string {
  return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`;
}

export function aclUnknownCategory(category: string): string {
  return `ERR Unknown category '${category.slice(0, 128)}'`;
}

export function aclUserNotFound(name: string): string {
  return `ERR User '${name}' not found`;
}

export function aclCommandNotFound(name: string): string {
  return `ERR Command '${name}' not found`;
}

/** DUMP, RESTORE, MIGRATE and the RDB codec's debugging commands (cluster.c, debug.c). */
export const persistenceErrors = {
  busyKey: 'BUSYKEY Target key name already exists.',
  invalidTtl: 'ERR Invalid TTL value, must be >= 0',
  invalidIdletime: 'ERR Invalid IDLETIME value, must be >= 0',
  invalidFreq: 'ERR Invalid FREQ value, must be >= 0 and <= 255',
  badDumpPayload: 'ERR DUMP payload version or checksum are wrong',
  badDataFormat: 'ERR Bad data format',
  migrateKeysWithKey: 'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string',
  /** addReplyError of "-IOERR ...": the leading dash replaces Redis's ERR prefix. */
  migrateConnect: 'IOERR error or timeout connecting to the client',
  migrateIo: (stage: 'writing' | 'reading'): string => `IOERR error or timeout ${stage} to target instance`,
  targetReplied: (error: string): string => `ERR Target instance replied with error: ${error}`,
  /** reddish cannot hold a client inside EXEC or a script, where Redis would block the whole server. */
  migrateCannotWait: 'ERR MIGRATE cannot be used inside MULTI/EXEC or scripts',
} as const;
