/**
 * reddish's public API: start a Redis-compatible server inside any Node
 * process, typically as a test double.
 *
 *   const server = await startServer({ port: 0 });
 *   const redis = new Redis(server.url);
 *   ...
 *   await server.close();
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';
import { Config, ConfigError, listenAddresses, type ConfigOverrides } from './config.js';
import type { Clock } from './clock.js';
import { Server } from './server/server.js';

export { ManualClock, systemClock, type Clock } from './clock.js';
export {
  Config,
  ConfigError,
  configParams,
  type ConfigOverrides,
  type ConfigValue,
  type ParamEffect,
  type ParamName,
  type ParamValue,
} from './config.js';
export { Server } from './server/server.js';

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 6379 (or `config.port`). */
  port?: number;
  /** Address to bind. Default `config.bind`: '127.0.0.1 -::1', loopback only. */
  host?: string;
  /**
   * Also listen for TLS on this port; 0 picks a free one. Default: the
   * `tls-port` parameter (0, no TLS). The certificates and the rest of TLS
   * come from the tls-* parameters in `config`, e.g.
   * { 'tls-cert-file': 'server.crt', 'tls-key-file': 'server.key', 'tls-ca-cert-file': 'ca.crt' }.
   */
  tlsPort?: number;
  /** Clients must AUTH with this password first. Default: none. */
  requirepass?: string;
  /** Number of databases for SELECT. Default 16. */
  databases?: number;
  /** A pino logger, or a level for a new one writing to stdout. Default: silent. */
  logger?: Logger | LevelWithSilent;
  /** The source of time; pass a ManualClock to move time by hand. Default: the system clock. */
  clock?: Clock;
  /**
   * Any other configuration parameter by its redis.conf name, typed or as
   * a config file writes it, e.g. { 'hash-max-listpack-entries': 64, maxmemory: '0' }.
   * Values reddish can't honour (maxmemory-clients 10%...) throw a ConfigError.
   */
  config?: ConfigOverrides;
  /**
   * ACL users, as redis.conf's `user` lines without the keyword, e.g.
   * ['alice on >secret ~app:* +@read']. Not together with `config.aclfile`.
   */
  users?: readonly string[];
}

export const defaultServerOptions = {
  port: 6379,
  host: '127.0.0.1 -::1',
  databases: 16,
} as const;

/** A running server, as returned by startServer. */
export interface RunningServer {
  readonly port: number;
  readonly host: string;
  /** redis://host:port, ready for ioredis or node-redis. */
  readonly url: string;
  /** The TLS port, when TLS is on. */
  readonly tlsPort: number | null;
  /** rediss://host:tlsPort, when TLS is on. */
  readonly tlsUrl: string | null;
  readonly clock: Clock;
  /** The underlying server, for advanced use (config, keyspace, stats). */
  readonly server: Server;
  /** FLUSHALL: empties every database. */
  flushAll(): void;
  /** Ends every connection and timer; resolves when the port is closed. */
  close(): Promise<void>;
}

/**
 * Creates a server without listening (see RunningServer for the usual path).
 * Throws ConfigError for a configuration reddish can't honour.
 */
export function createServer(options: ServerOptions = {}): Server {
  const overrides: ConfigOverrides = { ...(options.config ?? {}) };
  if (options.requirepass !== undefined) overrides.requirepass = options.requirepass;
  if (options.databases !== undefined) overrides.databases = options.databases;
  if (options.host !== undefined) overrides.bind = options.host;
  if (options.port !== undefined) overrides.port = options.port;
  // Only reddish-server opens a log file; saying one is used when it isn't would lie.
  if (overrides.logfile !== undefined && overrides.logfile !== '') {
    throw new ConfigError('logfile', 'an embedded server logs through the logger option');
  }
  const logger =
    options.logger === undefined
      ? pino({ level: 'silent' })
      : typeof options.logger === 'string'
        ? pino({ level: options.logger })
        : options.logger;
  const users = (options.users ?? []).map((line) => line.split(' ').filter((word) => word !== ''));
  return new Server({ config: new Config(overrides), logger, clock: options.clock, users });
}

/** Starts a server and resolves once it is listening. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const server = createServer(options);
  server.loadAppendOnlyFile();
  await server.listen(server.config.get('port'), listenAddresses(server.config.get('bind')), options.tlsPort ?? null);
  // An embedded server reads a dump only when told where: it must not pick up whatever lies in the working directory.
  const config = options.config ?? {};
  if (config.dir !== undefined || config.dbfilename !== undefined) {
    try {
      await server.loadDataFromDisk();
    } catch (err) {
      await server.close();
      throw err;
    }
  }
  const port = server.address.port;
  // The first address listened on: what `url` points a client at.
  const host = server.address.address;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const tlsPort = server.tlsAddress?.port ?? null;
  return {
    port,
    host,
    url: `redis://${urlHost}:${port}`,
    tlsPort,
    tlsUrl: tlsPort === null ? null : `rediss://${urlHost}:${tlsPort}`,
    clock: server.clock,
    server,
    flushAll: () => server.flushAll(),
    close: () => server.close(),
  };
}
