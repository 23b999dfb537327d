// RedisBloom's count-min sketch (src/cms.c, RedisBloom 2.4/2.6 as shipped
// with Redis 7): `depth` rows of `width` uint32 counters, row i indexed by a
// hash seeded with i. Increments saturate at 2^32 - 1 instead of wrapping; an
// estimate equal to CMS_CELL_MAX is what RedisBloom answers with
// "CMS: INCRBY overflow". The total count is a plain sum of increments.
//
// bloom-filters' CountMinSketch is not used: it stores counters in nested JS
// arrays of doubles (no uint32 saturation), sizes itself with different
// formulas and has no weighted merge.

import { errors } from '../../errors.js';
import { ByteReader, ByteWriter, MODULE_VALUE_ENCODING, ProbabilisticError } from './encoding.js';
import { murmur3Latin1 } from './hashing.js';
import type { RedisObject } from '../types.js';

export const CMS_TYPE = 'CMSk-TYPE';

/** Largest value a counter holds; an increment that would pass it leaves the counter here. */
export const CMS_CELL_MAX = 0xffffffff;

// Refuse sketches whose counters alone would need more than 1 GiB.
const MAX_CELLS = 2 ** 28;
// sizeof(CMSketch): width, depth, counter pointer and total count.
const SKETCH_STRUCT_BYTES = 32;

const SERIAL_MAGIC = 'RDCM';
const SERIAL_VERSION = 1;

// int64 bounds of RedisBloom's merge arithmetic, and the largest Σ|weight|
// for which every Σ cell × weight (cell < 2^32) stays exact in a double.
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const EXACT_WEIGHT_LIMIT = 2 ** 21;

export interface CountMinSketchInfo {
  readonly width: number;
  readonly depth: number;
  readonly count: number;
}

/**
 * CMS_DimFromProb: width = ceil(2 / error), depth = ceil(log10f(probability)
 * / log10f(0.5)). The depth is computed in single precision, as the C code's
 * log10f does, so boundary probabilities round the same way.
 */
export function cmsDimensionsFromProbability(error: number, probability: number): { width: number; depth: number } {
  if (!(error > 0 && error < 1)) throw new RangeError('count-min sketch error must be in (0, 1)');
  if (!(probability > 0 && probability < 1)) throw new RangeError('count-min sketch probability must be in (0, 1)');
  const numerator = Math.fround(Math.log10(Math.fround(probability)));
  const denominator = Math.fround(Math.log10(Math.fround(0.5)));
  return { width: Math.ceil(2 / error), depth: Math.ceil(Math.fround(numerator / denominator)) };
}

export class CountMinSketch implements RedisObject {
  readonly type = CMS_TYPE;
  readonly width: number;
  readonly depth: number;
  private cells: Uint32Array;
  private total = 0;

  /** OBJECT ENCODING: Redis reports every module-type value as raw. */
  encoding(): typeof MODULE_VALUE_ENCODING {
    return MODULE_VALUE_ENCODING;
  }

  private constructor(width: number, depth: number) {
    if (!Number.isSafeInteger(width) || width < 1) throw new RangeError('count-min sketch width must be a positive integer');
    if (!Number.isSafeInteger(depth) || depth < 1) throw new RangeError('count-min sketch depth must be a positive integer');
    if (width * depth > MAX_CELLS) throw new ProbabilisticError(errors.cmsInvalidInit);
    this.width = width;
    this.depth = depth;
    this.cells = new Uint32Array(width * depth);
  }

  /** CMS.INITBYDIM */
  static initByDim(width: number, depth: number): CountMinSketch {
    return new CountMinSketch(width, depth);
  }

  /**
   * CMS.INITBYPROB: error is the over-estimation as a fraction of the total,
   * probability the chance of exceeding it. Valid inputs can still derive
   * no sketch: a tiny error makes the width infinite or past any size, and a
   * probability that is 0 or 1 in single precision makes the depth infinite
   * or 0. parseCreateArgs answers those as it answers oversized dimensions.
   */
  static initByProb(error: number, probability: number): CountMinSketch {
    const { width, depth } = cmsDimensionsFromProbability(error, probability);
    if (!Number.isSafeInteger(width) || !Number.isSafeInteger(depth) || width < 1 || depth < 1) {
      throw new ProbabilisticError('CMS: invalid init arguments');
    }
    return new CountMinSketch(width, depth);
  }

  /**
   * Adds `increment` (a non-negative integer) to the item's counters; returns
   * its new estimate. The total is a double: exact up to 2^53, where
   * RedisBloom's size_t would keep counting.
   */
  incrBy(item: string, increment: number): number {
    if (!Number.isInteger(increment) || increment < 0) {
      throw new RangeError('count-min sketch increment must be a non-negative integer');
    }
    const { width, cells } = this;
    let estimate = CMS_CELL_MAX;
    for (let row = 0, base = 0; row < this.depth; row++, base += width) {
      const at = base + (murmur3Latin1(item, row) % width);
      const updated = Math.min(cells[at] + increment, CMS_CELL_MAX);
      cells[at] = updated;
      if (updated < estimate) estimate = updated;
    }
    this.total += increment;
    return estimate;
  }

  /** The item's estimate: never below its true count, unless counters saturated. */
  query(item: string): number {
    const { width, cells } = this;
    let estimate = CMS_CELL_MAX;
    for (let row = 0, base = 0; row < this.depth; row++, base += width) {
      const cell = cells[base + (murmur3Latin1(item, row) % width)];
      if (cell < estimate) estimate = cell;
    }
    return estimate;
  }

  /**
   * CMS.MERGE into this sketch: every counter becomes Σ source × weight. As
   * in CMS_Merge, all sources must match this sketch's dimensions, and the
   * merge is refused (this sketch left untouched) if any counter would leave
   * [0, 2^32) or the total count would be negative or overflow int64. This
   * sketch may also be one of the sources.
   */
  merge(sources: readonly CountMinSketch[], weights?: readonly number[]): void {
    if (sources.length === 0) throw new RangeError('count-min sketch merge needs at least one source');
    const factors = weights ?? sources.map(() => 1);
    if (factors.length !== sources.length) throw new RangeError('count-min sketch merge needs one weight per source');
    for (const weight of factors) {
      if (!Number.isInteger(weight) || Math.abs(weight) > 2 ** 63) {
        throw new RangeError('count-min sketch weights must be 64-bit integers');
      }
    }
    for (const source of sources) {
      if (source.width !== this.width || source.depth !== this.depth) {
        throw new ProbabilisticError(errors.cmsDimensionsDiffer);
      }
    }

    let total = 0n;
    for (let k = 0; k < sources.length; k++) total += BigInt(sources[k].total) * BigInt(factors[k]);
    if (total < 0n || total > INT64_MAX) throw new ProbabilisticError(errors.cmsMergeOverflow);

    const sourceCells = sources.map((source) => source.cells);
    const weightMagnitude = factors.reduce((sum, weight) => sum + Math.abs(weight), 0);
    const merged = weightMagnitude <= EXACT_WEIGHT_LIMIT
      ? mergeCellsExactly(sourceCells, factors)
      : mergeCellsWithBigInt(sourceCells, factors);
    if (merged === null) throw new ProbabilisticError(errors.cmsMergeOverflow);
    this.cells = merged;
    this.total = Number(total);
  }

  info(): CountMinSketchInfo {
    return { width: this.width, depth: this.depth, count: this.total };
  }

  memoryUsage(): number {
    return SKETCH_STRUCT_BYTES + this.cells.byteLength;
  }

  clone(): CountMinSketch {
    const copy = new CountMinSketch(this.width, this.depth);
    copy.cells.set(this.cells);
    copy.total = this.total;
    return copy;
  }

  serialize(): string {
    return new ByteWriter()
      .magic(SERIAL_MAGIC)
      .u8(SERIAL_VERSION)
      .u32(this.width)
      .u32(this.depth)
      .f64(this.total)
      .u32Array(this.cells)
      .toLatin1();
  }

  static deserialize(data: string): CountMinSketch {
    const reader = new ByteReader(data, errors.probabilisticBadData);
    reader.expectMagic(SERIAL_MAGIC);
    if (reader.u8() !== SERIAL_VERSION) reader.fail();
    const width = reader.u32();
    const depth = reader.u32();
    const total = reader.count();
    if (width < 1 || depth < 1 || width * depth > MAX_CELLS || reader.remaining !== width * depth * 4) reader.fail();
    const sketch = new CountMinSketch(width, depth);
    sketch.cells = reader.u32Array(width * depth);
    sketch.total = total;
    return sketch;
  }
}

/** Σ|weight| ≤ 2^21 keeps every product and running sum below 2^53, so doubles are exact. */
function mergeCellsExactly(sourceCells: readonly Uint32Array[], weights: readonly number[]): Uint32Array | null {
  const cellCount = sourceCells[0].length;
  const merged = new Uint32Array(cellCount);
  for (let i = 0; i < cellCount; i++) {
    let sum = 0;
    for (let k = 0; k < sourceCells.length; k++) sum += sourceCells[k][i] * weights[k];
    if (sum < 0 || sum > CMS_CELL_MAX) return null;
    merged[i] = sum;
  }
  return merged;
}

/** Huge weights: exact int64 semantics, failing where RedisBloom's overflow checks would. */
function mergeCellsWithBigInt(sourceCells: readonly Uint32Array[], weights: readonly number[]): Uint32Array | null {
  const cellCount = sourceCells[0].length;
  const bigWeights = weights.map((weight) => BigInt(weight));
  const merged = new Uint32Array(cellCount);
  for (let i = 0; i < cellCount; i++) {
    let sum = 0n;
    for (let k = 0; k < sourceCells.length; k++) {
      const product = BigInt(sourceCells[k][i]) * bigWeights[k];
      if (product > INT64_MAX || product < INT64_MIN) return null;
      sum += product;
      if (sum > INT64_MAX || sum < INT64_MIN) return null;
    }
    if (sum < 0n || sum > BigInt(CMS_CELL_MAX)) return null;
    merged[i] = Number(sum);
  }
  return merged;
}

