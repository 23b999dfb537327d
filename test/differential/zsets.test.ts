/**
 * Differential test of the sorted set commands: random sequences over a
 * small key pool (with a string and a plain set among the keys), compared
 * with a real redis-server byte for byte in RESP2 and RESP3, ZSCAN as whole
 * iterations. ZRANDMEMBER, which the harness compares by reply type only,
 * is then compared by shape: type, length, nesting and distinctness.
 * DIFF_CANDIDATE=redis runs it redis-vs-redis; DIFF_SEED replays a seed.
 */
import { describe, expect, it } from 'vitest';
import { Rng, testSeeds } from '../helpers/random.js';
import { RawClient, parseReply, type RespValue } from '../helpers/resp-client.js';
import { runDifferential } from './harness.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';
import { createZsetCommandGenerator } from './zset-commands.js';

const COMMANDS_PER_RUN = 2500;

/**
 * The shape of a random pick's reply: type, length and, with `distinct`
 * (positive counts, where Redis promises it), whether its elements are all
 * different; nested arrays (RESP3 WITHSCORES) by their first element.
 */
function shape(value: RespValue, distinct: boolean): string {
  switch (value.type) {
    case 'array': {
      const texts = value.items.map((item) => JSON.stringify(item, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
      const repeats = distinct ? (new Set(texts).size === texts.length ? 'distinct' : 'repeats') : '';
      const inner = value.items.length > 0 ? shape(value.items[0]!, false) : '';
      return `array(${value.items.length}, ${repeats}, ${inner})`;
    }
    case 'error':
      return `error(${value.value})`;
    case 'null':
      return `null(${value.encoding})`;
    default:
      return value.type;
  }
}

describe.skipIf(!redisAvailable('differential zsets'))('differential: sorted set commands', () => {
  const targets = useDifferentialTargets();

  /** Both servers back to the default encoding thresholds, so that every run starts alike. */
  async function resetConfig(): Promise<void> {
    for (const endpoint of [targets.reference, targets.candidate]) {
      const client = await RawClient.connect(endpoint.port, { host: endpoint.host });
      await client.call('CONFIG', 'SET', 'zset-max-listpack-entries', '128', 'zset-max-listpack-value', '64');
      await client.close();
    }
  }

  const [fixedSeed, randomSeed] = testSeeds('differential zsets');
  const runs = [
    [fixedSeed, 2, false], [fixedSeed, 3, false], [randomSeed, 2, false], [randomSeed, 3, false],
    [fixedSeed, 2, true], [randomSeed, 3, true],
  ] as const;
  for (const [seed, protocol, configChanges] of runs) {
    const config = configChanges ? ', with CONFIG SET of the listpack limits' : '';
    it(`matches redis on ${COMMANDS_PER_RUN} random sorted set commands (seed ${seed}, RESP${protocol}${config})`, async () => {
      await resetConfig();
      const result = await runDifferential({
        name: `zsets RESP${protocol}${config}`,
        seed,
        count: COMMANDS_PER_RUN,
        protocol,
        generate: createZsetCommandGenerator({ configChanges }),
        reference: targets.reference,
        candidate: targets.candidate,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN / 3);
      for (const name of ['ZADD', 'ZRANGE', 'ZRANGESTORE', 'ZUNIONSTORE', 'ZINTER', 'ZDIFF', 'ZMPOP', 'BZPOPMIN', 'ZSCAN', 'OBJECT']) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
    });
  }

  it(`ZRANDMEMBER replies have the same shape on both servers (seed ${randomSeed})`, async () => {
    const rng = new Rng(randomSeed);
    const reference = await RawClient.connect(targets.reference.port, { host: targets.reference.host });
    const candidate = await RawClient.connect(targets.candidate.port, { host: targets.candidate.host });
    await resetConfig();
    try {
      for (const protocol of ['2', '3']) {
        for (const client of [reference, candidate]) {
          await client.call('HELLO', protocol);
          await client.call('FLUSHALL');
        }
        for (let round = 0; round < 60; round++) {
          const size = rng.pick([1, 2, 3, 5, 20, 150, 600]);
          const members = Array.from({ length: size }, (_, i) => [String(rng.int(-100, 100) / 8), `m${i}`]).flat();
          const setup = [['DEL', 'z'], ['ZADD', 'z', ...members]];
          const count = String(rng.pick([1, 2, 3, size - 1, size, size + 1, 100, -1, -3, -size, -700]));
          const probes = [['ZRANDMEMBER', 'z'], ['ZRANDMEMBER', 'z', count], ['ZRANDMEMBER', 'z', count, 'WITHSCORES'], ['ZRANDMEMBER', 'nokey', count]];
          const replies = await Promise.all(
            [reference, candidate].map(async (client) => {
              for (const command of setup) await client.callArgs(command);
              return Promise.all(
                // Distinct members are promised for a positive count (a flat WITHSCORES reply may repeat scores).
                probes.map(async (command) => {
                  const distinct = command.length === 3 && !command[2]!.startsWith('-');
                  return shape(parseReply(await client.callArgs(command)), distinct);
                }),
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
