// RedisBloom's t-digest (the TDIGEST.* type): a port of the merging digest in
// RedisBloom/t-digest-c (src/tdigest.c at 5b89d70, the commit RedisBloom's
// deps/t-digest-c points at), so centroids, compressions and every estimate
// come out as RedisBloom computes them. Two later upstream fixes are taken:
// - t-digest-c #39: a compress over a total weight of 1 still merges the
//   single node (without it, one ADD leaves QUANTILE answering nan);
// - t-digest-c #45: the centroid sort is O(n log n) on duplicate-heavy input
//   (the original midpoint quicksort was quadratic on equal means, a stall of
//   seconds for one command). Distinct means sort to the same order; equal
//   means keep their insertion order (a stable sort), which upstream also no
//   longer promises to match the old sort for.
//
// Storage grows with use: `capacity` is the digest's logical size (6 *
// compression + 10 nodes, what INFO reports and what triggers a compress),
// but the arrays behind it are only as long as the nodes in use, so a
// digest created with a huge compression costs nothing until filled.

import { ProbabilisticError, MODULE_VALUE_ENCODING } from './encoding.js';
import type { RedisObject } from '../types.js';

export const TDIGEST_TYPE = 'TDIS-TYPE';

export const TDIGEST_DEFAULT_COMPRESSION = 100;

const INT_MAX = 2147483647;
/** LLONG_MAX as a double: the weights are C long longs. */
const LLONG_MAX = 9223372036854775807;
/** sizeof(td_histogram_t) on a 64-bit build: 3 doubles, 3 ints (+ padding), 3 long longs, 2 pointers. */
const HISTOGRAM_STRUCT_BYTES = 80;

/**
 * Why a digest can't be built or grown; the command layer turns these into
 * RedisBloom's "allocation failed" / "overflow detected" errors.
 */
export class TDigestAllocationError extends ProbabilisticError {}
export class TDigestOverflowError extends ProbabilisticError {}

/**
 * cap_from_compression, plus upstream's later guard (#41) on the narrowing
 * to the C struct's int: a capacity that fits neither is an allocation
 * failure, as RedisBloom reports for a compression it can't allocate.
 */
function capacityFor(compression: number): number {
  const capacity = 6 * Math.trunc(compression) + 10;
  if (!(capacity >= 1) || capacity > INT_MAX) throw new TDigestAllocationError('allocation failed');
  return capacity;
}

export interface TDigestInfo {
  readonly compression: number;
  readonly capacity: number;
  readonly mergedNodes: number;
  readonly unmergedNodes: number;
  readonly mergedWeight: number;
  readonly unmergedWeight: number;
  readonly totalCompressions: number;
  readonly memoryUsage: number;
}

export class TDigest implements RedisObject {
  readonly type = TDIGEST_TYPE;
  readonly compression: number;
  readonly capacity: number;
  min = Number.MAX_VALUE;
  max = -Number.MAX_VALUE;
  private mergedNodes = 0;
  private unmergedNodes = 0;
  private totalCompressions = 0;
  private mergedWeight = 0;
  private unmergedWeight = 0;
  /** Node means and weights: merged nodes first (sorted), then the unmerged buffer. */
  private means: Float64Array;
  private weights: Float64Array;

  /** td_init: throws TDigestAllocationError where RedisBloom's allocation fails. */
  constructor(compression: number) {
    this.capacity = capacityFor(compression);
    this.compression = compression;
    const initial = Math.min(this.capacity, 64);
    this.means = new Float64Array(initial);
    this.weights = new Float64Array(initial);
  }

  /** OBJECT ENCODING: Redis reports every module-type value as raw. */
  encoding(): typeof MODULE_VALUE_ENCODING {
    return MODULE_VALUE_ENCODING;
  }

  clone(): TDigest {
    const copy = new TDigest(this.compression);
    copy.restoreState(this.state());
    return copy;
  }

  /** td_reset */
  reset(): void {
    this.min = Number.MAX_VALUE;
    this.max = -Number.MAX_VALUE;
    this.mergedNodes = 0;
    this.mergedWeight = 0;
    this.unmergedNodes = 0;
    this.unmergedWeight = 0;
    this.totalCompressions = 0;
  }

  /** td_size: the total weight of every observation. */
  size(): number {
    return this.mergedWeight + this.unmergedWeight;
  }

  info(): TDigestInfo {
    return {
      compression: Math.trunc(this.compression),
      capacity: this.capacity,
      mergedNodes: this.mergedNodes,
      unmergedNodes: this.unmergedNodes,
      mergedWeight: this.mergedWeight,
      unmergedWeight: this.unmergedWeight,
      totalCompressions: this.totalCompressions,
      memoryUsage: this.memoryUsage(),
    };
  }

  /** TDigestMemUsage: the struct and both node arrays at full capacity, as RedisBloom allocates them. */
  memoryUsage(): number {
    return HISTOGRAM_STRUCT_BYTES + 16 * this.capacity;
  }

  /**
   * td_add: buffers one node, compressing first when the buffer is full.
   * Throws TDigestOverflowError where RedisBloom answers "overflow detected";
   * the digest is then unchanged.
   */
  add(mean: number, weight: number): void {
    if (this.mergedNodes + this.unmergedNodes >= this.capacity - 1) this.compress();
    const pos = this.mergedNodes + this.unmergedNodes;
    if (pos >= this.capacity) throw new TDigestOverflowError('overflow detected');
    const newUnmergedWeight = this.unmergedWeight + weight;
    if (newUnmergedWeight > LLONG_MAX) throw new TDigestOverflowError('overflow detected');
    const newTotalWeight = newUnmergedWeight + this.mergedWeight;
    if (newTotalWeight > LLONG_MAX) throw new TDigestOverflowError('overflow detected');
    checkTotalWeight(newUnmergedWeight, newTotalWeight);
    if (mean < this.min) this.min = mean;
    if (mean > this.max) this.max = mean;
    if (pos >= this.means.length) this.grow(pos + 1);
    this.means[pos] = mean;
    this.weights[pos] = weight;
    this.unmergedNodes++;
    this.unmergedWeight = newUnmergedWeight;
  }

  /**
   * td_merge: `from`'s centroids added into this digest, after compressing
   * both (as the C code does, so `from`'s INFO changes too). `from` may be
   * this digest itself: its node count is read before adding.
   */
  merge(from: TDigest): void {
    this.compress();
    from.compress();
    const count = from.mergedNodes + from.unmergedNodes;
    const means = from.means.slice(0, count);
    const weights = from.weights.slice(0, count);
    for (let i = 0; i < count; i++) this.add(means[i]!, weights[i]!);
  }

  /** td_compress: sorts the buffer into the centroids and merges neighbours the k-scale allows. */
  compress(): void {
    if (this.unmergedNodes === 0) return;
    const n = this.mergedNodes + this.unmergedNodes;
    this.sortNodes(n);
    const totalWeight = this.mergedWeight + this.unmergedWeight;
    checkTotalWeight(this.unmergedWeight, totalWeight);
    if (totalWeight <= 1) {
      // t-digest-c #39: a lone node becomes the one centroid.
      this.mergedNodes = n;
      this.mergedWeight = totalWeight;
      this.unmergedNodes = 0;
      this.unmergedWeight = 0;
      this.totalCompressions++;
      return;
    }
    const denom = 2 * Math.PI * totalWeight * Math.log(totalWeight);
    if (denom === Infinity) throw new TDigestOverflowError('overflow detected');
    const normalizer = this.compression / denom;
    if (normalizer === Infinity) throw new TDigestOverflowError('overflow detected');
    const { means, weights } = this;
    let cur = 0;
    let weightSoFar = 0;
    for (let i = 1; i < n; i++) {
      const proposedWeight = weights[cur]! + weights[i]!;
      const z = proposedWeight * normalizer;
      const q0 = weightSoFar / totalWeight;
      const q2 = (weightSoFar + proposedWeight) / totalWeight;
      if (z <= q0 * (1 - q0) && z <= q2 * (1 - q2)) {
        weights[cur] += weights[i]!;
        const delta = means[i]! - means[cur]!;
        means[cur] += (delta * weights[i]!) / weights[cur]!;
      } else {
        weightSoFar += weights[cur]!;
        cur++;
        weights[cur] = weights[i]!;
        means[cur] = means[i]!;
      }
      if (cur !== i) {
        weights[i] = 0;
        means[i] = 0;
      }
    }
    this.mergedNodes = cur + 1;
    this.mergedWeight = totalWeight;
    this.unmergedNodes = 0;
    this.unmergedWeight = 0;
    this.totalCompressions++;
  }

  /** td_cdf: the estimated fraction of observations <= value; NaN when empty. */
  cdf(value: number): number {
    this.compress();
    const n = this.mergedNodes;
    if (n === 0) return NaN;
    if (value < this.min) return 0;
    if (value > this.max) return 1;
    const { means, weights, min, max } = this;
    if (n === 1) {
      const width = max - min;
      // min and max too close together to interpolate
      if (value - min <= width) return 0.5;
      return (value - min) / width;
    }
    const total = this.mergedWeight;
    const leftMean = means[0]!;
    const leftWeight = weights[0]!;
    if (value < leftMean) {
      const width = leftMean - min;
      if (width > 0) {
        if (value === min) return 0.5 / total;
        return (1 + ((value - min) / width) * (leftWeight / 2 - 1)) / total;
      }
      return 0;
    }
    const rightMean = means[n - 1]!;
    const rightWeight = weights[n - 1]!;
    if (value > rightMean) {
      const width = max - rightMean;
      if (width > 0) {
        if (value === max) return 1 - 0.5 / total;
        return 1 - (1 + ((max - value) / width) * (rightWeight / 2 - 1)) / total;
      }
      return 1;
    }
    // At least two centroids and means[0] <= value <= means[n-1].
    let weightSoFar = 0;
    for (let it = 0; it < n - 1; it++) {
      if (means[it] === value) {
        // one or more centroids exactly at value count as one
        let dw = 0;
        while (it < n && means[it] === value) {
          dw += weights[it]!;
          it++;
        }
        return (weightSoFar + dw / 2) / total;
      }
      if (means[it]! <= value && value < means[it + 1]!) {
        const nodeWeight = weights[it]!;
        const nextWeight = weights[it + 1]!;
        const nodeMean = means[it]!;
        const nextMean = means[it + 1]!;
        if (nextMean - nodeMean > 0) {
          // A singleton's whole weight sits at its mean: it takes no part in the interpolation.
          let leftExcluded = 0;
          let rightExcluded = 0;
          if (nodeWeight === 1) {
            if (nextWeight === 1) return (weightSoFar + 1) / total;
            leftExcluded = 0.5;
          } else if (nextWeight === 1) {
            rightExcluded = 0.5;
          }
          const dw = (nodeWeight + nextWeight) / 2;
          const dwNoSingleton = dw - leftExcluded - rightExcluded;
          const base = weightSoFar + nodeWeight / 2 + leftExcluded;
          return (base + (dwNoSingleton * (value - nodeMean)) / (nextMean - nodeMean)) / total;
        }
        // means too near to interpolate safely
        return (weightSoFar + (nodeWeight + nextWeight) / 2) / total;
      }
      weightSoFar += weights[it]!;
    }
    return 1 - 0.5 / total;
  }

  /** td_quantile: the estimated value at quantile q (NaN outside [0, 1] or when empty). */
  quantile(q: number): number {
    this.compress();
    if (q < 0 || q > 1 || this.mergedNodes === 0) return NaN;
    if (this.mergedNodes === 1) return this.means[0]!;
    const index = q * this.mergedWeight;
    if (index < 1) return this.min;
    const cursor = { weightSoFar: this.weights[0]! / 2, node: 0 };
    return this.valueAtIndex(index, cursor);
  }

  /**
   * td_quantiles: several quantiles in one walk. The walk only moves
   * forward, so the caller passes ascending runs, as RedisBloom does.
   */
  quantilesAscending(quantiles: readonly number[]): number[] {
    this.compress();
    const n = this.mergedNodes;
    if (n === 0) return quantiles.map(() => NaN);
    if (n === 1) return quantiles.map((q) => (q < 0 || q > 1 ? NaN : this.means[0]!));
    const cursor = { weightSoFar: this.weights[0]! / 2, node: 0 };
    return quantiles.map((q) => this.valueAtIndex(q * this.mergedWeight, cursor));
  }

  /** td_internal_iterate_centroids_to_index */
  private valueAtIndex(index: number, cursor: { weightSoFar: number; node: number }): number {
    const { means, weights, min, max } = this;
    const n = this.mergedNodes;
    const total = this.mergedWeight;
    const leftWeight = weights[0]!;
    if (leftWeight > 1 && index < leftWeight / 2) {
      // one sample sits at min: interpolate with less weight
      return min + ((index - 1) / (leftWeight / 2 - 1)) * (means[0]! - min);
    }
    if (index > total - 1) return max;
    const rightWeight = weights[n - 1]!;
    const rightMean = means[n - 1]!;
    if (rightWeight > 1 && total - index <= rightWeight / 2) {
      return max - ((total - index - 1) / (rightWeight / 2 - 1)) * (max - rightMean);
    }
    for (; cursor.node < n - 1; cursor.node++) {
      const i = cursor.node;
      const nodeWeight = weights[i]!;
      const nextWeight = weights[i + 1]!;
      const dw = (nodeWeight + nextWeight) / 2;
      if (cursor.weightSoFar + dw > index) {
        // centroids i and i+1 bracket the index
        let leftUnit = 0;
        if (nodeWeight === 1) {
          if (index - cursor.weightSoFar < 0.5) return means[i]!;
          leftUnit = 0.5;
        }
        let rightUnit = 0;
        if (nextWeight === 1) {
          if (cursor.weightSoFar + dw - index <= 0.5) return means[i + 1]!;
          rightUnit = 0.5;
        }
        const z1 = index - cursor.weightSoFar - leftUnit;
        const z2 = cursor.weightSoFar + dw - index - rightUnit;
        return weightedAverage(means[i]!, z2, means[i + 1]!, z1);
      }
      cursor.weightSoFar += dw;
    }
    const z1 = index - total - rightWeight / 2;
    const z2 = rightWeight / 2 - z1;
    return weightedAverage(rightMean, z1, max, z2);
  }

  /** td_trimmed_mean: the mean of the observations between two quantiles; NaN when empty. */
  trimmedMean(lowCut: number, highCut: number): number {
    this.compress();
    if (this.mergedNodes === 0 || lowCut < 0 || lowCut > 1 || highCut < 0 || highCut > 1) return NaN;
    if (this.mergedNodes === 1) return this.means[0]!;
    const leftmostWeight = Math.floor(this.mergedWeight * lowCut);
    const rightmostWeight = Math.ceil(this.mergedWeight * highCut);
    let countDone = 0;
    let trimmedSum = 0;
    let trimmedCount = 0;
    for (let i = 0; i < this.mergedNodes; i++) {
      const nodeWeight = this.weights[i]!;
      let countAdd = nodeWeight;
      countAdd -= Math.min(Math.max(0, leftmostWeight - countDone), countAdd);
      countAdd = Math.min(Math.max(0, rightmostWeight - countDone), countAdd);
      countDone += nodeWeight;
      trimmedSum += this.means[i]! * countAdd;
      trimmedCount += countAdd;
      if (countDone >= rightmostWeight) break;
    }
    return trimmedSum / trimmedCount;
  }

  /** What TDigestRdbSave writes, after a compress (no unmerged node is saved). */
  state(): TDigestState {
    this.compress();
    return {
      compression: this.compression,
      min: this.min,
      max: this.max,
      capacity: this.capacity,
      mergedNodes: this.mergedNodes,
      totalCompressions: this.totalCompressions,
      mergedWeight: this.mergedWeight,
      means: Array.from(this.means.subarray(0, this.mergedNodes)),
      weights: Array.from(this.weights.subarray(0, this.mergedNodes)),
    };
  }

  /** TDigestRdbLoad's checks: false (and no change) for a state no digest could have. */
  restoreState(state: TDigestState): boolean {
    const n = state.mergedNodes;
    if (!Number.isInteger(n) || n < 0 || n > this.capacity || state.means.length !== n || state.weights.length !== n) {
      return false;
    }
    this.min = state.min;
    this.max = state.max;
    this.totalCompressions = state.totalCompressions;
    this.mergedWeight = state.mergedWeight;
    this.unmergedNodes = 0;
    this.unmergedWeight = 0;
    if (n > this.means.length) this.grow(n);
    this.means.set(state.means);
    this.weights.set(state.weights);
    this.mergedNodes = n;
    return true;
  }

  private grow(needed: number): void {
    let length = Math.max(this.means.length * 2, 64);
    while (length < needed) length *= 2;
    length = Math.min(length, this.capacity);
    const means = new Float64Array(length);
    const weights = new Float64Array(length);
    means.set(this.means);
    weights.set(this.weights);
    this.means = means;
    this.weights = weights;
  }

  /** Sorts the first n nodes by mean, stably (see the header on t-digest-c #45). */
  private sortNodes(n: number): void {
    const { means, weights } = this;
    let sorted = true;
    for (let i = 1; i < n; i++) {
      if (means[i - 1]! > means[i]!) {
        sorted = false;
        break;
      }
    }
    if (sorted) return;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => means[a]! - means[b]!);
    const sortedMeans = new Float64Array(n);
    const sortedWeights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sortedMeans[i] = means[order[i]!]!;
      sortedWeights[i] = weights[order[i]!]!;
    }
    means.set(sortedMeans);
    weights.set(sortedWeights);
  }
}

/** The fields of a saved digest (RedisBloom's TDIS-TYPE RDB value, encoding version 1). */
export interface TDigestState {
  readonly compression: number;
  readonly min: number;
  readonly max: number;
  readonly capacity: number;
  readonly mergedNodes: number;
  readonly totalCompressions: number;
  readonly mergedWeight: number;
  readonly means: readonly number[];
  readonly weights: readonly number[];
}

/** _check_td_overflow: the weights, and the normalizer's denominator, stay finite. */
function checkTotalWeight(unmergedWeight: number, totalWeight: number): void {
  if (unmergedWeight === Infinity || totalWeight === Infinity) throw new TDigestOverflowError('overflow detected');
  if (2 * Math.PI * totalWeight * Math.log(totalWeight) === Infinity) throw new TDigestOverflowError('overflow detected');
}

function weightedAverage(x1: number, w1: number, x2: number, w2: number): number {
  if (x1 <= x2) return weightedAverageSorted(x1, w1, x2, w2);
  return weightedAverageSorted(x2, w2, x1, w1);
}

function weightedAverageSorted(x1: number, w1: number, x2: number, w2: number): number {
  const x = (x1 * w1 + x2 * w2) / (w1 + w2);
  return Math.max(x1, Math.min(x, x2));
}
