/**
 * Hostile and broken request streams for the protocol fuzzer, drawn from a
 * seeded Rng so that any failing input can be replayed from its seed and
 * index.
 *
 * Every input is sent to reddish and to a real redis-server and the replies
 * must agree byte for byte, so the commands inside are only ones whose
 * replies depend on nothing but the input (no TTLs, clocks, random picks or
 * hash-table order), on keys of the stream's own that the runner resets. What
 * mutations may turn them into is the point of the exercise.
 *
 * Line lengths between 64 KB and 256 KB are never generated: Redis checks
 * its 64 KB line limit only between its 16 KB reads, so what it does with
 * such a line depends on timing (see DESIGN.md, Contradictions).
 */
import type { Rng } from '../helpers/random.js';

export interface ProtocolInput {
  /** Which generator made it, for reports. */
  kind: string;
  /** The bytes, cut into the writes that carry them. */
  parts: Buffer[];
  /** Pause between the writes, in ms. */
  gapMs: number;
}

/**
 * The keys one stream of inputs uses, all under `prefix`; the runner deletes
 * them now and then. Streams that run side by side get prefixes that differ
 * in every byte, so that no mutation of a few bytes turns one stream's key
 * into another's, whose commands may interleave differently on each server.
 */
export function fuzzKeys(prefix: string): FuzzKeys {
  const key = (name: string): string => prefix + name;
  return { all: ['a', 'b', 'n', 'l', 'h', 's', 'z', '\x00\xff'].map(key), counter: key('n'), list: key('l'), hash: key('h'), set: key('s'), zset: key('z') };
}

export interface FuzzKeys {
  all: readonly string[];
  counter: string;
  list: string;
  hash: string;
  set: string;
  zset: string;
}

/**
 * Lengths that sit on some limit: int32/int64 edges, proto-max-bulk-len, V8's
 * string limit, the unauthenticated limits. Bulk lengths from 536870889 to
 * 536870912 are left out: Redis accepts them and reddish can't (a documented
 * contradiction, tested on its own in the parser's unit tests).
 */
export const EDGE_LENGTHS: readonly string[] = [
  '0', '1', '2', '3', '10', '11', '-1', '-0', '01', '+1', ' 1', '1 ', '', '-', '--1', '0x10', '1e3', 'abc',
  '16384', '16385', '32768', '1048576', '1048577', '30000000', '2147483647', '2147483648', '-2147483648',
  '536870888', '536870913',
  '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '99999999999999999999', '999999999999999999999', '-99999999999999999999',
];

const SPECIAL_BYTES = [0x0d, 0x0a, 0x00, 0x2a, 0x24, 0x2d, 0x30, 0x39, 0x20, 0x22, 0x27, 0x5c, 0x09, 0x0b, 0x0c, 0xff];

function pickValue(rng: Rng): string {
  return rng.weighted<() => string>([
    [() => rng.string(rng.int(0, 8)), 4],
    [() => String(rng.int(-1000, 1000)), 2],
    [() => rng.binaryString(rng.int(0, 12)), 2],
    [() => rng.string(rng.int(0, 6), 'ab "\'\\\r\n\t\x00'), 1],
    [() => 'x'.repeat(rng.int(20, 3000)), 0.5],
  ])();
}

/** One command whose reply depends only on the keys' contents. */
export function fuzzCommand(rng: Rng, keys: FuzzKeys): string[] {
  const key = (): string => rng.pick(keys.all);
  return rng.weighted<() => string[]>([
    [() => ['PING'], 2],
    [() => ['PING', pickValue(rng)], 1],
    [() => ['ECHO', pickValue(rng)], 2],
    [() => ['SET', key(), pickValue(rng)], 3],
    [() => ['GET', key()], 3],
    [() => ['DEL', key(), key()], 1],
    [() => ['EXISTS', key(), key()], 1],
    [() => ['INCR', keys.counter], 1],
    [() => ['INCRBY', keys.counter, String(rng.int(-100, 100))], 1],
    [() => ['APPEND', key(), pickValue(rng)], 1],
    [() => ['STRLEN', key()], 1],
    [() => ['GETRANGE', key(), String(rng.int(-5, 5)), String(rng.int(-5, 20))], 1],
    [() => ['MSET', key(), pickValue(rng), key(), pickValue(rng)], 1],
    [() => ['MGET', key(), key(), key()], 1],
    [() => ['LPUSH', keys.list, pickValue(rng), pickValue(rng)], 1],
    [() => ['LRANGE', keys.list, '0', String(rng.int(-1, 10))], 1],
    [() => ['RPOP', keys.list], 1],
    [() => ['LLEN', keys.list], 1],
    [() => ['HSET', keys.hash, rng.string(2), pickValue(rng)], 1],
    [() => ['HGET', keys.hash, rng.string(2)], 1],
    [() => ['HLEN', keys.hash], 1],
    [() => ['SADD', keys.set, rng.string(2)], 1],
    [() => ['SISMEMBER', keys.set, rng.string(2)], 1],
    [() => ['SCARD', keys.set], 1],
    [() => ['ZADD', keys.zset, String(rng.int(-10, 10)), rng.string(2)], 1],
    [() => ['ZRANGE', keys.zset, '0', '-1', 'WITHSCORES'], 1],
    [() => ['TYPE', key()], 1],
    [() => ['SELECT', String(rng.int(0, 1))], 0.3],
    [() => ['QUIT'], 0.2],
  ])();
}

export function encodeMultibulk(argv: readonly string[]): string {
  let out = '*' + argv.length + '\r\n';
  for (const arg of argv) out += '$' + arg.length + '\r\n' + arg + '\r\n';
  return out;
}

/** An inline line sdssplitargs turns back into argv: bare words where possible, else "quoted" with escapes. */
export function encodeInline(argv: readonly string[]): string {
  const words = argv.map((arg) => {
    if (/^[!#-&(-[\]-~]+$/.test(arg)) return arg;
    let quoted = '"';
    for (let i = 0; i < arg.length; i++) {
      const c = arg.charCodeAt(i);
      if (c === 0x22 || c === 0x5c) quoted += '\\' + arg[i];
      else if (c >= 0x20 && c < 0x7f) quoted += arg[i];
      else quoted += '\\x' + c.toString(16).padStart(2, '0');
    }
    return quoted + '"';
  });
  return words.join(' ') + '\r\n';
}

function validPipeline(rng: Rng, keys: FuzzKeys): string {
  let out = '';
  for (let n = rng.int(1, 6); n > 0; n--) {
    const argv = fuzzCommand(rng, keys);
    out += rng.chance(0.8) ? encodeMultibulk(argv) : encodeInline(argv);
  }
  return out;
}

function randomBytes(rng: Rng, length: number): string {
  return rng.binaryString(length);
}

/** Replaces a number after some '*' or '$' with an edge length. */
function replaceLength(rng: Rng, text: string): string {
  const spots: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '*' || text[i] === '$') spots.push(i);
  if (spots.length === 0) return text;
  const at = rng.pick(spots) + 1;
  let end = at;
  while (end < text.length && /[-0-9]/.test(text[end]!)) end++;
  return text.slice(0, at) + rng.pick(EDGE_LENGTHS) + text.slice(end);
}

function mutate(rng: Rng, text: string): string {
  if (text.length === 0) return text;
  const at = rng.int(0, text.length - 1);
  return rng.weighted<() => string>([
    [() => text.slice(0, at) + String.fromCharCode(rng.int(0, 255)) + text.slice(at + 1), 3],
    [() => text.slice(0, at) + String.fromCharCode(rng.pick(SPECIAL_BYTES)) + text.slice(at + 1), 3],
    [() => text.slice(0, at) + randomBytes(rng, rng.int(1, 5)) + text.slice(at), 2],
    [() => text.slice(0, at) + String.fromCharCode(rng.pick(SPECIAL_BYTES)) + text.slice(at), 2],
    [() => text.slice(0, at) + text.slice(at + rng.int(1, 10)), 2],
    [() => text.slice(0, at) + text.slice(at, at + rng.int(1, 20)) + text.slice(at), 1],
    [() => text.slice(0, at), 1],
    [() => replaceLength(rng, text), 3],
  ])();
}

/** A header announcing an edge count or length, then more or less of what it announced. */
function edgeLengths(rng: Rng, keys: FuzzKeys): string {
  const tail = rng.weighted<() => string>([
    [() => '', 2],
    [() => validPipeline(rng, keys), 2],
    [() => randomBytes(rng, rng.int(1, 200)), 1],
  ]);
  if (rng.chance(0.5)) return '*' + rng.pick(EDGE_LENGTHS) + '\r\n' + tail();
  const count = rng.int(1, 3);
  let out = '*' + count + '\r\n';
  for (let i = 0; i < count; i++) {
    if (rng.chance(0.5)) {
      const arg = pickValue(rng);
      out += '$' + arg.length + '\r\n' + arg + '\r\n';
    } else {
      out += '$' + rng.pick(EDGE_LENGTHS) + '\r\n';
      break;
    }
  }
  return out + tail();
}

/** Inline lines built from the bytes sdssplitargs treats specially. */
function inlineEdge(rng: Rng, keys: FuzzKeys): string {
  const alphabet = 'ECHOPINGecho ab"\'\\x41Fz\t\v\f\r\n';
  let out = '';
  for (let n = rng.int(1, 4); n > 0; n--) {
    let line = rng.pick(['ECHO ', 'PING ', 'echo ', '', `SET ${keys.all[0]} `, 'GET ']);
    line += rng.string(rng.int(0, 24), alphabet);
    if (rng.chance(0.05)) line += '\x00';
    out += line + (rng.chance(0.7) ? '\r\n' : '\n');
  }
  return out;
}

/** A line longer than the 64 KB limit, or one stuck behind a NUL, or one just under the limit. */
function longLine(rng: Rng): string {
  return rng.weighted<() => string>([
    [() => 'ECHO ' + 'a'.repeat(rng.int(60_000, 65_000)) + '\r\n', 1],
    [() => 'ECHO ' + 'a'.repeat(300_000) + '\r\n', 1],
    [() => '*' + '1'.repeat(300_000) + '\r\n', 1],
    [() => '*1\r\n$' + '9'.repeat(300_000), 1],
    [() => rng.pick(['PING\x00\r\n', '*1\x00\r\n', '*1\r\n$4\x00\r\n']) + 'x'.repeat(rng.int(1000, 70_000)), 2],
  ])();
}

/** Cuts the bytes into 1 to 7 writes at random places. */
function split(rng: Rng, bytes: Buffer): Buffer[] {
  if (bytes.length < 2 || rng.chance(0.5)) return [bytes];
  const cuts = new Set<number>();
  for (let n = rng.int(1, 6); n > 0; n--) cuts.add(rng.int(1, bytes.length - 1));
  const points = [...cuts].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    parts.push(bytes.subarray(from, point));
    from = point;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

/** The next input of a stream whose commands use `keys`. */
export function protocolInput(rng: Rng, keys: FuzzKeys): ProtocolInput {
  const [kind, make] = rng.weighted<readonly [string, () => string]>([
    [['valid', () => validPipeline(rng, keys)], 2],
    [['mutated', () => {
      let text = validPipeline(rng, keys);
      for (let n = rng.int(1, 4); n > 0; n--) text = mutate(rng, text);
      return text;
    }], 6],
    [['random', () => (rng.chance(0.4) ? '*' : '') + randomBytes(rng, rng.int(1, 2000))], 2],
    [['lengths', () => edgeLengths(rng, keys)], 3],
    [['inline', () => inlineEdge(rng, keys)], 2],
    [['long-line', () => longLine(rng)], 0.05],
  ]);
  const bytes = Buffer.from(make(), 'latin1');
  const parts = split(rng, bytes);
  const gapMs = parts.length > 1 && rng.chance(0.1) ? 1 : 0;
  return { kind, parts, gapMs };
}
