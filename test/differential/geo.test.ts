/**
 * Differential test of the GEO commands against redis-server 7.0.15, raw
 * replies compared byte for byte in RESP2 and RESP3 (where coordinates are
 * doubles and distances stay bulk strings):
 *
 * - random sequences from geo-commands.ts: every command and option, points
 *   near the poles' limit and the antimeridian, clusters with equal
 *   distances, odd scores decoded, STORE destinations read back;
 * - fixed probes of the edges: the exact limits, each error text, ties in
 *   the COUNT sort (pqsort past 40 elements, where it picks its pivots by
 *   ninther), and searches whose cells wrap round the ±180 meridian.
 *
 * DIFF_CANDIDATE=redis runs it redis-vs-redis; DIFF_SEED replays a seed.
 */
import { describe, expect, it } from 'vitest';
import { Rng, testSeeds } from '../helpers/random.js';
import { RawClient, escapeBytes, formatCommand, type Command } from '../helpers/resp-client.js';
import { createGeoCommandGenerator } from './geo-commands.js';
import { runDifferential } from './harness.js';
import { redisAvailable, useDifferentialTargets } from './targets.js';

const COMMANDS_PER_RUN = 2000;

describe.skipIf(!redisAvailable('differential geo'))('differential: GEO commands', () => {
  const targets = useDifferentialTargets();

  const [fixedSeed, randomSeed] = testSeeds('differential geo');
  const runs = [
    [fixedSeed, 2],
    [fixedSeed, 3],
    [randomSeed, 2],
    [randomSeed, 3],
  ] as const;
  for (const [seed, protocol] of runs) {
    it(`matches redis on ${COMMANDS_PER_RUN} random GEO commands (seed ${seed}, RESP${protocol})`, async () => {
      const result = await runDifferential({
        name: `geo RESP${protocol}`,
        seed,
        count: COMMANDS_PER_RUN,
        protocol,
        generate: createGeoCommandGenerator(),
        reference: targets.reference,
        candidate: targets.candidate,
      });
      expect(result.commands).toBe(COMMANDS_PER_RUN);
      expect(result.errorReplies).toBeLessThan(COMMANDS_PER_RUN / 3);
      for (const name of ['GEOADD', 'GEODIST', 'GEOHASH', 'GEOPOS', 'GEORADIUS', 'GEORADIUS_RO', 'GEORADIUSBYMEMBER', 'GEORADIUSBYMEMBER_RO', 'GEOSEARCH', 'GEOSEARCHSTORE']) {
        expect(result.commandCounts.get(name) ?? 0, `${name} was generated`).toBeGreaterThan(0);
      }
    });
  }

  /** Sends each command to both servers in RESP2 and RESP3 and compares every reply exactly. */
  async function compareFixed(commands: readonly Command[]): Promise<number> {
    const reference = await RawClient.connect(targets.reference.port, { host: targets.reference.host });
    const candidate = await RawClient.connect(targets.candidate.port, { host: targets.candidate.host });
    let compared = 0;
    try {
      for (const protocol of ['2', '3']) {
        for (const client of [reference, candidate]) {
          await client.call('HELLO', protocol);
          await client.call('FLUSHALL');
        }
        for (const command of commands) {
          const [expected, actual] = await Promise.all([reference.callArgs(command), candidate.callArgs(command)]);
          expect(escapeBytes(actual, 4000), `RESP${protocol} ${formatCommand(command, 200)}`).toBe(escapeBytes(expected, 4000));
          compared++;
        }
      }
    } finally {
      await reference.close();
      await candidate.close();
    }
    return compared;
  }

  it('answers the edges of the map, every unit and every error text as redis does', async () => {
    const edges: Command[] = [
      ['GEOADD', 'g', '180', '85.05112878', 'ne', '-180', '-85.05112878', 'sw', '180', '-85.05112878', 'se', '-180', '85.05112878', 'nw'],
      ['GEOADD', 'g', '0', '0', 'origin', '-0', '-0', 'negzero', '179.9999999', '0', 'east', '-179.9999999', '0', 'west'],
      ['GEOADD', 'g', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania'],
      ['ZRANGE', 'g', '0', '-1', 'WITHSCORES'],
      ['GEOPOS', 'g', 'ne', 'sw', 'se', 'nw', 'origin', 'negzero', 'east', 'west', 'Palermo', 'missing'],
      ['GEOHASH', 'g', 'ne', 'sw', 'se', 'nw', 'origin', 'negzero', 'east', 'west', 'Palermo', 'missing'],
      ['GEODIST', 'g', 'ne', 'sw'],
      ['GEODIST', 'g', 'east', 'west', 'km'],
      ['GEODIST', 'g', 'Palermo', 'Catania', 'MI'],
      ['GEODIST', 'g', 'Palermo', 'Catania', 'ft'],
      ['GEODIST', 'g', 'Palermo', 'Palermo'],
      ['GEODIST', 'missing', 'a', 'b'],
      ['GEODIST', 'g', 'Palermo', 'missing', 'km'],
      ['GEODIST', 'g', 'Palermo', 'Catania', 'yards'],
      ['GEODIST', 'g', 'Palermo', 'Catania', 'km', 'extra'],
      // Searches across the antimeridian and at the poles' limit.
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'east', 'BYRADIUS', '100', 'km', 'WITHDIST', 'WITHCOORD', 'WITHHASH', 'ASC'],
      ['GEOSEARCH', 'g', 'FROMLONLAT', '180', '0', 'BYBOX', '50', '50', 'km', 'WITHDIST', 'DESC'],
      ['GEOSEARCH', 'g', 'FROMLONLAT', '0', '85.05112878', 'BYRADIUS', '20000', 'km', 'WITHDIST', 'ASC'],
      ['GEORADIUS', 'g', '-180', '-85.05112878', '5000', 'km', 'WITHCOORD'],
      ['GEORADIUSBYMEMBER', 'g', 'ne', '1', 'm', 'WITHDIST'],
      ['GEORADIUS', 'g', '0', '0', '0', 'm', 'WITHDIST'],
      // Error texts.
      ['GEOADD', 'g', '180.00001', '0', 'x'],
      ['GEOADD', 'g', '0', '-85.05112879', 'x'],
      ['GEOADD', 'g', '1e300', '-inf', 'x'],
      ['GEOADD', 'g', '-0.0000001', '-1e-7', 'x', '200', '0', 'y'],
      ['GEOADD', 'g', 'abc', '0', 'x'],
      ['GEOADD', 'g', 'NX', 'XX', '0', '0', 'x'],
      ['GEOADD', 'g', 'GT', '0', '0', 'x'],
      ['GEOADD', 'g', '0', '0'],
      ['GEOADD', 'g', 'CH', 'NX', 'CH'],
      ['GEORADIUS', 'g', '0', '0', '-1', 'km'],
      ['GEORADIUS', 'g', '0', '0', 'x', 'km'],
      ['GEORADIUS', 'g', '0', '0', '1', 'parsec'],
      ['GEORADIUS', 'g', '0', '0', '1', 'km', 'COUNT', '0'],
      ['GEORADIUS', 'g', '0', '0', '1', 'km', 'COUNT', 'x'],
      ['GEORADIUS', 'g', '0', '0', '1', 'km', 'COUNT'],
      ['GEORADIUS', 'g', '0', '0', '1', 'km', 'ANY'],
      ['GEORADIUS', 'g', '0', '0', '1', 'km', 'STORE', 'd', 'WITHDIST'],
      ['GEORADIUS_RO', 'g', '0', '0', '1', 'km', 'STORE', 'd'],
      ['GEORADIUSBYMEMBER', 'g', 'missing', '1', 'km'],
      ['GEORADIUSBYMEMBER', 'missing', 'x', 'not-a-radius', 'km', 'STORE', 'd'],
      ['GEOSEARCH', 'g', 'BYRADIUS', '1', 'km'],
      ['geosearch', 'g', 'FROMMEMBER', 'origin'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'origin', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'origin', 'BYRADIUS', '1', 'km', 'BYBOX', '1', '1', 'km'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'origin', 'BYBOX', '-1', '1', 'km'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'origin', 'BYBOX', 'w', '1', 'km'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'origin', 'BYBOX', '1', 'h', 'km'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'origin', 'BYRADIUS', '1', 'km', 'STORE', 'd'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'origin', 'BYRADIUS', '1', 'km', 'STOREDIST'],
      ['GEOSEARCH', 'g', 'FROMMEMBER', 'missing', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'g', 'FROMLONLAT', '0', '90', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCHSTORE', 'd', 'g', 'FROMMEMBER', 'origin', 'BYRADIUS', '1', 'km', 'WITHCOORD'],
      ['GEOSEARCHSTORE', 'd', 'missing', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCH', 'missing', 'FROMMEMBER', 'x', 'BYRADIUS', '1', 'km'],
      ['SET', 's', 'x'],
      ['GEOADD', 's', '0', '0', 'x'],
      ['GEOPOS', 's', 'x'],
      ['GEOHASH', 's', 'x'],
      ['GEODIST', 's', 'a', 'b'],
      ['GEOSEARCH', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      ['GEOSEARCHSTORE', 'd', 's', 'FROMLONLAT', '0', '0', 'BYRADIUS', '1', 'km'],
      // STORE results and what they replace.
      ['GEORADIUS', 'g', '14', '38', '300', 'km', 'STORE', 's'],
      ['TYPE', 's'],
      ['ZRANGE', 's', '0', '-1', 'WITHSCORES'],
      ['GEORADIUSBYMEMBER', 'g', 'Palermo', '300', 'km', 'STOREDIST', 's', 'COUNT', '1'],
      ['ZRANGE', 's', '0', '-1', 'WITHSCORES'],
      ['GEOSEARCHSTORE', 's', 'g', 'FROMLONLAT', '14', '38', 'BYBOX', '500', '500', 'mi', 'STOREDIST', 'DESC'],
      ['ZRANGE', 's', '0', '-1', 'WITHSCORES'],
      ['OBJECT', 'ENCODING', 's'],
      ['GEOSEARCHSTORE', 's', 'g', 'FROMLONLAT', '100', '10', 'BYRADIUS', '1', 'km'],
      ['EXISTS', 's'],
      // Keys as Redis's key specs find them: the first STORE and the first STOREDIST.
      ['COMMAND', 'GETKEYS', 'GEORADIUS', 'k0', '1', '1', '1', 'm', 'STORE', 'k1', 'STOREDIST', 'k2'],
      ['COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'k0', 'm', '1', 'km', 'STOREDIST', 'a', 'store', 'b', 'STORE', 'c'],
      ['COMMAND', 'GETKEYS', 'GEORADIUS_RO', 'k0', '1', '1', '1', 'm', 'STORE', 'k1'],
      ['COMMAND', 'GETKEYS', 'GEOSEARCHSTORE', 'd', 's', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'km'],
      ['COMMAND', 'GETKEYS', 'GEOADD', 'k', '1', '1', 'm'],
    ];
    expect(await compareFixed(edges)).toBe(edges.length * 2);
  });

  it('orders ties as redis does: qsort for a whole result, pqsort for the first COUNT', async () => {
    const rng = new Rng(fixedSeed);
    const commands: Command[] = [];
    // 300 members on 12 spots: most distances are shared by many members.
    const spots = Array.from({ length: 12 }, (_, i) => [String(2 + (i % 4) * 0.01), String(48 + Math.floor(i / 4) * 0.01)] as const);
    const add: string[] = ['GEOADD', 'ties'];
    for (let i = 0; i < 300; i++) add.push(...rng.pick(spots), `t${i}`);
    commands.push(add);
    for (const count of ['1', '3', '7', '8', '40', '41', '100', '299', '300', '301']) {
      for (const order of ['ASC', 'DESC']) {
        commands.push(['GEOSEARCH', 'ties', 'FROMLONLAT', '2.015', '48.01', 'BYRADIUS', '10', 'km', order, 'COUNT', count]);
        commands.push(['GEORADIUS', 'ties', '2', '48', '10', 'km', 'COUNT', count, order, 'WITHDIST']);
      }
      commands.push(['GEOSEARCH', 'ties', 'FROMMEMBER', 't5', 'BYBOX', '3', '3', 'km', 'COUNT', count, 'ANY']);
      commands.push(['GEOSEARCH', 'ties', 'FROMMEMBER', 't5', 'BYBOX', '3', '3', 'km', 'COUNT', count, 'ANY', 'DESC']);
    }
    commands.push(['GEOSEARCH', 'ties', 'FROMLONLAT', '2', '48', 'BYRADIUS', '10', 'km']);
    commands.push(['GEOSEARCH', 'ties', 'FROMLONLAT', '2', '48', 'BYRADIUS', '10', 'km', 'ASC']);
    expect(await compareFixed(commands)).toBe(commands.length * 2);
  });

  it('prints WITHDIST distances that lie next to a rounding boundary as redis does', async () => {
    // Found by random seed 1104193468: from this centre (latitude at the
    // map's limit) to p3, V8's Math.sin/cos/asin give a distance one ulp
    // off glibc's, and in feet that ulp decides the fourth decimal
    // (19478485.3194 in Redis 7.0.15). The scores are the members' own.
    const commands: Command[] = [
      ['ZADD', 'edge', '5066551907190826', 'centre', '3479485348015207', 'p3'],
      ['GEORADIUSBYMEMBER', 'edge', 'centre', '20000000', 'ft', 'WITHDIST'],
      ['GEORADIUSBYMEMBER', 'edge', 'centre', '20000000', 'ft', 'WITHCOORD', 'WITHHASH', 'ASC', 'WITHDIST'],
      ['GEOSEARCH', 'edge', 'FROMMEMBER', 'centre', 'BYRADIUS', '20000000', 'ft', 'WITHDIST'],
      ['GEOSEARCH', 'edge', 'FROMMEMBER', 'centre', 'BYBOX', '40000000', '40000000', 'ft', 'DESC', 'WITHDIST'],
      ['GEODIST', 'edge', 'centre', 'p3', 'ft'],
    ];
    expect(await compareFixed(commands)).toBe(commands.length * 2);
  });

  it('matches redis on searches of every size around random points, clustered and spread', async () => {
    const rng = new Rng(randomSeed);
    const commands: Command[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const add: string[] = ['GEOADD', 'world'];
      for (let i = 0; i < 100; i++) {
        const lon = rng.chance(0.2) ? 180 - rng.next() * 2 : rng.chance(0.25) ? -180 + rng.next() * 2 : rng.next() * 360 - 180;
        const lat = rng.chance(0.2) ? 85.05112878 - rng.next() : rng.chance(0.25) ? -85.05112878 + rng.next() : rng.next() * 170.1 - 85.05;
        add.push(String(lon), String(lat), `w${batch * 100 + i}`);
      }
      commands.push(add);
    }
    for (let i = 0; i < 150; i++) {
      const radius = String(rng.pick([1, 10, 100, 300, 1000, 3000, 8000, 15000, 20100]));
      const centre = rng.chance(0.5) ? ['FROMMEMBER', `w${rng.int(0, 999)}`] : ['FROMLONLAT', String(rng.next() * 360 - 180), String(rng.next() * 170 - 85)];
      const shape = rng.chance(0.5) ? ['BYRADIUS', radius, 'km'] : ['BYBOX', radius, String(rng.pick([1, 50, 500, 5000, 40000])), 'km'];
      commands.push(['GEOSEARCH', 'world', ...centre, ...shape, 'WITHDIST', 'WITHCOORD', 'WITHHASH', ...(rng.chance(0.5) ? ['ASC'] : [])]);
    }
    expect(await compareFixed(commands)).toBe(commands.length * 2);
  });
});

describe.skipIf(!redisAvailable('differential geo distances'))('differential: GEO distances to the last bit', () => {
  const targets = useDifferentialTargets();
  const [, randomSeed] = testSeeds('differential geo distances');

  /** The distance between two doubles in units of the last place of the larger. */
  function ulps(a: number, b: number): number {
    if (a === b) return 0;
    const scale = 2 ** (Math.floor(Math.log2(Math.max(Math.abs(a), Math.abs(b)))) - 52);
    return Math.abs(a - b) / scale;
  }

  it('GEODIST agrees to the printed digit, STOREDIST to within a few units in the last place', async () => {
    const rng = new Rng(randomSeed);
    const reference = await RawClient.connect(targets.reference.port, { host: targets.reference.host });
    const candidate = await RawClient.connect(targets.candidate.port, { host: targets.candidate.host });
    try {
      const add: string[] = ['GEOADD', 'pts'];
      for (let i = 0; i < 400; i++) add.push(String(rng.next() * 360 - 180), String(rng.next() * 170 - 85), `p${i}`);
      for (const client of [reference, candidate]) {
        await client.call('FLUSHALL');
        await client.callArgs(add);
      }
      for (let i = 0; i < 400; i++) {
        const command = ['GEODIST', 'pts', `p${rng.int(0, 399)}`, `p${rng.int(0, 399)}`, rng.pick(['m', 'km', 'ft', 'mi'])];
        const [expected, actual] = await Promise.all([reference.callArgs(command), candidate.callArgs(command)]);
        expect(escapeBytes(actual), formatCommand(command)).toBe(escapeBytes(expected));
      }
      let exact = 0;
      let total = 0;
      for (let i = 0; i < 20; i++) {
        const store = ['GEOSEARCHSTORE', 'd', 'pts', 'FROMMEMBER', `p${rng.int(0, 399)}`, 'BYRADIUS', String(rng.int(100, 20000)), 'km', 'STOREDIST'];
        const read = ['ZRANGE', 'd', '0', '-1', 'WITHSCORES'];
        const [expected, actual] = await Promise.all(
          [reference, candidate].map(async (client) => {
            await client.callArgs(store);
            return String((await client.callArgs(read)).toString('latin1')).split('\r\n').filter((line, k) => k % 2 === 0 && k > 0);
          }),
        );
        expect(actual!.length, formatCommand(store)).toBe(expected!.length);
        for (let k = 0; k + 1 < expected!.length; k += 2) {
          expect(actual![k], 'member order').toBe(expected![k]);
          const difference = ulps(Number(actual![k + 1]), Number(expected![k + 1]));
          expect(difference, `${expected![k]}: ${actual![k + 1]} vs redis ${expected![k + 1]}`).toBeLessThanOrEqual(8);
          if (difference === 0) exact++;
          total++;
        }
      }
      // Almost all are bit for bit; the rest differ by a few units in the last
      // place, where glibc's sin, cos or asin is not correctly rounded.
      expect(total).toBeGreaterThan(100);
      console.log(`[differential geo distances] STOREDIST: ${exact} of ${total} distances bit for bit`);
      expect(exact / total).toBeGreaterThan(0.9);
    } finally {
      await reference.close();
      await candidate.close();
    }
  });
});
