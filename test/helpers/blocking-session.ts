/**
 * What the blocking-command tests (lists, streams) share: a server on the
 * system clock (their timeouts are real timers), raw clients opened per
 * test and closed after it, and helpers to send now and read later, and to
 * wait until the server counts a number of blocked clients.
 */
import { afterEach, expect } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { RawClient, encodeCommand } from './resp-client.js';
import { useServer } from './server.js';

export interface BlockingSession {
  /** The server and its shared raw client, once useServer's beforeAll has run. */
  readonly server: RunningServer;
  readonly writer: RawClient;
  /** A new raw client, closed after the test. */
  client(): Promise<RawClient>;
  /** Sends a command whose reply is read later. */
  send(c: RawClient, ...args: string[]): void;
  reply(c: RawClient, timeoutMs?: number): Promise<string>;
  call(c: RawClient, ...args: string[]): Promise<string>;
  /** Resolves once the server counts `n` blocked clients (commands are sent asynchronously). */
  blockedClients(n: number): Promise<void>;
  /** Fails if `c` gets any reply within `ms`. */
  expectNoReply(c: RawClient, ms?: number): Promise<void>;
}

export function useBlockingSession(): BlockingSession {
  const t = useServer({ ioredis: false });
  let opened: RawClient[] = [];
  afterEach(async () => {
    await Promise.all(opened.map((client) => client.close()));
    opened = [];
  });
  return {
    get server() {
      return t.server;
    },
    get writer() {
      return t.raw;
    },
    async client() {
      const c = await RawClient.connect(t.server.port);
      opened.push(c);
      return c;
    },
    send(c, ...args) {
      c.sendRaw(encodeCommand(args));
    },
    async reply(c, timeoutMs = 2000) {
      return (await c.readReply(timeoutMs)).toString('latin1');
    },
    async call(c, ...args) {
      return (await c.call(...args)).toString('latin1');
    },
    async blockedClients(n) {
      const deadline = Date.now() + 2000;
      const blocking = t.server.server.blocking;
      while (blocking.blockedClients !== n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} blocked clients, have ${blocking.blockedClients}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async expectNoReply(c, ms = 100) {
      await expect(c.readReply(ms)).rejects.toThrow(/no complete reply/);
    },
  };
}
