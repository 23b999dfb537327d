/**
 * A short run of the LOADCHUNK corruption fuzzer (chunk-fuzz.ts): real
 * BF/CF.SCANDUMP chunks, mutated and fed back. Every chunk must be answered
 * with OK or an error, never an internal error, the filter that results must
 * serve every command of its type, and an unmutated dump must load into a
 * filter that holds every item. `node bench/fuzz.mjs --chunks N` runs more.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { testSeeds } from '../helpers/random.js';
import { runChunkFuzz } from './chunk-fuzz.js';

const TRIALS_PER_SEED = 800;

describe('LOADCHUNK corruption fuzz', () => {
  let server: RunningServer;
  const errorLines: string[] = [];
  beforeAll(async () => {
    // The server sets the level from its loglevel parameter, so the lines are filtered here.
    const logger = pino({ level: 'error' }, {
      write: (line: string) => {
        if ((JSON.parse(line) as { level: number }).level >= 50) errorLines.push(line);
      },
    });
    server = await startServer({ port: 0, logger });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const seed of testSeeds('LOADCHUNK fuzz')) {
    it(`refuses or loads ${TRIALS_PER_SEED} corrupted dumps, never failing inside (seed ${seed})`, async () => {
      const result = await runChunkFuzz({ seed, trials: TRIALS_PER_SEED, endpoint: { port: server.port } });
      expect(result.trials).toBe(TRIALS_PER_SEED);
      expect(result.internalErrors).toEqual([]);
      expect(result.failures).toEqual([]);
      expect(errorLines).toEqual([]);
      // Both outcomes happen: the mutations are neither all fatal nor all harmless.
      expect(result.loaded).toBeGreaterThan(TRIALS_PER_SEED / 20);
      expect(result.refused).toBeGreaterThan(TRIALS_PER_SEED / 4);
    });
  }
});
