/**
 * Connection: one client. It owns the request parser, the queue of parsed
 * commands, the reply buffer and the client's state (selected database,
 * name, auth, protocol). Each socket `data` event is one batch:
 *
 *   parse every complete command → run them in order → one socket write.
 *
 * Backpressure: while the replies waiting in the socket pass the output
 * limit, the connection stops running commands and stops reading, and picks
 * up where it stopped on 'drain'. A client that pipelines without reading
 * therefore holds at most about one limit's worth of server memory, and the
 * kernel's TCP window pushes back on it.
 */
import type { AclUser } from '../acl/user.js';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { RequestParser } from '../protocol/request-parser.js';
import { ReplyWriter } from '../protocol/reply.js';
import { batchTiming, dispatch } from '../commands/dispatch.js';
import type { Database } from '../store/database.js';
import type { Server } from './server.js';
import type { BlockableClient } from './blocking.js';
import type { TableEntry } from '../commands/table.js';
import type { BlockRequest, MultiState, WatchedKey } from '../commands/types.js';
import type { BatchWriter } from './pending-writes.js';
import type { ClientSubscriptions } from './pubsub.js';
import type { ClientTrackingState } from './client-tracking.js';
import type { PausableClient } from './client-pause.js';
import { replyFlagsAfterCommand, REPLY_OFF, REPLY_SKIP } from '../commands/client-control.js';
import { clientInfoLine } from '../commands/client.js';
import { SOFT_LIMIT_NOT_REACHED } from './output-buffer-limits.js';
import { isLoopbackPeer } from './protected-mode.js';

/** A batch reply at least this big is written at once instead of at the end of the turn. */
const WRITE_NOW_BYTES = 4096;

/**
 * The output a client may hold in the server, counted together: replies
 * not yet written, held in the backlog, and waiting in the socket. Past
 * it, the client stops being served (and read) until it reads its replies.
 */
export const OUTPUT_HIGH_WATER = 8 * 1024 * 1024;

/**
 * What a client that has not authenticated may hold, its output and its
 * unfinished input together: past it the client is disconnected, as Redis
 * 7.0.15 disconnects one that pipelines without reading. Unauthenticated,
 * a client earns only NOAUTH errors and AUTH/HELLO replies, and the parser
 * caps its requests at 10 arguments of 16 KB.
 */
export const UNAUTHENTICATED_LIMIT = 256 * 1024;

/**
 * Messages (pub/sub, invalidations) added to a client's batch are looked at
 * once per this many bytes, Redis's reply block size (PROTO_REPLY_CHUNK_BYTES):
 * the output buffer limits are checked, as Redis checks them when it adds a
 * block, not per message (a fan-out to 500 subscribers adds a message to
 * each per PUBLISH), and messages that have reached it are written at once.
 * Kept to the end of the turn, a subscriber's messages are a rope of one V8
 * node per message, copied by every scavenge while the publisher's batch
 * runs: writing them per 16 KB cut the server's CPU per delivered message
 * from about 400 to 300 ns with 50 subscribers and from 620 to 310 ns
 * with 500 (the bench's fan-out driver, three runs of each, alternated).
 */
const MESSAGE_BLOCK_BYTES = 16 * 1024;

/** The first backlog buffer of a client that falls behind; it doubles as needed. */
const BACKLOG_INITIAL_BYTES = 256 * 1024;
const EMPTY_CHUNK = Buffer.alloc(0);

export class Connection implements BlockableClient, PausableClient, BatchWriter {
  readonly id: number;
  readonly reply = new ReplyWriter();
  readonly createdAt: number;
  readonly log: Logger;
  /** CLIENT SETNAME */
  name = '';
  /** CLIENT SETINFO lib-name / lib-ver */
  libName = '';
  libVersion = '';
  db: Database;
  authenticated!: boolean;
  /** The user the client runs as; set by clientSetDefaultAuth in the constructor. */
  user!: AclUser;
  /** CLIENT NO-EVICT / NO-TOUCH */
  noEvict = false;
  noTouch = false;
  readonly replayingAof = false;
  /** When the client last sent a command, and which (CLIENT LIST's idle, cmd). */
  lastInteraction: number;
  lastCommand = 'NULL';
  /** The command being run (Redis's c->cmd). */
  currentCommand: TableEntry | null = null;
  /** Set by QUIT, a protocol error or CLIENT KILL: close once the replies are out. */
  closeAfterReply = false;
  closed = false;
  /** Waiting in a blocking command or for a CLIENT PAUSE to end: later pipelined commands wait too. */
  blocked = false;
  /** Inside MULTI: the queued calls, and whether one was rejected (EXECABORT). */
  multi: MultiState | null = null;
  /** WATCHed keys (`db\0key`) and whether one was touched since. */
  readonly watchedKeys = new Map<string, WatchedKey>();
  watchDirty = false;
  /** Running EXEC's queue: blocking commands answer at once instead of blocking. */
  inExec = false;
  readonly timeSnapshot = null;
  /** Channels, patterns and shard channels subscribed to. */
  subscriptions: ClientSubscriptions | null = null;
  /** CLIENT TRACKING's flags, from the first CLIENT TRACKING ON. */
  tracking: ClientTrackingState | null = null;
  readonly socketless = false;
  /** Listed in the server's PendingWrites for this turn. */
  writeQueued = false;
  /** Bytes read from the socket so far: a shutdown waits for this to stop moving. */
  bytesReceived = 0;
  /** flushAndClose was called: no more input is read. */
  closing = false;
  /**
   * Past its client-output-buffer-limit (output-buffer-limits.ts): the
   * socket is being destroyed, and output that still arrives before it
   * has closed (messages) is dropped, as Redis drops replies to a client
   * marked CLOSE_ASAP.
   */
  closingForOutputLimit = false;
  /** When the output passed the soft limit, in the clock's seconds (Redis's obuf_soft_limit_reached_time). */
  softLimitReachedAt = SOFT_LIMIT_NOT_REACHED;
  /** The batch's reply size at which outputAdded() next looks at the output (MESSAGE_BLOCK_BYTES). */
  private nextMessageCheck = 0;

  private readonly parser: RequestParser;
  /** Output held while the socket is still sending earlier data (appendToBacklog). */
  private backlog: Buffer | null = null;
  private backlogLength = 0;
  private backlogPumpArmed = false;
  private queue: string[][] = [];
  private queueHead = 0;
  private protocolError: string | null = null;
  private pausedForOutput = false;
  private replyFlagBits = 0;
  /** The call being dispatched, kept while it waits (blocked or paused); null between calls. */
  private runningArgv: string[] | null = null;

  /**
   * `borrowedReads`: the server feeds this connection through receive()
   * with views of a shared read buffer (socket-reader.ts) instead of the
   * socket's `data` events.
   */
  constructor(
    readonly server: Server,
    private readonly socket: Socket,
    id: number,
    borrowedReads = false,
  ) {
    this.id = id;
    this.createdAt = server.clock.now();
    this.lastInteraction = this.createdAt;
    this.db = server.keyspace.databases[0]!;
    server.acl.setDefaultAuth(this);
    this.log = server.logger.child({ conn: id });
    this.parser = new RequestParser(
      { maxBulkLength: server.config.get('proto-max-bulk-len') },
      {
        onCommand: (argv) => this.queue.push(argv),
        onProtocolError: (message) => {
          this.protocolError = message;
        },
        isAuthRequired: () => server.acl.authRequired(this),
      },
    );
    socket.setNoDelay(true);
    if (!borrowedReads) socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', (err) => this.log.debug({ err }, 'client socket error'));
    socket.on('close', () => this.onClose());
  }

  get remoteAddress(): string {
    return formatAddress(this.socket.remoteAddress, this.socket.remotePort);
  }

  get localAddress(): string {
    return formatAddress(this.socket.localAddress, this.socket.localPort);
  }

  /**
   * The socket's file descriptor (CLIENT LIST's fd). Node keeps it on the
   * socket's internal handle only; -1 where there is none (Windows).
   */
  get fd(): number {
    const handle = (this.socket as unknown as { _handle?: { fd?: unknown } })._handle;
    return typeof handle?.fd === 'number' ? handle.fd : -1;
  }

  /** islocalClient: the peer is on loopback (enable-debug-command and enable-protected-configs local). */
  get isLocal(): boolean {
    return isLoopbackPeer(this.socket.remoteAddress);
  }

  /**
   * Output held after its batch was written: the backlog and what the
   * socket queues (CLIENT LIST's omem, INFO client_recent_max_output_buffer).
   */
  get pendingOutput(): number {
    return this.socket.writableLength + this.backlogLength;
  }

  get pendingInput(): number {
    return this.parser.pendingBytes;
  }

  get pendingInputFree(): number {
    return this.parser.pendingRoom;
  }

  get waitingArgv(): readonly string[] | null {
    return this.blocked ? this.runningArgv : null;
  }

  selectDb(index: number): void {
    this.db = this.server.keyspace.databases[index]!;
  }

  /** CLIENT REPLY's flags; OFF or SKIP silences the reply writer, pushes excepted. */
  get replyFlags(): number {
    return this.replyFlagBits;
  }

  set replyFlags(flags: number) {
    this.replyFlagBits = flags;
    this.reply.silence((flags & (REPLY_OFF | REPLY_SKIP)) !== 0);
  }

  /**
   * CLIENT PAUSE holds `argv`, the call dispatch() was given: it goes back
   * to the head of the queue, to run again from the start when the pause
   * ends, as Redis reprocesses a postponed client's command.
   */
  postpone(argv: string[]): void {
    this.queue[--this.queueHead] = argv;
    this.blocked = true;
    this.server.pause.park(this);
  }

  /** The pause is over: like Redis's unblocked clients, the held command runs on the next turn. */
  resumeAfterPause(): void {
    this.blocked = false;
    setImmediate(() => {
      if (!this.closed && !this.blocked) this.runQueue();
    });
  }

  /**
   * Parks the client in a blocking command (no reply yet). Its later
   * pipelined commands wait until it is served, times out or is unblocked.
   */
  block(request: BlockRequest): void {
    this.blocked = true;
    this.server.blocking.block(this, request, this.server.keyspace.now);
  }

  holdForScript(): void {
    this.blocked = true;
  }

  releaseFromScript(): void {
    if (this.closed) return;
    this.resumeAfterUnblock();
  }

  /** Called by the blocking manager once the blocking command has replied. */
  resumeAfterUnblock(): void {
    this.blocked = false;
    this.runningArgv = null;
    // The blocking command is done only now (resetClient at unblock).
    if (this.replyFlagBits !== 0) this.replyFlags = replyFlagsAfterCommand(this.replyFlagBits);
    this.flush();
    // Like Redis's processUnblockedClients: the rest of the pipeline runs on
    // the next turn, after the command that served this client has finished.
    setImmediate(() => {
      if (!this.closed && !this.blocked) this.runQueue();
    });
  }

  /**
   * A message (pub/sub, an invalidation) was written into this client's
   * replies by another client's command: it leaves with this turn's writes.
   */
  outputAdded(): void {
    if (this.closingForOutputLimit) {
      this.reply.discard();
      return;
    }
    if (!this.writeQueued && !this.closed) this.server.pendingWrites.add(this);
    const pending = this.reply.pendingSize;
    if (pending < this.nextMessageCheck) return;
    this.nextMessageCheck = pending + MESSAGE_BLOCK_BYTES;
    if (this.server.outputLimits.enforce(this)) return;
    // Not while the client runs a command of its own (a RESP3 client
    // publishing to itself): a failing command rolls its reply back.
    if (pending >= MESSAGE_BLOCK_BYTES && this.currentCommand === null) this.finishBatch();
  }

  /** Ends the connection at once (CLIENT KILL, shutdown). Pending replies are dropped. */
  kill(): void {
    if (this.closed) return;
    this.reply.discard();
    this.socket.destroy();
  }

  /**
   * Redis's freeClientAsync for a client past its output buffer limit: its
   * output is dropped and the socket destroyed; the client leaves its
   * channels, and the server's lists, when the socket has closed, never in
   * the middle of the publish or command that pushed it over.
   */
  closeForOutputLimit(): void {
    this.closingForOutputLimit = true;
    this.backlog = null;
    this.backlogLength = 0;
    this.kill();
  }

  /** Answers a client that may not stay (protected mode) with `text`, and closes it; nothing it sends is read. */
  refuse(text: string): void {
    this.closing = true;
    this.closeAfterReply = true;
    this.socket.pause();
    this.socket.end(text, 'latin1', () => this.socket.destroy());
  }

  /** Writes what is pending, then closes (shutdown). */
  flushAndClose(): void {
    this.closing = true;
    this.flush();
    this.closeAfterWrites();
  }

  /**
   * Nothing received is left to run: the queue is empty, or the client is
   * blocked (Redis closes blocked clients at shutdown without a reply), and
   * it is not held back by unread output.
   */
  get hasNothingToRun(): boolean {
    return this.blocked || (this.queueHead === this.queue.length && !this.pausedForOutput);
  }

  /**
   * Like Redis after QUIT or a protocol error: no more input is read, and
   * once the replies are written the socket is closed, not left half-open
   * waiting for the peer.
   */
  private closeAfterWrites(): void {
    this.socket.pause();
    this.socket.end(() => this.socket.destroy());
  }

  /** Bytes [0, length) of a chunk read from the socket: one batch. */
  receive(chunk: Buffer, length = chunk.length): void {
    try {
      this.onData(chunk, length);
    } catch (error) {
      // Handlers' exceptions are caught in dispatch; anything reaching
      // here is a bug in the connection itself. Lose this client, never
      // the process.
      if (this.server.clientWarnings.allow()) this.log.error({ err: error }, 'connection failed, closing it');
      this.kill();
    }
  }

  private onData(chunk: Buffer, length: number): void {
    this.bytesReceived += length;
    this.server.stats.netInputBytes += length;
    this.parser.feed(chunk, length);
    if (this.parser.pendingBytes > this.server.config.get('client-query-buffer-limit')) {
      // Redis drops such a client without a reply, and says who it was.
      if (this.server.clientWarnings.allow()) {
        this.log.warn({ bytes: this.parser.pendingBytes, client: clientInfoLine(this, null) }, 'Closing client that reached max query buffer length');
      }
      this.kill();
      return;
    }
    this.runQueue();
    // readQueryFromClient counts every read as interaction (`timeout`); a
    // read that ended a command already has it from dispatch.
    if (this.parser.pendingBytes !== 0) this.lastInteraction = this.server.clock.now();
  }

  /** Runs queued commands in order until the queue is empty or the client must wait. */
  runQueue(): void {
    const queue = this.queue;
    if (this.queueHead < queue.length) batchTiming.begin(this.server.clock.now());
    try {
      while (this.queueHead < queue.length) {
        if (this.closed || this.closeAfterReply || this.blocked || this.closingForOutputLimit) break;
        const output = this.outputBytes;
        if (!this.authenticated && output + this.parser.pendingBytes > UNAUTHENTICATED_LIMIT) {
          this.dropForOutputLimit(output + this.parser.pendingBytes);
          return;
        }
        const outputLimits = this.server.outputLimits;
        if ((this.subscriptions !== null || outputLimits.normalLimited) && outputLimits.enforce(this, output)) return;
        // Only output pauses a client: its unfinished input can only shrink
        // by being read (client-query-buffer-limit bounds it).
        if (output > OUTPUT_HIGH_WATER) {
          this.pauseForOutput();
          break;
        }
        const argv = queue[this.queueHead]!;
        queue[this.queueHead++] = undefined as unknown as string[];
        this.runningArgv = argv;
        dispatch(this, argv);
        // resetClient, unless the command still waits (blocked or paused):
        // its arguments go, and a CLIENT REPLY SKIP ends or begins.
        if (!this.blocked) {
          this.runningArgv = null;
          if (this.replyFlagBits !== 0) this.replyFlags = replyFlagsAfterCommand(this.replyFlagBits);
        }
      }
    } finally {
      batchTiming.end();
    }
    if (this.queueHead === queue.length && !this.blocked) {
      this.queue = [];
      this.queueHead = 0;
      if (this.protocolError !== null && !this.closeAfterReply) {
        // Like Redis: reply to everything before the bad request, then the
        // error, then close this connection only.
        this.reply.error(this.protocolError);
        this.server.stats.recordError(this.reply.lastErrorCode);
        this.closeAfterReply = true;
        // Redis logs a client's protocol error only at verbose (pino's debug).
        this.log.debug({ error: this.protocolError }, 'protocol error, closing client');
      }
    }
    // A big batch reply is a large rope of small strings: kept alive until
    // the end of the turn, it is copied by every scavenge on the way (perf:
    // LRANGE_600 -P 16 spent 40% in the scavenger and fell to 0.2x of
    // Redis). A big write also amortises its wakeup, so it goes at once.
    if (this.reply.pendingSize >= WRITE_NOW_BYTES) this.finishBatch();
    else this.server.pendingWrites.add(this);
  }

  /** PendingWrites calls this at the end of the turn: the batch's one write. */
  finishBatch(): void {
    // The batch's replies count before they are written, as Redis counts a
    // reply when it is added: one too big for the limit is never sent.
    if (this.server.outputLimits.enforce(this)) return;
    this.flush();
    if (this.closeAfterReply && !this.closed) this.closeAfterWrites();
  }

  /** The single write for everything this batch produced. */
  flush(): void {
    const out = this.reply.take();
    this.nextMessageCheck = 0;
    if (out === null || this.closed || this.closingForOutputLimit) return;
    // The journal first: under appendfsync always, what these replies acknowledge is on disk before they leave.
    const aof = this.server.aof;
    if (aof.pendingBytes !== 0) aof.flushBeforeReplies();
    if (typeof out === 'string') {
      this.server.stats.netOutputBytes += out.length;
      if (this.socket.writableLength === 0 && this.backlogLength === 0) this.socket.write(out, 'latin1');
      else this.appendToBacklog(out);
      return;
    }
    // A batch past the reply spill size: corked, the parts leave in one writev.
    this.socket.cork();
    for (const part of out) {
      this.server.stats.netOutputBytes += part.length;
      if (typeof part === 'string') this.socket.write(part, 'latin1');
      else this.socket.write(part);
    }
    this.socket.uncork();
  }

  /**
   * A client that does not keep up with its replies: while the socket
   * still holds unsent data, batches are copied into one growing buffer
   * instead of being queued as they are. Queued as they are, each batch
   * was a rope of one node per reply (16 MB of PONGs held 70 MB of heap),
   * and many small buffers left the allocator's heap fragmented after the
   * client went. The backlog is written in one go once the socket has sent
   * everything before it.
   */
  private appendToBacklog(text: string): void {
    const needed = this.backlogLength + text.length;
    if (this.backlog === null || needed > this.backlog.length) {
      const grown = Buffer.allocUnsafe(Math.max(BACKLOG_INITIAL_BYTES, needed, this.backlog === null ? 0 : this.backlog.length * 2));
      if (this.backlog !== null) this.backlog.copy(grown, 0, 0, this.backlogLength);
      this.backlog = grown;
    }
    this.backlogLength += this.backlog.latin1Write(text, this.backlogLength);
    if (!this.backlogPumpArmed) {
      this.backlogPumpArmed = true;
      // Its callback runs once everything queued before it has been sent.
      this.socket.write(EMPTY_CHUNK, this.writeBacklog);
    }
  }

  private readonly writeBacklog = (): void => {
    this.backlogPumpArmed = false;
    if (this.closed || this.backlog === null || this.backlogLength === 0) return;
    const chunk = this.backlog.subarray(0, this.backlogLength);
    this.backlog = null;
    this.backlogLength = 0;
    this.backlogPumpArmed = true;
    this.socket.write(chunk, this.writeBacklog);
  };

  /** Replies not yet written, held in the backlog, or waiting in the socket. */
  get outputBytes(): number {
    return this.reply.pendingSize + this.socket.writableLength + this.backlogLength;
  }

  private dropForOutputLimit(held: number): void {
    if (this.server.clientWarnings.allow()) {
      this.log.warn({ bytes: held }, 'closing unauthenticated client that does not read its replies');
    }
    this.kill();
  }

  private pauseForOutput(): void {
    if (this.pausedForOutput) return;
    this.pausedForOutput = true;
    this.socket.pause();
  }

  private onDrain(): void {
    if (!this.pausedForOutput || this.closed) return;
    this.pausedForOutput = false;
    this.socket.resume();
    this.runQueue();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.blocked) this.server.blocking.drop(this);
    if (this.watchedKeys.size !== 0) this.server.watches.unwatchAll(this);
    if (this.subscriptions !== null) this.server.pubsub.dropClient(this);
    if (this.tracking !== null) this.server.tracking.disable(this);
    this.server.monitors.remove(this);
    this.server.pause.drop(this);
    this.queue = [];
    this.queueHead = 0;
    this.reply.discard();
    this.backlog = null;
    this.backlogLength = 0;
    this.server.removeClient(this);
  }
}

function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  // Redis brackets IPv6 addresses (CLIENT LIST addr=[::1]:port).
  return (host.includes(':') ? '[' + host + ']' : host) + ':' + (port ?? 0);
}
