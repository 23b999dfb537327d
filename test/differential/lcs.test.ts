/**
 * LCS against redis-server 7.0.15 (t_string.c lcsCommand), over strings
 * longer and more alike than the random string run's pool: runs of one
 * alphabet of four letters, so that the match ranges, their order, IDX's
 * ranges, MINMATCHLEN's filter and WITHMATCHLEN's lengths all get
 * exercised, RESP2 and RESP3 alike. Replies compared byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { Rng, testSeeds } from '../helpers/random.js';
import { repliesFromBoth } from '../helpers/redis-server.js';
import { redisAvailable } from './targets.js';

describe.skipIf(!redisAvailable('differential LCS'))('differential: LCS', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  function randomText(rng: Rng, maxLength: number): string {
    let text = '';
    for (let n = rng.int(0, maxLength); n > 0; n--) text += rng.pick(['a', 'b', 'c', 'd']);
    return text;
  }

  for (const seed of testSeeds('differential LCS')) {
    it(`matches redis on LCS with every option over random strings (seed ${seed})`, async () => {
      const rng = new Rng(seed);
      const commands: string[][] = [];
      for (const protocol of ['2', '3']) {
        commands.push(['HELLO', protocol]);
        for (let round = 0; round < 60; round++) {
          commands.push(['SET', 'a', randomText(rng, 120)], ['SET', 'b', randomText(rng, 120)]);
          commands.push(['LCS', 'a', 'b'], ['LCS', 'a', 'b', 'LEN'], ['LCS', 'b', 'a', 'IDX']);
          const minmatchlen = rng.pick(['0', '1', '2', '3', '5', '-4']);
          commands.push(['LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', minmatchlen, 'WITHMATCHLEN']);
          commands.push(['LCS', 'a', 'b', 'WITHMATCHLEN', 'IDX', 'MINMATCHLEN', minmatchlen]);
        }
        commands.push(['LCS', 'a', 'missing', 'IDX', 'WITHMATCHLEN'], ['LCS', 'missing', 'other'], ['LCS', 'a', 'b', 'LEN', 'IDX']);
      }
      const pairs = await repliesFromBoth(commands, server.port);
      // HELLO's reply carries each server's own client id.
      const differing = pairs.filter((p) => p.command[0] !== 'HELLO' && p.ours !== p.theirs);
      expect(differing.slice(0, 3)).toEqual([]);
      expect(pairs.length).toBe(commands.length);
    });
  }
});
