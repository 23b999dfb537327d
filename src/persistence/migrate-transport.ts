/**
 * MIGRATE's outgoing connections (cluster.c's migrateGetSocket and the
 * sync reads and writes of migrateCommand): one cached connection per
 * host:port, kept for MIGRATE_SOCKET_CACHE_TTL seconds of idleness and
 * remembering the database last SELECTed on it, at most
 * MIGRATE_SOCKET_CACHE_ITEMS of them.
 *
 * Redis does all of this with blocking socket calls while the whole server
 * waits. Here it is asynchronous: only the client that ran MIGRATE waits,
 * and the server goes on serving the others. A connection serves one
 * MIGRATE at a time; a second one to the same target meanwhile gets a
 * connection of its own, closed after use.
 */
import net from 'node:net';

const MIGRATE_SOCKET_CACHE_ITEMS = 64;
const MIGRATE_SOCKET_CACHE_TTL_MS = 10_000;

/** Why a transfer failed, in the words of migrateCommand's IOERR replies. */
export type TransferFailure = 'connecting' | 'writing' | 'reading';

export class TransferError extends Error {
  constructor(
    readonly stage: TransferFailure,
    /** A timeout, which Redis never retries (errno == ETIMEDOUT). */
    readonly timedOut: boolean,
  ) {
    super(`MIGRATE transfer failed while ${stage}`);
  }
}

/** A connection to a target and the lines it has sent back, read one at a time. */
export class TargetConnection {
  /** The database the target has selected on this connection; -1 when unknown. */
  lastDbid = -1;
  lastUse = Date.now();
  busy = false;
  private buffered: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended = false;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    // A cached connection alone must not keep the process alive.
    socket.unref();
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }

  get closed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  /** Writes the whole buffer; fails after `timeoutMs` without progress. */
  write(data: Buffer, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new TransferError('writing', false));
        return;
      }
      const timer = setTimeout(() => reject(new TransferError('writing', true)), timeoutMs);
      this.socket.write(data, (error) => {
        clearTimeout(timer);
        if (error) reject(new TransferError('writing', false));
        else resolve();
      });
    });
  }

  /** connSyncReadLine: the next line, without its CRLF; fails on close or after `timeoutMs` with nothing new. */
  async readLine(timeoutMs: number): Promise<string> {
    for (;;) {
      const end = this.buffered.indexOf('\n');
      if (end >= 0) {
        const line = this.buffered.toString('latin1', 0, end > 0 && this.buffered[end - 1] === 13 ? end - 1 : end);
        this.buffered = this.buffered.subarray(end + 1);
        return line;
      }
      if (this.closed) throw new TransferError('reading', false);
      const arrived = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          resolve(false);
        }, timeoutMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      if (!arrived) throw new TransferError('reading', true);
    }
  }

  close(): void {
    this.ended = true;
    this.socket.destroy();
  }
}

/** Connects with a timeout (connBlockingConnect). */
function connect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host, port });
    const fail = (timedOut: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new TransferError('connecting', timedOut));
    };
    const timer = setTimeout(() => fail(true), timeoutMs);
    socket.once('error', () => fail(false));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

/** The server's cache of MIGRATE connections (server.migrate_cached_sockets). */
export class MigrateSockets {
  private readonly cache = new Map<string, TargetConnection>();
  private sweeper: NodeJS.Timeout | null = null;

  /**
   * migrateGetSocket: the cached connection to host:port, or a new one
   * (cached unless another MIGRATE is using the cached one). `cached`
   * says whether to give it back with release() or to close it.
   */
  async acquire(host: string, port: string, timeoutMs: number): Promise<{ connection: TargetConnection; cached: boolean }> {
    const name = `${host}:${port}`;
    const existing = this.cache.get(name);
    if (existing !== undefined && !existing.closed && !existing.busy) {
      existing.busy = true;
      existing.lastUse = Date.now();
      return { connection: existing, cached: true };
    }
    if (existing !== undefined && existing.closed) this.cache.delete(name);
    const socket = await connect(host, Number.parseInt(port, 10) || 0, timeoutMs);
    const connection = new TargetConnection(socket);
    connection.busy = true;
    if (this.cache.has(name)) return { connection, cached: false };
    if (this.cache.size === MIGRATE_SOCKET_CACHE_ITEMS) {
      // Too many: drop one at random, as Redis does.
      const names = [...this.cache.keys()];
      this.close(names[Math.floor(Math.random() * names.length)]!);
    }
    this.cache.set(name, connection);
    this.sweep();
    return { connection, cached: true };
  }

  release(connection: TargetConnection, cached: boolean): void {
    connection.busy = false;
    connection.lastUse = Date.now();
    if (!cached) connection.close();
  }

  /** migrateCloseSocket. */
  close(name: string): void {
    const connection = this.cache.get(name);
    if (connection === undefined) return;
    this.cache.delete(name);
    connection.close();
  }

  /** Closes every cached connection (server shutdown). */
  closeAll(): void {
    for (const name of [...this.cache.keys()]) this.close(name);
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** migrateCloseTimedoutSockets, once a second while anything is cached. */
  private sweep(): void {
    if (this.sweeper !== null) return;
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [name, connection] of this.cache) {
        if (!connection.busy && now - connection.lastUse > MIGRATE_SOCKET_CACHE_TTL_MS) this.close(name);
      }
      if (this.cache.size === 0 && this.sweeper !== null) {
        clearInterval(this.sweeper);
        this.sweeper = null;
      }
    }, 1000);
    this.sweeper.unref();
  }
}
