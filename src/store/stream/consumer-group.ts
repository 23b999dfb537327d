/**
 * Consumer groups (Redis's streamCG, streamConsumer, streamNACK): a group's
 * last delivered ID and entries-read counter, its consumers, and the
 * pending-entries lists — one for the group and one per consumer, both
 * ordered by ID in O(log n) maps and sharing the same NACK objects.
 */
import { OrderedMap } from './ordered-map.js';
import type { StreamId } from './stream-id.js';

/** SCG_INVALID_ENTRIES_READ: the group's entries_read is unknown. */
export const ENTRIES_READ_UNKNOWN = -1;

/** streamNACK: a delivered, not yet acknowledged entry. */
export class PendingEntry {
  constructor(
    public consumer: Consumer,
    /** Last delivery, ms on the server clock. */
    public deliveryTime: number,
    public deliveryCount: number,
  ) {}
}

export class Consumer {
  readonly pel = new OrderedMap<PendingEntry>();
  constructor(
    readonly name: string,
    /** Last time the consumer read or claimed (7.0's seen_time). */
    public seenTime: number,
  ) {}
}

export class ConsumerGroup {
  readonly pel = new OrderedMap<PendingEntry>();
  readonly consumers = new Map<string, Consumer>();

  constructor(
    readonly name: string,
    public lastId: StreamId,
    public entriesRead: number,
  ) {}

  /** streamCreateConsumer: null when it exists already. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const consumer = new Consumer(name, now);
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** streamLookupConsumer. */
  consumer(name: string): Consumer | undefined {
    return this.consumers.get(name);
  }

  /** streamDelConsumer: drops the consumer and its pending entries from the group's PEL too; how many it had. */
  deleteConsumer(consumer: Consumer): number {
    const pending = consumer.pel.size;
    for (const [id] of consumer.pel.entries()) this.pel.delete(id);
    this.consumers.delete(consumer.name);
    return pending;
  }

  /** The consumers in Redis's rax order (by name, bytewise). */
  sortedConsumers(): Consumer[] {
    return [...this.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  clone(): ConsumerGroup {
    const copy = new ConsumerGroup(this.name, this.lastId, this.entriesRead);
    for (const consumer of this.consumers.values()) {
      const c = new Consumer(consumer.name, consumer.seenTime);
      copy.consumers.set(c.name, c);
    }
    for (const [id, nack] of this.pel.entries()) {
      const owner = copy.consumers.get(nack.consumer.name)!;
      const entry = new PendingEntry(owner, nack.deliveryTime, nack.deliveryCount);
      copy.pel.set(id, entry);
      owner.pel.set(id, entry);
    }
    return copy;
  }
}
