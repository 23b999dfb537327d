/**
 * Crash safety, CI-sized (the 100-cycle run is bench/aof-crash.mjs): a
 * writer pipelines acknowledged INCRs and SETs at a reddish-server child
 * process under `appendfsync always`, the process is killed with SIGKILL
 * at a random moment and restarted on the same directory, and no
 * acknowledged write may be missing. Then the AOF is cut at random bytes and
 * startup must follow aof-load-truncated. Runs the built dist/cli.js
 * (npm test builds it first).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the bench, shared with bench/aof-crash.mjs
import { crashCycles, truncationCheck } from '../../bench/lib/aof-crash.mjs';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reddish-aof-crash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('crash safety of the AOF', () => {
  it('loses no acknowledged write under appendfsync always across kill -9 cycles', { timeout: 120_000 }, async () => {
    const results = await crashCycles({ cli, dir, cycles: 4, policy: 'always' });
    for (const r of results) {
      // The writer got replies before the kill: the check is not vacuous.
      expect(r.ackedIncr + r.ackedSets, JSON.stringify(r)).toBeGreaterThan(0);
      expect(r.lost, JSON.stringify(r)).toBe(0);
    }
  });

  it('follows aof-load-truncated on a file cut at random bytes', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const refused = await truncationCheck({ cli, dir, loadTruncated: false });
      if (refused.atBoundary) expect(refused.started).toBe(true);
      else {
        expect(refused.started).toBe(false);
        expect(refused.output).toContain('Unexpected end of file reading the append only file');
        expect(refused.sizeAfter).toBe(refused.cut);
      }
      const accepted = await truncationCheck({ cli, dir, loadTruncated: true });
      expect(accepted.started).toBe(true);
      expect(accepted.sizeAfter).toBe(accepted.lastWhole);
      if (!accepted.atBoundary) expect(accepted.output).toContain('loaded anyway because aof-load-truncated is enabled');
    }
  });
});
