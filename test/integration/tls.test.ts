/**
 * TLS (tls.c): a TLS port beside the plain one, client certificates as
 * tls-auth-clients asks, the tls-* parameters checked and applied as Redis
 * checks and applies them, over the wire with certificates made here.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startServer, type RunningServer } from '../../src/index.js';
import { RawClient, replyToPlain, type PlainReply } from '../helpers/resp-client.js';
import { findFreePort, findRedisServer, startRedisServer } from '../helpers/redis-server.js';
import { haveOpenssl, testCertificates, type TestCertificates } from '../helpers/tls-certs.js';

const run = promisify(execFile);

describe.skipIf(!haveOpenssl())('TLS', () => {
  let certs: TestCertificates;
  let server: RunningServer;
  const tlsConfig = () => ({
    'tls-cert-file': certs.serverCert,
    'tls-key-file': certs.serverKey,
    'tls-ca-cert-file': certs.caCert,
  });
  const clientTls = () => ({ ca: fs.readFileSync(certs.caCert), cert: fs.readFileSync(certs.clientCert), key: fs.readFileSync(certs.clientKey) });

  beforeAll(async () => {
    certs = testCertificates();
    server = await startServer({ port: 0, tlsPort: 0, config: tlsConfig() });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('listens on a TLS port beside the plain one, and reports it', async () => {
    expect(server.tlsPort).toBeGreaterThan(0);
    expect(server.tlsPort).not.toBe(server.port);
    expect(server.tlsUrl).toBe(`rediss://127.0.0.1:${server.tlsPort}`);
    const secure = await RawClient.connect(server.tlsPort!, { tls: clientTls() });
    const plain = await RawClient.connect(server.port);
    try {
      expect((await secure.call('SET', 'k', 'over tls')).toString()).toBe('+OK\r\n');
      expect((await plain.call('GET', 'k')).toString()).toBe('$8\r\nover tls\r\n');
    } finally {
      await secure.close();
      await plain.close();
    }
  });

  it('runs a pipeline over TLS as one batch, replies in order', async () => {
    const client = await RawClient.connect(server.tlsPort!, { tls: clientTls() });
    try {
      const commands = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? ['SET', `p${i}`, 'x'.repeat(i)] : ['GET', `p${i - 1}`]));
      const replies = await client.pipeline(commands);
      replies.forEach((reply, i) => expect(reply.toString()).toBe(i % 2 === 0 ? '+OK\r\n' : `$${i - 1}\r\n${'x'.repeat(i - 1)}\r\n`));
      // A big value, past the writer's spill and the socket's buffers.
      const big = 'v'.repeat(3 * 1024 * 1024);
      expect((await client.call('SET', 'big', big)).toString()).toBe('+OK\r\n');
      expect((await client.call('GET', 'big')).toString()).toBe(`$${big.length}\r\n${big}\r\n`);
    } finally {
      await client.close();
    }
  });

  it('serves ioredis and node-redis with TLS options', async () => {
    const io = new Redis({ port: server.tlsPort!, host: '127.0.0.1', tls: clientTls(), maxRetriesPerRequest: 0 });
    const node = createClient({ socket: { port: server.tlsPort!, host: '127.0.0.1', tls: true, ...clientTls() } });
    node.on('error', () => {});
    try {
      await io.set('lib', 'ioredis');
      expect(await io.get('lib')).toBe('ioredis');
      await node.connect();
      await node.set('lib2', 'node-redis');
      expect(await node.get('lib')).toBe('ioredis');
      expect(await node.get('lib2')).toBe('node-redis');
    } finally {
      io.disconnect();
      await node.quit().catch(() => {});
    }
  });

  it('serves redis-cli --tls', async () => {
    const { stdout } = await run('redis-cli', [
      '--tls', '--cacert', certs.caCert, '--cert', certs.clientCert, '--key', certs.clientKey,
      '-h', '127.0.0.1', '-p', String(server.tlsPort), 'ECHO', 'hello tls',
    ]);
    expect(stdout).toBe('hello tls\n');
  });

  /** Connects over TLS and PINGs: 'PONG', or why it failed. */
  async function ping(port: number, options: { cert?: string; key?: string; maxVersion?: 'TLSv1.2' | 'TLSv1.3'; ca?: string } = {}): Promise<string> {
    try {
      const client = await RawClient.connect(port, {
        tls: {
          ca: fs.readFileSync(options.ca ?? certs.caCert),
          ...(options.cert === undefined ? {} : { cert: fs.readFileSync(options.cert), key: fs.readFileSync(options.key!) }),
          ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
        },
        replyTimeoutMs: 3000,
      });
      try {
        return (await client.call('PING')).toString().trim().replace(/^\+/, '');
      } finally {
        await client.close();
      }
    } catch (err) {
      return 'failed';
    }
  }

  it('with tls-auth-clients yes (the default), needs a client certificate the CA signed', async () => {
    expect(await ping(server.tlsPort!, { cert: certs.clientCert, key: certs.clientKey })).toBe('PONG');
    expect(await ping(server.tlsPort!)).toBe('failed');
    expect(await ping(server.tlsPort!, { cert: certs.strangerCert, key: certs.strangerKey })).toBe('failed');
  });

  it('with tls-auth-clients optional, takes no certificate but refuses a bad one; with no, asks for none', async () => {
    const admin = await RawClient.connect(server.port);
    try {
      expect((await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'optional')).toString()).toBe('+OK\r\n');
      expect(await ping(server.tlsPort!)).toBe('PONG');
      expect(await ping(server.tlsPort!, { cert: certs.clientCert, key: certs.clientKey })).toBe('PONG');
      expect(await ping(server.tlsPort!, { cert: certs.strangerCert, key: certs.strangerKey })).toBe('failed');
      expect((await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'no')).toString()).toBe('+OK\r\n');
      expect(await ping(server.tlsPort!)).toBe('PONG');
      expect(await ping(server.tlsPort!, { cert: certs.strangerCert, key: certs.strangerKey })).toBe('PONG');
    } finally {
      await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'yes');
      await admin.close();
    }
  });

  it('takes an encrypted key with tls-key-file-pass, and CAs from tls-ca-cert-dir', async () => {
    const other = await startServer({
      port: 0,
      tlsPort: 0,
      config: {
        'tls-cert-file': certs.serverCert,
        'tls-key-file': certs.serverKeyEncrypted,
        'tls-key-file-pass': certs.serverKeyPass,
        'tls-ca-cert-dir': certs.caDir,
      },
    });
    try {
      expect(await ping(other.tlsPort!, { cert: certs.clientCert, key: certs.clientKey })).toBe('PONG');
      expect(await ping(other.tlsPort!, { cert: certs.strangerCert, key: certs.strangerKey })).toBe('failed');
    } finally {
      await other.close();
    }
  });

  it('speaks only the versions tls-protocols names', async () => {
    const admin = await RawClient.connect(server.port);
    try {
      expect(await ping(server.tlsPort!, { cert: certs.clientCert, key: certs.clientKey, maxVersion: 'TLSv1.2' })).toBe('PONG');
      expect((await admin.call('CONFIG', 'SET', 'tls-protocols', 'TLSv1.3')).toString()).toBe('+OK\r\n');
      expect(await ping(server.tlsPort!, { cert: certs.clientCert, key: certs.clientKey, maxVersion: 'TLSv1.2' })).toBe('failed');
      expect(await ping(server.tlsPort!, { cert: certs.clientCert, key: certs.clientKey })).toBe('PONG');
    } finally {
      await admin.call('CONFIG', 'SET', 'tls-protocols', '');
      await admin.close();
    }
  });

  it('refuses a CONFIG SET that leaves TLS unconfigurable, and keeps the old context', async () => {
    const admin = await RawClient.connect(server.port);
    const failed = (name: string) =>
      `-ERR CONFIG SET failed (possibly related to argument '${name}') - Unable to update TLS configuration. Check server logs.\r\n`;
    try {
      expect((await admin.call('CONFIG', 'SET', 'tls-cert-file', '/nonexistent/cert.pem')).toString()).toBe(failed('tls-cert-file'));
      expect((await admin.call('CONFIG', 'SET', 'tls-protocols', 'SSLv3')).toString()).toBe(failed('tls-protocols'));
      expect((await admin.call('CONFIG', 'SET', 'tls-ciphers', 'NO-SUCH-CIPHER')).toString()).toBe(failed('tls-ciphers'));
      expect((await admin.call('CONFIG', 'SET', 'tls-key-file', certs.serverKeyEncrypted)).toString()).toBe(failed('tls-key-file'));
      expect((await admin.call('CONFIG', 'GET', 'tls-cert-file')).toString()).toBe(`*2\r\n$13\r\ntls-cert-file\r\n$${certs.serverCert.length}\r\n${certs.serverCert}\r\n`);
      expect(await ping(server.tlsPort!, { cert: certs.clientCert, key: certs.clientKey })).toBe('PONG');
      // Both at once: the key and its pass phrase change together.
      expect(
        (await admin.call('CONFIG', 'SET', 'tls-key-file', certs.serverKeyEncrypted, 'tls-key-file-pass', certs.serverKeyPass)).toString(),
      ).toBe('+OK\r\n');
      expect(await ping(server.tlsPort!, { cert: certs.clientCert, key: certs.clientKey })).toBe('PONG');
    } finally {
      await admin.call('CONFIG', 'SET', 'tls-key-file', certs.serverKey, 'tls-key-file-pass', '');
      await admin.close();
    }
  });

  it('refuses to start TLS without a certificate and key, or without a CA while client certificates are asked for', async () => {
    await expect(startServer({ port: 0, tlsPort: 0 })).rejects.toThrow('No tls-cert-file configured!');
    await expect(startServer({ port: 0, tlsPort: 0, config: { 'tls-cert-file': certs.serverCert } })).rejects.toThrow('No tls-key-file configured!');
    await expect(startServer({ port: 0, tlsPort: 0, config: { 'tls-cert-file': certs.serverCert, 'tls-key-file': certs.serverKey } })).rejects.toThrow(
      'Either tls-ca-cert-file or tls-ca-cert-dir must be specified',
    );
    const noAuth = await startServer({
      port: 0,
      tlsPort: 0,
      config: { 'tls-cert-file': certs.serverCert, 'tls-key-file': certs.serverKey, 'tls-auth-clients': 'no' },
    });
    try {
      expect(await ping(noAuth.tlsPort!)).toBe('PONG');
    } finally {
      await noAuth.close();
    }
  });

  it('past maxclients, closes a TLS client before its handshake, with nothing written', async () => {
    const small = await startServer({ port: 0, tlsPort: 0, config: { ...tlsConfig(), maxclients: 1 } });
    const first = await RawClient.connect(small.tlsPort!, { tls: clientTls() });
    try {
      // Its handshake is done on the server's side too: it counts.
      expect((await first.call('PING')).toString()).toBe('+PONG\r\n');
      expect(await ping(small.tlsPort!, { cert: certs.clientCert, key: certs.clientKey })).toBe('failed');
      expect((await first.call('INFO', 'stats')).toString()).toContain('rejected_connections:1\r\n');
    } finally {
      await first.close();
      await small.close();
    }
  });

  it.skipIf(findRedisServer() === null)('checks and applies tls-* parameters as redis-server does', async () => {
    const tlsArgs = ['--tls-cert-file', certs.serverCert, '--tls-key-file', certs.serverKey, '--tls-ca-cert-file', certs.caCert];
    const redis = await startRedisServer({ extraArgs: ['--tls-port', String(await findFreePort()), ...tlsArgs] });
    const ours = await startServer({ port: 0, tlsPort: 0, config: tlsConfig() });
    const commands: string[][] = [
      ['CONFIG', 'SET', 'tls-cert-file', '/nonexistent/cert.pem'],
      ['CONFIG', 'SET', 'tls-key-file', '/nonexistent/key.pem'],
      ['CONFIG', 'SET', 'tls-protocols', 'SSLv3'],
      ['CONFIG', 'SET', 'tls-protocols', 'TLSv1.2 TLSv1.4'],
      ['CONFIG', 'SET', 'tls-protocols', 'tlsv1.3'],
      ['CONFIG', 'SET', 'tls-protocols', ''],
      ['CONFIG', 'SET', 'tls-ciphers', 'NO-SUCH'],
      ['CONFIG', 'SET', 'tls-ciphers', 'HIGH:!aNULL'],
      ['CONFIG', 'SET', 'tls-ciphersuites', 'NOPE'],
      ['CONFIG', 'SET', 'tls-ciphersuites', 'TLS_NOPE'],
      ['CONFIG', 'SET', 'tls-ciphersuites', 'TLS_AES_128_GCM_SHA256'],
      ['CONFIG', 'SET', 'tls-key-file', certs.serverKeyEncrypted],
      ['CONFIG', 'SET', 'tls-key-file', certs.serverKeyEncrypted, 'tls-key-file-pass', 'wrong'],
      ['CONFIG', 'SET', 'tls-key-file', certs.serverKeyEncrypted, 'tls-key-file-pass', certs.serverKeyPass],
      ['CONFIG', 'SET', 'tls-dh-params-file', '/nonexistent'],
      ['CONFIG', 'SET', 'tls-ca-cert-dir', '/nonexistent'],
      ['CONFIG', 'SET', 'tls-ca-cert-file', '', 'tls-ca-cert-dir', ''],
      ['CONFIG', 'SET', 'tls-auth-clients', 'maybe'],
      ['CONFIG', 'SET', 'tls-auth-clients', 'OPTIONAL'],
      ['CONFIG', 'SET', 'tls-prefer-server-ciphers', 'yes', 'tls-session-caching', 'no', 'tls-session-cache-timeout', '60'],
      ['CONFIG', 'SET', 'tls-session-cache-size', '-1'],
      ['CONFIG', 'SET', 'tls-replication', 'maybe'],
    ];
    const replay = async (port: number): Promise<PlainReply[]> => {
      const client = await RawClient.connect(port);
      try {
        const replies: PlainReply[] = [];
        for (const command of commands) replies.push(replyToPlain(await client.callArgs(command)));
        // CONFIG GET's order is Redis's dict order: compare the pairs sorted; tls-port differs by nature.
        const all = replyToPlain(await client.call('CONFIG', 'GET', 'tls-*')) as string[];
        const pairs: string[] = [];
        for (let i = 0; i < all.length; i += 2) if (all[i] !== 'tls-port') pairs.push(`${all[i]}=${all[i + 1]}`);
        replies.push(pairs.sort());
        return replies;
      } finally {
        await client.close();
      }
    };
    try {
      const expected = await replay(redis.port);
      const actual = await replay(ours.port);
      expect(actual).toEqual(expected);
    } finally {
      await ours.close();
      await redis.stop();
    }
  });
});
