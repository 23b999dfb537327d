/**
 * Server: the listener, the set of connections, the keyspace, the
 * configuration, the command table and the timers (active expiry). Each
 * instance owns all of its state, so many can run in one process.
 */
import { Acl } from '../acl/acl.js';
import { loadUsersAtStartup } from '../acl/startup.js';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type tls from 'node:tls';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { errors } from '../errors.js';
import { Config, ConfigError, parsePercentiles, listenAddresses, type ListenAddress, type ParamName, type ParamValue } from '../config.js';
import { systemClock, type Clock } from '../clock.js';
import { Keyspace } from '../store/keyspace.js';
import type { EncodingConfig } from '../store/types.js';
import { CommandTable } from '../commands/table.js';
import { allCommandGroups } from '../commands/index.js';
import { dispatch, serveBlockedClient } from '../commands/dispatch.js';
import { FakeClient } from './fake-client.js';
import { Scripting } from '../scripting/scripting.js';
import { ClientWarnings } from './client-warnings.js';
import { Propagation } from '../commands/propagation.js';
import type { ServerContext } from '../commands/types.js';
import type { KeyspaceEvents } from '../store/keyspace-events.js';
import { Connection } from './connection.js';
import { ServerStats } from './stats.js';
import { SlowLog } from './slowlog.js';
import { LatencyMonitor } from './latency-monitor.js';
import { ActiveExpiry } from './active-expiry.js';
import { BlockingManager } from './blocking.js';
import { PubSub } from './pubsub.js';
import { KeyspaceNotifications } from './keyspace-notifications.js';
import { ClientTracking } from './client-tracking.js';
import { MonitorFeed } from './monitor-feed.js';
import { ClientPause } from './client-pause.js';
import { WatchRegistry } from './watch.js';
import { PendingWrites } from './pending-writes.js';
import { OutputBufferLimits } from './output-buffer-limits.js';
import { adoptSocket, READ_BUFFER_SIZE } from './socket-reader.js';
import { AppendOnlyFile } from '../persistence/aof.js';
import type { AofReplayTarget } from '../persistence/aof-loader.js';
import { Snapshots } from '../persistence/snapshots.js';
import { TlsAcceptor, TLS_CONTEXT_PARAMS } from './tls.js';
import { deniedByProtectedMode, PROTECTED_MODE_DENIED } from './protected-mode.js';
import { closeIdleClients } from './idle-clients.js';

/** How many times listen() picks a new port when port 0's pick is taken on another bind address. */
const FREE_PORT_ATTEMPTS = 5;
import { MemoryAccounting } from './memory-accounting.js';
import { Eviction, type MaxmemoryPolicy } from './eviction.js';

/** How often a closing server looks for clients that have gone quiet. */
const DRAIN_TICK_MS = 10;
/**
 * How long a closing server must see no new connection before it stops
 * listening. A connection still in the kernel's accept backlog holds
 * requests sent before the shutdown; on a loaded machine libuv may take
 * longer than one tick to accept it (one 10 ms tick lost a client's 1000
 * INCRs at a load average of 12 on 2 cores).
 */
const DRAIN_ACCEPT_QUIET_MS = 100;
/**
 * ... and in as many ticks. A process starved of CPU for longer than the
 * quiet time wakes up in the timers phase, before the poll phase that
 * would accept what waited in the backlog: time alone then says "quiet"
 * with connections still unaccepted (a SIGTERM among 50 clients at a load
 * average of 20 lost a client's replies about once in ten). Each tick
 * comes after a poll phase, so quiet ticks mean the backlog was looked at.
 */
const DRAIN_ACCEPT_QUIET_TICKS = 3;
/** The longest a closing server waits for its clients to go quiet before cutting them. */
const DRAIN_LIMIT_MS = 2000;

export interface ServerInit {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** The path of the config file the server was started with (INFO config_file). */
  configFile?: string;
  /** The config file's `user` lines: the username, then its rules. */
  users?: ReadonlyArray<readonly string[]>;
}

/** The parameters whose values are numbers. */
type NumericParamName = { [N in ParamName]: ParamValue<N> extends number ? N : never }[ParamName];

export class Server extends EventEmitter implements ServerContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly keyspace: Keyspace;
  readonly commands: CommandTable;
  readonly stats = new ServerStats();
  readonly slowlog = new SlowLog();
  readonly latency: LatencyMonitor;
  readonly clients = new Map<number, Connection>();
  /** Clients waiting in BLPOP and friends; served as commands of their own. */
  readonly blocking = new BlockingManager(serveBlockedClient, () => this.scripting.busy);
  /** The log budget for warnings a client's behaviour causes. */
  readonly clientWarnings: ClientWarnings;
  /** What changes propagate to the journal (Redis's alsoPropagate). */
  readonly propagation = new Propagation();
  /** The append-only file, a listener of `propagation` while appendonly is on. */
  readonly aof: AppendOnlyFile;
  /** Clients WATCHing keys. */
  readonly watches = new WatchRegistry();
  /** Channels, patterns and their subscribers. */
  readonly pubsub = new PubSub();
  readonly scripting: Scripting = new Scripting(this);
  readonly acl: Acl;
  /** Publishes the seat's events that notify-keyspace-events selects. */
  readonly keyspaceNotifications: KeyspaceNotifications;
  /** Client-side caching: who may hold which keys (CLIENT TRACKING). */
  readonly tracking: ClientTracking;
  /** MONITOR clients and the feed of commands to them. */
  readonly monitors: MonitorFeed;
  /** CLIENT PAUSE / UNPAUSE. */
  readonly pause: ClientPause;
  /** What every client socket reads into (socket-reader.ts). */
  private readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_SIZE);
  /** Connections whose batch replies leave at the end of this loop turn. */
  readonly pendingWrites = new PendingWrites();
  /** client-output-buffer-limit, per class of client. */
  readonly outputLimits: OutputBufferLimits;
  /** Encoding thresholds, kept in step with CONFIG SET for OBJECT ENCODING. */
  readonly encoding: EncodingConfig;
  /** SAVE, BGSAVE, the save schedule, loading the dump at startup. */
  readonly snapshots: Snapshots;
  readonly startedAt: number;
  readonly configFile: string;
  /** A monotonically rising run id, as INFO server prints it. */
  readonly runId: string;

  /** One listener per bind address (Redis's listeners on every `bind` address). */
  private tcpListeners: net.Server[] = [];
  /** The same for tls-port. */
  private tlsListeners: net.Server[] = [];
  /** TLS's context and handshakes (null until a TLS port is listened on). */
  private tls: TlsAcceptor | null = null;
  private nextClientId = 1;
  readonly activeExpiry: ActiveExpiry;
  /** The used-memory figure and its breakdown (INFO memory, MEMORY STATS, maxmemory). */
  readonly memory: MemoryAccounting;
  /** maxmemory and its policies. */
  readonly eviction: Eviction;
  private closing: Promise<void> | null = null;
  /** Set by close() while it waits for the last client to go. */
  private lastClientClosed: (() => void) | null = null;
  /** serverCron's 100 ms tick, for the figures INFO samples (instantaneous_*, peak memory). */
  private cronTimer: NodeJS.Timeout | null = null;
  /** loadDataFromDisk has run (listen runs it if the owner did not). */
  private dataLoaded = false;

  constructor(init: ServerInit) {
    super();
    this.config = init.config;
    this.logger = init.logger;
    this.clock = init.clock ?? systemClock;
    this.configFile = init.configFile ?? '';
    this.startedAt = this.clock.now();
    this.runId = randomHex(40);
    this.latency = new LatencyMonitor(() => this.clock.now());
    this.clientWarnings = new ClientWarnings(this.logger);
    this.outputLimits = new OutputBufferLimits(this.config, () => this.clock.now(), () => this.clientWarnings.allow());
    this.on('cron', () => this.outputLimits.cron());
    this.keyspace = new Keyspace(this.config.get('databases'));
    this.monitors = new MonitorFeed(this.clock);
    this.pause = new ClientPause(this.clock, this.keyspace);
    // serverCron's checkClientPauseTimeoutAndReturnIfPaused, for clocks that no timer follows.
    this.on('cron', () => this.pause.checkTimeout());
    this.commands = new CommandTable(allCommandGroups);
    this.config.watch('compat-version', (version) => this.commands.showUpTo(version));
    this.acl = new Acl({ table: this.commands, config: this.config, clients: this.clients, logger: this.logger, now: () => this.clock.now() });
    loadUsersAtStartup(this.acl, this.config.get('aclfile'), init.users ?? []);
    this.tracking = new ClientTracking(this.clients, this.commands);
    this.encoding = {
      hashMaxListpackEntries: 0,
      hashMaxListpackValue: 0,
      setMaxIntsetEntries: 0,
      setMaxListpackEntries: 0,
      setMaxListpackValue: 0,
      zsetMaxListpackEntries: 0,
      zsetMaxListpackValue: 0,
      listMaxListpackSize: 0,
      hllSparseMaxBytes: 0,
      streamNodeMaxBytes: 0,
      streamNodeMaxEntries: 0,
    };
    this.keyspace.encoding = this.encoding;
    this.memory = new MemoryAccounting({
      keyspace: this.keyspace,
      luaCaches: () => this.scripting.cachedScriptsMemory,
      functionsCaches: () => this.scripting.functions.current.cacheMemory,
      clientBuffers: () => {
        let bytes = 0;
        for (const client of this.clients.values()) bytes += client.pendingInput + client.pendingOutput;
        return bytes;
      },
    });
    this.eviction = new Eviction({
      keyspace: this.keyspace,
      memory: this.memory,
      now: () => this.clock.now(),
      busy: () => this.scripting.busy,
      deleteKey: (db, key, lazy) => db.delete(key, lazy),
      flushPropagation: () => {
        if (this.propagation.depth === 0) this.propagation.flush(true);
      },
      latency: this.latency,
    });
    // serverCron samples the peak too.
    this.on('cron', () => this.memory.usedForEviction());
    this.bindConfig();
    this.activeExpiry = new ActiveExpiry(this.keyspace, () => this.clock.now(), this.propagation, () => this.scripting.busy, this.latency);
    this.listenToChanges();
    // After the server's own listeners, as Redis notifies after signalModifiedKey.
    this.keyspaceNotifications = new KeyspaceNotifications(this.events, this.pubsub);
    this.config.watch('notify-keyspace-events', (classes) => this.keyspaceNotifications.configure(classes));
    this.aof = new AppendOnlyFile({
      config: this.config,
      logger: this.logger,
      clock: this.clock,
      keyspace: this.keyspace,
      propagation: this.propagation,
      latency: this.latency,
      functionCodes: () => [...this.scripting.functions.current.libraries.values()].map((library) => library.code),
      rdbBase: (inSlices) => this.snapshots.beginFile({ aofBase: true }, inSlices),
      writeStatusChanged: (error) => this.snapshots.setAofWriteError(error),
    });
    this.on('cron', () => this.aof.cron());
    // updateAppendonly: CONFIG SET appendonly starts or stops the AOF.
    this.config.onApply('appendonly', (on) => {
      if (!on) this.aof.stop();
      else if (!this.aof.start()) return errors.appendonlyStartFailed;
      return null;
    });
    this.snapshots = new Snapshots({
      config: this.config,
      logger: this.logger,
      keyspace: this.keyspace,
      events: this.events,
      functions: this.scripting.functions,
      encoding: this.encoding,
      usedMemory: () => this.memory.used(),
      now: () => this.clock.now(),
      aofRewriteInProgress: () => this.aof.rewriteInProgress,
    });
    this.on('cron', () => this.snapshots.cron());
    // clientsCron's clientsCronHandleTimeout; with `timeout 0` the cron pays one check.
    let lastIdleCheck = 0;
    this.on('cron', () => {
      const maxIdle = this.config.get('timeout');
      if (maxIdle === 0) return;
      const now = this.clock.now();
      // Each client once a second, as Redis's clientsCron visits each one per second.
      if (now - lastIdleCheck < 1000) return;
      lastIdleCheck = now;
      closeIdleClients(this, maxIdle, now);
    });
    // applyTlsCfg: with TLS on, a changed tls-* parameter rebuilds the context, or the CONFIG SET fails.
    this.config.addApplier(TLS_CONTEXT_PARAMS, () => {
      if (this.tls === null || this.tls.configure() === null) return null;
      return 'Unable to update TLS configuration. Check server logs.';
    });
  }

  /**
   * loadAppendOnlyFile, before listening: with appendonly yes, the AOF's
   * files are replayed on a socketless client and the last incr file
   * opened for appending. Throws (and the server must not start) where
   * Redis would exit.
   */
  loadAppendOnlyFile(): void {
    if (this.dataLoaded) return;
    this.dataLoaded = true;
    if (!this.config.get('appendonly')) return;
    const loading = new FakeClient(this, 0);
    loading.replayingAof = true;
    const target: AofReplayTarget = {
      logger: this.logger,
      replay: (argv) => {
        this.execute(argv, loading);
        // EXEC clears inExec; a loading client must never block.
        loading.inExec = true;
      },
      inTransaction: () => loading.multi !== null,
      knowsCommand: (argv) => this.commands.lookup(argv[0]!) !== undefined,
      loadRdb: (bytes) => this.snapshots.loadAofBase(bytes),
    };
    this.aof.loadAndOpen(target);
  }

  /**
   * loadDataFromDisk: with the AOF off, loads dir/dbfilename if there is
   * one (in slices: clients connecting meanwhile get -LOADING). The AOF,
   * when on, has loaded instead, before listening (loadAppendOnlyFile). Rejects for a file that can't be loaded
   * (RdbLoadError carries Redis's log lines); the owner must not go on.
   */
  async loadDataFromDisk(): Promise<void> {
    if (this.config.get('appendonly')) return;
    await this.snapshots.loadAtStartup();
  }

  /** LASTSAVE: Unix seconds of the last successful save (the start time until one). */
  get lastSave(): number {
    return this.snapshots.lastSave;
  }

  /** The seat where every change to the keyspace is announced. */
  get events(): KeyspaceEvents {
    return this.keyspace.events;
  }

  /** Changes made since the last save (INFO rdb_changes_since_last_save). */
  get dirty(): number {
    return this.keyspace.events.dirty;
  }

  /**
   * The server's own listeners of the change seat: WATCH, blocked clients,
   * client tracking's invalidations, the DEL that an expiry propagates
   * (Redis's propagateDeletion) and the HDEL of an expired hash field.
   */
  private listenToChanges(): void {
    const { watches, blocking, propagation, tracking } = this;
    this.events.onKeyModified((db, key, event) => {
      watches.touch(db, key);
      blocking.signal(db.id, key);
      tracking.keyModified(key, event);
      if (event === 'expired') propagation.alsoPropagate(db.id, propagation.expiredDeletion(key));
      else if (event === 'evicted') propagation.alsoPropagate(db.id, [this.eviction.lazyEviction ? 'UNLINK' : 'DEL', key]);
      // A hash with field TTLs arriving under a new key joins that database's index.
      else if (event === 'rename_to' || event === 'move_to' || event === 'copy_to') db.trackFieldExpiry(key);
    });
    // propagateHashFieldDeletion: each expired hash field goes to replicas as an HDEL.
    this.events.onFieldsExpired((db, key, fields) => {
      for (const field of fields) propagation.alsoPropagate(db.id, ['HDEL', key, field]);
    });
    this.events.onKeyReady((db, key) => blocking.signal(db.id, key));
    this.events.onDatabaseModified((db, _event, replacedWith) => {
      watches.touchDatabase(db, replacedWith);
      blocking.signalDatabase(db.id);
    });
    this.events.onFlushed(() => tracking.flushed());
    // serverCron trims the tracking table too, so a lowered limit applies on an idle server.
    this.on('cron', () => {
      if (tracking.clientCount !== 0) tracking.limitUsedSlots(null);
    });
  }

  /**
   * Runs one command with no socket behind it, as Redis's fake clients do
   * (scripts, the journal being replayed), through the same dispatch and
   * call() as a socket's commands. Returns the RESP reply.
   */
  execute(argv: string[], client: FakeClient = new FakeClient(this, 0)): string {
    client.lastInteraction = this.clock.now();
    dispatch(client, argv);
    return client.takeReply();
  }

  /** The address the listener is bound to (after listen()). */
  get address(): net.AddressInfo {
    const address = this.tcpListeners[0]?.address();
    if (address === null || address === undefined || typeof address === 'string') {
      throw new Error('the server is not listening');
    }
    return address;
  }

  /** The address the TLS listener is bound to; null without TLS. */
  get tlsAddress(): net.AddressInfo | null {
    const address = this.tlsListeners[0]?.address();
    return address === null || address === undefined || typeof address === 'string' ? null : address;
  }

  /**
   * Listens on every address (a `bind` value, or its parsed addresses), on
   * one port (port 0: a port free on every address), and with `tlsPort`
   * (0: a free one; null: the tls-port parameter, where 0 means no TLS) on
   * the same addresses for TLS. An optional address (`-` in `bind`) that
   * this host does not have is skipped, as Redis 7.0 skips it; any other
   * failure fails the start and closes what was opened. TLS that can't be
   * configured fails it with a ConfigError, as it stops redis-server.
   */
  async listen(port: number, bind: string | readonly ListenAddress[], tlsPort: number | null = null): Promise<void> {
    this.loadAppendOnlyFile();
    const addresses = typeof bind === 'string' ? listenAddresses(bind) : bind;
    const tlsOn = tlsPort ?? this.config.get('tls-port');
    if (tlsPort !== null || tlsOn !== 0) {
      this.tls = new TlsAcceptor(this.config, this.logger, () => this.clientWarnings.allow(), (socket) => this.admit(socket, true));
      const error = this.tls.configure();
      if (error !== null) throw new ConfigError('tls-port', `Failed to configure TLS: ${error}`);
    }
    try {
      this.tcpListeners = await this.listenAll(port, addresses, (raw) => this.accept(raw, false));
      if (this.tls !== null) this.tlsListeners = await this.listenAll(tlsOn, addresses, (raw) => this.accept(raw, true));
    } catch (err) {
      await closeListeners([...this.tcpListeners, ...this.tlsListeners]);
      this.tcpListeners = [];
      this.tlsListeners = [];
      throw err;
    }
    this.activeExpiry.start(this.config.get('hz'));
    // 'cron' carries monotonic milliseconds: rates are about real time, whatever the clock.
    this.cronTimer = setInterval(() => this.emit('cron', performance.now()), 100);
    this.cronTimer.unref();
    const hosts = this.tcpListeners.map((l) => (l.address() as net.AddressInfo).address);
    this.logger.info({ host: hosts.join(' '), port: this.address.port, tlsPort: this.tlsAddress?.port }, 'ready to accept connections');
  }

  /**
   * One listener per address, all on one port. With port 0 the first
   * address picks it; if another address already has that port in use,
   * everything is closed and a new port picked, a few times over.
   */
  private async listenAll(port: number, addresses: readonly ListenAddress[], onConnection: (raw: net.Socket) => void): Promise<net.Server[]> {
    for (let attempt = 1; ; attempt++) {
      const listeners: net.Server[] = [];
      try {
        for (const { host, optional } of addresses) {
          const at = listeners.length === 0 ? port : (listeners[0]!.address() as net.AddressInfo).port;
          const listener = await this.listenOn(at, host, optional, onConnection);
          if (listener !== null) listeners.push(listener);
        }
        if (listeners.length === 0) throw new Error('none of the bind addresses is available');
        return listeners;
      } catch (err) {
        await closeListeners(listeners);
        const retry = port === 0 && listeners.length !== 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (!retry || attempt === FREE_PORT_ATTEMPTS) throw err;
      }
    }
  }

  private listenOn(port: number, host: string, optional: boolean, onConnection: (raw: net.Socket) => void): Promise<net.Server | null> {
    // Paused, so that accept() can move the handle into a socket that reads
    // into the shared buffer before any byte is read.
    const listener = net.createServer({ pauseOnConnect: true }, onConnection);
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        listener.off('listening', onListening);
        if (optional && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT')) {
          this.logger.warn({ host, err }, 'skipping an optional bind address this host does not have');
          resolve(null);
        } else reject(err);
      };
      const onListening = () => {
        listener.off('error', onError);
        listener.on('error', (err) => this.logger.error({ err }, 'listener error'));
        resolve(listener);
      };
      listener.once('error', onError);
      listener.once('listening', onListening);
      listener.listen({ port, host, backlog: this.config.get('tcp-backlog') });
    });
  }

  removeClient(connection: Connection): void {
    this.clients.delete(connection.id);
    if (this.clients.size === 0 && this.lastClientClosed !== null) {
      const done = this.lastClientClosed;
      this.lastClientClosed = null;
      done();
    }
  }

  /** FLUSHALL from the embedding API. */
  flushAll(): void {
    this.keyspace.now = this.clock.now();
    // As the FLUSHALL command does: announced before the keys go, dirty
    // grows by the keys removed, and the journal hears a FLUSHALL.
    for (const db of this.keyspace.databases) {
      this.events.databaseModified(db, 'flushdb', db.size);
      db.flush();
    }
    this.events.flushed(null);
    this.snapshots.afterFlushAll();
    this.propagation.alsoPropagate(0, ['FLUSHALL']);
    this.propagation.flush();
  }

  /**
   * The one shutdown path, for SIGTERM, SIGINT, SHUTDOWN and the embedding
   * API alike: stop accepting, run the input each client has already sent,
   * flush every reply, close every connection and timer. Safe to call more
   * than once.
   *
   * "Already sent" is what reaches the server before the client goes
   * quiet: connections keep being read and served, and each one is closed
   * (after its replies are out) once a drain tick finds that it sent
   * nothing since the last tick and has nothing left to run. Closing at
   * once instead reset connections whose requests were still in the
   * kernel's buffer (a SIGTERM among 50 pipelining clients lost up to 84%
   * of their replies). A client that never goes quiet, or never reads its
   * replies, is cut after DRAIN_LIMIT_MS so that shutdown always ends.
   */
  close(): Promise<void> {
    this.closing ??= this.drainAndClose();
    return this.closing;
  }

  private async drainAndClose(): Promise<void> {
    // A busy script is never resumed: its caller is closed with the others.
    this.scripting.abandon();
    this.activeExpiry.stop();
    this.eviction.stop();
    this.pause.stop();
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    const listeners = [...this.tcpListeners, ...this.tlsListeners];
    // The listeners close once no new connection came for a while: one the
    // kernel had already accepted into the backlog is a client whose
    // requests were sent before the shutdown began.
    let closeListener!: () => void;
    const listenerClosed = new Promise<void>((done) => {
      closeListener = () => void closeListeners(listeners).then(() => done());
    });
    let acceptingStopped = false;
    let connectionsAtLastTick = -1;
    let quietSince = performance.now();
    let quietTicks = 0;
    // Adopted sockets (socket-reader.ts) are not counted by the listener,
    // so the clients are waited for here.
    const clientsClosed = listenerClosed.then(
      () =>
        new Promise<void>((done) => {
          if (this.clients.size === 0) done();
          else this.lastClientClosed = done;
        }),
    );
    const deadline = performance.now() + DRAIN_LIMIT_MS;
    const bytesAtLastTick = new Map<Connection, number>();
    // Not unref'd: the CLI must not exit before the drain has finished and logged.
    let timer: NodeJS.Timeout | null = null;
    const tick = (): void => {
      timer = null;
      this.pendingWrites.flush();
      const cut = performance.now() >= deadline;
      const now = performance.now();
      if (this.stats.totalConnections !== connectionsAtLastTick) {
        quietSince = now;
        quietTicks = 0;
      } else quietTicks++;
      // With no client to serve the loop accepts at once: two quiet ticks will do (one may
      // come straight after a starved spell, before the poll phase has looked at the backlog).
      const idle = this.clients.size === 0 && quietTicks >= 2;
      const quiet = now - quietSince >= DRAIN_ACCEPT_QUIET_MS && quietTicks >= DRAIN_ACCEPT_QUIET_TICKS;
      if (!acceptingStopped && (cut || idle || quiet)) {
        acceptingStopped = true;
        this.logger.debug({ clients: this.clients.size, connections: this.stats.totalConnections, cut }, 'shutdown: no longer accepting');
        closeListener();
      }
      connectionsAtLastTick = this.stats.totalConnections;
      for (const client of this.clients.values()) {
        if (cut) {
          client.kill();
          continue;
        }
        if (client.closing) continue;
        const quiet = bytesAtLastTick.get(client) === client.bytesReceived && client.hasNothingToRun;
        if (quiet) {
          client.log.debug({ bytesReceived: client.bytesReceived }, 'shutdown: closing a client with nothing left to run');
          client.flushAndClose();
        } else bytesAtLastTick.set(client, client.bytesReceived);
      }
      if ((this.clients.size !== 0 || !acceptingStopped) && !cut) timer = setTimeout(tick, DRAIN_TICK_MS);
    };
    tick();
    await Promise.all([listenerClosed, clientsClosed]);
    if (timer !== null) clearTimeout(timer);
    this.aof.shutdown();
    this.snapshots.afterLastCommand();
    if (listeners.length !== 0) this.logger.info('server closed');
  }

  /** SHUTDOWN: close everything, then tell the owner (the CLI exits on this event). */
  shutdown(): void {
    this.logger.info('shutdown requested, closing');
    void this.close().then(() => this.emit('shutdown'));
  }

  /**
   * acceptCommonHandler: past maxclients a plain client gets the error and
   * is closed; a TLS one is closed before any handshake, so it gets nothing.
   */
  private accept(raw: net.Socket, secure: boolean): void {
    if (this.clients.size >= this.config.get('maxclients')) {
      this.stats.rejectedConnections++;
      if (secure) raw.destroy();
      else raw.end('-' + errors.maxClientsReached + '\r\n', () => raw.destroy());
      return;
    }
    if (secure) this.tls!.accept(raw);
    else this.admit(raw, false);
  }

  /** A client whose connection is ready (a TLS one once its handshake is done). */
  private admit(raw: net.Socket | tls.TLSSocket, secure: boolean): void {
    let connection: Connection | null = null;
    // TLS sockets are read through their `data` events: the shared buffer needs a plain TCP handle.
    const adopted = secure ? null : adoptSocket(raw, this.readBuffer, (buffer, length) => connection!.receive(buffer, length));
    if (adopted === null) raw.resume();
    const socket = adopted ?? raw;
    // Redis's anetKeepAlive: probes after tcp-keepalive idle seconds (the probe interval stays the kernel's).
    const keepAlive = this.config.get('tcp-keepalive');
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive * 1000);
    connection = new Connection(this, socket, this.nextClientId++, adopted !== null);
    this.clients.set(connection.id, connection);
    // clientAcceptHandler, once the connection is up (after the TLS handshake).
    if (deniedByProtectedMode(this.config, this.acl.defaultUser.nopass, socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      connection.refuse(PROTECTED_MODE_DENIED);
      return;
    }
    // stat_numconnections counts the clients that got past both checks.
    this.stats.totalConnections++;
    connection.log.debug({ addr: connection.remoteAddress }, 'client connected');
  }

  /** Follows the parameters that parts of the server cache. */
  private bindConfig(): void {
    const encoding = this.encoding;
    const follow = (name: NumericParamName, set: (n: number) => void) => this.config.watch(name, (v) => set(v as number));
    follow('hash-max-listpack-entries', (n) => (encoding.hashMaxListpackEntries = n));
    follow('hash-max-listpack-value', (n) => (encoding.hashMaxListpackValue = n));
    follow('set-max-intset-entries', (n) => (encoding.setMaxIntsetEntries = n));
    follow('set-max-listpack-entries', (n) => (encoding.setMaxListpackEntries = n));
    follow('set-max-listpack-value', (n) => (encoding.setMaxListpackValue = n));
    follow('zset-max-listpack-entries', (n) => (encoding.zsetMaxListpackEntries = n));
    follow('zset-max-listpack-value', (n) => (encoding.zsetMaxListpackValue = n));
    follow('list-max-listpack-size', (n) => (encoding.listMaxListpackSize = n));
    follow('hll-sparse-max-bytes', (n) => (encoding.hllSparseMaxBytes = n));
    follow('stream-node-max-bytes', (n) => (encoding.streamNodeMaxBytes = n));
    follow('stream-node-max-entries', (n) => (encoding.streamNodeMaxEntries = n));
    const eviction = this.eviction;
    this.config.watch('maxmemory-policy', (v) => {
      this.keyspace.policy.lfu = String(v).endsWith('-lfu');
      eviction.policy = v as MaxmemoryPolicy;
      eviction.limitChanged();
    });
    this.config.watch('maxmemory', (v) => {
      eviction.maxmemory = v as number;
      eviction.limitChanged();
    });
    follow('maxmemory-samples', (n) => (eviction.samples = n));
    follow('maxmemory-eviction-tenacity', (n) => (eviction.tenacity = n));
    this.config.watch('lazyfree-lazy-eviction', (v) => (eviction.lazyEviction = v));
    const lazyFree = this.keyspace.lazyFree;
    this.config.watch('lazyfree-lazy-user-del', (v) => (lazyFree.userDel = v));
    this.config.watch('lazyfree-lazy-user-flush', (v) => (lazyFree.userFlush = v));
    follow('lfu-log-factor', (n) => (this.keyspace.policy.lfuLogFactor = n));
    follow('lfu-decay-time', (n) => (this.keyspace.policy.lfuDecayTime = n));
    this.config.watch('hz', (v) => this.activeExpiry?.setHz(v));
    follow('slowlog-log-slower-than', (n) => this.slowlog.setThreshold(n));
    follow('slowlog-max-len', (n) => this.slowlog.setMaxLen(n));
    follow('latency-monitor-threshold', (n) => {
      this.latency.setThreshold(n);
      this.keyspace.expireDeleteLatency = !this.latency.monitoring ? null : (ms) => this.latency.sample('expire-del', ms);
    });
    this.config.watch('latency-tracking', (v) => (this.latency.tracking = v));
    this.config.watch('latency-tracking-info-percentiles', (v) => (this.latency.percentiles = parsePercentiles(v)));
    follow('tracking-table-max-keys', (n) => (this.tracking.maxKeys = n));
    this.config.watch('lazyfree-lazy-expire', (v) => {
      this.propagation.lazyExpire = v;
      lazyFree.expire = v;
    });
    this.config.watch('loglevel', (v) => {
      const level = { debug: 'debug', verbose: 'debug', notice: 'info', warning: 'warn' }[v];
      // An embedded server stays silent unless its owner gave it a logger level.
      if (level && this.logger.level !== 'silent') this.logger.level = level;
    });
  }
}

function closeListeners(listeners: readonly net.Server[]): Promise<unknown> {
  return Promise.all(listeners.map((l) => new Promise((closed) => l.close(closed))));
}

function randomHex(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(Math.random() * 16).toString(16);
  return out;
}
