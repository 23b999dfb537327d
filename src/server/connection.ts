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
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { RequestParser } from '../protocol/request-parser.js';
import { ReplyWriter } from '../protocol/reply.js';
import { dispatch } from '../commands/dispatch.js';
import type { Database } from '../store/database.js';
import type { Server } from './server.js';
import type { BlockRequest } from './blocking.js';
import type { TableEntry } from '../commands/table.js';
import type { BatchWriter } from './pending-writes.js';

export interface MultiState {
  queue: Array<{ entry: TableEntry; argv: string[] }>;
  failed: boolean;
}

/** A batch reply at least this big is written at once instead of at the end of the turn. */
const WRITE_NOW_BYTES = 4096;

/** Unsent reply bytes above which a client stops being served until it reads. */
export const OUTPUT_HIGH_WATER = 16 * 1024 * 1024;

export class Connection implements BatchWriter {
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
  authenticated: boolean;
  /** The authenticated user (only 'default' exists). */
  user = 'default';
  /** CLIENT NO-EVICT / NO-TOUCH */
  noEvict = false;
  noTouch = false;
  /** When the client last sent a command, and which (CLIENT LIST's idle, cmd). */
  lastInteraction: number;
  lastCommand = 'NULL';
  /** Set by QUIT, a protocol error or CLIENT KILL: close once the replies are out. */
  closeAfterReply = false;
  closed = false;
  /** Waiting in a blocking command: later pipelined commands wait too. */
  blocked = false;
  /** Inside MULTI: the queued calls, and whether one was rejected (EXECABORT). */
  multi: MultiState | null = null;
  /** WATCHed keys (`db\0key`) and whether one was touched since. */
  readonly watchedKeys = new Set<string>();
  watchDirty = false;
  /** Running EXEC's queue: blocking commands answer at once instead of blocking. */
  inExec = false;
  /** Listed in the server's PendingWrites for this turn. */
  writeQueued = false;

  private readonly parser: RequestParser;
  private queue: string[][] = [];
  private queueHead = 0;
  private protocolError: string | null = null;
  private pausedForOutput = false;

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
    this.authenticated = server.config.getString('requirepass') === '';
    this.log = server.logger.child({ conn: id });
    this.parser = new RequestParser(
      { maxBulkLength: server.config.getNumber('proto-max-bulk-len') },
      {
        onCommand: (argv) => this.queue.push(argv),
        onProtocolError: (message) => {
          this.protocolError = message;
        },
        isAuthRequired: () => !this.authenticated,
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

  /** True when the peer is on this machine (enable-debug-command local). */
  get isLocal(): boolean {
    const a = this.socket.remoteAddress ?? '';
    return a === '127.0.0.1' || a === '::1' || a.startsWith('::ffff:127.') || a.startsWith('127.');
  }

  /** Bytes waiting in the socket (CLIENT LIST's tot-mem and omem approximations). */
  get pendingOutput(): number {
    return this.socket.writableLength;
  }

  get pendingInput(): number {
    return this.parser.pendingBytes;
  }

  selectDb(index: number): void {
    this.db = this.server.keyspace.databases[index]!;
  }

  /**
   * Parks the client in a blocking command (no reply yet). Its later
   * pipelined commands wait until it is served, times out or is unblocked.
   */
  block(request: BlockRequest): void {
    this.blocked = true;
    this.server.blocking.block(this, request, this.server.keyspace.now);
  }

  /** Called by the blocking manager once the blocking command has replied. */
  resumeAfterUnblock(): void {
    this.blocked = false;
    this.flush();
    // Like Redis's processUnblockedClients: the rest of the pipeline runs on
    // the next turn, after the command that served this client has finished.
    setImmediate(() => {
      if (!this.closed && !this.blocked) this.runQueue();
    });
  }

  /** Ends the connection at once (CLIENT KILL, shutdown). Pending replies are dropped. */
  kill(): void {
    if (this.closed) return;
    this.reply.discard();
    this.socket.destroy();
  }

  /** Writes what is pending, then closes (SHUTDOWN, QUIT). */
  flushAndClose(): void {
    this.flush();
    this.closeAfterWrites();
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
      this.log.error({ err: error }, 'connection failed, closing it');
      this.kill();
    }
  }

  private onData(chunk: Buffer, length: number): void {
    this.server.stats.netInputBytes += length;
    this.parser.feed(chunk, length);
    if (this.parser.pendingBytes > this.server.config.getNumber('client-query-buffer-limit')) {
      // Redis drops such a client without a reply.
      this.log.warn({ bytes: this.parser.pendingBytes }, 'closing client that reached max query buffer length');
      this.kill();
      return;
    }
    this.runQueue();
  }

  /** Runs queued commands in order until the queue is empty or the client must wait. */
  runQueue(): void {
    const queue = this.queue;
    while (this.queueHead < queue.length) {
      if (this.closed || this.closeAfterReply || this.blocked) break;
      if (this.reply.pendingSize + this.socket.writableLength > OUTPUT_HIGH_WATER) {
        this.pauseForOutput();
        break;
      }
      const argv = queue[this.queueHead]!;
      queue[this.queueHead++] = undefined as unknown as string[];
      dispatch(this, argv);
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
        this.log.info({ error: this.protocolError }, 'protocol error, closing client');
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
    this.flush();
    if (this.closeAfterReply && !this.closed) this.closeAfterWrites();
  }

  /** The single write for everything this batch produced. */
  flush(): void {
    const out = this.reply.take();
    if (out === null || this.closed) return;
    if (typeof out === 'string') {
      this.server.stats.netOutputBytes += out.length;
      this.socket.write(out, 'latin1');
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
    this.queue = [];
    this.queueHead = 0;
    this.reply.discard();
    this.server.removeClient(this);
  }
}

function formatAddress(address: string | undefined, port: number | undefined): string {
  if (address === undefined) return '?:0';
  const host = address.startsWith('::ffff:') ? address.slice(7) : address;
  // Redis brackets IPv6 addresses (CLIENT LIST addr=[::1]:port).
  return (host.includes(':') ? '[' + host + ']' : host) + ':' + (port ?? 0);
}
