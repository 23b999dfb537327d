/**
 * WAITAOF numlocal numreplicas timeout (Redis 7.2, replication.c
 * waitaofCommand), answered as a standalone Redis without replicas answers
 * it. numlocal 1 needs appendonly yes. The local count is 1 once the
 * client's writes are fsynced to the AOF: Redis blocks until beforeSleep's
 * fsync covers the client's write offset; reddish makes that fsync happen
 * at once (persistence/aof.ts syncNow), so the local part never waits. No
 * replica ever acknowledges: asking for none answers at once; asking for
 * some blocks until the timeout (0: until CLIENT UNBLOCK) and then answers
 * the local count and 0, as Redis does. In MULTI (CLIENT_DENY_BLOCKING) it
 * never blocks.
 */
import { errors, rangeError } from '../errors.js';
import { parseInt64, parseInteger } from '../text/numbers.js';
import type { Client, CommandSpec } from './types.js';

const LONG_MAX = 9223372036854775807n;

/**
 * getTimeoutFromObjectOrReply with UNIT_MILLISECONDS (timeout.c): an
 * integer of ms, 0 for forever; the absolute deadline, or null once the
 * error is replied.
 */
function readMillisecondsTimeout(c: Client, text: string): number | null {
  const ms = parseInt64(text);
  if (ms === null) {
    c.reply.error(errors.timeoutNotInteger);
    return null;
  }
  if (ms < 0n) {
    c.reply.error(errors.timeoutNegative);
    return null;
  }
  if (ms === 0n) return 0;
  const now = BigInt(c.server.keyspace.now);
  if (ms > LONG_MAX - now) {
    c.reply.error(errors.timeoutOutOfRange);
    return null;
  }
  return Number(ms + now);
}

/** The reply: local AOFs fsynced (1 once the AOF is on and synced), replicas that acknowledged (none). */
function replyAcks(c: Client): void {
  c.reply.arrayHeader(2);
  c.reply.integer(c.server.aof.syncNow() ? 1 : 0);
  c.reply.integer(0);
}

function waitaofCommand(c: Client, argv: string[]): void {
  const numlocal = parseInteger(argv[1]!);
  if (numlocal === null) {
    c.reply.error(errors.notInteger);
    return;
  }
  if (numlocal < 0 || numlocal > 1) {
    c.reply.error(rangeError(0, 1));
    return;
  }
  const numreplicas = parseInteger(argv[2]!);
  if (numreplicas === null) {
    c.reply.error(errors.notInteger);
    return;
  }
  if (numreplicas < 0) {
    c.reply.error(errors.notPositive);
    return;
  }
  const timeoutMs = readMillisecondsTimeout(c, argv[3]!);
  if (timeoutMs === null) return;
  if (numlocal !== 0 && !c.server.config.get('appendonly')) {
    c.reply.error(errors.waitaofAppendonlyOff);
    return;
  }
  if (numreplicas === 0 || c.inExec || c.socketless) {
    replyAcks(c);
    return;
  }
  c.block({ keys: [], timeoutMs, tryServe: () => false, onTimeout: () => replyAcks(c) });
}

export const waitaofSpec: CommandSpec = {
  name: 'waitaof',
  arity: 4,
  flags: ['noscript'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'generic',
  summary:
    'Blocks until all of the preceding write commands sent by the connection are written to the append-only file of the master and/or replicas.',
  since: '7.2.0',
  complexity: 'O(1)',
  syntax: 'numlocal:integer numreplicas:integer timeout:integer',
  aclCategories: ['connection'],
  handler: waitaofCommand,
};

/** Replication's commands; WAITAOF is the only one a server without replicas answers. */
export const replicationCommands: readonly CommandSpec[] = [waitaofSpec];
