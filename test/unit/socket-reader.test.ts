import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { adoptSocket } from '../../src/server/socket-reader.js';

describe('adoptSocket', () => {
  it('declines a socket without a stream handle, so the caller falls back to data events', () => {
    const socket = new net.Socket();
    expect(adoptSocket(socket, Buffer.alloc(16), () => {})).toBeNull();
    socket.destroy();
  });

  it('delivers what the peer sends, in order, as views of the one buffer', async () => {
    const buffer = Buffer.alloc(64);
    const received: string[] = [];
    const views = new Set<ArrayBufferLike>();
    let adopted: net.Socket | null = null;
    const server = net.createServer({ pauseOnConnect: true }, (raw) => {
      adopted = adoptSocket(raw, buffer, (chunk, length) => {
        views.add(chunk.buffer);
        received.push(chunk.toString('latin1', 0, length));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise<void>((resolve) => client.on('connect', resolve));
    const text = 'x'.repeat(200) + 'end';
    client.write(text);
    await expect.poll(() => received.join('')).toBe(text);
    // 203 bytes through a 64-byte buffer: several reads, all into it.
    expect(received.length).toBeGreaterThan(3);
    expect([...views]).toEqual([buffer.buffer]);
    client.destroy();
    adopted!.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
