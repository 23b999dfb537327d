/**
 * The per-command latency histogram behind INFO latencystats and LATENCY
 * HISTOGRAM: a port of the parts of HdrHistogram_c (deps/hdr_histogram)
 * that Redis 7.0 uses, with Redis's fixed configuration
 * hdr_init(1 ns, 1 s, 2 significant figures). The bucket layout is the
 * library's, so a percentile names the same bucket boundary Redis prints
 * (a 5000 ns call reads back as p50=5.023).
 *
 * With 2 significant figures a sub-bucket holds 256 slots, and 23 buckets
 * reach past 10^9 ns: 3072 counters, 24 KB, allocated on a command's
 * first call as Redis allocates its histogram lazily. Recording is one
 * clz32 and one array increment: every value fits in 32 bits, since
 * values are clamped to 10^9.
 */

/** LATENCY_HISTOGRAM_MIN_VALUE and LATENCY_HISTOGRAM_MAX_VALUE, in nanoseconds. */
export const LATENCY_HISTOGRAM_MIN_NS = 1;
export const LATENCY_HISTOGRAM_MAX_NS = 1_000_000_000;

/** hdr_calculate_bucket_config(1, 10^9, 2): unit_magnitude 0. */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_COUNT = 256;
const SUB_BUCKET_HALF_COUNT = 128;
const SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
const BUCKET_COUNT = 23;
const COUNTS_LEN = (BUCKET_COUNT + 1) * SUB_BUCKET_HALF_COUNT;

/** get_bucket_index: which power-of-two bucket holds `value`. */
function bucketIndex(value: number): number {
  return 32 - Math.clz32(value | SUB_BUCKET_MASK) - (SUB_BUCKET_HALF_COUNT_MAGNITUDE + 1);
}

/** counts_index_for */
function countsIndexFor(value: number): number {
  const bucket = bucketIndex(value);
  const subBucket = value >>> bucket;
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + subBucket - SUB_BUCKET_HALF_COUNT;
}

/** hdr_value_at_index */
function valueAtIndex(index: number): number {
  let bucket = (index >> SUB_BUCKET_HALF_COUNT_MAGNITUDE) - 1;
  let subBucket = (index & (SUB_BUCKET_HALF_COUNT - 1)) + SUB_BUCKET_HALF_COUNT;
  if (bucket < 0) {
    subBucket -= SUB_BUCKET_HALF_COUNT;
    bucket = 0;
  }
  return subBucket * 2 ** bucket;
}

/** lowest_equivalent_value: the first value of the slot `value` falls in. */
function lowestEquivalentValue(value: number): number {
  const bucket = bucketIndex(value);
  return (value >>> bucket) * 2 ** bucket;
}

/** size_of_equivalent_value_range: how many values share `value`'s slot. */
function equivalentRangeSize(value: number): number {
  const bucket = bucketIndex(value);
  const subBucket = value >>> bucket;
  return 2 ** (subBucket >= SUB_BUCKET_COUNT ? bucket + 1 : bucket);
}

/** highest_equivalent_value: the last value of the slot `value` falls in. */
function highestEquivalentValue(value: number): number {
  return lowestEquivalentValue(value) + equivalentRangeSize(value) - 1;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(COUNTS_LEN);
  totalCount = 0;

  /** updateCommandLatencyHistogram: one call of `ns` nanoseconds, clamped to [1 ns, 1 s]. */
  record(ns: number): void {
    const value = ns < LATENCY_HISTOGRAM_MIN_NS ? LATENCY_HISTOGRAM_MIN_NS : ns > LATENCY_HISTOGRAM_MAX_NS ? LATENCY_HISTOGRAM_MAX_NS : ns | 0;
    this.counts[countsIndexFor(value)]++;
    this.totalCount++;
  }

  /** hdr_value_at_percentile, in nanoseconds. */
  valueAtPercentile(percentile: number): number {
    const requested = percentile < 100 ? percentile : 100;
    // C's (int64_t)(x + 0.5): truncation of a non-negative double.
    let countAtPercentile = Math.trunc((requested / 100) * this.totalCount + 0.5);
    if (countAtPercentile < 1) countAtPercentile = 1;
    let value = 0;
    let cumulative = 0;
    for (let i = 0; i < COUNTS_LEN; i++) {
      cumulative += this.counts[i]!;
      if (cumulative >= countAtPercentile) {
        value = valueAtIndex(i);
        break;
      }
    }
    return percentile === 0 ? lowestEquivalentValue(value) : highestEquivalentValue(value);
  }

  /**
   * fillCommandCDF: walks the histogram with hdr_iter_log_init(1024, 2)
   * and returns, for each step where the cumulative count grew, the
   * microseconds Redis prints (the iterator's current slot's highest
   * equivalent value / 1000) and the cumulative count. Ported step by step,
   * quirks included: Redis reads the slot the iterator stopped on, not the
   * reporting level.
   */
  cumulativeDistribution(): Array<[usec: number, cumulativeCount: number]> {
    const out: Array<[number, number]> = [];
    const total = this.totalCount;
    let index = -1;
    let cumulative = 0;
    let value = 0;
    let highest = 0;
    // The reporting levels are powers of two (1024 ns, doubling), each its own slot's lowest value.
    let nextLevel = 1024;
    let previous = 0;
    const moveNext = (): boolean => {
      index++;
      if (index >= COUNTS_LEN) return false;
      cumulative += this.counts[index]!;
      value = valueAtIndex(index);
      highest = lowestEquivalentValue(value) + equivalentRangeSize(value) - 1;
      return true;
    };
    const logIterNext = (): boolean => {
      const peekGreater = index < COUNTS_LEN && valueAtIndex(index + 1) > nextLevel;
      if (!(cumulative < total || peekGreater)) return false;
      for (;;) {
        if (value >= nextLevel) {
          nextLevel *= 2;
          return true;
        }
        if (!moveNext()) return true;
      }
    };
    while (logIterNext()) {
      if (cumulative > previous) out.push([Math.floor(highest / 1000), cumulative]);
      previous = cumulative;
    }
    return out;
  }
}
