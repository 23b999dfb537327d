/**
 * BlockingManager (src/server/blocking.ts) on its own, with stand-in
 * clients and fake timers: waiters are served first come first served, a
 * waiter the key can't satisfy keeps its place, timeouts answer the
 * command's "nothing" reply, CLIENT UNBLOCK ends the wait, a disconnected
 * client is forgotten, and each waiter is served in its own database.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TableEntry } from '../../../src/commands/table.js';
import type { BlockRequest } from '../../../src/commands/types.js';
import { BlockingManager, type BlockableClient } from '../../../src/server/blocking.js';

interface StandIn {
  client: BlockableClient;
  /** What happened to it, in order: 'served k', 'timeout', 'error ...', 'resumed'. */
  log: string[];
  /** The databases it was switched to. */
  selected: number[];
}

const blpop = { fullName: 'blpop' } as unknown as TableEntry;

function standIn(id: number, dbId = 0): StandIn {
  const log: string[] = [];
  const selected: number[] = [];
  const client = {
    id,
    db: { id: dbId },
    currentCommand: blpop,
    selectDb(index: number) {
      selected.push(index);
      (client as { db: { id: number } }).db = { id: index };
    },
    reply: { error: (message: string) => log.push('error ' + message) },
    log: { error: () => undefined },
    // A timeout waits while a script is busy (blocking.ts timeOut): no script runs here.
    server: { scripting: { busy: false } },
    resumeAfterUnblock: () => log.push('resumed'),
  };
  return { client: client as unknown as BlockableClient, log, selected };
}

/** A request that is served when `stock` (shared by the waiters of one test) has something. */
function request(who: StandIn, keys: string[], stock: { count: number }, timeoutMs = 0, accepts = () => true): BlockRequest {
  return {
    keys,
    timeoutMs,
    tryServe: (key) => {
      if (stock.count === 0 || !accepts()) return false;
      stock.count--;
      who.log.push('served ' + key + ' in db ' + who.client.db.id);
      return true;
    },
    onTimeout: () => who.log.push('timeout'),
  };
}

describe('BlockingManager', () => {
  let attempts: string[];
  let manager: BlockingManager;

  beforeEach(() => {
    vi.useFakeTimers();
    attempts = [];
    manager = new BlockingManager((client, entry, attempt) => {
      attempts.push(`${client.id} ${entry.fullName}`);
      return attempt();
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves the waiters of a key in the order they blocked, as commands under their own name', () => {
    const stock = { count: 0 };
    const clients = [standIn(1), standIn(2), standIn(3)];
    for (const c of clients) manager.block(c.client, request(c, ['k'], stock), 0);
    expect(manager.blockedClients).toBe(3);

    stock.count = 2;
    manager.signal(0, 'k');
    manager.serveReady();
    expect(clients.map((c) => c.log)).toEqual([['served k in db 0', 'resumed'], ['served k in db 0', 'resumed'], []]);
    expect(attempts).toEqual(['1 blpop', '2 blpop', '3 blpop']);
    expect(manager.isBlocked(clients[2]!.client)).toBe(true);
    expect(manager.blockedClients).toBe(1);
  });

  it('serves nothing until a key is signalled, and only in the signalled database', () => {
    const stock = { count: 5 };
    const a = standIn(1, 0);
    manager.block(a.client, request(a, ['k'], stock), 0);
    manager.serveReady();
    manager.signal(1, 'k');
    manager.signal(0, 'other');
    manager.serveReady();
    expect(a.log).toEqual([]);
    manager.signal(0, 'k');
    manager.serveReady();
    expect(a.log).toEqual(['served k in db 0', 'resumed']);
  });

  it("serves a waiter in its own database and gives the client back its current one", () => {
    const stock = { count: 1 };
    const a = standIn(1, 3);
    manager.block(a.client, request(a, ['k'], stock), 0);
    a.client.selectDb(5);
    manager.signal(3, 'k');
    manager.serveReady();
    expect(a.log).toEqual(['served k in db 3', 'resumed']);
    expect(a.client.db.id).toBe(5);
  });

  it("a waiter the key can't satisfy keeps its place; the ones behind it get a try", () => {
    const stock = { count: 1 };
    let firstAccepts = false;
    const first = standIn(1);
    const second = standIn(2);
    const third = standIn(3);
    manager.block(first.client, request(first, ['k'], stock, 0, () => firstAccepts), 0);
    manager.block(second.client, request(second, ['k'], stock), 0);
    manager.block(third.client, request(third, ['k'], stock), 0);

    manager.signal(0, 'k');
    manager.serveReady();
    expect([first.log, second.log, third.log]).toEqual([[], ['served k in db 0', 'resumed'], []]);

    // The first waiter is still ahead of the third.
    firstAccepts = true;
    stock.count = 1;
    manager.signal(0, 'k');
    manager.serveReady();
    expect([first.log, third.log]).toEqual([['served k in db 0', 'resumed'], []]);
    expect(manager.blockedClients).toBe(1);
  });

  it('a waiter on several keys is served once, from the key that became ready', () => {
    const stock = { count: 2 };
    const a = standIn(1);
    manager.block(a.client, request(a, ['x', 'y', 'x'], stock), 0);
    manager.signal(0, 'y');
    manager.signal(0, 'x');
    manager.serveReady();
    expect(a.log).toEqual(['served y in db 0', 'resumed']);
    expect(stock.count).toBe(1);
    expect(manager.blockedClients).toBe(0);
  });

  it('a serve that signals another key serves its waiters in the same pass (BLMOVE chains)', () => {
    const a = standIn(1);
    const b = standIn(2);
    const stock = { count: 1 };
    manager.block(b.client, request(b, ['dst'], stock), 0);
    manager.block(a.client, {
      keys: ['src'],
      timeoutMs: 0,
      tryServe: () => {
        a.log.push('moved');
        manager.signal(0, 'dst');
        return true;
      },
      onTimeout: () => a.log.push('timeout'),
    }, 0);
    manager.signal(0, 'src');
    manager.serveReady();
    expect(a.log).toEqual(['moved', 'resumed']);
    expect(b.log).toEqual(['served dst in db 0', 'resumed']);
  });

  it('times out at the deadline with the timeout reply, and a timeout of 0 waits forever', () => {
    const stock = { count: 0 };
    const timed = standIn(1);
    const forever = standIn(2);
    manager.block(timed.client, request(timed, ['k'], stock, 1_100), 1_000);
    manager.block(forever.client, request(forever, ['k'], stock, 0), 1_000);
    vi.advanceTimersByTime(99);
    expect(timed.log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(timed.log).toEqual(['timeout', 'resumed']);
    expect(manager.isBlocked(timed.client)).toBe(false);
    vi.advanceTimersByTime(10 * 24 * 3600 * 1000);
    expect(forever.log).toEqual([]);
    expect(manager.isBlocked(forever.client)).toBe(true);
  });

  it('waits past the largest setTimeout delay in steps, not 1 ms', () => {
    const stock = { count: 0 };
    const a = standIn(1);
    const month = 30 * 24 * 3600 * 1000;
    manager.block(a.client, request(a, ['k'], stock, month), 0);
    vi.advanceTimersByTime(2 ** 31);
    expect(a.log).toEqual([]);
    vi.advanceTimersByTime(month - 2 ** 31 - 1);
    expect(a.log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(a.log).toEqual(['timeout', 'resumed']);
  });

  it('a served waiter does not time out later', () => {
    const stock = { count: 1 };
    const a = standIn(1);
    manager.block(a.client, request(a, ['k'], stock, 50), 0);
    manager.signal(0, 'k');
    manager.serveReady();
    vi.advanceTimersByTime(100);
    expect(a.log).toEqual(['served k in db 0', 'resumed']);
  });

  it('CLIENT UNBLOCK answers the timeout reply or the error, once', () => {
    const stock = { count: 0 };
    const a = standIn(1);
    const b = standIn(2);
    manager.block(a.client, request(a, ['k'], stock, 50), 0);
    manager.block(b.client, request(b, ['k'], stock), 0);
    expect(manager.unblock(a.client, null)).toBe(true);
    expect(manager.unblock(b.client, 'UNBLOCKED client unblocked via CLIENT UNBLOCK')).toBe(true);
    expect(manager.unblock(a.client, null)).toBe(false);
    vi.advanceTimersByTime(100);
    expect(a.log).toEqual(['timeout', 'resumed']);
    expect(b.log).toEqual(['error UNBLOCKED client unblocked via CLIENT UNBLOCK', 'resumed']);
    expect(manager.blockedClients).toBe(0);
  });

  it('drops a disconnected client without a reply; it is never served or timed out', () => {
    const stock = { count: 1 };
    const gone = standIn(1);
    const next = standIn(2);
    manager.block(gone.client, request(gone, ['k'], stock, 50), 0);
    manager.block(next.client, request(next, ['k'], stock), 0);
    manager.drop(gone.client);
    expect(manager.isBlocked(gone.client)).toBe(false);
    manager.signal(0, 'k');
    manager.serveReady();
    vi.advanceTimersByTime(100);
    expect(gone.log).toEqual([]);
    expect(next.log).toEqual(['served k in db 0', 'resumed']);
    expect(attempts).toEqual(['2 blpop']);
  });

  it('signalDatabase makes every waited key of that database ready', () => {
    const stock = { count: 2 };
    const a = standIn(1, 0);
    const b = standIn(2, 0);
    const other = standIn(3, 1);
    manager.block(a.client, request(a, ['x'], stock), 0);
    manager.block(b.client, request(b, ['y'], stock), 0);
    manager.block(other.client, request(other, ['x'], stock), 0);
    manager.signalDatabase(0);
    manager.serveReady();
    expect([a.log, b.log, other.log]).toEqual([['served x in db 0', 'resumed'], ['served y in db 0', 'resumed'], []]);
  });
});
