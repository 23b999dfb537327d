// RedisBloom's scalable bloom filter (SBChain, src/sb.c + deps/bloom/bloom.c).
//
// A chain of fixed-size bloom filters ("links"). Items go into the last link;
// when it holds `capacity` items a new link is appended with capacity ×
// expansion and half the error rate, so the chain's overall false-positive
// rate stays bounded by the requested one (the first link already uses half
// of it, as RedisBloom does, unless the filter is NONSCALING).
//
// Why not bloom-filters' ScalableBloomFilter: it decides when to grow by
// recounting the set bits of the whole bitset on every add (~460 adds/s at
// 1M bits) and sizes its filters with its own formulas, so neither its speed
// nor BF.INFO's Capacity/Size would match RedisBloom. The chain logic is
// therefore ours; each link's storage is bloom-filters' BitSet, and bit
// positions come from the library's enhanced double hashing fed by
// Latin1Murmur3Hashing's seeds, so a link holds exactly the bits a plain
// library BloomFilter(bits, hashes) with that hashing would (tested). The
// double hashing is inlined because the chain hashes an item once and probes
// every link with the same pair, where BloomFilter.has would rehash per link.

import { errors } from '../../errors.js';
import bloomFilters from 'bloom-filters';
import {
  ByteReader,
  ByteWriter,
  FilterFullError,
  MAX_DUMP_CHUNK_BYTES,
  MODULE_VALUE_ENCODING,
  ProbabilisticError,
  bytesToLatin1,
  latin1ToBytes,
  type DumpChunk,
} from './encoding.js';
import { BLOOM_FIRST_SEED, BLOOM_SECOND_SEED, doubleHashIndex, murmur3Latin1 } from './hashing.js';
import type { RedisObject } from '../types.js';

const { BitSet } = bloomFilters;
type BitSetInstance = InstanceType<typeof BitSet>;

export const BLOOM_TYPE = 'MBbloom--';

// bloom.c's truncated constants, kept so hashes and sizes match RedisBloom's.
const LN2 = 0.693147180559945;
const LN2_SQUARED = 0.480453013918201;
const ERROR_TIGHTENING_RATIO = 0.5;

// The double hashing works on 32-bit hashes, so one link can address at most
// 2^32 bits (512 MiB); RedisBloom would refuse or OOM long before in practice.
const MAX_LINK_BYTES = 2 ** 29;
// A header describing more memory than this is garbage, not a real chain.
const MAX_CHAIN_BYTES = 2 ** 32;

// sizeof(SBChain) and sizeof(SBLink) on 64-bit Linux: BF.INFO's Size adds them
// to the bit arrays, and reporting the same number keeps clients' checks true.
const CHAIN_STRUCT_BYTES = 32;
const LINK_STRUCT_BYTES = 64;

const HEADER_MAGIC = 'RDSB';
const HEADER_VERSION = 1;
const HEADER_LINK_BYTES = 8 + 8 + 4 + 8 + 8;

interface BloomLink {
  /** Items this link is sized for (bloom.entries). */
  readonly capacity: number;
  readonly errorRate: number;
  readonly hashes: number;
  /** Always bytes × 8: bits are rounded up to whole 64-bit words. */
  readonly bits: number;
  readonly bitset: BitSetInstance;
  /** The BitSet's bytes, held directly for the probe loops and the dumps. */
  readonly bytes: Uint8Array;
  /** Items added to this link. */
  items: number;
}

export interface BloomInfo {
  readonly capacity: number;
  readonly size: number;
  readonly numberOfFilters: number;
  readonly numberOfItemsInserted: number;
  /** null for NONSCALING filters, which RedisBloom reports as nil. */
  readonly expansionRate: number | null;
}

/** One line of BF.DEBUG. */
export interface BloomLinkDebug {
  readonly bytes: number;
  readonly bits: number;
  readonly hashes: number;
  readonly capacity: number;
  readonly size: number;
  readonly ratio: number;
}

function bitsPerEntry(errorRate: number): number {
  return Math.abs(Math.log(errorRate) / LN2_SQUARED);
}

/** bloom_init with BLOOM_OPT_NOROUND: no power-of-two rounding, bits padded to 64-bit words. */
function linkGeometry(capacity: number, errorRate: number): { hashes: number; byteLength: number } {
  const bpe = bitsPerEntry(errorRate);
  const bits = Math.max(1, Math.floor(capacity * bpe));
  const byteLength = bits % 64 === 0 ? bits / 8 : (Math.floor(bits / 64) + 1) * 8;
  return { hashes: Math.ceil(LN2 * bpe), byteLength };
}

function createLink(capacity: number, errorRate: number): BloomLink {
  const { hashes, byteLength } = linkGeometry(capacity, errorRate);
  if (byteLength > MAX_LINK_BYTES) throw new ProbabilisticError(errors.bfCouldNotCreate);
  const bitset = new BitSet(byteLength * 8);
  return { capacity, errorRate, hashes, bits: byteLength * 8, bitset, bytes: bitset.array, items: 0 };
}

function linkContains(link: BloomLink, first: number, second: number): boolean {
  const { bytes, bits, hashes } = link;
  for (let n = 0; n < hashes; n++) {
    const index = doubleHashIndex(n, first, second, bits);
    if ((bytes[index >>> 3] & (1 << (index & 7))) === 0) return false;
  }
  return true;
}

/** Sets the item's bits; true if any was unset (bloom_add_h). */
function linkInsert(link: BloomLink, first: number, second: number): boolean {
  const { bytes, bits, hashes } = link;
  let setAny = false;
  for (let n = 0; n < hashes; n++) {
    const index = doubleHashIndex(n, first, second, bits);
    const byte = index >>> 3;
    const mask = 1 << (index & 7);
    if ((bytes[byte] & mask) === 0) {
      bytes[byte] |= mask;
      setAny = true;
    }
  }
  return setAny;
}

function isValidErrorRate(errorRate: number): boolean {
  return errorRate > 0 && errorRate < 1;
}

export class ScalableBloom implements RedisObject {
  readonly type = BLOOM_TYPE;
  readonly expansion: number;
  readonly nonScaling: boolean;
  private links: BloomLink[];
  private items = 0;

  /** OBJECT ENCODING: Redis reports every module-type value as raw. */
  encoding(): typeof MODULE_VALUE_ENCODING {
    return MODULE_VALUE_ENCODING;
  }

  constructor(errorRate: number, capacity: number, expansion = 2, nonScaling = false) {
    if (!isValidErrorRate(errorRate)) throw new RangeError('bloom error rate must be in (0, 1)');
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('bloom capacity must be a positive integer');
    if (!Number.isSafeInteger(expansion) || expansion < 1) throw new RangeError('bloom expansion must be a positive integer');
    this.expansion = expansion;
    this.nonScaling = nonScaling;
    const firstErrorRate = nonScaling ? errorRate : errorRate * ERROR_TIGHTENING_RATIO;
    this.links = [createLink(capacity, firstErrorRate)];
  }

  /** Adds the item; false if it may already be present. Throws FilterFullError when a NONSCALING filter is full. */
  add(item: string): boolean {
    const first = murmur3Latin1(item, BLOOM_FIRST_SEED);
    const second = murmur3Latin1(item, BLOOM_SECOND_SEED);
    const links = this.links;
    // Like SBChain_Add: an item any link may hold is not added again, so
    // repeated adds never consume capacity.
    for (let i = links.length - 1; i >= 0; i--) {
      if (linkContains(links[i], first, second)) return false;
    }
    let current = links[links.length - 1];
    if (current.items >= current.capacity) {
      if (this.nonScaling) throw new FilterFullError();
      current = createLink(current.capacity * this.expansion, current.errorRate * ERROR_TIGHTENING_RATIO);
      links.push(current);
    }
    if (!linkInsert(current, first, second)) return false;
    current.items++;
    this.items++;
    return true;
  }

  exists(item: string): boolean {
    const first = murmur3Latin1(item, BLOOM_FIRST_SEED);
    const second = murmur3Latin1(item, BLOOM_SECOND_SEED);
    const links = this.links;
    for (let i = links.length - 1; i >= 0; i--) {
      if (linkContains(links[i], first, second)) return true;
    }
    return false;
  }

  /** Items added (BF.CARD, BF.INFO ITEMS). */
  card(): number {
    return this.items;
  }

  capacity(): number {
    let total = 0;
    for (const link of this.links) total += link.capacity;
    return total;
  }

  /** RedisBloom's BFMemUsage: struct overheads plus the bit arrays (BF.INFO SIZE). */
  memoryUsage(): number {
    let total = CHAIN_STRUCT_BYTES;
    for (const link of this.links) total += LINK_STRUCT_BYTES + link.bytes.length;
    return total;
  }

  info(): BloomInfo {
    return {
      capacity: this.capacity(),
      size: this.memoryUsage(),
      numberOfFilters: this.links.length,
      numberOfItemsInserted: this.items,
      expansionRate: this.nonScaling ? null : this.expansion,
    };
  }

  debugLinks(): BloomLinkDebug[] {
    return this.links.map((link) => ({
      bytes: link.bytes.length,
      bits: link.bits,
      hashes: link.hashes,
      capacity: link.capacity,
      size: link.items,
      ratio: link.errorRate,
    }));
  }

  clone(): ScalableBloom {
    const copy = new ScalableBloom(0.5, 1, this.expansion, this.nonScaling);
    copy.links = this.links.map((link) => {
      const bitset = new BitSet(link.bits);
      bitset.array.set(link.bytes);
      return { ...link, bitset, bytes: bitset.array };
    });
    copy.items = this.items;
    return copy;
  }

  // ---- BF.SCANDUMP / BF.LOADCHUNK -------------------------------------------
  // As in sb.c: iterator 0 yields the header and iterator 1; after that the
  // iterator is 1 + the byte offset into the links' bit arrays laid end to
  // end, a chunk never spans two links, and the iterator returned with a
  // chunk is the one to pass to loadChunk with it. The end is iterator 0 with
  // empty data.

  scanDump(iter: number, maxChunkBytes = MAX_DUMP_CHUNK_BYTES): DumpChunk {
    if (iter === 0) return { iter: 1, data: this.encodeHeader() };
    const position = this.locate(iter);
    if (position === null) return { iter: 0, data: '' };
    const { link, offset } = position;
    const length = Math.min(maxChunkBytes, link.bytes.length - offset);
    return { iter: iter + length, data: bytesToLatin1(link.bytes, offset, offset + length) };
  }

  /** LOADCHUNK with iterator 1 on a missing key: a zeroed chain shaped by the header. */
  static fromHeader(header: string): ScalableBloom {
    const reader = new ByteReader(header, errors.probabilisticBadData);
    const bloom = ScalableBloom.decodeHeader(reader);
    reader.expectEnd();
    return bloom;
  }

  loadChunk(iter: number, data: string): void {
    const length = data.length;
    if (!Number.isSafeInteger(iter) || iter <= 0 || iter < length) throw new ProbabilisticError(errors.probabilisticBadData);
    const position = this.locate(iter - length);
    if (position === null) throw new ProbabilisticError(errors.bfNoLinkAtOffset);
    const { link, offset } = position;
    if (length > link.bytes.length - offset) {
      throw new ProbabilisticError(errors.bfChunkTooBig);
    }
    link.bytes.set(latin1ToBytes(data), offset);
  }

  // ---- whole-value form (DUMP/RESTORE, snapshots): the header, then every link's bytes.

  serialize(): string {
    const writer = new ByteWriter();
    this.writeHeader(writer);
    for (const link of this.links) writer.raw(link.bytes);
    return writer.toLatin1();
  }

  static deserialize(data: string): ScalableBloom {
    const reader = new ByteReader(data, errors.probabilisticBadData);
    const bloom = ScalableBloom.decodeHeader(reader);
    for (const link of bloom.links) link.bytes.set(reader.raw(link.bytes.length));
    reader.expectEnd();
    return bloom;
  }

  private locate(iter: number): { link: BloomLink; offset: number } | null {
    if (!Number.isSafeInteger(iter) || iter < 1) return null;
    let offset = iter - 1;
    for (const link of this.links) {
      if (offset < link.bytes.length) return { link, offset };
      offset -= link.bytes.length;
    }
    return null;
  }

  private encodeHeader(): string {
    const writer = new ByteWriter();
    this.writeHeader(writer);
    return writer.toLatin1();
  }

  private writeHeader(writer: ByteWriter): void {
    writer
      .magic(HEADER_MAGIC)
      .u8(HEADER_VERSION)
      .u8(this.nonScaling ? 1 : 0)
      .u32(this.expansion)
      .f64(this.items)
      .u32(this.links.length);
    for (const link of this.links) {
      writer.f64(link.capacity).f64(link.errorRate).u32(link.hashes).f64(link.bytes.length).f64(link.items);
    }
  }

  /**
   * Reads and checks a header: every link must have exactly the geometry
   * bloom_init gives its capacity and error rate, each link must follow from
   * the previous one by the chain's growth rule, and the item counts must
   * add up. Anything else is rejected before memory is allocated for it.
   */
  private static decodeHeader(reader: ByteReader): ScalableBloom {
    reader.expectMagic(HEADER_MAGIC);
    if (reader.u8() !== HEADER_VERSION) reader.fail();
    const flags = reader.u8();
    if (flags > 1) reader.fail();
    const nonScaling = flags === 1;
    const expansion = reader.u32();
    if (expansion < 1) reader.fail();
    const items = reader.count();
    const linkCount = reader.u32();
    if (linkCount < 1 || reader.remaining < linkCount * HEADER_LINK_BYTES) reader.fail();
    if (nonScaling && linkCount !== 1) reader.fail();

    const shapes: { capacity: number; errorRate: number; items: number }[] = [];
    let totalBytes = 0;
    let totalItems = 0;
    for (let i = 0; i < linkCount; i++) {
      const capacity = reader.count();
      const errorRate = reader.f64();
      const hashes = reader.u32();
      const byteLength = reader.count();
      const linkItems = reader.count();
      if (capacity < 1 || !isValidErrorRate(errorRate) || linkItems > capacity) reader.fail();
      const geometry = linkGeometry(capacity, errorRate);
      if (geometry.hashes !== hashes || geometry.byteLength !== byteLength || byteLength > MAX_LINK_BYTES) {
        reader.fail();
      }
      const previous = shapes[i - 1];
      if (
        previous !== undefined &&
        (capacity !== previous.capacity * expansion || errorRate !== previous.errorRate * ERROR_TIGHTENING_RATIO)
      ) {
        reader.fail();
      }
      totalBytes += byteLength;
      totalItems += linkItems;
      shapes.push({ capacity, errorRate, items: linkItems });
    }
    if (totalItems !== items || totalBytes > MAX_CHAIN_BYTES) reader.fail();

    // Built with a throwaway one-item link, then given the decoded links:
    // the public constructor derives the first link from the user's error
    // rate, which a header does not need to round-trip through.
    const bloom = new ScalableBloom(0.5, 1, expansion, nonScaling);
    bloom.links = shapes.map((shape) => {
      const link = createLink(shape.capacity, shape.errorRate);
      link.items = shape.items;
      return link;
    });
    bloom.items = items;
    return bloom;
  }
}
