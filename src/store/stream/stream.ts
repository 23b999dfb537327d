/**
 * The stream type (Redis's t_stream.c `stream`): entries in StreamNodes,
 * indexed by their master IDs in an OrderedMap (Redis's rax of
 * listpacks), the stream's counters (length, last, first and largest
 * deleted ID, entries added) and its consumer groups.
 *
 * Costs, as Redis's: XADD appends to the tail node, O(1) amortized; a seek
 * to an ID is O(log n) in the index plus a scan of one node (at most
 * stream-node-max-entries entries); a range costs the seek plus what it
 * returns; deletion flags one entry and trimming drops whole nodes from
 * the head, touching only the nodes concerned.
 */
import type { EncodingConfig, RedisObject } from '../types.js';
import { OrderedMap } from './ordered-map.js';
import { ConsumerGroup, ENTRIES_READ_UNKNOWN } from './consumer-group.js';
import { MAX_ID, MIN_ID, idFromWords, idWord, incrId, type StreamId } from './stream-id.js';
import { FLAG_DELETED, FLAG_SAMEFIELDS, NodeReader, StreamNode, compareHeaderId, newEntryHeader, type EntryHeader } from './stream-node.js';

/** STREAM_LISTPACK_MAX_SIZE: the most a node (and an entry) may hold. */
const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

export type TrimStrategy = 'maxlen' | 'minid';

/** streamAddTrimArgs' trimming part. */
export interface TrimArgs {
  strategy: TrimStrategy;
  maxlen: number;
  minid: StreamId;
  approx: boolean;
  /** Entries the trim may remove at most; 0 is no limit. */
  limit: number;
}

/** Why streamAppendItem refused an entry. */
export type AppendFailure = 'not-greater' | 'too-large';

export class RedisStream implements RedisObject {
  readonly type = 'stream';
  readonly index = new OrderedMap<StreamNode>();
  head: StreamNode | null = null;
  tail: StreamNode | null = null;
  length = 0;
  lastId: StreamId = MIN_ID;
  firstId: StreamId = MIN_ID;
  maxDeletedId: StreamId = MIN_ID;
  /** All entries ever added (7.0's entries_added), for the groups' lag. */
  entriesAdded = 0;
  /** Created on first XGROUP CREATE, as Redis creates s->cgroups on demand. */
  groups: Map<string, ConsumerGroup> | null = null;

  encoding(_config: EncodingConfig): string {
    return 'stream';
  }

  /**
   * streamAppendItem: the ID the entry gets. `given` is the client's ID
   * (null for `*`); with `seqGiven` false (`ms-*`) the sequence is chosen.
   * `now` is the server clock for `*`.
   */
  nextId(given: StreamId | null, seqGiven: boolean, now: number): StreamId | null {
    const last = this.lastId;
    if (given === null) {
      // streamNextID: the clock's ms, or the last ID plus one when the clock is not ahead.
      const nowMsHi = Math.floor(now / 4294967296);
      const nowMsLo = now >>> 0;
      const lastMsHi = idWord(last, 0);
      const lastMsLo = idWord(last, 1);
      if (nowMsHi > lastMsHi || (nowMsHi === lastMsHi && nowMsLo > lastMsLo)) return idFromWords(nowMsHi, nowMsLo, 0, 0);
      return incrId(last);
    }
    if (seqGiven) return given;
    // ms-*: seq 0 for a new ms, else the last seq plus one (none past the largest).
    if (idWord(given, 0) === idWord(last, 0) && idWord(given, 1) === idWord(last, 1)) {
      if (idWord(last, 2) === 0xffffffff && idWord(last, 3) === 0xffffffff) return null;
      return incrId(last);
    }
    return given;
  }

  /**
   * Appends an entry with the ID `id` (already checked to be above lastId)
   * and the field/value pairs of `argv` from `start` on.
   */
  append(id: StreamId, argv: readonly string[], start: number, config: EncodingConfig): AppendFailure | null {
    if (id <= this.lastId) return 'not-greater';
    let totalLength = 0;
    for (let i = start; i < argv.length; i++) totalLength += argv[i]!.length;
    if (totalLength > STREAM_LISTPACK_MAX_SIZE) return 'too-large';

    let node = this.tail;
    if (node !== null) {
      let maxBytes = config.streamNodeMaxBytes;
      if (maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
      if (node.lpBytes + totalLength >= maxBytes || (config.streamNodeMaxEntries !== 0 && node.total >= config.streamNodeMaxEntries)) {
        node.shrinkToFit();
        node = null;
      }
    }
    if (node === null) {
      // Entries of one stream mostly have the same fields: a new node shares
      // the previous node's list of names when they are the same.
      const previous = this.tail;
      let fields: readonly string[];
      if (previous !== null && previous.sameFields(argv, start)) fields = previous.masterFields;
      else {
        const names: string[] = [];
        for (let i = start; i < argv.length; i += 2) names.push(argv[i]!);
        fields = names;
      }
      node = new StreamNode(id, fields);
      if (config.streamNodeMaxEntries !== 0) node.expectedEntries = config.streamNodeMaxEntries;
      this.linkTail(node);
    }
    node.append(id, argv, start);
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
    return null;
  }

  /** Links a node built elsewhere (the RDB loader) after the last one; its entries follow every entry here. */
  appendNode(node: StreamNode): void {
    this.linkTail(node);
  }

  private linkTail(node: StreamNode): void {
    node.prev = this.tail;
    if (this.tail !== null) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.index.set(node.masterId, node);
  }

  /** Drops a node from the index and the chain. */
  removeNode(node: StreamNode): void {
    this.index.delete(node.masterId);
    if (node.prev !== null) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next !== null) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = null;
  }

  /** The node where a forward walk from `id` starts: the last with master ID <= id, or the first. */
  nodeForSeek(id: StreamId): StreamNode | null {
    const cursor = this.index.floor(id);
    return cursor === null ? this.head : OrderedMap.value(cursor);
  }

  /** Walks the live entries from `start` to `end` (inclusive); see StreamIterator. */
  iterate(start: StreamId, end: StreamId, rev: boolean): StreamIterator {
    return new StreamIterator(this, start, end, rev);
  }

  /**
   * streamDeleteItem: flags the entry `id` deleted; true when it was live.
   * Redis drops the node when its last live entry goes.
   */
  deleteEntry(id: StreamId): boolean {
    const it = this.iterate(id, id, false);
    if (!it.next()) return false;
    it.removeCurrent();
    return true;
  }

  /** streamGetEdgeID: the first (or last) entry's ID, tombstones skipped or not; MAX_ID/MIN_ID when none. */
  edgeId(first: boolean, skipTombstones: boolean): StreamId {
    const it = new StreamIterator(this, MIN_ID, MAX_ID, !first);
    it.skipTombstones = skipTombstones;
    if (it.next()) return it.id;
    return first ? MAX_ID : MIN_ID;
  }

  /** streamTrim: removes entries from the head by args; the number removed. */
  trim(args: TrimArgs): number {
    let deleted = 0;
    let node = this.head;
    while (node !== null) {
      if (args.strategy === 'maxlen' && this.length <= args.maxlen) break;
      const entries = node.count;
      if (args.limit !== 0 && deleted + entries > args.limit) break;
      const removeNode = args.strategy === 'maxlen' ? this.length - entries >= args.maxlen : node.lastId < args.minid;
      if (removeNode) {
        const next: StreamNode | null = node.next;
        this.removeNode(node);
        this.length -= entries;
        deleted += entries;
        node = next;
        continue;
      }
      if (args.approx) break;
      // Flag entries deleted inside this node until the bound is reached.
      const reader = new NodeReader(node.data);
      const header = newEntryHeader();
      while (reader.pos < node.used) {
        node.readHeader(reader, header);
        const stop = args.strategy === 'maxlen' ? this.length <= args.maxlen : header.id >= args.minid;
        if (stop) break;
        node.skipFields(reader, header.flags);
        if (!(header.flags & FLAG_DELETED)) {
          node.markDeleted(header.offset);
          this.length--;
          deleted++;
        }
      }
      break;
    }
    if (this.length === 0) this.firstId = MIN_ID;
    else if (deleted !== 0) this.firstId = this.edgeId(true, true);
    return deleted;
  }

  /** The group named `name`, or undefined. */
  group(name: string): ConsumerGroup | undefined {
    return this.groups?.get(name);
  }

  clone(): RedisStream {
    const copy = new RedisStream();
    for (let node = this.head; node !== null; node = node.next) copy.linkTail(node.clone());
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    if (this.groups !== null) {
      copy.groups = new Map();
      for (const [name, group] of this.groups) copy.groups.set(name, group.clone());
    }
    return copy;
  }
}

/**
 * streamIterator: the live entries between two IDs, forwards or backwards.
 * After next() returns true, `id` is the entry's ID and fields() reads its
 * field/value pairs; removeCurrent() deletes it (streamIteratorRemoveEntry).
 *
 * The walk compares IDs by their 32-bit words and builds an entry's ID
 * string only when asked (`id`): a seek passes over up to a node of
 * entries, and a reply can write the ID's text from the words (msHi...).
 */
export class StreamIterator {
  /** Walk deleted entries too (streamGetEdgeID without skip_tombstones). */
  skipTombstones = true;
  private node: StreamNode | null;
  private reader: NodeReader | null = null;
  private readonly header: EntryHeader = newEntryHeader();
  /** The current entry's ID string, once built. */
  private currentId: StreamId | null = MIN_ID;
  /** Backwards: the node's entry offsets and the next one to read. */
  private offsets: number[] | null = null;
  private offsetIndex = 0;
  private done = false;
  private readonly startMsHi: number;
  private readonly startMsLo: number;
  private readonly startSeqHi: number;
  private readonly startSeqLo: number;
  private readonly endMsHi: number;
  private readonly endMsLo: number;
  private readonly endSeqHi: number;
  private readonly endSeqLo: number;

  constructor(
    private readonly stream: RedisStream,
    private readonly start: StreamId,
    end: StreamId,
    private readonly rev: boolean,
  ) {
    this.startMsHi = idWord(start, 0);
    this.startMsLo = idWord(start, 1);
    this.startSeqHi = idWord(start, 2);
    this.startSeqLo = idWord(start, 3);
    this.endMsHi = idWord(end, 0);
    this.endMsLo = idWord(end, 1);
    this.endSeqHi = idWord(end, 2);
    this.endSeqLo = idWord(end, 3);
    if (start > end) {
      this.node = null;
      this.done = true;
    } else if (rev) {
      const cursor = stream.index.floor(end);
      this.node = cursor === null ? null : OrderedMap.value(cursor);
    } else {
      this.node = stream.nodeForSeek(start);
    }
  }

  /** The current entry's ID. */
  get id(): StreamId {
    const h = this.header;
    return (this.currentId ??= idFromWords(h.msHi, h.msLo, h.seqHi, h.seqLo));
  }

  /** The current entry's ID as words (idWord's order), for encoding it without building `id`. */
  get msHi(): number {
    return this.header.msHi;
  }

  get msLo(): number {
    return this.header.msLo;
  }

  get seqHi(): number {
    return this.header.seqHi;
  }

  get seqLo(): number {
    return this.header.seqLo;
  }

  next(): boolean {
    if (this.done) return false;
    return this.rev ? this.nextBackward() : this.nextForward();
  }

  private beforeStart(h: EntryHeader): boolean {
    return compareHeaderId(h, this.startMsHi, this.startMsLo, this.startSeqHi, this.startSeqLo) < 0;
  }

  private afterEnd(h: EntryHeader): boolean {
    return compareHeaderId(h, this.endMsHi, this.endMsLo, this.endSeqHi, this.endSeqLo) > 0;
  }

  private nextForward(): boolean {
    const header = this.header;
    while (this.node !== null) {
      const node = this.node;
      let reader = this.reader;
      if (reader === null) {
        if (node.lastId < this.start) {
          this.node = node.next;
          continue;
        }
        reader = this.reader = new NodeReader(node.data);
      }
      while (reader.pos < node.used) {
        node.readHeaderWords(reader, header);
        if (this.afterEnd(header)) {
          this.done = true;
          return false;
        }
        const fieldsAt = reader.pos;
        node.skipFields(reader, header.flags);
        if (this.beforeStart(header) || (this.skipTombstones && header.flags & FLAG_DELETED)) continue;
        this.currentId = null;
        this.fieldsAt = fieldsAt;
        return true;
      }
      this.node = node.next;
      this.reader = null;
    }
    this.done = true;
    return false;
  }

  private nextBackward(): boolean {
    const header = this.header;
    while (this.node !== null) {
      const node = this.node;
      if (this.offsets === null) {
        this.offsets = node.entryOffsets();
        this.offsetIndex = this.offsets.length - 1;
        this.reader = new NodeReader(node.data);
      }
      const reader = this.reader!;
      while (this.offsetIndex >= 0) {
        reader.pos = this.offsets[this.offsetIndex--]!;
        node.readHeaderWords(reader, header);
        if (this.beforeStart(header)) {
          this.done = true;
          return false;
        }
        if (this.afterEnd(header) || (this.skipTombstones && header.flags & FLAG_DELETED)) continue;
        this.currentId = null;
        this.fieldsAt = reader.pos;
        return true;
      }
      this.node = node.prev;
      this.offsets = null;
    }
    this.done = true;
    return false;
  }

  private fieldsAt = 0;
  /** Reads the current entry's fields (one reader for the whole walk). */
  private fieldReader: NodeReader | null = null;

  /** The current entry's field/value pairs, pushed onto `out`. */
  fields(out: string[]): string[] {
    this.node!.readFields(this.fieldsReader(), this.header.flags, out);
    return out;
  }

  /**
   * A reader at the current entry's fields, for a caller that writes them
   * out itself: with `usesMasterFields`, the field names are `masterFields`
   * and the reader holds one value per name; otherwise it holds a count n
   * (varint) and n field/value pairs. Each string is read with `string()`.
   */
  fieldsReader(): NodeReader {
    const node = this.node!;
    let reader = this.fieldReader;
    if (reader === null) reader = this.fieldReader = new NodeReader(node.data);
    else reader.data = node.data;
    reader.pos = this.fieldsAt;
    return reader;
  }

  /** True when the current entry's field names are its node's master fields. */
  get usesMasterFields(): boolean {
    return (this.header.flags & FLAG_SAMEFIELDS) !== 0;
  }

  /** The current node's master field names. */
  get masterFields(): readonly string[] {
    return this.node!.masterFields;
  }

  /** Deletes the current entry; the walk goes on after it. */
  removeCurrent(): void {
    const node = this.node!;
    const stream = this.stream;
    stream.length--;
    if (node.count === 1) {
      const next = this.rev ? node.prev : node.next;
      stream.removeNode(node);
      this.node = next;
      this.reader = null;
      this.offsets = null;
      return;
    }
    node.markDeleted(this.header.offset);
    this.header.flags |= FLAG_DELETED;
  }
}

/** streamEstimateDistanceFromFirstEverEntry: the entries-read counter an ID stands for, or -1 when unknowable. */
export function estimateEntriesRead(stream: RedisStream, id: StreamId): number {
  if (stream.entriesAdded === 0) return 0;
  if (stream.length === 0 && id <= stream.lastId) return stream.entriesAdded;
  if (id === stream.lastId) return stream.entriesAdded;
  if (id > stream.lastId) return ENTRIES_READ_UNKNOWN;
  if (stream.maxDeletedId === MIN_ID || stream.maxDeletedId < stream.firstId) {
    if (id < stream.firstId) return stream.entriesAdded - stream.length;
    if (id === stream.firstId) return stream.entriesAdded - stream.length + 1;
  }
  return ENTRIES_READ_UNKNOWN;
}
