/**
 * SORT and SORT_RO (Redis's sort.c): the elements of a list, set or sorted
 * set, sorted as numbers or (ALPHA) as strings, optionally by the values of
 * other keys (BY pattern), cut to a LIMIT, replaced by other keys' values
 * (GET pattern) and stored as a list (STORE, SORT only).
 *
 * sortCommandGeneric is followed step by step, because its corners show in
 * replies: a BY pattern without `*` means "don't sort" for good, even if a
 * later BY has one; a set is never returned unsorted into a STORE; LIMIT is
 * clamped before use; and Redis compares strings two ways, with strcoll()
 * (which stops at a NUL byte) when replying and byte by byte when storing.
 */
import { errors } from '../errors.js';
import type { Database } from '../store/database.js';
import { QuickList } from '../store/list.js';
import type { RedisHash } from '../store/hash.js';
import type { RedisSet } from '../store/set.js';
import type { SortedSet } from '../store/zset.js';
import { strtod } from '../text/numbers.js';
import { readInteger, lowercaseCString } from './parse.js';

import type { Client, CommandSpec } from './types.js';

/** One element of the sorting vector (redisSortObject). */
interface SortItem {
  element: string;
  /** The numeric weight; 0 when a BY key is missing. */
  score: number;
  /** ALPHA with BY: the BY key's value, null when missing (sorts first). */
  by: string | null;
}

/** A C string's view of an argument: up to its first NUL byte. */
function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

/**
 * lookupKeyByPattern: the value a GET or BY pattern names for `element`.
 * `#` is the element itself. Otherwise the first `*` is replaced by the
 * element, and `->field` after it reads a hash field instead of a string.
 * Keys of another type, missing keys and patterns without `*` give null.
 * The `#`, `*` and `->` tests stop at a NUL byte, as Redis's strchr and
 * strstr do, but the key and field keep every byte of the pattern.
 */
function lookupByPattern(db: Database, pattern: string, element: string): string | null {
  const c = cString(pattern);
  if (c === '#') return element;
  const star = c.indexOf('*');
  if (star === -1) return null;
  const arrow = c.indexOf('->', star + 1);
  const field = arrow !== -1 && arrow + 2 < c.length ? pattern.slice(arrow + 2) : null;
  const postfixEnd = field === null ? pattern.length : arrow;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, postfixEnd);
  const value = db.lookupRead(key);
  if (value === undefined) return null;
  if (field === null) return typeof value === 'string' ? value : null;
  if (typeof value === 'string' || value.type !== 'hash') return null;
  return (value as RedisHash).get(field) ?? null;
}

/**
 * A weight as sortCommandGeneric reads it: strtod over the C string, which
 * must be wholly consumed, and neither NaN nor out of range. glibc's strtod
 * reports ERANGE for a decimal that underflows into the subnormals too
 * ("1e-310" fails here while "2.5e-308" sorts); a hexadecimal subnormal is
 * taken as exact, which it is unless it has more bits than fit.
 */
function sortWeight(text: string): number | null {
  const c = cString(text);
  const { value, end, erange } = strtod(c);
  if (end !== c.length || erange || Number.isNaN(value)) return null;
  if (value !== 0 && Math.abs(value) < 2.2250738585072014e-308 && !/^\s*[+-]?0[xX]/.test(c)) return null;
  return value;
}

/** memcmp, then length: compareStringObjects in binary mode. JS compares latin1 strings the same way. */
function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** strcoll in the C / C.UTF-8 collation Redis runs with: strcmp, which stops at a NUL byte. */
function compareCollated(a: string, b: string): number {
  return compareBinary(cString(a), cString(b));
}

/** sortCompare for one SORT call's options. */
function sortComparator(alpha: boolean, byPattern: boolean, store: boolean, desc: boolean): (a: SortItem, b: SortItem) => number {
  const compareStrings = store ? compareBinary : compareCollated;
  let compare: (a: SortItem, b: SortItem) => number;
  if (!alpha) {
    // Equal weights fall back to the elements, so the order is total.
    compare = (a, b) => (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBinary(a.element, b.element));
  } else if (byPattern) {
    compare = (a, b) => {
      if (a.by === null || b.by === null) return a.by === b.by ? 0 : a.by === null ? -1 : 1;
      return compareStrings(a.by, b.by);
    };
  } else {
    compare = (a, b) => compareStrings(a.element, b.element);
  }
  return desc ? (a, b) => -compare(a, b) : compare;
}

/* ============================ pqsort (pqsort.c) =========================== */

type Compare<T> = (a: T, b: T) => number;

function swap<T>(v: T[], i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

function insertionSort<T>(v: T[], a: number, n: number, cmp: Compare<T>): void {
  for (let m = a + 1; m < a + n; m++) {
    for (let l = m; l > a && cmp(v[l - 1]!, v[l]!) > 0; l--) swap(v, l, l - 1);
  }
}

function med3<T>(v: T[], a: number, b: number, c: number, cmp: Compare<T>): number {
  return cmp(v[a]!, v[b]!) < 0
    ? cmp(v[b]!, v[c]!) < 0 ? b : cmp(v[a]!, v[c]!) < 0 ? c : a
    : cmp(v[b]!, v[c]!) > 0 ? b : cmp(v[a]!, v[c]!) < 0 ? a : c;
}

/**
 * Redis's pqsort: the NetBSD (Bentley-McIlroy) quicksort over v[a, a+n),
 * skipping the partitions that hold no index of [lrange, rrange]. Ported
 * step for step with indexes for pointers, since which of several equal
 * elements comes first is decided by its exact sequence of swaps.
 */
function pqsortRange<T>(v: T[], a: number, n: number, cmp: Compare<T>, lrange: number, rrange: number): void {
  const outside = (from: number, count: number): boolean =>
    (lrange < from && rrange < from) || (lrange >= from + count && rrange >= from + count);
  for (;;) {
    if (n < 7) {
      insertionSort(v, a, n, cmp);
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(v, pm - d, pm, pm + d, cmp);
        pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(v, pl, pm, pn, cmp);
    }
    swap(v, a, pm);
    let pa = a + 1;
    let pb = pa;
    let pc = a + n - 1;
    let pd = pc;
    let swapped = false;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(v[pb]!, v[a]!)) <= 0) {
        if (r === 0) {
          swapped = true;
          swap(v, pa++, pb);
        }
        pb++;
      }
      while (pb <= pc && (r = cmp(v[pc]!, v[a]!)) >= 0) {
        if (r === 0) {
          swapped = true;
          swap(v, pc, pd--);
        }
        pc--;
      }
      if (pb > pc) break;
      swap(v, pb++, pc--);
      swapped = true;
    }
    if (!swapped) {
      insertionSort(v, a, n, cmp);
      return;
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    for (let k = 0; k < r; k++) swap(v, a + k, pb - r + k);
    r = Math.min(pd - pc, pn - pd - 1);
    for (let k = 0; k < r; k++) swap(v, pb + k, pn - r + k);
    r = pb - pa;
    if (r > 1 && !outside(a, r)) pqsortRange(v, a, r, cmp, lrange, rrange);
    r = pd - pc;
    if (r <= 1) return;
    a = pn - r;
    n = r;
    if (outside(a, n)) return;
  }
}

function pqsort<T>(v: T[], cmp: Compare<T>, lrange: number, rrange: number): void {
  pqsortRange(v, 0, v.length, cmp, lrange, rrange);
}

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  sortby: string | null;
  /** A BY pattern without `*` was given: keep the native order. */
  dontsort: boolean;
  storekey: string | null;
  gets: string[];
}

/** The options from argv[2] on, or null after replying an error. */
function parseSortOptions(c: Client, argv: string[], readonly: boolean): SortOptions | null {
  const o: SortOptions = {
    desc: false,
    alpha: false,
    limitStart: 0,
    limitCount: -1,
    sortby: null,
    dontsort: false,
    storekey: null,
    gets: [],
  };
  for (let j = 2; j < argv.length; j++) {
    const left = argv.length - j - 1;
    const option = lowercaseCString(argv[j]!);
    if (option === 'asc') {
      o.desc = false;
    } else if (option === 'desc') {
      o.desc = true;
    } else if (option === 'alpha') {
      o.alpha = true;
    } else if (option === 'limit' && left >= 2) {
      const start = readInteger(c, argv[j + 1]!);
      if (start === null) return null;
      const count = readInteger(c, argv[j + 2]!);
      if (count === null) return null;
      o.limitStart = start;
      o.limitCount = count;
      j += 2;
    } else if (!readonly && option === 'store' && left >= 1) {
      o.storekey = argv[++j]!;
    } else if (option === 'by' && left >= 1) {
      o.sortby = argv[++j]!;
      if (!cString(o.sortby).includes('*')) o.dontsort = true;
    } else if (option === 'get' && left >= 1) {
      o.gets.push(argv[++j]!);
    } else {
      c.reply.error(errors.syntax);
      return null;
    }
  }
  return o;
}

type Sortable = QuickList | RedisSet | SortedSet;

/**
 * The elements to sort, and the [start, end] range of them to output.
 * With nothing to sort, a list or sorted set gives only the LIMIT range,
 * already in DESC order, and the range becomes the whole vector.
 */
function loadElements(value: Sortable, o: SortOptions): { elements: string[]; start: number; end: number } {
  const size = value.type === 'list' ? value.length : value.size;
  let start = Math.min(Math.max(o.limitStart, 0), size);
  const count = Math.min(Math.max(o.limitCount, -1), size);
  let end = count < 0 ? size - 1 : start + count - 1;
  if (start >= size) {
    start = size - 1;
    end = size - 2;
  }
  if (end >= size) end = size - 1;

  if (o.dontsort && value.type !== 'set') {
    const n = Math.max(end - start + 1, 0);
    const elements: string[] = [];
    if (value.type === 'list') {
      const first = o.desc ? size - start - n : start;
      const slice = n === 0 ? [] : value.range(first, first + n - 1);
      elements.push(...(o.desc ? slice.reverse() : slice));
    } else if (n > 0) {
      // With DESC, rank 0 is the highest score.
      value.forEachByRank(start, start + n - 1, o.desc, (member) => {
        elements.push(member);
      });
    }
    return { elements, start: 0, end: n - 1 };
  }
  // Redis's own iteration order, which decides among equal ALPHA BY weights:
  // ascending for an intset set, arbitrary for a hashtable one or a zset's dict.
  const elements = value.type === 'zset' ? [...value.members()] : value.type === 'set' ? value.elements().slice() : value.toArray();
  return { elements, start, end };
}

/**
 * lookupKeyRead + checkType for SORT: a list, set or sorted set, or an
 * empty list for a missing key (which sorts to nothing). Any other type
 * replies WRONGTYPE and gives null.
 */
function lookupSortableOrReply(c: Client, key: string): Sortable | null {
  const value = c.db.lookupRead(key);
  if (value === undefined) return new QuickList();
  if (typeof value !== 'string' && (value.type === 'list' || value.type === 'set' || value.type === 'zset')) return value as Sortable;
  c.reply.error(errors.wrongType);
  return null;
}

/** sortCommandGeneric: SORT, or SORT_RO when `readonly` (no STORE). */
function sortGeneric(c: Client, argv: string[], readonly: boolean): void {
  const o = parseSortOptions(c, argv, readonly);
  if (o === null) return;
  const db = c.db;
  const value = lookupSortableOrReply(c, argv[1]!);
  if (value === null) return;

  // A set has no order of its own: what goes into a STORE must not depend
  // on how the set happens to be laid out, so it is sorted ALPHA instead.
  if (o.dontsort && value.type === 'set' && o.storekey !== null) {
    o.dontsort = false;
    o.alpha = true;
    o.sortby = null;
  }

  const { elements, start, end } = loadElements(value, o);
  const items: SortItem[] = elements.map((element) => ({ element, score: 0, by: null }));
  if (!o.dontsort) {
    let notDouble = false;
    for (const item of items) {
      const by = o.sortby === null ? item.element : lookupByPattern(db, o.sortby, item.element);
      if (by === null) continue;
      if (o.alpha) {
        if (o.sortby !== null) item.by = by;
      } else {
        const weight = sortWeight(by);
        if (weight === null) notDouble = true;
        else item.score = weight;
      }
    }
    // Redis checks after weighing everything; nothing is sorted or stored.
    if (notDouble) {
      c.reply.error(errors.sortNotDouble);
      return;
    }
    // Equal ALPHA BY weights (missing ones above all) keep an order that
    // depends on the sort used: glibc's qsort is a stable merge sort, as
    // Array.prototype.sort is; with BY and a LIMIT Redis uses its own
    // partial quicksort, which is not stable, so it is reproduced exactly.
    const compare = sortComparator(o.alpha, o.sortby !== null, o.storekey !== null, o.desc);
    if (o.sortby !== null && (start !== 0 || end !== items.length - 1)) pqsort(items, compare, start, end);
    else items.sort(compare);
  }

  // GET patterns that find nothing are null replies, or empty strings in a STORE.
  const outputs: (string | null)[] = [];
  for (let j = start; j <= end; j++) {
    const element = items[j]!.element;
    if (o.gets.length === 0) outputs.push(element);
    for (const pattern of o.gets) outputs.push(lookupByPattern(db, pattern, element));
  }

  if (o.storekey === null) {
    c.reply.bulkOrNullArray(outputs);
    return;
  }
  if (outputs.length > 0) {
    const list = new QuickList();
    list.pushTail(outputs.map((out) => out ?? ''));
    db.store(o.storekey, list);
    c.server.events.keyModified(db, o.storekey, 'sortstore', outputs.length);
  } else if (db.delete(o.storekey)) {
    c.server.events.keyModified(db, o.storekey, 'del');
  }
  c.reply.integer(outputs.length);
}

/** Options that take arguments, which sortGetKeys skips when looking for STORE. */
const SKIPPED_ARGS: ReadonlyMap<string, number> = new Map([
  ['limit', 2],
  ['get', 1],
  ['by', 1],
]);

/**
 * sortGetKeys: the sorted key and, when given, the last STORE's key. It
 * scans on its own terms, not SORT's: an option it doesn't know is taken
 * to have no arguments.
 */
function sortKeys(argv: readonly string[]): number[] {
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const option = lowercaseCString(argv[i]!);
    const skip = SKIPPED_ARGS.get(option);
    if (skip !== undefined) i += skip;
    else if (option === 'store' && i + 1 < argv.length) store = i + 1;
  }
  return store === -1 ? [1] : [1, store];
}

/** SORT_RO's key: only the sorted one, but Redis still calls the keys movable. */
function sortRoKeys(): number[] {
  return [1];
}

/** The arguments SORT and SORT_RO share (SORT adds STORE). */
const SORT_SYNTAX =
  'key [BY pattern:pattern] [LIMIT offset:integer count:integer] [GET pattern:pattern [GET pattern:pattern ...]] [ASC | DESC] [ALPHA]';
const SORT_COMPLEXITY =
  'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).';

/** SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination] */
function sortCommand(c: Client, argv: string[]): void {
  sortGeneric(c, argv, false);
}

export const sortSpec: CommandSpec = {
  name: 'sort',
  arity: -2,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Sort the elements in a list, set or sorted set',
  since: '1.0.0',
  complexity: SORT_COMPLEXITY,
  syntax: `${SORT_SYNTAX} [STORE destination:key]`,
  keys: sortKeys,
  aclCategories: ['set', 'sortedset', 'list', 'dangerous'],
  handler: sortCommand,
  firstKeyFlags: ['RO', 'access'],
  keyFlags: ['OW', 'update'],
};

/** SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] */
function sortRoCommand(c: Client, argv: string[]): void {
  sortGeneric(c, argv, true);
}

export const sortRoSpec: CommandSpec = {
  name: 'sort_ro',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'generic',
  summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.',
  since: '7.0.0',
  complexity: SORT_COMPLEXITY,
  syntax: SORT_SYNTAX,
  keys: sortRoKeys,
  aclCategories: ['set', 'sortedset', 'list', 'dangerous'],
  handler: sortRoCommand,
};

export const sortCommands: readonly CommandSpec[] = [sortSpec, sortRoSpec];
