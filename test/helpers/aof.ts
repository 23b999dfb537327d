/**
 * What a server journals, read back as argv arrays, for the tests that hold
 * reddish's propagation (Redis's `alsoPropagate`) to the forms Redis 7.0
 * writes to its append-only file.
 *
 * Two journals with one interface (`end()` marks a point, `readFrom()`
 * returns the commands written after it):
 *
 * - `AofReader` reads a real redis-server's incr file
 *   (`appendonlydir/<name>.<seq>.incr.aof`, named by the manifest) and parses
 *   the RESP multibulk commands in it;
 * - `PropagationRecorder` subscribes to reddish's `server.propagation` and
 *   renders each execution unit as `feedAppendOnlyFile` would write it,
 *   inserting `SELECT <db>` whenever a command's database differs from the
 *   last one written.
 *
 * `runScenario` plays one list of steps on both servers in lockstep (so the
 * clocks that expiry times come from agree to a few milliseconds) and
 * returns both journals' tails, normalised where two correct servers
 * legitimately differ: absolute unix-ms times computed from the clock, and
 * members chosen at random.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PropagatedCommand, Propagation } from '../../src/commands/propagation.js';
import { startRedisServer, type RedisServerHandle, type StartRedisServerOptions } from './redis-server.js';
import { RawClient, escapeBytes, formatCommand, isErrorReply, replyToJs } from './resp-client.js';

// ---------------------------------------------------------------------------
// Parsing the AOF
// ---------------------------------------------------------------------------

/** Thrown when an AOF is not a sequence of whole RESP multibulk commands. */
export class AofFormatError extends Error {
  override name = 'AofFormatError';
}

/**
 * Parses AOF bytes (RESP multibulk commands back to back, as
 * `catAppendOnlyGenericCommand` writes them) into argv arrays, each argument
 * a latin1 string so that any byte survives. A truncated tail is an error:
 * Redis writes each command whole before it replies.
 */
export function parseAof(bytes: Buffer): string[][] {
  const commands: string[][] = [];
  let pos = 0;
  const line = (prefix: string): number => {
    const end = bytes.indexOf('\r\n', pos, 'latin1');
    if (end === -1) throw new AofFormatError(`truncated header at offset ${pos}: ${escapeBytes(bytes.subarray(pos), 80)}`);
    const text = bytes.toString('latin1', pos, end);
    if (text[0] !== prefix || !/^\d+$/.test(text.slice(1))) {
      throw new AofFormatError(`expected '${prefix}<count>' at offset ${pos}, found ${escapeBytes(text, 80)}`);
    }
    pos = end + 2;
    return Number(text.slice(1));
  };
  while (pos < bytes.length) {
    const argc = line('*');
    if (argc === 0) throw new AofFormatError(`empty command at offset ${pos}`);
    const argv: string[] = [];
    for (let i = 0; i < argc; i++) {
      const length = line('$');
      if (bytes.length < pos + length + 2) throw new AofFormatError(`truncated argument at offset ${pos}`);
      if (bytes[pos + length] !== 0x0d || bytes[pos + length + 1] !== 0x0a) {
        throw new AofFormatError(`argument of length ${length} at offset ${pos} is not followed by CRLF`);
      }
      argv.push(bytes.toString('latin1', pos, pos + length));
      pos += length + 2;
    }
    commands.push(argv);
  }
  return commands;
}

/** A server's AOF directory (the default appenddirname) under its `dir`. */
export const aofDir = (dir: string): string => path.join(dir, 'appendonlydir');

/** The text of the default manifest, appendonly.aof.manifest, under `dir`. */
export const manifest = (dir: string): string => fs.readFileSync(path.join(aofDir(dir), 'appendonly.aof.manifest'), 'latin1');

/**
 * The path of the incr file the manifest in `dir/appendonlydir` names (the
 * last `type i` line: Redis appends to the newest one).
 */
export function currentIncrFile(dir: string): string {
  const directory = aofDir(dir);
  const manifests = fs.readdirSync(directory).filter((name) => name.endsWith('.manifest'));
  if (manifests.length !== 1) throw new Error(`expected one manifest in ${directory}, found ${manifests.join(', ') || 'none'}`);
  let incr: string | null = null;
  for (const entry of fs.readFileSync(path.join(directory, manifests[0]!), 'latin1').split('\n')) {
    const match = /^file (\S+) seq \d+ type i$/.exec(entry.trim());
    if (match) incr = match[1]!;
  }
  if (incr === null) throw new Error(`the manifest in ${directory} names no incr file`);
  return path.join(directory, incr);
}

// ---------------------------------------------------------------------------
// The two journals
// ---------------------------------------------------------------------------

/** Something that journals commands: mark a point, read what came after it. */
export interface Journal {
  /** The current end of the journal, to pass to `readFrom` later. */
  end(): number;
  /** The commands journalled since `offset`, as argv arrays. */
  readFrom(offset: number): string[][];
}

/** redis-server's incr file, read by byte offset. */
export class AofReader implements Journal {
  private readonly file: string;

  constructor(private readonly dir: string) {
    this.file = currentIncrFile(dir);
  }

  end(): number {
    this.checkSameFile();
    return fs.statSync(this.file).size;
  }

  readFrom(offset: number): string[][] {
    this.checkSameFile();
    return parseAof(fs.readFileSync(this.file).subarray(offset));
  }

  /** A rewrite would start a new incr file and make every offset meaningless. */
  private checkSameFile(): void {
    const now = currentIncrFile(this.dir);
    if (now !== this.file) throw new Error(`redis-server switched its incr file from ${this.file} to ${now} (an AOF rewrite?)`);
  }
}

/** reddish's `server.propagation`, as far as the recorder needs it. */
export type PropagationSource = Pick<Propagation, 'subscribe'>;

/**
 * Renders propagated commands as the AOF holds them. Like
 * `feedAppendOnlyFile`, it writes `SELECT <db>` before a command whose
 * database differs from the last one written; a fresh AOF has written none,
 * so the first command always gets one.
 */
export class AofRenderer {
  private selectedDb = -1;

  render(unit: readonly PropagatedCommand[]): string[][] {
    const out: string[][] = [];
    for (const command of unit) {
      if (command.dbId !== this.selectedDb) {
        out.push(['SELECT', String(command.dbId)]);
        this.selectedDb = command.dbId;
      }
      out.push([...command.argv]);
    }
    return out;
  }

  /** Forget the selected database, as a new AOF file does. */
  reset(): void {
    this.selectedDb = -1;
  }
}

/** reddish's propagation, recorded and rendered as its AOF would be written. */
export class PropagationRecorder implements Journal {
  private readonly renderer = new AofRenderer();
  private commands: string[][] = [];
  private readonly unsubscribe: () => void;

  constructor(source: PropagationSource) {
    this.unsubscribe = source.subscribe((unit) => {
      this.commands.push(...this.renderer.render(unit));
    });
  }

  end(): number {
    return this.commands.length;
  }

  readFrom(offset: number): string[][] {
    return this.commands.slice(offset);
  }

  /** Drop what was recorded and start over as a fresh AOF (the next command gets a SELECT). */
  reset(): void {
    this.commands = [];
    this.renderer.reset();
  }

  close(): void {
    this.unsubscribe();
  }
}

// ---------------------------------------------------------------------------
// A redis-server that journals
// ---------------------------------------------------------------------------

/** A redis-server with its AOF on, and the reader of its incr file. */
export interface AofRedisServer {
  readonly server: RedisServerHandle;
  readonly aof: AofReader;
}

/**
 * Starts a redis-server that writes and fsyncs every write to its AOF before
 * replying, with DEBUG allowed from localhost (DEBUG SET-ACTIVE-EXPIRE 0
 * makes expiry happen only where a command touches the key).
 */
export async function startAofRedisServer(options: StartRedisServerOptions = {}): Promise<AofRedisServer> {
  const server = await startRedisServer({
    ...options,
    appendOnly: true,
    extraArgs: ['--enable-debug-command', 'local', ...(options.extraArgs ?? [])],
  });
  try {
    return { server, aof: new AofReader(server.dir) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

/** A connection of a scenario: 'a' is the main one, 'b' and 'c' act in between (a push that serves a blocked 'a'). */
export type ClientName = 'a' | 'b' | 'c';

export type Step =
  /**
   * Send a command and wait for its reply. `random`: the reply names members
   * chosen at random (SPOP). `unordered`: what it journals may come in any
   * order (deletions of expired keys found in hash-table order by SCAN).
   */
  | { kind: 'call'; client: ClientName; argv: string[]; random?: boolean; unordered?: boolean }
  /** Send a command without waiting (a blocking command); `reply` collects the answer. */
  | { kind: 'send'; client: ClientName; argv: string[] }
  | { kind: 'reply'; client: ClientName }
  /** Wait until this many clients are blocked (INFO clients), so a push reaches a waiting client. */
  | { kind: 'blocked'; count: number }
  /**
   * Turn active expiry on, wait until database `db` holds `size` keys
   * (DBSIZE expires nothing itself), and turn it off again. The cycle
   * deletes in hash-table order, so what it journals is compared sorted.
   */
  | { kind: 'activeExpiry'; db: number; size: number }
  | { kind: 'sleep'; ms: number };

export const call = (...argv: string[]): Step => ({ kind: 'call', client: 'a', argv });
export const on = (client: ClientName, ...argv: string[]): Step => ({ kind: 'call', client, argv });
/** A call whose reply is the members it chose at random (SPOP): those members are masked in what the call propagates. */
export const random = (...argv: string[]): Step => ({ kind: 'call', client: 'a', argv, random: true });
/** A call whose journal may come in any order: compared sorted. */
export const anyOrder = (...argv: string[]): Step => ({ kind: 'call', client: 'a', argv, unordered: true });
export const send = (client: ClientName, ...argv: string[]): Step => ({ kind: 'send', client, argv });
export const reply = (client: ClientName): Step => ({ kind: 'reply', client });
export const blocked = (count: number): Step => ({ kind: 'blocked', count });
/** Lets active expiry run until database `db` has `size` keys left; its deletions may come in any order. */
export const activeExpiry = (db: number, size: number): Step => ({ kind: 'activeExpiry', db, size });
export const sleep = (ms: number): Step => ({ kind: 'sleep', ms });

/**
 * The database the reset runs in. Leaving Redis's AOF writer on a database
 * no scenario selects makes the first command of every scenario start with a
 * SELECT, exactly as in a fresh AOF, which is what the recorder renders.
 */
export const RESET_DB = 15;

/** One server a scenario runs on. */
export interface ScenarioTarget {
  readonly label: string;
  readonly port: number;
  readonly journal: Journal;
  /** Called after the reset's FLUSHALL, before the scenario's first step (the recorder starts over here). */
  afterReset?(): void;
}

/** What one step did on one server: its reply and the commands journalled meanwhile. */
export interface StepRecord {
  reply: string | null;
  journalled: string[][];
}

const WAIT_LIMIT_MS = 5000;

/** The connections of one scenario on one server. */
class ScenarioSession {
  private readonly clients = new Map<ClientName, RawClient>();
  private readonly pending = new Map<ClientName, { argv: string[]; answer: Promise<Buffer> }>();
  /** The connection that waits for blocked clients or for active expiry, apart from the scenario's own. */
  private poller: RawClient | null = null;

  constructor(private readonly target: ScenarioTarget) {}

  private async client(name: ClientName): Promise<RawClient> {
    let client = this.clients.get(name);
    if (!client) {
      client = await RawClient.connect(this.target.port, { replyTimeoutMs: WAIT_LIMIT_MS });
      this.clients.set(name, client);
    }
    return client;
  }

  /** Runs one step and returns its reply (null for steps that have none); a failure names the server and the step. */
  async run(step: Step): Promise<Buffer | null> {
    try {
      return await this.runStep(step);
    } catch (error) {
      throw new Error(`${this.target.label}, at ${describeStep(step)}: ${(error as Error).message}`);
    }
  }

  private async runStep(step: Step): Promise<Buffer | null> {
    switch (step.kind) {
      case 'call':
        return (await this.client(step.client)).callArgs(step.argv);
      case 'send': {
        const client = await this.client(step.client);
        const answer = client.callArgs(step.argv);
        // Held for the matching 'reply' step; a failure surfaces there.
        answer.catch(() => undefined);
        this.pending.set(step.client, { argv: step.argv, answer });
        return null;
      }
      case 'reply': {
        const sent = this.pending.get(step.client);
        if (!sent) throw new Error(`scenario error: no command sent on client ${step.client} awaits a reply`);
        this.pending.delete(step.client);
        try {
          return await sent.answer;
        } catch (error) {
          throw new Error(`no reply to ${formatCommand(sent.argv)}: ${(error as Error).message}`);
        }
      }
      case 'blocked':
        await this.poll(0, ['INFO', 'clients'], (text) => new RegExp(`blocked_clients:${step.count}\\r\\n`).test(text), `${step.count} blocked clients`);
        return null;
      case 'activeExpiry':
        await this.expectOk(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']);
        await this.poll(step.db, ['DBSIZE'], (text) => text === `:${step.size}\r\n`, `DBSIZE ${step.size} in database ${step.db}`);
        await this.expectOk(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']);
        return null;
      case 'sleep':
        return null;
    }
  }

  /** Sends a command that must answer +OK on the poller. */
  private async expectOk(argv: string[]): Promise<void> {
    this.poller ??= await RawClient.connect(this.target.port, { replyTimeoutMs: WAIT_LIMIT_MS });
    const answer = (await this.poller.callArgs(argv)).toString('latin1');
    if (answer !== '+OK\r\n') throw new Error(`${this.target.label}: ${formatCommand(argv)} replied ${escapeBytes(answer, 200)}`);
  }

  private async poll(db: number, argv: string[], done: (reply: string) => boolean, what: string): Promise<void> {
    await this.expectOk(['SELECT', String(db)]);
    const client = this.poller!;
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const answer = (await client.callArgs(argv)).toString('latin1');
      if (done(answer)) return;
      if (Date.now() > deadline) throw new Error(`${this.target.label}: waited ${WAIT_LIMIT_MS}ms for ${what}; last reply ${escapeBytes(answer, 200)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async close(): Promise<void> {
    const all = [...this.clients.values(), ...(this.poller ? [this.poller] : [])];
    await Promise.all(all.map((client) => client.close()));
  }
}

/**
 * Empties the server from a connection in `RESET_DB`, turns active expiry
 * off (keys expire only where a command reads them) and sets back the one
 * parameter a scenario changes (lazyfree-lazy-expire).
 */
async function resetTarget(target: ScenarioTarget): Promise<void> {
  const admin = await RawClient.connect(target.port, { replyTimeoutMs: WAIT_LIMIT_MS });
  try {
    const resets = [['SELECT', String(RESET_DB)], ['FLUSHALL'], ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'], ['CONFIG', 'SET', 'lazyfree-lazy-expire', 'no']];
    for (const argv of resets) {
      const answer = (await admin.callArgs(argv)).toString('latin1');
      if (answer !== '+OK\r\n') throw new Error(`${target.label}: ${formatCommand(argv)} replied ${escapeBytes(answer, 200)}`);
    }
  } finally {
    await admin.close();
  }
  target.afterReset?.();
}

/** One step as played on each target, in the order the targets were given. */
export interface PlayedStep {
  step: Step;
  records: StepRecord[];
}

/**
 * Plays `steps` on every target from an empty keyspace, each step on all of
 * them at once (so that they take their expiry times from nearly the same
 * instant), and returns each step's reply and journal on each. Steps that
 * wait (`sleep`, `blocked`, `activeExpiry`) wait on all of them.
 */
export async function playSteps(steps: readonly Step[], targets: readonly ScenarioTarget[]): Promise<PlayedStep[]> {
  for (const step of steps) {
    if ((step.kind === 'call' || step.kind === 'send') && step.argv[0]?.toUpperCase() === 'SELECT' && step.argv[1] === String(RESET_DB)) {
      throw new Error(`scenario error: database ${RESET_DB} is the reset's own`);
    }
  }
  await Promise.all(targets.map((target) => resetTarget(target)));
  const sessions = targets.map((target) => new ScenarioSession(target));
  const played: PlayedStep[] = [];
  try {
    for (const step of steps) {
      const marks = targets.map((target) => target.journal.end());
      const [replies] = await Promise.all([
        Promise.all(sessions.map((session) => session.run(step))),
        step.kind === 'sleep' ? new Promise((resolve) => setTimeout(resolve, step.ms)) : null,
      ]);
      const records = targets.map((target, i): StepRecord => {
        const answer = replies[i] ?? null;
        const journalled = target.journal.readFrom(marks[i]!);
        const text = answer && answer.toString('latin1');
        const masked = step.kind === 'call' && step.random ? maskRandomChoices(journalled, text) : journalled;
        const unordered = (step.kind === 'call' && step.unordered) || step.kind === 'activeExpiry';
        return { reply: text, journalled: unordered ? sortCommands(masked) : masked };
      });
      played.push({ step, records });
    }
  } finally {
    await Promise.all(sessions.map((session) => session.close()));
  }
  return played;
}

/**
 * Commands in a fixed order, for journals whose order is the hash table's:
 * sorted by their rendering within each run between SELECT, MULTI and EXEC,
 * which stay in place, so that every command stays under the database it
 * was written for and inside (or outside) its transaction.
 */
const SORT_BOUNDARIES = new Set(['SELECT', 'MULTI', 'EXEC']);

export function sortCommands(commands: readonly (readonly string[])[]): string[][] {
  const byText = (x: string[], y: string[]): number => {
    const [a, b] = [formatCommand(x), formatCommand(y)];
    return a < b ? -1 : a > b ? 1 : 0;
  };
  const out: string[][] = [];
  let run: string[][] = [];
  for (const argv of commands) {
    if (SORT_BOUNDARIES.has(argv[0]?.toUpperCase() ?? '')) {
      out.push(...run.sort(byText), [...argv]);
      run = [];
    } else {
      run.push([...argv]);
    }
  }
  out.push(...run.sort(byText));
  return out;
}

/** What one scenario journalled on the reference and the candidate, ready to compare. */
export interface ScenarioOutcome {
  /** The reference journal's tail. */
  reference: string[][];
  /** The candidate's, with clock-derived times aligned to the reference's where they agree within the tolerance. */
  candidate: string[][];
  /** A step-by-step account (replies and journals of both) for failure messages. */
  report: string;
}

/** Plays a scenario on a reference server and a candidate and returns both journals' tails. */
export async function runScenario(steps: readonly Step[], reference: ScenarioTarget, candidate: ScenarioTarget): Promise<ScenarioOutcome> {
  const played = await playSteps(steps, [reference, candidate]);
  const referenceTail = played.flatMap(({ records }) => records[0]!.journalled);
  const candidateTail = alignTimestamps(referenceTail, played.flatMap(({ records }) => records[1]!.journalled));
  return { reference: referenceTail, candidate: candidateTail, report: describePlay(played, [reference.label, candidate.label]) };
}

function describeStep(step: Step): string {
  switch (step.kind) {
    case 'call':
      return `${step.client}: ${formatCommand(step.argv)}${step.random ? '   (reply chosen at random)' : ''}${step.unordered ? '   (journal in any order)' : ''}`;
    case 'send':
      return `${step.client}: ${formatCommand(step.argv)}   (sent; the reply comes later)`;
    case 'reply':
      return `${step.client}: (reply to the command sent earlier)`;
    case 'blocked':
      return `(wait for ${step.count} blocked clients)`;
    case 'activeExpiry':
      return `(active expiry on until database ${step.db} holds ${step.size} keys, then off; journal in any order)`;
    case 'sleep':
      return `(sleep ${step.ms}ms)`;
  }
}

/** Renders a journal the way a reader of an AOF would like to see it. */
export function formatJournal(commands: readonly (readonly string[])[]): string {
  return commands.length === 0 ? '(nothing)' : commands.map((argv) => formatCommand(argv)).join(' | ');
}

/** A step-by-step account of a play: each step, then each target's reply and journal. */
export function describePlay(played: readonly PlayedStep[], labels: readonly string[]): string {
  const width = Math.max(...labels.map((label) => label.length));
  const lines: string[] = [];
  for (const { step, records } of played) {
    lines.push(`  ${describeStep(step)}`);
    records.forEach((record, i) => {
      const label = labels[i]!.padEnd(width);
      const answer = record.reply === null ? '' : `reply ${escapeBytes(record.reply, 120)}, `;
      lines.push(`      ${label}  ${answer}journal ${formatJournal(record.journalled)}`);
    });
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/** How far apart two servers' clock-derived unix-ms times may be. */
export const TIMESTAMP_TOLERANCE_MS = 1000;

/**
 * The positions of absolute unix-ms times in a propagated command: the
 * argument after PXAT in SET's options, PEXPIREAT's time (Redis rewrites
 * every relative expiry into one of these two), XCLAIM's TIME, and the
 * TTL of a RESTORE rewritten with ABSTTL.
 */
export function timestampPositions(argv: readonly string[]): number[] {
  const name = argv[0]?.toUpperCase();
  if (name === 'PEXPIREAT') return argv.length > 2 ? [2] : [];
  if (name === 'RESTORE') return argv.length > 4 && argv.some((arg, i) => i > 3 && arg.toUpperCase() === 'ABSTTL') ? [2] : [];
  // The delivery time XREADGROUP, XCLAIM and XAUTOCLAIM propagate in their XCLAIM.
  if (name === 'XCLAIM') {
    const time = argv.findIndex((arg, i) => i > 5 && arg.toUpperCase() === 'TIME');
    return time !== -1 && time + 1 < argv.length ? [time + 1] : [];
  }
  if (name === 'SET') {
    const positions: number[] = [];
    for (let i = 3; i + 1 < argv.length; i++) if (argv[i]!.toUpperCase() === 'PXAT') positions.push(i + 1);
    return positions;
  }
  return [];
}

/**
 * A copy of `candidate` in which each clock-derived time within
 * `TIMESTAMP_TOLERANCE_MS` of the reference's time at the same place (same
 * command index, same argument) is replaced by the reference's, so that the
 * two compare equal. Times further apart, or in commands that don't line up,
 * are left alone and show up in the comparison.
 */
export function alignTimestamps(reference: readonly (readonly string[])[], candidate: readonly (readonly string[])[], toleranceMs = TIMESTAMP_TOLERANCE_MS): string[][] {
  return candidate.map((argv, index) => {
    const out = [...argv];
    const theirs = reference[index];
    if (!theirs || theirs[0]?.toUpperCase() !== argv[0]?.toUpperCase()) return out;
    const referencePositions = new Set(timestampPositions(theirs));
    for (const position of timestampPositions(argv)) {
      if (!referencePositions.has(position)) continue;
      const ours = out[position]!;
      const expected = theirs[position]!;
      if (!/^\d+$/.test(ours) || !/^\d+$/.test(expected)) continue;
      if (Math.abs(Number(ours) - Number(expected)) <= toleranceMs) out[position] = expected;
    }
    return out;
  });
}

/** Stands in for a member a command chose at random. */
export const RANDOM_CHOICE = '<member chosen at random>';

/**
 * Masks the members a command chose at random (its reply: one bulk string,
 * or an array of them) in what it propagated, so that two servers that chose
 * differently compare equal. Each chosen member must be propagated exactly
 * once (SPOP's SREM); if not, nothing is masked and the difference shows.
 */
export function maskRandomChoices(journalled: readonly (readonly string[])[], rawReply: string | null): string[][] {
  const copy = journalled.map((argv) => [...argv]);
  if (rawReply === null || isErrorReply(Buffer.from(rawReply, 'latin1'))) return copy;
  const decoded = replyToJs(Buffer.from(rawReply, 'latin1'));
  const chosen = (Array.isArray(decoded) ? decoded : [decoded]).filter((item): item is string => typeof item === 'string');
  const remaining = new Map<string, number>();
  for (const member of chosen) remaining.set(member, (remaining.get(member) ?? 0) + 1);
  const masked = copy.map((argv) =>
    argv.map((arg, i) => {
      const left = i > 1 ? remaining.get(arg) : undefined;
      if (left === undefined || left === 0) return arg;
      remaining.set(arg, left - 1);
      return RANDOM_CHOICE;
    }),
  );
  const allOnce = [...remaining.values()].every((left) => left === 0);
  return allOnce ? masked : copy;
}
