/**
 * A short run of the command fuzzer (command-fuzz.ts) against an in-process
 * reddish: random calls of every listed command, on keys of every type. No
 * reply may be an internal error, no connection may be dropped, no command
 * may hang, and nothing may be logged at error level (what a handler that
 * throws, or a connection that fails, logs). `node bench/fuzz.mjs` runs a
 * million of them.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { testSeeds } from '../helpers/random.js';
import { RawClient } from '../helpers/resp-client.js';
import { runCommandFuzz, SKIPPED_COMMANDS } from './command-fuzz.js';
import { loadCommandShapes } from './command-generator.js';

const COMMANDS_PER_SEED = 6000;

describe('command fuzz', () => {
  let server: RunningServer;
  const errorLines: string[] = [];
  beforeAll(async () => {
    // The server sets the level from its loglevel parameter, so the lines are filtered here.
    const logger = pino({ level: 'error' }, {
      write: (line: string) => {
        if ((JSON.parse(line) as { level: number }).level >= 50) errorLines.push(line);
      },
    });
    server = await startServer({ port: 0, logger });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('draws from every command but the skipped ones', async () => {
    const client = await RawClient.connect(server.port);
    const shapes = await loadCommandShapes(client);
    await client.close();
    const names = shapes.map((shape) => shape.name);
    expect(names).toContain('get');
    expect(names).toContain('client|list');
    expect(names).toContain('bf.loadchunk');
    // Every skipped command that reddish has is really left out.
    for (const name of SKIPPED_COMMANDS.keys()) if (names.includes(name)) expect(SKIPPED_COMMANDS.get(name)).toBeTruthy();
    // Documented arguments, or none to document (CLIENT ID, CLIENT GETREDIR: the arity is just the name).
    const described = shapes.filter((shape) => shape.args !== null || shape.arity === shape.words.length);
    expect(described.length).toBeGreaterThan(shapes.length * 0.9);
  });

  for (const seed of testSeeds('command fuzz')) {
    it(`survives ${COMMANDS_PER_SEED} random commands with no internal error (seed ${seed})`, async () => {
      const result = await runCommandFuzz({ seed, commands: COMMANDS_PER_SEED, endpoint: { port: server.port } });
      expect(result.commands).toBe(COMMANDS_PER_SEED);
      expect(result.internalErrors).toEqual([]);
      expect(result.closes).toEqual([]);
      expect(result.hangs).toEqual([]);
      expect(errorLines).toEqual([]);
      // Most commands were reached (each has about a 1-in-200 chance per call).
      expect(result.calls.size).toBeGreaterThan(150);
      for (const name of SKIPPED_COMMANDS.keys()) expect(result.calls.has(name)).toBe(false);
    });
  }
});
