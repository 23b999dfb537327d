/**
 * A CI-sized run of the RDB object fuzzer (restore-fuzz.ts): mutated
 * payloads of every type and encoding load into a value, an empty key or
 * Redis's corruption error, never anything else, and fast; then a few
 * hundred of them go through RESTORE on a live server, which answers OK or
 * "Bad data format", keeps answering, and can read and DUMP what it took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { Rng } from '../helpers/random.js';
import { RawClient } from '../helpers/resp-client.js';
import { mutate, runRestoreFuzz, seedPayloads, withFooter } from './restore-fuzz.js';

describe('RESTORE payload fuzz', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('loads 10,000 mutated payloads without an internal error or a stall', () => {
    const report = runRestoreFuzz(20261203, 10_000);
    expect(report.internal).toEqual([]);
    expect(report.internalCount).toBe(0);
    // Every outcome is reached: some mutations still load, most are refused.
    expect(report.loaded).toBeGreaterThan(100);
    expect([...report.corrupt.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(5_000);
    expect(report.slowestMs).toBeLessThan(1000);
  });

  it('answers RESTORE of mutated payloads with OK or Bad data format, and keeps serving', async () => {
    const client = await RawClient.connect(server.port);
    try {
      const rng = new Rng(7);
      const seeds = seedPayloads();
      let ok = 0;
      for (let i = 0; i < 400; i++) {
        const body = mutate(rng, seeds[i % seeds.length]!, seeds[rng.int(0, seeds.length - 1)]!);
        const reply = (await client.call('RESTORE', `k${i}`, '0', withFooter(body))).toString();
        if (reply === '+OK\r\n') {
          ok++;
          const type = (await client.call('TYPE', `k${i}`)).toString();
          expect(type).not.toBe('+none\r\n');
          expect((await client.call('DUMP', `k${i}`))[0]).toBe(0x24);
        } else {
          expect(reply).toBe('-ERR Bad data format\r\n');
        }
      }
      expect(ok).toBeGreaterThan(0);
      expect((await client.call('PING')).toString()).toBe('+PONG\r\n');
    } finally {
      await client.close();
    }
  });
});
