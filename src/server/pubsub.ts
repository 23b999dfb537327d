/**
 * Pub/sub: who listens to which channel, pattern and shard channel, and
 * delivery of messages to them (Redis's pubsub.c).
 *
 * Both directions are kept, as Redis keeps them: the server maps each
 * channel (and pattern) to its subscribers, and each client keeps its own
 * subscriptions (ClientSubscriptions) for UNSUBSCRIBE with no arguments,
 * CLIENT LIST's sub/psub/ssub and for dropping a client that goes.
 *
 * A message is written straight into each subscriber's reply buffer, as
 * Redis's addReplyPubsubMessage writes into the subscriber's output, and
 * the subscriber is listed for the end-of-turn write like any batch. The
 * message's wire text is built once per publish and protocol, not once per
 * subscriber: a fan-out to 500 clients then costs 500 string appends.
 *
 * Keyspace notifications publish through here too (`publish`), so they
 * reach subscribers exactly as PUBLISH does. Client tracking's RESP2
 * invalidations are not publishes: Redis writes them straight to the
 * redirect client (server/client-tracking.ts).
 */
import { compileMatcher, type Matcher } from '../text/glob.js';
import type { Client } from '../commands/types.js';

/** The three kinds of subscription Redis keeps apart. */
export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** A client's own subscriptions (Redis's c->pubsub_channels, pubsub_patterns, pubsubshard_channels). */
export class ClientSubscriptions {
  readonly channels = new Set<string>();
  /** A list in Redis: kept in subscription order. */
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();

  /** clientSubscriptionsCount: channels and patterns, what SUBSCRIBE and PSUBSCRIBE report. */
  get count(): number {
    return this.channels.size + this.patterns.size;
  }

  /** clientShardSubscriptionsCount: what SSUBSCRIBE reports. */
  get shardCount(): number {
    return this.shardChannels.size;
  }

  /** clientTotalPubSubSubscriptionCount: non-zero means the client is in the pub/sub context. */
  get total(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }
}

/** The subscribed-context reply names per kind (shared.subscribebulk and friends). */
const SUBSCRIBE_REPLY: Record<SubscriptionKind, string> = {
  channel: '$9\r\nsubscribe\r\n',
  pattern: '$10\r\npsubscribe\r\n',
  shard: '$10\r\nssubscribe\r\n',
};
const UNSUBSCRIBE_REPLY: Record<SubscriptionKind, string> = {
  channel: '$11\r\nunsubscribe\r\n',
  pattern: '$12\r\npunsubscribe\r\n',
  shard: '$12\r\nsunsubscribe\r\n',
};

function bulk(s: string): string {
  return '$' + s.length + '\r\n' + s + '\r\n';
}

interface PatternSubscribers {
  readonly match: Matcher;
  readonly clients: Set<Client>;
}

export class PubSub {
  private readonly channels = new Map<string, Set<Client>>();
  private readonly patterns = new Map<string, PatternSubscribers>();
  private readonly shardChannels = new Map<string, Set<Client>>();

  /** INFO pubsub_channels */
  get channelCount(): number {
    return this.channels.size;
  }

  /** INFO pubsub_patterns, PUBSUB NUMPAT */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** INFO pubsubshard_channels */
  get shardChannelCount(): number {
    return this.shardChannels.size;
  }

  /**
   * pubsubSubscribeChannel / pubsubSubscribePattern: adds the subscription
   * (if new) and replies with the subscription message. Returns whether
   * it was new.
   */
  subscribe(c: Client, name: string, kind: SubscriptionKind): boolean {
    const own = (c.subscriptions ??= new ClientSubscriptions());
    const set = ownSet(own, kind);
    const added = !set.has(name);
    if (added) {
      set.add(name);
      this.serverSubscribers(name, kind, true)!.add(c);
    }
    this.replySubscription(c, SUBSCRIBE_REPLY[kind], name, kind);
    return added;
  }

  /**
   * pubsubUnsubscribeChannel / pubsubUnsubscribePattern: removes the
   * subscription if there was one, replying (when `notify`) either way.
   */
  unsubscribe(c: Client, name: string, kind: SubscriptionKind, notify: boolean): boolean {
    const own = c.subscriptions;
    const removed = own !== null && ownSet(own, kind).delete(name);
    if (removed) this.removeFromServer(c, name, kind);
    if (notify) this.replySubscription(c, UNSUBSCRIBE_REPLY[kind], name, kind);
    return removed;
  }

  /**
   * UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE with no arguments: drops
   * every subscription of the kind, replying for each, or once with a
   * null name when there was none. Returns how many there were.
   */
  unsubscribeAll(c: Client, kind: SubscriptionKind, notify: boolean): number {
    const own = c.subscriptions;
    let count = 0;
    if (own !== null) {
      for (const name of [...ownSet(own, kind)]) {
        if (this.unsubscribe(c, name, kind, notify)) count++;
      }
    }
    if (notify && count === 0) this.replySubscription(c, UNSUBSCRIBE_REPLY[kind], null, kind);
    return count;
  }

  /** A client goes (disconnect) or RESETs: every subscription is dropped without replies. */
  dropClient(c: Client): void {
    const own = c.subscriptions;
    if (own === null) return;
    for (const name of own.channels) this.removeFromServer(c, name, 'channel');
    for (const name of own.patterns) this.removeFromServer(c, name, 'pattern');
    for (const name of own.shardChannels) this.removeFromServer(c, name, 'shard');
    c.subscriptions = null;
  }

  /**
   * pubsubPublishMessage: delivers `message` to the channel's subscribers,
   * then (not for shard channels) to every client whose pattern matches,
   * once per matching pattern. Returns the number of deliveries.
   */
  publish(channel: string, message: string, shard = false): number {
    let receivers = 0;
    const direct = (shard ? this.shardChannels : this.channels).get(channel);
    if (direct !== undefined) {
      const kindName = shard ? '$8\r\nsmessage\r\n' : '$7\r\nmessage\r\n';
      const body = kindName + bulk(channel) + bulk(message);
      receivers += deliver(direct, body, 3);
    }
    if (shard || this.patterns.size === 0) return receivers;
    const tail = bulk(channel) + bulk(message);
    for (const [pattern, subscribers] of this.patterns) {
      if (!subscribers.match(channel)) continue;
      receivers += deliver(subscribers.clients, '$8\r\npmessage\r\n' + bulk(pattern) + tail, 4);
    }
    return receivers;
  }

  /** PUBSUB CHANNELS / SHARDCHANNELS [pattern]: the active channels, matching the pattern if one is given. */
  activeChannels(pattern: string | null, shard: boolean): string[] {
    const names = [...(shard ? this.shardChannels : this.channels).keys()];
    if (pattern === null) return names;
    const match = compileMatcher(pattern);
    return names.filter(match);
  }

  /** PUBSUB NUMSUB / SHARDNUMSUB: a channel's direct subscribers (patterns not counted). */
  subscriberCount(channel: string, shard: boolean): number {
    return (shard ? this.shardChannels : this.channels).get(channel)?.size ?? 0;
  }

  private serverSubscribers(name: string, kind: SubscriptionKind, create: boolean): Set<Client> | undefined {
    if (kind === 'pattern') {
      let entry = this.patterns.get(name);
      if (entry === undefined && create) {
        entry = { match: compileMatcher(name), clients: new Set() };
        this.patterns.set(name, entry);
      }
      return entry?.clients;
    }
    const map = kind === 'shard' ? this.shardChannels : this.channels;
    let clients = map.get(name);
    if (clients === undefined && create) {
      clients = new Set();
      map.set(name, clients);
    }
    return clients;
  }

  private removeFromServer(c: Client, name: string, kind: SubscriptionKind): void {
    const clients = this.serverSubscribers(name, kind, false);
    if (clients === undefined) return;
    clients.delete(c);
    // Like Redis, a channel nobody listens to is forgotten, so PUBSUB
    // CHANNELS cannot be made to grow without bound.
    if (clients.size === 0) {
      if (kind === 'pattern') this.patterns.delete(name);
      else (kind === 'shard' ? this.shardChannels : this.channels).delete(name);
    }
  }

  /** addReplyPubsub(Pat)(Un)Subscribed: [kind, name or null, the client's count] as a push. */
  private replySubscription(c: Client, kindName: string, name: string | null, kind: SubscriptionKind): void {
    const reply = c.reply;
    const own = c.subscriptions;
    const count = own === null ? 0 : kind === 'shard' ? own.shardCount : own.count;
    // Redis writes these with CLIENT_PUSHING: CLIENT REPLY OFF does not hide them.
    const wasSilenced = reply.beginPush();
    reply.pushHeader(3);
    reply.raw(kindName);
    if (name === null) reply.nullBulk();
    else reply.raw(bulk(name));
    reply.integer(count);
    reply.endPush(wasSilenced);
  }
}

function ownSet(own: ClientSubscriptions, kind: SubscriptionKind): Set<string> {
  return kind === 'channel' ? own.channels : kind === 'pattern' ? own.patterns : own.shardChannels;
}

/**
 * Writes one message (its elements after the header, already encoded) to
 * every client in `clients`, with the header each one's protocol wants.
 */
function deliver(clients: Set<Client>, body: string, elements: number): number {
  let resp2: string | null = null;
  let resp3: string | null = null;
  for (const client of clients) {
    let text: string;
    if (client.reply.protocol === 3) text = resp3 ??= '>' + elements + '\r\n' + body;
    else text = resp2 ??= '*' + elements + '\r\n' + body;
    client.reply.push(text);
    client.outputAdded();
  }
  return clients.size;
}
