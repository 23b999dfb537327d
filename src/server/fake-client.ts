/**
 * A client with no socket: Redis's "fake client", on which scripts'
 * redis.call and the journal's replay run commands. It goes through the
 * same dispatch and call() as a Connection, and keeps its replies for the
 * caller to take instead of writing them anywhere.
 *
 * It never blocks: like a client inside EXEC, a blocking command on it
 * answers at once (inExec stays true), as Redis's scripts and AOF loading
 * run them.
 */
import type { AclUser } from '../acl/user.js';
import type { Logger } from 'pino';
import { ReplyWriter } from '../protocol/reply.js';
import type { Database } from '../store/database.js';
import type { BlockRequest, Client, MultiState, ServerContext, WatchedKey } from '../commands/types.js';
import type { TableEntry } from '../commands/table.js';

export class FakeClient implements Client {
  /** Fake clients have no id of their own in Redis's CLIENT LIST; they are not listed. */
  readonly id = 0;
  readonly reply = new ReplyWriter();
  readonly log: Logger;
  readonly createdAt: number;
  db: Database;
  name = '';
  libName = '';
  libVersion = '';
  authenticated = true;
  /**
   * A script's client runs as the script's caller (scriptCall sets it);
   * otherwise the server's internal user, whom no ACL rule restricts (an
   * AOF being replayed must load even when the default user is restricted).
   */
  user: AclUser;
  noEvict = false;
  noTouch = false;
  /** Set on the client that replays the AOF at startup. */
  replayingAof = false;
  lastInteraction: number;
  lastCommand = 'NULL';
  currentCommand: TableEntry | null = null;
  closeAfterReply = false;
  readonly closed = false;
  readonly blocked = false;
  multi: MultiState | null = null;
  readonly watchedKeys = new Map<string, WatchedKey>();
  watchDirty = false;
  inExec = true;
  /** Set while a script runs on this client: its commands see the script's start time. */
  timeSnapshot: number | null = null;
  subscriptions = null;
  tracking = null;
  readonly socketless = true;
  /**
   * CLIENT REPLY's flags. Redis's prepareClientToWrite always lets a
   * script's or module's client write, so they never silence this one.
   */
  replyFlags = 0;
  /**
   * Redis's getClientPeerId for a client with no connection: the address
   * lookup of fd -1 fails, leaving "?" and port 0. MONITOR shows it as
   * `[db ?:0]`; a script's client would pass Redis's `lua`.
   */
  readonly remoteAddress: string;
  readonly localAddress = '?:0';
  readonly fd = -1;
  readonly isLocal = true;
  readonly pendingOutput = 0;
  readonly pendingInput = 0;
  readonly pendingInputFree = 0;
  readonly waitingArgv = null;

  constructor(
    readonly server: ServerContext,
    dbIndex: number,
    remoteAddress = '?:0',
  ) {
    this.remoteAddress = remoteAddress;
    this.db = server.keyspace.databases[dbIndex]!;
    this.createdAt = server.clock.now();
    this.lastInteraction = this.createdAt;
    this.log = server.logger.child({ conn: 'fake' });
    this.user = server.acl.internalUser;
  }

  selectDb(index: number): void {
    this.db = this.server.keyspace.databases[index]!;
  }

  block(_request: BlockRequest): void {
    // inExec is always true, so blocking commands answer at once and never get here.
    throw new Error('a client with no socket cannot block');
  }

  postpone(_argv: string[]): void {
    // CLIENT PAUSE holds only clients with a socket, as Redis's scripts and module calls are never paused.
    throw new Error('a client with no socket cannot wait for a pause');
  }

  holdForScript(): void {
    // inExec is always true, and scripts under EXEC run to their end without yielding.
    throw new Error('a client with no socket cannot wait for a script');
  }

  releaseFromScript(): void {
    throw new Error('a client with no socket cannot wait for a script');
  }

  outputAdded(): void {
    // Its replies are taken by the caller; nothing to schedule.
  }

  kill(): void {
    // Nothing to close: CLIENT KILL cannot name a fake client.
  }

  /** The replies written since the last take, as RESP text. */
  takeReply(): string {
    const out = this.reply.take();
    if (out === null) return '';
    if (typeof out === 'string') return out;
    return out.map((part) => (typeof part === 'string' ? part : part.toString('latin1'))).join('');
  }
}
