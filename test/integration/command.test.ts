/**
 * COMMAND and its subcommands through real sockets, in RESP2 and RESP3.
 * The first part checks reddish on its own; the second compares it with a
 * real redis-server 7.0, byte for byte where the table knows everything
 * Redis says, and field by field where it can't:
 *
 * - tips (request_policy, nondeterministic_output...) are always empty;
 * - key-spec flags are RO/RW + access (+ update) unless a spec declares
 *   them, and keys Redis splits into several specs (RENAME) share one;
 * - COMMAND DOCS has no history, argument `since` or doc flags, and names
 *   anonymous argument groups by their members.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/index.js';
import { findRedisServer, startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';
import { RawClient, replyToJs, type JsReply } from '../helpers/resp-client.js';
import { useServer } from '../helpers/server.js';

const t = useServer({ flush: false, resp3: true });
// Set once useServer's beforeAll has started the server.
let server: RunningServer;
let redis: Redis;
let resp2: RawClient;
let resp3: RawClient;
beforeAll(() => {
  ({ server, redis, raw: resp2, raw3: resp3 } = t);
});

async function connect(port: number, protocol: 2 | 3): Promise<RawClient> {
  const client = await RawClient.connect(port);
  if (protocol === 3) await client.call('HELLO', '3');
  return client;
}

/** A reply as JS, with RESP3 maps turned into plain objects for toEqual. */
function plain(reply: JsReply): unknown {
  if (reply instanceof Map) return Object.fromEntries([...reply].map(([k, v]) => [String(k), plain(v)]));
  if (Array.isArray(reply)) return reply.map(plain);
  return reply;
}

async function call3(...args: string[]): Promise<unknown> {
  return plain(replyToJs(await resp3.call(...args)));
}

async function text(client: RawClient, ...args: string[]): Promise<string> {
  return (await client.call(...args)).toString('latin1');
}

describe('COMMAND, COUNT and INFO', () => {
  it('COMMAND gives one 10-field entry per command, as many as COMMAND COUNT', async () => {
    const count = await redis.call('COMMAND', 'COUNT');
    expect(count).toBe(server.server.commands.size);
    const all = (await redis.call('COMMAND')) as unknown[][];
    expect(all).toHaveLength(count as number);
    for (const entry of all) expect(entry).toHaveLength(10);
    const names = all.map((entry) => entry[0]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('get');
    expect(await redis.call('COMMAND', 'INFO')).toEqual(all);
  });

  it('COMMAND INFO get gives name, arity, flags, key positions, categories, tips and key specs', async () => {
    expect(await redis.call('COMMAND', 'INFO', 'get')).toEqual([
      [
        'get',
        2,
        ['readonly', 'fast'],
        1,
        1,
        1,
        ['@read', '@string', '@fast'],
        [],
        [['flags', ['RO', 'access'], 'begin_search', ['type', 'index', 'spec', ['index', 1]], 'find_keys', ['type', 'range', 'spec', ['lastkey', 0, 'keystep', 1, 'limit', 0]]]],
        [],
      ],
    ]);
  });

  it('uses RESP3 sets and maps', async () => {
    const raw = await text(resp3, 'COMMAND', 'INFO', 'get');
    expect(raw.startsWith('*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n')).toBe(true);
    expect(raw.endsWith('~0\r\n')).toBe(true);
  });

  it('looks names up in any case, subcommands as container|sub, unknown names as nulls', async () => {
    const reply = (await redis.call('COMMAND', 'INFO', 'GET', 'Command|Info', 'nosuch', 'get|x', 'command|', 'command|info|x')) as unknown[][];
    expect(reply.map((entry) => entry?.[0] ?? null)).toEqual(['get', 'command|info', null, null, null, null]);
    expect(await text(resp2, 'COMMAND', 'INFO', 'nosuch')).toBe('*1\r\n$-1\r\n');
    expect(await text(resp3, 'COMMAND', 'INFO', 'nosuch')).toBe('*1\r\n_\r\n');
  });

  it('lists a container with its subcommands and @connection for the COMMAND family', async () => {
    const [entry] = (await redis.call('COMMAND', 'INFO', 'command')) as unknown[][];
    expect(entry!.slice(0, 8)).toEqual(['command', -1, ['loading', 'stale'], 0, 0, 0, ['@slow', '@connection'], []]);
    const subcommands = entry![9] as unknown[][];
    expect(subcommands.map((sub) => sub[0]).sort()).toEqual(
      ['command|count', 'command|docs', 'command|getkeys', 'command|getkeysandflags', 'command|help', 'command|info', 'command|list'],
    );
    expect(subcommands.find((sub) => sub[0] === 'command|count')).toEqual(['command|count', 2, ['loading', 'stale'], 0, 0, 0, ['@slow', '@connection'], [], [], []]);
  });

  it('gives multi-key commands their range spec', async () => {
    const [mset, del] = (await call3('COMMAND', 'INFO', 'mset', 'del')) as unknown[][];
    expect(mset!.slice(0, 6)).toEqual(['mset', -3, ['write', 'denyoom'], 1, -1, 2]);
    expect(mset![8]).toEqual([
      {
        flags: ['OW', 'update'],
        begin_search: { type: 'index', spec: { index: 1 } },
        find_keys: { type: 'range', spec: { lastkey: -1, keystep: 2, limit: 0 } },
      },
    ]);
    expect(del!.slice(3, 6)).toEqual([1, -1, 1]);
  });
});

describe('COMMAND DOCS', () => {
  it('maps each known name to its docs and leaves unknown names out', async () => {
    expect(await call3('COMMAND', 'DOCS', 'get', 'nosuch')).toEqual({
      get: {
        summary: 'Get the value of a key',
        since: '1.0.0',
        group: 'string',
        complexity: 'O(1)',
        arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
      },
    });
    expect(await text(resp2, 'COMMAND', 'DOCS', 'nosuch')).toBe('*0\r\n');
    expect(await text(resp3, 'COMMAND', 'DOCS', 'nosuch')).toBe('%0\r\n');
  });

  it('builds the argument tree from the syntax (SET)', async () => {
    const docs = (await call3('COMMAND', 'DOCS', 'set')) as Record<string, { arguments: Array<Record<string, unknown>> }>;
    const args = docs['set']!.arguments;
    expect(args.map((arg) => [arg['name'], arg['type'], arg['flags'] ?? []])).toEqual([
      ['key', 'key', []],
      ['value', 'string', []],
      ['nx-xx', 'oneof', ['optional']],
      ['get', 'pure-token', ['optional']],
      [expect.any(String), 'oneof', ['optional']],
    ]);
    expect(args[4]!['arguments']).toContainEqual({ name: 'seconds', type: 'integer', token: 'EX' });
    expect(args[4]!['arguments']).toContainEqual({ name: 'keepttl', type: 'pure-token', token: 'KEEPTTL' });
  });

  it("gives a container's subcommands as a map by full name", async () => {
    const docs = (await call3('COMMAND', 'DOCS', 'command')) as Record<string, Record<string, unknown>>;
    const command = docs['command']!;
    expect(command['summary']).toBe('Get array of Redis command details');
    const subcommands = command['subcommands'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(subcommands)).toContain('command|getkeysandflags');
    expect(subcommands['command|info']!['arguments']).toEqual([{ name: 'command-name', type: 'string', flags: ['optional', 'multiple'] }]);
  });

  it('with no names documents every command', async () => {
    const docs = (await call3('COMMAND', 'DOCS')) as Record<string, unknown>;
    expect(Object.keys(docs)).toHaveLength(server.server.commands.size);
  });
});

describe('COMMAND LIST', () => {
  it('lists commands and subcommands by full name', async () => {
    const names = (await redis.call('COMMAND', 'LIST')) as string[];
    expect(names).toContain('get');
    expect(names).toContain('command|docs');
    expect(names.length).toBe([...server.server.commands.allEntries()].length);
  });

  it('filters by pattern (any case), ACL category and module', async () => {
    expect(((await redis.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'COMMAND|*')) as string[]).sort()).toEqual(
      ['command|count', 'command|docs', 'command|getkeys', 'command|getkeysandflags', 'command|help', 'command|info', 'command|list'],
    );
    expect(await redis.call('COMMAND', 'LIST', 'filterby', 'pattern', 'ge?')).toEqual(['get']);
    const connection = (await redis.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'Connection')) as string[];
    expect(connection).toEqual(expect.arrayContaining(['ping', 'command', 'command|info']));
    expect(connection).not.toContain('get');
    expect(await redis.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch')).toEqual([]);
    expect(await redis.call('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'bf')).toEqual([]);
  });

  it('accepts one FILTERBY at the end, and nothing else', async () => {
    for (const args of [['FILTERBY'], ['FILTERBY', 'pattern'], ['FILTERBY', 'color', 'x'], ['FILTERBY', 'pattern', 'a', 'b'], ['x']]) {
      expect(await text(resp2, 'COMMAND', 'LIST', ...args), args.join(' ')).toBe('-ERR syntax error\r\n');
    }
  });
});

describe('COMMAND GETKEYS and GETKEYSANDFLAGS', () => {
  it('finds the keys of a call the way dispatch would', async () => {
    expect(await redis.call('COMMAND', 'GETKEYS', 'mset', 'a', '1', 'b', '2')).toEqual(['a', 'b']);
    expect(await redis.call('COMMAND', 'GETKEYS', 'SET', 'k', 'v', 'EX', '10')).toEqual(['k']);
    expect(await redis.call('COMMAND', 'GETKEYS', 'del', 'a', 'b', 'c')).toEqual(['a', 'b', 'c']);
  });

  it('gives each key its access flags', async () => {
    expect(await redis.call('COMMAND', 'GETKEYSANDFLAGS', 'get', 'k')).toEqual([['k', ['RO', 'access']]]);
    expect(await call3('COMMAND', 'GETKEYSANDFLAGS', 'mset', 'a', '1', 'b', '2')).toEqual([
      ['a', ['OW', 'update']],
      ['b', ['OW', 'update']],
    ]);
  });

  it("answers Redis's errors in Redis's order", async () => {
    const cases: Array<[string[], string]> = [
      [['nosuch', 'x'], 'ERR Invalid command specified'],
      [['command', 'nosuch'], 'ERR Invalid command specified'],
      [['ping', 'x'], 'ERR The command has no key arguments'],
      [['command', 'info'], 'ERR The command has no key arguments'],
      [['get', 'a', 'b'], 'ERR Invalid number of arguments specified for command'],
      [['mset', 'a'], 'ERR Invalid number of arguments specified for command'],
    ];
    for (const [args, error] of cases) {
      expect(await text(resp2, 'COMMAND', 'GETKEYS', ...args), args.join(' ')).toBe(`-${error}\r\n`);
      expect(await text(resp2, 'COMMAND', 'GETKEYSANDFLAGS', ...args), args.join(' ')).toBe(`-${error}\r\n`);
    }
    expect(await text(resp2, 'COMMAND', 'GETKEYS', 'get')).toBe("-ERR wrong number of arguments for 'command|getkeys' command\r\n");
  });
});

describe('COMMAND HELP and errors', () => {
  it('prints the help lines as status replies', async () => {
    const lines = (await redis.call('COMMAND', 'HELP')) as string[];
    expect(lines[0]).toBe('COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    expect(lines).toContain('GETKEYSANDFLAGS <full-command>');
    expect(lines.slice(-2)).toEqual(['HELP', '    Prints this help.']);
    expect((await text(resp2, 'COMMAND', 'HELP')).split('\r\n')[1]).toBe('+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  });

  it('rejects unknown subcommands and wrong arities', async () => {
    expect(await text(resp2, 'COMMAND', 'nosuch')).toBe("-ERR unknown subcommand 'nosuch'. Try COMMAND HELP.\r\n");
    expect(await text(resp2, 'COMMAND', 'COUNT', 'x')).toBe("-ERR wrong number of arguments for 'command|count' command\r\n");
  });
});

// ---------------------------------------------------------------------------
// Against redis-server
// ---------------------------------------------------------------------------

/** An INFO entry with what the table can't know blanked: tips, key-spec flags. */
function comparableInfo(entry: unknown[]): unknown[] {
  const specs = (entry[8] as Array<Record<string, unknown>>).map((spec) => ({ ...spec, flags: [], notes: undefined }));
  return [...entry.slice(0, 7), [], specs, (entry[9] as unknown[][]).map(comparableInfo)];
}

/**
 * An argument tree without what the syntax can't say: `since`, and the
 * names of groups and pure-tokens, which Redis's JSON files choose by hand
 * ("condition", "username_password", CH's "change"). A block of one
 * argument is that argument, as `[ID client-id [client-id ...]]` and
 * `[WEIGHTS weight [weight ...]]` mean the same, though Redis writes the
 * first as a block and the second as an argument.
 */
function comparableArguments(args: unknown): unknown {
  if (!Array.isArray(args)) return args;
  return args.map((arg: Record<string, unknown>) => {
    const { since: _since, ...rest } = arg;
    const members = rest['arguments'] as Array<Record<string, unknown>> | undefined;
    if (rest['type'] === 'block' && members?.length === 1 && (rest['token'] === undefined || members[0]!['token'] === undefined)) {
      const flags = [...((rest['flags'] as string[] | undefined) ?? []), ...((members[0]!['flags'] as string[] | undefined) ?? [])];
      const token = rest['token'] ?? members[0]!['token'];
      return (comparableArguments([{ ...members[0]!, token, flags }]) as unknown[])[0];
    }
    const anonymous = rest['type'] === 'oneof' || rest['type'] === 'block' || rest['type'] === 'pure-token';
    const flags = (rest['flags'] as string[] | undefined)?.length ? rest['flags'] : undefined;
    // Built in one key order, so that JSON texts compare.
    const { name, type, token, arguments: _members, flags: _flags, ...others } = rest;
    return { name: anonymous ? '-' : name, type, token, flags, arguments: comparableArguments(members), ...others };
  });
}

describe.skipIf(!findRedisServer())('COMMAND against redis-server', () => {
  let reference: RedisServerHandle;
  let ref2: RawClient;
  let ref3: RawClient;

  beforeAll(async () => {
    reference = await startRedisServer();
    ref2 = await connect(reference.port, 2);
    ref3 = await connect(reference.port, 3);
  });

  afterAll(async () => {
    await ref2?.close();
    await ref3?.close();
    await reference?.stop();
  });

  /** Both servers' raw replies to one command, in RESP2 and RESP3. */
  async function expectSameBytes(...args: string[]): Promise<void> {
    expect(await text(resp2, ...args), `RESP2 ${args.join(' ')}`).toBe(await text(ref2, ...args));
    expect(await text(resp3, ...args), `RESP3 ${args.join(' ')}`).toBe(await text(ref3, ...args));
  }

  it('answers COMMAND INFO get and COMMAND DOCS get byte for byte', async () => {
    await expectSameBytes('COMMAND', 'INFO', 'get');
    await expectSameBytes('COMMAND', 'DOCS', 'get');
    await expectSameBytes('COMMAND', 'GETKEYSANDFLAGS', 'get', 'k');
  });

  it('answers unknown names, HELP, errors and filters byte for byte', async () => {
    await expectSameBytes('COMMAND', 'INFO', 'nosuch', 'get|x', 'command|', 'command|nosuch', 'a|b|c');
    await expectSameBytes('COMMAND', 'DOCS', 'nosuch');
    await expectSameBytes('COMMAND', 'HELP');
    await expectSameBytes('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'nosuch');
    await expectSameBytes('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'nosuch');
    await expectSameBytes('COMMAND', 'LIST', 'FILTERBY', 'pattern', 'a', 'b');
    await expectSameBytes('COMMAND', 'LIST', 'FILTERBY', 'color', 'x');
    await expectSameBytes('COMMAND', 'nosuch');
    for (const args of [['nosuch', 'x'], ['ping', 'x'], ['command', 'info'], ['get', 'a', 'b'], ['mset', 'a'], ['mset', 'a', '1', 'b', '2'], ['get']]) {
      await expectSameBytes('COMMAND', 'GETKEYS', ...args);
    }
  });

  it('lists the same COMMAND subcommands by pattern', async () => {
    const ours = (replyToJs(await resp2.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'command*')) as string[]).sort();
    const theirs = (replyToJs(await ref2.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'command*')) as string[]).sort();
    expect(ours).toEqual(theirs);
  });

  it('matches COMMAND INFO mset del command except for tips and key-spec flags', async () => {
    const ours = (await call3('COMMAND', 'INFO', 'mset', 'del', 'command')) as unknown[][];
    const theirs = plain(replyToJs(await ref3.call('COMMAND', 'INFO', 'mset', 'del', 'command'))) as unknown[][];
    const sortSubcommands = (entry: unknown[]): unknown[] => [...entry.slice(0, 9), [...(entry[9] as unknown[][])].sort((a, b) => String(a[0]).localeCompare(String(b[0])))];
    expect(ours.map(comparableInfo).map(sortSubcommands)).toEqual(theirs.map(comparableInfo).map(sortSubcommands));
  });

  /** Every command reddish has that redis-server has too, with both servers' INFO and DOCS. */
  async function sharedCommands(): Promise<Array<{ name: string; ours: unknown[]; theirs: unknown[]; oursDocs: Record<string, unknown>; theirsDocs: Record<string, unknown> }>> {
    const names = replyToJs(await resp3.call('COMMAND', 'LIST')) as string[];
    const shared = [];
    for (const name of names) {
      const [theirs] = plain(replyToJs(await ref3.call('COMMAND', 'INFO', name))) as Array<unknown[] | null>;
      if (!theirs) continue;
      const [ours] = (await call3('COMMAND', 'INFO', name)) as unknown[][];
      const oursDocs = ((await call3('COMMAND', 'DOCS', name)) as Record<string, Record<string, unknown>>)[name]!;
      const theirsDocs = (plain(replyToJs(await ref3.call('COMMAND', 'DOCS', name))) as Record<string, Record<string, unknown>>)[name]!;
      shared.push({ name, ours: ours!, theirs, oursDocs, theirsDocs });
    }
    return shared;
  }

  /** Commands that take Redis 7.2's form where 7.0.15 has another, because an issue asks for it. */
  const redis72Forms = new Map([
    ['zrank', 'WITHSCORE (Redis 7.2) makes the arity -3'],
    ['zrevrank', 'WITHSCORE (Redis 7.2) makes the arity -3'],
  ]);

  it('agrees with Redis on the arity, flags, key positions and key specs of every shared command', async () => {
    const report: string[] = [];
    for (const { name, ours, theirs } of await sharedCommands()) {
      const fields = ['name', 'arity', 'flags', 'first key', 'last key', 'step'];
      for (let i = 0; i < fields.length; i++) {
        if (fields[i] === 'arity' && redis72Forms.has(name)) continue;
        if (JSON.stringify(ours[i]) !== JSON.stringify(theirs[i])) report.push(`${name} ${fields[i]}: reddish ${JSON.stringify(ours[i])}, redis ${JSON.stringify(theirs[i])}`);
      }
      // Categories: never one Redis doesn't give (Redis may have more, added by hand).
      const extra = (ours[6] as string[]).filter((category) => !(theirs[6] as string[]).includes(category));
      if (extra.length > 0) report.push(`${name} categories: reddish has ${extra.join(' ')}, which redis doesn't`);
      // Key specs: where both have as many specs, they must search the same way
      // (Redis splits some key ranges into one spec per key, RENAME's for one).
      const ourSpecs = comparableInfo(ours)[8] as unknown[];
      const theirSpecs = comparableInfo(theirs)[8] as unknown[];
      if (theirSpecs.length === ourSpecs.length && JSON.stringify(ourSpecs) !== JSON.stringify(theirSpecs)) {
        report.push(`${name} key specs: reddish ${JSON.stringify(ourSpecs)}, redis ${JSON.stringify(theirSpecs)}`);
      }
    }
    expect(report, report.join('\n')).toEqual([]);
  });

  it('agrees with Redis on the summary, since, group, complexity and arguments of every shared command', async () => {
    // Arguments reddish knowingly describes otherwise, with the reason.
    const knownDifferences = new Map([
      ['command|getkeys', 'Redis 7.0 leaves its arguments undocumented (7.2 documents them)'],
      ['command|getkeysandflags', 'Redis 7.0 leaves its arguments undocumented (7.2 documents them)'],
      ['client|kill', "Redis names arguments 'ip:port' and 'yes/no', which the syntax can't spell, and repeats the filters as a oneof"],
      ...redis72Forms,
    ]);
    const report: string[] = [];
    const compare = (name: string, ours: Record<string, unknown>, theirs: Record<string, unknown>): void => {
      for (const field of ['summary', 'since', 'group', 'complexity']) {
        if (ours[field] !== theirs[field]) report.push(`${name} ${field}: reddish ${JSON.stringify(ours[field])}, redis ${JSON.stringify(theirs[field])}`);
      }
      if (!knownDifferences.has(name)) {
        // Key specs may be split differently (RENAME has one per key in Redis), so key_spec_index is not compared.
        const strip = (args: unknown): string => JSON.stringify(comparableArguments(args), (key, value: unknown) => (key === 'key_spec_index' ? undefined : value));
        if (strip(ours['arguments']) !== strip(theirs['arguments'])) {
          report.push(`${name} arguments:\n    reddish ${strip(ours['arguments'])}\n    redis   ${strip(theirs['arguments'])}`);
        }
      }
      const ourSubs = (ours['subcommands'] ?? {}) as Record<string, Record<string, unknown>>;
      const theirSubs = (theirs['subcommands'] ?? {}) as Record<string, Record<string, unknown>>;
      for (const sub of Object.keys(ourSubs)) if (theirSubs[sub]) compare(sub, ourSubs[sub]!, theirSubs[sub]!);
    };
    for (const { name, oursDocs, theirsDocs } of await sharedCommands()) if (!name.includes('|')) compare(name, oursDocs, theirsDocs);
    expect(report, report.join('\n')).toEqual([]);
  });
});
