/**
 * The CLIENT subcommands that control how clients are served: PAUSE and
 * UNPAUSE (every client; the state is in server/client-pause.ts) and
 * REPLY (the caller's own replies). networking.c's clientCommand is the
 * model; error texts are Redis 7.0.15's.
 */
import { errors, unknownSubcommandOrArity } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { parseInt64 } from '../text/numbers.js';
import type { Client, CommandSpec, PauseMode } from './types.js';

const INT64_MAX = 2n ** 63n - 1n;

/**
 * CLIENT PAUSE timeout [WRITE | ALL]: holds clients' commands for `timeout`
 * milliseconds, every command under ALL (the default), those that may
 * change the dataset under WRITE. Always OK, even while a pause is on: the
 * pause then keeps the stricter mode and the later end.
 */
function clientPauseCommand(c: Client, argv: string[]): void {
  // The table's arity is -3, so a fifth argument reaches the handler, which
  // answers as clientCommand's fallback does.
  if (argv.length > 4) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, 'CLIENT'));
    return;
  }
  let mode: PauseMode = 'all';
  if (argv.length === 4) {
    const word = argv[3]!.toLowerCase();
    if (word === 'write') mode = 'write';
    else if (word !== 'all') {
      c.reply.error(errors.pauseMode);
      return;
    }
  }
  // getTimeoutFromObjectOrReply(UNIT_MILLISECONDS), after the mode as in Redis.
  const timeout = parseInt64(argv[2]!);
  if (timeout === null) {
    c.reply.error(errors.timeoutNotInteger);
    return;
  }
  if (timeout < 0n) {
    c.reply.error(errors.timeoutNegative);
    return;
  }
  const now = c.server.clock.now();
  // Timeout 0 means an end of 0, already past; an end beyond int64 wraps
  // negative in Redis, already past too. Either way the pause ends at once.
  const end = timeout === 0n || BigInt(now) + timeout > INT64_MAX ? 0 : now + Number(timeout);
  c.server.pause.pause(end, mode);
  c.reply.raw(shared.ok);
}

export const clientPauseSpec: CommandSpec = {
  name: 'pause',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Stop processing commands from clients for some time',
  since: '2.9.50',
  complexity: 'O(1)',
  syntax: 'timeout:integer [WRITE | ALL]',
  handler: clientPauseCommand,
};

/** CLIENT UNPAUSE: ends the pause; the waiting clients run, in the order they were paused. */
function clientUnpauseCommand(c: Client): void {
  c.server.pause.unpause();
  c.reply.raw(shared.ok);
}

export const clientUnpauseSpec: CommandSpec = {
  name: 'unpause',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Resume processing of clients that were paused',
  since: '6.2.0',
  complexity: 'O(N) Where N is the number of paused clients',
  handler: clientUnpauseCommand,
};

/** CLIENT_REPLY_OFF: every reply is dropped until CLIENT REPLY ON. */
export const REPLY_OFF = 1;
/** CLIENT_REPLY_SKIP: the replies of the command being run are dropped. */
export const REPLY_SKIP = 2;
/** CLIENT_REPLY_SKIP_NEXT: set by CLIENT REPLY SKIP, becomes REPLY_SKIP for the next command. */
export const REPLY_SKIP_NEXT = 4;

/**
 * resetClient's part for CLIENT REPLY, once a command is done (after
 * EXEC as a whole; for a blocked command, once it is answered): SKIP ends,
 * and a SKIP asked for by this command starts.
 */
export function replyFlagsAfterCommand(flags: number): number {
  flags &= ~REPLY_SKIP;
  if ((flags & REPLY_SKIP_NEXT) !== 0) flags = (flags & ~REPLY_SKIP_NEXT) | REPLY_SKIP;
  return flags;
}

/**
 * CLIENT REPLY ON | OFF | SKIP: OFF drops every reply from now on, SKIP
 * those of the next command only, ON restores them and is the only one
 * that answers (OK). Errors are dropped like any reply, but pub/sub
 * messages and subscription replies still arrive, as Redis pushes them.
 */
function clientReplyCommand(c: Client, argv: string[]): void {
  const mode = argv[2]!.toLowerCase();
  if (mode === 'on') {
    c.replyFlags &= ~(REPLY_SKIP | REPLY_OFF);
    c.reply.raw(shared.ok);
  } else if (mode === 'off') {
    c.replyFlags |= REPLY_OFF;
  } else if (mode === 'skip') {
    if ((c.replyFlags & REPLY_OFF) === 0) c.replyFlags |= REPLY_SKIP_NEXT;
  } else {
    c.reply.error(errors.syntax);
  }
}

export const clientReplySpec: CommandSpec = {
  name: 'reply',
  arity: 3,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Instruct the server whether to reply to commands',
  since: '3.2.0',
  complexity: 'O(1)',
  syntax: '(ON | OFF | SKIP)',
  handler: clientReplyCommand,
};
