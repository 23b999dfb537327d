/**
 * LATENCY LATEST | HISTORY | RESET | GRAPH | DOCTOR | HISTOGRAM | HELP
 * (latency.c's latencyCommand). The monitor's samples live in
 * server/latency-monitor.ts; each command's histogram in its table entry.
 */
import { latencyNoSamples } from '../errors.js';
import { replyHelp } from './help-reply.js';
import { latencyDoctor, latencyGraph } from './latency-report.js';
import type { TableEntry } from './table.js';
import type { Client, CommandSpec } from './types.js';

const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

function nowSeconds(c: Client): number {
  return Math.floor(c.server.clock.now() / 1000);
}

/** LATENCY LATEST: per event, its name, the latest sample's time and latency, and the all-time maximum. */
function latencyLatestCommand(c: Client): void {
  const reply = c.reply;
  const events = c.server.latency.events;
  reply.arrayHeader(events.size);
  for (const [event, ts] of events) {
    const latest = ts.latest;
    reply.arrayHeader(4);
    reply.bulk(event);
    reply.integer(latest.time);
    reply.integer(latest.latency);
    reply.integer(ts.max);
  }
}

export const latencyLatestSpec: CommandSpec = {
  name: 'latest',
  arity: 2,
  flags: ADMIN_FLAGS,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Return the latest latency samples for all events.',
  since: '2.8.13',
  complexity: 'O(1)',
  handler: latencyLatestCommand,
};

/** LATENCY HISTORY event: the event's samples, oldest first, as [time, latency] pairs. */
function latencyHistoryCommand(c: Client, argv: string[]): void {
  const ts = c.server.latency.events.get(argv[2]!);
  const samples = ts === undefined ? [] : ts.inOrder();
  c.reply.arrayHeader(samples.length);
  for (const sample of samples) {
    c.reply.arrayHeader(2);
    c.reply.integer(sample.time);
    c.reply.integer(sample.latency);
  }
}

export const latencyHistorySpec: CommandSpec = {
  name: 'history',
  arity: 3,
  flags: ADMIN_FLAGS,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Return timestamp-latency samples for the event.',
  since: '2.8.13',
  complexity: 'O(1)',
  syntax: 'event',
  handler: latencyHistoryCommand,
};

/** LATENCY RESET [event ...]: how many events were reset. */
function latencyResetCommand(c: Client, argv: string[]): void {
  const monitor = c.server.latency;
  let resets = 0;
  if (argv.length === 2) resets = monitor.reset();
  else for (let i = 2; i < argv.length; i++) resets += monitor.reset(argv[i]!);
  c.reply.integer(resets);
}

export const latencyResetSpec: CommandSpec = {
  name: 'reset',
  arity: -2,
  flags: ADMIN_FLAGS,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Reset latency data for one or more events.',
  since: '2.8.13',
  complexity: 'O(1)',
  syntax: '[event [event ...]]',
  handler: latencyResetCommand,
};

/** LATENCY GRAPH event: ASCII art of the event's samples. */
function latencyGraphCommand(c: Client, argv: string[]): void {
  const event = argv[2]!;
  const ts = c.server.latency.events.get(event);
  if (ts === undefined) {
    c.reply.error(latencyNoSamples(event));
    return;
  }
  c.reply.verbatim(latencyGraph(event, ts, nowSeconds(c)));
}

export const latencyGraphSpec: CommandSpec = {
  name: 'graph',
  arity: 3,
  flags: ADMIN_FLAGS,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Return a latency graph for the event.',
  since: '2.8.13',
  complexity: 'O(1)',
  syntax: 'event',
  handler: latencyGraphCommand,
};

/** LATENCY DOCTOR: a human readable analysis of the events. */
function latencyDoctorCommand(c: Client): void {
  c.reply.verbatim(latencyDoctor(c.server, nowSeconds(c)));
}

export const latencyDoctorSpec: CommandSpec = {
  name: 'doctor',
  arity: 2,
  flags: ADMIN_FLAGS,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Return a human readable latency analysis report.',
  since: '2.8.13',
  complexity: 'O(1)',
  handler: latencyDoctorCommand,
};

/**
 * fillCommandCDF: {calls, histogram_usec: {usec: cumulative count}}, a
 * map in RESP3 and a flat array in RESP2.
 */
function replyCommandCdf(c: Client, entry: TableEntry): void {
  const histogram = entry.stats.histogram!;
  const reply = c.reply;
  reply.mapHeader(2);
  reply.bulk('calls');
  reply.integer(histogram.totalCount);
  reply.bulk('histogram_usec');
  const steps = histogram.cumulativeDistribution();
  reply.mapHeader(steps.length);
  for (const [usec, count] of steps) {
    reply.integer(usec);
    reply.integer(count);
  }
}

/**
 * LATENCY HISTOGRAM [command ...]: the cumulative distribution of each
 * command's latencies, for the commands named (a container brings its
 * subcommands; unknown names are skipped) or for every command with data.
 */
function latencyHistogramCommand(c: Client, argv: string[]): void {
  const table = c.server.commands;
  const chosen: TableEntry[] = [];
  if (argv.length === 2) {
    for (const entry of table.allEntries()) if (entry.stats.histogram != null) chosen.push(entry);
  } else {
    for (let i = 2; i < argv.length; i++) {
      // lookupCommandBySds: `container|sub` names a subcommand.
      const parts = argv[i]!.toLowerCase().split('|');
      if (parts.length > 2) continue;
      const top = table.lookup(parts[0]!);
      const entry = parts.length === 1 ? top : top?.subcommands?.get(parts[1]!);
      if (entry === undefined) continue;
      if (entry.stats.histogram != null) chosen.push(entry);
      if (entry.subcommands !== null) {
        for (const subEntry of entry.subcommands.values()) if (subEntry.stats.histogram != null) chosen.push(subEntry);
      }
    }
  }
  c.reply.mapHeader(chosen.length);
  for (const entry of chosen) {
    c.reply.bulk(entry.fullName);
    replyCommandCdf(c, entry);
  }
}

export const latencyHistogramSpec: CommandSpec = {
  name: 'histogram',
  arity: -2,
  flags: ADMIN_FLAGS,
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
  syntax: '[command [command ...]]',
  handler: latencyHistogramCommand,
};

const LATENCY_HELP: readonly string[] = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

/** LATENCY HELP */
function latencyHelpCommand(c: Client): void {
  replyHelp(c, 'LATENCY', LATENCY_HELP);
}

export const latencyHelpSpec: CommandSpec = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'Show helpful text about the different subcommands.',
  since: '2.8.13',
  complexity: 'O(1)',
  handler: latencyHelpCommand,
};

/** LATENCY <subcommand>: a container, dispatch picks the subcommand. */
export const latencySpec: CommandSpec = {
  name: 'latency',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'server',
  summary: 'A container for latency diagnostics commands',
  since: '2.8.13',
  complexity: 'Depends on subcommand.',
  subcommands: [
    latencyDoctorSpec,
    latencyGraphSpec,
    latencyHelpSpec,
    latencyHistogramSpec,
    latencyHistorySpec,
    latencyLatestSpec,
    latencyResetSpec,
  ],
};

export const latencyCommands: readonly CommandSpec[] = [latencySpec];
