/**
 * The consumer-group half of the stream differential generator: XGROUP and
 * its subcommands, XREADGROUP and XREAD (never blocking), XACK, XPENDING,
 * XCLAIM, XAUTOCLAIM, XINFO and XSETID over two groups and three consumers.
 *
 * Idle times are chosen so that no reply depends on how long the run
 * takes: a minimum idle time is 0 or an hour, and XCLAIM's IDLE and TIME
 * put deliveries either now or hours back. The replies that still carry a
 * clock reading (idle, seen-time, delivery time) are compared by
 * `alignClockReadings`, with a tolerance.
 */
import type { Rng } from '../helpers/random.js';
import type { Command } from '../helpers/resp-client.js';
import { splitAggregate } from '../helpers/resp-client.js';
import type { ReplyRule } from './harness.js';
import { anyCase } from './pools.js';
import type { StreamCommandGenerator } from './stream-commands.js';

const GROUPS: readonly string[] = ['g1', 'g2', 'g1', 'nog'];
const CONSUMERS: readonly string[] = ['c1', 'c2', 'c3'];
const MIN_IDLE: readonly string[] = ['0', '0', '0', '3600000', '-5', 'abc'];

function group(rng: Rng): string {
  return rng.pick(GROUPS);
}

function ids(rng: Rng, g: StreamCommandGenerator, key: string, min: number, max: number): string[] {
  return Array.from({ length: rng.int(min, max) }, () => g.nearId(rng, key));
}

function xgroup(rng: Rng, g: StreamCommandGenerator, key: string): Command {
  const roll = rng.next();
  if (roll < 0.35) {
    const args = [anyCase(rng, 'XGROUP'), anyCase(rng, 'CREATE'), key, group(rng), rng.chance(0.4) ? '$' : rng.chance(0.5) ? '0' : g.nearId(rng, key)];
    if (rng.chance(0.3)) args.push(anyCase(rng, 'MKSTREAM'));
    if (rng.chance(0.15)) args.push(anyCase(rng, 'ENTRIESREAD'), rng.pick(['0', '1', '3', '-1', '-2', 'x']));
    if (rng.chance(0.03)) args.push('FOO');
    return args;
  }
  if (roll < 0.55) {
    const args = [anyCase(rng, 'XGROUP'), anyCase(rng, 'SETID'), key, group(rng), rng.chance(0.3) ? '$' : g.nearId(rng, key)];
    if (rng.chance(0.2)) args.push(anyCase(rng, 'ENTRIESREAD'), rng.pick(['0', '2', '-1', '-3']));
    return args;
  }
  if (roll < 0.62) return [anyCase(rng, 'XGROUP'), anyCase(rng, 'DESTROY'), key, group(rng)];
  if (roll < 0.77) return [anyCase(rng, 'XGROUP'), anyCase(rng, 'CREATECONSUMER'), key, group(rng), rng.pick(CONSUMERS)];
  if (roll < 0.9) return [anyCase(rng, 'XGROUP'), anyCase(rng, 'DELCONSUMER'), key, group(rng), rng.pick(CONSUMERS)];
  if (roll < 0.95) return [anyCase(rng, 'XGROUP'), 'HELP'];
  return [anyCase(rng, 'XGROUP'), rng.pick(['FOO', 'CREATE', 'SETID']), key];
}

function xreadgroup(rng: Rng, g: StreamCommandGenerator, key: string): Command {
  const args = [anyCase(rng, 'XREADGROUP'), anyCase(rng, 'GROUP'), group(rng), rng.pick(CONSUMERS)];
  if (rng.chance(0.5)) args.push(anyCase(rng, 'COUNT'), rng.pick(['1', '2', '3', '10', '0', '-1']));
  if (rng.chance(0.15)) args.push(anyCase(rng, 'NOACK'));
  const keys = rng.chance(0.8) ? [key] : [key, g.key(rng)];
  const idFor = (k: string): string => (rng.chance(0.7) ? '>' : rng.chance(0.5) ? '0' : rng.chance(0.8) ? g.nearId(rng, k) : '$');
  args.push(anyCase(rng, 'STREAMS'), ...keys, ...keys.map(idFor));
  if (rng.chance(0.02)) args.pop();
  return args;
}

function xread(rng: Rng, g: StreamCommandGenerator, key: string): Command {
  const args = [anyCase(rng, 'XREAD')];
  if (rng.chance(0.5)) args.push(anyCase(rng, 'COUNT'), rng.pick(['1', '2', '5', '0']));
  if (rng.chance(0.03)) args.push(rng.pick(['NOACK', 'GROUP', 'FOO']));
  const keys = rng.chance(0.7) ? [key] : [key, g.key(rng)];
  args.push(anyCase(rng, 'STREAMS'), ...keys, ...keys.map((k) => (rng.chance(0.2) ? '$' : rng.chance(0.3) ? '0' : rng.chance(0.05) ? '>' : g.nearId(rng, k))));
  return args;
}

function xpending(rng: Rng, g: StreamCommandGenerator, key: string): Command {
  const args = [anyCase(rng, 'XPENDING'), key, group(rng)];
  if (rng.chance(0.3)) return args;
  if (rng.chance(0.2)) args.push(anyCase(rng, 'IDLE'), rng.pick(['0', '3600000', 'abc']));
  const bound = (): string => (rng.chance(0.15) ? '(' : '') + g.nearId(rng, key);
  args.push(rng.chance(0.5) ? '-' : bound(), rng.chance(0.5) ? '+' : bound(), rng.pick(['10', '1', '2', '0', '-1', 'abc']));
  if (rng.chance(0.3)) args.push(rng.pick(CONSUMERS));
  return args;
}

function xclaim(rng: Rng, g: StreamCommandGenerator, key: string): Command {
  const args = [anyCase(rng, 'XCLAIM'), key, group(rng), rng.pick(CONSUMERS), rng.pick(MIN_IDLE), ...ids(rng, g, key, 1, 3)];
  for (const option of rng.subset(['IDLE', 'TIME', 'RETRYCOUNT', 'FORCE', 'JUSTID', 'LASTID'], 0.25)) {
    args.push(anyCase(rng, option));
    if (option === 'IDLE') args.push(rng.pick(['0', '7200000', 'x']));
    else if (option === 'TIME') args.push(rng.pick(['1000', '0', '-5']));
    else if (option === 'RETRYCOUNT') args.push(rng.pick(['0', '3', '-1']));
    else if (option === 'LASTID') args.push(g.nearId(rng, key));
  }
  if (rng.chance(0.03)) args.push('BOGUS');
  return args;
}

function xautoclaim(rng: Rng, g: StreamCommandGenerator, key: string): Command {
  const args = [anyCase(rng, 'XAUTOCLAIM'), key, group(rng), rng.pick(CONSUMERS), rng.pick(MIN_IDLE), rng.chance(0.5) ? '0' : (rng.chance(0.2) ? '(' : '') + g.nearId(rng, key)];
  if (rng.chance(0.5)) args.push(anyCase(rng, 'COUNT'), rng.pick(['1', '2', '5', '100', '0', '-1']));
  if (rng.chance(0.3)) args.push(anyCase(rng, 'JUSTID'));
  return args;
}

function xinfo(rng: Rng, key: string): Command {
  const roll = rng.next();
  if (roll < 0.35) return [anyCase(rng, 'XINFO'), anyCase(rng, 'STREAM'), key];
  if (roll < 0.55) {
    const args = [anyCase(rng, 'XINFO'), anyCase(rng, 'STREAM'), key, anyCase(rng, 'FULL')];
    if (rng.chance(0.5)) args.push(anyCase(rng, 'COUNT'), rng.pick(['0', '1', '3', '-1']));
    return args;
  }
  if (roll < 0.75) return [anyCase(rng, 'XINFO'), anyCase(rng, 'GROUPS'), key];
  if (roll < 0.95) return [anyCase(rng, 'XINFO'), anyCase(rng, 'CONSUMERS'), key, group(rng)];
  return [anyCase(rng, 'XINFO'), rng.pick(['HELP', 'FOO'])];
}

function xsetid(rng: Rng, g: StreamCommandGenerator, key: string): Command {
  const args = [anyCase(rng, 'XSETID'), key, g.nearId(rng, key)];
  if (rng.chance(0.3)) args.push(anyCase(rng, 'ENTRIESADDED'), rng.pick(['0', '5', '100', '-1']));
  if (rng.chance(0.3)) args.push(anyCase(rng, 'MAXDELETEDID'), g.nearId(rng, key));
  return args;
}

/** One consumer-group command (or XREAD) on a key of the pool. */
export function groupCommand(rng: Rng, g: StreamCommandGenerator): Command {
  const key = g.key(rng);
  const roll = rng.next();
  if (roll < 0.18) return xgroup(rng, g, key);
  if (roll < 0.4) return xreadgroup(rng, g, key);
  if (roll < 0.48) return xread(rng, g, key);
  if (roll < 0.58) return [anyCase(rng, 'XACK'), key, group(rng), ...ids(rng, g, key, 1, 3)];
  if (roll < 0.68) return xpending(rng, g, key);
  if (roll < 0.78) return xclaim(rng, g, key);
  if (roll < 0.86) return xautoclaim(rng, g, key);
  if (roll < 0.96) return xinfo(rng, key);
  return xsetid(rng, g, key);
}

/** How far apart two readings of the clock (or idle times) may be. */
const CLOCK_SLACK = 2000n;
/** Map keys whose values are clock readings, or (radix-tree-nodes) a figure of Redis's rax that reddish does not have. */
const CLOCK_FIELDS = new Set(['idle', 'seen-time']);

function integerOf(raw: Buffer): bigint | null {
  if (raw[0] !== 0x3a) return null;
  return BigInt(raw.subarray(1, raw.indexOf(13)).toString('latin1'));
}

function bulkText(raw: Buffer): string | null {
  if (raw[0] !== 0x24 && raw[0] !== 0x2b) return null;
  const header = raw.indexOf(13);
  return raw[0] === 0x2b ? raw.subarray(1, header).toString('latin1') : raw.subarray(header + 2, raw.length - 2).toString('latin1');
}

/**
 * Makes the candidate's clock readings the reference's when they are
 * within CLOCK_SLACK: values after `idle`/`seen-time`, absolute delivery
 * times (beyond 10^12 ms), and the idle column of XPENDING's rows;
 * `radix-tree-nodes` is taken from the reference whatever its value.
 */
function align(reference: Buffer, candidate: Buffer, previous: string | null, idleColumn: boolean): Buffer {
  const a = integerOf(reference);
  const b = integerOf(candidate);
  if (a !== null && b !== null) {
    if (previous === 'radix-tree-nodes') return reference;
    const close = (a > b ? a - b : b - a) <= CLOCK_SLACK;
    if (close && ((previous !== null && CLOCK_FIELDS.has(previous)) || a >= 1_000_000_000_000n || idleColumn)) return reference;
    return candidate;
  }
  const ref = splitAggregate(reference);
  const cand = splitAggregate(candidate);
  if (ref === null || cand === null || !ref.header.equals(cand.header)) return candidate;
  // XPENDING's extended rows: [id, consumer, idle, deliveries].
  const row =
    ref.children.length === 4 && bulkText(ref.children[1]!) !== null && integerOf(ref.children[2]!) !== null && integerOf(ref.children[3]!) !== null;
  const children = cand.children.map((child, i) => align(ref.children[i]!, child, i > 0 ? bulkText(ref.children[i - 1]!) : null, row && i === 2));
  return Buffer.concat([cand.header, ...children]);
}

export const alignClockReadings: ReplyRule = {
  kind: 'custom',
  normalize: (reference, candidate) => [reference, align(reference, candidate, null, false)],
};

/** The rules for the group commands whose replies carry clock readings. */
export const STREAM_GROUP_RULES: Readonly<Record<string, ReplyRule>> = {
  XPENDING: alignClockReadings,
  'XINFO STREAM': alignClockReadings,
  'XINFO CONSUMERS': alignClockReadings,
};
