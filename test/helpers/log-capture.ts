/** A pino logger for tests that read what the server logged. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** A pino logger at `info` whose lines land in `lines` (each line's message only). */
export function capturingLogger(lines: string[]): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line).msg as string);
      done();
    },
  });
  return pino({ level: 'info' }, stream);
}
