/**
 * The engine's boundary when its WebAssembly memory grows. The memory
 * starts at 16 MB; growing it detaches every view the host holds, and the
 * host must then read and write through new ones. Each case uses a fresh
 * engine, so that the growth happens exactly where the case says: while a
 * run's KEYS/ARGV are written, while a redis.call reply is written back,
 * or inside the script; and the runs after it must still see the right
 * bytes. (The byte-level behaviour at ordinary sizes is compared with
 * redis-server in the scripting corpus, theme "the engine boundary".)
 */
import { describe, expect, it } from 'vitest';
import { LuaEngine, type ScriptHost } from '../../../src/scripting/lua-engine.js';

const MiB = 1024 * 1024;
const SHA = 'f'.repeat(40);

/** A host whose redis.call answers from `replies` by command name, and records what it was asked. */
function stubHost(replies: Record<string, string>): ScriptHost & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    call: (argv) => {
      calls.push(argv);
      return replies[argv[0]!] ?? '-ERR unknown\r\n';
    },
    log: () => {},
    setRepl: () => {},
    aclCheck: () => 1,
    interrupt: () => 0,
  };
}

/** The engine's memory size, to check that a case did grow it. */
function memoryBytes(engine: LuaEngine): number {
  return (engine as unknown as { module: { HEAPU8: Uint8Array } }).module.HEAPU8.length;
}

function compile(engine: LuaEngine, id: number, body: string): void {
  expect(engine.compile(id, SHA, body, 0)).toBeNull();
}

function run(engine: LuaEngine, id: number, keys: string[], args: string[]): string {
  const outcome = engine.run(id, ['EVAL', 'body', String(keys.length), ...keys, ...args], 3, 3 + keys.length, 2, true, false);
  expect(outcome.finished).toBe(true);
  return outcome.reply;
}

describe('LuaEngine when its memory grows', () => {
  it('writes KEYS and ARGV that need more memory than there is', () => {
    const engine = new LuaEngine(stubHost({}));
    compile(engine, 1, 'return {#KEYS[1], KEYS[1]:sub(-2), #ARGV[1], ARGV[1]:sub(1, 2), ARGV[2]}');
    const before = memoryBytes(engine);
    expect(run(engine, 1, ['k'.repeat(9 * MiB) + 'yz'], ['\xff\x00' + 'a'.repeat(12 * MiB), 'tail'])).toBe(
      `*5\r\n:${9 * MiB + 2}\r\n$2\r\nyz\r\n:${12 * MiB + 2}\r\n$2\r\n\xff\x00\r\n$4\r\ntail\r\n`,
    );
    expect(memoryBytes(engine)).toBeGreaterThan(before);
    expect(run(engine, 1, ['k1'], ['xy', 'z'])).toBe('*5\r\n:2\r\n$2\r\nk1\r\n:2\r\n$2\r\nxy\r\n$1\r\nz\r\n');
  });

  it('writes a redis.call reply that needs more memory than there is, and reads the next call through the new views', () => {
    const big = 'v'.repeat(20 * MiB) + '\xfe';
    const host = stubHost({ GET: `$${big.length}\r\n${big}\r\n`, ECHO: '$5\r\nsmall\r\n' });
    const engine = new LuaEngine(host);
    compile(engine, 1, "local v = redis.call('GET', KEYS[1])\nreturn {#v, v:sub(-2), redis.call('ECHO', 'small', ARGV[1])}");
    const before = memoryBytes(engine);
    expect(run(engine, 1, ['big'], ['arg'])).toBe(`*3\r\n:${big.length}\r\n$2\r\nv\xfe\r\n$5\r\nsmall\r\n`);
    expect(memoryBytes(engine)).toBeGreaterThan(before);
    expect(host.calls).toEqual([
      ['GET', 'big'],
      ['ECHO', 'small', 'arg'],
    ]);
  });

  it('reads the reply and the error codes of a script whose own strings grew the memory', () => {
    const host = stubHost({ ECHO: '$2\r\nok\r\n' });
    const engine = new LuaEngine(host);
    compile(engine, 1, "local s = string.rep('ab', 10 * 1024 * 1024)\nreturn {#s, s:sub(1, 3), redis.call('ECHO', KEYS[1])}");
    compile(engine, 2, "local s = string.rep('cd', 12 * 1024 * 1024)\nreturn redis.error_reply('MYERR ' .. #s)");
    const before = memoryBytes(engine);
    expect(run(engine, 1, ['k'], [])).toBe(`*3\r\n:${20 * MiB}\r\n$3\r\naba\r\n$2\r\nok\r\n`);
    expect(memoryBytes(engine)).toBeGreaterThan(before);
    const outcome = engine.run(2, ['EVAL', 'body', '0'], 3, 3, 2, true, false);
    expect(outcome).toEqual({ finished: true, reply: `-MYERR ${24 * MiB}\r\n`, errorCodes: ['MYERR'] });
  });
});
