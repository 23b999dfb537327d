/**
 * Uniform random samples of a collection's members, shared by RedisHash
 * (HRANDFIELD) and RedisSet (SRANDMEMBER, SPOP).
 */

/**
 * A copy of `items` whose first `prefix` entries are a uniformly chosen
 * subset in random order (a partial Fisher-Yates shuffle).
 */
export function partialShuffle(items: readonly string[], prefix: number, random: () => number): string[] {
  const copy = items.slice();
  const size = copy.length;
  for (let i = 0; i < prefix; i++) {
    const j = i + Math.floor(random() * (size - i));
    const swap = copy[i]!;
    copy[i] = copy[j]!;
    copy[j] = swap;
  }
  return copy;
}

/**
 * `count` distinct items, count < items.length, uniformly chosen. When they
 * are most of the collection, a partial shuffle; otherwise rejection
 * sampling, which touches only about `count` items. Redis splits the work
 * the same way (SRANDMEMBER's and HRANDFIELD's CASE 3 and CASE 4).
 */
export function distinctSample(items: readonly string[], count: number, random: () => number): string[] {
  const size = items.length;
  if (count * 3 > size) {
    const shuffled = partialShuffle(items, count, random);
    shuffled.length = count;
    return shuffled;
  }
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(items[Math.floor(random() * size)]!);
  return [...chosen];
}
