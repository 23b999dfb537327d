/**
 * Differential test of the hash and set commands: random sequences over a
 * small key pool (mixed with string commands, so WRONGTYPE paths are hit),
 * compared with a real redis-server byte for byte, unordered replies as
 * sorted elements and HSCAN/SSCAN as whole iterations. Then the random
 * commands, which the harness compares by reply type only, are compared
 * by shape: aggregate type, length, and whether the elements are distinct.
 */
import { describe, expect, it } from 'vitest';
import { Rng, testSeeds } from '../helpers/random.js';
import { RawClient, parseReply, type RespValue } from '../helpers/resp-client.js';
import { createCollectionCommandGenerator } from './collection-commands.js';
import { runDifferential } from './harness.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2500;

/**
 * The shape of a random pick's reply: type, length, nesting and, with
 * `distinct` (positive counts, where Redis promises it), whether its
 * elements are all different. Negative counts may or may not repeat.
 */
function shape(value: RespValue, distinct: boolean): string {
  switch (value.type) {
    case 'array':
    case 'set': {
      const texts = value.items.map((item) => JSON.stringify(item, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
      const repeats = distinct ? (new Set(texts).size === texts.length ? 'distinct' : 'repeats') : '';
      const inner = value.items.length > 0 ? shape(value.items[0]!, false) : '';
      return `${value.type}(${value.items.length}, ${repeats}, ${inner})`;
    }
    case 'error':
      return `error(${value.value})`;
    case 'null':
      return `null(${value.encoding})`;
    default:
      return value.type;
  }
}

describe.skipIf(!redisAvailable('differential collections'))('differential: hash and set commands', () => {
  const targets = useDifferentialTargets();

  const [fixedSeed, randomSeed] = testSeeds('differential collections');
  for (const [seed, protocol] of [[fixedSeed, 2], [fixedSeed, 3], [randomSeed, 2]] as const) {
    it(`matches redis on ${COMMANDS_PER_RUN} random hash and set commands (seed ${seed}, RESP${protocol})`, async () => {
      const result = await runDifferential({
        name: `collections RESP${protocol}`,
        seed,
        count: COMMANDS_PER_RUN,
        protocol,
        generate: createCollectionCommandGenerator(),
        reference: targets.reference,
        candidate: targets.candidate,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN / 2);
      for (const name of ['HSET', 'HINCRBYFLOAT', 'HSCAN', 'SADD', 'SPOP', 'SINTERSTORE', 'SDIFF', 'SSCAN', 'OBJECT']) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
    });
  }

  it(`random picks have the same shape on both servers (seed ${randomSeed})`, async () => {
    const rng = new Rng(randomSeed);
    const reference = await RawClient.connect(targets.reference.port, { host: targets.reference.host });
    const candidate = await RawClient.connect(targets.candidate.port, { host: targets.candidate.host });
    try {
      for (const protocol of ['2', '3']) {
        for (const client of [reference, candidate]) {
          await client.call('HELLO', protocol);
          await client.call('FLUSHALL');
        }
        for (let round = 0; round < 60; round++) {
          const size = rng.pick([1, 2, 3, 5, 20, 150, 600]);
          const numeric = rng.chance(0.5);
          const members = Array.from({ length: size }, (_, i) => (numeric ? String(i * 7 - 50) : `m${i}`));
          const setup = [['DEL', 's', 'h'], ['SADD', 's', ...members], ['HSET', 'h', ...members.flatMap((m) => [m, `v${m}`])]];
          const count = String(rng.pick([1, 2, 3, size - 1, size, size + 1, 100, -1, -3, -size, -700]));
          const probes = [
            ['SRANDMEMBER', 's', count], ['HRANDFIELD', 'h', count], ['HRANDFIELD', 'h', count, 'WITHVALUES'],
            ['SPOP', 's', count.replace('-', '')], ['SCARD', 's'], ['SPOP', 's'], ['SCARD', 's'],
          ];
          const replies = await Promise.all(
            [reference, candidate].map(async (client) => {
              for (const command of setup) await client.callArgs(command);
              return Promise.all(
                probes.map(async (command) => shape(parseReply(await client.callArgs(command)), !command[2]?.startsWith('-'))),
              );
            }),
          );
          expect(replies[1], `RESP${protocol} size ${size} count ${count}`).toEqual(replies[0]);
        }
      }
    } finally {
      await reference.close();
      await candidate.close();
    }
  });
});
