/**
 * The connection commands: PING, ECHO, SELECT, QUIT, RESET, AUTH, HELLO
 * (Redis's `connection` group, but CLIENT, which has client.ts). They act
 * on the calling client's own state.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { reportedRedisVersion } from '../compat-version.js';
import { REPLY_OFF, REPLY_SKIP_NEXT } from './client-control.js';
import { readInteger } from './parse.js';
import type { Client, CommandSpec } from './types.js';

/**
 * PING [message]: +PONG, or the message as a bulk string. A RESP2 client
 * in the subscribed context gets ["pong", message or ""] instead, so that
 * it can tell the reply from a message.
 */
function pingCommand(c: Client, argv: string[]): void {
  if (argv.length > 2) {
    c.reply.error("ERR wrong number of arguments for 'ping' command");
    return;
  }
  if (c.subscriptions !== null && c.subscriptions.total !== 0 && c.reply.protocol === 2) {
    c.reply.arrayHeader(2);
    c.reply.bulk('pong');
    c.reply.bulk(argv.length === 1 ? '' : argv[1]!);
    return;
  }
  if (argv.length === 1) c.reply.raw(shared.pong);
  else c.reply.bulk(argv[1]!);
}

export const pingSpec: CommandSpec = {
  name: 'ping',
  arity: -1,
  flags: ['fast'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Ping the server',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: '[message]',
  handler: pingCommand,
};

/** ECHO message */
function echoCommand(c: Client, argv: string[]): void {
  c.reply.bulk(argv[1]!);
}

export const echoSpec: CommandSpec = {
  name: 'echo',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Echo the given string',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'message',
  handler: echoCommand,
};

/** SELECT index */
function selectCommand(c: Client, argv: string[]): void {
  const index = readInteger(c, argv[1]!);
  if (index === null) return;
  if (index < 0 || index >= c.server.keyspace.databases.length) {
    c.reply.error(errors.dbIndexOutOfRange);
    return;
  }
  c.selectDb(index);
  c.reply.raw(shared.ok);
}

export const selectSpec: CommandSpec = {
  name: 'select',
  arity: 2,
  flags: ['loading', 'stale', 'fast'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Change the selected database for the current connection',
  since: '1.0.0',
  complexity: 'O(1)',
  syntax: 'index:integer',
  handler: selectCommand,
};

/** QUIT: +OK, then the connection closes once the reply is written. */
function quitCommand(c: Client): void {
  c.reply.raw(shared.ok);
  c.closeAfterReply = true;
}

export const quitSpec: CommandSpec = {
  name: 'quit',
  arity: -1,
  flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Close the connection',
  since: '1.0.0',
  complexity: 'O(1)',
  handler: quitCommand,
};

/**
 * RESET: the client goes back to a fresh connection's state: RESP2, db 0,
 * no name, no NO-EVICT/NO-TOUCH, no subscriptions, and unauthenticated if
 * a password is set (clearClientConnectionState).
 */
function resetCommand(c: Client): void {
  c.server.monitors.remove(c);
  c.multi = null;
  c.server.watches.unwatchAll(c);
  c.server.pubsub.dropClient(c);
  c.server.tracking.disable(c);
  c.reply.protocol = 2;
  c.selectDb(0);
  c.name = '';
  // 7.0.15's clearClientConnectionState keeps CLIENT NO-EVICT; NO-TOUCH,
  // a 7.2 feature, is cleared as 7.2 clears it.
  c.noTouch = false;
  c.server.acl.setDefaultAuth(c);
  // As clearClientConnectionState: REPLY OFF ends, but a SKIP already in
  // force still drops RESET's own reply.
  c.replyFlags &= ~(REPLY_OFF | REPLY_SKIP_NEXT);
  c.reply.simple('RESET');
}

export const resetSpec: CommandSpec = {
  name: 'reset',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Reset the connection',
  since: '6.2.0',
  complexity: 'O(1)',
  handler: resetCommand,
};

/** AUTH [username] password */
function authCommand(c: Client, argv: string[]): void {
  if (argv.length > 3) {
    c.reply.error(errors.syntax);
    return;
  }
  // MONITOR never shows the password, nor the username of the 3-argument form.
  c.server.monitors.redactArgument(argv, 1);
  if (argv.length === 3) c.server.monitors.redactArgument(argv, 2);
  // Redis's old behaviour for the one-argument form when no password is set.
  if (argv.length === 2 && c.server.acl.defaultUser.nopass) {
    c.reply.error(errors.authNotConfigured);
    return;
  }
  const username = argv.length === 3 ? argv[1]! : 'default';
  const password = argv[argv.length - 1]!;
  if (!c.server.acl.authenticate(c, username, password, argv[0]!)) {
    c.reply.error(errors.wrongPass);
    return;
  }
  c.reply.raw(shared.ok);
}

export const authSpec: CommandSpec = {
  name: 'auth',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Authenticate to the server',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of passwords defined for the user',
  syntax: '[username] password',
  handler: authCommand,
};

/** CLIENT SETNAME and HELLO SETNAME accept only printable ASCII without spaces. */
export function isValidClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 33 || code > 126) return false;
  }
  return true;
}

export const invalidClientName = 'ERR Client names cannot contain spaces, newlines or special characters.';

/**
 * HELLO [protover [AUTH username password] [SETNAME clientname]]: switches
 * the protocol and answers with the server's description, as a map.
 */
function helloCommand(c: Client, argv: string[]): void {
  let protocol = c.reply.protocol as number;
  let i = 1;
  if (argv.length >= 2) {
    const version = Number(argv[1]);
    if (!/^-?\d+$/.test(argv[1]!) || !Number.isSafeInteger(version)) {
      c.reply.error('ERR Protocol version is not an integer or out of range');
      return;
    }
    if (version < 2 || version > 3) {
      c.reply.error('NOPROTO unsupported protocol version');
      return;
    }
    protocol = version;
    i = 2;
  }
  let credentials: [string, string] | null = null;
  let name: string | null = null;
  for (; i < argv.length; i++) {
    const option = argv[i]!.toLowerCase();
    const more = argv.length - i - 1;
    if (option === 'auth' && more >= 2) {
      c.server.monitors.redactArgument(argv, i + 1);
      c.server.monitors.redactArgument(argv, i + 2);
      credentials = [argv[i + 1]!, argv[i + 2]!];
      i += 2;
    } else if (option === 'setname' && more >= 1) {
      name = argv[i + 1]!;
      if (!isValidClientName(name)) {
        c.reply.error(invalidClientName);
        return;
      }
      i += 1;
    } else {
      c.reply.error(`ERR Syntax error in HELLO option '${argv[i]}'`);
      return;
    }
  }
  if (credentials !== null && !c.server.acl.authenticate(c, credentials[0], credentials[1], argv[0]!)) {
    c.reply.error(errors.wrongPass);
    return;
  }
  if (!c.authenticated) {
    c.reply.error(
      'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
    );
    return;
  }
  if (name !== null) c.name = name;
  c.reply.protocol = protocol as 2 | 3;

  const r = c.reply;
  r.mapHeader(7);
  r.bulk('server');
  r.bulk('redis');
  r.bulk('version');
  r.bulk(reportedRedisVersion(c.server.config.get('compat-version')));
  r.bulk('proto');
  r.integer(protocol);
  r.bulk('id');
  r.integer(c.id);
  r.bulk('mode');
  r.bulk('standalone');
  r.bulk('role');
  r.bulk('master');
  r.bulk('modules');
  r.arrayHeader(0);
}

export const helloSpec: CommandSpec = {
  name: 'hello',
  arity: -1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Handshake with Redis',
  since: '6.0.0',
  complexity: 'O(1)',
  syntax: '[protover:integer [AUTH username password] [SETNAME clientname]]',
  handler: helloCommand,
};

export const connectionCommands: readonly CommandSpec[] = [pingSpec, echoSpec, selectSpec, quitSpec, resetSpec, authSpec, helloSpec];
