/**
 * ACL against redis-server 7.0.15: the same calls on both servers, replies
 * compared byte for byte.
 *
 * Two things are normalised before comparing, because Redis's own output
 * varies between runs of the same redis-server binary:
 * - the single-command rules at the end of a description (`+get -set`)
 *   follow Redis's command dict's hash order, whose seed is random per
 *   process; they are compared sorted (the category rules before them keep
 *   their order, which is deterministic);
 * - ACL LOG's age-seconds and client-info (ids, ports, ages) are masked;
 *   the client-info's field names are compared.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, type CommandArg } from '../helpers/resp-client.js';
import { Rng, testSeeds } from '../helpers/random.js';
import { redisAvailable, startDifferentialTargets, type DifferentialTargets } from './targets.js';

let targets: DifferentialTargets;
let reference: RawClient;
let candidate: RawClient;

beforeAll(async () => {
  targets = await startDifferentialTargets();
  reference = await RawClient.connect(targets.reference.port);
  candidate = await RawClient.connect(targets.candidate.port);
  // ACL LIST picks categories by how many commands of each the user holds,
  // so both tables must hold the same commands: reddish hides what 7.0
  // lacks. What reddish lacks itself (CLUSTER, MODULE, DUMP/RESTORE, ...)
  // only weighs on @admin, @dangerous, @keyspace and the like, which the
  // random rules below leave out.
  await candidate.call('CONFIG', 'SET', 'compat-version', '7.0');
});

afterAll(async () => {
  await candidate?.call('CONFIG', 'SET', 'compat-version', '');
  await reference?.close();
  await candidate?.close();
  await targets?.stop();
});

/** Sorts the single-command rules after the category rules of every description in a reply. */
function normaliseRuleOrder(text: string): string {
  return text.replace(/([+-]@all(?: [+-]@[a-z]+)*)((?: [+-][a-z][a-z0-9|._-]*)+)/g, (_, head: string, tail: string) => {
    return head + ' ' + tail.trim().split(' ').sort().join(' ');
  });
}

/** Masks ACL LOG's values that differ between any two servers, and HELLO's client id. */
function maskLog(text: string): string {
  return text
    .replace(/(\$2\r\nid\r\n):\d+\r\n/g, '$1:<id>\r\n')
    .replace(/(\$11\r\nage-seconds\r\n)(?:\$\d+\r\n[^\r]*|,[^\r]*)\r\n/g, '$1<age>\r\n')
    .replace(/(\$11\r\nclient-info\r\n)\$\d+\r\n([^\r]*)\r\n/g, (_, head: string, info: string) => {
      // Field names only, without 7.2's lib-name/lib-ver that reddish's CLIENT LIST also prints.
      const names = info
        .split(' ')
        .map((field) => field.split('=')[0])
        .filter((name) => name !== 'lib-name' && name !== 'lib-ver');
      return head + '<' + names.join(',') + '>\r\n';
    });
}

async function both(...args: CommandArg[]): Promise<[string, string]> {
  const [ref, cand] = await Promise.all([reference.call(...args), candidate.call(...args)]);
  return [normaliseRuleOrder(ref.toString('latin1')), normaliseRuleOrder(cand.toString('latin1'))];
}

async function same(...args: CommandArg[]): Promise<string> {
  const [ref, cand] = await both(...args);
  expect(cand, args.join(' ')).toBe(ref);
  return ref;
}

/** Runs `steps` on a fresh connection to each server, comparing every reply. */
async function session(steps: ReadonlyArray<readonly CommandArg[]>): Promise<string[]> {
  const clients = await Promise.all([RawClient.connect(targets.reference.port), RawClient.connect(targets.candidate.port)]);
  const out: string[] = [];
  try {
    for (const step of steps) {
      const [ref, cand] = await Promise.all(clients.map((c) => c.call(...step)));
      const refText = maskLog(normaliseRuleOrder(ref!.toString('latin1')));
      expect(maskLog(normaliseRuleOrder(cand!.toString('latin1'))), step.join(' ')).toBe(refText);
      out.push(refText);
    }
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
  return out;
}

async function dropUsers(): Promise<void> {
  for (const client of [reference, candidate]) {
    const users = (await client.call('ACL', 'USERS')).toString('latin1').split('\r\n').filter((line, i) => i > 0 && i % 2 === 0);
    const others = users.filter((name) => name !== 'default');
    if (others.length > 0) await client.call('ACL', 'DELUSER', ...others);
    await client.call('ACL', 'SETUSER', 'default', 'reset', 'on', 'nopass', '~*', '&*', '+@all');
    await client.call('ACL', 'LOG', 'RESET');
  }
}

// Commands and subcommands both servers have. Not CLIENT: its many
// subcommands are most of @connection, whose other commands the two
// tables hold differently (READONLY, READWRITE, ASKING), so +client tips
// the choice of +@connection one way or the other.
const COMMANDS = [
  'get', 'set', 'del', 'hget', 'hset', 'lpush', 'lrange', 'sadd', 'zadd', 'incr', 'keys', 'flushall', 'ping', 'publish',
  'subscribe', 'eval', 'multi', 'exec', 'config', 'debug', 'info', 'object', 'xadd', 'pfadd', 'geoadd', 'setbit',
];
const SUBCOMMANDS = ['config|get', 'config|set', 'object|encoding', 'xinfo|stream', 'script|load'];
// The categories whose commands are the same in both tables (see beforeAll).
const CATEGORIES = ['all', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'geo', 'stream', 'pubsub', 'blocking', 'transaction', 'scripting'];

function randomRule(rng: Rng): string {
  const pattern = () => rng.pick(['*', 'key:*', 'a?', 'user:[0-9]*', 'x']);
  return rng.weighted<() => string>([
    [() => rng.pick(['on', 'off', 'nopass', 'resetpass', 'allkeys', 'resetkeys', 'allchannels', 'resetchannels', 'allcommands', 'nocommands']), 4],
    [() => '>' + rng.string(rng.int(1, 8)), 1],
    [() => rng.pick(['~', '%R~', '%W~', '%RW~']) + pattern(), 3],
    [() => '&' + rng.pick(['news.*', 'chat', '*', 'a?']), 2],
    [() => rng.pick(['+', '-']) + rng.pick(COMMANDS), 4],
    [() => '+' + rng.pick(SUBCOMMANDS), 2],
    [() => '-' + rng.pick(SUBCOMMANDS), 1],
    [() => '+' + rng.pick(['select|0', 'select|1', 'debug|object']), 1],
    [() => rng.pick(['+@', '-@']) + rng.pick(CATEGORIES), 5],
    [() => `(${rng.pick(['+', '-'])}@${rng.pick(CATEGORIES)} ~${pattern()} ${rng.pick(['+', '-'])}${rng.pick(COMMANDS)})`, 1],
    [() => rng.pick(['reset', 'clearselectors']), 1],
  ])();
}

describe.skipIf(!redisAvailable('differential acl'))('ACL against redis-server', () => {
  it('random rule sets give the same SETUSER replies and the same GETUSER and LIST', async () => {
    await dropUsers();
    for (const seed of testSeeds('differential acl rules')) {
      const rng = new Rng(seed);
      for (let round = 0; round < 60; round++) {
        const name = 'u' + rng.int(0, 4);
        const rules = Array.from({ length: rng.int(1, 6) }, () => randomRule(rng));
        await same('ACL', 'SETUSER', name, ...rules);
        await same('ACL', 'GETUSER', name);
      }
      await same('ACL', 'LIST');
      await same('ACL', 'USERS');
      await dropUsers();
    }
  });

  it('describes the subtle orderings byte for byte: +@all -x +x|y, first args, selectors', async () => {
    await dropUsers();
    const cases: string[][] = [
      ['+@all', '-config', '+config|get'],
      ['-@all', '+config', '-config|set'],
      ['+@all', '-@geo', '+geoadd'],
      ['-@all', '+@read', '+@write', '-keys'],
      ['-@all', '+select|0', '+select|1', '+get'],
      ['+@all', '-select', '+select|0'],
      ['-@all', '+@hash', '+@string', '-hset', '+@admin'],
      ['on', '#' + 'a'.repeat(64), '>x', '<x', 'nopass', '>y'],
      ['reset', '%R~r:*', '%W~w:*', '%RW~rw:*', '~r:*', '&c1', '&c2', '(+get ~x &y)', '(-@all +@read %R~*)'],
      ['clearselectors', 'skip-sanitize-payload'],
      ['(', '+get', '~x)', 'sanitize-payload'],
      ['reset', '+@all', '-@all'],
    ];
    for (const rules of cases) {
      await same('ACL', 'SETUSER', 'shape', 'reset', ...rules);
      await same('ACL', 'GETUSER', 'shape');
      await same('ACL', 'LIST');
    }
  });

  it('rejects bad rules with the same texts, changing nothing', async () => {
    await dropUsers();
    await same('ACL', 'SETUSER', 'bad', 'on', '~k*', '+get');
    const bad: string[][] = [
      ['+nosuchcommand'],
      ['+@nosuchcategory'],
      ['~*', '~more'],
      ['&*', '&more'],
      ['<never-set'],
      ['#tooshort'],
      ['!' + 'A'.repeat(64)],
      ['+config|get|deeper'],
      ['+get|'],
      ['(+get', '~x'],
      ['(on)'],
      ['%X~k'],
      ['%R~has space'],
      ['bogus'],
      ['-select|0'],
      ['+set', 'allkeys', '+nosuch'],
    ];
    for (const rules of bad) await same('ACL', 'SETUSER', 'bad', ...rules);
    await same('ACL', 'GETUSER', 'bad');
    await same('ACL', 'SETUSER', 'has space');
    await same('ACL', 'DELUSER', 'default');
    await same('ACL', 'DELUSER', 'bad', 'nobody');
    await same('ACL', 'GETUSER', 'nobody');
  });

  it('DRYRUN gives the same verdicts and errors', async () => {
    await dropUsers();
    await same('ACL', 'SETUSER', 'dry', 'on', '>p', '%R~r:*', '%W~w:*', '~rw:*', '&news.*', '-@all', '+@read', '+set', '+publish', '+subscribe', '+psubscribe', '+config|get', '+select|0', '(+del ~d:*)');
    const calls: string[][] = [
      ['get', 'r:1'], ['get', 'w:1'], ['get', 'rw:1'], ['set', 'w:1', 'v'], ['set', 'r:1', 'v'], ['set', 'rw:1', 'v'],
      ['mget', 'r:1', 'rw:1', 'x'], ['exists', 'w:1'], ['del', 'd:1'], ['del', 'r:1'], ['config', 'get', 'x'], ['config', 'set', 'x', 'y'],
      ['select', '0'], ['select', '1'], ['publish', 'news.a', 'm'], ['publish', 'other', 'm'], ['subscribe', 'news.b', 'x'],
      ['psubscribe', 'news.*'], ['psubscribe', 'news.a*'], ['flushall'], ['nosuch'], ['get'], ['config'], ['ping'], ['auth', 'a', 'b'],
    ];
    for (const call of calls) await same('ACL', 'DRYRUN', 'dry', ...call);
    await same('ACL', 'DRYRUN', 'nobody', 'get', 'x');
  });

  it('NOPERM replies and ACL LOG entries, top level, in MULTI, in EXEC after a change, and from scripts', async () => {
    await dropUsers();
    await same('ACL', 'SETUSER', 'app', 'on', '>pw', '~app:*', '&app.*', '+@read', '+@write', '+multi', '+exec', '+eval', '+publish', '+subscribe', '+acl|whoami');
    await session([
      ['AUTH', 'app', 'pw'],
      ['ACL', 'WHOAMI'],
      ['GET', 'app:1'],
      ['GET', 'other'],
      ['MGET', 'app:1', 'other', 'app:2'],
      ['CONFIG', 'GET', 'port'],
      ['PUBLISH', 'other', 'm'],
      ['PUBLISH', 'app.x', 'm'],
      ['EVAL', "return redis.call('get', 'other')", '0'],
      ['EVAL', "return redis.call('flushall')", '0'],
      ['EVAL', "return redis.acl_check_cmd('get', 'app:1')", '0'],
      ['EVAL', "return redis.acl_check_cmd('get', 'other')", '0'],
      ['MULTI'],
      ['SET', 'app:1', 'v'],
      ['FLUSHALL'],
      ['EXEC'],
      ['MULTI'],
      ['SET', 'app:1', 'v'],
      ['GET', 'app:1'],
    ]);
    // EXEC after the rules changed: each queued call is checked again.
    const clients = await Promise.all([RawClient.connect(targets.reference.port), RawClient.connect(targets.candidate.port)]);
    try {
      const replies: string[][] = [[], []];
      for (const [i, c] of clients.entries()) {
        for (const step of [['AUTH', 'app', 'pw'], ['MULTI'], ['SET', 'app:1', 'v'], ['GET', 'app:2']]) replies[i]!.push((await c.call(...step)).toString('latin1'));
      }
      await same('ACL', 'SETUSER', 'app', '-set');
      for (const [i, c] of clients.entries()) replies[i]!.push((await c.call('EXEC')).toString('latin1'));
      expect(replies[1]).toEqual(replies[0]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    await session([['ACL', 'LOG'], ['ACL', 'LOG', '2'], ['ACL', 'LOG', 'x'], ['ACL', 'LOG', '-1'], ['ACL', 'LOG', 'RESET'], ['ACL', 'LOG']]);
  });

  it('AUTH and HELLO AUTH: users, wrong passwords, disabled users, and their log entries', async () => {
    await dropUsers();
    await same('ACL', 'SETUSER', 'alice', 'on', '>a1', '>a2', '+@all', '~*');
    await same('ACL', 'SETUSER', 'bob', 'off', '>b', '+@all', '~*');
    await same('ACL', 'SETUSER', 'carol', 'on', 'nopass', '+acl|whoami');
    await session([
      ['AUTH', 'alice', 'a1'],
      ['ACL', 'WHOAMI'],
      ['AUTH', 'alice', 'a2'],
      ['AUTH', 'alice', 'wrong'],
      ['ACL', 'WHOAMI'],
      ['AUTH', 'bob', 'b'],
      ['AUTH', 'nobody', 'x'],
      ['AUTH', 'carol', 'anything'],
      ['ACL', 'WHOAMI'],
      ['AUTH', 'onlyone'],
      ['AUTH', 'a', 'b', 'c'],
      ['HELLO', '2', 'AUTH', 'alice', 'nope'],
      ['HELLO', '2', 'AUTH', 'carol', 'x', 'SETNAME', 'c1'],
      ['ACL', 'WHOAMI'],
      ['RESET'],
      ['ACL', 'WHOAMI'],
    ]);
    await session([['AUTH', 'alice', 'a1'], ['ACL', 'LOG']]);
  });

  it('the default user follows requirepass, and a client of a deleted user is disconnected', async () => {
    await dropUsers();
    await same('CONFIG', 'SET', 'requirepass', 'topsecret');
    try {
      await same('ACL', 'GETUSER', 'default');
      const fresh = await session([['GET', 'k'], ['AUTH', 'wrong'], ['AUTH', 'topsecret'], ['ACL', 'WHOAMI'], ['AUTH', 'default', 'topsecret']]);
      expect(fresh[0]).toBe('-NOAUTH Authentication required.\r\n');
    } finally {
      await same('CONFIG', 'SET', 'requirepass', '');
    }
    await same('ACL', 'GETUSER', 'default');
    await same('ACL', 'SETUSER', 'temp', 'on', '>t', '+@all', '~*');
    const clients = await Promise.all([RawClient.connect(targets.reference.port), RawClient.connect(targets.candidate.port)]);
    try {
      for (const c of clients) expect((await c.call('AUTH', 'temp', 't')).toString('latin1')).toBe('+OK\r\n');
      await same('ACL', 'DELUSER', 'temp');
      for (const c of clients) await expect(c.call('PING')).rejects.toThrow();
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('ACL CAT lists the same categories, and the same commands for categories both tables fill alike', async () => {
    await same('ACL', 'CAT');
    await same('ACL', 'CAT', 'nosuch');
    for (const category of CATEGORIES.filter((name) => name !== 'all')) {
      const [ref, cand] = await both('ACL', 'CAT', category);
      // Redis lists them in its dict's hash order.
      const names = (text: string) => text.split('\r\n').filter((line, i) => i > 0 && i % 2 === 0).sort();
      expect(names(cand), category).toEqual(names(ref));
    }
  });

  it('GENPASS, HELP and argument errors', async () => {
    for (const args of [['GENPASS', '0'], ['GENPASS', '4097'], ['GENPASS', 'x'], ['GENPASS', '1', '2'], ['LOG', '1', '2'], ['HELP'], ['NOSUCH'], ['WHOAMI', 'x']]) {
      await same('ACL', ...args);
    }
    for (const [bits, length] of [[undefined, 64], ['1', 1], ['5', 2], ['4096', 1024]] as const) {
      const reply = (await candidate.call('ACL', 'GENPASS', ...(bits === undefined ? [] : [bits]))).toString('latin1');
      expect(reply).toMatch(new RegExp(`^\\$${length}\\r\\n[0-9a-f]{${length}}\\r\\n$`));
    }
  });

  it('subscribers lose their connection when their channels are revoked, as 7.0 does', async () => {
    await dropUsers();
    await same('ACL', 'SETUSER', 'listener', 'on', '>l', '+@all', '~*', 'resetchannels', '&news.*', '&chat');
    const clients = await Promise.all([RawClient.connect(targets.reference.port), RawClient.connect(targets.candidate.port)]);
    try {
      for (const c of clients) {
        await c.call('AUTH', 'listener', 'l');
        expect((await c.call('SUBSCRIBE', 'chat')).toString('latin1')).toContain('chat');
        expect((await c.call('SUBSCRIBE', 'other')).toString('latin1')).toBe(
          '-NOPERM this user has no permissions to access one of the channels used as arguments\r\n',
        );
      }
      // Adding a channel keeps them; taking one away that they use closes them.
      await same('ACL', 'SETUSER', 'listener', '&more');
      for (const c of clients) expect((await c.call('PING')).toString('latin1')).toContain('pong');
      await same('ACL', 'SETUSER', 'listener', 'resetchannels', '&news.*');
      for (const c of clients) await expect(c.call('PING')).rejects.toThrow();
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    await dropUsers();
  });
});
