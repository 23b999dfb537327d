/**
 * CLIENT through real sockets. CLIENT LIST lines are parsed field by field;
 * error replies are compared byte for byte with a live redis-server 7.0.15
 * when one is installed (SETINFO and NO-TOUCH are 7.2 commands and are
 * checked against 7.2's documented behaviour instead).
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { findRedisServer, repliesFromBoth } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const t = useServer({ clock: 1_700_000_000_000, flush: false, ioredis: false });
const { clock } = t;
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let raw: RawClient;
beforeAll(() => {
  ({ server, raw } = t);
});

async function text(client: RawClient, ...args: string[]): Promise<string> {
  return (await client.call(...args)).toString('latin1');
}

/** The payload of a bulk or verbatim reply. */
function payload(reply: string): string {
  const body = reply.slice(reply.indexOf('\r\n') + 2, -2);
  return reply.startsWith('=') ? body.slice(4) : body;
}

/** The fields of one CLIENT LIST line, in order. */
function parseLine(line: string): Array<[string, string]> {
  return line.split(' ').map((pair) => {
    const eq = pair.indexOf('=');
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

/** CLIENT LIST as one map of fields per client id. */
async function clientList(client: RawClient, ...filter: string[]): Promise<Map<number, Map<string, string>>> {
  const lines = payload(await text(client, 'CLIENT', 'LIST', ...filter)).split('\n');
  expect(lines.pop()).toBe('');
  const byId = new Map<number, Map<string, string>>();
  for (const line of lines) {
    const fields = new Map(parseLine(line));
    byId.set(Number(fields.get('id')), fields);
  }
  return byId;
}

async function clientInfo(client: RawClient): Promise<Map<string, string>> {
  return new Map(parseLine(payload(await text(client, 'CLIENT', 'INFO')).replace(/\n$/, '')));
}

const FIELD_ORDER = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi',
  'qbuf', 'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events',
  'cmd', 'user', 'redir', 'resp', 'lib-name', 'lib-ver',
];

describe('CLIENT ID, SETNAME, GETNAME', () => {
  it('ID is the connection id, increasing with each connection', async () => {
    const other = await RawClient.connect(server.port);
    try {
      const mine = Number((await text(raw, 'CLIENT', 'ID')).slice(1, -2));
      const theirs = Number((await text(other, 'CLIENT', 'ID')).slice(1, -2));
      expect(theirs).toBeGreaterThan(mine);
      expect((await clientInfo(other)).get('id')).toBe(String(theirs));
    } finally {
      await other.close();
    }
  });

  it('GETNAME is null until SETNAME; an empty name removes it', async () => {
    const client = await RawClient.connect(server.port);
    try {
      expect(await text(client, 'CLIENT', 'GETNAME')).toBe('$-1\r\n');
      expect(await text(client, 'CLIENT', 'SETNAME', 'worker-1')).toBe('+OK\r\n');
      expect(await text(client, 'CLIENT', 'GETNAME')).toBe('$8\r\nworker-1\r\n');
      expect((await clientInfo(client)).get('name')).toBe('worker-1');
      expect(await text(client, 'CLIENT', 'SETNAME', '')).toBe('+OK\r\n');
      await client.call('HELLO', '3');
      expect(await text(client, 'CLIENT', 'GETNAME')).toBe('_\r\n');
    } finally {
      await client.close();
    }
  });

  it('SETNAME refuses spaces and special characters and keeps the old name', async () => {
    const client = await RawClient.connect(server.port);
    try {
      await client.call('CLIENT', 'SETNAME', 'kept');
      expect(await text(client, 'CLIENT', 'SETNAME', 'a b')).toBe(
        '-ERR Client names cannot contain spaces, newlines or special characters.\r\n',
      );
      expect(await text(client, 'CLIENT', 'SETNAME', 'caf\xe9')).toMatch(/^-ERR Client names cannot contain/);
      expect(await text(client, 'CLIENT', 'GETNAME')).toBe('$4\r\nkept\r\n');
    } finally {
      await client.close();
    }
  });
});

describe('CLIENT LIST and CLIENT INFO', () => {
  it('print every Redis 7.0 field in order, then lib-name and lib-ver', async () => {
    const line = payload(await text(raw, 'CLIENT', 'INFO'));
    expect(line.endsWith('\n')).toBe(true);
    expect(parseLine(line.slice(0, -1)).map(([name]) => name)).toEqual(FIELD_ORDER);
  });

  it('fill the fields from each connection state', async () => {
    const other = await RawClient.connect(server.port);
    try {
      await other.call('HELLO', '3');
      await other.call('SELECT', '5');
      await other.call('CLIENT', 'SETNAME', 'other');
      const otherId = Number((await clientInfo(other)).get('id'));
      const mine = await clientInfo(raw);
      const list = await clientList(raw);
      const me = list.get(Number(mine.get('id')))!;
      const them = list.get(otherId)!;
      expect(me.get('laddr')).toBe(`127.0.0.1:${server.port}`);
      expect(me.get('addr')).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(me.get('addr')).not.toBe(them.get('addr'));
      expect(Number(me.get('fd'))).toBeGreaterThanOrEqual(0);
      expect(me.get('cmd')).toBe('client|list');
      // "CLIENT" and "LIST": the arguments of the command being run, as Redis counts them.
      expect(me.get('argv-mem')).toBe('10');
      expect(them.get('argv-mem')).toBe('0');
      expect(them.get('cmd')).toBe('client|info');
      expect(them.get('name')).toBe('other');
      expect(them.get('db')).toBe('5');
      expect(them.get('resp')).toBe('3');
      expect(me.get('resp')).toBe('2');
      expect(them.get('flags')).toBe('N');
      expect(them.get('user')).toBe('default');
      expect(them.get('multi')).toBe('-1');
      expect(them.get('events')).toBe('r');
    } finally {
      await other.close();
    }
  });

  it('show MULTI, a touched WATCH and a blocked client as Redis does', async () => {
    const transaction = await RawClient.connect(server.port);
    const watcher = await RawClient.connect(server.port);
    const blocked = await RawClient.connect(server.port);
    try {
      const ids = await Promise.all([transaction, watcher, blocked].map(async (client) => Number((await clientInfo(client)).get('id'))));
      await transaction.call('MULTI');
      await transaction.call('SET', 'a', '1');
      await transaction.call('GET', 'abc');
      await watcher.call('WATCH', 'watched');
      await raw.call('SET', 'watched', 'changed');
      const blockedReply = blocked.call('BLPOP', 'nothing', '0');
      await waitForBlockedClients(1);

      const list = await clientList(raw);
      const inMulti = list.get(ids[0]!)!;
      expect([inMulti.get('flags'), inMulti.get('multi')]).toEqual(['x', '2']);
      // Each queued argument and its pointer: (5 + 3 * 8) + (6 + 2 * 8).
      expect(inMulti.get('multi-mem')).toBe('51');
      expect(list.get(ids[1]!)!.get('flags')).toBe('d');
      expect(list.get(ids[2]!)!.get('flags')).toBe('b');
      expect(await text(raw, 'INFO', 'clients')).toMatch(/\r\nblocked_clients:1\r\n/);

      expect(await text(raw, 'CLIENT', 'UNBLOCK', String(ids[2]), 'TIMEOUT')).toBe(':1\r\n');
      expect((await blockedReply).toString()).toBe('*-1\r\n');
      expect(await text(raw, 'CLIENT', 'UNBLOCK', String(ids[2]))).toBe(':0\r\n');
      expect((await clientList(raw)).get(ids[2]!)!.get('flags')).toBe('N');
    } finally {
      await raw.call('DEL', 'watched');
      await Promise.all([transaction.close(), watcher.close(), blocked.close()]);
    }
  });

  it('measure age and idle on the server clock', async () => {
    const other = await RawClient.connect(server.port);
    try {
      await other.call('PING');
      const id = Number((await clientInfo(other)).get('id'));
      clock.advance(7000);
      await other.call('PING');
      clock.advance(3000);
      const them = (await clientList(raw)).get(id)!;
      expect(them.get('age')).toBe('10');
      expect(them.get('idle')).toBe('3');
      expect(them.get('cmd')).toBe('ping');
      // A fresh connection has run nothing yet.
      const fresh = await RawClient.connect(server.port);
      const newest = [...(await clientList(raw)).values()].at(-1)!;
      expect(newest.get('cmd')).toBe('NULL');
      await fresh.close();
    } finally {
      await other.close();
    }
  });

  it('LIST filters by TYPE and by ID, in the order asked', async () => {
    const other = await RawClient.connect(server.port);
    try {
      const mine = Number((await clientInfo(raw)).get('id'));
      const theirs = Number((await clientInfo(other)).get('id'));
      expect([...(await clientList(raw, 'TYPE', 'normal')).keys()]).toContain(theirs);
      for (const type of ['pubsub', 'replica', 'slave', 'master']) {
        expect(await text(raw, 'CLIENT', 'LIST', 'TYPE', type)).toBe('$0\r\n\r\n');
      }
      const lines = payload(await text(raw, 'CLIENT', 'LIST', 'ID', String(theirs), '999999', String(mine)));
      expect(lines.split('\n').map((l) => l.split(' ')[0])).toEqual([`id=${theirs}`, `id=${mine}`, '']);
      expect(await text(raw, 'CLIENT', 'LIST', 'ID', '0')).toBe('$0\r\n\r\n');
    } finally {
      await other.close();
    }
  });

  it('are verbatim strings in RESP3', async () => {
    const client = await RawClient.connect(server.port);
    try {
      await client.call('HELLO', '3');
      expect(await text(client, 'CLIENT', 'INFO')).toMatch(/^=\d+\r\ntxt:id=\d+ .* lib-ver=\n\r\n$/);
      expect(await text(client, 'CLIENT', 'LIST', 'TYPE', 'pubsub')).toBe('=4\r\ntxt:\r\n');
    } finally {
      await client.close();
    }
  });

  it('node-redis parses CLIENT INFO', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      const info = await client.clientInfo();
      expect(info.laddr).toBe(`127.0.0.1:${server.port}`);
      expect(info.libName).toMatch(/^node-redis/);
      expect(info.resp).toBe(2);
      expect(Number.isInteger(info.fd)).toBe(true);
    } finally {
      await client.quit();
    }
  });
});

describe('CLIENT SETINFO, NO-EVICT, NO-TOUCH (Redis 7.2 semantics for SETINFO and NO-TOUCH)', () => {
  it('SETINFO sets lib-name and lib-ver, shown in CLIENT LIST; ioredis sends them on connect', async () => {
    const client = await RawClient.connect(server.port);
    const ioredis = new Redis(server.url, { lazyConnect: true });
    try {
      expect(await text(client, 'CLIENT', 'SETINFO', 'LIB-NAME', 'mylib')).toBe('+OK\r\n');
      expect(await text(client, 'CLIENT', 'SETINFO', 'lib-ver', '1.2.3')).toBe('+OK\r\n');
      let info = await clientInfo(client);
      expect([info.get('lib-name'), info.get('lib-ver')]).toEqual(['mylib', '1.2.3']);
      expect(await text(client, 'CLIENT', 'SETINFO', 'lib-ver', '')).toBe('+OK\r\n');
      info = await clientInfo(client);
      expect(info.get('lib-ver')).toBe('');

      await ioredis.connect();
      expect((await ioredis.client('INFO')) as string).toMatch(/ lib-name=ioredis lib-ver=\d+\.\d+\.\d+/);
    } finally {
      ioredis.disconnect();
      await client.close();
    }
  });

  it('SETINFO rejects unknown options and bad values', async () => {
    expect(await text(raw, 'CLIENT', 'SETINFO', 'color', 'red')).toBe("-ERR Unrecognized option 'color'\r\n");
    expect(await text(raw, 'CLIENT', 'SETINFO', 'Lib-Name', 'my lib')).toBe(
      '-ERR Lib-Name cannot contain spaces, newlines or special characters.\r\n',
    );
    expect(await text(raw, 'CLIENT', 'SETINFO', 'lib-name')).toBe("-ERR wrong number of arguments for 'client|setinfo' command\r\n");
  });

  it('NO-EVICT and NO-TOUCH set the e and T flags', async () => {
    const client = await RawClient.connect(server.port);
    try {
      expect(await text(client, 'CLIENT', 'NO-EVICT', 'on')).toBe('+OK\r\n');
      expect((await clientInfo(client)).get('flags')).toBe('e');
      expect(await text(client, 'CLIENT', 'NO-TOUCH', 'ON')).toBe('+OK\r\n');
      expect((await clientInfo(client)).get('flags')).toBe('eT');
      expect(await text(client, 'CLIENT', 'NO-EVICT', 'off')).toBe('+OK\r\n');
      expect(await text(client, 'CLIENT', 'NO-TOUCH', 'off')).toBe('+OK\r\n');
      expect((await clientInfo(client)).get('flags')).toBe('N');
      expect(await text(client, 'CLIENT', 'NO-EVICT', 'maybe')).toBe('-ERR syntax error\r\n');
      expect(await text(client, 'CLIENT', 'NO-TOUCH', 'maybe')).toBe('-ERR syntax error\r\n');
    } finally {
      await client.close();
    }
  });

  it('NO-TOUCH keeps a read from resetting OBJECT IDLETIME', async () => {
    const toucher = await RawClient.connect(server.port);
    try {
      await raw.call('SET', 'watched', 'v');
      clock.advance(10_000);
      await raw.call('CLIENT', 'NO-TOUCH', 'on');
      expect(await text(raw, 'GET', 'watched')).toBe('$1\r\nv\r\n');
      expect(await text(raw, 'OBJECT', 'IDLETIME', 'watched')).toBe(':10\r\n');
      await raw.call('CLIENT', 'NO-TOUCH', 'off');
      await toucher.call('GET', 'watched');
      expect(await text(raw, 'OBJECT', 'IDLETIME', 'watched')).toBe(':0\r\n');
    } finally {
      await raw.call('CLIENT', 'NO-TOUCH', 'off');
      await raw.call('DEL', 'watched');
      await toucher.close();
    }
  });
});

/** Waits until INFO reports `count` blocked clients (a BLPOP sent on another connection has arrived). */
async function waitForBlockedClients(count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await text(raw, 'INFO', 'clients')).includes(`\r\nblocked_clients:${count}\r\n`)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never saw ${count} blocked clients`);
}

describe('CLIENT UNBLOCK', () => {
  it('ends a blocking wait with an UNBLOCKED error when asked', async () => {
    const blocked = await RawClient.connect(server.port);
    try {
      const id = Number((await clientInfo(blocked)).get('id'));
      const blockedReply = blocked.call('BLPOP', 'nothing', '0');
      await waitForBlockedClients(1);
      expect(await text(raw, 'CLIENT', 'UNBLOCK', String(id), 'error')).toBe(':1\r\n');
      expect((await blockedReply).toString()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
      // The pipeline it held back runs now.
      expect(await text(blocked, 'PING')).toBe('+PONG\r\n');
    } finally {
      await blocked.close();
    }
  });

  it('answers 0 for a client that is not blocked, and bad arguments as Redis does', async () => {
    const id = (await clientInfo(raw)).get('id')!;
    expect(await text(raw, 'CLIENT', 'UNBLOCK', id)).toBe(':0\r\n');
    expect(await text(raw, 'CLIENT', 'UNBLOCK', 'abc')).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await text(raw, 'CLIENT', 'UNBLOCK', 'abc', 'later')).toBe('-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n');
  });
});

describe('CLIENT KILL', () => {
  // A server per test, so each test counts only the clients it made.
  let victims: RunningServer;

  beforeEach(async () => {
    victims = await startServer({ port: 0 });
  });

  afterEach(async () => {
    await victims.close();
  });

  async function connectVictim(): Promise<{ client: RawClient; id: number; addr: string }> {
    const client = await RawClient.connect(victims.port);
    const info = await clientInfo(client);
    return { client, id: Number(info.get('id')), addr: info.get('addr')! };
  }

  it('by ID kills that client and counts it', async () => {
    const killer = await connectVictim();
    const victim = await connectVictim();
    expect(await text(killer.client, 'CLIENT', 'KILL', 'ID', String(victim.id))).toBe(':1\r\n');
    expect(await victim.client.waitClosed(2000)).toBe(true);
    expect(await text(killer.client, 'CLIENT', 'KILL', 'ID', String(victim.id))).toBe(':0\r\n');
    await killer.client.close();
  });

  it('by ADDR, by LADDR and by USER, skipping the caller unless SKIPME no', async () => {
    const killer = await connectVictim();
    const a = await connectVictim();
    const b = await connectVictim();
    expect(await text(killer.client, 'CLIENT', 'KILL', 'ADDR', a.addr)).toBe(':1\r\n');
    expect(await a.client.waitClosed(2000)).toBe(true);
    expect(await text(killer.client, 'CLIENT', 'KILL', 'ADDR', killer.addr)).toBe(':0\r\n');
    expect(await text(killer.client, 'CLIENT', 'KILL', 'LADDR', `127.0.0.1:${victims.port}`, 'USER', 'default')).toBe(':1\r\n');
    expect(await b.client.waitClosed(2000)).toBe(true);
    // The caller is counted, answered, then closed.
    expect(await text(killer.client, 'CLIENT', 'KILL', 'ID', String(killer.id), 'SKIPME', 'no')).toBe(':1\r\n');
    expect(await killer.client.waitClosed(2000)).toBe(true);
  });

  it('by TYPE normal kills every other client', async () => {
    const killer = await connectVictim();
    const others = [await connectVictim(), await connectVictim()];
    expect(await text(killer.client, 'CLIENT', 'KILL', 'TYPE', 'normal')).toBe(':2\r\n');
    for (const other of others) expect(await other.client.waitClosed(2000)).toBe(true);
    expect(await text(killer.client, 'CLIENT', 'KILL', 'TYPE', 'pubsub', 'SKIPME', 'no')).toBe(':0\r\n');
    await killer.client.close();
  });

  it('in the old form replies OK or No such client, and may kill the caller', async () => {
    const killer = await connectVictim();
    const victim = await connectVictim();
    expect(await text(killer.client, 'CLIENT', 'KILL', victim.addr)).toBe('+OK\r\n');
    expect(await victim.client.waitClosed(2000)).toBe(true);
    expect(await text(killer.client, 'CLIENT', 'KILL', '10.1.2.3:4')).toBe('-ERR No such client\r\n');
    expect(await text(killer.client, 'CLIENT', 'KILL', killer.addr)).toBe('+OK\r\n');
    expect(await killer.client.waitClosed(2000)).toBe(true);
  });

  it('answers bad filters as Redis does', async () => {
    const client = await RawClient.connect(victims.port);
    try {
      expect(await text(client, 'CLIENT', 'KILL', 'ID', 'abc')).toBe('-ERR client-id should be greater than 0\r\n');
      expect(await text(client, 'CLIENT', 'KILL', 'ID', '0')).toBe('-ERR client-id should be greater than 0\r\n');
      expect(await text(client, 'CLIENT', 'KILL', 'USER', 'nobody')).toBe("-ERR No such user 'nobody'\r\n");
      expect(await text(client, 'CLIENT', 'KILL', 'TYPE', 'robot')).toBe("-ERR Unknown client type 'robot'\r\n");
      expect(await text(client, 'CLIENT', 'KILL', 'SKIPME', 'maybe')).toBe('-ERR syntax error\r\n');
      expect(await text(client, 'CLIENT', 'KILL', 'ID', '1', 'SKIPME')).toBe('-ERR syntax error\r\n');
      expect(await text(client, 'CLIENT', 'KILL', 'MAXAGE', '1')).toBe('-ERR syntax error\r\n');
      expect(await text(client, 'CLIENT', 'KILL')).toBe("-ERR wrong number of arguments for 'client|kill' command\r\n");
    } finally {
      await client.close();
    }
  });
});

/**
 * Replies that depend on no connection state: errors, empty lists, HELP's
 * first lines. Each is sent to both servers and must match byte for byte.
 */
const DETERMINISTIC: string[][] = [
  ['CLIENT'],
  ['CLIENT', 'NOSUCH'],
  ['CLIENT', 'ID', 'extra'],
  ['CLIENT', 'GETNAME'],
  ['CLIENT', 'SETNAME', 'a b'],
  ['CLIENT', 'SETNAME', 'x', 'y'],
  ['CLIENT', 'LIST', 'TYPE', 'robot'],
  ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
  ['CLIENT', 'LIST', 'TYPE', 'master'],
  ['CLIENT', 'LIST', 'ID', 'abc'],
  ['CLIENT', 'LIST', 'ID', '0'],
  ['CLIENT', 'LIST', 'ID'],
  ['CLIENT', 'LIST', 'extra'],
  ['CLIENT', 'LIST', 'TYPE', 'normal', 'more'],
  ['CLIENT', 'KILL'],
  ['CLIENT', 'KILL', '10.9.8.7:6'],
  ['CLIENT', 'KILL', 'ID', 'abc'],
  ['CLIENT', 'KILL', 'ID', '-5'],
  ['CLIENT', 'KILL', 'ID', '999999'],
  ['CLIENT', 'KILL', 'USER', 'nobody'],
  ['CLIENT', 'KILL', 'TYPE', 'robot'],
  ['CLIENT', 'KILL', 'SKIPME', 'maybe'],
  ['CLIENT', 'KILL', 'ADDR', '10.9.8.7:6', 'ID'],
  ['CLIENT', 'KILL', 'FOO', 'bar'],
  ['CLIENT', 'UNBLOCK'],
  ['CLIENT', 'UNBLOCK', 'abc'],
  ['CLIENT', 'UNBLOCK', '999999'],
  ['CLIENT', 'UNBLOCK', '999999', 'ERROR'],
  ['CLIENT', 'UNBLOCK', 'abc', 'later'],
  ['CLIENT', 'UNBLOCK', '1', 'timeout', 'extra'],
  ['CLIENT', 'NO-EVICT', 'maybe'],
  ['CLIENT', 'NO-EVICT'],
  ['CLIENT', 'PAUSE'],
  ['CLIENT', 'PAUSE', '-1'],
  ['CLIENT', 'PAUSE', 'abc'],
  ['CLIENT', 'PAUSE', '1.5'],
  ['CLIENT', 'PAUSE', '99999999999999999999'],
  ['CLIENT', 'PAUSE', '10', 'NONE'],
  ['CLIENT', 'PAUSE', 'abc', 'NONE'],
  ['CLIENT', 'PAUSE', '-1', 'write'],
  ['CLIENT', 'PAUSE', '10', 'write', 'extra'],
  // Ends at once: a zero timeout, and an end past int64 (which wraps negative in Redis).
  ['CLIENT', 'PAUSE', '0'],
  ['CLIENT', 'PAUSE', '9223372036854775807', 'ALL'],
  ['CLIENT', 'UNPAUSE'],
  ['CLIENT', 'UNPAUSE', 'extra'],
  ['CLIENT', 'REPLY'],
  ['CLIENT', 'REPLY', 'maybe'],
  ['CLIENT', 'REPLY', 'on', 'extra'],
  ['CLIENT', 'REPLY', 'ON'],
];

describe.skipIf(findRedisServer() === null)('against redis-server', () => {
  it('deterministic CLIENT replies match byte for byte', async () => {
    for (const { command, ours, theirs } of await repliesFromBoth(DETERMINISTIC, server.port)) {
      expect({ command, reply: ours }).toEqual({ command, reply: theirs });
    }
  });
});

describe('CLIENT HELP and errors', () => {
  it('HELP lists the subcommands as status replies', async () => {
    const help = await text(raw, 'CLIENT', 'HELP');
    expect(help.startsWith('*54\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n')).toBe(true);
    expect(help).toContain('+SETINFO <option> <value>\r\n');
    expect(help.endsWith('+HELP\r\n+    Prints this help.\r\n')).toBe(true);
  });

  it('rejects unknown subcommands and a bare CLIENT', async () => {
    expect(await text(raw, 'CLIENT', 'whatever')).toBe("-ERR unknown subcommand 'whatever'. Try CLIENT HELP.\r\n");
    expect(await text(raw, 'CLIENT')).toBe("-ERR wrong number of arguments for 'client' command\r\n");
  });
});
