/**
 * What a client that has not authenticated yet is told, with requirepass
 * set. The texts were checked against redis-server 7.0.15, and the last
 * block compares both servers byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { findRedisServer, repliesFromBoth } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';

const PASSWORD = 's3cret';
const HELLO_NOAUTH =
  '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n';

let server: RunningServer;
let client: RawClient;

beforeAll(async () => {
  server = await startServer({ port: 0, requirepass: PASSWORD });
  client = await RawClient.connect(server.port);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

async function call(...args: string[]): Promise<string> {
  return (await client.call(...args)).toString('latin1');
}

describe('before AUTH', () => {
  it('HELLO with or without a version answers the NOAUTH text that names HELLO AUTH', async () => {
    expect(await call('HELLO', '3')).toBe(HELLO_NOAUTH);
    expect(await call('HELLO')).toBe(HELLO_NOAUTH);
    // The client stays on RESP2 and unauthenticated.
    expect(await call('GET', 'k')).toBe('-NOAUTH Authentication required.\r\n');
  });

  it('HELLO AUTH authenticates and switches protocol at once', async () => {
    const other = await RawClient.connect(server.port);
    try {
      expect((await other.call('HELLO', '3', 'AUTH', 'default', 'wrong')).toString()).toBe(
        '-WRONGPASS invalid username-password pair or user is disabled.\r\n',
      );
      expect((await other.call('HELLO', '3', 'AUTH', 'default', PASSWORD)).toString()).toMatch(/^%7\r\n/);
      expect((await other.call('GET', 'k')).toString()).toBe('_\r\n');
    } finally {
      await other.close();
    }
  });
});

describe('DEBUG before AUTH', () => {
  // Redis's processCommand refuses a protected command before it checks
  // authentication; reddish's dispatch checks authentication first. Flip to
  // `it` once dispatch checks enable-debug-command before the NOAUTH check.
  it('answers that DEBUG is not allowed, not NOAUTH, as Redis does', async () => {
    expect(await call('DEBUG', 'SLEEP', '0')).toBe(
      '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n',
    );
  });

  it('is refused after AUTH too, as enable-debug-command is no by default', async () => {
    const other = await RawClient.connect(server.port);
    try {
      expect((await other.call('AUTH', PASSWORD)).toString()).toBe('+OK\r\n');
      expect((await other.call('DEBUG', 'SLEEP', '0')).toString()).toMatch(/^-ERR DEBUG command not allowed\. /);
    } finally {
      await other.close();
    }
  });
});

/** Unauthenticated commands whose replies depend on no state. */
const BEFORE_AUTH: string[][] = [
  ['HELLO', '3'],
  ['HELLO'],
  ['HELLO', '2', 'AUTH', 'default', 'wrong'],
  ['HELLO', '4'],
  ['GET', 'k'],
  ['AUTH', 'wrong'],
  ['PING'],
];

describe.skipIf(findRedisServer() === null)('against redis-server with requirepass', () => {
  it('unauthenticated replies match byte for byte', async () => {
    const fresh = await startServer({ port: 0, requirepass: PASSWORD });
    try {
      const pairs = await repliesFromBoth(BEFORE_AUTH, fresh.port, { requirepass: PASSWORD });
      for (const { command, ours, theirs } of pairs) {
        expect({ command, reply: ours }).toEqual({ command, reply: theirs });
      }
    } finally {
      await fresh.close();
    }
  });
});
