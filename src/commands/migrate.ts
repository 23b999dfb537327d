/**
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
 *         [AUTH password] [AUTH2 username password] [KEYS key [key ...]]
 *
 * cluster.c's migrateCommand: each key is DUMPed and sent as RESTORE (with
 * its remaining TTL, and REPLACE when asked) to the target, after AUTH and
 * a SELECT when the cached connection is not in that database yet; the keys
 * the target acknowledged are deleted here unless COPY, and that deletion
 * propagates as one DEL.
 *
 * Redis blocks the whole server during the transfer. reddish holds only the
 * calling client (as a script past its threshold holds it) and keeps serving
 * the others. The values are serialized when the command runs, as Redis
 * does; a key another client changes while the transfer is under way is not
 * deleted when the target acknowledges it, so that change is not lost.
 */
import { errors, persistenceErrors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { MigrateSockets, TransferError, type TargetConnection } from '../persistence/migrate-transport.js';
import type { Database } from '../store/database.js';
import type { Value } from '../store/types.js';
import { createDumpPayload } from './dump-restore.js';
import { isOption, readInteger } from './parse.js';
import type { Client, CommandSpec, ServerContext } from './types.js';

/** Each server's cached connections. */
const socketsByServer = new WeakMap<ServerContext, MigrateSockets>();

function socketsOf(server: ServerContext): MigrateSockets {
  let sockets = socketsByServer.get(server);
  if (sockets === undefined) {
    sockets = new MigrateSockets();
    socketsByServer.set(server, sockets);
  }
  return sockets;
}

/** A RESP array of bulk strings (rioWriteBulkCount + rioWriteBulkString). */
function respCommand(args: ReadonlyArray<string | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const arg of args) {
    const bytes = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
    parts.push(Buffer.from(`$${bytes.length}\r\n`, 'latin1'), bytes, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}

interface Migration {
  host: string;
  port: string;
  dbid: number;
  timeout: number;
  copy: boolean;
  replace: boolean;
  username: string | null;
  password: string | null;
  /** The keys found here, their values and their remaining TTL (0 for none), at the time of the command. */
  keys: Array<{ key: string; value: Value; ttl: number }>;
}

function migrateCommand(c: Client, argv: string[]): void {
  let copy = false;
  let replace = false;
  let username: string | null = null;
  let password: string | null = null;
  let firstKey = 3;
  let numKeys = 1;
  for (let j = 6; j < argv.length; j++) {
    const moreArgs = argv.length - 1 - j;
    const option = argv[j]!;
    if (isOption(option, 'copy')) {
      copy = true;
    } else if (isOption(option, 'replace')) {
      replace = true;
    } else if (isOption(option, 'auth')) {
      if (moreArgs === 0) {
        c.reply.error(errors.syntax);
        return;
      }
      password = argv[++j]!;
      c.server.monitors.redactArgument(argv, j);
    } else if (isOption(option, 'auth2')) {
      if (moreArgs < 2) {
        c.reply.error(errors.syntax);
        return;
      }
      username = argv[++j]!;
      c.server.monitors.redactArgument(argv, j);
      password = argv[++j]!;
      c.server.monitors.redactArgument(argv, j);
    } else if (isOption(option, 'keys')) {
      if (argv[3]!.length !== 0) {
        c.reply.error(persistenceErrors.migrateKeysWithKey);
        return;
      }
      firstKey = j + 1;
      numKeys = argv.length - j - 1;
      break;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }
  let timeout = readInteger(c, argv[5]!);
  if (timeout === null) return;
  const dbid = readInteger(c, argv[4]!);
  if (dbid === null) return;
  if (timeout <= 0) timeout = 1000;

  const db = c.db;
  const now = c.server.keyspace.now;
  const keys: Migration['keys'] = [];
  for (let j = 0; j < numKeys; j++) {
    const key = argv[firstKey + j]!;
    const value = db.lookupRead(key);
    if (value === undefined) continue;
    const expireAt = db.getExpire(key);
    // A key found expired between the lookup and here is skipped, as Redis does.
    let ttl = 0;
    if (expireAt !== undefined) {
      ttl = expireAt - now;
      if (ttl < 0) continue;
      if (ttl < 1) ttl = 1;
    }
    keys.push({ key, value, ttl });
  }
  if (keys.length === 0) {
    c.reply.simple('NOKEY');
    return;
  }
  // Only a client with a socket can wait; EXEC and scripts need the reply now.
  if (c.inExec || c.socketless) {
    c.reply.error(persistenceErrors.migrateCannotWait);
    return;
  }
  const migration: Migration = { host: argv[1]!, port: argv[2]!, dbid, timeout, copy, replace, username, password, keys };
  // The payloads are made now: what moves is the value at the time of the command.
  const payloads = keys.map(({ value }) => createDumpPayload(c.server, value));
  c.holdForScript();
  void transfer(c.server, migration, payloads).then((outcome) => finish(c, db, migration, outcome));
}

/**
 * What came of the transfer: the target's first error reply (passed on),
 * which keys it acknowledged (moved, even when a later read failed), and
 * a transport failure if there was one.
 */
interface Outcome {
  targetError: string | null;
  acknowledged: boolean[];
  failure: TransferError | null;
}

/**
 * The conversation with the target, retried once on a socket error before
 * any RESTORE reply came (not after a timeout), as Redis retries a cached
 * socket the target had closed.
 */
async function transfer(server: ServerContext, migration: Migration, payloads: Buffer[]): Promise<Outcome> {
  const sockets = socketsOf(server);
  const name = `${migration.host}:${migration.port}`;
  let mayRetry = true;
  for (;;) {
    let held: { connection: TargetConnection; cached: boolean } | null = null;
    let outcome: Outcome;
    try {
      held = await sockets.acquire(migration.host, migration.port, migration.timeout);
      outcome = await converse(held.connection, migration, payloads);
    } catch (error) {
      if (!(error instanceof TransferError)) throw error;
      outcome = { targetError: null, acknowledged: [], failure: error };
    }
    if (outcome.failure === null) {
      sockets.release(held!.connection, held!.cached);
      return outcome;
    }
    if (held !== null) {
      if (held.cached) sockets.close(name);
      else held.connection.close();
    }
    const failure = outcome.failure;
    const retry = mayRetry && failure.stage !== 'connecting' && !failure.timedOut && outcome.acknowledged.length === 0 && outcome.targetError === null;
    if (!retry) return outcome;
    mayRetry = false;
  }
}

async function converse(connection: TargetConnection, migration: Migration, payloads: Buffer[]): Promise<Outcome> {
  const { timeout, password, username, dbid } = migration;
  const commands: Buffer[] = [];
  if (password !== null) commands.push(respCommand(username !== null ? ['AUTH', username, password] : ['AUTH', password]));
  const select = connection.lastDbid !== dbid;
  if (select) commands.push(respCommand(['SELECT', String(dbid)]));
  migration.keys.forEach(({ key, ttl }, i) => {
    const args: Array<string | Buffer> = ['RESTORE', key, String(ttl), payloads[i]!];
    if (migration.replace) args.push('REPLACE');
    commands.push(respCommand(args));
  });
  const outcome: Outcome = { targetError: null, acknowledged: [], failure: null };
  try {
    // Sent in one go; the socket's own flow control stands for Redis's 64 KB chunks.
    await connection.write(Buffer.concat(commands), timeout);
    const authReply = password !== null ? await connection.readLine(timeout) : '';
    const selectReply = select ? await connection.readLine(timeout) : '';
    for (let j = 0; j < migration.keys.length; j++) {
      const restoreReply = await connection.readLine(timeout);
      if (authReply.startsWith('-') || selectReply.startsWith('-') || restoreReply.startsWith('-')) {
        if (outcome.targetError === null) {
          // On error the selected database is no longer known.
          connection.lastDbid = -1;
          const line = authReply.startsWith('-') ? authReply : selectReply.startsWith('-') ? selectReply : restoreReply;
          outcome.targetError = line.slice(1);
        }
        outcome.acknowledged.push(false);
      } else {
        outcome.acknowledged.push(true);
      }
    }
  } catch (error) {
    if (!(error instanceof TransferError)) throw error;
    outcome.failure = error;
    return outcome;
  }
  if (outcome.targetError === null) connection.lastDbid = dbid;
  return outcome;
}

/** Replies, deletes what the target acknowledged (unless COPY), propagates that as DEL, and lets the client go on. */
function finish(c: Client, db: Database, migration: Migration, outcome: Outcome): void {
  const server = c.server;
  if (!migration.copy) {
    const deleted: string[] = [];
    outcome.acknowledged.forEach((ok, i) => {
      if (!ok) return;
      const { key, value } = migration.keys[i]!;
      // Not if another client changed the key meanwhile: that write would be lost.
      if (db.dict.get(key) !== value) return;
      db.delete(key);
      server.events.keyModified(db, key, 'del');
      deleted.push(key);
    });
    if (deleted.length > 0) {
      server.propagation.alsoPropagate(db.id, ['DEL', ...deleted]);
      server.propagation.flush();
    }
  }
  if (!c.closed) {
    // The target's error, if it sent one, wins over a later transport failure.
    if (outcome.targetError !== null) {
      c.reply.error(persistenceErrors.targetReplied(outcome.targetError));
    } else if (outcome.failure !== null) {
      const stage = outcome.failure.stage;
      c.reply.error(stage === 'connecting' ? persistenceErrors.migrateConnect : persistenceErrors.migrateIo(stage));
    } else {
      c.reply.raw(shared.ok);
    }
  }
  c.releaseFromScript();
}

/**
 * migrateGetKeys: the key argument, or, with KEYS, everything after it
 * (and the key argument too when it is not empty, a call the command then
 * refuses).
 */
function migrateKeys(argv: readonly string[]): number[] {
  for (let j = 6; j < argv.length; j++) {
    const option = argv[j]!.toLowerCase();
    if (option === 'auth') j++;
    else if (option === 'auth2') j += 2;
    else if (option === 'keys') {
      const keys = Array.from({ length: argv.length - j - 1 }, (_, i) => j + 1 + i);
      return argv[3]!.length === 0 ? keys : [3, ...keys];
    }
  }
  return [3];
}

export const migrateSpec: CommandSpec = {
  name: 'migrate',
  arity: -6,
  flags: ['write'],
  firstKey: 3,
  lastKey: 3,
  keyStep: 1,
  group: 'generic',
  summary: 'Atomically transfer a key from a Redis instance to another one.',
  since: '2.6.0',
  complexity:
    'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
  syntax:
    'host port:integer (key:key | "") destination-db:integer timeout:integer [COPY] [REPLACE] [[AUTH password] | [AUTH2 username password]] [KEYS key:key [key:key ...]]',
  keys: migrateKeys,
  keyFlags: ['RW', 'access', 'delete'],
  aclCategories: ['keyspace', 'dangerous'],
  handler: migrateCommand,
};
