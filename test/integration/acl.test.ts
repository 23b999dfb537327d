/**
 * ACL through real clients: ioredis logging in as users, the key and
 * channel restrictions they meet, AUTH brute force, requirepass and the
 * default user, `user` lines and the ACL file.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ConfigError, Server, startServer, type RunningServer } from '../../src/index.js';
import { Config, listenAddresses } from '../../src/config.js';
import { parseConfigText } from '../../src/cli.js';
import { RawClient } from '../helpers/resp-client.js';

const dir = mkdtempSync(join(tmpdir(), 'reddish-acl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opened: Array<Redis | RawClient> = [];
afterEach(async () => {
  for (const client of opened.splice(0)) {
    if (client instanceof RawClient) await client.close();
    else client.disconnect();
  }
});

function connect(server: RunningServer, username?: string, password?: string): Redis {
  const client = new Redis(server.port, { username, password, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  opened.push(client);
  return client;
}

async function raw(server: RunningServer): Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  opened.push(client);
  return client;
}

describe('users logging in with ioredis', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      port: 0,
      users: [
        'app on >app-secret ~app:* &app.* +@read +@write +@connection +subscribe +publish',
        'reader on >r %R~* %W~scratch:* +@read +set',
        'off-user off >x +@all ~*',
      ],
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('a user reads and writes only its keys', async () => {
    const app = connect(server, 'app', 'app-secret');
    await app.connect();
    expect(await app.call('ACL', 'WHOAMI').catch((e: Error) => e.message)).toMatch(/NOPERM this user has no permissions to run the 'acl\|whoami' command/);
    expect(await app.set('app:1', 'v')).toBe('OK');
    expect(await app.get('app:1')).toBe('v');
    await expect(app.get('other')).rejects.toThrow('NOPERM this user has no permissions to access one of the keys used as arguments');
    await expect(app.mset('app:2', 'x', 'other', 'y')).rejects.toThrow('NOPERM');
    await expect(app.info()).rejects.toThrow("NOPERM this user has no permissions to run the 'info' command");
    expect(await app.dbsize()).toBe(1);
  });

  it('%R~ and %W~ patterns split reading from writing', async () => {
    const reader = connect(server, 'reader', 'r');
    await reader.connect();
    expect(await reader.get('app:1')).toBe('v');
    // SET without GET only writes its key; with GET it reads it too.
    expect(await reader.set('scratch:1', 'w')).toBe('OK');
    await expect(reader.set('scratch:1', 'w', 'GET')).rejects.toThrow('NOPERM');
    await expect(reader.set('app:1', 'w')).rejects.toThrow('NOPERM');
    expect(await reader.call('ACL', 'WHOAMI').catch((e: Error) => e.message)).toMatch(/NOPERM/);
  });

  it('channels: SUBSCRIBE and PUBLISH only where allowed', async () => {
    const app = connect(server, 'app', 'app-secret');
    await app.connect();
    await expect(app.publish('elsewhere', 'm')).rejects.toThrow('NOPERM this user has no permissions to access one of the channels used as arguments');
    expect(await app.publish('app.news', 'm')).toBe(0);
    const subscriber = connect(server, 'app', 'app-secret');
    await subscriber.connect();
    await expect(subscriber.subscribe('elsewhere')).rejects.toThrow('NOPERM');
    await subscriber.subscribe('app.news');
    const received = new Promise<string>((resolve) => subscriber.on('message', (_channel, message) => resolve(message)));
    expect(await app.publish('app.news', 'hello')).toBe(1);
    expect(await received).toBe('hello');
  });

  it('a disabled user, a wrong password and an unknown user get the same answer', async () => {
    const client = await raw(server);
    for (const [username, password] of [['off-user', 'x'], ['app', 'nope'], ['ghost', 'app-secret']] as const) {
      expect((await client.call('AUTH', username, password)).toString('latin1')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    }
  });
});

describe('AUTH brute force', () => {
  it('every wrong password, whatever its length, gets the one WRONGPASS answer and nothing else', async () => {
    const server = await startServer({ port: 0, users: ['target on >correct-horse-battery-staple +@all ~*'] });
    try {
      const client = await raw(server);
      const seen = new Set<string>();
      const guesses: string[] = [''];
      // Every length, and every prefix of the password.
      for (let length = 1; length <= 64; length++) guesses.push('x'.repeat(length));
      for (let length = 1; length < 28; length++) guesses.push('correct-horse-battery-staple'.slice(0, length));
      guesses.push('correct-horse-battery-staplf', 'correct-horse-battery-staple ', 'a'.repeat(4096));
      for (const guess of guesses) {
        seen.add((await client.call('AUTH', 'target', guess)).toString('latin1'));
        seen.add((await client.call('HELLO', '3', 'AUTH', 'target', guess)).toString('latin1'));
      }
      expect([...seen]).toEqual(['-WRONGPASS invalid username-password pair or user is disabled.\r\n']);
      // Every failure is in the log, grouped into one entry per user and command name.
      const log = await client.call('ACL', 'LOG');
      expect(log.toString('latin1')).toMatch(/^\*2\r\n/);
      expect(log.toString('latin1').match(/\$5\r\ncount\r\n:(\d+)\r\n/g)).toEqual([`$5\r\ncount\r\n:${guesses.length}\r\n`, `$5\r\ncount\r\n:${guesses.length}\r\n`]);
      expect((await client.call('AUTH', 'target', 'correct-horse-battery-staple')).toString('latin1')).toBe('+OK\r\n');
    } finally {
      await server.close();
    }
  });
});

describe('the default user and requirepass', () => {
  it('CONFIG SET requirepass gives the default user that one password, and "" makes it nopass again', async () => {
    const server = await startServer({ port: 0 });
    try {
      const admin = connect(server);
      await admin.connect();
      expect(server.server.acl.defaultUser.unrestricted).toBe(true);
      await admin.config('SET', 'requirepass', 'p1');
      expect(await admin.call('ACL', 'LIST')).toEqual(['user default on #' + sha256('p1') + ' ~* &* +@all']);
      const fresh = await raw(server);
      expect((await fresh.call('GET', 'k')).toString('latin1')).toBe('-NOAUTH Authentication required.\r\n');
      expect((await fresh.call('AUTH', 'p1')).toString('latin1')).toBe('+OK\r\n');
      await admin.config('SET', 'requirepass', '');
      expect(await admin.call('ACL', 'LIST')).toEqual(['user default on nopass ~* &* +@all']);
    } finally {
      await server.close();
    }
  });

  it('a restricted default user is checked on every command; one allowed everything skips the check', async () => {
    const server = await startServer({ port: 0 });
    try {
      const client = await raw(server);
      expect((await client.call('ACL', 'SETUSER', 'default', '-flushall')).toString('latin1')).toBe('+OK\r\n');
      expect(server.server.acl.defaultUser.unrestricted).toBe(false);
      expect((await client.call('FLUSHALL')).toString('latin1')).toBe("-NOPERM this user has no permissions to run the 'flushall' command\r\n");
      expect((await client.call('ACL', 'SETUSER', 'default', '+@all')).toString('latin1')).toBe('+OK\r\n');
      expect(server.server.acl.defaultUser.unrestricted).toBe(true);
      expect((await client.call('FLUSHALL')).toString('latin1')).toBe('+OK\r\n');
    } finally {
      await server.close();
    }
  });
});

describe('user lines and the ACL file', () => {
  it('redis.conf user lines are collected by the config parser', () => {
    const users: string[][] = [];
    const values = parseConfigText('test.conf', 'port 7000\nuser alice on >pw ~* +@all\nuser bob (~x +get)\n', {}, users);
    expect(values.port).toBe(7000);
    expect(users).toEqual([
      ['alice', 'on', '>pw', '~*', '+@all'],
      ['bob', '(~x', '+get)'],
    ]);
  });

  it('user lines and aclfile together, or a bad user line, stop the server from starting', async () => {
    const aclfile = join(dir, 'both.acl');
    writeFileSync(aclfile, '');
    await expect(startServer({ port: 0, users: ['a on'], config: { aclfile } })).rejects.toThrow(ConfigError);
    await expect(startServer({ port: 0, users: ['a on +nosuchcommand'] })).rejects.toThrow(
      "Error loading ACL rule '+nosuchcommand' for the user named 'a': Unknown command or category name in ACL",
    );
    await expect(startServer({ port: 0, users: ['a on %Q~x'] })).rejects.toThrow("Error in user declaration 'a': Syntax error");
  });

  it('ACL SAVE writes every user, ACL LOAD reads them back all or nothing, and disconnects the old users', async () => {
    const aclfile = join(dir, 'users.acl');
    writeFileSync(aclfile, 'user default on nopass ~* &* +@all\nuser saved on >s ~s:* resetchannels -@all +get\n');
    const server = await startServer({ port: 0, config: { aclfile } });
    try {
      const admin = await raw(server);
      expect((await admin.call('ACL', 'USERS')).toString('latin1')).toBe('*2\r\n$7\r\ndefault\r\n$5\r\nsaved\r\n');
      expect((await admin.call('ACL', 'SETUSER', 'added', 'on', '>a', '%R~r:*', '(+set ~w:*)')).toString('latin1')).toBe('+OK\r\n');
      expect((await admin.call('ACL', 'SAVE')).toString('latin1')).toBe('+OK\r\n');
      const saved = readFileSync(aclfile, 'latin1');
      expect(saved.split('\n')).toEqual([
        'user added on #' + sha256('a') + ' %R~r:* resetchannels -@all (~w:* resetchannels -@all +set)',
        'user default on nopass ~* &* +@all',
        'user saved on #' + sha256('s') + ' ~s:* resetchannels -@all +get',
        '',
      ]);

      const victim = await raw(server);
      expect((await victim.call('AUTH', 'added', 'a')).toString('latin1')).toBe('+OK\r\n');
      // A broken file changes nothing.
      writeFileSync(aclfile, saved + 'user broken on +nosuch\nnot a user line\n');
      const failed = (await admin.call('ACL', 'LOAD')).toString('latin1');
      expect(failed).toBe(
        `-ERR ${aclfile}:4: Error in applying operation '+nosuch': Unknown command or category name in ACL. ${aclfile}:5 should start with user keyword followed by the username. WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n`,
      );
      expect((await victim.call('PING')).toString('latin1')).toBe('-NOPERM this user has no permissions to run the \'ping\' command\r\n');
      // A good one replaces the users; clients of the old ones are closed.
      writeFileSync(aclfile, 'user fresh on nopass +@all ~*\n');
      expect((await admin.call('ACL', 'LOAD')).toString('latin1')).toBe('+OK\r\n');
      const lines = ['user default on nopass ~* &* +@all', 'user fresh on nopass ~* resetchannels +@all'];
      expect((await admin.call('ACL', 'LIST')).toString('latin1')).toBe('*2\r\n' + lines.map((l) => `$${l.length}\r\n${l}\r\n`).join(''));
      await expect(victim.call('PING')).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it('CONFIG REWRITE writes the users as user lines, unless they live in an aclfile', async () => {
    const file = join(dir, 'rewrite.conf');
    writeFileSync(file, '# users\nuser old on nopass ~* +@all\nport 0\n');
    const server = new Server({ config: new Config({ port: 0 }), logger: pino({ level: 'silent' }), configFile: file, users: [['old', 'on', 'nopass', '~*', '+@all']] });
    await server.listen(0, listenAddresses('127.0.0.1'));
    try {
      const client = await RawClient.connect(server.address.port);
      opened.push(client);
      expect((await client.call('ACL', 'SETUSER', 'new', 'on', '>n', '~n:*', '+get')).toString('latin1')).toBe('+OK\r\n');
      expect((await client.call('ACL', 'DELUSER', 'old')).toString('latin1')).toBe(':1\r\n');
      expect((await client.call('CONFIG', 'REWRITE')).toString('latin1')).toBe('+OK\r\n');
      const users = readFileSync(file, 'latin1').split('\n').filter((line) => line.startsWith('user '));
      expect(users).toEqual(['user default on nopass ~* &* +@all', 'user new on #' + sha256('n') + ' ~n:* resetchannels -@all +get']);
    } finally {
      await server.close();
    }
  });

  it('ACL SAVE and LOAD without an aclfile say how to keep users instead', async () => {
    const server = await startServer({ port: 0 });
    try {
      const client = await raw(server);
      for (const sub of ['SAVE', 'LOAD']) {
        expect((await client.call('ACL', sub)).toString('latin1')).toMatch(/^-ERR This Redis instance is not configured to use an ACL file\./);
      }
    } finally {
      await server.close();
    }
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
