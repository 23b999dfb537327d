/**
 * The GEO commands (Redis 7.0.15's geo.c): GEOADD, GEODIST, GEOHASH,
 * GEOPOS, GEORADIUS and GEORADIUSBYMEMBER with their _RO forms, GEOSEARCH
 * and GEOSEARCHSTORE, each with its spec.
 *
 * A geo set is a sorted set whose scores are 52-bit geohashes
 * (store/geohash.ts has the arithmetic). GEOADD is ZADD with the scores
 * computed, and runs through ZADD's own code, so it announces `zadd` and
 * propagates as the ZADD it became, as Redis's replaceClientCommandVector
 * makes it. The searches all go through georadiusGeneric, as in Redis.
 */
import { errors } from '../errors.js';
import { shared } from '../protocol/reply.js';
import {
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
  cellScoreRange,
  decodeScore,
  encodeScore,
  encodeScoreText,
  geoDistancePrecise,
  mayPrintDifferently,
  searchCells,
  standardGeohash,
  ShapeTest,
  type GeoShape,
} from '../store/geohash.js';
import { pqsort } from '../store/pqsort.js';
import { SortedSet, ZADD_IN_NONE } from '../store/zset.js';
import { formatDoubleFixed, formatDoubleHuman } from '../text/long-double.js';
import { formatFixedPoint, parseDouble, parseInteger } from '../text/numbers.js';
import { missingKeyReply } from './missing-key-reply.js';
import { lowercaseCString } from './parse.js';
import type { Client, CommandSpec } from './types.js';
import { lookupZsetRead, zsetReadOrReply } from './zset-keys.js';
import { zaddGenericCommand } from './zset-members.js';

// ---- argument readers (geo.c's *OrReply helpers) ----

/**
 * extractLongLatOrReply: argv[index] and argv[index + 1] as longitude and
 * latitude; null after replying. Both are parsed before the range check,
 * whose error prints them as C's "%f" does.
 */
function readLongLat(c: Client, argv: readonly string[], index: number): [number, number] | null {
  const longitude = parseDouble(argv[index]!);
  const latitude = longitude === null ? null : parseDouble(argv[index + 1]!);
  if (longitude === null || latitude === null) {
    c.reply.error(errors.notFloat);
    return null;
  }
  if (longitude < GEO_LONG_MIN || longitude > GEO_LONG_MAX || latitude < GEO_LAT_MIN || latitude > GEO_LAT_MAX) {
    c.reply.error(errors.geoInvalidLongLat(formatDoubleFixed(longitude, 6) + ',' + formatDoubleFixed(latitude, 6)));
    return null;
  }
  return [longitude, latitude];
}

/**
 * strcasecmp(arg, name) == 0 for a lowercase option name, per character
 * and without a lower-cased copy: a search reads several options per
 * call. C stops at the argument's NUL, so "asc\0x" is ASC. Setting bit 5
 * lower-cases an ASCII letter and maps no other byte onto one.
 */
function isOptionName(arg: string, name: string): boolean {
  const length = name.length;
  if (arg.length !== length && (arg.length < length || arg.charCodeAt(length) !== 0)) return false;
  for (let i = 0; i < length; i++) {
    if ((arg.charCodeAt(i) | 0x20) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** extractUnitOrReply: metres per unit, or -1 after replying. */
function readUnit(c: Client, unit: string): number {
  if (isOptionName(unit, 'm')) return 1;
  if (isOptionName(unit, 'km')) return 1000;
  if (isOptionName(unit, 'ft')) return 0.3048;
  if (isOptionName(unit, 'mi')) return 1609.34;
  c.reply.error(errors.geoUnsupportedUnit);
  return -1;
}

/** extractDistanceOrReply: `radius unit` into the shape; false after replying. */
function readDistance(c: Client, argv: readonly string[], index: number, shape: GeoShape): boolean {
  const radius = parseDouble(argv[index]!);
  if (radius === null) {
    c.reply.error(errors.geoRadiusNotFloat);
    return false;
  }
  if (radius < 0) {
    c.reply.error(errors.geoRadiusNegative);
    return false;
  }
  shape.radius = radius;
  const conversion = readUnit(c, argv[index + 1]!);
  if (conversion < 0) return false;
  shape.conversion = conversion;
  return true;
}

/** extractBoxOrReply: `width height unit` into the shape; false after replying. */
function readBox(c: Client, argv: readonly string[], index: number, shape: GeoShape): boolean {
  const width = parseDouble(argv[index]!);
  if (width === null) {
    c.reply.error(errors.geoWidthNotFloat);
    return false;
  }
  const height = parseDouble(argv[index + 1]!);
  if (height === null) {
    c.reply.error(errors.geoHeightNotFloat);
    return false;
  }
  if (height < 0 || width < 0) {
    c.reply.error(errors.geoBoxNegative);
    return false;
  }
  shape.height = height;
  shape.width = width;
  const conversion = readUnit(c, argv[index + 2]!);
  if (conversion < 0) return false;
  shape.conversion = conversion;
  return true;
}

/** addReplyDoubleDistance: four decimals, as a bulk string even in RESP3. */
function replyDistance(c: Client, distance: number): void {
  c.reply.bulk(formatFixedPoint(distance, 4));
}

/**
 * WITHHASH's (long long) of a score: truncated; C leaves what cannot
 * convert undefined, and x86-64 gives INT64_MIN. Scores a search finds lie
 * in cells, so in practice this is the 52-bit hash itself.
 */
function scoreAsLongLong(score: number): number | bigint {
  const truncated = Math.trunc(score);
  if (Number.isSafeInteger(truncated)) return truncated;
  if (!(truncated >= -9223372036854775808 && truncated < 9223372036854775808)) return -9223372036854775808n;
  return BigInt(truncated);
}

/** addReplyHumanLongDouble: "%.17Lf" trimmed; a bulk string in RESP2, a double in RESP3. */
function replyCoordinate(c: Client, value: number): void {
  c.reply.doubleText(formatDoubleHuman(value));
}

// ---- GEOADD ----

const GEOADD_OPTIONS = new Set(['nx', 'xx', 'ch']);

/**
 * GEOADD key [NX | XX] [CH] longitude latitude member [...]: checked
 * here, then handed to ZADD as `zadd key [options] score member ...`
 * with each score the point's geohash.
 */
function geoaddCommand(c: Client, argv: string[]): void {
  let xx = false;
  let nx = false;
  let longidx = 2;
  for (; longidx < argv.length; longidx++) {
    const option = lowercaseCString(argv[longidx]!);
    if (!GEOADD_OPTIONS.has(option)) break;
    if (option === 'nx') nx = true;
    else if (option === 'xx') xx = true;
  }
  if ((argv.length - longidx) % 3 !== 0 || (xx && nx)) {
    c.reply.error(errors.syntax);
    return;
  }
  const elements = (argv.length - longidx) / 3;
  const zaddArgv = argv.slice(0, longidx);
  zaddArgv[0] = 'zadd';
  const scores = new Array<number>(elements);
  // The score's text is only for what is propagated (ZADD reads `scores`).
  const propagating = c.server.propagation.active;
  for (let i = 0; i < elements; i++) {
    const at = longidx + i * 3;
    const point = readLongLat(c, argv, at);
    if (point === null) return;
    scores[i] = encodeScore(point[0], point[1]);
    zaddArgv.push(propagating ? encodeScoreText(point[0], point[1]) : '0', argv[at + 2]!);
  }
  if (propagating) c.server.propagation.rewrite(zaddArgv);
  zaddGenericCommand(c, zaddArgv, ZADD_IN_NONE, scores);
}

export const geoaddSpec: CommandSpec = {
  name: 'geoadd',
  arity: -5,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RW', 'update'],
  group: 'geo',
  summary: 'Add one or more geospatial items in the geospatial index represented using a sorted set',
  since: '3.2.0',
  complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
  syntax: 'key [NX | XX] [CH] longitude:double latitude:double member [longitude:double latitude:double member ...]',
  handler: geoaddCommand,
};

// ---- GEODIST, GEOHASH, GEOPOS ----

/** GEODIST key member1 member2 [M | KM | FT | MI] */
function geodistCommand(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) {
    toMeter = readUnit(c, argv[4]!);
    if (toMeter < 0) return;
  } else if (argv.length > 5) {
    c.reply.error(errors.syntax);
    return;
  }
  const zset = zsetReadOrReply(c, argv[1]!, missingKeyReply.null);
  if (zset === null) return;
  const score1 = zset.score(argv[2]!);
  const score2 = score1 === undefined ? undefined : zset.score(argv[3]!);
  if (score1 === undefined || score2 === undefined) {
    c.reply.nullBulk();
    return;
  }
  const [lon1, lat1] = decodeScore(score1);
  const [lon2, lat2] = decodeScore(score2);
  replyDistance(c, geoDistancePrecise(lon1, lat1, lon2, lat2) / toMeter);
}

export const geodistSpec: CommandSpec = {
  name: 'geodist',
  arity: -4,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO', 'access'],
  group: 'geo',
  summary: 'Returns the distance between two members of a geospatial index',
  since: '3.2.0',
  complexity: 'O(log(N))',
  syntax: 'key member1 member2 [M | KM | FT | MI]',
  handler: geodistCommand,
};

/** GEOHASH key [member ...]: each member's 11-character geohash, or null. */
function geohashCommand(c: Client, argv: string[]): void {
  const zset = lookupZsetRead(c, argv[1]!);
  if (zset === null) return;
  c.reply.arrayHeader(argv.length - 2);
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) c.reply.nullBulk();
    else c.reply.bulk(standardGeohash(score));
  }
}

export const geohashSpec: CommandSpec = {
  name: 'geohash',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO', 'access'],
  group: 'geo',
  summary: 'Returns members of a geospatial index as standard geohash strings',
  since: '3.2.0',
  complexity: 'O(log(N)) for each member requested, where N is the number of elements in the sorted set.',
  syntax: 'key member [member ...]',
  handler: geohashCommand,
};

/** GEOPOS key [member ...]: each member's [longitude, latitude], or a null array. */
function geoposCommand(c: Client, argv: string[]): void {
  const zset = lookupZsetRead(c, argv[1]!);
  if (zset === null) return;
  c.reply.arrayHeader(argv.length - 2);
  const point: [number, number] = [0, 0];
  for (let j = 2; j < argv.length; j++) {
    const score = zset?.score(argv[j]!);
    if (score === undefined) {
      c.reply.nullArray();
      continue;
    }
    decodeScore(score, point);
    c.reply.arrayHeader(2);
    replyCoordinate(c, point[0]);
    replyCoordinate(c, point[1]);
  }
}

export const geoposSpec: CommandSpec = {
  name: 'geopos',
  arity: -2,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO', 'access'],
  group: 'geo',
  summary: 'Returns longitude and latitude of members of a geospatial index',
  since: '3.2.0',
  complexity: 'O(N) where N is the number of members requested.',
  syntax: 'key member [member ...]',
  handler: geoposCommand,
};

// ---- the searches ----

/** geoPoint: one match of a search. */
interface GeoPoint {
  member: string;
  score: number;
  longitude: number;
  latitude: number;
  /** From the centre, in metres until the reply converts it to the unit. */
  dist: number;
}

/** georadiusGeneric's flags, as geo.c names them. */
const RADIUS_COORDS = 1 << 0; // search around coordinates
const RADIUS_MEMBER = 1 << 1; // search around a member
const RADIUS_NOSTORE = 1 << 2; // no STORE / STOREDIST (the _RO forms)
const GEOSEARCH = 1 << 3; // GEOSEARCH's arguments
const GEOSEARCHSTORE = 1 << 4; // GEOSEARCHSTORE: only STOREDIST

const SORT_NONE = 0;
const SORT_ASC = 1;
const SORT_DESC = 2;

/** sort_gp_asc: by distance only; equal distances compare equal. */
function byDistanceAscending(a: GeoPoint, b: GeoPoint): number {
  return a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1;
}

function byDistanceDescending(a: GeoPoint, b: GeoPoint): number {
  return -byDistanceAscending(a, b);
}

/**
 * membersOfAllNeighbors: the matches in the nine cells around the centre,
 * cell by cell in Redis's order, each cell's in score order. A cell equal
 * to the one searched before it is skipped (huge radii make neighbours
 * coincide), though, as in Redis, never the first neighbour against the
 * centre. With `limit` (COUNT ... ANY) the search stops once it has that
 * many. `precise`: distances by geoDistancePrecise.
 */
function membersOfAllNeighbors(zset: SortedSet, shape: GeoShape, limit: number, precise: boolean): GeoPoint[] {
  const cells = searchCells(shape);
  const points: GeoPoint[] = [];
  const range = { min: 0, max: 0, minex: false, maxex: true };
  const test = new ShapeTest(shape, precise);
  // geoWithinShape: decode, then measure (the member is only read for a match).
  // The accepted candidate's distance waits in a typed array: a double kept
  // in a closure variable would be boxed anew for every candidate.
  const dist = acceptedDistance;
  const accept = (score: number): boolean => (dist[0] = test.test(score)) !== -1;
  const take = (member: string, score: number): boolean => {
    points.push({ member, score, longitude: test.longitude, latitude: test.latitude, dist: dist[0]! });
    return !(limit !== 0 && points.length >= limit);
  };
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) continue;
    const last = cells[lastProcessed]!;
    if (lastProcessed !== 0 && cell.lat === last.lat && cell.lon === last.lon && cell.step === last.step) continue;
    if (points.length !== 0 && limit !== 0 && points.length >= limit) break;
    [range.min, range.max] = cellScoreRange(cell);
    zset.forEachInScoreRange(range, accept, take);
    lastProcessed = i;
  }
  return points;
}

/** membersOfAllNeighbors' accepted distance; one search runs at a time. */
const acceptedDistance = new Float64Array(1);

/** The centre of a search around a member: the point its score stands for. */
function setCentre(shape: GeoShape, score: number): void {
  decodeScore(score, centrePoint);
  shape.longitude = centrePoint[0];
  shape.latitude = centrePoint[1];
}

const centrePoint: [number, number] = [0, 0];

/**
 * georadiusGeneric: every search command. GEORADIUS key longitude
 * latitude radius unit and GEORADIUSBYMEMBER key member radius unit take
 * their centre and radius up front; GEOSEARCH [destination] key takes
 * them as FROMMEMBER / FROMLONLAT and BYRADIUS / BYBOX options. The
 * options are read in order, each checked as it is met; the checks between
 * options come after; a missing source key is only answered then (an
 * empty array, or 0 with the destination deleted).
 */
function georadiusGeneric(c: Client, argv: string[], srcKeyIndex: number, flags: number): void {
  let storeKey: string | null = null;
  let storeDist = false;

  const zset = lookupZsetRead(c, argv[srcKeyIndex]!);
  if (zset === null) return;

  let baseArgs: number;
  const shape: GeoShape = { type: 'radius', longitude: 0, latitude: 0, conversion: 0, radius: 0, width: 0, height: 0 };
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    const centre = readLongLat(c, argv, 2);
    if (centre === null) return;
    [shape.longitude, shape.latitude] = centre;
    if (!readDistance(c, argv, baseArgs - 2, shape)) return;
  } else if (flags & RADIUS_MEMBER && zset === undefined) {
    // No source key: the options are still read, so that the reply can
    // follow STORE.
    baseArgs = 5;
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    const score = zset!.score(argv[2]!);
    if (score === undefined) {
      c.reply.error(errors.geoMemberNotFound);
      return;
    }
    setCentre(shape, score);
    if (!readDistance(c, argv, baseArgs - 2, shape)) return;
  } else {
    baseArgs = 2;
    if (flags & GEOSEARCHSTORE) {
      baseArgs = 3;
      storeKey = argv[1]!;
    }
  }

  let withDist = false;
  let withHash = false;
  let withCoords = false;
  let fromMember = false;
  let fromLonLat = false;
  let byRadius = false;
  let byBox = false;
  let sort = SORT_NONE;
  let any = false;
  let count = 0; // 0: no limit
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const at = baseArgs + i;
    const arg = argv[at]!;
    if (isOptionName(arg, 'withdist')) {
      withDist = true;
    } else if (isOptionName(arg, 'withhash')) {
      withHash = true;
    } else if (isOptionName(arg, 'withcoord')) {
      withCoords = true;
    } else if (isOptionName(arg, 'any')) {
      any = true;
    } else if (isOptionName(arg, 'asc')) {
      sort = SORT_ASC;
    } else if (isOptionName(arg, 'desc')) {
      sort = SORT_DESC;
    } else if (isOptionName(arg, 'count') && i + 1 < remaining) {
      const n = parseInteger(argv[at + 1]!);
      if (n === null) {
        c.reply.error(errors.notInteger);
        return;
      }
      if (n <= 0) {
        c.reply.error(errors.geoCountNotPositive);
        return;
      }
      count = n;
      i++;
    } else if ((isOptionName(arg, 'store') || isOptionName(arg, 'storedist')) && i + 1 < remaining && !(flags & RADIUS_NOSTORE) && !(flags & GEOSEARCH)) {
      storeKey = argv[at + 1]!;
      storeDist = isOptionName(arg, 'storedist');
      i++;
    } else if (isOptionName(arg, 'storedist') && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storeDist = true;
    } else if (isOptionName(arg, 'frommember') && i + 1 < remaining && flags & GEOSEARCH && !fromLonLat) {
      // No source key: go on reading the options, the error comes after.
      if (zset !== undefined) {
        const score = zset.score(argv[at + 1]!);
        if (score === undefined) {
          c.reply.error(errors.geoMemberNotFound);
          return;
        }
        setCentre(shape, score);
      }
      fromMember = true;
      i++;
    } else if (isOptionName(arg, 'fromlonlat') && i + 2 < remaining && flags & GEOSEARCH && !fromMember) {
      const centre = readLongLat(c, argv, at + 1);
      if (centre === null) return;
      [shape.longitude, shape.latitude] = centre;
      fromLonLat = true;
      i += 2;
    } else if (isOptionName(arg, 'byradius') && i + 2 < remaining && flags & GEOSEARCH && !byBox) {
      if (!readDistance(c, argv, at + 1, shape)) return;
      shape.type = 'radius';
      byRadius = true;
      i += 2;
    } else if (isOptionName(arg, 'bybox') && i + 3 < remaining && flags & GEOSEARCH && !byRadius) {
      if (!readBox(c, argv, at + 1, shape)) return;
      shape.type = 'box';
      byBox = true;
      i += 3;
    } else {
      c.reply.error(errors.syntax);
      return;
    }
  }

  if (storeKey !== null && (withDist || withHash || withCoords)) {
    c.reply.error(errors.geoStoreWithOptions(flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'));
    return;
  }
  if (flags & GEOSEARCH && !(fromMember || fromLonLat)) {
    c.reply.error(errors.geoSearchNeedsFrom(argv[0]!));
    return;
  }
  if (flags & GEOSEARCH && !(byRadius || byBox)) {
    c.reply.error(errors.geoSearchNeedsBy(argv[0]!));
    return;
  }
  if (any && count === 0) {
    c.reply.error(errors.geoAnyWithoutCount);
    return;
  }

  if (zset === undefined) {
    if (storeKey !== null) {
      if (c.db.delete(storeKey)) c.server.events.keyModified(c.db, storeKey, 'del');
      c.reply.raw(shared.zero);
    } else {
      c.reply.raw(shared.emptyArray);
    }
    return;
  }

  // COUNT without an order would return arbitrary members rather than the
  // nearest: it sorts ascending, unless ANY asked for any matches.
  if (count !== 0 && sort === SORT_NONE && !any) sort = SORT_ASC;

  // STOREDIST keeps each distance to the last bit: computed with the
  // correctly rounded functions (geoDistancePrecise).
  const points = membersOfAllNeighbors(zset, shape, any ? count : 0, storeKey !== null && storeDist);
  // WITHDIST prints four decimals, and V8's sin, cos and asin differ from
  // glibc's in the last bit now and then: enough to move a distance that
  // lies next to a rounding boundary. Such a match's distance is worked out
  // again with the correctly rounded functions, before the sort uses it.
  if (withDist) {
    for (const point of points) {
      if (mayPrintDifferently(point.dist, shape.conversion)) {
        point.dist = geoDistancePrecise(shape.longitude, shape.latitude, point.longitude, point.latitude);
      }
    }
  }
  if (points.length === 0 && storeKey === null) {
    c.reply.raw(shared.emptyArray);
    return;
  }

  const resultLength = points.length;
  const returnedItems = count === 0 || resultLength < count ? resultLength : count;
  if (sort !== SORT_NONE) {
    const compare = sort === SORT_ASC ? byDistanceAscending : byDistanceDescending;
    // qsort (glibc's is a stable merge sort) for all, Redis's pqsort when
    // only the first COUNT are wanted: equal distances come out in its order.
    if (returnedItems === resultLength) points.sort(compare);
    else pqsort(points, compare, 0, returnedItems - 1);
  }

  if (storeKey === null) {
    replySearchResults(c, points, returnedItems, shape.conversion, withDist, withHash, withCoords);
  } else {
    storeSearchResults(c, storeKey, points, returnedItems, shape.conversion, storeDist, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore');
  }
}

/** The matches as an array: each a member, or [member, distance?, hash?, [lon, lat]?] with WITH* options. */
function replySearchResults(
  c: Client,
  points: readonly GeoPoint[],
  returnedItems: number,
  conversion: number,
  withDist: boolean,
  withHash: boolean,
  withCoords: boolean,
): void {
  const reply = c.reply;
  const optionLength = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
  reply.arrayHeader(returnedItems);
  for (let i = 0; i < returnedItems; i++) {
    const point = points[i]!;
    if (optionLength === 0) {
      reply.bulk(point.member);
      continue;
    }
    reply.arrayHeader(optionLength + 1);
    reply.bulk(point.member);
    if (withDist) replyDistance(c, point.dist / conversion);
    if (withHash) reply.integer(scoreAsLongLong(point.score));
    if (withCoords) {
      reply.arrayHeader(2);
      replyCoordinate(c, point.longitude);
      replyCoordinate(c, point.latitude);
    }
  }
}

/**
 * STORE / STOREDIST / GEOSEARCHSTORE: the matches as a new sorted set
 * scored by geohash or by distance in the unit (setKey, so any old value
 * and TTL go); none deletes the destination.
 */
function storeSearchResults(
  c: Client,
  storeKey: string,
  points: readonly GeoPoint[],
  returnedItems: number,
  conversion: number,
  storeDist: boolean,
  event: 'georadiusstore' | 'geosearchstore',
): void {
  if (returnedItems === 0) {
    if (c.db.delete(storeKey)) c.server.events.keyModified(c.db, storeKey, 'del');
    c.reply.raw(shared.zero);
    return;
  }
  const result = SortedSet.createSkiplist(c.server.encoding);
  for (let i = 0; i < returnedItems; i++) {
    const point = points[i]!;
    result.add(point.member, storeDist ? point.dist / conversion : point.score);
  }
  result.convertToListpackIfNeeded();
  c.db.set(storeKey, result);
  c.server.events.keyModified(c.db, storeKey, event, returnedItems);
  c.reply.integer(returnedItems);
}

/**
 * The keys of GEORADIUS and GEORADIUSBYMEMBER as Redis 7.0's key specs
 * find them: the source, then the key after the first STORE and the key
 * after the first STOREDIST from `startFrom` on (keyword searches, one
 * spec each, so both appear when both are given).
 */
function georadiusKeysFrom(argv: readonly string[], startFrom: number): number[] {
  const keys = [1];
  for (const keyword of ['store', 'storedist']) {
    for (let i = startFrom; i < argv.length - 1; i++) {
      if (lowercaseCString(argv[i]!) === keyword) {
        keys.push(i + 1);
        break;
      }
    }
  }
  return keys;
}

// Redis's JSON makes COUNT, BYRADIUS and BYBOX the token of the block's
// first argument rather than of the block: the inner parentheses say so.
const COUNT_OPTION = '[(COUNT count:integer) [ANY]]';
const GEORADIUS_OPTIONS = `[WITHCOORD] [WITHDIST] [WITHHASH] ${COUNT_OPTION} [ASC | DESC]`;
const GEORADIUS_COMPLEXITY =
  'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.';
const GEOSEARCH_COMPLEXITY =
  'O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape';
const GEOSEARCH_AREA =
  '(FROMMEMBER member | FROMLONLAT longitude:double latitude:double) ((BYRADIUS radius:double) (M | KM | FT | MI) | (BYBOX width:double) height:double (M | KM | FT | MI))';

/** GEORADIUS key longitude latitude radius unit [options] [STORE key] [STOREDIST key] */
function georadiusCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS);
}

export const georadiusSpec: CommandSpec = {
  name: 'georadius',
  arity: -6,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'geo',
  summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point',
  since: '3.2.0',
  complexity: GEORADIUS_COMPLEXITY,
  syntax: `key longitude:double latitude:double radius:double (M | KM | FT | MI) ${GEORADIUS_OPTIONS} [STORE key] [STOREDIST key]`,
  keys: (argv) => georadiusKeysFrom(argv, 6),
  handler: georadiusCommand,
  firstKeyFlags: ['RO', 'access'],
  keyFlags: ['OW', 'update'],
};

/** GEORADIUSBYMEMBER key member radius unit [options] [STORE key] [STOREDIST key] */
function georadiusbymemberCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER);
}

export const georadiusbymemberSpec: CommandSpec = {
  name: 'georadiusbymember',
  arity: -5,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  group: 'geo',
  summary: 'Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member',
  since: '3.2.0',
  complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  syntax: `key member radius:double (M | KM | FT | MI) ${GEORADIUS_OPTIONS} [STORE key] [STOREDIST key]`,
  keys: (argv) => georadiusKeysFrom(argv, 5),
  handler: georadiusbymemberCommand,
  firstKeyFlags: ['RO', 'access'],
  keyFlags: ['OW', 'update'],
};

/** GEORADIUS_RO key longitude latitude radius unit [options] */
function georadiusRoCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_COORDS | RADIUS_NOSTORE);
}

export const georadiusRoSpec: CommandSpec = {
  name: 'georadius_ro',
  arity: -6,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO', 'access'],
  group: 'geo',
  summary: 'A read-only variant for GEORADIUS',
  since: '3.2.10',
  complexity: GEORADIUS_COMPLEXITY,
  syntax: `key longitude:double latitude:double radius:double (M | KM | FT | MI) ${GEORADIUS_OPTIONS}`,
  handler: georadiusRoCommand,
};

/** GEORADIUSBYMEMBER_RO key member radius unit [options] */
function georadiusbymemberRoCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, RADIUS_MEMBER | RADIUS_NOSTORE);
}

export const georadiusbymemberRoSpec: CommandSpec = {
  name: 'georadiusbymember_ro',
  arity: -5,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO', 'access'],
  group: 'geo',
  summary: 'A read-only variant for GEORADIUSBYMEMBER',
  since: '3.2.10',
  complexity: 'O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.',
  syntax: `key member radius:double (M | KM | FT | MI) ${GEORADIUS_OPTIONS}`,
  handler: georadiusbymemberRoCommand,
};

/** GEOSEARCH key FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX ... [options] */
function geosearchCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 1, GEOSEARCH);
}

export const geosearchSpec: CommandSpec = {
  name: 'geosearch',
  arity: -7,
  flags: ['readonly'],
  firstKey: 1,
  lastKey: 1,
  keyStep: 1,
  keyFlags: ['RO', 'access'],
  group: 'geo',
  summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.',
  since: '6.2.0',
  complexity: GEOSEARCH_COMPLEXITY,
  syntax: `key ${GEOSEARCH_AREA} [ASC | DESC] ${COUNT_OPTION} [WITHCOORD] [WITHDIST] [WITHHASH]`,
  handler: geosearchCommand,
};

/** GEOSEARCHSTORE destination source FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX ... [options] [STOREDIST] */
function geosearchstoreCommand(c: Client, argv: string[]): void {
  georadiusGeneric(c, argv, 2, GEOSEARCH | GEOSEARCHSTORE);
}

export const geosearchstoreSpec: CommandSpec = {
  name: 'geosearchstore',
  arity: -8,
  flags: ['write', 'denyoom'],
  firstKey: 1,
  lastKey: 2,
  keyStep: 1,
  group: 'geo',
  summary: 'Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.',
  since: '6.2.0',
  complexity: GEOSEARCH_COMPLEXITY,
  syntax: `destination:key source:key ${GEOSEARCH_AREA} [ASC | DESC] ${COUNT_OPTION} [STOREDIST]`,
  handler: geosearchstoreCommand,
  firstKeyFlags: ['OW', 'update'],
  keyFlags: ['RO', 'access'],
};

/** The GEO command group, in the table's order. */
export const geoCommands: readonly CommandSpec[] = [
  geoaddSpec,
  geodistSpec,
  geohashSpec,
  geoposSpec,
  georadiusSpec,
  georadiusbymemberSpec,
  georadiusRoSpec,
  georadiusbymemberRoSpec,
  geosearchSpec,
  geosearchstoreSpec,
];
