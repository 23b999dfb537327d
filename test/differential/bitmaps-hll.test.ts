/**
 * Differential test of the bitmap and HyperLogLog commands: random
 * sequences over a small key pool, compared byte for byte with a real
 * redis-server. Bitmaps, HLLs, plain strings and a few lists and sets share
 * the keys, so SETBIT lands on HLLs (corrupting them in arbitrary ways),
 * PFADD meets bitmaps, and every command meets WRONGTYPE.
 * DIFF_CANDIDATE=redis runs it redis-vs-redis; DIFF_SEED replays a seed.
 */
import { describe, expect, it } from 'vitest';
import { testSeeds } from '../helpers/random.js';
import { createBitmapHllGenerator } from './bitmap-hll-commands.js';
import { runDifferential } from './harness.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2500;

describe.skipIf(!redisAvailable('differential bitmaps-hll'))('differential: bitmap and HyperLogLog commands', () => {
  const targets = useDifferentialTargets();

  for (const seed of testSeeds('differential bitmaps-hll')) {
    it(`matches redis on ${COMMANDS_PER_RUN} random bitmap and HLL commands (seed ${seed})`, async () => {
      const result = await runDifferential({
        name: 'bitmaps-hll',
        seed,
        count: COMMANDS_PER_RUN,
        generate: createBitmapHllGenerator(),
        reference: targets.reference,
        candidate: targets.candidate,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN / 2);
      const names = ['SETBIT', 'GETBIT', 'BITCOUNT', 'BITPOS', 'BITOP', 'BITFIELD', 'BITFIELD_RO', 'PFADD', 'PFCOUNT', 'PFMERGE', 'SET', 'GET', 'APPEND', 'DEL', 'LPUSH', 'SADD', 'OBJECT'];
      for (const name of names) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
      // Both array replies (BITFIELD) and bulk ones (GET of bitmaps and HLLs) were compared.
      expect(result.replyTypes.get('*') ?? 0).toBeGreaterThan(0);
      expect(result.replyTypes.get('$') ?? 0).toBeGreaterThan(0);
    });
  }
});
