/**
 * The LOADCHUNK corruption fuzzer: real SCANDUMP chunks of bloom and cuckoo
 * filters, mutated (header fields overwritten with edge values, bytes
 * flipped, chunks cut, stretched, dropped, doubled or reordered, iterators
 * changed) and fed back with BF.LOADCHUNK / CF.LOADCHUNK. Each chunk must be
 * answered with OK or an error, never an internal error; whatever filter
 * results must then work: every command of its type is run on it, its dump
 * is taken again, and it is copied. Unmutated dumps must load into a filter
 * that still holds every item.
 */
import { Rng } from '../helpers/random.js';
import { escapeBytes, formatCommand, replyToJs, type RawClient } from '../helpers/resp-client.js';
import { connectRetrying, type Endpoint } from './wire.js';

export interface ChunkFuzzOptions {
  seed: number;
  trials: number;
  endpoint: Endpoint;
  /** Stop early (reporting what ran) once Date.now() passes this. */
  deadline?: number;
  /** Called after every 1000th trial. */
  onProgress?: (done: number) => void;
  /** Called before each trial is sent. */
  onTrial?: (trial: number, kind: string, chunks: ReadonlyArray<[string, Buffer]>) => void;
  /** Draw the trials before this one without sending them: replays a run from a given trial. */
  from?: number;
}

export interface ChunkFinding {
  trial: number;
  command: string;
  reply: string;
}

export interface ChunkFuzzResult {
  seed: number;
  trials: number;
  /** Trials whose every chunk was accepted. */
  loaded: number;
  /** Trials where some chunk was refused with an error. */
  refused: number;
  /** Filters too big to walk (see WALKABLE_BYTES): only their cheap commands ran. */
  big: number;
  internalErrors: ChunkFinding[];
  internalErrorCount: number;
  /** Wrong answers: an unmutated dump that lost items, or a dropped connection. */
  failures: ChunkFinding[];
}

type Kind = 'bf' | 'cf';

interface Dump {
  kind: Kind;
  items: string[];
  chunks: Array<[iterator: string, data: Buffer]>;
}

const KEEP = 20;
const KEY = 'fz:chunk';

/** Filters of several shapes, filled so that some have several links or sub-filters. */
const SOURCES: ReadonlyArray<{ kind: Kind; create: string[][]; items: number }> = [
  { kind: 'bf', create: [['BF.RESERVE', KEY, '0.01', '100']], items: 50 },
  { kind: 'bf', create: [['BF.RESERVE', KEY, '0.001', '20', 'EXPANSION', '1']], items: 90 },
  { kind: 'bf', create: [['BF.RESERVE', KEY, '0.1', '10', 'EXPANSION', '3']], items: 200 },
  { kind: 'bf', create: [['BF.RESERVE', KEY, '0.05', '64', 'NONSCALING']], items: 40 },
  { kind: 'cf', create: [['CF.RESERVE', KEY, '100']], items: 60 },
  { kind: 'cf', create: [['CF.RESERVE', KEY, '16', 'BUCKETSIZE', '4', 'EXPANSION', '2']], items: 120 },
  { kind: 'cf', create: [['CF.RESERVE', KEY, '64', 'BUCKETSIZE', '1', 'MAXITERATIONS', '5', 'EXPANSION', '1']], items: 150 },
  { kind: 'cf', create: [['CF.RESERVE', KEY, '32', 'EXPANSION', '0']], items: 20 },
];

/** The chunks SCANDUMP gives, from iterator 0 until it answers 0. */
async function scanDump(client: RawClient, kind: Kind, key: string): Promise<Array<[string, Buffer]>> {
  const chunks: Array<[string, Buffer]> = [];
  let iterator = '0';
  for (let step = 0; step < 10_000; step++) {
    const reply = replyToJs(await client.call(`${kind.toUpperCase()}.SCANDUMP`, key, iterator));
    if (!Array.isArray(reply) || reply.length !== 2) throw new Error(`SCANDUMP answered ${JSON.stringify(reply)}`);
    iterator = String(reply[0]);
    if (iterator === '0') return chunks;
    chunks.push([iterator, Buffer.from(String(reply[1] ?? ''), 'latin1')]);
  }
  throw new Error('SCANDUMP did not end');
}

async function buildDumps(client: RawClient): Promise<Dump[]> {
  const dumps: Dump[] = [];
  for (const source of SOURCES) {
    await client.call('DEL', KEY);
    for (const command of source.create) await client.callArgs(command);
    const items = Array.from({ length: source.items }, (_, i) => `item:${i}`);
    const added = replyToJs(
      await client.callArgs([source.kind === 'bf' ? 'BF.MADD' : 'CF.INSERT', KEY, ...(source.kind === 'cf' ? ['ITEMS'] : []), ...items]),
    );
    if (!Array.isArray(added)) throw new Error(`adding to the ${source.kind} source answered ${JSON.stringify(added)}`);
    // A bloom filter holds every item it was given; a cuckoo filter those it took (not -1, full).
    let held = items.filter((_, i) => source.kind === 'bf' || added[i] === 1 || added[i] === true);
    if (source.kind === 'cf') {
      await client.call('CF.DEL', KEY, held[0]!);
      held = held.slice(1);
    }
    dumps.push({ kind: source.kind, items: held, chunks: await scanDump(client, source.kind, KEY) });
  }
  await client.call('DEL', KEY);
  return dumps;
}

/** Little-endian encodings of values that sit on the edges of the header's fields. */
function edgeField(rng: Rng): Buffer {
  const buffer = Buffer.alloc(8);
  rng.weighted<() => void>([
    [() => buffer.writeDoubleLE(rng.pick([NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1e300, 2 ** 53, 2 ** 53 + 2, 2 ** 32, 2 ** 31, 1e-320, 1.5])), 3],
    [() => buffer.writeUInt32LE(rng.pick([0, 1, 2, 0xffffffff, 0x80000000, 0x7fffffff, 65535, 65536, 32768, 255, 256])), 3],
    [() => buffer.fill(rng.pick([0x00, 0xff, 0x7f, 0x80])), 1],
  ])();
  return buffer.subarray(0, rng.pick([1, 2, 4, 8]));
}

function mutateBytes(rng: Rng, data: Buffer): Buffer {
  const bytes = Buffer.from(data);
  if (bytes.length === 0) return Buffer.from(rng.binaryString(rng.int(1, 16)), 'latin1');
  const at = rng.int(0, bytes.length - 1);
  return rng.weighted<() => Buffer>([
    [() => {
      bytes[at] = rng.int(0, 255);
      return bytes;
    }, 3],
    [() => {
      edgeField(rng).copy(bytes, at);
      return bytes;
    }, 4],
    [() => bytes.subarray(0, at), 1],
    [() => Buffer.concat([bytes, Buffer.from(rng.binaryString(rng.int(1, 64)), 'latin1')]), 1],
    [() => Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + rng.int(1, 8))]), 1],
  ])();
}

const ITERATORS = ['0', '1', '-1', '2', '9223372036854775807', '-9223372036854775808', '9223372036854775808', 'abc', '', '1.5'];

function mutateChunks(rng: Rng, chunks: Array<[string, Buffer]>): Array<[string, Buffer]> {
  const out = chunks.map(([iterator, data]): [string, Buffer] => [iterator, data]);
  for (let n = rng.int(1, 3); n > 0; n--) {
    if (out.length === 0) break;
    const at = rng.int(0, out.length - 1);
    rng.weighted<() => void>([
      // The header (chunk 0) is where most of the checking is.
      [() => (out[0] = [out[0]![0], mutateBytes(rng, out[0]![1])]), 6],
      [() => (out[at] = [out[at]![0], mutateBytes(rng, out[at]![1])]), 3],
      [() => (out[at] = [rng.pick(ITERATORS), out[at]![1]]), 1],
      [() => (out[at] = [String(Number(out[at]![0]) + rng.int(-3, 3)), out[at]![1]]), 1],
      [() => out.splice(at, 1), 1],
      [() => out.splice(at, 0, out[at]!), 1],
      [() => {
        const other = rng.int(0, out.length - 1);
        [out[at], out[other]] = [out[other]!, out[at]!];
      }, 1],
      [() => (out[at] = [out[at]![0], Buffer.from(rng.binaryString(rng.int(0, 300)), 'latin1')]), 1],
    ])();
  }
  return out;
}

/**
 * Every command of the filter's type, run on whatever was loaded: `cheap`
 * ones touch a few bytes of it, `whole` ones (copy, compaction, deletes that
 * may compact) walk all of it.
 */
function battery(rng: Rng, kind: Kind): { cheap: string[][]; whole: string[][] } {
  const item = (): string => `item:${rng.int(0, 300)}`;
  const common = [['TYPE', KEY], ['OBJECT', 'ENCODING', KEY]];
  const copy = [['COPY', KEY, `${KEY}:copy`, 'REPLACE'], ['DEL', `${KEY}:copy`]];
  if (kind === 'bf') {
    return {
      cheap: [
        ...common,
        ['BF.ADD', KEY, item()],
        ['BF.MADD', KEY, item(), item(), item()],
        ['BF.INSERT', KEY, 'NOCREATE', 'ITEMS', item(), item()],
        ['BF.EXISTS', KEY, item()],
        ['BF.MEXISTS', KEY, item(), item()],
        ['BF.CARD', KEY],
        ['BF.INFO', KEY],
        ['BF.INFO', KEY, rng.pick(['CAPACITY', 'SIZE', 'FILTERS', 'ITEMS', 'EXPANSION'])],
        ['BF.DEBUG', KEY],
      ],
      whole: copy,
    };
  }
  return {
    cheap: [
      ...common,
      ['CF.ADD', KEY, item()],
      ['CF.ADDNX', KEY, item()],
      ['CF.INSERT', KEY, 'NOCREATE', 'ITEMS', item(), item()],
      ['CF.INSERTNX', KEY, 'NOCREATE', 'ITEMS', item()],
      ['CF.EXISTS', KEY, item()],
      ['CF.MEXISTS', KEY, item(), item()],
      ['CF.COUNT', KEY, item()],
      ['CF.INFO', KEY],
      ['CF.DEBUG', KEY],
    ],
    whole: [...copy, ['CF.DEL', KEY, item()], ['CF.DEL', KEY, item()], ['CF.COMPACT', KEY]],
  };
}

/**
 * A header may describe a filter as big as CF.RESERVE or a long BF chain
 * can make (a 1 GB sub-filter, say), which loads in an instant as untouched
 * zeroed memory but takes seconds to copy, compact or dump. Past this size
 * only the cheap commands are run on it.
 */
const WALKABLE_BYTES = 16 * 1024 * 1024;

/** The filter's size as BF.INFO / CF.INFO report it, or null. */
function reportedSize(kind: Kind, reply: Buffer): number | null {
  const info = replyToJs(reply);
  if (!Array.isArray(info)) return null;
  if (kind === 'bf') return typeof info[0] === 'number' ? info[0] : null;
  const at = info.indexOf('Size');
  return at !== -1 && typeof info[at + 1] === 'number' ? (info[at + 1] as number) : null;
}

export async function runChunkFuzz(options: ChunkFuzzOptions): Promise<ChunkFuzzResult> {
  const rng = new Rng(options.seed);
  const result: ChunkFuzzResult = {
    seed: options.seed,
    trials: 0,
    loaded: 0,
    refused: 0,
    big: 0,
    internalErrors: [],
    internalErrorCount: 0,
    failures: [],
  };
  let client = await connectRetrying(options.endpoint);
  const dumps = await buildDumps(client);
  const fail = (trial: number, command: string[], reply: string): void => {
    if (result.failures.length < KEEP) result.failures.push({ trial, command: formatCommand(command, 60), reply });
  };
  const note = (trial: number, command: string[], reply: Buffer): void => {
    if (!reply.includes('internal error')) return;
    result.internalErrorCount++;
    if (result.internalErrors.length < KEEP) {
      result.internalErrors.push({ trial, command: formatCommand(command, 60), reply: escapeBytes(reply, 300) });
    }
  };
  /** Sends the commands in one write; their replies, or null (after reconnecting) when they don't all come. */
  const send = async (trial: number, commands: string[][]): Promise<Buffer[] | null> => {
    let replies: Buffer[];
    try {
      replies = await client.pipeline(commands);
    } catch (error) {
      fail(trial, commands[0]!, (error as Error).message);
      client.destroy();
      client = await connectRetrying(options.endpoint);
      return null;
    }
    commands.forEach((command, i) => note(trial, command, replies[i]!));
    return replies;
  };

  try {
    for (let trial = 0; trial < options.trials; trial++) {
      if (options.deadline !== undefined && Date.now() > options.deadline) break;
      if (options.onProgress && trial > 0 && trial % 1000 === 0) options.onProgress(trial);
      result.trials++;
      const dump = rng.pick(dumps);
      const intact = rng.chance(0.1);
      const chunks = intact ? dump.chunks : mutateChunks(rng, dump.chunks);
      const checks = battery(rng, dump.kind);
      if (trial < (options.from ?? 0)) continue;
      options.onTrial?.(trial, dump.kind, chunks);
      const loadChunk = `${dump.kind.toUpperCase()}.LOADCHUNK`;
      // One write for the lot: like a client restoring a dump, the chunks keep coming after a refusal.
      const loads = await send(trial, [['DEL', KEY], ...chunks.map(([iterator, data]) => [loadChunk, KEY, iterator, data.latin1Slice()])]);
      if (loads === null) continue;
      const accepted = loads.every((reply) => reply[0] !== 0x2d);
      if (accepted) result.loaded++;
      else result.refused++;
      if (intact) {
        const replies = await send(trial, [[dump.kind === 'bf' ? 'BF.MEXISTS' : 'CF.MEXISTS', KEY, ...dump.items]]);
        const found = replies === null ? null : replyToJs(replies[0]!);
        if (!accepted || !Array.isArray(found) || found.some((bit) => bit !== 1 && bit !== true)) {
          fail(trial, ['MEXISTS after loading an intact dump'], replies === null ? '(no reply)' : escapeBytes(replies[0]!, 200));
        }
      }
      // Whatever was loaded, even halfway, must work and dump again.
      const sizeQuery = dump.kind === 'bf' ? ['BF.INFO', KEY, 'SIZE'] : ['CF.INFO', KEY];
      const probe = await send(trial, [['TYPE', KEY], sizeQuery]);
      if (probe === null || probe[0]!.latin1Slice() === '+none\r\n') continue;
      const size = reportedSize(dump.kind, probe[1]!);
      const walkable = size !== null && size <= WALKABLE_BYTES;
      if (!walkable) result.big++;
      if ((await send(trial, walkable ? [...checks.cheap, ...checks.whole] : checks.cheap)) === null || !walkable) continue;
      let iterator = '0';
      for (let step = 0; step < 64; step++) {
        const replies = await send(trial, [[`${dump.kind.toUpperCase()}.SCANDUMP`, KEY, iterator]]);
        const parsed = replies === null ? null : replyToJs(replies[0]!);
        if (!Array.isArray(parsed)) break;
        iterator = String(parsed[0]);
        if (iterator === '0') break;
      }
    }
  } finally {
    await client.call('DEL', KEY, `${KEY}:copy`).catch(() => undefined);
    await client.close();
  }
  return result;
}
