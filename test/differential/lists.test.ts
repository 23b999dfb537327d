/**
 * Differential test of the list commands: random sequences over a small key
 * and value pool, mixed with a few other types' writes, compared byte for
 * byte with a real redis-server, in RESP2 and in RESP3 (where the null
 * kinds differ). Blocking forms only run where they answer at once (see
 * list-commands.ts). DIFF_CANDIDATE=redis runs it redis-vs-redis; DIFF_SEED
 * replays a seed.
 */
import { describe, expect, it } from 'vitest';
import { testSeeds } from '../helpers/random.js';
import { runDifferential } from './harness.js';
import { createListCommandGenerator } from './list-commands.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2500;

describe.skipIf(!redisAvailable('differential lists'))('differential: list commands', () => {
  const targets = useDifferentialTargets();

  const [fixedSeed, randomSeed] = testSeeds('differential lists');
  const runs = [
    { seed: fixedSeed, protocol: 2 as const },
    { seed: randomSeed, protocol: 2 as const },
    { seed: fixedSeed + 1, protocol: 3 as const },
  ];
  for (const { seed, protocol } of runs) {
    it(`matches redis on ${COMMANDS_PER_RUN} random list commands (seed ${seed}, RESP${protocol})`, async () => {
      const result = await runDifferential({
        name: `lists RESP${protocol}`,
        seed,
        count: COMMANDS_PER_RUN,
        generate: createListCommandGenerator(),
        reference: targets.reference,
        candidate: targets.candidate,
        protocol,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      // About a quarter are errors (bad arguments, WRONGTYPE); far more means a broken generator.
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN * 0.4);
      for (const name of ['LPUSH', 'LPOS', 'LINSERT', 'LMOVE', 'LMPOP', 'BLPOP', 'BLMPOP', 'BLMOVE', 'SADD']) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
      // Some lists must have grown and been read back, or the run proves little.
      expect(result.replyTypes.get('*') ?? 0).toBeGreaterThan(COMMANDS_PER_RUN / 20);
    });
  }
});
