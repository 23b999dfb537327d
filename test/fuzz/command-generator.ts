/**
 * Random commands for the command fuzzer, built from what the server itself
 * says about its commands: COMMAND gives each command's (and subcommand's)
 * arity, flags and key positions, COMMAND DOCS its arguments with their
 * types, tokens and optional/multiple flags.
 *
 * Three ways to fill the arguments, mixed:
 * - from the docs: every argument drawn from a pool for its type (key,
 *   integer, double, pattern, ...), options included at random, repeated
 *   arguments 1 to 3 times, a numkeys-style count usually right;
 * - from the arity: the right number of words, keys at the key positions,
 *   anything else elsewhere;
 * - from the docs, then one argument dropped, doubled, swapped or replaced.
 *
 * The pools hold the values bugs hide behind (int64 and int32 edges, 0, -0,
 * inf, nan, denormals, the bulk and string limits), but stay away from sizes
 * that would make a well-behaved server allocate hundreds of MB: arguments
 * named like sizes (capacity, width, depth, count, ...) draw from small or
 * absurd values only, and offsets add just the cheap ones at the 512 MB and
 * V8 string limits.
 */
import type { Rng } from '../helpers/random.js';
import { replyToJs, type JsReply, type RawClient } from '../helpers/resp-client.js';

export interface ArgumentDoc {
  name: string;
  type: string;
  token?: string;
  optional: boolean;
  multiple: boolean;
  multipleToken: boolean;
  arguments: ArgumentDoc[];
}

export interface CommandShape {
  /** As COMMAND names it: 'get', or 'client|list' for a subcommand. */
  name: string;
  /** The words that call it: ['GET'], ['CLIENT', 'LIST']. */
  words: string[];
  arity: number;
  flags: ReadonlySet<string>;
  firstKey: number;
  lastKey: number;
  keyStep: number;
  /** null when the docs give none (then only the arity is used). */
  args: ArgumentDoc[] | null;
}

/** A RESP2 map reply (a flat array of pairs) as an object. */
function pairs(reply: JsReply): Record<string, JsReply> {
  const out: Record<string, JsReply> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1]!;
  return out;
}

function parseArgument(reply: JsReply): ArgumentDoc {
  const doc = pairs(reply);
  const flags = Array.isArray(doc['flags']) ? doc['flags'].map(String) : [];
  return {
    name: String(doc['name'] ?? ''),
    type: String(doc['type'] ?? 'string'),
    token: doc['token'] === undefined ? undefined : String(doc['token']),
    optional: flags.includes('optional'),
    multiple: flags.includes('multiple'),
    multipleToken: flags.includes('multiple_token'),
    arguments: Array.isArray(doc['arguments']) ? doc['arguments'].map(parseArgument) : [],
  };
}

/** Reads COMMAND and COMMAND DOCS: every command and subcommand the server has. */
export async function loadCommandShapes(client: RawClient): Promise<CommandShape[]> {
  const docs = new Map<string, ArgumentDoc[]>();
  const collectDocs = (reply: JsReply): void => {
    const entries = pairs(reply);
    for (const [name, value] of Object.entries(entries)) {
      const doc = pairs(value);
      if (Array.isArray(doc['arguments'])) docs.set(name.toLowerCase(), doc['arguments'].map(parseArgument));
      if (doc['subcommands'] !== undefined) collectDocs(doc['subcommands']);
    }
  };
  collectDocs(replyToJs(await client.call('COMMAND', 'DOCS')));

  const shapes: CommandShape[] = [];
  const collectInfo = (entry: JsReply): void => {
    if (!Array.isArray(entry)) return;
    const name = String(entry[0]).toLowerCase();
    const subcommands = Array.isArray(entry[9]) ? entry[9] : [];
    if (subcommands.length > 0) {
      for (const sub of subcommands) collectInfo(sub);
      return;
    }
    shapes.push({
      name,
      words: name.split('|').map((word) => word.toUpperCase()),
      arity: Number(entry[1]),
      flags: new Set(Array.isArray(entry[2]) ? entry[2].map(String) : []),
      firstKey: Number(entry[3]),
      lastKey: Number(entry[4]),
      keyStep: Number(entry[5]),
      args: docs.get(name) ?? null,
    });
  };
  const info = replyToJs(await client.call('COMMAND'));
  if (Array.isArray(info)) for (const entry of info) collectInfo(entry);
  return shapes.sort((a, b) => (a.name < b.name ? -1 : 1));
}

// ---- pools -------------------------------------------------------------------

const SMALL_INTS = ['0', '1', '-1', '2', '3', '7', '10', '-10', '100', '1000', '-1000'];
const INT64_EDGES = ['9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809', '18446744073709551616'];
const INT32_EDGES = ['2147483647', '-2147483648', '2147483648', '4294967295', '4294967296'];
const BAD_INTS = ['1.5', 'abc', '', '+1', '007', '-0', '1e3', ' 1', '0x10'];
const INTEGERS = [...SMALL_INTS, ...INT64_EDGES, ...INT32_EDGES, ...BAD_INTS];
/** Sizes: anything a server could really allocate stays small. */
const SIZES = [...SMALL_INTS, ...INT64_EDGES, ...BAD_INTS];
/** Offsets near the 512 MB and V8 string limits fail before allocating (or should). */
const OFFSETS = [...SMALL_INTS, '536870888', '536870889', '536870911', '536870912', '4294967287', '4294967295', '4294967296', ...INT64_EDGES, ...BAD_INTS];
const DOUBLES = [
  '0', '1', '-1', '0.5', '0.01', '0.99999999', '1e-17', '5e-324', '4.9e-324', '1e-300', '2.2250738585072014e-308',
  '1e308', '1.7976931348623157e308', '1e400', 'inf', '-inf', '+inf', 'nan', '-0', '1.5', 'abc', '', '0x1p3', ' 1',
];
/** Blocking timeouts: never 0 or a value that rounds to it, which would block for good. */
const TIMEOUTS = ['0.001', '0.002', '0.005', '-1', '-0.5', 'abc', '', 'inf', '1e400'];
const PATTERNS = ['*', 'fz:*', 'fz:?tr', '[', '[a-', '\\', 'fz:[a-z]*', '*\x00*', ''];
const SIZE_NAMES = new Set(['capacity', 'width', 'depth', 'topk', 'count', 'expansion', 'bucketsize', 'maxiterations', 'len', 'maxlen']);

/** The keys a round starts with (see populateKeys), one or more per type, plus a missing one. */
export const FUZZ_COMMAND_KEYS = [
  'fz:str', 'fz:int', 'fz:list', 'fz:hash', 'fz:set', 'fz:intset', 'fz:zset', 'fz:bigzset', 'fz:hll',
  'fz:bf', 'fz:cf', 'fz:cms', 'fz:topk', 'fz:missing', 'fz:\x00\xff',
];

function pickString(rng: Rng): string {
  return rng.weighted<() => string>([
    [() => rng.string(rng.int(0, 6)), 5],
    [() => rng.binaryString(rng.int(0, 8)), 2],
    [() => rng.pick(SMALL_INTS), 2],
    [() => rng.pick(DOUBLES), 1],
    [() => 'x'.repeat(rng.int(40, 2000)), 0.5],
  ])();
}

/**
 * A key of the prepared ones, or a fresh one: commands that create a key
 * (RESERVE, INITBYDIM, ...) refuse one that exists, so they need fresh keys
 * to get past that check at all.
 */
function pickKey(rng: Rng): string {
  return rng.chance(0.5) ? rng.pick(FUZZ_COMMAND_KEYS) : `fz:new:${rng.int(0, 63)}`;
}

/** A value for one argument of type `type` named `name`, of a command that may block. */
function argumentValue(rng: Rng, arg: ArgumentDoc, blocking: boolean): string {
  if (rng.chance(0.05)) return pickString(rng);
  const name = arg.name.toLowerCase();
  switch (arg.type) {
    case 'key':
      return pickKey(rng);
    case 'integer':
      if (blocking && name === 'timeout') return rng.pick(TIMEOUTS);
      if (name === 'offset') return rng.pick(OFFSETS);
      return rng.pick(SIZE_NAMES.has(name) ? SIZES : INTEGERS);
    case 'double':
      if (blocking && name === 'timeout') return rng.pick(TIMEOUTS);
      return rng.pick(DOUBLES);
    case 'unix-time':
      return rng.pick(INTEGERS);
    case 'pattern':
      return rng.pick(PATTERNS);
    default:
      return pickString(rng);
  }
}

/** The words for `args`, appended to `out`. */
function fromDocs(rng: Rng, args: readonly ArgumentDoc[], blocking: boolean, out: string[]): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.optional && rng.chance(0.5)) continue;
    // numkeys-style counts: usually the number of repetitions of the next argument.
    const next = args[i + 1];
    if (arg.type === 'integer' && next?.multiple && rng.chance(0.7)) {
      const count = rng.int(1, 3);
      out.push(...(arg.token ? [arg.token] : []), String(count));
      for (let k = 0; k < count; k++) fromDocOne(rng, next, blocking, out, k === 0 || next.multipleToken);
      i++;
      continue;
    }
    const repeats = arg.multiple ? rng.int(1, 3) : 1;
    for (let k = 0; k < repeats; k++) fromDocOne(rng, arg, blocking, out, k === 0 || arg.multipleToken);
  }
}

function fromDocOne(rng: Rng, arg: ArgumentDoc, blocking: boolean, out: string[], withToken: boolean): void {
  if (arg.type === 'pure-token') {
    out.push(arg.token ?? arg.name.toUpperCase());
    return;
  }
  if (withToken && arg.token) out.push(rng.chance(0.1) ? arg.token.toLowerCase() : arg.token);
  if (arg.type === 'oneof') {
    if (arg.arguments.length > 0) fromDocOne(rng, rng.pick(arg.arguments), blocking, out, true);
    return;
  }
  if (arg.type === 'block') {
    fromDocs(rng, arg.arguments, blocking, out);
    return;
  }
  out.push(argumentValue(rng, arg, blocking));
}

/** Every token a command's docs mention, for arity-mode filling. */
function tokensOf(args: readonly ArgumentDoc[] | null, out: string[] = []): string[] {
  for (const arg of args ?? []) {
    if (arg.token) out.push(arg.token);
    tokensOf(arg.arguments, out);
  }
  return out;
}

function fromArity(rng: Rng, shape: CommandShape): string[] {
  const fixed = shape.words.length;
  const total = shape.arity > 0 ? shape.arity : Math.max(-shape.arity, fixed) + rng.int(0, 4);
  const tokens = tokensOf(shape.args);
  const out: string[] = [];
  for (let position = fixed; position < total; position++) {
    const isKey =
      shape.firstKey > 0 &&
      position >= shape.firstKey &&
      (shape.lastKey < 0 ? position <= total + shape.lastKey : position <= shape.lastKey) &&
      (position - shape.firstKey) % Math.max(1, shape.keyStep) === 0;
    if (isKey) {
      out.push(pickKey(rng));
      continue;
    }
    out.push(
      rng.weighted<() => string>([
        [() => rng.pick(SMALL_INTS), 3],
        [() => rng.pick(INT64_EDGES), 1],
        [() => rng.pick(BAD_INTS), 1],
        [() => rng.pick(DOUBLES.filter((d) => !(Number(d) > 0 && Number(d) < 1e-2))), 1],
        [() => pickString(rng), 3],
        [() => (tokens.length > 0 ? rng.pick(tokens) : pickString(rng)), tokens.length > 0 ? 2 : 0],
        [() => pickKey(rng), 1],
      ])(),
    );
  }
  return out;
}

function mutated(rng: Rng, args: string[]): string[] {
  const out = [...args];
  const at = rng.int(0, Math.max(0, out.length - 1));
  rng.weighted<() => void>([
    [() => out.splice(at, 1), 2],
    [() => out.splice(at, 0, out[at] ?? pickString(rng)), 1],
    [() => out.splice(at, 1, pickString(rng)), 2],
    [() => {
      const other = rng.int(0, Math.max(0, out.length - 1));
      [out[at], out[other]] = [out[other]!, out[at]!];
    }, 1],
  ])();
  return out.filter((arg) => arg !== undefined);
}

/** One random call of `shape`, as the words to send. */
export function randomCall(rng: Rng, shape: CommandShape): string[] {
  const blocking = shape.flags.has('blocking');
  const name = shape.words.map((word) => (rng.chance(0.1) ? word.toLowerCase() : word));
  const useDocs = shape.args !== null && (blocking || rng.chance(0.65));
  if (!useDocs) return [...name, ...fromArity(rng, shape)];
  const args: string[] = [];
  fromDocs(rng, shape.args!, blocking, args);
  return [...name, ...(!blocking && rng.chance(0.15) ? mutated(rng, args) : args)];
}
