/**
 * Pub/sub commands: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH
 * and PUBSUB (Redis's pubsub.c). The subscriptions and the delivery live
 * in server/pubsub.ts; these handlers parse and reply.
 *
 * A RESP2 client with subscriptions is in the "subscribed context", where
 * dispatch lets only the commands of SUBSCRIBED_CONTEXT_COMMANDS through.
 */
import { subscribeDenied, unknownSubcommandOrArity } from '../errors.js';
import { replyHelp } from './help-reply.js';
import type { Client, CommandSpec } from './types.js';

/** processCommand's list: what a RESP2 client may run while subscribed. */
export const SUBSCRIBED_CONTEXT_COMMANDS: ReadonlySet<string> = new Set([
  'ping',
  'subscribe',
  'ssubscribe',
  'unsubscribe',
  'sunsubscribe',
  'psubscribe',
  'punsubscribe',
  'quit',
  'reset',
]);

/** SUBSCRIBE channel [channel ...] */
function subscribeCommand(c: Client, argv: string[]): void {
  // CLIENT_DENY_BLOCKING: a client with no socket expects one reply per
  // command. EXEC is let through, as Redis does for backward compatibility.
  if (c.socketless) {
    c.reply.error(subscribeDenied('SUBSCRIBE'));
    return;
  }
  for (let i = 1; i < argv.length; i++) c.server.pubsub.subscribe(c, argv[i]!, 'channel');
}

export const subscribeSpec: CommandSpec = {
  name: 'subscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'pubsub',
  summary: 'Listen for messages published to the given channels',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of channels to subscribe to.',
  syntax: 'channel [channel ...]',
  aclChannels: 'subscribe',
  handler: subscribeCommand,
};

/** UNSUBSCRIBE [channel ...] */
function unsubscribeCommand(c: Client, argv: string[]): void {
  const pubsub = c.server.pubsub;
  if (argv.length === 1) pubsub.unsubscribeAll(c, 'channel', true);
  else for (let i = 1; i < argv.length; i++) pubsub.unsubscribe(c, argv[i]!, 'channel', true);
}

export const unsubscribeSpec: CommandSpec = {
  name: 'unsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'pubsub',
  summary: 'Stop listening for messages posted to the given channels',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of clients already subscribed to a channel.',
  syntax: '[channel [channel ...]]',
  handler: unsubscribeCommand,
};

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribeCommand(c: Client, argv: string[]): void {
  if (c.socketless) {
    c.reply.error(subscribeDenied('PSUBSCRIBE'));
    return;
  }
  for (let i = 1; i < argv.length; i++) c.server.pubsub.subscribe(c, argv[i]!, 'pattern');
}

export const psubscribeSpec: CommandSpec = {
  name: 'psubscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'pubsub',
  summary: 'Listen for messages published to channels matching the given patterns',
  since: '2.0.0',
  complexity: 'O(N) where N is the number of patterns the client is already subscribed to.',
  syntax: 'pattern:pattern [pattern:pattern ...]',
  aclChannels: 'psubscribe',
  handler: psubscribeCommand,
};

/** PUNSUBSCRIBE [pattern ...] */
function punsubscribeCommand(c: Client, argv: string[]): void {
  const pubsub = c.server.pubsub;
  if (argv.length === 1) pubsub.unsubscribeAll(c, 'pattern', true);
  else for (let i = 1; i < argv.length; i++) pubsub.unsubscribe(c, argv[i]!, 'pattern', true);
}

export const punsubscribeSpec: CommandSpec = {
  name: 'punsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'pubsub',
  summary: 'Stop listening for messages posted to channels matching the given patterns',
  since: '2.0.0',
  complexity:
    'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
  syntax: '[pattern:pattern [pattern:pattern ...]]',
  handler: punsubscribeCommand,
};

/**
 * PUBLISH channel message: the number of deliveries. Redis propagates it
 * to replicas (forceCommandPropagation with PROPAGATE_REPL only), never to
 * the AOF, so there is nothing to hand to the journal.
 */
function publishCommand(c: Client, argv: string[]): void {
  c.reply.integer(c.server.pubsub.publish(argv[1]!, argv[2]!, false));
}

export const publishSpec: CommandSpec = {
  name: 'publish',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'pubsub',
  summary: 'Post a message to a channel',
  since: '2.0.0',
  complexity:
    'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
  syntax: 'channel message',
  aclChannels: 'publish',
  handler: publishCommand,
};

/** SSUBSCRIBE shardchannel [shardchannel ...] */
function ssubscribeCommand(c: Client, argv: string[]): void {
  // Unlike SUBSCRIBE, no exception for EXEC (7.0.15's ssubscribeCommand).
  if (c.socketless || c.inExec) {
    c.reply.error(subscribeDenied('SSUBSCRIBE'));
    return;
  }
  for (let i = 1; i < argv.length; i++) c.server.pubsub.subscribe(c, argv[i]!, 'shard');
}

export const ssubscribeSpec: CommandSpec = {
  name: 'ssubscribe',
  arity: -2,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  // Shard channels are declared as keys (for cluster slots), flagged not_key.
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  keyFlags: ['not_key'],
  group: 'pubsub',
  summary: 'Listen for messages published to the given shard channels',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of shard channels to subscribe to.',
  syntax: 'shardchannel [shardchannel ...]',
  aclChannels: 'subscribe',
  handler: ssubscribeCommand,
};

/** SUNSUBSCRIBE [shardchannel ...] */
function sunsubscribeCommand(c: Client, argv: string[]): void {
  const pubsub = c.server.pubsub;
  if (argv.length === 1) pubsub.unsubscribeAll(c, 'shard', true);
  else for (let i = 1; i < argv.length; i++) pubsub.unsubscribe(c, argv[i]!, 'shard', true);
}

export const sunsubscribeSpec: CommandSpec = {
  name: 'sunsubscribe',
  arity: -1,
  flags: ['pubsub', 'noscript', 'loading', 'stale'],
  firstKey: 1,
  lastKey: -1,
  keyStep: 1,
  keyFlags: ['not_key'],
  group: 'pubsub',
  summary: 'Stop listening for messages posted to the given shard channels',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.',
  syntax: '[shardchannel [shardchannel ...]]',
  handler: sunsubscribeCommand,
};

/** SPUBLISH shardchannel message */
function spublishCommand(c: Client, argv: string[]): void {
  c.reply.integer(c.server.pubsub.publish(argv[1]!, argv[2]!, true));
}

export const spublishSpec: CommandSpec = {
  name: 'spublish',
  arity: 3,
  flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['not_key'],
  group: 'pubsub',
  summary: 'Post a message to a shard channel',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.',
  syntax: 'shardchannel message',
  aclChannels: 'publish',
  handler: spublishCommand,
};

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: arity -2, but at most one pattern. */
function channelList(c: Client, argv: string[], shard: boolean): void {
  if (argv.length > 3) {
    c.reply.error(unknownSubcommandOrArity(argv[1]!, 'PUBSUB'));
    return;
  }
  c.reply.bulkArray(c.server.pubsub.activeChannels(argv.length === 3 ? argv[2]! : null, shard));
}

function subscriberCounts(c: Client, argv: string[], shard: boolean): void {
  const pubsub = c.server.pubsub;
  c.reply.arrayHeader((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    c.reply.bulk(argv[i]!);
    c.reply.integer(pubsub.subscriberCount(argv[i]!, shard));
  }
}

/** PUBSUB CHANNELS [pattern] */
function pubsubChannelsCommand(c: Client, argv: string[]): void {
  channelList(c, argv, false);
}

/** PUBSUB NUMSUB [channel ...] */
function pubsubNumsubCommand(c: Client, argv: string[]): void {
  subscriberCounts(c, argv, false);
}

/** PUBSUB NUMPAT: the patterns subscribed to, by any client. */
function pubsubNumpatCommand(c: Client): void {
  c.reply.integer(c.server.pubsub.patternCount);
}

/** PUBSUB SHARDCHANNELS [pattern] */
function pubsubShardchannelsCommand(c: Client, argv: string[]): void {
  channelList(c, argv, true);
}

/** PUBSUB SHARDNUMSUB [shardchannel ...] */
function pubsubShardnumsubCommand(c: Client, argv: string[]): void {
  subscriberCounts(c, argv, true);
}

function pubsubHelpCommand(c: Client): void {
  replyHelp(c, 'PUBSUB', PUBSUB_HELP);
}

/** What every PUBSUB subcommand shares. */
const pubsubSubcommand = {
  arity: -2,
  flags: ['pubsub', 'loading', 'stale'],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'pubsub',
} as const;

export const pubsubChannelsSpec: CommandSpec = {
  ...pubsubSubcommand,
  name: 'channels',
  summary: 'List active channels',
  since: '2.8.0',
  complexity:
    'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
  syntax: '[pattern:pattern]',
  handler: pubsubChannelsCommand,
};

export const pubsubNumsubSpec: CommandSpec = {
  ...pubsubSubcommand,
  name: 'numsub',
  summary: 'Get the count of subscribers for channels',
  since: '2.8.0',
  complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels',
  syntax: '[channel [channel ...]]',
  handler: pubsubNumsubCommand,
};

export const pubsubNumpatSpec: CommandSpec = {
  ...pubsubSubcommand,
  name: 'numpat',
  arity: 2,
  summary: 'Get the count of unique patterns pattern subscriptions',
  since: '2.8.0',
  complexity: 'O(1)',
  handler: pubsubNumpatCommand,
};

export const pubsubShardchannelsSpec: CommandSpec = {
  ...pubsubSubcommand,
  name: 'shardchannels',
  summary: 'List active shard channels',
  since: '7.0.0',
  complexity:
    'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
  syntax: '[pattern:pattern]',
  handler: pubsubShardchannelsCommand,
};

export const pubsubShardnumsubSpec: CommandSpec = {
  ...pubsubSubcommand,
  name: 'shardnumsub',
  summary: 'Get the count of subscribers for shard channels',
  since: '7.0.0',
  complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
  syntax: '[shardchannel [shardchannel ...]]',
  handler: pubsubShardnumsubCommand,
};

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

export const pubsubHelpSpec: CommandSpec = {
  ...pubsubSubcommand,
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  // Redis's pubsub-help.json declares no categories (only @slow, from the flags).
  aclCategories: [],
  summary: 'Show helpful text about the different subcommands',
  since: '6.2.0',
  complexity: 'O(1)',
  handler: pubsubHelpCommand,
};

export const pubsubSpec: CommandSpec = {
  name: 'pubsub',
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  keyStep: 0,
  group: 'pubsub',
  summary: 'A container for Pub/Sub commands',
  since: '2.8.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    pubsubChannelsSpec,
    pubsubNumpatSpec,
    pubsubNumsubSpec,
    pubsubShardchannelsSpec,
    pubsubShardnumsubSpec,
    pubsubHelpSpec,
  ],
};

export const pubsubCommands: readonly CommandSpec[] = [
  subscribeSpec,
  unsubscribeSpec,
  psubscribeSpec,
  punsubscribeSpec,
  publishSpec,
  ssubscribeSpec,
  sunsubscribeSpec,
  spublishSpec,
  pubsubSpec,
];
