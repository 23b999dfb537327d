/**
 * The syntax parser behind COMMAND DOCS and the key specs behind COMMAND
 * INFO. Expected trees are Redis 7.0.15's COMMAND DOCS replies for the same
 * commands, except where noted: Redis names anonymous groups by hand
 * ("condition", "expiration"), reddish joins its members' names.
 */
import { describe, expect, it } from 'vitest';
import { describeCommand, keyFlags, parseSyntax, SyntaxSpecError, type CommandArgument } from '../../src/commands/command-docs.js';
import type { CommandSpec } from '../../src/commands/types.js';

function spec(fields: Partial<CommandSpec>): CommandSpec {
  return {
    name: 'x',
    arity: -1,
    flags: [],
    firstKey: 0,
    lastKey: 0,
    keyStep: 0,
    group: 'generic',
    summary: 'A test command',
    since: '1.0.0',
    handler: () => {},
    ...fields,
  };
}

const arg = (name: string, type: CommandArgument['type'], extra: Partial<CommandArgument> = {}): CommandArgument => ({ name, type, flags: [], ...extra });
const token = (text: string, extra: Partial<CommandArgument> = {}): CommandArgument => arg(text.toLowerCase(), 'pure-token', { token: text, ...extra });

describe('parseSyntax', () => {
  it('reads plain, typed and key arguments', () => {
    expect(parseSyntax('key start:integer end:integer')).toEqual([arg('key', 'key'), arg('start', 'integer'), arg('end', 'integer')]);
    expect(parseSyntax('source:key increment:double when:unix-time pattern:pattern message')).toEqual([
      arg('source', 'key'),
      arg('increment', 'double'),
      arg('when', 'unix-time'),
      arg('pattern', 'pattern'),
      arg('message', 'string'),
    ]);
    expect(parseSyntax('')).toEqual([]);
  });

  it("gives SET's tree as Redis does", () => {
    const tree = parseSyntax(
      'key value [NX | XX] [GET] [EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | KEEPTTL]',
    );
    expect(tree).toEqual([
      arg('key', 'key'),
      arg('value', 'string'),
      arg('nx-xx', 'oneof', { flags: ['optional'], arguments: [token('NX'), token('XX')] }),
      token('GET', { flags: ['optional'] }),
      arg('seconds-milliseconds-unix-time-seconds-unix-time-milliseconds-keepttl', 'oneof', {
        flags: ['optional'],
        arguments: [
          arg('seconds', 'integer', { token: 'EX' }),
          arg('milliseconds', 'integer', { token: 'PX' }),
          arg('unix-time-seconds', 'unix-time', { token: 'EXAT' }),
          arg('unix-time-milliseconds', 'unix-time', { token: 'PXAT' }),
          token('KEEPTTL'),
        ],
      }),
    ]);
  });

  it('turns `x [x ...]` into a multiple argument and `k v [k v ...]` into a multiple block', () => {
    expect(parseSyntax('key [key ...]')).toEqual([arg('key', 'key', { flags: ['multiple'] })]);
    expect(parseSyntax('key value [key value ...]')).toEqual([
      arg('key-value', 'block', { flags: ['multiple'], arguments: [arg('key', 'key'), arg('value', 'string')] }),
    ]);
    expect(parseSyntax('[command-name [command-name ...]]')).toEqual([arg('command-name', 'string', { flags: ['optional', 'multiple'] })]);
  });

  it('gives a token to the argument after it, and multiple_token to a repeated token', () => {
    expect(parseSyntax('[WEIGHTS weight:integer [weight:integer ...]]')).toEqual([
      arg('weight', 'integer', { token: 'WEIGHTS', flags: ['optional', 'multiple'] }),
    ]);
    expect(parseSyntax('[GET pattern:pattern [GET pattern:pattern ...]]')).toEqual([
      arg('pattern', 'pattern', { token: 'GET', flags: ['optional', 'multiple', 'multiple_token'] }),
    ]);
    // BITFIELD_RO: a repeated token that leads several arguments is a block.
    expect(parseSyntax('key [GET encoding offset:integer [GET encoding offset:integer ...]]')).toEqual([
      arg('key', 'key'),
      arg('get', 'block', {
        token: 'GET',
        flags: ['optional', 'multiple', 'multiple_token'],
        arguments: [arg('encoding', 'string'), arg('offset', 'integer')],
      }),
    ]);
  });

  it('makes a token followed by several arguments a block named after the token', () => {
    expect(parseSyntax('[LIMIT offset:integer count:integer]')).toEqual([
      arg('limit', 'block', { token: 'LIMIT', flags: ['optional'], arguments: [arg('offset', 'integer'), arg('count', 'integer')] }),
    ]);
  });

  it("gives HELLO's nested optional arguments", () => {
    expect(parseSyntax('[protover:integer [AUTH username password] [SETNAME clientname]]')).toEqual([
      arg('protover-auth-clientname', 'block', {
        flags: ['optional'],
        arguments: [
          arg('protover', 'integer'),
          arg('auth', 'block', { token: 'AUTH', flags: ['optional'], arguments: [arg('username', 'string'), arg('password', 'string')] }),
          arg('clientname', 'string', { token: 'SETNAME', flags: ['optional'] }),
        ],
      }),
    ]);
  });

  it('names a group led by a token after the token (COMMAND LIST FILTERBY)', () => {
    expect(parseSyntax('[FILTERBY (MODULE module-name | ACLCAT category | PATTERN pattern:pattern)]')).toEqual([
      arg('filterby', 'oneof', {
        token: 'FILTERBY',
        flags: ['optional'],
        arguments: [
          arg('module-name', 'string', { token: 'MODULE' }),
          arg('category', 'string', { token: 'ACLCAT' }),
          arg('pattern', 'pattern', { token: 'PATTERN' }),
        ],
      }),
    ]);
  });

  it('reads a required choice in parentheses and symbol tokens', () => {
    expect(parseSyntax('key (LEFT | RIGHT) [= | ~]')).toEqual([
      arg('key', 'key'),
      arg('left-right', 'oneof', { arguments: [token('LEFT'), token('RIGHT')] }),
      arg('=-~', 'oneof', { flags: ['optional'], arguments: [token('='), token('~')] }),
    ]);
  });

  it('rejects malformed syntax', () => {
    const bad = [
      'key [value',
      'key value]',
      '(a | b',
      'a | b',
      '[a | ]',
      '[]',
      'key ...',
      '[key ...] key',
      'key [value ...]',
      'count:number',
      'Key',
      '[x ... y]',
    ];
    for (const syntax of bad) expect(() => parseSyntax(syntax), syntax).toThrow(SyntaxSpecError);
    expect(() => parseSyntax('EX (PX ms)')).toThrow(/token EX before an argument that has one/);
  });
});

describe('describeCommand key specs', () => {
  it('gives one index + range spec from first/last/step, as Redis does', () => {
    const get = describeCommand(spec({ flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, keyStep: 1, syntax: 'key' }), false);
    expect(get.keySpecs).toEqual([
      { flags: ['RO', 'access'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, keystep: 1, limit: 0 } },
    ]);
    expect(get.arguments[0]!.keySpecIndex).toBe(0);

    const mset = describeCommand(spec({ flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, keyStep: 2, syntax: 'key value [key value ...]' }), false);
    expect(mset.keySpecs).toEqual([
      { flags: ['RW', 'access', 'update'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: -1, keystep: 2, limit: 0 } },
    ]);
    expect(mset.arguments[0]!.arguments![0]!.keySpecIndex).toBe(0);

    const lcs = describeCommand(spec({ flags: ['readonly'], firstKey: 1, lastKey: 2, keyStep: 1, syntax: 'key1:key key2:key' }), false);
    expect(lcs.keySpecs[0]!.findKeys).toEqual({ type: 'range', lastkey: 1, keystep: 1, limit: 0 });
  });

  it('gives keyless commands no specs', () => {
    expect(describeCommand(spec({ syntax: '[message]' }), false).keySpecs).toEqual([]);
  });

  it('derives index and keynum specs from the syntax of a command with a keys function', () => {
    const zunionstore = spec({
      flags: ['write', 'denyoom'],
      firstKey: 1,
      lastKey: 1,
      keyStep: 1,
      syntax: 'destination:key numkeys:integer key [key ...] [WEIGHTS weight:integer [weight:integer ...]]',
      keys: (argv) => [1, ...Array.from({ length: Number(argv[2]) }, (_, i) => 3 + i)],
    });
    const described = describeCommand(zunionstore, false);
    expect(described.keySpecs).toEqual([
      { flags: ['RW', 'access', 'update'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ['RW', 'access', 'update'], beginSearch: { type: 'index', index: 2 }, findKeys: { type: 'keynum', keynumidx: 0, firstkey: 1, keystep: 1 } },
    ]);
    expect(described.arguments.map((a) => a.keySpecIndex)).toEqual([0, undefined, 1, undefined]);

    // EVAL: the keys after numkeys are optional, which keynum covers (numkeys may be 0).
    const evalSpec = spec({ flags: ['noscript'], syntax: 'script numkeys:integer [key [key ...]] [arg [arg ...]]', keys: () => [] });
    expect(describeCommand(evalSpec, false).keySpecs).toEqual([
      { flags: ['RO', 'access'], beginSearch: { type: 'index', index: 2 }, findKeys: { type: 'keynum', keynumidx: 0, firstkey: 1, keystep: 1 } },
    ]);
  });

  it('gives keys it cannot place one shared unknown spec flagged incomplete', () => {
    const sort = spec({
      flags: ['write', 'denyoom'],
      firstKey: 1,
      lastKey: 1,
      keyStep: 1,
      syntax: 'key [BY pattern:pattern] [LIMIT offset:integer count:integer] [ASC | DESC] [STORE destination:key]',
      keys: () => [1],
    });
    const described = describeCommand(sort, false);
    expect(described.keySpecs).toEqual([
      { flags: ['RW', 'access', 'update'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, keystep: 1, limit: 0 } },
      { flags: ['RW', 'access', 'update', 'incomplete'], beginSearch: { type: 'unknown' }, findKeys: { type: 'unknown' } },
    ]);
    expect(described.arguments[4]!.keySpecIndex).toBe(1);
  });

  it('counts positions after the subcommand name for subcommands, and after tokens', () => {
    const sub = spec({ flags: ['readonly'], syntax: 'FROM source:key', keys: () => [3] });
    expect(describeCommand(sub, true).keySpecs[0]!.beginSearch).toEqual({ type: 'index', index: 3 });
  });

  it('uses declared key flags over the defaults', () => {
    const del = { ...spec({ flags: ['write'], firstKey: 1, lastKey: -1, keyStep: 1, syntax: 'key [key ...]' }), keyFlags: ['RM', 'delete'] };
    expect(keyFlags(del)).toEqual(['RM', 'delete']);
    expect(describeCommand(del, false).keySpecs[0]!.flags).toEqual(['RM', 'delete']);
  });

  it('computes a description once per spec', () => {
    const s = spec({ syntax: 'key', firstKey: 1, lastKey: 1, keyStep: 1 });
    expect(describeCommand(s, false)).toBe(describeCommand(s, false));
  });
});
