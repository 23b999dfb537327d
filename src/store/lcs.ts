/**
 * The longest common subsequence of two strings, as Redis 7's LCS command
 * computes it (t_string.c lcsCommand): the vanilla dynamic-programming table,
 * then one walk back from its corner that yields both the subsequence and
 * the matching ranges. The walk's tie-breaking decides which of several
 * equally long subsequences is returned, and in which order the ranges come
 * (last first), so it is copied step for step rather than reinvented.
 */

/** One contiguous run of the subsequence: inclusive byte ranges in each string. */
export interface LcsMatch {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
  length: number;
}

export interface LcsResult {
  /** The length of the longest common subsequence. */
  length: number;
  /** The subsequence itself (latin1), when asked for. */
  text: string;
  /** The runs at least `minMatchLen` long, from the end of the strings backwards, when asked for. */
  matches: LcsMatch[];
}

export interface LcsOptions {
  /** Walk the table back to build `text` and `matches` (Redis skips it for LEN alone). */
  walk: boolean;
  /** Runs shorter than this are left out of `matches`; 0 keeps all. */
  minMatchLen: number;
}

/** Bytes of transient table LCS needs for strings of these lengths (Redis caps it at proto-max-bulk-len). */
export function lcsTableBytes(alen: number, blen: number): number {
  return (alen + 1) * (blen + 1) * 4;
}

/**
 * Computes the LCS of `a` and `b`. Throws a RangeError when the table
 * cannot be allocated, which the command reports as Redis does a failed
 * ztrymalloc.
 */
export function longestCommonSubsequence(a: string, b: string, options: LcsOptions): LcsResult {
  const alen = a.length;
  const blen = b.length;
  const width = blen + 1;
  // lcs[j + i * width] = LCS length of a[0..i-1] and b[0..j-1]; row 0 and
  // column 0 stay zero.
  const lcs = new Uint32Array((alen + 1) * width);
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= blen; j++) {
      if (ai === b.charCodeAt(j - 1)) {
        lcs[row + j] = lcs[prev + j - 1]! + 1;
      } else {
        const up = lcs[prev + j]!;
        const left = lcs[row + j - 1]!;
        lcs[row + j] = up > left ? up : left;
      }
    }
  }

  const length = lcs[alen * width + blen]!;
  const matches: LcsMatch[] = [];
  if (!options.walk) return { length, text: '', matches };

  const result = Buffer.allocUnsafe(length);
  let idx = length;
  // aStart === alen means "no range open", as in Redis.
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emitRange = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      result[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = i - 1;
        aEnd = i - 1;
        bStart = j - 1;
        bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        // Contiguous with the open range: extend it backwards.
        aStart--;
        bStart--;
      } else {
        // Redis closes the open range here and drops this match from the
        // ranges (only the subsequence keeps it); kept for identical output.
        emitRange = true;
      }
      // A range touching the start of either string cannot grow any more.
      if (aStart === 0 || bStart === 0) emitRange = true;
      idx--;
      i--;
      j--;
    } else {
      const up = lcs[(i - 1) * width + j]!;
      const left = lcs[i * width + j - 1]!;
      if (up > left) i--;
      else j--;
      if (aStart !== alen) emitRange = true;
    }

    if (emitRange) {
      const matchLength = aEnd - aStart + 1;
      if (options.minMatchLen === 0 || matchLength >= options.minMatchLen) {
        matches.push({ aStart, aEnd, bStart, bEnd, length: matchLength });
      }
      aStart = alen;
    }
  }
  return { length, text: result.latin1Slice(0, length), matches };
}
