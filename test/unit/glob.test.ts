import { describe, expect, it } from 'vitest';
import { compileMatcher, stringMatch } from '../../src/text/glob.js';
import { findRedisServer, useRedisServer } from '../helpers/redis-server.js';
import { replyToPlain, type PlainReply, type RawClient } from '../helpers/resp-client.js';

describe('stringMatch', () => {
  const cases: Array<[pattern: string, subject: string, expected: boolean]> = [
    // literals
    ['hello', 'hello', true],
    ['hello', 'hell', false],
    ['hello', 'helloo', false],
    ['', '', true],
    ['', 'a', false],
    ['a', '', false],
    // '*'
    ['*', 'anything', true],
    ['*', '', false], // the loop never runs on an empty subject
    ['**', '', false],
    ['**', 'x', true],
    ['h*o', 'hello', true],
    ['h*o', 'ho', true],
    ['h*o', 'hellx', false],
    ['*llo', 'hello', true],
    ['he*', 'he', true],
    ['he**', 'he', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXcYb', false],
    ['*a*', 'bab', true],
    ['*a*', 'bbb', false],
    // '?'
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['?', '', false],
    ['??', 'ab', true],
    ['???*', 'ab', false],
    // classes
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[a-b]llo', 'hcllo', false],
    ['h[b-a]llo', 'hallo', true], // reversed ranges are swapped
    ['[a-]', '-', false], // a range from 'a' to ']' (swapped), unterminated
    ['[a-]', '_', true],
    ['[a-]', 'a', true],
    ['[-a]', '-', true],
    ['[]]', ']', false], // the first ']' closes an empty class
    ['[]a]', 'a', false],
    ['[]a]', ']a]', false],
    ['[', '[', false],
    ['[', 'x', false],
    ['[a', 'a', true], // unterminated class
    ['[a', 'b', false],
    ['[^', 'x', true], // unterminated, negated, empty: any byte
    ['[^a', 'a', false],
    ['[!a]', '!', true], // '!' is not negation in Redis
    ['[!a]', 'b', false],
    // escapes
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['\\?', '?', true],
    ['\\[', '[', true],
    ['\\a', 'a', true],
    ['a\\', 'a\\', true], // a trailing backslash is literal
    ['\\', '\\', true],
    ['[\\]]', ']', true],
    ['[\\]', ']', true], // escaped ']' then the class runs off the end
    ['[\\', '\\', true], // a lone backslash at the end of a class is literal
    ['[\\-]', '-', true],
    ['[a\\-z]', 'b', false],
    ['*\\', 'ab\\', true],
    // binary bytes: '[x-y]' compares signed chars
    ['[\x80-\xff]', '\x90', true],
    ['[\x80-\xff]', 'a', false],
    ['[a-\xff]', 'A', true], // 0xff is -1: the range is [-1, 'a']
    ['[a-\xff]', '\x80', false],
    ['[a-\xff]', 'b', false],
    ['\x00*', '\x00abc', true],
    ['*\x00', 'ab', false],
    ['[\x00]', '\x00', true],
  ];
  it.each(cases)('%j vs %j -> %s', (pattern, subject, expected) => {
    expect(stringMatch(pattern, subject)).toBe(expected);
  });

  it('folds ASCII only when nocase is set', () => {
    expect(stringMatch('HeLLo', 'hello', true)).toBe(true);
    expect(stringMatch('HeLLo', 'hello')).toBe(false);
    expect(stringMatch('h[A-C]llo', 'hbllo', true)).toBe(true);
    expect(stringMatch('h[a-c]llo', 'hBllo', true)).toBe(true);
    expect(stringMatch('[X]', 'x', true)).toBe(true);
    // Latin-1 letters are not letters in the C locale.
    expect(stringMatch('\xc9', '\xe9', true)).toBe(false);
    // '[Z-a]' folds to '[z-a]' only after the swap: bounds 'z'..'a' never match.
    expect(stringMatch('[Z-a]', '_', true)).toBe(false);
    expect(stringMatch('[Z-a]', '_')).toBe(true);
  });

  it('stays fast on patterns that would backtrack exponentially', () => {
    const pattern = 'a*'.repeat(40) + 'b';
    const subject = 'a'.repeat(200);
    const t0 = Date.now();
    expect(stringMatch(pattern, subject)).toBe(false);
    expect(stringMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('gives up past 1000 nested stars, as Redis 7.0.9+ does', () => {
    expect(stringMatch('*x'.repeat(1000), 'x'.repeat(1000))).toBe(true);
    expect(stringMatch('*x'.repeat(1001), 'x'.repeat(1001))).toBe(false);
  });
});

describe('compileMatcher', () => {
  it('treats a lone * as KEYS/SCAN do: everything, the empty key too', () => {
    expect(compileMatcher('*')('')).toBe(true);
    expect(compileMatcher('*')('abc')).toBe(true);
    expect(compileMatcher('**')('')).toBe(false);
  });

  it('fast paths agree with the general matcher', () => {
    const shapes = ['', 'ab', 'ab*', '*ab', '*ab*', 'a*b', 'ab*ba', 'a*b*', '*a*b', 'a**b', '*', 'AB*', '*aB*', 'A*b'];
    const alphabet = ['a', 'b', 'A', 'B', 'x'];
    // Every subject of length 0..5 over a small alphabet.
    const subjects: string[] = [''];
    for (let len = 1, layer = ['']; len <= 5; len++) {
      layer = layer.flatMap((s) => alphabet.map((c) => s + c));
      subjects.push(...layer);
    }
    const mismatches: string[] = [];
    for (const nocase of [false, true]) {
      for (const shape of shapes) {
        if (shape === '*') continue; // the deliberate KEYS shortcut, tested above
        const m = compileMatcher(shape, nocase);
        for (const s of subjects) {
          if (m(s) !== stringMatch(shape, s, nocase)) mismatches.push(`${shape} ${s} nocase=${nocase}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with stringMatch on random patterns', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pchars = 'ab*?[]^-\\';
    const mismatches: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let p = '';
      for (let n = rand(7); n > 0; n--) p += pchars[rand(pchars.length)];
      let s = '';
      for (let n = rand(6); n > 0; n--) s += 'ab-]'[rand(4)];
      if (p !== '*' && compileMatcher(p)(s) !== stringMatch(p, s)) mismatches.push(`${p} ${s}`);
    }
    expect(mismatches).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Differential check against a real redis-server, over raw RESP.

const hasRedis = findRedisServer() !== null;
if (!hasRedis) console.warn('redis-server is not on PATH: the glob differential test is skipped');

/** Sends commands pipelined and resolves with their replies in order. */
async function pipeline(client: RawClient, commands: string[][]): Promise<PlainReply[]> {
  return (await client.pipeline(commands)).map((reply) => replyToPlain(reply));
}

describe('differential against redis-server', () => {
  const redis = useRedisServer({ enabled: hasRedis });

  const keys = [
    '', 'a', 'A', 'ab', 'abc', 'aBc', 'a*c', 'a?c', 'a[c', 'a]c', 'a\\c', '\\', '[', ']', '-', '^',
    'hello', 'hallo', 'hxllo', 'hllo', 'heeeello', 'h\xe9llo', '\xff', '\x80', '\x00', 'a\x00b',
    'foo:bar:baz', 'foo::', 'user:1', 'user:10', 'user:100', '*', '?', '[abc]', 'a-z', 'Z', 'z', '_',
    '{tag}', 'ab\\', 'x'.repeat(30), 'a'.repeat(30) + 'b', 'x'.repeat(1001),
  ];
  const patterns = [
    '*', '**', '?', '??', '???*', 'a*', '*c', 'a*c', 'h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo',
    'h[a-b]llo', 'h[b-a]llo', '[a-c]*', '[A-Z]', '[z-a]', '[\\]]', '[\\', '[\\]', '\\', '\\*', '\\?',
    'a\\', '[', '[a', '[^', '[]]', '[]a]', '[a-]', '[-a]', '[!a]', '*[', 'a[*', '[\x80-\xff]',
    '[a-\xff]', '[\x00]', '*\x00*', 'foo:*:*', 'user:?', 'user:*0', '*a*a*a*a*a*b', '{tag}',
    '[{]tag}', '*\\', '[^a-z]', 'h[^', 'a\\*c', '*x'.repeat(1000), '*x'.repeat(1001),
  ];

  it.skipIf(!hasRedis)('KEYS selects the same keys as stringMatch', async () => {
    const setup = keys.map((k) => ['SET', k, '1']);
    const setReplies = await pipeline(redis.client, setup);
    expect(setReplies.every((r) => r === 'OK')).toBe(true);
    const replies = await pipeline(
      redis.client,
      patterns.map((p) => ['KEYS', p]),
    );
    for (let i = 0; i < patterns.length; i++) {
      const p = patterns[i]!;
      const fromRedis = [...(replies[i] as string[])].sort();
      const ours = keys.filter(compileMatcher(p)).sort();
      expect(ours, `pattern ${JSON.stringify(p)}`).toEqual(fromRedis);
      if (p !== '*') expect(keys.filter((k) => stringMatch(p, k)).sort()).toEqual(fromRedis);
    }
  });
});
