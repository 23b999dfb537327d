/**
 * TLS on node:tls, following Redis 7.0's tls.c.
 *
 * `tlsSettings(config)` is tlsConfigure: it checks the tls-* parameters as
 * Redis checks them and builds the secure context, or returns the message
 * Redis logs when it can't. `TlsAcceptor` holds the context and turns the
 * raw sockets the TLS listeners accept into TLS sockets. Each raw socket is
 * handed to a `tls.Server` that listens nowhere (the documented way to
 * inject a connection into one), so that Node's own code checks the client
 * certificate. The connection gets its socket when the handshake is done;
 * from there it is read with `data` events (the shared read buffer of
 * socket-reader.ts needs a plain TCP handle) and written with the same
 * single write per batch as a plain one.
 *
 * Redis's defaults, which differ from Node's: TLSv1.2 and TLSv1.3 only,
 * OpenSSL's DEFAULT cipher list and TLSv1.3 suites (Node's list is
 * narrower), and a client certificate required (tls-auth-clients yes).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type net from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config.js';

/** OpenSSL's TLSv1.3 suites, which Redis leaves in place unless tls-ciphersuites is set. */
const DEFAULT_CIPHERSUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';
/** OpenSSL's own cipher list for TLSv1.2 and below, Redis's default. */
const DEFAULT_CIPHERS = 'DEFAULT';

/** The parameters tlsConfigure reads: changing one rebuilds the context (Redis's applyTlsCfg). */
export const TLS_CONTEXT_PARAMS = [
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-client-cert-file',
  'tls-client-key-file',
  'tls-client-key-file-pass',
  'tls-dh-params-file',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
  'tls-session-caching',
  'tls-session-cache-size',
  'tls-session-cache-timeout',
  'tls-replication',
  'tls-cluster',
] as const;

const PROTOCOLS: Record<string, { version: tls.SecureVersion; off: number }> = {
  tlsv1: { version: 'TLSv1', off: crypto.constants.SSL_OP_NO_TLSv1 },
  'tlsv1.1': { version: 'TLSv1.1', off: crypto.constants.SSL_OP_NO_TLSv1_1 },
  'tlsv1.2': { version: 'TLSv1.2', off: crypto.constants.SSL_OP_NO_TLSv1_2 },
  'tlsv1.3': { version: 'TLSv1.3', off: crypto.constants.SSL_OP_NO_TLSv1_3 },
};

/**
 * parseProtocolsConfig: the versions tls-protocols names (TLSv1.2 and
 * TLSv1.3 when empty), as the lowest, the highest and the OpenSSL options
 * that switch off those between them that were not named.
 */
function protocolOptions(value: string): { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion; secureOptions: number } | null {
  const names = value === '' ? ['tlsv1.2', 'tlsv1.3'] : value.split(' ').filter((w) => w !== '');
  const chosen = new Set<string>();
  for (const name of names) {
    if (PROTOCOLS[name.toLowerCase()] === undefined) return null;
    chosen.add(name.toLowerCase());
  }
  if (chosen.size === 0) return null;
  const order = Object.keys(PROTOCOLS);
  const present = order.filter((name) => chosen.has(name));
  let secureOptions = 0;
  for (const name of order.slice(order.indexOf(present[0]!), order.indexOf(present[present.length - 1]!) + 1)) {
    if (!chosen.has(name)) secureOptions |= PROTOCOLS[name]!.off;
  }
  return { minVersion: PROTOCOLS[present[0]!]!.version, maxVersion: PROTOCOLS[present[present.length - 1]!]!.version, secureOptions };
}

/**
 * OpenSSL's CApath, read whole: every certificate in the directory's files
 * (Node has no lookup by hash at verification time). OpenSSL only looks in
 * the directory when it verifies, so one that can't be read is no error
 * here either: it just holds no certificate.
 */
function certificatesInDirectory(dir: string): string[] {
  const found: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, entry.name), 'latin1');
    } catch {
      continue;
    }
    for (const pem of text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) found.push(pem);
  }
  return found;
}

/** SSL_CTX_set_cipher_list / SSL_CTX_set_ciphersuites would take the list. */
function acceptsCiphers(list: string): boolean {
  try {
    tls.createSecureContext({ ciphers: list });
    return true;
  } catch {
    return false;
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The options of the secure context a TLS listener needs (a tls.Server builds its context from them). */
export type TlsSettings = { options: tls.SecureContextOptions } | { error: string };

/**
 * tlsConfigure: the secure context for the tls-* parameters, or the
 * warning Redis logs when it can't build one.
 */
export function tlsSettings(config: Config): TlsSettings {
  const certFile = config.get('tls-cert-file');
  const keyFile = config.get('tls-key-file');
  if (certFile === '') return { error: 'No tls-cert-file configured!' };
  if (keyFile === '') return { error: 'No tls-key-file configured!' };
  const caFile = config.get('tls-ca-cert-file');
  const caDir = config.get('tls-ca-cert-dir');
  if (config.get('tls-auth-clients') !== 'no' && caFile === '' && caDir === '') {
    return {
      error:
        'Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!',
    };
  }
  const protocols = protocolOptions(config.get('tls-protocols'));
  if (protocols === null) return { error: "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'." };

  let cert: Buffer;
  try {
    cert = fs.readFileSync(certFile);
    new crypto.X509Certificate(cert);
  } catch (err) {
    return { error: `Failed to load certificate: ${certFile}: ${reason(err)}` };
  }
  let key: Buffer;
  const passphrase = config.get('tls-key-file-pass');
  try {
    key = fs.readFileSync(keyFile);
    crypto.createPrivateKey({ key, passphrase: passphrase === '' ? undefined : passphrase });
  } catch (err) {
    return { error: `Failed to load private key: ${keyFile}: ${reason(err)}` };
  }
  const ca: string[] = [];
  try {
    if (caFile !== '') ca.push(fs.readFileSync(caFile, 'latin1'));
    if (caDir !== '') ca.push(...certificatesInDirectory(caDir));
  } catch (err) {
    return { error: `Failed to configure CA certificate(s) file/directory: ${reason(err)}` };
  }
  let dhparam: Buffer | 'auto' = 'auto';
  const dhFile = config.get('tls-dh-params-file');
  if (dhFile !== '') {
    try {
      dhparam = fs.readFileSync(dhFile);
    } catch (err) {
      return { error: `Failed to load ${dhFile}: ${reason(err)}` };
    }
  }
  const ciphers = config.get('tls-ciphers') === '' ? DEFAULT_CIPHERS : config.get('tls-ciphers');
  const suites = config.get('tls-ciphersuites') === '' ? DEFAULT_CIPHERSUITES : config.get('tls-ciphersuites');
  let secureOptions = protocols.secureOptions | crypto.constants.SSL_OP_NO_COMPRESSION;
  // Without a session cache, Node's way of resuming sessions, tickets, goes too.
  if (!config.get('tls-session-caching')) secureOptions |= crypto.constants.SSL_OP_NO_TICKET;
  // Set apart first, so that a bad list is reported as Redis reports it: Node takes both in one `ciphers` option.
  if (suites.split(':').some((name) => !name.startsWith('TLS_')) || !acceptsCiphers(suites)) {
    return { error: `Failed to configure ciphersuites: ${suites}` };
  }
  if (!acceptsCiphers(ciphers)) return { error: `Failed to configure ciphers: ${ciphers}` };
  const options: tls.SecureContextOptions = {
    cert,
    key,
    passphrase: passphrase === '' ? undefined : passphrase,
    ca: ca.length === 0 ? undefined : ca,
    dhparam,
    ciphers: `${suites}:${ciphers}`,
    honorCipherOrder: config.get('tls-prefer-server-ciphers'),
    minVersion: protocols.minVersion,
    maxVersion: protocols.maxVersion,
    secureOptions,
    sessionTimeout: config.get('tls-session-cache-timeout'),
  };
  // Built once here so that what OpenSSL refuses is refused now, not at the next handshake.
  try {
    tls.createSecureContext(options);
  } catch (err) {
    return { error: `Failed to load private key: ${keyFile}: ${reason(err)}` };
  }
  const clientError = checkClientContext(config, protocols);
  if (clientError !== null) return { error: clientError };
  return { options };
}

/**
 * The client context Redis builds for its own outgoing connections when
 * both tls-client-cert-file and tls-client-key-file are set: reddish makes
 * none, but a CONFIG SET that Redis would refuse is refused.
 */
function checkClientContext(config: Config, protocols: { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion }): string | null {
  const certFile = config.get('tls-client-cert-file');
  const keyFile = config.get('tls-client-key-file');
  if (certFile === '' || keyFile === '') return null;
  try {
    new crypto.X509Certificate(fs.readFileSync(certFile));
  } catch (err) {
    return `Failed to load certificate: ${certFile}: ${reason(err)}`;
  }
  const passphrase = config.get('tls-client-key-file-pass');
  try {
    tls.createSecureContext({ key: fs.readFileSync(keyFile), passphrase: passphrase === '' ? undefined : passphrase, ...protocols });
  } catch (err) {
    return `Failed to load private key: ${keyFile}: ${reason(err)}`;
  }
  return null;
}

/** tls-auth-clients: yes asks for a certificate and refuses a client without a good one; optional refuses only a bad one. */
type ClientAuth = 'yes' | 'no' | 'optional';

/**
 * Turns accepted raw sockets into TLS sockets with the current context.
 * A CONFIG SET of a tls-* parameter replaces the context; connections
 * already made keep theirs, as in Redis.
 */
export class TlsAcceptor {
  private context: tls.SecureContextOptions | null = null;
  /** One handshaking tls.Server per tls-auth-clients value, for the current context. */
  private readonly handshakers = new Map<ClientAuth, tls.Server>();

  constructor(
    private readonly config: Config,
    private readonly logger: Logger,
    private readonly allowWarning: () => boolean,
    private readonly onSecure: (socket: tls.TLSSocket) => void,
  ) {}

  /** tlsConfigure: builds the context from the configuration; the reason when it can't. */
  configure(): string | null {
    const settings = tlsSettings(this.config);
    if ('error' in settings) {
      this.logger.warn(settings.error);
      return settings.error;
    }
    this.context = settings.options;
    this.handshakers.clear();
    return null;
  }

  get configured(): boolean {
    return this.context !== null;
  }

  /** Starts the handshake of a socket a TLS listener accepted. */
  accept(raw: net.Socket): void {
    // Read per connection, as connCreateAcceptedTLS reads server.tls_auth_clients.
    const auth = this.config.get('tls-auth-clients');
    let handshaker = this.handshakers.get(auth);
    if (handshaker === undefined) {
      handshaker = this.handshaker(auth);
      this.handshakers.set(auth, handshaker);
    }
    handshaker.emit('connection', raw);
  }

  private handshaker(auth: ClientAuth): tls.Server {
    const server = tls.createServer({
      ...this.context!,
      requestCert: auth !== 'no',
      // optional: a client may go without a certificate, but one it shows must verify (SSL_VERIFY_PEER alone).
      rejectUnauthorized: auth === 'yes',
    });
    server.on('secureConnection', (socket: tls.TLSSocket) => {
      if (auth === 'optional' && !socket.authorized && Object.keys(socket.getPeerCertificate()).length !== 0) {
        this.handshakeFailed(new Error(String(socket.authorizationError)));
        socket.destroy();
        return;
      }
      this.onSecure(socket);
    });
    server.on('tlsClientError', (err) => this.handshakeFailed(err));
    return server;
  }

  private handshakeFailed(err: Error): void {
    // clientAcceptHandler logs the failed accept; a client's failures share the warning budget.
    if (this.allowWarning()) this.logger.warn({ err: err.message }, 'Error accepting a client connection');
  }
}
