/**
 * Propagation of the hash-field expiration commands, held to the journals
 * of propagation-hash-field-expiry-scenarios.ts (Redis 8's forms, from its
 * source: redis-server 7.0.15 has no such commands to compare an AOF with).
 * The server runs on a ManualClock so the absolute times are exact.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, startServer, type RunningServer } from '../../src/index.js';
import { PropagationRecorder } from '../helpers/aof.js';
import { RawClient } from '../helpers/resp-client.js';
import { START, hashFieldExpiryScenarios } from './propagation-hash-field-expiry-scenarios.js';

describe('propagation of hash-field expiration (Redis 8 forms)', () => {
  const clock = new ManualClock(START);
  let server: RunningServer;
  let recorder: PropagationRecorder;
  let client: RawClient;

  beforeAll(async () => {
    server = await startServer({ port: 0, clock });
    recorder = new PropagationRecorder(server.server.propagation);
    client = await RawClient.connect(server.port);
  });

  afterAll(async () => {
    recorder.close();
    await client.close();
    await server.close();
  });

  beforeEach(() => {
    server.flushAll();
    clock.set(START);
    server.server.activeExpiry.enabled = false;
    recorder.reset();
  });

  for (const [name, { steps, journal }] of Object.entries(hashFieldExpiryScenarios)) {
    it(name, async () => {
      for (const step of steps) {
        if (step === 'active-expiry-cycle') {
          server.server.activeExpiry.enabled = true;
          server.server.activeExpiry.cycle();
          server.server.activeExpiry.enabled = false;
        } else if (Array.isArray(step)) {
          const reply = (await client.call(...step)).toString('latin1');
          expect(reply.startsWith('-'), `${step.join(' ')} -> ${reply}`).toBe(false);
        } else {
          clock.advance(step.advance);
        }
      }
      expect(recorder.readFrom(0)).toEqual([['SELECT', '0'], ...journal]);
    });
  }
});
