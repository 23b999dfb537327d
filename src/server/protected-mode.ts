/**
 * Protected mode (networking.c's clientAcceptHandler): while it is on and
 * the default user has no password, a client that is not on the loopback
 * interface gets this one error, and is closed.
 */
import type { Config } from '../config.js';

/** Redis 7.0.15's reply to such a client, word for word (its "a an" included). */
export const PROTECTED_MODE_DENIED =
  '-DENIED Redis is running in protected mode because protected ' +
  'mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Redis you ' +
  'may adopt one of the following solutions: ' +
  "1) Just disable protected mode sending the command " +
  "'CONFIG SET protected-mode no' from the loopback interface " +
  'by connecting to Redis from the same host the server is ' +
  'running, however MAKE SURE Redis is not publicly accessible ' +
  'from internet if you do so. Use CONFIG REWRITE to make this ' +
  'change permanent. ' +
  '2) Alternatively you can just disable the protected mode by ' +
  'editing the Redis configuration file, and setting the protected ' +
  "mode option to 'no', and then restarting the server. " +
  "3) If you started the server manually just for testing, restart " +
  "it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for ' +
  'the server to start accepting connections from the outside.\r\n';

/**
 * islocalClient: the peer is 127.0.0.1 or ::1, exactly (127.0.0.2 is not).
 * Node's dual-stack listeners report IPv4 peers as ::ffff:a.b.c.d, which
 * Redis's IPv4 sockets would have reported as a.b.c.d.
 */
export function isLoopbackPeer(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * Must a client from `address` be refused? As clientAcceptHandler: protected
 * mode on, the default user `nopass` (requirepass sets a password, and so
 * can ACL SETUSER default), and a peer that is not loopback.
 */
export function deniedByProtectedMode(config: Config, defaultUserNopass: boolean, address: string | undefined): boolean {
  return config.get('protected-mode') && defaultUserNopass && !isLoopbackPeer(address);
}
