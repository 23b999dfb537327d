/**
 * CLIENT: ID, GETNAME, SETNAME, INFO, LIST, KILL, UNBLOCK, NO-EVICT, and Redis 7.2's
 * SETINFO and NO-TOUCH (ioredis and node-redis send SETINFO on connect);
 * PAUSE, UNPAUSE and REPLY are in client-control.ts.
 * networking.c's clientCommand is the model; error texts are Redis's.
 *
 * reddish has no replication, so a client is of type `normal` or, while
 * subscribed, `pubsub`. Client-side caching's subcommands (TRACKING,
 * CACHING, GETREDIR, TRACKINGINFO) are in client-tracking.ts.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import { parseInteger } from '../text/numbers.js';
import { clientPauseSpec, clientReplySpec, clientUnpauseSpec } from './client-control.js';
import { invalidClientName, isValidClientName } from './connection-commands.js';
import { recordUnblockedByClient } from './dispatch.js';
import { replyHelp } from './help-reply.js';
import { clientCachingSpec, clientGetredirSpec, clientTrackingSpec, clientTrackinginfoSpec } from './client-tracking.js';
import type { Client, CommandSpec } from './types.js';

/** PROTO_REPLY_CHUNK_BYTES: the size of one block of Redis's reply list. */
const REPLY_CHUNK_BYTES = 16 * 1024;

/** sizeof(robj*): Redis counts each queued argument's pointer in multi-mem. */
const POINTER_BYTES = 8;

type ClientType = 'normal' | 'replica' | 'pubsub' | 'master';

/** getClientTypeByName: `slave` is still accepted for `replica`. */
function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

/**
 * getClientType: without replication, a client is pubsub while it has
 * subscriptions. A MONITOR client counts as normal, as in Redis.
 */
export function clientType(c: Client): ClientType {
  return c.subscriptions !== null && c.subscriptions.total !== 0 ? 'pubsub' : 'normal';
}

function unknownClientType(name: string): string {
  return `ERR Unknown client type '${name}'`;
}

/** CLIENT LIST's flags: 'N' alone when none applies, else Redis's letters in Redis's order. */
function clientFlags(c: Client): string {
  let flags = '';
  // Redis marks a MONITOR client as a replica (S) that monitors: O.
  if (c.server.monitors.size !== 0 && c.server.monitors.has(c)) flags += 'O';
  if (c.subscriptions !== null && c.subscriptions.total !== 0) flags += 'P';
  if (c.multi !== null) flags += 'x';
  // Waiting in a blocking command or for the end of a CLIENT PAUSE.
  if (c.blocked) flags += 'b';
  const tracking = c.tracking;
  if (tracking !== null && tracking.on) flags += 't';
  if (tracking !== null && tracking.brokenRedirect) flags += 'R';
  if (tracking !== null && tracking.bcast) flags += 'B';
  // CLIENT_DIRTY_CAS: a WATCHed key changed, so EXEC will fail.
  if (c.watchDirty) flags += 'd';
  if (c.closeAfterReply) flags += 'c';
  if (c.noEvict) flags += 'e';
  if (c.noTouch) flags += 'T';
  return flags === '' ? 'N' : flags;
}

/**
 * catClientInfoString: one client's CLIENT LIST line (without the '\n'),
 * Redis 7.0's fields in Redis 7.0's order, then 7.2's lib-name and lib-ver.
 * `argv` is the command being run when `c` is the caller, or the one a
 * blocked or paused client waits in: only such clients have argv memory.
 *
 * The buffer fields map onto reddish's buffers: qbuf is the bytes of a
 * request still arriving, and qbuf-free the room allocated for it and not
 * yet filled (the buffer of a bulk that spans reads; there is no other
 * preallocated query buffer);
 * obl is the reply bytes built in this batch and not yet written, held in
 * a string that grows to exactly that size, so it is also the reply buffer's
 * size (rbs) and, as the string only grows within a batch and is emptied
 * after it, its peak (rbp); omem is the bytes the socket has queued and not
 * yet sent, which is Redis's reply list, counted in oll as Redis's 16 KB
 * blocks since Node does not expose its queue's length. tot-mem adds them
 * as getClientMemoryUsage does: the query buffer's allocation (qbuf +
 * qbuf-free), the reply buffer, the output, the arguments and a pointer
 * per argument, multi-mem (a MULTI queue counted as Redis counts it), and
 * a pointer per subscription. Unlike Redis's it has no fixed part: reddish
 * reserves no reply buffer or query buffer for an idle client.
 */
export function clientInfoLine(c: Client, argv: readonly string[] | null): string {
  const now = c.server.clock.now();
  const subs = c.subscriptions;
  const qbuf = c.pendingInput;
  const qbufFree = c.pendingInputFree;
  const obl = c.reply.pendingSize;
  const omem = c.pendingOutput;
  const multiMem = multiMemOf(c);
  let argvMem = 0;
  if (argv !== null) for (const arg of argv) argvMem += arg.length;
  const subscriptionPointers = subs === null ? 0 : (subs.channels.size + subs.patterns.size + subs.shardChannels.size) * POINTER_BYTES;
  const totalMemory =
    qbuf + qbufFree + obl + omem + argvMem + (argv === null ? 0 : argv.length * POINTER_BYTES) + multiMem + subscriptionPointers;
  return (
    `id=${c.id} addr=${c.remoteAddress} laddr=${c.localAddress} fd=${c.fd} name=${c.name}` +
    ` age=${Math.floor(now / 1000) - Math.floor(c.createdAt / 1000)}` +
    ` idle=${Math.floor(now / 1000) - Math.floor(c.lastInteraction / 1000)}` +
    ` flags=${clientFlags(c)} db=${c.db.id} sub=${subs?.channels.size ?? 0} psub=${subs?.patterns.size ?? 0} ssub=${subs?.shardChannels.size ?? 0} multi=${c.multi === null ? -1 : c.multi.queue.length}` +
    ` qbuf=${qbuf} qbuf-free=${qbufFree} argv-mem=${argvMem} multi-mem=${multiMem} rbs=${obl} rbp=${obl}` +
    ` obl=${obl} oll=${Math.ceil(omem / REPLY_CHUNK_BYTES)} omem=${omem} tot-mem=${totalMemory}` +
    ` events=r${omem > 0 ? 'w' : ''} cmd=${c.lastCommand} user=${c.user.name} redir=${c.tracking?.on ? c.tracking.redirect : -1} resp=${c.reply.protocol}` +
    ` lib-name=${c.libName} lib-ver=${c.libVersion}`
  );
}

/** queueMultiCommand's argv_len_sums: the queued arguments and their pointers. */
function multiMemOf(c: Client): number {
  let multiMem = 0;
  if (c.multi !== null) {
    for (const queued of c.multi.queue) {
      for (const arg of queued.argv) multiMem += arg.length + POINTER_BYTES;
    }
  }
  return multiMem;
}

/** CLIENT ID */
function clientIdCommand(c: Client): void {
  c.reply.integer(c.id);
}

export const clientIdSpec: CommandSpec = {
  name: 'id',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Returns the client ID for the current connection',
  since: '5.0.0',
  complexity: 'O(1)',
  handler: clientIdCommand,
};

/** CLIENT GETNAME: the name, or a null when none is set. */
function clientGetnameCommand(c: Client): void {
  c.reply.bulkOrNull(c.name === '' ? null : c.name);
}

export const clientGetnameSpec: CommandSpec = {
  name: 'getname',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Get the current connection name',
  since: '2.6.9',
  complexity: 'O(1)',
  handler: clientGetnameCommand,
};

/** CLIENT SETNAME name: an empty name removes the name. */
function clientSetnameCommand(c: Client, argv: string[]): void {
  const name = argv[2]!;
  if (!isValidClientName(name)) {
    c.reply.error(invalidClientName);
    return;
  }
  c.name = name;
  c.reply.raw(shared.ok);
}

export const clientSetnameSpec: CommandSpec = {
  name: 'setname',
  arity: 3,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Set the current connection name',
  since: '2.6.9',
  complexity: 'O(1)',
  syntax: 'connection-name',
  handler: clientSetnameCommand,
};

/**
 * CLIENT SETINFO LIB-NAME name | LIB-VER version (Redis 7.2): the values
 * show in CLIENT LIST; an empty value clears one.
 */
function clientSetinfoCommand(c: Client, argv: string[]): void {
  const attribute = argv[2]!;
  const value = argv[3]!;
  const which = attribute.toLowerCase();
  if (which !== 'lib-name' && which !== 'lib-ver') {
    c.reply.error(`ERR Unrecognized option '${attribute}'`);
    return;
  }
  if (!isValidClientName(value)) {
    c.reply.error(`ERR ${attribute} cannot contain spaces, newlines or special characters.`);
    return;
  }
  if (which === 'lib-name') c.libName = value;
  else c.libVersion = value;
  c.reply.raw(shared.ok);
}

export const clientSetinfoSpec: CommandSpec = {
  name: 'setinfo',
  arity: 4,
  flags: ['noscript', 'loading', 'stale', 'allow_busy'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Set client or connection specific info',
  since: '7.2.0',
  complexity: 'O(1)',
  syntax: '(LIB-NAME libname | LIB-VER libver)',
  handler: clientSetinfoCommand,
};

/** CLIENT INFO: the caller's own CLIENT LIST line. */
function clientInfoCommand(c: Client, argv: string[]): void {
  c.reply.verbatim(clientInfoLine(c, argv) + '\n');
}

export const clientInfoSpec: CommandSpec = {
  name: 'info',
  arity: 2,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Returns information about the current client connection.',
  since: '6.2.0',
  complexity: 'O(1)',
  handler: clientInfoCommand,
};

/** CLIENT LIST [TYPE type] | [ID id [id ...]] */
function clientListCommand(c: Client, argv: string[]): void {
  let type: ClientType | null = null;
  let ids: number[] | null = null;
  if (argv.length === 4 && argv[2]!.toLowerCase() === 'type') {
    type = clientTypeByName(argv[3]!);
    if (type === null) {
      c.reply.error(unknownClientType(argv[3]!));
      return;
    }
  } else if (argv.length > 3 && argv[2]!.toLowerCase() === 'id') {
    ids = [];
    for (let i = 3; i < argv.length; i++) {
      const id = parseInteger(argv[i]!);
      if (id === null) {
        c.reply.error('ERR Invalid client ID');
        return;
      }
      ids.push(id);
    }
  } else if (argv.length !== 2) {
    c.reply.error(errors.syntax);
    return;
  }

  let text = '';
  const line = (client: Client) => clientInfoLine(client, client === c ? argv : client.waitingArgv) + '\n';
  if (ids !== null) {
    // In the order asked, repeats included, as Redis does.
    for (const id of ids) {
      const client = c.server.clients.get(id);
      if (client !== undefined) text += line(client);
    }
  } else {
    for (const client of c.server.clients.values()) {
      if (type === null || clientType(client) === type) text += line(client);
    }
  }
  c.reply.verbatim(text);
}

export const clientListSpec: CommandSpec = {
  name: 'list',
  arity: -2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Get the list of client connections',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of client connections',
  syntax: '[TYPE (NORMAL | MASTER | REPLICA | PUBSUB)] [ID client-id:integer [client-id:integer ...]]',
  handler: clientListCommand,
};

interface KillFilter {
  addr: string | null;
  laddr: string | null;
  type: ClientType | null;
  id: number | null;
  user: string | null;
  skipMe: boolean;
}

/**
 * CLIENT KILL ip:port, or CLIENT KILL filter value [filter value ...] with
 * ID, TYPE, ADDR, LADDR, USER and SKIPME. The old form replies OK or
 * "No such client" and may kill the caller; the new form replies the number
 * killed and skips the caller unless SKIPME no. A killed caller is closed
 * once its reply is written.
 */
function clientKillCommand(c: Client, argv: string[]): void {
  const filter: KillFilter = { addr: null, laddr: null, type: null, id: null, user: null, skipMe: true };
  const oldForm = argv.length === 3;
  if (oldForm) {
    filter.addr = argv[2]!;
    filter.skipMe = false;
  } else if (!parseKillFilters(c, argv, filter)) {
    return;
  }

  let killed = 0;
  let killSelf = false;
  for (const client of [...c.server.clients.values()]) {
    if (filter.addr !== null && client.remoteAddress !== filter.addr) continue;
    if (filter.laddr !== null && client.localAddress !== filter.laddr) continue;
    if (filter.type !== null && clientType(client) !== filter.type) continue;
    if (filter.id !== null && client.id !== filter.id) continue;
    if (filter.user !== null && client.user.name !== filter.user) continue;
    if (client === c && filter.skipMe) continue;
    if (client === c) killSelf = true;
    else client.kill();
    killed++;
  }

  if (oldForm) {
    if (killed === 0) c.reply.error('ERR No such client');
    else c.reply.raw(shared.ok);
  } else {
    c.reply.integer(killed);
  }
  // Only after the reply is queued, so the caller still receives it.
  if (killSelf) c.closeAfterReply = true;
}

export const clientKillSpec: CommandSpec = {
  name: 'kill',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Kill the connection of a client',
  since: '2.4.0',
  complexity: 'O(N) where N is the number of client connections',
  syntax: '(ip-port | [ID client-id:integer] [TYPE (NORMAL | MASTER | SLAVE | REPLICA | PUBSUB)] [USER username] [ADDR ip-port] [LADDR ip-port] [SKIPME yes-no])',
  handler: clientKillCommand,
};

/** Reads CLIENT KILL's filter pairs into `filter`; on a bad one replies the error and returns false. */
function parseKillFilters(c: Client, argv: string[], filter: KillFilter): boolean {
  for (let i = 2; i < argv.length; i += 2) {
    const option = argv[i]!.toLowerCase();
    const value = argv[i + 1];
    if (value === undefined) {
      c.reply.error(errors.syntax);
      return false;
    }
    if (option === 'id') {
      const id = parseInteger(value);
      if (id === null || id < 1) {
        c.reply.error('ERR client-id should be greater than 0');
        return false;
      }
      filter.id = id;
    } else if (option === 'type') {
      filter.type = clientTypeByName(value);
      if (filter.type === null) {
        c.reply.error(unknownClientType(value));
        return false;
      }
    } else if (option === 'addr') {
      filter.addr = value;
    } else if (option === 'laddr') {
      filter.laddr = value;
    } else if (option === 'user') {
      // 'default' is the only user reddish has.
      if (value !== 'default') {
        c.reply.error(`ERR No such user '${value}'`);
        return false;
      }
      filter.user = value;
    } else if (option === 'skipme') {
      const answer = value.toLowerCase();
      if (answer !== 'yes' && answer !== 'no') {
        c.reply.error(errors.syntax);
        return false;
      }
      filter.skipMe = answer === 'yes';
    } else {
      c.reply.error(errors.syntax);
      return false;
    }
  }
  return true;
}

/**
 * CLIENT UNBLOCK client-id [TIMEOUT | ERROR]: ends another client's
 * blocking command as if it had timed out, or with an UNBLOCKED error.
 * Replies 1 when that client was blocked, else 0.
 */
function clientUnblockCommand(c: Client, argv: string[]): void {
  if (argv.length > 4) {
    c.reply.error("ERR unknown subcommand or wrong number of arguments for '" + argv[1] + "'. Try CLIENT HELP.");
    return;
  }
  let error: string | null = null;
  if (argv.length === 4) {
    const reason = argv[3]!.toLowerCase();
    if (reason === 'error') error = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
    else if (reason !== 'timeout') {
      c.reply.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const id = parseInteger(argv[2]!);
  if (id === null) {
    c.reply.error(errors.notInteger);
    return;
  }
  const target = c.server.clients.get(id);
  // A blocked client's last command is the one it waits in.
  const waitingIn = target !== undefined && c.server.blocking.isBlocked(target) ? c.server.commands.lookup(target.lastCommand) : undefined;
  const errorsBefore = target?.reply.errorCount ?? 0;
  const unblocked = target !== undefined && c.server.blocking.unblock(target, error);
  if (unblocked && waitingIn !== undefined) recordUnblockedByClient(target, waitingIn, errorsBefore);
  c.reply.raw(unblocked ? shared.one : shared.zero);
}

export const clientUnblockSpec: CommandSpec = {
  name: 'unblock',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Unblock a client blocked in a blocking command from a different connection',
  since: '5.0.0',
  complexity: 'O(log N) where N is the number of client connections',
  syntax: 'client-id:integer [TIMEOUT | ERROR]',
  handler: clientUnblockCommand,
};

/** ON or OFF for NO-EVICT and NO-TOUCH; anything else is a syntax error. */
function readOnOff(c: Client, arg: string): boolean | null {
  const answer = arg.toLowerCase();
  if (answer === 'on') return true;
  if (answer === 'off') return false;
  c.reply.error(errors.syntax);
  return null;
}

/** CLIENT NO-EVICT ON|OFF (reddish evicts no clients, but the flag shows in CLIENT LIST as in Redis). */
function clientNoEvictCommand(c: Client, argv: string[]): void {
  const on = readOnOff(c, argv[2]!);
  if (on === null) return;
  c.noEvict = on;
  c.reply.raw(shared.ok);
}

export const clientNoEvictSpec: CommandSpec = {
  name: 'no-evict',
  arity: 3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Set client eviction mode for the current connection',
  since: '7.0.0',
  complexity: 'O(1)',
  syntax: '(ON | OFF)',
  handler: clientNoEvictCommand,
};

/** CLIENT NO-TOUCH ON|OFF (Redis 7.2): the client's reads leave keys' LRU/LFU clocks alone. */
function clientNoTouchCommand(c: Client, argv: string[]): void {
  const on = readOnOff(c, argv[2]!);
  if (on === null) return;
  c.noTouch = on;
  c.reply.raw(shared.ok);
}

export const clientNoTouchSpec: CommandSpec = {
  name: 'no-touch',
  arity: 3,
  flags: ['noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Controls whether commands sent by the client will alter the LRU/LFU of the keys they access.',
  since: '7.2.0',
  complexity: 'O(1)',
  syntax: '(ON | OFF)',
  handler: clientNoTouchCommand,
};

/** Redis 7.0's CLIENT HELP lines for what reddish has, plus 7.2's SETINFO and NO-TOUCH, in 7.2's order. */
const CLIENT_HELP: readonly string[] = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
];

/** CLIENT HELP */
function clientHelpCommand(c: Client): void {
  replyHelp(c, 'CLIENT', CLIENT_HELP);
}

export const clientHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'Show helpful text about the different subcommands',
  since: '5.0.0',
  complexity: 'O(1)',
  handler: clientHelpCommand,
};

/** CLIENT <subcommand> [<arg> [value] [opt] ...]: a container, dispatch picks the subcommand. */
export const clientSpec: CommandSpec = {
  name: 'client',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'connection',
  summary: 'A container for client connection commands',
  since: '2.4.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    clientIdSpec,
    clientGetnameSpec,
    clientSetnameSpec,
    clientSetinfoSpec,
    clientInfoSpec,
    clientListSpec,
    clientKillSpec,
    clientPauseSpec,
    clientUnpauseSpec,
    clientReplySpec,
    clientUnblockSpec,
    clientNoEvictSpec,
    clientNoTouchSpec,
    clientTrackingSpec,
    clientCachingSpec,
    clientGetredirSpec,
    clientTrackinginfoSpec,
    clientHelpSpec,
  ],
};

export const clientCommands: readonly CommandSpec[] = [clientSpec];
