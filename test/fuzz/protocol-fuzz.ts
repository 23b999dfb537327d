/**
 * The protocol fuzzer: hostile request streams (protocol-inputs.ts), each
 * input on a fresh connection, sent to reddish and, when one is given, to a
 * real redis-server, whose replies must then be the same bytes. Any reply
 * with "internal error" in it, or a server that does not close the
 * connection after the input, counts against reddish. A bystander client on
 * another connection to each server checks its own answers throughout.
 *
 * Inputs run in `lanes`: each lane is a stream of its own (its own seeded
 * Rng and its own keys) whose inputs run one after another, each on both
 * servers at once, so that both keyspaces see each lane's commands in the
 * same order. Lanes only add throughput; lane 0 of seed S is always the same
 * stream, so a failure is replayed from its seed, lane and index.
 */
import { Rng } from '../helpers/random.js';
import { escapeBytes, type RawClient } from '../helpers/resp-client.js';
import { Bystander, type BystanderReport } from './bystander.js';
import { fuzzKeys, protocolInput, type FuzzKeys, type ProtocolInput } from './protocol-inputs.js';
import { connectRetrying, exchange, type Endpoint, type ExchangeResult } from './wire.js';

export interface ProtocolFuzzOptions {
  seed: number;
  /** Inputs in all, shared out over the lanes. */
  inputs: number;
  /** Streams run side by side. Default 1. */
  lanes?: number;
  reddish: Endpoint;
  /** When given, every reply is compared with this redis-server's. */
  redis?: Endpoint;
  /** Stop early (reporting what ran) once Date.now() passes this. */
  deadline?: number;
  /** Per input, how long a server may take to close the connection. Default 5000 ms. */
  timeoutMs?: number;
  /** Called after every 10000th input. */
  onProgress?: (done: number) => void;
  /** Called before each input is sent, e.g. to know which inputs were in flight when a server died. */
  onInput?: (lane: number, index: number, input: ProtocolInput) => void;
  /**
   * Starts a bystander. By default it runs in this thread, so its latency
   * also counts the fuzzer's own pauses; bench/fuzz.mjs runs it in a worker.
   */
  startBystander?: (endpoint: Endpoint, name: string) => Promise<{ stop(): Promise<BystanderReport> }>;
}

export interface ProtocolFinding {
  lane: number;
  index: number;
  kind: string;
  input: string;
  reddish: string;
  redis?: string;
}

export interface ProtocolFuzzResult {
  seed: number;
  inputs: number;
  /** Inputs whose replies differed from Redis's (at most 20 kept; `mismatchCount` counts all). */
  mismatches: ProtocolFinding[];
  mismatchCount: number;
  internalErrors: ProtocolFinding[];
  /** Inputs after which reddish did not close the connection in time. */
  hangs: ProtocolFinding[];
  reddishBystander: BystanderReport;
  redisBystander?: BystanderReport;
}

const KEEP = 20;

/** Lane key prefixes: any two differ in every one of their 5 letters. */
const LANE_TAGS = ['qzkxj', 'mbtrp', 'wvhlc', 'gdnsf', 'yopeu', 'iarmt', 'ceqwb', 'xfgoz'];

export function laneKeys(lane: number): FuzzKeys {
  return fuzzKeys(lane === 0 ? 'fz:' : `fz:${LANE_TAGS[lane % LANE_TAGS.length]}${Math.floor(lane / LANE_TAGS.length) || ''}:`);
}

/** Lane 0 draws from the seed itself, so a one-lane run and lane 0 of a wider run agree. */
export function laneRng(seed: number, lane: number): Rng {
  return new Rng((seed + Math.imul(lane, 0x9e3779b9)) >>> 0);
}

function finding(lane: number, index: number, input: ProtocolInput, ours: ExchangeResult, theirs?: ExchangeResult): ProtocolFinding {
  const bytes = Buffer.concat(input.parts);
  const note = (result: ExchangeResult): string => (result.timedOut ? ' (did not close)' : '') + (result.reset ? ' (reset)' : '');
  return {
    lane,
    index,
    kind: `${input.kind}, ${input.parts.length} part(s)${input.gapMs ? `, ${input.gapMs} ms apart` : ''}`,
    input: escapeBytes(bytes, 400),
    reddish: escapeBytes(ours.reply, 400) + note(ours),
    redis: theirs === undefined ? undefined : escapeBytes(theirs.reply, 400) + note(theirs),
  };
}

/** Deletes a lane's keys in every database its inputs can SELECT, so one bad input can't skew the next. */
async function resetKeys(client: RawClient, keys: FuzzKeys): Promise<void> {
  await client.pipeline([['SELECT', '1'], ['DEL', ...keys.all], ['SELECT', '0'], ['DEL', ...keys.all]]);
}

export async function runProtocolFuzz(options: ProtocolFuzzOptions): Promise<ProtocolFuzzResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const lanes = Math.max(1, options.lanes ?? 1);
  const result: ProtocolFuzzResult = {
    seed: options.seed,
    inputs: 0,
    mismatches: [],
    mismatchCount: 0,
    internalErrors: [],
    hangs: [],
    reddishBystander: { rounds: 0, failures: [], worstLatencyMs: 0 },
  };
  const endpoints = options.redis ? [options.reddish, options.redis] : [options.reddish];
  const controls = await Promise.all(endpoints.map((endpoint) => connectRetrying(endpoint)));
  /** Resets on every server, reconnecting a control connection a crash took away. */
  const reset = (keys: FuzzKeys): Promise<unknown> =>
    Promise.all(
      controls.map(async (client, i) => {
        try {
          await resetKeys(client, keys);
        } catch {
          client.destroy();
          controls[i] = await connectRetrying(endpoints[i]!);
          await resetKeys(controls[i]!, keys);
        }
      }),
    );
  const startBystander = options.startBystander ?? ((endpoint: Endpoint, name: string) => Bystander.start(endpoint, name));
  const reddishBystander = await startBystander(options.reddish, 'protocol-fuzz');
  const redisBystander = options.redis ? await startBystander(options.redis, 'protocol-fuzz') : undefined;
  let started = 0;

  const runLane = async (lane: number): Promise<void> => {
    const rng = laneRng(options.seed, lane);
    const keys = laneKeys(lane);
    await reset(keys);
    for (let index = 0; ; index++) {
      if (started >= options.inputs) return;
      if (options.deadline !== undefined && Date.now() > options.deadline) return;
      started++;
      const input = protocolInput(rng, keys);
      options.onInput?.(lane, index, input);
      const send = (gapMs: number): Promise<[ExchangeResult, ExchangeResult | undefined]> =>
        Promise.all([
          exchange(options.reddish, input.parts, { gapMs, timeoutMs }),
          options.redis ? exchange(options.redis, input.parts, { gapMs, timeoutMs }) : undefined,
        ]);
      let [ours, theirs] = await send(input.gapMs);
      // A reset may have cost reply bytes (see exchange); the same input
      // again, with more time between writes, runs the same commands on both
      // servers, so they stay alike.
      if (ours.reset || theirs?.reset) [ours, theirs] = await send(Math.max(5, input.gapMs));
      result.inputs++;
      let suspect = false;
      if (ours.timedOut) {
        if (result.hangs.length < KEEP) result.hangs.push(finding(lane, index, input, ours, theirs));
        suspect = true;
      }
      if (ours.reply.includes('internal error')) {
        if (result.internalErrors.length < KEEP) result.internalErrors.push(finding(lane, index, input, ours, theirs));
        suspect = true;
      }
      if (theirs !== undefined && !ours.reply.equals(theirs.reply)) {
        result.mismatchCount++;
        if (result.mismatches.length < KEEP) result.mismatches.push(finding(lane, index, input, ours, theirs));
        suspect = true;
      }
      // APPEND and LPUSH grow the keys; a failed input may leave the two keyspaces apart.
      if (suspect || index % 200 === 199) await reset(keys);
      if (options.onProgress && result.inputs % 10_000 === 0) options.onProgress(result.inputs);
    }
  };

  try {
    await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane)));
  } finally {
    result.reddishBystander = await reddishBystander.stop();
    if (redisBystander) result.redisBystander = await redisBystander.stop();
    for (let lane = 0; lane < lanes; lane++) await reset(laneKeys(lane)).catch(() => undefined);
    await Promise.all(controls.map((client) => client.close()));
  }
  return result;
}
