/**
 * Reading client sockets without Node's Readable stream layer.
 *
 * A `data` event costs more than it looks: Node allocates a Buffer for each
 * read, pushes it through the Readable state machine, and schedules a
 * `maybeReadMore` tick. Node's documented `onread` socket option skips all
 * of that: reads land in a caller-supplied buffer and go straight to a
 * callback. A two-socket experiment on this machine (a bare PING server
 * either way, redis-benchmark PING_MBULK -P 1 -c 50) measured 9.8 µs of
 * server CPU per request with `onread` against 11.3 µs with `data` events.
 *
 * `net.Server` offers no `onread`, so an accepted socket's handle is moved
 * into a new `net.Socket` constructed with it. That uses the `handle`
 * constructor option and the `_handle` property, which are Node internals
 * (net.Server itself builds sockets that way); when they are not there,
 * adoptSocket returns null and the caller reads `data` events as before.
 *
 * Every adopted socket of a server reads into the same buffer. That is safe
 * because reads are delivered one at a time on the main thread, and the
 * callback consumes each chunk before returning (RequestParser copies what
 * it must keep: see its `borrowedChunks`).
 */
import net from 'node:net';

/** The size of one read, as Node's own default allocation. */
export const READ_BUFFER_SIZE = 64 * 1024;

interface StreamHandle {
  readStart(): number;
  useUserBuffer(buffer: Uint8Array): void;
}

/**
 * Moves `raw`'s handle into a socket that reads into `buffer` and hands
 * each read to `onChunk` as `buffer` and the byte count (valid until the
 * callback returns; no view is made per read). `raw` must have been accepted paused (pauseOnConnect). It is
 * destroyed without its handle, which releases net.Server's count of it.
 */
export function adoptSocket(raw: net.Socket, buffer: Buffer, onChunk: (buffer: Buffer, length: number) => void): net.Socket | null {
  const holder = raw as unknown as { _handle: StreamHandle | null | undefined };
  const handle = holder._handle;
  if (handle === null || handle === undefined || typeof handle.readStart !== 'function' || typeof handle.useUserBuffer !== 'function') {
    return null;
  }
  holder._handle = null;
  raw.destroy();
  const options = {
    handle,
    readable: true,
    writable: true,
    onread: {
      buffer,
      callback: (bytes: number): boolean => {
        onChunk(buffer, bytes);
        return true;
      },
    },
  };
  return new net.Socket(options as net.SocketConstructorOpts);
}
