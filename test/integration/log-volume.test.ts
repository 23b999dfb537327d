/**
 * A client cannot flood the log: Redis logs a client's protocol error
 * only at verbose, so a server logging at notice (pino's info) writes
 * nothing for a burst of protocol errors, and still serves everyone.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { startServer } from '../../src/index.js';

function badClient(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('*1\r\n$x\r\n'));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (data += d));
    socket.on('close', () => resolve(data));
    socket.on('error', () => {});
  });
}

it('writes no line for protocol errors at notice level', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const server = await startServer({ port: 0, logger: pino({ level: 'info' }, stream) });
  try {
    const before = lines.length;
    const replies = await Promise.all(Array.from({ length: 100 }, () => badClient(server.port)));
    expect(new Set(replies)).toEqual(new Set(["-ERR Protocol error: invalid bulk length\r\n"]));
    expect(lines.slice(before)).toEqual([]);
  } finally {
    await server.close();
  }
});
