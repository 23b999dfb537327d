import { describe, expect, it } from 'vitest';
import { RequestParser, INLINE_MAX_SIZE } from '../../../src/protocol/request-parser.js';
import { Rng, FIXED_SEED } from '../../helpers/random.js';

interface Parsed {
  commands: string[][];
  error: string | null;
}

/** Feeds the chunks in order and collects what the parser emits. */
function parse(chunks: Array<string | Buffer>, options: { maxBulkLength?: number; authRequired?: boolean } = {}): Parsed {
  return parseWith(chunks, options).result;
}

/** parse(), also returning the parser itself (to keep it alive or look at its state). */
function parseWith(
  chunks: Array<string | Buffer>,
  options: { maxBulkLength?: number; authRequired?: boolean } = {},
): { result: Parsed; parser: RequestParser } {
  const result: Parsed = { commands: [], error: null };
  const parser = new RequestParser(
    { maxBulkLength: options.maxBulkLength ?? 512 * 1024 * 1024 },
    {
      onCommand: (argv) => result.commands.push(argv),
      onProtocolError: (message) => {
        result.error = message;
      },
      isAuthRequired: () => options.authRequired ?? false,
    },
  );
  for (const chunk of chunks) parser.feed(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  return { result, parser };
}

function multibulk(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
}

describe('RequestParser', () => {
  const pipeline =
    multibulk('SET', 'k\x00ey', 'v\xff\r\nal') +
    'PING\r\n' +
    multibulk('GET', 'k\x00ey') +
    '  echo "a\\x41 b" \'c d\'  \r\n' +
    '*0\r\n*-1\r\n\r\n' +
    multibulk('ECHO', '') +
    'QUIT\n';
  const expected = [
    ['SET', 'k\x00ey', 'v\xff\r\nal'],
    ['PING'],
    ['GET', 'k\x00ey'],
    ['echo', 'aA b', 'c d'],
    ['ECHO', ''],
    ['QUIT'],
  ];

  it('parses a mixed multibulk and inline pipeline in order', () => {
    expect(parse([pipeline])).toEqual({ commands: expected, error: null });
  });

  it('gives the same commands when the pipeline is split at every byte', () => {
    for (let split = 1; split < pipeline.length; split++) {
      const got = parse([pipeline.slice(0, split), pipeline.slice(split)]);
      expect(got, `split at ${split}`).toEqual({ commands: expected, error: null });
    }
  });

  it('gives the same commands when every byte arrives on its own', () => {
    expect(parse([...pipeline])).toEqual({ commands: expected, error: null });
  });

  it.each([
    ['*abc\r\n', 'invalid multibulk length'],
    ['*-0\r\n', 'invalid multibulk length'],
    ['*01\r\n', 'invalid multibulk length'],
    ['*3000000000\r\n', 'invalid multibulk length'],
    ['*1\r\n:5\r\n', "expected '$', got ':'"],
    ['*1\r\n$abc\r\n', 'invalid bulk length'],
    ['*1\r\n$-5\r\n', 'invalid bulk length'],
    ['*1\r\n$600000000\r\n', 'invalid bulk length'],
    ['"foo\r\n', 'unbalanced quotes in request'],
    ['ECHO "a"b\r\n', 'unbalanced quotes in request'],
  ])('rejects %j with Redis\'s error text', (input, detail) => {
    expect(parse([input]).error).toBe('ERR Protocol error: ' + detail);
  });

  it('emits the commands before a protocol error, and none after it', () => {
    const got = parse([multibulk('PING') + 'PING\r\n*1\r\n:1\r\n' + multibulk('PING')]);
    expect(got.commands).toEqual([['PING'], ['PING']]);
    expect(got.error).toBe("ERR Protocol error: expected '$', got ':'");
  });

  it('rejects an inline request longer than 64 KB, even split across chunks', () => {
    const long = 'x'.repeat(INLINE_MAX_SIZE + 1);
    expect(parse([long.slice(0, 1000), long.slice(1000)]).error).toBe('ERR Protocol error: too big inline request');
  });

  it('rejects a header line longer than 64 KB', () => {
    expect(parse(['*' + '1'.repeat(INLINE_MAX_SIZE + 10)]).error).toBe('ERR Protocol error: too big mbulk count string');
    expect(parse(['*1\r\n$' + '1'.repeat(INLINE_MAX_SIZE + 10)]).error).toBe(
      'ERR Protocol error: too big bulk count string',
    );
  });

  it('honours proto-max-bulk-len', () => {
    expect(parse([multibulk('ECHO', 'x'.repeat(2000))], { maxBulkLength: 2000 }).error).toBeNull();
    expect(parse([multibulk('ECHO', 'x'.repeat(2001))], { maxBulkLength: 2000 }).error).toBe(
      'ERR Protocol error: invalid bulk length',
    );
  });

  it('lowers the limits for unauthenticated clients, as Redis does', () => {
    expect(parse(['*11\r\n'], { authRequired: true }).error).toBe('ERR Protocol error: unauthenticated multibulk length');
    expect(parse(['*1\r\n$16385\r\n'], { authRequired: true }).error).toBe(
      'ERR Protocol error: unauthenticated bulk length',
    );
    expect(parse(['*10\r\n$16384\r\n'], { authRequired: true }).error).toBeNull();
  });

  it('keeps a bulk that is split into many chunks intact', () => {
    const value = Buffer.alloc(300_000, 0xab).latin1Slice();
    const bytes = Buffer.from(multibulk('SET', 'k', value), 'latin1');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7919) chunks.push(bytes.subarray(i, i + 7919));
    const got = parse(chunks);
    expect(got.error).toBeNull();
    expect(got.commands).toHaveLength(1);
    expect(got.commands[0]![2]!.length).toBe(300_000);
    expect(got.commands[0]![2]).toBe(value);
  });

  it('follows Redis in skipping the byte after a header CR without checking it', () => {
    expect(parse(['*1\rX$4\r\nPING\r\n']).commands).toEqual([['PING']]);
  });

  // Commands that arrive whole are cut out by the framer's fast path; split
  // ones go through the state machine and redis-parser. Both must agree on
  // every command and every error, wherever the chunks happen to break.
  it('gives the same result whole, chunked at random, and byte by byte (random pipelines)', () => {
    const rng = new Rng(FIXED_SEED);
    const pieces = [
      () => multibulk('SET', 'k' + rng.int(0, 99), 'x'.repeat(rng.int(0, 40))),
      () => multibulk('GET', 'k\r\n' + rng.int(0, 99)),
      () => multibulk(...Array.from({ length: rng.int(1, 14) }, () => String(rng.int(0, 1e6)))),
      () => 'PING\r\n',
      () => '*0\r\n',
      () => multibulk('ECHO', Buffer.alloc(rng.int(0, 20000), 0xfe).latin1Slice()),
    ];
    const faults = ['*1\r\n:1\r\n', '*1\r\n$-5\r\n', '*abc\r\n', '*2\r\n$3\r\nGET\r\n$x\r\n', '"open\r\n'];
    for (let round = 0; round < 200; round++) {
      let stream = '';
      for (let i = rng.int(1, 12); i > 0; i--) stream += pieces[rng.int(0, pieces.length - 1)]!();
      if (rng.int(0, 3) === 0) stream += faults[rng.int(0, faults.length - 1)]! + multibulk('PING');
      const authRequired = rng.int(0, 4) === 0;
      const whole = parse([stream], { authRequired });
      const chunks: string[] = [];
      for (let at = 0; at < stream.length; ) {
        const size = rng.int(1, 64);
        chunks.push(stream.slice(at, at + size));
        at += size;
      }
      expect(parse(chunks, { authRequired }), `round ${round}, random chunks`).toEqual(whole);
      expect(parse([...stream], { authRequired }), `round ${round}, byte by byte`).toEqual(whole);
    }
  });

  // Short arguments are built with String.fromCharCode, long ones with
  // latin1Slice: every byte value must come out the same at every length.
  it('keeps every byte value intact in arguments of every short length', () => {
    const args: string[] = [];
    for (let length = 0; length <= 20; length++) {
      for (let first = 0; first < 256; first += length || 256) {
        args.push(Array.from({ length }, (_, i) => String.fromCharCode((first + i * 37) & 255)).join(''));
      }
    }
    const got = parse([multibulk('RPUSH', ...args)]);
    expect(got.error).toBeNull();
    expect(got.commands).toEqual([['RPUSH', ...args]]);
  });

  // networking.c sizes argv at min(count, 1024) and grows it as elements
  // arrive, so a 12-byte header can't make the server reserve gigabytes.
  it('reserves no memory for elements that a multibulk header only announces', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const kept = ['*30000000\r\n', '*1048577\r\n', '*2147483647\r\n$3\r\nSET\r\n'].map((header) => parseWith([header]));
    const grown = process.memoryUsage().heapUsed - heapBefore;
    for (const { result } of kept) expect(result).toEqual({ commands: [], error: null });
    // 30M slots would be 240 MB; three parsers and their strings take a few KB.
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    expect(kept.map(({ parser }) => parser.pendingBytes)).toEqual([11, 10, 22]);
  });

  it('builds a command whose arguments arrive one read at a time', () => {
    const args = Array.from({ length: 3000 }, (_, i) => `arg${i}`);
    const bytes = multibulk('RPUSH', 'list', ...args);
    const chunks: string[] = [];
    for (let at = 0; at < bytes.length; at += 97) chunks.push(bytes.slice(at, at + 97));
    expect(parse(chunks)).toEqual({ commands: [['RPUSH', 'list', ...args]], error: null });
  });

  // Redis waits for the whole header line before it looks at its first byte.
  it('checks an unfinished header line only once its CR has arrived', () => {
    const { result, parser } = parseWith(['*2\r\n$4\r\nECHO\r\nxyz']);
    expect(result).toEqual({ commands: [], error: null });
    parser.feed(Buffer.from('\r\n'));
    expect(result).toEqual({ commands: [], error: "ERR Protocol error: expected '$', got 'x'" });
  });

  it('names the CR of an empty bulk length line, whole or split after the CR', () => {
    const error = "ERR Protocol error: expected '$', got '\r'";
    expect(parse(['*1\r\n\r\n'])).toEqual({ commands: [], error });
    expect(parse(['*1\r\n\r', '\n'])).toEqual({ commands: [], error });
  });

  it.each([
    ['*-9223372036854775809\r\nPING\r\n', 'invalid multibulk length'],
    ['*9223372036854775808\r\n', 'invalid multibulk length'],
    ['*-99999999999999999999\r\n', 'invalid multibulk length'],
    ['*1\r\n$9223372036854775808\r\n', 'invalid bulk length'],
    ['*1\r\n$-9223372036854775809\r\n', 'invalid bulk length'],
  ])('rejects %j, a length outside int64, as string2ll does', (input, detail) => {
    expect(parse([input])).toEqual({ commands: [], error: 'ERR Protocol error: ' + detail });
    expect(parse([...input])).toEqual({ commands: [], error: 'ERR Protocol error: ' + detail });
  });

  it('takes int64\'s smallest value as a count, which frames as no command', () => {
    expect(parse(['*-9223372036854775808\r\nPING\r\n'])).toEqual({ commands: [['PING']], error: null });
  });

  // V8's longest string is 24 bytes short of the default proto-max-bulk-len.
  it('refuses a 512 MB bulk at its header with the text Redis gives a bulk over the limit', () => {
    expect(parse(['*1\r\n$536870912\r\n'])).toEqual({ commands: [], error: 'ERR Protocol error: invalid bulk length' });
    expect(parse(['*1\r\n$53687', '0912\r\n'])).toEqual({ commands: [], error: 'ERR Protocol error: invalid bulk length' });
    expect(parse(['*1\r\n$536870888\r\n'])).toEqual({ commands: [], error: null });
  });

  // Redis finds line ends with strchr, which stops at a NUL byte: a NUL before
  // the end of a header or inline line means that line never ends, and the
  // client waits until the buffer passes 64 KB.
  // (The 64 KB count from the start of the line that never ends.)
  it.each([
    ['PING\x00\r\nPING\r\n', 0, 'too big inline request'],
    ['\x00PING\r\n', 0, 'too big inline request'],
    ['*1\x00\r\n$4\r\nPING\r\n', 0, 'too big mbulk count string'],
    ['*1\r\n$4\x00\r\nPING\r\n', 4, 'too big bulk count string'],
  ])('waits on %j as on a line without end, then rejects it past 64 KB', (input, lineStart, detail) => {
    const { result, parser } = parseWith([input]);
    expect(result).toEqual({ commands: [], error: null });
    parser.feed(Buffer.alloc(INLINE_MAX_SIZE - (input.length - lineStart), 0x0a));
    expect(result).toEqual({ commands: [], error: null });
    parser.feed(Buffer.from('\n'));
    expect(result).toEqual({ commands: [], error: 'ERR Protocol error: ' + detail });
  });

  it('hands out the same command name string while a pipeline repeats it, and a new one when the bytes differ', () => {
    const long = 'x'.repeat(40);
    const { commands } = parse([
      multibulk('GET', 'a') + multibulk('GET', 'b') + multibulk('get', 'c') + multibulk('GEX', 'd') + multibulk('GET', 'e') + multibulk(long, 'f') + multibulk(long, 'g') + multibulk('GET', 'h'),
    ]);
    expect(commands.map((argv) => argv.join(' '))).toEqual(['GET a', 'GET b', 'get c', 'GEX d', 'GET e', `${long} f`, `${long} g`, 'GET h']);
    // Only names are shared: every command has its own argv.
    expect(new Set(commands).size).toBe(commands.length);
  });

  it('reads a NUL after a line end as ordinary data', () => {
    expect(parse(['*1\r\n$4\r\nPI\x00G\r\nPING\r\n'])).toEqual({ commands: [['PI\x00G'], ['PING']], error: null });
  });
});
