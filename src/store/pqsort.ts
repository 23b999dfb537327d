/**
 * Redis's pqsort.c: Bentley & McIlroy's quicksort (NetBSD's qsort) that
 * only recurses into the parts overlapping the wanted index range, so that
 * the elements from `left` to `right` end up where a full sort would put
 * them. GEORADIUS ... COUNT sorts with it; it is not stable, so elements
 * that compare equal come out in its particular order, which a Redis client
 * sees and which this port keeps: same pivots, same swaps.
 */

type Compare<T> = (a: T, b: T) => number;

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** vecswap: swaps the n elements from i with the n elements from j. */
function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: Compare<T>): number {
  return cmp(a[i]!, a[j]!) < 0
    ? cmp(a[j]!, a[k]!) < 0
      ? j
      : cmp(a[i]!, a[k]!) < 0
        ? k
        : i
    : cmp(a[j]!, a[k]!) > 0
      ? j
      : cmp(a[i]!, a[k]!) < 0
        ? i
        : k;
}

/**
 * _pqsort on a[start .. start+n-1]; `lrange` and `rrange` are the wanted
 * indexes. A part is skipped when the wanted range lies wholly on one side.
 */
function pqsortRange<T>(a: T[], start: number, n: number, cmp: Compare<T>, lrange: number, rrange: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = start + 1; pm < start + n; pm++) {
        for (let pl = pm; pl > start && cmp(a[pl - 1]!, a[pl]!) > 0; pl--) swap(a, pl, pl - 1);
      }
      return;
    }
    let pm = start + (n >> 1);
    if (n > 7) {
      let pl = start;
      let pn = start + n - 1;
      if (n > 40) {
        const d = n >> 3;
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, start, pm);
    let pa = start + 1;
    let pb = pa;
    let pc = start + n - 1;
    let pd = pc;
    for (;;) {
      let result: number;
      while (pb <= pc && (result = cmp(a[pb]!, a[start]!)) <= 0) {
        if (result === 0) {
          swap(a, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (result = cmp(a[pc]!, a[start]!)) >= 0) {
        if (result === 0) {
          swap(a, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb, pc);
      pb++;
      pc--;
    }

    const pn = start + n;
    let r = Math.min(pa - start, pb - pa);
    vecswap(a, start, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    vecswap(a, pb, pn - r, r);
    if ((r = pb - pa) > 1) {
      const last = start + r - 1;
      if (!((lrange < start && rrange < start) || (lrange > last && rrange > last))) {
        pqsortRange(a, start, r, cmp, lrange, rrange);
      }
    }
    if ((r = pd - pc) > 1) {
      // Iterate rather than recurse.
      start = pn - r;
      n = r;
      const last = start + r - 1;
      if (!((lrange < start && rrange < start) || (lrange > last && rrange > last))) continue;
    }
    return;
  }
}

/** pqsort(a, n, cmp, left, right): a[left..right] in sorted position, the rest partitioned around them. */
export function pqsort<T>(a: T[], cmp: Compare<T>, left: number, right: number): void {
  pqsortRange(a, 0, a.length, cmp, left, right);
}
