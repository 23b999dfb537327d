/**
 * Seeded randomness for tests that must be replayable.
 *
 * Every random test takes its randomness from an `Rng` built from a 32-bit
 * seed, so a failing run can be reproduced exactly by reusing the seed.
 * `testSeeds()` gives each test a fixed seed (the same every run, so CI is
 * stable) and a fresh one (so each run explores new sequences); the fresh one
 * is printed and can be forced with the DIFF_SEED environment variable.
 */

/** The seed every seeded test always runs with. */
export const FIXED_SEED = 0x5eed_2024;

/**
 * A small, fast PRNG (sfc32: 128-bit state, passes PractRand to 2^40 bytes).
 * The 32-bit seed is expanded into the state with splitmix32 so that nearby
 * seeds give unrelated sequences.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    let s = seed >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    // Discard early output, which correlates with the seed in sfc32.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    let t = (this.a + this.b) >>> 0;
    this.a = (this.b ^ (this.b >>> 9)) >>> 0;
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.d = (this.d + 1) >>> 0;
    t = (t + this.d) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(${min}, ${max}): need integers with min <= max`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty array');
    return items[this.int(0, items.length - 1)]!;
  }

  /**
   * An element chosen with probability proportional to its weight, e.g.
   * `rng.weighted([['GET', 10], ['SET', 5]])`.
   */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (!(total > 0)) throw new RangeError('weighted needs a positive total weight');
    let point = this.next() * total;
    for (const [item, weight] of entries) {
      point -= weight;
      if (point < 0) return item;
    }
    return entries[entries.length - 1]![0];
  }

  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }

  /** A random subset of `items`, each kept with probability `p`, in random order. */
  subset<T>(items: readonly T[], p = 0.5): T[] {
    return this.shuffle(items.filter(() => this.chance(p)));
  }

  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz'): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }

  /** A latin1 string of `length` arbitrary bytes (0x00-0xff). */
  binaryString(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCharCode(this.int(0, 255));
    return out;
  }
}

/**
 * mulberry32, a tiny 32-bit PRNG: a function returning floats in [0, 1).
 * The older seeded tests (bitops, hyperloglog, numbers) draw from it, so
 * their seeds keep naming the same inputs; new tests use `Rng`.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parses a seed given as decimal or 0x-prefixed hex; null if absent or invalid. */
export function parseSeed(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`invalid seed ${JSON.stringify(text)}: expected an integer in [0, 2^32)`);
  }
  return value;
}

/**
 * The seeds a random test should run with: `[FIXED_SEED, randomSeed]`.
 *
 * The random seed is DIFF_SEED if set (to replay a failure), otherwise
 * derived from the clock. It is printed so that a failing run in CI can be
 * replayed with `DIFF_SEED=<seed> npx vitest run <file>`.
 */
export function testSeeds(label = 'random test'): [number, number] {
  const forced = parseSeed(process.env['DIFF_SEED']);
  const randomSeed = forced ?? Date.now() % 0x1_0000_0000;
  const how = forced === null ? 'from the clock' : 'from DIFF_SEED';
  console.log(`[${label}] fixed seed ${FIXED_SEED}, random seed ${randomSeed} (${how}); replay with DIFF_SEED=${randomSeed}`);
  return [FIXED_SEED, randomSeed];
}
