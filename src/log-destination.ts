/**
 * Where the CLI's pino logger writes: `logfile`, or standard output.
 *
 * A log reader must never be able to stop the server. When stdout is a pipe
 * or socket whose reader stops reading (a parent that hangs but keeps the
 * pipe open), the pipe fills, and then:
 * - pino's default synchronous writer retries EAGAIN in a sleep loop on the
 *   main thread (or blocks in write(2) on a blocking pipe): no client is
 *   served and SIGTERM's handler never runs;
 * - its asynchronous writer blocks a libuv pool thread in write(2), and
 *   process.exit then waits for that thread forever.
 * So a pipe or socket is written through a libuv stream instead, which
 * puts the descriptor in non-blocking mode, polls for writability and never
 * blocks. Unwritten lines are kept up to
 * LOG_BUFFER_LIMIT bytes; past it new lines are dropped. Files and
 * terminals keep pino's synchronous writer: their writes finish.
 */
import fs from 'node:fs';
import net from 'node:net';
import { pino } from 'pino';

/** Unwritten log bytes kept while a pipe reader is not reading. */
const LOG_BUFFER_LIMIT = 16 * 1024 * 1024;

export interface LogDestination {
  /** pino's destination interface: one serialized line. */
  write(line: string): void;
  /** Writes out what is pending (waiting at most `timeoutMs`), then calls `done`. */
  end(timeoutMs: number, done: () => void): void;
}

export function openLogDestination(logFile: string): LogDestination {
  if (logFile === '') {
    let stat: fs.Stats | null;
    try {
      stat = fs.fstatSync(1);
    } catch {
      stat = null; // stdout is closed: nothing to log to
    }
    if (stat === null) return { write: () => {}, end: (_timeout, done) => done() };
    if (stat.isFIFO() || stat.isSocket()) return streamDestination(1);
  }
  const file = pino.destination({ dest: logFile || 1, sync: true });
  file.on('error', () => {
    // A broken log file (disk full, EPIPE) must not stop the server.
  });
  return {
    write: (line) => file.write(line),
    end: (_timeout, done) => done(),
  };
}

function streamDestination(fd: number): LogDestination {
  const socket = new net.Socket({ fd, readable: false, writable: true });
  socket.on('error', () => {
    // The reader went away (EPIPE): logging stops, the server goes on.
  });
  return {
    write(line) {
      if (socket.destroyed || socket.writableLength > LOG_BUFFER_LIMIT) return;
      socket.write(line);
    },
    end(timeoutMs, done) {
      if (socket.destroyed || socket.writableLength === 0) {
        done();
        return;
      }
      const timer = setTimeout(done, timeoutMs);
      socket.once('drain', () => {
        clearTimeout(timer);
        done();
      });
    },
  };
}
