/**
 * Differential test of the stream commands: random sequences over a small
 * pool of streams (see stream-commands.ts), compared byte for byte with a
 * real redis-server in RESP2 and RESP3. DIFF_CANDIDATE=redis runs it
 * redis-vs-redis; DIFF_SEED replays a seed.
 */
import { describe, expect, it } from 'vitest';
import { testSeeds } from '../helpers/random.js';
import { runDifferential } from './harness.js';
import { StreamCommandGenerator } from './stream-commands.js';
import { STREAM_GROUP_RULES, groupCommand } from './stream-group-commands.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2500;

describe.skipIf(!redisAvailable('differential streams'))('differential: stream commands', () => {
  const targets = useDifferentialTargets();

  const [fixedSeed, randomSeed] = testSeeds('differential streams');
  const runs = [
    { seed: fixedSeed, protocol: 2 as const },
    { seed: randomSeed, protocol: 2 as const },
    { seed: fixedSeed + 1, protocol: 3 as const },
  ];
  for (const { seed, protocol } of runs) {
    it(`matches redis on ${COMMANDS_PER_RUN} random stream commands (seed ${seed}, RESP${protocol})`, async () => {
      const generator = new StreamCommandGenerator(groupCommand);
      const result = await runDifferential({
        name: `streams RESP${protocol}`,
        seed,
        count: COMMANDS_PER_RUN,
        generate: (rng) => generator.next(rng),
        reference: targets.reference,
        candidate: targets.candidate,
        protocol,
        normalize: STREAM_GROUP_RULES,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      // Bad IDs, IDs below the top, missing groups and WRONGTYPE make many errors; far more means a broken generator.
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN * 0.6);
      for (const name of ['XADD', 'XRANGE', 'XREVRANGE', 'XDEL', 'XTRIM', 'XLEN', 'COPY', 'XGROUP', 'XREADGROUP', 'XREAD', 'XACK', 'XPENDING', 'XCLAIM', 'XAUTOCLAIM', 'XINFO', 'XSETID']) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
      expect(result.replyTypes.get('*') ?? 0).toBeGreaterThan(COMMANDS_PER_RUN / 10);
    });
  }
});
