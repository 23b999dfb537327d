/**
 * The command fuzzer: random calls of every command the server lists
 * (command-generator.ts), pipelined on one connection against keys of every
 * type, refilled every round. A reply with "internal error" in it (a handler
 * threw), a connection the server drops, or a command that never answers is
 * a finding. It checks that reddish survives anything; whether each answer
 * is Redis's is the differential tests' job.
 */
import { Rng } from '../helpers/random.js';
import { encodeCommand, escapeBytes, formatCommand, type RawClient } from '../helpers/resp-client.js';
import { loadCommandShapes, randomCall, type CommandShape } from './command-generator.js';
import { connectRetrying, type Endpoint } from './wire.js';

/**
 * Commands never sent, and why. Blocking commands are sent: their timeouts
 * are drawn from values that never mean "forever", and one that blocks
 * anyway is ended with CLIENT UNBLOCK.
 */
export const SKIPPED_COMMANDS: ReadonlyMap<string, string> = new Map([
  ['shutdown', 'stops the server'],
  ['debug', 'DEBUG SLEEP stalls the server; other subcommands change its internals on purpose'],
  ['quit', "closes the fuzzer's own connection"],
  ['client|kill', 'closes the fuzzer\'s control connection and other clients'],
  ['client|pause', 'stops serving every client'],
  ['client|unpause', 'goes with CLIENT PAUSE'],
  ['client|reply', 'OFF and SKIP leave commands without replies, so replies no longer match commands'],
  ['config|set', 'can set requirepass (locking the fuzzer out) or shrink the limits it relies on'],
  ['config|rewrite', 'writes the config file'],
  ['monitor', 'turns the connection into a stream of other clients\' commands'],
  ['subscribe', 'turns the connection into a stream of messages'],
  ['psubscribe', 'turns the connection into a stream of messages'],
  ['ssubscribe', 'turns the connection into a stream of messages'],
  ['unsubscribe', 'answers once per channel named, so replies no longer match commands'],
  ['punsubscribe', 'answers once per pattern named, so replies no longer match commands'],
  ['sunsubscribe', 'answers once per channel named, so replies no longer match commands'],
  ['sync', 'starts replication'],
  ['psync', 'starts replication'],
  ['replicaof', 'starts replication'],
  ['slaveof', 'starts replication'],
  ['failover', 'starts replication'],
  ['save', 'writes to disk'],
  ['bgsave', 'writes to disk'],
  ['bgrewriteaof', 'writes to disk'],
  ['migrate', 'connects to other servers'],
]);

export interface CommandFuzzOptions {
  seed: number;
  commands: number;
  endpoint: Endpoint;
  /** Stop early (reporting what ran) once Date.now() passes this. */
  deadline?: number;
  /** Commands pipelined per write. Default 16. */
  batch?: number;
  /** Commands between two refills of the keys. Default 400. */
  round?: number;
  /** How long a reply may take before the fuzzer unblocks the client. Default 3000 ms. */
  replyTimeoutMs?: number;
  /** Called after every 10000th command. */
  onProgress?: (done: number) => void;
}

export interface CommandFinding {
  command: string;
  reply: string;
}

export interface CommandFuzzResult {
  seed: number;
  commands: number;
  /** Replies with "internal error" (at most 20 kept; `internalErrorCount` counts all). */
  internalErrors: CommandFinding[];
  internalErrorCount: number;
  /** Commands after which the server closed the connection. */
  closes: CommandFinding[];
  /** Commands that did not answer even after CLIENT UNBLOCK. */
  hangs: CommandFinding[];
  /** Commands still blocked after the reply timeout, ended with CLIENT UNBLOCK. */
  unblocked: number;
  /** How many calls each command got. */
  calls: Map<string, number>;
}

const KEEP = 20;

/** One key of every type (and encoding) the commands can meet, built fresh each round. */
export async function populateKeys(client: RawClient): Promise<void> {
  const bigZset: string[] = [];
  for (let i = 0; i < 130; i++) bigZset.push(String(i), `m${i}`);
  const replies = await client.pipeline([
    ['SELECT', '0'],
    ['FLUSHALL'],
    ['SET', 'fz:str', 'hello world'],
    ['SET', 'fz:int', '12345'],
    ['SET', 'fz:\x00\xff', '\x00\xff\r\n'],
    ['RPUSH', 'fz:list', 'a', 'b', 'c', '1', '2', '3'],
    ['HSET', 'fz:hash', 'f1', 'v1', 'f2', '2', 'f3', '3.5'],
    ['SADD', 'fz:set', 'a', 'b', 'c'],
    ['SADD', 'fz:intset', '1', '2', '3'],
    ['ZADD', 'fz:zset', '1', 'a', '2', 'b', '3', 'c'],
    ['ZADD', 'fz:bigzset', ...bigZset],
    ['PFADD', 'fz:hll', 'a', 'b', 'c'],
    ['BF.RESERVE', 'fz:bf', '0.01', '100'],
    ['BF.MADD', 'fz:bf', 'a', 'b', 'c'],
    ['CF.RESERVE', 'fz:cf', '100'],
    ['CF.ADD', 'fz:cf', 'a'],
    ['CMS.INITBYDIM', 'fz:cms', '10', '3'],
    ['CMS.INCRBY', 'fz:cms', 'a', '5'],
    ['TOPK.RESERVE', 'fz:topk', '3'],
    ['TOPK.ADD', 'fz:topk', 'a', 'b'],
  ]);
  const failed = replies.find((reply) => reply[0] === 0x2d);
  if (failed) throw new Error(`could not set up the fuzz keys: ${failed.latin1Slice()}`);
}

async function connect(endpoint: Endpoint): Promise<{ client: RawClient; id: string }> {
  const client = await connectRetrying(endpoint);
  const id = (await client.call('CLIENT', 'ID')).latin1Slice().slice(1, -2);
  return { client, id };
}

export async function runCommandFuzz(options: CommandFuzzOptions): Promise<CommandFuzzResult> {
  const rng = new Rng(options.seed);
  const batchSize = options.batch ?? 16;
  const roundLength = options.round ?? 400;
  const replyTimeoutMs = options.replyTimeoutMs ?? 3000;
  const result: CommandFuzzResult = {
    seed: options.seed,
    commands: 0,
    internalErrors: [],
    internalErrorCount: 0,
    closes: [],
    hangs: [],
    unblocked: 0,
    calls: new Map(),
  };
  let control = await connectRetrying(options.endpoint);
  const shapes: CommandShape[] = (await loadCommandShapes(control)).filter((shape) => !SKIPPED_COMMANDS.has(shape.name));
  let fuzz = await connect(options.endpoint);
  const reconnect = async (): Promise<void> => {
    fuzz.client.destroy();
    fuzz = await connect(options.endpoint);
  };
  try {
    while (result.commands < options.commands) {
      if (options.deadline !== undefined && Date.now() > options.deadline) break;
      if (control.closed) control = await connectRetrying(options.endpoint);
      await populateKeys(control);
      // RESET: back to RESP2, database 0, no MULTI or WATCH left from the last round.
      await fuzz.client.call('RESET');
      for (let done = 0; done < roundLength && result.commands < options.commands; ) {
        const calls: string[][] = [];
        for (let i = Math.min(batchSize, options.commands - result.commands); i > 0; i--) {
          const shape = rng.pick(shapes);
          result.calls.set(shape.name, (result.calls.get(shape.name) ?? 0) + 1);
          calls.push(randomCall(rng, shape));
        }
        fuzz.client.sendRaw(Buffer.concat(calls.map((call) => encodeCommand(call))));
        for (const call of calls) {
          let reply: Buffer | null = null;
          try {
            reply = await fuzz.client.readReply(replyTimeoutMs);
          } catch {
            if (!fuzz.client.closed) {
              result.unblocked++;
              await control.call('CLIENT', 'UNBLOCK', fuzz.id, 'ERROR').catch(() => undefined);
              reply = await fuzz.client.readReply(replyTimeoutMs).catch(() => null);
            }
          }
          result.commands++;
          done++;
          const command = formatCommand(call);
          if (reply === null) {
            const finding = { command, reply: fuzz.client.closed ? '(connection closed)' : '(no reply)' };
            const list = fuzz.client.closed ? result.closes : result.hangs;
            if (list.length < KEEP) list.push(finding);
            // The rest of the batch is lost with the connection.
            await reconnect();
            break;
          }
          if (reply.includes('internal error')) {
            result.internalErrorCount++;
            if (result.internalErrors.length < KEEP) result.internalErrors.push({ command, reply: escapeBytes(reply, 300) });
          }
          if (options.onProgress && result.commands % 10_000 === 0) options.onProgress(result.commands);
        }
      }
    }
  } finally {
    fuzz.client.destroy();
    await control.call('FLUSHALL').catch(() => undefined);
    await control.close();
  }
  return result;
}
