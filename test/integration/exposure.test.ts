/**
 * Exposure defaults: loopback-only `bind`, protected mode (a client from
 * another address gets Redis's DENIED text and is closed while the default
 * user has no password), the CONFIG SET dir/dbfilename attack refused,
 * DEBUG refused. A client that is not on loopback is made by binding the
 * server to this machine's own non-loopback address and connecting to it.
 */
import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/index.js';
import { PROTECTED_MODE_DENIED } from '../../src/server/protected-mode.js';
import { RawClient } from '../helpers/resp-client.js';
import { findRedisServer, startRedisServer } from '../helpers/redis-server.js';

const haveRedis = findRedisServer() !== null;
const external = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
const haveIpv6Loopback = Object.values(os.networkInterfaces())
  .flat()
  .some((a) => a !== undefined && a.family === 'IPv6' && a.address === '::1');

/** Connects from `host` to `port`, sends `request` and resolves with everything read until the server closes. */
function exchange(host: string, port: number, request = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port }, () => {
      if (request !== '') socket.write(request);
    });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text + '<still open>');
    }, 3000);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    // A server that closes with our request unread resets the connection: what came before the reset counts.
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : reject(err)));
  });
}

describe('bind', () => {
  it("defaults to redis.conf's 127.0.0.1 -::1: loopback only, on both families", async () => {
    const server = await startServer({ port: 0 });
    const client = await RawClient.connect(server.port);
    try {
      expect((await client.call('CONFIG', 'GET', 'bind')).toString()).toBe('*2\r\n$4\r\nbind\r\n$14\r\n127.0.0.1 -::1\r\n');
      expect(server.host).toBe('127.0.0.1');
      if (haveIpv6Loopback) {
        const six = await RawClient.connect(server.port, { host: '::1' });
        expect((await six.call('PING')).toString()).toBe('+PONG\r\n');
        await six.close();
      }
      if (external !== undefined) await expect(RawClient.connect(server.port, { host: external, connectTimeoutMs: 1000 })).rejects.toThrow();
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe.skipIf(external === undefined)('protected mode', () => {
  it("answers a client from another address with Redis's DENIED text and closes it, while loopback is served", async () => {
    const server = await startServer({ port: 0, host: `127.0.0.1 ${external}` });
    const local = await RawClient.connect(server.port);
    try {
      // It is refused as it connects: whatever it sends is never run.
      expect(await exchange(external!, server.port, '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n')).toBe(PROTECTED_MODE_DENIED);
      expect((await local.call('EXISTS', 'k')).toString()).toBe(':0\r\n');
      const stats = (await local.call('INFO', 'stats')).toString();
      expect(stats).toContain('rejected_connections:1\r\n');
      // stat_numconnections counts only the clients let in.
      expect(stats).toContain('total_connections_received:1\r\n');
    } finally {
      await local.close();
      await server.close();
    }
  });

  it('lets other addresses in once there is a password or protected mode is off, at once', async () => {
    const server = await startServer({ port: 0, host: `127.0.0.1 ${external}` });
    const local = await RawClient.connect(server.port);
    const remote = (request: string) => exchange(external!, server.port, request + 'QUIT\r\n');
    try {
      expect((await local.call('CONFIG', 'SET', 'requirepass', 'sesame')).toString()).toBe('+OK\r\n');
      expect(await remote('PING\r\n')).toBe("-NOAUTH Authentication required.\r\n+OK\r\n");
      expect(await remote('AUTH sesame\r\nPING\r\n')).toBe('+OK\r\n+PONG\r\n+OK\r\n');
      expect((await local.call('AUTH', 'sesame')).toString()).toBe('+OK\r\n');
      expect((await local.call('CONFIG', 'SET', 'requirepass', '', 'protected-mode', 'no')).toString()).toBe('+OK\r\n');
      expect(await remote('PING\r\n')).toBe('+PONG\r\n+OK\r\n');
      expect((await local.call('CONFIG', 'SET', 'protected-mode', 'yes')).toString()).toBe('+OK\r\n');
      expect(await remote('PING\r\n')).toBe(PROTECTED_MODE_DENIED);
      // What counts is the default user's nopass flag, which ACL SETUSER changes as well as requirepass.
      expect((await local.call('ACL', 'SETUSER', 'default', 'resetpass', '>pw')).toString()).toBe('+OK\r\n');
      expect(await remote('AUTH pw\r\nPING\r\n')).toBe('+OK\r\n+PONG\r\n+OK\r\n');
    } finally {
      await local.close();
      await server.close();
    }
  });

  it.skipIf(!haveRedis)('sends the same bytes as redis-server', async () => {
    const redis = await startRedisServer({ extraArgs: ['--bind', '127.0.0.1', external!] });
    try {
      // Nothing sent: Redis closes at once, and unread bytes would turn its close into a reset.
      expect(await exchange(external!, redis.port)).toBe(PROTECTED_MODE_DENIED);
    } finally {
      await redis.stop();
    }
  });
});

describe('the CONFIG SET dir / dbfilename + SAVE attack', () => {
  // The attack points the snapshot at a file the server may write (authorized_keys, a crontab)
  // and saves a value chosen to be a valid line of it. Its first step is refused by default.
  const attack = [
    ['SET', 'payload', '\n\nssh-ed25519 AAAA attacker\n\n'],
    ['CONFIG', 'SET', 'dir', os.tmpdir()],
    ['CONFIG', 'SET', 'dbfilename', 'authorized_keys'],
    ['CONFIG', 'SET', 'dir', os.tmpdir(), 'dbfilename', 'authorized_keys'],
    ['CONFIG', 'GET', 'dbfilename'],
    ['DEBUG', 'SLEEP', '0'],
  ];
  const expected = [
    '+OK\r\n',
    "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n",
    "-ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config\r\n",
    "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config\r\n",
    '*2\r\n$10\r\ndbfilename\r\n$8\r\ndump.rdb\r\n',
    '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, ' +
      'otherwise you need to set this option in the configuration file, and then restart the server.\r\n',
  ];

  async function replay(port: number): Promise<string[]> {
    const client = await RawClient.connect(port);
    try {
      const replies: string[] = [];
      for (const command of attack) replies.push((await client.callArgs(command)).toString('latin1'));
      return replies;
    } finally {
      await client.close();
    }
  }

  it('fails at its first step by default, from loopback too, and DEBUG is refused', async () => {
    const server = await startServer({ port: 0 });
    try {
      expect(await replay(server.port)).toEqual(expected);
      expect(server.server.config.get('dir')).not.toBe(os.tmpdir());
    } finally {
      await server.close();
    }
  });

  it.skipIf(!haveRedis)('is refused by redis-server with the same replies', async () => {
    const redis = await startRedisServer();
    try {
      expect(await replay(redis.port)).toEqual(expected);
    } finally {
      await redis.stop();
    }
  });
});
