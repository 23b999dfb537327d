/**
 * FUNCTION and FCALL through client libraries, on reddish and on
 * redis-server when it is installed (so the expectations are Redis's own),
 * plus what the byte-level differential test cannot compare: listings of
 * several libraries and functions (Redis orders them by a seeded hash, so
 * they are compared sorted here), FUNCTION DUMP payloads carried between
 * the two servers, and INFO's function figures.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { findRedisServer, startRedisServer } from '../helpers/redis-server.js';
import { serversUnderTest, useServerUnderTest } from '../helpers/servers-under-test.js';

/** A small library of the usual shape: a counter with a cap, and a reader flagged no-writes. */
const COUNTER_LIBRARY = `#!lua name=counters
local function bump(keys, args)
  local n = redis.call('INCRBY', keys[1], args[1])
  if n > tonumber(args[2]) then
    redis.call('SET', keys[1], args[2])
    return tonumber(args[2])
  end
  return n
end
redis.register_function('bump', bump)
redis.register_function{
  function_name = 'peek',
  callback = function(keys) return redis.call('GET', keys[1]) end,
  flags = { 'no-writes' },
  description = 'reads a counter',
}`;

const OTHER_LIBRARY = `#!lua name=other
redis.register_function('echo_args', function(keys, args) return args end)`;

describe.each(serversUnderTest())('on $name', (under) => {
  const server = useServerUnderTest(under);
  const opened: Array<{ disconnect(): unknown }> = [];
  afterEach(async () => {
    for (const client of opened.splice(0)) await client.disconnect();
  });

  function ioredis(): Redis {
    const client = new Redis(server.port, { maxRetriesPerRequest: 0 });
    opened.push(client);
    return client;
  }

  it('ioredis loads a library, calls its functions and lists them', async () => {
    const client = ioredis();
    await client.function('FLUSH');
    expect(await client.function('LOAD', COUNTER_LIBRARY)).toBe('counters');
    expect(await client.function('LOAD', OTHER_LIBRARY)).toBe('other');
    expect(await client.fcall('bump', 1, 'c', 5, 12)).toBe(5);
    expect(await client.fcall('bump', 1, 'c', 5, 12)).toBe(10);
    expect(await client.fcall('bump', 1, 'c', 5, 12)).toBe(12);
    expect(await client.fcall_ro('peek', 1, 'c')).toBe('12');
    await expect(client.fcall_ro('bump', 1, 'c', 1, 1)).rejects.toThrow('Can not execute a script with write flag using *_ro command.');
    expect(await client.fcall('echo_args', 0, 'a', 'b')).toEqual(['a', 'b']);

    const listing = (await client.function('LIST')) as unknown[][];
    const libraries = listing
      .map((entry) => {
        const fields = pairs(entry);
        const functions = (fields.get('functions') as unknown[][]).map((fn) => {
          const f = pairs(fn);
          return { name: f.get('name'), description: f.get('description'), flags: f.get('flags') };
        });
        functions.sort((a, b) => String(a.name).localeCompare(String(b.name)));
        return { name: fields.get('library_name'), engine: fields.get('engine'), functions };
      })
      .sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(libraries).toEqual([
      {
        name: 'counters',
        engine: 'LUA',
        functions: [
          { name: 'bump', description: null, flags: [] },
          { name: 'peek', description: 'reads a counter', flags: ['no-writes'] },
        ],
      },
      { name: 'other', engine: 'LUA', functions: [{ name: 'echo_args', description: null, flags: [] }] },
    ]);
    const stats = pairs((await client.function('STATS')) as unknown[]);
    expect(stats.get('running_script')).toBeNull();
    expect(pairs(pairs(stats.get('engines') as unknown[]).get('LUA') as unknown[])).toEqual(
      new Map([
        ['libraries_count', 2],
        ['functions_count', 3],
      ]),
    );
  });

  it('node-redis calls functions it was configured with, in RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({
        url: `redis://127.0.0.1:${server.port}`,
        RESP,
        functions: {
          counters: {
            bump: {
              NUMBER_OF_KEYS: 1,
              parseCommand(parser, key: string, by: number, cap: number) {
                parser.pushKey(key);
                parser.push(String(by), String(cap));
              },
              transformReply: undefined as unknown as () => number,
            },
            peek: {
              NUMBER_OF_KEYS: 1,
              IS_READ_ONLY: true,
              parseCommand(parser, key: string) {
                parser.pushKey(key);
              },
              transformReply: undefined as unknown as () => string | null,
            },
          },
        },
      });
      opened.push({ disconnect: () => client.destroy() });
      await client.connect();
      await client.functionFlush();
      expect(await client.functionLoad(COUNTER_LIBRARY)).toBe('counters');
      await client.del('n');
      expect(await client.counters.bump('n', 7, 10)).toBe(7);
      expect(await client.counters.bump('n', 7, 10)).toBe(10);
      expect(await client.counters.peek('n')).toBe('10');
      const [library] = await client.functionList({ LIBRARYNAME: 'count*' });
      expect(library?.library_name).toBe('counters');
      expect(library?.functions.map((fn) => fn.name).sort()).toEqual(['bump', 'peek']);
      // REPLACE keeps the functions callable; without it the load is refused.
      await expect(client.functionLoad(COUNTER_LIBRARY)).rejects.toThrow("Library 'counters' already exists");
      expect(await client.functionLoad(COUNTER_LIBRARY, { REPLACE: true })).toBe('counters');
      expect(await client.functionDelete('counters')).toBe('OK');
      await expect(client.counters.peek('n')).rejects.toThrow('Function not found');
      client.destroy();
      opened.pop();
    }
  });

  it('FUNCTION DUMP then RESTORE on the same server brings every library back', async () => {
    const client = ioredis();
    await client.function('FLUSH');
    await client.function('LOAD', COUNTER_LIBRARY);
    await client.function('LOAD', OTHER_LIBRARY);
    const payload = (await client.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    await client.function('FLUSH');
    expect(await client.callBuffer('FUNCTION', 'RESTORE', payload)).toEqual(Buffer.from('OK'));
    expect(await client.fcall('echo_args', 0, 'x')).toEqual(['x']);
    await expect(client.callBuffer('FUNCTION', 'RESTORE', payload)).rejects.toThrow(/^ERR Library (counters|other) already exists$/);
    expect(await client.callBuffer('FUNCTION', 'RESTORE', payload, 'REPLACE')).toEqual(Buffer.from('OK'));
  });
});

/** A RESP map as ioredis gives it under RESP2 (a flat array), as a Map. */
function pairs(flat: unknown[]): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let i = 0; i < flat.length; i += 2) map.set(String(flat[i]), flat[i + 1]);
  return map;
}

describe.skipIf(findRedisServer() === null)('FUNCTION DUMP payloads between reddish and redis-server', () => {
  let reddish: RunningServer;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  const clients: Redis[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await reddish?.close();
    await redis?.stop();
  });

  async function both(): Promise<[Redis, Redis]> {
    reddish = await startServer({ port: 0 });
    redis = await startRedisServer();
    const pair: [Redis, Redis] = [new Redis(reddish.port), new Redis(redis.port)];
    clients.push(...pair);
    return pair;
  }

  /** A library long enough for Redis to LZF-compress its code in the dump. */
  const LONG_LIBRARY = `#!lua name=long\n${'-- padding padding padding padding padding\n'.repeat(20)}redis.register_function('long_fn', function(keys, args) return 'long' end)`;

  it('what redis-server dumps, reddish restores; what reddish dumps, redis-server restores', async () => {
    const [candidate, reference] = await both();
    for (const client of [candidate, reference]) {
      await client.function('LOAD', COUNTER_LIBRARY);
      await client.function('LOAD', LONG_LIBRARY);
    }
    const fromRedis = (await reference.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    const fromReddish = (await candidate.callBuffer('FUNCTION', 'DUMP')) as Buffer;
    await candidate.function('FLUSH');
    await reference.function('FLUSH');

    expect(await candidate.callBuffer('FUNCTION', 'RESTORE', fromRedis)).toEqual(Buffer.from('OK'));
    expect(await reference.callBuffer('FUNCTION', 'RESTORE', fromReddish)).toEqual(Buffer.from('OK'));
    for (const client of [candidate, reference]) {
      expect(await client.fcall('long_fn', 0)).toBe('long');
      expect(await client.fcall('bump', 1, 'k', 2, 100)).toBe(2);
      const code = (await client.function('LIST', 'LIBRARYNAME', 'long', 'WITHCODE')) as unknown[][];
      expect(pairs(code[0]!).get('library_code')).toBe(LONG_LIBRARY);
    }
  });

  it('INFO memory counts functions and libraries as Redis does', async () => {
    const [candidate, reference] = await both();
    for (const client of [candidate, reference]) {
      await client.function('LOAD', COUNTER_LIBRARY);
      await client.function('LOAD', OTHER_LIBRARY);
    }
    for (const client of [candidate, reference]) {
      const info = await client.info('memory');
      const field = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1]);
      expect(field('number_of_functions')).toBe(3);
      expect(field('number_of_libraries')).toBe(2);
      expect(field('used_memory_vm_functions')).toBeGreaterThan(0);
      expect(field('used_memory_vm_total')).toBe(field('used_memory_vm_functions') + field('used_memory_vm_eval'));
      expect(field('used_memory_scripts')).toBe(field('used_memory_functions') + field('used_memory_scripts_eval'));
      expect(field('used_memory_functions')).toBeGreaterThan(0);
    }
  });
});
