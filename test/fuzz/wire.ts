/**
 * One fuzz input on a connection of its own: write its parts, half-close,
 * and take everything the server sends until it closes.
 *
 * A server closes a connection whose client has ended its side. Redis and
 * reddish both run every complete command that arrived before the FIN,
 * write the replies and then close, so the end of the reply stream is known
 * without waiting for silence. An input that leaves a command unfinished
 * (a bulk still due, a line without end) simply ends there.
 *
 * No module here imports vitest: bench/fuzz.mjs loads the same code.
 */
import net from 'node:net';
import { RawClient } from '../helpers/resp-client.js';

export interface Endpoint {
  host?: string;
  port: number;
}

export interface ExchangeResult {
  /** Every byte the server sent, in order. */
  reply: Buffer;
  /** The connection ended with a reset rather than a FIN (a server closing with our bytes unread). */
  reset: boolean;
  /** The server did not close within the timeout. */
  timedOut: boolean;
}

export interface ExchangeOptions {
  /** Pause between writes, so that they reach the server as separate reads. Default 0 (one event-loop turn). */
  gapMs?: number;
  /** How long to wait for the server to close. Default 5000. */
  timeoutMs?: number;
}

/** Writes are at most this big, so that a server closing early is seen between them. */
const MAX_WRITE = 16 * 1024;

const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));

/**
 * A write that fails (EPIPE, because the server closed after a protocol
 * error) makes Node destroy the socket before it reads what the server sent
 * first. So between writes the event loop gets a turn, which delivers any
 * reply and the server's close, and nothing more is written once the server
 * has closed. A server can still close between that turn and the next
 * write; `reset` then says the reply may be short, and the caller retries.
 */
export function exchange(endpoint: Endpoint, parts: readonly Buffer[], options: ExchangeOptions = {}): Promise<ExchangeResult> {
  const { gapMs = 0, timeoutMs = 5000 } = options;
  const writes: Buffer[] = [];
  for (const part of parts) {
    for (let at = 0; at < part.length; at += MAX_WRITE) writes.push(part.subarray(at, at + MAX_WRITE));
  }
  return new Promise((resolve) => {
    const socket = net.connect({ port: endpoint.port, host: endpoint.host ?? '127.0.0.1', allowHalfOpen: true });
    socket.setNoDelay(true);
    const received: Buffer[] = [];
    let reset = false;
    let serverDone = false;
    let finished = false;
    const finish = (timedOut: boolean): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ reply: Buffer.concat(received), reset, timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => {
      serverDone = true;
      socket.end();
    });
    // EPIPE or ECONNRESET: the server closed with bytes of ours unread.
    socket.on('error', () => {
      reset = true;
      serverDone = true;
    });
    socket.on('close', () => finish(false));
    socket.on('connect', async () => {
      for (let i = 0; i < writes.length; i++) {
        if (i > 0) await pause(gapMs);
        if (serverDone || finished) return;
        socket.write(writes[i]!);
      }
      if (!serverDone && !finished) socket.end();
    });
  });
}

/**
 * A RawClient to `endpoint`, retrying for up to `timeoutMs`: after a server
 * died, its supervisor (bench/fuzz.mjs) starts it again, and the fuzzers
 * carry on once it listens.
 */
export async function connectRetrying(endpoint: Endpoint, timeoutMs = 15_000): Promise<RawClient> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await RawClient.connect(endpoint.port, { host: endpoint.host });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
