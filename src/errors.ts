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

  // (end of strings, bitmaps, HyperLogLog)

  // ---- keys, expiry, SORT, OBJECT, transactions, server ----

  // (end of keys, expiry, SORT, OBJECT, transactions, server)

  // ---- lists, hashes ----

  // (end of lists, hashes)

  // ---- sets, sorted sets ----

  // (end of sets, sorted sets)

  // ---- probabilistic types ----

  // (end of probabilistic types)
} as const;

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

/** `EXPIRE key 1e100` and friends. */
export function invalidExpireTime(command: string): string {
  return "ERR invalid expire time in '" + command + "' command";
}

/** A handler threw: Redis would have crashed; reddish answers this and goes on. */
export function internalError(fullName: string, message: string): string {
  return "ERR internal error while running '" + fullName + "': " + message;
}

/** Protocol errors end the connection after the pending replies are written. */
export function protocolError(detail: string): string {
  return 'ERR Protocol error: ' + detail;
}
