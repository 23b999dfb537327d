/**
 * Differential testing: run one random command sequence against a reference
 * server (a real redis-server) and a candidate (reddish, or a second
 * redis-server when testing the harness itself) and require byte-identical
 * replies.
 *
 * Replies are compared as raw RESP bytes. A few commands legitimately reply
 * differently from two correct servers (unordered collections, random picks,
 * clock readings); `REPLY_RULES` says how each of those is normalised before
 * the comparison. Error replies are always compared exactly, whatever the rule.
 */
import { Rng } from '../helpers/random.js';
import {
  RawClient,
  escapeBytes,
  formatCommand,
  isErrorReply,
  splitAggregate,
  type Command,
} from '../helpers/resp-client.js';

export interface Endpoint {
  host?: string;
  port: number;
  /** Shown in failure messages, e.g. "redis" or "reddish". */
  label: string;
}

/** How the replies of one command are made comparable. */
export type ReplyRule =
  /** Byte-for-byte. The default. */
  | { kind: 'exact' }
  /** An aggregate whose children may come in any order (KEYS, SMEMBERS). */
  | { kind: 'unorderedArray' }
  /** An aggregate of key/value pairs in any order (HGETALL as array or map). */
  | { kind: 'unorderedPairs' }
  /** Content differs legitimately (RANDOMKEY, TIME): only the reply type byte is compared. */
  | { kind: 'ignore' }
  /** Non-negative integer replies may differ by up to `delta` (TTLs read a moment apart). */
  | { kind: 'tolerance'; delta: number }
  /**
   * A SCAN-family command. When the generator sends it with cursor "0" the
   * harness drives a full iteration on each server separately (cursors are
   * implementation-specific) and compares the sets of elements returned
   * (key/value pairs when `pairs`). With any other cursor it is compared
   * exactly, which suits invalid-cursor tests.
   */
  | { kind: 'scanFullIteration'; cursorIndex: number; pairs: boolean }
  /**
   * A normalisation of the test's own: returns the two forms to compare
   * (the stream tests align clock readings inside nested replies).
   */
  | { kind: 'custom'; normalize: (reference: Buffer, candidate: Buffer) => [Buffer, Buffer] };

const unorderedArray: ReplyRule = { kind: 'unorderedArray' };
const unorderedPairs: ReplyRule = { kind: 'unorderedPairs' };
const ignore: ReplyRule = { kind: 'ignore' };

/**
 * Rules keyed by upper-case command name, or "COMMAND SUBCOMMAND" for
 * container commands; the two-word key wins when both exist.
 */
export const REPLY_RULES: Readonly<Record<string, ReplyRule>> = {
  KEYS: unorderedArray,
  SMEMBERS: unorderedArray,
  SUNION: unorderedArray,
  SINTER: unorderedArray,
  SDIFF: unorderedArray,
  HKEYS: unorderedArray,
  HVALS: unorderedArray,
  HGETALL: unorderedPairs,
  'CONFIG GET': unorderedPairs,
  SCAN: { kind: 'scanFullIteration', cursorIndex: 1, pairs: false },
  SSCAN: { kind: 'scanFullIteration', cursorIndex: 2, pairs: false },
  HSCAN: { kind: 'scanFullIteration', cursorIndex: 2, pairs: true },
  ZSCAN: { kind: 'scanFullIteration', cursorIndex: 2, pairs: true },
  RANDOMKEY: ignore,
  SPOP: ignore,
  SRANDMEMBER: ignore,
  HRANDFIELD: ignore,
  ZRANDMEMBER: ignore,
  TIME: ignore,
  LASTSAVE: ignore,
  INFO: ignore,
  HELLO: ignore,
  DEBUG: ignore,
  'CLIENT ID': ignore,
  'CLIENT INFO': ignore,
  'CLIENT LIST': ignore,
  'MEMORY USAGE': ignore,
  'OBJECT IDLETIME': ignore,
  'OBJECT FREQ': ignore,
  // The two servers run each command a moment apart, so a TTL can round to
  // a different second; millisecond readings get one second of slack.
  TTL: { kind: 'tolerance', delta: 1 },
  EXPIRETIME: { kind: 'tolerance', delta: 1 },
  PTTL: { kind: 'tolerance', delta: 1000 },
  PEXPIRETIME: { kind: 'tolerance', delta: 1000 },
};

function argText(arg: Command[number] | undefined): string {
  if (arg === undefined) return '';
  return Buffer.isBuffer(arg) ? arg.toString('latin1') : String(arg);
}

/** The rule for a command: overrides first, two-word keys before one-word keys. */
export function ruleFor(command: Command, overrides: Readonly<Record<string, ReplyRule>> = {}): ReplyRule {
  const name = argText(command[0]).toUpperCase();
  const withSubcommand = command.length > 1 ? `${name} ${argText(command[1]).toUpperCase()}` : null;
  for (const table of [overrides, REPLY_RULES]) {
    if (withSubcommand !== null && table[withSubcommand]) return table[withSubcommand];
    if (table[name]) return table[name];
  }
  return { kind: 'exact' };
}

function parseIntegerReply(raw: Buffer): bigint | null {
  const text = raw.toString('latin1');
  const match = /^:(-?\d+)\r\n$/.exec(text);
  return match ? BigInt(match[1]!) : null;
}

function sortedConcat(parts: Buffer[]): Buffer {
  return Buffer.concat([...parts].sort(Buffer.compare));
}

/** Rebuilds an aggregate from its header and sorted children (or child pairs). */
function canonicalAggregate(raw: Buffer, pairs: boolean): Buffer {
  const split = splitAggregate(raw);
  if (!split) return raw;
  const units: Buffer[] = [];
  if (pairs) {
    for (let i = 0; i < split.children.length; i += 2) {
      units.push(Buffer.concat(split.children.slice(i, i + 2)));
    }
  } else {
    units.push(...split.children);
  }
  return Buffer.concat([split.header, sortedConcat(units)]);
}

/**
 * Applies a rule to both replies and returns the forms to compare with
 * `Buffer.equals`. SCAN rules are handled by the harness before this point.
 */
export function normalizeReplies(rule: ReplyRule, reference: Buffer, candidate: Buffer): [Buffer, Buffer] {
  if (isErrorReply(reference) || isErrorReply(candidate)) return [reference, candidate];
  switch (rule.kind) {
    case 'exact':
    case 'scanFullIteration':
      return [reference, candidate];
    case 'unorderedArray':
      return [canonicalAggregate(reference, false), canonicalAggregate(candidate, false)];
    case 'unorderedPairs':
      return [canonicalAggregate(reference, true), canonicalAggregate(candidate, true)];
    case 'ignore':
      return [reference.subarray(0, 1), candidate.subarray(0, 1)];
    case 'custom':
      return rule.normalize(reference, candidate);
    case 'tolerance': {
      const a = parseIntegerReply(reference);
      const b = parseIntegerReply(candidate);
      // Negative TTL replies (-1 no expiry, -2 no key) are exact answers.
      if (a !== null && b !== null && a >= 0n && b >= 0n) {
        const difference = a > b ? a - b : b - a;
        if (difference <= BigInt(rule.delta)) return [reference, reference];
      }
      return [reference, candidate];
    }
  }
}

const MAX_SCAN_CALLS = 10_000;

/**
 * Runs a SCAN-family command to completion from cursor 0 and returns either
 * the first error reply or a synthetic `*N` reply holding the distinct
 * elements (or element pairs) seen, sorted by their bytes.
 */
export async function scanFullIteration(client: RawClient, command: Command, cursorIndex: number, pairs: boolean): Promise<Buffer> {
  const args = [...command];
  const seen = new Map<string, Buffer>();
  let cursor = '0';
  for (let calls = 0; calls < MAX_SCAN_CALLS; calls++) {
    args[cursorIndex] = cursor;
    const reply = await client.callArgs(args);
    if (isErrorReply(reply)) return reply;
    const outer = splitAggregate(reply);
    const cursorFrame = outer?.children[0];
    const elements = outer?.children[1] ? splitAggregate(outer.children[1]) : null;
    if (!outer || outer.children.length !== 2 || !cursorFrame || !elements) {
      throw new Error(`malformed ${formatCommand(args)} reply: ${escapeBytes(reply, 300)}`);
    }
    const cursorMatch = /^\$\d+\r\n(\d+)\r\n$/.exec(cursorFrame.toString('latin1'));
    if (!cursorMatch) throw new Error(`bad cursor in ${formatCommand(args)} reply: ${escapeBytes(reply, 300)}`);
    const step = pairs ? 2 : 1;
    for (let i = 0; i < elements.children.length; i += step) {
      const unit = Buffer.concat(elements.children.slice(i, i + step));
      seen.set(unit.toString('latin1'), unit);
    }
    cursor = cursorMatch[1]!;
    if (cursor === '0') {
      const units = [...seen.values()];
      return Buffer.concat([Buffer.from(`*${units.length * step}\r\n`, 'latin1'), sortedConcat(units)]);
    }
  }
  throw new Error(`${formatCommand(command)} did not finish within ${MAX_SCAN_CALLS} calls`);
}

export interface DifferentialOptions {
  /** Names the run in failure messages. */
  name: string;
  seed: number;
  /** How many generated commands to run. */
  count: number;
  /** Produces the next command; all randomness must come from `rng`. */
  generate: (rng: Rng) => Command;
  reference: Endpoint;
  candidate: Endpoint;
  /** Rules that override or extend `REPLY_RULES` for this run. */
  normalize?: Readonly<Record<string, ReplyRule>>;
  /** 3 sends HELLO 3 on both connections first; its reply is not compared. */
  protocol?: 2 | 3;
  /** How many earlier commands a failure message shows. */
  historySize?: number;
  /**
   * What else each command caused, read from each server once both have
   * replied (the keyspace notifications it published, say), as lines that
   * must be equal, like the replies.
   */
  observe?: { reference: (command: Command) => Promise<string[]>; candidate: (command: Command) => Promise<string[]> };
}

export interface DifferentialResult {
  /** Commands run (equal to `count` when the run passes). */
  commands: number;
  /** How many of them got an error reply (from both servers, since they matched). */
  errorReplies: number;
  /** Commands run, by upper-case command name. */
  commandCounts: Map<string, number>;
  /** Replies by their RESP type byte ('+', '$', '%', ...), to check a run covered what it meant to. */
  replyTypes: Map<string, number>;
}

interface HistoryEntry {
  index: number;
  command: Command;
  reply: Buffer;
}

/** Thrown when the servers disagree; the message is the full report. */
export class DifferentialMismatch extends Error {
  override name = 'DifferentialMismatch';
}

function describeEndpoint(endpoint: Endpoint): string {
  return `${endpoint.label} ${endpoint.host ?? '127.0.0.1'}:${endpoint.port}`;
}

async function connect(endpoint: Endpoint): Promise<RawClient> {
  return RawClient.connect(endpoint.port, { host: endpoint.host ?? '127.0.0.1', replyTimeoutMs: 5000 });
}

async function expectOk(client: RawClient, endpoint: Endpoint, command: Command): Promise<void> {
  const reply = await client.callArgs(command);
  if (reply.toString('latin1') !== '+OK\r\n') {
    throw new Error(`${formatCommand(command)} on ${describeEndpoint(endpoint)} replied ${escapeBytes(reply, 300)}`);
  }
}

/**
 * Runs `count` generated commands against both servers, in the same order,
 * and throws `DifferentialMismatch` at the first pair of replies that differ
 * after normalisation. Both servers are flushed (FLUSHALL) before and after.
 */
export async function runDifferential(options: DifferentialOptions): Promise<DifferentialResult> {
  const { name, seed, count, generate, reference, candidate } = options;
  const historySize = options.historySize ?? 20;
  const rng = new Rng(seed);
  const history: HistoryEntry[] = [];
  const result: DifferentialResult = { commands: 0, errorReplies: 0, commandCounts: new Map(), replyTypes: new Map() };

  const clients: RawClient[] = [];
  try {
    const referenceClient = await connect(reference);
    clients.push(referenceClient);
    const candidateClient = await connect(candidate);
    clients.push(candidateClient);
    await Promise.all([expectOk(referenceClient, reference, ['FLUSHALL']), expectOk(candidateClient, candidate, ['FLUSHALL'])]);
    if (options.protocol === 3) {
      for (const [client, endpoint] of [[referenceClient, reference], [candidateClient, candidate]] as const) {
        const reply = await client.call('HELLO', '3');
        if (reply[0] !== 0x25 /* % */) {
          throw new Error(`HELLO 3 on ${describeEndpoint(endpoint)} replied ${escapeBytes(reply, 300)}, expected a map`);
        }
      }
    }

    const report = (index: number, command: Command, headline: string, details: string[]): DifferentialMismatch => {
      const lines = [
        `${headline} in differential run "${name}" at command #${index} (seed ${seed}; a random seed replays with DIFF_SEED=${seed})`,
        `command:   ${formatCommand(command, 200)}`,
        ...details,
        `last ${history.length} commands before it (reference replies):`,
        ...history.map((entry) => `  #${entry.index} ${formatCommand(entry.command, 60)} => ${escapeBytes(entry.reply, 160)}`),
      ];
      return new DifferentialMismatch(lines.join('\n'));
    };

    for (let index = 0; index < count; index++) {
      const command = generate(rng);
      const rule = ruleFor(command, options.normalize);
      const isFullScan = rule.kind === 'scanFullIteration' && argText(command[rule.cursorIndex]) === '0';
      const send = (client: RawClient): Promise<Buffer> =>
        isFullScan && rule.kind === 'scanFullIteration'
          ? scanFullIteration(client, command, rule.cursorIndex, rule.pairs)
          : client.callArgs(command);
      const [referenceOutcome, candidateOutcome] = await Promise.allSettled([send(referenceClient), send(candidateClient)]);
      if (referenceOutcome.status === 'rejected' || candidateOutcome.status === 'rejected') {
        const failures = [
          referenceOutcome.status === 'rejected' ? `reference (${describeEndpoint(reference)}) failed: ${String(referenceOutcome.reason)}` : null,
          candidateOutcome.status === 'rejected' ? `candidate (${describeEndpoint(candidate)}) failed: ${String(candidateOutcome.reason)}` : null,
        ].filter((line): line is string => line !== null);
        throw report(index, command, 'no reply', failures);
      }
      const referenceReply = referenceOutcome.value;
      const candidateReply = candidateOutcome.value;
      const [referenceShown, candidateShown] = normalizeReplies(rule, referenceReply, candidateReply);
      if (!referenceShown.equals(candidateShown)) {
        const details = [
          `rule:      ${rule.kind}${isFullScan ? ' (both sides iterated from cursor 0; replies below are the sorted distinct elements)' : ''}`,
          `reference (${describeEndpoint(reference)}): ${escapeBytes(referenceReply, 2000)}`,
          `candidate (${describeEndpoint(candidate)}): ${escapeBytes(candidateReply, 2000)}`,
        ];
        if (!referenceShown.equals(referenceReply) || !candidateShown.equals(candidateReply)) {
          details.push(`normalised reference: ${escapeBytes(referenceShown, 2000)}`);
          details.push(`normalised candidate: ${escapeBytes(candidateShown, 2000)}`);
        }
        throw report(index, command, 'reply mismatch', details);
      }

      if (options.observe !== undefined) {
        const [referenceSeen, candidateSeen] = await Promise.all([options.observe.reference(command), options.observe.candidate(command)]);
        if (JSON.stringify(referenceSeen) !== JSON.stringify(candidateSeen)) {
          throw report(index, command, 'observed effects differ', [
            `reply:     ${escapeBytes(referenceReply, 300)}`,
            `reference (${describeEndpoint(reference)}): ${JSON.stringify(referenceSeen)}`,
            `candidate (${describeEndpoint(candidate)}): ${JSON.stringify(candidateSeen)}`,
          ]);
        }
      }

      result.commands += 1;
      if (isErrorReply(referenceReply)) result.errorReplies += 1;
      const commandName = argText(command[0]).toUpperCase();
      result.commandCounts.set(commandName, (result.commandCounts.get(commandName) ?? 0) + 1);
      const replyType = String.fromCharCode(referenceReply[0]!);
      result.replyTypes.set(replyType, (result.replyTypes.get(replyType) ?? 0) + 1);
      history.push({ index, command, reply: referenceReply });
      if (history.length > historySize) history.shift();
    }

    await Promise.all([expectOk(referenceClient, reference, ['FLUSHALL']), expectOk(candidateClient, candidate, ['FLUSHALL'])]);
    return result;
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}
