/**
 * dispatch's checks run in processCommand's order: the command exists →
 * the arity fits → the client is authenticated → inside MULTI it is queued
 * → call(). Each test sends a command that fails two checks at once and
 * expects the earlier check's answer; the handler runs only past all four.
 */
import { describe, expect, it } from 'vitest';
import { createServer } from '../../../src/index.js';
import { FakeClient } from '../../../src/server/fake-client.js';

function setup() {
  const server = createServer({ requirepass: 'secret' });
  const client = new FakeClient(server, 0);
  client.inExec = false;
  client.authenticated = false;
  const run = (...argv: string[]) => server.execute(argv, client);
  return { server, client, run };
}

describe('dispatch check order', () => {
  it('an unknown command is answered before arity and authentication', () => {
    const { server, run } = setup();
    expect(run('NOSUCH', 'a')).toBe("-ERR unknown command 'NOSUCH', with args beginning with: 'a' \r\n");
    expect(server.stats.totalCommands).toBe(0);
  });

  it('a wrong arity is answered before authentication', () => {
    const { server, run } = setup();
    expect(run('GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(run('CONFIG', 'GET')).toBe("-ERR wrong number of arguments for 'config|get' command\r\n");
    expect(server.commands.lookup('get')!.stats.rejectedCalls).toBe(1);
  });

  it('an unauthenticated client gets NOAUTH for a known command of the right arity, and nothing runs', () => {
    const { server, client, run } = setup();
    expect(run('SET', 'k', 'v')).toBe('-NOAUTH Authentication required.\r\n');
    expect(server.keyspace.databases[0]!.size).toBe(0);
    expect(server.commands.lookup('set')!.stats).toMatchObject({ calls: 0, rejectedCalls: 1 });
    // Commands flagged no_auth run.
    expect(run('AUTH', 'secret')).toBe('+OK\r\n');
    expect(client.authenticated).toBe(true);
  });

  it('inside MULTI, checked commands are queued, not called; unknown and wrong-arity ones doom the EXEC', () => {
    const { server, client, run } = setup();
    client.authenticated = true;
    expect(run('MULTI')).toBe('+OK\r\n');
    expect(run('DEL', 'k')).toBe('+QUEUED\r\n');
    expect(run('CONFIG', 'GET', 'port')).toBe('+QUEUED\r\n');
    expect(client.multi!.queue.map((q) => q.entry.fullName)).toEqual(['del', 'config|get']);
    expect(server.commands.lookup('del')!.stats.calls).toBe(0);
    expect(client.multi!.failed).toBe(false);
    expect(run('GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
    expect(client.multi!.failed).toBe(true);
    expect(run('EXEC')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
    expect(server.commands.lookup('del')!.stats.calls).toBe(0);
  });

  it('inside MULTI, the transaction commands and WATCH run at once, and a no_multi command is refused', () => {
    const { client, run } = setup();
    client.authenticated = true;
    run('MULTI');
    expect(run('WATCH', 'k')).toBe('-ERR WATCH inside MULTI is not allowed\r\n');
    expect(run('MULTI')).toBe('-ERR MULTI calls can not be nested\r\n');
    expect(client.multi!.failed).toBe(false);
    expect(run('SHUTDOWN')).toBe('-ERR Command not allowed inside a transaction\r\n');
    expect(client.multi!.failed).toBe(true);
    expect(run('DISCARD')).toBe('+OK\r\n');
    expect(client.multi).toBeNull();
  });

  it('past every check the handler is called, and EXEC calls the queued commands in order', () => {
    const { server, client, run } = setup();
    client.authenticated = true;
    run('MULTI');
    run('COPY', 'a', 'b');
    run('EXPIRE', 'a', '100');
    run('DBSIZE');
    expect(run('EXEC')).toBe('*3\r\n:0\r\n:0\r\n:0\r\n');
    expect(server.commands.lookup('copy')!.stats.calls).toBe(1);
    expect(server.commands.lookup('expire')!.stats.calls).toBe(1);
    expect(run('DBSIZE')).toBe(':0\r\n');
  });
});
