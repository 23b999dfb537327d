/**
 * Differential test of the keyspace commands (existence, expiry, KEYS/SCAN,
 * renames, COPY/MOVE, databases, OBJECT ENCODING, unknown commands), compared
 * byte for byte with a real redis-server. SCAN is compared as the set of keys
 * a full iteration returns; TTL readings within a second of each other match.
 */
import { describe, expect, it } from 'vitest';
import { testSeeds } from '../helpers/random.js';
import { runDifferential } from './harness.js';
import { createKeyCommandGenerator } from './key-commands.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2500;

describe.skipIf(!redisAvailable('differential keys'))('differential: keyspace commands', () => {
  const targets = useDifferentialTargets();

  for (const seed of testSeeds('differential keys')) {
    it(`matches redis on ${COMMANDS_PER_RUN} random keyspace commands (seed ${seed})`, async () => {
      const result = await runDifferential({
        name: 'keys',
        seed,
        count: COMMANDS_PER_RUN,
        generate: createKeyCommandGenerator(),
        reference: targets.reference,
        candidate: targets.candidate,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN / 2);
      for (const name of ['EXPIRE', 'SCAN', 'KEYS', 'COPY', 'MOVE', 'SWAPDB', 'OBJECT']) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
    });
  }
});
