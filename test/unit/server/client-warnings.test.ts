/**
 * ClientWarnings: at most N per-client warnings a second reach the log,
 * and the ones held back are counted in one line the next second.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { ClientWarnings } from '../../../src/server/client-warnings.js';

it('lets through perSecond warnings a second and reports the rest once', () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = pino({ level: 'info' }, stream);
  let now = 0;
  const warnings = new ClientWarnings(logger, 3, () => now);
  const allowed = Array.from({ length: 10 }, () => warnings.allow());
  expect(allowed).toEqual([true, true, true, false, false, false, false, false, false, false]);
  now = 999;
  expect(warnings.allow()).toBe(false);
  now = 1000;
  expect(warnings.allow()).toBe(true);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ suppressed: 8, level: 40 });
  now = 3000;
  expect(warnings.allow()).toBe(true);
  expect(lines).toHaveLength(1);
});
