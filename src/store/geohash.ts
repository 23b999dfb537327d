/**
 * The geohash arithmetic behind the GEO commands, ported from Redis
 * 7.0.15's geohash.c and geohash_helper.c so that scores, coordinates,
 * distances and the cells a search visits are Redis's to the last bit.
 *
 * A point is stored as a sorted set score: its longitude and latitude, each
 * scaled to 26 bits over Redis's ranges (latitude only to ±85.05112878, the
 * Web Mercator limit), interleaved into 52 bits (latitude in the even bits,
 * longitude in the odd ones) and stored as a double, which holds 52 bits
 * exactly.
 *
 * Numbers. The hot paths (encoding a GEOADD, decoding each candidate of a
 * search) work on the two 32-bit halves of the 64-bit hash in plain numbers.
 * The per-search work (the step, the nine cells, their score ranges) is in
 * BigInt: Redis does it in uint64_t, where a cell at the +180 meridian or a
 * shift past bit 63 wraps, and BigInt masked to 64 bits does the same.
 */

import { crAsin, crCos, crSin } from './correctly-rounded.js';

/** GEO_STEP_MAX: 26 bits per coordinate, 52 in all. */
export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

/** Earth's quadratic mean radius for WGS-84, as geohash_helper.c has it. */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
/** D_R: M_PI / 180.0, folded by the compiler into one double. */
const D_R = Math.PI / 180.0;

const TWO_32 = 4294967296;
const U64_MASK = (1n << 64n) - 1n;

export interface GeoRange {
  min: number;
  max: number;
}

/** The ranges Redis encodes scores over (geohashGetCoordRange). */
const LONG_RANGE: GeoRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
const LAT_RANGE: GeoRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };
/** The standard geohash ranges GEOHASH re-encodes to. */
const STANDARD_LONG_RANGE: GeoRange = { min: -180, max: 180 };
const STANDARD_LAT_RANGE: GeoRange = { min: -90, max: 90 };

/**
 * A cell (Redis's GeoHashBits) by its two coordinates rather than their
 * interleaving: `lat` and `lon` are its row and column among 2^step a
 * side. Redis's geohash_move_x and _y add or subtract one from the
 * longitude (odd) or latitude (even) bits and mask to 2 * step bits, which
 * is arithmetic modulo 2^step on that coordinate alone; kept apart, the
 * coordinates are plain small numbers. A centre on the +180 meridian or the
 * northern limit has index 2^step, one past the last cell, as in Redis.
 */
export interface GeoCell {
  lat: number;
  lon: number;
  step: number;
}

/** A decoded cell: its longitude and latitude intervals. */
export interface GeoHashArea {
  longitude: GeoRange;
  latitude: GeoRange;
}

// ---- bit interleaving on 32-bit halves ----

/** Spreads the low 16 bits of v to the even bits of a 32-bit word. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

/** Gathers the even bits of a 32-bit word into 16 bits (spread16's inverse). */
function compact16(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** interleave64's high and low words: x's bits in the even positions, y's in the odd (x, y < 2^32). */
let interleavedHigh = 0;
let interleavedLow = 0;
function interleave64(x: number, y: number): void {
  interleavedLow = (spread16(x) | (spread16(y) << 1)) >>> 0;
  interleavedHigh = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
}

/** deinterleave64 of the 64-bit word high:low: x from the even bits, y from the odd. */
let deinterleavedX = 0;
let deinterleavedY = 0;
function deinterleave64(high: number, low: number): void {
  deinterleavedX = (compact16(low) | (compact16(high) << 16)) >>> 0;
  deinterleavedY = (compact16(low >>> 1) | (compact16(high >>> 1) << 16)) >>> 0;
}

// ---- scores ----

/**
 * geohashEncodeWGS84(longitude, latitude, GEO_STEP_MAX) aligned to 52 bits:
 * the score GEOADD stores. The coordinates must be in range
 * (extractLongLatOrReply checked them). A point on the +180 meridian or
 * the northern limit reaches bit 52 or 53, past a double's exact
 * integers: like Redis, which hands ZADD the integer as text, the score is
 * then the nearest double (the sum of the exact words rounds once).
 */
export function encodeScore(longitude: number, latitude: number): number {
  const latOffset = ((latitude - LAT_RANGE.min) / (LAT_RANGE.max - LAT_RANGE.min)) * 67108864;
  const longOffset = ((longitude - LONG_RANGE.min) / (LONG_RANGE.max - LONG_RANGE.min)) * 67108864;
  interleave64(Math.trunc(latOffset), Math.trunc(longOffset));
  return interleavedHigh * TWO_32 + interleavedLow;
}

/** encodeScore's integer exactly, as the decimal text GEOADD's ZADD propagates (sdsfromlonglong). */
export function encodeScoreText(longitude: number, latitude: number): string {
  const score = encodeScore(longitude, latitude);
  if (interleavedHigh < 0x200000) return String(score);
  return ((BigInt(interleavedHigh) << 32n) | BigInt(interleavedLow)).toString();
}

/**
 * The (uint64_t) conversion of a score, as x86-64 code does it: truncation
 * for 0 <= d < 2^64; a negative d converts as a signed integer (two's
 * complement), and what the instruction cannot convert (d <= -2^63,
 * d >= 2^64, the infinities) gives its "indefinite" 2^63, which the
 * unsigned path turns into 0 for values past 2^63. Any double can be a
 * score (ZADD), and GEOPOS decodes whatever it finds.
 */
function scoreWords(score: number): void {
  if (score >= 0 && score < 9007199254740992) {
    const bits = Math.trunc(score);
    const high = Math.floor(bits / TWO_32);
    wordHigh = high;
    wordLow = bits - high * TWO_32;
    return;
  }
  let bits: bigint;
  if (score >= 9223372036854775808) {
    bits = score >= 18446744073709551616 ? 0n : BigInt(score);
  } else if (score > -9223372036854775808) {
    bits = BigInt(Math.trunc(score)) & U64_MASK;
  } else {
    bits = 1n << 63n;
  }
  wordHigh = Number(bits >> 32n);
  wordLow = Number(bits & 0xffffffffn);
}
let wordHigh = 0;
let wordLow = 0;

/**
 * geohashDecode of a cell given by its deinterleaved coordinates: Redis's
 * exact expressions, in the same order.
 */
function decodeCell(ilato: number, ilono: number, step: number, longRange: GeoRange, latRange: GeoRange, area: GeoHashArea): void {
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  // An int (step <= 26), so that the arithmetic stays in small integers.
  const cells = 1 << step;
  area.latitude.min = latRange.min + ((ilato * 1.0) / cells) * latScale;
  // ilato + 1 is uint32_t arithmetic in Redis: it wraps at 2^32.
  area.latitude.max = latRange.min + ((((ilato + 1) >>> 0) * 1.0) / cells) * latScale;
  area.longitude.min = longRange.min + ((ilono * 1.0) / cells) * longScale;
  area.longitude.max = longRange.min + ((((ilono + 1) >>> 0) * 1.0) / cells) * longScale;
}

function newArea(): GeoHashArea {
  return { longitude: { min: 0, max: 0 }, latitude: { min: 0, max: 0 } };
}

// decodeCell's operands for the score ranges, as the decoder's constants.
const LAT_MIN = LAT_RANGE.min;
const LAT_SCALE = LAT_RANGE.max - LAT_RANGE.min;
const LONG_MIN = LONG_RANGE.min;
const LONG_SCALE = LONG_RANGE.max - LONG_RANGE.min;

/**
 * decodeGeohash(score, xy): the point a score stands for, the centre of its
 * cell clamped to the valid ranges, as [longitude, latitude]. Writes into
 * `out` (to spare the search an allocation per candidate) and returns it.
 */
export function decodeScore(score: number, out: [number, number] = [0, 0]): [number, number] {
  let ilato: number;
  let ilono: number;
  if (score >= 0 && score < 9007199254740992) {
    // The common case, kept to local variables: it runs once per candidate of a search.
    const bits = Math.trunc(score);
    const high = Math.floor(bits / TWO_32);
    const low = bits - high * TWO_32;
    ilato = (compact16(low) | (compact16(high) << 16)) >>> 0;
    ilono = (compact16(low >>> 1) | (compact16(high >>> 1) << 16)) >>> 0;
  } else {
    scoreWords(score);
    deinterleave64(wordHigh, wordLow);
    ilato = deinterleavedX;
    ilono = deinterleavedY;
  }
  // geohashDecode at GEO_STEP_MAX (2^26 cells a side), then the centre, clamped.
  const latMin = LAT_MIN + (ilato / 67108864) * LAT_SCALE;
  const latMax = LAT_MIN + (((ilato + 1) >>> 0) / 67108864) * LAT_SCALE;
  const longMin = LONG_MIN + (ilono / 67108864) * LONG_SCALE;
  const longMax = LONG_MIN + (((ilono + 1) >>> 0) / 67108864) * LONG_SCALE;
  let longitude = (longMin + longMax) / 2;
  if (longitude > GEO_LONG_MAX) longitude = GEO_LONG_MAX;
  if (longitude < GEO_LONG_MIN) longitude = GEO_LONG_MIN;
  let latitude = (latMin + latMax) / 2;
  if (latitude > GEO_LAT_MAX) latitude = GEO_LAT_MAX;
  if (latitude < GEO_LAT_MIN) latitude = GEO_LAT_MIN;
  out[0] = longitude;
  out[1] = latitude;
  return out;
}

// ---- cells as BigInt (per search) ----

/** geohashEncode over the given ranges at `step`; null where Redis's returns 0 (out of range). */
function encodeCell(longRange: GeoRange, latRange: GeoRange, longitude: number, latitude: number, step: number): GeoCell | null {
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return null;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return null;
  const scale = 1 << step;
  const latOffset = ((latitude - latRange.min) / (latRange.max - latRange.min)) * scale;
  const longOffset = ((longitude - longRange.min) / (longRange.max - longRange.min)) * scale;
  return { lat: Math.trunc(latOffset), lon: Math.trunc(longOffset), step };
}

/** geohashDecode of a cell over Redis's ranges. */
function decodeCellArea(cell: GeoCell, area: GeoHashArea): GeoHashArea {
  decodeCell(cell.lat, cell.lon, cell.step, LONG_RANGE, LAT_RANGE, area);
  return area;
}

/** The cell dx columns east and dy rows north, wrapping modulo 2^step as geohash_move_x / _y do. */
function moved(cell: GeoCell, dx: number, dy: number): GeoCell {
  // An int, so that % is an integer remainder rather than a call to fmod.
  const size = 1 << cell.step;
  return {
    lat: dy === 0 ? cell.lat : (((cell.lat + dy) % size) + size) % size,
    lon: dx === 0 ? cell.lon : (((cell.lon + dx) % size) + size) % size,
    step: cell.step,
  };
}

// ---- search shapes ----

/**
 * A search area (GeoShape): a circle of `radius` or a `width` x `height`
 * box around a centre, its sizes in units of `conversion` metres.
 */
export interface GeoShape {
  type: 'radius' | 'box';
  longitude: number;
  latitude: number;
  conversion: number;
  radius: number;
  width: number;
  height: number;
}

function degRad(angle: number): number {
  return angle * D_R;
}

function radDeg(angle: number): number {
  return angle / D_R;
}

/** geohashEstimateStepsByRadius: the step whose cells are about as large as the search. */
export function estimateStepsByRadius(rangeMeters: number, latitude: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // make sure the range is included in most of the base cases
  // Wider range towards the poles.
  if (latitude > 66 || latitude < -66) {
    step--;
    if (latitude > 80 || latitude < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** geohashBoundingBox: [min longitude, min latitude, max longitude, max latitude]. */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const { longitude, latitude } = shape;
  const height = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degRad(latitude - latDelta)));
  // The hemispheres bend the box opposite ways: take the wider edge.
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

/**
 * geohashCalculateAreasByShapeWGS84 + the order membersOfAllNeighbors
 * visits them in: the centre cell, then north, south, east, west,
 * north-east, north-west, south-east, south-west; null for a neighbour
 * Redis zeroes as useless (GZERO).
 */
export function searchCells(shape: GeoShape): Array<GeoCell | null> {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const { longitude, latitude } = shape;
  let radiusMeters =
    shape.type === 'radius' ? shape.radius : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;

  let steps = estimateStepsByRadius(radiusMeters, latitude);
  // The centre was range-checked when parsed, so encoding succeeds.
  let hash = encodeCell(LONG_RANGE, LAT_RANGE, longitude, latitude, steps)!;
  let area = decodeCellArea(hash, newArea());

  // Near a cell's edge the estimated step may leave part of the area out
  // of the nine cells: then one step coarser.
  const north = decodeCellArea(moved(hash, 0, 1), newArea());
  const south = decodeCellArea(moved(hash, 0, -1), newArea());
  const east = decodeCellArea(moved(hash, 1, 0), newArea());
  const west = decodeCellArea(moved(hash, -1, 0), newArea());
  const decreaseStep =
    north.latitude.max < maxLat || south.latitude.min > minLat || east.longitude.max < maxLon || west.longitude.min > minLon;
  if (steps > 1 && decreaseStep) {
    steps--;
    hash = encodeCell(LONG_RANGE, LAT_RANGE, longitude, latitude, steps)!;
    area = decodeCellArea(hash, newArea());
  }

  const cells: Array<GeoCell | null> = [
    hash,
    moved(hash, 0, 1), // north
    moved(hash, 0, -1), // south
    moved(hash, 1, 0), // east
    moved(hash, -1, 0), // west
    moved(hash, 1, 1), // north-east
    moved(hash, -1, 1), // north-west
    moved(hash, 1, -1), // south-east
    moved(hash, -1, -1), // south-west
  ];
  // Exclude the cells that are useless.
  if (steps >= 2) {
    if (area.latitude.min < minLat) cells[2] = cells[8] = cells[7] = null;
    if (area.latitude.max > maxLat) cells[1] = cells[5] = cells[6] = null;
    if (area.longitude.min < minLon) cells[4] = cells[8] = cells[6] = null;
    if (area.longitude.max > maxLon) cells[3] = cells[7] = cells[5] = null;
  }
  return cells;
}

/**
 * scoresOfGeoHashBox: the scores [min, max) of the points inside a cell
 * (geohashAlign52Bits of the cell and of the next one), as the doubles
 * Redis compares scores with.
 */
export function cellScoreRange(cell: GeoCell): [number, number] {
  interleave64(cell.lat, cell.lon);
  const scale = 2 ** (52 - cell.step * 2);
  // One rounding each, as Redis's uint64 -> double conversion: the words
  // are exact, their sum rounds to nearest, the power of two is exact.
  return [(interleavedHigh * TWO_32 + interleavedLow) * scale, (interleavedHigh * TWO_32 + (interleavedLow + 1)) * scale];
}

// ---- distances ----

/** geohashGetLatDistance: the distance along a meridian. */
function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/**
 * geohashGetDistance: the haversine great-circle distance in metres, with
 * V8's sin, cos and asin, which differ from glibc's in the last bit now and
 * then: good for filtering and for four decimals.
 */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = Math.sin((lon2r - lon1r) / 2);
  // Same longitude: skip the expensive part.
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/**
 * geohashGetDistance with correctly rounded sin, cos and asin (see
 * correctly-rounded.ts), for the distances shown to the last bit: as close
 * to glibc's results as a correctly rounded libm gets.
 */
export function geoDistancePrecise(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = crSin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = crSin((lat2r - lat1r) / 2);
  const a = u * u + crCos(lat1r) * crCos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * crAsin(Math.sqrt(a));
}

/** 175 degrees of arc: past it every printed distance is worked out again (mayPrintDifferently). */
const NEAR_ANTIPODAL_METRES = EARTH_RADIUS_IN_METERS * ((175 * Math.PI) / 180);

/**
 * Whether a distance geoDistance gave (`metres`) could print differently
 * from glibc's at four decimals in a unit of `conversion` metres
 * (fixedpoint_d2string rounds d * 10^4 to an integer). V8's sin, cos and
 * asin are within an ulp of the true value and so are glibc's, so the two
 * distances differ by a few ulps of the distance: about 2 ulps for each
 * function, magnified by asin's slope by up to 8 at 175 degrees of arc
 * (400k random pairs: at most 5.2 ulps apart). 1e-14 of the scaled value
 * is about 45 ulps. Past 175 degrees the slope grows without bound, so
 * every such distance counts as near. The correctly rounded functions take
 * about 8 us a distance against V8's 0.1 us, and few distances are near:
 * about one in 10^9 at 20 km in km, one in 500 at 6,000 km in feet.
 */
export function mayPrintDifferently(metres: number, conversion: number): boolean {
  if (metres > NEAR_ANTIPODAL_METRES) return true;
  const scaled = (metres / conversion) * 10000;
  return Math.abs(scaled - Math.floor(scaled) - 0.5) <= scaled * 1e-14;
}

/**
 * geoWithinShape after decoding: the point's distance from the shape's
 * centre in metres when it lies inside the shape, else -1. A box is
 * checked along the latitude first, the cheaper test
 * (geohashGetDistanceIfInRectangle). `precise` computes the distance
 * returned with geoDistancePrecise.
 */
export function distanceIfWithin(shape: GeoShape, longitude: number, latitude: number, precise: boolean): number {
  const distance = precise ? geoDistancePrecise : geoDistance;
  if (shape.type === 'radius') {
    const d = distance(shape.longitude, shape.latitude, longitude, latitude);
    return d > shape.radius * shape.conversion ? -1 : d;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  if (latDistance(latitude, shape.latitude) > heightM / 2) return -1;
  if (distance(longitude, latitude, shape.longitude, latitude) > widthM / 2) return -1;
  return distance(shape.longitude, shape.latitude, longitude, latitude);
}

/**
 * A search's per-candidate test (geoWithinShape on a score), with what
 * depends only on the centre worked out once. For a radius it computes the
 * same values geoDistance and distanceIfWithin compute each time (so the
 * same distances), after cheaper tests that only ever reject points whose
 * distance is certainly past the radius:
 *
 * - the latitude: a great-circle distance is never less than the latitude
 *   difference times the earth's radius. Most candidates of a search are
 *   rejected here, on the cell row read from the score (its interleaved
 *   latitude bits) before anything else is decoded;
 * - the longitude: no point of a circle of angular radius d around a
 *   centre at latitude f lies more than asin(sin d / cos f) away in
 *   longitude (the circle's bounding box), when the circle holds no pole.
 *
 * Both bounds carry margins far above rounding, and near the antipode,
 * where rounding can push the haversine's argument past 1 (a NaN distance,
 * which Redis accepts), nothing is rejected early. A box, and STOREDIST's
 * correctly rounded distances, go through distanceIfWithin.
 */
export class ShapeTest {
  /** The point the last tested score stands for (decodeScore's values). */
  longitude = 0;
  latitude = 0;

  private readonly radius: boolean;
  private readonly lon1r: number;
  private readonly lat1r: number;
  private readonly cosLat1: number;
  private readonly radiusM: number;
  private readonly latitudeCutoff: number;
  /** Cell rows (26-bit latitude indexes) outside this range are past latitudeCutoff. */
  private readonly minLatIndex: number;
  private readonly maxLatIndex: number;
  /** Degrees of longitude past which a point is outside the circle (Infinity: no such bound). */
  private readonly longitudeCutoff: number;

  constructor(
    private readonly shape: GeoShape,
    private readonly precise = false,
  ) {
    this.radius = shape.type === 'radius' && !precise;
    this.lon1r = degRad(shape.longitude);
    this.lat1r = degRad(shape.latitude);
    this.cosLat1 = Math.cos(this.lat1r);
    this.radiusM = shape.radius * shape.conversion;
    this.latitudeCutoff = this.radiusM * (1 + 1e-9);
    // The rows whose points are within latitudeCutoff, one row wider each
    // side: a row's point is its centre, which moves monotonically with it.
    const latitudeReach = radDeg(this.latitudeCutoff / EARTH_RADIUS_IN_METERS) * (1 + 1e-9) + 1e-9;
    this.minLatIndex = Math.floor(((shape.latitude - latitudeReach - LAT_MIN) / LAT_SCALE) * 67108864) - 1;
    this.maxLatIndex = Math.ceil(((shape.latitude + latitudeReach - LAT_MIN) / LAT_SCALE) * 67108864) + 1;
    const angle = this.latitudeCutoff / EARTH_RADIUS_IN_METERS;
    const poleDistance = Math.PI / 2 - Math.abs(this.lat1r);
    this.longitudeCutoff =
      angle < poleDistance - 1e-6 ? radDeg(Math.asin(Math.min(1, Math.sin(angle) / this.cosLat1))) * (1 + 1e-6) + 1e-9 : Infinity;
  }

  /**
   * The candidate with this score: its distance from the centre in metres
   * when it lies inside the shape, else -1. Its point is left in
   * longitude and latitude when inside.
   */
  test(score: number): number {
    if (!this.radius || !(score >= 0 && score < 9007199254740992)) {
      decodeScore(score, scratchPoint);
      this.longitude = scratchPoint[0];
      this.latitude = scratchPoint[1];
      if (this.radius) return this.distanceIfWithin(this.longitude, this.latitude);
      return distanceIfWithin(this.shape, this.longitude, this.latitude, this.precise);
    }
    // decodeScore's common case, the row first.
    const bits = Math.trunc(score);
    const high = Math.floor(bits / TWO_32);
    const low = bits - high * TWO_32;
    const ilato = (compact16(low) | (compact16(high) << 16)) >>> 0;
    if (ilato < this.minLatIndex || ilato > this.maxLatIndex) return -1;
    const ilono = (compact16(low >>> 1) | (compact16(high >>> 1) << 16)) >>> 0;
    const longMin = LONG_MIN + (ilono / 67108864) * LONG_SCALE;
    const longMax = LONG_MIN + (((ilono + 1) >>> 0) / 67108864) * LONG_SCALE;
    let longitude = (longMin + longMax) / 2;
    if (longitude > GEO_LONG_MAX) longitude = GEO_LONG_MAX;
    if (longitude < GEO_LONG_MIN) longitude = GEO_LONG_MIN;
    let longitudeDelta = Math.abs(longitude - this.shape.longitude);
    if (longitudeDelta > 180) longitudeDelta = 360 - longitudeDelta;
    if (longitudeDelta > this.longitudeCutoff && longitudeDelta < 179) return -1;
    const latMin = LAT_MIN + (ilato / 67108864) * LAT_SCALE;
    const latMax = LAT_MIN + (((ilato + 1) >>> 0) / 67108864) * LAT_SCALE;
    let latitude = (latMin + latMax) / 2;
    if (latitude > GEO_LAT_MAX) latitude = GEO_LAT_MAX;
    if (latitude < GEO_LAT_MIN) latitude = GEO_LAT_MIN;
    this.longitude = longitude;
    this.latitude = latitude;
    return this.distanceIfWithin(longitude, latitude);
  }

  /** distanceIfWithin(shape, longitude, latitude, false) for a radius, faster. */
  private distanceIfWithin(longitude: number, latitude: number): number {
    const lat2r = degRad(latitude);
    if (EARTH_RADIUS_IN_METERS * Math.abs(lat2r - this.lat1r) > this.latitudeCutoff) return -1;
    const v = Math.sin((degRad(longitude) - this.lon1r) / 2);
    let distance: number;
    if (v === 0.0) {
      distance = latDistance(this.shape.latitude, latitude);
    } else {
      const u = Math.sin((lat2r - this.lat1r) / 2);
      const a = u * u + this.cosLat1 * Math.cos(lat2r) * v * v;
      distance = 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
    }
    return distance > this.radiusM ? -1 : distance;
  }
}

const scratchPoint: [number, number] = [0, 0];

// ---- GEOHASH ----

const GEO_ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's 11-character standard geohash of a score: decoded, re-encoded
 * over the standard ranges (latitude ±90), five bits per character, the
 * eleventh always '0' (there are only 52 bits).
 */
export function standardGeohash(score: number): string {
  const [longitude, latitude] = decodeScore(score);
  const cell = encodeCell(STANDARD_LONG_RANGE, STANDARD_LAT_RANGE, longitude, latitude, 26)!;
  interleave64(cell.lat, cell.lon);
  const bits = (BigInt(interleavedHigh) << 32n) | BigInt(interleavedLow);
  let out = '';
  for (let i = 0; i < 11; i++) {
    const index = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += GEO_ALPHABET[index];
  }
  return out;
}
