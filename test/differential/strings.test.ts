/**
 * Differential test of the string commands: random sequences over a small
 * key pool, compared byte for byte with a real redis-server.
 * DIFF_CANDIDATE=redis runs it redis-vs-redis; DIFF_SEED replays a seed.
 */
import { describe, expect, it } from 'vitest';
import { testSeeds } from '../helpers/random.js';
import { runDifferential } from './harness.js';
import { createStringCommandGenerator } from './string-commands.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2500;

describe.skipIf(!redisAvailable('differential strings'))('differential: string commands', () => {
  const targets = useDifferentialTargets();

  for (const seed of testSeeds('differential strings')) {
    it(`matches redis on ${COMMANDS_PER_RUN} random string commands (seed ${seed})`, async () => {
      const result = await runDifferential({
        name: 'strings',
        seed,
        count: COMMANDS_PER_RUN,
        generate: createStringCommandGenerator(),
        reference: targets.reference,
        candidate: targets.candidate,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      // Guard against a generator that only provokes errors: most commands must succeed.
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN / 2);
      for (const name of ['SET', 'GET', 'GETEX', 'INCRBYFLOAT', 'LCS', 'SETRANGE']) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
    });
  }
});
